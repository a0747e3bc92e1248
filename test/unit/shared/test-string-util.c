/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-string-util.c: unit tests for string-util.c: comparisons, prefixes and suffixes,
 * in-place trimming, joining and extending, the ownership helpers, control-character and
 * ASCII checks, and the UTF-8 decoder/encoder (checked exhaustively: every accepted sequence
 * must re-encode to the same bytes, which rules out overlong forms, and the number of
 * accepted sequences of each length must match the Unicode scalar ranges).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "string-util.h"
#include "test-helpers.h"

START_TEST(test_streq_and_friends) {
        ck_assert(streq("abc", "abc"));
        ck_assert(!streq("abc", "abd"));
        ck_assert(streq("", ""));

        ck_assert(streq_ptr(NULL, NULL));
        ck_assert(streq_ptr("a", "a"));
        ck_assert(!streq_ptr("a", NULL));
        ck_assert(!streq_ptr(NULL, "a"));
        ck_assert(!streq_ptr("a", "b"));

        ck_assert_int_eq(strcmp_ptr(NULL, NULL), 0);
        ck_assert_int_lt(strcmp_ptr(NULL, ""), 0);
        ck_assert_int_gt(strcmp_ptr("", NULL), 0);
        ck_assert_int_lt(strcmp_ptr("a", "b"), 0);
        ck_assert_int_gt(strcmp_ptr("b", "a"), 0);
        ck_assert_int_eq(strcmp_ptr("x", "x"), 0);

        ck_assert(isempty(NULL));
        ck_assert(isempty(""));
        ck_assert(!isempty(" "));
        ck_assert_str_eq(strempty(NULL), "");
        ck_assert_str_eq(strempty("x"), "x");
        ck_assert_str_eq(strna(NULL), "n/a");
        ck_assert_str_eq(strna("x"), "x");
        ck_assert_str_eq(yes_no(true), "yes");
        ck_assert_str_eq(yes_no(false), "no");
}
END_TEST

START_TEST(test_startswith_endswith) {
        const char *s = "foo.service";

        ck_assert_ptr_eq(startswith(s, "foo"), s + 3);
        ck_assert_str_eq(startswith(s, "foo."), "service");
        ck_assert_ptr_eq(startswith(s, ""), s);
        ck_assert_ptr_eq(startswith(s, s), s + strlen(s));
        ck_assert_ptr_null(startswith(s, "Foo"));
        ck_assert_ptr_null(startswith(s, "foo.service.d"));
        ck_assert_ptr_null(startswith("", "a"));

        ck_assert_ptr_eq(startswith_no_case(s, "FOO."), s + 4);
        ck_assert_ptr_eq(startswith_no_case(s, "foo.SERVICE"), s + strlen(s));
        ck_assert_str_eq(startswith_no_case("Hello World", "hello "), "World");
        ck_assert_ptr_null(startswith_no_case("Hell", "hello"));

        ck_assert_ptr_eq(endswith(s, ".service"), s + 3);
        ck_assert_ptr_eq(endswith(s, ""), s + strlen(s));
        ck_assert_ptr_eq(endswith(s, s), s);
        ck_assert_ptr_null(endswith(s, ".socket"));
        ck_assert_ptr_null(endswith(s, "xfoo.service"));
        ck_assert_ptr_null(endswith(".service", "a.service"));
        ck_assert_ptr_null(endswith(s, ".SERVICE"));
}
END_TEST

START_TEST(test_strstrip) {
        char a[] = "  \t hello world \n\r\t ";
        char b[] = "";
        char c[] = " \t\n\r";
        char d[] = "x";
        char e[] = "a  b";

        ck_assert_str_eq(strstrip(a), "hello world");
        ck_assert_ptr_eq(strstrip(a), a + 4);
        ck_assert_str_eq(strstrip(b), "");
        ck_assert_str_eq(strstrip(c), "");
        ck_assert_str_eq(strstrip(d), "x");
        ck_assert_str_eq(strstrip(e), "a  b");
}
END_TEST

START_TEST(test_truncate_nl) {
        char a[] = "line\n";
        char b[] = "line\r\n";
        char c[] = "one\ntwo\n";
        char d[] = "none";
        char e[] = "\n";

        ck_assert_str_eq(truncate_nl(a), "line");
        ck_assert_str_eq(truncate_nl(b), "line");
        ck_assert_str_eq(truncate_nl(c), "one"); /* cut at the first newline, like systemd */
        ck_assert_str_eq(truncate_nl(d), "none");
        ck_assert_ptr_eq(truncate_nl(e), e);
        ck_assert_str_eq(e, "");
}
END_TEST

