/* The "crossover" kwarg of the genetic samplers: the operator's name or
 * {"method": name, kwargs...} with Optuna's kwarg names, defaults and
 * checks (OPTUNA-ALGORITHMS.md s3.4), and the dispatch to the operators. */
#include "crossover.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "crossover_ops.h"

typedef struct method {
    const char *short_name, *class_name;
    size_t n_parents;
    const char *const *keys; /* the kwargs it accepts */
    igm_crossover_fn *child;
} method;

struct igm_crossover {
    const method *method;
    igm_crossover_kwargs kw;
};

static const char *const uniform_keys[] = {"swapping_prob", NULL};
static const char *const blxalpha_keys[] = {"alpha", NULL};
static const char *const sbx_keys[] = {"eta", "uniform_crossover_prob", "use_child_gene_prob",
                                       NULL};
static const char *const spx_keys[] = {"epsilon", NULL};
static const char *const undx_keys[] = {"sigma_xi", "sigma_eta", NULL};

static const method methods[] = {
    {"uniform", "UniformCrossover", 2, uniform_keys, igm_crossover_uniform},
    {"blxalpha", "BLXAlphaCrossover", 2, blxalpha_keys, igm_crossover_blxalpha},
    {"sbx", "SBXCrossover", 2, sbx_keys, igm_crossover_sbx},
    {"vsbx", "VSBXCrossover", 2, sbx_keys, igm_crossover_vsbx},
    {"spx", "SPXCrossover", 3, spx_keys, igm_crossover_spx},
    {"undx", "UNDXCrossover", 3, undx_keys, igm_crossover_undx},
};

#define N_METHODS (sizeof methods / sizeof methods[0])

/* The range of one kwarg.  Optuna checks swapping_prob, eta and the two SBX
 * probabilities; alpha, epsilon and the sigmas are checked here as well
 * since Optuna's unchecked values give empty ranges or NaN children. */
typedef struct kwarg {
    const char *key;
    size_t offset; /* of its double in igm_crossover_kwargs */
    double min;
    int min_open, nullable; /* null keeps NAN: a default decided later */
    double max;
    const char *range; /* for the message */
} kwarg;

static const kwarg kwargs[] = {
    {"swapping_prob", offsetof(igm_crossover_kwargs, swapping_prob), 0, 0, 0, 1, "in [0, 1]"},
    {"alpha", offsetof(igm_crossover_kwargs, alpha), 0, 0, 0, INFINITY, ">= 0"},
    {"eta", offsetof(igm_crossover_kwargs, eta), 0, 0, 1, INFINITY, ">= 0 or null"},
    {"uniform_crossover_prob", offsetof(igm_crossover_kwargs, uniform_crossover_prob), 0, 0, 0,
     1, "in [0, 1]"},
    {"use_child_gene_prob", offsetof(igm_crossover_kwargs, use_child_gene_prob), 0, 1, 0, 1,
     "in (0, 1]"},
    {"epsilon", offsetof(igm_crossover_kwargs, epsilon), 0, 1, 1, INFINITY, "> 0 or null"},
    {"sigma_xi", offsetof(igm_crossover_kwargs, sigma_xi), 0, 0, 0, INFINITY, ">= 0"},
    {"sigma_eta", offsetof(igm_crossover_kwargs, sigma_eta), 0, 0, 1, INFINITY,
     ">= 0 or null"},
};

static const igm_crossover_kwargs optuna_defaults = {
    .swapping_prob = 0.5,
    .alpha = 0.5,
    .eta = NAN, /* 2 for one objective, 20 for more */
    .uniform_crossover_prob = 0.5,
    .use_child_gene_prob = 0.5,
    .epsilon = NAN,
    .sigma_xi = 0.5,
    .sigma_eta = NAN,
};

static const method *method_find(const char *name)
{
    for (size_t i = 0; i < N_METHODS; i++)
        if (strcmp(name, methods[i].short_name) == 0 || strcmp(name, methods[i].class_name) == 0)
            return &methods[i];
    return NULL;
}

static int method_accepts(const method *m, const char *key)
{
    for (const char *const *k = m->keys; *k; k++)
        if (strcmp(*k, key) == 0)
            return 1;
    return 0;
}

