/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-service.c: org.freedesktop.systemd1.Service: systemd 252's service properties, then the
 * unit cgroup, cgroup, exec and kill properties, all on the one interface and in that order (so
 * that `systemctl show` lists them as systemd does; MainPID must come before ExecMainPID).
 */

#include <errno.h>
#include <signal.h>

#include "dbus-cgroup.h"
#include "dbus-exec.h"
#include "dbus-kill.h"
#include "dbus-types.h"
#include "exec-command.h"
#include "exit-status.h"
#include "service.h"
#include "string-util.h"
#include "strv.h"

#define S(userdata) SERVICE(userdata)

static int get_type(BUS_GETTER_ARGS) {
        return bus_append_string(reply, service_type_to_string(S(userdata)->type));
}

static int get_restart(BUS_GETTER_ARGS) {
        return bus_append_string(reply, service_restart_to_string(S(userdata)->restart));
}

static int get_string(BUS_GETTER_ARGS) {
        Service *s = userdata;
        const char *v = NULL;

        if (streq(property, "PIDFile"))
                v = s->pid_file;
        else if (streq(property, "NotifyAccess"))
                v = notify_access_to_string(s->notify_access);
        else if (streq(property, "TimeoutStartFailureMode"))
                v = service_timeout_failure_mode_to_string(s->timeout_start_failure_mode);
        else if (streq(property, "TimeoutStopFailureMode"))
                v = service_timeout_failure_mode_to_string(s->timeout_stop_failure_mode);
        else if (streq(property, "BusName"))
                v = s->bus_name;
        else if (streq(property, "StatusText"))
                v = s->status_text;
        else if (streq(property, "Result"))
                v = service_result_to_string(s->result);
        else if (streq(property, "ReloadResult"))
                v = service_result_to_string(s->reload_result);
        else if (streq(property, "CleanResult"))
                v = service_result_to_string(s->clean_result);
        else if (streq(property, "USBFunctionDescriptors"))
                v = s->usb_function_descriptors;
        else if (streq(property, "USBFunctionStrings"))
                v = s->usb_function_strings;
        else if (streq(property, "ExitType"))
                v = unit_setting_last(&s->meta, "Service.ExitType") ?: "main";
        else if (streq(property, "OOMPolicy"))
                v = s->meta.load_state != UNIT_LOADED ? "" : unit_setting_last(&s->meta, "Service.OOMPolicy") ?: "stop";
        return bus_append_string(reply, v);
}

static int get_usec(BUS_GETTER_ARGS) {
        Service *s = userdata;
        usec_t v = 0;

        if (streq(property, "RestartUSec"))
                v = s->restart_usec;
        else if (streq(property, "TimeoutStartUSec"))
                v = s->timeout_start_usec;
        else if (streq(property, "TimeoutStopUSec"))
                v = s->timeout_stop_usec;
        else if (streq(property, "TimeoutAbortUSec"))
                v = s->timeout_abort_set ? s->timeout_abort_usec : s->timeout_stop_usec;
        else if (streq(property, "RuntimeMaxUSec"))
                v = s->runtime_max_usec;
        else if (streq(property, "WatchdogUSec"))
                v = s->watchdog_override_enable ? s->watchdog_override_usec
                    : s->watchdog_started ? s->watchdog_usec : USEC_INFINITY;
        return bus_append_usec(reply, v);
}

static int get_bool(BUS_GETTER_ARGS) {
        Service *s = userdata;
        bool b = false;

        if (streq(property, "PermissionsStartOnly"))
                b = s->permissions_start_only;
        else if (streq(property, "RootDirectoryStartOnly"))
                b = s->root_directory_start_only;
        else if (streq(property, "RemainAfterExit"))
                b = s->remain_after_exit;
        else if (streq(property, "GuessMainPID"))
                b = s->guess_main_pid;
        return bus_append_bool(reply, b);
}

