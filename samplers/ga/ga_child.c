/* Child generation of the genetic samplers (Deb et al. 2002, s III-B;
 * Optuna [H] NSGAIIChildGenerationStrategy, OPTUNA-ALGORITHMS.md s3.3,
 * s3.4): crossover of tournament-chosen parents or a copy of one parent,
 * then per-parameter mutation.  Numeric parameters cross in the columns
 * of Optuna's transform (s1.3), categorical ones uniformly between the
 * first and the last parent. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/pareto.h"
#include "../../lib/study.h"
#include "../../lib/trial_constraints.h"
#include "../transform.h"
#include "ga.h"

/* Crossovers that keep leaving the space give way to a parent's copy
 * (Optuna repeats forever; a library call must end). */
#define MAX_CROSSOVER_ATTEMPTS 100

/* Scratch of one child: the space split into numeric columns and
 * categorical parameters (indices into the space). */
typedef struct child_work {
    const igm_search_space *space;
    size_t *numeric, n_numeric, *categorical, n_categorical;
    double *lo, *hi, *rows, *column; /* column bounds, parents' rows, one child */
    const igm_frozen_trial **chosen; /* the parents of this child */
    size_t n_chosen;
} child_work;

static double column_value(const igm_distribution *d, double internal)
{
    return d->log ? log(internal) : internal;
}

static int parent_value(const child_work *w, const igm_frozen_trial *t, size_t j, double *v)
{
    const igm_param *p = igm_frozen_trial_param(t, w->space->names[j]);
    if (!p) /* parents are COMPLETE, so the intersection space is theirs */
        return igm_error(IGMOPT_ESTORAGE, "genetic sampler: parent trial %lld lacks "
                         "parameter '%s'", (long long)t->number, w->space->names[j]);
    *v = p->internal;
    return IGMOPT_OK;
}

/* ---- parent selection ----------------------------------------------------------- */

/* Binary tournament with constrained domination (Deb et al. 2002, s IV):
 * two candidates drawn with replacement; the first wins only if it
 * dominates the second.  No crowding distance, as in Optuna. */
static size_t tournament(igm_ga_sampler *s, const igmopt_study *study,
                         const igm_frozen_trial *const *cands, size_t n)
{
    size_t a = (size_t)igm_rng_below(&s->rng, n), b = (size_t)igm_rng_below(&s->rng, n);
    double va = igm_trial_violation(cands[a], NULL), vb = igm_trial_violation(cands[b], NULL);
    return igm_constrained_dominates(cands[a]->values, va, cands[b]->values, vb,
                                     study->directions, study->n_objectives)
               ? a
               : b;
}

/* n_parents distinct parents, each the winner of a tournament among the
 * parents not chosen yet. */
static int choose_parents(igm_ga_sampler *s, const igmopt_study *study,
                          const igm_frozen_trial *const *parents, size_t n, child_work *w)
{
    const igm_frozen_trial **left = malloc(n * sizeof *left);
    size_t n_left = n;
    if (!left)
        return igm_error_nomem();
    memcpy(left, parents, n * sizeof *left);
    for (size_t k = 0; k < w->n_chosen; k++) {
        size_t win = tournament(s, study, left, n_left);
        w->chosen[k] = left[win];
        memmove(left + win, left + win + 1, (--n_left - win) * sizeof *left);
    }
    free(left);
    return IGMOPT_OK;
}

/* ---- crossover ------------------------------------------------------------------- */

/* u >= swapping_prob takes the last parent's choice, else the first's. */
static int cross_categorical(igm_ga_sampler *s, const child_work *w, double *x)
{
    int rc = IGMOPT_OK;
    for (size_t c = 0; rc == IGMOPT_OK && c < w->n_categorical; c++) {
        const igm_frozen_trial *from = igm_rng_uniform(&s->rng) >= s->opt.swapping_prob
                                           ? w->chosen[w->n_chosen - 1]
                                           : w->chosen[0];
        rc = parent_value(w, from, w->categorical[c], &x[w->categorical[c]]);
    }
    return rc;
}

