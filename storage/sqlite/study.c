/* Studies: creating one with its directions, finding one by name, deleting
 * one with everything it owns, and listing their names.  Study attributes
 * are in attributes.c. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

int igm_sqlite_require_study(sqlite_store *s, int64_t study_id)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, ST_STUDY_EXISTS, &study_id, 1, &st);
    if (status)
        return status;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        status = igm_error(IGMOPT_ENOTFOUND, "%s: no study with id %" PRId64, s->opt.path,
                           study_id);
    else if (rc != SQLITE_ROW)
        status = igm_sqlite_failure(s, rc, "finding the study");
    igm_sqlite_stmt_release(st);
    return status;
}

/* ---- create ------------------------------------------------------------- */

typedef struct create_study_ctx {
    const char *name;
    const igmopt_direction *dirs;
    size_t n_dirs;
    int64_t study_id;
} create_study_ctx;

static int insert_direction(sqlite_store *s, int64_t study_id, size_t objective,
                            igmopt_direction d)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get(s, ST_DIRECTION_INSERT, &st);
    if (status)
        return status;
    sqlite3_bind_text(st, 1, igm_sqlite_direction_name(d), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, study_id);
    sqlite3_bind_int64(st, 3, (int64_t)objective);
    return igm_sqlite_stmt_run(s, st, "writing the study's directions");
}

/* Directions go in objective order in the study's transaction: readers
 * take them in row order (§2.11). */
static int create_study_body(sqlite_store *s, void *ctx)
{
    create_study_ctx *c = ctx;
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get(s, ST_STUDY_INSERT, &st);
    if (status)
        return status;
    igm_sqlite_bind_text(st, 1, c->name);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        status = (rc & 0xff) == SQLITE_CONSTRAINT
                     ? igm_error(IGMOPT_EEXISTS, "%s: a study named '%s' already exists",
                                 s->opt.path, c->name)
                     : igm_sqlite_failure(s, rc, "creating the study");
    igm_sqlite_stmt_release(st);
    if (status)
        return status;
    c->study_id = sqlite3_last_insert_rowid(s->db);
    for (size_t i = 0; i < c->n_dirs && !status; i++)
        status = insert_direction(s, c->study_id, i, c->dirs[i]);
    return status;
}

static int check_new_study(const char *name, const igmopt_direction *dirs, size_t n_dirs)
{
    int status = igm_sqlite_check_key("study name", name);
    if (status)
        return status;
    if (n_dirs == 0 || !dirs)
        return igm_error(IGMOPT_EINVAL, "study '%s' needs at least one direction", name);
    for (size_t i = 0; i < n_dirs; i++)
        if (dirs[i] != IGMOPT_MINIMIZE && dirs[i] != IGMOPT_MAXIMIZE)
            return igm_error(IGMOPT_EINVAL, "study '%s': direction %zu is %d, not MINIMIZE "
                             "or MAXIMIZE", name, i, (int)dirs[i]);
    return IGMOPT_OK;
}

int igm_sqlite_create_study(void *impl, const char *name, const igmopt_direction *dirs,
                            size_t n_dirs, int64_t *study_id)
{
    int status = check_new_study(name, dirs, n_dirs);
    if (status)
        return status;
    create_study_ctx c = {name, dirs, n_dirs, 0};
    status = igm_sqlite_run_transaction(impl, TXN_WRITE, create_study_body, &c);
    if (!status)
        *study_id = c.study_id;
    return status;
}

/* ---- find --------------------------------------------------------------- */

typedef struct find_study_ctx {
    const char *name;
    int64_t study_id;
    igmopt_direction *dirs;
    size_t n_dirs;
} find_study_ctx;

static int study_id_by_name(sqlite_store *s, const char *name, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get(s, ST_STUDY_BY_NAME, &st);
    if (status)
        return status;
    igm_sqlite_bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        status = igm_error(IGMOPT_ENOTFOUND, "%s: no study named '%s'", s->opt.path, name);
    else
        status = igm_sqlite_failure(s, rc, "finding the study");
    igm_sqlite_stmt_release(st);
    return status;
}

static int direction_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    find_study_ctx *c = ctx;
    igmopt_direction d;
    if (sqlite3_column_int64(st, 1) != (int64_t)c->n_dirs)
        return igm_error(IGMOPT_ESTORAGE, "%s: corrupt study_directions of study %" PRId64
                         ": objectives are not 0..n-1", s->opt.path, c->study_id);
    const char *name = igm_sqlite_column_text(st, 0);
    if (igm_sqlite_direction_from_name(name, &d))
        return igm_error(IGMOPT_ESTORAGE, "%s: corrupt row in table study_directions, study_id "
                         "%" PRId64 ", column direction: unknown direction '%.40s'",
                         s->opt.path, c->study_id, name ? name : "NULL");
    igmopt_direction *grown = realloc(c->dirs, (c->n_dirs + 1) * sizeof *grown);
    if (!grown)
        return igm_error_nomem();
    c->dirs = grown;
    c->dirs[c->n_dirs++] = d;
    return IGMOPT_OK;
}

