/* Heartbeats of running trials and failing the trials whose worker died:
 * Optuna's trial_heartbeats and fail_stale_trials (OPTUNA-STORAGE.md
 * §2.10), so a killed node does not leave RUNNING trials forever. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strbuf.h"
#include "study.h"

/* Whole seconds, as Optuna's own heartbeats (the DB's CURRENT_TIMESTAMP):
 * Optuna 3.1 takes timedelta.seconds of (now - heartbeat) with its now
 * truncated to the second, so a heartbeat with a fraction, younger than
 * that now, comes out as about a day old and its trial is failed at once
 * (OPTUNA-STORAGE.md §2.10). */
void igm_heartbeat_now(char out[IGM_DATETIME_LEN])
{
    igm_datetime_now(out);
    memcpy(out + 20, "000000", 6); /* "YYYY-MM-DD HH:MM:SS." + "ffffff" */
}

IGMOPT_API int igmopt_trial_heartbeat(igmopt_trial *t)
{
    if (!t)
        return igm_error(IGMOPT_EINVAL, "igmopt_trial_heartbeat: trial must not be NULL");
    return t->study->storage->ops->record_heartbeat(t->study->storage->impl,
                                                    t->record->trial_id);
}

static int stale_reason_json(double grace_seconds, char **out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char text[160];
    snprintf(text, sizeof text, "stale: no heartbeat for over %g s (its worker stopped)",
             grace_seconds);
    igm_json_string(&sb, text);
    return igm_strbuf_finish(&sb, out) ? igm_error_nomem() : IGMOPT_OK;
}

static int numbers_json(const int64_t *numbers, size_t n, char **out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_strbuf_append(&sb, "[");
    for (size_t i = 0; i < n; i++) {
        igm_strbuf_append(&sb, i ? ", " : "");
        igm_json_int(&sb, numbers[i]);
    }
    igm_strbuf_append(&sb, "]");
    return igm_strbuf_finish(&sb, out) ? igm_error_nomem() : IGMOPT_OK;
}

IGMOPT_API int igmopt_study_fail_stale_trials(igmopt_study *study, double grace_seconds,
                                              char **numbers_out)
{
    char stale_before[IGM_DATETIME_LEN], *reason = NULL;
    int64_t *numbers = NULL;
    size_t n = 0;
    int rc;
    if (numbers_out)
        *numbers_out = NULL;
    if (!study)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_fail_stale_trials: study must not be "
                         "NULL");
    if (!(grace_seconds >= 1 && grace_seconds < 1e9))
        return igm_error(IGMOPT_EINVAL, "igmopt_study_fail_stale_trials: grace_seconds %g "
                         "must be >= 1 (heartbeats are whole seconds) and < 1e9",
                         grace_seconds);
    igm_datetime_ago(grace_seconds, stale_before);
    rc = stale_reason_json(grace_seconds, &reason);
    if (!rc)
        rc = study->storage->ops->fail_stale_trials(study->storage->impl, study->study_id,
                                                    stale_before, reason, &numbers, &n);
    if (!rc && numbers_out)
        rc = numbers_json(numbers, n, numbers_out);
    free(numbers);
    free(reason);
    return rc;
}
