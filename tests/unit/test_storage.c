/* Conformance suite for the storage interface (storage/storage.h): every
 * scenario runs once per backend (in-memory, SQLite file), each on a fresh
 * storage; plus the URL handling of igmopt_storage_open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/distribution.h"
#include "lib/error.h"
#include "lib/frozen_trial.h"
#include "storage/storage.h"
#include "storage_fixture.h"

/* ---- helpers ------------------------------------------------------------ */

static igmopt_storage *storage(void **state)
{
    return ((fixture *)*state)->st;
}

static const igmopt_direction minimize[] = {IGMOPT_MINIMIZE};

static int64_t new_study(igmopt_storage *st, const char *name)
{
    int64_t id;
    assert_int_equal(st->ops->create_study(st->impl, name, minimize, 1, &id), IGMOPT_OK);
    return id;
}

static int64_t new_trial(igmopt_storage *st, int64_t study_id, int64_t expected_number)
{
    int64_t id, number;
    assert_int_equal(st->ops->create_trial(st->impl, study_id, NULL, 0, &id, &number), IGMOPT_OK);
    assert_int_equal(number, expected_number);
    return id;
}

static int64_t new_trial_from(igmopt_storage *st, int64_t study_id,
                              const igm_frozen_trial *tmpl, int64_t expected_number)
{
    int64_t id, number;
    assert_int_equal(st->ops->create_trial(st->impl, study_id, tmpl, 0, &id, &number), IGMOPT_OK);
    assert_int_equal(number, expected_number);
    return id;
}

static igm_frozen_trial *waiting_template(void)
{
    igm_frozen_trial *t = igm_frozen_trial_new();
    assert_non_null(t);
    t->state = IGMOPT_WAITING;
    assert_int_equal(igm_attr_list_set(&t->system_attrs, "fixed_params", "{\"x\": 0.25}"),
                     IGMOPT_OK);
    return t;
}

static igm_frozen_trial **read_trials(igmopt_storage *st, int64_t study_id, int64_t after,
                                      const int64_t *also, size_t n_also, size_t *n)
{
    igm_frozen_trial **trials = NULL;
    assert_int_equal(st->ops->read_trials(st->impl, study_id, after, also, n_also, &trials, n),
                     IGMOPT_OK);
    return trials;
}

/* Exactly one trial, by id. */
static igm_frozen_trial *read_trial(igmopt_storage *st, int64_t study_id, int64_t trial_id)
{
    size_t n;
    igm_frozen_trial **trials = read_trials(st, study_id, INT64_MAX, &trial_id, 1, &n);
    assert_int_equal(n, 1);
    igm_frozen_trial *t = trials[0];
    free(trials);
    assert_int_equal(t->trial_id, trial_id);
    return t;
}

static void free_trials(igm_frozen_trial **trials, size_t n)
{
    for (size_t i = 0; i < n; i++)
        igm_frozen_trial_free(trials[i]);
    free(trials);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void assert_datetime_between(const char *dt, const char *before, const char *after)
{
    int year, month, day, hour, minute, second, micro;
    char rest;
    assert_int_equal(strlen(dt), IGM_DATETIME_LEN - 1);
    assert_int_equal(sscanf(dt, "%4d-%2d-%2d %2d:%2d:%2d.%6d%c", &year, &month, &day, &hour,
                            &minute, &second, &micro, &rest),
                     7);
    assert_true(strcmp(before, dt) <= 0);
    assert_true(strcmp(dt, after) <= 0);
}

static void assert_attr(const igm_attr_list *l, size_t i, const char *key, const char *value)
{
    assert_true(i < l->count);
    assert_string_equal(l->items[i].key, key);
    assert_string_equal(l->items[i].value_json, value);
}

static void assert_attrs_equal(const igm_attr_list *a, const igm_attr_list *b)
{
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++)
        assert_attr(b, i, a->items[i].key, a->items[i].value_json);
}

static void assert_same_double(double a, double b)
{
    assert_memory_equal(&a, &b, sizeof a);
}

static void assert_trials_equal(const igm_frozen_trial *a, const igm_frozen_trial *b)
{
    assert_int_equal(a->trial_id, b->trial_id);
    assert_int_equal(a->number, b->number);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->n_values, b->n_values);
    for (size_t i = 0; i < a->n_values; i++)
        assert_same_double(a->values[i], b->values[i]);
    assert_string_equal(a->datetime_start, b->datetime_start);
    assert_string_equal(a->datetime_complete, b->datetime_complete);
    assert_int_equal(a->n_params, b->n_params);
    for (size_t i = 0; i < a->n_params; i++) {
        assert_string_equal(a->params[i].name, b->params[i].name);
        assert_same_double(a->params[i].internal, b->params[i].internal);
        assert_true(igm_distribution_equal(a->params[i].distribution, b->params[i].distribution));
    }
    assert_attrs_equal(&a->user_attrs, &b->user_attrs);
    assert_attrs_equal(&a->system_attrs, &b->system_attrs);
    assert_int_equal(a->n_intermediate, b->n_intermediate);
    for (size_t i = 0; i < a->n_intermediate; i++) {
        assert_int_equal(a->intermediate[i].step, b->intermediate[i].step);
        assert_same_double(a->intermediate[i].value, b->intermediate[i].value);
    }
}

