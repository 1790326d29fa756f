/* Pareto front and exact hypervolume (2 and 3 objectives, all minimised)
 * for bench/quality.  Kept in the bench, independent of lib/, so that the
 * scores do not depend on the code they judge; run_quality.py checks the
 * values against Optuna's WFG. */
#ifndef QUALITY_HYPERVOLUME_H
#define QUALITY_HYPERVOLUME_H

#include <stddef.h>

/* Moves the non-dominated rows of points (n rows of m values) to the front,
 * keeping their order and one copy of duplicates; returns their count. */
size_t quality_pareto_front(double *points, size_t n, size_t m);

/* The volume dominated by the points and bounded by ref; points not <= ref
 * in every objective add nothing.  m must be 2 or 3 (NAN otherwise).
 * points is reordered. */
double quality_hypervolume(double *points, size_t n, size_t m, const double *ref);

#endif
