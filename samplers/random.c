/* RandomSampler: each parameter drawn uniformly in the continuous column of
 * Optuna's transform, then mapped back (OPTUNA-ALGORITHMS.md s1.3, s7). */
#include <math.h>
#include <stdlib.h>

#include "../lib/error.h"
#include "../lib/rng.h"
#include "sampler.h"

typedef struct random_sampler {
    igm_rng rng;
} random_sampler;

/* Python's round(): halves go to the even neighbour. */
static double round_half_even(double x)
{
    return nearbyint(x); /* default FE_TONEAREST mode rounds halves to even */
}

static double sample_float(igm_rng *rng, const igm_distribution *d)
{
    double x;
    if (d->step != 0) {
        x = igm_rng_uniform_range(rng, d->low - 0.5 * d->step, d->high + 0.5 * d->step);
        x = d->low + round_half_even((x - d->low) / d->step) * d->step;
        return fmin(fmax(x, d->low), d->high);
    }
    if (d->log)
        x = exp(igm_rng_uniform_range(rng, log(d->low), log(d->high)));
    else
        x = igm_rng_uniform_range(rng, d->low, d->high);
    /* Only an upper clamp, as Optuna's untransform. */
    return fmin(x, nextafter(d->high, -INFINITY));
}

static double clamp_int(double v, const igm_distribution *d)
{
    return fmin(fmax(v, (double)d->ilow), (double)d->ihigh);
}

static double sample_int(igm_rng *rng, const igm_distribution *d)
{
    double s = (double)d->istep, x;
    if (d->log) {
        x = igm_rng_uniform_range(rng, log((double)d->ilow - 0.5), log((double)d->ihigh + 0.5));
        return clamp_int(round_half_even(exp(x)), d);
    }
    x = igm_rng_uniform_range(rng, (double)d->ilow - 0.5 * s, (double)d->ihigh + 0.5 * s);
    return clamp_int((double)d->ilow + floor((x - (double)d->ilow) / s + 0.5) * s, d);
}

static int random_sample_independent(void *impl, igmopt_study *study,
                                      const igm_frozen_trial *trial, const char *name,
                                      const igm_distribution *d, double *internal)
{
    random_sampler *rs = impl;
    switch (d->kind) {
    case IGM_DIST_FLOAT: *internal = sample_float(&rs->rng, d); break;
    case IGM_DIST_INT: *internal = sample_int(&rs->rng, d); break;
    case IGM_DIST_CATEGORICAL: *internal = (double)igm_rng_below(&rs->rng, d->n_choices); break;
    }
    return IGMOPT_OK;
}

static const igm_sampler_ops random_sampler_ops = {
    "RandomSampler", free, NULL, NULL, random_sample_independent, NULL,
};

int igm_random_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options)
{
    static const char *const allowed[] = {"seed", NULL};
    random_sampler *rs;
    uint64_t seed = 0;
    int has_seed, rc;
    if ((rc = igm_options_check_keys(options, "RandomSampler", allowed)) ||
        (rc = igm_options_seed(options, "RandomSampler", &has_seed, &seed)))
        return rc;
    rs = malloc(sizeof *rs);
    if (!rs)
        return igm_error_nomem();
    if (has_seed)
        igm_rng_seed(&rs->rng, seed);
    else
        igm_rng_seed_random(&rs->rng);
    *impl = rs;
    *ops = &random_sampler_ops;
    return IGMOPT_OK;
}
