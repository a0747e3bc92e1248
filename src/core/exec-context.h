/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exec-context.h: the execution context of a unit (systemd.exec(5)): every setting that says how
 * a process of the unit is set up, resolved from the unit's settings into values ready to apply
 * (specifiers expanded, names looked up in tables, limits and capability sets computed). User
 * and group names stay names: they are looked up by the exec helper, never by the manager.
 *
 * The manager builds one ExecContext per unit after loading (exec_context_from_unit()) and hands
 * it to exec_spawn() for every process it starts; the exec helper receives a copy through the
 * wire format (exec-wire.h). An ExecContext owns all its strings.
 */

#include <sys/resource.h>
#include <sys/types.h>

#include "exec-proc.h"
#include "exec-rlimit.h"
#include "time-base.h"
#include "unit.h"

/* StandardInputText=/StandardInputData= may add up to this many bytes. */
#define EXEC_STDIN_DATA_MAX (64U * 1024U * 1024U)

typedef struct ExecContext {
        /* Environment */
        char **environment;        /* Environment=: NAME=VALUE, later wins */
        char **environment_files;  /* EnvironmentFile=: absolute globs, "-" prefix = optional */
        char **pass_environment;   /* PassEnvironment=: names */
        char **unset_environment;  /* UnsetEnvironment=: NAME or NAME=VALUE */

        /* Credentials (looked up by the exec helper) */
        char *user, *group;        /* NULL: keep the manager's */
        char **supplementary_groups;

        /* Paths */
        char **exec_search_path;   /* ExecSearchPath=: NULL = the default PATH */
        char *working_directory;   /* NULL: "/" (or the root directory) */
        char *root_directory;
        mode_t umask;
        bool working_directory_missing_ok, working_directory_home;

        /* Process attributes; the *_set flags say whether to touch them at all */
        bool nice_set, oom_score_adjust_set, ioprio_set, cpu_sched_set, cpu_sched_reset_on_fork;
        int nice;
        int oom_score_adjust;
        int ioprio;                /* kernel encoding, see exec-proc.h */
        int cpu_sched_policy, cpu_sched_priority;
        ExecCpuSet cpu_affinity;   /* empty: leave alone */
        /* EXEC_RLIMIT_MAX entries or NULL. Units without Limit*= of their own share the
         * manager's array of defaults (not owned: 256 bytes less per unit); the first limit
         * set gives the context a copy of its own (rlimit_owned). */
        struct rlimit *rlimit;
        size_t rlimit_size;        /* bytes at rlimit: 0 or EXEC_RLIMIT_MAX entries */
        uint32_t rlimit_set;       /* bit N: rlimit[N] is set */
        bool rlimit_owned;
        bool ignore_sigpipe, non_blocking, same_pgrp;
        nsec_t timer_slack_nsec;   /* NSEC_INFINITY: leave alone */
        unsigned long personality; /* PERSONALITY_INVALID: leave alone */

        /* Standard input/output */
        ExecInput std_input;
        ExecOutput std_output, std_error;
        int syslog_priority;       /* SyslogFacility= | SyslogLevel= */
        char *stdio_file[3];       /* file:/append:/truncate: paths per fd */
        char *stdio_fdname[3];     /* fd:NAME (NULL: "stdin"/"stdout"/"stderr") */
        void *stdin_data;          /* StandardInputText=/StandardInputData= */
        size_t stdin_data_size;
        char *tty_path;            /* NULL: /dev/console */
        char *syslog_identifier;   /* for the journal stream; NULL: the executable's name */
        char *log_namespace;
        bool tty_reset, tty_vhangup;
        bool syslog_level_prefix;

        /* Security */
        bool no_new_privileges;
        bool selinux_context_ignore;
        int secure_bits;
        ExecKeyringMode keyring_mode;
        uint64_t capability_bounding_set; /* EXEC_CAP_ALL: leave alone */
        uint64_t capability_ambient_set;
        char *selinux_context;     /* SELinuxContext= without the "-" */

        /* RuntimeDirectory=, StateDirectory=, CacheDirectory=, LogsDirectory=,
         * ConfigurationDirectory=: paths relative to the manager's prefix for each type, and
         * their *DirectoryMode= */
        char **directories[_EXEC_DIRECTORY_TYPE_MAX];
        mode_t directory_modes[_EXEC_DIRECTORY_TYPE_MAX];

        /* Mount namespace and the other namespaces (executor-namespace.h applies them) */
        bool private_tmp;
        bool private_devices, private_mounts, protect_kernel_tunables, protect_kernel_modules,
             protect_kernel_logs, protect_control_groups, protect_hostname, mount_apivfs,
             private_network;
        int protect_system;        /* ExecProtectSystem */
        int protect_home;          /* ExecProtectHome */
        int protect_proc;          /* ExecProtectProc */
        bool proc_subset_pid;      /* ProcSubset=pid */
        unsigned long mount_propagation; /* MountFlags=: MS_SHARED (unset), MS_SLAVE, MS_PRIVATE */
        /* ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=: absolute paths, each with its
         * "-" (ignore if missing) and "+" (below RootDirectory=) prefixes as written */
        char **read_write_paths, **read_only_paths, **inaccessible_paths;
        /* BindPaths=, BindReadOnlyPaths=: triplets of flags ("-" source may be missing, "r"
         * read-only, "R" recursive), source, destination */
        char **bind_mounts;
        /* TemporaryFileSystem=: pairs of path and mount options ("" for the default) */
        char **temporary_filesystems;

        /* Seccomp (exec-syscall-filter.h): SystemCallFilter= as sorted "name" / "name:ERRNO"
         * entries, an allow-list or a deny-list; SystemCallErrorNumber= (EXEC_SYSCALL_ERRNO_KILL
         * by default); SystemCallArchitectures= names, sorted */
        char **syscall_filter;
        bool syscall_allow_list;
        int syscall_errno;
        char **syscall_archs;
        /* MemoryDenyWriteExecute=, RestrictRealtime=, RestrictSUIDSGID=, LockPersonality=:
         * seccomp filters too (executor-seccomp.c) */
        bool memory_deny_write_execute, restrict_realtime, restrict_suid_sgid, lock_personality;
} ExecContext;

