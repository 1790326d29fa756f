/* Intersection and group-decomposed search spaces over finished trials
 * (optuna/search_space/intersection.py and group_decomposed.py, as
 * OPTUNA-ALGORITHMS.md s1.5 describes them). */
#include "search_space.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"

static int counted(const igm_frozen_trial *t, int include_pruned)
{
    return t->state == IGMOPT_COMPLETE || (include_pruned && t->state == IGMOPT_PRUNED);
}

static int space_alloc(igm_search_space *s, size_t cap)
{
    s->count = 0;
    s->names = malloc((cap ? cap : 1) * sizeof *s->names);
    s->dists = malloc((cap ? cap : 1) * sizeof *s->dists);
    if (!s->names || !s->dists) {
        igm_search_space_clear(s);
        return igm_error_nomem();
    }
    return IGMOPT_OK;
}

void igm_search_space_clear(igm_search_space *s)
{
    free(s->names);
    free(s->dists);
    memset(s, 0, sizeof *s);
}

void igm_search_space_groups_clear(igm_search_space_groups *g)
{
    for (size_t i = 0; i < g->count; i++)
        igm_search_space_clear(&g->groups[i]);
    free(g->groups);
    memset(g, 0, sizeof *g);
}

long igm_search_space_find(const igm_search_space *s, const char *name)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->names[i], name) == 0)
            return (long)i;
    return -1;
}

/* Python's sorted() on str: code point order, which strcmp gives on UTF-8. */
static void sort_by_name(igm_search_space *s)
{
    for (size_t i = 1; i < s->count; i++) {
        const char *name = s->names[i];
        const igm_distribution *d = s->dists[i];
        size_t j = i;
        for (; j > 0 && strcmp(s->names[j - 1], name) > 0; j--) {
            s->names[j] = s->names[j - 1];
            s->dists[j] = s->dists[j - 1];
        }
        s->names[j] = name;
        s->dists[j] = d;
    }
}

static void drop_single(igm_search_space *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (igm_distribution_single(s->dists[i]))
            continue;
        s->names[kept] = s->names[i];
        s->dists[kept++] = s->dists[i];
    }
    s->count = kept;
}

/* The trial's parameter of that name, looked for first at index hint:
 * trials that suggest the same names in the same order (the usual case)
 * then cost one comparison a name, not a scan. */
static const igm_param *param_near(const igm_frozen_trial *t, const char *name, size_t hint)
{
    if (hint < t->n_params && strcmp(t->params[hint].name, name) == 0)
        return &t->params[hint];
    return igm_frozen_trial_param(t, name);
}

int igm_intersection_add(igm_search_space *s, int *started, const igm_frozen_trial *t)
{
    size_t kept = 0;
    int rc;
    if (!*started) {
        if ((rc = space_alloc(s, t->n_params)))
            return rc;
        for (size_t k = 0; k < t->n_params; k++) {
            s->names[k] = t->params[k].name;
            s->dists[k] = t->params[k].distribution;
        }
        s->count = t->n_params;
        *started = 1;
        return IGMOPT_OK;
    }
    for (size_t k = 0; k < s->count; k++) {
        const igm_param *p = param_near(t, s->names[k], k);
        if (!p || !igm_distribution_equal(p->distribution, s->dists[k]))
            continue;
        s->names[kept] = s->names[k];
        s->dists[kept++] = s->dists[k];
    }
    s->count = kept;
    return IGMOPT_OK;
}

int igm_search_space_finish(const igm_search_space *s, int drop_singles, igm_search_space *out)
{
    int rc = space_alloc(out, s->count);
    if (rc)
        return rc;
    for (size_t k = 0; k < s->count; k++) {
        out->names[k] = s->names[k];
        out->dists[k] = s->dists[k];
    }
    out->count = s->count;
    if (drop_singles)
        drop_single(out);
    sort_by_name(out);
    return IGMOPT_OK;
}

int igm_intersection_search_space(igm_frozen_trial *const *trials, size_t n, int include_pruned,
                                  int drop_singles, igm_search_space *out)
{
    int started = 0, rc = IGMOPT_OK;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; rc == IGMOPT_OK && i < n && (!started || out->count > 0); i++)
        if (counted(trials[i], include_pruned))
            rc = igm_intersection_add(out, &started, trials[i]);
    if (rc == IGMOPT_OK && !started)
        rc = space_alloc(out, 0);
    if (rc) {
        igm_search_space_clear(out);
        return rc;
    }
    if (drop_singles)
        drop_single(out);
    sort_by_name(out);
    return IGMOPT_OK;
}

