/* The genetic-sampler framework shared by NSGAIISampler and NSGAIIISampler
 * (Optuna's BaseGASampler, OPTUNA-ALGORITHMS.md s3): common kwargs,
 * generation bookkeeping in storage attrs, child generation, and the
 * sampler ops.  A concrete sampler is an igm_ga_kind: its Optuna class name
 * (the prefix of its attrs), its extra kwargs and its elite selection. */
#ifndef IGM_GA_H
#define IGM_GA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/rng.h"
#include "../sampler.h"
#include "../search_space.h"
#include "crossover.h"
#include "elite_selection.h"

typedef struct igm_ga_kind {
    igm_sampler_ops ops;           /* IGM_GA_OPS(name) */
    const char *const *extra_keys; /* kwargs beyond the common ones, NULL-ended, or NULL */
    /* The kind's own state from the kwargs (may be NULL: no state). */
    int (*create)(const json_t *options, void **state);
    void (*free_state)(void *state);
    /* Picks k of the pool (OPTUNA-ALGORITHMS.md s3.5, s4): min(k, n)
     * indices into selected. */
    int (*select)(void *state, const igm_elite_pool *pool, size_t k, igm_rng *rng,
                  size_t *selected);
    /* The kind's check of a study's number of objectives (may be NULL). */
    int (*check_objectives)(void *state, size_t n_objectives);
} igm_ga_kind;

/* The common kwargs (s3.1). */
typedef struct igm_ga_options {
    size_t population_size;
    double mutation_prob;  /* < 0: 1 / max(1, n_params) */
    int polynomial_mutation; /* 0: a mutated parameter is drawn uniformly */
    double mutation_eta;
    double crossover_prob, swapping_prob;
    int has_seed;
    uint64_t seed;
    json_t *crossover; /* the "crossover" kwarg (owned), or NULL */
} igm_ga_options;

/* Parses and checks the common kwargs; owner is the class name. */
int igm_ga_options_parse(const json_t *kw, const char *owner, const char *const *extra_keys,
                         igm_ga_options *o);
void igm_ga_options_clear(igm_ga_options *o);

typedef struct igm_ga_sampler {
    const igm_ga_kind *kind;
    void *state;
    igm_ga_options opt;
    igm_rng rng;              /* parents, crossover, mutation, selection */
    igm_crossover *crossover; /* built for crossover_m objectives */
    size_t crossover_m;
    void *random_impl; /* RandomSampler: independent and mutated parameters */
    const igm_sampler_ops *random_ops;
} igm_ga_sampler;

int igm_ga_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options,
                          const igm_ga_kind *kind);

/* The ops of a genetic sampler; name is its Optuna class name. */
void igm_ga_free(void *impl);
int igm_ga_sample_relative(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                           igm_relative_params *out);
int igm_ga_sample_independent(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                              const char *name, const igm_distribution *d, double *internal);
int igm_ga_check_objectives(void *impl, size_t n_objectives);
#define IGM_GA_OPS(name)                                                                   \
    { name, igm_ga_free, NULL, igm_ga_sample_relative, igm_ga_sample_independent, NULL,      \
      igm_ga_check_objectives }

/* ---- generation bookkeeping (ga_generation.c) ---------------------------- */

/* What the sampler keeps about a study's finished trials between asks
 * (ga_history.c): hangs on the study (study->sampler_cache) and is rebuilt
 * from the trials by a new process, so it is a cache, not state. */
typedef struct igm_ga_history igm_ga_history;

/* The study's trials as one generation step sees them. */
typedef struct igm_ga_view {
    igmopt_study *study;
    const char *owner;             /* class name: attr prefix */
    igm_frozen_trial *const *trials; /* in trial_id order: the index is the number */
    size_t n;
    igm_ga_history *history;       /* folded up to n */
} igm_ga_view;

/* The study's history, created on first use. */
int igm_ga_history_of(igmopt_study *study, igm_ga_history **out);
/* Folds in the view's trials that finished since the last call. */
int igm_ga_history_update(igm_ga_history *h, const igm_ga_view *v);
/* The generation of the COMPLETE trial at index i, else -1. */
int64_t igm_ga_history_generation(const igm_ga_history *h, size_t i);
/* The generation a new trial joins (s3.2): the largest generation m of a
 * COMPLETE trial (0 if none) while m has fewer than population_size
 * COMPLETE trials, else m + 1. */
int64_t igm_ga_history_next_generation(const igm_ga_history *h, size_t population_size);
/* The smallest generation >= from that holds a COMPLETE trial, or -1. */
int64_t igm_ga_history_first_generation_from(const igm_ga_history *h, int64_t from);
/* The parent population of g when it is the one kept last (*found), as a
 * malloc'd array; parents are COMPLETE trials of the study's cache. */
int igm_ga_history_parents(const igm_ga_history *h, int64_t g,
                           const igm_frozen_trial ***parents, size_t *n, int *found);
int igm_ga_history_keep_parents(igm_ga_history *h, int64_t g,
                                const igm_frozen_trial *const *parents, size_t n);
/* The intersection search space of the COMPLETE trials without
 * single-valued parameters, sorted by name. */
int igm_ga_history_search_space(const igm_ga_history *h, igm_search_space *out);

/* The trial's "<owner>:generation" system attr, or -1 without one (a
 * trial another sampler wrote counts in no generation, as in Optuna) or
 * when it is not an integer between 0 and the trial's number. */
int64_t igm_ga_generation_of(const char *owner, const igm_frozen_trial *t);

/* The trial's generation: its "<owner>:generation" system attr, or, the
 * first time, computed from the COMPLETE trials and stored (s3.2). */
int igm_ga_trial_generation(igm_ga_sampler *s, const igm_ga_view *v,
                            const igm_frozen_trial *trial, int64_t *generation);
/* The parent population of generation g (empty for 0): the study attr
 * "<owner>:parent:<g>", or the elite selection over the COMPLETE trials of
 * g - 1 and the parents of g - 1, stored once.  *parents is malloc'd. */
int igm_ga_parent_population(igm_ga_sampler *s, const igm_ga_view *v, int64_t g,
                             const igm_frozen_trial ***parents, size_t *n);

/* ---- child generation (ga_child.c) --------------------------------------- */

/* One child of the parent population over the relative search space
 * (s3.3, s3.4), as relative params. */
int igm_ga_child(igm_ga_sampler *s, const igmopt_study *study, const igm_search_space *space,
                 const igm_frozen_trial *const *parents, size_t n_parents,
                 igm_relative_params *out);

#endif
