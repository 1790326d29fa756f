/* JSON text in and out: Python's float repr, json.dumps string escaping,
 * and acceptance of the NaN/Infinity tokens Optuna's JSON may hold. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/error.h"
#include "lib/json.h"
#include "lib/strbuf.h"

static void doubles_print_as_python_repr(void **state)
{
    static const struct {
        double v;
        const char *repr;
    } cases[] = {
        {1.0, "1.0"}, {0.1, "0.1"}, {1e-05, "1e-05"}, {1e16, "1e+16"}, {1.5e16, "1.5e+16"},
        {100.0, "100.0"}, {-10.0, "-10.0"}, {0.0001, "0.0001"}, {1e15, "1000000000000000.0"},
        {3.141592653589793, "3.141592653589793"}, {-0.0, "-0.0"}, {5e-324, "5e-324"},
        {123456789012345678.0, "1.2345678901234568e+17"}, {0.30000000000000004,
                                                           "0.30000000000000004"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        igm_format_double(cases[i].v, buf);
        assert_string_equal(buf, cases[i].repr);
    }
}

static void non_finite_doubles_use_json_tokens(void **state)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_json_double(&sb, NAN);
    igm_strbuf_append(&sb, " ");
    igm_json_double(&sb, INFINITY);
    igm_strbuf_append(&sb, " ");
    igm_json_double(&sb, -INFINITY);
    assert_string_equal(sb.data, "NaN Infinity -Infinity");
    igm_strbuf_release(&sb);
}

static void strings_escape_like_json_dumps(void **state)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    igm_json_string(&sb, "a\"b\\c\n\x01 caf\xc3\xa9 \xf0\x9f\x98\x80");
    assert_string_equal(sb.data, "\"a\\\"b\\\\c\\n\\u0001 caf\\u00e9 \\ud83d\\ude00\"");
    igm_strbuf_release(&sb);
}

static void validator_accepts_python_tokens(void **state)
{
    assert_int_equal(igm_json_validate("{\"a\": [NaN, Infinity, -Infinity, 1e-3]}", "t"),
                     IGMOPT_OK);
    assert_int_equal(igm_json_validate(" \"text\" ", "t"), IGMOPT_OK);
    assert_int_equal(igm_json_validate("null", "t"), IGMOPT_OK);
}

static void validator_refuses_malformed_text(void **state)
{
    static const char *bad[] = {"", "{", "[1,]", "{\"a\" 1}", "nan", "01", "1.", "\"\\x\"",
                                "[1] 2", "{'a': 1}", "tru",
                                "-In5", "nul1", "-Infinityx"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(igm_json_validate(bad[i], "attr value"), IGMOPT_EINVAL);
        assert_non_null(strstr(igm_error_message(), "attr value"));
    }
}

/* A cut-short text leaves *end on its NUL, wherever it stops (after an
 * object key it once stepped past it). */
static void scan_of_cut_short_text_ends_at_its_nul(void **state)
{
    static const char *cut[] = {"{", "{\"a\"", "{\"a\" ", "{\"a\":", "[1, ", "\"ab", "-",
                                "1e", "tr", "Na", "-Infin", "[Infinity, -Inf"};
    const char *end;
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
        assert_int_equal(igm_json_scan(cut[i], &end), -1);
        assert_ptr_equal(end, cut[i] + strlen(cut[i]));
    }
}

static void parse_dumps_back_in_python_form(void **state)
{
    json_t *v;
    igm_strbuf sb = IGM_STRBUF_INIT;
    assert_int_equal(igm_json_parse("{\"x\":0.25,\"c\":\"b\",\"n\":[1,2.0,true,null]}", "p", &v),
                     IGMOPT_OK);
    igm_json_dump_value(&sb, v);
    assert_string_equal(sb.data, "{\"x\": 0.25, \"c\": \"b\", \"n\": [1, 2.0, true, null]}");
    igm_strbuf_release(&sb);
    json_decref(v);
}

static void parse_names_nan_tokens_it_cannot_hold(void **state)
{
    json_t *v;
    assert_int_equal(igm_json_parse("[NaN]", "choices", &v), IGMOPT_EINVAL);
    assert_null(v);
    assert_non_null(strstr(igm_error_message(), "NaN"));
}

static void read_double_handles_tokens(void **state)
{
    double v;
    assert_int_equal(igm_json_read_double("-Infinity", &v), 0);
    assert_true(isinf(v) && v < 0);
    assert_int_equal(igm_json_read_double("NaN", &v), 0);
    assert_true(isnan(v));
    assert_int_equal(igm_json_read_double(" 2.5 ", &v), 0);
    assert_true(v == 2.5);
    assert_int_equal(igm_json_read_double("2.5x", &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doubles_print_as_python_repr),
        cmocka_unit_test(non_finite_doubles_use_json_tokens),
        cmocka_unit_test(strings_escape_like_json_dumps),
        cmocka_unit_test(validator_accepts_python_tokens),
        cmocka_unit_test(validator_refuses_malformed_text),
        cmocka_unit_test(scan_of_cut_short_text_ends_at_its_nul),
        cmocka_unit_test(parse_dumps_back_in_python_form),
        cmocka_unit_test(parse_names_nan_tokens_it_cannot_hold),
        cmocka_unit_test(read_double_handles_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