/* ---- group decomposition ---------------------------------------------- */

static int groups_push(igm_search_space_groups *g, size_t *cap, igm_search_space *s)
{
    if (g->count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 4;
        igm_search_space *grown = realloc(g->groups, grown_cap * sizeof *grown);
        if (!grown)
            return igm_error_nomem();
        g->groups = grown;
        *cap = grown_cap;
    }
    g->groups[g->count++] = *s;
    memset(s, 0, sizeof *s);
    return IGMOPT_OK;
}

/* The trial splits no group and brings no new name: nothing changes. */
static int trial_fits_groups(const igm_search_space_groups *g, const igm_frozen_trial *t)
{
    size_t found_total = 0;
    for (size_t i = 0; i < g->count; i++) {
        size_t found = 0;
        for (size_t k = 0; k < g->groups[i].count; k++)
            found += igm_frozen_trial_param(t, g->groups[i].names[k]) != NULL;
        if (found != 0 && found != g->groups[i].count)
            return 0;
        found_total += found;
    }
    return found_total == t->n_params;
}

/* Appends S & D then S - D (non-empty ones) for one group S; marks the
 * names of D that S had. */
static int split_group(const igm_search_space *s, const igm_frozen_trial *t,
                       unsigned char *in_group, igm_search_space_groups *next, size_t *cap)
{
    igm_search_space inter, diff;
    int rc = space_alloc(&inter, s->count);
    if (rc || (rc = space_alloc(&diff, s->count))) {
        igm_search_space_clear(&inter);
        return rc;
    }
    for (size_t k = 0; k < s->count; k++) {
        const igm_param *p = igm_frozen_trial_param(t, s->names[k]);
        igm_search_space *to = p ? &inter : &diff;
        if (p)
            in_group[p - t->params] = 1;
        to->names[to->count] = s->names[k];
        to->dists[to->count++] = s->dists[k];
    }
    rc = inter.count ? groups_push(next, cap, &inter) : IGMOPT_OK;
    if (rc == IGMOPT_OK && diff.count)
        rc = groups_push(next, cap, &diff);
    igm_search_space_clear(&inter);
    igm_search_space_clear(&diff);
    return rc;
}

static int add_trial(igm_search_space_groups *g, size_t *cap, const igm_frozen_trial *t)
{
    igm_search_space_groups next = {NULL, 0};
    igm_search_space rest = {NULL, NULL, 0};
    size_t next_cap = 0;
    unsigned char *in_group = calloc(t->n_params ? t->n_params : 1, 1);
    int rc = in_group ? IGMOPT_OK : igm_error_nomem();
    for (size_t i = 0; rc == IGMOPT_OK && i < g->count; i++)
        rc = split_group(&g->groups[i], t, in_group, &next, &next_cap);
    if (rc == IGMOPT_OK)
        rc = space_alloc(&rest, t->n_params);
    for (size_t k = 0; rc == IGMOPT_OK && k < t->n_params; k++) {
        if (in_group[k])
            continue;
        rest.names[rest.count] = t->params[k].name;
        rest.dists[rest.count++] = t->params[k].distribution;
    }
    if (rc == IGMOPT_OK && rest.count)
        rc = groups_push(&next, &next_cap, &rest);
    igm_search_space_clear(&rest);
    free(in_group);
    if (rc) {
        igm_search_space_groups_clear(&next);
        return rc;
    }
    igm_search_space_groups_clear(g);
    *g = next;
    *cap = next_cap;
    return IGMOPT_OK;
}

int igm_group_decomposed_search_space(igm_frozen_trial *const *trials, size_t n,
                                      int include_pruned, int drop_singles,
                                      igm_search_space_groups *out)
{
    size_t cap = 0, kept = 0;
    int rc = IGMOPT_OK;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++)
        if (counted(trials[i], include_pruned) && !trial_fits_groups(out, trials[i]))
            rc = add_trial(out, &cap, trials[i]);
    if (rc) {
        igm_search_space_groups_clear(out);
        return rc;
    }
    for (size_t i = 0; i < out->count; i++) {
        if (drop_singles)
            drop_single(&out->groups[i]);
        sort_by_name(&out->groups[i]);
        if (out->groups[i].count)
            out->groups[kept++] = out->groups[i];
        else
            igm_search_space_clear(&out->groups[i]);
    }
    out->count = kept;
    return IGMOPT_OK;
}
