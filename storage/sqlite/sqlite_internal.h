/* What the .c files of storage/sqlite/ share: the connection handle, the ids
 * of the statements it keeps prepared, transactions with retry, and the
 * helpers every SQL call goes through.  Not installed. */
#ifndef IGM_SQLITE_INTERNAL_H
#define IGM_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/distribution.h"
#include "lib/frozen_trial.h"
#include "storage/storage.h"

#define STAMP_LEGACY "v3.0.0.d"  /* Optuna 3.0-3.1 (§1.4) */
#define STAMP_CURRENT "v3.2.0.a" /* Optuna 3.2-5.0 (§1.4) */

/* Internal status of a step that met a busy lock: the whole transaction is
 * retried (never surfaced while the deadline has not passed). */
#define RETRY 1

/* ---- the handle (connection.c) ------------------------------------------ */

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
    ST_TRIAL_COUNT_STARTED,
    ST_TRIAL_SET_NUMBER,
    ST_TRIAL_STATE,
    ST_TRIAL_FINISH,
    ST_WAITING_NEXT,
    ST_WAITING_TAKE,
    ST_WAITING_PEEK,
    ST_PARAM_UPSERT,
    ST_PARAM_UPSERT_IF_RUNNING,
    ST_VALUE_UPSERT,
    ST_INTERMEDIATE_UPSERT,
    ST_TRIAL_USER_ATTR_UPSERT,
    ST_TRIAL_SYSTEM_ATTR_UPSERT,
    ST_READ_TRIALS,
    ST_HEARTBEAT_UPSERT,
    ST_STALE_TRIALS,
    ST_READ_CHILDREN,
    N_STMT
} stmt_id;

typedef struct sqlite_options {
    char *path;
    const char *stamp;     /* written into a new file */
    char journal_mode[16]; /* "" = our policy (WAL on local disks) */
    char synchronous[16];  /* "" = NORMAL with WAL, SQLite's default otherwise */
    double timeout_s;
} sqlite_options;

#define WAITING_MARKS 8

/* Per study: no trial with an id up to `trial_id` is WAITING (see
 * trial_waiting.c). */
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

/* ---- URL options (url_options.c) ---------------------------------------- */

int igm_sqlite_options_parse(sqlite_options *o, const char *url);

/* ---- transactions, busy waits and back-off (transaction.c) -------------- */

typedef int (*txn_body)(sqlite_store *s, void *ctx);

typedef enum txn_kind { TXN_WRITE, TXN_READ, TXN_NONE } txn_kind;

int64_t igm_sqlite_now_ns(void);
void igm_sqlite_sleep_ns(int64_t ns);
/* A random pause of 0.5 to 1.5 times base_ns. */
int64_t igm_sqlite_jitter_ns(sqlite_store *s, int64_t base_ns);
/* SQLite's busy handler; arg is the store. */
int igm_sqlite_on_busy(void *arg, int count);
/* Runs body in a transaction (TXN_NONE: none, but retried the same way),
 * retrying the whole of it with jitter while the file is merely busy. */
int igm_sqlite_run_transaction(sqlite_store *s, txn_kind kind, txn_body body, void *ctx);

/* ---- schema and journal mode (schema*.c, journal_mode.c) ---------------- */

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

/* The schema's tables and indexes in sqlite_master order (schema_ddl.c;
 * a count that does not match its initializer does not compile). */
#define N_SCHEMA_OBJECTS 15

extern const schema_object igm_sqlite_schema_objects[N_SCHEMA_OBJECTS];

int igm_sqlite_schema_prepare(sqlite_store *s);
int igm_sqlite_journal_mode_apply(sqlite_store *s);
void igm_sqlite_leave_wal(sqlite_store *s);

/* ---- statements (statements.c, execute.c) ------------------------------- */

extern const char *const igm_sqlite_stmt_sql[N_STMT];

/* The columns of ST_READ_CHILDREN: every child row of the trials read, one
 * kind per table, in the same columns. */
enum { COL_TRIAL_ID, COL_KIND, COL_ORDER, COL_NAME, COL_NUMBER, COL_TEXT };

