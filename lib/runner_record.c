/* Recording an ended trial in the study: the tell, retried with back-off
 * while the storage fails; a trial its own process already finished keeps
 * what it recorded; the log line follows the stored outcome, never
 * precedes it; what the storage would not take gets a last attempt on the
 * way out. */
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "runner.h"
#include "strbuf.h"
#include "study.h"

#define TELL_ATTEMPTS 5         /* the first and up to 4 retries */
#define TELL_FIRST_BACKOFF 0.25 /* seconds before the first retry; doubles */
#define TELL_RETRY_BUDGET 10.0  /* no retry starts later than this after the first failure */

/* ---- log lines --------------------------------------------------------- */

static void append_values(igm_strbuf *sb, const igmopt_runner *r, const double *values)
{
    for (size_t i = 0; i < r->cfg->n_objectives; i++)
        igm_strbuf_appendf(sb, "%s %s=%.6g", i ? "," : "", r->objective_names[i], values[i]);
}

/* "COMPLETE cost=0.5" or "FAIL: exit code 3", for the lines that say the
 * outcome could not be stored. */
static void append_outcome(igm_strbuf *sb, const igmopt_runner *r, const igm_outcome *o)
{
    if (o->state == IGMOPT_COMPLETE) {
        igm_strbuf_append(sb, "COMPLETE");
        append_values(sb, r, o->values);
    } else {
        igm_strbuf_appendf(sb, "FAIL: %s", o->reason);
    }
}

static void log_line(const igmopt_runner *r, int level, igm_strbuf *sb)
{
    char *line;
    if (igm_strbuf_finish(sb, &line) == IGMOPT_OK)
        igm_runner_logf(r, level, "%s", line);
    free(line);
}

/* "trial 7 COMPLETE in 12.3 s: cost=0.12", or "trial 8 FAIL: exit code 1
 * (see multirun/8/stderr.txt)": stderr.txt only when the process ran. */
static void log_recorded(const igmopt_runner *r, const igm_running *slot)
{
    const igm_outcome *o = &slot->outcome;
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *shown;
    if (o->state == IGMOPT_COMPLETE) {
        igm_strbuf_appendf(&sb, "trial %lld COMPLETE in %.1f s:", (long long)slot->number,
                           o->seconds);
        append_values(&sb, r, o->values);
        log_line(r, 1, &sb);
        return;
    }
    igm_strbuf_appendf(&sb, "trial %lld FAIL: %s", (long long)slot->number, o->reason);
    shown = o->ran && slot->dir ? igm_runner_shown_path(r, slot->dir) : NULL;
    if (shown)
        igm_strbuf_appendf(&sb, " (see %s/stderr.txt)", shown);
    free(shown);
    log_line(r, 2, &sb);
}

#define STALE_PREFIX "stale:"

/* A trial this worker was still running can only look stale to a worker
 * with a shorter grace period. */
static void log_failed_as_stale(const igmopt_runner *r, const igm_frozen_trial *t,
                                igm_strbuf *reason)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_strbuf_appendf(&sb, "trial %lld was failed by another worker while it ran here (FAIL: "
                       "%s); workers sharing a study need the same heartbeat_interval and "
                       "grace_period", (long long)t->number, reason->data);
    igm_strbuf_release(reason);
    log_line(r, 2, &sb);
}

/* "trial 0 finished by its own process: COMPLETE 99", "...: PRUNED",
 * "...: FAIL: <its fail_reason>". */
static void log_own_record(const igmopt_runner *r, const igm_frozen_trial *t)
{
    igm_strbuf sb = IGM_STRBUF_INIT, reason = IGM_STRBUF_INIT;
    if (t->state == IGMOPT_FAIL && igm_attr_list_get(&t->system_attrs, "fail_reason"))
        igm_report_fail_reason(&reason, t);
    if (reason.data && strncmp(reason.data, STALE_PREFIX, strlen(STALE_PREFIX)) == 0) {
        log_failed_as_stale(r, t, &reason);
        return;
    }
    igm_strbuf_appendf(&sb, "trial %lld finished by its own process: %s", (long long)t->number,
                       igm_trial_state_name(t->state));
    for (size_t i = 0; i < t->n_values; i++)
        igm_strbuf_appendf(&sb, "%s%.6g", i ? ", " : " ", t->values[i]);
    if (reason.data)
        igm_strbuf_appendf(&sb, ": %s", reason.data);
    igm_strbuf_release(&reason);
    log_line(r, t->state == IGMOPT_FAIL ? 2 : 1, &sb);
}

/* ---- counting and freeing the slot --------------------------------------- */

static void count(igmopt_runner *r, igmopt_trial_state state)
{
    if (state == IGMOPT_FAIL)
        r->failed++;
    else
        r->completed++; /* COMPLETE, or PRUNED by the trial itself: done, not failed */
}

static void recorded(igmopt_runner *r, igm_running *slot)
{
    log_recorded(r, slot);
    count(r, slot->outcome.state);
    igm_running_clear(r, slot);
}

/* The trial was finished elsewhere (IGMOPT_ESTATE from the tell): by its
 * own process, which is how a trial prunes itself.  What it recorded
 * stands, and is what the log shows. */
static void keep_own_record(igmopt_runner *r, igm_running *slot)
{
    const igm_frozen_trial *stored = NULL;
    char told[512];
    snprintf(told, sizeof told, "%s", igmopt_errmsg());
    if (igm_study_find_trial(r->study, slot->number, &stored) == IGMOPT_OK &&
        igm_trial_state_finished(stored->state)) {
        log_own_record(r, stored);
        count(r, stored->state);
    } else {
        igm_runner_logf(r, 2, "trial %lld was finished by another process (%s); reading it "
                        "back failed: %s", (long long)slot->number, told,
                        stored ? "it is not finished" : igmopt_errmsg());
        count(r, IGMOPT_FAIL);
    }
    igm_running_clear(r, slot);
}

