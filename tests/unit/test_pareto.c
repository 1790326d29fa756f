/* Dominance, non-domination ranks, the first front, crowding distance and
 * best_trials: hand-made fronts with exact values, a naive peeling of
 * fronts as the oracle on random sets, and Optuna's crowding-distance
 * numbers and order (OPTUNA-ALGORITHMS.md s3.5, s9.1, s9.2). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igmopt/igmopt.h"
#include "lib/pareto.h"
#include "lib/rng.h"
#include "lib/study.h"

static const double inf = INFINITY;

static void assert_ranks(const double *pts, size_t n, size_t m, const int *want)
{
    int got[16];
    assert_true(n <= 16);
    assert_int_equal(igm_nondominated_ranks(pts, n, m, got), IGMOPT_OK);
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("point %zu: rank %d, want %d", i, got[i], want[i]);
}

static void loss_vectors_negate_maximised_objectives(void **state)
{
    const igmopt_direction dirs[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE, IGMOPT_MAXIMIZE};
    double v[] = {1, 2, -inf};
    igm_loss_vector(v, dirs, 3, v);
    assert_true(v[0] == 1 && v[1] == -2 && v[2] == inf);
    igm_loss_vector(v, NULL, 3, v);
    assert_true(v[0] == 1 && v[1] == -2 && v[2] == inf);
}

static void domination_needs_a_strict_improvement(void **state)
{
    const igmopt_direction min_max[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE};
    const double a[] = {1, 2}, b[] = {1, 3}, nan_b[] = {1, NAN};
    assert_false(igm_dominates(a, a, NULL, 2));
    assert_true(igm_dominates(a, b, NULL, 2));
    assert_false(igm_dominates(b, a, NULL, 2));
    assert_true(igm_dominates(b, a, min_max, 2));
    /* NaN is the worst value whichever the direction. */
    assert_true(igm_dominates(a, nan_b, NULL, 2));
    assert_true(igm_dominates(a, nan_b, min_max, 2));
    assert_false(igm_dominates(nan_b, a, min_max, 2));
}

static void violation_sums_the_positive_constraints(void **state)
{
    const double c[] = {-1, 2, 0.5, 0}, with_nan[] = {1, NAN};
    assert_true(igm_constraint_violation(c, 4) == 2.5);
    assert_true(igm_constraint_violation(c, 0) == 0.0);
    assert_true(igm_constraint_violation(c, 1) == 0.0);
    assert_true(isnan(igm_constraint_violation(with_nan, 2)));
}

static void constrained_domination_puts_feasible_first(void **state)
{
    const double good[] = {0, 0}, bad[] = {5, 5}, mid[] = {1, 6};
    /* Feasible beats infeasible whatever the objectives. */
    assert_true(igm_constrained_dominates(bad, 0.0, good, 0.5, NULL, 2));
    assert_false(igm_constrained_dominates(good, 0.5, bad, 0.0, NULL, 2));
    /* Two infeasible: the smaller violation wins; equal ones tie. */
    assert_true(igm_constrained_dominates(bad, 1.0, good, 2.0, NULL, 2));
    assert_false(igm_constrained_dominates(bad, 1.0, good, 1.0, NULL, 2));
    /* Two feasible: Pareto dominance. */
    assert_true(igm_constrained_dominates(good, 0.0, bad, 0.0, NULL, 2));
    assert_false(igm_constrained_dominates(mid, 0.0, bad, 0.0, NULL, 2));
    /* Unknown violations lose against known ones, compare by objectives. */
    assert_true(igm_constrained_dominates(bad, 3.0, good, NAN, NULL, 2));
    assert_true(igm_constrained_dominates(good, NAN, bad, NAN, NULL, 2));
}

static void ranks_of_infinities_are_0_1_1_2(void **state)
{
    const double two[] = {1, 1, 1, inf, inf, 1, inf, inf};
    assert_ranks(two, 4, 2, (const int[]){0, 1, 1, 2});
    const double three[] = {1, 1, 1, 1, 1, inf, inf, 1, 1, inf, inf, inf};
    assert_ranks(three, 4, 3, (const int[]){0, 1, 1, 2});
    const double neg[] = {-inf, 0, 0, -inf, -inf, -inf, 0, 0};
    assert_ranks(neg, 4, 2, (const int[]){1, 1, 0, 2});
}

