/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-transport.c: see bus-transport.h. One io source watches the socket: EPOLLIN while reading
 * is on, EPOLLOUT while bytes wait to be written. Input accumulates in one buffer from which
 * authentication lines, then whole messages, are consumed in place; received fds wait in a
 * queue until the message that names them is complete. Output is a queue of sealed messages
 * (shared references, so a broadcast is never copied) written with sendmsg(), several
 * messages per call, the fds of a message riding with its first byte. A read goes into the
 * buffer's free space and, past it, into a scratch buffer the transports of a thread share
 * (what lands there is copied into the buffer at once), so a message is read in one recvmsg()
 * whatever its size up to READ_SCRATCH, while an idle connection keeps no buffer at all.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bus/bus-sasl.h"
#include "bus/bus-transport.h"
#include "fd-util.h"
#include "log.h"

#define READ_CHUNK 4096U
#define READ_SCRATCH (64U * 1024U)
#define WRITE_BATCH 16U
#define DEFAULT_MAX_OUTGOING_BYTES (127U * 1024U * 1024U)

struct BusTransport {
        unsigned n_ref;
        Event *event;
        EventSource *io;
        EventSource *resume; /* processes buffered input after reading was turned back on */
        int fd;
        BusTransportConfig config;
        char *config_guid, *config_expected_guid;
        BusTransportCallbacks callbacks;
        void *userdata;
        BusTransportState state;
        bool reading;
        bool write_failed;
        bool corked;       /* bus_transport_cork(): queue without writing */

        /* authentication */
        BusSaslServer *sasl_server;
        BusSaslClient *sasl_client;
        char guid[BUS_GUID_STRING_SIZE];
        uid_t auth_uid;
        bool fds_agreed;
        char *auth_out;
        size_t auth_out_size, auth_out_sent;

        /* input: bytes [in_start, in_end) of in are unconsumed */
        uint8_t *in;
        size_t in_start, in_end, in_alloc;
        int *in_fds;
        size_t n_in_fds, in_fds_alloc;

        /* output: messages out[out_head .. out_head + n_out), of which the first has
         * out_offset bytes written */
        BusMessage **out;
        size_t out_head, n_out, out_alloc, out_offset, out_bytes, out_fds;

        /* peer */
        struct ucred cred;
        bool have_cred;
        gid_t *groups;
        size_t n_groups;
        bool groups_read;
        char *label;
        bool label_read;
};

static void transport_disconnect(BusTransport *t, int error, const char *reason);

/* ---- io source ---- */

static int update_events(BusTransport *t) {
        uint32_t events = 0;

        if (!t->io)
                return 0;
        if (t->reading)
                events |= EPOLLIN;
        if (t->auth_out_sent < t->auth_out_size || (t->n_out > 0 && !t->write_failed))
                events |= EPOLLOUT;
        return event_source_set_io_events(t->io, events);
}

/* ---- writing ---- */

static int write_auth(BusTransport *t) {
        while (t->auth_out_sent < t->auth_out_size) {
                ssize_t n = send(t->fd, t->auth_out + t->auth_out_sent,
                                 t->auth_out_size - t->auth_out_sent, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n < 0)
                        return errno == EAGAIN ? 0 : -errno;
                t->auth_out_sent += (size_t) n;
        }
        t->auth_out = mfree(t->auth_out);
        t->auth_out_size = t->auth_out_sent = 0;
        return 0;
}

static BusMessage *out_at(const BusTransport *t, size_t i) {
        return t->out[t->out_head + i];
}

static void out_pop(BusTransport *t) {
        const void *wire;
        size_t size, n_fds;

        (void) bus_message_get_wire(out_at(t, 0), &wire, &size);
        (void) bus_message_get_fds(out_at(t, 0), &n_fds);
        t->out_bytes -= size;
        t->out_fds -= n_fds;
        bus_message_unref(out_at(t, 0));
        t->out_head++;
        t->n_out--;
        t->out_offset = 0;
        if (t->n_out == 0)
                t->out_head = 0;
}

