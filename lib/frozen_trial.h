/* A trial as storage holds it (Optuna's FrozenTrial): the record both
 * storage backends produce and the study caches. */
#ifndef IGM_FROZEN_TRIAL_H
#define IGM_FROZEN_TRIAL_H

#include <stddef.h>
#include <stdint.h>

#include "distribution.h"
#include "igmopt/igmopt.h"

#define IGM_DATETIME_LEN 27 /* "YYYY-MM-DD HH:MM:SS.ffffff" + NUL */

typedef struct igm_param {
    char *name;
    double internal;
    igm_distribution *distribution;
} igm_param;

typedef struct igm_attr {
    char *key;
    char *value_json; /* may hold NaN/Infinity tokens */
} igm_attr;

typedef struct igm_attr_list {
    igm_attr *items;
    size_t count, cap;
} igm_attr_list;

typedef struct igm_step_value {
    int64_t step;
    double value;
} igm_step_value;

typedef struct igm_frozen_trial {
    int64_t trial_id;
    int64_t number;
    igmopt_trial_state state;
    double *values; /* NULL when the trial has none */
    size_t n_values;
    char datetime_start[IGM_DATETIME_LEN];    /* "" when NULL */
    char datetime_complete[IGM_DATETIME_LEN]; /* "" when NULL */
    igm_param *params;
    size_t n_params, cap_params;
    igm_attr_list user_attrs, system_attrs;
    igm_step_value *intermediate; /* sorted by step */
    size_t n_intermediate, cap_intermediate;
} igm_frozen_trial;

igm_frozen_trial *igm_frozen_trial_new(void);
void igm_frozen_trial_free(igm_frozen_trial *t);
int igm_frozen_trial_copy(igm_frozen_trial **out, const igm_frozen_trial *t);

/* Takes a copy of name and of the distribution. */
int igm_frozen_trial_add_param(igm_frozen_trial *t, const char *name, double internal,
                               const igm_distribution *d);
const igm_param *igm_frozen_trial_param(const igm_frozen_trial *t, const char *name);
int igm_frozen_trial_set_values(igm_frozen_trial *t, const double *values, size_t n);
/* Insert or overwrite the value at step, keeping the array sorted. */
int igm_frozen_trial_set_intermediate(igm_frozen_trial *t, int64_t step, double value);

/* Insert or overwrite key (copies both strings). */
int igm_attr_list_set(igm_attr_list *l, const char *key, const char *value_json);
const char *igm_attr_list_get(const igm_attr_list *l, const char *key);
int igm_attr_list_copy(igm_attr_list *dst, const igm_attr_list *src);
void igm_attr_list_clear(igm_attr_list *l);

int igm_trial_state_finished(igmopt_trial_state s);
const char *igm_trial_state_name(igmopt_trial_state s);
/* Parses "COMPLETE" etc.; returns -1 for an unknown name. */
int igm_trial_state_from_name(const char *name);

/* Now in UTC as "YYYY-MM-DD HH:MM:SS.ffffff". */
void igm_datetime_now(char out[IGM_DATETIME_LEN]);
/* The same for the moment `seconds` (>= 0, below 10^12) before now. */
void igm_datetime_ago(double seconds, char out[IGM_DATETIME_LEN]);
/* Now as a heartbeat is written: whole seconds (lib/heartbeat.c). */
void igm_heartbeat_now(char out[IGM_DATETIME_LEN]);

#endif
