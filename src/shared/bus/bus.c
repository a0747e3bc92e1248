/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus.c: the connection object of bus.h: addresses, connecting, serials, pending calls with
 * timeouts, blocking calls, the receive queue used while blocking, filters, match slots and
 * the order in which a received message is offered to them. Objects live in bus-object.c.
 */

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bus/bus-internal.h"
#include "fd-util.h"
#include "log.h"
#include "socket-util.h"
#include "string-util.h"
#include "time-util.h"

#define DBUS_SERVICE "org.freedesktop.DBus"
#define DBUS_PATH "/org/freedesktop/DBus"
#define DBUS_INTERFACE "org.freedesktop.DBus"

static void *serial_key(uint32_t serial) {
        return (void *) (uintptr_t) serial;
}

/* ---- addresses ---- */

/* Un-escapes the %XX sequences of a D-Bus address value. */
static int address_unescape(const char *s, size_t n, char **ret) {
        char *r = malloc(n + 1), *o = r;

        if (!r)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '%') {
                        int a, b;

                        if (i + 2 >= n) {
                                free(r);
                                return -EINVAL;
                        }
                        a = unhexchar(s[i + 1]);
                        b = unhexchar(s[i + 2]);
                        if (a < 0 || b < 0) {
                                free(r);
                                return -EINVAL;
                        }
                        *o++ = (char) (a << 4 | b);
                        i += 2;
                } else
                        *o++ = s[i];
        }
        *o = 0;
        *ret = r;
        return 0;
}

int bus_address_parse_unix(const char *address, char **ret_path, char **ret_guid) {
        _cleanup_free_ char *path = NULL, *guid = NULL;
        const char *p;

        assert(address);
        p = startswith(address, "unix:");
        if (!p)
                return -EINVAL;
        while (*p && *p != ';') {
                size_t klen = strcspn(p, "="), vlen;
                const char *v;
                char *value;
                int r;

                if (p[klen] != '=')
                        return -EINVAL;
                v = p + klen + 1;
                vlen = strcspn(v, ",;");
                r = address_unescape(v, vlen, &value);
                if (r < 0)
                        return r;
                if (klen == 4 && memcmp(p, "path", 4) == 0 && !path)
                        path = value;
                else if (klen == 8 && memcmp(p, "abstract", 8) == 0 && !path) {
                        path = strjoin("@", value);
                        free(value);
                        if (!path)
                                return -ENOMEM;
                } else if (klen == 4 && memcmp(p, "guid", 4) == 0 && !guid)
                        guid = value;
                else
                        free(value); /* unknown keys are ignored */
                p = v + vlen;
                if (*p == ',')
                        p++;
        }
        if (!path)
                return -EINVAL;
        *ret_path = TAKE_PTR(path);
        if (ret_guid)
                *ret_guid = TAKE_PTR(guid);
        return 0;
}

static int connect_unix(const char *path) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa;
        int salen = sockaddr_un_set_path(&sa, path);

        if (salen < 0)
                return salen;
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &sa, (socklen_t) salen) < 0)
                return -errno;
        return TAKE_FD(fd);
}

/* ---- slots ---- */

static BusSlot *slot_new(Bus *b, BusSlotType type, void *userdata) {
        BusSlot *s = new0(BusSlot, 1);

        if (!s)
                return NULL;
        s->n_ref = 1;
        s->bus = b;
        s->type = type;
        s->userdata = userdata;
        LIST_PREPEND(slots, b->slots, s);
        return s;
}

