/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * service.h: the service unit type (systemd.service(5) as systemd 252 runs it): the state
 * machine from dead through condition, start-pre, start, start-post, running/exited, reload,
 * stop, stop-sigterm, stop-sigkill, stop-post, final-sigterm, final-sigkill to dead/failed or
 * auto-restart; Type= simple, exec, forking, oneshot, dbus, notify, idle; the notify protocol;
 * Restart=; timeouts; the watchdog; the fd store. Processes are started with exec_spawn() into
 * the unit's cgroup and watched with unit_watch_pid().
 *
 * The Service owns its ExecContext, its command runtime records, its timers and its fd store.
 * The commands themselves (ExecCommand lists) stay owned by the Unit (u->exec_commands).
 */

#include "exec-context.h"
#include "exec-command.h"
#include "exec-status.h"
#include "event.h"
#include "exit-status.h"
#include "unit.h"

typedef enum ServiceState {
        SERVICE_DEAD,
        SERVICE_CONDITION,
        SERVICE_START_PRE,
        SERVICE_START,
        SERVICE_START_POST,
        SERVICE_RUNNING,
        SERVICE_EXITED,
        SERVICE_RELOAD,
        SERVICE_STOP,
        SERVICE_STOP_WATCHDOG,
        SERVICE_STOP_SIGTERM,
        SERVICE_STOP_SIGKILL,
        SERVICE_STOP_POST,
        SERVICE_FINAL_WATCHDOG,
        SERVICE_FINAL_SIGTERM,
        SERVICE_FINAL_SIGKILL,
        SERVICE_FAILED,
        SERVICE_AUTO_RESTART,
        SERVICE_CLEANING,
        _SERVICE_STATE_MAX,
        _SERVICE_STATE_INVALID = -EINVAL,
} ServiceState;

typedef enum ServiceType {
        SERVICE_SIMPLE,
        SERVICE_FORKING,
        SERVICE_ONESHOT,
        SERVICE_DBUS,
        SERVICE_NOTIFY,
        SERVICE_IDLE,
        SERVICE_EXEC,
        _SERVICE_TYPE_MAX,
        _SERVICE_TYPE_INVALID = -EINVAL,
} ServiceType;

typedef enum ServiceRestart {
        SERVICE_RESTART_NO,
        SERVICE_RESTART_ON_SUCCESS,
        SERVICE_RESTART_ON_FAILURE,
        SERVICE_RESTART_ON_ABNORMAL,
        SERVICE_RESTART_ON_WATCHDOG,
        SERVICE_RESTART_ON_ABORT,
        SERVICE_RESTART_ALWAYS,
        _SERVICE_RESTART_MAX,
        _SERVICE_RESTART_INVALID = -EINVAL,
} ServiceRestart;

typedef enum ServiceResult {
        SERVICE_SUCCESS,
        SERVICE_FAILURE_RESOURCES,
        SERVICE_FAILURE_PROTOCOL,
        SERVICE_FAILURE_TIMEOUT,
        SERVICE_FAILURE_EXIT_CODE,
        SERVICE_FAILURE_SIGNAL,
        SERVICE_FAILURE_CORE_DUMP,
        SERVICE_FAILURE_WATCHDOG,
        SERVICE_FAILURE_START_LIMIT_HIT,
        SERVICE_FAILURE_OOM_KILL,
        SERVICE_SKIP_CONDITION,
        _SERVICE_RESULT_MAX,
        _SERVICE_RESULT_INVALID = -EINVAL,
} ServiceResult;

typedef enum NotifyAccess {
        NOTIFY_NONE,
        NOTIFY_ALL,
        NOTIFY_MAIN,
        NOTIFY_EXEC,
        _NOTIFY_ACCESS_MAX,
        _NOTIFY_ACCESS_INVALID = -EINVAL,
} NotifyAccess;

