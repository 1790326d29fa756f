/* The runner's log lines, all through the caller's callback (the library
 * never prints): the level-0 progress line and shared formatting. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "strbuf.h"
#include "study.h"

/* One log line stays one line: a value can hold a newline (a categorical
 * choice, an objective name, a path), and an escape sequence would drive
 * the terminal. */
static char *escape_controls(const char *message)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *out;
    igm_strbuf_append_escaped(&sb, message, strlen(message));
    return igm_strbuf_finish(&sb, &out) == IGMOPT_OK ? out : NULL;
}

static void emit(const igmopt_runner *r, int level, const char *message)
{
    char *escaped = escape_controls(message);
    if (escaped)
        r->log(r->log_user, level, escaped);
    free(escaped);
}

void igm_runner_logf(const igmopt_runner *r, int level, const char *fmt, ...)
{
    va_list ap;
    char *message;
    int n;
    if (!r->log)
        return;
    va_start(ap, fmt);
    n = vasprintf(&message, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    emit(r, level, message);
    free(message);
}

char *igm_runner_shown_path(const igmopt_runner *r, const char *path)
{
    size_t n = r->cwd ? strlen(r->cwd) : 0;
    if (n > 1 && strncmp(path, r->cwd, n) == 0 && path[n] == '/')
        return strdup(path + n + 1);
    return strdup(path);
}

static void append_duration(igm_strbuf *sb, double seconds)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        igm_strbuf_appendf(sb, "%ldh%02ldm", s / 3600, s / 60 % 60);
    else if (s >= 60)
        igm_strbuf_appendf(sb, "%ldm%02lds", s / 60, s % 60);
    else
        igm_strbuf_appendf(sb, "%lds", s);
}

/* Best so far over the whole study (other workers' trials included). */
static void append_best(igm_strbuf *sb, igmopt_runner *r)
{
    igm_frozen_trial *const *trials;
    const igm_frozen_trial **best = NULL;
    size_t n, n_best = 0;
    if (igm_study_trials(r->study, &trials, &n) != IGMOPT_OK ||
        igm_best_trials(r->study, trials, n, &best, &n_best) != IGMOPT_OK || n_best == 0) {
        free(best);
        return;
    }
    if (r->study->n_objectives == 1)
        igm_strbuf_appendf(sb, ", best %s=%.6g (trial %lld)", r->objective_names[0],
                           best[0]->values[0], (long long)best[0]->number);
    else
        igm_strbuf_appendf(sb, ", Pareto front of %zu trial%s", n_best, n_best == 1 ? "" : "s");
    free(best);
}

void igm_runner_log_progress(igmopt_runner *r)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    int64_t done = r->completed + r->failed, target = r->cfg->n_trials;
    double elapsed = igm_runner_now() - r->run_started;
    char *line;
    if (!r->log)
        return;
    if (target > 0)
        igm_strbuf_appendf(&sb, "%lld/%lld done", (long long)done, (long long)target);
    else
        igm_strbuf_appendf(&sb, "%lld done", (long long)done);
    igm_strbuf_appendf(&sb, ", %zu running, %lld failed", r->n_running, (long long)r->failed);
    append_best(&sb, r);
    if (target > done && done > 0 && !r->stopping) {
        igm_strbuf_append(&sb, ", ETA ");
        append_duration(&sb, elapsed / (double)done * (double)(target - done));
    }
    if (igm_strbuf_finish(&sb, &line) == IGMOPT_OK)
        emit(r, 0, line);
    free(line);
}
