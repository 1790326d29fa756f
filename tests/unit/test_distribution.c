/* Distributions: Optuna's validation, high normalisation, JSON forms and
 * membership, pinned with exact values. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/distribution.h"
#include "lib/error.h"

static char *to_json(const igm_distribution *d)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *out;
    igm_distribution_to_json(&sb, d);
    assert_int_equal(igm_strbuf_finish(&sb, &out), IGMOPT_OK);
    return out;
}

static void assert_json(const igm_distribution *d, const char *expected)
{
    char *json = to_json(d);
    assert_string_equal(json, expected);
    free(json);
}

static void float_json_matches_optuna(void **state)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_float(&d, "x", -10, 10, 0, 0), IGMOPT_OK);
    assert_json(d, "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, "
                   "\"low\": -10.0, \"high\": 10.0, \"log\": false}}");
    igm_distribution_free(d);
    assert_int_equal(igm_distribution_float(&d, "lr", 1e-5, 0.1, 0, 1), IGMOPT_OK);
    assert_json(d, "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, "
                   "\"low\": 1e-05, \"high\": 0.1, \"log\": true}}");
    igm_distribution_free(d);
}

static void int_json_matches_optuna(void **state)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_int(&d, "n", 1, 100, 1, 1), IGMOPT_OK);
    assert_json(d, "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": true, "
                   "\"step\": 1, \"low\": 1, \"high\": 100}}");
    igm_distribution_free(d);
}

static void categorical_keeps_each_json_type(void **state)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_categorical(&d, "c", "[true, 1, 1.0, \"1\", null, 2.5]"),
                     IGMOPT_OK);
    assert_int_equal(d->n_choices, 6);
    assert_string_equal(d->choices[0], "true");
    assert_string_equal(d->choices[1], "1");
    assert_string_equal(d->choices[2], "1.0");
    assert_string_equal(d->choices[3], "\"1\"");
    assert_string_equal(d->choices[4], "null");
    assert_json(d, "{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": "
                   "[true, 1, 1.0, \"1\", null, 2.5]}}");
    igm_distribution_free(d);
}

static void float_step_high_is_normalised_down(void **state)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_float(&d, "x", 0, 1, 0.3, 0), IGMOPT_OK);
    assert_true(fabs(d->high - 0.9) < 1e-12);
    igm_distribution_free(d);
}

static void float_step_exact_multiple_keeps_high(void **state)
{
    igm_distribution *d;
    double low = -M_PI / 4, high = 15 * M_PI / 4, step = M_PI / 2;
    int values = 0;
    assert_int_equal(igm_distribution_float(&d, "angle", low, high, step, 0), IGMOPT_OK);
    assert_true(d->high == high);
    for (int k = 0; k < 20; k++)
        values += igm_distribution_contains(d, low + k * step);
    assert_int_equal(values, 9);
    igm_distribution_free(d);
}

static void int_step_high_is_normalised_down(void **state)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_int(&d, "n", 0, 10, 3, 0), IGMOPT_OK);
    assert_int_equal(d->ihigh, 9);
    igm_distribution_free(d);
}

static void assert_invalid_naming(int rc, const char *name)
{
    assert_int_equal(rc, IGMOPT_EINVAL);
    assert_non_null(strstr(igm_error_message(), name));
}

static void bad_ranges_are_refused_naming_the_parameter(void **state)
{
    igm_distribution *d = NULL;
    assert_invalid_naming(igm_distribution_float(&d, "p_low_high", 2, 1, 0, 0), "p_low_high");
    assert_invalid_naming(igm_distribution_float(&d, "p_log0", 0, 1, 0, 1), "p_log0");
    assert_invalid_naming(igm_distribution_float(&d, "p_steplog", 1, 2, 0.1, 1), "p_steplog");
    assert_invalid_naming(igm_distribution_float(&d, "p_nan", NAN, 1, 0, 0), "p_nan");
    assert_invalid_naming(igm_distribution_float(&d, "p_huge", -DBL_MAX, DBL_MAX, 0, 0),
                          "p_huge");
    assert_invalid_naming(igm_distribution_int(&d, "p_intlog", 0, 10, 1, 1), "p_intlog");
    assert_invalid_naming(igm_distribution_int(&d, "p_intstep", 0, 10, 0, 0), "p_intstep");
    assert_invalid_naming(igm_distribution_int(&d, "p_wide", INT64_MIN, INT64_MAX, 1, 0),
                          "p_wide");
    assert_invalid_naming(igm_distribution_categorical(&d, "p_empty", "[]"), "p_empty");
    assert_invalid_naming(igm_distribution_categorical(&d, "p_bad", "[1, "), "p_bad");
    assert_invalid_naming(igm_distribution_categorical(&d, "p_obj", "[{\"a\": 1}]"), "p_obj");
    assert_invalid_naming(igm_distribution_categorical(&d, "p_notarr", "\"a\""), "p_notarr");
    assert_null(d);
}

static void json_round_trip_and_legacy_names(void **state)
{
    static const struct {
        const char *json;
        igm_dist_kind kind;
        int log;
        double low, high, step;
    } cases[] = {
        {"{\"name\": \"UniformDistribution\", \"attributes\": {\"low\": 0.0, \"high\": 2.0}}",
         IGM_DIST_FLOAT, 0, 0, 2, 0},
        {"{\"name\": \"LogUniformDistribution\", \"attributes\": {\"low\": 0.1, \"high\": 1}}",
         IGM_DIST_FLOAT, 1, 0.1, 1, 0},
        {"{\"name\": \"DiscreteUniformDistribution\", \"attributes\": {\"low\": 0.0, "
         "\"high\": 1.0, \"q\": 0.25}}", IGM_DIST_FLOAT, 0, 0, 1, 0.25},
        {"{\"name\": \"IntUniformDistribution\", \"attributes\": {\"low\": 1, \"high\": 9, "
         "\"step\": 2}}", IGM_DIST_INT, 0, 1, 9, 2},
        {"{\"name\": \"IntLogUniformDistribution\", \"attributes\": {\"low\": 1, \"high\": 64, "
         "\"step\": 1}}", IGM_DIST_INT, 1, 1, 64, 1},
        {"{\"type\": \"float\", \"low\": -1, \"high\": 1, \"step\": 0.5}", IGM_DIST_FLOAT, 0,
         -1, 1, 0.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        igm_distribution *d, *again;
        char *json;
        assert_int_equal(igm_distribution_from_json(&d, cases[i].json), IGMOPT_OK);
        assert_int_equal(d->kind, cases[i].kind);
        assert_int_equal(d->log, cases[i].log);
        assert_true(d->low == cases[i].low && d->high == cases[i].high);
        assert_true(d->step == cases[i].step || (d->kind == IGM_DIST_INT && d->step == 1 &&
                                                 cases[i].step == 1));
        json = to_json(d);
        assert_int_equal(igm_distribution_from_json(&again, json), IGMOPT_OK);
        assert_true(igm_distribution_equal(d, again));
        free(json);
        igm_distribution_free(again);
        igm_distribution_free(d);
    }
}

static void unknown_distribution_json_is_refused(void **state)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_from_json(&d, "{\"name\": \"Bogus\", \"attributes\": {}}"),
                     IGMOPT_EINVAL);
    assert_non_null(strstr(igm_error_message(), "Bogus"));
    assert_int_equal(igm_distribution_from_json(&d, "not json"), IGMOPT_EINVAL);
}

static void contains_follows_optuna(void **state)
{
    igm_distribution *f, *i, *c;
    assert_int_equal(igm_distribution_float(&f, "f", 0, 1, 0.25, 0), IGMOPT_OK);
    assert_true(igm_distribution_contains(f, 0.75));
    assert_false(igm_distribution_contains(f, 0.7));
    assert_false(igm_distribution_contains(f, 1.25));
    assert_int_equal(igm_distribution_int(&i, "i", 1, 9, 2, 0), IGMOPT_OK);
    assert_true(igm_distribution_contains(i, 5));
    assert_false(igm_distribution_contains(i, 4));
    assert_int_equal(igm_distribution_categorical(&c, "c", "[\"a\", \"b\"]"), IGMOPT_OK);
    assert_true(igm_distribution_contains(c, 1));
    assert_false(igm_distribution_contains(c, 2));
    igm_distribution_free(f);
    igm_distribution_free(i);
    igm_distribution_free(c);
}

static void compatibility_compares_kind_log_and_choices(void **state)
{
    igm_distribution *a, *b, *l, *c1, *c2;
    assert_int_equal(igm_distribution_float(&a, "x", 0, 1, 0, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_float(&b, "x", -5, 5, 0, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_float(&l, "x", 0.1, 1, 0, 1), IGMOPT_OK);
    assert_int_equal(igm_distribution_categorical(&c1, "c", "[1, 2]"), IGMOPT_OK);
    assert_int_equal(igm_distribution_categorical(&c2, "c", "[1, 2.0]"), IGMOPT_OK);
    assert_true(igm_distribution_compatible(a, b));
    assert_false(igm_distribution_equal(a, b));
    assert_false(igm_distribution_compatible(a, l));
    assert_false(igm_distribution_compatible(c1, c2));
    assert_false(igm_distribution_compatible(a, c1));
    igm_distribution_free(a);
    igm_distribution_free(b);
    igm_distribution_free(l);
    igm_distribution_free(c1);
    igm_distribution_free(c2);
}

static void external_values_and_fixed_values(void **state)
{
    igm_distribution *c, *i;
    igm_strbuf sb = IGM_STRBUF_INIT;
    double internal = -1;
    assert_int_equal(igm_distribution_categorical(&c, "c", "[true, 1, \"1\", null]"), IGMOPT_OK);
    igm_distribution_external_json(&sb, c, 2);
    assert_string_equal(sb.data, "\"1\"");
    igm_strbuf_release(&sb);
    assert_int_equal(igm_distribution_internal_from_json(c, "c", "null", &internal), IGMOPT_OK);
    assert_true(internal == 3);
    assert_int_equal(igm_distribution_internal_from_json(c, "c", "1", &internal), IGMOPT_OK);
    assert_true(internal == 1);
    assert_int_equal(igm_distribution_internal_from_json(c, "c", "\"x\"", &internal),
                     IGMOPT_EINVAL);
    assert_int_equal(igm_distribution_int(&i, "i", 0, 10, 1, 0), IGMOPT_OK);
    assert_int_equal(igm_distribution_internal_from_json(i, "i", "7", &internal), IGMOPT_OK);
    assert_true(internal == 7);
    assert_int_equal(igm_distribution_internal_from_json(i, "i", "7.5", &internal),
                     IGMOPT_EINVAL);
    assert_int_equal(igm_distribution_internal_from_json(i, "i", "11", &internal),
                     IGMOPT_EINVAL);
    igm_distribution_free(c);
    igm_distribution_free(i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(float_json_matches_optuna),
        cmocka_unit_test(int_json_matches_optuna),
        cmocka_unit_test(categorical_keeps_each_json_type),
        cmocka_unit_test(float_step_high_is_normalised_down),
        cmocka_unit_test(float_step_exact_multiple_keeps_high),
        cmocka_unit_test(int_step_high_is_normalised_down),
        cmocka_unit_test(bad_ranges_are_refused_naming_the_parameter),
        cmocka_unit_test(json_round_trip_and_legacy_names),
        cmocka_unit_test(unknown_distribution_json_is_refused),
        cmocka_unit_test(contains_follows_optuna),
        cmocka_unit_test(compatibility_compares_kind_log_and_choices),
        cmocka_unit_test(external_values_and_fixed_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
