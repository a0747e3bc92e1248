/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-broker.c: accepting connections, their life cycle, and routing (bus-broker.h). The
 * wording of every error a client can see is dbus-daemon's.
 */

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bus-broker.h"
#include "bus-driver.h"
#include "bus/bus-message-args.h"
#include "fd-util.h"
#include "log.h"
#include "string-util.h"

#define LOCAL_PATH "/org/freedesktop/DBus/Local"
#define LOCAL_INTERFACE "org.freedesktop.DBus.Local"

static void broker_drop_connection(Broker *b, BusConn *c);

/* ---- registry notifications → driver signals ---- */

static int driver_signal_new(const char *member, BusMessage **ret) {
        return bus_message_new_signal(BUS_DRIVER_PATH, BUS_DRIVER_INTERFACE, member, ret);
}

static void on_owner_changed(const char *name, BusNameHolder *old_owner, BusNameHolder *new_owner,
                             void *userdata) {
        Broker *b = userdata;
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        BusConn *o = bus_conn_from_holder(old_owner), *n = bus_conn_from_holder(new_owner);

        if (driver_signal_new("NameOwnerChanged", &m) < 0 ||
            bus_message_append(m, "sss", name, o ? o->unique_name : "", n ? n->unique_name : "") < 0) {
                log_error("Failed to build NameOwnerChanged for %s: out of memory", name);
                return;
        }
        (void) broker_broadcast_from_driver(b, m);
}

static void send_name_signal(Broker *b, BusNameHolder *h, const char *member, const char *name) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;

        if (driver_signal_new(member, &m) < 0 || bus_message_append(m, "s", name) < 0) {
                log_error("Failed to build %s for %s: out of memory", member, name);
                return;
        }
        (void) broker_send_from_driver(b, bus_conn_from_holder(h), m);
}

static void on_acquired(BusNameHolder *h, const char *name, void *userdata) {
        send_name_signal(userdata, h, "NameAcquired", name);
}

static void on_lost(BusNameHolder *h, const char *name, void *userdata) {
        send_name_signal(userdata, h, "NameLost", name);
}

static const BusRegistryCallbacks registry_callbacks = {
        .owner_changed = on_owner_changed,
        .acquired = on_acquired,
        .lost = on_lost,
};

/* ---- life cycle ---- */

int broker_new(Event *e, Broker **ret) {
        _cleanup_(broker_freep) Broker *b = NULL;
        int r;

        assert(e);
        assert(ret);
        b = new0(Broker, 1);
        if (!b)
                return -ENOMEM;
        b->event = event_ref(e);
        b->next_id = 0; /* dbus-daemon names its first client ":1.0" */
        b->uid = geteuid();
        bus_replies_init(&b->replies);
        (void) bus_guid_new(b->guid);
        r = bus_registry_new(&registry_callbacks, b, &b->registry);
        if (r < 0)
                return r;
        r = bus_match_set_new(NULL, &b->matches);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(b);
        return 0;
}

Broker *broker_free(Broker *b) {
        if (!b)
                return NULL;
        while (b->conns) {
                BusConn *c = b->conns;

                c->closing = true;
                bus_match_owner_done(&c->matches);
                bus_registry_release_all(b->registry, &c->names);
                bus_replies_drop_conn(&b->replies, c, NULL, NULL);
                LIST_REMOVE(conns, b->conns, c);
                bus_conn_free(c);
        }
        for (size_t i = 0; i < b->n_listeners; i++)
                event_source_unref(b->listeners[i]);
        free(b->listeners);
        bus_replies_done(&b->replies);
        bus_match_set_free(b->matches);
        bus_registry_free(b->registry);
        event_unref(b->event);
        return mfree(b);
}

/* ---- sending ---- */

static int conn_send(Broker *b, BusConn *c, BusMessage *m) {
        int r;

        (void) b;
        if (c->closing)
                return -ENOTCONN;
        r = bus_transport_send(c->transport, m);
        if (r == -ENOBUFS)
                log_warning("Dropped a message to %s: its outgoing queue is full",
                            c->unique_name ?: "(inactive)");
        else if (r < 0 && r != -ENOTCONN)
                log_debug_errno(r, "Failed to queue a message to %s: %m", c->unique_name ?: "(inactive)");
        return r;
}

