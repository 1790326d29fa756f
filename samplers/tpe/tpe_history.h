/* What TPE keeps about a study's finished trials between draws, folded in
 * once per trial (finished trials never change): each parameter's values
 * as a column with its sorted order, the constraint violations, and the
 * intersection search space.  It hangs on the study (study->sampler_cache)
 * and is rebuilt from the trials by a new process, so it is a cache, not
 * state. */
#ifndef IGM_TPE_HISTORY_H
#define IGM_TPE_HISTORY_H

#include <stddef.h>

#include "../../lib/arena.h"
#include "../../lib/frozen_trial.h"
#include "../search_space.h"
#include "igmopt/igmopt.h"

/* One parameter name over the trials, by position in the study's trials. */
typedef struct tpe_column {
    char *name;
    igm_dist_kind kind; /* of the first distribution seen; others are left out */
    int log;
    size_t n_choices;
    double *u;      /* kernel coordinate: the internal value, its log for log
                       distributions; NAN when the trial is not a folded COMPLETE or
                       PRUNED one with this parameter of this kind */
    size_t *sorted; /* the positions with a value, by (u, position) */
    size_t n_sorted;
} tpe_column;

typedef struct tpe_history {
    size_t n_slots, cap_slots; /* positions covered */
    unsigned char *folded;     /* 1: finished, and its facts recorded */
    double *violation;         /* total constraint violation (tpe_trial_violation) */
    size_t first_open;         /* every position below is folded */
    size_t n_finished;         /* COMPLETE and PRUNED trials folded */
    tpe_column *columns;
    size_t n_columns, cap_columns;
    int started;                   /* the intersection has its first trial */
    igm_search_space intersection; /* borrowed names and distributions */
    /* The last split, by position, and what it depended on: the trial drawn
     * for, the trials there were, how many finished, how many the model saw,
     * n_below.  A trial's later suggests reuse it while nothing changed. */
    unsigned char *split_below;
    int split_valid;
    int64_t split_number;
    size_t split_n_all, split_n_finished, split_n_model, split_n_below;
} tpe_history;

/* The study's history, created on first use. */
int tpe_history_of(igmopt_study *study, tpe_history **out);
/* Folds in the trials that finished since the last call. */
int tpe_history_update(tpe_history *h, igm_frozen_trial *const *trials, size_t n);
/* The column of name, or NULL. */
const tpe_column *tpe_history_column(const tpe_history *h, const char *name);
/* The intersection search space of the COMPLETE and PRUNED trials without
 * single-valued parameters, sorted by name (arrays from arena). */
int tpe_history_intersection(const tpe_history *h, igm_arena *arena, igm_search_space *out);
void tpe_history_free(void *history);

struct tpe_model;
/* The below flags of the model's trials from the last split when its key
 * matches (1), else 0; tpe_history_keep_split records a fresh one. */
int tpe_history_reuse_split(const tpe_history *h, struct tpe_model *m, int64_t current,
                            size_t n_below);
void tpe_history_keep_split(tpe_history *h, const struct tpe_model *m, int64_t current,
                            size_t n_below);

#endif
