/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-hashmap.c: unit tests for hashmap.c. Covers the return values of put/replace/remove,
 * lookups by equal-but-different keys, insertion-order iteration (also after removals and
 * re-insertions), removing the current element inside HASHMAP_FOREACH, growth to 100000
 * entries, and ownership: maps whose ops own keys/values free them exactly once on replace,
 * clear and free, and never on remove/steal (counted here; ASan proves no leak or double
 * free when the suite runs under --enable-sanitizers). A random mix of puts, removes and steals
 * on maps from 1 to 3000 entries is checked against a plain array after every step (the holes,
 * compaction, growth and index of hashmap.c), and the heap a one-entry map takes is bounded.
 */

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "string-util.h"
#include "strv.h"
#include "test-helpers.h"

/* ck_assert() reports every passing check to the parent process; in hot loops, only fail. */
#define CHECK(expr)                                                                    \
        do {                                                                           \
                if (!(expr))                                                           \
                        ck_abort_msg("%s:%d: check failed: %s", __FILE__, __LINE__, #expr); \
        } while (0)

static unsigned n_key_frees, n_value_frees;

static void counting_free_key(void *p) {
        n_key_frees++;
        free(p);
}

static void counting_free_value(void *p) {
        n_value_frees++;
        free(p);
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(a, b);
}

static const HashOps counting_ops = {
        .hash = string_hash,
        .compare = compare_strings,
        .free_key = counting_free_key,
        .free_value = counting_free_value,
};

static void reset_counters(void) {
        n_key_frees = n_value_frees = 0;
}

static char *xstrdup(const char *s) {
        char *r = strdup(s);
        ck_assert_ptr_nonnull(r);
        return r;
}

_printf_(1, 2) static char *xprintf(const char *fmt, ...) {
        va_list ap;
        char *r = NULL;
        int k;

        va_start(ap, fmt);
        k = vasprintf(&r, fmt, ap);
        va_end(ap);
        if (k < 0)
                ck_abort_msg("out of memory");
        return r;
}

START_TEST(test_new_free) {
        Hashmap *h = hashmap_new(&string_hash_ops);

        ck_assert_ptr_nonnull(h);
        ck_assert_uint_eq(hashmap_size(h), 0);
        ck_assert(hashmap_isempty(h));
        ck_assert_ptr_null(hashmap_first(h));
        ck_assert_ptr_null(hashmap_first_key(h));
        ck_assert_ptr_null(hashmap_free(h));
        ck_assert_ptr_null(hashmap_free(NULL));

        /* NULL ops: pointer identity. */
        {
                _cleanup_(hashmap_freep) Hashmap *t = hashmap_new(NULL);
                int a, b;
                ck_assert_ptr_nonnull(t);
                ck_assert_int_eq(hashmap_put(t, &a, &b), 1);
                ck_assert_ptr_eq(hashmap_get(t, &a), &b);
                ck_assert_ptr_null(hashmap_get(t, &b));
        }
}
END_TEST

START_TEST(test_put_return_values) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&string_hash_ops);
        int v1, v2;
        char same[] = "a";

        ck_assert_int_eq(hashmap_put(h, "a", &v1), 1);
        ck_assert_int_eq(hashmap_put(h, "a", &v1), 0);       /* same key, same value */
        ck_assert_int_eq(hashmap_put(h, same, &v1), 0);      /* equal key, other pointer */
        ck_assert_int_eq(hashmap_put(h, "a", &v2), -EEXIST); /* other value: refused */
        ck_assert_ptr_eq(hashmap_get(h, "a"), &v1);          /* ... and the old one kept */
        ck_assert_uint_eq(hashmap_size(h), 1);

        ck_assert_int_eq(hashmap_put(h, "b", &v2), 1);
        ck_assert_uint_eq(hashmap_size(h), 2);

        /* NULL values are values like any other. */
        ck_assert_int_eq(hashmap_put(h, "n", NULL), 1);
        ck_assert_int_eq(hashmap_put(h, "n", NULL), 0);
        ck_assert_int_eq(hashmap_put(h, "n", &v1), -EEXIST);
        ck_assert(hashmap_contains(h, "n"));
        ck_assert_ptr_null(hashmap_get(h, "n"));

        /* The empty string is a key. */
        ck_assert_int_eq(hashmap_put(h, "", &v2), 1);
        ck_assert_ptr_eq(hashmap_get(h, ""), &v2);
        ck_assert_uint_eq(hashmap_size(h), 4);
}
END_TEST

