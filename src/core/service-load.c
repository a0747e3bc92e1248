/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * service-load.c: the settings half of the service type (service.h): the string tables of its
 * enums, the defaults, and interpreting the [Service] settings of a loaded unit (Type=,
 * Restart=, the timeouts, PIDFile=, NotifyAccess=, the exit status sets, the kill and execution
 * contexts) with systemd 252's defaults, warnings and refusals. The state machine is in
 * service.c.
 */

#include <signal.h>
#include <stdio.h>

#include "exit-status.h"
#include "kill.h"
#include "log.h"
#include "manager.h"
#include "parse-util.h"
#include "path-util.h"
#include "service-internal.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"
#include "unit-printf.h"

DEFINE_STRING_TABLE(service_state, ServiceState, _SERVICE_STATE_MAX,
             [SERVICE_DEAD] = "dead",
             [SERVICE_CONDITION] = "condition",
             [SERVICE_START_PRE] = "start-pre",
             [SERVICE_START] = "start",
             [SERVICE_START_POST] = "start-post",
             [SERVICE_RUNNING] = "running",
             [SERVICE_EXITED] = "exited",
             [SERVICE_RELOAD] = "reload",
             [SERVICE_STOP] = "stop",
             [SERVICE_STOP_WATCHDOG] = "stop-watchdog",
             [SERVICE_STOP_SIGTERM] = "stop-sigterm",
             [SERVICE_STOP_SIGKILL] = "stop-sigkill",
             [SERVICE_STOP_POST] = "stop-post",
             [SERVICE_FINAL_WATCHDOG] = "final-watchdog",
             [SERVICE_FINAL_SIGTERM] = "final-sigterm",
             [SERVICE_FINAL_SIGKILL] = "final-sigkill",
             [SERVICE_FAILED] = "failed",
             [SERVICE_AUTO_RESTART] = "auto-restart",
             [SERVICE_CLEANING] = "cleaning")

DEFINE_STRING_TABLE(service_type, ServiceType, _SERVICE_TYPE_MAX,
             [SERVICE_SIMPLE] = "simple",
             [SERVICE_FORKING] = "forking",
             [SERVICE_ONESHOT] = "oneshot",
             [SERVICE_DBUS] = "dbus",
             [SERVICE_NOTIFY] = "notify",
             [SERVICE_IDLE] = "idle",
             [SERVICE_EXEC] = "exec")

DEFINE_STRING_TABLE(service_restart, ServiceRestart, _SERVICE_RESTART_MAX,
             [SERVICE_RESTART_NO] = "no",
             [SERVICE_RESTART_ON_SUCCESS] = "on-success",
             [SERVICE_RESTART_ON_FAILURE] = "on-failure",
             [SERVICE_RESTART_ON_ABNORMAL] = "on-abnormal",
             [SERVICE_RESTART_ON_WATCHDOG] = "on-watchdog",
             [SERVICE_RESTART_ON_ABORT] = "on-abort",
             [SERVICE_RESTART_ALWAYS] = "always")

DEFINE_STRING_TABLE(service_result, ServiceResult, _SERVICE_RESULT_MAX,
             [SERVICE_SUCCESS] = "success",
             [SERVICE_FAILURE_RESOURCES] = "resources",
             [SERVICE_FAILURE_PROTOCOL] = "protocol",
             [SERVICE_FAILURE_TIMEOUT] = "timeout",
             [SERVICE_FAILURE_EXIT_CODE] = "exit-code",
             [SERVICE_FAILURE_SIGNAL] = "signal",
             [SERVICE_FAILURE_CORE_DUMP] = "core-dump",
             [SERVICE_FAILURE_WATCHDOG] = "watchdog",
             [SERVICE_FAILURE_START_LIMIT_HIT] = "start-limit-hit",
             [SERVICE_FAILURE_OOM_KILL] = "oom-kill",
             [SERVICE_SKIP_CONDITION] = "exec-condition")

DEFINE_STRING_TABLE(notify_access, NotifyAccess, _NOTIFY_ACCESS_MAX,
             [NOTIFY_NONE] = "none",
             [NOTIFY_ALL] = "all",
             [NOTIFY_MAIN] = "main",
             [NOTIFY_EXEC] = "exec")

