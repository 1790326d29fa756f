/* Reading a trial's score file: every objective as a finite number, or
 * the exact reason the trial fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/error.h"
#include "lib/score_file.h"

static const char *const objectives[] = {"cost_volume", "cost_speed"};

typedef struct fixture {
    char dir[64];
    char path[96];
    char other[96]; /* another file in dir, e.g. a symlink's target */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/igmopt-score-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/_igm_score.json", f->dir);
    snprintf(f->other, sizeof f->other, "%s/target.json", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (unlink(f->path) != 0)
        rmdir(f->path);
    unlink(f->other);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void write_score(const fixture *f, const char *text, size_t len)
{
    FILE *out = fopen(f->path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(text, 1, len, out), len);
    fclose(out);
}

/* The reason reading `text` gives, or "" when the values complete. */
static char *reason_for(void **state, const char *text, size_t len, double *values)
{
    fixture *f = *state;
    char *reason = NULL;
    int rc;
    if (text)
        write_score(f, text, len);
    rc = igm_score_file_read(f->path, "_igm_score.json", objectives, 2, values, &reason);
    assert_true(rc == IGMOPT_OK || rc == 1);
    assert_true((rc == 1) == (reason != NULL));
    return reason ? reason : strdup("");
}

static void assert_reason(void **state, const char *text, const char *expected)
{
    double values[2];
    char *reason = reason_for(state, text, text ? strlen(text) : 0, values);
    assert_string_equal(reason, expected);
    free(reason);
}

static void objectives_are_read_in_their_order(void **state)
{
    double values[2];
    const char *text = "{\"other\": NaN, \"cost_speed\": 2e3,\n"
                       " \"cost_volume\": -0.5, \"x\": [1, {\"y\": null}]}";
    char *reason = reason_for(state, text, strlen(text), values);
    assert_string_equal(reason, "");
    assert_true(values[0] == -0.5);
    assert_true(values[1] == 2000.0);
    free(reason);
}

static void the_last_of_duplicate_keys_wins(void **state)
{
    double values[2];
    const char *text = "{\"cost_volume\": NaN, \"cost_volume\": 1, \"cost_speed\": 2}";
    char *reason = reason_for(state, text, strlen(text), values);
    assert_string_equal(reason, "");
    assert_true(values[0] == 1.0);
    free(reason);
}

static void missing_and_malformed_files_fail(void **state)
{
    assert_reason(state, NULL, "score file _igm_score.json missing");
    assert_reason(state, "", "score file _igm_score.json truncated or not JSON: the file is "
                  "empty");
    assert_reason(state, "{\"cost_volume\": 1.0, ", "score file _igm_score.json truncated or "
                  "not JSON: the text ends inside a value after 21 bytes");
    assert_reason(state, "{\"cost_volume\": 1.0}}", "score file _igm_score.json truncated or "
                  "not JSON: extra text at byte 20");
    assert_reason(state, "{cost_volume: 1}", "score file _igm_score.json truncated or not "
                  "JSON: invalid JSON at byte 1");
    assert_reason(state, "3.5", "score file _igm_score.json holds a number, not an object of "
                  "named scores");
}

/* Found by tests/fuzz/fuzz_score_file: the JSON scanner stepped past the
 * NUL when the text ended after an object key, reading beyond the file's
 * buffer (a trial killed while writing its score file). */
static void a_file_ending_after_a_key_is_truncated(void **state)
{
    assert_reason(state, "{\"cost_volume\": NaN, \"cost_speed\"", "score file "
                  "_igm_score.json truncated or not JSON: the text ends inside a value after "
                  "33 bytes");
    assert_reason(state, "{\"cost_volume\"  ", "score file _igm_score.json truncated or "
                  "not JSON: the text ends inside a value after 16 bytes");
}

/* Inside NaN/Infinity the scanner used to stop where the token began. */
static void a_file_cut_inside_a_token_is_truncated(void **state)
{
    assert_reason(state, "{\"cost_volume\": -Infin", "score file _igm_score.json truncated "
                  "or not JSON: the text ends inside a value after 22 bytes");
    assert_reason(state, "{\"cost_volume\": Na", "score file _igm_score.json truncated or "
                  "not JSON: the text ends inside a value after 18 bytes");
}

static void nul_bytes_fail(void **state)
{
    double values[2];
    char *reason = reason_for(state, "{\"a\": 1}\0", 9, values);
    assert_string_equal(reason, "score file _igm_score.json truncated or not JSON: it holds "
                        "NUL bytes");
    free(reason);
}

static void objectives_must_be_present_finite_numbers(void **state)
{
    assert_reason(state, "{\"cost_volume\": 1}", "score file _igm_score.json lacks objective "
                  "'cost_speed'");
    assert_reason(state, "{\"cost_volume\": NaN, \"cost_speed\": 1}",
                  "objective 'cost_volume' is NaN");
    assert_reason(state, "{\"cost_volume\": 1, \"cost_speed\": Infinity}",
                  "objective 'cost_speed' is infinite");
    assert_reason(state, "{\"cost_volume\": 1e999, \"cost_speed\": 1}",
                  "objective 'cost_volume' is infinite");
    assert_reason(state, "{\"cost_volume\": \"1\", \"cost_speed\": 1}",
                  "objective 'cost_volume' is not a number (it is a string)");
    assert_reason(state, "{\"cost_volume\": null, \"cost_speed\": 1}",
                  "objective 'cost_volume' is not a number (it is null)");
}

/* A trial can leave a FIFO under the name (mkfifo _igm_score.json; exit 0):
 * opening it for reading used to wait for a writer forever, hanging the
 * whole sweep. */
static void a_fifo_fails_at_once(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkfifo(f->path, 0644), 0);
    assert_reason(state, NULL, "score file _igm_score.json is not a regular file (it is a "
                  "FIFO)");
}