/* Ends the registration of s (keeps its memory while referenced). */
static void slot_disconnect(BusSlot *s) {
        Bus *b = s->bus;

        if (!b)
                return;
        switch (s->type) {
        case BUS_SLOT_REPLY:
                if (s->reply.serial != 0)
                        (void) hashmap_remove(b->replies, serial_key(s->reply.serial));
                s->reply.timeout = event_source_disable_unref(s->reply.timeout);
                break;
        case BUS_SLOT_MATCH:
                bus_match_entry_free(s->match.entry);
                s->match.entry = NULL;
                if (s->match.text && b->is_bus_client && bus_is_open(b)) {
                        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;

                        if (bus_message_new_method_call(DBUS_SERVICE, DBUS_PATH, DBUS_INTERFACE,
                                                        "RemoveMatch", &m) >= 0 &&
                            bus_message_append(m, "s", s->match.text) >= 0 &&
                            bus_message_set_flags(m, BUS_MESSAGE_NO_REPLY_EXPECTED) >= 0)
                                (void) bus_send(b, m, NULL);
                }
                s->match.text = mfree(s->match.text);
                break;
        case BUS_SLOT_FILTER:
                LIST_REMOVE(node_slots, b->filters, s);
                break;
        case BUS_SLOT_VTABLE:
                if (s->vtable.fallback)
                        LIST_REMOVE(node_slots, s->vtable.node->fallbacks, s);
                else
                        LIST_REMOVE(node_slots, s->vtable.node->vtables, s);
                bus_node_release(b, s->vtable.node);
                s->vtable.interface = mfree(s->vtable.interface);
                break;
        case BUS_SLOT_ENUMERATOR:
                LIST_REMOVE(node_slots, s->enumerator.node->enumerators, s);
                bus_node_release(b, s->enumerator.node);
                break;
        }
        LIST_REMOVE(slots, b->slots, s);
        s->bus = NULL;
        if (s->floating) {
                s->floating = false;
                bus_slot_unref(s);
        }
}

BusSlot *bus_slot_ref(BusSlot *s) {
        assert(s);
        s->n_ref++;
        return s;
}

BusSlot *bus_slot_unref(BusSlot *s) {
        if (!s)
                return NULL;
        assert(s->n_ref > 0);
        if (--s->n_ref > 0)
                return NULL;
        slot_disconnect(s); /* a floating slot never gets here while registered */
        return mfree(s);
}

int bus_slot_set_floating(BusSlot *s, bool b) {
        assert(s);
        if (s->floating == b)
                return 0;
        if (b && !s->bus)
                return -ESTALE;
        s->floating = b;
        if (b)
                bus_slot_ref(s);
        else
                bus_slot_unref(s);
        return 1;
}

Bus *bus_slot_get_bus(const BusSlot *s) {
        return s->bus;
}

void *bus_slot_get_userdata(const BusSlot *s) {
        return s->userdata;
}

/* Returns the slot to the caller, or makes it floating. */
static void slot_hand_out(BusSlot *s, BusSlot **ret) {
        if (ret)
                *ret = s;
        else {
                s->floating = true; /* the creation reference becomes the bus's */
        }
}

/* ---- synthesized replies ---- */

static int synthesize_error(uint32_t reply_serial, const char *name, const char *message,
                            BusMessage **ret) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        r = bus_message_new(BUS_MESSAGE_ERROR, 0, &m);
        if (r >= 0)
                r = bus_message_set_string_field(m, BUS_FIELD_ERROR_NAME, name);
        if (r >= 0)
                r = bus_message_set_reply_serial(m, reply_serial);
        if (r >= 0)
                r = bus_message_append_basic(m, 's', message);
        if (r >= 0)
                r = bus_message_seal(m, UINT32_MAX);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

/* Runs the reply callback of slot s (already unregistered by the caller) with m. */
static void reply_run(Bus *b, BusSlot *s, BusMessage *m) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        BusMessageHandler cb = s->reply.callback;

        if (bus_message_get_type(m) == BUS_MESSAGE_ERROR)
                (void) bus_error_from_message(&error, m);
        bus_message_rewind(m);
        if (cb) {
                int r = cb(b, m, s->userdata, &error);
                if (r < 0)
                        log_debug_errno(r, "bus: reply callback failed: %m");
        }
}

/* ---- life cycle ---- */

static void bus_rqueue_drop(Bus *b) {
        for (size_t i = 0; i < b->n_rqueue; i++)
                bus_message_unref(b->rqueue[i]);
        b->n_rqueue = 0;
}

static void bus_fail_pending(Bus *b) {
        BusSlot *s;

        while ((s = hashmap_steal_first(b->replies))) {
                _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
                uint32_t serial = s->reply.serial;

                bus_slot_ref(s);
                s->reply.serial = 0; /* already out of the map */
                slot_disconnect(s);
                if (synthesize_error(serial, BUS_ERROR_NO_REPLY, "Connection terminated", &m) >= 0)
                        reply_run(b, s, m);
                bus_slot_unref(s);
        }
}

