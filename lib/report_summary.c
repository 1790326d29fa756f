/* The console summary of a study: trial counts by state, the best trial
 * (one objective) or the Pareto front (several), the latest failures.
 * Each line is one line: what the study holds is escaped as in the log. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"

#define SUMMARY_MAX_FAILURES 5

static const igmopt_trial_state state_order[] = {IGMOPT_COMPLETE, IGMOPT_FAIL, IGMOPT_PRUNED,
                                                 IGMOPT_RUNNING, IGMOPT_WAITING};
#define N_STATES (sizeof state_order / sizeof state_order[0])

/* Text from the study (names, values, fail reasons) stays on its line,
 * escaped as the log escapes it. */
static void append_text(igm_strbuf *sb, const char *text)
{
    igm_strbuf_append_escaped(sb, text, strlen(text));
}

static void append_escaped_buffer(igm_strbuf *sb, igm_strbuf *raw)
{
    sb->failed |= raw->failed;
    if (raw->data)
        igm_strbuf_append_escaped(sb, raw->data, raw->len);
    igm_strbuf_release(raw);
}

/* "40 trials: 35 COMPLETE, 4 FAIL, 1 RUNNING" */
static void append_state_counts(igm_strbuf *sb, igm_frozen_trial *const *trials, size_t n)
{
    size_t counts[N_STATES] = {0};
    const char *sep = ": ";
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < N_STATES; s++)
            counts[s] += trials[i]->state == state_order[s];
    igm_strbuf_appendf(sb, "%zu trial%s", n, n == 1 ? "" : "s");
    for (size_t s = 0; s < N_STATES; s++) {
        if (!counts[s])
            continue;
        igm_strbuf_appendf(sb, "%s%zu %s", sep, counts[s], igm_trial_state_name(state_order[s]));
        sep = ", ";
    }
    igm_strbuf_append(sb, "\n");
}

static void append_values(igm_strbuf *sb, const igm_report_columns *c, const igm_frozen_trial *t)
{
    for (size_t i = 0; i < c->n_objectives && i < t->n_values; i++) {
        igm_strbuf_append(sb, i ? ", " : "");
        append_text(sb, c->objectives[i]);
        igm_strbuf_append(sb, "=");
        igm_report_double(sb, t->values[i]);
    }
}

static void append_params(igm_strbuf *sb, const igm_report_columns *c, const igm_frozen_trial *t)
{
    size_t shown = 0;
    igm_strbuf_append(sb, " params: ");
    for (size_t i = 0; i < c->n_params; i++) {
        const igm_param *p = igm_frozen_trial_param(t, c->params[i]);
        igm_strbuf value = IGM_STRBUF_INIT;
        if (!p)
            continue;
        igm_strbuf_append(sb, shown++ ? ", " : "");
        append_text(sb, p->name);
        igm_strbuf_append(sb, "=");
        igm_report_param_text(&value, p);
        append_escaped_buffer(sb, &value);
    }
    if (!shown)
        igm_strbuf_append(sb, "none");
}

static void append_timing(igm_strbuf *sb, const igm_frozen_trial *t)
{
    double seconds;
    if (!igm_report_duration(t, &seconds))
        return;
    igm_strbuf_appendf(sb, " (completed %s, ", t->datetime_complete);
    igm_report_double(sb, seconds);
    igm_strbuf_append(sb, " s)");
}

/* "<values> params: <params> (completed <datetime>, <seconds> s)\n" */
static void append_trial(igm_strbuf *sb, const igm_report_columns *c, const igm_frozen_trial *t)
{
    append_values(sb, c, t);
    append_params(sb, c, t);
    append_timing(sb, t);
    igm_strbuf_append(sb, "\n");
}

