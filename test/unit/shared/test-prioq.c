/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-prioq.c: unit tests for prioq.c. Covers the empty and NULL queue, the pop order with
 * equal keys, the back-pointer contract (set on put, cleared on remove and pop, -EEXIST on a
 * second put, a stale back-pointer never touching another element), reshuffling after a key
 * change, elements without back-pointers, and long random sequences of put, remove, reshuffle
 * and pop over 100000 elements checked against a reference multiset of keys, with every
 * back-pointer checked to be the element's slot (the back-pointers of the queued elements are
 * a permutation of 0..size-1).
 */

#include <stdint.h>
#include <stdlib.h>

#include "prioq.h"
#include "test-helpers.h"

/* ck_assert() reports every passing check to the parent process; in hot loops, only fail. */
#define CHECK(expr)                                                                         \
        do {                                                                                \
                if (!(expr))                                                                \
                        ck_abort_msg("%s:%d: check failed: %s", __FILE__, __LINE__, #expr); \
        } while (0)

#define N_BIG 100000
#define N_KEYS 4096 /* few enough that many elements share a key */

typedef struct Item {
        unsigned key;
        size_t idx;
        bool queued; /* what the test believes */
} Item;

static int item_compare(const void *a, const void *b) {
        const Item *x = a, *y = b;

        return x->key < y->key ? -1 : x->key > y->key ? 1 : 0;
}

/* A fixed-seed generator, so that a failure reproduces. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed) {
        rng_state = seed;
}

static unsigned rng_below(unsigned n) {
        uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

        z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
        return (unsigned) ((z ^ (z >> 31)) % n);
}

static Prioq *new_queue(void) {
        Prioq *q = NULL;

        ck_assert_int_eq(prioq_new(item_compare, &q), 0);
        ck_assert_ptr_nonnull(q);
        return q;
}

static Item *new_items(size_t n) {
        Item *items = calloc(n, sizeof(Item));

        ck_assert_ptr_nonnull(items);
        for (size_t i = 0; i < n; i++)
                items[i].idx = PRIOQ_IDX_NULL;
        return items;
}

START_TEST(test_empty_and_null)
{
        _cleanup_(prioq_freep) Prioq *q = new_queue();
        Item a = { .key = 1, .idx = PRIOQ_IDX_NULL };

        ck_assert_uint_eq(prioq_size(q), 0);
        ck_assert_ptr_null(prioq_peek(q));
        ck_assert_ptr_null(prioq_pop(q));
        ck_assert_int_eq(prioq_remove(q, &a, &a.idx), 0);
        ck_assert_int_eq(prioq_remove(q, &a, NULL), 0);
        ck_assert_int_eq(prioq_reshuffle(q, &a, &a.idx), 0);
        ck_assert_uint_eq(a.idx, PRIOQ_IDX_NULL);

        /* A queue that was never made reads as empty. */
        ck_assert_uint_eq(prioq_size(NULL), 0);
        ck_assert_ptr_null(prioq_peek(NULL));
        ck_assert_ptr_null(prioq_pop(NULL));
        ck_assert_int_eq(prioq_remove(NULL, &a, &a.idx), 0);
        ck_assert_ptr_null(prioq_free(NULL));
}
END_TEST

START_TEST(test_pop_order_with_equal_keys)
{
        static const unsigned keys[] = { 5, 3, 9, 1, 3, 7, 1, 9, 0, 5 };
        _cleanup_(prioq_freep) Prioq *q = new_queue();
        _cleanup_free_ Item *items = new_items(ELEMENTSOF(keys));
        unsigned last = 0;

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                items[i].key = keys[i];
                ck_assert_int_eq(prioq_put(q, &items[i], &items[i].idx), 0);
                ck_assert_uint_lt(items[i].idx, prioq_size(q));
        }
        ck_assert_uint_eq(prioq_size(q), ELEMENTSOF(keys));
        ck_assert_uint_eq(((Item *) prioq_peek(q))->key, 0);

        for (size_t n = ELEMENTSOF(keys); n > 0; n--) {
                Item *top = prioq_peek(q), *it = prioq_pop(q);

                ck_assert_ptr_eq(top, it);
                ck_assert_uint_ge(it->key, last);
                ck_assert_uint_eq(it->idx, PRIOQ_IDX_NULL);
                ck_assert_uint_eq(prioq_size(q), n - 1);
                last = it->key;
        }
        ck_assert_uint_eq(last, 9);
        ck_assert_ptr_null(prioq_pop(q));
}
END_TEST