DEFINE_STRING_TABLE(service_timeout_failure_mode, ServiceTimeoutFailureMode, _SERVICE_TIMEOUT_FAILURE_MODE_MAX,
             [SERVICE_TIMEOUT_TERMINATE] = "terminate",
             [SERVICE_TIMEOUT_ABORT] = "abort",
             [SERVICE_TIMEOUT_KILL] = "kill")

static const char *const exec_command_kind_table[_EXEC_COMMAND_KIND_MAX] = {
        [EXEC_CONDITION] = "ExecCondition",
        [EXEC_START_PRE] = "ExecStartPre",
        [EXEC_START] = "ExecStart",
        [EXEC_START_POST] = "ExecStartPost",
        [EXEC_RELOAD] = "ExecReload",
        [EXEC_STOP] = "ExecStop",
        [EXEC_STOP_POST] = "ExecStopPost",
        [EXEC_STOP_PRE] = "ExecStopPre",
};

const char *service_exec_command_to_string(ExecCommandKind k) {
        return k >= 0 && k < _EXEC_COMMAND_KIND_MAX ? exec_command_kind_table[k] : NULL;
}

/* ---- defaults ---------------------------------------------------------------------------- */

static usec_t or_default(usec_t v, usec_t def) {
        return v > 0 ? v : def;
}

/* The values systemd gives a service before its file is read (manager defaults). */
static void service_reset_settings(Service *s) {
        Manager *m = UNIT(s)->manager;

        s->type = _SERVICE_TYPE_INVALID;
        s->restart = SERVICE_RESTART_NO;
        s->exit_status_sets = mfree(s->exit_status_sets);
        s->restart_usec = or_default(m->default_restart_usec, 100 * USEC_PER_MSEC);
        s->timeout_start_usec = or_default(m->default_timeout_start_usec, 90 * USEC_PER_SEC);
        s->timeout_stop_usec = or_default(m->default_timeout_stop_usec, 90 * USEC_PER_SEC);
        s->timeout_abort_usec = or_default(m->default_timeout_abort_usec, s->timeout_stop_usec);
        s->timeout_abort_set = m->default_timeout_abort_set;
        s->runtime_max_usec = USEC_INFINITY;
        s->watchdog_usec = 0;
        s->timeout_start_failure_mode = SERVICE_TIMEOUT_TERMINATE;
        s->timeout_stop_failure_mode = SERVICE_TIMEOUT_TERMINATE;
        s->remain_after_exit = false;
        s->guess_main_pid = true;
        s->permissions_start_only = false;
        s->root_directory_start_only = false;
        s->pid_file = mfree(s->pid_file);
        service_unwatch_bus_name(s);
        s->bus_name = mfree(s->bus_name);
        s->notify_access = NOTIFY_NONE;
        s->n_fd_store_max = 0;
        s->oom_policy = -1;
        exec_context_done(&s->exec_context);
        exec_context_init(&s->exec_context);
        kill_context_init(&s->kill_context);
}

void service_init(Unit *u) {
        Service *s = SERVICE(u);

        exec_context_init(&s->exec_context);
        kill_context_init(&s->kill_context);
        s->type = _SERVICE_TYPE_INVALID;
        s->restart_usec = 100 * USEC_PER_MSEC;
        s->timeout_start_usec = s->timeout_stop_usec = s->timeout_abort_usec = 90 * USEC_PER_SEC;
        s->runtime_max_usec = USEC_INFINITY;
        s->guess_main_pid = true;
        s->oom_policy = -1;
        s->state = s->deserialized_state = SERVICE_DEAD;
        s->deserialized_timer = USEC_INFINITY;
        s->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
        s->stdin_fd = s->stdout_fd = s->stderr_fd = -1;
        s->netns_storage[0] = s->netns_storage[1] = -1;
        s->watchdog_override_usec = USEC_INFINITY;
}

/* ---- reading the settings store ---------------------------------------------------------- */

static const char *get(Unit *u, const char *key) {
        char sk[64];

        snprintf(sk, sizeof sk, "Service.%s", key);
        return unit_setting_last(u, sk);
}

static char *const *get_all(Unit *u, const char *key) {
        char sk[64];

        snprintf(sk, sizeof sk, "Service.%s", key);
        return unit_setting_get(u, sk);
}

static void load_bool(Unit *u, const char *key, bool *ret) {
        const char *v = get(u, key);
        int b;

        if (!v)
                return;
        b = parse_boolean(v);
        if (b < 0)
                log_warning("%s: Failed to parse boolean value for %s=, ignoring: %s", u->id, key, v);
        else
                *ret = b;
}