static void append_best(igm_strbuf *sb, const igmopt_study *study, const igm_report_columns *c,
                        const igm_frozen_trial *const *best, size_t n_best)
{
    int single = study->n_objectives == 1;
    if (n_best == 0) {
        igm_strbuf_appendf(sb, "No COMPLETE trial yet: no %s.\n",
                           single ? "best trial" : "Pareto front");
        return;
    }
    if (single) {
        igm_strbuf_appendf(sb, "Best trial %lld: ", (long long)best[0]->number);
        append_trial(sb, c, best[0]);
        return;
    }
    igm_strbuf_appendf(sb, "Pareto front: %zu trial(s)\n", n_best);
    for (size_t i = 0; i < n_best; i++) {
        igm_strbuf_appendf(sb, "  trial %lld: ", (long long)best[i]->number);
        append_trial(sb, c, best[i]);
    }
}

/* A reason ending in a newline (a child's stderr tail) shows no trailing
 * "\n". */
static void append_failure(igm_strbuf *sb, const igm_frozen_trial *t)
{
    igm_strbuf reason = IGM_STRBUF_INIT;
    igm_report_fail_reason(&reason, t);
    while (reason.len && (reason.data[reason.len - 1] == '\n' ||
                          reason.data[reason.len - 1] == '\r'))
        reason.len--;
    igm_strbuf_appendf(sb, "  trial %lld: ", (long long)t->number);
    if (!reason.len)
        igm_strbuf_append(sb, "no reason recorded");
    append_escaped_buffer(sb, &reason);
    igm_strbuf_append(sb, "\n");
}

/* Newest (highest number) first. */
static void append_failures(igm_strbuf *sb, igm_frozen_trial *const *trials, size_t n)
{
    size_t n_fail = 0, shown = 0;
    for (size_t i = 0; i < n; i++)
        n_fail += trials[i]->state == IGMOPT_FAIL;
    if (n_fail == 0)
        return;
    if (n_fail > SUMMARY_MAX_FAILURES)
        igm_strbuf_appendf(sb, "Most recent failures (%d of %zu):\n", SUMMARY_MAX_FAILURES,
                           n_fail);
    else
        igm_strbuf_append(sb, "Most recent failures:\n");
    for (size_t i = n; i-- > 0 && shown < SUMMARY_MAX_FAILURES;) {
        if (trials[i]->state != IGMOPT_FAIL)
            continue;
        append_failure(sb, trials[i]);
        shown++;
    }
}

static int summary_text(igm_strbuf *sb, igmopt_study *study, const igmopt_config *cfg,
                        igm_frozen_trial *const *trials, size_t n)
{
    igm_report_columns cols;
    const igm_frozen_trial **best;
    size_t n_best;
    int rc = igm_report_columns_build(&cols, study, cfg, trials, n);
    if (rc)
        return rc;
    if ((rc = igm_best_trials(study, trials, n, &best, &n_best))) {
        igm_report_columns_clear(&cols);
        return rc;
    }
    append_state_counts(sb, trials, n);
    append_best(sb, study, &cols, best, n_best);
    append_failures(sb, trials, n);
    free(best);
    igm_report_columns_clear(&cols);
    return IGMOPT_OK;
}

IGMOPT_API int igmopt_report_summary(igmopt_study *study, const igmopt_config *cfg,
                                     char **text_out)
{
    igm_frozen_trial *const *trials;
    igm_strbuf sb = IGM_STRBUF_INIT;
    size_t n;
    int rc;
    if (!study || !text_out)
        return igm_error(IGMOPT_EINVAL, "igmopt_report_summary: study and text_out must not be "
                         "NULL");
    *text_out = NULL;
    if ((rc = igm_study_trials(study, &trials, &n)))
        return rc;
    if (n == 0) {
        igm_strbuf_append(&sb, "Study '");
        append_text(&sb, study->name);
        igm_strbuf_append(&sb, "' has no trials.\n");
    }
    else if ((rc = summary_text(&sb, study, cfg, trials, n))) {
        igm_strbuf_release(&sb);
        return rc;
    }
    return igm_strbuf_finish(&sb, text_out) ? igm_error_nomem() : IGMOPT_OK;
}
