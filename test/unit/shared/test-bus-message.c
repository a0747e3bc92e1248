/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-message.c: the D-Bus message wire format. Messages written in either byte order read
 * back identically (every basic type, nested arrays, structs, dict entries and variants, fd
 * indexes), the writer refuses what the format forbids, each validation rule of
 * bus_message_from_wire() is hit with a crafted byte string and reports its reason, and the raw
 * messages of libdbus's test suite (package dbus-tests) are accepted and rejected as libdbus
 * does.
 */

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bus/bus-message.h"
#include "fd-util.h"
#include "string-util.h"
#include "test-helpers.h"

/* ---- round trips ---- */

static BusMessage *build_all_types(char endian) {
        BusMessage *m = NULL;
        uint8_t y = 0xfe;
        int b = 1;
        int16_t n = -12345;
        uint16_t q = 54321;
        int32_t i = -0x12345678;
        uint32_t u = 0xdeadbeef, h = 1;
        int64_t x = -0x123456789abcdefLL;
        uint64_t t = 0xfedcba9876543210ULL;
        double d = -1.5e300;

        ck_assert_int_eq(bus_message_new(BUS_MESSAGE_METHOD_CALL, endian, &m), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_PATH, "/org/example/Obj"), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_INTERFACE, "org.example.If"), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_MEMBER, "Do"), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_DESTINATION, ":1.42"), 0);
        ck_assert_int_eq(bus_message_set_flags(m, BUS_MESSAGE_NO_AUTO_START), 0);
        ck_assert_int_eq(bus_message_set_unix_fds(m, 2), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'y', &y), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'b', &b), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'n', &n), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'q', &q), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'i', &i), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'u', &u), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'x', &x), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 't', &t), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'd', &d), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'h', &h), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 's', "grüße"), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'o', "/a/b"), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'g', "a{sv}"), 0);
        /* a{sv} with a variant holding a(ix) and one holding an empty array of structs */
        ck_assert_int_eq(bus_message_open_container(m, 'a', "{sv}"), 0);
        ck_assert_int_eq(bus_message_open_container(m, '{', "sv"), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 's', "k1"), 0);
        ck_assert_int_eq(bus_message_open_container(m, 'v', "a(ix)"), 0);
        ck_assert_int_eq(bus_message_open_container(m, 'a', "(ix)"), 0);
        for (int32_t k = 0; k < 3; k++) {
                int64_t kx = k * 1000000000000LL;
                ck_assert_int_eq(bus_message_open_container(m, '(', "ix"), 0);
                ck_assert_int_eq(bus_message_append_basic(m, 'i', &k), 0);
                ck_assert_int_eq(bus_message_append_basic(m, 'x', &kx), 0);
                ck_assert_int_eq(bus_message_close_container(m), 0);
        }
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_open_container(m, '{', "sv"), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 's', "k2"), 0);
        ck_assert_int_eq(bus_message_open_container(m, 'v', "a(tt)"), 0);
        ck_assert_int_eq(bus_message_open_container(m, 'a', "(tt)"), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'y', &y), 0);
        ck_assert_int_eq(bus_message_seal(m, 7), 0);
        return m;
}

