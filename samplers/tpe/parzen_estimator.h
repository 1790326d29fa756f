/* TPE's Parzen estimator: a mixture over observations plus one prior
 * component of a product kernel across the parameters of a search space
 * (Bergstra et al. 2011; Watanabe 2023, "Tree-structured Parzen estimator:
 * understanding its algorithm components", s3; OPTUNA-ALGORITHMS.md s2.5,
 * the [H] rules). */
#ifndef IGM_TPE_PARZEN_ESTIMATOR_H
#define IGM_TPE_PARZEN_ESTIMATOR_H

#include <stddef.h>

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
    /* per component (observations, then the prior) */
    double *mu, *sigma, *inv_sigma, *log_sigma;
    double *log_accept; /* log mass of the kernel inside [lo, hi] */
    double *log_norm;   /* continuous: log sigma + log sqrt(2 pi) + log_accept */
    size_t n_choices;
    double *prob, *log_prob; /* categorical: rows of n_choices per component */
} tpe_kernel_dim;

typedef struct tpe_parzen {
    size_t n_components, n_dims;
    double *weights, *log_weights, *cum_weights;
    tpe_kernel_dim *dims;
} tpe_parzen;

/* Builds the estimator of the n_obs observations (row-major n_obs x
 * space->count internal values) with raw weights obs_weights (n_obs
 * non-negative numbers; the prior weight is appended and the whole
 * normalised). */
int tpe_parzen_build(tpe_parzen *pe, const igm_search_space *space, const double *obs,
                     size_t n_obs, const double *obs_weights, const tpe_parzen_params *p);
void tpe_parzen_free(tpe_parzen *pe);

/* Draws n points (row-major n x n_dims internal values, on the grid for
 * discrete parameters): a component by weight, then each parameter from
 * that component's kernel by inverse CDF. */
int tpe_parzen_sample(const tpe_parzen *pe, igm_rng *rng, size_t n, double *out);

/* log density (mass for discrete parameters) of n points.  Components
 * whose bound is more than 50 nats below the best one are left out of the
 * log-sum-exp (their share is below 1e-21). */
int tpe_parzen_log_pdf(const tpe_parzen *pe, const double *x, size_t n, double *out);

#endif