int broker_send_from_driver(Broker *b, BusConn *c, BusMessage *m) {
        int r;

        if (!c || c->closing)
                return -ENOTCONN;
        r = bus_message_set_string_field(m, BUS_FIELD_SENDER, BUS_DRIVER_NAME);
        if (r >= 0)
                /* dbus-daemon stamps a not yet registered sender ":not.active.yet", and its
                 * errors go back there */
                r = bus_message_set_string_field(m, BUS_FIELD_DESTINATION, c->unique_name ?: ":not.active.yet");
        if (r >= 0)
                r = bus_message_set_flags(m, bus_message_get_flags(m) | BUS_MESSAGE_NO_REPLY_EXPECTED);
        if (r >= 0)
                r = bus_message_seal(m, ++b->serial ?: ++b->serial);
        if (r < 0)
                return log_error_errno(r, "Failed to build a message of the bus: %m");
        return conn_send(b, c, m);
}

int broker_reply_error(Broker *b, BusConn *c, BusMessage *call, const BusError *e) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        r = bus_message_new_error(call, e, &m);
        if (r < 0)
                return log_error_errno(r, "Failed to build the error %s: %m", e->name);
        return broker_send_from_driver(b, c, m);
}

static int reply_errorf(Broker *b, BusConn *c, BusMessage *call, const char *name,
                        const char *format, ...) _printf_(5, 6);
static int reply_errorf(Broker *b, BusConn *c, BusMessage *call, const char *name,
                        const char *format, ...) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;
        _cleanup_free_ char *text = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&text, format, ap);
        va_end(ap);
        if (r < 0 || bus_error_set(&e, name, text) == -ENOMEM)
                return -ENOMEM;
        return broker_reply_error(b, c, call, &e);
}

/* ---- match rules ---- */

static bool name_owner_cb(const char *unique_name, const char *name, void *userdata) {
        BusConn *c = broker_find_owner(userdata, name);

        return c && streq_ptr(c->unique_name, unique_name);
}

typedef struct Recipients {
        BusConn **conns;
        size_t n, alloc;
} Recipients;

static int collect_recipient(BusMatchEntry *e, void *userdata) {
        Recipients *r = userdata;
        BusMatchOwner *o = bus_match_entry_get_owner(e);

        if (!o)
                return 0;
        if (!GREEDY_REALLOC(r->conns, r->alloc, r->n + 1))
                return -ENOMEM;
        r->conns[r->n++] = container_of(o, BusConn, matches);
        return 0;
}

/* Sends m to every connection except `recipient` whose rules match (eavesdroppers, for a
 * unicast). sender NULL: the bus. */
static int deliver_to_matches(Broker *b, BusConn *sender, BusConn *recipient, BusMessage *m) {
        _cleanup_free_ BusConn **conns = NULL;
        Recipients rs = {};
        BusMatchContext ctx = {
                .sender = sender ? sender->unique_name : BUS_DRIVER_NAME,
                .recipient = recipient ? recipient->unique_name : NULL,
                .skip_owner = recipient ? &recipient->matches : NULL,
                .name_owner = name_owner_cb,
                .userdata = b,
        };
        size_t n_fds;
        int r;

        r = bus_match_set_foreach(b->matches, m, &ctx, BUS_MATCH_ONCE_PER_OWNER, collect_recipient, &rs);
        conns = rs.conns;
        if (r < 0)
                return log_error_errno(r, "Failed to match a broadcast: %m");
        (void) bus_message_get_fds(m, &n_fds);
        for (size_t i = 0; i < rs.n; i++) {
                BusConn *c = rs.conns[i];

                if (c->closing || !bus_conn_is_active(c))
                        continue;
                if (n_fds > 0 && !bus_transport_can_pass_fds(c->transport)) {
                        log_debug("Broadcast with fds not delivered to %s: it does not support fds",
                                  c->unique_name);
                        continue;
                }
                if (!broker_policy_allow_send(b, sender, c, m, false))
                        continue;
                (void) conn_send(b, c, m);
        }
        return 0;
}

int broker_broadcast_from_driver(Broker *b, BusMessage *m) {
        int r;

        r = bus_message_set_string_field(m, BUS_FIELD_SENDER, BUS_DRIVER_NAME);
        if (r >= 0)
                r = bus_message_seal(m, ++b->serial ?: ++b->serial);
        if (r < 0)
                return log_error_errno(r, "Failed to build a signal of the bus: %m");
        return deliver_to_matches(b, NULL, NULL, m);
}

/* ---- connections ---- */

BusConn *broker_find_owner(Broker *b, const char *name) {
        return bus_conn_from_holder(bus_registry_get_owner(b->registry, name));
}

