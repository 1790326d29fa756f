/* SHA-256 (FIPS 180-2 / 180-4), for the hashed bookkeeping keys Optuna
 * writes, e.g. QMCSampler's "qmc:<sha256 hex>" study system attr. */
#ifndef IGM_SHA256_H
#define IGM_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct igm_sha256 {
    uint32_t h[8];
    uint64_t length; /* bytes hashed so far */
    unsigned char block[64];
    size_t used;     /* bytes waiting in block */
} igm_sha256;

void igm_sha256_init(igm_sha256 *c);
void igm_sha256_update(igm_sha256 *c, const void *data, size_t n);
void igm_sha256_final(igm_sha256 *c, unsigned char digest[32]);
/* The digest of n bytes as 64 lower-case hex digits and a NUL. */
void igm_sha256_hex(const void *data, size_t n, char hex[65]);

#endif
