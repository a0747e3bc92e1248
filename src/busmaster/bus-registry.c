/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-registry.c: the name table and ownership queues of bus-registry.h. A BusName exists
 * while its queue is not empty; index 0 of the queue is the primary owner. Queues are short
 * (usually one entry), so they are plain arrays.
 */

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "bus-registry.h"
#include "strv.h"

typedef struct BusName {
        char *name;
        BusNameHolder **holders; /* [0] is the primary owner */
        uint32_t *flags;
        size_t n, alloc;
} BusName;

struct BusRegistry {
        Hashmap *names; /* name → BusName, owned */
        BusRegistryCallbacks callbacks;
        void *userdata;
};

static BusName *bus_name_free(BusName *n) {
        if (!n)
                return NULL;
        free(n->holders);
        free(n->flags);
        free(n->name);
        return mfree(n);
}

int bus_registry_new(const BusRegistryCallbacks *callbacks, void *userdata, BusRegistry **ret) {
        BusRegistry *r;

        assert(callbacks);
        assert(ret);
        r = new0(BusRegistry, 1);
        if (!r)
                return -ENOMEM;
        r->names = hashmap_new(&string_hash_ops);
        if (!r->names) {
                free(r);
                return -ENOMEM;
        }
        r->callbacks = *callbacks;
        r->userdata = userdata;
        *ret = r;
        return 0;
}

BusRegistry *bus_registry_free(BusRegistry *r) {
        BusName *n;

        if (!r)
                return NULL;
        while ((n = hashmap_steal_first(r->names)))
                bus_name_free(n);
        hashmap_free(r->names);
        return mfree(r);
}

void bus_name_holder_init(BusNameHolder *h) {
        assert(h);
        *h = (BusNameHolder) {};
}

size_t bus_name_holder_count(const BusNameHolder *h) {
        return hashmap_size(h->names);
}

static ssize_t queue_find(const BusName *n, const BusNameHolder *h) {
        for (size_t i = 0; i < n->n; i++)
                if (n->holders[i] == h)
                        return (ssize_t) i;
        return -1;
}

/* Makes room for one more entry and links n into h's names; the entry is added by the
 * caller at once (nothing here can fail after this). */
static int queue_reserve(BusName *n, BusNameHolder *h) {
        size_t alloc_h = n->alloc, alloc_f = n->alloc;
        int r;

        if (!GREEDY_REALLOC(n->holders, alloc_h, n->n + 1))
                return -ENOMEM;
        if (!GREEDY_REALLOC(n->flags, alloc_f, n->n + 1))
                return -ENOMEM;
        n->alloc = MIN(alloc_h, alloc_f);
        r = hashmap_ensure_put(&h->names, &string_hash_ops, n->name, n);
        return r < 0 && r != -EEXIST ? r : 0;
}

static void queue_insert(BusName *n, size_t pos, BusNameHolder *h, uint32_t flags) {
        memmove(n->holders + pos + 1, n->holders + pos, (n->n - pos) * sizeof(*n->holders));
        memmove(n->flags + pos + 1, n->flags + pos, (n->n - pos) * sizeof(*n->flags));
        n->holders[pos] = h;
        n->flags[pos] = flags;
        n->n++;
}

static void queue_remove_at(BusName *n, size_t pos) {
        (void) hashmap_remove(n->holders[pos]->names, n->name);
        memmove(n->holders + pos, n->holders + pos + 1, (n->n - pos - 1) * sizeof(*n->holders));
        memmove(n->flags + pos, n->flags + pos + 1, (n->n - pos - 1) * sizeof(*n->flags));
        n->n--;
}

/* dbus-daemon's bus_service_add_owner(): a newcomer is appended, or put right behind the
 * primary owner when it asks to replace; one already queued only updates its flags (and moves
 * behind the primary owner when it asks to replace). */
static int name_add_owner(BusRegistry *r, BusName *n, BusNameHolder *h, uint32_t flags) {
        ssize_t i = queue_find(n, h);
        int k;

        if (i >= 0) {
                if ((flags & BUS_NAME_REPLACE_EXISTING) && i > 1) {
                        /* rotate [1..i] right by one; h's list of names keeps its order */
                        memmove(n->holders + 2, n->holders + 1, ((size_t) i - 1) * sizeof(*n->holders));
                        memmove(n->flags + 2, n->flags + 1, ((size_t) i - 1) * sizeof(*n->flags));
                        n->holders[1] = h;
                        i = 1;
                }
                n->flags[i] = flags;
                return 0;
        }
        k = queue_reserve(n, h);
        if (k < 0)
                return k;
        if (n->n == 0)
                r->callbacks.acquired(h, n->name, r->userdata);
        if (!(flags & BUS_NAME_REPLACE_EXISTING) || n->n == 0)
                queue_insert(n, n->n, h, flags);
        else
                queue_insert(n, 1, h, flags);
        return 0;
}

static void name_drop_if_empty(BusRegistry *r, BusName *n) {
        if (n->n > 0)
                return;
        (void) hashmap_remove(r->names, n->name);
        bus_name_free(n);
}

/* dbus-daemon's bus_service_remove_owner(); may free n. */
static void name_remove_owner(BusRegistry *r, BusName *n, BusNameHolder *h) {
        ssize_t i = queue_find(n, h);

        if (i < 0)
                return;
        if (i > 0) {
                queue_remove_at(n, (size_t) i);
                return;
        }
        r->callbacks.lost(h, n->name, r->userdata);
        if (n->n == 1)
                r->callbacks.owner_changed(n->name, h, NULL, r->userdata);
        else {
                r->callbacks.owner_changed(n->name, h, n->holders[1], r->userdata);
                r->callbacks.acquired(n->holders[1], n->name, r->userdata);
        }
        queue_remove_at(n, 0);
        name_drop_if_empty(r, n);
}