static void send_no_reply(BusConn *caller, uint32_t serial, void *userdata) {
        Broker *b = userdata;
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;

        if (bus_message_new(BUS_MESSAGE_ERROR, 0, &m) < 0 ||
            bus_message_set_reply_serial(m, serial) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_ERROR_NAME, BUS_ERROR_NO_REPLY) < 0 ||
            bus_message_append(m, "s", "Message recipient disconnected from message bus without replying") < 0) {
                log_error("Failed to build NoReply for %s: out of memory", caller->unique_name);
                return;
        }
        (void) broker_send_from_driver(b, caller, m);
}

/* dbus-daemon's order: match rules go first (the connection sees none of its own
 * NameOwnerChanged), then its names newest first, unique name last, then NoReply to those
 * who wait for it. */
static void broker_drop_connection(Broker *b, BusConn *c) {
        c->closing = true;
        bus_match_owner_done(&c->matches);
        bus_registry_release_all(b->registry, &c->names);
        if (c->unique_name)
                (void) bus_match_set_drop_name(b->matches, c->unique_name);
        bus_replies_drop_conn(&b->replies, c, send_no_reply, b);
        LIST_REMOVE(conns, b->conns, c);
        b->n_conns--;
        bus_conn_free(c);
}

static void on_disconnected(BusTransport *t, int error, const char *reason, void *userdata) {
        BusConn *c = userdata;

        (void) t;
        if (!c)
                return;
        if (error < 0)
                log_debug_errno(error, "Connection %s dropped: %s", c->unique_name ?: "(inactive)", reason);
        broker_drop_connection(c->broker, c);
}

static int on_ready(BusTransport *t, void *userdata) {
        BusConn *c = userdata;
        uid_t uid = bus_transport_get_auth_uid(t);

        if (!broker_policy_allow_connect(c->broker, uid)) {
                log_info("Connection from uid %u refused: not allowed by the policy", (unsigned) uid);
                return -EPERM;
        }
        return 0;
}

/* The message with SENDER set to the sender's unique name (the client's own SENDER is never
 * trusted); unknown header fields were dropped by the parser already. */
static int message_forward_copy(BusMessage *m, const char *sender, BusMessage **ret) {
        _cleanup_(bus_message_unrefp) BusMessage *n = NULL;
        static const BusHeaderField fields[] = {
                BUS_FIELD_PATH, BUS_FIELD_INTERFACE, BUS_FIELD_MEMBER, BUS_FIELD_ERROR_NAME,
                BUS_FIELD_DESTINATION,
        };
        int r;

        r = bus_message_new(bus_message_get_type(m), bus_message_get_endian(m), &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
                r = bus_message_set_string_field(n, fields[i], bus_message_get_string_field(m, fields[i]));
                if (r < 0)
                        return r;
        }
        r = bus_message_set_string_field(n, BUS_FIELD_SENDER, sender);
        if (r >= 0 && bus_message_get_reply_serial(m) != 0)
                r = bus_message_set_reply_serial(n, bus_message_get_reply_serial(m));
        if (r >= 0)
                r = bus_message_set_flags(n, bus_message_get_flags(m));
        if (r < 0)
                return r;
        bus_message_rewind(m);
        r = bus_message_copy_all(n, m);
        if (r < 0)
                return r;
        r = bus_message_seal(n, bus_message_get_serial(m));
        if (r < 0)
                return r;
        *ret = TAKE_PTR(n);
        return 0;
}

static bool message_uses_local(BusMessage *m) {
        return streq_ptr(bus_message_get_string_field(m, BUS_FIELD_PATH), LOCAL_PATH) ||
               streq_ptr(bus_message_get_string_field(m, BUS_FIELD_INTERFACE), LOCAL_INTERFACE);
}

/* libdbus's answer to a call without DESTINATION: Peer.Ping and Peer.GetMachineId, else
 * UnknownMethod. */
static int no_destination_reply(BusMessage *m, BusMessage **ret) {
        const char *iface = bus_message_get_string_field(m, BUS_FIELD_INTERFACE);
        const char *member = bus_message_get_string_field(m, BUS_FIELD_MEMBER);
        bool peer = streq_ptr(iface, "org.freedesktop.DBus.Peer");
        _cleanup_free_ char *text = NULL;
        char id[33];
        int r;

        if (peer && streq_ptr(member, "Ping"))
                return bus_message_new_method_return(m, ret);
        if (peer && streq_ptr(member, "GetMachineId") && bus_driver_read_machine_id(id) >= 0) {
                r = bus_message_new_method_return(m, ret);
                return r < 0 ? r : bus_message_append(*ret, "s", id);
        }
        if (asprintf(&text, "Method \"%s\" with signature \"%s\" on interface \"%s\" doesn't exist\n",
                     member, bus_message_get_string_field(m, BUS_FIELD_SIGNATURE) ?: "",
                     iface ?: "(null)") < 0)
                return -ENOMEM;
        return bus_message_new_error(m, &(BusError) { .name = (char *) BUS_ERROR_UNKNOWN_METHOD, .message = text },
                                     ret);
}

