/* TPESampler's kwargs with the defaults of the newest Optuna ([H],
 * OPTUNA-ALGORITHMS.md s2.1), the JSON forms of its gamma and weights
 * functions (doc/samplers.md), and those functions. */
#include <math.h>
#include <string.h>

#include "../../lib/error.h"
#include "../sampler.h"
#include "tpe.h"

#define OWNER "TPESampler"

static int read_bool(const json_t *kw, const char *key, int *out)
{
    const json_t *v = json_object_get(kw, key);
    if (!v)
        return IGMOPT_OK;
    if (!json_is_boolean(v))
        return igm_error(IGMOPT_EINVAL, OWNER ": option '%s' must be true or false", key);
    *out = json_is_true(v);
    return IGMOPT_OK;
}

static int read_count(const json_t *kw, const char *key, long long min, long long max,
                      long long *out)
{
    const json_t *v = json_object_get(kw, key);
    if (!v)
        return IGMOPT_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return igm_error(IGMOPT_EINVAL, OWNER ": option '%s' must be an integer in [%lld, "
                         "%lld]", key, min, max);
    *out = json_integer_value(v);
    return IGMOPT_OK;
}

static int read_prior_weight(const json_t *kw, double *out)
{
    const json_t *v = json_object_get(kw, "prior_weight");
    if (!v)
        return IGMOPT_OK;
    if (!json_is_number(v) || !(json_number_value(v) > 0) || isinf(json_number_value(v)))
        return igm_error(IGMOPT_EINVAL, OWNER ": option 'prior_weight' must be a finite "
                         "number > 0");
    *out = json_number_value(v);
    return IGMOPT_OK;
}

/* {"type": "linear" | "sqrt", "factor": f > 0, "cap": integer >= 0 or null} */
static int read_gamma_object(const json_t *v, tpe_gamma *g)
{
    static const char *const allowed[] = {"type", "factor", "cap", NULL};
    const json_t *type = json_object_get(v, "type"), *factor = json_object_get(v, "factor");
    const json_t *cap = json_object_get(v, "cap");
    int rc = igm_options_check_keys(v, OWNER " gamma", allowed);
    if (rc)
        return rc;
    if (!json_is_string(type) || (strcmp(json_string_value(type), "linear") != 0 &&
                                  strcmp(json_string_value(type), "sqrt") != 0))
        return igm_error(IGMOPT_EINVAL, OWNER ": option 'gamma': \"type\" must be \"linear\" "
                         "or \"sqrt\"");
    if (!json_is_number(factor) || !(json_number_value(factor) > 0) ||
        isinf(json_number_value(factor)))
        return igm_error(IGMOPT_EINVAL, OWNER ": option 'gamma': \"factor\" must be a finite "
                         "number > 0");
    if (cap && !json_is_null(cap) && (!json_is_integer(cap) || json_integer_value(cap) < 0))
        return igm_error(IGMOPT_EINVAL, OWNER ": option 'gamma': \"cap\" must be an integer "
                         ">= 0 or null");
    g->kind = strcmp(json_string_value(type), "linear") == 0 ? TPE_GAMMA_LINEAR
                                                             : TPE_GAMMA_SQRT;
    g->factor = json_number_value(factor);
    g->cap = cap && json_is_integer(cap) ? json_integer_value(cap) : -1;
    return IGMOPT_OK;
}

static int read_gamma(const json_t *kw, tpe_gamma *g)
{
    const json_t *v = json_object_get(kw, "gamma");
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (!v || json_is_null(v) || (s && strcmp(s, "default") == 0))
        return IGMOPT_OK;
    if (s && strcmp(s, "hyperopt") == 0) {
        g->kind = TPE_GAMMA_SQRT;
        g->factor = 0.25;
        g->cap = 25;
        return IGMOPT_OK;
    }
    if (json_is_object(v))
        return read_gamma_object(v, g);
    return igm_error(IGMOPT_EINVAL, OWNER ": option 'gamma' must be null, \"default\", "
                     "\"hyperopt\" or {\"type\": \"linear\"|\"sqrt\", \"factor\": f, \"cap\": "
                     "n|null}");
}

static int read_weights(const json_t *kw, tpe_weights_kind *w)
{
    const json_t *v = json_object_get(kw, "weights");
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (!v || json_is_null(v) || (s && strcmp(s, "default") == 0))
        return IGMOPT_OK;
    if (s && strcmp(s, "uniform") == 0) {
        *w = TPE_WEIGHTS_UNIFORM;
        return IGMOPT_OK;
    }
    return igm_error(IGMOPT_EINVAL, OWNER ": option 'weights' must be null, \"default\" or "
                     "\"uniform\"");
}

