/* GridSampler: every combination of the given values, each trial assigned
 * one grid point in before_trial through its system attrs "grid_id" and
 * "search_space" (OPTUNA-ALGORITHMS.md s7, OPTUNA-STORAGE.md s2.9).
 *
 * [H] shuffles the combinations once with numpy's RandomState(seed or 0);
 * we shuffle with our own RNG seeded with seed (0 when null), so the order
 * is fixed for a seed but differs from Optuna's.  Processes sharing a
 * study must use the same seed for grid ids to mean the same points. */
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/json.h"
#include "../lib/rng.h"
#include "../lib/strbuf.h"
#include "../lib/study.h"
#include "sampler.h"

/* The shuffled list of grid points is held in memory. */
#define MAX_GRID_POINTS 10000000u

typedef struct grid_param {
    char *name;
    char **values; /* JSON text of each value, in the order given */
    size_t n_values;
} grid_param;

typedef struct grid_sampler {
    grid_param *params; /* sorted by name */
    size_t n_params;
    size_t n_grids;
    size_t *order;            /* grid_id -> combination (row of the Cartesian product) */
    char *search_space_json;  /* what the "search_space" attr holds */
    json_t *search_space;     /* the same, parsed, to compare other trials' */
    uint64_t seed;
} grid_sampler;

/* ---- the grid -------------------------------------------------------- */

/* Value of param k in a combination: itertools.product order, the last
 * (sorted) name varying fastest. */
static const char *grid_value(const grid_sampler *g, size_t grid_id, size_t k)
{
    size_t row = g->order[grid_id];
    for (size_t j = g->n_params; j-- > k + 1;)
        row /= g->params[j].n_values;
    return g->params[k].values[row % g->params[k].n_values];
}

static const grid_param *find_param(const grid_sampler *g, const char *name, size_t *k)
{
    for (size_t i = 0; i < g->n_params; i++)
        if (strcmp(g->params[i].name, name) == 0) {
            *k = i;
            return &g->params[i];
        }
    return NULL;
}

/* Python's == on the JSON values Optuna stores: numbers by value (1 ==
 * 1.0), everything else structurally. */
static int same_value(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal((json_t *)a, (json_t *)b);
}

/* Optuna's _same_search_space: the same names, each with the same values
 * in the same order. */
static int same_search_space(const grid_sampler *g, const char *stored)
{
    json_t *other;
    const char *name;
    json_t *values;
    int same;
    if (strcmp(stored, g->search_space_json) == 0)
        return 1;
    if (igm_json_parse(stored, "search_space", &other) != IGMOPT_OK) {
        igm_error_clear();
        return 0;
    }
    same = json_is_object(other) && json_object_size(other) == json_object_size(g->search_space);
    json_object_foreach(other, name, values) {
        json_t *mine = json_object_get(g->search_space, name);
        if (!same)
            break;
        same = mine && json_is_array(values) && json_array_size(values) == json_array_size(mine);
        for (size_t i = 0; same && i < json_array_size(mine); i++)
            same = same_value(json_array_get(values, i), json_array_get(mine, i));
    }
    json_decref(other);
    return same;
}

/* ---- visited grid points --------------------------------------------- */

enum { GRID_UNSEEN = 0, GRID_RUNNING = 1, GRID_FINISHED = 2 };

/* Grid ids of this search space that no trial has started (or, when every
 * one was, that no trial has finished), as Optuna's
 * _get_unvisited_grid_ids.  *ids is malloc'd; *all_finished tells that
 * every grid point has a finished trial. */
static int unvisited_grid_ids(const grid_sampler *g, igmopt_study *study, size_t **ids,
                              size_t *n_ids, int *all_finished)
{
    igm_frozen_trial *const *trials;
    unsigned char *seen;
    size_t n, count = 0;
    int rc = igm_study_trials(study, &trials, &n);
    *ids = NULL;
    *n_ids = 0;
    if (rc)
        return rc;
    seen = calloc(g->n_grids, 1);
    *ids = malloc(g->n_grids * sizeof **ids);
    if (!seen || !*ids) {
        free(seen);
        free(*ids);
        *ids = NULL;
        return igm_error_nomem();
    }
    for (size_t i = 0; i < n; i++) {
        const char *id = igm_attr_list_get(&trials[i]->system_attrs, "grid_id");
        const char *space = igm_attr_list_get(&trials[i]->system_attrs, "search_space");
        long long grid_id;
        char *end;
        if (!id || !space || !same_search_space(g, space))
            continue;
        grid_id = strtoll(id, &end, 10);
        if (end == id || *end || grid_id < 0 || (unsigned long long)grid_id >= g->n_grids)
            continue;
        if (igm_trial_state_finished(trials[i]->state))
            seen[grid_id] = GRID_FINISHED;
        else if (trials[i]->state == IGMOPT_RUNNING && seen[grid_id] == GRID_UNSEEN)
            seen[grid_id] = GRID_RUNNING;
    }
    for (size_t id = 0; id < g->n_grids; id++)
        if (seen[id] == GRID_UNSEEN)
            (*ids)[count++] = id;
    if (count == 0) /* every point started: those not finished yet */
        for (size_t id = 0; id < g->n_grids; id++)
            if (seen[id] != GRID_FINISHED)
                (*ids)[count++] = id;
    *all_finished = count == 0;
    *n_ids = count;
    free(seen);
    return IGMOPT_OK;
}

