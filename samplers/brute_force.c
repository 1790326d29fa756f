/* BruteForceSampler: exhaustive search of a finite define-by-run space.
 * Each suggest rebuilds the tree of the paths earlier trials took below the
 * current trial's parameters so far, and picks a value leading to a part
 * of the tree nobody has visited yet (OPTUNA-ALGORITHMS.md s7, [H]
 * optuna/samplers/_brute_force.py). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/rng.h"
#include "../lib/strbuf.h"
#include "../lib/study.h"
#include "sampler.h"

/* Values enumerated for one parameter at most (the tree holds them). */
#define MAX_CANDIDATES 1000000u

typedef struct bf_sampler {
    igm_rng rng;
    int avoid_premature_stop;
} bf_sampler;

/* ---- candidate values ------------------------------------------------- */

/* v = mantissa * 10^exponent, from Python's str(v) (shortest repr), which
 * is what Optuna turns into a Decimal. */
static int decimal_of(double v, __int128 *mantissa, int *exponent)
{
    char repr[32], *p = repr;
    int negative = 0, after_point = 0, seen_point = 0, digits = 0;
    __int128 m = 0;
    igm_format_double(v, repr);
    if (*p == '-') {
        negative = 1;
        p++;
    }
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') {
            seen_point = 1;
            continue;
        }
        if (*p < '0' || *p > '9' || ++digits > 18)
            return -1; /* inf/nan, or more digits than a double's repr has */
        m = m * 10 + (*p - '0');
        after_point += seen_point;
    }
    *exponent = (*p == 'e' ? atoi(p + 1) : 0) - after_point;
    *mantissa = negative ? -m : m;
    return 0;
}

/* m * 10^(from - to) for to <= from, refusing results past 10^36. */
static int rescale(__int128 *m, int from, int to)
{
    const __int128 limit = (__int128)1000000000000000000ll * 1000000000000000000ll;
    for (int i = to; i < from; i++) {
        if (*m > limit / 10 || *m < -limit / 10)
            return -1;
        *m *= 10;
    }
    return 0;
}

static double decimal_to_double(__int128 m, int exponent)
{
    char text[64], digits[48];
    size_t n = 0;
    unsigned __int128 u = m < 0 ? -(unsigned __int128)m : (unsigned __int128)m;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    for (size_t i = 0; i < n / 2; i++) {
        char t = digits[i];
        digits[i] = digits[n - 1 - i];
        digits[n - 1 - i] = t;
    }
    digits[n] = '\0';
    snprintf(text, sizeof text, "%s%se%d", m < 0 ? "-" : "", digits, exponent);
    return strtod(text, NULL); /* correctly rounded, as Python's float(Decimal) */
}

/* low, low + step, ... <= high added in decimal on str() of the floats, so
 * 0.1 + 0.2 is exactly 0.3 as in Optuna's _enumerate_candidates. */
static int float_candidates(const igm_distribution *d, const char *name, double **out,
                            size_t *n)
{
    __int128 low, high, step, count;
    int el, eh, es, e;
    if (decimal_of(d->low, &low, &el) || decimal_of(d->high, &high, &eh) ||
        decimal_of(d->step, &step, &es))
        return igm_error(IGMOPT_EINVAL, "BruteForceSampler: parameter '%s': cannot enumerate "
                         "its values", name);
    e = el < eh ? (el < es ? el : es) : (eh < es ? eh : es);
    if (rescale(&low, el, e) || rescale(&high, eh, e) || rescale(&step, es, e) || step <= 0)
        return igm_error(IGMOPT_EINVAL, "BruteForceSampler: parameter '%s': cannot enumerate "
                         "its values exactly", name);
    count = high < low ? 0 : (high - low) / step + 1;
    if (count > MAX_CANDIDATES)
        return igm_error(IGMOPT_EINVAL, "BruteForceSampler: parameter '%s' has more than %u "
                         "values", name, MAX_CANDIDATES);
    *n = (size_t)count;
    if (!(*out = malloc((*n ? *n : 1) * sizeof **out)))
        return igm_error_nomem();
    for (size_t k = 0; k < *n; k++)
        (*out)[k] = decimal_to_double(low + (__int128)k * step, e);
    return IGMOPT_OK;
}

