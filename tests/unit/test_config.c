/* The sweep config (optuna_params.yaml): the seed template loads unchanged
 * with every field as written, defaults, PyYAML's scalar rules, relative
 * paths, command-line overrides, to_json, and one test per error with the
 * exact "FILE:LINE: key 'path': problem" message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igmopt/igmopt.h"
#include "lib/config.h"
#include "lib/methods.h"

/* ---- temporary files ----------------------------------------------------- */

typedef struct scratch {
    char dir[256];
    char path[512]; /* dir/optuna_params.yaml */
    const void *data;    /* the scenario, for table-driven tests */
} scratch;

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static int scratch_setup(void **state)
{
    scratch *s = calloc(1, sizeof *s);
    char real[PATH_MAX];
    assert_non_null(s);
    snprintf(s->dir, sizeof s->dir, "%.200s/igmopt_config_XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(s->dir));
    assert_non_null(realpath(s->dir, real));
    assert_true(strlen(real) < sizeof s->dir);
    strcpy(s->dir, real);
    snprintf(s->path, sizeof s->path, "%s/optuna_params.yaml", s->dir);
    *state = s;
    return 0;
}

static int scratch_teardown(void **state)
{
    scratch *s = *state;
    nftw(s->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(s);
    return 0;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static igmopt_config *load_text(scratch *s, const char *yaml)
{
    igmopt_config *cfg = NULL;
    write_text(s->path, yaml);
    if (igmopt_config_load(&cfg, s->path) != IGMOPT_OK)
        fail_msg("load failed: %s", igmopt_errmsg());
    return cfg;
}

/* expected starts after the path: ":LINE: key ...". */
static void assert_load_error(scratch *s, const char *yaml, const char *expected)
{
    igmopt_config *cfg = (igmopt_config *)1;
    char full[4096];
    write_text(s->path, yaml);
    assert_int_equal(igmopt_config_load(&cfg, s->path), IGMOPT_ECONFIG);
    assert_null(cfg);
    snprintf(full, sizeof full, "%s%s", s->path, expected);
    assert_string_equal(igmopt_errmsg(), full);
}

static char *to_json(const igmopt_config *cfg)
{
    char *json = NULL;
    assert_int_equal(igmopt_config_to_json(cfg, &json), IGMOPT_OK);
    return json;
}

static void set_ok(igmopt_config *cfg, const char *key_value)
{
    if (igmopt_config_set(cfg, key_value) != IGMOPT_OK)
        fail_msg("set %s failed: %s", key_value, igmopt_errmsg());
}

/* The change is refused with exactly `expected`, and nothing changes. */
static void assert_set_error(igmopt_config *cfg, const char *key_value, const char *expected)
{
    char *before = to_json(cfg), *after;
    assert_int_equal(igmopt_config_set(cfg, key_value), IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), expected);
    after = to_json(cfg);
    assert_string_equal(after, before);
    igmopt_free(before);
    igmopt_free(after);
}

/* Lines 1-3: one objective. */
#define OBJECTIVE_ONLY "objectives:\n  - name: cost\n    direction: minimize\n"
/* Lines 1-5: ... and the start of parameter x (its keys follow on line 6). */
#define PARAM_X OBJECTIVE_ONLY "parameters:\n  - name: x\n"
/* Lines 1-8: a float x in [0, 1]. */
#define MINIMAL_NO_TRIALS PARAM_X "    type: float\n    low: 0.0\n    high: 1.0\n"
/* Lines 1-9: a valid file to start from. */
#define MINIMAL MINIMAL_NO_TRIALS "n_trials: 10\n"

/* ---- the seed template ------------------------------------------------------ */

static void check_seed_fields(const igmopt_config *cfg, const char *dir)
{
    char expected[PATH_MAX + 64];
    assert_int_equal(cfg->n_objectives, 2);
    assert_string_equal(cfg->objectives[0].name, "cost_volume");
    assert_int_equal(cfg->objectives[0].direction, IGMOPT_MINIMIZE);
    assert_string_equal(cfg->objectives[1].name, "cost_speed");
    assert_int_equal(cfg->objectives[1].direction, IGMOPT_MINIMIZE);
    assert_int_equal(cfg->n_trials, 200);
    assert_int_equal(cfg->n_jobs, 2);
    assert_int_equal(cfg->gpu_allow_growth, 1);
    assert_null(cfg->gpu_ids);
    assert_int_equal(cfg->n_gpu_ids, 0);
    assert_true(cfg->trial_timeout == 0);
    assert_int_equal(cfg->max_trials, 0);
    snprintf(expected, sizeof expected, "sqlite:///%s/optuna.db", dir);
    assert_string_equal(cfg->storage, expected);
    assert_string_equal(cfg->study_name, "my_experiment");
    assert_string_equal(cfg->sampler_method, "NSGAIISampler");
    assert_string_equal(cfg->sampler_kwargs_json, "{\"population_size\": 10}");
    assert_null(cfg->pruner_method);
    assert_null(cfg->pruner_kwargs_json);
    assert_int_equal(cfg->n_overrides, 2);
    assert_string_equal(cfg->overrides[0].key, "processes.eval_objective.target_volume");
    assert_string_equal(cfg->overrides[0].value_json, "18.0");
    assert_string_equal(cfg->overrides[1].key, "processes.eval_objective.target_max_speed");
    assert_string_equal(cfg->overrides[1].value_json, "200.0");
    assert_int_equal(cfg->n_params, 3);
    assert_string_equal(cfg->params[0].name, "processes.iceflow.physics.init_slidingco");
    assert_int_equal(cfg->params[0].type, IGM_PARAM_FLOAT);
    assert_true(cfg->params[0].low == 0.01 && cfg->params[0].high == 1.0);
    assert_true(cfg->params[0].step == 0);
    assert_int_equal(cfg->params[0].log, 1);
    assert_string_equal(cfg->params[1].name, "processes.iceflow.physics.init_arrhenius");
    assert_true(cfg->params[1].low == 30.0 && cfg->params[1].high == 150.0);
    assert_int_equal(cfg->params[1].log, 0);
    assert_string_equal(cfg->params[2].name, "processes.smb_simple.array.1.3");
    assert_true(cfg->params[2].low == 2500.0 && cfg->params[2].high == 3200.0);
    assert_int_equal(cfg->params[2].log, 0);
    assert_null(cfg->params[2].choices_json);
    assert_int_equal(cfg->n_command, 2);
    assert_string_equal(cfg->command[0], "igm_run");
    assert_string_equal(cfg->command[1], "+experiment=params");
    assert_null(cfg->command[2]);
    snprintf(expected, sizeof expected, "%s/multirun", dir);
    assert_string_equal(cfg->sweep_dir, expected);
    assert_string_equal(cfg->score_file, "_igm_score.json");
}

static const char *fixture_dir(const char *variable)
{
    const char *dir = getenv(variable);
    if (!dir)
        fail_msg("%s is not set (tests/meson.build sets it)", variable);
    return dir;
}

static void seed_template_loads_unchanged(void **state)
{
    char path[PATH_MAX], dir[PATH_MAX];
    igmopt_config *cfg;
    snprintf(path, sizeof path, "%s/optuna_params.seed.yaml",
             fixture_dir("IGMOPT_TEST_FIXTURES"));
    assert_int_equal(igmopt_config_load(&cfg, path), IGMOPT_OK);
    assert_non_null(realpath(fixture_dir("IGMOPT_TEST_FIXTURES"), dir));
    assert_string_equal(cfg->path, path);
    assert_string_equal(cfg->base_dir, dir);
    check_seed_fields(cfg, dir);
    igmopt_config_free(cfg);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)size + 1);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    return text;
}

/* tests/fixtures holds a copy so a clone alone can run the tests; the
 * shared original (../shared beside the repository) must stay the same. */
static void seed_template_copy_matches_the_shared_original(void **state)
{
    char ours[PATH_MAX], shared[PATH_MAX], dir[PATH_MAX];
    char *a, *b;
    igmopt_config *cfg;
    snprintf(ours, sizeof ours, "%s/optuna_params.seed.yaml",
             fixture_dir("IGMOPT_TEST_FIXTURES"));
    snprintf(shared, sizeof shared, "%s/optuna_params.seed.yaml",
             fixture_dir("IGMOPT_SHARED_FIXTURES"));
    if (!(b = slurp(shared)))
        skip();
    a = slurp(ours);
    assert_non_null(a);
    assert_string_equal(a, b);
    free(a);
    free(b);
    assert_int_equal(igmopt_config_load(&cfg, shared), IGMOPT_OK);
    assert_non_null(realpath(fixture_dir("IGMOPT_SHARED_FIXTURES"), dir));
    check_seed_fields(cfg, dir);
    igmopt_config_free(cfg);
}

/* ---- defaults and values ------------------------------------------------------ */

static void absent_keys_take_their_defaults(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, MINIMAL);
    char expected[PATH_MAX + 16];
    assert_int_equal(cfg->n_jobs, 1);
    assert_int_equal(cfg->gpu_allow_growth, 0);
    assert_null(cfg->gpu_ids);
    assert_true(cfg->trial_timeout == 0);
    assert_true(cfg->heartbeat_interval == 60.0);
    assert_true(cfg->grace_period == 120.0);
    assert_int_equal(cfg->max_trials, 0);
    assert_null(cfg->storage);
    assert_null(cfg->study_name);
    /* TPESampler, as in the reference. */
    assert_string_equal(cfg->sampler_method, "TPESampler");
    assert_string_equal(cfg->sampler_kwargs_json, "{}");
    assert_null(cfg->pruner_method);
    assert_int_equal(cfg->n_overrides, 0);
    assert_null(cfg->overrides);
    assert_int_equal(cfg->n_command, 2);
    assert_string_equal(cfg->command[0], "igm_run");
    snprintf(expected, sizeof expected, "%s/multirun", s->dir);
    assert_string_equal(cfg->sweep_dir, expected);
    assert_string_equal(cfg->score_file, "_igm_score.json");
    igmopt_config_free(cfg);
}

