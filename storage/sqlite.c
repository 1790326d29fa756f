/* The SQLite backend: an Optuna-compatible RDB file (OPTUNA-STORAGE.md §1,
 * §2) that any number of processes share (§3).  Owns the URL options, the
 * schema and its stamp, the journal-mode policy, and every SQL statement. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include "lib/distribution.h"
#include "lib/error.h"
#include "lib/frozen_trial.h"
#include "lib/strbuf.h"
#include "storage/storage.h"

#define URL_PREFIX "sqlite:///"
#define STAMP_LEGACY "v3.0.0.d"  /* Optuna 3.0-3.1 (§1.4) */
#define STAMP_CURRENT "v3.2.0.a" /* Optuna 3.2-5.0 (§1.4) */
#define SCHEMA_VERSION 12        /* frozen by Optuna (§1.2) */
#define MAX_KEY_LEN 512          /* VARCHAR(512), enforced by MySQL/PostgreSQL (§1.1) */
#define DEFAULT_TIMEOUT_S 60.0
#define NEW_FILE_PAGE_SIZE "1024"
#define WAL_CHECKPOINT_PAGES "10000"
#define LEAVE_WAL_ATTEMPTS 5

/* Internal status of a step that met a busy lock: the whole transaction is
 * retried (never surfaced while the deadline has not passed). */
#define RETRY 1

/* ---- the schema (§1.1, byte for byte) ---------------------------------- */

typedef enum schema_object_kind {
    OBJ_TABLE,
    OBJ_INDEX,
    OBJ_INDEX_CURRENT_ONLY /* written only with the v3.2.0.a stamp */
} schema_object_kind;

typedef struct schema_object {
    const char *name;
    schema_object_kind kind;
    const char *sql;
} schema_object;

/* In the order Optuna's SQLAlchemy emits them (sqlite_master order).  Only
 * missing objects are created, inside BEGIN IMMEDIATE, so the stored text
 * stays exactly this (no IF NOT EXISTS needed). */
static const schema_object schema_objects[] = {
    {"studies", OBJ_TABLE,
     "CREATE TABLE studies (\n"
     "\tstudy_id INTEGER NOT NULL, \n"
     "\tstudy_name VARCHAR(512) NOT NULL, \n"
     "\tPRIMARY KEY (study_id)\n"
     ")"},
    {"ix_studies_study_name", OBJ_INDEX,
     "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)"},
    {"version_info", OBJ_TABLE,
     "CREATE TABLE version_info (\n"
     "\tversion_info_id INTEGER NOT NULL, \n"
     "\tschema_version INTEGER, \n"
     "\tlibrary_version VARCHAR(256), \n"
     "\tPRIMARY KEY (version_info_id), \n"
     "\tCHECK (version_info_id=1)\n"
     ")"},
    {"study_directions", OBJ_TABLE,
     "CREATE TABLE study_directions (\n"
     "\tstudy_direction_id INTEGER NOT NULL, \n"
     "\tdirection VARCHAR(8) NOT NULL, \n"
     "\tstudy_id INTEGER NOT NULL, \n"
     "\tobjective INTEGER NOT NULL, \n"
     "\tPRIMARY KEY (study_direction_id), \n"
     "\tUNIQUE (study_id, objective), \n"
     "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
     ")"},
    {"study_user_attributes", OBJ_TABLE,
     "CREATE TABLE study_user_attributes (\n"
     "\tstudy_user_attribute_id INTEGER NOT NULL, \n"
     "\tstudy_id INTEGER, \n"
     "\t\"key\" VARCHAR(512), \n"
     "\tvalue_json TEXT, \n"
     "\tPRIMARY KEY (study_user_attribute_id), \n"
     "\tUNIQUE (study_id, \"key\"), \n"
     "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
     ")"},
    {"study_system_attributes", OBJ_TABLE,
     "CREATE TABLE study_system_attributes (\n"
     "\tstudy_system_attribute_id INTEGER NOT NULL, \n"
     "\tstudy_id INTEGER, \n"
     "\t\"key\" VARCHAR(512), \n"
     "\tvalue_json TEXT, \n"
     "\tPRIMARY KEY (study_system_attribute_id), \n"
     "\tUNIQUE (study_id, \"key\"), \n"
     "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
     ")"},
    {"trials", OBJ_TABLE,
     "CREATE TABLE trials (\n"
     "\ttrial_id INTEGER NOT NULL, \n"
     "\tnumber INTEGER, \n"
     "\tstudy_id INTEGER, \n"
     "\tstate VARCHAR(8) NOT NULL, \n"
     "\tdatetime_start DATETIME, \n"
     "\tdatetime_complete DATETIME, \n"
     "\tPRIMARY KEY (trial_id), \n"
     "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
     ")"},
    /* SQLAlchemy emits a table's indexes right after it; this is the one
     * line a fresh 4.x/5.x file has beyond 3.1.0's DDL (§1.1, §1.7). */
    {"ix_trials_study_id", OBJ_INDEX_CURRENT_ONLY,
     "CREATE INDEX ix_trials_study_id ON trials (study_id)"},
    {"trial_user_attributes", OBJ_TABLE,
     "CREATE TABLE trial_user_attributes (\n"
     "\ttrial_user_attribute_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER, \n"
     "\t\"key\" VARCHAR(512), \n"
     "\tvalue_json TEXT, \n"
     "\tPRIMARY KEY (trial_user_attribute_id), \n"
     "\tUNIQUE (trial_id, \"key\"), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_system_attributes", OBJ_TABLE,
     "CREATE TABLE trial_system_attributes (\n"
     "\ttrial_system_attribute_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER, \n"
     "\t\"key\" VARCHAR(512), \n"
     "\tvalue_json TEXT, \n"
     "\tPRIMARY KEY (trial_system_attribute_id), \n"
     "\tUNIQUE (trial_id, \"key\"), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_params", OBJ_TABLE,
     "CREATE TABLE trial_params (\n"
     "\tparam_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER, \n"
     "\tparam_name VARCHAR(512), \n"
     "\tparam_value FLOAT, \n"
     "\tdistribution_json TEXT, \n"
     "\tPRIMARY KEY (param_id), \n"
     "\tUNIQUE (trial_id, param_name), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_values", OBJ_TABLE,
     "CREATE TABLE trial_values (\n"
     "\ttrial_value_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER NOT NULL, \n"
     "\tobjective INTEGER NOT NULL, \n"
     "\tvalue FLOAT, \n"
     "\tvalue_type VARCHAR(7) NOT NULL, \n"
     "\tPRIMARY KEY (trial_value_id), \n"
     "\tUNIQUE (trial_id, objective), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_intermediate_values", OBJ_TABLE,
     "CREATE TABLE trial_intermediate_values (\n"
     "\ttrial_intermediate_value_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER NOT NULL, \n"
     "\tstep INTEGER NOT NULL, \n"
     "\tintermediate_value FLOAT, \n"
     "\tintermediate_value_type VARCHAR(7) NOT NULL, \n"
     "\tPRIMARY KEY (trial_intermediate_value_id), \n"
     "\tUNIQUE (trial_id, step), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"trial_heartbeats", OBJ_TABLE,
     "CREATE TABLE trial_heartbeats (\n"
     "\ttrial_heartbeat_id INTEGER NOT NULL, \n"
     "\ttrial_id INTEGER NOT NULL, \n"
     "\theartbeat DATETIME NOT NULL, \n"
     "\tPRIMARY KEY (trial_heartbeat_id), \n"
     "\tUNIQUE (trial_id), \n"
     "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
     ")"},
    {"alembic_version", OBJ_TABLE,
     "CREATE TABLE alembic_version (\n"
     "\tversion_num VARCHAR(32) NOT NULL, \n"
     "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
     ")"},
};

#define N_SCHEMA_OBJECTS (sizeof schema_objects / sizeof *schema_objects)

/* ---- prepared statements ----------------------------------------------- */

typedef enum stmt_id {
    ST_BEGIN_WRITE,
    ST_BEGIN_READ,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_STUDY_INSERT,
    ST_DIRECTION_INSERT,
    ST_STUDY_BY_NAME,
    ST_STUDY_EXISTS,
    ST_STUDY_DIRECTIONS,
    ST_STUDY_NAMES,
    ST_STUDY_USER_ATTR_UPSERT,
    ST_STUDY_SYSTEM_ATTR_UPSERT,
    ST_STUDY_USER_ATTRS,
    ST_STUDY_SYSTEM_ATTRS,
    ST_TRIAL_INSERT,
    ST_TRIAL_PREVIOUS_NUMBER,
    ST_TRIAL_COUNT_BEFORE,
    ST_TRIAL_SET_NUMBER,
    ST_TRIAL_STATE,
    ST_TRIAL_FINISH,
    ST_WAITING_NEXT,
    ST_WAITING_TAKE,
    ST_WAITING_PEEK,
    ST_PARAM_UPSERT,
    ST_VALUE_UPSERT,
    ST_INTERMEDIATE_UPSERT,
    ST_TRIAL_USER_ATTR_UPSERT,
    ST_TRIAL_SYSTEM_ATTR_UPSERT,
    ST_READ_TRIALS,
    ST_READ_CHILDREN,
    N_STMT
} stmt_id;

/* The trials read_trials selects: ?1 study, ?2 after this trial_id, ?3 a
 * JSON array of further ids.  Two halves so each uses an index: a range
 * (on ix_trials_study_id or the rowid) and rowid look-ups; the `+` keeps
 * the planner from scanning the study's index for the look-ups. */
#define SELECTED_TRIALS(cols)                                                                 \
    "SELECT " cols " FROM trials WHERE study_id = ?1 AND trial_id > ?2 "                     \
    "UNION ALL SELECT " cols " FROM trials WHERE +study_id = ?1 AND trial_id <= ?2 "         \
    "AND trial_id IN (SELECT value FROM json_each(?3))"
#define SELECTED_IDS "WITH ids(id) AS (" SELECTED_TRIALS("trial_id") ") "
#define ATTR_UPSERT(table, owner)                                                             \
    "INSERT INTO " table " (" owner ", \"key\", value_json) VALUES (?1, ?2, ?3) "            \
    "ON CONFLICT (" owner ", \"key\") DO UPDATE SET value_json = excluded.value_json"

