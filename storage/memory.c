/* The in-memory storage backend (Optuna's InMemoryStorage): studies and
 * trials live in arrays indexed by their ids, so a write costs O(1) and a
 * read of new trials O(new).  No locking: a handle is used by one thread at
 * a time, which may share it among any number of study handles. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "storage/storage.h"

typedef struct mem_study {
    char *name; /* NULL once the study is deleted */
    igmopt_direction *dirs;
    size_t n_dirs;
    igm_attr_list user_attrs, system_attrs;
    int64_t *trial_ids; /* indexed by number, hence ascending */
    size_t n_trials, cap_trials;
    /* No trial before this number is WAITING: trials never become WAITING
     * after creation and are popped oldest first, so the scan only moves on. */
    size_t waiting_scan;
} mem_study;

typedef struct mem_trial {
    igm_frozen_trial *trial; /* NULL once its study is deleted */
    int64_t study_id;
    char heartbeat[IGM_DATETIME_LEN]; /* "" until the first one */
} mem_trial;

typedef struct mem_storage {
    mem_study *studies; /* indexed by study id; ids are never reused */
    size_t n_studies, cap_studies;
    mem_trial *trials; /* indexed by trial id, global over studies */
    size_t n_trials, cap_trials;
} mem_storage;

/* malloc for n elements; never NULL merely because n is 0. */
static void *array_alloc(size_t n, size_t size)
{
    return malloc((n ? n : 1) * size);
}

/* Makes room for `need` elements of `size` bytes in *items. */
static int array_reserve(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return IGMOPT_OK;
    size_t new_cap = *cap ? *cap * 2 : 16;
    while (new_cap < need)
        new_cap *= 2;
    void *grown = realloc(*items, new_cap * size);
    if (!grown)
        return igm_error_nomem();
    *items = grown;
    *cap = new_cap;
    return IGMOPT_OK;
}

static int study_lookup(mem_storage *m, int64_t study_id, mem_study **out)
{
    int live = study_id >= 0 && (size_t)study_id < m->n_studies && m->studies[study_id].name;
    *out = live ? &m->studies[study_id] : NULL;
    return live ? IGMOPT_OK
                : igm_error(IGMOPT_ENOTFOUND, "no study with id %lld", (long long)study_id);
}

static int trial_lookup(mem_storage *m, int64_t trial_id, igm_frozen_trial **out)
{
    int live = trial_id >= 0 && (size_t)trial_id < m->n_trials && m->trials[trial_id].trial;
    *out = live ? m->trials[trial_id].trial : NULL;
    return live ? IGMOPT_OK
                : igm_error(IGMOPT_ENOTFOUND, "no trial with id %lld", (long long)trial_id);
}

/* The trial, if it may still change (only a RUNNING trial may). */
static int trial_writable(mem_storage *m, int64_t trial_id, igm_frozen_trial **out)
{
    int rc = trial_lookup(m, trial_id, out);
    if (rc)
        return rc;
    if ((*out)->state != IGMOPT_RUNNING)
        return igm_error(IGMOPT_ESTATE, "Trial#%lld is %s and can not be updated",
                         (long long)(*out)->number, igm_trial_state_name((*out)->state));
    return IGMOPT_OK;
}

static igm_attr_list *study_attrs(mem_study *s, igm_attr_kind kind)
{
    return kind == IGM_ATTR_SYSTEM ? &s->system_attrs : &s->user_attrs;
}

static igm_attr_list *trial_attrs(igm_frozen_trial *t, igm_attr_kind kind)
{
    return kind == IGM_ATTR_SYSTEM ? &t->system_attrs : &t->user_attrs;
}

static int64_t study_id_by_name(const mem_storage *m, const char *name)
{
    for (size_t i = 0; i < m->n_studies; i++)
        if (m->studies[i].name && strcmp(m->studies[i].name, name) == 0)
            return (int64_t)i;
    return -1;
}

