/* Greedy hypervolume subset selection as TPE's multi-objective split uses
 * it (Optuna's _solve_hssp, OPTUNA-ALGORITHMS.md s2.3.1, s9.4), and TPE's
 * reference point for it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hypervolume.h"
#include "index_sort.h"

void igm_hssp_reference_point(const double *points, size_t n, size_t m, double *ref)
{
    for (size_t j = 0; j < m; j++) {
        double worst = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = points[i * m + j];
            if (isnan(v) || v > worst)
                worst = v;
            if (isnan(v))
                break; /* np.max propagates NaN */
        }
        double r = fmax(1.1 * worst, 0.9 * worst);
        if (isnan(worst))
            r = NAN;
        ref[j] = r == 0.0 ? 1e-12 : r;
    }
}

/* How a candidate row of HSSP contributes: nothing (outside the box), an
 * infinite volume (a -inf coordinate, the rest inside; Optuna picks those
 * first) or a finite one. */
enum { ROW_OUTSIDE, ROW_INFINITE, ROW_FINITE };

static int row_kind(const double *p, const double *ref, size_t m)
{
    int infinite = 0;
    for (size_t j = 0; j < m; j++) {
        if (isnan(p[j]) || !(p[j] < ref[j]))
            return ROW_OUTSIDE;
        infinite |= p[j] == -INFINITY;
    }
    return infinite ? ROW_INFINITE : ROW_FINITE;
}

/* HSSP state over the distinct rows u[0..count) in lexicographic order:
 * alive[0..n_alive) the unpicked rows, still in that order (argmax ties go
 * to the first), contrib[] their current contributions or upper bounds. */
typedef struct hssp {
    const double *u, *ref;
    size_t m, count;
    int *kind;
    double *contrib;
    size_t *alive, n_alive;
    double *chosen; /* picked finite rows and a candidate (2-D: the corners) */
    size_t n_chosen;
    igm_hv_work *w;
    double *limited; /* the picked rows limited by a candidate */
} hssp;

static size_t best_alive(const hssp *h)
{
    size_t best = 0;
    for (size_t a = 1; a < h->n_alive; a++)
        if (h->contrib[h->alive[a]] > h->contrib[h->alive[best]])
            best = a;
    return best;
}

static void remove_alive(hssp *h, size_t a)
{
    memmove(h->alive + a, h->alive + a + 1, (h->n_alive - a - 1) * sizeof *h->alive);
    h->n_alive--;
}

/* Two objectives on a staircase (Guerreiro, Fonseca, Paquete 2016; the
 * s9.4 2-D rule): a candidate's contribution is the rectangle between it
 * and its corner; picking a row lowers the x of the corners before it and
 * the y of those after it.  O(k n). */
static void greedy_staircase(hssp *h, size_t k, size_t *picked)
{
    double *corner = h->chosen; /* 2 per row, indexed by row */
    for (size_t g = 0; g < h->count; g++) {
        corner[2 * g] = h->ref[0];
        corner[2 * g + 1] = h->ref[1];
    }
    for (size_t s = 0; s < k; s++) {
        for (size_t a = 0; a < h->n_alive; a++) {
            size_t g = h->alive[a];
            const double *p = h->u + 2 * g;
            double v = (corner[2 * g] - p[0]) * (corner[2 * g + 1] - p[1]);
            h->contrib[g] = h->kind[g] == ROW_OUTSIDE || isnan(v) ? 0.0 : v;
        }
        size_t a = best_alive(h), t = h->alive[a];
        picked[s] = t;
        remove_alive(h, a);
        for (size_t b = 0; b < h->n_alive; b++) {
            size_t g = h->alive[b];
            if (b < a)
                corner[2 * g] = fmin(h->u[2 * t], corner[2 * g]);
            else
                corner[2 * g + 1] = fmin(h->u[2 * t + 1], corner[2 * g + 1]);
        }
    }
}

/* The exact contribution of row g given the picked rows: for <= 3
 * objectives HV(S + g) - HV(S) with HV(S) the running sum of picks, else
 * igm_hv_box(g) - HV(S limited by g), as Optuna computes them. */
