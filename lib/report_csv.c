/* optimization_results.csv: one row per trial of the study, every
 * parameter any trial has, written so that a reader never sees half a file.
 *
 * Cells: floats as Python's repr (they round-trip), ints as ints, strings
 * bare, null empty, booleans true/false, infinities inf/-inf; quoting as
 * RFC 4180.  Lines end in "\n" as pandas' to_csv writes them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "report.h"

/* ---- CSV text ------------------------------------------------------------- */

/* Cells are built in `cell`, then quoted into `out`. */
typedef struct csv_writer {
    igm_strbuf out, cell;
    int row_started;
} csv_writer;

static void csv_quoted(igm_strbuf *out, const char *text)
{
    igm_strbuf_append(out, "\"");
    for (const char *q; (q = strchr(text, '"')); text = q + 1) {
        igm_strbuf_append_len(out, text, (size_t)(q - text));
        igm_strbuf_append(out, "\"\"");
    }
    igm_strbuf_append(out, text);
    igm_strbuf_append(out, "\"");
}

static void csv_field(csv_writer *w)
{
    const char *text = w->cell.data ? w->cell.data : "";
    if (w->row_started)
        igm_strbuf_append(&w->out, ",");
    w->row_started = 1;
    if (strpbrk(text, ",\"\r\n"))
        csv_quoted(&w->out, text);
    else
        igm_strbuf_append(&w->out, text);
    w->cell.len = 0;
    if (w->cell.data)
        w->cell.data[0] = '\0';
    w->out.failed |= w->cell.failed;
}

static void csv_text_field(csv_writer *w, const char *text)
{
    igm_strbuf_append(&w->cell, text);
    csv_field(w);
}

static void csv_end_row(csv_writer *w)
{
    igm_strbuf_append(&w->out, "\n");
    w->row_started = 0;
}

static const char *const fixed_columns[] = {"number", "state", "datetime_start",
                                            "datetime_complete", "duration", "fail_reason"};

static int clashes(const igm_report_columns *c, const char *param)
{
    for (size_t i = 0; i < sizeof fixed_columns / sizeof *fixed_columns; i++)
        if (strcmp(param, fixed_columns[i]) == 0)
            return 1;
    for (size_t i = 0; i < c->n_objectives; i++)
        if (strcmp(param, c->objectives[i]) == 0)
            return 1;
    return 0;
}

/* A parameter named like another column is headed params_<name>, as in
 * Optuna's trials_dataframe, so that no two columns share a name. */
static void csv_param_header(csv_writer *w, const igm_report_columns *c, const char *param)
{
    if (clashes(c, param))
        igm_strbuf_append(&w->cell, "params_");
    csv_text_field(w, param);
}

static void csv_header(csv_writer *w, const igm_report_columns *c)
{
    csv_text_field(w, "number");
    csv_text_field(w, "state");
    for (size_t i = 0; i < c->n_objectives; i++)
        csv_text_field(w, c->objectives[i]);
    csv_text_field(w, "datetime_start");
    csv_text_field(w, "datetime_complete");
    csv_text_field(w, "duration");
    for (size_t i = 0; i < c->n_params; i++)
        csv_param_header(w, c, c->params[i]);
    csv_text_field(w, "fail_reason");
    csv_end_row(w);
}

static void csv_trial_values(csv_writer *w, const igm_report_columns *c,
                             const igm_frozen_trial *t)
{
    for (size_t i = 0; i < c->n_objectives; i++) {
        if (t->values && i < t->n_values)
            igm_report_double(&w->cell, t->values[i]);
        csv_field(w);
    }
}

static void csv_trial_params(csv_writer *w, const igm_report_columns *c,
                             const igm_frozen_trial *t)
{
    for (size_t i = 0; i < c->n_params; i++) {
        const igm_param *p = igm_frozen_trial_param(t, c->params[i]);
        if (p)
            igm_report_param_text(&w->cell, p);
        csv_field(w);
    }
}

