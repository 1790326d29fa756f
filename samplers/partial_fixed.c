/* PartialFixedSampler: some parameters fixed to given values, the others
 * left to a base sampler (OPTUNA-ALGORITHMS.md s7,
 * optuna/samplers/_partial_fixed.py). */
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/json.h"
#include "../lib/strbuf.h"
#include "sampler.h"

typedef struct partial_fixed_sampler {
    char **names;  /* the fixed parameters */
    char **values; /* their external values as JSON text */
    size_t n_fixed;
    igmopt_sampler *base;
} partial_fixed_sampler;

static const char *fixed_value(const partial_fixed_sampler *s, const char *name)
{
    for (size_t i = 0; i < s->n_fixed; i++)
        if (strcmp(s->names[i], name) == 0)
            return s->values[i];
    return NULL;
}

/* Optuna removes the fixed names from the base sampler's relative search
 * space before it samples; our samplers infer and sample in one call, so
 * the base draws its whole space and the fixed names are dropped from what
 * it returns.  The others keep the base's joint draw. */
static int pf_sample_relative(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                              igm_relative_params *out)
{
    partial_fixed_sampler *s = impl;
    size_t kept = 0;
    int rc = igm_sampler_sample_relative(s->base, study, trial, out);
    if (rc)
        return rc;
    for (size_t i = 0; i < out->count; i++) {
        igm_param *p = &out->items[i];
        if (fixed_value(s, p->name)) {
            free(p->name);
            igm_distribution_free(p->distribution);
        } else {
            out->items[kept++] = *p;
        }
    }
    out->count = kept;
    return IGMOPT_OK;
}

static int pf_sample_independent(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                                 const char *name, const igm_distribution *d, double *internal)
{
    partial_fixed_sampler *s = impl;
    const char *value = fixed_value(s, name);
    int rc;
    if (!value)
        return igm_sampler_sample_independent(s->base, study, trial, name, d, internal);
    /* Optuna warns and uses a fixed value outside the distribution; a value
     * the distribution cannot hold is an error here. */
    rc = igm_distribution_internal_from_json(d, name, value, internal);
    return rc ? igm_error_wrap(rc, "PartialFixedSampler") : IGMOPT_OK;
}

static int pf_before_trial(void *impl, igmopt_study *study, igm_frozen_trial *trial)
{
    partial_fixed_sampler *s = impl;
    return igm_sampler_before_trial(s->base, study, trial);
}

static int pf_after_trial(void *impl, igmopt_study *study, igm_frozen_trial *trial,
                          igmopt_trial_state state, const double *values, size_t n_values)
{
    partial_fixed_sampler *s = impl;
    return igm_sampler_after_trial(s->base, study, trial, state, values, n_values);
}

static int pf_check_objectives(void *impl, size_t n_objectives)
{
    partial_fixed_sampler *s = impl;
    return s->base->ops->check_objectives
               ? s->base->ops->check_objectives(s->base->impl, n_objectives)
               : IGMOPT_OK;
}

static void pf_free(void *impl)
{
    partial_fixed_sampler *s = impl;
    if (!s)
        return;
    for (size_t i = 0; i < s->n_fixed; i++) {
        free(s->names[i]);
        free(s->values[i]);
    }
    free(s->names);
    free(s->values);
    igmopt_sampler_free(s->base);
    free(s);
}

static const igm_sampler_ops partial_fixed_sampler_ops = {
    "PartialFixedSampler", pf_free, pf_before_trial, pf_sample_relative,
    pf_sample_independent, pf_after_trial, pf_check_objectives,
};

static int read_fixed_params(partial_fixed_sampler *s, const json_t *options)
{
    const json_t *fixed = json_object_get(options, "fixed_params");
    const char *name;
    json_t *value;
    size_t n;
    if (!fixed || !json_is_object(fixed))
        return igm_error(IGMOPT_EINVAL, "PartialFixedSampler: option 'fixed_params' must be a "
                         "JSON object of parameter name -> value");
    n = json_object_size(fixed);
    s->names = calloc(n ? n : 1, sizeof *s->names);
    s->values = calloc(n ? n : 1, sizeof *s->values);
    if (!s->names || !s->values)
        return igm_error_nomem();
    json_object_foreach((json_t *)fixed, name, value) {
        igm_strbuf sb = IGM_STRBUF_INIT;
        if (!(json_is_null(value) || json_is_boolean(value) || json_is_number(value) ||
              json_is_string(value)))
            return igm_error(IGMOPT_EINVAL, "PartialFixedSampler: fixed_params['%s'] must be "
                             "null, a boolean, a number or a string", name);
        igm_json_dump_value(&sb, value);
        if (!(s->names[s->n_fixed] = strdup(name)) ||
            igm_strbuf_finish(&sb, &s->values[s->n_fixed])) {
            free(s->names[s->n_fixed]);
            return igm_error_nomem();
        }
        s->n_fixed++;
    }
    return IGMOPT_OK;
}

/* Optuna requires a base sampler; without one we take the default sampler
 * (TPESampler, or RandomSampler where TPE is not built). */
static int read_base_sampler(partial_fixed_sampler *s, const json_t *options)
{
    const json_t *spec = json_object_get(options, "base_sampler");
    int rc;
    if (spec && !json_is_null(spec)) {
        rc = igm_sampler_from_json(spec, &s->base);
        return rc ? igm_error_wrap(rc, "PartialFixedSampler: option 'base_sampler'") : rc;
    }
    rc = igmopt_sampler_new(&s->base, "TPESampler", NULL);
    if (rc == IGMOPT_EUNAVAILABLE) {
        igm_error_clear();
        rc = igmopt_sampler_new(&s->base, "RandomSampler", NULL);
    }
    return rc;
}

int igm_partial_fixed_sampler_create(void **impl, const igm_sampler_ops **ops,
                                     const json_t *options)
{
    static const char *const allowed[] = {"fixed_params", "base_sampler", NULL};
    partial_fixed_sampler *s = calloc(1, sizeof *s);
    int rc;
    if (!s)
        return igm_error_nomem();
    if ((rc = igm_options_check_keys(options, "PartialFixedSampler", allowed)) ||
        (rc = read_fixed_params(s, options)) || (rc = read_base_sampler(s, options))) {
        pf_free(s);
        return rc;
    }
    *impl = s;
    *ops = &partial_fixed_sampler_ops;
    return IGMOPT_OK;
}
