/* Stable sort of an index array by a caller's comparison: the lexicographic
 * and per-objective orders of the Pareto and hypervolume code (qsort is
 * neither stable nor given a context portably). */
#ifndef IGM_INDEX_SORT_H
#define IGM_INDEX_SORT_H

#include <stddef.h>

/* < 0, 0, > 0 as element a sorts before, with, after element b. */
typedef int (*igm_index_cmp)(size_t a, size_t b, const void *ctx);

/* Sorts idx[0..n) stably; tmp has room for n indices. */
void igm_index_sort(size_t *idx, size_t n, igm_index_cmp cmp, const void *ctx, size_t *tmp);

/* Lexicographic order of rows of a row-major array with m columns; NaN
 * sorts after +inf and equals NaN.  ctx is a const igm_rows *. */
typedef struct igm_rows {
    const double *data;
    size_t m;
} igm_rows;
int igm_rows_lex_cmp(size_t a, size_t b, const void *ctx);

#endif
