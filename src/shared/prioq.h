/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * prioq.h: a priority queue (binary min-heap) of void * elements ordered by a compare function;
 * prioq_peek() and prioq_pop() give the smallest element. Elements with equal keys come out in
 * no particular order: callers that need FIFO order among equals add a sequence number to the
 * key.
 *
 * The queue stores pointers and never owns, copies or frees the elements. Each element may come
 * with an index back-pointer: a size_t the caller keeps (usually inside the element) that the
 * queue keeps equal to the element's position while it is queued and sets to PRIOQ_IDX_NULL when
 * it leaves. With it, prioq_remove() and prioq_reshuffle() are O(log n) and "is it queued" is
 * `idx != PRIOQ_IDX_NULL`; without it (idx NULL) they search the queue linearly. Callers set the
 * back-pointer to PRIOQ_IDX_NULL before the element's first prioq_put().
 *
 * Memory: prioq_reserve() sizes the queue in advance; as long as the number of queued elements
 * stays within the reservation, prioq_put() neither allocates nor fails, so code that must not
 * fail (marking and dispatching event sources) reserves when the element is created.
 */

#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* The value of an index back-pointer whose element is not queued. */
#define PRIOQ_IDX_NULL SIZE_MAX

/* < 0 if a goes before b, > 0 if after, 0 if either may come first. */
typedef int (*PrioqCompareFunc)(const void *a, const void *b);

typedef struct Prioq Prioq;

/* An empty queue ordered by compare. Returns 0 or -ENOMEM; *ret gets the queue. */
int prioq_new(PrioqCompareFunc compare, Prioq **ret);
/* Frees the queue, not the elements (their back-pointers are left as they are). NULL-safe;
 * returns NULL. */
Prioq *prioq_free(Prioq *q);
DEFINE_TRIVIAL_CLEANUP_FUNC(Prioq *, prioq_free);

/* Makes room for n elements in all, so that puts up to that size never fail. 0 or -ENOMEM. */
int prioq_reserve(Prioq *q, size_t n);
/* Queues data (not NULL) and, if idx is not NULL, sets *idx to its position (and keeps it up to
 * date). Returns 0; -EEXIST if idx says data is queued already; -ENOMEM (q unchanged) if the
 * queue had to grow and could not. */
int prioq_put(Prioq *q, void *data, size_t *idx);
/* Takes data out of the queue and sets *idx (if not NULL) to PRIOQ_IDX_NULL. Returns 1 if data
 * was queued, 0 if not (q NULL is an empty queue). */
int prioq_remove(Prioq *q, void *data, size_t *idx);
/* Moves data to its place after its key changed. Returns 1, or 0 if data is not queued. */
int prioq_reshuffle(Prioq *q, void *data, size_t *idx);
/* The smallest element (still queued), or NULL if the queue is empty or NULL. */
void *prioq_peek(const Prioq *q);
/* Takes the smallest element out (its back-pointer becomes PRIOQ_IDX_NULL) and returns it; NULL
 * if the queue is empty or NULL. */
void *prioq_pop(Prioq *q);
/* The number of queued elements (0 for NULL). */
size_t prioq_size(const Prioq *q);
