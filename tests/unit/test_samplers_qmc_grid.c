/* QMCSampler (with its Sobol'/Halton sequences), GridSampler,
 * BruteForceSampler and PartialFixedSampler.  Expected sequence values come
 * from SciPy 1.10's scipy.stats.qmc (unscrambled), the QMC trial values
 * from OPTUNA-ALGORITHMS.md s11. */
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

#include "lib/error.h"
#include "lib/study.h"
#include "samplers/qmc_sequence.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct sweep {
    igmopt_storage *st;
    igmopt_study *study;
} sweep;

static void sweep_open_url(sweep *s, const char *url, const char *name, const char *method,
                           const char *kwargs)
{
    igmopt_direction dir = IGMOPT_MINIMIZE;
    igmopt_sampler *sampler;
    assert_int_equal(igmopt_storage_open(&s->st, url), IGMOPT_OK);
    assert_int_equal(igmopt_sampler_new(&sampler, method, kwargs), IGMOPT_OK);
    assert_int_equal(igmopt_study_create(&s->study, s->st, name, &dir, 1, sampler, NULL, 1),
                     IGMOPT_OK);
    igmopt_sampler_free(sampler);
}

static void sweep_open(sweep *s, const char *method, const char *kwargs)
{
    sweep_open_url(s, ":memory:", "s", method, kwargs);
}

static void sweep_close(sweep *s)
{
    igmopt_study_close(s->study);
    igmopt_storage_close(s->st);
}

static void tell(sweep *s, igmopt_trial *t, double value)
{
    assert_int_equal(igmopt_study_tell(s->study, t, IGMOPT_COMPLETE, &value, 1), IGMOPT_OK);
    igmopt_trial_free(t);
}

static igmopt_trial *ask(sweep *s)
{
    igmopt_trial *t;
    assert_int_equal(igmopt_study_ask(s->study, &t), IGMOPT_OK);
    return t;
}

static double suggest_float(igmopt_trial *t, const char *name, double low, double high,
                            double step)
{
    double v;
    assert_int_equal(igmopt_trial_suggest_float(t, name, low, high, step, 0, &v), IGMOPT_OK);
    return v;
}

static int64_t suggest_int(igmopt_trial *t, const char *name, int64_t low, int64_t high)
{
    int64_t v;
    assert_int_equal(igmopt_trial_suggest_int(t, name, low, high, 1, 0, &v), IGMOPT_OK);
    return v;
}

static size_t suggest_abc(igmopt_trial *t, const char *name)
{
    size_t i;
    assert_int_equal(igmopt_trial_suggest_categorical(t, name, "[\"a\", \"b\", \"c\"]", &i),
                     IGMOPT_OK);
    return i;
}

static void assert_new_sampler_fails(const char *method, const char *kwargs, const char *needle)
{
    igmopt_sampler *s = (igmopt_sampler *)1;
    assert_int_equal(igmopt_sampler_new(&s, method, kwargs), IGMOPT_EINVAL);
    assert_null(s);
    if (!strstr(igmopt_errmsg(), needle))
        fail_msg("error \"%s\" does not name \"%s\"", igmopt_errmsg(), needle);
}

static void assert_error_names(const char *needle)
{
    if (!strstr(igmopt_errmsg(), needle))
        fail_msg("error \"%s\" does not name \"%s\"", igmopt_errmsg(), needle);
}

/* A study system attr whose key starts with prefix, or NULL. */
static char *study_attr_with_prefix(igmopt_study *study, const char *prefix, char **key)
{
    igm_attr_list attrs = {0};
    char *value = NULL;
    assert_int_equal(igm_study_system_attrs(study, &attrs), IGMOPT_OK);
    for (size_t i = 0; i < attrs.count && !value; i++)
        if (strncmp(attrs.items[i].key, prefix, strlen(prefix)) == 0) {
            value = strdup(attrs.items[i].value_json);
            if (key)
                *key = strdup(attrs.items[i].key);
        }
    igm_attr_list_clear(&attrs);
    return value;
}