static void check_all_types(BusMessage *m) {
        uint8_t y;
        int b;
        int16_t n;
        uint16_t q;
        int32_t i;
        uint32_t u, h;
        int64_t x;
        uint64_t t;
        double d;
        const char *s, *contents;
        char type;

        ck_assert_str_eq(bus_message_get_string_field(m, BUS_FIELD_SIGNATURE),
                         "ybnqiuxtdhsoga{sv}y");
        ck_assert_str_eq(bus_message_get_string_field(m, BUS_FIELD_PATH), "/org/example/Obj");
        ck_assert_str_eq(bus_message_get_string_field(m, BUS_FIELD_DESTINATION), ":1.42");
        ck_assert_int_eq(bus_message_get_flags(m), BUS_MESSAGE_NO_AUTO_START);
        ck_assert_int_eq(bus_message_get_serial(m), 7);
        ck_assert_int_eq(bus_message_get_unix_fds(m), 2);
        ck_assert_int_eq(bus_message_read_basic(m, 'y', &y), 1);
        ck_assert_int_eq(y, 0xfe);
        ck_assert_int_eq(bus_message_read_basic(m, 'i', &i), -ENXIO); /* it is a 'b' */
        ck_assert_int_eq(bus_message_read_basic(m, 'b', &b), 1);
        ck_assert_int_eq(b, 1);
        ck_assert_int_eq(bus_message_read_basic(m, 'n', &n), 1);
        ck_assert_int_eq(n, -12345);
        ck_assert_int_eq(bus_message_read_basic(m, 'q', &q), 1);
        ck_assert_int_eq(q, 54321);
        ck_assert_int_eq(bus_message_read_basic(m, 'i', &i), 1);
        ck_assert_int_eq(i, -0x12345678);
        ck_assert_int_eq(bus_message_read_basic(m, 'u', &u), 1);
        ck_assert_uint_eq(u, 0xdeadbeef);
        ck_assert_int_eq(bus_message_read_basic(m, 'x', &x), 1);
        ck_assert(x == -0x123456789abcdefLL);
        ck_assert_int_eq(bus_message_read_basic(m, 't', &t), 1);
        ck_assert(t == 0xfedcba9876543210ULL);
        ck_assert_int_eq(bus_message_read_basic(m, 'd', &d), 1);
        ck_assert(d == -1.5e300);
        ck_assert_int_eq(bus_message_read_basic(m, 'h', &h), 1);
        ck_assert_int_eq(h, 1);
        ck_assert_int_eq(bus_message_read_basic(m, 's', &s), 1);
        ck_assert_str_eq(s, "grüße");
        ck_assert_int_eq(bus_message_read_basic(m, 'o', &s), 1);
        ck_assert_str_eq(s, "/a/b");
        ck_assert_int_eq(bus_message_read_basic(m, 'g', &s), 1);
        ck_assert_str_eq(s, "a{sv}");
        ck_assert_int_eq(bus_message_peek_type(m, &type, &contents), 1);
        ck_assert_int_eq(type, 'a');
        ck_assert_str_eq(contents, "{sv}");
        ck_assert_int_eq(bus_message_enter_container(m, 'a', "{sv}"), 1);
        ck_assert_int_eq(bus_message_enter_container(m, '{', "sv"), 1);
        ck_assert_int_eq(bus_message_read_basic(m, 's', &s), 1);
        ck_assert_str_eq(s, "k1");
        ck_assert_int_eq(bus_message_peek_type(m, &type, &contents), 1);
        ck_assert_int_eq(type, 'v');
        ck_assert_str_eq(contents, "a(ix)");
        ck_assert_int_eq(bus_message_enter_container(m, 'v', "ai"), -ENXIO);
        ck_assert_int_eq(bus_message_enter_container(m, 'v', "a(ix)"), 1);
        ck_assert_int_eq(bus_message_enter_container(m, 'a', "(ix)"), 1);
        for (int32_t k = 0; k < 3; k++) {
                ck_assert_int_eq(bus_message_enter_container(m, '(', "ix"), 1);
                ck_assert_int_eq(bus_message_read_basic(m, 'i', &i), 1);
                ck_assert_int_eq(i, k);
                ck_assert_int_eq(bus_message_read_basic(m, 'x', &x), 1);
                ck_assert(x == k * 1000000000000LL);
                ck_assert_int_eq(bus_message_read_basic(m, 'x', &x), 0); /* end of struct */
                ck_assert_int_eq(bus_message_exit_container(m), 0);
        }
        ck_assert_int_eq(bus_message_enter_container(m, '(', NULL), 0); /* end of array */
        ck_assert_int_eq(bus_message_exit_container(m), 0);
        ck_assert_int_eq(bus_message_exit_container(m), 0);
        ck_assert_int_eq(bus_message_exit_container(m), 0);
        /* the second entry is skipped whole */
        ck_assert_int_eq(bus_message_skip(m), 1);
        ck_assert_int_eq(bus_message_skip(m), 0);
        ck_assert_int_eq(bus_message_exit_container(m), 0);
        ck_assert_int_eq(bus_message_read_basic(m, 'y', &y), 1);
        ck_assert_int_eq(bus_message_peek_type(m, &type, NULL), 0);
        ck_assert_int_eq(bus_message_exit_container(m), -ENXIO);
}

