/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-registry: bus names and their ownership queues, with dbus-daemon 1.14's exact algorithm
 * (bus/services.c): RequestName's four outcomes, replacement, DO_NOT_QUEUE, ReleaseName, and
 * the NameOwnerChanged / NameLost / NameAcquired notifications in the order dbus-daemon queues
 * them. It knows nothing of sockets or messages: the caller (the broker) turns the callbacks
 * into signals, and sends the method reply after the call returns, which gives dbus-daemon's
 * order (signals first, then the reply, on each connection).
 *
 * Every name a connection holds (as primary owner or queued) is listed in its BusNameHolder,
 * embedded in the connection, in acquisition order. Unique names are registered here too (the
 * broker requests ":1.N" at Hello), so releasing everything on disconnect drops the well-known
 * names newest first and the unique name last, as dbus-daemon does. Validation of names and
 * policy (who may own what) are the caller's job.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashmap.h"
#include "macro.h"

typedef enum BusNameFlags {
        BUS_NAME_ALLOW_REPLACEMENT = 1 << 0,
        BUS_NAME_REPLACE_EXISTING = 1 << 1,
        BUS_NAME_DO_NOT_QUEUE = 1 << 2,
} BusNameFlags;

typedef enum BusRequestNameReply {
        BUS_REQUEST_NAME_PRIMARY_OWNER = 1,
        BUS_REQUEST_NAME_IN_QUEUE = 2,
        BUS_REQUEST_NAME_EXISTS = 3,
        BUS_REQUEST_NAME_ALREADY_OWNER = 4,
} BusRequestNameReply;

typedef enum BusReleaseNameReply {
        BUS_RELEASE_NAME_RELEASED = 1,
        BUS_RELEASE_NAME_NON_EXISTENT = 2,
        BUS_RELEASE_NAME_NOT_OWNER = 3,
} BusReleaseNameReply;

typedef struct BusRegistry BusRegistry;

/* Embedded in whatever owns names (a connection). names: name → internal BusName, in the
 * order the holder entered each queue. */
typedef struct BusNameHolder {
        Hashmap *names;
} BusNameHolder;

typedef struct BusRegistryCallbacks {
        /* old_owner / new_owner NULL: nobody (the name appears / disappears). */
        void (*owner_changed)(const char *name, BusNameHolder *old_owner, BusNameHolder *new_owner,
                              void *userdata);
        void (*acquired)(BusNameHolder *holder, const char *name, void *userdata);
        void (*lost)(BusNameHolder *holder, const char *name, void *userdata);
} BusRegistryCallbacks;

/* Returns 0 or -ENOMEM. */
int bus_registry_new(const BusRegistryCallbacks *callbacks, void *userdata, BusRegistry **ret);
/* Frees the registry; holders must have been released. NULL-safe; returns NULL. */
BusRegistry *bus_registry_free(BusRegistry *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusRegistry *, bus_registry_free);

void bus_name_holder_init(BusNameHolder *h);
/* Number of names h is primary owner of or queued for. */
size_t bus_name_holder_count(const BusNameHolder *h);

/* RequestName with flags (BusNameFlags, other bits ignored): returns a BusRequestNameReply
 * (1..4) after running the callbacks in dbus-daemon's order, or -ENOMEM (nothing changed). */
int bus_registry_request(BusRegistry *r, BusNameHolder *h, const char *name, uint32_t flags);
/* ReleaseName: returns a BusReleaseNameReply (1..3). */
int bus_registry_release(BusRegistry *r, BusNameHolder *h, const char *name);
/* Drops every name of h, newest first (a disconnect), with the callbacks. Cannot fail. */
void bus_registry_release_all(BusRegistry *r, BusNameHolder *h);

/* The primary owner of name, NULL if nobody owns it. */
BusNameHolder *bus_registry_get_owner(const BusRegistry *r, const char *name);
/* The primary owner then the queue; *ret is owned by the registry and valid until the next
 * change. Returns the count (>= 1) or -ENOENT when nobody owns name. */
int bus_registry_get_queue(const BusRegistry *r, const char *name, BusNameHolder *const **ret);
/* Walks the owned names in the order they first appeared. */
bool bus_registry_iterate(const BusRegistry *r, Iterator *i, const char **ret_name);
size_t bus_registry_size(const BusRegistry *r);
