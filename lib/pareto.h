/* Pareto dominance on loss vectors: non-domination ranks, the first front,
 * crowding distance and constrained domination, shared by best_trials,
 * TPE's multi-objective split and NSGA-II/III (OPTUNA-ALGORITHMS.md s3.5, s9).
 *
 * Points are row-major n x m arrays of loss vectors (smaller is better in
 * every objective; igm_loss_vector orients trial values).  Infinities order
 * as numbers; NaN counts as +inf wherever points are compared. */
#ifndef IGM_PARETO_H
#define IGM_PARETO_H

#include <stddef.h>

#include "frozen_trial.h"
#include "igmopt/igmopt.h"

/* out[j] = values[j], negated where dirs[j] is MAXIMIZE (dirs NULL: all
 * minimised).  out may be values. */
void igm_loss_vector(const double *values, const igmopt_direction *dirs, size_t m, double *out);

/* 1 if a dominates b (a <= b everywhere, < somewhere) for the directions
 * (dirs NULL: all minimised), else 0. */
int igm_dominates(const double *a, const double *b, const igmopt_direction *dirs, size_t m);

/* Total violation of constraint values: sum of max(0, c_i) (0 when n is 0:
 * no constraints means feasible).  NaN if any c_i is NaN. */
double igm_constraint_violation(const double *c, size_t n);

/* Constrained domination (Deb et al. 2002, s3.5): a feasible point
 * (violation <= 0) beats an infeasible one; two infeasible points compare
 * by violation (smaller wins); two feasible ones by igm_dominates.  A NaN
 * violation (unknown) loses against any known one; two unknown compare by
 * igm_dominates.  Optuna [H] counts a trial without constraint values as
 * feasible (pass 0), [3.1] as losing (pass NaN).  Trial states (non-COMPLETE
 * loses) are the caller's business. */
int igm_constrained_dominates(const double *a, double violation_a, const double *b,
                              double violation_b, const igmopt_direction *dirs, size_t m);

/* Non-domination rank of every point (0 = first Pareto front), as Optuna's
 * fronts peeled from the unique rows: equal points share a rank; one
 * objective gives the dense rank of the value.  O(n log n) for m <= 2,
 * O(m n^2) worst case otherwise.  IGMOPT_ENOMEM or IGMOPT_OK. */
int igm_nondominated_ranks(const double *points, size_t n, size_t m, int *ranks);

/* Ranks with constraints (Optuna's _fast_non_domination_rank with a
 * penalty): feasible points (violation <= 0) by igm_nondominated_ranks;
 * then infeasible ones after the worst feasible rank, by the dense rank of
 * their violation; then points with a NaN violation after all of those,
 * ranked among themselves by their loss vectors.  violations NULL: all
 * feasible. */
int igm_constrained_nondominated_ranks(const double *points, const double *violations, size_t n,
                                       size_t m, int *ranks);

/* on_front[i] = 1 if no point dominates point i (duplicates of a front
 * point are all on it), else 0.  Cheaper than the ranks when only the
 * front is needed. */
int igm_pareto_front_mask(const double *points, size_t n, size_t m, unsigned char *on_front);

/* NSGA-II crowding distance of each point of one front (Deb et al. 2002,
 * with Optuna's infinity rules, s3.5), from the raw trial values (the
 * direction matters for the order ties are visited in, so pass values as
 * stored, not loss vectors).  An objective whose values are all equal adds
 * nothing; otherwise each point adds (next - prev) / width, the sorted
 * values padded with -inf and +inf, width the spread of the finite values
 * (1 if not positive), a gap between equal values (also two equal
 * infinities) 0: boundary points get +inf, no result is NaN. */
int igm_crowding_distance(const double *values, size_t n, size_t m, double *distance);

/* The front in Optuna's crowding-distance order (largest distance first;
 * ties in the order Optuna's in-place sorts leave them): order[0..n) is a
 * permutation of 0..n-1.  NSGA-II keeps the first few. */
int igm_crowding_distance_sort(const double *values, size_t n, size_t m, size_t *order);

/* Best trial (one objective) or Pareto front (duplicates kept) of the
 * COMPLETE trials, in the trials' order; *out malloc'd. */
int igm_best_trials(const igmopt_study *study, igm_frozen_trial *const *trials, size_t n,
                    const igm_frozen_trial ***out, size_t *n_out);

#endif
