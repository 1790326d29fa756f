/* What only the SQLite backend does: the file it writes (DDL, stamps, value
 * encodings), the files it refuses, URLs, journal modes, many processes on
 * one file, and corrupt rows.  Generic storage behaviour is test_storage.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/distribution.h"
#include "lib/error.h"
#include "lib/frozen_trial.h"
#include "storage/storage.h"

/* OPTUNA-STORAGE.md §1.1, as sqlite_master holds it (the order Optuna's
 * SQLAlchemy creates objects; v3.2.0.a adds ix_trials_study_id after
 * trials). */
static const char *const optuna_ddl[] = {
    "CREATE TABLE studies (\n"
    "\tstudy_id INTEGER NOT NULL, \n"
    "\tstudy_name VARCHAR(512) NOT NULL, \n"
    "\tPRIMARY KEY (study_id)\n"
    ")",
    "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
    "CREATE TABLE version_info (\n"
    "\tversion_info_id INTEGER NOT NULL, \n"
    "\tschema_version INTEGER, \n"
    "\tlibrary_version VARCHAR(256), \n"
    "\tPRIMARY KEY (version_info_id), \n"
    "\tCHECK (version_info_id=1)\n"
    ")",
    "CREATE TABLE study_directions (\n"
    "\tstudy_direction_id INTEGER NOT NULL, \n"
    "\tdirection VARCHAR(8) NOT NULL, \n"
    "\tstudy_id INTEGER NOT NULL, \n"
    "\tobjective INTEGER NOT NULL, \n"
    "\tPRIMARY KEY (study_direction_id), \n"
    "\tUNIQUE (study_id, objective), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE study_user_attributes (\n"
    "\tstudy_user_attribute_id INTEGER NOT NULL, \n"
    "\tstudy_id INTEGER, \n"
    "\t\"key\" VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (study_user_attribute_id), \n"
    "\tUNIQUE (study_id, \"key\"), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE study_system_attributes (\n"
    "\tstudy_system_attribute_id INTEGER NOT NULL, \n"
    "\tstudy_id INTEGER, \n"
    "\t\"key\" VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (study_system_attribute_id), \n"
    "\tUNIQUE (study_id, \"key\"), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE TABLE trials (\n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\tnumber INTEGER, \n"
    "\tstudy_id INTEGER, \n"
    "\tstate VARCHAR(8) NOT NULL, \n"
    "\tdatetime_start DATETIME, \n"
    "\tdatetime_complete DATETIME, \n"
    "\tPRIMARY KEY (trial_id), \n"
    "\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n"
    ")",
    "CREATE INDEX ix_trials_study_id ON trials (study_id)",
    "CREATE TABLE trial_user_attributes (\n"
    "\ttrial_user_attribute_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\t\"key\" VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (trial_user_attribute_id), \n"
    "\tUNIQUE (trial_id, \"key\"), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_system_attributes (\n"
    "\ttrial_system_attribute_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\t\"key\" VARCHAR(512), \n"
    "\tvalue_json TEXT, \n"
    "\tPRIMARY KEY (trial_system_attribute_id), \n"
    "\tUNIQUE (trial_id, \"key\"), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_params (\n"
    "\tparam_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER, \n"
    "\tparam_name VARCHAR(512), \n"
    "\tparam_value FLOAT, \n"
    "\tdistribution_json TEXT, \n"
    "\tPRIMARY KEY (param_id), \n"
    "\tUNIQUE (trial_id, param_name), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_values (\n"
    "\ttrial_value_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\tobjective INTEGER NOT NULL, \n"
    "\tvalue FLOAT, \n"
    "\tvalue_type VARCHAR(7) NOT NULL, \n"
    "\tPRIMARY KEY (trial_value_id), \n"
    "\tUNIQUE (trial_id, objective), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_intermediate_values (\n"
    "\ttrial_intermediate_value_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\tstep INTEGER NOT NULL, \n"
    "\tintermediate_value FLOAT, \n"
    "\tintermediate_value_type VARCHAR(7) NOT NULL, \n"
    "\tPRIMARY KEY (trial_intermediate_value_id), \n"
    "\tUNIQUE (trial_id, step), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE trial_heartbeats (\n"
    "\ttrial_heartbeat_id INTEGER NOT NULL, \n"
    "\ttrial_id INTEGER NOT NULL, \n"
    "\theartbeat DATETIME NOT NULL, \n"
    "\tPRIMARY KEY (trial_heartbeat_id), \n"
    "\tUNIQUE (trial_id), \n"
    "\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n"
    ")",
    "CREATE TABLE alembic_version (\n"
    "\tversion_num VARCHAR(32) NOT NULL, \n"
    "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
    ")",
};

#define N_DDL (sizeof optuna_ddl / sizeof *optuna_ddl)

/* ---- fixture: a fresh temp dir per test ---------------------------------- */

typedef struct fixture {
    char dir[64];
    char path[128]; /* dir/test.db */
    char url[160];  /* sqlite:////dir/test.db */
} fixture;

static int dir_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/igm-test-sqlite-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
    snprintf(f->url, sizeof f->url, "sqlite:///%s", f->path);
    *state = f;
    return 0;
}

static int dir_teardown(void **state)
{
    fixture *f = *state;
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

/* ---- helpers --------------------------------------------------------------- */

static igmopt_storage *open_ok(const char *url)
{
    igmopt_storage *st = NULL;
    int rc = igm_sqlite_storage_open(&st, url);
    if (rc != IGMOPT_OK)
        print_error("open %s: %s\n", url, igm_error_message());
    assert_int_equal(rc, IGMOPT_OK);
    return st;
}

static void with_url(char *out, size_t size, const fixture *f, const char *query)
{
    snprintf(out, size, "%s%s", f->url, query);
}

/* A second, plain SQLite connection: what Optuna or a dashboard would see. */
static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    return db;
}

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        print_error("%s: %s\n", sql, err);
    assert_null(err);
    sqlite3_close(db);
}

