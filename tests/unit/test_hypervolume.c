/* Hypervolume, exclusive contributions and greedy HSSP: hand-computed
 * volumes, an inclusion-exclusion and a coordinate-grid brute force as
 * independent oracles, Optuna 3.1's WFG and _solve_hssp
 * (hypervolume_oracle.h) and OPTUNA-ALGORITHMS.md s11's vectors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hypervolume_oracle.h"
#include "igmopt/igmopt.h"
#include "lib/hypervolume.h"
#include "lib/rng.h"

#define N_ROWS(a, m) (sizeof(a) / sizeof(a)[0] / (m))

static void assert_close(double got, double want)
{
    double tol = 1e-12 * fmax(1.0, fabs(want));
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g", got, want);
}

static double hv(const double *pts, size_t n, size_t m, const double *ref)
{
    double v = NAN;
    assert_int_equal(igm_hypervolume(pts, n, m, ref, &v), IGMOPT_OK);
    return v;
}

static double hv_wfg(const double *pts, size_t n, size_t m, const double *ref)
{
    double v = NAN;
    assert_int_equal(igm_hypervolume_wfg(pts, n, m, ref, &v), IGMOPT_OK);
    return v;
}

static int inside(const double *p, const double *ref, size_t m)
{
    for (size_t j = 0; j < m; j++)
        if (!isfinite(p[j]) || !(p[j] < ref[j]))
            return 0;
    return 1;
}

/* Sum over non-empty subsets T of (-1)^(|T|+1) * volume(box of max(T)). */
static double inclusion_exclusion(const double *pts, size_t n, size_t m, const double *ref)
{
    double total = 0.0;
    assert_true(n <= 20);
    for (uint32_t set = 1; set < (1u << n); set++) {
        double corner[8], box = 1.0;
        int size = 0, skip = 0;
        for (size_t j = 0; j < m; j++)
            corner[j] = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (!(set >> i & 1))
                continue;
            skip |= !inside(pts + i * m, ref, m);
            size++;
            for (size_t j = 0; j < m; j++)
                corner[j] = fmax(corner[j], pts[i * m + j]);
        }
        if (skip)
            continue;
        for (size_t j = 0; j < m; j++)
            box *= ref[j] - corner[j];
        total += size % 2 ? box : -box;
    }
    return total;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every cell of the grid spanned by the coordinates is either dominated
 * (its lower corner is >= some point) or not: add up the dominated ones. */
static double grid_volume(const double *pts, size_t n, size_t m, const double *ref)
{
    double *axis[8];
    size_t len[8], cell[8] = {0};
    double total = 0.0;
    for (size_t j = 0; j < m; j++) {
        axis[j] = malloc((n + 1) * sizeof **axis);
        len[j] = 0;
        for (size_t i = 0; i < n; i++)
            if (inside(pts + i * m, ref, m))
                axis[j][len[j]++] = pts[i * m + j];
        axis[j][len[j]++] = ref[j];
        qsort(axis[j], len[j], sizeof **axis, compare_doubles);
    }
    for (;;) {
        int dominated = 0, empty = 0;
        double volume = 1.0;
        for (size_t j = 0; j < m; j++) {
            empty |= cell[j] + 1 >= len[j];
        }
        for (size_t i = 0; i < n && !empty && !dominated; i++) {
            if (!inside(pts + i * m, ref, m))
                continue;
            dominated = 1;
            for (size_t j = 0; j < m && dominated; j++)
                dominated = pts[i * m + j] <= axis[j][cell[j]];
        }
        if (!empty && dominated) {
            for (size_t j = 0; j < m; j++)
                volume *= axis[j][cell[j] + 1] - axis[j][cell[j]];
            total += volume;
        }
        size_t j = 0;
        while (j < m && ++cell[j] + 1 >= len[j])
            cell[j++] = 0;
        if (j == m)
            break;
    }
    for (size_t j = 0; j < m; j++)
        free(axis[j]);
    return total;
}

static void random_points(igm_rng *r, double *pts, size_t n, size_t m, int integer_grid)
{
    for (size_t i = 0; i < n * m; i++)
        pts[i] = integer_grid ? (double)igm_rng_below(r, 6) : igm_rng_uniform(r);
}

