/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * service.c: the state machine of the service type (service.h), with the transitions, results,
 * timeouts, kill sequence and log messages of systemd 252:
 *
 *   dead/failed → condition → start-pre → start → start-post → running (or exited)
 *   running → reload → running;  running → stop → stop-sigterm → stop-sigkill → stop-post
 *   → final-sigterm → final-sigkill → dead/failed (→ auto-restart → dead → start …)
 *
 * Each state runs at most one control process (ExecCondition=, ExecStartPre=, … one command of
 * the list at a time) beside the main process; one timer (timer_event_source) bounds every state
 * (TimeoutStartSec=, TimeoutStopSec=, RuntimeMaxSec=, RestartSec=). Exits of watched pids come
 * in through sigchld_event, notify datagrams through notify_message (service-notify.c), cgroup
 * emptiness through cgroup_empty. Every state change is reported with unit_notify().
 */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus/bus-error.h"
#include "cgroup.h"
#include "execute.h"
#include "fd-util.h"
#include "job.h"
#include "kill.h"
#include "log.h"
#include "fault-inject.h"
#include "manager-store.h"
#include "manager.h"
#include "parse-util.h"
#include "path-util.h"
#include "service-internal.h"
#include "signal-util.h"
#include "socket.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"

static const UnitActiveState state_table[_SERVICE_STATE_MAX] = {
        [SERVICE_DEAD] = UNIT_INACTIVE,
        [SERVICE_CONDITION] = UNIT_ACTIVATING,
        [SERVICE_START_PRE] = UNIT_ACTIVATING,
        [SERVICE_START] = UNIT_ACTIVATING,
        [SERVICE_START_POST] = UNIT_ACTIVATING,
        [SERVICE_RUNNING] = UNIT_ACTIVE,
        [SERVICE_EXITED] = UNIT_ACTIVE,
        [SERVICE_RELOAD] = UNIT_RELOADING,
        [SERVICE_STOP] = UNIT_DEACTIVATING,
        [SERVICE_STOP_WATCHDOG] = UNIT_DEACTIVATING,
        [SERVICE_STOP_SIGTERM] = UNIT_DEACTIVATING,
        [SERVICE_STOP_SIGKILL] = UNIT_DEACTIVATING,
        [SERVICE_STOP_POST] = UNIT_DEACTIVATING,
        [SERVICE_FINAL_WATCHDOG] = UNIT_DEACTIVATING,
        [SERVICE_FINAL_SIGTERM] = UNIT_DEACTIVATING,
        [SERVICE_FINAL_SIGKILL] = UNIT_DEACTIVATING,
        [SERVICE_FAILED] = UNIT_FAILED,
        [SERVICE_AUTO_RESTART] = UNIT_ACTIVATING,
        [SERVICE_CLEANING] = UNIT_MAINTENANCE,
};

/* Type=idle never delays other jobs: it counts as active as soon as it starts. */
static const UnitActiveState state_table_idle[_SERVICE_STATE_MAX] = {
        [SERVICE_DEAD] = UNIT_INACTIVE,
        [SERVICE_CONDITION] = UNIT_ACTIVE,
        [SERVICE_START_PRE] = UNIT_ACTIVE,
        [SERVICE_START] = UNIT_ACTIVE,
        [SERVICE_START_POST] = UNIT_ACTIVE,
        [SERVICE_RUNNING] = UNIT_ACTIVE,
        [SERVICE_EXITED] = UNIT_ACTIVE,
        [SERVICE_RELOAD] = UNIT_RELOADING,
        [SERVICE_STOP] = UNIT_DEACTIVATING,
        [SERVICE_STOP_WATCHDOG] = UNIT_DEACTIVATING,
        [SERVICE_STOP_SIGTERM] = UNIT_DEACTIVATING,
        [SERVICE_STOP_SIGKILL] = UNIT_DEACTIVATING,
        [SERVICE_STOP_POST] = UNIT_DEACTIVATING,
        [SERVICE_FINAL_WATCHDOG] = UNIT_DEACTIVATING,
        [SERVICE_FINAL_SIGTERM] = UNIT_DEACTIVATING,
        [SERVICE_FINAL_SIGKILL] = UNIT_DEACTIVATING,
        [SERVICE_FAILED] = UNIT_FAILED,
        [SERVICE_AUTO_RESTART] = UNIT_ACTIVATING,
        [SERVICE_CLEANING] = UNIT_MAINTENANCE,
};

/* What service_spawn() adds beyond ExecFlags. */
enum {
        SPAWN_PASS_FDS = 1 << 0,      /* $LISTEN_FDS: socket fds and the fd store */
        SPAWN_SETENV_RESULT = 1 << 1, /* $SERVICE_RESULT, $EXIT_CODE, $EXIT_STATUS */
};

#define STOP_STATES                                                                            \
        SERVICE_STOP, SERVICE_STOP_WATCHDOG, SERVICE_STOP_SIGTERM, SERVICE_STOP_SIGKILL,       \
                SERVICE_STOP_POST, SERVICE_FINAL_WATCHDOG, SERVICE_FINAL_SIGTERM,              \
                SERVICE_FINAL_SIGKILL

static void service_enter_signal(Service *s, ServiceState state, ServiceResult f);
static void service_enter_stop(Service *s, ServiceResult f);
static void service_enter_dead(Service *s, ServiceResult f, bool allow_restart);
static int service_dispatch_timer(EventSource *source, usec_t usec, void *userdata);
static int service_dispatch_watchdog(EventSource *source, usec_t usec, void *userdata);

static usec_t usec_add(usec_t a, usec_t b) {
        return a > USEC_INFINITY - b ? USEC_INFINITY : a + b;
}

/* ---- exec status records ------------------------------------------------------------------ */

/* The record of command c of list kind (NULL if c is not in the list, e.g. after a reload). */
static ExecStatus *service_exec_status(Service *s, ExecCommandKind kind, const ExecCommand *c) {
        return exec_status_table_find(&s->exec_status, UNIT(s)->exec_commands, kind, c);
}

static void service_reset_exec_status(Service *s) {
        exec_status_table_reset(&s->exec_status);
        s->main_exec_status = (ExecStatus) {};
}

/* ---- timers -------------------------------------------------------------------------------- */

static int service_arm_timer(Service *s, usec_t usec) {
        int r;

        if (usec == USEC_INFINITY) {
                if (s->timer_event_source)
                        (void) event_source_set_enabled(s->timer_event_source, EVENT_OFF);
                return 0;
        }
        if (s->timer_event_source) {
                r = event_source_set_time(s->timer_event_source, usec);
                if (r < 0)
                        return r;
                return event_source_set_enabled(s->timer_event_source, EVENT_ONESHOT);
        }
        r = event_add_time(UNIT(s)->manager->event, &s->timer_event_source, CLOCK_MONOTONIC, usec, 1,
                           service_dispatch_timer, s);
        if (r < 0)
                return r;
        (void) event_source_set_description(s->timer_event_source, "service-timer");
        return 0;
}

static usec_t service_watchdog_usec(Service *s) {
        return s->watchdog_override_enable ? s->watchdog_override_usec : s->watchdog_usec;
}

static void service_stop_watchdog(Service *s) {
        s->watchdog_event_source = event_source_disable_unref(s->watchdog_event_source);
        s->watchdog_timestamp = (DualTimestamp) {};
}

static void service_start_watchdog(Service *s) {
        usec_t w = service_watchdog_usec(s), at;
        int r;

        if (w == 0 || w == USEC_INFINITY) {
                service_stop_watchdog(s);
                return;
        }
        at = usec_add(s->watchdog_timestamp.monotonic, w);
        if (s->watchdog_event_source) {
                r = event_source_set_time(s->watchdog_event_source, at);
                if (r >= 0)
                        r = event_source_set_enabled(s->watchdog_event_source, EVENT_ONESHOT);
        } else {
                r = event_add_time(UNIT(s)->manager->event, &s->watchdog_event_source, CLOCK_MONOTONIC, at, 1,
                                   service_dispatch_watchdog, s);
                if (r >= 0) {
                        (void) event_source_set_description(s->watchdog_event_source, "service-watchdog");
                        /* Everything else that might be a sign of life goes first. */
                        r = event_source_set_priority(s->watchdog_event_source, EVENT_PRIORITY_IDLE);
                }
        }
        if (r < 0)
                log_unit_warning_errno(UNIT(s), r, "Failed to install watchdog timer: %m");
}

void service_reset_watchdog(Service *s) {
        dual_timestamp_now(&s->watchdog_timestamp);
        service_start_watchdog(s);
}

/* Moves source's expiry to at least extended. */
static void extend_source(Service *s, EventSource *source, usec_t extended) {
        usec_t current;

        if (!source || event_source_get_enabled(source, NULL) <= 0)
                return;
        if (event_source_get_time(source, &current) < 0 || current >= extended)
                return;
        if (event_source_set_time(source, extended) < 0)
                log_unit_warning(UNIT(s), "Failed to set timeout time for event source '%s', ignoring.",
                                 strna(event_source_get_description(source)));
}