/* Rows of a one-column query joined by "\n" (NULL shown as "NULL"). */
static char *raw_column(const char *path, const char *sql)
{
    sqlite3 *db = raw_open(path);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    char *out = calloc(1, 1);
    size_t len = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(st, 0);
        if (!text)
            text = "NULL";
        out = realloc(out, len + strlen(text) + 2);
        assert_non_null(out);
        len += (size_t)sprintf(out + len, "%s%s", len ? "\n" : "", text);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void assert_raw(const char *path, const char *sql, const char *expected)
{
    char *got = raw_column(path, sql);
    assert_string_equal(got, expected);
    free(got);
}

static char *file_contents(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *size = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *data = malloc(*size ? *size : 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, *size, fp), *size);
    fclose(fp);
    return data;
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Header bytes 18-19: 1 = rollback journal, 2 = WAL (sqlite.org/fileformat). */
static int header_says_wal(const char *path)
{
    unsigned char header[20];
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(header, 1, sizeof header, fp), sizeof header);
    fclose(fp);
    return header[18] == 2 && header[19] == 2;
}

static char *expected_ddl(int with_study_index)
{
    size_t size = 1;
    for (size_t i = 0; i < N_DDL; i++)
        size += strlen(optuna_ddl[i]) + 1;
    char *out = calloc(1, size);
    assert_non_null(out);
    for (size_t i = 0; i < N_DDL; i++) {
        if (!with_study_index && strstr(optuna_ddl[i], "ix_trials_study_id"))
            continue;
        if (out[0])
            strcat(out, "\n");
        strcat(out, optuna_ddl[i]);
    }
    return out;
}

static void assert_optuna_ddl(const char *path, int with_study_index)
{
    char *want = expected_ddl(with_study_index);
    assert_raw(path, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid", want);
    free(want);
}

static const igmopt_direction minimize[] = {IGMOPT_MINIMIZE};

static int64_t new_study(igmopt_storage *st, const char *name)
{
    int64_t id;
    assert_int_equal(st->ops->create_study(st->impl, name, minimize, 1, &id), IGMOPT_OK);
    return id;
}

static int64_t new_trial(igmopt_storage *st, int64_t study_id)
{
    int64_t id, number;
    assert_int_equal(st->ops->create_trial(st->impl, study_id, NULL, 0, &id, &number), IGMOPT_OK);
    return id;
}

static void free_trials(igm_frozen_trial **trials, size_t n)
{
    for (size_t i = 0; i < n; i++)
        igm_frozen_trial_free(trials[i]);
    free(trials);
}

static void assert_error_mentions(const char *a, const char *b, const char *c)
{
    const char *msg = igm_error_message();
    const char *parts[] = {a, b, c};
    for (size_t i = 0; i < 3; i++)
        if (parts[i] && !strstr(msg, parts[i])) {
            print_error("message '%s' lacks '%s'\n", msg, parts[i]);
            fail();
        }
}

/* Forks n children running child(i, arg) after a common start signal;
 * each child's return value is its exit status.  Returns how many failed. */
static int run_processes(int n, int (*child)(int, void *), void *arg)
{
    int start[2];
    pid_t pids[64];
    assert_true(n <= 64);
    assert_int_equal(pipe(start), 0);
    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            char go;
            close(start[1]);
            if (read(start[0], &go, 1) < 0)
                _exit(3);
            _exit(child(i, arg));
        }
    }
    close(start[0]);
    close(start[1]); /* EOF starts every child at once */
    int failed = 0;
    for (int i = 0; i < n; i++) {
        int status;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    return failed;
}

/* ---- the file we write ------------------------------------------------------ */

static void test_fresh_file_has_optuna_ddl_with_study_index(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    igmopt_storage_close(st);
    assert_optuna_ddl(f->path, 1);
}

static void test_fresh_legacy_file_has_optuna_3_1_ddl(void **state)
{
    fixture *f = *state;
    char url[256];
    with_url(url, sizeof url, f, "?schema=v3.0.0.d");
    igmopt_storage *st = open_ok(url);
    igmopt_storage_close(st);
    assert_optuna_ddl(f->path, 0);
    assert_raw(f->path, "SELECT version_num FROM alembic_version", "v3.0.0.d");
    assert_raw(f->path, "SELECT version_info_id || '|' || schema_version || '|' || "
               "library_version FROM version_info",
               "1|12|libigmopt 0.1.0 (schema v3.0.0.d)");
}

static void test_fresh_file_is_stamped_v3_2_0_a_with_version_info(void **state)
{
    fixture *f = *state;
    igmopt_storage_close(open_ok(f->url));
    assert_raw(f->path, "SELECT version_num FROM alembic_version", "v3.2.0.a");
    assert_raw(f->path, "SELECT version_info_id || '|' || schema_version || '|' || "
               "library_version FROM version_info",
               "1|12|libigmopt 0.1.0 (schema v3.2.0.a)");
}

static void test_existing_file_keeps_its_stamp_and_indexes(void **state)
{
    fixture *f = *state;
    char url[256];
    with_url(url, sizeof url, f, "?schema=v3.0.0.d");
    igmopt_storage_close(open_ok(url));
    with_url(url, sizeof url, f, "?schema=v3.2.0.a");
    igmopt_storage *st = open_ok(url);
    new_trial(st, new_study(st, "s"));
    igmopt_storage_close(st);
    assert_raw(f->path, "SELECT version_num FROM alembic_version", "v3.0.0.d");
    assert_optuna_ddl(f->path, 0);
}

static void test_unknown_stamp_is_refused_and_file_left_unchanged(void **state)
{
    fixture *f = *state;
    igmopt_storage_close(open_ok(f->url));
    raw_exec(f->path, "UPDATE alembic_version SET version_num = 'v9.9.9.z'");
    size_t size_before, size_after;
    char *before = file_contents(f->path, &size_before);

    igmopt_storage *st = NULL;
    assert_int_equal(igm_sqlite_storage_open(&st, f->url), IGMOPT_EVERSION);
    assert_null(st);
    assert_error_mentions("v9.9.9.z", "v3.0.0.d", "v3.2.0.a");
    assert_error_mentions(f->path, "libigmopt 0.1.0", NULL);

    char *after = file_contents(f->path, &size_after);
    assert_int_equal(size_after, size_before);
    assert_memory_equal(after, before, size_before);
    free(before);
    free(after);
}

