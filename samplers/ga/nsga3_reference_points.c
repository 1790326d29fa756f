/* NSGA-III reference points: Das & Dennis's structured points on the unit
 * simplex (Das & Dennis 1998, "Normal-boundary intersection", SIAM J.
 * Optim. 8(3); used by Deb & Jain 2014, IEEE TEVC 18(4), s IV-B), or the
 * user's own directions (OPTUNA-ALGORITHMS.md s4). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../lib/error.h"
#include "elite_selection.h"

/* Refused above this many doubles (8 MB): a dividing_parameter that large
 * is a typo, and association costs candidates x points x m per selection. */
#define MAX_REFERENCE_DOUBLES ((size_t)1000 * 1000)

/* C(m + p - 1, p), or 0 when it (or p, the tuple length) exceeds the limit. */
static size_t multiset_count(size_t m, size_t p)
{
    size_t k = p < m - 1 ? p : m - 1, n = m - 1 + p, c = 1;
    if (m > MAX_REFERENCE_DOUBLES || p > MAX_REFERENCE_DOUBLES)
        return 0;
    for (size_t i = 1; i <= k; i++) {
        c = c * (n - k + i) / i; /* exact: a binomial at every step */
        if (c > MAX_REFERENCE_DOUBLES)
            return 0;
    }
    return c <= MAX_REFERENCE_DOUBLES / m ? c : 0;
}

/* The next composition of p into m parts after c, in decreasing
 * lexicographic order: the order of Python's combinations_with_replacement
 * over the objective indices, whose multiplicities c counts (Optuna's point
 * order, which decides ties in the association).  O(m); 0 after the last
 * one, (0, ..., 0, p). */
static int next_composition(size_t *c, size_t m)
{
    size_t j = m - 1, tail;
    while (j > 0 && c[j - 1] == 0)
        j--;
    if (j == 0)
        return 0;
    j--; /* the last part before the final one that is not 0 */
    tail = c[m - 1];
    c[m - 1] = 0;
    c[j]--;
    c[j + 1] = tail + 1; /* j + 1 < m; when j + 1 == m - 1 this is the final part */
    return 1;
}

int igm_reference_points_das_dennis(size_t m, size_t p, igm_reference_points *out)
{
    size_t count, *c, row = 0;
    out->count = out->m = 0;
    out->points = NULL;
    if (m == 0 || p == 0)
        return igm_error(IGMOPT_EINVAL, "reference points need m >= 1 objectives and a "
                         "dividing parameter >= 1 (got m = %zu, p = %zu)", m, p);
    if ((count = multiset_count(m, p)) == 0)
        return igm_error(IGMOPT_EINVAL, "%zu objectives with dividing parameter %zu give more "
                         "than %zu reference-point coordinates", m, p, MAX_REFERENCE_DOUBLES);
    c = calloc(m, sizeof *c);
    out->points = malloc(count * m * sizeof *out->points);
    if (!c || !out->points) {
        free(c);
        igm_reference_points_clear(out);
        return igm_error_nomem();
    }
    c[0] = p;
    do {
        for (size_t j = 0; j < m; j++)
            out->points[row * m + j] = (double)c[j];
        row++;
    } while (next_composition(c, m));
    free(c);
    out->count = count;
    out->m = m;
    return IGMOPT_OK;
}

/* Row r of points: m finite numbers, not all zero (a zero direction has no
 * line to associate with). */
static int read_row(const char *owner, const json_t *row, size_t r, size_t m, double *out)
{
    int nonzero = 0;
    if (!json_is_array(row) || json_array_size(row) != m)
        return igm_error(IGMOPT_EINVAL, "%s: reference_points[%zu] must be an array of %zu "
                         "numbers (one per objective)", owner, r, m);
    for (size_t j = 0; j < m; j++) {
        const json_t *v = json_array_get(row, j);
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            return igm_error(IGMOPT_EINVAL, "%s: reference_points[%zu][%zu] must be a finite "
                             "number", owner, r, j);
        out[j] = json_number_value(v);
        nonzero |= out[j] != 0.0;
    }
    if (!nonzero)
        return igm_error(IGMOPT_EINVAL, "%s: reference_points[%zu] must not be all zeros",
                         owner, r);
    return IGMOPT_OK;
}

int igm_reference_points_from_json(const char *owner, const json_t *points, size_t m,
                                   igm_reference_points *out)
{
    size_t count = json_array_size(points);
    int rc = IGMOPT_OK;
    out->count = out->m = 0;
    out->points = NULL;
    if (!json_is_array(points) || count == 0 || m == 0)
        return igm_error(IGMOPT_EINVAL, "%s: reference_points must be a non-empty array of "
                         "arrays of numbers, or null", owner);
    if (count > MAX_REFERENCE_DOUBLES / m)
        return igm_error(IGMOPT_EINVAL, "%s: reference_points has too many points", owner);
    if (!(out->points = malloc(count * m * sizeof *out->points)))
        return igm_error_nomem();
    for (size_t r = 0; r < count && rc == IGMOPT_OK; r++)
        rc = read_row(owner, json_array_get(points, r), r, m, out->points + r * m);
    if (rc) {
        igm_reference_points_clear(out);
        return rc;
    }
    out->count = count;
    out->m = m;
    return IGMOPT_OK;
}

void igm_reference_points_clear(igm_reference_points *r)
{
    free(r->points);
    r->points = NULL;
    r->count = r->m = 0;
}