static void temp_db_url(char dir[64], char url[128])
{
    strcpy(dir, "/tmp/igm-test-qmc-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(url, 128, "sqlite:///%s/study.db", dir);
}

static void remove_temp_db(const char *dir)
{
    char path[128];
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/study.db%s", dir, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* ---- Sobol' and Halton sequences ---------------------------------------- */

static void sobol_first_points_match_scipy(void **state)
{
    static const double expected[16][5] = {
        {0.0, 0.0, 0.0, 0.0, 0.0},           {0.5, 0.5, 0.5, 0.5, 0.5},
        {0.75, 0.25, 0.25, 0.25, 0.75},      {0.25, 0.75, 0.75, 0.75, 0.25},
        {0.375, 0.375, 0.625, 0.875, 0.375}, {0.875, 0.875, 0.125, 0.375, 0.875},
        {0.625, 0.125, 0.875, 0.625, 0.625}, {0.125, 0.625, 0.375, 0.125, 0.125},
        {0.1875, 0.3125, 0.9375, 0.4375, 0.5625}, {0.6875, 0.8125, 0.4375, 0.9375, 0.0625},
        {0.9375, 0.0625, 0.6875, 0.1875, 0.3125}, {0.4375, 0.5625, 0.1875, 0.6875, 0.8125},
        {0.3125, 0.1875, 0.3125, 0.5625, 0.9375}, {0.8125, 0.6875, 0.8125, 0.0625, 0.4375},
        {0.5625, 0.4375, 0.0625, 0.8125, 0.1875}, {0.0625, 0.9375, 0.5625, 0.3125, 0.6875},
    };
    igm_qmc_engine e;
    double x[5];
    for (size_t dim = 2; dim <= 5; dim++) {
        assert_int_equal(igm_qmc_engine_init(&e, IGM_QMC_SOBOL, dim, 0, 0), IGMOPT_OK);
        for (uint64_t n = 0; n < 16; n++) {
            assert_int_equal(igm_qmc_engine_point(&e, n, x), IGMOPT_OK);
            for (size_t d = 0; d < dim; d++)
                assert_true(x[d] == expected[n][d]);
        }
        igm_qmc_engine_clear(&e);
    }
}

/* FNV-1a over all 1111 x 30 direction integers of scipy.stats.qmc.Sobol
 * (its _sv), i.e. the whole Joe & Kuo table as SciPy expands it. */
static void sobol_direction_numbers_match_scipy_in_every_dimension(void **state)
{
    igm_qmc_engine e;
    uint64_t h = 1469598103934665603ull;
    assert_int_equal(igm_qmc_engine_init(&e, IGM_QMC_SOBOL, IGM_SOBOL_MAX_DIM, 0, 0),
                     IGMOPT_OK);
    for (size_t i = 0; i < IGM_SOBOL_MAX_DIM * IGM_SOBOL_BITS; i++) {
        h ^= e.directions[i];
        h *= 1099511628211ull;
    }
    assert_true(h == 0x1d8ab0e16ece007cull);
    igm_qmc_engine_clear(&e);
}

static void sobol_far_point_matches_scipy_fast_forward(void **state)
{
    igm_qmc_engine e;
    double x[3];
    assert_int_equal(igm_qmc_engine_init(&e, IGM_QMC_SOBOL, 3, 0, 0), IGMOPT_OK);
    assert_int_equal(igm_qmc_engine_point(&e, 1000003, x), IGMOPT_OK);
    assert_true(x[0] == 0.2764749526977539);
    assert_true(x[1] == 0.5619192123413086);
    assert_true(x[2] == 0.07799625396728516);
    assert_int_equal(igm_qmc_engine_point(&e, (uint64_t)1 << 30, x), IGMOPT_EINVAL);
    assert_error_names("past its end");
    igm_qmc_engine_clear(&e);
}

static void halton_points_match_scipy(void **state)
{
    static const double expected[10][5] = {
        {0.0, 0.0, 0.0, 0.0, 0.0},
        {0.5, 0.3333333333333333, 0.2, 0.14285714285714285, 0.09090909090909091},
        {0.25, 0.6666666666666666, 0.4, 0.2857142857142857, 0.18181818181818182},
        {0.75, 0.1111111111111111, 0.6000000000000001, 0.42857142857142855, 0.2727272727272727},
        {0.125, 0.4444444444444444, 0.8, 0.5714285714285714, 0.36363636363636365},
        {0.625, 0.7777777777777777, 0.04, 0.7142857142857142, 0.4545454545454546},
        {0.375, 0.2222222222222222, 0.24000000000000002, 0.8571428571428571, 0.5454545454545454},
        {0.875, 0.5555555555555556, 0.44, 0.02040816326530612, 0.6363636363636364},
        {0.0625, 0.8888888888888888, 0.6400000000000001, 0.16326530612244897, 0.7272727272727273},
        {0.5625, 0.037037037037037035, 0.8400000000000001, 0.30612244897959184,
         0.8181818181818182},
    };
    igm_qmc_engine e;
    double x[5];
    assert_int_equal(igm_qmc_engine_init(&e, IGM_QMC_HALTON, 5, 0, 0), IGMOPT_OK);
    for (uint64_t n = 0; n < 10; n++) {
        assert_int_equal(igm_qmc_engine_point(&e, n, x), IGMOPT_OK);
        for (size_t d = 0; d < 5; d++)
            assert_true(x[d] == expected[n][d]);
    }
    assert_int_equal(igm_qmc_engine_point(&e, 123456, x), IGMOPT_OK);
    assert_true(x[0] == 0.00890350341796875);
    assert_true(x[1] == 0.15029325927054932);
    assert_true(x[2] == 0.26812415999999994);
    igm_qmc_engine_clear(&e);
}

/* Linear matrix scrambling and digital shifts keep Sobol's net property:
 * the first 2^6 points put one point in every 2^-a x 2^-(6-a) box of
 * dimensions 0 and 1, and one in every 1/64 interval of each dimension. */
static void scrambled_sobol_is_seeded_and_still_a_net(void **state)
{
    igm_qmc_engine a, b, c;
    double x[4], y[4], z[4];
    int differs = 0;
    assert_int_equal(igm_qmc_engine_init(&a, IGM_QMC_SOBOL, 4, 1, 42), IGMOPT_OK);
    assert_int_equal(igm_qmc_engine_init(&b, IGM_QMC_SOBOL, 4, 1, 42), IGMOPT_OK);
    assert_int_equal(igm_qmc_engine_init(&c, IGM_QMC_SOBOL, 4, 1, 43), IGMOPT_OK);
    for (int cut = 0; cut <= 6; cut++) {
        int boxes[64] = {0};
        for (uint64_t n = 0; n < 64; n++) {
            assert_int_equal(igm_qmc_engine_point(&a, n, x), IGMOPT_OK);
            boxes[(int)(x[0] * (1 << cut)) * (1 << (6 - cut)) + (int)(x[1] * (1 << (6 - cut)))]++;
        }
        for (int i = 0; i < 64; i++)
            assert_int_equal(boxes[i], 1);
    }
    for (size_t d = 0; d < 4; d++) {
        int cells[64] = {0};
        for (uint64_t n = 0; n < 64; n++) {
            assert_int_equal(igm_qmc_engine_point(&a, n, x), IGMOPT_OK);
            cells[(int)(x[d] * 64)]++;
        }
        for (int i = 0; i < 64; i++)
            assert_int_equal(cells[i], 1);
    }
    for (uint64_t n = 0; n < 64; n++) {
        igm_qmc_engine_point(&a, n, x);
        igm_qmc_engine_point(&b, n, y);
        igm_qmc_engine_point(&c, n, z);
        assert_memory_equal(x, y, sizeof x);
        differs |= memcmp(x, z, sizeof x) != 0;
    }
    assert_true(differs);
    assert_true(x[0] != 0.0 || x[1] != 0.0); /* point 0 is no longer the origin */
    igm_qmc_engine_clear(&a);
    igm_qmc_engine_clear(&b);
    igm_qmc_engine_clear(&c);
}

/* Digit permutations keep the first b^k points stratified in base b. */
static void scrambled_halton_is_seeded_and_stratified(void **state)
{
    igm_qmc_engine a, b;
    int base2[32] = {0}, base3[27] = {0};
    double x[2], y[2];
    assert_int_equal(igm_qmc_engine_init(&a, IGM_QMC_HALTON, 2, 1, 7), IGMOPT_OK);
    assert_int_equal(igm_qmc_engine_init(&b, IGM_QMC_HALTON, 2, 1, 7), IGMOPT_OK);
    for (uint64_t n = 0; n < 32; n++) {
        igm_qmc_engine_point(&a, n, x);
        igm_qmc_engine_point(&b, n, y);
        assert_memory_equal(x, y, sizeof x);
        assert_true(x[0] >= 0 && x[0] < 1 && x[1] >= 0 && x[1] < 1);
        base2[(int)(x[0] * 32)]++;
        if (n < 27)
            base3[(int)(x[1] * 27)]++;
    }
    for (int i = 0; i < 32; i++)
        assert_int_equal(base2[i], 1);
    for (int i = 0; i < 27; i++)
        assert_int_equal(base3[i], 1);
    igm_qmc_engine_clear(&a);
    igm_qmc_engine_clear(&b);
}

static void sequence_dimensions_are_bounded(void **state)
{
    igm_qmc_engine e;
    assert_int_equal(igm_qmc_engine_init(&e, IGM_QMC_SOBOL, 0, 0, 0), IGMOPT_EINVAL);
    assert_int_equal(igm_qmc_engine_init(&e, IGM_QMC_HALTON, IGM_QMC_MAX_DIM + 1, 0, 0),
                     IGMOPT_EINVAL);
    assert_error_names("dimensions");
}

/* ---- QMCSampler ---------------------------------------------------------- */

/* OPTUNA-ALGORITHMS.md s11: unscrambled Sobol on {x in [0,1], i in [0,10],
 * c in {a,b,c}}: trial 0 independent, then points 0..4 in suggestion order. */
static void qmc_sobol_matches_optuna_test_vector(void **state)
{
    static const double xs[] = {0.0, 0.5, 0.75, 0.25, 0.375};
    static const int64_t is[] = {0, 5, 2, 8, 4};
    static const size_t cs[] = {0, 1, 0, 2, 1};
    sweep s;
    char *value, *key = NULL;
    sweep_open(&s, "QMCSampler", "{\"seed\": 0}");
    for (int n = 0; n < 6; n++) {
        igmopt_trial *t = ask(&s);
        double x = suggest_float(t, "x", 0, 1, 0);
        int64_t i = suggest_int(t, "i", 0, 10);
        size_t c = suggest_abc(t, "c");
        if (n > 0) {
            assert_true(x == xs[n - 1]);
            assert_int_equal(i, is[n - 1]);
            assert_int_equal(c, cs[n - 1]);
        }
        tell(&s, t, x);
    }
    value = study_attr_with_prefix(s.study, "qmc:", &key);
    assert_non_null(value);
    assert_string_equal(value, "4"); /* the last index used */
    assert_int_equal(strlen(key), 4 + 64);
    free(value);
    free(key);
    sweep_close(&s);
}

/* Halton through the same mapping: x takes the base-2 coordinate, a log
 * int the base-3 one (column [ln 0.5, ln 100.5]). */
static void qmc_halton_maps_points_through_the_transform(void **state)
{
    sweep s;
    sweep_open(&s, "QMCSampler", "{\"qmc_type\": \"halton\"}");
    for (int n = 0; n < 4; n++) {
        igmopt_trial *t = ask(&s);
        double x = suggest_float(t, "x", -1, 1, 0);
        int64_t k;
        assert_int_equal(igmopt_trial_suggest_int(t, "k", 1, 100, 1, 1, &k), IGMOPT_OK);
        if (n == 1) {
            assert_true(x == -1.0);
            assert_int_equal(k, 1); /* round(exp(ln 0.5)) = round(0.5) = 0 -> clamp 1 */
        } else if (n == 2) {
            assert_true(x == 0.0);
            assert_int_equal(k, (int64_t)nearbyint(exp(log(0.5) + (log(100.5) - log(0.5)) / 3)));
        } else if (n == 3) {
            assert_true(x == -0.5);
        }
        tell(&s, t, x);
    }
    sweep_close(&s);
}

/* Two handles on one SQLite file (as two processes) draw one sequence. */
static void qmc_two_handles_on_one_sqlite_file_continue_one_sequence(void **state)
{
    static const double expected[] = {0.0, 0.5, 0.75, 0.25, 0.375, 0.875};
    char dir[64], url[128];
    sweep a, b;
    igmopt_trial *t;
    temp_db_url(dir, url);
    sweep_open_url(&a, url, "shared", "QMCSampler", NULL);
    sweep_open_url(&b, url, "shared", "QMCSampler", NULL);
    t = ask(&a);
    tell(&a, t, suggest_float(t, "x", 0, 1, 0)); /* the independent first trial */
    for (int n = 0; n < 6; n += 2) {
        igmopt_trial *ta = ask(&a), *tb = ask(&b);
        /* b claims its index first although a asked first */
        double xb = suggest_float(tb, "x", 0, 1, 0), xa = suggest_float(ta, "x", 0, 1, 0);
        assert_true(xb == expected[n]);
        assert_true(xa == expected[n + 1]);
        tell(&a, ta, xa);
        tell(&b, tb, xb);
    }
    sweep_close(&a);
    sweep_close(&b);
    remove_temp_db(dir);
}

/* A counter update lost between two processes (one wrote the same index as
 * the other, or the attr was reset) does not repeat a point: the trial sees
 * the other trial's claim and takes the next index. */
static void qmc_lost_counter_update_does_not_repeat_a_point(void **state)
{
    sweep s;
    igmopt_trial *t, *u;
    char *key = NULL, *value;
    double x;
    sweep_open(&s, "QMCSampler", NULL);
    t = ask(&s);
    tell(&s, t, suggest_float(t, "x", 0, 1, 0));
    t = ask(&s);
    assert_true(suggest_float(t, "x", 0, 1, 0) == 0.0); /* index 0, still running */
    value = study_attr_with_prefix(s.study, "qmc:", &key);
    assert_string_equal(value, "0");
    assert_int_equal(igm_study_set_system_attr(s.study, key, "-1"), IGMOPT_OK);
    u = ask(&s);
    x = suggest_float(u, "x", 0, 1, 0);
    assert_true(x == 0.5); /* index 1, not 0 again */
    free(value);
    value = study_attr_with_prefix(s.study, "qmc:", NULL);
    assert_string_equal(value, "1");
    tell(&s, t, 0);
    tell(&s, u, x);
    free(value);
    free(key);
    sweep_close(&s);
}

/* A trial reopened by number (e.g. in the trial's own process) keeps the
 * sample index it took: a later parameter comes from the same point. */
static void qmc_reopened_trial_keeps_its_point(void **state)
{
    sweep s;
    igmopt_trial *t, *again;
    char *value;
    sweep_open(&s, "QMCSampler", NULL);
    t = ask(&s);
    suggest_float(t, "x", 0, 1, 0);
    suggest_float(t, "y", 0, 1, 0);
    tell(&s, t, 0);
    for (int n = 0; n < 3; n++) {
        t = ask(&s);
        suggest_float(t, "x", 0, 1, 0);
        if (n < 2) {
            suggest_float(t, "y", 0, 1, 0);
            tell(&s, t, 0);
        }
    }
    /* index 2 = (0.75, 0.25): x taken by t, y by a second handle */
    assert_int_equal(igmopt_study_trial(s.study, igmopt_trial_number(t), &again), IGMOPT_OK);
    assert_true(suggest_float(again, "y", 0, 1, 0) == 0.25);
    assert_true(suggest_float(again, "x", 0, 1, 0) == 0.75);
    value = study_attr_with_prefix(s.study, "qmc:", NULL);
    assert_string_equal(value, "2");
    free(value);
    igmopt_trial_free(again);
    tell(&s, t, 0);
    sweep_close(&s);
}

static double first_trial_x(const char *method, const char *kwargs)
{
    sweep s;
    igmopt_trial *t;
    double x;
    sweep_open(&s, method, kwargs);
    t = ask(&s);
    x = suggest_float(t, "x", 0, 1, 0);
    tell(&s, t, x);
    sweep_close(&s);
    return x;
}

static void qmc_first_trial_uses_the_independent_sampler(void **state)
{
    double plain = first_trial_x("RandomSampler", "{\"seed\": 3}");
    assert_true(first_trial_x("QMCSampler", "{\"seed\": 3}") == plain);
    assert_true(first_trial_x("QMCSampler", "{\"independent_sampler\": {\"method\": "
                                            "\"RandomSampler\", \"seed\": 3}}") == plain);
    assert_true(first_trial_x("QMCSampler", "{\"seed\": 9, \"independent_sampler\": {\"method\": "
                                            "\"RandomSampler\", \"seed\": 3}}") == plain);
}

static void qmc_scrambled_sequence_is_fixed_by_the_seed(void **state)
{
    const char *kwargs = "{\"scramble\": true, \"seed\": 11, \"qmc_type\": \"sobol\"}";
    double first[5], x;
    for (int run = 0; run < 2; run++) {
        sweep s;
        sweep_open(&s, "QMCSampler", kwargs);
        for (int n = 0; n < 5; n++) {
            igmopt_trial *t = ask(&s);
            x = suggest_float(t, "x", 0, 1, 0);
            if (run == 0)
                first[n] = x;
            else
                assert_true(x == first[n]);
            tell(&s, t, x);
        }
        sweep_close(&s);
    }
    assert_true(first[1] != 0.0); /* scrambled: point 0 is not the origin */
}

static void qmc_bad_kwargs_are_named(void **state)
{
    assert_new_sampler_fails("QMCSampler", "{\"qmc_type\": \"lhs\"}", "qmc_type");
    assert_new_sampler_fails("QMCSampler", "{\"scrambled\": true}", "scrambled");
    assert_new_sampler_fails("QMCSampler", "{\"scramble\": 1}", "scramble");
    assert_new_sampler_fails("QMCSampler", "{\"seed\": \"x\"}", "seed");
    assert_new_sampler_fails("QMCSampler", "{\"warn_independent_sampling\": null}",
                             "warn_independent_sampling");
    assert_new_sampler_fails("QMCSampler", "{\"independent_sampler\": {\"method\": \"Nope\"}}",
                             "independent_sampler");
    assert_new_sampler_fails("QMCSampler", "{\"independent_sampler\": 5}",
                             "independent_sampler");
    assert_new_sampler_fails("QMCSampler",
                             "{\"independent_sampler\": {\"method\": \"RandomSampler\", "
                             "\"sed\": 1}}", "sed");
}

/* ---- GridSampler ----------------------------------------------------------- */

#define GRID "{\"search_space\": {\"x\": [-1, 0, 1.5], \"c\": [\"a\", \"b\"]}, \"seed\": 5}"

static void grid_point(igmopt_trial *t, double *x, size_t *c)
{
    *x = suggest_float(t, "x", -1, 2, 0);
    *c = suggest_abc(t, "c");
}

static void grid_covers_every_point_once_then_stops(void **state)
{
    int seen[3][2] = {{0}};
    sweep s;
    sweep_open(&s, "GridSampler", GRID);
    for (int n = 0; n < 6; n++) {
        igmopt_trial *t = ask(&s);
        double x;
        size_t c;
        grid_point(t, &x, &c);
        assert_true(c < 2);
        seen[x == -1 ? 0 : x == 0 ? 1 : 2][c]++;
        assert_true(x == -1 || x == 0 || x == 1.5);
        assert_false(igm_study_stop_requested(s.study));
        tell(&s, t, x);
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++)
            assert_int_equal(seen[i][j], 1);
    assert_true(igm_study_stop_requested(s.study));
    sweep_close(&s);
}

static void grid_trials_record_grid_id_and_search_space(void **state)
{
    char *json;
    sweep s;
    igmopt_trial *t;
    sweep_open(&s, "GridSampler", GRID);
    t = ask(&s);
    igmopt_trial_free(t);
    assert_int_equal(igmopt_study_trials_json(s.study, &json), IGMOPT_OK);
    assert_non_null(strstr(json, "\"grid_id\": 0"));
    assert_non_null(strstr(json, "\"search_space\": {\"c\": [\"a\", \"b\"], "
                                 "\"x\": [-1, 0, 1.5]}"));
    igmopt_free(json);
    sweep_close(&s);
}

static void grid_order(const char *kwargs, double xs[6], size_t cs[6])
{
    sweep s;
    sweep_open(&s, "GridSampler", kwargs);
    for (int n = 0; n < 6; n++) {
        igmopt_trial *t = ask(&s);
        grid_point(t, &xs[n], &cs[n]);
        tell(&s, t, 0);
    }
    sweep_close(&s);
}

/* [H] shuffles with RandomState(seed or 0): null and 0 give one order. */
static void grid_order_is_fixed_by_the_seed(void **state)
{
    double x1[6], x2[6];
    size_t c1[6], c2[6];
    grid_order("{\"search_space\": {\"x\": [-1, 0, 1.5], \"c\": [\"a\", \"b\"]}}", x1, c1);
    grid_order("{\"search_space\": {\"x\": [-1, 0, 1.5], \"c\": [\"a\", \"b\"]}, \"seed\": 0}",
               x2, c2);
    assert_memory_equal(x1, x2, sizeof x1);
    assert_memory_equal(c1, c2, sizeof c1);
    grid_order(GRID, x2, c2);
    assert_true(memcmp(x1, x2, sizeof x1) != 0 || memcmp(c1, c2, sizeof c1) != 0);
}

/* Two handles on one SQLite file, asking in turns with trials open at the
 * same time, still evaluate each point once. */
static void grid_two_handles_share_one_grid(void **state)
{
    char dir[64], url[128];
    int seen[3][2] = {{0}};
    sweep a, b;
    temp_db_url(dir, url);
    sweep_open_url(&a, url, "grid", "GridSampler", GRID);
    sweep_open_url(&b, url, "grid", "GridSampler", GRID);
    for (int n = 0; n < 3; n++) {
        igmopt_trial *ta = ask(&a), *tb = ask(&b);
        double xa, xb;
        size_t ca, cb;
        grid_point(tb, &xb, &cb);
        grid_point(ta, &xa, &ca);
        seen[xa == -1 ? 0 : xa == 0 ? 1 : 2][ca]++;
        seen[xb == -1 ? 0 : xb == 0 ? 1 : 2][cb]++;
        tell(&a, ta, 0);
        tell(&b, tb, 0);
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++)
            assert_int_equal(seen[i][j], 1);
    assert_true(igm_study_stop_requested(a.study) || igm_study_stop_requested(b.study));
    sweep_close(&a);
    sweep_close(&b);
    remove_temp_db(dir);
}

/* Trials past the grid take the unvisited points that enqueued trials left,
 * and one asked when all are finished repeats a point and stops the study. */
static void grid_fills_gaps_left_by_enqueued_trials(void **state)
{
    int seen[3][2] = {{0}};
    sweep s;
    igmopt_trial *t;
    double x;
    size_t c;
    sweep_open(&s, "GridSampler", GRID);
    assert_int_equal(igmopt_study_enqueue(s.study, "{\"x\": 0, \"c\": \"b\"}"), IGMOPT_OK);
    for (int n = 0; n < 7; n++) {
        t = ask(&s);
        grid_point(t, &x, &c);
        seen[x == -1 ? 0 : x == 0 ? 1 : 2][c]++;
        tell(&s, t, 0);
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++)
            assert_int_equal(seen[i][j], i == 1 && j == 1 ? 2 : 1);
    assert_true(igm_study_stop_requested(s.study));
    s.study->stop_requested = 0;
    t = ask(&s); /* nothing left: a visited point, and a stop */
    assert_true(igm_study_stop_requested(s.study));
    grid_point(t, &x, &c);
    tell(&s, t, 0);
    sweep_close(&s);
}

static void grid_errors_name_the_parameter(void **state)
{
    sweep s;
    igmopt_trial *t;
    double v;
    sweep_open(&s, "GridSampler", GRID);
    t = ask(&s);
    assert_int_equal(igmopt_trial_suggest_float(t, "y", 0, 1, 0, 0, &v), IGMOPT_EINVAL);
    assert_error_names("'y'");
    igmopt_trial_free(t);
    sweep_close(&s);

    sweep_open(&s, "GridSampler", "{\"search_space\": {\"x\": [5]}}");
    t = ask(&s);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &v), IGMOPT_EINVAL);
    assert_error_names("'x'");
    assert_error_names("GridSampler");
    igmopt_trial_free(t);
    sweep_close(&s);

    assert_new_sampler_fails("GridSampler", NULL, "search_space");
    assert_new_sampler_fails("GridSampler", "{\"search_space\": {\"x\": []}}", "'x'");
    assert_new_sampler_fails("GridSampler", "{\"search_space\": {\"x\": [[1]]}}", "'x'");
    assert_new_sampler_fails("GridSampler", "{\"search_space\": {\"x\": [1]}, \"sed\": 1}",
                             "sed");
}