START_TEST(test_get_contains) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&string_hash_ops);
        const char *stored = "sshd.service";
        char lookup[] = "sshd.service";
        void *k = (void *) 0x1;
        int v;

        ck_assert_int_eq(hashmap_put(h, stored, &v), 1);
        ck_assert_ptr_eq(hashmap_get(h, lookup), &v);
        ck_assert(hashmap_contains(h, lookup));
        ck_assert(!hashmap_contains(h, "sshd"));
        ck_assert_ptr_null(hashmap_get(h, "sshd.socket"));

        ck_assert_ptr_eq(hashmap_get2(h, lookup, &k), &v);
        ck_assert_ptr_eq(k, stored); /* the stored key, not the one looked up with */
        k = (void *) 0x1;
        ck_assert_ptr_null(hashmap_get2(h, "missing", &k));
        ck_assert_ptr_eq(k, (void *) 0x1);
        ck_assert_ptr_eq(hashmap_get2(h, lookup, NULL), &v);
}
END_TEST

START_TEST(test_uint64_and_trivial_ops) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&uint64_hash_ops);
        _cleanup_(hashmap_freep) Hashmap *t = hashmap_new(&trivial_hash_ops);
        uint64_t keys[3] = { 0, 42, UINT64_MAX };
        uint64_t probe;
        char a[] = "x", b[] = "x";

        for (size_t i = 0; i < 3; i++)
                ck_assert_int_eq(hashmap_put(h, &keys[i], &keys[i]), 1);
        probe = 42;
        ck_assert_ptr_eq(hashmap_get(h, &probe), &keys[1]); /* by value, not address */
        probe = UINT64_MAX;
        ck_assert(hashmap_contains(h, &probe));
        probe = 7;
        ck_assert(!hashmap_contains(h, &probe));

        /* trivial_hash_ops compare pointers: equal strings at different addresses differ. */
        ck_assert_int_eq(hashmap_put(t, a, a), 1);
        ck_assert_int_eq(hashmap_put(t, b, b), 1);
        ck_assert_uint_eq(hashmap_size(t), 2);
        ck_assert_ptr_eq(hashmap_get(t, b), b);

        ck_assert_uint_eq(string_hash("abc"), string_hash("abc"));
        ck_assert_uint_ne(string_hash("abc"), string_hash("abd"));
        ck_assert_uint_eq(trivial_hash(a), trivial_hash(a));
        ck_assert_uint_ne(trivial_hash(a), trivial_hash(b));
}
END_TEST

START_TEST(test_replace) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&string_hash_ops);
        int v1, v2, v3;
        char other[] = "b";
        void *k = NULL, *val;
        const char *order[3];
        size_t n = 0;

        ck_assert_int_eq(hashmap_replace(h, "a", &v1), 1); /* added */
        ck_assert_int_eq(hashmap_replace(h, "b", &v1), 1);
        ck_assert_int_eq(hashmap_replace(h, "c", &v1), 1);
        ck_assert_int_eq(hashmap_replace(h, "b", &v2), 0); /* replaced */
        ck_assert_ptr_eq(hashmap_get(h, "b"), &v2);
        ck_assert_int_eq(hashmap_replace(h, other, &v3), 0);
        ck_assert_ptr_eq(hashmap_get2(h, "b", &k), &v3);
        ck_assert_ptr_eq(k, other); /* the new key is stored */
        ck_assert_uint_eq(hashmap_size(h), 3);

        /* A replaced entry keeps its place in the iteration order. */
        HASHMAP_FOREACH_KEY(val, k, h)
                order[n++] = k;
        ck_assert_uint_eq(n, 3);
        ck_assert_str_eq(order[0], "a");
        ck_assert_str_eq(order[1], "b");
        ck_assert_str_eq(order[2], "c");
}
END_TEST

START_TEST(test_ownership_replace) {
        Hashmap *h = hashmap_new(&counting_ops);
        char *k1 = xstrdup("key"), *k2 = xstrdup("key"), *k3 = xstrdup("key");
        char *v1 = xstrdup("v1"), *v2 = xstrdup("v2"), *v3 = xstrdup("v3");

        reset_counters();
        ck_assert_int_eq(hashmap_put(h, k1, v1), 1);

        /* New key and new value: both old ones are freed. */
        ck_assert_int_eq(hashmap_replace(h, k2, v2), 0);
        ck_assert_uint_eq(n_key_frees, 1);
        ck_assert_uint_eq(n_value_frees, 1);

        /* The very same key and value: nothing is freed (that would be a use-after-free). */
        ck_assert_int_eq(hashmap_replace(h, k2, v2), 0);
        ck_assert_uint_eq(n_key_frees, 1);
        ck_assert_uint_eq(n_value_frees, 1);

        /* New key, same value: only the key goes. */
        ck_assert_int_eq(hashmap_replace(h, k3, v2), 0);
        ck_assert_uint_eq(n_key_frees, 2);
        ck_assert_uint_eq(n_value_frees, 1);

        /* Same key, new value: only the value goes. */
        ck_assert_int_eq(hashmap_replace(h, k3, v3), 0);
        ck_assert_uint_eq(n_key_frees, 2);
        ck_assert_uint_eq(n_value_frees, 2);
        ck_assert_str_eq(hashmap_get(h, "key"), "v3");

        hashmap_free(h);
        ck_assert_uint_eq(n_key_frees, 3);
        ck_assert_uint_eq(n_value_frees, 3);
}
END_TEST

