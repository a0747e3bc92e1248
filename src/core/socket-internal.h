/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * socket-internal.h: what the files of the socket type share (other modules use socket.h):
 * socket.c is the state machine and the fds, socket-load.c the settings.
 */

#include "socket.h"

#define UNIT(s) (&(s)->meta)

/* socket-load.c */
/* UnitVTable.init: the defaults of a fresh Socket. */
void socket_init(Unit *u);
/* UnitVTable.load: interprets the [Socket] settings; keeps the fds of unchanged ports. */
int socket_load(Unit *u);
/* Frees the settings and sets systemd 252's defaults (ports and runtime state stay). */
void socket_reset_settings(Socket *s);
/* Closes and frees a list of ports. */
void socket_port_free_list(SocketPort *p);
/* The one file system node of the socket (Symlinks= point at it), or NULL. */
const char *socket_symlink_target(Socket *s);

/* socket.c */
/* Whether connections are accepted on the port (stream or seqpacket, not netlink). */
static inline bool socket_port_can_accept(const SocketPort *p) {
        return p->type == SOCKET_PORT_SOCKET && (p->sock_type == SOCK_STREAM || p->sock_type == SOCK_SEQPACKET);
}
