/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus: connections of the D-Bus library. A server Bus runs in a forked child on its own
 * event loop; the test is its client on the other end of a socketpair. Calls and replies,
 * errors, properties, timeouts, signals through matches (and not dispatched inside a blocking
 * call), fd passing both ways, a server that dies mid-call; then transport-level cases: the
 * outgoing queue limit, a peer that disappears while we write, and a peer that sends an
 * invalid message, which loses its own connection and nobody else's.
 */

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus/bus-object.h"
#include "bus/bus.h"
#include "fd-util.h"
#include "string-util.h"
#include "strv.h"
#include "test-helpers.h"

#define GUID "00112233445566778899aabbccddeeff"

/* ---- the server (child process) ---- */

static int m_echo(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        const char *s;
        int r;

        r = bus_message_read(m, "s", &s);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        return bus_reply(bus, m, "s", s);
}

static int m_silent(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        return 0; /* never replies */
}

static int m_fail(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        return bus_error_setf(error, "org.example.Error.Nope", "no %s", "way");
}

static int m_errno(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        return -ENOENT;
}

static int m_fd_in(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        char buf[64] = {};
        int fd, r;

        r = bus_message_read(m, "h", &fd);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        if (read(fd, buf, sizeof(buf) - 1) < 0)
                return -errno;
        return bus_reply(bus, m, "s", buf);
}

static int m_fd_out(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        int p[2], r;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        if (write(p[1], "from the server", 15) != 15)
                return -EIO;
        close(p[1]);
        r = bus_reply(bus, m, "h", p[0]);
        close(p[0]);
        return r;
}

/* Emits Other and Ping, then replies: the signals arrive before the reply. */
static int m_signal(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        int r;

        r = bus_emit_signal(bus, "/t", "org.example.T", "Other", "s", "ignored");
        if (r >= 0)
                r = bus_emit_signal(bus, "/t", "org.example.T", "Ping", "s", "pong");
        if (r < 0)
                return r;
        return bus_reply(bus, m, NULL);
}

static const BusVtable vtable[] = {
        BUS_VTABLE_START(0),
        BUS_METHOD("Echo", "s", "s", m_echo, 0),
        BUS_METHOD("Silent", "", "", m_silent, 0),
        BUS_METHOD("Fail", "", "", m_fail, 0),
        BUS_METHOD("Errno", "", "", m_errno, 0),
        BUS_METHOD("FdIn", "h", "s", m_fd_in, 0),
        BUS_METHOD("FdOut", "", "h", m_fd_out, 0),
        BUS_METHOD("Signal", "", "", m_signal, 0),
        BUS_SIGNAL("Ping", "s", 0),
        BUS_PROPERTY("U", "u", bus_property_get_uint32, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_VTABLE_END,
};

static void server_gone(Bus *b, void *userdata) {
        (void) event_exit(bus_get_event(b), 0);
}

static _noreturn_ void run_server(int fd) {
        static uint32_t u = 7;
        Event *e = NULL;
        Bus *b = NULL;

        if (event_new(&e) < 0 || bus_new_server(e, fd, GUID, true, &b) < 0 ||
            bus_add_object_vtable(b, NULL, "/t", "org.example.T", vtable, &u) < 0)
                _exit(1);
        bus_set_disconnected_handler(b, server_gone, NULL);
        (void) event_loop(e);
        bus_unref(b);
        event_unref(e);
        _exit(0);
}

typedef struct Pair {
        Event *e;
        Bus *client;
        pid_t server;
} Pair;

static void pair_init(Pair *p) {
        int sv[2];

        *p = (Pair) {};
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        p->server = fork();
        ck_assert_int_ge(p->server, 0);
        if (p->server == 0) {
                close(sv[1]);
                run_server(sv[0]);
        }
        close(sv[0]);
        ck_assert_int_eq(event_new(&p->e), 0);
        ck_assert_int_eq(bus_new_client_fd(p->e, sv[1], false, &p->client), 0);
}

static void pair_done(Pair *p) {
        int status;

        p->client = bus_unref(p->client); /* the server exits when we go */
        ck_assert_int_eq(waitpid(p->server, &status, 0), p->server);
        ck_assert(WIFEXITED(status) || WIFSIGNALED(status));
        event_unref(p->e);
}

static int call(Pair *p, const char *member, BusError *error, BusMessage **reply, const char *types, ...) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        ck_assert_int_eq(bus_message_new_method_call(NULL, "/t", "org.example.T", member, &m), 0);
        if (types) {
                va_list ap;

                va_start(ap, types);
                r = bus_message_appendv(m, types, ap);
                va_end(ap);
                ck_assert_int_eq(r, 0);
        }
        return bus_call(p->client, m, 5 * USEC_PER_SEC, error, reply);
}

