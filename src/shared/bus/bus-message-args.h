/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-message-args: the convenience layer over bus-message.h that method handlers, property
 * getters and clients use: constructors for calls, replies and signals, header predicates,
 * and writing and reading whole argument lists by signature.
 *
 * bus_message_append(m, "sa{sv}", ...) takes, per type code:
 *   y b n q i u   an int (uint32_t for u), promoted as C varargs do
 *   x t           int64_t / uint64_t
 *   d             double
 *   s o g         const char * (NULL is not allowed)
 *   h             int: an fd, duplicated into the message (bus_message_append_fd())
 *   a<T>          unsigned n, then n values of T as above
 *   (...) {..}    the fields, inline
 *   v             const char *contents (one complete type), then the value(s) of contents
 * bus_message_read(m, "su", &s, &u) takes pointers to the same C types (uint8_t * for y,
 * int * for b, int16_t/uint16_t * for n/q, const char ** for s/o/g pointing into the message,
 * int * for h giving the fd the message owns), structs and dict entries inline, v as
 * const char *contents then pointers for contents; arrays are read with
 * bus_message_enter_container() or the strv helpers. A NULL pointer skips the value.
 */

#include <stdarg.h>

#include "bus/bus-message.h"

/* A method call (destination may be NULL: peer-to-peer, or a signal-less broadcast), a reply
 * to call (addressed to its sender, if any), a signal. Return 0, -EINVAL, -ENOMEM. */
int bus_message_new_method_call(const char *destination, const char *path, const char *interface,
                                const char *member, BusMessage **ret);
int bus_message_new_method_return(BusMessage *call, BusMessage **ret);
int bus_message_new_signal(const char *path, const char *interface, const char *member,
                           BusMessage **ret);
/* Whether m is a method call / signal of that interface and member (NULL matches any). */
bool bus_message_is_method_call(const BusMessage *m, const char *interface, const char *member);
bool bus_message_is_signal(const BusMessage *m, const char *interface, const char *member);

/* Returns 0 or the errors of the writer; -EINVAL for an invalid signature. */
int bus_message_append(BusMessage *m, const char *types, ...);
int bus_message_appendv(BusMessage *m, const char *types, va_list ap);
/* Appends an 'as' (NULL is the empty array). */
int bus_message_append_strv(BusMessage *m, char **l);

/* Returns 1 when everything was read; 0 if the container ended first; -ENXIO on a type
 * mismatch, -EINVAL for an invalid signature, or the errors of the reader. On failure some
 * values may have been read already. */
int bus_message_read(BusMessage *m, const char *types, ...);
int bus_message_readv(BusMessage *m, const char *types, va_list ap);
/* Reads an 'as' or 'ao' into a new strv. Returns 1, 0 at the end of the container, -ENXIO,
 * -ENOMEM, -EBADMSG. */
int bus_message_read_strv(BusMessage *m, char ***ret);
/* Copies the next complete value of src (from its reader position, which advances) to the
 * writer of dst; fds are duplicated. Returns 1, 0 at the end of src's container, or the errors
 * of the reader and writer. */
int bus_message_copy_value(BusMessage *dst, BusMessage *src);
/* Copies every value left in src's current container. Returns 0 or a negative errno. */
int bus_message_copy_all(BusMessage *dst, BusMessage *src);
/* Whether the body signature of m is exactly sig. */
bool bus_message_has_signature(const BusMessage *m, const char *sig);
