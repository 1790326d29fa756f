/* The runner's heartbeats: every heartbeat_interval seconds it beats for
 * each trial it holds and fails other workers' trials whose heartbeat is
 * older than grace_period (a node that was killed), so no trial stays
 * RUNNING forever (FIELD-NOTES.md §1.9, 13). */
#include <math.h>
#include <string.h>

#include "runner.h"
#include "study.h"

/* 0 when the heartbeat was recorded, or when the trial is finished
 * already (its own process finished it, e.g. to prune itself, or another
 * worker found it stale): no more beats for it, and nothing to fear. */
static int beat(const igmopt_runner *r, igm_running *slot)
{
    int rc;
    if (slot->finished_elsewhere)
        return 0;
    rc = igmopt_trial_heartbeat(slot->trial);
    if (rc == IGMOPT_OK)
        return 0;
    if (rc == IGMOPT_ESTATE) {
        slot->finished_elsewhere = 1;
        igm_runner_logf(r, 1, "trial %lld is finished in the study while it runs here (by its "
                        "own process, or by a worker that found its heartbeat stale): %s",
                        (long long)slot->number, igmopt_errmsg());
        return 0;
    }
    if (!slot->beat_failed_said++) /* the next round tries again */
        igm_runner_logf(r, 2, "trial %lld: heartbeat not recorded: %s",
                        (long long)slot->number, igmopt_errmsg());
    return -1;
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

/* A round whose own heartbeats were late (the storage was locked, the
 * machine stalled) may find other workers' heartbeats late for the same
 * reason: then it looks for stale trials only in a later round. */
void igm_runner_heartbeats(igmopt_runner *r)
{
    double started = igm_runner_now();
    int late = 0;
    if (r->cfg->heartbeat_interval <= 0 || started < r->next_heartbeat)
        return;
    for (size_t i = 0; i < r->n_slots; i++)
        if (r->slots[i].trial)
            late |= beat(r, &r->slots[i]) != 0;
    if (!late && igm_runner_now() - started < r->cfg->heartbeat_interval)
        fail_stale_trials(r);
    r->next_heartbeat = igm_runner_now() + r->cfg->heartbeat_interval;
}

double igm_runner_heartbeat_due(const igmopt_runner *r)
{
    return r->cfg->heartbeat_interval > 0 ? r->next_heartbeat : INFINITY;
}
