/* A small cache of parsed distribution_json texts for one read_trials
 * call: a study's trials mostly repeat the same few distributions, and
 * parsing each once keeps a full load of a large study cheap. */
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "storage/sqlite/sqlite_internal.h"

void igm_sqlite_dist_cache_clear(dist_cache *c)
{
    for (size_t i = 0; i < DIST_CACHE_SIZE; i++) {
        free(c->json[i]);
        igm_distribution_free(c->dist[i]);
    }
    memset(c, 0, sizeof *c);
}

/* Takes the oldest slot; d and a copy of json become the cache's. */
static int dist_cache_put(dist_cache *c, const char *json, igm_distribution *d)
{
    char *copy = strdup(json);
    if (!copy) {
        igm_distribution_free(d);
        return igm_error_nomem();
    }
    size_t slot = c->next;
    c->next = (c->next + 1) % DIST_CACHE_SIZE;
    free(c->json[slot]);
    igm_distribution_free(c->dist[slot]);
    c->json[slot] = copy;
    c->dist[slot] = d;
    return IGMOPT_OK;
}

int igm_sqlite_dist_cache_get(dist_cache *c, const char *json, const igm_distribution **out)
{
    for (size_t i = 0; i < DIST_CACHE_SIZE; i++)
        if (c->json[i] && strcmp(c->json[i], json) == 0) {
            *out = c->dist[i];
            return IGMOPT_OK;
        }
    igm_distribution *d = NULL;
    int status = igm_distribution_from_json(&d, json);
    if (!status)
        status = dist_cache_put(c, json, d);
    if (!status)
        *out = d;
    return status;
}
