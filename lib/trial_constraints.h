/* A trial's constraint values as the samplers read them: Optuna's
 * "constraints" system attr (a list, igmopt_trial_set_constraints) and
 * [H]'s "constraints:<key>" attrs (one number each). */
#ifndef IGM_TRIAL_CONSTRAINTS_H
#define IGM_TRIAL_CONSTRAINTS_H

#include "frozen_trial.h"

/* Sum of max(0, c_i) over every constraint value of the trial: 0 without
 * any (feasible), NaN when a value is NaN or not a number.  *has (may be
 * NULL) tells whether the trial has constraint attrs at all. */
double igm_trial_violation(const igm_frozen_trial *t, int *has);

#endif
