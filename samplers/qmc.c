/* QMCSampler: one Sobol' or Halton point per trial over the search space
 * of the first finished trial, the point's index kept in the study so that
 * every process sharing the study continues one sequence
 * (OPTUNA-ALGORITHMS.md s1.4, s1.5, s7; OPTUNA-STORAGE.md s2.9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/json.h"
#include "../lib/rng.h"
#include "../lib/sha256.h"
#include "../lib/strbuf.h"
#include "../lib/study.h"
#include "qmc_sequence.h"
#include "sampler.h"
#include "transform.h"

/* Claims tried before a sample index is taken even though another trial
 * may hold it too (see claim_sample_index). */
#define MAX_CLAIMS 8

typedef struct qmc_sampler {
    igm_qmc_type type;
    int scramble;
    int has_seed;
    uint64_t seed; /* drawn at random when the seed kwarg is null */
    igmopt_sampler *independent;
    igm_qmc_engine engine; /* built for the last dimension asked (engine.dim 0: none) */
} qmc_sampler;

/* ---- search space ---------------------------------------------------- */

/* [H]: the distributions of the first COMPLETE/PRUNED trial by number, in
 * its suggestion order, single-valued ones left out; before any finished
 * trial the space is empty and every parameter is sampled independently. */
static const igm_frozen_trial *first_finished_trial(igm_frozen_trial *const *trials, size_t n)
{
    const igm_frozen_trial *first = NULL;
    for (size_t i = 0; i < n; i++) {
        const igm_frozen_trial *t = trials[i];
        if ((t->state == IGMOPT_COMPLETE || t->state == IGMOPT_PRUNED) &&
            (!first || t->number < first->number))
            first = t;
    }
    return first;
}

static size_t space_dimension(const igm_frozen_trial *first)
{
    size_t dim = 0;
    for (size_t i = 0; i < first->n_params; i++)
        dim += !igm_distribution_single(first->params[i].distribution);
    return dim;
}

/* ---- the sample index kept in the study ------------------------------ */

static int compare_params_by_name(const void *a, const void *b)
{
    return strcmp((*(const igm_param *const *)a)->name, (*(const igm_param *const *)b)->name);
}

/* The settings that select one sequence, as JSON text (json.dumps form,
 * keys sorted): qmc_type, scramble, the search space (name ->
 * distribution_json, sorted by name) and the seed when scrambling
 * (unscrambled sequences do not depend on it).  [H] keys its counter on
 * the SHA-256 of its own settings JSON, whose exact text we cannot know, so
 * Optuna and libigmopt processes keep separate counters. */
static int settings_json(const qmc_sampler *s, const igm_frozen_trial *first, char **out)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    const igm_param **sorted = malloc((first->n_params + 1) * sizeof *sorted);
    size_t n = 0;
    if (!sorted)
        return igm_error_nomem();
    for (size_t i = 0; i < first->n_params; i++)
        if (!igm_distribution_single(first->params[i].distribution))
            sorted[n++] = &first->params[i];
    qsort(sorted, n, sizeof *sorted, compare_params_by_name);
    igm_strbuf_appendf(&sb, "{\"qmc_type\": \"%s\", \"scramble\": %s, \"search_space\": {",
                       s->type == IGM_QMC_SOBOL ? "sobol" : "halton",
                       s->scramble ? "true" : "false");
    for (size_t i = 0; i < n; i++) {
        if (i)
            igm_strbuf_append(&sb, ", ");
        igm_json_string(&sb, sorted[i]->name);
        igm_strbuf_append(&sb, ": ");
        igm_distribution_to_json(&sb, sorted[i]->distribution);
    }
    if (s->scramble)
        igm_strbuf_appendf(&sb, "}, \"seed\": %llu}", (unsigned long long)s->seed);
    else
        igm_strbuf_append(&sb, "}, \"seed\": null}");
    free(sorted);
    return igm_strbuf_finish(&sb, out) ? igm_error_nomem() : IGMOPT_OK;
}

/* "qmc:" + the SHA-256 hex of the settings JSON, as [H] names it. */
static int sequence_key(const qmc_sampler *s, const igm_frozen_trial *first, char key[69])
{
    char *json, hex[65];
    int rc = settings_json(s, first, &json);
    if (rc)
        return rc;
    igm_sha256_hex(json, strlen(json), hex);
    free(json);
    snprintf(key, 69, "qmc:%s", hex);
    return IGMOPT_OK;
}

/* An attr holding a non-negative integer; -1 when absent or not one. */
static int64_t attr_index(const igm_attr_list *attrs, const char *key)
{
    const char *v = igm_attr_list_get(attrs, key);
    char *end;
    long long x;
    if (!v)
        return -1;
    x = strtoll(v, &end, 10);
    return end != v && *end == '\0' && x >= 0 ? (int64_t)x : -1;
}

