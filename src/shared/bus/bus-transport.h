/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-transport: one D-Bus stream connection on an AF_UNIX socket, on the event loop. It runs
 * the SASL exchange (server or client side, bus-sasl.h), then frames the byte stream into
 * validated messages with the fds that came with them (SCM_RIGHTS, possibly split over several
 * reads), and writes queued messages out without blocking. It knows nothing of serials, names
 * or objects: a bus daemon routes what it receives, and bus.h builds a client on top.
 *
 * Ownership: the owner holds the only counted reference and frees the transport when it is done
 * (the transport references itself while it dispatches, so freeing it from a callback is safe).
 * Callbacks: message() gets each received message (the callee takes the reference); ready()
 * once authentication succeeded; disconnected() exactly once when the peer is gone or broke the
 * protocol (EOF, a socket error, a failed authentication, an invalid message, a limit). After
 * disconnected() nothing is read or written any more. A peer that disappears while we write to
 * it is just a disconnected() of that transport, never SIGPIPE or an error for the caller of
 * bus_transport_send().
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bus/bus-message.h"
#include "event.h"
#include "macro.h"

typedef struct BusTransport BusTransport;

typedef enum BusTransportRole {
        BUS_TRANSPORT_SERVER, /* we accepted the socket: server side of SASL */
        BUS_TRANSPORT_CLIENT, /* we connected: client side of SASL */
} BusTransportRole;

typedef enum BusTransportState {
        BUS_TRANSPORT_AUTHENTICATING,
        BUS_TRANSPORT_RUNNING,
        BUS_TRANSPORT_CLOSED,
} BusTransportState;

/* Allowed SASL mechanisms of a server (bits). */
#define BUS_AUTH_EXTERNAL (1U << 0)
#define BUS_AUTH_ANONYMOUS (1U << 1)

typedef struct BusTransportConfig {
        BusTransportRole role;
        /* server: allowed mechanisms (0 means EXTERNAL only) and its GUID (32 hex digits) */
        unsigned auth_mechanisms;
        const char *guid;
        /* client: the GUID the address names, NULL if none; the server's must equal it */
        const char *expected_guid;
        /* whether to offer / accept unix fd passing */
        bool accept_fds;
        /* limits; 0 means the default given */
        size_t max_message_size;       /* default BUS_MESSAGE_SIZE_MAX */
        size_t max_outgoing_bytes;     /* bytes queued to the peer, default 127 MiB */
        unsigned max_message_fds;      /* default 16 (server) / 253 (client) */
        BusParseFlags parse_flags;
        /* the caller made fd non-blocking and close-on-exec already (accept4() flags): no
         * fcntl() here */
        bool fd_ready;
} BusTransportConfig;

typedef struct BusTransportCallbacks {
        /* m is the callee's. A negative return disconnects the transport. */
        int (*message)(BusTransport *t, BusMessage *m, void *userdata);
        int (*ready)(BusTransport *t, void *userdata);
        /* error: 0 for an orderly EOF, else a negative errno; reason: a sentence for the log */
        void (*disconnected)(BusTransport *t, int error, const char *reason, void *userdata);
} BusTransportCallbacks;

/* Takes fd (a connected AF_UNIX stream socket; made non-blocking and close-on-exec here
 * unless config->fd_ready says it is already) in
 * every case, also on failure. A client writes its first authentication bytes at once.
 * Returns 0 or a negative errno. */
int bus_transport_new(Event *e, int fd, const BusTransportConfig *config,
                      const BusTransportCallbacks *callbacks, void *userdata, BusTransport **ret);
BusTransport *bus_transport_ref(BusTransport *t);
/* Drops a reference; the last one closes the socket (no callback), drops the queues. */
BusTransport *bus_transport_unref(BusTransport *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusTransport *, bus_transport_unref);

/* Queues a sealed message (one reference is taken; the caller keeps its own) and writes as
 * much as the socket takes now. Returns 0; -ENOTCONN once closed or before authentication
 * finished on a server; -ENOBUFS if the queue limit would be exceeded (nothing queued);
 * -ENOTSUP if m carries fds and fd passing was not agreed; -EINVAL if m is not sealed. */
int bus_transport_send(BusTransport *t, BusMessage *m);
/* on: bus_transport_send() only queues (several messages then go out in one write); off:
 * writes what was queued meanwhile. */
void bus_transport_cork(BusTransport *t, bool on);
/* Writes queued bytes until the socket would block. Returns 0, or -ENOTCONN when closed. */
int bus_transport_flush(BusTransport *t);
/* Closes now: the disconnected() callback runs (with error 0 and reason) if it has not yet. */
void bus_transport_close(BusTransport *t, const char *reason);

/* Does what the event loop does when the socket reports revents (EPOLLIN, EPOLLOUT, …): for
 * a caller that waits on the socket itself (a blocking call). Returns 0, or -ENOTCONN once
 * closed (the disconnected() callback has run then). */
int bus_transport_process(BusTransport *t, uint32_t revents);
/* Whether bytes wait to be written (poll for POLLOUT). */
bool bus_transport_wants_write(const BusTransport *t);

/* Stops / resumes reading (flow control: a daemon stops reading a connection whose messages
 * it cannot queue). */
int bus_transport_set_reading(BusTransport *t, bool on);

BusTransportState bus_transport_get_state(const BusTransport *t);
int bus_transport_get_fd(const BusTransport *t);
void *bus_transport_get_userdata(const BusTransport *t);
void bus_transport_set_userdata(BusTransport *t, void *userdata);
/* Whether unix fd passing was agreed during authentication. */
bool bus_transport_can_pass_fds(const BusTransport *t);
/* The server's GUID (client: as the server sent it), NULL before authentication. */
const char *bus_transport_get_guid(const BusTransport *t);
/* The uid authenticated by SASL (UID_INVALID for ANONYMOUS or before authentication). */
uid_t bus_transport_get_auth_uid(const BusTransport *t);
/* Bytes queued for writing. */
size_t bus_transport_get_outgoing_bytes(const BusTransport *t);
/* Fds of the messages queued for writing. */
size_t bus_transport_get_outgoing_fds(const BusTransport *t);
/* Fds received that no complete message has claimed yet (a daemon's pending_fd_timeout). */
size_t bus_transport_get_pending_fds(const BusTransport *t);

/* Peer credentials from the kernel: SO_PEERCRED (taken when the transport was created),
 * SO_PEERGROUPS and SO_PEERSEC (read on first use). -ENODATA when not available. */
int bus_transport_get_peer_creds(const BusTransport *t, pid_t *ret_pid, uid_t *ret_uid,
                                 gid_t *ret_gid);
int bus_transport_get_peer_groups(BusTransport *t, const gid_t **ret, size_t *ret_n);
int bus_transport_get_peer_label(BusTransport *t, const char **ret);
