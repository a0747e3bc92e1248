/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hashmap.c: a compact hash table. The entries (key, value, cached hash) live in one block in
 * insertion order; a removed entry leaves a hole there until the block is full, when the live
 * entries move to a new block sized for them (twice the size, or smaller after removals). Maps
 * of up to SMALL_MAX slots are searched by a scan of the entries (comparing the cached hashes
 * first); larger ones have an open-addressing index after the entries in the same block
 * (linear probing, two index slots per entry slot, rebuilt with the block). A map that becomes
 * empty gives its block back.
 *
 * Why not chaining: the manager keeps about a dozen maps per unit (dependencies, names, watched
 * PIDs, settings), most with one or two entries. With one allocation per entry and a bucket
 * array a one-entry map cost 160 bytes of heap (four malloc chunks); here it is 64 (two).
 */

#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "hashmap.h"
#include "siphash24.h"
#include "strv.h"

typedef struct Entry {
        const void *key;
        void *value;
        uint64_t hash;
} Entry;

/* The map itself is 24 bytes (a 32-byte malloc chunk). The size of the entries block follows
 * from n_used: the smallest power of two that holds n_used entries (make_room() keeps it so),
 * and maps with more than SMALL_MAX slots keep their index in the same block, after the
 * entries. */
struct Hashmap {
        const HashOps *ops;
        Entry *entries;     /* [0, n_used) in use, a removed entry is a hole (key == HOLE) */
        uint32_t n_entries; /* live entries */
        uint32_t n_used;
};

#define SMALL_MAX 8u
#define INDEX_EMPTY 0u               /* index slots hold entry number + 1 */
#define INDEX_HOLE UINT32_MAX        /* a removed entry's slot: probing goes on past it */

/* The key of a removed entry: an address no caller's key can have. While entries[0] is a hole,
 * its value holds the number of the first live entry (iteration, first, steal_first). */
static const char hole_marker;
#define HOLE ((const void *) &hole_marker)

static uint8_t hash_key[16];
static bool hash_key_ready;

static const uint8_t *get_hash_key(void) {
        if (!hash_key_ready) {
                if (getrandom(hash_key, sizeof hash_key, GRND_NONBLOCK) != sizeof hash_key) {
                        /* Early boot without entropy: still better than a fixed key. */
                        uint64_t t = (uint64_t) (uintptr_t) &hash_key ^ (uint64_t) getpid();
                        memcpy(hash_key, &t, sizeof t);
                }
                hash_key_ready = true;
        }
        return hash_key;
}

uint64_t string_hash(const void *s) {
        return siphash24(s, strlen(s), get_hash_key());
}

/* Pointers and PIDs are not chosen by peers: the keyed 64-bit finaliser of MurmurHash3 (every
 * input bit reaches every output bit) instead of SipHash, about five times cheaper. Numbers a
 * peer sends (uint64_hash: D-Bus serials) stay on SipHash. */
uint64_t trivial_hash(const void *p) {
        uint64_t v, k;

        memcpy(&k, get_hash_key(), sizeof k);
        v = (uint64_t) (uintptr_t) p ^ k;
        v ^= v >> 33;
        v *= UINT64_C(0xff51afd7ed558ccd);
        v ^= v >> 33;
        v *= UINT64_C(0xc4ceb9fe1a85ec53);
        v ^= v >> 33;
        return v;
}

static int string_compare(const void *a, const void *b) {
        return strcmp(a, b);
}

static int trivial_compare(const void *a, const void *b) {
        return a < b ? -1 : a > b ? 1 : 0;
}

static uint64_t uint64_hash(const void *p) {
        return siphash24(p, sizeof(uint64_t), get_hash_key());
}

static int uint64_compare(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y ? 1 : 0;
}

const HashOps string_hash_ops = { string_hash, string_compare, NULL, NULL };
const HashOps string_hash_ops_free = { string_hash, string_compare, free, NULL };
const HashOps string_hash_ops_free_free = { string_hash, string_compare, free, free };
const HashOps trivial_hash_ops = { trivial_hash, trivial_compare, NULL, NULL };
const HashOps uint64_hash_ops = { uint64_hash, uint64_compare, NULL, NULL };

Hashmap *hashmap_new(const HashOps *ops) {
        Hashmap *h = new0(Hashmap, 1);

        if (!h)
                return NULL;
        h->ops = ops ?: &trivial_hash_ops;
        return h;
}

static uint32_t slots_for(uint32_t n) {
        return n <= 1 ? n : UINT32_C(1) << (32 - __builtin_clz(n - 1));
}

static uint32_t *index_of(const Hashmap *h, uint32_t slots) {
        return slots > SMALL_MAX ? (uint32_t *) (h->entries + slots) : NULL;
}

/* The number of the oldest live entry (n_used when there is none). */
static uint32_t first_live(const Hashmap *h) {
        if (h->n_entries == 0)
                return h->n_used;
        if (h->entries[0].key != HOLE)
                return 0;
        return (uint32_t) (uintptr_t) h->entries[0].value;
}