static void the_unit_square_has_volume_one(void **state)
{
    const double origin[] = {0, 0}, ref[] = {1, 1};
    assert_true(hv(origin, 1, 2, ref) == 1.0);
    const double cube[] = {0, 0, 0}, ref3[] = {1, 1, 1};
    assert_true(hv(cube, 1, 3, ref3) == 1.0);
    const double half[] = {0.5, 0, 0, 0.5}, ref4[] = {1, 1, 1, 1};
    assert_true(hv(half, 1, 4, ref4) == 0.25);
}

static void spec_test_vectors(void **state)
{
    const double two[] = {1, 2, 2, 1}, r2[] = {3, 3};
    assert_true(hv(two, 2, 2, r2) == 3.0);
    const double cyclic3[] = {1, 2, 3, 2, 3, 1, 3, 1, 2}, r3[] = {4, 4, 4};
    assert_true(hv(cyclic3, 3, 3, r3) == 13.0);
    assert_true(hv_wfg(cyclic3, 3, 3, r3) == 13.0);
    const double cyclic4[] = {1, 2, 3, 4, 2, 3, 4, 1, 3, 4, 1, 2, 4, 1, 2, 3}, r4[] = {5, 5, 5, 5};
    assert_true(hv(cyclic4, 4, 4, r4) == 71.0);
}

static void a_staircase_by_hand(void **state)
{
    /* Strips from the left: 4*1 + 3*2 + 2*1 = 12. */
    const double stair[] = {1, 4, 2, 2, 3, 1}, ref[] = {5, 5};
    assert_true(hv(stair, 3, 2, ref) == 12.0);
    /* A dominated point and a duplicate change nothing, nor does the order. */
    const double more[] = {4, 4, 2, 2, 3, 1, 2, 2, 1, 4};
    assert_true(hv(more, 5, 2, ref) == 12.0);
}

static void one_objective_is_the_distance_to_the_best(void **state)
{
    const double pts[] = {3, 1.5, 2}, ref[] = {4};
    assert_true(hv(pts, 3, 1, ref) == 2.5);
}

static void infinite_and_nan_points_add_nothing(void **state)
{
    const double ref[] = {2, 2};
    const double pts[] = {1, 1, -INFINITY, 1, 1, -INFINITY, INFINITY, 0, 0, INFINITY, NAN, 0};
    assert_true(hv(pts, 6, 2, ref) == 1.0);
    const double only_inf[] = {-INFINITY, -INFINITY, -INFINITY, 0.0, 0.0, 0.0};
    const double ref3[] = {1, 1, 1};
    assert_true(hv(only_inf, 2, 3, ref3) == 1.0);
    /* Every row of 2, 3 or 4 of these holds an infinity or a NaN. */
    const double all_bad[] = {-INFINITY, 0, NAN, 0, INFINITY, 0, -INFINITY, 0, NAN, 0, INFINITY, 0};
    for (size_t m = 2; m <= 4; m++) {
        double ones[4] = {1, 1, 1, 1};
        double v = hv(all_bad, 12 / m, m, ones);
        assert_true(isfinite(v));
        assert_true(v == 0.0);
    }
}

static void points_outside_the_box_add_nothing(void **state)
{
    const double ref[] = {2, 2};
    /* (3, 0) and (0, 3) lie beyond the box, (2, 0) on its boundary. */
    const double pts[] = {3, 0, 0, 3, 2, 0, 1, 1};
    assert_true(hv(pts, 4, 2, ref) == 1.0);
    assert_true(hv(pts, 3, 2, ref) == 0.0);
    assert_true(hv(pts, 0, 2, ref) == 0.0);
}

static void a_non_finite_reference_point_is_an_error(void **state)
{
    const double pts[] = {0, 0}, inf_ref[] = {1, INFINITY}, nan_ref[] = {NAN, 1};
    double v = 1.0;
    assert_int_equal(igm_hypervolume(pts, 1, 2, inf_ref, &v), IGMOPT_EINVAL);
    assert_int_equal(igm_hypervolume(pts, 1, 2, nan_ref, &v), IGMOPT_EINVAL);
    assert_int_equal(igm_hypervolume(pts, 1, 0, nan_ref, &v), IGMOPT_EINVAL);
}

