/* A program outside the source tree: built against the installed header and
 * library only (through pkg-config), it must print
 * "igmopt 0.1.0: trial 0 COMPLETE n=3". */
#include <igmopt/igmopt.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    const igmopt_direction dir = IGMOPT_MINIMIZE;
    igmopt_storage *st;
    igmopt_study *study;
    igmopt_trial *t;
    int64_t n;
    double value = 1.0;
    char *json;
    int ok;
    if (igmopt_storage_open(&st, NULL) || igmopt_study_create(&study, st, "s", &dir, 1, NULL,
                                                             NULL, 0) ||
        igmopt_study_ask(study, &t) || igmopt_trial_suggest_int(t, "n", 3, 3, 1, 0, &n) ||
        igmopt_study_tell(study, t, IGMOPT_COMPLETE, &value, 1) ||
        igmopt_study_best_trials_json(study, &json)) {
        fprintf(stderr, "consumer: %s\n", igmopt_errmsg());
        return 1;
    }
    ok = strstr(json, "\"number\": 0, \"state\": \"COMPLETE\"") != NULL;
    printf("igmopt %s: trial %lld %s n=%lld\n", igmopt_version(),
           (long long)igmopt_trial_number(t), ok ? "COMPLETE" : "?", (long long)n);
    igmopt_free(json);
    igmopt_trial_free(t);
    igmopt_study_close(study);
    igmopt_storage_close(st);
    return 0;
}