static void null_optional_keys_mean_their_defaults(void **state)
{
    igmopt_config *cfg = load_text(*state, MINIMAL "n_jobs:\ngpu_ids: ~\nstorage: null\n"
                                                   "sampler:\npruner: ~\noverrides:\n");
    assert_int_equal(cfg->n_jobs, 1);
    assert_null(cfg->gpu_ids);
    assert_null(cfg->storage);
    assert_string_equal(cfg->sampler_method, "TPESampler");
    assert_null(cfg->pruner_method);
    igmopt_config_free(cfg);
}

static void our_additional_keys_are_read(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, MINIMAL
                                   "command: [python3, glacier.py, --steps, 3]\n"
                                   "sweep_dir: /tmp/sweeps/a\n"
                                   "score_file: score.json\n"
                                   "max_trials: 50\n"
                                   "trial_timeout: 2.5\n"
                                   "heartbeat_interval: 5\n"
                                   "grace_period: 30.5\n"
                                   "gpu_ids: [0, 1, 1]\n"
                                   "pruner:\n"
                                   "  method: MedianPruner\n"
                                   "  n_startup_trials: 5\n");
    assert_int_equal(cfg->n_command, 4);
    assert_string_equal(cfg->command[0], "python3");
    assert_string_equal(cfg->command[3], "3");
    assert_null(cfg->command[4]);
    assert_string_equal(cfg->sweep_dir, "/tmp/sweeps/a");
    assert_string_equal(cfg->score_file, "score.json");
    assert_int_equal(cfg->max_trials, 50);
    assert_true(cfg->trial_timeout == 2.5);
    assert_true(cfg->heartbeat_interval == 5.0);
    assert_true(cfg->grace_period == 30.5);
    assert_int_equal(cfg->n_gpu_ids, 3);
    assert_int_equal(cfg->gpu_ids[2], 1);
    /* Not built yet here, so not checked: the runner reports it. */
    assert_string_equal(cfg->pruner_method, "MedianPruner");
    assert_string_equal(cfg->pruner_kwargs_json, "{\"n_startup_trials\": 5}");
    igmopt_config_free(cfg);
    /* Optuna's default, twice the interval, but at least the interval + 2 s */
    cfg = load_text(s, MINIMAL "heartbeat_interval: 1.5\n");
    assert_true(cfg->grace_period == 3.5);
    igmopt_config_free(cfg);
    cfg = load_text(s, MINIMAL "heartbeat_interval: 3\n");
    assert_true(cfg->grace_period == 6.0);
    igmopt_config_free(cfg);
}

static void int_timeout_and_available_sampler_kwargs_are_accepted(void **state)
{
    igmopt_config *cfg = load_text(*state, MINIMAL "trial_timeout: 3600\n"
                                                   "sampler: {method: RandomSampler, seed: 7}\n"
                                                   "pruner: {method: NopPruner}\n");
    assert_true(cfg->trial_timeout == 3600.0);
    assert_string_equal(cfg->sampler_method, "RandomSampler");
    assert_string_equal(cfg->sampler_kwargs_json, "{\"seed\": 7}");
    assert_string_equal(cfg->pruner_method, "NopPruner");
    assert_string_equal(cfg->pruner_kwargs_json, "{}");
    igmopt_config_free(cfg);
}

static void override_values_become_json_in_file_order(void **state)
{
    static const char *const expected[][2] = {
        {"a.float", "18.0"},   {"a.int", "200"},         {"a.true", "true"},
        {"a.yes", "true"},     {"a.Off", "false"},       {"a.null", "null"},
        {"a.tilde", "null"},   {"a.empty", "null"},      {"a.text", "\"hello world\""},
        {"a.comma", "\"a,b\""}, {"a.quoted_num", "\"18\""}, {"a.hex", "26"},
        {"a.octal", "8"},      {"a.underscores", "1000"}, {"a.exp", "0.001"},
        {"+a.new", "-Infinity"}, {"a.quote", "\"say \\\"hi\\\"\""}, {"a.str_tag", "\"5\""},
        {"a.date", "\"2001-12-14\""}, {"a.yes_quoted", "\"yes\""},
        /* ints of any size, as Python's str(int) writes them */
        {"a.big", "12345678901234567890"}, {"a.big_negative", "-99999999999999999999"},
        {"a.big_hex", "18446744073709551616"}, {"a.big_octal", "1152921504606846976"},
    };
    igmopt_config *cfg = load_text(*state, MINIMAL "overrides:\n"
                                                   "  a.float: 18.0\n"
                                                   "  a.int: 200\n"
                                                   "  a.true: true\n"
                                                   "  a.yes: yes\n"
                                                   "  a.Off: Off\n"
                                                   "  a.null: null\n"
                                                   "  a.tilde: ~\n"
                                                   "  a.empty:\n"
                                                   "  a.text: hello world\n"
                                                   "  a.comma: a,b\n"
                                                   "  a.quoted_num: '18'\n"
                                                   "  a.hex: 0x1A\n"
                                                   "  a.octal: 010\n"
                                                   "  a.underscores: 1_000\n"
                                                   "  a.exp: 1e-3\n"
                                                   "  +a.new: -.inf\n"
                                                   "  a.quote: say \"hi\"\n"
                                                   "  a.str_tag: !!str 5\n"
                                                   "  a.date: 2001-12-14\n"
                                                   "  a.yes_quoted: \"yes\"\n"
                                                   "  a.big: 12345678901234567890\n"
                                                   "  a.big_negative: -99_999_999_999_999_999_999\n"
                                                   "  a.big_hex: 0x1_0000_0000_0000_0000\n"
                                                   "  a.big_octal: !!int 0100000000000000000000\n");
    assert_int_equal(cfg->n_overrides, sizeof expected / sizeof *expected);
    for (size_t i = 0; i < cfg->n_overrides; i++) {
        assert_string_equal(cfg->overrides[i].key, expected[i][0]);
        assert_string_equal(cfg->overrides[i].value_json, expected[i][1]);
    }
    igmopt_config_free(cfg);
}

static void yaml_1_1_bools_are_bools_like_pyyaml(void **state)
{
    static const char *const words[] = {"yes", "Yes", "YES", "on", "On", "ON", "true", "True"};
    char yaml[512];
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        igmopt_config *cfg;
        snprintf(yaml, sizeof yaml, MINIMAL "gpu_allow_growth: %s\n", words[i]);
        cfg = load_text(*state, yaml);
        assert_int_equal(cfg->gpu_allow_growth, 1);
        igmopt_config_free(cfg);
    }
}

static void parameter_types_steps_and_choices(void **state)
{
    igmopt_config *cfg = load_text(*state, OBJECTIVE_ONLY
                                   "parameters:\n"
                                   "  - {name: lr, type: float, low: 1e-5, high: 1, log: yes}\n"
                                   "  - {name: dx, type: float, low: 0, high: 1, step: 0.25}\n"
                                   "  - {name: n, type: int, low: 1, high: 64, log: true}\n"
                                   "  - {name: k, type: int, low: -4, high: 10, step: 2}\n"
                                   "  - name: opt\n"
                                   "    type: categorical\n"
                                   "    choices: [adam, 3, 2.5, true, null, 'a, b']\n"
                                   "n_trials: 0\n");
    assert_int_equal(cfg->n_params, 5);
    assert_true(cfg->params[0].low == 1e-5 && cfg->params[0].high == 1.0);
    assert_int_equal(cfg->params[0].log, 1);
    assert_true(cfg->params[1].step == 0.25);
    assert_int_equal(cfg->params[2].type, IGM_PARAM_INT);
    assert_int_equal(cfg->params[2].ilow, 1);
    assert_int_equal(cfg->params[2].ihigh, 64);
    assert_int_equal(cfg->params[2].istep, 1);
    assert_int_equal(cfg->params[2].log, 1);
    assert_int_equal(cfg->params[3].ilow, -4);
    assert_int_equal(cfg->params[3].istep, 2);
    assert_int_equal(cfg->params[4].type, IGM_PARAM_CATEGORICAL);
    assert_string_equal(cfg->params[4].choices_json,
                        "[\"adam\", 3, 2.5, true, null, \"a, b\"]");
    assert_int_equal(cfg->n_trials, 0);
    igmopt_config_free(cfg);
}

static void anchors_and_aliases_are_expanded(void **state)
{
    igmopt_config *cfg = load_text(*state, OBJECTIVE_ONLY
                                   "n_trials: &zero 0\n"
                                   "parameters:\n"
                                   "  - {name: a, type: float, low: *zero, high: &top 2.5}\n"
                                   "  - {name: b, type: int, low: *zero, high: 3}\n"
                                   "overrides:\n"
                                   "  top: *top\n");
    assert_true(cfg->params[0].low == 0.0 && cfg->params[0].high == 2.5);
    assert_int_equal(cfg->params[1].ilow, 0);
    assert_string_equal(cfg->overrides[0].value_json, "2.5");
    igmopt_config_free(cfg);
}

/* Repeated keys and choices are found by sorting: a file near the node
 * limit loads at once, not in quadratic time. */
static char *long_lists_yaml(const char *choice_tail, const char *override_tail)
{
    size_t size = 1u << 20, len;
    char *yaml = malloc(size);
    assert_non_null(yaml);
    len = (size_t)snprintf(yaml, size, OBJECTIVE_ONLY "parameters:\n  - name: c\n"
                                                      "    type: categorical\n    choices: [0");
    for (int i = 1; i < 30000; i++)
        len += (size_t)snprintf(yaml + len, size - len, ", %d", i);
    len += (size_t)snprintf(yaml + len, size - len, "%s]\nn_trials: 1\noverrides:\n",
                            choice_tail);
    for (int i = 0; i < 30000; i++)
        len += (size_t)snprintf(yaml + len, size - len, "  key.n%d: %d\n", i, i);
    snprintf(yaml + len, size - len, "%s", override_tail);
    return yaml;
}

