/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus: a D-Bus connection for clients and servers, on the event loop: the manager serving
 * org.freedesktop.systemd1 (to each client of /run/systemd/private, and on the system bus),
 * tools and tests calling other services. Built on bus-transport (framing, auth, queues).
 *
 * A Bus assigns serials, matches replies to calls (async with a callback and a timeout, or
 * blocking with bus_call()), dispatches incoming method calls to the objects registered with
 * bus-object.h (or answers UnknownObject/UnknownMethod), and signals to match callbacks.
 * Registrations (pending calls, matches, objects) are BusSlots: unreferencing a slot removes the
 * registration; with ret_slot == NULL the slot is "floating" and lives as long as the Bus.
 *
 * A "bus client" connection (to a message bus) sends Hello first and learns its unique name;
 * a peer-to-peer connection does not. bus_call() runs a private wait on the socket: messages
 * other than the awaited reply that arrive meanwhile are queued and dispatched from the event
 * loop afterwards, never inside bus_call().
 */

#include <stdarg.h>
#include <stdbool.h>

#include "bus/bus-error.h"
#include "bus/bus-message-args.h"
#include "bus/bus-message.h"
#include "bus/bus-transport.h"
#include "event.h"
#include "macro.h"
#include "time-base.h"

typedef struct Bus Bus;
typedef struct BusSlot BusSlot;

#define BUS_DEFAULT_TIMEOUT (25 * USEC_PER_SEC)
#define BUS_SYSTEM_BUS_DEFAULT_ADDRESS "unix:path=/run/dbus/system_bus_socket"

/* Handlers of messages: method calls (bus-object.h), replies, signals. Return >= 0 when
 * handled; a negative errno (with error set, or not) makes a method call's error reply. */
typedef int (*BusMessageHandler)(Bus *bus, BusMessage *m, void *userdata, BusError *error);

/* Connects to address ("unix:path=…" or "unix:abstract=…", optional ",guid=…"; the first
 * usable of several ';'-separated addresses) and starts authenticating. hello: this is a
 * message bus, say Hello (calls made before it is answered are queued behind it). */
int bus_new_client(Event *e, const char *address, bool hello, Bus **ret);
/* The same on a socket that is connected already (taken in all cases). */
int bus_new_client_fd(Event *e, int fd, bool hello, Bus **ret);
/* The system bus: $DBUS_SYSTEM_BUS_ADDRESS, else BUS_SYSTEM_BUS_DEFAULT_ADDRESS. */
int bus_open_system(Event *e, Bus **ret);
/* The server side of a peer-to-peer connection on an accepted socket (taken in all cases). */
int bus_new_server(Event *e, int fd, const char *guid, bool accept_fds, Bus **ret);

Bus *bus_ref(Bus *b);
/* The last reference closes the connection and frees all slots. */
Bus *bus_unref(Bus *b);
DEFINE_TRIVIAL_CLEANUP_FUNC(Bus *, bus_unref);
/* Closes the connection: pending calls fail with Disconnected, the disconnected handler runs. */
void bus_close(Bus *b);
bool bus_is_open(const Bus *b);
/* Called once when the connection is gone (after pending calls were failed). */
void bus_set_disconnected_handler(Bus *b, void (*handler)(Bus *b, void *userdata),
                                  void *userdata);
/* The unique name (bus clients, once Hello was answered), else NULL. */
const char *bus_get_unique_name(const Bus *b);
BusTransport *bus_get_transport(const Bus *b);
Event *bus_get_event(const Bus *b);
void *bus_get_userdata(const Bus *b);
void bus_set_userdata(Bus *b, void *userdata);

/* hook runs before every message this connection sends (the service manager commits its state
 * store there, so that nothing a peer learns is lost by a crash). NULL: none. */
void bus_set_send_hook(Bus *b, void (*hook)(void *userdata), void *userdata);
/* Sends m, sealing it with the next serial if it is not sealed. Returns 0 and the serial;
 * -ENOTCONN, -ENOBUFS (queue full), -ENOTSUP (fds not agreed). */
int bus_send(Bus *b, BusMessage *m, uint32_t *ret_serial);
/* Sends the method call m; callback gets the reply (METHOD_RETURN or ERROR, a synthesized
 * NoReply error after timeout usec (0: the default), Disconnected when the connection goes).
 * In the callback, `error` is set for ERROR replies. */
int bus_call_async(Bus *b, BusSlot **ret_slot, BusMessage *m, BusMessageHandler callback,
                   void *userdata, usec_t timeout);
/* Blocking call: 0 and the reply, or a negative errno with ret_error (if non-NULL) set from an
 * ERROR reply (errno from its name), a timeout (NoReply) or the disconnection. */
int bus_call(Bus *b, BusMessage *m, usec_t timeout, BusError *ret_error, BusMessage **ret_reply);
/* Convenience: a call with arguments given as for bus_message_append(). */
int bus_call_method(Bus *b, const char *destination, const char *path, const char *interface,
                    const char *member, BusError *ret_error, BusMessage **ret_reply,
                    const char *types, ...);

/* Replies to call (nothing is sent if the caller set NO_REPLY_EXPECTED). */
int bus_reply(Bus *b, BusMessage *call, const char *types, ...);
int bus_reply_message(Bus *b, BusMessage *call, BusMessage *reply);
int bus_reply_error(Bus *b, BusMessage *call, const BusError *e);
int bus_reply_errorf(Bus *b, BusMessage *call, const char *name, const char *format, ...)
        _printf_(4, 5);
/* An error reply from a negative errno (with e's name and message if e is set). */
int bus_reply_errno(Bus *b, BusMessage *call, int error, const BusError *e);
/* Emits a signal (to destination, or broadcast when NULL). */
int bus_emit_signal_to(Bus *b, const char *destination, const char *path, const char *interface,
                       const char *member, const char *types, ...);
#define bus_emit_signal(b, path, interface, member, ...) \
        bus_emit_signal_to((b), NULL, (path), (interface), (member), __VA_ARGS__)

/* Calls callback for each received message that matches rule (text as for AddMatch; a signal
 * unless it says otherwise). On a bus client the rule is also sent with AddMatch (and removed
 * with RemoveMatch when the slot goes). Returns 0, -EINVAL for an invalid rule. */
int bus_add_match(Bus *b, BusSlot **ret_slot, const char *rule, BusMessageHandler callback,
                  void *userdata);
/* Calls callback for every received message before anything else (a negative or positive
 * return stops further processing of m, 0 continues). */
int bus_add_filter(Bus *b, BusSlot **ret_slot, BusMessageHandler callback, void *userdata);

/* Requests a well-known name (flags as RequestName) with a blocking call: 0, or -EEXIST if
 * someone else has it (and we are queued or not), -EALREADY if we had it, -errno. */
int bus_request_name(Bus *b, const char *name, uint32_t flags);

BusSlot *bus_slot_ref(BusSlot *s);
/* Drops a reference; the last one removes the registration. Returns NULL. */
BusSlot *bus_slot_unref(BusSlot *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusSlot *, bus_slot_unref);
/* Hands the slot to the bus (it lives until the bus is freed or the registration ends). */
int bus_slot_set_floating(BusSlot *s, bool b);
Bus *bus_slot_get_bus(const BusSlot *s);
void *bus_slot_get_userdata(const BusSlot *s);

/* Parses one D-Bus address ("unix:path=/x,guid=…"): sets *ret_path to the socket path (an
 * abstract name gets a leading '@'), *ret_guid to the GUID or NULL. -EINVAL, -ENOMEM. */
int bus_address_parse_unix(const char *address, char **ret_path, char **ret_guid);