static double exact_contribution(hssp *h, size_t g, double hv_chosen)
{
    const double *p = h->u + h->m * g;
    size_t m = h->m;
    if (m <= 3) {
        memcpy(h->chosen + m * h->n_chosen, p, m * sizeof *p);
        return igm_hv_work_volume(h->w, h->chosen, h->n_chosen + 1) - hv_chosen;
    }
    double *out = h->limited;
    for (size_t s = 0; s < h->n_chosen; s++)
        for (size_t j = 0; j < m; j++) {
            double c = h->chosen[m * s + j];
            out[m * s + j] = c > p[j] ? c : p[j];
        }
    return igm_hv_box(p, h->ref, m) - igm_hv_work_volume(h->w, h->limited, h->n_chosen);
}

static int by_contribution_descending(size_t a, size_t b, const void *ctx)
{
    const double *contrib = ctx;
    return (contrib[a] < contrib[b]) - (contrib[a] > contrib[b]);
}

/* Lazy greedy (s9.4): contributions only shrink as rows are picked
 * (submodularity), so each is first capped by the cheap pairwise bound
 * igm_hv_box(g) - igm_hv_box(max(g, newest pick)), then recomputed exactly in
 * decreasing order of the bounds, skipping those already below the best
 * exact value. */
static void lazy_update(hssp *h, size_t newest, double hv_chosen, size_t *order, size_t *tmp)
{
    size_t m = h->m, n_order = 0;
    const double *t = h->u + m * newest;
    for (size_t a = 0; a < h->n_alive; a++) {
        size_t g = h->alive[a];
        if (h->kind[g] != ROW_FINITE)
            continue;
        const double *p = h->u + m * g;
        double incl = igm_hv_box(p, h->ref, m), both = 1.0;
        for (size_t j = 0; j < m; j++)
            both *= h->ref[j] - (p[j] > t[j] ? p[j] : t[j]);
        if (incl - both < h->contrib[g])
            h->contrib[g] = incl - both;
        order[n_order++] = g;
    }
    igm_index_sort(order, n_order, by_contribution_descending, h->contrib, tmp);
    double best = 0.0;
    for (size_t o = 0; o < n_order && !(h->contrib[order[o]] < best); o++) {
        size_t g = order[o];
        h->contrib[g] = exact_contribution(h, g, hv_chosen);
        if (h->contrib[g] > best)
            best = h->contrib[g];
    }
}

static int greedy_lazy(hssp *h, size_t k, size_t *picked)
{
    size_t *order = malloc(h->count * sizeof *order), *tmp = malloc(h->count * sizeof *tmp);
    double hv_chosen = 0.0;
    if (!order || !tmp) {
        free(order);
        free(tmp);
        return igm_error_nomem();
    }
    for (size_t g = 0; g < h->count; g++)
        h->contrib[g] = h->kind[g] == ROW_FINITE     ? igm_hv_box(h->u + h->m * g, h->ref, h->m)
                        : h->kind[g] == ROW_INFINITE ? INFINITY
                                                     : 0.0;
    for (size_t s = 0; s < k; s++) {
        size_t a = best_alive(h), t = h->alive[a];
        picked[s] = t;
        hv_chosen += h->contrib[t];
        remove_alive(h, a);
        if (s + 1 == k)
            break;
        if (isinf(hv_chosen)) { /* Optuna: every contribution is inf from now on */
            for (size_t b = 0; b < h->n_alive; b++)
                h->contrib[h->alive[b]] = INFINITY;
            continue;
        }
        if (h->kind[t] != ROW_FINITE)
            continue; /* picking an outside row changes nothing */
        memcpy(h->chosen + h->m * h->n_chosen++, h->u + h->m * t, h->m * sizeof *h->u);
        lazy_update(h, t, hv_chosen, order, tmp);
    }
    free(order);
    free(tmp);
    return IGMOPT_OK;
}

