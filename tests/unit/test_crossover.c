/* The crossover and mutation operators of the genetic samplers
 * (OPTUNA-ALGORITHMS.md s3.4): the "crossover" kwarg (names, object form,
 * defaults, errors), single draws replayed from the same generator state
 * against the paper's formulas, child statistics over many draws with
 * tolerances from their standard errors, determinism, degenerate parents. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "igmopt/igmopt.h"
#include "lib/rng.h"
#include "samplers/ga/crossover.h"

#define OWNER "NSGAIISampler"
#define DRAWS 20000
#define MAX_D 4

static igm_crossover *make(const char *spec_json, double swapping_prob, size_t n_objectives)
{
    json_t *spec = spec_json ? json_loads(spec_json, JSON_DECODE_ANY, NULL) : NULL;
    igm_crossover *x = NULL;
    assert_true(!spec_json || spec);
    assert_int_equal(igm_crossover_from_json(spec, swapping_prob, n_objectives, OWNER, &x),
                     IGMOPT_OK);
    json_decref(spec);
    return x;
}

static void child_of(const igm_crossover *x, igm_rng *rng, const double *parents, size_t d,
                     const double *lo, const double *hi, double *child)
{
    assert_int_equal(igm_crossover_child(x, rng, parents, d, lo, hi, child), IGMOPT_OK);
}

static void assert_near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: %.6g, want %.6g +- %.3g", what, got, want, tol);
}

/* Mean and (population) variance of each coordinate of DRAWS children. */
typedef struct moments {
    double mean[MAX_D], var[MAX_D], min[MAX_D], max[MAX_D];
} moments;

static moments child_moments(const char *spec, size_t n_objectives, const double *parents,
                             size_t d, const double *lo, const double *hi, uint64_t seed)
{
    igm_crossover *x = make(spec, 0.5, n_objectives);
    igm_rng rng;
    moments m = {0};
    double sum[MAX_D] = {0}, sum2[MAX_D] = {0}, child[MAX_D];
    igm_rng_seed(&rng, seed);
    for (size_t i = 0; i < d; i++)
        m.min[i] = INFINITY, m.max[i] = -INFINITY;
    for (int n = 0; n < DRAWS; n++) {
        child_of(x, &rng, parents, d, lo, hi, child);
        for (size_t i = 0; i < d; i++) {
            sum[i] += child[i];
            sum2[i] += child[i] * child[i];
            m.min[i] = fmin(m.min[i], child[i]);
            m.max[i] = fmax(m.max[i], child[i]);
        }
    }
    for (size_t i = 0; i < d; i++) {
        m.mean[i] = sum[i] / DRAWS;
        m.var[i] = sum2[i] / DRAWS - m.mean[i] * m.mean[i];
    }
    igm_crossover_free(x);
    return m;
}

/* ---- parsing ---------------------------------------------------------- */

static void names_and_class_names_build_each_operator(void **state)
{
    static const struct {
        const char *short_name, *class_name;
        size_t n_parents;
    } ops[] = {{"uniform", "UniformCrossover", 2}, {"blxalpha", "BLXAlphaCrossover", 2},
               {"sbx", "SBXCrossover", 2},         {"spx", "SPXCrossover", 3},
               {"undx", "UNDXCrossover", 3},       {"vsbx", "VSBXCrossover", 2}};
    char spec[96];
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const char *forms[] = {ops[i].short_name, ops[i].class_name};
        for (int f = 0; f < 2; f++) {
            snprintf(spec, sizeof spec, "\"%s\"", forms[f]);
            igm_crossover *x = make(spec, 0.5, 1);
            assert_string_equal(igm_crossover_name(x), ops[i].class_name);
            assert_int_equal(igm_crossover_n_parents(x), ops[i].n_parents);
            igm_crossover_free(x);
            snprintf(spec, sizeof spec, "{\"method\": \"%s\"}", forms[f]);
            x = make(spec, 0.5, 1);
            assert_string_equal(igm_crossover_name(x), ops[i].class_name);
            igm_crossover_free(x);
        }
    }
}

static void null_is_uniform_with_the_samplers_swapping_prob(void **state)
{
    const double parents[] = {1, 2, 3, 10, 20, 30}, lo[3] = {0}, hi[3] = {0};
    double child[3];
    igm_rng rng;
    igm_rng_seed(&rng, 1);
    igm_crossover *absent = make(NULL, 0.0, 1), *null = make("null", 1.0, 1);
    assert_string_equal(igm_crossover_name(absent), "UniformCrossover");
    assert_int_equal(igm_crossover_n_parents(null), 2);
    /* u >= swapping_prob takes parent 2: always at 0, never at 1. */
    for (int n = 0; n < 100; n++) {
        child_of(absent, &rng, parents, 3, lo, hi, child);
        assert_true(child[0] == 10 && child[1] == 20 && child[2] == 30);
        child_of(null, &rng, parents, 3, lo, hi, child);
        assert_true(child[0] == 1 && child[1] == 2 && child[2] == 3);
    }
    igm_crossover_free(absent);
    igm_crossover_free(null);
    igm_crossover_free(NULL);
}

