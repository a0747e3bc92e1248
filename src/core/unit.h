/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit.h: the Unit object. A unit is created as a stub under one name, loaded once (fragment,
 * drop-ins, implicit and default dependencies), and may be merged into another unit when it
 * turns out to be an alias (it then points at the survivor with merged_into and keeps no data).
 * The Manager owns every unit; a unit owns its names, paths and settings, and refers to other
 * units (dependencies) by pointer: both ends of every dependency record it (Wants ↔ WantedBy),
 * so a unit never outlives the references to it.
 */

#include <sys/socket.h>

#include "hashmap.h"
#include "job-type.h"
#include "list.h"
#include "ordered-set.h"
#include "time-base.h"
#include "unit-def.h"
#include "serialize.h"
#include "unit-name.h"

typedef struct Manager Manager;
typedef struct Unit Unit;
typedef struct ExecCommand ExecCommand;
typedef struct Job Job;
typedef struct UnitVTable UnitVTable;
typedef struct BusError BusError;
typedef struct Condition Condition;

/* Standard input/output choices (only those that matter for dependencies are named). */
typedef enum ExecOutput {
        EXEC_OUTPUT_INHERIT,
        EXEC_OUTPUT_NULL,
        EXEC_OUTPUT_TTY,
        EXEC_OUTPUT_KMSG,
        EXEC_OUTPUT_KMSG_AND_CONSOLE,
        EXEC_OUTPUT_JOURNAL,
        EXEC_OUTPUT_JOURNAL_AND_CONSOLE,
        EXEC_OUTPUT_SOCKET,
        EXEC_OUTPUT_NAMED_FD,
        EXEC_OUTPUT_FILE,
        EXEC_OUTPUT_FILE_APPEND,
        EXEC_OUTPUT_FILE_TRUNCATE,
        _EXEC_OUTPUT_MAX,
        _EXEC_OUTPUT_INVALID = -EINVAL,
} ExecOutput;

typedef enum ExecInput {
        EXEC_INPUT_NULL,
        EXEC_INPUT_TTY,
        EXEC_INPUT_TTY_FORCE,
        EXEC_INPUT_TTY_FAIL,
        EXEC_INPUT_SOCKET,
        EXEC_INPUT_NAMED_FD,
        EXEC_INPUT_DATA,
        EXEC_INPUT_FILE,
        _EXEC_INPUT_MAX,
        _EXEC_INPUT_INVALID = -EINVAL,
} ExecInput;

typedef enum ExecDirectoryType {
        EXEC_DIRECTORY_RUNTIME,
        EXEC_DIRECTORY_STATE,
        EXEC_DIRECTORY_CACHE,
        EXEC_DIRECTORY_LOGS,
        EXEC_DIRECTORY_CONFIGURATION,
        _EXEC_DIRECTORY_TYPE_MAX,
} ExecDirectoryType;

/* The execution settings that loading interprets (spawn-time settings come with the manager). */
typedef struct ExecSettings {
        ExecInput std_input;
        ExecOutput std_output, std_error;
        bool stdin_data;
        bool private_tmp, dynamic_user;
        char *working_directory;
        bool working_directory_missing_ok, working_directory_home;
        char *root_directory, *root_image, *log_namespace;
        char **directories[_EXEC_DIRECTORY_TYPE_MAX];
        char **environment;       /* NAME=VALUE, later wins */
        char **environment_files; /* "-" prefix kept */
} ExecSettings;

/* The kinds of Exec*= lists, per unit type (services use all of them). */
typedef enum ExecCommandKind {
        EXEC_CONDITION,
        EXEC_START_PRE,
        EXEC_START,
        EXEC_START_POST,
        EXEC_RELOAD,
        EXEC_STOP,
        EXEC_STOP_POST,
        EXEC_STOP_PRE, /* sockets only */
        _EXEC_COMMAND_KIND_MAX,
        _EXEC_COMMAND_KIND_INVALID = -EINVAL,
} ExecCommandKind;

/* KillMode= */
typedef enum KillMode {
        KILL_CONTROL_GROUP,
        KILL_PROCESS,
        KILL_MIXED,
        KILL_NONE,
        _KILL_MODE_MAX,
        _KILL_MODE_INVALID = -EINVAL,
} KillMode;

