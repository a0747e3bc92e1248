/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-sasl.c: the D-Bus authentication conversation. The server answers every command
 * with the exact bytes dbus-daemon 1.14 sends (checked against the real daemon when these
 * cases were written), fails where it disconnects, gives the same result whether the input
 * comes at once or split at any byte, and leaves the bytes after BEGIN to the message stream.
 * Real clients judge it: busctl (sd-bus), gdbus (GDBus) and dbus-send (libdbus) authenticate
 * against it over a unix socket and their first message must parse. The client authenticates
 * against a private dbus-daemon and gets an answer to Hello, and against our server.
 */

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bus/bus-message.h"
#include "bus/bus-sasl.h"
#include "fd-util.h"
#include "string-util.h"
#include "test-helpers.h"

#define GUID "0123456789abcdef0123456789abcdef"
#define OK_LINE "OK " GUID "\r\n"
#define EXT BUS_SASL_MECHANISM_MASK(BUS_SASL_MECHANISM_EXTERNAL)
#define ANON BUS_SASL_MECHANISM_MASK(BUS_SASL_MECHANISM_ANONYMOUS)
#define TIMEOUT_MS 10000

/* ---- driving the server over a byte string ---- */

typedef struct Exchange {
        char out[1 << 17];
        size_t out_size;
        size_t consumed;
        BusSaslState state;
} Exchange;

static BusSaslServer *server_new(unsigned mechanisms, uid_t peer, bool fds) {
        BusSaslServerConfig config = {
                .mechanisms = mechanisms,
                .peer_uid = peer,
                .can_pass_fds = fds,
                .guid = GUID,
        };
        BusSaslServer *s = NULL;

        ck_assert_int_eq(bus_sasl_server_new(&config, &s), 0);
        return s;
}

static void take_output(BusSaslServer *s, Exchange *x) {
        size_t n;
        const void *p = bus_sasl_server_peek_output(s, &n);

        ck_assert_uint_le(x->out_size + n, sizeof x->out);
        if (n > 0)
                memcpy(x->out + x->out_size, p, n);
        x->out_size += n;
        bus_sasl_server_drain_output(s, n);
}

/* Feeds data[from..size) as the connection code would: after each feed the replies are
 * written out and what was not consumed is fed again, until nothing moves. */
static void feed_rest(BusSaslServer *s, const char *data, size_t size, Exchange *x) {
        for (;;) {
                size_t used;

                take_output(s, x);
                x->state = bus_sasl_server_feed(s, data + x->consumed, size - x->consumed, &used);
                x->consumed += used;
                take_output(s, x);
                if (used == 0 || x->state != BUS_SASL_IN_PROGRESS)
                        break;
        }
}

static void run_server(BusSaslServer *s, const char *data, size_t size, Exchange *x) {
        memset(x, 0, sizeof *x);
        feed_rest(s, data, size, x);
}

/* One exchange on a fresh server: exact reply bytes, final state and (unless SIZE_MAX) the
 * consumed count. */
static void check_exchange(unsigned mechanisms, uid_t peer, bool fds, const char *in,
                           size_t in_size, const char *expected, BusSaslState state,
                           size_t consumed) {
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(mechanisms, peer, fds);
        static Exchange x;

        run_server(s, in, in_size, &x);
        x.out[x.out_size] = 0;
        ck_assert_str_eq(x.out, expected);
        ck_assert_uint_eq(x.out_size, strlen(expected));
        ck_assert_int_eq(x.state, state);
        if (consumed != SIZE_MAX)
                ck_assert_uint_eq(x.consumed, consumed);
}

#define EXCHANGE(mechs, peer, fds, in, expected, state)                       \
        check_exchange(mechs, peer, fds, in, sizeof(in) - 1, expected, state, \
                       (state) == BUS_SASL_IN_PROGRESS ? sizeof(in) - 1 : SIZE_MAX)
#define EXCHANGE_DONE(mechs, peer, fds, in, expected, state, consumed) \
        check_exchange(mechs, peer, fds, in, sizeof(in) - 1, expected, state, consumed)

/* ---- server: the conversations clients have ---- */

START_TEST(test_server_sd_bus_pipelined) {
        static const char in[] = "\0AUTH EXTERNAL\r\nDATA\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n"
                                 "l\1\0\1REST";
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(EXT, 1000, true);
        static Exchange x;
        size_t rest = sizeof(in) - 1 - 8;

        run_server(s, in, sizeof(in) - 1, &x);
        ck_assert_int_eq(x.state, BUS_SASL_AUTHENTICATED);
        ck_assert_uint_eq(x.out_size, strlen("DATA\r\n" OK_LINE "AGREE_UNIX_FD\r\n"));
        ck_assert_mem_eq(x.out, "DATA\r\n" OK_LINE "AGREE_UNIX_FD\r\n", x.out_size);
        /* stopped right after BEGIN\r\n, the message bytes untouched */
        ck_assert_uint_eq(x.consumed, rest);
        ck_assert_mem_eq(in + x.consumed, "l\1\0\1REST", 8);
        ck_assert_int_eq(bus_sasl_server_get_uid(s), 1000);
        ck_assert_int_eq(bus_sasl_server_get_mechanism(s), BUS_SASL_MECHANISM_EXTERNAL);
        ck_assert(bus_sasl_server_get_unix_fds(s));
        ck_assert_ptr_null(bus_sasl_server_get_failure(s));

        /* a finished conversation takes nothing more */
        ck_assert_int_eq(bus_sasl_server_feed(s, "BEGIN\r\n", 7, &x.consumed),
                         BUS_SASL_AUTHENTICATED);
        ck_assert_uint_eq(x.consumed, 0);
}
END_TEST

START_TEST(test_server_libdbus_style) {
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(EXT, 1000, true);
        size_t used, n;
        const char *out;

        /* one command at a time, as libdbus clients wait for each reply */
        ck_assert_int_eq(bus_sasl_server_feed(s, "\0", 1, &used), BUS_SASL_IN_PROGRESS);
        ck_assert_uint_eq(used, 1);
        ck_assert_int_eq(bus_sasl_server_feed(s, "AUTH EXTERNAL 31303030\r\n", 24, &used),
                         BUS_SASL_IN_PROGRESS);
        ck_assert_uint_eq(used, 24);
        out = bus_sasl_server_peek_output(s, &n);
        ck_assert_uint_eq(n, strlen(OK_LINE));
        ck_assert_mem_eq(out, OK_LINE, n);
        bus_sasl_server_drain_output(s, 3); /* a partial write */
        out = bus_sasl_server_peek_output(s, &n);
        ck_assert_mem_eq(out, GUID "\r\n", n);
        bus_sasl_server_drain_output(s, n);
        ck_assert_int_eq(bus_sasl_server_feed(s, "NEGOTIATE_UNIX_FD\r\n", 19, &used),
                         BUS_SASL_IN_PROGRESS);
        out = bus_sasl_server_peek_output(s, &n);
        ck_assert_mem_eq(out, "AGREE_UNIX_FD\r\n", n);
        ck_assert_int_eq(bus_sasl_server_get_uid(s), UID_INVALID); /* not before BEGIN */
        ck_assert_int_eq(bus_sasl_server_feed(s, "BEGIN\r\n", 7, &used), BUS_SASL_AUTHENTICATED);
        ck_assert_uint_eq(used, 7);
        ck_assert_int_eq(bus_sasl_server_get_uid(s), 1000);
}
END_TEST