/* Two operators give bitwise the same children from the same seed. */
static void assert_same_children(const char *a_spec, const char *b_spec, double swapping_prob,
                                 size_t n_objectives, size_t d)
{
    const double parents[] = {0.1, 0.9, 0.4, 0.6, 0.2, 0.7, 0.3, 0.5, 0.8, 0.35, 0.45, 0.55};
    const double lo[MAX_D] = {0, 0, 0, 0}, hi[MAX_D] = {1, 1, 1, 1};
    igm_crossover *a = make(a_spec, swapping_prob, n_objectives);
    igm_crossover *b = make(b_spec, swapping_prob, n_objectives);
    igm_rng ra, rb;
    double ca[MAX_D], cb[MAX_D];
    igm_rng_seed(&ra, 7);
    igm_rng_seed(&rb, 7);
    for (int n = 0; n < 200; n++) {
        child_of(a, &ra, parents, d, lo, hi, ca);
        child_of(b, &rb, parents, d, lo, hi, cb);
        if (memcmp(ca, cb, d * sizeof *ca) != 0)
            fail_msg("%s and %s differ at draw %d", a_spec, b_spec, n);
    }
    igm_crossover_free(a);
    igm_crossover_free(b);
}

static void defaults_are_optunas(void **state)
{
    /* A named UniformCrossover keeps 0.5, whatever the sampler's swapping_prob. */
    assert_same_children("\"uniform\"", "{\"method\": \"uniform\", \"swapping_prob\": 0.5}", 0.1,
                         1, 3);
    assert_same_children("null", "{\"method\": \"uniform\", \"swapping_prob\": 0.1}", 0.1, 1, 3);
    assert_same_children("\"blxalpha\"", "{\"method\": \"blxalpha\", \"alpha\": 0.5}", 0.5, 1, 3);
    /* eta: 2 for one objective, 20 for more; null is the default. */
    assert_same_children("\"sbx\"", "{\"method\": \"sbx\", \"eta\": 2, \"uniform_crossover_prob"
                         "\": 0.5, \"use_child_gene_prob\": 0.5}", 0.5, 1, 3);
    assert_same_children("\"SBXCrossover\"", "{\"method\": \"sbx\", \"eta\": 20}", 0.5, 2, 3);
    assert_same_children("{\"method\": \"vsbx\", \"eta\": null}", "{\"method\": \"vsbx\", "
                         "\"eta\": 20}", 0.5, 3, 3);
    assert_same_children("\"vsbx\"", "{\"method\": \"VSBXCrossover\", \"eta\": 2}", 0.5, 1, 3);
    /* epsilon sqrt(d + 2), sigma_eta 0.35 / sqrt(d) with d = 2. */
    assert_same_children("\"spx\"", "{\"method\": \"spx\", \"epsilon\": 2}", 0.5, 1, 2);
    assert_same_children("\"undx\"", "{\"method\": \"undx\", \"sigma_xi\": 0.5, \"sigma_eta\": "
                         "0.2474873734152916}", 0.5, 1, 2);
}

static void refuse(const char *spec_json, double swapping_prob, const char *named)
{
    json_t *spec = spec_json ? json_loads(spec_json, JSON_DECODE_ANY, NULL) : NULL;
    static char sentinel;
    igm_crossover *x = (igm_crossover *)&sentinel; /* must come back NULL */
    assert_true(!spec_json || spec);
    assert_int_equal(igm_crossover_from_json(spec, swapping_prob, 1, OWNER, &x), IGMOPT_EINVAL);
    assert_null(x);
    json_decref(spec);
    if (!strstr(igmopt_errmsg(), named) || !strstr(igmopt_errmsg(), OWNER))
        fail_msg("%s: message '%s' does not name '%s' and " OWNER, spec_json, igmopt_errmsg(),
                 named);
}

