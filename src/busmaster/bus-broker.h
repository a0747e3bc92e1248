/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-broker: the message bus itself. It accepts connections on its listening sockets, runs
 * each through bus-transport.h (SASL, framing), and routes what they send as dbus-daemon 1.14
 * does (bus/dispatch.c): messages to "org.freedesktop.DBus" go to the driver (bus-driver.h);
 * unicasts go to the primary owner of DESTINATION, with SENDER overwritten; signals without
 * DESTINATION go to every connection with a matching rule, once per connection; a reply
 * consumes the pending call it answers (bus-conn.h) and the policy decides about unrequested
 * ones, and a callee that disconnects fails the calls it owed with NoReply at once. A message using the reserved org.freedesktop.DBus.Local path or
 * interface disconnects its sender.
 *
 * Policy: every check that the configured <policy> will make later goes through
 * broker_policy_*(), which for now allow everything except connections from other users
 * (dbus-daemon's rule when no <policy user=…> exists).
 *
 * The broker owns its connections, the name registry, the match rules and the pending
 * replies; it borrows the event loop.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bus/bus-error.h"
#include "bus/bus-match.h"
#include "bus/bus-message.h"
#include "bus/bus-sasl.h"
#include "bus-conn.h"
#include "bus-registry.h"
#include "event.h"

#define BUS_DRIVER_NAME "org.freedesktop.DBus"
#define BUS_DRIVER_PATH "/org/freedesktop/DBus"
#define BUS_DRIVER_INTERFACE "org.freedesktop.DBus"

struct Broker {
        Event *event;
        char guid[BUS_GUID_STRING_SIZE];
        uint64_t next_id;   /* the N of the next ":1.N" */
        uint32_t serial;    /* last serial of a message the bus itself sent */
        BusConn *conns;
        unsigned n_conns;
        BusRegistry *registry;
        BusMatchSet *matches;
        BusReplies replies;
        EventSource **listeners;
        size_t n_listeners, n_listeners_alloc;
        uid_t uid; /* the bus's own user: who may connect while no policy says otherwise */
};

/* A bus with a fresh GUID on loop e. Returns 0 or -ENOMEM. */
int broker_new(Event *e, Broker **ret);
/* Closes every connection (no signals are sent) and frees b. NULL-safe; returns NULL. */
Broker *broker_free(Broker *b);
DEFINE_TRIVIAL_CLEANUP_FUNC(Broker *, broker_free);

/* Accepts connections on fd, a listening AF_UNIX stream socket (taken over in every case).
 * Returns 0 or a negative errno. */
int broker_add_listener(Broker *b, int fd);
/* Takes over an accepted connection. Returns 0 or a negative errno. */
int broker_add_connection(Broker *b, int fd);

/* ---- for the driver ---- */

/* The connection owning name (unique or well-known; primary owner), NULL if none. */
BusConn *broker_find_owner(Broker *b, const char *name);
/* Sends m (built by the driver, not sealed) to c: SENDER org.freedesktop.DBus, DESTINATION
 * c's unique name (none before Hello), NO_REPLY_EXPECTED, the next serial of the bus. Match
 * rules are not consulted (dbus-daemon does not route the bus's unicasts through them).
 * Returns 0 or a negative errno (a failure to queue is logged, c may be gone). */
int broker_send_from_driver(Broker *b, BusConn *c, BusMessage *m);
/* Sends the error e as the reply to call (from c). */
int broker_reply_error(Broker *b, BusConn *c, BusMessage *call, const BusError *e);
/* Broadcasts signal m (not sealed) from the bus to every connection whose rules match. */
int broker_broadcast_from_driver(Broker *b, BusMessage *m);
/* Policy hooks (permissive until bus-policy is wired in). */
bool broker_policy_allow_connect(Broker *b, uid_t uid);
bool broker_policy_allow_own(Broker *b, BusConn *c, const char *name);
/* requested_reply: m is a reply the recipient was waiting for. */
bool broker_policy_allow_send(Broker *b, BusConn *sender, BusConn *recipient, BusMessage *m,
                              bool requested_reply);
