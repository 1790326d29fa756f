/* One trial of a sweep: ask and suggest, its directory, command line and
 * environment, the launch; then the outcome of the ended process turned
 * into COMPLETE or FAIL with a precise reason (DESIGN.md s5). */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "hydra_override.h"
#include "runner.h"
#include "score_file.h"
#include "strbuf.h"
#include "study.h"

extern char **environ;

/* A NULL-terminated, growable array of owned strings (argv, envp). */
typedef struct strlist {
    char **items;
    size_t n, cap;
} strlist;

static int strlist_take(strlist *l, char *s)
{
    if (!s)
        return igm_error_nomem();
    if (l->n + 2 > l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            free(s);
            return igm_error_nomem();
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = s;
    l->items[l->n] = NULL;
    return IGMOPT_OK;
}

static int strlist_printf(strlist *l, const char *fmt, ...) IGM_PRINTF(2, 3);

static int strlist_printf(strlist *l, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;
    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    return strlist_take(l, n < 0 ? NULL : s);
}

static void strlist_clear(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- parameters ---------------------------------------------------------- */

static int suggest_param(igmopt_trial *t, const igm_config_param *p)
{
    double v;
    int64_t i;
    size_t index;
    switch (p->type) {
    case IGM_PARAM_FLOAT:
        return igmopt_trial_suggest_float(t, p->name, p->low, p->high, p->step, p->log, &v);
    case IGM_PARAM_INT:
        return igmopt_trial_suggest_int(t, p->name, p->ilow, p->ihigh,
                                        p->istep > 0 ? p->istep : 1, p->log, &i);
    case IGM_PARAM_CATEGORICAL:
        return igmopt_trial_suggest_categorical(t, p->name, p->choices_json, &index);
    }
    return igm_error(IGMOPT_EINVAL, "parameter '%s': unknown type %d", p->name, (int)p->type);
}

/* "name=value" from the value the trial recorded, so floats round-trip
 * (repr form, 1e-05) and ints stay exact. */
static int param_override(igmopt_trial *t, const char *name, char **out)
{
    const igm_param *param = igm_frozen_trial_param(t->record, name);
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *value_json;
    int rc;
    igm_distribution_external_json(&sb, param->distribution, param->internal);
    if (igm_strbuf_finish(&sb, &value_json))
        return igm_error_nomem();
    rc = igm_hydra_override(out, name, value_json);
    free(value_json);
    return rc;
}

/* Suggests every parameter in file order; appends their overrides. */
static int suggest_all(const igmopt_config *cfg, igmopt_trial *t, strlist *argv)
{
    char *override;
    int rc = IGMOPT_OK;
    for (size_t i = 0; rc == IGMOPT_OK && i < cfg->n_params; i++) {
        rc = suggest_param(t, &cfg->params[i]);
        if (rc == IGMOPT_OK && (rc = param_override(t, cfg->params[i].name, &override)) ==
                                   IGMOPT_OK)
            rc = strlist_take(argv, override);
    }
    return rc;
}

/* ---- command line and environment ---------------------------------------- */

int igm_runner_fixed_arguments(igmopt_runner *r)
{
    const igmopt_config *cfg = r->cfg;
    strlist fixed = {0};
    char *override;
    int rc = IGMOPT_OK;
    for (size_t i = 0; rc == IGMOPT_OK && i < cfg->n_command; i++)
        rc = strlist_take(&fixed, strdup(cfg->command[i]));
    for (size_t i = 0; rc == IGMOPT_OK && i < cfg->n_overrides; i++) {
        rc = igm_hydra_override(&override, cfg->overrides[i].key, cfg->overrides[i].value_json);
        if (rc == IGMOPT_OK)
            rc = strlist_take(&fixed, override);
    }
    if (rc) {
        strlist_clear(&fixed);
        return rc;
    }
    r->fixed_args = fixed.items;
    r->n_fixed_args = fixed.n;
    return IGMOPT_OK;
}

static int fixed_arguments(const igmopt_runner *r, strlist *argv)
{
    int rc = IGMOPT_OK;
    for (size_t i = 0; rc == IGMOPT_OK && i < r->n_fixed_args; i++)
        rc = strlist_take(argv, strdup(r->fixed_args[i]));
    return rc;
}

static int same_key(const char *entry, const char *other)
{
    size_t n = strcspn(entry, "=");
    return strncmp(entry, other, n) == 0 && other[n] == '=';
}

/* Inherited variables the trial's own ones replace; IGMOPT_STORAGE also
 * when the study is in memory (a stale URL would mislead the child). */
static int replaced(const char *entry, const strlist *own)
{
    if (same_key(entry, "IGMOPT_STORAGE="))
        return 1;
    for (size_t i = 0; i < own->n; i++)
        if (same_key(entry, own->items[i]))
            return 1;
    return 0;
}

static int trial_environment(const igmopt_runner *r, const igm_running *slot, strlist *env)
{
    const igmopt_config *cfg = r->cfg;
    strlist own = {0};
    int rc = IGMOPT_OK;
    if (cfg->storage)
        rc = strlist_printf(&own, "IGMOPT_STORAGE=%s", cfg->storage);
    if (rc == IGMOPT_OK)
        rc = strlist_printf(&own, "IGMOPT_STUDY=%s", r->study->name);
    if (rc == IGMOPT_OK)
        rc = strlist_printf(&own, "IGMOPT_TRIAL_NUMBER=%lld", (long long)slot->number);
    if (rc == IGMOPT_OK)
        rc = strlist_printf(&own, "IGMOPT_TRIAL_DIR=%s", slot->dir);
    if (rc == IGMOPT_OK && cfg->gpu_allow_growth)
        rc = strlist_printf(&own, "TF_FORCE_GPU_ALLOW_GROWTH=true");
    if (rc == IGMOPT_OK && slot->gpu >= 0)
        rc = strlist_printf(&own, "CUDA_VISIBLE_DEVICES=%s", r->gpus.devices[slot->gpu]);
    for (char **e = environ; rc == IGMOPT_OK && e && *e; e++)
        if (!replaced(*e, &own))
            rc = strlist_take(env, strdup(*e));
    for (size_t i = 0; rc == IGMOPT_OK && i < own.n; i++) {
        rc = strlist_take(env, own.items[i]);
        own.items[i] = NULL;
    }
    strlist_clear(&own);
    return rc;
}

/* ---- the trial directory ------------------------------------------------- */

static int make_directories(char *path)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        int failed = mkdir(path, 0777) != 0 && errno != EEXIST;
        *p = saved;
        if (failed || saved == '\0')
            return failed ? -1 : 0;
    }
}

