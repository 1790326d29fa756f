/* The steps of NSGA-III's cut of the last front (Deb & Jain 2014, s IV-C
 * to IV-E; OPTUNA-ALGORITHMS.md s4), apart so that each can be tested.
 * Points are row-major rows x m loss vectors (minimised). */
#ifndef IGM_GA_NSGA3_H
#define IGM_GA_NSGA3_H

#include <stddef.h>

#include "../../lib/rng.h"
#include "elite_selection.h"

/* In place: infinities (and NaN) clipped to 3 ranges beyond the finite
 * values of their column (0 when it has none), the ideal point subtracted,
 * each column multiplied by its intercept inverse a_j, where E a = 1 for
 * the extreme points E (one per axis: the row minimising the achievement
 * scalarising function with off-axis weights 1e6) when E is finite and of
 * full rank, else a_j = 1 / (the column's largest value); a non-finite
 * a_j is 1.  IGMOPT_OK or IGMOPT_ENOMEM. */
int igm_nsga3_normalise(double *f, size_t rows, size_t m);

/* closest[i] = the reference direction nearest to row i (perpendicular
 * distance to the line through the origin; the first on ties), distance[i]
 * that distance (+inf if it overflows).  refs->m is m, refs->count >= 1. */
void igm_nsga3_associate(const double *f, size_t rows, const igm_reference_points *refs,
                         size_t *closest, double *distance);

/* Niching: rows 0..n_elite are selected members, rows n_elite .. n_elite +
 * n_cut the front to cut.  Takes want (<= n_cut) of the front: reference
 * points holding the fewest members first (a group shuffled when reached);
 * an empty niche takes its closest candidate (the lowest index on ties),
 * a held one a random candidate.  out receives front-local indices in the
 * order taken.  IGMOPT_OK or IGMOPT_ENOMEM. */
int igm_nsga3_niche_pick(const size_t *closest, const double *distance, size_t n_elite,
                         size_t n_cut, size_t n_refs, size_t want, igm_rng *rng, size_t *out);

#endif
