/* The fronts both elite selections fill the next population with: the
 * pool by constrained non-domination rank (Deb et al. 2002 s III-A;
 * OPTUNA-ALGORITHMS.md s3.5), whole fronts while they fit, then the front
 * NSGA-II and NSGA-III each cut their own way. */
#include <stdlib.h>

#include "../../lib/error.h"
#include "../../lib/pareto.h"
#include "elite_selection.h"

static int pool_ranks(const igm_elite_pool *pool, int *rank)
{
    size_t n = pool->n, m = pool->m;
    double *loss = calloc(n * m + 1, sizeof *loss);
    int rc;
    if (!loss)
        return igm_error_nomem();
    for (size_t i = 0; i < n; i++)
        igm_loss_vector(pool->values + i * m, pool->dirs, m, loss + i * m);
    rc = igm_constrained_nondominated_ranks(loss, pool->violations, n, m, rank);
    free(loss);
    return rc;
}

int igm_elite_fronts(const igm_elite_pool *pool, size_t k, size_t *order, size_t *n_whole,
                     size_t *n_cut)
{
    size_t taken = 0;
    int *rank = malloc((pool->n + 1) * sizeof *rank);
    int rc;
    *n_whole = *n_cut = 0;
    if (!rank)
        return igm_error_nomem();
    if ((rc = pool_ranks(pool, rank)) == IGMOPT_OK) {
        for (int r = 0; taken < pool->n && *n_cut == 0; r++) {
            for (size_t i = 0; i < pool->n; i++)
                if (rank[i] == r)
                    order[taken++] = i;
            if (taken < k)
                *n_whole = taken;
            else
                *n_cut = taken - *n_whole;
        }
    }
    free(rank);
    return rc;
}