START_TEST(test_calls_and_errors) {
        Pair p;

        pair_init(&p);
        {
                _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
                const char *s;

                ck_assert_int_eq(call(&p, "Echo", NULL, &reply, "s", "hello"), 0);
                ck_assert_int_eq(bus_message_read(reply, "s", &s), 1);
                ck_assert_str_eq(s, "hello");
        }
        {
                _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

                ck_assert_int_eq(call(&p, "Fail", &e, NULL, NULL), -EIO);
                ck_assert_str_eq(e.name, "org.example.Error.Nope");
                ck_assert_str_eq(e.message, "no way");
        }
        {
                _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

                ck_assert_int_eq(call(&p, "Errno", &e, NULL, NULL), -ENOENT);
                ck_assert_str_eq(e.name, BUS_ERROR_FILE_NOT_FOUND);
        }
        {
                _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

                ck_assert_int_eq(call(&p, "Echo", &e, NULL, "u", 5), -EINVAL);
                ck_assert_str_eq(e.name, BUS_ERROR_INVALID_ARGS);
                ck_assert_str_eq(e.message, "Invalid arguments 'u' to call org.example.T.Echo(), expecting 's'.");
        }
        {
                _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

                ck_assert_int_eq(call(&p, "Nope", &e, NULL, NULL), -EBADR);
                ck_assert_str_eq(e.name, BUS_ERROR_UNKNOWN_METHOD);
                ck_assert_str_eq(e.message, "Unknown method Nope or interface org.example.T.");
        }
        {
                _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

                ck_assert_int_eq(bus_call_method(p.client, NULL, "/elsewhere", "org.example.T", "Echo", &e,
                                                 NULL, "s", "x"), -EBADR);
                ck_assert_str_eq(e.name, BUS_ERROR_UNKNOWN_OBJECT);
                ck_assert_str_eq(e.message, "Unknown object '/elsewhere'.");
        }
        {
                _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
                uint32_t u = 0;

                ck_assert_int_eq(bus_call_method(p.client, NULL, "/t", "org.freedesktop.DBus.Properties", "Get",
                                                 NULL, &reply, "ss", "org.example.T", "U"), 0);
                ck_assert_int_eq(bus_message_read(reply, "v", "u", &u), 1);
                ck_assert_uint_eq(u, 7);
        }
        {
                _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
                const char *xml;

                ck_assert_int_eq(bus_call_method(p.client, NULL, "/t", "org.freedesktop.DBus.Introspectable",
                                                 "Introspect", NULL, &reply, NULL), 0);
                ck_assert_int_eq(bus_message_read(reply, "s", &xml), 1);
                ck_assert_ptr_nonnull(strstr(xml, "<method name=\"FdOut\">\n   <arg type=\"h\" direction=\"out\"/>"));
                ck_assert_ptr_nonnull(strstr(xml, "<property name=\"U\" type=\"u\" access=\"read\">"));
        }
        pair_done(&p);
}
END_TEST

static bool got_reply;
static char *reply_error_name;

static int on_reply(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        got_reply = true;
        free(reply_error_name);
        reply_error_name = bus_error_is_set(error) ? strdup(error->name) : NULL;
        return 0;
}

static void run_until(Pair *p, const bool *flag) {
        usec_t deadline = now(CLOCK_MONOTONIC) + 5 * USEC_PER_SEC;

        while (!*flag && now(CLOCK_MONOTONIC) < deadline)
                ck_assert_int_ge(event_run(p->e, 100 * USEC_PER_MSEC), 0);
        ck_assert(*flag);
}

