/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * execute.c: exec_spawn() (see execute.h): the manager's part of starting a process. It
 * prepares everything that must come from the manager (environment files, passed-through
 * variables, fd choice), encodes it for the exec helper, lines the fds up in the layout the
 * helper expects and has the spawn server fork a helper for it, or starts one with
 * posix_spawn() when there is no server.
 */

#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env-util.h"
#include "escape.h"
#include "exec-wire.h"
#include "execute.h"
#include "executor/executor-server.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "signal-util.h"
#include "string-util.h"
#include "strv.h"

extern char **environ;

const char *exec_executor_path(void) {
        const char *e = getenv("SYSMASTER_EXECUTOR");
        return !isempty(e) ? e : PKGLIBEXECDIR "/sysmaster-executor";
}

/* --- environment --------------------------------------------------------------------------- */

static void invalid_env(const char *entry, void *userdata) {
        const char *const *info = userdata; /* unit id, file */
        log_error("%s: Ignoring invalid environment assignment '%s': %s", info[0], entry, info[1]);
}

/* Loads one EnvironmentFile= pattern into *env. Returns 0 or the error that makes the spawn
 * fail (a missing file without "-"). */
static int load_env_pattern(const char *unit_id, const char *pattern, char ***env) {
        bool ignore = pattern[0] == '-';
        const char *fn = pattern + ignore;
        glob_t g = {};
        int r = 0;

        if (!path_is_absolute(fn))
                return ignore ? 0 : -EINVAL;
        r = glob(fn, GLOB_NOSORT | GLOB_BRACE, NULL, &g);
        if (r != 0) {
                globfree(&g);
                return ignore ? 0 : r == GLOB_NOMATCH ? -ENOENT : r == GLOB_NOSPACE ? -ENOMEM : -EIO;
        }
        r = 0;
        for (size_t i = 0; i < g.gl_pathc; i++) {
                _cleanup_strv_free_ char **l = NULL;
                const char *info[2] = { unit_id, g.gl_pathv[i] };
                int k = load_env_file(NULL, g.gl_pathv[i], &l);

                if (k < 0) {
                        if (ignore)
                                continue;
                        r = k;
                        break;
                }
                strv_env_clean_with_callback(l, invalid_env, info);
                if (strv_env_merge(env, l) < 0) {
                        r = -ENOMEM;
                        break;
                }
        }
        globfree(&g);
        return r;
}