START_TEST(test_ascii_strlower) {
        char a[] = "Foo-BAR_09.Service";
        char b[] = "\xc3\x84rger"; /* "Ärger": non-ASCII bytes are left alone */

        ck_assert_ptr_eq(ascii_strlower(a), a);
        ck_assert_str_eq(a, "foo-bar_09.service");
        ck_assert_str_eq(ascii_strlower(b), "\xc3\x84rger");
}
END_TEST

START_TEST(test_strjoin) {
        char *s;

        s = strjoin("a", "b", "c");
        ck_assert_str_eq(s, "abc");
        free(s);
        s = strjoin("", "");
        ck_assert_str_eq(s, "");
        free(s);
        s = strjoin("/etc/", "systemd", "/", "system");
        ck_assert_str_eq(s, "/etc/systemd/system");
        free(s);
        /* A NULL first argument counts as ""; a later NULL ends the list. */
        s = strjoin(NULL, "x");
        ck_assert_str_eq(s, "x");
        free(s);
        s = strjoin("a", NULL, "ignored");
        ck_assert_str_eq(s, "a");
        free(s);
}
END_TEST

START_TEST(test_strextend) {
        char *s = NULL;

        ck_assert_int_eq(strextend(&s, "a", "b"), 0);
        ck_assert_str_eq(s, "ab");
        ck_assert_int_eq(strextend(&s, "c"), 0);
        ck_assert_str_eq(s, "abc");
        ck_assert_int_eq(strextend(&s, ""), 0);
        ck_assert_str_eq(s, "abc");
        free(s);

        s = NULL;
        ck_assert_int_eq(strextend_with_separator(&s, ", ", "x"), 0);
        ck_assert_str_eq(s, "x");
        ck_assert_int_eq(strextend_with_separator(&s, ", ", "y"), 0);
        ck_assert_str_eq(s, "x, y");
        ck_assert_int_eq(strextend_with_separator(&s, NULL, "z"), 0);
        ck_assert_str_eq(s, "x, yz");
        free(s);

        s = strdup("");
        ck_assert_int_eq(strextend_with_separator(&s, ":", "first"), 0);
        ck_assert_str_eq(s, "first");
        free(s);
}
END_TEST

START_TEST(test_asprintf_safe) {
        char *s = NULL;

        ck_assert_int_eq(asprintf_safe(&s, "%s-%d-%05.1f", "x", 42, 3.14159), 0);
        ck_assert_str_eq(s, "x-42-003.1");
        free(s);
        ck_assert_int_eq(asprintf_safe(&s, "%s", ""), 0);
        ck_assert_str_eq(s, "");
        free(s);
}
END_TEST

START_TEST(test_free_and_strdup) {
        char *p = NULL, *old;

        ck_assert_int_eq(free_and_strdup(&p, "a"), 1);
        ck_assert_str_eq(p, "a");
        old = p;
        ck_assert_int_eq(free_and_strdup(&p, "a"), 0); /* equal: untouched */
        ck_assert_ptr_eq(p, old);
        ck_assert_int_eq(free_and_strdup(&p, "bcd"), 1);
        ck_assert_str_eq(p, "bcd");
        ck_assert_int_eq(free_and_strdup(&p, NULL), 1);
        ck_assert_ptr_null(p);
        ck_assert_int_eq(free_and_strdup(&p, NULL), 0);
        ck_assert_ptr_null(p);
        ck_assert_int_eq(free_and_strdup(&p, ""), 1);
        ck_assert_str_eq(p, "");
        free(p);
}
END_TEST

START_TEST(test_free_and_replace_str) {
        char *p = strdup("old");

        free_and_replace_str(&p, strdup("new"));
        ck_assert_str_eq(p, "new");
        free_and_replace_str(&p, NULL);
        ck_assert_ptr_null(p);
        free_and_replace_str(&p, strdup("again"));
        ck_assert_str_eq(p, "again");
        free(p);
}
END_TEST