typedef enum NotifyState {
        NOTIFY_UNKNOWN,
        NOTIFY_READY,
        NOTIFY_RELOADING,
        NOTIFY_STOPPING,
        _NOTIFY_STATE_MAX,
        _NOTIFY_STATE_INVALID = -EINVAL,
} NotifyState;

typedef enum ServiceTimeoutFailureMode {
        SERVICE_TIMEOUT_TERMINATE,
        SERVICE_TIMEOUT_ABORT,
        SERVICE_TIMEOUT_KILL,
        _SERVICE_TIMEOUT_FAILURE_MODE_MAX,
        _SERVICE_TIMEOUT_FAILURE_MODE_INVALID = -EINVAL,
} ServiceTimeoutFailureMode;

/* The kill settings ([Service], [Socket], … KillMode= & co.). */
typedef struct KillContext {
        KillMode kill_mode;        /* default control-group */
        int kill_signal;           /* default SIGTERM */
        int restart_kill_signal;   /* 0 = same as kill_signal */
        int final_kill_signal;     /* default SIGKILL */
        int watchdog_signal;       /* default SIGABRT */
        bool send_sigkill;         /* default yes */
        bool send_sighup;          /* default no */
} KillContext;

/* SuccessExitStatus=/RestartPreventExitStatus=/RestartForceExitStatus= use ExitStatusSet of
 * src/shared/exit-status.h (exit_status_set_test(), exit_status_set_format()). */

typedef struct BusSlot BusSlot;
typedef struct ServiceFDStoreEntry ServiceFDStoreEntry;
struct ServiceFDStoreEntry {
        int fd;
        char *fdname;
        ServiceFDStoreEntry *next;
};

/* RestartPreventExitStatus=, RestartForceExitStatus=, SuccessExitStatus= */
typedef struct ServiceExitStatusSets {
        ExitStatusSet restart_prevent, restart_force, success;
} ServiceExitStatusSets;

