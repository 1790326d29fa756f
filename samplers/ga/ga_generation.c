/* Generation bookkeeping of the genetic samplers, all in storage attrs so
 * that every process sharing a study builds the same population (Optuna
 * [H] BaseGASampler, OPTUNA-ALGORITHMS.md s3.2): the trial system attr
 * "<class>:generation" and the study system attr "<class>:parent:<g>"
 * (the trial ids of generation g's parent population). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/study.h"
#include "../../lib/trial_constraints.h"
#include "ga.h"

#define KEY_LEN 160

static void generation_key(const char *owner, char *key)
{
    snprintf(key, KEY_LEN, "%s:generation", owner);
}

static void parent_key(const igm_ga_view *v, int64_t g, char *key)
{
    snprintf(key, KEY_LEN, "%s:parent:%lld", v->owner, (long long)g);
}

int64_t igm_ga_generation_of(const char *owner, const igm_frozen_trial *t)
{
    char key[KEY_LEN], *end;
    const char *text;
    long long g;
    generation_key(owner, key);
    text = igm_attr_list_get(&t->system_attrs, key);
    if (!text)
        return -1;
    g = strtoll(text, &end, 10);
    /* generation g needs g full generations before it, so g <= the
     * trial's number; anything else was not written by a sampler */
    return end != text && *end == '\0' && g >= 0 && g <= t->number ? g : -1;
}

int igm_ga_trial_generation(igm_ga_sampler *s, const igm_ga_view *v,
                            const igm_frozen_trial *trial, int64_t *generation)
{
    char key[KEY_LEN], value[32];
    igmopt_storage *st = v->study->storage;
    *generation = igm_ga_generation_of(v->owner, trial);
    if (*generation >= 0)
        return IGMOPT_OK;
    *generation = igm_ga_history_next_generation(v->history, s->opt.population_size);
    generation_key(v->owner, key);
    snprintf(value, sizeof value, "%lld", (long long)*generation);
    return st->ops->set_trial_attr(st->impl, trial->trial_id, IGM_ATTR_SYSTEM, key, value);
}

/* ---- parent populations ---------------------------------------------------- */

static const igm_frozen_trial *trial_by_id(const igm_ga_view *v, int64_t id)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->trials[mid]->trial_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->n && v->trials[lo]->trial_id == id ? v->trials[lo] : NULL;
}

static int complete_with_values(const igm_ga_view *v, const igm_frozen_trial *t)
{
    return t->state == IGMOPT_COMPLETE && t->values &&
           t->n_values == v->study->n_objectives;
}

/* The stored parent population of g: *found set and *parents malloc'd
 * when the attr is there.  Only ids of COMPLETE trials of this study with
 * all their values name parents (another writer may have stored others). */
static int stored_parents(const igm_ga_view *v, const igm_attr_list *attrs, int64_t g,
                          const igm_frozen_trial ***parents, size_t *n, int *found)
{
    char key[KEY_LEN];
    const char *text;
    json_t *list, *item;
    size_t i;
    *found = 0;
    parent_key(v, g, key);
    if (!(text = igm_attr_list_get(attrs, key)))
        return IGMOPT_OK;
    list = json_loads(text, JSON_DECODE_ANY, NULL);
    if (!json_is_array(list)) {
        json_decref(list);
        return igm_error(IGMOPT_ESTORAGE, "%s: study system attr '%s' is not a list of trial "
                         "ids", v->owner, key);
    }
    *parents = malloc((json_array_size(list) ? json_array_size(list) : 1) * sizeof **parents);
    if (!*parents) {
        json_decref(list);
        return igm_error_nomem();
    }
    *n = 0;
    json_array_foreach(list, i, item) {
        const igm_frozen_trial *t = json_is_integer(item)
                                        ? trial_by_id(v, json_integer_value(item)) : NULL;
        if (t && complete_with_values(v, t))
            (*parents)[(*n)++] = t;
    }
    json_decref(list);
    *found = 1;
    return IGMOPT_OK;
}

static int store_parents(const igm_ga_view *v, int64_t g, const igm_frozen_trial *const *p,
                         size_t n)
{
    char key[KEY_LEN];
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *text;
    int rc;
    igm_strbuf_append(&sb, "[");
    for (size_t i = 0; i < n; i++)
        igm_strbuf_appendf(&sb, "%s%lld", i ? ", " : "", (long long)p[i]->trial_id);
    igm_strbuf_append(&sb, "]");
    if (igm_strbuf_finish(&sb, &text))
        return igm_error_nomem();
    parent_key(v, g, key);
    rc = igm_study_set_system_attr(v->study, key, text);
    free(text);
    return rc;
}

/* The selection pool: COMPLETE trials of generation g (trial order), then
 * the parents of g.  *pool is malloc'd. */
static int collect_pool(const igm_ga_view *v, int64_t g, const igm_frozen_trial *const *parents,
                        size_t n_parents, const igm_frozen_trial ***pool, size_t *n)
{
    *n = 0;
    *pool = malloc((v->n + n_parents + 1) * sizeof **pool);
    if (!*pool)
        return igm_error_nomem();
    for (size_t i = 0; i < v->n; i++)
        if (igm_ga_history_generation(v->history, i) == g && complete_with_values(v, v->trials[i]))
            (*pool)[(*n)++] = v->trials[i];
    for (size_t i = 0; i < n_parents; i++)
        if (complete_with_values(v, parents[i]))
            (*pool)[(*n)++] = parents[i];
    return IGMOPT_OK;
}

