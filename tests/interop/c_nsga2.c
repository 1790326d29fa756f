/* Runs NSGAIISampler on a study, for test_nsga2_interop.py.  Public API only.
 *
 *   c_nsga2 <url> <study> <create|load> <mixed|dtlz2> <population> <seed> <k> [<running>]
 *
 * create: a new study; load: an existing one.  NSGAIISampler gets
 * {"population_size": population, "seed": seed}.  k ask/suggest/tell
 * rounds, then <running> trials asked and suggested but left RUNNING.
 * Prints {"ran": [numbers told], "trials": [every trial]}.
 *
 * mixed (two objectives, minimised): x in [0, 1], y in [-2, 2] step 0.5,
 * lr in [1e-3, 1] log, n in [0, 10] int, c in ["a", "b", 3];
 *   f1 = x + 0.1 |n - 3| + (c == "a" ? 0 : 0.5) + y^2 / 8 + |ln lr| / 10
 *   f2 = 1 - sqrt(x) + 0.1 |n - 7| + (c == 3 ? 0 : 0.5) + (y - 1)^2 / 8
 * dtlz2 (three objectives, minimised): x0..x11 in [0, 1], DTLZ2. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interop_util.h"

static void mixed(igmopt_trial *t, double *values)
{
    double x, y, lr;
    int64_t n;
    size_t c;
    CHECK(igmopt_trial_suggest_float(t, "x", 0, 1, 0, 0, &x));
    CHECK(igmopt_trial_suggest_float(t, "y", -2, 2, 0.5, 0, &y));
    CHECK(igmopt_trial_suggest_float(t, "lr", 1e-3, 1, 0, 1, &lr));
    CHECK(igmopt_trial_suggest_int(t, "n", 0, 10, 1, 0, &n));
    CHECK(igmopt_trial_suggest_categorical(t, "c", "[\"a\", \"b\", 3]", &c));
    values[0] = x + 0.1 * fabs((double)(n - 3)) + (c == 0 ? 0 : 0.5) + y * y / 8 +
                fabs(log(lr)) / 10;
    values[1] = 1 - sqrt(x) + 0.1 * fabs((double)(n - 7)) + (c == 2 ? 0 : 0.5) +
                (y - 1) * (y - 1) / 8;
}

static void dtlz2(igmopt_trial *t, double *values)
{
    const double half_pi = 1.57079632679489661923;
    double x[12], g = 0;
    for (int i = 0; i < 12; i++) {
        char name[8];
        snprintf(name, sizeof name, "x%d", i);
        CHECK(igmopt_trial_suggest_float(t, name, 0, 1, 0, 0, &x[i]));
    }
    for (int i = 2; i < 12; i++)
        g += (x[i] - 0.5) * (x[i] - 0.5);
    values[0] = (1 + g) * cos(x[0] * half_pi) * cos(x[1] * half_pi);
    values[1] = (1 + g) * cos(x[0] * half_pi) * sin(x[1] * half_pi);
    values[2] = (1 + g) * sin(x[0] * half_pi);
}

int main(int argc, char **argv)
{
    igmopt_direction dirs[3] = {IGMOPT_MINIMIZE, IGMOPT_MINIMIZE, IGMOPT_MINIMIZE};
    igmopt_storage *st;
    igmopt_sampler *sampler;
    igmopt_study *study;
    char options[96], *trials;
    int create, is_dtlz2, k, running;
    size_t m;

    if (argc != 8 && argc != 9) {
        fprintf(stderr, "usage: %s <url> <study> <create|load> <mixed|dtlz2> <population> "
                "<seed> <k> [<running>]\n", argv[0]);
        return 2;
    }
    create = strcmp(argv[3], "create") == 0;
    is_dtlz2 = strcmp(argv[4], "dtlz2") == 0;
    m = is_dtlz2 ? 3 : 2;
    k = atoi(argv[7]);
    running = argc == 9 ? atoi(argv[8]) : 0;
    snprintf(options, sizeof options, "{\"population_size\": %d, \"seed\": %s}", atoi(argv[5]),
             argv[6]);
    CHECK(igmopt_storage_open(&st, argv[1]));
    CHECK(igmopt_sampler_new(&sampler, "NSGAIISampler", options));
    if (create)
        CHECK(igmopt_study_create(&study, st, argv[2], dirs, m, sampler, NULL, 0));
    else
        CHECK(igmopt_study_load(&study, st, argv[2], sampler, NULL));
    igmopt_sampler_free(sampler);

    printf("{\"ran\": [");
    for (int i = 0; i < k + running; i++) {
        igmopt_trial *t;
        double values[3];
        CHECK(igmopt_study_ask(study, &t));
        (is_dtlz2 ? dtlz2 : mixed)(t, values);
        if (i < k) {
            printf("%s%lld", i ? ", " : "", (long long)igmopt_trial_number(t));
            CHECK(igmopt_study_tell(study, t, IGMOPT_COMPLETE, values, m));
        }
        igmopt_trial_free(t); /* without tell: left RUNNING */
    }
    CHECK(igmopt_study_trials_json(study, &trials));
    printf("], \"trials\": %s}\n", trials);
    igmopt_free(trials);
    igmopt_study_close(study);
    igmopt_storage_close(st);
    return 0;
}