/* A method call without DESTINATION: libdbus inside dbus-daemon answers it, without SENDER or
 * DESTINATION. Other messages without destination but signals are dropped. */
static void dispatch_no_destination(Broker *b, BusConn *c, BusMessage *m) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        int r;

        if (bus_message_get_type(m) != BUS_MESSAGE_METHOD_CALL ||
            (bus_message_get_flags(m) & BUS_MESSAGE_NO_REPLY_EXPECTED))
                return;
        r = no_destination_reply(m, &reply);
        if (r >= 0)
                r = bus_message_set_string_field(reply, BUS_FIELD_DESTINATION, NULL);
        if (r >= 0)
                r = bus_message_set_flags(reply, BUS_MESSAGE_NO_REPLY_EXPECTED);
        if (r >= 0)
                r = bus_message_seal(reply, ++b->serial ?: ++b->serial);
        if (r < 0) {
                log_error_errno(r, "Failed to answer a call without destination: %m");
                return;
        }
        (void) conn_send(b, c, reply);
}

static void dispatch_unicast(Broker *b, BusConn *c, BusMessage *m, const char *dest) {
        _cleanup_(bus_message_unrefp) BusMessage *fwd = NULL;
        BusConn *to = broker_find_owner(b, dest);
        uint8_t type = bus_message_get_type(m);
        bool requested_reply = false;
        size_t n_fds;
        int r;

        if (!to) {
                if (bus_message_get_flags(m) & BUS_MESSAGE_NO_AUTO_START)
                        (void) reply_errorf(b, c, m, BUS_ERROR_NAME_HAS_NO_OWNER,
                                            "Name \"%s\" does not exist", dest);
                else /* activation: not yet, so every name is unknown to it */
                        (void) reply_errorf(b, c, m, BUS_ERROR_SERVICE_UNKNOWN,
                                            "The name %s was not provided by any .service files", dest);
                return;
        }
        if (IN_SET(type, BUS_MESSAGE_METHOD_RETURN, BUS_MESSAGE_ERROR))
                requested_reply = bus_replies_take(&b->replies, to, c, bus_message_get_reply_serial(m));
        if (!broker_policy_allow_send(b, c, to, m, requested_reply)) {
                log_debug("Dropped a message from %s to %s: not allowed by the policy",
                          c->unique_name, to->unique_name);
                return;
        }
        (void) bus_message_get_fds(m, &n_fds);
        if (n_fds > 0 && !bus_transport_can_pass_fds(to->transport)) {
                (void) reply_errorf(b, c, m, BUS_ERROR_NOT_SUPPORTED, "%s",
                                    "Tried to send message with Unix file descriptors"
                                    "to a client that doesn't support that.");
                return;
        }
        r = message_forward_copy(m, c->unique_name, &fwd);
        if (r < 0) {
                log_error_errno(r, "Failed to forward a message from %s: %m", c->unique_name);
                return;
        }
        if (type == BUS_MESSAGE_METHOD_CALL && !(bus_message_get_flags(m) & BUS_MESSAGE_NO_REPLY_EXPECTED)) {
                r = bus_replies_add(&b->replies, c, to, bus_message_get_serial(m));
                if (r < 0) {
                        log_error_errno(r, "Failed to record a pending reply: %m");
                        return;
                }
        }
        r = conn_send(b, to, fwd);
        if (r == -ENOBUFS && type == BUS_MESSAGE_METHOD_CALL) {
                (void) bus_replies_take(&b->replies, c, to, bus_message_get_serial(m));
                (void) reply_errorf(b, c, m, BUS_ERROR_LIMITS_EXCEEDED,
                                    "The maximum number of queued bytes for \"%s\" has been reached",
                                    to->unique_name);
                return;
        }
        (void) deliver_to_matches(b, c, to, fwd);
}

