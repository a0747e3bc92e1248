/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-ctrl.h: the control socket /run/udev/control that `udevadm control`, `udevadm settle`
 * and `udevadm trigger --settle` talk to (spec udev.md §5). AF_UNIX SOCK_SEQPACKET; every
 * message is exactly 280 bytes in udev 252's layout:
 *
 *   0   char version[16]     "udev-252", NUL-padded (not checked by the receiver)
 *   16  uint32 magic         0xdead1dea, host order
 *   20  int type             UdevCtrlMessageType
 *   24  union { int intval; char buf[256]; }
 *
 * A client sends any number of messages on one connection, then END_MESSAGES; the server
 * closes the connection after END (or after any message it refuses), and that close is the
 * client's only acknowledgement. Peers other than uid 0 are refused: at accept() through
 * SO_PEERCRED, and per message through SCM_CREDENTIALS (SO_PASSCRED is set on the listening
 * socket, so it is inherited by every accepted connection from its first message on).
 *
 * The codec (udev_ctrl_message_encode/decode) is pure; UdevCtrl is the server side, one
 * connection at a time as udevd, run on an Event loop. It is reference-counted so that a
 * handler may drop the owner's reference (on EXIT) while a message is being dispatched.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "macro.h"

#define UDEV_CTRL_VERSION "udev-252"
#define UDEV_CTRL_MAGIC 0xdead1deaU
#define UDEV_CTRL_MESSAGE_SIZE 280
#define UDEV_CTRL_BUF_SIZE 256
#define UDEV_CTRL_SOCKET_PATH "/run/udev/control"

typedef enum UdevCtrlMessageType {
        UDEV_CTRL_END_MESSAGES,
        UDEV_CTRL_SET_LOG_LEVEL,
        UDEV_CTRL_STOP_EXEC_QUEUE,
        UDEV_CTRL_START_EXEC_QUEUE,
        UDEV_CTRL_RELOAD,
        UDEV_CTRL_SET_ENV,
        UDEV_CTRL_SET_CHILDREN_MAX,
        UDEV_CTRL_PING,
        UDEV_CTRL_EXIT,
        _UDEV_CTRL_MAX,
        _UDEV_CTRL_INVALID = -EINVAL,
} UdevCtrlMessageType;

/* A decoded message. type may be any value the peer sent (unknown ones are ignored by the
 * daemon, as udevd does); buf is always NUL-terminated. */
typedef struct UdevCtrlMessage {
        int type;
        int intval; /* SET_LOG_LEVEL, SET_CHILDREN_MAX */
        char buf[UDEV_CTRL_BUF_SIZE]; /* SET_ENV: "KEY=VALUE", "KEY=" unsets */
} UdevCtrlMessage;

/* "END_MESSAGES", "SET_LOG_LEVEL", …; NULL for unknown types. */
const char *udev_ctrl_message_type_to_string(int type) _const_;

/* Writes the 280-byte wire form of m into buf (version "udev-252", the magic, the type, and
 * intval or buf as the type needs; unused bytes zero). -EINVAL for a SET_ENV string that does
 * not fit in 255 bytes or a type out of range. */
int udev_ctrl_message_encode(const UdevCtrlMessage *m, uint8_t buf[static UDEV_CTRL_MESSAGE_SIZE]);
/* Decodes a received datagram: -EBADMSG unless len is exactly 280, -EPROTO for a wrong magic.
 * The payload is copied for every type (intval and a NUL-terminated buf). */
int udev_ctrl_message_decode(const void *buf, size_t len, UdevCtrlMessage *ret);

typedef struct UdevCtrl UdevCtrl;

/* Called for every accepted message but END_MESSAGES, in order. The handler may drop the last
 * reference to the UdevCtrl; the connection then closes after the handler returns. */
typedef void (*UdevCtrlHandler)(UdevCtrl *c, const UdevCtrlMessage *m, void *userdata);

/* Listens on fd (a SOCK_SEQPACKET socket from socket activation; taken over, already bound and
 * listening) or, with fd < 0, on a new socket bound to path (a stale socket file is replaced).
 * The sources are added to e at priority (udevd uses IDLE so that pending uevents are queued
 * before a PING is answered). Returns 0 and a new reference, or a negative errno. */
int udev_ctrl_new(Event *e, int fd, const char *path, int64_t priority, UdevCtrlHandler handler,
                  void *userdata, UdevCtrl **ret);
UdevCtrl *udev_ctrl_ref(UdevCtrl *c);
/* Drops a reference; the last one closes the connection and the listening socket (the socket
 * file stays, as udevd leaves it). NULL-safe, returns NULL. */
UdevCtrl *udev_ctrl_unref(UdevCtrl *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(UdevCtrl *, udev_ctrl_unref);

/* Client side, for tests and tools: connects to path, sends the messages (n of them) and
 * END_MESSAGES, and waits up to timeout for the server to close. 0, or a negative errno
 * (-ETIMEDOUT when the server did not close in time). */
int udev_ctrl_send_messages(const char *path, const UdevCtrlMessage *m, size_t n, usec_t timeout);