static void sweeps_and_wfg_match_inclusion_exclusion(void **state)
{
    igm_rng r;
    igm_rng_seed(&r, 7);
    for (size_t m = 2; m <= 6; m++) {
        for (int round = 0; round < 30; round++) {
            double pts[12 * 6], ref[6];
            size_t n = 1 + igm_rng_below(&r, 12);
            random_points(&r, pts, n, m, round % 3 == 0); /* some with ties */
            for (size_t j = 0; j < m; j++)
                ref[j] = round % 2 ? 1.0 : 6.0;
            double want = inclusion_exclusion(pts, n, m, ref);
            assert_close(hv(pts, n, m, ref), want);
            assert_close(hv_wfg(pts, n, m, ref), want);
        }
    }
}

static void sweeps_and_wfg_match_the_grid_on_larger_sets(void **state)
{
    igm_rng r;
    igm_rng_seed(&r, 11);
    const size_t sizes[][2] = {{3, 60}, {3, 40}, {4, 18}, {5, 9}};
    for (size_t s = 0; s < 4; s++) {
        size_t m = sizes[s][0], n = sizes[s][1];
        double *pts = malloc(n * m * sizeof *pts), ref[5] = {1, 1, 1, 1, 1};
        random_points(&r, pts, n, m, s == 1);
        if (s == 1)
            for (size_t j = 0; j < m; j++)
                ref[j] = 5.0;
        double want = grid_volume(pts, n, m, ref);
        assert_close(hv(pts, n, m, ref), want);
        assert_close(hv_wfg(pts, n, m, ref), want);
        free(pts);
    }
}

static void dtlz2_fronts_agree_across_methods_and_with_optuna(void **state)
{
    const double r3[] = {1.1, 1.1, 1.1}, r4[] = {1.1, 1.1, 1.1, 1.1};
    size_t n3 = N_ROWS(dtlz2_3d_30, 3), n4 = N_ROWS(dtlz2_4d_12, 4);
    assert_close(hv(dtlz2_3d_30, n3, 3, r3), DTLZ2_3D_30_HV);
    assert_close(hv_wfg(dtlz2_3d_30, n3, 3, r3), DTLZ2_3D_30_HV);
    assert_close(grid_volume(dtlz2_3d_30, n3, 3, r3), DTLZ2_3D_30_HV);
    assert_close(hv(dtlz2_4d_12, n4, 4, r4), DTLZ2_4D_12_HV);
    assert_close(inclusion_exclusion(dtlz2_4d_12, n4, 4, r4), DTLZ2_4D_12_HV);
}

static void uniform_sets_match_optuna_wfg(void **state)
{
    const double ref[] = {1.1, 1.1, 1.1, 1.1, 1.1};
    assert_close(hv(uniform_2d_15, N_ROWS(uniform_2d_15, 2), 2, ref), UNIFORM_2D_15_HV);
    assert_close(hv(uniform_3d_12, N_ROWS(uniform_3d_12, 3), 3, ref), UNIFORM_3D_12_HV);
    assert_close(hv(uniform_3d_40, N_ROWS(uniform_3d_40, 3), 3, ref), UNIFORM_3D_40_HV);
    assert_close(hv_wfg(uniform_3d_40, N_ROWS(uniform_3d_40, 3), 3, ref), UNIFORM_3D_40_HV);
    assert_close(hv(uniform_4d_10, N_ROWS(uniform_4d_10, 4), 4, ref), UNIFORM_4D_10_HV);
    assert_close(hv(uniform_5d_8, N_ROWS(uniform_5d_8, 5), 5, ref), UNIFORM_5D_8_HV);
}