static const char *const stmt_sql[N_STMT] = {
    [ST_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_STUDY_INSERT] = "INSERT INTO studies (study_name) VALUES (?1)",
    [ST_DIRECTION_INSERT] =
        "INSERT INTO study_directions (direction, study_id, objective) VALUES (?1, ?2, ?3)",
    [ST_STUDY_BY_NAME] = "SELECT study_id FROM studies WHERE study_name = ?1",
    [ST_STUDY_EXISTS] = "SELECT 1 FROM studies WHERE study_id = ?1",
    [ST_STUDY_DIRECTIONS] =
        "SELECT direction, objective FROM study_directions WHERE study_id = ?1 "
        "ORDER BY objective",
    [ST_STUDY_NAMES] = "SELECT study_name FROM studies ORDER BY study_id",
    [ST_STUDY_USER_ATTR_UPSERT] = ATTR_UPSERT("study_user_attributes", "study_id"),
    [ST_STUDY_SYSTEM_ATTR_UPSERT] = ATTR_UPSERT("study_system_attributes", "study_id"),
    [ST_STUDY_USER_ATTRS] = "SELECT \"key\", value_json FROM study_user_attributes "
                            "WHERE study_id = ?1 ORDER BY study_user_attribute_id",
    [ST_STUDY_SYSTEM_ATTRS] = "SELECT \"key\", value_json FROM study_system_attributes "
                              "WHERE study_id = ?1 ORDER BY study_system_attribute_id",
    [ST_TRIAL_INSERT] = "INSERT INTO trials (number, study_id, state, datetime_start, "
                        "datetime_complete) VALUES (NULL, ?1, ?2, ?3, ?4)",
    [ST_TRIAL_PREVIOUS_NUMBER] = "SELECT number FROM trials WHERE study_id = ?1 AND "
                                 "trial_id < ?2 ORDER BY trial_id DESC LIMIT 1",
    [ST_TRIAL_COUNT_BEFORE] =
        "SELECT count(*) FROM trials WHERE study_id = ?1 AND trial_id < ?2",
    [ST_TRIAL_SET_NUMBER] = "UPDATE trials SET number = ?1 WHERE trial_id = ?2",
    [ST_TRIAL_STATE] = "SELECT state, number FROM trials WHERE trial_id = ?1",
    [ST_TRIAL_FINISH] =
        "UPDATE trials SET state = ?1, datetime_complete = ?2 WHERE trial_id = ?3",
    [ST_WAITING_NEXT] = "SELECT trial_id, number FROM trials WHERE study_id = ?1 AND "
                        "trial_id > ?2 AND state = 'WAITING' ORDER BY trial_id LIMIT 1",
    [ST_WAITING_TAKE] = "UPDATE trials SET state = 'RUNNING', datetime_start = ?1 "
                        "WHERE trial_id = ?2 AND state = 'WAITING'",
    [ST_WAITING_PEEK] =
        "SELECT (SELECT coalesce(max(trial_id), 0) FROM trials), (SELECT trial_id FROM trials "
        "WHERE study_id = ?1 AND trial_id > ?2 AND state = 'WAITING' LIMIT 1)",
    [ST_PARAM_UPSERT] =
        "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (trial_id, param_name) DO UPDATE SET "
        "param_value = excluded.param_value, distribution_json = excluded.distribution_json",
    [ST_VALUE_UPSERT] =
        "INSERT INTO trial_values (trial_id, objective, value, value_type) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (trial_id, objective) DO UPDATE SET "
        "value = excluded.value, value_type = excluded.value_type",
    [ST_INTERMEDIATE_UPSERT] =
        "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, "
        "intermediate_value_type) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (trial_id, step) "
        "DO UPDATE SET intermediate_value = excluded.intermediate_value, "
        "intermediate_value_type = excluded.intermediate_value_type",
    [ST_TRIAL_USER_ATTR_UPSERT] = ATTR_UPSERT("trial_user_attributes", "trial_id"),
    [ST_TRIAL_SYSTEM_ATTR_UPSERT] = ATTR_UPSERT("trial_system_attributes", "trial_id"),
    [ST_READ_TRIALS] =
        SELECTED_TRIALS("trial_id, number, state, datetime_start, datetime_complete")
        " ORDER BY 1",
    /* Every child row of those trials, one kind per table (see child_kind),
     * by trial; params in param_id order = suggestion order (§2.2). */
    [ST_READ_CHILDREN] = SELECTED_IDS
        "SELECT p.trial_id, 0, p.param_id, p.param_name, p.param_value, p.distribution_json "
        "FROM ids CROSS JOIN trial_params p ON p.trial_id = ids.id "
        "UNION ALL SELECT v.trial_id, 1, v.objective, NULL, v.value, v.value_type "
        "FROM ids CROSS JOIN trial_values v ON v.trial_id = ids.id "
        "UNION ALL SELECT v.trial_id, 2, v.step, NULL, v.intermediate_value, "
        "v.intermediate_value_type FROM ids CROSS JOIN trial_intermediate_values v "
        "ON v.trial_id = ids.id "
        "UNION ALL SELECT a.trial_id, 3, a.trial_user_attribute_id, a.\"key\", NULL, "
        "a.value_json FROM ids CROSS JOIN trial_user_attributes a ON a.trial_id = ids.id "
        "UNION ALL SELECT a.trial_id, 4, a.trial_system_attribute_id, a.\"key\", NULL, "
        "a.value_json FROM ids CROSS JOIN trial_system_attributes a ON a.trial_id = ids.id "
        "ORDER BY 1, 2, 3",
};

/* delete_study: children first; no ON DELETE CASCADE exists (§1.1). */
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

/* ---- the handle -------------------------------------------------------- */

typedef struct sqlite_options {
    char *path;
    const char *stamp;     /* written into a new file */
    char journal_mode[16]; /* "" = our policy (WAL on local disks) */
    char synchronous[16];  /* "" = NORMAL with WAL, SQLite's default otherwise */
    double timeout_s;
} sqlite_options;

#define WAITING_MARKS 8

/* Per study: no trial with an id up to `trial_id` is WAITING (see
 * pop_waiting_trial). */
typedef struct waiting_mark {
    int64_t study_id, trial_id;
} waiting_mark;

typedef struct sqlite_store {
    sqlite3 *db;
    sqlite_options opt;
    int leave_wal_on_close;
    int64_t deadline_ns; /* of the current call, for the busy handler */
    uint64_t rng;        /* jitter */
    sqlite3_stmt *stmt[N_STMT];
    waiting_mark marks[WAITING_MARKS];
    size_t next_mark;
} sqlite_store;

/* ---- URL ---------------------------------------------------------------- */

static int option_in(const char *value, const char *const *allowed, char *out, size_t size)
{
    for (size_t i = 0; allowed[i]; i++) {
        if (strcasecmp(value, allowed[i]) == 0) {
            snprintf(out, size, "%s", allowed[i]);
            return 1;
        }
    }
    return 0;
}

static int option_set(sqlite_options *o, const char *url, const char *key, const char *value)
{
    static const char *const journal_modes[] = {"delete", "truncate", "persist", "memory",
                                                "wal",    "off",      NULL};
    static const char *const sync_modes[] = {"off", "normal", "full", "extra",
                                             "0",   "1",      "2",    "3", NULL};
    if (strcmp(key, "schema") == 0) {
        if (strcmp(value, STAMP_CURRENT) == 0 || strcmp(value, STAMP_LEGACY) == 0) {
            o->stamp = strcmp(value, STAMP_CURRENT) == 0 ? STAMP_CURRENT : STAMP_LEGACY;
            return IGMOPT_OK;
        }
        return igm_error(IGMOPT_EINVAL, "storage URL '%s': schema=%s: use " STAMP_CURRENT
                         " (Optuna >= 3.2, the default) or " STAMP_LEGACY " (Optuna 3.0-3.1)",
                         url, value);
    }
    if (strcmp(key, "journal_mode") == 0) {
        if (option_in(value, journal_modes, o->journal_mode, sizeof o->journal_mode))
            return IGMOPT_OK;
        return igm_error(IGMOPT_EINVAL, "storage URL '%s': journal_mode=%s: use delete, "
                         "truncate, persist, memory, wal or off", url, value);
    }
    if (strcmp(key, "synchronous") == 0) {
        if (option_in(value, sync_modes, o->synchronous, sizeof o->synchronous))
            return IGMOPT_OK;
        return igm_error(IGMOPT_EINVAL, "storage URL '%s': synchronous=%s: use off, normal, "
                         "full or extra", url, value);
    }
    if (strcmp(key, "timeout") == 0) {
        char *end;
        double t = strtod(value, &end);
        if (*value && !*end && isfinite(t) && t >= 0) {
            o->timeout_s = t;
            return IGMOPT_OK;
        }
        return igm_error(IGMOPT_EINVAL, "storage URL '%s': timeout=%s: expected seconds "
                         "(a number >= 0)", url, value);
    }
    return igm_error(IGMOPT_EINVAL, "storage URL '%s': unknown option '%s' (known: schema, "
                     "journal_mode, synchronous, timeout)", url, key);
}

/* query: "k=v&k=v", modified in place. */
static int options_parse_query(sqlite_options *o, const char *url, char *query)
{
    char *save = NULL;
    for (char *item = strtok_r(query, "&", &save); item; item = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return igm_error(IGMOPT_EINVAL, "storage URL '%s': option '%s' has no '=value'",
                             url, item);
        *eq = '\0';
        int status = option_set(o, url, item, eq + 1);
        if (status)
            return status;
    }
    return IGMOPT_OK;
}

/* "sqlite:///rel.db" names rel.db, "sqlite:////abs.db" names /abs.db
 * (SQLAlchemy's convention, so the URLs Optuna users have work here). */
static int options_parse(sqlite_options *o, const char *url)
{
    o->stamp = STAMP_CURRENT;
    o->timeout_s = DEFAULT_TIMEOUT_S;
    if (!url || strncmp(url, URL_PREFIX, strlen(URL_PREFIX)) != 0)
        return igm_error(IGMOPT_EINVAL, "storage URL '%s' does not start with " URL_PREFIX,
                         url ? url : "(null)");
    char *rest = strdup(url + strlen(URL_PREFIX));
    if (!rest)
        return igm_error_nomem();
    char *query = strchr(rest, '?');
    if (query)
        *query++ = '\0';
    int status = IGMOPT_OK;
    if (!rest[0])
        status = igm_error(IGMOPT_EINVAL, "storage URL '%s' names no file", url);
    if (!status && query)
        status = options_parse_query(o, url, query);
    if (!status)
        o->path = strdup(rest);
    if (!status && !o->path)
        status = igm_error_nomem();
    free(rest);
    return status;
}

