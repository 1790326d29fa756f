/* The runner: the study it feeds, and one single-threaded event loop over
 * n_jobs slots.  A slot is refilled the moment its trial ends (no batch
 * barrier: FIELD-NOTES s1.9.1); poll() waits on the children's pidfds, the
 * stop pipe and the nearest deadline (a trial's timeout from its own start,
 * or the SIGKILL that follows a SIGTERM after the grace period). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "runner.h"
#include "strbuf.h"
#include "study.h"

#define DEFAULT_KILL_GRACE 10.0 /* seconds from SIGTERM to SIGKILL */
#define REAP_TICK_MS 20         /* polling interval when pidfds are unavailable */

double igm_runner_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int igm_runner_storage_failed(int rc)
{
    return rc == IGMOPT_ESTORAGE || rc == IGMOPT_ENOMEM || rc == IGMOPT_EVERSION;
}

/* ---- setting up ---------------------------------------------------------- */

static int check_config(const igmopt_config *cfg)
{
    if (!cfg)
        return igm_error(IGMOPT_EINVAL, "igmopt_runner_new: config must not be NULL");
    if (cfg->n_objectives == 0 || !cfg->objectives)
        return igm_error(IGMOPT_ECONFIG, "objectives: at least one objective is needed");
    if (cfg->n_command == 0 || !cfg->command || !cfg->command[0])
        return igm_error(IGMOPT_ECONFIG, "command: the trial command is empty");
    if (cfg->n_jobs < 1)
        return igm_error(IGMOPT_ECONFIG, "n_jobs: must be >= 1 (got %lld)",
                         (long long)cfg->n_jobs);
    if (!cfg->sweep_dir || !cfg->score_file)
        return igm_error(IGMOPT_ECONFIG, "sweep_dir and score_file must be set");
    return igmopt_config_check(cfg);
}

/* IGMOPT_KILL_GRACE shortens the SIGTERM-to-SIGKILL wait (tests). */
static double kill_grace_from_env(void)
{
    const char *text = getenv("IGMOPT_KILL_GRACE");
    char *end;
    double v = text ? strtod(text, &end) : NAN;
    return text && end != text && *end == '\0' && v >= 0 && isfinite(v) ? v
                                                                          : DEFAULT_KILL_GRACE;
}

static void directions_text(igm_strbuf *sb, const igmopt_direction *dirs, size_t n)
{
    igm_strbuf_append(sb, "[");
    for (size_t i = 0; i < n; i++)
        igm_strbuf_appendf(sb, "%s%s", i ? ", " : "",
                           dirs[i] == IGMOPT_MAXIMIZE ? "maximize" : "minimize");
    igm_strbuf_append(sb, "]");
}

/* When creating the study failed because it exists with other directions,
 * says so as the configuration error it is (a changed `objectives`, or
 * another sweep's study_name); otherwise keeps the error as it was. */
static int explain_direction_mismatch(igmopt_runner *r, const igmopt_direction *want, int rc)
{
    const igmopt_config *cfg = r->cfg;
    igm_strbuf sb = IGM_STRBUF_INIT;
    igmopt_study *existing = NULL;
    char saved[1024], *text;
    snprintf(saved, sizeof saved, "%s", igmopt_errmsg());
    if (rc != IGMOPT_EINVAL || !cfg->study_name ||
        igmopt_study_load(&existing, r->storage, cfg->study_name, NULL, NULL) != IGMOPT_OK)
        return igm_error(rc, "%s", saved);
    if (existing->n_objectives == cfg->n_objectives &&
        memcmp(existing->directions, want, cfg->n_objectives * sizeof *want) == 0) {
        igmopt_study_close(existing);
        return igm_error(rc, "%s", saved);
    }
    igm_strbuf_appendf(&sb, "study '%s' in %s optimizes ", cfg->study_name,
                       cfg->storage ? cfg->storage : ":memory:");
    directions_text(&sb, existing->directions, existing->n_objectives);
    igm_strbuf_append(&sb, ", this configuration ");
    directions_text(&sb, want, cfg->n_objectives);
    igm_strbuf_append(&sb, " (keep the study's objectives, or choose another study_name)");
    igmopt_study_close(existing);
    if (igm_strbuf_finish(&sb, &text))
        return igm_error_nomem();
    rc = igm_config_error_at(cfg, "objectives", "%s", text);
    free(text);
    return rc;
}