/* The `whom` of KillUnit(). */
typedef enum KillWho {
        KILL_MAIN,
        KILL_CONTROL,
        KILL_ALL,
        KILL_MAIN_FAIL,
        KILL_CONTROL_FAIL,
        KILL_ALL_FAIL,
        _KILL_WHO_MAX,
        _KILL_WHO_INVALID = -EINVAL,
} KillWho;

/* CollectMode= */
typedef enum CollectMode {
        COLLECT_INACTIVE,
        COLLECT_INACTIVE_OR_FAILED,
        _COLLECT_MODE_MAX,
        _COLLECT_MODE_INVALID = -EINVAL,
} CollectMode;

/* SuccessAction=, FailureAction=, StartLimitAction=, JobTimeoutAction= … */
typedef enum EmergencyAction {
        EMERGENCY_ACTION_NONE,
        EMERGENCY_ACTION_REBOOT,
        EMERGENCY_ACTION_REBOOT_FORCE,
        EMERGENCY_ACTION_REBOOT_IMMEDIATE,
        EMERGENCY_ACTION_POWEROFF,
        EMERGENCY_ACTION_POWEROFF_FORCE,
        EMERGENCY_ACTION_POWEROFF_IMMEDIATE,
        EMERGENCY_ACTION_EXIT,
        EMERGENCY_ACTION_EXIT_FORCE,
        _EMERGENCY_ACTION_MAX,
        _EMERGENCY_ACTION_INVALID = -EINVAL,
} EmergencyAction;

/* The [Unit] settings the runtime acts on, interpreted once when the unit is loaded (from the
 * settings store; defaults as systemd 252). Conditions and asserts stay in the store and are
 * evaluated by condition.c when a start job runs. */
typedef struct UnitRuntimeSettings {
        bool refuse_manual_start, refuse_manual_stop, allow_isolate, stop_when_unneeded;
        bool ignore_on_isolate;
        JobMode on_failure_job_mode, on_success_job_mode; /* default replace */
        usec_t job_timeout, job_running_timeout;          /* USEC_INFINITY = none */
        EmergencyAction job_timeout_action;
        unsigned start_limit_burst;                       /* default 5 */
        char *job_timeout_reboot_argument;
        usec_t start_limit_interval;                      /* default 10 s (DefaultStartLimitIntervalSec) */
        EmergencyAction start_limit_action, success_action, failure_action;
        int success_action_exit_status, failure_action_exit_status; /* -1 = unset */
        CollectMode collect_mode;
} UnitRuntimeSettings;

