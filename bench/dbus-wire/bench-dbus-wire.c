/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-dbus-wire: marshal and unmarshal throughput of sysmaster's bus-message side by side with
 * sd-bus (libsystemd), in one process and one run, on the three messages of wire-shapes.h.
 *
 * What one iteration is, for each library (the same work on both sides):
 *   marshal  build the message (new, header fields, append every value with append_basic and
 *            open/close_container, the calls a property getter makes) and seal it to wire
 *            bytes; then free it. sd-bus: sd_bus_message_new_method_return() on a sealed call
 *            (or sd_bus_message_new_signal()), sd_bus_message_seal().
 *   parse    from the wire bytes in memory to a message, then read every value (typed reads as
 *            a consumer that knows the signature does; a variant's type is peeked first, as
 *            systemctl's property mapper does; every array is read until the reader reports
 *            its end). Ours: bus_message_from_wire(), which validates everything up front.
 *            sd-bus has no public parser of a buffer: its own bus_message_from_malloc(), the
 *            function its socket reader calls, is taken from libsystemd-shared-252.so (dlopen,
 *            the same 252 source as libsystemd.so.0), fed a malloc'd copy of the bytes (it
 *            takes ownership; ours copies internally), then sd_bus_message_rewind() as
 *            sd_bus_process() does. Skipped when that library is absent.
 *   socket   the receive path with public API only: the wire bytes are written to one end of an
 *            AF_UNIX socketpair and received at the other. sd-bus: a peer-to-peer sd_bus
 *            (authenticated server end), sd_bus_process() returning the message. Ours: the
 *            same reads sd-bus makes (recvmsg of 24 bytes, then of the rest, into a realloc'd
 *            buffer), bus_message_from_wire(), free of the buffer. Then every value is read as
 *            in parse. Includes sd-bus's dispatch (no filters, no matches), which we lack.
 * Each (shape, mode) cell runs both libraries with the same iteration count, batches of about
 * -t milliseconds, -n repetitions alternating which library goes first; warm-up batches run
 * before. The figure of a repetition is the thread's CPU time (user + system; -w: wall time)
 * per message; the table shows the median and min–max, messages/s and MB/s of the median, and
 * the throughput ratio sysmaster/sd-bus (> 1: sysmaster is faster). Every reader folds what it reads into a checksum that must equal the
 * one of the value tree, and every result goes into a volatile sink, so nothing is optimised
 * away. Before timing, a self-check compares the wire bytes of both marshallers and reads each
 * library's bytes with the other's reader.
 */

#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-id128.h>
#include <time.h>
#include <unistd.h>

#include "bus/bus-message.h"
#include "bus/bus-signature.h"
#include "macro.h"
#include "string-util.h"
#include "wire-shapes.h"

#define SERIAL 7U
#define CALL_COOKIE 1U
#define SOCKET_BUFFER (8U << 20)
#define FDS_MAX 1024 /* the control buffer sd-bus's reader passes to recvmsg() */

typedef enum Lib { LIB_OURS, LIB_SDBUS, _LIB_MAX } Lib;
typedef enum Mode { MODE_MARSHAL, MODE_PARSE, MODE_SOCKET, _MODE_MAX } Mode;

static const char *const lib_names[_LIB_MAX] = { "sysmaster", "sd-bus" };
static const char *const mode_names[_MODE_MAX] = { "marshal", "parse", "socket" };

/* The reader calls of sd-bus, from libsystemd.so.0 or from libsystemd-shared. */
typedef struct SdReader {
        int (*peek_type)(sd_bus_message *m, char *type, const char **contents);
        int (*read_basic)(sd_bus_message *m, char type, void *p);
        int (*enter_container)(sd_bus_message *m, char type, const char *contents);
        int (*exit_container)(sd_bus_message *m);
} SdReader;

/* libsystemd-shared-252.so, for the in-memory parse of sd-bus. */
typedef struct SdShared {
        void *dl;
        char path[512];
        int (*bus_new)(sd_bus **ret);
        sd_bus *(*bus_unref)(sd_bus *bus);
        int (*from_malloc)(sd_bus *bus, void *buffer, size_t length, int *fds, size_t n_fds,
                           const char *label, sd_bus_message **ret);
        sd_bus_message *(*message_unref)(sd_bus_message *m);
        int (*rewind)(sd_bus_message *m, int complete);
        SdReader reader;
        sd_bus *bus;
} SdShared;

/* Our receiving end, reading as sd-bus's socket reader does. */
typedef struct OurRx {
        int fd;
        uint8_t *buf;
        size_t size;
} OurRx;

typedef struct Bench {
        sd_bus *tx, *rx;         /* a connected peer-to-peer pair: tx client, rx server */
        int sd_tx_fd, sd_rx_fd;  /* their sockets */
        int our_tx_fd;           /* our pair: write end, and rx.fd */
        OurRx our_rx;
        sd_bus_message *call;    /* a sealed method call the replies answer */
        SdShared shared;
        bool have_shared;
        WireShape shapes[_WIRE_SHAPE_MAX];
        uint8_t *wire[_WIRE_SHAPE_MAX]; /* the bytes both parse modes read */
        size_t wire_size[_WIRE_SHAPE_MAX];
        uint64_t checksum[_WIRE_SHAPE_MAX];
} Bench;