START_TEST(test_round_trip_both_orders) {
        BusMessage *l = build_all_types('l'), *B = build_all_types('B'), *p = NULL;
        const void *wl, *wB;
        size_t nl, nB, need;
        const char *reason = NULL;

        ck_assert_int_eq(bus_message_get_wire(l, &wl, &nl), 0);
        ck_assert_int_eq(bus_message_get_wire(B, &wB, &nB), 0);
        ck_assert_int_eq(nl, nB);
        ck_assert(memcmp(wl, wB, nl) != 0);
        ck_assert_int_eq(((const char *) wB)[0], 'B');
        check_all_types(l);
        check_all_types(B);
        bus_message_rewind(B);
        check_all_types(B);
        /* and once more after the wire */
        for (int k = 0; k < 2; k++) {
                const void *w = k ? wB : wl;
                size_t n = k ? nB : nl;
                ck_assert_int_eq(bus_message_size_needed(w, 16, &need), 0);
                ck_assert_int_eq(need, n);
                ck_assert_int_eq(bus_message_from_wire(w, n, 2, 0, &p, &reason), 0);
                ck_assert_int_eq(bus_message_get_endian(p), k ? 'B' : 'l');
                check_all_types(p);
                p = bus_message_free(p);
        }
        bus_message_free(l);
        bus_message_free(B);
}
END_TEST

START_TEST(test_writer_refuses) {
        _cleanup_(bus_message_freep) BusMessage *m = NULL;
        uint32_t u = 5, h = 3;

        ck_assert_int_eq(bus_message_new(0, 'l', &m), -EINVAL);
        ck_assert_int_eq(bus_message_new(1, 'x', &m), -EINVAL);
        ck_assert_int_eq(bus_message_new(BUS_MESSAGE_SIGNAL, 'l', &m), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_PATH, "/a/"), -EINVAL);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_INTERFACE, "nodots"), -EINVAL);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_SENDER, ":"), -EINVAL);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_SIGNATURE, "s"), -EINVAL);
        ck_assert_int_eq(bus_message_append_basic(m, 's', "\xff"), -EINVAL);
        ck_assert_int_eq(bus_message_append_basic(m, 'o', "x"), -EINVAL);
        ck_assert_int_eq(bus_message_append_basic(m, 'g', "a"), -EINVAL);
        ck_assert_int_eq(bus_message_append_basic(m, 'v', "x"), -EINVAL);
        ck_assert_int_eq(bus_message_open_container(m, '{', "sv"), -EINVAL); /* not in an array */
        ck_assert_int_eq(bus_message_open_container(m, 'v', "ii"), -EINVAL);
        ck_assert_int_eq(bus_message_open_container(m, 'a', "{vs}"), -EINVAL);
        ck_assert_int_eq(bus_message_open_container(m, 'a', "i"), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 's', "x"), -EINVAL);  /* wants 'i' */
        ck_assert_int_eq(bus_message_append_basic(m, 'i', &u), 0);
        ck_assert_int_eq(bus_message_seal(m, 1), -EINVAL); /* open container */
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_close_container(m), -ENXIO);
        ck_assert_int_eq(bus_message_open_container(m, '(', "ii"), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'i', &u), 0);
        ck_assert_int_eq(bus_message_close_container(m), -EINVAL); /* struct incomplete */
        ck_assert_int_eq(bus_message_append_basic(m, 'i', &u), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'h', &h), 0);
        /* a signal needs PATH, INTERFACE and MEMBER, the fd index needs UNIX_FDS > 3 */
        ck_assert_int_eq(bus_message_seal(m, 1), -EINVAL);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_PATH, "/"), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_INTERFACE, "a.b"), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_MEMBER, "C"), 0);
        ck_assert_int_eq(bus_message_seal(m, 1), -EINVAL);
        ck_assert_int_eq(bus_message_set_unix_fds(m, 4), 0);
        ck_assert_int_eq(bus_message_seal(m, 0), -EINVAL);
        ck_assert_int_eq(bus_message_seal(m, 1), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'i', &u), -EPERM);
        ck_assert_str_eq(bus_message_get_string_field(m, BUS_FIELD_SIGNATURE), "ai(ii)h");
}
END_TEST

