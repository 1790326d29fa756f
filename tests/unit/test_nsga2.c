/* NSGAIISampler and the genetic framework: elite selection on hand-made
 * fronts, generation bookkeeping in storage attrs (counting, parallel
 * asks, parent populations stored once and reused), constrained
 * tournaments, determinism, kwargs, and mixed search spaces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/study.h"
#include "samplers/ga/elite_selection.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))
#define GENERATION_KEY "NSGAIISampler:generation"

/* ---- elite selection ---------------------------------------------------------------- */

/* Two minimised objectives; fronts {0,2,4,6}, {1,3,5}, {7}. */
static const double fronts_values[] = {1, 5, 2, 6, 2, 3, 4, 4, 3, 2, 6, 2, 5, 1, 7, 7};
static const igmopt_direction min_min[] = {IGMOPT_MINIMIZE, IGMOPT_MINIMIZE};

static void select_k(const igm_elite_pool *pool, size_t k, size_t *out)
{
    assert_int_equal(igm_nsga2_select(pool, k, out), IGMOPT_OK);
}

static void whole_fronts_first_in_pool_order(void **state)
{
    igm_elite_pool pool = {8, 2, fronts_values, min_min, NULL};
    size_t got[8];
    select_k(&pool, 6, got);
    assert_int_equal(got[0], 0);
    assert_int_equal(got[1], 2);
    assert_int_equal(got[2], 4);
    assert_int_equal(got[3], 6);
    /* front {1,3,5} is cut: its two boundary points (infinite distance)
     * stay, the middle one (4,4) goes */
    assert_true((got[4] == 1 && got[5] == 5) || (got[4] == 5 && got[5] == 1));
}

static void front_cut_by_crowding_distance(void **state)
{
    /* front 0 alone: distances inf (1,5), 1.25 (2,3), 1.25 (3,2), inf (5,1) */
    igm_elite_pool pool = {8, 2, fronts_values, min_min, NULL};
    size_t got[8];
    select_k(&pool, 2, got);
    assert_true((got[0] == 0 && got[1] == 6) || (got[0] == 6 && got[1] == 0));
    select_k(&pool, 4, got); /* fills k exactly: same members, crowding order */
    assert_true(got[0] + got[1] == 6 && got[2] + got[3] == 6);
}

static void everything_when_k_exceeds_the_pool(void **state)
{
    igm_elite_pool pool = {8, 2, fronts_values, min_min, NULL};
    size_t got[8];
    int seen[8] = {0};
    select_k(&pool, 50, got);
    for (size_t i = 0; i < 8; i++)
        seen[got[i]]++;
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(seen[i], 1);
}

static void maximised_objectives_are_oriented(void **state)
{
    /* maximise both: (7,7) is now the only first front */
    static const igmopt_direction max_max[] = {IGMOPT_MAXIMIZE, IGMOPT_MAXIMIZE};
    igm_elite_pool pool = {8, 2, fronts_values, max_max, NULL};
    size_t got[1];
    select_k(&pool, 1, got);
    assert_int_equal(got[0], 7);
}

static void feasible_before_infeasible_by_violation(void **state)
{
    /* A (1,1) violates by 2, B (5,5) and C (6,6) feasible, D (0,0) by 1 */
    static const double values[] = {1, 1, 5, 5, 6, 6, 0, 0};
    static const double violations[] = {2, 0, 0, 1};
    igm_elite_pool pool = {4, 2, values, min_min, violations};
    size_t got[3];
    select_k(&pool, 3, got);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 2);
    assert_int_equal(got[2], 3);
}

/* ---- studies ----------------------------------------------------------------------------- */

static igmopt_study *open_study(igmopt_storage **st, const char *url, const char *kwargs)
{
    igmopt_sampler *sampler;
    igmopt_study *study;
    assert_int_equal(igmopt_storage_open(st, url), IGMOPT_OK);
    if (igmopt_sampler_new(&sampler, "NSGAIISampler", kwargs) != IGMOPT_OK) {
        print_error("%s\n", igmopt_errmsg());
        fail();
    }
    assert_int_equal(igmopt_study_create(&study, *st, "s", min_min, 2, sampler, NULL, 1),
                     IGMOPT_OK);
    igmopt_sampler_free(sampler);
    return study;
}