static int load_environment_files(const char *unit_id, char **files, char ***ret) {
        _cleanup_strv_free_ char **env = NULL;

        STRV_FOREACH(f, files) {
                int r = load_env_pattern(unit_id, *f, &env);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(env);
        return 0;
}

/* PassEnvironment=: the manager's own variables, NAME=VALUE. */
static int pass_environment(char **names, char ***ret) {
        _cleanup_strv_free_ char **env = NULL;

        STRV_FOREACH(n, names) {
                const char *v = getenv(*n);
                if (v && strv_consume(&env, strjoin(*n, "=", v)) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(env);
        return 0;
}

static int env_add(char ***env, const char *fmt, ...) _printf_(2, 3);
static int env_add(char ***env, const char *fmt, ...) {
        char *s = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return strv_env_replace_consume(env, s) < 0 ? -ENOMEM : 0;
}

static const char *exit_code_name(int code) {
        return code == CLD_EXITED ? "exited" : code == CLD_KILLED ? "killed" : code == CLD_DUMPED ? "dumped" : NULL;
}

/* The manager's block plus the per-run variables the caller chose (as systemd's service_spawn()
 * merges them, later wins). */
static int base_environment(const ExecParameters *p, char ***ret) {
        _cleanup_strv_free_ char **env = p->environment ? strv_copy(p->environment)
                                                        : strv_new("PATH=" EXEC_DEFAULT_PATH);
        int r = 0;

        if (!env)
                return -ENOMEM;
        if (p->notify_socket)
                r = env_add(&env, "NOTIFY_SOCKET=%s", p->notify_socket);
        if (r >= 0 && p->main_pid > 0)
                r = env_add(&env, "MAINPID=%i", (int) p->main_pid);
        if (r >= 0 && p->service_result)
                r = env_add(&env, "SERVICE_RESULT=%s", p->service_result);
        if (r >= 0 && exit_code_name(p->exit_code)) {
                r = env_add(&env, "EXIT_CODE=%s", exit_code_name(p->exit_code));
                if (r >= 0 && p->exit_code == CLD_EXITED)
                        r = env_add(&env, "EXIT_STATUS=%i", p->exit_status);
                else if (r >= 0)
                        r = env_add(&env, "EXIT_STATUS=%s", signal_to_string_short(p->exit_status));
        }
        if (r >= 0)
                r = strv_env_merge(&env, p->extra_environment);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(env);
        return 0;
}

/* --- fds ----------------------------------------------------------------------------------- */

/* Which of p->fds become stdin/stdout/stderr for fd:NAME (systemd's exec_context_named_iofds). */
static int named_iofds(const ExecContext *c, const ExecParameters *p, int ret[3]) {
        size_t n = p->n_socket_fds + p->n_storage_fds;
        int targets = 0;

        for (int fd = 0; fd < 3; fd++) {
                ret[fd] = -1;
                targets += !!exec_context_fdname(c, fd);
        }
        for (size_t i = 0; i < n && targets > 0; i++)
                for (int fd = 0; fd < 3; fd++) {
                        const char *name = exec_context_fdname(c, fd);
                        if (ret[fd] < 0 && name && p->fd_names && streq_ptr(p->fd_names[i], name)) {
                                ret[fd] = (int) i;
                                targets--;
                                break;
                        }
                }
        return targets == 0 ? 0 : -ENOENT;
}

/* The fds handed to the helper: sources[i] ends up as fd 3 + i. */
typedef struct FdPlan {
        int sources[EXEC_FDS_MAX + 8];
        size_t n;
} FdPlan;

static int fd_plan_add(FdPlan *plan, int fd) {
        if (fd < 0)
                return -1;
        if (plan->n >= ELEMENTSOF(plan->sources))
                return -1;
        plan->sources[plan->n] = fd;
        return 3 + (int) plan->n++;
}

/* Duplicates every source above the target range (close-on-exec), so that the helper's dup2()
 * actions can never overwrite a source that is still to be moved. */
static int fd_plan_actions(const FdPlan *plan, int *copies, posix_spawn_file_actions_t *fa) {
        int base = 3 + (int) plan->n;

        for (size_t i = 0; i < plan->n; i++) {
                copies[i] = fcntl(plan->sources[i], F_DUPFD_CLOEXEC, base);
                if (copies[i] < 0)
                        return -errno;
                int r = posix_spawn_file_actions_adddup2(fa, copies[i], 3 + (int) i);
                if (r != 0)
                        return -r;
        }
        return 0;
}

/* A memfd holding the encoded request, positioned at the start. */
static int wire_memfd(const ExecContext *ctx, const ExecRun *run) {
        _cleanup_free_ void *buf = NULL;
        _cleanup_close_ int fd = -1;
        size_t size;
        int r = exec_wire_encode(ctx, run, &buf, &size);

        if (r < 0)
                return r;
        fd = memfd_create("sysmaster-exec", MFD_CLOEXEC);
        if (fd < 0)
                return -errno;
        for (size_t done = 0; done < size;) {
                ssize_t k = write(fd, (uint8_t *) buf + done, size - done);
                if (k < 0)
                        return -errno;
                done += (size_t) k;
        }
        if (lseek(fd, 0, SEEK_SET) < 0)
                return -errno;
        return TAKE_FD(fd);
}

/* --- spawning ------------------------------------------------------------------------------ */

/* posix_spawn() of the helper with argv, the fds of plan at 3…, signals reset. */
static int spawn_executor(char **argv, const FdPlan *plan, pid_t *ret) {
        int copies[ELEMENTSOF(plan->sources)];
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        sigset_t none, all;
        int r;

        sigemptyset(&none);
        sigfillset(&all);
        for (size_t i = 0; i < plan->n; i++)
                copies[i] = -1;
        posix_spawn_file_actions_init(&fa);
        posix_spawnattr_init(&attr);
        r = fd_plan_actions(plan, copies, &fa);
        if (r >= 0) {
                posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
                posix_spawnattr_setsigmask(&attr, &none);
                posix_spawnattr_setsigdefault(&attr, &all);
                r = -posix_spawn(ret, exec_executor_path(), &fa, &attr, argv, environ);
        }
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&fa);
        for (size_t i = 0; i < plan->n; i++)
                safe_close(copies[i]);
        return r;
}

static int spawn_helper(const char *unit_id, const FdPlan *plan, int wire_fd_target, pid_t *ret) {
        char fdarg[32];
        char *argv[] = { (char *) "sysmaster-executor", fdarg, (char *) unit_id, NULL };

        snprintf(fdarg, sizeof fdarg, "--deserialize=%d", wire_fd_target);
        return spawn_executor(argv, plan, ret);
}

/* --- the spawn server (executor-server.h) --------------------------------------------------- */

/* How long we wait for a ready server's answer to a request (the manager blocks meanwhile; a
 * healthy server answers within a millisecond, a starved one on a machine under heavy load may
 * not be scheduled for a while, and a start without an answer fails). */
#define SPAWN_SERVER_TIMEOUT_MSEC 5000
/* How long a new server may take to announce itself (exec, dynamic linking, a sanitizer's set
 * up) before it is taken for broken; meanwhile helpers are executed as without a server. */
#define SPAWN_SERVER_STARTUP_USEC (30 * USEC_PER_SEC)
/* After this many failures in a row (a helper without --server, say) we stop trying. */
#define SPAWN_SERVER_FAILURES_MAX 3

/* One per process: the manager is single threaded. owner: the process that started it (a fork
 * of ours must not use it: the processes it makes would be our children, not the fork's).
 * ready: its announcement (executor-server.h) arrived; started: when it was executed. */
static struct {
        int fd;
        pid_t pid, owner;
        unsigned failures;
        bool ready;
        usec_t started;
} spawn_server = { .fd = -1 };

static bool spawn_server_wanted(void) {
        const char *e = getenv("SYSMASTER_SPAWN_SERVER");
        return (isempty(e) || parse_boolean(e) != 0) && spawn_server.failures < SPAWN_SERVER_FAILURES_MAX;
}

/* Ends the server we know: SIGKILL (a no-op for one that is exiting already) and reap it, which
 * takes as long as the kernel needs to tear down a small process. */
static void spawn_server_kill(const char *why) {
        if (spawn_server.pid <= 0 || spawn_server.owner != getpid()) {
                spawn_server.fd = safe_close(spawn_server.fd);
                spawn_server.pid = 0;
                return;
        }
        log_debug("Spawn server %i: %s, stopping it.", (int) spawn_server.pid, why);
        spawn_server.fd = safe_close(spawn_server.fd);
        (void) kill(spawn_server.pid, SIGKILL);
        while (waitpid(spawn_server.pid, NULL, 0) < 0 && errno == EINTR)
                ;
        spawn_server.pid = 0;
}

static int spawn_server_start(void) {
        char *argv[] = { (char *) "sysmaster-executor", (char *) "--server=3", NULL };
        FdPlan plan = {};
        int pair[2], r;
        pid_t pid;

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
                return -errno;
        (void) fd_plan_add(&plan, pair[1]);
        r = spawn_executor(argv, &plan, &pid);
        safe_close(pair[1]);
        if (r < 0) {
                safe_close(pair[0]);
                return r;
        }
        spawn_server.fd = pair[0];
        spawn_server.pid = pid;
        spawn_server.owner = getpid();
        spawn_server.ready = false;
        spawn_server.started = now(CLOCK_MONOTONIC);
        log_debug("Started spawn server %i.", (int) pid);
        return 0;
}

/* Without waiting: 1 once the server announced itself, 0 while it is still starting, or a
 * negative errno (it exited, sent something else, or took too long). */
static int spawn_server_check_ready(void) {
        ExecutorServerReply hello;
        ssize_t k;

        if (spawn_server.ready)
                return 1;
        k = recv(spawn_server.fd, &hello, sizeof hello, MSG_DONTWAIT);
        if (k < 0 && IN_SET(errno, EAGAIN, EINTR))
                return now(CLOCK_MONOTONIC) - spawn_server.started > SPAWN_SERVER_STARTUP_USEC ? -ETIMEDOUT : 0;
        if (k < 0)
                return -errno;
        if (k == 0)
                return -ECONNRESET;
        if ((size_t) k != sizeof hello || hello.pid != 0)
                return -EBADMSG;
        spawn_server.ready = true;
        return 1;
}

bool exec_spawn_server_reaped(pid_t pid) {
        if (pid <= 0 || pid != spawn_server.pid || spawn_server.owner != getpid())
                return false;
        log_debug("Spawn server %i exited, starting a new one on next use.", (int) pid);
        if (!spawn_server.ready)
                spawn_server.failures++; /* it never got as far as serving */
        spawn_server.fd = safe_close(spawn_server.fd);
        spawn_server.pid = 0;
        return true;
}

void exec_spawn_server_prepare(void) {
        if (spawn_server_wanted() && spawn_server.pid <= 0 && spawn_server_start() < 0)
                spawn_server.failures++;
}

void exec_spawn_server_stop(void) {
        if (spawn_server.pid > 0)
                spawn_server_kill("stop requested");
}

pid_t exec_spawn_server_pid(void) {
        return spawn_server.owner == getpid() ? spawn_server.pid : 0;
}

/* The request with plan's fds and, where it is not -1, cgroup_fd after them (req->n_fds and
 * req->flags say so already). */
static int spawn_server_send(const ExecutorServerRequest *req, const FdPlan *plan, int cgroup_fd) {
        union {
                struct cmsghdr align;
                uint8_t buf[CMSG_SPACE(sizeof(int) * EXECUTOR_SERVER_FDS_MAX)];
        } control = {};
        struct iovec iov = { .iov_base = (void *) req, .iov_len = sizeof *req };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
        ssize_t k;

        if (req->n_fds > 0) {
                struct cmsghdr *c;

                mh.msg_control = &control;
                mh.msg_controllen = CMSG_SPACE(sizeof(int) * req->n_fds);
                c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int) * req->n_fds);
                memcpy(CMSG_DATA(c), plan->sources, sizeof(int) * plan->n);
                if (cgroup_fd >= 0)
                        memcpy(CMSG_DATA(c) + sizeof(int) * plan->n, &cgroup_fd, sizeof(int));
        }
        do
                k = sendmsg(spawn_server.fd, &mh, MSG_NOSIGNAL);
        while (k < 0 && errno == EINTR);
        if (k < 0)
                return -errno;
        return (size_t) k == sizeof *req ? 0 : -EIO;
}

