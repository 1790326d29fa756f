/* The smallest complete libigmopt program: an ask/tell study of the Branin
 * function stored in an Optuna-compatible SQLite file, then the best trial.
 *   quickstart [storage-url]      (default sqlite:///quickstart.db) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <igmopt/igmopt.h>

static double branin(double x, double y)
{
    const double a = 1, b = 5.1 / (4 * M_PI * M_PI), c = 5 / M_PI, r = 6, s = 10,
                 t = 1 / (8 * M_PI);
    return a * pow(y - b * x * x + c * x - r, 2) + s * (1 - t) * cos(x) + s;
}

static int fail(const char *what)
{
    fprintf(stderr, "quickstart: %s: %s\n", what, igmopt_errmsg());
    return 1;
}

static int run_trial(igmopt_study *study)
{
    igmopt_trial *trial;
    double x, y, value;
    if (igmopt_study_ask(study, &trial) != IGMOPT_OK)
        return fail("ask");
    if (igmopt_trial_suggest_float(trial, "x", -5, 10, 0, 0, &x) != IGMOPT_OK ||
        igmopt_trial_suggest_float(trial, "y", 0, 15, 0, 0, &y) != IGMOPT_OK) {
        igmopt_trial_free(trial);
        return fail("suggest");
    }
    value = branin(x, y);
    if (igmopt_study_tell(study, trial, IGMOPT_COMPLETE, &value, 1) != IGMOPT_OK) {
        igmopt_trial_free(trial);
        return fail("tell");
    }
    igmopt_trial_free(trial);
    return 0;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite:///quickstart.db";
    const igmopt_direction minimize = IGMOPT_MINIMIZE;
    igmopt_storage *storage = NULL;
    igmopt_sampler *sampler = NULL;
    igmopt_study *study = NULL;
    char *best = NULL;
    int status = 1;

    if (igmopt_storage_open(&storage, url) != IGMOPT_OK) {
        fail(url);
        goto done;
    }
    if (igmopt_sampler_new(&sampler, "RandomSampler", "{\"seed\": 42}") != IGMOPT_OK ||
        igmopt_study_create(&study, storage, "branin", &minimize, 1, sampler, NULL, 1) !=
            IGMOPT_OK) {
        fail("study");
        goto done;
    }
    for (int i = 0; i < 100; i++)
        if (run_trial(study) != 0)
            goto done;
    if (igmopt_study_best_trials_json(study, &best) != IGMOPT_OK) {
        fail("best trial");
        goto done;
    }
    printf("best trial of study 'branin' in %s:\n%s\n", url, best);
    status = 0;
done:
    igmopt_free(best);
    igmopt_study_close(study);
    igmopt_sampler_free(sampler);
    igmopt_storage_close(storage);
    return status;
}
