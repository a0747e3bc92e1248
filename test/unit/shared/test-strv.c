/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-strv.c: unit tests for strv.c, the NULL-terminated string vectors. NULL is a valid
 * empty strv everywhere; the tests check that, the ownership rules of strv_consume() (the
 * value is taken over even on failure), splitting and joining, and the editing helpers.
 * Run under ASan, they also prove that every copy is freed exactly once.
 */

#include <stdlib.h>
#include <string.h>

#include "string-util.h"
#include "strv.h"
#include "test-helpers.h"

static void assert_strv(char **l, const char *const *want, size_t n) {
        ck_assert_uint_eq(strv_length(l), n);
        for (size_t i = 0; i < n; i++)
                ck_assert_str_eq(l[i], want[i]);
        if (l)
                ck_assert_ptr_null(l[n]);
}
#define ASSERT_STRV(l, ...)                                                        \
        do {                                                                       \
                static const char *const _w_[] = { __VA_ARGS__ };                  \
                assert_strv((l), _w_, ELEMENTSOF(_w_));                            \
        } while (0)

START_TEST(test_new_length_free) {
        char **l = strv_new("a", "bb", "ccc");

        ck_assert_ptr_nonnull(l);
        ASSERT_STRV(l, "a", "bb", "ccc");
        ck_assert(!strv_isempty(l));
        ck_assert_ptr_null(strv_free(l));

        l = strv_new(NULL);
        ck_assert_ptr_nonnull(l);
        ck_assert_uint_eq(strv_length(l), 0);
        ck_assert(strv_isempty(l));
        strv_free(l);

        /* NULL is an empty strv. */
        ck_assert_uint_eq(strv_length(NULL), 0);
        ck_assert(strv_isempty(NULL));
        ck_assert_ptr_null(strv_free(NULL));

        /* The strings are copies. */
        {
                char buf[] = "mutable";
                l = strv_new(buf);
                buf[0] = 'X';
                ASSERT_STRV(l, "mutable");
                strv_free(l);
        }
}
END_TEST

START_TEST(test_cleanup) {
        char **kept;

        {
                _cleanup_strv_free_ char **l = strv_new("x", "y");
                _cleanup_strv_free_ char **empty = NULL;
                _cleanup_strv_free_ char **taken = strv_new("z");

                ck_assert_uint_eq(strv_length(l), 2);
                ck_assert_ptr_null(empty);
                kept = TAKE_PTR(taken);
        }
        ASSERT_STRV(kept, "z"); /* survived the scope, ASan would flag a use-after-free */
        strv_free(kept);
}
END_TEST

START_TEST(test_find) {
        _cleanup_strv_free_ char **l = strv_new("foo.service", "bar.socket", "foo.socket");

        ck_assert_ptr_eq(strv_find(l, "bar.socket"), l[1]);
        ck_assert_ptr_null(strv_find(l, "bar"));
        ck_assert_ptr_null(strv_find(NULL, "x"));
        ck_assert(strv_contains(l, "foo.socket"));
        ck_assert(!strv_contains(l, "foo"));
        ck_assert(!strv_contains(NULL, "foo"));

        ck_assert_ptr_eq(strv_find_prefix(l, "foo."), l[0]);
        ck_assert_ptr_eq(strv_find_prefix(l, "bar"), l[1]);
        ck_assert_ptr_eq(strv_find_prefix(l, ""), l[0]);
        ck_assert_ptr_null(strv_find_prefix(l, "baz"));
        ck_assert_ptr_null(strv_find_prefix(NULL, ""));
}
END_TEST

START_TEST(test_extend_and_consume) {
        char **l = NULL;
        char *v;

        ck_assert_int_eq(strv_extend(&l, "one"), 0);
        ck_assert_int_eq(strv_extend(&l, ""), 0);
        ck_assert_int_eq(strv_extend(&l, "one"), 0); /* duplicates are fine */
        ASSERT_STRV(l, "one", "", "one");

        v = strdup("owned");
        ck_assert_int_eq(strv_consume(&l, v), 0);
        ck_assert_ptr_eq(l[3], v); /* taken over, not copied */
        ASSERT_STRV(l, "one", "", "one", "owned");

        /* A NULL value is how a failed strdup() arrives: -ENOMEM, list unchanged. */
        ck_assert_int_eq(strv_consume(&l, NULL), -ENOMEM);
        ck_assert_uint_eq(strv_length(l), 4);
        strv_free(l);

        /* Growing one by one to a large size. */
        l = NULL;
        for (int i = 0; i < 5000; i++) {
                char buf[16];
                snprintf(buf, sizeof buf, "%d", i);
                if (strv_extend(&l, buf) < 0)
                        ck_abort_msg("strv_extend() failed at %d", i);
        }
        ck_assert_uint_eq(strv_length(l), 5000);
        ck_assert_str_eq(l[4999], "4999");
        strv_free(l);
}
END_TEST