START_TEST(test_server_external) {
        /* the initial response names another uid */
        EXCHANGE(EXT, 1000, true, "\0AUTH EXTERNAL 30\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        /* the peer's uid is unknown: EXTERNAL cannot work, not even with a challenge */
        EXCHANGE(EXT, UID_INVALID, true, "\0AUTH EXTERNAL\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, UID_INVALID, true, "\0AUTH EXTERNAL 30\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        /* DATA with a uid after the challenge, right and wrong */
        EXCHANGE(EXT, 1000, true, "\0AUTH EXTERNAL\r\nDATA 31303030\r\n", "DATA\r\n" OK_LINE,
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 1000, true, "\0AUTH EXTERNAL\r\nDATA 3130\r\n",
                 "DATA\r\nREJECTED EXTERNAL\r\n", BUS_SASL_IN_PROGRESS);
        /* libdbus's uid parsing: strtoul(…, 0) over the whole string */
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 3\r\n", OK_LINE, BUS_SASL_IN_PROGRESS); /* odd */
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 2030\r\n", OK_LINE,
                 BUS_SASL_IN_PROGRESS); /* " 0" */
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 3030\r\n", OK_LINE,
                 BUS_SASL_IN_PROGRESS); /* "00" */
        EXCHANGE(EXT, 8, true, "\0AUTH EXTERNAL 303130\r\n", OK_LINE,
                 BUS_SASL_IN_PROGRESS); /* octal */
        EXCHANGE(EXT, 16, true, "\0AUTH EXTERNAL 30783130\r\n", OK_LINE, BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 3078\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS); /* "0x" */
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 3020\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS); /* "0 " */
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 300031\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS); /* embedded NUL */
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 726f6f74\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS); /* "root": numbers only */
        EXCHANGE(EXT, UINT32_MAX - 1, true, "\0AUTH EXTERNAL 2d31\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS); /* "-1" means no uid */
        /* blanks: spaces and tabs separate, a trailing blank is bad hex */
        EXCHANGE(EXT, 0, true, "\0AUTH  EXTERNAL\t 30\r\n", OK_LINE, BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 30 \r\n", "ERROR \"Invalid hex encoding\"\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL 3g\r\n", "ERROR \"Invalid hex encoding\"\r\n",
                 BUS_SASL_IN_PROGRESS);
        /* a bad DATA keeps the challenge open */
        EXCHANGE(EXT, 1000, true, "\0AUTH EXTERNAL\r\nDATA xx\r\nDATA\r\n",
                 "DATA\r\nERROR \"Invalid hex encoding\"\r\n" OK_LINE, BUS_SASL_IN_PROGRESS);
        /* upper-case hex is hex too */
        EXCHANGE(EXT, 0xab, true, "\0AUTH EXTERNAL 3078414221\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0xab, true, "\0AUTH EXTERNAL 30784142\r\n", OK_LINE, BUS_SASL_IN_PROGRESS);
}
END_TEST

START_TEST(test_server_commands_per_state) {
        /* waiting for AUTH */
        EXCHANGE(EXT, 0, true, "\0FOO\r\nauth EXTERNAL 30\r\nOK\r\nREJECTED\r\nAGREE_UNIX_FD\r\n",
                 "ERROR \"Unknown command\"\r\nERROR \"Unknown command\"\r\n"
                 "ERROR \"Unknown command\"\r\nERROR \"Unknown command\"\r\n"
                 "ERROR \"Unknown command\"\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0, true, "\0CANCEL\r\nDATA\r\nERROR\r\nNEGOTIATE_UNIX_FD\r\n",
                 "ERROR \"Not currently in an auth conversation\"\r\n"
                 "ERROR \"Not currently in an auth conversation\"\r\n"
                 "REJECTED EXTERNAL\r\n"
                 "ERROR \"Need to authenticate first\"\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0, true, "\0AUTH\r\nAUTH FOO\r\nAUTH DBUS_COOKIE_SHA1\r\n",
                 "REJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0, true, "\0\xff\r\nAUTH\x01\r\n",
                 "ERROR \"Command contained non-ASCII\"\r\nERROR \"Unknown command\"\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0, true, "\0AUTH\r\n\0AUTH\r\n",
                 "REJECTED EXTERNAL\r\nERROR \"Command contained non-ASCII\"\r\n",
                 BUS_SASL_IN_PROGRESS);
        /* waiting for DATA */
        EXCHANGE(EXT, 0, true,
                 "\0AUTH EXTERNAL\r\nAUTH EXTERNAL\r\nNEGOTIATE_UNIX_FD\r\nX\r\nCANCEL\r\n",
                 "DATA\r\nERROR \"Sent AUTH while another AUTH in progress\"\r\n"
                 "ERROR \"Need to authenticate first\"\r\nERROR \"Unknown command\"\r\n"
                 "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT, 0, true, "\0AUTH EXTERNAL\r\nERROR\r\nAUTH EXTERNAL\r\nDATA\r\n",
                 "DATA\r\nREJECTED EXTERNAL\r\nDATA\r\n" OK_LINE, BUS_SASL_IN_PROGRESS);
        /* waiting for BEGIN */
        EXCHANGE(EXT, 0, true,
                 "\0AUTH EXTERNAL 30\r\nAUTH\r\nDATA\r\nNEGOTIATE_UNIX_FD\r\nOK\r\nCANCEL\r\n",
                 OK_LINE "ERROR \"Sent AUTH while expecting BEGIN\"\r\n"
                         "ERROR \"Sent DATA while expecting BEGIN\"\r\nAGREE_UNIX_FD\r\n"
                         "ERROR \"Unknown command\"\r\nREJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        /* after CANCEL a new AUTH starts over; BEGIN with a blank after it is still BEGIN */
        EXCHANGE_DONE(EXT, 0, true, "\0AUTH EXTERNAL 30\r\nERROR\r\nAUTH EXTERNAL 30\r\nBEGIN \r\n",
                      OK_LINE "REJECTED EXTERNAL\r\n" OK_LINE, BUS_SASL_AUTHENTICATED, 52);
}
END_TEST

START_TEST(test_server_unix_fds) {
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(EXT, 0, false);
        static const char in[] = "\0AUTH EXTERNAL 30\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n";
        static Exchange x;

        EXCHANGE(EXT, 0, false, "\0AUTH EXTERNAL 30\r\nNEGOTIATE_UNIX_FD\r\n",
                 OK_LINE "ERROR \"Unix FD passing not supported, not authenticated or otherwise "
                         "not possible\"\r\n",
                 BUS_SASL_IN_PROGRESS);
        run_server(s, in, sizeof(in) - 1, &x);
        ck_assert_int_eq(x.state, BUS_SASL_AUTHENTICATED);
        ck_assert(!bus_sasl_server_get_unix_fds(s));

        /* not asked, not agreed */
        bus_sasl_server_free(s);
        s = server_new(EXT, 0, true);
        run_server(s, "\0AUTH EXTERNAL 30\r\nBEGIN\r\n", 26, &x);
        ck_assert_int_eq(x.state, BUS_SASL_AUTHENTICATED);
        ck_assert(!bus_sasl_server_get_unix_fds(s));
}
END_TEST

START_TEST(test_server_anonymous) {
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(EXT | ANON, 1000, true);
        static Exchange x;

        /* allowed: with or without the trace string, no challenge, listed after EXTERNAL */
        EXCHANGE(EXT | ANON, 1000, true, "\0AUTH ANONYMOUS\r\n", OK_LINE, BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT | ANON, UID_INVALID, true, "\0AUTH ANONYMOUS 616e6f6e796d6f7573\r\n", OK_LINE,
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT | ANON, 1000, true, "\0AUTH ANONYMOUS c3a9\r\n", OK_LINE,
                 BUS_SASL_IN_PROGRESS); /* "é" */
        EXCHANGE(EXT | ANON, 1000, true, "\0AUTH\r\n", "REJECTED EXTERNAL ANONYMOUS\r\n",
                 BUS_SASL_IN_PROGRESS);
        /* the trace must be UTF-8 without NUL */
        EXCHANGE(EXT | ANON, 1000, true, "\0AUTH ANONYMOUS ff\r\n",
                 "REJECTED EXTERNAL ANONYMOUS\r\n", BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT | ANON, 1000, true, "\0AUTH ANONYMOUS 6100\r\n",
                 "REJECTED EXTERNAL ANONYMOUS\r\n", BUS_SASL_IN_PROGRESS);
        EXCHANGE(EXT | ANON, 1000, true, "\0AUTH ANONYMOUS eda080\r\n",
                 "REJECTED EXTERNAL ANONYMOUS\r\n", BUS_SASL_IN_PROGRESS); /* surrogate */
        /* not allowed by the configuration (dbus-daemon's <auth>EXTERNAL</auth>) */
        EXCHANGE(EXT, 1000, true, "\0AUTH ANONYMOUS\r\n", "REJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        EXCHANGE(ANON, 1000, true, "\0AUTH EXTERNAL 31303030\r\n", "REJECTED ANONYMOUS\r\n",
                 BUS_SASL_IN_PROGRESS);

        run_server(s, "\0AUTH ANONYMOUS\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n",
                   sizeof("\0AUTH ANONYMOUS\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n") - 1, &x);
        ck_assert_int_eq(x.state, BUS_SASL_AUTHENTICATED);
        ck_assert_int_eq(bus_sasl_server_get_mechanism(s), BUS_SASL_MECHANISM_ANONYMOUS);
        ck_assert_int_eq(bus_sasl_server_get_uid(s), UID_INVALID);
        ck_assert(bus_sasl_server_get_unix_fds(s));
}
END_TEST

static void check_failure_n(unsigned mechs, const char *in, size_t n, const char *expected_out,
                            const char *reason) {
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(mechs, 0, true);
        static Exchange x;

        run_server(s, in, n, &x);
        ck_assert_int_eq(x.state, BUS_SASL_FAILED);
        ck_assert_uint_eq(x.out_size, strlen(expected_out));
        ck_assert_mem_eq(x.out, expected_out, x.out_size);
        ck_assert_str_eq(bus_sasl_server_get_failure(s), reason);
        ck_assert_int_eq(bus_sasl_server_get_uid(s), UID_INVALID);
        /* and nothing more is taken */
        ck_assert_int_eq(bus_sasl_server_feed(s, "\0AUTH\r\n", 7, &x.consumed), BUS_SASL_FAILED);
        ck_assert_uint_eq(x.consumed, 0);
}

#define check_failure(mechs, in, out, reason) \
        check_failure_n(mechs, in, sizeof(in) - 1, out, reason)

START_TEST(test_server_failures) {
        static char big[BUS_SASL_LINE_MAX + 8];
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = NULL;
        static Exchange x;

        /* the credentials byte must be NUL */
        check_failure(EXT, "AUTH EXTERNAL 30\r\n", "", "Credentials byte was not nul");
        /* BEGIN before OK disconnects without a reply, also in the middle of EXTERNAL */
        check_failure(EXT, "\0BEGIN\r\n", "", "Client sent BEGIN before authenticating");
        check_failure(EXT, "\0AUTH EXTERNAL\r\nBEGIN\r\n", "DATA\r\n",
                      "Client sent BEGIN before authenticating");
        /* sd-bus's pipeline from a client claiming another uid */
        check_failure(EXT, "\0AUTH EXTERNAL 31\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n",
                      "REJECTED EXTERNAL\r\nERROR \"Need to authenticate first\"\r\n",
                      "Client sent BEGIN before authenticating");
        /* the sixth REJECTED is sent, then the connection is dropped */
        EXCHANGE(EXT, 0, true, "\0AUTH\r\nAUTH\r\nAUTH\r\nAUTH\r\nAUTH\r\n",
                 "REJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\n"
                 "REJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\n",
                 BUS_SASL_IN_PROGRESS);
        check_failure(EXT,
                      "\0AUTH\r\nERROR\r\nAUTH FOO\r\nAUTH EXTERNAL 31\r\nAUTH\r\nAUTH\r\nAUTH\r\n",
                      "REJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\n"
                      "REJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\n",
                      "Too many failed authentication attempts");

        /* a line of 16384 bytes with its \r\n is fine, one more byte disconnects */
        big[0] = 0;
        memset(big + 1, 'X', sizeof big - 1);
        memcpy(big + 1 + BUS_SASL_LINE_MAX - 2, "\r\n", 2);
        EXCHANGE_DONE(EXT, 0, true, big, "ERROR \"Unknown command\"\r\n", BUS_SASL_IN_PROGRESS,
                      1 + BUS_SASL_LINE_MAX);
        memset(big + 1, 'X', sizeof big - 1);
        memcpy(big + 1 + BUS_SASL_LINE_MAX - 1, "\r\n", 2);
        check_failure_n(EXT, big, 1 + BUS_SASL_LINE_MAX + 1, "",
                        "Authentication command line too long");
        /* a partial line waits until it can no longer be short enough */
        s = server_new(EXT, 0, true);
        memset(big + 1, 'X', sizeof big - 1);
        run_server(s, big, BUS_SASL_LINE_MAX, &x);
        ck_assert_int_eq(x.state, BUS_SASL_IN_PROGRESS);
        ck_assert_uint_eq(x.consumed, 1);
        feed_rest(s, big, 1 + BUS_SASL_LINE_MAX, &x);
        ck_assert_int_eq(x.state, BUS_SASL_FAILED);
}
END_TEST

START_TEST(test_server_output_backpressure) {
        /* 2000 unknown commands in one read: dbus-daemon answers them all (it writes as it
         * goes); the feed stops while 16 KiB wait, and continues once they are written. */
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(EXT, 0, true);
        _cleanup_free_ char *in = malloc(1 + 5 * 2000 + 25);
        static Exchange x;
        size_t used, n;

        ck_assert_ptr_nonnull(in);
        in[0] = 0;
        for (size_t i = 0; i < 2000; i++)
                memcpy(in + 1 + 5 * i, "FOO\r\n", 5);
        memcpy(in + 1 + 5 * 2000, "AUTH EXTERNAL 30\r\nBEGIN\r\n", 25);

        ck_assert_int_eq(bus_sasl_server_feed(s, in, 1 + 5 * 2000 + 25, &used),
                         BUS_SASL_IN_PROGRESS);
        bus_sasl_server_peek_output(s, &n);
        ck_assert_uint_gt(n, BUS_SASL_OUTPUT_MAX);
        ck_assert_uint_lt(n, BUS_SASL_OUTPUT_MAX + 64);
        ck_assert_uint_lt(used, 1 + 5 * 2000);
        ck_assert_int_eq(bus_sasl_server_feed(s, in + used, 10, &n), BUS_SASL_IN_PROGRESS);
        ck_assert_uint_eq(n, 0); /* nothing taken while the output is full */

        /* written out, the rest goes through: every command got its reply */
        run_server(s, in + used, 1 + 5 * 2000 + 25 - used, &x);
        ck_assert_int_eq(x.state, BUS_SASL_AUTHENTICATED);
        ck_assert_uint_eq(x.consumed, 1 + 5 * 2000 + 25 - used);
        ck_assert_uint_eq(x.out_size, 25 * 2000 + strlen(OK_LINE));
}
END_TEST

/* ---- server: chunking does not matter ---- */

static void check_splits(unsigned mechs, uid_t peer, const char *in, size_t n) {
        _cleanup_(bus_sasl_server_freep) BusSaslServer *whole = server_new(mechs, peer, true);
        static Exchange a, b;

        run_server(whole, in, n, &a);
        for (size_t k = 0; k <= n; k++) {
                _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(mechs, peer, true);

                /* the first k bytes arrive, then the rest */
                run_server(s, in, k, &b);
                if (b.state == BUS_SASL_IN_PROGRESS)
                        feed_rest(s, in, n, &b);
                ck_assert_int_eq(b.state, a.state);
                ck_assert_uint_eq(b.consumed, a.consumed);
                ck_assert_uint_eq(b.out_size, a.out_size);
                ck_assert_mem_eq(b.out, a.out, a.out_size);
        }
        /* and byte by byte */
        {
                _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(mechs, peer, true);

                memset(&b, 0, sizeof b);
                for (size_t k = 1; k <= n && b.state == BUS_SASL_IN_PROGRESS; k++)
                        feed_rest(s, in, k, &b);
                ck_assert_int_eq(b.state, a.state);
                ck_assert_uint_eq(b.consumed, a.consumed);
                ck_assert_uint_eq(b.out_size, a.out_size);
                ck_assert_mem_eq(b.out, a.out, a.out_size);
        }
}

START_TEST(test_server_split_anywhere) {
        static const char sd_bus[] =
                "\0AUTH EXTERNAL\r\nDATA\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\nl\1\0\1";
        static const char messy[] =
                "\0FOO\r\nAUTH\r\nAUTH EXTERNAL 31\r\nAUTH EXTERNAL\r\nDATA xx\r"
                "\nDATA 30\r\nDATA\r\nCANCEL\r\nAUTH ANONYMOUS 61\r\n"
                "NEGOTIATE_UNIX_FD\r\nBEGIN\r\nBEGIN\r\n";
        static const char failing[] = "\0AUTH\r\nAUTH\r\nAUTH\r\nAUTH\r\nAUTH\r\nAUTH\r\nAUTH\r\n";

        check_splits(EXT, 1000, sd_bus, sizeof(sd_bus) - 1);
        check_splits(EXT | ANON, 0, messy, sizeof(messy) - 1);
        check_splits(EXT, 0, failing, sizeof(failing) - 1);
        check_splits(EXT, 0, "X\0AUTH\r\n", 8);
}
END_TEST

START_TEST(test_server_config) {
        BusSaslServerConfig c = { .mechanisms = EXT, .peer_uid = 0, .guid = GUID };
        BusSaslServer *s = NULL;

        ck_assert_int_eq(bus_sasl_server_new(&c, &s), 0);
        ck_assert_int_eq(bus_sasl_server_get_state(s), BUS_SASL_IN_PROGRESS);
        ck_assert_int_eq(bus_sasl_server_get_mechanism(s), _BUS_SASL_MECHANISM_INVALID);
        s = bus_sasl_server_free(s);
        ck_assert_ptr_null(bus_sasl_server_free(NULL));
        c.guid = "0123456789ABCDEF0123456789abcdef"; /* sent verbatim, so lowercase only */
        ck_assert_int_eq(bus_sasl_server_new(&c, &s), -EINVAL);
        c.guid = "0123456789abcdef";
        ck_assert_int_eq(bus_sasl_server_new(&c, &s), -EINVAL);
        c.guid = NULL;
        ck_assert_int_eq(bus_sasl_server_new(&c, &s), -EINVAL);
        c.guid = GUID;
        c.mechanisms = 1U << 5;
        ck_assert_int_eq(bus_sasl_server_new(&c, &s), -EINVAL);
        ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_guid_and_names) {
        char a[BUS_GUID_STRING_SIZE], b[BUS_GUID_STRING_SIZE];
        unsigned long stamp;
        long now = (long) time(NULL);

        ck_assert_int_eq(bus_guid_new(a), 0);
        ck_assert_int_eq(bus_guid_new(b), 0);
        ck_assert_uint_eq(strlen(a), 32);
        ck_assert(in_charset(a, "0123456789abcdef"));
        ck_assert(bus_guid_is_valid(a));
        ck_assert_str_ne(a, b);
        /* libdbus puts the time as a big-endian 32-bit number in the last 4 bytes */
        stamp = strtoul(a + 24, NULL, 16);
        ck_assert_int_le(labs((long) stamp - (now & 0xffffffffL)), 2);

        ck_assert(bus_guid_is_valid("0123456789ABCDEF0123456789abcdef"));
        ck_assert(!bus_guid_is_valid("0123456789abcdef0123456789abcdeg"));
        ck_assert(!bus_guid_is_valid("0123456789abcdef0123456789abcdef0"));
        ck_assert(!bus_guid_is_valid(NULL));

        ck_assert_str_eq(bus_sasl_mechanism_to_string(BUS_SASL_MECHANISM_EXTERNAL), "EXTERNAL");
        ck_assert_str_eq(bus_sasl_mechanism_to_string(BUS_SASL_MECHANISM_ANONYMOUS), "ANONYMOUS");
        ck_assert_ptr_null(bus_sasl_mechanism_to_string(_BUS_SASL_MECHANISM_MAX));
        ck_assert_int_eq(bus_sasl_mechanism_from_string("ANONYMOUS"), BUS_SASL_MECHANISM_ANONYMOUS);
        ck_assert_int_eq(bus_sasl_mechanism_from_string("external"), _BUS_SASL_MECHANISM_INVALID);
        ck_assert_int_eq(bus_sasl_mechanism_from_string("DBUS_COOKIE_SHA1"),
                         _BUS_SASL_MECHANISM_INVALID);
}
END_TEST

/* ---- client ---- */

static BusSaslClient *client_new(BusSaslMechanism m, uid_t uid, bool fds, const char *guid) {
        BusSaslClientConfig config = {
                .mechanism = m,
                .uid = uid,
                .want_fds = fds,
                .expected_guid = guid,
        };
        BusSaslClient *c = NULL;

        ck_assert_int_eq(bus_sasl_client_new(&config, &c), 0);
        return c;
}

static void check_request(BusSaslClient *c, const char *expected, size_t n) {
        size_t size;
        const void *p = bus_sasl_client_peek_output(c, &size);

        ck_assert_uint_eq(size, n);
        ck_assert_mem_eq(p, expected, n);
}

#define CHECK_REQUEST(c, s) check_request(c, s, sizeof(s) - 1)

START_TEST(test_client_requests) {
        _cleanup_(bus_sasl_client_freep) BusSaslClient *a =
                client_new(BUS_SASL_MECHANISM_EXTERNAL, 1000, true, NULL);
        _cleanup_(bus_sasl_client_freep) BusSaslClient *b =
                client_new(BUS_SASL_MECHANISM_EXTERNAL, 0, false, NULL);
        _cleanup_(bus_sasl_client_freep) BusSaslClient *c =
                client_new(BUS_SASL_MECHANISM_EXTERNAL, UID_INVALID, true, NULL);
        _cleanup_(bus_sasl_client_freep) BusSaslClient *d =
                client_new(BUS_SASL_MECHANISM_ANONYMOUS, 0, false, NULL);
        BusSaslClientConfig bad = { .mechanism = _BUS_SASL_MECHANISM_MAX };
        BusSaslClient *e = NULL;
        size_t n;

        CHECK_REQUEST(a, "\0AUTH EXTERNAL 31303030\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n");
        CHECK_REQUEST(b, "\0AUTH EXTERNAL 30\r\nBEGIN\r\n");
        CHECK_REQUEST(c, "\0AUTH EXTERNAL\r\nDATA\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n");
        CHECK_REQUEST(d, "\0AUTH ANONYMOUS 616e6f6e796d6f7573\r\nBEGIN\r\n");
        bus_sasl_client_drain_output(a, 5);
        CHECK_REQUEST(a, " EXTERNAL 31303030\r\nNEGOTIATE_UNIX_FD\r\nBEGIN\r\n");
        bus_sasl_client_drain_output(a, 1000);
        ck_assert_ptr_nonnull(bus_sasl_client_peek_output(a, &n));
        ck_assert_uint_eq(n, 0);

        ck_assert_int_eq(bus_sasl_client_new(&bad, &e), -EINVAL);
        bad.mechanism = BUS_SASL_MECHANISM_EXTERNAL;
        bad.expected_guid = "xyz";
        ck_assert_int_eq(bus_sasl_client_new(&bad, &e), -EINVAL);
        ck_assert_ptr_null(e);
        ck_assert_ptr_null(bus_sasl_client_free(NULL));
}
END_TEST

/* Feeds the replies at once and split at every byte; both must give state, consumed, GUID
 * and fd agreement. */
static void check_client(BusSaslMechanism m, uid_t uid, bool fds, const char *expected_guid,
                         const char *replies, size_t n, BusSaslState state, size_t consumed,
                         bool agreed, const char *failure) {
        for (size_t k = 0; k <= n; k++) {
                _cleanup_(bus_sasl_client_freep) BusSaslClient *c =
                        client_new(m, uid, fds, expected_guid);
                size_t used = 0, u;
                BusSaslState st;

                st = bus_sasl_client_feed(c, replies, k, &u);
                used += u;
                if (st == BUS_SASL_IN_PROGRESS) {
                        st = bus_sasl_client_feed(c, replies + used, n - used, &u);
                        used += u;
                }
                ck_assert_int_eq(st, state);
                ck_assert_int_eq(bus_sasl_client_get_state(c), state);
                if (state != BUS_SASL_FAILED)
                        ck_assert_uint_eq(used, consumed);
                ck_assert_int_eq(bus_sasl_client_get_unix_fds(c), agreed);
                if (state == BUS_SASL_AUTHENTICATED)
                        ck_assert_str_eq(bus_sasl_client_get_server_guid(c), GUID);
                if (failure)
                        ck_assert_str_eq(bus_sasl_client_get_failure(c), failure);
                else
                        ck_assert_ptr_null(bus_sasl_client_get_failure(c));
        }
}

#define CLIENT(m, uid, fds, eguid, replies, state, consumed, agreed, failure)                   \
        check_client(m, uid, fds, eguid, replies, sizeof(replies) - 1, state, consumed, agreed, \
                     failure)
#define E BUS_SASL_MECHANISM_EXTERNAL
#define A BUS_SASL_MECHANISM_ANONYMOUS
#define DONE BUS_SASL_AUTHENTICATED
#define FAILED BUS_SASL_FAILED

START_TEST(test_client_replies) {
        static const char *const rejected = "Server rejected the authentication";
        static const char *const unexpected = "Server sent an unexpected authentication reply";

        /* OK at once (libdbus-style request), with and without fds; the message after stays */
        CLIENT(E, 1000, true, NULL, OK_LINE "AGREE_UNIX_FD\r\nl\4\1\1", DONE, 37 + 15, true, NULL);
        CLIENT(E, 1000, true, GUID, OK_LINE "ERROR \"no fds\"\r\n", DONE, 37 + 16, false, NULL);
        CLIENT(E, 1000, false, NULL, OK_LINE "l\4\1\1", DONE, 37, false, NULL);
        CLIENT(E, 1000, false, "0123456789ABCDEF0123456789ABCDEF",
               "OK 0123456789ABCDEF0123456789ABCDEF\r\n", DONE, 37, false, NULL);
        /* sd-bus-style request: DATA challenge first, or OK at once then the reply to our DATA */
        CLIENT(E, UID_INVALID, true, NULL, "DATA\r\n" OK_LINE "AGREE_UNIX_FD\r\n", DONE,
               6 + 37 + 15, true, NULL);
        CLIENT(E, UID_INVALID, true, NULL,
               OK_LINE "ERROR \"Sent DATA while expecting BEGIN\"\r\nAGREE_UNIX_FD\r\n", DONE,
               37 + 41 + 15, true, NULL);
        CLIENT(E, UID_INVALID, false, NULL, OK_LINE OK_LINE, DONE, 74, false, NULL);
        CLIENT(A, 0, false, NULL, OK_LINE, DONE, 37, false, NULL);

        /* refusals */
        CLIENT(E, 1000, true, NULL, "REJECTED EXTERNAL\r\n", FAILED, 0, false, rejected);
        CLIENT(E, UID_INVALID, true, NULL, "REJECTED EXTERNAL\r\n", FAILED, 0, false, rejected);
        CLIENT(E, UID_INVALID, true, NULL, "DATA\r\nREJECTED EXTERNAL\r\n", FAILED, 0, false,
               rejected);
        CLIENT(E, 1000, true, NULL, "ERROR \"Unknown command\"\r\n", FAILED, 0, false,
               "Server answered the authentication with an error");
        CLIENT(E, 1000, true, NULL, "DATA\r\n", FAILED, 0, false, unexpected);
        CLIENT(E, 1000, true, NULL, OK_LINE "OK " GUID "\r\n", FAILED, 0, false, unexpected);
        CLIENT(E, 1000, true, NULL, OK_LINE "BEGIN\r\n", FAILED, 0, false, unexpected);
        CLIENT(E, 1000, true, NULL, "HELLO\r\n", FAILED, 0, false, unexpected);
        CLIENT(E, 1000, true, NULL, "OK \xff\r\n", FAILED, 0, false,
               "Server sent a non-ASCII authentication reply");
        CLIENT(E, 1000, true, NULL, "OK 0123\r\n", FAILED, 0, false, "Server sent an invalid GUID");
        CLIENT(E, 1000, true, NULL, "OK 0123456789abcdef0123456789abcdeX\r\n", FAILED, 0, false,
               "Server sent an invalid GUID");
        CLIENT(E, 1000, true, NULL, "OK\r\n", FAILED, 0, false, "Server sent an invalid GUID");
        CLIENT(E, 1000, true, "00000000000000000000000000000000", OK_LINE, FAILED, 0, false,
               "Server GUID does not match the one in the address");
}
END_TEST

START_TEST(test_client_long_line) {
        static char big[BUS_SASL_LINE_MAX + 1];
        _cleanup_(bus_sasl_client_freep) BusSaslClient *c = client_new(E, 0, false, NULL);
        size_t used;

        memset(big, 'D', sizeof big);
        ck_assert_int_eq(bus_sasl_client_feed(c, big, BUS_SASL_LINE_MAX - 1, &used),
                         BUS_SASL_IN_PROGRESS);
        ck_assert_uint_eq(used, 0);
        ck_assert_int_eq(bus_sasl_client_feed(c, big, sizeof big, &used), BUS_SASL_FAILED);
        ck_assert_str_eq(bus_sasl_client_get_failure(c),
                         "Server sent an over-long authentication reply");
}
END_TEST

/* Our client against our server, in memory. */
static void client_meets_server(BusSaslMechanism m, uid_t claim, bool want_fds, unsigned mechs,
                                uid_t peer, bool fds, BusSaslState expected) {
        _cleanup_(bus_sasl_client_freep) BusSaslClient *c = client_new(m, claim, want_fds, GUID);
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = server_new(mechs, peer, fds);
        size_t n, used;
        const void *p;
        BusSaslState cs, ss;

        p = bus_sasl_client_peek_output(c, &n);
        ss = bus_sasl_server_feed(s, p, n, &used);
        p = bus_sasl_server_peek_output(s, &n);
        cs = bus_sasl_client_feed(c, p, n, &used);
        ck_assert_int_eq(cs, expected);
        if (expected == BUS_SASL_AUTHENTICATED) {
                ck_assert_int_eq(ss, BUS_SASL_AUTHENTICATED);
                ck_assert_uint_eq(used, n);
                ck_assert_int_eq(bus_sasl_client_get_unix_fds(c), want_fds && fds);
                ck_assert_int_eq(bus_sasl_server_get_unix_fds(s), want_fds && fds);
                ck_assert_int_eq(bus_sasl_server_get_mechanism(s), m);
                ck_assert_int_eq(bus_sasl_server_get_uid(s), m == E ? peer : UID_INVALID);
        } else
                ck_assert_int_eq(ss, BUS_SASL_FAILED); /* it saw BEGIN after REJECTED */
}

START_TEST(test_client_against_our_server) {
        for (int fds = 0; fds < 4; fds++) {
                client_meets_server(E, 1000, fds & 1, EXT, 1000, fds & 2, BUS_SASL_AUTHENTICATED);
                client_meets_server(E, UID_INVALID, fds & 1, EXT, 1000, fds & 2,
                                    BUS_SASL_AUTHENTICATED);
                client_meets_server(A, 0, fds & 1, EXT | ANON, 1000, fds & 2,
                                    BUS_SASL_AUTHENTICATED);
                client_meets_server(E, 0, fds & 1, EXT, 1000, fds & 2, BUS_SASL_FAILED);
                client_meets_server(A, 0, fds & 1, EXT, 1000, fds & 2, BUS_SASL_FAILED);
                client_meets_server(E, UID_INVALID, fds & 1, EXT, UID_INVALID, fds & 2,
                                    BUS_SASL_FAILED);
        }
}
END_TEST

/* ---- real programs over unix sockets ---- */

static bool have_program(const char *path) {
        if (access(path, X_OK) == 0)
                return true;
        fprintf(stderr, "SKIP: %s is not installed\n", path);
        return false;
}

/* Starts argv with stdin, stdout and stderr on /dev/null (stdout on out_fd if >= 0, moved to
 * fd 3 too when as_fd3). */
static pid_t spawn(char *const argv[], int out_fd, bool as_fd3) {
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR);

                dup2(null, 0);
                dup2(out_fd >= 0 && !as_fd3 ? out_fd : null, 1);
                if (!getenv("TEST_BUS_SASL_VERBOSE"))
                        dup2(null, 2);
                if (as_fd3 && out_fd == 3)
                        fcntl(3, F_SETFD, 0); /* dup2() onto itself would keep O_CLOEXEC */
                else if (as_fd3)
                        dup2(out_fd, 3);
                execv(argv[0], argv);
                _exit(127);
        }
        return pid;
}