static void close_study(igmopt_study *study, igmopt_storage *st)
{
    igmopt_study_close(study);
    igmopt_storage_close(st);
}

static igmopt_trial *ask_x(igmopt_study *study, double *x)
{
    igmopt_trial *t;
    assert_int_equal(igmopt_study_ask(study, &t), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, x), IGMOPT_OK);
    return t;
}

static void tell2(igmopt_study *study, igmopt_trial *t, double f1, double f2)
{
    double v[2] = {f1, f2};
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, v, 2), IGMOPT_OK);
    igmopt_trial_free(t);
}

/* One ask, suggest x, tell (x, 1 - x). */
static double run_one(igmopt_study *study)
{
    double x;
    igmopt_trial *t = ask_x(study, &x);
    tell2(study, t, x, 1 - x);
    return x;
}

static const igm_frozen_trial *trial_number(igmopt_study *study, int64_t number)
{
    igm_frozen_trial *const *all;
    const igm_frozen_trial *t;
    size_t n;
    assert_int_equal(igm_study_trials(study, &all, &n), IGMOPT_OK);
    assert_int_equal(igm_study_find_trial(study, number, &t), IGMOPT_OK);
    return t;
}

static long long generation(igmopt_study *study, int64_t number)
{
    const char *g = igm_attr_list_get(&trial_number(study, number)->system_attrs,
                                      GENERATION_KEY);
    return g ? atoll(g) : -1;
}

/* The study system attr key, or NULL; the text is malloc'd. */
static char *study_attr(igmopt_study *study, const char *key)
{
    igm_attr_list attrs = {0};
    const char *v;
    char *copy;
    assert_int_equal(igm_study_system_attrs(study, &attrs), IGMOPT_OK);
    v = igm_attr_list_get(&attrs, key);
    copy = v ? strdup(v) : NULL;
    igm_attr_list_clear(&attrs);
    return copy;
}

static void generations_advance_as_trials_complete(void **state)
{
    igmopt_storage *st;
    igmopt_study *study = open_study(&st, ":memory:", "{\"population_size\": 4, \"seed\": 1}");
    for (int i = 0; i < 13; i++)
        run_one(study);
    for (int i = 0; i < 13; i++)
        assert_int_equal(generation(study, i), i / 4);
    close_study(study, st);
}

static void running_trials_do_not_count(void **state)
{
    igmopt_storage *st;
    igmopt_study *study = open_study(&st, ":memory:", "{\"population_size\": 4, \"seed\": 2}");
    igmopt_trial *t[6];
    double x;
    for (int i = 0; i < 6; i++) /* six parallel asks: all of generation 0 */
        t[i] = ask_x(study, &x);
    for (int i = 0; i < 6; i++)
        assert_int_equal(generation(study, i), 0);
    for (int i = 0; i < 6; i++)
        tell2(study, t[i], i, 6 - i);
    for (int i = 0; i < 5; i++)
        t[i] = ask_x(study, &x);
    for (int i = 6; i < 11; i++)
        assert_int_equal(generation(study, i), 1);
    for (int i = 0; i < 5; i++)
        tell2(study, t[i], i, 6 - i);
    run_one(study);
    assert_int_equal(generation(study, 11), 2);
    close_study(study, st);
}

/* Another handle on the same storage and study, with its own sampler. */
static igmopt_study *reopen(igmopt_storage *st, const char *kwargs)
{
    igmopt_sampler *sampler;
    igmopt_study *study;
    assert_int_equal(igmopt_sampler_new(&sampler, "NSGAIISampler", kwargs), IGMOPT_OK);
    assert_int_equal(igmopt_study_load(&study, st, "s", sampler, NULL), IGMOPT_OK);
    igmopt_sampler_free(sampler);
    return study;
}

