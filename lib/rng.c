/* xoshiro256** with splitmix64 seeding; see rng.h for the reference. */
#include "rng.h"

#include <math.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void igm_rng_seed(igm_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

void igm_rng_seed_random(igm_rng *r)
{
    uint64_t seed;
    if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 48);
    }
    igm_rng_seed(r, seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t igm_rng_next(igm_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double igm_rng_uniform(igm_rng *r)
{
    return (double)(igm_rng_next(r) >> 11) * 0x1.0p-53;
}

double igm_rng_uniform_range(igm_rng *r, double low, double high)
{
    double x = low + (high - low) * igm_rng_uniform(r);
    return x < high ? x : low; /* rounding may reach high when high - low is huge */
}

uint64_t igm_rng_below(igm_rng *r, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = igm_rng_next(r);
    while (x >= limit);
    return x % n;
}

void igm_rng_shuffle(igm_rng *r, size_t *a, size_t n)
{
    for (size_t i = n; i-- > 1;) {
        size_t j = (size_t)igm_rng_below(r, (uint64_t)i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

double igm_rng_standard_normal(igm_rng *r)
{
    double radius = sqrt(-2.0 * log(1.0 - igm_rng_uniform(r))); /* 1 - u in (0, 1] */
    return radius * cos(2.0 * M_PI * igm_rng_uniform(r));
}