static void test_old_schema_version_without_stamp_is_refused(void **state)
{
    fixture *f = *state;
    raw_exec(f->path, "CREATE TABLE version_info (version_info_id INTEGER NOT NULL, "
                      "schema_version INTEGER, library_version VARCHAR(256), "
                      "PRIMARY KEY (version_info_id)); "
                      "INSERT INTO version_info VALUES (1, 11, '1.5.0');");
    igmopt_storage *st = NULL;
    assert_int_equal(igm_sqlite_storage_open(&st, f->url), IGMOPT_EVERSION);
    assert_error_mentions("schema_version 11", "1.5.0", NULL);
    assert_raw(f->path, "SELECT count(*) FROM sqlite_master", "1");
}

static void test_unstamped_optuna_tables_get_stamped_like_optuna_does(void **state)
{
    fixture *f = *state;
    igmopt_storage_close(open_ok(f->url));
    raw_exec(f->path, "DROP TABLE alembic_version");
    igmopt_storage *st = open_ok(f->url);
    igmopt_storage_close(st);
    assert_raw(f->path, "SELECT version_num FROM alembic_version", "v3.2.0.a");
    assert_optuna_ddl(f->path, 1);
}

static void test_text_file_is_not_a_database(void **state)
{
    fixture *f = *state;
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    fputs("x,y\n1,2\nthis is a CSV file, not SQLite\n", fp);
    fclose(fp);
    igmopt_storage *st = NULL;
    assert_int_equal(igm_sqlite_storage_open(&st, f->url), IGMOPT_ESTORAGE);
    assert_null(st);
    assert_error_mentions(f->path, "not an SQLite database", NULL);
}

/* Opened, a FIFO blocks and a device fails at COMMIT after a journal was
 * created beside it: refused before SQLite sees them. */
