/* Heartbeats in Optuna's trial_heartbeats table and failing the RUNNING
 * trials whose worker stopped beating (OPTUNA-STORAGE.md §2.10). */
#include <stdlib.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

/* The time is taken under the write lock: a heartbeat that waited for the
 * lock must not write the moment it started waiting. */
static int heartbeat_body(sqlite_store *s, void *ctx)
{
    int64_t *trial_id = ctx;
    char now[IGM_DATETIME_LEN];
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_require_running(s, *trial_id);
    if (!status)
        status = igm_sqlite_stmt_get_ids(s, ST_HEARTBEAT_UPSERT, trial_id, 1, &st);
    if (status)
        return status;
    igm_heartbeat_now(now);
    igm_sqlite_bind_text(st, 2, now);
    return igm_sqlite_stmt_run(s, st, "recording a heartbeat");
}

int igm_sqlite_record_heartbeat(void *impl, int64_t trial_id)
{
    return igm_sqlite_run_transaction(impl, TXN_WRITE, heartbeat_body, &trial_id);
}

/* ---- fail_stale_trials -------------------------------------------------- */

typedef struct stale_ctx {
    int64_t study_id;
    const char *stale_before;
    igm_attr_list reason; /* fail_reason */
    char now[IGM_DATETIME_LEN];
    int64_t *ids, *numbers;
    size_t n, cap;
} stale_ctx;

static int stale_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    stale_ctx *c = ctx;
    (void)s;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        int64_t *ids = realloc(c->ids, cap * sizeof *ids);
        if (ids)
            c->ids = ids;
        int64_t *numbers = ids ? realloc(c->numbers, cap * sizeof *numbers) : NULL;
        if (!numbers)
            return igm_error_nomem();
        c->numbers = numbers;
        c->cap = cap;
    }
    c->ids[c->n] = sqlite3_column_int64(st, 0);
    c->numbers[c->n++] = sqlite3_column_int64(st, 1);
    return IGMOPT_OK;
}

static int fail_one(sqlite_store *s, stale_ctx *c, int64_t trial_id)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_trial_attrs_upsert(s, trial_id, IGM_ATTR_SYSTEM, &c->reason);
    if (!status)
        status = igm_sqlite_stmt_get(s, ST_TRIAL_FINISH, &st);
    if (status)
        return status;
    sqlite3_bind_text(st, 1, igm_trial_state_name(IGMOPT_FAIL), -1, SQLITE_STATIC);
    igm_sqlite_bind_text(st, 2, c->now);
    sqlite3_bind_int64(st, 3, trial_id);
    return igm_sqlite_stmt_run(s, st, "failing a stale trial");
}

/* A retried transaction starts its list over. */
static int find_stale(sqlite_store *s, void *ctx)
{
    stale_ctx *c = ctx;
    sqlite3_stmt *st = NULL;
    c->n = 0;
    int status = igm_sqlite_require_study(s, c->study_id);
    if (!status)
        status = igm_sqlite_stmt_get_ids(s, ST_STALE_TRIALS, &c->study_id, 1, &st);
    if (status)
        return status;
    igm_sqlite_bind_text(st, 2, c->stale_before);
    return igm_sqlite_each_row(s, st, stale_row, c, "looking for stale trials");
}

/* Found again and failed under one write lock, so a worker's tell cannot
 * slip in between. */
static int fail_stale_body(sqlite_store *s, void *ctx)
{
    stale_ctx *c = ctx;
    int status = find_stale(s, c);
    for (size_t i = 0; !status && i < c->n; i++)
        status = fail_one(s, c, c->ids[i]);
    return status;
}

int igm_sqlite_fail_stale_trials(void *impl, int64_t study_id, const char *stale_before,
                                 const char *reason_json, int64_t **numbers, size_t *n)
{
    stale_ctx c = {study_id, stale_before, {0}, "", NULL, NULL, 0, 0};
    int status = igm_attr_list_set(&c.reason, "fail_reason", reason_json);
    igm_datetime_now(c.now);
    /* Mostly nothing is stale: a read, and no write lock for the others to
     * wait on. */
    if (!status)
        status = igm_sqlite_run_transaction(impl, TXN_READ, find_stale, &c);
    if (!status && c.n)
        status = igm_sqlite_run_transaction(impl, TXN_WRITE, fail_stale_body, &c);
    igm_attr_list_clear(&c.reason);
    free(c.ids);
    *numbers = status || !c.n ? NULL : c.numbers;
    *n = status ? 0 : c.n;
    if (!*numbers)
        free(c.numbers);
    return status;
}
