/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-ctrl.c: the control socket's wire codec and server (udev-ctrl.h). The server accepts
 * one connection at a time (the listening source is off while a connection is open, as in
 * udevd), so one client's messages are never interleaved with another's.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "socket-util.h"
#include "string-util.h"
#include "time-base.h"
#include "udev-ctrl.h"

/* The wire layout, laid down once here (host byte order, as udevd). */
typedef struct UdevCtrlWire {
        char version[16];
        uint32_t magic;
        int32_t type;
        union {
                int32_t intval;
                char buf[UDEV_CTRL_BUF_SIZE];
        } value;
} UdevCtrlWire;

_Static_assert(sizeof(UdevCtrlWire) == UDEV_CTRL_MESSAGE_SIZE, "udev control messages are 280 bytes");
_Static_assert(offsetof(UdevCtrlWire, magic) == 16, "magic at 16");
_Static_assert(offsetof(UdevCtrlWire, type) == 20, "type at 20");
_Static_assert(offsetof(UdevCtrlWire, value) == 24, "value at 24");

struct UdevCtrl {
        unsigned n_ref;
        Event *event;
        int listen_fd;
        int conn_fd;
        EventSource *listen_source;
        EventSource *conn_source;
        int64_t priority;
        UdevCtrlHandler handler;
        void *userdata;
};

static const char *const type_names[_UDEV_CTRL_MAX] = {
        [UDEV_CTRL_END_MESSAGES] = "END_MESSAGES",
        [UDEV_CTRL_SET_LOG_LEVEL] = "SET_LOG_LEVEL",
        [UDEV_CTRL_STOP_EXEC_QUEUE] = "STOP_EXEC_QUEUE",
        [UDEV_CTRL_START_EXEC_QUEUE] = "START_EXEC_QUEUE",
        [UDEV_CTRL_RELOAD] = "RELOAD",
        [UDEV_CTRL_SET_ENV] = "SET_ENV",
        [UDEV_CTRL_SET_CHILDREN_MAX] = "SET_CHILDREN_MAX",
        [UDEV_CTRL_PING] = "PING",
        [UDEV_CTRL_EXIT] = "EXIT",
};

const char *udev_ctrl_message_type_to_string(int type) {
        if (type < 0 || type >= _UDEV_CTRL_MAX)
                return NULL;
        return type_names[type];
}

int udev_ctrl_message_encode(const UdevCtrlMessage *m, uint8_t buf[static UDEV_CTRL_MESSAGE_SIZE]) {
        UdevCtrlWire w = {
                .version = UDEV_CTRL_VERSION,
                .magic = UDEV_CTRL_MAGIC,
        };

        assert(m);
        if (m->type < 0 || m->type >= _UDEV_CTRL_MAX)
                return -EINVAL;
        w.type = m->type;
        if (IN_SET(m->type, UDEV_CTRL_SET_LOG_LEVEL, UDEV_CTRL_SET_CHILDREN_MAX))
                w.value.intval = m->intval;
        else if (m->type == UDEV_CTRL_SET_ENV) {
                size_t n = strnlen(m->buf, sizeof m->buf);

                if (n >= sizeof w.value.buf)
                        return -EINVAL;
                memcpy(w.value.buf, m->buf, n);
        }
        memcpy(buf, &w, sizeof w);
        return 0;
}

int udev_ctrl_message_decode(const void *buf, size_t len, UdevCtrlMessage *ret) {
        UdevCtrlWire w;

        assert(ret);
        if (!buf || len != sizeof w)
                return -EBADMSG;
        memcpy(&w, buf, sizeof w);
        if (w.magic != UDEV_CTRL_MAGIC)
                return -EPROTO;
        *ret = (UdevCtrlMessage) {
                .type = w.type,
                .intval = w.value.intval,
        };
        memcpy(ret->buf, w.value.buf, sizeof ret->buf - 1);
        ret->buf[sizeof ret->buf - 1] = '\0';
        return 0;
}

/* ---- server ------------------------------------------------------------------------------ */

static void ctrl_disconnect(UdevCtrl *c) {
        c->conn_source = event_source_disable_unref(c->conn_source);
        c->conn_fd = safe_close(c->conn_fd);
        if (c->listen_source)
                (void) event_source_set_enabled(c->listen_source, EVENT_ON);
}