static void test_a_path_that_is_not_a_regular_file_is_refused_before_opening(void **state)
{
    fixture *f = *state;
    static const char *const kinds[] = {"a FIFO", "a directory", "a character device"};
    char fifo[100], dir[100], url[200], expected[300];
    const char *paths[] = {fifo, dir, "/dev/null"};
    igmopt_storage *st;
    snprintf(fifo, sizeof fifo, "%s/fifo.db", f->dir);
    snprintf(dir, sizeof dir, "%s/dir.db", f->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(mkdir(dir, 0700), 0);
    for (size_t i = 0; i < 3; i++) {
        snprintf(url, sizeof url, "sqlite:///%s?timeout=1", paths[i]);
        assert_int_equal(igm_sqlite_storage_open(&st, url), IGMOPT_ESTORAGE);
        assert_null(st);
        snprintf(expected, sizeof expected, "%s: not a regular file (it is %s): the database "
                 "must be one, or not exist yet", paths[i], kinds[i]);
        assert_string_equal(igm_error_message(), expected);
        assert_int_equal(igm_sqlite_file_check(url), IGMOPT_ESTORAGE);
        assert_string_equal(igm_error_message(), expected);
    }
    assert_int_equal(igm_sqlite_file_check(f->url), IGMOPT_OK); /* not there yet */
    igmopt_storage_close(open_ok(f->url));
    assert_int_equal(igm_sqlite_file_check(f->url), IGMOPT_OK);
}

/* SQLite creates a dangling link's target, so a link is refused only if
 * that target's directory is missing (else SQLite says only "unable to
 * open database file"). */
static void test_a_link_to_a_missing_directory_is_refused_before_opening(void **state)
{
    fixture *f = *state;
    char link[100], hop[100], url[200], expected[400];
    igmopt_storage *st;
    snprintf(link, sizeof link, "%s/link.db", f->dir);
    snprintf(hop, sizeof hop, "%s/hop.db", f->dir);
    snprintf(url, sizeof url, "sqlite:///%s", link);
    assert_int_equal(symlink("hop.db", link), 0);
    assert_int_equal(symlink("/nonexistent/x.db", hop), 0);
    snprintf(expected, sizeof expected, "%s: a symbolic link to the missing /nonexistent/x.db, "
             "whose directory /nonexistent does not exist: the database cannot be created "
             "there", link);
    assert_int_equal(igm_sqlite_file_check(url), IGMOPT_ESTORAGE);
    assert_string_equal(igm_error_message(), expected);
    assert_int_equal(igm_sqlite_storage_open(&st, url), IGMOPT_ESTORAGE);
    assert_string_equal(igm_error_message(), expected);
    assert_int_equal(unlink(hop), 0);
    assert_int_equal(symlink("made.db", hop), 0);
    assert_int_equal(igm_sqlite_file_check(url), IGMOPT_OK);
    igmopt_storage_close(open_ok(url));
    assert_int_equal(igm_sqlite_file_check(url), IGMOPT_OK);
}

static void test_foreign_database_is_refused_and_untouched(void **state)
{
    fixture *f = *state;
    raw_exec(f->path, "CREATE TABLE inventory (item TEXT, qty INTEGER);"
                      "INSERT INTO inventory VALUES ('bolts', 12);");
    size_t size_before, size_after;
    char *before = file_contents(f->path, &size_before);
    igmopt_storage *st = NULL;
    assert_int_equal(igm_sqlite_storage_open(&st, f->url), IGMOPT_ESTORAGE);
    assert_error_mentions(f->path, "not an Optuna database", NULL);
    char *after = file_contents(f->path, &size_after);
    assert_int_equal(size_after, size_before);
    assert_memory_equal(after, before, size_before);
    free(before);
    free(after);
}

static void test_stored_encodings_are_optuna_s(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    const igmopt_direction dirs[] = {IGMOPT_MAXIMIZE, IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE};
    int64_t study, id;
    assert_int_equal(st->ops->create_study(st->impl, "mo", dirs, 3, &study), IGMOPT_OK);
    id = new_trial(st, study);
    igm_distribution *d;
    assert_int_equal(igm_distribution_float(&d, "x", -10.0, 10.0, 0.0, 0), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_param(st->impl, id, "x", 2.5, d), IGMOPT_OK);
    igm_distribution_free(d);
    assert_int_equal(st->ops->set_trial_intermediate(st->impl, id, 0, NAN), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_intermediate(st->impl, id, 1, -INFINITY), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_intermediate(st->impl, id, 2, 0.5), IGMOPT_OK);
    const double values[] = {1.5, INFINITY, -INFINITY};
    assert_int_equal(st->ops->finish_trial(st->impl, id, IGMOPT_COMPLETE, values, 3),
                     IGMOPT_OK);
    igmopt_storage_close(st);

    assert_raw(f->path, "SELECT direction || objective FROM study_directions ORDER BY rowid",
               "MAXIMIZE0\nMINIMIZE1\nMAXIMIZE2");
    assert_raw(f->path, "SELECT state || ' ' || number FROM trials", "COMPLETE 0");
    assert_raw(f->path, "SELECT param_name || ' ' || typeof(param_value) || ' ' || param_value "
               "|| ' ' || distribution_json FROM trial_params",
               "x real 2.5 {\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, "
               "\"low\": -10.0, \"high\": 10.0, \"log\": false}}");
    assert_raw(f->path, "SELECT objective || ' ' || quote(value) || ' ' || value_type "
               "FROM trial_values ORDER BY objective",
               "0 1.5 FINITE\n1 NULL INF_POS\n2 NULL INF_NEG");
    assert_raw(f->path, "SELECT step || ' ' || quote(intermediate_value) || ' ' || "
               "intermediate_value_type FROM trial_intermediate_values ORDER BY step",
               "0 NULL NAN\n1 NULL INF_NEG\n2 0.5 FINITE");
    /* Exactly "YYYY-MM-DD HH:MM:SS.ffffff" (§2.5). */
    assert_raw(f->path, "SELECT datetime_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
               "[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND "
               "datetime_complete GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
               "[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' FROM trials",
               "1");
}

static void test_waiting_trial_row_as_enqueue_writes_it(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    int64_t study = new_study(st, "s"), id, number;
    igm_frozen_trial *tmpl = igm_frozen_trial_new();
    assert_non_null(tmpl);
    tmpl->state = IGMOPT_WAITING;
    assert_int_equal(igm_attr_list_set(&tmpl->system_attrs, "fixed_params", "{\"x\": 0.25}"),
                     IGMOPT_OK);
    assert_int_equal(st->ops->create_trial(st->impl, study, tmpl, 0, &id, &number), IGMOPT_OK);
    igm_frozen_trial_free(tmpl);
    igmopt_storage_close(st);
    assert_raw(f->path, "SELECT number || ' ' || state || ' ' || quote(datetime_start) || ' ' "
               "|| quote(datetime_complete) FROM trials", "0 WAITING NULL NULL");
    assert_raw(f->path, "SELECT \"key\" || '=' || value_json FROM trial_system_attributes",
               "fixed_params={\"x\": 0.25}");
}

static void test_delete_study_leaves_no_orphan_rows(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    int64_t study = new_study(st, "s"), id = new_trial(st, study);
    igm_distribution *d;
    const double one = 1.0;
    assert_int_equal(igm_distribution_int(&d, "n", 1, 9, 1, 0), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_param(st->impl, id, "n", 3.0, d), IGMOPT_OK);
    igm_distribution_free(d);
    assert_int_equal(st->ops->set_trial_intermediate(st->impl, id, 0, 1.0), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_attr(st->impl, id, IGM_ATTR_USER, "u", "1"), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_attr(st->impl, id, IGM_ATTR_SYSTEM, "s", "1"),
                     IGMOPT_OK);
    assert_int_equal(st->ops->finish_trial(st->impl, id, IGMOPT_COMPLETE, &one, 1), IGMOPT_OK);
    assert_int_equal(st->ops->set_study_attr(st->impl, study, IGM_ATTR_USER, "a", "1"),
                     IGMOPT_OK);
    assert_int_equal(st->ops->set_study_attr(st->impl, study, IGM_ATTR_SYSTEM, "b", "2"),
                     IGMOPT_OK);
    raw_exec(f->path, "INSERT INTO trial_heartbeats (trial_id, heartbeat) "
                      "SELECT trial_id, '2024-01-01 00:00:00' FROM trials");
    assert_int_equal(st->ops->delete_study(st->impl, study), IGMOPT_OK);
    igmopt_storage_close(st);
    assert_raw(f->path,
               "SELECT (SELECT count(*) FROM studies) + (SELECT count(*) FROM study_directions) "
               "+ (SELECT count(*) FROM study_user_attributes) + (SELECT count(*) FROM "
               "study_system_attributes) + (SELECT count(*) FROM trials) + (SELECT count(*) "
               "FROM trial_params) + (SELECT count(*) FROM trial_values) + (SELECT count(*) "
               "FROM trial_intermediate_values) + (SELECT count(*) FROM trial_user_attributes) "
               "+ (SELECT count(*) FROM trial_system_attributes) + (SELECT count(*) FROM "
               "trial_heartbeats)",
               "0");
}

/* ---- what Optuna (or anyone) may have written ------------------------------ */

static void test_reads_rows_as_optuna_writes_them(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    int64_t study = new_study(st, "s");
    raw_exec(f->path,
             "INSERT INTO trials (trial_id, number, study_id, state, datetime_start, "
             "datetime_complete) VALUES (7, 0, 1, 'COMPLETE', '2023-05-06 07:08:09', "
             "'2023-05-06 07:08:10.5');"
             "INSERT INTO trial_values (trial_id, objective, value, value_type) "
             "VALUES (7, 0, NULL, 'INF_POS');"
             "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, "
             "intermediate_value_type) VALUES (7, 3, NULL, 'NAN');"
             "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) "
             "VALUES (7, 'u', 0.5, '{\"name\": \"UniformDistribution\", \"attributes\": "
             "{\"low\": 0.0, \"high\": 1.0}}');"
             "INSERT INTO trial_user_attributes (trial_id, \"key\", value_json) "
             "VALUES (7, 'curve', '[NaN, Infinity]');");
    igm_frozen_trial **trials = NULL;
    size_t n;
    assert_int_equal(st->ops->read_trials(st->impl, study, -1, NULL, 0, &trials, &n), IGMOPT_OK);
    assert_int_equal(n, 1);
    igm_frozen_trial *t = trials[0];
    assert_int_equal(t->trial_id, 7);
    assert_int_equal(t->state, IGMOPT_COMPLETE);
    assert_string_equal(t->datetime_start, "2023-05-06 07:08:09.000000");
    assert_string_equal(t->datetime_complete, "2023-05-06 07:08:10.500000");
    assert_int_equal(t->n_values, 1);
    assert_true(isinf(t->values[0]) && t->values[0] > 0);
    assert_int_equal(t->n_intermediate, 1);
    assert_int_equal(t->intermediate[0].step, 3);
    assert_true(isnan(t->intermediate[0].value));
    assert_int_equal(t->n_params, 1);
    assert_int_equal(t->params[0].distribution->kind, IGM_DIST_FLOAT);
    assert_string_equal(t->user_attrs.items[0].value_json, "[NaN, Infinity]");
    free_trials(trials, n);
    /* Numbering continues after the foreign writer's trial. */
    int64_t id, number;
    assert_int_equal(st->ops->create_trial(st->impl, study, NULL, 0, &id, &number), IGMOPT_OK);
    assert_int_equal(number, 1);
    igmopt_storage_close(st);
}

/* One corrupt row: read_trials fails with ESTORAGE naming the place. */
static void assert_corruption_reported(const fixture *f, const char *sql, const char *table,
                                       const char *column, const char *detail)
{
    igmopt_storage *st = open_ok(f->url);
    int64_t study = new_study(st, "s"), id = new_trial(st, study);
    igm_distribution *d;
    const double one = 1.0;
    assert_int_equal(igm_distribution_categorical(&d, "c", "[\"a\", \"b\"]"), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_param(st->impl, id, "c", 1.0, d), IGMOPT_OK);
    igm_distribution_free(d);
    assert_int_equal(st->ops->set_trial_intermediate(st->impl, id, 0, 1.0), IGMOPT_OK);
    assert_int_equal(st->ops->finish_trial(st->impl, id, IGMOPT_COMPLETE, &one, 1), IGMOPT_OK);
    raw_exec(f->path, sql);
    igm_frozen_trial **trials = NULL;
    size_t n = 0;
    assert_int_equal(st->ops->read_trials(st->impl, study, -1, NULL, 0, &trials, &n),
                     IGMOPT_ESTORAGE);
    char where[64];
    snprintf(where, sizeof where, "trial_id %lld", (long long)id);
    assert_error_mentions(table, column, where);
    assert_error_mentions(detail, f->path, NULL);
    igmopt_storage_close(st);
}

static void test_corrupt_state_is_estorage(void **state)
{
    assert_corruption_reported(*state, "UPDATE trials SET state = 'BOGUS'", "trials", "state",
                               "BOGUS");
}

static void test_corrupt_value_type_is_estorage(void **state)
{
    assert_corruption_reported(*state, "UPDATE trial_values SET value_type = 'HUGE'",
                               "trial_values", "value_type", "HUGE");
}

static void test_finite_value_without_number_is_estorage(void **state)
{
    assert_corruption_reported(*state, "UPDATE trial_values SET value = NULL", "trial_values",
                               "column value", "FINITE");
}

static void test_infinite_type_with_a_number_is_estorage(void **state)
{
    assert_corruption_reported(*state,
                               "UPDATE trial_intermediate_values SET "
                               "intermediate_value_type = 'INF_POS'",
                               "trial_intermediate_values", "column intermediate_value",
                               "INF_POS");
}

static void test_unparsable_distribution_is_estorage(void **state)
{
    assert_corruption_reported(*state, "UPDATE trial_params SET distribution_json = '{oops'",
                               "trial_params", "distribution_json", "c");
}

static void test_categorical_index_out_of_range_is_estorage(void **state)
{
    assert_corruption_reported(*state, "UPDATE trial_params SET param_value = 5.0",
                               "trial_params", "param_value", "choice");
}

static void test_bad_datetime_is_estorage(void **state)
{
    assert_corruption_reported(*state, "UPDATE trials SET datetime_start = 'yesterday'",
                               "trials", "datetime_start", "yesterday");
}

static void test_objective_gap_is_estorage(void **state)
{
    assert_corruption_reported(*state, "UPDATE trial_values SET objective = 1", "trial_values",
                               "objective", "0..n-1");
}

/* ---- URLs and options -------------------------------------------------------- */

static void test_relative_url_is_relative_to_cwd(void **state)
{
    fixture *f = *state;
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(f->dir), 0);
    igmopt_storage *st = NULL;
    int rc = igm_sqlite_storage_open(&st, "sqlite:///rel.db");
    igmopt_storage_close(st);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, IGMOPT_OK);
    char rel[160];
    snprintf(rel, sizeof rel, "%s/rel.db", f->dir);
    assert_true(file_exists(rel));
}