START_TEST(test_back_pointer_contract)
{
        _cleanup_(prioq_freep) Prioq *q = new_queue();
        Item a = { .key = 2, .idx = PRIOQ_IDX_NULL }, b = { .key = 1, .idx = PRIOQ_IDX_NULL };
        size_t stale;

        ck_assert_int_eq(prioq_put(q, &a, &a.idx), 0);
        ck_assert_uint_eq(a.idx, 0);
        ck_assert_int_eq(prioq_put(q, &b, &b.idx), 0);
        /* b is smaller: it took the root and a's back-pointer followed a to its new slot. */
        ck_assert_uint_eq(b.idx, 0);
        ck_assert_uint_eq(a.idx, 1);

        ck_assert_int_eq(prioq_put(q, &a, &a.idx), -EEXIST);
        ck_assert_uint_eq(prioq_size(q), 2);

        /* A back-pointer naming another element's slot is not a licence to remove that one. */
        stale = b.idx;
        ck_assert_int_eq(prioq_remove(q, &a, &stale), 0);
        ck_assert_int_eq(prioq_reshuffle(q, &a, &stale), 0);
        ck_assert_uint_eq(prioq_size(q), 2);
        ck_assert_ptr_eq(prioq_peek(q), &b);

        ck_assert_int_eq(prioq_remove(q, &b, &b.idx), 1);
        ck_assert_uint_eq(b.idx, PRIOQ_IDX_NULL);
        ck_assert_uint_eq(a.idx, 0);
        ck_assert_int_eq(prioq_remove(q, &b, &b.idx), 0);
        ck_assert_ptr_eq(prioq_peek(q), &a);

        /* Removed elements can come back. */
        ck_assert_int_eq(prioq_put(q, &b, &b.idx), 0);
        ck_assert_ptr_eq(prioq_pop(q), &b);
        ck_assert_ptr_eq(prioq_pop(q), &a);
        ck_assert_uint_eq(a.idx, PRIOQ_IDX_NULL);
}
END_TEST

START_TEST(test_reshuffle_after_key_change)
{
        _cleanup_(prioq_freep) Prioq *q = new_queue();
        _cleanup_free_ Item *items = new_items(100);

        for (size_t i = 0; i < 100; i++) {
                items[i].key = 100 + (unsigned) i;
                ck_assert_int_eq(prioq_put(q, &items[i], &items[i].idx), 0);
        }
        ck_assert_ptr_eq(prioq_peek(q), &items[0]);

        items[57].key = 1; /* now the smallest */
        ck_assert_int_eq(prioq_reshuffle(q, &items[57], &items[57].idx), 1);
        ck_assert_ptr_eq(prioq_peek(q), &items[57]);
        ck_assert_uint_eq(items[57].idx, 0);

        items[57].key = 1000; /* now the largest */
        ck_assert_int_eq(prioq_reshuffle(q, &items[57], &items[57].idx), 1);
        ck_assert_ptr_eq(prioq_peek(q), &items[0]);

        items[0].key = 150; /* into the middle, next to items[50] */
        ck_assert_int_eq(prioq_reshuffle(q, &items[0], &items[0].idx), 1);
        ck_assert_ptr_eq(prioq_peek(q), &items[1]);

        /* Keys now: 101..199 without 157, 150 twice (items[0] and items[50]), and 1000. */
        for (unsigned expect = 101; expect < 200; expect++) {
                if (expect == 157)
                        continue;
                ck_assert_uint_eq(((Item *) prioq_pop(q))->key, expect);
                if (expect == 150)
                        ck_assert_uint_eq(((Item *) prioq_pop(q))->key, 150);
        }
        ck_assert_ptr_eq(prioq_pop(q), &items[57]);
        ck_assert_uint_eq(prioq_size(q), 0);
        for (size_t i = 0; i < 100; i++)
                ck_assert_uint_eq(items[i].idx, PRIOQ_IDX_NULL);
}
END_TEST