/* ---- BruteForceSampler ------------------------------------------------------ */

/* Optuna's example: c in {float, int}; float: x in 1..3 by 0.5 (5 values);
 * int: a in 1..3, b in a..3 (6 pairs): 11 paths. */
static int brute_force_trial(sweep *s, int *code)
{
    igmopt_trial *t = ask(s);
    size_t c;
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[\"float\", \"int\"]", &c),
                     IGMOPT_OK);
    if (c == 0) {
        double x = suggest_float(t, "x", 1, 3, 0.5);
        *code = (int)(x * 2); /* 2..6 */
    } else {
        int64_t a = suggest_int(t, "a", 1, 3), b = suggest_int(t, "b", a, 3);
        *code = (int)(10 * a + b);
    }
    tell(s, t, *code);
    return igm_study_stop_requested(s->study);
}

static void brute_force_enumerates_a_mixed_space_once_and_stops(void **state)
{
    static const int paths[] = {2, 3, 4, 5, 6, 11, 12, 13, 22, 23, 33};
    int seen[40] = {0}, code, n = 0;
    sweep s;
    sweep_open(&s, "BruteForceSampler", "{\"seed\": 1}");
    while (!brute_force_trial(&s, &code)) {
        seen[code]++;
        assert_true(++n < 11);
    }
    seen[code]++;
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        assert_int_equal(seen[paths[i]], 1);
    assert_int_equal(n + 1, 11);
    sweep_close(&s);
}

