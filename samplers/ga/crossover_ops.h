/* The operators behind igm_crossover_child, one file per family, and the
 * kwargs crossover.c parsed for them.  Internal to samplers/ga. */
#ifndef IGM_GA_CROSSOVER_OPS_H
#define IGM_GA_CROSSOVER_OPS_H

#include <stddef.h>

#include "../../lib/rng.h"

/* Optuna's kwargs after validation, defaults filled in; the two defaults
 * that depend on the number of dimensions stay NAN until the draw. */
typedef struct igm_crossover_kwargs {
    double swapping_prob;                             /* UniformCrossover */
    double alpha;                                     /* BLXAlphaCrossover */
    double eta, uniform_crossover_prob, use_child_gene_prob; /* SBX, VSBX */
    double epsilon;                                   /* SPX; NAN: sqrt(d + 2) */
    double sigma_xi, sigma_eta;                       /* UNDX; NAN: 0.35 / sqrt(d) */
} igm_crossover_kwargs;

/* One child from row-major parents (n_parents x d); see crossover.h. */
typedef void igm_crossover_fn(const igm_crossover_kwargs *kw, igm_rng *rng,
                              const double *parents, size_t d, const double *lo,
                              const double *hi, double *child);

igm_crossover_fn igm_crossover_uniform;  /* crossover_uniform.c */
igm_crossover_fn igm_crossover_blxalpha; /* crossover_blxalpha.c */
igm_crossover_fn igm_crossover_sbx;      /* crossover_sbx.c */
igm_crossover_fn igm_crossover_vsbx;     /* crossover_sbx.c */
igm_crossover_fn igm_crossover_spx;      /* crossover_spx.c */
igm_crossover_fn igm_crossover_undx;     /* crossover_undx.c */

#endif
