/* The SQLite backend's handle: an Optuna-compatible RDB file
 * (OPTUNA-STORAGE.md §1, §2) that any number of processes share (§3).
 * Opening (URL, connection, schema, journal mode), closing, the ops table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/file_kind.h"
#include "storage/sqlite/sqlite_internal.h"

static void store_close(sqlite_store *s)
{
    if (!s)
        return;
    igm_sqlite_stmts_finalize(s);
    if (s->db && s->leave_wal_on_close)
        igm_sqlite_leave_wal(s);
    sqlite3_close(s->db);
    free(s->opt.path);
    free(s);
}

static void sqlite_close(void *impl)
{
    store_close(impl);
}

static const igm_storage_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .create_study = igm_sqlite_create_study,
    .find_study = igm_sqlite_find_study,
    .delete_study = igm_sqlite_delete_study,
    .study_names = igm_sqlite_study_names,
    .set_study_attr = igm_sqlite_set_study_attr,
    .get_study_attrs = igm_sqlite_get_study_attrs,
    .create_trial = igm_sqlite_create_trial,
    .pop_waiting_trial = igm_sqlite_pop_waiting_trial,
    .record_heartbeat = igm_sqlite_record_heartbeat,
    .fail_stale_trials = igm_sqlite_fail_stale_trials,
    .set_trial_param = igm_sqlite_set_trial_param,
    .finish_trial = igm_sqlite_finish_trial,
    .set_trial_intermediate = igm_sqlite_set_trial_intermediate,
    .set_trial_attr = igm_sqlite_set_trial_attr,
    .read_trials = igm_sqlite_read_trials,
};

/* SQLite retries a file it could not create read-only, so the errno it
 * keeps is that attempt's ENOENT; a directory the process may not write
 * is the real reason. */
static int cannot_create_in_directory(const sqlite_store *s)
{
    char dir[4096];
    const char *slash = strrchr(s->opt.path, '/');
    size_t len = slash ? (size_t)(slash - s->opt.path) : 0;
    if (access(s->opt.path, F_OK) == 0 || errno != ENOENT || len >= sizeof dir)
        return 0;
    memcpy(dir, slash ? s->opt.path : ".", slash ? (len ? len : 1) : 1);
    dir[slash ? (len ? len : 1) : 1] = '\0';
    if (access(dir, W_OK | X_OK) == 0)
        return 0;
    return igm_error(IGMOPT_ESTORAGE, "%s: cannot create the database in %s: %s",
                     s->opt.path, dir, strerror(errno));
}

/* SQLite would wait forever on a FIFO, and on a device fail at the first
 * COMMIT after creating a journal beside it (/dev/null-journal as root);
 * a path that does not exist yet is created as a file. */
static int check_regular_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return IGMOPT_OK;
    return igm_error(IGMOPT_ESTORAGE, "%s: not a regular file (it is %s): the database must "
                     "be one, or not exist yet", path, igm_file_kind(st.st_mode));
}

int igm_sqlite_file_check(const char *url)
{
    sqlite_options o = {0};
    int status = igm_sqlite_options_parse(&o, url);
    if (!status)
        status = check_regular_file(o.path);
    free(o.path);
    return status;
}

static int connection_open(sqlite_store *s)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(s->opt.path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        int status = (rc & 0xff) == SQLITE_CANTOPEN ? cannot_create_in_directory(s) : 0;
        if (status)
            return status;
        status = s->db ? igm_sqlite_failure(s, rc, "cannot open")
                           : igm_error(IGMOPT_ENOMEM, "%s: cannot open: %s", s->opt.path,
                                       sqlite3_errstr(rc));
        return status == RETRY ? igm_error(IGMOPT_ESTORAGE, "%s: cannot open: busy", s->opt.path)
                               : status;
    }
    sqlite3_busy_handler(s->db, igm_sqlite_on_busy, s);
    return IGMOPT_OK;
}

static uint64_t jitter_seed(const sqlite_store *s)
{
    uint64_t seed =
        (uint64_t)igm_sqlite_now_ns() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)s;
    return seed ? seed : 0x9E3779B97F4A7C15ULL;
}

static int store_open(sqlite_store *s, const char *url)
{
    s->rng = jitter_seed(s);
    int status = igm_sqlite_options_parse(&s->opt, url);
    if (!status)
        status = check_regular_file(s->opt.path);
    if (!status)
        status = connection_open(s);
    if (!status)
        status = igm_sqlite_schema_prepare(s);
    if (!status)
        status = igm_sqlite_journal_mode_apply(s);
    return status;
}

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
    int status = store_open(s, url);
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