START_TEST(test_without_back_pointers)
{
        _cleanup_(prioq_freep) Prioq *q = new_queue();
        _cleanup_free_ Item *items = new_items(50);

        for (size_t i = 0; i < 50; i++) {
                items[i].key = (unsigned) (i * 7 % 50); /* a permutation of 0..49 */
                ck_assert_int_eq(prioq_put(q, &items[i], NULL), 0);
                ck_assert_uint_eq(items[i].idx, PRIOQ_IDX_NULL); /* left alone */
        }
        /* Remove the even keys (found by a search), move key 49 to the front. */
        for (size_t i = 0; i < 50; i++)
                if (items[i].key % 2 == 0)
                        ck_assert_int_eq(prioq_remove(q, &items[i], NULL), 1);
        ck_assert_int_eq(prioq_remove(q, &items[0], NULL), 0);
        ck_assert_uint_eq(prioq_size(q), 25);
        for (size_t i = 0; i < 50; i++)
                if (items[i].key == 49) {
                        items[i].key = 0;
                        ck_assert_int_eq(prioq_reshuffle(q, &items[i], NULL), 1);
                }
        ck_assert_uint_eq(((Item *) prioq_pop(q))->key, 0);
        for (unsigned expect = 1; expect < 49; expect += 2)
                ck_assert_uint_eq(((Item *) prioq_pop(q))->key, expect);
        ck_assert_ptr_null(prioq_pop(q));
}
END_TEST

START_TEST(test_reserve)
{
        _cleanup_(prioq_freep) Prioq *q = new_queue();
        _cleanup_free_ Item *items = new_items(1000);

        ck_assert_int_eq(prioq_reserve(q, 1000), 0);
        ck_assert_int_eq(prioq_reserve(q, 10), 0); /* never shrinks, never fails */
        for (size_t i = 0; i < 1000; i++) {
                items[i].key = (unsigned) (999 - i);
                ck_assert_int_eq(prioq_put(q, &items[i], &items[i].idx), 0);
        }
        ck_assert_ptr_eq(prioq_peek(q), &items[999]);
        /* Growing past the reservation still works. */
        ck_assert_int_eq(prioq_put(q, &(Item) { .key = 5000, .idx = PRIOQ_IDX_NULL }, NULL), 0);
        ck_assert_uint_eq(prioq_size(q), 1001);
}
END_TEST

/* ---- random sequences against a reference ---------------------------------------------------- */

/* The reference: how many queued elements have each key, and a bound below every queued key. */
typedef struct Reference {
        size_t count[N_KEYS];
        unsigned n_keys; /* keys are below this */
        size_t n;
        unsigned lo;
} Reference;

static Reference *ref_new(unsigned n_keys) {
        Reference *ref = calloc(1, sizeof(Reference));

        ck_assert_ptr_nonnull(ref);
        ref->n_keys = n_keys;
        ref->lo = n_keys;
        return ref;
}

static void ref_add(Reference *ref, unsigned key) {
        ref->count[key]++;
        ref->n++;
        if (key < ref->lo)
                ref->lo = key;
}

static void ref_del(Reference *ref, unsigned key) {
        CHECK(ref->count[key] > 0);
        ref->count[key]--;
        ref->n--;
}

static unsigned ref_min(Reference *ref) {
        while (ref->lo < ref->n_keys && ref->count[ref->lo] == 0)
                ref->lo++;
        return ref->lo;
}

/* Queued ⇔ back-pointer set; the back-pointers of the queued items are exactly 0..size-1. */
static void check_back_pointers(const Prioq *q, const Item *items, size_t n, const Reference *ref) {
        _cleanup_free_ bool *seen = calloc(n + 1, sizeof(bool));
        size_t n_queued = 0;

        ck_assert_ptr_nonnull(seen);
        CHECK(prioq_size(q) == ref->n);
        for (size_t i = 0; i < n; i++) {
                if (!items[i].queued) {
                        CHECK(items[i].idx == PRIOQ_IDX_NULL);
                        continue;
                }
                CHECK(items[i].idx < prioq_size(q));
                CHECK(!seen[items[i].idx]);
                seen[items[i].idx] = true;
                n_queued++;
        }
        CHECK(n_queued == prioq_size(q));
}

static void random_step(Prioq *q, Item *items, size_t n, Reference *ref) {
        unsigned op = rng_below(10);
        Item *it = &items[rng_below((unsigned) n)];

        if (op == 0) {
                /* pop: the smallest key of the reference comes out */
                it = prioq_pop(q);
                if (!it) {
                        CHECK(ref->n == 0);
                        return;
                }
                CHECK(it->queued && it->idx == PRIOQ_IDX_NULL);
                CHECK(it->key == ref_min(ref));
                ref_del(ref, it->key);
                it->queued = false;
        } else if (!it->queued) {
                it->key = rng_below(ref->n_keys);
                CHECK(prioq_put(q, it, &it->idx) == 0);
                CHECK(it->idx < prioq_size(q));
                it->queued = true;
                ref_add(ref, it->key);
        } else if (op <= 3) {
                CHECK(prioq_remove(q, it, &it->idx) == 1);
                CHECK(it->idx == PRIOQ_IDX_NULL);
                it->queued = false;
                ref_del(ref, it->key);
        } else {
                ref_del(ref, it->key);
                it->key = rng_below(ref->n_keys);
                ref_add(ref, it->key);
                CHECK(prioq_reshuffle(q, it, &it->idx) == 1);
                CHECK(it->idx < prioq_size(q));
        }
        if (op != 0) {
                Item *top = prioq_peek(q);
                CHECK(top ? top->key == ref_min(ref) : ref->n == 0);
        }
}