/* ---- time, back-off and the busy handler -------------------------------- */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ns(int64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static uint64_t random_next(sqlite_store *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

/* Other processes' transactions last tens of microseconds, so waits start
 * there and double up to 10 ms; the 0.5-1.5 jitter keeps processes that
 * collided from colliding again in lockstep. */
static int64_t backoff_ns(sqlite_store *s, unsigned attempt)
{
    int64_t base = 20000LL << (attempt < 9 ? attempt : 9);
    if (base > 10000000)
        base = 10000000;
    return base / 2 + (int64_t)(random_next(s) % (uint64_t)base);
}

static int on_busy(void *arg, int count)
{
    sqlite_store *s = arg;
    int64_t left = s->deadline_ns - now_ns();
    if (left <= 0)
        return 0;
    int64_t pause = backoff_ns(s, (unsigned)count);
    sleep_ns(pause < left ? pause : left);
    return 1;
}

/* ---- statements and errors ---------------------------------------------- */

static int is_busy(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* Maps a failed SQLite call to our status (call before resetting). */
static int sql_failure(sqlite_store *s, int rc, const char *what)
{
    if (is_busy(rc))
        return RETRY;
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return igm_error_nomem();
    case SQLITE_NOTADB:
        return igm_error(IGMOPT_ESTORAGE, "%s: not an SQLite database file", s->opt.path);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_READONLY: {
        int err = sqlite3_system_errno(s->db);
        return igm_error(IGMOPT_ESTORAGE, "%s: %s: %s%s%s", s->opt.path, what,
                         sqlite3_errmsg(s->db), err ? ": " : "", err ? strerror(err) : "");
    }
    default:
        return igm_error(IGMOPT_ESTORAGE, "%s: %s: %s", s->opt.path, what,
                         sqlite3_errmsg(s->db));
    }
}

static int stmt_get(sqlite_store *s, stmt_id id, sqlite3_stmt **out)
{
    if (!s->stmt[id]) {
        int rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &s->stmt[id], NULL);
        if (rc != SQLITE_OK)
            return sql_failure(s, rc, "preparing a statement");
    }
    *out = s->stmt[id];
    return IGMOPT_OK;
}

static void stmt_release(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Steps a statement to its end (rows ignored) and releases it. */
static int stmt_run(sqlite_store *s, sqlite3_stmt *st, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    int status = rc == SQLITE_DONE ? IGMOPT_OK : sql_failure(s, rc, what);
    stmt_release(st);
    return status;
}

static int run_id(sqlite_store *s, stmt_id id, const char *what)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, id, &st);
    return status ? status : stmt_run(s, st, what);
}

/* A statement run once (schema work, deletes): not worth keeping prepared. */
static int run_once(sqlite_store *s, const char *sql, const int64_t *id, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_failure(s, rc, what);
    if (id)
        sqlite3_bind_int64(st, 1, *id);
    int status = stmt_run(s, st, what);
    sqlite3_finalize(st);
    return status;
}

static void bind_text(sqlite3_stmt *st, int col, const char *text)
{
    if (text)
        sqlite3_bind_text(st, col, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

/* "" means NULL for the datetimes of a frozen trial. */
static void bind_datetime(sqlite3_stmt *st, int col, const char *dt)
{
    bind_text(st, col, dt && dt[0] ? dt : NULL);
}

/* ---- transactions ------------------------------------------------------- */

typedef int (*txn_body)(sqlite_store *s, void *ctx);

typedef enum txn_kind { TXN_WRITE, TXN_READ, TXN_NONE } txn_kind;

static void deadline_arm(sqlite_store *s)
{
    double wait_ns = s->opt.timeout_s * 1e9;
    s->deadline_ns = now_ns() + (int64_t)(wait_ns < 1e18 ? wait_ns : 1e18);
}

static void rollback(sqlite_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        run_id(s, ST_ROLLBACK, "ROLLBACK");
}

static int attempt_transaction(sqlite_store *s, txn_kind kind, txn_body body, void *ctx)
{
    if (kind == TXN_NONE)
        return body(s, ctx);
    int status = run_id(s, kind == TXN_WRITE ? ST_BEGIN_WRITE : ST_BEGIN_READ, "BEGIN");
    if (status)
        return status;
    status = body(s, ctx);
    if (!status)
        status = run_id(s, ST_COMMIT, "COMMIT");
    if (status)
        rollback(s);
    return status;
}

/* Runs body in a transaction (BEGIN IMMEDIATE for writes, §3), retrying the
 * whole of it with jitter while the file is merely busy.  A body returns
 * RETRY untouched when it met a busy lock, so it must leave ctx ready for
 * a fresh attempt. */
static int run_transaction(sqlite_store *s, txn_kind kind, txn_body body, void *ctx)
{
    deadline_arm(s);
    for (unsigned attempt = 0;; attempt++) {
        int status = attempt_transaction(s, kind, body, ctx);
        if (status != RETRY)
            return status;
        int64_t left = s->deadline_ns - now_ns();
        if (left <= 0)
            return igm_error(IGMOPT_ESTORAGE, "%s: database is locked: still busy after %g s "
                             "(raise it with ?timeout=)", s->opt.path, s->opt.timeout_s);
        int64_t pause = backoff_ns(s, attempt);
        sleep_ns(pause < left ? pause : left);
    }
}

/* ---- pragmas ---------------------------------------------------------- */

static void copy_column_text(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    snprintf(out, size, "%s", text ? (const char *)text : "");
}

typedef struct pragma_ctx {
    const char *sql;
    char result[16];
} pragma_ctx;

static int pragma_body(sqlite_store *s, void *ctx)
{
    pragma_ctx *p = ctx;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, p->sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_failure(s, rc, p->sql);
    p->result[0] = '\0';
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        copy_column_text(st, 0, p->result, sizeof p->result);
    int status = rc == SQLITE_ROW || rc == SQLITE_DONE ? IGMOPT_OK : sql_failure(s, rc, p->sql);
    sqlite3_finalize(st);
    return status;
}

static int pragma_set(sqlite_store *s, const char *name, const char *value, char *result,
                      size_t size)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %s=%s", name, value);
    pragma_ctx p = {sql, ""};
    int status = run_transaction(s, TXN_NONE, pragma_body, &p);
    if (result)
        snprintf(result, size, "%s", p.result);
    return status;
}

/* ---- schema: survey, stamp check, creation ------------------------------ */

typedef struct db_survey {
    int exists[N_SCHEMA_OBJECTS];
    int n_tables;
    int stamped;
    char stamp[64];
    int has_version_row;
    int64_t schema_version;
    char library_version[128];
} db_survey;

static int schema_object_index(const char *name)
{
    for (size_t i = 0; i < N_SCHEMA_OBJECTS; i++)
        if (strcasecmp(schema_objects[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int has_object(const db_survey *v, const char *name)
{
    int i = schema_object_index(name);
    return i >= 0 && v->exists[i];
}

static int survey_objects(sqlite_store *s, db_survey *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT type, name FROM sqlite_master WHERE type IN "
                                "('table', 'index') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_failure(s, rc, "reading the schema");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        int i = name ? schema_object_index(name) : -1;
        int is_table = type && strcmp(type, "table") == 0;
        if (i >= 0)
            v->exists[i] = 1;
        v->n_tables += is_table;
    }
    int status = rc == SQLITE_DONE ? IGMOPT_OK : sql_failure(s, rc, "reading the schema");
    sqlite3_finalize(st);
    return status;
}

static int survey_stamp(sqlite_store *s, db_survey *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT version_num FROM alembic_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_failure(s, rc, "reading alembic_version");
    int rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (rows++ == 0)
            copy_column_text(st, 0, v->stamp, sizeof v->stamp);
    int status = rc == SQLITE_DONE ? IGMOPT_OK : sql_failure(s, rc, "reading alembic_version");
    sqlite3_finalize(st);
    if (!status && rows > 1)
        status = igm_error(IGMOPT_ESTORAGE, "%s: alembic_version has %d rows; an Optuna "
                           "database has one", s->opt.path, rows);
    v->stamped = rows > 0;
    return status;
}

static int survey_version_info(sqlite_store *s, db_survey *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT schema_version, library_version FROM "
                                "version_info WHERE version_info_id = 1", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_failure(s, rc, "reading version_info");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        v->has_version_row = 1;
        v->schema_version = sqlite3_column_int64(st, 0);
        copy_column_text(st, 1, v->library_version, sizeof v->library_version);
        rc = SQLITE_DONE;
    }
    int status = rc == SQLITE_DONE ? IGMOPT_OK : sql_failure(s, rc, "reading version_info");
    sqlite3_finalize(st);
    return status;
}

static int survey_body(sqlite_store *s, void *ctx)
{
    db_survey *v = ctx;
    memset(v, 0, sizeof *v);
    int status = survey_objects(s, v);
    if (!status && has_object(v, "alembic_version"))
        status = survey_stamp(s, v);
    if (!status && has_object(v, "version_info"))
        status = survey_version_info(s, v);
    return status;
}

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
        if (schema_objects[i].kind == OBJ_TABLE && !v->exists[i])
            return igm_error(IGMOPT_ESTORAGE, "%s: stamped %s but table %s is missing",
                             s->opt.path, v->stamp, schema_objects[i].name);
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

static int create_missing_objects(sqlite_store *s, const db_survey *v)
{
    int current = strcmp(s->opt.stamp, STAMP_CURRENT) == 0;
    for (size_t i = 0; i < N_SCHEMA_OBJECTS; i++) {
        const schema_object *o = &schema_objects[i];
        if (v->exists[i] || (o->kind == OBJ_INDEX_CURRENT_ONLY && !current))
            continue;
        int status = run_once(s, o->sql, NULL, "creating the Optuna schema");
        if (status)
            return status;
    }
    return IGMOPT_OK;
}

static int write_version_rows(sqlite_store *s)
{
    char library_version[128];
    snprintf(library_version, sizeof library_version, "libigmopt %s (schema %s)",
             IGMOPT_VERSION_STRING, s->opt.stamp);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "INSERT INTO version_info (version_info_id, "
                                "schema_version, library_version) SELECT 1, ?1, ?2 WHERE NOT "
                                "EXISTS (SELECT 1 FROM version_info)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return sql_failure(s, rc, "writing version_info");
    sqlite3_bind_int(st, 1, SCHEMA_VERSION);
    bind_text(st, 2, library_version);
    int status = stmt_run(s, st, "writing version_info");
    sqlite3_finalize(st);
    if (status)
        return status;
    rc = sqlite3_prepare_v2(s->db, "INSERT INTO alembic_version (version_num) VALUES (?1)", -1,
                            &st, NULL);
    if (rc != SQLITE_OK)
        return sql_failure(s, rc, "writing alembic_version");
    bind_text(st, 1, s->opt.stamp);
    status = stmt_run(s, st, "writing alembic_version");
    sqlite3_finalize(st);
    return status;
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
        status = write_version_rows(s);
    if (!status)
        status = survey_body(s, v);
    return status;
}

/* Reads first and writes only when the file needs a schema, so a stamped
 * or foreign file is never touched. */
static int schema_prepare(sqlite_store *s)
{
    db_survey v;
    int status = run_transaction(s, TXN_READ, survey_body, &v);
    if (status)
        return status;
    if (!v.stamped) {
        status = check_unstamped(s, &v);
        /* Every commit writes whole pages to the WAL; our rows are small,
         * and 1 KiB pages make a commit ~40% cheaper than 4 KiB ones.  Only
         * takes effect on a file without tables; readers accept any size. */
        if (!status && v.n_tables == 0)
            status = pragma_set(s, "page_size", NEW_FILE_PAGE_SIZE, NULL, 0);
        if (!status)
            status = run_transaction(s, TXN_WRITE, schema_create_body, &v);
        if (status)
            return status;
    }
    return check_stamped(s, &v);
}

/* ---- journal mode ------------------------------------------------------- */

/* WAL needs shared memory between every process on the file, which network
 * filesystems do not give (https://sqlite.org/wal.html). */
static int on_network_filesystem(const char *path)
{
#ifdef __linux__
    static const unsigned long network_types[] = {
        0x6969,     /* NFS */
        0x517B,     /* SMB */
        0xFF534D42, /* CIFS */
        0xFE534D42, /* SMB2 */
        0x564C,     /* NCP */
        0x73757245, /* CODA */
        0x5346414F, /* AFS */
        0x6B414653, /* kAFS */
        0x01021997, /* 9P */
        0x00C36400, /* Ceph */
        0x0BD00BD0, /* Lustre */
        0x47504653, /* GPFS */
        0x19830326, /* BeeGFS */
        0x20030528, /* OrangeFS */
        0x01161970, /* GFS2 */
        0x7461636F, /* OCFS2 */
        0x65735546, /* FUSE: sshfs, s3fs...; cannot tell, so assume remote */
    };
    struct statfs sf;
    if (statfs(path, &sf) != 0) {
        char *dir = strdup(path);
        if (!dir)
            return 0;
        char *slash = strrchr(dir, '/');
        if (slash)
            slash[slash == dir] = '\0';
        int failed = statfs(slash ? dir : ".", &sf) != 0;
        free(dir);
        if (failed)
            return 0;
    }
    for (size_t i = 0; i < sizeof network_types / sizeof *network_types; i++)
        if ((unsigned long)sf.f_type == network_types[i])
            return 1;
#else
    (void)path;
#endif
    return 0;
}

/* WAL while open on a local disk (a commit costs ~20 us instead of ~1 ms);
 * the last handle to close returns the file to rollback-journal mode,
 * because the browser and VS Code dashboards cannot load a WAL-mode file
 * (§0 #8, §4.2).  Never WAL on a network filesystem.  A journal_mode given
 * in the URL is the user's choice and kept as is. */
static int journal_mode_apply(sqlite_store *s)
{
    char mode[16];
    int chosen = s->opt.journal_mode[0] != '\0';
    const char *wanted = chosen ? s->opt.journal_mode
                                : (on_network_filesystem(s->opt.path) ? "delete" : "wal");
    int status = pragma_set(s, "journal_mode", wanted, mode, sizeof mode);
    if (status && !chosen) {
        /* Our default is a speed-up only: keep whatever mode the file has. */
        igm_error_clear();
        status = IGMOPT_OK;
        mode[0] = '\0';
    }
    if (status)
        return status;
    int wal = strcasecmp(mode, "wal") == 0;
    s->leave_wal_on_close = wal && !chosen;
    const char *sync = s->opt.synchronous[0] ? s->opt.synchronous : (wal ? "normal" : NULL);
    status = sync ? pragma_set(s, "synchronous", sync, NULL, 0) : IGMOPT_OK;
    /* A checkpoint costs two fsyncs (milliseconds here); at SQLite's default
     * of 1000 pages one came every ~80 trials and doubled the mean trial
     * time.  10 000 pages (10 MiB in our files) between them make them rare. */
    if (!status && wal)
        status = pragma_set(s, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES, NULL, 0);
    return status;
}

/* Succeeds only on the last connection to the file (SQLite needs exclusive
 * access to leave WAL), and fails at once otherwise: no busy handler. */
static int journal_mode_delete(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int ok = 0;
    sqlite3_busy_handler(db, NULL, NULL);
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *mode = sqlite3_column_text(st, 0);
        ok = mode && strcasecmp((const char *)mode, "delete") == 0;
    }
    sqlite3_finalize(st);
    return ok;
}

/* When several handles close at the same moment each still sees the
 * others.  Closing ours and trying again on a fresh connection after
 * growing random pauses lets the last one win; a long-lived other handle
 * costs this close ~30 ms. */
static void leave_wal(sqlite_store *s)
{
    if (journal_mode_delete(s->db))
        return;
    sqlite3_close(s->db);
    s->db = NULL;
    for (unsigned attempt = 0; attempt < LEAVE_WAL_ATTEMPTS; attempt++) {
        int64_t pause = 1000000LL << attempt;
        sleep_ns(pause / 2 + (int64_t)(random_next(s) % (uint64_t)pause));
        sqlite3 *db = NULL;
        int done = sqlite3_open_v2(s->opt.path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
                   journal_mode_delete(db);
        sqlite3_close(db);
        if (done)
            return;
    }
}

/* ---- open and close ----------------------------------------------------- */

static void store_close(sqlite_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < N_STMT; i++)
        sqlite3_finalize(s->stmt[i]);
    if (s->db && s->leave_wal_on_close)
        leave_wal(s);
    sqlite3_close(s->db);
    free(s->opt.path);
    free(s);
}

static void sqlite_close(void *impl)
{
    store_close(impl);
}

static int connection_open(sqlite_store *s)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(s->opt.path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        int status = s->db ? sql_failure(s, rc, "cannot open")
                           : igm_error(IGMOPT_ENOMEM, "%s: cannot open: %s", s->opt.path,
                                       sqlite3_errstr(rc));
        return status == RETRY ? igm_error(IGMOPT_ESTORAGE, "%s: cannot open: busy", s->opt.path)
                               : status;
    }
    sqlite3_busy_handler(s->db, on_busy, s);
    return IGMOPT_OK;
}

static uint64_t jitter_seed(const sqlite_store *s)
{
    uint64_t seed = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)s;
    return seed ? seed : 0x9E3779B97F4A7C15ULL;
}