static void release_entries(Hashmap *h) {
        h->entries = mfree(h->entries);
        h->n_entries = h->n_used = 0;
}

void hashmap_clear(Hashmap *h) {
        if (!h)
                return;
        for (uint32_t i = first_live(h); i < h->n_used; i++) {
                Entry *e = &h->entries[i];

                if (e->key == HOLE)
                        continue;
                if (h->ops->free_key)
                        h->ops->free_key((void *) e->key);
                if (h->ops->free_value)
                        h->ops->free_value(e->value);
        }
        release_entries(h);
}

Hashmap *hashmap_free(Hashmap *h) {
        if (!h)
                return NULL;
        hashmap_clear(h);
        return mfree(h);
}

int hashmap_ensure_allocated(Hashmap **h, const HashOps *ops) {
        if (*h)
                return 0;
        *h = hashmap_new(ops);
        return *h ? 1 : -ENOMEM;
}

/* The entry number of key, or -1. */
static int64_t find(const Hashmap *h, const void *key, uint64_t hash) {
        uint32_t slots = slots_for(h->n_used), *index = index_of(h, slots);

        if (!index) {
                for (uint32_t i = first_live(h); i < h->n_used; i++) {
                        const Entry *e = &h->entries[i];
                        if (e->hash == hash && e->key != HOLE && h->ops->compare(e->key, key) == 0)
                                return i;
                }
                return -1;
        }

        uint32_t mask = 2 * slots - 1;
        for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
                uint32_t s = index[i];
                if (s == INDEX_EMPTY)
                        return -1;
                if (s == INDEX_HOLE)
                        continue;
                const Entry *e = &h->entries[s - 1];
                if (e->hash == hash && h->ops->compare(e->key, key) == 0)
                        return s - 1;
        }
}

static void index_add(uint32_t *index, uint32_t slots, const Entry *entries, uint32_t n) {
        uint32_t mask = 2 * slots - 1;
        uint32_t i = entries[n].hash & mask;

        while (index[i] != INDEX_EMPTY && index[i] != INDEX_HOLE)
                i = (i + 1) & mask;
        index[i] = n + 1;
}

/* The index slot holding entry number n (which must be in the index). */
static uint32_t *index_slot_of(const Hashmap *h, uint32_t *index, uint32_t slots, uint32_t n) {
        uint32_t mask = 2 * slots - 1;

        for (uint32_t i = h->entries[n].hash & mask;; i = (i + 1) & mask)
                if (index[i] == n + 1)
                        return &index[i];
}

/* Makes room for one more entry at n_used. When the block is full, the live entries move to a
 * new block sized for them plus one (so it doubles without holes, and shrinks after many
 * removals), with a fresh index. On failure the map is unchanged. */
static int make_room(Hashmap *h) {
        uint32_t slots = slots_for(h->n_used), n = 0;
        Entry *entries;
        size_t size;

        if (h->n_used < slots)
                return 0;
        if (h->n_entries >= UINT32_MAX / 8)
                return -ENOMEM;
        slots = slots_for(h->n_entries + 1);
        size = (size_t) slots * sizeof(Entry) + (slots > SMALL_MAX ? 2 * (size_t) slots * sizeof(uint32_t) : 0);
        entries = malloc(size);
        if (!entries)
                return -ENOMEM;

        for (uint32_t i = first_live(h); i < h->n_used; i++)
                if (h->entries[i].key != HOLE)
                        entries[n++] = h->entries[i];
        free(h->entries);
        h->entries = entries;
        h->n_used = n;
        if (slots > SMALL_MAX) {
                uint32_t *index = index_of(h, slots);

                memset(index, 0, 2 * (size_t) slots * sizeof(uint32_t));
                for (uint32_t i = 0; i < n; i++)
                        index_add(index, slots, entries, i);
        }
        return 0;
}

static int insert(Hashmap *h, const void *key, void *value, uint64_t hash) {
        int r = make_room(h);
        if (r < 0)
                return r;

        uint32_t n = h->n_used++, slots = slots_for(h->n_used), *index = index_of(h, slots);
        h->entries[n] = (Entry) { .key = key, .value = value, .hash = hash };
        if (index)
                index_add(index, slots, h->entries, n);
        h->n_entries++;
        return 1;
}

int hashmap_put(Hashmap *h, const void *key, void *value) {
        uint64_t hash = h->ops->hash(key);
        int64_t n = find(h, key, hash);

        if (n >= 0)
                return h->entries[n].value == value ? 0 : -EEXIST;
        return insert(h, key, value, hash);
}

int hashmap_ensure_put(Hashmap **h, const HashOps *ops, const void *key, void *value) {
        int r = hashmap_ensure_allocated(h, ops);
        if (r < 0)
                return r;
        return hashmap_put(*h, key, value);
}