/* Values and violations of the pool (violations NULL when no candidate
 * has constraints); *values, *violations malloc'd. */
static int pool_arrays(const igm_ga_view *v, const igm_frozen_trial *const *pool, size_t n,
                       double **values, double **violations)
{
    size_t m = v->study->n_objectives;
    int constrained = 0;
    *values = malloc((n * m + 1) * sizeof **values);
    *violations = malloc((n + 1) * sizeof **violations);
    if (!*values || !*violations)
        return igm_error_nomem();
    for (size_t i = 0; i < n; i++) {
        int has;
        memcpy(*values + i * m, pool[i]->values, m * sizeof **values);
        (*violations)[i] = igm_trial_violation(pool[i], &has);
        constrained |= has;
    }
    if (!constrained) {
        free(*violations);
        *violations = NULL;
    }
    return IGMOPT_OK;
}

/* Elite selection (the kind's) over the COMPLETE trials of g - 1 and the
 * parents of g - 1, which *parents holds on entry and is replaced by the
 * parents of g. */
static int select_parents(igm_ga_sampler *s, const igm_ga_view *v, int64_t g,
                          const igm_frozen_trial ***parents, size_t *n)
{
    const igm_frozen_trial **pool = NULL, **next = NULL;
    double *values = NULL, *violations = NULL;
    size_t n_pool = 0, *chosen = NULL, k = s->opt.population_size;
    int rc = collect_pool(v, g - 1, *parents, *n, &pool, &n_pool);
    if (k > n_pool)
        k = n_pool;
    if (rc == IGMOPT_OK)
        rc = pool_arrays(v, pool, n_pool, &values, &violations);
    chosen = malloc((k + 1) * sizeof *chosen);
    next = malloc((k + 1) * sizeof *next);
    if (rc == IGMOPT_OK && (!chosen || !next))
        rc = igm_error_nomem();
    if (rc == IGMOPT_OK) {
        igm_elite_pool p = {n_pool, v->study->n_objectives, values, v->study->directions,
                            violations};
        rc = s->kind->select(s->state, &p, k, &s->rng, chosen);
    }
    for (size_t i = 0; rc == IGMOPT_OK && i < k; i++)
        next[i] = pool[chosen[i]];
    if (rc == IGMOPT_OK)
        rc = store_parents(v, g, next, k);
    if (rc == IGMOPT_OK) {
        free(*parents);
        *parents = next;
        *n = k;
        next = NULL;
    }
    free(next);
    free(pool);
    free(values);
    free(violations);
    free(chosen);
    return rc;
}

/* The largest generation h <= g with an "<owner>:parent:<h>" attr, or 0:
 * found among the attrs, not by counting down from g. */
static int64_t newest_stored_generation(const igm_ga_view *v, const igm_attr_list *attrs,
                                        int64_t g)
{
    char prefix[KEY_LEN];
    size_t len;
    int64_t newest = 0;
    parent_key(v, 0, prefix);
    len = strlen(prefix) - 1; /* without the 0 */
    for (size_t i = 0; i < attrs->count; i++) {
        const char *key = attrs->items[i].key, *digits = key + len;
        char *end;
        long long h;
        if (strncmp(key, prefix, len) != 0 || *digits < '0' || *digits > '9')
            continue;
        h = strtoll(digits, &end, 10);
        if (*end == '\0' && h <= g && h > newest)
            newest = h;
    }
    return newest;
}

/* The newest generation h <= g whose parents are stored (0: none needed),
 * with its parents in *parents. */
static int newest_stored(const igm_ga_view *v, const igm_attr_list *attrs, int64_t g,
                         int64_t *h, const igm_frozen_trial ***parents, size_t *n)
{
    int found;
    *h = newest_stored_generation(v, attrs, g);
    if (*h > 0)
        return stored_parents(v, attrs, *h, parents, n, &found);
    *n = 0;
    *parents = malloc(sizeof **parents);
    return *parents ? IGMOPT_OK : igm_error_nomem();
}

/* Generations whose parents nobody stored yet are selected in order, each
 * from the one before, and stored: computed once per study.  A generation
 * without COMPLETE trials hands its parents on unchanged, so a run of them
 * (only possible when someone else wrote the generation attrs) costs one
 * step, not one selection each. */
int igm_ga_parent_population(igm_ga_sampler *s, const igm_ga_view *v, int64_t g,
                             const igm_frozen_trial ***parents, size_t *n)
{
    igm_attr_list attrs = {0};
    int64_t h = 0;
    int rc, found;
    *parents = NULL;
    *n = 0;
    if ((rc = igm_ga_history_parents(v->history, g, parents, n, &found)) || found)
        return rc;
    if ((rc = igm_study_system_attrs(v->study, &attrs)) == IGMOPT_OK)
        rc = newest_stored(v, &attrs, g, &h, parents, n);
    while (rc == IGMOPT_OK && h < g) {
        h = igm_ga_history_first_generation_from(v->history, h);
        if (h < 0 || h >= g)
            break;
        rc = select_parents(s, v, ++h, parents, n);
    }
    if (rc == IGMOPT_OK)
        rc = igm_ga_history_keep_parents(v->history, g, *parents, *n);
    igm_attr_list_clear(&attrs);
    if (rc) {
        free(*parents);
        *parents = NULL;
        *n = 0;
    }
    return rc;
}
