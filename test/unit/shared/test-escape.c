/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-escape.c: word splitting, C unescaping and shell quoting as a unit file's Exec*= and
 * Environment= lines are split by systemd 252.
 */

#include "escape.h"
#include "fd-util.h"
#include "string-util.h"
#include "strv.h"
#include "test-helpers.h"

/* Splits s completely and returns the words joined by "|", or "ERR<errno>" on failure. */
static char *split_joined(const char *s, const char *sep, ExtractFlags flags) {
        _cleanup_strv_free_ char **l = NULL;
        char *j;
        int r;

        r = strv_split_full(s, sep, flags, &l);
        if (r < 0) {
                ck_assert_int_eq(asprintf_safe(&j, "ERR%d", -r), 0);
                return j;
        }
        ck_assert_int_eq((int) strv_length(l), r);
        j = strv_join(l, "|");
        ck_assert_ptr_nonnull(j);
        return j;
}

#define assert_split(s, sep, flags, expected)                                  \
        do {                                                                   \
                _cleanup_free_ char *_j = split_joined((s), (sep), (flags));  \
                ck_assert_str_eq(_j, (expected));                              \
        } while (0)

#define EXEC_FLAGS (EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE)

START_TEST(test_extract_plain_words) {
        const char *p, *orig;
        char *t;

        p = orig = "foobar waldo";
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, 0), 1);
        ck_assert_str_eq(t, "foobar");
        ck_assert_ptr_eq(p, orig + 7);
        free(t);
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, 0), 1);
        ck_assert_str_eq(t, "waldo");
        ck_assert_ptr_null(p);
        free(t);
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, 0), 0);
        ck_assert_ptr_null(t);

        /* trailing blanks are consumed with the word */
        p = "  a  \t ";
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, 0), 1);
        ck_assert_str_eq(t, "a");
        ck_assert_ptr_null(p);
        free(t);

        p = "";
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, 0), 0);
        ck_assert_ptr_null(t);
        p = "   ";
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, 0), 0);
        ck_assert_ptr_null(t);

        assert_split("    one    two\t three", NULL, 0, "one|two|three");
        assert_split("", NULL, 0, "");
        /* without any flag quotes are ordinary characters */
        assert_split("\"foobar\" 'waldo'", NULL, 0, "\"foobar\"|'waldo'");
        assert_split("'fooo", NULL, 0, "'fooo");
        /* without CUNESCAPE a backslash just makes the next character literal */
        assert_split("foo\\xbar a\\ b", NULL, 0, "fooxbar|a b");
}
END_TEST

START_TEST(test_extract_quotes) {
        const char *p, *orig;
        char *t;

        assert_split("\"foobar\" 'waldo'", NULL, EXTRACT_UNQUOTE, "foobar|waldo");
        assert_split("a\"b c\"d", NULL, EXTRACT_UNQUOTE, "ab cd");
        assert_split("\"\" ''", NULL, EXTRACT_UNQUOTE, "|");
        assert_split("KEY=val \"KEY2=val with space\" \"KEY3=val with \\\"quotation\\\"\"", NULL,
                     EXTRACT_UNQUOTE, "KEY=val|KEY2=val with space|KEY3=val with \"quotation\"");
        assert_split("'a \"b' \"c 'd\"", NULL, EXTRACT_UNQUOTE, "a \"b|c 'd");
        assert_split("\"a b\" 'c d'", NULL, EXTRACT_KEEP_QUOTE, "\"a b\"|'c d'");
        assert_split("    'one'  \"  two\t three \" ' four  five'", NULL, EXTRACT_UNQUOTE,
                     "one|  two\t three | four  five");

        /* unterminated quotes */
        p = orig = "'fooo";
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, EXTRACT_UNQUOTE), -EINVAL);
        ck_assert_ptr_eq(p, orig + 5);
        p = orig = "\"";
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, EXTRACT_UNQUOTE), -EINVAL);
        ck_assert_ptr_eq(p, orig + 1);
        assert_split("ok \"open", NULL, EXTRACT_UNQUOTE, "ERR22");
        assert_split("ok 'fooo", NULL, EXTRACT_UNQUOTE | EXTRACT_RELAX, "ok|fooo");
        assert_split("    'one'  \"  two\t three \"' four  five", NULL, EXTRACT_UNQUOTE | EXTRACT_RELAX,
                     "one|  two\t three  four  five");
}
END_TEST

