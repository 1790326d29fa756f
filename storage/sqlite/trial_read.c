/* read_trials: a study's trials after a given trial_id (plus any listed),
 * with all their children, in two queries in one read transaction; the
 * rows are checked and converted in trial_rows.c. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/strbuf.h"
#include "storage/sqlite/sqlite_internal.h"

typedef struct read_ctx {
    int64_t study_id, after;
    const char *also_json;
    igm_frozen_trial **trials; /* sorted by trial_id */
    size_t n, cap;
    dist_cache dists;
} read_ctx;

static void read_ctx_drop_trials(read_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        igm_frozen_trial_free(c->trials[i]);
    free(c->trials);
    c->trials = NULL;
    c->n = c->cap = 0;
}

static int read_query(sqlite_store *s, read_ctx *c, stmt_id id, sqlite3_stmt **out)
{
    int status = igm_sqlite_stmt_get_ids(s, id, (const int64_t[]){c->study_id, c->after}, 2, out);
    if (!status)
        igm_sqlite_bind_text(*out, 3, c->also_json);
    return status;
}

/* ---- the trials' rows --------------------------------------------------- */

static int trial_push(read_ctx *c, igm_frozen_trial *t)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        igm_frozen_trial **grown = realloc(c->trials, cap * sizeof *grown);
        if (!grown)
            return igm_error_nomem();
        c->trials = grown;
        c->cap = cap;
    }
    c->trials[c->n++] = t;
    return IGMOPT_OK;
}

static int trial_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    igm_frozen_trial *t = igm_frozen_trial_new();
    int status = t ? igm_sqlite_trial_from_row(s, st, t) : igm_error_nomem();
    if (!status)
        status = trial_push(ctx, t);
    if (status)
        igm_frozen_trial_free(t);
    return status;
}

static int read_trial_rows(sqlite_store *s, read_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int status = read_query(s, c, ST_READ_TRIALS, &st);
    return status ? status : igm_sqlite_each_row(s, st, trial_row, c, "reading trials");
}

/* ---- their children's rows ---------------------------------------------- */

/* Child rows come sorted by trial_id like c->trials: a cursor finds each
 * row's trial in O(1) amortised. */
typedef struct children_ctx {
    read_ctx *read;
    size_t cursor;
} children_ctx;

static igm_frozen_trial *trial_at_cursor(children_ctx *k, int64_t trial_id)
{
    read_ctx *c = k->read;
    while (k->cursor < c->n && c->trials[k->cursor]->trial_id < trial_id)
        k->cursor++;
    return k->cursor < c->n && c->trials[k->cursor]->trial_id == trial_id ? c->trials[k->cursor]
                                                                          : NULL;
}

static int child_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    children_ctx *k = ctx;
    igm_frozen_trial *t = trial_at_cursor(k, sqlite3_column_int64(st, COL_TRIAL_ID));
    return t ? igm_sqlite_child_from_row(s, st, &k->read->dists, t) : IGMOPT_OK;
}

static int read_children(sqlite_store *s, read_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int status = read_query(s, c, ST_READ_CHILDREN, &st);
    children_ctx k = {c, 0};
    return status ? status : igm_sqlite_each_row(s, st, child_row, &k, "reading trials");
}

/* ---- read_trials -------------------------------------------------------- */

/* Two queries in one read transaction, so they agree.  A study is known to
 * exist when it has trials (delete_study removes both in one transaction). */
static int read_trials_body(sqlite_store *s, void *ctx)
{
    read_ctx *c = ctx;
    int status = read_trial_rows(s, c);
    if (!status && c->n)
        status = read_children(s, c);
    else if (!status)
        status = igm_sqlite_require_study(s, c->study_id);
    if (status)
        read_ctx_drop_trials(c);
    return status;
}

static int ids_to_json(const int64_t *ids, size_t n, char **out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_strbuf_append(&sb, "[");
    for (size_t i = 0; i < n; i++)
        igm_strbuf_appendf(&sb, i ? ",%" PRId64 : "%" PRId64, ids[i]);
    igm_strbuf_append(&sb, "]");
    return igm_strbuf_finish(&sb, out);
}

int igm_sqlite_read_trials(void *impl, int64_t study_id, int64_t after_trial_id,
                           const int64_t *also_ids, size_t n_also, igm_frozen_trial ***out,
                           size_t *n_out)
{
    if (n_also && !also_ids)
        return igm_error(IGMOPT_EINVAL, "read_trials: also_ids is NULL");
    read_ctx c;
    memset(&c, 0, sizeof c);
    c.study_id = study_id;
    c.after = after_trial_id;
    char *also_json = NULL;
    int status = ids_to_json(also_ids, n_also, &also_json);
    c.also_json = also_json;
    if (!status)
        status = igm_sqlite_run_transaction(impl, TXN_READ, read_trials_body, &c);
    igm_sqlite_dist_cache_clear(&c.dists);
    free(also_json);
    if (!status && !c.trials && !(c.trials = malloc(sizeof *c.trials)))
        status = igm_error_nomem();
    if (status)
        return status;
    *out = c.trials;
    *n_out = c.n;
    return IGMOPT_OK;
}