/* Receives one message with the sender's credentials: 1 and *ret for a message to dispatch,
 * 0 to close the connection (END, a refused message, the peer gone), -EAGAIN for nothing. */
static int ctrl_receive(UdevCtrl *c, UdevCtrlMessage *ret) {
        uint8_t buf[UDEV_CTRL_MESSAGE_SIZE + 1];
        struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
        union {
                struct cmsghdr align;
                uint8_t space[CMSG_SPACE(sizeof(struct ucred))];
        } control = {};
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = &control,
                .msg_controllen = sizeof control,
        };
        const struct ucred *cred = NULL;
        ssize_t n;
        int r;

        n = recvmsg(c->conn_fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n < 0) {
                if (IN_SET(errno, EAGAIN, EINTR))
                        return -EAGAIN;
                log_error_errno(-errno, "Failed to receive ctrl message: %m");
                return 0;
        }
        if (n == 0)
                return 0; /* the client hung up */

        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
                if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS &&
                    cm->cmsg_len == CMSG_LEN(sizeof(struct ucred)))
                        cred = (const struct ucred *) CMSG_DATA(cm);
                else if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
                        /* nobody sends us fds: close whatever came */
                        const int *fds = (const int *) CMSG_DATA(cm);
                        size_t nfds = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

                        for (size_t i = 0; i < nfds; i++)
                                safe_close(fds[i]);
                }
        if (!cred) {
                log_error("No sender credentials received, ignoring message");
                return 0;
        }
        if (cred->uid != 0) {
                log_error("Invalid sender uid %u, ignoring message", (unsigned) cred->uid);
                return 0;
        }
        r = udev_ctrl_message_decode(buf, (size_t) n, ret);
        if (r == -EPROTO) {
                uint32_t magic;

                memcpy(&magic, buf + 16, sizeof magic);
                log_error("Message magic 0x%08x doesn't match, ignoring message", magic);
                return 0;
        }
        if (r < 0) {
                log_error("Invalid ctrl message size %zd, ignoring message", n);
                return 0;
        }
        if (ret->type == UDEV_CTRL_END_MESSAGES)
                return 0;
        return 1;
}

static int on_connection(EventSource *s, int fd, uint32_t revents, void *userdata) {
        UdevCtrl *c = udev_ctrl_ref(userdata);

        (void) s;
        (void) fd;
        (void) revents;
        for (;;) {
                UdevCtrlMessage m;
                int r = ctrl_receive(c, &m);

                if (r == -EAGAIN)
                        break;
                if (r == 0) {
                        ctrl_disconnect(c);
                        break;
                }
                if (c->handler)
                        c->handler(c, &m, c->userdata);
                if (c->n_ref == 1) {
                        /* the owner let go (EXIT): close now */
                        ctrl_disconnect(c);
                        break;
                }
        }
        udev_ctrl_unref(c);
        return 0;
}

static int on_accept(EventSource *s, int fd, uint32_t revents, void *userdata) {
        UdevCtrl *c = userdata;
        _cleanup_close_ int conn = -EBADF;
        struct ucred cred;
        socklen_t len = sizeof cred;
        int r;

        (void) s;
        (void) revents;
        conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (conn < 0) {
                if (IN_SET(errno, EAGAIN, EINTR, ECONNABORTED, EPROTO, ENETDOWN, ENOPROTOOPT,
                           EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH))
                        return 0;
                log_error_errno(-errno, "Failed to accept ctrl connection: %m");
                return 0;
        }
        if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
                log_error_errno(-errno, "Failed to receive credentials of ctrl connection: %m");
                return 0;
        }
        if (cred.uid != 0) {
                log_error("Invalid sender uid %u, closing connection", (unsigned) cred.uid);
                return 0;
        }
        /* inherited from the listening socket already; set again for a socket-activated
         * listener whose unit did not say PassCredentials= */
        (void) setsockopt(conn, SOL_SOCKET, SO_PASSCRED, &(int) { 1 }, sizeof(int));

        r = event_add_io(c->event, &c->conn_source, conn, EPOLLIN, on_connection, c);
        if (r < 0) {
                log_error_errno(r, "Failed to create event source for udev control connection: %m");
                return 0;
        }
        (void) event_source_set_priority(c->conn_source, c->priority);
        (void) event_source_set_description(c->conn_source, "udev-ctrl-connection");
        c->conn_fd = TAKE_FD(conn);
        /* one connection at a time */
        (void) event_source_set_enabled(c->listen_source, EVENT_OFF);
        return 0;
}

