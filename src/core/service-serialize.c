/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * service-serialize.c: a service's runtime state in the state store (manager-store.h): the
 * state and results, main and control PIDs, which command runs, the exec status records, the
 * restart counter, notify state, the timer deadline, the watchdog and whether BusName= had an
 * owner (the watch asks the bus again after the restart). Applied by service_coldplug()
 * (service.c).
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "manager.h"
#include "parse-util.h"
#include "service-internal.h"
#include "string-util.h"
#include "strv.h"

static void ser_exec_status(Serializer *s, const char *key, const char *prefix, const ExecStatus *st) {
        if (st->pid == 0 && st->start_timestamp.monotonic == 0)
                return;
        ser_itemf(s, key, "%s%i %i %i %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64, prefix, (int) st->pid,
                  st->code, st->status, (uint64_t) st->start_timestamp.realtime,
                  (uint64_t) st->start_timestamp.monotonic, (uint64_t) st->exit_timestamp.realtime,
                  (uint64_t) st->exit_timestamp.monotonic);
}

static int deser_exec_status(const char *v, ExecStatus *st) {
        uint64_t n[7];

        if (deser_numbers(v, n, 7, NULL) < 0)
                return -EINVAL;
        *st = (ExecStatus) {
                .pid = (int) n[0], .code = (int) n[1], .status = (int) n[2],
                .start_timestamp = { n[3], n[4] }, .exit_timestamp = { n[5], n[6] },
        };
        return 0;
}

/* The position of c in its list, or -1. */
static int command_index(Unit *u, ExecCommandKind kind, const ExecCommand *c) {
        int i = 0;

        if (kind < 0 || kind >= _EXEC_COMMAND_KIND_MAX || !c)
                return -1;
        for (ExecCommand *x = u->exec_commands[kind]; x; x = x->next, i++)
                if (x == c)
                        return i;
        return -1;
}

static ExecCommand *command_at(Unit *u, ExecCommandKind kind, int index) {
        ExecCommand *x;

        if (kind < 0 || kind >= _EXEC_COMMAND_KIND_MAX || index < 0)
                return NULL;
        for (x = u->exec_commands[kind]; x && index > 0; x = x->next)
                index--;
        return x;
}

static ExecCommandKind command_kind_from_string(const char *s) {
        for (ExecCommandKind k = 0; k < _EXEC_COMMAND_KIND_MAX; k++)
                if (streq_ptr(service_exec_command_to_string(k), s))
                        return k;
        return _EXEC_COMMAND_KIND_INVALID;
}

void service_serialize(Unit *u, Serializer *s) {
        Service *svc = SERVICE(u);
        usec_t t;

        ser_item(s, "state", service_state_to_string(svc->state));
        ser_item(s, "result", service_result_to_string(svc->result));
        ser_item(s, "reload-result", service_result_to_string(svc->reload_result));
        if (svc->main_pid > 0)
                ser_int(s, "main-pid", svc->main_pid);
        ser_bool(s, "main-pid-known", svc->main_pid_known);
        ser_bool(s, "main-pid-alien", svc->main_pid_alien);
        if (svc->bus_name) {
                ser_bool(s, "bus-name-good", svc->bus_name_good);
                ser_item(s, "bus-name-owner", svc->bus_name_owner);
        }
        if (svc->control_pid > 0)
                ser_int(s, "control-pid", svc->control_pid);
        if (svc->control_command)
                ser_itemf(s, "control-command", "%s %i", service_exec_command_to_string(svc->control_command_kind),
                          command_index(u, svc->control_command_kind, svc->control_command));
        if (svc->main_command)
                ser_int(s, "main-command", command_index(u, EXEC_START, svc->main_command));
        ser_exec_status(s, "main-exec-status", "", &svc->main_exec_status);
        for (ExecCommandKind k = 0; k < _EXEC_COMMAND_KIND_MAX; k++)
                for (size_t i = 0; i < svc->exec_status.n[k]; i++) {
                        char prefix[64];

                        snprintf(prefix, sizeof(prefix), "%s %zu ", service_exec_command_to_string(k), i);
                        ser_exec_status(s, "exec-status", prefix, exec_status_table_get(&svc->exec_status, k, i));
                }
        ser_int(s, "notify-state", svc->notify_state);
        ser_item(s, "status-text", svc->status_text);
        if (svc->status_errno)
                ser_int(s, "status-errno", svc->status_errno);
        ser_uint(s, "n-restarts", svc->n_restarts);
        ser_bool(s, "flush-n-restarts", svc->flush_n_restarts);
        ser_bool(s, "forbid-restart", svc->forbid_restart);
        ser_bool(s, "will-auto-restart", svc->will_auto_restart);
        ser_bool(s, "watchdog-started", svc->watchdog_started);
        ser_dual(s, "watchdog-timestamp", &svc->watchdog_timestamp);
        if (svc->watchdog_override_enable)
                ser_uint(s, "watchdog-override", svc->watchdog_override_usec);
        if (svc->timer_event_source && event_source_get_enabled(svc->timer_event_source, NULL) > 0 &&
            event_source_get_time(svc->timer_event_source, &t) >= 0)
                ser_uint(s, "timer", t);
        if (svc->accept_socket)
                ser_item(s, "accept-socket", svc->accept_socket->id);
        ser_item(s, "connection-fd-name", svc->connection_fd_name);
        for (ServiceFDStoreEntry *e = svc->fd_store; e; e = e->next)
                ser_item(s, "fd-store-name", e->fdname);
        ser_item(s, "private-tmp", svc->private_tmp);
        ser_item(s, "private-var-tmp", svc->private_var_tmp);
}

