/* The scratch bump allocator of arena.h. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16

static size_t aligned(size_t bytes)
{
    return (bytes + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

static void *spill_alloc(igm_arena *a, size_t bytes)
{
    void *p;
    if (a->n_spill == a->cap_spill) {
        size_t cap = a->cap_spill ? 2 * a->cap_spill : 8;
        void **grown = realloc(a->spill, cap * sizeof *grown);
        if (!grown)
            return NULL;
        a->spill = grown;
        a->cap_spill = cap;
    }
    if (!(p = malloc(bytes)))
        return NULL;
    a->spill[a->n_spill++] = p;
    a->spilled_bytes += bytes;
    return p;
}

void *igm_arena_alloc(igm_arena *a, size_t bytes)
{
    size_t need = aligned(bytes ? bytes : 1);
    if (need < bytes)
        return NULL;
    if (a->block && a->cap - a->used >= need) {
        void *p = a->block + a->used;
        a->used += need;
        return p;
    }
    return spill_alloc(a, need);
}

void *igm_arena_array(igm_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return igm_arena_alloc(a, count * size);
}

void igm_arena_reset(igm_arena *a)
{
    size_t want = a->used + a->spilled_bytes;
    for (size_t i = 0; i < a->n_spill; i++)
        free(a->spill[i]);
    a->n_spill = 0;
    a->spilled_bytes = 0;
    a->used = 0;
    if (want > a->cap) { /* one block for next time, a quarter to spare */
        unsigned char *grown = malloc(want + want / 4);
        if (grown) {
            free(a->block);
            a->block = grown;
            a->cap = want + want / 4;
        }
    }
}

void igm_arena_free(igm_arena *a)
{
    for (size_t i = 0; i < a->n_spill; i++)
        free(a->spill[i]);
    free(a->block);
    free(a->spill);
    memset(a, 0, sizeof *a);
}
