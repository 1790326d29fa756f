/* SPXCrossover, simplex crossover (Tsutsui, Yamamura & Higuchi, "Multi-
 * parent recombination with simplex crossover in real coded genetic
 * algorithms", GECCO 1999; the recurrence as in Tsutsui, Goldberg & Sastry,
 * IlliGAL 2000, eqs. 1-5): uniform in the parents' simplex expanded by
 * epsilon about its centroid. */
#include <math.h>

#include "crossover_ops.h"

#define N_PARENTS 3

void igm_crossover_spx(const igm_crossover_kwargs *kw, igm_rng *rng, const double *parents,
                       size_t d, const double *lo, const double *hi, double *child)
{
    double epsilon = isnan(kw->epsilon) ? sqrt((double)d + 2.0) : kw->epsilon;
    double r[N_PARENTS - 1];
    for (int k = 0; k < N_PARENTS - 1; k++)
        r[k] = pow(igm_rng_uniform(rng), 1.0 / (k + 1)); /* eq. 2 */
    for (size_t i = 0; i < d; i++) {
        double g = 0, y[N_PARENTS], c = 0;
        for (int k = 0; k < N_PARENTS; k++)
            g += parents[k * d + i] / N_PARENTS;
        for (int k = 0; k < N_PARENTS; k++)
            y[k] = g + epsilon * (parents[k * d + i] - g); /* eq. 3 */
        for (int k = 1; k < N_PARENTS; k++)
            c = r[k - 1] * (y[k - 1] - y[k] + c); /* eq. 4 */
        child[i] = y[N_PARENTS - 1] + c;          /* eq. 5 */
    }
}