static void brute_force_order_is_fixed_by_the_seed(void **state)
{
    int first[11], code;
    for (int run = 0; run < 2; run++) {
        sweep s;
        sweep_open(&s, "BruteForceSampler", "{\"seed\": 8, \"avoid_premature_stop\": true}");
        for (int n = 0; n < 11; n++) {
            brute_force_trial(&s, &code);
            if (run == 0)
                first[n] = code;
            else
                assert_int_equal(code, first[n]);
        }
        sweep_close(&s);
    }
}

/* 0..1 by 0.1 stepped in decimal: 0.3 is 0.3, not 0.30000000000000004. */
static void brute_force_steps_floats_in_decimal(void **state)
{
    static const double expected[] = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    int seen[11] = {0};
    sweep s;
    sweep_open(&s, "BruteForceSampler", "{\"seed\": 2}");
    for (int n = 0; n < 11; n++) {
        igmopt_trial *t = ask(&s);
        double x = suggest_float(t, "x", 0, 1, 0.1);
        int found = 0;
        for (int k = 0; k < 11; k++)
            if (x == expected[k]) {
                seen[k]++;
                found = 1;
            }
        assert_true(found);
        tell(&s, t, x);
    }
    for (int k = 0; k < 11; k++)
        assert_int_equal(seen[k], 1);
    assert_true(igm_study_stop_requested(s.study));
    sweep_close(&s);
}