/* A continuous float column outside its bounds is rejected on both sides.
 * Optuna clamps such a child below high (its untransform only clamps from
 * above) and rejects it below low: a pull towards the upper bound that we
 * do not copy.  Discrete columns are rounded and clipped, as in Optuna. */
static int numeric_child(const child_work *w, double *x)
{
    for (size_t c = 0; c < w->n_numeric; c++) {
        const igm_distribution *d = w->space->dists[w->numeric[c]];
        double v = w->column[c];
        if (d->kind == IGM_DIST_FLOAT && d->step == 0 && !(v >= w->lo[c] && v <= w->hi[c]))
            return 0;
        x[w->numeric[c]] = igm_transform_untransform(d, v);
    }
    return 1;
}

static int cross_numeric(igm_ga_sampler *s, const child_work *w, double *x, int *inside)
{
    int rc = IGMOPT_OK;
    *inside = 1;
    if (w->n_numeric == 0)
        return IGMOPT_OK;
    for (size_t p = 0; rc == IGMOPT_OK && p < w->n_chosen; p++)
        for (size_t c = 0; rc == IGMOPT_OK && c < w->n_numeric; c++) {
            const igm_distribution *d = w->space->dists[w->numeric[c]];
            double v;
            rc = parent_value(w, w->chosen[p], w->numeric[c], &v);
            w->rows[p * w->n_numeric + c] = column_value(d, v);
        }
    if (rc == IGMOPT_OK)
        rc = igm_crossover_child(s->crossover, &s->rng, w->rows, w->n_numeric, w->lo, w->hi,
                                 w->column);
    if (rc == IGMOPT_OK)
        *inside = numeric_child(w, x);
    return rc;
}

static int contained(const child_work *w, const double *x)
{
    for (size_t j = 0; j < w->space->count; j++)
        if (!igm_distribution_contains(w->space->dists[j], x[j]))
            return 0;
    return 1;
}

static int copy_parent(igm_ga_sampler *s, const child_work *w,
                       const igm_frozen_trial *const *parents, size_t n, double *x)
{
    const igm_frozen_trial *p = parents[igm_rng_below(&s->rng, n)];
    int rc = IGMOPT_OK;
    for (size_t j = 0; rc == IGMOPT_OK && j < w->space->count; j++)
        rc = parent_value(w, p, j, &x[j]);
    return rc;
}

/* Parent selection and crossover, repeated while the child leaves the
 * space (s3.4). */
static int crossover(igm_ga_sampler *s, const igmopt_study *study, child_work *w,
                     const igm_frozen_trial *const *parents, size_t n, double *x)
{
    for (int attempt = 0; attempt < MAX_CROSSOVER_ATTEMPTS; attempt++) {
        int inside, rc;
        if ((rc = choose_parents(s, study, parents, n, w)) || (rc = cross_categorical(s, w, x)) ||
            (rc = cross_numeric(s, w, x, &inside)))
            return rc;
        if (inside && contained(w, x))
            return IGMOPT_OK;
    }
    return copy_parent(s, w, parents, n, x);
}

/* ---- mutation ---------------------------------------------------------------------- */

/* Each parameter is mutated with mutation_prob (default 1 / n_params):
 * dropped, so that the RandomSampler draws it, or with PolynomialMutation
 * moved within its column (categoricals are always redrawn). */
