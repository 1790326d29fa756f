/* Parameter distributions with Optuna's rules (OPTUNA-ALGORITHMS.md s1.1):
 * validation, normalisation of high, membership, and the JSON forms Optuna
 * stores (OPTUNA-STORAGE.md s2.2). */
#include "distribution.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "igmopt/igmopt.h"
#include "json.h"

#define IGM_INT_EXACT_LIMIT ((int64_t)1 << 53)

/* Relative tolerance for "is on the step grid", as Optuna's _contains. */
#define STEP_GRID_TOLERANCE 1e-8

static igm_distribution *distribution_alloc(igm_dist_kind kind)
{
    igm_distribution *d = calloc(1, sizeof *d);
    if (d)
        d->kind = kind;
    return d;
}

void igm_distribution_free(igm_distribution *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_choices; i++)
        free(d->choices[i]);
    free(d->choices);
    free(d);
}

/* Digits after the decimal point in Python's str() of v ("1e-05": 5). */
static int decimal_places(double v)
{
    char repr[32];
    const char *dot, *exp_mark;
    int places = 0;
    igm_format_double(v, repr);
    dot = strchr(repr, '.');
    exp_mark = strchr(repr, 'e');
    if (dot)
        places = (int)((exp_mark ? exp_mark : repr + strlen(repr)) - dot - 1);
    if (places == 1 && dot[1] == '0')
        places = 0;
    if (exp_mark)
        places -= atoi(exp_mark + 1);
    return places > 0 ? places : 0;
}

/* high := low + floor((high - low) / step) * step.  Optuna evaluates this
 * in decimal on str() of the floats, so 0..1 by 0.3 gives exactly 0.9; the
 * sum is rounded to the decimals of low and step to get the same double.
 * A range that is a multiple of step up to rounding (-pi/4 .. 15pi/4 by
 * pi/2) keeps high as given. */
static double float_step_high(double low, double high, double step)
{
    double q = (high - low) / step, nearest = nearbyint(q), snapped;
    int places = decimal_places(low) > decimal_places(step) ? decimal_places(low)
                                                            : decimal_places(step);
    char text[400];
    if (fabs(q - nearest) <= STEP_GRID_TOLERANCE * fmax(1.0, fabs(nearest)))
        return high;
    snapped = low + floor(q) * step;
    if (places > 17)
        return snapped;
    snprintf(text, sizeof text, "%.*f", places, snapped);
    return strtod(text, NULL);
}

static int check_float_args(const char *name, double low, double high, double step, int log)
{
    if (!isfinite(low) || !isfinite(high))
        return igm_error(IGMOPT_EINVAL, "parameter '%s': low and high must be finite", name);
    if (!isfinite(high - low))
        return igm_error(IGMOPT_EINVAL, "parameter '%s': the range %g..%g is wider than a "
                         "double holds", name, low, high);
    if (low > high)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': low (%g) must be <= high (%g)", name,
                         low, high);
    if (isnan(step) || step < 0 || isinf(step))
        return igm_error(IGMOPT_EINVAL, "parameter '%s': step must be > 0 (or 0 for none)",
                         name);
    if (log && step != 0)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': step and log cannot be used together",
                         name);
    if (log && low <= 0)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': log scale needs low > 0 (got %g)",
                         name, low);
    return IGMOPT_OK;
}

int igm_distribution_float(igm_distribution **out, const char *name, double low, double high,
                           double step, int log)
{
    igm_distribution *d;
    int rc = check_float_args(name, low, high, step, log);
    *out = NULL;
    if (rc)
        return rc;
    d = distribution_alloc(IGM_DIST_FLOAT);
    if (!d)
        return igm_error_nomem();
    d->low = low;
    d->high = step != 0 ? float_step_high(low, high, step) : high;
    d->step = step;
    d->log = log != 0;
    *out = d;
    return IGMOPT_OK;
}

int igm_distribution_int(igm_distribution **out, const char *name, int64_t low, int64_t high,
                         int64_t step, int log)
{
    igm_distribution *d;
    *out = NULL;
    if (low > high)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': low (%lld) must be <= high (%lld)",
                         name, (long long)low, (long long)high);
    if (step < 1)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': step must be >= 1 (got %lld)", name,
                         (long long)step);
    if (log && step != 1)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': step and log cannot be used together",
                         name);
    if (log && low < 1)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': log scale needs low >= 1 (got %lld)",
                         name, (long long)low);
    /* Optuna stores every parameter as a float: beyond 2^53 integers are
     * no longer exact, so such a range would store other values. */
    if (low < -IGM_INT_EXACT_LIMIT || high > IGM_INT_EXACT_LIMIT)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': int bounds must lie within +-2^53 "
                         "(%lld), the integers Optuna's float storage holds exactly", name,
                         (long long)IGM_INT_EXACT_LIMIT);
    d = distribution_alloc(IGM_DIST_INT);
    if (!d)
        return igm_error_nomem();
    d->ilow = low;
    d->ihigh = low + (high - low) / step * step;
    d->istep = step;
    d->log = log != 0;
    d->low = (double)d->ilow;
    d->high = (double)d->ihigh;
    d->step = (double)d->istep;
    *out = d;
    return IGMOPT_OK;
}