void service_extend_timeout(Service *s, usec_t extend_timeout_usec) {
        usec_t extended;

        if (extend_timeout_usec == 0 || extend_timeout_usec == USEC_INFINITY)
                return;
        extended = usec_add(now(CLOCK_MONOTONIC), extend_timeout_usec);
        extend_source(s, s->timer_event_source, extended);
        extend_source(s, s->watchdog_event_source, extended);
}

void service_override_watchdog_timeout(Service *s, usec_t usec) {
        s->watchdog_override_enable = true;
        s->watchdog_override_usec = usec;
        service_reset_watchdog(s);
        log_unit_debug(UNIT(s), "watchdog_usec=" USEC_FMT, s->watchdog_usec);
        log_unit_debug(UNIT(s), "watchdog_override_usec=" USEC_FMT, s->watchdog_override_usec);
}

/* ---- spawning ---------------------------------------------------------------------------------- */

static int service_dispatch_exec_io(EventSource *source, int fd, uint32_t revents, void *userdata) {
        Service *s = userdata;

        (void) source;
        (void) revents;
        for (;;) {
                uint8_t x;
                ssize_t n = read(fd, &x, 1);

                if (n < 0) {
                        if (errno == EAGAIN)
                                return 0;
                        return log_unit_error_errno(UNIT(s), -errno, "Failed to read from exec_fd: %m");
                }
                if (n == 0) {
                        s->exec_fd_event_source = event_source_disable_unref(s->exec_fd_event_source);
                        if (!s->exec_fd_hot) {
                                log_unit_debug(UNIT(s), "Got EOF on exec-fd while it was disabled, ignoring.");
                                return 0;
                        }
                        log_unit_debug(UNIT(s), "Got EOF on exec-fd");
                        s->exec_fd_hot = false;
                        if (s->type == SERVICE_EXEC && s->state == SERVICE_START)
                                service_enter_start_post(s);
                        return 0;
                }
                s->exec_fd_hot = x != 0;
        }
}

/* A pipe whose write end the helper gets (Type=exec); the read end is watched. */
static int service_allocate_exec_fd(Service *s, EventSource **ret_source, int *ret_fd) {
        int p[2];
        int r;

        if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
                return log_unit_error_errno(UNIT(s), -errno, "Failed to allocate exec_fd pipe: %m");
        r = event_add_io(UNIT(s)->manager->event, ret_source, p[0], EPOLLIN, service_dispatch_exec_io, s);
        if (r < 0) {
                safe_close(p[0]);
                safe_close(p[1]);
                return log_unit_error_errno(UNIT(s), r, "Failed to allocate exec_fd event source: %m");
        }
        (void) event_source_set_io_fd_own(*ret_source, true);
        /* Below SIGCHLD handling, which carries more information. */
        (void) event_source_set_priority(*ret_source, EVENT_PRIORITY_NORMAL - 3);
        (void) event_source_set_description(*ret_source, "service exec_fd");
        *ret_fd = p[1];
        return 0;
}

/*     process \ NotifyAccess=  none  main  exec  all
 *     main                      no    yes   yes   yes
 *     control                   no    no    yes   yes */
static bool service_exec_needs_notify_socket(Service *s, ExecFlags flags) {
        if (flags & EXEC_IS_CONTROL)
                return IN_SET(s->notify_access, NOTIFY_EXEC, NOTIFY_ALL);
        return s->notify_access != NOTIFY_NONE;
}

static int service_prepare_private_tmp(Service *s) {
        int r;

        if (!s->exec_context.private_tmp || s->private_tmp)
                return 0;
        r = exec_private_tmp_create(UNIT(s)->id, &s->private_tmp, &s->private_var_tmp);
        if (r < 0)
                return log_unit_error_errno(UNIT(s), r, "Failed to set up PrivateTmp=: %m");
        return 0;
}

/* The name init keeps the PrivateNetwork= store under. */
#define NETNS_ENTRY_NAME_MAX (UNIT_NAME_MAX + 8)
static const char *netns_entry_name(Service *s, char buf[static NETNS_ENTRY_NAME_MAX]) {
        snprintf(buf, NETNS_ENTRY_NAME_MAX, "netns:%s", UNIT(s)->id);
        return buf;
}

/* PrivateNetwork=: the store of the namespace all processes of this run share, kept in init too
 * (a restarted manager takes it back in service_coldplug()). */
static int service_prepare_netns(Service *s) {
        char name[NETNS_ENTRY_NAME_MAX];
        int r;

        if (!s->exec_context.private_network || s->netns_storage[0] >= 0)
                return 0;
        r = exec_netns_storage_new(s->netns_storage);
        if (r < 0)
                return log_unit_error_errno(UNIT(s), r, "Failed to set up PrivateNetwork=: %m");
        manager_keep_fds(UNIT(s)->manager, netns_entry_name(s, name), s->netns_storage, 2);
        return 0;
}

static void service_release_netns(Service *s) {
        char name[NETNS_ENTRY_NAME_MAX];

        if (s->netns_storage[0] < 0)
                return;
        manager_keep_fds(UNIT(s)->manager, netns_entry_name(s, name), NULL, 0);
        s->netns_storage[0] = safe_close(s->netns_storage[0]);
        s->netns_storage[1] = safe_close(s->netns_storage[1]);
}

/* Crash recovery: the namespace store of the run in progress, from init. */
static void service_take_kept_netns(Service *s) {
        char name[NETNS_ENTRY_NAME_MAX];
        _cleanup_free_ int *fds = NULL;
        size_t n = manager_take_fds(UNIT(s)->manager, netns_entry_name(s, name), &fds);

        if (n == 2 && s->netns_storage[0] < 0) {
                s->netns_storage[0] = fds[0];
                s->netns_storage[1] = fds[1];
                return;
        }
        for (size_t i = 0; i < n; i++)
                safe_close(fds[i]);
}

static void service_set_exec_params(Service *s, ExecFlags flags, unsigned spawn, ExecParameters *p) {
        Unit *u = UNIT(s);
        Manager *m = u->manager;

        p->unit_id = u->id;
        (void) unit_invocation_id_format(u, p->invocation_id);
        p->flags = flags | EXEC_PASS_LOG_UNIT | (m->test_run ? 0 : EXEC_SYSTEM_MANAGER);
        if ((flags & EXEC_IS_CONTROL) && s->permissions_start_only)
                p->flags &= ~EXEC_APPLY_SANDBOXING;
        if ((flags & EXEC_IS_CONTROL) && s->root_directory_start_only)
                p->flags &= ~EXEC_APPLY_CHROOT;
        p->environment = m->environment;
        if (service_exec_needs_notify_socket(s, flags))
                p->notify_socket = m->notify_socket;
        p->main_pid = s->main_pid;
        if (spawn & SPAWN_SETENV_RESULT) {
                p->service_result = service_result_to_string(s->result);
                if (s->main_exec_status.pid > 0 && dual_timestamp_is_set(&s->main_exec_status.exit_timestamp)) {
                        p->exit_code = s->main_exec_status.code;
                        p->exit_status = s->main_exec_status.status;
                }
        }
        p->watchdog_usec = service_watchdog_usec(s);
        p->stdin_fd = s->stdin_fd;
        p->stdout_fd = s->stdout_fd;
        p->stderr_fd = s->stderr_fd;
        p->prefix[EXEC_DIRECTORY_RUNTIME] = m->runtime_dir ? m->runtime_dir : "/run";
        p->prefix[EXEC_DIRECTORY_STATE] = "/var/lib";
        p->prefix[EXEC_DIRECTORY_CACHE] = "/var/cache";
        p->prefix[EXEC_DIRECTORY_LOGS] = "/var/log";
        p->prefix[EXEC_DIRECTORY_CONFIGURATION] = "/etc";
        p->tmp_dir = s->private_tmp;
        p->var_tmp_dir = s->private_var_tmp;
        p->netns_storage[0] = s->netns_storage[0];
        p->netns_storage[1] = s->netns_storage[1];
}

/* Starts command c (of list kind) in u's cgroup, watches it, arms the state timer (timeout from
 * now) and records its ExecStatus. */
