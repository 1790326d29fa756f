/* Pareto dominance on loss vectors: non-domination ranks, the first front,
 * crowding distance, constrained domination, and best_trials on top of them
 * (OPTUNA-ALGORITHMS.md s3.5, s9.1, s9.2). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "index_sort.h"
#include "pareto.h"
#include "study.h"

#define NONE SIZE_MAX

/* NaN compares as the worst value (+inf) in every comparison below. */
static double comparable(double v)
{
    return isnan(v) ? INFINITY : v;
}

static double oriented(double v, const igmopt_direction *dirs, size_t j)
{
    return dirs && dirs[j] == IGMOPT_MAXIMIZE ? -v : v;
}

void igm_loss_vector(const double *values, const igmopt_direction *dirs, size_t m, double *out)
{
    for (size_t j = 0; j < m; j++)
        out[j] = oriented(values[j], dirs, j);
}

int igm_dominates(const double *a, const double *b, const igmopt_direction *dirs, size_t m)
{
    int strictly = 0;
    for (size_t j = 0; j < m; j++) {
        double x = comparable(oriented(a[j], dirs, j)), y = comparable(oriented(b[j], dirs, j));
        if (x > y)
            return 0;
        if (x < y)
            strictly = 1;
    }
    return strictly;
}

double igm_constraint_violation(const double *c, size_t n)
{
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(c[i]))
            return NAN;
        if (c[i] > 0.0)
            total += c[i];
    }
    return total;
}

/* 0 feasible, 1 infeasible, 2 unknown (NaN violation). */
static int feasibility_class(double violation)
{
    return isnan(violation) ? 2 : violation > 0.0;
}

int igm_constrained_dominates(const double *a, double violation_a, const double *b,
                              double violation_b, const igmopt_direction *dirs, size_t m)
{
    int ca = feasibility_class(violation_a), cb = feasibility_class(violation_b);
    if (ca != cb)
        return ca < cb;
    if (ca == 1)
        return violation_a < violation_b;
    return igm_dominates(a, b, dirs, m);
}

/* The distinct rows of the points in lexicographic order (Optuna peels its
 * fronts from np.unique's rows): a canonical copy (NaN -> +inf), group[i] =
 * the distinct row of point i, first[g] = the lowest point index of row g. */
typedef struct distinct_rows {
    double *pts;
    size_t *order, *group, *first;
    size_t n, m, count;
} distinct_rows;

static void distinct_rows_free(distinct_rows *d)
{
    free(d->pts);
    free(d->order);
    free(d->group);
    free(d->first);
}

static int distinct_rows_build(distinct_rows *d, const double *points, size_t n, size_t m)
{
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    *d = (distinct_rows){.n = n, .m = m};
    d->pts = malloc((n * m > 0 ? n * m : 1) * sizeof *d->pts);
    d->order = malloc((n ? n : 1) * sizeof *d->order);
    d->group = malloc((n ? n : 1) * sizeof *d->group);
    d->first = malloc((n ? n : 1) * sizeof *d->first);
    if (!tmp || !d->pts || !d->order || !d->group || !d->first) {
        free(tmp);
        distinct_rows_free(d);
        return igm_error_nomem();
    }
    for (size_t i = 0; i < n * m; i++)
        d->pts[i] = comparable(points[i]);
    for (size_t i = 0; i < n; i++)
        d->order[i] = i;
    igm_rows rows = {d->pts, m};
    igm_index_sort(d->order, n, igm_rows_lex_cmp, &rows, tmp);
    free(tmp);
    for (size_t k = 0; k < n; k++) {
        size_t i = d->order[k];
        if (k == 0 || igm_rows_lex_cmp(d->order[k - 1], i, &rows) != 0)
            d->first[d->count++] = i; /* the stable sort puts the lowest index first */
        d->group[i] = d->count - 1;
    }
    return IGMOPT_OK;
}

static const double *row(const distinct_rows *d, size_t g)
{
    return d->pts + d->first[g] * d->m;
}

/* q <= p in objectives 1..m-1; with q lexicographically before p (and
 * distinct) that is exactly "q dominates p". */
