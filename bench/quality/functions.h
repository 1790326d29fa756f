/* Benchmark functions for bench/quality: each one asks for its parameters
 * through trial suggestions (so it defines its own search space) and
 * computes its objective values.  bench/quality/run_quality.py defines the
 * same functions for Optuna; bench/quality/README.md gives the formulas. */
#ifndef QUALITY_FUNCTIONS_H
#define QUALITY_FUNCTIONS_H

#include <stddef.h>

#include "igmopt/igmopt.h"

#define QUALITY_MAX_OBJECTIVES 3

typedef struct quality_function {
    const char *name;
    const char *summary;
    size_t n_objectives; /* 1: the best value is scored; more: the hypervolume */
    double optimum;      /* one objective: the known minimum */
    /* several objectives: the reference point (points not <= it in every
     * objective are left out) and the hypervolume of the true front */
    double reference[QUALITY_MAX_OBJECTIVES];
    double hv_max;
    /* Suggests the parameters on t, writes n_objectives values (all
     * minimised).  Returns IGMOPT_OK or the failing call's status. */
    int (*evaluate)(igmopt_trial *t, double *values);
} quality_function;

extern const quality_function quality_functions[];
extern const size_t quality_n_functions;

/* NULL when no function has that name. */
const quality_function *quality_function_find(const char *name);

#endif
