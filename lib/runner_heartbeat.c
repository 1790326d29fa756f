/* The runner's heartbeats: every heartbeat_interval seconds it beats for
 * each trial it holds and fails other workers' trials whose heartbeat is
 * older than grace_period (a node that was killed), so no trial stays
 * RUNNING forever (FIELD-NOTES.md §1.9, 13). */
#include <math.h>
#include <string.h>

#include "runner.h"
#include "study.h"

static void beat(const igmopt_runner *r, igm_running *slot)
{
    int rc = igmopt_trial_heartbeat(slot->trial);
    if (rc == IGMOPT_OK || slot->beat_refused)
        return;
    slot->beat_refused = 1; /* said once per trial */
    if (rc == IGMOPT_ESTATE)
        igm_runner_logf(r, 2, "trial %lld was finished by another process while it runs "
                        "here (its heartbeat looked stale there: clocks apart, or this "
                        "machine slept?): %s", (long long)slot->number, igmopt_errmsg());
    else
        igm_runner_logf(r, 2, "trial %lld: heartbeat not recorded: %s",
                        (long long)slot->number, igmopt_errmsg());
}

static void fail_stale_trials(const igmopt_runner *r)
{
    char *numbers = NULL;
    int rc = igmopt_study_fail_stale_trials(r->study, r->cfg->grace_period, &numbers);
    if (rc)
        igm_runner_logf(r, 2, "looking for stale trials failed: %s", igmopt_errmsg());
    else if (strcmp(numbers, "[]") != 0)
        igm_runner_logf(r, 2, "trials %s of study '%s' had no heartbeat for over %g s (their "
                        "worker stopped): set FAIL", numbers, r->study->name,
                        r->cfg->grace_period);
    igmopt_free(numbers);
}

void igm_runner_heartbeat_new(const igmopt_runner *r, igm_running *slot)
{
    if (r->cfg->heartbeat_interval > 0)
        beat(r, slot);
}

void igm_runner_heartbeats(igmopt_runner *r)
{
    double now = igm_runner_now();
    if (r->cfg->heartbeat_interval <= 0 || now < r->next_heartbeat)
        return;
    for (size_t i = 0; i < r->n_slots; i++)
        if (r->slots[i].trial)
            beat(r, &r->slots[i]);
    fail_stale_trials(r);
    r->next_heartbeat = now + r->cfg->heartbeat_interval;
}

double igm_runner_heartbeat_due(const igmopt_runner *r)
{
    return r->cfg->heartbeat_interval > 0 ? r->next_heartbeat : INFINITY;
}