/* A score file left from an earlier run must never be read as this
 * trial's result (FIELD-NOTES s1.9.8).  Returns 1 with *reason when only
 * this trial cannot run: trials can write into each other's directories,
 * so a file may sit where this one's directory or score file belongs. */
static int prepare_directory(const igmopt_config *cfg, igm_running *slot, char **reason)
{
    struct stat st;
    char *score = NULL;
    int rc = IGMOPT_OK, n = 0;
    *reason = NULL;
    if (asprintf(&slot->dir, "%s/%lld", cfg->sweep_dir, (long long)slot->number) < 0) {
        slot->dir = NULL;
        return igm_error_nomem();
    }
    if (make_directories(slot->dir) != 0)
        return igm_error(IGMOPT_ESTORAGE, "cannot create trial directory %s: %s", slot->dir,
                         strerror(errno));
    if (stat(slot->dir, &st) != 0 || !S_ISDIR(st.st_mode))
        n = asprintf(reason, "the trial directory %s is not a directory", slot->dir);
    else if (asprintf(&score, "%s/%s", slot->dir, cfg->score_file) < 0)
        return igm_error_nomem();
    if (score && unlink(score) != 0) {
        if (errno == EISDIR) /* Linux's unlink of a directory */
            n = asprintf(reason, "cannot remove the stale score file %s: it is a directory",
                         score);
        else if (errno != ENOENT)
            rc = igm_error(IGMOPT_ESTORAGE, "cannot remove the stale score file %s: %s",
                           score, strerror(errno));
    }
    free(score);
    if (n < 0) {
        *reason = NULL;
        return igm_error_nomem();
    }
    return *reason ? 1 : rc;
}

/* ---- start --------------------------------------------------------------- */

void igm_running_clear(igmopt_runner *r, igm_running *slot)
{
    igm_gpu_slots_release(&r->gpus, slot->gpu);
    igmopt_trial_free(slot->trial);
    free(slot->end_reason);
    free(slot->dir);
    free(slot->outcome.values);
    free(slot->outcome.reason);
    memset(slot, 0, sizeof *slot);
    slot->gpu = -1;
    slot->child.pidfd = -1;
}

