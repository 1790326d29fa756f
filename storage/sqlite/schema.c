/* Bringing a file to a usable Optuna schema on open (OPTUNA-STORAGE.md §1):
 * a survey of what is there, the stamp and version checks, and creating
 * and stamping what is missing.  Never restamps or touches a foreign file. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

#define SCHEMA_VERSION 12 /* frozen by Optuna (§1.2) */
#define NEW_FILE_PAGE_SIZE "1024"

typedef struct db_survey {
    int exists[N_SCHEMA_OBJECTS];
    int n_tables;
    int stamped, stamp_rows;
    char stamp[64];
    int has_version_row;
    int64_t schema_version;
    char library_version[128];
} db_survey;

/* ---- survey ------------------------------------------------------------- */

static int schema_object_index(const char *name)
{
    for (size_t i = 0; i < N_SCHEMA_OBJECTS; i++)
        if (strcasecmp(igm_sqlite_schema_objects[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int has_object(const db_survey *v, const char *name)
{
    int i = schema_object_index(name);
    return i >= 0 && v->exists[i];
}

/* Runs a one-off query, handing each row to on_row. */
static int survey_query(sqlite_store *s, const char *sql, row_fn on_row, db_survey *v,
                        const char *what)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_prepare_once(s, sql, &st, what);
    if (status)
        return status;
    status = igm_sqlite_each_row(s, st, on_row, v, what);
    sqlite3_finalize(st);
    return status;
}

static int object_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    db_survey *v = ctx;
    const char *type = igm_sqlite_column_text(st, 0);
    const char *name = igm_sqlite_column_text(st, 1);
    int i = name ? schema_object_index(name) : -1;
    if (i >= 0)
        v->exists[i] = 1;
    v->n_tables += type && strcmp(type, "table") == 0;
    return IGMOPT_OK;
}

static int stamp_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    db_survey *v = ctx;
    if (v->stamp_rows++ == 0)
        igm_sqlite_copy_column_text(st, 0, v->stamp, sizeof v->stamp);
    return IGMOPT_OK;
}

static int survey_stamp(sqlite_store *s, db_survey *v)
{
    int status = survey_query(s, "SELECT version_num FROM alembic_version", stamp_row, v,
                              "reading alembic_version");
    if (!status && v->stamp_rows > 1)
        status = igm_error(IGMOPT_ESTORAGE, "%s: alembic_version has %d rows; an Optuna "
                           "database has one", s->opt.path, v->stamp_rows);
    v->stamped = v->stamp_rows > 0;
    return status;
}

static int version_info_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    db_survey *v = ctx;
    v->has_version_row = 1;
    v->schema_version = sqlite3_column_int64(st, 0);
    igm_sqlite_copy_column_text(st, 1, v->library_version, sizeof v->library_version);
    return IGMOPT_OK;
}

