/* TPE's per-study history (tpe_history.h): trials folded in once when they
 * finish, so a draw reads arrays instead of searching every trial's
 * parameters, and finds each parameter's values already sorted for the
 * bandwidths. */
#include "tpe_history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/study.h"
#include "tpe.h"

void tpe_history_free(void *history)
{
    tpe_history *h = history;
    if (!h)
        return;
    for (size_t c = 0; c < h->n_columns; c++) {
        free(h->columns[c].name);
        free(h->columns[c].u);
        free(h->columns[c].sorted);
    }
    free(h->columns);
    free(h->folded);
    free(h->violation);
    free(h->split_below);
    igm_search_space_clear(&h->intersection);
    free(h);
}

int tpe_history_of(igmopt_study *study, tpe_history **out)
{
    return igm_study_sampler_cache(study, sizeof **out, tpe_history_free, (void **)out);
}

/* ---- growth ---------------------------------------------------------------- */

static int grow_column(tpe_column *col, size_t old_cap, size_t cap)
{
    double *u = realloc(col->u, cap * sizeof *u);
    size_t *sorted;
    if (!u)
        return igm_error_nomem();
    col->u = u;
    for (size_t i = old_cap; i < cap; i++)
        u[i] = NAN;
    if (!(sorted = realloc(col->sorted, cap * sizeof *sorted)))
        return igm_error_nomem();
    col->sorted = sorted;
    return IGMOPT_OK;
}

static int grow_slots(tpe_history *h, size_t n)
{
    size_t cap = h->cap_slots ? h->cap_slots : 64;
    unsigned char *folded;
    double *violation;
    if (n <= h->cap_slots) {
        h->n_slots = n > h->n_slots ? n : h->n_slots;
        return IGMOPT_OK;
    }
    while (cap < n)
        cap *= 2;
    if (!(folded = realloc(h->folded, cap)))
        return igm_error_nomem();
    h->folded = folded;
    memset(folded + h->cap_slots, 0, cap - h->cap_slots);
    if (!(violation = realloc(h->violation, cap * sizeof *violation)))
        return igm_error_nomem();
    h->violation = violation;
    if (!(folded = realloc(h->split_below, cap)))
        return igm_error_nomem();
    h->split_below = folded;
    for (size_t c = 0; c < h->n_columns; c++)
        if (grow_column(&h->columns[c], h->cap_slots, cap))
            return igm_error_nomem();
    h->cap_slots = cap;
    h->n_slots = n;
    return IGMOPT_OK;
}

static tpe_column *find_column(const tpe_history *h, const char *name)
{
    for (size_t c = 0; c < h->n_columns; c++)
        if (strcmp(h->columns[c].name, name) == 0)
            return &h->columns[c];
    return NULL;
}

const tpe_column *tpe_history_column(const tpe_history *h, const char *name)
{
    return find_column(h, name);
}

static int add_column(tpe_history *h, const char *name, const igm_distribution *d,
                      tpe_column **out)
{
    tpe_column *col;
    if (h->n_columns == h->cap_columns) {
        size_t cap = h->cap_columns ? 2 * h->cap_columns : 8;
        tpe_column *grown = realloc(h->columns, cap * sizeof *grown);
        if (!grown)
            return igm_error_nomem();
        h->columns = grown;
        h->cap_columns = cap;
    }
    col = &h->columns[h->n_columns];
    memset(col, 0, sizeof *col);
    if (!(col->name = strdup(name)) || grow_column(col, 0, h->cap_slots)) {
        free(col->name);
        free(col->u);
        free(col->sorted);
        return igm_error_nomem();
    }
    col->kind = d->kind;
    col->log = d->log;
    col->n_choices = d->n_choices;
    h->n_columns++;
    *out = col;
    return IGMOPT_OK;
}

/* ---- folding a trial in ------------------------------------------------------ */

/* Inserts position i into the sorted list by (u, position). */
static void column_insert(tpe_column *col, size_t i)
{
    double v = col->u[i];
    size_t lo = 0, hi = col->n_sorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, at = col->sorted[mid];
        if (col->u[at] < v || (col->u[at] == v && at < i))
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(col->sorted + lo + 1, col->sorted + lo, (col->n_sorted - lo) * sizeof *col->sorted);
    col->sorted[lo] = i;
    col->n_sorted++;
}