static void long_mappings_and_choice_lists_load(void **state)
{
    scratch *s = *state;
    char *yaml = long_lists_yaml("", "");
    igmopt_config *cfg = load_text(s, yaml);
    assert_int_equal(cfg->n_overrides, 30000);
    assert_string_equal(cfg->overrides[29999].value_json, "29999");
    assert_int_equal(strlen(cfg->params[0].choices_json), 198890);
    igmopt_config_free(cfg);
    free(yaml);
    yaml = long_lists_yaml(", 7.0, 5", "");
    assert_load_error(s, yaml, ":7: key 'parameters.0.choices.30000': repeats choice 7 (choices "
                               "are compared with Python's ==)");
    free(yaml);
    yaml = long_lists_yaml("", "  key.n7: 1\n  key.n3: 1\n");
    assert_load_error(s, yaml, ":30010: key 'overrides.key.n7': duplicate key (first at line 17)");
    free(yaml);
}

/* ---- relative paths --------------------------------------------------------------- */

static void relative_paths_resolve_against_the_file_directory(void **state)
{
    scratch *s = *state;
    char expected[PATH_MAX + 64], rel_path[600], cwd[PATH_MAX];
    igmopt_config *cfg;
    write_text(s->path, MINIMAL "storage: sqlite:///db/optuna.db?timeout=5\n"
                                "sweep_dir: runs/a\n");
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir("/"), 0);
    snprintf(rel_path, sizeof rel_path, ".%s", s->path);
    assert_int_equal(igmopt_config_load(&cfg, rel_path), IGMOPT_OK);
    assert_int_equal(chdir(cwd), 0);
    snprintf(expected, sizeof expected, "sqlite:///%s/db/optuna.db?timeout=5", s->dir);
    assert_string_equal(cfg->storage, expected);
    snprintf(expected, sizeof expected, "%s/runs/a", s->dir);
    assert_string_equal(cfg->sweep_dir, expected);
    assert_string_equal(cfg->path, rel_path);
    igmopt_config_free(cfg);
}

static void absolute_and_in_memory_storage_urls_are_kept(void **state)
{
    static const char *const urls[] = {
        "sqlite:////var/db/optuna.db", "sqlite:///:memory:", ":memory:",
        "sqlite:////var/db/optuna.db?timeout=5",
    };
    char yaml[512];
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        igmopt_config *cfg;
        snprintf(yaml, sizeof yaml, MINIMAL "storage: '%s'\n", urls[i]);
        cfg = load_text(*state, yaml);
        assert_string_equal(cfg->storage, urls[i]);
        igmopt_config_free(cfg);
    }
}

static void command_line_paths_resolve_against_the_current_directory(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, MINIMAL);
    char cwd[PATH_MAX], expected[PATH_MAX + 64];
    assert_non_null(getcwd(cwd, sizeof cwd));
    set_ok(cfg, "storage=sqlite:///here.db");
    set_ok(cfg, "sweep_dir=out");
    snprintf(expected, sizeof expected, "sqlite:///%s/here.db", cwd);
    assert_string_equal(cfg->storage, expected);
    snprintf(expected, sizeof expected, "%s/out", cwd);
    assert_string_equal(cfg->sweep_dir, expected);
    assert_string_equal(cfg->command_dir, s->dir); /* the default command's */
    set_ok(cfg, "command=[./sim.sh]");
    assert_string_equal(cfg->command_dir, cwd);
    igmopt_config_free(cfg);
}

static void a_command_from_the_file_resolves_against_its_directory(void **state)
{
    scratch *s = *state;
    static const char *const argv[] = {"./typed.sh"};
    igmopt_config *cfg = load_text(s, MINIMAL "command: [./sim.sh]\n");
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_string_equal(cfg->command_dir, s->dir);
    assert_int_equal(igmopt_config_set_command(cfg, argv, 1), IGMOPT_OK);
    assert_string_equal(cfg->command_dir, cwd);
    igmopt_config_free(cfg);
}

/* ---- command-line overrides ------------------------------------------------------- */

static igmopt_config *load_seed(void)
{
    char path[PATH_MAX];
    igmopt_config *cfg;
    snprintf(path, sizeof path, "%s/optuna_params.seed.yaml",
             fixture_dir("IGMOPT_TEST_FIXTURES"));
    assert_int_equal(igmopt_config_load(&cfg, path), IGMOPT_OK);
    return cfg;
}

static void set_changes_and_creates_keys(void **state)
{
    igmopt_config *cfg = load_seed();
    set_ok(cfg, "n_trials=10");
    set_ok(cfg, "sampler.seed=3");
    set_ok(cfg, "max_trials=50");
    set_ok(cfg, "parameters.0.high=2");
    set_ok(cfg, "objectives.1.direction=maximize");
    set_ok(cfg, "gpu_ids=[0,1]");
    set_ok(cfg, "study_name=abc");
    set_ok(cfg, "overrides.processes.eval_objective.target_volume=20.5");
    set_ok(cfg, "overrides.processes.new.key='x y'");
    set_ok(cfg, "overrides.processes.new.seed=12345678901234567890");
    assert_int_equal(cfg->n_trials, 10);
    assert_string_equal(cfg->sampler_kwargs_json, "{\"population_size\": 10, \"seed\": 3}");
    assert_int_equal(cfg->max_trials, 50);
    assert_true(cfg->params[0].high == 2.0);
    assert_int_equal(cfg->objectives[1].direction, IGMOPT_MAXIMIZE);
    assert_int_equal(cfg->n_gpu_ids, 2);
    assert_int_equal(cfg->gpu_ids[1], 1);
    assert_string_equal(cfg->study_name, "abc");
    assert_int_equal(cfg->n_overrides, 4);
    assert_string_equal(cfg->overrides[0].value_json, "20.5");
    assert_string_equal(cfg->overrides[2].key, "processes.new.key");
    assert_string_equal(cfg->overrides[2].value_json, "\"x y\"");
    assert_string_equal(cfg->overrides[3].value_json, "12345678901234567890");
    igmopt_config_free(cfg);
}

static void set_fills_a_null_section_and_appends_to_lists(void **state)
{
    igmopt_config *cfg = load_text(*state, MINIMAL "pruner:\n");
    set_ok(cfg, "pruner.method=NopPruner");
    set_ok(cfg, "parameters.1={name: y, type: int, low: 1, high: 3}");
    set_ok(cfg, "objectives.0={name: loss, direction: maximize}");
    assert_string_equal(cfg->pruner_method, "NopPruner");
    assert_int_equal(cfg->n_params, 2);
    assert_string_equal(cfg->params[1].name, "y");
    assert_string_equal(cfg->objectives[0].name, "loss");
    igmopt_config_free(cfg);
}

static void tilde_removes_a_key_or_list_item(void **state)
{
    igmopt_config *cfg = load_seed();
    set_ok(cfg, "~sampler.population_size");
    set_ok(cfg, "sampler.method=RandomSampler");
    set_ok(cfg, "~parameters.1");
    set_ok(cfg, "~overrides.processes.eval_objective.target_volume");
    set_ok(cfg, "~storage");
    assert_string_equal(cfg->sampler_kwargs_json, "{}");
    assert_int_equal(cfg->n_params, 2);
    assert_string_equal(cfg->params[1].name, "processes.smb_simple.array.1.3");
    assert_int_equal(cfg->n_overrides, 1);
    assert_null(cfg->storage);
    igmopt_config_free(cfg);
}

static void refused_sets_leave_the_config_unchanged(void **state)
{
    char *path;
    char expected[PATH_MAX + 200];
    igmopt_config *cfg = load_seed();
    path = cfg->path;
    assert_set_error(cfg, "n_jobs=0", "command line: n_jobs=0: key 'n_jobs': must be >= 1 (got 0)");
    assert_set_error(cfg, "gpu_allow_grwoth=true",
                     "command line: gpu_allow_grwoth=true: key 'gpu_allow_grwoth': unknown key "
                     "(did you mean 'gpu_allow_growth'?)");
    assert_set_error(cfg, "parameters.0.low=5",
                     "command line: parameters.0.low=5: key 'parameters.0.low': low (5.0) must "
                     "be <= high (1.0)");
    snprintf(expected, sizeof expected, "command line: parameters.0.high=0.001: %s:47: key "
             "'parameters.0.low': low (0.01) must be <= high (0.001)", path);
    assert_set_error(cfg, "parameters.0.high=0.001", expected);
    assert_set_error(cfg, "parameters.9.high=1", "command line: parameters.9.high=1: key "
                     "'parameters.9': index out of range (the list has 3 items)");
    assert_set_error(cfg, "parameters.x.high=1", "command line: parameters.x.high=1: key "
                     "'parameters.x': a list is indexed by a number (0 for the first)");
    assert_set_error(cfg, "n_trials.x=1", "command line: n_trials.x=1: key 'n_trials': holds a "
                     "single value, not a list or mapping");
    assert_set_error(cfg, "n_trials", "command line: n_trials: expected key=value");
    assert_set_error(cfg, "=3", "command line: =3: the key before '=' is empty");
    assert_set_error(cfg, "a..b=3", "command line: a..b=3: the key 'a..b' has an empty part");
    assert_set_error(cfg, "gpu_ids=[0,", "command line: gpu_ids=[0,: the value is not valid "
                     "YAML: did not find expected node content (while parsing a flow node)");
    assert_set_error(cfg, "n_trials=ten", "command line: n_trials=ten: key 'n_trials': must be "
                     "an integer (got the string 'ten')");
    assert_set_error(cfg, "n_trials=ten\tx", "command line: n_trials=ten\\tx: key 'n_trials': "
                     "must be an integer (got the string 'ten\\tx')");
    assert_set_error(cfg, "n_trials=9223372036854775808", "command line: "
                     "n_trials=9223372036854775808: key 'n_trials': the integer "
                     "9223372036854775808 does not fit in 64 bits");
    assert_set_error(cfg, "~nothing.here", "command line: ~nothing.here: key 'nothing': no such "
                     "key to remove");
    snprintf(expected, sizeof expected, "command line: ~n_trials: %s:7: key 'n_trials': missing "
             "(objectives, parameters and n_trials are required)", path);
    assert_set_error(cfg, "~n_trials", expected);
    snprintf(expected, sizeof expected, "command line: sampler.method=RandomSampler: %s:31: key "
             "'sampler.population_size': RandomSampler: unknown option 'population_size'", path);
    assert_set_error(cfg, "sampler.method=RandomSampler", expected);
    assert_set_error(cfg, "overrides.processes.iceflow.physics.init_arrhenius=3",
                     "command line: overrides.processes.iceflow.physics.init_arrhenius=3: key "
                     "'overrides.processes.iceflow.physics.init_arrhenius': also tuned as "
                     "parameters.1 (line 50); a value is either tuned or fixed");
    check_seed_fields(cfg, cfg->base_dir);
    igmopt_config_free(cfg);
}

