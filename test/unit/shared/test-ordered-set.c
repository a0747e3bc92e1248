/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-ordered-set.c: unit tests for ordered-set.c. A set keeps the first of equal elements,
 * iterates in insertion order, hands removed elements back to the caller, and with
 * string_hash_ops_free owns (and frees) its strings, as ordered_set_put_strdup() relies on.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ordered-set.h"
#include "string-util.h"
#include "strv.h"
#include "test-helpers.h"

START_TEST(test_new_free) {
        OrderedSet *s = ordered_set_new(&string_hash_ops);

        ck_assert_ptr_nonnull(s);
        ck_assert_uint_eq(ordered_set_size(s), 0);
        ck_assert_ptr_null(ordered_set_first(s));
        ck_assert_ptr_null(ordered_set_free(s));
        ck_assert_ptr_null(ordered_set_free(NULL));
        {
                _cleanup_(ordered_set_freep) OrderedSet *t = ordered_set_new(&string_hash_ops_free);
                ck_assert_int_eq(ordered_set_put(t, strdup("freed with the set")), 1);
        }
}
END_TEST

START_TEST(test_put_contains_get) {
        _cleanup_(ordered_set_freep) OrderedSet *s = ordered_set_new(&string_hash_ops);
        char a[] = "a.service", a2[] = "a.service", b[] = "b.service";

        ck_assert_int_eq(ordered_set_put(s, a), 1);
        ck_assert_int_eq(ordered_set_put(s, a), 0);  /* same element */
        ck_assert_int_eq(ordered_set_put(s, a2), 0); /* equal element: the first one stays */
        ck_assert_int_eq(ordered_set_put(s, b), 1);
        ck_assert_uint_eq(ordered_set_size(s), 2);

        ck_assert(ordered_set_contains(s, "a.service"));
        ck_assert(ordered_set_contains(s, a2));
        ck_assert(!ordered_set_contains(s, "c.service"));
        ck_assert_ptr_eq(ordered_set_get(s, a2), a); /* the stored element */
        ck_assert_ptr_eq(ordered_set_get(s, "b.service"), b);
        ck_assert_ptr_null(ordered_set_get(s, "c.service"));
}
END_TEST

START_TEST(test_pointer_set) {
        _cleanup_(ordered_set_freep) OrderedSet *s = ordered_set_new(NULL);
        int x[5];
        int *p;
        size_t n = 0;

        for (int i = 4; i >= 0; i--)
                ck_assert_int_eq(ordered_set_put(s, &x[i]), 1);
        ck_assert_int_eq(ordered_set_put(s, &x[2]), 0);
        ORDERED_SET_FOREACH(p, s) {
                ck_assert_ptr_eq(p, &x[4 - n]);
                n++;
        }
        ck_assert_uint_eq(n, 5);
}
END_TEST

START_TEST(test_remove) {
        _cleanup_(ordered_set_freep) OrderedSet *s = ordered_set_new(&string_hash_ops_free);
        char *x = strdup("x"), *y = strdup("y"), *r;

        ck_assert_int_eq(ordered_set_put(s, x), 1);
        ck_assert_int_eq(ordered_set_put(s, y), 1);

        /* The stored element comes back and is the caller's now. */
        r = ordered_set_remove(s, "x");
        ck_assert_ptr_eq(r, x);
        free(r);
        ck_assert(!ordered_set_contains(s, "x"));
        ck_assert_ptr_null(ordered_set_remove(s, "x"));
        ck_assert_ptr_null(ordered_set_remove(s, "nope"));
        ck_assert_uint_eq(ordered_set_size(s), 1);
        /* y is freed by the set. */
}
END_TEST

START_TEST(test_first_steal_order) {
        _cleanup_(ordered_set_freep) OrderedSet *s = ordered_set_new(&string_hash_ops);
        static const char *const names[] = { "c", "a", "b" };
        char **l;

        for (size_t i = 0; i < 3; i++)
                ck_assert_int_eq(ordered_set_put(s, (char *) names[i]), 1);
        l = ordered_set_get_strv(s);
        ck_assert_uint_eq(strv_length(l), 3);
        ck_assert_str_eq(l[0], "c");
        ck_assert_str_eq(l[1], "a");
        ck_assert_str_eq(l[2], "b");
        ck_assert_ptr_ne(l[0], names[0]); /* copies */
        strv_free(l);

        ck_assert_str_eq(ordered_set_first(s), "c");
        ck_assert_str_eq(ordered_set_steal_first(s), "c");
        ck_assert_str_eq(ordered_set_steal_first(s), "a");
        ck_assert_str_eq(ordered_set_first(s), "b");
        ck_assert_str_eq(ordered_set_steal_first(s), "b");
        ck_assert_ptr_null(ordered_set_steal_first(s));
        ck_assert_ptr_null(ordered_set_first(s));

        l = ordered_set_get_strv(s);
        ck_assert_ptr_nonnull(l);
        ck_assert_uint_eq(strv_length(l), 0);
        strv_free(l);
}
END_TEST

