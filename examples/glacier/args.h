/* The command line of glacier_sim: Hydra-style `key=value` overrides, as
 * IGM's igm_run receives them from the Optuna sweeper. Unknown keys and
 * values that are not numbers are refused, as Hydra refuses them. */
#ifndef GLACIER_ARGS_H
#define GLACIER_ARGS_H

#include "model.h"

struct targets {
    double volume;    /* km^3 */
    double max_speed; /* m a^-1 */
    double max_thk;   /* m */
};

struct run_config {
    struct model_params model;
    struct targets target;
    const char *run_dir; /* hydra.run.dir, or NULL to stay in the cwd */
};

void run_config_defaults(struct run_config *cfg);

/* Applies argv[1..argc-1] in order (a later value wins). Returns 0, 1 when
 * --help was printed, or -1 after printing the error to stderr. */
int run_config_parse(struct run_config *cfg, int argc, char **argv);

#endif
