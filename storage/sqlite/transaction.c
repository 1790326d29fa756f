/* Transactions and waiting on locks (OPTUNA-STORAGE.md §3): each call runs
 * as one transaction, retried whole with jittered back-off while another
 * process holds the file, until the ?timeout= deadline; the busy handler. */
#include <errno.h>
#include <time.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

int64_t igm_sqlite_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void igm_sqlite_sleep_ns(int64_t ns)
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

/* The 0.5-1.5 jitter keeps processes that collided from colliding again in
 * lockstep. */
int64_t igm_sqlite_jitter_ns(sqlite_store *s, int64_t base_ns)
{
    return base_ns / 2 + (int64_t)(random_next(s) % (uint64_t)base_ns);
}

/* Other processes' transactions last tens of microseconds, so waits start
 * there and double up to 10 ms; never past the deadline. */
static void back_off(sqlite_store *s, unsigned attempt, int64_t left_ns)
{
    int64_t base = 20000LL << (attempt < 9 ? attempt : 9);
    if (base > 10000000)
        base = 10000000;
    int64_t pause = igm_sqlite_jitter_ns(s, base);
    igm_sqlite_sleep_ns(pause < left_ns ? pause : left_ns);
}

int igm_sqlite_on_busy(void *arg, int count)
{
    sqlite_store *s = arg;
    int64_t left = s->deadline_ns - igm_sqlite_now_ns();
    if (left <= 0)
        return 0;
    back_off(s, (unsigned)count, left);
    return 1;
}

static void deadline_arm(sqlite_store *s)
{
    double wait_ns = s->opt.timeout_s * 1e9;
    s->deadline_ns = igm_sqlite_now_ns() + (int64_t)(wait_ns < 1e18 ? wait_ns : 1e18);
}

static void rollback(sqlite_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        igm_sqlite_run_id(s, ST_ROLLBACK, "ROLLBACK");
}

static int attempt_transaction(sqlite_store *s, txn_kind kind, txn_body body, void *ctx)
{
    if (kind == TXN_NONE)
        return body(s, ctx);
    int status = igm_sqlite_run_id(s, kind == TXN_WRITE ? ST_BEGIN_WRITE : ST_BEGIN_READ,
                                   "BEGIN");
    if (status)
        return status;
    status = body(s, ctx);
    if (!status)
        status = igm_sqlite_run_id(s, ST_COMMIT, "COMMIT");
    if (status)
        rollback(s);
    return status;
}

/* BEGIN IMMEDIATE for writes (§3).  A body returns RETRY untouched when it
 * met a busy lock, so it must leave ctx ready for a fresh attempt. */
int igm_sqlite_run_transaction(sqlite_store *s, txn_kind kind, txn_body body, void *ctx)
{
    deadline_arm(s);
    for (unsigned attempt = 0;; attempt++) {
        int status = attempt_transaction(s, kind, body, ctx);
        if (status != RETRY)
            return status;
        int64_t left = s->deadline_ns - igm_sqlite_now_ns();
        if (left <= 0)
            return igm_error(IGMOPT_ESTORAGE, "%s: database is locked: still busy after %g s "
                             "(raise it with ?timeout=)", s->opt.path, s->opt.timeout_s);
        back_off(s, attempt, left);
    }
}