static void test_absolute_url_has_four_slashes(void **state)
{
    fixture *f = *state;
    assert_int_equal(strncmp(f->url, "sqlite:////", 11), 0);
    igmopt_storage_close(open_ok(f->url));
    assert_true(file_exists(f->path));
}

static void assert_bad_url(const fixture *f, const char *query, const char *named)
{
    char url[256];
    with_url(url, sizeof url, f, query);
    igmopt_storage *st = NULL;
    assert_int_equal(igm_sqlite_storage_open(&st, url), IGMOPT_EINVAL);
    assert_null(st);
    assert_error_mentions(named, NULL, NULL);
    assert_false(file_exists(f->path));
}

static void test_bad_query_options_are_einval_naming_them(void **state)
{
    fixture *f = *state;
    assert_bad_url(f, "?bogus=1", "bogus");
    assert_bad_url(f, "?timeout=60&cache=big", "cache");
    assert_bad_url(f, "?schema=v3.1.0.a", "v3.1.0.a");
    assert_bad_url(f, "?journal_mode=fast", "fast");
    assert_bad_url(f, "?synchronous=sometimes", "sometimes");
    assert_bad_url(f, "?timeout=soon", "soon");
    assert_bad_url(f, "?timeout=-1", "-1");
    assert_bad_url(f, "?timeout", "timeout");
}