/* Writes queued messages until the socket would block. Returns 0 or -errno of the socket. */
static int write_messages(BusTransport *t) {
        while (t->n_out > 0) {
                union {
                        struct cmsghdr cmsg;
                        uint8_t buf[CMSG_SPACE(sizeof(int) * BUS_MESSAGE_FDS_MAX)];
                } control;
                struct iovec iov[WRITE_BATCH];
                struct msghdr mh = { .msg_iov = iov };
                size_t n_fds, written;
                const int *fds;
                ssize_t n;

                /* The first message, then following ones as long as none carries fds (each
                 * message's fds must go with its own first byte). */
                for (size_t i = 0; i < t->n_out && mh.msg_iovlen < WRITE_BATCH; i++) {
                        const void *wire;
                        size_t size, skip = i == 0 ? t->out_offset : 0;

                        fds = bus_message_get_fds(out_at(t, i), &n_fds);
                        if (i > 0 && n_fds > 0)
                                break;
                        (void) bus_message_get_wire(out_at(t, i), &wire, &size);
                        iov[mh.msg_iovlen++] = (struct iovec) {
                                .iov_base = (uint8_t *) wire + skip,
                                .iov_len = size - skip,
                        };
                }
                fds = bus_message_get_fds(out_at(t, 0), &n_fds);
                if (n_fds > 0 && t->out_offset == 0)
                        msghdr_put_fds(&mh, control.buf, fds, n_fds);
                n = sendmsg(t->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (n < 0)
                        return errno == EAGAIN ? 0 : -errno;
                written = (size_t) n;
                while (written > 0) {
                        const void *wire;
                        size_t size, left;

                        (void) bus_message_get_wire(out_at(t, 0), &wire, &size);
                        left = size - t->out_offset;
                        if (written < left) {
                                t->out_offset += written;
                                break;
                        }
                        written -= left;
                        out_pop(t);
                }
        }
        return 0;
}

static int do_write(BusTransport *t) {
        int r;

        if (t->state == BUS_TRANSPORT_CLOSED || t->write_failed)
                return 0;
        r = write_auth(t);
        if (r >= 0 && t->state == BUS_TRANSPORT_RUNNING)
                r = write_messages(t);
        if (r < 0) {
                /* The peer is gone. Stop writing; the read side reports the disconnection
                 * from the event loop (epoll always reports EPOLLHUP/EPOLLERR). */
                t->write_failed = true;
                return r;
        }
        return 0;
}

/* ---- authentication ---- */

static int auth_append_output(BusTransport *t, const void *data, size_t n) {
        char *p;

        if (n == 0)
                return 0;
        p = realloc(t->auth_out, t->auth_out_size + n);
        if (!p)
                return -ENOMEM;
        memcpy(p + t->auth_out_size, data, n);
        t->auth_out = p;
        t->auth_out_size += n;
        return 0;
}

/* Moves what the SASL state machine wants to send into our output buffer. */
static int auth_take_output(BusTransport *t) {
        const void *data;
        size_t n;
        int r;

        if (t->sasl_server) {
                data = bus_sasl_server_peek_output(t->sasl_server, &n);
                r = auth_append_output(t, data, n);
                if (r >= 0)
                        bus_sasl_server_drain_output(t->sasl_server, n);
        } else if (t->sasl_client) {
                data = bus_sasl_client_peek_output(t->sasl_client, &n);
                r = auth_append_output(t, data, n);
                if (r >= 0)
                        bus_sasl_client_drain_output(t->sasl_client, n);
        } else
                r = 0;
        return r;
}

/* A client may queue messages before the server said whether it takes fds; those that carry
 * fds cannot be sent to a server that refused them (the caller's call then times out). */
static void drop_queued_fd_messages(BusTransport *t) {
        size_t kept = 0;

        for (size_t i = 0; i < t->n_out; i++) {
                BusMessage *m = out_at(t, i);
                const void *wire;
                size_t n_fds, size;

                (void) bus_message_get_fds(m, &n_fds);
                if (n_fds == 0) {
                        t->out[t->out_head + kept++] = m;
                        continue;
                }
                (void) bus_message_get_wire(m, &wire, &size);
                log_debug("bus transport: dropping a queued message with fds: the server does not take fds");
                t->out_bytes -= size;
                t->out_fds -= n_fds;
                bus_message_unref(m);
        }
        t->n_out = kept;
}

static int auth_start(BusTransport *t) {
        int r;

        if (t->config.role == BUS_TRANSPORT_SERVER) {
                BusSaslServerConfig c = {
                        .mechanisms = t->config.auth_mechanisms ? t->config.auth_mechanisms
                                                                : BUS_AUTH_EXTERNAL,
                        .peer_uid = t->have_cred ? t->cred.uid : UID_INVALID,
                        .can_pass_fds = t->config.accept_fds,
                        .guid = t->config_guid,
                };
                r = bus_sasl_server_new(&c, &t->sasl_server);
        } else {
                BusSaslClientConfig c = {
                        .mechanism = BUS_SASL_MECHANISM_EXTERNAL,
                        .uid = geteuid(),
                        .want_fds = t->config.accept_fds,
                        .expected_guid = t->config_expected_guid,
                };
                r = bus_sasl_client_new(&c, &t->sasl_client);
        }
        if (r < 0)
                return r;
        return auth_take_output(t);
}

/* Feeds unconsumed input to the SASL state machine. Returns 1 when authentication finished,
 * 0 if more input is needed, or a negative errno (with *reason set) to disconnect. */
static int auth_process(BusTransport *t, const char **reason) {
        BusSaslState state;
        size_t consumed = 0;
        int r;

        /* The feed stops early while much output waits; we take the output each time, so
         * feed again as long as it makes progress. */
        do {
                if (t->in_end == t->in_start)
                        return 0; /* nothing to feed (t->in may not even be allocated yet) */
                if (t->sasl_server)
                        state = bus_sasl_server_feed(t->sasl_server, t->in + t->in_start,
                                                     t->in_end - t->in_start, &consumed);
                else
                        state = bus_sasl_client_feed(t->sasl_client, t->in + t->in_start,
                                                     t->in_end - t->in_start, &consumed);
                t->in_start += consumed;
                r = auth_take_output(t);
                if (r < 0) {
                        *reason = "out of memory";
                        return r;
                }
        } while (state == BUS_SASL_IN_PROGRESS && consumed > 0);
        if (state == BUS_SASL_FAILED) {
                *reason = t->sasl_server ? bus_sasl_server_get_failure(t->sasl_server)
                                         : bus_sasl_client_get_failure(t->sasl_client);
                if (!*reason)
                        *reason = "authentication failed";
                (void) write_auth(t); /* the last REJECTED, if the peer still reads */
                return -EACCES;
        }
        if (state != BUS_SASL_AUTHENTICATED)
                return 0;

        if (t->sasl_server) {
                strncpy(t->guid, t->config_guid, sizeof(t->guid) - 1);
                t->auth_uid = bus_sasl_server_get_uid(t->sasl_server);
                t->fds_agreed = bus_sasl_server_get_unix_fds(t->sasl_server);
        } else {
                const char *g = bus_sasl_client_get_server_guid(t->sasl_client);

                strncpy(t->guid, g ? g : "", sizeof(t->guid) - 1);
                t->fds_agreed = bus_sasl_client_get_unix_fds(t->sasl_client);
        }
        t->sasl_server = bus_sasl_server_free(t->sasl_server);
        t->sasl_client = bus_sasl_client_free(t->sasl_client);
        t->state = BUS_TRANSPORT_RUNNING;
        if (!t->fds_agreed)
                drop_queued_fd_messages(t);
        return 1;
}

/* ---- reading ---- */

static void in_fds_close(BusTransport *t) {
        for (size_t i = 0; i < t->n_in_fds; i++)
                safe_close(t->in_fds[i]);
        t->n_in_fds = 0;
}

/* Makes room for at least want bytes after in_end, moving unconsumed bytes to the front. */
static int in_reserve(BusTransport *t, size_t want) {
        size_t used = t->in_end - t->in_start;

        if (t->in_start > 0 && (used == 0 || t->in_alloc - t->in_end < want)) {
                memmove(t->in, t->in + t->in_start, used);
                t->in_start = 0;
                t->in_end = used;
        }
        if (t->in_alloc - t->in_end >= want)
                return 0;
        if (!GREEDY_REALLOC(t->in, t->in_alloc, t->in_end + want))
                return -ENOMEM;
        return 0;
}

/* Drops the buffer once everything in it was consumed, so idle connections stay small (a bus
 * has thousands of them; the next read allocates again). */
static void in_shrink(BusTransport *t) {
        if (t->in_start == t->in_end) {
                t->in_start = t->in_end = 0;
                if (t->in_alloc > 0) {
                        t->in = mfree(t->in);
                        t->in_alloc = 0;
                }
        }
}

/* The overflow area of reads, allocated on first use and kept (its untouched pages cost
 * nothing). Only do_read() uses it, between its recvmsg() and the copy that follows: no
 * callback runs in between, so the transports of a thread can share it. */
static _Thread_local uint8_t *read_scratch;

/* One recvmsg(). Returns >0 bytes read, 0 on EOF, -EAGAIN, or -errno; *reason on errors of the
 * peer's making. */
static int do_read(BusTransport *t, size_t want, const char **reason) {
        union {
                struct cmsghdr cmsg;
                uint8_t buf[CMSG_SPACE(sizeof(int) * BUS_MESSAGE_FDS_MAX)];
        } control;
        struct iovec iov[2];
        struct msghdr mh = {
                .msg_iov = iov,
                .msg_iovlen = 1,
                .msg_control = control.buf,
                .msg_controllen = sizeof(control.buf),
        };
        size_t room, extra;
        ssize_t n;
        int r;

        r = in_reserve(t, want);
        if (r < 0)
                return r;
        room = t->in_alloc - t->in_end;
        iov[0] = (struct iovec) { t->in + t->in_end, room };
        if (!read_scratch)
                read_scratch = malloc(READ_SCRATCH); /* without it: one piece per wake-up */
        if (read_scratch)
                iov[mh.msg_iovlen++] = (struct iovec) { read_scratch, READ_SCRATCH };
        n = recvmsg(t->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n < 0)
                return -errno;

        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                size_t k;
                int *fds;

                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                fds = (int *) CMSG_DATA(c);
                if (!GREEDY_REALLOC(t->in_fds, t->in_fds_alloc, t->n_in_fds + k)) {
                        for (size_t i = 0; i < k; i++)
                                safe_close(fds[i]);
                        return -ENOMEM;
                }
                memcpy(t->in_fds + t->n_in_fds, fds, k * sizeof(int));
                t->n_in_fds += k;
        }
        if (mh.msg_flags & MSG_CTRUNC) {
                *reason = "the peer sent more fds at once than the kernel passes";
                return -EBADMSG;
        }
        if (t->n_in_fds > 0 && !t->fds_agreed) {
                *reason = "the peer sent fds without negotiating fd passing";
                return -EBADMSG;
        }
        /* what did not fit went to the scratch area: after the rest, in the buffer (grown;
         * in_reserve() keeps the bytes up to in_end) */
        extra = (size_t) n > room ? (size_t) n - room : 0;
        t->in_end += (size_t) n - extra;
        if (extra > 0) {
                r = in_reserve(t, extra);
                if (r < 0)
                        return r; /* the bytes are lost: the caller disconnects */
                memcpy(t->in + t->in_end, read_scratch, extra);
                t->in_end += extra;
        }
        return (int) MIN(n, (ssize_t) INT32_MAX);
}

