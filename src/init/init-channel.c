/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init-channel.c: the messages between init and the manager (src/shared/init-protocol.h).
 * Exit records: InitState.ring holds contiguous serials, ring[ring_head] the oldest. sent_serial
 * says how far the current manager got; HELLO sets it back to resend every unacknowledged
 * record, EXIT_ACK drops records from the head. The fd store is a fixed table of named entries;
 * fds arrive with MSG_CMSG_CLOEXEC and leave as SCM_RIGHTS copies (init keeps its own).
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "init.h"

#define RECEIVE_BATCH 64U

typedef union InitControl {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * INIT_FDS_PER_MESSAGE_MAX)];
} InitControl;

/* Sends the payload p, then name with its NUL (if not NULL), and fds: 0, or -1 with errno. */
static int channel_send(InitState *s, uint16_t type, const void *p, size_t n, const char *name,
                        const int *fds, uint32_t n_fds) {
        size_t len = name ? strlen(name) + 1 : 0;
        InitMessageHeader h = { .magic = INIT_PROTOCOL_MAGIC, .type = type, .size = n + len };
        struct iovec iov[3] = { { &h, sizeof h }, { (void *) p, n }, { (void *) name, len } };
        struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 3 };
        InitControl control = {};

        if (n_fds > 0) {
                mh.msg_control = &control;
                mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
                control.align = (struct cmsghdr){ .cmsg_len = CMSG_LEN(sizeof(int) * n_fds),
                                                  .cmsg_level = SOL_SOCKET,
                                                  .cmsg_type = SCM_RIGHTS };
                memcpy(CMSG_DATA(&control.align), fds, sizeof(int) * n_fds);
        }
        return sendmsg(s->manager_fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* Errors are best effort: a manager that does not read its socket loses them. */
static void channel_error(InitState *s, uint16_t type, int error, const char *name) {
        InitErrorPayload e = { .type = type, .error = error };

        if (channel_send(s, INIT_MSG_ERROR, &e, sizeof e, name, NULL, 0) < 0)
                init_log(LOG_WARNING, "cannot report error %d to the manager: %m", error);
}

static void close_fds(const int *fds, uint32_t n) {
        for (uint32_t i = 0; i < n; i++)
                (void) close(fds[i]);
}

static const InitExitRecord *ring_find(const InitState *s, uint64_t serial) {
        uint64_t oldest = s->ring[s->ring_head].serial;

        if (s->ring_count == 0 || serial < oldest || serial - oldest >= s->ring_count)
                return NULL;
        return &s->ring[(s->ring_head + (serial - oldest)) % INIT_EXIT_RECORDS_MAX];
}

static void ring_pop(InitState *s) { /* empty, it starts over: only its first pages are used */
        s->ring_count--;
        s->ring_head = s->ring_count == 0 ? 0 : (s->ring_head + 1) % INIT_EXIT_RECORDS_MAX;
}

void init_channel_record(InitState *s, const siginfo_t *si) {
        if (s->ring_count == INIT_EXIT_RECORDS_MAX) {
                init_log(LOG_WARNING, "exit record ring full: dropping the record of PID %d",
                         s->ring[s->ring_head].pid);
                ring_pop(s);
                s->dropped_records++;
        }
        s->ring[(s->ring_head + s->ring_count) % INIT_EXIT_RECORDS_MAX] =
                (InitExitRecord){ .serial = s->next_serial++,
                                  .pid = si->si_pid,
                                  .code = si->si_code,
                                  .status = si->si_status,
                                  .realtime_usec = init_now(CLOCK_REALTIME),
                                  .monotonic_usec = init_now(CLOCK_MONOTONIC) };
        s->ring_count++;
}

/* FDSTORE_PUT (takes the fds: *n_fds becomes 0) or _REMOVE of name (NULL: invalid): 0, errno. */
static int store_change(InitState *s, uint16_t type, const char *name, int *fds, uint32_t *n_fds) {
        InitFdEntry *found = NULL, *slot = NULL;
        uint32_t total = 0;

        if (!name || (type == INIT_MSG_FDSTORE_PUT) != (*n_fds > 0))
                return EINVAL;
        for (InitFdEntry *e = s->store; e < s->store + s->store_used; e++)
                if (e->n_fds == 0)
                        slot = slot ?: e;
                else if (strcmp(e->name, name) == 0)
                        found = e;
                else
                        total += e->n_fds;
        if (type == INIT_MSG_FDSTORE_REMOVE && !found)
                return ENOENT;
        if (!slot && s->store_used < INIT_FDSTORE_ENTRIES_MAX)
                slot = &s->store[s->store_used]; /* taken below if nothing else is */
        if (type == INIT_MSG_FDSTORE_PUT &&
            ((!found && !slot) || total + *n_fds > INIT_FDSTORE_FDS_MAX))
                return ENOSPC;
        if (found) {
                close_fds(found->fds, found->n_fds);
                *found = (InitFdEntry){};
                slot = found;
        }
        if (type == INIT_MSG_FDSTORE_PUT) {
                memcpy(slot->fds, fds, sizeof(int) * *n_fds);
                s->store_used += slot == &s->store[s->store_used];
                slot->n_fds = *n_fds;
                strcpy(slot->name, name);
                *n_fds = 0;
        }
        return 0;
}

static const uint32_t min_size[] = { [INIT_MSG_HELLO] = sizeof(uint32_t),
                                     [INIT_MSG_EXIT_ACK] = sizeof(uint64_t),
                                     [INIT_MSG_SHUTDOWN] = sizeof(InitShutdownPayload) };

static void channel_dispatch(InitState *s, const InitMessageHeader *h, size_t n, int flags,
                             int *fds, uint32_t *n_fds) {
        const char *p = (const char *) (h + 1), *name = NULL;
        uint32_t version;
        uint64_t serial;
        int error = 0;

        if (n < sizeof *h || (flags & MSG_TRUNC) || h->magic != INIT_PROTOCOL_MAGIC ||
            h->size != n - sizeof *h ||
            (h->type < ELEMENTS(min_size) && h->size < min_size[h->type]))
                error = EBADMSG;
        else if (flags & MSG_CTRUNC)
                error = EMFILE;
        else if (h->type == INIT_MSG_HELLO) {
                memcpy(&version, p, sizeof version);
                init_log(LOG_INFO, "manager PID %d (generation %u) said HELLO, protocol %u",
                         s->manager_pid, s->generation, version);
                s->hello = s->reply_hello = true;
                s->store_cursor = 0;
                s->sent_serial = 0; /* flush() moves it up to just below the oldest record */
                s->alive_usec = init_now(CLOCK_MONOTONIC);
                init_channel_flush(s); /* the answer goes before any error that follows */
        } else if (h->type == INIT_MSG_HEARTBEAT)
                s->alive_usec = init_now(CLOCK_MONOTONIC);
        else if (h->type == INIT_MSG_EXIT_ACK) {
                memcpy(&serial, p, sizeof serial);
                while (s->ring_count > 0 && s->ring[s->ring_head].serial <= serial)
                        ring_pop(s);
        } else if (h->type == INIT_MSG_FDSTORE_PUT || h->type == INIT_MSG_FDSTORE_REMOVE) {
                if (h->size >= 2 && h->size <= INIT_FDSTORE_NAME_MAX + 1 &&
                    strnlen(p, h->size) == h->size - 1)
                        name = p; /* 1..NAME_MAX bytes and one NUL */
                error = store_change(s, h->type, name, fds, n_fds);
        } else if (h->type == INIT_MSG_SHUTDOWN) {
                memcpy(&s->shutdown_request, p, sizeof s->shutdown_request);
                s->shutdown = s->shutdown_request.action <= INIT_SHUTDOWN_EXIT;
                error = s->shutdown ? 0 : EINVAL;
        } else
                error = EOPNOTSUPP;
        if (error != 0)
                channel_error(s, n >= sizeof *h ? h->type : 0, error, name);
}

int init_channel_receive(InitState *s) {
        static char msg[INIT_MESSAGE_MAX] __attribute__((aligned(8)));

        for (unsigned i = 0; i < RECEIVE_BATCH; i++) {
                struct iovec iov = { &msg, sizeof msg };
                InitControl control;
                struct msghdr mh = { .msg_iov = &iov,
                                     .msg_iovlen = 1,
                                     .msg_control = &control,
                                     .msg_controllen = sizeof control };
                int fds[INIT_FDS_PER_MESSAGE_MAX];
                uint32_t n_fds = 0;
                struct cmsghdr *c;
                ssize_t n;

                if (s->manager_fd < 0)
                        return -EPIPE;
                n = recvmsg(s->manager_fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
                if (n < 0)
                        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
                if (n == 0)
                        return -EPIPE;
                c = CMSG_FIRSTHDR(&mh); /* SCM_RIGHTS is all we can get, in one header */
                if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                        n_fds = (uint32_t) ((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                        memcpy(fds, CMSG_DATA(c), sizeof(int) * n_fds);
                }
                channel_dispatch(s, (const InitMessageHeader *) msg, n, mh.msg_flags, fds, &n_fds);
                close_fds(fds, n_fds); /* the ones nobody took */
        }
        return 1;
}

void init_channel_flush(InitState *s) {
        const InitExitRecord *rec;
        int r = 0;

        if (s->manager_fd < 0 || !s->hello)
                return;
        s->want_write = false;
        if (s->reply_hello) {
                InitHelloPayload h = { INIT_PROTOCOL_VERSION, s->generation, s->heartbeat_usec };

                if (channel_send(s, INIT_MSG_HELLO, &h, sizeof h, NULL, NULL, 0) < 0)
                        goto fail;
                s->reply_hello = false;
        }
        for (; s->store_cursor <= INIT_FDSTORE_ENTRIES_MAX; s->store_cursor++) {
                const InitFdEntry *e = &s->store[s->store_cursor % INIT_FDSTORE_ENTRIES_MAX];

                if (s->store_cursor == INIT_FDSTORE_ENTRIES_MAX) {
                        InitStoreEndPayload end = {
                                .newest_serial = s->ring_count == 0 ? 0 : s->next_serial - 1,
                                .dropped_records = s->dropped_records,
                        };
                        r = channel_send(s, INIT_MSG_FDSTORE_END, &end, sizeof end, NULL, NULL, 0);
                } else if (s->store_cursor < s->store_used && e->n_fds > 0)
                        r = channel_send(s, INIT_MSG_FDSTORE_ENTRY, NULL, 0, e->name, e->fds,
                                         e->n_fds);
                if (r < 0)
                        goto fail;
        }
        if (s->ring_count > 0 && s->sent_serial < s->ring[s->ring_head].serial)
                s->sent_serial = s->ring[s->ring_head].serial - 1;
        for (; (rec = ring_find(s, s->sent_serial + 1)); s->sent_serial++)
                if (channel_send(s, INIT_MSG_EXIT_RECORD, rec, sizeof *rec, NULL, NULL, 0) < 0)
                        goto fail;
        while (s->pending_signals != 0) {
                int32_t sig = __builtin_ctzll(s->pending_signals) + 1;

                if (channel_send(s, INIT_MSG_SIGNAL, &sig, sizeof sig, NULL, NULL, 0) < 0)
                        goto fail;
                s->pending_signals &= ~(UINT64_C(1) << (sig - 1));
        }
        return;
fail: /* a full socket: go on at POLLOUT; EPIPE, ECONNRESET: it is dying, SIGCHLD follows */
        s->want_write = errno == EAGAIN;
        if (errno != EAGAIN && errno != EPIPE && errno != ECONNRESET)
                init_log(LOG_WARNING, "cannot send to manager PID %d, waiting for a new HELLO: %m",
                         s->manager_pid);
        s->hello = s->want_write;
}

void init_channel_close(InitState *s) {
        if (s->manager_fd >= 0)
                (void) close(s->manager_fd);
        s->manager_fd = -1;
        s->hello = s->reply_hello = s->want_write = false;
}

void init_channel_cloexec(InitState *s, bool on) {
        if (s->manager_fd >= 0)
                (void) fcntl(s->manager_fd, F_SETFD, on ? FD_CLOEXEC : 0);
        for (uint32_t i = 0; i < s->store_used; i++)
                for (uint32_t j = 0; j < s->store[i].n_fds; j++)
                        (void) fcntl(s->store[i].fds[j], F_SETFD, on ? FD_CLOEXEC : 0);
}