typedef struct Service {
        Unit meta;

        /* Settings */
        ServiceType type;
        ServiceRestart restart;
        /* NULL while all three are empty, as for most services (144 bytes less per unit); read
         * through service_exit_status_sets() */
        ServiceExitStatusSets *exit_status_sets;
        usec_t restart_usec;                 /* RestartSec=, default 100 ms */
        usec_t timeout_start_usec, timeout_stop_usec, timeout_abort_usec; /* USEC_INFINITY = none */
        usec_t runtime_max_usec;             /* RuntimeMaxSec=, USEC_INFINITY = none */
        usec_t watchdog_usec;                /* WatchdogSec= (may be overridden by WATCHDOG_USEC=) */
        usec_t watchdog_override_usec;
        ServiceTimeoutFailureMode timeout_start_failure_mode, timeout_stop_failure_mode;
        NotifyAccess notify_access;
        unsigned n_fd_store_max;             /* FileDescriptorStoreMax= */
        int oom_policy;
        bool timeout_abort_set;
        bool watchdog_started;               /* WatchdogUSec shows "infinity" until the first start */
        bool watchdog_override_enable;
        bool remain_after_exit, guess_main_pid, permissions_start_only, root_directory_start_only;
        char *pid_file;
        char *bus_name;                      /* BusName= */
        char *usb_function_descriptors, *usb_function_strings;
        ExecContext exec_context;
        KillContext kill_context;

        /* Runtime */
        ServiceState state, deserialized_state;
        ServiceResult result, reload_result, clean_result;
        pid_t main_pid, control_pid;
        ExecCommandKind control_command_kind;/* the kind of the running control command */
        NotifyState notify_state;
        int status_errno;                    /* ERRNO= */
        unsigned n_restarts;                 /* NRestarts */
        bool main_pid_known, main_pid_alien;
        bool forbid_restart, will_auto_restart;
        bool reset_accounting;
        ExecStatus main_exec_status;         /* ExecMainPID/Code/Status/StartTimestamp/ExitTimestamp */
        ExecStatusTable exec_status;         /* one per command of u->exec_commands */
        ExecCommand *control_command, *main_command; /* the commands running (borrowed from u) */
        char *status_text;                   /* STATUS= */
        DualTimestamp watchdog_timestamp;
        usec_t extend_timeout_usec;          /* EXTEND_TIMEOUT_USEC= */
        EventSource *timer_event_source;
        EventSource *exec_fd_event_source;   /* Type=exec */
        EventSource *watchdog_event_source;
        ServiceFDStoreEntry *fd_store;
        unsigned n_fd_store;
        unsigned n_fd_store_chunks;          /* entries "fdstore:UNIT/K" in init's fd store (service-serialize.c) */
        int *socket_fds;                     /* from socket activation (owned) */
        char **socket_fd_names;
        size_t n_socket_fds;
        int stdin_fd, stdout_fd, stderr_fd;  /* from an Accept=yes socket, -1 otherwise */
        /* BusName= (service-bus-name.c): whether it has an owner on the system bus, and who */
        bool bus_name_good;
        char *private_tmp, *private_var_tmp; /* PrivateTmp= directories while running */
        int netns_storage[2];     /* PrivateNetwork=: the namespace store while running (kept in
                                   * init as "netns:UNIT"), -1 otherwise */
        char *bus_name_owner;
        BusSlot *bus_name_pid_lookup_slot;   /* GetConnectionUnixProcessID in flight */

        /* Added by service.c */
        bool flush_n_restarts;               /* reset n_restarts on the next (manual) start */
        bool exec_fd_hot;                    /* Type=exec: the helper is about to execve() */
        bool socket_fds_connection;          /* socket_fds is one Accept=yes connection */
        bool exec_unsupported;               /* DynamicUser=/PAMName=: loads, but cannot start */
        EventSource *pid_file_event_source;  /* inotify on PIDFile='s directory */

        /* Added by socket.c */
        Unit *accept_socket;
        /* Crash recovery: the name under which init keeps the Accept=yes connection
         * ("conn:SOCKET/PID.T.N", socket.c) until the process that serves it was committed; NULL if none */
        char *connection_fd_name;

        /* Added by service-serialize.c: the timer's deadline read back, USEC_INFINITY if none */
        usec_t deserialized_timer;
        char **deserialized_fd_names;        /* the fd store's names, list order */
} Service;

#define SERVICE(u) ((Service *) (u))

extern const UnitVTable service_vtable;

const char *service_state_to_string(ServiceState s) _const_;
ServiceState service_state_from_string(const char *s) _pure_;
const char *service_type_to_string(ServiceType t) _const_;
ServiceType service_type_from_string(const char *s) _pure_;
const char *service_restart_to_string(ServiceRestart r) _const_;
ServiceRestart service_restart_from_string(const char *s) _pure_;
const char *service_result_to_string(ServiceResult r) _const_;
ServiceResult service_result_from_string(const char *s) _pure_;
const char *notify_access_to_string(NotifyAccess a) _const_;
NotifyAccess notify_access_from_string(const char *s) _pure_;
const char *service_timeout_failure_mode_to_string(ServiceTimeoutFailureMode m) _const_;
ServiceTimeoutFailureMode service_timeout_failure_mode_from_string(const char *s) _pure_;

/* BusName= (service-bus-name.c): the manager's D-Bus came up (manager_bus_setup()); the
 * services loaded before (restored after a crash) watch their names now. */
void service_watch_bus_names(Manager *m);

/* Socket activation (socket.c): hands the listening fds (or one connection fd for Accept=yes,
 * which becomes stdin/stdout/stderr when the context says "socket") to the service for its
 * next start. The service takes the fds. */
int service_set_socket_fds(Service *s, int *fds, char **fd_names, size_t n_fds, bool connection);

/* s's exit status sets (empty ones when it has none). */
const ServiceExitStatusSets *service_exit_status_sets(const Service *s) _pure_;