typedef struct Unit {
        Manager *manager;
        UnitType type;
        UnitLoadState load_state;
        int load_error;             /* negative errno when loading failed */
        unsigned gc_marker;         /* manager-runtime.c's GC sweep */
        char *id;                   /* the preferred name */
        OrderedSet *names;          /* every name, including id; owned strings */
        char *instance;             /* NULL unless an instance */
        Unit *merged_into;

        char *fragment_path;
        char *source_path;
        char **dropin_paths;
        usec_t fragment_mtime;
        uint64_t not_found_hash;    /* the map hash when loading found no fragment */

        bool perpetual;
        bool transient;             /* created by StartTransientUnit() (and init.scope) */
        bool default_dependencies;
        bool in_load_queue, in_target_deps_queue, in_mount_deps_queue;
        bool has_exec;              /* execution settings (service, socket, mount, swap): exec below */
        Unit *load_queue_next, *target_deps_queue_next, *mount_deps_queue_next;

        /* Every unit u has a dependency with: other unit → mask of UnitDependency bits (as a
         * pointer), in the order the pairs were first linked. One map per unit: a service has
         * half a dozen kinds of dependency on two or three units, and one set per kind cost
         * ~0.8 kB per unit (issue 4's memory target). Use the functions below. */
        Hashmap *dependencies;
        const char *slice;          /* Slice= (name, unit_intern()ed), NULL = the default */
        char **requires_mounts_for; /* RequiresMountsFor= and paths the execution settings need */

        /* [Unit] */
        char *description;
        char **documentation;

        /* Everything else, kept as the last effective value(s) per "Section.Key" after specifier
         * expansion: key (owned) → char** (owned). Lists accumulate; an empty assignment resets. */
        Hashmap *settings;

        /* Execution settings (service, socket, mount, swap) */
        ExecSettings exec;
        ExecCommand *exec_commands[_EXEC_COMMAND_KIND_MAX];

        /* Type-specific settings that loading needs */
        const char *service_type;   /* Type= (service_type_to_string()'s), NULL = not set */
        char *bus_name;
        bool remain_after_exit, start_timeout_defined, socket_accept;
        char **sockets;             /* Sockets= names */
        char *trigger_unit;         /* Unit= of socket/timer/path */

        /* ---- Runtime (src/core/unit-runtime.c, job.c; the type's own state lives in the
         * type's object, which embeds this Unit as its first member) ---- */
        UnitRuntimeSettings rt;     /* [Unit] settings the runtime acts on, from unit_load() */
        Job *job;                   /* the installed start/stop/reload/restart/verify job */
        Job *nop_job;               /* an installed nop job (exists beside job) */

        DualTimestamp inactive_exit_timestamp, active_enter_timestamp;
        DualTimestamp active_exit_timestamp, inactive_enter_timestamp;
        DualTimestamp state_change_timestamp;
        DualTimestamp condition_timestamp, assert_timestamp;
        Condition *conditions, *asserts; /* condition.h: built when loading, results of the last test */
        size_t n_conditions, n_asserts;
        UnitActiveState last_active_state; /* as last passed to unit_notify() */
        uint8_t invocation_id[16];  /* new on every activation; all zero = none */
        bool condition_result, assert_result;

        /* Start rate limit (StartLimitIntervalSec=/StartLimitBurst=) */
        unsigned start_limit_count;
        bool start_limit_hit;
        usec_t start_limit_begin;   /* CLOCK_MONOTONIC of the interval's first start */

        /* cgroup (src/core/cgroup.c) */
        char *cgroup_path;          /* the cgroup as /proc/PID/cgroup and ControlGroup show it, e.g. "/system.slice/a.service"
                                     * (the manager's root cgroup included; "" for the hierarchy's top); NULL until realized */
        uint64_t cgroup_id;         /* ControlGroupId: inode number of the last realized cgroup */
        int cgroup_events_wd;       /* inotify watch on cgroup.events, <= 0 if none (inotify wds start at 1) */
        bool cgroup_realized, cgroup_populated;

        /* Queues of the manager (intrusive lists) */
        LIST_FIELDS(Unit, gc_queue);
        LIST_FIELDS(Unit, dbus_queue);
        LIST_FIELDS(Unit, cleanup_queue);
        LIST_FIELDS(Unit, stop_when_unneeded_queue);
        LIST_FIELDS(Unit, start_when_upheld_queue);
        LIST_FIELDS(Unit, stop_when_bound_queue);
        bool in_gc_queue, in_dbus_queue, in_cleanup_queue, in_stop_when_unneeded_queue;
        bool in_start_when_upheld_queue, in_stop_when_bound_queue;
        bool sent_dbus_new_signal;  /* UnitNew went out (so UnitRemoved must too) */
        bool in_store_queue;
        LIST_FIELDS(Unit, store_queue); /* manager-store.c: to be written at the next commit */
        bool reset_may_gc;
        unsigned ref_count_bus;     /* RefUnit() from clients */

        /* Watched processes (unit-runtime.c): the pids of m->watch_pids that point at this unit */
        OrderedSet *pids;           /* PID_TO_PTR(pid) */
        /* Exec*= lists replaced by daemon-reload while one of their commands was running
         * (UnitVTable.running_commands: Service.main_command/control_command point into them).
         * Freed with the unit, or at a reload that finds none of their commands running. */
        ExecCommand **retired_exec_commands;
        size_t n_retired_exec_commands;
} Unit;

/* Creates a stub unit named name (valid unit name required), registered with m.*/
int unit_new(Manager *m, const char *name, Unit **ret);
Unit *unit_free(Unit *u);
/* Follows merged_into to the unit that carries the data. */
Unit *unit_follow_merge(Unit *u);
/* Adds another name to u and registers it with the manager (-EEXIST if taken by another unit). */
int unit_add_name(Unit *u, const char *name);
bool unit_has_name(const Unit *u, const char *name);
/* Makes name (one of u's names) the id. */
void unit_choose_id(Unit *u, const char *name);