static int ctrl_listen(const char *path) {
        struct sockaddr_un sa;
        _cleanup_close_ int fd = -EBADF;
        int salen = sockaddr_un_set_path(&sa, path);

        if (salen < 0)
                return salen;
        fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        /* before listen(): connections inherit it, so even the first message carries
         * credentials */
        if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &(int) { 1 }, sizeof(int)) < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, (socklen_t) salen) < 0) {
                if (errno != EADDRINUSE)
                        return -errno;
                (void) unlink(path);
                if (bind(fd, (struct sockaddr *) &sa, (socklen_t) salen) < 0)
                        return -errno;
        }
        if (listen(fd, SOMAXCONN) < 0)
                return -errno;
        return TAKE_FD(fd);
}

int udev_ctrl_new(Event *e, int fd, const char *path, int64_t priority, UdevCtrlHandler handler,
                  void *userdata, UdevCtrl **ret) {
        UdevCtrl *c;
        int r;

        assert(e);
        assert(ret);
        if (fd < 0) {
                fd = ctrl_listen(path ? path : UDEV_CTRL_SOCKET_PATH);
                if (fd < 0)
                        return fd;
        } else {
                int flags = fcntl(fd, F_GETFL);

                if (flags >= 0)
                        (void) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
                (void) setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &(int) { 1 }, sizeof(int));
        }

        c = new(UdevCtrl, 1);
        if (!c) {
                safe_close(fd);
                return -ENOMEM;
        }
        *c = (UdevCtrl) {
                .n_ref = 1,
                .event = event_ref(e),
                .listen_fd = fd,
                .conn_fd = -EBADF,
                .priority = priority,
                .handler = handler,
                .userdata = userdata,
        };
        r = event_add_io(e, &c->listen_source, fd, EPOLLIN, on_accept, c);
        if (r < 0) {
                udev_ctrl_unref(c);
                return r;
        }
        (void) event_source_set_priority(c->listen_source, priority);
        (void) event_source_set_description(c->listen_source, "udev-ctrl");
        *ret = c;
        return 0;
}

UdevCtrl *udev_ctrl_ref(UdevCtrl *c) {
        if (c)
                c->n_ref++;
        return c;
}

UdevCtrl *udev_ctrl_unref(UdevCtrl *c) {
        if (!c || --c->n_ref > 0)
                return NULL;
        c->conn_source = event_source_disable_unref(c->conn_source);
        c->listen_source = event_source_disable_unref(c->listen_source);
        safe_close(c->conn_fd);
        safe_close(c->listen_fd);
        event_unref(c->event);
        free(c);
        return NULL;
}

/* ---- client ------------------------------------------------------------------------------ */

static int ctrl_send_one(int fd, const UdevCtrlMessage *m) {
        uint8_t buf[UDEV_CTRL_MESSAGE_SIZE];
        int r = udev_ctrl_message_encode(m, buf);

        if (r < 0)
                return r;
        if (send(fd, buf, sizeof buf, MSG_NOSIGNAL) < 0)
                return -errno;
        return 0;
}

int udev_ctrl_send_messages(const char *path, const UdevCtrlMessage *m, size_t n, usec_t timeout) {
        struct sockaddr_un sa;
        _cleanup_close_ int fd = -EBADF;
        int salen = sockaddr_un_set_path(&sa, path);
        usec_t deadline = timeout == USEC_INFINITY ? USEC_INFINITY : now(CLOCK_MONOTONIC) + timeout;
        int r;

        if (salen < 0)
                return salen;
        fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &sa, (socklen_t) salen) < 0)
                return -errno;
        for (size_t i = 0; i < n; i++) {
                r = ctrl_send_one(fd, &m[i]);
                if (r < 0)
                        return r;
        }
        r = ctrl_send_one(fd, &(UdevCtrlMessage) { .type = UDEV_CTRL_END_MESSAGES });
        if (r < 0)
                return r;
        for (;;) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                usec_t t = now(CLOCK_MONOTONIC);
                int ms = t >= deadline ? 0 : (int) MIN((deadline - t + 999) / 1000, (usec_t) INT32_MAX);

                r = poll(&p, 1, ms);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                if (r == 0)
                        return -ETIMEDOUT;
                return 0; /* readable (EOF) or hung up: acknowledged */
        }
}