START_TEST(test_async_and_timeout) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL, *m2 = NULL;
        Pair p;

        pair_init(&p);
        ck_assert_int_eq(bus_message_new_method_call(NULL, "/t", "org.example.T", "Echo", &m), 0);
        ck_assert_int_eq(bus_message_append(m, "s", "x"), 0);
        got_reply = false;
        ck_assert_int_eq(bus_call_async(p.client, NULL, m, on_reply, NULL, 0), 0);
        run_until(&p, &got_reply);
        ck_assert_ptr_null(reply_error_name);

        ck_assert_int_eq(bus_message_new_method_call(NULL, "/t", "org.example.T", "Silent", &m2), 0);
        got_reply = false;
        ck_assert_int_eq(bus_call_async(p.client, NULL, m2, on_reply, NULL, 200 * USEC_PER_MSEC), 0);
        run_until(&p, &got_reply);
        ck_assert_str_eq(reply_error_name, BUS_ERROR_NO_REPLY);
        reply_error_name = mfree(reply_error_name);
        pair_done(&p);
}
END_TEST

static unsigned n_signals;
static char *signal_text;

static int on_signal(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        const char *s;

        if (bus_message_read(m, "s", &s) > 0) {
                free(signal_text);
                signal_text = strdup(s);
        }
        n_signals++;
        return 0;
}

START_TEST(test_signals_through_matches) {
        Pair p;

        pair_init(&p);
        ck_assert_int_eq(bus_add_match(p.client, NULL, "type='signal',interface='org.example.T',member='Ping'",
                                       on_signal, NULL), 0);
        ck_assert_int_eq(bus_add_match(p.client, NULL, "type='signal',member='Ping',arg0='other'",
                                       on_signal, NULL), 0);
        ck_assert_int_eq(bus_add_match(p.client, NULL, "type='signal',bogus='x'", on_signal, NULL), -EINVAL);
        n_signals = 0;
        /* The signals come before the reply, while bus_call() blocks: they are queued, not
         * dispatched inside the call... */
        ck_assert_int_eq(call(&p, "Signal", NULL, NULL, NULL), 0);
        ck_assert_uint_eq(n_signals, 0);
        /* ...and dispatched by the loop afterwards, each to the matches it satisfies */
        for (int i = 0; i < 20 && n_signals == 0; i++)
                ck_assert_int_ge(event_run(p.e, 100 * USEC_PER_MSEC), 0);
        for (int i = 0; i < 5; i++)
                ck_assert_int_ge(event_run(p.e, 10 * USEC_PER_MSEC), 0);
        ck_assert_uint_eq(n_signals, 1);
        ck_assert_str_eq(signal_text, "pong");
        signal_text = mfree(signal_text);
        pair_done(&p);
}
END_TEST

START_TEST(test_fds_both_ways) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL, *reply2 = NULL;
        const char *s;
        char buf[32] = {};
        int pp[2], fd;
        Pair p;

        pair_init(&p);
        ck_assert_int_eq(pipe2(pp, O_CLOEXEC), 0);
        ck_assert_int_eq(write(pp[1], "to the server", 13), 13);
        close(pp[1]);
        ck_assert_int_eq(call(&p, "FdIn", NULL, &reply, "h", pp[0]), 0);
        close(pp[0]);
        ck_assert(bus_transport_can_pass_fds(bus_get_transport(p.client)));
        ck_assert_int_eq(bus_message_read(reply, "s", &s), 1);
        ck_assert_str_eq(s, "to the server");

        ck_assert_int_eq(call(&p, "FdOut", NULL, &reply2, NULL), 0);
        ck_assert_int_eq(bus_message_read(reply2, "h", &fd), 1);
        ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 15);
        ck_assert_str_eq(buf, "from the server");
        pair_done(&p);
}
END_TEST

static bool disconnected;

static void on_disconnect(Bus *b, void *userdata) {
        disconnected = true;
}

START_TEST(test_server_dies_mid_call) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int status;
        Pair p;

        pair_init(&p);
        bus_set_disconnected_handler(p.client, on_disconnect, NULL);
        disconnected = false;
        ck_assert_int_eq(bus_message_new_method_call(NULL, "/t", "org.example.T", "Silent", &m), 0);
        got_reply = false;
        ck_assert_int_eq(bus_call_async(p.client, NULL, m, on_reply, NULL, 0), 0);
        ck_assert_int_eq(kill(p.server, SIGKILL), 0);
        run_until(&p, &got_reply);
        ck_assert_str_eq(reply_error_name, BUS_ERROR_NO_REPLY);
        reply_error_name = mfree(reply_error_name);
        ck_assert(disconnected);
        ck_assert(!bus_is_open(p.client));
        ck_assert_int_eq(bus_send(p.client, m, NULL), -ENOTCONN);
        ck_assert_int_eq(waitpid(p.server, &status, 0), p.server);
        p.client = bus_unref(p.client);
        event_unref(p.e);
}
END_TEST

