/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * manager.h: the unit registry of the service manager: every Unit by every one of its names,
 * the search path and name map, and the load queue. Loading a unit queues the units it depends
 * on, so dispatching the queue loads the whole closure, then adds the default target
 * dependencies (spec unit-files.md §4, §6). The Manager owns all units and jobs.
 *
 * The analyser uses only the registry. The running manager (manager_setup_runtime()) adds the
 * event loop, the jobs, the queues that are dispatched from it (run, dbus, gc, cleanup,
 * stop-when-unneeded, start-when-upheld, stop-when-bound), SIGCHLD handling for watched pids,
 * the notify socket, the cgroup tree and the D-Bus endpoints. Paths below runtime_dir ("/run"
 * for the real thing) are under a temporary directory in unit tests.
 */

#include <sys/resource.h>

#include "event.h"
#include "exec-rlimit.h"
#include "hashmap.h"
#include "list.h"
#include "prioq.h"
#include "unit-map.h"
#include "unit-path.h"
#include "unit.h"

typedef struct Job Job;
typedef struct InitLink InitLink;
typedef struct ManagerBus ManagerBus;
typedef struct StateStore StateStore;

/* What the main loop does when it returns (manager_loop()). */
typedef enum ManagerObjective {
        MANAGER_OK,
        MANAGER_EXIT,
        MANAGER_RELOAD,
        MANAGER_REEXECUTE,
        MANAGER_REBOOT,
        MANAGER_POWEROFF,
        MANAGER_HALT,
        MANAGER_KEXEC,
        _MANAGER_OBJECTIVE_MAX,
        _MANAGER_OBJECTIVE_INVALID = -EINVAL,
} ManagerObjective;

/* Timestamps of the boot as the Manager's D-Bus properties show them. */
typedef enum ManagerTimestamp {
        MANAGER_TIMESTAMP_FIRMWARE,
        MANAGER_TIMESTAMP_LOADER,
        MANAGER_TIMESTAMP_KERNEL,
        MANAGER_TIMESTAMP_INITRD,
        MANAGER_TIMESTAMP_USERSPACE,
        MANAGER_TIMESTAMP_FINISH,
        MANAGER_TIMESTAMP_SECURITY_START,
        MANAGER_TIMESTAMP_SECURITY_FINISH,
        MANAGER_TIMESTAMP_GENERATORS_START,
        MANAGER_TIMESTAMP_GENERATORS_FINISH,
        MANAGER_TIMESTAMP_UNITS_LOAD_START,
        MANAGER_TIMESTAMP_UNITS_LOAD_FINISH,
        _MANAGER_TIMESTAMP_MAX,
} ManagerTimestamp;

struct Manager {
        UnitPath unit_path;
        UnitMap unit_map;
        Hashmap *units;          /* name → Unit* (all names, borrowed) */
        OrderedSet *all_units;   /* Unit*, owned: every unit once, in creation order */
        Unit *load_queue, *load_queue_tail;
        Unit *target_deps_queue;
        Unit *mount_deps_queue;
        bool dispatching_load_queue;
        ExecOutput default_std_output, default_std_error;
        unsigned n_units_max;    /* a limit on what unit files can make us allocate */

        /* ---- Runtime (manager-runtime.c unless noted) ---- */
        Event *event;
        char *runtime_dir;       /* "/run"; tests use a temporary directory */
        bool test_run;           /* unit tests: no cgroup moves of the manager, no /run/systemd/private */

        /* Jobs (job.c, transaction.c) */
        Hashmap *jobs;           /* uint32_t id → Job* */
        uint32_t current_job_id;
        unsigned n_running_jobs;
        Prioq *run_queue; /* jobs to look at, in 252's order (job.c); see manager_reserve_run_queue() */
        EventSource *run_queue_event_source;
        EventSource *heap_settle_event_source; /* manager_schedule_heap_settle() */

        /* Queues dispatched from the event loop */
        LIST_HEAD(Unit, gc_unit_queue);
        LIST_HEAD(Job, gc_job_queue);
        LIST_HEAD(Unit, dbus_unit_queue);
        LIST_HEAD(Job, dbus_job_queue);
        LIST_HEAD(Unit, cleanup_queue);
        LIST_HEAD(Unit, stop_when_unneeded_queue);
        LIST_HEAD(Unit, start_when_upheld_queue);
        LIST_HEAD(Unit, stop_when_bound_queue);

