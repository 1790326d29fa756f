/* Shared by the interop programs (see the header). */
#include "interop_util.h"

#include <stdio.h>
#include <stdlib.h>

void check_rc(int rc, const char *what, const char *file, int line)
{
    if (rc == IGMOPT_OK)
        return;
    fprintf(stderr, "%s:%d: %s returned %d: %s\n", file, line, what, rc, igmopt_errmsg());
    exit(1);
}

void suggest_every_kind(igmopt_trial *t)
{
    double x;
    int64_t n;
    size_t c;
    CHECK(igmopt_trial_suggest_float(t, "x", -5, 5, 0, 0, &x));
    CHECK(igmopt_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0, 1, &x));
    CHECK(igmopt_trial_suggest_float(t, "dx", 0, 1, 0.25, 0, &x));
    CHECK(igmopt_trial_suggest_float(t, "q", 0, 1, 0.3, 0, &x)); /* high becomes 0.9 */
    CHECK(igmopt_trial_suggest_int(t, "n", 0, 10, 1, 0, &n));
    CHECK(igmopt_trial_suggest_int(t, "k", 1, 1024, 1, 1, &n));
    CHECK(igmopt_trial_suggest_int(t, "m", 0, 100, 5, 0, &n));
    CHECK(igmopt_trial_suggest_categorical(t, "c", INTEROP_CHOICES, &c));
}

void suggest_multi_space(igmopt_trial *t)
{
    double x;
    size_t c;
    CHECK(igmopt_trial_suggest_float(t, "x", -1, 1, 0, 0, &x));
    CHECK(igmopt_trial_suggest_categorical(t, "c", "[\"a\", \"b\", 3]", &c));
}

static void print_study(igmopt_storage *st, const char *name)
{
    igmopt_study *study;
    char *trials, *best;
    CHECK(igmopt_study_load(&study, st, name, NULL, NULL));
    CHECK(igmopt_study_trials_json(study, &trials));
    CHECK(igmopt_study_best_trials_json(study, &best));
    printf("\"%s\": {\"trials\": %s, \"best\": %s}", name, trials, best);
    igmopt_free(trials);
    igmopt_free(best);
    igmopt_study_close(study);
}

void print_studies(igmopt_storage *st, const char *const *names, size_t n)
{
    char *all_names;
    CHECK(igmopt_study_names_json(st, &all_names));
    printf("{\"names\": %s, \"studies\": {", all_names);
    igmopt_free(all_names);
    for (size_t i = 0; i < n; i++) {
        if (i)
            printf(", ");
        print_study(st, names[i]);
    }
    printf("}}\n");
}
