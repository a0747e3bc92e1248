/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysmaster-executor: the exec helper. The manager starts it with posix_spawn() (vfork
 * semantics) as "sysmaster-executor --deserialize=FD UNIT"; FD is a memfd with the encoded
 * command, ExecContext and ExecRun (exec-wire.h). Usually the manager instead keeps one helper
 * running as a spawn server ("--server=FD", executor-server.h) whose children run the requests,
 * most of them sharing its memory until their execve(): whatever such a child allocates is
 * reachable from the one Executor and freed by the server afterwards (reclaim_request()).
 * It applies the execution context in the order systemd 252's exec_child() does and then execs
 * the command in place, so its pid is the service's pid. A step that fails ends it with systemd's exit code for that step, after a
 * message naming the unit in the manager's log target ("UNIT: Failed to …: %m", then "UNIT:
 * Failed at step STEP spawning PATH: %m").
 *
 * Order: process name, signals, fds, session, terminal reset, user/group lookup, $HOME, cgroup,
 * stdin/stdout/stderr, OOM score, CPU scheduling, nice, CPU affinity, I/O priority, timer
 * slack, personality, terminal owner, *Directory=, environment, umask, keyring, resource limits, mount
 * and UTS namespaces (executor-namespace.h), groups, executable lookup, passed fds, capability bounding and
 * ambient sets, chroot, uid, working directory, SELinux, secure bits, no_new_privs, argv, seccomp
 * filters (executor-seccomp.h), exec.
 */

#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "escape.h"
#include "env-util.h"
#include "exec-caps.h"
#include "exec-command.h"
#include "executor-seccomp.h"
#include "exec-wire.h"
#include "execute.h"
#include "executor-creds.h"
#include "executor-dirs.h"
#include "executor-env.h"
#include "executor-namespace.h"
#include "executor-server.h"
#include "executor-stdio.h"
#include "gate-pass.h"
#include "exit-status.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "signal-util.h"
#include "string-util.h"
#include "strv.h"

typedef struct Executor {
        ExecContext ctx;
        ExecRun run;
        ExecCreds creds;
        char **env;
        char *executable;
        char **argv;          /* the command line as executed */
        const ExecutorServerGate *gate; /* non-NULL: we share the spawn server's memory */
        bool in_cgroup;       /* created in run.cgroup_path by the spawn server */
        dev_t journal_dev;
        ino_t journal_ino;
        bool sandboxing, setuid;
        int exit_status;
        int log_fd;           /* the manager's stderr, for our own messages */
} Executor;

/* The one Executor of this process. In a process that shares the spawn server's memory it is the
 * server's too: reclaim_request() frees it there. */
static Executor executor;
/* The server's logging setup, which a request's process changes (setup_logging()). */
static LogState server_log_state;

static _noreturn_ void executor_exit(int status) {
        executor_server_child_phase(EXECUTOR_CHILD_EXITING);
        _exit(status);
}

/* Logs "UNIT: message" and records the exit status; returns the negative errno. */
#define FAIL(e, status, r, fmt, ...)                                                          \
        ({                                                                                    \
                (e)->exit_status = (status);                                                  \
                log_error_errno((r), "%s: " fmt, (e)->run.unit_id, ##__VA_ARGS__);          \
        })

static void log_to_manager_stderr(int level, const char *message, void *userdata) {
        Executor *e = userdata;
        char buf[4096];
        int n = snprintf(buf, sizeof buf, "%s\n", message);

        (void) level;
        if (n > 0)
                (void) !write(e->log_fd, buf, (size_t) MIN(n, (int) sizeof buf - 1));
}

/* Our messages go where the manager's go; for stderr that is the manager's stderr even after
 * fd 2 became the service's (a copy of fd 2 now, unless e->log_fd is one already). */
static void setup_logging(Executor *e) {
        LogTarget t = e->run.log_target;

        if (e->run.log_level >= 0)
                log_set_max_level(e->run.log_level);
        if (t >= 0 && t < _LOG_TARGET_MAX)
                log_set_target(t);
        if (t == LOG_TARGET_STDERR || t == LOG_TARGET_AUTO || t < 0) {
                if (e->log_fd < 0)
                        e->log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3 + (int) e->run.n_fds + 8);
                if (e->log_fd >= 0)
                        log_set_sink(log_to_manager_stderr, e);
        }
}