START_TEST(test_extend_uniq) {
        char **l = NULL;

        ck_assert_int_eq(strv_extend_uniq(&l, "a"), 1);
        ck_assert_int_eq(strv_extend_uniq(&l, "b"), 1);
        ck_assert_int_eq(strv_extend_uniq(&l, "a"), 0);
        ck_assert_int_eq(strv_extend_uniq(&l, "b"), 0);
        ASSERT_STRV(l, "a", "b");
        strv_free(l);
}
END_TEST

START_TEST(test_extend_strv) {
        _cleanup_strv_free_ char **a = strv_new("x", "y");
        _cleanup_strv_free_ char **b = strv_new("y", "z", "z", "w");
        char **n = NULL;

        ck_assert_int_eq(strv_extend_strv(&a, b, false), 0);
        ASSERT_STRV(a, "x", "y", "y", "z", "z", "w");
        a = strv_free(a);

        a = strv_new("x", "y");
        ck_assert_int_eq(strv_extend_strv(&a, b, true), 0);
        ASSERT_STRV(a, "x", "y", "z", "w");

        ck_assert_int_eq(strv_extend_strv(&a, NULL, true), 0);
        ck_assert_uint_eq(strv_length(a), 4);

        ck_assert_int_eq(strv_extend_strv(&n, b, true), 0);
        ASSERT_STRV(n, "y", "z", "w");
        ck_assert_ptr_ne(n[0], b[0]); /* copies */
        strv_free(n);

        n = NULL;
        ck_assert_int_eq(strv_extend_strv(&n, NULL, false), 0);
        ck_assert_ptr_null(n);
}
END_TEST

START_TEST(test_copy) {
        _cleanup_strv_free_ char **l = strv_new("a", "b");
        char **c = strv_copy(l);

        ck_assert_ptr_nonnull(c);
        ck_assert_ptr_ne(c, l);
        ck_assert_ptr_ne(c[0], l[0]);
        ck_assert(strv_equal(c, l));
        strv_free(c);

        c = strv_copy(NULL);
        ck_assert_ptr_nonnull(c); /* an empty strv, not NULL */
        ck_assert_uint_eq(strv_length(c), 0);
        strv_free(c);
}
END_TEST

START_TEST(test_remove) {
        char **l = strv_new("a", "b", "a", "c", "a");

        ck_assert_ptr_eq(strv_remove(l, "a"), l);
        ASSERT_STRV(l, "b", "c");
        strv_remove(l, "missing");
        ASSERT_STRV(l, "b", "c");
        strv_remove(l, "b");
        strv_remove(l, "c");
        ck_assert(strv_isempty(l));
        ck_assert_ptr_nonnull(l);
        strv_free(l);
        ck_assert_ptr_null(strv_remove(NULL, "a"));
}
END_TEST

START_TEST(test_uniq) {
        char **l = strv_new("b", "a", "b", "c", "a", "b");

        ck_assert_ptr_eq(strv_uniq(l), l);
        ASSERT_STRV(l, "b", "a", "c"); /* first occurrence kept, order otherwise unchanged */
        strv_free(l);
        ck_assert_ptr_null(strv_uniq(NULL));
}
END_TEST

START_TEST(test_sort) {
        char **l = strv_new("zeta", "alpha", "Beta", "", "alpha2", "alpha");

        ck_assert_ptr_eq(strv_sort(l), l);
        ASSERT_STRV(l, "", "Beta", "alpha", "alpha", "alpha2", "zeta");
        strv_free(l);
        ck_assert_ptr_null(strv_sort(NULL));

        l = strv_new("only");
        strv_sort(l);
        ASSERT_STRV(l, "only");
        strv_free(l);
}
END_TEST

START_TEST(test_equal) {
        _cleanup_strv_free_ char **a = strv_new("a", "b");
        _cleanup_strv_free_ char **b = strv_new("a", "b");
        _cleanup_strv_free_ char **c = strv_new("a");
        _cleanup_strv_free_ char **d = strv_new("a", "c");
        _cleanup_strv_free_ char **e = strv_new(NULL);

        ck_assert(strv_equal(a, b));
        ck_assert(!strv_equal(a, c));
        ck_assert(!strv_equal(c, a));
        ck_assert(!strv_equal(a, d));
        ck_assert(strv_equal(NULL, NULL));
        ck_assert(strv_equal(NULL, e));
        ck_assert(strv_equal(e, NULL));
        ck_assert(!strv_equal(NULL, c));
        ck_assert(!strv_equal(c, e));
}
END_TEST

