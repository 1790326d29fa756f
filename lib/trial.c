/* Trials: ask (enqueued first), the suggest_* precedence of Optuna's
 * Trial._suggest (OPTUNA-ALGORITHMS.md s1.2), reports, and tell. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "name_check.h"
#include "strbuf.h"
#include "study.h"

#define STORAGE(study) ((study)->storage->ops)
#define IMPL(study) ((study)->storage->impl)

static int trial_handle_new(igmopt_trial **out, igmopt_study *study,
                            const igm_frozen_trial *source)
{
    igmopt_trial *t = calloc(1, sizeof *t);
    const char *fixed = igm_attr_list_get(&source->system_attrs, "fixed_params");
    if (!t)
        return igm_error_nomem();
    t->study = study;
    if (igm_frozen_trial_copy(&t->record, source) != IGMOPT_OK ||
        (fixed && !(t->fixed_params = strdup(fixed)))) {
        igmopt_trial_free(t);
        return igm_error_nomem();
    }
    *out = t;
    return IGMOPT_OK;
}

IGMOPT_API void igmopt_trial_free(igmopt_trial *t)
{
    if (!t)
        return;
    igm_frozen_trial_free(t->record);
    free(t->fixed_params);
    igm_relative_params_clear(&t->relative);
    free(t);
}

IGMOPT_API int64_t igmopt_trial_number(const igmopt_trial *t)
{
    return t ? t->record->number : -1;
}

/* A popped WAITING trial carries its template (fixed_params, user attrs):
 * read it back; a fresh trial is known without a read. */
static int started_trial_record(igmopt_study *study, int64_t trial_id, int64_t number,
                                int popped, igm_frozen_trial **out)
{
    igm_frozen_trial **found = NULL;
    size_t n = 0;
    int rc;
    if (!popped) {
        *out = igm_frozen_trial_new();
        if (!*out)
            return igm_error_nomem();
        (*out)->trial_id = trial_id;
        (*out)->number = number;
        (*out)->state = IGMOPT_RUNNING;
        igm_datetime_now((*out)->datetime_start);
        return IGMOPT_OK;
    }
    rc = STORAGE(study)->read_trials(IMPL(study), study->study_id, INT64_MAX, &trial_id, 1,
                                     &found, &n);
    if (rc == IGMOPT_OK && n != 1)
        rc = igm_error(IGMOPT_ESTORAGE, "trial %lld vanished while starting it",
                       (long long)number);
    *out = rc == IGMOPT_OK ? found[0] : NULL;
    for (size_t i = rc == IGMOPT_OK ? 1 : 0; i < n; i++)
        igm_frozen_trial_free(found[i]);
    free(found);
    return rc;
}

IGMOPT_API int igmopt_study_ask_capped(igmopt_study *study, int64_t max_trials,
                                       igmopt_trial **out)
{
    igm_frozen_trial *record = NULL;
    int64_t trial_id, number, cap = max_trials > 0 ? max_trials : 0;
    int popped = 1, rc;
    if (!study || !out)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_ask: arguments must not be NULL");
    *out = NULL;
    rc = STORAGE(study)->pop_waiting_trial(IMPL(study), study->study_id, cap, &trial_id,
                                           &number);
    if (rc == IGMOPT_ENOTFOUND) {
        popped = 0;
        rc = STORAGE(study)->create_trial(IMPL(study), study->study_id, NULL, cap, &trial_id,
                                          &number);
    }
    if (rc == IGMOPT_OK)
        rc = started_trial_record(study, trial_id, number, popped, &record);
    if (rc == IGMOPT_OK && study->sampler->ops->before_trial)
        rc = study->sampler->ops->before_trial(study->sampler->impl, study, record);
    if (rc == IGMOPT_OK)
        rc = trial_handle_new(out, study, record);
    igm_frozen_trial_free(record);
    return rc;
}

IGMOPT_API int igmopt_study_ask(igmopt_study *study, igmopt_trial **out)
{
    return igmopt_study_ask_capped(study, 0, out);
}

IGMOPT_API int igmopt_study_trial(igmopt_study *study, int64_t number, igmopt_trial **out)
{
    const igm_frozen_trial *found;
    int rc;
    if (!study || !out)
        return igm_error(IGMOPT_EINVAL, "igmopt_study_trial: arguments must not be NULL");
    *out = NULL;
    rc = igm_study_find_trial(study, number, &found);
    return rc ? rc : trial_handle_new(out, study, found);
}

