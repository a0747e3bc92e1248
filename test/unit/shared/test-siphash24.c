/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-siphash24.c: unit tests for siphash24.c against the official SipHash-2-4 test vectors
 * (Aumasson & Bernstein, the reference implementation's 64-bit table): key 00 01 .. 0f, message
 * of length n consisting of the bytes 00 01 .. (n-1), for n = 0..63. The outputs below are
 * the little-endian 8-byte tags read as uint64_t; entry 15 is the paper's worked example
 * (a129ca6149be45e5). Also checks that alignment of the input does not matter and that key,
 * length and content all change the hash.
 */

#include <string.h>

#include "siphash24.h"
#include "test-helpers.h"

static const uint8_t key[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };

static const uint64_t vectors[64] = {
        0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL,
        0x0d6c8009d9a94f5aULL, 0x85676696d7fb7e2dULL,
        0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
        0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL,
        0x93f5f5799a932462ULL, 0x9e0082df0ba9e4b0ULL,
        0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
        0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL,
        0xf723ca908e7af2eeULL, 0xa129ca6149be45e5ULL,
        0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL,
        0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL,
        0xbed65cf21aa2ee98ULL, 0xd0f2cbb02e3b67c7ULL,
        0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
        0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL,
        0x17d835b85bbb15f3ULL, 0x2f2e6163076bcfadULL,
        0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL,
        0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL,
        0x7127512f72f27cceULL, 0xa7f32346f95978e3ULL,
        0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
        0x314dffbe0815a3b4ULL, 0x027990f029623981ULL,
        0xcadcd4e59ef40c4dULL, 0x9abfd8766a33735cULL,
        0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL,
        0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL,
        0xf935451de4f21df2ULL, 0xa9538f0419755787ULL,
        0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
        0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL,
        0xee64435a9752fe72ULL, 0xa192d576b245165aULL,
        0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL,
        0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL,
        0xb78dbfaf3a8d83bdULL, 0xea1ad565322a1a0bULL,
        0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
        0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL,
        0xe51b38608ef25f57ULL, 0x958a324ceb064572ULL,
};

static void fill_message(uint8_t *m, size_t n) {
        for (size_t i = 0; i < n; i++)
                m[i] = (uint8_t) i;
}

START_TEST(test_paper_example) {
        uint8_t m[15];

        /* The worked example from the SipHash paper, appendix A: 15 bytes 00..0e. */
        fill_message(m, sizeof m);
        ck_assert_uint_eq(siphash24(m, sizeof m, key), 0xa129ca6149be45e5ULL);
}
END_TEST

START_TEST(test_empty_message) {
        uint8_t m[1] = { 0xff };

        ck_assert_uint_eq(siphash24(m, 0, key), 0x726fdb47dd0e0e31ULL);
        ck_assert_uint_eq(siphash24("", 0, key), 0x726fdb47dd0e0e31ULL);
        /* Hashing nothing must not need a buffer at all. */
        ck_assert_uint_eq(siphash24(NULL, 0, key), 0x726fdb47dd0e0e31ULL);
}
END_TEST

START_TEST(test_all_vectors) {
        uint8_t m[64];

        fill_message(m, sizeof m);
        for (size_t n = 0; n < ELEMENTSOF(vectors); n++)
                ck_assert_msg(siphash24(m, n, key) == vectors[n],
                              "length %zu: got %016llx, want %016llx", n,
                              (unsigned long long) siphash24(m, n, key),
                              (unsigned long long) vectors[n]);
}
END_TEST

START_TEST(test_alignment) {
        uint8_t buf[64 + 16];

        /* Same bytes at every offset within a word: same hash (no aligned-load assumption). */
        for (size_t off = 0; off < 16; off++) {
                fill_message(buf + off, 64);
                for (size_t n = 0; n < 64; n++)
                        ck_assert_msg(siphash24(buf + off, n, key) == vectors[n],
                                      "offset %zu, length %zu", off, n);
        }
}
END_TEST

START_TEST(test_sensitivity) {
        uint8_t k2[16];
        uint8_t m[32];
        uint64_t h = siphash24("unit.service", 12, key);

        memcpy(k2, key, sizeof k2);
        k2[15] ^= 1;
        ck_assert_uint_ne(siphash24("unit.service", 12, k2), h);
        ck_assert_uint_ne(siphash24("unit.servicf", 12, key), h);
        ck_assert_uint_ne(siphash24("unit.service", 11, key), h);
        /* A trailing NUL is data too: "a" and "a\0" differ. */
        ck_assert_uint_ne(siphash24("a", 1, key), siphash24("a\0", 2, key));
        /* Deterministic. */
        ck_assert_uint_eq(siphash24("unit.service", 12, key), h);

        /* Flipping any single bit of a 32-byte message changes the hash. */
        fill_message(m, sizeof m);
        h = siphash24(m, sizeof m, key);
        for (size_t bit = 0; bit < sizeof m * 8; bit++) {
                m[bit / 8] ^= (uint8_t) (1u << (bit % 8));
                ck_assert_uint_ne(siphash24(m, sizeof m, key), h);
                m[bit / 8] ^= (uint8_t) (1u << (bit % 8));
        }
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("siphash24");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60); /* sanitizer builds on a busy machine are slow */
        tcase_add_test(tc, test_paper_example);
        tcase_add_test(tc, test_empty_message);
        tcase_add_test(tc, test_all_vectors);
        tcase_add_test(tc, test_alignment);
        tcase_add_test(tc, test_sensitivity);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