static void equal_points_share_a_rank(void **state)
{
    const double two[] = {2, 2, 1, 3, 2, 2, 3, 1, 3, 3, 3, 3};
    assert_ranks(two, 6, 2, (const int[]){0, 0, 0, 0, 1, 1});
    const double three[] = {1, 1, 1, 1, 1, 1, 0, 2, 2, 2, 2, 2, 0, 2, 2};
    assert_ranks(three, 5, 3, (const int[]){0, 0, 0, 1, 0});
}

static void one_objective_ranks_are_dense(void **state)
{
    const double v[] = {3, 1, 3, 2, -inf, NAN, inf};
    assert_ranks(v, 7, 1, (const int[]){3, 1, 3, 2, 0, 4, 4});
}

static void hand_made_fronts(void **state)
{
    /* Front 0: (1,5) (2,4) (3,3); front 1: (2,5) (3,4); front 2: (3,5). */
    const double two[] = {3, 5, 2, 5, 1, 5, 3, 4, 2, 4, 3, 3};
    assert_ranks(two, 6, 2, (const int[]){2, 1, 0, 1, 0, 0});
    /* The cyclic front, (2,3,4) and (3,3,3) behind it, (4,4,4) behind (3,3,3). */
    const double three[] = {1, 2, 3, 2, 3, 1, 3, 1, 2, 2, 3, 4, 3, 3, 3, 4, 4, 4};
    assert_ranks(three, 6, 3, (const int[]){0, 0, 0, 1, 1, 2});
    /* A chain in 4-D: every point dominates the next. */
    const double chain[] = {4, 4, 4, 4, 3, 3, 3, 4, 1, 1, 1, 1, 3, 3, 3, 3};
    assert_ranks(chain, 4, 4, (const int[]){3, 2, 0, 1});
}

static int naive_dominates(const double *a, const double *b, size_t m)
{
    int strictly = 0;
    for (size_t j = 0; j < m; j++) {
        double x = isnan(a[j]) ? inf : a[j], y = isnan(b[j]) ? inf : b[j];
        if (x > y)
            return 0;
        strictly |= x < y;
    }
    return strictly;
}

/* Peels fronts off the remaining points, as the definition says. */
static void naive_ranks(const double *pts, size_t n, size_t m, int *ranks)
{
    unsigned char *on_front = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        ranks[i] = -1;
    for (int rank = 0;; rank++) {
        int any = 0;
        for (size_t i = 0; i < n; i++) {
            int dominated = ranks[i] != -1;
            for (size_t j = 0; j < n && !dominated; j++)
                dominated = ranks[j] == -1 && naive_dominates(pts + j * m, pts + i * m, m);
            on_front[i] = !dominated;
            any |= !dominated;
        }
        if (!any)
            break;
        for (size_t i = 0; i < n; i++)
            if (on_front[i])
                ranks[i] = rank;
    }
    free(on_front);
}

static double random_value(igm_rng *r, int continuous)
{
    uint64_t special = igm_rng_below(r, 40);
    if (special == 0)
        return inf;
    if (special == 1)
        return -inf;
    if (special == 2)
        return NAN;
    return continuous ? igm_rng_uniform(r) : (double)igm_rng_below(r, 5);
}

static void ranks_match_peeling_on_random_sets(void **state)
{
    igm_rng r;
    igm_rng_seed(&r, 2026);
    for (size_t m = 1; m <= 5; m++) {
        for (int round = 0; round < 40; round++) {
            size_t n = 1 + igm_rng_below(&r, 120);
            double *pts = malloc(n * m * sizeof *pts);
            int *got = malloc(n * sizeof *got), *want = malloc(n * sizeof *want);
            unsigned char *front = malloc(n);
            for (size_t i = 0; i < n * m; i++)
                pts[i] = random_value(&r, round % 2);
            naive_ranks(pts, n, m, want);
            assert_int_equal(igm_nondominated_ranks(pts, n, m, got), IGMOPT_OK);
            assert_int_equal(igm_pareto_front_mask(pts, n, m, front), IGMOPT_OK);
            for (size_t i = 0; i < n; i++) {
                if (m > 1 && got[i] != want[i])
                    fail_msg("m %zu n %zu point %zu: rank %d, want %d", m, n, i, got[i],
                             want[i]);
                assert_int_equal(front[i], want[i] == 0);
            }
            free(pts);
            free(got);
            free(want);
            free(front);
        }
    }
}

