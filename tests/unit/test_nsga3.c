/* NSGA-III (OPTUNA-ALGORITHMS.md s4): Das-Dennis points, user reference
 * points, the fronts both selections share, normalisation and association
 * of hand-made points (values worked out by hand), niching order,
 * directions, infinities, constraints and determinism; then NSGAIIISampler
 * on three-objective studies and its kwargs. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igmopt/igmopt.h"
#include "lib/error.h"
#include "lib/rng.h"
#include "lib/study.h"
#include "samplers/ga/elite_selection.h"
#include "samplers/ga/nsga3.h"

static const double inf = INFINITY;

static void assert_rows(const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(got[i] - want[i]) > 1e-15)
            fail_msg("entry %zu: %.17g, want %.17g", i, got[i], want[i]);
}

static void assert_selection(const size_t *got, const size_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("pick %zu: %zu, want %zu", i, got[i], want[i]);
}

/* Every index below n at most once. */
static void assert_distinct(const size_t *sel, size_t k, size_t n)
{
    unsigned char seen[256] = {0};
    assert_true(n <= 256);
    for (size_t i = 0; i < k; i++) {
        assert_true(sel[i] < n);
        assert_false(seen[sel[i]]);
        seen[sel[i]] = 1;
    }
}

static void das_dennis_counts_are_multiset_numbers(void **state)
{
    const size_t want[] = {0, 1, 4, 10, 20, 35}; /* C(M + 2, 3) */
    igm_reference_points r;
    for (size_t m = 1; m <= 5; m++) {
        assert_int_equal(igm_reference_points_das_dennis(m, 3, &r), IGMOPT_OK);
        assert_int_equal(r.count, want[m]);
        assert_int_equal(r.m, m);
        for (size_t i = 0; i < r.count; i++) {
            double sum = 0;
            for (size_t j = 0; j < m; j++)
                sum += r.points[i * m + j];
            assert_true(sum == 3.0);
        }
        igm_reference_points_clear(&r);
    }
    assert_int_equal(igm_reference_points_das_dennis(3, 12, &r), IGMOPT_OK);
    assert_int_equal(r.count, 91);
    igm_reference_points_clear(&r);
}

static void das_dennis_points_in_optunas_order(void **state)
{
    /* combinations_with_replacement order, s11 */
    const double m3[] = {3, 0, 0, 2, 1, 0, 2, 0, 1, 1, 2, 0, 1, 1, 1,
                         1, 0, 2, 0, 3, 0, 0, 2, 1, 0, 1, 2, 0, 0, 3};
    const double m2[] = {2, 0, 1, 1, 0, 2};
    igm_reference_points r;
    assert_int_equal(igm_reference_points_das_dennis(3, 3, &r), IGMOPT_OK);
    assert_rows(r.points, m3, 30);
    igm_reference_points_clear(&r);
    assert_int_equal(igm_reference_points_das_dennis(2, 2, &r), IGMOPT_OK);
    assert_rows(r.points, m2, 6);
    igm_reference_points_clear(&r);
    assert_int_equal(igm_reference_points_das_dennis(2, 1, &r), IGMOPT_OK);
    assert_int_equal(r.count, 2);
    igm_reference_points_clear(&r);
}

static void das_dennis_refuses_empty_and_huge_sets(void **state)
{
    igm_reference_points r;
    assert_int_equal(igm_reference_points_das_dennis(0, 3, &r), IGMOPT_EINVAL);
    assert_int_equal(igm_reference_points_das_dennis(3, 0, &r), IGMOPT_EINVAL);
    assert_int_equal(igm_reference_points_das_dennis(40, 40, &r), IGMOPT_EINVAL);
    assert_non_null(strstr(igm_error_message(), "give more than 1000000 reference-point "
                           "coordinates"));
    assert_null(r.points);
    igm_reference_points_clear(&r); /* harmless on an empty set */
}

static int points_from_text(const char *text, size_t m, igm_reference_points *r)
{
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    int rc;
    assert_non_null(j);
    rc = igm_reference_points_from_json("NSGAIIISampler", j, m, r);
    json_decref(j);
    return rc;
}

