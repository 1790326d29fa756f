/* RandomSampler: each parameter drawn uniformly in the continuous column of
 * Optuna's transform, then mapped back (OPTUNA-ALGORITHMS.md s1.3, s7). */
#include <stdlib.h>

#include "../lib/error.h"
#include "../lib/rng.h"
#include "sampler.h"
#include "transform.h"

typedef struct random_sampler {
    igm_rng rng;
} random_sampler;

/* A uniform draw in the parameter's column, mapped back (floats and ints). */
static double sample_numeric(igm_rng *rng, const igm_distribution *d)
{
    double low, high;
    igm_transform_bounds(d, &low, &high);
    return igm_transform_untransform(d, igm_rng_uniform_range(rng, low, high));
}

static int random_sample_independent(void *impl, igmopt_study *study,
                                      const igm_frozen_trial *trial, const char *name,
                                      const igm_distribution *d, double *internal)
{
    random_sampler *rs = impl;
    switch (d->kind) {
    case IGM_DIST_FLOAT:
    case IGM_DIST_INT: *internal = sample_numeric(&rs->rng, d); break;
    case IGM_DIST_CATEGORICAL: *internal = (double)igm_rng_below(&rs->rng, d->n_choices); break;
    }
    return IGMOPT_OK;
}

static const igm_sampler_ops random_sampler_ops = {
    "RandomSampler", free, NULL, NULL, random_sample_independent, NULL, NULL,
};

int igm_random_sampler_create_seeded(void **impl, const igm_sampler_ops **ops,
                                     const uint64_t *seed)
{
    random_sampler *rs = malloc(sizeof *rs);
    if (!rs)
        return igm_error_nomem();
    if (seed)
        igm_rng_seed(&rs->rng, *seed);
    else
        igm_rng_seed_random(&rs->rng);
    *impl = rs;
    *ops = &random_sampler_ops;
    return IGMOPT_OK;
}

int igm_random_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options)
{
    static const char *const allowed[] = {"seed", NULL};
    uint64_t seed = 0;
    int has_seed, rc;
    if ((rc = igm_options_check_keys(options, "RandomSampler", allowed)) ||
        (rc = igm_options_seed(options, "RandomSampler", &has_seed, &seed)))
        return rc;
    return igm_random_sampler_create_seeded(impl, ops, has_seed ? &seed : NULL);
}