/* ---- suggest ---------------------------------------------------------- */

static int fixed_value(const igmopt_trial *t, const char *name, const igm_distribution *d,
                       int *has_value, double *internal)
{
    json_t *params, *value;
    char *value_json;
    int rc;
    *has_value = 0;
    if (!t->fixed_params)
        return IGMOPT_OK;
    if ((rc = igm_json_parse(t->fixed_params, "fixed_params", &params)))
        return rc;
    value = json_object_get(params, name);
    if (value) {
        value_json = json_dumps(value, JSON_ENCODE_ANY);
        rc = value_json ? igm_distribution_internal_from_json(d, name, value_json, internal)
                        : igm_error_nomem();
        free(value_json);
        *has_value = rc == IGMOPT_OK;
    }
    json_decref(params);
    return rc;
}

static double single_value(const igm_distribution *d)
{
    return d->kind == IGM_DIST_CATEGORICAL ? 0.0 : d->low;
}

/* The sampler's joint draw, made once per trial at its first use. */
static int relative_value(igmopt_trial *t, const char *name, const igm_distribution *d,
                          int *has_value, double *internal)
{
    igmopt_sampler *s = t->study->sampler;
    int rc;
    *has_value = 0;
    if (!t->relative_sampled && s->ops->sample_relative) {
        rc = s->ops->sample_relative(s->impl, t->study, t->record, &t->relative);
        if (rc)
            return rc;
    }
    t->relative_sampled = 1;
    for (size_t i = 0; i < t->relative.count; i++) {
        const igm_param *p = &t->relative.items[i];
        if (strcmp(p->name, name) != 0)
            continue;
        /* Optuna falls through to independent sampling when the joint
         * value is not a value of the distribution asked for now. */
        if (igm_distribution_compatible(p->distribution, d) &&
            igm_distribution_contains(d, p->internal)) {
            *internal = p->internal;
            *has_value = 1;
        }
        break;
    }
    return IGMOPT_OK;
}

static int choose_value(igmopt_trial *t, const char *name, const igm_distribution *d,
                        double *internal)
{
    igmopt_sampler *s = t->study->sampler;
    int has_value;
    int rc = fixed_value(t, name, d, &has_value, internal);
    if (rc || has_value)
        return rc;
    if (igm_distribution_single(d)) {
        *internal = single_value(d);
        return IGMOPT_OK;
    }
    rc = relative_value(t, name, d, &has_value, internal);
    if (rc || has_value)
        return rc;
    return s->ops->sample_independent(s->impl, t->study, t->record, name, d, internal);
}

/* Optuna refuses a distribution incompatible with the one earlier trials
 * used for the name.  The check runs against the cache (read once per
 * handle, then kept up to date by this handle's own suggestions), so it
 * costs no storage read per suggest. */
static int check_against_study(const igmopt_trial *t, const char *name,
                               const igm_distribution *d)
{
    igmopt_study *study = t->study;
    const igm_distribution *known;
    int rc;
    if (!study->cache.refreshed &&
        (rc = igm_trial_cache_refresh(&study->cache, study->storage, study->study_id)))
        return rc;
    known = igm_study_param_distribution(study, name);
    if (known && !igm_distribution_compatible(known, d))
        return igm_error(IGMOPT_EINVAL, "parameter '%s': its distribution is incompatible "
                         "with the one earlier trials of study '%s' used (Optuna requires the "
                         "same kind, log flag and choices)", name, t->study->name);
    return IGMOPT_OK;
}

static int suggest_new(igmopt_trial *t, const char *name, const igm_distribution *d,
                       double *value)
{
    int rc = check_against_study(t, name, d);
    if (rc == IGMOPT_OK)
        rc = choose_value(t, name, d, value);
    if (rc == IGMOPT_OK)
        rc = STORAGE(t->study)->set_trial_param(IMPL(t->study), t->record->trial_id, name,
                                                *value, d);
    if (rc == IGMOPT_OK)
        rc = igm_frozen_trial_add_param(t->record, name, *value, d);
    if (rc == IGMOPT_OK)
        rc = igm_trial_cache_remember_param(&t->study->cache, name, d);
    return rc;
}