static void bus_on_disconnect(Bus *b) {
        if (b->closed)
                return;
        b->closed = true;
        bus_ref(b);
        bus_fail_pending(b);
        if (b->disconnected)
                b->disconnected(b, b->disconnected_userdata);
        bus_unref(b);
}

static void transport_disconnected(BusTransport *t, int error, const char *reason, void *userdata) {
        Bus *b = userdata;

        log_debug("bus: connection closed: %s", reason);
        if (!b->in_call)
                bus_on_disconnect(b);
        /* in bus_call() the caller notices and calls bus_on_disconnect() itself */
}

static int bus_dispatch(Bus *b, BusMessage *m);

static int rqueue_dispatch(EventSource *s, void *userdata) {
        Bus *b = userdata;
        BusMessage *m;

        if (b->n_rqueue == 0 || b->in_call)
                return 0;
        m = b->rqueue[0];
        memmove(b->rqueue, b->rqueue + 1, (b->n_rqueue - 1) * sizeof(BusMessage *));
        b->n_rqueue--;
        bus_ref(b);
        (void) bus_dispatch(b, m);
        bus_message_unref(m);
        if (b->n_rqueue > 0 && b->rqueue_source)
                (void) event_source_set_enabled(b->rqueue_source, EVENT_ONESHOT);
        else if (b->closed && b->n_rqueue == 0)
                bus_on_disconnect(b);
        bus_unref(b);
        return 0;
}

static int rqueue_push(Bus *b, BusMessage *m) {
        int r;

        if (!GREEDY_REALLOC(b->rqueue, b->rqueue_alloc, b->n_rqueue + 1))
                return -ENOMEM;
        b->rqueue[b->n_rqueue++] = m;
        if (!b->rqueue_source) {
                r = event_add_defer(b->event, &b->rqueue_source, rqueue_dispatch, b);
                if (r < 0)
                        return r;
        }
        if (!b->in_call)
                (void) event_source_set_enabled(b->rqueue_source, EVENT_ONESHOT);
        return 0;
}

static int hello_reply(Bus *b, BusMessage *m, void *userdata, BusError *error) {
        const char *name;

        if (bus_error_is_set(error)) {
                log_debug("bus: Hello failed: %s", error->message ? error->message : error->name);
                bus_close(b);
                return 0;
        }
        if (bus_message_read(m, "s", &name) <= 0)
                return -EBADMSG;
        free(b->unique_name);
        b->unique_name = strdup(name);
        b->hello_done = true;
        b->hello_serial = 0;
        return b->unique_name ? 0 : -ENOMEM;
}

static int transport_message(BusTransport *t, BusMessage *m, void *userdata) {
        Bus *b = userdata;
        uint8_t type = bus_message_get_type(m);
        int r;

        if (b->in_call && IN_SET(type, BUS_MESSAGE_METHOD_RETURN, BUS_MESSAGE_ERROR) &&
            bus_message_get_reply_serial(m) == b->awaited_serial && !b->awaited_reply) {
                b->awaited_reply = m;
                return 0;
        }
        if (b->in_call && b->hello_serial != 0 && bus_message_get_reply_serial(m) == b->hello_serial &&
            IN_SET(type, BUS_MESSAGE_METHOD_RETURN, BUS_MESSAGE_ERROR)) {
                /* our own Hello: its handler is internal and safe to run inside bus_call() */
                bus_ref(b);
                (void) bus_dispatch(b, m);
                bus_message_unref(m);
                bus_unref(b);
                return 0;
        }
        if (b->in_call || b->n_rqueue > 0) {
                r = rqueue_push(b, m);
                if (r < 0)
                        bus_message_unref(m);
                return 0;
        }
        bus_ref(b);
        (void) bus_dispatch(b, m);
        bus_message_unref(m);
        bus_unref(b);
        return 0;
}

static const BusTransportCallbacks transport_callbacks = {
        .message = transport_message,
        .disconnected = transport_disconnected,
};

