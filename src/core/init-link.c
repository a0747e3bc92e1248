/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init-link.c: see init-link.h. One datagram per message (SOCK_SEQPACKET): a header, the
 * payload, fds as SCM_RIGHTS. Sending never blocks the loop for long: the socket buffer of a
 * local seqpacket pair is large and init reads all the time; a full buffer (init hung) is
 * reported as -EAGAIN and the heartbeat simply misses, which is what init acts on.
 */

#include <assert.h>
#include <poll.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fd-util.h"
#include "init-link.h"
#include "log.h"
#include "parse-util.h"
#include "time-base.h"

struct InitLink {
        Event *event;
        EventSource *io, *heartbeat;
        int fd;
        InitLinkCallbacks callbacks;
        void *userdata;
        uint32_t generation;
        uint64_t heartbeat_usec;
        uint64_t last_serial; /* highest exit record serial delivered */
        InitStoreEndPayload store_end; /* of the last FDSTORE_END */
        bool store_received;
        bool gone;
        bool pause_after_end; /* init_link_wait_store(): read nothing after FDSTORE_END */
        bool hello_answered;  /* init answered our HELLO: what came before was for an earlier image */
};

static int link_send(InitLink *l, uint16_t type, const void *payload, size_t size,
                     const int *fds, size_t n_fds) {
        union {
                struct cmsghdr cmsg;
                uint8_t buf[CMSG_SPACE(sizeof(int) * INIT_FDS_PER_MESSAGE_MAX)];
        } control = {};
        InitMessageHeader h = {
                .magic = INIT_PROTOCOL_MAGIC,
                .type = type,
                .size = (uint32_t) size,
        };
        struct iovec iov[2] = {
                { &h, sizeof(h) },
                { (void *) payload, size },
        };
        struct msghdr mh = {
                .msg_iov = iov,
                .msg_iovlen = size > 0 ? 2 : 1,
        };

        if (l->gone)
                return -ENOTCONN;
        if (sizeof(h) + size > INIT_MESSAGE_MAX || n_fds > INIT_FDS_PER_MESSAGE_MAX)
                return -E2BIG;
        if (n_fds > 0)
                msghdr_put_fds(&mh, control.buf, fds, n_fds);
        if (sendmsg(l->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
                return -errno;
        return 0;
}

static void link_gone(InitLink *l) {
        if (l->gone)
                return;
        l->gone = true;
        l->io = event_source_disable_unref(l->io);
        l->heartbeat = event_source_disable_unref(l->heartbeat);
        log_warning("The connection to sysmaster-init was lost.");
        if (l->callbacks.disconnected)
                l->callbacks.disconnected(l, l->userdata);
}

int init_link_heartbeat(InitLink *l) {
        return link_send(l, INIT_MSG_HEARTBEAT, NULL, 0, NULL, 0);
}

static int heartbeat_handler(EventSource *s, usec_t usec, void *userdata) {
        InitLink *l = userdata;
        int r;

        r = init_link_heartbeat(l);
        if (r < 0 && r != -EAGAIN)
                log_debug_errno(r, "Failed to send a heartbeat to init: %m");
        if (l->heartbeat_usec > 0) {
                (void) event_source_set_time_relative(s, l->heartbeat_usec / 2);
                (void) event_source_set_enabled(s, EVENT_ONESHOT);
        }
        return 0;
}

static void arm_heartbeat(InitLink *l) {
        if (l->heartbeat_usec == 0) {
                l->heartbeat = event_source_disable_unref(l->heartbeat);
                return;
        }
        if (!l->heartbeat) {
                if (event_add_time_relative(l->event, &l->heartbeat, CLOCK_MONOTONIC,
                                            l->heartbeat_usec / 2, 0, heartbeat_handler, l) < 0)
                        log_warning("Cannot arm the heartbeat timer: init may restart us.");
                return;
        }
        (void) event_source_set_time_relative(l->heartbeat, l->heartbeat_usec / 2);
        (void) event_source_set_enabled(l->heartbeat, EVENT_ONESHOT);
}

/* The NUL-terminated name at the start of p (size bytes), or NULL if there is none. */
static const char *payload_name(const uint8_t *p, size_t size) {
        if (size == 0 || size > INIT_FDSTORE_NAME_MAX + 1 || !memchr(p, 0, size) || p[0] == 0)
                return NULL;
        return (const char *) p;
}

static void dispatch(InitLink *l, const InitMessageHeader *h, const uint8_t *p, size_t size,
                     int *fds, size_t n_fds) {
        switch (h->type) {
        case INIT_MSG_HELLO: {
                InitHelloPayload hello = {};

                if (size < sizeof(hello))
                        break;
                memcpy(&hello, p, sizeof(hello));
                l->generation = hello.generation;
                l->heartbeat_usec = hello.heartbeat_usec;
                l->hello_answered = true;
                l->store_received = false;
                arm_heartbeat(l);
                log_debug("init: protocol %u, we are manager #%u, heartbeat every %" PRIu64 " us",
                          hello.version, hello.generation, hello.heartbeat_usec);
                return;
        }
        case INIT_MSG_EXIT_RECORD: {
                InitExitRecord rec;

                /* Queued for the image before an in-place re-execution: init sends every
                 * unacknowledged record again after our HELLO. */
                if (!l->hello_answered)
                        break;

                if (size < sizeof(rec))
                        break;
                memcpy(&rec, p, sizeof(rec));
                if (rec.serial <= l->last_serial)
                        return; /* sent again after a re-HELLO, delivered before */
                l->last_serial = rec.serial;
                if (l->callbacks.exit_record)
                        l->callbacks.exit_record(l, &rec, l->userdata);
                return;
        }
        case INIT_MSG_FDSTORE_ENTRY: {
                const char *name = payload_name(p, size);

                if (!l->hello_answered)
                        break; /* an earlier image's push; the whole store comes again */

                if (!name || n_fds == 0)
                        break;
                if (l->callbacks.fdstore_entry) {
                        l->callbacks.fdstore_entry(l, name, fds, n_fds, l->userdata);
                        return; /* the callee took them */
                }
                break;
        }
        case INIT_MSG_FDSTORE_END:
                /* an init without the payload: records may have been lost, as far as we know */
                l->store_end = (InitStoreEndPayload){ .dropped_records = UINT64_MAX };
                if (size >= sizeof(l->store_end))
                        memcpy(&l->store_end, p, sizeof(l->store_end));
                l->store_received = true;
                if (l->callbacks.fdstore_end)
                        l->callbacks.fdstore_end(l, l->userdata);
                break;
        case INIT_MSG_SIGNAL: {
                int32_t sig;

                if (size < sizeof(sig))
                        break;
                memcpy(&sig, p, sizeof(sig));
                if (l->callbacks.signal)
                        l->callbacks.signal(l, sig, l->userdata);
                break;
        }
        case INIT_MSG_ERROR: {
                InitErrorPayload e;

                if (size < sizeof(e))
                        break;
                memcpy(&e, p, sizeof(e));
                if (l->callbacks.error)
                        l->callbacks.error(l, e.type, e.error,
                                           payload_name(p + sizeof(e), size - sizeof(e)),
                                           l->userdata);
                break;
        }
        default:
                log_debug("init: ignoring message of unknown type %u", h->type);
                break;
        }
        for (size_t i = 0; i < n_fds; i++)
                safe_close(fds[i]);
}

static int io_handler(EventSource *s, int fd, uint32_t revents, void *userdata) {
        InitLink *l = userdata;

        for (;;) {
                union {
                        struct cmsghdr cmsg;
                        uint8_t buf[CMSG_SPACE(sizeof(int) * INIT_FDS_PER_MESSAGE_MAX)];
                } control;
                _Alignas(InitMessageHeader) uint8_t buf[INIT_MESSAGE_MAX];
                struct iovec iov = { buf, sizeof(buf) };
                struct msghdr mh = {
                        .msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buf,
                        .msg_controllen = sizeof(control.buf),
                };
                int fds[INIT_FDS_PER_MESSAGE_MAX];
                size_t n_fds = 0;
                InitMessageHeader h;
                ssize_t n;

                n = recvmsg(l->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                return 0;
                        link_gone(l);
                        return 0;
                }
                if (n == 0) {
                        link_gone(l);
                        return 0;
                }
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                                size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

                                for (size_t i = 0; i < k; i++) {
                                        int f;

                                        memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                                        if (n_fds < ELEMENTSOF(fds))
                                                fds[n_fds++] = f;
                                        else
                                                safe_close(f);
                                }
                        }
                if ((size_t) n < sizeof(h)) {
                        log_warning("init: short message (%zd bytes), ignoring.", n);
                        for (size_t i = 0; i < n_fds; i++)
                                safe_close(fds[i]);
                        continue;
                }
                memcpy(&h, buf, sizeof(h));
                if (h.magic != INIT_PROTOCOL_MAGIC || h.size != (size_t) n - sizeof(h)) {
                        log_warning("init: malformed message (type %u), ignoring.", h.type);
                        for (size_t i = 0; i < n_fds; i++)
                                safe_close(fds[i]);
                        continue;
                }
                dispatch(l, &h, buf + sizeof(h), h.size, fds, n_fds);
                if (l->gone || (l->pause_after_end && l->store_received))
                        return 0;
        }
}

int init_link_new(Event *e, int fd, const InitLinkCallbacks *callbacks, void *userdata,
                  InitLink **ret) {
        _cleanup_close_ int owned = fd;
        _cleanup_(init_link_freep) InitLink *l = NULL;
        InitHelloPayload hello = { .version = INIT_PROTOCOL_VERSION };
        int r;

        assert(e);
        assert(ret);
        if (fd < 0)
                return -EBADF;
        l = new0(InitLink, 1);
        if (!l)
                return -ENOMEM;
        l->event = event_ref(e);
        l->fd = TAKE_FD(owned);
        if (callbacks)
                l->callbacks = *callbacks;
        l->userdata = userdata;
        l->heartbeat_usec = INIT_HEARTBEAT_DEFAULT_USEC;
        r = event_add_io(e, &l->io, l->fd, EPOLLIN, io_handler, l);
        if (r < 0)
                return r;
        (void) event_source_set_description(l->io, "init-link");
        r = link_send(l, INIT_MSG_HELLO, &hello, sizeof(hello), NULL, 0);
        if (r < 0)
                return r;
        arm_heartbeat(l);
        *ret = TAKE_PTR(l);
        return 0;
}

int init_link_new_from_env(Event *e, const InitLinkCallbacks *callbacks, void *userdata,
                           InitLink **ret) {
        const char *s = getenv(INIT_FD_ENV);
        unsigned fd;
        int r;

        if (!s)
                return -ENXIO;
        r = safe_atou(s, &fd);
        if (r < 0 || fd < 3 || fd > INT32_MAX)
                return -EBADF;
        (void) unsetenv(INIT_FD_ENV);
        return init_link_new(e, (int) fd, callbacks, userdata, ret);
}

InitLink *init_link_free(InitLink *l) {
        if (!l)
                return NULL;
        event_source_disable_unref(l->io);
        event_source_disable_unref(l->heartbeat);
        safe_close(l->fd);
        event_unref(l->event);
        return mfree(l);
}

int init_link_get_fd(const InitLink *l) {
        return l->fd;
}

uint32_t init_link_get_generation(const InitLink *l) {
        return l->generation;
}

uint64_t init_link_get_heartbeat_usec(const InitLink *l) {
        return l->heartbeat_usec;
}

bool init_link_store_received(const InitLink *l) {
        return l->store_received;
}

int init_link_ack(InitLink *l, uint64_t serial) {
        return link_send(l, INIT_MSG_EXIT_ACK, &serial, sizeof(serial), NULL, 0);
}

int init_link_fdstore_put(InitLink *l, const char *name, const int *fds, size_t n) {
        size_t len = strlen(name);

        if (len == 0 || len > INIT_FDSTORE_NAME_MAX || n == 0 || n > INIT_FDS_PER_MESSAGE_MAX)
                return -EINVAL;
        return link_send(l, INIT_MSG_FDSTORE_PUT, name, len + 1, fds, n);
}

int init_link_fdstore_remove(InitLink *l, const char *name) {
        size_t len = strlen(name);

        if (len == 0 || len > INIT_FDSTORE_NAME_MAX)
                return -EINVAL;
        return link_send(l, INIT_MSG_FDSTORE_REMOVE, name, len + 1, NULL, 0);
}

int init_link_shutdown(InitLink *l, InitShutdownAction action, int exit_status) {
        InitShutdownPayload p = {
                .action = action,
                .exit_status = exit_status,
        };

        return link_send(l, INIT_MSG_SHUTDOWN, &p, sizeof(p), NULL, 0);
}

/* Reads and handles messages until done(l) holds, init is gone, or timeout_usec passed. */
static void read_until(InitLink *l, uint64_t timeout_usec, bool (*done)(const InitLink *l)) {
        usec_t deadline = now(CLOCK_MONOTONIC) + timeout_usec;

        while (!done(l) && !l->gone) {
                struct pollfd p = { .fd = l->fd, .events = POLLIN };
                usec_t n = now(CLOCK_MONOTONIC);

                if (n >= deadline)
                        break;
                if (poll(&p, 1, (int) ((deadline - n) / 1000 + 1)) < 0 && errno != EINTR)
                        break;
                (void) io_handler(NULL, l->fd, 0, l);
        }
}

static bool store_done(const InitLink *l) {
        return l->store_received;
}

int init_link_wait_store(InitLink *l, uint64_t timeout_usec) {
        l->pause_after_end = true;
        read_until(l, timeout_usec, store_done);
        l->pause_after_end = false;
        return l->store_received ? 0 : l->gone ? -EPIPE : -ETIMEDOUT;
}

void init_link_process(InitLink *l) {
        if (l && !l->gone)
                (void) io_handler(NULL, l->fd, 0, l);
}

uint64_t init_link_dropped_records(const InitLink *l) {
        return l && l->store_received ? l->store_end.dropped_records : UINT64_MAX;
}

/* init pushes them right after FDSTORE_END; a full socket makes it go on later */
static bool held_records_done(const InitLink *l) {
        return !l->store_received || l->last_serial >= l->store_end.newest_serial;
}

int init_link_process_held_records(InitLink *l, uint64_t timeout_usec) {
        if (!l)
                return 0;
        init_link_process(l);
        read_until(l, timeout_usec, held_records_done);
        return l->gone ? -EPIPE : held_records_done(l) ? 0 : -ETIMEDOUT;
}
