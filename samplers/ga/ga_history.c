/* The genetic samplers' per-study history (ga.h): each finished trial is
 * folded in once (finished trials never change), so that an ask reads no
 * longer every trial's parameters and generation attr, as Optuna's cached
 * IntersectionSearchSpace does for the parameters. */
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/study.h"
#include "ga.h"

struct igm_ga_history {
    size_t cap, first_open; /* every position below first_open is folded */
    unsigned char *folded;
    int64_t *generation;    /* a folded COMPLETE trial's generation, else -1 */
    int64_t largest;        /* the largest generation of a COMPLETE trial, 0 if none */
    size_t at_largest;      /* COMPLETE trials of that generation */
    int started;
    igm_search_space intersection; /* of the COMPLETE trials, borrowed from them */
    /* The parent population last read or selected (generation 0 has none):
     * asks of one generation read the storage once. */
    int64_t parents_generation;
    const igm_frozen_trial **parents;
    size_t n_parents;
};

static void history_free(void *history)
{
    igm_ga_history *h = history;
    if (!h)
        return;
    free(h->folded);
    free(h->generation);
    igm_search_space_clear(&h->intersection);
    free(h->parents);
    free(h);
}

int igm_ga_history_of(igmopt_study *study, igm_ga_history **out)
{
    return igm_study_sampler_cache(study, sizeof **out, history_free, (void **)out);
}

static int grow(igm_ga_history *h, size_t n)
{
    size_t cap = h->cap ? h->cap : 64;
    unsigned char *folded;
    int64_t *generation;
    if (n <= h->cap)
        return IGMOPT_OK;
    while (cap < n)
        cap *= 2;
    if (!(folded = realloc(h->folded, cap)))
        return igm_error_nomem();
    h->folded = folded;
    memset(folded + h->cap, 0, cap - h->cap);
    if (!(generation = realloc(h->generation, cap * sizeof *generation)))
        return igm_error_nomem();
    h->generation = generation;
    h->cap = cap;
    return IGMOPT_OK;
}

/* The largest generation and its count, as s3.2 defines them: a trial
 * without a generation (another sampler's) counts in none. */
static void count_generation(igm_ga_history *h, int64_t g)
{
    if (g > h->largest) {
        h->largest = g;
        h->at_largest = 0;
    }
    h->at_largest += g == h->largest;
}

static int fold_trial(igm_ga_history *h, const char *owner, const igm_frozen_trial *t,
                      size_t i)
{
    int rc = IGMOPT_OK;
    h->generation[i] = -1;
    if (t->state == IGMOPT_COMPLETE) {
        h->generation[i] = igm_ga_generation_of(owner, t);
        count_generation(h, h->generation[i]);
        rc = igm_intersection_add(&h->intersection, &h->started, t);
    }
    h->folded[i] = rc == IGMOPT_OK;
    return rc;
}

int igm_ga_history_update(igm_ga_history *h, const igm_ga_view *v)
{
    int rc = grow(h, v->n);
    for (size_t i = h->first_open; rc == IGMOPT_OK && i < v->n; i++)
        if (!h->folded[i] && igm_trial_state_finished(v->trials[i]->state))
            rc = fold_trial(h, v->owner, v->trials[i], i);
    while (h->first_open < v->n && h->folded[h->first_open])
        h->first_open++;
    return rc;
}

int64_t igm_ga_history_generation(const igm_ga_history *h, size_t i)
{
    return i < h->cap && h->folded[i] ? h->generation[i] : -1;
}

int64_t igm_ga_history_next_generation(const igm_ga_history *h, size_t population_size)
{
    return h->at_largest < population_size ? h->largest : h->largest + 1;
}

int64_t igm_ga_history_first_generation_from(const igm_ga_history *h, int64_t from)
{
    int64_t first = -1;
    for (size_t i = 0; i < h->cap; i++)
        if (h->folded[i] && h->generation[i] >= from && (first < 0 || h->generation[i] < first))
            first = h->generation[i];
    return first;
}

static int copy_parents(const igm_frozen_trial *const *from, size_t n,
                        const igm_frozen_trial ***to)
{
    *to = malloc((n ? n : 1) * sizeof **to);
    if (!*to)
        return igm_error_nomem();
    for (size_t i = 0; i < n; i++)
        (*to)[i] = from[i];
    return IGMOPT_OK;
}

int igm_ga_history_parents(const igm_ga_history *h, int64_t g,
                           const igm_frozen_trial ***parents, size_t *n, int *found)
{
    *found = g == h->parents_generation;
    if (!*found)
        return IGMOPT_OK;
    *n = h->n_parents;
    return copy_parents(h->parents, h->n_parents, parents);
}

int igm_ga_history_keep_parents(igm_ga_history *h, int64_t g,
                                const igm_frozen_trial *const *parents, size_t n)
{
    const igm_frozen_trial **copy;
    int rc = copy_parents(parents, n, &copy);
    if (rc)
        return rc;
    free(h->parents);
    h->parents = copy;
    h->n_parents = n;
    h->parents_generation = g;
    return IGMOPT_OK;
}

int igm_ga_history_search_space(const igm_ga_history *h, igm_search_space *out)
{
    return igm_search_space_finish(&h->intersection, 1, out);
}