START_TEST(test_nesting_limits) {
        _cleanup_(bus_message_freep) BusMessage *m = NULL, *p = NULL;
        const void *w;
        size_t n;
        int r = 0, k;
        uint8_t y = 1;

        /* 64 nested variants are the limit of the total depth */
        ck_assert_int_eq(bus_message_new(BUS_MESSAGE_METHOD_RETURN, 'B', &m), 0);
        ck_assert_int_eq(bus_message_set_reply_serial(m, 9), 0);
        for (k = 0; k < 64; k++)
                ck_assert_int_eq(bus_message_open_container(m, 'v', "v"), 0);
        ck_assert_int_eq(bus_message_open_container(m, 'v', "y"), -E2BIG);
        for (k = 0; k < 64 && r == 0; k++)
                r = bus_message_close_container(m);
        ck_assert_int_eq(r, -EINVAL); /* the innermost variant holds nothing */
        ck_assert_int_eq(bus_message_append_basic(m, 'y', &y), -EINVAL);
        m = bus_message_free(m);

        ck_assert_int_eq(bus_message_new(BUS_MESSAGE_METHOD_RETURN, 'l', &m), 0);
        ck_assert_int_eq(bus_message_set_reply_serial(m, 9), 0);
        for (k = 0; k < 63; k++)
                ck_assert_int_eq(bus_message_open_container(m, 'v', k < 62 ? "v" : "y"), 0);
        ck_assert_int_eq(bus_message_append_basic(m, 'y', &y), 0);
        for (k = 0; k < 63; k++)
                ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_seal(m, 3), 0);
        ck_assert_int_eq(bus_message_get_wire(m, &w, &n), 0);
        ck_assert_int_eq(bus_message_from_wire(w, n, 0, 0, &p, NULL), 0);
        for (k = 0; k < 63; k++)
                ck_assert_int_eq(bus_message_enter_container(p, 'v', NULL), 1);
        ck_assert_int_eq(bus_message_read_basic(p, 'y', &y), 1);
        ck_assert_int_eq(y, 1);
}
END_TEST

/* ---- crafted byte strings ---- */

typedef struct Raw {
        uint8_t b[512];
        size_t n;
        bool big;
} Raw;

static void raw_pad(Raw *r, size_t a) {
        while (r->n % a)
                r->b[r->n++] = 0;
}

static void raw_u32(Raw *r, uint32_t v) {
        raw_pad(r, 4);
        for (int k = 0; k < 4; k++)
                r->b[r->n++] = r->big ? (uint8_t) (v >> (24 - 8 * k)) : (uint8_t) (v >> (8 * k));
}

static void raw_bytes(Raw *r, const void *p, size_t n) {
        if (n > 0)
                memcpy(r->b + r->n, p, n);
        r->n += n;
}

static void raw_string(Raw *r, char type, const char *s) {
        if (type == 'g')
                r->b[r->n++] = (uint8_t) strlen(s);
        else
                raw_u32(r, strlen(s));
        raw_bytes(r, s, strlen(s) + 1);
}

/* Starts a message: fixed header with placeholder lengths. */
static void raw_begin(Raw *r, char endian, uint8_t type, uint32_t serial) {
        *r = (Raw) { .big = endian == 'B' };
        r->b[0] = endian;
        r->b[1] = type;
        r->b[2] = 0;
        r->b[3] = 1;
        r->n = 8;
        raw_u32(r, serial);
        raw_u32(r, 0);
}

static void raw_field(Raw *r, uint8_t code, char type, const char *s, uint32_t u) {
        char sig[2] = { type, 0 };

        raw_pad(r, 8);
        r->b[r->n++] = code;
        raw_string(r, 'g', sig);
        if (type == 'u')
                raw_u32(r, u);
        else
                raw_string(r, type, s);
}

/* Ends the header fields (fixing their length), pads, appends the body, fixes its length. */
static void raw_body(Raw *r, const void *body, size_t n) {
        size_t fields = r->n - 16, start;
        Raw tmp = { .big = r->big };

        raw_u32(&tmp, fields);
        memcpy(r->b + 12, tmp.b, 4);
        raw_pad(r, 8);
        start = r->n;
        raw_bytes(r, body, n);
        tmp.n = 0;
        raw_u32(&tmp, r->n - start);
        memcpy(r->b + 4, tmp.b, 4);
}

/* A method call to / member M with the given body signature. */
static void raw_call(Raw *r, const char *sig) {
        raw_begin(r, 'l', BUS_MESSAGE_METHOD_CALL, 1);
        raw_field(r, BUS_FIELD_PATH, 'o', "/", 0);
        raw_field(r, BUS_FIELD_MEMBER, 's', "M", 0);
        if (sig)
                raw_field(r, BUS_FIELD_SIGNATURE, 'g', sig, 0);
}

