/* Reports: the exact optimization_results.csv and console summary of small
 * studies built in memory through the public API, for one and two
 * objectives, with the config built by hand as the YAML loader would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igmopt/igmopt.h"
#include "lib/config.h"
#include "lib/study.h"
#include "storage/storage.h"

/* ---- building studies ----------------------------------------------------- */

#define KIND_CHOICES "[\"a,\\\"b\", \"plain\", null, true]"

enum { SUGGEST_X = 1, SUGGEST_KIND = 2, SUGGEST_N = 4, SUGGEST_EXTRA = 8 };

typedef struct trial_spec {
    const char *params; /* enqueued params (JSON), NULL for none */
    unsigned suggest;
    igmopt_trial_state state; /* IGMOPT_RUNNING: left running */
    size_t n_values;
    double values[2];
    int rejected; /* tell records FAIL instead (NaN, wrong count) */
    const char *start, *complete; /* pinned datetimes of a finished trial */
} trial_spec;

static igmopt_study *new_study(igmopt_storage *st, const char *name,
                               const igmopt_direction *dirs, size_t n_dirs)
{
    igmopt_sampler *sampler;
    igmopt_study *study;
    assert_int_equal(igmopt_sampler_new(&sampler, "RandomSampler", "{\"seed\": 1}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_create(&study, st, name, dirs, n_dirs, sampler, NULL, 0),
                     IGMOPT_OK);
    igmopt_sampler_free(sampler);
    return study;
}

static void suggest(igmopt_trial *t, unsigned which)
{
    double x;
    int64_t n;
    size_t k;
    if (which & SUGGEST_X)
        assert_int_equal(igmopt_trial_suggest_float(t, "x", 0.0, 1.0, 0.0, 0, &x), IGMOPT_OK);
    if (which & SUGGEST_KIND)
        assert_int_equal(igmopt_trial_suggest_categorical(t, "kind", KIND_CHOICES, &k),
                         IGMOPT_OK);
    if (which & SUGGEST_N)
        assert_int_equal(igmopt_trial_suggest_int(t, "n", 1, 3, 1, 0, &n), IGMOPT_OK);
    if (which & SUGGEST_EXTRA)
        assert_int_equal(igmopt_trial_suggest_float(t, "extra", 0.0, 10.0, 0.0, 0, &x),
                         IGMOPT_OK);
}

/* Returns the trial still open when the spec leaves it RUNNING, else NULL. */
static igmopt_trial *run_trial(igmopt_study *study, const trial_spec *s)
{
    igmopt_trial *t;
    int rc;
    if (s->params)
        assert_int_equal(igmopt_study_enqueue(study, s->params), IGMOPT_OK);
    assert_int_equal(igmopt_study_ask(study, &t), IGMOPT_OK);
    suggest(t, s->suggest);
    if (s->state == IGMOPT_RUNNING)
        return t;
    rc = igmopt_study_tell(study, t, s->state, s->n_values ? s->values : NULL, s->n_values);
    assert_int_equal(rc, s->rejected ? IGMOPT_ETRIALFAIL : IGMOPT_OK);
    igmopt_trial_free(t);
    return NULL;
}

/* The storage stamps datetimes from the clock.  A finished trial is read
 * into a study handle's cache once and never again, so pinning its
 * datetimes there makes that handle's reports exact. */
static void pin_datetimes(igmopt_study *study, const trial_spec *specs, size_t n)
{
    igm_frozen_trial *const *trials;
    size_t count;
    assert_int_equal(igm_study_trials(study, &trials, &count), IGMOPT_OK);
    assert_true(count >= n);
    for (size_t i = 0; i < n; i++) {
        if (!specs[i].start)
            continue;
        assert_true(igm_trial_state_finished(trials[i]->state));
        strcpy(trials[i]->datetime_start, specs[i].start);
        strcpy(trials[i]->datetime_complete, specs[i].complete);
    }
}

static void run_trials(igmopt_study *study, const trial_spec *specs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_null(run_trial(study, &specs[i]));
    pin_datetimes(study, specs, n);
}

/* ---- the config the YAML loader would build ------------------------------- */

static char loss_name[] = "loss", volume_name[] = "volume", speed_name[] = "speed";
static char kind_name[] = "kind", x_name[] = "x", n_name[] = "n";
static char kind_choices[] = KIND_CHOICES;

static igm_config_objective single_objective[] = {{loss_name, IGMOPT_MINIMIZE}};
static igm_config_objective two_objectives[] = {{volume_name, IGMOPT_MINIMIZE},
                                                {speed_name, IGMOPT_MAXIMIZE}};

/* Config order (kind, x, n) differs from the order the trials suggest in. */
static igm_config_param config_params[] = {
    {.name = kind_name, .type = IGM_PARAM_CATEGORICAL, .choices_json = kind_choices},
    {.name = x_name, .type = IGM_PARAM_FLOAT, .low = 0.0, .high = 1.0},
    {.name = n_name, .type = IGM_PARAM_INT, .ilow = 1, .ihigh = 3, .istep = 1},
};

static struct igmopt_config config_with(igm_config_objective *objectives, size_t n_objectives,
                                        igm_config_param *params, size_t n_params)
{
    struct igmopt_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.objectives = objectives;
    cfg.n_objectives = n_objectives;
    cfg.params = params;
    cfg.n_params = n_params;
    return cfg;
}

/* ---- reading reports back ------------------------------------------------- */

typedef struct fixture {
    igmopt_storage *st;
    char dir[64];
    char csv_path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/igm-test-report-XXXXXX");
    if (!mkdtemp(f->dir) || igmopt_storage_open(&f->st, NULL) != IGMOPT_OK) {
        free(f);
        return -1;
    }
    snprintf(f->csv_path, sizeof f->csv_path, "%s/optimization_results.csv", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->csv_path);
    rmdir(f->dir);
    igmopt_storage_close(f->st);
    free(f);
    return 0;
}

static size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;
    assert_non_null(d);
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *text;
    long size;
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    size = ftell(fp);
    rewind(fp);
    text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
    text[size] = '\0';
    fclose(fp);
    return text;
}