/* Internal values of every value of d, ascending. */
static int enumerate_candidates(const igm_distribution *d, const char *name, double **out,
                                size_t *n)
{
    *out = NULL;
    *n = 0;
    if (d->kind == IGM_DIST_FLOAT && d->step == 0)
        return igm_error(IGMOPT_EINVAL, "BruteForceSampler: parameter '%s' is a float without "
                         "step, so its values cannot be enumerated (give it a step)", name);
    if (d->kind == IGM_DIST_FLOAT)
        return float_candidates(d, name, out, n);
    if (d->kind == IGM_DIST_INT) {
        uint64_t count = ((uint64_t)d->ihigh - (uint64_t)d->ilow) / (uint64_t)d->istep + 1;
        if (count > MAX_CANDIDATES)
            return igm_error(IGMOPT_EINVAL, "BruteForceSampler: parameter '%s' has more than "
                             "%u values", name, MAX_CANDIDATES);
        *n = (size_t)count;
    } else {
        *n = d->n_choices;
    }
    if (!(*out = malloc(*n * sizeof **out)))
        return igm_error_nomem();
    for (size_t k = 0; k < *n; k++)
        (*out)[k] = d->kind == IGM_DIST_INT ? (double)(d->ilow + (int64_t)k * d->istep)
                                            : (double)k;
    return IGMOPT_OK;
}

/* ---- the tree of seen paths ------------------------------------------- */

/* Three states, as [H]'s _TreeNode: unexpanded (nobody went further:
 * !expanded), leaf (a finished trial ended here: expanded, no children),
 * inner node (param with one child per candidate value). */
typedef struct bf_node {
    const char *param;                /* borrowed from a trial; NULL for a leaf */
    const igm_distribution *dist;     /* the distribution that expanded it */
    double *keys;                     /* candidate internal values, ascending */
    struct bf_node *children;
    size_t n_children;
    int expanded, running;
} bf_node;

static void node_clear(bf_node *node)
{
    for (size_t i = 0; i < node->n_children; i++)
        node_clear(&node->children[i]);
    free(node->children);
    free(node->keys);
    memset(node, 0, sizeof *node);
}

/* Takes ownership of keys. */
static int node_expand_with(bf_node *node, const char *param, const igm_distribution *d,
                            double *keys, size_t n)
{
    node->children = calloc(n ? n : 1, sizeof *node->children);
    if (!node->children) {
        free(keys);
        return igm_error_nomem();
    }
    node->param = param;
    node->dist = d;
    node->keys = keys;
    node->n_children = n;
    node->expanded = 1;
    return IGMOPT_OK;
}

static int same_keys(const double *a, size_t na, const double *b, size_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na * sizeof *a) == 0);
}

/* Expands an unexpanded node (or a leaf a deeper path goes through: a
 * trial that stopped early, e.g. FAIL, where [H] raises), or checks that an
 * inner node splits on the same parameter over the same values. */
static int node_expand(bf_node *node, const char *param, const igm_distribution *d)
{
    double *keys;
    size_t n;
    int rc, same;
    if (node->expanded && node->param) {
        if (strcmp(node->param, param) != 0)
            return igm_error(IGMOPT_EINVAL, "BruteForceSampler: trials with the same earlier "
                             "parameters go on with '%s' in one and '%s' in another; the "
                             "search space must be the same define-by-run tree in every "
                             "trial", node->param, param);
        if (node->dist == d || igm_distribution_equal(node->dist, d))
            return IGMOPT_OK;
        if ((rc = enumerate_candidates(d, param, &keys, &n)))
            return rc;
        same = same_keys(node->keys, node->n_children, keys, n);
        free(keys);
        return same ? IGMOPT_OK
                    : igm_error(IGMOPT_EINVAL, "BruteForceSampler: parameter '%s' has other "
                                "values in different trials; its range must not change",
                                param);
    }
    if ((rc = enumerate_candidates(d, param, &keys, &n)))
        return rc;
    node_clear(node);
    return node_expand_with(node, param, d, keys, n);
}