static int service_spawn(Service *s, ExecCommand *c, ExecCommandKind kind, usec_t timeout,
                         ExecFlags flags, unsigned spawn, pid_t *ret_pid) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        _cleanup_(event_source_unrefp) EventSource *exec_fd_source = NULL;
        _cleanup_strv_free_ char **fd_names = NULL, **extra = NULL;
        _cleanup_free_ char *cgroup = NULL;
        _cleanup_free_ int *fds = NULL;
        _cleanup_close_ int exec_fd = -1;
        Unit *u = UNIT(s);
        pid_t pid;
        int r;

        log_unit_debug(u, "Will spawn child (%s): %s", service_exec_command_to_string(kind), c->path);
        r = unit_realize_cgroup(u);
        if (r < 0)
                log_unit_warning_errno(u, r, "Failed to realize cgroup, continuing without: %m");
        cgroup = unit_cgroup_fs_path(u);
        r = service_prepare_private_tmp(s);
        if (r >= 0)
                r = service_prepare_netns(s);
        if (r < 0)
                return r;
        service_set_exec_params(s, flags, spawn, &p);
        p.cgroup_path = cgroup;
        if ((spawn & SPAWN_PASS_FDS) || s->exec_context.std_input == EXEC_INPUT_SOCKET ||
            s->exec_context.std_output == EXEC_OUTPUT_SOCKET || s->exec_context.std_error == EXEC_OUTPUT_SOCKET) {
                r = service_collect_fds(s, &fds, &fd_names, &p.n_socket_fds, &p.n_storage_fds);
                if (r < 0)
                        return r;
                p.fds = fds;
                p.fd_names = fd_names;
                if (p.n_socket_fds + p.n_storage_fds > 0)
                        log_unit_debug(u, "Passing %zu fds to service", p.n_socket_fds + p.n_storage_fds);
        }
        if (s->pid_file && strv_consume(&extra, strjoin("PIDFILE=", s->pid_file)) < 0)
                return -ENOMEM;
        /* A per-connection instance of an Accept=yes socket: $REMOTE_ADDR, $REMOTE_PORT. */
        if (s->socket_fds_connection && s->n_socket_fds == 1 &&
            socket_connection_environment(s->socket_fds[0], &extra) < 0)
                return -ENOMEM;
        p.extra_environment = extra;
        if (!(flags & EXEC_IS_CONTROL) && s->type == SERVICE_EXEC) {
                r = service_allocate_exec_fd(s, &exec_fd_source, &exec_fd);
                if (r < 0)
                        return r;
                p.exec_fd = exec_fd;
        }
        r = service_arm_timer(s, usec_add(now(CLOCK_MONOTONIC), timeout));
        if (r < 0)
                return r;
        p.gate_fd = manager_spawn_gate(u->manager); /* opened after the next commit */
        r = exec_spawn(c, &s->exec_context, &p, &pid);
        manager_spawn_gate_done(u->manager, &p.gate_fd, r >= 0);
        if (r >= 0)
                fault_point("after-fork");
        /* The connection is the process's once the spawn is committed: init may let it go. */
        if (r >= 0 && kind == EXEC_START && s->connection_fd_name)
                manager_release_connection_after_commit(u->manager, u);
        if (r < 0)
                return r;
        s->exec_fd_event_source = event_source_disable_unref(s->exec_fd_event_source);
        s->exec_fd_event_source = TAKE_PTR(exec_fd_source);
        s->exec_fd_hot = false;
        exec_status_start(service_exec_status(s, kind, c), pid);
        r = unit_watch_pid(u, pid);
        if (r < 0)
                return r;
        *ret_pid = pid;
        return 0;
}

/* ---- state ------------------------------------------------------------------------------------ */

static const UnitActiveState *service_table(Service *s) {
        return s->type == SERVICE_IDLE ? state_table_idle : state_table;
}

static void service_set_state(Service *s, ServiceState state) {
        ServiceState old = s->state;
        const UnitActiveState *table = service_table(s);
        UnitNotifyFlags flags = 0;

        s->state = state;
        service_unwatch_pid_file(s);
        if (!IN_SET(state, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START, SERVICE_START_POST,
                    SERVICE_RUNNING, SERVICE_RELOAD, STOP_STATES, SERVICE_AUTO_RESTART, SERVICE_CLEANING))
                s->timer_event_source = event_source_disable_unref(s->timer_event_source);
        if (!IN_SET(state, SERVICE_START, SERVICE_START_POST, SERVICE_RUNNING, SERVICE_RELOAD, STOP_STATES)) {
                service_unwatch_main_pid(s);
                s->main_command = NULL;
        }
        if (!IN_SET(state, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START, SERVICE_START_POST,
                    SERVICE_RELOAD, STOP_STATES, SERVICE_CLEANING)) {
                service_unwatch_control_pid(s);
                s->control_command = NULL;
                s->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
        }
        if (s->socket_fds_connection &&
            !IN_SET(state, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START, SERVICE_START_POST,
                    SERVICE_RUNNING, SERVICE_RELOAD, STOP_STATES) &&
            !(state == SERVICE_DEAD && UNIT(s)->job))
                service_close_socket_fds(s);
        if (state != SERVICE_START)
                s->exec_fd_event_source = event_source_disable_unref(s->exec_fd_event_source);
        if (!IN_SET(state, SERVICE_START_POST, SERVICE_RUNNING, SERVICE_RELOAD))
                service_stop_watchdog(s);
        if (state == SERVICE_EXITED && UNIT(s)->manager->n_reloading == 0)
                unit_prune_cgroup(UNIT(s));
        if (old != state)
                log_unit_debug(UNIT(s), "Changed %s -> %s", service_state_to_string(old),
                               service_state_to_string(state));
        if (s->reload_result != SERVICE_SUCCESS)
                flags |= UNIT_NOTIFY_RELOAD_FAILURE;
        if (s->will_auto_restart)
                flags |= UNIT_NOTIFY_WILL_AUTO_RESTART;
        if (IN_SET(state, SERVICE_DEAD, SERVICE_FAILED) && s->result == SERVICE_SKIP_CONDITION)
                flags |= UNIT_NOTIFY_SKIP_CONDITION;
        unit_notify(UNIT(s), table[old], table[state], flags);
}

static void service_log_process_exit(Unit *u, const char *kind, bool success, int code, int status) {
        const char *name = code == CLD_EXITED ? exit_status_to_string(status, EXIT_STATUS_FULL)
                                              : signal_to_string_short(status);
        int level = success ? LOG_DEBUG : code == CLD_EXITED ? LOG_NOTICE : LOG_WARNING;

        log_unit_full(u, level, 0, "%s exited, code=%s, status=%i/%s%s", kind,
                      code == CLD_EXITED ? "exited" : code == CLD_KILLED ? "killed" : "dumped", status,
                      name ? name : "n/a", success ? " (success)" : "");
}

static bool service_shall_restart(Service *s, const char **reason) {
        if (s->forbid_restart) {
                *reason = "manual stop";
                return false;
        }
        if (exit_status_set_test(&service_exit_status_sets(s)->restart_prevent, s->main_exec_status.code, s->main_exec_status.status)) {
                *reason = "prevented by exit status";
                return false;
        }
        if (exit_status_set_test(&service_exit_status_sets(s)->restart_force, s->main_exec_status.code, s->main_exec_status.status)) {
                *reason = "forced by exit status";
                return true;
        }
        *reason = "restart setting";
        switch (s->restart) {
        case SERVICE_RESTART_ALWAYS:
                return s->result != SERVICE_SKIP_CONDITION;
        case SERVICE_RESTART_ON_SUCCESS:
                return s->result == SERVICE_SUCCESS;
        case SERVICE_RESTART_ON_FAILURE:
                return !IN_SET(s->result, SERVICE_SUCCESS, SERVICE_SKIP_CONDITION);
        case SERVICE_RESTART_ON_ABNORMAL:
                return !IN_SET(s->result, SERVICE_SUCCESS, SERVICE_FAILURE_EXIT_CODE, SERVICE_SKIP_CONDITION);
        case SERVICE_RESTART_ON_WATCHDOG:
                return s->result == SERVICE_FAILURE_WATCHDOG;
        case SERVICE_RESTART_ON_ABORT:
                return IN_SET(s->result, SERVICE_FAILURE_SIGNAL, SERVICE_FAILURE_CORE_DUMP);
        default:
                return false;
        }
}

static bool unit_has_job_type(Unit *u, JobType t) {
        return u->job && u->job->type == t;
}

/* What stays behind when a run is over: runtime directories, PrivateTmp=, the PID file. */
static void service_release_run(Service *s) {
        Unit *u = UNIT(s);

        (void) exec_context_remove_runtime_directories(&s->exec_context,
                                                       u->manager->runtime_dir ? u->manager->runtime_dir : "/run");
        (void) exec_private_tmp_remove(s->private_tmp, s->private_var_tmp);
        s->private_tmp = mfree(s->private_tmp);
        s->private_var_tmp = mfree(s->private_var_tmp);
        service_release_netns(s);
        if (s->pid_file)
                (void) unlink(s->pid_file);
}

static void service_enter_dead(Service *s, ServiceResult f, bool allow_restart) {
        Unit *u = UNIT(s);
        ServiceState end;
        const char *reason;
        int r;

        if (unit_has_job_type(u, JOB_STOP))
                allow_restart = false;
        if (s->result == SERVICE_SUCCESS)
                s->result = f;
        if (s->result == SERVICE_SUCCESS) {
                log_unit_info(u, "Deactivated successfully.");
                end = SERVICE_DEAD;
        } else if (s->result == SERVICE_SKIP_CONDITION) {
                log_unit_info(u, "Skipped due to '%s'.", service_result_to_string(s->result));
                end = SERVICE_DEAD;
        } else {
                log_unit_warning(u, "Failed with result '%s'.", service_result_to_string(s->result));
                end = SERVICE_FAILED;
        }
        if (!allow_restart)
                log_unit_debug(u, "Service restart not allowed.");
        else {
                bool shall = service_shall_restart(s, &reason);

                log_unit_debug(u, "Service will %srestart (%s)", shall ? "" : "not ", reason);
                s->will_auto_restart = shall;
        }
        service_set_state(s, end);
        if (s->will_auto_restart) {
                s->will_auto_restart = false;
                r = service_arm_timer(s, usec_add(now(CLOCK_MONOTONIC), s->restart_usec));
                if (r < 0) {
                        log_unit_warning_errno(u, r, "Failed to run install restart timer: %m");
                        service_enter_dead(s, SERVICE_FAILURE_RESOURCES, false);
                        return;
                }
                service_set_state(s, SERVICE_AUTO_RESTART);
        } else {
                /* Keep the counter for introspection; the next manual start resets it. */
                s->flush_n_restarts = true;
                service_release_fd_store(s);
        }
        unit_add_to_gc_queue(u);
        s->forbid_restart = false;
        service_release_run(s);
}

