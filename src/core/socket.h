/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * socket.h: the socket unit type (systemd.socket(5) as systemd 252 runs it). A socket unit owns
 * its listening fds ("ports": stream/datagram/seqpacket sockets on paths, abstract names and
 * IP addresses, netlink sockets, FIFOs, special files, POSIX message queues) from start-chown
 * until it stops; daemon-reload keeps them (the Socket object outlives the reload, only the
 * settings are re-read, and ports whose address did not change keep their fd).
 *
 * States: dead → start-pre → start-chown → start-post → listening ⇄ running → stop-pre →
 * stop-pre-sigterm → stop-pre-sigkill → stop-post → final-sigterm → final-sigkill → dead/failed.
 * While listening the fds are watched; traffic starts the service (Accept=no: the triggered
 * service, which collects the fds at spawn time through socket_collect_fds(); Accept=yes: a new
 * instance foo@N-LOCAL-REMOTE.service of foo@.service per connection, which gets the connection
 * through service_set_socket_fds()). While the service runs the socket is "running" and the
 * fds are not watched; it goes back to listening when the service is inactive again
 * (trigger_notify).
 */

#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include "event.h"
#include "exec-command.h"
#include "exec-context.h"
#include "service.h"
#include "unit.h"

typedef enum SocketState {
        SOCKET_DEAD,
        SOCKET_START_PRE,
        SOCKET_START_CHOWN,
        SOCKET_START_POST,
        SOCKET_LISTENING,
        SOCKET_RUNNING,
        SOCKET_STOP_PRE,
        SOCKET_STOP_PRE_SIGTERM,
        SOCKET_STOP_PRE_SIGKILL,
        SOCKET_STOP_POST,
        SOCKET_FINAL_SIGTERM,
        SOCKET_FINAL_SIGKILL,
        SOCKET_FAILED,
        SOCKET_CLEANING,
        _SOCKET_STATE_MAX,
        _SOCKET_STATE_INVALID = -EINVAL,
} SocketState;

typedef enum SocketResult {
        SOCKET_SUCCESS,
        SOCKET_FAILURE_RESOURCES,
        SOCKET_FAILURE_TIMEOUT,
        SOCKET_FAILURE_EXIT_CODE,
        SOCKET_FAILURE_SIGNAL,
        SOCKET_FAILURE_CORE_DUMP,
        SOCKET_FAILURE_START_LIMIT_HIT,
        SOCKET_FAILURE_TRIGGER_LIMIT_HIT,
        SOCKET_FAILURE_SERVICE_START_LIMIT_HIT,
        _SOCKET_RESULT_MAX,
        _SOCKET_RESULT_INVALID = -EINVAL,
} SocketResult;

typedef enum SocketPortType {
        SOCKET_PORT_SOCKET,
        SOCKET_PORT_FIFO,
        SOCKET_PORT_SPECIAL,
        SOCKET_PORT_MQUEUE,
        SOCKET_PORT_USB_FUNCTION,
        _SOCKET_PORT_TYPE_MAX,
        _SOCKET_PORT_TYPE_INVALID = -EINVAL,
} SocketPortType;

typedef enum SocketBindIPv6Only {
        SOCKET_BIND_DEFAULT,
        SOCKET_BIND_BOTH,
        SOCKET_BIND_IPV6_ONLY,
        _SOCKET_BIND_MAX,
        _SOCKET_BIND_INVALID = -EINVAL,
} SocketBindIPv6Only;

typedef union SocketSockaddr {
        struct sockaddr sa;
        struct sockaddr_un un;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
        struct sockaddr_storage storage;
} SocketSockaddr;

typedef struct Socket Socket;
typedef struct SocketPort SocketPort;

/* One Listen*= entry. For SOCKET_PORT_SOCKET the address (family, type, protocol, sockaddr);
 * for the others the path. */