/* COL_KIND's values, as ST_READ_CHILDREN writes them. */
typedef enum child_kind {
    CHILD_PARAM,
    CHILD_VALUE,
    CHILD_INTERMEDIATE,
    CHILD_USER_ATTR,
    CHILD_SYSTEM_ATTR,
    N_CHILD_KINDS
} child_kind;

/* Maps a failed SQLite call to our status (call before resetting). */
int igm_sqlite_failure(sqlite_store *s, int rc, const char *what);
/* The statement, prepared on first use and kept until close. */
int igm_sqlite_stmt_get(sqlite_store *s, stmt_id id, sqlite3_stmt **out);
/* The same with ?1.. bound to the n_ids ids. */
int igm_sqlite_stmt_get_ids(sqlite_store *s, stmt_id id, const int64_t *ids, size_t n_ids,
                            sqlite3_stmt **out);
void igm_sqlite_stmts_finalize(sqlite_store *s);
void igm_sqlite_stmt_release(sqlite3_stmt *st);

typedef int (*row_fn)(sqlite_store *s, sqlite3_stmt *st, void *ctx);

/* Steps a statement to its end, handing each row to on_row (NULL: rows
 * ignored) until one fails, and releases it. */
int igm_sqlite_each_row(sqlite_store *s, sqlite3_stmt *st, row_fn on_row, void *ctx,
                        const char *what);
int igm_sqlite_stmt_run(sqlite_store *s, sqlite3_stmt *st, const char *what);
int igm_sqlite_run_id(sqlite_store *s, stmt_id id, const char *what);
/* A statement run once (schema work, deletes): not worth keeping prepared.
 * Run it with igm_sqlite_run_finalize. */
int igm_sqlite_prepare_once(sqlite_store *s, const char *sql, sqlite3_stmt **st,
                            const char *what);
int igm_sqlite_run_finalize(sqlite_store *s, sqlite3_stmt *st, const char *what);
/* prepare_once and run_finalize, with ?1 bound to *id unless id is NULL. */
int igm_sqlite_run_once(sqlite_store *s, const char *sql, const int64_t *id, const char *what);
/* "PRAGMA name=value"; result (if not NULL) receives its first column. */
int igm_sqlite_pragma_set(sqlite_store *s, const char *name, const char *value, char *result,
                          size_t size);

void igm_sqlite_bind_text(sqlite3_stmt *st, int col, const char *text);
/* "" means NULL for the datetimes of a frozen trial. */
void igm_sqlite_bind_datetime(sqlite3_stmt *st, int col, const char *dt);
const char *igm_sqlite_column_text(sqlite3_stmt *st, int col);
int igm_sqlite_column_is_number(sqlite3_stmt *st, int col);
void igm_sqlite_copy_column_text(sqlite3_stmt *st, int col, char *out, size_t size);

/* ---- encodings of Optuna's columns (encodings.c) ------------------------ */

/* Study names, parameter names, attribute keys: not NULL, at most 512
 * characters (VARCHAR(512), §1.1). */
int igm_sqlite_check_key(const char *what, const char *key);
const char *igm_sqlite_direction_name(igmopt_direction d);
int igm_sqlite_direction_from_name(const char *name, igmopt_direction *out);
/* A value column and its *_type column (§2.3). */
void igm_sqlite_bind_typed_value(sqlite3_stmt *st, int value_col, int type_col, double v);
int igm_sqlite_datetime_normalize(const char *text, char out[IGM_DATETIME_LEN]);

/* ---- the operations the storage interface names ------------------------- */

/* study.c */
int igm_sqlite_require_study(sqlite_store *s, int64_t study_id);
int igm_sqlite_create_study(void *impl, const char *name, const igmopt_direction *dirs,
                            size_t n_dirs, int64_t *study_id);
int igm_sqlite_find_study(void *impl, const char *name, int64_t *study_id,
                          igmopt_direction **dirs, size_t *n_dirs);