static void test_url_without_file_is_einval(void **state)
{
    (void)state;
    igmopt_storage *st = NULL;
    assert_int_equal(igm_sqlite_storage_open(&st, "sqlite:///"), IGMOPT_EINVAL);
    assert_int_equal(igm_sqlite_storage_open(&st, "sqlite:///?timeout=1"), IGMOPT_EINVAL);
    assert_int_equal(igm_sqlite_storage_open(&st, "postgresql://x"), IGMOPT_EINVAL);
    assert_null(st);
}

static void test_missing_directory_names_the_file(void **state)
{
    fixture *f = *state;
    char url[256];
    snprintf(url, sizeof url, "sqlite:///%s/no/such/dir/x.db", f->dir);
    igmopt_storage *st = NULL;
    assert_int_equal(igm_sqlite_storage_open(&st, url), IGMOPT_ESTORAGE);
    assert_error_mentions("/no/such/dir/x.db", NULL, NULL);
}

static void test_options_are_accepted(void **state)
{
    fixture *f = *state;
    char url[256];
    with_url(url, sizeof url, f, "?timeout=2.5&synchronous=FULL&journal_mode=truncate");
    igmopt_storage *st = open_ok(url);
    new_study(st, "s");
    igmopt_storage_close(st);
    assert_raw(f->path, "SELECT study_name FROM studies", "s");
}

/* ---- journal mode --------------------------------------------------------------- */

static void test_wal_while_open_and_rollback_journal_after_close(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    new_trial(st, new_study(st, "s"));
    assert_true(header_says_wal(f->path));
    igmopt_storage_close(st);
    assert_false(header_says_wal(f->path));
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    assert_false(file_exists(wal));
    assert_raw(f->path, "PRAGMA journal_mode", "delete");
    assert_raw(f->path, "SELECT count(*) FROM trials", "1");
}

static void test_last_of_two_handles_restores_rollback_journal(void **state)
{
    fixture *f = *state;
    igmopt_storage *a = open_ok(f->url), *b = open_ok(f->url);
    new_study(a, "s");
    igmopt_storage_close(a);
    assert_true(header_says_wal(f->path));
    igmopt_storage_close(b);
    assert_false(header_says_wal(f->path));
}

static void test_journal_mode_delete_never_uses_wal(void **state)
{
    fixture *f = *state;
    char url[256];
    with_url(url, sizeof url, f, "?journal_mode=delete");
    igmopt_storage *st = open_ok(url);
    new_trial(st, new_study(st, "s"));
    assert_false(header_says_wal(f->path));
    igmopt_storage_close(st);
    assert_false(header_says_wal(f->path));
}

static void test_explicit_wal_stays_wal(void **state)
{
    fixture *f = *state;
    char url[256];
    with_url(url, sizeof url, f, "?journal_mode=wal");
    igmopt_storage_close(open_ok(url));
    assert_true(header_says_wal(f->path));
}

/* ---- many processes --------------------------------------------------------------- */

static int child_opens_and_creates_a_study(int i, void *arg)
{
    const fixture *f = arg;
    igmopt_storage *st = NULL;
    char name[32];
    int64_t id;
    if (igm_sqlite_storage_open(&st, f->url) != IGMOPT_OK)
        return 1;
    snprintf(name, sizeof name, "study-%d", i);
    int rc = st->ops->create_study(st->impl, name, minimize, 1, &id);
    igmopt_storage_close(st);
    return rc == IGMOPT_OK ? 0 : 2;
}

static void test_sixteen_processes_create_the_schema_at_once(void **state)
{
    fixture *f = *state;
    assert_int_equal(run_processes(16, child_opens_and_creates_a_study, f), 0);
    assert_optuna_ddl(f->path, 1);
    assert_raw(f->path, "SELECT count(*) FROM alembic_version", "1");
    assert_raw(f->path, "SELECT count(*) FROM version_info", "1");
    assert_raw(f->path, "SELECT count(*) FROM studies", "16");
    assert_false(header_says_wal(f->path));
}

#define TRIALS_PER_CHILD 200

static int child_creates_trials(int i, void *arg)
{
    const fixture *f = arg;
    igmopt_storage *st = NULL;
    int64_t study, id, number;
    igmopt_direction *dirs = NULL;
    size_t n_dirs;
    (void)i;
    if (igm_sqlite_storage_open(&st, f->url) != IGMOPT_OK)
        return 1;
    int rc = st->ops->find_study(st->impl, "s", &study, &dirs, &n_dirs);
    free(dirs);
    for (int k = 0; rc == IGMOPT_OK && k < TRIALS_PER_CHILD; k++)
        rc = st->ops->create_trial(st->impl, study, NULL, 0, &id, &number);
    igmopt_storage_close(st);
    return rc == IGMOPT_OK ? 0 : 2;
}