static int read_multivariate(const json_t *kw, tpe_options *o)
{
    const json_t *v = json_object_get(kw, "multivariate");
    int rc;
    if (v && !json_is_null(v) && !json_is_boolean(v))
        return igm_error(IGMOPT_EINVAL, OWNER ": option 'multivariate' must be true, false or "
                         "null");
    if (v && json_is_boolean(v))
        o->multivariate = json_is_true(v);
    if ((rc = read_bool(kw, "group", &o->group)))
        return rc;
    if (o->group && o->multivariate == 0)
        return igm_error(IGMOPT_EINVAL, OWNER ": option 'group' needs 'multivariate' (true or "
                         "null)");
    if (o->group)
        o->multivariate = 1;
    return IGMOPT_OK;
}

/* Python callables cannot travel in JSON: null is accepted (the default),
 * constraints come from igmopt_trial_set_constraints instead. */
static int read_constraints_func(const json_t *kw)
{
    const json_t *v = json_object_get(kw, "constraints_func");
    if (v && !json_is_null(v))
        return igm_error(IGMOPT_EINVAL, OWNER ": option 'constraints_func' can only be null: "
                         "set each trial's constraints with igmopt_trial_set_constraints (the "
                         "\"constraints\" system attr), which TPESampler reads");
    return IGMOPT_OK;
}

int tpe_options_parse(const json_t *kw, tpe_options *o)
{
    static const char *const allowed[] = {
        "consider_prior", "prior_weight", "consider_magic_clip", "consider_endpoints",
        "n_startup_trials", "n_ei_candidates", "gamma", "weights", "seed", "multivariate",
        "group", "warn_independent_sampling", "constant_liar", "constraints_func", NULL};
    long long n_ei = 24;
    int ignored = 1, rc;
    memset(o, 0, sizeof *o);
    o->parzen.prior_weight = 1.0;
    o->parzen.consider_magic_clip = 1;
    o->parzen.consider_endpoints = 0;
    o->n_startup_trials = 10;
    o->gamma.kind = TPE_GAMMA_DEFAULT;
    o->weights = TPE_WEIGHTS_DEFAULT;
    o->multivariate = -1;
    o->constant_liar = 1;
    if ((rc = igm_options_check_keys(kw, OWNER, allowed)) ||
        /* [H] ignores consider_prior (always a prior) and only logs with
         * warn_independent_sampling; both are checked and dropped. */
        (rc = read_bool(kw, "consider_prior", &ignored)) ||
        (rc = read_bool(kw, "warn_independent_sampling", &ignored)) ||
        (rc = read_prior_weight(kw, &o->parzen.prior_weight)) ||
        (rc = read_bool(kw, "consider_magic_clip", &o->parzen.consider_magic_clip)) ||
        (rc = read_bool(kw, "consider_endpoints", &o->parzen.consider_endpoints)) ||
        (rc = read_count(kw, "n_startup_trials", 0, INT64_MAX, &o->n_startup_trials)) ||
        (rc = read_count(kw, "n_ei_candidates", 1, 1000000, &n_ei)) ||
        (rc = read_gamma(kw, &o->gamma)) || (rc = read_weights(kw, &o->weights)) ||
        (rc = igm_options_seed(kw, OWNER, &o->has_seed, &o->seed)) ||
        (rc = read_multivariate(kw, o)) ||
        (rc = read_bool(kw, "constant_liar", &o->constant_liar)) ||
        (rc = read_constraints_func(kw)))
        return rc;
    o->n_ei_candidates = (size_t)n_ei;
    return IGMOPT_OK;
}

/* ---- gamma and weights ---------------------------------------------------- */

static size_t capped(double v, long long cap)
{
    double c = ceil(v);
    if (cap >= 0 && c > (double)cap)
        c = (double)cap;
    return c > 0 ? (size_t)c : 0;
}

/* The products are taken in double as Python does: ceil(0.1 * 30) is 4. */
size_t tpe_gamma_n_below(const tpe_gamma *g, size_t n, size_t n_objectives)
{
    switch (g->kind) {
    case TPE_GAMMA_LINEAR: return capped(g->factor * (double)n, g->cap);
    case TPE_GAMMA_SQRT: return capped(g->factor * sqrt((double)n), g->cap);
    case TPE_GAMMA_DEFAULT: break;
    }
    return capped(0.1 * (double)n, n_objectives > 1 ? -1 : 25);
}

/* default_weights: numpy's linspace(1/n, 1, n - 25) then 25 ones, so the
 * oldest observations weigh least. */
void tpe_weights_fill(tpe_weights_kind kind, size_t n, double *out)
{
    size_t ramp = kind == TPE_WEIGHTS_DEFAULT && n >= 25 ? n - 25 : 0;
    double start = 1.0 / (double)n, step = ramp > 1 ? (1.0 - start) / (double)(ramp - 1) : 0;
    for (size_t i = 0; i < ramp; i++)
        out[i] = start + (double)i * step;
    if (ramp > 1)
        out[ramp - 1] = 1.0; /* linspace ends exactly at stop */
    for (size_t i = ramp; i < n; i++)
        out[i] = 1.0;
}