static void brute_force_avoids_running_trials(void **state)
{
    sweep s;
    sweep_open(&s, "BruteForceSampler", NULL);
    for (int round = 0; round < 5; round++) {
        igmopt_trial *a = ask(&s), *b = ask(&s);
        int64_t xa = suggest_int(a, "x", 0, 1), xb = suggest_int(b, "x", 0, 1);
        assert_true(xa != xb || round > 0);
        tell(&s, a, 0);
        tell(&s, b, 0);
        if (round == 0)
            assert_true(igm_study_stop_requested(s.study));
    }
    sweep_close(&s);
}

static void brute_force_needs_a_float_step(void **state)
{
    sweep s;
    igmopt_trial *t;
    double v;
    sweep_open(&s, "BruteForceSampler", NULL);
    t = ask(&s);
    assert_int_equal(igmopt_trial_suggest_float(t, "lr", 0, 1, 0, 0, &v), IGMOPT_EINVAL);
    assert_error_names("'lr'");
    igmopt_trial_free(t);
    sweep_close(&s);
    assert_new_sampler_fails("BruteForceSampler", "{\"avoid_premature_stop\": 1}",
                             "avoid_premature_stop");
    assert_new_sampler_fails("BruteForceSampler", "{\"seeds\": 1}", "seeds");
}