static void service_enter_stop_post(Service *s, ServiceResult f) {
        int r;

        if (s->result == SERVICE_SUCCESS)
                s->result = f;
        service_unwatch_control_pid(s);
        s->control_command = UNIT(s)->exec_commands[EXEC_STOP_POST];
        if (!s->control_command) {
                service_enter_signal(s, SERVICE_FINAL_SIGTERM, SERVICE_SUCCESS);
                return;
        }
        s->control_command_kind = EXEC_STOP_POST;
        r = service_spawn(s, s->control_command, EXEC_STOP_POST, s->timeout_stop_usec,
                          EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT | EXEC_APPLY_TTY_STDIN | EXEC_IS_CONTROL,
                          SPAWN_SETENV_RESULT, &s->control_pid);
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to run 'stop-post' task: %m");
                service_enter_signal(s, SERVICE_FINAL_SIGTERM, SERVICE_FAILURE_RESOURCES);
                return;
        }
        service_set_state(s, SERVICE_STOP_POST);
}

static KillOperation state_to_kill_operation(Service *s, ServiceState state) {
        switch (state) {
        case SERVICE_STOP_WATCHDOG:
        case SERVICE_FINAL_WATCHDOG:
                return KILL_WATCHDOG;
        case SERVICE_STOP_SIGTERM:
                if (unit_has_job_type(UNIT(s), JOB_RESTART))
                        return KILL_RESTART;
                return KILL_TERMINATE;
        case SERVICE_FINAL_SIGTERM:
                return KILL_TERMINATE;
        default:
                return KILL_KILL;
        }
}

static usec_t service_timeout_abort_usec(Service *s) {
        return s->timeout_abort_set ? s->timeout_abort_usec : s->timeout_stop_usec;
}

static void service_enter_signal(Service *s, ServiceState state, ServiceResult f) {
        KillOperation op = state_to_kill_operation(s, state);
        int r;

        if (s->result == SERVICE_SUCCESS)
                s->result = f;
        r = kill_context_kill(UNIT(s), &s->kill_context, op, s->main_pid, s->control_pid, s->main_pid_alien);
        if (r < 0)
                goto fail;
        if (r > 0) {
                r = service_arm_timer(s, usec_add(now(CLOCK_MONOTONIC),
                                                  op == KILL_WATCHDOG ? service_timeout_abort_usec(s) : s->timeout_stop_usec));
                if (r < 0)
                        goto fail;
                service_set_state(s, state);
        } else if (IN_SET(state, SERVICE_STOP_WATCHDOG, SERVICE_STOP_SIGTERM) && s->kill_context.send_sigkill)
                service_enter_signal(s, SERVICE_STOP_SIGKILL, SERVICE_SUCCESS);
        else if (IN_SET(state, SERVICE_STOP_WATCHDOG, SERVICE_STOP_SIGTERM, SERVICE_STOP_SIGKILL))
                service_enter_stop_post(s, SERVICE_SUCCESS);
        else if (IN_SET(state, SERVICE_FINAL_WATCHDOG, SERVICE_FINAL_SIGTERM) && s->kill_context.send_sigkill)
                service_enter_signal(s, SERVICE_FINAL_SIGKILL, SERVICE_SUCCESS);
        else
                service_enter_dead(s, SERVICE_SUCCESS, true);
        return;
fail:
        log_unit_warning_errno(UNIT(s), r, "Failed to kill processes: %m");
        if (IN_SET(state, SERVICE_STOP_WATCHDOG, SERVICE_STOP_SIGTERM, SERVICE_STOP_SIGKILL))
                service_enter_stop_post(s, SERVICE_FAILURE_RESOURCES);
        else
                service_enter_dead(s, SERVICE_FAILURE_RESOURCES, true);
}

void service_enter_stop_by_notify(Service *s) {
        (void) service_arm_timer(s, usec_add(now(CLOCK_MONOTONIC), s->timeout_stop_usec));
        /* The service said it is stopping: as if we had sent SIGTERM. */
        service_set_state(s, SERVICE_STOP_SIGTERM);
}

static void service_enter_stop(Service *s, ServiceResult f) {
        int r;

        if (s->result == SERVICE_SUCCESS)
                s->result = f;
        service_unwatch_control_pid(s);
        s->control_command = UNIT(s)->exec_commands[EXEC_STOP];
        if (!s->control_command) {
                service_enter_signal(s, SERVICE_STOP_SIGTERM, SERVICE_SUCCESS);
                return;
        }
        s->control_command_kind = EXEC_STOP;
        r = service_spawn(s, s->control_command, EXEC_STOP, s->timeout_stop_usec,
                          EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT | EXEC_IS_CONTROL, SPAWN_SETENV_RESULT,
                          &s->control_pid);
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to run 'stop' task: %m");
                service_enter_signal(s, SERVICE_STOP_SIGTERM, SERVICE_FAILURE_RESOURCES);
                return;
        }
        service_set_state(s, SERVICE_STOP);
}

static bool service_good(Service *s) {
        int ok;

        /* Type=dbus: up only while its name has an owner */
        if (s->type == SERVICE_DBUS && !s->bus_name_good)
                return false;
        ok = service_main_pid_good(s);
        if (ok > 0)
                return true;
        if (ok == 0)
                return false;
        /* No main pid known: the cgroup decides. */
        return service_cgroup_good(s) != 0;
}

static usec_t service_running_timeout(Service *s) {
        usec_t since = UNIT(s)->active_enter_timestamp.monotonic;

        if (s->runtime_max_usec == USEC_INFINITY)
                return USEC_INFINITY;
        return usec_add(since > 0 ? since : now(CLOCK_MONOTONIC), s->runtime_max_usec);
}

void service_enter_running(Service *s, ServiceResult f) {
        if (s->result == SERVICE_SUCCESS)
                s->result = f;
        service_unwatch_control_pid(s);
        if (s->result != SERVICE_SUCCESS)
                service_enter_signal(s, SERVICE_STOP_SIGTERM, f);
        else if (service_good(s)) {
                /* Apply notifications that came in while starting. */
                if (s->notify_state == NOTIFY_RELOADING)
                        service_enter_reload_by_notify(s);
                else if (s->notify_state == NOTIFY_STOPPING)
                        service_enter_stop_by_notify(s);
                else {
                        service_set_state(s, SERVICE_RUNNING);
                        (void) service_arm_timer(s, service_running_timeout(s));
                }
        } else if (s->remain_after_exit)
                service_set_state(s, SERVICE_EXITED);
        else
                service_enter_stop(s, SERVICE_SUCCESS);
}

void service_enter_start_post(Service *s) {
        int r;

        service_unwatch_control_pid(s);
        service_reset_watchdog(s);
        s->control_command = UNIT(s)->exec_commands[EXEC_START_POST];
        if (!s->control_command) {
                service_enter_running(s, SERVICE_SUCCESS);
                return;
        }
        s->control_command_kind = EXEC_START_POST;
        r = service_spawn(s, s->control_command, EXEC_START_POST, s->timeout_start_usec,
                          EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT | EXEC_IS_CONTROL, 0, &s->control_pid);
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to run 'start-post' task: %m");
                service_enter_stop(s, SERVICE_FAILURE_RESOURCES);
                return;
        }
        service_set_state(s, SERVICE_START_POST);
}

/* With SendSIGKILL=no and KillMode=control-group/mixed, leftovers of an earlier run block a start. */
static int service_adverse_to_leftover_processes(Service *s) {
        if (!IN_SET(s->kill_context.kill_mode, KILL_MIXED, KILL_CONTROL_GROUP) || s->kill_context.send_sigkill)
                return 0;
        if (service_cgroup_good(s) <= 0)
                return 0;
        log_unit_error(UNIT(s), "Will not start SendSIGKILL=no service of type KillMode=control-group or mixed while processes exist");
        return -EBUSY;
}

static const ExecFlags main_flags = EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT | EXEC_APPLY_TTY_STDIN | EXEC_SET_WATCHDOG;

