/* Continues (or starts) a study with a seeded sampler, for
 * test_tpe_continue.py.  Public API only.
 *
 *   c_tpe_continue <url> <study> <create|load> <single|multi> <sampler> <seed> <k>
 *                  [<running>]
 *
 * create: a new study (one objective, minimize; or two, minimize both);
 * load: an existing one, by name.  The sampler class (e.g. TPESampler,
 * RandomSampler) gets {"seed": seed}.  k ask/suggest/tell rounds on the
 * Branin space below, then <running> more trials asked and suggested but
 * left RUNNING (default 0).  Prints
 *   {"ran": [numbers told], "running": [numbers left], "trials": [every trial]}
 *
 * The space and objectives are those of test_tpe_continue.py:
 *   x in [-5, 10], y in [0, 15] (floats), n in [0, 10] (int),
 *   c in ["a", "b", 3] (categorical);
 *   f1 = branin(x, y) + 0.5 |n - 3| + (c == "b" ? 0 : 1)
 *   f2 = (x - 2)^2 + (y - 3)^2 / 4 + 0.5 |n - 7| + (c == 3 ? 0 : 1)  (multi only) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interop_util.h"

#define CHOICES "[\"a\", \"b\", 3]"

static double branin(double x, double y)
{
    const double pi = 3.14159265358979323846;
    double b = 5.1 / (4.0 * pi * pi), c = 5.0 / pi, s = 10.0, t = 1.0 / (8.0 * pi);
    double u = y - b * x * x + c * x - 6.0;
    return u * u + s * (1.0 - t) * cos(x) + s;
}

/* Suggests the four parameters of one trial and fills both objectives. */
static void suggest_and_score(igmopt_trial *t, double values[2])
{
    double x, y;
    int64_t n;
    size_t c;
    CHECK(igmopt_trial_suggest_float(t, "x", -5, 10, 0, 0, &x));
    CHECK(igmopt_trial_suggest_float(t, "y", 0, 15, 0, 0, &y));
    CHECK(igmopt_trial_suggest_int(t, "n", 0, 10, 1, 0, &n));
    CHECK(igmopt_trial_suggest_categorical(t, "c", CHOICES, &c));
    values[0] = branin(x, y) + 0.5 * fabs((double)(n - 3)) + (c == 1 ? 0.0 : 1.0);
    values[1] = (x - 2) * (x - 2) + (y - 3) * (y - 3) / 4 + 0.5 * fabs((double)(n - 7)) +
                (c == 2 ? 0.0 : 1.0);
}

static void print_numbers(const int64_t *numbers, int n)
{
    printf("[");
    for (int i = 0; i < n; i++)
        printf("%s%lld", i ? ", " : "", (long long)numbers[i]);
    printf("]");
}

int main(int argc, char **argv)
{
    igmopt_storage *st;
    igmopt_sampler *sampler;
    igmopt_study *study;
    igmopt_direction directions[2] = {IGMOPT_MINIMIZE, IGMOPT_MINIMIZE};
    char options[64], *trials;
    int create, multi, k, running;
    int64_t *ran, *left;

    if (argc != 8 && argc != 9) {
        fprintf(stderr,
                "usage: %s <url> <study> <create|load> <single|multi> <sampler> <seed> <k> "
                "[<running>]\n",
                argv[0]);
        return 2;
    }
    create = strcmp(argv[3], "create") == 0;
    multi = strcmp(argv[4], "multi") == 0;
    k = atoi(argv[7]);
    running = argc == 9 ? atoi(argv[8]) : 0;
    if ((!create && strcmp(argv[3], "load") != 0) || (!multi && strcmp(argv[4], "single") != 0) ||
        k < 0 || running < 0) {
        fprintf(stderr, "%s: bad arguments\n", argv[0]);
        return 2;
    }
    snprintf(options, sizeof options, "{\"seed\": %s}", argv[6]);

    CHECK(igmopt_storage_open(&st, argv[1]));
    CHECK(igmopt_sampler_new(&sampler, argv[5], options));
    if (create)
        CHECK(igmopt_study_create(&study, st, argv[2], directions, multi ? 2 : 1, sampler, NULL,
                                  0));
    else
        CHECK(igmopt_study_load(&study, st, argv[2], sampler, NULL));
    igmopt_sampler_free(sampler);

    ran = calloc((size_t)k + 1, sizeof *ran);
    left = calloc((size_t)running + 1, sizeof *left);
    if (!ran || !left) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < k; i++) {
        igmopt_trial *t;
        double values[2];
        CHECK(igmopt_study_ask(study, &t));
        suggest_and_score(t, values);
        ran[i] = igmopt_trial_number(t);
        CHECK(igmopt_study_tell(study, t, IGMOPT_COMPLETE, values, multi ? 2 : 1));
        igmopt_trial_free(t);
    }
    for (int i = 0; i < running; i++) {
        igmopt_trial *t;
        double values[2];
        CHECK(igmopt_study_ask(study, &t));
        suggest_and_score(t, values);
        left[i] = igmopt_trial_number(t);
        igmopt_trial_free(t); /* no tell: the trial stays RUNNING in the storage */
    }

    CHECK(igmopt_study_trials_json(study, &trials));
    printf("{\"ran\": ");
    print_numbers(ran, k);
    printf(", \"running\": ");
    print_numbers(left, running);
    printf(", \"trials\": %s}\n", trials);
    igmopt_free(trials);
    free(ran);
    free(left);
    igmopt_study_close(study);
    igmopt_storage_close(st);
    return 0;
}
