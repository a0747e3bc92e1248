/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * executor-server.c: the spawn server loop of the exec helper (executor-server.h). Single
 * threaded on purpose: the new processes are made with clone(), which only copies the calling
 * thread, and one that shares our memory must find nobody else using it.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "executor-server.h"
#include "gate-protocol.h"
#include "exit-status.h"
#include "fd-util.h"
#include "log.h"
#include "macro.h"
#include "path-util.h"
#include "signal-util.h"
#include "spawn-util.h"
#include "string-util.h"

/* A process whose parent is our parent (the manager), as fork() otherwise. */
static pid_t clone_sibling(void) {
#if defined(__s390__) || defined(__CRIS__)
        return (pid_t) syscall(SYS_clone, 0, CLONE_PARENT | SIGCHLD, NULL, NULL, 0);
#else
        return (pid_t) syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
#endif
}

/* The stack of a process that shares our memory (one at a time: we sleep until it exec'd), with
 * an inaccessible page below it. */
#define SHARED_CHILD_STACK_SIZE (512U * 1024U)
static void *shared_child_stack;

/* Where the process that shares our memory got to (executor-server.h). volatile: it writes it
 * while we are inside clone(), which the compiler otherwise takes for a call that leaves our
 * static variables alone. */
static volatile ExecutorChildPhase child_phase;

void executor_server_child_phase(ExecutorChildPhase phase) {
        child_phase = phase;
}

static _noreturn_ void child_exit(int status) {
        executor_server_child_phase(EXECUTOR_CHILD_EXITING);
        _exit(status);
}

/* In the new process: fds[i] becomes 3 + i, exactly as the helper's posix_spawn() file actions
 * would have made it: every source is first moved above the target range, so that no dup2()
 * overwrites a source still to be moved. The server's socket is closed. */
static void child_layout_fds(int sock, const int *fds, size_t n) {
        int copies[EXECUTOR_SERVER_FDS_MAX], base = 3 + (int) n;

        safe_close(sock);
        for (size_t i = 0; i < n; i++) {
                copies[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, base);
                if (copies[i] < 0)
                        child_exit(EXIT_FDS);
        }
        for (size_t i = 0; i < n; i++)
                safe_close(fds[i]);
        for (size_t i = 0; i < n; i++) {
                if (dup2(copies[i], 3 + (int) i) < 0)
                        child_exit(EXIT_FDS);
                safe_close(copies[i]);
        }
}


/* sysmaster-gate and our own binary (executor-server.h); -1 when there is no gate. */
static ExecutorServerGate server_gate = { .gate_fd = -1, .self_fd = -1 };

/* fd moved to GATE_SERVER_FD_MIN or above (close-on-exec), or -1. */
static int move_high(int fd) {
        int high;

        if (fd < 0)
                return -1;
        high = fcntl(fd, F_DUPFD_CLOEXEC, GATE_SERVER_FD_MIN);
        safe_close(fd);
        return high;
}

/* Opens sysmaster-gate ($SYSMASTER_GATE, or next to our binary) and our binary. */
static void open_gate(void) {
#if HAVE_GATE
        _cleanup_free_ char *self = NULL, *dir = NULL, *path = NULL;
        const char *env = getenv("SYSMASTER_GATE");
        struct stat st;
        int r;

        r = readlink_malloc("/proc/self/exe", &self);
        if (r < 0) {
                log_debug_errno(r, "Failed to read /proc/self/exe, forking every start: %m");
                return;
        }
        if (isempty(env)) {
                r = path_extract_directory(self, &dir);
                if (r < 0 || !(path = path_join(dir, "sysmaster-gate")))
                        return;
                env = path;
        }
        server_gate.gate_fd = move_high(open(env, O_PATH | O_CLOEXEC));
        if (server_gate.gate_fd < 0 || fstat(server_gate.gate_fd, &st) < 0 || !S_ISREG(st.st_mode) ||
            !(st.st_mode & 0111)) {
                log_debug("%s is not an executable file, forking every start.", env);
                server_gate.gate_fd = safe_close(server_gate.gate_fd);
                return;
        }
        server_gate.self_fd = move_high(open("/proc/self/exe", O_PATH | O_CLOEXEC));
        if (server_gate.self_fd < 0)
                server_gate.gate_fd = safe_close(server_gate.gate_fd);
#endif
}

typedef struct SharedChildArgs {
        int sock;
        const int *fds;
        size_t n;
        const ExecutorServerRequest *req;
        const ExecutorServerChild *child;
} SharedChildArgs;

/* Runs in a process that shares our memory, on shared_child_stack: answers with its own pid
 * first, so that the manager does not wait for our wake-up. */
static int shared_child_main(void *userdata) {
        const SharedChildArgs *a = userdata;
        ExecutorServerReply reply = { .pid = (int32_t) getpid() };

        /* before the send: once the answer may be out, we must not answer again */
        executor_server_child_phase(EXECUTOR_CHILD_ANSWERED);
        if (send(a->sock, &reply, sizeof reply, MSG_NOSIGNAL) < 0)
                child_exit(EXIT_FDS);
        child_layout_fds(a->sock, a->fds, a->n);
        a->child->run(a->req->wire_fd, a->req->unit_id, &server_gate);
        child_exit(EXIT_FAILURE); /* not reached */
}

/* Starts the request in a process that shares our memory and returns once it exec'd or exited:
 * 1 when it answered the manager itself, 0 with its pid or a negative errno in *reply for us to
 * send, -EIO when it died somewhere unknown (our heap may be inconsistent). */
