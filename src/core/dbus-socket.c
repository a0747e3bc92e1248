/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-socket.c: org.freedesktop.systemd1.Socket: systemd 252's socket properties in its order
 * (dbus-socket.c of 252), then the unit cgroup, cgroup, exec and kill properties on the same
 * interface, as the Service interface does (so `systemctl show` lists them as systemd does).
 */

#include <errno.h>
#include <stdint.h>

#include "dbus-cgroup.h"
#include "dbus-exec.h"
#include "dbus-kill.h"
#include "dbus-types.h"
#include "exec-command.h"
#include "socket.h"
#include "string-util.h"
#include "strv.h"

#define S(userdata) SOCKET(userdata)

static int get_string(BUS_GETTER_ARGS) {
        Socket *s = userdata;
        const char *v = NULL;

        if (streq(property, "BindIPv6Only"))
                v = socket_bind_ipv6_only_to_string(s->bind_ipv6_only);
        else if (streq(property, "BindToDevice"))
                v = s->bind_to_device;
        else if (streq(property, "SocketUser"))
                v = s->user;
        else if (streq(property, "SocketGroup"))
                v = s->group;
        else if (streq(property, "Timestamping"))
                v = socket_timestamping_to_string(s->timestamping);
        else if (streq(property, "TCPCongestion"))
                v = s->tcp_congestion;
        else if (streq(property, "SmackLabel"))
                v = s->smack;
        else if (streq(property, "SmackLabelIPIn"))
                v = s->smack_ip_in;
        else if (streq(property, "SmackLabelIPOut"))
                v = s->smack_ip_out;
        else if (streq(property, "Result"))
                v = socket_result_to_string(s->result);
        else if (streq(property, "FileDescriptorName"))
                v = socket_fdname(s);
        return bus_append_string(reply, v);
}

static int get_u32(BUS_GETTER_ARGS) {
        Socket *s = userdata;
        uint32_t v = 0;

        if (streq(property, "Backlog"))
                v = s->backlog;
        else if (streq(property, "SocketMode"))
                v = s->socket_mode;
        else if (streq(property, "DirectoryMode"))
                v = s->directory_mode;
        else if (streq(property, "KeepAliveProbes"))
                v = s->keep_alive_cnt;
        else if (streq(property, "MaxConnections"))
                v = s->max_connections;
        else if (streq(property, "MaxConnectionsPerSource"))
                v = s->max_connections_per_source;
        else if (streq(property, "ControlPID"))
                v = s->control_pid > 0 ? (uint32_t) s->control_pid : 0;
        else if (streq(property, "NConnections"))
                v = s->n_connections;
        else if (streq(property, "NAccepted"))
                v = s->n_accepted;
        else if (streq(property, "NRefused"))
                v = s->n_refused;
        else if (streq(property, "TriggerLimitBurst"))
                v = s->trigger_limit_burst;
        else if (STR_IN_SET(property, "UID", "GID"))
                v = UINT32_MAX;
        return bus_append_u32(reply, v);
}

static int get_i32(BUS_GETTER_ARGS) {
        Socket *s = userdata;
        int v = 0;

        if (streq(property, "Priority"))
                v = s->priority;
        else if (streq(property, "IPTOS"))
                v = s->ip_tos;
        else if (streq(property, "IPTTL"))
                v = s->ip_ttl;
        else if (streq(property, "Mark"))
                v = s->mark;
        else if (streq(property, "SocketProtocol"))
                v = s->socket_protocol;
        return bus_append_i32(reply, v);
}

static int get_u64(BUS_GETTER_ARGS) {
        Socket *s = userdata;
        uint64_t v = 0;

        if (streq(property, "TimeoutUSec"))
                v = s->timeout_usec;
        else if (streq(property, "KeepAliveTimeUSec"))
                v = s->keep_alive_time;
        else if (streq(property, "KeepAliveIntervalUSec"))
                v = s->keep_alive_interval;
        else if (streq(property, "DeferAcceptUSec"))
                v = s->defer_accept;
        else if (streq(property, "ReceiveBuffer"))
                v = s->receive_buffer;
        else if (streq(property, "SendBuffer"))
                v = s->send_buffer;
        else if (streq(property, "PipeSize"))
                v = s->pipe_size;
        else if (streq(property, "TriggerLimitIntervalUSec"))
                v = s->trigger_limit_interval;
        return bus_append_usec(reply, v);
}

static int get_i64(BUS_GETTER_ARGS) {
        Socket *s = userdata;

        return bus_message_append(reply, "x",
                                  (int64_t) (streq(property, "MessageQueueMaxMessages") ? s->mq_maxmsg : s->mq_msgsize));
}