/* ---- encodings (§2.1, §2.3, §2.5) --------------------------------------- */

static const char *direction_name(igmopt_direction d)
{
    return d == IGMOPT_MAXIMIZE ? "MAXIMIZE" : "MINIMIZE";
}

static int direction_from_name(const char *name, igmopt_direction *out)
{
    if (name && strcmp(name, "MINIMIZE") == 0)
        *out = IGMOPT_MINIMIZE;
    else if (name && strcmp(name, "MAXIMIZE") == 0)
        *out = IGMOPT_MAXIMIZE;
    else
        return -1;
    return 0;
}

/* NaN only exists for intermediate values; objective values never hold it. */
static const char *value_type_name(double v)
{
    if (isnan(v))
        return "NAN";
    if (isinf(v))
        return v > 0 ? "INF_POS" : "INF_NEG";
    return "FINITE";
}

/* SQLite stores NULL for the non-finite ones; the type column says which. */
static void bind_typed_value(sqlite3_stmt *st, int value_col, int type_col, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, value_col, v);
    else
        sqlite3_bind_null(st, value_col);
    sqlite3_bind_text(st, type_col, value_type_name(v), -1, SQLITE_STATIC);
}

/* Accepts what writers leave in DATETIME columns: with or without a
 * fraction of any length, 'T' or ' ', and a zone suffix that is ignored as
 * SQLAlchemy 1.4 ignores it (§2.5); yields "YYYY-MM-DD HH:MM:SS.ffffff". */
static int datetime_normalize(const char *text, char out[IGM_DATETIME_LEN])
{
    static const char shape[] = "dddd-dd-dd dd:dd:dd";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        int ok = shape[i] == 'd' ? isdigit((unsigned char)text[i])
                                 : text[i] == shape[i] || (i == 10 && text[i] == 'T');
        if (!ok)
            return -1;
    }
    memcpy(out, text, 19);
    out[10] = ' ';
    out[19] = '.';
    const char *p = text + 19;
    size_t digits = 0;
    if (*p == '.') {
        for (p++; isdigit((unsigned char)*p); p++, digits++)
            if (digits < 6)
                out[20 + digits] = *p;
        if (digits == 0)
            return -1;
    }
    for (size_t i = digits < 6 ? digits : 6; i < 6; i++)
        out[20 + i] = '0';
    out[26] = '\0';
    return *p == '\0' || *p == '+' || *p == '-' || *p == 'Z' ? 0 : -1;
}

/* ---- columns ------------------------------------------------------------ */

static const char *column_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

static int column_is_number(sqlite3_stmt *st, int col)
{
    int type = sqlite3_column_type(st, col);
    return type == SQLITE_INTEGER || type == SQLITE_FLOAT;
}

/* ---- studies ------------------------------------------------------------ */

static int check_key(const char *what, const char *key)
{
    if (!key || strlen(key) > MAX_KEY_LEN)
        return igm_error(IGMOPT_EINVAL, "%s '%.60s%s' must be 1 to %d characters", what,
                         key ? key : "(null)", key && strlen(key) > 60 ? "..." : "",
                         MAX_KEY_LEN);
    return IGMOPT_OK;
}

static int require_study(sqlite_store *s, int64_t study_id)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_STUDY_EXISTS, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, study_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        status = igm_error(IGMOPT_ENOTFOUND, "%s: no study with id %" PRId64, s->opt.path,
                           study_id);
    else if (rc != SQLITE_ROW)
        status = sql_failure(s, rc, "finding the study");
    stmt_release(st);
    return status;
}

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
    int status = stmt_get(s, ST_DIRECTION_INSERT, &st);
    if (status)
        return status;
    sqlite3_bind_text(st, 1, direction_name(d), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, study_id);
    sqlite3_bind_int64(st, 3, (int64_t)objective);
    return stmt_run(s, st, "writing the study's directions");
}