/* Writes the CSV and checks that nothing but it is left in the directory. */
static void assert_csv(fixture *f, igmopt_study *study, const igmopt_config *cfg,
                       const char *expected)
{
    char *text;
    assert_int_equal(igmopt_report_csv(study, cfg, f->csv_path), IGMOPT_OK);
    assert_int_equal(dir_entries(f->dir), 1);
    text = read_text(f->csv_path);
    assert_string_equal(text, expected);
    free(text);
}

static void assert_summary(igmopt_study *study, const igmopt_config *cfg, const char *expected)
{
    char *text = NULL;
    assert_int_equal(igmopt_report_summary(study, cfg, &text), IGMOPT_OK);
    assert_string_equal(text, expected);
    igmopt_free(text);
}

/* ---- one objective -------------------------------------------------------- */

static const igmopt_direction minimize[] = {IGMOPT_MINIMIZE};

/* Trial 6 is asked from another handle (another process, as far as the
 * reporting handle can tell). */
static const trial_spec single_specs[] = {
    {"{\"x\": 0.25, \"kind\": \"a,\\\"b\", \"n\": 3, \"extra\": 2.0}",
     SUGGEST_X | SUGGEST_KIND | SUGGEST_N | SUGGEST_EXTRA, IGMOPT_COMPLETE, 1, {0.125}, 0,
     "2026-03-01 10:00:00.000000", "2026-03-01 10:01:30.250000"},
    {"{\"x\": 0.5, \"kind\": null, \"n\": 1}", SUGGEST_X | SUGGEST_KIND | SUGGEST_N,
     IGMOPT_COMPLETE, 1, {1.5}, 0, "2026-03-01 10:02:00.000000", "2026-03-01 10:02:01.500000"},
    {"{\"x\": 0.75, \"kind\": true, \"n\": 2}", SUGGEST_X | SUGGEST_KIND | SUGGEST_N,
     IGMOPT_COMPLETE, 1, {NAN}, 1, "2026-03-01 10:03:00.000000", "2026-03-01 10:03:00.000001"},
    {"{\"x\": 1.0, \"kind\": \"plain\", \"n\": 2}", SUGGEST_X | SUGGEST_KIND | SUGGEST_N,
     IGMOPT_COMPLETE, 1, {INFINITY}, 0, "2026-03-01 10:04:00.000000",
     "2026-03-01 10:04:02.000000"},
    {"{\"x\": 0.0, \"kind\": \"plain\", \"n\": 1}", SUGGEST_X | SUGGEST_KIND | SUGGEST_N,
     IGMOPT_PRUNED, 0, {0}, 0, "2026-03-01 10:05:00.500000", "2026-03-01 10:05:01.000000"},
    {NULL, 0, IGMOPT_FAIL, 0, {0}, 0, "2026-03-01 23:59:59.900000",
     "2026-03-02 00:00:00.100000"},
};
#define N_SINGLE (sizeof single_specs / sizeof single_specs[0])