START_TEST(test_string_has_cc) {
        ck_assert(!string_has_cc("plain text", NULL));
        ck_assert(!string_has_cc("", NULL));
        ck_assert(string_has_cc("tab\there", NULL));
        ck_assert(string_has_cc("nl\n", NULL));
        ck_assert(string_has_cc("del\x7f", NULL));
        ck_assert(string_has_cc("\x01", NULL));
        ck_assert(!string_has_cc("tab\there", "\t"));
        ck_assert(string_has_cc("tab\there\n", "\t"));
        ck_assert(!string_has_cc("\xc3\xa4", NULL)); /* UTF-8 is not a control character */
}
END_TEST

START_TEST(test_ascii_is_valid) {
        ck_assert(ascii_is_valid(""));
        ck_assert(ascii_is_valid("hello\x7f\x01"));
        ck_assert(!ascii_is_valid("h\xc3\xa4llo"));
        ck_assert(!ascii_is_valid("\x80"));
        ck_assert(!ascii_is_valid("\xff"));
}
END_TEST

START_TEST(test_utf8_valid_strings) {
        static const char *const good[] = {
                "",
                "plain ascii",
                "\xc3\xbc",                 /* U+00FC */
                "\xe2\x82\xac",             /* U+20AC */
                "\xf0\x9f\x98\x80",         /* U+1F600 */
                "\xf4\x8f\xbf\xbd",         /* U+10FFFD, the last valid character */
                "\xed\x9f\xbf",             /* U+D7FF, just below the surrogates */
                "\xee\x80\x80",             /* U+E000, just above them */
                "\xef\xbf\xbd",             /* U+FFFD */
                "a\xc2\x80z",               /* U+0080 */
        };
        static const char *const bad[] = {
                "\x80",                     /* lone continuation byte */
                "\xbf",
                "\xc3",                     /* truncated */
                "\xe2\x82",
                "\xf0\x9f\x98",
                "\xc0\xaf",                 /* overlong '/' */
                "\xc1\xbf",
                "\xe0\x80\xaf",
                "\xe0\x9f\xbf",             /* overlong U+07FF */
                "\xf0\x80\x80\xaf",
                "\xf0\x8f\xbf\xbf",         /* overlong U+FFFF */
                "\xed\xa0\x80",             /* U+D800 surrogate */
                "\xed\xbf\xbf",             /* U+DFFF surrogate */
                "\xf4\x90\x80\x80",         /* U+110000 */
                "\xf7\xbf\xbf\xbf",
                "\xf8\x88\x80\x80\x80",     /* 5-byte form */
                "\xfc\x84\x80\x80\x80\x80",
                "\xfe",
                "\xff",
                "\xc3\x28",                 /* bad continuation */
                "\xef\xbf\xbf",             /* U+FFFF, a noncharacter (systemd refuses them) */
                "\xf4\x8f\xbf\xbf",         /* U+10FFFF, a noncharacter */
                "\xef\xb7\x90",             /* U+FDD0, a noncharacter */
                "ok\xe2\x28\xa1",
        };

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                ck_assert_msg(utf8_is_valid(good[i]), "good[%zu] rejected", i);
                ck_assert(utf8_is_valid_n(good[i], strlen(good[i])));
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(!utf8_is_valid(bad[i]), "bad[%zu] accepted", i);

        /* The _n variant looks at exactly n bytes: a cut character is invalid, a NUL is not. */
        ck_assert(!utf8_is_valid_n("\xe2\x82\xac", 2));
        ck_assert(utf8_is_valid_n("\xe2\x82\xac", 0));
        ck_assert(utf8_is_valid_n("a\0b", 3));
        ck_assert(utf8_is_valid_n("ab\xff", 2));
        ck_assert(!utf8_is_valid_n("ab\xff", 3));
}
END_TEST