/* Directions go in objective order in the study's transaction: readers
 * take them in row order (§2.11). */
static int create_study_body(sqlite_store *s, void *ctx)
{
    create_study_ctx *c = ctx;
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_STUDY_INSERT, &st);
    if (status)
        return status;
    bind_text(st, 1, c->name);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        status = (rc & 0xff) == SQLITE_CONSTRAINT
                     ? igm_error(IGMOPT_EEXISTS, "%s: a study named '%s' already exists",
                                 s->opt.path, c->name)
                     : sql_failure(s, rc, "creating the study");
    stmt_release(st);
    if (status)
        return status;
    c->study_id = sqlite3_last_insert_rowid(s->db);
    for (size_t i = 0; i < c->n_dirs && !status; i++)
        status = insert_direction(s, c->study_id, i, c->dirs[i]);
    return status;
}

static int sqlite_create_study(void *impl, const char *name, const igmopt_direction *dirs,
                               size_t n_dirs, int64_t *study_id)
{
    int status = check_key("study name", name);
    if (status)
        return status;
    if (n_dirs == 0 || !dirs)
        return igm_error(IGMOPT_EINVAL, "study '%s' needs at least one direction", name);
    for (size_t i = 0; i < n_dirs; i++)
        if (dirs[i] != IGMOPT_MINIMIZE && dirs[i] != IGMOPT_MAXIMIZE)
            return igm_error(IGMOPT_EINVAL, "study '%s': direction %zu is %d, not MINIMIZE "
                             "or MAXIMIZE", name, i, (int)dirs[i]);
    create_study_ctx c = {name, dirs, n_dirs, 0};
    status = run_transaction(impl, TXN_WRITE, create_study_body, &c);
    if (!status)
        *study_id = c.study_id;
    return status;
}

typedef struct find_study_ctx {
    const char *name;
    int64_t study_id;
    igmopt_direction *dirs;
    size_t n_dirs;
} find_study_ctx;

static int study_id_by_name(sqlite_store *s, const char *name, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_STUDY_BY_NAME, &st);
    if (status)
        return status;
    bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        status = igm_error(IGMOPT_ENOTFOUND, "%s: no study named '%s'", s->opt.path, name);
    else
        status = sql_failure(s, rc, "finding the study");
    stmt_release(st);
    return status;
}

static int direction_append(sqlite_store *s, find_study_ctx *c, sqlite3_stmt *st)
{
    igmopt_direction d;
    if (sqlite3_column_int64(st, 1) != (int64_t)c->n_dirs)
        return igm_error(IGMOPT_ESTORAGE, "%s: corrupt study_directions of study %" PRId64
                         ": objectives are not 0..n-1", s->opt.path, c->study_id);
    const char *name = column_text(st, 0);
    if (direction_from_name(name, &d))
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
    int status = stmt_get(s, ST_STUDY_DIRECTIONS, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, c->study_id);
    int rc;
    while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW)
        status = direction_append(s, c, st);
    if (!status && rc != SQLITE_DONE)
        status = sql_failure(s, rc, "reading the study's directions");
    stmt_release(st);
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

static int sqlite_find_study(void *impl, const char *name, int64_t *study_id,
                             igmopt_direction **dirs, size_t *n_dirs)
{
    find_study_ctx c = {name, 0, NULL, 0};
    if (!name)
        return igm_error(IGMOPT_EINVAL, "find_study: name is NULL");
    int status = run_transaction(impl, TXN_READ, find_study_body, &c);
    if (status)
        return status;
    *study_id = c.study_id;
    *dirs = c.dirs;
    *n_dirs = c.n_dirs;
    return IGMOPT_OK;
}

/* Deleted trial ids at the top may be reused by any study: start over. */
static void waiting_marks_forget(sqlite_store *s)
{
    memset(s->marks, 0, sizeof s->marks);
}

static int delete_study_body(sqlite_store *s, void *ctx)
{
    const int64_t *study_id = ctx;
    int status = require_study(s, *study_id);
    for (size_t i = 0; !status && i < sizeof study_delete_sql / sizeof *study_delete_sql; i++)
        status = run_once(s, study_delete_sql[i], study_id, "deleting the study");
    return status;
}

static int sqlite_delete_study(void *impl, int64_t study_id)
{
    int status = run_transaction(impl, TXN_WRITE, delete_study_body, &study_id);
    if (!status)
        waiting_marks_forget(impl);
    return status;
}

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

static int name_append(names_ctx *c, const char *name)
{
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
    int status = stmt_get(s, ST_STUDY_NAMES, &st);
    if (status)
        return status;
    int rc;
    while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW)
        status = name_append(c, column_text(st, 0));
    if (!status && rc != SQLITE_DONE)
        status = sql_failure(s, rc, "listing the studies");
    stmt_release(st);
    if (status)
        names_free(c);
    return status;
}

static int sqlite_study_names(void *impl, char ***names, size_t *n)
{
    names_ctx c = {NULL, 0};
    int status = run_transaction(impl, TXN_READ, study_names_body, &c);
    if (status)
        return status;
    /* An empty list is still a pointer the caller may free. */
    *names = c.names ? c.names : calloc(1, sizeof(char *));
    *n = c.n;
    return *names ? IGMOPT_OK : igm_error_nomem();
}

typedef struct attr_write_ctx {
    int64_t owner_id;
    stmt_id upsert;
    const char *key, *value_json;
} attr_write_ctx;

static int attr_upsert(sqlite_store *s, const attr_write_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, c->upsert, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, c->owner_id);
    bind_text(st, 2, c->key);
    bind_text(st, 3, c->value_json);
    return stmt_run(s, st, "writing an attribute");
}

static int set_study_attr_body(sqlite_store *s, void *ctx)
{
    attr_write_ctx *c = ctx;
    int status = require_study(s, c->owner_id);
    return status ? status : attr_upsert(s, c);
}

static int check_attr(const char *key, const char *value_json)
{
    int status = check_key("attribute key", key);
    if (!status && !value_json)
        status = igm_error(IGMOPT_EINVAL, "attribute '%s': value_json is NULL", key);
    return status;
}

static int sqlite_set_study_attr(void *impl, int64_t study_id, igm_attr_kind kind,
                                 const char *key, const char *value_json)
{
    int status = check_attr(key, value_json);
    if (status)
        return status;
    attr_write_ctx c = {study_id,
                        kind == IGM_ATTR_SYSTEM ? ST_STUDY_SYSTEM_ATTR_UPSERT
                                                : ST_STUDY_USER_ATTR_UPSERT,
                        key, value_json};
    return run_transaction(impl, TXN_WRITE, set_study_attr_body, &c);
}

typedef struct study_attrs_ctx {
    int64_t study_id;
    stmt_id query;
    const char *table;
    igm_attr_list list;
} study_attrs_ctx;

static int study_attr_append(sqlite_store *s, study_attrs_ctx *c, sqlite3_stmt *st)
{
    const char *key = column_text(st, 0), *value = column_text(st, 1);
    if (!key || !value)
        return igm_error(IGMOPT_ESTORAGE, "%s: corrupt row in table %s, study_id %" PRId64
                         ", column %s: NULL", s->opt.path, c->table, c->study_id,
                         key ? "value_json" : "key");
    return igm_attr_list_set(&c->list, key, value);
}

static int get_study_attrs_body(sqlite_store *s, void *ctx)
{
    study_attrs_ctx *c = ctx;
    sqlite3_stmt *st = NULL;
    int status = require_study(s, c->study_id);
    if (!status)
        status = stmt_get(s, c->query, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, c->study_id);
    int rc;
    while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW)
        status = study_attr_append(s, c, st);
    if (!status && rc != SQLITE_DONE)
        status = sql_failure(s, rc, "reading the study's attributes");
    stmt_release(st);
    if (status)
        igm_attr_list_clear(&c->list);
    return status;
}

static int sqlite_get_study_attrs(void *impl, int64_t study_id, igm_attr_kind kind,
                                  igm_attr_list *out)
{
    int system = kind == IGM_ATTR_SYSTEM;
    study_attrs_ctx c = {study_id, system ? ST_STUDY_SYSTEM_ATTRS : ST_STUDY_USER_ATTRS,
                         system ? "study_system_attributes" : "study_user_attributes",
                         {NULL, 0, 0}};
    int status = run_transaction(impl, TXN_READ, get_study_attrs_body, &c);
    if (!status)
        *out = c.list;
    return status;
}

/* ---- trial writes ------------------------------------------------------- */

/* Only a RUNNING trial may change (§2.12), checked inside the writing
 * transaction so no other process can finish it in between. */
static int require_running(sqlite_store *s, int64_t trial_id)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_TRIAL_STATE, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, trial_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        status = igm_error(IGMOPT_ENOTFOUND, "%s: no trial with id %" PRId64, s->opt.path,
                           trial_id);
    } else if (rc != SQLITE_ROW) {
        status = sql_failure(s, rc, "reading the trial's state");
    } else {
        const char *state = column_text(st, 0);
        if (!state || strcmp(state, "RUNNING") != 0)
            status = igm_error(IGMOPT_ESTATE, "Trial#%" PRId64 " is %.40s and can not be "
                               "updated", (int64_t)sqlite3_column_int64(st, 1),
                               state ? state : "NULL");
    }
    stmt_release(st);
    return status;
}

static int param_upsert(sqlite_store *s, int64_t trial_id, const char *name, double internal,
                        const char *distribution_json)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_PARAM_UPSERT, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, trial_id);
    bind_text(st, 2, name);
    sqlite3_bind_double(st, 3, internal);
    bind_text(st, 4, distribution_json);
    return stmt_run(s, st, "writing a parameter");
}

static int param_upsert_distribution(sqlite_store *s, int64_t trial_id, const igm_param *p)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *json = NULL;
    igm_distribution_to_json(&sb, p->distribution);
    int status = igm_strbuf_finish(&sb, &json);
    if (!status)
        status = param_upsert(s, trial_id, p->name, p->internal, json);
    free(json);
    return status;
}

static int value_upsert(sqlite_store *s, int64_t trial_id, size_t objective, double v)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_VALUE_UPSERT, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, trial_id);
    sqlite3_bind_int64(st, 2, (int64_t)objective);
    bind_typed_value(st, 3, 4, v);
    return stmt_run(s, st, "writing a value");
}