static const trial_spec running_spec = {"{\"x\": 0.5}", SUGGEST_X, IGMOPT_RUNNING, 0, {0}, 0,
                                        NULL, NULL};

static igmopt_study *single_study(fixture *f, igmopt_trial **running, igmopt_study **other)
{
    igmopt_study *study = new_study(f->st, "single", minimize, 1);
    run_trials(study, single_specs, N_SINGLE);
    assert_int_equal(igmopt_study_load(other, f->st, "single", NULL, NULL), IGMOPT_OK);
    *running = run_trial(*other, &running_spec);
    return study;
}

static void close_single_study(igmopt_study *study, igmopt_trial *running, igmopt_study *other)
{
    igmopt_trial_free(running);
    igmopt_study_close(other);
    igmopt_study_close(study);
}

static const char single_csv[] =
    "number,state,loss,datetime_start,datetime_complete,duration,kind,x,n,extra,fail_reason\n"
    "0,COMPLETE,0.125,2026-03-01 10:00:00.000000,2026-03-01 10:01:30.250000,90.25,"
    "\"a,\"\"b\",0.25,3,2.0,\n"
    "1,COMPLETE,1.5,2026-03-01 10:02:00.000000,2026-03-01 10:02:01.500000,1.5,,0.5,1,,\n"
    "2,FAIL,,2026-03-01 10:03:00.000000,2026-03-01 10:03:00.000001,1e-06,true,0.75,2,,"
    "The value nan (objective 0) is not acceptable.\n"
    "3,COMPLETE,inf,2026-03-01 10:04:00.000000,2026-03-01 10:04:02.000000,2.0,plain,1.0,2,,\n"
    "4,PRUNED,,2026-03-01 10:05:00.500000,2026-03-01 10:05:01.000000,0.5,plain,0.0,1,,\n"
    "5,FAIL,,2026-03-01 23:59:59.900000,2026-03-02 00:00:00.100000,0.2,,,,,\n"
    "6,RUNNING,,%s,,,,0.5,,,\n";

static void test_csv_one_objective_every_trial_and_parameter(void **state)
{
    fixture *f = *state;
    struct igmopt_config cfg = config_with(single_objective, 1, config_params, 3);
    igmopt_trial *running;
    igmopt_study *other, *study = single_study(f, &running, &other);
    const igm_frozen_trial *t6;
    char expected[2048];
    assert_int_equal(igm_study_find_trial(study, 6, &t6), IGMOPT_OK);
    assert_int_equal(strlen(t6->datetime_start), IGM_DATETIME_LEN - 1);
    snprintf(expected, sizeof expected, single_csv, t6->datetime_start);
    assert_csv(f, study, &cfg, expected);
    close_single_study(study, running, other);
}

