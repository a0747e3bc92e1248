/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * socket-load.c: the settings half of the socket type (socket.h): the string tables, the
 * defaults of a fresh Socket, and interpreting the [Socket] settings of a loaded unit (the
 * Listen*= addresses, the socket options, the trigger limit, the kill and execution contexts)
 * with systemd 252's defaults, warnings and refusals. A daemon-reload builds the port list anew
 * and hands the open fds of unchanged ports over to it. The state machine is in socket.c.
 */

#include <arpa/inet.h>
#include <limits.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <stdio.h>
#include <unistd.h>

#include "fd-util.h"
#include "kill.h"
#include "log.h"
#include "manager.h"
#include "parse-util.h"
#include "path-util.h"
#include "socket-internal.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"

DEFINE_STRING_TABLE(socket_state, SocketState, _SOCKET_STATE_MAX,
             [SOCKET_DEAD] = "dead",
             [SOCKET_START_PRE] = "start-pre",
             [SOCKET_START_CHOWN] = "start-chown",
             [SOCKET_START_POST] = "start-post",
             [SOCKET_LISTENING] = "listening",
             [SOCKET_RUNNING] = "running",
             [SOCKET_STOP_PRE] = "stop-pre",
             [SOCKET_STOP_PRE_SIGTERM] = "stop-pre-sigterm",
             [SOCKET_STOP_PRE_SIGKILL] = "stop-pre-sigkill",
             [SOCKET_STOP_POST] = "stop-post",
             [SOCKET_FINAL_SIGTERM] = "final-sigterm",
             [SOCKET_FINAL_SIGKILL] = "final-sigkill",
             [SOCKET_FAILED] = "failed",
             [SOCKET_CLEANING] = "cleaning")

DEFINE_STRING_TABLE(socket_result, SocketResult, _SOCKET_RESULT_MAX,
             [SOCKET_SUCCESS] = "success",
             [SOCKET_FAILURE_RESOURCES] = "resources",
             [SOCKET_FAILURE_TIMEOUT] = "timeout",
             [SOCKET_FAILURE_EXIT_CODE] = "exit-code",
             [SOCKET_FAILURE_SIGNAL] = "signal",
             [SOCKET_FAILURE_CORE_DUMP] = "core-dump",
             [SOCKET_FAILURE_START_LIMIT_HIT] = "start-limit-hit",
             [SOCKET_FAILURE_TRIGGER_LIMIT_HIT] = "trigger-limit-hit",
             [SOCKET_FAILURE_SERVICE_START_LIMIT_HIT] = "service-start-limit-hit")

DEFINE_STRING_TABLE(socket_bind_ipv6_only, SocketBindIPv6Only, _SOCKET_BIND_MAX,
             [SOCKET_BIND_DEFAULT] = "default",
             [SOCKET_BIND_BOTH] = "both",
             [SOCKET_BIND_IPV6_ONLY] = "ipv6-only")


const char *socket_timestamping_to_string(int t) {
        return t == 2 ? "ns" : t == 1 ? "us" : "off";
}

/* The netlink families by the names systemd uses (index = protocol number). */
static const char *const netlink_family_table[] = {
        [NETLINK_ROUTE] = "route",
        [NETLINK_FIREWALL] = "firewall",
        [NETLINK_INET_DIAG] = "inet-diag",
        [NETLINK_NFLOG] = "nflog",
        [NETLINK_XFRM] = "xfrm",
        [NETLINK_SELINUX] = "selinux",
        [NETLINK_ISCSI] = "iscsi",
        [NETLINK_AUDIT] = "audit",
        [NETLINK_FIB_LOOKUP] = "fib-lookup",
        [NETLINK_CONNECTOR] = "connector",
        [NETLINK_NETFILTER] = "netfilter",
        [NETLINK_IP6_FW] = "ip6-fw",
        [NETLINK_DNRTMSG] = "dnrtmsg",
        [NETLINK_KOBJECT_UEVENT] = "kobject-uevent",
        [NETLINK_GENERIC] = "generic",
        [NETLINK_SCSITRANSPORT] = "scsitransport",
        [NETLINK_ECRYPTFS] = "ecryptfs",
        [NETLINK_RDMA] = "rdma",
};

