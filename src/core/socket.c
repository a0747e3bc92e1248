/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * socket.c: the state machine of the socket type (socket.h): opening and closing the ports,
 * the control processes (ExecStartPre=, the chown step, ExecStartPost=, ExecStopPre=,
 * ExecStopPost=) and the kill sequence, watching the fds and starting the service on traffic
 * (Accept=no) or a service instance per connection (Accept=yes), following the service's state
 * (trigger_notify), as systemd 252 does.
 */

#include <arpa/inet.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <mqueue.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus/bus-error.h"
#include "cgroup.h"
#include "execute.h"
#include "exit-status.h"
#include "fault-inject.h"
#include "fd-util.h"
#include "job.h"
#include "kill.h"
#include "log.h"
#include "init-protocol.h"
#include "manager-store.h"
#include "manager.h"
#include "mkdir.h"
#include "parse-util.h"
#include "path-util.h"
#include "signal-util.h"
#include "socket-internal.h"
#include "string-util.h"
#include "strv.h"

static const UnitActiveState state_table[_SOCKET_STATE_MAX] = {
        [SOCKET_DEAD] = UNIT_INACTIVE,
        [SOCKET_START_PRE] = UNIT_ACTIVATING,
        [SOCKET_START_CHOWN] = UNIT_ACTIVATING,
        [SOCKET_START_POST] = UNIT_ACTIVATING,
        [SOCKET_LISTENING] = UNIT_ACTIVE,
        [SOCKET_RUNNING] = UNIT_ACTIVE,
        [SOCKET_STOP_PRE] = UNIT_DEACTIVATING,
        [SOCKET_STOP_PRE_SIGTERM] = UNIT_DEACTIVATING,
        [SOCKET_STOP_PRE_SIGKILL] = UNIT_DEACTIVATING,
        [SOCKET_STOP_POST] = UNIT_DEACTIVATING,
        [SOCKET_FINAL_SIGTERM] = UNIT_DEACTIVATING,
        [SOCKET_FINAL_SIGKILL] = UNIT_DEACTIVATING,
        [SOCKET_FAILED] = UNIT_FAILED,
        [SOCKET_CLEANING] = UNIT_MAINTENANCE,
};

static const char *const sub_state_names[_SOCKET_STATE_MAX] = {
        "dead", "start-pre", "start-chown", "start-post", "listening", "running", "stop-pre",
        "stop-pre-sigterm", "stop-pre-sigkill", "stop-post", "final-sigterm", "final-sigkill",
        "failed", "cleaning",
};

static const char *exec_kind_name(ExecCommandKind k) {
        switch (k) {
        case EXEC_START_PRE: return "ExecStartPre";
        case EXEC_START_POST: return "ExecStartPost";
        case EXEC_STOP_PRE: return "ExecStopPre";
        case EXEC_STOP_POST: return "ExecStopPost";
        default: return "ExecStartChown";
        }
}

const char *socket_fdname(Socket *s) {
        return s->fdname ? s->fdname : UNIT(s)->id;
}

static void socket_enter_stop_pre(Socket *s, SocketResult f);
static void socket_enter_signal(Socket *s, SocketState state, SocketResult f);
static void socket_enter_dead(Socket *s, SocketResult f);
static int socket_dispatch_io(EventSource *source, int fd, uint32_t revents, void *userdata);

/* The service of an Accept=no socket: Service= or foo.service (unit-load.c added Triggers=). */
static Unit *socket_service(Socket *s) {
        Unit *other;

        if (s->accept)
                return NULL;
        UNIT_FOREACH_DEPENDENCY(other, UNIT(s), UNIT_TRIGGERS)
                if (other->type == UNIT_SERVICE)
                        return other;
        return NULL;
}

/* ---- fds ------------------------------------------------------------------------------------- */

static void socket_unwatch_fds(Socket *s) {
        for (SocketPort *p = s->ports; p; p = p->next)
                if (p->event_source)
                        (void) event_source_set_enabled(p->event_source, EVENT_OFF);
}

static int socket_watch_fds(Socket *s) {
        int r;

        for (SocketPort *p = s->ports; p; p = p->next) {
                if (p->fd < 0)
                        continue;
                if (p->event_source)
                        r = event_source_set_enabled(p->event_source, EVENT_ON);
                else {
                        r = event_add_io(UNIT(s)->manager->event, &p->event_source, p->fd, EPOLLIN,
                                         socket_dispatch_io, p);
                        if (r >= 0)
                                (void) event_source_set_description(p->event_source, "socket-port-io");
                }
                if (r < 0) {
                        log_unit_warning_errno(UNIT(s), r, "Failed to watch listening fds: %m");
                        socket_unwatch_fds(s);
                        return r;
                }
        }
        return 0;
}

/* The listening fds live in init's fd store too (manager-store.h), under "socket:ID", so that a
 * restarted manager listens on the very same sockets: a client connecting meanwhile waits. */
static void socket_keep_fds(Socket *s, bool open) {
        _cleanup_free_ char *name = strjoin("socket:", UNIT(s)->id);
        int fds[INIT_FDS_PER_MESSAGE_MAX];
        size_t n = 0;

        if (!name)
                return;
        for (SocketPort *p = s->ports; open && p && n < ELEMENTSOF(fds); p = p->next)
                if (p->fd >= 0)
                        fds[n++] = p->fd;
        manager_keep_fds(UNIT(s)->manager, name, fds, n);
}

/* Takes the fds back after a restart, in the order of the ports. */
static void socket_take_kept_fds(Socket *s) {
        _cleanup_free_ char *name = strjoin("socket:", UNIT(s)->id);
        _cleanup_free_ int *fds = NULL;
        size_t n, i = 0;

        if (!name)
                return;
        n = manager_take_fds(UNIT(s)->manager, name, &fds);
        for (SocketPort *p = s->ports; p && i < n; p = p->next)
                if (p->fd < 0)
                        p->fd = fds[i++];
        for (; i < n; i++)
                safe_close(fds[i]);
}

static void socket_close_fds(Socket *s) {
        bool any = false;

        for (SocketPort *p = s->ports; p; p = p->next)
                any = any || p->fd >= 0;
        if (any)
                socket_keep_fds(s, false);
        for (SocketPort *p = s->ports; p; p = p->next) {
                bool was_open = p->fd >= 0;

                p->event_source = event_source_disable_unref(p->event_source);
                p->fd = safe_close(p->fd);
                /* Nodes are normally removed before binding anew, not here: a process may still
                 * use them. RemoveOnStop= asks for it. */
                if (!was_open || !s->remove_on_stop)
                        continue;
                if (p->type == SOCKET_PORT_MQUEUE)
                        (void) mq_unlink(p->path);
                else if (p->path && p->type != SOCKET_PORT_SPECIAL)
                        (void) unlink(p->path);
        }
        if (s->remove_on_stop)
                STRV_FOREACH(i, s->symlinks)
                        (void) unlink(*i);
}

static void setsockopt_warn(Socket *s, int fd, int level, int name, int value, const char *what) {
        if (setsockopt(fd, level, name, &value, sizeof value) < 0)
                log_unit_warning_errno(UNIT(s), errno, "%s failed: %m", what);
}

static void socket_apply_buffer(Socket *s, int fd, uint64_t size, int name, int force, const char *what) {
        int v = size > INT_MAX / 2 ? INT_MAX / 2 : (int) size;

        if (setsockopt(fd, SOL_SOCKET, force, &v, sizeof v) < 0 &&
            setsockopt(fd, SOL_SOCKET, name, &v, sizeof v) < 0)
                log_unit_full(UNIT(s), errno == EPERM ? LOG_DEBUG : LOG_WARNING, errno, "%s failed: %m", what);
}

