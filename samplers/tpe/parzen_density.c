/* Densities of TPE's Parzen estimator (OPTUNA-ALGORITHMS.md s2.5.2): a
 * log-sum-exp over components of the product of truncated-normal densities
 * (continuous), truncated-normal cell masses (discrete) and categorical
 * rows.  Terms that cannot reach within TPE_PRUNE_NATS of a known term are
 * skipped: by a per-component bound (cheap parts exact, cell masses bounded
 * by width times peak), and in large estimators by per-block bounds along
 * one numeric parameter, so a point costs about the components near it. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/normal.h"
#include "parzen_estimator.h"

/* One point, prepared per parameter. */
typedef struct point {
    double *u;             /* continuous: the kernel coordinate */
    double *ulo, *uhi;     /* discrete: the grid cell in u */
    double *log_width;     /* discrete: log(cell width) - log sqrt(2 pi) */
    size_t *choice;        /* categorical: the index */
    int outside;           /* off the support of some parameter: density 0 */
    tpe_mass_memo *memo;   /* NULL: every mass computed */
} point;

/* Cell masses repeat: candidates share grid values, and components on the
 * clip floor share sigma with mu on the grid, so (a, b) pairs come back.
 * A direct-mapped table of igm_log_gauss_mass results, keyed by the exact
 * arguments, so a hit returns the same bits. */
#define MEMO_SIZE 1024

struct tpe_mass_memo {
    double a[MEMO_SIZE], b[MEMO_SIZE], v[MEMO_SIZE];
};

tpe_mass_memo *tpe_mass_memo_new(igm_arena *arena)
{
    tpe_mass_memo *memo = igm_arena_alloc(arena, sizeof *memo);
    for (size_t i = 0; memo && i < MEMO_SIZE; i++)
        memo->a[i] = NAN; /* matches no argument */
    return memo;
}

static size_t memo_slot(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    x ^= y * 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    return (size_t)(x >> 40) & (MEMO_SIZE - 1);
}

double tpe_log_mass(tpe_mass_memo *memo, double a, double b)
{
    size_t i;
    if (!memo)
        return igm_log_gauss_mass(a, b);
    i = memo_slot(a, b);
    if (memo->a[i] != a || memo->b[i] != b) {
        memo->a[i] = a;
        memo->b[i] = b;
        memo->v[i] = igm_log_gauss_mass(a, b);
    }
    return memo->v[i];
}

static int point_alloc(igm_arena *arena, size_t d, point *pt)
{
    double *block = igm_arena_array(arena, 4 * d, sizeof *block);
    pt->choice = igm_arena_array(arena, d, sizeof *pt->choice);
    if (!block || !pt->choice)
        return igm_error_nomem();
    pt->u = block;
    pt->ulo = block + d;
    pt->uhi = block + 2 * d;
    pt->log_width = block + 3 * d;
    return IGMOPT_OK;
}

static void point_prepare(const tpe_parzen *pe, const double *x, point *pt)
{
    pt->outside = 0;
    for (size_t j = 0; j < pe->n_dims; j++) {
        const tpe_kernel_dim *dim = &pe->dims[j];
        if (dim->kind == TPE_KERNEL_CATEGORICAL) {
            pt->outside |= !(x[j] >= 0 && x[j] < (double)dim->n_choices);
            pt->choice[j] = pt->outside ? 0 : (size_t)x[j];
        } else if (dim->kind == TPE_KERNEL_CONTINUOUS) {
            pt->u[j] = dim->log ? log(x[j]) : x[j];
            pt->outside |= !(pt->u[j] >= dim->lo && pt->u[j] <= dim->hi);
        } else { /* the grid cell of x, inside [lo, hi] */
            double lo = dim->log ? log(x[j] - 0.5) : x[j] - 0.5 * dim->step;
            double hi = dim->log ? log(x[j] + 0.5) : x[j] + 0.5 * dim->step;
            pt->ulo[j] = lo > dim->lo ? lo : dim->lo;
            pt->uhi[j] = hi < dim->hi ? hi : dim->hi;
            pt->outside |= !(pt->ulo[j] < pt->uhi[j]);
            pt->log_width[j] = pt->outside ? 0 : log(pt->uhi[j] - pt->ulo[j]) - IGM_LOG_SQRT_2PI;
        }
    }
}

/* Component k's exact log term without the cell masses; *bound gets an
 * upper bound of their sum: width times the kernel's peak over the cell,
 * relative to the mass inside the bounds. */