/* The sampler and pruner first: a run that cannot start must not leave a
 * fresh, empty storage file behind. */
static int open_study(igmopt_runner *r)
{
    const igmopt_config *cfg = r->cfg;
    igmopt_direction *dirs = calloc(cfg->n_objectives, sizeof *dirs);
    igmopt_sampler *sampler = NULL;
    igmopt_pruner *pruner = NULL;
    int rc = dirs ? IGMOPT_OK : igm_error_nomem();
    for (size_t i = 0; rc == IGMOPT_OK && i < cfg->n_objectives; i++)
        dirs[i] = cfg->objectives[i].direction;
    if (rc == IGMOPT_OK)
        rc = igmopt_sampler_new(&sampler, cfg->sampler_method, cfg->sampler_kwargs_json);
    if (rc == IGMOPT_OK && cfg->pruner_method)
        rc = igmopt_pruner_new(&pruner, cfg->pruner_method, cfg->pruner_kwargs_json);
    if (rc == IGMOPT_OK)
        rc = igmopt_storage_open(&r->storage, cfg->storage);
    /* Other workers' RUNNING trials are left alone: failing them at start-up
     * breaks multi-node sweeps (FIELD-NOTES s1.9.10). */
    if (rc == IGMOPT_OK &&
        (rc = igmopt_study_create(&r->study, r->storage, cfg->study_name, dirs,
                                  cfg->n_objectives, sampler, pruner, 1)) != IGMOPT_OK)
        rc = explain_direction_mismatch(r, dirs, rc);
    if (rc == IGMOPT_OK)
        rc = igmopt_study_set_metric_names(r->study, r->objective_names, cfg->n_objectives);
    igmopt_sampler_free(sampler);
    igmopt_pruner_free(pruner);
    free(dirs);
    return rc;
}

/* ---- what the study and the process allow ------------------------------ */

static int param_distribution(const igm_config_param *p, igm_distribution **out)
{
    switch (p->type) {
    case IGM_PARAM_FLOAT:
        return igm_distribution_float(out, p->name, p->low, p->high, p->step, p->log);
    case IGM_PARAM_INT:
        return igm_distribution_int(out, p->name, p->ilow, p->ihigh,
                                    p->istep > 0 ? p->istep : 1, p->log);
    default:
        return igm_distribution_categorical(out, p->name, p->choices_json);
    }
}

/* A parameter the stored study knows with another kind, log flag or
 * choices would fail every trial (Optuna refuses it at suggest). */
static int check_params_against_study(igmopt_runner *r)
{
    const igmopt_config *cfg = r->cfg;
    igm_frozen_trial *const *trials;
    size_t n;
    int rc = igm_study_trials(r->study, &trials, &n);
    for (size_t i = 0; rc == IGMOPT_OK && i < cfg->n_params; i++) {
        const igm_config_param *p = &cfg->params[i];
        const igm_distribution *known = igm_study_param_distribution(r->study, p->name);
        igm_distribution *d = NULL;
        char key[40];
        if (!known || (rc = param_distribution(p, &d)))
            continue;
        if (!igm_distribution_compatible(known, d)) {
            snprintf(key, sizeof key, "parameters.%zu", i);
            rc = igm_config_error_at(cfg, key, "'%s' is not the parameter study '%s' holds "
                                     "under that name (Optuna requires the same kind, log "
                                     "flag and choices); use another name or study_name",
                                     p->name, r->study->name);
        }
        igm_distribution_free(d);
    }
    return rc;
}