/* 0 and the pid (and the reply's flags), or 0 and the server's negative errno in *ret_error (it
 * could not fork), or the negative errno of the connection. */
static int spawn_server_receive(pid_t *ret, uint32_t *ret_flags, int *ret_error) {
        struct pollfd p = { .fd = spawn_server.fd, .events = POLLIN };
        usec_t deadline = now(CLOCK_MONOTONIC) + SPAWN_SERVER_TIMEOUT_MSEC * USEC_PER_MSEC;
        ExecutorServerReply reply;
        ssize_t k;

        for (;;) {
                usec_t n = now(CLOCK_MONOTONIC);
                int r;

                if (n >= deadline)
                        return -ETIMEDOUT;
                r = poll(&p, 1, (int) ((deadline - n + USEC_PER_MSEC - 1) / USEC_PER_MSEC));
                if (r < 0 && errno != EINTR)
                        return -errno;
                if (r > 0)
                        break;
        }
        k = recv(spawn_server.fd, &reply, sizeof reply, MSG_DONTWAIT);
        if (k < 0)
                return -errno;
        if (k == 0)
                return -ECONNRESET;
        if ((size_t) k != sizeof reply || reply.pid == 0)
                return -EBADMSG;
        *ret_error = reply.pid < 0 ? reply.pid : 0;
        if (reply.pid > 0) {
                *ret = reply.pid;
                *ret_flags = reply.flags;
        }
        return 0;
}

