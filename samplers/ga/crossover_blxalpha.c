/* BLXAlphaCrossover, blend crossover (Eshelman & Schaffer, "Real-coded
 * genetic algorithms and interval-schemata", FOGA 1993): each gene uniform
 * on the parents' interval widened by alpha times its width on both sides. */
#include <math.h>

#include "crossover_ops.h"

void igm_crossover_blxalpha(const igm_crossover_kwargs *kw, igm_rng *rng, const double *parents,
                            size_t d, const double *lo, const double *hi, double *child)
{
    for (size_t i = 0; i < d; i++) {
        double a = fmin(parents[i], parents[d + i]), b = fmax(parents[i], parents[d + i]);
        double margin = kw->alpha * (b - a);
        double low = a - margin, high = b + margin;
        child[i] = low + (high - low) * igm_rng_uniform(rng);
    }
}