static void reap(pid_t pid) {
        kill(pid, SIGKILL);
        ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}

static bool wait_readable(int fd) {
        struct pollfd p = { .fd = fd, .events = POLLIN };

        return poll(&p, 1, TIMEOUT_MS) == 1;
}

/* Appends what fd has to buf (up to cap); false on EOF, error or timeout. */
static bool read_more(int fd, char *buf, size_t *n, size_t cap) {
        ssize_t k;

        if (!wait_readable(fd))
                return false;
        k = read(fd, buf + *n, cap - *n);
        if (k <= 0)
                return false;
        *n += (size_t) k;
        return true;
}

static void write_all(int fd, const void *p, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, p, n);

                ck_assert_int_gt(k, 0);
                p = (const char *) p + k;
                n -= (size_t) k;
        }
}

/* Prints what one side sent, with C escapes (TEST_BUS_SASL_VERBOSE=1). */
static void dump(const char *who, const void *p, size_t n) {
        if (n == 0)
                return;
        fprintf(stderr, "  %s: \"", who);
        for (size_t i = 0; i < n; i++) {
                unsigned char c = ((const unsigned char *) p)[i];

                if (c == '\r')
                        fputs("\\r", stderr);
                else if (c == '\n')
                        fputs("\\n", stderr);
                else if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
                        fprintf(stderr, "\\x%02x", c);
                else
                        fputc(c, stderr);
        }
        fputs("\"\n", stderr);
}