/* Asks the server for the process, to be created in cgroup_path where that is not NULL (then
 * *ret_in_cgroup says whether it was: clone-cgroup.h). -EOPNOTSUPP: the caller execs a helper
 * instead (no server, the server is still starting, the request did not reach it, or its
 * clone() failed). Another negative errno: the server took the request but did not answer in
 * time or died; it may have created the helper already, which then waits at its gate, so no
 * second helper may be started for this request (the caller's failed spawn closes the gate
 * unopened: manager_spawn_gate_done()). Errors of the connection end the server (a new one is
 * started on next use), an error of its clone() does not. */
static int spawn_via_server(const char *unit_id, const FdPlan *plan, int wire_fd_target, bool share_memory,
                            const char *cgroup_path, pid_t *ret, bool *ret_in_cgroup) {
        ExecutorServerRequest req = {
                .magic = EXECUTOR_SERVER_MAGIC,
                .n_fds = (uint32_t) plan->n,
                .wire_fd = wire_fd_target,
                .flags = share_memory ? EXECUTOR_SERVER_SHARE_MEMORY : 0,
        };
        _cleanup_close_ int cgroup_fd = -1;
        uint32_t flags = 0;
        int r, error = 0;

        if (plan->n > EXECUTOR_SERVER_FDS_MAX || !spawn_server_wanted())
                return -EOPNOTSUPP;
        if (spawn_server.pid > 0 && spawn_server.owner != getpid())
                spawn_server_kill("inherited"); /* forgets it only */
        if (spawn_server.pid <= 0) {
                r = spawn_server_start();
                if (r < 0) {
                        spawn_server.failures++;
                        log_debug_errno(r, "Failed to start the spawn server: %m");
                        return -EOPNOTSUPP;
                }
        }
        r = spawn_server_check_ready();
        if (r < 0) {
                spawn_server.failures++;
                spawn_server_kill("did not announce itself");
                log_debug_errno(r, "%s: Spawn server did not start, executing the helper instead: %m", unit_id);
                return -EOPNOTSUPP;
        }
        if (r == 0)
                return -EOPNOTSUPP; /* still starting: nothing was asked of it yet */
        strncpy(req.unit_id, unit_id, sizeof req.unit_id - 1);
        /* a cgroup we cannot open: the process joins it itself and reports the error */
        if (cgroup_path && plan->n < EXECUTOR_SERVER_FDS_MAX &&
            (cgroup_fd = open(cgroup_path, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
                req.n_fds++;
                req.flags |= EXECUTOR_SERVER_CGROUP_FD;
        }
        r = spawn_server_send(&req, plan, cgroup_fd);
        if (r < 0) {
                spawn_server.failures++;
                spawn_server_kill("connection failed");
                log_debug_errno(r, "%s: Spawn server unreachable, executing the helper instead: %m", unit_id);
                return -EOPNOTSUPP;
        }
        r = spawn_server_receive(ret, &flags, &error);
        if (r < 0) {
                /* a late answer must never be taken for the next request's: a new server */
                spawn_server.failures++;
                spawn_server_kill(r == -ETIMEDOUT ? "no answer" : "connection failed");
                return log_error_errno(r, "%s: Spawn server took the request but did not answer: %m", unit_id);
        }
        spawn_server.failures = 0;
        if (error < 0) {
                log_debug_errno(error, "%s: Spawn server could not fork, executing the helper instead: %m", unit_id);
                return -EOPNOTSUPP;
        }
        *ret_in_cgroup = flags & EXECUTOR_SERVER_IN_CGROUP;
        return 0;
}

/* As systemd, the manager also moves a new process that was not created in its cgroup
 * (clone-cgroup.h) into it itself, so that a kill of the cgroup finds it even before the helper
 * got there. Errors are the helper's to report. */
static void attach_cgroup(const char *cgroup_path, pid_t pid) {
        _cleanup_free_ char *procs = NULL;
        char buf[32];
        int fd;

        if (!cgroup_path || !(procs = strjoin(cgroup_path, "/cgroup.procs")))
                return;
        fd = open(procs, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return;
        snprintf(buf, sizeof buf, "%i", (int) pid);
        (void) !write(fd, buf, strlen(buf));
        safe_close(fd);
}

/* Fills run with borrowed pointers and the fd numbers the helper will see. */
static int plan_run(const ExecCommand *c, const ExecContext *ctx, const ExecParameters *p,
                    const int named[3], int socket_index, FdPlan *plan, ExecRun *run) {
        size_t n = p->n_socket_fds + p->n_storage_fds;

        if (n > EXEC_FDS_MAX)
                return -E2BIG;
        run->unit_id = (char *) p->unit_id;
        run->invocation_id = p->invocation_id[0] ? (char *) p->invocation_id : NULL;
        run->flags = (uint32_t) p->flags;
        run->path = c->path;
        run->argv = c->argv;
        run->command_flags = (uint32_t) c->flags;
        run->cgroup_path = (char *) p->cgroup_path;
        run->watchdog_usec = p->watchdog_usec;
        run->log_level = log_get_max_level();
        run->log_target = log_get_target();
        run->tmp_dir = ctx->private_tmp ? (char *) p->tmp_dir : NULL;
        run->var_tmp_dir = ctx->private_tmp ? (char *) p->var_tmp_dir : NULL;
        for (size_t t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                run->prefix[t] = (char *) p->prefix[t];

        for (size_t i = 0; i < n; i++)
                if (fd_plan_add(plan, p->fds[i]) < 0)
                        return -E2BIG;
        if (socket_index < 0) {
                run->n_fds = (uint32_t) n;
                run->n_socket_fds = (uint32_t) p->n_socket_fds;
                run->fd_names = n > 0 ? p->fd_names : NULL;
        }
        run->socket_fd = socket_index >= 0 ? 3 + socket_index : -1;
        for (int fd = 0; fd < 3; fd++)
                run->named_fds[fd] = named[fd] >= 0 ? 3 + named[fd] : -1;
        run->stdin_fd = fd_plan_add(plan, p->stdin_fd);
        run->stdout_fd = fd_plan_add(plan, p->stdout_fd);
        run->stderr_fd = fd_plan_add(plan, p->stderr_fd);
        run->exec_fd = fd_plan_add(plan, p->exec_fd);
        run->gate_fd = fd_plan_add(plan, p->gate_fd);
        for (int i = 0; i < 2; i++)
                run->netns_storage[i] = ctx->private_network ? fd_plan_add(plan, p->netns_storage[i]) : -1;
        return 0;
}

static bool uses_socket(const ExecContext *c) {
        return c->std_input == EXEC_INPUT_SOCKET || c->std_output == EXEC_OUTPUT_SOCKET ||
               c->std_error == EXEC_OUTPUT_SOCKET;
}

int exec_spawn(const ExecCommand *c, const ExecContext *ctx, const ExecParameters *p, pid_t *ret_pid) {
        _cleanup_strv_free_ char **files_env = NULL, **pass_env = NULL, **env = NULL;
        _cleanup_free_ char *line = NULL;
        _cleanup_close_ int wire = -1;
        int named[3], socket_index = -1, wire_target, r;
        bool in_cgroup = false;
        FdPlan plan = {};
        ExecRun run;
        pid_t pid;

        if (!c || !c->path || strv_isempty(c->argv) || !ctx || !p || !p->unit_id || !ret_pid)
                return -EINVAL;
        if (uses_socket(ctx)) {
                if (p->n_socket_fds != 1)
                        return log_error_errno(-EINVAL, "%s: %s", p->unit_id,
                                               p->n_socket_fds > 1 ? "Got more than one socket." : "Got no socket.");
                socket_index = 0;
        }
        r = named_iofds(ctx, p, named);
        if (r < 0)
                return log_error_errno(r, "%s: Failed to load a named file descriptor: %m", p->unit_id);
        r = load_environment_files(p->unit_id, ctx->environment_files, &files_env);
        if (r < 0)
                return log_error_errno(r, "%s: Failed to load environment files: %m", p->unit_id);
        if (pass_environment(ctx->pass_environment, &pass_env) < 0 || base_environment(p, &env) < 0)
                return log_oom();

        exec_run_init(&run);
        r = plan_run(c, ctx, p, named, socket_index, &plan, &run);
        if (r < 0)
                return log_error_errno(r, "%s: Too many file descriptors to pass: %m", p->unit_id);
        run.environment = env;
        run.pass_environment = pass_env;
        run.files_environment = files_env;
        wire = wire_memfd(ctx, &run);
        if (wire < 0)
                return log_error_errno(wire, "%s: Failed to prepare the exec helper's data: %m", p->unit_id);
        wire_target = fd_plan_add(&plan, wire);
        if (wire_target < 0)
                return log_error_errno(-E2BIG, "%s: Too many file descriptors to pass: %m", p->unit_id);

        if (log_get_max_level() >= LOG_DEBUG) {
                line = quote_command_line(c->argv, SHELL_ESCAPE_EMPTY);
                log_debug("%s: About to execute %s", p->unit_id, strna(line));
        }
        r = spawn_via_server(p->unit_id, &plan, wire_target, exec_context_spawn_may_share_memory(ctx), p->cgroup_path,
                             &pid, &in_cgroup);
        if (r == -EOPNOTSUPP)
                r = spawn_helper(p->unit_id, &plan, wire_target, &pid);
        if (r < 0)
                return log_error_errno(r, "%s: Failed to spawn %s: %m", p->unit_id, exec_executor_path());
        log_debug("%s: Forked %s as %i%s", p->unit_id, c->path, (int) pid, in_cgroup ? " in its cgroup" : "");
        if (!in_cgroup)
                attach_cgroup(p->cgroup_path, pid);
        *ret_pid = pid;
        return 0;
}

/* --- PrivateTmp= --------------------------------------------------------------------------- */

static int boot_id(char ret[33]) {
        _cleanup_free_ char *s = NULL;
        size_t n = 0;
        int r = read_full_file("/proc/sys/kernel/random/boot_id", 64, &s, NULL);

        if (r < 0)
                return r;
        for (const char *p = s; *p && n < 32; p++)
                if (*p != '-' && *p != '\n')
                        ret[n++] = *p;
        ret[n] = 0;
        return n == 32 ? 0 : -EINVAL;
}

/* prefix/systemd-private-<boot id>-<unit>-XXXXXX (0700) with a "tmp" (01777) inside. */
static int private_tmp_one(const char *prefix, const char *id, const char *unit_id, char **ret) {
        _cleanup_free_ char *outer = strjoin(prefix, "/systemd-private-", id, "-", unit_id, "-XXXXXX");
        char *inner;

        if (!outer)
                return -ENOMEM;
        if (!mkdtemp(outer))
                return -errno;
        inner = strjoin(outer, "/tmp");
        if (!inner)
                return -ENOMEM;
        if (mkdir(inner, 0700) < 0 || chmod(inner, 01777) < 0) {
                int r = -errno;
                (void) rmdir(inner);
                (void) rmdir(outer);
                free(inner);
                return r;
        }
        *ret = inner;
        return 0;
}

int exec_private_tmp_create(const char *unit_id, char **ret_tmp, char **ret_var_tmp) {
        _cleanup_free_ char *tmp = NULL, *var_tmp = NULL;
        char id[33];
        int r = boot_id(id);

        if (r < 0)
                return r;
        r = private_tmp_one("/tmp", id, unit_id, &tmp);
        if (r < 0)
                return r;
        r = private_tmp_one("/var/tmp", id, unit_id, &var_tmp);
        if (r < 0) {
                (void) exec_private_tmp_remove(tmp, NULL);
                return r;
        }
        *ret_tmp = TAKE_PTR(tmp);
        *ret_var_tmp = TAKE_PTR(var_tmp);
        return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st;
        (void) flag;
        (void) ftw;
        return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static int remove_tree(const char *path) {
        if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0)
                return errno == ENOENT ? 0 : -errno;
        return 0;
}

int exec_context_remove_runtime_directories(const ExecContext *c, const char *runtime_prefix) {
        int r = 0;

        if (!runtime_prefix)
                return 0;
        STRV_FOREACH(d, c->directories[EXEC_DIRECTORY_RUNTIME]) {
                _cleanup_free_ char *p = path_join(runtime_prefix, *d);
                int k = p ? remove_tree(p) : -ENOMEM;
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

/* Removes the "…/tmp" directory's parent (the systemd-private-… directory) with everything in it,
 * staying on its file system. */
static int remove_private_tmp(const char *inner) {
        _cleanup_free_ char *outer = NULL;
        int r;

        if (!inner)
                return 0;
        r = path_extract_directory(inner, &outer);
        if (r < 0)
                return r;
        if (!strstr(outer, "/systemd-private-"))
                return -EINVAL;
        return remove_tree(outer);
}

int exec_private_tmp_remove(const char *tmp, const char *var_tmp) {
        int r = remove_private_tmp(tmp), k = remove_private_tmp(var_tmp);
        return r < 0 ? r : k;
}

int exec_netns_storage_new(int ret[2]) {
        return socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, ret) < 0 ? -errno : 0;
}