static void user_points_are_read_as_given(void **state)
{
    const double want[] = {1, 0, 0.5, 0.5, -1, 2};
    igm_reference_points r;
    assert_int_equal(points_from_text("[[1, 0], [0.5, 0.5], [-1, 2]]", 2, &r), IGMOPT_OK);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.m, 2);
    assert_rows(r.points, want, 6);
    igm_reference_points_clear(&r);
}

static void user_points_errors_name_the_row(void **state)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"{\"a\": 1}", "reference_points must be a non-empty array"},
        {"[]", "reference_points must be a non-empty array"},
        {"[[1, 0], [1]]", "reference_points[1] must be an array of 2 numbers"},
        {"[[1, 0, 0]]", "reference_points[0] must be an array of 2 numbers"},
        {"[[1, \"a\"]]", "reference_points[0][1] must be a finite number"},
        {"[[true, 1]]", "reference_points[0][0] must be a finite number"},
        {"[[1, 1], [0, 0.0]]", "reference_points[1] must not be all zeros"},
        {"[1, 2]", "reference_points[0] must be an array"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        igm_reference_points r;
        assert_int_equal(points_from_text(cases[i].text, 2, &r), IGMOPT_EINVAL);
        assert_null(r.points);
        if (!strstr(igm_error_message(), cases[i].message) ||
            strncmp(igm_error_message(), "NSGAIIISampler: ", 16) != 0)
            fail_msg("%s: got '%s'", cases[i].text, igm_error_message());
    }
}

/* The shared fronts: whole fronts while taken + size < k (Optuna's strict
 * rule), then the front to cut. */
static void fronts_fill_strictly_then_cut(void **state)
{
    /* ranks: {0, 1}: rank 0, {2, 3}: rank 1, {4}: rank 2 */
    const double v[] = {1, 4, 4, 1, 2, 5, 5, 2, 6, 6};
    igm_elite_pool pool = {5, 2, v, NULL, NULL};
    size_t order[5], whole, cut;
    assert_int_equal(igm_elite_fronts(&pool, 3, order, &whole, &cut), IGMOPT_OK);
    assert_int_equal(whole, 2);
    assert_int_equal(cut, 2);
    assert_selection(order, (const size_t[]){0, 1, 2, 3}, 4);
    assert_int_equal(igm_elite_fronts(&pool, 4, order, &whole, &cut), IGMOPT_OK);
    assert_int_equal(whole, 2); /* the second front fills 4 exactly: cut too */
    assert_int_equal(cut, 2);
    assert_int_equal(igm_elite_fronts(&pool, 6, order, &whole, &cut), IGMOPT_OK);
    assert_int_equal(whole, 5);
    assert_int_equal(cut, 0);
    assert_int_equal(igm_elite_fronts(&pool, 0, order, &whole, &cut), IGMOPT_OK);
    assert_int_equal(whole, 0);
    assert_int_equal(cut, 2);
}

static void normalise_diagonal_extremes(void **state)
{
    /* ideal (1, 1); extremes (3, 0) and (0, 4) after it: a = (1/3, 1/4) */
    double f[] = {1, 5, 2, 3, 4, 1, 3, 3};
    const double want[] = {0, 1, 1.0 / 3, 0.5, 1, 0, 2.0 / 3, 0.5};
    assert_int_equal(igm_nsga3_normalise(f, 4, 2), IGMOPT_OK);
    assert_rows(f, want, 8);
}

static void normalise_tilted_hyperplane(void **state)
{
    /* Extremes A, B, C (one per axis, ASF with 1e6 off-axis weights); the
     * plane through them is f1 + f2 + f3 = 3: intercepts 3, a = 1/3. */
    double f[] = {2, 0, 1, 1, 2, 0, 0, 1, 2, 1, 1, 1};
    const double want[] = {2.0 / 3, 0, 1.0 / 3, 1.0 / 3, 2.0 / 3, 0,
                           0, 1.0 / 3, 2.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3};
    assert_int_equal(igm_nsga3_normalise(f, 4, 3), IGMOPT_OK);
    assert_rows(f, want, 12);
}