static void expect(const Raw *r, uint32_t n_fds, int error, const char *reason) {
        BusMessage *m = NULL;
        const char *got = NULL;
        int e;

        e = bus_message_from_wire(r->b, r->n, n_fds, 0, &m, &got);
        if (error == 0) {
                ck_assert_msg(e == 0, "rejected (%s), expected acceptance", got);
                bus_message_free(m);
                return;
        }
        ck_assert_msg(e == error, "got %d (%s), expected %d (%s)", e, got, error, reason);
        ck_assert_ptr_null(m);
        ck_assert_msg(got && strstr(got, reason), "reason '%s', expected '%s'", got, reason);
}

#define BODY(...) ((const uint8_t[]) { __VA_ARGS__ }), sizeof((const uint8_t[]) { __VA_ARGS__ })

START_TEST(test_valid_crafted) {
        Raw r;

        raw_call(&r, "b");
        raw_body(&r, BODY(1, 0, 0, 0));
        expect(&r, 0, 0, NULL);
        /* unknown header fields, message types and flags are accepted */
        raw_begin(&r, 'B', 77, 5);
        r.b[2] = 0xf8;
        raw_field(&r, 200, 's', "anything", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, 0, NULL);
}
END_TEST

START_TEST(test_body_rules) {
        Raw r;

        raw_call(&r, "b");
        raw_body(&r, BODY(2, 0, 0, 0));
        expect(&r, 0, -EBADMSG, "boolean value is not 0 or 1");
        raw_call(&r, "yu");
        raw_body(&r, BODY(1, 0, 7, 0, 1, 0, 0, 0));
        expect(&r, 0, -EBADMSG, "padding is not zero");
        raw_call(&r, "s");
        raw_body(&r, BODY(2, 0, 0, 0, 0xc3, 0x28, 0));
        expect(&r, 0, -EBADMSG, "not valid UTF-8");
        raw_call(&r, "s");
        raw_body(&r, BODY(3, 0, 0, 0, 'a', 0, 'b', 0));
        expect(&r, 0, -EBADMSG, "contains a NUL");
        /* noncharacters U+FDD0 and U+FFFE are valid in D-Bus strings (spec 0.21, libdbus) */
        raw_call(&r, "s");
        raw_body(&r, BODY(6, 0, 0, 0, 0xef, 0xb7, 0x90, 0xef, 0xbf, 0xbe, 0));
        expect(&r, 0, 0, NULL);
        /* surrogates are not */
        raw_call(&r, "s");
        raw_body(&r, BODY(3, 0, 0, 0, 0xed, 0xa0, 0x80, 0));
        expect(&r, 0, -EBADMSG, "not valid UTF-8");
        raw_call(&r, "s");
        raw_body(&r, BODY(2, 0, 0, 0, 'a', 'b', 'c'));
        expect(&r, 0, -EBADMSG, "NUL");
        raw_call(&r, "o");
        raw_body(&r, BODY(3, 0, 0, 0, '/', 'a', '/', 0));
        expect(&r, 0, -EBADMSG, "invalid object path");
        raw_call(&r, "g");
        raw_body(&r, BODY(1, 'a', 0));
        expect(&r, 0, -EBADMSG, "invalid type signature");
        raw_call(&r, "v");
        raw_body(&r, BODY(0, 0));
        expect(&r, 0, -EBADMSG, "variant signature is not a single complete type");
        raw_call(&r, "v");
        raw_body(&r, BODY(2, 'y', 'y', 0, 1, 1));
        expect(&r, 0, -EBADMSG, "variant signature is not a single complete type");
        raw_call(&r, "ai");
        raw_body(&r, BODY(3, 0, 0, 0, 1, 2, 3));
        expect(&r, 0, -EBADMSG, "not a multiple of its element size");
        raw_call(&r, "ay");
        raw_body(&r, BODY(1, 0, 0, 4, 1));
        expect(&r, 0, -EBADMSG, "array is longer than 64 MiB");
        raw_call(&r, "a(y)");
        raw_body(&r, BODY(8, 0, 0, 0, 0, 0, 0, 0, 5));
        expect(&r, 0, -EBADMSG, "truncated");
        raw_call(&r, "y");
        raw_body(&r, BODY(1, 2));
        expect(&r, 0, -EBADMSG, "body is longer than its signature");
        raw_call(&r, NULL);
        raw_body(&r, BODY(1));
        expect(&r, 0, -EBADMSG, "body is longer than its signature");
        raw_call(&r, "u");
        raw_body(&r, BODY(1, 0));
        expect(&r, 0, -EBADMSG, "truncated");
}
END_TEST

