/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-conn: one client connection of busmaster and the table of replies connections owe each
 * other.
 *
 * A BusConn is created when a socket is accepted and lives until its transport disconnects.
 * Before Hello it has no unique name (id 0) and may only talk to the driver; Hello gives it
 * ":1.N" (N counts up from 1 and is never reused). It embeds its names (BusNameHolder, see
 * bus-registry.h) and its match rules (BusMatchOwner, see bus-match.h), and heads two lists of
 * BusPendingReply: the calls it made that still wait for an answer, and the calls it received
 * and has to answer. The broker owns every BusConn and frees it with bus_conn_free() after
 * releasing its names and failing the calls it owed (bus_replies_drop_conn()).
 *
 * A reply is delivered only when the callee owes one (bus_replies_take()); a call made with
 * NO_REPLY_EXPECTED records nothing.
 */

#include <stdbool.h>
#include <stdint.h>

#include "bus/bus-match.h"
#include "bus/bus-transport.h"
#include "bus-policy.h"
#include "bus-registry.h"
#include "event.h"
#include "hashmap.h"
#include "list.h"
#include "time-base.h"

typedef struct Broker Broker;
typedef struct BusPendingReply BusPendingReply;
typedef struct BusConn BusConn;

/* What org.freedesktop.DBus.Debug.Stats reports per connection. */
typedef struct BusConnStats {
        uint64_t peak_out_bytes, peak_out_fds; /* of the outgoing queue */
        unsigned peak_matches, peak_names;
} BusConnStats;

struct BusConn {
        Broker *broker;
        BusTransport *transport; /* owned */
        uint64_t id;             /* N of ":1.N" (valid once unique_name is set) */
        char *unique_name;       /* NULL before Hello */
        BusNameHolder names;
        BusMatchOwner matches;
        BusPendingReply *waiting; /* calls it made that expect a reply */
        BusPendingReply *owed;    /* calls it received and must answer */
        unsigned n_waiting, n_owed;
        bool closing;             /* torn down: nothing is sent to it any more */
        bool authenticated;       /* SASL finished (its policy is recomputed on reloads) */
        bool monitor;             /* BecomeMonitor: receives copies, sends nothing */
        /* the peer's credentials (SO_PEERCRED), read when authentication finished */
        uid_t uid;
        pid_t pid;
        gid_t *gids;              /* its groups, as dbus-daemon finds them (primary one included) */
        size_t n_gids;
        char *loginfo;            /* "uid=N pid=N comm=\"…\"", as dbus-daemon logs peers */
        BusClientPolicy *policy;  /* NULL before authentication */
        BusMatchOwner monitor_matches; /* a monitor's rules (empty: everything) */
        EventSource *auth_timer;  /* auth_timeout, until authenticated */
        usec_t fds_pending_since; /* pending_fd_timeout: when fds started waiting, 0: none */
        BusConnStats stats;
        LIST_FIELDS(BusConn, conns);
        LIST_FIELDS(BusConn, monitors);
};

/* An empty connection (not yet with a transport). Returns 0 or -ENOMEM. */
int bus_conn_new(Broker *broker, BusConn **ret);
/* Frees c: its match rules, transport and unique name. Names and pending replies must have
 * been dropped by the caller. NULL-safe; returns NULL. */
BusConn *bus_conn_free(BusConn *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusConn *, bus_conn_free);
/* Whether Hello succeeded. */
static inline bool bus_conn_is_active(const BusConn *c) {
        return c->unique_name;
}
/* Gives c its unique name ":1.id". Returns 0 or -ENOMEM. */
int bus_conn_set_id(BusConn *c, uint64_t id);
/* The BusConn that embeds h. */
BusConn *bus_conn_from_holder(BusNameHolder *h);

/* The pending replies of all connections, looked up by (caller, serial). */
typedef struct BusReplies {
        Hashmap *map; /* &pending->key → BusPendingReply */
} BusReplies;

void bus_replies_init(BusReplies *r);
/* Frees every entry (a broker going away). */
void bus_replies_done(BusReplies *r);
/* Records that callee owes caller a reply to serial. A second call with the same serial from
 * the same caller replaces the first. Returns 0 or -ENOMEM. */
int bus_replies_add(BusReplies *r, BusConn *caller, BusConn *callee, uint32_t serial);
/* callee answers caller's call `serial`: returns true (and forgets the entry) if callee owed
 * that reply, false if the reply was not expected. */
bool bus_replies_take(BusReplies *r, BusConn *caller, BusConn *callee, uint32_t serial);
/* Whether callee owes caller a reply to serial (nothing changes). */
bool bus_replies_contains(const BusReplies *r, const BusConn *caller, const BusConn *callee,
                          uint32_t serial);
/* Expires the replies recorded before `before` (CLOCK_MONOTONIC): each one is forgotten after
 * no_reply(caller, serial, userdata) ran. Returns when the oldest remaining entry was
 * recorded, USEC_INFINITY if none is left. */
usec_t bus_replies_expire(BusReplies *r, usec_t before,
                          void (*no_reply)(BusConn *caller, uint32_t serial, void *userdata),
                          void *userdata);
/* c goes away: forgets the calls it made, and for each call it still owed runs
 * no_reply(caller, serial, userdata) (the broker sends NoReply) before forgetting it. */
void bus_replies_drop_conn(BusReplies *r, BusConn *c,
                           void (*no_reply)(BusConn *caller, uint32_t serial, void *userdata),
                           void *userdata);