static void normalise_singular_extremes_use_the_maxima(void **state)
{
    /* Both extremes are the ideal point itself: E = 0, a = 1 / max. */
    double f[] = {0, 0, 2, 4, 1, 1};
    const double want[] = {0, 0, 1, 1, 0.5, 0.25};
    double same[] = {5, 7, 5, 7};
    assert_int_equal(igm_nsga3_normalise(f, 3, 2), IGMOPT_OK);
    assert_rows(f, want, 6);
    /* max 0: 1 / 0 is not finite, a = 1 */
    assert_int_equal(igm_nsga3_normalise(same, 2, 2), IGMOPT_OK);
    assert_rows(same, (const double[]){0, 0, 0, 0}, 4);
}

static void normalise_clips_infinities_by_three_ranges(void **state)
{
    /* column 0: finite [0, 1], -inf -> -3; column 1: finite [0, 2],
     * +inf -> 8; ideal (-3, 0); extremes both (0, 0): a = (1/4, 1/8) */
    double f[] = {0, inf, 1, 2, -inf, 0};
    const double want[] = {0.75, 1, 1, 0.25, 0, 0};
    double no_finite[] = {inf, 1, -inf, 2, NAN, 3};
    assert_int_equal(igm_nsga3_normalise(f, 3, 2), IGMOPT_OK);
    assert_rows(f, want, 6);
    assert_int_equal(igm_nsga3_normalise(no_finite, 3, 2), IGMOPT_OK);
    for (size_t i = 0; i < 6; i++)
        assert_true(isfinite(no_finite[i]));
}

static void association_finds_the_nearest_direction(void **state)
{
    igm_reference_points r;
    const double f[] = {1, 0.1, 0.5, 0.5, 0.2, 3, 0, 0, 1, 0};
    size_t closest[5];
    double d[5];
    assert_int_equal(igm_reference_points_das_dennis(2, 2, &r), IGMOPT_OK); /* (2,0) (1,1) (0,2) */
    igm_nsga3_associate(f, 5, &r, closest, d);
    assert_selection(closest, (const size_t[]){0, 1, 2, 0, 0}, 5);
    assert_rows(d, (const double[]){0.1, 0, 0.2, 0, 0}, 5); /* origin: first on ties */
    igm_reference_points_clear(&r);
}

static void niching_fills_the_empty_niche_with_its_closest_first(void **state)
{
    /* elites both at reference 0; front: 0 -> ref 0, 1 and 2 -> ref 1 */
    const size_t closest[] = {0, 0, 0, 1, 1};
    const double d[] = {0, 0, 0.1, 0.5, 0.2};
    size_t out[3];
    igm_rng rng;
    igm_rng_seed(&rng, 1);
    assert_int_equal(igm_nsga3_niche_pick(closest, d, 2, 3, 2, 3, &rng, out), IGMOPT_OK);
    /* ref 1 (empty): closest candidate 2; ref 1 again (1 member < 2): its
     * last one; then ref 0 */
    assert_selection(out, (const size_t[]){2, 1, 0}, 3);
}

static void niching_ties_take_the_lowest_index(void **state)
{
    const size_t closest[] = {1, 1, 1};
    const double d[] = {0.3, 0.3, 0.3};
    size_t out[1];
    igm_rng rng;
    igm_rng_seed(&rng, 7);
    assert_int_equal(igm_nsga3_niche_pick(closest, d, 0, 3, 3, 1, &rng, out), IGMOPT_OK);
    assert_int_equal(out[0], 0);
}

static void niching_spreads_over_empty_niches_before_doubling(void **state)
{
    /* four candidates at ref 0, one at ref 1, one at ref 2: the first three
     * picks cover the three niches, the closest of ref 0 among them. */
    const size_t closest[] = {0, 0, 0, 0, 1, 2};
    const double d[] = {0.4, 0.1, 0.3, 0.2, 0.9, 0.9};
    for (uint64_t seed = 0; seed < 20; seed++) {
        size_t out[3];
        int seen[6] = {0};
        igm_rng rng;
        igm_rng_seed(&rng, seed);
        assert_int_equal(igm_nsga3_niche_pick(closest, d, 0, 6, 3, 3, &rng, out), IGMOPT_OK);
        for (size_t i = 0; i < 3; i++)
            seen[out[i]] = 1;
        assert_true(seen[1] && seen[4] && seen[5]);
    }
}