/* ---- PartialFixedSampler ------------------------------------------------------ */

static void partial_fixed_fixes_one_parameter_and_delegates_the_rest(void **state)
{
    sweep plain, s;
    sweep_open(&plain, "RandomSampler", "{\"seed\": 4}");
    sweep_open(&s, "PartialFixedSampler", "{\"fixed_params\": {\"x\": 0.25}, \"base_sampler\": "
                                          "{\"method\": \"RandomSampler\", \"seed\": 4}}");
    for (int n = 0; n < 4; n++) {
        igmopt_trial *t = ask(&s), *p = ask(&plain);
        assert_true(suggest_float(t, "x", 0, 1, 0) == 0.25);
        assert_true(suggest_float(t, "y", 0, 1, 0) == suggest_float(p, "y", 0, 1, 0));
        tell(&s, t, 0);
        tell(&plain, p, 0);
    }
    sweep_close(&plain);
    sweep_close(&s);
}

/* With QMC as the base the fixed name is dropped from its joint draw: y
 * keeps Sobol's second coordinate. */
static void partial_fixed_filters_the_base_samplers_relative_params(void **state)
{
    static const double ys[] = {0.0, 0.5, 0.25, 0.75};
    sweep s;
    sweep_open(&s, "PartialFixedSampler",
               "{\"fixed_params\": {\"x\": 0.5}, \"base_sampler\": {\"method\": \"QMCSampler\"}}");
    for (int n = 0; n < 5; n++) {
        igmopt_trial *t = ask(&s);
        double x = suggest_float(t, "x", 0, 1, 0), y = suggest_float(t, "y", 0, 1, 0);
        assert_true(x == 0.5);
        if (n > 0)
            assert_true(y == ys[n - 1]);
        tell(&s, t, 0);
    }
    sweep_close(&s);
}

