/* TPE's Parzen estimator ([H] rules of OPTUNA-ALGORITHMS.md s2.4-s2.5):
 * neighbour-gap bandwidths in u space with the magic clip, a prior
 * component, truncated-normal densities, grid-cell masses for discrete
 * parameters, categorical rows, and sampling by inverse CDF (densities:
 * parzen_density.c). */
#include "parzen_estimator.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/normal.h"

#define TPE_EPS 1e-12      /* sigma floor without the magic clip (Optuna's EPS) */
#define RADIX_MIN 64        /* fewer keys: insertion sort */
#define LOG_ACCEPT_ONE 9.5 /* |a|, |b| beyond: log mass 1 - 2e-21, taken as 0 */

/* ---- bandwidths ------------------------------------------------------- */

typedef struct mu_key {
    uint64_t key; /* the value's bits, remapped so that unsigned order is numeric order */
    size_t i;
} mu_key;

static uint64_t sortable_bits(double v)
{
    uint64_t b;
    if (v == 0)
        v = 0.0; /* -0.0 and 0.0 tie */
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : b | 0x8000000000000000ull;
}

static void insertion_sort(mu_key *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        mu_key x = a[i];
        size_t j = i;
        for (; j > 0 && x.key < a[j - 1].key; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Stable LSD radix sort on the 8 bytes of the keys (digits every key
 * shares are skipped): O(n), and ties keep index order, so the bandwidths
 * do not depend on how a sort breaks them. */
static void sort_keys(mu_key *a, mu_key *tmp, size_t n)
{
    size_t count[8][256];
    mu_key *src = a, *dst = tmp;
    if (n < RADIX_MIN) {
        insertion_sort(a, n);
        return;
    }
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 8; d++)
            count[d][(a[i].key >> (8 * d)) & 255]++;
    for (int d = 0; d < 8; d++) {
        size_t offset = 0, *c = count[d];
        if (c[(a[0].key >> (8 * d)) & 255] == n)
            continue;
        for (int v = 0; v < 256; v++) {
            size_t k = c[v];
            c[v] = offset;
            offset += k;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i].key >> (8 * d)) & 255]++] = src[i];
        mu_key *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* [H] bandwidths (s2.5.1): the larger gap to the sorted neighbours, the
 * domain ends padding the list; unless consider_endpoints, the extreme
 * observations use their inner gap only; then the clip.  The prior mean
 * takes no part (it did up to Optuna 4.8). */
static void neighbour_gap_sigmas(const double *mu, const size_t *order, size_t n, double lo,
                                 double hi, const tpe_parzen_params *p, double *sigma)
{
    double min_sigma = p->consider_magic_clip ? (hi - lo) / fmin(100.0, (double)n + 2.0)
                                              : TPE_EPS;
    double max_sigma = hi - lo;
    for (size_t s = 0; s < n; s++) {
        double v = mu[order[s]];
        double left = s == 0 ? lo : mu[order[s - 1]], right = s + 1 == n ? hi : mu[order[s + 1]];
        double gap = v - left > right - v ? v - left : right - v;
        if (!p->consider_endpoints && n >= 2) {
            if (s == 0)
                gap = right - v;
            else if (s + 1 == n)
                gap = v - left;
        }
        sigma[order[s]] = gap < min_sigma ? min_sigma : (gap > max_sigma ? max_sigma : gap);
    }
}

/* order[0..n) = indices of mu in increasing order, ties by index. */
static int sort_order(igm_arena *arena, const double *mu, size_t n, size_t *order)
{
    mu_key *keys = igm_arena_array(arena, 2 * n, sizeof *keys);
    if (!keys)
        return igm_error_nomem();
    for (size_t k = 0; k < n; k++) {
        keys[k].key = sortable_bits(mu[k]);
        keys[k].i = k;
    }
    sort_keys(keys, keys + n, n);
    for (size_t k = 0; k < n; k++)
        order[k] = keys[k].i;
    return IGMOPT_OK;
}

/* ---- building --------------------------------------------------------- */

static void numeric_bounds(tpe_kernel_dim *dim, const igm_distribution *d)
{
    if (d->kind == IGM_DIST_FLOAT) {
        dim->low = d->low;
        dim->high = d->high;
        dim->log = d->log;
        if (d->step != 0) {
            dim->kind = TPE_KERNEL_DISCRETE;
            dim->step = d->step;
            dim->lo = d->low - 0.5 * d->step;
            dim->hi = d->high + 0.5 * d->step;
        } else {
            dim->kind = TPE_KERNEL_CONTINUOUS;
            dim->lo = d->log ? log(d->low) : d->low;
            dim->hi = d->log ? log(d->high) : d->high;
        }
        return;
    }
    dim->kind = TPE_KERNEL_DISCRETE;
    dim->low = (double)d->ilow;
    dim->high = (double)d->ihigh;
    dim->log = d->log;
    dim->step = d->log ? 1.0 : (double)d->istep;
    if (d->log) {
        dim->lo = log(dim->low - 0.5);
        dim->hi = log(dim->high + 0.5);
    } else {
        dim->lo = dim->low - 0.5 * dim->step;
        dim->hi = dim->high + 0.5 * dim->step;
    }
}