/* Every write a trial can receive; each must return `expected`. */
static void assert_every_write_returns(igmopt_storage *st, int64_t trial_id, int expected)
{
    igm_distribution *d;
    const double one = 1.0;
    assert_int_equal(igm_distribution_float(&d, "y", 0.0, 1.0, 0.0, 0), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_param(st->impl, trial_id, "y", 0.5, d), expected);
    assert_int_equal(st->ops->set_trial_intermediate(st->impl, trial_id, 7, 0.5), expected);
    assert_int_equal(st->ops->set_trial_attr(st->impl, trial_id, IGM_ATTR_USER, "u", "1"),
                     expected);
    assert_int_equal(st->ops->set_trial_attr(st->impl, trial_id, IGM_ATTR_SYSTEM, "s", "1"),
                     expected);
    assert_int_equal(st->ops->finish_trial(st->impl, trial_id, IGMOPT_COMPLETE, &one, 1),
                     expected);
    igm_distribution_free(d);
}

/* ---- studies ------------------------------------------------------------ */

static void test_study_create_then_find_returns_id_and_direction(void **state)
{
    igmopt_storage *st = storage(state);
    const igmopt_direction maximize[] = {IGMOPT_MAXIMIZE};
    int64_t id, found;
    igmopt_direction *dirs;
    size_t n_dirs;
    assert_int_equal(st->ops->create_study(st->impl, "s", maximize, 1, &id), IGMOPT_OK);
    assert_int_equal(st->ops->find_study(st->impl, "s", &found, &dirs, &n_dirs), IGMOPT_OK);
    assert_int_equal(found, id);
    assert_int_equal(n_dirs, 1);
    assert_int_equal(dirs[0], IGMOPT_MAXIMIZE);
    free(dirs);
}

static void test_study_duplicate_name_is_eexists_and_keeps_first(void **state)
{
    igmopt_storage *st = storage(state);
    const igmopt_direction maximize[] = {IGMOPT_MAXIMIZE};
    int64_t id = new_study(st, "s"), other, found;
    igmopt_direction *dirs;
    size_t n_dirs;
    assert_int_equal(st->ops->create_study(st->impl, "s", maximize, 1, &other), IGMOPT_EEXISTS);
    assert_int_equal(st->ops->find_study(st->impl, "s", &found, &dirs, &n_dirs), IGMOPT_OK);
    assert_int_equal(found, id);
    assert_int_equal(n_dirs, 1);
    assert_int_equal(dirs[0], IGMOPT_MINIMIZE);
    free(dirs);
}

static void test_study_find_unknown_is_enotfound(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t id;
    igmopt_direction *dirs;
    size_t n_dirs;
    new_study(st, "s");
    assert_int_equal(st->ops->find_study(st->impl, "t", &id, &dirs, &n_dirs), IGMOPT_ENOTFOUND);
}

static void test_study_names_in_creation_order(void **state)
{
    igmopt_storage *st = storage(state);
    char **names;
    size_t n;
    new_study(st, "b");
    new_study(st, "a");
    new_study(st, "c");
    assert_int_equal(st->ops->study_names(st->impl, &names, &n), IGMOPT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "b");
    assert_string_equal(names[1], "a");
    assert_string_equal(names[2], "c");
    free_names(names, n);
}

static void test_study_names_of_empty_storage_is_empty(void **state)
{
    igmopt_storage *st = storage(state);
    char **names;
    size_t n = 99;
    assert_int_equal(st->ops->study_names(st->impl, &names, &n), IGMOPT_OK);
    assert_int_equal(n, 0);
    free(names);
}

static void test_study_directions_keep_objective_order(void **state)
{
    igmopt_storage *st = storage(state);
    const igmopt_direction three[] = {IGMOPT_MAXIMIZE, IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE};
    int64_t id, found;
    igmopt_direction *dirs;
    size_t n_dirs;
    assert_int_equal(st->ops->create_study(st->impl, "mo", three, 3, &id), IGMOPT_OK);
    assert_int_equal(st->ops->find_study(st->impl, "mo", &found, &dirs, &n_dirs), IGMOPT_OK);
    assert_int_equal(n_dirs, 3);
    assert_int_equal(dirs[0], IGMOPT_MAXIMIZE);
    assert_int_equal(dirs[1], IGMOPT_MINIMIZE);
    assert_int_equal(dirs[2], IGMOPT_MAXIMIZE);
    free(dirs);
}