/* Parses and delivers the complete messages in the input buffer. Returns 0 when more bytes
 * are needed (*ret_want set to how many), or a negative errno with *reason to disconnect. */
static int process_messages(BusTransport *t, size_t *ret_want, const char **reason) {
        size_t max_size = t->config.max_message_size ? t->config.max_message_size
                                                     : BUS_MESSAGE_SIZE_MAX;

        /* Stops when the owner turns reading off from its message callback (flow control);
         * bus_transport_set_reading() resumes with what is left in the buffer. */
        while (t->state == BUS_TRANSPORT_RUNNING && t->reading) {
                size_t avail = t->in_end - t->in_start, size;
                BusMessage *m = NULL;
                uint32_t n_fds;
                int r;

                r = bus_message_size_needed(t->in + t->in_start, avail, &size);
                if (r < 0) {
                        *reason = r == -EMSGSIZE ? "message larger than 128 MiB"
                                                 : "invalid message header";
                        return r;
                }
                if (size == 0) {
                        *ret_want = READ_CHUNK;
                        return 0;
                }
                if (size > max_size) {
                        *reason = "message larger than the configured maximum";
                        return -EMSGSIZE;
                }
                if (avail < size) {
                        *ret_want = MAX(size - avail, (size_t) READ_CHUNK);
                        return 0;
                }
                r = bus_message_from_wire(t->in + t->in_start, size, (uint32_t) t->n_in_fds,
                                          t->config.parse_flags | BUS_PARSE_FDS_UP_TO, &m,
                                          reason);
                if (r == -ENOBUFS) {
                        /* fds still on their way (split over several reads) */
                        *ret_want = READ_CHUNK;
                        return 0;
                }
                if (r < 0)
                        return r;
                t->in_start += size;
                n_fds = bus_message_get_unix_fds(m);
                if (n_fds > (t->config.max_message_fds ? t->config.max_message_fds
                                 : t->config.role == BUS_TRANSPORT_SERVER ? 16U : BUS_MESSAGE_FDS_MAX)) {
                        bus_message_unref(m);
                        *reason = "message carries more fds than allowed";
                        return -ETOOMANYREFS;
                }
                if (n_fds > 0) {
                        r = bus_message_attach_fds(m, t->in_fds, n_fds);
                        if (r < 0) {
                                bus_message_unref(m);
                                *reason = "out of memory";
                                return r;
                        }
                        t->n_in_fds -= n_fds;
                        memmove(t->in_fds, t->in_fds + n_fds, t->n_in_fds * sizeof(int));
                }
                r = t->callbacks.message ? t->callbacks.message(t, m, t->userdata)
                                         : (bus_message_unref(m), 0);
                if (r < 0) {
                        *reason = "the message was refused";
                        return r;
                }
        }
        *ret_want = READ_CHUNK;
        return 0;
}

