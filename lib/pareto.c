/* Best trials: the best COMPLETE trial for one objective, the Pareto front
 * (duplicates kept, as Optuna's best_trials) for several. */
#include <stdlib.h>

#include "error.h"
#include "study.h"

/* Compares in "smaller is better" terms; infinities order as numbers. */
static double oriented(double v, igmopt_direction d)
{
    return d == IGMOPT_MAXIMIZE ? -v : v;
}

int igm_dominates(const double *a, const double *b, const igmopt_direction *dirs, size_t n)
{
    int strictly = 0;
    for (size_t i = 0; i < n; i++) {
        double x = oriented(a[i], dirs[i]), y = oriented(b[i], dirs[i]);
        if (x > y)
            return 0;
        if (x < y)
            strictly = 1;
    }
    return strictly;
}

static int completed(const igm_frozen_trial *t, size_t n_objectives)
{
    return t->state == IGMOPT_COMPLETE && t->values && t->n_values == n_objectives;
}

static size_t single_best(const igmopt_study *study, igm_frozen_trial *const *trials, size_t n,
                          const igm_frozen_trial **out)
{
    const igm_frozen_trial *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!completed(trials[i], 1))
            continue;
        if (!best || oriented(trials[i]->values[0], study->directions[0]) <
                         oriented(best->values[0], study->directions[0]))
            best = trials[i];
    }
    out[0] = best;
    return best ? 1 : 0;
}

static size_t pareto_front(const igmopt_study *study, igm_frozen_trial *const *trials, size_t n,
                           const igm_frozen_trial **out)
{
    size_t count = 0, m = study->n_objectives;
    for (size_t i = 0; i < n; i++) {
        int dominated = 0;
        if (!completed(trials[i], m))
            continue;
        for (size_t j = 0; j < n && !dominated; j++)
            dominated = j != i && completed(trials[j], m) &&
                        igm_dominates(trials[j]->values, trials[i]->values, study->directions, m);
        if (!dominated)
            out[count++] = trials[i];
    }
    return count;
}

int igm_best_trials(const igmopt_study *study, igm_frozen_trial *const *trials, size_t n,
                    const igm_frozen_trial ***out, size_t *n_out)
{
    *out = malloc((n ? n : 1) * sizeof **out);
    if (!*out)
        return igm_error_nomem();
    if (study->n_objectives == 1)
        *n_out = single_best(study, trials, n, *out);
    else
        *n_out = pareto_front(study, trials, n, *out);
    return IGMOPT_OK;
}
