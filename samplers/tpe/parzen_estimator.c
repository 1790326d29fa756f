/* TPE's Parzen estimator ([H] rules of OPTUNA-ALGORITHMS.md s2.4-s2.5):
 * neighbour-gap bandwidths in u space with the magic clip, a prior
 * component, truncated-normal densities, grid-cell masses for discrete
 * parameters, categorical rows, and sampling by inverse CDF. */
#include "parzen_estimator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/normal.h"

#define TPE_EPS 1e-12      /* sigma floor without the magic clip (Optuna's EPS) */
#define PRUNE_NATS 50.0    /* log-sum-exp terms this far below the best are < 2e-22 of it */
#define INSERTION_SORT_MAX 16

/* ---- bandwidths ------------------------------------------------------- */

typedef struct mu_index {
    double v;
    size_t i;
} mu_index;

/* Ties by index: the bandwidths do not depend on how a sort orders them. */
static int mu_less(const mu_index *a, const mu_index *b)
{
    return a->v < b->v || (a->v == b->v && a->i < b->i);
}

static void mu_swap(mu_index *a, mu_index *b)
{
    mu_index t = *a;
    *a = *b;
    *b = t;
}

static void insertion_sort(mu_index *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        mu_index x = a[i];
        size_t j = i;
        for (; j > 0 && mu_less(&x, &a[j - 1]); j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Quicksort (median of three, Lomuto partition, loop on the larger side). */
static void sort_mu(mu_index *a, size_t n)
{
    while (n > INSERTION_SORT_MAX) {
        size_t mid = n / 2, store = 0;
        if (mu_less(&a[mid], &a[0]))
            mu_swap(&a[mid], &a[0]);
        if (mu_less(&a[n - 1], &a[0]))
            mu_swap(&a[n - 1], &a[0]);
        if (mu_less(&a[mid], &a[n - 1]))
            mu_swap(&a[mid], &a[n - 1]); /* the median is now the pivot at n - 1 */
        for (size_t i = 0; i + 1 < n; i++)
            if (mu_less(&a[i], &a[n - 1]))
                mu_swap(&a[i], &a[store++]);
        mu_swap(&a[store], &a[n - 1]);
        if (store < n - store - 1) {
            sort_mu(a, store);
            a += store + 1;
            n -= store + 1;
        } else {
            sort_mu(a + store + 1, n - store - 1);
            n = store;
        }
    }
    insertion_sort(a, n);
}

/* [H] bandwidths (s2.5.1): the larger gap to the sorted neighbours, the
 * domain ends padding the list; unless consider_endpoints, the extreme
 * observations use their inner gap only; then the clip.  The prior mean
 * takes no part (it did up to Optuna 4.8). */
static void neighbour_gap_sigmas(const double *mu, size_t n, double lo, double hi,
                                 const tpe_parzen_params *p, mu_index *tmp, double *sigma)
{
    double min_sigma = p->consider_magic_clip ? (hi - lo) / fmin(100.0, (double)n + 2.0)
                                              : TPE_EPS;
    double max_sigma = hi - lo;
    for (size_t k = 0; k < n; k++) {
        tmp[k].v = mu[k];
        tmp[k].i = k;
    }
    sort_mu(tmp, n);
    for (size_t s = 0; s < n; s++) {
        double left = s == 0 ? lo : tmp[s - 1].v, right = s + 1 == n ? hi : tmp[s + 1].v;
        double gap = fmax(tmp[s].v - left, right - tmp[s].v);
        if (!p->consider_endpoints && n >= 2) {
            if (s == 0)
                gap = tmp[1].v - tmp[0].v;
            else if (s + 1 == n)
                gap = tmp[s].v - tmp[s - 1].v;
        }
        sigma[tmp[s].i] = fmin(fmax(gap, min_sigma), max_sigma);
    }
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

static int build_numeric(tpe_kernel_dim *dim, const igm_distribution *d, const double *obs,
                         size_t stride, size_t n_obs, const tpe_parzen_params *p,
                         mu_index *tmp)
{
    size_t K = n_obs + 1;
    double *block = malloc(6 * K * sizeof *block);
    if (!block)
        return igm_error_nomem();
    numeric_bounds(dim, d);
    dim->mu = block;
    dim->sigma = block + K;
    dim->inv_sigma = block + 2 * K;
    dim->log_sigma = block + 3 * K;
    dim->log_accept = block + 4 * K;
    dim->log_norm = block + 5 * K;
    for (size_t k = 0; k < n_obs; k++)
        dim->mu[k] = dim->log ? log(obs[k * stride]) : obs[k * stride];
    neighbour_gap_sigmas(dim->mu, n_obs, dim->lo, dim->hi, p, tmp, dim->sigma);
    dim->mu[n_obs] = 0.5 * (dim->lo + dim->hi);
    dim->sigma[n_obs] = dim->hi - dim->lo;
    for (size_t k = 0; k < K; k++) {
        double s = dim->sigma[k];
        dim->inv_sigma[k] = 1.0 / s;
        dim->log_sigma[k] = log(s);
        dim->log_accept[k] = igm_log_gauss_mass((dim->lo - dim->mu[k]) / s,
                                                (dim->hi - dim->mu[k]) / s);
        dim->log_norm[k] = dim->log_sigma[k] + IGM_LOG_SQRT_2PI + dim->log_accept[k];
    }
    return IGMOPT_OK;
}

/* s2.5.3: prior_weight / (n + 1) on every choice plus 1 on the observed
 * one, normalised; the prior row uniform. */
static int build_categorical(tpe_kernel_dim *dim, const igm_distribution *d, const double *obs,
                             size_t stride, size_t n_obs, const tpe_parzen_params *p)
{
    size_t K = n_obs + 1, C = d->n_choices;
    double fill = n_obs ? p->prior_weight / (double)(n_obs + 1) : 0.0;
    dim->kind = TPE_KERNEL_CATEGORICAL;
    dim->n_choices = C;
    dim->prob = malloc(2 * K * C * sizeof *dim->prob);
    if (!dim->prob)
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
    for (size_t i = 0; i < K * C; i++)
        dim->log_prob[i] = log(dim->prob[i]);
    return IGMOPT_OK;
}

static int build_weights(tpe_parzen *pe, const double *obs_weights, size_t n_obs,
                         double prior_weight)
{
    size_t K = n_obs + 1;
    double sum = prior_weight;
    pe->weights = malloc(3 * K * sizeof *pe->weights);
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

int tpe_parzen_build(tpe_parzen *pe, const igm_search_space *space, const double *obs,
                     size_t n_obs, const double *obs_weights, const tpe_parzen_params *p)
{
    size_t d = space->count;
    mu_index *tmp = malloc((n_obs ? n_obs : 1) * sizeof *tmp);
    int rc = tmp ? IGMOPT_OK : igm_error_nomem();
    memset(pe, 0, sizeof *pe);
    pe->n_components = n_obs + 1;
    pe->n_dims = d;
    if (rc == IGMOPT_OK)
        rc = build_weights(pe, obs_weights, n_obs, p->prior_weight);
    if (rc == IGMOPT_OK && !(pe->dims = calloc(d ? d : 1, sizeof *pe->dims)))
        rc = igm_error_nomem();
    for (size_t j = 0; rc == IGMOPT_OK && j < d; j++) {
        const igm_distribution *dist = space->dists[j];
        pe->dims[j].dist = dist;
        if (dist->kind == IGM_DIST_CATEGORICAL)
            rc = build_categorical(&pe->dims[j], dist, obs + j, d, n_obs, p);
        else
            rc = build_numeric(&pe->dims[j], dist, obs + j, d, n_obs, p, tmp);
    }
    free(tmp);
    if (rc)
        tpe_parzen_free(pe);
    return rc;
}

void tpe_parzen_free(tpe_parzen *pe)
{
    for (size_t j = 0; pe->dims && j < pe->n_dims; j++) {
        free(pe->dims[j].mu);
        free(pe->dims[j].prob);
    }
    free(pe->dims);
    free(pe->weights);
    memset(pe, 0, sizeof *pe);
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
    size_t d = pe->n_dims, *comp = malloc((n ? n : 1) * sizeof *comp);
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
    free(comp);
    return IGMOPT_OK;
}

/* ---- densities -------------------------------------------------------- */

/* The u interval of the grid cell of x, inside [lo, hi]. */
static void discrete_cell(const tpe_kernel_dim *dim, double x, double *ulo, double *uhi)
{
    if (dim->log) {
        *ulo = log(x - 0.5);
        *uhi = log(x + 0.5);
    } else {
        *ulo = x - 0.5 * dim->step;
        *uhi = x + 0.5 * dim->step;
    }
    *ulo = fmax(*ulo, dim->lo);
    *uhi = fmin(*uhi, dim->hi);
}

/* base[k] += log kernel of x for a continuous or categorical parameter. */
static void add_exact_terms(const tpe_kernel_dim *dim, size_t K, double x, double *base)
{
    if (dim->kind == TPE_KERNEL_CATEGORICAL) {
        size_t c = x >= 0 && x < (double)dim->n_choices ? (size_t)x : 0;
        for (size_t k = 0; k < K; k++)
            base[k] += dim->log_prob[k * dim->n_choices + c];
        return;
    }
    double u = dim->log ? log(x) : x;
    if (!(u >= dim->lo && u <= dim->hi)) { /* outside the truncation: density 0 */
        for (size_t k = 0; k < K; k++)
            base[k] = -INFINITY;
        return;
    }
    for (size_t k = 0; k < K; k++) {
        double z = (u - dim->mu[k]) * dim->inv_sigma[k];
        base[k] += -0.5 * z * z - dim->log_norm[k];
    }
}

/* bound[k] += an upper bound of the log cell mass (relative to the mass
 * in [lo, hi]): width times the kernel's peak over the cell. */
static void add_discrete_bounds(const tpe_kernel_dim *dim, size_t K, double ulo, double uhi,
                                double *bound)
{
    double log_width = log(uhi - ulo) - IGM_LOG_SQRT_2PI;
    for (size_t k = 0; k < K; k++) {
        double mu = dim->mu[k];
        double gap = ulo > mu ? ulo - mu : (mu > uhi ? mu - uhi : 0.0);
        double z = gap * dim->inv_sigma[k];
        double b = log_width - dim->log_sigma[k] - 0.5 * z * z;
        bound[k] += (b < 0 ? b : 0.0) - dim->log_accept[k];
    }
}

static double discrete_log_mass(const tpe_kernel_dim *dim, size_t k, double ulo, double uhi)
{
    double mu = dim->mu[k], inv = dim->inv_sigma[k];
    return igm_log_gauss_mass((ulo - mu) * inv, (uhi - mu) * inv) - dim->log_accept[k];
}

typedef struct density_scratch {
    double *base, *bound, *terms, *ulo, *uhi;
} density_scratch;

static double exact_term(const tpe_parzen *pe, const density_scratch *s, size_t k)
{
    double t = s->base[k];
    for (size_t j = 0; j < pe->n_dims; j++)
        if (pe->dims[j].kind == TPE_KERNEL_DISCRETE)
            t += discrete_log_mass(&pe->dims[j], k, s->ulo[j], s->uhi[j]);
    return t;
}

static double log_sum_exp(const double *t, size_t n)
{
    double m = -INFINITY, sum = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] > m)
            m = t[i];
    if (m == -INFINITY) /* every component has probability 0 (or NaN): as Optuna, -inf */
        return -INFINITY;
    if (isinf(m))
        return m;
    for (size_t i = 0; i < n; i++)
        if (t[i] >= m - PRUNE_NATS)
            sum += exp(t[i] - m);
    return m + log(sum);
}

/* log pdf of one point once base (exact non-discrete part plus log
 * weight) and bound (discrete upper bounds) are filled. */
static double point_log_pdf(const tpe_parzen *pe, density_scratch *s, int has_discrete)
{
    size_t K = pe->n_components, best = 0, n_terms = 0;
    double best_bound = -INFINITY, threshold;
    if (!has_discrete)
        return log_sum_exp(s->base, K);
    for (size_t k = 0; k < K; k++) {
        double b = s->base[k] + s->bound[k];
        if (b > best_bound) {
            best_bound = b;
            best = k;
        }
    }
    if (best_bound == -INFINITY)
        return -INFINITY;
    /* The best exact term is at least this, so terms bounded below
     * threshold are negligible. */
    threshold = exact_term(pe, s, best) - PRUNE_NATS;
    for (size_t k = 0; k < K; k++)
        if (!(s->base[k] + s->bound[k] < threshold))
            s->terms[n_terms++] = exact_term(pe, s, k);
    return log_sum_exp(s->terms, n_terms);
}

int tpe_parzen_log_pdf(const tpe_parzen *pe, const double *x, size_t n, double *out)
{
    size_t K = pe->n_components, d = pe->n_dims;
    density_scratch s;
    int has_discrete = 0;
    double *block = malloc((3 * K + 2 * (d ? d : 1)) * sizeof *block);
    if (!block)
        return igm_error_nomem();
    s.base = block;
    s.bound = block + K;
    s.terms = block + 2 * K;
    s.ulo = block + 3 * K;
    s.uhi = s.ulo + (d ? d : 1);
    for (size_t j = 0; j < d; j++)
        has_discrete |= pe->dims[j].kind == TPE_KERNEL_DISCRETE;
    for (size_t i = 0; i < n; i++) {
        memcpy(s.base, pe->log_weights, K * sizeof *s.base);
        memset(s.bound, 0, K * sizeof *s.bound);
        for (size_t j = 0; j < d; j++) {
            const tpe_kernel_dim *dim = &pe->dims[j];
            if (dim->kind != TPE_KERNEL_DISCRETE) {
                add_exact_terms(dim, K, x[i * d + j], s.base);
                continue;
            }
            discrete_cell(dim, x[i * d + j], &s.ulo[j], &s.uhi[j]);
            if (!(s.ulo[j] < s.uhi[j])) { /* off the grid's range: mass 0 */
                for (size_t k = 0; k < K; k++)
                    s.base[k] = -INFINITY;
                continue;
            }
            add_discrete_bounds(dim, K, s.ulo[j], s.uhi[j], s.bound);
        }
        out[i] = point_log_pdf(pe, &s, has_discrete);
    }
    free(block);
    return IGMOPT_OK;
}