/* The options of socket_apply_socket_options() in systemd 252, on a listening or connection fd. */
static void socket_apply_options(Socket *s, int family, int fd) {
        if (s->keep_alive)
                setsockopt_warn(s, fd, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
        if (s->keep_alive_time > 0)
                setsockopt_warn(s, fd, SOL_TCP, TCP_KEEPIDLE, (int) (s->keep_alive_time / USEC_PER_SEC), "TCP_KEEPIDLE");
        if (s->keep_alive_interval > 0)
                setsockopt_warn(s, fd, SOL_TCP, TCP_KEEPINTVL, (int) (s->keep_alive_interval / USEC_PER_SEC), "TCP_KEEPINTVL");
        if (s->keep_alive_cnt > 0)
                setsockopt_warn(s, fd, SOL_TCP, TCP_KEEPCNT, (int) s->keep_alive_cnt, "TCP_KEEPCNT");
        if (s->defer_accept > 0)
                setsockopt_warn(s, fd, SOL_TCP, TCP_DEFER_ACCEPT, (int) (s->defer_accept / USEC_PER_SEC), "TCP_DEFER_ACCEPT");
        if (s->no_delay)
                setsockopt_warn(s, fd, SOL_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
        if (s->broadcast)
                setsockopt_warn(s, fd, SOL_SOCKET, SO_BROADCAST, 1, "SO_BROADCAST");
        if (s->pass_cred)
                setsockopt_warn(s, fd, SOL_SOCKET, SO_PASSCRED, 1, "SO_PASSCRED");
        if (s->pass_sec)
                setsockopt_warn(s, fd, SOL_SOCKET, SO_PASSSEC, 1, "SO_PASSSEC");
        if (s->pass_pktinfo) {
                if (family == AF_INET)
                        setsockopt_warn(s, fd, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
                else if (family == AF_INET6)
                        setsockopt_warn(s, fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
        }
        if (s->timestamping != 0)
                setsockopt_warn(s, fd, SOL_SOCKET, s->timestamping == 2 ? SO_TIMESTAMPNS : SO_TIMESTAMP, 1,
                                "Timestamping");
        if (s->priority >= 0)
                setsockopt_warn(s, fd, SOL_SOCKET, SO_PRIORITY, s->priority, "SO_PRIORITY");
        if (s->receive_buffer > 0)
                socket_apply_buffer(s, fd, s->receive_buffer, SO_RCVBUF, SO_RCVBUFFORCE, "SO_RCVBUF/SO_RCVBUFFORCE");
        if (s->send_buffer > 0)
                socket_apply_buffer(s, fd, s->send_buffer, SO_SNDBUF, SO_SNDBUFFORCE, "SO_SNDBUF/SO_SNDBUFFORCE");
        if (s->mark >= 0)
                setsockopt_warn(s, fd, SOL_SOCKET, SO_MARK, s->mark, "SO_MARK");
        if (s->ip_tos >= 0)
                setsockopt_warn(s, fd, IPPROTO_IP, IP_TOS, s->ip_tos, "IP_TOS");
        if (s->ip_ttl >= 0)
                setsockopt_warn(s, fd, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
                                family == AF_INET6 ? IPV6_UNICAST_HOPS : IP_TTL, s->ip_ttl, "IP_TTL/IPV6_UNICAST_HOPS");
        if (s->tcp_congestion &&
            setsockopt(fd, SOL_TCP, TCP_CONGESTION, s->tcp_congestion, (socklen_t) strlen(s->tcp_congestion) + 1) < 0)
                log_unit_warning_errno(UNIT(s), errno, "TCP_CONGESTION failed: %m");
}

static int socket_open_inet_or_unix(Socket *s, SocketPort *p) {
        _cleanup_close_ int fd = -1;
        int family = p->addr.sa.sa_family, protocol = p->protocol;

        if (IN_SET(p->sock_type, SOCK_STREAM, SOCK_SEQPACKET) && s->socket_protocol == IPPROTO_SCTP)
                protocol = IPPROTO_SCTP;
        if (p->sock_type == SOCK_DGRAM && s->socket_protocol == IPPROTO_UDPLITE)
                protocol = IPPROTO_UDPLITE;
        fd = socket(family, p->sock_type | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
        if (fd < 0)
                return -errno;
        if (family == AF_INET6 && s->bind_ipv6_only != SOCKET_BIND_DEFAULT) {
                int v = s->bind_ipv6_only == SOCKET_BIND_IPV6_ONLY;
                if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v) < 0)
                        return -errno;
        }
        if (IN_SET(family, AF_INET, AF_INET6)) {
                int one = 1;

                if (s->bind_to_device &&
                    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->bind_to_device, (socklen_t) strlen(s->bind_to_device) + 1) < 0)
                        return -errno;
                if (s->reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0)
                        log_warning_errno(errno, "SO_REUSEPORT failed: %m");
                if (s->free_bind &&
                    setsockopt(fd, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
                               family == AF_INET ? IP_FREEBIND : IPV6_FREEBIND, &one, sizeof one) < 0)
                        log_warning_errno(errno, "IP_FREEBIND/IPV6_FREEBIND failed: %m");
                if (s->transparent &&
                    setsockopt(fd, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
                               family == AF_INET ? IP_TRANSPARENT : IPV6_TRANSPARENT, &one, sizeof one) < 0)
                        log_warning_errno(errno, "IP_TRANSPARENT/IPV6_TRANSPARENT failed: %m");
        }
        {
                int one = 1;
                if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
                        return -errno;
        }
        if (p->path) {
                mode_t old;
                int r = 0;

                (void) mkdir_parents(p->path, s->directory_mode);
                old = umask(~s->socket_mode & 0777);
                if (bind(fd, &p->addr.sa, p->addr_len) < 0) {
                        r = -errno;
                        /* A node left over from an earlier run: remove it and try again. */
                        if (r == -EADDRINUSE && unlink(p->path) >= 0)
                                r = bind(fd, &p->addr.sa, p->addr_len) < 0 ? -errno : 0;
                }
                umask(old);
                if (r < 0)
                        return r;
        } else if (bind(fd, &p->addr.sa, p->addr_len) < 0)
                return -errno;
        if (socket_port_can_accept(p) && family != AF_NETLINK && listen(fd, (int) MIN(s->backlog, (unsigned) INT_MAX)) < 0)
                return -errno;
        return TAKE_FD(fd);
}

static int fifo_create(Socket *s, const char *path) {
        _cleanup_close_ int fd = -1;
        struct stat st;
        mode_t old;
        int r;

        (void) mkdir_parents(path, s->directory_mode);
        /* The FIFO's mode is SocketMode= under the manager's umask (as systemd). */
        old = umask(~s->socket_mode & 0777);
        (void) umask((~s->socket_mode & 0777) | old);
        r = mkfifo(path, s->socket_mode);
        umask(old);
        if (r < 0 && errno != EEXIST)
                return -errno;
        fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISFIFO(st.st_mode) || (st.st_mode & 0777) != (s->socket_mode & ~old & 0777) ||
            st.st_uid != getuid() || st.st_gid != getgid())
                return -EEXIST;
        if (s->pipe_size > 0 && fcntl(fd, F_SETPIPE_SZ, (int) MIN(s->pipe_size, (uint64_t) INT_MAX)) < 0)
                log_unit_warning_errno(UNIT(s), errno, "Setting pipe size failed, ignoring: %m");
        return TAKE_FD(fd);
}

static int special_open(Socket *s, const char *path) {
        _cleanup_close_ int fd = open(path, (s->writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
        struct stat st;

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
                return -EEXIST;
        return TAKE_FD(fd);
}

static int mqueue_open(Socket *s, const char *path) {
        struct mq_attr attr = { .mq_flags = O_NONBLOCK, .mq_maxmsg = s->mq_maxmsg, .mq_msgsize = s->mq_msgsize };
        mode_t old = umask(~s->socket_mode & 0777);
        int fd = mq_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_CREAT, s->socket_mode,
                         s->mq_maxmsg > 0 && s->mq_msgsize > 0 ? &attr : NULL);

        umask(old);
        return fd < 0 ? -errno : fd;
}

static void socket_symlink(Socket *s) {
        const char *target = socket_symlink_target(s);

        if (!target)
                return;
        STRV_FOREACH(i, s->symlinks) {
                _cleanup_free_ char *old = NULL;
                int r = 0;

                (void) mkdir_parents(*i, s->directory_mode);
                if (symlink(target, *i) < 0) {
                        r = -errno;
                        if (r == -EEXIST && readlink_malloc(*i, &old) >= 0 && streq(old, target))
                                r = 0;
                        else if (r == -EEXIST && s->remove_on_stop && unlink(*i) >= 0)
                                r = symlink(target, *i) < 0 ? -errno : 0;
                }
                if (r < 0)
                        log_unit_warning_errno(UNIT(s), r, "Failed to create symlink %s → %s, ignoring: %m", target, *i);
        }
}

static int socket_open_fds(Socket *s) {
        for (SocketPort *p = s->ports; p; p = p->next) {
                if (p->fd >= 0)
                        continue;
                switch (p->type) {
                case SOCKET_PORT_SOCKET:
                        p->fd = socket_open_inet_or_unix(s, p);
                        if (p->fd < 0) {
                                int r = p->fd;
                                log_unit_error_errno(UNIT(s), r, "Failed to create listening socket (%s): %m", p->printed);
                                p->fd = -1;
                                return r;
                        }
                        socket_apply_options(s, p->addr.sa.sa_family, p->fd);
                        socket_symlink(s);
                        break;
                case SOCKET_PORT_FIFO:
                        p->fd = fifo_create(s, p->path);
                        if (p->fd < 0) {
                                int r = p->fd;
                                p->fd = -1;
                                return log_unit_error_errno(UNIT(s), r, "Failed to open FIFO %s: %m", p->path);
                        }
                        socket_symlink(s);
                        break;
                case SOCKET_PORT_SPECIAL:
                        p->fd = special_open(s, p->path);
                        if (p->fd < 0) {
                                int r = p->fd;
                                p->fd = -1;
                                return log_unit_error_errno(UNIT(s), r, "Failed to open special file %s: %m", p->path);
                        }
                        break;
                case SOCKET_PORT_MQUEUE:
                        p->fd = mqueue_open(s, p->path);
                        if (p->fd < 0) {
                                int r = p->fd;
                                p->fd = -1;
                                return log_unit_error_errno(UNIT(s), r, "Failed to open message queue %s: %m", p->path);
                        }
                        break;
                default:
                        return -EOPNOTSUPP;
                }
        }
        return 0;
}

/* ---- service side ------------------------------------------------------------------------------ */

int socket_collect_fds(Unit *u, int **fds, char ***names, size_t *n) {
        Socket *s = SOCKET(u);
        size_t k = 0;

        if (u->type != UNIT_SOCKET || u->load_state != UNIT_LOADED)
                return 0;
        for (SocketPort *p = s->ports; p; p = p->next) {
                int *a;
                char **b;

                if (p->fd < 0)
                        continue;
                a = reallocarray(*fds, *n + 1, sizeof(int));
                if (!a)
                        return -ENOMEM;
                *fds = a;
                b = reallocarray(*names, *n + 2, sizeof(char *));
                if (!b)
                        return -ENOMEM;
                *names = b;
                b[*n] = strdup(socket_fdname(s));
                b[*n + 1] = NULL;
                if (!b[*n])
                        return -ENOMEM;
                a[*n] = p->fd;
                (*n)++;
                k++;
        }
        return (int) k;
}

void socket_connection_unref(Unit *u) {
        Socket *s = SOCKET(u);

        if (u->type != UNIT_SOCKET || s->n_connections == 0)
                return;
        s->n_connections--;
        log_unit_debug(u, "One connection closed, %u left.", s->n_connections);
        unit_add_to_dbus_queue(u);
        unit_add_to_gc_queue(u);
}

static int sockaddr_print_host(const SocketSockaddr *sa, char *buf, size_t size, unsigned *ret_port) {
        if (sa->sa.sa_family == AF_INET) {
                inet_ntop(AF_INET, &sa->in.sin_addr, buf, (socklen_t) size);
                *ret_port = ntohs(sa->in.sin_port);
                return 0;
        }
        if (sa->sa.sa_family == AF_INET6) {
                static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

                if (memcmp(sa->in6.sin6_addr.s6_addr, v4mapped, 12) == 0)
                        inet_ntop(AF_INET, sa->in6.sin6_addr.s6_addr + 12, buf, (socklen_t) size);
                else
                        inet_ntop(AF_INET6, &sa->in6.sin6_addr, buf, (socklen_t) size);
                *ret_port = ntohs(sa->in6.sin6_port);
                return 0;
        }
        return -EAFNOSUPPORT;
}

int socket_connection_environment(int fd, char ***env) {
        SocketSockaddr sa = {};
        socklen_t l = sizeof sa;
        char host[INET6_ADDRSTRLEN], *t = NULL;
        unsigned port;

        if (fd < 0 || getpeername(fd, &sa.sa, &l) < 0 || sockaddr_print_host(&sa, host, sizeof host, &port) < 0)
                return 0;
        if (strv_consume(env, strjoin("REMOTE_ADDR=", host)) < 0)
                return -ENOMEM;
        if (asprintf_safe(&t, "REMOTE_PORT=%u", port) < 0)
                return -ENOMEM;
        return strv_consume(env, t);
}

/* "PID N/UID N" for a local peer, "ADDRESS:PORT" for an IP one (as systemd's getpeername_pretty()). */
static int socket_connection_peer(int fd, char **ret) {
        SocketSockaddr sa = {};
        socklen_t l = sizeof sa;
        char host[INET6_ADDRSTRLEN];
        unsigned port;

        *ret = NULL;
        if (getpeername(fd, &sa.sa, &l) < 0)
                return -errno;
        if (sa.sa.sa_family == AF_UNIX) {
                struct ucred uc;
                socklen_t ul = sizeof uc;

                if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &ul) < 0)
                        return -errno;
                return asprintf_safe(ret, "PID %i/UID %u", (int) uc.pid, (unsigned) uc.uid);
        }
        if (sockaddr_print_host(&sa, host, sizeof host, &port) < 0)
                return 0;
        if (sa.sa.sa_family == AF_INET6 && strchr(host, ':'))
                return asprintf_safe(ret, "[%s]:%u", host, port);
        return asprintf_safe(ret, "%s:%u", host, port);
}