/* Pops everything: keys come out in sorted order and match the reference exactly. */
static void drain_and_check(Prioq *q, Item *items, size_t n, Reference *ref) {
        unsigned last = 0;
        Item *it;

        while ((it = prioq_pop(q))) {
                CHECK(it->queued);
                CHECK(it->idx == PRIOQ_IDX_NULL);
                CHECK(it->key >= last);
                CHECK(it->key == ref_min(ref));
                ref_del(ref, it->key);
                it->queued = false;
                last = it->key;
        }
        CHECK(ref->n == 0);
        check_back_pointers(q, items, n, ref);
}

START_TEST(test_random_100000)
{
        _cleanup_(prioq_freep) Prioq *q = new_queue();
        _cleanup_free_ Item *items = new_items(N_BIG);
        _cleanup_free_ Reference *ref = ref_new(N_KEYS);

        rng_seed(UINT64_C(0x5eed) + (uint64_t) _i);

        /* Fill all 100000 (growing the queue as we go), then churn. */
        for (size_t i = 0; i < N_BIG; i++) {
                items[i].key = rng_below(N_KEYS);
                CHECK(prioq_put(q, &items[i], &items[i].idx) == 0);
                items[i].queued = true;
                ref_add(ref, items[i].key);
        }
        check_back_pointers(q, items, N_BIG, ref);
        for (unsigned step = 1; step <= 4 * N_BIG; step++) {
                random_step(q, items, N_BIG, ref);
                if (step % 20000 == 0)
                        check_back_pointers(q, items, N_BIG, ref);
        }
        check_back_pointers(q, items, N_BIG, ref);
        drain_and_check(q, items, N_BIG, ref);
}
END_TEST

START_TEST(test_random_small_queues)
{
        /* Small queues hit the corner cases (root, last slot, one child) far more often. */
        for (unsigned round = 0; round < 200; round++) {
                _cleanup_(prioq_freep) Prioq *q = new_queue();
                _cleanup_free_ Item *items = new_items(1 + round % 17);
                _cleanup_free_ Reference *ref = ref_new(1 + round % 64);
                size_t n = 1 + round % 17;

                rng_seed(round);
                for (unsigned step = 0; step < 2000; step++) {
                        random_step(q, items, n, ref);
                        check_back_pointers(q, items, n, ref);
                }
                drain_and_check(q, items, n, ref);
        }
}
END_TEST

START_TEST(test_sort_100000)
{
        _cleanup_(prioq_freep) Prioq *q = new_queue();
        _cleanup_free_ Item *items = new_items(N_BIG);

        /* Distinct keys (a permutation), put without back-pointers: pop gives 0, 1, 2, ... */
        for (size_t i = 0; i < N_BIG; i++)
                items[i].key = (unsigned) ((i * 7919) % N_BIG);
        for (size_t i = 0; i < N_BIG; i++)
                CHECK(prioq_put(q, &items[i], NULL) == 0);
        for (unsigned k = 0; k < N_BIG; k++) {
                Item *it = prioq_pop(q);
                CHECK(it && it->key == k);
        }
        ck_assert_uint_eq(prioq_size(q), 0);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("prioq");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 120); /* sanitizer builds on a busy machine are slow */
        tcase_add_test(tc, test_empty_and_null);
        tcase_add_test(tc, test_pop_order_with_equal_keys);
        tcase_add_test(tc, test_back_pointer_contract);
        tcase_add_test(tc, test_reshuffle_after_key_change);
        tcase_add_test(tc, test_without_back_pointers);
        tcase_add_test(tc, test_reserve);
        tcase_add_loop_test(tc, test_random_100000, 0, 2);
        tcase_add_test(tc, test_random_small_queues);
        tcase_add_test(tc, test_sort_100000);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
