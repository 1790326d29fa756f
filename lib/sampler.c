/* The sampler registry: Optuna class names to constructors, the default
 * sampler, reference counting, and the kwarg checks every sampler uses. */
#include <stdlib.h>
#include <string.h>

#include "../samplers/sampler.h"
#include "error.h"
#include "json.h"
#include "methods.h"

typedef struct sampler_entry {
    const char *method;
    igm_sampler_create_fn create; /* NULL: known to Optuna, not built yet */
} sampler_entry;

static const sampler_entry sampler_table[] = {
    {"RandomSampler", igm_random_sampler_create},
    {"TPESampler", igm_tpe_sampler_create},
    {"NSGAIISampler", igm_nsga2_sampler_create},
    {"NSGAIIISampler", igm_nsga3_sampler_create},
    {"CmaEsSampler", NULL},
    {"GPSampler", NULL},
    {"QMCSampler", igm_qmc_sampler_create},
    {"GridSampler", igm_grid_sampler_create},
    {"BruteForceSampler", igm_brute_force_sampler_create},
    {"PartialFixedSampler", igm_partial_fixed_sampler_create},
};

#define DEFAULT_SAMPLER "TPESampler" /* Optuna's default */
#define SEED_MAX 4294967295LL  /* 2**32 - 1 */

int igm_options_check_keys(const json_t *options, const char *owner,
                           const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)options, key, value) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (!allowed[i])
            return igm_error(IGMOPT_EINVAL, "%s: unknown option '%s'", owner, key);
    }
    return IGMOPT_OK;
}

int igm_options_seed(const json_t *options, const char *owner, int *has_seed, uint64_t *seed)
{
    const json_t *v = json_object_get(options, "seed");
    *has_seed = 0;
    if (!v || json_is_null(v))
        return IGMOPT_OK;
    if (!json_is_integer(v))
        return igm_error(IGMOPT_EINVAL, "%s: option 'seed' must be an integer or null", owner);
    /* Optuna seeds numpy's RandomState, which takes no other values. */
    if (json_integer_value(v) < 0 || json_integer_value(v) > SEED_MAX)
        return igm_error(IGMOPT_EINVAL, "%s: option 'seed' must be between 0 and 2**32 - 1 "
                         "(got %" JSON_INTEGER_FORMAT ")", owner, json_integer_value(v));
    *has_seed = 1;
    *seed = (uint64_t)json_integer_value(v);
    return IGMOPT_OK;
}

/* Python would keep the last of two equal keys; a kwarg typed twice is
 * more likely a mistake, as YAML's loader says of a repeated key. */
