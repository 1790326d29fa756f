/* Sobol' and Halton points by index, unscrambled or scrambled, for
 * QMCSampler (OPTUNA-ALGORITHMS.md s7).  The point sets follow SciPy 1.10's
 * scipy.stats.qmc engines; the code is written from the papers cited. */
#include "qmc_sequence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/error.h"
#include "../lib/rng.h"

/* ---- Sobol' --------------------------------------------------------- */

/* Direction integers of one dimension from its primitive polynomial
 * (Bratley & Fox 1988, ACM TOMS 14(1), eq. for m_k; Joe & Kuo 2008 s2):
 * m_k = 2 a_1 m_{k-1} ^ 4 a_2 m_{k-2} ^ ... ^ 2^s m_{k-s} ^ m_{k-s}, and the
 * direction number v_k = m_k / 2^k, stored as m_k << (BITS - k). */
static void sobol_dimension(uint32_t v[IGM_SOBOL_BITS], size_t d)
{
    uint32_t m[IGM_SOBOL_BITS];
    const igm_sobol_direction *row = d ? &igm_sobol_directions[d - 1] : NULL;
    unsigned s = row ? row->degree : 1;
    for (unsigned k = 0; k < IGM_SOBOL_BITS; k++) {
        if (!row) {
            m[k] = 1; /* the first dimension: van der Corput in base 2 */
        } else if (k < s) {
            m[k] = row->m[k];
        } else {
            m[k] = m[k - s] ^ (m[k - s] << s);
            for (unsigned i = 1; i < s; i++)
                if ((row->a >> (s - 1 - i)) & 1u)
                    m[k] ^= m[k - i] << i;
        }
        v[k] = m[k] << (IGM_SOBOL_BITS - 1 - k);
    }
}

static uint32_t parity32(uint32_t x)
{
    return (uint32_t)__builtin_parity(x);
}

/* Matousek's linear matrix scrambling (J. Complexity 14 (1998) 527-556):
 * the digits of every direction number, most significant first, are
 * multiplied by a random lower-triangular binary matrix with a unit
 * diagonal, as SciPy's Sobol(scramble=True) does before its digital shift.
 * Row p of the matrix is a mask over digits 0..p (digit i = bit BITS-1-i). */
static void sobol_scramble_dimension(uint32_t v[IGM_SOBOL_BITS], igm_rng *rng)
{
    uint32_t rows[IGM_SOBOL_BITS];
    for (unsigned p = 0; p < IGM_SOBOL_BITS; p++) {
        uint32_t below = p ? (uint32_t)(igm_rng_next(rng) >> (64 - p)) : 0;
        rows[p] = (below << (IGM_SOBOL_BITS - p)) | (1u << (IGM_SOBOL_BITS - 1 - p));
    }
    for (unsigned k = 0; k < IGM_SOBOL_BITS; k++) {
        uint32_t scrambled = 0;
        for (unsigned p = 0; p < IGM_SOBOL_BITS; p++)
            scrambled |= parity32(rows[p] & v[k]) << (IGM_SOBOL_BITS - 1 - p);
        v[k] = scrambled;
    }
}

static int sobol_init(igm_qmc_engine *e)
{
    igm_rng rng;
    e->directions = malloc(e->dim * IGM_SOBOL_BITS * sizeof *e->directions);
    e->shift = calloc(e->dim, sizeof *e->shift);
    if (!e->directions || !e->shift)
        return igm_error_nomem();
    for (size_t d = 0; d < e->dim; d++)
        sobol_dimension(e->directions + d * IGM_SOBOL_BITS, d);
    if (!e->scramble)
        return IGMOPT_OK;
    /* As SciPy: every shift first, then the matrices. */
    igm_rng_seed(&rng, e->seed);
    for (size_t d = 0; d < e->dim; d++)
        e->shift[d] = (uint32_t)(igm_rng_next(&rng) >> (64 - IGM_SOBOL_BITS));
    for (size_t d = 0; d < e->dim; d++)
        sobol_scramble_dimension(e->directions + d * IGM_SOBOL_BITS, &rng);
    return IGMOPT_OK;
}

/* Antonov & Saleev (1979) Gray-code order, which SciPy generates: point n
 * is the XOR of the direction numbers picked by the bits of n ^ (n >> 1).
 * Unscrambled point 0 is the origin. */
static void sobol_point(const igm_qmc_engine *e, uint64_t index, double *out)
{
    uint64_t gray = index ^ (index >> 1);
    for (size_t d = 0; d < e->dim; d++) {
        const uint32_t *v = e->directions + d * IGM_SOBOL_BITS;
        uint32_t x = e->shift[d];
        for (unsigned k = 0; k < IGM_SOBOL_BITS; k++)
            if ((gray >> k) & 1u)
                x ^= v[k];
        out[d] = ldexp((double)x, -IGM_SOBOL_BITS);
    }
}

/* ---- Halton --------------------------------------------------------- */