static void service_enter_start(Service *s) {
        ExecCommand *c;
        usec_t timeout;
        pid_t pid;
        int r;

        service_unwatch_control_pid(s);
        service_unwatch_main_pid(s);
        r = service_adverse_to_leftover_processes(s);
        if (r < 0)
                goto fail;
        c = UNIT(s)->exec_commands[EXEC_START];
        if (s->type == SERVICE_FORKING) {
                s->control_command_kind = EXEC_START;
                s->control_command = c;
                s->main_command = NULL;
        } else {
                s->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
                s->control_command = NULL;
                s->main_command = c;
        }
        if (!c) {
                if (s->type != SERVICE_ONESHOT) {
                        log_unit_error(UNIT(s), "There's no 'start' task anymore we could start.");
                        r = -ENXIO;
                        goto fail;
                }
                /* A fake transition, so that the unit passes through activating. */
                service_set_state(s, SERVICE_START);
                service_enter_start_post(s);
                return;
        }
        /* Simple services get RuntimeMaxSec= once running instead of a start timeout. */
        timeout = IN_SET(s->type, SERVICE_SIMPLE, SERVICE_IDLE) ? USEC_INFINITY : s->timeout_start_usec;
        r = service_spawn(s, c, EXEC_START, timeout, main_flags, SPAWN_PASS_FDS, &pid);
        if (r < 0)
                goto fail;
        if (IN_SET(s->type, SERVICE_SIMPLE, SERVICE_IDLE)) {
                (void) service_set_spawned_main_pid(s, pid);
                service_enter_start_post(s);
        } else if (s->type == SERVICE_FORKING) {
                s->control_pid = pid;
                service_set_state(s, SERVICE_START);
        } else {
                /* oneshot, notify, exec, dbus: the main process; wait for its exit, READY=1,
                 * execve() or the bus name (service-bus-name.c). */
                (void) service_set_spawned_main_pid(s, pid);
                service_set_state(s, SERVICE_START);
        }
        return;
fail:
        log_unit_warning_errno(UNIT(s), r, "Failed to run 'start' task: %m");
        service_enter_signal(s, SERVICE_STOP_SIGTERM, SERVICE_FAILURE_RESOURCES);
}

/* ExecCondition= and ExecStartPre=: the control command of state, or the next step. */
static void service_enter_control_step(Service *s, ExecCommandKind kind, ServiceState state, const char *what) {
        int r;

        service_unwatch_control_pid(s);
        s->control_command = UNIT(s)->exec_commands[kind];
        if (!s->control_command) {
                if (kind == EXEC_CONDITION)
                        service_enter_control_step(s, EXEC_START_PRE, SERVICE_START_PRE, "start-pre");
                else
                        service_enter_start(s);
                return;
        }
        r = service_adverse_to_leftover_processes(s);
        if (r >= 0) {
                s->control_command_kind = kind;
                r = service_spawn(s, s->control_command, kind, s->timeout_start_usec,
                                  EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT | EXEC_IS_CONTROL | EXEC_APPLY_TTY_STDIN,
                                  0, &s->control_pid);
        }
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to run '%s' task: %m", what);
                service_enter_dead(s, SERVICE_FAILURE_RESOURCES, true);
                return;
        }
        service_set_state(s, state);
}

static void service_enter_restart(Service *s) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        Unit *u = UNIT(s);
        int r;

        if (unit_has_job_type(u, JOB_STOP)) {
                log_unit_info(u, "Stop job pending for unit, skipping automatic restart.");
                return;
        }
        /* JOB_RESTART, so that units bound to this one are restarted too. */
        r = manager_add_job(u->manager, JOB_RESTART, u, JOB_REPLACE, NULL, &error, NULL);
        if (r < 0) {
                log_unit_warning(u, "Failed to schedule restart job: %s",
                                 error.message ? error.message : strerror(-r));
                service_enter_dead(s, SERVICE_FAILURE_RESOURCES, false);
                return;
        }
        s->n_restarts++;
        s->flush_n_restarts = false;
        log_unit_info(u, "Scheduled restart job, restart counter is at %u.", s->n_restarts);
        unit_add_to_dbus_queue(u);
        /* We stay in auto-restart; the restart job's stop part moves us to dead. */
}

void service_enter_reload_by_notify(Service *s) {
        (void) service_arm_timer(s, usec_add(now(CLOCK_MONOTONIC), s->timeout_start_usec));
        service_set_state(s, SERVICE_RELOAD);
}

static void service_enter_reload(Service *s) {
        int r;

        service_unwatch_control_pid(s);
        s->reload_result = SERVICE_SUCCESS;
        s->control_command = UNIT(s)->exec_commands[EXEC_RELOAD];
        if (!s->control_command) {
                service_enter_running(s, SERVICE_SUCCESS);
                return;
        }
        s->control_command_kind = EXEC_RELOAD;
        r = service_spawn(s, s->control_command, EXEC_RELOAD, s->timeout_start_usec,
                          EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT | EXEC_IS_CONTROL, 0, &s->control_pid);
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to run 'reload' task: %m");
                s->reload_result = SERVICE_FAILURE_RESOURCES;
                service_enter_running(s, SERVICE_SUCCESS);
                return;
        }
        service_set_state(s, SERVICE_RELOAD);
}

static bool state_is_starting(ServiceState st) {
        return IN_SET(st, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START, SERVICE_START_POST,
                      SERVICE_RUNNING, SERVICE_RELOAD);
}

static void service_run_next_control(Service *s) {
        ExecCommandKind k = s->control_command_kind;
        ExecFlags flags = EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT | EXEC_IS_CONTROL;
        int r;

        s->control_command = s->control_command->next;
        service_unwatch_control_pid(s);
        if (IN_SET(k, EXEC_CONDITION, EXEC_START_PRE, EXEC_STOP_POST))
                flags |= EXEC_APPLY_TTY_STDIN;
        r = service_spawn(s, s->control_command, k,
                          state_is_starting(s->state) ? s->timeout_start_usec : s->timeout_stop_usec, flags,
                          IN_SET(k, EXEC_STOP, EXEC_STOP_POST) ? SPAWN_SETENV_RESULT : 0, &s->control_pid);
        if (r >= 0)
                return;
        log_unit_warning_errno(UNIT(s), r, "Failed to run next control task: %m");
        if (IN_SET(s->state, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START_POST, SERVICE_STOP))
                service_enter_signal(s, SERVICE_STOP_SIGTERM, SERVICE_FAILURE_RESOURCES);
        else if (s->state == SERVICE_STOP_POST)
                service_enter_dead(s, SERVICE_FAILURE_RESOURCES, true);
        else if (s->state == SERVICE_RELOAD) {
                s->reload_result = SERVICE_FAILURE_RESOURCES;
                service_enter_running(s, SERVICE_SUCCESS);
        } else
                service_enter_stop(s, SERVICE_FAILURE_RESOURCES);
}

static void service_run_next_main(Service *s) {
        pid_t pid;
        int r;

        s->main_command = s->main_command->next;
        service_unwatch_main_pid(s);
        r = service_spawn(s, s->main_command, EXEC_START, s->timeout_start_usec, main_flags, SPAWN_PASS_FDS, &pid);
        if (r < 0) {
                log_unit_warning_errno(UNIT(s), r, "Failed to run next main task: %m");
                service_enter_stop(s, SERVICE_FAILURE_RESOURCES);
                return;
        }
        (void) service_set_spawned_main_pid(s, pid);
}

/* ---- jobs ------------------------------------------------------------------------------------- */

static int service_start(Unit *u) {
        Service *s = SERVICE(u);

        if (IN_SET(s->state, SERVICE_CLEANING, STOP_STATES))
                return -EAGAIN;
        if (IN_SET(s->state, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START, SERVICE_START_POST))
                return 0;
        /* Restart= will bring it back: keep the start job waiting for that. */
        if (s->state == SERVICE_AUTO_RESTART)
                return -EAGAIN;
        if (!IN_SET(s->state, SERVICE_DEAD, SERVICE_FAILED))
                return -EALREADY;
        if (s->exec_unsupported)
                return -EOPNOTSUPP;
        /* unit_start() acquired the new invocation ID already. */
        s->result = SERVICE_SUCCESS;
        s->reload_result = SERVICE_SUCCESS;
        s->main_pid_known = false;
        s->main_pid_alien = false;
        s->forbid_restart = false;
        s->status_text = mfree(s->status_text);
        s->status_errno = 0;
        s->notify_state = NOTIFY_UNKNOWN;
        s->watchdog_override_enable = false;
        s->watchdog_override_usec = USEC_INFINITY;
        s->watchdog_started = true;
        service_reset_exec_status(s);
        if (s->flush_n_restarts) {
                s->n_restarts = 0;
                s->flush_n_restarts = false;
        }
        s->reset_accounting = true;
        service_enter_control_step(s, EXEC_CONDITION, SERVICE_CONDITION, "exec-condition");
        return 1;
}

static int service_stop(Unit *u) {
        Service *s = SERVICE(u);

        /* A manual stop never leads to Restart=. */
        s->forbid_restart = true;
        if (IN_SET(s->state, SERVICE_STOP, SERVICE_STOP_SIGTERM, SERVICE_STOP_SIGKILL, SERVICE_STOP_POST,
                   SERVICE_FINAL_WATCHDOG, SERVICE_FINAL_SIGTERM, SERVICE_FINAL_SIGKILL))
                return 0;
        if (s->state == SERVICE_AUTO_RESTART) {
                service_set_state(s, SERVICE_DEAD);
                return 0;
        }
        if (IN_SET(s->state, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START, SERVICE_START_POST,
                   SERVICE_RELOAD, SERVICE_STOP_WATCHDOG)) {
                service_enter_signal(s, SERVICE_STOP_SIGTERM, SERVICE_SUCCESS);
                return 0;
        }
        if (s->state == SERVICE_CLEANING) {
                service_enter_signal(s, SERVICE_FINAL_SIGKILL, SERVICE_SUCCESS);
                return 0;
        }
        if (!IN_SET(s->state, SERVICE_RUNNING, SERVICE_EXITED))
                return -EALREADY;
        service_enter_stop(s, SERVICE_SUCCESS);
        return 1;
}

