/* SHA-256 against the FIPS 180-2 appendix B test vectors (and the empty
 * message), one shot and fed in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/sha256.h"

static void assert_digest(const char *message, const char *expected)
{
    char hex[65];
    igm_sha256_hex(message, strlen(message), hex);
    assert_string_equal(hex, expected);
}

static void empty_message(void **state)
{
    assert_digest("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void fips_one_block_abc(void **state)
{
    assert_digest("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void fips_two_blocks(void **state)
{
    assert_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* FIPS 180-2 B.3: one million 'a', fed 1000 bytes at a time. */
static void fips_million_a(void **state)
{
    static const char expected[] =
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    char block[1000], hex[65];
    unsigned char digest[32];
    igm_sha256 c;
    memset(block, 'a', sizeof block);
    igm_sha256_init(&c);
    for (int i = 0; i < 1000; i++)
        igm_sha256_update(&c, block, sizeof block);
    igm_sha256_final(&c, digest);
    for (int i = 0; i < 32; i++) {
        static const char digits[] = "0123456789abcdef";
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
    assert_string_equal(hex, expected);
}

/* Messages of 55, 56 and 64 bytes put the length in a block of its own. */
static void pieces_equal_one_shot_at_padding_edges(void **state)
{
    char message[130];
    memset(message, 'q', sizeof message);
    for (size_t n = 54; n <= 129; n++) {
        unsigned char a[32], b[32];
        igm_sha256 c;
        igm_sha256_init(&c);
        igm_sha256_update(&c, message, n);
        igm_sha256_final(&c, a);
        igm_sha256_init(&c);
        for (size_t i = 0; i < n; i++)
            igm_sha256_update(&c, message + i, 1);
        igm_sha256_final(&c, b);
        assert_memory_equal(a, b, 32);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_message),
        cmocka_unit_test(fips_one_block_abc),
        cmocka_unit_test(fips_two_blocks),
        cmocka_unit_test(fips_million_a),
        cmocka_unit_test(pieces_equal_one_shot_at_padding_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