START_TEST(test_put_strdup) {
        OrderedSet *s = NULL;
        char buf[] = "mutable";
        char *e;
        const char *want[] = { "mutable", "b", "c" };
        size_t n = 0;

        /* Allocates the set on first use, with owning string ops. */
        ck_assert_int_eq(ordered_set_put_strdup(&s, buf), 1);
        ck_assert_ptr_nonnull(s);
        buf[0] = 'X'; /* it stored a copy */
        ck_assert(ordered_set_contains(s, "mutable"));
        ck_assert_int_eq(ordered_set_put_strdup(&s, "mutable"), 0);
        ck_assert_int_eq(ordered_set_put_strdup(&s, "b"), 1);
        ck_assert_int_eq(ordered_set_put_strdup(&s, "c"), 1);
        ck_assert_int_eq(ordered_set_put_strdup(&s, "b"), 0);
        ck_assert_uint_eq(ordered_set_size(s), 3);

        ORDERED_SET_FOREACH(e, s)
                ck_assert_str_eq(e, want[n++]);
        ck_assert_uint_eq(n, 3);

        e = ordered_set_steal_first(s);
        ck_assert_str_eq(e, "mutable");
        free(e);
        ordered_set_free(s); /* frees "b" and "c"; ASan reports any leak */
}
END_TEST

START_TEST(test_ensure) {
        OrderedSet *s = NULL, *before;
        char a[] = "a";

        ck_assert_int_eq(ordered_set_ensure_allocated(&s, &string_hash_ops), 1);
        ck_assert_ptr_nonnull(s);
        before = s;
        ck_assert_int_eq(ordered_set_ensure_allocated(&s, &string_hash_ops), 0);
        ck_assert_ptr_eq(s, before);
        s = ordered_set_free(s);

        ck_assert_int_eq(ordered_set_ensure_put(&s, &string_hash_ops, a), 1);
        ck_assert_ptr_nonnull(s);
        ck_assert_int_eq(ordered_set_ensure_put(&s, &string_hash_ops, a), 0);
        ck_assert_int_eq(ordered_set_ensure_put(&s, &string_hash_ops, "a"), 0);
        ck_assert_uint_eq(ordered_set_size(s), 1);
        ordered_set_free(s);
}
END_TEST

START_TEST(test_foreach_remove_current) {
        _cleanup_(ordered_set_freep) OrderedSet *s = ordered_set_new(&string_hash_ops_free);
        char *e;
        unsigned n = 0;

        for (unsigned i = 0; i < 200; i++) {
                char *x = NULL;
                ck_assert_int_eq(asprintf_safe(&x, "%u", i), 0);
                if (ordered_set_put(s, x) != 1)
                        ck_abort_msg("put %u failed", i);
        }
        /* Remove (and free) odd elements while iterating: every element is visited once. */
        ORDERED_SET_FOREACH(e, s) {
                unsigned v = (unsigned) strtoul(e, NULL, 10);
                if (v != n)
                        ck_abort_msg("visited %u, expected %u", v, n);
                n++;
                if (v % 2 == 1)
                        free(ordered_set_remove(s, e));
        }
        ck_assert_uint_eq(n, 200);
        ck_assert_uint_eq(ordered_set_size(s), 100);
        n = 0;
        ORDERED_SET_FOREACH(e, s) {
                if (strtoul(e, NULL, 10) != 2 * n)
                        ck_abort_msg("order broken at %u", n);
                n++;
        }
        ck_assert_uint_eq(n, 100);
}
END_TEST

START_TEST(test_iterate_directly_and_null) {
        _cleanup_(ordered_set_freep) OrderedSet *s = ordered_set_new(&string_hash_ops);
        Iterator i = ITERATOR_FIRST;
        void *e = NULL;

        ck_assert(!ordered_set_iterate(s, &i, &e));
        ck_assert_int_eq(ordered_set_put(s, (char *) "only"), 1);
        i = ITERATOR_FIRST;
        ck_assert(ordered_set_iterate(s, &i, &e));
        ck_assert_str_eq(e, "only");
        ck_assert(!ordered_set_iterate(s, &i, &e));

        /* A NULL set is empty. */
        i = ITERATOR_FIRST;
        ck_assert(!ordered_set_iterate(NULL, &i, &e));
        ck_assert_uint_eq(ordered_set_size(NULL), 0);
        ck_assert(!ordered_set_contains(NULL, "x"));
        ck_assert_ptr_null(ordered_set_get(NULL, "x"));
        ck_assert_ptr_null(ordered_set_remove(NULL, "x"));
        ck_assert_ptr_null(ordered_set_first(NULL));
        ck_assert_ptr_null(ordered_set_steal_first(NULL));
        {
                char **l = ordered_set_get_strv(NULL);
                ck_assert_ptr_nonnull(l);
                ck_assert_uint_eq(strv_length(l), 0);
                strv_free(l);
        }
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("ordered-set");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60); /* sanitizer builds on a busy machine are slow */
        tcase_add_test(tc, test_new_free);
        tcase_add_test(tc, test_put_contains_get);
        tcase_add_test(tc, test_pointer_set);
        tcase_add_test(tc, test_remove);
        tcase_add_test(tc, test_first_steal_order);
        tcase_add_test(tc, test_put_strdup);
        tcase_add_test(tc, test_ensure);
        tcase_add_test(tc, test_foreach_remove_current);
        tcase_add_test(tc, test_iterate_directly_and_null);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