static void contributions_of_a_staircase_by_hand(void **state)
{
    /* (1,4): 1*1, (2,2): 1*2, (3,1): 2*1; the dominated (4,4) and the
     * infinite point cover nothing alone, nor does either copy of a point. */
    const double stair[] = {1, 4, 2, 2, 3, 1, 4, 4, -INFINITY, 0}, ref[] = {5, 5};
    double c[5];
    assert_int_equal(igm_hypervolume_contributions(stair, 5, 2, ref, c), IGMOPT_OK);
    assert_true(c[0] == 1.0 && c[1] == 2.0 && c[2] == 2.0 && c[3] == 0.0 && c[4] == 0.0);
    const double twice[] = {1, 4, 2, 2, 2, 2};
    assert_int_equal(igm_hypervolume_contributions(twice, 3, 2, ref, c), IGMOPT_OK);
    assert_true(c[0] == 4.0 - 3.0 && c[1] == 0.0 && c[2] == 0.0);
}

static void contributions_are_leave_one_out_differences(void **state)
{
    igm_rng r;
    igm_rng_seed(&r, 3);
    for (size_t round = 0; round < 16; round++) {
        size_t m = 2 + round % 4, n = 10;
        int grid = round >= 8; /* integers 0..5: ties and copies */
        double pts[10 * 5], rest[9 * 5], c[10], ref[5];
        for (size_t j = 0; j < m; j++)
            ref[j] = grid ? 5.0 : 1.0;
        random_points(&r, pts, n, m, grid);
        assert_int_equal(igm_hypervolume_contributions(pts, n, m, ref, c), IGMOPT_OK);
        double all = inclusion_exclusion(pts, n, m, ref);
        for (size_t i = 0; i < n; i++) {
            memcpy(rest, pts, i * m * sizeof *pts);
            memcpy(rest + i * m, pts + (i + 1) * m, (n - 1 - i) * m * sizeof *pts);
            double want = all - inclusion_exclusion(rest, n - 1, m, ref);
            if (!(fabs(c[i] - want) <= 1e-12))
                fail_msg("round %zu point %zu: %.17g, want %.17g", round, i, c[i], want);
        }
    }
}

static void contributions_of_larger_sets_are_leave_one_out_differences(void **state)
{
    igm_rng r;
    igm_rng_seed(&r, 4);
    enum { N = 60 };
    static double pts[N * 3], rest[N * 3], c[N];
    for (size_t round = 0; round < 8; round++) {
        size_t m = 2 + round % 2;
        int grid = round >= 4;
        double ref[3] = {1, 1, 1};
        if (grid)
            ref[0] = ref[1] = ref[2] = 5.0;
        random_points(&r, pts, N, m, grid);
        assert_int_equal(igm_hypervolume_contributions(pts, N, m, ref, c), IGMOPT_OK);
        double all = hv(pts, N, m, ref);
        for (size_t i = 0; i < N; i++) {
            memcpy(rest, pts, i * m * sizeof *pts);
            memcpy(rest + i * m, pts + (i + 1) * m, (N - 1 - i) * m * sizeof *pts);
            double want = all - hv(rest, N - 1, m, ref);
            if (!(fabs(c[i] - want) <= 1e-12))
                fail_msg("round %zu point %zu: %.17g, want %.17g", round, i, c[i], want);
        }
    }
}

static void hssp(const double *pts, size_t n, size_t m, const double *ref, size_t k,
                 size_t *picked)
{
    assert_int_equal(igm_hssp(pts, n, m, ref, k, picked), IGMOPT_OK);
}

static void hssp_spec_test_vectors(void **state)
{
    /* s11: the tie between (2,3) and (3,2) (12 each), then between (3,2)
     * and (4,1.5) (3 each), goes to the lexicographically first row. */
    const double two[] = {1, 5, 2, 3, 3, 2, 5, 1, 4, 1.5}, r2[] = {6, 6};
    size_t picked[5];
    hssp(two, 5, 2, r2, 2, picked);
    assert_int_equal(picked[0], 1);
    assert_int_equal(picked[1], 2);
    const double three[] = {1, 5, 3, 2, 3, 4, 3, 2, 1, 5, 1, 2, 4, 1.5, 3}, r3[] = {6, 6, 6};
    hssp(three, 5, 3, r3, 2, picked);
    assert_int_equal(picked[0], 2);
    assert_int_equal(picked[1], 0);
}