static void test_study_delete_removes_its_trials_and_attrs_only(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t a = new_study(st, "a"), b = new_study(st, "b"), found;
    int64_t a_trial = new_trial(st, a, 0);
    new_trial(st, b, 0);
    new_trial(st, b, 1);
    assert_int_equal(st->ops->set_study_attr(st->impl, a, IGM_ATTR_USER, "k", "1"), IGMOPT_OK);
    assert_int_equal(st->ops->set_study_attr(st->impl, b, IGM_ATTR_USER, "k", "2"), IGMOPT_OK);

    assert_int_equal(st->ops->delete_study(st->impl, a), IGMOPT_OK);

    igmopt_direction *dirs;
    size_t n_dirs, n;
    assert_int_equal(st->ops->find_study(st->impl, "a", &found, &dirs, &n_dirs),
                     IGMOPT_ENOTFOUND);
    igm_frozen_trial **trials;
    assert_int_equal(st->ops->read_trials(st->impl, a, -1, NULL, 0, &trials, &n),
                     IGMOPT_ENOTFOUND);
    assert_every_write_returns(st, a_trial, IGMOPT_ENOTFOUND);
    char **names;
    assert_int_equal(st->ops->study_names(st->impl, &names, &n), IGMOPT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "b");
    free_names(names, n);
    trials = read_trials(st, b, -1, NULL, 0, &n);
    assert_int_equal(n, 2);
    assert_int_equal(trials[0]->number, 0);
    assert_int_equal(trials[1]->number, 1);
    free_trials(trials, n);
    igm_attr_list attrs = {0};
    assert_int_equal(st->ops->get_study_attrs(st->impl, b, IGM_ATTR_USER, &attrs), IGMOPT_OK);
    assert_int_equal(attrs.count, 1);
    assert_attr(&attrs, 0, "k", "2");
    igm_attr_list_clear(&attrs);
}

static void test_study_recreated_after_delete_starts_empty(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t old = new_study(st, "a");
    new_trial(st, old, 0);
    assert_int_equal(st->ops->set_study_attr(st->impl, old, IGM_ATTR_SYSTEM, "k", "1"),
                     IGMOPT_OK);
    assert_int_equal(st->ops->delete_study(st->impl, old), IGMOPT_OK);

    int64_t fresh = new_study(st, "a");
    size_t n;
    igm_frozen_trial **trials = read_trials(st, fresh, -1, NULL, 0, &n);
    assert_int_equal(n, 0);
    free(trials);
    igm_attr_list attrs = {0};
    assert_int_equal(st->ops->get_study_attrs(st->impl, fresh, IGM_ATTR_SYSTEM, &attrs),
                     IGMOPT_OK);
    assert_int_equal(attrs.count, 0);
    igm_attr_list_clear(&attrs);
    new_trial(st, fresh, 0);
}

static void test_study_delete_unknown_is_enotfound(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t id = new_study(st, "a");
    assert_int_equal(st->ops->delete_study(st->impl, id + 1000), IGMOPT_ENOTFOUND);
}

static void test_study_attrs_upsert_per_kind(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t id = new_study(st, "s");
    assert_int_equal(st->ops->set_study_attr(st->impl, id, IGM_ATTR_USER, "a", "1"), IGMOPT_OK);
    assert_int_equal(st->ops->set_study_attr(st->impl, id, IGM_ATTR_USER, "b", "\"x\""),
                     IGMOPT_OK);
    assert_int_equal(st->ops->set_study_attr(st->impl, id, IGM_ATTR_USER, "a", "[1, 2]"),
                     IGMOPT_OK);
    assert_int_equal(st->ops->set_study_attr(st->impl, id, IGM_ATTR_SYSTEM, "a", "\"sys\""),
                     IGMOPT_OK);

    igm_attr_list user = {0}, system = {0};
    assert_int_equal(st->ops->get_study_attrs(st->impl, id, IGM_ATTR_USER, &user), IGMOPT_OK);
    assert_int_equal(st->ops->get_study_attrs(st->impl, id, IGM_ATTR_SYSTEM, &system),
                     IGMOPT_OK);
    assert_int_equal(user.count, 2);
    assert_attr(&user, 0, "a", "[1, 2]");
    assert_attr(&user, 1, "b", "\"x\"");
    assert_int_equal(system.count, 1);
    assert_attr(&system, 0, "a", "\"sys\"");
    igm_attr_list_clear(&user);
    igm_attr_list_clear(&system);
}

static void test_study_attrs_of_unknown_study_is_enotfound(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t id = new_study(st, "s") + 1000;
    igm_attr_list attrs = {0};
    assert_int_equal(st->ops->set_study_attr(st->impl, id, IGM_ATTR_USER, "a", "1"),
                     IGMOPT_ENOTFOUND);
    assert_int_equal(st->ops->get_study_attrs(st->impl, id, IGM_ATTR_USER, &attrs),
                     IGMOPT_ENOTFOUND);
}

