/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * execute.h: starting a process of a unit. The manager never forks itself: exec_spawn() has the
 * spawn server (a long-running exec helper, see below) fork a helper, or starts the small exec
 * helper (sysmaster-executor) with posix_spawn(), i.e. clone(CLONE_VM | CLONE_VFORK); neither
 * cost grows with the manager's size. It hands the helper the command, the unit's ExecContext
 * and the per-run ExecParameters through a memfd. The helper applies the
 * context in systemd's order and execs the command in place, so the pid exec_spawn() returns is
 * the service's pid. When a step fails before execve(), the helper logs what failed (naming the
 * unit, as systemd does) and exits with systemd's code for that step (EXIT_CHDIR, EXIT_EXEC,
 * EXIT_USER, … from exit-status.h); the caller sees that through the pid's exit status.
 *
 * exec_spawn() does the synchronous part systemd does in the manager as well: it reads the
 * EnvironmentFile= files, resolves PassEnvironment= and picks the fds. User and group lookups,
 * the cgroup join, chdir, limits and everything else happen in the helper.
 */

#include <stdbool.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "exec-command.h"
#include "exec-context.h"
#include "time-base.h"

/* The search path for a command given as a plain file name, and $PATH when the manager passes no
 * environment: systemd 252 as Debian builds it (split /usr). */
#define EXEC_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

typedef enum ExecFlags {
        /* Apply User=/Group=, limits, capabilities, secure bits, NoNewPrivileges=, SELinux
         * context and the mount namespace (the caller clears it for control processes of a unit
         * with PermissionsStartOnly=; the command's "+" prefix clears it per command). */
        EXEC_APPLY_SANDBOXING = 1 << 0,
        /* Apply RootDirectory= (cleared for control processes with RootDirectoryStartOnly=). */
        EXEC_APPLY_CHROOT = 1 << 1,
        /* Honour StandardInput=tty* (only the main process of a service gets the terminal). */
        EXEC_APPLY_TTY_STDIN = 1 << 2,
        /* Pass the unit name to the journal in the stream header. */
        EXEC_PASS_LOG_UNIT = 1 << 3,
        /* Set $WATCHDOG_PID and $WATCHDOG_USEC (when watchdog_usec > 0). */
        EXEC_SET_WATCHDOG = 1 << 4,
        /* A control process (ExecStartPre=, ExecReload=, ExecStop=, …): informational. */
        EXEC_IS_CONTROL = 1 << 5,
        /* Started by the system instance: where systemd checks "my parent is PID 1" (stdout
         * "inherit" with nothing to inherit from means /dev/null; $TERM for /dev/console is
         * inherited from the manager), the helper behaves as under systemd's PID 1. */
        EXEC_SYSTEM_MANAGER = 1 << 6,
} ExecFlags;

typedef struct ExecParameters {
        const char *unit_id;         /* required */
        char invocation_id[33];      /* 32 lower-case hex digits ($INVOCATION_ID), "" if none */
        ExecFlags flags;

        /* The manager's environment block for units (DefaultEnvironment=, …). NULL means
         * "PATH=" EXEC_DEFAULT_PATH only. */
        char **environment;
        /* Per-run variables, in this order after the block above: */
        const char *notify_socket;   /* $NOTIFY_SOCKET, if non-NULL */
        pid_t main_pid;              /* $MAINPID, if > 0 */
        const char *service_result;  /* $SERVICE_RESULT (ExecStop=, ExecStopPost=), if non-NULL */
        int exit_code;               /* $EXIT_CODE: CLD_EXITED/CLD_KILLED/CLD_DUMPED; 0: none */
        int exit_status;             /* $EXIT_STATUS: exit status or signal number */
        char **extra_environment;    /* anything else (PIDFILE=, REMOTE_ADDR=, …), NAME=VALUE */

        /* Socket activation and the fd store (at most EXEC_FDS_MAX, exec-wire.h): passed as
         * fds 3… with $LISTEN_FDS, $LISTEN_PID and $LISTEN_FDNAMES (fd_names has
         * n_socket_fds + n_storage_fds entries), unless the
         * context's stdin/stdout/stderr is "socket": then exactly one socket fd is expected and
         * it becomes the standard stream instead. StandardInput/Output/Error=fd:NAME pick their
         * fd from these by name. The fds stay owned by the caller. */
        int *fds;
        char **fd_names;
        size_t n_socket_fds, n_storage_fds;

        /* Standard streams chosen by the caller (a connection, a terminal), -1 for the
         * context's choice. */
        int stdin_fd, stdout_fd, stderr_fd;
        /* Written to (one byte, 1) right before execve(); the caller sees it closed once the
         * execve() succeeded (Type=exec). -1: none. */
        int exec_fd;
        /* Crash recovery: the helper waits for one byte on this fd (the read end of a pipe
         * whose write end the caller keeps) right before execve(); at EOF, i.e. the manager
         * died before it recorded the new process in its state store, it exits with
         * EXIT_MANAGER_GONE without running the command. -1: no gate. */
        int gate_fd;

        /* The cgroup directory the process joins before anything of the unit runs (absolute
         * path in the cgroup2 file system, e.g. /sys/fs/cgroup/system.slice/foo.service). NULL:
         * stay in the manager's cgroup. */
        const char *cgroup_path;
        usec_t watchdog_usec;

        /* Where RuntimeDirectory=, StateDirectory=, CacheDirectory=, LogsDirectory= and
         * ConfigurationDirectory= live (indexed by ExecDirectoryType; the system instance's are
         * EXEC_DIRECTORY_PREFIXES_SYSTEM). A type without prefix is not set up. */
        const char *prefix[_EXEC_DIRECTORY_TYPE_MAX];

        /* PrivateTmp=: directories created by the caller that become /tmp and /var/tmp in the
         * process's mount namespace (see exec_private_tmp_create()). */
        const char *tmp_dir, *var_tmp_dir;

        /* PrivateNetwork=: a socket pair (exec_netns_storage_new()) that holds the unit's
         * network namespace, so that all its processes share one: the first one makes it and
         * stores it. -1, -1: each process gets a namespace of its own. */
        int netns_storage[2];
} ExecParameters;