/* ---- init / done ---------------------------------------------------------------------------- */

void socket_init(Unit *u) {
        Socket *s = SOCKET(u);

        socket_reset_settings(s);
        s->state = s->deserialized_state = SOCKET_DEAD;
        s->deserialized_timer = USEC_INFINITY;
        s->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
}

void socket_port_free_list(SocketPort *p) {
        while (p) {
                SocketPort *next = p->next;

                event_source_disable_unref(p->event_source);
                safe_close(p->fd);
                free(p->path);
                free(p->printed);
                free(p);
                p = next;
        }
}

/* Frees what loading produced (the ports are kept: their fds are runtime state) and sets the
 * defaults of socket_init() in systemd 252. */
void socket_reset_settings(Socket *s) {
        Manager *m = UNIT(s)->manager;

        s->bind_to_device = mfree(s->bind_to_device);
        s->user = mfree(s->user);
        s->group = mfree(s->group);
        s->tcp_congestion = mfree(s->tcp_congestion);
        s->fdname = mfree(s->fdname);
        s->smack = mfree(s->smack);
        s->smack_ip_in = mfree(s->smack_ip_in);
        s->smack_ip_out = mfree(s->smack_ip_out);
        s->symlinks = strv_free(s->symlinks);
        exec_context_done(&s->exec_context);
        exec_context_init(&s->exec_context);
        s->exec_context.std_output = m->default_std_output;
        s->exec_context.std_error = m->default_std_error;
        kill_context_init(&s->kill_context);

        s->accept = s->flush_pending = s->writable = s->keep_alive = s->no_delay = false;
        s->free_bind = s->transparent = s->broadcast = s->pass_cred = s->pass_sec = false;
        s->pass_pktinfo = s->remove_on_stop = s->reuse_port = s->selinux_context_from_net = false;
        s->backlog = INT_MAX;
        s->timeout_usec = m->default_timeout_start_usec;
        s->directory_mode = 0755;
        s->socket_mode = 0666;
        s->keep_alive_time = s->keep_alive_interval = s->defer_accept = 0;
        s->keep_alive_cnt = 0;
        s->max_connections = 64;
        s->max_connections_per_source = 0;
        s->priority = s->ip_tos = s->ip_ttl = s->mark = -1;
        s->socket_protocol = 0;
        s->receive_buffer = s->send_buffer = s->pipe_size = 0;
        s->mq_maxmsg = s->mq_msgsize = 0;
        s->bind_ipv6_only = SOCKET_BIND_DEFAULT;
        s->timestamping = 0;
        s->trigger_limit_interval = USEC_INFINITY;
        s->trigger_limit_burst = UINT_MAX;
}

/* ---- reading the settings store -------------------------------------------------------------- */

static const char *get(Unit *u, const char *key) {
        char sk[64];

        snprintf(sk, sizeof sk, "Socket.%s", key);
        return unit_setting_last(u, sk);
}

static char *const *get_all(Unit *u, const char *key) {
        char sk[64];

        snprintf(sk, sizeof sk, "Socket.%s", key);
        return unit_setting_get(u, sk);
}

static void load_bool(Unit *u, const char *key, bool *ret) {
        const char *v = get(u, key);
        int b;

        if (isempty(v))
                return;
        b = parse_boolean(v);
        if (b < 0)
                log_warning("%s: Failed to parse boolean value for %s=, ignoring: %s", u->id, key, v);
        else
                *ret = b;
}

static void load_sec(Unit *u, const char *key, bool fix_0, usec_t *ret) {
        const char *v = get(u, key);
        usec_t t;

        if (isempty(v))
                return;
        if ((fix_0 ? parse_sec_fix_0 : parse_sec)(v, &t) < 0)
                log_warning("%s: Failed to parse %s= parameter, ignoring: %s", u->id, key, v);
        else
                *ret = t;
}

