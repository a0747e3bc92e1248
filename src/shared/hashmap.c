/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hashmap.c: separate chaining with power-of-two bucket arrays, plus a doubly linked list
 * through all entries in insertion order (iteration, first/steal_first). Each entry is one
 * allocation. The table doubles when the load factor passes 1 and never shrinks below its
 * initial size; hashes are cached in the entries so growth does not re-hash keys.
 */

#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "hashmap.h"
#include "siphash24.h"
#include "strv.h"

struct HashmapEntry {
        const void *key;
        void *value;
        uint64_t hash;
        HashmapEntry *bucket_next;
        HashmapEntry *prev, *next; /* insertion order */
};

struct Hashmap {
        const HashOps *ops;
        HashmapEntry **buckets;
        size_t n_buckets; /* power of two */
        size_t n_entries;
        HashmapEntry *head, *tail;
};

/* Small: the manager keeps about a dozen sets per unit (dependencies, names, watched PIDs,
 * settings), most with one or two entries; a 2-slot bucket array is a 32-byte malloc chunk
 * instead of 80 (8 slots), about 0.6 MB less at 1000 units (bench/README.md, boot). Larger
 * maps double as before. */
#define INITIAL_BUCKETS 2

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
        h->buckets = new0(HashmapEntry *, INITIAL_BUCKETS);
        if (!h->buckets)
                return mfree(h);
        h->n_buckets = INITIAL_BUCKETS;
        return h;
}

static void entry_free(const Hashmap *h, HashmapEntry *e) {
        if (h->ops->free_key)
                h->ops->free_key((void *) e->key);
        if (h->ops->free_value)
                h->ops->free_value(e->value);
        free(e);
}

void hashmap_clear(Hashmap *h) {
        HashmapEntry *e, *n;

        if (!h)
                return;
        for (e = h->head; e; e = n) {
                n = e->next;
                entry_free(h, e);
        }
        memset(h->buckets, 0, sizeof(HashmapEntry *) * h->n_buckets);
        h->head = h->tail = NULL;
        h->n_entries = 0;
}

Hashmap *hashmap_free(Hashmap *h) {
        if (!h)
                return NULL;
        hashmap_clear(h);
        free(h->buckets);
        return mfree(h);
}

int hashmap_ensure_allocated(Hashmap **h, const HashOps *ops) {
        if (*h)
                return 0;
        *h = hashmap_new(ops);
        return *h ? 1 : -ENOMEM;
}

static HashmapEntry *find(const Hashmap *h, const void *key, uint64_t hash) {
        for (HashmapEntry *e = h->buckets[hash & (h->n_buckets - 1)]; e; e = e->bucket_next)
                if (e->hash == hash && h->ops->compare(e->key, key) == 0)
                        return e;
        return NULL;
}

static void grow(Hashmap *h) {
        size_t n = h->n_buckets * 2;
        HashmapEntry **b = new0(HashmapEntry *, n);

        if (!b)
                return; /* keep working with longer chains */
        for (HashmapEntry *e = h->head; e; e = e->next) {
                size_t i = e->hash & (n - 1);
                e->bucket_next = b[i];
                b[i] = e;
        }
        free(h->buckets);
        h->buckets = b;
        h->n_buckets = n;
}

static int insert(Hashmap *h, const void *key, void *value, uint64_t hash) {
        HashmapEntry *e = new0(HashmapEntry, 1);
        size_t i;

        if (!e)
                return -ENOMEM;
        e->key = key;
        e->value = value;
        e->hash = hash;
        i = hash & (h->n_buckets - 1);
        e->bucket_next = h->buckets[i];
        h->buckets[i] = e;
        e->prev = h->tail;
        if (h->tail)
                h->tail->next = e;
        else
                h->head = e;
        h->tail = e;
        h->n_entries++;
        if (h->n_entries > h->n_buckets)
                grow(h);
        return 1;
}

int hashmap_put(Hashmap *h, const void *key, void *value) {
        uint64_t hash = h->ops->hash(key);
        HashmapEntry *e = find(h, key, hash);

        if (e)
                return e->value == value ? 0 : -EEXIST;
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
        HashmapEntry *e = find(h, key, hash);

        if (!e)
                return insert(h, key, value, hash);
        if (e->key != key && h->ops->free_key)
                h->ops->free_key((void *) e->key);
        if (e->value != value && h->ops->free_value)
                h->ops->free_value(e->value);
        e->key = key;
        e->value = value;
        return 0;
}

void *hashmap_get2(const Hashmap *h, const void *key, void **ret_key) {
        HashmapEntry *e;

        if (!h)
                return NULL;
        e = find(h, key, h->ops->hash(key));
        if (!e)
                return NULL;
        if (ret_key)
                *ret_key = (void *) e->key;
        return e->value;
}

void *hashmap_get(const Hashmap *h, const void *key) {
        return hashmap_get2(h, key, NULL);
}

bool hashmap_contains(const Hashmap *h, const void *key) {
        return h && find(h, key, h->ops->hash(key));
}

static void unlink_entry(Hashmap *h, HashmapEntry *e) {
        HashmapEntry **p = &h->buckets[e->hash & (h->n_buckets - 1)];

        while (*p != e)
                p = &(*p)->bucket_next;
        *p = e->bucket_next;
        if (e->prev)
                e->prev->next = e->next;
        else
                h->head = e->next;
        if (e->next)
                e->next->prev = e->prev;
        else
                h->tail = e->prev;
        h->n_entries--;
}

void *hashmap_remove2(Hashmap *h, const void *key, void **ret_key) {
        HashmapEntry *e;
        void *v;

        if (!h)
                return NULL;
        e = find(h, key, h->ops->hash(key));
        if (!e)
                return NULL;
        unlink_entry(h, e);
        if (ret_key)
                *ret_key = (void *) e->key;
        v = e->value;
        free(e);
        return v;
}

void *hashmap_remove(Hashmap *h, const void *key) {
        return hashmap_remove2(h, key, NULL);
}

size_t hashmap_size(const Hashmap *h) {
        return h ? h->n_entries : 0;
}

void *hashmap_first(const Hashmap *h) {
        return h && h->head ? h->head->value : NULL;
}

void *hashmap_first_key(const Hashmap *h) {
        return h && h->head ? (void *) h->head->key : NULL;
}

/* Removes the oldest entry, handing its key and value to the caller. */
static bool steal_first(Hashmap *h, void **ret_key, void **ret_value) {
        HashmapEntry *e;

        if (!h || !h->head)
                return false;
        e = h->head;
        unlink_entry(h, e);
        *ret_key = (void *) e->key;
        *ret_value = e->value;
        free(e);
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
        HashmapEntry *e;

        if (!h)
                return false;
        e = i->started ? i->next : h->head;
        i->started = true;
        if (!e)
                return false;
        i->next = e->next; /* taken before the caller may remove e */
        if (ret_value)
                *ret_value = e->value;
        if (ret_key)
                *ret_key = e->key;
        return true;
}

char **hashmap_get_strv_keys(const Hashmap *h) {
        char **l = new0(char *, hashmap_size(h) + 1);
        size_t n = 0;

        if (!l)
                return NULL;
        for (HashmapEntry *e = h ? h->head : NULL; e; e = e->next) {
                l[n] = strdup(e->key);
                if (!l[n++])
                        return strv_free(l);
        }
        return l;
}