/* ---- creating trials ---------------------------------------------------- */

static void test_trial_numbers_count_per_study_and_ids_are_global(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t a = new_study(st, "a"), b = new_study(st, "b");
    int64_t ids[5];
    ids[0] = new_trial(st, a, 0);
    ids[1] = new_trial(st, a, 1);
    ids[2] = new_trial(st, b, 0);
    ids[3] = new_trial(st, a, 2);
    ids[4] = new_trial(st, b, 1);
    for (size_t i = 1; i < sizeof ids / sizeof *ids; i++)
        assert_true(ids[i - 1] < ids[i]);
}

static void test_trial_create_in_unknown_study_is_enotfound(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s") + 1000, id, number;
    assert_int_equal(st->ops->create_trial(st->impl, study, NULL, 0, &id, &number),
                     IGMOPT_ENOTFOUND);
}

static void test_trial_new_is_running_started_now_and_empty(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s");
    char before[IGM_DATETIME_LEN], after[IGM_DATETIME_LEN];
    igm_datetime_now(before);
    int64_t id = new_trial(st, study, 0);
    igm_datetime_now(after);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->number, 0);
    assert_int_equal(t->state, IGMOPT_RUNNING);
    assert_datetime_between(t->datetime_start, before, after);
    assert_string_equal(t->datetime_complete, "");
    assert_null(t->values);
    assert_int_equal(t->n_values, 0);
    assert_int_equal(t->n_params, 0);
    assert_int_equal(t->user_attrs.count, 0);
    assert_int_equal(t->system_attrs.count, 0);
    assert_int_equal(t->n_intermediate, 0);
    igm_frozen_trial_free(t);
}

static void test_trial_from_waiting_template_keeps_fixed_params(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s");
    new_trial(st, study, 0);
    igm_frozen_trial *tmpl = waiting_template();
    assert_int_equal(igm_attr_list_set(&tmpl->user_attrs, "note", "\"queued\""), IGMOPT_OK);
    int64_t id = new_trial_from(st, study, tmpl, 1);
    igm_frozen_trial_free(tmpl);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->number, 1);
    assert_int_equal(t->state, IGMOPT_WAITING);
    assert_string_equal(t->datetime_start, "");
    assert_string_equal(t->datetime_complete, "");
    assert_int_equal(t->n_params, 0);
    assert_int_equal(t->n_values, 0);
    assert_int_equal(t->system_attrs.count, 1);
    assert_attr(&t->system_attrs, 0, "fixed_params", "{\"x\": 0.25}");
    assert_int_equal(t->user_attrs.count, 1);
    assert_attr(&t->user_attrs, 0, "note", "\"queued\"");
    igm_frozen_trial_free(t);
}