static void partial_fixed_errors_name_the_parameter(void **state)
{
    igmopt_sampler *bare;
    sweep s;
    igmopt_trial *t;
    size_t c;
    sweep_open(&s, "PartialFixedSampler", "{\"fixed_params\": {\"c\": \"z\"}}");
    t = ask(&s);
    assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[\"a\", \"b\"]", &c),
                     IGMOPT_EINVAL);
    assert_error_names("'c'");
    assert_error_names("PartialFixedSampler");
    igmopt_trial_free(t);
    sweep_close(&s);
    assert_int_equal(igmopt_sampler_new(&bare, "PartialFixedSampler",
                                        "{\"fixed_params\": {}, \"base_sampler\": "
                                        "\"RandomSampler\"}"),
                     IGMOPT_OK); /* a nested sampler may be just its class name */
    igmopt_sampler_free(bare);
    assert_new_sampler_fails("PartialFixedSampler", NULL, "fixed_params");
    assert_new_sampler_fails("PartialFixedSampler", "{\"fixed_params\": {\"x\": [1]}}", "'x'");
    assert_new_sampler_fails("PartialFixedSampler",
                             "{\"fixed_params\": {}, \"base_sampler\": {\"method\": \"X\"}}",
                             "base_sampler");
    assert_new_sampler_fails("PartialFixedSampler",
                             "{\"fixed_params\": {}, \"base\": \"RandomSampler\"}", "base");
}