static const SdReader sd_public_reader = {
        .peek_type = sd_bus_message_peek_type,
        .read_basic = sd_bus_message_read_basic,
        .enter_container = sd_bus_message_enter_container,
        .exit_container = sd_bus_message_exit_container,
};

static volatile uint64_t sink;
/* CPU time of this thread (user + system, so the socket mode's syscalls count) by default:
 * on a shared two-core machine it does not count the time other processes hold the CPU. */
static clockid_t bench_clock = CLOCK_THREAD_CPUTIME_ID;

static uint64_t now_ns(void) {
        struct timespec ts;

        clock_gettime(bench_clock, &ts);
        return (uint64_t) ts.tv_sec * UINT64_C(1000000000) + (uint64_t) ts.tv_nsec;
}

/* ---- folding what a reader read ---- */

typedef union BasicValue {
        uint8_t y;
        int b;
        int16_t n;
        uint16_t q;
        int32_t i;
        uint32_t u;
        uint64_t t;
        const char *s;
} BasicValue;

static uint64_t fold_basic(uint64_t h, char type, const BasicValue *v) {
        h = wire_fold(h, (uint8_t) type);
        switch (type) {
        case 's':
        case 'o':
        case 'g':
                return wire_fold(wire_fold(h, strlen(v->s)), (uint8_t) v->s[0]);
        case 'y':
                return wire_fold(h, v->y);
        case 'b':
                return wire_fold(h, v->b ? 1 : 0);
        case 'n':
                return wire_fold(h, (uint64_t) (int64_t) v->n);
        case 'q':
                return wire_fold(h, v->q);
        case 'i':
                return wire_fold(h, (uint64_t) (int64_t) v->i);
        case 'u':
        case 'h':
                return wire_fold(h, v->u);
        default:
                return wire_fold(h, v->t);
        }
}

/* ---- sysmaster: marshal and read ---- */

static int ours_append(BusMessage *m, const WireValue *v) {
        int r;

        if (!IN_SET(v->type, 'a', '(', '{', 'v')) {
                const void *p = IN_SET(v->type, 's', 'o', 'g') ? (const void *) v->v.s : &v->v;
                return bus_message_append_basic(m, v->type, p);
        }
        r = bus_message_open_container(m, v->type, v->contents);
        for (size_t i = 0; r >= 0 && i < v->n_items; i++)
                r = ours_append(m, &v->items[i]);
        if (r >= 0)
                r = bus_message_close_container(m);
        return r;
}