START_TEST(test_split) {
        char **l = NULL;

        ck_assert_int_eq(strv_split("  a  b\tc \n", WHITESPACE, &l), 0);
        ASSERT_STRV(l, "a", "b", "c");
        strv_free(l);

        ck_assert_int_eq(strv_split("a:b::c:", ":", &l), 0);
        ASSERT_STRV(l, "a", "b", "c"); /* empty pieces are skipped */
        strv_free(l);

        ck_assert_int_eq(strv_split("a:b,c", ":,", &l), 0);
        ASSERT_STRV(l, "a", "b", "c");
        strv_free(l);

        ck_assert_int_eq(strv_split("nosep", ":", &l), 0);
        ASSERT_STRV(l, "nosep");
        strv_free(l);

        ck_assert_int_eq(strv_split("", ":", &l), 0);
        ck_assert_ptr_nonnull(l);
        ck_assert_uint_eq(strv_length(l), 0);
        strv_free(l);

        ck_assert_int_eq(strv_split(":::", ":", &l), 0);
        ck_assert_ptr_nonnull(l);
        ck_assert_uint_eq(strv_length(l), 0);
        strv_free(l);
}
END_TEST

START_TEST(test_split_newlines) {
        char **l = NULL;

        ck_assert_int_eq(strv_split_newlines("a\n\nb\n", &l), 0);
        ASSERT_STRV(l, "a", "", "b"); /* empty lines kept, no element after the last \n */
        strv_free(l);

        ck_assert_int_eq(strv_split_newlines("one", &l), 0);
        ASSERT_STRV(l, "one");
        strv_free(l);

        ck_assert_int_eq(strv_split_newlines("\n", &l), 0);
        ASSERT_STRV(l, "");
        strv_free(l);

        ck_assert_int_eq(strv_split_newlines("x \ty\nz", &l), 0);
        ASSERT_STRV(l, "x \ty", "z");
        strv_free(l);

        ck_assert_int_eq(strv_split_newlines("", &l), 0);
        ck_assert_ptr_nonnull(l);
        ck_assert_uint_eq(strv_length(l), 0);
        strv_free(l);
}
END_TEST

START_TEST(test_join) {
        _cleanup_strv_free_ char **l = strv_new("a", "", "c");
        _cleanup_strv_free_ char **e = strv_new(NULL);
        char *s;

        s = strv_join(l, ", ");
        ck_assert_str_eq(s, "a, , c");
        free(s);
        s = strv_join(l, NULL);
        ck_assert_str_eq(s, "a  c");
        free(s);
        s = strv_join(l, "");
        ck_assert_str_eq(s, "ac");
        free(s);
        s = strv_join(e, ",");
        ck_assert_str_eq(s, "");
        free(s);
        s = strv_join(NULL, ",");
        ck_assert_str_eq(s, "");
        free(s);

        /* split and join are inverses for well-formed input */
        {
                _cleanup_strv_free_ char **p = NULL;
                ck_assert_int_eq(strv_split("/usr/bin:/bin:/sbin", ":", &p), 0);
                s = strv_join(p, ":");
                ck_assert_str_eq(s, "/usr/bin:/bin:/sbin");
                free(s);
        }
}
END_TEST

START_TEST(test_foreach) {
        _cleanup_strv_free_ char **l = strv_new("a", "b", "c");
        _cleanup_strv_free_ char **e = strv_new(NULL);
        char **nl = NULL;
        char buf[8] = {};
        size_t n = 0;

        STRV_FOREACH(s, l)
                buf[n++] = **s;
        ck_assert_str_eq(buf, "abc");

        n = 0;
        memset(buf, 0, sizeof buf);
        STRV_FOREACH_BACKWARDS(s, l)
                buf[n++] = **s;
        ck_assert_str_eq(buf, "cba");

        n = 0;
        STRV_FOREACH(s, nl)
                n++;
        STRV_FOREACH(s, e)
                n++;
        STRV_FOREACH_BACKWARDS(s, nl)
                n++;
        STRV_FOREACH_BACKWARDS(s, e)
                n++;
        ck_assert_uint_eq(n, 0);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("strv");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60); /* sanitizer builds on a busy machine are slow */
        tcase_add_test(tc, test_new_length_free);
        tcase_add_test(tc, test_cleanup);
        tcase_add_test(tc, test_find);
        tcase_add_test(tc, test_extend_and_consume);
        tcase_add_test(tc, test_extend_uniq);
        tcase_add_test(tc, test_extend_strv);
        tcase_add_test(tc, test_copy);
        tcase_add_test(tc, test_remove);
        tcase_add_test(tc, test_uniq);
        tcase_add_test(tc, test_sort);
        tcase_add_test(tc, test_equal);
        tcase_add_test(tc, test_split);
        tcase_add_test(tc, test_split_newlines);
        tcase_add_test(tc, test_join);
        tcase_add_test(tc, test_foreach);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