/* A time span; zero_is_infinity for the Timeout*Sec= settings ("0" disables them). Returns
 * whether the value was set (and valid). */
static bool load_sec(Unit *u, const char *key, bool zero_is_infinity, usec_t *ret) {
        const char *v = get(u, key);
        usec_t t;

        if (!v)
                return false;
        if ((zero_is_infinity ? parse_sec_fix_0 : parse_sec)(v, &t) < 0) {
                log_warning("%s: Failed to parse %s= parameter, ignoring: %s", u->id, key, v);
                return false;
        }
        *ret = t;
        return true;
}

static void load_exit_status_set(Unit *u, const char *key, ExitStatusSet *set) {
        STRV_FOREACH(v, (char **) get_all(u, key)) {
                _cleanup_strv_free_ char **invalid = NULL;
                int r = exit_status_set_parse_line(set, *v, &invalid);

                if (r == -ENOMEM)
                        return (void) log_oom();
                if (r == -EINVAL)
                        log_warning("%s: Invalid syntax in %s=, ignoring: %s", u->id, key, *v);
                STRV_FOREACH(i, invalid)
                        log_warning("%s: Failed to parse value in %s=, ignoring: %s", u->id, key, *i);
        }
}

/* The three sets, kept only when one of them is not empty. */
static int load_exit_status_sets(Service *s) {
        ServiceExitStatusSets sets = {};
        Unit *u = UNIT(s);

        load_exit_status_set(u, "SuccessExitStatus", &sets.success);
        load_exit_status_set(u, "RestartPreventExitStatus", &sets.restart_prevent);
        load_exit_status_set(u, "RestartForceExitStatus", &sets.restart_force);
        if (exit_status_set_is_empty(&sets.success) && exit_status_set_is_empty(&sets.restart_prevent) &&
            exit_status_set_is_empty(&sets.restart_force))
                return 0;
        s->exit_status_sets = new(ServiceExitStatusSets, 1);
        if (!s->exit_status_sets)
                return log_oom();
        *s->exit_status_sets = sets;
        return 0;
}

#define LOAD_ENUM(u, key, from_string, field, what)                                          \
        do {                                                                                  \
                const char *_v = get((u), (key));                                             \
                if (_v) {                                                                     \
                        int _x = (int) from_string(_v);                                       \
                        if (_x < 0)                                                           \
                                log_warning("%s: Failed to parse " what ", ignoring: %s",     \
                                            (u)->id, _v);                                     \
                        else                                                                  \
                                (field) = _x;                                                 \
                }                                                                             \
        } while (0)

static int load_pid_file(Service *s) {
        Unit *u = UNIT(s);
        _cleanup_free_ char *p = NULL;
        const char *v = get(u, "PIDFile");
        int r;

        if (isempty(v))
                return 0;
        r = unit_path_printf(u, v, &p);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0) {
                log_warning_errno(r, "%s: Failed to resolve unit specifiers in PIDFile=%s, ignoring: %m", u->id, v);
                return 0;
        }
        if (!path_is_absolute(p)) {
                char *a = strjoin("/run/", p);
                if (!a)
                        return log_oom();
                free_and_replace_str(&p, a);
        }
        if (!path_is_valid(p)) {
                log_warning("%s: PIDFile= path is not valid, ignoring: %s", u->id, p);
                return 0;
        }
        path_simplify(p);
        s->pid_file = TAKE_PTR(p);
        return 0;
}

static void load_timeouts(Service *s) {
        Unit *u = UNIT(s);
        const char *abort;
        usec_t t;

        /* TimeoutSec= sets both; the specific settings win (the store has no order between keys). */
        if (load_sec(u, "TimeoutSec", true, &t))
                s->timeout_start_usec = s->timeout_stop_usec = t;
        (void) load_sec(u, "TimeoutStartSec", true, &s->timeout_start_usec);
        (void) load_sec(u, "TimeoutStopSec", true, &s->timeout_stop_usec);
        abort = get(u, "TimeoutAbortSec");
        if (abort && isempty(abort))
                s->timeout_abort_set = false;
        else if (load_sec(u, "TimeoutAbortSec", true, &s->timeout_abort_usec))
                s->timeout_abort_set = true;
        LOAD_ENUM(u, "TimeoutStartFailureMode", service_timeout_failure_mode_from_string,
                  s->timeout_start_failure_mode, "service timeout failure mode");
        LOAD_ENUM(u, "TimeoutStopFailureMode", service_timeout_failure_mode_from_string,
                  s->timeout_stop_failure_mode, "service timeout failure mode");
        (void) load_sec(u, "RuntimeMaxSec", false, &s->runtime_max_usec);
        (void) load_sec(u, "WatchdogSec", false, &s->watchdog_usec);
        if (s->watchdog_usec == USEC_INFINITY)
                s->watchdog_usec = 0;
        (void) load_sec(u, "RestartSec", false, &s->restart_usec);
}