START_TEST(test_extract_escapes) {
        const char *p;
        char *t;

        /* The C escapes Exec*= and Environment= decode */
        assert_split("\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\\s", NULL, EXEC_FLAGS, "\a\b\f\n\r\t\v\\\"' ");
        assert_split("\\x41\\102\\u00e9\\U0001F600", NULL, EXEC_FLAGS, "AB\xc3\xa9\xf0\x9f\x98\x80");
        assert_split("\"a\\tb\" 'c\\nd'", NULL, EXEC_FLAGS, "a\tb|c\nd");
        /* \xNN is a raw byte, not a code point */
        assert_split("\\xff", NULL, EXEC_FLAGS, "\xff");

        /* escapes that would produce NUL, unknown escapes, incomplete escapes */
        assert_split("a\\x00b", NULL, EXEC_FLAGS, "ERR22");
        assert_split("a\\000b", NULL, EXEC_FLAGS, "ERR22");
        assert_split("a\\u0000", NULL, EXEC_FLAGS, "ERR22");
        assert_split("a\\U00000000", NULL, EXEC_FLAGS, "ERR22");
        assert_split("\\400", NULL, EXEC_FLAGS, "ERR22");
        assert_split("\\U00110000", NULL, EXEC_FLAGS, "ERR22");
        assert_split("a\\qb", NULL, EXEC_FLAGS, "ERR22");
        assert_split("\\x4", NULL, EXEC_FLAGS, "ERR22");
        assert_split("a\\qb \\x00", NULL, EXEC_FLAGS | EXTRACT_UNESCAPE_RELAX, "a\\qb|\\x00");
        assert_split("a\\qb", NULL, EXEC_FLAGS | EXTRACT_CUNESCAPE_RELAX, "a\\qb");

        /* trailing backslash */
        assert_split("foo\\", NULL, 0, "ERR22");
        assert_split("foo\\", NULL, EXTRACT_RELAX, "foo");
        assert_split("foo\\", NULL, EXTRACT_UNESCAPE_RELAX, "foo\\");
        assert_split("\"foo\\", NULL, EXTRACT_UNQUOTE | EXTRACT_UNESCAPE_RELAX, "ERR22");
        assert_split("\"foo\\", NULL, EXTRACT_UNQUOTE | EXTRACT_UNESCAPE_RELAX | EXTRACT_RELAX, "foo\\");
        assert_split("\\", NULL, EXTRACT_UNQUOTE | EXTRACT_RELAX | EXTRACT_UNESCAPE_RELAX, "\\");

        /* escaped separators */
        assert_split("a\\:b:c", ":", EXTRACT_UNESCAPE_SEPARATORS, "a:b|c");
        assert_split("a\\\\b", ":", EXTRACT_UNESCAPE_SEPARATORS, "a\\b");
        assert_split("a\\nb", ":", EXTRACT_UNESCAPE_SEPARATORS, "ERR22");
        assert_split("a\\nb\\:c", ":", EXTRACT_UNESCAPE_SEPARATORS | EXTRACT_CUNESCAPE, "a\nb:c");

        /* RETAIN_ESCAPE keeps backslashes and lets them not protect anything */
        assert_split("a\\ b", NULL, EXTRACT_RETAIN_ESCAPE, "a\\|b");
        p = "a\\:b";
        ck_assert_int_eq(extract_first_word(&p, &t, ":", EXTRACT_RETAIN_SEPARATORS | EXTRACT_RETAIN_ESCAPE), 1);
        ck_assert_str_eq(t, "a\\");
        ck_assert_str_eq(p, ":b");
        free(t);
}
END_TEST

START_TEST(test_extract_separators) {
        const char *p, *orig;
        char *t;

        p = orig = ":foo\\:bar::waldo:";
        ck_assert_int_eq(extract_first_word(&p, &t, ":", EXTRACT_DONT_COALESCE_SEPARATORS), 1);
        ck_assert_str_eq(t, "");
        ck_assert_ptr_eq(p, orig + 1);
        free(t);
        ck_assert_int_eq(extract_first_word(&p, &t, ":", EXTRACT_DONT_COALESCE_SEPARATORS), 1);
        ck_assert_str_eq(t, "foo:bar");
        ck_assert_ptr_eq(p, orig + 10);
        free(t);
        ck_assert_int_eq(extract_first_word(&p, &t, ":", EXTRACT_DONT_COALESCE_SEPARATORS), 1);
        ck_assert_str_eq(t, "");
        free(t);
        ck_assert_int_eq(extract_first_word(&p, &t, ":", EXTRACT_DONT_COALESCE_SEPARATORS), 1);
        ck_assert_str_eq(t, "waldo");
        ck_assert_ptr_eq(p, orig + 17);
        free(t);
        ck_assert_int_eq(extract_first_word(&p, &t, ":", EXTRACT_DONT_COALESCE_SEPARATORS), 1);
        ck_assert_str_eq(t, "");
        ck_assert_ptr_null(p);
        free(t);
        ck_assert_int_eq(extract_first_word(&p, &t, ":", EXTRACT_DONT_COALESCE_SEPARATORS), 0);
        ck_assert_ptr_null(t);

        assert_split("a,,b,", ",", 0, "a|b");
        assert_split("", ":", EXTRACT_DONT_COALESCE_SEPARATORS, "");

        /* RETAIN_SEPARATORS leaves the pointer on the separator */
        p = "a>:b";
        ck_assert_int_eq(extract_first_word(&p, &t, ">:", EXTRACT_RETAIN_SEPARATORS | EXTRACT_DONT_COALESCE_SEPARATORS), 1);
        ck_assert_str_eq(t, "a");
        ck_assert_str_eq(p, ">:b");
        free(t);
        ck_assert_int_eq(extract_first_word(&p, &t, ">:", EXTRACT_RETAIN_SEPARATORS | EXTRACT_DONT_COALESCE_SEPARATORS), 1);
        ck_assert_str_eq(t, "");
        ck_assert_str_eq(p, ">:b");
        free(t);
        p = "foo   bar";
        ck_assert_int_eq(extract_first_word(&p, &t, NULL, EXTRACT_RETAIN_SEPARATORS), 1);
        ck_assert_str_eq(t, "foo");
        ck_assert_str_eq(p, "   bar");
        free(t);

        /* a quoted separator does not split */
        assert_split("'a:b':c", ":", EXTRACT_UNQUOTE, "a:b|c");
}
END_TEST