static int intermediate_upsert(sqlite_store *s, int64_t trial_id, int64_t step, double v)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_INTERMEDIATE_UPSERT, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, trial_id);
    sqlite3_bind_int64(st, 2, step);
    bind_typed_value(st, 3, 4, v);
    return stmt_run(s, st, "writing an intermediate value");
}

static int trial_attrs_upsert(sqlite_store *s, int64_t trial_id, igm_attr_kind kind,
                              const igm_attr_list *l)
{
    attr_write_ctx c = {trial_id,
                        kind == IGM_ATTR_SYSTEM ? ST_TRIAL_SYSTEM_ATTR_UPSERT
                                                : ST_TRIAL_USER_ATTR_UPSERT,
                        NULL, NULL};
    int status = IGMOPT_OK;
    for (size_t i = 0; !status && i < l->count; i++) {
        c.key = l->items[i].key;
        c.value_json = l->items[i].value_json;
        status = attr_upsert(s, &c);
    }
    return status;
}

typedef struct create_trial_ctx {
    int64_t study_id;
    const igm_frozen_trial *tmpl; /* NULL: a new RUNNING trial */
    igmopt_trial_state state;
    char start[IGM_DATETIME_LEN], complete[IGM_DATETIME_LEN];
    int64_t trial_id, number;
} create_trial_ctx;

static int trial_row_insert(sqlite_store *s, create_trial_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_TRIAL_INSERT, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, c->study_id);
    sqlite3_bind_text(st, 2, igm_trial_state_name(c->state), -1, SQLITE_STATIC);
    bind_datetime(st, 3, c->start);
    bind_datetime(st, 4, c->complete);
    status = stmt_run(s, st, "creating a trial");
    if (!status)
        c->trial_id = sqlite3_last_insert_rowid(s->db);
    return status;
}

static int template_children_insert(sqlite_store *s, int64_t trial_id,
                                    const igm_frozen_trial *t)
{
    int status = IGMOPT_OK;
    for (size_t i = 0; !status && i < t->n_params; i++)
        status = param_upsert_distribution(s, trial_id, &t->params[i]);
    for (size_t i = 0; !status && i < t->n_values; i++)
        status = value_upsert(s, trial_id, i, t->values[i]);
    for (size_t i = 0; !status && i < t->n_intermediate; i++)
        status = intermediate_upsert(s, trial_id, t->intermediate[i].step,
                                     t->intermediate[i].value);
    if (!status)
        status = trial_attrs_upsert(s, trial_id, IGM_ATTR_USER, &t->user_attrs);
    if (!status)
        status = trial_attrs_upsert(s, trial_id, IGM_ATTR_SYSTEM, &t->system_attrs);
    return status;
}

static int query_int64(sqlite_store *s, stmt_id id, int64_t a, int64_t b, int *found,
                       int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, id, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    if (*found)
        *out = sqlite3_column_int64(st, 0);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        status = sql_failure(s, rc, "numbering the trial");
    stmt_release(st);
    return status;
}

/* §2.6 defines number as the count of the study's trials with a smaller
 * trial_id.  Under the write lock every earlier trial already has its
 * number, contiguous from 0, so the count equals the previous trial's
 * number + 1: one index seek instead of reading all earlier trials (O(log n)
 * rather than O(n) at 10 000 trials).  The count remains the fallback. */
static int trial_number_assign(sqlite_store *s, create_trial_ctx *c)
{
    int found;
    int64_t previous = 0;
    int status = query_int64(s, ST_TRIAL_PREVIOUS_NUMBER, c->study_id, c->trial_id, &found,
                             &previous);
    if (!status)
        c->number = found ? previous + 1 : 0;
    if (!status && !found)
        status = query_int64(s, ST_TRIAL_COUNT_BEFORE, c->study_id, c->trial_id, &found,
                             &c->number);
    if (status)
        return status;
    sqlite3_stmt *st = NULL;
    status = stmt_get(s, ST_TRIAL_SET_NUMBER, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, c->number);
    sqlite3_bind_int64(st, 2, c->trial_id);
    return stmt_run(s, st, "numbering the trial");
}

/* Optuna's order (§2.6): row with number NULL, the template's children,
 * then the number, all in one BEGIN IMMEDIATE transaction. */
static int create_trial_body(sqlite_store *s, void *ctx)
{
    create_trial_ctx *c = ctx;
    int status = require_study(s, c->study_id);
    if (!status)
        status = trial_row_insert(s, c);
    if (!status && c->tmpl)
        status = template_children_insert(s, c->trial_id, c->tmpl);
    if (!status)
        status = trial_number_assign(s, c);
    return status;
}

static int check_template(const igm_frozen_trial *t)
{
    if ((unsigned)t->state > IGMOPT_WAITING)
        return igm_error(IGMOPT_EINVAL, "trial template: state %d is not a trial state",
                         (int)t->state);
    for (size_t i = 0; i < t->n_values; i++)
        if (isnan(t->values[i]))
            return igm_error(IGMOPT_EINVAL, "trial template: value %zu is NaN, which an "
                             "Optuna database cannot hold", i);
    for (size_t i = 0; i < t->n_params; i++)
        if (!t->params[i].name || !t->params[i].distribution || !isfinite(t->params[i].internal))
            return igm_error(IGMOPT_EINVAL, "trial template: parameter %zu is incomplete", i);
    const igm_attr_list *lists[] = {&t->user_attrs, &t->system_attrs};
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->count; i++) {
            int status = check_attr(lists[l]->items[i].key, lists[l]->items[i].value_json);
            if (status)
                return status;
        }
    return IGMOPT_OK;
}

/* A template keeps its datetimes; missing ones are filled so the row keeps
 * Optuna's invariants (§2.12): started unless WAITING, completed iff
 * finished. */
static void template_datetimes(create_trial_ctx *c, const igm_frozen_trial *t)
{
    char now[IGM_DATETIME_LEN];
    igm_datetime_now(now);
    int finished = igm_trial_state_finished(t->state);
    snprintf(c->start, sizeof c->start, "%s",
             t->datetime_start[0] ? t->datetime_start : (t->state == IGMOPT_WAITING ? "" : now));
    snprintf(c->complete, sizeof c->complete, "%s",
             t->datetime_complete[0] ? t->datetime_complete : (finished ? now : ""));
}

static int sqlite_create_trial(void *impl, int64_t study_id, const igm_frozen_trial *tmpl,
                               int64_t *trial_id, int64_t *number)
{
    create_trial_ctx c;
    memset(&c, 0, sizeof c);
    c.study_id = study_id;
    c.tmpl = tmpl;
    if (tmpl) {
        int status = check_template(tmpl);
        if (status)
            return status;
        c.state = tmpl->state;
        template_datetimes(&c, tmpl);
    } else {
        c.state = IGMOPT_RUNNING;
        igm_datetime_now(c.start);
    }
    int status = run_transaction(impl, TXN_WRITE, create_trial_body, &c);
    if (!status) {
        *trial_id = c.trial_id;
        *number = c.number;
    }
    return status;
}

/* pop_waiting_trial remembers, per study, a trial id up to which no trial
 * is WAITING: trials are created WAITING or never (§2.7), and a new trial
 * always gets an id above every existing one, so the next scan starts
 * there.  Without it every ask would read all of the study's trials (no
 * index covers state).  A mark above max(trial_id) means trials were
 * deleted (ids may then be reused), and the scan starts over. */
static int64_t waiting_mark_get(const sqlite_store *s, int64_t study_id)
{
    for (size_t i = 0; i < WAITING_MARKS; i++)
        if (s->marks[i].study_id == study_id)
            return s->marks[i].trial_id;
    return 0;
}

static void waiting_mark_set(sqlite_store *s, int64_t study_id, int64_t trial_id)
{
    for (size_t i = 0; i < WAITING_MARKS; i++)
        if (s->marks[i].study_id == study_id) {
            s->marks[i].trial_id = trial_id;
            return;
        }
    s->marks[s->next_mark] = (waiting_mark){study_id, trial_id};
    s->next_mark = (s->next_mark + 1) % WAITING_MARKS;
}

typedef struct pop_ctx {
    int64_t study_id, mark;
    char now[IGM_DATETIME_LEN];
    int64_t trial_id, number, new_mark;
} pop_ctx;

/* Without taking the write lock: is anything WAITING above the mark, and
 * up to which id is nothing WAITING?  Most asks find nothing, and then cost
 * one read instead of a write transaction. */
static int waiting_peek(sqlite_store *s, pop_ctx *c, int *found)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_WAITING_PEEK, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, c->study_id);
    sqlite3_bind_int64(st, 2, c->mark);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int64_t max_id = sqlite3_column_int64(st, 0);
        *found = sqlite3_column_type(st, 1) != SQLITE_NULL;
        c->new_mark = *found ? -1 : max_id;
        if (c->mark > max_id)
            c->new_mark = -2; /* trials were deleted: rescan from the start */
    } else {
        status = sql_failure(s, rc, "looking for a WAITING trial");
    }
    stmt_release(st);
    return status;
}

static int waiting_peek_body(sqlite_store *s, void *ctx)
{
    pop_ctx *c = ctx;
    int found = 0;
    int status = waiting_peek(s, c, &found);
    if (!status && c->new_mark == -2) {
        c->mark = 0;
        status = waiting_peek(s, c, &found);
    }
    if (status || found)
        return status;
    return igm_error(IGMOPT_ENOTFOUND, "%s: study %" PRId64 " has no WAITING trial",
                     s->opt.path, c->study_id);
}

static int waiting_next(sqlite_store *s, pop_ctx *c, int64_t after, int *found)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_WAITING_NEXT, &st);
    if (status)
        return status;
    sqlite3_bind_int64(st, 1, c->study_id);
    sqlite3_bind_int64(st, 2, after);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found) {
        c->trial_id = sqlite3_column_int64(st, 0);
        c->number = sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        status = sql_failure(s, rc, "looking for a WAITING trial");
    }
    stmt_release(st);
    return status;
}

/* The state test in the UPDATE makes the take atomic even against a writer
 * that does not lock as we do (§3). */
static int waiting_take(sqlite_store *s, pop_ctx *c, int *taken)
{
    sqlite3_stmt *st = NULL;
    int status = stmt_get(s, ST_WAITING_TAKE, &st);
    if (status)
        return status;
    bind_text(st, 1, c->now);
    sqlite3_bind_int64(st, 2, c->trial_id);
    status = stmt_run(s, st, "starting a WAITING trial");
    *taken = !status && sqlite3_changes(s->db) == 1;
    return status;
}

/* Under the write lock: the oldest WAITING trial above the mark, taken
 * only if it is still WAITING (another process may have won it). */
