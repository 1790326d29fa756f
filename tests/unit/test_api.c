/* The public API end to end: study and trial life cycle and every bad
 * input, each scenario run once on in-memory storage and once on a SQLite
 * file.  Only <igmopt/igmopt.h> is used; results are read back through
 * igmopt_study_trials_json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "igmopt/igmopt.h"
#include "storage_fixture.h"
#include "trials_json_reader.h"

/* ---- helpers ---------------------------------------------------------- */

static const igmopt_direction MINIMIZE[] = {IGMOPT_MINIMIZE};
static const igmopt_direction MAXIMIZE[] = {IGMOPT_MAXIMIZE};
static const igmopt_direction MIN_MAX[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE};

static igmopt_study *create_study(fixture *f, const char *name, const igmopt_direction *dirs,
                                  size_t n, uint64_t seed)
{
    igmopt_sampler *s;
    igmopt_study *study;
    char options[64];
    snprintf(options, sizeof options, "{\"seed\": %llu}", (unsigned long long)seed);
    assert_int_equal(igmopt_sampler_new(&s, "RandomSampler", options), IGMOPT_OK);
    if (igmopt_study_create(&study, f->st, name, dirs, n, s, NULL, 0) != IGMOPT_OK)
        fail_msg("study_create: %s", igmopt_errmsg());
    igmopt_sampler_free(s);
    return study;
}

static igmopt_trial *ask(igmopt_study *study)
{
    igmopt_trial *t;
    if (igmopt_study_ask(study, &t) != IGMOPT_OK)
        fail_msg("ask: %s", igmopt_errmsg());
    return t;
}

static char *trials_text(igmopt_study *study)
{
    char *json;
    assert_int_equal(igmopt_study_trials_json(study, &json), IGMOPT_OK);
    return json;
}

static json_t *trials(igmopt_study *study)
{
    char *text = trials_text(study);
    json_t *root = tjr_parse(text);
    if (!root)
        fail_msg("trials JSON does not parse: %s", text);
    igmopt_free(text);
    return root;
}

static json_t *best_trials(igmopt_study *study)
{
    char *text;
    json_t *root;
    assert_int_equal(igmopt_study_best_trials_json(study, &text), IGMOPT_OK);
    root = tjr_parse(text);
    assert_non_null(root);
    igmopt_free(text);
    return root;
}

static void tell_one(igmopt_study *study, igmopt_trial *t, double value)
{
    if (igmopt_study_tell(study, t, IGMOPT_COMPLETE, &value, 1) != IGMOPT_OK)
        fail_msg("tell: %s", igmopt_errmsg());
}

static void add_completed(igmopt_study *study, const double *values, size_t n)
{
    igmopt_trial *t = ask(study);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, values, n), IGMOPT_OK);
    igmopt_trial_free(t);
}

static void assert_errmsg_names(const char *what)
{
    if (!strstr(igmopt_errmsg(), what))
        fail_msg("error message \"%s\" does not name '%s'", igmopt_errmsg(), what);
}

/* "YYYY-MM-DD HH:MM:SS.ffffff" */
static void assert_datetime_text(const json_t *v)
{
    const char *s = json_string_value(v);
    int y, mo, d, h, mi, sec, us, n = 0;
    assert_non_null(s);
    assert_int_equal(strlen(s), 26);
    assert_int_equal(sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d.%6d%n", &y, &mo, &d, &h, &mi, &sec, &us,
                            &n), 7);
    assert_int_equal(n, 26);
}

/* ---- life cycle ------------------------------------------------------- */

static void ask_suggest_tell_records_a_complete_trial(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "life", MINIMIZE, 1, 1);
    igmopt_trial *t = ask(study);
    double x;
    int64_t n;
    size_t c;
    json_t *all, *trial;
    assert_int_equal(igmopt_trial_number(t), 0);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", -10, 10, 0, 0, &x), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "n", 1, 5, 1, 0, &n), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[\"a\", \"b\"]", &c), IGMOPT_OK);
    assert_true(x >= -10 && x < 10);
    assert_true(n >= 1 && n <= 5);
    assert_true(c <= 1);

    all = trials(study);
    trial = tjr_trial(all, 0);
    assert_string_equal(tjr_state(trial), "RUNNING");
    assert_true(json_is_null(json_object_get(trial, "values")));
    assert_true(json_is_null(json_object_get(trial, "datetime_complete")));
    assert_datetime_text(json_object_get(trial, "datetime_start"));
    json_decref(all);

    tell_one(study, t, 1.5);
    all = trials(study);
    assert_int_equal(json_array_size(all), 1);
    trial = tjr_trial(all, 0);
    assert_string_equal(tjr_state(trial), "COMPLETE");
    assert_int_equal(json_array_size(json_object_get(trial, "values")), 1);
    assert_true(tjr_number(json_array_get(json_object_get(trial, "values"), 0)) == 1.5);
    assert_true(json_real_value(tjr_param(trial, "x")) == x);
    assert_int_equal(json_integer_value(tjr_param(trial, "n")), n);
    assert_string_equal(json_string_value(tjr_param(trial, "c")), c ? "b" : "a");
    assert_datetime_text(json_object_get(trial, "datetime_complete"));
    assert_true(strcmp(json_string_value(json_object_get(trial, "datetime_start")),
                       json_string_value(json_object_get(trial, "datetime_complete"))) <= 0);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void same_name_suggested_twice_returns_the_first_value(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "twice", MINIMIZE, 1, 2);
    igmopt_trial *t = ask(study);
    double x1, x2;
    int64_t n1, n2;
    size_t c1, c2;
    json_t *all;
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x1), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x2), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "n", 0, 1000, 1, 0, &n1), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "n", 0, 1000, 1, 0, &n2), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[1, 2, 3, 4, 5, 6, 7]", &c1),
                     IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[1, 2, 3, 4, 5, 6, 7]", &c2),
                     IGMOPT_OK);
    assert_true(x1 == x2);
    assert_int_equal(n1, n2);
    assert_int_equal(c1, c2);
    all = trials(study);
    assert_int_equal(tjr_n_params(tjr_trial(all, 0)), 3);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void same_name_with_another_kind_is_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "kinds", MINIMIZE, 1, 3);
    igmopt_trial *t = ask(study);
    double x;
    int64_t n;
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "x", 0, 1, 1, 0, &n), IGMOPT_EINVAL);
    assert_errmsg_names("x");
    tell_one(study, t, 0);
    igmopt_trial_free(t);
    /* A later trial must keep the kind too (Optuna's compatibility rule). */
    t = ask(study);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0.5, 1, 0, 1, &x), IGMOPT_EINVAL);
    assert_errmsg_names("x");
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void enqueued_params_are_used_first_and_in_order(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "enqueue", MINIMIZE, 1, 4);
    igmopt_trial *t;
    double x, y;
    int64_t n;
    size_t c;
    json_t *all, *fixed;
    assert_int_equal(igmopt_study_enqueue(study, "{\"x\": 0.25, \"n\": 3, \"c\": \"b\"}"),
                     IGMOPT_OK);
    assert_int_equal(igmopt_study_enqueue(study, "{\"x\": 0.75, \"n\": 4, \"c\": \"a\"}"),
                     IGMOPT_OK);
    all = trials(study);
    assert_int_equal(json_array_size(all), 2);
    assert_string_equal(tjr_state(tjr_trial(all, 0)), "WAITING");
    assert_true(json_is_null(json_object_get(tjr_trial(all, 0), "datetime_start")));
    fixed = json_object_get(json_object_get(tjr_trial(all, 1), "system_attrs"), "fixed_params");
    assert_true(json_real_value(json_object_get(fixed, "x")) == 0.75);
    assert_string_equal(json_string_value(json_object_get(fixed, "c")), "a");
    json_decref(all);

    t = ask(study);
    assert_int_equal(igmopt_trial_number(t), 0);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "n", 1, 10, 1, 0, &n), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[\"a\", \"b\"]", &c), IGMOPT_OK);
    assert_true(x == 0.25);
    assert_int_equal(n, 3);
    assert_int_equal(c, 1);
    /* A name the queue does not fix is sampled. */
    assert_int_equal(igmopt_trial_suggest_float(t, "y", 5, 6, 0, 0, &y), IGMOPT_OK);
    assert_true(y >= 5 && y < 6);
    tell_one(study, t, x);
    igmopt_trial_free(t);

    t = ask(study);
    assert_int_equal(igmopt_trial_number(t), 1);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "n", 1, 10, 1, 0, &n), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[\"a\", \"b\"]", &c), IGMOPT_OK);
    assert_true(x == 0.75);
    assert_int_equal(n, 4);
    assert_int_equal(c, 0);
    igmopt_trial_free(t);

    t = ask(study);
    assert_int_equal(igmopt_trial_number(t), 2);
    all = trials(study);
    assert_null(json_object_get(json_object_get(tjr_trial(all, 2), "system_attrs"),
                                "fixed_params"));
    assert_string_equal(tjr_state(tjr_trial(all, 1)), "RUNNING");
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