static int add_mutated(igm_ga_sampler *s, const child_work *w, const double *x,
                       igm_relative_params *out)
{
    size_t n = w->space->count;
    double prob = s->opt.mutation_prob >= 0 ? s->opt.mutation_prob : 1.0 / (n > 1 ? n : 1);
    int rc = IGMOPT_OK;
    for (size_t j = 0; rc == IGMOPT_OK && j < n; j++) {
        const igm_distribution *d = w->space->dists[j];
        double v = x[j], lo, hi;
        if (igm_rng_uniform(&s->rng) < prob) {
            if (!s->opt.polynomial_mutation || d->kind == IGM_DIST_CATEGORICAL)
                continue;
            igm_transform_bounds(d, &lo, &hi);
            v = igm_transform_untransform(
                d, igm_polynomial_mutation(&s->rng, column_value(d, v), lo, hi,
                                           s->opt.mutation_eta));
        }
        rc = igm_relative_params_add(out, w->space->names[j], v, d);
    }
    return rc;
}

/* ---- one child -------------------------------------------------------------------- */

static int work_init(child_work *w, const igm_search_space *space, size_t n_chosen)
{
    size_t n = space->count;
    memset(w, 0, sizeof *w);
    w->space = space;
    w->numeric = malloc((n + 1) * sizeof *w->numeric);
    w->categorical = malloc((n + 1) * sizeof *w->categorical);
    w->lo = malloc((n + 1) * sizeof *w->lo);
    w->hi = malloc((n + 1) * sizeof *w->hi);
    w->column = malloc((n + 1) * sizeof *w->column);
    w->rows = malloc((n * n_chosen + 1) * sizeof *w->rows);
    w->chosen = malloc(n_chosen * sizeof *w->chosen);
    w->n_chosen = n_chosen;
    if (!w->numeric || !w->categorical || !w->lo || !w->hi || !w->column || !w->rows ||
        !w->chosen)
        return igm_error_nomem();
    for (size_t j = 0; j < n; j++) {
        if (space->dists[j]->kind == IGM_DIST_CATEGORICAL) {
            w->categorical[w->n_categorical++] = j;
            continue;
        }
        igm_transform_bounds(space->dists[j], &w->lo[w->n_numeric], &w->hi[w->n_numeric]);
        w->numeric[w->n_numeric++] = j;
    }
    return IGMOPT_OK;
}

static void work_clear(child_work *w)
{
    free(w->numeric);
    free(w->categorical);
    free(w->lo);
    free(w->hi);
    free(w->column);
    free(w->rows);
    free(w->chosen);
}

/* SBX/VSBX's default eta depends on the number of objectives: the
 * operator is built for the study at hand. */
static int crossover_for(igm_ga_sampler *s, size_t m)
{
    if (s->crossover && s->crossover_m == m)
        return IGMOPT_OK;
    igm_crossover_free(s->crossover);
    s->crossover = NULL;
    s->crossover_m = m;
    return igm_crossover_from_json(s->opt.crossover, s->opt.swapping_prob, m,
                                   s->kind->ops.name, &s->crossover);
}

int igm_ga_child(igm_ga_sampler *s, const igmopt_study *study, const igm_search_space *space,
                 const igm_frozen_trial *const *parents, size_t n_parents,
                 igm_relative_params *out)
{
    child_work w;
    double *x = malloc((space->count + 1) * sizeof *x);
    int rc = crossover_for(s, study->n_objectives);
    if (rc == IGMOPT_OK)
        rc = work_init(&w, space, igm_crossover_n_parents(s->crossover));
    else
        memset(&w, 0, sizeof w);
    if (rc == IGMOPT_OK && !x)
        rc = igm_error_nomem();
    /* Too few parents to cross (a tiny first generation): copy one. */
    if (rc == IGMOPT_OK && igm_rng_uniform(&s->rng) < s->opt.crossover_prob &&
        n_parents >= w.n_chosen)
        rc = crossover(s, study, &w, parents, n_parents, x);
    else if (rc == IGMOPT_OK)
        rc = copy_parent(s, &w, parents, n_parents, x);
    if (rc == IGMOPT_OK)
        rc = add_mutated(s, &w, x, out);
    work_clear(&w);
    free(x);
    return rc;
}