START_TEST(test_utf8_decode_one) {
        uint32_t c = 0xdeadbeef;

        ck_assert_int_eq(utf8_decode_one("A", 1, &c), 1);
        ck_assert_uint_eq(c, 'A');
        ck_assert_int_eq(utf8_decode_one("\xc3\xbc rest", 6, &c), 2);
        ck_assert_uint_eq(c, 0xfc);
        ck_assert_int_eq(utf8_decode_one("\xe2\x82\xac", 3, &c), 3);
        ck_assert_uint_eq(c, 0x20ac);
        ck_assert_int_eq(utf8_decode_one("\xf0\x9f\x98\x80", 4, &c), 4);
        ck_assert_uint_eq(c, 0x1f600);
        ck_assert_int_eq(utf8_decode_one("", 1, &c), 1); /* the NUL byte itself */
        ck_assert_uint_eq(c, 0);

        /* Failures leave *ret alone. */
        c = 0xdeadbeef;
        ck_assert_int_eq(utf8_decode_one("A", 0, &c), -EINVAL);
        ck_assert_int_eq(utf8_decode_one("\xe2\x82\xac", 2, &c), -EINVAL);
        ck_assert_int_eq(utf8_decode_one("\xc0\x80", 2, &c), -EINVAL);
        ck_assert_int_eq(utf8_decode_one("\x80", 1, &c), -EINVAL);
        ck_assert_int_eq(utf8_decode_one("\xed\xa0\x80", 3, &c), -EINVAL);
        ck_assert_uint_eq(c, 0xdeadbeef);
}
END_TEST

START_TEST(test_utf8_encode_one) {
        static const struct {
                uint32_t c;
                const char *bytes;
        } v[] = {
                { 0x0, "" },           { 0x41, "A" },
                { 0x7f, "\x7f" },      { 0x80, "\xc2\x80" },
                { 0x7ff, "\xdf\xbf" }, { 0x800, "\xe0\xa0\x80" },
                { 0x20ac, "\xe2\x82\xac" }, { 0xffff, "\xef\xbf\xbf" },
                { 0x10000, "\xf0\x90\x80\x80" }, { 0x10ffff, "\xf4\x8f\xbf\xbf" },
        };

        for (size_t i = 0; i < ELEMENTSOF(v); i++) {
                char out[4] = { 1, 1, 1, 1 };
                size_t want = MAX(strlen(v[i].bytes), (size_t) 1);

                ck_assert_uint_eq(utf8_encode_one(out, v[i].c), want);
                ck_assert_int_eq(memcmp(out, v[i].bytes, want), 0);
        }
}
END_TEST

/* Every Unicode scalar value survives encode → decode, with the length the encoder chose. */
START_TEST(test_utf8_roundtrip_all_code_points) {
        for (uint32_t c = 0; c <= 0x10ffff; c++) {
                char buf[4];
                uint32_t d = 0;
                size_t n;

                if (c >= 0xd800 && c <= 0xdfff)
                        continue;
                n = utf8_encode_one(buf, c);
                if (n != (c < 0x80 ? 1u : c < 0x800 ? 2u : c < 0x10000 ? 3u : 4u))
                        ck_abort_msg("U+%04X encoded in %zu bytes", (unsigned) c, n);
                if (utf8_decode_one(buf, n, &d) != (int) n || d != c)
                        ck_abort_msg("U+%04X does not round-trip", (unsigned) c);
        }
}
END_TEST

/* Walks every byte sequence of one length that could possibly decode and counts the
 * accepted ones; each accepted one must re-encode to itself (so no overlong form passes). */
static size_t count_accepted(size_t len, unsigned first_lo, unsigned first_hi, unsigned rest_lo,
                             unsigned rest_hi) {
        unsigned char b[4];
        size_t accepted = 0, total = 1;

        for (size_t i = 1; i < len; i++)
                total *= rest_hi - rest_lo + 1;
        for (unsigned f = first_lo; f <= first_hi; f++)
                for (size_t k = 0; k < total; k++) {
                        size_t x = k;
                        uint32_t c;
                        char enc[4];

                        b[0] = (unsigned char) f;
                        for (size_t i = 1; i < len; i++) {
                                b[i] = (unsigned char) (rest_lo + x % (rest_hi - rest_lo + 1));
                                x /= rest_hi - rest_lo + 1;
                        }
                        if (utf8_decode_one((const char *) b, len, &c) != (int) len)
                                continue;
                        accepted++;
                        if (utf8_encode_one(enc, c) != len || memcmp(enc, b, len) != 0)
                                ck_abort_msg("accepted non-canonical sequence for U+%04X",
                                             (unsigned) c);
                        if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
                                ck_abort_msg("accepted U+%04X", (unsigned) c);
                }
        return accepted;
}