static int choice_type_allowed(const json_t *v)
{
    return json_is_null(v) || json_is_boolean(v) || json_is_number(v) || json_is_string(v);
}

static int choices_from_array(igm_distribution *d, const char *name, const json_t *arr)
{
    size_t i;
    json_t *item;
    d->n_choices = 0;
    d->choices = calloc(json_array_size(arr), sizeof *d->choices);
    if (!d->choices)
        return igm_error_nomem();
    json_array_foreach((json_t *)arr, i, item) {
        igm_strbuf sb = IGM_STRBUF_INIT;
        if (!choice_type_allowed(item))
            return igm_error(IGMOPT_EINVAL, "parameter '%s': choice %zu must be null, a bool, "
                             "a number or a string", name, i);
        igm_json_dump_value(&sb, item);
        if (igm_strbuf_finish(&sb, &d->choices[i]))
            return igm_error_nomem();
        d->n_choices++;
    }
    return IGMOPT_OK;
}

static int categorical_from_json_array(igm_distribution **out, const char *name,
                                       const json_t *arr)
{
    igm_distribution *d;
    int rc;
    *out = NULL;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': choices must be a non-empty JSON "
                         "array", name);
    d = distribution_alloc(IGM_DIST_CATEGORICAL);
    if (!d)
        return igm_error_nomem();
    rc = choices_from_array(d, name, arr);
    if (rc) {
        igm_distribution_free(d);
        return rc;
    }
    *out = d;
    return IGMOPT_OK;
}

int igm_distribution_categorical(igm_distribution **out, const char *name,
                                 const char *choices_json)
{
    json_t *arr;
    char what[600];
    int rc;
    *out = NULL;
    snprintf(what, sizeof what, "parameter '%.500s': choices", name);
    rc = igm_json_parse(choices_json, what, &arr);
    if (rc)
        return rc;
    rc = categorical_from_json_array(out, name, arr);
    json_decref(arr);
    return rc;
}

int igm_distribution_copy(igm_distribution **out, const igm_distribution *d)
{
    igm_distribution *c = distribution_alloc(d->kind);
    *out = NULL;
    if (!c)
        return igm_error_nomem();
    *c = *d;
    c->choices = NULL;
    c->n_choices = 0;
    if (d->n_choices) {
        c->choices = calloc(d->n_choices, sizeof *c->choices);
        if (!c->choices) {
            free(c);
            return igm_error_nomem();
        }
        for (; c->n_choices < d->n_choices; c->n_choices++) {
            c->choices[c->n_choices] = strdup(d->choices[c->n_choices]);
            if (!c->choices[c->n_choices]) {
                igm_distribution_free(c);
                return igm_error_nomem();
            }
        }
    }
    *out = c;
    return IGMOPT_OK;
}

/* ---- distribution_json ---------------------------------------------- */

static int attr_number(const json_t *attrs, const char *key, double *out)
{
    const json_t *v = json_object_get(attrs, key);
    if (!json_is_number(v))
        return -1;
    *out = json_number_value(v);
    return 0;
}

static int attr_integer(const json_t *attrs, const char *key, int64_t fallback, int64_t *out)
{
    const json_t *v = json_object_get(attrs, key);
    if (!v || json_is_null(v)) {
        *out = fallback;
        return 0;
    }
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (json_is_real(v) && json_real_value(v) == trunc(json_real_value(v)) &&
        fabs(json_real_value(v)) < 9.2e18) {
        *out = (int64_t)json_real_value(v);
        return 0;
    }
    return -1;
}

static int attr_flag(const json_t *attrs, const char *key)
{
    return json_is_true(json_object_get(attrs, key));
}

static int float_from_attrs(igm_distribution **out, const json_t *attrs, int log,
                            const char *step_key)
{
    double low, high, step = 0;
    const json_t *s = step_key ? json_object_get(attrs, step_key) : NULL;
    if (attr_number(attrs, "low", &low) || attr_number(attrs, "high", &high))
        return igm_error(IGMOPT_EINVAL, "distribution_json: low/high missing or not numbers");
    if (s && !json_is_null(s)) {
        if (!json_is_number(s))
            return igm_error(IGMOPT_EINVAL, "distribution_json: step is not a number");
        step = json_number_value(s);
        if (step <= 0)
            return igm_error(IGMOPT_EINVAL, "distribution_json: step must be > 0");
    }
    return igm_distribution_float(out, "distribution_json", low, high, step, log);
}