static int read_wire(int fd, Executor *e) {
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t done = 0;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (st.st_size < 0 || st.st_size > 64 * 1024 * 1024)
                return -EBADMSG;
        buf = malloc((size_t) st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        while (done < (size_t) st.st_size) {
                ssize_t k = pread(fd, buf + done, (size_t) st.st_size - done, (off_t) done);
                if (k <= 0)
                        return k < 0 ? -errno : -EBADMSG;
                done += (size_t) k;
        }
        safe_close(fd);
        return exec_wire_decode(buf, done, &e->ctx, &e->run);
}

/* --- early steps ---------------------------------------------------------------------------- */

static void rename_process(const char *path) {
        char name[16];
        snprintf(name, sizeof name, "(%s)", path_basename(path));
        (void) prctl(PR_SET_NAME, name);
}

/* The helper starts with every disposition at its default (posix_spawn() with
 * POSIX_SPAWN_SETSIGDEF for all signals, or a child of the spawn server, which reset them all
 * when it started) except glibc's two internal signals, which posix_spawn() sets to SIG_IGN:
 * those, or the service would start with them ignored (systemd's services do not). */
static int reset_signals(Executor *e) {
        sigset_t none;

        signal_reset_libc_internal_raw();
        if (e->ctx.ignore_sigpipe)
                (void) signal(SIGPIPE, SIG_IGN);
        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
                return FAIL(e, EXIT_SIGNAL_MASK, errno, "Failed to set process signal mask: %m");
        return 0;
}

static int cmp_int(const void *a, const void *b) {
        return *(const int *) a - *(const int *) b;
}

/* Closes every fd above 2 that the run does not use. */
static int close_remaining_fds(Executor *e) {
        const ExecRun *r = &e->run;
        int keep[EXEC_FDS_MAX + 16], n = 0, last = 2;
        const int extra[] = { r->stdin_fd, r->stdout_fd, r->stderr_fd, r->socket_fd, r->named_fds[0],
                              r->named_fds[1], r->named_fds[2], r->exec_fd, r->gate_fd, e->log_fd,
                              e->gate ? e->gate->self_fd : -1, r->netns_storage[0], r->netns_storage[1] };

        if (r->n_fds > EXEC_FDS_MAX)
                return FAIL(e, EXIT_FDS, E2BIG, "Failed to close unwanted file descriptors: %m");
        for (int i = 0; i < (int) r->n_fds; i++)
                keep[n++] = 3 + i;
        for (size_t i = 0; i < ELEMENTSOF(extra); i++)
                if (extra[i] > 2)
                        keep[n++] = extra[i];
        qsort(keep, (size_t) n, sizeof keep[0], cmp_int);
        for (int i = 0; i <= n; i++) {
                int next = i < n ? keep[i] : INT_MAX;
                if (next > last + 1 &&
                    syscall(SYS_close_range, (unsigned) last + 1, (unsigned) (next == INT_MAX ? ~0U : (unsigned) next - 1), 0) < 0)
                        return FAIL(e, EXIT_FDS, errno, "Failed to close unwanted file descriptors: %m");
                last = MAX(last, next);
        }
        return 0;
}

static int setup_session_and_creds(Executor *e) {
        int r;

        if (!e->ctx.same_pgrp && setsid() < 0)
                return FAIL(e, EXIT_SETSID, errno, "Failed to create new process session: %m");
        executor_tty_reset(&e->ctx, &e->run);
        /* For NSS modules: what is being started (gone with the execve()); only when they are
         * asked something (this environment may be the spawn server's, executor-server.h). */
        if (exec_context_needs_user_lookup(&e->ctx) &&
            (setenv("SYSTEMD_ACTIVATION_UNIT", e->run.unit_id, 1) < 0 ||
             setenv("SYSTEMD_ACTIVATION_SCOPE", "system", 1) < 0))
                return FAIL(e, EXIT_MEMORY, errno, "Failed to update environment: %m");
        r = executor_get_user(&e->ctx, &e->creds);
        if (r < 0)
                return FAIL(e, EXIT_USER, r, "Failed to determine user credentials: %m");
        r = executor_get_group(&e->ctx, &e->creds);
        if (r < 0)
                return FAIL(e, EXIT_GROUP, r, "Failed to determine group credentials: %m");
        r = executor_get_supplementary_groups(&e->ctx, &e->creds);
        if (r < 0)
                return FAIL(e, EXIT_GROUP, r, "Failed to determine supplementary groups: %m");
        if (e->ctx.working_directory_home && !e->creds.home) {
                r = executor_get_home(&e->creds);
                if (r < 0)
                        return FAIL(e, EXIT_CHDIR, r, "Failed to determine $HOME for user: %m");
        }
        return 0;
}

static int join_cgroup(Executor *e) {
        _cleanup_free_ char *procs = NULL;
        _cleanup_close_ int fd = -1;

        if (!e->run.cgroup_path || e->in_cgroup)
                return 0;
        procs = path_join(e->run.cgroup_path, "cgroup.procs");
        if (!procs)
                return FAIL(e, EXIT_MEMORY, ENOMEM, "Out of memory.");
        fd = open(procs, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "0", 1) != 1)
                return FAIL(e, EXIT_CGROUP, errno, "Failed to attach to cgroup %s: %m", e->run.cgroup_path);
        return 0;
}