static int write_index(igmopt_study *study, int64_t trial_id, const char *key, int64_t index)
{
    char text[24];
    int rc;
    snprintf(text, sizeof text, "%lld", (long long)index);
    rc = igm_study_set_system_attr(study, key, text);
    if (rc == IGMOPT_OK)
        rc = study->storage->ops->set_trial_attr(study->storage->impl, trial_id,
                                                 IGM_ATTR_SYSTEM, key, text);
    return rc;
}

/* Another trial claims index too; *highest: the largest index any other
 * trial claims. */
static int index_taken(igmopt_study *study, const igm_frozen_trial *trial, const char *key,
                       int64_t index, int64_t *highest)
{
    igm_frozen_trial *const *trials;
    size_t n;
    int taken = 0, rc = igm_study_trials(study, &trials, &n);
    *highest = -1;
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        int64_t claimed = trials[i]->number == trial->number
                              ? -1
                              : attr_index(&trials[i]->system_attrs, key);
        taken |= claimed == index;
        if (claimed > *highest)
            *highest = claimed;
    }
    return taken;
}

/* The study attr `key` holds the last index used (Optuna's counter): read,
 * add one, write.  Two processes may read the same value between one's
 * read and its write, so each trial also records the index it took as a
 * trial system attr under the same key, then re-reads the study's trials:
 * when another trial holds the same index, it takes a new one past every
 * index claimed.  A duplicate survives only if each of two trials checked
 * before the other wrote its claim, which linearisable storage (SQLite
 * transactions, the in-memory lock) rules out; an index may be skipped
 * instead.  After MAX_CLAIMS collisions in a row the index is kept. */
static int claim_sample_index(igmopt_study *study, const igm_frozen_trial *trial,
                              const char *key, int64_t *out)
{
    igm_attr_list attrs = {0};
    int64_t index = attr_index(&trial->system_attrs, key), highest = -1;
    int rc = IGMOPT_OK;
    if (index >= 0) { /* a reopened trial keeps the index it took */
        *out = index;
        return IGMOPT_OK;
    }
    for (int attempt = 0; attempt < MAX_CLAIMS; attempt++) {
        if ((rc = igm_study_system_attrs(study, &attrs)))
            break;
        index = attr_index(&attrs, key) + 1;
        igm_attr_list_clear(&attrs);
        if (index <= highest)
            index = highest + 1;
        if ((rc = write_index(study, trial->trial_id, key, index)))
            break;
        rc = index_taken(study, trial, key, index, &highest);
        if (rc <= 0)
            break;
    }
    igm_attr_list_clear(&attrs);
    *out = index;
    return rc < 0 ? rc : IGMOPT_OK;
}

/* ---- sampling -------------------------------------------------------- */

static int ensure_engine(qmc_sampler *s, size_t dim)
{
    if (s->engine.dim == dim)
        return IGMOPT_OK;
    igm_qmc_engine_clear(&s->engine);
    return igm_qmc_engine_init(&s->engine, s->type, dim, s->scramble, s->seed);
}

/* Each coordinate is a fraction of its parameter's transform column
 * (half-step margins; a categorical is a FloatDistribution(0, C) column,
 * floored), as [H]'s transform_0_1 untransform. */
static int add_point(const igm_frozen_trial *first, const double *point,
                     igm_relative_params *out)
{
    size_t k = 0;
    int rc = IGMOPT_OK;
    for (size_t i = 0; i < first->n_params && rc == IGMOPT_OK; i++) {
        const igm_param *p = &first->params[i];
        if (igm_distribution_single(p->distribution))
            continue;
        rc = igm_relative_params_add(out, p->name,
                                     igm_transform_from_unit(p->distribution, point[k++]),
                                     p->distribution);
    }
    return rc;
}

static int qmc_sample_relative(void *impl, igmopt_study *study, const igm_frozen_trial *trial,
                               igm_relative_params *out)
{
    qmc_sampler *s = impl;
    igm_frozen_trial *const *trials;
    const igm_frozen_trial *first;
    char key[69];
    int64_t index;
    double *point;
    size_t n, dim;
    int rc = igm_study_trials(study, &trials, &n);
    if (rc)
        return rc;
    first = first_finished_trial(trials, n);
    if (!first || (dim = space_dimension(first)) == 0)
        return IGMOPT_OK;
    /* The first trial lives in the study's cache, which the index claim
     * below refreshes; a finished trial is never re-read, so it stays. */
    if ((rc = sequence_key(s, first, key)) || (rc = ensure_engine(s, dim)) ||
        (rc = claim_sample_index(study, trial, key, &index)))
        return rc;
    point = malloc(dim * sizeof *point);
    if (!point)
        return igm_error_nomem();
    rc = igm_qmc_engine_point(&s->engine, (uint64_t)index, point);
    if (rc == IGMOPT_OK)
        rc = add_point(first, point, out);
    free(point);
    return rc;
}