/* Records FAIL with reason and frees the slot (igm_runner_record). */
static int fail_trial(igmopt_runner *r, igm_running *slot, const char *reason, int ran)
{
    slot->outcome.state = IGMOPT_FAIL;
    slot->outcome.ran = ran;
    if (!(slot->outcome.reason = strdup(reason)))
        return igm_error_nomem();
    return igm_runner_record(r, slot);
}

/* The sweep cannot go on (rc < 0): the asked trial still ends FAIL. */
static int abandon_trial(igmopt_runner *r, igm_running *slot, int rc)
{
    char message[1024];
    snprintf(message, sizeof message, "%s", igmopt_errmsg());
    fail_trial(r, slot, message, 0);
    return igm_error(rc, "%s", message);
}

static void log_start(const igmopt_runner *r, const igm_running *slot, const strlist *argv,
                      size_t first_param)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *line;
    igm_strbuf_appendf(&sb, "trial %lld started", (long long)slot->number);
    if (slot->gpu >= 0) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)r->gpus.ids[slot->gpu]);
        igm_strbuf_appendf(&sb, " on GPU %s", id);
        if (strcmp(id, r->gpus.devices[slot->gpu]) != 0) /* an inherited list maps it */
            igm_strbuf_appendf(&sb, " (CUDA_VISIBLE_DEVICES=%s)",
                               r->gpus.devices[slot->gpu]);
    }
    igm_strbuf_append(&sb, first_param < argv->n ? ": params" : "");
    for (size_t i = first_param; i < argv->n; i++)
        igm_strbuf_appendf(&sb, " %s", argv->items[i]);
    if (igm_strbuf_finish(&sb, &line) == IGMOPT_OK)
        igm_runner_logf(r, 1, "%s", line);
    free(line);
}

static int launch(igmopt_runner *r, igm_running *slot, strlist *argv, strlist *env)
{
    char *out = NULL, *err = NULL, *reason = NULL;
    igm_launch_request req = {r->cfg->command[0], r->program, argv->items, env->items,
                              slot->dir, NULL, NULL};
    int rc;
    if (asprintf(&out, "%s/stdout.txt", slot->dir) < 0)
        return igm_error_nomem();
    if (asprintf(&err, "%s/stderr.txt", slot->dir) < 0) {
        free(out);
        return igm_error_nomem();
    }
    req.stdout_path = out;
    req.stderr_path = err;
    slot->started = igm_runner_now();
    rc = r->launcher->start(&req, &slot->child, &reason);
    if (rc == 1)
        rc = fail_trial(r, slot, reason, 0);
    else if (rc == IGMOPT_OK)
        r->n_running++;
    free(reason);
    free(out);
    free(err);
    return rc;
}

/* A GridSampler value outside its parameter's range spoils one point; a
 * search_space without one of the parameters, or a PartialFixedSampler
 * value outside its range, spoils them all.  After this many in a row the
 * runner launches nothing more; the running trials finish. */
#define UNSTARTABLE_IN_A_ROW 3

static int note_unstartable(igmopt_runner *r, int64_t number, const char *reason)
{
    if (++r->unstartable < UNSTARTABLE_IN_A_ROW || r->refusal)
        return IGMOPT_OK;
    if (asprintf(&r->refusal, "%d sampled trials in a row could not start (the last, trial "
                 "%lld: %s); no more trials are launched, as the next would likely fail the "
                 "same way", UNSTARTABLE_IN_A_ROW, (long long)number, reason) < 0) {
        r->refusal = NULL;
        return igm_error_nomem();
    }
    igm_runner_logf(r, 2, "%s", r->refusal);
    return IGMOPT_OK;
}

