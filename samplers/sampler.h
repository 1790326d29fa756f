/* The internal sampler interface, mirroring Optuna's BaseSampler.  Samplers
 * read trials only through the study (igm_study_trials) and keep no state
 * that the study could not rebuild from storage, except their RNG. */
#ifndef IGM_SAMPLER_H
#define IGM_SAMPLER_H

#include <jansson.h>

#include "../lib/distribution.h"
#include "../lib/frozen_trial.h"
#include "igmopt/igmopt.h"

typedef struct igm_sampler_ops {
    const char *name;
    void (*free)(void *impl);
    /* Called once when a trial starts (may be NULL). */
    int (*before_trial)(void *impl, igmopt_study *study, const igm_frozen_trial *trial);
    /* Draws the internal value of one parameter. */
    int (*sample_independent)(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                              const char *name, const igm_distribution *d, double *internal);
    /* Called after the trial finished (may be NULL). */
    int (*after_trial)(void *impl, igmopt_study *study, const igm_frozen_trial *trial);
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

/* Shared kwarg checks for sampler/pruner constructors. */
int igm_options_check_keys(const json_t *options, const char *owner,
                           const char *const *allowed);
/* "seed": null or an integer; *has_seed is 0 for null/absent. */
int igm_options_seed(const json_t *options, const char *owner, int *has_seed, uint64_t *seed);

/* Parses a kwargs JSON object (NULL gives an empty object). */
int igm_parse_kwargs(const char *options_json, const char *owner, json_t **out);

void igm_sampler_retain(igmopt_sampler *s);
int igm_default_sampler(igmopt_sampler **out);

#endif
