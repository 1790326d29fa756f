/* TPESampler: kwargs, gamma and weights presets, the Parzen estimator's
 * numbers against tpe_vectors.h ([H] formulas with Optuna 3.1's normal
 * routines, gen_tpe_vectors.py) and OPTUNA-ALGORITHMS.md s11, the split,
 * search spaces, and whole studies (seeds, infinities, degenerate studies,
 * multivariate/univariate/group paths, constant liar). */
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

#include "lib/arena.h"
#include "lib/error.h"
#include "lib/normal.h"
#include "lib/study.h"
#include "samplers/search_space.h"
#include "samplers/tpe/parzen_estimator.h"
#include "samplers/tpe/tpe.h"
#include "samplers/tpe/tpe_history.h"
#include "tpe_vectors.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol * fmax(1.0, fabs(want)))) {
        print_error("got %.17g, want %.17g (tolerance %g)\n", got, want, tol);
        fail();
    }
}

/* ---- distributions and spaces ---------------------------------------------- */

static igm_distribution *float_dist(double low, double high, double step, int log)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_float(&d, "p", low, high, step, log), IGMOPT_OK);
    return d;
}

static igm_distribution *int_dist(int64_t low, int64_t high, int64_t step, int log)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_int(&d, "p", low, high, step, log), IGMOPT_OK);
    return d;
}

static igm_distribution *cat_dist(const char *choices)
{
    igm_distribution *d;
    assert_int_equal(igm_distribution_categorical(&d, "p", choices), IGMOPT_OK);
    return d;
}

static const tpe_parzen_params default_parzen = {1.0, 1, 0};

/* A one-parameter estimator of internal values obs (logged for log ones). */
static void build_1d(tpe_parzen *pe, igm_arena *arena, const igm_distribution *d,
                     const double *obs, size_t n, const tpe_parzen_params *p)
{
    const char *names[1] = {"p"};
    const igm_distribution *dists[1] = {d};
    igm_search_space space = {names, dists, 1};
    double u[64], w[64];
    for (size_t k = 0; k < n; k++) {
        u[k] = d->log ? log(obs[k]) : obs[k];
        w[k] = 1.0;
    }
    tpe_weights_fill(TPE_WEIGHTS_DEFAULT, n, w);
    assert_int_equal(tpe_parzen_build(pe, arena, &space, u, n, w, NULL, p), IGMOPT_OK);
}

/* ---- kwargs, gamma, weights ----------------------------------------------------- */

static void gamma_presets_match_optuna(void **state)
{
    tpe_gamma dflt = {TPE_GAMMA_DEFAULT, 0, 0}, hyperopt = {TPE_GAMMA_SQRT, 0.25, 25};
    tpe_gamma linear = {TPE_GAMMA_LINEAR, 0.2, -1};
    static const size_t n[] = {0, 1, 10, 11, 30, 100, 250, 300};
    static const size_t single[] = {0, 1, 1, 2, 3, 10, 25, 25};
    static const size_t multi[] = {0, 1, 1, 2, 3, 10, 25, 30};
    for (size_t i = 0; i < N_OF(n); i++) {
        assert_int_equal(tpe_gamma_n_below(&dflt, n[i], 1), single[i]);
        assert_int_equal(tpe_gamma_n_below(&dflt, n[i], 2), multi[i]);
    }
    assert_int_equal(tpe_gamma_n_below(&hyperopt, 100, 1), 3);   /* ceil(2.5) */
    assert_int_equal(tpe_gamma_n_below(&hyperopt, 20000, 1), 25); /* capped */
    assert_int_equal(tpe_gamma_n_below(&linear, 1000, 1), 200);  /* no cap */
}

static void default_weights_ramp_the_oldest(void **state)
{
    double w[30];
    static const double want[] = {1.0 / 30, 0.27500000000000002, 0.51666666666666672,
                                  0.75833333333333341, 1.0};
    tpe_weights_fill(TPE_WEIGHTS_DEFAULT, 30, w);
    for (size_t i = 0; i < 5; i++)
        assert_close(w[i], want[i], 1e-15);
    for (size_t i = 5; i < 30; i++)
        assert_true(w[i] == 1.0);
    tpe_weights_fill(TPE_WEIGHTS_DEFAULT, 26, w); /* linspace with one point: its start */
    assert_close(w[0], 1.0 / 26, 1e-16);
    assert_true(w[1] == 1.0);
    tpe_weights_fill(TPE_WEIGHTS_DEFAULT, 24, w);
    for (size_t i = 0; i < 24; i++)
        assert_true(w[i] == 1.0);
    tpe_weights_fill(TPE_WEIGHTS_UNIFORM, 30, w);
    assert_true(w[0] == 1.0);
}

static int try_options(const char *json)
{
    igmopt_sampler *s = NULL;
    int rc = igmopt_sampler_new(&s, "TPESampler", json);
    igmopt_sampler_free(s);
    return rc;
}

static void errmsg_names(const char *what)
{
    if (!strstr(igmopt_errmsg(), what)) {
        print_error("message '%s' does not name '%s'\n", igmopt_errmsg(), what);
        fail();
    }
}

static void every_documented_kwarg_is_accepted(void **state)
{
    assert_int_equal(try_options("{\"consider_prior\": true, \"prior_weight\": 0.5, "
                                 "\"consider_magic_clip\": false, \"consider_endpoints\": "
                                 "true, \"n_startup_trials\": 5, \"n_ei_candidates\": 12, "
                                 "\"gamma\": \"hyperopt\", \"weights\": \"uniform\", "
                                 "\"seed\": 3, \"multivariate\": true, \"group\": true, "
                                 "\"warn_independent_sampling\": true, \"constant_liar\": "
                                 "false, \"constraints_func\": null}"),
                     IGMOPT_OK);
    assert_int_equal(try_options("{\"gamma\": {\"type\": \"linear\", \"factor\": 0.1, "
                                 "\"cap\": 25}, \"weights\": \"default\"}"), IGMOPT_OK);
    assert_int_equal(try_options("{\"gamma\": {\"type\": \"sqrt\", \"factor\": 0.25, "
                                 "\"cap\": null}}"), IGMOPT_OK);
    assert_int_equal(try_options("{\"gamma\": null, \"multivariate\": null}"), IGMOPT_OK);
    assert_int_equal(try_options("{\"gamma\": \"default\"}"), IGMOPT_OK);
    assert_int_equal(try_options(NULL), IGMOPT_OK);
}