/* ---- from the sweep config ------------------------------------------------- */

static int load_config_text(const char *yaml, igmopt_config **cfg)
{
    char path[] = "/tmp/igm-test-qmc-config-XXXXXX";
    int fd = mkstemp(path), rc;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
    close(fd);
    rc = igmopt_config_load(cfg, path);
    unlink(path);
    return rc;
}

#define CONFIG_HEAD "objectives:\n  - name: cost\n    direction: minimize\n" \
                    "parameters:\n  - name: x\n    type: float\n    low: 0.0\n" \
                    "    high: 1.0\nn_trials: 4\n"

/* Samplers with required kwargs and nested samplers load from YAML; their
 * kwarg errors name the sampler key, an unknown class the method key. */
static void samplers_with_required_kwargs_load_from_the_config(void **state)
{
    igmopt_config *cfg;
    assert_int_equal(load_config_text(CONFIG_HEAD
                                      "sampler:\n  method: PartialFixedSampler\n"
                                      "  fixed_params: {x: 0.5}\n"
                                      "  base_sampler: {method: QMCSampler, seed: 0,\n"
                                      "    independent_sampler: {method: GridSampler,\n"
                                      "      search_space: {x: [0.25, 0.5]}}}\n", &cfg),
                     IGMOPT_OK);
    igmopt_config_free(cfg);
    assert_int_equal(load_config_text(CONFIG_HEAD "sampler:\n  method: GridSampler\n"
                                                  "  search_space: {x: []}\n", &cfg),
                     IGMOPT_ECONFIG);
    assert_error_names(":12: key 'sampler.search_space': GridSampler: search_space['x']");
    assert_int_equal(load_config_text(CONFIG_HEAD "sampler:\n  method: GridSamplr\n", &cfg),
                     IGMOPT_ECONFIG);
    assert_error_names(":11: key 'sampler.method': unknown sampler 'GridSamplr'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sobol_first_points_match_scipy),
        cmocka_unit_test(sobol_direction_numbers_match_scipy_in_every_dimension),
        cmocka_unit_test(sobol_far_point_matches_scipy_fast_forward),
        cmocka_unit_test(halton_points_match_scipy),
        cmocka_unit_test(scrambled_sobol_is_seeded_and_still_a_net),
        cmocka_unit_test(scrambled_halton_is_seeded_and_stratified),
        cmocka_unit_test(sequence_dimensions_are_bounded),
        cmocka_unit_test(qmc_sobol_matches_optuna_test_vector),
        cmocka_unit_test(qmc_halton_maps_points_through_the_transform),
        cmocka_unit_test(qmc_two_handles_on_one_sqlite_file_continue_one_sequence),
        cmocka_unit_test(qmc_lost_counter_update_does_not_repeat_a_point),
        cmocka_unit_test(qmc_reopened_trial_keeps_its_point),
        cmocka_unit_test(qmc_first_trial_uses_the_independent_sampler),
        cmocka_unit_test(qmc_scrambled_sequence_is_fixed_by_the_seed),
        cmocka_unit_test(qmc_bad_kwargs_are_named),
        cmocka_unit_test(grid_covers_every_point_once_then_stops),
        cmocka_unit_test(grid_trials_record_grid_id_and_search_space),
        cmocka_unit_test(grid_order_is_fixed_by_the_seed),
        cmocka_unit_test(grid_two_handles_share_one_grid),
        cmocka_unit_test(grid_fills_gaps_left_by_enqueued_trials),
        cmocka_unit_test(grid_errors_name_the_parameter),
        cmocka_unit_test(brute_force_enumerates_a_mixed_space_once_and_stops),
        cmocka_unit_test(brute_force_order_is_fixed_by_the_seed),
        cmocka_unit_test(brute_force_steps_floats_in_decimal),
        cmocka_unit_test(brute_force_avoids_running_trials),
        cmocka_unit_test(brute_force_needs_a_float_step),
        cmocka_unit_test(partial_fixed_fixes_one_parameter_and_delegates_the_rest),
        cmocka_unit_test(partial_fixed_filters_the_base_samplers_relative_params),
        cmocka_unit_test(partial_fixed_errors_name_the_parameter),
        cmocka_unit_test(samplers_with_required_kwargs_load_from_the_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
