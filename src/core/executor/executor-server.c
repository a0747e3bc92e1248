/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * executor-server.c: the spawn server loop of the exec helper (executor-server.h). Single
 * threaded on purpose: the new processes are made with the raw clone() system call, which only
 * copies the calling thread.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "executor-server.h"
#include "exit-status.h"
#include "fd-util.h"
#include "log.h"
#include "macro.h"
#include "signal-util.h"

/* A process whose parent is our parent (the manager), as fork() otherwise. */
static pid_t clone_sibling(void) {
#if defined(__s390__) || defined(__CRIS__)
        return (pid_t) syscall(SYS_clone, 0, CLONE_PARENT | SIGCHLD, NULL, NULL, 0);
#else
        return (pid_t) syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
#endif
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
                        _exit(EXIT_FDS);
        }
        for (size_t i = 0; i < n; i++)
                safe_close(fds[i]);
        for (size_t i = 0; i < n; i++) {
                if (dup2(copies[i], 3 + (int) i) < 0)
                        _exit(EXIT_FDS);
                safe_close(copies[i]);
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

int executor_server_run(int fd, ExecutorServerChild child) {
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
                else {
                        pid = clone_sibling();
                        if (pid == 0) {
                                /* signals: the server's, all at their default (set once below) */
                                child_layout_fds(fd, fds, n);
                                child(req.wire_fd, req.unit_id);
                                _exit(EXIT_FAILURE); /* not reached */
                        }
                        reply.pid = pid < 0 ? -errno : (int32_t) pid;
                        close_all(fds, n);
                }
                if (send(fd, &reply, sizeof reply, MSG_NOSIGNAL) < 0)
                        return log_debug_errno(errno, "Failed to answer a spawn request: %m");
        }
}