static void load_unsigned(Unit *u, const char *key, unsigned *ret) {
        const char *v = get(u, key);

        if (!isempty(v) && safe_atou(v, ret) < 0)
                log_warning("%s: Failed to parse %s= value, ignoring: %s", u->id, key, v);
}

static void load_int(Unit *u, const char *key, int *ret) {
        const char *v = get(u, key);

        if (!isempty(v) && safe_atoi(v, ret) < 0)
                log_warning("%s: Failed to parse %s= value, ignoring: %s", u->id, key, v);
}

static void load_size(Unit *u, const char *key, uint64_t *ret) {
        const char *v = get(u, key);

        if (!isempty(v) && parse_size(v, 1024, ret) < 0)
                log_warning("%s: Failed to parse %s= value, ignoring: %s", u->id, key, v);
}

static void load_long(Unit *u, const char *key, long *ret) {
        const char *v = get(u, key);
        int64_t x;

        if (isempty(v))
                return;
        if (safe_atoi64(v, &x) < 0 || x < 0)
                log_warning("%s: Failed to parse %s= value, ignoring: %s", u->id, key, v);
        else
                *ret = (long) x;
}

static void load_mode(Unit *u, const char *key, mode_t *ret) {
        const char *v = get(u, key);

        if (!isempty(v) && parse_mode(v, ret) < 0)
                log_warning("%s: Failed to parse mode value, ignoring: %s", u->id, v);
}

static int load_string(Unit *u, const char *key, char **ret) {
        const char *v = get(u, key);

        if (isempty(v))
                return 0;
        return free_and_strdup(ret, v) < 0 ? -ENOMEM : 0;
}

static void load_ip_tos(Unit *u) {
        static const char *const names[] = { "low-delay", "throughput", "reliability", "low-cost" };
        static const int values[] = { 0x10, 0x08, 0x04, 0x02 };
        const char *v = get(u, "IPTOS");
        int x;

        if (isempty(v))
                return;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(v, names[i])) {
                        SOCKET(u)->ip_tos = values[i];
                        return;
                }
        if (safe_atoi(v, &x) < 0 || x < 0 || x > 0xff)
                log_warning("%s: Failed to parse IP TOS value, ignoring: %s", u->id, v);
        else
                SOCKET(u)->ip_tos = x;
}

static void load_protocol(Unit *u) {
        const char *v = get(u, "SocketProtocol");

        if (isempty(v))
                return;
        if (streq(v, "udplite"))
                SOCKET(u)->socket_protocol = IPPROTO_UDPLITE;
        else if (streq(v, "sctp"))
                SOCKET(u)->socket_protocol = IPPROTO_SCTP;
        else
                log_warning("%s: Failed to parse socket protocol, ignoring: %s", u->id, v);
}

static void load_timestamping(Unit *u) {
        const char *v = get(u, "Timestamping");
        int b;

        if (isempty(v))
                return;
        if (STR_IN_SET(v, "ns", "nsec"))
                SOCKET(u)->timestamping = 2;
        else if (STR_IN_SET(v, "us", "usec", "µs", "μs"))
                SOCKET(u)->timestamping = 1;
        else if (streq(v, "off"))
                SOCKET(u)->timestamping = 0;
        else if ((b = parse_boolean(v)) >= 0)
                SOCKET(u)->timestamping = b ? 2 : 0;
        else
                log_warning("%s: Failed to parse timestamping precision, ignoring: %s", u->id, v);
}