/* Consumes what the input buffer holds: authentication lines, then messages. */
static int process_input(BusTransport *t, size_t *ret_want, const char **reason) {
        int r;

        *ret_want = READ_CHUNK;
        if (t->state == BUS_TRANSPORT_AUTHENTICATING) {
                r = auth_process(t, reason);
                if (r <= 0)
                        return r;
                /* the server's last lines must go out before any message of ours */
                (void) do_write(t);
                if (t->callbacks.ready) {
                        r = t->callbacks.ready(t, t->userdata);
                        if (r < 0) {
                                *reason = "refused after authentication";
                                return r;
                        }
                }
        }
        return process_messages(t, ret_want, reason);
}

static int io_handler(EventSource *s, int fd, uint32_t revents, void *userdata) {
        (void) bus_transport_process(userdata, revents);
        return 0;
}

bool bus_transport_wants_write(const BusTransport *t) {
        return t->state != BUS_TRANSPORT_CLOSED && !t->write_failed &&
               (t->auth_out_sent < t->auth_out_size ||
                (t->n_out > 0 && t->state == BUS_TRANSPORT_RUNNING));
}

int bus_transport_process(BusTransport *t, uint32_t revents) {
        const char *reason = NULL;
        size_t want;
        int r = 0;

        bus_transport_ref(t);
        if (revents & EPOLLOUT) {
                r = do_write(t);
                if (r < 0)
                        reason = "writing to the peer failed";
        }
        if (r >= 0 && t->state != BUS_TRANSPORT_CLOSED &&
            ((revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) || t->write_failed)) {
                r = process_input(t, &want, &reason); /* what an earlier read left */
                if (r >= 0 && t->state != BUS_TRANSPORT_CLOSED) {
                        r = do_read(t, want, &reason);
                        if (r == 0) {
                                r = -ECONNRESET;
                                reason = "the peer closed the connection";
                        } else if (r == -EAGAIN)
                                r = t->write_failed ? -EPIPE : 0;
                        else if (r > 0)
                                r = process_input(t, &want, &reason);
                        if (r < 0 && !reason)
                                reason = "reading from the peer failed";
                }
                if (r >= 0 && t->state != BUS_TRANSPORT_CLOSED)
                        r = do_write(t);
                if (r < 0 && !reason)
                        reason = "writing to the peer failed";
        }
        if (r < 0)
                transport_disconnect(t, r == -ECONNRESET && !t->write_failed ? 0 : r, reason);
        else if (t->state != BUS_TRANSPORT_CLOSED) {
                in_shrink(t);
                (void) update_events(t);
        }
        r = t->state == BUS_TRANSPORT_CLOSED ? -ENOTCONN : 0;
        bus_transport_unref(t);
        return r;
}

