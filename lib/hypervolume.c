/* Exact hypervolume (2-D sweep, 3-D dimension sweep, WFG beyond), exclusive
 * contributions, and a reusable workspace for the many volumes of greedy
 * subset selection (hssp.c) (OPTUNA-ALGORITHMS.md s9.3). */
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

struct igm_hv_work {
    const double *ref;
    size_t m, cap;
    hv_level *level; /* level[d] for d = 1..m */
    double *stair;   /* 3-D sweep: the 2-D front as cap (x, y) pairs */
    int wfg_only;    /* WFG down to two objectives (no 3-D sweep) */
};

static void hv_work_clear(igm_hv_work *w)
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

static int hv_work_init(igm_hv_work *w, size_t m, size_t cap, const double *ref)
{
    size_t c = cap ? cap : 1;
    *w = (igm_hv_work){.ref = ref, .m = m, .cap = cap};
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
    hv_work_clear(w);
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

double igm_hv_box(const double *p, const double *ref, size_t d)
{
    double v = 1.0;
    for (size_t j = 0; j < d; j++)
        v *= ref[j] - p[j];
    return v;
}

static double level_hv(igm_hv_work *w, size_t d, size_t c);

/* Two objectives: points in lexicographic order; each new minimum of y
 * adds the strip between it and the previous minimum. */
static double sweep_2d(igm_hv_work *w, size_t c)
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
static double sweep_3d(igm_hv_work *w, size_t c)
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
static size_t keep_nondominated(igm_hv_work *w, size_t d, size_t c)
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
 * their volume exclusive of the later points, igm_hv_box(p_k) minus the
 * volume of the later points limited by p_k (componentwise max).  Sorting
 * by the last objective, worst first, makes every limit set share p_k's
 * last coordinate, so it is measured one dimension down (the paper's
 * slicing) and the exclusive volume is (r_d - p_kd) times a (d-1)-D one. */
static double wfg(igm_hv_work *w, size_t d, size_t c)
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
        volume += (w->ref[d - 1] - p[d - 1]) * (igm_hv_box(p, w->ref, d - 1) - covered);
    }
    return volume;
}

/* Volume of the c points (all inside the box) held in level d. */
static double level_hv(igm_hv_work *w, size_t d, size_t c)
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
    igm_hv_work w;
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
    hv_work_clear(&w);
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
    igm_hv_work w;
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
        hv_work_clear(&w);
        return IGMOPT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        const double *p = points + i * m;
        size_t c = 0;
        int covered = 0;
        if (!inside(p, ref, m))
            continue;
        /* Exclusive volume = igm_hv_box(p) - HV(the others limited by p). */
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
        double v = igm_hv_box(p, ref, m) - (c ? finished(level_hv(&w, m, c)) : 0.0);
        contrib[i] = v > 0.0 ? v : 0.0;
    }
    hv_work_clear(&w);
    return IGMOPT_OK;
}

int igm_hv_work_new(size_t m, size_t cap, const double *ref, igm_hv_work **out)
{
    igm_hv_work *w = malloc(sizeof *w);
    int rc;
    if (!w)
        return igm_error_nomem();
    if ((rc = hv_work_init(w, m, cap, ref))) {
        free(w);
        return rc;
    }
    *out = w;
    return IGMOPT_OK;
}

void igm_hv_work_free(igm_hv_work *w)
{
    if (!w)
        return;
    hv_work_clear(w);
    free(w);
}

double igm_hv_work_volume(igm_hv_work *w, const double *pts, size_t c)
{
    if (c == 0)
        return 0.0;
    memcpy(w->level[w->m].pts, pts, c * w->m * sizeof *pts);
    return finished(level_hv(w, w->m, c));
}
