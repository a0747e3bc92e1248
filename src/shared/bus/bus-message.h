/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-message: one D-Bus message and its wire format (D-Bus specification, "Message Protocol").
 *
 * A message is built with bus_message_new(), the bus_message_set_*() header setters and the
 * writer (bus_message_append_basic(), bus_message_open_container()/close_container()) in its
 * own byte order, then bus_message_seal() assigns the serial and lays out the wire bytes. A
 * received message comes from bus_message_from_wire(), which validates everything the
 * specification requires and is therefore safe as a bus daemon's front door; unknown header
 * fields are accepted and dropped. Sealed and received messages are read with the reader
 * (bus_message_peek_type(), read_basic(), enter_container()/exit_container(), skip()), which
 * handles both byte orders. The message owns all its memory; strings returned by getters and
 * the reader point into it and live as long as it does. The message also owns the fds that go
 * with it: bus_message_append_fd() duplicates one and writes its index ('h'), a transport hands
 * the fds it received to bus_message_attach_fds(), and bus_message_read_fd() gives the fd an
 * 'h' value names. They are closed with the message.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

#define BUS_MESSAGE_SIZE_MAX (UINT32_C(1) << 27)  /* 128 MiB, header + padding + body */
#define BUS_ARRAY_SIZE_MAX (UINT32_C(1) << 26)    /* 64 MiB of array data */
#define BUS_MESSAGE_FIXED_HEADER_SIZE 16U
#define BUS_MESSAGE_FDS_MAX 253U                  /* the kernel's SCM_RIGHTS limit per sendmsg */

typedef enum BusMessageType {
        BUS_MESSAGE_METHOD_CALL = 1,
        BUS_MESSAGE_METHOD_RETURN = 2,
        BUS_MESSAGE_ERROR = 3,
        BUS_MESSAGE_SIGNAL = 4,
} BusMessageType;

typedef enum BusMessageFlags {
        BUS_MESSAGE_NO_REPLY_EXPECTED = 1 << 0,
        BUS_MESSAGE_NO_AUTO_START = 1 << 1,
        BUS_MESSAGE_ALLOW_INTERACTIVE_AUTHORIZATION = 1 << 2,
} BusMessageFlags;

typedef enum BusHeaderField {
        BUS_FIELD_PATH = 1,
        BUS_FIELD_INTERFACE = 2,
        BUS_FIELD_MEMBER = 3,
        BUS_FIELD_ERROR_NAME = 4,
        BUS_FIELD_REPLY_SERIAL = 5,
        BUS_FIELD_DESTINATION = 6,
        BUS_FIELD_SENDER = 7,
        BUS_FIELD_SIGNATURE = 8,
        BUS_FIELD_UNIX_FDS = 9,
        _BUS_FIELD_MAX,
} BusHeaderField;

typedef enum BusParseFlags {
        /* Accept 'h' values >= UNIX_FDS in the body, as libdbus's dbus_message_demarshal()
         * does (the reader then refuses them). Without it they are rejected. */
        BUS_PARSE_LAX_FD_INDEX = 1 << 0,
        /* n_fds is the number of fds available, of which the message takes the first UNIX_FDS
         * (a stream transport: fds of several messages may arrive together). A message that
         * names more fds than available fails with -ENOBUFS (wait for more fds). */
        BUS_PARSE_FDS_UP_TO = 1 << 1,
} BusParseFlags;

typedef struct BusMessage BusMessage;

/* A new empty message of the given type (1..4) in byte order endian ('l', 'B', or 0 for the
 * host's). Returns 0, -EINVAL for a bad type or byte order, -ENOMEM. */
int bus_message_new(uint8_t type, char endian, BusMessage **ret);
/* Messages are reference counted: a sealed message is immutable on the wire and may be queued
 * on several connections at once (a broadcast). The reader position is shared by all holders. */
BusMessage *bus_message_ref(BusMessage *m);
/* Drops a reference (NULL is fine); the last one frees m. Returns NULL. */
BusMessage *bus_message_unref(BusMessage *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusMessage *, bus_message_unref);
/* The same as bus_message_unref() (the name of the first API, before messages were shared). */
static inline BusMessage *bus_message_free(BusMessage *m) {
        return bus_message_unref(m);
}
DEFINE_TRIVIAL_CLEANUP_FUNC(BusMessage *, bus_message_free);

/* Header setters, before sealing. String fields are validated for their kind (path, interface,
 * member, error name, bus names; the signature is built by the writer and cannot be set);
 * NULL removes the field. Return 0, -EINVAL for an invalid value, -EPERM once sealed. */
int bus_message_set_string_field(BusMessage *m, BusHeaderField field, const char *value);
int bus_message_set_reply_serial(BusMessage *m, uint32_t serial);
int bus_message_set_flags(BusMessage *m, uint8_t flags);
/* Number of fds that go with the message (the UNIX_FDS field; 0 omits it). */
int bus_message_set_unix_fds(BusMessage *m, uint32_t n);

/* Writer: duplicates fd (O_CLOEXEC), keeps the copy and appends its index as an 'h' value,
 * raising UNIX_FDS as needed. Returns 0, -EBADF, -E2BIG past BUS_MESSAGE_FDS_MAX, -errno of
 * the dup, or the errors of bus_message_append_basic(). */
int bus_message_append_fd(BusMessage *m, int fd);
/* Hands the n fds received with m over to it (it closes them from now on; on failure the
 * caller still owns them). n must equal UNIX_FDS. Returns 0, -EINVAL, -ENOMEM. */