/* ---- sampler hooks --------------------------------------------------- */

static int trial_grid_id(const igm_frozen_trial *trial, size_t n_grids, size_t *out)
{
    const char *id = igm_attr_list_get(&trial->system_attrs, "grid_id");
    char *end;
    long long v;
    if (!id)
        return 0;
    v = strtoll(id, &end, 10);
    if (end == id || *end || v < 0 || (unsigned long long)v >= n_grids)
        return 0;
    *out = (size_t)v;
    return 1;
}

/* Trial n < #grids takes grid n, so trials numbered by the storage (one
 * number per trial, whichever process asks) cover the grid exactly once.
 * Later trials (after enqueued ones, failed ones, or more workers than
 * points) take a random unvisited point; the draw is seeded by the seed and
 * the trial number so that processes asking at once pick different points.
 * When every point has finished, the trial evaluates a visited point (as
 * Optuna) and the study is asked to stop. */
static int grid_before_trial(void *impl, igmopt_study *study, igm_frozen_trial *trial)
{
    grid_sampler *g = impl;
    size_t *ids = NULL, n_ids = 0, grid_id;
    int all_finished = 0, rc;
    char text[24];
    if (igm_attr_list_get(&trial->system_attrs, "grid_id") ||
        igm_attr_list_get(&trial->system_attrs, "fixed_params"))
        return IGMOPT_OK;
    if (trial->number >= 0 && (uint64_t)trial->number < g->n_grids) {
        grid_id = (size_t)trial->number;
    } else {
        igm_rng rng;
        if ((rc = unvisited_grid_ids(g, study, &ids, &n_ids, &all_finished)))
            return rc;
        igm_rng_seed(&rng, g->seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(trial->number + 1)));
        grid_id = n_ids ? ids[igm_rng_below(&rng, n_ids)] : (size_t)igm_rng_below(&rng, g->n_grids);
        free(ids);
        if (all_finished)
            igm_study_request_stop(study);
    }
    snprintf(text, sizeof text, "%zu", grid_id);
    rc = igm_study_set_trial_system_attr(study, trial, "search_space", g->search_space_json);
    return rc ? rc : igm_study_set_trial_system_attr(study, trial, "grid_id", text);
}

static int grid_sample_independent(void *impl, igmopt_study *study,
                                   const igm_frozen_trial *trial, const char *name,
                                   const igm_distribution *d, double *internal)
{
    grid_sampler *g = impl;
    size_t grid_id, k;
    int rc;
    if (!find_param(g, name, &k))
        return igm_error(IGMOPT_EINVAL, "GridSampler: parameter '%s' is not in search_space",
                         name);
    if (!trial_grid_id(trial, g->n_grids, &grid_id))
        return igm_error(IGMOPT_EINVAL, "GridSampler: trial %lld has no grid point, so "
                         "parameter '%s' has no value (an enqueued trial must fix every "
                         "parameter)", (long long)trial->number, name);
    rc = igm_distribution_internal_from_json(d, name, grid_value(g, grid_id, k), internal);
    return rc ? igm_error_wrap(rc, "GridSampler") : IGMOPT_OK;
}

/* Stops the study once no grid point is left for another trial: none
 * unstarted, and none unfinished but this trial's. */
static int grid_after_trial(void *impl, igmopt_study *study, igm_frozen_trial *trial,
                            igmopt_trial_state state, const double *values, size_t n_values)
{
    grid_sampler *g = impl;
    size_t *ids, n_ids, mine;
    int all_finished, rc = unvisited_grid_ids(g, study, &ids, &n_ids, &all_finished);
    if (rc)
        return rc;
    if (n_ids == 0 || (n_ids == 1 && trial_grid_id(trial, g->n_grids, &mine) && ids[0] == mine))
        igm_study_request_stop(study);
    free(ids);
    return IGMOPT_OK;
}

static void grid_free(void *impl)
{
    grid_sampler *g = impl;
    if (!g)
        return;
    for (size_t i = 0; i < g->n_params; i++) {
        for (size_t j = 0; j < g->params[i].n_values; j++)
            free(g->params[i].values[j]);
        free(g->params[i].values);
        free(g->params[i].name);
    }
    free(g->params);
    free(g->order);
    free(g->search_space_json);
    json_decref(g->search_space);
    free(g);
}

static const igm_sampler_ops grid_sampler_ops = {
    "GridSampler", grid_free, grid_before_trial, NULL, grid_sample_independent,
    grid_after_trial, NULL,
};