static int bus_alloc(Event *e, Bus **ret) {
        Bus *b = new0(Bus, 1);
        int r;

        if (!b)
                return -ENOMEM;
        b->n_ref = 1;
        b->event = event_ref(e);
        b->replies = hashmap_new(&trivial_hash_ops);
        r = bus_match_set_new(NULL, &b->matches);
        if (!b->replies || r < 0) {
                bus_unref(b);
                return -ENOMEM;
        }
        *ret = b;
        return 0;
}

static int bus_say_hello(Bus *b) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        b->is_bus_client = true;
        r = bus_message_new_method_call(DBUS_SERVICE, DBUS_PATH, DBUS_INTERFACE, "Hello", &m);
        if (r < 0)
                return r;
        r = bus_call_async(b, NULL, m, hello_reply, NULL, 0);
        if (r < 0)
                return r;
        b->hello_serial = bus_message_get_serial(m);
        return 0;
}

static int bus_new_client_internal(Event *e, int fd, const char *expected_guid, bool hello,
                                   Bus **ret) {
        _cleanup_close_ int owned = fd;
        _cleanup_(bus_unrefp) Bus *b = NULL;
        BusTransportConfig config = {
                .role = BUS_TRANSPORT_CLIENT,
                .accept_fds = true,
                .expected_guid = expected_guid,
        };
        int r;

        r = bus_alloc(e, &b);
        if (r < 0)
                return r;
        r = bus_transport_new(e, TAKE_FD(owned), &config, &transport_callbacks, b, &b->transport);
        if (r < 0)
                return r;
        if (hello) {
                r = bus_say_hello(b);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(b);
        return 0;
}

int bus_new_client_fd(Event *e, int fd, bool hello, Bus **ret) {
        assert(e);
        assert(ret);
        return bus_new_client_internal(e, fd, NULL, hello, ret);
}

int bus_new_client(Event *e, const char *address, bool hello, Bus **ret) {
        int r = -EINVAL;

        assert(e);
        assert(address);
        assert(ret);
        for (const char *a = address; a && *a; a = strchr(a, ';') ? strchr(a, ';') + 1 : NULL) {
                _cleanup_free_ char *path = NULL, *guid = NULL;
                int fd;

                if (bus_address_parse_unix(a, &path, &guid) < 0)
                        continue;
                fd = connect_unix(path);
                if (fd < 0) {
                        r = fd;
                        continue;
                }
                return bus_new_client_internal(e, fd, guid, hello, ret);
        }
        return r;
}

int bus_open_system(Event *e, Bus **ret) {
        const char *a = getenv("DBUS_SYSTEM_BUS_ADDRESS");

        return bus_new_client(e, a && *a ? a : BUS_SYSTEM_BUS_DEFAULT_ADDRESS, true, ret);
}

int bus_new_server(Event *e, int fd, const char *guid, bool accept_fds, Bus **ret) {
        _cleanup_close_ int owned = fd;
        _cleanup_(bus_unrefp) Bus *b = NULL;
        BusTransportConfig config = {
                .role = BUS_TRANSPORT_SERVER,
                .guid = guid,
                .accept_fds = accept_fds,
                .max_message_fds = BUS_MESSAGE_FDS_MAX,
        };
        int r;

        assert(e);
        assert(ret);
        r = bus_alloc(e, &b);
        if (r < 0)
                return r;
        r = bus_transport_new(e, TAKE_FD(owned), &config, &transport_callbacks, b, &b->transport);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(b);
        return 0;
}

Bus *bus_ref(Bus *b) {
        assert(b);
        b->n_ref++;
        return b;
}

Bus *bus_unref(Bus *b) {
        if (!b)
                return NULL;
        assert(b->n_ref > 0);
        if (--b->n_ref > 0)
                return NULL;
        b->n_ref = 1; /* slot callbacks below may ref/unref us */
        bus_fail_pending(b);
        while (b->slots) {
                BusSlot *s = b->slots;

                bus_slot_ref(s);
                slot_disconnect(s);
                bus_slot_unref(s);
        }
        b->transport = bus_transport_unref(b->transport);
        bus_rqueue_drop(b);
        free(b->rqueue);
        b->rqueue_source = event_source_disable_unref(b->rqueue_source);
        bus_message_unref(b->awaited_reply);
        hashmap_free(b->replies);
        hashmap_free(b->nodes);
        bus_match_set_free(b->matches);
        free(b->unique_name);
        event_unref(b->event);
        return mfree(b);
}

void bus_close(Bus *b) {
        if (!b || b->closed)
                return;
        bus_ref(b);
        if (b->transport)
                bus_transport_close(b->transport, "closed by us");
        bus_on_disconnect(b);
        bus_unref(b);
}

bool bus_is_open(const Bus *b) {
        return b && !b->closed && b->transport &&
               bus_transport_get_state(b->transport) != BUS_TRANSPORT_CLOSED;
}

void bus_set_disconnected_handler(Bus *b, void (*handler)(Bus *b, void *userdata), void *userdata) {
        b->disconnected = handler;
        b->disconnected_userdata = userdata;
}

const char *bus_get_unique_name(const Bus *b) {
        return b->unique_name;
}

BusTransport *bus_get_transport(const Bus *b) {
        return b->transport;
}

Event *bus_get_event(const Bus *b) {
        return b->event;
}

void *bus_get_userdata(const Bus *b) {
        return b->userdata;
}

void bus_set_userdata(Bus *b, void *userdata) {
        b->userdata = userdata;
}

/* ---- sending ---- */

void bus_set_send_hook(Bus *b, void (*hook)(void *userdata), void *userdata) {
        b->send_hook = hook;
        b->send_hook_userdata = userdata;
}

int bus_send(Bus *b, BusMessage *m, uint32_t *ret_serial) {
        int r;

        assert(b);
        assert(m);
        if (!bus_is_open(b))
                return -ENOTCONN;
        if (b->send_hook)
                b->send_hook(b->send_hook_userdata);
        if (!bus_message_is_sealed(m)) {
                if (++b->serial == 0 || b->serial == UINT32_MAX)
                        b->serial = 1;
                r = bus_message_seal(m, b->serial);
                if (r < 0)
                        return r;
        }
        r = bus_transport_send(b->transport, m);
        if (r < 0)
                return r;
        if (ret_serial)
                *ret_serial = bus_message_get_serial(m);
        return 0;
}

static int reply_timeout(EventSource *es, usec_t usec, void *userdata) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        BusSlot *s = userdata;
        Bus *b = s->bus;
        uint32_t serial = s->reply.serial;

        if (!b)
                return 0;
        bus_ref(b);
        bus_slot_ref(s);
        slot_disconnect(s);
        if (synthesize_error(serial, BUS_ERROR_NO_REPLY, "Method call timed out", &m) >= 0)
                reply_run(b, s, m);
        bus_slot_unref(s);
        bus_unref(b);
        return 0;
}

