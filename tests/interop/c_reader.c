/* Reads (and continues) studies Optuna wrote, for test_optuna_writes.py.
 *
 *   c_reader <url> dump <study>...             prints the studies
 *   c_reader <url> continue <study> <n>         n ask/tell rounds, then prints it
 *
 * Continuing uses the shared search spaces (interop_util.h): "single*"
 * studies get every_kind with value 100 + i, "multi" gets (i, -i). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interop_util.h"

static void continue_study(igmopt_storage *st, const char *name, int rounds)
{
    igmopt_sampler *sampler;
    igmopt_study *study;
    int multi = strcmp(name, "multi") == 0;
    CHECK(igmopt_sampler_new(&sampler, "RandomSampler", "{\"seed\": 11}"));
    CHECK(igmopt_study_load(&study, st, name, sampler, NULL));
    igmopt_sampler_free(sampler);
    for (int i = 0; i < rounds; i++) {
        igmopt_trial *t;
        double values[2] = {100.0 + i, -100.0 - i};
        CHECK(igmopt_study_ask(study, &t));
        if (multi)
            suggest_multi_space(t);
        else
            suggest_every_kind(t);
        CHECK(igmopt_study_tell(study, t, IGMOPT_COMPLETE, values, multi ? 2 : 1));
        igmopt_trial_free(t);
    }
    igmopt_study_close(study);
}

int main(int argc, char **argv)
{
    igmopt_storage *st;
    int dump = argc >= 3 && strcmp(argv[2], "dump") == 0;
    int cont = argc == 5 && strcmp(argv[2], "continue") == 0;
    if (!dump && !cont) {
        fprintf(stderr, "usage: %s <url> dump <study>... | %s <url> continue <study> <n>\n",
                argv[0], argv[0]);
        return 2;
    }
    CHECK(igmopt_storage_open(&st, argv[1]));
    if (cont) {
        continue_study(st, argv[3], atoi(argv[4]));
        print_studies(st, (const char *const *)&argv[3], 1);
    } else {
        print_studies(st, (const char *const *)&argv[3], (size_t)(argc - 3));
    }
    igmopt_storage_close(st);
    return 0;
}