/* Takes ownership of d.  *internal is written only on success. */
static int suggest(igmopt_trial *t, const char *name, igm_distribution *d, double *internal)
{
    const igm_param *existing = igm_frozen_trial_param(t->record, name);
    double value = 0;
    int rc;
    if (existing) {
        rc = igm_distribution_compatible(existing->distribution, d)
                 ? IGMOPT_OK
                 : igm_error(IGMOPT_EINVAL, "parameter '%s' was already suggested in this "
                             "trial with an incompatible distribution", name);
        value = existing->internal;
    } else {
        rc = suggest_new(t, name, d, &value);
    }
    igm_distribution_free(d);
    if (rc == IGMOPT_OK)
        *internal = value;
    return rc;
}

static int check_suggest_args(const igmopt_trial *t, const char *name, const void *out)
{
    if (!t || !out)
        return igm_error(IGMOPT_EINVAL, "suggest: trial and output must not be NULL");
    return igm_check_name(name, "suggest: the parameter name");
}

IGMOPT_API int igmopt_trial_suggest_float(igmopt_trial *t, const char *name, double low,
                                          double high, double step, int log, double *out)
{
    igm_distribution *d;
    int rc = check_suggest_args(t, name, out);
    if (rc || (rc = igm_distribution_float(&d, name, low, high, step, log)))
        return rc;
    return suggest(t, name, d, out);
}

IGMOPT_API int igmopt_trial_suggest_int(igmopt_trial *t, const char *name, int64_t low,
                                        int64_t high, int64_t step, int log, int64_t *out)
{
    igm_distribution *d;
    double internal;
    int rc = check_suggest_args(t, name, out);
    if (rc || (rc = igm_distribution_int(&d, name, low, high, step, log)))
        return rc;
    rc = suggest(t, name, d, &internal);
    if (rc == IGMOPT_OK)
        *out = (int64_t)internal;
    return rc;
}

IGMOPT_API int igmopt_trial_suggest_categorical(igmopt_trial *t, const char *name,
                                                const char *choices_json, size_t *index_out)
{
    igm_distribution *d;
    double internal;
    int rc = check_suggest_args(t, name, index_out);
    if (rc || (rc = igm_distribution_categorical(&d, name, choices_json)))
        return rc;
    rc = suggest(t, name, d, &internal);
    if (rc == IGMOPT_OK)
        *index_out = (size_t)internal;
    return rc;
}

/* ---- reports and attributes --------------------------------------------- */

IGMOPT_API int igmopt_trial_report(igmopt_trial *t, int64_t step, double value)
{
    int rc;
    if (!t)
        return igm_error(IGMOPT_EINVAL, "igmopt_trial_report: trial must not be NULL");
    if (t->study->n_objectives > 1)
        return igm_error(IGMOPT_EINVAL, "igmopt_trial_report: intermediate values are for "
                         "single-objective studies (Optuna's rule)");
    if (step < 0)
        return igm_error(IGMOPT_EINVAL, "igmopt_trial_report: step must be >= 0 (got %lld)",
                         (long long)step);
    for (size_t i = 0; i < t->record->n_intermediate; i++)
        if (t->record->intermediate[i].step == step)
            return IGMOPT_OK; /* Optuna keeps the first report of a step */
    rc = STORAGE(t->study)->set_trial_intermediate(IMPL(t->study), t->record->trial_id, step,
                                                   value);
    return rc ? rc : igm_frozen_trial_set_intermediate(t->record, step, value);
}

IGMOPT_API int igmopt_trial_should_prune(igmopt_trial *t, int *prune)
{
    igmopt_pruner *p;
    if (!t || !prune)
        return igm_error(IGMOPT_EINVAL, "igmopt_trial_should_prune: arguments must not be "
                         "NULL");
    if (t->study->n_objectives > 1)
        return igm_error(IGMOPT_EINVAL, "igmopt_trial_should_prune: pruning is for "
                         "single-objective studies (Optuna's rule)");
    p = t->study->pruner;
    return p->ops->prune(p->impl, t->study, t->record, prune);
}

