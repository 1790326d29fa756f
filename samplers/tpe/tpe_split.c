/* The below/above split of TPE ([H] _split_trials, OPTUNA-ALGORITHMS.md
 * s2.3 and s2.3.1) and the constraint violation it orders infeasible
 * trials by. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/hypervolume.h"
#include "../../lib/pareto.h"
#include "../../lib/trial_constraints.h"
#include "tpe.h"

/* ---- constraints -------------------------------------------------------- */

double tpe_trial_violation(const igm_frozen_trial *t)
{
    double sum = igm_trial_violation(t, NULL);
    return isnan(sum) ? INFINITY : sum; /* unknown constraints: worst, never feasible */
}

/* ---- selecting the smallest keys ----------------------------------------- */

typedef struct split_key {
    double k1, k2;
    int64_t number;
    size_t at; /* index in the trials array */
} split_key;

/* A total order: NaN keys were mapped to +inf before. */
static int key_less(const split_key *a, const split_key *b)
{
    if (a->k1 != b->k1)
        return a->k1 < b->k1;
    if (a->k2 != b->k2)
        return a->k2 < b->k2;
    return a->number < b->number;
}

static void key_swap(split_key *a, split_key *b)
{
    split_key t = *a;
    *a = *b;
    *b = t;
}

/* Lomuto partition around the median of three; returns the pivot's place. */
static size_t partition(split_key *a, size_t n)
{
    size_t mid = n / 2, store = 0;
    if (key_less(&a[mid], &a[0]))
        key_swap(&a[mid], &a[0]);
    if (key_less(&a[n - 1], &a[0]))
        key_swap(&a[n - 1], &a[0]);
    if (key_less(&a[mid], &a[n - 1]))
        key_swap(&a[mid], &a[n - 1]);
    for (size_t i = 0; i + 1 < n; i++)
        if (key_less(&a[i], &a[n - 1]))
            key_swap(&a[i], &a[store++]);
    key_swap(&a[store], &a[n - 1]);
    return store;
}

/* Quickselect: afterwards a[0..k) hold the k smallest keys (any order),
 * which is all the split needs (both sets go back to trial order). */
static void select_smallest(split_key *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    if (k == 0 || k >= n)
        return;
    while (hi - lo > 1) {
        size_t p = lo + partition(a + lo, hi - lo);
        if (p == k)
            return;
        if (p < k)
            lo = p + 1;
        else
            hi = p;
    }
}

static double nan_to_inf(double v)
{
    return isnan(v) ? INFINITY : v;
}

/* Marks the quota best of keys[0..n) below; returns how many it marked. */
static size_t take_best(tpe_trial *trials, split_key *keys, size_t n, size_t quota)
{
    size_t k = quota < n ? quota : n;
    select_smallest(keys, n, k);
    for (size_t i = 0; i < k; i++)
        trials[keys[i].at].below = 1;
    return k;
}

/* ---- the split ------------------------------------------------------------ */

typedef enum trial_class { CLASS_RUNNING, CLASS_INFEASIBLE, CLASS_COMPLETE, CLASS_PRUNED } trial_class;

static trial_class classify(const tpe_trial *t)
{
    if (t->running)
        return CLASS_RUNNING;
    if (t->violation > 0)
        return CLASS_INFEASIBLE;
    return t->trial->state == IGMOPT_COMPLETE ? CLASS_COMPLETE : CLASS_PRUNED;
}

static double oriented(double v, igmopt_direction d)
{
    return d == IGMOPT_MAXIMIZE ? -v : v;
}

/* A COMPLETE trial without its values (a damaged row) is the worst. */
static double objective(const igm_frozen_trial *t, size_t j, size_t n_objectives,
                        const igmopt_direction *dirs)
{
    if (!t->values || t->n_values < n_objectives)
        return INFINITY;
    return nan_to_inf(oriented(t->values[j], dirs[j]));
}

/* (-last step, last value) as Optuna's _get_pruned_trial_score; (1, 0)
 * without intermediate values (also every multi-objective trial). */
static void pruned_key(const igm_frozen_trial *t, igmopt_direction dir, split_key *key)
{
    if (!t->n_intermediate) {
        key->k1 = 1;
        key->k2 = 0;
        return;
    }
    key->k1 = -(double)t->intermediate[t->n_intermediate - 1].step;
    key->k2 = nan_to_inf(oriented(t->intermediate[t->n_intermediate - 1].value, dir));
}

