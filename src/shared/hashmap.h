/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * hashmap.h: a hash table that iterates in insertion order. Keys are hashed with SipHash
 * under a per-process random key. The HashOps decide how keys hash and compare and whether
 * the map owns (frees) its keys and values; with the plain ops the map owns nothing.
 *
 * Iteration is stable against removal of elements (the one just returned or any other) and
 * against adding: an iteration visits every element present throughout it once, in order;
 * added ones may or may not be visited. The one exception: if the element last returned is
 * removed and then an addition moves the entries to a bigger block, the iteration goes on at
 * the same position, so up to as many elements as were removed may be skipped.
 */

#include "macro.h"

typedef struct HashOps {
        uint64_t (*hash)(const void *key);
        int (*compare)(const void *a, const void *b);
        void (*free_key)(void *key);
        void (*free_value)(void *value);
} HashOps;

extern const HashOps string_hash_ops;           /* char* keys, nothing owned */
extern const HashOps string_hash_ops_free;      /* char* keys owned */
extern const HashOps string_hash_ops_free_free; /* char* keys and values owned */
extern const HashOps trivial_hash_ops;          /* pointer identity */
extern const HashOps uint64_hash_ops;           /* keys point at uint64_t */

uint64_t string_hash(const void *s);
uint64_t trivial_hash(const void *p);

typedef struct Hashmap Hashmap;

typedef struct Iterator {
        size_t next;       /* the entry to look at next */
        const void *block; /* the entries block next refers to */
        const void *key;   /* the key last returned */
        bool started;
} Iterator;
#define ITERATOR_FIRST ((Iterator) {})

Hashmap *hashmap_new(const HashOps *ops);
/* Frees the map and, as the ops say, keys and values. NULL-safe; returns NULL. */
Hashmap *hashmap_free(Hashmap *h);
DEFINE_TRIVIAL_CLEANUP_FUNC(Hashmap *, hashmap_free);
/* Empties the map, freeing what the ops own. */
void hashmap_clear(Hashmap *h);
/* Allocates *h if NULL. 1 if it was allocated now, 0 if it existed, -ENOMEM. */
int hashmap_ensure_allocated(Hashmap **h, const HashOps *ops);

/* Adds key → value. Returns 1 if added, 0 if key was present with this same value,
 * -EEXIST if present with another value, -ENOMEM. On failure nothing is taken over. */
int hashmap_put(Hashmap *h, const void *key, void *value);
/* hashmap_ensure_allocated() + hashmap_put(). */
int hashmap_ensure_put(Hashmap **h, const HashOps *ops, const void *key, void *value);
/* Adds or replaces; a replaced key/value is freed as the ops say, unless identical. */
int hashmap_replace(Hashmap *h, const void *key, void *value);

void *hashmap_get(const Hashmap *h, const void *key);
/* Like hashmap_get(), also returning the stored key. */
void *hashmap_get2(const Hashmap *h, const void *key, void **ret_key);
bool hashmap_contains(const Hashmap *h, const void *key);

/* Removes the entry and returns its value; the caller now owns key and value (nothing is
 * freed). */
void *hashmap_remove(Hashmap *h, const void *key);
void *hashmap_remove2(Hashmap *h, const void *key, void **ret_key);

size_t hashmap_size(const Hashmap *h) _pure_;
static inline bool hashmap_isempty(const Hashmap *h) {
        return hashmap_size(h) == 0;
}
/* The oldest entry's value, or NULL. */
void *hashmap_first(const Hashmap *h);
void *hashmap_first_key(const Hashmap *h);
/* Removes the oldest entry and returns its value (and key); the caller owns them. */
void *hashmap_steal_first(Hashmap *h);
void *hashmap_steal_first_key(Hashmap *h);

/* Steps the iterator; returns false at the end. */
bool hashmap_iterate(const Hashmap *h, Iterator *i, void **ret_value, const void **ret_key);

#define HASHMAP_FOREACH(v, h) \
        for (Iterator _hi_##v = ITERATOR_FIRST; hashmap_iterate((h), &_hi_##v, (void **) &(v), NULL);)
#define HASHMAP_FOREACH_KEY(v, k, h)                                                         \
        for (Iterator _hi_##v = ITERATOR_FIRST;                                              \
             hashmap_iterate((h), &_hi_##v, (void **) &(v), (const void **) &(k));)

/* The keys, in insertion order, as a strv of copies (string keys only). */
char **hashmap_get_strv_keys(const Hashmap *h);
