/* Writes to a RUNNING trial: a parameter, an intermediate value, finishing
 * it with its values; and the upserts of those rows, which creating a
 * trial from a template shares.  Trial attributes are in attributes.c. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/strbuf.h"
#include "storage/sqlite/sqlite_internal.h"

/* Only a RUNNING trial may change (§2.12), checked inside the writing
 * transaction so no other process can finish it in between. */
int igm_sqlite_require_running(sqlite_store *s, int64_t trial_id)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, ST_TRIAL_STATE, &trial_id, 1, &st);
    if (status)
        return status;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        status = igm_error(IGMOPT_ENOTFOUND, "%s: no trial with id %" PRId64, s->opt.path,
                           trial_id);
    } else if (rc != SQLITE_ROW) {
        status = igm_sqlite_failure(s, rc, "reading the trial's state");
    } else {
        const char *state = igm_sqlite_column_text(st, 0);
        if (!state || strcmp(state, "RUNNING") != 0)
            status = igm_error(IGMOPT_ESTATE, "Trial#%" PRId64 " is %.40s and can not be "
                               "updated", (int64_t)sqlite3_column_int64(st, 1),
                               state ? state : "NULL");
    }
    igm_sqlite_stmt_release(st);
    return status;
}

/* ---- the upserts -------------------------------------------------------- */

static int distribution_json(const igm_distribution *d, char **out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_distribution_to_json(&sb, d);
    return igm_strbuf_finish(&sb, out);
}

static int param_json_upsert(sqlite_store *s, int64_t trial_id, const char *name,
                             double internal, const char *distribution_json)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, ST_PARAM_UPSERT, &trial_id, 1, &st);
    if (status)
        return status;
    igm_sqlite_bind_text(st, 2, name);
    sqlite3_bind_double(st, 3, internal);
    igm_sqlite_bind_text(st, 4, distribution_json);
    return igm_sqlite_stmt_run(s, st, "writing a parameter");
}

int igm_sqlite_param_upsert(sqlite_store *s, int64_t trial_id, const igm_param *p)
{
    char *json = NULL;
    int status = distribution_json(p->distribution, &json);
    if (!status)
        status = param_json_upsert(s, trial_id, p->name, p->internal, json);
    free(json);
    return status;
}

/* trial_values and trial_intermediate_values: (trial_id, key, value,
 * value_type). */
static int typed_value_upsert(sqlite_store *s, stmt_id upsert, int64_t trial_id, int64_t key,
                              double v, const char *what)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, upsert, (const int64_t[]){trial_id, key}, 2, &st);
    if (status)
        return status;
    igm_sqlite_bind_typed_value(st, 3, 4, v);
    return igm_sqlite_stmt_run(s, st, what);
}

int igm_sqlite_value_upsert(sqlite_store *s, int64_t trial_id, size_t objective, double v)
{
    return typed_value_upsert(s, ST_VALUE_UPSERT, trial_id, (int64_t)objective, v,
                              "writing a value");
}

int igm_sqlite_intermediate_upsert(sqlite_store *s, int64_t trial_id, int64_t step, double v)
{
    return typed_value_upsert(s, ST_INTERMEDIATE_UPSERT, trial_id, step, v,
                              "writing an intermediate value");
}

/* ---- set_trial_param ---------------------------------------------------- */

typedef struct param_ctx {
    int64_t trial_id;
    const char *name;
    double internal;
    const char *distribution_json;
} param_ctx;

/* Nothing written: the trial is missing or not RUNNING, and
 * require_running says which. */
static int set_param_body(sqlite_store *s, void *ctx)
{
    param_ctx *c = ctx;
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, ST_PARAM_UPSERT_IF_RUNNING, &c->trial_id, 1, &st);
    if (status)
        return status;
    igm_sqlite_bind_text(st, 2, c->name);
    sqlite3_bind_double(st, 3, c->internal);
    igm_sqlite_bind_text(st, 4, c->distribution_json);
    status = igm_sqlite_stmt_run(s, st, "writing a parameter");
    if (!status && sqlite3_changes(s->db) == 0) {
        status = igm_sqlite_require_running(s, c->trial_id);
        if (!status)
            status = igm_error(IGMOPT_ESTORAGE, "%s: parameter '%s' of trial id %lld was "
                               "not written", s->opt.path, c->name, (long long)c->trial_id);
    }
    return status;
}

/* The JSON is written before the write lock is taken. */
int igm_sqlite_set_trial_param(void *impl, int64_t trial_id, const char *name,
                               double internal, const igm_distribution *d)
{
    int status = igm_sqlite_check_key("parameter name", name);
    if (status)
        return status;
    if (!d || !isfinite(internal))
        return igm_error(IGMOPT_EINVAL, "parameter '%s': %s", name,
                         d ? "the internal value is not finite" : "no distribution");
    char *json = NULL;
    status = distribution_json(d, &json);
    param_ctx c = {trial_id, name, internal, json};
    if (!status)
        status = igm_sqlite_run_transaction(impl, TXN_NONE, set_param_body, &c);
    free(json);
    return status;
}

/* ---- finish_trial ------------------------------------------------------- */

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
    int status = igm_sqlite_require_running(s, c->trial_id);
    for (size_t i = 0; !status && i < c->n_values; i++)
        status = igm_sqlite_value_upsert(s, c->trial_id, i, c->values[i]);
    sqlite3_stmt *st = NULL;
    if (!status)
        status = igm_sqlite_stmt_get(s, ST_TRIAL_FINISH, &st);
    if (status)
        return status;
    sqlite3_bind_text(st, 1, igm_trial_state_name(c->state), -1, SQLITE_STATIC);
    igm_sqlite_bind_text(st, 2, c->now);
    sqlite3_bind_int64(st, 3, c->trial_id);
    return igm_sqlite_stmt_run(s, st, "finishing the trial");
}

static int check_finish(igmopt_trial_state state, const double *values, size_t n_values)
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
    return IGMOPT_OK;
}

int igm_sqlite_finish_trial(void *impl, int64_t trial_id, igmopt_trial_state state,
                            const double *values, size_t n_values)
{
    int status = check_finish(state, values, n_values);
    if (status)
        return status;
    finish_ctx c = {trial_id, state, values, n_values, ""};
    igm_datetime_now(c.now);
    return igm_sqlite_run_transaction(impl, TXN_WRITE, finish_body, &c);
}

/* ---- set_trial_intermediate --------------------------------------------- */

typedef struct intermediate_ctx {
    int64_t trial_id, step;
    double value;
} intermediate_ctx;

static int intermediate_body(sqlite_store *s, void *ctx)
{
    intermediate_ctx *c = ctx;
    int status = igm_sqlite_require_running(s, c->trial_id);
    return status ? status : igm_sqlite_intermediate_upsert(s, c->trial_id, c->step, c->value);
}

int igm_sqlite_set_trial_intermediate(void *impl, int64_t trial_id, int64_t step,
                                      double value)
{
    intermediate_ctx c = {trial_id, step, value};
    return igm_sqlite_run_transaction(impl, TXN_WRITE, intermediate_body, &c);
}
