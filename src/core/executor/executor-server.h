/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * executor-server.h: the exec helper as a spawn server ("sysmaster-executor --server=FD"). The
 * manager starts one long-lived server with one end of a SOCK_SEQPACKET socketpair as FD. The
 * server's first message is an ExecutorServerReply with pid 0: it is ready (until then, while
 * the server is being executed, the manager execs helpers itself). The manager then sends it
 * one ExecutorServerRequest per process to start, with the request's fds attached (SCM_RIGHTS,
 * in the order they are to appear as 3, 4, …), and waits for the ExecutorServerReply with the
 * new process's pid; the server ends when the manager's end closes. The new process is made
 * with clone(CLONE_PARENT), so that the manager is its parent, and where the request names its
 * cgroup, with clone3(CLONE_INTO_CGROUP) in that cgroup (clone-cgroup.h; the reply says so); it
 * lays its fds out and then runs the request as a freshly executed helper would. Two ways:
 *   - a request with EXECUTOR_SERVER_SHARE_MEMORY (the manager sets it when the context allows,
 *     exec_context_spawn_may_share_memory()): clone(CLONE_VM) on a stack of the server's. No
 *     address space is copied (on this kind of VM a fork of even a small process costs
 *     milliseconds of page-table work, and its exec tears the copy down again). The server
 *     answers with the new pid as soon as clone() returns (so that the manager goes on without
 *     waiting for the new process to be scheduled); it then sleeps until the process calls execve()
 *     or _exit() (the kernel clears a word of ours then: CLONE_CHILD_CLEARTID), or hands over at
 *     its crash-recovery gate (execute.h, gate_fd), and then frees what it allocated
 *     (ExecutorServerChild.reclaim). A process that died anywhere else (a signal in the middle
 *     of malloc()) may have left the heap inconsistent: the server then exits and the manager
 *     starts a new one on next use.
 *     The gate: the manager opens gates only after the commit at the end of its turn, so a
 *     process that waited there while the server slept would hold up every later start of the
 *     turn. Once the context is applied it copies what its exec needs into a mapping the server
 *     gave it (SharedStart in executor-server.c), moves to the stack in it, tells the server,
 *     and passes the gate there with system calls only (gate-pass.h) while the server serves the
 *     next request; the server unmaps it once the kernel says the process exec'd or exited.
 *     Architectures without gate-pass.h's system-call stub fork those starts instead.
 *   - otherwise a plain fork (the server answers), for contexts that look users up through NSS
 *     or may block on a terminal or a FIFO.
 * Either way a start costs no exec of the helper.
 */

#include <stdbool.h>
#include <stdint.h>

/* The most fds one request carries (the kernel's SCM_MAX_FD); more: the caller execs a helper. */
#define EXECUTOR_SERVER_FDS_MAX 253
#define EXECUTOR_SERVER_MAGIC UINT32_C(0x53504e33) /* "SPN3" */
#define EXECUTOR_SERVER_SHARE_MEMORY UINT32_C(1)
/* The last fd attached is not laid out: it is the cgroup2 directory (O_PATH will do) the process
 * is to be created in (clone-cgroup.h). */
#define EXECUTOR_SERVER_CGROUP_FD UINT32_C(2)

typedef struct ExecutorServerRequest {
        uint32_t magic;       /* EXECUTOR_SERVER_MAGIC */
        uint32_t n_fds;       /* how many fds are attached; they become 3 … 3 + n_fds - 1
                               * (but the cgroup's, with EXECUTOR_SERVER_CGROUP_FD) */
        int32_t wire_fd;      /* which of them is the exec-wire memfd (as after the layout) */
        uint32_t flags;       /* EXECUTOR_SERVER_SHARE_MEMORY, EXECUTOR_SERVER_CGROUP_FD */
        char unit_id[260];    /* for messages before the request is read, NUL-terminated */
} ExecutorServerRequest;

/* In a reply: the process was created in the request's cgroup (EXECUTOR_SERVER_CGROUP_FD); it
 * does not join it itself, nor does the manager need to move it. */
#define EXECUTOR_SERVER_IN_CGROUP UINT32_C(1)

typedef struct ExecutorServerReply {
        int32_t pid;          /* the new process, or a negative errno; 0: ready (first message) */
        uint32_t flags;       /* EXECUTOR_SERVER_IN_CGROUP or 0 */
} ExecutorServerReply;

/* Where a process that shares the server's memory got to: set by it, read by the server once it
 * runs again. */
typedef enum ExecutorChildPhase {
        EXECUTOR_CHILD_STARTED,   /* nothing done yet */
        EXECUTOR_CHILD_RUNNING,   /* running the request */
        EXECUTOR_CHILD_EXECUTING, /* in execve(): after a failure it goes back to ANSWERED */
        EXECUTOR_CHILD_EXITING,   /* in _exit() */
        EXECUTOR_CHILD_HANDED_OVER, /* at its gate, on memory of its own (executor_server_pass_gate()) */
} ExecutorChildPhase;

/* What a process that shares our memory is given for its gate (gate-pass.h): the server's own
 * binary, for the report of a failed execve(), as an O_PATH fd at or above GATE_SERVER_FD_MIN,
 * close-on-exec. */
typedef struct ExecutorServerGate {
        int self_fd;
} ExecutorServerGate;

typedef struct GatePass GatePass;

typedef struct ExecutorServerChild {
        /* What the new process runs once its fds are laid out: never returns. Must call
         * executor_server_child_phase() before its execve() and _exit() calls. gate: non-NULL in
         * a process that shares our memory (it must pass its gate through it). in_cgroup: it
         * was created in its cgroup (EXECUTOR_SERVER_IN_CGROUP). */
        void (*run)(int wire_fd, const char *unit_id, const ExecutorServerGate *gate, bool in_cgroup);
        /* In the server, after a process that shared its memory has exec'd or exited: frees what
         * run() allocated and undoes what it changed in the server's globals. */
        void (*reclaim)(void);
} ExecutorServerChild;

/* Records where the calling process is (in a forked one only its own copy changes). */
void executor_server_child_phase(ExecutorChildPhase phase);

/* In a process that shares our memory, once its context is applied: copies pass into memory of
 * its own, lets the server go on and passes the gate there (gate_pass()). Returns only when it
 * could not (a negative errno), having handed nothing over. */
int executor_server_pass_gate(const GatePass *pass);

/* Serves requests on fd until the peer closes it (0) or reading fails, or a process that shared
 * its memory died somewhere unknown (negative errno). */
int executor_server_run(int fd, const ExecutorServerChild *child);