static int dominates_later_row(const double *q, const double *p, size_t m)
{
    for (size_t j = 1; j < m; j++)
        if (q[j] > p[j])
            return 0;
    return 1;
}

/* Two objectives in O(n log n) (Jensen 2003's sweep): in lexicographic
 * order an earlier row dominates p iff its second value is <= p's, so p's
 * rank is the number of fronts whose smallest second value is <= p's
 * (those minima grow with the rank: a binary search). */
static void ranks_two_objectives(const distinct_rows *d, int *rank, double *front_min)
{
    size_t fronts = 0;
    for (size_t g = 0; g < d->count; g++) {
        double y = row(d, g)[1];
        size_t lo = 0, hi = fronts;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (front_min[mid] <= y)
                lo = mid + 1;
            else
                hi = mid;
        }
        rank[g] = (int)lo;
        front_min[lo] = y;
        if (lo == fronts)
            fronts++;
    }
}

static int front_dominates(const distinct_rows *d, const size_t *head, const size_t *next,
                           size_t front, const double *p)
{
    for (size_t q = head[front]; q != NONE; q = next[q])
        if (dominates_later_row(row(d, q), p, d->m))
            return 1;
    return 0;
}

/* Three or more objectives: efficient non-dominated sort with binary search
 * (Zhang, Tian, Cheng, Jin 2015, ENS-BS).  Rows come in lexicographic
 * order, so all of a row's dominators are placed before it; if front f
 * holds a dominator so does every earlier front (Deb et al. 2002's
 * layering), so the rank is found by bisection over the fronts.  Members
 * are checked newest first, the likeliest dominators. */
static void ranks_many_objectives(const distinct_rows *d, int *rank, size_t *head, size_t *next)
{
    size_t fronts = 0;
    for (size_t g = 0; g < d->count; g++) {
        const double *p = row(d, g);
        size_t lo = 0, hi = fronts;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (front_dominates(d, head, next, mid, p))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == fronts)
            head[fronts++] = NONE;
        rank[g] = (int)lo;
        next[g] = head[lo];
        head[lo] = g;
    }
}

int igm_nondominated_ranks(const double *points, size_t n, size_t m, int *ranks)
{
    distinct_rows d;
    int rc;
    if (n == 0)
        return IGMOPT_OK;
    if ((rc = distinct_rows_build(&d, points, n, m)))
        return rc;
    int *row_rank = malloc(d.count * sizeof *row_rank);
    double *front_min = malloc(d.count * sizeof *front_min);
    size_t *head = malloc(d.count * sizeof *head), *next = malloc(d.count * sizeof *next);
    if (!row_rank || !front_min || !head || !next) {
        rc = igm_error_nomem();
        goto cleanup;
    }
    if (m <= 1) {
        for (size_t g = 0; g < d.count; g++)
            row_rank[g] = (int)g; /* dense rank of the value */
    } else if (m == 2) {
        ranks_two_objectives(&d, row_rank, front_min);
    } else {
        ranks_many_objectives(&d, row_rank, head, next);
    }
    for (size_t i = 0; i < n; i++)
        ranks[i] = row_rank[d.group[i]];
cleanup:
    free(row_rank);
    free(front_min);
    free(head);
    free(next);
    distinct_rows_free(&d);
    return rc;
}

/* Ranks the count rows of sub (cols columns) among themselves and writes
 * them, plus offset, at ranks[which[k]]; *largest = the largest written. */
static int rank_group(const double *sub, size_t count, size_t cols, const size_t *which,
                      int offset, int *ranks, int *largest)
{
    int *sub_rank = malloc(count * sizeof *sub_rank);
    int rc;
    if (!sub_rank)
        return igm_error_nomem();
    if ((rc = igm_nondominated_ranks(sub, count, cols, sub_rank)) == IGMOPT_OK) {
        for (size_t k = 0; k < count; k++) {
            ranks[which[k]] = offset + sub_rank[k];
            if (ranks[which[k]] > *largest)
                *largest = ranks[which[k]];
        }
    }
    free(sub_rank);
    return rc;
}

