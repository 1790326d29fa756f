/* NSGA-III association and niching (Deb & Jain 2014, IEEE TEVC 18(4),
 * s IV-D and IV-E, in Optuna's order, OPTUNA-ALGORITHMS.md s4.3-4.4):
 * each normalised point's closest reference direction, then the members of
 * the cut front taken from the least crowded niches first. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/error.h"
#include "../../lib/index_sort.h"
#include "nsga3.h"

/* Perpendicular distance from point x to the line through the origin
 * along direction r (r != 0); an overflow counts as +inf. */
static double line_distance(const double *x, const double *r, size_t m)
{
    double xr = 0.0, rr = 0.0, d2 = 0.0, t;
    for (size_t j = 0; j < m; j++) {
        xr += x[j] * r[j];
        rr += r[j] * r[j];
    }
    t = xr / rr;
    for (size_t j = 0; j < m; j++)
        d2 += (x[j] - t * r[j]) * (x[j] - t * r[j]);
    return isnan(d2) ? INFINITY : sqrt(d2);
}

/* Each point's closest reference direction (the first on ties) and its
 * distance (Deb & Jain 2014 s IV-D). */
void igm_nsga3_associate(const double *f, size_t rows, const igm_reference_points *refs,
                         size_t *closest, double *distance)
{
    size_t m = refs->m;
    for (size_t i = 0; i < rows; i++) {
        closest[i] = 0;
        distance[i] = INFINITY;
        for (size_t r = 0; r < refs->count; r++) {
            double d = line_distance(f + i * m, refs->points + r * m, m);
            if (d < distance[i] || r == 0) {
                distance[i] = d;
                closest[i] = r;
            }
        }
    }
}

/* Niching state (Deb & Jain 2014 s IV-E, Optuna's order s4.4): the front's
 * candidates grouped by reference point, and the reference points grouped
 * by how many selected members they hold. */
typedef struct niches {
    size_t *held;      /* per reference: members already selected */
    size_t *start;     /* per reference: its candidates are cand[start .. start+left) */
    size_t *left;
    size_t *cand;      /* front-local candidate indices, grouped by reference */
    unsigned char *shuffled;
    size_t *pending;   /* references with candidates, by (held, index) */
    size_t n_pending, next_pending;
    size_t *level, n_level; /* references holding `count` members, shuffled */
    size_t *next, n_next;   /* references that reached count + 1 */
    size_t count;
    void *block;
} niches;

/* Pending order: fewer members first (a stable sort keeps the index order
 * among equals). */
static int compare_held(size_t x, size_t y, const void *ctx)
{
    const size_t *held = ctx;
    return held[x] < held[y] ? -1 : held[x] > held[y];
}

static int niches_init(niches *s, const size_t *closest, size_t n_elite, size_t n_cut,
                       size_t n_refs)
{
    size_t r;
    memset(s, 0, sizeof *s);
    s->block = calloc(7 * n_refs + n_cut + 1, sizeof(size_t));
    s->shuffled = calloc(n_refs, 1);
    if (!s->block || !s->shuffled) {
        free(s->block);
        free(s->shuffled);
        return igm_error_nomem();
    }
    s->held = s->block;
    s->start = s->held + n_refs;
    s->left = s->start + n_refs;
    s->pending = s->left + n_refs;
    s->level = s->pending + n_refs;
    s->next = s->level + n_refs;
    s->cand = s->next + n_refs;
    for (size_t i = 0; i < n_elite; i++)
        s->held[closest[i]]++;
    for (size_t c = 0; c < n_cut; c++)
        s->left[closest[n_elite + c]]++;
    for (r = 1; r < n_refs; r++)
        s->start[r] = s->start[r - 1] + s->left[r - 1];
    for (r = 0; r < n_refs; r++) {
        if (s->left[r] > 0)
            s->pending[s->n_pending++] = r;
        s->left[r] = 0;
    }
    for (size_t c = 0; c < n_cut; c++) {
        r = closest[n_elite + c];
        s->cand[s->start[r] + s->left[r]++] = c;
    }
    /* the block's last n_refs entries are the sort's scratch */
    igm_index_sort(s->pending, s->n_pending, compare_held, s->held, s->cand + n_cut);
    return IGMOPT_OK;
}

static void niches_free(niches *s)
{
    free(s->block);
    free(s->shuffled);
}

/* Moves to the next non-empty count: the references promoted from the
 * last one plus those that start with that many members, shuffled. */
static void next_level(niches *s, igm_rng *rng)
{
    if (s->n_next > 0) {
        s->count++;
        memcpy(s->level, s->next, s->n_next * sizeof *s->level);
    } else {
        s->count = s->held[s->pending[s->next_pending]];
    }
    s->n_level = s->n_next;
    s->n_next = 0;
    while (s->next_pending < s->n_pending && s->held[s->pending[s->next_pending]] == s->count)
        s->level[s->n_level++] = s->pending[s->next_pending++];
    igm_rng_shuffle(rng, s->level, s->n_level);
}

/* One candidate of reference r: an empty niche takes its closest candidate
 * (the lowest index on ties), a held one a random candidate. */
static size_t take_candidate(niches *s, size_t r, const double *distance, igm_rng *rng)
{
    size_t *c = s->cand + s->start[r], n = s->left[r], last = n - 1;
    if (s->count == 0) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (distance[c[i]] < distance[c[best]] ||
                (distance[c[i]] == distance[c[best]] && c[i] < c[best]))
                best = i;
        size_t t = c[best];
        c[best] = c[last];
        c[last] = t;
    } else if (!s->shuffled[r]) {
        igm_rng_shuffle(rng, c, n);
        s->shuffled[r] = 1;
    }
    s->left[r]--;
    return c[last];
}

int igm_nsga3_niche_pick(const size_t *closest, const double *distance, size_t n_elite,
                         size_t n_cut, size_t n_refs, size_t want, igm_rng *rng, size_t *out)
{
    niches s;
    int rc = niches_init(&s, closest, n_elite, n_cut, n_refs);
    if (rc)
        return rc;
    for (size_t taken = 0; taken < want;) {
        size_t r;
        if (s.n_level == 0) {
            next_level(&s, rng);
            continue;
        }
        r = s.level[--s.n_level];
        out[taken++] = take_candidate(&s, r, distance + n_elite, rng);
        if (s.left[r] > 0)
            s.next[s.n_next++] = r;
    }
    niches_free(&s);
    return IGMOPT_OK;
}