START_TEST(test_header_rules) {
        Raw r;

        raw_call(&r, NULL);
        raw_body(&r, NULL, 0);
        r.b[0] = 'x';
        expect(&r, 0, -EBADMSG, "byte-order mark");
        r.b[0] = 'l';
        r.b[3] = 2;
        expect(&r, 0, -EBADMSG, "protocol version");
        r.b[3] = 1;
        r.b[1] = 0;
        expect(&r, 0, -EBADMSG, "message type 0");
        r.b[1] = 1;
        memset(r.b + 8, 0, 4);
        expect(&r, 0, -EBADMSG, "serial is 0");
        r.b[8] = 1;
        r.b[r.n++] = 0;
        expect(&r, 0, -EBADMSG, "trailing bytes");
        r.n -= 2;
        expect(&r, 0, -EBADMSG, "truncated");
        expect(&(Raw) { .n = 5 }, 0, -EBADMSG, "shorter than the fixed header");

        raw_begin(&r, 'l', BUS_MESSAGE_METHOD_CALL, 1);
        raw_field(&r, BUS_FIELD_PATH, 'o', "/", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "required by the message type is missing");
        raw_begin(&r, 'l', BUS_MESSAGE_SIGNAL, 1);
        raw_field(&r, BUS_FIELD_PATH, 'o', "/", 0);
        raw_field(&r, BUS_FIELD_MEMBER, 's', "M", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "required by the message type is missing");
        raw_begin(&r, 'l', BUS_MESSAGE_ERROR, 1);
        raw_field(&r, BUS_FIELD_ERROR_NAME, 's', "a.b", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "required by the message type is missing");
        raw_begin(&r, 'l', BUS_MESSAGE_METHOD_RETURN, 1);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "required by the message type is missing");
        raw_begin(&r, 'l', BUS_MESSAGE_METHOD_RETURN, 1);
        raw_field(&r, BUS_FIELD_REPLY_SERIAL, 'u', NULL, 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "REPLY_SERIAL header field is 0");

        raw_call(&r, NULL);
        raw_field(&r, BUS_FIELD_MEMBER, 's', "N", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "duplicate header field");
        raw_call(&r, NULL);
        raw_field(&r, BUS_FIELD_DESTINATION, 'o', "/x", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "wrong type for its code");
        raw_call(&r, NULL);
        raw_field(&r, 0, 's', "x", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "header field code 0");
        raw_call(&r, NULL);
        raw_field(&r, BUS_FIELD_INTERFACE, 's', "nodot", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "invalid interface name");
        raw_call(&r, NULL);
        raw_field(&r, BUS_FIELD_SENDER, 's', ":1", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "SENDER");
        raw_begin(&r, 'l', BUS_MESSAGE_SIGNAL, 1);
        raw_field(&r, BUS_FIELD_PATH, 'o', "/org/freedesktop/DBus/Local", 0);
        raw_field(&r, BUS_FIELD_INTERFACE, 's', "a.b", 0);
        raw_field(&r, BUS_FIELD_MEMBER, 's', "M", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "reserved local path");
        /* an unknown field's value is validated too */
        raw_call(&r, NULL);
        raw_field(&r, 99, 's', "\xff", 0);
        raw_body(&r, NULL, 0);
        expect(&r, 0, -EBADMSG, "UTF-8");
}
END_TEST

START_TEST(test_fd_rules) {
        Raw r;

        raw_call(&r, "h");
        raw_field(&r, BUS_FIELD_UNIX_FDS, 'u', NULL, 2);
        raw_body(&r, BODY(1, 0, 0, 0));
        expect(&r, 2, 0, NULL);
        expect(&r, 1, -EBADMSG, "UNIX_FDS header field does not match");
        raw_call(&r, "h");
        raw_field(&r, BUS_FIELD_UNIX_FDS, 'u', NULL, 2);
        raw_body(&r, BODY(2, 0, 0, 0));
        expect(&r, 2, -EBADMSG, "unix fd index is not below");
        raw_call(&r, "ah");
        raw_body(&r, BODY(4, 0, 0, 0, 0, 0, 0, 0));
        expect(&r, 0, -EBADMSG, "unix fd index is not below");
}
END_TEST

