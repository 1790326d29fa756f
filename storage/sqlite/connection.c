/* The SQLite backend's handle: an Optuna-compatible RDB file
 * (OPTUNA-STORAGE.md §1, §2) that any number of processes share (§3).
 * Opening (URL, connection, schema, journal mode), closing, the ops table. */
#include <errno.h>
#include <stdio.h>
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

#define MAX_LINK_HOPS 40 /* Linux's own limit */

/* out, a link, becomes the path its target names (relative to the link's
 * directory). */
static int follow_link(char *out, size_t size, const char *target)
{
    char joined[4096];
    const char *slash = strrchr(out, '/');
    int n = target[0] == '/' || !slash
                ? snprintf(joined, sizeof joined, "%s", target)
                : snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - out), out, target);
    if (n < 0 || (size_t)n >= size || (size_t)n >= sizeof joined)
        return -1;
    memcpy(out, joined, (size_t)n + 1);
    return 0;
}

/* Where a chain of symbolic links starting at path ends (a name that is
 * not a link); -1 for a loop or a path too long. */
static int final_link_target(const char *path, char *out, size_t size)
{
    char target[4096];
    struct stat st;
    if ((size_t)snprintf(out, size, "%s", path) >= size)
        return -1;
    for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
        ssize_t n;
        if (lstat(out, &st) != 0 || !S_ISLNK(st.st_mode))
            return 0;
        if ((n = readlink(out, target, sizeof target - 1)) < 0)
            return -1;
        target[n] = '\0';
        if (follow_link(out, size, target))
            return -1;
    }
    return -1;
}

/* SQLite follows a link that points nowhere and creates its target, which
 * fails (only as "unable to open database file") if the target's
 * directory is missing. */
static int check_dangling_link(const char *path)
{
    char target[4096], dir[4096];
    const char *slash;
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return IGMOPT_OK;
    if (final_link_target(path, target, sizeof target) != 0)
        return igm_error(IGMOPT_ESTORAGE, "%s: a symbolic link that loops or is too long to "
                         "follow", path);
    slash = strrchr(target, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash == target ? 1 : slash - target) : 1,
             slash ? target : ".");
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return IGMOPT_OK;
    return igm_error(IGMOPT_ESTORAGE, "%s: a symbolic link to the missing %s, whose directory "
                     "%s does not exist: the database cannot be created there", path, target,
                     dir);
}

/* SQLite would wait forever on a FIFO, and on a device fail at the first
 * COMMIT after creating a journal beside it (/dev/null-journal as root);
 * a path that does not exist yet is created as a file. */
static int check_regular_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return check_dangling_link(path);
    if (S_ISREG(st.st_mode))
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