static void set_many_applies_every_override_before_checking(void **state)
{
    static const char *const log_first[] = {"parameters.0.log=true", "parameters.0.low=0.1"};
    igmopt_config *cfg = load_text(*state, MINIMAL);
    assert_int_equal(igmopt_config_set_many(cfg, log_first, 2), IGMOPT_OK);
    assert_int_equal(cfg->params[0].log, 1);
    assert_true(cfg->params[0].low == 0.1);
    igmopt_config_free(cfg);
}

static void set_many_refused_names_the_overrides_and_changes_nothing(void **state)
{
    static const char *const lowered[] = {"n_trials=5", "parameters.0.high=0.001"};
    static const char *const one_bad[] = {"n_trials=5", "n_jobs=0", "~storage"};
    igmopt_config *cfg = load_seed();
    char expected[PATH_MAX + 200], *before = to_json(cfg), *after;
    snprintf(expected, sizeof expected, "command line: n_trials=5 parameters.0.high=0.001: "
             "%s:47: key 'parameters.0.low': low (0.01) must be <= high (0.001)", cfg->path);
    assert_int_equal(igmopt_config_set_many(cfg, lowered, 2), IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), expected);
    assert_int_equal(igmopt_config_set_many(cfg, one_bad, 3), IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), "command line: n_jobs=0: key 'n_jobs': must be >= 1 "
                                         "(got 0)");
    after = to_json(cfg);
    assert_string_equal(after, before);
    assert_int_equal(igmopt_config_set_many(cfg, NULL, 0), IGMOPT_OK);
    assert_int_equal(igmopt_config_set_many(cfg, NULL, 1), IGMOPT_EINVAL);
    igmopt_free(before);
    igmopt_free(after);
    igmopt_config_free(cfg);
}

/* As Hydra composes before it checks: the file's own mistakes can be
 * repaired by overrides (and the trial command) given with it. */
static void load_with_lets_overrides_repair_the_file(void **state)
{
    static const char *const fixes[] = {"n_jobs=1", "sampler.seed=1", "~colour"};
    static const char *const argv[] = {"python3", "model.py"};
    scratch *s = *state;
    igmopt_config *cfg = NULL;
    write_text(s->path, MINIMAL "n_jobs: 0\nsampler:\n  method: RandomSampler\n  seed: -1\n"
               "colour: blue\ncommand: []\n");
    assert_int_equal(igmopt_config_load_with(&cfg, s->path, fixes, 3, argv, 2), IGMOPT_OK);
    assert_int_equal(cfg->n_jobs, 1);
    assert_string_equal(cfg->sampler_kwargs_json, "{\"seed\": 1}");
    assert_string_equal(cfg->command[1], "model.py");
    igmopt_config_free(cfg);
}

/* A file value wrong on its own names its line alone; one the overrides
 * made wrong is prefixed with them; an override's own value names it. */
static void load_with_names_where_each_wrong_value_came_from(void **state)
{
    static const char *const unrelated[] = {"n_trials=3"};
    static const char *const lowered[] = {"n_trials=3", "parameters.0.high=-1"};
    static const char *const bad_jobs[] = {"n_trials=3", "n_jobs=0"};
    scratch *s = *state;
    igmopt_config *cfg = (igmopt_config *)1;
    char expected[1024];
    write_text(s->path, MINIMAL "n_jobs: 0\n");
    assert_int_equal(igmopt_config_load_with(&cfg, s->path, unrelated, 1, NULL, 0),
                     IGMOPT_ECONFIG);
    assert_null(cfg);
    snprintf(expected, sizeof expected, "%s:10: key 'n_jobs': must be >= 1 (got 0)", s->path);
    assert_string_equal(igmopt_errmsg(), expected);
    write_text(s->path, MINIMAL);
    assert_int_equal(igmopt_config_load_with(&cfg, s->path, lowered, 2, NULL, 0),
                     IGMOPT_ECONFIG);
    snprintf(expected, sizeof expected, "command line: n_trials=3 parameters.0.high=-1: %s:7: "
             "key 'parameters.0.low': low (0.0) must be <= high (-1.0)", s->path);
    assert_string_equal(igmopt_errmsg(), expected);
    assert_int_equal(igmopt_config_load_with(&cfg, s->path, bad_jobs, 2, NULL, 0),
                     IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), "command line: n_jobs=0: key 'n_jobs': must be >= 1 "
                                         "(got 0)");
    assert_int_equal(igmopt_config_load_with(&cfg, s->path, NULL, 1, NULL, 0), IGMOPT_EINVAL);
    assert_int_equal(igmopt_config_load_with(&cfg, s->path, NULL, 0, NULL, 1), IGMOPT_EINVAL);
}

static void set_command_copies_argv_and_survives_later_sets(void **state)
{
    char program[] = "python3";
    const char *argv[] = {program, "model.py", "--fast"};
    igmopt_config *cfg = load_seed();
    char *json;
    assert_int_equal(igmopt_config_set_command(cfg, argv, 3), IGMOPT_OK);
    program[0] = 'X';
    set_ok(cfg, "n_trials=1");
    assert_int_equal(cfg->n_command, 3);
    assert_string_equal(cfg->command[0], "python3");
    assert_string_equal(cfg->command[2], "--fast");
    assert_null(cfg->command[3]);
    json = to_json(cfg);
    assert_non_null(strstr(json, "\"command\": [\"python3\", \"model.py\", \"--fast\"]"));
    igmopt_free(json);
    argv[0] = "";
    assert_int_equal(igmopt_config_set_command(cfg, argv, 1), IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), "command line: the trial command: key 'command.0': "
                        "must be a non-empty program string");
    assert_int_equal(igmopt_config_set_command(cfg, argv, 0), IGMOPT_EINVAL);
    assert_string_equal(cfg->command[0], "python3");
    igmopt_config_free(cfg);
}

/* ---- to_json ------------------------------------------------------------------- */

static void to_json_lists_every_key_in_force(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, MINIMAL "overrides: {a.b: 1.5, c: 'x'}\n"
                                              "sampler: {seed: 3}\n");
    char *json = to_json(cfg);
    char expected[4 * PATH_MAX];
    snprintf(expected, sizeof expected,
             "{\"config_file\": \"%s\", "
             "\"objectives\": [{\"name\": \"cost\", \"direction\": \"minimize\"}], "
             "\"parameters\": [{\"name\": \"x\", \"type\": \"float\", \"low\": 0.0, "
             "\"high\": 1.0, \"step\": null, \"log\": false}], "
             "\"overrides\": {\"a.b\": 1.5, \"c\": \"x\"}, "
             "\"n_trials\": 10, \"max_trials\": null, \"n_jobs\": 1, "
             "\"gpu_allow_growth\": false, \"gpu_ids\": null, \"trial_timeout\": null, "
             "\"heartbeat_interval\": 60.0, \"grace_period\": 120.0, "
             "\"storage\": null, \"study_name\": null, "
             "\"sampler\": {\"method\": \"TPESampler\", \"seed\": 3}, "
             "\"pruner\": null, "
             "\"command\": [\"igm_run\", \"+experiment=params\"], "
             "\"sweep_dir\": \"%s/multirun\", \"score_file\": \"_igm_score.json\"}",
             s->path, s->dir);
    assert_string_equal(json, expected);
    igmopt_free(json);
    igmopt_config_free(cfg);
}

static void to_json_shows_int_and_categorical_parameters_and_the_rest(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, OBJECTIVE_ONLY
                                   "  - {name: speed, direction: maximize}\n"
                                   "parameters:\n"
                                   "  - {name: n, type: int, low: 1, high: 9, step: 2}\n"
                                   "  - {name: c, type: categorical, choices: [a, 1.0, null]}\n"
                                   "  - {name: f, type: float, low: 0, high: 1, step: 0.1}\n"
                                   "n_trials: 3\nmax_trials: 7\ngpu_ids: [2]\n"
                                   "trial_timeout: 60\nstorage: sqlite:////d/o.db\n"
                                   "study_name: s\npruner: {method: MedianPruner}\n"
                                   "command: [a]\nheartbeat_interval: 0\n");
    char *json = to_json(cfg);
    assert_non_null(strstr(json, "\"objectives\": [{\"name\": \"cost\", \"direction\": "
                                 "\"minimize\"}, {\"name\": \"speed\", \"direction\": "
                                 "\"maximize\"}]"));
    assert_non_null(strstr(json, "{\"name\": \"n\", \"type\": \"int\", \"low\": 1, "
                                 "\"high\": 9, \"step\": 2, \"log\": false}"));
    assert_non_null(strstr(json, "{\"name\": \"c\", \"type\": \"categorical\", "
                                 "\"choices\": [\"a\", 1.0, null]}"));
    assert_non_null(strstr(json, "\"step\": 0.1, \"log\": false}"));
    assert_non_null(strstr(json, "\"n_trials\": 3, \"max_trials\": 7, \"n_jobs\": 1, "
                                 "\"gpu_allow_growth\": false, \"gpu_ids\": [2], "
                                 "\"trial_timeout\": 60.0, \"heartbeat_interval\": 0.0, "
                                 "\"grace_period\": null, \"storage\": \"sqlite:////d/o.db\", "
                                 "\"study_name\": \"s\", \"sampler\": {\"method\": "
                                 "\"TPESampler\"}, \"pruner\": {\"method\": "
                                 "\"MedianPruner\"}, \"command\": [\"a\"]"));
    igmopt_free(json);
    igmopt_config_free(cfg);
}