static void bad_names_kwargs_and_ranges_are_refused(void **state)
{
    refuse("\"blx\"", 0.5, "'blx'");
    refuse("\"sbxcrossover\"", 0.5, "'sbxcrossover'");
    refuse("{\"method\": \"Foo\"}", 0.5, "'Foo'");
    refuse("{\"eta\": 2}", 0.5, "crossover");
    refuse("{\"method\": 3}", 0.5, "crossover");
    refuse("5", 0.5, "crossover");
    refuse("[\"sbx\"]", 0.5, "crossover");
    refuse("{\"method\": \"sbx\", \"alpha\": 1}", 0.5, "'alpha'");
    refuse("{\"method\": \"uniform\", \"eta\": 1}", 0.5, "'eta'");
    refuse("{\"method\": \"spx\", \"sigma_xi\": 1}", 0.5, "'sigma_xi'");
    refuse(NULL, 1.5, "'swapping_prob'");
    refuse("null", -0.1, "'swapping_prob'");
    refuse(NULL, NAN, "'swapping_prob'");
    refuse("{\"method\": \"uniform\", \"swapping_prob\": 1.01}", 0.5, "'swapping_prob'");
    refuse("{\"method\": \"uniform\", \"swapping_prob\": null}", 0.5, "'swapping_prob'");
    refuse("{\"method\": \"blxalpha\", \"alpha\": -0.1}", 0.5, "'alpha'");
    refuse("{\"method\": \"blxalpha\", \"alpha\": \"big\"}", 0.5, "'alpha'");
    refuse("{\"method\": \"sbx\", \"eta\": -1}", 0.5, "'eta'");
    refuse("{\"method\": \"vsbx\", \"eta\": true}", 0.5, "'eta'");
    refuse("{\"method\": \"sbx\", \"uniform_crossover_prob\": -0.5}", 0.5,
           "'uniform_crossover_prob'");
    refuse("{\"method\": \"vsbx\", \"use_child_gene_prob\": 0}", 0.5, "'use_child_gene_prob'");
    refuse("{\"method\": \"sbx\", \"use_child_gene_prob\": 1.5}", 0.5, "'use_child_gene_prob'");
    refuse("{\"method\": \"spx\", \"epsilon\": 0}", 0.5, "'epsilon'");
    refuse("{\"method\": \"undx\", \"sigma_xi\": -1}", 0.5, "'sigma_xi'");
    refuse("{\"method\": \"undx\", \"sigma_eta\": -0.1}", 0.5, "'sigma_eta'");
}

