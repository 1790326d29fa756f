/* Studies: create, load, delete, names, attributes, enqueue, and the
 * cached view of their trials that samplers and reports read. */
#include "study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "error.h"
#include "json.h"
#include "name_check.h"
#include "strbuf.h"

static int check_directions(const igmopt_direction *dirs, size_t n)
{
    if (!dirs || n == 0)
        return igm_error(IGMOPT_EINVAL, "directions: at least one objective direction is "
                         "needed");
    for (size_t i = 0; i < n; i++)
        if (dirs[i] != IGMOPT_MINIMIZE && dirs[i] != IGMOPT_MAXIMIZE)
            return igm_error(IGMOPT_EINVAL, "directions[%zu]: %d is neither IGMOPT_MINIMIZE "
                             "nor IGMOPT_MAXIMIZE", i, (int)dirs[i]);
    return IGMOPT_OK;
}

/* Optuna's default name: "no-name-" + a random (version 4) UUID. */
static void default_study_name(char out[48])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (unsigned char)rand();
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 48, "no-name-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8],
             b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void study_free(igmopt_study *study)
{
    if (!study)
        return;
    if (study->sampler_cache_free)
        study->sampler_cache_free(study->sampler_cache);
    igm_trial_cache_clear(&study->cache);
    igmopt_sampler_free(study->sampler);
    igmopt_pruner_free(study->pruner);
    free(study->directions);
    free(study->name);
    free(study);
}

/* Takes ownership of dirs. */
static int study_open(igmopt_study **out, igmopt_storage *st, const char *name,
                      int64_t study_id, igmopt_direction *dirs, size_t n_dirs,
                      igmopt_sampler *sampler, igmopt_pruner *pruner)
{
    igmopt_study *study = calloc(1, sizeof *study);
    int rc = IGMOPT_OK;
    if (!study || !(study->name = strdup(name))) {
        free(study);
        free(dirs);
        return igm_error_nomem();
    }
    study->storage = st;
    study->study_id = study_id;
    study->directions = dirs;
    study->n_objectives = n_dirs;
    if (sampler)
        rc = igm_sampler_check_objectives(sampler, n_dirs);
    if (rc == IGMOPT_OK && sampler)
        igm_sampler_retain(study->sampler = sampler);
    else if (rc == IGMOPT_OK)
        rc = igm_default_sampler(&study->sampler);
    if (rc == IGMOPT_OK && pruner)
        igm_pruner_retain(study->pruner = pruner);
    else if (rc == IGMOPT_OK)
        rc = igm_default_pruner(&study->pruner);
    if (rc) {
        study_free(study);
        return rc;
    }
    *out = study;
    return IGMOPT_OK;
}

static int same_directions(const igmopt_direction *a, size_t na, const igmopt_direction *b,
                           size_t nb)
{
    return na == nb && memcmp(a, b, na * sizeof *a) == 0;
}

static int load_existing(igmopt_study **out, igmopt_storage *st, const char *name,
                         const igmopt_direction *want, size_t n_want, igmopt_sampler *sampler,
                         igmopt_pruner *pruner)
{
    igmopt_direction *dirs = NULL;
    size_t n_dirs = 0;
    int64_t study_id;
    int rc = st->ops->find_study(st->impl, name, &study_id, &dirs, &n_dirs);
    if (rc == IGMOPT_ENOTFOUND)
        return igm_error(IGMOPT_ENOTFOUND, "study '%s' does not exist in this storage", name);
    if (rc)
        return rc;
    if (want && !same_directions(dirs, n_dirs, want, n_want)) {
        free(dirs);
        return igm_error(IGMOPT_EINVAL, "study '%s' exists with %zu objective(s) of other "
                         "directions than requested", name, n_dirs);
    }
    return study_open(out, st, name, study_id, dirs, n_dirs, sampler, pruner);
}

IGMOPT_API int igmopt_study_create(igmopt_study **out, igmopt_storage *st, const char *name,
                                   const igmopt_direction *directions, size_t n_objectives,
                                   igmopt_sampler *sampler, igmopt_pruner *pruner,
                                   int load_if_exists)
{
    char generated[48];
    igmopt_direction *dirs;
    int64_t study_id;
    int rc;
    if (!out || !st)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_create: out and storage must not be NULL");
    *out = NULL;
    if (!name) {
        default_study_name(generated);
        name = generated;
    }
    if ((rc = igm_check_name(name, "study name")) ||
        (rc = check_directions(directions, n_objectives)) ||
        (rc = igm_sampler_check_objectives(sampler, n_objectives)))
        return rc;
    rc = st->ops->create_study(st->impl, name, directions, n_objectives, &study_id);
    if (rc == IGMOPT_EEXISTS && load_if_exists)
        return load_existing(out, st, name, directions, n_objectives, sampler, pruner);
    if (rc == IGMOPT_EEXISTS)
        return igm_error(IGMOPT_EEXISTS, "study '%s' already exists (pass load_if_exists to "
                         "continue it)", name);
    if (rc)
        return rc;
    dirs = malloc(n_objectives * sizeof *dirs);
    if (!dirs)
        return igm_error_nomem();
    memcpy(dirs, directions, n_objectives * sizeof *dirs);
    return study_open(out, st, name, study_id, dirs, n_objectives, sampler, pruner);
}