START_TEST(test_ownership_put_failure_keeps_caller_ownership) {
        Hashmap *h = hashmap_new(&counting_ops);
        char *k = xstrdup("k"), *v = xstrdup("v");
        char *k2 = xstrdup("k"), *v2 = xstrdup("other");

        reset_counters();
        ck_assert_int_eq(hashmap_put(h, k, v), 1);
        /* -EEXIST: the map takes nothing over, the caller still owns k2 and v2. */
        ck_assert_int_eq(hashmap_put(h, k2, v2), -EEXIST);
        ck_assert_uint_eq(n_key_frees + n_value_frees, 0);
        free(k2);
        free(v2);

        /* 0 (already there with this value): the duplicate key stays the caller's too. */
        k2 = xstrdup("k");
        ck_assert_int_eq(hashmap_put(h, k2, v), 0);
        ck_assert_uint_eq(n_key_frees + n_value_frees, 0);
        free(k2);

        hashmap_free(h);
        ck_assert_uint_eq(n_key_frees, 1);
        ck_assert_uint_eq(n_value_frees, 1);
}
END_TEST

START_TEST(test_ownership_remove_and_steal) {
        Hashmap *h = hashmap_new(&counting_ops);
        void *k = NULL;
        char *v;

        reset_counters();
        ck_assert_int_eq(hashmap_put(h, xstrdup("a"), xstrdup("1")), 1);
        ck_assert_int_eq(hashmap_put(h, xstrdup("b"), xstrdup("2")), 1);
        ck_assert_int_eq(hashmap_put(h, xstrdup("c"), xstrdup("3")), 1);
        ck_assert_int_eq(hashmap_put(h, xstrdup("d"), xstrdup("4")), 1);

        /* remove2: key and value now belong to the caller; the map frees neither. */
        v = hashmap_remove2(h, "a", &k);
        ck_assert_str_eq(v, "1");
        ck_assert_str_eq(k, "a");
        ck_assert_uint_eq(n_key_frees + n_value_frees, 0);
        free(k);
        free(v);

        /* remove without ret_key: here the caller must have a way to find the key; use get2. */
        ck_assert_ptr_nonnull(hashmap_get2(h, "b", &k));
        v = hashmap_remove(h, "b");
        ck_assert_str_eq(v, "2");
        free(k);
        free(v);

        /* steal_first_key hands over the key; the value is still the caller's to free. */
        v = hashmap_first(h);
        k = hashmap_steal_first_key(h);
        ck_assert_str_eq(k, "c");
        ck_assert_str_eq(v, "3");
        free(k);
        free(v);

        k = hashmap_first_key(h);
        v = hashmap_steal_first(h);
        ck_assert_str_eq(v, "4");
        ck_assert_str_eq(k, "d");
        free(k);
        free(v);

        ck_assert(hashmap_isempty(h));
        ck_assert_uint_eq(n_key_frees + n_value_frees, 0);
        hashmap_free(h);
        ck_assert_uint_eq(n_key_frees + n_value_frees, 0);
}
END_TEST

START_TEST(test_ownership_clear_and_free) {
        Hashmap *h = hashmap_new(&string_hash_ops_free_free);
        Hashmap *k = hashmap_new(&string_hash_ops_free);
        Hashmap *c = hashmap_new(&counting_ops);

        for (unsigned i = 0; i < 100; i++) {
                ck_assert_int_eq(hashmap_put(h, xprintf("k%u", i), xprintf("v%u", i)), 1);
                ck_assert_int_eq(hashmap_put(k, xprintf("k%u", i), (void *) "static"), 1);
                ck_assert_int_eq(hashmap_put(c, xprintf("k%u", i), xprintf("v%u", i)), 1);
        }

        hashmap_clear(h);
        ck_assert(hashmap_isempty(h));
        ck_assert_ptr_null(hashmap_get(h, "k1"));
        /* Still usable after clear. */
        ck_assert_int_eq(hashmap_put(h, xstrdup("again"), xstrdup("x")), 1);
        ck_assert_str_eq(hashmap_get(h, "again"), "x");

        reset_counters();
        hashmap_clear(c);
        ck_assert_uint_eq(n_key_frees, 100);
        ck_assert_uint_eq(n_value_frees, 100);
        hashmap_clear(c); /* empty: nothing more */
        ck_assert_uint_eq(n_key_frees, 100);
        ck_assert_uint_eq(n_value_frees, 100);
        hashmap_clear(NULL);

        ck_assert_ptr_null(hashmap_free(h));
        ck_assert_ptr_null(hashmap_free(k));
        ck_assert_ptr_null(hashmap_free(c));

        {
                _cleanup_(hashmap_freep) Hashmap *s = hashmap_new(&string_hash_ops_free_free);
                ck_assert_int_eq(hashmap_put(s, xstrdup("scoped"), xstrdup("freed on exit")), 1);
        }
}
END_TEST