/* ---- life cycle ---- */

static void transport_disconnect(BusTransport *t, int error, const char *reason) {
        if (t->state == BUS_TRANSPORT_CLOSED)
                return;
        t->state = BUS_TRANSPORT_CLOSED;
        t->io = event_source_disable_unref(t->io);
        t->resume = event_source_disable_unref(t->resume);
        t->fd = safe_close(t->fd);
        while (t->n_out > 0)
                out_pop(t);
        in_fds_close(t);
        log_debug("bus transport: disconnected: %s", reason ? reason : "closed");
        if (t->callbacks.disconnected)
                t->callbacks.disconnected(t, error, reason ? reason : "closed", t->userdata);
}

void bus_transport_close(BusTransport *t, const char *reason) {
        if (!t)
                return;
        bus_transport_ref(t);
        transport_disconnect(t, 0, reason);
        bus_transport_unref(t);
}

static char *strdup_or_null(const char *s, bool *oom) {
        char *c;

        if (!s)
                return NULL;
        c = strdup(s);
        if (!c)
                *oom = true;
        return c;
}

int bus_transport_new(Event *e, int fd, const BusTransportConfig *config,
                      const BusTransportCallbacks *callbacks, void *userdata, BusTransport **ret) {
        _cleanup_close_ int owned = fd;
        _cleanup_(bus_transport_unrefp) BusTransport *t = NULL;
        socklen_t len = sizeof(struct ucred);
        bool oom = false;
        int flags, r;

        assert(e);
        assert(config);
        assert(ret);
        if (fd < 0)
                return -EBADF;
        if (config->role == BUS_TRANSPORT_SERVER && (!config->guid || strlen(config->guid) != 32))
                return -EINVAL;

        if (!config->fd_ready) {
                flags = fcntl(fd, F_GETFL);
                if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
                    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
                        return -errno;
        }

        t = new0(BusTransport, 1);
        if (!t)
                return -ENOMEM;
        t->n_ref = 1;
        t->fd = TAKE_FD(owned);
        t->event = event_ref(e);
        t->config = *config;
        t->config_guid = strdup_or_null(config->guid, &oom);
        t->config_expected_guid = strdup_or_null(config->expected_guid, &oom);
        if (oom)
                return -ENOMEM;
        t->config.guid = t->config_guid;
        t->config.expected_guid = t->config_expected_guid;
        if (callbacks)
                t->callbacks = *callbacks;
        t->userdata = userdata;
        t->auth_uid = UID_INVALID;
        t->reading = true;
        t->state = BUS_TRANSPORT_AUTHENTICATING;
        if (getsockopt(t->fd, SOL_SOCKET, SO_PEERCRED, &t->cred, &len) >= 0 &&
            len == sizeof(struct ucred) && t->cred.pid > 0)
                t->have_cred = true;

        r = auth_start(t);
        if (r < 0)
                return r;
        r = event_add_io(e, &t->io, t->fd, EPOLLIN, io_handler, t);
        if (r < 0)
                return r;
        (void) event_source_set_description(t->io, "bus-transport");
        r = write_auth(t);
        if (r < 0)
                return r;
        r = update_events(t);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(t);
        return 0;
}

