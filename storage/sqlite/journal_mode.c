/* The journal-mode policy: WAL while a handle is open on a local disk,
 * rollback journal on network filesystems, and back to DELETE when the last
 * handle closes (or whatever journal_mode= the URL asked for). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

#define WAL_CHECKPOINT_PAGES "10000"
#define LEAVE_WAL_ATTEMPTS 5

#ifdef __linux__
static int is_network_type(unsigned long f_type)
{
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
    for (size_t i = 0; i < sizeof network_types / sizeof *network_types; i++)
        if (f_type == network_types[i])
            return 1;
    return 0;
}

/* The filesystem of path, or of its directory while the file does not
 * exist yet.  0 on success. */
static int statfs_path_or_dir(const char *path, struct statfs *sf)
{
    if (statfs(path, sf) == 0)
        return 0;
    char *dir = strdup(path);
    if (!dir)
        return -1;
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir] = '\0';
    int failed = statfs(slash ? dir : ".", sf) != 0;
    free(dir);
    return failed ? -1 : 0;
}
#endif

/* WAL needs shared memory between every process on the file, which network
 * filesystems do not give (https://sqlite.org/wal.html). */
static int on_network_filesystem(const char *path)
{
#ifdef __linux__
    struct statfs sf;
    return statfs_path_or_dir(path, &sf) == 0 && is_network_type((unsigned long)sf.f_type);
#else
    (void)path;
    return 0;
#endif
}

/* With WAL: synchronous=NORMAL unless the URL says otherwise, and rare
 * checkpoints.  A checkpoint costs two fsyncs (milliseconds here); at
 * SQLite's default of 1000 pages one came every ~80 trials and doubled the
 * mean trial time.  10 000 pages (10 MiB in our files) between them make
 * them rare. */
static int wal_tuning_apply(sqlite_store *s, int wal)
{
    const char *sync = s->opt.synchronous[0] ? s->opt.synchronous : (wal ? "normal" : NULL);
    int status = sync ? igm_sqlite_pragma_set(s, "synchronous", sync, NULL, 0) : IGMOPT_OK;
    if (!status && wal)
        status = igm_sqlite_pragma_set(s, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES, NULL, 0);
    return status;
}

/* WAL while open on a local disk (a commit costs ~20 us instead of ~1 ms);
 * the last handle to close returns the file to rollback-journal mode,
 * because the browser and VS Code dashboards cannot load a WAL-mode file
 * (§0 #8, §4.2).  Never WAL on a network filesystem.  A journal_mode given
 * in the URL is the user's choice and kept as is. */
int igm_sqlite_journal_mode_apply(sqlite_store *s)
{
    char mode[16];
    int chosen = s->opt.journal_mode[0] != '\0';
    const char *wanted = chosen ? s->opt.journal_mode
                                : (on_network_filesystem(s->opt.path) ? "delete" : "wal");
    int status = igm_sqlite_pragma_set(s, "journal_mode", wanted, mode, sizeof mode);
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
    return wal_tuning_apply(s, wal);
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
void igm_sqlite_leave_wal(sqlite_store *s)
{
    if (journal_mode_delete(s->db))
        return;
    sqlite3_close(s->db);
    s->db = NULL;
    for (unsigned attempt = 0; attempt < LEAVE_WAL_ATTEMPTS; attempt++) {
        igm_sqlite_sleep_ns(igm_sqlite_jitter_ns(s, 1000000LL << attempt));
        sqlite3 *db = NULL;
        int done = sqlite3_open_v2(s->opt.path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
                   journal_mode_delete(db);
        sqlite3_close(db);
        if (done)
            return;
    }
}