static int service_reload(Unit *u) {
        Service *s = SERVICE(u);

        if (!IN_SET(s->state, SERVICE_RUNNING, SERVICE_EXITED))
                return -EAGAIN;
        service_enter_reload(s);
        return 1;
}

static bool service_can_reload(Unit *u) {
        return !!u->exec_commands[EXEC_RELOAD];
}

static int service_kill(Unit *u, KillWho who, int signo, BusError *error) {
        Service *s = SERVICE(u);

        return kill_unit_processes(u, who, signo, s->main_pid, s->control_pid, error);
}

/* ---- events ----------------------------------------------------------------------------------- */

/* The main process is gone: what that means in each state. */
static void service_main_exited(Service *s, ServiceResult f) {
        switch (s->state) {
        case SERVICE_START_POST:
        case SERVICE_RELOAD:
                /* Without a control process this state can never end well. */
                if (!service_control_pid_good(s))
                        service_enter_stop(s, f);
                break;
        case SERVICE_STOP:
                break;
        case SERVICE_START:
                if (s->type == SERVICE_ONESHOT) {
                        if (f == SERVICE_SUCCESS)
                                service_enter_start_post(s);
                        else
                                service_enter_signal(s, SERVICE_STOP_SIGTERM, f);
                        break;
                }
                if (s->type == SERVICE_NOTIFY) {
                        /* Only READY=1 leaves start. */
                        if (f != SERVICE_SUCCESS)
                                service_enter_signal(s, SERVICE_STOP_SIGTERM, f);
                        else if (!s->remain_after_exit || s->notify_access == NOTIFY_MAIN)
                                service_enter_signal(s, SERVICE_STOP_SIGTERM, SERVICE_FAILURE_PROTOCOL);
                        break;
                }
                _fallthrough_;
        case SERVICE_RUNNING:
                service_enter_running(s, f);
                break;
        case SERVICE_STOP_WATCHDOG:
        case SERVICE_STOP_SIGTERM:
        case SERVICE_STOP_SIGKILL:
                if (!service_control_pid_good(s))
                        service_enter_stop_post(s, f);
                break;
        case SERVICE_STOP_POST:
                if (!service_control_pid_good(s))
                        service_enter_signal(s, SERVICE_FINAL_SIGTERM, f);
                break;
        case SERVICE_FINAL_WATCHDOG:
        case SERVICE_FINAL_SIGTERM:
        case SERVICE_FINAL_SIGKILL:
                if (!service_control_pid_good(s))
                        service_enter_dead(s, f, true);
                break;
        default:
                break;
        }
}

static void service_sigchld_main(Service *s, pid_t pid, int code, int status, ServiceResult f) {
        Unit *u = UNIT(s);
        ExecCommand *start = u->exec_commands[EXEC_START];

        s->exec_fd_event_source = event_source_disable_unref(s->exec_fd_event_source);
        /* A forking daemon may move to a new pid, announced in its PID file first. */
        if (service_load_pid_file(s, false) > 0)
                return;
        s->main_pid = 0;
        exec_status_exit(&s->main_exec_status, pid, code, status);
        if (s->main_command) {
                ExecStatus *st = service_exec_status(s, EXEC_START, s->main_command);
                if (st)
                        *st = s->main_exec_status;
                if (s->main_command->flags & EXEC_COMMAND_IGNORE_FAILURE)
                        f = SERVICE_SUCCESS;
        } else if (start && (start->flags & EXEC_COMMAND_IGNORE_FAILURE))
                f = SERVICE_SUCCESS;
        service_log_process_exit(u, "Main process", f == SERVICE_SUCCESS, code, status);
        if (s->result == SERVICE_SUCCESS)
                s->result = f;
        if (s->main_command && s->main_command->next && s->type == SERVICE_ONESHOT && f == SERVICE_SUCCESS) {
                log_unit_debug(u, "Running next main command for state %s.", service_state_to_string(s->state));
                service_run_next_main(s);
                return;
        }
        s->main_command = NULL;
        service_main_exited(s, f);
}

/* The last control command of a state finished with f. */
static void service_control_done(Service *s, ServiceResult f) {
        int r;

        switch (s->state) {
        case SERVICE_CONDITION:
                if (f == SERVICE_SUCCESS)
                        service_enter_control_step(s, EXEC_START_PRE, SERVICE_START_PRE, "start-pre");
                else
                        service_enter_signal(s, SERVICE_STOP_SIGTERM, f);
                break;
        case SERVICE_START_PRE:
                if (f == SERVICE_SUCCESS)
                        service_enter_start(s);
                else
                        service_enter_signal(s, SERVICE_STOP_SIGTERM, f);
                break;
        case SERVICE_START:
                if (s->type != SERVICE_FORKING)
                        break;
                if (f != SERVICE_SUCCESS) {
                        service_enter_signal(s, SERVICE_STOP_SIGTERM, f);
                        break;
                }
                if (s->pid_file) {
                        bool has_start_post = UNIT(s)->exec_commands[EXEC_START_POST];

                        /* ExecStartPost= may be the one to write it. */
                        r = service_load_pid_file(s, !has_start_post);
                        if (!has_start_post && r < 0) {
                                r = service_demand_pid_file(s);
                                if (r < 0 || service_cgroup_good(s) == 0)
                                        service_enter_signal(s, SERVICE_STOP_SIGTERM, SERVICE_FAILURE_PROTOCOL);
                                break;
                        }
                } else
                        service_search_main_pid(s);
                service_enter_start_post(s);
                break;
        case SERVICE_START_POST:
                if (f != SERVICE_SUCCESS) {
                        service_enter_signal(s, SERVICE_STOP_SIGTERM, f);
                        break;
                }
                if (s->pid_file) {
                        r = service_load_pid_file(s, true);
                        if (r < 0) {
                                r = service_demand_pid_file(s);
                                if (r < 0 || service_cgroup_good(s) == 0)
                                        service_enter_stop(s, SERVICE_FAILURE_PROTOCOL);
                                break;
                        }
                } else
                        service_search_main_pid(s);
                service_enter_running(s, SERVICE_SUCCESS);
                break;
        case SERVICE_RELOAD:
                if (f == SERVICE_SUCCESS && service_load_pid_file(s, true) < 0)
                        service_search_main_pid(s);
                s->reload_result = f;
                service_enter_running(s, SERVICE_SUCCESS);
                break;
        case SERVICE_STOP:
                service_enter_signal(s, SERVICE_STOP_SIGTERM, f);
                break;
        case SERVICE_STOP_WATCHDOG:
        case SERVICE_STOP_SIGTERM:
        case SERVICE_STOP_SIGKILL:
                if (service_main_pid_good(s) <= 0)
                        service_enter_stop_post(s, f);
                break;
        case SERVICE_STOP_POST:
                if (service_main_pid_good(s) <= 0)
                        service_enter_signal(s, SERVICE_FINAL_SIGTERM, f);
                break;
        case SERVICE_FINAL_WATCHDOG:
        case SERVICE_FINAL_SIGTERM:
        case SERVICE_FINAL_SIGKILL:
                if (service_main_pid_good(s) <= 0)
                        service_enter_dead(s, f, true);
                break;
        case SERVICE_CLEANING:
                if (s->clean_result == SERVICE_SUCCESS)
                        s->clean_result = f;
                service_enter_dead(s, SERVICE_SUCCESS, false);
                break;
        default:
                break;
        }
}

static void service_sigchld_control(Service *s, pid_t pid, int code, int status, ServiceResult f) {
        Unit *u = UNIT(s);
        const char *kind = "Control process";
        bool success = f == SERVICE_SUCCESS;

        s->control_pid = 0;
        if (s->control_command) {
                exec_status_exit(service_exec_status(s, s->control_command_kind, s->control_command), pid, code, status);
                if (s->control_command->flags & EXEC_COMMAND_IGNORE_FAILURE)
                        f = SERVICE_SUCCESS, success = true;
        }
        /* ExecCondition= exiting with 1…254 skips the unit instead of failing it. */
        if (s->state == SERVICE_CONDITION) {
                kind = "Condition check process";
                if (f == SERVICE_FAILURE_EXIT_CODE && status < 255) {
                        u->condition_result = false;
                        f = SERVICE_SKIP_CONDITION;
                        success = true;
                } else if (f == SERVICE_SUCCESS)
                        u->condition_result = true;
        }
        service_log_process_exit(u, kind, success, code, status);
        if (s->state != SERVICE_RELOAD && s->result == SERVICE_SUCCESS)
                s->result = f;
        if (s->control_command && s->control_command->next && f == SERVICE_SUCCESS) {
                log_unit_debug(u, "Running next control command for state %s.", service_state_to_string(s->state));
                service_run_next_control(s);
                return;
        }
        s->control_command = NULL;
        s->control_command_kind = _EXEC_COMMAND_KIND_INVALID;
        log_unit_debug(u, "Got final SIGCHLD for state %s.", service_state_to_string(s->state));
        service_control_done(s, f);
}

/* Crash recovery: a helper whose gate never opened (the manager recorded it, then died before
 * letting it run: execute.h, gate_fd) ran nothing. Its command runs again in its place, as if
 * the spawn had happened now. True if handled. */