static int int_from_attrs(igm_distribution **out, const json_t *attrs, int log)
{
    int64_t low, high, step;
    if (attr_integer(attrs, "low", 0, &low) || attr_integer(attrs, "high", 0, &high) ||
        !json_object_get(attrs, "low") || !json_object_get(attrs, "high") ||
        attr_integer(attrs, "step", 1, &step))
        return igm_error(IGMOPT_EINVAL, "distribution_json: low/high/step must be integers");
    return igm_distribution_int(out, "distribution_json", low, high, step, log);
}

static int from_named_json(igm_distribution **out, const char *cls, const json_t *attrs)
{
    if (!json_is_object(attrs))
        return igm_error(IGMOPT_EINVAL, "distribution_json: \"attributes\" must be an object");
    if (strcmp(cls, "FloatDistribution") == 0)
        return float_from_attrs(out, attrs, attr_flag(attrs, "log"), "step");
    if (strcmp(cls, "IntDistribution") == 0)
        return int_from_attrs(out, attrs, attr_flag(attrs, "log"));
    if (strcmp(cls, "CategoricalDistribution") == 0)
        return categorical_from_json_array(out, "distribution_json",
                                           json_object_get(attrs, "choices"));
    if (strcmp(cls, "UniformDistribution") == 0)
        return float_from_attrs(out, attrs, 0, NULL);
    if (strcmp(cls, "LogUniformDistribution") == 0)
        return float_from_attrs(out, attrs, 1, NULL);
    if (strcmp(cls, "DiscreteUniformDistribution") == 0)
        return float_from_attrs(out, attrs, 0, "q");
    if (strcmp(cls, "IntUniformDistribution") == 0)
        return int_from_attrs(out, attrs, 0);
    if (strcmp(cls, "IntLogUniformDistribution") == 0)
        return int_from_attrs(out, attrs, 1);
    return igm_error(IGMOPT_EINVAL, "distribution_json: unknown distribution '%s'", cls);
}

/* Optuna's abbreviated form: {"type": "float"|"int"|"categorical", ...}. */
static int from_typed_json(igm_distribution **out, const char *type, const json_t *obj)
{
    if (strcmp(type, "float") == 0)
        return float_from_attrs(out, obj, attr_flag(obj, "log"), "step");
    if (strcmp(type, "int") == 0)
        return int_from_attrs(out, obj, attr_flag(obj, "log"));
    if (strcmp(type, "categorical") == 0)
        return categorical_from_json_array(out, "distribution_json",
                                           json_object_get(obj, "choices"));
    return igm_error(IGMOPT_EINVAL, "distribution_json: unknown type '%s'", type);
}

int igm_distribution_from_json(igm_distribution **out, const char *json_text)
{
    json_t *root;
    const char *cls, *type;
    int rc = igm_json_parse(json_text, "distribution_json", &root);
    *out = NULL;
    if (rc)
        return rc;
    cls = json_string_value(json_object_get(root, "name"));
    type = json_string_value(json_object_get(root, "type"));
    if (cls)
        rc = from_named_json(out, cls, json_object_get(root, "attributes"));
    else if (type)
        rc = from_typed_json(out, type, root);
    else
        rc = igm_error(IGMOPT_EINVAL, "distribution_json: neither \"name\" nor \"type\" in %.80s",
                       json_text);
    json_decref(root);
    return rc;
}

void igm_distribution_to_json(igm_strbuf *sb, const igm_distribution *d)
{
    switch (d->kind) {
    case IGM_DIST_FLOAT:
        igm_strbuf_append(sb, "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": ");
        if (d->step != 0)
            igm_json_double(sb, d->step);
        else
            igm_strbuf_append(sb, "null");
        igm_strbuf_append(sb, ", \"low\": ");
        igm_json_double(sb, d->low);
        igm_strbuf_append(sb, ", \"high\": ");
        igm_json_double(sb, d->high);
        igm_strbuf_appendf(sb, ", \"log\": %s}}", d->log ? "true" : "false");
        break;
    case IGM_DIST_INT:
        igm_strbuf_appendf(sb, "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": %s, "
                           "\"step\": %lld, \"low\": %lld, \"high\": %lld}}",
                           d->log ? "true" : "false", (long long)d->istep, (long long)d->ilow,
                           (long long)d->ihigh);
        break;
    case IGM_DIST_CATEGORICAL:
        igm_strbuf_append(sb, "{\"name\": \"CategoricalDistribution\", \"attributes\": "
                          "{\"choices\": [");
        for (size_t i = 0; i < d->n_choices; i++) {
            if (i)
                igm_strbuf_append(sb, ", ");
            igm_strbuf_append(sb, d->choices[i]);
        }
        igm_strbuf_append(sb, "]}}");
        break;
    }
}

/* ---- comparisons and membership -------------------------------------- */

static int same_choices(const igm_distribution *a, const igm_distribution *b)
{
    if (a->n_choices != b->n_choices)
        return 0;
    for (size_t i = 0; i < a->n_choices; i++)
        if (strcmp(a->choices[i], b->choices[i]) != 0)
            return 0;
    return 1;
}

int igm_distribution_compatible(const igm_distribution *a, const igm_distribution *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == IGM_DIST_CATEGORICAL)
        return same_choices(a, b);
    return a->log == b->log;
}