static void dispatch_broadcast(Broker *b, BusConn *c, BusMessage *m) {
        _cleanup_(bus_message_unrefp) BusMessage *fwd = NULL;
        int r;

        r = message_forward_copy(m, c->unique_name, &fwd);
        if (r < 0) {
                log_error_errno(r, "Failed to forward a signal from %s: %m", c->unique_name);
                return;
        }
        (void) deliver_to_matches(b, c, NULL, fwd);
}

static void broker_dispatch(Broker *b, BusConn *c, BusMessage *m) {
        const char *dest = bus_message_get_string_field(m, BUS_FIELD_DESTINATION);

        if (message_uses_local(m)) {
                log_debug("Connection %s used the reserved Local path or interface, disconnecting",
                          c->unique_name ?: "(inactive)");
                bus_transport_close(c->transport, "sent a message on the reserved Local path or interface");
                return;
        }
        if (streq_ptr(dest, BUS_DRIVER_NAME)) {
                (void) bus_driver_handle(b, c, m);
                return;
        }
        if (!bus_conn_is_active(c)) {
                /* clients must say Hello first */
                bus_transport_close(c->transport, "sent a message before Hello");
                return;
        }
        if (!dest) {
                if (bus_message_get_type(m) == BUS_MESSAGE_SIGNAL)
                        dispatch_broadcast(b, c, m);
                else
                        dispatch_no_destination(b, c, m);
                return;
        }
        dispatch_unicast(b, c, m, dest);
}

static int on_message(BusTransport *t, BusMessage *m, void *userdata) {
        _cleanup_(bus_message_unrefp) BusMessage *msg = m;
        BusConn *c = userdata;

        (void) t;
        if (!c || c->closing)
                return 0;
        broker_dispatch(c->broker, c, msg);
        return 0;
}

static const BusTransportCallbacks transport_callbacks = {
        .message = on_message,
        .ready = on_ready,
        .disconnected = on_disconnected,
};

int broker_add_connection(Broker *b, int fd) {
        BusTransportConfig config = {
                .role = BUS_TRANSPORT_SERVER,
                .auth_mechanisms = BUS_AUTH_EXTERNAL,
                .guid = b->guid,
                .accept_fds = true,
        };
        BusConn *c;
        int r;

        r = bus_conn_new(b, &c);
        if (r < 0) {
                safe_close(fd);
                return r;
        }
        r = bus_transport_new(b->event, fd, &config, &transport_callbacks, c, &c->transport);
        if (r < 0) {
                bus_conn_free(c);
                return r;
        }
        LIST_PREPEND(conns, b->conns, c);
        b->n_conns++;
        return 0;
}

static int on_listener(EventSource *s, int fd, uint32_t revents, void *userdata) {
        Broker *b = userdata;

        (void) s;
        (void) revents;
        for (;;) {
                int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
                int r;

                if (cfd < 0) {
                        if (!IN_SET(errno, EAGAIN, EINTR, ECONNABORTED))
                                log_warning_errno(errno, "Failed to accept a connection: %m");
                        return 0;
                }
                r = broker_add_connection(b, cfd);
                if (r < 0)
                        log_warning_errno(r, "Failed to set up a connection: %m");
        }
}

int broker_add_listener(Broker *b, int fd) {
        EventSource *s;
        int r;

        if (!GREEDY_REALLOC(b->listeners, b->n_listeners_alloc, b->n_listeners + 1)) {
                safe_close(fd);
                return -ENOMEM;
        }
        r = event_add_io(b->event, &s, fd, EPOLLIN, on_listener, b);
        if (r < 0) {
                safe_close(fd);
                return r;
        }
        r = event_source_set_io_fd_own(s, true);
        if (r < 0) {
                event_source_unref(s);
                safe_close(fd);
                return r;
        }
        b->listeners[b->n_listeners++] = s;
        return 0;
}

/* ---- policy hooks: bus-policy.h plugs in here ---- */

bool broker_policy_allow_connect(Broker *b, uid_t uid) {
        /* dbus-daemon without <policy user=…>/<policy group=…> rules: only its own user */
        return uid == b->uid;
}

bool broker_policy_allow_own(Broker *b, BusConn *c, const char *name) {
        (void) b;
        (void) c;
        (void) name;
        return true;
}

bool broker_policy_allow_send(Broker *b, BusConn *sender, BusConn *recipient, BusMessage *m,
                              bool requested_reply) {
        (void) b;
        (void) sender;
        (void) recipient;
        (void) m;
        /* session.conf's <allow send_destination="*"/> lets even unrequested replies through
         * (verified against dbus-daemon); the system bus's default policy allows only requested
         * ones, which is the configured policy's job */
        (void) requested_reply;
        return true;
}