/* /dev/zero never ends: it is refused, not read until memory runs out. */
static void a_link_to_a_device_fails(void **state)
{
    fixture *f = *state;
    assert_int_equal(symlink("/dev/zero", f->path), 0);
    assert_reason(state, NULL, "score file _igm_score.json is not a regular file (it is a "
                  "character device)");
}

static void a_directory_fails(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir(f->path, 0755), 0);
    assert_reason(state, NULL, "score file _igm_score.json is not a regular file (it is a "
                  "directory)");
}

/* Symlinks are followed: the trial runs as the same user, so a link to a
 * score written elsewhere (a Hydra output directory) is fine. */
static void a_link_to_a_regular_file_is_read(void **state)
{
    fixture *f = *state;
    FILE *out = fopen(f->other, "w");
    double values[2];
    char *reason;
    assert_non_null(out);
    fputs("{\"cost_volume\": 1.5, \"cost_speed\": 2}", out);
    fclose(out);
    assert_int_equal(symlink("target.json", f->path), 0);
    reason = reason_for(state, NULL, 0, values);
    assert_string_equal(reason, "");
    assert_true(values[0] == 1.5 && values[1] == 2.0);
    free(reason);
}

static void a_dangling_link_is_missing(void **state)
{
    fixture *f = *state;
    assert_int_equal(symlink("nowhere.json", f->path), 0);
    assert_reason(state, NULL, "score file _igm_score.json missing");
}

/* Read up to the cap, never all of a huge (here sparse) file. */
static void a_file_over_16_mib_fails(void **state)
{
    fixture *f = *state;
    FILE *out = fopen(f->path, "w");
    assert_non_null(out);
    assert_int_equal(ftruncate(fileno(out), (16 << 20) + 1), 0);
    fclose(out);
    assert_reason(state, NULL, "score file _igm_score.json is larger than 16 MiB");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(objectives_are_read_in_their_order, setup, teardown),
        cmocka_unit_test_setup_teardown(the_last_of_duplicate_keys_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_and_malformed_files_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_ending_after_a_key_is_truncated, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_file_cut_inside_a_token_is_truncated, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(nul_bytes_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(objectives_must_be_present_finite_numbers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_fifo_fails_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(a_link_to_a_device_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(a_directory_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(a_link_to_a_regular_file_is_read, setup, teardown),
        cmocka_unit_test_setup_teardown(a_dangling_link_is_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_over_16_mib_fails, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