static void study_release(mem_storage *m, mem_study *s)
{
    for (size_t i = 0; i < s->n_trials; i++) {
        igm_frozen_trial_free(m->trials[s->trial_ids[i]].trial);
        m->trials[s->trial_ids[i]].trial = NULL;
    }
    free(s->name);
    free(s->dirs);
    free(s->trial_ids);
    igm_attr_list_clear(&s->user_attrs);
    igm_attr_list_clear(&s->system_attrs);
    memset(s, 0, sizeof *s);
}

static void memory_close(void *impl)
{
    mem_storage *m = impl;
    for (size_t i = 0; i < m->n_studies; i++)
        study_release(m, &m->studies[i]);
    free(m->studies);
    free(m->trials);
    free(m);
}

/* ---- studies ---------------------------------------------------------- */

static int memory_create_study(void *impl, const char *name, const igmopt_direction *dirs,
                               size_t n_dirs, int64_t *study_id)
{
    mem_storage *m = impl;
    if (study_id_by_name(m, name) >= 0)
        return igm_error(IGMOPT_EEXISTS, "a study named '%s' already exists", name);
    int rc = array_reserve((void **)&m->studies, &m->cap_studies, m->n_studies + 1,
                           sizeof *m->studies);
    if (rc)
        return rc;
    char *name_copy = strdup(name);
    igmopt_direction *dirs_copy = array_alloc(n_dirs, sizeof *dirs_copy);
    if (!name_copy || !dirs_copy) {
        free(name_copy);
        free(dirs_copy);
        return igm_error_nomem();
    }
    memcpy(dirs_copy, dirs, n_dirs * sizeof *dirs_copy);
    mem_study *s = &m->studies[m->n_studies];
    memset(s, 0, sizeof *s);
    s->name = name_copy;
    s->dirs = dirs_copy;
    s->n_dirs = n_dirs;
    *study_id = (int64_t)m->n_studies++;
    return IGMOPT_OK;
}

static int memory_find_study(void *impl, const char *name, int64_t *study_id,
                             igmopt_direction **dirs, size_t *n_dirs)
{
    mem_storage *m = impl;
    int64_t id = study_id_by_name(m, name);
    if (id < 0)
        return igm_error(IGMOPT_ENOTFOUND, "no study named '%s'", name);
    const mem_study *s = &m->studies[id];
    igmopt_direction *copy = array_alloc(s->n_dirs, sizeof *copy);
    if (!copy)
        return igm_error_nomem();
    memcpy(copy, s->dirs, s->n_dirs * sizeof *copy);
    *study_id = id;
    *dirs = copy;
    *n_dirs = s->n_dirs;
    return IGMOPT_OK;
}

static int memory_delete_study(void *impl, int64_t study_id)
{
    mem_storage *m = impl;
    mem_study *s;
    int rc = study_lookup(m, study_id, &s);
    if (rc)
        return rc;
    study_release(m, s);
    return IGMOPT_OK;
}

static void names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int memory_study_names(void *impl, char ***names, size_t *n)
{
    mem_storage *m = impl;
    char **list = array_alloc(m->n_studies, sizeof *list);
    if (!list)
        return igm_error_nomem();
    size_t count = 0;
    for (size_t i = 0; i < m->n_studies; i++) {
        if (!m->studies[i].name)
            continue;
        list[count] = strdup(m->studies[i].name);
        if (!list[count]) {
            names_free(list, count);
            return igm_error_nomem();
        }
        count++;
    }
    *names = list;
    *n = count;
    return IGMOPT_OK;
}

static int memory_set_study_attr(void *impl, int64_t study_id, igm_attr_kind kind,
                                 const char *key, const char *value_json)
{
    mem_study *s;
    int rc = study_lookup(impl, study_id, &s);
    return rc ? rc : igm_attr_list_set(study_attrs(s, kind), key, value_json);
}

static int memory_get_study_attrs(void *impl, int64_t study_id, igm_attr_kind kind,
                                  igm_attr_list *out)
{
    mem_study *s;
    int rc = study_lookup(impl, study_id, &s);
    if (rc)
        return rc;
    igm_attr_list copy = {0};
    rc = igm_attr_list_copy(&copy, study_attrs(s, kind));
    if (rc) {
        igm_attr_list_clear(&copy);
        return rc;
    }
    *out = copy;
    return IGMOPT_OK;
}

