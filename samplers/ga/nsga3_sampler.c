/* NSGAIIISampler (Deb & Jain 2014, IEEE TEVC 18(4); OPTUNA-ALGORITHMS.md
 * s4): the genetic framework (ga.h) with NSGA-III's elite selection, plus
 * the kwargs reference_points (null: Das & Dennis 1998 points) and
 * dividing_parameter. */
#include <stdlib.h>

#include "../../lib/error.h"
#include "ga.h"

#define OWNER "NSGAIIISampler"

typedef struct nsga3_state {
    int user_points;           /* refs came from reference_points */
    size_t dividing_parameter; /* else Das-Dennis with this p, built per m */
    igm_reference_points refs;
} nsga3_state;

static int read_dividing_parameter(const json_t *options, size_t *out)
{
    const json_t *v = json_object_get(options, "dividing_parameter");
    *out = 3;
    if (!v)
        return IGMOPT_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return igm_error(IGMOPT_EINVAL, "%s: option 'dividing_parameter' must be an integer "
                         ">= 1", OWNER);
    *out = (size_t)json_integer_value(v);
    return IGMOPT_OK;
}

/* reference_points: null/absent, or rows of one length (the study's number
 * of objectives, checked at the first selection as Optuna does). */
static int read_reference_points(const json_t *options, nsga3_state *st)
{
    const json_t *v = json_object_get(options, "reference_points");
    if (!v || json_is_null(v))
        return IGMOPT_OK;
    st->user_points = 1;
    return igm_reference_points_from_json(OWNER, v, json_array_size(json_array_get(v, 0)),
                                          &st->refs);
}

static void nsga3_free_state(void *state)
{
    nsga3_state *st = state;
    if (st)
        igm_reference_points_clear(&st->refs);
    free(st);
}

static int nsga3_create(const json_t *options, void **state)
{
    nsga3_state *st = calloc(1, sizeof *st);
    int rc;
    if (!st)
        return igm_error_nomem();
    if ((rc = read_dividing_parameter(options, &st->dividing_parameter)) ||
        (rc = read_reference_points(options, st))) {
        nsga3_free_state(st);
        return rc;
    }
    *state = st;
    return IGMOPT_OK;
}

/* The reference points for m objectives: the user's (which must have m
 * coordinates) or Das-Dennis points, rebuilt when m changes (a sampler may
 * serve studies with different numbers of objectives). */
static int reference_points_for(nsga3_state *st, size_t m)
{
    int rc;
    if (st->refs.m == m)
        return IGMOPT_OK;
    if (st->user_points)
        return igm_error(IGMOPT_EINVAL, "%s: reference_points have %zu coordinates but the "
                         "study has %zu objective%s", OWNER, st->refs.m, m, m == 1 ? "" : "s");
    igm_reference_points_clear(&st->refs);
    if ((rc = igm_reference_points_das_dennis(m, st->dividing_parameter, &st->refs)))
        return igm_error_wrap(rc, "%s: option 'dividing_parameter'", OWNER);
    return IGMOPT_OK;
}

static int nsga3_select(void *state, const igm_elite_pool *pool, size_t k, igm_rng *rng,
                        size_t *selected)
{
    nsga3_state *st = state;
    int rc = reference_points_for(st, pool->m);
    return rc ? rc : igm_nsga3_select(pool, k, &st->refs, rng, selected);
}

/* The reference points are built for the study's objectives when it is
 * created or loaded, so that a mismatch stops it before any trial (Optuna
 * finds it at the first selection, after a whole generation ran). */
static int nsga3_check_objectives(void *state, size_t n_objectives)
{
    return reference_points_for(state, n_objectives);
}

static const char *const nsga3_keys[] = {"reference_points", "dividing_parameter", NULL};

static const igm_ga_kind nsga3_kind = {
    IGM_GA_OPS(OWNER), nsga3_keys, nsga3_create, nsga3_free_state, nsga3_select,
    nsga3_check_objectives,
};

int igm_nsga3_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options)
{
    return igm_ga_sampler_create(impl, ops, options, &nsga3_kind);
}