static int get_bool(BUS_GETTER_ARGS) {
        Socket *s = userdata;
        static const struct {
                const char *name;
                size_t offset;
        } table[] = {
                { "Accept", offsetof(Socket, accept) },
                { "FlushPending", offsetof(Socket, flush_pending) },
                { "Writable", offsetof(Socket, writable) },
                { "KeepAlive", offsetof(Socket, keep_alive) },
                { "NoDelay", offsetof(Socket, no_delay) },
                { "FreeBind", offsetof(Socket, free_bind) },
                { "Transparent", offsetof(Socket, transparent) },
                { "Broadcast", offsetof(Socket, broadcast) },
                { "PassCredentials", offsetof(Socket, pass_cred) },
                { "PassSecurity", offsetof(Socket, pass_sec) },
                { "PassPacketInfo", offsetof(Socket, pass_pktinfo) },
                { "RemoveOnStop", offsetof(Socket, remove_on_stop) },
                { "ReusePort", offsetof(Socket, reuse_port) },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(property, table[i].name))
                        return bus_append_bool(reply, *(bool *) ((uint8_t *) s + table[i].offset));
        return bus_append_bool(reply, false);
}

static int get_listen(BUS_GETTER_ARGS) {
        int r = bus_message_open_container(reply, 'a', "(ss)");

        for (SocketPort *p = S(userdata)->ports; r >= 0 && p; p = p->next)
                r = bus_message_append(reply, "(ss)", p->listen_type, p->printed);
        return r < 0 ? r : bus_message_close_container(reply);
}

static int get_symlinks(BUS_GETTER_ARGS) {
        return bus_message_append_strv(reply, S(userdata)->symlinks);
}

static ExecCommandKind exec_kind(const char *property) {
        if (streq(property, "ExecStartPre"))
                return EXEC_START_PRE;
        if (streq(property, "ExecStartPost"))
                return EXEC_START_POST;
        if (streq(property, "ExecStopPre"))
                return EXEC_STOP_PRE;
        return EXEC_STOP_POST;
}

static int get_exec_command(BUS_GETTER_ARGS) {
        Socket *s = userdata;
        ExecCommandKind k = exec_kind(property);
        size_t i = 0;
        int r;

        r = bus_message_open_container(reply, 'a', "(sasbttttuii)");
        for (ExecCommand *c = s->meta.exec_commands[k]; r >= 0 && c; c = c->next, i++) {
                static const ExecStatus none = {};
                const ExecStatus *st = exec_status_table_get(&s->exec_status, k, i) ?: &none;

                r = bus_message_open_container(reply, '(', "sasbttttuii");
                if (r >= 0)
                        r = bus_append_string(reply, c->path);
                if (r >= 0)
                        r = bus_message_append_strv(reply, c->argv);
                if (r >= 0)
                        r = bus_append_bool(reply, c->flags & EXEC_COMMAND_IGNORE_FAILURE);
                if (r >= 0)
                        r = bus_message_append(reply, "ttttuii", st->start_timestamp.realtime,
                                               st->start_timestamp.monotonic, st->exit_timestamp.realtime,
                                               st->exit_timestamp.monotonic,
                                               (uint32_t) (st->pid > 0 ? st->pid : 0), st->code, st->status);
                if (r >= 0)
                        r = bus_message_close_container(reply);
        }
        return r < 0 ? r : bus_message_close_container(reply);
}

#define CONST BUS_VTABLE_PROPERTY_CONST
#define CHANGE BUS_VTABLE_PROPERTY_EMITS_CHANGE
#define INVAL BUS_VTABLE_PROPERTY_EMITS_INVALIDATION