static void ranks_of_a_thousand_points_in_2d(void **state)
{
    igm_rng r;
    igm_rng_seed(&r, 99);
    enum { N = 1000 };
    static double pts[2 * N];
    static int got[N], want[N];
    for (size_t i = 0; i < N; i++) {
        pts[2 * i] = igm_rng_uniform(&r);
        pts[2 * i + 1] = 1.0 - pts[2 * i] + 0.3 * igm_rng_uniform(&r);
    }
    assert_int_equal(igm_nondominated_ranks(pts, N, 2, got), IGMOPT_OK);
    naive_ranks(pts, N, 2, want);
    assert_memory_equal(got, want, sizeof got);
}

static void constrained_ranks_put_feasible_then_infeasible_then_unknown(void **state)
{
    const double pts[] = {1, 1, 2, 2, 0, 0, 0, 0, 5, 5, 9, 9, 8, 8, 0, 9};
    const double violation[] = {0, 0, 3, 1, 1, NAN, NAN, -0.5};
    int got[8];
    assert_int_equal(igm_constrained_nondominated_ranks(pts, violation, 8, 2, got), IGMOPT_OK);
    const int want[] = {0, 1, 3, 2, 2, 5, 4, 0};
    assert_memory_equal(got, want, sizeof want);
    /* Without feasible points the infeasible ones start at rank 0. */
    assert_int_equal(igm_constrained_nondominated_ranks(pts + 4, violation + 2, 3, 2, got),
                     IGMOPT_OK);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 0);
    assert_int_equal(got[2], 0);
    /* No violations: plain ranks. */
    assert_int_equal(igm_constrained_nondominated_ranks(pts, NULL, 2, 2, got), IGMOPT_OK);
    assert_int_equal(got[0], 0);
    assert_int_equal(got[1], 1);
}

static void assert_crowding(const double *values, size_t n, size_t m, const double *want,
                            const size_t *want_order)
{
    double got[8];
    size_t order[8];
    assert_int_equal(igm_crowding_distance(values, n, m, got), IGMOPT_OK);
    assert_int_equal(igm_crowding_distance_sort(values, n, m, order), IGMOPT_OK);
    for (size_t i = 0; i < n; i++) {
        if (!(got[i] == want[i]))
            fail_msg("point %zu: distance %.17g, want %.17g", i, got[i], want[i]);
        assert_int_equal(order[i], want_order[i]);
    }
}

/* Distances and orders below are those of Optuna's _calc_crowding_distance
 * and _crowding_distance_sort ([H]) on the same values. */
static void crowding_distance_of_a_front_by_hand(void **state)
{
    /* x: 0 2 4 8 (width 8), y: 0 1 6 8 (width 8): (2,6) gets 4/8 + 7/8,
     * (4,1) 6/8 + 6/8, the extremes +inf. */
    const double front[] = {0, 8, 2, 6, 4, 1, 8, 0};
    assert_crowding(front, 4, 2, (const double[]){inf, 1.375, 1.5, inf},
                    (const size_t[]){0, 3, 2, 1});
}

static void crowding_ties_keep_the_previous_objectives_order(void **state)
{
    /* Points 0 and 1 tie at y = 5; the x sort put 1 first, so 1 sees
     * (0, 5) and 0 sees (5, 20): 5/32 and 15/32, not the other way. */
    const double pts[] = {3, 5, 1, 5, 2, 0, 0, 20, 4, 32};
    assert_crowding(pts, 5, 2, (const double[]){0.96875, 0.65625, inf, inf, inf},
                    (const size_t[]){4, 3, 2, 0, 1});
}

static void crowding_with_infinities_is_never_nan(void **state)
{
    /* Two equal infinities: the gap between them is 0, not NaN. */
    const double pts[] = {inf, 0, 1, 0, inf, 0, 2, 0};
    assert_crowding(pts, 4, 2, (const double[]){inf, inf, 0.0, inf}, (const size_t[]){0, 3, 1, 2});
    const double mixed[] = {-inf, 3, 1, 2, 2, 1, inf, 0};
    assert_crowding(mixed, 4, 2, (const double[]){inf, inf, inf, inf},
                    (const size_t[]){0, 1, 2, 3});
    const double more[] = {-inf, 5, -inf, 1, 0, 3, 0, 0, 7, -inf};
    assert_crowding(more, 5, 2, (const double[]){inf, inf, inf, inf, inf},
                    (const size_t[]){0, 2, 1, 3, 4});
}