static void csv_trial_row(csv_writer *w, const igm_report_columns *c, const igm_frozen_trial *t)
{
    double seconds;
    igm_strbuf_appendf(&w->cell, "%lld", (long long)t->number);
    csv_field(w);
    csv_text_field(w, igm_trial_state_name(t->state));
    csv_trial_values(w, c, t);
    csv_text_field(w, t->datetime_start);
    csv_text_field(w, t->datetime_complete);
    if (igm_report_duration(t, &seconds))
        igm_report_double(&w->cell, seconds);
    csv_field(w);
    csv_trial_params(w, c, t);
    igm_report_fail_reason(&w->cell, t);
    csv_field(w);
    csv_end_row(w);
}

static int csv_text(igmopt_study *study, const igmopt_config *cfg, char **out)
{
    igm_frozen_trial *const *trials;
    igm_report_columns cols;
    csv_writer w = {IGM_STRBUF_INIT, IGM_STRBUF_INIT, 0};
    size_t n;
    int rc = igm_study_trials(study, &trials, &n);
    if (rc || (rc = igm_report_columns_build(&cols, study, cfg, trials, n)))
        return rc;
    csv_header(&w, &cols);
    for (size_t i = 0; i < n; i++)
        csv_trial_row(&w, &cols, trials[i]);
    igm_report_columns_clear(&cols);
    igm_strbuf_release(&w.cell);
    return igm_strbuf_finish(&w.out, out) ? igm_error_nomem() : IGMOPT_OK;
}

/* ---- atomic file replacement ---------------------------------------------- */

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A new hidden file beside path: the rename that publishes it must stay on
 * one file system to be atomic.  O_EXCL keeps concurrent writers (threads or
 * processes sharing the directory) off each other's file, and open's mode
 * lets the umask decide the permissions, unlike mkstemp's 0600. */
static int open_temp_beside(const char *path, char **tmp_out, int *fd_out)
{
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    for (unsigned k = 0; k < 1000; k++) {
        igm_strbuf sb = IGM_STRBUF_INIT;
        igm_strbuf_appendf(&sb, "%.*s.%s.%ld.%u.tmp", dir_len, path, path + dir_len,
                           (long)getpid(), k);
        if (igm_strbuf_finish(&sb, tmp_out))
            return igm_error_nomem();
        *fd_out = open(*tmp_out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (*fd_out >= 0)
            return IGMOPT_OK;
        int err = errno;
        free(*tmp_out);
        *tmp_out = NULL;
        if (err != EEXIST)
            return igm_error(IGMOPT_ESTORAGE, "%s: cannot create a temporary file beside it: %s",
                             path, strerror(err));
    }
    return igm_error(IGMOPT_ESTORAGE, "%s: cannot create a temporary file beside it: too many "
                     "left over", path);
}

/* fsync before rename: after a crash the path holds the old or the new
 * text, never an empty file. */
static int write_file_atomic(const char *path, const char *data, size_t len)
{
    char *tmp = NULL;
    int fd = -1, err = 0;
    int rc = open_temp_beside(path, &tmp, &fd);
    if (rc)
        return rc;
    if (write_all(fd, data, len) || fsync(fd))
        err = errno;
    if (close(fd) && !err)
        err = errno;
    if (!err && rename(tmp, path))
        err = errno;
    if (err) {
        unlink(tmp);
        rc = igm_error(IGMOPT_ESTORAGE, "%s: cannot write: %s", path, strerror(err));
    }
    free(tmp);
    return rc;
}

/* ---- public --------------------------------------------------------------- */

IGMOPT_API int igmopt_report_csv(igmopt_study *study, const igmopt_config *cfg, const char *path)
{
    char *text;
    int rc;
    if (!study || !path || !*path)
        return igm_error(IGMOPT_EINVAL, "igmopt_report_csv: study and path must be given");
    if ((rc = csv_text(study, cfg, &text)))
        return igm_error_wrap(rc, "%s", path);
    rc = write_file_atomic(path, text, strlen(text));
    free(text);
    return rc;
}
