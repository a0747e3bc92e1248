/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-message-internal.h: the BusMessage structure and the small helpers that the message
 * object, writer and reader (bus-message.c) share with the validating parser
 * (bus-message-parse.c). Nobody else includes this.
 */

#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bus/bus-message.h"
#include "bus/bus-signature.h"
#include "string-util.h"

typedef struct Buf {
        uint8_t *p;
        size_t size, alloc;
} Buf;

/* A container being written: its contents signature (in small, or in sig, owned, when it does
 * not fit), index the position of the next expected type in it (arrays wrap to 0 after each
 * element). */
typedef struct WContainer {
        char type;
        char *sig;
        char small[32];
        size_t sig_len, index;
        size_t len_offset, start; /* arrays: offset of the length word, of the first element */
        unsigned arrays, structs, total;
} WContainer;

static inline const char *wcontainer_sig(const WContainer *c) {
        return c->sig ?: c->small;
}

/* A container being read: sig points into the message (not NUL-terminated). */
typedef struct RContainer {
        char type;
        const char *sig;
        size_t sig_len, index;
        size_t end; /* arrays: body offset of the end */
} RContainer;

struct BusMessage {
        unsigned n_ref;
        char endian;
        uint8_t type, flags, version;
        uint32_t serial, reply_serial, unix_fds;
        char *fields[_BUS_FIELD_MAX]; /* string-valued fields by code */
        bool fields_borrowed; /* they point into the wire bytes (or, while parsing, the input) */

        /* writer */
        Buf body;
        size_t wsig_len;
        WContainer *wstack;
        size_t n_wstack, n_wstack_alloc;
        uint64_t fd_index_end; /* highest appended fd index + 1 */

        /* the fds that travel with the message, owned */
        int *fds;
        size_t n_fds;

        /* sealed */
        bool sealed;
        uint8_t *wire;
        size_t wire_size, body_offset, body_size;

        /* reader */
        size_t rpos;
        RContainer *rstack;
        size_t n_rstack, n_rstack_alloc;

        /* last: message_alloc() does not zero them (wsig is NUL-terminated at wsig_len, peek_buf
         * is written before it is read) */
        char wsig[BUS_SIGNATURE_MAX + 1]; /* the body signature being written */
        char peek_buf[BUS_SIGNATURE_MAX + 1];
};

static const char field_types[_BUS_FIELD_MAX] = {
        [BUS_FIELD_PATH] = 'o',         [BUS_FIELD_INTERFACE] = 's', [BUS_FIELD_MEMBER] = 's',
        [BUS_FIELD_ERROR_NAME] = 's',   [BUS_FIELD_REPLY_SERIAL] = 'u',
        [BUS_FIELD_DESTINATION] = 's',  [BUS_FIELD_SENDER] = 's',    [BUS_FIELD_SIGNATURE] = 'g',
        [BUS_FIELD_UNIX_FDS] = 'u',
};


/* UTF-8 as D-Bus strings need it (noncharacters allowed, as libdbus does), with a fast path for
 * ASCII, which nearly every string on a bus is: eight bytes at a time while no high bit is set,
 * then the full decoder from the first non-ASCII byte on (a character boundary, since everything
 * before it is ASCII). */
static inline bool utf8_valid(const char *s, size_t n) {
        size_t i = 0;

        for (; i + 8 <= n; i += 8) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & UINT64_C(0x8080808080808080))
                        break;
        }
        for (; i < n; i++)
                if ((uint8_t) s[i] >= 0x80)
                        return utf8_is_valid_n_allow_noncharacters(s + i, n - i);
        return true;
}

/* bus_signature_complete_type_length() and bus_signature_is_valid_n(), answering the common
 * one-character case (every header field, most variants) without the grammar's descent. */
static inline int complete_type_length(const char *s, size_t n, unsigned arrays, unsigned structs) {
        if (n > 0 && (bus_type_is_basic(s[0]) || s[0] == 'v'))
                return 1;
        return bus_signature_complete_type_length(s, n, arrays, structs);
}

static inline bool signature_is_valid_n(const char *s, size_t n) {
        if (n == 1)
                return bus_type_is_basic(s[0]) || s[0] == 'v';
        return bus_signature_is_valid_n(s, n);
}

#define LOCAL_PATH "/org/freedesktop/DBus/Local"
#define LOCAL_INTERFACE "org.freedesktop.DBus.Local"

/* ---- byte order ---- */

static inline bool is_big(char endian) {
        return endian == 'B';
}

static inline uint16_t get16(bool big, const uint8_t *p) {
        uint16_t v;
        memcpy(&v, p, 2);
        return big ? be16toh(v) : le16toh(v);
}

static inline uint32_t get32(bool big, const uint8_t *p) {
        uint32_t v;
        memcpy(&v, p, 4);
        return big ? be32toh(v) : le32toh(v);
}

static inline uint64_t get64(bool big, const uint8_t *p) {
        uint64_t v;
        memcpy(&v, p, 8);
        return big ? be64toh(v) : le64toh(v);
}

static inline void put_n(bool big, uint8_t *p, uint64_t v, size_t n) {
        uint16_t v16;
        uint32_t v32;

        switch (n) {
        case 1:
                *p = (uint8_t) v;
                break;
        case 2:
                v16 = big ? htobe16((uint16_t) v) : htole16((uint16_t) v);
                memcpy(p, &v16, 2);
                break;
        case 4:
                v32 = big ? htobe32((uint32_t) v) : htole32((uint32_t) v);
                memcpy(p, &v32, 4);
                break;
        default:
                v = big ? htobe64(v) : htole64(v);
                memcpy(p, &v, 8);
        }
}

/* bus-message.c */
int message_alloc(uint8_t type, char endian, BusMessage **ret);
bool message_has_required_fields(const BusMessage *m);
bool message_string_field_is_valid(BusHeaderField field, const char *v);
int message_build_wire(BusMessage *m);
void message_reset_reader(BusMessage *m);
size_t message_header_end(const BusMessage *m);