static int waiting_take_body(sqlite_store *s, void *ctx)
{
    pop_ctx *c = ctx;
    int found = 1, taken = 0;
    int64_t after = c->mark;
    int status = require_study(s, c->study_id);
    while (!status && found && !taken) {
        status = waiting_next(s, c, after, &found);
        if (!status && found)
            status = waiting_take(s, c, &taken);
        after = c->trial_id;
    }
    if (status)
        return status;
    c->new_mark = taken ? c->trial_id : -1;
    return taken ? IGMOPT_OK
                 : igm_error(IGMOPT_ENOTFOUND, "%s: study %" PRId64 " has no WAITING trial",
                             s->opt.path, c->study_id);
}

static int sqlite_pop_waiting_trial(void *impl, int64_t study_id, int64_t *trial_id,
                                    int64_t *number)
{
    sqlite_store *s = impl;
    pop_ctx c;
    memset(&c, 0, sizeof c);
    c.study_id = study_id;
    c.mark = waiting_mark_get(s, study_id);
    c.new_mark = -1;
    int status = run_transaction(s, TXN_NONE, waiting_peek_body, &c);
    if (!status) {
        igm_datetime_now(c.now);
        status = run_transaction(s, TXN_WRITE, waiting_take_body, &c);
    }
    /* Only a consistent read or a committed take may move the mark. */
    if (c.new_mark >= 0 && (status == IGMOPT_OK || status == IGMOPT_ENOTFOUND))
        waiting_mark_set(s, study_id, c.new_mark);
    if (!status) {
        *trial_id = c.trial_id;
        *number = c.number;
    }
    return status;
}

typedef struct param_ctx {
    int64_t trial_id;
    const char *name;
    double internal;
    const char *distribution_json;
} param_ctx;

static int set_param_body(sqlite_store *s, void *ctx)
{
    param_ctx *c = ctx;
    int status = require_running(s, c->trial_id);
    return status ? status : param_upsert(s, c->trial_id, c->name, c->internal,
                                          c->distribution_json);
}

static int sqlite_set_trial_param(void *impl, int64_t trial_id, const char *name,
                                  double internal, const igm_distribution *d)
{
    int status = check_key("parameter name", name);
    if (status)
        return status;
    if (!d || !isfinite(internal))
        return igm_error(IGMOPT_EINVAL, "parameter '%s': %s", name,
                         d ? "the internal value is not finite" : "no distribution");
    igm_strbuf sb = IGM_STRBUF_INIT;
    param_ctx c = {trial_id, name, internal, NULL};
    igm_distribution_to_json(&sb, d);
    char *json = NULL;
    status = igm_strbuf_finish(&sb, &json);
    c.distribution_json = json;
    if (!status)
        status = run_transaction(impl, TXN_WRITE, set_param_body, &c);
    free(json);
    return status;
}

typedef struct finish_ctx {
    int64_t trial_id;
    igmopt_trial_state state;
    const double *values;
    size_t n_values;
    char now[IGM_DATETIME_LEN];
} finish_ctx;

static int finish_body(sqlite_store *s, void *ctx)
{
    finish_ctx *c = ctx;
    int status = require_running(s, c->trial_id);
    for (size_t i = 0; !status && i < c->n_values; i++)
        status = value_upsert(s, c->trial_id, i, c->values[i]);
    sqlite3_stmt *st = NULL;
    if (!status)
        status = stmt_get(s, ST_TRIAL_FINISH, &st);
    if (status)
        return status;
    sqlite3_bind_text(st, 1, igm_trial_state_name(c->state), -1, SQLITE_STATIC);
    bind_text(st, 2, c->now);
    sqlite3_bind_int64(st, 3, c->trial_id);
    return stmt_run(s, st, "finishing the trial");
}

static int sqlite_finish_trial(void *impl, int64_t trial_id, igmopt_trial_state state,
                               const double *values, size_t n_values)
{
    if (!igm_trial_state_finished(state))
        return igm_error(IGMOPT_EINVAL, "finish_trial: state %d is not a finished state",
                         (int)state);
    if (n_values && !values)
        return igm_error(IGMOPT_EINVAL, "finish_trial: values is NULL");
    for (size_t i = 0; i < n_values; i++)
        if (isnan(values[i]))
            return igm_error(IGMOPT_EINVAL, "finish_trial: value %zu is NaN, which an Optuna "
                             "database cannot hold (§2.3)", i);
    finish_ctx c = {trial_id, state, values, n_values, ""};
    igm_datetime_now(c.now);
    return run_transaction(impl, TXN_WRITE, finish_body, &c);
}

typedef struct intermediate_ctx {
    int64_t trial_id, step;
    double value;
} intermediate_ctx;

static int intermediate_body(sqlite_store *s, void *ctx)
{
    intermediate_ctx *c = ctx;
    int status = require_running(s, c->trial_id);
    return status ? status : intermediate_upsert(s, c->trial_id, c->step, c->value);
}

static int sqlite_set_trial_intermediate(void *impl, int64_t trial_id, int64_t step,
                                         double value)
{
    intermediate_ctx c = {trial_id, step, value};
    return run_transaction(impl, TXN_WRITE, intermediate_body, &c);
}

static int trial_attr_body(sqlite_store *s, void *ctx)
{
    attr_write_ctx *c = ctx;
    int status = require_running(s, c->owner_id);
    return status ? status : attr_upsert(s, c);
}

static int sqlite_set_trial_attr(void *impl, int64_t trial_id, igm_attr_kind kind,
                                 const char *key, const char *value_json)
{
    int status = check_attr(key, value_json);
    if (status)
        return status;
    attr_write_ctx c = {trial_id,
                        kind == IGM_ATTR_SYSTEM ? ST_TRIAL_SYSTEM_ATTR_UPSERT
                                                : ST_TRIAL_USER_ATTR_UPSERT,
                        key, value_json};
    return run_transaction(impl, TXN_WRITE, trial_attr_body, &c);
}

/* ---- reading trials: checks of stored contents ---------------------------- */

static int corrupt(sqlite_store *s, const char *table, int64_t trial_id, const char *column,
                   const char *fmt, ...) IGM_PRINTF(5, 6);

/* Every check of stored contents ends here: the table, trial and column,
 * never a crash (§2.1: only the exact names are legal). */