/* ---- errors, one scenario each -------------------------------------------------- */

typedef struct error_case {
    const char *name;
    const char *yaml;
    const char *message; /* after the file's path */
} error_case;

#define REQUIRED "(objectives, parameters and n_trials are required)"
#define STORAGE_FORMS "use sqlite:///relative/path.db, sqlite:////absolute/path.db or :memory:"

static const error_case error_cases[] = {
    /* unknown, misplaced and retired keys */
    {"top_level_direction_is_an_error", MINIMAL "direction: minimize\n",
     ":10: key 'direction': not supported: give each objective a name instead, e.g. "
     "objectives: [{name: cost, direction: minimize}]"},
    {"misspelled_key_is_an_error_with_a_suggestion", MINIMAL "gpu_allow_grwoth: true\n",
     ":10: key 'gpu_allow_grwoth': unknown key (did you mean 'gpu_allow_growth'?)"},
    {"unknown_key_is_an_error", MINIMAL "colour: blue\n",
     ":10: key 'colour': unknown key (the keys are listed in doc/config.md)"},
    {"conditional_overrides_are_refused", MINIMAL "conditional_overrides: []\n",
     ":10: key 'conditional_overrides': not supported by igmopt yet"},
    {"low_under_objectives_is_misplaced",
     OBJECTIVE_ONLY "    low: 0\nparameters:\n  - {name: x, type: float, low: 0, high: 1}\n"
                    "n_trials: 1\n",
     ":4: key 'objectives.0.low': unknown key (an objective takes name and direction)"},
    {"misspelled_parameter_key", PARAM_X "    type: float\n    low: 0\n    hihg: 1\n",
     ":8: key 'parameters.0.hihg': unknown key (did you mean 'high'?)"},
    {"low_under_a_categorical_parameter",
     PARAM_X "    type: categorical\n    choices: [a, b]\n    low: 0\nn_trials: 1\n",
     ":8: key 'parameters.0.low': not used by type categorical (it takes choices)"},
    {"choices_under_a_float_parameter",
     PARAM_X "    type: float\n    low: 0\n    high: 1\n    choices: [a]\nn_trials: 1\n",
     ":9: key 'parameters.0.choices': not used by type float (it takes low, high, step, log)"},
    /* wrong types */
    {"n_trials_as_a_word", MINIMAL_NO_TRIALS "n_trials: ten\n",
     ":9: key 'n_trials': must be an integer (got the string 'ten')"},
    {"n_trials_with_a_newline_stays_on_one_line", MINIMAL_NO_TRIALS "n_trials: \"1\\n\\e[2J\"\n",
     ":9: key 'n_trials': must be an integer (got the string '1\\n\\x1b[2J')"},
    {"n_trials_as_a_bool", MINIMAL_NO_TRIALS "n_trials: yes\n",
     ":9: key 'n_trials': must be an integer (got true)"},
    {"n_trials_negative", MINIMAL_NO_TRIALS "n_trials: -1\n",
     ":9: key 'n_trials': must be >= 0 (got -1)"},
    {"n_trials_beyond_64_bits", MINIMAL_NO_TRIALS "n_trials: 99999999999999999999\n",
     ":9: key 'n_trials': the integer 99999999999999999999 does not fit in 64 bits"},
    {"float_bound_beyond_64_bits", PARAM_X "    type: float\n    low: 0\n    high: 0x1_0000_0000_0000_0000\n",
     ":8: key 'parameters.0.high': the integer 0x1_0000_0000_0000_0000 does not fit in 64 bits"},
    {"choice_beyond_64_bits", PARAM_X "    type: categorical\n    choices: [1, 99999999999999999999]\n",
     ":7: key 'parameters.0.choices.1': the integer 99999999999999999999 does not fit in 64 bits"},
    {"sampler_kwarg_beyond_64_bits",
     MINIMAL "sampler:\n  method: GridSampler\n  search_space: {x: [1, 99999999999999999999]}\n",
     ":12: key 'sampler.search_space.x.1': the integer 99999999999999999999 does not fit in 64 "
     "bits"},
    {"log_as_a_quoted_string",
     PARAM_X "    type: float\n    low: 0.1\n    high: 1.0\n    log: \"yes\"\nn_trials: 1\n",
     ":9: key 'parameters.0.log': must be true or false (got the string 'yes')"},
    {"gpu_allow_growth_as_a_quoted_string", MINIMAL "gpu_allow_growth: 'true'\n",
     ":10: key 'gpu_allow_growth': must be true or false (got the string 'true')"},
    {"parameter_type_unknown", PARAM_X "    type: double\n    low: 0\n    high: 1\n",
     ":6: key 'parameters.0.type': must be float, int or categorical (got the string "
     "'double')"},
    {"int_parameter_with_a_float_bound", PARAM_X "    type: int\n    low: 1.5\n    high: 3\n",
     ":7: key 'parameters.0.low': must be an integer (got the number 1.5)"},
    {"float_bound_as_text", PARAM_X "    type: float\n    low: abc\n    high: 3\n",
     ":7: key 'parameters.0.low': must be a number (got the string 'abc')"},
    {"float_bound_infinite", PARAM_X "    type: float\n    low: 0\n    high: .inf\n",
     ":8: key 'parameters.0.high': must be a finite number (got .inf)"},
    {"parameter_name_as_a_number", OBJECTIVE_ONLY "parameters:\n  - name: 12\n",
     ":5: key 'parameters.0.name': must be a string (got the number 12; quote it to make it "
     "text)"},
    {"parameter_as_a_string", OBJECTIVE_ONLY "parameters:\n  - x\nn_trials: 1\n",
     ":5: key 'parameters.0': must be a mapping with name, type and a range (got the string "
     "'x')"},
    {"study_name_as_a_number", MINIMAL "study_name: 2024\n",
     ":10: key 'study_name': must be a string (got the number 2024; quote it to make it "
     "text)"},
    {"storage_as_a_list", MINIMAL "storage: [a]\n",
     ":10: key 'storage': must be a string (got a list)"},
    {"storage_of_another_database", MINIMAL "storage: postgresql://user@host/db\n",
     ":10: key 'storage': unsupported storage URL 'postgresql://user@host/db': this version "
     "stores studies in SQLite only (" STORAGE_FORMS ")"},
    {"storage_sqlite_with_two_slashes", MINIMAL "storage: sqlite://x.db\n",
     ":10: key 'storage': 'sqlite://x.db' is not a SQLite URL: a relative path follows three "
     "slashes, an absolute one four (" STORAGE_FORMS ")"},
    {"storage_sqlite_without_a_file", MINIMAL "storage: sqlite:///?timeout=5\n",
     ":10: key 'storage': the storage URL 'sqlite:///?timeout=5' names no file ("
     STORAGE_FORMS ")"},
    /* query options, by the SQLite backend's own parser (a run refused them) */
    {"storage_unknown_option", MINIMAL "storage: sqlite:///h.db?foo=1\n",
     ":10: key 'storage': storage URL 'sqlite:///h.db?foo=1': unknown option 'foo' (known: "
     "schema, journal_mode, synchronous, timeout)"},
    {"storage_bad_journal_mode", MINIMAL "storage: sqlite:///h.db?journal_mode=bogus\n",
     ":10: key 'storage': storage URL 'sqlite:///h.db?journal_mode=bogus': "
     "journal_mode=bogus: use delete, truncate, persist, memory, wal or off"},
    {"storage_negative_timeout", MINIMAL "storage: sqlite:///h.db?timeout=-5\n",
     ":10: key 'storage': storage URL 'sqlite:///h.db?timeout=-5': timeout=-5: expected "
     "seconds (a number >= 0)"},
    {"storage_timeout_not_a_number", MINIMAL "storage: sqlite:////d/h.db?timeout=abc\n",
     ":10: key 'storage': storage URL 'sqlite:////d/h.db?timeout=abc': timeout=abc: expected "
     "seconds (a number >= 0)"},
    {"storage_bad_synchronous", MINIMAL "storage: sqlite:///h.db?synchronous=maybe\n",
     ":10: key 'storage': storage URL 'sqlite:///h.db?synchronous=maybe': "
     "synchronous=maybe: use off, normal, full or extra"},
    {"storage_unknown_schema", MINIMAL "storage: sqlite:///h.db?schema=v9\n",
     ":10: key 'storage': storage URL 'sqlite:///h.db?schema=v9': schema=v9: use v3.2.0.a "
     "(Optuna >= 3.2, the default) or v3.0.0.d (Optuna 3.0-3.1)"},
    {"storage_option_without_value", MINIMAL "storage: sqlite:///h.db?timeout\n",
     ":10: key 'storage': storage URL 'sqlite:///h.db?timeout': option 'timeout' has no "
     "'=value'"},
    {"sampler_as_a_string", MINIMAL "sampler: RandomSampler\n",
     ":10: key 'sampler': must be a mapping: method plus the constructor's keyword arguments "
     "(got the string 'RandomSampler')"},
    {"overrides_as_a_list", MINIMAL "overrides: [a]\n",
     ":10: key 'overrides': must be a mapping of key: value (got a list)"},
    {"override_value_as_a_list", MINIMAL "overrides:\n  a: [1, 2]\n",
     ":11: key 'overrides.a': must be a single value (a number, string, bool or null), not a "
     "list"},
    {"override_key_with_a_space", MINIMAL "overrides:\n  'a b': 1\n",
     ":11: key 'overrides.a b': an override key cannot contain '=', white space or control "
     "characters (it becomes a Hydra key=value argument)"},
    {"override_key_like_an_option", MINIMAL "overrides:\n  --help: 1\n",
     ":11: key 'overrides.--help': an override key cannot start with '-' (the program would "
     "read it as an option)"},
    {"parameter_name_with_an_equals_sign", OBJECTIVE_ONLY "parameters:\n  - name: a=b c\n",
     ":5: key 'parameters.0.name': a parameter name cannot contain '=', white space or "
     "control characters (it becomes a Hydra key=value argument)"},
    {"parameter_name_with_a_newline", OBJECTIVE_ONLY "parameters:\n  - name: \"a\\nb\"\n",
     ":5: key 'parameters.0.name': a parameter name cannot contain '=', white space or "
     "control characters (it becomes a Hydra key=value argument)"},
    {"parameter_name_like_an_option", OBJECTIVE_ONLY "parameters:\n  - name: --help\n",
     ":5: key 'parameters.0.name': a parameter name cannot start with '-' (the program would "
     "read it as an option)"},
    {"gpu_ids_as_a_number", MINIMAL "gpu_ids: 0\n",
     ":10: key 'gpu_ids': must be a list of GPU ids, e.g. [0, 1] (got the number 0)"},
    {"gpu_id_negative", MINIMAL "gpu_ids: [0, -1]\n", ":10: key 'gpu_ids.1': must be >= 0 (got -1)"},
    {"trial_timeout_zero", MINIMAL "trial_timeout: 0\n",
     ":10: key 'trial_timeout': must be a number of seconds > 0 (got 0); omit it for no "
     "timeout"},
    {"max_trials_zero", MINIMAL "max_trials: 0\n", ":10: key 'max_trials': must be >= 1 (got 0)"},
    {"heartbeat_interval_negative", MINIMAL "heartbeat_interval: -1\n",
     ":10: key 'heartbeat_interval': must be 0 (off) or a number of seconds >= 1 and < 1e6 "
     "(got -1); heartbeats are whole seconds"},
    {"heartbeat_interval_below_a_second", MINIMAL "heartbeat_interval: 1e-9\n",
     ":10: key 'heartbeat_interval': must be 0 (off) or a number of seconds >= 1 and < 1e6 "
     "(got 1e-9); heartbeats are whole seconds"},
    {"heartbeat_interval_that_underflows_to_zero", MINIMAL "heartbeat_interval: 1e-400\n",
     ":10: key 'heartbeat_interval': must be 0 (off) or a number of seconds >= 1 and < 1e6 "
     "(got 1e-400); heartbeats are whole seconds"},
    {"heartbeat_interval_zero_written_with_an_exponent_is_off", MINIMAL
     "heartbeat_interval: 0.0e5\nn_jobs: 0\n", ":11: key 'n_jobs': must be >= 1 (got 0)"},
    {"grace_period_zero", MINIMAL "grace_period: 0\n",
     ":10: key 'grace_period': must be a number of seconds > 0 and < 1e6 (got 0)"},
    {"grace_period_within_the_interval", MINIMAL "heartbeat_interval: 10\ngrace_period: 11\n",
     ":11: key 'grace_period': must be longer than heartbeat_interval + 1 s (11 s; heartbeats "
     "are whole seconds), or live trials would look stale; the default is twice "
     "heartbeat_interval, at least heartbeat_interval + 2"},
    {"score_file_with_a_directory", MINIMAL "score_file: out/score.json\n",
     ":10: key 'score_file': must be a plain file name (it is looked up in each trial's "
     "directory), got 'out/score.json'"},
    {"score_file_is_the_trials_stdout", MINIMAL "score_file: stdout.txt\n",
     ":10: key 'score_file': 'stdout.txt' names a file the runner writes (each trial's stdout "
     "and stderr go to stdout.txt and stderr.txt); choose another name"},
    {"score_file_is_the_trials_stderr", MINIMAL "score_file: stderr.txt\n",
     ":10: key 'score_file': 'stderr.txt' names a file the runner writes (each trial's stdout "
     "and stderr go to stdout.txt and stderr.txt); choose another name"},
    {"command_as_one_string", MINIMAL "command: igm_run +experiment=params\n",
     ":10: key 'command': must be a non-empty list of arguments, e.g. [igm_run, "
     "+experiment=params]"},
    {"command_argument_as_a_list", MINIMAL "command: [python3, [a]]\n",
     ":10: key 'command.1': must be a single argument string"},
    /* ranges, checked as igmopt_trial_suggest_* checks them */
    {"low_above_high", PARAM_X "    type: float\n    low: 2.0\n    high: 1.0\nn_trials: 1\n",
     ":7: key 'parameters.0.low': low (2.0) must be <= high (1.0)"},
    {"int_low_above_high", PARAM_X "    type: int\n    low: 5\n    high: 1\nn_trials: 1\n",
     ":7: key 'parameters.0.low': low (5) must be <= high (1)"},
    {"log_with_low_zero",
     PARAM_X "    type: float\n    low: 0\n    high: 1\n    log: true\nn_trials: 1\n",
     ":9: key 'parameters.0.log': log scale needs low > 0 (low is 0.0)"},
    {"int_log_with_low_below_one",
     PARAM_X "    type: int\n    low: 0\n    high: 10\n    log: true\nn_trials: 1\n",
     ":9: key 'parameters.0.log': log scale needs low >= 1 for an int (low is 0)"},
    {"step_with_log", PARAM_X "    type: float\n    low: 0.1\n    high: 1\n    step: 0.1\n"
                      "    log: true\nn_trials: 1\n",
     ":9: key 'parameters.0.step': step cannot be used with log: true"},
    {"int_step_with_log", PARAM_X "    type: int\n    low: 1\n    high: 9\n    step: 2\n"
                          "    log: true\nn_trials: 1\n",
     ":9: key 'parameters.0.step': step cannot be used with log: true"},
    {"step_zero", PARAM_X "    type: float\n    low: 0\n    high: 1\n    step: 0\nn_trials: 1\n",
     ":9: key 'parameters.0.step': must be > 0 (got 0)"},
    {"int_step_zero", PARAM_X "    type: int\n    low: 0\n    high: 1\n    step: 0\nn_trials: 1\n",
     ":9: key 'parameters.0.step': must be >= 1 (got 0)"},
    {"int_bounds_beyond_exact_float_integers",
     PARAM_X "    type: int\n    low: -9223372036854775808\n    high: 9223372036854775807\n"
             "n_trials: 1\n",
     ":5: key 'parameters.0': parameter 'x': int bounds must lie within +-2^53 "
     "(9007199254740992), the integers Optuna's float storage holds exactly"},
    /* choices */
    {"empty_choices", PARAM_X "    type: categorical\n    choices: []\nn_trials: 1\n",
     ":7: key 'parameters.0.choices': must be a non-empty list of values"},
    {"choices_as_a_string", PARAM_X "    type: categorical\n    choices: adam\nn_trials: 1\n",
     ":7: key 'parameters.0.choices': must be a non-empty list of values"},
    {"duplicate_choices", PARAM_X "    type: categorical\n    choices: [adam, sgd, adam]\n",
     ":7: key 'parameters.0.choices.2': repeats choice 0 (choices are compared with Python's "
     "==)"},
    {"choices_equal_under_python_equality",
     PARAM_X "    type: categorical\n    choices: [0, 1, 1.0]\n",
     ":7: key 'parameters.0.choices.2': repeats choice 1 (choices are compared with Python's "
     "==)"},
    {"choice_as_a_list", PARAM_X "    type: categorical\n    choices: [a, [b, c]]\n",
     ":7: key 'parameters.0.choices.1': a choice must be null, a bool, a number or a string "
     "(got a list)"},
    {"choice_nan", PARAM_X "    type: categorical\n    choices: [.nan]\nn_trials: 1\n",
     ":7: key 'parameters.0.choices.0': a choice must be a finite number (got .nan)"},
    /* names */
    {"duplicate_parameter_names",
     OBJECTIVE_ONLY "parameters:\n  - {name: x, type: float, low: 0, high: 1}\n"
                    "  - {name: x, type: int, low: 0, high: 1}\nn_trials: 1\n",
     ":6: key 'parameters.1.name': parameter 'x' is defined twice (also parameters.0)"},
    {"objective_named_twice",
     OBJECTIVE_ONLY "  - name: cost\n    direction: maximize\n",
     ":4: key 'objectives.1.name': objective 'cost' is listed twice (also objectives.0)"},
    {"invalid_direction", "objectives:\n  - name: cost\n    direction: minimise\n",
     ":3: key 'objectives.0.direction': must be minimize or maximize (got the string "
     "'minimise')"},
    {"parameter_named_like_an_override", MINIMAL "overrides:\n  x: 3\n",
     ":11: key 'overrides.x': also tuned as parameters.0 (line 5); a value is either tuned or "
     "fixed"},
    {"n_jobs_zero", MINIMAL "n_jobs: 0\n", ":10: key 'n_jobs': must be >= 1 (got 0)"},
    {"n_jobs_huge", MINIMAL "n_jobs: 100000000\n",
     ":10: key 'n_jobs': must be <= 10000 trials at once (got 100000000)"},
    /* sampler and pruner */
    {"unknown_sampler", MINIMAL "sampler:\n  method: TPESamplr\n",
     ":11: key 'sampler.method': unknown sampler 'TPESamplr'"},
    {"unknown_sampler_kwarg", MINIMAL "sampler:\n  method: RandomSampler\n  sed: 3\n",
     ":12: key 'sampler.sed': RandomSampler: unknown option 'sed'"},
    {"negative_sampler_seed", MINIMAL "sampler:\n  method: TPESampler\n  seed: -1\n",
     ":12: key 'sampler.seed': TPESampler: option 'seed' must be between 0 and 2**32 - 1 "
     "(got -1)"},
    {"unknown_pruner", MINIMAL "pruner:\n  method: MedianPrunr\n",
     ":11: key 'pruner.method': unknown pruner 'MedianPrunr'"},
    {"unknown_pruner_kwarg", MINIMAL "pruner: {method: NopPruner, patience: 2}\n",
     ":10: key 'pruner.patience': NopPruner: unknown option 'patience'"},
    {"pruner_without_method", MINIMAL "pruner:\n  n_startup_trials: 5\n",
     ":10: key 'pruner.method': missing (the pruner class, e.g. MedianPruner)"},
    /* missing keys */
    {"objectives_missing", "parameters:\n  - {name: x, type: float, low: 0, high: 1}\n"
                           "n_trials: 1\n",
     ":1: key 'objectives': missing " REQUIRED},
    {"parameters_missing", OBJECTIVE_ONLY "n_trials: 1\n",
     ":1: key 'parameters': missing " REQUIRED},
    {"n_trials_missing", MINIMAL_NO_TRIALS, ":1: key 'n_trials': missing " REQUIRED},
    {"objectives_empty", "objectives: []\n", ":1: key 'objectives': must be a non-empty list "
                                             "of {name, direction} entries"},
    {"parameters_empty", OBJECTIVE_ONLY "parameters: []\n",
     ":4: key 'parameters': must be a non-empty list of {name, type, ...} entries"},
    {"objective_direction_missing", "objectives:\n  - name: cost\n",
     ":2: key 'objectives.0.direction': missing (an objective needs name and direction)"},
    {"parameter_name_missing", OBJECTIVE_ONLY "parameters:\n  - type: float\n    low: 0\n",
     ":5: key 'parameters.0.name': missing (every parameter needs name and type)"},
    {"parameter_type_missing", PARAM_X "    low: 0\n    high: 1\n",
     ":5: key 'parameters.0.type': missing (every parameter needs name and type)"},
    {"parameter_low_missing", PARAM_X "    type: float\n    high: 1\n",
     ":5: key 'parameters.0.low': missing (a float parameter needs low and high)"},
    {"parameter_high_missing", PARAM_X "    type: int\n    low: 0\n",
     ":5: key 'parameters.0.high': missing (an int parameter needs low and high)"},
    {"parameter_choices_missing", PARAM_X "    type: categorical\n",
     ":5: key 'parameters.0.choices': missing (a categorical parameter needs choices)"},
    /* YAML itself */
    {"duplicate_yaml_key", MINIMAL "n_trials: 5\n",
     ":10: key 'n_trials': duplicate key (first at line 9)"},
    {"duplicate_nested_yaml_key", PARAM_X "    type: float\n    low: 0\n    low: 1\n",
     ":8: key 'parameters.0.low': duplicate key (first at line 7)"},
    {"unclosed_flow_mapping", MINIMAL "sampler: {method: x\n",
     ":11:1: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping "
     "at line 10)"},
    {"bad_indentation", "objectives:\n  - name: cost\n   direction: minimize\n",
     ":3:4: YAML syntax error: did not find expected '-' indicator (while parsing a block "
     "collection at line 2)"},
    {"tab_indentation", "objectives:\n\t- name: cost\n",
     ":2:1: YAML syntax error: found character that cannot start any token (while scanning "
     "for the next token at line 2) (YAML forbids tabs for indentation)"},
    {"tab_indentation_after_utf8_text", "# \xc3\xa9t\xc3\xa9\nobjectives:\n\t- name: cost\n",
     ":3:1: YAML syntax error: found character that cannot start any token (while scanning "
     "for the next token at line 3) (YAML forbids tabs for indentation)"},
    {"other_bad_character_has_no_tab_hint", "objectives:\n@x\n",
     ":2:1: YAML syntax error: found character that cannot start any token (while scanning "
     "for the next token at line 2)"},
    {"invalid_utf8", MINIMAL "study_name: \xff\n",
     ":10: YAML syntax error: invalid leading UTF-8 octet"},
    {"empty_file", "", ":1: the file is empty (it needs objectives, parameters and n_trials)"},
    {"comments_only", "# nothing\n",
     ":1: the file is empty (it needs objectives, parameters and n_trials)"},
    {"top_level_list", "- a\n- b\n",
     ":1: the file must be a mapping of keys such as objectives, parameters and n_trials (got "
     "a list)"},
    {"two_documents", MINIMAL "---\nn_trials: 3\n",
     ":10: more than one YAML document (a second '---')"},
    {"unsupported_tag", MINIMAL_NO_TRIALS "n_trials: !!python/int 3\n",
     ":9: key 'n_trials': unsupported tag 'tag:yaml.org,2002:python/int'"},
    {"value_not_fitting_its_tag", MINIMAL_NO_TRIALS "n_trials: !!int ten\n",
     ":9: key 'n_trials': 'ten' is not a valid tag:yaml.org,2002:int"},
    {"unknown_alias", MINIMAL_NO_TRIALS "n_trials: *nope\n",
     ":9: key 'n_trials': unknown alias '*nope'"},
    {"nul_character", MINIMAL_NO_TRIALS "n_trials: \"1\\0\"\n",
     ":9: key 'n_trials': a value contains a NUL character"},
    {"collection_as_a_mapping_key", "? [a]\n: b\n", ":1: a mapping key must be a scalar"},
    {"alias_bomb",
     "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
     "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
     ":5: key 'e.7': more than 100000 YAML nodes (aliases included)"},
};