int service_deserialize_item(Unit *u, const char *key, const char *value) {
        Service *svc = SERVICE(u);
        uint64_t n;
        int i;

        if (streq(key, "state")) {
                ServiceState st = service_state_from_string(value);
                if (st >= 0)
                        svc->deserialized_state = st;
        } else if (streq(key, "result")) {
                ServiceResult r = service_result_from_string(value);
                if (r >= 0)
                        svc->result = r;
        } else if (streq(key, "reload-result")) {
                ServiceResult r = service_result_from_string(value);
                if (r >= 0)
                        svc->reload_result = r;
        } else if (streq(key, "main-pid"))
                (void) deser_pid(value, &svc->main_pid);
        else if (streq(key, "main-pid-known"))
                (void) deser_bool(value, &svc->main_pid_known);
        else if (streq(key, "main-pid-alien"))
                (void) deser_bool(value, &svc->main_pid_alien);
        else if (streq(key, "bus-name-good"))
                (void) deser_bool(value, &svc->bus_name_good);
        else if (streq(key, "bus-name-owner"))
                return free_and_strdup(&svc->bus_name_owner, value) < 0 ? -ENOMEM : 0;
        else if (streq(key, "control-pid"))
                (void) deser_pid(value, &svc->control_pid);
        else if (streq(key, "control-command")) {
                char kind[64];

                if (sscanf(value, "%63s %i", kind, &i) == 2) {
                        svc->control_command_kind = command_kind_from_string(kind);
                        svc->control_command = command_at(u, svc->control_command_kind, i);
                        if (!svc->control_command)
                                svc->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
                }
        } else if (streq(key, "main-command")) {
                if (safe_atoi(value, &i) >= 0)
                        svc->main_command = command_at(u, EXEC_START, i);
        } else if (streq(key, "main-exec-status"))
                (void) deser_exec_status(value, &svc->main_exec_status);
        else if (streq(key, "exec-status")) {
                char kind[64];
                size_t idx;
                int off = 0;

                if (sscanf(value, "%63s %zu %n", kind, &idx, &off) >= 2 && off > 0) {
                        ExecCommandKind k = command_kind_from_string(kind);

                        ExecStatus *st = exec_status_table_get(&svc->exec_status, k, idx);

                        if (st)
                                (void) deser_exec_status(value + off, st);
                }
        } else if (streq(key, "notify-state")) {
                if (safe_atoi(value, &i) >= 0 && i >= 0 && i < _NOTIFY_STATE_MAX)
                        svc->notify_state = i;
        } else if (streq(key, "status-text"))
                return free_and_strdup(&svc->status_text, value) < 0 ? -ENOMEM : 0;
        else if (streq(key, "status-errno"))
                (void) safe_atoi(value, &svc->status_errno);
        else if (streq(key, "n-restarts")) {
                if (safe_atou64(value, &n) >= 0)
                        svc->n_restarts = (unsigned) n;
        } else if (streq(key, "flush-n-restarts"))
                (void) deser_bool(value, &svc->flush_n_restarts);
        else if (streq(key, "forbid-restart"))
                (void) deser_bool(value, &svc->forbid_restart);
        else if (streq(key, "will-auto-restart"))
                (void) deser_bool(value, &svc->will_auto_restart);
        else if (streq(key, "watchdog-started"))
                (void) deser_bool(value, &svc->watchdog_started);
        else if (streq(key, "watchdog-timestamp"))
                (void) deser_dual(value, &svc->watchdog_timestamp);
        else if (streq(key, "watchdog-override")) {
                if (safe_atou64(value, &n) >= 0) {
                        svc->watchdog_override_enable = true;
                        svc->watchdog_override_usec = n;
                }
        } else if (streq(key, "timer")) {
                if (safe_atou64(value, &n) >= 0)
                        svc->deserialized_timer = n;
        } else if (streq(key, "accept-socket")) {
                Unit *sock = NULL;

                if (manager_load_unit(u->manager, value, &sock) >= 0 && sock && sock->type == UNIT_SOCKET)
                        svc->accept_socket = sock;
        } else if (streq(key, "fd-store-name"))
                return strv_extend(&svc->deserialized_fd_names, value) < 0 ? -ENOMEM : 0;
        else if (streq(key, "connection-fd-name"))
                return free_and_strdup(&svc->connection_fd_name, value) < 0 ? -ENOMEM : 0;
        else if (streq(key, "private-tmp"))
                return free_and_strdup(&svc->private_tmp, value) < 0 ? -ENOMEM : 0;
        else if (streq(key, "private-var-tmp"))
                return free_and_strdup(&svc->private_var_tmp, value) < 0 ? -ENOMEM : 0;
        return 0;
}