static int first_primes(uint32_t *out, size_t n)
{
    size_t found = 0;
    for (uint32_t c = 2; found < n; c++) {
        int prime = 1;
        for (size_t i = 0; i < found && out[i] * out[i] <= c; i++)
            if (c % out[i] == 0) {
                prime = 0;
                break;
            }
        if (prime)
            out[found++] = c;
    }
    return IGMOPT_OK;
}

/* SciPy permutes ceil(54 / log2(b)) - 1 digit positions: the digits that
 * can reach a double's precision. */
static size_t permuted_digits(uint32_t base)
{
    return (size_t)ceil(54.0 / log2((double)base)) - 1;
}

/* Random digit permutations (Mascagni & Chi, "On the scrambled Halton
 * sequence", Math. Comput. Simul. 2004; SciPy's Halton(scramble=True)):
 * one uniform permutation of 0..b-1 per digit position and dimension,
 * shared by every point, applied to the leading zero digits too. */
static int halton_permutations(igm_qmc_engine *e)
{
    size_t total = 0;
    igm_rng rng;
    e->perm_rows = malloc(e->dim * sizeof *e->perm_rows);
    e->perm_offset = malloc(e->dim * sizeof *e->perm_offset);
    if (!e->perm_rows || !e->perm_offset)
        return igm_error_nomem();
    for (size_t d = 0; d < e->dim; d++) {
        e->perm_rows[d] = permuted_digits(e->bases[d]);
        e->perm_offset[d] = total;
        total += e->perm_rows[d] * e->bases[d];
    }
    e->perms = malloc(total * sizeof *e->perms);
    if (!e->perms)
        return igm_error_nomem();
    igm_rng_seed(&rng, e->seed);
    for (size_t d = 0; d < e->dim; d++) {
        uint32_t b = e->bases[d];
        for (size_t r = 0; r < e->perm_rows[d]; r++) {
            uint16_t *perm = e->perms + e->perm_offset[d] + r * b;
            for (uint32_t i = 0; i < b; i++)
                perm[i] = (uint16_t)i;
            for (uint32_t i = b - 1; i > 0; i--) { /* Fisher-Yates */
                uint32_t j = (uint32_t)igm_rng_below(&rng, (uint64_t)i + 1);
                uint16_t t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
    }
    return IGMOPT_OK;
}

static int halton_init(igm_qmc_engine *e)
{
    e->bases = malloc(e->dim * sizeof *e->bases);
    if (!e->bases)
        return igm_error_nomem();
    first_primes(e->bases, e->dim);
    return e->scramble ? halton_permutations(e) : IGMOPT_OK;
}

/* Radical inverse of index in each prime base (Halton 1960), summed in the
 * order SciPy's van_der_corput sums it so unscrambled values are equal. */
static void halton_point(const igm_qmc_engine *e, uint64_t index, double *out)
{
    for (size_t d = 0; d < e->dim; d++) {
        uint32_t b = e->bases[d];
        uint64_t q = index;
        double scale = 1.0 / b, x = 0.0;
        if (e->scramble) {
            const uint16_t *perm = e->perms + e->perm_offset[d];
            for (size_t r = 0; r < e->perm_rows[d]; r++, perm += b) {
                x += perm[q % b] * scale;
                q /= b;
                scale /= b;
            }
        } else {
            while (q > 0) {
                x += (double)(q % b) * scale;
                q /= b;
                scale /= b;
            }
        }
        out[d] = x;
    }
}

/* ---- engine --------------------------------------------------------- */

int igm_qmc_engine_init(igm_qmc_engine *e, igm_qmc_type type, size_t dim, int scramble,
                        uint64_t seed)
{
    int rc;
    memset(e, 0, sizeof *e);
    if (dim < 1 || dim > IGM_QMC_MAX_DIM)
        return igm_error(IGMOPT_EINVAL, "QMCSampler: the search space has %zu dimensions; "
                         "1 to %d are supported", dim, IGM_QMC_MAX_DIM);
    e->type = type;
    e->dim = dim;
    e->scramble = scramble;
    e->seed = seed;
    rc = type == IGM_QMC_SOBOL ? sobol_init(e) : halton_init(e);
    if (rc)
        igm_qmc_engine_clear(e);
    return rc;
}

void igm_qmc_engine_clear(igm_qmc_engine *e)
{
    free(e->directions);
    free(e->shift);
    free(e->bases);
    free(e->perm_rows);
    free(e->perm_offset);
    free(e->perms);
    memset(e, 0, sizeof *e);
}

int igm_qmc_engine_point(const igm_qmc_engine *e, uint64_t index, double *out)
{
    if (e->type == IGM_QMC_SOBOL) {
        if (index >= (uint64_t)1 << IGM_SOBOL_BITS)
            return igm_error(IGMOPT_EINVAL, "QMCSampler: the Sobol' sequence has 2^%d points; "
                             "sample index %llu is past its end", IGM_SOBOL_BITS,
                             (unsigned long long)index);
        sobol_point(e, index, out);
    } else {
        halton_point(e, index, out);
    }
    return IGMOPT_OK;
}
