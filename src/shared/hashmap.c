/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hashmap.c: a compact hash table. The entries (key, value, cached hash) live in one array in
 * insertion order; a removed entry leaves a hole there until the array is full, when it is
 * compacted or doubled. Maps of up to SMALL_MAX entries are searched by a scan of that array
 * (comparing the cached hashes first); larger ones have an open-addressing index beside it
 * (linear probing, twice as many slots as entries, rebuilt whenever the array is). A map that
 * becomes empty gives its arrays back.
 *
 * Why not chaining: the manager keeps about a dozen maps per unit (dependencies, names, watched
 * PIDs, settings), most with one or two entries. With one allocation per entry and a bucket
 * array a one-entry map cost 160 bytes of heap (four malloc chunks); here it is 80 (two).
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

struct Hashmap {
        const HashOps *ops;
        Entry *entries;     /* n_alloc slots, [0, n_used) in use, holes have key == HOLE */
        uint32_t *index;    /* 2 * n_alloc slots when n_alloc > SMALL_MAX, else NULL */
        uint32_t n_entries; /* live entries */
        uint32_t n_used;
        uint32_t n_alloc;   /* 0 or a power of two */
        uint32_t first;     /* no live entry below it */
};

#define SMALL_MAX 8u
#define INDEX_EMPTY 0u               /* index slots hold entry number + 1 */
#define INDEX_HOLE UINT32_MAX        /* a removed entry's slot: probing goes on past it */

/* The key of a removed entry: an address no caller's key can have. */
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

static void release_arrays(Hashmap *h) {
        h->entries = mfree(h->entries);
        h->index = mfree(h->index);
        h->n_entries = h->n_used = h->n_alloc = h->first = 0;
}

void hashmap_clear(Hashmap *h) {
        if (!h)
                return;
        for (uint32_t i = h->first; i < h->n_used; i++) {
                Entry *e = &h->entries[i];

                if (e->key == HOLE)
                        continue;
                if (h->ops->free_key)
                        h->ops->free_key((void *) e->key);
                if (h->ops->free_value)
                        h->ops->free_value(e->value);
        }
        release_arrays(h);
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

static uint32_t index_mask(const Hashmap *h) {
        return 2 * h->n_alloc - 1;
}

/* The index slot holding entry number n (which must be in the index). */
static uint32_t *index_slot_of(const Hashmap *h, uint32_t n) {
        uint32_t mask = index_mask(h);

        for (uint32_t i = h->entries[n].hash & mask;; i = (i + 1) & mask)
                if (h->index[i] == n + 1)
                        return &h->index[i];
}

/* The entry number of key, or -1. */
static int64_t find(const Hashmap *h, const void *key, uint64_t hash) {
        if (!h->index) {
                for (uint32_t i = h->first; i < h->n_used; i++) {
                        const Entry *e = &h->entries[i];
                        if (e->hash == hash && e->key != HOLE && h->ops->compare(e->key, key) == 0)
                                return i;
                }
                return -1;
        }

        uint32_t mask = index_mask(h);
        for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
                uint32_t s = h->index[i];
                if (s == INDEX_EMPTY)
                        return -1;
                if (s == INDEX_HOLE)
                        continue;
                const Entry *e = &h->entries[s - 1];
                if (e->hash == hash && h->ops->compare(e->key, key) == 0)
                        return s - 1;
        }
}

static void index_add(Hashmap *h, uint32_t n) {
        uint32_t mask = index_mask(h);
        uint32_t i = h->entries[n].hash & mask;

        while (h->index[i] != INDEX_EMPTY && h->index[i] != INDEX_HOLE)
                i = (i + 1) & mask;
        h->index[i] = n + 1;
}

/* Makes room for one more entry at n_used: compacts the array in place when at most half of it
 * is live, else doubles it; the index is rebuilt for the new layout. */
static int make_room(Hashmap *h) {
        uint32_t n_alloc = h->n_alloc, j = 0;
        uint32_t *index = NULL;

        if (h->n_used < h->n_alloc)
                return 0;
        if (n_alloc == 0)
                n_alloc = 1;
        else if (h->n_entries + 1 > n_alloc / 2) {
                if (n_alloc > UINT32_MAX / 4)
                        return -ENOMEM;
                n_alloc *= 2;
        }

        if (n_alloc > SMALL_MAX) {
                size_t n_slots = 2 * (size_t) n_alloc;

                index = new0(uint32_t, n_slots);
                if (!index)
                        return -ENOMEM;
        }
        if (n_alloc != h->n_alloc) {
                Entry *e = reallocarray(h->entries, n_alloc, sizeof(Entry));
                if (!e) {
                        free(index);
                        return -ENOMEM;
                }
                h->entries = e;
        }

        for (uint32_t i = h->first; i < h->n_used; i++)
                if (h->entries[i].key != HOLE)
                        h->entries[j++] = h->entries[i];
        free(h->index);
        h->index = index;
        h->n_alloc = n_alloc;
        h->n_used = j;
        h->first = 0;
        if (h->index)
                for (uint32_t i = 0; i < j; i++)
                        index_add(h, i);
        return 0;
}

static int insert(Hashmap *h, const void *key, void *value, uint64_t hash) {
        int r = make_room(h);
        if (r < 0)
                return r;

        uint32_t n = h->n_used++;
        h->entries[n] = (Entry) { .key = key, .value = value, .hash = hash };
        if (h->index)
                index_add(h, n);
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
        Entry *e = &h->entries[n];

        if (ret_key)
                *ret_key = (void *) e->key;
        if (ret_value)
                *ret_value = e->value;
        if (h->index)
                *index_slot_of(h, n) = INDEX_HOLE;
        e->key = HOLE;
        if (--h->n_entries == 0) {
                release_arrays(h);
                return;
        }
        while (h->first < h->n_used && h->entries[h->first].key == HOLE)
                h->first++;
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
        return h && h->n_entries > 0 ? h->entries[h->first].value : NULL;
}

void *hashmap_first_key(const Hashmap *h) {
        return h && h->n_entries > 0 ? (void *) h->entries[h->first].key : NULL;
}

/* Removes the oldest entry, handing its key and value to the caller. */
static bool steal_first(Hashmap *h, void **ret_key, void **ret_value) {
        if (!h || h->n_entries == 0)
                return false;
        remove_entry(h, h->first, ret_key, ret_value);
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

bool hashmap_iterate(const Hashmap *h, Iterator *i, void **ret_value, const void **ret_key) {
        size_t n;

        if (!h)
                return false;
        n = i->started ? i->next : h->first;
        i->started = true;
        while (n < h->n_used && h->entries[n].key == HOLE)
                n++;
        if (n >= h->n_used)
                return false;
        i->next = n + 1;
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