static int fold_params(tpe_history *h, const igm_frozen_trial *t, size_t i)
{
    for (size_t k = 0; k < t->n_params; k++) {
        const igm_param *p = &t->params[k];
        const igm_distribution *d = p->distribution;
        tpe_column *col = find_column(h, p->name);
        int rc;
        if (!col && (rc = add_column(h, p->name, d, &col)))
            return rc;
        if (d->kind != col->kind || d->log != col->log || d->n_choices != col->n_choices ||
            isnan(p->internal))
            continue; /* the study refuses such a trial; one from elsewhere is left out */
        col->u[i] = col->log ? log(p->internal) : p->internal;
        column_insert(col, i);
    }
    return IGMOPT_OK;
}

static int fold_trial(tpe_history *h, const igm_frozen_trial *t, size_t i)
{
    int rc;
    if (t->state == IGMOPT_COMPLETE || t->state == IGMOPT_PRUNED) {
        h->violation[i] = tpe_trial_violation(t);
        if ((rc = fold_params(h, t, i)) ||
            (rc = igm_intersection_add(&h->intersection, &h->started, t)))
            return rc;
        h->n_finished++;
    }
    h->folded[i] = 1; /* FAIL: finished too, and never seen by TPE */
    return IGMOPT_OK;
}

int tpe_history_update(tpe_history *h, igm_frozen_trial *const *trials, size_t n)
{
    int rc = grow_slots(h, n);
    for (size_t i = h->first_open; rc == IGMOPT_OK && i < n; i++)
        if (!h->folded[i] && igm_trial_state_finished(trials[i]->state))
            rc = fold_trial(h, trials[i], i);
    while (h->first_open < n && h->folded[h->first_open])
        h->first_open++;
    return rc;
}

int tpe_history_intersection(const tpe_history *h, igm_arena *arena, igm_search_space *out)
{
    const igm_search_space *s = &h->intersection;
    size_t n = 0;
    out->names = igm_arena_array(arena, s->count, sizeof *out->names);
    out->dists = igm_arena_array(arena, s->count, sizeof *out->dists);
    out->count = 0;
    if (!out->names || !out->dists)
        return igm_error_nomem();
    for (size_t k = 0; k < s->count; k++) {
        size_t j;
        if (igm_distribution_single(s->dists[k]))
            continue;
        /* insertion by name: Python's sorted() on str is code point order */
        for (j = n; j > 0 && strcmp(out->names[j - 1], s->names[k]) > 0; j--) {
            out->names[j] = out->names[j - 1];
            out->dists[j] = out->dists[j - 1];
        }
        out->names[j] = s->names[k];
        out->dists[j] = s->dists[k];
        n++;
    }
    out->count = n;
    return IGMOPT_OK;
}

/* ---- the split of a trial's earlier suggest ---------------------------------- */

static int split_key_matches(const tpe_history *h, const tpe_model *m, int64_t current,
                             size_t n_below)
{
    return h->split_valid && h->split_number == current && h->split_n_all == m->n_all &&
           h->split_n_finished == m->n_finished && h->split_n_model == m->n &&
           h->split_n_below == n_below;
}

int tpe_history_reuse_split(const tpe_history *h, tpe_model *m, int64_t current,
                            size_t n_below)
{
    if (!split_key_matches(h, m, current, n_below))
        return 0;
    for (size_t i = 0; i < m->n; i++)
        m->trials[i].below = h->split_below[m->trials[i].slot];
    return 1;
}

void tpe_history_keep_split(tpe_history *h, const tpe_model *m, int64_t current,
                            size_t n_below)
{
    for (size_t i = 0; i < m->n; i++)
        h->split_below[m->trials[i].slot] = (unsigned char)m->trials[i].below;
    h->split_valid = 1;
    h->split_number = current;
    h->split_n_all = m->n_all;
    h->split_n_finished = m->n_finished;
    h->split_n_model = m->n;
    h->split_n_below = n_below;
}
