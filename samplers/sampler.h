/* The internal sampler interface, mirroring Optuna's BaseSampler.  Samplers
 * read trials only through the study (igm_study_trials) and keep no state
 * that the study could not rebuild from storage, except their RNG. */
#ifndef IGM_SAMPLER_H
#define IGM_SAMPLER_H

#include <jansson.h>

#include "../lib/distribution.h"
#include "../lib/frozen_trial.h"
#include "igmopt/igmopt.h"

/* Parameters a sampler drew jointly for one trial (Optuna's relative
 * params): name, internal value and the distribution it was drawn from. */
typedef struct igm_relative_params {
    igm_param *items;
    size_t count, cap;
} igm_relative_params;

int igm_relative_params_add(igm_relative_params *r, const char *name, double internal,
                            const igm_distribution *d);
void igm_relative_params_clear(igm_relative_params *r);

typedef struct igm_sampler_ops {
    const char *name;
    void (*free)(void *impl);
    /* Called once when a trial starts (may be NULL).  May record trial
     * system attrs with igm_study_set_trial_system_attr. */
    int (*before_trial)(void *impl, igmopt_study *study, igm_frozen_trial *trial);
    /* Infers the relative search space from the study's trials and draws
     * it jointly into out (may be NULL).  Called once per trial, at its
     * first suggest, as Optuna >= 4 does (OPTUNA-ALGORITHMS.md s1.2). */
    int (*sample_relative)(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                           igm_relative_params *out);
    /* Draws the internal value of one parameter. */
    int (*sample_independent)(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                              const char *name, const igm_distribution *d, double *internal);
    /* Called when the trial is told, before its state is stored, with the
     * state and values about to be stored (values NULL unless COMPLETE or
     * a PRUNED trial with a last value), as Optuna's after_trial (may be
     * NULL). */
    int (*after_trial)(void *impl, igmopt_study *study, igm_frozen_trial *trial,
                       igmopt_trial_state state, const double *values, size_t n_values);
    /* Refuses (IGMOPT_EINVAL) a study of n_objectives that the sampler's
     * kwargs cannot serve, when the study is created or loaded, so that
     * nothing runs before the error (may be NULL). */
    int (*check_objectives)(void *impl, size_t n_objectives);
} igm_sampler_ops;

struct igmopt_sampler {
    const igm_sampler_ops *ops;
    void *impl;
    int refs; /* the creator's reference plus one per study using it */
};

/* Constructor of one sampler kind from its kwargs (a JSON object, never
 * NULL; unknown keys are an error naming them). */
typedef int (*igm_sampler_create_fn)(void **impl, const igm_sampler_ops **ops,
                                     const json_t *options);

int igm_random_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options);
/* A RandomSampler on a seed of any 64 bits (NULL: from entropy), for the
 * samplers that derive their independent stream from their own seed. */
int igm_random_sampler_create_seeded(void **impl, const igm_sampler_ops **ops,
                                     const uint64_t *seed);
int igm_tpe_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options);
int igm_qmc_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options);
int igm_grid_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options);
int igm_brute_force_sampler_create(void **impl, const igm_sampler_ops **ops,
                                   const json_t *options);
int igm_partial_fixed_sampler_create(void **impl, const igm_sampler_ops **ops,
                                     const json_t *options);
int igm_nsga2_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options);
int igm_nsga3_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options);

/* A sampler nested in another one's kwargs (QMCSampler's
 * independent_sampler, PartialFixedSampler's base_sampler): a JSON object
 * {"method": "<Optuna class name>", <its kwargs>...} (method null or
 * absent: the default sampler) or the bare class name as a JSON string. */
int igm_sampler_from_json(const json_t *spec, igmopt_sampler **out);
/* method (NULL: the default) is an Optuna sampler class name, built or not. */
int igm_sampler_method_known(const char *method);
/* Calls into a nested sampler; absent optional hooks do nothing. */
int igm_sampler_before_trial(igmopt_sampler *s, igmopt_study *study, igm_frozen_trial *trial);
int igm_sampler_sample_relative(igmopt_sampler *s, igmopt_study *study,
                                const igm_frozen_trial *trial, igm_relative_params *out);
int igm_sampler_sample_independent(igmopt_sampler *s, igmopt_study *study,
                                   const igm_frozen_trial *trial, const char *name,
                                   const igm_distribution *d, double *internal);
int igm_sampler_check_objectives(igmopt_sampler *s, size_t n_objectives);
int igm_sampler_after_trial(igmopt_sampler *s, igmopt_study *study, igm_frozen_trial *trial,
                            igmopt_trial_state state, const double *values, size_t n_values);

/* Shared kwarg checks for sampler/pruner constructors. */
int igm_options_check_keys(const json_t *options, const char *owner,
                           const char *const *allowed);
/* "seed": null or an integer in 0 .. 2**32 - 1 (numpy's RandomState, which
 * Optuna seeds with it); *has_seed is 0 for null/absent. */
int igm_options_seed(const json_t *options, const char *owner, int *has_seed, uint64_t *seed);

/* Parses a kwargs JSON object (NULL gives an empty object). */
int igm_parse_kwargs(const char *options_json, const char *owner, json_t **out);

void igm_sampler_retain(igmopt_sampler *s);
int igm_default_sampler(igmopt_sampler **out);

#endif
