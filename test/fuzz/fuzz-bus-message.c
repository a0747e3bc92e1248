/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-bus-message.c: feeds arbitrary bytes to bus_message_from_wire() (as a message received
 * with as many fds as its UNIX_FDS field claims, read from bytes the parser must then check).
 * Every accepted message is read back completely through the reader and written again with
 * the writer in the same byte order; the copy must seal to the same wire bytes (the parser
 * drops unknown header fields, so both sides are without them) and parse again.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus-message.h"
#include "bus/bus-signature.h"
#include "fuzz.h"

static void copy_value(BusMessage *in, BusMessage *out, char type, const char *contents);

static void copy_container(BusMessage *in, BusMessage *out) {
        const char *contents;
        char type;

        while (bus_message_peek_type(in, &type, &contents) > 0)
                copy_value(in, out, type, contents);
}

static void copy_value(BusMessage *in, BusMessage *out, char type, const char *contents) {
        union {
                uint64_t u64;
                const char *s;
                int b;
        } v;
        char copy[BUS_SIGNATURE_MAX + 1];

        if (bus_type_is_basic(type)) {
                if (bus_message_read_basic(in, type, &v) != 1)
                        abort();
                if (bus_message_append_basic(out, type, IN_SET(type, 's', 'o', 'g') ? v.s : (void *) &v) < 0)
                        abort();
                return;
        }
        strcpy(copy, contents); /* contents lives only until the next reader call */
        if (bus_message_enter_container(in, type, copy) != 1)
                abort();
        if (bus_message_open_container(out, type, copy) < 0)
                abort();
        copy_container(in, out);
        if (bus_message_exit_container(in) < 0 || bus_message_close_container(out) < 0)
                abort();
}

static void round_trip(BusMessage *m) {
        BusMessage *out = NULL, *again = NULL;
        const void *w1, *w2;
        size_t n1, n2;

        if (bus_message_new(bus_message_get_type(m), bus_message_get_endian(m), &out) < 0)
                abort();
        for (int f = 1; f < _BUS_FIELD_MAX; f++)
                if (!IN_SET(f, BUS_FIELD_SIGNATURE, BUS_FIELD_REPLY_SERIAL, BUS_FIELD_UNIX_FDS) &&
                    bus_message_set_string_field(out, (BusHeaderField) f, bus_message_get_string_field(m, (BusHeaderField) f)) < 0)
                        abort();
        bus_message_set_reply_serial(out, bus_message_get_reply_serial(m));
        bus_message_set_unix_fds(out, bus_message_get_unix_fds(m));
        bus_message_set_flags(out, bus_message_get_flags(m));
        copy_container(m, out);
        if (bus_message_seal(out, bus_message_get_serial(m)) < 0)
                abort();
        if (bus_message_get_wire(m, &w1, &n1) < 0 || bus_message_get_wire(out, &w2, &n2) < 0)
                abort();
        if (n1 != n2 || memcmp(w1, w2, n1) != 0)
                abort();
        if (bus_message_from_wire(w2, n2, bus_message_get_unix_fds(out), 0, &again, NULL) < 0)
                abort();
        bus_message_free(again);
        bus_message_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        BusMessage *m = NULL;
        const char *reason = NULL;
        size_t needed;
        uint32_t n_fds = 0;
        int r;

        /* the UNIX_FDS the input claims, so that fd-index checks are reachable */
        if (size >= 1)
                n_fds = data[size - 1] & 0x7;
        if (bus_message_size_needed(data, size, &needed) < 0)
                needed = SIZE_MAX;
        r = bus_message_from_wire(data, size, n_fds, 0, &m, &reason);
        if (r >= 0) {
                if (needed != size) /* the size helper must agree with the parser */
                        abort();
                round_trip(m);
                bus_message_free(m);
        } else if (!reason && r != -ENOMEM)
                abort();
        return 0;
}