static int read_directions(sqlite_store *s, find_study_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, ST_STUDY_DIRECTIONS, &c->study_id, 1, &st);
    if (status)
        return status;
    status = igm_sqlite_each_row(s, st, direction_row, c, "reading the study's directions");
    if (!status && c->n_dirs == 0)
        status = igm_error(IGMOPT_ESTORAGE, "%s: study '%s' has no rows in study_directions",
                           s->opt.path, c->name);
    return status;
}

static int find_study_body(sqlite_store *s, void *ctx)
{
    find_study_ctx *c = ctx;
    int status = study_id_by_name(s, c->name, &c->study_id);
    if (!status)
        status = read_directions(s, c);
    if (status) {
        free(c->dirs);
        c->dirs = NULL;
        c->n_dirs = 0;
    }
    return status;
}

int igm_sqlite_find_study(void *impl, const char *name, int64_t *study_id,
                          igmopt_direction **dirs, size_t *n_dirs)
{
    find_study_ctx c = {name, 0, NULL, 0};
    if (!name)
        return igm_error(IGMOPT_EINVAL, "find_study: name is NULL");
    int status = igm_sqlite_run_transaction(impl, TXN_READ, find_study_body, &c);
    if (status)
        return status;
    *study_id = c.study_id;
    *dirs = c.dirs;
    *n_dirs = c.n_dirs;
    return IGMOPT_OK;
}

/* ---- delete ------------------------------------------------------------- */

/* Children first; no ON DELETE CASCADE exists (§1.1). */
static const char *const study_delete_sql[] = {
    "DELETE FROM trial_params WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?1)",
    "DELETE FROM trial_values WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?1)",
    "DELETE FROM trial_intermediate_values WHERE trial_id IN "
    "(SELECT trial_id FROM trials WHERE study_id = ?1)",
    "DELETE FROM trial_user_attributes WHERE trial_id IN "
    "(SELECT trial_id FROM trials WHERE study_id = ?1)",
    "DELETE FROM trial_system_attributes WHERE trial_id IN "
    "(SELECT trial_id FROM trials WHERE study_id = ?1)",
    "DELETE FROM trial_heartbeats WHERE trial_id IN "
    "(SELECT trial_id FROM trials WHERE study_id = ?1)",
    "DELETE FROM trials WHERE study_id = ?1",
    "DELETE FROM study_directions WHERE study_id = ?1",
    "DELETE FROM study_user_attributes WHERE study_id = ?1",
    "DELETE FROM study_system_attributes WHERE study_id = ?1",
    "DELETE FROM studies WHERE study_id = ?1",
};

static int delete_study_body(sqlite_store *s, void *ctx)
{
    const int64_t *study_id = ctx;
    int status = igm_sqlite_require_study(s, *study_id);
    for (size_t i = 0; !status && i < sizeof study_delete_sql / sizeof *study_delete_sql; i++)
        status = igm_sqlite_run_once(s, study_delete_sql[i], study_id, "deleting the study");
    return status;
}

int igm_sqlite_delete_study(void *impl, int64_t study_id)
{
    int status = igm_sqlite_run_transaction(impl, TXN_WRITE, delete_study_body, &study_id);
    if (!status)
        igm_sqlite_waiting_marks_forget(impl);
    return status;
}

/* ---- names -------------------------------------------------------------- */

typedef struct names_ctx {
    char **names;
    size_t n;
} names_ctx;

static void names_free(names_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    c->names = NULL;
    c->n = 0;
}

static int name_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    names_ctx *c = ctx;
    const char *name = igm_sqlite_column_text(st, 0);
    char **grown = realloc(c->names, (c->n + 1) * sizeof *grown);
    if (!grown)
        return igm_error_nomem();
    c->names = grown;
    c->names[c->n] = strdup(name ? name : "");
    if (!c->names[c->n])
        return igm_error_nomem();
    c->n++;
    return IGMOPT_OK;
}

static int study_names_body(sqlite_store *s, void *ctx)
{
    names_ctx *c = ctx;
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get(s, ST_STUDY_NAMES, &st);
    if (status)
        return status;
    status = igm_sqlite_each_row(s, st, name_row, c, "listing the studies");
    if (status)
        names_free(c);
    return status;
}

int igm_sqlite_study_names(void *impl, char ***names, size_t *n)
{
    names_ctx c = {NULL, 0};
    int status = igm_sqlite_run_transaction(impl, TXN_READ, study_names_body, &c);
    if (status)
        return status;
    /* An empty list is still a pointer the caller may free. */
    *names = c.names ? c.names : calloc(1, sizeof(char *));
    *n = c.n;
    return *names ? IGMOPT_OK : igm_error_nomem();
}
