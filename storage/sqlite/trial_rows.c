/* Turning the rows read_trials reads into frozen trials, checking every
 * stored value on the way: a bad row becomes a message naming its table,
 * trial and column, never a crash (OPTUNA-STORAGE.md §2). */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

static int corrupt(sqlite_store *s, const char *table, int64_t trial_id, const char *column,
                   const char *fmt, ...) IGM_PRINTF(5, 6);

/* Every check of stored contents ends here (§2.1: only the exact names are
 * legal). */
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

/* ---- trials ------------------------------------------------------------- */

static int datetime_from_column(sqlite_store *s, int64_t trial_id, sqlite3_stmt *st, int col,
                                char out[IGM_DATETIME_LEN])
{
    out[0] = '\0';
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return IGMOPT_OK;
    const char *text = igm_sqlite_column_text(st, col);
    if (sqlite3_column_type(st, col) != SQLITE_TEXT || !text ||
        igm_sqlite_datetime_normalize(text, out))
        return corrupt(s, "trials", trial_id, sqlite3_column_name(st, col),
                       "'%.40s' is not a datetime", text ? text : "?");
    return IGMOPT_OK;
}

int igm_sqlite_trial_from_row(sqlite_store *s, sqlite3_stmt *st, igm_frozen_trial *t)
{
    t->trial_id = sqlite3_column_int64(st, 0);
    if (sqlite3_column_type(st, 1) != SQLITE_INTEGER)
        return corrupt(s, "trials", t->trial_id, "number", "%s instead of an integer",
                       sqlite3_column_type(st, 1) == SQLITE_NULL ? "NULL" : "a non-integer");
    t->number = sqlite3_column_int64(st, 1);
    const char *state = igm_sqlite_column_text(st, 2);
    int parsed = state ? igm_trial_state_from_name(state) : -1;
    if (parsed < 0)
        return corrupt(s, "trials", t->trial_id, "state", "unknown state '%.40s'",
                       state ? state : "NULL");
    t->state = (igmopt_trial_state)parsed;
    int status = datetime_from_column(s, t->trial_id, st, 3, t->datetime_start);
    return status ? status : datetime_from_column(s, t->trial_id, st, 4, t->datetime_complete);
}

/* ---- child rows --------------------------------------------------------- */

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

/* The value a non-FINITE type stands for; 0 when type names none. */
static int non_finite_from_type(const char *type, child_kind kind, double *out)
{
    if (strcmp(type, "INF_POS") == 0)
        *out = INFINITY;
    else if (strcmp(type, "INF_NEG") == 0)
        *out = -INFINITY;
    else if (kind == CHILD_INTERMEDIATE && strcmp(type, "NAN") == 0)
        *out = NAN;
    else
        return 0;
    return 1;
}

/* A value with its *_type column (§2.3): FINITE holds a number, the others
 * NULL; NAN is legal only for intermediate values. */
static int typed_value_from_row(sqlite_store *s, sqlite3_stmt *st, child_kind kind,
                                int64_t trial_id, double *out)
{
    const struct child_table *c = &child_tables[kind];
    const char *type = igm_sqlite_column_text(st, COL_TEXT);
    int is_null = sqlite3_column_type(st, COL_NUMBER) == SQLITE_NULL;
    if (type && strcmp(type, "FINITE") == 0) {
        *out = sqlite3_column_double(st, COL_NUMBER);
        if (is_null || !igm_sqlite_column_is_number(st, COL_NUMBER) || !isfinite(*out))
            return corrupt(s, c->table, trial_id, c->number, "%s with type FINITE",
                           is_null ? "NULL" : "not a finite number");
        return IGMOPT_OK;
    }
    if (!type || !non_finite_from_type(type, kind, out))
        return corrupt(s, c->table, trial_id, c->text, "unknown value type '%.40s'",
                       type ? type : "NULL");
    if (!is_null)
        return corrupt(s, c->table, trial_id, c->number, "a value with type %s (must be NULL)",
                       type);
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
    const char *name = igm_sqlite_column_text(st, COL_NAME);
    const char *json = igm_sqlite_column_text(st, COL_TEXT);
    double internal = sqlite3_column_double(st, COL_NUMBER);
    const igm_distribution *d = NULL;
    if (!name)
        return corrupt(s, table, t->trial_id, "param_name", "NULL");
    if (!igm_sqlite_column_is_number(st, COL_NUMBER) || !isfinite(internal))
        return corrupt(s, table, t->trial_id, "param_value", "not a finite number (param "
                       "%.60s)", name);
    if (!json)
        return corrupt(s, table, t->trial_id, "distribution_json", "NULL (param %.60s)", name);
    if (igm_sqlite_dist_cache_get(dists, json, &d))
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
    const char *key = igm_sqlite_column_text(st, COL_NAME);
    const char *value = igm_sqlite_column_text(st, COL_TEXT);
    if (!key || !value)
        return corrupt(s, child_tables[kind].table, t->trial_id, key ? "value_json" : "key",
                       "NULL");
    return igm_attr_list_set(kind == CHILD_SYSTEM_ATTR ? &t->system_attrs : &t->user_attrs, key,
                             value);
}

int igm_sqlite_child_from_row(sqlite_store *s, sqlite3_stmt *st, dist_cache *dists,
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