static int run_shared(int sock, const ExecutorServerRequest *req, const int *fds, size_t n,
                      const ExecutorServerChild *child, ExecutorServerReply *reply) {
        SharedChildArgs a = { .sock = sock, .fds = fds, .n = n, .req = req, .child = child };
        pid_t pid;

        if (!shared_child_stack) {
                void *p = mmap(NULL, SHARED_CHILD_STACK_SIZE + (size_t) getpagesize(), PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
                if (p == MAP_FAILED || mprotect(p, (size_t) getpagesize(), PROT_NONE) < 0) {
                        if (p != MAP_FAILED)
                                (void) munmap(p, SHARED_CHILD_STACK_SIZE + (size_t) getpagesize());
                        reply->pid = -ENOMEM;
                        return 0;
                }
                shared_child_stack = p;
        }
        child_phase = EXECUTOR_CHILD_STARTED;
        pid = clone_vfork(shared_child_main, &a, (uint8_t *) shared_child_stack + (size_t) getpagesize(),
                          SHARED_CHILD_STACK_SIZE, CLONE_PARENT | SIGCHLD);
        if (pid < 0) {
                reply->pid = pid;
                return 0;
        }
        switch (child_phase) {
        case EXECUTOR_CHILD_STARTED: /* killed before it did anything (nor answered): we answer */
                reply->pid = (int32_t) pid;
                return 0;
        case EXECUTOR_CHILD_EXECUTING:
        case EXECUTOR_CHILD_EXITING:
                child->reclaim();
                return 1;
        default:
                return log_debug_errno(-EIO,
                                       "Process %i sharing our memory died in the middle of its request, exiting.",
                                       (int) pid);
        }
}

static void close_all(int *fds, size_t n) {
        for (size_t i = 0; i < n; i++)
                fds[i] = safe_close(fds[i]);
}

/* One message: the request and its fds (close-on-exec). Returns 1 with a request, 0 at EOF,
 * -EBADMSG for a malformed one (its fds closed), another negative errno when reading failed. */
static int receive_request(int fd, ExecutorServerRequest *req, int *fds, size_t *ret_n) {
        union {
                struct cmsghdr align;
                uint8_t buf[CMSG_SPACE(sizeof(int) * EXECUTOR_SERVER_FDS_MAX)];
        } control;
        struct iovec iov = { .iov_base = req, .iov_len = sizeof *req };
        struct msghdr mh = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof control,
        };
        size_t n = 0;
        ssize_t k;

        do
                k = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
        while (k < 0 && errno == EINTR);
        if (k < 0)
                return -errno;
        if (k == 0)
                return 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                size_t m;

                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                m = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                for (size_t i = 0; i < m; i++) {
                        int x;
                        memcpy(&x, CMSG_DATA(c) + i * sizeof(int), sizeof x);
                        if (n < EXECUTOR_SERVER_FDS_MAX)
                                fds[n++] = x;
                        else
                                safe_close(x);
                }
        }
        *ret_n = n;
        if ((size_t) k != sizeof *req || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
            req->magic != EXECUTOR_SERVER_MAGIC || req->n_fds != n || req->wire_fd < 3 ||
            req->wire_fd >= 3 + (int) n) {
                close_all(fds, n);
                return -EBADMSG;
        }
        req->unit_id[sizeof req->unit_id - 1] = 0;
        return 1;
}

int executor_server_run(int fd, const ExecutorServerChild *child) {
        /* Nothing of the manager's but our socket: an fd it did not mark close-on-exec (a
         * gate's or a pipe's end) would stay open here for as long as we run. */
        if (fd > 3)
                (void) syscall(SYS_close_range, 3U, (unsigned) fd - 1, 0U);
        (void) syscall(SYS_close_range, (unsigned) fd + 1, ~0U, 0U);
        (void) fcntl(fd, F_SETFD, FD_CLOEXEC);
        /* Every disposition to its default, once: a request's process inherits them (the server
         * installs no handler and ignores nothing); posix_spawn() left glibc's two internal
         * signals ignored. The mask is empty (the manager's posix_spawn() set it). */
        signal_reset_all_default_raw();
        open_gate();
        /* ready: the manager sends requests only after this (until then it execs helpers) */
        if (send(fd, &(ExecutorServerReply) { .pid = 0 }, sizeof(ExecutorServerReply), MSG_NOSIGNAL) < 0)
                return log_debug_errno(errno, "Failed to announce the spawn server: %m");
        for (;;) {
                ExecutorServerRequest req;
                ExecutorServerReply reply;
                int fds[EXECUTOR_SERVER_FDS_MAX];
                size_t n = 0;
                pid_t pid;
                int r = receive_request(fd, &req, fds, &n);

                if (r == 0)
                        return 0;
                if (r == -EBADMSG)
                        reply.pid = -EBADMSG;
                else if (r < 0)
                        return log_debug_errno(r, "Failed to receive a spawn request: %m");
                else if ((req.flags & EXECUTOR_SERVER_SHARE_MEMORY) && server_gate.gate_fd >= 0) {
                        r = run_shared(fd, &req, fds, n, child, &reply);
                        close_all(fds, n);
                        if (r < 0)
                                return r;
                        if (r > 0)
                                continue; /* it answered */
                } else {
                        pid = clone_sibling();
                        if (pid == 0) {
                                /* signals: the server's, all at their default (set at start) */
                                child_layout_fds(fd, fds, n);
                                child->run(req.wire_fd, req.unit_id, NULL);
                                child_exit(EXIT_FAILURE); /* not reached */
                        }
                        reply.pid = pid < 0 ? -errno : (int32_t) pid;
                        close_all(fds, n);
                }
                if (send(fd, &reply, sizeof reply, MSG_NOSIGNAL) < 0)
                        return log_debug_errno(errno, "Failed to answer a spawn request: %m");
        }
}
