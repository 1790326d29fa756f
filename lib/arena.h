/* A bump allocator for scratch memory that lives for one sampler call:
 * allocations are never freed one by one, igm_arena_reset drops them all
 * and keeps one block big enough for the last call, so a sampler that runs
 * every trial stops paying for malloc, free and fresh pages. */
#ifndef IGM_ARENA_H
#define IGM_ARENA_H

#include <stddef.h>

typedef struct igm_arena {
    unsigned char *block; /* the reused block */
    size_t cap, used;
    void **spill;         /* blocks malloc'd when the block was full */
    size_t n_spill, cap_spill, spilled_bytes;
} igm_arena;

#define IGM_ARENA_INIT {NULL, 0, 0, NULL, 0, 0, 0}

/* bytes of scratch aligned for any scalar type; NULL when out of memory
 * (nothing recorded).  A request of 0 bytes returns a valid pointer. */
void *igm_arena_alloc(igm_arena *a, size_t bytes);
/* Same, for count elements of size bytes each (NULL on overflow). */
void *igm_arena_array(igm_arena *a, size_t count, size_t size);
/* Drops every allocation; grows the block to what the last round used. */
void igm_arena_reset(igm_arena *a);
void igm_arena_free(igm_arena *a);

#endif