/* ---- state ----------------------------------------------------------------------------------- */

static void socket_unwatch_control_pid(Socket *s) {
        if (s->control_pid <= 0)
                return;
        unit_unwatch_pid(UNIT(s), s->control_pid);
        s->control_pid = 0;
}

static void socket_set_state(Socket *s, SocketState state) {
        SocketState old = s->state;

        s->state = state;
        if (!IN_SET(state, SOCKET_START_PRE, SOCKET_START_CHOWN, SOCKET_START_POST, SOCKET_STOP_PRE,
                    SOCKET_STOP_PRE_SIGTERM, SOCKET_STOP_PRE_SIGKILL, SOCKET_STOP_POST, SOCKET_FINAL_SIGTERM,
                    SOCKET_FINAL_SIGKILL, SOCKET_CLEANING)) {
                s->timer_event_source = event_source_disable_unref(s->timer_event_source);
                socket_unwatch_control_pid(s);
                s->control_command = NULL;
                s->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
        }
        if (state != SOCKET_LISTENING)
                socket_unwatch_fds(s);
        if (!IN_SET(state, SOCKET_START_CHOWN, SOCKET_START_POST, SOCKET_LISTENING, SOCKET_RUNNING,
                    SOCKET_STOP_PRE, SOCKET_STOP_PRE_SIGTERM, SOCKET_STOP_PRE_SIGKILL, SOCKET_CLEANING))
                socket_close_fds(s);
        if (old != state)
                log_unit_debug(UNIT(s), "Changed %s -> %s", socket_state_to_string(old), socket_state_to_string(state));
        unit_notify(UNIT(s), state_table[old], state_table[state], 0);
}

static int socket_dispatch_timer(EventSource *source, usec_t usec, void *userdata);

static usec_t usec_add(usec_t a, usec_t b) {
        return a > USEC_INFINITY - b ? USEC_INFINITY : a + b;
}

static int socket_arm_timer(Socket *s, usec_t usec) {
        if (usec == USEC_INFINITY) {
                s->timer_event_source = event_source_disable_unref(s->timer_event_source);
                return 0;
        }
        s->timer_event_source = event_source_disable_unref(s->timer_event_source);
        return event_add_time(UNIT(s)->manager->event, &s->timer_event_source, CLOCK_MONOTONIC, usec, 0,
                              socket_dispatch_timer, s);
}