static void bad_kwargs_are_einval_naming_them(void **state)
{
    static const struct {
        const char *json, *named;
    } cases[] = {
        {"{\"n_startup_trial\": 3}", "n_startup_trial"},
        {"{\"categorical_distance_func\": null}", "categorical_distance_func"},
        {"{\"n_startup_trials\": -1}", "n_startup_trials"},
        {"{\"n_startup_trials\": 2.5}", "n_startup_trials"},
        {"{\"n_ei_candidates\": 0}", "n_ei_candidates"},
        {"{\"prior_weight\": 0}", "prior_weight"},
        {"{\"prior_weight\": \"1\"}", "prior_weight"},
        {"{\"consider_endpoints\": 1}", "consider_endpoints"},
        {"{\"gamma\": \"fast\"}", "gamma"},
        {"{\"gamma\": {\"type\": \"linear\", \"factor\": -1}}", "factor"},
        {"{\"gamma\": {\"type\": \"cubic\", \"factor\": 1}}", "type"},
        {"{\"gamma\": {\"type\": \"linear\", \"factor\": 1, \"cap\": -2}}", "cap"},
        {"{\"gamma\": {\"type\": \"linear\", \"factor\": 1, \"step\": 2}}", "step"},
        {"{\"weights\": \"hyperopt\"}", "weights"},
        {"{\"multivariate\": \"yes\"}", "multivariate"},
        {"{\"group\": true, \"multivariate\": false}", "group"},
        {"{\"constraints_func\": \"my_constraints\"}", "igmopt_trial_set_constraints"},
        {"{\"seed\": 1.5}", "seed"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        assert_int_equal(try_options(cases[i].json), IGMOPT_EINVAL);
        errmsg_names(cases[i].named);
        errmsg_names("TPESampler");
    }
}

static void tpe_is_the_default_sampler(void **state)
{
    igmopt_sampler *s;
    assert_int_equal(igmopt_sampler_new(&s, NULL, NULL), IGMOPT_OK);
    assert_string_equal(s->ops->name, "TPESampler");
    igmopt_sampler_free(s);
}

/* ---- the Parzen estimator -------------------------------------------------------- */

static void bandwidths_of_three_floats(void **state)
{
    static const double obs_a[] = {0.1, 0.5, 0.55}, obs_b[] = {0.1, 0.2, 0.9};
    static const double obs_c[] = {0.3, 0.35, 0.9};
    static const double mu_a[] = {0.1, 0.5, 0.55, 0.5};
    igm_distribution *d = float_dist(0, 1, 0, 0);
    tpe_parzen_params endpoints = {1.0, 1, 1}, noclip = {1.0, 0, 0};
    igm_arena arena = IGM_ARENA_INIT;
    tpe_parzen pe;
    build_1d(&pe, &arena, d, obs_a, 3, &default_parzen);
    for (size_t k = 0; k < 4; k++) {
        assert_close(pe.weights[k], 0.25, 1e-15);
        assert_close(pe.dims[0].mu[k], mu_a[k], 1e-15);
        assert_close(pe.dims[0].sigma[k], f01_a_sigma[k], 1e-15);
    }
    build_1d(&pe, &arena, d, obs_b, 3, &default_parzen);
    for (size_t k = 0; k < 4; k++)
        assert_close(pe.dims[0].sigma[k], f01_b_sigma[k], 1e-15);
    build_1d(&pe, &arena, d, obs_c, 3, &default_parzen);
    for (size_t k = 0; k < 4; k++)
        assert_close(pe.dims[0].sigma[k], f01_c_sigma[k], 1e-15);
    build_1d(&pe, &arena, d, obs_c, 3, &endpoints); /* the domain ends count for 0.3 */
    for (size_t k = 0; k < 4; k++)
        assert_close(pe.dims[0].sigma[k], f01_c_endpoints_sigma[k], 1e-15);
    assert_true(f01_c_sigma[0] != f01_c_endpoints_sigma[0]);
    build_1d(&pe, &arena, d, obs_b, 3, &noclip);
    for (size_t k = 0; k < 4; k++)
        assert_close(pe.dims[0].sigma[k], f01_b_noclip_sigma[k], 1e-15);
    igm_arena_free(&arena);
    igm_distribution_free(d);
}

static void float_log_pdf_matches_the_formula(void **state)
{
    static const double obs_a[] = {0.1, 0.5, 0.55}, obs_b[] = {0.1, 0.2, 0.9};
    static const double obs_c[] = {0.3, 0.35, 0.9}, x[] = {0.0, 0.15, 0.5, 0.95};
    igm_distribution *d = float_dist(0, 1, 0, 0);
    tpe_parzen_params noclip = {1.0, 0, 0}, endpoints = {1.0, 1, 1};
    igm_arena arena = IGM_ARENA_INIT;
    tpe_parzen pe;
    double out[4];
    build_1d(&pe, &arena, d, obs_a, 3, &default_parzen);
    assert_int_equal(tpe_parzen_log_pdf(&pe, x, 4, out), IGMOPT_OK);
    for (size_t i = 0; i < 4; i++)
        assert_close(out[i], f01_a_log_pdf[i], 1e-13);
    build_1d(&pe, &arena, d, obs_b, 3, &default_parzen);
    assert_int_equal(tpe_parzen_log_pdf(&pe, x, 4, out), IGMOPT_OK);
    for (size_t i = 0; i < 4; i++) /* s11: [0.25003, 0.34492, -0.11647, -0.34073] */
        assert_close(out[i], f01_b_log_pdf[i], 1e-13);
    build_1d(&pe, &arena, d, obs_b, 3, &noclip);
    assert_int_equal(tpe_parzen_log_pdf(&pe, x, 4, out), IGMOPT_OK);
    for (size_t i = 0; i < 4; i++)
        assert_close(out[i], f01_b_noclip_log_pdf[i], 1e-13);
    build_1d(&pe, &arena, d, obs_c, 3, &endpoints);
    assert_int_equal(tpe_parzen_log_pdf(&pe, x, 4, out), IGMOPT_OK);
    for (size_t i = 0; i < 4; i++)
        assert_close(out[i], f01_c_endpoints_log_pdf[i], 1e-13);
    igm_arena_free(&arena);
    igm_distribution_free(d);
}

static void log_int_is_a_discrete_mass_in_log_space(void **state)
{
    static const double obs[] = {1, 10}, x[] = {1, 5, 100};
    igm_distribution *d = int_dist(1, 100, 1, 1);
    igm_arena arena = IGM_ARENA_INIT;
    tpe_parzen pe;
    double out[3];
    build_1d(&pe, &arena, d, obs, 2, &default_parzen);
    for (size_t k = 0; k < 3; k++) {
        assert_close(pe.dims[0].mu[k], intlog_mu[k], 1e-15);
        assert_close(pe.dims[0].sigma[k], intlog_sigma[k], 1e-15);
    }
    assert_int_equal(tpe_parzen_log_pdf(&pe, x, 3, out), IGMOPT_OK);
    for (size_t i = 0; i < 3; i++) /* s11: [-1.5133, -3.1415, -6.7427] */
        assert_close(out[i], intlog_log_pmf[i], 1e-13);
    igm_arena_free(&arena);
    igm_distribution_free(d);
}

static void categorical_rows_spread_the_prior(void **state)
{
    static const double obs[] = {0, 0, 2};
    igm_distribution *d = cat_dist("[\"a\", \"b\", \"c\"]");
    igm_arena arena = IGM_ARENA_INIT;
    tpe_parzen pe;
    build_1d(&pe, &arena, d, obs, 3, &default_parzen);
    for (size_t i = 0; i < 12; i++)
        assert_close(pe.dims[0].prob[i], cat_rows[i], 1e-15);
    build_1d(&pe, &arena, d, obs, 0, &default_parzen); /* no observation: one uniform row */
    assert_int_equal(pe.n_components, 1);
    assert_close(pe.weights[0], 1.0, 0);
    for (size_t c = 0; c < 3; c++)
        assert_close(pe.dims[0].prob[c], 1.0 / 3, 1e-16);
    igm_arena_free(&arena);
    igm_distribution_free(d);
}

/* The six-parameter space of gen_tpe_vectors.py. */
typedef struct mixed_space {
    igm_distribution *d[6];
    const char *names[6];
    igm_search_space space;
} mixed_space;

static void mixed_space_open(mixed_space *m)
{
    static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
    m->d[0] = float_dist(-5, 5, 0, 0);
    m->d[1] = float_dist(1e-4, 1, 0, 1);
    m->d[2] = int_dist(1, 10, 1, 0);
    m->d[3] = float_dist(0, 1, 0.1, 0);
    m->d[4] = cat_dist("[\"a\", \"b\", \"c\"]");
    m->d[5] = int_dist(2, 50, 1, 1);
    for (size_t j = 0; j < 6; j++)
        m->names[j] = names[j];
    m->space.names = m->names;
    m->space.dists = (const igm_distribution **)m->d;
    m->space.count = 6;
}

static void mixed_space_close(mixed_space *m)
{
    for (size_t j = 0; j < 6; j++)
        igm_distribution_free(m->d[j]);
}

static void to_kernel_coordinates(const mixed_space *m, const double *x, size_t n, double *u)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < 6; j++)
            u[i * 6 + j] = m->d[j]->log ? log(x[i * 6 + j]) : x[i * 6 + j];
}

