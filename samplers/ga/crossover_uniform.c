/* UniformCrossover (Syswerda 1989): each gene from one of two parents. */
#include "crossover_ops.h"

void igm_crossover_uniform(const igm_crossover_kwargs *kw, igm_rng *rng, const double *parents,
                           size_t d, const double *lo, const double *hi, double *child)
{
    for (size_t i = 0; i < d; i++) {
        /* Optuna: u >= swapping_prob takes parent 2, so swapping_prob is the
         * probability of keeping parent 1's gene. */
        int second = igm_rng_uniform(rng) >= kw->swapping_prob;
        child[i] = parents[(second ? d : 0) + i];
    }
}