static ExecStatus *socket_exec_status(Socket *s, ExecCommandKind k, const ExecCommand *c) {
        return exec_status_table_find(&s->exec_status, UNIT(s)->exec_commands, k, c);
}

static int socket_spawn_with(Socket *s, const ExecCommand *c, const ExecContext *ctx, ExecFlags flags, pid_t *ret) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        _cleanup_free_ char *cgroup = NULL;
        Unit *u = UNIT(s);
        Manager *m = u->manager;
        pid_t pid;
        int r;

        r = unit_realize_cgroup(u);
        if (r < 0)
                log_unit_warning_errno(u, r, "Failed to realize cgroup, continuing without: %m");
        cgroup = unit_cgroup_fs_path(u);
        p.unit_id = u->id;
        (void) unit_invocation_id_format(u, p.invocation_id);
        p.flags = flags | EXEC_IS_CONTROL | EXEC_PASS_LOG_UNIT | (m->test_run ? 0 : EXEC_SYSTEM_MANAGER);
        p.environment = m->environment;
        p.cgroup_path = cgroup;
        p.prefix[EXEC_DIRECTORY_RUNTIME] = m->runtime_dir ? m->runtime_dir : "/run";
        p.prefix[EXEC_DIRECTORY_STATE] = "/var/lib";
        p.prefix[EXEC_DIRECTORY_CACHE] = "/var/cache";
        p.prefix[EXEC_DIRECTORY_LOGS] = "/var/log";
        p.prefix[EXEC_DIRECTORY_CONFIGURATION] = "/etc";
        r = socket_arm_timer(s, usec_add(now(CLOCK_MONOTONIC), s->timeout_usec));
        if (r < 0)
                return r;
        p.gate_fd = manager_spawn_gate(UNIT(s)->manager); /* opened after the next commit */
        r = exec_spawn(c, ctx, &p, &pid);
        manager_spawn_gate_done(UNIT(s)->manager, &p.gate_fd, r >= 0);
        if (r < 0)
                return r;
        r = unit_watch_pid(u, pid);
        if (r < 0)
                return r;
        *ret = pid;
        return 0;
}

static int socket_spawn(Socket *s, ExecCommand *c) {
        int r;

        r = socket_spawn_with(s, c, &s->exec_context, EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT, &s->control_pid);
        if (r < 0)
                return r;
        exec_status_start(socket_exec_status(s, s->control_command_kind, c), s->control_pid);
        return 0;
}

/* Runs the first command of kind as the control process; 0 started, 1 nothing to run, < 0 error. */
static int socket_run_control(Socket *s, ExecCommandKind kind) {
        socket_unwatch_control_pid(s);
        s->control_command_kind = kind;
        s->control_command = UNIT(s)->exec_commands[kind];
        if (!s->control_command)
                return 1;
        return socket_spawn(s, s->control_command);
}

static void socket_enter_dead(Socket *s, SocketResult f) {
        if (s->result == SOCKET_SUCCESS)
                s->result = f;
        if (s->result == SOCKET_SUCCESS)
                log_unit_info(UNIT(s), "Deactivated successfully.");
        else
                log_unit_warning(UNIT(s), "Failed with result '%s'.", socket_result_to_string(s->result));
        socket_set_state(s, s->result != SOCKET_SUCCESS ? SOCKET_FAILED : SOCKET_DEAD);
}

static void socket_enter_stop_post(Socket *s, SocketResult f) {
        int r;

        if (s->result == SOCKET_SUCCESS)
                s->result = f;
        r = socket_run_control(s, EXEC_STOP_POST);
        if (r == 0)
                socket_set_state(s, SOCKET_STOP_POST);
        else if (r > 0)
                socket_enter_signal(s, SOCKET_FINAL_SIGTERM, SOCKET_SUCCESS);
        else {
                log_unit_warning_errno(UNIT(s), r, "Failed to run 'stop-post' task: %m");
                socket_enter_signal(s, SOCKET_FINAL_SIGTERM, SOCKET_FAILURE_RESOURCES);
        }
}

static void socket_enter_signal(Socket *s, SocketState state, SocketResult f) {
        KillOperation op = state == SOCKET_FINAL_SIGTERM ? KILL_TERMINATE : KILL_KILL;
        int r;

        if (s->result == SOCKET_SUCCESS)
                s->result = f;
        if (state == SOCKET_STOP_PRE_SIGTERM)
                op = UNIT(s)->job && UNIT(s)->job->type == JOB_RESTART ? KILL_RESTART : KILL_KILL;
        r = kill_context_kill(UNIT(s), &s->kill_context, op, -1, s->control_pid, false);
        if (r > 0) {
                r = socket_arm_timer(s, usec_add(now(CLOCK_MONOTONIC), s->timeout_usec));
                if (r >= 0) {
                        socket_set_state(s, state);
                        return;
                }
        }
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to kill processes: %m");
                if (IN_SET(state, SOCKET_STOP_PRE_SIGTERM, SOCKET_STOP_PRE_SIGKILL))
                        socket_enter_stop_post(s, SOCKET_FAILURE_RESOURCES);
                else
                        socket_enter_dead(s, SOCKET_FAILURE_RESOURCES);
                return;
        }
        if (state == SOCKET_STOP_PRE_SIGTERM)
                socket_enter_signal(s, SOCKET_STOP_PRE_SIGKILL, SOCKET_SUCCESS);
        else if (state == SOCKET_STOP_PRE_SIGKILL)
                socket_enter_stop_post(s, SOCKET_SUCCESS);
        else if (state == SOCKET_FINAL_SIGTERM)
                socket_enter_signal(s, SOCKET_FINAL_SIGKILL, SOCKET_SUCCESS);
        else
                socket_enter_dead(s, SOCKET_SUCCESS);
}

static void socket_enter_stop_pre(Socket *s, SocketResult f) {
        int r;

        if (s->result == SOCKET_SUCCESS)
                s->result = f;
        r = socket_run_control(s, EXEC_STOP_PRE);
        if (r == 0)
                socket_set_state(s, SOCKET_STOP_PRE);
        else if (r > 0)
                socket_enter_stop_post(s, SOCKET_SUCCESS);
        else {
                log_unit_warning_errno(UNIT(s), r, "Failed to run 'stop-pre' task: %m");
                socket_enter_stop_post(s, SOCKET_FAILURE_RESOURCES);
        }
}

/* Reads and discards what is queued (FlushPending=, and traffic refused while stopping). */
static void flush_ports(Socket *s) {
        for (SocketPort *p = s->ports; p; p = p->next) {
                char buf[4096];

                if (p->fd < 0)
                        continue;
                if (socket_port_can_accept(p) && p->addr.sa.sa_family != AF_NETLINK)
                        for (int cfd; (cfd = accept4(p->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;)
                                safe_close(cfd);
                else
                        while (read(p->fd, buf, sizeof buf) > 0)
                                ;
        }
}

static void socket_enter_listening(Socket *s) {
        int r;

        if (!s->accept && s->flush_pending) {
                log_unit_debug(UNIT(s), "Flushing socket before listening.");
                flush_ports(s);
        }
        r = socket_watch_fds(s);
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to watch sockets: %m");
                socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
                return;
        }
        socket_set_state(s, SOCKET_LISTENING);
}

static void socket_enter_start_post(Socket *s) {
        int r = socket_run_control(s, EXEC_START_POST);

        if (r == 0)
                socket_set_state(s, SOCKET_START_POST);
        else if (r > 0)
                socket_enter_listening(s);
        else {
                log_unit_warning_errno(UNIT(s), r, "Failed to run 'start-post' task: %m");
                socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
        }
}

/* SocketUser=/SocketGroup=: a control process changes the owner of the file system nodes (the
 * names are looked up there, never in the manager). */
static int socket_chown(Socket *s) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *owner = NULL;
        ExecContext ctx;
        ExecCommand c = { .path = (char *) "chown" };
        int r;

        owner = strjoin(strempty(s->user), isempty(s->group) ? "" : ":", strempty(s->group));
        if (!owner || strv_extend(&argv, "chown") < 0 || strv_extend(&argv, "-h") < 0 || strv_extend(&argv, owner) < 0)
                return -ENOMEM;
        for (SocketPort *p = s->ports; p; p = p->next)
                if (p->fd >= 0 && p->path && IN_SET(p->type, SOCKET_PORT_SOCKET, SOCKET_PORT_FIFO) &&
                    strv_extend(&argv, p->path) < 0)
                        return -ENOMEM;
        STRV_FOREACH(i, s->symlinks)
                if (strv_extend(&argv, *i) < 0)
                        return -ENOMEM;
        if (strv_length(argv) == 3) {
                /* nothing in the file system: a process that only checks the names */
                argv = strv_free(argv);
                c.path = (char *) "true";
                if (strv_extend(&argv, "true") < 0)
                        return -ENOMEM;
        }
        c.argv = argv;
        exec_context_init(&ctx);
        r = socket_spawn_with(s, &c, &ctx, 0, &s->control_pid);
        exec_context_done(&ctx);
        return r;
}

