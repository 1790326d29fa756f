/* TPESampler (Bergstra et al. 2011, "Algorithms for hyper-parameter
 * optimization"; Watanabe 2023, "Tree-structured Parzen estimator:
 * understanding its algorithm components"), with the defaults and rules of
 * the newest Optuna ([H] in OPTUNA-ALGORITHMS.md s2): the trials a draw
 * sees, the relative (multivariate, grouped) and independent paths, the
 * choice among candidates, and constant-liar bookkeeping. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/arena.h"
#include "../../lib/error.h"
#include "../../lib/json.h"
#include "../../lib/strbuf.h"
#include "../../lib/study.h"
#include "../search_space.h"
#include "../sampler.h"
#include "tpe.h"

#define RELATIVE_PARAMS_KEY "tpe:relative_params:" /* + chunk index, as Optuna [H] */
#define RELATIVE_PARAMS_CHUNK 2045                 /* Optuna's system attr length limit */
#define RANDOM_SEED_SALT 0x5450455f53414d50ull    /* "TPE_SAMP": TPE's own stream */

typedef struct tpe_sampler {
    tpe_options opt;
    igm_rng rng;
    igm_arena arena; /* scratch of one call, kept between calls */
    void *random_impl; /* the RandomSampler of the startup phase */
    const igm_sampler_ops *random_ops;
} tpe_sampler;

/* ---- the trials one draw sees -------------------------------------------- */

typedef struct tpe_model {
    igm_frozen_trial *const *all; /* the study's trials (the cache's array) */
    size_t n_all;
    tpe_trial *trials; /* COMPLETE, PRUNED and (constant liar) RUNNING, by number */
    size_t n, n_finished;
} tpe_model;

static void model_free(tpe_model *m)
{
    for (size_t i = 0; i < m->n; i++)
        json_decref(m->trials[i].relative);
    memset(m, 0, sizeof *m);
}

/* The relative params another worker published for its RUNNING trial:
 * the JSON object text split over string attrs :0, :1, ... */
static json_t *published_relative_params(const igm_frozen_trial *t)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    json_t *obj = NULL;
    char key[64], *text;
    for (size_t k = 0;; k++) {
        const char *chunk;
        json_t *s;
        snprintf(key, sizeof key, RELATIVE_PARAMS_KEY "%zu", k);
        if (!(chunk = igm_attr_list_get(&t->system_attrs, key)))
            break;
        s = json_loads(chunk, JSON_DECODE_ANY, NULL);
        if (json_is_string(s))
            igm_strbuf_append(&sb, json_string_value(s));
        json_decref(s);
    }
    if (igm_strbuf_finish(&sb, &text) != IGMOPT_OK || !text)
        return NULL;
    obj = json_loads(text, 0, NULL);
    free(text);
    if (obj && !json_is_object(obj)) {
        json_decref(obj);
        obj = NULL;
    }
    return obj;
}

/* Only COMPLETE and PRUNED trials count (FAIL and WAITING are invisible). */
static size_t count_finished(igm_frozen_trial *const *all, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += all[i]->state == IGMOPT_COMPLETE || all[i]->state == IGMOPT_PRUNED;
    return count;
}

static int model_collect(tpe_sampler *s, igmopt_study *study,
                         const igm_frozen_trial *current, tpe_model *m)
{
    int rc = igm_study_trials(study, &m->all, &m->n_all);
    m->trials = NULL;
    m->n = m->n_finished = 0;
    if (rc)
        return rc;
    m->trials = igm_arena_array(&s->arena, m->n_all, sizeof *m->trials);
    if (!m->trials)
        return igm_error_nomem();
    for (size_t i = 0; i < m->n_all; i++) {
        const igm_frozen_trial *t = m->all[i];
        tpe_trial *mt = &m->trials[m->n];
        int finished = t->state == IGMOPT_COMPLETE || t->state == IGMOPT_PRUNED;
        if (t->number == current->number ||
            !(finished || (s->opt.constant_liar && t->state == IGMOPT_RUNNING)))
            continue;
        mt->trial = t;
        mt->running = !finished;
        mt->violation = finished ? tpe_trial_violation(t) : 0.0;
        mt->below = 0;
        mt->relative = finished ? NULL : published_relative_params(t);
        m->n_finished += finished;
        m->n++;
    }
    return IGMOPT_OK;
}

static int model_split(const tpe_sampler *s, const igmopt_study *study, tpe_model *m)
{
    size_t n_below = tpe_gamma_n_below(&s->opt.gamma, m->n_finished, study->n_objectives);
    return tpe_split(m->trials, m->n, n_below, study->directions, study->n_objectives);
}

