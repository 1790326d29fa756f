/* NSGA-III normalisation (Deb & Jain 2014, IEEE TEVC 18(4), s IV-C, with
 * Optuna's rules, OPTUNA-ALGORITHMS.md s4.2): infinities clipped, the ideal
 * point moved to the origin, objectives scaled by the intercepts of the
 * hyperplane through the extreme points. */
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "nsga3.h"

/* Infinities are replaced by the finite range widened by this many ranges
 * on their side (Optuna's _COEF). */
#define INF_RANGE_COEF 3.0
/* Off-axis weight of the achievement scalarising function that finds the
 * extreme points (Deb & Jain 2014, eq. 4, as Optuna's 1e6). */
#define ASF_OFF_AXIS_WEIGHT 1e6

/* Optuna's _filter_inf on one column: +inf (and NaN) become the largest
 * finite value plus INF_RANGE_COEF ranges, -inf the smallest minus as many;
 * a column without finite values becomes 0 (Optuna: NaN).  The replacement
 * is clamped to the doubles so that no infinity survives. */
static void clip_infinities(double *f, size_t rows, size_t m, size_t j)
{
    double lo = INFINITY, hi = -INFINITY, width;
    for (size_t i = 0; i < rows; i++) {
        double v = f[i * m + j];
        if (isfinite(v)) {
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    }
    if (lo > hi)
        lo = hi = 0.0;
    width = hi - lo;
    for (size_t i = 0; i < rows; i++) {
        double *v = &f[i * m + j];
        if (isfinite(*v))
            continue;
        *v = *v < 0 ? lo - INF_RANGE_COEF * width : hi + INF_RANGE_COEF * width;
        *v = fmax(-DBL_MAX, fmin(DBL_MAX, *v));
    }
}

/* The member minimising max_j f_j w_j with w_axis = 1 and the other weights
 * ASF_OFF_AXIS_WEIGHT (first one on ties, as numpy's argmin). */
static size_t extreme_point(const double *f, size_t rows, size_t m, size_t axis)
{
    size_t best = 0;
    double best_asf = INFINITY;
    for (size_t i = 0; i < rows; i++) {
        double asf = -INFINITY;
        for (size_t j = 0; j < m; j++)
            asf = fmax(asf, f[i * m + j] * (j == axis ? 1.0 : ASF_OFF_AXIS_WEIGHT));
        if (asf < best_asf) {
            best_asf = asf;
            best = i;
        }
    }
    return best;
}

/* numpy's matrix_rank(e) == m: every singular value above
 * s_max * m * DBL_EPSILON.  e is m x m row-major, finite; not modified. */
static int full_rank(const double *e, size_t m, double *work)
{
    double *a = work, *s = work + m * m, *superb = s + m;
    lapack_int info;
    memcpy(a, e, m * m * sizeof *a);
    info = LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'N', 'N', (lapack_int)m, (lapack_int)m, a,
                          (lapack_int)m, s, NULL, 1, NULL, 1, superb);
    return info == 0 && s[m - 1] > s[0] * (double)m * DBL_EPSILON;
}

/* Intercept inverses a with E a = 1 (the hyperplane through the extreme
 * points, Deb & Jain 2014 s IV-C) when E is finite and of full rank, else
 * 1 / (the column's largest value); a non-finite a_j becomes 1 (Optuna). */
static int intercept_inverses(const double *f, size_t rows, size_t m, double *a)
{
    double *e = malloc((2 * m * m + 2 * m) * sizeof *e), *work = e + m * m;
    lapack_int *pivots = malloc(m * sizeof *pivots);
    int solved = 0, finite = 1;
    if (!e || !pivots) {
        free(e);
        free(pivots);
        return igm_error_nomem();
    }
    for (size_t axis = 0; axis < m; axis++)
        memcpy(e + axis * m, f + extreme_point(f, rows, m, axis) * m, m * sizeof *e);
    for (size_t i = 0; i < m * m; i++)
        finite &= isfinite(e[i]) != 0;
    if (finite && full_rank(e, m, work)) {
        for (size_t j = 0; j < m; j++)
            a[j] = 1.0;
        solved = LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)m, 1, e, (lapack_int)m, pivots, a,
                               1) == 0;
    }
    for (size_t j = 0; j < m && !solved; j++) {
        double top = -INFINITY;
        for (size_t i = 0; i < rows; i++)
            top = fmax(top, f[i * m + j]);
        a[j] = 1.0 / top;
    }
    for (size_t j = 0; j < m; j++)
        if (!isfinite(a[j]))
            a[j] = 1.0;
    free(e);
    free(pivots);
    return IGMOPT_OK;
}

/* Translates the ideal point to the origin and scales each objective by
 * its intercept inverse (Deb & Jain 2014 s IV-C, Optuna's rules s4.2). */
int igm_nsga3_normalise(double *f, size_t rows, size_t m)
{
    double *a = malloc(m * sizeof *a);
    int rc;
    if (!a)
        return igm_error_nomem();
    for (size_t j = 0; j < m; j++) {
        double ideal = INFINITY;
        clip_infinities(f, rows, m, j);
        for (size_t i = 0; i < rows; i++)
            ideal = fmin(ideal, f[i * m + j]);
        for (size_t i = 0; i < rows; i++)
            f[i * m + j] -= ideal;
    }
    if ((rc = intercept_inverses(f, rows, m, a)) == IGMOPT_OK)
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < m; j++)
                f[i * m + j] *= a[j];
    free(a);
    return rc;
}