static void crowding_and_ranks_of_tiny_sets(void **state)
{
    const double one[] = {1, 1}, two[] = {1, 2, 2, 1}, same[] = {1, 1, 1, 1, 1, 1};
    assert_crowding(one, 1, 2, (const double[]){0.0}, (const size_t[]){0});
    assert_crowding(two, 2, 2, (const double[]){inf, inf}, (const size_t[]){0, 1});
    assert_crowding(same, 3, 2, (const double[]){0, 0, 0}, (const size_t[]){2, 1, 0});
    double none[1];
    size_t no_order[1];
    assert_int_equal(igm_crowding_distance(one, 0, 2, none), IGMOPT_OK);
    assert_int_equal(igm_crowding_distance_sort(one, 0, 2, no_order), IGMOPT_OK);
    int no_rank[1];
    unsigned char no_front[1];
    assert_int_equal(igm_nondominated_ranks(one, 0, 2, no_rank), IGMOPT_OK);
    assert_int_equal(igm_constrained_nondominated_ranks(one, one, 0, 2, no_rank), IGMOPT_OK);
    assert_int_equal(igm_pareto_front_mask(one, 0, 2, no_front), IGMOPT_OK);
}

static igm_frozen_trial make_trial(int64_t number, igmopt_trial_state state, double *values)
{
    return (igm_frozen_trial){.number = number, .state = state, .values = values,
                              .n_values = values ? 2 : 0};
}

static void best_trials_keep_duplicates_in_trial_order(void **state)
{
    igmopt_direction dirs[] = {IGMOPT_MINIMIZE, IGMOPT_MAXIMIZE};
    igmopt_study study = {.directions = dirs, .n_objectives = 2};
    double v[][2] = {{1, 1}, {0, 5}, {1, 1}, {2, 5}, {0, 6}, {-1, 0}};
    igm_frozen_trial t[] = {
        make_trial(0, IGMOPT_COMPLETE, v[0]), make_trial(1, IGMOPT_COMPLETE, v[1]),
        make_trial(2, IGMOPT_COMPLETE, v[2]), make_trial(3, IGMOPT_COMPLETE, v[3]),
        make_trial(4, IGMOPT_RUNNING, v[4]),  make_trial(5, IGMOPT_COMPLETE, v[5]),
    };
    igm_frozen_trial *trials[] = {&t[0], &t[1], &t[2], &t[3], &t[4], &t[5]};
    const igm_frozen_trial **best = NULL;
    size_t n_best = 0;
    assert_int_equal(igm_best_trials(&study, trials, 6, &best, &n_best), IGMOPT_OK);
    /* (1,1) twice is dominated by (0,5) (smaller x, larger y); the RUNNING
     * (0,6) does not count; (-1,0) has the smallest x. */
    assert_int_equal(n_best, 2);
    assert_ptr_equal(best[0], &t[1]);
    assert_ptr_equal(best[1], &t[5]);
    free(best);
    double w[][2] = {{0, 5}, {1, 6}, {0, 5}};
    igm_frozen_trial u[] = {make_trial(0, IGMOPT_COMPLETE, w[0]),
                            make_trial(1, IGMOPT_COMPLETE, w[1]),
                            make_trial(2, IGMOPT_COMPLETE, w[2])};
    igm_frozen_trial *dup[] = {&u[0], &u[1], &u[2]};
    assert_int_equal(igm_best_trials(&study, dup, 3, &best, &n_best), IGMOPT_OK);
    assert_int_equal(n_best, 3);
    free(best);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loss_vectors_negate_maximised_objectives),
        cmocka_unit_test(domination_needs_a_strict_improvement),
        cmocka_unit_test(violation_sums_the_positive_constraints),
        cmocka_unit_test(constrained_domination_puts_feasible_first),
        cmocka_unit_test(ranks_of_infinities_are_0_1_1_2),
        cmocka_unit_test(equal_points_share_a_rank),
        cmocka_unit_test(one_objective_ranks_are_dense),
        cmocka_unit_test(hand_made_fronts),
        cmocka_unit_test(ranks_match_peeling_on_random_sets),
        cmocka_unit_test(ranks_of_a_thousand_points_in_2d),
        cmocka_unit_test(constrained_ranks_put_feasible_then_infeasible_then_unknown),
        cmocka_unit_test(crowding_distance_of_a_front_by_hand),
        cmocka_unit_test(crowding_ties_keep_the_previous_objectives_order),
        cmocka_unit_test(crowding_with_infinities_is_never_nan),
        cmocka_unit_test(crowding_and_ranks_of_tiny_sets),
        cmocka_unit_test(best_trials_keep_duplicates_in_trial_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
