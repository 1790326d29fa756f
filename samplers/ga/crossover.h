/* Crossover and mutation operators of the genetic samplers (NSGA-II,
 * NSGA-III; OPTUNA-ALGORITHMS.md s3.3, s3.4).  They work on numeric
 * parameters in the transformed space of s1.3 (log and half-step bounds,
 * not scaled to [0, 1]); categorical parameters never reach them (the
 * sampler crosses those uniformly between the first and last parent).
 *
 * One file per operator family (crossover_<name>.c); crossover.c parses
 * the "crossover" kwarg and dispatches. */
#ifndef IGM_GA_CROSSOVER_H
#define IGM_GA_CROSSOVER_H

#include <jansson.h>
#include <stddef.h>

#include "../../lib/rng.h"

typedef struct igm_crossover igm_crossover;

/* Builds the operator from the sampler's "crossover" kwarg:
 *   null or absent          UniformCrossover(swapping_prob)
 *   "sbx" / "SBXCrossover"  that operator with its defaults (the short
 *                           names: uniform, blxalpha, sbx, spx, undx, vsbx)
 *   {"method": "sbx", "eta": 15, ...}  with its own kwargs (Optuna's names:
 *                           swapping_prob, alpha, eta, uniform_crossover_prob,
 *                           use_child_gene_prob, epsilon, sigma_xi, sigma_eta)
 * swapping_prob is the sampler's own kwarg, used for the null form only
 * (a named UniformCrossover has Optuna's default 0.5); n_objectives picks
 * SBX/VSBX's default eta (2 for one, 20 for more).
 * Unknown names or kwargs, and values out of range, are IGMOPT_EINVAL with
 * a message naming the option ("NSGAIISampler: crossover ...", owner). */
int igm_crossover_from_json(const json_t *spec, double swapping_prob, size_t n_objectives,
                            const char *owner, igm_crossover **out);
void igm_crossover_free(igm_crossover *x); /* NULL ok */

/* How many parents one child needs (2, or 3 for SPX and UNDX). */
size_t igm_crossover_n_parents(const igm_crossover *x);
/* Optuna's class name ("SBXCrossover"), for messages and records. */
const char *igm_crossover_name(const igm_crossover *x);

/* One child of n_parents parents: parents is row-major n_parents x d
 * (transformed numeric values), lo/hi the d transformed bounds (SBX uses
 * them; others ignore them), child receives d values, not yet checked
 * against the bounds (the sampler rejects and repeats, s3.4).  Always
 * IGMOPT_OK (no operator allocates). */
int igm_crossover_child(const igm_crossover *x, igm_rng *rng, const double *parents, size_t d,
                        const double *lo, const double *hi, double *child);

/* PolynomialMutation (Deb; [H] only, s3.4), eta >= 0: x mutated within
 * [lo, hi] and clipped to it; x itself when lo == hi. */
double igm_polynomial_mutation(igm_rng *rng, double x, double lo, double hi, double eta);

#endif