static size_t collect_keys(const tpe_trial *trials, size_t n, trial_class cls,
                           const igmopt_direction *dirs, size_t n_objectives, split_key *keys)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        split_key *key = &keys[count];
        if (classify(&trials[i]) != cls)
            continue;
        key->at = i;
        key->number = trials[i].trial->number;
        key->k2 = 0;
        if (cls == CLASS_COMPLETE)
            key->k1 = objective(trials[i].trial, 0, n_objectives, dirs);
        else if (cls == CLASS_PRUNED)
            pruned_key(trials[i].trial, dirs[0], key);
        else
            key->k1 = trials[i].violation;
        count++;
    }
    return count;
}

/* s2.3.1: whole non-domination fronts while they fit, then HSSP on the
 * first front that does not. */
static int split_multi_objective(tpe_trial *trials, const split_key *complete, size_t n,
                                 size_t quota, const igmopt_direction *dirs, size_t m,
                                 size_t *taken)
{
    double *loss = NULL, *front = NULL, ref[64], *refp = ref;
    int *ranks = NULL, last = -1, rc;
    size_t count = 0, *in_front = NULL, *picked = NULL, n_front = 0;
    *taken = 0;
    if (quota == 0 || n == 0)
        return IGMOPT_OK;
    if (quota >= n) {
        for (size_t i = 0; i < n; i++)
            trials[complete[i].at].below = 1;
        *taken = n;
        return IGMOPT_OK;
    }
    loss = malloc(n * m * sizeof *loss);
    ranks = malloc(n * sizeof *ranks);
    in_front = malloc(n * sizeof *in_front);
    picked = malloc(n * sizeof *picked);
    front = malloc(n * m * sizeof *front);
    if (m > 64)
        refp = malloc(m * sizeof *refp);
    rc = loss && ranks && in_front && picked && front && refp ? IGMOPT_OK : igm_error_nomem();
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++)
        for (size_t j = 0; j < m; j++)
            loss[i * m + j] = objective(trials[complete[i].at].trial, j, m, dirs);
    if (rc == IGMOPT_OK)
        rc = igm_nondominated_ranks(loss, n, m, ranks);
    /* the largest rank r whose fronts 0..r hold at most quota trials */
    for (int r = 0; rc == IGMOPT_OK; r++) {
        size_t in_r = 0;
        for (size_t i = 0; i < n; i++)
            in_r += ranks[i] == r;
        if (in_r == 0 || count + in_r > quota)
            break;
        count += in_r;
        last = r;
    }
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++) {
        if (ranks[i] <= last)
            trials[complete[i].at].below = 1;
        else if (ranks[i] == last + 1) {
            memcpy(front + n_front * m, loss + i * m, m * sizeof *front);
            in_front[n_front++] = i;
        }
    }
    if (rc == IGMOPT_OK && quota > count) {
        igm_hssp_reference_point(front, n_front, m, refp);
        rc = igm_hssp(front, n_front, m, refp, quota - count, picked);
        for (size_t i = 0; rc == IGMOPT_OK && i < quota - count; i++)
            trials[complete[in_front[picked[i]]].at].below = 1;
        count = rc == IGMOPT_OK ? quota : count;
    }
    *taken = count;
    free(loss);
    free(ranks);
    free(in_front);
    free(picked);
    free(front);
    if (refp != ref)
        free(refp);
    return rc;
}

int tpe_split(tpe_trial *trials, size_t n, size_t n_below, const igmopt_direction *dirs,
              size_t n_objectives)
{
    split_key *keys = malloc((n ? n : 1) * sizeof *keys);
    size_t count, taken = 0;
    int rc = IGMOPT_OK;
    if (!keys)
        return igm_error_nomem();
    for (size_t i = 0; i < n; i++)
        trials[i].below = 0;
    count = collect_keys(trials, n, CLASS_COMPLETE, dirs, n_objectives, keys);
    if (n_objectives == 1)
        taken = take_best(trials, keys, count, n_below);
    else
        rc = split_multi_objective(trials, keys, count, n_below, dirs, n_objectives, &taken);
    n_below -= taken < n_below ? taken : n_below;
    if (rc == IGMOPT_OK) {
        count = collect_keys(trials, n, CLASS_PRUNED, dirs, n_objectives, keys);
        n_below -= take_best(trials, keys, count, n_below);
        count = collect_keys(trials, n, CLASS_INFEASIBLE, dirs, n_objectives, keys);
        take_best(trials, keys, count, n_below);
    }
    free(keys);
    return rc;
}
