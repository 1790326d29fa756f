/* Assigning GPUs to trials by load, not by batch position (IGM's sweeper
 * gave slot i of a batch gpu_ids[i % n] and overwrote an inherited
 * CUDA_VISIBLE_DEVICES, escaping Slurm allocations: FIELD-NOTES s1.9.4). */
#include "gpu_slots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Entry `index` of a comma-separated list, white space trimmed. */
static char *list_entry(const char *list, int64_t index)
{
    const char *p = list;
    size_t len;
    for (int64_t i = 0; i < index; i++) {
        p = strchr(p, ',');
        if (!p)
            return NULL;
        p++;
    }
    p += strspn(p, " \t");
    len = strcspn(p, ",");
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    return len ? strndup(p, len) : NULL;
}

static int device_for(char **out, int64_t id, const char *inherited)
{
    char buf[24];
    if (id < 0)
        return igm_error(IGMOPT_ECONFIG, "gpu_ids: %lld is not a GPU index", (long long)id);
    if (!inherited) {
        snprintf(buf, sizeof buf, "%lld", (long long)id);
        *out = strdup(buf);
        return *out ? IGMOPT_OK : igm_error_nomem();
    }
    *out = list_entry(inherited, id);
    if (!*out)
        return igm_error(IGMOPT_ECONFIG, "gpu_ids: %lld is not an index into the inherited "
                         "CUDA_VISIBLE_DEVICES=%s (gpu_ids count positions in that list)",
                         (long long)id, inherited);
    return IGMOPT_OK;
}

int igm_gpu_slots_init(igm_gpu_slots *g, const int64_t *ids, size_t n, const char *inherited)
{
    int rc = IGMOPT_OK;
    memset(g, 0, sizeof *g);
    if (n == 0)
        return IGMOPT_OK;
    g->ids = malloc(n * sizeof *g->ids);
    g->devices = calloc(n, sizeof *g->devices);
    g->running = calloc(n, sizeof *g->running);
    if (!g->ids || !g->devices || !g->running)
        rc = igm_error_nomem();
    for (size_t i = 0; rc == IGMOPT_OK && i < n; i++) {
        g->ids[i] = ids[i];
        rc = device_for(&g->devices[i], ids[i], inherited);
        g->n = i + 1; /* what clear must free */
    }
    if (rc)
        igm_gpu_slots_clear(g);
    return rc;
}

void igm_gpu_slots_clear(igm_gpu_slots *g)
{
    for (size_t i = 0; g->devices && i < g->n; i++)
        free(g->devices[i]);
    free(g->ids);
    free(g->devices);
    free(g->running);
    memset(g, 0, sizeof *g);
}

int igm_gpu_slots_acquire(igm_gpu_slots *g)
{
    size_t best = 0;
    if (g->n == 0)
        return -1;
    for (size_t i = 1; i < g->n; i++)
        if (g->running[i] < g->running[best])
            best = i;
    g->running[best]++;
    return (int)best;
}

void igm_gpu_slots_release(igm_gpu_slots *g, int slot)
{
    if (slot >= 0 && (size_t)slot < g->n && g->running[slot] > 0)
        g->running[slot]--;
}
