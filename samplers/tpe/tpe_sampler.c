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
#include "tpe_history.h"

#define RANDOM_SEED_SALT 0x5450455f53414d50ull    /* "TPE_SAMP": TPE's own stream */

typedef struct tpe_sampler {
    tpe_options opt;
    igm_rng rng;
    igm_arena arena; /* scratch of one call, kept between calls */
    void *random_impl; /* the RandomSampler of the startup phase */
    const igm_sampler_ops *random_ops;
} tpe_sampler;

/* Only COMPLETE and PRUNED trials count (FAIL and WAITING are invisible). */
static size_t count_finished(igm_frozen_trial *const *all, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += all[i]->state == IGMOPT_COMPLETE || all[i]->state == IGMOPT_PRUNED;
    return count;
}

/* The split depends on the trials only, so the suggests of one trial share
 * it while no trial changes state (multi-objective ranks and HSSP are the
 * costly part of a univariate draw). */
static int model_split(const tpe_sampler *s, const igmopt_study *study, tpe_model *m,
                       int64_t current)
{
    size_t n_below = tpe_gamma_n_below(&s->opt.gamma, m->n_finished, study->n_objectives);
    int rc;
    if (tpe_history_reuse_split(m->history, m, current, n_below))
        return IGMOPT_OK;
    rc = tpe_split(m->trials, m->n, n_below, study->directions, study->n_objectives);
    if (rc == IGMOPT_OK)
        tpe_history_keep_split(m->history, m, current, n_below);
    return rc;
}

/* ---- one draw ------------------------------------------------------------------ */

static int build_estimators(tpe_sampler *s, const igmopt_study *study,
                            const igm_search_space *space, const tpe_observations *o,
                            tpe_parzen *below, tpe_parzen *above)
{
    const size_t nb = o->n[TPE_SIDE_BELOW], na = o->n[TPE_SIDE_ABOVE];
    double *wb = igm_arena_array(&s->arena, nb, sizeof *wb);
    double *wa = igm_arena_array(&s->arena, na, sizeof *wa);
    int rc;
    if (!wb || !wa)
        return igm_error_nomem();
    /* Multi-objective [H]: the below observations weigh the same (s2.4). */
    tpe_weights_fill(study->n_objectives > 1 ? TPE_WEIGHTS_UNIFORM : s->opt.weights, nb, wb);
    tpe_weights_fill(s->opt.weights, na, wa);
    if ((rc = tpe_parzen_build(below, &s->arena, space, o->rows[TPE_SIDE_BELOW], nb, wb,
                               (const size_t *const *)o->sorted[TPE_SIDE_BELOW],
                               &s->opt.parzen)))
        return rc;
    return tpe_parzen_build(above, &s->arena, space, o->rows[TPE_SIDE_ABOVE], na, wa,
                            (const size_t *const *)o->sorted[TPE_SIDE_ABOVE], &s->opt.parzen);
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
    if ((rc = tpe_observations_collect(m, space, &s->arena, &o)) ||
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
    for (size_t at = 0, k = 0; rc == IGMOPT_OK && at < len; at += TPE_RELATIVE_PARAMS_CHUNK, k++) {
        igm_strbuf chunk = IGM_STRBUF_INIT, literal = IGM_STRBUF_INIT;
        char *value;
        size_t n = len - at < TPE_RELATIVE_PARAMS_CHUNK ? len - at : TPE_RELATIVE_PARAMS_CHUNK;
        igm_strbuf_append_len(&chunk, text + at, n);
        igm_json_string(&literal, chunk.data ? chunk.data : "");
        igm_strbuf_release(&chunk);
        if (igm_strbuf_finish(&literal, &value)) {
            rc = igm_error_nomem();
            break;
        }
        snprintf(key, sizeof key, TPE_RELATIVE_PARAMS_KEY "%zu", k);
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
    if ((rc = tpe_model_collect(&m, study, trial, s->opt.constant_liar, &s->arena)))
        goto done;
    if ((long long)m.n_finished < s->opt.n_startup_trials)
        goto done;
    if ((rc = model_split(s, study, &m, trial->number)))
        goto done;
    if (s->opt.group) {
        rc = sample_groups(s, study, &m, out);
    } else if ((rc = tpe_history_intersection(m.history, &s->arena, &space)) == IGMOPT_OK) {
        rc = add_space_draw(s, study, &m, &space, out);
    }
    if (rc == IGMOPT_OK && s->opt.constant_liar && out->count)
        rc = publish_relative_params(study, trial, out);
done:
    tpe_model_free(&m);
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
    if ((rc = tpe_model_collect(&m, study, trial, s->opt.constant_liar, &s->arena)) ==
            IGMOPT_OK &&
        (rc = model_split(s, study, &m, trial->number)) == IGMOPT_OK)
        rc = sample_space(s, study, &m, &space, internal);
    tpe_model_free(&m);
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
    NULL,
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