static int error_case_setup(void **state)
{
    const error_case *c = *state;
    scratch *s;
    scratch_setup(state);
    s = *state;
    s->data = c;
    return 0;
}

static void error_case_fails_as_expected(void **state)
{
    scratch *s = *state;
    const error_case *c = s->data;
    assert_load_error(s, c->yaml, c->message);
}

static void deep_nesting_is_refused(void **state)
{
    scratch *s = *state;
    char yaml[256] = "a: ";
    igmopt_config *cfg;
    for (int i = 0; i < 70; i++)
        strcat(yaml, "[");
    write_text(s->path, yaml);
    assert_int_equal(igmopt_config_load(&cfg, s->path), IGMOPT_ECONFIG);
    assert_non_null(strstr(igmopt_errmsg(), ":1: key 'a.0.0.0."));
    assert_non_null(strstr(igmopt_errmsg(), "': nested more than 64 levels deep"));
}

static void loading_from_memory_names_the_given_file(void **state)
{
    igmopt_config *cfg;
    static const char text[] = MINIMAL "n_jobs: -2\n";
    assert_int_equal(igm_config_load_buffer(text, sizeof text - 1, "/nowhere/x.yaml", &cfg),
                     IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), "/nowhere/x.yaml:10: key 'n_jobs': must be >= 1 (got -2)");
    assert_int_equal(igm_config_load_buffer(text, sizeof text - 12, "/nowhere/x.yaml", &cfg),
                     IGMOPT_OK);
    assert_string_equal(cfg->sweep_dir, "/nowhere/multirun");
    igmopt_config_free(cfg);
}

