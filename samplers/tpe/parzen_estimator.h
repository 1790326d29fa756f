/* TPE's Parzen estimator: a mixture over observations plus one prior
 * component of a product kernel across the parameters of a search space
 * (Bergstra et al. 2011; Watanabe 2023, "Tree-structured Parzen estimator:
 * understanding its algorithm components", s3; OPTUNA-ALGORITHMS.md s2.5,
 * the [H] rules). */
#ifndef IGM_TPE_PARZEN_ESTIMATOR_H
#define IGM_TPE_PARZEN_ESTIMATOR_H

#include <stddef.h>

#include "../../lib/arena.h"
#include "../../lib/distribution.h"
#include "../../lib/rng.h"
#include "../search_space.h"

typedef struct tpe_parzen_params {
    double prior_weight;     /* weight of the prior component before normalising */
    int consider_magic_clip; /* sigma floor (H - L) / min(100, n + 2), else 1e-12 */
    int consider_endpoints;  /* extreme observations may use the domain ends */
} tpe_parzen_params;

typedef enum tpe_kernel_kind {
    TPE_KERNEL_CONTINUOUS, /* truncated normal density in u space */
    TPE_KERNEL_DISCRETE,   /* truncated normal mass of the grid cell */
    TPE_KERNEL_CATEGORICAL /* one probability row per component */
} tpe_kernel_kind;

/* One parameter of the mixture.  u is the kernel coordinate: x, or log x
 * for log distributions; [lo, hi] the u bounds, widened by half a step
 * for discrete ones (log ints: [log(low - 1/2), log(high + 1/2)]). */
typedef struct tpe_kernel_dim {
    const igm_distribution *dist;
    tpe_kernel_kind kind;
    int log;          /* u = log x */
    double lo, hi;    /* u bounds */
    double low, high; /* x bounds of the distribution */
    double step;      /* discrete linear: grid step; log ints: 1 */
    double log_max_width; /* discrete: log of the widest grid cell in u */
    size_t *order; /* numeric: the observations sorted by mu, ties by index */
    /* per component (observations, then the prior) */
    double *mu, *sigma, *inv_sigma, *log_sigma;
    double *log_accept; /* log mass of the kernel inside [lo, hi] */
    double *log_norm;   /* continuous: log sigma + log sqrt(2 pi) + log_accept */
    size_t n_choices;
    double *prob, *log_prob; /* categorical: rows of n_choices per component */
    double *log_prob_max;    /* categorical: the largest log_prob of each row */
} tpe_kernel_dim;

/* Components in blocks of consecutive mu along one numeric parameter, with
 * per-block upper bounds of the log term, so that a density skips the
 * blocks far from the point (large estimators only). */
typedef struct tpe_window {
    size_t dim;      /* the parameter */
    size_t *order;   /* observation components sorted by mu[dim] */
    size_t n_order;  /* the observations (the prior is always evaluated) */
    /* by position in order: mu, 1 / sigma on the window parameter and an
     * upper bound of the log term but for its -z^2/2 there */
    double *mu, *inv_sigma, *cap;
    size_t n_blocks; /* TPE_WINDOW_BLOCK positions each, the last maybe fewer */
    double *block_lo, *block_hi, *block_max_sigma, *block_cap;
} tpe_window;

#define TPE_WINDOW_BLOCK 16
#define TPE_WINDOW_MIN_OBS 64 /* fewer observations: every component every time */

/* Memo of igm_log_gauss_mass by exact arguments (parzen_density.c). */
typedef struct tpe_mass_memo tpe_mass_memo;
tpe_mass_memo *tpe_mass_memo_new(igm_arena *arena);
double tpe_log_mass(tpe_mass_memo *memo, double a, double b);

typedef struct tpe_parzen {
    igm_arena *arena; /* holds every array; sampling and densities take scratch from it */
    tpe_mass_memo *memo;
    size_t n_components, n_dims;
    double *weights, *log_weights, *cum_weights;
    tpe_kernel_dim *dims;
    tpe_window *window; /* NULL: densities evaluate every component */
} tpe_parzen;

/* Builds the estimator of the n_obs observations (row-major n_obs x
 * space->count kernel coordinates: u for numeric parameters, i.e. the
 * internal value or its log for log distributions; the choice index for
 * categorical ones) with raw weights obs_weights (n_obs
 * non-negative numbers; the prior weight is appended and the whole
 * normalised).  sorted (may be NULL, or NULL for a parameter) gives for a
 * numeric parameter the observation rows in increasing order of its value,
 * ties by row, which saves the sort.  Everything is allocated from arena,
 * which must outlive the estimator (there is no free: reset the arena). */
int tpe_parzen_build(tpe_parzen *pe, igm_arena *arena, const igm_search_space *space,
                     const double *obs, size_t n_obs, const double *obs_weights,
                     const size_t *const *sorted, const tpe_parzen_params *p);

/* Draws n points (row-major n x n_dims internal values, on the grid for
 * discrete parameters): a component by weight, then each parameter from
 * that component's kernel by inverse CDF. */
int tpe_parzen_sample(const tpe_parzen *pe, igm_rng *rng, size_t n, double *out);

/* log density (mass for discrete parameters) of n points (parzen_density.c).
 * Components whose upper bound is more than TPE_PRUNE_NATS below a known
 * term are left out of the log-sum-exp: their share is below 2e-22 each. */
int tpe_parzen_log_pdf(const tpe_parzen *pe, const double *x, size_t n, double *out);
/* The same with every term computed, nothing skipped: the reference the
 * pruned paths are tested against. */
int tpe_parzen_log_pdf_exact(const tpe_parzen *pe, const double *x, size_t n, double *out);

#define TPE_PRUNE_NATS 50.0

#endif