/* ---- transport level ---- */

typedef struct Peer {
        BusTransport *t;
        bool ready, gone;
        bool pause_after_first; /* turn reading off from the first message's callback */
        int error;
        const char *reason;
        unsigned messages;
} Peer;

static int peer_message(BusTransport *t, BusMessage *m, void *userdata) {
        Peer *p = userdata;

        p->messages++;
        if (p->pause_after_first && p->messages == 1)
                (void) bus_transport_set_reading(t, false);
        bus_message_unref(m);
        return 0;
}

static int peer_ready(BusTransport *t, void *userdata) {
        ((Peer *) userdata)->ready = true;
        return 0;
}

static void peer_disconnected(BusTransport *t, int error, const char *reason, void *userdata) {
        Peer *p = userdata;

        p->gone = true;
        p->error = error;
        p->reason = reason;
}

static const BusTransportCallbacks peer_callbacks = {
        .message = peer_message,
        .ready = peer_ready,
        .disconnected = peer_disconnected,
};

/* A server transport on one end; the other end authenticates by hand and is returned. */
static int raw_client(Event *e, Peer *server, size_t max_out) {
        BusTransportConfig config = {
                .role = BUS_TRANSPORT_SERVER,
                .guid = GUID,
                .max_outgoing_bytes = max_out,
        };
        char hello[64], buf[128] = {}, uid[16], hex[40] = {};
        int sv[2], n;

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        ck_assert_int_eq(bus_transport_new(e, sv[0], &config, &peer_callbacks, server, &server->t), 0);
        /* libdbus's way: the uid as hex of its decimal digits ("30" for uid 0) */
        n = snprintf(uid, sizeof(uid), "%u", (unsigned) geteuid());
        for (int i = 0; i < n; i++)
                sprintf(hex + 2 * i, "%02x", (unsigned char) uid[i]);
        n = snprintf(hello, sizeof(hello), "%cAUTH EXTERNAL %s\r\nBEGIN\r\n", 0, hex);
        ck_assert_int_eq(write(sv[1], hello, (size_t) n), n);
        for (int i = 0; i < 50 && !server->ready; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        ck_assert(server->ready);
        ck_assert_int_gt(read(sv[1], buf, sizeof(buf)), 0);
        ck_assert(startswith(buf, "OK " GUID "\r\n"));
        return sv[1];
}

static BusMessage *make_signal(size_t payload);

/* Flow control: a receiver that stops reading in its callback gets no further message, even
 * ones already in the buffer, until it turns reading back on. */
START_TEST(test_reading_paused_and_resumed) {
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_(bus_message_unrefp) BusMessage *m = make_signal(100);
        Peer a = { .pause_after_first = true };
        const void *wire;
        size_t size;
        uint8_t *three;
        int fa;

        ck_assert_int_eq(event_new(&e), 0);
        fa = raw_client(e, &a, 0);
        ck_assert_int_eq(bus_message_get_wire(m, &wire, &size), 0);
        three = malloc(3 * size);
        for (int i = 0; i < 3; i++)
                memcpy(three + i * size, wire, size);
        ck_assert_int_eq(write(fa, three, 3 * size), (ssize_t) (3 * size));
        for (int i = 0; i < 20; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        ck_assert_uint_eq(a.messages, 1);
        ck_assert_int_eq(bus_transport_set_reading(a.t, true), 0);
        for (int i = 0; i < 20 && a.messages < 3; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        ck_assert_uint_eq(a.messages, 3);
        ck_assert(!a.gone);
        free(three);
        close(fa);
        bus_transport_unref(a.t);
}
END_TEST

START_TEST(test_peer_credentials) {
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_close_ int fd = -EBADF;
        Peer a = {};
        const gid_t *groups;
        gid_t mine[256];
        size_t n;
        pid_t pid;
        uid_t uid;
        gid_t gid;
        int k;

        ck_assert_int_eq(event_new(&e), 0);
        fd = raw_client(e, &a, 0);
        ck_assert_int_eq(bus_transport_get_peer_creds(a.t, &pid, &uid, &gid), 0);
        ck_assert_int_eq(pid, getpid());
        ck_assert_uint_eq(uid, geteuid());
        ck_assert_uint_eq(gid, getegid());
        ck_assert_uint_eq(bus_transport_get_auth_uid(a.t), geteuid());
        ck_assert_int_eq(bus_transport_get_peer_groups(a.t, &groups, &n), 0);
        k = getgroups(ELEMENTSOF(mine), mine);
        ck_assert_int_ge(k, 0);
        ck_assert_uint_eq(n, (size_t) k);
        for (size_t i = 0; i < n; i++)
                ck_assert_uint_eq(groups[i], mine[i]);
        bus_transport_unref(a.t);
}
END_TEST

static BusMessage *make_signal(size_t payload) {
        _cleanup_free_ char *s = malloc(payload + 1);
        BusMessage *m = NULL;

        ck_assert_ptr_nonnull(s);
        memset(s, 'x', payload);
        s[payload] = 0;
        ck_assert_int_eq(bus_message_new_signal("/t", "org.example.T", "Big", &m), 0);
        ck_assert_int_eq(bus_message_append(m, "s", s), 0);
        ck_assert_int_eq(bus_message_seal(m, 1), 0);
        return m;
}

START_TEST(test_outgoing_queue_limit) {
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_(bus_message_unrefp) BusMessage *m = make_signal(64 * 1024);
        _cleanup_close_ int fd = -EBADF;
        Peer server = {};
        int r = 0, sent = 0;

        ck_assert_int_eq(event_new(&e), 0);
        fd = raw_client(e, &server, 1024 * 1024);
        /* the client never reads: the socket buffer fills, then our queue, then the limit */
        for (int i = 0; i < 1000 && r == 0; i++)
                if ((r = bus_transport_send(server.t, m)) == 0)
                        sent++;
        ck_assert_int_eq(r, -ENOBUFS);
        ck_assert_int_gt(sent, 1);
        ck_assert_uint_le(bus_transport_get_outgoing_bytes(server.t), 1024 * 1024);
        ck_assert(!server.gone); /* a full queue is the sender's problem, not a disconnection */
        bus_transport_unref(server.t);
}
END_TEST

/* A corked transport only queues; uncorking writes everything queued meanwhile, in order. */
START_TEST(test_cork_queues_until_uncorked) {
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_(bus_message_unrefp) BusMessage *m = make_signal(100);
        _cleanup_close_ int fd = -EBADF;
        Peer server = {};
        const void *wire;
        size_t size;
        uint8_t buf[4096];
        ssize_t n;

        ck_assert_int_eq(event_new(&e), 0);
        fd = raw_client(e, &server, 0);
        ck_assert_int_eq(bus_message_get_wire(m, &wire, &size), 0);
        bus_transport_cork(server.t, true);
        for (int i = 0; i < 3; i++)
                ck_assert_int_eq(bus_transport_send(server.t, m), 0);
        ck_assert_int_eq(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), -1);
        ck_assert_int_eq(errno, EAGAIN);
        ck_assert_uint_eq(bus_transport_get_outgoing_bytes(server.t), 3 * size);
        bus_transport_cork(server.t, false);
        ck_assert_uint_eq(bus_transport_get_outgoing_bytes(server.t), 0);
        n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
        ck_assert_int_eq(n, (ssize_t) (3 * size));
        for (int i = 0; i < 3; i++)
                ck_assert_mem_eq(buf + i * size, wire, size);
        ck_assert(!server.gone);
        bus_transport_unref(server.t);
}
END_TEST

START_TEST(test_peer_gone_mid_write) {
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_(bus_message_unrefp) BusMessage *m = make_signal(256 * 1024);
        Peer a = {}, b = {};
        int fa, fb;

        ck_assert_int_eq(event_new(&e), 0);
        fa = raw_client(e, &a, 0);
        fb = raw_client(e, &b, 0);
        ck_assert_int_eq(bus_transport_send(a.t, m), 0); /* more than the socket buffer */
        ck_assert_int_eq(bus_transport_send(b.t, m), 0);
        close(fa); /* a's client goes away with most of the message unread */
        for (int i = 0; i < 50 && !a.gone; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        ck_assert(a.gone); /* and no SIGPIPE killed us */
        ck_assert(!b.gone);
        ck_assert_int_eq(bus_transport_send(a.t, m), -ENOTCONN);
        /* b still gets everything */
        {
                size_t total = 0, want;
                const void *wire;
                char buf[65536];

                ck_assert_int_eq(bus_message_get_wire(m, &wire, &want), 0);
                while (total < want) {
                        ssize_t n;

                        (void) event_run(e, 0);
                        n = recv(fb, buf, sizeof(buf), MSG_DONTWAIT);
                        if (n > 0)
                                total += (size_t) n;
                        else
                                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
                }
                ck_assert_uint_eq(total, want);
        }
        ck_assert(!b.gone);
        close(fb);
        bus_transport_unref(a.t);
        bus_transport_unref(b.t);
}
END_TEST

START_TEST(test_invalid_message_disconnects_only_its_sender) {
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_(bus_message_unrefp) BusMessage *good = make_signal(10);
        Peer a = {}, b = {};
        const void *wire;
        size_t size;
        uint8_t *bad;
        int fa, fb;

        ck_assert_int_eq(event_new(&e), 0);
        fa = raw_client(e, &a, 0);
        fb = raw_client(e, &b, 0);
        ck_assert_int_eq(bus_message_get_wire(good, &wire, &size), 0);
        bad = malloc(size);
        memcpy(bad, wire, size);
        bad[size - 2] = 0xff; /* invalid UTF-8 inside the string */
        ck_assert_int_eq(write(fa, bad, size), (ssize_t) size);
        ck_assert_int_eq(write(fb, wire, size), (ssize_t) size);
        for (int i = 0; i < 50 && !(a.gone && b.messages); i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        ck_assert(a.gone);
        ck_assert_int_lt(a.error, 0);
        ck_assert_ptr_nonnull(a.reason);
        ck_assert_uint_eq(a.messages, 0);
        ck_assert(!b.gone);
        ck_assert_uint_eq(b.messages, 1);
        free(bad);
        close(fa);
        close(fb);
        bus_transport_unref(a.t);
        bus_transport_unref(b.t);
}
END_TEST

START_TEST(test_messages_split_and_pipelined) {
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_(bus_message_unrefp) BusMessage *m = make_signal(3000);
        Peer a = {};
        const void *wire;
        size_t size;
        uint8_t *two;
        int fa;

        ck_assert_int_eq(event_new(&e), 0);
        fa = raw_client(e, &a, 0);
        ck_assert_int_eq(bus_message_get_wire(m, &wire, &size), 0);
        two = malloc(2 * size);
        memcpy(two, wire, size);
        memcpy(two + size, wire, size);
        /* byte by byte for the first message, then the rest in one go */
        for (size_t i = 0; i < size; i++) {
                ck_assert_int_eq(write(fa, two + i, 1), 1);
                if (i % 97 == 0)
                        ck_assert_int_ge(event_run(e, 0), 0);
        }
        ck_assert_int_eq(write(fa, two + size, size), (ssize_t) size);
        for (int i = 0; i < 50 && a.messages < 2; i++)
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        ck_assert_uint_eq(a.messages, 2);
        ck_assert(!a.gone);
        free(two);
        close(fa);
        bus_transport_unref(a.t);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_calls_and_errors);
        tcase_add_test(tc, test_async_and_timeout);
        tcase_add_test(tc, test_signals_through_matches);
        tcase_add_test(tc, test_fds_both_ways);
        tcase_add_test(tc, test_server_dies_mid_call);
        tcase_add_test(tc, test_outgoing_queue_limit);
        tcase_add_test(tc, test_cork_queues_until_uncorked);
        tcase_add_test(tc, test_peer_gone_mid_write);
        tcase_add_test(tc, test_invalid_message_disconnects_only_its_sender);
        tcase_add_test(tc, test_messages_split_and_pipelined);
        tcase_add_test(tc, test_peer_credentials);
        tcase_add_test(tc, test_reading_paused_and_resumed);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