int igm_sqlite_delete_study(void *impl, int64_t study_id);
int igm_sqlite_study_names(void *impl, char ***names, size_t *n);

/* attributes.c */
int igm_sqlite_check_attr(const char *key, const char *value_json);
int igm_sqlite_set_study_attr(void *impl, int64_t study_id, igm_attr_kind kind,
                              const char *key, const char *value_json);
int igm_sqlite_get_study_attrs(void *impl, int64_t study_id, igm_attr_kind kind,
                               igm_attr_list *out);
int igm_sqlite_set_trial_attr(void *impl, int64_t trial_id, igm_attr_kind kind,
                              const char *key, const char *value_json);
/* A trial's attributes of one kind, inside the caller's transaction. */
int igm_sqlite_trial_attrs_upsert(sqlite_store *s, int64_t trial_id, igm_attr_kind kind,
                                  const igm_attr_list *l);

/* trial_create.c */
int igm_sqlite_create_trial(void *impl, int64_t study_id, const igm_frozen_trial *tmpl,
                            int64_t max_started, int64_t *trial_id, int64_t *number);
/* IGMOPT_ELIMIT when the study holds max_started (> 0) trials that are not
 * WAITING; inside the caller's write transaction. */
int igm_sqlite_require_budget(sqlite_store *s, int64_t study_id, int64_t max_started);

/* heartbeat.c */
int igm_sqlite_record_heartbeat(void *impl, int64_t trial_id);
int igm_sqlite_fail_stale_trials(void *impl, int64_t study_id, const char *stale_before,
                                 const char *reason_json, int64_t **numbers, size_t *n);

/* trial_waiting.c */
int igm_sqlite_pop_waiting_trial(void *impl, int64_t study_id, int64_t max_started,
                                 int64_t *trial_id, int64_t *number);
/* Deleted trial ids at the top may be reused by any study: start over. */
void igm_sqlite_waiting_marks_forget(sqlite_store *s);

/* trial_write.c; the upserts run inside the caller's transaction. */
int igm_sqlite_require_running(sqlite_store *s, int64_t trial_id);
int igm_sqlite_param_upsert(sqlite_store *s, int64_t trial_id, const igm_param *p);
int igm_sqlite_value_upsert(sqlite_store *s, int64_t trial_id, size_t objective, double v);
int igm_sqlite_intermediate_upsert(sqlite_store *s, int64_t trial_id, int64_t step,
                                   double v);
int igm_sqlite_set_trial_param(void *impl, int64_t trial_id, const char *name,
                               double internal, const igm_distribution *d);
int igm_sqlite_finish_trial(void *impl, int64_t trial_id, igmopt_trial_state state,
                            const double *values, size_t n_values);
int igm_sqlite_set_trial_intermediate(void *impl, int64_t trial_id, int64_t step,
                                      double value);

/* ---- reading trials (trial_read.c, trial_rows.c, dist_cache.c) ---------- */

#define DIST_CACHE_SIZE 16

/* Parsed distribution_json texts, for one read (dist_cache.c). */
typedef struct dist_cache {
    char *json[DIST_CACHE_SIZE];
    igm_distribution *dist[DIST_CACHE_SIZE];
    size_t next;
} dist_cache;

void igm_sqlite_dist_cache_clear(dist_cache *c);
/* The parsed distribution, owned by the cache until the next call. */
int igm_sqlite_dist_cache_get(dist_cache *c, const char *json, const igm_distribution **out);

/* A row of ST_READ_TRIALS into t, checked. */
int igm_sqlite_trial_from_row(sqlite_store *s, sqlite3_stmt *st, igm_frozen_trial *t);
/* A row of ST_READ_CHILDREN into its trial t, checked. */
int igm_sqlite_child_from_row(sqlite_store *s, sqlite3_stmt *st, dist_cache *dists,
                              igm_frozen_trial *t);
int igm_sqlite_read_trials(void *impl, int64_t study_id, int64_t after_trial_id,
                           const int64_t *also_ids, size_t n_also, igm_frozen_trial ***out,
                           size_t *n_out);

#endif
