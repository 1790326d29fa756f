/* Exact hypervolume of loss vectors w.r.t. a reference point, exclusive
 * contributions, and greedy hypervolume subset selection (HSSP) as TPE's
 * multi-objective split uses it (OPTUNA-ALGORITHMS.md s9.3, s9.4).
 *
 * hypervolume.c holds the volumes, hssp.c the subset selection.
 *
 * Points are row-major n x m loss vectors (minimisation).  Only points with
 * every coordinate finite and strictly below the reference point add
 * volume; the others (an infinite or NaN coordinate, outside the reference
 * box) add nothing, so a hypervolume is never inf or NaN unless finite
 * products overflow. */
#ifndef IGM_HYPERVOLUME_H
#define IGM_HYPERVOLUME_H

#include <stddef.h>

/* *hv = volume dominated by the points and bounded by ref.  2-D: sweep,
 * O(n log n); 3-D: dimension sweep, O(n log n) plus insertions; more
 * objectives: WFG (While, Bradstreet, Barone 2012).  ref must be finite
 * (IGMOPT_EINVAL otherwise); m >= 1. */
int igm_hypervolume(const double *points, size_t n, size_t m, const double *ref, double *hv);

/* The same volume by the WFG recursion in every dimension >= 3 (tests
 * cross-check it against the sweeps). */
int igm_hypervolume_wfg(const double *points, size_t n, size_t m, const double *ref, double *hv);

/* contrib[i] = HV(all points) - HV(all points but i): what point i alone
 * covers.  A point equal to another covers nothing alone (0). */
int igm_hypervolume_contributions(const double *points, size_t n, size_t m, const double *ref,
                                  double *contrib);

/* Pi_j (ref_j - p_j) over the first m coordinates: the box p alone covers. */
double igm_hv_box(const double *p, const double *ref, size_t m);

/* Scratch for many volumes of up to cap points against one reference
 * point, without an allocation per volume (HSSP computes thousands). */
typedef struct igm_hv_work igm_hv_work;
int igm_hv_work_new(size_t m, size_t cap, const double *ref, igm_hv_work **out);
void igm_hv_work_free(igm_hv_work *w); /* NULL ok */
/* Volume of c <= cap points, every one finite and strictly inside the box
 * (not checked: filter first). */
double igm_hv_work_volume(igm_hv_work *w, const double *pts, size_t c);

/* TPE's HSSP reference point for one front (s2.3.1): r_j = max(1.1 w_j,
 * 0.9 w_j), w_j the largest value of objective j, and 1e-12 where that is
 * 0.  Non-finite w_j give non-finite r_j (HSSP then takes the first k). */
void igm_hssp_reference_point(const double *points, size_t n, size_t m, double *ref);

/* Greedy hypervolume subset selection (Guerreiro, Fonseca, Paquete 2016;
 * Optuna's _solve_hssp, s9.4): selected[0..k) = indices of k points picked
 * one at a time by largest hypervolume contribution, in picking order.
 * Equal rows are merged first (their lowest index stands for them); ties
 * go to the lowest row in lexicographic order.  Optuna's special cases:
 * k == n -> 0..n-1; fewer distinct rows than k -> every first occurrence
 * plus the earliest duplicates, ascending; ref not finite -> the first k
 * distinct rows in lexicographic order.  A point with a -inf coordinate
 * (and the rest inside the box) contributes +inf, as in Optuna; once one is
 * picked, 3-D and more take the remaining rows in lexicographic order.
 * Points outside the box contribute 0.  k > n: IGMOPT_EINVAL. */
int igm_hssp(const double *points, size_t n, size_t m, const double *ref, size_t k,
             size_t *selected);

#endif