static void test_summary_one_objective_best_trial(void **state)
{
    fixture *f = *state;
    struct igmopt_config cfg = config_with(single_objective, 1, config_params, 3);
    igmopt_trial *running;
    igmopt_study *other, *study = single_study(f, &running, &other);
    assert_summary(study, &cfg,
                   "7 trials: 3 COMPLETE, 2 FAIL, 1 PRUNED, 1 RUNNING\n"
                   "Best trial 0: loss=0.125 params: kind=a,\"b, x=0.25, n=3, extra=2.0 "
                   "(completed 2026-03-01 10:01:30.250000, 90.25 s)\n"
                   "Most recent failures:\n"
                   "  trial 5: no reason recorded\n"
                   "  trial 2: The value nan (objective 0) is not acceptable.\n");
    close_single_study(study, running, other);
}

static const trial_spec one_trial_spec[] = {
    {"{\"x\": 0.5}", SUGGEST_X, IGMOPT_COMPLETE, 1, {-2.5}, 0, "2026-03-01 10:00:00.000000",
     "2026-03-01 10:00:03.000000"},
};

static const char generic_single_csv[] =
    "number,state,value,datetime_start,datetime_complete,duration,x,fail_reason\n"
    "0,COMPLETE,-2.5,2026-03-01 10:00:00.000000,2026-03-01 10:00:03.000000,3.0,0.5,\n";

static void test_csv_one_objective_unnamed_is_value(void **state)
{
    fixture *f = *state;
    struct igmopt_config two_names = config_with(two_objectives, 2, NULL, 0);
    igmopt_study *study = new_study(f->st, "unnamed", minimize, 1);
    run_trials(study, one_trial_spec, 1);
    assert_csv(f, study, NULL, generic_single_csv);
    /* names for another number of objectives belong to another study */
    assert_csv(f, study, &two_names, generic_single_csv);
    igmopt_study_close(study);
}

/* ---- two objectives ------------------------------------------------------- */

static const igmopt_direction min_max[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE};

static const trial_spec pareto_specs[] = {
    {"{\"x\": 0.25}", SUGGEST_X, IGMOPT_COMPLETE, 2, {1.0, 2.0}, 0, "2026-03-01 10:00:00.000000",
     "2026-03-01 10:00:01.000000"},
    {"{\"x\": 0.5}", SUGGEST_X, IGMOPT_COMPLETE, 2, {0.5, -INFINITY}, 0,
     "2026-03-01 10:01:00.000000", "2026-03-01 10:01:03.000000"},
    {"{\"x\": 0.30000000000000004}", SUGGEST_X, IGMOPT_COMPLETE, 2, {2.0, 1.0}, 0,
     "2026-03-01 10:02:00.000000", "2026-03-01 10:02:00.250000"},
    {"{\"x\": 1.0}", SUGGEST_X, IGMOPT_COMPLETE, 2, {INFINITY, 3.0}, 0,
     "2026-03-01 10:03:00.000000", "2026-03-01 10:03:10.000000"},
    {"{\"x\": 0.125}", SUGGEST_X, IGMOPT_COMPLETE, 1, {1.0}, 1, "2026-03-01 10:04:00.000000",
     "2026-03-01 10:04:00.750000"},
};
#define N_PARETO (sizeof pareto_specs / sizeof pareto_specs[0])

static void test_csv_two_objectives_unnamed_values_columns(void **state)
{
    fixture *f = *state;
    igmopt_study *study = new_study(f->st, "pareto", min_max, 2);
    run_trials(study, pareto_specs, N_PARETO);
    assert_csv(f, study, NULL,
               "number,state,values_0,values_1,datetime_start,datetime_complete,duration,x,"
               "fail_reason\n"
               "0,COMPLETE,1.0,2.0,2026-03-01 10:00:00.000000,2026-03-01 10:00:01.000000,1.0,"
               "0.25,\n"
               "1,COMPLETE,0.5,-inf,2026-03-01 10:01:00.000000,2026-03-01 10:01:03.000000,3.0,"
               "0.5,\n"
               "2,COMPLETE,2.0,1.0,2026-03-01 10:02:00.000000,2026-03-01 10:02:00.250000,0.25,"
               "0.30000000000000004,\n"
               "3,COMPLETE,inf,3.0,2026-03-01 10:03:00.000000,2026-03-01 10:03:10.000000,10.0,"
               "1.0,\n"
               "4,FAIL,,,2026-03-01 10:04:00.000000,2026-03-01 10:04:00.750000,0.75,0.125,"
               "The number of the values 1 did not match the number of the objectives 2.\n");
    igmopt_study_close(study);
}