START_TEST(test_cunescape) {
        _cleanup_free_ char *u = NULL;
        const char *in = "abc\\\\\\\"\\b\\f\\a\\n\\r\\t\\v\\003\\177\\234\\313\\000\\x00";

        ck_assert_int_lt(cunescape(in, strlen(in), 0, &u), 0);
        ck_assert_ptr_null(u);
        ck_assert_int_ge(cunescape(in, strlen(in), UNESCAPE_RELAX, &u), 0);
        ck_assert_str_eq(u, "abc\\\"\b\f\a\n\r\t\v\003\177\234\313\\000\\x00");
        u = mfree(u);

        const char *bad, *nul;

        FOREACH_STRING(bad, "\\x0", "\\x", "\\", "\\11", "\\1", "\\u12", "\\q") {
                ck_assert_int_eq(cunescape(bad, strlen(bad), 0, &u), -EINVAL);
                ck_assert_int_eq(cunescape(bad, strlen(bad), UNESCAPE_RELAX, &u), (ssize_t) strlen(bad));
                ck_assert_str_eq(u, bad);
                u = mfree(u);
        }

        ck_assert_int_eq(cunescape("\\u0000", 6, 0, &u), -EINVAL);
        ck_assert_int_eq(cunescape("\\u00DF\\U000000df\\u03a0\\U00000041", 32, 0, &u), 7);
        ck_assert_str_eq(u, "ßßΠA");
        u = mfree(u);
        ck_assert_int_eq(cunescape("\\073\\s", 6, 0, &u), 2);
        ck_assert_str_eq(u, "; ");
        u = mfree(u);
        ck_assert_int_eq(cunescape("A=A\\\\x0aB", 9, 0, &u), 8);
        ck_assert_str_eq(u, "A=A\\x0aB");
        u = mfree(u);

        /* only the first length bytes are read: an escape cut short is incomplete */
        ck_assert_int_eq(cunescape("ab\\x41", 5, 0, &u), -EINVAL);
        ck_assert_int_eq(cunescape("ab\\x41zz", 6, 0, &u), 3);
        ck_assert_str_eq(u, "abA");
        u = mfree(u);

        FOREACH_STRING(nul, "\\x00\\x00\\x00", "\\u0000\\u0000\\u0000", "\\U00000000\\U00000000\\U00000000",
                       "\\000\\000\\000") {
                ck_assert_int_eq(cunescape(nul, strlen(nul), UNESCAPE_ACCEPT_NUL, &u), 3);
                ck_assert_int_eq(memcmp(u, "\0\0\0", 4), 0);
                u = mfree(u);
        }
}
END_TEST

START_TEST(test_cescape) {
        _cleanup_free_ char *t = NULL, *back = NULL;
        const char *in = "abc\\\"\b\f\n\r\t\v\a\003\177\234\313'";

        t = cescape(in);
        ck_assert_str_eq(t, "abc\\\\\\\"\\b\\f\\n\\r\\t\\v\\a\\003\\177\\234\\313\\'");
        /* cunescape() reverses it */
        ck_assert_int_eq(cunescape(t, strlen(t), 0, &back), (ssize_t) strlen(in));
        ck_assert_str_eq(back, in);
        free(t);
        t = cescape("");
        ck_assert_str_eq(t, "");
}
END_TEST

static void assert_quote(const char *s, ShellEscapeFlags flags, const char *expected) {
        _cleanup_free_ char *q = shell_maybe_quote_full(s, flags);

        ck_assert_str_eq(q, expected);
        if (flags == 0) {
                _cleanup_free_ char *q2 = shell_maybe_quote(s);
                ck_assert_str_eq(q2, expected);
        }
}