static void test_trial_from_complete_template_round_trips(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s");
    igm_frozen_trial *tmpl = igm_frozen_trial_new();
    igm_distribution *x, *n;
    const double value = 0.5;
    assert_non_null(tmpl);
    tmpl->state = IGMOPT_COMPLETE;
    strcpy(tmpl->datetime_start, "2024-01-02 03:04:05.000006");
    strcpy(tmpl->datetime_complete, "2024-01-02 03:04:07.123456");
    assert_int_equal(igm_frozen_trial_set_values(tmpl, &value, 1), IGMOPT_OK);
    assert_int_equal(igm_distribution_float(&x, "x", -1.0, 1.0, 0.0, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_int(&n, "n", 1, 10, 1, 0), IGMOPT_OK);
    assert_int_equal(igm_frozen_trial_add_param(tmpl, "x", 0.25, x), IGMOPT_OK);
    assert_int_equal(igm_frozen_trial_add_param(tmpl, "n", 7.0, n), IGMOPT_OK);
    assert_int_equal(igm_frozen_trial_set_intermediate(tmpl, 0, 1.0), IGMOPT_OK);
    assert_int_equal(igm_frozen_trial_set_intermediate(tmpl, 1, 0.75), IGMOPT_OK);
    assert_int_equal(igm_attr_list_set(&tmpl->user_attrs, "u", "true"), IGMOPT_OK);
    int64_t id = new_trial_from(st, study, tmpl, 0);

    igm_frozen_trial *t = read_trial(st, study, id);
    tmpl->trial_id = id;
    assert_trials_equal(t, tmpl);
    igm_frozen_trial_free(t);
    igm_frozen_trial_free(tmpl);
    igm_distribution_free(x);
    igm_distribution_free(n);
}

static void test_trial_from_templates_without_datetimes_gets_them_filled(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s");
    igm_frozen_trial *running = igm_frozen_trial_new(), *failed = igm_frozen_trial_new();
    char before[IGM_DATETIME_LEN], after[IGM_DATETIME_LEN];
    assert_non_null(running);
    assert_non_null(failed);
    running->state = IGMOPT_RUNNING;
    failed->state = IGMOPT_FAIL;
    igm_datetime_now(before);
    int64_t running_id = new_trial_from(st, study, running, 0);
    int64_t failed_id = new_trial_from(st, study, failed, 1);
    igm_datetime_now(after);
    igm_frozen_trial_free(running);
    igm_frozen_trial_free(failed);

    igm_frozen_trial *t = read_trial(st, study, running_id);
    assert_datetime_between(t->datetime_start, before, after);
    assert_string_equal(t->datetime_complete, "");
    igm_frozen_trial_free(t);
    t = read_trial(st, study, failed_id);
    assert_int_equal(t->state, IGMOPT_FAIL);
    assert_datetime_between(t->datetime_start, before, after);
    assert_datetime_between(t->datetime_complete, before, after);
    igm_frozen_trial_free(t);
}

/* ---- WAITING trials ------------------------------------------------------ */

static void test_pop_waiting_takes_oldest_first_then_enotfound(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s");
    igm_frozen_trial *tmpl = waiting_template();
    int64_t first = new_trial_from(st, study, tmpl, 0);
    int64_t running = new_trial(st, study, 1);
    int64_t second = new_trial_from(st, study, tmpl, 2);
    igm_frozen_trial_free(tmpl);
    int64_t id, number;
    char before[IGM_DATETIME_LEN], after[IGM_DATETIME_LEN];

    igm_datetime_now(before);
    assert_int_equal(st->ops->pop_waiting_trial(st->impl, study, 0, &id, &number), IGMOPT_OK);
    igm_datetime_now(after);
    assert_int_equal(id, first);
    assert_int_equal(number, 0);
    igm_frozen_trial *t = read_trial(st, study, first);
    assert_int_equal(t->state, IGMOPT_RUNNING);
    assert_datetime_between(t->datetime_start, before, after);
    assert_attr(&t->system_attrs, 0, "fixed_params", "{\"x\": 0.25}");
    igm_frozen_trial_free(t);

    assert_int_equal(st->ops->pop_waiting_trial(st->impl, study, 0, &id, &number), IGMOPT_OK);
    assert_int_equal(id, second);
    assert_int_equal(number, 2);
    assert_int_equal(st->ops->pop_waiting_trial(st->impl, study, 0, &id, &number),
                     IGMOPT_ENOTFOUND);
    t = read_trial(st, study, running);
    assert_int_equal(t->state, IGMOPT_RUNNING);
    igm_frozen_trial_free(t);
}

static void test_pop_waiting_ignores_other_studies(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t a = new_study(st, "a"), b = new_study(st, "b");
    igm_frozen_trial *tmpl = waiting_template();
    int64_t queued = new_trial_from(st, a, tmpl, 0);
    igm_frozen_trial_free(tmpl);
    new_trial(st, b, 0);
    int64_t id, number;
    assert_int_equal(st->ops->pop_waiting_trial(st->impl, b, 0, &id, &number), IGMOPT_ENOTFOUND);
    assert_int_equal(st->ops->pop_waiting_trial(st->impl, a, 0, &id, &number), IGMOPT_OK);
    assert_int_equal(id, queued);
    assert_int_equal(number, 0);
}

static void test_waiting_trial_rejects_writes(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s");
    igm_frozen_trial *tmpl = waiting_template();
    int64_t id = new_trial_from(st, study, tmpl, 0);
    igm_frozen_trial_free(tmpl);
    igm_frozen_trial *before = read_trial(st, study, id);

    assert_every_write_returns(st, id, IGMOPT_ESTATE);

    igm_frozen_trial *after = read_trial(st, study, id);
    assert_trials_equal(after, before);
    igm_frozen_trial_free(before);
    igm_frozen_trial_free(after);
}

/* ---- writing a RUNNING trial ------------------------------------------- */

static void test_params_round_trip_every_distribution(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    igm_distribution *d[7];
    static const char *const names[] = {"x", "lr", "q", "n", "width", "even", "c"};
    static const double internals[] = {2.5, 0.001, 0.75, 42.0, 64.0, 4.0, 2.0};
    assert_int_equal(igm_distribution_float(&d[0], "x", -10.0, 10.0, 0.0, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_float(&d[1], "lr", 1e-5, 1e-1, 0.0, 1), IGMOPT_OK);
    assert_int_equal(igm_distribution_float(&d[2], "q", 0.0, 1.0, 0.25, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_int(&d[3], "n", 1, 100, 1, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_int(&d[4], "width", 1, 1024, 1, 1), IGMOPT_OK);
    assert_int_equal(igm_distribution_int(&d[5], "even", 0, 10, 2, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_categorical(&d[6], "c", "[\"a\", null, 1.5, true]"),
                     IGMOPT_OK);
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(st->ops->set_trial_param(st->impl, id, names[i], internals[i], d[i]),
                         IGMOPT_OK);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->n_params, 7);
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(t->params[i].name, names[i]);
        assert_same_double(t->params[i].internal, internals[i]);
        assert_true(igm_distribution_equal(t->params[i].distribution, d[i]));
        igm_distribution_free(d[i]);
    }
    assert_int_equal(t->params[6].distribution->n_choices, 4);
    igm_frozen_trial_free(t);
}

static void test_param_set_again_overwrites_in_place(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    igm_distribution *narrow, *wide, *other;
    assert_int_equal(igm_distribution_float(&narrow, "x", 0.0, 1.0, 0.0, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_float(&wide, "x", 0.0, 5.0, 0.0, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_int(&other, "y", 0, 3, 1, 0), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_param(st->impl, id, "x", 0.5, narrow), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_param(st->impl, id, "y", 2.0, other), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_param(st->impl, id, "x", 4.5, wide), IGMOPT_OK);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->n_params, 2);
    assert_string_equal(t->params[0].name, "x");
    assert_same_double(t->params[0].internal, 4.5);
    assert_true(igm_distribution_equal(t->params[0].distribution, wide));
    assert_string_equal(t->params[1].name, "y");
    assert_same_double(t->params[1].internal, 2.0);
    igm_frozen_trial_free(t);
    igm_distribution_free(narrow);
    igm_distribution_free(wide);
    igm_distribution_free(other);
}

static void test_values_keep_infinities(void **state)
{
    igmopt_storage *st = storage(state);
    const igmopt_direction three[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE, IGMOPT_MINIMIZE};
    const double values[] = {1.5, INFINITY, -INFINITY};
    int64_t study, id;
    assert_int_equal(st->ops->create_study(st->impl, "mo", three, 3, &study), IGMOPT_OK);
    id = new_trial(st, study, 0);
    assert_int_equal(st->ops->finish_trial(st->impl, id, IGMOPT_COMPLETE, values, 3),
                     IGMOPT_OK);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->state, IGMOPT_COMPLETE);
    assert_int_equal(t->n_values, 3);
    for (size_t i = 0; i < 3; i++)
        assert_same_double(t->values[i], values[i]);
    igm_frozen_trial_free(t);
}

static void test_finish_without_values_stores_none(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    assert_int_equal(st->ops->finish_trial(st->impl, id, IGMOPT_FAIL, NULL, 0), IGMOPT_OK);
    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->state, IGMOPT_FAIL);
    assert_null(t->values);
    assert_int_equal(t->n_values, 0);
    igm_frozen_trial_free(t);
}

static void test_finish_with_nan_value_is_einval_and_changes_nothing(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    const double nan_value = NAN;
    igm_frozen_trial *before = read_trial(st, study, id);
    assert_int_equal(st->ops->finish_trial(st->impl, id, IGMOPT_COMPLETE, &nan_value, 1),
                     IGMOPT_EINVAL);
    igm_frozen_trial *after = read_trial(st, study, id);
    assert_trials_equal(after, before);
    assert_int_equal(after->state, IGMOPT_RUNNING);
    igm_frozen_trial_free(before);
    igm_frozen_trial_free(after);
}

static void test_intermediate_values_keep_nan_inf_and_overwrite(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    const struct {
        int64_t step;
        double value;
    } reports[] = {{3, 0.5}, {0, NAN}, {1, INFINITY}, {2, -INFINITY}, {3, 0.25}};
    for (size_t i = 0; i < sizeof reports / sizeof *reports; i++)
        assert_int_equal(
            st->ops->set_trial_intermediate(st->impl, id, reports[i].step, reports[i].value),
            IGMOPT_OK);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->n_intermediate, 4);
    for (int64_t step = 0; step < 4; step++)
        assert_int_equal(t->intermediate[step].step, step);
    assert_true(isnan(t->intermediate[0].value));
    assert_same_double(t->intermediate[1].value, INFINITY);
    assert_same_double(t->intermediate[2].value, -INFINITY);
    assert_same_double(t->intermediate[3].value, 0.25);
    igm_frozen_trial_free(t);
}

static void test_trial_attrs_keep_raw_json_verbatim(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    assert_int_equal(st->ops->set_trial_attr(st->impl, id, IGM_ATTR_USER, "curve",
                                             "[NaN, Infinity, -Infinity, 1.0]"),
                     IGMOPT_OK);
    assert_int_equal(
        st->ops->set_trial_attr(st->impl, id, IGM_ATTR_USER, "name", "\"caf\\u00e9\""),
        IGMOPT_OK);
    assert_int_equal(
        st->ops->set_trial_attr(st->impl, id, IGM_ATTR_USER, "curve", "{\"a\": NaN}"),
        IGMOPT_OK);
    assert_int_equal(
        st->ops->set_trial_attr(st->impl, id, IGM_ATTR_SYSTEM, "constraints", "[-0.5]"),
        IGMOPT_OK);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->user_attrs.count, 2);
    assert_attr(&t->user_attrs, 0, "curve", "{\"a\": NaN}");
    assert_attr(&t->user_attrs, 1, "name", "\"caf\\u00e9\"");
    assert_int_equal(t->system_attrs.count, 1);
    assert_attr(&t->system_attrs, 0, "constraints", "[-0.5]");
    igm_frozen_trial_free(t);
}