int bus_message_attach_fds(BusMessage *m, int *fds, size_t n);
/* The fds of m (owned by m) and their number. */
const int *bus_message_get_fds(const BusMessage *m, size_t *ret_n);
/* Reader: the next value is an 'h'; *ret gets the fd it names (owned by m, dup it to keep it).
 * Returns 1, 0 at the end of the container, -ENXIO for another type, -EBADMSG if the index
 * names no attached fd. */
int bus_message_read_fd(BusMessage *m, int *ret);

uint8_t bus_message_get_type(const BusMessage *m);
uint8_t bus_message_get_flags(const BusMessage *m);
char bus_message_get_endian(const BusMessage *m);
uint32_t bus_message_get_serial(const BusMessage *m);
/* The value of a string-valued field (PATH, INTERFACE, MEMBER, ERROR_NAME, DESTINATION, SENDER,
 * SIGNATURE), NULL when absent; the body signature is "" when absent. */
const char *bus_message_get_string_field(const BusMessage *m, BusHeaderField field);
/* The REPLY_SERIAL field, 0 when absent. */
uint32_t bus_message_get_reply_serial(const BusMessage *m);
uint32_t bus_message_get_unix_fds(const BusMessage *m);
size_t bus_message_get_body_size(const BusMessage *m);
bool bus_message_is_sealed(const BusMessage *m);

/* Writer. Appends one basic value at the current position, which must expect type (the top
 * level accepts anything and extends the signature). p points to: uint8_t (y), int (b: any
 * non-zero is true), int16_t/uint16_t (n/q), int32_t/uint32_t (i/u), int64_t/uint64_t (x/t),
 * double (d), uint32_t fd index (h), and for s/o/g p IS the NUL-terminated string. Returns 0,
 * -EINVAL for an invalid value or a type the container does not expect, -EPERM once sealed,
 * -E2BIG when a limit would be exceeded, -ENOMEM. */
int bus_message_append_basic(BusMessage *m, char type, const void *p);
/* Opens a container: type 'a' (contents = element type), '(' (struct, contents = its fields),
 * '{' (dict entry, contents = key and value, only as an array element) or 'v' (contents = the
 * single complete type inside). Same returns as append. */
int bus_message_open_container(BusMessage *m, char type, const char *contents);
/* Closes the innermost container; -EINVAL if it is incomplete (a struct, dict entry or variant
 * missing values), -ENXIO if none is open. */
int bus_message_close_container(BusMessage *m);
/* Seals m with the given serial (non-zero): checks the fields its type requires and that no fd
 * index reaches UNIX_FDS, lays out the wire bytes and rewinds the reader. Returns 0, -EINVAL
 * (with open containers, missing fields, serial 0), -E2BIG (over 128 MiB), -EPERM if sealed. */
int bus_message_seal(BusMessage *m, uint32_t serial);
/* What a bus forwards: a new sealed message with m's type, byte order, flags, serial, header
 * fields (SENDER replaced by sender; NULL drops it), body bytes (copied as they are, not
 * parsed again) and duplicates of its fds. Returns 0, -EBUSY if m is not sealed, -EINVAL for an
 * invalid sender, -ENOMEM, or -errno of a dup. */
int bus_message_new_forward(BusMessage *m, const char *sender, BusMessage **ret);
/* The wire bytes of a sealed message (owned by m). Returns 0 or -EBUSY if not sealed. */
int bus_message_get_wire(const BusMessage *m, const void **ret, size_t *ret_size);

/* Given the first n bytes of a message (n >= 16 needed), the total size of the message:
 * returns 0 and sets *ret_size, 0 with *ret_size = 0 if fewer than 16 bytes were given,
 * -EBADMSG for a bad byte-order mark or version, -EMSGSIZE if the message exceeds 128 MiB. */
int bus_message_size_needed(const void *data, size_t n, size_t *ret_size);

/* Parses exactly one message of size bytes received with n_fds fds, validating header, header
 * fields, names, paths, signatures, padding, UTF-8, booleans, limits and fd indexes as the
 * specification requires. Returns 0 and a sealed message in *ret, or -EBADMSG (and -EMSGSIZE
 * for a size limit, -ENOMEM) with *ret_reason (if non-NULL) set to a static English sentence
 * naming the broken rule. */
int bus_message_from_wire(const void *data, size_t size, uint32_t n_fds, BusParseFlags flags,
                          BusMessage **ret, const char **ret_reason);

/* Reader, on sealed or received messages. */
/* Back to the start of the body, leaving all containers. */
void bus_message_rewind(BusMessage *m);
/* The type of the next value in the current container: returns 1 and sets *ret_type (and, for
 * containers, *ret_contents to the contents signature, valid until the next reader call), 0 at
 * the end of the container, -EBUSY if not sealed. */
int bus_message_peek_type(BusMessage *m, char *ret_type, const char **ret_contents);
/* Reads the next value, which must be of basic type `type`, into *ret (the C types of
 * append_basic; b gives an int 0/1; s/o/g give a const char * into the message). Returns 1,
 * 0 at the end of the container, -ENXIO for another type, -EBADMSG for an fd index not below
 * UNIX_FDS. */
int bus_message_read_basic(BusMessage *m, char type, void *ret);
/* Enters the next value, a container of the given type ('a', '(', '{', 'v'); contents NULL
 * accepts any contents. Returns 1, 0 at the end, -ENXIO on mismatch, -E2BIG too deep. */
int bus_message_enter_container(BusMessage *m, char type, const char *contents);
/* Leaves the current container, skipping what is left of it. Returns 0, -ENXIO if none. */
int bus_message_exit_container(BusMessage *m);
/* Skips the next complete value. Returns 1, 0 at the end of the container. */
int bus_message_skip(BusMessage *m);