static const kwarg *kwarg_find(const char *key)
{
    for (size_t i = 0; i < sizeof kwargs / sizeof kwargs[0]; i++)
        if (strcmp(kwargs[i].key, key) == 0)
            return &kwargs[i];
    return NULL;
}

static int kwarg_in_range(const kwarg *k, double v)
{
    return isfinite(v) && (k->min_open ? v > k->min : v >= k->min) && v <= k->max;
}

static int kwarg_read(const char *owner, const method *m, const kwarg *k, const json_t *v,
                      igm_crossover_kwargs *kw)
{
    double *slot = (double *)((char *)kw + k->offset);
    if (k->nullable && json_is_null(v)) {
        *slot = NAN;
        return IGMOPT_OK;
    }
    if (!json_is_number(v) || !kwarg_in_range(k, json_number_value(v)))
        return igm_error(IGMOPT_EINVAL, "%s: option 'crossover': %s option '%s' must be a "
                         "finite number %s", owner, m->class_name, k->key, k->range);
    *slot = json_number_value(v);
    return IGMOPT_OK;
}

static int kwargs_read(const char *owner, const method *m, const json_t *spec,
                       igm_crossover_kwargs *kw)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)spec, key, v) {
        if (strcmp(key, "method") == 0)
            continue;
        if (!method_accepts(m, key))
            return igm_error(IGMOPT_EINVAL, "%s: option 'crossover': unknown %s option '%s'",
                             owner, m->class_name, key);
        int rc = kwarg_read(owner, m, kwarg_find(key), v, kw);
        if (rc)
            return rc;
    }
    return IGMOPT_OK;
}

/* The method of a string or object spec. */
static int method_of(const char *owner, const json_t *spec, const method **out)
{
    const json_t *name = json_is_object(spec) ? json_object_get(spec, "method") : spec;
    if (!json_is_string(name))
        return igm_error(IGMOPT_EINVAL, "%s: option 'crossover' must be null, a method name "
                         "or {\"method\": name, ...}", owner);
    *out = method_find(json_string_value(name));
    if (!*out)
        return igm_error(IGMOPT_EINVAL, "%s: option 'crossover': unknown method '%s' (uniform, "
                         "blxalpha, sbx, spx, undx, vsbx, or their Optuna class names)", owner,
                         json_string_value(name));
    return IGMOPT_OK;
}

/* Optuna's NSGAIISampler(crossover=None) is UniformCrossover(swapping_prob);
 * a named UniformCrossover keeps its own default of 0.5, as in Optuna. */
static int default_crossover(const char *owner, double swapping_prob, igm_crossover *x)
{
    x->method = &methods[0];
    if (!kwarg_in_range(kwarg_find("swapping_prob"), swapping_prob))
        return igm_error(IGMOPT_EINVAL, "%s: option 'swapping_prob' must be a finite number "
                         "in [0, 1]", owner);
    x->kw.swapping_prob = swapping_prob;
    return IGMOPT_OK;
}

int igm_crossover_from_json(const json_t *spec, double swapping_prob, size_t n_objectives,
                            const char *owner, igm_crossover **out)
{
    igm_crossover *x = malloc(sizeof *x);
    int rc;
    *out = NULL;
    if (!x)
        return igm_error_nomem();
    x->kw = optuna_defaults;
    if (!spec || json_is_null(spec))
        rc = default_crossover(owner, swapping_prob, x);
    else if ((rc = method_of(owner, spec, &x->method)) == IGMOPT_OK && json_is_object(spec))
        rc = kwargs_read(owner, x->method, spec, &x->kw);
    if (rc) {
        free(x);
        return rc;
    }
    if (isnan(x->kw.eta))
        x->kw.eta = n_objectives > 1 ? 20.0 : 2.0;
    *out = x;
    return IGMOPT_OK;
}

void igm_crossover_free(igm_crossover *x)
{
    free(x);
}

size_t igm_crossover_n_parents(const igm_crossover *x)
{
    return x->method->n_parents;
}

const char *igm_crossover_name(const igm_crossover *x)
{
    return x->method->class_name;
}

int igm_crossover_child(const igm_crossover *x, igm_rng *rng, const double *parents, size_t d,
                        const double *lo, const double *hi, double *child)
{
    x->method->child(&x->kw, rng, parents, d, lo, hi, child);
    return IGMOPT_OK;
}