/* n points on the plane f1 + f2 + f3 = 1 (one front), from seed. */
static void plane_points(double *v, size_t n, uint64_t seed)
{
    igm_rng rng;
    igm_rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++) {
        double a = igm_rng_uniform(&rng), b = igm_rng_uniform(&rng);
        if (a + b > 1) {
            a = 1 - a;
            b = 1 - b;
        }
        v[3 * i] = a;
        v[3 * i + 1] = b;
        v[3 * i + 2] = 1 - a - b;
    }
}

static void select3(const igm_elite_pool *pool, size_t k, uint64_t seed, size_t *out)
{
    igm_reference_points r;
    igm_rng rng;
    igm_rng_seed(&rng, seed);
    assert_int_equal(igm_reference_points_das_dennis(pool->m, 3, &r), IGMOPT_OK);
    assert_int_equal(igm_nsga3_select(pool, k, &r, &rng, out), IGMOPT_OK);
    igm_reference_points_clear(&r);
}

static void maximised_objective_is_the_mirror_of_the_minimised(void **state)
{
    const igmopt_direction mixed[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE, IGMOPT_MINIMIZE};
    double v[3 * 40], mirrored[3 * 40];
    size_t a[12], b[12];
    plane_points(v, 40, 3);
    memcpy(mirrored, v, sizeof v);
    for (size_t i = 0; i < 40; i++)
        mirrored[3 * i + 1] = -v[3 * i + 1]; /* maximise -f2 */
    igm_elite_pool plain = {40, 3, v, NULL, NULL}, mirror = {40, 3, mirrored, mixed, NULL};
    select3(&plain, 12, 5, a);
    select3(&mirror, 12, 5, b);
    assert_distinct(a, 12, 40);
    assert_selection(b, a, 12);
}

static void infinities_never_give_nan(void **state)
{
    double v[3 * 20];
    size_t out[8];
    plane_points(v, 20, 9);
    v[0] = -inf;
    v[4] = inf;
    v[8] = inf;
    v[9] = -inf;
    v[10] = -inf;
    igm_elite_pool pool = {20, 3, v, NULL, NULL};
    select3(&pool, 8, 2, out);
    assert_distinct(out, 8, 20);
}

static void infeasible_come_after_feasible(void **state)
{
    /* 0..3 feasible, 4..7 infeasible although they dominate everything */
    const double v[] = {1, 2, 3, 2, 3, 1, 3, 1, 2, 2, 2, 2,
                        0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0};
    const double violation[] = {0, 0, 0, 0, 3, 1, 2, 4};
    igm_elite_pool pool = {8, 3, v, NULL, violation};
    size_t out[6];
    select3(&pool, 4, 1, out);
    assert_distinct(out, 4, 4);
    select3(&pool, 6, 1, out);
    assert_distinct(out, 4, 4);
    assert_selection(out + 4, (const size_t[]){5, 6}, 2); /* smaller violation first */
}

static void k_at_least_n_returns_all(void **state)
{
    double v[3 * 15];
    size_t out[15];
    plane_points(v, 15, 4);
    v[3] = v[4] = v[5] = 2; /* point 1 dominated: a second front */
    igm_elite_pool pool = {15, 3, v, NULL, NULL};
    select3(&pool, 15, 3, out);
    assert_distinct(out, 15, 15);
    select3(&pool, 40, 3, out);
    assert_distinct(out, 15, 15);
    assert_int_equal(out[14], 1);
}

static void a_seed_gives_one_selection(void **state)
{
    double v[3 * 60];
    size_t a[20], b[20], c[20];
    int differs = 0;
    plane_points(v, 60, 11);
    igm_elite_pool pool = {60, 3, v, NULL, NULL};
    select3(&pool, 20, 42, a);
    select3(&pool, 20, 42, b);
    select3(&pool, 20, 43, c);
    assert_selection(b, a, 20);
    for (size_t i = 0; i < 20; i++)
        differs |= a[i] != c[i];
    assert_true(differs);
}