static double partial_term(const tpe_parzen *pe, const point *pt, size_t k, double *bound)
{
    double t = pe->log_weights[k], b = 0;
    for (size_t j = 0; j < pe->n_dims; j++) {
        const tpe_kernel_dim *dim = &pe->dims[j];
        if (dim->kind == TPE_KERNEL_CONTINUOUS) {
            double z = (pt->u[j] - dim->mu[k]) * dim->inv_sigma[k];
            t += -0.5 * z * z - dim->log_norm[k];
        } else if (dim->kind == TPE_KERNEL_CATEGORICAL) {
            t += dim->log_prob[k * dim->n_choices + pt->choice[j]];
        } else {
            double mu = dim->mu[k], gap = 0, z, peak;
            if (pt->ulo[j] > mu)
                gap = pt->ulo[j] - mu;
            else if (mu > pt->uhi[j])
                gap = mu - pt->uhi[j];
            z = gap * dim->inv_sigma[k];
            peak = pt->log_width[j] - dim->log_sigma[k] - 0.5 * z * z;
            b += (peak < 0 ? peak : 0) - dim->log_accept[k];
        }
    }
    *bound = b;
    return t;
}

/* The exact log cell masses of component k, relative to its mass inside
 * the bounds. */
static double discrete_terms(const tpe_parzen *pe, const point *pt, size_t k)
{
    double t = 0;
    for (size_t j = 0; j < pe->n_dims; j++) {
        const tpe_kernel_dim *dim = &pe->dims[j];
        if (dim->kind != TPE_KERNEL_DISCRETE)
            continue;
        double mu = dim->mu[k], inv = dim->inv_sigma[k];
        t += tpe_log_mass(pt->memo, (pt->ulo[j] - mu) * inv, (pt->uhi[j] - mu) * inv) -
             dim->log_accept[k];
    }
    return t;
}

static double exact_term(const tpe_parzen *pe, const point *pt, size_t k)
{
    double bound;
    return partial_term(pe, pt, k, &bound) + discrete_terms(pe, pt, k);
}

static double log_sum_exp(const double *t, size_t n)
{
    double m = -INFINITY, sum = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] > m) /* NaN never */
            m = t[i];
    if (m == -INFINITY) /* every component has probability 0: -inf, as Optuna */
        return -INFINITY;
    if (isinf(m))
        return m;
    for (size_t i = 0; i < n; i++)
        if (t[i] >= m - TPE_PRUNE_NATS)
            sum += exp(t[i] - m);
    return m + log(sum);
}

/* Small estimators: bound every component, then exact terms for those
 * that can matter next to the best-bounded one. */
static double log_pdf_bounded(const tpe_parzen *pe, const point *pt, double *terms,
                              double *partial)
{
    size_t K = pe->n_components, best = 0, n = 0;
    double best_bound = -INFINITY, threshold;
    for (size_t k = 0; k < K; k++) {
        double bound;
        partial[k] = partial_term(pe, pt, k, &bound);
        terms[k] = partial[k] + bound;
        if (terms[k] > best_bound) {
            best_bound = terms[k];
            best = k;
        }
    }
    if (best_bound == -INFINITY)
        return -INFINITY;
    threshold = partial[best] + discrete_terms(pe, pt, best) - TPE_PRUNE_NATS;
    for (size_t k = 0; k < K; k++)
        if (!(terms[k] < threshold))
            terms[n++] = partial[k] + discrete_terms(pe, pt, k);
    return log_sum_exp(terms, n);
}

/* Distance from [lo, hi] to the point along the window parameter. */
static double window_gap(const point *pt, size_t j, int continuous, double lo, double hi)
{
    double plo = continuous ? pt->u[j] : pt->ulo[j], phi = continuous ? pt->u[j] : pt->uhi[j];
    if (plo > hi)
        return plo - hi;
    if (phi < lo)
        return lo - phi;
    return 0;
}

