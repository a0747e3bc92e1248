/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-parse-util.c: booleans, integers, sizes, percentages and identifiers as unit files spell
 * them (values from systemd 252's documentation and behaviour).
 */

#include <inttypes.h>

#include "parse-util.h"
#include "test-helpers.h"

START_TEST(test_parse_boolean) {
        const char *s;

        FOREACH_STRING(s, "1", "y", "Y", "yes", "YES", "Yes", "true", "TRUE", "t", "T", "on", "ON", "oN")
                ck_assert_int_eq(parse_boolean(s), 1);
        FOREACH_STRING(s, "0", "n", "N", "no", "NO", "false", "FALSE", "f", "F", "off", "OFF")
                ck_assert_int_eq(parse_boolean(s), 0);
        FOREACH_STRING(s, "garbage", "", "full", " yes", "yes ", "2", "enable", "of")
                ck_assert_int_eq(parse_boolean(s), -EINVAL);
        ck_assert_int_eq(parse_boolean(NULL), -EINVAL);
}
END_TEST

START_TEST(test_unsigned) {
        unsigned u = 7;
        uint64_t u64 = 7;
        uint32_t u32;
        uint16_t u16 = 7;
        uint8_t u8 = 7;

        ck_assert_int_eq(safe_atou("12345", &u), 0);
        ck_assert_uint_eq(u, 12345);
        ck_assert_int_eq(safe_atou("  +12345", &u), 0);
        ck_assert_uint_eq(u, 12345);
        /* C-style prefixes with the default base */
        ck_assert_int_eq(safe_atou("0x1f", &u), 0);
        ck_assert_uint_eq(u, 31);
        ck_assert_int_eq(safe_atou("010", &u), 0);
        ck_assert_uint_eq(u, 8);
        ck_assert_int_eq(safe_atou("0o17", &u), 0);
        ck_assert_uint_eq(u, 15);
        ck_assert_int_eq(safe_atou("0B101", &u), 0);
        ck_assert_uint_eq(u, 5);
        ck_assert_int_eq(safe_atou("-0", &u), 0);
        ck_assert_uint_eq(u, 0);

        /* failures leave the output alone */
        u = 7;
        ck_assert_int_eq(safe_atou("-1", &u), -ERANGE);
        ck_assert_int_eq(safe_atou("  -1", &u), -ERANGE);
        ck_assert_int_eq(safe_atou("4294967296", &u), -ERANGE);
        ck_assert_int_eq(safe_atou("99999999999999999999999", &u), -ERANGE);
        ck_assert_int_eq(safe_atou("", &u), -EINVAL);
        ck_assert_int_eq(safe_atou("   ", &u), -EINVAL);
        ck_assert_int_eq(safe_atou("junk", &u), -EINVAL);
        ck_assert_int_eq(safe_atou("123x", &u), -EINVAL);
        ck_assert_int_eq(safe_atou("12.3", &u), -EINVAL);
        ck_assert_int_eq(safe_atou("12 ", &u), -EINVAL);
        ck_assert_int_eq(safe_atou("08", &u), -EINVAL);
        ck_assert_uint_eq(u, 7);
        ck_assert_int_eq(safe_atou("4294967295", &u), 0);
        ck_assert_uint_eq(u, 4294967295U);
        ck_assert_int_eq(safe_atou("5", NULL), 0);

        ck_assert_int_eq(safe_atou32("4294967295", &u32), 0);
        ck_assert_uint_eq(u32, UINT32_MAX);
        ck_assert_int_eq(safe_atou32("4294967296", &u32), -ERANGE);

        ck_assert_int_eq(safe_atou64("18446744073709551615", &u64), 0);
        ck_assert_uint_eq(u64, UINT64_MAX);
        ck_assert_int_eq(safe_atou64("18446744073709551616", &u64), -ERANGE);
        ck_assert_int_eq(safe_atou64("-1", &u64), -ERANGE);
        ck_assert_int_eq(safe_atoux64("ffff", &u64), 0);
        ck_assert_uint_eq(u64, 0xffff);
        ck_assert_int_eq(safe_atoux64("0x12", &u64), 0); /* strtoull() takes 0x with base 16 */
        ck_assert_uint_eq(u64, 0x12);
        ck_assert_int_eq(safe_atoux64("xyz", &u64), -EINVAL);

        ck_assert_int_eq(safe_atou16("65535", &u16), 0);
        ck_assert_uint_eq(u16, 65535);
        ck_assert_int_eq(safe_atou16("65536", &u16), -ERANGE);
        ck_assert_int_eq(safe_atou16("123456", &u16), -ERANGE);
        ck_assert_uint_eq(u16, 65535);

        ck_assert_int_eq(safe_atou8("255", &u8), 0);
        ck_assert_uint_eq(u8, 255);
        ck_assert_int_eq(safe_atou8("256", &u8), -ERANGE);
        ck_assert_int_eq(safe_atou8("-5", &u8), -ERANGE);

        /* the strictness flags */
        ck_assert_int_eq(safe_atou_full(" 5", 10 | SAFE_ATO_REFUSE_LEADING_WHITESPACE, &u), -EINVAL);
        ck_assert_int_eq(safe_atou_full("+5", 10 | SAFE_ATO_REFUSE_PLUS_MINUS, &u), -EINVAL);
        ck_assert_int_eq(safe_atou_full("-5", 10 | SAFE_ATO_REFUSE_PLUS_MINUS, &u), -EINVAL);
        ck_assert_int_eq(safe_atou_full("05", 10 | SAFE_ATO_REFUSE_LEADING_ZERO, &u), -EINVAL);
        ck_assert_int_eq(safe_atou_full("0", 10 | SAFE_ATO_REFUSE_LEADING_ZERO, &u), 0);
        ck_assert_int_eq(safe_atou_full("010", 10, &u), 0);
        ck_assert_uint_eq(u, 10);
}
END_TEST

START_TEST(test_signed) {
        int i = 7;
        int64_t i64;
        int16_t i16;

        ck_assert_int_eq(safe_atoi("-12345", &i), 0);
        ck_assert_int_eq(i, -12345);
        ck_assert_int_eq(safe_atoi("  +42", &i), 0);
        ck_assert_int_eq(i, 42);
        ck_assert_int_eq(safe_atoi("0x5", &i), 0);
        ck_assert_int_eq(i, 5);
        ck_assert_int_eq(safe_atoi("-0o6", &i), -EINVAL); /* the prefix must come first */
        ck_assert_int_eq(safe_atoi("0o6", &i), 0);
        ck_assert_int_eq(i, 6);
        ck_assert_int_eq(safe_atoi("2147483647", &i), 0);
        ck_assert_int_eq(i, INT32_MAX);
        ck_assert_int_eq(safe_atoi("-2147483648", &i), 0);
        ck_assert_int_eq(i, INT32_MIN);
        ck_assert_int_eq(safe_atoi("2147483648", &i), -ERANGE);
        ck_assert_int_eq(safe_atoi("-2147483649", &i), -ERANGE);
        ck_assert_int_eq(safe_atoi("", &i), -EINVAL);
        ck_assert_int_eq(safe_atoi("1 ", &i), -EINVAL);
        ck_assert_int_eq(i, INT32_MIN);

        ck_assert_int_eq(safe_atoi64("-9223372036854775808", &i64), 0);
        ck_assert(i64 == INT64_MIN);
        ck_assert_int_eq(safe_atoi64("9223372036854775808", &i64), -ERANGE);
        ck_assert_int_eq(safe_atoi64("12345678901234567890", &i64), -ERANGE);
        ck_assert_int_eq(safe_atoi64("-12345678901234567890", &i64), -ERANGE);
        ck_assert_int_eq(safe_atoi64("junk", &i64), -EINVAL);

        ck_assert_int_eq(safe_atoi16("-32768", &i16), 0);
        ck_assert_int_eq(i16, -32768);
        ck_assert_int_eq(safe_atoi16("32768", &i16), -ERANGE);
}
END_TEST

static void assert_size(const char *s, uint64_t base, int r, uint64_t expected) {
        uint64_t v = 4242;

        ck_assert_msg(parse_size(s, base, &v) == r, "parse_size(\"%s\", %" PRIu64 ") != %d", s, base, r);
        ck_assert_msg(v == (r == 0 ? expected : 4242), "parse_size(\"%s\") = %" PRIu64, s, v);
}

START_TEST(test_parse_size) {
        const uint64_t K = 1024, M = K * K, G = M * K, T = G * K, P = T * K, E = P * K;

        assert_size("", 1024, -EINVAL, 0);
        assert_size("512", 1024, 0, 512);
        assert_size("111.4", 1024, 0, 111);
        assert_size(" 112 B", 1024, 0, 112);
        assert_size(" 112.6 B", 1024, 0, 112);
        assert_size("1K", 1024, 0, K);
        assert_size("1.5K", 1024, 0, K + 512);
        assert_size("3.5 K", 1024, 0, 3 * K + 512);
        assert_size("3. K", 1024, 0, 3 * K);
        assert_size("3.0 K", 1024, 0, 3 * K);
        assert_size("1G", 1024, 0, G);
        assert_size("1G", 1000, 0, 1000000000);
        assert_size("1E", 1024, 0, E);
        assert_size("1E", 1000, 0, UINT64_C(1000000000000000000));
        assert_size(" 4 M 11.5K", 1024, 0, 4 * M + 11 * K + 512);
        assert_size("3.5G3B", 1024, 0, 3 * G + 512 * M + 3);
        assert_size("4T3G3B", 1024, 0, 4 * T + 3 * G + 3);
        assert_size(" 4 T 3 G 3 B", 1000, 0, UINT64_C(4003000000003));
        assert_size("12P", 1024, 0, 12 * P);
        assert_size("3E 2P", 1024, 0, 3 * E + 2 * P);
        assert_size("15E", 1024, 0, 15 * E);
        assert_size("16E", 1024, -ERANGE, 0);
        assert_size("15E 1023P 1023T 1023G 1023M 1023K 1023", 1024, 0, UINT64_MAX);
        assert_size("15E 1023P 1023T 1023G 1023M 1023K 1024", 1024, -ERANGE, 0);

        /* parts must come in falling order, each suffix once; suffixes are upper case */
        assert_size("3. 0 K", 1024, -EINVAL, 0);
        assert_size("3B3.5G", 1024, -EINVAL, 0);
        assert_size("12P12P", 1024, -EINVAL, 0);
        assert_size("1 1", 1024, -EINVAL, 0);
        assert_size("1k", 1024, -EINVAL, 0);
        assert_size("1KB", 1024, -EINVAL, 0);
        assert_size("12X", 1024, -EINVAL, 0);
        assert_size("12.5e3", 1000, -EINVAL, 0);
        assert_size("K", 1024, -EINVAL, 0);

        assert_size("1024E", 1024, -ERANGE, 0);
        assert_size("1000E", 1000, -ERANGE, 0);
        assert_size("-1", 1024, -ERANGE, 0);
        assert_size("-1024E", 1024, -ERANGE, 0);
        assert_size("-10B 20K", 1000, -ERANGE, 0);
        assert_size("99999999999999999999999", 1024, -ERANGE, 0);
}
END_TEST

START_TEST(test_percent) {
        ck_assert_int_eq(parse_percent("0%"), 0);
        ck_assert_int_eq(parse_percent("50%"), 50);
        ck_assert_int_eq(parse_percent("100%"), 100);
        ck_assert_int_eq(parse_percent(" 5%"), 5);
        ck_assert_int_eq(parse_percent("101%"), -ERANGE);
        ck_assert_int_eq(parse_percent("-1%"), -ERANGE);
        ck_assert_int_eq(parse_percent("50"), -EINVAL);
        ck_assert_int_eq(parse_percent("%"), -EINVAL);
        ck_assert_int_eq(parse_percent(""), -EINVAL);
        ck_assert_int_eq(parse_percent("5 %"), -EINVAL);
        ck_assert_int_eq(parse_percent("1.5%"), -EINVAL);
        ck_assert_int_eq(parse_percent("50%%"), -EINVAL);
        ck_assert_int_eq(parse_percent_unbounded("400%"), 400);
        ck_assert_int_eq(parse_percent_unbounded("-400%"), -ERANGE);

        ck_assert_int_eq(parse_permille("50%"), 500);
        ck_assert_int_eq(parse_permille("12.3%"), 123);
        ck_assert_int_eq(parse_permille("100.0%"), 1000);
        ck_assert_int_eq(parse_permille("100.1%"), -ERANGE);
        ck_assert_int_eq(parse_permille("12.34%"), -EINVAL);
        ck_assert_int_eq(parse_permille("12.%"), -EINVAL);
        ck_assert_int_eq(parse_permille("12‰"), 12);
        ck_assert_int_eq(parse_permille("1000‰"), 1000);
        ck_assert_int_eq(parse_permille("1001‰"), -ERANGE);
        ck_assert_int_eq(parse_permille("1.5‰"), -EINVAL);
        ck_assert_int_eq(parse_permille_unbounded("2000‰"), 2000);

        ck_assert_int_eq(parse_permyriad("12.34%"), 1234);
        ck_assert_int_eq(parse_permyriad("12.3%"), 1230);
        ck_assert_int_eq(parse_permyriad("100%"), 10000);
        ck_assert_int_eq(parse_permyriad("100.01%"), -ERANGE);
        ck_assert_int_eq(parse_permyriad("1.234%"), -EINVAL);
        ck_assert_int_eq(parse_permyriad("12.3‰"), 123);
        ck_assert_int_eq(parse_permyriad("12.34‰"), -EINVAL);
        ck_assert_int_eq(parse_permyriad("12‱"), 12);
        ck_assert_int_eq(parse_permyriad("10001‱"), -ERANGE);
        ck_assert_int_eq(parse_permyriad_unbounded("20000‱"), 20000);
        ck_assert_int_eq(parse_permyriad_unbounded("2147483647%"), -ERANGE);
}
END_TEST

START_TEST(test_mode_pid_uid) {
        mode_t m = 0;
        pid_t pid = 65;
        uid_t uid = 5, lo, hi;

        ck_assert_int_lt(parse_mode("-1", &m), 0);
        ck_assert_int_lt(parse_mode("+1", &m), 0);
        ck_assert_int_lt(parse_mode("", &m), 0);
        ck_assert_int_lt(parse_mode("888", &m), 0);
        ck_assert_int_eq(parse_mode("77777", &m), -ERANGE);
        ck_assert_int_lt(parse_mode("0x1ff", &m), 0);
        ck_assert_int_eq(parse_mode("544", &m), 0);
        ck_assert_uint_eq(m, 0544);
        ck_assert_int_eq(parse_mode("00544", &m), 0);
        ck_assert_uint_eq(m, 0544);
        ck_assert_int_eq(parse_mode("07777", &m), 0);
        ck_assert_uint_eq(m, 07777);
        ck_assert_int_eq(parse_mode(" 1", &m), 0);
        ck_assert_uint_eq(m, 1);

        ck_assert_int_eq(parse_pid("100", &pid), 0);
        ck_assert_int_eq(pid, 100);
        ck_assert_int_eq(parse_pid("0x7FFFFFFF", &pid), 0);
        ck_assert_int_eq(pid, 2147483647);
        pid = 65;
        ck_assert_int_eq(parse_pid("0", &pid), -ERANGE);
        ck_assert_int_eq(parse_pid("-100", &pid), -ERANGE);
        ck_assert_int_eq(parse_pid("0xFFFFFFFFFFFFFFFFF", &pid), -ERANGE);
        ck_assert_int_eq(parse_pid("2147483648", &pid), -ERANGE);
        ck_assert_int_eq(parse_pid("junk", &pid), -EINVAL);
        ck_assert_int_eq(parse_pid("", &pid), -EINVAL);
        ck_assert_int_eq(pid, 65);

        ck_assert_int_eq(parse_uid("0", &uid), 0);
        ck_assert_uint_eq(uid, 0);
        ck_assert_int_eq(parse_uid("1000", &uid), 0);
        ck_assert_uint_eq(uid, 1000);
        ck_assert_int_eq(parse_uid("4294967294", &uid), 0);
        ck_assert_int_eq(parse_uid("4294967295", &uid), -ENXIO);
        ck_assert_int_eq(parse_uid("65535", &uid), -ENXIO);
        ck_assert_int_eq(parse_uid("4294967296", &uid), -ERANGE);
        ck_assert_int_eq(parse_uid("01000", &uid), -EINVAL);
        ck_assert_int_eq(parse_uid(" 1000", &uid), -EINVAL);
        ck_assert_int_eq(parse_uid("+1000", &uid), -EINVAL);
        ck_assert_int_eq(parse_uid("-1", &uid), -EINVAL);
        ck_assert_int_eq(parse_uid("0x10", &uid), -EINVAL);
        ck_assert_int_eq(parse_uid("root", &uid), -EINVAL);
        ck_assert_uint_eq(uid, 4294967294U);

        {
                gid_t g;
                ck_assert_int_eq(parse_gid("100", &g), 0);
                ck_assert_uint_eq(g, 100);
        }

        ck_assert_int_eq(parse_uid_range("100-200", &lo, &hi), 0);
        ck_assert_uint_eq(lo, 100);
        ck_assert_uint_eq(hi, 200);
        ck_assert_int_eq(parse_uid_range("100", &lo, &hi), 0);
        ck_assert_uint_eq(hi, 100);
        ck_assert_int_eq(parse_uid_range("200-100", &lo, &hi), -EINVAL);
        ck_assert_int_eq(parse_uid_range("100-", &lo, &hi), -EINVAL);
        ck_assert_int_eq(parse_uid_range("-100", &lo, &hi), -EINVAL);
        ck_assert_int_eq(parse_uid_range("100-x", &lo, &hi), -EINVAL);
        ck_assert_int_eq(parse_uid_range("65535-70000", &lo, &hi), -ENXIO);
}
END_TEST

START_TEST(test_misc) {
        unsigned lo, hi;
        int n;

        ck_assert_int_eq(parse_ifindex("1"), 1);
        ck_assert_int_eq(parse_ifindex("42"), 42);
        ck_assert_int_eq(parse_ifindex("0"), -EINVAL);
        ck_assert_int_eq(parse_ifindex("-1"), -EINVAL);
        ck_assert_int_eq(parse_ifindex("eth0"), -EINVAL);

        ck_assert_int_eq(parse_nice("-20", &n), 0);
        ck_assert_int_eq(n, -20);
        ck_assert_int_eq(parse_nice("19", &n), 0);
        ck_assert_int_eq(parse_nice("20", &n), -ERANGE);
        ck_assert_int_eq(parse_nice("-21", &n), -ERANGE);

        ck_assert_int_eq(parse_oom_score_adjust("-1000", &n), 0);
        ck_assert_int_eq(n, -1000);
        ck_assert_int_eq(parse_oom_score_adjust("1001", &n), -ERANGE);

        ck_assert_int_eq(parse_errno("EILSEQ"), EILSEQ);
        ck_assert_int_eq(parse_errno("ENOENT"), ENOENT);
        ck_assert_int_eq(parse_errno("EWOULDBLOCK"), EAGAIN);
        ck_assert_int_eq(parse_errno("0"), 0);
        ck_assert_int_eq(parse_errno("2"), 2);
        ck_assert_int_eq(parse_errno("4095"), 4095);
        ck_assert_int_eq(parse_errno("4096"), -ERANGE);
        ck_assert_int_eq(parse_errno("-1"), -ERANGE);
        ck_assert_int_eq(parse_errno("EFOOBAR"), -EINVAL);
        ck_assert_int_eq(parse_errno("enoent"), -EINVAL);

        ck_assert_int_eq(parse_range("5", &lo, &hi), 0);
        ck_assert_uint_eq(lo, 5);
        ck_assert_uint_eq(hi, 5);
        ck_assert_int_eq(parse_range("5-10", &lo, &hi), 0);
        ck_assert_uint_eq(lo, 5);
        ck_assert_uint_eq(hi, 10);
        ck_assert_int_eq(parse_range("5-", &lo, &hi), -EINVAL);
        ck_assert_int_eq(parse_range("-5", &lo, &hi), -EINVAL);
        ck_assert_int_eq(parse_range("a-5", &lo, &hi), -EINVAL);
        ck_assert_int_eq(parse_range("5-6-7", &lo, &hi), -EINVAL);
        /* The lower bound has no length limit of its own (systemd extracts it as a word). */
        ck_assert_int_eq(parse_range("0000000000000000000000000000000000000000000000000000000000000000"
                                     "0000000005-10", &lo, &hi), 0);
        ck_assert_uint_eq(lo, 5);
        ck_assert_uint_eq(hi, 10);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("parse-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_parse_boolean);
        tcase_add_test(tc, test_unsigned);
        tcase_add_test(tc, test_signed);
        tcase_add_test(tc, test_parse_size);
        tcase_add_test(tc, test_percent);
        tcase_add_test(tc, test_mode_pid_uid);
        tcase_add_test(tc, test_misc);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