static void reference_dimension_must_match_the_objectives(void **state)
{
    const double v[] = {1, 2, 2, 1};
    igm_elite_pool pool = {2, 2, v, NULL, NULL};
    igm_reference_points r;
    igm_rng rng;
    size_t out[2];
    igm_rng_seed(&rng, 0);
    assert_int_equal(igm_reference_points_das_dennis(3, 3, &r), IGMOPT_OK);
    assert_int_equal(igm_nsga3_select(&pool, 1, &r, &rng, out), IGMOPT_EINVAL);
    assert_non_null(strstr(igm_error_message(), "dimension 3 for 2 objectives"));
    igm_reference_points_clear(&r);
}

/* ---- NSGAIIISampler ------------------------------------------------------------------ */

static const igmopt_direction min3[] = {IGMOPT_MINIMIZE, IGMOPT_MINIMIZE, IGMOPT_MINIMIZE};

static igmopt_study *open_study(igmopt_storage **st, const char *kwargs, size_t n_objectives)
{
    igmopt_sampler *sampler;
    igmopt_study *study;
    assert_int_equal(igmopt_storage_open(st, ":memory:"), IGMOPT_OK);
    if (igmopt_sampler_new(&sampler, "NSGAIIISampler", kwargs) != IGMOPT_OK)
        fail_msg("%s", igmopt_errmsg());
    assert_int_equal(igmopt_study_create(&study, *st, "s", min3, n_objectives, sampler, NULL, 1),
                     IGMOPT_OK);
    igmopt_sampler_free(sampler);
    return study;
}

static void close_study(igmopt_study *study, igmopt_storage *st)
{
    igmopt_study_close(study);
    igmopt_storage_close(st);
}

/* One trial of DTLZ2 with three variables (Deb et al. 2002, "Scalable
 * multi-objective optimization test problems"); x receives them. */
static void run_dtlz2(igmopt_study *study, double *x)
{
    static const char *const names[] = {"x0", "x1", "x2"};
    igmopt_trial *t;
    double f[3], g, a, b;
    assert_int_equal(igmopt_study_ask(study, &t), IGMOPT_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(igmopt_trial_suggest_float(t, names[i], 0, 1, 0, 0, &x[i]), IGMOPT_OK);
        assert_in_range(x[i] * 1e9, 0, 1e9);
    }
    g = (x[2] - 0.5) * (x[2] - 0.5);
    a = x[0] * M_PI / 2;
    b = x[1] * M_PI / 2;
    f[0] = (1 + g) * cos(a) * cos(b);
    f[1] = (1 + g) * cos(a) * sin(b);
    f[2] = (1 + g) * sin(a);
    assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, f, 3), IGMOPT_OK);
    igmopt_trial_free(t);
}

static const char *trial_attr(igmopt_study *study, int64_t number, const char *key)
{
    igm_frozen_trial *const *all;
    const igm_frozen_trial *t;
    size_t n;
    assert_int_equal(igm_study_trials(study, &all, &n), IGMOPT_OK);
    assert_int_equal(igm_study_find_trial(study, number, &t), IGMOPT_OK);
    return igm_attr_list_get(&t->system_attrs, key);
}

static int study_has_attr(igmopt_study *study, const char *key)
{
    igm_attr_list attrs = {0};
    int found;
    assert_int_equal(igm_study_system_attrs(study, &attrs), IGMOPT_OK);
    found = igm_attr_list_get(&attrs, key) != NULL;
    igm_attr_list_clear(&attrs);
    return found;
}

static void three_objective_study_runs_generations(void **state)
{
    igmopt_storage *st;
    igmopt_study *study = open_study(&st, "{\"population_size\": 10, \"seed\": 1}", 3);
    double x[3];
    for (int i = 0; i < 60; i++)
        run_dtlz2(study, x);
    for (int i = 0; i < 60; i += 7) {
        char want[8];
        snprintf(want, sizeof want, "%d", i / 10);
        assert_string_equal(trial_attr(study, i, "NSGAIIISampler:generation"), want);
    }
    for (int g = 1; g <= 5; g++) {
        char key[64];
        snprintf(key, sizeof key, "NSGAIIISampler:parent:%d", g);
        assert_true(study_has_attr(study, key));
    }
    assert_false(study_has_attr(study, "NSGAIISampler:parent:1"));
    close_study(study, st);
}