/* ---- kwargs ---------------------------------------------------------- */

static int compare_params(const void *a, const void *b)
{
    return strcmp(((const grid_param *)a)->name, ((const grid_param *)b)->name);
}

static int value_allowed(const json_t *v)
{
    return json_is_null(v) || json_is_boolean(v) || json_is_number(v) || json_is_string(v);
}

static int read_param(grid_param *p, const char *name, const json_t *values)
{
    if (!json_is_array(values) || json_array_size(values) == 0)
        return igm_error(IGMOPT_EINVAL, "GridSampler: search_space['%s'] must be a non-empty "
                         "list of values", name);
    if (!(p->name = strdup(name)) ||
        !(p->values = calloc(json_array_size(values), sizeof *p->values)))
        return igm_error_nomem();
    for (size_t j = 0; j < json_array_size(values); j++) {
        const json_t *v = json_array_get(values, j);
        igm_strbuf sb = IGM_STRBUF_INIT;
        if (!value_allowed(v))
            return igm_error(IGMOPT_EINVAL, "GridSampler: search_space['%s'][%zu] must be "
                             "null, a boolean, a number or a string", name, j);
        igm_json_dump_value(&sb, v);
        if (igm_strbuf_finish(&sb, &p->values[j]))
            return igm_error_nomem();
        p->n_values++;
    }
    return IGMOPT_OK;
}

static int read_search_space(grid_sampler *g, const json_t *options)
{
    const json_t *space = json_object_get(options, "search_space");
    const char *name;
    json_t *values;
    int rc;
    if (!space || !json_is_object(space) || json_object_size(space) == 0)
        return igm_error(IGMOPT_EINVAL, "GridSampler: option 'search_space' must be a "
                         "non-empty JSON object of parameter name -> list of values");
    g->params = calloc(json_object_size(space), sizeof *g->params);
    if (!g->params)
        return igm_error_nomem();
    json_object_foreach((json_t *)space, name, values) {
        rc = read_param(&g->params[g->n_params++], name, values);
        if (rc)
            return rc;
    }
    qsort(g->params, g->n_params, sizeof *g->params, compare_params);
    g->n_grids = 1;
    for (size_t i = 0; i < g->n_params; i++) {
        if (g->params[i].n_values > MAX_GRID_POINTS / g->n_grids)
            return igm_error(IGMOPT_EINVAL, "GridSampler: search_space has more than %u "
                             "combinations", MAX_GRID_POINTS);
        g->n_grids *= g->params[i].n_values;
    }
    return IGMOPT_OK;
}

/* The attr as json.dumps writes Optuna's dict: names sorted, values as given. */
static int build_search_space_json(grid_sampler *g)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_strbuf_append(&sb, "{");
    for (size_t i = 0; i < g->n_params; i++) {
        igm_strbuf_append(&sb, i ? ", " : "");
        igm_json_string(&sb, g->params[i].name);
        igm_strbuf_append(&sb, ": [");
        for (size_t j = 0; j < g->params[i].n_values; j++) {
            igm_strbuf_append(&sb, j ? ", " : "");
            igm_strbuf_append(&sb, g->params[i].values[j]);
        }
        igm_strbuf_append(&sb, "]");
    }
    igm_strbuf_append(&sb, "}");
    if (igm_strbuf_finish(&sb, &g->search_space_json))
        return igm_error_nomem();
    return igm_json_parse(g->search_space_json, "GridSampler search_space", &g->search_space);
}

/* Fisher-Yates, once, as [H] shuffles its list of combinations. */
static int shuffle_grid(grid_sampler *g)
{
    igm_rng rng;
    g->order = malloc(g->n_grids * sizeof *g->order);
    if (!g->order)
        return igm_error_nomem();
    for (size_t i = 0; i < g->n_grids; i++)
        g->order[i] = i;
    igm_rng_seed(&rng, g->seed);
    for (size_t i = g->n_grids; i-- > 1;) {
        size_t j = (size_t)igm_rng_below(&rng, (uint64_t)i + 1), t = g->order[i];
        g->order[i] = g->order[j];
        g->order[j] = t;
    }
    return IGMOPT_OK;
}

int igm_grid_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options)
{
    static const char *const allowed[] = {"search_space", "seed", NULL};
    grid_sampler *g = calloc(1, sizeof *g);
    int has_seed, rc;
    if (!g)
        return igm_error_nomem();
    if ((rc = igm_options_check_keys(options, "GridSampler", allowed)) ||
        (rc = igm_options_seed(options, "GridSampler", &has_seed, &g->seed)) ||
        (rc = read_search_space(g, options)) || (rc = build_search_space_json(g)) ||
        (rc = shuffle_grid(g))) {
        grid_free(g);
        return rc;
    }
    *impl = g;
    *ops = &grid_sampler_ops;
    return IGMOPT_OK;
}