/* Reads until buf[0..*n) starts with a complete message and parses it. */
static BusMessage *read_message(int fd, char *buf, size_t *n, size_t cap, size_t *ret_size) {
        BusMessage *m = NULL;
        const char *reason = NULL;
        size_t need = 0;

        for (;;) {
                ck_assert_int_eq(bus_message_size_needed(buf, *n, &need), 0);
                if (need > 0 && need <= *n)
                        break;
                ck_assert_msg(read_more(fd, buf, n, cap), "no complete message arrived");
        }
        ck_assert_msg(bus_message_from_wire(buf, need, 0, 0, &m, &reason) == 0,
                      "first message does not parse: %s", reason);
        *ret_size = need;
        return m;
}

/* Serves one real client on a socket in a temporary directory: our server authenticates it
 * (EXTERNAL with SO_PEERCRED, fds possible), then its first message must parse and fds must
 * have been agreed. */
static void serve_real_client(const char *name, char *const argv[], const char *sock) {
        static char buf[1 << 16];
        _cleanup_close_ int lfd = -EBADF, cfd = -EBADF;
        _cleanup_(bus_sasl_server_freep) BusSaslServer *s = NULL;
        _cleanup_(bus_message_freep) BusMessage *m = NULL;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        struct ucred cred;
        socklen_t len = sizeof cred;
        size_t n = 0, used, out_n, size;
        BusSaslState st = BUS_SASL_IN_PROGRESS;
        const void *out;
        pid_t pid;

        if (!have_program(argv[0]))
                return;
        ck_assert_uint_lt(strlen(sock), sizeof sa.sun_path);
        memcpy(sa.sun_path, sock, strlen(sock));
        lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ck_assert_int_ge(lfd, 0);
        ck_assert_int_eq(bind(lfd, (struct sockaddr *) &sa, sizeof sa), 0);
        ck_assert_int_eq(listen(lfd, 4), 0);

        pid = spawn(argv, -1, false);
        ck_assert_msg(wait_readable(lfd), "%s did not connect", name);
        cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        ck_assert_int_ge(cfd, 0);
        ck_assert_int_eq(getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len), 0);
        s = server_new(EXT, cred.uid, true);

        while (st == BUS_SASL_IN_PROGRESS) {
                size_t before = n;

                ck_assert_msg(read_more(cfd, buf, &n, sizeof buf), "%s stopped authenticating",
                              name);
                if (getenv("TEST_BUS_SASL_VERBOSE"))
                        dump("client", buf + before, n - before);
                do {
                        st = bus_sasl_server_feed(s, buf, n, &used);
                        memmove(buf, buf + used, n - used);
                        n -= used;
                        out = bus_sasl_server_peek_output(s, &out_n);
                        if (getenv("TEST_BUS_SASL_VERBOSE"))
                                dump("server", out, out_n);
                        write_all(cfd, out, out_n);
                        bus_sasl_server_drain_output(s, out_n);
                } while (used > 0 && st == BUS_SASL_IN_PROGRESS);
        }
        ck_assert_msg(st == BUS_SASL_AUTHENTICATED, "%s: %s", name, bus_sasl_server_get_failure(s));
        ck_assert_int_eq(bus_sasl_server_get_uid(s), cred.uid);
        ck_assert_msg(bus_sasl_server_get_unix_fds(s), "%s did not get fd passing", name);

        /* whatever came behind BEGIN, and what follows, is one well-formed message */
        m = read_message(cfd, buf, &n, sizeof buf, &size);
        ck_assert_int_eq(bus_message_get_type(m), BUS_MESSAGE_METHOD_CALL);
        fprintf(stderr, "real client %s authenticated, then called %s.%s\n", name,
                bus_message_get_string_field(m, BUS_FIELD_INTERFACE),
                bus_message_get_string_field(m, BUS_FIELD_MEMBER));
        reap(pid);
        ck_assert_int_eq(unlink(sock), 0);
}