/* Running and finished trials count against the budget, WAITING ones do
 * not; a refused ask starts nothing and leaves the queue as it was. */
static void ask_capped_stops_at_the_budget(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "capped", MINIMIZE, 1, 5);
    igmopt_trial *running, *t = NULL;
    json_t *all;
    assert_int_equal(igmopt_study_enqueue(study, "{\"x\": 0.5}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_ask_capped(study, 3, &running), IGMOPT_OK);
    assert_int_equal(igmopt_trial_number(running), 0); /* the enqueued one */
    add_completed(study, (const double[]){1.0}, 1);
    assert_int_equal(igmopt_study_enqueue(study, "{\"x\": 0.25}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_ask_capped(study, 3, &t), IGMOPT_OK);
    assert_int_equal(igmopt_trial_number(t), 2);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_FAIL, NULL, 0), IGMOPT_OK);
    igmopt_trial_free(t);
    assert_int_equal(igmopt_study_enqueue(study, "{\"x\": 0.75}"), IGMOPT_OK);
    t = running;
    assert_int_equal(igmopt_study_ask_capped(study, 3, &t), IGMOPT_ELIMIT);
    assert_null(t);
    assert_errmsg_names("budget of 3");
    all = trials(study);
    assert_int_equal(json_array_size(all), 4);
    assert_string_equal(tjr_state(tjr_trial(all, 0)), "RUNNING");
    assert_string_equal(tjr_state(tjr_trial(all, 3)), "WAITING");
    json_decref(all);
    /* A budget of 0 is none: the queue goes on. */
    assert_int_equal(igmopt_study_ask_capped(study, 0, &t), IGMOPT_OK);
    assert_int_equal(igmopt_trial_number(t), 3);
    igmopt_trial_free(t);
    igmopt_trial_free(running);
    igmopt_study_close(study);
}

/* Only a trial whose heartbeat is older than the grace period is failed;
 * one that never beat, or beat recently, keeps running. */
static void stale_heartbeats_fail_only_their_trials(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "heartbeat", MINIMIZE, 1, 6);
    igmopt_trial *old = ask(study), *never = ask(study), *fresh = ask(study);
    char *numbers;
    double v = 1.0;
    json_t *all;
    /* Heartbeats are whole seconds: the fresh one is under 1 s old, the old
     * one at least 1.2 s. */
    assert_int_equal(igmopt_trial_heartbeat(old), IGMOPT_OK);
    usleep(1200 * 1000);
    assert_int_equal(igmopt_trial_heartbeat(fresh), IGMOPT_OK);
    assert_int_equal(igmopt_study_fail_stale_trials(study, 1.05, &numbers), IGMOPT_OK);
    assert_string_equal(numbers, "[0]");
    igmopt_free(numbers);
    all = trials(study);
    assert_string_equal(tjr_state(tjr_trial(all, 0)), "FAIL");
    assert_non_null(json_string_value(json_object_get(tjr_trial(all, 0), "datetime_complete")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(
                            tjr_trial(all, 0), "system_attrs"), "fail_reason")),
                        "stale: no heartbeat for over 1.05 s (its worker stopped)");
    assert_string_equal(tjr_state(tjr_trial(all, 1)), "RUNNING");
    assert_string_equal(tjr_state(tjr_trial(all, 2)), "RUNNING");
    json_decref(all);
    /* The worker that comes back late cannot change what was recorded. */
    assert_int_equal(igmopt_trial_heartbeat(old), IGMOPT_ESTATE);
    assert_int_equal(igmopt_study_tell(study, old, IGMOPT_COMPLETE, &v, 1), IGMOPT_ESTATE);
    assert_int_equal(igmopt_study_fail_stale_trials(study, 1.05, NULL), IGMOPT_OK);
    assert_int_equal(igmopt_study_fail_stale_trials(study, 0, NULL), IGMOPT_EINVAL);
    assert_errmsg_names("grace_seconds");
    assert_int_equal(igmopt_study_fail_stale_trials(study, NAN, NULL), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_heartbeat(NULL), IGMOPT_EINVAL);
    igmopt_trial_free(old);
    igmopt_trial_free(never);
    igmopt_trial_free(fresh);
    igmopt_study_close(study);
}

static void enqueue_of_bad_json_is_einval_and_queues_nothing(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "badqueue", MINIMIZE, 1, 5);
    json_t *all;
    assert_int_equal(igmopt_study_enqueue(study, "{\"x\": "), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_enqueue(study, "[1, 2]"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_enqueue(study, NULL), IGMOPT_EINVAL);
    all = trials(study);
    assert_int_equal(json_array_size(all), 0);
    json_decref(all);
    igmopt_study_close(study);
}