IGMOPT_API int igmopt_trial_set_user_attr(igmopt_trial *t, const char *key,
                                          const char *value_json)
{
    int rc;
    if (!t)
        return igm_error(IGMOPT_EINVAL, "igmopt_trial_set_user_attr: trial must not be NULL");
    if ((rc = igm_check_name(key, "user attr key")) ||
        (rc = igm_json_validate(value_json, "user attr value")))
        return rc;
    rc = STORAGE(t->study)->set_trial_attr(IMPL(t->study), t->record->trial_id, IGM_ATTR_USER,
                                           key, value_json);
    return rc ? rc : igm_attr_list_set(&t->record->user_attrs, key, value_json);
}

IGMOPT_API int igmopt_trial_set_constraints(igmopt_trial *t, const double *values, size_t n)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *json;
    int rc;
    if (!t || (n && !values))
        return igm_error(IGMOPT_EINVAL, "igmopt_trial_set_constraints: trial and values must "
                         "not be NULL");
    igm_strbuf_append(&sb, "[");
    for (size_t i = 0; i < n; i++) {
        if (isnan(values[i])) {
            igm_strbuf_release(&sb);
            return igm_error(IGMOPT_EINVAL, "igmopt_trial_set_constraints: constraint %zu is "
                             "NaN", i);
        }
        if (i)
            igm_strbuf_append(&sb, ", ");
        igm_json_double(&sb, values[i]);
    }
    igm_strbuf_append(&sb, "]");
    if (igm_strbuf_finish(&sb, &json))
        return igm_error_nomem();
    rc = igm_study_set_trial_system_attr(t->study, t->record, "constraints", json);
    free(json);
    return rc;
}

/* ---- tell --------------------------------------------------------------- */

/* Why values cannot complete the trial, or NULL when they can. */
static const char *invalid_values_reason(const igmopt_study *study, const double *values,
                                         size_t n, char *buf, size_t size)
{
    if (n != study->n_objectives || (n && !values)) {
        snprintf(buf, size, "The number of the values %zu did not match the number of the "
                 "objectives %zu.", n, study->n_objectives);
        return buf;
    }
    for (size_t i = 0; i < n; i++) {
        if (isnan(values[i])) {
            snprintf(buf, size, "The value nan (objective %zu) is not acceptable.", i);
            return buf;
        }
    }
    return NULL;
}

static int record_fail_reason(igmopt_study *study, int64_t trial_id, const char *reason)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *json;
    int rc;
    igm_json_string(&sb, reason);
    if (igm_strbuf_finish(&sb, &json))
        return igm_error_nomem();
    rc = STORAGE(study)->set_trial_attr(IMPL(study), trial_id, IGM_ATTR_SYSTEM, "fail_reason",
                                        json);
    free(json);
    return rc;
}

/* What a tell stores: Optuna decides the final state and values first,
 * shows them to the sampler's after_trial, then writes them. */
typedef struct tell_outcome {
    igmopt_trial_state state;
    const double *values;
    size_t n_values;
    double last_value;
    const char *fail_reason; /* NULL unless COMPLETE values were refused */
    char reason[160];
} tell_outcome;

/* A PRUNED single-objective trial takes its last reported value, if any
 * and not NaN (Optuna's tell). */
static void decide_outcome(const igmopt_study *study, const igm_frozen_trial *record,
                           igmopt_trial_state state, const double *values, size_t n_values,
                           tell_outcome *o)
{
    o->state = state;
    o->values = NULL;
    o->n_values = 0;
    o->fail_reason = NULL;
    if (state == IGMOPT_COMPLETE) {
        o->fail_reason = invalid_values_reason(study, values, n_values, o->reason,
                                               sizeof o->reason);
        if (o->fail_reason) {
            o->state = IGMOPT_FAIL;
        } else {
            o->values = values;
            o->n_values = n_values;
        }
    } else if (state == IGMOPT_PRUNED && study->n_objectives == 1 && record->n_intermediate) {
        o->last_value = record->intermediate[record->n_intermediate - 1].value;
        if (!isnan(o->last_value)) {
            o->values = &o->last_value;
            o->n_values = 1;
        }
    }
}

static int store_outcome(igmopt_study *study, const igm_frozen_trial *record,
                         const tell_outcome *o)
{
    int rc = IGMOPT_OK;
    if (o->fail_reason)
        rc = record_fail_reason(study, record->trial_id, o->fail_reason);
    if (rc == IGMOPT_OK)
        rc = STORAGE(study)->finish_trial(IMPL(study), record->trial_id, o->state, o->values,
                                          o->n_values);
    return rc;
}