static void test_csv_two_objectives_named_columns(void **state)
{
    fixture *f = *state;
    struct igmopt_config cfg = config_with(two_objectives, 2, NULL, 0);
    igmopt_study *study = new_study(f->st, "pareto", min_max, 2);
    run_trials(study, pareto_specs, 1);
    assert_csv(f, study, &cfg,
               "number,state,volume,speed,datetime_start,datetime_complete,duration,x,"
               "fail_reason\n"
               "0,COMPLETE,1.0,2.0,2026-03-01 10:00:00.000000,2026-03-01 10:00:01.000000,1.0,"
               "0.25,\n");
    igmopt_study_close(study);
}

static void test_summary_two_objectives_pareto_front(void **state)
{
    fixture *f = *state;
    struct igmopt_config cfg = config_with(two_objectives, 2, NULL, 0);
    igmopt_study *study = new_study(f->st, "pareto", min_max, 2);
    run_trials(study, pareto_specs, N_PARETO);
    assert_summary(study, &cfg,
                   "5 trials: 4 COMPLETE, 1 FAIL\n"
                   "Pareto front: 3 trial(s)\n"
                   "  trial 0: volume=1.0, speed=2.0 params: x=0.25 "
                   "(completed 2026-03-01 10:00:01.000000, 1.0 s)\n"
                   "  trial 1: volume=0.5, speed=-inf params: x=0.5 "
                   "(completed 2026-03-01 10:01:03.000000, 3.0 s)\n"
                   "  trial 3: volume=inf, speed=3.0 params: x=1.0 "
                   "(completed 2026-03-01 10:03:10.000000, 10.0 s)\n"
                   "Most recent failures:\n"
                   "  trial 4: The number of the values 1 did not match the number of the "
                   "objectives 2.\n");
    igmopt_study_close(study);
}

/* ---- studies without a result --------------------------------------------- */

static void test_reports_of_a_study_without_trials(void **state)
{
    fixture *f = *state;
    struct igmopt_config cfg = config_with(single_objective, 1, config_params, 3);
    igmopt_study *study = new_study(f->st, "empty", minimize, 1);
    assert_csv(f, study, &cfg,
               "number,state,loss,datetime_start,datetime_complete,duration,kind,x,n,"
               "fail_reason\n");
    assert_summary(study, &cfg, "Study 'empty' has no trials.\n");
    igmopt_study_close(study);
}

static const trial_spec fail_then_running[] = {
    {NULL, 0, IGMOPT_FAIL, 0, {0}, 0, "2026-03-01 10:00:00.000000", "2026-03-01 10:00:01.000000"},
    {NULL, SUGGEST_X, IGMOPT_RUNNING, 0, {0}, 0, NULL, NULL},
};

static void assert_no_complete_summary(fixture *f, const igmopt_direction *dirs, size_t n_dirs,
                                       const char *expected)
{
    igmopt_study *study = new_study(f->st, n_dirs == 1 ? "one" : "two", dirs, n_dirs);
    igmopt_trial *running;
    assert_null(run_trial(study, &fail_then_running[0]));
    running = run_trial(study, &fail_then_running[1]);
    assert_summary(study, NULL, expected);
    igmopt_trial_free(running);
    igmopt_study_close(study);
}

