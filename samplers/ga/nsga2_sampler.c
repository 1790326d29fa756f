/* NSGAIISampler (Deb, Pratap, Agarwal & Meyarivan 2002, "A fast and
 * elitist multiobjective genetic algorithm: NSGA-II"): the genetic
 * framework (ga.h) with rank + crowding-distance elite selection. */
#include "ga.h"

static int nsga2_select(void *state, const igm_elite_pool *pool, size_t k, igm_rng *rng,
                        size_t *selected)
{
    return igm_nsga2_select(pool, k, selected);
}

static const igm_ga_kind nsga2_kind = {
    IGM_GA_OPS("NSGAIISampler"), NULL, NULL, NULL, nsga2_select, NULL,
};

int igm_nsga2_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options)
{
    return igm_ga_sampler_create(impl, ops, options, &nsga2_kind);
}