START_TEST(test_remove) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&string_hash_ops);
        int v1, v2;
        void *k = (void *) 0x1;

        ck_assert_int_eq(hashmap_put(h, "a", &v1), 1);
        ck_assert_int_eq(hashmap_put(h, "b", &v2), 1);
        ck_assert_ptr_null(hashmap_remove(h, "zzz"));
        ck_assert_ptr_null(hashmap_remove2(h, "zzz", &k));
        ck_assert_ptr_eq(k, (void *) 0x1);
        ck_assert_uint_eq(hashmap_size(h), 2);

        ck_assert_ptr_eq(hashmap_remove(h, "a"), &v1);
        ck_assert_uint_eq(hashmap_size(h), 1);
        ck_assert(!hashmap_contains(h, "a"));
        ck_assert_ptr_null(hashmap_remove(h, "a"));
        ck_assert_ptr_eq(hashmap_remove2(h, "b", &k), &v2);
        ck_assert_str_eq(k, "b");
        ck_assert(hashmap_isempty(h));

        /* A removed key can be put again, with another value. */
        ck_assert_int_eq(hashmap_put(h, "a", &v2), 1);
        ck_assert_ptr_eq(hashmap_get(h, "a"), &v2);
}
END_TEST

START_TEST(test_null_map) {
        Iterator i = ITERATOR_FIRST;
        void *v = (void *) 0x1, *k = (void *) 0x1;
        char **keys;

        ck_assert_ptr_null(hashmap_get(NULL, "a"));
        ck_assert_ptr_null(hashmap_get2(NULL, "a", &k));
        ck_assert_ptr_eq(k, (void *) 0x1);
        ck_assert(!hashmap_contains(NULL, "a"));
        ck_assert_ptr_null(hashmap_remove(NULL, "a"));
        ck_assert_ptr_null(hashmap_remove2(NULL, "a", &k));
        ck_assert_uint_eq(hashmap_size(NULL), 0);
        ck_assert(hashmap_isempty(NULL));
        ck_assert_ptr_null(hashmap_first(NULL));
        ck_assert_ptr_null(hashmap_first_key(NULL));
        ck_assert_ptr_null(hashmap_steal_first(NULL));
        ck_assert_ptr_null(hashmap_steal_first_key(NULL));
        ck_assert(!hashmap_iterate(NULL, &i, &v, NULL));
        HASHMAP_FOREACH(v, (Hashmap *) NULL)
                ck_abort_msg("iterated a NULL map");
        keys = hashmap_get_strv_keys(NULL);
        ck_assert_ptr_nonnull(keys);
        ck_assert_uint_eq(strv_length(keys), 0);
        strv_free(keys);
}
END_TEST

START_TEST(test_ensure_allocated) {
        Hashmap *h = NULL, *before;
        int v;

        ck_assert_int_eq(hashmap_ensure_allocated(&h, &string_hash_ops), 1);
        ck_assert_ptr_nonnull(h);
        before = h;
        ck_assert_int_eq(hashmap_ensure_allocated(&h, &string_hash_ops), 0);
        ck_assert_ptr_eq(h, before);
        h = hashmap_free(h);

        ck_assert_int_eq(hashmap_ensure_put(&h, &string_hash_ops, "a", &v), 1);
        ck_assert_ptr_nonnull(h);
        ck_assert_int_eq(hashmap_ensure_put(&h, &string_hash_ops, "a", &v), 0);
        ck_assert_int_eq(hashmap_ensure_put(&h, &string_hash_ops, "a", NULL), -EEXIST);
        ck_assert_ptr_eq(hashmap_get(h, "a"), &v);
        hashmap_free(h);
}
END_TEST

