/* Hydra override text: which strings stay bare, single-quote escaping as
 * Hydra's _unescape_quoted_string reads it back, and JSON values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igmopt/igmopt.h"

#include "lib/hydra_override.h"

static void assert_string_as(const char *s, const char *expected)
{
    igm_strbuf sb = IGM_STRBUF_INIT;
    char *text;
    igm_hydra_append_string(&sb, s);
    assert_int_equal(igm_strbuf_finish(&sb, &text), 0);
    assert_string_equal(text, expected);
    free(text);
}

static void assert_override(const char *value_json, const char *expected)
{
    char *text;
    assert_int_equal(igm_hydra_override(&text, "k", value_json), 0);
    assert_string_equal(text, expected);
    free(text);
}

static void plain_words_and_paths_stay_bare(void **state)
{
    assert_string_as("adam", "adam");
    assert_string_as("some/dir-1.txt", "some/dir-1.txt");
    assert_string_as("a+b*c%d", "a+b*c%d");
    assert_string_as("Infinity", "Infinity"); /* an ID, not Hydra's inf */
    assert_string_as("1-2", "'1-2'"); /* Hydra reads a string either way: extra quotes are
                                          the cheap side of "looks like a number" */
}

static void strings_hydra_would_read_as_other_types_are_quoted(void **state)
{
    static const char *const words[] = {"1", "-3", "1.5", "1e5", "1_000", ".5", "true",
                                        "False", "null", "NULL", "inf", "-inf", "nan"};
    char quoted[32];
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        snprintf(quoted, sizeof quoted, "'%s'", words[i]);
        assert_string_as(words[i], quoted);
    }
}

static void special_characters_are_quoted(void **state)
{
    assert_string_as("", "''");
    assert_string_as("hello world", "'hello world'");
    assert_string_as("a,b", "'a,b'");
    assert_string_as("[1]", "'[1]'");
    assert_string_as("{a: 1}", "'{a: 1}'");
    assert_string_as("a=b", "'a=b'");
    assert_string_as("x:y", "'x:y'");
    assert_string_as("say \"hi\"", "'say \"hi\"'");
    assert_string_as("caf\xc3\xa9", "'caf\xc3\xa9'");
}

static void quotes_and_backslashes_before_them_are_escaped(void **state)
{
    assert_string_as("it's", "'it\\'s'");
    assert_string_as("a\\'b", "'a\\\\\\'b'");   /* a\'b: 1 backslash + quote -> 3 + quote */
    assert_string_as("C:\\dir\\", "'C:\\dir\\\\'"); /* only the run before the end doubles */
    assert_string_as("a\\b c", "'a\\b c'");
}

static void interpolations_pass_whole_or_are_escaped(void **state)
{
    assert_string_as("${oc.env:HOME}", "${oc.env:HOME}");
    assert_string_as("cost ${x}", "'cost \\${x}'");
}

static void json_values_become_hydra_values(void **state)
{
    assert_override("null", "k=null");
    assert_override("true", "k=true");
    assert_override("false", "k=false");
    assert_override("1e-05", "k=1e-05");
    assert_override("12345678901234567890", "k=12345678901234567890");
    assert_override("-2", "k=-2");
    assert_override("NaN", "k=nan");
    assert_override("-Infinity", "k=-inf");
    assert_override("\"None\"", "k=None");
    assert_override("\"a b\"", "k='a b'");
    assert_override("[1, \"x y\", null, 2.5]", "k=[1,'x y',null,2.5]");
    assert_override("{\"lr\": 0.1}", "k={lr:0.1}");
}

static void bad_json_is_refused(void **state)
{
    char *text = NULL;
    assert_int_equal(igm_hydra_override(&text, "k", "{oops"), IGMOPT_EINVAL);
    assert_null(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_words_and_paths_stay_bare),
        cmocka_unit_test(strings_hydra_would_read_as_other_types_are_quoted),
        cmocka_unit_test(special_characters_are_quoted),
        cmocka_unit_test(quotes_and_backslashes_before_them_are_escaped),
        cmocka_unit_test(interpolations_pass_whole_or_are_escaped),
        cmocka_unit_test(json_values_become_hydra_values),
        cmocka_unit_test(bad_json_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
