/* The sampler ops of the genetic samplers (Optuna [H] BaseGASampler and
 * NSGAIISampler, OPTUNA-ALGORITHMS.md s3): a trial of generation g >= 1 is
 * a child of g's parent population over the intersection search space
 * (COMPLETE trials); everything else is drawn uniformly at random. */
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/study.h"
#include "ga.h"

#define RANDOM_SEED_SALT 0x47415f52414e444full /* "GA_RANDO": the independent stream */

static int child_of_generation(igm_ga_sampler *s, const igm_ga_view *v,
                               const igm_frozen_trial *trial, igm_relative_params *out)
{
    const igm_frozen_trial **parents = NULL;
    igm_search_space space = {0};
    size_t n_parents = 0;
    int64_t g;
    int rc = igm_ga_trial_generation(s, v, trial, &g);
    if (rc == IGMOPT_OK)
        rc = igm_ga_parent_population(s, v, g, &parents, &n_parents);
    if (rc == IGMOPT_OK && n_parents > 0)
        rc = igm_ga_history_search_space(v->history, &space);
    if (rc == IGMOPT_OK && space.count > 0)
        rc = igm_ga_child(s, v->study, &space, parents, n_parents, out);
    igm_search_space_clear(&space);
    free(parents);
    return rc;
}

int igm_ga_sample_relative(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                           igm_relative_params *out)
{
    igm_ga_sampler *s = impl;
    igm_ga_view v = {study, s->kind->ops.name, NULL, 0, NULL};
    int rc = igm_study_trials(study, &v.trials, &v.n);
    if (rc == IGMOPT_OK && (rc = igm_ga_history_of(study, &v.history)) == IGMOPT_OK)
        rc = igm_ga_history_update(v.history, &v);
    return rc ? rc : child_of_generation(s, &v, trial, out);
}

/* Generation 0, mutated parameters and those outside the intersection
 * space: RandomSampler. */
int igm_ga_sample_independent(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                              const char *name, const igm_distribution *d, double *internal)
{
    igm_ga_sampler *s = impl;
    return s->random_ops->sample_independent(s->random_impl, study, trial, name, d, internal);
}

int igm_ga_check_objectives(void *impl, size_t n_objectives)
{
    igm_ga_sampler *s = impl;
    return s->kind->check_objectives ? s->kind->check_objectives(s->state, n_objectives)
                                     : IGMOPT_OK;
}

void igm_ga_free(void *impl)
{
    igm_ga_sampler *s = impl;
    if (!s)
        return;
    if (s->random_ops)
        s->random_ops->free(s->random_impl);
    if (s->kind->free_state)
        s->kind->free_state(s->state);
    igm_crossover_free(s->crossover);
    igm_ga_options_clear(&s->opt);
    free(s);
}

static int create_random_sampler(igm_ga_sampler *s)
{
    uint64_t seed = s->opt.seed ^ RANDOM_SEED_SALT;
    return igm_random_sampler_create_seeded(&s->random_impl, &s->random_ops,
                                            s->opt.has_seed ? &seed : NULL);
}

int igm_ga_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options,
                          const igm_ga_kind *kind)
{
    igm_ga_sampler *s = calloc(1, sizeof *s);
    int rc;
    if (!s)
        return igm_error_nomem();
    s->kind = kind;
    if ((rc = igm_ga_options_parse(options, kind->ops.name, kind->extra_keys, &s->opt)) ||
        (kind->create && (rc = kind->create(options, &s->state))) ||
        (rc = create_random_sampler(s))) {
        igm_ga_free(s);
        return rc;
    }
    if (s->opt.has_seed)
        igm_rng_seed(&s->rng, s->opt.seed);
    else
        igm_rng_seed_random(&s->rng);
    *impl = s;
    *ops = &kind->ops;
    return IGMOPT_OK;
}