IGMOPT_API int igmopt_study_load(igmopt_study **out, igmopt_storage *st, const char *name,
                                 igmopt_sampler *sampler, igmopt_pruner *pruner)
{
    int rc;
    if (!out || !st)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_load: out and storage must not be NULL");
    *out = NULL;
    if ((rc = igm_check_name(name, "study name")))
        return rc;
    return load_existing(out, st, name, NULL, 0, sampler, pruner);
}

IGMOPT_API void igmopt_study_close(igmopt_study *study)
{
    study_free(study);
}

IGMOPT_API int igmopt_study_delete(igmopt_storage *st, const char *name)
{
    igmopt_direction *dirs = NULL;
    size_t n_dirs;
    int64_t study_id;
    int rc;
    if (!st)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_delete: storage must not be NULL");
    if ((rc = igm_check_name(name, "study name")))
        return rc;
    rc = st->ops->find_study(st->impl, name, &study_id, &dirs, &n_dirs);
    free(dirs);
    if (rc == IGMOPT_ENOTFOUND)
        return igm_error(IGMOPT_ENOTFOUND, "study '%s' does not exist in this storage", name);
    return rc ? rc : st->ops->delete_study(st->impl, study_id);
}

IGMOPT_API int igmopt_study_names_json(igmopt_storage *st, char **json_out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char **names = NULL;
    size_t n = 0;
    int rc;
    if (!st || !json_out)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_names_json: arguments must not be NULL");
    *json_out = NULL;
    rc = st->ops->study_names(st->impl, &names, &n);
    if (rc)
        return rc;
    igm_strbuf_append(&sb, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            igm_strbuf_append(&sb, ", ");
        igm_json_string(&sb, names[i]);
        free(names[i]);
    }
    free(names);
    igm_strbuf_append(&sb, "]");
    return igm_strbuf_finish(&sb, json_out) ? igm_error_nomem() : IGMOPT_OK;
}

IGMOPT_API int igmopt_study_set_metric_names(igmopt_study *study, const char *const *names,
                                             size_t n)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *list;
    int rc;
    if (!study || !names)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_set_metric_names: arguments must not be "
                         "NULL");
    if (n != study->n_objectives)
        return igm_error(IGMOPT_EINVAL, "metric names: %zu given, but the study has %zu "
                         "objective(s)", n, study->n_objectives);
    for (size_t i = 0; i < n; i++) {
        char what[48];
        int rc_name;
        snprintf(what, sizeof what, "metric names: names[%zu]", i);
        if ((rc_name = igm_check_name(names[i], what)))
            return rc_name;
    }
    igm_strbuf_append(&sb, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            igm_strbuf_append(&sb, ", ");
        igm_json_string(&sb, names[i]);
    }
    igm_strbuf_append(&sb, "]");
    if (igm_strbuf_finish(&sb, &list))
        return igm_error_nomem();
    /* Optuna reads study:metric_names, the dashboards dashboard:objective_names. */
    rc = study->storage->ops->set_study_attr(study->storage->impl, study->study_id,
                                             IGM_ATTR_SYSTEM, "study:metric_names", list);
    if (rc == IGMOPT_OK)
        rc = study->storage->ops->set_study_attr(study->storage->impl, study->study_id,
                                                 IGM_ATTR_SYSTEM, "dashboard:objective_names",
                                                 list);
    free(list);
    return rc;
}

IGMOPT_API int igmopt_study_set_user_attr(igmopt_study *study, const char *key,
                                          const char *value_json)
{
    int rc;
    if (!study)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_set_user_attr: study must not be NULL");
    if ((rc = igm_check_name(key, "user attr key")) ||
        (rc = igm_json_validate(value_json, "user attr value")))
        return rc;
    return study->storage->ops->set_study_attr(study->storage->impl, study->study_id,
                                               IGM_ATTR_USER, key, value_json);
}