/* Records dependency d from u to other and its inverse on other. Returns 1 if new, 0 if known.
 * Dependencies on oneself are ignored (0). */
int unit_add_dependency(Unit *u, UnitDependency d, Unit *other);
int unit_add_two_dependencies(Unit *u, UnitDependency d, UnitDependency e, Unit *other);
/* The same by name: the other unit is created (and queued for loading) if needed. A template
 * name gets u's instance put in, as systemd does. */
int unit_add_dependency_by_name(Unit *u, UnitDependency d, const char *name);
int unit_add_two_dependencies_by_name(Unit *u, UnitDependency d, UnitDependency e, const char *name);
bool unit_has_dependency(const Unit *u, UnitDependency d, const Unit *other);
/* Removes dependency d from u to other and its inverse on other. */
void unit_remove_dependency(Unit *u, UnitDependency d, Unit *other);

#define UNIT_DEPENDENCY_BIT(d) (UINT32_C(1) << (d))
/* The kinds of dependency u has on other, as UNIT_DEPENDENCY_BIT()s. */
uint32_t unit_dependency_mask(const Unit *u, const Unit *other);
/* Steps i through the units u has a dependency of any kind in mask with (each unit once). */
bool unit_dependency_iterate(const Unit *u, uint32_t mask, Iterator *i, Unit **ret);
/* Whether u has any dependency of a kind in mask. */
bool unit_has_dependencies(const Unit *u, uint32_t mask);
#define UNIT_FOREACH_DEPENDENCIES(other, u, mask) \
        for (Iterator _ud_##other = ITERATOR_FIRST; unit_dependency_iterate((u), (mask), &_ud_##other, &(other));)
#define UNIT_FOREACH_DEPENDENCY(other, u, d) UNIT_FOREACH_DEPENDENCIES(other, u, UNIT_DEPENDENCY_BIT(d))

/* Moves everything of other into u (other must be an unloaded stub) and marks other merged. */
int unit_merge(Unit *u, Unit *other);

/* Records that u needs path (and every parent) mounted; the mount units are ordered before u
 * once loaded. -EINVAL for a relative path, -EPERM for one that is not normalized. */
int unit_require_mounts_for(Unit *u, const char *path);

/* One copy of s for every unit of every manager, never freed (setting keys, slice names: a small
 * set that each of thousands of units would otherwise copy); NULL on OOM. */
const char *unit_intern(const char *s);

/* The settings store (see Unit.settings). */
char *const *unit_setting_get(const Unit *u, const char *section_key);
const char *unit_setting_last(const Unit *u, const char *section_key);
/* Whether the last value of a boolean setting is true (unset or unparsable: false). */
bool unit_setting_is_true(const Unit *u, const char *section_key);
int unit_setting_append(Unit *u, const char *section_key, const char *value);
void unit_setting_reset(Unit *u, const char *section_key);

/* Whether units of this type have execution settings / a cgroup. */
bool unit_type_has_exec(UnitType t) _const_;
bool unit_type_has_cgroup(UnitType t) _const_;

/* The "LoadError" text systemd shows, or NULL when loaded. */
const char *unit_load_error_name(const Unit *u);

/* ---- The per-type vtable ----------------------------------------------------------------------
 * Every unit type has one (unit_vtable[type]). A type object embeds Unit as its first member and
 * is object_size bytes; unit_new() allocates that size and calls init(). Types that are not
 * implemented yet have a vtable whose start/stop are NULL: their jobs fail as "unsupported".
 *
 * State changes of a type are reported with unit_notify(u, old, new, flags) every time the
 * type's own state moves; the runtime derives everything else (job completion, timestamps,
 * OnFailure=, dependency propagation, D-Bus signals, GC) from those calls. */

/* Flags of unit_notify(). */
typedef enum UnitNotifyFlags {
        UNIT_NOTIFY_RELOAD_FAILURE = 1 << 0,    /* a reload just failed */
        UNIT_NOTIFY_WILL_AUTO_RESTART = 1 << 1, /* the unit is going down to come back (Restart=) */
        UNIT_NOTIFY_SKIP_CONDITION = 1 << 2,    /* ExecCondition= said no: the job is "skipped" */
} UnitNotifyFlags;

struct UnitVTable {
        size_t object_size;
        /* The names of the type's sub-states (index = the type's state enum), and the count. */
        const char *const *sub_state_names;
        /* After allocation (zeroed), before loading. */
        void (*init)(Unit *u);
        /* Releases what the type holds (processes are not killed: the manager may be exiting). */
        void (*done)(Unit *u);
        /* After the common loading succeeded: interpret the type's settings (from u->settings and
         * the loaded fields). < 0 makes the unit "bad-setting" (the type logs why, naming the
         * file). */
        int (*load)(Unit *u);

        /* Jobs. Return values as systemd 252's unit_start()/unit_stop()/unit_reload():
         * 0 or > 0 the operation began (or completed: the state change tells), -EALREADY nothing
         * to do (already in the target state), -EAGAIN not possible now (the job waits and is
         * retried), -ECOMM condition failed (the job is done), -EBADR the type cannot do it (the
         * job waits for the state change), -ENOEXEC/-EPROTO assert failed or not loadable,
         * -ECANCELED start limit hit, -ENOLINK a required dependency is missing, -ESTALE once-only
         * type already ran, -EOPNOTSUPP not supported, other < 0 failure. */
        int (*start)(Unit *u);
        int (*stop)(Unit *u);
        int (*reload)(Unit *u);
        bool (*can_reload)(Unit *u);
        /* KillUnit(): who and signal. -ESRCH with error set when there is no such process. */
        int (*kill)(Unit *u, KillWho who, int signo, BusError *error);

        UnitActiveState (*active_state)(Unit *u);
        const char *(*sub_state_to_string)(Unit *u);
        /* The type's "Result" value ("success", "exit-code", …), NULL if the type has none. */
        const char *(*result_to_string)(Unit *u);
        /* false: keep the unit even if nothing references it (a running process, …). */
        bool (*may_gc)(Unit *u);
        /* Whether the unit's last run failed in a way "reset-failed" clears. */
        void (*reset_failed)(Unit *u);

        /* A watched pid of the unit exited (already reaped): code is CLD_EXITED, CLD_KILLED or
         * CLD_DUMPED, status the exit status or signal. */
        void (*sigchld_event)(Unit *u, pid_t pid, int code, int status);
        /* A datagram on the notify socket from a process of the unit: its credentials, the
         * variable assignments (NAME=VALUE), and the n_fds fds it carried (the callee takes
         * them all: keeps or closes them). */
        void (*notify_message)(Unit *u, const struct ucred *ucred, char *const *tags, int *fds, size_t n_fds);
        /* The unit's cgroup became empty (no process left). */
        void (*cgroup_empty)(Unit *u);
        /* Once after the units are loaded at startup (manager_setup_runtime()): brings the unit
         * to the state it is found in; the perpetual -.slice, system.slice and init.scope come
         * up active here (unit_notify()), as systemd's coldplug does. NULL: nothing to do. */
        int (*coldplug)(Unit *u);

        /* Optional: checked by unit_start() before start(); < 0 refuses the start with that error.
         * Types with a start rate limit call unit_test_start_limit() here and enter their failed
         * state ("start-limit-hit") when it says -ECANCELED, as systemd 252's service_can_start().
         * Types without can_start get the generic check of unit_start() if 252 has a start limit
         * for them (service, socket, mount, swap, automount, path, timer). */
        int (*can_start)(Unit *u);

        /* Crash recovery (manager-store.c). serialize writes the type's runtime state (state,
         * result, PIDs, command positions, timer deadlines, counters) into the unit's record;
         * deserialize_item reads one of those lines back (0: consumed or ignored, < 0: the
         * record is unusable). After every unit and job was read back, coldplug runs with the
         * unit in its deserialized state (u->manager->recovering is set): it re-arms timers,
         * re-watches the PIDs that still run, and puts the unit's fds back (manager_take_fds()),
         * without side effects (no spawn, no kill, no job change, no unit_notify() transition). */
        void (*serialize)(Unit *u, Serializer *s);
        int (*deserialize_item)(Unit *u, const char *key, const char *value);

        /* The Exec*= commands of u running now, as pointers into its lists: the main command
         * and a control command (NULL where none). daemon-reload keeps the lists holding them
         * until they are no longer running. NULL: none ever runs. */
        void (*running_commands)(Unit *u, ExecCommand *ret[static 2]);

        /* Added by socket.c: u triggers other (other is TriggeredBy= u) and other's state just
         * changed (unit_notify() of other). NULL: not interested. */
        void (*trigger_notify)(Unit *u, Unit *other);

        bool gc_jobs;              /* jobs of this type are collected when nothing waits for them */
        bool once_only;            /* can only be started once per boot (device-like) */
        bool can_fail;             /* can be in state "failed" */
        bool can_transient, can_delegate;

        /* The status messages of jobs where the type words them differently from the generic
         * "Starting %s...", "Started %s.", "Stopped %s." … (job.c; "%s" is the unit's
         * "id - Description"). NULL entries fall back to the generic text. finished_job, if set,
         * is asked first (e.g. "Finished %s." for a oneshot service). */
        const char *status_starting, *status_stopping;
        const char *status_finished_start[_JOB_RESULT_MAX];
        const char *status_finished_stop[_JOB_RESULT_MAX];
        const char *(*status_finished_job)(Unit *u, JobType t, JobResult result);
};

extern const UnitVTable *const unit_vtable[_UNIT_TYPE_MAX];
#define UNIT_VTABLE(u) (unit_vtable[(u)->type])

/* ---- Runtime (src/core/unit-runtime.c) ------------------------------------------------------- */

/* The unit's state as the type sees it (inactive for types without a vtable state). */
UnitActiveState unit_active_state(Unit *u);
const char *unit_sub_state_to_string(Unit *u);

/* Called by job.c to run a job; semantics of UnitVTable.start, as systemd 252's unit_start():
 * -EALREADY already active, -EAGAIN maintenance, -EINVAL not loaded, -ESTALE once-only type ran,
 * -ECOMM a condition failed (the job ends "done", and job.c logs "Condition check resulted in …
 * being skipped."), -EPROTO an assert failed, -ENOLINK a BindsTo=+After= unit is not active,
 * -ECANCELED the start limit was hit, -EBADR the type cannot start, else vtable->start(). */
int unit_start(Unit *u);
int unit_stop(Unit *u);
int unit_reload(Unit *u);
bool unit_can_reload(Unit *u);
bool unit_can_start(Unit *u);
bool unit_can_isolate(Unit *u);
/* CanStop: not perpetual and the type can stop. */
bool unit_can_stop(Unit *u);
int unit_kill(Unit *u, KillWho who, int signo, BusError *error);
void unit_reset_failed(Unit *u);

/* The type reports a state change (see UnitVTable). Finishes or retries the unit's job,
 * updates timestamps and the invocation ID, triggers OnFailure=/OnSuccess=, propagates to
 * BindsTo=/PartOf=/Upholds=/StopWhenUnneeded= units, queues D-Bus change signals and GC. */
void unit_notify(Unit *u, UnitActiveState os, UnitActiveState ns, UnitNotifyFlags flags);

/* Starts the units of OnFailure= (with OnFailureJobMode=) / OnSuccess= (OnSuccessJobMode=),
 * logging a warning naming u if that fails. Called by unit_notify() and by job.c for job
 * results "timeout" and "dependency" (as systemd). */
void unit_start_on_failure(Unit *u);
void unit_start_on_success(Unit *u);

/* Watches pid as a process of u: its exit is routed to u's sigchld_event. A pid belongs to
 * one unit at a time (the last one to watch it). */
int unit_watch_pid(Unit *u, pid_t pid);
void unit_unwatch_pid(Unit *u, pid_t pid);
/* When a watched pid started (/proc/PID/stat, clock ticks), as read when it was first watched
 * while the manager keeps a state store (manager-store.h); 0 if unknown. */
uint64_t unit_watched_pid_start_time(Unit *u, pid_t pid);
/* Whether it was then a child of ours or of init (started by sysmaster-init): its end is reaped
 * by one of us and reported, so its PID cannot be reused unseen (manager-store.c). */
bool unit_watched_pid_owned(Unit *u, pid_t pid);
/* The same as known from the state store, for a PID about to be watched again. */
int manager_remember_pid_start(Manager *m, pid_t pid, uint64_t start_time, bool owned);

/* A new invocation ID (random 128 bit), set when the unit starts. */
int unit_acquire_invocation_id(Unit *u);
/* Sets the invocation ID from its 32 hex digits (crash recovery); -EINVAL if malformed. */
int unit_set_invocation_id_string(Unit *u, const char *s);

/* Queues (see Manager): gc, dbus change signal, cleanup (free). */
void unit_add_to_gc_queue(Unit *u);
void unit_add_to_dbus_queue(Unit *u);
void unit_add_to_cleanup_queue(Unit *u);
void unit_submit_to_stop_when_unneeded_queue(Unit *u);
void unit_submit_to_start_when_upheld_queue(Unit *u);
void unit_submit_to_stop_when_bound_queue(Unit *u);

/* StartLimitIntervalSec=/StartLimitBurst=: counts a start; on the limit logs "Start request
 * repeated too quickly.", runs StartLimitAction= and returns -ECANCELED, else 0. */
int unit_test_start_limit(Unit *u);
/* Whether the unit could be collected on its own (systemd 252's unit_may_gc()). */
bool unit_may_gc(Unit *u);
/* systemd 252's checks behind the stop-when-unneeded, start-when-upheld and stop-when-bound
 * queues; culprit (optional) names the unit that decided it. */
bool unit_is_unneeded(Unit *u);
bool unit_is_upheld_by_active(Unit *u, Unit **ret_culprit);
bool unit_is_bound_by_inactive(Unit *u, Unit **ret_culprit);
/* Active, activating or with a start/restart job queued. */
bool unit_active_or_pending(Unit *u);
/* Whether u has an invocation ID (all zero: none). */
bool unit_has_invocation_id(const Unit *u) _pure_;
/* The invocation ID as 32 hex digits in buf, "" if none; returns buf. */
char *unit_invocation_id_format(const Unit *u, char buf[static 33]);
/* The type's "Result" ("success", …), NULL if the type has none. */
const char *unit_result_to_string(Unit *u);

/* Internal (unit.c ↔ unit-runtime.c): forgets every watched pid of u; takes u out of every
 * runtime queue; frees what loading produced (unit_reset_to_stub() and unit_free()). */
void unit_unwatch_all_pids(Unit *u);
void unit_leave_queues(Unit *u);
void unit_reset_loaded_data(Unit *u);

/* daemon-reload (manager_reload()): drops everything loading produced (settings, dependencies,
 * names other than the id, paths, exec settings) and makes u a stub again; the runtime state
 * (the type's object beyond Unit, jobs, pids, timestamps, cgroup) is kept. */
void unit_reset_to_stub(Unit *u);

/* Logging about a unit: "UNIT: message" at the given level, as systemd's log_unit_*(). */
#define log_unit_full(u, level, error, fmt, ...) \
        log_full_errno(level, error, "%s: " fmt, (u)->id, ##__VA_ARGS__)
#define log_unit_debug(u, fmt, ...) log_unit_full(u, LOG_DEBUG, 0, fmt, ##__VA_ARGS__)
#define log_unit_info(u, fmt, ...) log_unit_full(u, LOG_INFO, 0, fmt, ##__VA_ARGS__)
#define log_unit_notice(u, fmt, ...) log_unit_full(u, LOG_NOTICE, 0, fmt, ##__VA_ARGS__)
#define log_unit_warning(u, fmt, ...) log_unit_full(u, LOG_WARNING, 0, fmt, ##__VA_ARGS__)
#define log_unit_error(u, fmt, ...) log_unit_full(u, LOG_ERR, 0, fmt, ##__VA_ARGS__)
#define log_unit_warning_errno(u, error, fmt, ...) log_unit_full(u, LOG_WARNING, error, fmt, ##__VA_ARGS__)
#define log_unit_error_errno(u, error, fmt, ...) log_unit_full(u, LOG_ERR, error, fmt, ##__VA_ARGS__)
#define log_unit_debug_errno(u, error, fmt, ...) log_unit_full(u, LOG_DEBUG, error, fmt, ##__VA_ARGS__)

const char *kill_mode_to_string(KillMode m) _const_;
KillMode kill_mode_from_string(const char *s) _pure_;
const char *kill_who_to_string(KillWho w) _const_;
KillWho kill_who_from_string(const char *s) _pure_;
const char *collect_mode_to_string(CollectMode m) _const_;
CollectMode collect_mode_from_string(const char *s) _pure_;
const char *emergency_action_to_string(EmergencyAction a) _const_;
EmergencyAction emergency_action_from_string(const char *s) _pure_;