static void same_seed_same_parameters(void **state)
{
    const char *kwargs = "{\"population_size\": 8, \"seed\": 7, \"dividing_parameter\": 2}";
    igmopt_storage *st[2];
    igmopt_study *study[2];
    double x[2][3];
    for (int k = 0; k < 2; k++)
        study[k] = open_study(&st[k], kwargs, 3);
    for (int i = 0; i < 48; i++) {
        for (int k = 0; k < 2; k++)
            run_dtlz2(study[k], x[k]);
        assert_memory_equal(x[0], x[1], sizeof x[0]);
    }
    for (int k = 0; k < 2; k++)
        close_study(study[k], st[k]);
}

/* Maximised objectives and infinite values reach the selection (several
 * cut fronts with population 6): every trial still gets parameters. */
static void mixed_directions_and_infinities_run(void **state)
{
    static const igmopt_direction dirs[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE,
                                            IGMOPT_MINIMIZE};
    igmopt_storage *st;
    igmopt_sampler *sampler;
    igmopt_study *study;
    assert_int_equal(igmopt_storage_open(&st, ":memory:"), IGMOPT_OK);
    assert_int_equal(igmopt_sampler_new(&sampler, "NSGAIIISampler",
                                        "{\"population_size\": 6, \"seed\": 3}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_create(&study, st, "s", dirs, 3, sampler, NULL, 1), IGMOPT_OK);
    igmopt_sampler_free(sampler);
    for (int i = 0; i < 48; i++) {
        igmopt_trial *t;
        double x, y, v[3];
        assert_int_equal(igmopt_study_ask(study, &t), IGMOPT_OK);
        assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x), IGMOPT_OK);
        assert_int_equal(igmopt_trial_suggest_float(t, "y", 0, 1, 0, 0, &y), IGMOPT_OK);
        v[0] = i % 5 == 0 ? inf : x;
        v[1] = i % 7 == 0 ? -inf : y;
        v[2] = i % 11 == 0 ? -inf : 2 - x - y;
        assert_int_equal(igmopt_study_tell(study, t, IGMOPT_COMPLETE, v, 3), IGMOPT_OK);
        igmopt_trial_free(t);
    }
    assert_string_equal(trial_attr(study, 47, "NSGAIIISampler:generation"), "7");
    close_study(study, st);
}

/* Reference points of another dimension stop the study when it is created
 * or loaded, before any trial runs (Optuna finds out at the first
 * selection, after a whole generation). */