static void socket_enter_start_chown(Socket *s) {
        int r = socket_open_fds(s);

        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to listen on sockets: %m");
                socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
                return;
        }
        socket_keep_fds(s, true);
        if (isempty(s->user) && isempty(s->group)) {
                socket_enter_start_post(s);
                return;
        }
        socket_unwatch_control_pid(s);
        s->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
        s->control_command = NULL;
        r = socket_chown(s);
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to fork 'start-chown' task: %m");
                socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
                return;
        }
        socket_set_state(s, SOCKET_START_CHOWN);
}

static void socket_enter_start_pre(Socket *s) {
        int r = socket_run_control(s, EXEC_START_PRE);

        if (r == 0)
                socket_set_state(s, SOCKET_START_PRE);
        else if (r > 0)
                socket_enter_start_chown(s);
        else {
                log_unit_warning_errno(UNIT(s), r, "Failed to run 'start-pre' task: %m");
                socket_enter_dead(s, SOCKET_FAILURE_RESOURCES);
        }
}

/* TriggerLimitIntervalSec=/TriggerLimitBurst=: true while below the limit. */
static bool socket_trigger_ratelimit_below(Socket *s) {
        usec_t n = now(CLOCK_MONOTONIC);

        if (s->trigger_limit_interval == 0 || s->trigger_limit_burst == 0)
                return true;
        if (s->trigger_limit_begin == 0 || n - s->trigger_limit_begin > s->trigger_limit_interval) {
                s->trigger_limit_begin = n;
                s->trigger_limit_count = 0;
        }
        if (s->trigger_limit_count >= s->trigger_limit_burst)
                return false;
        s->trigger_limit_count++;
        return true;
}

/* "N-LOCAL-REMOTE" of systemd's instance_from_socket(). */
static int socket_instance_name(int fd, unsigned nr, char **ret) {
        SocketSockaddr local = {}, remote = {};
        socklen_t l = sizeof local, rl = sizeof remote;
        char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
        unsigned pa, pb;

        if (getsockname(fd, &local.sa, &l) < 0 || getpeername(fd, &remote.sa, &rl) < 0)
                return -errno;
        if (local.sa.sa_family == AF_UNIX) {
                struct ucred uc;
                socklen_t ul = sizeof uc;

                if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &ul) < 0 || uc.pid <= 0)
                        return asprintf_safe(ret, "%u-unknown", nr);
                return asprintf_safe(ret, "%u-%i-%u", nr, (int) uc.pid, (unsigned) uc.uid);
        }
        if (sockaddr_print_host(&local, a, sizeof a, &pa) < 0 || sockaddr_print_host(&remote, b, sizeof b, &pb) < 0)
                return -EAFNOSUPPORT;
        return asprintf_safe(ret, "%u-%s:%u-%s:%u", nr, a, pa, b, pb);
}

/* The number of running connection services of s whose peer has the address of cfd's peer. */
static unsigned socket_connections_from_peer(Socket *s, int cfd) {
        SocketSockaddr peer = {};
        socklen_t l = sizeof peer;
        unsigned n = 0;
        Unit *other;

        if (getpeername(cfd, &peer.sa, &l) < 0 || !IN_SET(peer.sa.sa_family, AF_INET, AF_INET6))
                return 0;
        UNIT_FOREACH_DEPENDENCY(other, UNIT(s), UNIT_TRIGGERS) {
                Service *svc = SERVICE(other);
                SocketSockaddr x = {};
                socklen_t xl = sizeof x;

                if (other->type != UNIT_SERVICE || svc->accept_socket != UNIT(s) || svc->n_socket_fds != 1 ||
                    getpeername(svc->socket_fds[0], &x.sa, &xl) < 0 || x.sa.sa_family != peer.sa.sa_family)
                        continue;
                if (x.sa.sa_family == AF_INET ? x.in.sin_addr.s_addr == peer.in.sin_addr.s_addr
                                              : memcmp(&x.in6.sin6_addr, &peer.in6.sin6_addr, 16) == 0)
                        n++;
        }
        return n;
}

static void socket_log_job_failure(Socket *s, int r, BusError *error, bool template) {
        log_unit_warning(UNIT(s), "Failed to queue service startup job (Maybe the service file is missing or not a %s unit?): %s",
                         template ? "template" : "non-template",
                         error && error->message ? error->message : strerror(-r));
}

/* Crash recovery: init keeps an accepted connection from right after accept() until the process
 * serving it was committed (service.c releases it), so that a connection accepted just before a
 * crash is served by the next manager. This is the name of the next connection's entry
 * ("conn:SOCKET/PID.T.N", T the monotonic clock when this manager program started: a manager that
 * re-executes itself after a crash keeps its PID and counts from 1 again, and must not reuse, and
 * so replace or forget, a name the entries of the manager before it still have), or NULL. It is
 * made before accept(): between accept() and init holding the connection a SIGKILL of the manager
 * loses it, so nothing but the one sendmsg() to init happens in between. */
static char *socket_connection_name(Socket *s) {
        static unsigned long counter;
        static usec_t incarnation;
        char *name = NULL;

        if (incarnation == 0)
                incarnation = now(CLOCK_MONOTONIC);
        if (asprintf(&name, "conn:%s/%ld.%" PRIu64 ".%lu", UNIT(s)->id, (long) getpid(), incarnation,
                     ++counter) < 0)
                return NULL;
        return name;
}

/* A connection not served: closed, and no longer kept for the next manager. */
static void socket_drop_connection(Socket *s, int cfd, char **kept) {
        if (*kept)
                manager_keep_fds(UNIT(s)->manager, *kept, NULL, 0);
        *kept = mfree(*kept);
        safe_close(cfd);
}

/* A connection on an Accept=yes socket: a new instance of the template gets it (cfd and the name
 * it is kept under in init, kept, taken). */