BusTransport *bus_transport_ref(BusTransport *t) {
        assert(t);
        t->n_ref++;
        return t;
}

BusTransport *bus_transport_unref(BusTransport *t) {
        if (!t)
                return NULL;
        assert(t->n_ref > 0);
        if (--t->n_ref > 0)
                return NULL;
        t->io = event_source_disable_unref(t->io);
        t->resume = event_source_disable_unref(t->resume);
        safe_close(t->fd);
        while (t->n_out > 0)
                out_pop(t);
        free(t->out);
        in_fds_close(t);
        free(t->in_fds);
        free(t->in);
        free(t->auth_out);
        bus_sasl_server_free(t->sasl_server);
        bus_sasl_client_free(t->sasl_client);
        free(t->config_guid);
        free(t->config_expected_guid);
        free(t->groups);
        free(t->label);
        event_unref(t->event);
        return mfree(t);
}

/* ---- sending ---- */

int bus_transport_send(BusTransport *t, BusMessage *m) {
        size_t limit, size, n_fds;
        const void *wire;
        int r;

        assert(t);
        assert(m);
        if (bus_message_get_wire(m, &wire, &size) < 0)
                return -EINVAL;
        if (t->state == BUS_TRANSPORT_CLOSED || t->write_failed)
                return -ENOTCONN;
        if (t->state != BUS_TRANSPORT_RUNNING && t->config.role == BUS_TRANSPORT_SERVER)
                return -ENOTCONN;
        (void) bus_message_get_fds(m, &n_fds);
        if (n_fds > 0 && t->state == BUS_TRANSPORT_RUNNING && !t->fds_agreed)
                return -ENOTSUP;
        limit = t->config.max_outgoing_bytes ? t->config.max_outgoing_bytes
                                             : DEFAULT_MAX_OUTGOING_BYTES;
        if (t->out_bytes + size > limit)
                return -ENOBUFS;

        if (t->out_head > 0 && t->out_head + t->n_out == t->out_alloc) {
                memmove(t->out, t->out + t->out_head, t->n_out * sizeof(BusMessage *));
                t->out_head = 0;
        }
        if (!GREEDY_REALLOC(t->out, t->out_alloc, t->out_head + t->n_out + 1))
                return -ENOMEM;
        t->out[t->out_head + t->n_out++] = bus_message_ref(m);
        t->out_bytes += size;
        t->out_fds += n_fds;

        if (t->state != BUS_TRANSPORT_RUNNING || t->corked)
                return 0; /* a client queues until authentication finished */
        if (t->n_out == 1) {
                r = do_write(t);
                if (r < 0)
                        return 0; /* reported as a disconnection from the loop */
        }
        return update_events(t);
}