/* The exit status of a helper whose gate closed (ExecParameters.gate_fd): the command never ran.
 * Outside systemd's range of codes. */
#define EXIT_MANAGER_GONE 250

/* Whether a helper's exit says its command never ran (its gate closed, see gate_fd): the
 * unit type runs the command again in its place (crash recovery). */
static inline bool exec_exit_never_ran(int code, int status) {
        return code == CLD_EXITED && status == EXIT_MANAGER_GONE;
}

#define EXEC_PARAMETERS_INIT \
        { .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1, .exec_fd = -1, .gate_fd = -1, .netns_storage = { -1, -1 } }

#define EXEC_DIRECTORY_PREFIXES_SYSTEM { "/run", "/var/lib", "/var/cache", "/var/log", "/etc" }

/* The helper binary: $SYSMASTER_EXECUTOR if set (tests run from the build tree), else
 * PKGLIBEXECDIR/sysmaster-executor. Static string or the environment's. */
const char *exec_executor_path(void);

/* The spawn server (executor-server.h): exec_spawn() starts one helper as a server on first use
 * (again after it died) and has it fork the helper of every spawn, with clone(CLONE_PARENT) so
 * that the caller stays the parent. Without it ($SYSMASTER_SPAWN_SERVER=0, or it cannot be
 * started or reached, or it has not announced itself yet) exec_spawn() starts each helper with
 * posix_spawn(), as before. A server that took a request but does not answer within 5 s
 * (stopped, hung) is replaced, and that spawn fails:
 * it may have forked the helper, which must not get a twin (the caller closes the helper's
 * gate unopened, manager_spawn_gate_done(), so it exits without running anything). */

/* Whether pid, an exited child the caller is about to reap, is the spawn server: then it is
 * forgotten (a new one is started on next use) and belongs to no unit. */
bool exec_spawn_server_reaped(pid_t pid);
/* Kills and reaps the spawn server, if there is one (before the manager reaps everything). */
void exec_spawn_server_stop(void);
/* Starts the server ahead of the first spawn (it needs a moment to announce itself). */
void exec_spawn_server_prepare(void);
/* The spawn server's pid, 0 if none runs. */
pid_t exec_spawn_server_pid(void);

/* Starts command c of a unit with context ctx and parameters p. On success *ret_pid is the pid
 * of the process that becomes the command, and 0 is returned; what the helper does afterwards
 * is reported through that pid's exit status. Failures that happen here are logged with the unit
 * name and returned as a negative errno: -EINVAL for a socket stream without exactly one socket
 * fd, -ENOENT for an fd:NAME that is not among p->fds ("Failed to load a named file
 * descriptor"), the error of a missing EnvironmentFile= ("Failed to load environment files"),
 * or the error of posix_spawn() for the helper. Nothing of the caller's is closed or changed. */
int exec_spawn(const ExecCommand *c, const ExecContext *ctx, const ExecParameters *p, pid_t *ret_pid);

/* PrivateTmp=: creates /tmp/systemd-private-<boot id>-<unit>-XXXXXX/tmp and the same under
 * /var/tmp (modes 0700 and 01777 as systemd), returning the two inner directories (owned).
 * 0 or -errno (logged by the caller). */
int exec_private_tmp_create(const char *unit_id, char **ret_tmp, char **ret_var_tmp);
/* RuntimeDirectory=: removes runtime_prefix/DIR (recursively, staying on its file system) for
 * every runtime directory of c, as the manager does when the unit stops (unless
 * RuntimeDirectoryPreserve=). 0 or the first -errno. */
int exec_context_remove_runtime_directories(const ExecContext *c, const char *runtime_prefix);
/* Removes what exec_private_tmp_create() made (both paths may be NULL). 0 or the first -errno. */
int exec_private_tmp_remove(const char *tmp, const char *var_tmp);
/* PrivateNetwork=: a new, empty store for a unit's network namespace (ExecParameters). 0 or
 * -errno. */
int exec_netns_storage_new(int ret[2]);
