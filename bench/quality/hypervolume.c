/* Exact hypervolume for bench/quality: a sweep in 2-D, slices along the
 * third objective in 3-D (O(n^2 log n), plenty for a few hundred points). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hypervolume.h"

static int dominates_or_equals(const double *a, const double *b, size_t m)
{
    for (size_t k = 0; k < m; k++)
        if (a[k] > b[k])
            return 0;
    return 1;
}

size_t quality_pareto_front(double *points, size_t n, size_t m)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = points + i * m;
        int out = 0;
        /* dominated by (or a copy of) an earlier kept point */
        for (size_t j = 0; j < kept && !out; j++)
            out = dominates_or_equals(points + j * m, p, m);
        /* strictly dominated by a later point (which will be kept or lose
         * to one that is) */
        for (size_t j = i + 1; j < n && !out; j++)
            out = dominates_or_equals(points + j * m, p, m) &&
                  memcmp(points + j * m, p, m * sizeof *p) != 0;
        if (!out)
            memmove(points + kept++ * m, p, m * sizeof *p);
    }
    return kept;
}

static int by_first(const void *a, const void *b)
{
    const double *x = a, *y = b;
    if (x[0] != y[0])
        return (x[0] > y[0]) - (x[0] < y[0]);
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static int by_third(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return (x[2] > y[2]) - (x[2] < y[2]);
}

/* xy: n (x, y) pairs, sorted here. */
static double area_2d(double *xy, size_t n, const double *ref)
{
    double area = 0.0, y = ref[1];
    qsort(xy, n, 2 * sizeof *xy, by_first);
    for (size_t i = 0; i < n; i++)
        if (xy[2 * i + 1] < y) {
            area += (ref[0] - xy[2 * i]) * (y - xy[2 * i + 1]);
            y = xy[2 * i + 1];
        }
    return area;
}

/* Points sorted by z: between z_i and z_(i+1) (the last up to ref z) the
 * cross-section is the 2-D area of the first i + 1 points. */
static double volume_3d(double *p, size_t n, const double *ref)
{
    double volume = 0.0, *xy = malloc((n ? n : 1) * 2 * sizeof *xy);
    if (!xy)
        return NAN;
    qsort(p, n, 3 * sizeof *p, by_third);
    for (size_t i = 0; i < n; i++) {
        double top = i + 1 < n ? p[3 * (i + 1) + 2] : ref[2];
        if (top <= p[3 * i + 2])
            continue;
        for (size_t j = 0; j <= i; j++) {
            xy[2 * j] = p[3 * j];
            xy[2 * j + 1] = p[3 * j + 1];
        }
        volume += area_2d(xy, i + 1, ref) * (top - p[3 * i + 2]);
    }
    free(xy);
    return volume;
}

double quality_hypervolume(double *points, size_t n, size_t m, const double *ref)
{
    size_t inside = 0;
    if (m != 2 && m != 3)
        return NAN;
    for (size_t i = 0; i < n; i++)
        if (dominates_or_equals(points + i * m, ref, m))
            memmove(points + inside++ * m, points + i * m, m * sizeof *points);
    inside = quality_pareto_front(points, inside, m);
    return m == 2 ? area_2d(points, inside, ref) : volume_3d(points, inside, ref);
}