static void enqueued_value_outside_the_distribution_is_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "outside", MINIMIZE, 1, 6);
    igmopt_trial *t;
    double x;
    size_t c;
    json_t *all;
    assert_int_equal(igmopt_study_enqueue(study, "{\"x\": 7.5, \"c\": \"zz\"}"), IGMOPT_OK);
    t = ask(study);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), IGMOPT_EINVAL);
    assert_errmsg_names("x");
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[\"a\"]", &c), IGMOPT_EINVAL);
    assert_errmsg_names("c");
    all = trials(study);
    assert_int_equal(tjr_n_params(tjr_trial(all, 0)), 0);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void load_if_exists_continues_the_study(void **state)
{
    fixture *f = *state;
    igmopt_study *first = create_study(f, "again", MINIMIZE, 1, 7), *second, *loaded;
    igmopt_trial *t = ask(first);
    json_t *all;
    tell_one(first, t, 2.0);
    igmopt_trial_free(t);

    assert_int_equal(igmopt_study_create(&second, f->st, "again", MINIMIZE, 1, NULL, NULL, 0),
                     IGMOPT_EEXISTS);
    assert_null(second);
    assert_errmsg_names("again");
    assert_int_equal(igmopt_study_create(&second, f->st, "again", MINIMIZE, 1, NULL, NULL, 1),
                     IGMOPT_OK);
    t = ask(second);
    assert_int_equal(igmopt_trial_number(t), 1);
    tell_one(second, t, 1.0);
    igmopt_trial_free(t);

    assert_int_equal(igmopt_study_load(&loaded, f->st, "again", NULL, NULL), IGMOPT_OK);
    all = trials(loaded);
    assert_int_equal(json_array_size(all), 2);
    assert_string_equal(tjr_state(tjr_trial(all, 1)), "COMPLETE");
    json_decref(all);
    all = trials(first);
    assert_int_equal(json_array_size(all), 2);
    json_decref(all);
    igmopt_study_close(loaded);
    igmopt_study_close(second);
    igmopt_study_close(first);
}

static void load_if_exists_with_other_directions_is_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *first = create_study(f, "dirs", MINIMIZE, 1, 8), *other;
    assert_int_equal(igmopt_study_create(&other, f->st, "dirs", MAXIMIZE, 1, NULL, NULL, 1),
                     IGMOPT_EINVAL);
    assert_null(other);
    assert_errmsg_names("dirs");
    assert_int_equal(igmopt_study_create(&other, f->st, "dirs", MIN_MAX, 2, NULL, NULL, 1),
                     IGMOPT_EINVAL);
    assert_null(other);
    igmopt_study_close(first);
}

static void load_of_a_missing_study_is_enotfound(void **state)
{
    fixture *f = *state;
    igmopt_study *study;
    assert_int_equal(igmopt_study_load(&study, f->st, "nowhere", NULL, NULL), IGMOPT_ENOTFOUND);
    assert_null(study);
    assert_errmsg_names("nowhere");
}

static void bad_study_arguments_are_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study;
    const igmopt_direction bad[] = {(igmopt_direction)3};
    char long_name[600];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(igmopt_study_create(&study, f->st, "s", MINIMIZE, 0, NULL, NULL, 0),
                     IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_create(&study, f->st, "s", NULL, 1, NULL, NULL, 0),
                     IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_create(&study, f->st, "s", bad, 1, NULL, NULL, 0),
                     IGMOPT_EINVAL);
    assert_errmsg_names("directions");
    assert_int_equal(igmopt_study_create(&study, f->st, "", MINIMIZE, 1, NULL, NULL, 0),
                     IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_create(&study, f->st, long_name, MINIMIZE, 1, NULL, NULL, 0),
                     IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_create(&study, NULL, "s", MINIMIZE, 1, NULL, NULL, 0),
                     IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_create(NULL, f->st, "s", MINIMIZE, 1, NULL, NULL, 0),
                     IGMOPT_EINVAL);
    /* Nothing was created by any of these. */
    assert_int_equal(igmopt_study_load(&study, f->st, "s", NULL, NULL), IGMOPT_ENOTFOUND);
}

static void study_names_and_delete(void **state)
{
    fixture *f = *state;
    igmopt_study *a = create_study(f, "alpha", MINIMIZE, 1, 9);
    igmopt_study *b = create_study(f, "beta", MIN_MAX, 2, 9), *gone;
    igmopt_trial *t = ask(a);
    char *names;
    tell_one(a, t, 1.0);
    igmopt_trial_free(t);
    igmopt_study_close(a);
    igmopt_study_close(b);
    assert_int_equal(igmopt_study_names_json(f->st, &names), IGMOPT_OK);
    assert_string_equal(names, "[\"alpha\", \"beta\"]");
    igmopt_free(names);
    assert_int_equal(igmopt_study_delete(f->st, "alpha"), IGMOPT_OK);
    assert_int_equal(igmopt_study_delete(f->st, "alpha"), IGMOPT_ENOTFOUND);
    assert_int_equal(igmopt_study_names_json(f->st, &names), IGMOPT_OK);
    assert_string_equal(names, "[\"beta\"]");
    igmopt_free(names);
    assert_int_equal(igmopt_study_load(&gone, f->st, "alpha", NULL, NULL), IGMOPT_ENOTFOUND);
}

static void default_study_name_is_no_name_uuid4(void **state)
{
    fixture *f = *state;
    igmopt_study *study;
    char *names;
    json_t *list;
    const char *name;
    assert_int_equal(igmopt_study_create(&study, f->st, NULL, MINIMIZE, 1, NULL, NULL, 0),
                     IGMOPT_OK);
    assert_int_equal(igmopt_study_names_json(f->st, &names), IGMOPT_OK);
    list = tjr_parse(names);
    name = json_string_value(json_array_get(list, 0));
    assert_non_null(name);
    assert_int_equal(strlen(name), strlen("no-name-") + 36);
    assert_memory_equal(name, "no-name-", 8);
    assert_int_equal(name[8 + 14], '4'); /* uuid version nibble */
    json_decref(list);
    igmopt_free(names);
    igmopt_study_close(study);
}

static void set_metric_names_needs_one_per_objective(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "metrics", MIN_MAX, 2, 10);
    const char *two[] = {"loss", "acc"}, *one[] = {"loss"};
    assert_int_equal(igmopt_study_set_metric_names(study, two, 2), IGMOPT_OK);
    assert_int_equal(igmopt_study_set_metric_names(study, one, 1), IGMOPT_EINVAL);
    assert_errmsg_names("1 given");
    assert_int_equal(igmopt_study_set_metric_names(study, two, 3), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_set_metric_names(study, NULL, 2), IGMOPT_EINVAL);
    igmopt_study_close(study);
}

static void user_attrs_round_trip_and_bad_json_is_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "attrs", MINIMIZE, 1, 11);
    igmopt_trial *t = ask(study);
    json_t *all, *attrs;
    assert_int_equal(igmopt_study_set_user_attr(study, "owner", "\"glacier\""), IGMOPT_OK);
    assert_int_equal(igmopt_study_set_user_attr(study, "owner", "{"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_set_user_attr(study, "", "1"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_set_user_attr(t, "shape", "{\"a\": [1, 2.5, null]}"),
                     IGMOPT_OK);
    assert_int_equal(igmopt_trial_set_user_attr(t, "shape", "[1,"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_set_user_attr(t, "n", "3"), IGMOPT_OK);
    assert_int_equal(igmopt_trial_set_user_attr(t, "n", "4"), IGMOPT_OK);
    all = trials(study);
    attrs = json_object_get(tjr_trial(all, 0), "user_attrs");
    assert_int_equal(json_object_size(attrs), 2);
    assert_int_equal(json_integer_value(json_object_get(attrs, "n")), 4);
    assert_true(json_real_value(json_array_get(
                    json_object_get(json_object_get(attrs, "shape"), "a"), 1)) == 2.5);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

/* ---- tell ------------------------------------------------------------- */

static void assert_failed_with_reason(igmopt_study *study, int64_t number, const char *reason)
{
    json_t *all = trials(study), *trial = tjr_trial(all, number);
    const char *got = json_string_value(
        json_object_get(json_object_get(trial, "system_attrs"), "fail_reason"));
    assert_string_equal(tjr_state(trial), "FAIL");
    assert_true(json_is_null(json_object_get(trial, "values")));
    assert_datetime_text(json_object_get(trial, "datetime_complete"));
    assert_non_null(got);
    if (!strstr(got, reason))
        fail_msg("fail_reason \"%s\" does not mention \"%s\"", got, reason);
    json_decref(all);
}

static void tell_nan_records_fail_with_reason(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "nan", MINIMIZE, 1, 12);
    igmopt_trial *t = ask(study);
    double nan_value = NAN;
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, &nan_value, 1),
                     IGMOPT_ETRIALFAIL);
    assert_failed_with_reason(study, 0, "nan");
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void tell_wrong_number_of_values_records_fail_with_reason(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "count", MIN_MAX, 2, 13);
    igmopt_trial *t = ask(study), *u = ask(study);
    double values[3] = {1, 2, 3};
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, values, 3), IGMOPT_ETRIALFAIL);
    assert_failed_with_reason(study, 0, "number of the values");
    assert_int_equal(igmopt_study_tell(study, u, IGMOPT_COMPLETE, values, 1), IGMOPT_ETRIALFAIL);
    assert_failed_with_reason(study, 1, "number of the values");
    igmopt_trial_free(t);
    igmopt_trial_free(u);
    igmopt_study_close(study);
}

