/* GPUs shared among running trials: each new trial gets the configured GPU
 * with the fewest running trials (ties: the earliest in gpu_ids). */
#ifndef IGM_GPU_SLOTS_H
#define IGM_GPU_SLOTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct igm_gpu_slots {
    size_t n;        /* 0: no gpu_ids, the environment is left alone */
    int64_t *ids;    /* as configured */
    char **devices;  /* CUDA_VISIBLE_DEVICES value for each id */
    size_t *running; /* trials running on each */
} igm_gpu_slots;

/* inherited: the parent's CUDA_VISIBLE_DEVICES or NULL.  When set, each
 * id is an index into that list (a Slurm allocation stays respected);
 * IGMOPT_ECONFIG when an id does not index it. */
int igm_gpu_slots_init(igm_gpu_slots *g, const int64_t *ids, size_t n, const char *inherited);
void igm_gpu_slots_clear(igm_gpu_slots *g);

/* The slot for a new trial, counted as running; -1 without gpu_ids. */
int igm_gpu_slots_acquire(igm_gpu_slots *g);
void igm_gpu_slots_release(igm_gpu_slots *g, int slot);

#endif
