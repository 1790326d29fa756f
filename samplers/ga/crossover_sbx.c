/* SBXCrossover, simulated binary crossover (Deb & Agrawal, "Simulated
 * binary crossover for continuous search space", Complex Systems 9, 1995;
 * bounded spread as in Deb's NSGA-II code, eqs. 3-5 of Raghuwanshi &
 * Kakde's review), and VSBXCrossover (Ballester & Carter, GECCO 2003,
 * s3.2).  Both make two children per gene; Optuna returns one child, built
 * by the gene mixing below. */
#include <math.h>

#include "crossover_ops.h"

#define MIN_SPREAD 1e-10 /* Optuna's floor on |x2 - x1| and on VSBX's 2u */

/* One gene of the returned child: the children's pair (c1, c2) with
 * probability use_child_gene_prob, else the parents' pair, swapped with
 * probability uniform_crossover_prob; second picks which of the pair.
 * Optuna draws the child-1/child-2 choice once after all genes; drawing it
 * first (second) gives the same distribution without storing both. */
static double mix_gene(const igm_crossover_kwargs *kw, igm_rng *rng, int second, double c1,
                       double c2, double x1, double x2)
{
    int use_child = igm_rng_uniform(rng) < kw->use_child_gene_prob;
    int swap = igm_rng_uniform(rng) < kw->uniform_crossover_prob;
    double a = use_child ? c1 : x1, b = use_child ? c2 : x2;
    return (second != swap) ? b : a;
}

/* Spread factor beta_q of one side, whose bound is margin away from the
 * parents (Deb's bounded SBX, eq. 3): alpha leaves out the mass beyond it. */
static double sbx_beta_q(double u, double margin, double spread, double eta)
{
    double beta = 1 + 2 * margin / spread, alpha = 2 - pow(beta, -(eta + 1));
    return u <= 1 / alpha ? pow(u * alpha, 1 / (eta + 1))
                          : pow(1 / (2 - u * alpha), 1 / (eta + 1));
}

void igm_crossover_sbx(const igm_crossover_kwargs *kw, igm_rng *rng, const double *parents,
                       size_t d, const double *lo, const double *hi, double *child)
{
    int second = igm_rng_uniform(rng) >= 0.5;
    for (size_t i = 0; i < d; i++) {
        double x1 = parents[i], x2 = parents[d + i];
        double xmin = fmin(x1, x2), xmax = fmax(x1, x2), spread = fmax(xmax - xmin, MIN_SPREAD);
        double u = igm_rng_uniform(rng); /* one u for both sides, as Optuna */
        double c1 = 0.5 * (xmin + xmax - sbx_beta_q(u, xmin - lo[i], spread, kw->eta) * spread);
        double c2 = 0.5 * (xmin + xmax + sbx_beta_q(u, hi[i] - xmax, spread, kw->eta) * spread);
        child[i] = mix_gene(kw, rng, second, c1, c2, x1, x2);
    }
}

/* Optuna draws u1 and u2 once for all genes (not per gene as the paper). */
void igm_crossover_vsbx(const igm_crossover_kwargs *kw, igm_rng *rng, const double *parents,
                        size_t d, const double *lo, const double *hi, double *child)
{
    double u1 = igm_rng_uniform(rng), u2 = igm_rng_uniform(rng);
    int second = igm_rng_uniform(rng) >= 0.5;
    for (size_t i = 0; i < d; i++) {
        double x1 = parents[i], x2 = parents[d + i], u = igm_rng_uniform(rng);
        double b1 = pow(1 / fmax(2 * u, MIN_SPREAD), 1 / (kw->eta + 1));
        double b2 = pow(1 / fmax(2 * (1 - u), MIN_SPREAD), 1 / (kw->eta + 1));
        double c1 = u1 <= 0.5 ? 0.5 * ((1 + b1) * x1 + (1 - b2) * x2)
                              : 0.5 * ((1 - b1) * x1 + (1 + b2) * x2);
        double c2 = u2 <= 0.5 ? 0.5 * ((3 - b1) * x1 - (1 - b2) * x2)
                              : 0.5 * (-(1 - b1) * x1 + (3 - b2) * x2);
        child[i] = mix_gene(kw, rng, second, c1, c2, x1, x2);
    }
}