/* ---- trials ------------------------------------------------------------ */

/* A template's datetimes are kept; missing ones are filled so the trial
 * keeps Optuna's invariants (OPTUNA-STORAGE.md s2.12): started unless
 * WAITING, completed iff finished. */
static void fill_missing_datetimes(igm_frozen_trial *t)
{
    if (!t->datetime_start[0] && t->state != IGMOPT_WAITING)
        igm_datetime_now(t->datetime_start);
    if (!t->datetime_complete[0] && igm_trial_state_finished(t->state))
        igm_datetime_now(t->datetime_complete);
}

static int trial_from_template(igm_frozen_trial **out, const igm_frozen_trial *tmpl)
{
    igm_frozen_trial *t = NULL;
    int rc = IGMOPT_OK;
    if (tmpl)
        rc = igm_frozen_trial_copy(&t, tmpl);
    else if (!(t = igm_frozen_trial_new()))
        rc = igm_error_nomem();
    if (rc)
        return rc;
    if (!tmpl)
        t->state = IGMOPT_RUNNING;
    fill_missing_datetimes(t);
    *out = t;
    return IGMOPT_OK;
}

static int require_budget(const mem_storage *m, const mem_study *s, int64_t max_started)
{
    int64_t started = 0;
    if (max_started <= 0)
        return IGMOPT_OK;
    for (size_t i = 0; i < s->n_trials; i++)
        started += m->trials[s->trial_ids[i]].trial->state != IGMOPT_WAITING;
    if (started < max_started)
        return IGMOPT_OK;
    return igm_error(IGMOPT_ELIMIT, "study '%s' holds %lld trials, its budget of %lld",
                     s->name, (long long)started, (long long)max_started);
}

static int memory_create_trial(void *impl, int64_t study_id, const igm_frozen_trial *tmpl,
                               int64_t max_started, int64_t *trial_id, int64_t *number)
{
    mem_storage *m = impl;
    mem_study *s;
    int rc = study_lookup(m, study_id, &s);
    if (!rc && !tmpl)
        rc = require_budget(m, s, max_started);
    if (!rc)
        rc = array_reserve((void **)&m->trials, &m->cap_trials, m->n_trials + 1,
                           sizeof *m->trials);
    if (!rc)
        rc = array_reserve((void **)&s->trial_ids, &s->cap_trials, s->n_trials + 1,
                           sizeof *s->trial_ids);
    igm_frozen_trial *t = NULL;
    if (!rc)
        rc = trial_from_template(&t, tmpl);
    if (rc)
        return rc;
    t->trial_id = (int64_t)m->n_trials;
    t->number = (int64_t)s->n_trials;
    m->trials[m->n_trials++] = (mem_trial){t, study_id, ""};
    s->trial_ids[s->n_trials++] = t->trial_id;
    *trial_id = t->trial_id;
    *number = t->number;
    return IGMOPT_OK;
}

static int memory_pop_waiting_trial(void *impl, int64_t study_id, int64_t max_started,
                                    int64_t *trial_id, int64_t *number)
{
    mem_storage *m = impl;
    mem_study *s;
    int rc = study_lookup(m, study_id, &s);
    if (rc)
        return rc;
    for (; s->waiting_scan < s->n_trials; s->waiting_scan++) {
        igm_frozen_trial *t = m->trials[s->trial_ids[s->waiting_scan]].trial;
        if (t->state != IGMOPT_WAITING)
            continue;
        if ((rc = require_budget(m, s, max_started)))
            return rc;
        t->state = IGMOPT_RUNNING;
        igm_datetime_now(t->datetime_start);
        *trial_id = t->trial_id;
        *number = t->number;
        return IGMOPT_OK;
    }
    return igm_error(IGMOPT_ENOTFOUND, "study '%s' has no WAITING trial", s->name);
}

static int param_replace(igm_param *p, double internal, const igm_distribution *d)
{
    igm_distribution *copy;
    int rc = igm_distribution_copy(&copy, d);
    if (rc)
        return rc;
    igm_distribution_free(p->distribution);
    p->distribution = copy;
    p->internal = internal;
    return IGMOPT_OK;
}

