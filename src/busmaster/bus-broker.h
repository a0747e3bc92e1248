/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-broker: the message bus itself. It accepts connections on its listening sockets, runs
 * each through bus-transport.h (SASL, framing), and routes what they send as dbus-daemon 1.14
 * does (bus/dispatch.c): messages to "org.freedesktop.DBus" go to the driver (bus-driver.h);
 * unicasts go to the primary owner of DESTINATION, with SENDER overwritten; signals without
 * DESTINATION go to every connection with a matching rule, once per connection; a reply
 * consumes the pending call it answers (bus-conn.h) and the policy decides about unrequested
 * ones, and a callee that disconnects fails the calls it owed with NoReply at once (as does
 * reply_timeout). A message using the reserved org.freedesktop.DBus.Local path or interface
 * disconnects its sender. A message to a name without owner starts its service when it can
 * (bus-activation.h).
 *
 * Policy and limits come from the configuration (bus-config.h) given with broker_set_config():
 * every message is checked as dbus-daemon's bus_context_check_security_policy() does (the
 * sender's send rules, the recipient's receive rules, a full outgoing queue, the pending-reply
 * limit), and a denial is answered with dbus-daemon's error and wording. Without a
 * configuration everything is allowed and dbus-daemon's built-in limits apply.
 *
 * Monitors (BecomeMonitor) get a copy of everything the bus captures, as dbus-daemon's
 * bus_transaction_capture(): each message a connection sends (before any check), each message
 * the bus sends, and the errors of rejected deliveries.
 *
 * The broker owns its connections, the name registry, the match rules and the pending
 * replies; it borrows the event loop.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "bus/bus-error.h"
#include "bus/bus-match.h"
#include "bus/bus-message.h"
#include "bus/bus-sasl.h"
#include "bus-config.h"
#include "bus-conn.h"
#include "bus-registry.h"
#include "event.h"

typedef struct BusActivation BusActivation;

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
        BusConfig *config;     /* owned; NULL: allow everything, built-in limits */
        char *config_path;     /* what ReloadConfig and SIGHUP read again */
        char *listen_address;  /* the first address, for DBUS_STARTER_ADDRESS of services */
        struct rlimit initial_nofile; /* RLIMIT_NOFILE before the bus raised it: for services */
        bool have_initial_nofile;
        BusLimits limits;
        unsigned auth_mechanisms; /* BUS_AUTH_* of <auth> (0: all) */
        unsigned n_active;     /* connections that said Hello */
        BusConn *monitors;
        BusMatchSet *monitor_matches;
        EventSource *reply_timer;
        EventSource *fd_timer;  /* pending_fd_timeout checks */
        EventSource *dir_watch; /* inotify on service and configuration directories */
        BusActivation *activation;
        bool systemd_activation;
        /* dbus-daemon's transactions: what one incoming message causes is sent once it is
         * dispatched, while activation sends at once (monitors see that order) */
        struct BrokerQueued { BusConn *conn; BusMessage *message; } *txq;
        size_t n_txq, n_txq_alloc;
        unsigned tx_depth, tx_bypass;
        /* What the messages read in one turn of the loop cause is sent together when the
         * loop comes to tx_flush (a defer source, enabled while something waits), so that a
         * burst reaches each receiver in one write; any other send, and a bypass, sends it
         * first. txq[0..txq_mark) was left by earlier dispatches; tx_deferring: the
         * transaction of on_message() is ending; txq_bytes: about what the queue holds. */
        EventSource *tx_flush;
        bool tx_deferring;
        size_t txq_mark, txq_bytes;
        /* The user database's groups of the uids seen (bus-userdb.h: a helper process per
         * lookup), kept as dbus-daemon keeps its user database: emptied when the configuration
         * is (re)loaded. n_gids SIZE_MAX: no such user. */
        struct BrokerUserGroups { uid_t uid; gid_t *gids; size_t n_gids; } *user_groups;
        size_t n_user_groups;
        /* Debug.Stats */
        unsigned peak_matches, peak_names, peak_matches_per_conn, peak_names_per_conn;
};

/* A bus with a fresh GUID on loop e. Returns 0 or -ENOMEM. */
int broker_new(Event *e, Broker **ret);
/* Closes every connection (no signals are sent) and frees b. NULL-safe; returns NULL. */
Broker *broker_free(Broker *b);
DEFINE_TRIVIAL_CLEANUP_FUNC(Broker *, broker_free);

/* Applies a configuration (taken over in every case): policy (recomputed for every
 * connection, none is dropped), limits, authentication mechanisms and service directories.
 * The first call sets everything; later calls are reloads. Returns 0 or a negative errno. */
int broker_set_config(Broker *b, BusConfig *config);

/* Reads config_path again and applies it (ReloadConfig, SIGHUP); on failure the old
 * configuration stays, the error is logged and set in error (may be NULL). */
int broker_reload_config(Broker *b, BusError *error);

/* Accepts connections on fd, a listening AF_UNIX stream socket (taken over in every case).
 * Returns 0 or a negative errno. */
int broker_add_listener(Broker *b, int fd);

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
/* dbus-daemon's bus_context_check_security_policy(): may sender (NULL: the bus) send m to
 * proposed (NULL: the bus, or an activation not yet resolved), m being addressed to addressed?
 * On a method call to addressed that expects a reply, the pending reply is recorded. false
 * with error set (when not NULL) to the error dbus-daemon gives. */
bool broker_check_security(Broker *b, BusConn *sender, BusConn *addressed, BusConn *proposed,
                           BusMessage *m, BusError *error);
/* Gives monitors a copy of m (sealed), sent by sender (NULL: the bus) to addressed. */
void broker_capture(Broker *b, BusConn *sender, BusConn *addressed, BusMessage *m);
/* Sends m (sealed, from sender) to its addressed recipient `to` after the full check, then to
 * whoever's match rules want it; what goes wrong fills error. Returns 0 or -EACCES etc. */
int broker_deliver(Broker *b, BusConn *sender, BusConn *to, BusMessage *m, BusError *error);
/* Whether uid may connect (<policy> user/group rules). */
bool broker_policy_allow_connect(Broker *b, uid_t uid, const gid_t *gids, size_t n_gids);
/* Whether c may own name (<allow own>). */
bool broker_policy_allow_own(Broker *b, BusConn *c, const char *name);
/* c becomes a monitor with rules (taken over, eavesdropping): its names and match rules are
 * dropped. Returns 0 or -ENOMEM. */
int broker_make_monitor(Broker *b, BusConn *c, BusMatchRule **rules, size_t n_rules);
/* What one incoming message causes is queued and sent once it is dispatched (dbus-daemon's
 * transactions); between bypass on and off it is sent at once (activation's own transactions). */
void broker_tx_bypass(Broker *b, bool on);
/* Track peaks after names or rules were added. */
void broker_update_peaks(Broker *b, BusConn *c);