/* dbus-daemon's bus_service_swap_owner(): the primary owner goes behind the next one. */
static void name_swap_owner(BusRegistry *r, BusName *n) {
        BusNameHolder *old = n->holders[0];
        uint32_t old_flags = n->flags[0];

        assert(n->n >= 2);
        r->callbacks.lost(old, n->name, r->userdata);
        r->callbacks.owner_changed(n->name, old, n->holders[1], r->userdata);
        r->callbacks.acquired(n->holders[1], n->name, r->userdata);
        n->holders[0] = n->holders[1];
        n->flags[0] = n->flags[1];
        n->holders[1] = old;
        n->flags[1] = old_flags;
}

static int name_create(BusRegistry *r, BusNameHolder *h, const char *name, uint32_t flags) {
        BusName *n;
        int k;

        n = new0(BusName, 1);
        if (!n)
                return -ENOMEM;
        n->name = strdup(name);
        if (!n->name || hashmap_put(r->names, n->name, n) < 0) {
                bus_name_free(n);
                return -ENOMEM;
        }
        k = queue_reserve(n, h);
        if (k < 0) {
                (void) hashmap_remove(r->names, n->name);
                bus_name_free(n);
                return k;
        }
        /* bus_registry_ensure(): the name appears, then its first owner acquires it */
        r->callbacks.owner_changed(n->name, NULL, h, r->userdata);
        (void) name_add_owner(r, n, h, flags); /* cannot fail: room was reserved */
        return BUS_REQUEST_NAME_PRIMARY_OWNER;
}

int bus_registry_request(BusRegistry *r, BusNameHolder *h, const char *name, uint32_t flags) {
        BusName *n;
        bool allow, do_not_queue, replace;
        ssize_t i;
        int k;

        assert(r);
        assert(h);
        assert(name);
        flags &= BUS_NAME_ALLOW_REPLACEMENT | BUS_NAME_REPLACE_EXISTING | BUS_NAME_DO_NOT_QUEUE;
        n = hashmap_get(r->names, name);
        if (!n)
                return name_create(r, h, name, flags);
        if (n->holders[0] == h) {
                n->flags[0] = flags;
                return BUS_REQUEST_NAME_ALREADY_OWNER;
        }

        allow = n->flags[0] & BUS_NAME_ALLOW_REPLACEMENT;
        do_not_queue = flags & BUS_NAME_DO_NOT_QUEUE;
        replace = flags & BUS_NAME_REPLACE_EXISTING;
        if (do_not_queue && (!allow || !replace)) {
                /* it may not wait, so it also leaves the queue if it was in it */
                i = queue_find(n, h);
                if (i > 0)
                        queue_remove_at(n, (size_t) i);
                return BUS_REQUEST_NAME_EXISTS;
        }
        if (!do_not_queue && (!replace || !allow)) {
                k = name_add_owner(r, n, h, flags);
                return k < 0 ? k : BUS_REQUEST_NAME_IN_QUEUE;
        }

        /* replace the primary owner: it waits behind us, or leaves if it may not queue */
        k = name_add_owner(r, n, h, flags);
        if (k < 0)
                return k;
        if (n->flags[0] & BUS_NAME_DO_NOT_QUEUE)
                name_remove_owner(r, n, n->holders[0]);
        else
                name_swap_owner(r, n);
        return BUS_REQUEST_NAME_PRIMARY_OWNER;
}

int bus_registry_release(BusRegistry *r, BusNameHolder *h, const char *name) {
        BusName *n;

        assert(r);
        assert(h);
        n = hashmap_get(r->names, name);
        if (!n)
                return BUS_RELEASE_NAME_NON_EXISTENT;
        if (queue_find(n, h) < 0)
                return BUS_RELEASE_NAME_NOT_OWNER;
        name_remove_owner(r, n, h);
        return BUS_RELEASE_NAME_RELEASED;
}

void bus_registry_release_all(BusRegistry *r, BusNameHolder *h) {
        assert(r);
        assert(h);
        /* newest first: take the last entry until none is left (no allocation needed) */
        while (!hashmap_isempty(h->names)) {
                BusName *last = NULL, *n;

                HASHMAP_FOREACH(n, h->names)
                        last = n;
                name_remove_owner(r, last, h);
        }
        h->names = hashmap_free(h->names);
}

BusNameHolder *bus_registry_get_owner(const BusRegistry *r, const char *name) {
        BusName *n = hashmap_get(r->names, name);

        return n ? n->holders[0] : NULL;
}

int bus_registry_get_queue(const BusRegistry *r, const char *name, BusNameHolder *const **ret) {
        BusName *n = hashmap_get(r->names, name);

        if (!n)
                return -ENOENT;
        *ret = n->holders;
        return (int) n->n;
}

bool bus_registry_iterate(const BusRegistry *r, Iterator *i, const char **ret_name) {
        BusName *n;

        if (!hashmap_iterate(r->names, i, (void **) &n, NULL))
                return false;
        *ret_name = n->name;
        return true;
}

size_t bus_registry_size(const BusRegistry *r) {
        return hashmap_size(r->names);
}