int bus_call_async(Bus *b, BusSlot **ret_slot, BusMessage *m, BusMessageHandler callback,
                   void *userdata, usec_t timeout) {
        _cleanup_(bus_slot_unrefp) BusSlot *s = NULL;
        uint32_t serial;
        int r;

        assert(b);
        assert(m);
        if (bus_message_get_type(m) != BUS_MESSAGE_METHOD_CALL)
                return -EINVAL;
        if (!bus_is_open(b))
                return -ENOTCONN;
        s = slot_new(b, BUS_SLOT_REPLY, userdata);
        if (!s)
                return -ENOMEM;
        s->reply.callback = callback;
        r = bus_send(b, m, &serial);
        if (r < 0)
                return r;
        r = hashmap_ensure_put(&b->replies, &trivial_hash_ops, serial_key(serial), s);
        if (r < 0)
                return r;
        s->reply.serial = serial;
        r = event_add_time_relative(b->event, &s->reply.timeout, CLOCK_MONOTONIC,
                                    timeout ? timeout : BUS_DEFAULT_TIMEOUT, 0, reply_timeout, s);
        if (r < 0)
                return r;
        slot_hand_out(s, ret_slot);
        TAKE_PTR(s);
        return 0;
}

int bus_call(Bus *b, BusMessage *m, usec_t timeout, BusError *ret_error, BusMessage **ret_reply) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        usec_t deadline;
        uint32_t serial;
        int r;

        assert(b);
        assert(m);
        if (b->in_call)
                return -EBUSY;
        if (bus_message_get_type(m) != BUS_MESSAGE_METHOD_CALL)
                return -EINVAL;
        r = bus_send(b, m, &serial);
        if (r < 0)
                return bus_error_set_errno(ret_error, r);

        deadline = now(CLOCK_MONOTONIC) + (timeout ? timeout : BUS_DEFAULT_TIMEOUT);
        b->in_call = true;
        b->awaited_serial = serial;
        bus_ref(b);
        /* Replies that arrived before (queued) count too. */
        for (size_t i = 0; i < b->n_rqueue; i++)
                if (IN_SET(bus_message_get_type(b->rqueue[i]), BUS_MESSAGE_METHOD_RETURN,
                           BUS_MESSAGE_ERROR) &&
                    bus_message_get_reply_serial(b->rqueue[i]) == serial) {
                        b->awaited_reply = b->rqueue[i];
                        memmove(b->rqueue + i, b->rqueue + i + 1,
                                (b->n_rqueue - i - 1) * sizeof(BusMessage *));
                        b->n_rqueue--;
                        break;
                }
        while (!b->awaited_reply) {
                struct pollfd p = {
                        .fd = bus_transport_get_fd(b->transport),
                        .events = POLLIN,
                };
                usec_t n = now(CLOCK_MONOTONIC);
                int k;

                if (bus_transport_get_state(b->transport) == BUS_TRANSPORT_CLOSED) {
                        r = -ECONNRESET;
                        break;
                }
                if (n >= deadline) {
                        r = -ETIMEDOUT;
                        break;
                }
                if (bus_transport_wants_write(b->transport))
                        p.events |= POLLOUT;
                k = poll(&p, 1, (int) DIV_ROUND_UP(deadline - n, USEC_PER_MSEC));
                if (k < 0 && errno != EINTR) {
                        r = -errno;
                        break;
                }
                if (k > 0) {
                        uint32_t revents = (p.revents & POLLIN ? EPOLLIN : 0) |
                                           (p.revents & POLLOUT ? EPOLLOUT : 0) |
                                           (p.revents & POLLHUP ? EPOLLHUP : 0) |
                                           (p.revents & POLLERR ? EPOLLERR : 0);
                        (void) bus_transport_process(b->transport, revents);
                }
        }
        reply = TAKE_PTR(b->awaited_reply);
        b->in_call = false;
        b->awaited_serial = 0;
        if (b->n_rqueue > 0 && b->rqueue_source)
                (void) event_source_set_enabled(b->rqueue_source, EVENT_ONESHOT);
        if (!reply && bus_transport_get_state(b->transport) == BUS_TRANSPORT_CLOSED &&
            b->n_rqueue == 0)
                bus_on_disconnect(b);
        bus_unref(b);

        if (!reply) {
                if (r == -ETIMEDOUT) {
                        (void) bus_error_setf(ret_error, BUS_ERROR_NO_REPLY, "Method call timed out");
                        return -ETIMEDOUT;
                }
                (void) bus_error_setf(ret_error, BUS_ERROR_NO_REPLY, "Connection terminated");
                return r < 0 ? r : -ECONNRESET;
        }
        if (bus_message_get_type(reply) == BUS_MESSAGE_ERROR) {
                _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

                r = bus_error_from_message(&e, reply);
                if (ret_error && bus_error_is_set(&e) && !bus_error_is_set(ret_error)) {
                        *ret_error = e;
                        e = BUS_ERROR_NULL;
                }
                return r < 0 ? r : -EIO;
        }
        bus_message_rewind(reply);
        if (ret_reply)
                *ret_reply = TAKE_PTR(reply);
        return 0;
}