static bf_node *node_child(bf_node *node, double value)
{
    size_t lo = 0, hi = node->n_children;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (node->keys[mid] < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < node->n_children && node->keys[lo] == value ? &node->children[lo] : NULL;
}

static int is_expandable(const bf_node *node, int exclude_running)
{
    if (!node->expanded)
        return !exclude_running || !node->running;
    for (size_t i = 0; i < node->n_children; i++)
        if (is_expandable(&node->children[i], exclude_running))
            return 1;
    return 0;
}

static double count_unexpanded(const bf_node *node, int exclude_running)
{
    double count = 0;
    if (!node->expanded)
        return exclude_running && node->running ? 0 : 1;
    for (size_t i = 0; i < node->n_children; i++)
        count += count_unexpanded(&node->children[i], exclude_running);
    return count;
}

/* ---- trials into the tree ----------------------------------------------- */

/* Python's == on the external values. */
static int same_param_value(const igm_param *a, const igm_param *b)
{
    const igm_distribution *da = a->distribution, *db = b->distribution;
    if ((da->kind == IGM_DIST_CATEGORICAL) != (db->kind == IGM_DIST_CATEGORICAL))
        return 0;
    if (da->kind != IGM_DIST_CATEGORICAL)
        return a->internal == b->internal;
    return strcmp(da->choices[(size_t)a->internal], db->choices[(size_t)b->internal]) == 0;
}

static int holds_params(const igm_frozen_trial *t, const igm_frozen_trial *current)
{
    for (size_t i = 0; i < current->n_params; i++) {
        const igm_param *p = igm_frozen_trial_param(t, current->params[i].name);
        if (!p || !same_param_value(p, &current->params[i]))
            return 0;
    }
    return 1;
}

/* Adds t's parameters that `fixed` does not hold, in t's suggestion order;
 * marks where the path ends as a leaf (finished) or running. */
static int add_trial(bf_node *root, const igm_frozen_trial *t, igmopt_trial_state state,
                     const igm_frozen_trial *fixed)
{
    bf_node *node = root;
    int rc;
    for (size_t i = 0; i < t->n_params; i++) {
        const igm_param *p = &t->params[i];
        if (fixed && igm_frozen_trial_param(fixed, p->name))
            continue;
        if ((rc = node_expand(node, p->name, p->distribution)))
            return rc;
        if (!(node = node_child(node, p->internal)))
            return IGMOPT_OK; /* off the grid: not a path of this space */
    }
    if (!igm_trial_state_finished(state))
        node->running = 1;
    else if (!node->expanded)
        return node_expand_with(node, NULL, NULL, NULL, 0);
    return IGMOPT_OK;
}

static int counted_state(igmopt_trial_state s)
{
    return s == IGMOPT_COMPLETE || s == IGMOPT_PRUNED || s == IGMOPT_RUNNING ||
           s == IGMOPT_FAIL;
}

/* The tree below `fixed`'s parameters from every other COMPLETE, PRUNED,
 * RUNNING or FAIL trial that holds them; `current` (when not NULL) stands
 * in for the study's copy of its trial with state current_state. */
static int populate(bf_node *root, igmopt_study *study, const igm_frozen_trial *fixed,
                    const igm_frozen_trial *current, igmopt_trial_state current_state)
{
    igm_frozen_trial *const *trials;
    size_t n;
    int rc = igm_study_trials(study, &trials, &n);
    for (size_t i = 0; i < n && rc == IGMOPT_OK; i++) {
        const igm_frozen_trial *t = trials[i];
        igmopt_trial_state state = t->state;
        if (t->number == fixed->number) {
            if (!current)
                continue;
            t = current;
            state = current_state;
        }
        if (counted_state(state) && holds_params(t, fixed))
            rc = add_trial(root, t, state, fixed);
    }
    return rc;
}

/* ---- choosing --------------------------------------------------------- */

/* [H]'s sample_child: half the weight by each child's share of unexpanded
 * nodes, half spread evenly over the children that have any; children with
 * a running trial are avoided while another child can be chosen. */
static size_t sample_child(const bf_node *node, igm_rng *rng, int exclude_running)
{
    size_t n = node->n_children, with_unexpanded = 0, chosen = 0;
    double *w = malloc(n * sizeof *w), total = 0, sum = 0, r;
    int avoid_running = 0;
    if (!w)
        return (size_t)igm_rng_below(rng, n); /* no memory for the weights: any child */
    for (size_t i = 0; i < n; i++) {
        w[i] = count_unexpanded(&node->children[i], exclude_running);
        total += w[i];
        with_unexpanded += w[i] > 0;
    }
    for (size_t i = 0; i < n; i++) {
        w[i] = w[i] > 0 ? 0.5 * w[i] / total + 0.5 / (double)with_unexpanded : 0.0;
        avoid_running |= !node->children[i].running && w[i] > 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (avoid_running && node->children[i].running)
            w[i] = 0;
        sum += w[i];
    }
    r = igm_rng_uniform(rng) * sum;
    for (chosen = 0; chosen + 1 < n; chosen++) {
        if (w[chosen] > 0 && r < w[chosen])
            break;
        r -= w[chosen];
    }
    while (w[chosen] == 0 && chosen > 0) /* rounding ran past the last weighted child */
        chosen--;
    free(w);
    return chosen;
}

static int bf_sample_independent(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                                 const char *name, const igm_distribution *d, double *internal)
{
    bf_sampler *s = impl;
    int exclude_running = !s->avoid_premature_stop;
    bf_node root = {0};
    int rc = node_expand(&root, name, d);
    if (rc == IGMOPT_OK)
        rc = populate(&root, study, trial, NULL, IGMOPT_RUNNING);
    if (rc == IGMOPT_OK && root.n_children == 0)
        rc = igm_error(IGMOPT_EINVAL, "BruteForceSampler: parameter '%s' has no value", name);
    if (rc == IGMOPT_OK) {
        size_t i = is_expandable(&root, exclude_running)
                       ? sample_child(&root, &s->rng, exclude_running)
                       : (size_t)igm_rng_below(&s->rng, root.n_children);
        *internal = root.keys[i];
    }
    node_clear(&root);
    return rc;
}

/* Stops the study when, counting this trial as finished, no path is left
 * to explore (running ones count as explored unless avoid_premature_stop). */
static int bf_after_trial(void *impl, igmopt_study *study, igm_frozen_trial *trial,
                          igmopt_trial_state state, const double *values, size_t n_values)
{
    bf_sampler *s = impl;
    igm_frozen_trial none = {0};
    bf_node root = {0};
    int rc;
    none.number = trial->number;
    rc = populate(&root, study, &none, trial, state);
    if (rc == IGMOPT_OK && !is_expandable(&root, !s->avoid_premature_stop))
        igm_study_request_stop(study);
    node_clear(&root);
    return rc;
}

static const igm_sampler_ops bf_sampler_ops = {
    "BruteForceSampler", free, NULL, NULL, bf_sample_independent, bf_after_trial,
    NULL,
};

int igm_brute_force_sampler_create(void **impl, const igm_sampler_ops **ops,
                                   const json_t *options)
{
    static const char *const allowed[] = {"seed", "avoid_premature_stop", NULL};
    const json_t *avoid = json_object_get(options, "avoid_premature_stop");
    bf_sampler *s;
    uint64_t seed = 0;
    int has_seed, rc;
    if ((rc = igm_options_check_keys(options, "BruteForceSampler", allowed)) ||
        (rc = igm_options_seed(options, "BruteForceSampler", &has_seed, &seed)))
        return rc;
    if (avoid && !json_is_boolean(avoid))
        return igm_error(IGMOPT_EINVAL, "BruteForceSampler: option 'avoid_premature_stop' "
                         "must be true or false");
    if (!(s = malloc(sizeof *s)))
        return igm_error_nomem();
    s->avoid_premature_stop = avoid && json_is_true(avoid);
    if (has_seed)
        igm_rng_seed(&s->rng, seed);
    else
        igm_rng_seed_random(&s->rng);
    *impl = s;
    *ops = &bf_sampler_ops;
    return IGMOPT_OK;
}