static void range_edges_are_accepted(void **state)
{
    const char *ok[] = {
        "{\"method\": \"uniform\", \"swapping_prob\": 0}",
        "{\"method\": \"uniform\", \"swapping_prob\": 1}",
        "{\"method\": \"blxalpha\", \"alpha\": 0}",
        "{\"method\": \"sbx\", \"eta\": 0, \"uniform_crossover_prob\": 1, "
        "\"use_child_gene_prob\": 1}",
        "{\"method\": \"vsbx\", \"uniform_crossover_prob\": 0}",
        "{\"method\": \"spx\", \"epsilon\": null}",
        "{\"method\": \"undx\", \"sigma_xi\": 0, \"sigma_eta\": null}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        igm_crossover_free(make(ok[i], 0.5, 1));
}

/* ---- single draws replayed ------------------------------------------- */

/* Deb's bounded spread factor, written out from the paper's eq. 3. */
static double bounded_beta_q(double u, double beta, double eta)
{
    double alpha = 2 - 1 / pow(beta, eta + 1);
    if (u <= 1 / alpha)
        return pow(u * alpha, 1 / (eta + 1));
    return pow(1 / (2 - u * alpha), 1 / (eta + 1));
}

static void sbx_draw_follows_debs_bounded_formula(void **state)
{
    /* use_child_gene_prob 1 and uniform_crossover_prob 0: the returned gene
     * is c1 or c2, chosen by the first uniform; the second is u. */
    igm_crossover *x = make("{\"method\": \"sbx\", \"eta\": 2, \"uniform_crossover_prob\": 0, "
                            "\"use_child_gene_prob\": 1}", 0.5, 1);
    const double parents[] = {2, 1}, lo[] = {0}, hi[] = {4};
    int branches[2][2] = {{0}};
    for (uint64_t seed = 0; seed < 400; seed++) {
        igm_rng rng, replay;
        double child;
        igm_rng_seed(&rng, seed);
        replay = rng;
        child_of(x, &rng, parents, 1, lo, hi, &child);
        int second = igm_rng_uniform(&replay) >= 0.5;
        double u = igm_rng_uniform(&replay);
        /* x_min 1, x_max 2, spread 1: beta1 = 1 + 2 (1 - 0) = 3, beta2 = 1 + 2 (4 - 2) = 5. */
        double want = second ? 0.5 * (3 + bounded_beta_q(u, 5, 2))
                             : 0.5 * (3 - bounded_beta_q(u, 3, 2));
        assert_near(child, want, 1e-15, "SBX child");
        branches[second][u > 1 / (2 - 1.0 / 27)]++;
    }
    /* Both children and both branches of eq. 3 were exercised. */
    assert_true(branches[0][0] && branches[0][1] && branches[1][0] && branches[1][1]);
    igm_crossover_free(x);
}

static void sbx_draw_at_u_one_quarter_by_hand(void **state)
{
    /* The formula the draws above are checked against, pinned by hand at
     * u = 1/4, beta 3, eta 2: alpha = 2 - 1/27 = 53/27, u alpha = 53/108 <=
     * 27/53, beta_q = (53/108)^(1/3) = 0.788771, c1 = (3 - beta_q)/2; and
     * at u = 0.9 (> 27/53): beta_q = (1/(2 - 0.9 * 53/27))^(1/3). */
    assert_near(bounded_beta_q(0.25, 3, 2), 0.78877058, 1e-8, "beta_q");
    assert_near(0.5 * (3 - bounded_beta_q(0.25, 3, 2)), 1.10561471, 1e-8, "c1");
    assert_near(bounded_beta_q(0.9, 3, 2), 1.62433052, 1e-8, "beta_q, upper branch");
}

static void vsbx_draw_follows_ballester_carter(void **state)
{
    igm_crossover *x = make("{\"method\": \"vsbx\", \"eta\": 3, \"uniform_crossover_prob\": 0, "
                            "\"use_child_gene_prob\": 1}", 0.5, 1);
    const double parents[] = {1, 3}, lo[] = {0}, hi[] = {4};
    for (uint64_t seed = 0; seed < 200; seed++) {
        igm_rng rng, replay;
        double child;
        igm_rng_seed(&rng, seed);
        replay = rng;
        child_of(x, &rng, parents, 1, lo, hi, &child);
        double u1 = igm_rng_uniform(&replay), u2 = igm_rng_uniform(&replay);
        int second = igm_rng_uniform(&replay) >= 0.5;
        double u = igm_rng_uniform(&replay);
        double b1 = pow(1 / fmax(2 * u, 1e-10), 0.25), b2 = pow(1 / fmax(2 - 2 * u, 1e-10), 0.25);
        double c1 = u1 <= 0.5 ? 0.5 * ((1 + b1) * 1 + (1 - b2) * 3)
                              : 0.5 * ((1 - b1) * 1 + (1 + b2) * 3);
        double c2 = u2 <= 0.5 ? 0.5 * ((3 - b1) * 1 - (1 - b2) * 3)
                              : 0.5 * (-(1 - b1) * 1 + (3 - b2) * 3);
        assert_near(child, second ? c2 : c1, 1e-13, "VSBX child");
    }
    igm_crossover_free(x);
}

static void spx_draw_follows_tsutsuis_recurrence(void **state)
{
    igm_crossover *x = make("{\"method\": \"spx\", \"epsilon\": 1.5}", 0.5, 1);
    const double parents[] = {0, 0, 1, 0, 0, 1}, lo[2] = {0}, hi[2] = {1};
    igm_rng rng, replay;
    double child[2];
    igm_rng_seed(&rng, 3);
    replay = rng;
    child_of(x, &rng, parents, 2, lo, hi, child);
    double r0 = igm_rng_uniform(&replay), r1 = sqrt(igm_rng_uniform(&replay));
    for (int i = 0; i < 2; i++) {
        double g = (parents[i] + parents[2 + i] + parents[4 + i]) / 3, y[3];
        for (int k = 0; k < 3; k++)
            y[k] = g + 1.5 * (parents[2 * k + i] - g);
        assert_near(child[i], y[2] + r1 * (y[1] - y[2] + r0 * (y[0] - y[1])), 1e-15,
                    "SPX child");
    }
    igm_crossover_free(x);
}

static void undx_in_one_dimension_is_midpoint_plus_xi_d(void **state)
{
    igm_crossover *x = make("{\"method\": \"undx\", \"sigma_xi\": 0.8}", 0.5, 1);
    const double parents[] = {1, 4, -7}, lo[] = {0}, hi[] = {0};
    for (uint64_t seed = 0; seed < 50; seed++) {
        igm_rng rng, replay;
        double child;
        igm_rng_seed(&rng, seed);
        replay = rng;
        child_of(x, &rng, parents, 1, lo, hi, &child);
        /* Optuna's quirk: xi ~ N(0, scale = sigma_xi^2). */
        double xi = 0.8 * 0.8 * igm_rng_standard_normal(&replay);
        assert_near(child, 2.5 + xi * (1 - 4), 1e-14, "UNDX child, d = 1");
    }
    igm_crossover_free(x);
}

static void polynomial_mutation_follows_debs_formula(void **state)
{
    for (uint64_t seed = 0; seed < 200; seed++) {
        igm_rng rng, replay;
        igm_rng_seed(&rng, seed);
        replay = rng;
        double got = igm_polynomial_mutation(&rng, 0.3, -1, 2, 5);
        double u = igm_rng_uniform(&replay), d1 = 1.3 / 3, d2 = 1.7 / 3, dq;
        if (u <= 0.5)
            dq = pow(2 * u + (1 - 2 * u) * pow(1 - d1, 6), 1.0 / 6) - 1;
        else
            dq = 1 - pow(2 * (1 - u) + 2 * (u - 0.5) * pow(1 - d2, 6), 1.0 / 6);
        assert_near(got, 0.3 + 3 * dq, 1e-14, "mutated value");
    }
}

/* ---- statistics -------------------------------------------------------- */

static void uniform_takes_parent_2_with_probability_1_minus_swapping_prob(void **state)
{
    const double p = 0.3, parents[] = {0, 0, 0, 0, 1, 1, 1, 1}, lo[4] = {0}, hi[4] = {0};
    igm_crossover *x = make("{\"method\": \"uniform\", \"swapping_prob\": 0.3}", 0.5, 1);
    igm_rng rng;
    double child[4], from_2 = 0;
    igm_rng_seed(&rng, 11);
    for (int n = 0; n < DRAWS; n++) {
        child_of(x, &rng, parents, 4, lo, hi, child);
        for (int i = 0; i < 4; i++)
            from_2 += child[i];
    }
    double genes = 4.0 * DRAWS;
    assert_near(from_2 / genes, 1 - p, 5 * sqrt(p * (1 - p) / genes), "share of parent 2");
    igm_crossover_free(x);
}

static void blxalpha_is_uniform_on_the_widened_interval(void **state)
{
    /* Gene 0: parents 1 and 3, d = 2, alpha 0.5: U[0, 4]; gene 1: parents 5
     * and 4, d = 1: U[3.5, 5.5].  Variance ((1 + 2 alpha) d)^2 / 12; the
     * sample variance of a uniform has standard error var sqrt(0.8 / n). */
    const double parents[] = {1, 5, 3, 4};
    const double want_mean[] = {2, 4.5}, want_var[] = {16.0 / 12, 4.0 / 12};
    const double want_min[] = {0, 3.5}, want_max[] = {4, 5.5};
    moments m = child_moments("\"blxalpha\"", 1, parents, 2, NULL, NULL, 5);
    for (int i = 0; i < 2; i++) {
        assert_near(m.mean[i], want_mean[i], 5 * sqrt(want_var[i] / DRAWS), "BLX mean");
        assert_near(m.var[i], want_var[i], 5 * want_var[i] * sqrt(0.8 / DRAWS), "BLX variance");
        assert_true(m.min[i] >= want_min[i] && m.max[i] < want_max[i]);
        assert_near(m.min[i], want_min[i], 0.01, "BLX lowest child");
        assert_near(m.max[i], want_max[i], 0.01, "BLX highest child");
    }
}

/* Mean |child - nearest parent| over DRAWS children of parents 1 and 2. */
static double mean_move(const char *spec, uint64_t seed, double *below_mid, double *mean)
{
    igm_crossover *x = make(spec, 0.5, 1);
    const double parents[] = {1, 2}, lo[] = {-100}, hi[] = {100};
    igm_rng rng;
    double child, move = 0, below = 0, sum = 0;
    igm_rng_seed(&rng, seed);
    for (int n = 0; n < DRAWS; n++) {
        child_of(x, &rng, parents, 1, lo, hi, &child);
        move += fmin(fabs(child - 1), fabs(child - 2));
        below += child < 1.5;
        sum += child;
    }
    igm_crossover_free(x);
    if (below_mid)
        *below_mid = below / DRAWS, *mean = sum / DRAWS;
    return move / DRAWS;
}

static void sbx_children_are_symmetric_and_closer_for_larger_eta(void **state)
{
    /* Far bounds leave Deb's unbounded density: E|1 - beta_q| = 3/8 for
     * eta 2 and 21/440 for eta 20 (integrals of the density of beta_q),
     * a child sits (x2 - x1)/2 |1 - beta_q| from its nearest parent. */
    double below, mean;
    const char *c = "\"uniform_crossover_prob\": 0.5, \"use_child_gene_prob\": 1}";
    char eta2[128], eta20[128];
    snprintf(eta2, sizeof eta2, "{\"method\": \"sbx\", \"eta\": 2, %s", c);
    snprintf(eta20, sizeof eta20, "{\"method\": \"sbx\", \"eta\": 20, %s", c);
    double move2 = mean_move(eta2, 1, &below, &mean);
    assert_near(below, 0.5, 5 * sqrt(0.25 / DRAWS), "share below the midpoint");
    /* E beta_q^2 = 1.8 for eta 2: child sd 0.67. */
    assert_near(mean, 1.5, 5 * 0.5 * sqrt(1.8 / DRAWS), "mean child");
    assert_near(move2, 0.5 * 3.0 / 8, 5 * 0.5 * sqrt(0.5 / DRAWS), "move, eta 2");
    assert_near(mean_move(eta20, 1, NULL, NULL), 0.5 * 21.0 / 440, 0.002, "move, eta 20");
}

static void bounded_sbx_children_stay_within_the_bounds(void **state)
{
    /* Deb's bounded spread: c1 >= lo and c2 <= hi even for parents near them. */
    const double parents[] = {0.02, 0.5, 0.97, 0.5}, lo[] = {0, 0.5}, hi[] = {1, 0.5};
    const char *specs[] = {"{\"method\": \"sbx\", \"eta\": 0, \"use_child_gene_prob\": 1}",
                           "{\"method\": \"sbx\", \"eta\": 2}"};
    for (int s = 0; s < 2; s++) {
        moments m = child_moments(specs[s], 1, parents, 2, lo, hi, 9);
        assert_true(m.min[0] >= 0 && m.max[0] <= 1);
        assert_true(m.min[0] < 0.02 && m.max[0] > 0.97); /* it does reach beyond the parents */
        assert_true(m.min[1] >= 0.5 - 1e-9 && m.max[1] <= 0.5 + 1e-9);
    }
}

static void vsbx_children_are_closer_for_larger_eta(void **state)
{
    const char *eta2 = "{\"method\": \"vsbx\", \"eta\": 2, \"use_child_gene_prob\": 1}";
    const char *eta20 = "{\"method\": \"vsbx\", \"eta\": 20, \"use_child_gene_prob\": 1}";
    double move2 = mean_move(eta2, 2, NULL, NULL), move20 = mean_move(eta20, 2, NULL, NULL);
    if (!(move20 < 0.3 * move2))
        fail_msg("VSBX moves %g (eta 20) vs %g (eta 2)", move20, move2);
}

static void spx_children_fill_the_expanded_simplex_around_the_centroid(void **state)
{
    /* Parents (0,0), (1,0), (0,1), centroid (1/3, 1/3); with epsilon 2 the
     * simplex has corners G + 2 (p - G): (-1/3,-1/3), (5/3,-1/3), (-1/3,5/3). */
    const double parents[] = {0, 0, 1, 0, 0, 1}, lo[2] = {0}, hi[2] = {0};
    igm_crossover *x = make("\"spx\"", 0.5, 1); /* epsilon sqrt(2 + 2) = 2 */
    igm_rng rng;
    double child[2], sum[2] = {0}, sum2 = 0;
    igm_rng_seed(&rng, 13);
    for (int n = 0; n < DRAWS; n++) {
        child_of(x, &rng, parents, 2, lo, hi, child);
        assert_true(child[0] >= -1.0 / 3 - 1e-12 && child[1] >= -1.0 / 3 - 1e-12);
        assert_true(child[0] + child[1] <= 4.0 / 3 + 1e-12);
        sum[0] += child[0], sum[1] += child[1];
        sum2 += child[0] * child[0];
    }
    /* Uniform on a triangle with legs 2: variance of a coordinate 2^2 / 18. */
    double var = 4.0 / 18, se = sqrt(var / DRAWS);
    assert_near(sum[0] / DRAWS, 1.0 / 3, 5 * se, "SPX mean x");
    assert_near(sum[1] / DRAWS, 1.0 / 3, 5 * se, "SPX mean y");
    assert_near(sum2 / DRAWS - 1.0 / 9, var, 0.01, "SPX variance x");
    igm_crossover_free(x);
}

static void undx_spreads_sigma_xi_squared_along_and_sigma_eta_squared_across(void **state)
{
    /* p1 (0,0,0), p2 (2,0,0), p3 (1,1,0): m (1,0,0), d (-2,0,0), D = 1.
     * Optuna's scale = sigma^2: var along x = sigma_xi^4 |d|^2 = 0.25,
     * across = sigma_eta^4 D^2 with sigma_eta = 0.35 / sqrt(3). */
    const double parents[] = {0, 0, 0, 2, 0, 0, 1, 1, 0}, lo[3] = {0}, hi[3] = {0};
    const double s2 = 0.35 * 0.35 / 3, across = s2 * s2;
    moments m = child_moments("\"undx\"", 1, parents, 3, lo, hi, 17);
    const double want_mean[] = {1, 0, 0}, want_var[] = {0.25, across, across};
    for (int i = 0; i < 3; i++) {
        assert_near(m.mean[i], want_mean[i], 5 * sqrt(want_var[i] / DRAWS), "UNDX mean");
        assert_near(m.var[i], want_var[i], 5 * want_var[i] * sqrt(2.0 / DRAWS), "UNDX variance");
    }
}

static void undx_off_axis_line_keeps_the_two_spreads_apart(void **state)
{
    /* p1 (0,0), p2 (1,1), p3 (1,0): along (1,1)/sqrt2 var sigma_xi^4 |d|^2 =
     * 0.125; across, D^2 = 1/2 and sigma_eta = 0.35 / sqrt(2). */
    const double parents[] = {0, 0, 1, 1, 1, 0}, lo[2] = {0}, hi[2] = {0};
    const double s2 = 0.35 * 0.35 / 2, want_along = 0.125, want_across = s2 * s2 * 0.5;
    igm_crossover *x = make("\"undx\"", 0.5, 1);
    igm_rng rng;
    double child[2], along = 0, across = 0, along2 = 0, across2 = 0;
    igm_rng_seed(&rng, 19);
    for (int n = 0; n < DRAWS; n++) {
        child_of(x, &rng, parents, 2, lo, hi, child);
        double a = (child[0] + child[1] - 1) / sqrt(2), c = (child[0] - child[1]) / sqrt(2);
        along += a, across += c, along2 += a * a, across2 += c * c;
    }
    assert_near(along / DRAWS, 0, 5 * sqrt(want_along / DRAWS), "mean along");
    assert_near(across / DRAWS, 0, 5 * sqrt(want_across / DRAWS), "mean across");
    assert_near(along2 / DRAWS, want_along, 5 * want_along * sqrt(2.0 / DRAWS), "var along");
    assert_near(across2 / DRAWS, want_across, 5 * want_across * sqrt(2.0 / DRAWS),
                "var across");
    igm_crossover_free(x);
}

static void undx_with_equal_first_parents_moves_off_the_first_axis_only(void **state)
{
    /* p1 == p2: Optuna's QR runs on the identity, so the sub-search spans
     * axes 2..d; D = |p3 - p1| = 1. */
    const double parents[] = {1, 1, 1, 1, 1, 1, 2, 1, 1}, lo[3] = {0}, hi[3] = {0};
    const double s2 = 0.35 * 0.35 / 3;
    moments m = child_moments("\"undx\"", 1, parents, 3, lo, hi, 23);
    assert_true(m.min[0] == 1 && m.max[0] == 1);
    for (int i = 1; i < 3; i++) {
        assert_near(m.mean[i], 1, 5 * s2 / sqrt(DRAWS), "mean");
        assert_near(m.var[i], s2 * s2, 5 * s2 * s2 * sqrt(2.0 / DRAWS), "variance");
    }
}

static void polynomial_mutation_stays_in_bounds_and_moves_less_for_larger_eta(void **state)
{
    const double starts[] = {-1, 0.5, 2};
    double move[2] = {0};
    const double etas[] = {2, 20};
    igm_rng rng;
    igm_rng_seed(&rng, 29);
    for (int e = 0; e < 2; e++)
        for (int s = 0; s < 3; s++)
            for (int n = 0; n < DRAWS; n++) {
                double y = igm_polynomial_mutation(&rng, starts[s], -1, 2, etas[e]);
                assert_true(y >= -1 && y <= 2);
                if (s == 1)
                    move[e] += fabs(y - 0.5) / DRAWS;
            }
    /* From the middle of a width-3 range at eta 20 the bound term is
     * 0.5^21: E|delta_q| = 1 - 21/22, times the width. */
    assert_near(move[1], 3.0 / 22, 0.005, "move, eta 20");
    if (!(move[0] > 2 * move[1]))
        fail_msg("moves %g (eta 2) vs %g (eta 20)", move[0], move[1]);
    assert_true(igm_polynomial_mutation(&rng, 0.25, 0.25, 0.25, 20) == 0.25);
}

static void standard_normal_has_mean_0_and_variance_1(void **state)
{
    igm_rng rng;
    double sum = 0, sum2 = 0, tail = 0;
    igm_rng_seed(&rng, 31);
    for (int n = 0; n < 4 * DRAWS; n++) {
        double z = igm_rng_standard_normal(&rng);
        assert_true(isfinite(z));
        sum += z, sum2 += z * z, tail += z > 1.96;
    }
    double n = 4.0 * DRAWS;
    assert_near(sum / n, 0, 5 / sqrt(n), "mean");
    assert_near(sum2 / n, 1, 5 * sqrt(2 / n), "variance");
    assert_near(tail / n, 0.025, 5 * sqrt(0.025 * 0.975 / n), "P(z > 1.96)");
}

/* ---- determinism, degenerate parents ---------------------------------- */

static const char *const every_operator[] = {"\"uniform\"", "\"blxalpha\"", "\"sbx\"",
                                              "\"vsbx\"", "\"spx\"", "\"undx\""};

static void the_same_seed_gives_the_same_children(void **state)
{
    const double parents[] = {0.1, 0.9, 0.4, 0.6, 0.2, 0.7, 0.3, 0.5, 0.8};
    const double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1};
    for (size_t k = 0; k < 6; k++) {
        igm_crossover *x = make(every_operator[k], 0.5, 1);
        igm_rng a, b, c;
        double ca[3], cb[3], cc[3];
        int differ = 0;
        igm_rng_seed(&a, 42), igm_rng_seed(&b, 42), igm_rng_seed(&c, 43);
        for (int n = 0; n < 20; n++) {
            child_of(x, &a, parents, 3, lo, hi, ca);
            child_of(x, &b, parents, 3, lo, hi, cb);
            child_of(x, &c, parents, 3, lo, hi, cc);
            assert_memory_equal(ca, cb, sizeof ca);
            differ |= memcmp(ca, cc, sizeof ca) != 0;
        }
        if (!differ)
            fail_msg("%s: seeds 42 and 43 give the same children", every_operator[k]);
        igm_crossover_free(x);
    }
}