IGMOPT_API int igmopt_study_enqueue(igmopt_study *study, const char *params_json)
{
    igm_frozen_trial *tmpl;
    igm_strbuf sb = IGM_STRBUF_INIT;
    json_t *params;
    char *fixed;
    int64_t trial_id, number;
    int rc;
    if (!study)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_enqueue: study must not be NULL");
    if ((rc = igm_json_parse(params_json, "enqueued params", &params)))
        return rc;
    if (!json_is_object(params)) {
        json_decref(params);
        return igm_error(IGMOPT_EINVAL, "enqueued params: must be a JSON object of name -> "
                         "value");
    }
    igm_json_dump_value(&sb, params);
    json_decref(params);
    if (igm_strbuf_finish(&sb, &fixed))
        return igm_error_nomem();
    tmpl = igm_frozen_trial_new();
    rc = tmpl ? igm_attr_list_set(&tmpl->system_attrs, "fixed_params", fixed)
              : igm_error_nomem();
    free(fixed);
    if (rc == IGMOPT_OK) {
        tmpl->state = IGMOPT_WAITING;
        rc = study->storage->ops->create_trial(study->storage->impl, study->study_id, tmpl, 0,
                                               &trial_id, &number);
    }
    igm_frozen_trial_free(tmpl);
    return rc;
}

int igm_study_trials(igmopt_study *study, igm_frozen_trial *const **trials, size_t *n)
{
    int rc = igm_trial_cache_refresh(&study->cache, study->storage, study->study_id);
    *trials = study->cache.trials;
    *n = study->cache.count;
    return rc;
}

int igm_study_find_trial(igmopt_study *study, int64_t number, const igm_frozen_trial **out)
{
    igm_frozen_trial *const *trials;
    size_t n;
    int rc = igm_study_trials(study, &trials, &n);
    *out = NULL;
    if (rc)
        return rc;
    if (number >= 0 && (uint64_t)number < n && trials[number]->number == number) {
        *out = trials[number];
        return IGMOPT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (trials[i]->number == number) {
            *out = trials[i];
            return IGMOPT_OK;
        }
    }
    return igm_error(IGMOPT_ENOTFOUND, "study '%s' has no trial number %lld", study->name,
                     (long long)number);
}

const igm_distribution *igm_study_param_distribution(const igmopt_study *study,
                                                     const char *name)
{
    for (size_t i = 0; i < study->cache.n_known; i++)
        if (strcmp(study->cache.known_params[i].name, name) == 0)
            return study->cache.known_params[i].distribution;
    return NULL;
}

IGMOPT_API int igmopt_study_trials_json(igmopt_study *study, char **json_out)
{
    igm_frozen_trial *const *trials;
    size_t n;
    int rc;
    if (!study || !json_out)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_trials_json: arguments must not be NULL");
    *json_out = NULL;
    if ((rc = igm_study_trials(study, &trials, &n)))
        return rc;
    return igm_trials_to_json((const igm_frozen_trial *const *)trials, n, json_out);
}

IGMOPT_API int igmopt_study_best_trials_json(igmopt_study *study, char **json_out)
{
    igm_frozen_trial *const *trials;
    const igm_frozen_trial **best = NULL;
    size_t n, n_best = 0;
    int rc;
    if (!study || !json_out)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_best_trials_json: arguments must not be "
                         "NULL");
    *json_out = NULL;
    if ((rc = igm_study_trials(study, &trials, &n)))
        return rc;
    if ((rc = igm_best_trials(study, trials, n, &best, &n_best)))
        return rc;
    rc = igm_trials_to_json(best, n_best, json_out);
    free(best);
    return rc;
}

int igm_study_set_system_attr(igmopt_study *study, const char *key, const char *value_json)
{
    return study->storage->ops->set_study_attr(study->storage->impl, study->study_id,
                                               IGM_ATTR_SYSTEM, key, value_json);
}

int igm_study_sampler_cache(igmopt_study *study, size_t size, void (*free_cache)(void *),
                            void **out)
{
    if (study->sampler_cache_free == free_cache) {
        *out = study->sampler_cache;
        return IGMOPT_OK;
    }
    if (study->sampler_cache_free)
        study->sampler_cache_free(study->sampler_cache);
    study->sampler_cache = NULL;
    study->sampler_cache_free = NULL;
    if (!(*out = calloc(1, size)))
        return igm_error_nomem();
    study->sampler_cache = *out;
    study->sampler_cache_free = free_cache;
    return IGMOPT_OK;
}

int igm_study_system_attrs(igmopt_study *study, igm_attr_list *out)
{
    return study->storage->ops->get_study_attrs(study->storage->impl, study->study_id,
                                                IGM_ATTR_SYSTEM, out);
}

int igm_study_set_trial_system_attr(igmopt_study *study, igm_frozen_trial *trial,
                                    const char *key, const char *value_json)
{
    int rc = study->storage->ops->set_trial_attr(study->storage->impl, trial->trial_id,
                                                 IGM_ATTR_SYSTEM, key, value_json);
    return rc ? rc : igm_attr_list_set(&trial->system_attrs, key, value_json);
}

void igm_study_request_stop(igmopt_study *study)
{
    study->stop_requested = 1;
}

int igm_study_stop_requested(const igmopt_study *study)
{
    return study->stop_requested;
}