        /* Processes */
        Hashmap *watch_pids;     /* pid → Unit* */
        Hashmap *watch_pid_start; /* pid → its start time << 1 | owned (uintptr_t), for the
                                   * state store (unit_watched_pid_start_time()) */
        uint64_t init_dropped_checked; /* init's dropped records count all watched PIDs were
                                        * checked against /proc at (manager-store.c) */
        EventSource *sigchld_event_source;

        /* The notify socket: runtime_dir/systemd/notify, SOCK_DGRAM, SO_PASSCRED */
        char *notify_socket;
        int notify_fd;
        EventSource *notify_event_source;

        /* cgroup (cgroup.c) */
        char *cgroup_mount;      /* where cgroup2 is mounted: /sys/fs/cgroup, /sys/fs/cgroup/unified; NULL: none */
        char *cgroup_root;       /* the manager's root cgroup inside it ("" for the mount's root) */
        Hashmap *cgroup_units;   /* relative cgroup path → Unit* */
        int cgroup_inotify_fd;
        EventSource *cgroup_inotify_event_source;
        Hashmap *cgroup_inotify_wd_unit; /* inotify wd (INT_TO_PTR) → Unit*, for cgroup.events */
        bool cgroup_inotify_kept; /* the inotify fd came from init's fd store: the watches of the
                                   * manager before us are still in it (unit_restore_cgroup()) */

        /* D-Bus (manager-bus.c) */
        ManagerBus *bus;

        /* The channel to sysmaster-init (main.c sets it up) */
        InitLink *init_link;

        /* Crash recovery (manager-store.c) */
        StateStore *store;       /* NULL: no persistence (unit tests, a manager without init) */
        bool recovering;         /* the units are being brought back from the store */
        bool store_manager_dirty; /* the manager's own record ("m") changed */
        LIST_HEAD(Unit, store_unit_queue);
        LIST_HEAD(Job, store_job_queue);
        char **store_deleted;    /* keys of freed units/jobs, removed at the next commit */
        char **store_released_connections; /* services whose kept connection is dropped after the next commit */
        Serializer store_ser;    /* reused buffer */
        unsigned store_records_unsettled; /* records written since LMDB's cache was last given back */
        int *gates;              /* write ends of spawned helpers' gates, opened after the commit */
        size_t n_gates, n_gates_alloc;
        uint64_t pending_exit_ack; /* init's exit records up to this serial, acknowledged after the commit */
        Hashmap *recovered_fds;  /* fd store name (owned) → FdList* (from init, not yet claimed) */

        /* Defaults (system.conf; these are systemd 252's) */
        usec_t default_timeout_start_usec, default_timeout_stop_usec, default_timeout_abort_usec;
        bool default_timeout_abort_set;
        usec_t default_restart_usec;
        usec_t default_start_limit_interval;
        unsigned default_start_limit_burst;
        char **environment;      /* the environment block for units (PATH=…, set-environment) */
        char **sysbus_restored;  /* the system bus clients of the manager before us, "KEY VALUE"
                                  * lines of its record until we connect (manager-sysbus.c) */
        /* for units without Limit*= (shared by their ExecContexts, see there) */
        struct rlimit default_rlimits[EXEC_RLIMIT_MAX];
        uint32_t default_rlimits_set;
        char *default_target;    /* --unit=, systemd.unit=, or "default.target" */

        ManagerObjective objective;
        int return_value;        /* the manager's exit status for exit.target / exit-force (ExitCode) */

        /* manager-signals.c */
        usec_t ctrl_alt_del_times[7]; /* CLOCK_MONOTONIC of the last 7 SIGINTs (CTRL_ALT_DEL_BURST), a ring */
        unsigned n_ctrl_alt_del;
        int original_log_level;       /* at manager_new(), restored by SIGRTMIN+23 */
        int original_log_target;      /* at manager_new(), restored by SIGRTMIN+26 */