static int get_u32(BUS_GETTER_ARGS) {
        Service *s = userdata;
        uint32_t v = 0;

        if (streq(property, "MainPID"))
                v = s->main_pid > 0 ? (uint32_t) s->main_pid : 0;
        else if (streq(property, "ControlPID"))
                v = s->control_pid > 0 ? (uint32_t) s->control_pid : 0;
        else if (streq(property, "FileDescriptorStoreMax"))
                v = s->n_fd_store_max;
        else if (streq(property, "NFileDescriptorStore"))
                v = s->n_fd_store;
        else if (STR_IN_SET(property, "UID", "GID"))
                v = UINT32_MAX;
        else if (streq(property, "NRestarts"))
                v = s->n_restarts;
        return bus_append_u32(reply, v);
}

static int get_status_errno(BUS_GETTER_ARGS) {
        return bus_append_i32(reply, S(userdata)->status_errno);
}

static int append_status_set(BusMessage *reply, const ExitStatusSet *set) {
        int r;

        r = bus_message_open_container(reply, '(', "aiai");
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "i");
        for (int i = 0; r >= 0 && i < 256; i++)
                if (exit_status_set_has_status(set, i))
                        r = bus_append_i32(reply, i);
        if (r >= 0)
                r = bus_message_close_container(reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "i");
        for (int i = 1; r >= 0 && i < _NSIG; i++)
                if (exit_status_set_has_signal(set, i))
                        r = bus_append_i32(reply, i);
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r < 0 ? r : bus_message_close_container(reply);
}

static int get_status_set(BUS_GETTER_ARGS) {
        const ServiceExitStatusSets *sets = service_exit_status_sets(userdata);

        if (streq(property, "RestartPreventExitStatus"))
                return append_status_set(reply, &sets->restart_prevent);
        if (streq(property, "RestartForceExitStatus"))
                return append_status_set(reply, &sets->restart_force);
        return append_status_set(reply, &sets->success);
}

/* Dual timestamps and ExecMain*: userdata + offset points at the field. */
static int get_realtime(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, ((DualTimestamp *) userdata)->realtime);
}

static int get_monotonic(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, ((DualTimestamp *) userdata)->monotonic);
}

static int get_pid_field(BUS_GETTER_ARGS) {
        pid_t p = *(pid_t *) userdata;
        return bus_append_u32(reply, p > 0 ? (uint32_t) p : 0);
}

static int get_int_field(BUS_GETTER_ARGS) {
        return bus_append_i32(reply, *(int *) userdata);
}

#define DUAL(name, off)                                                                  \
        BUS_PROPERTY(name, "t", get_realtime, off, BUS_VTABLE_PROPERTY_EMITS_CHANGE),    \
        BUS_PROPERTY(name "Monotonic", "t", get_monotonic, off, BUS_VTABLE_PROPERTY_EMITS_CHANGE)

/* Exec*: the kind comes from the name. */
static ExecCommandKind exec_kind(const char *property, bool *ex) {
        static const char *const names[_EXEC_COMMAND_KIND_MAX] = {
                [EXEC_CONDITION] = "ExecCondition", [EXEC_START_PRE] = "ExecStartPre",
                [EXEC_START] = "ExecStart",         [EXEC_START_POST] = "ExecStartPost",
                [EXEC_RELOAD] = "ExecReload",       [EXEC_STOP] = "ExecStop",
                [EXEC_STOP_POST] = "ExecStopPost",  [EXEC_STOP_PRE] = "ExecStopPre",
        };

        for (ExecCommandKind k = 0; k < _EXEC_COMMAND_KIND_MAX; k++) {
                const char *rest = startswith(property, names[k]);
                if (rest && (streq(rest, "") || streq(rest, "Ex"))) {
                        *ex = streq(rest, "Ex");
                        return k;
                }
        }
        return _EXEC_COMMAND_KIND_INVALID;
}

static int append_command_flags(BusMessage *reply, ExecCommandFlags f) {
        static const char *const names[] = { "ignore-failure", "privileged", "no-setuid", "ambient",
                                             "no-env-expand" };
        int r = bus_message_open_container(reply, 'a', "s");

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(names); i++)
                if (f & (1 << i))
                        r = bus_append_string(reply, names[i]);
        return r < 0 ? r : bus_message_close_container(reply);
}

