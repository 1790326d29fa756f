/* The structured sections of optuna_params.yaml: objectives, parameters
 * (checked with the same rules as igmopt_trial_suggest_*), fixed overrides,
 * and the conflicts between them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "distribution.h"

/* ---- objectives ------------------------------------------------------ */

static int read_direction(const igm_config_loc *loc, const igm_yaml_node *v,
                          igmopt_direction *out)
{
    if (v->type == IGM_YAML_STRING && strcmp(v->text, "minimize") == 0)
        *out = IGMOPT_MINIMIZE;
    else if (v->type == IGM_YAML_STRING && strcmp(v->text, "maximize") == 0)
        *out = IGMOPT_MAXIMIZE;
    else {
        char got[100];
        igm_config_describe(v, got, sizeof got);
        return igm_config_error(loc, "must be minimize or maximize (got %s)", got);
    }
    return IGMOPT_OK;
}

/* The value under key, or a "missing" error pointing at the mapping. */
static int required(const igm_config_loc *loc, const igm_yaml_node *map, const char *key,
                    const char *why, const igm_yaml_node **value, igm_config_loc *value_loc)
{
    igm_yaml_node *key_node = NULL;
    *value = igm_yaml_get(map, key, &key_node);
    if (!*value) {
        igm_config_loc_missing(value_loc, loc, key);
        return igm_config_error(value_loc, "missing (%s)", why);
    }
    igm_config_loc_key(value_loc, loc, key_node);
    return IGMOPT_OK;
}

/* The value under key or NULL (absent and null are the same: the default). */
static const igm_yaml_node *optional(const igm_config_loc *loc, const igm_yaml_node *map,
                                     const char *key, igm_config_loc *value_loc)
{
    igm_yaml_node *key_node = NULL;
    igm_yaml_node *v = igm_yaml_get(map, key, &key_node);
    if (!v || v->type == IGM_YAML_NULL)
        return NULL;
    igm_config_loc_key(value_loc, loc, key_node);
    return v;
}

static int read_objective(igm_config_build *b, const igm_config_loc *loc,
                          const igm_yaml_node *item, igm_config_objective *obj)
{
    static const char *const keys[] = {"name", "direction", NULL};
    static const char why[] = "an objective needs name and direction";
    const igm_yaml_node *v;
    igm_config_loc at;
    int rc;
    if ((rc = igm_config_expect(loc, item, IGM_YAML_MAPPING,
                                "a mapping with name and direction")) ||
        (rc = igm_config_check_keys(loc, item, keys, "an objective takes name and direction")) ||
        (rc = required(loc, item, "name", why, &v, &at)) ||
        (rc = igm_config_read_string(&at, v, &obj->name)))
        return rc;
    for (size_t i = 0; i < b->cfg->n_objectives; i++)
        if (strcmp(b->cfg->objectives[i].name, obj->name) == 0)
            return igm_config_error(&at, "objective '%s' is listed twice (also objectives.%zu)",
                                    obj->name, i);
    if ((rc = required(loc, item, "direction", why, &v, &at)))
        return rc;
    return read_direction(&at, v, &obj->direction);
}

int igm_config_read_objectives(igm_config_build *b, const igm_config_loc *loc,
                               const igm_yaml_node *v)
{
    igmopt_config *cfg = b->cfg;
    int rc;
    if (v->type != IGM_YAML_SEQUENCE || v->n == 0)
        return igm_config_error(loc, "must be a non-empty list of {name, direction} entries");
    if (!(cfg->objectives = calloc(v->n, sizeof *cfg->objectives)))
        return igm_error_nomem();
    for (size_t i = 0; i < v->n; i++) {
        igm_config_loc item_loc;
        igm_config_loc_index(&item_loc, loc, i, v->items[i]);
        rc = read_objective(b, &item_loc, v->items[i], &cfg->objectives[i]);
        if (rc) {
            free(cfg->objectives[i].name);
            return rc;
        }
        cfg->n_objectives++;
    }
    return IGMOPT_OK;
}

/* ---- parameters ------------------------------------------------------ */

static const char *const float_keys[] = {"name", "type", "low", "high", "step", "log", NULL};
static const char *const categorical_keys[] = {"name", "type", "choices", NULL};
static const char *const any_param_keys[] = {"name", "type", "low", "high", "step",
                                             "log",  "choices", NULL};