static void parents_are_stored_once_and_reused(void **state)
{
    /* copies of one parent, unmutated: a child equals a parent */
    igmopt_storage *st;
    igmopt_study *study = open_study(&st, ":memory:", "{\"population_size\": 4, \"seed\": 3, "
                                     "\"crossover_prob\": 0, \"mutation_prob\": 0}");
    igmopt_study *other;
    char *first, *again, forced[64];
    double x2 = 0;
    for (int i = 0; i < 5; i++)
        run_one(study);
    first = study_attr(study, "NSGAIISampler:parent:1");
    assert_non_null(first);
    assert_null(study_attr(study, "NSGAIISampler:parent:2"));
    run_one(study);
    again = study_attr(study, "NSGAIISampler:parent:1");
    assert_string_equal(first, again);
    /* the list another process stored is used as it stands, here by a
     * second handle (its own history, as a process has): the only parent */
    snprintf(forced, sizeof forced, "[%lld]", (long long)trial_number(study, 2)->trial_id);
    assert_int_equal(igm_study_set_system_attr(study, "NSGAIISampler:parent:1", forced),
                     IGMOPT_OK);
    x2 = trial_number(study, 2)->params[0].internal;
    other = reopen(st, "{\"population_size\": 4, \"seed\": 4, \"crossover_prob\": 0, "
                   "\"mutation_prob\": 0}");
    for (int i = 0; i < 2; i++)
        assert_true(run_one(other) == x2);
    igmopt_study_close(other);
    free(first);
    free(again);
    close_study(study, st);
}

/* Parents: F (10,10) feasible, I1 (0,0) violating by 1, I2 (0,0) by 2.
 * With swapping_prob 1 the child is its first parent, the winner of a
 * tournament of two draws: F wins unless both draws are infeasible (5/9),
 * I1 3/9, I2 1/9; without constraints F would win 1/9. */
static void tournament_uses_constrained_domination(void **state)
{
    igmopt_storage *st;
    igmopt_study *study = open_study(&st, ":memory:", "{\"population_size\": 3, \"seed\": 4, "
                                     "\"crossover_prob\": 1, \"swapping_prob\": 1, "
                                     "\"mutation_prob\": 0}");
    static const double constraint[3] = {-1, 1, 2}, value[3] = {10, 0, 0};
    double x[3], child;
    int count[3] = {0};
    for (int i = 0; i < 3; i++) {
        igmopt_trial *t = ask_x(study, &x[i]);
        assert_int_equal(igmopt_trial_set_constraints(t, &constraint[i], 1), IGMOPT_OK);
        tell2(study, t, value[i], value[i]);
    }
    for (int i = 0; i < 90; i++) {
        igmopt_trial *t = ask_x(study, &child);
        for (int p = 0; p < 3; p++)
            count[p] += child == x[p];
        assert_int_equal(igmopt_study_tell(study, t, IGMOPT_FAIL, NULL, 0), IGMOPT_OK);
        igmopt_trial_free(t);
    }
    assert_int_equal(count[0] + count[1] + count[2], 90);
    assert_in_range(count[0], 35, 65); /* 50 expected */
    assert_in_range(count[1], 18, 42); /* 30 expected */
    assert_in_range(count[2], 2, 20);  /* 10 expected */
    close_study(study, st);
}

/* One ask with x and y in [0, y_high], told (x, 1 - x); *y receives y. */
static double run_xy(igmopt_study *study, double y_high, double *y)
{
    double x;
    igmopt_trial *t = ask_x(study, &x);
    assert_int_equal(igmopt_trial_suggest_float(t, "y", 0, y_high, 0, 0, y), IGMOPT_OK);
    tell2(study, t, x, 1 - x);
    return x;
}

static int among(double v, const double *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v == set[i])
            return 1;
    return 0;
}

/* Children copy a parent (no crossover, no mutation) over the intersection
 * space, which the study's history keeps between asks: once a COMPLETE
 * trial gives y another range, y leaves it at the next ask and is drawn at
 * random, while x is still copied. */
