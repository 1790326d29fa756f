/* The C side of the heartbeat interop test (test_heartbeat.py):
 *   c_heartbeat URL STUDY beat N      starts N trials, beats for each, prints
 *                                     {"numbers": [...]} (the trials stay RUNNING)
 *   c_heartbeat URL STUDY fail GRACE  igmopt_study_fail_stale_trials, prints
 *                                     {"failed": [...]} */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interop_util.h"

static igmopt_study *open_study(igmopt_storage *st, const char *name, igmopt_sampler *s)
{
    igmopt_study *study;
    const igmopt_direction dir = IGMOPT_MINIMIZE;
    CHECK(igmopt_study_create(&study, st, name, &dir, 1, s, NULL, 1));
    return study;
}

static void beat(igmopt_study *study, int n)
{
    printf("{\"numbers\": [");
    for (int i = 0; i < n; i++) {
        igmopt_trial *t;
        CHECK(igmopt_study_ask(study, &t));
        CHECK(igmopt_trial_heartbeat(t));
        printf("%s%lld", i ? ", " : "", (long long)igmopt_trial_number(t));
        igmopt_trial_free(t);
    }
    printf("]}\n");
}

static void fail_stale(igmopt_study *study, double grace)
{
    char *numbers;
    CHECK(igmopt_study_fail_stale_trials(study, grace, &numbers));
    printf("{\"failed\": %s}\n", numbers);
    igmopt_free(numbers);
}

int main(int argc, char **argv)
{
    igmopt_storage *st;
    igmopt_sampler *s;
    igmopt_study *study;
    if (argc != 5 || (strcmp(argv[3], "beat") != 0 && strcmp(argv[3], "fail") != 0)) {
        fprintf(stderr, "usage: c_heartbeat URL STUDY beat N | fail GRACE\n");
        return 2;
    }
    CHECK(igmopt_storage_open(&st, argv[1]));
    CHECK(igmopt_sampler_new(&s, "RandomSampler", "{\"seed\": 1}"));
    study = open_study(st, argv[2], s);
    if (strcmp(argv[3], "beat") == 0)
        beat(study, atoi(argv[4]));
    else
        fail_stale(study, atof(argv[4]));
    igmopt_study_close(study);
    igmopt_sampler_free(s);
    igmopt_storage_close(st);
    return 0;
}