static void test_eight_processes_number_trials_contiguously(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    int64_t study = new_study(st, "s");
    igmopt_storage_close(st); /* SQLite handles must not cross a fork */
    assert_int_equal(run_processes(8, child_creates_trials, f), 0);
    st = open_ok(f->url);

    igm_frozen_trial **trials = NULL;
    size_t n;
    assert_int_equal(st->ops->read_trials(st->impl, study, -1, NULL, 0, &trials, &n), IGMOPT_OK);
    assert_int_equal(n, 8 * TRIALS_PER_CHILD);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(trials[i]->number, (int64_t)i); /* sorted by trial_id */
    free_trials(trials, n);
    igmopt_storage_close(st);
    assert_raw(f->path, "SELECT count(DISTINCT number) || ' ' || min(number) || ' ' || "
               "max(number) FROM trials", "1600 0 1599");
}

#define WAITING_TRIALS 60

static int child_pops_waiting_trials(int i, void *arg)
{
    const fixture *f = arg;
    (void)i;
    igmopt_storage *st = NULL;
    int64_t study, id, number;
    igmopt_direction *dirs = NULL;
    size_t n_dirs;
    const double one = 1.0;
    if (igm_sqlite_storage_open(&st, f->url) != IGMOPT_OK)
        return 1;
    int rc = st->ops->find_study(st->impl, "s", &study, &dirs, &n_dirs);
    free(dirs);
    while (rc == IGMOPT_OK) {
        rc = st->ops->pop_waiting_trial(st->impl, study, 0, &id, &number);
        /* Finishing marks who took it: a second taker would get ESTATE. */
        if (rc == IGMOPT_OK)
            rc = st->ops->finish_trial(st->impl, id, IGMOPT_COMPLETE, &one, 1);
    }
    igmopt_storage_close(st);
    return rc == IGMOPT_ENOTFOUND ? 0 : 2;
}

static void test_four_processes_pop_each_waiting_trial_once(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    int64_t study = new_study(st, "s"), id, number;
    igm_frozen_trial *tmpl = igm_frozen_trial_new();
    assert_non_null(tmpl);
    tmpl->state = IGMOPT_WAITING;
    for (int i = 0; i < WAITING_TRIALS; i++)
        assert_int_equal(st->ops->create_trial(st->impl, study, tmpl, 0, &id, &number), IGMOPT_OK);
    igm_frozen_trial_free(tmpl);
    igmopt_storage_close(st); /* SQLite handles must not cross a fork */
    assert_int_equal(run_processes(4, child_pops_waiting_trials, f), 0);
    st = open_ok(f->url);
    assert_int_equal(st->ops->pop_waiting_trial(st->impl, study, 0, &id, &number),
                     IGMOPT_ENOTFOUND);
    igmopt_storage_close(st);
    assert_raw(f->path, "SELECT state || ' ' || count(*) FROM trials GROUP BY state",
               "COMPLETE 60");
}

/* Trial ids of a deleted study at the top are reused; a handle that had
 * already scanned past them must still find a WAITING trial there. */
static void test_pop_finds_waiting_trial_in_reused_ids(void **state)
{
    fixture *f = *state;
    igmopt_storage *asker = open_ok(f->url), *other = open_ok(f->url);
    int64_t a = new_study(asker, "a"), b = new_study(asker, "b"), id, number;
    new_trial(asker, a);
    int64_t top = new_trial(asker, b);
    new_trial(asker, b);
    assert_int_equal(asker->ops->pop_waiting_trial(asker->impl, a, 0, &id, &number),
                     IGMOPT_ENOTFOUND);

    assert_int_equal(other->ops->delete_study(other->impl, b), IGMOPT_OK);
    igm_frozen_trial *tmpl = igm_frozen_trial_new();
    assert_non_null(tmpl);
    tmpl->state = IGMOPT_WAITING;
    int64_t waiting;
    assert_int_equal(other->ops->create_trial(other->impl, a, tmpl, 0, &waiting, &number), IGMOPT_OK);
    igm_frozen_trial_free(tmpl);
    assert_int_equal(waiting, top); /* the id came back */

    assert_int_equal(asker->ops->pop_waiting_trial(asker->impl, a, 0, &id, &number), IGMOPT_OK);
    assert_int_equal(id, waiting);
    assert_int_equal(number, 1);
    igmopt_storage_close(other);
    igmopt_storage_close(asker);
}

/* ---- busy files --------------------------------------------------------------------- */

/* A child that holds the write lock for hold_ms after telling the parent. */
static pid_t hold_write_lock(const char *path, int hold_ms)
{
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *db = NULL;
        close(ready[0]);
        if (sqlite3_open(path, &db) != SQLITE_OK ||
            sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO studies (study_name) VALUES "
                             "('holder')", NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        if (write(ready[1], "x", 1) != 1)
            _exit(1);
        usleep((useconds_t)hold_ms * 1000);
        int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(db);
        _exit(rc == SQLITE_OK ? 0 : 1);
    }
    char go;
    close(ready[1]);
    assert_int_equal(read(ready[0], &go, 1), 1);
    close(ready[0]);
    return pid;
}

static void wait_ok(pid_t pid)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_busy_file_is_waited_for(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    int64_t study = new_study(st, "s");
    igmopt_storage_close(st); /* SQLite handles must not cross a fork */
    pid_t holder = hold_write_lock(f->path, 300);
    st = open_ok(f->url);
    int64_t id, number;
    assert_int_equal(st->ops->create_trial(st->impl, study, NULL, 0, &id, &number), IGMOPT_OK);
    assert_int_equal(number, 0);
    wait_ok(holder);
    igmopt_storage_close(st);
    assert_raw(f->path, "SELECT count(*) FROM studies", "2");
}

static void test_busy_beyond_timeout_is_estorage_and_writes_nothing(void **state)
{
    fixture *f = *state;
    char url[256];
    with_url(url, sizeof url, f, "?timeout=0.2");
    igmopt_storage *st = open_ok(url);
    int64_t study = new_study(st, "s");
    igmopt_storage_close(st); /* SQLite handles must not cross a fork */
    pid_t holder = hold_write_lock(f->path, 1500);
    st = open_ok(url);
    int64_t id, number;
    assert_int_equal(st->ops->create_trial(st->impl, study, NULL, 0, &id, &number),
                     IGMOPT_ESTORAGE);
    assert_error_mentions("database is locked", "timeout", f->path);
    wait_ok(holder);
    igmopt_storage_close(st);
    assert_raw(f->path, "SELECT count(*) FROM trials", "0");
}