static void a_parameter_leaving_the_space_is_drawn_at_random(void **state)
{
    igmopt_storage *st;
    igmopt_study *study = open_study(&st, ":memory:", "{\"population_size\": 4, \"seed\": 5, "
                                     "\"crossover_prob\": 0, \"mutation_prob\": 0}");
    double x[4], y[4], child_x, child_y;
    for (int i = 0; i < 4; i++)
        x[i] = run_xy(study, 1, &y[i]);
    child_x = run_xy(study, 1, &child_y);
    assert_true(among(child_x, x, 4) && among(child_y, y, 4));
    run_xy(study, 2, &child_y);
    for (int i = 0; i < 3; i++) {
        child_x = run_xy(study, 1, &child_y);
        assert_true(among(child_x, x, 4));
        assert_false(among(child_y, y, 4));
    }
    assert_int_equal(generation(study, 7), 1);
    close_study(study, st);
}

/* ---- attrs another writer stored ---------------------------------------------------------- */

/* A study in a fresh SQLite file, its path in path (removed by drop_file). */
static igmopt_study *open_file_study(igmopt_storage **st, char *path, size_t size,
                                     const char *kwargs)
{
    char dir[] = "/tmp/igm_nsga2_XXXXXX", url[320];
    assert_non_null(mkdtemp(dir));
    snprintf(path, size, "%s/study.db", dir);
    snprintf(url, sizeof url, "sqlite:///%s", path);
    return open_study(st, url, kwargs);
}

static igmopt_study *reopen_file_study(igmopt_storage **st, const char *path, const char *kwargs)
{
    char url[320];
    snprintf(url, sizeof url, "sqlite:///%s", path);
    return open_study(st, url, kwargs);
}

static void drop_file(char *path)
{
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
}

/* What Optuna or a hand with sqlite3 would do to the file. */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        print_error("%s: %s\n", sql, err);
    assert_null(err);
    sqlite3_close(db);
}

/* A stored parent list naming a FAIL trial and an id of no trial: both
 * are skipped, the one COMPLETE parent left is copied. */
static void stored_parents_without_values_are_skipped(void **state)
{
    static const char kwargs[] = "{\"population_size\": 4, \"seed\": 8, \"crossover_prob\": 0, "
                                 "\"mutation_prob\": 0}";
    igmopt_storage *st;
    char path[300], sql[300];
    igmopt_study *study = open_file_study(&st, path, sizeof path, kwargs);
    igmopt_trial *failed;
    double x;
    long long failed_id, kept_id;
    for (int i = 0; i < 5; i++)
        run_one(study);
    failed = ask_x(study, &x);
    failed_id = (long long)trial_number(study, 5)->trial_id;
    assert_int_equal(igmopt_study_tell(study, failed, IGMOPT_FAIL, NULL, 0), IGMOPT_OK);
    igmopt_trial_free(failed);
    kept_id = (long long)trial_number(study, 2)->trial_id;
    x = trial_number(study, 2)->params[0].internal;
    close_study(study, st);
    snprintf(sql, sizeof sql, "UPDATE study_system_attributes SET value_json = '[%lld, %lld, "
             "99999]' WHERE key = 'NSGAIISampler:parent:1'", failed_id, kept_id);
    raw_exec(path, sql);
    study = reopen_file_study(&st, path, kwargs);
    for (int i = 0; i < 2; i++)
        assert_true(run_one(study) == x);
    close_study(study, st);
    drop_file(path);
}

/* A generation attr above its trial's number counts in no generation (no
 * run through phantom generations); one that is possible but skips
 * generations hands the parents on without a selection for each. */
static void generation_attrs_ahead_of_the_trials(void **state)
{
    static const char kwargs[] = "{\"population_size\": 4, \"seed\": 9}";
    igmopt_storage *st;
    char path[300], *attr;
    igmopt_study *study = open_file_study(&st, path, sizeof path, kwargs);
    for (int i = 0; i < 8; i++)
        run_one(study);
    close_study(study, st);
    raw_exec(path, "UPDATE trial_system_attributes SET value_json = '1000000000000' WHERE "
                   "key = '" GENERATION_KEY "' AND trial_id = (SELECT trial_id FROM trials "
                   "WHERE number = 5)");
    study = reopen_file_study(&st, path, kwargs);
    run_one(study);
    assert_int_equal(generation(study, 8), 1); /* trials 4, 6, 7 and now 8 */
    close_study(study, st);
    raw_exec(path, "UPDATE trial_system_attributes SET value_json = '8' WHERE "
                   "key = '" GENERATION_KEY "' AND trial_id = (SELECT trial_id FROM trials "
                   "WHERE number = 8)");
    study = reopen_file_study(&st, path, kwargs);
    run_one(study);
    assert_int_equal(generation(study, 9), 8);
    attr = study_attr(study, "NSGAIISampler:parent:2");
    assert_non_null(attr);
    free(attr);
    for (int g = 3; g <= 8; g++) {
        char key[64];
        snprintf(key, sizeof key, "NSGAIISampler:parent:%d", g);
        assert_null(study_attr(study, key));
    }
    close_study(study, st);
    drop_file(path);
}

