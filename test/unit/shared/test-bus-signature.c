/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-signature.c: the D-Bus signature grammar: valid and invalid signatures, the 255-byte
 * and 32+32 nesting limits, dict entries only inside arrays with basic keys, single complete
 * types, and the alignment and size of each type code.
 */

#include <string.h>

#include "bus/bus-signature.h"
#include "test-helpers.h"

START_TEST(test_valid) {
        const char *s;

        FOREACH_STRING(s, "", "y", "bnqiuxtdhsogv", "ai", "a{sv}", "a{oa{sa{sv}}}", "(i)",
                       "(ia(sv))", "aav", "a(yv)", "ssa{ss}(uu)", "a{ya{ya{yi}}}")
                ck_assert_msg(bus_signature_is_valid(s), "%s", s);
}
END_TEST

START_TEST(test_invalid) {
        const char *s;

        FOREACH_STRING(s, "a", "()", "(", ")", "(i", "i)", "{sv}", "a{}", "a{s}", "a{svs}",
                       "a{vs}", "a{(i)s}", "a{ais}", "aa", "z", "(ta{ya{da{ya{yaq}}})}", "{", "}",
                       "a{sv", "(i}", "a{si)")
                ck_assert_msg(!bus_signature_is_valid(s), "%s", s);
        ck_assert(!bus_signature_is_valid(NULL));
}
END_TEST

START_TEST(test_limits) {
        char s[300];

        memset(s, 'y', 255);
        s[255] = 0;
        ck_assert(bus_signature_is_valid(s));
        s[255] = 'y';
        s[256] = 0;
        ck_assert(!bus_signature_is_valid(s));

        /* 32 arrays nest, 33 do not */
        memset(s, 'a', 32);
        strcpy(s + 32, "y");
        ck_assert(bus_signature_is_valid(s));
        memset(s, 'a', 33);
        strcpy(s + 33, "y");
        ck_assert(!bus_signature_is_valid(s));

        /* 32 structs nest, 33 do not */
        memset(s, '(', 32);
        s[32] = 'y';
        memset(s + 33, ')', 32);
        s[65] = 0;
        ck_assert(bus_signature_is_valid(s));
        memset(s, '(', 33);
        s[33] = 'y';
        memset(s + 34, ')', 33);
        s[67] = 0;
        ck_assert(!bus_signature_is_valid(s));

        /* 32 of each together are fine: the limits are separate */
        for (int i = 0; i < 32; i++) {
                s[2 * i] = 'a';
                s[2 * i + 1] = '(';
        }
        s[64] = 'y';
        memset(s + 65, ')', 32);
        s[97] = 0;
        ck_assert(bus_signature_is_valid(s));
        /* dict entries count as structs */
        ck_assert_int_eq(bus_signature_complete_type_length("a{sv}", 5, 31, 31), 5);
        ck_assert_int_lt(bus_signature_complete_type_length("a{sv}", 5, 31, 32), 0);
        ck_assert_int_lt(bus_signature_complete_type_length("a{sv}", 5, 32, 0), 0);
}
END_TEST

START_TEST(test_single) {
        ck_assert(bus_signature_is_single("a{sv}"));
        ck_assert(bus_signature_is_single("(ii)"));
        ck_assert(!bus_signature_is_single("ii"));
        ck_assert(!bus_signature_is_single(""));
        ck_assert(!bus_signature_is_single("a"));
        ck_assert_int_eq(bus_signature_complete_type_length("a(ii)s", 6, 0, 0), 5);
        ck_assert_int_eq(bus_signature_complete_type_length("vi", 2, 0, 0), 1);
        ck_assert_int_eq(bus_signature_complete_type_length("a{sv}i", 3, 0, 0), -EINVAL);
}
END_TEST

START_TEST(test_alignment) {
        const char *c;

        ck_assert_int_eq(bus_type_alignment('y'), 1);
        ck_assert_int_eq(bus_type_alignment('g'), 1);
        ck_assert_int_eq(bus_type_alignment('v'), 1);
        ck_assert_int_eq(bus_type_alignment('n'), 2);
        ck_assert_int_eq(bus_type_alignment('q'), 2);
        FOREACH_STRING(c, "b", "i", "u", "h", "s", "o", "a")
                ck_assert_int_eq(bus_type_alignment(c[0]), 4);
        FOREACH_STRING(c, "x", "t", "d", "(", "{")
                ck_assert_int_eq(bus_type_alignment(c[0]), 8);
        ck_assert_int_eq(bus_type_alignment('z'), 0);
        ck_assert_int_eq(bus_type_fixed_size('b'), 4);
        ck_assert_int_eq(bus_type_fixed_size('s'), 0);
        ck_assert(bus_type_is_basic('h'));
        ck_assert(!bus_type_is_basic('v'));
        ck_assert(!bus_type_is_basic(0));
        ck_assert(bus_type_is_fixed('d'));
        ck_assert(!bus_type_is_fixed('o'));
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-signature");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_valid);
        tcase_add_test(tc, test_invalid);
        tcase_add_test(tc, test_limits);
        tcase_add_test(tc, test_single);
        tcase_add_test(tc, test_alignment);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