/* ---- observations ----------------------------------------------------------- */

/* A published (external) value as an internal one of d; 0 if it is not one. */
static int external_to_internal(const json_t *v, const igm_distribution *d, double *out)
{
    if (d->kind != IGM_DIST_CATEGORICAL) {
        if (!json_is_number(v))
            return 0;
        *out = json_number_value(v);
        return d->kind == IGM_DIST_FLOAT || *out == trunc(*out);
    }
    igm_strbuf sb = IGM_STRBUF_INIT;
    int found = 0;
    igm_json_dump_value(&sb, v);
    for (size_t c = 0; sb.data && c < d->n_choices && !found; c++) {
        if (strcmp(d->choices[c], sb.data) == 0) {
            *out = (double)c;
            found = 1;
        }
    }
    igm_strbuf_release(&sb);
    return found;
}

/* Same kind, log flag and number of choices: the cheap part of Optuna's
 * compatibility rule, which the library enforces at suggest time. */
static int usable_distribution(const igm_distribution *have, const igm_distribution *want)
{
    return have->kind == want->kind && have->log == want->log &&
           have->n_choices == want->n_choices;
}

/* The internal value of name in trial t (its own param, else for a
 * RUNNING trial its published relative value); 0 when it has none.
 * *hint remembers where the previous trial kept the name. */
static int trial_value(const tpe_trial *mt, const char *name, const igm_distribution *d,
                       size_t *hint, double *out)
{
    const igm_frozen_trial *t = mt->trial;
    const igm_param *p = NULL;
    if (*hint < t->n_params && strcmp(t->params[*hint].name, name) == 0)
        p = &t->params[*hint];
    else
        p = igm_frozen_trial_param(t, name);
    if (p) {
        *hint = (size_t)(p - t->params);
        if (!usable_distribution(p->distribution, d))
            return 0;
        *out = p->internal;
        return d->kind != IGM_DIST_CATEGORICAL || (*out >= 0 && *out < (double)d->n_choices);
    }
    if (mt->relative) {
        const json_t *v = json_object_get(mt->relative, name);
        return v && external_to_internal(v, d, out);
    }
    return 0;
}

typedef struct tpe_observations {
    double *below, *above; /* row-major, space->count columns */
    size_t n_below, n_above;
} tpe_observations;

/* Rows of the trials that have every parameter of the space, in trial
 * order, to the side the split put them on (s2.2: the split first, the
 * filter after). */
static int collect_observations(igm_arena *arena, const tpe_model *m,
                                const igm_search_space *space, tpe_observations *o)
{
    size_t d = space->count, *hints = igm_arena_array(arena, d, sizeof *hints);
    double *row = igm_arena_array(arena, d, sizeof *row);
    o->below = igm_arena_array(arena, m->n * d, sizeof *o->below);
    o->above = igm_arena_array(arena, m->n * d, sizeof *o->above);
    o->n_below = o->n_above = 0;
    if (!hints || !row || !o->below || !o->above)
        return igm_error_nomem();
    memset(hints, 0, d * sizeof *hints);
    for (size_t i = 0; i < m->n; i++) {
        const tpe_trial *mt = &m->trials[i];
        size_t j = 0;
        while (j < d && trial_value(mt, space->names[j], space->dists[j], &hints[j], &row[j]))
            j++;
        if (j < d)
            continue;
        if (mt->below)
            memcpy(o->below + d * o->n_below++, row, d * sizeof *row);
        else
            memcpy(o->above + d * o->n_above++, row, d * sizeof *row);
    }
    return IGMOPT_OK;
}

/* ---- one draw ------------------------------------------------------------------ */

static int build_estimators(tpe_sampler *s, const igmopt_study *study,
                            const igm_search_space *space, const tpe_observations *o,
                            tpe_parzen *below, tpe_parzen *above)
{
    double *wb = igm_arena_array(&s->arena, o->n_below, sizeof *wb);
    double *wa = igm_arena_array(&s->arena, o->n_above, sizeof *wa);
    int rc;
    if (!wb || !wa)
        return igm_error_nomem();
    /* Multi-objective [H]: the below observations weigh the same (s2.4). */
    tpe_weights_fill(study->n_objectives > 1 ? TPE_WEIGHTS_UNIFORM : s->opt.weights,
                     o->n_below, wb);
    tpe_weights_fill(s->opt.weights, o->n_above, wa);
    if ((rc = tpe_parzen_build(below, &s->arena, space, o->below, o->n_below, wb, NULL,
                               &s->opt.parzen)))
        return rc;
    return tpe_parzen_build(above, &s->arena, space, o->above, o->n_above, wa, NULL,
                            &s->opt.parzen);
}