static void same_seed_same_parameters(void **state)
{
    igmopt_storage *st[2];
    igmopt_study *study[2];
    const char *url[2] = {":memory:", ":memory:"};
    double x[2];
    for (int k = 0; k < 2; k++)
        study[k] = open_study(&st[k], url[k], "{\"population_size\": 5, \"seed\": 7, "
                              "\"crossover\": \"sbx\"}");
    for (int i = 0; i < 40; i++) {
        for (int k = 0; k < 2; k++)
            x[k] = run_one(study[k]);
        assert_true(x[0] == x[1]);
    }
    assert_int_equal(generation(study[0], 39), 7);
    for (int k = 0; k < 2; k++)
        close_study(study[k], st[k]);
}

/* ---- kwargs ------------------------------------------------------------------------------ */

static void sampler_accepts(const char *kwargs)
{
    igmopt_sampler *s;
    if (igmopt_sampler_new(&s, "NSGAIISampler", kwargs) != IGMOPT_OK) {
        print_error("%s: %s\n", kwargs, igmopt_errmsg());
        fail();
    }
    igmopt_sampler_free(s);
}

static void sampler_refuses(const char *kwargs, const char *message_part)
{
    igmopt_sampler *s = NULL;
    assert_int_equal(igmopt_sampler_new(&s, "NSGAIISampler", kwargs), IGMOPT_EINVAL);
    assert_null(s);
    if (!strstr(igmopt_errmsg(), message_part)) {
        print_error("%s: '%s' lacks '%s'\n", kwargs, igmopt_errmsg(), message_part);
        fail();
    }
}

static void every_kwarg_is_accepted(void **state)
{
    sampler_accepts(NULL);
    sampler_accepts("{\"population_size\": 2, \"mutation\": null, \"mutation_prob\": null, "
                    "\"crossover\": null, \"crossover_prob\": 0.9, \"swapping_prob\": 0.5, "
                    "\"seed\": null, \"constraints_func\": null}");
    sampler_accepts("{\"mutation\": \"PolynomialMutation\", \"mutation_prob\": 0.2, "
                    "\"crossover\": \"UNDXCrossover\", \"population_size\": 3}");
    sampler_accepts("{\"mutation\": {\"method\": \"PolynomialMutation\", \"eta\": 5}, "
                    "\"crossover\": {\"method\": \"sbx\", \"eta\": 15}}");
}

static void bad_kwargs_name_the_option(void **state)
{
    sampler_refuses("{\"populationsize\": 10}", "'populationsize'");
    sampler_refuses("{\"population_size\": 1}", "population_size");
    sampler_refuses("{\"population_size\": 10.5}", "population_size");
    sampler_refuses("{\"population_size\": 2, \"crossover\": \"spx\"}", "population_size");
    sampler_refuses("{\"mutation_prob\": 1.5}", "mutation_prob");
    sampler_refuses("{\"crossover_prob\": -0.1}", "crossover_prob");
    sampler_refuses("{\"crossover_prob\": null}", "crossover_prob");
    sampler_refuses("{\"swapping_prob\": \"half\"}", "swapping_prob");
    sampler_refuses("{\"crossover\": \"twopoint\"}", "crossover");
    sampler_refuses("{\"mutation\": \"GaussianMutation\"}", "mutation");
    sampler_refuses("{\"mutation\": {\"method\": \"PolynomialMutation\", \"eta\": 0}}",
                    "mutation");
    sampler_refuses("{\"mutation\": {\"method\": \"PolynomialMutation\", \"sigma\": 1}}",
                    "NSGAIISampler: option 'mutation': PolynomialMutation: unknown option "
                    "'sigma'");
    sampler_refuses("{\"population_size\": 5, \"population_size\": 10}",
                    "NSGAIISampler: an option is given twice (duplicate object key near "
                    "'\"population_size\"')");
    sampler_refuses("{\"crossover\": {\"method\": \"sbx\", \"eta\": 2, \"eta\": 3}}",
                    "given twice");
    sampler_refuses("{\"constraints_func\": \"f\"}", "constraints_func");
    sampler_refuses("{\"seed\": 1.5}", "seed");
}

