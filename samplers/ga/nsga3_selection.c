/* NSGA-III elite selection (Deb & Jain 2014, "An evolutionary many-objective
 * optimization algorithm using reference-point-based nondominated sorting
 * approach, Part I", IEEE TEVC 18(4), s IV; OPTUNA-ALGORITHMS.md s4): the
 * fronts of elite_fronts.c, then the front that does not fit cut by
 * normalisation, association to reference directions and niching. */
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/pareto.h" /* igm_loss_vector */
#include "nsga3.h"

/* Fills selected[0..want) from the cut front order[n_whole .. n_whole+n_cut)
 * with the elites order[0 .. n_whole). */
static int cut_front(const igm_elite_pool *pool, const size_t *order, size_t n_whole,
                     size_t n_cut, size_t want, const igm_reference_points *refs, igm_rng *rng,
                     size_t *selected)
{
    size_t rows = n_whole + n_cut, m = pool->m;
    double *f = malloc(rows * m * sizeof *f), *distance = malloc(rows * sizeof *distance);
    size_t *closest = malloc(rows * sizeof *closest);
    int rc;
    if (!f || !distance || !closest) {
        rc = igm_error_nomem();
        goto cleanup;
    }
    /* Oriented by direction, unlike Optuna (s4 quirk): a maximised
     * objective's extreme point is its largest value, not its smallest. */
    for (size_t i = 0; i < rows; i++)
        igm_loss_vector(pool->values + order[i] * m, pool->dirs, m, f + i * m);
    if ((rc = igm_nsga3_normalise(f, rows, m)))
        goto cleanup;
    igm_nsga3_associate(f, rows, refs, closest, distance);
    rc = igm_nsga3_niche_pick(closest, distance, n_whole, n_cut, refs->count, want, rng,
                              selected);
    for (size_t i = 0; rc == IGMOPT_OK && i < want; i++)
        selected[i] = order[n_whole + selected[i]];
cleanup:
    free(f);
    free(distance);
    free(closest);
    return rc;
}

int igm_nsga3_select(const igm_elite_pool *pool, size_t k, const igm_reference_points *refs,
                     igm_rng *rng, size_t *selected)
{
    size_t n_whole, n_cut, *order;
    int rc;
    if (refs->m != pool->m || refs->count == 0)
        return igm_error(IGMOPT_EINVAL, "NSGA-III: %zu reference points of dimension %zu for "
                         "%zu objectives", refs->count, refs->m, pool->m);
    if (!(order = malloc((pool->n + 1) * sizeof *order)))
        return igm_error_nomem();
    if ((rc = igm_elite_fronts(pool, k, order, &n_whole, &n_cut)) == IGMOPT_OK) {
        memcpy(selected, order, n_whole * sizeof *order);
        if (n_cut > 0)
            rc = cut_front(pool, order, n_whole, n_cut, k - n_whole, refs, rng,
                           selected + n_whole);
    }
    free(order);
    return rc;
}