int igm_constrained_nondominated_ranks(const double *points, const double *violations, size_t n,
                                       size_t m, int *ranks)
{
    if (!violations)
        return igm_nondominated_ranks(points, n, m, ranks);
    size_t cap = (n * m > n ? n * m : n) + 1; /* rows of m, or n violations */
    size_t *which = malloc((n ? n : 1) * sizeof *which);
    double *sub = malloc(cap * sizeof *sub);
    int rc = IGMOPT_OK, largest = -1;
    if (!which || !sub) {
        rc = igm_error_nomem();
        goto cleanup;
    }
    /* Feasible points first, by their objectives; then infeasible ones by
     * their violation alone (a one-column rank: dense); then unknown ones
     * by their objectives, each class after the worst rank before it. */
    for (int cls = 0; cls < 3 && rc == IGMOPT_OK; cls++) {
        size_t count = 0, cols = cls == 1 ? 1 : m;
        for (size_t i = 0; i < n; i++) {
            if (feasibility_class(violations[i]) != cls)
                continue;
            if (cls == 1)
                sub[count] = violations[i];
            else
                memcpy(sub + count * m, points + i * m, m * sizeof *sub);
            which[count++] = i;
        }
        if (count > 0)
            rc = rank_group(sub, count, cols, which, largest + 1, ranks, &largest);
    }
cleanup:
    free(which);
    free(sub);
    return rc;
}

int igm_pareto_front_mask(const double *points, size_t n, size_t m, unsigned char *on_front)
{
    distinct_rows d;
    int rc;
    if (n == 0)
        return IGMOPT_OK;
    if ((rc = distinct_rows_build(&d, points, n, m)))
        return rc;
    unsigned char *row_on = calloc(d.count, 1);
    size_t *kept = malloc(d.count * sizeof *kept), n_kept = 0;
    if (!row_on || !kept) {
        rc = igm_error_nomem();
        goto cleanup;
    }
    /* Optuna's s9.1: lexicographic order, then a row is on the front iff
     * no earlier front row is <= it in objectives 1..m-1. */
    for (size_t g = 0; g < d.count; g++) {
        int dominated = m <= 1 ? g > 0 : 0;
        if (m == 2)
            dominated = n_kept > 0 && row(&d, kept[n_kept - 1])[1] <= row(&d, g)[1];
        for (size_t k = 0; m > 2 && k < n_kept && !dominated; k++)
            dominated = dominates_later_row(row(&d, kept[k]), row(&d, g), m);
        if (!dominated) {
            row_on[g] = 1;
            kept[n_kept++] = g;
        }
    }
    for (size_t i = 0; i < n; i++)
        on_front[i] = row_on[d.group[i]];
cleanup:
    free(row_on);
    free(kept);
    distinct_rows_free(&d);
    return rc;
}

typedef struct objective_column {
    const double *values;
    size_t m, j;
} objective_column;

static int compare_column(size_t a, size_t b, const void *ctx)
{
    const objective_column *c = ctx;
    double x = comparable(c->values[a * c->m + c->j]), y = comparable(c->values[b * c->m + c->j]);
    return (x > y) - (x < y);
}

static int compare_distance(size_t a, size_t b, const void *ctx)
{
    const double *distance = ctx;
    return (distance[a] > distance[b]) - (distance[a] < distance[b]);
}

/* Distances, and order[] left as Optuna's population list is after its
 * in-place stable sorts, one per objective, each starting from the
 * previous one's order (that decides which of equal values sees which
 * neighbour). */