static void assert_finite_children(const double *parents, size_t d, const double *lo,
                                   const double *hi)
{
    for (size_t k = 0; k < 6; k++) {
        igm_crossover *x = make(every_operator[k], 0.5, 2);
        igm_rng rng;
        double child[MAX_D];
        igm_rng_seed(&rng, 37);
        for (int n = 0; n < 2000; n++) {
            child_of(x, &rng, parents, d, lo, hi, child);
            for (size_t i = 0; i < d; i++)
                if (!isfinite(child[i]))
                    fail_msg("%s, d = %zu: child[%zu] = %g", every_operator[k], d, i, child[i]);
        }
        igm_crossover_free(x);
    }
}

static void identical_parents_and_zero_width_bounds_give_finite_children(void **state)
{
    const double same[] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    const double point[3] = {0.5, 0.5, 0.5};
    const double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1};
    assert_finite_children(same, 3, lo, hi);
    assert_finite_children(same, 3, point, point);
    assert_finite_children(same, 1, point, point);
    const double line[] = {0, 1, 2}; /* d = 1, three distinct parents */
    assert_finite_children(line, 1, lo, hi);
    const double close[] = {0.3, 0.3 + 1e-13, 0.3 - 1e-13};
    assert_finite_children(close, 1, lo, hi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_and_class_names_build_each_operator),
        cmocka_unit_test(null_is_uniform_with_the_samplers_swapping_prob),
        cmocka_unit_test(defaults_are_optunas),
        cmocka_unit_test(bad_names_kwargs_and_ranges_are_refused),
        cmocka_unit_test(range_edges_are_accepted),
        cmocka_unit_test(sbx_draw_follows_debs_bounded_formula),
        cmocka_unit_test(sbx_draw_at_u_one_quarter_by_hand),
        cmocka_unit_test(vsbx_draw_follows_ballester_carter),
        cmocka_unit_test(spx_draw_follows_tsutsuis_recurrence),
        cmocka_unit_test(undx_in_one_dimension_is_midpoint_plus_xi_d),
        cmocka_unit_test(polynomial_mutation_follows_debs_formula),
        cmocka_unit_test(uniform_takes_parent_2_with_probability_1_minus_swapping_prob),
        cmocka_unit_test(blxalpha_is_uniform_on_the_widened_interval),
        cmocka_unit_test(sbx_children_are_symmetric_and_closer_for_larger_eta),
        cmocka_unit_test(bounded_sbx_children_stay_within_the_bounds),
        cmocka_unit_test(vsbx_children_are_closer_for_larger_eta),
        cmocka_unit_test(spx_children_fill_the_expanded_simplex_around_the_centroid),
        cmocka_unit_test(undx_spreads_sigma_xi_squared_along_and_sigma_eta_squared_across),
        cmocka_unit_test(undx_off_axis_line_keeps_the_two_spreads_apart),
        cmocka_unit_test(undx_with_equal_first_parents_moves_off_the_first_axis_only),
        cmocka_unit_test(polynomial_mutation_stays_in_bounds_and_moves_less_for_larger_eta),
        cmocka_unit_test(standard_normal_has_mean_0_and_variance_1),
        cmocka_unit_test(the_same_seed_gives_the_same_children),
        cmocka_unit_test(identical_parents_and_zero_width_bounds_give_finite_children),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