/* log(Phi(b) - Phi(a)) with the shortcut for kernels deep inside the
 * bounds: most components of a large estimator are, and the mass differs
 * from 1 by less than 2e-21 there. */
static double log_accept(tpe_mass_memo *memo, double a, double b)
{
    /* A tail beyond LOG_ACCEPT_ONE holds < 1.1e-21: leave it out, and with
     * it one erfc (log1p(-Phi(a) - Phi(-b)) is the central case's form). */
    if (a < -LOG_ACCEPT_ONE && b > LOG_ACCEPT_ONE)
        return 0.0;
    if (a < -LOG_ACCEPT_ONE && b > 0)
        return log1p(-igm_ndtr(-b));
    if (b > LOG_ACCEPT_ONE && a < 0)
        return log1p(-igm_ndtr(a));
    return tpe_log_mass(memo, a, b);
}

/* The widest grid cell in u: the step, or for log ints the first cell. */
static double max_log_cell_width(const tpe_kernel_dim *dim)
{
    if (dim->log)
        return log(log((dim->low + 0.5) / (dim->low - 0.5)));
    return log(dim->step);
}

static int build_numeric(tpe_kernel_dim *dim, igm_arena *arena, tpe_mass_memo *memo,
                         const igm_distribution *d, const double *obs, size_t stride,
                         size_t n_obs, const size_t *sorted, const tpe_parzen_params *p)
{
    size_t K = n_obs + 1;
    double *block = igm_arena_array(arena, 6 * K, sizeof *block), last_sigma = NAN, last_log = 0;
    dim->order = igm_arena_array(arena, n_obs, sizeof *dim->order);
    if (!block || !dim->order)
        return igm_error_nomem();
    numeric_bounds(dim, d);
    dim->mu = block;
    dim->sigma = block + K;
    dim->inv_sigma = block + 2 * K;
    dim->log_sigma = block + 3 * K;
    dim->log_accept = block + 4 * K;
    dim->log_norm = block + 5 * K;
    for (size_t k = 0; k < n_obs; k++)
        dim->mu[k] = obs[k * stride];
    if (sorted)
        memcpy(dim->order, sorted, n_obs * sizeof *dim->order);
    else if (sort_order(arena, dim->mu, n_obs, dim->order))
        return igm_error_nomem();
    neighbour_gap_sigmas(dim->mu, dim->order, n_obs, dim->lo, dim->hi, p, dim->sigma);
    dim->log_max_width = dim->kind == TPE_KERNEL_DISCRETE ? max_log_cell_width(dim) : 0;
    dim->mu[n_obs] = 0.5 * (dim->lo + dim->hi);
    dim->sigma[n_obs] = dim->hi - dim->lo;
    for (size_t k = 0; k < K; k++) {
        double s = dim->sigma[k];
        if (s != last_sigma) { /* most sigmas sit on the clip floor: one log */
            last_sigma = s;
            last_log = log(s);
        }
        dim->inv_sigma[k] = 1.0 / s;
        dim->log_sigma[k] = last_log;
        dim->log_accept[k] =
            log_accept(memo, (dim->lo - dim->mu[k]) / s, (dim->hi - dim->mu[k]) / s);
        dim->log_norm[k] = last_log + IGM_LOG_SQRT_2PI + dim->log_accept[k];
    }
    return IGMOPT_OK;
}

/* s2.5.3: prior_weight / (n + 1) on every choice plus 1 on the observed
 * one, normalised; the prior row uniform. */