START_TEST(test_first_and_steal_fifo) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&string_hash_ops);
        static const char *const names[] = { "z", "y", "x", "w" };
        int vals[4];

        for (size_t i = 0; i < 4; i++)
                ck_assert_int_eq(hashmap_put(h, names[i], &vals[i]), 1);
        ck_assert_ptr_eq(hashmap_first(h), &vals[0]);
        ck_assert_str_eq(hashmap_first_key(h), "z");
        ck_assert_ptr_eq(hashmap_steal_first(h), &vals[0]);
        ck_assert_str_eq(hashmap_steal_first_key(h), "y");
        ck_assert_ptr_eq(hashmap_first(h), &vals[2]);
        ck_assert_uint_eq(hashmap_size(h), 2);
        ck_assert_ptr_eq(hashmap_steal_first(h), &vals[2]);
        ck_assert_ptr_eq(hashmap_steal_first(h), &vals[3]);
        ck_assert_ptr_null(hashmap_steal_first(h));
        ck_assert_ptr_null(hashmap_steal_first_key(h));
        ck_assert(hashmap_isempty(h));
}
END_TEST

START_TEST(test_insertion_order) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&string_hash_ops_free);
        unsigned order[1000], n = 0;
        uintptr_t v;
        const char *k;

        /* Insert in a scrambled order; iteration must follow insertion, not hash or key. */
        for (unsigned i = 0; i < 1000; i++) {
                order[i] = (i * 7919u) % 1000u;
                CHECK(hashmap_put(h, xprintf("key-%u", order[i]),
                                  (void *) (uintptr_t) order[i]) == 1);
        }
        HASHMAP_FOREACH_KEY(v, k, h) {
                CHECK(v == order[n]);
                CHECK(strtoul(k + 4, NULL, 10) == order[n]);
                n++;
        }
        ck_assert_uint_eq(n, 1000);

        /* Remove every value divisible by 3: the rest keep their relative order. */
        for (unsigned i = 0; i < 1000; i += 3) {
                char buf[32];
                void *key = NULL;

                snprintf(buf, sizeof buf, "key-%u", i);
                CHECK(hashmap_remove2(h, buf, &key) == (void *) (uintptr_t) i);
                free(key);
        }
        n = 0;
        {
                unsigned j = 0;
                HASHMAP_FOREACH(v, h) {
                        while (order[j] % 3 == 0)
                                j++;
                        CHECK(v == order[j]);
                        j++;
                        n++;
                }
        }
        ck_assert_uint_eq(n, 1000 - 334);

        /* Re-inserted keys go to the end, in the order they come back. */
        CHECK(hashmap_put(h, xprintf("key-%u", 999), (void *) (uintptr_t) 999) == 1);
        CHECK(hashmap_put(h, xprintf("key-%u", 0), (void *) (uintptr_t) 0) == 1);
        {
                uintptr_t last2[2] = { 1, 1 };
                HASHMAP_FOREACH(v, h) {
                        last2[0] = last2[1];
                        last2[1] = v;
                }
                ck_assert_uint_eq(last2[0], 999);
                ck_assert_uint_eq(last2[1], 0);
        }

        /* get_strv_keys follows the same order. */
        {
                char **keys = hashmap_get_strv_keys(h);
                size_t len = strv_length(keys);

                ck_assert_uint_eq(len, hashmap_size(h));
                ck_assert_str_eq(keys[len - 2], "key-999");
                ck_assert_str_eq(keys[len - 1], "key-0");
                ck_assert_str_eq(keys[0], hashmap_first_key(h));
                strv_free(keys);
        }
}
END_TEST

/* Adding while iterating: every element present throughout is visited once, in order, also when
 * the additions move the entries to a bigger block and drop the holes of earlier removals (the
 * dependency map of a unit is iterated while dependencies are added to the same unit). */
START_TEST(test_foreach_add) {
        for (unsigned n0 = 1; n0 <= 40; n0++) {
                _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&uint64_hash_ops);
                uint64_t keys[200];
                unsigned seen[200] = {}, last = 0;
                uint64_t *v;
                unsigned added = 0;

                for (unsigned i = 0; i < 200; i++)
                        keys[i] = i;
                for (unsigned i = 0; i < n0 + 10; i++)
                        ck_assert_int_eq(hashmap_put(h, &keys[i], &keys[i]), 1);
                /* holes at the front: removed before the iteration */
                for (unsigned i = 0; i < 10; i++)
                        CHECK(hashmap_remove(h, &keys[i]) == &keys[i]);

                HASHMAP_FOREACH(v, h) {
                        seen[*v]++;
                        CHECK(*v >= last); /* in insertion order */
                        last = *v;
                        /* each step adds two: the block fills and moves several times */
                        for (unsigned k = 0; k < 2 && n0 + 10 + added < 200; k++, added++)
                                ck_assert_int_eq(hashmap_put(h, &keys[n0 + 10 + added], &keys[n0 + 10 + added]), 1);
                }
                for (unsigned i = 10; i < n0 + 10; i++)
                        CHECK(seen[i] == 1);
                for (unsigned i = 0; i < 200; i++)
                        CHECK(seen[i] <= 1);
                ck_assert_uint_eq(hashmap_size(h), n0 + added);
        }
}
END_TEST