void bus_transport_cork(BusTransport *t, bool on) {
        assert(t);
        if (t->corked == on)
                return;
        t->corked = on;
        if (!on && t->n_out > 0 && t->state == BUS_TRANSPORT_RUNNING) {
                (void) do_write(t); /* a failure is reported as a disconnection from the loop */
                (void) update_events(t);
        }
}

int bus_transport_flush(BusTransport *t) {
        assert(t);
        if (t->state == BUS_TRANSPORT_CLOSED)
                return -ENOTCONN;
        (void) do_write(t);
        return update_events(t);
}

static int resume_handler(EventSource *s, void *userdata) {
        BusTransport *t = userdata;
        const char *reason = NULL;
        size_t want;
        int r;

        if (t->state != BUS_TRANSPORT_RUNNING || !t->reading)
                return 0;
        bus_transport_ref(t);
        r = process_messages(t, &want, &reason);
        if (r < 0)
                transport_disconnect(t, r, reason);
        else if (t->state != BUS_TRANSPORT_CLOSED) {
                (void) do_write(t);
                (void) update_events(t);
        }
        bus_transport_unref(t);
        return 0;
}

int bus_transport_set_reading(BusTransport *t, bool on) {
        int r;

        assert(t);
        t->reading = on;
        if (on && t->state == BUS_TRANSPORT_RUNNING && t->in_end > t->in_start) {
                /* complete messages may wait in the buffer: no EPOLLIN will announce them */
                if (!t->resume) {
                        r = event_add_defer(t->event, &t->resume, resume_handler, t);
                        if (r < 0)
                                return r;
                } else {
                        r = event_source_set_enabled(t->resume, EVENT_ONESHOT);
                        if (r < 0)
                                return r;
                }
        }
        return update_events(t);
}

