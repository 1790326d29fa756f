/* Low-discrepancy sequences for QMCSampler, with the point sets of SciPy's
 * scipy.stats.qmc.Sobol and Halton (1.10): unscrambled points are equal to
 * SciPy's; scrambled ones use the same constructions (Sobol: linear matrix
 * scrambling + digital shift; Halton: one random digit permutation per
 * digit position) drawn from our RNG, so they differ from SciPy's. */
#ifndef IGM_QMC_SEQUENCE_H
#define IGM_QMC_SEQUENCE_H

#include <stddef.h>
#include <stdint.h>

#define IGM_SOBOL_MAX_DIM 1111   /* dimensions in samplers/sobol_directions.c */
#define IGM_SOBOL_MAX_DEGREE 13  /* of their primitive polynomials */
#define IGM_SOBOL_BITS 30        /* SciPy's default: points are k / 2^30 */
#define IGM_QMC_MAX_DIM IGM_SOBOL_MAX_DIM /* Halton too, to bound its tables */

/* One row of Joe & Kuo's file: degree s of the primitive polynomial, its
 * inner coefficients a (a_1 is the highest of the s - 1 bits) and the
 * initial direction integers m_1..m_s. */
typedef struct igm_sobol_direction {
    uint8_t degree;
    uint16_t a;
    uint16_t m[IGM_SOBOL_MAX_DEGREE];
} igm_sobol_direction;

/* Dimensions 2..IGM_SOBOL_MAX_DIM (dimension 1 has every m_i = 1). */
extern const igm_sobol_direction igm_sobol_directions[IGM_SOBOL_MAX_DIM - 1];

typedef enum igm_qmc_type { IGM_QMC_SOBOL = 0, IGM_QMC_HALTON = 1 } igm_qmc_type;

typedef struct igm_qmc_engine {
    igm_qmc_type type;
    size_t dim;
    int scramble;
    uint64_t seed;
    uint32_t *directions; /* Sobol: dim x IGM_SOBOL_BITS, scrambled if asked */
    uint32_t *shift;      /* Sobol: the digital shift per dimension (0 unscrambled) */
    uint32_t *bases;      /* Halton: the first dim primes */
    size_t *perm_rows;    /* Halton scrambled: digit positions per dimension */
    size_t *perm_offset;  /* where dimension d's rows start in perms */
    uint16_t *perms;      /* rows of base-b permutations, one per digit position */
} igm_qmc_engine;

/* dim in 1..IGM_QMC_MAX_DIM; seed is used only when scrambling. */
int igm_qmc_engine_init(igm_qmc_engine *e, igm_qmc_type type, size_t dim, int scramble,
                        uint64_t seed);
void igm_qmc_engine_clear(igm_qmc_engine *e);
/* The point of 0-based index (SciPy's engine fast-forwarded by index and
 * drawn once) into out[0..dim-1], each in [0, 1).  Sobol has 2^30 points. */
int igm_qmc_engine_point(const igm_qmc_engine *e, uint64_t index, double *out);

#endif