/* Candidates from l(x), scored by log l(x) - log g(x); the first best
 * wins (s2.5.5).  best gets space->count internal values. */
static int choose_candidate(tpe_sampler *s, const tpe_parzen *below, const tpe_parzen *above,
                            double *best)
{
    size_t n = s->opt.n_ei_candidates, d = below->n_dims, pick = 0;
    double *cand = igm_arena_array(&s->arena, n * d, sizeof *cand);
    double *lb = igm_arena_array(&s->arena, n, sizeof *lb), top = -INFINITY;
    double *la = igm_arena_array(&s->arena, n, sizeof *la);
    int rc = cand && lb && la ? IGMOPT_OK : igm_error_nomem();
    if (rc == IGMOPT_OK)
        rc = tpe_parzen_sample(below, &s->rng, n, cand);
    if (rc == IGMOPT_OK)
        rc = tpe_parzen_log_pdf(below, cand, n, lb);
    if (rc == IGMOPT_OK)
        rc = tpe_parzen_log_pdf(above, cand, n, la);
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++) {
        double score = lb[i] - la[i];
        if (score > top) { /* NaN never wins; all NaN keeps the first */
            top = score;
            pick = i;
        }
    }
    if (rc == IGMOPT_OK)
        memcpy(best, cand + pick * d, d * sizeof *best);
    return rc;
}

static int sample_space(tpe_sampler *s, const igmopt_study *study, const tpe_model *m,
                        const igm_search_space *space, double *best)
{
    tpe_observations o;
    tpe_parzen below, above;
    int rc;
    if (space->count == 0)
        return IGMOPT_OK;
    if ((rc = collect_observations(&s->arena, m, space, &o)) ||
        (rc = build_estimators(s, study, space, &o, &below, &above)))
        return rc;
    return choose_candidate(s, &below, &above, best);
}

/* ---- relative sampling ---------------------------------------------------------- */

static int multivariate_for(const tpe_sampler *s, const igmopt_study *study)
{
    /* [H]: None means multivariate for one objective only (s0.1). */
    return s->opt.multivariate >= 0 ? s->opt.multivariate : study->n_objectives == 1;
}

static int add_space_draw(tpe_sampler *s, const igmopt_study *study, const tpe_model *m,
                          const igm_search_space *space, igm_relative_params *out)
{
    double *best = igm_arena_array(&s->arena, space->count, sizeof *best);
    int rc = best ? sample_space(s, study, m, space, best) : igm_error_nomem();
    for (size_t j = 0; rc == IGMOPT_OK && j < space->count; j++)
        rc = igm_relative_params_add(out, space->names[j], best[j], space->dists[j]);
    return rc;
}

/* Constant liar across processes: the joint draw is stored on the trial at
 * once, as Optuna's JSON of external values in chunks, so other workers
 * see all of it before this trial suggests the rest (s2.6). */
static int publish_relative_params(igmopt_study *study, const igm_frozen_trial *trial,
                                   const igm_relative_params *r)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *text, key[64];
    size_t len;
    int rc = IGMOPT_OK;
    igm_strbuf_append(&sb, "{");
    for (size_t i = 0; i < r->count; i++) {
        igm_strbuf_append(&sb, i ? ", " : "");
        igm_json_string(&sb, r->items[i].name);
        igm_strbuf_append(&sb, ": ");
        igm_distribution_external_json(&sb, r->items[i].distribution, r->items[i].internal);
    }
    igm_strbuf_append(&sb, "}");
    if (igm_strbuf_finish(&sb, &text))
        return igm_error_nomem();
    len = strlen(text);
    for (size_t at = 0, k = 0; rc == IGMOPT_OK && at < len; at += RELATIVE_PARAMS_CHUNK, k++) {
        igm_strbuf chunk = IGM_STRBUF_INIT, literal = IGM_STRBUF_INIT;
        char *value;
        size_t n = len - at < RELATIVE_PARAMS_CHUNK ? len - at : RELATIVE_PARAMS_CHUNK;
        igm_strbuf_append_len(&chunk, text + at, n);
        igm_json_string(&literal, chunk.data ? chunk.data : "");
        igm_strbuf_release(&chunk);
        if (igm_strbuf_finish(&literal, &value)) {
            rc = igm_error_nomem();
            break;
        }
        snprintf(key, sizeof key, RELATIVE_PARAMS_KEY "%zu", k);
        rc = study->storage->ops->set_trial_attr(study->storage->impl, trial->trial_id,
                                                 IGM_ATTR_SYSTEM, key, value);
        free(value);
    }
    free(text);
    return rc;
}