static void tell_on_a_finished_trial_is_estate_and_changes_nothing(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "finished", MINIMIZE, 1, 14);
    igmopt_trial *t = ask(study);
    double two = 2.0, x;
    char *before, *after;
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), IGMOPT_OK);
    tell_one(study, t, 1.0);
    before = trials_text(study);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, &two, 1), IGMOPT_ESTATE);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_FAIL, NULL, 0), IGMOPT_ESTATE);
    assert_int_equal(igmopt_study_tell_number(study, 0, IGMOPT_PRUNED, NULL, 0), IGMOPT_ESTATE);
    assert_int_equal(igmopt_trial_suggest_float(t, "y", 0, 1, 0, 0, &x), IGMOPT_ESTATE);
    assert_int_equal(igmopt_trial_report(t, 1, 0.5), IGMOPT_ESTATE);
    assert_int_equal(igmopt_trial_set_user_attr(t, "k", "1"), IGMOPT_ESTATE);
    after = trials_text(study);
    assert_string_equal(before, after);
    igmopt_free(before);
    igmopt_free(after);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void tell_bad_state_or_values_for_state_is_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "badtell", MINIMIZE, 1, 15);
    igmopt_trial *t = ask(study);
    double one = 1.0;
    json_t *all;
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_RUNNING, NULL, 0), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_WAITING, NULL, 0), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_FAIL, &one, 1), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_tell(study, NULL, IGMOPT_FAIL, NULL, 0), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_tell_number(study, 99, IGMOPT_FAIL, NULL, 0),
                     IGMOPT_ENOTFOUND);
    all = trials(study);
    assert_string_equal(tjr_state(tjr_trial(all, 0)), "RUNNING");
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void tell_number_finishes_a_reopened_trial(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "reopen", MINIMIZE, 1, 16);
    igmopt_trial *t = ask(study), *again;
    double x, x_again, value = -INFINITY;
    json_t *all;
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), IGMOPT_OK);
    assert_int_equal(igmopt_study_trial(study, 0, &again), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_float(again, "x", 0, 1, 0, 0, &x_again), IGMOPT_OK);
    assert_true(x == x_again);
    assert_int_equal(igmopt_study_tell_number(study, 0, IGMOPT_COMPLETE, &value, 1), IGMOPT_OK);
    all = trials(study);
    assert_string_equal(tjr_state(tjr_trial(all, 0)), "COMPLETE");
    assert_true(tjr_number(json_array_get(json_object_get(tjr_trial(all, 0), "values"), 0)) ==
                -INFINITY);
    json_decref(all);
    igmopt_trial_free(again);
    assert_int_equal(igmopt_study_trial(study, 5, &again), IGMOPT_ENOTFOUND);
    assert_null(again);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

/* ---- bad suggest arguments ---------------------------------------------- */

static void assert_nothing_suggested(igmopt_study *study)
{
    json_t *all = trials(study);
    assert_int_equal(tjr_n_params(tjr_trial(all, 0)), 0);
    json_decref(all);
}

typedef struct bad_float {
    const char *name;
    double low, high, step;
    int log;
} bad_float;

static void bad_float_arguments_are_einval_naming_the_parameter(void **state)
{
    static const bad_float cases[] = {
        {"log_low_zero", 0, 1, 0, 1},
        {"log_low_negative", -1, 1, 0, 1},
        {"step_with_log", 1, 10, 0.5, 1},
        {"low_above_high", 2, 1, 0, 0},
        {"negative_step", 0, 1, -0.1, 0},
        {"nan_low", NAN, 1, 0, 0},
        {"infinite_high", 0, INFINITY, 0, 0},
    };
    fixture *f = *state;
    igmopt_study *study = create_study(f, "badfloat", MINIMIZE, 1, 17);
    igmopt_trial *t = ask(study);
    double x = 42;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const bad_float *c = &cases[i];
        assert_int_equal(igmopt_trial_suggest_float(t, c->name, c->low, c->high, c->step,
                                                    c->log, &x),
                         IGMOPT_EINVAL);
        assert_errmsg_names(c->name);
    }
    assert_nothing_suggested(study);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

typedef struct bad_int {
    const char *name;
    int64_t low, high, step;
    int log;
} bad_int;

static void bad_int_arguments_are_einval_naming_the_parameter(void **state)
{
    static const bad_int cases[] = {
        {"log_low_zero", 0, 10, 1, 1},
        {"step_with_log", 1, 10, 2, 1},
        {"low_above_high", 5, 1, 1, 0},
        {"zero_step", 0, 10, 0, 0},
        {"range_overflows_int64", INT64_MIN, INT64_MAX, 1, 0},
        {"range_overflows_by_one", -1, INT64_MAX, 1, 0},
    };
    fixture *f = *state;
    igmopt_study *study = create_study(f, "badint", MINIMIZE, 1, 18);
    igmopt_trial *t = ask(study);
    int64_t n = 42;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const bad_int *c = &cases[i];
        assert_int_equal(igmopt_trial_suggest_int(t, c->name, c->low, c->high, c->step, c->log,
                                                  &n),
                         IGMOPT_EINVAL);
        assert_errmsg_names(c->name);
    }
    assert_nothing_suggested(study);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void bad_choices_are_einval_naming_the_parameter(void **state)
{
    static const char *const cases[][2] = {
        {"empty", "[]"},
        {"truncated", "[1, 2"},
        {"object", "{\"a\": 1}"},
        {"scalar", "1"},
        {"nested_array", "[[1], 2]"},
        {"nested_object", "[{\"a\": 1}]"},
        {"not_json", "a, b"},
    };
    fixture *f = *state;
    igmopt_study *study = create_study(f, "badchoices", MINIMIZE, 1, 19);
    igmopt_trial *t = ask(study);
    size_t index = 42;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(igmopt_trial_suggest_categorical(t, cases[i][0], cases[i][1], &index),
                         IGMOPT_EINVAL);
        assert_errmsg_names(cases[i][0]);
    }
    assert_int_equal(igmopt_trial_suggest_categorical(t, "null_choices", NULL, &index),
                     IGMOPT_EINVAL);
    assert_errmsg_names("null_choices");
    assert_nothing_suggested(study);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void bad_parameter_names_and_outputs_are_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "badnames", MINIMIZE, 1, 20);
    igmopt_trial *t = ask(study);
    char long_name[600];
    double x;
    memset(long_name, 'p', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(igmopt_trial_suggest_float(t, "", 0, 1, 0, 0, &x), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_suggest_float(t, NULL, 0, 1, 0, 0, &x), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_suggest_float(t, long_name, 0, 1, 0, 0, &x), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, NULL), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_suggest_float(NULL, "x", 0, 1, 0, 0, &x), IGMOPT_EINVAL);
    assert_nothing_suggested(study);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