static int read_param_type(const igm_config_loc *loc, const igm_yaml_node *v,
                           igm_param_type *out)
{
    static const char *const names[] = {"float", "int", "categorical", NULL};
    char got[100];
    for (int i = 0; names[i]; i++) {
        if (v->type == IGM_YAML_STRING && strcmp(v->text, names[i]) == 0) {
            *out = (igm_param_type)i;
            return IGMOPT_OK;
        }
    }
    igm_config_describe(v, got, sizeof got);
    return igm_config_error(loc, "must be float, int or categorical (got %s)", got);
}

/* Keys of another type's parameters get a message saying so. */
static int check_param_keys(const igm_config_loc *loc, const igm_yaml_node *item,
                            igm_param_type type)
{
    const char *const *keys = type == IGM_PARAM_CATEGORICAL ? categorical_keys : float_keys;
    int rc = igm_config_check_keys(loc, item, any_param_keys,
                                   "a parameter takes name, type, low, high, step, log, "
                                   "choices");
    for (size_t i = 0; rc == IGMOPT_OK && i < item->n; i++) {
        igm_config_loc key_loc;
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], item->keys[i]->text) != 0)
            k++;
        if (keys[k])
            continue;
        igm_config_loc_key(&key_loc, loc, item->keys[i]);
        rc = igm_config_error(&key_loc, "not used by type %s (%s)",
                              type == IGM_PARAM_FLOAT ? "float"
                              : type == IGM_PARAM_INT ? "int" : "categorical",
                              type == IGM_PARAM_CATEGORICAL ? "it takes choices"
                                                            : "it takes low, high, step, log");
    }
    return rc;
}

static int read_float_step(const igm_config_loc *loc, const igm_yaml_node *item,
                           double *step, igm_config_loc *step_loc)
{
    const igm_yaml_node *v = optional(loc, item, "step", step_loc);
    int rc;
    *step = 0;
    if (!v)
        return IGMOPT_OK;
    if ((rc = igm_config_read_number(step_loc, v, step)))
        return rc;
    if (*step <= 0)
        return igm_config_error(step_loc, "must be > 0 (got %s)", v->text);
    return IGMOPT_OK;
}

static int read_log(const igm_config_loc *loc, const igm_yaml_node *item, int *log,
                    igm_config_loc *log_loc)
{
    const igm_yaml_node *v = optional(loc, item, "log", log_loc);
    *log = 0;
    return v ? igm_config_read_bool(log_loc, v, log) : IGMOPT_OK;
}

static int read_float_param(const igm_config_loc *loc, const igm_yaml_node *item,
                            igm_config_param *p)
{
    static const char why[] = "a float parameter needs low and high";
    const igm_yaml_node *v;
    igm_config_loc low_loc, high_loc, step_loc, log_loc;
    igm_distribution *d;
    char low[32], high[32];
    int rc;
    if ((rc = required(loc, item, "low", why, &v, &low_loc)) ||
        (rc = igm_config_read_number(&low_loc, v, &p->low)) ||
        (rc = required(loc, item, "high", why, &v, &high_loc)) ||
        (rc = igm_config_read_number(&high_loc, v, &p->high)) ||
        (rc = read_float_step(loc, item, &p->step, &step_loc)) ||
        (rc = read_log(loc, item, &p->log, &log_loc)))
        return rc;
    igm_format_double(p->low, low);
    igm_format_double(p->high, high);
    if (p->low > p->high)
        return igm_config_error(&low_loc, "low (%s) must be <= high (%s)", low, high);
    if (p->log && p->low <= 0)
        return igm_config_error(&log_loc, "log scale needs low > 0 (low is %s)", low);
    if (p->log && p->step != 0)
        return igm_config_error(&step_loc, "step cannot be used with log: true");
    if ((rc = igm_distribution_float(&d, p->name, p->low, p->high, p->step, p->log)))
        return igm_config_error_from_last(loc, rc);
    igm_distribution_free(d);
    return IGMOPT_OK;
}

static int read_int_step(const igm_config_loc *loc, const igm_yaml_node *item, int64_t *step,
                         igm_config_loc *step_loc)
{
    const igm_yaml_node *v = optional(loc, item, "step", step_loc);
    *step = 1;
    return v ? igm_config_read_int_min(step_loc, v, 1, step) : IGMOPT_OK;
}