int bus_call_method(Bus *b, const char *destination, const char *path, const char *interface,
                    const char *member, BusError *ret_error, BusMessage **ret_reply,
                    const char *types, ...) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        r = bus_message_new_method_call(destination, path, interface, member, &m);
        if (r < 0)
                return bus_error_set_errno(ret_error, r);
        if (types) {
                va_list ap;

                va_start(ap, types);
                r = bus_message_appendv(m, types, ap);
                va_end(ap);
                if (r < 0)
                        return bus_error_set_errno(ret_error, r);
        }
        return bus_call(b, m, 0, ret_error, ret_reply);
}

/* ---- replies and signals ---- */

static bool wants_reply(const BusMessage *call) {
        return bus_message_get_type(call) == BUS_MESSAGE_METHOD_CALL &&
               !(bus_message_get_flags(call) & BUS_MESSAGE_NO_REPLY_EXPECTED);
}

int bus_reply_message(Bus *b, BusMessage *call, BusMessage *reply) {
        if (!wants_reply(call))
                return 0;
        return bus_send(b, reply, NULL);
}

int bus_reply(Bus *b, BusMessage *call, const char *types, ...) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        if (!wants_reply(call))
                return 0;
        r = bus_message_new_method_return(call, &m);
        if (r < 0)
                return r;
        if (types) {
                va_list ap;

                va_start(ap, types);
                r = bus_message_appendv(m, types, ap);
                va_end(ap);
                if (r < 0)
                        return r;
        }
        return bus_send(b, m, NULL);
}