/* ---- what a run needs beyond a valid file (igmopt_config_check) ------------------ */

/* "RandomSampler, TPESampler, ..." as the registry lists them. */
static void available_list(char *buf, size_t size, const char *(*available)(size_t))
{
    const char *name;
    buf[0] = '\0';
    for (size_t i = 0; (name = available(i)); i++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? ", " : "", name);
}

/* A sampler class Optuna has that this build lacks loads, but a run or
 * --check says so, and where it is asked for. */
static void an_unavailable_sampler_is_named_with_the_available_ones(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, MINIMAL "command: [sh]\nsampler:\n  method: GPSampler\n");
    igmopt_sampler *gp = NULL;
    char names[512], expected[PATH_MAX + 700];
    if (igmopt_sampler_new(&gp, "GPSampler", NULL) != IGMOPT_EUNAVAILABLE) {
        igmopt_sampler_free(gp);
        igmopt_config_free(cfg);
        skip(); /* built by now: pick another class Optuna has */
    }
    available_list(names, sizeof names, igm_sampler_available);
    assert_non_null(strstr(names, "NSGAIISampler"));
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_ECONFIG);
    snprintf(expected, sizeof expected, "%s:12: key 'sampler.method': GPSampler is not "
             "available yet in this version of libigmopt (available samplers: %s)", s->path,
             names);
    assert_string_equal(igmopt_errmsg(), expected);
    igmopt_config_free(cfg);
}

/* Kwargs that cannot serve the configured objectives are found before any
 * trial runs: here NSGA-III reference points for two objectives, one
 * configured. */
static void sampler_kwargs_are_checked_against_the_objectives(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, MINIMAL "command: [sh]\nsampler:\n  method: "
                                   "NSGAIIISampler\n  reference_points: [[1, 0], [0, 1]]\n");
    char expected[PATH_MAX + 200];
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_ECONFIG);
    snprintf(expected, sizeof expected, "%s:13: key 'sampler.reference_points': NSGAIIISampler: "
             "reference_points have 2 coordinates but the study has 1 objective", s->path);
    assert_string_equal(igmopt_errmsg(), expected);
    igmopt_config_free(cfg);
    /* set on the command line, the override is named */
    cfg = load_text(s, MINIMAL "command: [sh]\nsampler:\n  method: NSGAIIISampler\n");
    assert_int_equal(igmopt_config_set(cfg, "sampler.reference_points=[[1, 0]]"), IGMOPT_OK);
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), "command line: sampler.reference_points=[[1, 0]]: key "
                        "'sampler.reference_points': NSGAIIISampler: reference_points have 2 "
                        "coordinates but the study has 1 objective");
    igmopt_config_free(cfg);
}

/* JSON has no infinity: an infinite kwarg is named at its own line, not
 * left to the JSON parser's "invalid token near 'Infinity'". */