START_TEST(test_real_clients) {
        char dir[] = "/tmp/test-bus-sasl-XXXXXX", sock[64], address[96], peer[96];

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(sock, sizeof sock, "%s/bus", dir);
        snprintf(address, sizeof address, "unix:path=%s", sock);
        snprintf(peer, sizeof peer, "--peer=unix:path=%s", sock);
        {
                /* sd-bus, pipelined: AUTH EXTERNAL, DATA, NEGOTIATE_UNIX_FD, BEGIN at once */
                char *argv[] = { "/usr/bin/busctl",
                                 "--address",
                                 address,
                                 "call",
                                 "org.freedesktop.DBus",
                                 "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus",
                                 "GetId",
                                 NULL };
                serve_real_client("busctl (sd-bus)", argv, sock);
        }
        {
                char *argv[] = { "/usr/bin/gdbus",
                                 "call",
                                 "--address",
                                 address,
                                 "--object-path",
                                 "/",
                                 "--method",
                                 "org.freedesktop.DBus.Peer.Ping",
                                 NULL };
                serve_real_client("gdbus (GDBus)", argv, sock);
        }
        {
                /* libdbus: one command at a time */
                char *argv[] = { "/usr/bin/dbus-send",
                                 peer,
                                 "--print-reply",
                                 "/",
                                 "org.freedesktop.DBus.Peer.Ping",
                                 NULL };
                serve_real_client("dbus-send (libdbus)", argv, sock);
        }
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ---- our client against a private dbus-daemon ---- */

typedef struct Daemon {
        char dir[64];
        char path[128];
        char guid[BUS_GUID_STRING_SIZE];
        pid_t pid;
} Daemon;

static void daemon_start(Daemon *d) {
        char conf[128], listen_line[256], line[512] = {};
        char *argv[] = { (char *) "/usr/bin/dbus-daemon", NULL, (char *) "--nofork",
                         (char *) "--print-address=3", NULL };
        _cleanup_fclose_ FILE *f = NULL;
        int p[2];
        size_t n = 0;
        const char *a, *g;

        strcpy(d->dir, "/tmp/test-bus-sasl-daemon-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(d->dir));
        snprintf(conf, sizeof conf, "--config-file=%s/bus.conf", d->dir);
        f = fopen(conf + strlen("--config-file="), "we");
        ck_assert_ptr_nonnull(f);
        snprintf(listen_line, sizeof listen_line, "  <listen>unix:tmpdir=%s</listen>\n", d->dir);
        fputs("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
              " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
              "<busconfig>\n  <type>session</type>\n",
              f);
        fputs(listen_line, f);
        fputs("  <auth>EXTERNAL</auth>\n"
              "  <policy context=\"default\">\n"
              "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
              "    <allow eavesdrop=\"true\"/>\n"
              "    <allow own=\"*\"/>\n"
              "  </policy>\n</busconfig>\n",
              f);
        ck_assert_int_eq(fflush(f), 0);
        argv[1] = conf;

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        d->pid = spawn(argv, p[1], true);
        close(p[1]);
        while (!memchr(line, '\n', n))
                ck_assert_msg(read_more(p[0], line, &n, sizeof line - 1),
                              "dbus-daemon printed no address");
        close(p[0]);
        /* unix:path=DIR/dbus-XXXXXXXXXX,guid=<32 hex> */
        a = strstr(line, "path=");
        g = strstr(line, ",guid=");
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(g);
        snprintf(d->path, sizeof d->path, "%.*s", (int) (g - a - 5), a + 5);
        snprintf(d->guid, sizeof d->guid, "%s", g + 6);
        ck_assert(bus_guid_is_valid(d->guid));
}

static void daemon_stop(Daemon *d) {
        char conf[128];

        kill(d->pid, SIGTERM);
        ck_assert_int_eq(waitpid(d->pid, NULL, 0), d->pid);
        unlink(d->path);
        snprintf(conf, sizeof conf, "%s/bus.conf", d->dir);
        unlink(conf);
        ck_assert_int_eq(rmdir(d->dir), 0);
}

static int daemon_connect(const Daemon *d) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        ck_assert_int_ge(fd, 0);
        ck_assert_uint_lt(strlen(d->path), sizeof sa.sun_path);
        memcpy(sa.sun_path, d->path, strlen(d->path));
        ck_assert_int_eq(connect(fd, (struct sockaddr *) &sa, sizeof sa), 0);
        return fd;
}

static void hello_wire(BusMessage **ret, const void **wire, size_t *size) {
        BusMessage *m = NULL;

        ck_assert_int_eq(bus_message_new(BUS_MESSAGE_METHOD_CALL, 0, &m), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_PATH, "/org/freedesktop/DBus"),
                         0);
        ck_assert_int_eq(
                bus_message_set_string_field(m, BUS_FIELD_INTERFACE, "org.freedesktop.DBus"), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_MEMBER, "Hello"), 0);
        ck_assert_int_eq(
                bus_message_set_string_field(m, BUS_FIELD_DESTINATION, "org.freedesktop.DBus"), 0);
        ck_assert_int_eq(bus_message_seal(m, 1), 0);
        ck_assert_int_eq(bus_message_get_wire(m, wire, size), 0);
        *ret = m;
}