static int read_int_param(const igm_config_loc *loc, const igm_yaml_node *item,
                          igm_config_param *p)
{
    static const char why[] = "an int parameter needs low and high";
    const igm_yaml_node *v;
    igm_config_loc low_loc, high_loc, step_loc, log_loc;
    igm_distribution *d;
    int rc;
    if ((rc = required(loc, item, "low", why, &v, &low_loc)) ||
        (rc = igm_config_read_int(&low_loc, v, &p->ilow)) ||
        (rc = required(loc, item, "high", why, &v, &high_loc)) ||
        (rc = igm_config_read_int(&high_loc, v, &p->ihigh)) ||
        (rc = read_int_step(loc, item, &p->istep, &step_loc)) ||
        (rc = read_log(loc, item, &p->log, &log_loc)))
        return rc;
    p->low = (double)p->ilow;
    p->high = (double)p->ihigh;
    p->step = (double)p->istep;
    if (p->ilow > p->ihigh)
        return igm_config_error(&low_loc, "low (%lld) must be <= high (%lld)",
                                (long long)p->ilow, (long long)p->ihigh);
    if (p->log && p->ilow < 1)
        return igm_config_error(&log_loc, "log scale needs low >= 1 for an int (low is %lld)",
                                (long long)p->ilow);
    if (p->log && p->istep != 1)
        return igm_config_error(&step_loc, "step cannot be used with log: true");
    if ((rc = igm_distribution_int(&d, p->name, p->ilow, p->ihigh, p->istep, p->log)))
        return igm_config_error_from_last(loc, rc);
    igm_distribution_free(d);
    return IGMOPT_OK;
}

static int is_numeric(const igm_yaml_node *v)
{
    return v->type == IGM_YAML_BOOL || v->type == IGM_YAML_INT || v->type == IGM_YAML_FLOAT;
}

static double numeric_value(const igm_yaml_node *v)
{
    return v->type == IGM_YAML_BOOL ? (double)v->boolean : v->number;
}

/* Python's ==, which Optuna uses to find a choice: 1, 1.0 and true match. */
static int choices_equal(const igm_yaml_node *a, const igm_yaml_node *b)
{
    if (is_numeric(a) && is_numeric(b))
        return a->type == IGM_YAML_INT && b->type == IGM_YAML_INT ? a->integer == b->integer
               : numeric_value(a) == numeric_value(b);
    if (a->type != b->type)
        return 0;
    return a->type == IGM_YAML_NULL || strcmp(a->text, b->text) == 0;
}

static int check_choice(const igm_config_loc *choices_loc, const igm_yaml_node *choices,
                        size_t i)
{
    const igm_yaml_node *v = choices->items[i];
    igm_config_loc loc;
    igm_config_loc_index(&loc, choices_loc, i, v);
    if (v->type == IGM_YAML_SEQUENCE || v->type == IGM_YAML_MAPPING)
        return igm_config_error(&loc, "a choice must be null, a bool, a number or a string "
                                "(got %s)", v->type == IGM_YAML_SEQUENCE ? "a list"
                                                                        : "a mapping");
    if (v->type == IGM_YAML_FLOAT && !isfinite(v->number))
        return igm_config_error(&loc, "a choice must be a finite number (got %s)", v->text);
    return igm_config_check_ints_fit(&loc, v);
}

typedef struct choice_ref {
    const igm_yaml_node *v;
    size_t index;
} choice_ref;

static int choice_class(const igm_yaml_node *v)
{
    return is_numeric(v) ? 0 : v->type == IGM_YAML_STRING ? 1 : 2;
}

/* Orders choices so that equal ones are neighbours: by class, then by
 * value (numbers as doubles), then by position. */