struct SocketPort {
        Socket *socket;
        SocketPortType type;
        const char *listen_type;  /* "Stream", "Datagram", "SequentialPacket", "Netlink", "FIFO", … (static) */
        int sock_type;            /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW */
        int protocol;
        SocketSockaddr addr;
        socklen_t addr_len;
        char *path;               /* FIFO/special/mqueue path; the file system path of an AF_UNIX socket */
        char *printed;            /* the address as the Listen property shows it */
        int fd;
        EventSource *event_source;
        SocketPort *next;
};

struct Socket {
        Unit meta;

        /* Settings */
        SocketPort *ports;
        bool accept, flush_pending, writable, keep_alive, no_delay, free_bind, transparent;
        bool broadcast, pass_cred, pass_sec, pass_pktinfo, remove_on_stop, reuse_port;
        bool selinux_context_from_net;
        unsigned backlog;            /* default INT_MAX (SOMAXCONN_DELUXE) */
        usec_t timeout_usec;         /* TimeoutSec=, default DefaultTimeoutStartSec= */
        char *bind_to_device, *user, *group, *tcp_congestion, *fdname;
        char *smack, *smack_ip_in, *smack_ip_out;
        mode_t socket_mode, directory_mode;
        usec_t keep_alive_time, keep_alive_interval, defer_accept;
        unsigned keep_alive_cnt;
        int priority, ip_tos, ip_ttl, mark, socket_protocol;
        uint64_t receive_buffer, send_buffer, pipe_size;
        unsigned max_connections, max_connections_per_source;
        long mq_maxmsg, mq_msgsize;
        SocketBindIPv6Only bind_ipv6_only;
        int timestamping;            /* 0 off, 1 us, 2 ns */
        char **symlinks;
        usec_t trigger_limit_interval;
        unsigned trigger_limit_burst;
        ExecContext exec_context;
        KillContext kill_context;

        /* Runtime */
        SocketState state;
        SocketResult result, clean_result;
        pid_t control_pid;
        ExecCommandKind control_command_kind;  /* _EXEC_COMMAND_KIND_INVALID: none or start-chown */
        ExecCommand *control_command;          /* borrowed from meta.exec_commands */
        ExecStatusTable exec_status;         /* one per command of u->exec_commands */
        EventSource *timer_event_source;
        unsigned n_accepted, n_connections, n_refused;
        usec_t trigger_limit_begin;
        unsigned trigger_limit_count;

        /* Crash recovery (socket.c): the state and timer deadline read back */
        SocketState deserialized_state;
        usec_t deserialized_timer;
};

#define SOCKET(u) ((Socket *) (u))

extern const UnitVTable socket_vtable;

const char *socket_state_to_string(SocketState s) _const_;
SocketState socket_state_from_string(const char *s) _pure_;
const char *socket_result_to_string(SocketResult r) _const_;
SocketResult socket_result_from_string(const char *s) _pure_;
const char *socket_bind_ipv6_only_to_string(SocketBindIPv6Only b) _const_;
SocketBindIPv6Only socket_bind_ipv6_only_from_string(const char *s) _pure_;
const char *socket_timestamping_to_string(int t) _const_;

/* The name passed in $LISTEN_FDNAMES for the socket's fds: FileDescriptorName= or the unit id. */
const char *socket_fdname(Socket *s);

/* The service side of socket activation (service-notify.c): appends the open listening fds of
 * socket unit u (borrowed) and their names (new strings) to *fds / *names (n entries so far,
 * updated). Returns the number appended or -ENOMEM. */
int socket_collect_fds(Unit *u, int **fds, char ***names, size_t *n);

/* Crash recovery: serves connection cfd (taken) of Accept=yes socket unit u as if it had just
 * been accepted; kept (taken, may be NULL) is the name init keeps it under until its process is
 * committed. */
void socket_dispatch_connection(Unit *u, int cfd, char *kept);

/* A per-connection service that held a connection of socket unit u is done with it:
 * NConnections goes down. */
void socket_connection_unref(Unit *u);

/* $REMOTE_ADDR and $REMOTE_PORT for a per-connection service whose connection is fd (IPv4/IPv6
 * peers only; nothing when the peer is gone), appended to *env. 0 or -ENOMEM. */
int socket_connection_environment(int fd, char ***env);
