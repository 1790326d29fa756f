/* The list of parameters a sampler drew jointly for one trial. */
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "sampler.h"

int igm_relative_params_add(igm_relative_params *r, const char *name, double internal,
                            const igm_distribution *d)
{
    igm_param p = {NULL, internal, NULL};
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        igm_param *grown = realloc(r->items, cap * sizeof *grown);
        if (!grown)
            return igm_error_nomem();
        r->items = grown;
        r->cap = cap;
    }
    p.name = strdup(name);
    if (!p.name || igm_distribution_copy(&p.distribution, d)) {
        free(p.name);
        return igm_error_nomem();
    }
    r->items[r->count++] = p;
    return IGMOPT_OK;
}

void igm_relative_params_clear(igm_relative_params *r)
{
    for (size_t i = 0; i < r->count; i++) {
        free(r->items[i].name);
        igm_distribution_free(r->items[i].distribution);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}