static int ours_build(const WireShape *s, BusMessage **ret) {
        _cleanup_(bus_message_freep) BusMessage *m = NULL;
        int r;

        r = bus_message_new(s->type, 0, &m);
        if (r < 0)
                return r;
        if (s->type == BUS_MESSAGE_SIGNAL) {
                r = bus_message_set_string_field(m, BUS_FIELD_PATH, s->path);
                if (r >= 0)
                        r = bus_message_set_string_field(m, BUS_FIELD_INTERFACE, s->interface);
                if (r >= 0)
                        r = bus_message_set_string_field(m, BUS_FIELD_MEMBER, s->member);
        } else {
                r = bus_message_set_reply_serial(m, CALL_COOKIE);
                if (r >= 0)
                        r = bus_message_set_string_field(m, BUS_FIELD_DESTINATION, s->destination);
        }
        if (r >= 0) /* sd-bus sets it on every reply and signal */
                r = bus_message_set_flags(m, BUS_MESSAGE_NO_REPLY_EXPECTED);
        for (size_t i = 0; r >= 0 && i < s->n_values; i++)
                r = ours_append(m, &s->values[i]);
        if (r >= 0)
                r = bus_message_seal(m, SERIAL);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

static int ours_read_value(BusMessage *m, const WireValue *v, uint64_t *h);

/* The children of v, then the read that reports the end of an array. */
static int ours_read_items(BusMessage *m, const WireValue *v, uint64_t *h) {
        BasicValue end;
        int r;

        for (size_t i = 0; i < v->n_items; i++) {
                r = ours_read_value(m, &v->items[i], h);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
        }
        if (v->type != 'a')
                return 1;
        if (bus_type_is_basic(v->contents[0]))
                r = bus_message_read_basic(m, v->contents[0], &end);
        else
                r = bus_message_enter_container(m, v->contents[0], v->elem_contents);
        return r == 0 ? 1 : -EBADMSG;
}

static int ours_read_value(BusMessage *m, const WireValue *v, uint64_t *h) {
        const char *contents = v->contents;
        BasicValue value;
        char type;
        int r;

        if (!IN_SET(v->type, 'a', '(', '{', 'v')) {
                r = bus_message_read_basic(m, v->type, &value);
                if (r > 0)
                        *h = fold_basic(*h, v->type, &value);
                return r;
        }
        if (v->type == 'v') {
                r = bus_message_peek_type(m, &type, &contents);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
        }
        r = bus_message_enter_container(m, v->type, contents);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        *h = wire_fold(*h, (uint8_t) v->type);
        r = ours_read_items(m, v, h);
        if (r < 0)
                return r;
        r = bus_message_exit_container(m);
        return r < 0 ? r : 1;
}

static int ours_read_all(BusMessage *m, const WireShape *s, uint64_t *ret) {
        uint64_t h = WIRE_FOLD_SEED;

        for (size_t i = 0; i < s->n_values; i++) {
                int r = ours_read_value(m, &s->values[i], &h);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
        }
        *ret = h;
        return 0;
}

/* ---- sd-bus: marshal and read ---- */

static char sd_container_type(char type) {
        return type == '(' ? SD_BUS_TYPE_STRUCT : type == '{' ? SD_BUS_TYPE_DICT_ENTRY : type;
}

static int sd_append(sd_bus_message *m, const WireValue *v) {
        int r;

        if (!IN_SET(v->type, 'a', '(', '{', 'v')) {
                const void *p = IN_SET(v->type, 's', 'o', 'g') ? (const void *) v->v.s : &v->v;
                return sd_bus_message_append_basic(m, v->type, p);
        }
        r = sd_bus_message_open_container(m, sd_container_type(v->type), v->contents);
        for (size_t i = 0; r >= 0 && i < v->n_items; i++)
                r = sd_append(m, &v->items[i]);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

static int sd_build(Bench *b, const WireShape *s, sd_bus_message **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        int r;

        if (s->type == BUS_MESSAGE_SIGNAL)
                r = sd_bus_message_new_signal(b->tx, &m, s->path, s->interface, s->member);
        else {
                r = sd_bus_message_new_method_return(b->call, &m);
                if (r >= 0)
                        r = sd_bus_message_set_destination(m, s->destination);
        }
        for (size_t i = 0; r >= 0 && i < s->n_values; i++)
                r = sd_append(m, &s->values[i]);
        if (r >= 0)
                r = sd_bus_message_seal(m, SERIAL, 0);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

static int sd_read_value(const SdReader *o, sd_bus_message *m, const WireValue *v, uint64_t *h);

static int sd_read_items(const SdReader *o, sd_bus_message *m, const WireValue *v, uint64_t *h) {
        BasicValue end;
        int r;

        for (size_t i = 0; i < v->n_items; i++) {
                r = sd_read_value(o, m, &v->items[i], h);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
        }
        if (v->type != 'a')
                return 1;
        if (bus_type_is_basic(v->contents[0]))
                r = o->read_basic(m, v->contents[0], &end);
        else
                r = o->enter_container(m, sd_container_type(v->contents[0]), v->elem_contents);
        return r == 0 ? 1 : -EBADMSG;
}

static int sd_read_value(const SdReader *o, sd_bus_message *m, const WireValue *v, uint64_t *h) {
        const char *contents = v->contents;
        BasicValue value;
        char type;
        int r;

        if (!IN_SET(v->type, 'a', '(', '{', 'v')) {
                r = o->read_basic(m, v->type, &value);
                if (r > 0)
                        *h = fold_basic(*h, v->type, &value);
                return r;
        }
        if (v->type == 'v') {
                r = o->peek_type(m, &type, &contents);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
        }
        r = o->enter_container(m, sd_container_type(v->type), contents);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        *h = wire_fold(*h, (uint8_t) v->type);
        r = sd_read_items(o, m, v, h);
        if (r < 0)
                return r;
        r = o->exit_container(m);
        return r < 0 ? r : 1;
}

static int sd_read_all(const SdReader *o, sd_bus_message *m, const WireShape *s, uint64_t *ret) {
        uint64_t h = WIRE_FOLD_SEED;

        for (size_t i = 0; i < s->n_values; i++) {
                int r = sd_read_value(o, m, &s->values[i], &h);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
        }
        *ret = h;
        return 0;
}

/* ---- transports ---- */

static int socket_pair(int fds[2]) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) < 0)
                return -errno;
        /* room for the largest message, so a write rarely has to wait for the reader */
        for (size_t i = 0; i < 2; i++) {
                int size = SOCKET_BUFFER;
                if (setsockopt(fds[i], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
                        (void) setsockopt(fds[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
                if (setsockopt(fds[i], SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
                        (void) setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
        }
        return 0;
}

/* A peer-to-peer sd-bus pair on a socketpair: rx is the authenticating server end. */
static int sd_peer_open(Bench *b) {
        sd_id128_t id;
        int fds[2], r;

        r = socket_pair(fds);
        if (r < 0)
                return r;
        b->sd_rx_fd = fds[0];
        b->sd_tx_fd = fds[1];
        r = sd_id128_randomize(&id);
        if (r >= 0)
                r = sd_bus_new(&b->rx);
        if (r >= 0)
                r = sd_bus_set_fd(b->rx, fds[0], fds[0]);
        if (r >= 0)
                r = sd_bus_set_server(b->rx, 1, id);
        if (r >= 0)
                r = sd_bus_start(b->rx);
        if (r >= 0)
                r = sd_bus_new(&b->tx);
        if (r >= 0)
                r = sd_bus_set_fd(b->tx, fds[1], fds[1]);
        if (r >= 0)
                r = sd_bus_start(b->tx);
        /* both ends in one thread: step them in turn until the authentication is done */
        for (int i = 0; r >= 0 && i < 10000; i++) {
                if (sd_bus_is_ready(b->rx) > 0 && sd_bus_is_ready(b->tx) > 0)
                        return 0;
                r = sd_bus_process(b->rx, NULL);
                if (r >= 0)
                        r = sd_bus_process(b->tx, NULL);
                if (r == 0)
                        (void) poll(&(struct pollfd) { .fd = fds[0], .events = POLLIN }, 1, 1);
        }
        return r < 0 ? r : -ETIMEDOUT;
}

static int our_rx_need(const OurRx *rx, size_t *ret) {
        if (rx->size < BUS_MESSAGE_FIXED_HEADER_SIZE) {
                *ret = BUS_MESSAGE_FIXED_HEADER_SIZE + 8;
                return 0;
        }
        return bus_message_size_needed(rx->buf, rx->size, ret);
}

/* Reads what is there; returns 1 and the message once complete, 0 if more bytes are needed. */
static int our_rx_read(OurRx *rx, BusMessage **ret) {
        union {
                struct cmsghdr h;
                uint8_t buf[CMSG_SPACE(sizeof(int) * FDS_MAX)];
        } control;
        size_t need;
        int r;

        for (;;) {
                struct iovec iov;
                struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
                uint8_t *p;
                ssize_t k;

                r = our_rx_need(rx, &need);
                if (r < 0)
                        return r;
                if (rx->size >= need)
                        break;
                p = realloc(rx->buf, need);
                if (!p)
                        return -ENOMEM;
                rx->buf = p;
                iov = (struct iovec) { .iov_base = p + rx->size, .iov_len = need - rx->size };
                mh.msg_control = &control;
                mh.msg_controllen = sizeof(control);
                k = recvmsg(rx->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
                if (k < 0)
                        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
                if (k == 0)
                        return -ECONNRESET;
                rx->size += k;
        }
        r = bus_message_from_wire(rx->buf, need, 0, 0, ret, NULL);
        rx->buf = mfree(rx->buf);
        rx->size = 0;
        return r < 0 ? r : 1;
}

/* Writes wire to fd and calls receive(ctx) until it hands back a message. */
static int deliver(int fd, const uint8_t *wire, size_t size, int (*receive)(void *ctx),
                   void *ctx) {
        size_t off = 0;

        for (unsigned idle = 0; idle < 100000;) {
                int r;

                if (off < size) {
                        ssize_t k = write(fd, wire + off, size - off);
                        if (k < 0 && errno != EAGAIN && errno != EINTR)
                                return -errno;
                        off += k > 0 ? (size_t) k : 0;
                }
                r = receive(ctx);
                if (r != 0)
                        return r;
                idle = off == size ? idle + 1 : 0;
        }
        return -ETIMEDOUT;
}

/* ---- libsystemd-shared ---- */

static int shared_open(SdShared *s) {
        static const char *const patterns[] = {
                "/usr/lib/*/systemd/libsystemd-shared-252*.so",
                "/usr/lib/systemd/libsystemd-shared-252*.so",
                "/lib/systemd/libsystemd-shared-252*.so",
        };
        const char *path = getenv("DBUS_WIRE_SHARED_LIB");
        glob_t g = {};

        for (size_t i = 0; !path && i < ELEMENTSOF(patterns); i++)
                if (glob(patterns[i], 0, NULL, &g) == 0 && g.gl_pathc > 0)
                        path = g.gl_pathv[0];
        if (path)
                snprintf(s->path, sizeof(s->path), "%s", path);
        globfree(&g);
        if (!path)
                return -ENOENT;
        s->dl = dlopen(s->path, RTLD_NOW | RTLD_LOCAL);
        if (!s->dl)
                return -ENOENT;
#define SYM(field, name) (*(void **) &s->field = dlsym(s->dl, name))
        if (!SYM(bus_new, "sd_bus_new") || !SYM(bus_unref, "sd_bus_unref") ||
            !SYM(from_malloc, "bus_message_from_malloc") ||
            !SYM(message_unref, "sd_bus_message_unref") ||
            !SYM(rewind, "sd_bus_message_rewind") ||
            !SYM(reader.peek_type, "sd_bus_message_peek_type") ||
            !SYM(reader.read_basic, "sd_bus_message_read_basic") ||
            !SYM(reader.enter_container, "sd_bus_message_enter_container") ||
            !SYM(reader.exit_container, "sd_bus_message_exit_container"))
                return -ENOENT;
#undef SYM
        return s->bus_new(&s->bus);
}

/* In-memory parse with sd-bus's own parser: a copy it owns, as its socket reader hands it. */
static int shared_parse(SdShared *s, const uint8_t *wire, size_t size, sd_bus_message **ret) {
        void *buf = malloc(size);
        int r;

        if (!buf)
                return -ENOMEM;
        memcpy(buf, wire, size);
        r = s->from_malloc(s->bus, buf, size, NULL, 0, NULL, ret);
        if (r < 0) {
                free(buf);
                return r;
        }
        r = s->rewind(*ret, 1);
        return r < 0 ? r : 0;
}

/* ---- one iteration of each (library, mode) ---- */

typedef struct RecvCtx {
        Bench *b;
        BusMessage *ours;
        sd_bus_message *sd;
} RecvCtx;

static int ours_receive(void *p) {
        RecvCtx *c = p;
        return our_rx_read(&c->b->our_rx, &c->ours);
}

static int sd_receive(void *p) {
        RecvCtx *c = p;
        int r = sd_bus_process(c->b->rx, &c->sd);
        return r < 0 ? r : c->sd ? 1 : 0;
}

static int ours_marshal(Bench *b, const WireShape *s) {
        _cleanup_(bus_message_freep) BusMessage *m = NULL;
        const void *wire;
        size_t size;
        int r;

        r = ours_build(s, &m);
        if (r >= 0)
                r = bus_message_get_wire(m, &wire, &size);
        if (r >= 0)
                sink += size + ((const uint8_t *) wire)[size - 1];
        return r;
}

static int sd_marshal(Bench *b, const WireShape *s) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        uint64_t cookie;
        int r;

        r = sd_build(b, s, &m);
        if (r >= 0)
                r = sd_bus_message_get_cookie(m, &cookie);
        if (r >= 0)
                sink += cookie;
        return r;
}

/* Reads every value of m and checks it against the shape. */
static int ours_consume(BusMessage *m, const WireShape *s, uint64_t expected) {
        uint64_t h = 0;
        int r = ours_read_all(m, s, &h);

        sink += h;
        return r < 0 ? r : h == expected ? 0 : -EBADMSG;
}

static int sd_consume(const SdReader *o, sd_bus_message *m, const WireShape *s, uint64_t expected) {
        uint64_t h = 0;
        int r = sd_read_all(o, m, s, &h);

        sink += h;
        return r < 0 ? r : h == expected ? 0 : -EBADMSG;
}

static int ours_parse(const uint8_t *wire, size_t size, const WireShape *s, uint64_t expected) {
        _cleanup_(bus_message_freep) BusMessage *m = NULL;
        int r = bus_message_from_wire(wire, size, 0, 0, &m, NULL);

        return r < 0 ? r : ours_consume(m, s, expected);
}

static int sd_parse(Bench *b, const uint8_t *wire, size_t size, const WireShape *s,
                    uint64_t expected) {
        sd_bus_message *m = NULL;
        int r = shared_parse(&b->shared, wire, size, &m);

        if (r >= 0)
                r = sd_consume(&b->shared.reader, m, s, expected);
        b->shared.message_unref(m);
        return r;
}

static int ours_socket(Bench *b, const uint8_t *wire, size_t size, const WireShape *s,
                       uint64_t expected) {
        RecvCtx c = { .b = b };
        int r = deliver(b->our_tx_fd, wire, size, ours_receive, &c);

        if (r > 0)
                r = ours_consume(c.ours, s, expected);
        bus_message_free(c.ours);
        return r;
}

static int sd_socket(Bench *b, const uint8_t *wire, size_t size, const WireShape *s,
                     uint64_t expected) {
        RecvCtx c = { .b = b };
        int r = deliver(b->sd_tx_fd, wire, size, sd_receive, &c);

        if (r > 0)
                r = sd_consume(&sd_public_reader, c.sd, s, expected);
        sd_bus_message_unref(c.sd);
        return r;
}

static int run_op(Bench *b, Lib lib, Mode mode, WireShapeKind k, size_t iters) {
        const WireShape *s = &b->shapes[k];
        const uint8_t *wire = b->wire[k];
        size_t size = b->wire_size[k];
        uint64_t sum = b->checksum[k];
        int r = 0;

        for (size_t i = 0; r >= 0 && i < iters; i++) {
                if (mode == MODE_MARSHAL)
                        r = lib == LIB_OURS ? ours_marshal(b, s) : sd_marshal(b, s);
                else if (mode == MODE_PARSE)
                        r = lib == LIB_OURS ? ours_parse(wire, size, s, sum) :
                                              sd_parse(b, wire, size, s, sum);
                else
                        r = lib == LIB_OURS ? ours_socket(b, wire, size, s, sum) :
                                              sd_socket(b, wire, size, s, sum);
        }
        if (r < 0)
                fprintf(stderr, "%s %s of the %s failed: %s\n", lib_names[lib], mode_names[mode],
                        s->name, strerror(-r));
        return r;
}

/* ---- self-check ---- */

/* What sd-bus puts on the wire for m: sent on tx, read raw at the other end. */
static int sd_wire_bytes(Bench *b, sd_bus_message *m, uint8_t **ret, size_t *ret_size) {
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = 0, need = BUS_MESSAGE_FIXED_HEADER_SIZE, alloc = 0;
        int r;

        r = sd_bus_send(b->tx, m, NULL);
        for (unsigned i = 0; r >= 0 && size < need && i < 100000; i++) {
                ssize_t k;

                if (!GREEDY_REALLOC(buf, alloc, need))
                        return -ENOMEM;
                k = read(b->sd_rx_fd, buf + size, need - size);
                if (k < 0 && errno != EAGAIN)
                        return -errno;
                if (k <= 0) {
                        r = sd_bus_process(b->tx, NULL); /* writes what is still queued */
                        continue;
                }
                size += k;
                if (size >= BUS_MESSAGE_FIXED_HEADER_SIZE)
                        r = bus_message_size_needed(buf, size, &need);
        }
        if (r < 0)
                return r;
        if (size < need)
                return -ETIMEDOUT;
        *ret = TAKE_PTR(buf);
        *ret_size = size;
        return 0;
}

static int check_header(const BusMessage *m, const WireShape *s) {
        if (!streq(bus_message_get_string_field(m, BUS_FIELD_SIGNATURE), s->signature))
                return -EBADMSG;
        if (s->type == BUS_MESSAGE_SIGNAL)
                return streq_ptr(bus_message_get_string_field(m, BUS_FIELD_MEMBER), s->member) ?
                               0 : -EBADMSG;
        return bus_message_get_reply_serial(m) == CALL_COOKIE ? 0 : -EBADMSG;
}

/* Both readers on both libraries' bytes, in memory and through the sockets. */
static int cross_read(Bench *b, WireShapeKind k, const uint8_t *ours, size_t ours_size,
                      const uint8_t *sd, size_t sd_size) {
        const WireShape *s = &b->shapes[k];
        uint64_t sum = b->checksum[k];
        const struct {
                const char *what;
                const uint8_t *wire;
                size_t size;
        } inputs[] = { { "sysmaster", ours, ours_size }, { "sd-bus", sd, sd_size } };

        for (size_t i = 0; i < ELEMENTSOF(inputs); i++) {
                _cleanup_(bus_message_freep) BusMessage *m = NULL;
                const char *failed = NULL;

                if (bus_message_from_wire(inputs[i].wire, inputs[i].size, 0, 0, &m, NULL) < 0 ||
                    check_header(m, s) < 0 || ours_consume(m, s, sum) < 0)
                        failed = "sysmaster's parser";
                else if (b->have_shared && sd_parse(b, inputs[i].wire, inputs[i].size, s, sum) < 0)
                        failed = "sd-bus's parser";
                else if (ours_socket(b, inputs[i].wire, inputs[i].size, s, sum) < 0)
                        failed = "sysmaster's socket reader";
                else if (sd_socket(b, inputs[i].wire, inputs[i].size, s, sum) < 0)
                        failed = "sd-bus's socket reader";
                if (failed) {
                        fprintf(stderr, "self-check: %s read %s's %s wrongly\n", failed,
                                inputs[i].what, s->name);
                        return -EBADMSG;
                }
        }
        return 0;
}

static size_t first_difference(const uint8_t *a, size_t na, const uint8_t *b, size_t nb) {
        size_t i = 0;

        while (i < na && i < nb && a[i] == b[i])
                i++;
        return i;
}

static int self_check(Bench *b, WireShapeKind k) {
        _cleanup_(bus_message_freep) BusMessage *m = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *sm = NULL;
        const WireShape *s = &b->shapes[k];
        const void *ours;
        size_t ours_size;
        int r;

        b->checksum[k] = wire_shape_checksum(s);
        r = ours_build(s, &m);
        if (r >= 0)
                r = bus_message_get_wire(m, &ours, &ours_size);
        if (r >= 0)
                r = sd_build(b, s, &sm);
        if (r >= 0)
                r = sd_wire_bytes(b, sm, &b->wire[k], &b->wire_size[k]);
        if (r < 0) {
                fprintf(stderr, "self-check: building the %s failed: %s\n", s->name, strerror(-r));
                return r;
        }
        if (ours_size == b->wire_size[k] && memcmp(ours, b->wire[k], ours_size) == 0)
                printf("self-check: %s (%zu %s, %zu bytes): byte-identical", s->name,
                       s->n_entries, s->entries_name, ours_size);
        else
                printf("self-check: %s: sysmaster %zu bytes, sd-bus %zu bytes, first difference "
                       "at byte %zu", s->name, ours_size, b->wire_size[k],
                       first_difference(ours, ours_size, b->wire[k], b->wire_size[k]));
        r = cross_read(b, k, ours, ours_size, b->wire[k], b->wire_size[k]);
        printf(", each reader reads both: %s\n", r < 0 ? "FAILED" : "ok");
        return r;
}

/* ---- timing ---- */

#define REPS_MAX 101

typedef struct Cell {
        size_t iters;
        double ns[_LIB_MAX][REPS_MAX]; /* per message, one figure per repetition */
} Cell;

typedef struct Options {
        unsigned reps;
        unsigned batch_ms;
        bool check_only;
        int shape, mode;      /* only this one, or -1 */
        size_t profile_iters; /* > 0: run each cell that many times, untimed (for profilers) */
} Options;

static int time_batch(Bench *b, Lib lib, Mode mode, WireShapeKind k, size_t iters,
                      double *ret_ns) {
        uint64_t t0 = now_ns();
        int r = run_op(b, lib, mode, k, iters);

        *ret_ns = (double) (now_ns() - t0) / (double) iters;
        return r;
}

/* Finds the iteration count of a batch of about batch_ms for the slower library; the batches
 * it runs, and one more full batch of each, are the warm-up. */
static int calibrate(Bench *b, Mode mode, WireShapeKind k, unsigned batch_ms, size_t *ret) {
        double target = batch_ms * 1e6, ns[_LIB_MAX], slow = 0;
        size_t iters = 1;
        int r;

        for (;;) {
                for (Lib lib = 0; lib < _LIB_MAX; lib++) {
                        r = time_batch(b, lib, mode, k, iters, &ns[lib]);
                        if (r < 0)
                                return r;
                }
                slow = MAX(ns[LIB_OURS], ns[LIB_SDBUS]) * (double) iters;
                if (slow >= target / 8)
                        break;
                iters *= 4;
        }
        iters = MAX((size_t) 1, (size_t) ((double) iters * target / slow));
        for (Lib lib = 0; lib < _LIB_MAX; lib++) {
                r = time_batch(b, lib, mode, k, iters, &ns[lib]);
                if (r < 0)
                        return r;
        }
        *ret = iters;
        return 0;
}

static int measure(Bench *b, Mode mode, WireShapeKind k, const Options *o, Cell *c) {
        int r = calibrate(b, mode, k, o->batch_ms, &c->iters);

        for (unsigned rep = 0; r >= 0 && rep < o->reps; rep++)
                for (unsigned j = 0; r >= 0 && j < _LIB_MAX; j++) {
                        Lib lib = (rep + j) % _LIB_MAX; /* alternate who goes first */
                        r = time_batch(b, lib, mode, k, c->iters, &c->ns[lib][rep]);
                }
        return r;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

typedef struct Stats {
        double median, min, max;
} Stats;

static Stats stats(double *v, size_t n) {
        qsort(v, n, sizeof(double), cmp_double);
        return (Stats) {
                .median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2,
                .min = v[0],
                .max = v[n - 1],
        };
}

static void format_ns(double ns, char *buf, size_t size) {
        snprintf(buf, size, ns >= 1000 ? "%.0f" : "%.1f", ns);
}

static void print_header(void) {
        printf("| message (wire bytes) | op | sysmaster ns/msg, median (min–max) | "
               "sd-bus ns/msg, median (min–max) | sysmaster msg/s | sd-bus msg/s | "
               "sysmaster MB/s | sd-bus MB/s | ratio sysmaster/sd-bus |\n");
        printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
}

static void print_row(const Bench *b, Mode mode, WireShapeKind k, Cell *c, unsigned reps) {
        const WireShape *s = &b->shapes[k];
        char cell[_LIB_MAX][128];
        Stats st[_LIB_MAX];

        for (Lib lib = 0; lib < _LIB_MAX; lib++) {
                char med[32], lo[32], hi[32];

                st[lib] = stats(c->ns[lib], reps);
                format_ns(st[lib].median, med, sizeof(med));
                format_ns(st[lib].min, lo, sizeof(lo));
                format_ns(st[lib].max, hi, sizeof(hi));
                snprintf(cell[lib], sizeof(cell[lib]), "%s (%s–%s)", med, lo, hi);
        }
        printf("| %s (%zu) | %s | %s | %s | %.0f | %.0f | %.1f | %.1f | %.2f |\n", s->name,
               b->wire_size[k], mode_names[mode], cell[LIB_OURS], cell[LIB_SDBUS],
               1e9 / st[LIB_OURS].median, 1e9 / st[LIB_SDBUS].median,
               (double) b->wire_size[k] * 1e3 / st[LIB_OURS].median,
               (double) b->wire_size[k] * 1e3 / st[LIB_SDBUS].median,
               st[LIB_SDBUS].median / st[LIB_OURS].median);
        fflush(stdout);
}

/* ---- setup and main ---- */

static int bench_open(Bench *b) {
        int fds[2], r;

        *b = (Bench) { .sd_tx_fd = -1, .sd_rx_fd = -1, .our_tx_fd = -1, .our_rx.fd = -1 };
        r = sd_peer_open(b);
        if (r < 0)
                return r;
        r = socket_pair(fds);
        if (r < 0)
                return r;
        b->our_rx.fd = fds[0];
        b->our_tx_fd = fds[1];
        r = sd_bus_message_new_method_call(b->tx, &b->call, NULL,
                                           "/org/freedesktop/systemd1/unit/ssh_2eservice",
                                           "org.freedesktop.DBus.Properties", "GetAll");
        if (r >= 0)
                r = sd_bus_message_append_basic(b->call, 's', "");
        if (r >= 0)
                r = sd_bus_message_seal(b->call, CALL_COOKIE, 0);
        for (WireShapeKind k = 0; r >= 0 && k < _WIRE_SHAPE_MAX; k++)
                r = wire_shape_build(k, &b->shapes[k]);
        if (r < 0)
                return r;
        b->have_shared = shared_open(&b->shared) >= 0;
        if (!b->have_shared)
                printf("libsystemd-shared-252 not found: the parse mode is skipped\n");
        return 0;
}

static void bench_close(Bench *b) {
        for (WireShapeKind k = 0; k < _WIRE_SHAPE_MAX; k++) {
                wire_shape_done(&b->shapes[k]);
                free(b->wire[k]);
        }
        sd_bus_message_unref(b->call);
        /* sd_bus_flush_close_unref() would flush: nothing is queued, close is enough */
        sd_bus_close_unref(b->tx);
        sd_bus_close_unref(b->rx);
        if (b->shared.bus)
                b->shared.bus_unref(b->shared.bus);
        if (b->shared.dl)
                dlclose(b->shared.dl);
        free(b->our_rx.buf);
        if (b->our_rx.fd >= 0)
                close(b->our_rx.fd);
        if (b->our_tx_fd >= 0)
                close(b->our_tx_fd);
}

static int parse_options(int argc, char *argv[], Options *o) {
        int c;

        *o = (Options) { .reps = 15, .batch_ms = 50, .shape = -1, .mode = -1 };
        while ((c = getopt(argc, argv, "n:t:cws:m:i:h")) >= 0)
                switch (c) {
                case 's':
                        o->shape = streq(optarg, "getall") ? WIRE_SHAPE_GETALL :
                                   streq(optarg, "listunits") ? WIRE_SHAPE_LISTUNITS :
                                   streq(optarg, "jobremoved") ? WIRE_SHAPE_JOBREMOVED : -2;
                        break;
                case 'm':
                        o->mode = streq(optarg, "marshal") ? MODE_MARSHAL :
                                  streq(optarg, "parse") ? MODE_PARSE :
                                  streq(optarg, "socket") ? MODE_SOCKET : -2;
                        break;
                case 'i':
                        o->profile_iters = strtoul(optarg, NULL, 10);
                        break;
                case 'n':
                        o->reps = (unsigned) atoi(optarg);
                        break;
                case 't':
                        o->batch_ms = (unsigned) atoi(optarg);
                        break;
                case 'c':
                        o->check_only = true;
                        break;
                case 'w':
                        bench_clock = CLOCK_MONOTONIC;
                        break;
                default:
                        printf("Usage: %s [-n REPETITIONS] [-t BATCH_MS] [-c] [-w] [-s SHAPE] "
                               "[-m MODE] [-i ITERATIONS]\n"
                               "  -n  timed batches per library and cell (default 15)\n"
                               "  -t  length of one batch in milliseconds (default 50)\n"
                               "  -c  run the self-check only\n"
                               "  -w  time with the wall clock instead of the thread's CPU time\n"
                               "  -s  only getall, listunits or jobremoved\n"
                               "  -m  only marshal, parse or socket\n"
                               "  -i  run each cell ITERATIONS times per library, untimed (for "
                               "a profiler)\n",
                               argv[0]);
                        return c == 'h' ? 0 : -EINVAL;
                }
        if (o->reps < 1 || o->reps > REPS_MAX || o->batch_ms < 1 || o->shape < -1 ||
            o->mode < -1)
                return -EINVAL;
        return 1;
}

static int run(Bench *b, const Options *o) {
        static Cell cell;
        int r = 0;

        for (WireShapeKind k = 0; k < _WIRE_SHAPE_MAX; k++) {
                if (o->shape >= 0 && o->shape != (int) k)
                        continue;
                r = self_check(b, k);
                if (r < 0)
                        return r;
        }
        if (o->check_only)
                return 0;
        printf("\n%u repetitions of batches of about %u ms per library; ns/msg is %s.\n\n",
               o->reps, o->batch_ms,
               bench_clock == CLOCK_MONOTONIC ? "wall time" : "CPU time of the thread");
        if (o->profile_iters == 0)
                print_header();
        for (WireShapeKind k = 0; k < _WIRE_SHAPE_MAX; k++)
                for (Mode mode = 0; mode < _MODE_MAX; mode++) {
                        if ((mode == MODE_PARSE && !b->have_shared) ||
                            (o->shape >= 0 && o->shape != (int) k) ||
                            (o->mode >= 0 && o->mode != (int) mode))
                                continue;
                        if (o->profile_iters > 0) {
                                for (Lib lib = 0; r >= 0 && lib < _LIB_MAX; lib++)
                                        r = run_op(b, lib, mode, k, o->profile_iters);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        r = measure(b, mode, k, o, &cell);
                        if (r < 0)
                                return r;
                        print_row(b, mode, k, &cell, o->reps);
                }
        return 0;
}

int main(int argc, char *argv[]) {
        Bench b;
        Options o;
        int r;

        r = parse_options(argc, argv, &o);
        if (r <= 0)
                return r < 0 ? 2 : 0;
        r = bench_open(&b);
        if (r < 0)
                fprintf(stderr, "setting up failed: %s\n", strerror(-r));
        else
                r = run(&b, &o);
        bench_close(&b);
        return r < 0 ? 1 : 0;
}
