/* Internal view of a study: its storage identity, sampler, pruner and the
 * cache of its trials that samplers read. */
#ifndef IGM_STUDY_H
#define IGM_STUDY_H

#include "../samplers/sampler.h"
#include "../storage/storage.h"
#include "frozen_trial.h"
#include "pareto.h" /* igm_best_trials, igm_dominates */
#include "pruner.h"

/* The study's trials in trial_id order (numbers are contiguous, so the
 * index is the number).  Finished trials never change and are read once;
 * a refresh reads only new trials and the unfinished ones. */
typedef struct igm_trial_cache {
    igm_frozen_trial **trials;
    size_t count, cap;
    size_t first_unfinished; /* every trial before this index is finished */
    igm_param *known_params;  /* first distribution seen per parameter name */
    size_t n_known, cap_known;
    int refreshed; /* storage was read at least once */
} igm_trial_cache;

struct igmopt_study {
    igmopt_storage *storage;
    int64_t study_id;
    char *name;
    igmopt_direction *directions;
    size_t n_objectives;
    igmopt_sampler *sampler;
    igmopt_pruner *pruner;
    igm_trial_cache cache;
    int stop_requested;
    /* What the sampler derives from the cached trials and keeps up to date
     * incrementally (TPE: per-parameter columns, the intersection space);
     * freed with the study by sampler_cache_free. */
    void *sampler_cache;
    void (*sampler_cache_free)(void *cache);
};

struct igmopt_trial {
    igmopt_study *study;
    igm_frozen_trial *record; /* this handle's view: params suggested so far */
    char *fixed_params;       /* enqueued params (JSON object) or NULL */
    igm_relative_params relative;
    int relative_sampled;     /* sample_relative ran for this trial */
};

/* Study and trial system attributes, for samplers' bookkeeping.  The
 * trial's record is updated with what is stored. */
int igm_study_set_system_attr(igmopt_study *study, const char *key, const char *value_json);
int igm_study_system_attrs(igmopt_study *study, igm_attr_list *out);
int igm_study_set_trial_system_attr(igmopt_study *study, igm_frozen_trial *trial,
                                    const char *key, const char *value_json);
/* A sampler may end the study (Optuna's study.stop(), e.g. GridSampler
 * with no grid point left): the runner launches no further trial. */
void igm_study_request_stop(igmopt_study *study);
int igm_study_stop_requested(const igmopt_study *study);

/* The sampler's cache on the study (sampler_cache), created zeroed with
 * size bytes on first use; free_cache identifies its kind (a study has one
 * sampler, so another kind's cache is only ever replaced). */
int igm_study_sampler_cache(igmopt_study *study, size_t size, void (*free_cache)(void *),
                            void **out);

/* Refreshes the cache and lends every trial of the study. */
int igm_study_trials(igmopt_study *study, igm_frozen_trial *const **trials, size_t *n);
/* Finds a trial by number after a refresh; IGMOPT_ENOTFOUND if absent. */
int igm_study_find_trial(igmopt_study *study, int64_t number, const igm_frozen_trial **out);
/* The distribution recorded for name by any cached trial, or NULL. */
const igm_distribution *igm_study_param_distribution(const igmopt_study *study,
                                                     const char *name);

/* Tells FAIL after storing reason as the trial's system attr "fail_reason"
 * (a JSON string), as tell does for NaN values (lib/trial.c). */
int igm_study_fail_trial(igmopt_study *study, igmopt_trial *t, const char *reason);

void igm_trial_cache_clear(igm_trial_cache *c);
int igm_trial_cache_refresh(igm_trial_cache *c, igmopt_storage *st, int64_t study_id);
/* Records name's distribution if no trial used name before. */
int igm_trial_cache_remember_param(igm_trial_cache *c, const char *name,
                                   const igm_distribution *d);

/* The trials JSON of a set of trials (lib/trials_json.c). */
int igm_trials_to_json(const igm_frozen_trial *const *trials, size_t n, char **out);

#endif