static void test_summary_without_complete_trial(void **state)
{
    fixture *f = *state;
    assert_no_complete_summary(f, minimize, 1,
                               "2 trials: 1 FAIL, 1 RUNNING\n"
                               "No COMPLETE trial yet: no best trial.\n"
                               "Most recent failures:\n"
                               "  trial 0: no reason recorded\n");
    assert_no_complete_summary(f, min_max, 2,
                               "2 trials: 1 FAIL, 1 RUNNING\n"
                               "No COMPLETE trial yet: no Pareto front.\n"
                               "Most recent failures:\n"
                               "  trial 0: no reason recorded\n");
}

/* ---- failure reasons ------------------------------------------------------ */

/* As the runner records a child's exit and stderr tail. */
static void fail_with_reason(igmopt_study *study, const char *reason_json)
{
    igmopt_trial *t;
    assert_int_equal(igmopt_study_ask(study, &t), IGMOPT_OK);
    if (reason_json)
        assert_int_equal(study->storage->ops->set_trial_attr(study->storage->impl,
                                                             t->record->trial_id,
                                                             IGM_ATTR_SYSTEM, "fail_reason",
                                                             reason_json),
                         IGMOPT_OK);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_FAIL, NULL, 0), IGMOPT_OK);
    igmopt_trial_free(t);
}

/* A reason keeps to its line, escaped as the log escapes it (a newline
 * in it used to start a line of its own, and an escape sequence reached
 * the terminal); a trailing newline is dropped. */
static void test_failures_newest_five_control_characters_escaped(void **state)
{
    fixture *f = *state;
    igmopt_study *study = new_study(f->st, "failing", minimize, 1);
    char *text;
    for (int i = 0; i < 6; i++)
        fail_with_reason(study, i == 0 ? NULL : "\"exit code 1\"");
    fail_with_reason(study, "\"exit code 2\\nTraceback: \\\"boom\\\", \\u00e9\\u001b[2J\\t.\\n\"");
    assert_summary(study, NULL,
                   "7 trials: 7 FAIL\n"
                   "No COMPLETE trial yet: no best trial.\n"
                   "Most recent failures (5 of 7):\n"
                   "  trial 6: exit code 2\\nTraceback: \"boom\", \xc3\xa9\\x1b[2J\\t.\n"
                   "  trial 5: exit code 1\n"
                   "  trial 4: exit code 1\n"
                   "  trial 3: exit code 1\n"
                   "  trial 2: exit code 1\n");
    assert_int_equal(igmopt_report_csv(study, NULL, f->csv_path), IGMOPT_OK);
    text = read_text(f->csv_path);
    assert_non_null(
        strstr(text, ",\"exit code 2\nTraceback: \"\"boom\"\", \xc3\xa9\x1b[2J\t.\n\"\n"));
    assert_non_null(strstr(text, ",exit code 1\n"));
    free(text);
    igmopt_study_close(study);
}

/* Objective and parameter names and a categorical value from the study or
 * the configuration: escaped too. */
static void test_summary_escapes_names_and_values(void **state)
{
    fixture *f = *state;
    static char objective[] = "co\nst", param[] = "la\tbel";
    static igm_config_objective objectives[] = {{objective, IGMOPT_MINIMIZE}};
    static igm_config_param params[] = {
        {.name = param, .type = IGM_PARAM_CATEGORICAL, .choices_json = "[\"a\\nb\\u001b[2J\"]"}};
    struct igmopt_config cfg = config_with(objectives, 1, params, 1);
    static const trial_spec spec = {NULL, 0, IGMOPT_COMPLETE, 1, {0.5}, 0,
                                    "2026-03-01 10:00:00.000000", "2026-03-01 10:00:01.000000"};
    igmopt_study *study = new_study(f->st, "escaped", minimize, 1);
    igmopt_trial *t;
    size_t k;
    double v = 0.5;
    assert_int_equal(igmopt_study_ask(study, &t), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_categorical(t, param, params[0].choices_json, &k),
                     IGMOPT_OK);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, &v, 1), IGMOPT_OK);
    igmopt_trial_free(t);
    pin_datetimes(study, &spec, 1);
    assert_summary(study, &cfg,
                   "1 trial: 1 COMPLETE\n"
                   "Best trial 0: co\\nst=0.5 params: la\\tbel=a\\nb\\x1b[2J "
                   "(completed 2026-03-01 10:00:01.000000, 1.0 s)\n");
    igmopt_study_close(study);
    study = new_study(f->st, "new\nstudy", minimize, 1);
    assert_summary(study, NULL, "Study 'new\\nstudy' has no trials.\n");
    igmopt_study_close(study);
}