static void test_finish_sets_datetime_complete_and_keeps_start(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    const double value = -2.0;
    igm_frozen_trial *started = read_trial(st, study, id);
    char before[IGM_DATETIME_LEN], after[IGM_DATETIME_LEN];
    igm_datetime_now(before);
    assert_int_equal(st->ops->finish_trial(st->impl, id, IGMOPT_PRUNED, &value, 1), IGMOPT_OK);
    igm_datetime_now(after);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->state, IGMOPT_PRUNED);
    assert_string_equal(t->datetime_start, started->datetime_start);
    assert_datetime_between(t->datetime_complete, before, after);
    assert_int_equal(t->n_values, 1);
    assert_same_double(t->values[0], -2.0);
    igm_frozen_trial_free(t);
    igm_frozen_trial_free(started);
}

static void test_finished_trial_rejects_every_write_unchanged(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    igm_distribution *d;
    const double value = 3.0;
    assert_int_equal(igm_distribution_float(&d, "x", 0.0, 1.0, 0.0, 0), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_param(st->impl, id, "x", 0.5, d), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_intermediate(st->impl, id, 0, 0.1), IGMOPT_OK);
    assert_int_equal(st->ops->set_trial_attr(st->impl, id, IGM_ATTR_USER, "u", "0"), IGMOPT_OK);
    assert_int_equal(st->ops->finish_trial(st->impl, id, IGMOPT_COMPLETE, &value, 1),
                     IGMOPT_OK);
    igm_distribution_free(d);
    igm_frozen_trial *before = read_trial(st, study, id);

    assert_every_write_returns(st, id, IGMOPT_ESTATE);

    igm_frozen_trial *after = read_trial(st, study, id);
    assert_trials_equal(after, before);
    igm_frozen_trial_free(before);
    igm_frozen_trial_free(after);
}