static void crowding(const double *values, size_t n, size_t m, double *distance, size_t *order,
                     size_t *tmp)
{
    for (size_t i = 0; i < n; i++) {
        distance[i] = 0.0;
        order[i] = i;
    }
    for (size_t j = 0; j < m && n > 0; j++) {
        objective_column col = {values, m, j};
#define V(k) comparable(values[order[k] * m + j])
        igm_index_sort(order, n, compare_column, &col, tmp);
        if (V(0) == V(n - 1))
            continue; /* all equal: this objective tells the points nothing */
        double lowest = INFINITY, highest = -INFINITY; /* finite extremes */
        for (size_t k = 0; k < n && lowest == INFINITY; k++)
            if (V(k) != -INFINITY)
                lowest = V(k);
        for (size_t k = n; k > 0 && highest == -INFINITY; k--)
            if (V(k - 1) != INFINITY)
                highest = V(k - 1);
        double width = highest - lowest;
        if (!(width > 0.0))
            width = 1.0;
        for (size_t k = 0; k < n; k++) {
            double prev = k > 0 ? V(k - 1) : -INFINITY, next = k + 1 < n ? V(k + 1) : INFINITY;
            double gap = prev == next ? 0.0 : next - prev; /* never inf - inf */
            distance[order[k]] += gap / width;
        }
#undef V
    }
}

int igm_crowding_distance(const double *values, size_t n, size_t m, double *distance)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!order || !tmp) {
        free(order);
        free(tmp);
        return igm_error_nomem();
    }
    crowding(values, n, m, distance, order, tmp);
    free(order);
    free(tmp);
    return IGMOPT_OK;
}

int igm_crowding_distance_sort(const double *values, size_t n, size_t m, size_t *order)
{
    double *distance = malloc((n ? n : 1) * sizeof *distance);
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!distance || !tmp) {
        free(distance);
        free(tmp);
        return igm_error_nomem();
    }
    crowding(values, n, m, distance, order, tmp);
    /* Optuna sorts ascending (stable) and reverses the list. */
    igm_index_sort(order, n, compare_distance, distance, tmp);
    for (size_t i = 0; i < n / 2; i++) {
        size_t t = order[i];
        order[i] = order[n - 1 - i];
        order[n - 1 - i] = t;
    }
    free(distance);
    free(tmp);
    return IGMOPT_OK;
}

static int completed(const igm_frozen_trial *t, size_t n_objectives)
{
    return t->state == IGMOPT_COMPLETE && t->values && t->n_values == n_objectives;
}

static size_t single_best(const igmopt_study *study, igm_frozen_trial *const *trials, size_t n,
                          const igm_frozen_trial **out)
{
    const igm_frozen_trial *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!completed(trials[i], 1))
            continue;
        if (!best || oriented(trials[i]->values[0], study->directions, 0) <
                         oriented(best->values[0], study->directions, 0))
            best = trials[i];
    }
    out[0] = best;
    return best ? 1 : 0;
}

static int pareto_front(const igmopt_study *study, igm_frozen_trial *const *trials, size_t n,
                        const igm_frozen_trial **out, size_t *n_out)
{
    size_t m = study->n_objectives, count = 0;
    double *loss = malloc((n * m > 0 ? n * m : 1) * sizeof *loss);
    size_t *which = malloc((n ? n : 1) * sizeof *which);
    unsigned char *on_front = malloc(n ? n : 1);
    int rc = IGMOPT_OK;
    if (!loss || !which || !on_front) {
        rc = igm_error_nomem();
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        if (!completed(trials[i], m))
            continue;
        igm_loss_vector(trials[i]->values, study->directions, m, loss + count * m);
        which[count++] = i;
    }
    if ((rc = igm_pareto_front_mask(loss, count, m, on_front)))
        goto cleanup;
    *n_out = 0;
    for (size_t k = 0; k < count; k++)
        if (on_front[k])
            out[(*n_out)++] = trials[which[k]];
cleanup:
    free(loss);
    free(which);
    free(on_front);
    return rc;
}

int igm_best_trials(const igmopt_study *study, igm_frozen_trial *const *trials, size_t n,
                    const igm_frozen_trial ***out, size_t *n_out)
{
    int rc = IGMOPT_OK;
    *out = malloc((n ? n : 1) * sizeof **out);
    if (!*out)
        return igm_error_nomem();
    if (study->n_objectives == 1)
        *n_out = single_best(study, trials, n, *out);
    else if ((rc = pareto_front(study, trials, n, *out, n_out))) {
        free(*out);
        *out = NULL;
    }
    return rc;
}