static int get_exec_command(BUS_GETTER_ARGS) {
        Service *s = userdata;
        ExecCommandKind k;
        bool ex = false;
        size_t i = 0;
        int r;

        k = exec_kind(property, &ex);
        r = bus_message_open_container(reply, 'a', ex ? "(sasasttttuii)" : "(sasbttttuii)");
        for (ExecCommand *c = k >= 0 ? s->meta.exec_commands[k] : NULL; r >= 0 && c; c = c->next, i++) {
                static const ExecStatus none = {};
                const ExecStatus *st = exec_status_table_get(&s->exec_status, k, i) ?: &none;

                r = bus_message_open_container(reply, '(', ex ? "sasasttttuii" : "sasbttttuii");
                if (r >= 0)
                        r = bus_append_string(reply, c->path);
                if (r >= 0)
                        r = bus_message_append_strv(reply, c->argv);
                if (r >= 0)
                        r = ex ? append_command_flags(reply, c->flags)
                               : bus_append_bool(reply, c->flags & EXEC_COMMAND_IGNORE_FAILURE);
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

static int get_hidden_unit_setting(BUS_GETTER_ARGS) {
        Unit *u = userdata;

        if (streq(property, "StartLimitInterval"))
                return bus_append_usec(reply, u->rt.start_limit_interval);
        if (streq(property, "StartLimitBurst"))
                return bus_append_u32(reply, u->rt.start_limit_burst);
        if (streq(property, "StartLimitAction"))
                return bus_append_string(reply, emergency_action_to_string(u->rt.start_limit_action));
        if (streq(property, "FailureAction"))
                return bus_append_string(reply, emergency_action_to_string(u->rt.failure_action));
        return bus_append_string(reply, unit_setting_last(u, "Unit.RebootArgument"));
}

#define CONST BUS_VTABLE_PROPERTY_CONST
#define CHANGE BUS_VTABLE_PROPERTY_EMITS_CHANGE
#define EXEC_LIST(name)                                                                     \
        BUS_PROPERTY(name, "a(sasbttttuii)", get_exec_command, 0, BUS_VTABLE_PROPERTY_EMITS_INVALIDATION), \
        BUS_PROPERTY(name "Ex", "a(sasasttttuii)", get_exec_command, 0, BUS_VTABLE_PROPERTY_EMITS_INVALIDATION)
#define MAIN_STATUS(f) offsetof(Service, main_exec_status.f)

static const BusVtable service_bus_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_PROPERTY("Type", "s", get_type, 0, CONST),
        BUS_PROPERTY("ExitType", "s", get_string, 0, CONST),
        BUS_PROPERTY("Restart", "s", get_restart, 0, CONST),
        BUS_PROPERTY("PIDFile", "s", get_string, 0, CONST),
        BUS_PROPERTY("NotifyAccess", "s", get_string, 0, CONST),
        BUS_PROPERTY("RestartUSec", "t", get_usec, 0, CONST),
        BUS_PROPERTY("TimeoutStartUSec", "t", get_usec, 0, CONST),
        BUS_PROPERTY("TimeoutStopUSec", "t", get_usec, 0, CONST),
        BUS_PROPERTY("TimeoutAbortUSec", "t", get_usec, 0, CONST),
        BUS_PROPERTY("TimeoutStartFailureMode", "s", get_string, 0, CONST),
        BUS_PROPERTY("TimeoutStopFailureMode", "s", get_string, 0, CONST),
        BUS_PROPERTY("RuntimeMaxUSec", "t", get_usec, 0, CONST),
        BUS_PROPERTY("RuntimeRandomizedExtraUSec", "t", bus_prop_zero_t, 0, CONST),
        BUS_PROPERTY("WatchdogUSec", "t", get_usec, 0, CONST),
        DUAL("WatchdogTimestamp", offsetof(Service, watchdog_timestamp)),
        BUS_PROPERTY("PermissionsStartOnly", "b", get_bool, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("RootDirectoryStartOnly", "b", get_bool, 0, CONST),
        BUS_PROPERTY("RemainAfterExit", "b", get_bool, 0, CONST),
        BUS_PROPERTY("GuessMainPID", "b", get_bool, 0, CONST),
        BUS_PROPERTY("RestartPreventExitStatus", "(aiai)", get_status_set, 0, CONST),
        BUS_PROPERTY("RestartForceExitStatus", "(aiai)", get_status_set, 0, CONST),
        BUS_PROPERTY("SuccessExitStatus", "(aiai)", get_status_set, 0, CONST),
        BUS_PROPERTY("MainPID", "u", get_u32, 0, CHANGE),
        BUS_PROPERTY("ControlPID", "u", get_u32, 0, CHANGE),
        BUS_PROPERTY("BusName", "s", get_string, 0, CONST),
        BUS_PROPERTY("FileDescriptorStoreMax", "u", get_u32, 0, CONST),
        BUS_PROPERTY("NFileDescriptorStore", "u", get_u32, 0, 0),
        BUS_PROPERTY("StatusText", "s", get_string, 0, CHANGE),
        BUS_PROPERTY("StatusErrno", "i", get_status_errno, 0, CHANGE),
        BUS_PROPERTY("Result", "s", get_string, 0, CHANGE),
        BUS_PROPERTY("ReloadResult", "s", get_string, 0, CHANGE),
        BUS_PROPERTY("CleanResult", "s", get_string, 0, CHANGE),
        BUS_PROPERTY("USBFunctionDescriptors", "s", get_string, 0, CONST),
        BUS_PROPERTY("USBFunctionStrings", "s", get_string, 0, CONST),
        BUS_PROPERTY("UID", "u", get_u32, 0, CHANGE),
        BUS_PROPERTY("GID", "u", get_u32, 0, CHANGE),
        BUS_PROPERTY("NRestarts", "u", get_u32, 0, CHANGE),
        BUS_PROPERTY("OOMPolicy", "s", get_string, 0, CONST),
        DUAL("ExecMainStartTimestamp", MAIN_STATUS(start_timestamp)),
        DUAL("ExecMainExitTimestamp", MAIN_STATUS(exit_timestamp)),
        BUS_PROPERTY("ExecMainPID", "u", get_pid_field, MAIN_STATUS(pid), CHANGE),
        BUS_PROPERTY("ExecMainCode", "i", get_int_field, MAIN_STATUS(code), CHANGE),
        BUS_PROPERTY("ExecMainStatus", "i", get_int_field, MAIN_STATUS(status), CHANGE),
        EXEC_LIST("ExecCondition"),
        EXEC_LIST("ExecStartPre"),
        EXEC_LIST("ExecStart"),
        EXEC_LIST("ExecStartPost"),
        EXEC_LIST("ExecReload"),
        EXEC_LIST("ExecStop"),
        EXEC_LIST("ExecStopPost"),
        BUS_METHOD_WITH_NAMES("BindMount", "ssbb", "", "source\0destination\0read_only\0mkdir\0",
                              bus_cgroup_method_not_supported, 0),
        BUS_METHOD_WITH_NAMES("MountImage", "ssbba(ss)", "",
                              "source\0destination\0read_only\0mkdir\0options\0",
                              bus_cgroup_method_not_supported, 0),
        BUS_PROPERTY("StartLimitInterval", "t", get_hidden_unit_setting, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("StartLimitBurst", "u", get_hidden_unit_setting, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("StartLimitAction", "s", get_hidden_unit_setting, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("FailureAction", "s", get_hidden_unit_setting, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("RebootArgument", "s", get_hidden_unit_setting, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_UNIT_CGROUP_VTABLE_ITEMS,
        BUS_CGROUP_VTABLE_ITEMS,
        BUS_EXEC_VTABLE_ITEMS,
        BUS_KILL_VTABLE_ITEMS,
        BUS_VTABLE_END,
};

const BusVtable *const bus_service_vtable = service_bus_vtable;
