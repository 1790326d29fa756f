/* The benchmark functions of bench/quality (formulas, domains and optima in
 * bench/quality/README.md).  Every parameter comes from a suggest call, so
 * the search space is the one the sampler sees; run_quality.py mirrors each
 * function with trial.suggest_* in the same order with the same names. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "functions.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Suggests x0 .. x(n-1), each a continuous float in [low, high]. */
static int suggest_box(igmopt_trial *t, size_t n, double low, double high, double *x)
{
    char name[16];
    int rc = IGMOPT_OK;
    for (size_t i = 0; i < n && rc == IGMOPT_OK; i++) {
        snprintf(name, sizeof name, "x%zu", i);
        rc = igmopt_trial_suggest_float(t, name, low, high, 0.0, 0, &x[i]);
    }
    return rc;
}

/* Branin-Hoo, x in [-5, 10], y in [0, 15]; minimum 0.397887 at three points. */
static int branin(igmopt_trial *t, double *values)
{
    const double b = 5.1 / (4.0 * M_PI * M_PI), c = 5.0 / M_PI, s = 10.0;
    const double r = 6.0, tt = 1.0 / (8.0 * M_PI);
    double x, y, u;
    int rc;
    if ((rc = igmopt_trial_suggest_float(t, "x", -5.0, 10.0, 0.0, 0, &x)) ||
        (rc = igmopt_trial_suggest_float(t, "y", 0.0, 15.0, 0.0, 0, &y)))
        return rc;
    u = y - b * x * x + c * x - r;
    values[0] = u * u + s * (1.0 - tt) * cos(x) + s;
    return IGMOPT_OK;
}

/* Hartmann 6-D on [0, 1]^6; minimum -3.32237 (Surjanovic & Bingham's
 * constants, the ones every BO paper uses). */
static int hartmann6(igmopt_trial *t, double *values)
{
    static const double alpha[4] = {1.0, 1.2, 3.0, 3.2};
    static const double a[4][6] = {{10, 3, 17, 3.5, 1.7, 8},
                                   {0.05, 10, 17, 0.1, 8, 14},
                                   {3, 3.5, 1.7, 10, 17, 8},
                                   {17, 8, 0.05, 10, 0.1, 14}};
    static const double p[4][6] = {{1312, 1696, 5569, 124, 8283, 5886},
                                   {2329, 4135, 8307, 3736, 1004, 9991},
                                   {2348, 1451, 3522, 2883, 3047, 6650},
                                   {4047, 8828, 8732, 5743, 1091, 381}};
    double x[6], sum = 0.0;
    int rc = suggest_box(t, 6, 0.0, 1.0, x);
    if (rc)
        return rc;
    for (int i = 0; i < 4; i++) {
        double inner = 0.0;
        for (int j = 0; j < 6; j++) {
            double d = x[j] - p[i][j] * 1e-4;
            inner += a[i][j] * d * d;
        }
        sum += alpha[i] * exp(-inner);
    }
    values[0] = -sum;
    return IGMOPT_OK;
}

/* Rosenbrock 10-D on [-5, 10]^10; minimum 0 at (1, ..., 1). */
static int rosenbrock10(igmopt_trial *t, double *values)
{
    double x[10], sum = 0.0;
    int rc = suggest_box(t, 10, -5.0, 10.0, x);
    if (rc)
        return rc;
    for (int i = 0; i < 9; i++) {
        double u = x[i + 1] - x[i] * x[i], v = 1.0 - x[i];
        sum += 100.0 * u * u + v * v;
    }
    values[0] = sum;
    return IGMOPT_OK;
}

/* A hyperparameter-like mixed space: log float, stepped int, 4-way
 * categorical, stepped float.  Separable, minimum 0 at lr = 1e-3,
 * n_units = 16, optimizer = "adam", dropout = 0.2 (all on the grids). */
static int mixed(igmopt_trial *t, double *values)
{
    static const double penalty[4] = {0.0, 0.5, 1.0, 2.0};
    double lr, dropout, u, v, w;
    int64_t n_units;
    size_t optimizer;
    int rc;
    if ((rc = igmopt_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0.0, 1, &lr)) ||
        (rc = igmopt_trial_suggest_int(t, "n_units", 4, 64, 4, 0, &n_units)) ||
        (rc = igmopt_trial_suggest_categorical(
             t, "optimizer", "[\"adam\", \"rmsprop\", \"sgd\", \"adagrad\"]", &optimizer)) ||
        (rc = igmopt_trial_suggest_float(t, "dropout", 0.0, 0.5, 0.05, 0, &dropout)))
        return rc;
    u = log10(lr) + 3.0;
    v = ((double)n_units - 16.0) / 8.0;
    w = dropout - 0.2;
    values[0] = u * u + v * v + penalty[optimizer] + 10.0 * w * w;
    return IGMOPT_OK;
}