static int memory_set_trial_param(void *impl, int64_t trial_id, const char *name,
                                  double internal, const igm_distribution *d)
{
    igm_frozen_trial *t;
    int rc = trial_writable(impl, trial_id, &t);
    if (rc)
        return rc;
    const igm_param *existing = igm_frozen_trial_param(t, name);
    if (existing)
        return param_replace(&t->params[existing - t->params], internal, d);
    return igm_frozen_trial_add_param(t, name, internal, d);
}

/* Optuna never stores a NaN objective value (tell turns it into FAIL
 * without values, OPTUNA-STORAGE.md s2.3); the SQLite backend cannot. */
static int check_values(const double *values, size_t n_values)
{
    if (n_values && !values)
        return igm_error(IGMOPT_EINVAL, "finish_trial: values is NULL");
    for (size_t i = 0; i < n_values; i++)
        if (isnan(values[i]))
            return igm_error(IGMOPT_EINVAL, "finish_trial: value %zu is NaN", i);
    return IGMOPT_OK;
}

static int memory_finish_trial(void *impl, int64_t trial_id, igmopt_trial_state state,
                               const double *values, size_t n_values)
{
    igm_frozen_trial *t;
    int rc = trial_writable(impl, trial_id, &t);
    if (rc)
        return rc;
    if (!igm_trial_state_finished(state))
        return igm_error(IGMOPT_EINVAL, "finish_trial: state %s is not a finished state",
                         igm_trial_state_name(state));
    rc = check_values(values, n_values);
    if (rc)
        return rc;
    rc = igm_frozen_trial_set_values(t, values, n_values);
    if (rc)
        return rc;
    t->state = state;
    igm_datetime_now(t->datetime_complete);
    return IGMOPT_OK;
}

static int memory_set_trial_intermediate(void *impl, int64_t trial_id, int64_t step,
                                         double value)
{
    igm_frozen_trial *t;
    int rc = trial_writable(impl, trial_id, &t);
    return rc ? rc : igm_frozen_trial_set_intermediate(t, step, value);
}

static int memory_set_trial_attr(void *impl, int64_t trial_id, igm_attr_kind kind,
                                 const char *key, const char *value_json)
{
    igm_frozen_trial *t;
    int rc = trial_writable(impl, trial_id, &t);
    return rc ? rc : igm_attr_list_set(trial_attrs(t, kind), key, value_json);
}

static int memory_record_heartbeat(void *impl, int64_t trial_id)
{
    mem_storage *m = impl;
    igm_frozen_trial *t;
    int rc = trial_writable(m, trial_id, &t);
    if (!rc)
        igm_heartbeat_now(m->trials[trial_id].heartbeat);
    return rc;
}

static int is_stale(const mem_trial *mt, const char *stale_before)
{
    return mt->trial->state == IGMOPT_RUNNING && mt->heartbeat[0] &&
           strcmp(mt->heartbeat, stale_before) < 0;
}

/* Counted first, so that running out of memory changes nothing. */
static int memory_fail_stale_trials(void *impl, int64_t study_id, const char *stale_before,
                                    const char *reason_json, int64_t **numbers, size_t *n)
{
    mem_storage *m = impl;
    mem_study *s;
    size_t stale = 0;
    int rc = study_lookup(m, study_id, &s);
    *numbers = NULL;
    *n = 0;
    for (size_t i = 0; !rc && i < s->n_trials; i++)
        stale += is_stale(&m->trials[s->trial_ids[i]], stale_before);
    if (rc || !stale)
        return rc;
    if (!(*numbers = malloc(stale * sizeof **numbers)))
        return igm_error_nomem();
    for (size_t i = 0; !rc && i < s->n_trials; i++) {
        igm_frozen_trial *t = m->trials[s->trial_ids[i]].trial;
        if (!is_stale(&m->trials[s->trial_ids[i]], stale_before))
            continue;
        rc = igm_attr_list_set(&t->system_attrs, "fail_reason", reason_json);
        t->state = IGMOPT_FAIL;
        igm_datetime_now(t->datetime_complete);
        (*numbers)[(*n)++] = t->number;
    }
    return rc;
}