static int build_categorical(tpe_kernel_dim *dim, igm_arena *arena, const igm_distribution *d,
                             const double *obs, size_t stride, size_t n_obs,
                             const tpe_parzen_params *p)
{
    size_t K = n_obs + 1, C = d->n_choices;
    double fill = n_obs ? p->prior_weight / (double)(n_obs + 1) : 0.0;
    dim->kind = TPE_KERNEL_CATEGORICAL;
    dim->n_choices = C;
    dim->prob = K * C <= SIZE_MAX / 2 ? igm_arena_array(arena, 2 * K * C, sizeof *dim->prob)
                                      : NULL;
    dim->log_prob_max = igm_arena_array(arena, K, sizeof *dim->log_prob_max);
    if (!dim->prob || !dim->log_prob_max)
        return igm_error_nomem();
    dim->log_prob = dim->prob + K * C;
    for (size_t k = 0; k < n_obs; k++) {
        double *row = dim->prob + k * C, v = obs[k * stride], sum = fill * (double)C;
        for (size_t c = 0; c < C; c++)
            row[c] = fill;
        if (v >= 0 && v < (double)C) {
            row[(size_t)v] += 1.0;
            sum += 1.0;
        }
        for (size_t c = 0; c < C; c++)
            row[c] = sum > 0 ? row[c] / sum : 0.0;
    }
    for (size_t c = 0; c < C; c++)
        dim->prob[n_obs * C + c] = 1.0 / (double)C;
    for (size_t k = 0; k < K; k++) {
        dim->log_prob_max[k] = -INFINITY;
        for (size_t c = 0; c < C; c++) {
            double lp = log(dim->prob[k * C + c]);
            dim->log_prob[k * C + c] = lp;
            dim->log_prob_max[k] = lp > dim->log_prob_max[k] ? lp : dim->log_prob_max[k];
        }
    }
    return IGMOPT_OK;
}

static int build_weights(tpe_parzen *pe, const double *obs_weights, size_t n_obs,
                         double prior_weight)
{
    size_t K = n_obs + 1;
    double sum = prior_weight;
    pe->weights = igm_arena_array(pe->arena, 3 * K, sizeof *pe->weights);
    if (!pe->weights)
        return igm_error_nomem();
    pe->log_weights = pe->weights + K;
    pe->cum_weights = pe->weights + 2 * K;
    for (size_t k = 0; k < n_obs; k++)
        sum += obs_weights[k];
    for (size_t k = 0; k < K; k++) {
        pe->weights[k] = (k < n_obs ? obs_weights[k] : prior_weight) / sum;
        pe->log_weights[k] = log(pe->weights[k]);
        pe->cum_weights[k] = (k ? pe->cum_weights[k - 1] : 0.0) + pe->weights[k];
    }
    for (size_t k = 0; k < K; k++) /* numpy's choice normalises the cumulative sum */
        pe->cum_weights[k] /= pe->cum_weights[K - 1];
    return IGMOPT_OK;
}

/* An upper bound of component k's log term over all points, except the
 * -z^2/2 of the window parameter, which the block bound applies. */
static double component_cap(const tpe_parzen *pe, size_t k, size_t window_dim)
{
    double cap = pe->log_weights[k];
    for (size_t j = 0; j < pe->n_dims; j++) {
        const tpe_kernel_dim *dim = &pe->dims[j];
        if (dim->kind == TPE_KERNEL_CONTINUOUS) {
            cap -= dim->log_norm[k];
        } else if (dim->kind == TPE_KERNEL_DISCRETE) {
            double a = dim->log_max_width - dim->log_sigma[k] - IGM_LOG_SQRT_2PI;
            /* min(0, a - z^2/2) <= min(0, a) off the window, <= max(0, a) - z^2/2 on it */
            cap += (j == window_dim ? (a > 0 ? a : 0) : (a < 0 ? a : 0)) - dim->log_accept[k];
        } else {
            cap += dim->log_prob_max[k];
        }
    }
    return cap;
}

static int build_window(tpe_parzen *pe, size_t n_obs)
{
    size_t w = 0, nb = (n_obs + TPE_WINDOW_BLOCK - 1) / TPE_WINDOW_BLOCK;
    tpe_window *win;
    const tpe_kernel_dim *dim;
    double *blocks, *by_position;
    while (w < pe->n_dims && pe->dims[w].kind == TPE_KERNEL_CATEGORICAL)
        w++;
    if (n_obs < TPE_WINDOW_MIN_OBS || w == pe->n_dims)
        return IGMOPT_OK;
    dim = &pe->dims[w];
    win = igm_arena_alloc(pe->arena, sizeof *win);
    blocks = igm_arena_array(pe->arena, 4 * nb, sizeof *blocks);
    by_position = igm_arena_array(pe->arena, 3 * n_obs, sizeof *by_position);
    if (!win || !blocks || !by_position)
        return igm_error_nomem();
    win->dim = w;
    win->order = dim->order;
    win->n_order = n_obs;
    win->mu = by_position;
    win->inv_sigma = by_position + n_obs;
    win->cap = by_position + 2 * n_obs;
    win->n_blocks = nb;
    win->block_lo = blocks;
    win->block_hi = blocks + nb;
    win->block_max_sigma = blocks + 2 * nb;
    win->block_cap = blocks + 3 * nb;
    for (size_t s = 0; s < n_obs; s++) {
        size_t k = win->order[s];
        win->mu[s] = dim->mu[k];
        win->inv_sigma[s] = dim->inv_sigma[k];
        win->cap[s] = component_cap(pe, k, w);
    }
    for (size_t b = 0; b < nb; b++) {
        size_t first = b * TPE_WINDOW_BLOCK, end = first + TPE_WINDOW_BLOCK;
        double max_sigma = 0, cap = -INFINITY;
        if (end > n_obs)
            end = n_obs;
        for (size_t s = first; s < end; s++) {
            double sigma = dim->sigma[win->order[s]];
            max_sigma = sigma > max_sigma ? sigma : max_sigma;
            cap = win->cap[s] > cap ? win->cap[s] : cap;
        }
        win->block_lo[b] = win->mu[first];
        win->block_hi[b] = win->mu[end - 1];
        win->block_max_sigma[b] = max_sigma;
        win->block_cap[b] = cap;
    }
    pe->window = win;
    return IGMOPT_OK;
}

