/* Exact hypervolume (2-D sweep, 3-D dimension sweep, WFG beyond), exclusive
 * contributions and greedy hypervolume subset selection
 * (OPTUNA-ALGORITHMS.md s9.3, s9.4). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hypervolume.h"
#include "index_sort.h"

/* Scratch for one dimension d of the recursion: up to cap points of d
 * coordinates and the index arrays sorting and filtering them need. */
typedef struct hv_level {
    double *pts;
    size_t *idx, *tmp, *aux;
} hv_level;

typedef struct hv_work {
    const double *ref;
    size_t m, cap;
    hv_level *level; /* level[d] for d = 1..m */
    double *stair;   /* 3-D sweep: the 2-D front as cap (x, y) pairs */
    int wfg_only;    /* WFG down to two objectives (no 3-D sweep) */
} hv_work;

static void hv_work_free(hv_work *w)
{
    for (size_t d = 1; w->level && d <= w->m; d++) {
        free(w->level[d].pts);
        free(w->level[d].idx);
        free(w->level[d].tmp);
        free(w->level[d].aux);
    }
    free(w->level);
    free(w->stair);
}

static int hv_work_init(hv_work *w, size_t m, size_t cap, const double *ref)
{
    size_t c = cap ? cap : 1;
    *w = (hv_work){.ref = ref, .m = m, .cap = cap};
    w->level = calloc(m + 1, sizeof *w->level);
    w->stair = malloc(2 * c * sizeof *w->stair);
    if (!w->level || !w->stair)
        goto nomem;
    for (size_t d = 1; d <= m; d++) {
        hv_level *l = &w->level[d];
        l->pts = malloc(c * d * sizeof *l->pts);
        l->idx = malloc(c * sizeof *l->idx);
        l->tmp = malloc(c * sizeof *l->tmp);
        l->aux = malloc(c * sizeof *l->aux);
        if (!l->pts || !l->idx || !l->tmp || !l->aux)
            goto nomem;
    }
    return IGMOPT_OK;
nomem:
    hv_work_free(w);
    return igm_error_nomem();
}

/* A point adds volume only if it is finite and strictly inside the box. */
static int inside(const double *p, const double *ref, size_t m)
{
    for (size_t j = 0; j < m; j++)
        if (!isfinite(p[j]) || !(p[j] < ref[j]))
            return 0;
    return 1;
}

static double inclusive(const double *p, const double *ref, size_t d)
{
    double v = 1.0;
    for (size_t j = 0; j < d; j++)
        v *= ref[j] - p[j];
    return v;
}

static double level_hv(hv_work *w, size_t d, size_t c);

/* Two objectives: points in lexicographic order; each new minimum of y
 * adds the strip between it and the previous minimum. */
static double sweep_2d(hv_work *w, size_t c)
{
    hv_level *l = &w->level[2];
    igm_rows rows = {l->pts, 2};
    for (size_t i = 0; i < c; i++)
        l->idx[i] = i;
    igm_index_sort(l->idx, c, igm_rows_lex_cmp, &rows, l->tmp);
    double area = 0.0, low_y = w->ref[1];
    for (size_t k = 0; k < c; k++) {
        const double *p = l->pts + 2 * l->idx[k];
        if (p[1] < low_y) {
            area += (w->ref[0] - p[0]) * (low_y - p[1]);
            low_y = p[1];
        }
    }
    return area;
}

/* Adds (x, y) to the 2-D front stair[0..*n) (x increasing, y decreasing)
 * and returns the area it adds under (rx, ry). */