        /* manager-runtime.c */
        EventSource *queue_event_source; /* defer: runs manager_dispatch_queues() while work is queued */
        EventSource *post_event_source;  /* post: the same after every other dispatched source */
        bool dispatching_queues;
        unsigned gc_marker;
        DualTimestamp timestamps[_MANAGER_TIMESTAMP_MAX];
        bool startup_finished;   /* StartupFinished was sent */
        unsigned n_reloading;    /* > 0 while daemon-reload runs */
};

/* unit_path: like $SYSTEMD_UNIT_PATH (NULL = the environment / defaults). */
int manager_new(const char *unit_path, Manager **ret);
Manager *manager_free(Manager *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(Manager *, manager_free);

Unit *manager_get_unit(const Manager *m, const char *name);
/* Returns the unit of that name, creating a stub and queueing it for loading if needed.
 * -EINVAL for an invalid name, -EISDIR for a template name ("missing the instance name"). */
int manager_load_unit_prepare(Manager *m, const char *name, Unit **ret);
/* manager_load_unit_prepare() + dispatching the load queue. *ret follows merges. */
int manager_load_unit(Manager *m, const char *name, Unit **ret);
/* The same for a client (D-Bus): as systemd, a unit it made the manager load is collected once
 * nothing refers to it (after the current event; a job, a bus reference or a dependency keeps
 * it), so that looking at a unit that does not exist leaves nothing behind. */
int manager_load_unit_for_client(Manager *m, const char *name, Unit **ret);
/* Loads every queued unit (and what they pull in), then the default target dependencies. */
void manager_dispatch_load_queue(Manager *m);
/* Creates the units that always exist (-.slice, init.scope). */
int manager_setup_perpetual_units(Manager *m);
/* Every loadable name in the search path (no templates), sorted. */
int manager_list_unit_file_names(Manager *m, char ***ret);

/* ---- Runtime (manager-runtime.c) ---- */

/* Turns the registry into a running manager on event loop e: the queues' defer sources, SIGCHLD
 * (the caller has blocked it), the notify socket under runtime_dir, the cgroup tree (unless
 * test_run), the perpetual units. 0 or -errno (logged). */
int manager_setup_runtime(Manager *m, Event *e, const char *runtime_dir);
/* A process of unit u (NULL: the unit watching pid, if any) ended, reaped by us or by init:
 * tells the unit's type (code CLD_EXITED/KILLED/DUMPED and status) and queues the unit for GC. */
void manager_dispatch_child_exit(Manager *m, Unit *u, pid_t pid, int code, int status);
/* Handles every child that exited and was not reaped yet (SIGCHLD; and after an in-place
 * re-execution, whose SIGCHLD may have been lost). */
void manager_reap_children(Manager *m);
/* The unit a pid belongs to: watched pids first, then its cgroup. NULL if none. */
Unit *manager_get_unit_by_pid(Manager *m, pid_t pid);
/* Runs the queues that are due (also run from the event loop's post source). */
void manager_dispatch_queues(Manager *m);
/* daemon-reload: re-reads every unit file keeping runtime state; 0 or -errno. */
int manager_reload(Manager *m);
/* The states of SystemState: initializing, starting, running, degraded, maintenance, stopping. */
const char *manager_state_string(Manager *m);
unsigned manager_n_failed_units(Manager *m);
const char *manager_objective_to_string(ManagerObjective o) _const_;
/* manager_free(): frees jobs, the bus, the event sources, the notify socket and the cgroup
 * watch (before the units go). */
void manager_done_runtime(Manager *m);
/* heap_settle() once nothing else is pending, delay usec from now at the earliest (after a
 * restore: the clients that waited for the new manager come first; giving back splits huge
 * pages, and the pages touched next fault in one by one). No-op without an event loop. */
void manager_schedule_heap_settle(Manager *m, usec_t delay);
/* What heap_settle() runs first: gives back what the manager only needs while loading or
 * committing (the unit name map, LMDB's page buffers); both come back when next needed. */
void manager_release_idle_memory(Manager *m);

/* Internal: called by units. */
void manager_enqueue_load(Manager *m, Unit *u);
void manager_enqueue_target_deps(Manager *m, Unit *u);
void manager_enqueue_mount_deps(Manager *m, Unit *u);
