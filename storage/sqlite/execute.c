/* Running SQL: the kept prepared statements, one-off ones, pragmas,
 * binding and reading columns, and the mapping of SQLite's failures to our
 * statuses and messages (a busy lock becomes RETRY). */
#include <stdio.h>
#include <string.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

static int is_busy(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

int igm_sqlite_failure(sqlite_store *s, int rc, const char *what)
{
    if (is_busy(rc))
        return RETRY;
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return igm_error_nomem();
    case SQLITE_NOTADB:
        return igm_error(IGMOPT_ESTORAGE, "%s: not an SQLite database file", s->opt.path);
    case SQLITE_READONLY:
        return igm_error(IGMOPT_ESTORAGE, "%s: the database cannot be written (%s: %s): check "
                         "the permissions of the file and its directory", s->opt.path, what,
                         sqlite3_errmsg(s->db));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM: {
        int err = sqlite3_system_errno(s->db);
        return igm_error(IGMOPT_ESTORAGE, "%s: %s: %s%s%s", s->opt.path, what,
                         sqlite3_errmsg(s->db), err ? ": " : "", err ? strerror(err) : "");
    }
    default:
        return igm_error(IGMOPT_ESTORAGE, "%s: %s: %s", s->opt.path, what,
                         sqlite3_errmsg(s->db));
    }
}

/* ---- kept prepared statements ------------------------------------------- */

int igm_sqlite_stmt_get(sqlite_store *s, stmt_id id, sqlite3_stmt **out)
{
    if (!s->stmt[id]) {
        int rc = sqlite3_prepare_v3(s->db, igm_sqlite_stmt_sql[id], -1,
                                    SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL);
        if (rc != SQLITE_OK)
            return igm_sqlite_failure(s, rc, "preparing a statement");
    }
    *out = s->stmt[id];
    return IGMOPT_OK;
}

int igm_sqlite_stmt_get_ids(sqlite_store *s, stmt_id id, const int64_t *ids, size_t n_ids,
                            sqlite3_stmt **out)
{
    int status = igm_sqlite_stmt_get(s, id, out);
    for (size_t i = 0; !status && i < n_ids; i++)
        sqlite3_bind_int64(*out, (int)i + 1, ids[i]);
    return status;
}

void igm_sqlite_stmts_finalize(sqlite_store *s)
{
    for (size_t i = 0; i < N_STMT; i++)
        sqlite3_finalize(s->stmt[i]);
}

void igm_sqlite_stmt_release(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int igm_sqlite_each_row(sqlite_store *s, sqlite3_stmt *st, row_fn on_row, void *ctx,
                        const char *what)
{
    int status = IGMOPT_OK, rc = SQLITE_DONE;
    while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW)
        status = on_row ? on_row(s, st, ctx) : IGMOPT_OK;
    if (!status && rc != SQLITE_DONE)
        status = igm_sqlite_failure(s, rc, what);
    igm_sqlite_stmt_release(st);
    return status;
}

int igm_sqlite_stmt_run(sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    return igm_sqlite_each_row(s, st, NULL, NULL, what);
}

int igm_sqlite_run_id(sqlite_store *s, stmt_id id, const char *what)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get(s, id, &st);
    return status ? status : igm_sqlite_stmt_run(s, st, what);
}

/* ---- one-off statements and pragmas ------------------------------------- */

int igm_sqlite_prepare_once(sqlite_store *s, const char *sql, sqlite3_stmt **st,
                            const char *what)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? IGMOPT_OK : igm_sqlite_failure(s, rc, what);
}

int igm_sqlite_run_finalize(sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int status = igm_sqlite_stmt_run(s, st, what);
    sqlite3_finalize(st);
    return status;
}

int igm_sqlite_run_once(sqlite_store *s, const char *sql, const int64_t *id, const char *what)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_prepare_once(s, sql, &st, what);
    if (status)
        return status;
    if (id)
        sqlite3_bind_int64(st, 1, *id);
    return igm_sqlite_run_finalize(s, st, what);
}

typedef struct pragma_ctx {
    const char *sql;
    char result[16];
} pragma_ctx;

static int pragma_body(sqlite_store *s, void *ctx)
{
    pragma_ctx *p = ctx;
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_prepare_once(s, p->sql, &st, p->sql);
    if (status)
        return status;
    p->result[0] = '\0';
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        igm_sqlite_copy_column_text(st, 0, p->result, sizeof p->result);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        status = igm_sqlite_failure(s, rc, p->sql);
    sqlite3_finalize(st);
    return status;
}

/* Outside any transaction, but retried like one while the file is busy. */
int igm_sqlite_pragma_set(sqlite_store *s, const char *name, const char *value, char *result,
                          size_t size)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s=%s", name, value);
    pragma_ctx p = {sql, ""};
    int status = igm_sqlite_run_transaction(s, TXN_NONE, pragma_body, &p);
    if (result)
        snprintf(result, size, "%s", p.result);
    return status;
}

/* ---- binding and columns ------------------------------------------------ */

void igm_sqlite_bind_text(sqlite3_stmt *st, int col, const char *text)
{
    if (text)
        sqlite3_bind_text(st, col, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

void igm_sqlite_bind_datetime(sqlite3_stmt *st, int col, const char *dt)
{
    igm_sqlite_bind_text(st, col, dt && dt[0] ? dt : NULL);
}

const char *igm_sqlite_column_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

int igm_sqlite_column_is_number(sqlite3_stmt *st, int col)
{
    int type = sqlite3_column_type(st, col);
    return type == SQLITE_INTEGER || type == SQLITE_FLOAT;
}

void igm_sqlite_copy_column_text(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    snprintf(out, size, "%s", text ? (const char *)text : "");
}
