/* pop_waiting_trial: turning the oldest WAITING (enqueued) trial RUNNING,
 * atomically against other processes, and the per-study marks that spare
 * most asks a write transaction and a scan of the study's trials. */
#include <inttypes.h>
#include <string.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

/* ---- marks -------------------------------------------------------------- */

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

void igm_sqlite_waiting_marks_forget(sqlite_store *s)
{
    memset(s->marks, 0, sizeof s->marks);
}

typedef struct pop_ctx {
    int64_t study_id, mark, max_started;
    char now[IGM_DATETIME_LEN];
    int64_t trial_id, number, new_mark;
} pop_ctx;

static int no_waiting_trial(sqlite_store *s, int64_t study_id)
{
    return igm_error(IGMOPT_ENOTFOUND, "%s: study %" PRId64 " has no WAITING trial",
                     s->opt.path, study_id);
}

/* ---- the peek, without the write lock ----------------------------------- */

/* Is anything WAITING above the mark, and up to which id is nothing
 * WAITING?  Most asks find nothing, and then cost one read instead of a
 * write transaction. */
static int waiting_peek(sqlite_store *s, pop_ctx *c, int *found)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, ST_WAITING_PEEK,
                                         (const int64_t[]){c->study_id, c->mark}, 2, &st);
    if (status)
        return status;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int64_t max_id = sqlite3_column_int64(st, 0);
        *found = sqlite3_column_type(st, 1) != SQLITE_NULL;
        c->new_mark = *found ? -1 : max_id;
        if (c->mark > max_id)
            c->new_mark = -2; /* trials were deleted: rescan from the start */
    } else {
        status = igm_sqlite_failure(s, rc, "looking for a WAITING trial");
    }
    igm_sqlite_stmt_release(st);
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
    return no_waiting_trial(s, c->study_id);
}

/* ---- the take, under the write lock ------------------------------------- */

static int waiting_next(sqlite_store *s, pop_ctx *c, int64_t after, int *found)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, ST_WAITING_NEXT,
                                         (const int64_t[]){c->study_id, after}, 2, &st);
    if (status)
        return status;
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found) {
        c->trial_id = sqlite3_column_int64(st, 0);
        c->number = sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        status = igm_sqlite_failure(s, rc, "looking for a WAITING trial");
    }
    igm_sqlite_stmt_release(st);
    return status;
}

/* The state test in the UPDATE makes the take atomic even against a writer
 * that does not lock as we do (§3). */
static int waiting_take(sqlite_store *s, pop_ctx *c, int *taken)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get(s, ST_WAITING_TAKE, &st);
    if (status)
        return status;
    igm_sqlite_bind_text(st, 1, c->now);
    sqlite3_bind_int64(st, 2, c->trial_id);
    status = igm_sqlite_stmt_run(s, st, "starting a WAITING trial");
    *taken = !status && sqlite3_changes(s->db) == 1;
    return status;
}

/* The oldest WAITING trial above the mark, taken only if it is still
 * WAITING (another process may have won it). */
static int waiting_take_body(sqlite_store *s, void *ctx)
{
    pop_ctx *c = ctx;
    int found = 1, taken = 0;
    int64_t after = c->mark;
    int status = igm_sqlite_require_study(s, c->study_id);
    if (!status)
        status = igm_sqlite_require_budget(s, c->study_id, c->max_started);
    while (!status && found && !taken) {
        status = waiting_next(s, c, after, &found);
        if (!status && found)
            status = waiting_take(s, c, &taken);
        after = c->trial_id;
    }
    if (status)
        return status;
    c->new_mark = taken ? c->trial_id : -1;
    return taken ? IGMOPT_OK : no_waiting_trial(s, c->study_id);
}

int igm_sqlite_pop_waiting_trial(void *impl, int64_t study_id, int64_t max_started,
                                 int64_t *trial_id, int64_t *number)
{
    sqlite_store *s = impl;
    pop_ctx c;
    memset(&c, 0, sizeof c);
    c.study_id = study_id;
    c.max_started = max_started;
    c.mark = waiting_mark_get(s, study_id);
    c.new_mark = -1;
    int status = igm_sqlite_run_transaction(s, TXN_NONE, waiting_peek_body, &c);
    if (!status) {
        igm_datetime_now(c.now);
        status = igm_sqlite_run_transaction(s, TXN_WRITE, waiting_take_body, &c);
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