static void infinite_sampler_options_are_named(void **state)
{
    scratch *s = *state;
    assert_load_error(s, MINIMAL "sampler:\n  method: NSGAIISampler\n  crossover:\n"
                      "    method: blxalpha\n    alpha: .inf\n",
                      ":14: key 'sampler.crossover.alpha': must be a finite number (got .inf): "
                      "sampler and pruner options travel as JSON, which has no infinity or NaN");
}

/* The database may be created, its directory must exist. */
static void a_storage_directory_that_does_not_exist_is_named(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, MINIMAL "command: [sh]\nstorage: sqlite:///nodir/x.db\n");
    char expected[PATH_MAX + 300];
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_ECONFIG);
    snprintf(expected, sizeof expected, "%s:11: key 'storage': the database's directory "
             "%s/nodir: No such file or directory", s->path, s->dir);
    assert_string_equal(igmopt_errmsg(), expected);
    set_ok(cfg, "storage=sqlite:///x.db");
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_OK);
    igmopt_config_free(cfg);
}

static void a_storage_path_that_is_not_a_file_is_named(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg = load_text(s, MINIMAL "command: [sh]\nstorage: sqlite:///fifo.db\n");
    char fifo[PATH_MAX], expected[PATH_MAX * 2 + 300];
    snprintf(fifo, sizeof fifo, "%s/fifo.db", s->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_ECONFIG);
    snprintf(expected, sizeof expected, "%s:11: key 'storage': %s: not a regular file (it is a "
             "FIFO): the database must be one, or not exist yet", s->path, fifo);
    assert_string_equal(igmopt_errmsg(), expected);
    igmopt_config_free(cfg);
}

static void an_unavailable_pruner_is_named_with_the_available_ones(void **state)
{
    igmopt_config *cfg = load_text(*state, MINIMAL "command: [sh]\n");
    igmopt_pruner *median = NULL;
    if (igmopt_pruner_new(&median, "MedianPruner", NULL) != IGMOPT_EUNAVAILABLE) {
        igmopt_pruner_free(median);
        igmopt_config_free(cfg);
        skip();
    }
    set_ok(cfg, "pruner.method=MedianPruner");
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), "command line: pruner.method=MedianPruner: key "
                        "'pruner.method': MedianPruner is not available yet in this version of "
                        "libigmopt (available pruners: NopPruner)");
    igmopt_config_free(cfg);
}

static void a_runnable_config_passes_the_check(void **state)
{
    igmopt_config *cfg = load_text(*state, MINIMAL "command: [sh, -c, 'exit 0']\n"
                                   "pruner: {method: NopPruner}\n");
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_OK);
    igmopt_config_free(cfg);
}

/* The check looks where the launcher looks: PATH here is the scratch
 * directory alone. */
static void a_program_missing_from_path_is_named(void **state)
{
    scratch *s = *state;
    char *saved_path = strdup(getenv("PATH") ? getenv("PATH") : "");
    igmopt_config *configured = load_text(s, MINIMAL "command: [igmopt_no_such_program, x]\n");
    igmopt_config *by_default = load_text(s, MINIMAL);
    char expected[PATH_MAX + 300];
    setenv("PATH", s->dir, 1);
    assert_int_equal(igmopt_config_check(configured), IGMOPT_ECONFIG);
    snprintf(expected, sizeof expected, "%s:10: key 'command': program "
             "'igmopt_no_such_program' not found in PATH", s->path);
    assert_string_equal(igmopt_errmsg(), expected);
    assert_int_equal(igmopt_config_check(by_default), IGMOPT_ECONFIG);
    snprintf(expected, sizeof expected, "%s:1: key 'command': program 'igm_run' not found in "
             "PATH (it is the default command; set command: in the file or give the trial "
             "command after --)", s->path);
    assert_string_equal(igmopt_errmsg(), expected);
    setenv("PATH", saved_path, 1);
    free(saved_path);
    igmopt_config_free(configured);
    igmopt_config_free(by_default);
}

static void a_program_path_must_be_an_executable_file(void **state)
{
    scratch *s = *state;
    char data[PATH_MAX], expected[PATH_MAX * 2 + 300];
    const char *argv[] = {"/nonexistent/prog"};
    igmopt_config *cfg = load_text(s, MINIMAL "command: [./data.txt]\n");
    snprintf(data, sizeof data, "%s/data.txt", s->dir);
    write_text(data, "not a program\n");
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_ECONFIG);
    snprintf(expected, sizeof expected, "%s:10: key 'command': program './data.txt' (in %s) "
             "is not an executable file", s->path, s->dir);
    assert_string_equal(igmopt_errmsg(), expected);
    assert_int_equal(igmopt_config_set_command(cfg, argv, 1), IGMOPT_OK);
    assert_int_equal(igmopt_config_check(cfg), IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), "command line: the trial command: key 'command': "
                        "program '/nonexistent/prog' cannot be run: No such file or directory");
    igmopt_config_free(cfg);
}

/* ---- misuse -------------------------------------------------------------------- */

static void null_arguments_are_refused(void **state)
{
    igmopt_config *cfg = NULL;
    char *json;
    assert_int_equal(igmopt_config_load(NULL, "x"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_config_load(&cfg, NULL), IGMOPT_EINVAL);
    assert_int_equal(igmopt_config_set(NULL, "a=1"), IGMOPT_EINVAL);
    assert_int_equal(igmopt_config_to_json(NULL, &json), IGMOPT_EINVAL);
    assert_int_equal(igmopt_config_check(NULL), IGMOPT_EINVAL);
    igmopt_config_free(NULL);
}

static void a_missing_file_is_named(void **state)
{
    scratch *s = *state;
    igmopt_config *cfg;
    char expected[PATH_MAX + 100];
    snprintf(expected, sizeof expected, "cannot read the config file '%s/nope.yaml': No such "
             "file or directory", s->dir);
    snprintf(s->path, sizeof s->path, "%s/nope.yaml", s->dir);
    assert_int_equal(igmopt_config_load(&cfg, s->path), IGMOPT_ECONFIG);
    assert_string_equal(igmopt_errmsg(), expected);
}

#define SCRATCH_TEST(f) cmocka_unit_test_setup_teardown(f, scratch_setup, scratch_teardown)

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(seed_template_loads_unchanged),
        cmocka_unit_test(seed_template_copy_matches_the_shared_original),
        SCRATCH_TEST(absent_keys_take_their_defaults),
        SCRATCH_TEST(null_optional_keys_mean_their_defaults),
        SCRATCH_TEST(our_additional_keys_are_read),
        SCRATCH_TEST(int_timeout_and_available_sampler_kwargs_are_accepted),
        SCRATCH_TEST(override_values_become_json_in_file_order),
        SCRATCH_TEST(yaml_1_1_bools_are_bools_like_pyyaml),
        SCRATCH_TEST(parameter_types_steps_and_choices),
        SCRATCH_TEST(anchors_and_aliases_are_expanded),
        SCRATCH_TEST(long_mappings_and_choice_lists_load),
        SCRATCH_TEST(relative_paths_resolve_against_the_file_directory),
        SCRATCH_TEST(absolute_and_in_memory_storage_urls_are_kept),
        SCRATCH_TEST(command_line_paths_resolve_against_the_current_directory),
        SCRATCH_TEST(a_command_from_the_file_resolves_against_its_directory),
        cmocka_unit_test(set_changes_and_creates_keys),
        SCRATCH_TEST(set_fills_a_null_section_and_appends_to_lists),
        cmocka_unit_test(tilde_removes_a_key_or_list_item),
        cmocka_unit_test(refused_sets_leave_the_config_unchanged),
        SCRATCH_TEST(set_many_applies_every_override_before_checking),
        cmocka_unit_test(set_many_refused_names_the_overrides_and_changes_nothing),
        SCRATCH_TEST(load_with_lets_overrides_repair_the_file),
        SCRATCH_TEST(load_with_names_where_each_wrong_value_came_from),
        cmocka_unit_test(set_command_copies_argv_and_survives_later_sets),
        SCRATCH_TEST(to_json_lists_every_key_in_force),
        SCRATCH_TEST(to_json_shows_int_and_categorical_parameters_and_the_rest),
        SCRATCH_TEST(deep_nesting_is_refused),
        SCRATCH_TEST(an_unavailable_sampler_is_named_with_the_available_ones),
        SCRATCH_TEST(sampler_kwargs_are_checked_against_the_objectives),
        SCRATCH_TEST(infinite_sampler_options_are_named),
        SCRATCH_TEST(a_storage_directory_that_does_not_exist_is_named),
        SCRATCH_TEST(a_storage_path_that_is_not_a_file_is_named),
        SCRATCH_TEST(an_unavailable_pruner_is_named_with_the_available_ones),
        SCRATCH_TEST(a_runnable_config_passes_the_check),
        SCRATCH_TEST(a_program_missing_from_path_is_named),
        SCRATCH_TEST(a_program_path_must_be_an_executable_file),
        cmocka_unit_test(loading_from_memory_names_the_given_file),
        cmocka_unit_test(null_arguments_are_refused),
        SCRATCH_TEST(a_missing_file_is_named),
    };
    size_t n_fixed = sizeof fixed / sizeof *fixed;
    size_t n_cases = sizeof error_cases / sizeof *error_cases;
    struct CMUnitTest *tests = calloc(n_fixed + n_cases, sizeof *tests);
    int failed;
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < n_cases; i++)
        tests[n_fixed + i] = (struct CMUnitTest){
            .name = error_cases[i].name,
            .test_func = error_case_fails_as_expected,
            .setup_func = error_case_setup,
            .teardown_func = scratch_teardown,
            .initial_state = (void *)&error_cases[i],
        };
    failed = _cmocka_run_group_tests("test_config", tests, n_fixed + n_cases, NULL, NULL);
    free(tests);
    return failed;
}