START_TEST(test_foreach_remove_current) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&uint64_hash_ops);
        uint64_t keys[100];
        unsigned seen[100] = {};
        uint64_t *v;
        const uint64_t *k;
        unsigned n = 0;

        for (unsigned i = 0; i < 100; i++) {
                keys[i] = i;
                ck_assert_int_eq(hashmap_put(h, &keys[i], &keys[i]), 1);
        }

        /* Remove every even element while iterating: each element is still visited once. */
        HASHMAP_FOREACH_KEY(v, k, h) {
                seen[*v]++;
                if (*k % 2 == 0)
                        CHECK(hashmap_remove(h, k) == v);
        }
        for (unsigned i = 0; i < 100; i++)
                CHECK(seen[i] == 1);
        ck_assert_uint_eq(hashmap_size(h), 50);
        HASHMAP_FOREACH(v, h) {
                CHECK(*v == 2 * n + 1);
                n++;
        }
        ck_assert_uint_eq(n, 50);

        /* Remove each element as it comes: the loop ends with an empty map. */
        n = 0;
        HASHMAP_FOREACH(v, h) {
                CHECK(hashmap_remove(h, v) == v);
                n++;
        }
        ck_assert_uint_eq(n, 50);
        ck_assert(hashmap_isempty(h));

        /* Stealing the first element is removing the current one too. */
        for (unsigned i = 0; i < 10; i++)
                ck_assert_int_eq(hashmap_put(h, &keys[i], &keys[i]), 1);
        n = 0;
        HASHMAP_FOREACH(v, h) {
                CHECK(hashmap_steal_first(h) == v);
                n++;
        }
        ck_assert_uint_eq(n, 10);
        ck_assert(hashmap_isempty(h));
}
END_TEST

START_TEST(test_foreach_remove_current_owned) {
        Hashmap *h = hashmap_new(&counting_ops);
        char *v;
        const char *k;
        unsigned n = 0;

        reset_counters();
        for (unsigned i = 0; i < 64; i++)
                ck_assert_int_eq(hashmap_put(h, xprintf("%u", i), xprintf("v%u", i)), 1);

        /* Remove and free the current entry's key and value: the iterator must not touch
         * them (or the freed entry) again. ASan catches it if it does. */
        HASHMAP_FOREACH_KEY(v, k, h) {
                void *rk = NULL;
                n++;
                if (strtoul(k, NULL, 10) % 4 == 0)
                        continue;
                CHECK(hashmap_remove2(h, k, &rk) == v);
                free(rk);
                free(v);
        }
        ck_assert_uint_eq(n, 64);
        ck_assert_uint_eq(hashmap_size(h), 16);
        ck_assert_uint_eq(n_key_frees + n_value_frees, 0);
        hashmap_free(h);
        ck_assert_uint_eq(n_key_frees, 16);
        ck_assert_uint_eq(n_value_frees, 16);
}
END_TEST

START_TEST(test_foreach_remove_others) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&trivial_hash_ops);
        void *v;
        unsigned n = 0;

        for (uintptr_t i = 1; i <= 40; i++)
                ck_assert_int_eq(hashmap_put(h, (void *) i, (void *) i), 1);
        /* Removing elements not yet visited: they are not visited; the rest are, once, in order. */
        HASHMAP_FOREACH(v, h) {
                uintptr_t x = (uintptr_t) v;
                CHECK(x % 3 != 0);
                CHECK(x > n);
                n = x;
                if (x + 2 <= 40 && (x + 2) % 3 == 0)
                        CHECK(hashmap_remove(h, (void *) (x + 2)) == (void *) (x + 2));
                if (x + 1 <= 40 && (x + 1) % 3 == 0)
                        hashmap_remove(h, (void *) (x + 1));
        }
        ck_assert_uint_eq(n, 40);
        ck_assert_uint_eq(hashmap_size(h), 27);
}
END_TEST

/* A reference model: the live keys in insertion order. */
typedef struct Model {
        uintptr_t *keys;
        size_t n;
} Model;

static ssize_t model_find(const Model *m, uintptr_t k) {
        for (size_t i = 0; i < m->n; i++)
                if (m->keys[i] == k)
                        return (ssize_t) i;
        return -1;
}