static bool service_respawn_ungated(Service *s, pid_t pid, int code, int status) {
        bool main_process = pid == s->main_pid && s->main_command;
        ExecCommand *c = main_process ? s->main_command : s->control_command;
        ExecCommandKind kind = main_process ? EXEC_START : s->control_command_kind;
        usec_t timeout;
        pid_t new_pid;
        int r;

        if (!exec_exit_never_ran(code, status) || !c || (!main_process && pid != s->control_pid))
                return false;
        log_unit_notice(UNIT(s), "%s was recorded but never ran (the manager went away), running it again.",
                        service_exec_command_to_string(kind));
        timeout = IN_SET(kind, EXEC_STOP, EXEC_STOP_POST) ? s->timeout_stop_usec
                  : s->state == SERVICE_RUNNING ? USEC_INFINITY : s->timeout_start_usec;
        r = service_spawn(s, c, kind, timeout,
                          kind == EXEC_START ? main_flags
                                             : EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT | EXEC_IS_CONTROL | EXEC_APPLY_TTY_STDIN,
                          kind == EXEC_START ? SPAWN_PASS_FDS : 0, &new_pid);
        if (r < 0)
                return false;
        if (main_process)
                (void) service_set_main_pid(s, new_pid);
        else
                s->control_pid = new_pid;
        return true;
}

static void service_sigchld_event(Unit *u, pid_t pid, int code, int status) {
        Service *s = SERVICE(u);
        ExitClean clean = s->type == SERVICE_ONESHOT ||
                                          (s->control_pid == pid && s->control_command_kind != EXEC_START)
                                  ? EXIT_CLEAN_COMMAND
                                  : EXIT_CLEAN_DAEMON;
        ServiceResult f;

        if (service_respawn_ungated(s, pid, code, status))
                return;
        if (is_clean_exit(code, status, clean, &service_exit_status_sets(s)->success))
                f = SERVICE_SUCCESS;
        else if (code == CLD_EXITED)
                f = SERVICE_FAILURE_EXIT_CODE;
        else if (code == CLD_KILLED)
                f = SERVICE_FAILURE_SIGNAL;
        else
                f = SERVICE_FAILURE_CORE_DUMP;

        if (s->main_pid == pid && pid > 0)
                service_sigchld_main(s, pid, code, status, f);
        else if (s->control_pid == pid && pid > 0)
                service_sigchld_control(s, pid, code, status, f);
        else
                return;
        unit_add_to_dbus_queue(u);
}

static void service_timeout_failure(Service *s, ServiceTimeoutFailureMode mode, const char *what,
                                    ServiceState term, ServiceState watchdog, ServiceState kill) {
        Unit *u = UNIT(s);

        switch (mode) {
        case SERVICE_TIMEOUT_ABORT:
                log_unit_warning(u, "%s timed out. Aborting.", what);
                service_enter_signal(s, watchdog, SERVICE_FAILURE_TIMEOUT);
                break;
        case SERVICE_TIMEOUT_KILL:
                if (s->kill_context.send_sigkill) {
                        log_unit_warning(u, "%s timed out. Killing.", what);
                        service_enter_signal(s, kill, SERVICE_FAILURE_TIMEOUT);
                } else if (kill == SERVICE_FINAL_SIGKILL) {
                        log_unit_warning(u, "%s timed out. Skipping SIGKILL. Entering failed mode.", what);
                        service_enter_dead(s, SERVICE_FAILURE_TIMEOUT, false);
                } else {
                        log_unit_warning(u, "%s timed out. Skipping SIGKILL.", what);
                        service_enter_stop_post(s, SERVICE_FAILURE_TIMEOUT);
                }
                break;
        default:
                log_unit_warning(u, "%s timed out. Terminating.", what);
                service_enter_signal(s, term, SERVICE_FAILURE_TIMEOUT);
                break;
        }
}

/* After a signal state timed out: the next harder signal. */
static void service_signal_timed_out(Service *s, const char *state, bool final, bool may_abort) {
        Unit *u = UNIT(s);

        if (may_abort && s->timeout_stop_failure_mode == SERVICE_TIMEOUT_ABORT) {
                log_unit_warning(u, "State '%s' timed out. Aborting.", state);
                service_enter_signal(s, final ? SERVICE_FINAL_WATCHDOG : SERVICE_STOP_WATCHDOG, SERVICE_FAILURE_TIMEOUT);
        } else if (s->kill_context.send_sigkill) {
                log_unit_warning(u, "State '%s' timed out. Killing.", state);
                service_enter_signal(s, final ? SERVICE_FINAL_SIGKILL : SERVICE_STOP_SIGKILL, SERVICE_FAILURE_TIMEOUT);
        } else if (final) {
                log_unit_warning(u, "State '%s' timed out. Skipping SIGKILL. Entering failed mode.", state);
                service_enter_dead(s, SERVICE_FAILURE_TIMEOUT, false);
        } else {
                log_unit_warning(u, "State '%s' timed out. Skipping SIGKILL.", state);
                service_enter_stop_post(s, SERVICE_FAILURE_TIMEOUT);
        }
}

static int service_dispatch_timer(EventSource *source, usec_t usec, void *userdata) {
        Service *s = userdata;
        Unit *u = UNIT(s);
        char what[64];

        (void) source;
        (void) usec;
        switch (s->state) {
        case SERVICE_CONDITION:
        case SERVICE_START_PRE:
        case SERVICE_START:
        case SERVICE_START_POST:
                snprintf(what, sizeof what, "%s operation", service_state_to_string(s->state));
                service_timeout_failure(s, s->timeout_start_failure_mode, what, SERVICE_STOP_SIGTERM,
                                        SERVICE_STOP_WATCHDOG, SERVICE_STOP_SIGKILL);
                break;
        case SERVICE_RUNNING:
                log_unit_warning(u, "Service reached runtime time limit. Stopping.");
                service_enter_stop(s, SERVICE_FAILURE_TIMEOUT);
                break;
        case SERVICE_RELOAD:
                log_unit_warning(u, "Reload operation timed out. Killing reload process.");
                if (s->control_pid > 0)
                        (void) kill(s->control_pid, SIGKILL);
                s->reload_result = SERVICE_FAILURE_TIMEOUT;
                service_enter_running(s, SERVICE_SUCCESS);
                break;
        case SERVICE_STOP:
                service_timeout_failure(s, s->timeout_stop_failure_mode, "Stopping", SERVICE_STOP_SIGTERM,
                                        SERVICE_STOP_WATCHDOG, SERVICE_STOP_SIGKILL);
                break;
        case SERVICE_STOP_WATCHDOG:
                service_signal_timed_out(s, "stop-watchdog", false, false);
                break;
        case SERVICE_STOP_SIGTERM:
                service_signal_timed_out(s, "stop-sigterm", false, true);
                break;
        case SERVICE_STOP_SIGKILL:
                log_unit_warning(u, "Processes still around after SIGKILL. Ignoring.");
                service_enter_stop_post(s, SERVICE_FAILURE_TIMEOUT);
                break;
        case SERVICE_STOP_POST:
                service_timeout_failure(s, s->timeout_stop_failure_mode, "State 'stop-post'", SERVICE_FINAL_SIGTERM,
                                        SERVICE_FINAL_WATCHDOG, SERVICE_FINAL_SIGKILL);
                break;
        case SERVICE_FINAL_WATCHDOG:
                service_signal_timed_out(s, "final-watchdog", true, false);
                break;
        case SERVICE_FINAL_SIGTERM:
                service_signal_timed_out(s, "final-sigterm", true, true);
                break;
        case SERVICE_FINAL_SIGKILL:
                log_unit_warning(u, "Processes still around after final SIGKILL. Entering failed mode.");
                service_enter_dead(s, SERVICE_FAILURE_TIMEOUT, true);
                break;
        case SERVICE_AUTO_RESTART:
                if (s->restart_usec > 0)
                        log_unit_debug(u, "Service RestartSec=%s expired, scheduling restart.",
                                       FORMAT_TIMESPAN(s->restart_usec, USEC_PER_SEC));
                else
                        log_unit_debug(u, "Service has no hold-off time (RestartSec=0), scheduling restart.");
                service_enter_restart(s);
                break;
        case SERVICE_CLEANING:
                log_unit_warning(u, "Cleaning timed out. killing.");
                if (s->clean_result == SERVICE_SUCCESS)
                        s->clean_result = SERVICE_FAILURE_TIMEOUT;
                service_enter_signal(s, SERVICE_FINAL_SIGKILL, 0);
                break;
        default:
                break;
        }
        return 0;
}

static int service_dispatch_watchdog(EventSource *source, usec_t usec, void *userdata) {
        Service *s = userdata;

        (void) source;
        (void) usec;
        log_unit_error(UNIT(s), "Watchdog timeout (limit %s)!", FORMAT_TIMESPAN(service_watchdog_usec(s), 1));
        service_enter_signal(s, SERVICE_STOP_WATCHDOG, SERVICE_FAILURE_WATCHDOG);
        return 0;
}

void service_force_watchdog(Service *s) {
        log_unit_error(UNIT(s), "Watchdog request (last status: %s)!", s->status_text ? s->status_text : "<unset>");
        service_enter_signal(s, SERVICE_STOP_WATCHDOG, SERVICE_FAILURE_WATCHDOG);
}