/* ZDT g(x) = 1 + 9 * mean(x1 .. x(n-1)); 1 on the true front. */
static double zdt_g(const double *x, size_t n)
{
    double sum = 0.0;
    for (size_t i = 1; i < n; i++)
        sum += x[i];
    return 1.0 + 9.0 * sum / (double)(n - 1);
}

/* ZDT1, 10-D on [0, 1]^10: f1 = x0, f2 = g (1 - sqrt(f1 / g)); convex front
 * f2 = 1 - sqrt(f1). */
static int zdt1(igmopt_trial *t, double *values)
{
    double x[10], g;
    int rc = suggest_box(t, 10, 0.0, 1.0, x);
    if (rc)
        return rc;
    g = zdt_g(x, 10);
    values[0] = x[0];
    values[1] = g * (1.0 - sqrt(x[0] / g));
    return IGMOPT_OK;
}

/* ZDT2, 10-D on [0, 1]^10: f2 = g (1 - (f1 / g)^2); concave front
 * f2 = 1 - f1^2. */
static int zdt2(igmopt_trial *t, double *values)
{
    double x[10], g, r;
    int rc = suggest_box(t, 10, 0.0, 1.0, x);
    if (rc)
        return rc;
    g = zdt_g(x, 10);
    r = x[0] / g;
    values[0] = x[0];
    values[1] = g * (1.0 - r * r);
    return IGMOPT_OK;
}

/* DTLZ2 with M = 3 objectives and n = 12 variables (k = n - M + 1 = 10,
 * Deb et al.'s standard) on [0, 1]^12; the front is the positive octant of
 * the unit sphere (g = 0: x2 .. x11 = 0.5). */
static int dtlz2(igmopt_trial *t, double *values)
{
    double x[12], g = 0.0, a, b;
    int rc = suggest_box(t, 12, 0.0, 1.0, x);
    if (rc)
        return rc;
    for (int i = 2; i < 12; i++)
        g += (x[i] - 0.5) * (x[i] - 0.5);
    a = x[0] * M_PI / 2.0;
    b = x[1] * M_PI / 2.0;
    values[0] = (1.0 + g) * cos(a) * cos(b);
    values[1] = (1.0 + g) * cos(a) * sin(b);
    values[2] = (1.0 + g) * sin(a);
    return IGMOPT_OK;
}

/* hv_max: the box volume minus the part of it the true front leaves
 * undominated: ZDT1 1.1 * 11 - 1/3, ZDT2 1.1 * 11 - 2/3, DTLZ2
 * 1.1^3 - pi / 6 (an eighth of the unit ball). */
const quality_function quality_functions[] = {
    {"branin", "Branin 2-D, x in [-5,10], y in [0,15]", 1, 0.397887357729738, {0}, 0, branin},
    {"hartmann6", "Hartmann 6-D in [0,1]^6", 1, -3.32236801141551, {0}, 0, hartmann6},
    {"rosenbrock10", "Rosenbrock 10-D in [-5,10]^10", 1, 0.0, {0}, 0, rosenbrock10},
    {"mixed", "log float, stepped int, 4-way categorical, stepped float", 1, 0.0, {0}, 0,
     mixed},
    {"zdt1", "ZDT1 10-D in [0,1]^10, 2 objectives", 2, 0, {1.1, 11.0}, 12.1 - 1.0 / 3.0, zdt1},
    {"zdt2", "ZDT2 10-D in [0,1]^10, 2 objectives", 2, 0, {1.1, 11.0}, 12.1 - 2.0 / 3.0, zdt2},
    {"dtlz2", "DTLZ2 12-D in [0,1]^12, 3 objectives", 3, 0, {1.1, 1.1, 1.1},
     1.331 - M_PI / 6.0, dtlz2},
};

const size_t quality_n_functions = sizeof quality_functions / sizeof *quality_functions;

const quality_function *quality_function_find(const char *name)
{
    for (size_t i = 0; i < quality_n_functions; i++)
        if (strcmp(quality_functions[i].name, name) == 0)
            return &quality_functions[i];
    return NULL;
}
