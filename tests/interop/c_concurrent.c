/* Many processes, one SQLite file: each of n_procs forked workers runs
 * n_trials ask/suggest/tell rounds on the study "concurrent" (created by
 * whichever worker comes first), then the parent prints the study.
 *
 *   c_concurrent <url> <n_procs> <n_trials>
 *
 * Exit status 1 when a worker failed; its error is on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "interop_util.h"

static const igmopt_direction MINIMIZE[] = {IGMOPT_MINIMIZE};

/* The value told is x itself, so the reader can check each trial. */
static void work(const char *url, int worker, int n_trials)
{
    igmopt_storage *st;
    igmopt_sampler *sampler;
    igmopt_study *study;
    char options[32];
    snprintf(options, sizeof options, "{\"seed\": %d}", worker);
    CHECK(igmopt_storage_open(&st, url));
    CHECK(igmopt_sampler_new(&sampler, "RandomSampler", options));
    CHECK(igmopt_study_create(&study, st, "concurrent", MINIMIZE, 1, sampler, NULL, 1));
    igmopt_sampler_free(sampler);
    for (int i = 0; i < n_trials; i++) {
        igmopt_trial *t;
        double x;
        CHECK(igmopt_study_ask(study, &t));
        CHECK(igmopt_trial_suggest_float(t, "x", -1, 1, 0, 0, &x));
        CHECK(igmopt_study_tell(study, t, IGMOPT_COMPLETE, &x, 1));
        igmopt_trial_free(t);
    }
    igmopt_study_close(study);
    igmopt_storage_close(st);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"concurrent"};
    igmopt_storage *st;
    int n_procs, n_trials, failed = 0;
    if (argc != 4 || (n_procs = atoi(argv[2])) < 1 || (n_trials = atoi(argv[3])) < 1) {
        fprintf(stderr, "usage: %s <url> <n_procs> <n_trials>\n", argv[0]);
        return 2;
    }
    for (int w = 0; w < n_procs; w++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            work(argv[1], w, n_trials);
            _exit(0);
        }
    }
    for (int w = 0; w < n_procs; w++) {
        int status;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    if (failed) {
        fprintf(stderr, "%d of %d workers failed\n", failed, n_procs);
        return 1;
    }
    CHECK(igmopt_storage_open(&st, argv[1]));
    print_studies(st, names, 1);
    igmopt_storage_close(st);
    return 0;
}