static void service_running_commands(Unit *u, ExecCommand *ret[static 2]) {
        ret[0] = SERVICE(u)->main_command;
        ret[1] = SERVICE(u)->control_command;
}

static void service_cgroup_empty(Unit *u) {
        Service *s = SERVICE(u);

        log_unit_debug(u, "Control group is empty.");
        switch (s->state) {
        case SERVICE_START:
                if (s->type == SERVICE_NOTIFY && service_main_pid_good(s) == 0 && !service_control_pid_good(s)) {
                        /* No chance of a READY=1 any more. */
                        service_enter_stop_post(s, SERVICE_FAILURE_PROTOCOL);
                        break;
                }
                _fallthrough_;
        case SERVICE_START_POST:
                if (s->pid_file_event_source && service_main_pid_good(s) == 0 && !service_control_pid_good(s)) {
                        log_unit_warning(u, "Daemon never wrote its PID file. Failing.");
                        service_unwatch_pid_file(s);
                        if (s->state == SERVICE_START)
                                service_enter_stop_post(s, SERVICE_FAILURE_PROTOCOL);
                        else
                                service_enter_stop(s, SERVICE_FAILURE_PROTOCOL);
                }
                break;
        case SERVICE_RUNNING:
                service_enter_running(s, SERVICE_SUCCESS);
                break;
        case SERVICE_STOP_WATCHDOG:
        case SERVICE_STOP_SIGTERM:
        case SERVICE_STOP_SIGKILL:
                if (service_main_pid_good(s) <= 0 && !service_control_pid_good(s))
                        service_enter_stop_post(s, SERVICE_SUCCESS);
                break;
        case SERVICE_STOP_POST:
        case SERVICE_FINAL_WATCHDOG:
        case SERVICE_FINAL_SIGTERM:
        case SERVICE_FINAL_SIGKILL:
                if (service_main_pid_good(s) <= 0 && !service_control_pid_good(s))
                        service_enter_dead(s, SERVICE_SUCCESS, true);
                break;
        case SERVICE_DEAD:
        case SERVICE_FAILED:
                unit_prune_cgroup(u);
                break;
        default:
                break;
        }
}

/* ---- the rest of the vtable ------------------------------------------------------------------- */

const ServiceExitStatusSets *service_exit_status_sets(const Service *s) {
        static const ServiceExitStatusSets none = {};

        return s->exit_status_sets ?: &none;
}

static void service_done(Unit *u) {
        Service *s = SERVICE(u);

        /* Processes stay: the manager may be exiting or re-executing. */
        service_unwatch_main_pid(s);
        service_unwatch_control_pid(s);
        service_unwatch_pid_file(s);
        service_stop_watchdog(s);
        s->timer_event_source = event_source_disable_unref(s->timer_event_source);
        s->exec_fd_event_source = event_source_disable_unref(s->exec_fd_event_source);
        exec_context_done(&s->exec_context);
        s->exit_status_sets = mfree(s->exit_status_sets);
        exec_status_table_done(&s->exec_status);
        s->control_command = s->main_command = NULL;
        s->pid_file = mfree(s->pid_file);
        service_unwatch_bus_name(s);
        s->bus_name = mfree(s->bus_name);
        s->bus_name_owner = mfree(s->bus_name_owner);
        s->status_text = mfree(s->status_text);
        s->usb_function_descriptors = mfree(s->usb_function_descriptors);
        s->usb_function_strings = mfree(s->usb_function_strings);
        s->private_tmp = mfree(s->private_tmp);
        s->private_var_tmp = mfree(s->private_var_tmp);
        s->netns_storage[0] = safe_close(s->netns_storage[0]);
        s->netns_storage[1] = safe_close(s->netns_storage[1]);
        s->deserialized_fd_names = strv_free(s->deserialized_fd_names);
        service_release_fd_store(s);
        service_close_socket_fds(s);
        s->stdin_fd = safe_close(s->stdin_fd);
        s->stdout_fd = safe_close(s->stdout_fd);
        s->stderr_fd = safe_close(s->stderr_fd);
}

static UnitActiveState service_active_state(Unit *u) {
        Service *s = SERVICE(u);

        return service_table(s)[s->state];
}

static const char *service_sub_state_to_string(Unit *u) {
        return service_state_to_string(SERVICE(u)->state);
}

static const char *service_result_string(Unit *u) {
        return service_result_to_string(SERVICE(u)->result);
}

static bool service_may_gc(Unit *u) {
        Service *s = SERVICE(u);

        /* Never while a process of ours is around, even when formally dead. */
        return !(service_main_pid_good(s) > 0 || service_control_pid_good(s));
}

static void service_reset_failed(Unit *u) {
        Service *s = SERVICE(u);

        if (s->state == SERVICE_FAILED)
                service_set_state(s, SERVICE_DEAD);
        s->result = SERVICE_SUCCESS;
        s->reload_result = SERVICE_SUCCESS;
        s->clean_result = SERVICE_SUCCESS;
        s->n_restarts = 0;
        s->flush_n_restarts = false;
}

static const char *const service_sub_state_names[_SERVICE_STATE_MAX + 1] = {
        "dead", "condition", "start-pre", "start", "start-post", "running", "exited", "reload", "stop",
        "stop-watchdog", "stop-sigterm", "stop-sigkill", "stop-post", "final-watchdog", "final-sigterm",
        "final-sigkill", "failed", "auto-restart", "cleaning",
};

/* 252: a oneshot service that did its work "Finished", the others "Started". */
static const char *service_finished_job(Unit *u, JobType t, JobResult result) {
        if (t == JOB_START && result == JOB_DONE && SERVICE(u)->type == SERVICE_ONESHOT)
                return "Finished %s.";
        return NULL;
}

/* Crash recovery: the state read back is taken without side effects; the PIDs were watched
 * again already (manager-store.c), the exit records of init come next. */
static int service_coldplug(Unit *u) {
        Service *s = SERVICE(u);
        ServiceState st = s->deserialized_state;

        if (!u->manager->recovering)
                return 0;
        /* FileDescriptorStoreMax=: what the service stored before the restart */
        service_take_kept_fd_store(s, s->deserialized_fd_names);
        service_take_kept_netns(s);
        s->deserialized_fd_names = strv_free(s->deserialized_fd_names);
        /* the Accept=yes connection init kept for us, if it was not handed to the process yet */
        if (s->connection_fd_name) {
                _cleanup_free_ int *fds = NULL;
                size_t n = manager_take_fds(u->manager, s->connection_fd_name, &fds);

                if (n == 1 && (s->socket_fd_names = strv_new("connection"))) {
                        s->socket_fds = TAKE_PTR(fds);
                        s->n_socket_fds = 1;
                        s->socket_fds_connection = true;
                } else {
                        /* released already (the process has it), or never kept */
                        for (size_t i = 0; i < n; i++)
                                safe_close(fds[i]);
                        if (n > 0)
                                manager_keep_fds(u->manager, s->connection_fd_name, NULL, 0);
                        s->connection_fd_name = mfree(s->connection_fd_name);
                }
        }
        if (st == s->state)
                return 0;
        s->state = st;
        if (s->deserialized_timer != USEC_INFINITY &&
            IN_SET(st, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START, SERVICE_START_POST, SERVICE_RUNNING,
                   SERVICE_RELOAD, STOP_STATES, SERVICE_AUTO_RESTART, SERVICE_CLEANING))
                (void) service_arm_timer(s, s->deserialized_timer);
        s->deserialized_timer = USEC_INFINITY;
        if (IN_SET(st, SERVICE_START_POST, SERVICE_RUNNING, SERVICE_RELOAD) && s->watchdog_timestamp.monotonic > 0)
                service_start_watchdog(s);
        if (!IN_SET(st, SERVICE_START, SERVICE_START_POST, SERVICE_RUNNING, SERVICE_RELOAD, STOP_STATES))
                s->main_pid = 0;
        if (!IN_SET(st, SERVICE_CONDITION, SERVICE_START_PRE, SERVICE_START, SERVICE_START_POST, SERVICE_RELOAD,
                    STOP_STATES, SERVICE_CLEANING))
                s->control_pid = 0;
        return 0;
}

const UnitVTable service_vtable = {
        .object_size = sizeof(Service),
        .sub_state_names = service_sub_state_names,
        .init = service_init,
        .done = service_done,
        .load = service_load,
        .start = service_start,
        .stop = service_stop,
        .reload = service_reload,
        .can_reload = service_can_reload,
        .kill = service_kill,
        .active_state = service_active_state,
        .sub_state_to_string = service_sub_state_to_string,
        .result_to_string = service_result_string,
        .may_gc = service_may_gc,
        .reset_failed = service_reset_failed,
        .sigchld_event = service_sigchld_event,
        .notify_message = service_notify_message,
        .cgroup_empty = service_cgroup_empty,
        .running_commands = service_running_commands,
        .coldplug = service_coldplug,
        .serialize = service_serialize,
        .deserialize_item = service_deserialize_item,
        .gc_jobs = false,
        .can_fail = true,
        .can_transient = true,
        .status_finished_job = service_finished_job,
        .status_finished_stop = { [JOB_FAILED] = "Stopped (with error) %s." },
};
