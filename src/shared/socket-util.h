/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * socket-util.h: AF_UNIX addresses from path strings, and the sd_notify() sender. A string that
 * starts with '@' names a socket in the abstract namespace (the '@' becomes the leading NUL
 * byte), anything else a socket in the file system.
 */

struct sockaddr_un;

/* Fills *sa (all of it) with path. Returns the address length to pass to bind()/connect()/
 * sendto() (file system paths include their trailing NUL, abstract names do not), -EINVAL for
 * an empty path or a bare "@", -ENAMETOOLONG if path and its NUL do not fit into sun_path. */
int sockaddr_un_set_path(struct sockaddr_un *sa, const char *path);

/* Sends state ("READY=1\nSTATUS=…") as one datagram to the socket named by $NOTIFY_SOCKET, as
 * sd_notify() does. Returns 1 if sent, 0 if $NOTIFY_SOCKET is unset or empty, -EINVAL if it is
 * neither an absolute path nor an '@' name, or the -errno of the failing step. */
int notify_send(const char *state);