/* ---- distributions ------------------------------------------------------ */

static void float_step_high_is_normalised_down(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "norm", MINIMIZE, 1, 21);
    igmopt_trial *t = ask(study);
    double x;
    int64_t n;
    json_t *all, *trial;
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0.3, 0, &x), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "n", 0, 10, 3, 0, &n), IGMOPT_OK);
    all = trials(study);
    trial = tjr_trial(all, 0);
    /* Optuna computes high in decimal: exactly 0.9, not 3 * 0.3. */
    assert_true(json_real_value(tjr_distribution_attr(trial, "x", "high")) == 0.9);
    assert_true(json_real_value(tjr_distribution_attr(trial, "x", "step")) == 0.3);
    assert_int_equal(json_integer_value(tjr_distribution_attr(trial, "n", "high")), 9);
    assert_int_equal(n % 3, 0);
    assert_true(n >= 0 && n <= 9);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void float_step_exact_multiple_keeps_high_and_nine_values(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "angles", MINIMIZE, 1, 22);
    igmopt_trial *t = ask(study);
    const double low = -M_PI / 4, high = 15 * M_PI / 4, step = M_PI / 2;
    int seen[9] = {0};
    char name[16];
    json_t *all;
    /* 300 draws from 9 values: a seeded sampler hits each of them. */
    for (int i = 0; i < 300; i++) {
        double x, k;
        snprintf(name, sizeof name, "a%d", i);
        assert_int_equal(igmopt_trial_suggest_float(t, name, low, high, step, 0, &x), IGMOPT_OK);
        k = (x - low) / step;
        assert_true(fabs(k - nearbyint(k)) < 1e-9);
        assert_true(k > -0.5 && k < 8.5);
        seen[(int)nearbyint(k)] = 1;
    }
    for (int k = 0; k < 9; k++)
        assert_true(seen[k]);
    all = trials(study);
    assert_true(json_real_value(tjr_distribution_attr(tjr_trial(all, 0), "a0", "high")) == high);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void single_value_distributions_return_it(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "single", MINIMIZE, 1, 23);
    igmopt_trial *t = ask(study);
    double x;
    int64_t n;
    size_t c;
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 2.5, 2.5, 0, 0, &x), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "n", 7, 7, 1, 0, &n), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[\"only\"]", &c), IGMOPT_OK);
    assert_true(x == 2.5);
    assert_int_equal(n, 7);
    assert_int_equal(c, 0);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static const char CHOICES[] = "[true, 1, 1.0, \"1\", null, \"a\"]";

static void categorical_choices_of_every_json_type_are_distinct(void **state)
{
    static const char *const fixed[] = {"true", "1", "1.0", "\"1\"", "null", "\"a\""};
    fixture *f = *state;
    igmopt_study *study = create_study(f, "types", MINIMIZE, 1, 24);
    json_t *all, *choices;
    char queued[64];
    for (size_t i = 0; i < 6; i++) {
        snprintf(queued, sizeof queued, "{\"c\": %s}", fixed[i]);
        assert_int_equal(igmopt_study_enqueue(study, queued), IGMOPT_OK);
    }
    for (size_t i = 0; i < 6; i++) {
        igmopt_trial *t = ask(study);
        size_t index = 99;
        assert_int_equal(igmopt_trial_suggest_categorical(t, "c", CHOICES, &index), IGMOPT_OK);
        assert_int_equal(index, i);
        tell_one(study, t, (double)i);
        igmopt_trial_free(t);
    }
    all = trials(study);
    assert_true(json_is_true(tjr_param(tjr_trial(all, 0), "c")));
    assert_true(json_is_integer(tjr_param(tjr_trial(all, 1), "c")));
    assert_int_equal(json_integer_value(tjr_param(tjr_trial(all, 1), "c")), 1);
    assert_true(json_is_real(tjr_param(tjr_trial(all, 2), "c")));
    assert_true(json_real_value(tjr_param(tjr_trial(all, 2), "c")) == 1.0);
    assert_string_equal(json_string_value(tjr_param(tjr_trial(all, 3), "c")), "1");
    assert_true(json_is_null(tjr_param(tjr_trial(all, 4), "c")));
    assert_string_equal(json_string_value(tjr_param(tjr_trial(all, 5), "c")), "a");
    choices = tjr_distribution_attr(tjr_trial(all, 5), "c", "choices");
    assert_int_equal(json_array_size(choices), 6);
    assert_true(json_is_true(json_array_get(choices, 0)));
    assert_true(json_is_integer(json_array_get(choices, 1)));
    assert_true(json_is_real(json_array_get(choices, 2)));
    assert_true(json_is_string(json_array_get(choices, 3)));
    assert_true(json_is_null(json_array_get(choices, 4)));
    json_decref(all);
    igmopt_study_close(study);
}

static void categorical_with_other_choices_later_is_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "choices", MINIMIZE, 1, 25);
    igmopt_trial *t = ask(study);
    size_t c;
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", CHOICES, &c), IGMOPT_OK);
    tell_one(study, t, 0);
    igmopt_trial_free(t);
    t = ask(study);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[true, 1]", &c), IGMOPT_EINVAL);
    assert_errmsg_names("c");
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

/* ---- samplers and pruners ---------------------------------------------- */

#define N_DRAWS 8

typedef struct draws {
    double x[N_DRAWS], lr[N_DRAWS];
    int64_t n[N_DRAWS], k[N_DRAWS];
    size_t c[N_DRAWS];
} draws;

static void draw_sequence(fixture *f, const char *name, uint64_t seed, draws *out)
{
    igmopt_study *study = create_study(f, name, MINIMIZE, 1, seed);
    for (int i = 0; i < N_DRAWS; i++) {
        igmopt_trial *t = ask(study);
        assert_int_equal(igmopt_trial_suggest_float(t, "x", -3, 3, 0, 0, &out->x[i]), IGMOPT_OK);
        assert_int_equal(igmopt_trial_suggest_float(t, "lr", 1e-5, 1, 0, 1, &out->lr[i]),
                         IGMOPT_OK);
        assert_int_equal(igmopt_trial_suggest_int(t, "n", -100, 100, 1, 0, &out->n[i]),
                         IGMOPT_OK);
        assert_int_equal(igmopt_trial_suggest_int(t, "k", 1, 1000, 1, 1, &out->k[i]), IGMOPT_OK);
        assert_int_equal(igmopt_trial_suggest_categorical(t, "c", CHOICES, &out->c[i]),
                         IGMOPT_OK);
        tell_one(study, t, out->x[i]);
        igmopt_trial_free(t);
    }
    igmopt_study_close(study);
}

