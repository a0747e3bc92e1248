/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-conn.c: the connection object and pending-reply table of bus-conn.h. An entry's key is
 * (caller id << 32 | serial): callers always have an id, since only active connections send
 * calls anywhere but to the driver.
 */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bus-conn.h"

struct BusPendingReply {
        uint64_t key;
        BusConn *caller, *callee;
        uint32_t serial;
        usec_t since; /* CLOCK_MONOTONIC, for reply_timeout */
        LIST_FIELDS(BusPendingReply, waiting);
        LIST_FIELDS(BusPendingReply, owed);
};

int bus_conn_new(Broker *broker, BusConn **ret) {
        BusConn *c;

        assert(ret);
        c = new0(BusConn, 1);
        if (!c)
                return -ENOMEM;
        c->broker = broker;
        bus_name_holder_init(&c->names);
        bus_match_owner_init(&c->matches);
        bus_match_owner_init(&c->monitor_matches);
        c->uid = UID_INVALID;
        *ret = c;
        return 0;
}

BusConn *bus_conn_free(BusConn *c) {
        if (!c)
                return NULL;
        assert(!c->waiting && !c->owed);
        assert(bus_name_holder_count(&c->names) == 0);
        hashmap_free(c->names.names);
        bus_match_owner_done(&c->matches);
        bus_match_owner_done(&c->monitor_matches);
        event_source_disable_unref(c->auth_timer);
        bus_client_policy_free(c->policy);
        free(c->loginfo);
        free(c->gids);
        if (c->transport)
                bus_transport_set_userdata(c->transport, NULL);
        bus_transport_unref(c->transport);
        free(c->unique_name);
        return mfree(c);
}

int bus_conn_set_id(BusConn *c, uint64_t id) {
        char *name;

        assert(c);
        if (asprintf(&name, ":1.%" PRIu64, id) < 0)
                return -ENOMEM;
        free(c->unique_name);
        c->unique_name = name;
        c->id = id;
        return 0;
}

BusConn *bus_conn_from_holder(BusNameHolder *h) {
        return h ? container_of(h, BusConn, names) : NULL;
}

void bus_replies_init(BusReplies *r) {
        *r = (BusReplies) {};
}

static void pending_free(BusReplies *r, BusPendingReply *p) {
        (void) hashmap_remove(r->map, &p->key);
        LIST_REMOVE(waiting, p->caller->waiting, p);
        LIST_REMOVE(owed, p->callee->owed, p);
        p->caller->n_waiting--;
        p->callee->n_owed--;
        free(p);
}

void bus_replies_done(BusReplies *r) {
        BusPendingReply *p;

        while ((p = hashmap_first(r->map)))
                pending_free(r, p);
        r->map = hashmap_free(r->map);
}

static uint64_t pending_key(const BusConn *caller, uint32_t serial) {
        return caller->id << 32 | serial;
}

int bus_replies_add(BusReplies *r, BusConn *caller, BusConn *callee, uint32_t serial) {
        BusPendingReply *p, *old;
        uint64_t key = pending_key(caller, serial);
        int k;

        old = hashmap_get(r->map, &key);
        if (old)
                pending_free(r, old);
        p = new0(BusPendingReply, 1);
        if (!p)
                return -ENOMEM;
        *p = (BusPendingReply) { .key = key, .caller = caller, .callee = callee, .serial = serial,
                                  .since = now(CLOCK_MONOTONIC) };
        k = hashmap_ensure_put(&r->map, &uint64_hash_ops, &p->key, p);
        if (k < 0) {
                free(p);
                return k;
        }
        LIST_PREPEND(waiting, caller->waiting, p);
        LIST_PREPEND(owed, callee->owed, p);
        caller->n_waiting++;
        callee->n_owed++;
        return 0;
}

bool bus_replies_take(BusReplies *r, BusConn *caller, BusConn *callee, uint32_t serial) {
        uint64_t key = pending_key(caller, serial);
        BusPendingReply *p = hashmap_get(r->map, &key);

        if (!p || p->callee != callee)
                return false;
        pending_free(r, p);
        return true;
}

bool bus_replies_contains(const BusReplies *r, const BusConn *caller, const BusConn *callee,
                          uint32_t serial) {
        uint64_t key = pending_key(caller, serial);
        BusPendingReply *p = hashmap_get(r->map, &key);

        return p && p->callee == callee;
}

usec_t bus_replies_expire(BusReplies *r, usec_t before,
                          void (*no_reply)(BusConn *caller, uint32_t serial, void *userdata),
                          void *userdata) {
        BusPendingReply *p;

        /* the map keeps insertion order, and a replaced entry is re-inserted: the first entry
         * is always the oldest */
        while ((p = hashmap_first(r->map)) && p->since < before) {
                BusConn *caller = p->caller;
                uint32_t serial = p->serial;

                pending_free(r, p);
                if (no_reply)
                        no_reply(caller, serial, userdata);
        }
        return p ? p->since : USEC_INFINITY;
}

void bus_replies_drop_conn(BusReplies *r, BusConn *c,
                           void (*no_reply)(BusConn *caller, uint32_t serial, void *userdata),
                           void *userdata) {
        while (c->waiting)
                pending_free(r, c->waiting);
        while (c->owed) {
                BusPendingReply *p = c->owed;
                BusConn *caller = p->caller;
                uint32_t serial = p->serial;

                pending_free(r, p);
                if (no_reply)
                        no_reply(caller, serial, userdata);
        }
}