static void mixed_space_densities(void **state)
{
    mixed_space m;
    igm_arena arena = IGM_ARENA_INIT;
    tpe_parzen pe;
    double u[30 * 6], w[30], out[3];
    static const size_t numeric[] = {0, 1, 2, 3, 5};
    const double *sig[] = {mixed_sigma_0, mixed_sigma_1, mixed_sigma_2, mixed_sigma_3, NULL,
                           mixed_sigma_5};
    mixed_space_open(&m);
    to_kernel_coordinates(&m, mixed_obs, 30, u);
    tpe_weights_fill(TPE_WEIGHTS_DEFAULT, 30, w);
    assert_int_equal(tpe_parzen_build(&pe, &arena, &m.space, u, 30, w, NULL, &default_parzen),
                     IGMOPT_OK);
    for (size_t k = 0; k < 31; k++)
        assert_close(pe.weights[k], mixed_weights[k], 1e-15);
    for (size_t i = 0; i < N_OF(numeric); i++)
        for (size_t k = 0; k < 31; k++)
            assert_close(pe.dims[numeric[i]].sigma[k], sig[numeric[i]][k], 1e-13);
    assert_int_equal(tpe_parzen_log_pdf(&pe, mixed_points, 3, out), IGMOPT_OK);
    for (size_t i = 0; i < 3; i++)
        assert_close(out[i], mixed_log_pdf[i], 1e-12);
    assert_int_equal(tpe_parzen_log_pdf_exact(&pe, mixed_points, 3, out), IGMOPT_OK);
    for (size_t i = 0; i < 3; i++)
        assert_close(out[i], mixed_log_pdf[i], 1e-12);
    igm_arena_free(&arena);
    mixed_space_close(&m);
}

/* Large estimators skip components by bounds (windowed blocks); the sum
 * must agree with every term computed. */
static void skipping_components_changes_nothing(void **state)
{
    mixed_space m;
    igm_arena arena = IGM_ARENA_INIT;
    igm_rng rng;
    tpe_parzen pe;
    enum { N = 700, P = 60 };
    double *x = malloc(N * 6 * sizeof *x), *u = malloc(N * 6 * sizeof *u);
    double *w = malloc(N * sizeof *w), pts[P * 6], fast[P], exact[P];
    mixed_space_open(&m);
    igm_rng_seed(&rng, 5);
    for (size_t i = 0; i < N; i++) { /* clustered, so that many kernels are narrow */
        double c = igm_rng_uniform(&rng) < 0.7 ? 0.02 : 1.0;
        x[i * 6 + 0] = fmin(5, fmax(-5, 1.0 + c * igm_rng_uniform_range(&rng, -5, 5)));
        x[i * 6 + 1] = exp(igm_rng_uniform_range(&rng, log(1e-4), 0));
        x[i * 6 + 2] = (double)(1 + igm_rng_below(&rng, 10));
        x[i * 6 + 3] = 0.1 * (double)igm_rng_below(&rng, 11);
        x[i * 6 + 4] = (double)igm_rng_below(&rng, 3);
        x[i * 6 + 5] = (double)(2 + igm_rng_below(&rng, 49));
    }
    to_kernel_coordinates(&m, x, N, u);
    tpe_weights_fill(TPE_WEIGHTS_DEFAULT, N, w);
    assert_int_equal(tpe_parzen_build(&pe, &arena, &m.space, u, N, w, NULL, &default_parzen),
                     IGMOPT_OK);
    assert_non_null(pe.window);
    assert_int_equal(tpe_parzen_sample(&pe, &rng, P, pts), IGMOPT_OK);
    assert_int_equal(tpe_parzen_log_pdf(&pe, pts, P, fast), IGMOPT_OK);
    assert_int_equal(tpe_parzen_log_pdf_exact(&pe, pts, P, exact), IGMOPT_OK);
    for (size_t i = 0; i < P; i++)
        assert_close(fast[i], exact[i], 1e-14);
    free(x);
    free(u);
    free(w);
    igm_arena_free(&arena);
    mixed_space_close(&m);
}