static void random_sampler_same_seed_gives_the_same_sequence(void **state)
{
    fixture *f = *state;
    draws a, b, other;
    draw_sequence(f, "seed-a", 1234, &a);
    draw_sequence(f, "seed-b", 1234, &b);
    draw_sequence(f, "seed-other", 1235, &other);
    assert_memory_equal(a.x, b.x, sizeof a.x);
    assert_memory_equal(a.lr, b.lr, sizeof a.lr);
    assert_memory_equal(a.n, b.n, sizeof a.n);
    assert_memory_equal(a.k, b.k, sizeof a.k);
    assert_memory_equal(a.c, b.c, sizeof a.c);
    assert_memory_not_equal(a.x, other.x, sizeof a.x);
    for (int i = 0; i < N_DRAWS; i++) {
        assert_true(a.lr[i] >= 1e-5 && a.lr[i] < 1);
        assert_true(a.k[i] >= 1 && a.k[i] <= 1000);
        assert_true(a.c[i] < 6);
    }
}

static void samplers_not_built_yet_are_eunavailable(void **state)
{
    static const char *const later[] = {"CmaEsSampler", "GPSampler"};
    igmopt_sampler *s = (igmopt_sampler *)&s;
    for (size_t i = 0; i < sizeof later / sizeof *later; i++) {
        assert_int_equal(igmopt_sampler_new(&s, later[i], NULL), IGMOPT_EUNAVAILABLE);
        assert_null(s);
        assert_errmsg_names(later[i]);
        assert_errmsg_names("not available yet");
    }
}

static void unknown_sampler_and_pruner_names_are_einval(void **state)
{
    igmopt_sampler *s;
    igmopt_pruner *p;
    assert_int_equal(igmopt_sampler_new(&s, "FooSampler", NULL), IGMOPT_EINVAL);
    assert_null(s);
    assert_errmsg_names("FooSampler");
    assert_int_equal(igmopt_sampler_new(&s, "randomsampler", NULL), IGMOPT_EINVAL);
    assert_int_equal(igmopt_pruner_new(&p, "FooPruner", NULL), IGMOPT_EINVAL);
    assert_null(p);
    assert_errmsg_names("FooPruner");
}

static void pruners_not_built_yet_are_eunavailable(void **state)
{
    static const char *const later[] = {"MedianPruner", "PercentilePruner",
                                        "SuccessiveHalvingPruner", "HyperbandPruner",
                                        "ThresholdPruner", "PatientPruner"};
    igmopt_pruner *p;
    for (size_t i = 0; i < sizeof later / sizeof *later; i++) {
        assert_int_equal(igmopt_pruner_new(&p, later[i], NULL), IGMOPT_EUNAVAILABLE);
        assert_null(p);
        assert_errmsg_names(later[i]);
        assert_errmsg_names("not available yet");
    }
}

static void unknown_or_bad_options_are_einval_naming_them(void **state)
{
    igmopt_sampler *s;
    igmopt_pruner *p;
    assert_int_equal(igmopt_sampler_new(&s, "RandomSampler", "{\"seed\": 1, \"sead\": 2}"),
                     IGMOPT_EINVAL);
    assert_null(s);
    assert_errmsg_names("sead");
    assert_int_equal(igmopt_sampler_new(&s, "RandomSampler", "{\"seed\": \"one\"}"),
                     IGMOPT_EINVAL);
    assert_errmsg_names("seed");
    assert_int_equal(igmopt_sampler_new(&s, "RandomSampler", "[1]"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_sampler_new(&s, "RandomSampler", "{"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_pruner_new(&p, "NopPruner", "{\"n_startup_trials\": 5}"),
                     IGMOPT_EINVAL);
    assert_null(p);
    assert_errmsg_names("n_startup_trials");
    assert_int_equal(igmopt_sampler_new(&s, "RandomSampler", "{\"seed\": null}"), IGMOPT_OK);
    igmopt_sampler_free(s);
    assert_int_equal(igmopt_sampler_new(&s, NULL, NULL), IGMOPT_OK);
    igmopt_sampler_free(s);
    igmopt_sampler_free(NULL);
    igmopt_pruner_free(NULL);
}

/* numpy's RandomState range, which Optuna seeds with the kwarg. */
static void every_seeded_sampler_takes_seeds_from_0_to_2_pow_32_minus_1(void **state)
{
    static const char *const methods[] = {"RandomSampler", "TPESampler", "NSGAIISampler",
                                          "NSGAIIISampler", "QMCSampler", "GridSampler",
                                          "BruteForceSampler"};
    static const char *const bad[] = {"-1", "4294967296"}, *const good[] = {"0", "4294967295"};
    char kwargs[200];
    igmopt_sampler *s;
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
        const char *grid = strcmp(methods[i], "GridSampler") == 0
                               ? "\"search_space\": {\"x\": [1, 2]}, " : "";
        for (size_t j = 0; j < 2; j++) {
            snprintf(kwargs, sizeof kwargs, "{%s\"seed\": %s}", grid, bad[j]);
            assert_int_equal(igmopt_sampler_new(&s, methods[i], kwargs), IGMOPT_EINVAL);
            assert_null(s);
            assert_errmsg_names("option 'seed' must be between 0 and 2**32 - 1");
            assert_errmsg_names(bad[j]);
            snprintf(kwargs, sizeof kwargs, "{%s\"seed\": %s}", grid, good[j]);
            if (igmopt_sampler_new(&s, methods[i], kwargs) != IGMOPT_OK)
                fail_msg("%s %s: %s", methods[i], kwargs, igmopt_errmsg());
            igmopt_sampler_free(s);
        }
    }
}

static void nop_pruner_never_prunes_and_pruned_takes_last_value(void **state)
{
    fixture *f = *state;
    igmopt_pruner *p;
    igmopt_study *study;
    igmopt_trial *t;
    int prune = -1;
    json_t *all, *trial, *iv;
    assert_int_equal(igmopt_pruner_new(&p, "NopPruner", "{}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_create(&study, f->st, "prune", MINIMIZE, 1, NULL, p, 0),
                     IGMOPT_OK);
    igmopt_pruner_free(p);
    t = ask(study);
    assert_int_equal(igmopt_trial_report(t, 0, 10.0), IGMOPT_OK);
    assert_int_equal(igmopt_trial_report(t, 1, NAN), IGMOPT_OK);
    assert_int_equal(igmopt_trial_report(t, 2, INFINITY), IGMOPT_OK);
    assert_int_equal(igmopt_trial_report(t, 3, 1e300), IGMOPT_OK);
    assert_int_equal(igmopt_trial_report(t, 4, 0.25), IGMOPT_OK);
    assert_int_equal(igmopt_trial_report(t, -1, 0.25), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_should_prune(t, &prune), IGMOPT_OK);
    assert_int_equal(prune, 0);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_PRUNED, NULL, 0), IGMOPT_OK);
    all = trials(study);
    trial = tjr_trial(all, 0);
    assert_string_equal(tjr_state(trial), "PRUNED");
    assert_true(tjr_number(json_array_get(json_object_get(trial, "values"), 0)) == 0.25);
    iv = json_object_get(trial, "intermediate_values");
    assert_int_equal(json_object_size(iv), 5);
    assert_true(tjr_number(json_object_get(iv, "0")) == 10.0);
    assert_true(isnan(tjr_number(json_object_get(iv, "1"))));
    assert_true(tjr_number(json_object_get(iv, "2")) == INFINITY);
    assert_true(tjr_number(json_object_get(iv, "3")) == 1e300);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void report_in_a_multi_objective_study_is_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "moreport", MIN_MAX, 2, 26);
    igmopt_trial *t = ask(study);
    int prune;
    assert_int_equal(igmopt_trial_report(t, 0, 1.0), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_should_prune(t, &prune), IGMOPT_EINVAL);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

