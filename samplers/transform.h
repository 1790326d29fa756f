/* One parameter's continuous column in Optuna's search-space transform
 * (optuna/_transform.py, OPTUNA-ALGORITHMS.md s1.3 and s1.4): the column
 * bounds with half-step margins for discrete values, and the map from a
 * column value back to the parameter's internal value. */
#ifndef IGM_TRANSFORM_H
#define IGM_TRANSFORM_H

#include "../lib/distribution.h"

/* Column bounds: floats [low, high] (log: [ln low, ln high]), floats with
 * step and ints [low - step/2, high + step/2], log ints
 * [ln(low - 1/2), ln(high + 1/2)], and for a categorical of C choices the
 * pseudo FloatDistribution(0, C) column QMCSampler uses. */
void igm_transform_bounds(const igm_distribution *d, double *low, double *high);

/* Column value -> internal value: continuous floats are clamped only from
 * above (below high), floats with step round half to even, linear ints
 * round half up, log ints round half to even, all clipped to [low, high];
 * categorical: floor of the column value, clamped below C. */
double igm_transform_untransform(const igm_distribution *d, double x);

/* The column value at fraction u in [0, 1] of the column, then mapped
 * back: Optuna's transform_0_1 columns (QMCSampler). */
double igm_transform_from_unit(const igm_distribution *d, double u);

#endif
