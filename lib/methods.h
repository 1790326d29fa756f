/* Which of Optuna's sampler and pruner classes this build has, in
 * registry order, for messages that list them (lib/sampler.c,
 * lib/pruner.c). */
#ifndef IGM_METHODS_H
#define IGM_METHODS_H

#include <stddef.h>

/* The i-th available class name; NULL past the last. */
const char *igm_sampler_available(size_t i);
const char *igm_pruner_available(size_t i);

#endif