/* Authenticates with our client (the request, and Hello right behind BEGIN when pipelined),
 * then expects the unique name in the reply. Returns the client's final state. */
static BusSaslState client_meets_daemon(const Daemon *d, BusSaslMechanism m, uid_t uid,
                                        bool pipeline_hello) {
        static char buf[1 << 16];
        _cleanup_close_ int fd = daemon_connect(d);
        _cleanup_(bus_sasl_client_freep) BusSaslClient *c = client_new(m, uid, true, d->guid);
        _cleanup_(bus_message_freep) BusMessage *hello = NULL, *reply = NULL;
        const void *out, *wire;
        size_t n = 0, out_n, wire_n, used, size;
        BusSaslState st = BUS_SASL_IN_PROGRESS;
        const char *name;

        hello_wire(&hello, &wire, &wire_n);
        out = bus_sasl_client_peek_output(c, &out_n);
        write_all(fd, out, out_n);
        bus_sasl_client_drain_output(c, out_n);
        if (pipeline_hello)
                write_all(fd, wire, wire_n);
        while (st == BUS_SASL_IN_PROGRESS) {
                if (!read_more(fd, buf, &n, sizeof buf))
                        break; /* the daemon hung up: the client must have failed */
                st = bus_sasl_client_feed(c, buf, n, &used);
                memmove(buf, buf + used, n - used);
                n -= used;
        }
        if (st != BUS_SASL_AUTHENTICATED)
                return st;

        ck_assert(bus_sasl_client_get_unix_fds(c));
        ck_assert_str_eq(bus_sasl_client_get_server_guid(c), d->guid);
        if (!pipeline_hello)
                write_all(fd, wire, wire_n);
        reply = read_message(fd, buf, &n, sizeof buf, &size);
        ck_assert_int_eq(bus_message_get_type(reply), BUS_MESSAGE_METHOD_RETURN);
        ck_assert_int_eq(bus_message_get_reply_serial(reply), 1);
        ck_assert_int_eq(bus_message_read_basic(reply, 's', &name), 1);
        ck_assert_msg(startswith(name, ":1."), "unique name %s", name);
        return st;
}