static int corrupt(sqlite_store *s, const char *table, int64_t trial_id, const char *column,
                   const char *fmt, ...)
{
    char problem[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return igm_error(IGMOPT_ESTORAGE, "%s: corrupt row in table %s, trial_id %" PRId64
                     ", column %s: %s", s->opt.path, table, trial_id, column, problem);
}

static int datetime_from_column(sqlite_store *s, int64_t trial_id, sqlite3_stmt *st, int col,
                                char out[IGM_DATETIME_LEN])
{
    out[0] = '\0';
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return IGMOPT_OK;
    const char *text = column_text(st, col);
    if (sqlite3_column_type(st, col) != SQLITE_TEXT || !text || datetime_normalize(text, out))
        return corrupt(s, "trials", trial_id, sqlite3_column_name(st, col),
                       "'%.40s' is not a datetime", text ? text : "?");
    return IGMOPT_OK;
}

static int trial_from_row(sqlite_store *s, sqlite3_stmt *st, igm_frozen_trial *t)
{
    t->trial_id = sqlite3_column_int64(st, 0);
    if (sqlite3_column_type(st, 1) != SQLITE_INTEGER)
        return corrupt(s, "trials", t->trial_id, "number", "%s instead of an integer",
                       sqlite3_column_type(st, 1) == SQLITE_NULL ? "NULL" : "a non-integer");
    t->number = sqlite3_column_int64(st, 1);
    const char *state = column_text(st, 2);
    int parsed = state ? igm_trial_state_from_name(state) : -1;
    if (parsed < 0)
        return corrupt(s, "trials", t->trial_id, "state", "unknown state '%.40s'",
                       state ? state : "NULL");
    t->state = (igmopt_trial_state)parsed;
    int status = datetime_from_column(s, t->trial_id, st, 3, t->datetime_start);
    return status ? status : datetime_from_column(s, t->trial_id, st, 4, t->datetime_complete);
}

/* The rows of every child table come in one query (ST_READ_CHILDREN), one
 * kind per table, in the same columns: */
enum { COL_TRIAL_ID, COL_KIND, COL_ORDER, COL_NAME, COL_NUMBER, COL_TEXT };

typedef enum child_kind {
    CHILD_PARAM,
    CHILD_VALUE,
    CHILD_INTERMEDIATE,
    CHILD_USER_ATTR,
    CHILD_SYSTEM_ATTR,
    N_CHILD_KINDS
} child_kind;

/* Each kind's table and, per shared column, its own column's name. */
static const struct child_table {
    const char *table, *order, *name, *number, *text;
} child_tables[N_CHILD_KINDS] = {
    [CHILD_PARAM] = {"trial_params", "param_id", "param_name", "param_value",
                     "distribution_json"},
    [CHILD_VALUE] = {"trial_values", "objective", "", "value", "value_type"},
    [CHILD_INTERMEDIATE] = {"trial_intermediate_values", "step", "", "intermediate_value",
                            "intermediate_value_type"},
    [CHILD_USER_ATTR] = {"trial_user_attributes", "trial_user_attribute_id", "key", "",
                         "value_json"},
    [CHILD_SYSTEM_ATTR] = {"trial_system_attributes", "trial_system_attribute_id", "key", "",
                           "value_json"},
};

/* A value with its *_type column (§2.3): FINITE holds a number, the others
 * NULL; NAN is legal only for intermediate values. */
static int typed_value_from_row(sqlite_store *s, sqlite3_stmt *st, child_kind kind,
                                int64_t trial_id, double *out)
{
    const struct child_table *c = &child_tables[kind];
    const char *type = column_text(st, COL_TEXT);
    int is_null = sqlite3_column_type(st, COL_NUMBER) == SQLITE_NULL;
    if (type && strcmp(type, "FINITE") == 0) {
        *out = sqlite3_column_double(st, COL_NUMBER);
        if (is_null || !column_is_number(st, COL_NUMBER) || !isfinite(*out))
            return corrupt(s, c->table, trial_id, c->number, "%s with type FINITE",
                           is_null ? "NULL" : "not a finite number");
        return IGMOPT_OK;
    }
    if (type && strcmp(type, "INF_POS") == 0)
        *out = INFINITY;
    else if (type && strcmp(type, "INF_NEG") == 0)
        *out = -INFINITY;
    else if (type && kind == CHILD_INTERMEDIATE && strcmp(type, "NAN") == 0)
        *out = NAN;
    else
        return corrupt(s, c->table, trial_id, c->text, "unknown value type '%.40s'",
                       type ? type : "NULL");
    if (!is_null)
        return corrupt(s, c->table, trial_id, c->number, "a value with type %s (must be NULL)",
                       type);
    return IGMOPT_OK;
}

#define DIST_CACHE_SIZE 16

/* Trials of a study mostly repeat the same few distribution_json texts;
 * parsing each once per read keeps a full load of a large study cheap. */
typedef struct dist_cache {
    char *json[DIST_CACHE_SIZE];
    igm_distribution *dist[DIST_CACHE_SIZE];
    size_t next;
} dist_cache;

static void dist_cache_clear(dist_cache *c)
{
    for (size_t i = 0; i < DIST_CACHE_SIZE; i++) {
        free(c->json[i]);
        igm_distribution_free(c->dist[i]);
    }
    memset(c, 0, sizeof *c);
}

/* The parsed distribution, owned by the cache until the next call. */
static int dist_cache_get(dist_cache *c, const char *json, const igm_distribution **out)
{
    for (size_t i = 0; i < DIST_CACHE_SIZE; i++)
        if (c->json[i] && strcmp(c->json[i], json) == 0) {
            *out = c->dist[i];
            return IGMOPT_OK;
        }
    igm_distribution *d = NULL;
    int status = igm_distribution_from_json(&d, json);
    if (status)
        return status;
    char *copy = strdup(json);
    if (!copy) {
        igm_distribution_free(d);
        return igm_error_nomem();
    }
    size_t slot = c->next;
    c->next = (c->next + 1) % DIST_CACHE_SIZE;
    free(c->json[slot]);
    igm_distribution_free(c->dist[slot]);
    c->json[slot] = copy;
    c->dist[slot] = d;
    *out = d;
    return IGMOPT_OK;
}

/* A categorical index outside its choices would make every consumer index
 * out of bounds (the dashboard refuses the whole file, DESIGN §3). */
static int param_value_fits(const igm_distribution *d, double internal)
{
    if (d->kind != IGM_DIST_CATEGORICAL)
        return 1;
    return internal >= 0 && internal < (double)d->n_choices && internal == floor(internal);
}

static int param_from_row(sqlite_store *s, sqlite3_stmt *st, dist_cache *dists,
                          igm_frozen_trial *t)
{
    const char *table = child_tables[CHILD_PARAM].table;
    const char *name = column_text(st, COL_NAME), *json = column_text(st, COL_TEXT);
    double internal = sqlite3_column_double(st, COL_NUMBER);
    const igm_distribution *d = NULL;
    if (!name)
        return corrupt(s, table, t->trial_id, "param_name", "NULL");
    if (!column_is_number(st, COL_NUMBER) || !isfinite(internal))
        return corrupt(s, table, t->trial_id, "param_value", "not a finite number (param "
                       "%.60s)", name);
    if (!json)
        return corrupt(s, table, t->trial_id, "distribution_json", "NULL (param %.60s)", name);
    if (dist_cache_get(dists, json, &d))
        return igm_error_wrap(IGMOPT_ESTORAGE, "%s: corrupt row in table %s, trial_id %" PRId64
                              ", column distribution_json (param %.60s)", s->opt.path, table,
                              t->trial_id, name);
    if (!param_value_fits(d, internal))
        return corrupt(s, table, t->trial_id, "param_value", "%g is not a choice index of "
                       "param %.60s", internal, name);
    return igm_frozen_trial_add_param(t, name, internal, d);
}

/* The reader sizes a trial's values by its row count and indexes them by
 * objective (§2.3), so the objectives must run 0..n-1. */
static int value_from_row(sqlite_store *s, sqlite3_stmt *st, igm_frozen_trial *t)
{
    int64_t objective = sqlite3_column_int64(st, COL_ORDER);
    if (objective != (int64_t)t->n_values)
        return corrupt(s, "trial_values", t->trial_id, "objective", "objective %" PRId64
                       " where %zu was expected (objectives must run 0..n-1)", objective,
                       t->n_values);
    double v;
    int status = typed_value_from_row(s, st, CHILD_VALUE, t->trial_id, &v);
    if (status)
        return status;
    double *grown = realloc(t->values, (t->n_values + 1) * sizeof *grown);
    if (!grown)
        return igm_error_nomem();
    t->values = grown;
    t->values[t->n_values++] = v;
    return IGMOPT_OK;
}

static int intermediate_from_row(sqlite_store *s, sqlite3_stmt *st, igm_frozen_trial *t)
{
    double v;
    int status = typed_value_from_row(s, st, CHILD_INTERMEDIATE, t->trial_id, &v);
    return status ? status
                  : igm_frozen_trial_set_intermediate(t, sqlite3_column_int64(st, COL_ORDER), v);
}

/* Attr value_json stays raw text: it may hold NaN/Infinity tokens (§2.4). */
static int attr_from_row(sqlite_store *s, sqlite3_stmt *st, child_kind kind,
                         igm_frozen_trial *t)
{
    const char *key = column_text(st, COL_NAME), *value = column_text(st, COL_TEXT);
    if (!key || !value)
        return corrupt(s, child_tables[kind].table, t->trial_id, key ? "value_json" : "key",
                       "NULL");
    return igm_attr_list_set(kind == CHILD_SYSTEM_ATTR ? &t->system_attrs : &t->user_attrs, key,
                             value);
}

static int child_from_row(sqlite_store *s, sqlite3_stmt *st, dist_cache *dists,
                          igm_frozen_trial *t)
{
    switch (sqlite3_column_int(st, COL_KIND)) {
    case CHILD_PARAM:
        return param_from_row(s, st, dists, t);
    case CHILD_VALUE:
        return value_from_row(s, st, t);
    case CHILD_INTERMEDIATE:
        return intermediate_from_row(s, st, t);
    case CHILD_USER_ATTR:
        return attr_from_row(s, st, CHILD_USER_ATTR, t);
    default:
        return attr_from_row(s, st, CHILD_SYSTEM_ATTR, t);
    }
}

/* ---- reading trials ------------------------------------------------------ */

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
    int status = stmt_get(s, id, out);
    if (status)
        return status;
    sqlite3_bind_int64(*out, 1, c->study_id);
    sqlite3_bind_int64(*out, 2, c->after);
    bind_text(*out, 3, c->also_json);
    return IGMOPT_OK;
}

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

static int read_trial_rows(sqlite_store *s, read_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int status = read_query(s, c, ST_READ_TRIALS, &st);
    if (status)
        return status;
    int rc;
    while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        igm_frozen_trial *t = igm_frozen_trial_new();
        status = t ? trial_from_row(s, st, t) : igm_error_nomem();
        if (!status)
            status = trial_push(c, t);
        if (status)
            igm_frozen_trial_free(t);
    }
    if (!status && rc != SQLITE_DONE)
        status = sql_failure(s, rc, "reading trials");
    stmt_release(st);
    return status;
}

/* Child rows come sorted by trial_id like c->trials: a cursor finds each
 * row's trial in O(1) amortised. */
static igm_frozen_trial *trial_at_cursor(read_ctx *c, size_t *cursor, int64_t trial_id)
{
    while (*cursor < c->n && c->trials[*cursor]->trial_id < trial_id)
        (*cursor)++;
    return *cursor < c->n && c->trials[*cursor]->trial_id == trial_id ? c->trials[*cursor] : NULL;
}

static int read_children(sqlite_store *s, read_ctx *c)
{
    sqlite3_stmt *st = NULL;
    int status = read_query(s, c, ST_READ_CHILDREN, &st);
    if (status)
        return status;
    size_t cursor = 0;
    int rc;
    while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        igm_frozen_trial *t = trial_at_cursor(c, &cursor, sqlite3_column_int64(st, COL_TRIAL_ID));
        if (t)
            status = child_from_row(s, st, &c->dists, t);
    }
    if (!status && rc != SQLITE_DONE)
        status = sql_failure(s, rc, "reading trials");
    stmt_release(st);
    return status;
}

/* Two queries in one read transaction, so they agree.  A study is known to
 * exist when it has trials (delete_study removes both in one transaction). */
static int read_trials_body(sqlite_store *s, void *ctx)
{
    read_ctx *c = ctx;
    int status = read_trial_rows(s, c);
    if (!status && c->n)
        status = read_children(s, c);
    else if (!status)
        status = require_study(s, c->study_id);
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

static int sqlite_read_trials(void *impl, int64_t study_id, int64_t after_trial_id,
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
        status = run_transaction(impl, TXN_READ, read_trials_body, &c);
    dist_cache_clear(&c.dists);
    free(also_json);
    if (!status && !c.trials && !(c.trials = malloc(sizeof *c.trials)))
        status = igm_error_nomem();
    if (status)
        return status;
    *out = c.trials;
    *n_out = c.n;
    return IGMOPT_OK;
}

/* ---- the backend -------------------------------------------------------- */

static const igm_storage_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .create_study = sqlite_create_study,
    .find_study = sqlite_find_study,
    .delete_study = sqlite_delete_study,
    .study_names = sqlite_study_names,
    .set_study_attr = sqlite_set_study_attr,
    .get_study_attrs = sqlite_get_study_attrs,
    .create_trial = sqlite_create_trial,
    .pop_waiting_trial = sqlite_pop_waiting_trial,
    .set_trial_param = sqlite_set_trial_param,
    .finish_trial = sqlite_finish_trial,
    .set_trial_intermediate = sqlite_set_trial_intermediate,
    .set_trial_attr = sqlite_set_trial_attr,
    .read_trials = sqlite_read_trials,
};

int igm_sqlite_storage_open(igmopt_storage **out, const char *url)
{
    if (!out)
        return igm_error(IGMOPT_EINVAL, "igm_sqlite_storage_open: out is NULL");
    *out = NULL;
    igmopt_storage *st = malloc(sizeof *st);
    sqlite_store *s = calloc(1, sizeof *s);
    if (!st || !s) {
        free(st);
        free(s);
        return igm_error_nomem();
    }
    s->rng = jitter_seed(s);
    int status = options_parse(&s->opt, url);
    if (!status)
        status = connection_open(s);
    if (!status)
        status = schema_prepare(s);
    if (!status)
        status = journal_mode_apply(s);
    if (status) {
        store_close(s);
        free(st);
        return status;
    }
    st->ops = &sqlite_ops;
    st->impl = s;
    *out = st;
    return IGMOPT_OK;
}