static void socket_enter_running_connection(Socket *s, int cfd, char *kept) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        _cleanup_free_ char *prefix = NULL, *instance = NULL, *name = NULL, *peer = NULL;
        _cleanup_free_ int *fds = NULL;
        Unit *u = UNIT(s), *service = NULL;
        int r;

        if (s->n_connections >= s->max_connections) {
                log_unit_warning(u, "Too many incoming connections (%u), dropping connection.", s->n_connections);
                goto refuse;
        }
        if (s->max_connections_per_source > 0 &&
            socket_connections_from_peer(s, cfd) + 1 > s->max_connections_per_source) {
                log_unit_warning(u, "Too many incoming connections (%u) from source, dropping connection.",
                                 socket_connections_from_peer(s, cfd) + 1);
                goto refuse;
        }
        r = unit_name_to_prefix(u->id, &prefix);
        if (r >= 0)
                r = socket_instance_name(cfd, s->n_accepted, &instance);
        if (IN_SET(r, -ENOTCONN, -ECONNRESET, -ECONNREFUSED, -EPIPE)) {
                log_unit_debug_errno(u, r, "Got error on incoming socket, assuming aborted connection attempt, ignoring.");
                socket_drop_connection(s, cfd, &kept);
                return;
        }
        if (r >= 0)
                r = unit_name_build(prefix, instance, ".service", &name);
        if (r >= 0)
                r = manager_load_unit(u->manager, name, &service);
        if (r >= 0 && (service->type != UNIT_SERVICE || service->load_state != UNIT_LOADED))
                r = -ENOENT;
        if (r >= 0)
                r = unit_add_two_dependencies(u, UNIT_BEFORE, UNIT_TRIGGERS, service);
        if (r < 0)
                goto fail;
        s->n_accepted++;
        fds = new(int, 1);
        if (!fds) {
                r = -ENOMEM;
                goto fail;
        }
        fds[0] = cfd;
        r = service_set_socket_fds(SERVICE(service), TAKE_PTR(fds), NULL, 1, true);
        if (r < 0)
                goto fail;
        cfd = -1; /* the service owns it now */
        SERVICE(service)->accept_socket = u;
        free_and_replace_str(&SERVICE(service)->connection_fd_name, TAKE_PTR(kept));
        s->n_connections++;
        r = socket_connection_peer(SERVICE(service)->socket_fds[0], &peer);
        if (r >= 0 && peer) {
                char *d = service->description ? strjoin(service->description, " (", peer, ")") : strdup(peer);
                if (d)
                        free_and_replace_str(&service->description, d);
        }
        r = manager_add_job(u->manager, JOB_START, service, JOB_REPLACE, NULL, &error, NULL);
        if (r < 0) {
                service_set_socket_fds(SERVICE(service), NULL, NULL, 0, false);
                goto fail;
        }
        unit_add_to_dbus_queue(u);
        return;

refuse:
        s->n_refused++;
        socket_drop_connection(s, cfd, &kept);
        unit_add_to_dbus_queue(u);
        return;
fail:
        socket_drop_connection(s, cfd, &kept);
        socket_log_job_failure(s, r, &error, true);
        socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
}

void socket_dispatch_connection(Unit *u, int cfd, char *kept) {
        Socket *s = SOCKET(u);
        SocketSockaddr local = {};
        socklen_t l = sizeof local;

        /* the options were perhaps not applied yet: they are the socket's, set once more */
        if (getsockname(cfd, &local.sa, &l) >= 0)
                socket_apply_options(s, local.sa.sa_family, cfd);
        socket_enter_running_connection(s, cfd, kept);
}

/* Traffic arrived (cfd < 0) or a connection was accepted (cfd >= 0 and the name it is kept under
 * in init, taken). */
static void socket_enter_running(Socket *s, int cfd, char *kept) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        Unit *u = UNIT(s), *other, *service;
        bool pending = false;
        int r;

        if (u->job && u->job->type == JOB_STOP) {
                log_unit_debug(u, "Suppressing connection request since unit stop is scheduled.");
                if (cfd >= 0) {
                        s->n_refused++;
                        socket_drop_connection(s, cfd, &kept);
                } else
                        flush_ports(s);
                return;
        }
        if (!socket_trigger_ratelimit_below(s)) {
                log_unit_warning(u, "Trigger limit hit, refusing further activation.");
                socket_enter_stop_pre(s, SOCKET_FAILURE_TRIGGER_LIMIT_HIT);
                s->n_refused++;
                socket_drop_connection(s, cfd, &kept);
                return;
        }
        if (cfd >= 0) {
                socket_enter_running_connection(s, cfd, kept);
                return;
        }
        UNIT_FOREACH_DEPENDENCY(other, u, UNIT_TRIGGERS)
                if (unit_active_or_pending(other)) {
                        pending = true;
                        break;
                }
        if (!pending) {
                service = socket_service(s);
                if (!service) {
                        log_unit_error(u, "Service to activate vanished, refusing activation.");
                        socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
                        return;
                }
                r = manager_add_job(u->manager, JOB_START, service, JOB_REPLACE, NULL, &error, NULL);
                if (r < 0) {
                        socket_log_job_failure(s, r, &error, false);
                        socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
                        return;
                }
        }
        socket_set_state(s, SOCKET_RUNNING);
}

static int socket_dispatch_io(EventSource *source, int fd, uint32_t revents, void *userdata) {
        SocketPort *p = userdata;
        Socket *s = p->socket;
        char *kept = NULL;
        int cfd = -1;

        (void) source;

        if (s->state != SOCKET_LISTENING)
                return 0;
        log_unit_debug(UNIT(s), "Incoming traffic");
        if (revents != EPOLLIN) {
                if (revents & EPOLLHUP)
                        log_unit_error(UNIT(s), "Got POLLHUP on a listening socket. The service probably invoked shutdown() on it, and should better not do that.");
                else
                        log_unit_error(UNIT(s), "Got unexpected poll event (0x%x) on socket.", revents);
                socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
                return 0;
        }
        if (s->accept && socket_port_can_accept(p)) {
                kept = socket_connection_name(s);
                cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (cfd >= 0 && kept) /* in init's keeping first: a crash from here on does not lose it */
                        manager_keep_fds(UNIT(s)->manager, kept, &cfd, 1);
                if (cfd < 0) {
                        int e = errno;

                        kept = mfree(kept);
                        if (IN_SET(e, EAGAIN, EINTR, ECONNABORTED, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN,
                                   ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH))
                                return 0;
                        log_unit_error_errno(UNIT(s), e, "Failed to accept connection socket: %m");
                        socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
                        return 0;
                }
                fault_point("after-accept");
                socket_apply_options(s, p->addr.sa.sa_family, cfd);
        }
        socket_enter_running(s, cfd, kept);
        return 0;
}

/* ---- processes and timeouts --------------------------------------------------------------------- */

static void socket_log_process_exit(Unit *u, const char *kind, bool success, int code, int status) {
        const char *name = code == CLD_EXITED ? exit_status_to_string(status, EXIT_STATUS_FULL)
                                              : signal_to_string_short(status);
        int level = success ? LOG_DEBUG : code == CLD_EXITED ? LOG_NOTICE : LOG_WARNING;

        log_unit_full(u, level, 0, "Control process exited, code=%s, status=%i/%s%s",
                      code == CLD_EXITED ? "exited" : code == CLD_KILLED ? "killed" : "dumped", status,
                      name ? name : "n/a", success ? " (success)" : "");
        (void) kind;
}

static void socket_control_done(Socket *s, SocketResult f) {
        switch (s->state) {
        case SOCKET_START_PRE:
                if (f == SOCKET_SUCCESS)
                        socket_enter_start_chown(s);
                else
                        socket_enter_signal(s, SOCKET_FINAL_SIGTERM, f);
                break;
        case SOCKET_START_CHOWN:
                if (f == SOCKET_SUCCESS)
                        socket_enter_start_post(s);
                else
                        socket_enter_stop_pre(s, f);
                break;
        case SOCKET_START_POST:
                if (f == SOCKET_SUCCESS)
                        socket_enter_listening(s);
                else
                        socket_enter_stop_pre(s, f);
                break;
        case SOCKET_STOP_PRE:
        case SOCKET_STOP_PRE_SIGTERM:
        case SOCKET_STOP_PRE_SIGKILL:
                socket_enter_stop_post(s, f);
                break;
        case SOCKET_STOP_POST:
        case SOCKET_FINAL_SIGTERM:
        case SOCKET_FINAL_SIGKILL:
                socket_enter_dead(s, f);
                break;
        case SOCKET_CLEANING:
                if (s->clean_result == SOCKET_SUCCESS)
                        s->clean_result = f;
                socket_enter_dead(s, SOCKET_SUCCESS);
                break;
        default:
                break;
        }
}