static void load_type(Service *s) {
        Unit *u = UNIT(s);

        s->type = u->service_type ? service_type_from_string(u->service_type) : _SERVICE_TYPE_INVALID;
        if (s->type < 0)
                s->type = u->bus_name ? SERVICE_DBUS
                        : u->exec_commands[EXEC_START] ? SERVICE_SIMPLE : SERVICE_ONESHOT;
        /* Oneshot services have no start timeout unless one is set. */
        if (s->type == SERVICE_ONESHOT && !u->start_timeout_defined)
                s->timeout_start_usec = USEC_INFINITY;
}

/* The checks of systemd's service_verify() that loading (unit-load.c) does not do already. */
static int service_verify(Service *s) {
        Unit *u = UNIT(s);

        if (s->type == SERVICE_ONESHOT && IN_SET(s->restart, SERVICE_RESTART_ALWAYS, SERVICE_RESTART_ON_SUCCESS)) {
                log_unit_error(u, "Service has Restart= set to either always or on-success, which isn't allowed for Type=oneshot services. Refusing.");
                return -ENOEXEC;
        }
        if (s->type == SERVICE_ONESHOT && !exit_status_set_is_empty(&service_exit_status_sets(s)->restart_force)) {
                log_unit_error(u, "Service has RestartForceExitStatus= set, which isn't allowed for Type=oneshot services. Refusing.");
                return -ENOEXEC;
        }
        if (s->runtime_max_usec != USEC_INFINITY && s->type == SERVICE_ONESHOT)
                log_unit_warning(u, "RuntimeMaxSec= has no effect in combination with Type=oneshot. Ignoring.");
        return 0;
}

int service_load(Unit *u) {
        Service *s = SERVICE(u);
        int r;

        service_reset_settings(s);
        load_timeouts(s);
        load_type(s);
        LOAD_ENUM(u, "Restart", service_restart_from_string, s->restart, "service restart specifier");
        LOAD_ENUM(u, "NotifyAccess", notify_access_from_string, s->notify_access, "notify access specifier");
        s->remain_after_exit = u->remain_after_exit;
        load_bool(u, "GuessMainPID", &s->guess_main_pid);
        load_bool(u, "PermissionsStartOnly", &s->permissions_start_only);
        load_bool(u, "RootDirectoryStartOnly", &s->root_directory_start_only);
        r = load_exit_status_sets(s);
        if (r < 0)
                return r;
        if (get(u, "FileDescriptorStoreMax") && safe_atou(get(u, "FileDescriptorStoreMax"), &s->n_fd_store_max) < 0)
                log_warning("%s: Failed to parse FileDescriptorStoreMax=, ignoring: %s", u->id,
                            get(u, "FileDescriptorStoreMax"));
        if (u->bus_name && !(s->bus_name = strdup(u->bus_name)))
                return log_oom();
        r = load_pid_file(s);
        if (r < 0)
                return r;
        /* A service that needs the notify socket gets it without asking. */
        if (s->notify_access == NOTIFY_NONE &&
            (s->type == SERVICE_NOTIFY || s->watchdog_usec > 0 || s->n_fd_store_max > 0))
                s->notify_access = NOTIFY_MAIN;
        (void) kill_context_load(u, "Service", &s->kill_context);
        /* What is not supported yet (DynamicUser=, PAMName=) keeps the unit loaded, as systemd
         * shows it, but refuses to start it rather than run it without. */
        r = exec_context_from_unit(u, &s->exec_context);
        s->exec_unsupported = r == -EOPNOTSUPP;
        if (r < 0 && r != -EOPNOTSUPP)
                return r;
        r = exec_status_table_fit(&s->exec_status, u->exec_commands);
        if (r < 0)
                return log_oom();
        r = service_verify(s);
        if (r < 0)
                return r;
        return service_watch_bus_name(s);
}