typedef enum ExecProtectSystem {
        EXEC_PROTECT_SYSTEM_NO,
        EXEC_PROTECT_SYSTEM_YES,
        EXEC_PROTECT_SYSTEM_FULL,
        EXEC_PROTECT_SYSTEM_STRICT,
        _EXEC_PROTECT_SYSTEM_MAX,
} ExecProtectSystem;

typedef enum ExecProtectHome {
        EXEC_PROTECT_HOME_NO,
        EXEC_PROTECT_HOME_YES,
        EXEC_PROTECT_HOME_READ_ONLY,
        EXEC_PROTECT_HOME_TMPFS,
        _EXEC_PROTECT_HOME_MAX,
} ExecProtectHome;

typedef enum ExecProtectProc {
        EXEC_PROTECT_PROC_DEFAULT,
        EXEC_PROTECT_PROC_NOACCESS,
        EXEC_PROTECT_PROC_INVISIBLE,
        EXEC_PROTECT_PROC_PTRACEABLE,
        _EXEC_PROTECT_PROC_MAX,
} ExecProtectProc;

/* "no", "yes", "full", "strict" / "no", "yes", "read-only", "tmpfs" / "default", "noaccess",
 * "invisible", "ptraceable" (as systemctl show prints them, and procfs' hidepid= takes the last
 * three); NULL out of range, -EINVAL for an unknown name. */
const char *exec_protect_system_to_string(ExecProtectSystem v) _const_;
ExecProtectSystem exec_protect_system_from_string(const char *s) _pure_;
const char *exec_protect_home_to_string(ExecProtectHome v) _const_;
ExecProtectHome exec_protect_home_from_string(const char *s) _pure_;
const char *exec_protect_proc_to_string(ExecProtectProc v) _const_;
ExecProtectProc exec_protect_proc_from_string(const char *s) _pure_;
/* MountAPIVFS=, or implied by ProtectKernelTunables= or ProtectControlGroups= (systemd 252). */
bool exec_context_mount_apivfs(const ExecContext *c) _pure_;
/* Whether the process needs a mount namespace of its own (PrivateTmp= with its directories
 * aside, which the caller knows). */
