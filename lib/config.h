/* The typed, validated sweep configuration (optuna_params.yaml plus
 * command-line overrides) that the runner and reports read. */
#ifndef IGM_CONFIG_H
#define IGM_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "igmopt/igmopt.h"

typedef enum igm_param_type {
    IGM_PARAM_FLOAT = 0,
    IGM_PARAM_INT = 1,
    IGM_PARAM_CATEGORICAL = 2
} igm_param_type;

typedef struct igm_config_objective {
    char *name;
    igmopt_direction direction;
} igm_config_objective;

typedef struct igm_config_param {
    char *name; /* the Hydra override path */
    igm_param_type type;
    double low, high, step; /* float: step 0 = none */
    int64_t ilow, ihigh, istep; /* int */
    int log;
    char *choices_json; /* categorical: JSON array (null/bool/number/string) */
} igm_config_param;

typedef struct igm_config_override {
    char *key;
    char *value_json; /* the YAML scalar as JSON: number, string, bool, null */
} igm_config_override;

struct igmopt_config {
    char *path;     /* the YAML file as given */
    char *base_dir; /* its directory: relative paths resolve against it */

    igm_config_objective *objectives;
    size_t n_objectives;
    igm_config_param *params;
    size_t n_params;
    igm_config_override *overrides; /* in file order */
    size_t n_overrides;

    int64_t n_trials;   /* trials this invocation runs */
    int64_t max_trials; /* 0: no study-wide cap */
    int64_t n_jobs;
    int gpu_allow_growth;
    int64_t *gpu_ids;
    size_t n_gpu_ids;
    double trial_timeout; /* seconds; 0: none */
    double heartbeat_interval; /* seconds; 0: no heartbeats */
    double grace_period;       /* seconds; 0 until defaults: 2 x heartbeat_interval */

    char *storage;    /* URL with relative sqlite paths resolved; NULL: memory */
    char *study_name; /* NULL: generated */
    char *sampler_method;
    char *sampler_kwargs_json; /* JSON object of the other sampler keys */
    char *pruner_method;       /* NULL: none */
    char *pruner_kwargs_json;

    char **command; /* argv, NULL-terminated */
    size_t n_command;
    char *command_dir; /* a relative program path's base: the file's
                          directory, or the cwd for a command-line one */
    char *sweep_dir;  /* absolute */
    char *score_file; /* file name inside each trial directory */

    void *tree; /* private to config*.c: the YAML tree the fields were read
                   from, kept so igmopt_config_set can edit and re-check it */
};

/* "FILE:LINE: key 'KEY': ..." at a dotted key of mappings in the loaded
 * file ("objectives", "sampler.method"), or at the mapping that would hold
 * it; command-line values are named as such.  Returns IGMOPT_ECONFIG. */
int igm_config_error_at(const igmopt_config *cfg, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* igmopt_config_load on text in memory; `name` stands for the file in
 * messages and its directory anchors relative paths (fuzzing, tests). */
int igm_config_load_buffer(const char *text, size_t len, const char *name,
                           igmopt_config **out);

#endif
