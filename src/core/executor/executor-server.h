/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * executor-server.h: the exec helper as a spawn server ("sysmaster-executor --server=FD"). The
 * manager starts one long-lived server with one end of a SOCK_SEQPACKET socketpair as FD. The
 * server's first message is an ExecutorServerReply with pid 0: it is ready (until then, while
 * the server is being executed, the manager execs helpers itself). The manager then sends it
 * one ExecutorServerRequest per process to start, with the request's fds attached (SCM_RIGHTS,
 * in the order they are to appear as 3, 4, …). The server creates the process with
 * clone(CLONE_PARENT), so that the manager is its parent, answers with an ExecutorServerReply
 * and waits for the next request; it ends when the manager's end closes. The new process lays
 * its fds out, resets its signals and then runs the request as a freshly executed helper would,
 * so a service start costs one fork of a small process instead of an exec of the helper.
 */

#include <stdint.h>

/* The most fds one request carries (the kernel's SCM_MAX_FD); more: the caller execs a helper. */
#define EXECUTOR_SERVER_FDS_MAX 253
#define EXECUTOR_SERVER_MAGIC UINT32_C(0x53504e31) /* "SPN1" */

typedef struct ExecutorServerRequest {
        uint32_t magic;       /* EXECUTOR_SERVER_MAGIC */
        uint32_t n_fds;       /* how many fds are attached; they become 3 … 3 + n_fds - 1 */
        int32_t wire_fd;      /* which of them is the exec-wire memfd (as after the layout) */
        char unit_id[260];    /* for messages before the request is read, NUL-terminated */
} ExecutorServerRequest;

typedef struct ExecutorServerReply {
        int32_t pid;          /* the new process, or a negative errno; 0: ready (first message) */
} ExecutorServerReply;

/* What the new process runs once its fds are laid out: never returns. */
typedef void (*ExecutorServerChild)(int wire_fd, const char *unit_id);

/* Serves requests on fd until the peer closes it (0) or reading fails (negative errno). */
int executor_server_run(int fd, ExecutorServerChild child);