static double stair_insert(double *stair, size_t *n, double x, double y, double rx, double ry)
{
#define SX(i) stair[2 * (i)]
#define SY(i) stair[2 * (i) + 1]
    size_t lo = 0, hi = *n;
    while (lo < hi) { /* first point with x >= the new x */
        size_t mid = lo + (hi - lo) / 2;
        if (SX(mid) < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if ((lo > 0 && SY(lo - 1) <= y) || (lo < *n && SX(lo) == x && SY(lo) <= y))
        return 0.0; /* already covered */
    hi = lo;
    while (hi < *n && SY(hi) >= y) /* the points the new one dominates */
        hi++;
    double gained = 0.0, from_x = x, above = lo > 0 ? SY(lo - 1) : ry;
    for (size_t i = lo; i < hi; i++) {
        gained += (SX(i) - from_x) * (above - y);
        from_x = SX(i);
        above = SY(i);
    }
    gained += ((hi < *n ? SX(hi) : rx) - from_x) * (above - y);
    memmove(stair + 2 * (lo + 1), stair + 2 * hi, (*n - hi) * 2 * sizeof *stair);
    *n = *n - (hi - lo) + 1;
    SX(lo) = x;
    SY(lo) = y;
    return gained;
#undef SX
#undef SY
}

typedef struct column_order {
    const double *pts;
    size_t d, j;
} column_order;

static int ascending_column(size_t a, size_t b, const void *ctx)
{
    const column_order *c = ctx;
    double x = c->pts[a * c->d + c->j], y = c->pts[b * c->d + c->j];
    return (x > y) - (x < y);
}

static int descending_column(size_t a, size_t b, const void *ctx)
{
    return ascending_column(b, a, ctx);
}

/* Three objectives: dimension sweep in z (Fonseca, Paquete, Lopez-Ibanez
 * 2006): the area of the 2-D front of the points seen so far, times the
 * gap to the next z. */
static double sweep_3d(hv_work *w, size_t c)
{
    hv_level *l = &w->level[3];
    column_order by_z = {l->pts, 3, 2};
    for (size_t i = 0; i < c; i++)
        l->idx[i] = i;
    igm_index_sort(l->idx, c, ascending_column, &by_z, l->tmp);
    size_t n_stair = 0;
    double area = 0.0, volume = 0.0;
    for (size_t k = 0; k < c; k++) {
        const double *p = l->pts + 3 * l->idx[k];
        area += stair_insert(w->stair, &n_stair, p[0], p[1], w->ref[0], w->ref[1]);
        double next_z = k + 1 < c ? l->pts[3 * l->idx[k + 1] + 2] : w->ref[2];
        volume += area * (next_z - p[2]);
    }
    return volume;
}

/* Keeps, in place, the points of level d no other point weakly dominates
 * (one of equal points); returns how many. */
static size_t keep_nondominated(hv_work *w, size_t d, size_t c)
{
    hv_level *l = &w->level[d];
    igm_rows rows = {l->pts, d};
    size_t n_kept = 0;
    for (size_t i = 0; i < c; i++)
        l->idx[i] = i;
    igm_index_sort(l->idx, c, igm_rows_lex_cmp, &rows, l->tmp);
    for (size_t k = 0; k < c; k++) {
        const double *p = l->pts + d * l->idx[k];
        int covered = 0;
        for (size_t q = 0; q < n_kept && !covered; q++) {
            const double *s = l->pts + d * l->aux[q];
            covered = 1; /* s is lexicographically first: s[0] <= p[0] */
            for (size_t j = 1; j < d && covered; j++)
                covered = s[j] <= p[j];
        }
        if (!covered)
            l->aux[n_kept++] = l->idx[k];
    }
    for (size_t i = 0; i < c; i++)
        l->tmp[i] = 0;
    for (size_t q = 0; q < n_kept; q++)
        l->tmp[l->aux[q]] = 1;
    size_t out = 0;
    for (size_t i = 0; i < c; i++)
        if (l->tmp[i])
            memmove(l->pts + d * out++, l->pts + d * i, d * sizeof *l->pts);
    return out;
}

/* WFG (While, Bradstreet, Barone 2012): HV(S) = sum over points p_k of
 * their volume exclusive of the later points, inclusive(p_k) minus the
 * volume of the later points limited by p_k (componentwise max).  Sorting
 * by the last objective, worst first, makes every limit set share p_k's
 * last coordinate, so it is measured one dimension down (the paper's
 * slicing) and the exclusive volume is (r_d - p_kd) times a (d-1)-D one. */
static double wfg(hv_work *w, size_t d, size_t c)
{
    hv_level *l = &w->level[d], *down = &w->level[d - 1];
    c = keep_nondominated(w, d, c);
    column_order by_last = {l->pts, d, d - 1};
    for (size_t i = 0; i < c; i++)
        l->idx[i] = i;
    igm_index_sort(l->idx, c, descending_column, &by_last, l->tmp);
    double volume = 0.0;
    for (size_t k = 0; k < c; k++) {
        const double *p = l->pts + d * l->idx[k];
        size_t n_limited = 0;
        for (size_t t = k + 1; t < c; t++) {
            const double *q = l->pts + d * l->idx[t];
            double *out = down->pts + (d - 1) * n_limited++;
            for (size_t j = 0; j + 1 < d; j++)
                out[j] = q[j] > p[j] ? q[j] : p[j];
        }
        double covered = n_limited ? level_hv(w, d - 1, n_limited) : 0.0;
        volume += (w->ref[d - 1] - p[d - 1]) * (inclusive(p, w->ref, d - 1) - covered);
    }
    return volume;
}

/* Volume of the c points (all inside the box) held in level d. */
static double level_hv(hv_work *w, size_t d, size_t c)
{
    if (d == 1) {
        double low = w->level[1].pts[0];
        for (size_t i = 1; i < c; i++)
            if (w->level[1].pts[i] < low)
                low = w->level[1].pts[i];
        return w->ref[0] - low;
    }
    if (d == 2)
        return sweep_2d(w, c);
    if (d == 3 && !w->wfg_only)
        return sweep_3d(w, c);
    return wfg(w, d, c);
}

static double finished(double hv)
{
    return isnan(hv) ? INFINITY : hv; /* inf - inf after an overflow: as Optuna */
}

static int check_reference(const double *ref, size_t m)
{
    if (m == 0)
        return igm_error(IGMOPT_EINVAL, "hypervolume: no objectives");
    for (size_t j = 0; j < m; j++)
        if (!isfinite(ref[j]))
            return igm_error(IGMOPT_EINVAL, "hypervolume: reference point coordinate %zu is %g",
                             j, ref[j]);
    return IGMOPT_OK;
}

static int hypervolume(const double *points, size_t n, size_t m, const double *ref, int wfg_only,
                       double *hv)
{
    hv_work w;
    size_t c = 0;
    int rc;
    *hv = 0.0;
    if ((rc = check_reference(ref, m)))
        return rc;
    for (size_t i = 0; i < n; i++)
        c += inside(points + i * m, ref, m);
    if (c == 0)
        return IGMOPT_OK;
    if ((rc = hv_work_init(&w, m, c, ref)))
        return rc;
    w.wfg_only = wfg_only;
    c = 0;
    for (size_t i = 0; i < n; i++)
        if (inside(points + i * m, ref, m))
            memcpy(w.level[m].pts + m * c++, points + i * m, m * sizeof *points);
    *hv = finished(level_hv(&w, m, c));
    hv_work_free(&w);
    return IGMOPT_OK;
}

int igm_hypervolume(const double *points, size_t n, size_t m, const double *ref, double *hv)
{
    return hypervolume(points, n, m, ref, 0, hv);
}

int igm_hypervolume_wfg(const double *points, size_t n, size_t m, const double *ref, double *hv)
{
    return hypervolume(points, n, m, ref, 1, hv);
}

static int weakly_dominates(const double *a, const double *b, size_t m)
{
    for (size_t j = 0; j < m; j++)
        if (a[j] > b[j])
            return 0;
    return 1;
}

/* Two objectives in one sweep.  Front point f_i alone covers its rectangle
 * [x_i, x_(i+1)) x [y_i, y_(i-1)) less what the points only it dominates
 * cover there (they come right after it in lexicographic order, and their
 * union is a staircase of strips); a copy of f_i covers it all. */
static void contributions_2d(const double *points, size_t n, const double *ref, double *contrib,
                             size_t *idx, size_t *tmp, double *strips)
{
    igm_rows rows = {points, 2};
    size_t c = 0, last = SIZE_MAX, n_strips = 0;
    double low_y = ref[1], last_above = 0.0, cover_y = 0.0;
    for (size_t i = 0; i < n; i++)
        if (inside(points + 2 * i, ref, 2))
            idx[c++] = i;
    igm_index_sort(idx, c, igm_rows_lex_cmp, &rows, tmp);
    for (size_t k = 0; k <= c; k++) {
        const double *p = k < c ? points + 2 * idx[k] : NULL;
        if (p && !(p[1] < low_y)) { /* behind the front */
            if (last != SIZE_MAX && p[1] < cover_y) {
                strips[2 * n_strips] = p[0];
                strips[2 * n_strips++ + 1] = cover_y - p[1];
                cover_y = p[1];
            }
            continue;
        }
        if (last != SIZE_MAX) {
            const double *f = points + 2 * last;
            double right = p ? p[0] : ref[0], v = (right - f[0]) * (last_above - f[1]);
            for (size_t s = 0; s < n_strips; s++)
                v -= (right - strips[2 * s]) * strips[2 * s + 1];
            contrib[last] = v > 0.0 ? v : 0.0;
        }
        if (p) {
            last = idx[k];
            last_above = cover_y = low_y;
            low_y = p[1];
            n_strips = 0;
        }
    }
}

int igm_hypervolume_contributions(const double *points, size_t n, size_t m, const double *ref,
                                  double *contrib)
{
    hv_work w;
    int rc;
    for (size_t i = 0; i < n; i++)
        contrib[i] = 0.0;
    if ((rc = check_reference(ref, m)))
        return rc;
    if (n == 0)
        return IGMOPT_OK;
    if ((rc = hv_work_init(&w, m, n, ref)))
        return rc;
    if (m == 2) {
        contributions_2d(points, n, ref, contrib, w.level[2].idx, w.level[2].tmp, w.level[2].pts);
        hv_work_free(&w);
        return IGMOPT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        const double *p = points + i * m;
        size_t c = 0;
        int covered = 0;
        if (!inside(p, ref, m))
            continue;
        /* Exclusive volume = inclusive(p) - HV(the others limited by p). */
        for (size_t t = 0; t < n && !covered; t++) {
            const double *q = points + t * m;
            if (t == i || !inside(q, ref, m))
                continue;
            covered = weakly_dominates(q, p, m);
            double *out = w.level[m].pts + m * c++;
            for (size_t j = 0; j < m; j++)
                out[j] = q[j] > p[j] ? q[j] : p[j];
        }
        if (covered)
            continue;
        double v = inclusive(p, ref, m) - (c ? finished(level_hv(&w, m, c)) : 0.0);
        contrib[i] = v > 0.0 ? v : 0.0;
    }
    hv_work_free(&w);
    return IGMOPT_OK;
}

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
    double *chosen; /* picked finite rows, then one candidate slot */
    size_t n_chosen;
    hv_work w;
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

/* Volume of the first c rows of h->chosen (all inside the box). */
static double chosen_hv(hssp *h, size_t c)
{
    memcpy(h->w.level[h->m].pts, h->chosen, c * h->m * sizeof *h->chosen);
    return level_hv(&h->w, h->m, c);
}

/* The exact contribution of row g given the picked rows: for <= 3
 * objectives HV(S + g) - HV(S) with HV(S) the running sum of picks, else
 * inclusive(g) - HV(S limited by g), as Optuna computes them. */
static double exact_contribution(hssp *h, size_t g, double hv_chosen)
{
    const double *p = h->u + h->m * g;
    size_t m = h->m;
    if (m <= 3) {
        memcpy(h->chosen + m * h->n_chosen, p, m * sizeof *p);
        return chosen_hv(h, h->n_chosen + 1) - hv_chosen;
    }
    double *out = h->w.level[m].pts;
    for (size_t s = 0; s < h->n_chosen; s++)
        for (size_t j = 0; j < m; j++) {
            double c = h->chosen[m * s + j];
            out[m * s + j] = c > p[j] ? c : p[j];
        }
    return inclusive(p, h->ref, m) - level_hv(&h->w, m, h->n_chosen);
}

static int by_contribution_descending(size_t a, size_t b, const void *ctx)
{
    const double *contrib = ctx;
    return (contrib[a] < contrib[b]) - (contrib[a] > contrib[b]);
}

/* Lazy greedy (s9.4): contributions only shrink as rows are picked
 * (submodularity), so each is first capped by the cheap pairwise bound
 * inclusive(g) - inclusive(max(g, newest pick)), then recomputed exactly in
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
        double incl = inclusive(p, h->ref, m), both = 1.0;
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
        h->contrib[g] = h->kind[g] == ROW_FINITE     ? inclusive(h->u + h->m * g, h->ref, h->m)
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
    if (!h.kind || !h.contrib || !h.alive || !h.chosen || hv_work_init(&h.w, m, count + 1, ref)) {
        rc = igm_error_nomem();
        goto cleanup;
    }
    for (size_t g = 0; g < count; g++) {
        h.kind[g] = row_kind(u + m * g, ref, m);
        h.alive[g] = g;
    }
    if (m == 2 && is_staircase(u, count))
        greedy_staircase(&h, k, picked);
    else
        rc = greedy_lazy(&h, k, picked);
    hv_work_free(&h.w);
cleanup:
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
