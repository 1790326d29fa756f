/* The kwargs NSGAIISampler and NSGAIIISampler share (OPTUNA-ALGORITHMS.md
 * s3.1, s4), with Optuna's defaults and range checks. */
#include <math.h>
#include <string.h>

#include "../../lib/error.h"
#include "ga.h"

static const char *const common_keys[] = {
    "population_size", "mutation", "mutation_prob", "crossover", "crossover_prob",
    "swapping_prob", "seed", "constraints_func", NULL};

static int in_list(const char *const *list, const char *key)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], key) == 0)
            return 1;
    return 0;
}

static int check_keys(const json_t *kw, const char *owner, const char *const *extra_keys)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)kw, key, value) {
        if (!in_list(common_keys, key) && !in_list(extra_keys, key))
            return igm_error(IGMOPT_EINVAL, "%s: unknown option '%s'", owner, key);
    }
    return IGMOPT_OK;
}

/* A probability in [0, 1]; absent keeps *out; null allowed only when
 * nullable (then *out = -1). */
static int read_probability(const json_t *kw, const char *owner, const char *key,
                            int nullable, double *out)
{
    const json_t *v = json_object_get(kw, key);
    if (!v)
        return IGMOPT_OK;
    if (nullable && json_is_null(v)) {
        *out = -1;
        return IGMOPT_OK;
    }
    if (!json_is_number(v) || !(json_number_value(v) >= 0 && json_number_value(v) <= 1))
        return igm_error(IGMOPT_EINVAL, "%s: option '%s' must be a number in [0, 1]%s", owner,
                         key, nullable ? " or null" : "");
    *out = json_number_value(v);
    return IGMOPT_OK;
}

static int read_population_size(const json_t *kw, const char *owner, size_t *out)
{
    const json_t *v = json_object_get(kw, "population_size");
    if (!v)
        return IGMOPT_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 2 || json_integer_value(v) > 1000000)
        return igm_error(IGMOPT_EINVAL, "%s: option 'population_size' must be an integer in "
                         "[2, 1000000]", owner);
    *out = (size_t)json_integer_value(v);
    return IGMOPT_OK;
}

static int mutation_error(const char *owner)
{
    return igm_error(IGMOPT_EINVAL, "%s: option 'mutation' must be null, "
                     "\"PolynomialMutation\" or {\"method\": \"PolynomialMutation\", "
                     "\"eta\": <number > 0>}", owner);
}

/* null, "PolynomialMutation" or {"method": "PolynomialMutation", "eta": 20} */
static int read_mutation(const json_t *kw, const char *owner, igm_ga_options *o)
{
    static const char *const allowed[] = {"method", "eta", NULL};
    const json_t *v = json_object_get(kw, "mutation"), *method, *eta;
    if (!v || json_is_null(v))
        return IGMOPT_OK;
    method = json_is_object(v) ? json_object_get(v, "method") : v;
    if (!json_is_string(method) || strcmp(json_string_value(method), "PolynomialMutation") != 0)
        return mutation_error(owner);
    if (json_is_object(v)) {
        int rc = igm_options_check_keys(v, "PolynomialMutation", allowed);
        if (rc)
            return igm_error_wrap(rc, "%s: option 'mutation'", owner);
        eta = json_object_get(v, "eta");
        if (eta && (!json_is_number(eta) || !(json_number_value(eta) > 0) ||
                    isinf(json_number_value(eta))))
            return mutation_error(owner);
        if (eta)
            o->mutation_eta = json_number_value(eta);
    }
    o->polynomial_mutation = 1;
    return IGMOPT_OK;
}

/* Python callables cannot travel in JSON: constraints come from each
 * trial's "constraints" system attr (igmopt_trial_set_constraints). */
static int read_constraints_func(const json_t *kw, const char *owner)
{
    const json_t *v = json_object_get(kw, "constraints_func");
    if (v && !json_is_null(v))
        return igm_error(IGMOPT_EINVAL, "%s: option 'constraints_func' can only be null: set "
                         "each trial's constraints with igmopt_trial_set_constraints (the "
                         "\"constraints\" system attr), which %s reads", owner, owner);
    return IGMOPT_OK;
}

/* The crossover is built to check the kwarg and its n_parents (SBX's eta
 * default depends on the study, so the sampler builds it again per study). */
static int check_crossover(const igm_ga_options *o, const char *owner)
{
    igm_crossover *x;
    int rc = igm_crossover_from_json(o->crossover, o->swapping_prob, 1, owner, &x);
    if (rc)
        return rc;
    if (o->population_size < igm_crossover_n_parents(x))
        rc = igm_error(IGMOPT_EINVAL, "%s: option 'population_size' (%zu) must be at least "
                       "the %zu parents %s needs", owner, o->population_size,
                       igm_crossover_n_parents(x), igm_crossover_name(x));
    igm_crossover_free(x);
    return rc;
}

int igm_ga_options_parse(const json_t *kw, const char *owner, const char *const *extra_keys,
                         igm_ga_options *o)
{
    const json_t *crossover = json_object_get(kw, "crossover");
    int rc;
    memset(o, 0, sizeof *o);
    o->population_size = 50;
    o->mutation_prob = -1;
    o->mutation_eta = 20;
    o->crossover_prob = 0.9;
    o->swapping_prob = 0.5;
    if ((rc = check_keys(kw, owner, extra_keys)) ||
        (rc = read_population_size(kw, owner, &o->population_size)) ||
        (rc = read_probability(kw, owner, "mutation_prob", 1, &o->mutation_prob)) ||
        (rc = read_probability(kw, owner, "crossover_prob", 0, &o->crossover_prob)) ||
        (rc = read_probability(kw, owner, "swapping_prob", 0, &o->swapping_prob)) ||
        (rc = read_mutation(kw, owner, o)) || (rc = read_constraints_func(kw, owner)) ||
        (rc = igm_options_seed(kw, owner, &o->has_seed, &o->seed)))
        return rc;
    if (crossover && !json_is_null(crossover))
        o->crossover = json_incref((json_t *)crossover);
    if ((rc = check_crossover(o, owner)))
        igm_ga_options_clear(o);
    return rc;
}

void igm_ga_options_clear(igm_ga_options *o)
{
    json_decref(o->crossover);
    o->crossover = NULL;
}
