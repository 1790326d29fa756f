/* Relative search spaces inferred from finished trials: Optuna's
 * intersection search space and TPE's group decomposition
 * (OPTUNA-ALGORITHMS.md s1.5).  Names and distributions are borrowed from
 * the trials, which must outlive the result (finished trials in the
 * study's cache never move). */
#ifndef IGM_SEARCH_SPACE_H
#define IGM_SEARCH_SPACE_H

#include <stddef.h>

#include "../lib/frozen_trial.h"

typedef struct igm_search_space {
    const char **names;
    const igm_distribution **dists;
    size_t count;
} igm_search_space;

typedef struct igm_search_space_groups {
    igm_search_space *groups;
    size_t count;
} igm_search_space_groups;

/* The parameters every COMPLETE (and, with include_pruned, PRUNED) trial
 * has with equal distributions, sorted by name (Optuna's
 * IntersectionSearchSpace).  With drop_single the single-valued ones are
 * left out, as every sampler does. */
int igm_intersection_search_space(igm_frozen_trial *const *trials, size_t n, int include_pruned,
                                  int drop_single, igm_search_space *out);

/* The same, one trial at a time (Optuna's IntersectionSearchSpace cache):
 * the first trial given (*started 0) starts s with all its parameters, in
 * its order; each later one keeps those it has with an equal distribution.
 * The result does not depend on the order trials come in. */
int igm_intersection_add(igm_search_space *s, int *started, const igm_frozen_trial *t);
/* out = s without its single-valued parameters (with drop_single), sorted
 * by name, in arrays of its own. */
int igm_search_space_finish(const igm_search_space *s, int drop_single, igm_search_space *out);

/* Disjoint groups of parameters that always appear together in the
 * COMPLETE (and PRUNED) trials, in Optuna's group order; names compared,
 * the first distribution seen kept.  Each group is sorted by name; with
 * drop_single the single-valued ones are left out (and groups emptied by
 * that dropped).  Example: trials {x,y} then {x,z} give [{x},{y},{z}]. */
int igm_group_decomposed_search_space(igm_frozen_trial *const *trials, size_t n,
                                      int include_pruned, int drop_single,
                                      igm_search_space_groups *out);

/* Index of name in the space, or -1. */
long igm_search_space_find(const igm_search_space *s, const char *name);
void igm_search_space_clear(igm_search_space *s);
void igm_search_space_groups_clear(igm_search_space_groups *g);

#endif