int igm_runner_start_trial(igmopt_runner *r, igm_running *slot)
{
    strlist argv = {0}, env = {0};
    size_t first_param;
    char *reason = NULL;
    int sampled_but_unstartable = 0;
    int rc = igmopt_study_ask_capped(r->study, r->cfg->max_trials, &slot->trial);
    if (rc == IGMOPT_ELIMIT) {
        r->budget_spent = 1;
        igm_runner_logf(r, 1, "max_trials reached: study '%s' holds %lld trials",
                        r->study->name, (long long)r->cfg->max_trials);
        return IGMOPT_OK;
    }
    if (rc)
        return rc;
    slot->number = igmopt_trial_number(slot->trial);
    igm_runner_heartbeat_new(r, slot);
    r->launched++;
    rc = fixed_arguments(r, &argv);
    first_param = argv.n;
    if (rc == IGMOPT_OK)
        rc = suggest_all(r->cfg, slot->trial, &argv);
    /* An enqueued value out of range spoils only its own trial; sampled
     * trials that cannot get their parameters one after another point at
     * the sampler's options (see note_unstartable). */
    if (rc < 0 && !igm_runner_storage_failed(rc)) {
        sampled_but_unstartable = !slot->trial->fixed_params;
        rc = (reason = strdup(igmopt_errmsg())) ? 1 : igm_error_nomem();
    }
    /* Ctrl-C during a long draw (an NSGA-III selection of a large
     * population): the drawn trial is not launched only to be killed. */
    if (rc == IGMOPT_OK && r->stop_requests)
        rc = (reason = strdup("interrupted before it started")) ? 1 : igm_error_nomem();
    if (rc == IGMOPT_OK)
        rc = prepare_directory(r->cfg, slot, &reason);
    if (rc == IGMOPT_OK) {
        slot->gpu = igm_gpu_slots_acquire(&r->gpus);
        rc = trial_environment(r, slot, &env);
    }
    if (rc == IGMOPT_OK) {
        log_start(r, slot, &argv, first_param);
        rc = launch(r, slot, &argv, &env);
    }
    if (rc == 1) { /* this trial cannot run */
        int64_t number = slot->number;
        rc = fail_trial(r, slot, reason, 0);
        if (rc == IGMOPT_OK && sampled_but_unstartable)
            rc = note_unstartable(r, number, reason);
    } else if (rc == IGMOPT_OK) {
        r->unstartable = 0;
    }
    else if (rc && slot->trial && slot->child.pid == 0 && !slot->unrecorded) /* never ran */
        rc = abandon_trial(r, slot, rc);
    free(reason);
    strlist_clear(&argv);
    strlist_clear(&env);
    return rc;
}

/* ---- finish -------------------------------------------------------------- */

static const char *signal_abbrev(int sig)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
    return sigabbrev_np(sig);
#else
    (void)sig;
    return NULL;
#endif
}

/* Why the process ending with status fails the trial, or NULL when its
 * score file decides. */
static char *status_reason(const igm_running *slot, int status)
{
    char *reason = NULL;
    const char *abbrev;
    int n = 0;
    if (slot->end_reason)
        return strdup(slot->end_reason);
    if (status == -1) {
        n = asprintf(&reason, "exit status lost (the process was reaped elsewhere)");
    } else if (WIFSIGNALED(status)) {
        abbrev = signal_abbrev(WTERMSIG(status));
        n = abbrev ? asprintf(&reason, "killed by signal %d (SIG%s)", WTERMSIG(status), abbrev)
                   : asprintf(&reason, "killed by signal %d", WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        n = asprintf(&reason, "exit code %d", WEXITSTATUS(status));
    } else {
        return NULL;
    }
    return n < 0 ? NULL : reason;
}

static int read_score(const igmopt_runner *r, const igm_running *slot, double *values,
                      char **reason)
{
    char *path;
    int rc;
    if (asprintf(&path, "%s/%s", slot->dir, r->cfg->score_file) < 0)
        return igm_error_nomem();
    rc = igm_score_file_read(path, r->cfg->score_file, r->objective_names,
                             r->cfg->n_objectives, values, reason);
    free(path);
    return rc;
}

/* The process's outcome: COMPLETE with the score file's values, or FAIL
 * with the reason; a negative status when the runner itself failed. */
static int decide_outcome(const igmopt_runner *r, igm_running *slot, int status)
{
    igm_outcome *o = &slot->outcome;
    int rc;
    o->ran = 1;
    o->seconds = igm_runner_now() - slot->started;
    o->reason = status_reason(slot, status);
    if (!(o->values = calloc(r->cfg->n_objectives, sizeof *o->values)))
        return igm_error_nomem();
    rc = o->reason ? 1 : read_score(r, slot, o->values, &o->reason);
    o->state = rc == IGMOPT_OK ? IGMOPT_COMPLETE : IGMOPT_FAIL;
    return rc == 1 ? IGMOPT_OK : rc;
}

int igm_runner_finish_trial(igmopt_runner *r, igm_running *slot, int status)
{
    int rc;
    r->n_running--;
    rc = decide_outcome(r, slot, status);
    if (rc) {
        free(slot->outcome.reason);
        slot->outcome.reason = NULL;
        return abandon_trial(r, slot, rc);
    }
    rc = igm_runner_record(r, slot);
    if (rc == IGMOPT_OK && !slot->unrecorded)
        igm_runner_log_progress(r);
    return rc;
}
