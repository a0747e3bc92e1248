/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * prioq.c: the binary min-heap of prioq.h.
 *
 * items[0..n_items) is a heap: no item compares smaller than its parent (i - 1) / 2. Each slot
 * remembers the back-pointer its element was put with; the invariant is that every non-NULL
 * back-pointer of a queued element holds that element's slot number. Every move of an element
 * goes through prioq_place(), which keeps it.
 */

#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include "prioq.h"

typedef struct PrioqItem {
        void *data;
        size_t *idx; /* the caller's back-pointer, or NULL */
} PrioqItem;

struct Prioq {
        PrioqItem *items;
        size_t n_items;
        size_t n_allocated;
        PrioqCompareFunc compare;
};

int prioq_new(PrioqCompareFunc compare, Prioq **ret) {
        Prioq *q;

        assert(compare);
        assert(ret);

        q = new0(Prioq, 1);
        if (!q)
                return -ENOMEM;
        q->compare = compare;
        *ret = q;
        return 0;
}

Prioq *prioq_free(Prioq *q) {
        if (!q)
                return NULL;
        free(q->items);
        free(q);
        return NULL;
}

int prioq_reserve(Prioq *q, size_t n) {
        assert(q);
        if (n <= q->n_allocated)
                return 0;
        return GREEDY_REALLOC(q->items, q->n_allocated, n) ? 0 : -ENOMEM;
}

static void prioq_place(Prioq *q, size_t i, PrioqItem item) {
        q->items[i] = item;
        if (item.idx)
                *item.idx = i;
}

static int prioq_compare_at(const Prioq *q, size_t a, size_t b) {
        return q->compare(q->items[a].data, q->items[b].data);
}

/* Moves the item at i towards the root while it is smaller than its parent; returns where it
 * ended up. */
static size_t prioq_sift_up(Prioq *q, size_t i) {
        PrioqItem item = q->items[i];

        while (i > 0) {
                size_t parent = (i - 1) / 2;

                if (q->compare(q->items[parent].data, item.data) <= 0)
                        break;
                prioq_place(q, i, q->items[parent]);
                i = parent;
        }
        prioq_place(q, i, item);
        return i;
}

/* Moves the item at i towards the leaves while a child is smaller. */
static void prioq_sift_down(Prioq *q, size_t i) {
        PrioqItem item = q->items[i];

        for (;;) {
                size_t child = 2 * i + 1;

                if (child >= q->n_items)
                        break;
                if (child + 1 < q->n_items && prioq_compare_at(q, child + 1, child) < 0)
                        child++;
                if (q->compare(item.data, q->items[child].data) <= 0)
                        break;
                prioq_place(q, i, q->items[child]);
                i = child;
        }
        prioq_place(q, i, item);
}

/* Where data sits, or PRIOQ_IDX_NULL. A back-pointer is trusted only if its slot really holds
 * data, so a stale or uninitialized one never makes us touch another element. */
static size_t prioq_find(const Prioq *q, const void *data, const size_t *idx) {
        if (!q)
                return PRIOQ_IDX_NULL;
        if (idx) {
                if (*idx < q->n_items && q->items[*idx].data == data)
                        return *idx;
                return PRIOQ_IDX_NULL;
        }
        for (size_t i = 0; i < q->n_items; i++)
                if (q->items[i].data == data)
                        return i;
        return PRIOQ_IDX_NULL;
}

int prioq_put(Prioq *q, void *data, size_t *idx) {
        int r;

        assert(q);
        assert(data);

        if (idx && prioq_find(q, data, idx) != PRIOQ_IDX_NULL)
                return -EEXIST;
        if (q->n_items == SIZE_MAX - 1)
                return -ENOMEM; /* keep every position distinct from PRIOQ_IDX_NULL */
        r = prioq_reserve(q, q->n_items + 1);
        if (r < 0)
                return r;

        prioq_place(q, q->n_items++, (PrioqItem) { .data = data, .idx = idx });
        (void) prioq_sift_up(q, q->n_items - 1);
        return 0;
}

/* Takes the item at i out: the last item fills the hole and moves to its place. */
static void prioq_remove_at(Prioq *q, size_t i) {
        if (q->items[i].idx)
                *q->items[i].idx = PRIOQ_IDX_NULL;
        q->n_items--;
        if (i == q->n_items)
                return;
        prioq_place(q, i, q->items[q->n_items]);
        prioq_sift_down(q, prioq_sift_up(q, i));
}

int prioq_remove(Prioq *q, void *data, size_t *idx) {
        size_t i = prioq_find(q, data, idx);

        if (i == PRIOQ_IDX_NULL)
                return 0;
        prioq_remove_at(q, i);
        return 1;
}

int prioq_reshuffle(Prioq *q, void *data, size_t *idx) {
        size_t i = prioq_find(q, data, idx);

        if (i == PRIOQ_IDX_NULL)
                return 0;
        prioq_sift_down(q, prioq_sift_up(q, i));
        return 1;
}

void *prioq_peek(const Prioq *q) {
        return q && q->n_items > 0 ? q->items[0].data : NULL;
}

void *prioq_pop(Prioq *q) {
        void *data = prioq_peek(q);

        if (data)
                prioq_remove_at(q, 0);
        return data;
}

size_t prioq_size(const Prioq *q) {
        return q ? q->n_items : 0;
}