static int sample_groups(tpe_sampler *s, const igmopt_study *study, const tpe_model *m,
                         igm_relative_params *out)
{
    igm_search_space_groups groups;
    int rc = igm_group_decomposed_search_space(m->all, m->n_all, 1, 1, &groups);
    for (size_t g = 0; rc == IGMOPT_OK && g < groups.count; g++)
        rc = add_space_draw(s, study, m, &groups.groups[g], out);
    igm_search_space_groups_clear(&groups);
    return rc;
}

static int tpe_sample_relative(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                               igm_relative_params *out)
{
    tpe_sampler *s = impl;
    igm_search_space space;
    tpe_model m;
    int rc;
    if (!multivariate_for(s, study))
        return IGMOPT_OK;
    igm_arena_reset(&s->arena);
    if ((rc = model_collect(s, study, trial, &m)))
        goto done;
    if ((long long)m.n_finished < s->opt.n_startup_trials)
        goto done;
    if ((rc = model_split(s, study, &m)))
        goto done;
    if (s->opt.group) {
        rc = sample_groups(s, study, &m, out);
    } else if ((rc = igm_intersection_search_space(m.all, m.n_all, 1, 1, &space)) == IGMOPT_OK) {
        rc = add_space_draw(s, study, &m, &space, out);
        igm_search_space_clear(&space);
    }
    if (rc == IGMOPT_OK && s->opt.constant_liar && out->count)
        rc = publish_relative_params(study, trial, out);
done:
    model_free(&m);
    return rc;
}

/* ---- independent sampling -------------------------------------------------------- */

/* Before n_startup_trials: RandomSampler.  After: univariate TPE on this
 * parameter alone, for every parameter outside the relative space. */
static int tpe_sample_independent(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                                  const char *name, const igm_distribution *d,
                                  double *internal)
{
    tpe_sampler *s = impl;
    igm_frozen_trial *const *all;
    size_t n_all;
    tpe_model m;
    int rc = igm_study_trials(study, &all, &n_all);
    if (rc)
        return rc;
    if ((long long)count_finished(all, n_all) < s->opt.n_startup_trials)
        return s->random_ops->sample_independent(s->random_impl, study, trial, name, d,
                                                 internal);
    const char *names[1] = {name};
    const igm_distribution *dists[1] = {d};
    igm_search_space space = {names, dists, 1};
    igm_arena_reset(&s->arena);
    if ((rc = model_collect(s, study, trial, &m)) == IGMOPT_OK &&
        (rc = model_split(s, study, &m)) == IGMOPT_OK)
        rc = sample_space(s, study, &m, &space, internal);
    model_free(&m);
    return rc;
}

/* ---- construction ----------------------------------------------------------------- */

static void tpe_free(void *impl)
{
    tpe_sampler *s = impl;
    if (!s)
        return;
    if (s->random_ops)
        s->random_ops->free(s->random_impl);
    igm_arena_free(&s->arena);
    free(s);
}

static const igm_sampler_ops tpe_sampler_ops = {
    "TPESampler", tpe_free, NULL, tpe_sample_relative, tpe_sample_independent, NULL,
};

static int create_random_sampler(tpe_sampler *s)
{
    json_t *kw = s->opt.has_seed ? json_pack("{s:I}", "seed", (json_int_t)s->opt.seed)
                                 : json_object();
    int rc = kw ? igm_random_sampler_create(&s->random_impl, &s->random_ops, kw)
                : igm_error_nomem();
    json_decref(kw);
    return rc;
}

int igm_tpe_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options)
{
    tpe_sampler *s = calloc(1, sizeof *s);
    int rc;
    if (!s)
        return igm_error_nomem();
    if ((rc = tpe_options_parse(options, &s->opt)) || (rc = create_random_sampler(s))) {
        tpe_free(s);
        return rc;
    }
    if (s->opt.has_seed)
        igm_rng_seed(&s->rng, s->opt.seed ^ RANDOM_SEED_SALT);
    else
        igm_rng_seed_random(&s->rng);
    *impl = s;
    *ops = &tpe_sampler_ops;
    return IGMOPT_OK;
}