static int load_symlinks(Unit *u) {
        Socket *s = SOCKET(u);

        STRV_FOREACH(line, (char **) get_all(u, "Symlinks")) {
                _cleanup_strv_free_ char **words = NULL;

                if (isempty(*line)) {
                        s->symlinks = strv_free(s->symlinks);
                        continue;
                }
                if (strv_split(*line, WHITESPACE, &words) < 0)
                        return -ENOMEM;
                STRV_FOREACH(w, words) {
                        if (!path_is_absolute(*w) || !path_is_valid(*w)) {
                                log_warning("%s: Symlink path is not absolute, ignoring: %s", u->id, *w);
                                continue;
                        }
                        path_simplify(*w);
                        if (strv_extend(&s->symlinks, *w) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

/* ---- Listen*= -------------------------------------------------------------------------------- */

static bool ipv6_is_supported(void) {
        return access("/proc/net/if_inet6", F_OK) == 0;
}

static int parse_port(const char *v, uint16_t *ret) {
        unsigned p;

        if (safe_atou(v, &p) < 0)
                return -EINVAL;
        if (p == 0 || p > 65535)
                return -ERANGE;
        *ret = (uint16_t) p;
        return 0;
}

/* "/path", "@abstract", "PORT", "A.B.C.D:PORT", "[V6]:PORT" (with an optional %IFNAME). */
static int parse_address(const char *v, SocketPort *p) {
        const char *colon;
        uint16_t port;
        int r;

        if (IN_SET(v[0], '/', '@')) {
                size_t l = strlen(v);

                if (l > sizeof p->addr.un.sun_path - (v[0] == '/'))
                        return -EINVAL;
                p->addr.un.sun_family = AF_UNIX;
                if (v[0] == '@') {
                        memcpy(p->addr.un.sun_path + 1, v + 1, l - 1);
                        p->addr_len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + l);
                } else {
                        memcpy(p->addr.un.sun_path, v, l);
                        p->addr_len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + l + 1);
                        p->path = strdup(v);
                        if (!p->path)
                                return -ENOMEM;
                }
                return 0;
        }
        r = parse_port(v, &port);
        if (r == -ERANGE)
                return r;
        if (r >= 0) {
                if (ipv6_is_supported()) {
                        p->addr.in6 = (struct sockaddr_in6) { .sin6_family = AF_INET6, .sin6_port = htons(port),
                                                              .sin6_addr = in6addr_any };
                        p->addr_len = sizeof(struct sockaddr_in6);
                } else {
                        p->addr.in = (struct sockaddr_in) { .sin_family = AF_INET, .sin_port = htons(port) };
                        p->addr_len = sizeof(struct sockaddr_in);
                }
                return 0;
        }
        if (v[0] == '[') {
                const char *end = strchr(v, ']');
                _cleanup_free_ char *a = NULL, *ifname = NULL;
                char *pct;

                if (!end || end[1] != ':')
                        return -EINVAL;
                a = strndup(v + 1, (size_t) (end - v - 1));
                if (!a)
                        return -ENOMEM;
                pct = strchr(a, '%');
                if (pct) {
                        ifname = strdup(pct + 1);
                        *pct = 0;
                        if (!ifname)
                                return -ENOMEM;
                }
                p->addr.in6 = (struct sockaddr_in6) { .sin6_family = AF_INET6 };
                if (inet_pton(AF_INET6, a, &p->addr.in6.sin6_addr) <= 0)
                        return -EINVAL;
                r = parse_port(end + 2, &port);
                if (r < 0)
                        return r;
                p->addr.in6.sin6_port = htons(port);
                if (ifname) {
                        int idx = parse_ifindex(ifname);
                        if (idx <= 0)
                                idx = (int) if_nametoindex(ifname);
                        if (idx <= 0)
                                return -EINVAL;
                        p->addr.in6.sin6_scope_id = (uint32_t) idx;
                }
                p->addr_len = sizeof(struct sockaddr_in6);
                return 0;
        }
        colon = strrchr(v, ':');
        if (colon) {
                _cleanup_free_ char *a = strndup(v, (size_t) (colon - v));

                if (!a)
                        return -ENOMEM;
                p->addr.in = (struct sockaddr_in) { .sin_family = AF_INET };
                if (inet_pton(AF_INET, a, &p->addr.in.sin_addr) <= 0)
                        return -EINVAL;
                r = parse_port(colon + 1, &port);
                if (r < 0)
                        return r;
                p->addr.in.sin_port = htons(port);
                p->addr_len = sizeof(struct sockaddr_in);
                return 0;
        }
        if (startswith(v, "vsock:"))
                return -EAFNOSUPPORT;
        return -EINVAL;
}

static int parse_netlink(const char *v, SocketPort *p) {
        _cleanup_free_ char *fam = NULL;
        const char *space = strchr(v, ' ');
        unsigned group = 0;
        int proto = -1;

        fam = space ? strndup(v, (size_t) (space - v)) : strdup(v);
        if (!fam)
                return -ENOMEM;
        if (space && safe_atou(space + 1, &group) < 0)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(netlink_family_table); i++)
                if (netlink_family_table[i] && streq(netlink_family_table[i], fam))
                        proto = (int) i;
        if (proto < 0 && safe_atoi(fam, &proto) < 0)
                return -EINVAL;
        p->addr.storage.ss_family = AF_NETLINK;
        ((struct sockaddr_nl *) &p->addr)->nl_groups = group;
        p->addr_len = sizeof(struct sockaddr_nl);
        p->protocol = proto;
        return 0;
}

/* The address as systemd prints it (Listen property, status). */
static int port_print(SocketPort *p) {
        char buf[INET6_ADDRSTRLEN + 64], a[INET6_ADDRSTRLEN];

        switch (p->addr.sa.sa_family) {
        case AF_UNIX:
                if (p->addr.un.sun_path[0] == 0) {
                        size_t l = p->addr_len - offsetof(struct sockaddr_un, sun_path) - 1;
                        p->printed = strndup_safe(p->addr.un.sun_path + 1, l);
                        if (p->printed) {
                                char *t = strjoin("@", p->printed);
                                free_and_replace_str(&p->printed, t);
                        }
                } else
                        p->printed = strdup(p->addr.un.sun_path);
                break;
        case AF_INET:
                inet_ntop(AF_INET, &p->addr.in.sin_addr, a, sizeof a);
                snprintf(buf, sizeof buf, "%s:%u", a, ntohs(p->addr.in.sin_port));
                p->printed = strdup(buf);
                break;
        case AF_INET6:
                inet_ntop(AF_INET6, &p->addr.in6.sin6_addr, a, sizeof a);
                if (p->addr.in6.sin6_scope_id != 0)
                        snprintf(buf, sizeof buf, "[%s]:%u%%%u", a, ntohs(p->addr.in6.sin6_port),
                                 p->addr.in6.sin6_scope_id);
                else
                        snprintf(buf, sizeof buf, "[%s]:%u", a, ntohs(p->addr.in6.sin6_port));
                p->printed = strdup(buf);
                break;
        case AF_NETLINK: {
                const char *f = p->protocol >= 0 && (size_t) p->protocol < ELEMENTSOF(netlink_family_table)
                                        ? netlink_family_table[p->protocol] : NULL;
                if (f)
                        snprintf(buf, sizeof buf, "%s %u", f, ((struct sockaddr_nl *) &p->addr)->nl_groups);
                else
                        snprintf(buf, sizeof buf, "%i %u", p->protocol, ((struct sockaddr_nl *) &p->addr)->nl_groups);
                p->printed = strdup(buf);
                break;
        }
        default:
                p->printed = strdup(p->path ? p->path : "");
        }
        return p->printed ? 0 : -ENOMEM;
}

static const struct {
        const char *key, *listen_type;
        SocketPortType type;
        int sock_type;
} listen_keys[] = {
        { "ListenStream", "Stream", SOCKET_PORT_SOCKET, SOCK_STREAM },
        { "ListenDatagram", "Datagram", SOCKET_PORT_SOCKET, SOCK_DGRAM },
        { "ListenSequentialPacket", "SequentialPacket", SOCKET_PORT_SOCKET, SOCK_SEQPACKET },
        { "ListenNetlink", "Netlink", SOCKET_PORT_SOCKET, SOCK_RAW },
        { "ListenFIFO", "FIFO", SOCKET_PORT_FIFO, 0 },
        { "ListenSpecial", "Special", SOCKET_PORT_SPECIAL, 0 },
        { "ListenMessageQueue", "MessageQueue", SOCKET_PORT_MQUEUE, 0 },
        { "ListenUSBFunction", "USBFunction", SOCKET_PORT_USB_FUNCTION, 0 },
};

/* Parses one Listen*= value into a new port (NULL with a warning for a bad value). */
static int port_parse(Socket *s, size_t k, const char *value, SocketPort **ret) {
        Unit *u = UNIT(s);
        _cleanup_free_ SocketPort *p = new0(SocketPort, 1);
        _cleanup_free_ char *v = NULL;
        int r;

        *ret = NULL;
        if (!p || !(v = strdup(value)))
                return -ENOMEM;
        *p = (SocketPort) { .socket = s, .type = listen_keys[k].type, .listen_type = listen_keys[k].listen_type,
                            .sock_type = listen_keys[k].sock_type, .fd = -1 };
        if (startswith(v, "/var/run/")) {
                char *t = strjoin("/run/", v + 9);
                if (!t)
                        return -ENOMEM;
                log_notice("%s: %s= references a path below legacy directory /var/run/, updating %s → %s; "
                           "please update the unit file accordingly.", u->id, listen_keys[k].key, v, t);
                free_and_replace_str(&v, t);
        }
        if (p->type == SOCKET_PORT_USB_FUNCTION) {
                log_warning("%s: ListenUSBFunction= is not supported by sysmaster, ignoring: %s", u->id, v);
                return 0;
        }
        if (p->type != SOCKET_PORT_SOCKET) {
                if (!path_is_absolute(v) || !path_is_valid(v)) {
                        log_warning("%s: Failed to parse address value in %s=, ignoring: %s", u->id,
                                    listen_keys[k].key, v);
                        return 0;
                }
                path_simplify(v);
                p->path = TAKE_PTR(v);
        } else {
                r = p->sock_type == SOCK_RAW ? parse_netlink(v, p) : parse_address(v, p);
                if (r == -ENOMEM) {
                        free(p->path);
                        return r;
                }
                if (r < 0) {
                        log_warning_errno(r, "%s: Failed to parse address value in %s=, ignoring: %s", u->id,
                                          listen_keys[k].key, v);
                        free(p->path);
                        return 0;
                }
                if (p->sock_type == SOCK_SEQPACKET && p->addr.sa.sa_family != AF_UNIX) {
                        log_warning("%s: Address family not supported, ignoring: %s", u->id, v);
                        free(p->path);
                        return 0;
                }
                if (p->path)
                        path_simplify(p->path);
        }
        r = port_print(p);
        if (r < 0) {
                free(p->path);
                return r;
        }
        *ret = TAKE_PTR(p);
        return 0;
}

/* The ports of every Listen*= setting. The settings store keeps values per key, so ports come
 * grouped by kind (streams, datagrams, …), each kind in file order; systemd keeps the file's
 * order across kinds. */
static int load_ports(Socket *s, SocketPort **ret) {
        Unit *u = UNIT(s);
        SocketPort *head = NULL, **tail = &head;

        for (size_t i = 0; i < ELEMENTSOF(listen_keys); i++)
                STRV_FOREACH(v, (char **) get_all(u, listen_keys[i].key)) {
                        SocketPort *p;
                        int r;

                        if (isempty(*v))
                                continue;
                        r = port_parse(s, i, *v, &p);
                        if (r < 0) {
                                socket_port_free_list(head);
                                return r;
                        }
                        if (!p)
                                continue;
                        *tail = p;
                        tail = &p->next;
                }
        *ret = head;
        return 0;
}

static bool port_same(const SocketPort *a, const SocketPort *b) {
        if (a->type != b->type || a->sock_type != b->sock_type)
                return false;
        if (a->type != SOCKET_PORT_SOCKET)
                return streq_ptr(a->path, b->path);
        return a->protocol == b->protocol && a->addr_len == b->addr_len &&
               memcmp(&a->addr, &b->addr, a->addr_len) == 0;
}

/* daemon-reload: the new ports take the fds (and watches) of old ones with the same address;
 * the fds of ports that are gone are closed. */
static void ports_take_over(Socket *s, SocketPort *new_ports) {
        for (SocketPort *p = new_ports; p; p = p->next)
                for (SocketPort *o = s->ports; o; o = o->next) {
                        if (o->fd < 0 || !port_same(o, p))
                                continue;
                        p->fd = o->fd;
                        p->event_source = o->event_source;
                        if (p->event_source)
                                (void) event_source_set_userdata(p->event_source, p);
                        o->fd = -1;
                        o->event_source = NULL;
                        break;
                }
        socket_port_free_list(s->ports);
        s->ports = new_ports;
}

/* ---- load ------------------------------------------------------------------------------------ */

/* The one file system node of the socket (for Symlinks=), or NULL if none or several. */
const char *socket_symlink_target(Socket *s) {
        const char *found = NULL;

        for (SocketPort *p = s->ports; p; p = p->next) {
                const char *f = p->type == SOCKET_PORT_FIFO || p->type == SOCKET_PORT_SOCKET ? p->path : NULL;
                if (!f)
                        continue;
                if (found)
                        return NULL;
                found = f;
        }
        return found;
}

static int socket_verify(Socket *s) {
        Unit *u = UNIT(s);

        if (!s->ports) {
                log_unit_error(u, "Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.");
                return -ENOEXEC;
        }
        if (s->accept) {
                for (SocketPort *p = s->ports; p; p = p->next)
                        if (p->type != SOCKET_PORT_SOCKET || !socket_port_can_accept(p)) {
                                log_unit_error(u, "Unit configured for accepting sockets, but sockets are non-accepting. Refusing.");
                                return -ENOEXEC;
                        }
                if (s->max_connections == 0) {
                        log_unit_error(u, "MaxConnection= setting too small. Refusing.");
                        return -ENOEXEC;
                }
                if (u->trigger_unit) {
                        log_unit_error(u, "Explicit service configuration for accepting socket units not supported. Refusing.");
                        return -ENOEXEC;
                }
        }
        if (!strv_isempty(s->symlinks) && !socket_symlink_target(s)) {
                log_unit_error(u, "Unit has symlinks set but none or more than one node in the file system. Refusing.");
                return -ENOEXEC;
        }
        return 0;
}

static void load_options(Socket *s) {
        Unit *u = UNIT(s);
        const char *v;

        s->accept = u->socket_accept;
        load_bool(u, "FlushPending", &s->flush_pending);
        load_bool(u, "Writable", &s->writable);
        load_bool(u, "KeepAlive", &s->keep_alive);
        load_bool(u, "NoDelay", &s->no_delay);
        load_bool(u, "FreeBind", &s->free_bind);
        load_bool(u, "Transparent", &s->transparent);
        load_bool(u, "Broadcast", &s->broadcast);
        load_bool(u, "PassCredentials", &s->pass_cred);
        load_bool(u, "PassSecurity", &s->pass_sec);
        load_bool(u, "PassPacketInfo", &s->pass_pktinfo);
        load_bool(u, "RemoveOnStop", &s->remove_on_stop);
        load_bool(u, "ReusePort", &s->reuse_port);
        load_bool(u, "SELinuxContextFromNet", &s->selinux_context_from_net);
        load_unsigned(u, "Backlog", &s->backlog);
        load_sec(u, "TimeoutSec", true, &s->timeout_usec);
        load_mode(u, "SocketMode", &s->socket_mode);
        load_mode(u, "DirectoryMode", &s->directory_mode);
        load_sec(u, "KeepAliveTimeSec", false, &s->keep_alive_time);
        load_sec(u, "KeepAliveIntervalSec", false, &s->keep_alive_interval);
        load_unsigned(u, "KeepAliveProbes", &s->keep_alive_cnt);
        load_sec(u, "DeferAcceptSec", false, &s->defer_accept);
        load_int(u, "Priority", &s->priority);
        load_size(u, "ReceiveBuffer", &s->receive_buffer);
        load_size(u, "SendBuffer", &s->send_buffer);
        load_size(u, "PipeSize", &s->pipe_size);
        load_ip_tos(u);
        load_int(u, "IPTTL", &s->ip_ttl);
        load_int(u, "Mark", &s->mark);
        load_unsigned(u, "MaxConnections", &s->max_connections);
        load_unsigned(u, "MaxConnectionsPerSource", &s->max_connections_per_source);
        load_long(u, "MessageQueueMaxMessages", &s->mq_maxmsg);
        load_long(u, "MessageQueueMessageSize", &s->mq_msgsize);
        load_sec(u, "TriggerLimitIntervalSec", false, &s->trigger_limit_interval);
        load_unsigned(u, "TriggerLimitBurst", &s->trigger_limit_burst);
        load_protocol(u);
        load_timestamping(u);
        v = get(u, "BindIPv6Only");
        if (!isempty(v)) {
                int b = parse_boolean(v);
                if (streq(v, "default"))
                        s->bind_ipv6_only = SOCKET_BIND_DEFAULT;
                else if (streq(v, "both") || b == 0)
                        s->bind_ipv6_only = SOCKET_BIND_BOTH;
                else if (streq(v, "ipv6-only") || b == 1)
                        s->bind_ipv6_only = SOCKET_BIND_IPV6_ONLY;
                else
                        log_warning("%s: Failed to parse bind IPv6 only value, ignoring: %s", u->id, v);
        }
        /* As systemd's socket_add_extras(): a higher limit for Accept=yes, where we accept()
         * ourselves and every connection is a new service. */
        if (s->trigger_limit_interval == USEC_INFINITY)
                s->trigger_limit_interval = 2 * USEC_PER_SEC;
        if (s->trigger_limit_burst == UINT_MAX)
                s->trigger_limit_burst = s->accept ? 200 : 20;
}

static int load_strings(Socket *s) {
        Unit *u = UNIT(s);
        const char *fdname = get(u, "FileDescriptorName");

        if (load_string(u, "BindToDevice", &s->bind_to_device) < 0 ||
            load_string(u, "SocketUser", &s->user) < 0 || load_string(u, "SocketGroup", &s->group) < 0 ||
            load_string(u, "TCPCongestion", &s->tcp_congestion) < 0 ||
            load_string(u, "SmackLabel", &s->smack) < 0 || load_string(u, "SmackLabelIPIn", &s->smack_ip_in) < 0 ||
            load_string(u, "SmackLabelIPOut", &s->smack_ip_out) < 0)
                return -ENOMEM;
        if (s->bind_to_device && (streq(s->bind_to_device, "*") || strlen(s->bind_to_device) >= IF_NAMESIZE))
                s->bind_to_device = mfree(s->bind_to_device);
        if (!isempty(fdname)) {
                if (strlen(fdname) > 255 || string_has_cc(fdname, NULL) || strchr(fdname, ':'))
                        log_warning("%s: Invalid file descriptor name, ignoring: %s", u->id, fdname);
                else if (free_and_strdup(&s->fdname, fdname) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int socket_load(Unit *u) {
        Socket *s = SOCKET(u);
        SocketPort *ports = NULL;
        int r;

        socket_reset_settings(s);
        load_options(s);
        r = load_strings(s);
        if (r >= 0)
                r = load_symlinks(u);
        if (r >= 0)
                r = load_ports(s, &ports);
        if (r < 0)
                return log_oom();
        ports_take_over(s, ports);
        (void) kill_context_load(u, "Socket", &s->kill_context);
        r = exec_context_from_unit(u, &s->exec_context);
        if (r < 0 && r != -EOPNOTSUPP)
                return r;
        if (exec_status_table_fit(&s->exec_status, UNIT(s)->exec_commands) < 0)
                return log_oom();
        return socket_verify(s);
}
