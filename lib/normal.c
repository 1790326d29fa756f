/* Standard normal CDF and quantiles in log space.  The tail handling
 * follows the scheme Optuna's _truncnorm.py documents (itself from SciPy):
 * work on the side of 0 where Phi is small, an asymptotic series for
 * log Phi below -20, and Newton steps for the inverse in log space. */
#include "normal.h"

#include <float.h>
#include <math.h>

double igm_ndtr(double x)
{
    return 0.5 * erfc(-x * M_SQRT1_2);
}

/* log Phi(x) for x <= -20: log(phi(x) / -x) plus the log of the series
 * 1 - 1/x^2 + 3/x^4 - 15/x^6 ... (Abramowitz & Stegun 26.2.12). */
static double log_ndtr_asymptotic(double x)
{
    double lhs = -0.5 * x * x - log(-x) - IGM_LOG_SQRT_2PI;
    double inv_x2 = 1.0 / (x * x), term = 1.0, sum = 1.0;
    for (int i = 1; i < 100; i++) {
        term *= -(2.0 * i - 1.0) * inv_x2;
        if (fabs(term) <= DBL_EPSILON * sum)
            break;
        sum += term;
    }
    return lhs + log(sum);
}

double igm_log_ndtr(double x)
{
    if (x > 6)
        return log1p(-0.5 * erfc(x * M_SQRT1_2));
    if (x > -20)
        return log(0.5 * erfc(-x * M_SQRT1_2));
    if (isinf(x))
        return -INFINITY;
    return log_ndtr_asymptotic(x);
}

/* log(1 - exp(d)) for d <= 0 without cancellation (Maechler 2012). */
static double log1mexp(double d)
{
    return d > -M_LN2 ? log(-expm1(d)) : log1p(-exp(d));
}

/* log(Phi(b) - Phi(a)) for a < b <= 0. */
static double log_mass_left(double a, double b)
{
    double la, lb;
    if (b > -37) /* Phi(b) is a normal double: a plain difference is as exact */
        return log(igm_ndtr(b) - igm_ndtr(a));
    lb = igm_log_ndtr(b);
    la = igm_log_ndtr(a);
    return lb + log1mexp(la - lb);
}

double igm_log_gauss_mass(double a, double b)
{
    if (!(a < b))
        return a == b ? -INFINITY : NAN;
    if (b <= 0)
        return log_mass_left(a, b);
    if (a > 0)
        return log_mass_left(-b, -a);
    /* Both tails outside: 1 minus two small masses. */
    return log1p(-igm_ndtr(a) - igm_ndtr(-b));
}

/* Phi^-1(p) for 0 < p <= 0.5: the rational start of Abramowitz & Stegun
 * 26.2.23 (error < 4.5e-4), then Halley steps on Phi(z) - p, computed on
 * the lower tail where it keeps full relative precision. */
static double ndtri_lower(double p)
{
    double t = sqrt(-2.0 * log(p));
    double z = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                         (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
    for (int i = 0; i < 8; i++) {
        double u = (igm_ndtr(z) - p) * exp(0.5 * z * z + IGM_LOG_SQRT_2PI);
        double step = u / (1.0 + 0.5 * z * u);
        z -= step;
        if (fabs(step) <= 1e-15 * fmax(1.0, fabs(z)))
            break;
    }
    return z;
}

double igm_ndtri(double p)
{
    if (!(p > 0))
        return p == 0 ? -INFINITY : NAN;
    if (!(p < 1))
        return p == 1 ? INFINITY : NAN;
    return p <= 0.5 ? ndtri_lower(p) : -ndtri_lower(1.0 - p);
}

/* Newton on log Phi(z) = y, for y so small that exp(y) underflows. */
static double ndtri_exp_deep(double y)
{
    double t = sqrt(-2.0 * y);
    double z = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                         (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
    for (int i = 0; i < 50; i++) {
        double lz = igm_log_ndtr(z);
        /* d/dz log Phi(z) = phi(z) / Phi(z) */
        double slope = exp(-0.5 * z * z - IGM_LOG_SQRT_2PI - lz);
        double step = (lz - y) / slope;
        z -= step;
        if (fabs(step) <= 1e-15 * fabs(z))
            break;
    }
    return z;
}

double igm_ndtri_exp(double y)
{
    if (isnan(y) || y > 0)
        return NAN;
    if (y == 0)
        return INFINITY;
    if (y > -M_LN2) /* Phi > 1/2: invert the complement 1 - e^y, exact via expm1 */
        return -ndtri_lower(-expm1(y));
    if (y > -700)
        return ndtri_lower(exp(y));
    if (isinf(y))
        return -INFINITY;
    return ndtri_exp_deep(y);
}

static double log_add_exp(double x, double y)
{
    double m = fmax(x, y);
    if (m == -INFINITY)
        return -INFINITY;
    return m + log1p(exp(-fabs(x - y)));
}

double igm_truncnorm_ppf(double q, double a, double b)
{
    double z, log_mass = igm_log_gauss_mass(a, b);
    if (q <= 0)
        return a;
    if (q >= 1)
        return b;
    if (a < 0)
        z = igm_ndtri_exp(log_add_exp(igm_log_ndtr(a), log(q) + log_mass));
    else /* right of 0: measure from the upper end, mirrored */
        z = -igm_ndtri_exp(log_add_exp(igm_log_ndtr(-b), log1p(-q) + log_mass));
    if (!(z >= a)) /* also NaN */
        z = a;
    if (z > b)
        z = b;
    return z;
}