bool exec_context_needs_mount_namespace(const ExecContext *c) _pure_;

#define EXEC_PERSONALITY_INVALID 0xffffffffUL

/* Defaults as systemd's exec_context_init() (umask 0022, ioprio best-effort/4, SIGPIPE ignored,
 * all capabilities bounded, stdin null, stdout/stderr inherit, keyring inherit). */
void exec_context_init(ExecContext *c);
/* Frees everything c owns and leaves it initialised. NULL-safe. */
void exec_context_done(ExecContext *c);

/* Whether the context asks for a terminal (stdin/stdout/stderr on a tty, or TTYPath= set). */
bool exec_context_needs_term(const ExecContext *c) _pure_;
/* Whether a User=/Group= value names root ("root" or "0", known without NSS). */
bool exec_name_is_root(const char *name) _pure_;
/* Whether o writes to a file (file:, append:, truncate:). */
bool exec_output_is_file(ExecOutput o) _const_;
/* Whether the exec helper has to ask NSS about User=, Group= or SupplementaryGroups= (anything
 * but root, by name or number). */
bool exec_context_needs_user_lookup(const ExecContext *c) _pure_;
/* Whether the exec helper may run this context in a process that shares the spawn server's
 * memory until its execve() (executor-server.h): no NSS lookup (its modules would stay loaded,
 * with fds of the new process, in the server), no step that can block for long (a terminal, a
 * file: that may be a FIFO, the mounts of the sandboxing settings, which may wait for an
 * automount or a network file system, or for another process of the unit's network namespace),
 * which would hold up every other start, and no SELinuxContext= (libselinux's own state, set up
 * on first use, would stay behind in the server), nor seccomp filters (libseccomp builds them on
 * the heap). PrivateTmp= alone may share it. */
/* Whether seccomp filters are loaded before the command's execve(): SystemCallFilter=,
 * SystemCallArchitectures=, or the filters PrivateDevices= (@raw-io), ProtectKernelTunables=
 * (_sysctl), ProtectKernelModules= (@module), ProtectKernelLogs= (syslog) and ProtectHostname=
 * (sethostname, setdomainname) imply. */
bool exec_context_has_seccomp(const ExecContext *c) _pure_;
bool exec_context_spawn_may_share_memory(const ExecContext *c) _pure_;
/* The terminal that tty settings refer to: TTYPath= or /dev/console. */
const char *exec_context_tty_path(const ExecContext *c) _pure_;
/* The fd name fd:… of stdin/stdout/stderr (with systemd's defaults), or NULL if that stream is
 * not fd:. */
const char *exec_context_fdname(const ExecContext *c, int fd) _pure_;
/* Sets resource's limit unless the unit set one (the manager's DefaultLimit*=). */
/* Sets a limit of c's own (c gets an array of its own first). -ENOMEM, -EINVAL. */
int exec_context_set_rlimit(ExecContext *c, int resource, const struct rlimit *rl);
/* Gives c the defaults (EXEC_RLIMIT_MAX entries, bits in set) for what it does not set itself:
 * c shares the array if it sets nothing, else they are copied into its own. */
void exec_context_default_rlimits(ExecContext *c, struct rlimit *defaults, uint32_t set);

/* Builds *ret (initialised here; the caller calls exec_context_done()) from u's execution
 * settings as they were loaded: u->exec for what loading interprets, the settings store for the
 * rest, specifiers expanded where systemd expands them. A bad value is logged as a warning naming
 * the unit and the setting and ignored, as systemd does at load time; the settings that are not
 * implemented yet get one warning each. Returns 0; -ENOEXEC after logging an error for a value
 * that makes systemd refuse the unit (an invalid User=, Group= or SupplementaryGroups= name);
 * -EOPNOTSUPP after logging an error for DynamicUser=yes and PAMName=, which are not supported
 * yet; -ENOMEM. */
int exec_context_from_unit(Unit *u, ExecContext *ret);

/* The field of c that the boolean setting key (e.g. "LockPersonality") is loaded into, or NULL
 * when loading keeps no field for key: what D-Bus shows is what loading kept (a bad value after
 * a good one leaves the good one). */
const bool *exec_context_bool_field(const ExecContext *c, const char *key);