static int setup_stdio(Executor *e) {
        const char *ident = path_basename(e->run.path);
        int r;

        if (e->run.socket_fd >= 0)
                (void) fcntl(e->run.socket_fd, F_SETFL, fcntl(e->run.socket_fd, F_GETFL) & ~O_NONBLOCK);
        r = executor_setup_input(&e->ctx, &e->run);
        if (r < 0)
                return FAIL(e, EXIT_STDIN, r, "Failed to set up standard input: %m");
        r = executor_setup_output(&e->ctx, &e->run, STDOUT_FILENO, ident, e->creds.uid, e->creds.gid,
                                  &e->journal_dev, &e->journal_ino);
        if (r < 0)
                return FAIL(e, EXIT_STDOUT, r, "Failed to set up standard output: %m");
        r = executor_setup_output(&e->ctx, &e->run, STDERR_FILENO, ident, e->creds.uid, e->creds.gid,
                                  &e->journal_dev, &e->journal_ino);
        if (r < 0)
                return FAIL(e, EXIT_STDERR, r, "Failed to set up standard error output: %m");
        return 0;
}

/* --- process attributes ---------------------------------------------------------------------- */

static int set_oom_score_adjust(Executor *e) {
        char buf[16];
        int fd, n, r = 0;

        if (!e->ctx.oom_score_adjust_set)
                return 0;
        n = snprintf(buf, sizeof buf, "%i", e->ctx.oom_score_adjust);
        fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, buf, (size_t) n) != n)
                r = -errno;
        safe_close(fd);
        if (IN_SET(r, -EPERM, -EACCES)) {
                log_debug_errno(r, "%s: Failed to adjust OOM setting, assuming containerized execution, ignoring: %m",
                                e->run.unit_id);
                return 0;
        }
        return r < 0 ? FAIL(e, EXIT_OOM_ADJUST, r, "Failed to adjust OOM setting: %m") : 0;
}

/* setpriority(), or the closest level RLIMIT_NICE allows when we may not go that low. */
static int set_nice_closest(int nice) {
        struct rlimit rl;
        int lowest;

        if (setpriority(PRIO_PROCESS, 0, nice) >= 0)
                return 0;
        if (!IN_SET(errno, EACCES, EPERM) || getrlimit(RLIMIT_NICE, &rl) < 0)
                return -errno;
        lowest = rl.rlim_cur >= 40 ? -20 : 20 - (int) rl.rlim_cur;
        if (nice >= lowest)
                return -EPERM;
        return setpriority(PRIO_PROCESS, 0, lowest) < 0 ? -errno : 0;
}