static void socket_sigchld_event(Unit *u, pid_t pid, int code, int status) {
        Socket *s = SOCKET(u);
        SocketResult f;

        if (pid != s->control_pid)
                return;
        unit_unwatch_pid(u, pid);
        s->control_pid = 0;
        /* Crash recovery: recorded, but its gate never opened: the command runs now, once. */
        if (exec_exit_never_ran(code, status) && s->control_command && socket_spawn(s, s->control_command) >= 0) {
                log_unit_notice(u, "A control command was recorded but never ran (the manager went away), running it again.");
                return;
        }
        if (is_clean_exit(code, status, EXIT_CLEAN_COMMAND, NULL))
                f = SOCKET_SUCCESS;
        else if (code == CLD_EXITED)
                f = SOCKET_FAILURE_EXIT_CODE;
        else if (code == CLD_KILLED)
                f = SOCKET_FAILURE_SIGNAL;
        else
                f = SOCKET_FAILURE_CORE_DUMP;
        if (s->control_command) {
                exec_status_exit(socket_exec_status(s, s->control_command_kind, s->control_command), pid, code, status);
                if (s->control_command->flags & EXEC_COMMAND_IGNORE_FAILURE)
                        f = SOCKET_SUCCESS;
        }
        socket_log_process_exit(u, exec_kind_name(s->control_command_kind), f == SOCKET_SUCCESS, code, status);
        if (s->result == SOCKET_SUCCESS)
                s->result = f;
        if (s->control_command && s->control_command->next && f == SOCKET_SUCCESS) {
                int r;

                log_unit_debug(u, "Running next command for state %s", socket_state_to_string(s->state));
                s->control_command = s->control_command->next;
                r = socket_spawn(s, s->control_command);
                if (r < 0) {
                        log_unit_warning_errno(u, r, "Failed to run next task: %m");
                        if (s->state == SOCKET_START_POST)
                                socket_enter_stop_pre(s, SOCKET_FAILURE_RESOURCES);
                        else if (s->state == SOCKET_STOP_POST)
                                socket_enter_dead(s, SOCKET_FAILURE_RESOURCES);
                        else
                                socket_enter_signal(s, SOCKET_FINAL_SIGTERM, SOCKET_FAILURE_RESOURCES);
                }
        } else {
                s->control_command = NULL;
                s->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
                log_unit_debug(u, "Got final SIGCHLD for state %s", socket_state_to_string(s->state));
                socket_control_done(s, f);
        }
        unit_add_to_dbus_queue(u);
}

static int socket_dispatch_timer(EventSource *source, usec_t usec, void *userdata) {
        Socket *s = userdata;
        Unit *u = UNIT(s);

        s->timer_event_source = event_source_disable_unref(s->timer_event_source);
        switch (s->state) {
        case SOCKET_START_PRE:
                log_unit_warning(u, "Starting timed out. Terminating.");
                socket_enter_signal(s, SOCKET_FINAL_SIGTERM, SOCKET_FAILURE_TIMEOUT);
                break;
        case SOCKET_START_CHOWN:
        case SOCKET_START_POST:
                log_unit_warning(u, "Starting timed out. Stopping.");
                socket_enter_stop_pre(s, SOCKET_FAILURE_TIMEOUT);
                break;
        case SOCKET_STOP_PRE:
                log_unit_warning(u, "Stopping timed out. Terminating.");
                socket_enter_signal(s, SOCKET_STOP_PRE_SIGTERM, SOCKET_FAILURE_TIMEOUT);
                break;
        case SOCKET_STOP_PRE_SIGTERM:
                if (s->kill_context.send_sigkill) {
                        log_unit_warning(u, "Stopping timed out. Killing.");
                        socket_enter_signal(s, SOCKET_STOP_PRE_SIGKILL, SOCKET_FAILURE_TIMEOUT);
                } else {
                        log_unit_warning(u, "Stopping timed out. Skipping SIGKILL. Ignoring.");
                        socket_enter_stop_post(s, SOCKET_FAILURE_TIMEOUT);
                }
                break;
        case SOCKET_STOP_PRE_SIGKILL:
                log_unit_warning(u, "Processes still around after SIGKILL. Ignoring.");
                socket_enter_stop_post(s, SOCKET_FAILURE_TIMEOUT);
                break;
        case SOCKET_STOP_POST:
                log_unit_warning(u, "Stopping timed out (2). Terminating.");
                socket_enter_signal(s, SOCKET_FINAL_SIGTERM, SOCKET_FAILURE_TIMEOUT);
                break;
        case SOCKET_FINAL_SIGTERM:
                if (s->kill_context.send_sigkill) {
                        log_unit_warning(u, "Stopping timed out (2). Killing.");
                        socket_enter_signal(s, SOCKET_FINAL_SIGKILL, SOCKET_FAILURE_TIMEOUT);
                } else {
                        log_unit_warning(u, "Stopping timed out (2). Skipping SIGKILL. Ignoring.");
                        socket_enter_dead(s, SOCKET_FAILURE_TIMEOUT);
                }
                break;
        case SOCKET_FINAL_SIGKILL:
                log_unit_warning(u, "Still around after SIGKILL (2). Entering failed mode.");
                socket_enter_dead(s, SOCKET_FAILURE_TIMEOUT);
                break;
        default:
                break;
        }
        (void) source;
        (void) usec;
        return 0;
}

/* ---- vtable ---------------------------------------------------------------------------------- */

static int socket_start(Unit *u) {
        Socket *s = SOCKET(u);
        Unit *service;

        if (IN_SET(s->state, SOCKET_STOP_PRE, SOCKET_STOP_PRE_SIGKILL, SOCKET_STOP_PRE_SIGTERM, SOCKET_STOP_POST,
                   SOCKET_FINAL_SIGTERM, SOCKET_FINAL_SIGKILL, SOCKET_CLEANING))
                return -EAGAIN;
        if (IN_SET(s->state, SOCKET_START_PRE, SOCKET_START_CHOWN, SOCKET_START_POST))
                return 0;
        if (IN_SET(s->state, SOCKET_LISTENING, SOCKET_RUNNING))
                return -EALREADY;
        service = socket_service(s);
        if (service) {
                if (service->load_state != UNIT_LOADED) {
                        log_unit_error(u, "Socket service %s not loaded, refusing.", service->id);
                        return -ENOENT;
                }
                if (!IN_SET(SERVICE(service)->state, SERVICE_DEAD, SERVICE_FAILED, SERVICE_AUTO_RESTART)) {
                        log_unit_error(u, "Socket service %s already active, refusing.", service->id);
                        return -EBUSY;
                }
        }
        s->result = SOCKET_SUCCESS;
        /* The socket has its cgroup while active (ControlGroup=, status), as on systemd. */
        if (unit_realize_cgroup(u) < 0)
                log_unit_debug(u, "Failed to realize cgroup, continuing without.");
        exec_status_table_reset(&s->exec_status);
        socket_enter_start_pre(s);
        return 1;
}

static int socket_stop(Unit *u) {
        Socket *s = SOCKET(u);

        if (IN_SET(s->state, SOCKET_STOP_PRE, SOCKET_STOP_PRE_SIGTERM, SOCKET_STOP_PRE_SIGKILL, SOCKET_STOP_POST,
                   SOCKET_FINAL_SIGTERM, SOCKET_FINAL_SIGKILL))
                return 0;
        if (IN_SET(s->state, SOCKET_START_PRE, SOCKET_START_CHOWN, SOCKET_START_POST)) {
                socket_enter_signal(s, SOCKET_STOP_PRE_SIGTERM, SOCKET_SUCCESS);
                return -EAGAIN;
        }
        if (s->state == SOCKET_CLEANING) {
                socket_enter_signal(s, SOCKET_FINAL_SIGKILL, SOCKET_SUCCESS);
                return 0;
        }
        if (IN_SET(s->state, SOCKET_DEAD, SOCKET_FAILED))
                return -EALREADY;
        socket_enter_stop_pre(s, SOCKET_SUCCESS);
        return 1;
}

/* A per-connection instance that is done (dead, no job) is no longer linked to the socket, so
 * that it is collected as on systemd, where the socket does not reference its instances. A
 * failed instance stays listed until reset-failed collects it. */
static void socket_forget_connection_service(Socket *s, Unit *other) {
        Unit *u = UNIT(s);

        if (other->job || SERVICE(other)->state != SERVICE_DEAD || !unit_has_dependency(u, UNIT_TRIGGERS, other))
                return;
        unit_remove_dependency(u, UNIT_TRIGGERS, other);
        unit_remove_dependency(u, UNIT_BEFORE, other);
        unit_add_to_dbus_queue(u);
        unit_add_to_gc_queue(other);
}

