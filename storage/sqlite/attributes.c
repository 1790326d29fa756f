/* User and system attributes of studies and trials: the checks of a key
 * and its value, writing one (an upsert, as Optuna does), and reading a
 * study's.  A trial's are read with the trial (trial_read.c). */
#include <inttypes.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

int igm_sqlite_check_attr(const char *key, const char *value_json)
{
    int status = igm_sqlite_check_key("attribute key", key);
    if (!status && !value_json)
        status = igm_error(IGMOPT_EINVAL, "attribute '%s': value_json is NULL", key);
    return status;
}

static stmt_id trial_attr_upsert_id(igm_attr_kind kind)
{
    return kind == IGM_ATTR_SYSTEM ? ST_TRIAL_SYSTEM_ATTR_UPSERT : ST_TRIAL_USER_ATTR_UPSERT;
}

static int attr_upsert(sqlite_store *s, stmt_id upsert, int64_t owner_id, const char *key,
                       const char *value_json)
{
    sqlite3_stmt *st = NULL;
    int status = igm_sqlite_stmt_get_ids(s, upsert, &owner_id, 1, &st);
    if (status)
        return status;
    igm_sqlite_bind_text(st, 2, key);
    igm_sqlite_bind_text(st, 3, value_json);
    return igm_sqlite_stmt_run(s, st, "writing an attribute");
}

int igm_sqlite_trial_attrs_upsert(sqlite_store *s, int64_t trial_id, igm_attr_kind kind,
                                  const igm_attr_list *l)
{
    int status = IGMOPT_OK;
    for (size_t i = 0; !status && i < l->count; i++)
        status = attr_upsert(s, trial_attr_upsert_id(kind), trial_id, l->items[i].key,
                             l->items[i].value_json);
    return status;
}

/* ---- setting one -------------------------------------------------------- */

typedef int (*owner_check)(sqlite_store *s, int64_t owner_id);

typedef struct attr_write_ctx {
    owner_check require_owner; /* the study exists, the trial is RUNNING */
    int64_t owner_id;
    stmt_id upsert;
    const char *key, *value_json;
} attr_write_ctx;

static int attr_set_body(sqlite_store *s, void *ctx)
{
    attr_write_ctx *c = ctx;
    int status = c->require_owner(s, c->owner_id);
    return status ? status : attr_upsert(s, c->upsert, c->owner_id, c->key, c->value_json);
}

static int attr_set(sqlite_store *s, owner_check require_owner, int64_t owner_id,
                    stmt_id upsert, const char *key, const char *value_json)
{
    int status = igm_sqlite_check_attr(key, value_json);
    if (status)
        return status;
    attr_write_ctx c = {require_owner, owner_id, upsert, key, value_json};
    return igm_sqlite_run_transaction(s, TXN_WRITE, attr_set_body, &c);
}

int igm_sqlite_set_study_attr(void *impl, int64_t study_id, igm_attr_kind kind,
                              const char *key, const char *value_json)
{
    stmt_id upsert =
        kind == IGM_ATTR_SYSTEM ? ST_STUDY_SYSTEM_ATTR_UPSERT : ST_STUDY_USER_ATTR_UPSERT;
    return attr_set(impl, igm_sqlite_require_study, study_id, upsert, key, value_json);
}

int igm_sqlite_set_trial_attr(void *impl, int64_t trial_id, igm_attr_kind kind,
                              const char *key, const char *value_json)
{
    return attr_set(impl, igm_sqlite_require_running, trial_id, trial_attr_upsert_id(kind),
                    key, value_json);
}

/* ---- reading a study's -------------------------------------------------- */

typedef struct study_attrs_ctx {
    int64_t study_id;
    stmt_id query;
    const char *table;
    igm_attr_list list;
} study_attrs_ctx;

static int study_attr_row(sqlite_store *s, sqlite3_stmt *st, void *ctx)
{
    study_attrs_ctx *c = ctx;
    const char *key = igm_sqlite_column_text(st, 0), *value = igm_sqlite_column_text(st, 1);
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
    int status = igm_sqlite_require_study(s, c->study_id);
    if (!status)
        status = igm_sqlite_stmt_get_ids(s, c->query, &c->study_id, 1, &st);
    if (status)
        return status;
    status = igm_sqlite_each_row(s, st, study_attr_row, c, "reading the study's attributes");
    if (status)
        igm_attr_list_clear(&c->list);
    return status;
}

int igm_sqlite_get_study_attrs(void *impl, int64_t study_id, igm_attr_kind kind,
                               igm_attr_list *out)
{
    int system = kind == IGM_ATTR_SYSTEM;
    study_attrs_ctx c = {study_id, system ? ST_STUDY_SYSTEM_ATTRS : ST_STUDY_USER_ATTRS,
                         system ? "study_system_attributes" : "study_user_attributes",
                         {NULL, 0, 0}};
    int status = igm_sqlite_run_transaction(impl, TXN_READ, get_study_attrs_body, &c);
    if (!status)
        *out = c.list;
    return status;
}
