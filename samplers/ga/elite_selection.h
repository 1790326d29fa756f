/* Elite population selection of the genetic samplers: which trials of
 * (last generation's trials) + (its parent population) become the next
 * parent population (OPTUNA-ALGORITHMS.md s3.5 NSGA-II, s4 NSGA-III).
 * Pure functions of the pool: no study, no storage. */
#ifndef IGM_GA_ELITE_SELECTION_H
#define IGM_GA_ELITE_SELECTION_H

#include <jansson.h>
#include <stddef.h>

#include "../../lib/rng.h"
#include "igmopt/igmopt.h"

typedef struct igm_elite_pool {
    size_t n, m;                 /* candidates, objectives */
    const double *values;        /* n x m trial values as stored (raw) */
    const igmopt_direction *dirs; /* m directions */
    const double *violations;    /* n total violations (s3.5), or NULL when
                                    no candidate has constraints */
} igm_elite_pool;

/* The fronts both selections start from: the candidates by constrained
 * non-domination rank of their loss vectors (pareto.h), the pool's order
 * kept within a front, up to the first front that does not fit strictly in
 * k (Optuna takes a front whole only while taken + its size < k, so a front
 * that fills k exactly is cut too: same members, the cut's order).
 * order[0..*n_whole) are the whole fronts, order[*n_whole .. *n_whole +
 * *n_cut) the front to cut (*n_cut 0 when every candidate fits); order has
 * room for n. */
int igm_elite_fronts(const igm_elite_pool *pool, size_t k, size_t *order, size_t *n_whole,
                     size_t *n_cut);

/* NSGA-II: fronts by constrained non-domination rank, filled while they
 * fit; the first front that does not fit is cut by crowding distance.
 * Writes min(k, n) candidate indices to selected (the order is the order
 * they were taken in). */
int igm_nsga2_select(const igm_elite_pool *pool, size_t k, size_t *selected);

/* NSGA-III reference points: row-major count x m. */
typedef struct igm_reference_points {
    size_t count, m;
    double *points;
} igm_reference_points;

/* Das-Dennis points: all non-negative integer vectors of length m summing
 * to p (not divided by p), C(m+p-1, p) of them. */
int igm_reference_points_das_dennis(size_t m, size_t p, igm_reference_points *out);
/* User-given points: a JSON array of arrays of m finite numbers, not all
 * zero in a row; owner names the sampler in errors. */
int igm_reference_points_from_json(const char *owner, const json_t *points, size_t m,
                                   igm_reference_points *out);
void igm_reference_points_clear(igm_reference_points *r);

/* NSGA-III: the same fronts; the front that does not fit is cut by
 * normalisation, association to the reference points and niching (s4;
 * steps in nsga3.h), with objectives oriented by the directions (a
 * maximised objective is negated first; Optuna ignores directions there).
 * Writes min(k, n) indices: the whole fronts, then the cut's picks in the
 * order taken.  rng draws the niching's shuffles.  refs must have m
 * coordinates (else IGMOPT_EINVAL). */
int igm_nsga3_select(const igm_elite_pool *pool, size_t k, const igm_reference_points *refs,
                     igm_rng *rng, size_t *selected);

#endif
