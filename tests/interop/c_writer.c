/* Writes the studies test_c_writes.py reads back with Optuna, then prints
 * them as the library sees them.  Usage: c_writer <storage url>
 *
 * "single" (minimize): every distribution kind, an enqueued first trial,
 *   NaN/inf intermediate values, -inf, PRUNED, FAIL (told and NaN) and a
 *   RUNNING trial, then one enqueued trial per categorical choice type.
 * "single_max" (maximize): +inf, finite and -inf values.
 * "multi" (minimize, maximize) with metric names: a Pareto front holding
 *   infinities, a FAIL from a wrong value count and a RUNNING trial. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "interop_util.h"

static const igmopt_direction MINIMIZE[] = {IGMOPT_MINIMIZE};
static const igmopt_direction MAXIMIZE[] = {IGMOPT_MAXIMIZE};
static const igmopt_direction MIN_MAX[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE};

static igmopt_study *create(igmopt_storage *st, const char *name, const igmopt_direction *dirs,
                            size_t n)
{
    igmopt_sampler *sampler;
    igmopt_study *study;
    CHECK(igmopt_sampler_new(&sampler, "RandomSampler", "{\"seed\": 7}"));
    CHECK(igmopt_study_create(&study, st, name, dirs, n, sampler, NULL, 0));
    igmopt_sampler_free(sampler);
    return study;
}

static igmopt_trial *ask_every_kind(igmopt_study *study)
{
    igmopt_trial *t;
    CHECK(igmopt_study_ask(study, &t));
    suggest_every_kind(t);
    return t;
}

static void tell(igmopt_study *study, igmopt_trial *t, igmopt_trial_state state,
                 const double *values, size_t n)
{
    CHECK(igmopt_study_tell(study, t, state, values, n));
    igmopt_trial_free(t);
}

/* A tell the library must turn into FAIL (IGMOPT_ETRIALFAIL). */
static void tell_expecting_fail(igmopt_study *study, igmopt_trial *t, const double *values,
                                size_t n)
{
    int rc = igmopt_study_tell(study, t, IGMOPT_COMPLETE, values, n);
    if (rc != IGMOPT_ETRIALFAIL) {
        fprintf(stderr, "tell returned %d, not IGMOPT_ETRIALFAIL: %s\n", rc, igmopt_errmsg());
        exit(1);
    }
    igmopt_trial_free(t);
}

static void write_single(igmopt_storage *st)
{
    static const char *const choice_values[] = {"true", "1", "1.0", "\"1\"", "null", "\"a\""};
    const char *metric[] = {"loss"};
    igmopt_study *study = create(st, "single", MINIMIZE, 1);
    igmopt_trial *t;
    char queued[32];

    CHECK(igmopt_study_set_metric_names(study, metric, 1));
    CHECK(igmopt_study_set_user_attr(study, "owner", "\"glacier\""));
    CHECK(igmopt_study_set_user_attr(study, "config", "{\"n\": 3, \"tags\": [\"a\", \"b\"]}"));
    CHECK(igmopt_study_enqueue(study, "{\"x\": 1.5, \"lr\": 0.001, \"dx\": 0.75, \"q\": 0.3, "
                                      "\"n\": 4, \"k\": 16, \"m\": 35, \"c\": \"1\"}"));

    t = ask_every_kind(study); /* 0: the enqueued one */
    CHECK(igmopt_trial_report(t, 0, 3.0));
    CHECK(igmopt_trial_report(t, 1, NAN));
    CHECK(igmopt_trial_report(t, 2, INFINITY));
    CHECK(igmopt_trial_report(t, 3, -INFINITY));
    CHECK(igmopt_trial_set_user_attr(t, "note", "{\"nested\": [1, \"two\", null]}"));
    tell(study, t, IGMOPT_COMPLETE, &(double){1.25}, 1);

    tell(study, ask_every_kind(study), IGMOPT_COMPLETE, &(double){-INFINITY}, 1); /* 1 */
    tell(study, ask_every_kind(study), IGMOPT_COMPLETE, &(double){0.5}, 1);       /* 2 */

    t = ask_every_kind(study); /* 3: PRUNED takes its last reported value */
    CHECK(igmopt_trial_report(t, 0, 2.0));
    CHECK(igmopt_trial_report(t, 1, 1.5));
    tell(study, t, IGMOPT_PRUNED, NULL, 0);

    tell(study, ask_every_kind(study), IGMOPT_FAIL, NULL, 0); /* 4 */

    tell_expecting_fail(study, ask_every_kind(study), &(double){NAN}, 1); /* 5 */

    for (int i = 0; i < 6; i++) { /* 6..11: one per choice type */
        snprintf(queued, sizeof queued, "{\"c\": %s}", choice_values[i]);
        CHECK(igmopt_study_enqueue(study, queued));
    }
    for (int i = 0; i < 6; i++)
        tell(study, ask_every_kind(study), IGMOPT_COMPLETE, &(double){10.0 + i}, 1);

    igmopt_trial_free(ask_every_kind(study)); /* 12: left RUNNING */
    igmopt_study_close(study);
}

static void write_single_max(igmopt_storage *st)
{
    const double values[] = {INFINITY, 2.0, -INFINITY};
    igmopt_study *study = create(st, "single_max", MAXIMIZE, 1);
    for (int i = 0; i < 3; i++) {
        igmopt_trial *t;
        double x;
        CHECK(igmopt_study_ask(study, &t));
        CHECK(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x));
        tell(study, t, IGMOPT_COMPLETE, &values[i], 1);
    }
    igmopt_study_close(study);
}

static void write_multi(igmopt_storage *st)
{
    const double values[][2] = {{1, 1}, {2, 2}, {INFINITY, INFINITY}, {0, -INFINITY}, {1, 0}};
    const char *metrics[] = {"loss", "acc"};
    igmopt_study *study = create(st, "multi", MIN_MAX, 2);
    igmopt_trial *t;
    CHECK(igmopt_study_set_metric_names(study, metrics, 2));
    for (int i = 0; i < 7; i++) {
        CHECK(igmopt_study_ask(study, &t));
        suggest_multi_space(t);
        if (i < 5) {
            tell(study, t, IGMOPT_COMPLETE, values[i], 2);
        } else if (i == 5) {
            tell_expecting_fail(study, t, values[0], 1); /* one value for two objectives */
        } else {
            igmopt_trial_free(t); /* left RUNNING */
        }
    }
    igmopt_study_close(study);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"single", "single_max", "multi"};
    igmopt_storage *st;
    if (argc != 2) {
        fprintf(stderr, "usage: %s <storage url>\n", argv[0]);
        return 2;
    }
    CHECK(igmopt_storage_open(&st, argv[1]));
    write_single(st);
    write_single_max(st);
    write_multi(st);
    print_studies(st, names, 3);
    igmopt_storage_close(st);
    return 0;
}