/* First position in the window order whose mu is >= v. */
static size_t window_position(const tpe_window *win, double v)
{
    size_t lo = 0, hi = win->n_order;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (win->mu[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct window_walk {
    double threshold; /* the best exact term so far minus TPE_PRUNE_NATS */
    double *terms;
    size_t n;
} window_walk;

static void keep_term(window_walk *w, double t)
{
    if (!(t > -INFINITY))
        return;
    w->terms[w->n++] = t;
    if (t - TPE_PRUNE_NATS > w->threshold)
        w->threshold = t - TPE_PRUNE_NATS;
}

/* Whether component k can reach the threshold, given its cap with the
 * window parameter's term already applied (running): each other parameter
 * lowers the cap to its bound, stopping as soon as it falls short. */
static int may_reach(const tpe_parzen *pe, const point *pt, size_t k, size_t window_dim,
                     double running, double threshold)
{
    for (size_t j = 0; j < pe->n_dims; j++) {
        const tpe_kernel_dim *dim = &pe->dims[j];
        if (j == window_dim)
            continue;
        if (dim->kind == TPE_KERNEL_CONTINUOUS) {
            double z = (pt->u[j] - dim->mu[k]) * dim->inv_sigma[k];
            running -= 0.5 * z * z;
        } else if (dim->kind == TPE_KERNEL_CATEGORICAL) {
            running += dim->log_prob[k * dim->n_choices + pt->choice[j]] - dim->log_prob_max[k];
        } else { /* the cell's bound against the cap's widest-cell bound */
            double mu = dim->mu[k], gap = 0, z, peak, top;
            if (pt->ulo[j] > mu)
                gap = pt->ulo[j] - mu;
            else if (mu > pt->uhi[j])
                gap = mu - pt->uhi[j];
            z = gap * dim->inv_sigma[k];
            peak = pt->log_width[j] - dim->log_sigma[k] - 0.5 * z * z;
            top = dim->log_max_width - dim->log_sigma[k] - IGM_LOG_SQRT_2PI;
            running += (peak < 0 ? peak : 0) - (top < 0 ? top : 0);
        }
        if (running < threshold)
            return 0;
    }
    return 1;
}

/* The components of block b that can reach the threshold: first by their
 * cap and the window parameter alone, then parameter by parameter. */
static void visit_block(const tpe_parzen *pe, const point *pt, size_t b, window_walk *w)
{
    const tpe_window *win = pe->window;
    int continuous = pe->dims[win->dim].kind == TPE_KERNEL_CONTINUOUS;
    size_t j = win->dim, end = (b + 1) * TPE_WINDOW_BLOCK;
    double gap = window_gap(pt, j, continuous, win->block_lo[b], win->block_hi[b]);
    double z = gap / win->block_max_sigma[b];
    if (win->block_cap[b] - 0.5 * z * z < w->threshold)
        return;
    if (end > win->n_order)
        end = win->n_order;
    for (size_t s = b * TPE_WINDOW_BLOCK; s < end; s++) {
        double mu = win->mu[s];
        double running;
        z = window_gap(pt, j, continuous, mu, mu) * win->inv_sigma[s];
        running = win->cap[s] - 0.5 * z * z;
        if (running < w->threshold || !may_reach(pe, pt, win->order[s], j, running, w->threshold))
            continue;
        keep_term(w, exact_term(pe, pt, win->order[s]));
    }
}

/* Large estimators: the blocks outward from the point along the window
 * parameter, nearest first, so that the best terms come early and the
 * threshold they set skips the far blocks whole. */
static double log_pdf_windowed(const tpe_parzen *pe, const point *pt, double *terms)
{
    const tpe_window *win = pe->window;
    const tpe_kernel_dim *dim = &pe->dims[win->dim];
    int continuous = dim->kind == TPE_KERNEL_CONTINUOUS;
    size_t j = win->dim, right, left;
    double v = continuous ? pt->u[j] : 0.5 * (pt->ulo[j] + pt->uhi[j]);
    window_walk w = {-INFINITY, terms, 0};
    keep_term(&w, exact_term(pe, pt, pe->n_components - 1)); /* the prior */
    right = window_position(win, v) / TPE_WINDOW_BLOCK;
    if (right >= win->n_blocks)
        right = win->n_blocks - 1;
    left = right; /* blocks [left, right) done once the first is visited */
    visit_block(pe, pt, right++, &w);
    while (left > 0 || right < win->n_blocks) {
        double gl = left > 0 ? window_gap(pt, j, continuous, win->block_lo[left - 1],
                                          win->block_hi[left - 1])
                             : INFINITY;
        double gr = right < win->n_blocks ? window_gap(pt, j, continuous, win->block_lo[right],
                                                       win->block_hi[right])
                                          : INFINITY;
        if (gl <= gr)
            visit_block(pe, pt, --left, &w);
        else
            visit_block(pe, pt, right++, &w);
    }
    return log_sum_exp(terms, w.n);
}

int tpe_parzen_log_pdf(const tpe_parzen *pe, const double *x, size_t n, double *out)
{
    size_t d = pe->n_dims;
    double *terms = igm_arena_array(pe->arena, 2 * pe->n_components, sizeof *terms);
    point pt;
    int rc = terms ? point_alloc(pe->arena, d, &pt) : igm_error_nomem();
    pt.memo = pe->memo;
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++) {
        point_prepare(pe, x + i * d, &pt);
        if (pt.outside)
            out[i] = -INFINITY;
        else if (pe->window)
            out[i] = log_pdf_windowed(pe, &pt, terms);
        else
            out[i] = log_pdf_bounded(pe, &pt, terms, terms + pe->n_components);
    }
    return rc;
}

int tpe_parzen_log_pdf_exact(const tpe_parzen *pe, const double *x, size_t n, double *out)
{
    double *terms = igm_arena_array(pe->arena, pe->n_components, sizeof *terms);
    point pt;
    int rc = terms ? point_alloc(pe->arena, pe->n_dims, &pt) : igm_error_nomem();
    pt.memo = NULL;
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++) {
        double m = -INFINITY, sum = 0;
        point_prepare(pe, x + i * pe->n_dims, &pt);
        if (pt.outside) {
            out[i] = -INFINITY;
            continue;
        }
        for (size_t k = 0; k < pe->n_components; k++) {
            terms[k] = exact_term(pe, &pt, k);
            m = terms[k] > m ? terms[k] : m;
        }
        for (size_t k = 0; m > -INFINITY && k < pe->n_components; k++)
            sum += exp(terms[k] - m);
        out[i] = m > -INFINITY ? m + log(sum) : -INFINITY;
    }
    return rc;
}