static int compare_choice_refs(const void *pa, const void *pb)
{
    const choice_ref *a = pa, *b = pb;
    int ca = choice_class(a->v), cb = choice_class(b->v), order = 0;
    if (ca != cb)
        return ca < cb ? -1 : 1;
    if (ca == 0 && numeric_value(a->v) != numeric_value(b->v))
        return numeric_value(a->v) < numeric_value(b->v) ? -1 : 1;
    if (ca == 1)
        order = strcmp(a->v->text, b->v->text);
    if (order)
        return order;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int same_bucket(const choice_ref *a, const choice_ref *b)
{
    int ca = choice_class(a->v);
    if (ca != choice_class(b->v))
        return 0;
    if (ca == 0)
        return numeric_value(a->v) == numeric_value(b->v);
    return ca == 2 || strcmp(a->v->text, b->v->text) == 0;
}

/* In one bucket (sorted by position), the first choice equal to an
 * earlier one. */
static void repeated_in_bucket(const choice_ref *refs, size_t lo, size_t hi, size_t *first,
                               size_t *repeat, int *found)
{
    for (size_t j = lo + 1; j < hi; j++) {
        for (size_t i = lo; i < j; i++) {
            if (!choices_equal(refs[i].v, refs[j].v))
                continue;
            if (!*found || refs[j].index < *repeat) {
                *first = refs[i].index;
                *repeat = refs[j].index;
                *found = 1;
            }
            return;
        }
    }
}

/* The first choice in list order equal to an earlier one; sorting keeps a
 * long list of choices fast. */
static int find_repeated_choice(const igm_yaml_node *choices, size_t *first, size_t *repeat,
                                int *found)
{
    choice_ref *refs = malloc(choices->n * sizeof *refs);
    size_t lo = 0;
    *found = 0;
    if (!refs)
        return igm_error_nomem();
    for (size_t i = 0; i < choices->n; i++)
        refs[i] = (choice_ref){choices->items[i], i};
    qsort(refs, choices->n, sizeof *refs, compare_choice_refs);
    for (size_t hi = 1; hi <= choices->n; hi++) {
        if (hi < choices->n && same_bucket(&refs[lo], &refs[hi]))
            continue;
        repeated_in_bucket(refs, lo, hi, first, repeat, found);
        lo = hi;
    }
    free(refs);
    return IGMOPT_OK;
}

static int check_repeated_choices(const igm_config_loc *choices_loc,
                                  const igm_yaml_node *choices)
{
    size_t first = 0, repeat = 0;
    int found, rc = find_repeated_choice(choices, &first, &repeat, &found);
    igm_config_loc loc;
    if (rc || !found)
        return rc;
    igm_config_loc_index(&loc, choices_loc, repeat, choices->items[repeat]);
    return igm_config_error(&loc, "repeats choice %zu (choices are compared with Python's ==)",
                            first);
}

static int read_categorical_param(const igm_config_loc *loc, const igm_yaml_node *item,
                                  igm_config_param *p)
{
    const igm_yaml_node *v;
    igm_config_loc choices_loc;
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_distribution *d;
    int rc;
    if ((rc = required(loc, item, "choices", "a categorical parameter needs choices", &v,
                       &choices_loc)))
        return rc;
    if (v->type != IGM_YAML_SEQUENCE || v->n == 0)
        return igm_config_error(&choices_loc, "must be a non-empty list of values");
    for (size_t i = 0; i < v->n; i++)
        if ((rc = check_choice(&choices_loc, v, i)))
            return rc;
    if ((rc = check_repeated_choices(&choices_loc, v)))
        return rc;
    igm_yaml_to_json(&sb, v);
    if ((rc = igm_strbuf_finish(&sb, &p->choices_json)))
        return rc;
    if ((rc = igm_distribution_categorical(&d, p->name, p->choices_json)))
        return igm_config_error_from_last(&choices_loc, rc);
    igm_distribution_free(d);
    return IGMOPT_OK;
}

static int check_unique_name(igm_config_build *b, const igm_config_loc *name_loc,
                             const char *name)
{
    for (size_t i = 0; i < b->cfg->n_params; i++)
        if (strcmp(b->cfg->params[i].name, name) == 0)
            return igm_config_error(name_loc, "parameter '%s' is defined twice (also "
                                    "parameters.%zu)", name, i);
    return IGMOPT_OK;
}

/* Override keys and parameter names become the key of a Hydra key=value
 * argument: an '=', white space or a control character would split or
 * bend it, and a leading '-' makes it read as an option. */
static int check_hydra_key(const igm_config_loc *loc, const char *key, const char *what)
{
    if (!key[0])
        return igm_config_error(loc, "%s must not be empty", what);
    for (const char *p = key; *p; p++)
        if (*p == '=' || *p == ' ' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return igm_config_error(loc, "%s cannot contain '=', white space or control "
                                    "characters (it becomes a Hydra key=value argument)",
                                    what);
    if (key[0] == '-')
        return igm_config_error(loc, "%s cannot start with '-' (the program would read it "
                                "as an option)", what);
    return IGMOPT_OK;
}

static int read_parameter(igm_config_build *b, const igm_config_loc *loc,
                          const igm_yaml_node *item, igm_config_param *p)
{
    static const char why[] = "every parameter needs name and type";
    const igm_yaml_node *v;
    igm_config_loc at;
    int rc;
    if ((rc = igm_config_expect(loc, item, IGM_YAML_MAPPING,
                                "a mapping with name, type and a range")) ||
        (rc = required(loc, item, "name", why, &v, &at)) ||
        (rc = igm_config_read_string(&at, v, &p->name)) ||
        (rc = check_hydra_key(&at, p->name, "a parameter name")) ||
        (rc = check_unique_name(b, &at, p->name)) ||
        (rc = required(loc, item, "type", why, &v, &at)) ||
        (rc = read_param_type(&at, v, &p->type)) ||
        (rc = check_param_keys(loc, item, p->type)))
        return rc;
    switch (p->type) {
    case IGM_PARAM_FLOAT: return read_float_param(loc, item, p);
    case IGM_PARAM_INT: return read_int_param(loc, item, p);
    default: return read_categorical_param(loc, item, p);
    }
}

int igm_config_read_parameters(igm_config_build *b, const igm_config_loc *loc,
                               const igm_yaml_node *v)
{
    igmopt_config *cfg = b->cfg;
    int rc;
    if (v->type != IGM_YAML_SEQUENCE || v->n == 0)
        return igm_config_error(loc, "must be a non-empty list of {name, type, ...} entries");
    if (!(cfg->params = calloc(v->n, sizeof *cfg->params)))
        return igm_error_nomem();
    for (size_t i = 0; i < v->n; i++) {
        igm_config_loc item_loc;
        igm_config_loc_index(&item_loc, loc, i, v->items[i]);
        rc = read_parameter(b, &item_loc, v->items[i], &cfg->params[i]);
        cfg->n_params++; /* counted even when half-read, so it is freed */
        if (rc)
            return rc;
    }
    return IGMOPT_OK;
}

/* ---- overrides ------------------------------------------------------- */

static int read_override(const igm_config_loc *loc, const igm_yaml_node *key,
                         const igm_yaml_node *value, igm_config_override *o)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    int rc;
    if ((rc = check_hydra_key(loc, key->text, "an override key")))
        return rc;
    if (value->type == IGM_YAML_SEQUENCE || value->type == IGM_YAML_MAPPING)
        return igm_config_error(loc, "must be a single value (a number, string, bool or "
                                "null), not %s", value->type == IGM_YAML_SEQUENCE
                                                     ? "a list" : "a mapping");
    if (!(o->key = strdup(key->text)))
        return igm_error_nomem();
    igm_yaml_to_json(&sb, value);
    return igm_strbuf_finish(&sb, &o->value_json);
}

int igm_config_read_overrides(igm_config_build *b, const igm_config_loc *loc,
                              const igm_yaml_node *v)
{
    igmopt_config *cfg = b->cfg;
    int rc;
    if (v->type == IGM_YAML_NULL)
        return IGMOPT_OK;
    if ((rc = igm_config_expect(loc, v, IGM_YAML_MAPPING, "a mapping of key: value")))
        return rc;
    if (v->n && !(cfg->overrides = calloc(v->n, sizeof *cfg->overrides)))
        return igm_error_nomem();
    for (size_t i = 0; i < v->n; i++) {
        igm_config_loc key_loc;
        igm_config_loc_key(&key_loc, loc, v->keys[i]);
        rc = read_override(&key_loc, v->keys[i], v->items[i], &cfg->overrides[i]);
        cfg->n_overrides++;
        if (rc)
            return rc;
    }
    return IGMOPT_OK;
}

/* A tuned parameter must not also be fixed: which value the trial gets
 * would depend on the order Hydra applies them in.  The message points at
 * the override, the usual addition (often from the command line). */
int igm_config_check_conflicts(igm_config_build *b, const igm_config_loc *root_loc)
{
    igm_yaml_node *params_key = NULL, *overrides_key = NULL;
    const igm_yaml_node *params = igm_yaml_get(b->root, "parameters", &params_key);
    const igm_yaml_node *overrides = igm_yaml_get(b->root, "overrides", &overrides_key);
    igm_config_loc overrides_loc, fixed_loc;
    if (!params || !overrides || overrides->type != IGM_YAML_MAPPING)
        return IGMOPT_OK;
    igm_config_loc_key(&overrides_loc, root_loc, overrides_key);
    for (size_t i = 0; i < params->n; i++) {
        igm_yaml_node *name_key = NULL, *fixed_key = NULL;
        const igm_yaml_node *name = igm_yaml_get(params->items[i], "name", &name_key);
        if (!name || !igm_yaml_get(overrides, name->text, &fixed_key))
            continue;
        igm_config_loc_key(&fixed_loc, &overrides_loc, fixed_key);
        if (name_key->origin)
            return igm_config_error(&fixed_loc, "also tuned as parameters.%zu (%s); a value is "
                                    "either tuned or fixed", i, name_key->origin);
        return igm_config_error(&fixed_loc, "also tuned as parameters.%zu (line %d); a value "
                                "is either tuned or fixed", i, name_key->line);
    }
    return IGMOPT_OK;
}