/* ---- best trials -------------------------------------------------------- */

static int64_t number_at(const json_t *list, size_t i)
{
    return json_integer_value(json_object_get(json_array_get(list, i), "number"));
}

static void best_trial_of_one_objective_orders_infinities(void **state)
{
    fixture *f = *state;
    igmopt_study *min = create_study(f, "best-min", MINIMIZE, 1, 27);
    igmopt_study *max = create_study(f, "best-max", MAXIMIZE, 1, 27);
    const double values[] = {3.0, INFINITY, 1.0, 7.0};
    igmopt_trial *t;
    json_t *best;

    best = best_trials(min);
    assert_int_equal(json_array_size(best), 0);
    json_decref(best);
    for (size_t i = 0; i < 4; i++) {
        add_completed(min, &values[i], 1);
        add_completed(max, &values[i], 1);
    }
    t = ask(min); /* FAIL and RUNNING trials never count */
    assert_int_equal(igmopt_study_tell(min, t, IGMOPT_FAIL, NULL, 0), IGMOPT_OK);
    igmopt_trial_free(t);
    t = ask(min);

    best = best_trials(min);
    assert_int_equal(json_array_size(best), 1);
    assert_int_equal(number_at(best, 0), 2);
    json_decref(best);
    best = best_trials(max);
    assert_int_equal(json_array_size(best), 1);
    assert_int_equal(number_at(best, 0), 1);
    assert_true(tjr_number(json_array_get(json_object_get(json_array_get(best, 0), "values"),
                                          0)) == INFINITY);
    json_decref(best);

    add_completed(min, &(double){-INFINITY}, 1);
    best = best_trials(min);
    assert_int_equal(number_at(best, 0), 6);
    json_decref(best);
    igmopt_trial_free(t);
    igmopt_study_close(min);
    igmopt_study_close(max);
}

static void best_trials_of_two_objectives_is_the_pareto_front(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "pareto", MIN_MAX, 2, 28);
    /* minimize the first, maximize the second */
    const double values[][2] = {
        {1, 1},                  /* 0: front */
        {2, 2},                  /* 1: front */
        {0, -INFINITY},          /* 2: front (best first objective) */
        {INFINITY, INFINITY},    /* 3: front (best second objective) */
        {1, 0},                  /* 4: dominated by 0 */
        {3, 2},                  /* 5: dominated by 1 */
        {1, 1},                  /* 6: duplicate of 0, kept as Optuna does */
    };
    json_t *best;
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        add_completed(study, values[i], 2);
    best = best_trials(study);
    assert_int_equal(json_array_size(best), 5);
    assert_int_equal(number_at(best, 0), 0);
    assert_int_equal(number_at(best, 1), 1);
    assert_int_equal(number_at(best, 2), 2);
    assert_int_equal(number_at(best, 3), 3);
    assert_int_equal(number_at(best, 4), 6);
    assert_true(tjr_number(json_array_get(json_object_get(json_array_get(best, 2), "values"),
                                          1)) == -INFINITY);
    json_decref(best);
    igmopt_study_close(study);
}

/* ---- NULL handles --------------------------------------------------------- */

static void null_arguments_are_einval_and_free_accepts_null(void **state)
{
    char *json;
    igmopt_trial *t;
    assert_int_equal(igmopt_study_ask(NULL, &t), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_trials_json(NULL, &json), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_best_trials_json(NULL, &json), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_names_json(NULL, &json), IGMOPT_EINVAL);
    assert_int_equal(igmopt_storage_open(NULL, ":memory:"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_number(NULL), -1);
    igmopt_study_close(NULL);
    igmopt_trial_free(NULL);
    igmopt_storage_close(NULL);
    igmopt_free(NULL);
    assert_string_equal(igmopt_version(), IGMOPT_VERSION_STRING);
}

/* ---- input the user test found (names, values, repeats) ----------------- */

static void invalid_utf8_names_are_einval_and_store_nothing(void **state)
{
    fixture *f = *state;
    const igmopt_direction min = IGMOPT_MINIMIZE;
    const char *bad_metric[] = {"c\xfe"};
    igmopt_study *study = create_study(f, "utf8", MINIMIZE, 1, 1), *other = NULL;
    igmopt_trial *t = ask(study);
    double x = -1;
    json_t *all;
    assert_int_equal(igmopt_study_create(&other, f->st, "bad\xff", &min, 1, NULL, NULL, 0),
                     IGMOPT_EINVAL);
    assert_errmsg_names("study name");
    assert_int_equal(igmopt_trial_suggest_float(t, "x\xff\xfe", 0, 1, 0, 0, &x), IGMOPT_EINVAL);
    assert_errmsg_names("UTF-8");
    assert_true(x == -1);
    assert_int_equal(igmopt_trial_set_user_attr(t, "u\xff", "1"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_trial_set_user_attr(t, "u", "\"\xff\""), IGMOPT_EINVAL);
    assert_int_equal(igmopt_study_set_metric_names(study, bad_metric, 1), IGMOPT_EINVAL);
    assert_errmsg_names("names[0]");
    all = trials(study);
    assert_int_equal(tjr_n_params(tjr_trial(all, 0)), 0);
    assert_int_equal(json_object_size(json_object_get(tjr_trial(all, 0), "user_attrs")), 0);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void int_bounds_beyond_2_pow_53_are_einval(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "bigint", MINIMIZE, 1, 1);
    igmopt_trial *t = ask(study);
    int64_t n = 7;
    const int64_t limit = (int64_t)1 << 53;
    assert_int_equal(igmopt_trial_suggest_int(t, "n", INT64_MAX - 10, INT64_MAX, 1, 0, &n),
                     IGMOPT_EINVAL);
    assert_errmsg_names("'n'");
    assert_int_equal(n, 7);
    assert_int_equal(igmopt_trial_suggest_int(t, "m", limit - 4, limit, 2, 0, &n), IGMOPT_OK);
    assert_true(n >= limit - 4 && n <= limit && n % 2 == 0);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void tell_complete_with_null_values_is_einval_and_keeps_running(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "nullvalues", MINIMIZE, 1, 1);
    igmopt_trial *t = ask(study);
    json_t *all;
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, NULL, 1), IGMOPT_EINVAL);
    assert_errmsg_names("values");
    all = trials(study);
    assert_string_equal(tjr_state(tjr_trial(all, 0)), "RUNNING");
    json_decref(all);
    tell_one(study, t, 2.0);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

static void a_repeated_report_keeps_the_first_value(void **state)
{
    fixture *f = *state;
    igmopt_study *study = create_study(f, "report", MINIMIZE, 1, 1);
    igmopt_trial *t = ask(study);
    json_t *all, *steps;
    assert_int_equal(igmopt_trial_report(t, 0, 1.0), IGMOPT_OK);
    assert_int_equal(igmopt_trial_report(t, 0, 2.0), IGMOPT_OK);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_PRUNED, NULL, 0), IGMOPT_OK);
    all = trials(study);
    steps = json_object_get(tjr_trial(all, 0), "intermediate_values");
    assert_true(tjr_number(json_object_get(steps, "0")) == 1.0);
    assert_true(tjr_number(json_array_get(json_object_get(tjr_trial(all, 0), "values"), 0)) ==
                1.0);
    json_decref(all);
    igmopt_trial_free(t);
    igmopt_study_close(study);
}

