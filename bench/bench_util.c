#include "bench_util.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

int bench_user_trial(igmopt_study *study, const char **failed_call)
{
    igmopt_trial *t;
    double x, lr, value;
    int64_t n;
    int rc = igmopt_study_ask(study, &t);
    if (rc) {
        *failed_call = "ask";
        return rc;
    }
    if ((rc = igmopt_trial_suggest_float(t, "x", -10.0, 10.0, 0.0, 0, &x)) ||
        (rc = igmopt_trial_suggest_float(t, "lr", 1e-5, 1e-1, 0.0, 1, &lr)) ||
        (rc = igmopt_trial_suggest_int(t, "n", 1, 100, 1, 0, &n))) {
        igmopt_trial_free(t);
        *failed_call = "suggest";
        return rc;
    }
    value = (x - 2.0) * (x - 2.0) + fabs(log10(lr) + 3.0) + (double)n / 100.0;
    rc = igmopt_study_tell(study, t, IGMOPT_COMPLETE, &value, 1);
    igmopt_trial_free(t);
    *failed_call = "tell";
    return rc;
}

int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_remove_db(const char *dir, const char *db)
{
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    char path[4400];
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
}
