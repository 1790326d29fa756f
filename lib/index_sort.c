/* Stable merge sort of index arrays (insertion sort on short runs) and the
 * lexicographic row order it is mostly used with. */
#include <math.h>
#include <string.h>

#include "index_sort.h"

#define RUN 16

static void insertion_sort(size_t *idx, size_t n, igm_index_cmp cmp, const void *ctx)
{
    for (size_t i = 1; i < n; i++) {
        size_t v = idx[i], j = i;
        for (; j > 0 && cmp(idx[j - 1], v, ctx) > 0; j--)
            idx[j] = idx[j - 1];
        idx[j] = v;
    }
}

/* Merges the sorted runs src[lo..mid) and src[mid..hi) into dst[lo..hi);
 * the left run wins ties, which keeps the sort stable. */
static void merge(const size_t *src, size_t *dst, size_t lo, size_t mid, size_t hi,
                  igm_index_cmp cmp, const void *ctx)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        dst[k++] = cmp(src[j], src[i], ctx) < 0 ? src[j++] : src[i++];
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

void igm_index_sort(size_t *idx, size_t n, igm_index_cmp cmp, const void *ctx, size_t *tmp)
{
    for (size_t lo = 0; lo < n; lo += RUN)
        insertion_sort(idx + lo, n - lo < RUN ? n - lo : RUN, cmp, ctx);
    size_t *src = idx, *dst = tmp;
    for (size_t width = RUN; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge(src, dst, lo, mid, hi, cmp, ctx);
        }
        size_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, n * sizeof *idx);
}

static int compare_values(double x, double y)
{
    if (isnan(x) || isnan(y))
        return isnan(x) - isnan(y);
    return (x > y) - (x < y);
}

int igm_rows_lex_cmp(size_t a, size_t b, const void *ctx)
{
    const igm_rows *r = ctx;
    const double *x = r->data + a * r->m, *y = r->data + b * r->m;
    for (size_t j = 0; j < r->m; j++) {
        int c = compare_values(x[j], y[j]);
        if (c)
            return c;
    }
    return 0;
}