static void model_check(const Model *m, const Hashmap *h) {
        void *v;
        const void *k;
        size_t i = 0;

        CHECK(hashmap_size(h) == m->n);
        HASHMAP_FOREACH_KEY(v, k, h) {
                CHECK(i < m->n);
                CHECK((uintptr_t) k == m->keys[i]);
                CHECK((uintptr_t) v == m->keys[i] * 7);
                i++;
        }
        CHECK(i == m->n);
        CHECK(m->n == 0 ? hashmap_first_key(h) == NULL : (uintptr_t) hashmap_first_key(h) == m->keys[0]);
}

START_TEST(test_random_against_model) {
        static const unsigned sizes[] = { 1, 2, 3, 8, 9, 17, 100, 3000 };
        unsigned seed = 12345;

        for (size_t s = 0; s < ELEMENTSOF(sizes); s++) {
                unsigned range = sizes[s] * 2;
                _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&trivial_hash_ops);
                Model m = { .keys = calloc(range + 1, sizeof(uintptr_t)) };

                ck_assert_ptr_nonnull(m.keys);
                for (unsigned step = 0; step < 20000; step++) {
                        unsigned op = rand_r(&seed) % 16;
                        uintptr_t k = 1 + rand_r(&seed) % range;
                        ssize_t at = model_find(&m, k);

                        if (op < 8) { /* put: mostly while below the size */
                                if (m.n >= sizes[s] && at < 0)
                                        continue;
                                int r = hashmap_put(h, (void *) k, (void *) (k * 7));
                                CHECK(r == (at < 0 ? 1 : 0));
                                if (at < 0)
                                        m.keys[m.n++] = k;
                        } else if (op < 14) { /* remove */
                                void *rk = NULL;
                                void *v = hashmap_remove2(h, (void *) k, &rk);
                                if (at < 0)
                                        CHECK(!v);
                                else {
                                        CHECK((uintptr_t) v == k * 7 && (uintptr_t) rk == k);
                                        memmove(m.keys + at, m.keys + at + 1, (m.n - at - 1) * sizeof(uintptr_t));
                                        m.n--;
                                }
                        } else { /* steal the oldest */
                                void *v = hashmap_steal_first(h);
                                if (m.n == 0)
                                        CHECK(!v);
                                else {
                                        CHECK((uintptr_t) v == m.keys[0] * 7);
                                        memmove(m.keys, m.keys + 1, (m.n - 1) * sizeof(uintptr_t));
                                        m.n--;
                                }
                        }
                        CHECK(hashmap_contains(h, (void *) k) == (model_find(&m, k) >= 0));
                        if (sizes[s] < 100 || step % 97 == 0)
                                model_check(&m, h);
                }
                model_check(&m, h);
                free(m.keys);
        }
}
END_TEST

START_TEST(test_small_map_footprint) {
#if !defined(__SANITIZE_ADDRESS__) /* ASan's allocator does not count in mallinfo2() */
        enum { N = 1000 };
        Hashmap **maps = calloc(N, sizeof(Hashmap *));
        size_t before, after;

        ck_assert_ptr_nonnull(maps);
        before = mallinfo2().uordblks;
        for (uintptr_t i = 0; i < N; i++) {
                maps[i] = hashmap_new(&trivial_hash_ops);
                ck_assert_ptr_nonnull(maps[i]);
                ck_assert_int_eq(hashmap_put(maps[i], (void *) (i + 1), NULL), 1);
        }
        after = mallinfo2().uordblks;
        /* A map of one entry: the map and a block of one entry, two 32-byte malloc chunks
         * (with separate chaining it took four: 160 bytes). */
        ck_assert_uint_le((after - before) / N, 64);
        for (size_t i = 0; i < N; i++)
                hashmap_free(maps[i]);
        free(maps);
#endif
}
END_TEST

START_TEST(test_iterate_directly) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&string_hash_ops);
        Iterator i = ITERATOR_FIRST;
        void *v;
        const void *k;
        int a, b;

        ck_assert(!hashmap_iterate(h, &i, &v, &k)); /* empty */
        ck_assert_int_eq(hashmap_put(h, "a", &a), 1);
        ck_assert_int_eq(hashmap_put(h, "b", &b), 1);

        i = ITERATOR_FIRST;
        ck_assert(hashmap_iterate(h, &i, &v, &k));
        ck_assert_ptr_eq(v, &a);
        ck_assert_str_eq(k, "a");
        ck_assert(hashmap_iterate(h, &i, NULL, &k)); /* either output may be NULL */
        ck_assert_str_eq(k, "b");
        ck_assert(!hashmap_iterate(h, &i, &v, NULL));
        ck_assert(!hashmap_iterate(h, &i, &v, NULL)); /* stays at the end */
}
END_TEST