static void test_writes_to_unknown_trial_are_enotfound(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    assert_every_write_returns(st, id + 1000, IGMOPT_ENOTFOUND);
}

/* ---- reading trials ----------------------------------------------------- */

static void test_read_trials_after_id_plus_also_ids_sorted(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t a = new_study(st, "a"), b = new_study(st, "b");
    int64_t ids[5];
    ids[0] = new_trial(st, a, 0);
    ids[1] = new_trial(st, a, 1);
    int64_t other = new_trial(st, b, 0);
    for (int64_t i = 2; i < 5; i++)
        ids[i] = new_trial(st, a, i);
    const int64_t also[] = {ids[3], ids[0], other, ids[0], ids[4] + 1000};
    size_t n;

    igm_frozen_trial **trials = read_trials(st, a, ids[2], also, 5, &n);
    assert_int_equal(n, 3);
    assert_int_equal(trials[0]->trial_id, ids[0]);
    assert_int_equal(trials[0]->number, 0);
    assert_int_equal(trials[1]->trial_id, ids[3]);
    assert_int_equal(trials[1]->number, 3);
    assert_int_equal(trials[2]->trial_id, ids[4]);
    assert_int_equal(trials[2]->number, 4);
    free_trials(trials, n);

    trials = read_trials(st, a, -1, NULL, 0, &n);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(trials[i]->trial_id, ids[i]);
    free_trials(trials, n);

    trials = read_trials(st, a, ids[4], NULL, 0, &n);
    assert_int_equal(n, 0);
    free(trials);
}

static void test_read_trials_returns_independent_copies(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s"), id = new_trial(st, study, 0);
    igm_frozen_trial *copy = read_trial(st, study, id);
    copy->state = IGMOPT_FAIL;
    assert_int_equal(igm_attr_list_set(&copy->user_attrs, "k", "1"), IGMOPT_OK);
    igm_frozen_trial_free(copy);

    igm_frozen_trial *t = read_trial(st, study, id);
    assert_int_equal(t->state, IGMOPT_RUNNING);
    assert_int_equal(t->user_attrs.count, 0);
    igm_frozen_trial_free(t);
}

static void test_read_trials_of_unknown_study_is_enotfound(void **state)
{
    igmopt_storage *st = storage(state);
    int64_t study = new_study(st, "s") + 1000;
    igm_frozen_trial **trials;
    size_t n;
    assert_int_equal(st->ops->read_trials(st->impl, study, -1, NULL, 0, &trials, &n),
                     IGMOPT_ENOTFOUND);
}

/* ---- igmopt_storage_open URLs ------------------------------------------ */

