/* The standard normal distribution in log space, accurate far into the
 * tails: CDF, log CDF, the log mass of an interval, quantiles, and the
 * truncated normal quantile TPE samples with (OPTUNA-ALGORITHMS.md s2.5.2,
 * s2.5.5).  Every function is pure and never prints. */
#ifndef IGM_NORMAL_H
#define IGM_NORMAL_H

#define IGM_LOG_SQRT_2PI 0.91893853320467274178 /* log(sqrt(2 pi)) */

/* Phi(x), the standard normal CDF. */
double igm_ndtr(double x);
/* log Phi(x); an asymptotic series below -20 (no underflow). */
double igm_log_ndtr(double x);
/* log(Phi(b) - Phi(a)) for a <= b, computed on the tail where it is
 * accurate; -inf when a == b. */
double igm_log_gauss_mass(double a, double b);
/* Phi^-1(p) for 0 < p < 1 (-inf at 0, +inf at 1). */
double igm_ndtri(double p);
/* The x with log Phi(x) = y, for y <= 0, also where exp(y) underflows. */
double igm_ndtri_exp(double y);
/* Quantile q in [0, 1] of the standard normal truncated to [a, b], a < b,
 * worked out on the side of 0 where the tail is accurate.  The result is
 * clamped to [a, b]. */
double igm_truncnorm_ppf(double q, double a, double b);

#endif
