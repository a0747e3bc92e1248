/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * ordered-set.h: a set of pointers (or strings, with string_hash_ops) that iterates in
 * insertion order. A thin typed layer over Hashmap in which every key is its own value;
 * ownership follows the HashOps' free_key.
 */

#include "hashmap.h"

typedef struct OrderedSet OrderedSet;

OrderedSet *ordered_set_new(const HashOps *ops);
OrderedSet *ordered_set_free(OrderedSet *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(OrderedSet *, ordered_set_free);
int ordered_set_ensure_allocated(OrderedSet **s, const HashOps *ops);
/* 1 if added, 0 if already present (nothing taken over), -ENOMEM. */
int ordered_set_put(OrderedSet *s, void *p);
int ordered_set_ensure_put(OrderedSet **s, const HashOps *ops, void *p);
/* ordered_set_put() of a copy of str; the set must own its keys (string_hash_ops_free). */
int ordered_set_put_strdup(OrderedSet **s, const char *str);
bool ordered_set_contains(const OrderedSet *s, const void *p);
/* Removes p and returns the stored element (owned by the caller now), or NULL. */
void *ordered_set_remove(OrderedSet *s, const void *p);
void *ordered_set_get(const OrderedSet *s, const void *p);
size_t ordered_set_size(const OrderedSet *s);
void *ordered_set_first(const OrderedSet *s);
void *ordered_set_steal_first(OrderedSet *s);
bool ordered_set_iterate(const OrderedSet *s, Iterator *i, void **ret);
/* Copies of the string elements, in order. */
char **ordered_set_get_strv(const OrderedSet *s);

#define ORDERED_SET_FOREACH(e, s) \
        for (Iterator _si_##e = ITERATOR_FIRST; ordered_set_iterate((s), &_si_##e, (void **) &(e));)