int bus_reply_error(Bus *b, BusMessage *call, const BusError *e) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        if (!wants_reply(call))
                return 0;
        r = bus_message_new_error(call, e, &m);
        if (r < 0)
                return r;
        return bus_send(b, m, NULL);
}

int bus_reply_errorf(Bus *b, BusMessage *call, const char *name, const char *format, ...) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;
        _cleanup_free_ char *message = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&message, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        if (bus_error_set(&e, name, message) == -ENOMEM && !bus_error_is_set(&e))
                return -ENOMEM;
        return bus_reply_error(b, call, &e);
}

int bus_reply_errno(Bus *b, BusMessage *call, int error, const BusError *e) {
        _cleanup_bus_error_ BusError tmp = BUS_ERROR_NULL;

        if (bus_error_is_set(e))
                return bus_reply_error(b, call, e);
        (void) bus_error_set_errno(&tmp, error);
        if (!bus_error_is_set(&tmp))
                return -ENOMEM;
        return bus_reply_error(b, call, &tmp);
}

int bus_emit_signal_to(Bus *b, const char *destination, const char *path, const char *interface,
                       const char *member, const char *types, ...) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        r = bus_message_new_signal(path, interface, member, &m);
        if (r >= 0 && destination)
                r = bus_message_set_string_field(m, BUS_FIELD_DESTINATION, destination);
        if (r < 0)
                return r;
        if (types) {
                va_list ap;

                va_start(ap, types);
                r = bus_message_appendv(m, types, ap);
                va_end(ap);
                if (r < 0)
                        return r;
        }
        return bus_send(b, m, NULL);
}

/* ---- matches and filters ---- */

int bus_add_filter(Bus *b, BusSlot **ret_slot, BusMessageHandler callback, void *userdata) {
        BusSlot *s;

        assert(b);
        assert(callback);
        s = slot_new(b, BUS_SLOT_FILTER, userdata);
        if (!s)
                return -ENOMEM;
        s->filter.callback = callback;
        LIST_PREPEND(node_slots, b->filters, s);
        slot_hand_out(s, ret_slot);
        return 0;
}

int bus_add_match(Bus *b, BusSlot **ret_slot, const char *rule, BusMessageHandler callback,
                  void *userdata) {
        _cleanup_(bus_match_rule_freep) BusMatchRule *parsed = NULL;
        _cleanup_(bus_slot_unrefp) BusSlot *s = NULL;
        int r;

        assert(b);
        assert(rule);
        assert(callback);
        r = bus_match_rule_parse(rule, &parsed, NULL);
        if (r < 0)
                return r;
        s = slot_new(b, BUS_SLOT_MATCH, userdata);
        if (!s)
                return -ENOMEM;
        s->match.callback = callback;
        r = bus_match_set_add(b->matches, parsed, NULL, s, &s->match.entry);
        if (r < 0)
                return r;
        TAKE_PTR(parsed);
        if (b->is_bus_client) {
                _cleanup_(bus_message_unrefp) BusMessage *m = NULL;

                s->match.text = strdup(rule);
                if (!s->match.text)
                        return -ENOMEM;
                r = bus_message_new_method_call(DBUS_SERVICE, DBUS_PATH, DBUS_INTERFACE,
                                                "AddMatch", &m);
                if (r >= 0)
                        r = bus_message_append(m, "s", rule);
                if (r >= 0)
                        r = bus_call_async(b, NULL, m, NULL, NULL, 0);
                if (r < 0)
                        return r;
        }
        slot_hand_out(s, ret_slot);
        TAKE_PTR(s);
        return 0;
}