static int is_staircase(const double *u, size_t count)
{
    for (size_t g = 1; g < count; g++)
        if (!(u[2 * g + 1] < u[2 * g - 1]))
            return 0;
    return 1;
}

static int all_finite(const double *v, size_t m)
{
    for (size_t j = 0; j < m; j++)
        if (!isfinite(v[j]))
            return 0;
    return 1;
}

/* The greedy proper on distinct rows (count > k); picked[] are rows. */
static int hssp_distinct(const double *u, size_t count, size_t m, const double *ref, size_t k,
                         size_t *picked)
{
    hssp h = {.u = u, .ref = ref, .m = m, .count = count, .n_alive = count};
    int rc = IGMOPT_OK;
    h.kind = malloc(count * sizeof *h.kind);
    h.contrib = malloc(count * sizeof *h.contrib);
    h.alive = malloc(count * sizeof *h.alive);
    h.chosen = malloc((count + 1) * (m > 2 ? m : 2) * sizeof *h.chosen);
    h.limited = malloc(count * m * sizeof *h.limited);
    if (!h.kind || !h.contrib || !h.alive || !h.chosen || !h.limited) {
        rc = igm_error_nomem();
        goto cleanup;
    }
    if ((rc = igm_hv_work_new(m, count + 1, ref, &h.w)))
        goto cleanup;
    for (size_t g = 0; g < count; g++) {
        h.kind[g] = row_kind(u + m * g, ref, m);
        h.alive[g] = g;
    }
    if (m == 2 && is_staircase(u, count))
        greedy_staircase(&h, k, picked);
    else
        rc = greedy_lazy(&h, k, picked);
cleanup:
    igm_hv_work_free(h.w);
    free(h.limited);
    free(h.kind);
    free(h.contrib);
    free(h.alive);
    free(h.chosen);
    return rc;
}

int igm_hssp(const double *points, size_t n, size_t m, const double *ref, size_t k,
             size_t *selected)
{
    if (k > n)
        return igm_error(IGMOPT_EINVAL, "hssp: subset size %zu > %zu points", k, n);
    if (m == 0)
        return igm_error(IGMOPT_EINVAL, "hssp: no objectives");
    if (k == n) {
        for (size_t i = 0; i < n; i++)
            selected[i] = i;
        return IGMOPT_OK;
    }
    if (k == 0)
        return IGMOPT_OK;
    size_t *order = malloc(n * sizeof *order), *tmp = malloc(n * sizeof *tmp);
    size_t *first = malloc(n * sizeof *first), *picked = malloc(n * sizeof *picked);
    double *u = malloc(n * m * sizeof *u);
    unsigned char *is_first = calloc(n, 1);
    size_t count = 0;
    int rc = IGMOPT_OK;
    if (!order || !tmp || !first || !picked || !u || !is_first) {
        rc = igm_error_nomem();
        goto cleanup;
    }
    /* Distinct rows in lexicographic order (np.unique), each standing for
     * its lowest index. */
    igm_rows rows = {points, m};
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    igm_index_sort(order, n, igm_rows_lex_cmp, &rows, tmp);
    for (size_t q = 0; q < n; q++)
        if (q == 0 || igm_rows_lex_cmp(order[q - 1], order[q], &rows) != 0) {
            memcpy(u + m * count, points + m * order[q], m * sizeof *u);
            is_first[order[q]] = 1;
            first[count++] = order[q];
        }
    if (count < k) { /* all distinct rows, then the earliest duplicates */
        size_t extra = k - count, s = 0;
        for (size_t i = 0; i < n; i++)
            if (is_first[i] || (extra > 0 && extra--))
                selected[s++] = i;
    } else if (count == k || !all_finite(ref, m)) {
        for (size_t s = 0; s < k; s++)
            selected[s] = first[s];
    } else if ((rc = hssp_distinct(u, count, m, ref, k, picked)) == IGMOPT_OK) {
        for (size_t s = 0; s < k; s++)
            selected[s] = first[picked[s]];
    }
cleanup:
    free(order);
    free(tmp);
    free(first);
    free(picked);
    free(u);
    free(is_first);
    return rc;
}