START_TEST(test_client_against_dbus_daemon) {
        Daemon d;

        if (!have_program("/usr/bin/dbus-daemon"))
                return;
        daemon_start(&d);
        /* libdbus's way: the uid as initial response; Hello after or right behind BEGIN */
        ck_assert_int_eq(client_meets_daemon(&d, E, getuid(), false), BUS_SASL_AUTHENTICATED);
        ck_assert_int_eq(client_meets_daemon(&d, E, getuid(), true), BUS_SASL_AUTHENTICATED);
        /* sd-bus's way: no uid, DATA challenge, the socket's credentials */
        ck_assert_int_eq(client_meets_daemon(&d, E, UID_INVALID, true), BUS_SASL_AUTHENTICATED);
        /* refused: another uid, and ANONYMOUS where <auth>EXTERNAL</auth> */
        ck_assert_int_eq(client_meets_daemon(&d, E, getuid() + 1, false), BUS_SASL_FAILED);
        ck_assert_int_eq(client_meets_daemon(&d, A, 0, false), BUS_SASL_FAILED);
        daemon_stop(&d);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-sasl");
        TCase *tc = tcase_create("core");
        TCase *real = tcase_create("real");

        tcase_add_test(tc, test_server_sd_bus_pipelined);
        tcase_add_test(tc, test_server_libdbus_style);
        tcase_add_test(tc, test_server_external);
        tcase_add_test(tc, test_server_commands_per_state);
        tcase_add_test(tc, test_server_unix_fds);
        tcase_add_test(tc, test_server_anonymous);
        tcase_add_test(tc, test_server_failures);
        tcase_add_test(tc, test_server_output_backpressure);
        tcase_add_test(tc, test_server_split_anywhere);
        tcase_add_test(tc, test_server_config);
        tcase_add_test(tc, test_guid_and_names);
        tcase_add_test(tc, test_client_requests);
        tcase_add_test(tc, test_client_replies);
        tcase_add_test(tc, test_client_long_line);
        tcase_add_test(tc, test_client_against_our_server);
        suite_add_tcase(s, tc);
        tcase_add_test(real, test_real_clients);
        tcase_add_test(real, test_client_against_dbus_daemon);
        suite_add_tcase(s, real);
        return s;
}

TEST_MAIN(make_suite)