/* Parameters named like a fixed column or an objective get Optuna's
 * params_ prefix: no two columns share a name. */
static void test_csv_parameters_named_like_other_columns_are_prefixed(void **state)
{
    fixture *f = *state;
    static char state_name[] = "state", fail_name[] = "fail_reason", loss[] = "loss";
    static igm_config_param params[] = {
        {.name = state_name, .type = IGM_PARAM_FLOAT, .low = 0.0, .high = 1.0},
        {.name = loss, .type = IGM_PARAM_FLOAT, .low = 0.0, .high = 1.0},
        {.name = fail_name, .type = IGM_PARAM_FLOAT, .low = 0.0, .high = 1.0},
        {.name = x_name, .type = IGM_PARAM_FLOAT, .low = 0.0, .high = 1.0},
    };
    struct igmopt_config cfg = config_with(single_objective, 1, params, 4);
    igmopt_study *study = new_study(f->st, "clash", minimize, 1);
    assert_csv(f, study, &cfg,
               "number,state,loss,datetime_start,datetime_complete,duration,params_state,"
               "params_loss,params_fail_reason,x,fail_reason\n");
    igmopt_study_close(study);
}

/* ---- the file ------------------------------------------------------------- */

static void test_csv_replaces_an_existing_file(void **state)
{
    fixture *f = *state;
    igmopt_study *study = new_study(f->st, "unnamed", minimize, 1);
    FILE *fp = fopen(f->csv_path, "w");
    assert_non_null(fp);
    fputs("old text that is longer than the new one\n", fp);
    fclose(fp);
    run_trials(study, one_trial_spec, 1);
    assert_csv(f, study, NULL, generic_single_csv);
    igmopt_study_close(study);
}

static void test_csv_error_names_the_path(void **state)
{
    fixture *f = *state;
    igmopt_study *study = new_study(f->st, "unnamed", minimize, 1);
    char path[160];
    snprintf(path, sizeof path, "%s/no-such-dir/results.csv", f->dir);
    assert_int_equal(igmopt_report_csv(study, NULL, path), IGMOPT_ESTORAGE);
    assert_non_null(strstr(igmopt_errmsg(), path));
    assert_non_null(strstr(igmopt_errmsg(), "No such file or directory"));
    assert_int_equal(dir_entries(f->dir), 0);
    igmopt_study_close(study);
}

static void test_null_arguments(void **state)
{
    fixture *f = *state;
    igmopt_study *study = new_study(f->st, "unnamed", minimize, 1);
    char *text = (char *)"untouched";
    assert_int_equal(igmopt_report_csv(NULL, NULL, f->csv_path), IGMOPT_EINVAL);
    assert_int_equal(igmopt_report_csv(study, NULL, NULL), IGMOPT_EINVAL);
    assert_int_equal(igmopt_report_csv(study, NULL, ""), IGMOPT_EINVAL);
    assert_int_equal(igmopt_report_summary(NULL, NULL, &text), IGMOPT_EINVAL);
    assert_int_equal(igmopt_report_summary(study, NULL, NULL), IGMOPT_EINVAL);
    igmopt_study_close(study);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_one_objective_every_trial_and_parameter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_summary_one_objective_best_trial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_one_objective_unnamed_is_value, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_csv_two_objectives_unnamed_values_columns, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_csv_two_objectives_named_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_two_objectives_pareto_front, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reports_of_a_study_without_trials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_without_complete_trial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures_newest_five_control_characters_escaped,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_escapes_names_and_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_parameters_named_like_other_columns_are_prefixed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_replaces_an_existing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_error_names_the_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