START_TEST(test_utf8_exhaustive_sequences) {
        /* 1 byte: 0x00..0x7f. 2 bytes: U+0080..U+07FF. 3 bytes: U+0800..U+FFFF without the
         * 2048 surrogates. 4 bytes: U+10000..U+10FFFF. */
        ck_assert_uint_eq(count_accepted(1, 0x00, 0xff, 0, 0), 0x80);
        ck_assert_uint_eq(count_accepted(2, 0x80, 0xff, 0x00, 0xff), 0x800 - 0x80);
        ck_assert_uint_eq(count_accepted(3, 0xe0, 0xef, 0x00, 0xff), 0x10000 - 0x800 - 0x800);
        ck_assert_uint_eq(count_accepted(4, 0xf0, 0xff, 0x80, 0xbf), 0x110000 - 0x10000);
}
END_TEST

START_TEST(test_strndup_safe) {
        char *s;

        s = strndup_safe("abcdef", 3);
        ck_assert_str_eq(s, "abc");
        free(s);
        s = strndup_safe("ab", 10);
        ck_assert_str_eq(s, "ab");
        free(s);
        s = strndup_safe("ab", 0);
        ck_assert_str_eq(s, "");
        free(s);
}
END_TEST

START_TEST(test_in_charset) {
        ck_assert(in_charset("0123", DIGITS));
        ck_assert(!in_charset("12a", DIGITS));
        ck_assert(in_charset("", DIGITS));
        ck_assert(!in_charset(NULL, DIGITS));
        ck_assert(in_charset("deadBEEF", HEXDIGITS));
        ck_assert(!in_charset("xyz", HEXDIGITS));
        ck_assert(in_charset("Foo9", ALPHANUMERICAL));
        ck_assert(!in_charset("Foo 9", ALPHANUMERICAL));
        ck_assert(in_charset(" \t", WHITESPACE));
        ck_assert(in_charset("abc", LOWERCASE_LETTERS));
        ck_assert(!in_charset("abC", LOWERCASE_LETTERS));
        ck_assert(in_charset("ABC", UPPERCASE_LETTERS));
        ck_assert(in_charset("aZ", LETTERS));
        ck_assert(in_charset("\r\n", NEWLINE));
}
END_TEST

START_TEST(test_hexchar_unhexchar) {
        for (int i = 0; i < 16; i++) {
                ck_assert_int_eq(unhexchar((char) hexchar(i)), i);
                ck_assert_int_eq(hexchar(i), "0123456789abcdef"[i]);
        }
        ck_assert_int_eq(hexchar(16), '0'); /* only the low nibble counts */
        ck_assert_int_eq(hexchar(0x1f), 'f');
        ck_assert_int_eq(unhexchar('A'), 10);
        ck_assert_int_eq(unhexchar('F'), 15);
        ck_assert_int_eq(unhexchar('g'), -EINVAL);
        ck_assert_int_eq(unhexchar('G'), -EINVAL);
        ck_assert_int_eq(unhexchar(' '), -EINVAL);
        ck_assert_int_eq(unhexchar('\0'), -EINVAL);
        ck_assert_int_eq(unhexchar('/'), -EINVAL);
        ck_assert_int_eq(unhexchar(':'), -EINVAL);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("string-util");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 120); /* sanitizer builds on a busy machine are slow */
        tcase_add_test(tc, test_streq_and_friends);
        tcase_add_test(tc, test_startswith_endswith);
        tcase_add_test(tc, test_strstrip);
        tcase_add_test(tc, test_truncate_nl);
        tcase_add_test(tc, test_ascii_strlower);
        tcase_add_test(tc, test_strjoin);
        tcase_add_test(tc, test_strextend);
        tcase_add_test(tc, test_asprintf_safe);
        tcase_add_test(tc, test_free_and_strdup);
        tcase_add_test(tc, test_free_and_replace_str);
        tcase_add_test(tc, test_string_has_cc);
        tcase_add_test(tc, test_ascii_is_valid);
        tcase_add_test(tc, test_utf8_valid_strings);
        tcase_add_test(tc, test_utf8_decode_one);
        tcase_add_test(tc, test_utf8_encode_one);
        tcase_add_test(tc, test_utf8_roundtrip_all_code_points);
        tcase_add_test(tc, test_utf8_exhaustive_sequences);
        tcase_add_test(tc, test_strndup_safe);
        tcase_add_test(tc, test_in_charset);
        tcase_add_test(tc, test_hexchar_unhexchar);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