static void hssp_matches_optuna_on_random_fronts(void **state)
{
    struct {
        const double *pts;
        size_t n, m;
        const size_t *want;
        size_t k;
    } cases[] = {
        {hssp_front_2d, N_ROWS(hssp_front_2d, 2), 2, hssp_picks_2d,
         sizeof hssp_picks_2d / sizeof *hssp_picks_2d},
        {hssp_front_3d, N_ROWS(hssp_front_3d, 3), 3, hssp_picks_3d,
         sizeof hssp_picks_3d / sizeof *hssp_picks_3d},
        {hssp_front_4d, N_ROWS(hssp_front_4d, 4), 4, hssp_picks_4d,
         sizeof hssp_picks_4d / sizeof *hssp_picks_4d},
    };
    for (size_t c = 0; c < 3; c++) {
        double ref[4];
        size_t picked[8];
        igm_hssp_reference_point(cases[c].pts, cases[c].n, cases[c].m, ref);
        hssp(cases[c].pts, cases[c].n, cases[c].m, ref, cases[c].k, picked);
        for (size_t s = 0; s < cases[c].k; s++)
            assert_int_equal(picked[s], cases[c].want[s]);
    }
}

/* Plain greedy with every contribution recomputed: what the lazy one must
 * reproduce.  Returns how many picks gained volume (after those, every
 * candidate adds nothing and which is picked is rounding noise). */
static size_t plain_greedy(const double *pts, size_t n, size_t m, const double *ref, size_t k,
                           size_t *picked)
{
    double *chosen = malloc((k + 1) * m * sizeof *chosen);
    unsigned char used[64] = {0};
    size_t gaining = 0;
    for (size_t s = 0; s < k; s++) {
        double best = -1.0, base = hv(chosen, s, m, ref);
        for (size_t i = 0; i < n; i++) {
            if (used[i])
                continue;
            memcpy(chosen + s * m, pts + i * m, m * sizeof *pts);
            double gain = hv(chosen, s + 1, m, ref) - base;
            if (gain > best) {
                best = gain;
                picked[s] = i;
            }
        }
        if (best > 1e-12 && gaining == s)
            gaining++;
        used[picked[s]] = 1;
        memcpy(chosen + s * m, pts + picked[s] * m, m * sizeof *pts);
    }
    free(chosen);
    return gaining;
}

static void lazy_greedy_equals_plain_greedy(void **state)
{
    igm_rng r;
    igm_rng_seed(&r, 5);
    for (size_t m = 2; m <= 5; m++) {
        for (int round = 0; round < 20; round++) {
            double pts[40 * 5], ref[5];
            size_t n = 5 + igm_rng_below(&r, 36), k = 1 + igm_rng_below(&r, n - 1);
            size_t got[40], want[40];
            random_points(&r, pts, n, m, 0);
            if (round % 2) /* a front: points on the sphere */
                for (size_t i = 0; i < n; i++) {
                    double norm = 0.0;
                    for (size_t j = 0; j < m; j++)
                        norm += pts[i * m + j] * pts[i * m + j];
                    for (size_t j = 0; j < m; j++)
                        pts[i * m + j] /= sqrt(norm);
                }
            igm_hssp_reference_point(pts, n, m, ref);
            hssp(pts, n, m, ref, k, got);
            size_t gaining = plain_greedy(pts, n, m, ref, k, want);
            for (size_t s = 0; s < gaining; s++)
                if (got[s] != want[s])
                    fail_msg("m %zu round %d n %zu k %zu pick %zu: %zu, want %zu", m, round, n, k,
                             s, got[s], want[s]);
        }
    }
}