/* A client trusts the bus for well-known names in sender=: it only forwards matching
 * messages, and the reply of a unique name is compared exactly by the matcher. */
static bool client_name_owner(const char *unique_name, const char *name, void *userdata) {
        return true;
}

typedef struct MatchHits {
        BusSlot **slots;
        size_t n, alloc;
} MatchHits;

static int collect_match(BusMatchEntry *e, void *userdata) {
        MatchHits *h = userdata;
        BusSlot *s = bus_match_entry_get_userdata(e);

        if (!GREEDY_REALLOC(h->slots, h->alloc, h->n + 1))
                return -ENOMEM;
        h->slots[h->n++] = bus_slot_ref(s);
        return 0;
}

static int run_matches(Bus *b, BusMessage *m) {
        BusMatchContext ctx = {
                .to_receiver = true,
                .name_owner = client_name_owner,
        };
        MatchHits h = {};
        int r;

        if (bus_match_set_size(b->matches) == 0)
                return 0;
        r = bus_match_set_foreach(b->matches, m, &ctx, 0, collect_match, &h);
        for (size_t i = 0; i < h.n; i++) {
                BusSlot *s = h.slots[i];

                if (r >= 0 && s->bus) {
                        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
                        int k;

                        bus_message_rewind(m);
                        k = s->match.callback(b, m, s->userdata, &error);
                        if (k < 0)
                                log_debug_errno(k, "bus: match callback failed: %m");
                }
                bus_slot_unref(s);
        }
        free(h.slots);
        return r;
}

static int run_filters(Bus *b, BusMessage *m) {
        for (BusSlot *s = b->filters; s; s = s->node_slots_next) {
                _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
                int r;

                bus_message_rewind(m);
                r = s->filter.callback(b, m, s->userdata, &error);
                if (r != 0)
                        return 1;
        }
        return 0;
}

/* Offers m to, in order: filters, the pending call it answers, match slots, the objects. */
static int bus_dispatch(Bus *b, BusMessage *m) {
        uint8_t type = bus_message_get_type(m);
        int r;

        if (b->filters && run_filters(b, m) > 0)
                return 0;
        if (IN_SET(type, BUS_MESSAGE_METHOD_RETURN, BUS_MESSAGE_ERROR)) {
                BusSlot *s = hashmap_remove(b->replies, serial_key(bus_message_get_reply_serial(m)));

                if (s) {
                        s->reply.serial = 0;
                        bus_slot_ref(s);
                        slot_disconnect(s);
                        reply_run(b, s, m);
                        bus_slot_unref(s);
                        return 0;
                }
        }
        r = run_matches(b, m);
        if (r < 0)
                log_debug_errno(r, "bus: matching failed: %m");
        if (type == BUS_MESSAGE_METHOD_CALL) {
                bus_message_rewind(m);
                r = bus_object_dispatch(b, m);
                if (r < 0)
                        log_debug_errno(r, "bus: dispatching a method call failed: %m");
        }
        return 0;
}

int bus_request_name(Bus *b, const char *name, uint32_t flags) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        uint32_t ret;
        int r;

        r = bus_call_method(b, DBUS_SERVICE, DBUS_PATH, DBUS_INTERFACE, "RequestName", NULL,
                            &reply, "su", name, flags);
        if (r < 0)
                return r;
        r = bus_message_read(reply, "u", &ret);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        switch (ret) {
        case 1: /* primary owner */
                return 0;
        case 2: /* in queue */
        case 3: /* exists */
                return -EEXIST;
        case 4: /* already owner */
                return -EALREADY;
        default:
                return -EIO;
        }
}
