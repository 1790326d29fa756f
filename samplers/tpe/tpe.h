/* TPESampler internals shared by its files: options, gamma and weights
 * presets, the trials a model sees, and the below/above split
 * (OPTUNA-ALGORITHMS.md s2.1-s2.4, Optuna's [H] behaviour). */
#ifndef IGM_TPE_H
#define IGM_TPE_H

#include <jansson.h>
#include <stddef.h>

#include "../../lib/arena.h"
#include "../../lib/frozen_trial.h"
#include "../../lib/rng.h"
#include "igmopt/igmopt.h"
#include "parzen_estimator.h"

/* gamma(n) = number of "below" trials among n finished ones. */
typedef enum tpe_gamma_kind {
    TPE_GAMMA_DEFAULT,  /* min(ceil(0.1 n), 25), or ceil(0.1 n) for >= 2 objectives */
    TPE_GAMMA_LINEAR,   /* min(ceil(factor n), cap) */
    TPE_GAMMA_SQRT      /* min(ceil(factor sqrt(n)), cap); "hyperopt": factor 0.25, cap 25 */
} tpe_gamma_kind;

typedef struct tpe_gamma {
    tpe_gamma_kind kind;
    double factor;
    long long cap; /* < 0: none */
} tpe_gamma;

typedef enum tpe_weights_kind {
    TPE_WEIGHTS_DEFAULT, /* ones below 25, else a ramp 1/n..1 then 25 ones */
    TPE_WEIGHTS_UNIFORM  /* all ones */
} tpe_weights_kind;

typedef struct tpe_options {
    tpe_parzen_params parzen;
    long long n_startup_trials;
    size_t n_ei_candidates;
    tpe_gamma gamma;
    tpe_weights_kind weights;
    int multivariate; /* -1: by the number of objectives */
    int group;
    int constant_liar;
    int has_seed;
    uint64_t seed;
} tpe_options;

/* Parses TPESampler's kwargs (doc/samplers.md); IGMOPT_EINVAL names the
 * offending one. */
int tpe_options_parse(const json_t *kwargs, tpe_options *out);

size_t tpe_gamma_n_below(const tpe_gamma *g, size_t n, size_t n_objectives);
/* out[0..n) = weights of n observations in trial-number order. */
void tpe_weights_fill(tpe_weights_kind kind, size_t n, double *out);

/* One trial the model sees: COMPLETE, PRUNED, or (constant liar) RUNNING. */
typedef struct tpe_trial {
    const igm_frozen_trial *trial;
    size_t slot; /* position in the study's trials */
    int running;
    double violation; /* sum of max(0, c_i); 0 feasible; NaN constraints count +inf */
    int below;        /* set by tpe_split */
    json_t *relative; /* RUNNING: the owner's published relative params, or NULL */
} tpe_trial;

/* Total constraint violation from the system attrs "constraints" (a list)
 * and "constraints:<key>" (numbers); 0 without any. */
double tpe_trial_violation(const igm_frozen_trial *t);

/* Marks the n_below best trials (s2.3): feasible COMPLETE ones by value
 * (multi-objective: non-domination ranks, then HSSP on the front that
 * does not fit whole), then feasible PRUNED ones by (-last step, last
 * value), then infeasible ones by violation; RUNNING ones never. */
int tpe_split(tpe_trial *trials, size_t n, size_t n_below, const igmopt_direction *directions,
              size_t n_objectives);

/* Where a worker publishes its joint draw for the constant liar: the JSON
 * object of external values in string chunks :0, :1, ... (Optuna [H]). */
#define TPE_RELATIVE_PARAMS_KEY "tpe:relative_params:"
#define TPE_RELATIVE_PARAMS_CHUNK 2045 /* Optuna's system attr length limit */

struct tpe_history;

/* The trials of one draw (tpe_model.c). */
typedef struct tpe_model {
    igm_frozen_trial *const *all; /* the study's trials (its cache's array) */
    size_t n_all;
    struct tpe_history *history;
    tpe_trial *trials; /* COMPLETE, PRUNED and (constant liar) RUNNING, by number */
    size_t n, n_finished;
} tpe_model;

/* Refreshes the study's trials and history; trials come from arena. */
int tpe_model_collect(tpe_model *m, igmopt_study *study, const igm_frozen_trial *current,
                      int constant_liar, igm_arena *arena);
void tpe_model_free(tpe_model *m);

enum { TPE_SIDE_BELOW = 0, TPE_SIDE_ABOVE = 1, TPE_SIDE_NONE = 2 };

/* A search space's observations on each side of the split: rows in trial
 * order of kernel coordinates (tpe_parzen_build), and for each numeric
 * parameter the rows in increasing order of it (NULL for categorical
 * ones). */
typedef struct tpe_observations {
    double *rows[2];
    size_t n[2];
    size_t **sorted[2];
} tpe_observations;

int tpe_observations_collect(const tpe_model *m, const igm_search_space *space,
                             igm_arena *arena, tpe_observations *o);

#endif
