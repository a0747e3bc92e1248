/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-bus-sasl.c: feeds arbitrary bytes to the D-Bus authentication state machines. Byte 0
 * picks the side and its configuration (bit 7 set: the client, whose input is the server's
 * replies; clear: the server, whose input is the client's request), byte 1 seeds the chunk
 * sizes, the rest is the peer's byte stream. The stream is fed once whole and once in chunks,
 * writing out the replies after each feed as a connection does; both runs must end in the
 * same state having consumed the same bytes and produced the same replies. Every reply of the
 * server must be one of the lines dbus-daemon sends, an authenticated server must have
 * stopped right after a BEGIN line, and a finished conversation must take nothing more.
 */

#include <stdlib.h>
#include <string.h>

#include "bus/bus-sasl.h"
#include "fuzz.h"

#define GUID "0123456789abcdef0123456789abcdef"

typedef struct Run {
        BusSaslState state;
        size_t consumed;
        char *out;
        size_t out_size;
} Run;

static const uid_t uids[] = { 0, 1000, UID_INVALID, 0xab };

static void *new_side(uint8_t cfg) {
        if (cfg & 0x80) {
                BusSaslClientConfig c = {
                        .mechanism = cfg & 1 ? BUS_SASL_MECHANISM_ANONYMOUS
                                             : BUS_SASL_MECHANISM_EXTERNAL,
                        .uid = uids[(cfg >> 1) & 3],
                        .want_fds = cfg & 8,
                        .expected_guid = cfg & 0x10 ? GUID : NULL,
                };
                BusSaslClient *client = NULL;

                if (bus_sasl_client_new(&c, &client) < 0)
                        abort();
                return client;
        } else {
                BusSaslServerConfig c = {
                        .mechanisms = cfg & 3,
                        .peer_uid = uids[(cfg >> 2) & 3],
                        .can_pass_fds = cfg & 0x10,
                        .guid = GUID,
                };
                BusSaslServer *server = NULL;

                if (bus_sasl_server_new(&c, &server) < 0)
                        abort();
                return server;
        }
}

static void free_side(uint8_t cfg, void *p) {
        if (cfg & 0x80)
                bus_sasl_client_free(p);
        else
                bus_sasl_server_free(p);
}

static BusSaslState feed(uint8_t cfg, void *p, const uint8_t *data, size_t size, size_t *used) {
        BusSaslState st = cfg & 0x80 ? bus_sasl_client_feed(p, data, size, used)
                                     : bus_sasl_server_feed(p, data, size, used);

        if (*used > size)
                abort();
        return st;
}

/* Moves the pending output to r->out. The client's request is in its output before any feed;
 * it is taken too, identically in both runs. */
static void drain(uint8_t cfg, void *p, Run *r) {
        const void *out;
        size_t n;

        out = cfg & 0x80 ? bus_sasl_client_peek_output(p, &n) : bus_sasl_server_peek_output(p, &n);
        if (n == 0)
                return;
        r->out = realloc(r->out, r->out_size + n);
        if (!r->out)
                abort();
        memcpy(r->out + r->out_size, out, n);
        r->out_size += n;
        if (cfg & 0x80)
                bus_sasl_client_drain_output(p, n);
        else
                bus_sasl_server_drain_output(p, n);
}

/* Feeds data[r->consumed..available) until nothing moves. */
static void feed_available(uint8_t cfg, void *p, const uint8_t *data, size_t available, Run *r) {
        for (;;) {
                size_t used;

                drain(cfg, p, r);
                r->state = feed(cfg, p, data + r->consumed, available - r->consumed, &used);
                r->consumed += used;
                drain(cfg, p, r);
                if (used == 0 || r->state != BUS_SASL_IN_PROGRESS)
                        return;
        }
}

static void check_finished(uint8_t cfg, void *p, const uint8_t *data, size_t size, Run *r) {
        size_t used;

        if (r->state == BUS_SASL_IN_PROGRESS)
                return;
        if (feed(cfg, p, data, size, &used) != r->state || used != 0)
                abort();
        if (r->state == BUS_SASL_FAILED &&
            !(cfg & 0x80 ? bus_sasl_client_get_failure(p) : bus_sasl_server_get_failure(p)))
                abort();
}

static bool starts(const char *p, size_t n, const char *prefix) {
        return n >= strlen(prefix) && memcmp(p, prefix, strlen(prefix)) == 0;
}

/* Every server reply is a whole line dbus-daemon could send. */
static void check_server_output(const Run *r) {
        const char *p, *end;

        if (r->out_size == 0)
                return;
        p = r->out;
        end = r->out + r->out_size;
        while (p < end) {
                const char *e = memmem(p, (size_t) (end - p), "\r\n", 2);
                size_t n;

                if (!e)
                        abort();
                n = (size_t) (e - p);
                if (!(n == 4 && starts(p, n, "DATA")) && !(n == 35 && starts(p, n, "OK " GUID)) &&
                    !starts(p, n, "REJECTED") && !starts(p, n, "ERROR \"") &&
                    !(n == 13 && starts(p, n, "AGREE_UNIX_FD")))
                        abort();
                p = e + 2;
        }
}

static void check_server_result(const BusSaslServer *s, uint8_t cfg, const uint8_t *data,
                                const Run *r) {
        size_t start;

        check_server_output(r);
        if (r->state != BUS_SASL_AUTHENTICATED)
                return;
        /* stopped right after a line whose command is BEGIN (lines start after the NUL byte
         * or a "\r\n"; a bare '\n' may be inside one) */
        if (r->consumed < 8 || memcmp(data + r->consumed - 2, "\r\n", 2) != 0)
                abort();
        start = r->consumed - 2;
        while (start >= 2 && !(data[start - 2] == '\r' && data[start - 1] == '\n'))
                start--;
        if (start < 2)
                start = 1;
        if (memcmp(data + start, "BEGIN", 5) != 0 || !memchr(" \t\r", data[start + 5], 3))
                abort();
        if (bus_sasl_server_get_mechanism(s) == BUS_SASL_MECHANISM_EXTERNAL) {
                if (bus_sasl_server_get_uid(s) != uids[(cfg >> 2) & 3] || !(cfg & 1))
                        abort();
        } else if (bus_sasl_server_get_mechanism(s) != BUS_SASL_MECHANISM_ANONYMOUS ||
                   bus_sasl_server_get_uid(s) != UID_INVALID || !(cfg & 2))
                abort();
        if (bus_sasl_server_get_unix_fds(s) && !(cfg & 0x10))
                abort();
}

static void check_client_result(const BusSaslClient *c, uint8_t cfg, const Run *r) {
        const char *guid = bus_sasl_client_get_server_guid(c);

        if (r->state != BUS_SASL_AUTHENTICATED)
                return;
        if (!guid || !bus_guid_is_valid(guid) || ((cfg & 0x10) && strcmp(guid, GUID) != 0))
                abort();
        if (bus_sasl_client_get_unix_fds(c) && !(cfg & 8))
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Run whole = {}, chunked = {};
        void *a, *b;
        uint8_t cfg;
        uint32_t rng;

        if (size < 2)
                return 0;
        cfg = data[0];
        rng = data[1] * 2654435761U + 1;
        data += 2;
        size -= 2;

        a = new_side(cfg);
        feed_available(cfg, a, data, size, &whole);
        check_finished(cfg, a, data, size, &whole);

        b = new_side(cfg);
        for (size_t available = 0; available < size && chunked.state == BUS_SASL_IN_PROGRESS;) {
                rng = rng * 1103515245U + 12345U;
                available += 1 + ((rng >> 16) & 1 ? (rng >> 20) % 8 : (rng >> 20) % 4096);
                available = available > size ? size : available;
                feed_available(cfg, b, data, available, &chunked);
        }
        if (size == 0)
                feed_available(cfg, b, data, 0, &chunked);

        if (whole.state != chunked.state || whole.consumed != chunked.consumed ||
            whole.out_size != chunked.out_size ||
            (whole.out_size > 0 && memcmp(whole.out, chunked.out, whole.out_size) != 0))
                abort();
        if (cfg & 0x80)
                check_client_result(a, cfg, &whole);
        else
                check_server_result(a, cfg, data, &whole);

        free_side(cfg, a);
        free_side(cfg, b);
        free(whole.out);
        free(chunked.out);
        return 0;
}