/* ---- reading ----------------------------------------------------------- */

/* Index of the study's first trial whose id is greater than after_id. */
static size_t first_trial_after(const mem_study *s, int64_t after_id)
{
    size_t lo = 0, hi = s->n_trials;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->trial_ids[mid] <= after_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int trial_in_study(const mem_storage *m, int64_t trial_id, int64_t study_id)
{
    return trial_id >= 0 && (size_t)trial_id < m->n_trials && m->trials[trial_id].trial &&
           m->trials[trial_id].study_id == study_id;
}

/* The also_ids that are trials of this study not already in the tail (id <=
 * after_id), ascending and without duplicates.  *ids is malloc'd. */
static int extra_trial_ids(const mem_storage *m, int64_t study_id, int64_t after_id,
                           const int64_t *also_ids, size_t n_also, int64_t **ids, size_t *n)
{
    int64_t *list = array_alloc(n_also, sizeof *list);
    if (!list)
        return igm_error_nomem();
    size_t count = 0;
    for (size_t i = 0; i < n_also; i++) {
        if (also_ids[i] <= after_id && trial_in_study(m, also_ids[i], study_id))
            list[count++] = also_ids[i];
    }
    qsort(list, count, sizeof *list, compare_ids);
    size_t unique = 0;
    for (size_t i = 0; i < count; i++)
        if (unique == 0 || list[unique - 1] != list[i])
            list[unique++] = list[i];
    *ids = list;
    *n = unique;
    return IGMOPT_OK;
}

static void trials_free(igm_frozen_trial **trials, size_t n)
{
    for (size_t i = 0; i < n; i++)
        igm_frozen_trial_free(trials[i]);
    free(trials);
}

static int memory_read_trials(void *impl, int64_t study_id, int64_t after_trial_id,
                              const int64_t *also_ids, size_t n_also,
                              igm_frozen_trial ***out, size_t *n_out)
{
    mem_storage *m = impl;
    mem_study *s;
    int rc = study_lookup(m, study_id, &s);
    int64_t *extra = NULL;
    size_t n_extra = 0;
    if (!rc)
        rc = extra_trial_ids(m, study_id, after_trial_id, also_ids, n_also, &extra, &n_extra);
    if (rc)
        return rc;
    size_t first = first_trial_after(s, after_trial_id);
    size_t total = n_extra + (s->n_trials - first);
    igm_frozen_trial **list = array_alloc(total, sizeof *list);
    size_t done = 0;
    rc = list ? IGMOPT_OK : igm_error_nomem();
    while (!rc && done < total) {
        int64_t id = done < n_extra ? extra[done] : s->trial_ids[first + done - n_extra];
        rc = igm_frozen_trial_copy(&list[done], m->trials[id].trial);
        done += !rc;
    }
    free(extra);
    if (rc) {
        trials_free(list, done);
        return rc;
    }
    *out = list;
    *n_out = total;
    return IGMOPT_OK;
}

static const igm_storage_ops memory_ops = {
    .name = "memory",
    .close = memory_close,
    .create_study = memory_create_study,
    .find_study = memory_find_study,
    .delete_study = memory_delete_study,
    .study_names = memory_study_names,
    .set_study_attr = memory_set_study_attr,
    .get_study_attrs = memory_get_study_attrs,
    .create_trial = memory_create_trial,
    .pop_waiting_trial = memory_pop_waiting_trial,
    .set_trial_param = memory_set_trial_param,
    .finish_trial = memory_finish_trial,
    .set_trial_intermediate = memory_set_trial_intermediate,
    .set_trial_attr = memory_set_trial_attr,
    .record_heartbeat = memory_record_heartbeat,
    .fail_stale_trials = memory_fail_stale_trials,
    .read_trials = memory_read_trials,
};

int igm_memory_storage_open(igmopt_storage **out)
{
    igmopt_storage *st = malloc(sizeof *st);
    mem_storage *m = calloc(1, sizeof *m);
    if (!st || !m) {
        free(st);
        free(m);
        return igm_error_nomem();
    }
    st->ops = &memory_ops;
    st->impl = m;
    *out = st;
    return IGMOPT_OK;
}
