/* The library's pseudo-random generator: xoshiro256** seeded through
 * splitmix64 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", 2018).  Deterministic for a seed on every platform. */
#ifndef IGM_RNG_H
#define IGM_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct igm_rng {
    uint64_t s[4];
} igm_rng;

void igm_rng_seed(igm_rng *r, uint64_t seed);
/* Seeds from the OS entropy source (for seed = None). */
void igm_rng_seed_random(igm_rng *r);
uint64_t igm_rng_next(igm_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double igm_rng_uniform(igm_rng *r);
/* Uniform in [low, high). */
double igm_rng_uniform_range(igm_rng *r, double low, double high);
/* Uniform integer in [0, n), n >= 1, without modulo bias. */
uint64_t igm_rng_below(igm_rng *r, uint64_t n);
/* A standard normal deviate (Box-Muller, one deviate per two uniforms). */
double igm_rng_standard_normal(igm_rng *r);
/* Fisher-Yates shuffle of a[0..n). */
void igm_rng_shuffle(igm_rng *r, size_t *a, size_t n);

#endif