/* Besides what the process already has open: the stop pipe (2), the
 * SQLite file with its journal or WAL and shm (4), one launch at a time
 * (stdin, stdout.txt, stderr.txt and the exec-report pipe: 5) and a score
 * file or the CSV (1).  A running trial keeps only its pidfd. */
#define FDS_RUNNER 12
#define FDS_PER_TRIAL 1

/* Descriptors open now (the directory listing them not counted); the three
 * standard ones where /proc is missing. */
static size_t open_descriptors(void)
{
    DIR *dir = opendir("/proc/self/fd");
    size_t n = 0;
    const struct dirent *e;
    if (!dir)
        return 3;
    while ((e = readdir(dir)))
        n += e->d_name[0] != '.';
    closedir(dir);
    return n - 1;
}

static int check_open_file_limit(const igmopt_runner *r)
{
    struct rlimit limit;
    size_t open_now = open_descriptors();
    rlim_t needed = (rlim_t)(open_now + FDS_RUNNER + r->n_slots * FDS_PER_TRIAL);
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
        limit.rlim_cur >= needed)
        return IGMOPT_OK;
    return igm_config_error_at(r->cfg, "n_jobs", "%zu trial%s at once need%s about %llu open "
                               "files (%zu open already, %d for the runner and its storage, "
                               "%d per running trial), and this process may open %llu: %s",
                               r->n_slots, r->n_slots == 1 ? "" : "s",
                               r->n_slots == 1 ? "s" : "", (unsigned long long)needed,
                               open_now, FDS_RUNNER, FDS_PER_TRIAL,
                               (unsigned long long)limit.rlim_cur,
                               r->n_slots > 1 ? "lower n_jobs or raise the limit (ulimit -n)"
                                              : "raise the limit (ulimit -n)");
}

/* No more slots than trials this run may start. */
static int alloc_slots(igmopt_runner *r)
{
    const igmopt_config *cfg = r->cfg;
    int64_t n = cfg->n_jobs;
    if (cfg->n_trials > 0 && cfg->n_trials < n)
        n = cfg->n_trials;
    if (cfg->max_trials > 0 && cfg->max_trials < n)
        n = cfg->max_trials;
    r->n_slots = (size_t)n;
    r->slots = calloc(r->n_slots, sizeof *r->slots);
    r->pollfds = calloc(r->n_slots + 1, sizeof *r->pollfds);
    r->objective_names = calloc(r->cfg->n_objectives, sizeof *r->objective_names);
    if (!r->slots || !r->pollfds || !r->objective_names)
        return igm_error_nomem();
    for (size_t i = 0; i < r->n_slots; i++) {
        r->slots[i].gpu = -1;
        r->slots[i].child.pidfd = -1;
    }
    for (size_t i = 0; i < r->cfg->n_objectives; i++)
        r->objective_names[i] = r->cfg->objectives[i].name;
    return IGMOPT_OK;
}