static void test_open_null_and_memory_url_give_memory_backend(void **state)
{
    (void)state;
    igmopt_storage *st;
    assert_int_equal(igmopt_storage_open(&st, NULL), IGMOPT_OK);
    assert_string_equal(st->ops->name, "memory");
    igmopt_storage_close(st);
    assert_int_equal(igmopt_storage_open(&st, ":memory:"), IGMOPT_OK);
    assert_string_equal(st->ops->name, "memory");
    igmopt_storage_close(st);
}

static void test_open_unknown_url_is_einval_naming_it(void **state)
{
    (void)state;
    igmopt_storage unused, *st = &unused;
    assert_int_equal(igmopt_storage_open(&st, "postgresql://db/optuna"), IGMOPT_EINVAL);
    assert_null(st);
    assert_non_null(strstr(igm_error_message(), "'postgresql://db/optuna'"));
    assert_non_null(strstr(igm_error_message(), "sqlite:///"));
}

static void test_open_without_out_is_einval(void **state)
{
    (void)state;
    assert_int_equal(igmopt_storage_open(NULL, ":memory:"), IGMOPT_EINVAL);
}

static void test_close_null_is_a_no_op(void **state)
{
    (void)state;
    igmopt_storage_close(NULL);
}

#define STORAGE_TEST(f) cmocka_unit_test_setup_teardown(f, storage_setup, storage_teardown)

int main(void)
{
    const struct CMUnitTest conformance[] = {
        STORAGE_TEST(test_study_create_then_find_returns_id_and_direction),
        STORAGE_TEST(test_study_duplicate_name_is_eexists_and_keeps_first),
        STORAGE_TEST(test_study_find_unknown_is_enotfound),
        STORAGE_TEST(test_study_names_in_creation_order),
        STORAGE_TEST(test_study_names_of_empty_storage_is_empty),
        STORAGE_TEST(test_study_directions_keep_objective_order),
        STORAGE_TEST(test_study_delete_removes_its_trials_and_attrs_only),
        STORAGE_TEST(test_study_recreated_after_delete_starts_empty),
        STORAGE_TEST(test_study_delete_unknown_is_enotfound),
        STORAGE_TEST(test_study_attrs_upsert_per_kind),
        STORAGE_TEST(test_study_attrs_of_unknown_study_is_enotfound),
        STORAGE_TEST(test_trial_numbers_count_per_study_and_ids_are_global),
        STORAGE_TEST(test_trial_create_in_unknown_study_is_enotfound),
        STORAGE_TEST(test_trial_new_is_running_started_now_and_empty),
        STORAGE_TEST(test_trial_from_waiting_template_keeps_fixed_params),
        STORAGE_TEST(test_trial_from_complete_template_round_trips),
        STORAGE_TEST(test_trial_from_templates_without_datetimes_gets_them_filled),
        STORAGE_TEST(test_pop_waiting_takes_oldest_first_then_enotfound),
        STORAGE_TEST(test_pop_waiting_ignores_other_studies),
        STORAGE_TEST(test_waiting_trial_rejects_writes),
        STORAGE_TEST(test_params_round_trip_every_distribution),
        STORAGE_TEST(test_param_set_again_overwrites_in_place),
        STORAGE_TEST(test_values_keep_infinities),
        STORAGE_TEST(test_finish_without_values_stores_none),
        STORAGE_TEST(test_finish_with_nan_value_is_einval_and_changes_nothing),
        STORAGE_TEST(test_intermediate_values_keep_nan_inf_and_overwrite),
        STORAGE_TEST(test_trial_attrs_keep_raw_json_verbatim),
        STORAGE_TEST(test_finish_sets_datetime_complete_and_keeps_start),
        STORAGE_TEST(test_finished_trial_rejects_every_write_unchanged),
        STORAGE_TEST(test_writes_to_unknown_trial_are_enotfound),
        STORAGE_TEST(test_read_trials_after_id_plus_also_ids_sorted),
        STORAGE_TEST(test_read_trials_returns_independent_copies),
        STORAGE_TEST(test_read_trials_of_unknown_study_is_enotfound),
    };
    const struct CMUnitTest urls[] = {
        cmocka_unit_test(test_open_null_and_memory_url_give_memory_backend),
        cmocka_unit_test(test_open_unknown_url_is_einval_naming_it),
        cmocka_unit_test(test_open_without_out_is_einval),
        cmocka_unit_test(test_close_null_is_a_no_op),
    };
    int failed = 0;
    failed += cmocka_run_group_tests_name("storage memory", conformance, memory_backend_setup,
                                          backend_teardown);
    failed += cmocka_run_group_tests_name("storage sqlite", conformance, sqlite_backend_setup,
                                          backend_teardown);
    failed += cmocka_run_group_tests_name("storage url", urls, NULL, NULL);
    return failed ? 1 : 0;
}