/* ---- properties ---- */

BusTransportState bus_transport_get_state(const BusTransport *t) {
        return t->state;
}

int bus_transport_get_fd(const BusTransport *t) {
        return t->fd;
}

void *bus_transport_get_userdata(const BusTransport *t) {
        return t->userdata;
}

void bus_transport_set_userdata(BusTransport *t, void *userdata) {
        t->userdata = userdata;
}

bool bus_transport_can_pass_fds(const BusTransport *t) {
        return t->fds_agreed;
}

const char *bus_transport_get_guid(const BusTransport *t) {
        return t->guid[0] ? t->guid : NULL;
}

uid_t bus_transport_get_auth_uid(const BusTransport *t) {
        return t->auth_uid;
}

size_t bus_transport_get_outgoing_bytes(const BusTransport *t) {
        return t->out_bytes;
}

size_t bus_transport_get_outgoing_fds(const BusTransport *t) {
        return t->out_fds;
}

size_t bus_transport_get_pending_fds(const BusTransport *t) {
        return t->n_in_fds;
}

int bus_transport_get_peer_creds(const BusTransport *t, pid_t *ret_pid, uid_t *ret_uid,
                                 gid_t *ret_gid) {
        if (!t->have_cred)
                return -ENODATA;
        if (ret_pid)
                *ret_pid = t->cred.pid;
        if (ret_uid)
                *ret_uid = t->cred.uid;
        if (ret_gid)
                *ret_gid = t->cred.gid;
        return 0;
}

int bus_transport_get_peer_groups(BusTransport *t, const gid_t **ret, size_t *ret_n) {
        if (!t->groups_read && t->fd >= 0) {
                socklen_t len = 64 * sizeof(gid_t);

                for (;;) {
                        gid_t *g = realloc(t->groups, len ? len : 1);
                        if (!g)
                                return -ENOMEM;
                        t->groups = g;
                        if (getsockopt(t->fd, SOL_SOCKET, SO_PEERGROUPS, t->groups, &len) >= 0)
                                break;
                        if (errno != ERANGE)
                                return -errno;
                }
                t->n_groups = len / sizeof(gid_t);
                t->groups_read = true;
        }
        if (!t->groups_read)
                return -ENODATA;
        *ret = t->groups;
        *ret_n = t->n_groups;
        return 0;
}

int bus_transport_get_peer_label(BusTransport *t, const char **ret) {
        if (!t->label_read && t->fd >= 0) {
                socklen_t len = 256;

                for (;;) {
                        char *l = realloc(t->label, len + 1);
                        if (!l)
                                return -ENOMEM;
                        t->label = l;
                        if (getsockopt(t->fd, SOL_SOCKET, SO_PEERSEC, t->label, &len) >= 0)
                                break;
                        if (errno == ENOPROTOOPT || errno == EOPNOTSUPP) {
                                t->label = mfree(t->label);
                                t->label_read = true;
                                return -ENODATA;
                        }
                        if (errno != ERANGE)
                                return -errno;
                }
                t->label[len] = 0;
                if (len == 0 || t->label[0] == 0)
                        t->label = mfree(t->label);
                t->label_read = true;
        }
        if (!t->label)
                return -ENODATA;
        *ret = t->label;
        return 0;
}