START_TEST(test_shell_maybe_quote) {
        assert_quote("", 0, "");
        assert_quote("", SHELL_ESCAPE_EMPTY, "\"\"");
        assert_quote("\\", 0, "\"\\\\\"");
        assert_quote("\\", SHELL_ESCAPE_POSIX, "$'\\\\'");
        assert_quote("\"", 0, "\"\\\"\"");
        assert_quote("\"", SHELL_ESCAPE_POSIX, "$'\"'");
        assert_quote("foobar", 0, "foobar");
        assert_quote("/usr/bin/foo-bar_1.2,x=y@z:%+", 0, "/usr/bin/foo-bar_1.2,x=y@z:%+");
        assert_quote("foo bar", 0, "\"foo bar\"");
        assert_quote("foo bar", SHELL_ESCAPE_POSIX, "$'foo bar'");
        assert_quote("foo\tbar", 0, "\"foo\\tbar\"");
        assert_quote("foo\nbar", SHELL_ESCAPE_POSIX, "$'foo\\nbar'");
        assert_quote("foo \"bar\" waldo", 0, "\"foo \\\"bar\\\" waldo\"");
        assert_quote("foo$bar", 0, "\"foo\\$bar\"");
        assert_quote("foo$bar", SHELL_ESCAPE_POSIX, "$'foo$bar'");
        assert_quote("foo!bar", 0, "\"foo!bar\"");
        assert_quote("a*b", 0, "\"a*b\"");
        assert_quote("it's", 0, "\"it's\"");
        assert_quote("a`b", 0, "\"a\\`b\"");
        assert_quote("a\nb\001", 0, "\"a\\nb\\001\"");
        assert_quote("głąb", 0, "głąb");
        assert_quote("głąb\002\003rząd", 0, "\"głąb\\002\\003rząd\"");
        /* invalid UTF-8 is quoted and octal-escaped */
        assert_quote("a\xffz", 0, "\"a\\377z\"");
}
END_TEST

START_TEST(test_shell_escape_and_command_line) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
        char *argv[] = { (char *) "/bin/echo", (char *) "hello world", (char *) "", (char *) "$x", NULL };

        a = shell_escape("foo:bar,baz\\", ",:");
        ck_assert_str_eq(a, "foo\\:bar\\,baz\\\\");
        b = quote_command_line(argv, 0);
        ck_assert_str_eq(b, "/bin/echo \"hello world\"  \"\\$x\"");
        c = quote_command_line(argv, SHELL_ESCAPE_EMPTY);
        ck_assert_str_eq(c, "/bin/echo \"hello world\" \"\" \"\\$x\"");
}
END_TEST

START_TEST(test_unichar) {
        ck_assert(unichar_is_valid('a'));
        ck_assert(unichar_is_valid(0x10FFFD));
        ck_assert(!unichar_is_valid(0xD800));
        ck_assert(!unichar_is_valid(0xFFFE));
        ck_assert(!unichar_is_valid(0xFDD0));
        ck_assert(!unichar_is_valid(0x110000));
        ck_assert_int_eq(utf8_encoded_valid_unichar("\xc3\xa9", 2), 2);
        ck_assert_int_eq(utf8_encoded_valid_unichar("\xc3", 1), -EINVAL);
        ck_assert_int_eq(utf8_encoded_valid_unichar("\xef\xbf\xbe", 3), -EINVAL); /* U+FFFE */

        /* Whole strings, as systemd's utf8_is_valid() judges them. */
        ck_assert(utf8_is_valid(""));
        ck_assert(utf8_is_valid("plain \x01 ascii"));
        ck_assert(utf8_is_valid("\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80"));
        ck_assert(!utf8_is_valid("a\xef\xbf\xbe")); /* U+FFFE */
        ck_assert(!utf8_is_valid("\xef\xb7\x90" "b")); /* U+FDD0 */
        ck_assert(!utf8_is_valid("ab\xc3"));           /* truncated */
        ck_assert(!utf8_is_valid("\xed\xa0\x80"));    /* surrogate */
        ck_assert(!utf8_is_valid("\xc0\xaf"));         /* overlong */
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("escape");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_extract_plain_words);
        tcase_add_test(tc, test_extract_quotes);
        tcase_add_test(tc, test_extract_escapes);
        tcase_add_test(tc, test_extract_separators);
        tcase_add_test(tc, test_cunescape);
        tcase_add_test(tc, test_cescape);
        tcase_add_test(tc, test_shell_maybe_quote);
        tcase_add_test(tc, test_shell_escape_and_command_line);
        tcase_add_test(tc, test_unichar);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