int hashmap_replace(Hashmap *h, const void *key, void *value) {
        uint64_t hash = h->ops->hash(key);
        int64_t n = find(h, key, hash);
        Entry *e;

        if (n < 0)
                return insert(h, key, value, hash);
        e = &h->entries[n];
        if (e->key != key && h->ops->free_key)
                h->ops->free_key((void *) e->key);
        if (e->value != value && h->ops->free_value)
                h->ops->free_value(e->value);
        e->key = key;
        e->value = value;
        return 0;
}

void *hashmap_get2(const Hashmap *h, const void *key, void **ret_key) {
        int64_t n;

        if (!h || h->n_entries == 0)
                return NULL;
        n = find(h, key, h->ops->hash(key));
        if (n < 0)
                return NULL;
        if (ret_key)
                *ret_key = (void *) h->entries[n].key;
        return h->entries[n].value;
}

void *hashmap_get(const Hashmap *h, const void *key) {
        return hashmap_get2(h, key, NULL);
}

bool hashmap_contains(const Hashmap *h, const void *key) {
        return h && h->n_entries > 0 && find(h, key, h->ops->hash(key)) >= 0;
}

/* Takes entry n out, handing its key and value to the caller. The entry stays a hole, so an
 * iterator standing on it goes on with the next one. */
static void remove_entry(Hashmap *h, uint32_t n, void **ret_key, void **ret_value) {
        uint32_t slots = slots_for(h->n_used), *index = index_of(h, slots), first = first_live(h);
        Entry *e = &h->entries[n];

        if (ret_key)
                *ret_key = (void *) e->key;
        if (ret_value)
                *ret_value = e->value;
        if (index)
                *index_slot_of(h, index, slots, n) = INDEX_HOLE;
        e->key = HOLE;
        if (--h->n_entries == 0) {
                release_entries(h);
                return;
        }
        if (n == first) {
                do
                        first++;
                while (h->entries[first].key == HOLE); /* a live entry exists beyond n */
                h->entries[0].value = (void *) (uintptr_t) first;
        }
}

void *hashmap_remove2(Hashmap *h, const void *key, void **ret_key) {
        int64_t n;
        void *v;

        if (!h || h->n_entries == 0)
                return NULL;
        n = find(h, key, h->ops->hash(key));
        if (n < 0)
                return NULL;
        remove_entry(h, n, ret_key, &v);
        return v;
}

void *hashmap_remove(Hashmap *h, const void *key) {
        return hashmap_remove2(h, key, NULL);
}

size_t hashmap_size(const Hashmap *h) {
        return h ? h->n_entries : 0;
}

void *hashmap_first(const Hashmap *h) {
        return h && h->n_entries > 0 ? h->entries[first_live(h)].value : NULL;
}

void *hashmap_first_key(const Hashmap *h) {
        return h && h->n_entries > 0 ? (void *) h->entries[first_live(h)].key : NULL;
}

/* Removes the oldest entry, handing its key and value to the caller. */
static bool steal_first(Hashmap *h, void **ret_key, void **ret_value) {
        if (!h || h->n_entries == 0)
                return false;
        remove_entry(h, first_live(h), ret_key, ret_value);
        return true;
}

void *hashmap_steal_first(Hashmap *h) {
        void *k, *v;
        return steal_first(h, &k, &v) ? v : NULL;
}

void *hashmap_steal_first_key(Hashmap *h) {
        void *k, *v;
        return steal_first(h, &k, &v) ? k : NULL;
}

/* Where an iteration goes on after the entries moved to a new block (make_room() keeps their
 * order and only drops holes, so the key last returned, if still there, is not further on). */
static size_t relocate(const Hashmap *h, const Iterator *i) {
        for (size_t n = MIN(i->next, (size_t) h->n_used); n > 0; n--)
                if (h->entries[n - 1].key == i->key)
                        return n;
        return MIN(i->next, (size_t) h->n_used);
}

bool hashmap_iterate(const Hashmap *h, Iterator *i, void **ret_value, const void **ret_key) {
        size_t n;

        if (!h)
                return false;
        if (!i->started)
                n = first_live(h);
        else if (i->block != h->entries && h->entries)
                n = relocate(h, i);
        else
                n = i->next;
        i->started = true;
        while (n < h->n_used && h->entries[n].key == HOLE)
                n++;
        if (n >= h->n_used)
                return false;
        i->next = n + 1;
        i->block = h->entries;
        i->key = h->entries[n].key;
        if (ret_value)
                *ret_value = h->entries[n].value;
        if (ret_key)
                *ret_key = h->entries[n].key;
        return true;
}

char **hashmap_get_strv_keys(const Hashmap *h) {
        char **l = new0(char *, hashmap_size(h) + 1);
        size_t n = 0;
        const void *k;
        void *v;

        if (!l)
                return NULL;
        for (Iterator i = ITERATOR_FIRST; hashmap_iterate(h, &i, &v, &k);) {
                l[n] = strdup(k);
                if (!l[n++])
                        return strv_free(l);
        }
        return l;
}