static void samples_lie_on_the_grid_inside_the_bounds(void **state)
{
    mixed_space m;
    igm_arena arena = IGM_ARENA_INIT;
    igm_rng rng;
    tpe_parzen pe;
    double u[30 * 6], w[30], pts[500 * 6];
    mixed_space_open(&m);
    to_kernel_coordinates(&m, mixed_obs, 30, u);
    tpe_weights_fill(TPE_WEIGHTS_DEFAULT, 30, w);
    assert_int_equal(tpe_parzen_build(&pe, &arena, &m.space, u, 30, w, NULL, &default_parzen),
                     IGMOPT_OK);
    igm_rng_seed(&rng, 11);
    assert_int_equal(tpe_parzen_sample(&pe, &rng, 500, pts), IGMOPT_OK);
    for (size_t i = 0; i < 500; i++)
        for (size_t j = 0; j < 6; j++)
            assert_true(igm_distribution_contains(m.d[j], pts[i * 6 + j]));
    igm_arena_free(&arena);
    mixed_space_close(&m);
}

static void normal_routines_match_optunas(void **state)
{
    for (size_t i = 0; i < N_OF(ndtr_x); i++)
        assert_close(igm_log_ndtr(ndtr_x[i]), log_ndtr_y[i], 1e-14);
    for (size_t i = 0; i < N_OF(mass_log); i++)
        assert_close(igm_log_gauss_mass(mass_ab[2 * i], mass_ab[2 * i + 1]), mass_log[i],
                     1e-12);
    for (size_t i = 0; i < N_OF(ppf_z); i++)
        assert_close(igm_truncnorm_ppf(ppf_qab[3 * i], ppf_qab[3 * i + 1], ppf_qab[3 * i + 2]),
                     ppf_z[i], 1e-9);
    for (double p = 1e-300; p < 1; p *= 7.3) /* inverse round trip */
        assert_close(igm_ndtr(igm_ndtri(p)), p, 1e-13);
    for (size_t i = 0; i < N_OF(ndtri_exp_z); i++) {
        double z = igm_ndtri_exp(ndtri_exp_y[i]);
        /* Optuna's log_ndtr above 6 is -Phi(-x), which drops Phi(-x)^2/2:
         * its inverse of -1e-10 is 8e-12 short of the exact one */
        assert_close(z, ndtri_exp_z[i], 2e-12);
        assert_close(igm_log_ndtr(z), ndtri_exp_y[i], 1e-13);
    }
    assert_true(igm_log_gauss_mass(1.0, 1.0) == -INFINITY);
}

/* ---- the split ------------------------------------------------------------------------ */

typedef struct split_case {
    igm_frozen_trial *t[16];
    tpe_trial m[16];
    size_t n;
} split_case;

static tpe_trial *add_trial(split_case *c, igmopt_trial_state state, const double *values,
                            size_t n_values)
{
    igm_frozen_trial *t = igm_frozen_trial_new();
    assert_non_null(t);
    t->number = (int64_t)c->n;
    t->state = state;
    if (values)
        assert_int_equal(igm_frozen_trial_set_values(t, values, n_values), IGMOPT_OK);
    c->t[c->n] = t;
    memset(&c->m[c->n], 0, sizeof c->m[c->n]);
    c->m[c->n].trial = t;
    c->m[c->n].slot = c->n;
    c->m[c->n].running = state == IGMOPT_RUNNING;
    return &c->m[c->n++];
}

static void split_case_free(split_case *c)
{
    for (size_t i = 0; i < c->n; i++)
        igm_frozen_trial_free(c->t[i]);
}

static void below_set(const split_case *c, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->m[i].below)
            out[n++] = (char)('0' + i % 10);
    out[n] = '\0';
}

