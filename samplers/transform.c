/* The per-parameter column of Optuna's _SearchSpaceTransform with
 * transform_log and transform_step on (OPTUNA-ALGORITHMS.md s1.3). */
#include "transform.h"

#include <math.h>

void igm_transform_bounds(const igm_distribution *d, double *low, double *high)
{
    switch (d->kind) {
    case IGM_DIST_FLOAT:
        if (d->step != 0) {
            *low = d->low - 0.5 * d->step;
            *high = d->high + 0.5 * d->step;
        } else if (d->log) {
            *low = log(d->low);
            *high = log(d->high);
        } else {
            *low = d->low;
            *high = d->high;
        }
        return;
    case IGM_DIST_INT:
        if (d->log) {
            *low = log((double)d->ilow - 0.5);
            *high = log((double)d->ihigh + 0.5);
        } else {
            *low = (double)d->ilow - 0.5 * (double)d->istep;
            *high = (double)d->ihigh + 0.5 * (double)d->istep;
        }
        return;
    case IGM_DIST_CATEGORICAL:
        *low = 0.0;
        *high = (double)d->n_choices;
        return;
    }
}

/* Python's round(): halves go to the even neighbour. */
static double round_half_even(double x)
{
    return nearbyint(x); /* the default FE_TONEAREST mode rounds halves to even */
}

static double clamp(double v, double low, double high)
{
    return fmin(fmax(v, low), high);
}

static double untransform_float(const igm_distribution *d, double x)
{
    if (d->step != 0)
        return clamp(d->low + round_half_even((x - d->low) / d->step) * d->step, d->low,
                     d->high);
    if (d->log)
        x = exp(x);
    /* Only an upper clamp, as Optuna's untransform. */
    return fmin(x, nextafter(d->high, -INFINITY));
}

static double untransform_int(const igm_distribution *d, double x)
{
    double low = (double)d->ilow, high = (double)d->ihigh, s = (double)d->istep;
    if (d->log)
        return clamp(round_half_even(exp(x)), low, high);
    /* [H] rounds linear ints half up ([3.1]: half to even). */
    return clamp(low + floor((x - low) / s + 0.5) * s, low, high);
}

double igm_transform_untransform(const igm_distribution *d, double x)
{
    switch (d->kind) {
    case IGM_DIST_FLOAT: return untransform_float(d, x);
    case IGM_DIST_INT: return untransform_int(d, x);
    case IGM_DIST_CATEGORICAL:
        return clamp(floor(fmin(x, nextafter((double)d->n_choices, -INFINITY))), 0.0,
                     (double)d->n_choices - 1);
    }
    return x;
}

double igm_transform_from_unit(const igm_distribution *d, double u)
{
    double low, high;
    igm_transform_bounds(d, &low, &high);
    return igm_transform_untransform(d, low + u * (high - low));
}