START_TEST(test_sizes) {
        Raw r;
        size_t need = 1;

        raw_call(&r, "ay");
        raw_body(&r, NULL, 0);
        r.b[4 + 3] = 0x08; /* body length 128 MiB */
        ck_assert_int_eq(bus_message_size_needed(r.b, r.n, &need), -EMSGSIZE);
        expect(&r, 0, -EMSGSIZE, "larger than 128 MiB");
        ck_assert_int_eq(bus_message_size_needed(r.b, 15, &need), 0);
        ck_assert_int_eq(need, 0);
        r.b[4 + 3] = 0x07;
        ck_assert_int_eq(bus_message_size_needed(r.b, 16, &need), 0);
        ck_assert_int_eq(need, 0x07000000 + 16 + 40); /* three fields, 40 bytes */
        r.b[0] = 'X';
        ck_assert_int_eq(bus_message_size_needed(r.b, 16, &need), -EBADMSG);
}
END_TEST

/* ---- libdbus's test messages ---- */

/* Accepting is what libdbus's dbus_message_demarshal() does; it checks 'h' values against
 * UNIX_FDS only when they are read (valid-messages/byteswap-fd-index carries the fd index
 * 0xf8280208 and no fds), so the comparison parses with BUS_PARSE_LAX_FD_INDEX and the strict
 * default is checked to refuse that one file. All invalid-messages files are rejected by
 * libdbus's own message validation, none only at the bus level. */
static unsigned check_dir(const char *dir, bool valid) {
        _cleanup_(closedirp) DIR *d = opendir(dir);
        unsigned count = 0;
        struct dirent *de;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                _cleanup_free_ char *path = NULL, *data = NULL;
                BusMessage *m = NULL;
                const char *reason = NULL;
                size_t size;
                int r;

                if (!endswith(de->d_name, ".message-raw"))
                        continue;
                path = strjoin(dir, "/", de->d_name);
                ck_assert_ptr_nonnull(path);
                ck_assert_int_eq(read_full_file(path, 1 << 20, &data, &size), 0);
                r = bus_message_from_wire(data, size, 0, BUS_PARSE_LAX_FD_INDEX, &m, &reason);
                ck_assert_msg(valid ? r == 0 : r < 0, "%s: %s (%s)", path,
                              r == 0 ? "accepted" : "rejected", reason ?: "");
                if (r < 0)
                        ck_assert_ptr_nonnull(reason);
                if (m && streq(de->d_name, "byteswap-fd-index.message-raw")) {
                        BusMessage *strict = NULL;
                        uint32_t h;

                        ck_assert_int_eq(bus_message_read_basic(m, 'h', &h), -EBADMSG);
                        ck_assert_int_eq(bus_message_from_wire(data, size, 0, 0, &strict, &reason),
                                         -EBADMSG);
                        ck_assert_str_eq(reason, "unix fd index is not below the UNIX_FDS header field");
                }
                bus_message_free(m);
                count++;
        }
        return count;
}

START_TEST(test_libdbus_messages) {
        unsigned n_valid, n_invalid;

        n_valid = check_dir(DBUS_TEST_DATA_DIR "/valid-messages", true);
        n_invalid = check_dir(DBUS_TEST_DATA_DIR "/invalid-messages", false);
        /* dbus-tests is a build dependency (tools/install-deps.sh): without its messages this
         * conformance check would pass without checking anything, so that is a failure. */
        ck_assert_msg(n_valid + n_invalid > 0, "no libdbus test messages in %s: install dbus-tests (tools/install-deps.sh)",
                      DBUS_TEST_DATA_DIR);
        printf("libdbus test messages: %u valid accepted, %u invalid rejected\n", n_valid,
               n_invalid);
        ck_assert_uint_ge(n_valid, 2);
        ck_assert_uint_ge(n_invalid, 6);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-message");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_round_trip_both_orders);
        tcase_add_test(tc, test_writer_refuses);
        tcase_add_test(tc, test_nesting_limits);
        tcase_add_test(tc, test_valid_crafted);
        tcase_add_test(tc, test_body_rules);
        tcase_add_test(tc, test_header_rules);
        tcase_add_test(tc, test_fd_rules);
        tcase_add_test(tc, test_sizes);
        tcase_add_test(tc, test_libdbus_messages);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
