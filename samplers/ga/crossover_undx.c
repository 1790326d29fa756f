/* UNDXCrossover, unimodal normal distribution crossover (Ono & Kobayashi,
 * "A real-coded genetic algorithm for function optimization using unimodal
 * normal distribution crossover", ICGA 1997; eqs. 2-5 of Kita, Ono &
 * Kobayashi, CEC 1999): child = m + xi (p1 - p2) + D sum_i eta_i e_i, with
 * m the midpoint of p1 and p2, D the distance from p3 to their line and
 * e_i an orthonormal basis of the complement of p2 - p1.
 *
 * sum_i eta_i e_i with i.i.d. normal eta_i is an isotropic normal in that
 * complement whatever the basis, so it is drawn as z - (z . q) q with z
 * normal in all d dimensions and q the unit direction of p2 - p1: the same
 * distribution as Optuna's QR basis, in O(d) without allocating. */
#include <math.h>

#include "crossover_ops.h"

#define MIN_NORM 1e-10 /* Optuna's floor on |p2 - p1| */

/* Optuna's numpy normal(0, sigma ** 2): the variance passed as the scale,
 * so the deviation is sigma^2 (OPTUNA-ALGORITHMS.md s3.4). */
static double optuna_normal(igm_rng *rng, double sigma)
{
    return sigma * sigma * igm_rng_standard_normal(rng);
}

static double norm_p1_p2(const double *p, size_t d)
{
    double s = 0;
    for (size_t i = 0; i < d; i++)
        s += (p[d + i] - p[i]) * (p[d + i] - p[i]);
    return sqrt(s);
}

/* Distance from p3 to the line p1p2, with Optuna's e12 = (p2 - p1) /
 * max(|p2 - p1|, 1e-10) (not unit when the parents nearly coincide). */
static double distance_to_line(const double *p, size_t d, double norm)
{
    double scale = fmax(norm, MIN_NORM), along = 0, s = 0;
    for (size_t i = 0; i < d; i++)
        along += (p[2 * d + i] - p[i]) * (p[d + i] - p[i]) / scale;
    for (size_t i = 0; i < d; i++) {
        double off = p[2 * d + i] - p[i] - along * (p[d + i] - p[i]) / scale;
        s += off * off;
    }
    return sqrt(s);
}

/* Component i of the excluded direction: p2 - p1, or the first axis when
 * p1 == p2 (Optuna's QR then runs on the identity). */
static double excluded_direction(const double *p, size_t d, double norm, size_t i)
{
    if (norm > 0)
        return (p[d + i] - p[i]) / norm;
    return i == 0 ? 1.0 : 0.0;
}

void igm_crossover_undx(const igm_crossover_kwargs *kw, igm_rng *rng, const double *parents,
                        size_t d, const double *lo, const double *hi, double *child)
{
    double sigma_eta = isnan(kw->sigma_eta) ? 0.35 / sqrt((double)d) : kw->sigma_eta;
    double xi = optuna_normal(rng, kw->sigma_xi), norm = norm_p1_p2(parents, d);
    double dist = distance_to_line(parents, d, norm), z_along = 0;
    for (size_t i = 0; i < d; i++) {
        child[i] = optuna_normal(rng, sigma_eta);
        z_along += child[i] * excluded_direction(parents, d, norm, i);
    }
    for (size_t i = 0; i < d; i++) {
        double sub = child[i] - z_along * excluded_direction(parents, d, norm, i);
        double x1 = parents[i], x2 = parents[d + i];
        child[i] = 0.5 * (x1 + x2) + xi * (x1 - x2) + dist * sub;
    }
}