static int check_tell_args(const igmopt_study *study, igmopt_trial_state state,
                           const double *values, size_t n_values)
{
    if (!study)
        return igm_error(IGMOPT_EINVAL, "tell: study must not be NULL");
    if (state != IGMOPT_COMPLETE && state != IGMOPT_PRUNED && state != IGMOPT_FAIL)
        return igm_error(IGMOPT_EINVAL, "tell: state must be COMPLETE, PRUNED or FAIL (got %d)",
                         (int)state);
    if (state != IGMOPT_COMPLETE && (values || n_values))
        return igm_error(IGMOPT_EINVAL, "tell: a %s trial takes no values",
                         igm_trial_state_name(state));
    if (state == IGMOPT_COMPLETE && !values)
        return igm_error(IGMOPT_EINVAL, "tell: values is NULL (a COMPLETE trial needs one "
                         "value per objective)");
    return IGMOPT_OK;
}

/* The outcome is stored even when the sampler's after_trial fails, so a
 * tell never leaves the trial RUNNING (Optuna stores it in a finally). */
static int tell_record(igmopt_study *study, igm_frozen_trial *record, igmopt_trial_state state,
                       const double *values, size_t n_values)
{
    const igm_sampler_ops *ops = study ? study->sampler->ops : NULL;
    tell_outcome o;
    int after_rc = IGMOPT_OK, rc = check_tell_args(study, state, values, n_values);
    if (rc)
        return rc;
    if (igm_trial_state_finished(record->state))
        return igm_error(IGMOPT_ESTATE, "trial %lld has already finished (%s) and cannot be "
                         "updated", (long long)record->number,
                         igm_trial_state_name(record->state));
    decide_outcome(study, record, state, values, n_values, &o);
    if (ops->after_trial)
        after_rc = ops->after_trial(study->sampler->impl, study, record, o.state, o.values,
                                    o.n_values);
    rc = store_outcome(study, record, &o);
    if (rc)
        return rc;
    record->state = o.state;
    if (after_rc)
        return after_rc;
    if (o.fail_reason)
        return igm_error(IGMOPT_ETRIALFAIL, "trial %lld recorded as FAIL: %s",
                         (long long)record->number, o.fail_reason);
    return IGMOPT_OK;
}

IGMOPT_API int igmopt_study_tell(igmopt_study *study, igmopt_trial *t, igmopt_trial_state state,
                                 const double *values, size_t n_values)
{
    if (!t || !study)
        return igm_error(IGMOPT_EINVAL, "tell: %s must not be NULL", t ? "study" : "trial");
    if (t->study != study)
        return igm_error(IGMOPT_EINVAL, "tell: trial %lld belongs to another study handle",
                         (long long)t->record->number);
    return tell_record(study, t->record, state, values, n_values);
}

int igm_study_fail_trial(igmopt_study *study, igmopt_trial *t, const char *reason)
{
    int rc;
    if (!study || !t || t->study != study || !reason)
        return igm_error(IGMOPT_EINVAL, "igm_study_fail_trial: study, trial of that study "
                         "and reason are needed");
    if (igm_trial_state_finished(t->record->state))
        return igm_error(IGMOPT_ESTATE, "trial %lld has already finished (%s) and cannot be "
                         "updated", (long long)t->record->number,
                         igm_trial_state_name(t->record->state));
    rc = record_fail_reason(study, t->record->trial_id, reason);
    return rc ? rc : tell_record(study, t->record, IGMOPT_FAIL, NULL, 0);
}

IGMOPT_API int igmopt_study_tell_number(igmopt_study *study, int64_t number,
                                        igmopt_trial_state state, const double *values,
                                        size_t n_values)
{
    const igm_frozen_trial *found;
    igm_frozen_trial *record;
    int rc;
    if (!study)
        return igm_error(IGMOPT_EINVAL, "tell: study must not be NULL");
    if ((rc = igm_study_find_trial(study, number, &found)))
        return rc;
    if ((rc = igm_frozen_trial_copy(&record, found)))
        return rc;
    rc = tell_record(study, record, state, values, n_values);
    igm_frozen_trial_free(record);
    return rc;
}