/* ---- the study's cache of finished trials ----------------------------- */

static double first_value_of(igmopt_study *study, int64_t number, const char *key)
{
    char *json, *at, pattern[64];
    double v = NAN;
    assert_int_equal(igmopt_study_trials_json(study, &json), IGMOPT_OK);
    snprintf(pattern, sizeof pattern, "\"number\": %lld,", (long long)number);
    at = strstr(json, pattern);
    assert_non_null(at);
    at = strstr(at, key);
    assert_non_null(at);
    v = strtod(at + strlen(key), NULL);
    igmopt_free(json);
    return v;
}

/* A study handle reads a finished trial once: a change made behind its
 * back to a finished trial's row is not read again (it was not queried),
 * while a running trial is re-read and a new handle sees everything. */
static void test_study_handle_reads_finished_trials_once(void **state)
{
    fixture *f = *state;
    igmopt_storage *st = open_ok(f->url);
    igmopt_sampler *s;
    igmopt_study *study, *other;
    igmopt_trial *done, *running;
    const igmopt_direction dir = IGMOPT_MINIMIZE;
    double one = 1.0;
    assert_int_equal(igmopt_sampler_new(&s, "RandomSampler", "{\"seed\": 1}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_create(&study, st, "cache", &dir, 1, s, NULL, 0), IGMOPT_OK);
    assert_int_equal(igmopt_study_ask(study, &done), IGMOPT_OK);
    assert_int_equal(igmopt_study_tell(study, done, IGMOPT_COMPLETE, &one, 1), IGMOPT_OK);
    assert_int_equal(igmopt_study_ask(study, &running), IGMOPT_OK);
    assert_int_equal(igmopt_trial_set_user_attr(running, "v", "1"), IGMOPT_OK);
    assert_true(first_value_of(study, 0, "\"values\": [") == 1.0);
    assert_true(first_value_of(study, 1, "\"v\": ") == 1.0);

    raw_exec(f->path, "UPDATE trial_values SET value = 5.0; "
                      "UPDATE trial_user_attributes SET value_json = '2'");
    assert_true(first_value_of(study, 0, "\"values\": [") == 1.0);
    assert_true(first_value_of(study, 1, "\"v\": ") == 2.0);
    assert_int_equal(igmopt_study_load(&other, st, "cache", s, NULL), IGMOPT_OK);
    assert_true(first_value_of(other, 0, "\"values\": [") == 5.0);

    igmopt_trial_free(done);
    igmopt_trial_free(running);
    igmopt_study_close(other);
    igmopt_study_close(study);
    igmopt_sampler_free(s);
    igmopt_storage_close(st);
}

#define DIR_TEST(t) cmocka_unit_test_setup_teardown(t, dir_setup, dir_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        DIR_TEST(test_fresh_file_has_optuna_ddl_with_study_index),
        DIR_TEST(test_fresh_legacy_file_has_optuna_3_1_ddl),
        DIR_TEST(test_fresh_file_is_stamped_v3_2_0_a_with_version_info),
        DIR_TEST(test_existing_file_keeps_its_stamp_and_indexes),
        DIR_TEST(test_unknown_stamp_is_refused_and_file_left_unchanged),
        DIR_TEST(test_old_schema_version_without_stamp_is_refused),
        DIR_TEST(test_unstamped_optuna_tables_get_stamped_like_optuna_does),
        DIR_TEST(test_text_file_is_not_a_database),
        DIR_TEST(test_a_path_that_is_not_a_regular_file_is_refused_before_opening),
        DIR_TEST(test_a_link_to_a_missing_directory_is_refused_before_opening),
        DIR_TEST(test_foreign_database_is_refused_and_untouched),
        DIR_TEST(test_stored_encodings_are_optuna_s),
        DIR_TEST(test_waiting_trial_row_as_enqueue_writes_it),
        DIR_TEST(test_delete_study_leaves_no_orphan_rows),
        DIR_TEST(test_reads_rows_as_optuna_writes_them),
        DIR_TEST(test_corrupt_state_is_estorage),
        DIR_TEST(test_corrupt_value_type_is_estorage),
        DIR_TEST(test_finite_value_without_number_is_estorage),
        DIR_TEST(test_infinite_type_with_a_number_is_estorage),
        DIR_TEST(test_unparsable_distribution_is_estorage),
        DIR_TEST(test_categorical_index_out_of_range_is_estorage),
        DIR_TEST(test_bad_datetime_is_estorage),
        DIR_TEST(test_objective_gap_is_estorage),
        DIR_TEST(test_relative_url_is_relative_to_cwd),
        DIR_TEST(test_absolute_url_has_four_slashes),
        DIR_TEST(test_bad_query_options_are_einval_naming_them),
        DIR_TEST(test_url_without_file_is_einval),
        DIR_TEST(test_missing_directory_names_the_file),
        DIR_TEST(test_options_are_accepted),
        DIR_TEST(test_wal_while_open_and_rollback_journal_after_close),
        DIR_TEST(test_last_of_two_handles_restores_rollback_journal),
        DIR_TEST(test_journal_mode_delete_never_uses_wal),
        DIR_TEST(test_explicit_wal_stays_wal),
        DIR_TEST(test_sixteen_processes_create_the_schema_at_once),
        DIR_TEST(test_eight_processes_number_trials_contiguously),
        DIR_TEST(test_four_processes_pop_each_waiting_trial_once),
        DIR_TEST(test_pop_finds_waiting_trial_in_reused_ids),
        DIR_TEST(test_busy_file_is_waited_for),
        DIR_TEST(test_busy_beyond_timeout_is_estorage_and_writes_nothing),
        DIR_TEST(test_study_handle_reads_finished_trials_once),
    };
    return cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
}