static int runner_init(igmopt_runner *r)
{
    const igmopt_config *cfg = r->cfg;
    int rc = alloc_slots(r);
    if (rc == IGMOPT_OK)
        rc = check_open_file_limit(r);
    if (rc == IGMOPT_OK && pipe2(r->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        rc = igm_error(IGMOPT_ESTORAGE, "cannot create the runner's pipe: %s", strerror(errno));
    if (rc == IGMOPT_OK)
        rc = igm_gpu_slots_init(&r->gpus, cfg->gpu_ids, cfg->n_gpu_ids,
                                getenv("CUDA_VISIBLE_DEVICES"));
    if (rc == IGMOPT_OK)
        rc = igm_resolve_program(&r->program, cfg->command[0], cfg->command_dir);
    if (rc == IGMOPT_OK)
        rc = igm_runner_fixed_arguments(r);
    if (rc == IGMOPT_OK && !(r->cwd = getcwd(NULL, 0)) && errno == ENOMEM)
        rc = igm_error_nomem();
    if (rc == IGMOPT_OK)
        rc = open_study(r);
    if (rc == IGMOPT_OK)
        rc = check_params_against_study(r);
    return rc;
}

IGMOPT_API int igmopt_runner_new(igmopt_runner **out, const igmopt_config *cfg)
{
    igmopt_runner *r;
    int rc;
    if (!out)
        return igm_error(IGMOPT_EINVAL, "igmopt_runner_new: out must not be NULL");
    *out = NULL;
    if ((rc = check_config(cfg)))
        return rc;
    if (!(r = calloc(1, sizeof *r)))
        return igm_error_nomem();
    r->cfg = cfg;
    r->launcher = &igm_local_launcher;
    r->kill_grace = kill_grace_from_env();
    r->wake[0] = r->wake[1] = -1;
    rc = runner_init(r);
    if (rc) {
        igmopt_runner_free(r);
        return rc;
    }
    *out = r;
    return IGMOPT_OK;
}

IGMOPT_API void igmopt_runner_set_log(igmopt_runner *r, igmopt_log_fn fn, void *user)
{
    if (!r)
        return;
    r->log = fn;
    r->log_user = user;
}

IGMOPT_API igmopt_study *igmopt_runner_study(igmopt_runner *r)
{
    return r ? r->study : NULL;
}

IGMOPT_API void igmopt_runner_stop(igmopt_runner *r)
{
    int saved_errno = errno;
    ssize_t ignored;
    if (!r)
        return;
    r->stop_requests++;
    ignored = write(r->wake[1], "", 1);
    (void)ignored;
    errno = saved_errno;
}

/* ---- ending trials ----------------------------------------------------- */

/* SIGTERM to the trial's group; its FAIL reason will be `reason`. */
static void terminate(igmopt_runner *r, igm_running *slot, const char *reason)
{
    if (!slot->end_reason)
        slot->end_reason = strdup(reason);
    if (slot->signalled_at > 0)
        return;
    r->launcher->signal(&slot->child, SIGTERM);
    slot->signalled_at = igm_runner_now();
}

static void kill_now(igmopt_runner *r, igm_running *slot)
{
    r->launcher->signal(&slot->child, SIGKILL);
    slot->killed = 1;
}

static void terminate_all(igmopt_runner *r, const char *reason)
{
    for (size_t i = 0; i < r->n_slots; i++)
        if (r->slots[i].child.pid > 0)
            terminate(r, &r->slots[i], reason);
}

static void act_on_stop(igmopt_runner *r)
{
    if (!r->stop_requests)
        return;
    if (!r->stopping) {
        r->stopping = 1;
        if (r->n_running)
            igm_runner_logf(r, 2, "interrupted: terminating %zu running trial%s (stop again "
                            "to kill them at once)", r->n_running, r->n_running == 1 ? "" : "s");
        terminate_all(r, "interrupted");
    }
    if (r->stop_requests < 2)
        return;
    for (size_t i = 0; i < r->n_slots; i++)
        if (r->slots[i].child.pid > 0 && !r->slots[i].killed)
            kill_now(r, &r->slots[i]);
}

static double deadline_of(const igmopt_runner *r, const igm_running *slot)
{
    if (slot->signalled_at > 0)
        return slot->killed ? INFINITY : slot->signalled_at + r->kill_grace;
    if (r->cfg->trial_timeout > 0)
        return slot->started + r->cfg->trial_timeout;
    return INFINITY;
}

static void enforce_deadlines(igmopt_runner *r)
{
    double now = igm_runner_now();
    char reason[64];
    for (size_t i = 0; i < r->n_slots; i++) {
        igm_running *slot = &r->slots[i];
        if (slot->child.pid <= 0 || now < deadline_of(r, slot))
            continue;
        if (slot->signalled_at > 0) {
            kill_now(r, slot);
        } else {
            snprintf(reason, sizeof reason, "timeout after %g s", r->cfg->trial_timeout);
            terminate(r, slot, reason);
        }
    }
}

/* ---- launching ----------------------------------------------------------- */

/* max_trials is enforced by the ask itself (igmopt_study_ask_capped), which
 * sets budget_spent once the study is full. */
static int may_launch(igmopt_runner *r, int *may)
{
    const igmopt_config *cfg = r->cfg;
    *may = 0;
    if (r->stopping || r->stop_requests || r->budget_spent || r->refusal)
        return IGMOPT_OK;
    /* A sampler ended the study (GridSampler or BruteForceSampler with
     * nothing left to try), as Optuna's study.stop(). */
    if (igm_study_stop_requested(r->study)) {
        if (!r->sampler_stop_logged++)
            igm_runner_logf(r, 1, "the sampler ended study '%s': no trial left to try",
                            r->study->name);
        return IGMOPT_OK;
    }
    if (cfg->n_trials > 0 ? r->launched >= cfg->n_trials : cfg->max_trials <= 0)
        return IGMOPT_OK;
    *may = 1;
    return IGMOPT_OK;
}

static igm_running *free_slot(igmopt_runner *r)
{
    for (size_t i = 0; i < r->n_slots; i++)
        if (!r->slots[i].trial)
            return &r->slots[i];
    return NULL;
}

static int launch_into_free_slots(igmopt_runner *r)
{
    igm_running *slot;
    int may = 1, rc = IGMOPT_OK;
    while (rc == IGMOPT_OK && (slot = free_slot(r)) && (rc = may_launch(r, &may)) == IGMOPT_OK &&
           may)
        rc = igm_runner_start_trial(r, slot);
    return rc;
}

/* ---- waiting --------------------------------------------------------------- */

static int poll_timeout_ms(const igmopt_runner *r, int ticking)
{
    double next = igm_runner_heartbeat_due(r), now = igm_runner_now();
    int ms;
    for (size_t i = 0; i < r->n_slots; i++)
        if (r->slots[i].child.pid > 0)
            next = fmin(next, deadline_of(r, &r->slots[i]));
    ms = isinf(next) ? -1 : next <= now ? 0 : (int)fmin(ceil((next - now) * 1e3), 86400e3);
    if (ticking && (ms < 0 || ms > REAP_TICK_MS))
        ms = REAP_TICK_MS;
    return ms;
}

static void drain_wake_pipe(const igmopt_runner *r)
{
    char buf[64];
    while (read(r->wake[0], buf, sizeof buf) > 0)
        ;
}

/* Sleeps until a child ends, a stop arrives or a deadline passes. */
static void wait_for_events(igmopt_runner *r)
{
    nfds_t n = 0;
    int ticking = 0;
    r->pollfds[n++] = (struct pollfd){r->wake[0], POLLIN, 0};
    for (size_t i = 0; i < r->n_slots; i++) {
        const igm_child *child = &r->slots[i].child;
        if (child->pid > 0 && child->pidfd >= 0)
            r->pollfds[n++] = (struct pollfd){child->pidfd, POLLIN, 0};
        else if (child->pid > 0)
            ticking = 1;
    }
    if (poll(r->pollfds, n, poll_timeout_ms(r, ticking)) > 0 && r->pollfds[0].revents)
        drain_wake_pipe(r);
}

static int reap_ended(igmopt_runner *r)
{
    int status, rc = IGMOPT_OK, step;
    for (size_t i = 0; i < r->n_slots; i++) {
        igm_running *slot = &r->slots[i];
        if (slot->child.pid > 0 && r->launcher->reap(&slot->child, 0, &status) == 1) {
            step = igm_runner_finish_trial(r, slot, status);
            rc = rc ? rc : step;
        }
    }
    return rc;
}

/* ---- the loop ---------------------------------------------------------------- */

/* Stops launching after an error; the running trials end as interrupted
 * and the error's message survives the clean-up. */
static void abort_sweep(igmopt_runner *r, char *saved, size_t size)
{
    snprintf(saved, size, "%s", igmopt_errmsg());
    r->stopping = 1;
    terminate_all(r, "interrupted: the runner failed");
}

static int sweep(igmopt_runner *r)
{
    char saved[1024] = "";
    int rc = IGMOPT_OK, step;
    for (;;) {
        act_on_stop(r);
        igm_runner_heartbeats(r);
        step = r->stopping ? IGMOPT_OK : launch_into_free_slots(r);
        if (step && rc == IGMOPT_OK)
            abort_sweep(r, saved, sizeof saved);
        rc = rc ? rc : step;
        if (r->n_running == 0)
            break;
        wait_for_events(r);
        step = reap_ended(r);
        if (step && rc == IGMOPT_OK)
            abort_sweep(r, saved, sizeof saved);
        rc = rc ? rc : step;
        enforce_deadlines(r);
    }
    step = igm_runner_record_unrecorded(r);
    if (step && rc == IGMOPT_OK) {
        snprintf(saved, sizeof saved, "%s", igmopt_errmsg());
        rc = step;
    }
    if (rc)
        return igm_error(rc, "%s", saved);
    if (r->refusal)
        return igm_error(IGMOPT_ECONFIG, "%s", r->refusal);
    if (r->stop_requests)
        return igm_error(IGMOPT_EINTERRUPTED, "the sweep was interrupted (%lld trials "
                         "launched)", (long long)r->launched);
    return IGMOPT_OK;
}

/* With SIGCHLD ignored the kernel reaps children itself and their exit
 * status is lost, so the default disposition holds while the loop runs. */
IGMOPT_API int igmopt_runner_run(igmopt_runner *r)
{
    struct sigaction dfl, old;
    int rc, restore;
    if (!r)
        return igm_error(IGMOPT_EINVAL, "igmopt_runner_run: runner must not be NULL");
    if (r->in_run)
        return igm_error(IGMOPT_EINVAL, "igmopt_runner_run: the runner is already running");
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    restore = sigaction(SIGCHLD, NULL, &old) == 0 && old.sa_handler == SIG_IGN &&
              sigaction(SIGCHLD, &dfl, NULL) == 0;
    r->in_run = 1;
    r->run_started = igm_runner_now();
    rc = sweep(r);
    r->in_run = 0;
    if (restore)
        sigaction(SIGCHLD, &old, NULL);
    return rc;
}

/* ---- freeing --------------------------------------------------------------- */

/* Only reached when a host frees a runner whose children still run (run
 * always ends them): kill, reap, record FAIL. */
static void end_leftover_children(igmopt_runner *r)
{
    int status;
    for (size_t i = 0; r->slots && i < r->n_slots; i++) {
        igm_running *slot = &r->slots[i];
        if (slot->child.pid > 0) {
            kill_now(r, slot);
            r->launcher->reap(&slot->child, 1, &status);
            igm_study_fail_trial(r->study, slot->trial, "interrupted");
        }
        if (slot->trial)
            igm_running_clear(r, slot);
    }
}

IGMOPT_API void igmopt_runner_free(igmopt_runner *r)
{
    if (!r)
        return;
    end_leftover_children(r);
    igmopt_study_close(r->study);
    igmopt_storage_close(r->storage);
    igm_gpu_slots_clear(&r->gpus);
    for (size_t i = 0; i < r->n_fixed_args; i++)
        free(r->fixed_args[i]);
    free(r->fixed_args);
    free(r->program);
    free(r->cwd);
    free(r->slots);
    free(r->pollfds);
    free(r->objective_names);
    free(r->refusal);
    if (r->wake[0] >= 0)
        close(r->wake[0]);
    if (r->wake[1] >= 0)
        close(r->wake[1]);
    free(r);
}