/* ---- telling ------------------------------------------------------------- */

static int tell_once(igmopt_runner *r, igm_running *slot)
{
    const igm_outcome *o = &slot->outcome;
    if (o->state == IGMOPT_COMPLETE)
        return igmopt_study_tell(r->study, slot->trial, IGMOPT_COMPLETE, o->values,
                                 r->cfg->n_objectives);
    return igm_study_fail_trial(r->study, slot->trial, o->reason);
}

/* The outcome is in the storage (a sampler's after_trial may still have
 * failed afterwards). */
static int outcome_stored(const igm_running *slot)
{
    return igm_trial_state_finished(slot->trial->record->state);
}

/* Sleeps unless a stop request comes first (then 1): Ctrl-C is never held
 * up by a retry. */
static int back_off(igmopt_runner *r, double seconds)
{
    struct pollfd wake = {r->wake[0], POLLIN, 0};
    double end = igm_runner_now() + seconds, left;
    while (!r->stop_requests) {
        if ((left = end - igm_runner_now()) <= 0)
            return 0;
        poll(&wake, 1, (int)ceil(left * 1e3));
    }
    return 1;
}

/* A storage error may pass (a lock another process holds longer than the
 * URL's timeout): the tell is retried a few times, bounded in time. */
static int tell_with_retries(igmopt_runner *r, igm_running *slot, int *stopped)
{
    double first_failure = 0, delay = TELL_FIRST_BACKOFF;
    int rc;
    *stopped = 0;
    for (int attempt = 1;; attempt++, delay *= 2) {
        rc = tell_once(r, slot);
        if (rc != IGMOPT_ESTORAGE || outcome_stored(slot) || attempt == TELL_ATTEMPTS)
            return rc;
        if (first_failure == 0)
            first_failure = igm_runner_now();
        if (igm_runner_now() + delay - first_failure > TELL_RETRY_BUDGET)
            return rc;
        igm_runner_logf(r, 2, "trial %lld: cannot record its outcome yet (%s); retrying in "
                        "%g s", (long long)slot->number, igmopt_errmsg(), delay);
        if (back_off(r, delay)) {
            *stopped = 1;
            return rc;
        }
    }
}

static void keep_unrecorded(igmopt_runner *r, igm_running *slot, const char *why)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    slot->unrecorded = 1;
    igm_strbuf_appendf(&sb, "trial %lld ended (", (long long)slot->number);
    append_outcome(&sb, r, &slot->outcome);
    igm_strbuf_appendf(&sb, ") but the storage did not take it: %s; one more attempt is made "
                       "before igmopt-run exits", why);
    log_line(r, 2, &sb);
}

int igm_runner_record(igmopt_runner *r, igm_running *slot)
{
    char message[1024];
    int rc, stopped;
    if (r->storage_down) { /* the sweep is ending: no waiting on the storage now */
        slot->unrecorded = 1;
        return IGMOPT_OK;
    }
    rc = tell_with_retries(r, slot, &stopped);
    if (outcome_stored(slot)) {
        if (rc) /* a sampler's after_trial, or tell turned COMPLETE into FAIL */
            igm_runner_logf(r, 2, "trial %lld: %s", (long long)slot->number, igmopt_errmsg());
        recorded(r, slot);
        return IGMOPT_OK;
    }
    if (rc == IGMOPT_ESTATE) {
        keep_own_record(r, slot);
        return IGMOPT_OK;
    }
    snprintf(message, sizeof message, "%s", igmopt_errmsg());
    if (igm_runner_storage_failed(rc)) {
        keep_unrecorded(r, slot, message);
        if (stopped)
            return IGMOPT_OK; /* the stop request ends the sweep */
        r->storage_down = 1;
        return igm_error(rc, "%s", message);
    }
    igm_runner_logf(r, 2, "trial %lld: its outcome could not be recorded: %s",
                    (long long)slot->number, message);
    count(r, IGMOPT_FAIL);
    igm_running_clear(r, slot);
    return IGMOPT_OK;
}

/* ---- the last attempt ------------------------------------------------------ */

static void log_left_running(igmopt_runner *r, igm_running *slot, const char *why)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_strbuf_appendf(&sb, "trial %lld is left RUNNING in the study: its outcome (",
                       (long long)slot->number);
    append_outcome(&sb, r, &slot->outcome);
    igm_strbuf_appendf(&sb, ") could not be recorded: %s", why);
    log_line(r, 3, &sb);
}

/* One attempt per trial, in slot order, until the storage fails: the
 * trials after that are not tried (each attempt could wait the URL's
 * timeout for a lock) and stay RUNNING too. */
int igm_runner_record_unrecorded(igmopt_runner *r)
{
    char message[1024] = "", why[1024] = "";
    int rc = IGMOPT_OK, step = IGMOPT_OK, down = 0;
    for (size_t i = 0; i < r->n_slots; i++) {
        igm_running *slot = &r->slots[i];
        if (!slot->unrecorded)
            continue;
        if (!down) {
            step = tell_once(r, slot);
            if (outcome_stored(slot)) {
                recorded(r, slot);
                continue;
            }
            if (step == IGMOPT_ESTATE) {
                keep_own_record(r, slot);
                continue;
            }
            snprintf(why, sizeof why, "%s", igmopt_errmsg());
            down = igm_runner_storage_failed(step);
        }
        if (rc == IGMOPT_OK) {
            rc = step;
            snprintf(message, sizeof message, "%s", why);
        }
        log_left_running(r, slot, why);
        igm_running_clear(r, slot);
    }
    return rc ? igm_error(rc, "%s", message) : IGMOPT_OK;
}
