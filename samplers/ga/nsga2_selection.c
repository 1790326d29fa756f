/* NSGA-II's elite selection (Deb, Pratap, Agarwal & Meyarivan 2002, "A fast
 * and elitist multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2),
 * s III-C): whole fronts of the constrained non-domination ranks while they
 * fit (elite_fronts.c), the first one that does not cut by crowding
 * distance, largest first (OPTUNA-ALGORITHMS.md s3.5). */
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/pareto.h"
#include "elite_selection.h"

/* The first `room` members of the front in crowding-distance order. */
static int take_least_crowded(const igm_elite_pool *pool, const size_t *front, size_t n,
                              size_t room, size_t *selected)
{
    double *values = malloc((n * pool->m + 1) * sizeof *values);
    size_t *order = malloc((n + 1) * sizeof *order);
    int rc = values && order ? IGMOPT_OK : igm_error_nomem();
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++)
        for (size_t j = 0; j < pool->m; j++)
            values[i * pool->m + j] = pool->values[front[i] * pool->m + j];
    if (rc == IGMOPT_OK)
        rc = igm_crowding_distance_sort(values, n, pool->m, order);
    for (size_t i = 0; rc == IGMOPT_OK && i < room; i++)
        selected[i] = front[order[i]];
    free(values);
    free(order);
    return rc;
}

int igm_nsga2_select(const igm_elite_pool *pool, size_t k, size_t *selected)
{
    size_t *order = malloc((pool->n + 1) * sizeof *order), n_whole, n_cut;
    int rc = order ? igm_elite_fronts(pool, k, order, &n_whole, &n_cut) : igm_error_nomem();
    if (k > pool->n)
        k = pool->n;
    for (size_t i = 0; rc == IGMOPT_OK && i < n_whole; i++)
        selected[i] = order[i];
    if (rc == IGMOPT_OK && n_cut > 0)
        rc = take_least_crowded(pool, order + n_whole, n_cut, k - n_whole, selected + n_whole);
    free(order);
    return rc;
}