static int refuse_duplicate_keys(const char *options_json, const char *owner)
{
    json_error_t err;
    json_t *strict = json_loads(options_json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
    json_decref(strict);
    if (strict || json_error_code(&err) != json_error_duplicate_key)
        return IGMOPT_OK;
    return igm_error(IGMOPT_EINVAL, "%s: an option is given twice (%s)", owner, err.text);
}

int igm_parse_kwargs(const char *options_json, const char *owner, json_t **out)
{
    int rc;
    if (!options_json) {
        *out = json_object();
        return *out ? IGMOPT_OK : igm_error_nomem();
    }
    rc = igm_json_parse(options_json, owner, out);
    if (rc == IGMOPT_OK && !json_is_object(*out))
        rc = igm_error(IGMOPT_EINVAL, "%s: options must be a JSON object", owner);
    if (rc == IGMOPT_OK)
        rc = refuse_duplicate_keys(options_json, owner);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static const sampler_entry *find_sampler(const char *method)
{
    for (size_t i = 0; i < sizeof sampler_table / sizeof *sampler_table; i++)
        if (strcmp(sampler_table[i].method, method) == 0)
            return &sampler_table[i];
    return NULL;
}

int igm_sampler_method_known(const char *method)
{
    return !method || find_sampler(method) != NULL;
}

IGMOPT_API int igmopt_sampler_new(igmopt_sampler **out, const char *method,
                                  const char *options_json)
{
    const sampler_entry *entry;
    igmopt_sampler *s;
    json_t *options;
    int rc;
    if (!out)
        return igm_error(IGMOPT_EINVAL, "igmopt_sampler_new: out must not be NULL");
    *out = NULL;
    if (!method)
        method = DEFAULT_SAMPLER;
    entry = find_sampler(method);
    if (!entry)
        return igm_error(IGMOPT_EINVAL, "unknown sampler '%s'", method);
    if (!entry->create)
        return igm_error(IGMOPT_EUNAVAILABLE, "sampler '%s' is not available yet in this "
                         "version of libigmopt", method);
    if ((rc = igm_parse_kwargs(options_json, method, &options)))
        return rc;
    s = calloc(1, sizeof *s);
    rc = s ? entry->create(&s->impl, &s->ops, options) : igm_error_nomem();
    json_decref(options);
    if (rc) {
        free(s);
        return rc;
    }
    s->refs = 1;
    *out = s;
    return IGMOPT_OK;
}

int igm_default_sampler(igmopt_sampler **out)
{
    return igmopt_sampler_new(out, NULL, NULL);
}

void igm_sampler_retain(igmopt_sampler *s)
{
    s->refs++;
}

IGMOPT_API void igmopt_sampler_free(igmopt_sampler *s)
{
    if (!s || --s->refs > 0)
        return;
    s->ops->free(s->impl);
    free(s);
}

/* ---- nested samplers (QMCSampler's independent_sampler,
 * PartialFixedSampler's base_sampler) ---------------------------------- */

int igm_sampler_from_json(const json_t *spec, igmopt_sampler **out)
{
    const json_t *method;
    json_t *kwargs;
    char *kwargs_json;
    int rc;
    *out = NULL;
    if (json_is_string(spec))
        return igmopt_sampler_new(out, json_string_value(spec), NULL);
    if (!json_is_object(spec))
        return igm_error(IGMOPT_EINVAL, "a sampler is given as {\"method\": \"<Optuna class "
                         "name>\", <its options>...} or as the class name");
    method = json_object_get(spec, "method");
    if (method && !json_is_string(method) && !json_is_null(method))
        return igm_error(IGMOPT_EINVAL, "a sampler's \"method\" must be an Optuna class name");
    kwargs = json_copy((json_t *)spec);
    if (!kwargs)
        return igm_error_nomem();
    json_object_del(kwargs, "method");
    kwargs_json = json_dumps(kwargs, JSON_COMPACT);
    json_decref(kwargs);
    if (!kwargs_json)
        return igm_error_nomem();
    rc = igmopt_sampler_new(out, method && json_is_string(method) ? json_string_value(method)
                                                                  : NULL, kwargs_json);
    free(kwargs_json);
    return rc;
}

int igm_sampler_before_trial(igmopt_sampler *s, igmopt_study *study, igm_frozen_trial *trial)
{
    return s->ops->before_trial ? s->ops->before_trial(s->impl, study, trial) : IGMOPT_OK;
}

int igm_sampler_sample_relative(igmopt_sampler *s, igmopt_study *study,
                                const igm_frozen_trial *trial, igm_relative_params *out)
{
    return s->ops->sample_relative ? s->ops->sample_relative(s->impl, study, trial, out)
                                   : IGMOPT_OK;
}

int igm_sampler_sample_independent(igmopt_sampler *s, igmopt_study *study,
                                   const igm_frozen_trial *trial, const char *name,
                                   const igm_distribution *d, double *internal)
{
    return s->ops->sample_independent(s->impl, study, trial, name, d, internal);
}

int igm_sampler_after_trial(igmopt_sampler *s, igmopt_study *study, igm_frozen_trial *trial,
                            igmopt_trial_state state, const double *values, size_t n_values)
{
    return s->ops->after_trial
               ? s->ops->after_trial(s->impl, study, trial, state, values, n_values)
               : IGMOPT_OK;
}

int igm_sampler_check_objectives(igmopt_sampler *s, size_t n_objectives)
{
    int rc;
    if (!s || !s->ops->check_objectives ||
        (rc = s->ops->check_objectives(s->impl, n_objectives)) == IGMOPT_OK)
        return IGMOPT_OK;
    return igm_error_wrap(rc, "sampler");
}

const char *igm_sampler_available(size_t i)
{
    for (size_t k = 0; k < sizeof sampler_table / sizeof *sampler_table; k++)
        if (sampler_table[k].create && i-- == 0)
            return sampler_table[k].method;
    return NULL;
}
