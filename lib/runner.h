/* Internal view of a runner: the slots its trials run in and the parts
 * the event loop (runner.c), trial start/finish (runner_trial.c) and log
 * lines (runner_log.c) share. */
#ifndef IGM_RUNNER_H
#define IGM_RUNNER_H

#include <poll.h>
#include <signal.h>
#include <stdint.h>

#include "config.h"
#include "gpu_slots.h"
#include "igmopt/igmopt.h"
#include "launch.h"

/* What the runner tells about an ended trial (or one that could not
 * start). */
typedef struct igm_outcome {
    igmopt_trial_state state; /* COMPLETE or FAIL */
    double *values;           /* COMPLETE: one per objective */
    char *reason;             /* FAIL: the fail_reason */
    int ran;                  /* the process ran: its FAIL line points at stderr.txt */
    double seconds;           /* how long it ran */
} igm_outcome;

/* One of the n_jobs slots; trial NULL when free.  A slot whose trial has
 * ended but whose outcome the storage did not take stays taken
 * (unrecorded) until the last attempt on the way out. */
typedef struct igm_running {
    igmopt_trial *trial;
    int64_t number;
    igm_child child;
    int gpu;             /* igm_gpu_slots slot, -1 without GPUs */
    double started;      /* monotonic seconds */
    double signalled_at; /* when SIGTERM went to its group; 0: not yet */
    int killed;          /* SIGKILL went to its group */
    char *end_reason;    /* why the runner ended it ("timeout after 60 s") */
    char *dir;           /* the trial directory */
    igm_outcome outcome; /* set when the trial ended */
    int unrecorded;      /* ended, its outcome not stored yet */
    int finished_elsewhere; /* a heartbeat found the trial finished: no more beats */
    int beat_failed_said;   /* a heartbeat could not be written: said once */
} igm_running;

struct igmopt_runner {
    const igmopt_config *cfg; /* borrowed: outlives the runner */
    const igm_launcher_ops *launcher;
    igmopt_storage *storage;
    igmopt_study *study;
    igmopt_log_fn log;
    void *log_user;

    const char **objective_names; /* the study's metric names, in order */
    igm_gpu_slots gpus;
    char **fixed_args; /* command + fixed overrides, NULL-terminated */
    size_t n_fixed_args;
    char *program;   /* the resolved command; NULL when not found */
    char *cwd;       /* trial paths in log lines are shown relative to it */
    double kill_grace; /* seconds between SIGTERM and SIGKILL */

    igm_running *slots;
    size_t n_slots, n_running;
    struct pollfd *pollfds; /* the wake pipe, then one per running child */
    int in_run;
    int budget_spent; /* the study holds max_trials trials: launch no more */
    int64_t unstartable; /* sampled trials in a row that could not get their parameters */
    char *refusal;       /* why launching stopped for good (IGMOPT_ECONFIG at the end) */
    int sampler_stop_logged; /* "the sampler ended study" was said */

    int wake[2]; /* igmopt_runner_stop writes a byte to wake[1] */
    volatile sig_atomic_t stop_requests;
    int stopping; /* the loop has acted on a stop request */
    int storage_down; /* a tell failed even after its retries: no more retries */

    int64_t launched, completed, failed; /* by this runner */
    double run_started;
    double next_heartbeat; /* monotonic seconds; 0: at the loop's first turn */
};

double igm_runner_now(void);
/* The errors that mean the storage (or the process) cannot go on, as
 * opposed to one trial's own problem. */
int igm_runner_storage_failed(int rc);

/* runner_trial.c */
/* Builds fixed_args once (so a bad override fails before any trial). */
int igm_runner_fixed_arguments(igmopt_runner *r);
/* Asks for a trial, prepares its directory and launches it in slot.  A
 * trial that could not start is recorded FAIL and the slot stays free.
 * A negative status means the sweep cannot go on. */
int igm_runner_start_trial(igmopt_runner *r, igm_running *slot);
/* Records the outcome of a reaped trial (status as waitpid gives it) and
 * frees the slot. */
int igm_runner_finish_trial(igmopt_runner *r, igm_running *slot, int status);
/* Clears a slot after its trial was told. */
void igm_running_clear(igmopt_runner *r, igm_running *slot);

/* runner_record.c */
/* Tells slot->outcome (retried while the storage fails), logs it once
 * stored, counts it and frees the slot.  A trial its own process already
 * finished keeps what it recorded.  Returns a negative status only when
 * the storage is unusable; the slot then stays unrecorded. */
int igm_runner_record(igmopt_runner *r, igm_running *slot);
/* The last attempt for every unrecorded slot; what still fails is logged
 * as left RUNNING and its error returned. */
int igm_runner_record_unrecorded(igmopt_runner *r);

/* runner_heartbeat.c */
/* The first heartbeat of a trial just asked for. */
void igm_runner_heartbeat_new(const igmopt_runner *r, igm_running *slot);
/* When due: beats for every trial held, then fails stale trials. */
void igm_runner_heartbeats(igmopt_runner *r);
/* When igm_runner_heartbeats next has work (INFINITY: never). */
double igm_runner_heartbeat_due(const igmopt_runner *r);

/* runner_log.c */
void igm_runner_logf(const igmopt_runner *r, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The level-0 progress line: done/running/failed, best so far, ETA. */
void igm_runner_log_progress(igmopt_runner *r);
/* The trial directory as log lines show it (relative to the cwd when
 * inside it); *out malloc'd or NULL. */
char *igm_runner_shown_path(const igmopt_runner *r, const char *path);

#endif