static void split_single_objective_order(void **state)
{
    static const double v[] = {3, 1, 2, 1, 5, -INFINITY, INFINITY};
    igmopt_direction minimize = IGMOPT_MINIMIZE, maximize = IGMOPT_MAXIMIZE;
    split_case c = {0};
    char below[17];
    for (size_t i = 0; i < N_OF(v); i++)
        add_trial(&c, IGMOPT_COMPLETE, &v[i], 1);
    add_trial(&c, IGMOPT_RUNNING, NULL, 0);
    assert_int_equal(tpe_split(c.m, c.n, 3, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "135"); /* -inf, then the tie 1, 1 (both) */
    assert_int_equal(tpe_split(c.m, c.n, 2, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "15"); /* ties: the earlier trial (stable order) */
    assert_int_equal(tpe_split(c.m, c.n, 2, &maximize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "46"); /* +inf, then 5 */
    assert_int_equal(tpe_split(c.m, c.n, 100, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "0123456"); /* RUNNING never */
    assert_int_equal(tpe_split(c.m, c.n, 0, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "");
    split_case_free(&c);
}

static void split_fills_from_pruned_then_infeasible(void **state)
{
    static const double good = 0.5, bad = 9;
    igmopt_direction minimize = IGMOPT_MINIMIZE;
    split_case c = {0};
    char below[17];
    tpe_trial *t;
    add_trial(&c, IGMOPT_COMPLETE, &bad, 1);                      /* 0 */
    t = add_trial(&c, IGMOPT_COMPLETE, &good, 1);                 /* 1 infeasible */
    t->violation = 2.0;
    t = add_trial(&c, IGMOPT_PRUNED, NULL, 0);                    /* 2: step 3, 0.7 */
    igm_frozen_trial_set_intermediate(c.t[2], 1, 0.1);
    igm_frozen_trial_set_intermediate(c.t[2], 3, 0.7);
    t = add_trial(&c, IGMOPT_PRUNED, NULL, 0);                    /* 3: step 3, 0.2 */
    igm_frozen_trial_set_intermediate(c.t[3], 3, 0.2);
    t = add_trial(&c, IGMOPT_PRUNED, NULL, 0);                    /* 4: step 1 only */
    igm_frozen_trial_set_intermediate(c.t[4], 1, -100);
    add_trial(&c, IGMOPT_PRUNED, NULL, 0);                        /* 5: no values */
    t = add_trial(&c, IGMOPT_PRUNED, NULL, 0);                    /* 6: step 3, NaN */
    igm_frozen_trial_set_intermediate(c.t[6], 3, NAN);
    t = add_trial(&c, IGMOPT_COMPLETE, &bad, 1);                  /* 7 infeasible, less */
    t->violation = 0.5;
    add_trial(&c, IGMOPT_RUNNING, NULL, 0);                       /* 8 */
    assert_int_equal(tpe_split(c.m, c.n, 1, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "0"); /* a feasible COMPLETE first, even if worse */
    assert_int_equal(tpe_split(c.m, c.n, 3, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "023"); /* then the deepest pruned, by value */
    assert_int_equal(tpe_split(c.m, c.n, 5, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "02346"); /* NaN at the deepest step beats shallower ones */
    assert_int_equal(tpe_split(c.m, c.n, 7, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "0234567"); /* then infeasible by violation */
    assert_int_equal(tpe_split(c.m, c.n, 9, &minimize, 1), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "01234567");
    split_case_free(&c);
}

static void split_multi_objective_with_infinities(void **state)
{
    /* non-domination ranks 0, 1, 1, 2 */
    static const double v[4][2] = {{1, 1}, {1, INFINITY}, {INFINITY, 1}, {INFINITY, INFINITY}};
    igmopt_direction dirs[2] = {IGMOPT_MINIMIZE, IGMOPT_MINIMIZE};
    split_case c = {0};
    char below[17];
    for (size_t i = 0; i < 4; i++)
        add_trial(&c, IGMOPT_COMPLETE, v[3 - i], 2); /* stored worst first */
    assert_int_equal(tpe_split(c.m, c.n, 1, dirs, 2), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "3");
    /* one of the rank-1 pair: its reference point is infinite, so the first
     * in lexicographic order, (1, inf) */
    assert_int_equal(tpe_split(c.m, c.n, 2, dirs, 2), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "23");
    assert_int_equal(tpe_split(c.m, c.n, 3, dirs, 2), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "123");
    split_case_free(&c);
}

static void split_multi_objective_breaks_a_front_by_hypervolume(void **state)
{
    /* s11's HSSP vector: k = 2 of this front picks (2,3) and (3,2) */
    static const double v[5][2] = {{1, 5}, {2, 3}, {3, 2}, {5, 1}, {4, 1.5}};
    static const double dominated[2] = {6, 6};
    igmopt_direction dirs[2] = {IGMOPT_MINIMIZE, IGMOPT_MINIMIZE};
    split_case c = {0};
    char below[17];
    add_trial(&c, IGMOPT_COMPLETE, dominated, 2);
    for (size_t i = 0; i < 5; i++)
        add_trial(&c, IGMOPT_COMPLETE, v[i], 2);
    assert_int_equal(tpe_split(c.m, c.n, 2, dirs, 2), IGMOPT_OK);
    below_set(&c, below);
    assert_string_equal(below, "23");
    split_case_free(&c);
}

static void constraint_violation_from_system_attrs(void **state)
{
    igm_frozen_trial *t = igm_frozen_trial_new();
    assert_true(tpe_trial_violation(t) == 0);
    igm_attr_list_set(&t->system_attrs, "constraints", "[-1.0, 0.5, 2]");
    assert_close(tpe_trial_violation(t), 2.5, 0);
    igm_attr_list_set(&t->system_attrs, "constraints:memory", "0.25");
    igm_attr_list_set(&t->system_attrs, "constraintsX", "100");
    assert_close(tpe_trial_violation(t), 2.75, 0);
    igm_attr_list_set(&t->system_attrs, "constraints", "[Infinity]");
    assert_true(tpe_trial_violation(t) == INFINITY);
    igm_attr_list_set(&t->system_attrs, "constraints", "[NaN]");
    assert_true(tpe_trial_violation(t) == INFINITY); /* unknown: never feasible */
    igm_attr_list_set(&t->system_attrs, "constraints", "[-3, -1e9]");
    assert_close(tpe_trial_violation(t), 0.25, 0);
    igm_frozen_trial_free(t);
}

/* ---- search spaces ------------------------------------------------------------------------ */

static igm_frozen_trial *trial_with(const char *const *names, igm_distribution *const *dists,
                                    size_t n, igmopt_trial_state state)
{
    igm_frozen_trial *t = igm_frozen_trial_new();
    t->state = state;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(igm_frozen_trial_add_param(t, names[i], 0.5, dists[i]), IGMOPT_OK);
    return t;
}

static void group_decomposition_splits_shared_names(void **state)
{
    static const char *const xy[] = {"x", "y"}, *const xz[] = {"x", "z"};
    igm_distribution *d[2] = {float_dist(0, 1, 0, 0), float_dist(0, 1, 0, 0)};
    igm_frozen_trial *trials[3];
    igm_search_space_groups g;
    trials[0] = trial_with(xy, d, 2, IGMOPT_COMPLETE);
    trials[1] = trial_with(xz, d, 2, IGMOPT_PRUNED);
    trials[2] = trial_with(xy, d, 1, IGMOPT_FAIL); /* not counted */
    assert_int_equal(igm_group_decomposed_search_space(trials, 3, 1, 1, &g), IGMOPT_OK);
    assert_int_equal(g.count, 3);
    assert_string_equal(g.groups[0].names[0], "x");
    assert_string_equal(g.groups[1].names[0], "y");
    assert_string_equal(g.groups[2].names[0], "z");
    igm_search_space_groups_clear(&g);
    assert_int_equal(igm_group_decomposed_search_space(trials, 3, 0, 1, &g), IGMOPT_OK);
    assert_int_equal(g.count, 1); /* without PRUNED: only {x, y} */
    assert_int_equal(g.groups[0].count, 2);
    igm_search_space_groups_clear(&g);
    for (size_t i = 0; i < 3; i++)
        igm_frozen_trial_free(trials[i]);
    igm_distribution_free(d[0]);
    igm_distribution_free(d[1]);
}

static void intersection_keeps_equal_distributions_sorted(void **state)
{
    static const char *const names[] = {"b", "a", "c", "s"};
    igm_distribution *d[4] = {float_dist(0, 1, 0, 0), int_dist(1, 5, 1, 0),
                              cat_dist("[1, 2]"), float_dist(2, 2, 0, 0)};
    igm_distribution *wider[4] = {d[0], int_dist(1, 6, 1, 0), d[2], d[3]};
    igm_frozen_trial *trials[3];
    igm_search_space s;
    trials[0] = trial_with(names, d, 4, IGMOPT_COMPLETE);
    trials[1] = trial_with(names, d, 4, IGMOPT_RUNNING); /* not counted */
    trials[2] = trial_with(names, wider, 4, IGMOPT_COMPLETE);
    assert_int_equal(igm_intersection_search_space(trials, 2, 1, 1, &s), IGMOPT_OK);
    assert_int_equal(s.count, 3); /* the single-valued s left out */
    assert_string_equal(s.names[0], "a");
    assert_string_equal(s.names[1], "b");
    assert_string_equal(s.names[2], "c");
    igm_search_space_clear(&s);
    assert_int_equal(igm_intersection_search_space(trials, 3, 1, 1, &s), IGMOPT_OK);
    assert_int_equal(s.count, 2); /* a's range changed */
    assert_string_equal(s.names[0], "b");
    igm_search_space_clear(&s);
    for (size_t i = 0; i < 3; i++)
        igm_frozen_trial_free(trials[i]);
    for (size_t i = 0; i < 4; i++)
        igm_distribution_free(d[i]);
    igm_distribution_free(wider[1]);
}

/* ---- whole studies ------------------------------------------------------------------------ */

typedef struct sweep {
    igmopt_storage *st;
    igmopt_study *study;
    char dir[64];
} sweep;

static void sweep_open_url(sweep *s, const char *url, size_t n_obj, const char *method,
                           const char *kwargs)
{
    igmopt_direction dirs[2] = {IGMOPT_MINIMIZE, IGMOPT_MINIMIZE};
    igmopt_sampler *sampler;
    assert_int_equal(igmopt_storage_open(&s->st, url), IGMOPT_OK);
    if (igmopt_sampler_new(&sampler, method, kwargs) != IGMOPT_OK) {
        print_error("%s\n", igmopt_errmsg());
        fail();
    }
    assert_int_equal(igmopt_study_create(&s->study, s->st, "s", dirs, n_obj, sampler, NULL, 1),
                     IGMOPT_OK);
    igmopt_sampler_free(sampler);
}

static void sweep_open(sweep *s, const char *kwargs)
{
    s->dir[0] = '\0';
    sweep_open_url(s, ":memory:", 1, "TPESampler", kwargs);
}

static void sweep_close(sweep *s)
{
    igmopt_study_close(s->study);
    igmopt_storage_close(s->st);
    if (s->dir[0]) {
        char path[128];
        snprintf(path, sizeof path, "%s/s.db", s->dir);
        unlink(path);
        snprintf(path, sizeof path, "%s/s.db-wal", s->dir);
        unlink(path);
        snprintf(path, sizeof path, "%s/s.db-shm", s->dir);
        unlink(path);
        rmdir(s->dir);
    }
}

static igmopt_trial *ask(sweep *s)
{
    igmopt_trial *t;
    assert_int_equal(igmopt_study_ask(s->study, &t), IGMOPT_OK);
    return t;
}

static double suggest(igmopt_trial *t, const char *name, double low, double high, int log)
{
    double v;
    if (igmopt_trial_suggest_float(t, name, low, high, 0, log, &v) != IGMOPT_OK) {
        print_error("%s\n", igmopt_errmsg());
        fail();
    }
    assert_true(v >= low && v <= high);
    return v;
}

static void tell(sweep *s, igmopt_trial *t, double value)
{
    assert_int_equal(igmopt_study_tell(s->study, t, IGMOPT_COMPLETE, &value, 1), IGMOPT_OK);
    igmopt_trial_free(t);
}

static double branin(double x, double y)
{
    double a = y - 5.1 / (4 * M_PI * M_PI) * x * x + 5 / M_PI * x - 6;
    return a * a + 10 * (1 - 1 / (8 * M_PI)) * cos(x) + 10;
}

/* n Branin trials with x, y, an int and a categorical; params to out. */
static void run_mixed(sweep *s, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++) {
        igmopt_trial *t = ask(s);
        int64_t k;
        size_t c;
        double x = suggest(t, "x", -5, 10, 0), y = suggest(t, "y", 0, 15, 0);
        assert_int_equal(igmopt_trial_suggest_int(t, "k", 1, 8, 1, 0, &k), IGMOPT_OK);
        assert_int_equal(igmopt_trial_suggest_categorical(t, "c", "[\"u\", \"v\", \"w\"]", &c),
                         IGMOPT_OK);
        out[4 * i] = x;
        out[4 * i + 1] = y;
        out[4 * i + 2] = (double)k;
        out[4 * i + 3] = (double)c;
        tell(s, t, branin(x, y) + 0.1 * (double)k + (c == 1 ? 0 : 1));
    }
}

static void same_seed_same_parameters_in_memory_and_sqlite(void **state)
{
    enum { N = 40 };
    double a[4 * N], b[4 * N], c[4 * N], other[4 * N];
    char url[128];
    sweep s;
    sweep_open(&s, "{\"seed\": 42}");
    run_mixed(&s, N, a);
    sweep_close(&s);
    sweep_open(&s, "{\"seed\": 42}");
    run_mixed(&s, N, b);
    sweep_close(&s);
    assert_memory_equal(a, b, sizeof a);
    strcpy(s.dir, "/tmp/igmopt_tpe_XXXXXX");
    assert_non_null(mkdtemp(s.dir));
    snprintf(url, sizeof url, "sqlite:///%s/s.db", s.dir);
    sweep_open_url(&s, url, 1, "TPESampler", "{\"seed\": 42}");
    run_mixed(&s, N, c);
    sweep_close(&s);
    assert_memory_equal(a, c, sizeof a);
    sweep_open(&s, "{\"seed\": 43}");
    run_mixed(&s, N, other);
    sweep_close(&s);
    assert_memory_not_equal(a + 40, other + 40, 4 * (N - 10) * sizeof *a);
}

/* The startup trials are RandomSampler's with the same seed. */
static void startup_trials_are_random_samplers(void **state)
{
    double a[4 * 12], b[4 * 12];
    sweep s;
    sweep_open(&s, "{\"seed\": 9}");
    run_mixed(&s, 12, a);
    sweep_close(&s);
    s.dir[0] = '\0';
    sweep_open_url(&s, ":memory:", 1, "RandomSampler", "{\"seed\": 9}");
    run_mixed(&s, 12, b);
    sweep_close(&s);
    assert_memory_equal(a, b, 4 * 10 * sizeof *a);
    assert_memory_not_equal(a + 40, b + 40, 8 * sizeof *a);
}

static void tpe_finds_branins_minimum(void **state)
{
    enum { N = 100 };
    double best = INFINITY;
    sweep s;
    sweep_open(&s, "{\"seed\": 1}");
    for (size_t i = 0; i < N; i++) {
        igmopt_trial *t = ask(&s);
        double x = suggest(t, "x", -5, 10, 0), y = suggest(t, "y", 0, 15, 0);
        double v = branin(x, y);
        best = fmin(best, v);
        tell(&s, t, v);
    }
    sweep_close(&s);
    assert_true(best < 0.6); /* optimum 0.398; random search gets ~1.5 here */
}

/* Values of +-inf: ranks and weights stay numbers, draws stay in range. */
static void infinite_values_are_sampled_through(void **state)
{
    static const double v[] = {INFINITY, -INFINITY, 1, INFINITY, 2};
    sweep s;
    sweep_open(&s, "{\"seed\": 4, \"n_startup_trials\": 3}");
    for (size_t i = 0; i < 30; i++) {
        igmopt_trial *t = ask(&s);
        double x = suggest(t, "x", 0, 1, 0), z = suggest(t, "z", 1e-3, 1e3, 1);
        assert_true(isfinite(x) && isfinite(z));
        tell(&s, t, v[i % 5]);
    }
    sweep_close(&s);
    sweep_open_url(&s, ":memory:", 2, "TPESampler", "{\"seed\": 4, \"n_startup_trials\": 3}");
    for (size_t i = 0; i < 30; i++) {
        igmopt_trial *t = ask(&s);
        double x = suggest(t, "x", 0, 1, 0), values[2] = {v[i % 5], v[(i + 2) % 5]};
        assert_true(isfinite(x));
        assert_int_equal(igmopt_study_tell(s.study, t, IGMOPT_COMPLETE, values, 2), IGMOPT_OK);
        igmopt_trial_free(t);
    }
    sweep_close(&s);
}

static void equal_or_infeasible_studies_still_sample(void **state)
{
    static const double violated[] = {1.0, 3.0};
    double first = NAN;
    int moved = 0;
    sweep s;
    sweep_open(&s, "{\"seed\": 2}");
    for (size_t i = 0; i < 30; i++) {
        igmopt_trial *t = ask(&s);
        double x = suggest(t, "x", -1, 1, 0);
        if (i == 10)
            first = x;
        moved |= i > 10 && x != first;
        tell(&s, t, 1.0); /* all equal */
    }
    sweep_close(&s);
    assert_true(moved);
    sweep_open(&s, "{\"seed\": 2}");
    for (size_t i = 0; i < 30; i++) {
        igmopt_trial *t = ask(&s);
        double x = suggest(t, "x", -1, 1, 0);
        assert_int_equal(igmopt_trial_set_constraints(t, violated, 2), IGMOPT_OK);
        tell(&s, t, x); /* all infeasible */
    }
    sweep_close(&s);
}

/* The first suggest draws the whole intersection space jointly and
 * publishes it; univariate TPE draws nothing there. */
static void multivariate_draws_jointly_and_publishes(void **state)
{
    double xs[4 * 12];
    const char *published;
    igmopt_trial *t;
    sweep s;
    sweep_open(&s, "{\"seed\": 3}");
    run_mixed(&s, 12, xs);
    t = ask(&s);
    suggest(t, "x", -5, 10, 0);
    assert_int_equal(t->relative.count, 4);
    assert_string_equal(t->relative.items[0].name, "c"); /* sorted by name */
    assert_string_equal(t->relative.items[3].name, "y");
    igmopt_trial_free(t);
    {
        const igm_frozen_trial *stored;
        json_t *chunk, *params;
        assert_int_equal(igm_study_find_trial(s.study, 12, &stored), IGMOPT_OK);
        published = igm_attr_list_get(&stored->system_attrs, "tpe:relative_params:0");
        assert_non_null(published); /* a JSON string holding the JSON object */
        chunk = json_loads(published, JSON_DECODE_ANY, NULL);
        assert_true(json_is_string(chunk));
        params = json_loads(json_string_value(chunk), 0, NULL);
        assert_int_equal(json_object_size(params), 4);
        assert_true(json_is_string(json_object_get(params, "c"))); /* external values */
        assert_true(json_is_integer(json_object_get(params, "k")));
        assert_true(json_is_real(json_object_get(params, "x")));
        json_decref(params);
        json_decref(chunk);
    }
    sweep_close(&s);
    sweep_open(&s, "{\"seed\": 3, \"multivariate\": false}");
    run_mixed(&s, 12, xs);
    t = ask(&s);
    suggest(t, "x", -5, 10, 0);
    assert_int_equal(t->relative.count, 0);
    igmopt_trial_free(t);
    sweep_close(&s);
}

/* Groups: x always, y and z in alternate trials, so [{x}, {y}, {z}] and
 * each drawn by its own estimator. */
static void group_mode_draws_each_group(void **state)
{
    igmopt_trial *t;
    sweep s;
    sweep_open(&s, "{\"seed\": 6, \"group\": true}");
    for (size_t i = 0; i < 14; i++) {
        double x;
        t = ask(&s);
        x = suggest(&*t, "x", 0, 1, 0);
        x += suggest(t, i % 2 ? "y" : "z", 0, 1, 0);
        tell(&s, t, x);
    }
    t = ask(&s);
    suggest(t, "x", 0, 1, 0);
    assert_int_equal(t->relative.count, 3);
    assert_string_equal(t->relative.items[0].name, "x");
    assert_string_equal(t->relative.items[1].name, "z"); /* {z} first seen before {y} */
    assert_string_equal(t->relative.items[2].name, "y");
    igmopt_trial_free(t);
    sweep_close(&s);
}

/* Running trials of another handle at x = 0.5 (constant liar) push the
 * draws of this handle away from 0.5; without it they come close. */
static double mean_distance_to_running(int liar)
{
    igmopt_study *other;
    igmopt_trial *running[5];
    double sum = 0;
    char kwargs[96];
    sweep s;
    snprintf(kwargs, sizeof kwargs, "{\"seed\": 8, \"constant_liar\": %s}",
             liar ? "true" : "false");
    sweep_open(&s, kwargs);
    for (size_t i = 0; i < 20; i++) { /* the best values near x = 0.5 */
        igmopt_trial *t = ask(&s);
        double x = suggest(t, "x", 0, 1, 0);
        tell(&s, t, (x - 0.5) * (x - 0.5));
    }
    assert_int_equal(igmopt_study_load(&other, s.st, "s", NULL, NULL), IGMOPT_OK);
    for (size_t i = 0; i < 5; i++) {
        double x;
        assert_int_equal(igmopt_study_enqueue(other, "{\"x\": 0.5}"), IGMOPT_OK);
        assert_int_equal(igmopt_study_ask(other, &running[i]), IGMOPT_OK);
        assert_int_equal(igmopt_trial_suggest_float(running[i], "x", 0, 1, 0, 0, &x), IGMOPT_OK);
        assert_true(x == 0.5);
    }
    for (size_t i = 0; i < 20; i++) {
        igmopt_trial *t = ask(&s);
        sum += fabs(suggest(t, "x", 0, 1, 0) - 0.5);
        assert_int_equal(igmopt_study_tell(s.study, t, IGMOPT_FAIL, NULL, 0), IGMOPT_OK);
        igmopt_trial_free(t);
    }
    for (size_t i = 0; i < 5; i++)
        igmopt_trial_free(running[i]);
    igmopt_study_close(other);
    sweep_close(&s);
    return sum / 20;
}

static void constant_liar_pushes_draws_away_from_running_trials(void **state)
{
    double with = mean_distance_to_running(1), without = mean_distance_to_running(0);
    assert_true(with > 2 * without);
}

/* A RUNNING trial counts with the relative params its worker published
 * even before it stores them as params. */
static void published_relative_params_are_observations(void **state)
{
    const char *names[] = {"x", "y"};
    igm_distribution *d = float_dist(0, 1, 0, 0);
    const igm_distribution *dists[2] = {d, d};
    igm_search_space space = {names, dists, 2};
    igm_arena arena = IGM_ARENA_INIT;
    igmopt_trial *t, *current;
    tpe_observations o;
    tpe_model m;
    sweep s;
    sweep_open(&s, "{\"seed\": 1}");
    for (size_t i = 0; i < 3; i++) {
        t = ask(&s);
        tell(&s, t, suggest(t, "x", 0, 1, 0) + suggest(t, "y", 0, 1, 0));
    }
    t = ask(&s);
    suggest(t, "x", 0, 1, 0); /* x stored; y only published */
    assert_int_equal(igm_study_set_trial_system_attr(s.study, t->record,
                                                     "tpe:relative_params:0",
                                                     "\"{\\\"x\\\": 0.25, \\\"\""),
                     IGMOPT_OK);
    assert_int_equal(igm_study_set_trial_system_attr(s.study, t->record,
                                                     "tpe:relative_params:1",
                                                     "\"y\\\": 0.75}\""),
                     IGMOPT_OK);
    current = ask(&s);
    assert_int_equal(tpe_model_collect(&m, s.study, current->record, 1, &arena), IGMOPT_OK);
    assert_int_equal(m.n, 4);
    assert_int_equal(m.n_finished, 3);
    assert_true(m.trials[3].running);
    assert_int_equal(tpe_split(m.trials, m.n, 1, s.study->directions, 1), IGMOPT_OK);
    assert_int_equal(tpe_observations_collect(&m, &space, &arena, &o), IGMOPT_OK);
    assert_int_equal(o.n[TPE_SIDE_BELOW] + o.n[TPE_SIDE_ABOVE], 4);
    assert_true(o.rows[TPE_SIDE_ABOVE][2 * (o.n[TPE_SIDE_ABOVE] - 1) + 1] == 0.75);
    tpe_model_free(&m);
    igm_arena_free(&arena);
    igmopt_trial_free(t);
    igmopt_trial_free(current);
    sweep_close(&s);
    igm_distribution_free(d);
}

/* Univariate TPE (not random) for a parameter outside the joint space:
 * after startup a new parameter's draws follow its good values. */
static void new_parameters_after_startup_use_univariate_tpe(void **state)
{
    double near = 0;
    sweep s;
    sweep_open(&s, "{\"seed\": 12, \"n_startup_trials\": 5}");
    for (size_t i = 0; i < 40; i++) {
        igmopt_trial *t = ask(&s);
        double x = suggest(t, "x", 0, 1, 0), z = 0;
        if (i >= 5)
            z = suggest(t, "z", 0, 1, 0); /* appears only after startup */
        if (i >= 20)
            near += fabs(z - 0.8) < 0.15;
        tell(&s, t, fabs(x - 0.3) + (i >= 5 ? fabs(z - 0.8) : 1));
    }
    sweep_close(&s);
    assert_true(near >= 10); /* random: about 6 of 20 */
}

static void pruned_trials_and_history_survive_a_new_handle(void **state)
{
    double a, b;
    igmopt_study *second;
    igmopt_sampler *sampler;
    igmopt_trial *t;
    sweep s;
    sweep_open(&s, "{\"seed\": 5}");
    for (size_t i = 0; i < 15; i++) {
        t = ask(&s);
        double x = suggest(t, "x", 0, 1, 0);
        if (i % 3 == 0) {
            assert_int_equal(igmopt_trial_report(t, 1, x), IGMOPT_OK);
            assert_int_equal(igmopt_study_tell(s.study, t, IGMOPT_PRUNED, NULL, 0), IGMOPT_OK);
            igmopt_trial_free(t);
        } else {
            tell(&s, t, x);
        }
    }
    /* a restarted process (new handle, same seed) continues the same way */
    assert_int_equal(igmopt_sampler_new(&sampler, "TPESampler", "{\"seed\": 77}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_load(&second, s.st, "s", sampler, NULL), IGMOPT_OK);
    assert_int_equal(igmopt_study_ask(second, &t), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &a), IGMOPT_OK);
    assert_int_equal(igmopt_study_tell(second, t, IGMOPT_FAIL, NULL, 0), IGMOPT_OK);
    igmopt_trial_free(t);
    igmopt_study_close(second);
    igmopt_sampler_free(sampler);
    assert_int_equal(igmopt_sampler_new(&sampler, "TPESampler", "{\"seed\": 77}"), IGMOPT_OK);
    assert_int_equal(igmopt_study_load(&second, s.st, "s", sampler, NULL), IGMOPT_OK);
    assert_int_equal(igmopt_study_ask(second, &t), IGMOPT_OK);
    assert_int_equal(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &b), IGMOPT_OK);
    igmopt_trial_free(t);
    igmopt_study_close(second);
    igmopt_sampler_free(sampler);
    sweep_close(&s);
    assert_true(a == b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gamma_presets_match_optuna),
        cmocka_unit_test(default_weights_ramp_the_oldest),
        cmocka_unit_test(every_documented_kwarg_is_accepted),
        cmocka_unit_test(bad_kwargs_are_einval_naming_them),
        cmocka_unit_test(tpe_is_the_default_sampler),
        cmocka_unit_test(bandwidths_of_three_floats),
        cmocka_unit_test(float_log_pdf_matches_the_formula),
        cmocka_unit_test(log_int_is_a_discrete_mass_in_log_space),
        cmocka_unit_test(categorical_rows_spread_the_prior),
        cmocka_unit_test(mixed_space_densities),
        cmocka_unit_test(skipping_components_changes_nothing),
        cmocka_unit_test(samples_lie_on_the_grid_inside_the_bounds),
        cmocka_unit_test(normal_routines_match_optunas),
        cmocka_unit_test(split_single_objective_order),
        cmocka_unit_test(split_fills_from_pruned_then_infeasible),
        cmocka_unit_test(split_multi_objective_with_infinities),
        cmocka_unit_test(split_multi_objective_breaks_a_front_by_hypervolume),
        cmocka_unit_test(constraint_violation_from_system_attrs),
        cmocka_unit_test(group_decomposition_splits_shared_names),
        cmocka_unit_test(intersection_keeps_equal_distributions_sorted),
        cmocka_unit_test(same_seed_same_parameters_in_memory_and_sqlite),
        cmocka_unit_test(startup_trials_are_random_samplers),
        cmocka_unit_test(tpe_finds_branins_minimum),
        cmocka_unit_test(infinite_values_are_sampled_through),
        cmocka_unit_test(equal_or_infeasible_studies_still_sample),
        cmocka_unit_test(multivariate_draws_jointly_and_publishes),
        cmocka_unit_test(group_mode_draws_each_group),
        cmocka_unit_test(constant_liar_pushes_draws_away_from_running_trials),
        cmocka_unit_test(published_relative_params_are_observations),
        cmocka_unit_test(new_parameters_after_startup_use_univariate_tpe),
        cmocka_unit_test(pruned_trials_and_history_survive_a_new_handle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