static const BusVtable socket_bus_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_PROPERTY("BindIPv6Only", "s", get_string, 0, CONST),
        BUS_PROPERTY("Backlog", "u", get_u32, 0, CONST),
        BUS_PROPERTY("TimeoutUSec", "t", get_u64, 0, CONST),
        BUS_PROPERTY("BindToDevice", "s", get_string, 0, CONST),
        BUS_PROPERTY("SocketUser", "s", get_string, 0, CONST),
        BUS_PROPERTY("SocketGroup", "s", get_string, 0, CONST),
        BUS_PROPERTY("SocketMode", "u", get_u32, 0, CONST),
        BUS_PROPERTY("DirectoryMode", "u", get_u32, 0, CONST),
        BUS_PROPERTY("Accept", "b", get_bool, 0, CONST),
        BUS_PROPERTY("FlushPending", "b", get_bool, 0, CONST),
        BUS_PROPERTY("Writable", "b", get_bool, 0, CONST),
        BUS_PROPERTY("KeepAlive", "b", get_bool, 0, CONST),
        BUS_PROPERTY("KeepAliveTimeUSec", "t", get_u64, 0, CONST),
        BUS_PROPERTY("KeepAliveIntervalUSec", "t", get_u64, 0, CONST),
        BUS_PROPERTY("KeepAliveProbes", "u", get_u32, 0, CONST),
        BUS_PROPERTY("DeferAcceptUSec", "t", get_u64, 0, CONST),
        BUS_PROPERTY("NoDelay", "b", get_bool, 0, CONST),
        BUS_PROPERTY("Priority", "i", get_i32, 0, CONST),
        BUS_PROPERTY("ReceiveBuffer", "t", get_u64, 0, CONST),
        BUS_PROPERTY("SendBuffer", "t", get_u64, 0, CONST),
        BUS_PROPERTY("IPTOS", "i", get_i32, 0, CONST),
        BUS_PROPERTY("IPTTL", "i", get_i32, 0, CONST),
        BUS_PROPERTY("PipeSize", "t", get_u64, 0, CONST),
        BUS_PROPERTY("FreeBind", "b", get_bool, 0, CONST),
        BUS_PROPERTY("Transparent", "b", get_bool, 0, CONST),
        BUS_PROPERTY("Broadcast", "b", get_bool, 0, CONST),
        BUS_PROPERTY("PassCredentials", "b", get_bool, 0, CONST),
        BUS_PROPERTY("PassSecurity", "b", get_bool, 0, CONST),
        BUS_PROPERTY("PassPacketInfo", "b", get_bool, 0, CONST),
        BUS_PROPERTY("Timestamping", "s", get_string, 0, CONST),
        BUS_PROPERTY("RemoveOnStop", "b", get_bool, 0, CONST),
        BUS_PROPERTY("Listen", "a(ss)", get_listen, 0, CONST),
        BUS_PROPERTY("Symlinks", "as", get_symlinks, 0, CONST),
        BUS_PROPERTY("Mark", "i", get_i32, 0, CONST),
        BUS_PROPERTY("MaxConnections", "u", get_u32, 0, CONST),
        BUS_PROPERTY("MaxConnectionsPerSource", "u", get_u32, 0, CONST),
        BUS_PROPERTY("MessageQueueMaxMessages", "x", get_i64, 0, CONST),
        BUS_PROPERTY("MessageQueueMessageSize", "x", get_i64, 0, CONST),
        BUS_PROPERTY("TCPCongestion", "s", get_string, 0, CONST),
        BUS_PROPERTY("ReusePort", "b", get_bool, 0, CONST),
        BUS_PROPERTY("SmackLabel", "s", get_string, 0, CONST),
        BUS_PROPERTY("SmackLabelIPIn", "s", get_string, 0, CONST),
        BUS_PROPERTY("SmackLabelIPOut", "s", get_string, 0, CONST),
        BUS_PROPERTY("ControlPID", "u", get_u32, 0, CHANGE),
        BUS_PROPERTY("Result", "s", get_string, 0, CHANGE),
        BUS_PROPERTY("NConnections", "u", get_u32, 0, 0),
        BUS_PROPERTY("NAccepted", "u", get_u32, 0, 0),
        BUS_PROPERTY("NRefused", "u", get_u32, 0, 0),
        BUS_PROPERTY("FileDescriptorName", "s", get_string, 0, 0),
        BUS_PROPERTY("SocketProtocol", "i", get_i32, 0, CONST),
        BUS_PROPERTY("TriggerLimitIntervalUSec", "t", get_u64, 0, CONST),
        BUS_PROPERTY("TriggerLimitBurst", "u", get_u32, 0, CONST),
        BUS_PROPERTY("UID", "u", get_u32, 0, CHANGE),
        BUS_PROPERTY("GID", "u", get_u32, 0, CHANGE),
        BUS_PROPERTY("ExecStartPre", "a(sasbttttuii)", get_exec_command, 0, INVAL),
        BUS_PROPERTY("ExecStartPost", "a(sasbttttuii)", get_exec_command, 0, INVAL),
        BUS_PROPERTY("ExecStopPre", "a(sasbttttuii)", get_exec_command, 0, INVAL),
        BUS_PROPERTY("ExecStopPost", "a(sasbttttuii)", get_exec_command, 0, INVAL),
        BUS_UNIT_CGROUP_VTABLE_ITEMS,
        BUS_CGROUP_VTABLE_ITEMS,
        BUS_EXEC_VTABLE_ITEMS,
        BUS_KILL_VTABLE_ITEMS,
        BUS_VTABLE_END,
};

const BusVtable *const bus_socket_vtable = socket_bus_vtable;
