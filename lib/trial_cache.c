/* The per-study cache of trials: finished trials are immutable in Optuna's
 * storage model (OPTUNA-STORAGE.md s2.13), so a refresh asks storage only
 * for trials newer than the cache and for those still unfinished. */
#include "study.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

void igm_trial_cache_clear(igm_trial_cache *c)
{
    for (size_t i = 0; i < c->count; i++)
        igm_frozen_trial_free(c->trials[i]);
    free(c->trials);
    for (size_t i = 0; i < c->n_known; i++) {
        free(c->known_params[i].name);
        igm_distribution_free(c->known_params[i].distribution);
    }
    free(c->known_params);
    memset(c, 0, sizeof *c);
}

int igm_trial_cache_remember_param(igm_trial_cache *c, const char *name,
                                   const igm_distribution *d)
{
    igm_param copy = {NULL, 0, NULL};
    for (size_t k = 0; k < c->n_known; k++)
        if (strcmp(c->known_params[k].name, name) == 0)
            return IGMOPT_OK;
    if (c->n_known == c->cap_known) {
        size_t cap = c->cap_known ? c->cap_known * 2 : 8;
        igm_param *grown = realloc(c->known_params, cap * sizeof *grown);
        if (!grown)
            return igm_error_nomem();
        c->known_params = grown;
        c->cap_known = cap;
    }
    copy.name = strdup(name);
    if (!copy.name || igm_distribution_copy(&copy.distribution, d)) {
        free(copy.name);
        return igm_error_nomem();
    }
    c->known_params[c->n_known++] = copy;
    return IGMOPT_OK;
}

static int remember_param_distributions(igm_trial_cache *c, const igm_frozen_trial *t)
{
    for (size_t i = 0; i < t->n_params; i++) {
        int rc = igm_trial_cache_remember_param(c, t->params[i].name,
                                                t->params[i].distribution);
        if (rc)
            return rc;
    }
    return IGMOPT_OK;
}

static int collect_unfinished_ids(const igm_trial_cache *c, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (c->count == c->first_unfinished)
        return IGMOPT_OK;
    *ids = malloc((c->count - c->first_unfinished) * sizeof **ids);
    if (!*ids)
        return igm_error_nomem();
    for (size_t i = c->first_unfinished; i < c->count; i++)
        if (!igm_trial_state_finished(c->trials[i]->state))
            (*ids)[(*n)++] = c->trials[i]->trial_id;
    return IGMOPT_OK;
}

/* Cached trials are sorted by trial_id: a binary search finds an update. */
static size_t cache_index_of(const igm_trial_cache *c, int64_t trial_id)
{
    size_t lo = c->first_unfinished, hi = c->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->trials[mid]->trial_id < trial_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < c->count && c->trials[lo]->trial_id == trial_id) ? lo : c->count;
}

static int cache_store(igm_trial_cache *c, igm_frozen_trial *t)
{
    size_t at = cache_index_of(c, t->trial_id);
    int rc = remember_param_distributions(c, t);
    if (rc)
        return rc;
    if (at < c->count) {
        igm_frozen_trial_free(c->trials[at]);
        c->trials[at] = t;
        return IGMOPT_OK;
    }
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        igm_frozen_trial **grown = realloc(c->trials, cap * sizeof *grown);
        if (!grown)
            return igm_error_nomem();
        c->trials = grown;
        c->cap = cap;
    }
    c->trials[c->count++] = t;
    return IGMOPT_OK;
}

int igm_trial_cache_refresh(igm_trial_cache *c, igmopt_storage *st, int64_t study_id)
{
    int64_t *ids, after = c->count ? c->trials[c->count - 1]->trial_id : -1;
    igm_frozen_trial **fresh = NULL;
    size_t n_ids, n_fresh = 0, i;
    int rc = collect_unfinished_ids(c, &ids, &n_ids);
    if (rc)
        return rc;
    rc = st->ops->read_trials(st->impl, study_id, after, ids, n_ids, &fresh, &n_fresh);
    free(ids);
    for (i = 0; i < n_fresh; i++) {
        if (rc == IGMOPT_OK)
            rc = cache_store(c, fresh[i]);
        if (rc != IGMOPT_OK)
            igm_frozen_trial_free(fresh[i]);
    }
    free(fresh);
    c->refreshed = 1;
    while (c->first_unfinished < c->count &&
           igm_trial_state_finished(c->trials[c->first_unfinished]->state))
        c->first_unfinished++;
    return rc;
}