static int set_scheduling(Executor *e) {
        const ExecContext *c = &e->ctx;
        int r;

        if (c->cpu_sched_set) {
                struct sched_param p = { .sched_priority = c->cpu_sched_priority };
                int policy = c->cpu_sched_policy | (c->cpu_sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
                if (sched_setscheduler(0, policy, &p) < 0)
                        return FAIL(e, EXIT_SETSCHEDULER, errno, "Failed to set up CPU scheduling: %m");
        }
        if (c->nice_set && (r = set_nice_closest(c->nice)) < 0)
                return FAIL(e, EXIT_NICE, r, "Failed to set up process scheduling priority (nice level): %m");
        if (c->cpu_affinity.set && sched_setaffinity(0, c->cpu_affinity.size, (cpu_set_t *) c->cpu_affinity.set) < 0)
                return FAIL(e, EXIT_CPUAFFINITY, errno, "Failed to set up CPU affinity: %m");
        if (c->ioprio_set && syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, c->ioprio) < 0)
                return FAIL(e, EXIT_IOPRIO, errno, "Failed to set up IO scheduling priority: %m");
        if (c->timer_slack_nsec != NSEC_INFINITY && prctl(PR_SET_TIMERSLACK, (unsigned long) c->timer_slack_nsec) < 0)
                return FAIL(e, EXIT_TIMERSLACK, errno, "Failed to set up timer slack: %m");
        if (c->personality != EXEC_PERSONALITY_INVALID && personality(c->personality) < 0)
                return FAIL(e, EXIT_PERSONALITY, errno, "Failed to set up execution domain (personality): %m");
        return 0;
}

static int set_rlimits(Executor *e) {
        for (int i = 0; i < EXEC_RLIMIT_MAX; i++) {
                int r;
                if (!(e->ctx.rlimit_set & (1U << i)))
                        continue;
                r = exec_rlimit_set_closest(i, &e->ctx.rlimit[i]);
                if (r < 0)
                        return FAIL(e, EXIT_LIMITS, r, "Failed to adjust resource limit RLIMIT_%s: %m",
                                    exec_rlimit_to_string(i));
        }
        return 0;
}

/* PrivateTmp=, ProtectSystem= and the other namespace settings (executor-namespace.h); under
 * RootDirectory= the paths lie below the root the process is about to chroot into. */
static int setup_mount_namespace(Executor *e) {
        const char *root = (e->run.flags & EXEC_APPLY_CHROOT) ? e->ctx.root_directory : NULL;
        char what[PATH_MAX];
        int r;

        if (!e->sandboxing)
                return 0;
        if (e->ctx.private_network && (r = executor_setup_network(&e->run)) < 0)
                return FAIL(e, EXIT_NETWORK, r, "Failed to set up network namespacing: %m");
        if (!executor_needs_namespace(&e->ctx, &e->run))
                return 0;
        r = executor_setup_namespace(&e->ctx, &e->run, root, what, sizeof what);
        if (r < 0)
                return FAIL(e, EXIT_NAMESPACE, r, "Failed to set up mount namespacing: %s: %m", what);
        return 0;
}

/* --- the late steps -------------------------------------------------------------------------- */

/* The fds to pass lose close-on-exec (and get NonBlocking= on sockets); every other fd we keep
 * gets it, so that the command sees exactly 0, 1, 2 and 3…3+n-1. */