/* ---- errors per thread, times in UTC ------------------------------------- */

static void *fail_in_a_thread(void *message_out)
{
    igmopt_sampler *s;
    if (igmopt_sampler_new(&s, "NoSuchSampler", NULL) == IGMOPT_OK)
        igmopt_sampler_free(s);
    snprintf(message_out, 256, "%s", igmopt_errmsg());
    return NULL;
}

static void errmsg_is_the_calling_threads_own(void **state)
{
    igmopt_storage *st;
    char theirs[256];
    pthread_t thread;
    (void)state;
    assert_int_equal(igmopt_storage_open(&st, "postgresql://x"), IGMOPT_EINVAL);
    assert_errmsg_names("postgresql://x");
    assert_int_equal(pthread_create(&thread, NULL, fail_in_a_thread, theirs), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_non_null(strstr(theirs, "NoSuchSampler"));
    assert_null(strstr(theirs, "postgresql"));
    assert_errmsg_names("postgresql://x"); /* this thread's message is untouched */
}

/* Optuna >= 5 writes naive UTC (OPTUNA-STORAGE.md §2.5), whatever TZ says. */
static void datetimes_are_utc_in_any_time_zone(void **state)
{
    igmopt_storage *st;
    igmopt_study *study;
    igmopt_trial *t;
    igmopt_direction dir = IGMOPT_MINIMIZE;
    char expected[64], *json, *at;
    time_t before, after;
    struct tm utc;
    (void)state;
    setenv("TZ", "COT5", 1); /* POSIX form (no tzdata needed): UTC-5 */
    tzset();
    assert_int_equal(igmopt_storage_open(&st, NULL), IGMOPT_OK);
    assert_int_equal(igmopt_study_create(&study, st, "utc", &dir, 1, NULL, NULL, 0),
                     IGMOPT_OK);
    do {
        before = time(NULL);
        assert_int_equal(igmopt_study_ask(study, &t), IGMOPT_OK);
        after = time(NULL);
        if (before != after)
            igmopt_trial_free(t);
    } while (before != after);
    gmtime_r(&before, &utc);
    assert_int_equal(strftime(expected, sizeof expected,
                              "\"datetime_start\": \"%Y-%m-%d %H:%M:%S.", &utc), 39);
    assert_int_equal(igmopt_study_trials_json(study, &json), IGMOPT_OK);
    at = strstr(json, expected);
    if (!at)
        fail_msg("%s not in %s", expected, json);
    igmopt_free(json);
    igmopt_trial_free(t);
    igmopt_study_close(study);
    igmopt_storage_close(st);
    unsetenv("TZ");
    tzset();
}

/* ---- main ---------------------------------------------------------------- */

#define API_TEST(f) cmocka_unit_test_setup_teardown(f, storage_setup, storage_teardown)

int main(void)
{
    const struct CMUnitTest backend_tests[] = {
        API_TEST(ask_suggest_tell_records_a_complete_trial),
        API_TEST(invalid_utf8_names_are_einval_and_store_nothing),
        API_TEST(int_bounds_beyond_2_pow_53_are_einval),
        API_TEST(tell_complete_with_null_values_is_einval_and_keeps_running),
        API_TEST(a_repeated_report_keeps_the_first_value),
        API_TEST(same_name_suggested_twice_returns_the_first_value),
        API_TEST(same_name_with_another_kind_is_einval),
        API_TEST(enqueued_params_are_used_first_and_in_order),
        API_TEST(ask_capped_stops_at_the_budget),
        API_TEST(stale_heartbeats_fail_only_their_trials),
        API_TEST(enqueue_of_bad_json_is_einval_and_queues_nothing),
        API_TEST(enqueued_value_outside_the_distribution_is_einval),
        API_TEST(load_if_exists_continues_the_study),
        API_TEST(load_if_exists_with_other_directions_is_einval),
        API_TEST(load_of_a_missing_study_is_enotfound),
        API_TEST(bad_study_arguments_are_einval),
        API_TEST(study_names_and_delete),
        API_TEST(default_study_name_is_no_name_uuid4),
        API_TEST(set_metric_names_needs_one_per_objective),
        API_TEST(user_attrs_round_trip_and_bad_json_is_einval),
        API_TEST(tell_nan_records_fail_with_reason),
        API_TEST(tell_wrong_number_of_values_records_fail_with_reason),
        API_TEST(tell_on_a_finished_trial_is_estate_and_changes_nothing),
        API_TEST(tell_bad_state_or_values_for_state_is_einval),
        API_TEST(tell_number_finishes_a_reopened_trial),
        API_TEST(bad_float_arguments_are_einval_naming_the_parameter),
        API_TEST(bad_int_arguments_are_einval_naming_the_parameter),
        API_TEST(bad_choices_are_einval_naming_the_parameter),
        API_TEST(bad_parameter_names_and_outputs_are_einval),
        API_TEST(float_step_high_is_normalised_down),
        API_TEST(float_step_exact_multiple_keeps_high_and_nine_values),
        API_TEST(single_value_distributions_return_it),
        API_TEST(categorical_choices_of_every_json_type_are_distinct),
        API_TEST(categorical_with_other_choices_later_is_einval),
        API_TEST(random_sampler_same_seed_gives_the_same_sequence),
        cmocka_unit_test(every_seeded_sampler_takes_seeds_from_0_to_2_pow_32_minus_1),
        API_TEST(nop_pruner_never_prunes_and_pruned_takes_last_value),
        API_TEST(report_in_a_multi_objective_study_is_einval),
        API_TEST(best_trial_of_one_objective_orders_infinities),
        API_TEST(best_trials_of_two_objectives_is_the_pareto_front),
    };
    const struct CMUnitTest global_tests[] = {
        cmocka_unit_test(samplers_not_built_yet_are_eunavailable),
        cmocka_unit_test(unknown_sampler_and_pruner_names_are_einval),
        cmocka_unit_test(pruners_not_built_yet_are_eunavailable),
        cmocka_unit_test(unknown_or_bad_options_are_einval_naming_them),
        cmocka_unit_test(null_arguments_are_einval_and_free_accepts_null),
        cmocka_unit_test(errmsg_is_the_calling_threads_own),
        cmocka_unit_test(datetimes_are_utc_in_any_time_zone),
    };
    int failed = 0;
    failed += cmocka_run_group_tests_name("memory", backend_tests, memory_backend_setup,
                                          backend_teardown);
    failed += cmocka_run_group_tests_name("sqlite", backend_tests, sqlite_backend_setup,
                                          backend_teardown);
    failed += cmocka_run_group_tests_name("global", global_tests, NULL, NULL);
    return failed;
}
