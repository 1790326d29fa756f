/* What the results CSV and the console summary share: the column names and
 * their order, a stored value as plain text, a trial's duration. */
#ifndef IGM_REPORT_H
#define IGM_REPORT_H

#include <stddef.h>

#include "config.h"
#include "strbuf.h"
#include "study.h"

typedef struct igm_report_columns {
    char **objectives; /* one name per objective of the study */
    size_t n_objectives;
    const char **params; /* borrowed from cfg and the trials */
    size_t n_params, cap_params;
} igm_report_columns;

/* Objective names from cfg when it names every objective of the study,
 * else "value" (one objective) or "values_0", "values_1", ...  Parameters:
 * cfg's in config order, then every other name of the trials in
 * first-seen order. */
int igm_report_columns_build(igm_report_columns *c, const igmopt_study *study,
                             const igmopt_config *cfg, igm_frozen_trial *const *trials,
                             size_t n);
void igm_report_columns_clear(igm_report_columns *c);

/* One JSON value as a spreadsheet reader expects it: a string's text
 * without quotes or escapes, null as nothing, NaN/Infinity/-Infinity as
 * nan/inf/-inf, other numbers and true/false verbatim. */
void igm_report_json_text(igm_strbuf *sb, const char *json);
/* A parameter's external value, as igm_report_json_text writes it. */
void igm_report_param_text(igm_strbuf *sb, const igm_param *p);
/* A double as Python's repr (round-trips; inf, -inf, nan). */
void igm_report_double(igm_strbuf *sb, double v);
/* The system attr fail_reason as text; nothing when none is recorded. */
void igm_report_fail_reason(igm_strbuf *sb, const igm_frozen_trial *t);
/* Seconds from datetime_start to datetime_complete; 0 when the trial has
 * not finished or a datetime does not parse, else 1. */
int igm_report_duration(const igm_frozen_trial *t, double *seconds);

#endif