static int prepare_fds(Executor *e) {
        const ExecRun *r = &e->run;
        const int extra[] = { r->stdin_fd, r->stdout_fd, r->stderr_fd, r->socket_fd, r->named_fds[0],
                              r->named_fds[1], r->named_fds[2], r->exec_fd, e->log_fd, r->netns_storage[0],
                              r->netns_storage[1] };

        for (size_t i = 0; i < ELEMENTSOF(extra); i++)
                if (extra[i] >= 3 + (int) r->n_fds && fcntl(extra[i], F_SETFD, FD_CLOEXEC) < 0)
                        return FAIL(e, EXIT_FDS, errno, "Failed to adjust passed file descriptors: %m");
        for (int fd = 3; fd < 3 + (int) r->n_fds; fd++) {
                int fl = fcntl(fd, F_GETFL);
                if (fl < 0 || fcntl(fd, F_SETFD, 0) < 0)
                        return FAIL(e, EXIT_FDS, errno, "Failed to adjust passed file descriptors: %m");
                if (fd < 3 + (int) r->n_socket_fds &&
                    fcntl(fd, F_SETFL, e->ctx.non_blocking ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
                        return FAIL(e, EXIT_FDS, errno, "Failed to adjust passed file descriptors: %m");
        }
        /* In socket mode the fds at 3… are only the streams' source: close them at exec. */
        if (r->n_fds == 0 && r->socket_fd >= 3)
                (void) fcntl(r->socket_fd, F_SETFD, FD_CLOEXEC);
        return 0;
}

static int find_executable(Executor *e) {
        int r = executor_find_executable(e->run.path, e->ctx.exec_search_path, &e->executable);

        if (r >= 0 || r == -ENOMEM)
                return r;
        if (e->run.command_flags & EXEC_COMMAND_IGNORE_FAILURE) {
                log_info_errno(r, "%s: Executable %s missing, skipping: %m", e->run.unit_id, e->run.path);
                e->exit_status = EXIT_SUCCESS;
                return 1;
        }
        e->exit_status = EXIT_EXEC;
        return log_info_errno(r, "%s: Failed to locate executable %s: %m", e->run.unit_id, e->run.path);
}

static int apply_capabilities(Executor *e) {
        int r;

        if (!e->sandboxing)
                return 0;
        if (e->ctx.capability_bounding_set != EXEC_CAP_ALL &&
            (r = exec_cap_bounding_set_drop(e->ctx.capability_bounding_set)) < 0)
                return FAIL(e, EXIT_CAPABILITIES, r, "Failed to drop capabilities: %m");
        r = exec_cap_ambient_set_apply(e->ctx.capability_ambient_set, true);
        if (r < 0)
                return FAIL(e, EXIT_CAPABILITIES, r, "Failed to apply ambient capabilities (before UID change): %m");
        return 0;
}

static int change_root_and_user(Executor *e) {
        int r;

        if ((e->run.flags & EXEC_APPLY_CHROOT) && e->ctx.root_directory && chroot(e->ctx.root_directory) < 0)
                return FAIL(e, EXIT_CHROOT, errno, "Chrooting to the requested root directory failed: %m");
        if (!e->setuid || e->creds.uid == UID_INVALID)
                return 0;
        r = executor_enforce_user(&e->ctx, e->creds.uid);
        if (r < 0)
                return FAIL(e, EXIT_USER, r, "Failed to change UID to %u: %m", (unsigned) e->creds.uid);
        if (e->ctx.capability_ambient_set != 0 &&
            (r = exec_cap_ambient_set_apply(e->ctx.capability_ambient_set, false)) < 0)
                return FAIL(e, EXIT_CAPABILITIES, r, "Failed to apply ambient capabilities (after UID change): %m");
        return 0;
}

static int apply_working_directory(Executor *e) {
        const char *wd = e->ctx.working_directory_home ? e->creds.home
                         : e->ctx.working_directory ? e->ctx.working_directory : "/";
        _cleanup_free_ char *d = NULL;

        if (!wd)
                return FAIL(e, EXIT_CHDIR, ENXIO, "Changing to the requested working directory failed: %m");
        if (!(e->run.flags & EXEC_APPLY_CHROOT) && e->ctx.root_directory)
                d = path_join(e->ctx.root_directory, wd);
        if (chdir(d ? d : wd) < 0 && !e->ctx.working_directory_missing_ok)
                return FAIL(e, EXIT_CHDIR, errno, "Changing to the requested working directory failed: %m");
        return 0;
}

/* SELinux without libselinux (whose start-up code costs every exec a few reads of /proc): it
 * counts as enabled, as for is_selinux_enabled(), when selinuxfs is mounted at /sys/fs/selinux
 * (or the old /selinux) and /etc/selinux/config exists. */
static bool selinux_enabled(void) {
        struct statfs sfs;

        if (statfs("/sys/fs/selinux", &sfs) < 0 || (uint32_t) sfs.f_type != SELINUX_MAGIC)
                if (statfs("/selinux", &sfs) < 0 || (uint32_t) sfs.f_type != SELINUX_MAGIC)
                        return false;
        return access("/etc/selinux/config", F_OK) >= 0;
}

/* The context for our next execve(), as setexeccon() sets it: the string with its NUL written to
 * the calling thread's attr/exec. */
static int selinux_set_exec_context(const char *context) {
        _cleanup_close_ int fd = open("/proc/thread-self/attr/exec", O_WRONLY | O_CLOEXEC);
        size_t n = strlen(context) + 1;
        ssize_t k;

        if (fd < 0)
                return -errno;
        do
                k = write(fd, context, n);
        while (k < 0 && errno == EINTR);
        if (k < 0)
                return -errno;
        return (size_t) k == n ? 0 : -EIO;
}

static int apply_security(Executor *e) {
        int r;

        if (!e->sandboxing)
                return 0;
        if (e->ctx.selinux_context && selinux_enabled() && (r = selinux_set_exec_context(e->ctx.selinux_context)) < 0) {
                if (!e->ctx.selinux_context_ignore)
                        return FAIL(e, EXIT_SELINUX_CONTEXT, r, "Failed to change SELinux context to %s: %m",
                                    e->ctx.selinux_context);
                log_debug_errno(r, "%s: Failed to change SELinux context to %s, ignoring: %m", e->run.unit_id,
                                e->ctx.selinux_context);
        }
        if (prctl(PR_GET_SECUREBITS) != e->ctx.secure_bits) {
                r = exec_cap_gain_setpcap();
                if (r < 0)
                        return FAIL(e, EXIT_CAPABILITIES, r, "Failed to gain CAP_SETPCAP for setting secure bits");
                if (prctl(PR_SET_SECUREBITS, e->ctx.secure_bits) < 0)
                        return FAIL(e, EXIT_SECUREBITS, errno, "Failed to set process secure bits: %m");
        }
        if ((e->ctx.no_new_privileges || executor_seccomp_needs_nnp(&e->ctx)) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return FAIL(e, EXIT_NO_NEW_PRIVILEGES, errno, "Failed to disable new privileges: %m");
        return 0;
}

/* Crash recovery (execute.h, gate_fd): the manager opens the gate once its state store holds
 * this process. EOF means it died before that: its successor does not know us and will run the
 * job again, so we must not run the command. */
static void wait_for_gate(Executor *e) {
        ssize_t n;
        char b;

        if (e->run.gate_fd < 0)
                return;
        (void) fcntl(e->run.gate_fd, F_SETFD, FD_CLOEXEC);
        do
                n = read(e->run.gate_fd, &b, 1);
        while (n < 0 && errno == EINTR);
        if (n <= 0) {
                log_debug("%s: The service manager went away before recording us, not executing.",
                          e->run.unit_id);
                executor_exit(EXIT_MANAGER_GONE);
        }
        e->run.gate_fd = safe_close(e->run.gate_fd);
}

/* In a process that shares the spawn server's memory: the gate is passed after the hand-over
 * (gate-pass.h), so that the server runs again now. */
static int exec_through_gate(Executor *e) {
        char target[12], level[12], log_fd[12];
        char *report[GATE_REPORT_ARGS + 1] = {
                (char *) "sysmaster-executor", (char *) GATE_REPORT_VERB, target, level, log_fd,
                e->run.unit_id, e->run.path, e->executable, (char *) GATE_ERRNO_PLACEHOLDER, NULL,
        };
        GatePass pass = {
                .gate_fd = e->run.gate_fd, .exec_fd = e->run.exec_fd, .report_fd = e->gate->self_fd,
                .log_fd = e->log_fd, .path = e->executable, .argv = e->argv, .envp = e->env,
                .report_argv = report,
        };

        snprintf(target, sizeof target, "%i", (int) e->run.log_target);
        snprintf(level, sizeof level, "%i", e->run.log_level);
        snprintf(log_fd, sizeof log_fd, "%i", e->log_fd);
        return FAIL(e, EXIT_MEMORY, -executor_server_pass_gate(&pass), "Failed to pass the start's gate: %m");
}

static int exec_command(Executor *e) {
        uint8_t hot = 1;
        int filtered, r = 0;

        executor_unset_environment(e->env, e->ctx.unset_environment);
        if (!(e->run.command_flags & EXEC_COMMAND_NO_ENV_EXPAND)) {
                if (replace_env_argv(e->run.argv, e->env, &e->argv) < 0)
                        return FAIL(e, EXIT_MEMORY, ENOMEM, "Out of memory.");
        } else if (!(e->argv = strv_copy(e->run.argv)))
                return FAIL(e, EXIT_MEMORY, ENOMEM, "Out of memory.");
        if (log_get_max_level() >= LOG_DEBUG) {
                _cleanup_free_ char *line = quote_command_line(e->argv, SHELL_ESCAPE_EMPTY);
                log_debug("%s: Executing: %s", e->run.unit_id, strna(line));
        }
        if (e->gate && e->run.gate_fd >= 0)
                return exec_through_gate(e);
        wait_for_gate(e);
        if (e->run.exec_fd >= 0 && write(e->run.exec_fd, &hot, 1) < 0)
                return FAIL(e, EXIT_EXEC, errno, "Failed to enable exec_fd: %m");
        /* last: our own calls before it are not filtered (never in a process sharing the
         * server's memory: exec_context_spawn_may_share_memory()) */
        filtered = e->sandboxing ? executor_apply_seccomp(&e->ctx) : 0;
        if (filtered >= 0) {
                executor_server_child_phase(EXECUTOR_CHILD_EXECUTING);
                execve(e->executable, e->argv, e->env);
                r = -errno;
                executor_server_child_phase(EXECUTOR_CHILD_RUNNING);
        }
        hot = 0;
        if (e->run.exec_fd >= 0 && write(e->run.exec_fd, &hot, 1) < 0)
                return FAIL(e, EXIT_EXEC, errno, "Failed to disable exec_fd: %m");
        if (filtered < 0)
                return FAIL(e, EXIT_SECCOMP, filtered, "Failed to apply system call filters: %m");
        return FAIL(e, EXIT_EXEC, r, "Failed to execute %s: %m", e->executable);
}

static int run_steps(Executor *e) {
        static const int directory_exit_status[_EXEC_DIRECTORY_TYPE_MAX] = {
                EXIT_RUNTIME_DIRECTORY, EXIT_STATE_DIRECTORY, EXIT_CACHE_DIRECTORY, EXIT_LOGS_DIRECTORY,
                EXIT_CONFIGURATION_DIRECTORY,
        };
        const ExecContext *c = &e->ctx;
        ExecDirectoryType type = EXEC_DIRECTORY_RUNTIME;
        int r;

        rename_process(e->run.path);
        if ((r = reset_signals(e)) < 0 || (r = close_remaining_fds(e)) < 0 ||
            (r = setup_session_and_creds(e)) < 0 || (r = join_cgroup(e)) < 0 || (r = setup_stdio(e)) < 0 ||
            (r = set_oom_score_adjust(e)) < 0 || (r = set_scheduling(e)) < 0)
                return r;
        if (e->creds.uid != UID_INVALID && (r = executor_chown_terminal(STDIN_FILENO, e->creds.uid)) < 0)
                return FAIL(e, EXIT_STDIN, r, "Failed to change ownership of terminal: %m");
        r = executor_setup_directories(c, &e->run, e->creds.uid, e->creds.gid, &type);
        if (r < 0)
                return FAIL(e, directory_exit_status[type], r, "Failed to set up special execution directory in %s: %m",
                            e->run.prefix[type]);
        r = executor_build_environment(c, &e->run, &e->creds, e->journal_dev, e->journal_ino, &e->env);
        if (r < 0)
                return FAIL(e, EXIT_MEMORY, r, "Out of memory.");
        (void) umask(c->umask);
        r = executor_setup_keyring(c, &e->creds, e->run.invocation_id);
        if (r < 0)
                return FAIL(e, EXIT_KEYRING, r, "Failed to set up kernel keyring: %m");
        e->sandboxing = (e->run.flags & EXEC_APPLY_SANDBOXING) &&
                        !(e->run.command_flags & EXEC_COMMAND_FULLY_PRIVILEGED);
        e->setuid = (e->run.flags & EXEC_APPLY_SANDBOXING) &&
                    !(e->run.command_flags & (EXEC_COMMAND_FULLY_PRIVILEGED | EXEC_COMMAND_NO_SETUID));
        if ((e->sandboxing && (r = set_rlimits(e)) < 0) || (r = setup_mount_namespace(e)) < 0)
                return r;
        if (e->setuid && (r = executor_enforce_groups(&e->creds)) < 0)
                return FAIL(e, EXIT_GROUP, r, "Changing group credentials failed: %m");
        r = find_executable(e);
        if (r != 0)
                return r;
        if ((r = prepare_fds(e)) < 0 || (r = apply_capabilities(e)) < 0 || (r = change_root_and_user(e)) < 0 ||
            (r = apply_working_directory(e)) < 0 || (r = apply_security(e)) < 0)
                return r;
        return exec_command(e);
}

/* Ends the process after the steps returned r (the last, exec_command(), only on failure). */
static _noreturn_ void finish_request(Executor *e, int r) {
        if (r < 0)
                log_error_errno(r, "%s: Failed at step %s spawning %s: %m", e->run.unit_id,
                                strna(exit_status_to_string(e->exit_status, EXIT_STATUS_LIBC | EXIT_STATUS_SYSTEMD)),
                                e->run.path);
        /* No exit(): nothing of ours needs flushing, and leak checkers have no business here. */
        executor_exit(e->exit_status);
}

/* Runs the request in the memfd wire_fd (unit_id only names it when that fails). */
static _noreturn_ void run_request(int wire_fd, const char *unit_id, const ExecutorServerGate *gate, bool in_cgroup) {
        Executor *e = &executor;
        int r;

        *e = (Executor) {
                .creds = { .uid = UID_INVALID, .gid = GID_INVALID },
                .exit_status = EXIT_SUCCESS,
                .log_fd = -1,
                .gate = gate,
                .in_cgroup = in_cgroup,
        };
        r = read_wire(wire_fd, e);
        if (r < 0 || !e->run.unit_id || !e->run.path || strv_isempty(e->run.argv)) {
                log_error_errno(r < 0 ? r : -EBADMSG, "%s: Failed to read the execution request: %m",
                                unit_id ? unit_id : "sysmaster-executor");
                executor_exit(EXIT_FDS);
        }
        setup_logging(e);
        finish_request(e, run_steps(e));
}

/* In the spawn server, after a request's process that shared its memory exec'd or exited. */
static void reclaim_request(void) {
        Executor *e = &executor;

        exec_context_done(&e->ctx);
        exec_run_done(&e->run);
        exec_creds_done(&e->creds);
        strv_free(e->env);
        free(e->executable);
        strv_free(e->argv);
        *e = (Executor) { .log_fd = -1 };
        log_state_restore(&server_log_state);
}

_Static_assert(GATE_EXIT_MANAGER_GONE == EXIT_MANAGER_GONE && GATE_EXIT_EXEC == EXIT_EXEC,
               "gate-pass.h and the exit statuses disagree");

/* "sysmaster-executor --exec-failed TARGET LEVEL LOG_FD UNIT PATH EXECUTABLE ERRNO": run by
 * gate_pass() when the command's execve(), or the write to exec_fd before it, failed
 * (gate-pass.h); logs what this helper would have, in the service's process and
 * environment. */
static _noreturn_ void report_exec_failure(char *argv[]) {
        Executor e = {
                .run = { .log_target = -1, .log_level = -1, .unit_id = argv[5], .path = argv[6] },
                .log_fd = -1,
        };
        const char *errno_arg = argv[8];
        bool exec_fd_step = errno_arg[0] == GATE_STEP_EXEC_FD;
        int target, error;

        if (safe_atoi(argv[2], &target) >= 0)
                e.run.log_target = target;
        (void) safe_atoi(argv[3], &e.run.log_level);
        if (safe_atoi(argv[4], &e.log_fd) >= 0 && e.log_fd >= 0)
                (void) fcntl(e.log_fd, F_SETFD, FD_CLOEXEC);
        setup_logging(&e);
        if (safe_atoi(errno_arg + exec_fd_step, &error) < 0 || error <= 0)
                error = EIO;
        if (exec_fd_step)
                finish_request(&e, FAIL(&e, EXIT_EXEC, error, "Failed to enable exec_fd: %m"));
        finish_request(&e, FAIL(&e, EXIT_EXEC, error, "Failed to execute %s: %m", argv[7]));
}

int main(int argc, char *argv[]) {
        static const ExecutorServerChild server_child = { .run = run_request, .reclaim = reclaim_request };
        const char *arg = argc > 1 ? startswith(argv[1], "--deserialize=") : NULL;
        const char *server = argc > 1 ? startswith(argv[1], "--server=") : NULL;
        int fd;

        /* before the environment (the service's) could change our logging */
        if (argc == GATE_REPORT_ARGS && streq(argv[1], GATE_REPORT_VERB))
                report_exec_failure(argv);
        log_parse_environment();
        /* The spawn server (executor-server.h): every request is run in a new process. */
        if (server && safe_atoi(server, &fd) >= 0 && fd >= 3) {
                log_state_save(&server_log_state);
                _exit(executor_server_run(fd, &server_child) < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
        }
        if (!arg || safe_atoi(arg, &fd) < 0 || fd < 3) {
                log_error("This program is the service manager's exec helper; it is not run by hand.");
                return EXIT_FAILURE;
        }
        run_request(fd, argc > 2 ? argv[2] : NULL, NULL, false);
}