static void user_points_must_match_the_objectives(void **state)
{
    igmopt_storage *st;
    igmopt_sampler *three, *plain;
    igmopt_study *study = NULL;
    assert_int_equal(igmopt_storage_open(&st, ":memory:"), IGMOPT_OK);
    assert_int_equal(igmopt_sampler_new(&three, "NSGAIIISampler", "{\"reference_points\": "
                                        "[[1, 0, 0], [0, 1, 1]]}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_create(&study, st, "s", min3, 2, three, NULL, 1),
                     IGMOPT_EINVAL);
    assert_null(study);
    assert_string_equal(igmopt_errmsg(), "sampler: NSGAIIISampler: reference_points have 3 "
                        "coordinates but the study has 2 objectives");
    assert_int_equal(igmopt_study_load(&study, st, "s", NULL, NULL), IGMOPT_ENOTFOUND);
    assert_int_equal(igmopt_sampler_new(&plain, "NSGAIIISampler", NULL), IGMOPT_OK);
    assert_int_equal(igmopt_study_create(&study, st, "s", min3, 2, plain, NULL, 0), IGMOPT_OK);
    igmopt_study_close(study);
    study = NULL;
    assert_int_equal(igmopt_study_load(&study, st, "s", three, NULL), IGMOPT_EINVAL);
    assert_null(study);
    assert_int_equal(igmopt_study_create(&study, st, "t", min3, 3, three, NULL, 0), IGMOPT_OK);
    igmopt_study_close(study);
    igmopt_sampler_free(three);
    igmopt_sampler_free(plain);
    igmopt_storage_close(st);
}

static void sampler_accepts(const char *kwargs)
{
    igmopt_sampler *s;
    if (igmopt_sampler_new(&s, "NSGAIIISampler", kwargs) != IGMOPT_OK)
        fail_msg("%s: %s", kwargs, igmopt_errmsg());
    igmopt_sampler_free(s);
}

static void sampler_refuses(const char *kwargs, const char *message_part)
{
    igmopt_sampler *s = NULL;
    assert_int_equal(igmopt_sampler_new(&s, "NSGAIIISampler", kwargs), IGMOPT_EINVAL);
    assert_null(s);
    if (!strstr(igmopt_errmsg(), message_part))
        fail_msg("%s: '%s' lacks '%s'", kwargs, igmopt_errmsg(), message_part);
}

static void kwargs_are_nsga2s_plus_reference_points(void **state)
{
    sampler_accepts(NULL);
    sampler_accepts("{\"population_size\": 2, \"mutation_prob\": null, \"crossover\": null, "
                    "\"crossover_prob\": 0.9, \"swapping_prob\": 0.5, \"seed\": null, "
                    "\"constraints_func\": null, \"reference_points\": null, "
                    "\"dividing_parameter\": 3}");
    sampler_accepts("{\"reference_points\": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}");
    sampler_accepts("{\"dividing_parameter\": 1, \"crossover\": \"sbx\"}");
    sampler_refuses("{\"dividing_parameter\": 0}", "'dividing_parameter' must be an integer >= 1");
    sampler_refuses("{\"dividing_parameter\": 2.5}", "'dividing_parameter'");
    sampler_refuses("{\"dividing_parameter\": \"3\"}", "'dividing_parameter'");
    sampler_refuses("{\"reference_points\": []}", "reference_points must be a non-empty array");
    sampler_refuses("{\"reference_points\": [[1, 0], [1, 0, 0]]}", "reference_points[1]");
    sampler_refuses("{\"reference_points\": [[0, 0]]}", "must not be all zeros");
    sampler_refuses("{\"reference_points\": 3}", "reference_points");
    sampler_refuses("{\"referencepoints\": null}", "NSGAIIISampler: unknown option "
                    "'referencepoints'");
    sampler_refuses("{\"population_size\": 1}", "population_size");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(das_dennis_counts_are_multiset_numbers),
        cmocka_unit_test(das_dennis_points_in_optunas_order),
        cmocka_unit_test(das_dennis_refuses_empty_and_huge_sets),
        cmocka_unit_test(user_points_are_read_as_given),
        cmocka_unit_test(user_points_errors_name_the_row),
        cmocka_unit_test(fronts_fill_strictly_then_cut),
        cmocka_unit_test(normalise_diagonal_extremes),
        cmocka_unit_test(normalise_tilted_hyperplane),
        cmocka_unit_test(normalise_singular_extremes_use_the_maxima),
        cmocka_unit_test(normalise_clips_infinities_by_three_ranges),
        cmocka_unit_test(association_finds_the_nearest_direction),
        cmocka_unit_test(niching_fills_the_empty_niche_with_its_closest_first),
        cmocka_unit_test(niching_ties_take_the_lowest_index),
        cmocka_unit_test(niching_spreads_over_empty_niches_before_doubling),
        cmocka_unit_test(maximised_objective_is_the_mirror_of_the_minimised),
        cmocka_unit_test(infinities_never_give_nan),
        cmocka_unit_test(infeasible_come_after_feasible),
        cmocka_unit_test(k_at_least_n_returns_all),
        cmocka_unit_test(a_seed_gives_one_selection),
        cmocka_unit_test(reference_dimension_must_match_the_objectives),
        cmocka_unit_test(three_objective_study_runs_generations),
        cmocka_unit_test(same_seed_same_parameters),
        cmocka_unit_test(mixed_directions_and_infinities_run),
        cmocka_unit_test(user_points_must_match_the_objectives),
        cmocka_unit_test(kwargs_are_nsga2s_plus_reference_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