START_TEST(test_growth_100000_strings) {
        Hashmap *h = hashmap_new(&string_hash_ops_free_free);
        const unsigned N = 100000;
        unsigned n = 0;
        char *v;
        const char *k;

        for (unsigned i = 0; i < N; i++)
                CHECK(hashmap_put(h, xprintf("unit-%u.service", i), xprintf("%u", i)) == 1);
        ck_assert_uint_eq(hashmap_size(h), N);

        for (unsigned i = 0; i < N; i++) {
                char buf[32];
                const char *got;

                snprintf(buf, sizeof buf, "unit-%u.service", i);
                got = hashmap_get(h, buf);
                CHECK(got && strtoul(got, NULL, 10) == i);
        }
        CHECK(!hashmap_contains(h, "unit-100000.service"));

        HASHMAP_FOREACH_KEY(v, k, h) {
                CHECK(strtoul(v, NULL, 10) == n);
                CHECK(strtoul(k + 5, NULL, 10) == n);
                n++;
        }
        ck_assert_uint_eq(n, N);

        {
                char **keys = hashmap_get_strv_keys(h);
                ck_assert_uint_eq(strv_length(keys), N);
                ck_assert_str_eq(keys[0], "unit-0.service");
                ck_assert_str_eq(keys[N - 1], "unit-99999.service");
                strv_free(keys);
        }

        /* Remove the first half (caller frees), the map frees the rest. */
        for (unsigned i = 0; i < N / 2; i++) {
                char buf[32];
                void *key = NULL;

                snprintf(buf, sizeof buf, "unit-%u.service", i);
                v = hashmap_remove2(h, buf, &key);
                CHECK(v && key);
                free(key);
                free(v);
        }
        ck_assert_uint_eq(hashmap_size(h), N / 2);
        ck_assert_str_eq(hashmap_first_key(h), "unit-50000.service");
        ck_assert_ptr_null(hashmap_free(h));
}
END_TEST

START_TEST(test_growth_100000_uint64) {
        _cleanup_(hashmap_freep) Hashmap *h = hashmap_new(&uint64_hash_ops);
        const size_t N = 100000;
        uint64_t *keys = calloc(N, sizeof(uint64_t));
        uint64_t probe;

        ck_assert_ptr_nonnull(keys);
        for (size_t i = 0; i < N; i++) {
                keys[i] = (uint64_t) i * 0x9e3779b97f4a7c15ULL; /* spread over 64 bits */
                CHECK(hashmap_put(h, &keys[i], (void *) (uintptr_t) (i + 1)) == 1);
        }
        ck_assert_uint_eq(hashmap_size(h), N);
        for (size_t i = 0; i < N; i++) {
                probe = (uint64_t) i * 0x9e3779b97f4a7c15ULL;
                CHECK(hashmap_get(h, &probe) == (void *) (uintptr_t) (i + 1));
        }
        for (size_t i = 0; i < N; i++)
                CHECK(hashmap_remove(h, &keys[i]) == (void *) (uintptr_t) (i + 1));
        ck_assert(hashmap_isempty(h));

        /* Refill after emptying: the grown table still works. */
        for (size_t i = 0; i < 1000; i++)
                CHECK(hashmap_put(h, &keys[i], &keys[i]) == 1);
        ck_assert_uint_eq(hashmap_size(h), 1000);
        hashmap_clear(h);
        free(keys);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("hashmap");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 120); /* sanitizer builds on a busy machine are slow */
        tcase_add_test(tc, test_new_free);
        tcase_add_test(tc, test_put_return_values);
        tcase_add_test(tc, test_get_contains);
        tcase_add_test(tc, test_uint64_and_trivial_ops);
        tcase_add_test(tc, test_replace);
        tcase_add_test(tc, test_ownership_replace);
        tcase_add_test(tc, test_ownership_put_failure_keeps_caller_ownership);
        tcase_add_test(tc, test_ownership_remove_and_steal);
        tcase_add_test(tc, test_ownership_clear_and_free);
        tcase_add_test(tc, test_remove);
        tcase_add_test(tc, test_null_map);
        tcase_add_test(tc, test_ensure_allocated);
        tcase_add_test(tc, test_first_and_steal_fifo);
        tcase_add_test(tc, test_insertion_order);
        tcase_add_test(tc, test_foreach_add);
        tcase_add_test(tc, test_foreach_remove_current);
        tcase_add_test(tc, test_foreach_remove_current_owned);
        tcase_add_test(tc, test_foreach_remove_others);
        tcase_add_test(tc, test_random_against_model);
        tcase_add_test(tc, test_small_map_footprint);
        tcase_add_test(tc, test_iterate_directly);
        tcase_add_test(tc, test_growth_100000_strings);
        tcase_add_test(tc, test_growth_100000_uint64);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