int tpe_parzen_build(tpe_parzen *pe, igm_arena *arena, const igm_search_space *space,
                     const double *obs, size_t n_obs, const double *obs_weights,
                     const size_t *const *sorted, const tpe_parzen_params *p)
{
    size_t d = space->count;
    int rc;
    memset(pe, 0, sizeof *pe);
    pe->arena = arena;
    pe->n_components = n_obs + 1;
    pe->n_dims = d;
    if ((rc = build_weights(pe, obs_weights, n_obs, p->prior_weight)))
        return rc;
    if (!(pe->memo = tpe_mass_memo_new(arena)))
        return igm_error_nomem();
    if (!(pe->dims = igm_arena_array(arena, d, sizeof *pe->dims)))
        return igm_error_nomem();
    memset(pe->dims, 0, d * sizeof *pe->dims);
    for (size_t j = 0; j < d; j++) {
        const igm_distribution *dist = space->dists[j];
        pe->dims[j].dist = dist;
        if (dist->kind == IGM_DIST_CATEGORICAL)
            rc = build_categorical(&pe->dims[j], arena, dist, obs + j, d, n_obs, p);
        else
            rc = build_numeric(&pe->dims[j], arena, pe->memo, dist, obs + j, d, n_obs,
                               sorted ? sorted[j] : NULL, p);
        if (rc)
            return rc;
    }
    return build_window(pe, n_obs);
}

/* ---- sampling --------------------------------------------------------- */

/* numpy's searchsorted(cum, u, side="right"): the first k with cum[k] > u. */
static size_t first_above(const double *cum, size_t n, double u)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo < n ? lo : n - 1;
}

static double sample_categorical(const tpe_kernel_dim *dim, size_t k, double u)
{
    const double *row = dim->prob + k * dim->n_choices;
    double cum = 0;
    for (size_t c = 0; c + 1 < dim->n_choices; c++) {
        cum += row[c];
        if (!(cum < u))
            return (double)c;
    }
    return (double)(dim->n_choices - 1);
}

/* Python's round(): halves to even. */
static double round_half_even(double x)
{
    return nearbyint(x);
}

/* From the kernel coordinate u to the distribution's internal value:
 * discrete ones rounded to the grid relative to low (s2.5.5). */
static double u_to_internal(const tpe_kernel_dim *dim, double u)
{
    double x = dim->log ? exp(u) : u;
    if (dim->kind == TPE_KERNEL_DISCRETE) {
        if (dim->log)
            x = round_half_even(x);
        else
            x = dim->low + round_half_even((x - dim->low) / dim->step) * dim->step;
    }
    return fmin(fmax(x, dim->low), dim->high);
}

static double sample_numeric(const tpe_kernel_dim *dim, size_t k, double q)
{
    double mu = dim->mu[k], s = dim->sigma[k];
    double z = igm_truncnorm_ppf(q, (dim->lo - mu) / s, (dim->hi - mu) / s);
    double u = fmin(fmax(mu + s * z, dim->lo), dim->hi);
    return u_to_internal(dim, u);
}

int tpe_parzen_sample(const tpe_parzen *pe, igm_rng *rng, size_t n, double *out)
{
    size_t d = pe->n_dims, *comp = igm_arena_array(pe->arena, n, sizeof *comp);
    if (!comp)
        return igm_error_nomem();
    for (size_t i = 0; i < n; i++)
        comp[i] = first_above(pe->cum_weights, pe->n_components, igm_rng_uniform(rng));
    for (size_t j = 0; j < d; j++) {
        const tpe_kernel_dim *dim = &pe->dims[j];
        for (size_t i = 0; i < n; i++) {
            double u = igm_rng_uniform(rng);
            out[i * d + j] = dim->kind == TPE_KERNEL_CATEGORICAL
                                 ? sample_categorical(dim, comp[i], u)
                                 : sample_numeric(dim, comp[i], u);
        }
    }
    return IGMOPT_OK;
}