static int survey_body(sqlite_store *s, void *ctx)
{
    db_survey *v = ctx;
    memset(v, 0, sizeof *v);
    int status = survey_query(s, "SELECT type, name FROM sqlite_master WHERE type IN "
                              "('table', 'index') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                              object_row, v, "reading the schema");
    if (!status && has_object(v, "alembic_version"))
        status = survey_stamp(s, v);
    if (!status && has_object(v, "version_info"))
        status = survey_query(s, "SELECT schema_version, library_version FROM version_info "
                              "WHERE version_info_id = 1", version_info_row, v,
                              "reading version_info");
    return status;
}

/* ---- checks ------------------------------------------------------------- */

static const char *set_up_by(const db_survey *v)
{
    return v->library_version[0] ? v->library_version : "an unknown writer";
}

/* A stamped file: usable when its stamp is one of ours and every table is
 * there.  Never restamped (§1.7). */
static int check_stamped(sqlite_store *s, const db_survey *v)
{
    if (strcmp(v->stamp, STAMP_LEGACY) != 0 && strcmp(v->stamp, STAMP_CURRENT) != 0)
        return igm_error(IGMOPT_EVERSION, "%s: Optuna schema stamp '%s' (set up by %s) is not "
                         "supported: libigmopt reads and writes " STAMP_LEGACY " (Optuna "
                         "3.0-3.1) and " STAMP_CURRENT " (Optuna 3.2-5.0)",
                         s->opt.path, v->stamp, set_up_by(v));
    for (size_t i = 0; i < N_SCHEMA_OBJECTS; i++)
        if (igm_sqlite_schema_objects[i].kind == OBJ_TABLE && !v->exists[i])
            return igm_error(IGMOPT_ESTORAGE, "%s: stamped %s but table %s is missing",
                             s->opt.path, v->stamp, igm_sqlite_schema_objects[i].name);
    return IGMOPT_OK;
}

/* An unstamped file: empty, or Optuna tables waiting for their stamp (as
 * Optuna itself stamps them on open, §1.5).  Anything else is someone
 * else's database and is left alone. */
static int check_unstamped(sqlite_store *s, const db_survey *v)
{
    if (v->has_version_row && v->schema_version != SCHEMA_VERSION)
        return igm_error(IGMOPT_EVERSION, "%s: Optuna schema_version %" PRId64 " (set up by %s) "
                         "predates the alembic stamps; upgrade it with Optuna's `optuna "
                         "storage upgrade`; libigmopt reads and writes " STAMP_LEGACY " and "
                         STAMP_CURRENT, s->opt.path, v->schema_version, set_up_by(v));
    if (v->n_tables == 0 || has_object(v, "version_info") || has_object(v, "alembic_version"))
        return IGMOPT_OK;
    return igm_error(IGMOPT_ESTORAGE, "%s: not an Optuna database (it has %d tables but no "
                     "version_info or alembic_version); refusing to write into it",
                     s->opt.path, v->n_tables);
}

/* ---- creation ----------------------------------------------------------- */

static int create_missing_objects(sqlite_store *s, const db_survey *v)
{
    int current = strcmp(s->opt.stamp, STAMP_CURRENT) == 0;
    for (size_t i = 0; i < N_SCHEMA_OBJECTS; i++) {
        const schema_object *o = &igm_sqlite_schema_objects[i];
        if (v->exists[i] || (o->kind == OBJ_INDEX_CURRENT_ONLY && !current))
            continue;
        int status = igm_sqlite_run_once(s, o->sql, NULL, "creating the Optuna schema");
        if (status)
            return status;
    }
    return IGMOPT_OK;
}

static int write_version_info(sqlite_store *s)
{
    char library_version[128];
    snprintf(library_version, sizeof library_version, "libigmopt %s (schema %s)",
             IGMOPT_VERSION_STRING, s->opt.stamp);
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_prepare_once(s, "INSERT INTO version_info (version_info_id, "
                                         "schema_version, library_version) SELECT 1, ?1, ?2 "
                                         "WHERE NOT EXISTS (SELECT 1 FROM version_info)",
                                         &st, "writing version_info");
    if (status)
        return status;
    sqlite3_bind_int(st, 1, SCHEMA_VERSION);
    igm_sqlite_bind_text(st, 2, library_version);
    return igm_sqlite_run_finalize(s, st, "writing version_info");
}

static int write_stamp(sqlite_store *s)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_prepare_once(s, "INSERT INTO alembic_version (version_num) "
                                         "VALUES (?1)", &st, "writing alembic_version");
    if (status)
        return status;
    igm_sqlite_bind_text(st, 1, s->opt.stamp);
    return igm_sqlite_run_finalize(s, st, "writing alembic_version");
}

/* Runs under BEGIN IMMEDIATE: whoever of many racing processes comes first
 * creates and stamps, the others find it done. */
static int schema_create_body(sqlite_store *s, void *ctx)
{
    db_survey *v = ctx;
    int status = survey_body(s, v);
    if (status || v->stamped)
        return status;
    status = check_unstamped(s, v);
    if (!status)
        status = create_missing_objects(s, v);
    if (!status)
        status = write_version_info(s);
    if (!status)
        status = write_stamp(s);
    if (!status)
        status = survey_body(s, v);
    return status;
}

/* Reads first and writes only when the file needs a schema, so a stamped
 * or foreign file is never touched. */
int igm_sqlite_schema_prepare(sqlite_store *s)
{
    db_survey v;
    int status = igm_sqlite_run_transaction(s, TXN_READ, survey_body, &v);
    if (status)
        return status;
    if (!v.stamped) {
        status = check_unstamped(s, &v);
        /* Every commit writes whole pages to the WAL; our rows are small,
         * and 1 KiB pages make a commit ~40% cheaper than 4 KiB ones.  Only
         * takes effect on a file without tables; readers accept any size. */
        if (!status && v.n_tables == 0)
            status = igm_sqlite_pragma_set(s, "page_size", NEW_FILE_PAGE_SIZE, NULL, 0);
        if (!status)
            status = igm_sqlite_run_transaction(s, TXN_WRITE, schema_create_body, &v);
        if (status)
            return status;
    }
    return check_stamped(s, &v);
}