int igm_distribution_equal(const igm_distribution *a, const igm_distribution *b)
{
    if (!igm_distribution_compatible(a, b))
        return 0;
    if (a->kind == IGM_DIST_INT)
        return a->ilow == b->ilow && a->ihigh == b->ihigh && a->istep == b->istep;
    if (a->kind == IGM_DIST_FLOAT)
        return a->low == b->low && a->high == b->high && a->step == b->step;
    return 1;
}

int igm_distribution_single(const igm_distribution *d)
{
    switch (d->kind) {
    case IGM_DIST_FLOAT: return d->low == d->high;
    case IGM_DIST_INT: return d->ilow == d->ihigh;
    case IGM_DIST_CATEGORICAL: return d->n_choices == 1;
    }
    return 0;
}

int igm_distribution_contains(const igm_distribution *d, double v)
{
    switch (d->kind) {
    case IGM_DIST_FLOAT:
        if (!(v >= d->low && v <= d->high))
            return 0;
        if (d->step != 0) {
            double k = (v - d->low) / d->step;
            return fabs(k - nearbyint(k)) < STEP_GRID_TOLERANCE;
        }
        return 1;
    case IGM_DIST_INT:
        if (!(v >= d->low && v <= d->high) || v != trunc(v))
            return 0;
        return ((int64_t)v - d->ilow) % d->istep == 0;
    case IGM_DIST_CATEGORICAL:
        return v >= 0 && v < (double)d->n_choices && v == trunc(v);
    }
    return 0;
}

void igm_distribution_external_json(igm_strbuf *sb, const igm_distribution *d, double internal)
{
    switch (d->kind) {
    case IGM_DIST_FLOAT: igm_json_double(sb, internal); break;
    case IGM_DIST_INT: igm_json_int(sb, (int64_t)internal); break;
    case IGM_DIST_CATEGORICAL:
        if (internal >= 0 && internal < (double)d->n_choices)
            igm_strbuf_append(sb, d->choices[(size_t)internal]);
        else
            igm_strbuf_append(sb, "null");
        break;
    }
}

/* Python compares choices with ==, so 1 == 1.0 == true; we prefer an
 * exact (typed) match and fall back to numeric equality. */
static int categorical_index_of(const igm_distribution *d, const json_t *value, double *out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    int found = -1;
    igm_json_dump_value(&sb, value);
    for (size_t i = 0; sb.data && i < d->n_choices && found < 0; i++)
        if (strcmp(d->choices[i], sb.data) == 0)
            found = (int)i;
    igm_strbuf_release(&sb);
    if (found < 0 && (json_is_number(value) || json_is_boolean(value))) {
        double x = json_is_boolean(value) ? json_is_true(value) : json_number_value(value);
        for (size_t i = 0; i < d->n_choices && found < 0; i++) {
            json_t *c = json_loads(d->choices[i], JSON_DECODE_ANY, NULL);
            if (c && (json_is_number(c) || json_is_boolean(c)) &&
                (json_is_boolean(c) ? json_is_true(c) : json_number_value(c)) == x)
                found = (int)i;
            json_decref(c);
        }
    }
    if (found < 0)
        return -1;
    *out = found;
    return 0;
}

static int numeric_internal(const igm_distribution *d, const json_t *value, double *internal)
{
    if (!json_is_number(value))
        return -1;
    *internal = json_number_value(value);
    if (d->kind == IGM_DIST_INT && *internal != trunc(*internal))
        return -1;
    return 0;
}

int igm_distribution_internal_from_json(const igm_distribution *d, const char *name,
                                        const char *value_json, double *internal)
{
    json_t *value;
    int bad;
    int rc = igm_json_parse(value_json, name, &value);
    if (rc)
        return rc;
    if (d->kind == IGM_DIST_CATEGORICAL)
        bad = categorical_index_of(d, value, internal);
    else
        bad = numeric_internal(d, value, internal) || !igm_distribution_contains(d, *internal);
    json_decref(value);
    if (bad)
        return igm_error(IGMOPT_EINVAL, "parameter '%s': fixed value %s is not a value of its "
                         "distribution", name, value_json);
    return IGMOPT_OK;
}