static int qmc_sample_independent(void *impl, igmopt_study *study,
                                  const igm_frozen_trial *trial, const char *name,
                                  const igm_distribution *d, double *internal)
{
    qmc_sampler *s = impl;
    return igm_sampler_sample_independent(s->independent, study, trial, name, d, internal);
}

static int qmc_before_trial(void *impl, igmopt_study *study, igm_frozen_trial *trial)
{
    qmc_sampler *s = impl;
    return igm_sampler_before_trial(s->independent, study, trial);
}

static int qmc_after_trial(void *impl, igmopt_study *study, igm_frozen_trial *trial,
                           igmopt_trial_state state, const double *values, size_t n_values)
{
    qmc_sampler *s = impl;
    return igm_sampler_after_trial(s->independent, study, trial, state, values, n_values);
}

static void qmc_free(void *impl)
{
    qmc_sampler *s = impl;
    if (!s)
        return;
    igm_qmc_engine_clear(&s->engine);
    igmopt_sampler_free(s->independent);
    free(s);
}

static const igm_sampler_ops qmc_sampler_ops = {
    "QMCSampler",          qmc_free,       qmc_before_trial, qmc_sample_relative,
    qmc_sample_independent, qmc_after_trial, NULL,
};

/* ---- kwargs ---------------------------------------------------------- */

static int option_flag(const json_t *options, const char *key, int *out)
{
    const json_t *v = json_object_get(options, key);
    if (!v)
        return IGMOPT_OK;
    if (!json_is_boolean(v))
        return igm_error(IGMOPT_EINVAL, "QMCSampler: option '%s' must be true or false", key);
    *out = json_is_true(v);
    return IGMOPT_OK;
}

static int option_qmc_type(const json_t *options, igm_qmc_type *out)
{
    const json_t *v = json_object_get(options, "qmc_type");
    const char *name = v && json_is_string(v) ? json_string_value(v) : NULL;
    *out = IGM_QMC_SOBOL;
    if (!v)
        return IGMOPT_OK;
    if (name && strcmp(name, "sobol") == 0)
        return IGMOPT_OK;
    if (name && strcmp(name, "halton") == 0) {
        *out = IGM_QMC_HALTON;
        return IGMOPT_OK;
    }
    return igm_error(IGMOPT_EINVAL, "QMCSampler: option 'qmc_type' must be \"sobol\" or "
                     "\"halton\"");
}

/* null: RandomSampler(seed), as Optuna. */
static int option_independent(const json_t *options, const qmc_sampler *s,
                              igmopt_sampler **out)
{
    const json_t *v = json_object_get(options, "independent_sampler");
    char kwargs[48];
    int rc;
    if (!v || json_is_null(v)) {
        if (s->has_seed)
            snprintf(kwargs, sizeof kwargs, "{\"seed\": %llu}", (unsigned long long)s->seed);
        return igmopt_sampler_new(out, "RandomSampler", s->has_seed ? kwargs : NULL);
    }
    rc = igm_sampler_from_json(v, out);
    return rc ? igm_error_wrap(rc, "QMCSampler: option 'independent_sampler'") : IGMOPT_OK;
}

int igm_qmc_sampler_create(void **impl, const igm_sampler_ops **ops, const json_t *options)
{
    static const char *const allowed[] = {
        "qmc_type", "scramble", "seed", "independent_sampler", "warn_asynchronous_seeding",
        "warn_independent_sampling", NULL};
    int unused_warning = 1, rc;
    qmc_sampler *s = calloc(1, sizeof *s);
    if (!s)
        return igm_error_nomem();
    /* The warn_* flags only silence Optuna's log lines; we never print. */
    if ((rc = igm_options_check_keys(options, "QMCSampler", allowed)) ||
        (rc = option_qmc_type(options, &s->type)) ||
        (rc = option_flag(options, "scramble", &s->scramble)) ||
        (rc = option_flag(options, "warn_asynchronous_seeding", &unused_warning)) ||
        (rc = option_flag(options, "warn_independent_sampling", &unused_warning)) ||
        (rc = igm_options_seed(options, "QMCSampler", &s->has_seed, &s->seed))) {
        free(s);
        return rc;
    }
    if (!s->has_seed) { /* Optuna draws a random seed too */
        igm_rng rng;
        igm_rng_seed_random(&rng);
        s->seed = igm_rng_next(&rng);
    }
    if ((rc = option_independent(options, s, &s->independent))) {
        free(s);
        return rc;
    }
    *impl = s;
    *ops = &qmc_sampler_ops;
    return IGMOPT_OK;
}