/* ---- mixed search spaces ---------------------------------------------------------------- */

typedef struct mixed {
    double lr, step_f;
    int64_t layers, batch;
    size_t scheme;
} mixed;

static void suggest_mixed(igmopt_trial *t, mixed *m)
{
    assert_int_equal(igmopt_trial_suggest_float(t, "lr", 1e-4, 1e-1, 0, 1, &m->lr), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_float(t, "f", -1, 1, 0.25, 0, &m->step_f), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "layers", 1, 9, 2, 0, &m->layers), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_int(t, "batch", 1, 512, 1, 1, &m->batch), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "scheme", "[\"a\", \"b\", null]",
                                                      &m->scheme), IGMOPT_OK);
}

static void assert_inside(const mixed *m)
{
    double k = (m->step_f + 1) / 0.25;
    assert_true(m->lr >= 1e-4 && m->lr <= 1e-1);
    assert_true(m->step_f >= -1 && m->step_f <= 1 && fabs(k - round(k)) < 1e-8);
    assert_true(m->layers >= 1 && m->layers <= 9 && m->layers % 2 == 1);
    assert_true(m->batch >= 1 && m->batch <= 512);
    assert_true(m->scheme < 3);
}

static void run_mixed(const char *kwargs)
{
    igmopt_storage *st;
    igmopt_study *study = open_study(&st, ":memory:", kwargs);
    for (int i = 0; i < 80; i++) {
        igmopt_trial *t;
        mixed m;
        assert_int_equal(igmopt_study_ask(study, &t), IGMOPT_OK);
        suggest_mixed(t, &m);
        assert_inside(&m);
        tell2(study, t, log(m.lr) + (double)m.layers + (double)m.scheme,
              m.step_f * m.step_f + log((double)m.batch));
    }
    assert_int_equal(generation(study, 79), 9);
    close_study(study, st);
}

static void mixed_spaces_stay_inside_their_distributions(void **state)
{
    run_mixed("{\"population_size\": 8, \"seed\": 5}");
    run_mixed("{\"population_size\": 8, \"seed\": 6, \"crossover\": \"blxalpha\", "
              "\"mutation\": \"PolynomialMutation\", \"mutation_prob\": 0.5}");
    run_mixed("{\"population_size\": 8, \"seed\": 7, \"crossover\": \"undx\"}");
    run_mixed("{\"population_size\": 8, \"seed\": 8, \"crossover\": \"spx\"}");
    run_mixed("{\"population_size\": 8, \"seed\": 9, \"crossover\": \"vsbx\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_fronts_first_in_pool_order),
        cmocka_unit_test(front_cut_by_crowding_distance),
        cmocka_unit_test(everything_when_k_exceeds_the_pool),
        cmocka_unit_test(maximised_objectives_are_oriented),
        cmocka_unit_test(feasible_before_infeasible_by_violation),
        cmocka_unit_test(generations_advance_as_trials_complete),
        cmocka_unit_test(running_trials_do_not_count),
        cmocka_unit_test(parents_are_stored_once_and_reused),
        cmocka_unit_test(tournament_uses_constrained_domination),
        cmocka_unit_test(a_parameter_leaving_the_space_is_drawn_at_random),
        cmocka_unit_test(stored_parents_without_values_are_skipped),
        cmocka_unit_test(generation_attrs_ahead_of_the_trials),
        cmocka_unit_test(same_seed_same_parameters),
        cmocka_unit_test(every_kwarg_is_accepted),
        cmocka_unit_test(bad_kwargs_name_the_option),
        cmocka_unit_test(mixed_spaces_stay_inside_their_distributions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