static void socket_trigger_notify(Unit *u, Unit *other) {
        Socket *s = SOCKET(u);

        if (other->type != UNIT_SERVICE || other->load_state != UNIT_LOADED)
                return;
        if (s->accept) {
                socket_forget_connection_service(s, other);
                return;
        }
        if (!IN_SET(s->state, SOCKET_RUNNING, SOCKET_LISTENING))
                return;
        if (other->start_limit_hit) {
                socket_enter_stop_pre(s, SOCKET_FAILURE_SERVICE_START_LIMIT_HIT);
                return;
        }
        if (other->job)
                return;
        if (IN_SET(SERVICE(other)->state, SERVICE_DEAD, SERVICE_FAILED, SERVICE_FINAL_SIGTERM, SERVICE_FINAL_SIGKILL,
                   SERVICE_AUTO_RESTART))
                socket_enter_listening(s);
        if (SERVICE(other)->state == SERVICE_RUNNING)
                socket_set_state(s, SOCKET_RUNNING);
}

static void socket_serialize(Unit *u, Serializer *ser) {
        Socket *s = SOCKET(u);
        usec_t t;

        ser_item(ser, "state", socket_state_to_string(s->state));
        ser_item(ser, "result", socket_result_to_string(s->result));
        if (s->control_pid > 0)
                ser_int(ser, "control-pid", s->control_pid);
        if (s->control_command) {
                int i = 0;

                for (ExecCommand *x = u->exec_commands[s->control_command_kind]; x && x != s->control_command; x = x->next)
                        i++;
                ser_itemf(ser, "control-command", "%d %d", (int) s->control_command_kind, i);
        }
        ser_uint(ser, "n-accepted", s->n_accepted);
        ser_uint(ser, "n-connections", s->n_connections);
        ser_uint(ser, "n-refused", s->n_refused);
        if (s->trigger_limit_count > 0)
                ser_itemf(ser, "trigger-limit", "%" PRIu64 " %u", (uint64_t) s->trigger_limit_begin,
                          s->trigger_limit_count);
        if (s->timer_event_source && event_source_get_enabled(s->timer_event_source, NULL) > 0 &&
            event_source_get_time(s->timer_event_source, &t) >= 0)
                ser_uint(ser, "timer", t);
}

static int socket_deserialize_item(Unit *u, const char *key, const char *value) {
        Socket *s = SOCKET(u);
        uint64_t n;
        int a, b;

        if (streq(key, "state")) {
                SocketState st = socket_state_from_string(value);
                if (st >= 0)
                        s->deserialized_state = st;
        } else if (streq(key, "result")) {
                SocketResult r = socket_result_from_string(value);
                if (r >= 0)
                        s->result = r;
        } else if (streq(key, "control-pid"))
                (void) deser_pid(value, &s->control_pid);
        else if (streq(key, "control-command")) {
                if (sscanf(value, "%d %d", &a, &b) == 2 && a >= 0 && a < _EXEC_COMMAND_KIND_MAX && b >= 0) {
                        ExecCommand *x = u->exec_commands[a];

                        while (x && b-- > 0)
                                x = x->next;
                        s->control_command = x;
                        s->control_command_kind = x ? (ExecCommandKind) a : _EXEC_COMMAND_KIND_INVALID;
                }
        } else if (streq(key, "n-accepted") && safe_atou64(value, &n) >= 0)
                s->n_accepted = (unsigned) n;
        else if (streq(key, "n-connections") && safe_atou64(value, &n) >= 0)
                s->n_connections = (unsigned) n;
        else if (streq(key, "n-refused") && safe_atou64(value, &n) >= 0)
                s->n_refused = (unsigned) n;
        else if (streq(key, "trigger-limit")) {
                uint64_t begin;
                unsigned count;

                if (sscanf(value, "%" SCNu64 " %u", &begin, &count) == 2) {
                        s->trigger_limit_begin = begin;
                        s->trigger_limit_count = count;
                }
        } else if (streq(key, "timer") && safe_atou64(value, &n) >= 0)
                s->deserialized_timer = n;
        return 0;
}

static void socket_running_commands(Unit *u, ExecCommand *ret[static 2]) {
        ret[0] = SOCKET(u)->control_command;
        ret[1] = NULL;
}

/* Crash recovery: takes the state read back without side effects, the listening fds back from
 * init's store, and watches them again when listening. */
static int socket_coldplug(Unit *u) {
        Socket *s = SOCKET(u);
        SocketState st = s->deserialized_state;

        if (!u->manager->recovering || st == s->state)
                return 0;
        s->state = st;
        if (IN_SET(st, SOCKET_START_CHOWN, SOCKET_START_POST, SOCKET_LISTENING, SOCKET_RUNNING, SOCKET_STOP_PRE,
                   SOCKET_STOP_PRE_SIGTERM, SOCKET_STOP_PRE_SIGKILL, SOCKET_CLEANING))
                socket_take_kept_fds(s);
        if (st == SOCKET_LISTENING)
                (void) socket_watch_fds(s);
        if (s->deserialized_timer != USEC_INFINITY)
                (void) socket_arm_timer(s, s->deserialized_timer);
        s->deserialized_timer = USEC_INFINITY;
        return 0;
}

static int socket_kill(Unit *u, KillWho who, int signo, BusError *error) {
        return kill_unit_processes(u, who, signo, -1, SOCKET(u)->control_pid, error);
}

static UnitActiveState socket_active_state(Unit *u) {
        return state_table[SOCKET(u)->state];
}

static const char *socket_sub_state(Unit *u) {
        return socket_state_to_string(SOCKET(u)->state);
}

static const char *socket_result(Unit *u) {
        return socket_result_to_string(SOCKET(u)->result);
}

static bool socket_may_gc(Unit *u) {
        return SOCKET(u)->n_connections == 0;
}

static void socket_reset_failed(Unit *u) {
        Socket *s = SOCKET(u);

        if (s->state == SOCKET_FAILED)
                socket_set_state(s, SOCKET_DEAD);
        s->result = SOCKET_SUCCESS;
        s->clean_result = SOCKET_SUCCESS;
}

static int socket_can_start(Unit *u) {
        int r = unit_test_start_limit(u);

        if (r < 0) {
                socket_enter_dead(SOCKET(u), SOCKET_FAILURE_START_LIMIT_HIT);
                return r;
        }
        return 1;
}

static void socket_done(Unit *u) {
        Socket *s = SOCKET(u);
        Unit *other;

        /* Connection services must not point at a socket that is gone. */
        ORDERED_SET_FOREACH(other, u->manager->all_units)
                if (other != u && other->type == UNIT_SERVICE && UNIT_VTABLE(other)->object_size >= sizeof(Service) &&
                    SERVICE(other)->accept_socket == u)
                        SERVICE(other)->accept_socket = NULL;
        socket_unwatch_control_pid(s);
        s->timer_event_source = event_source_disable_unref(s->timer_event_source);
        socket_port_free_list(s->ports);
        s->ports = NULL;
        socket_reset_settings(s);
        exec_context_done(&s->exec_context);
        exec_status_table_done(&s->exec_status);
}

const UnitVTable socket_vtable = {
        .object_size = sizeof(Socket),
        .sub_state_names = sub_state_names,
        .init = socket_init,
        .done = socket_done,
        .load = socket_load,
        .start = socket_start,
        .stop = socket_stop,
        .kill = socket_kill,
        .active_state = socket_active_state,
        .sub_state_to_string = socket_sub_state,
        .result_to_string = socket_result,
        .may_gc = socket_may_gc,
        .reset_failed = socket_reset_failed,
        .sigchld_event = socket_sigchld_event,
        .coldplug = socket_coldplug,
        .running_commands = socket_running_commands,
        .serialize = socket_serialize,
        .deserialize_item = socket_deserialize_item,
        .can_start = socket_can_start,
        .trigger_notify = socket_trigger_notify,
        .can_fail = true,
        .can_transient = true,
        .status_finished_start = {
                [JOB_DONE] = "Listening on %s.",
                [JOB_FAILED] = "Failed to listen on %s.",
                [JOB_TIMEOUT] = "Timed out starting %s.",
        },
        .status_finished_stop = {
                [JOB_DONE] = "Closed %s.",
                [JOB_FAILED] = "Failed stopping %s.",
                [JOB_TIMEOUT] = "Timed out stopping %s.",
        },
};