static void hssp_special_cases_follow_optuna(void **state)
{
    const double pts[] = {3, 1, 1, 3, 1, 3, 2, 2, 1, 3}, ref[] = {4, 4};
    size_t picked[5];
    /* k == n: everything, in index order. */
    hssp(pts, 5, 2, ref, 5, picked);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(picked[i], i);
    /* 3 distinct rows, k = 4: the first of each plus the earliest copy. */
    hssp(pts, 5, 2, ref, 4, picked);
    assert_int_equal(picked[0], 0);
    assert_int_equal(picked[1], 1);
    assert_int_equal(picked[2], 2);
    assert_int_equal(picked[3], 3);
    /* k = number of distinct rows: those rows, lexicographically. */
    hssp(pts, 5, 2, ref, 3, picked);
    assert_int_equal(picked[0], 1);
    assert_int_equal(picked[1], 3);
    assert_int_equal(picked[2], 0);
    /* A non-finite reference point: the first k distinct rows. */
    const double inf_ref[] = {4, INFINITY};
    hssp(pts, 5, 2, inf_ref, 2, picked);
    assert_int_equal(picked[0], 1);
    assert_int_equal(picked[1], 3);
    /* k = 0 picks nothing; k > n is an error. */
    assert_int_equal(igm_hssp(pts, 5, 2, ref, 0, picked), IGMOPT_OK);
    assert_int_equal(igm_hssp(pts, 5, 2, ref, 6, picked), IGMOPT_EINVAL);
}

static void hssp_picks_infinite_contributions_first(void **state)
{
    /* 2-D staircase: (-inf, 5) first, then the rectangles under its corner. */
    const double two[] = {1, 3, -INFINITY, 5, 2, 1}, r2[] = {6, 6};
    size_t picked[3];
    hssp(two, 3, 2, r2, 2, picked);
    assert_int_equal(picked[0], 1);
    assert_int_equal(picked[1], 2); /* (6-2)*(5-1) = 16 > (6-1)*(5-3) = 10 */
    /* 3-D: after an infinite pick the rest go lexicographically. */
    const double three[] = {2, 1, 1, 1, 2, 2, 3, -INFINITY, 3, 0, 3, 3}, r3[] = {4, 4, 4};
    hssp(three, 4, 3, r3, 3, picked);
    assert_int_equal(picked[0], 2);
    assert_int_equal(picked[1], 3);
    assert_int_equal(picked[2], 1);
    /* Outside points come last, whatever they hold. */
    const double outside[] = {5, -INFINITY, 1, 1, 3, 0}, r[] = {4, 4};
    hssp(outside, 3, 2, r, 2, picked);
    assert_int_equal(picked[0], 1);
    assert_int_equal(picked[1], 2);
}

static void tpe_reference_point_rule(void **state)
{
    const double front[] = {0, -3, 3, -5, -4, 10, -1, -2, 2};
    double ref[3];
    igm_hssp_reference_point(front, 3, 3, ref);
    assert_true(ref[0] == 1e-12);    /* max 0 */
    assert_true(ref[1] == 0.9 * -2); /* negative: 0.9 w is the larger */
    assert_true(ref[2] == 1.1 * 10);
    const double with_inf[] = {INFINITY, 1, 0, 1};
    igm_hssp_reference_point(with_inf, 2, 2, ref);
    assert_true(isinf(ref[0]) && ref[1] == 1.1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_unit_square_has_volume_one),
        cmocka_unit_test(spec_test_vectors),
        cmocka_unit_test(a_staircase_by_hand),
        cmocka_unit_test(one_objective_is_the_distance_to_the_best),
        cmocka_unit_test(infinite_and_nan_points_add_nothing),
        cmocka_unit_test(points_outside_the_box_add_nothing),
        cmocka_unit_test(a_non_finite_reference_point_is_an_error),
        cmocka_unit_test(sweeps_and_wfg_match_inclusion_exclusion),
        cmocka_unit_test(sweeps_and_wfg_match_the_grid_on_larger_sets),
        cmocka_unit_test(dtlz2_fronts_agree_across_methods_and_with_optuna),
        cmocka_unit_test(uniform_sets_match_optuna_wfg),
        cmocka_unit_test(contributions_of_a_staircase_by_hand),
        cmocka_unit_test(contributions_are_leave_one_out_differences),
        cmocka_unit_test(contributions_of_larger_sets_are_leave_one_out_differences),
        cmocka_unit_test(hssp_spec_test_vectors),
        cmocka_unit_test(hssp_matches_optuna_on_random_fronts),
        cmocka_unit_test(lazy_greedy_equals_plain_greedy),
        cmocka_unit_test(hssp_special_cases_follow_optuna),
        cmocka_unit_test(hssp_picks_infinite_contributions_first),
        cmocka_unit_test(tpe_reference_point_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
