/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * gate-pass.h: the last step of a start made in a process that shares the spawn server's memory
 * (executor-server.h): wait at the start's crash-recovery gate (execute.h, gate_fd), then exec the
 * command. Such a process passes its gate while the server already serves the next request, in
 * the same address space: from the moment it hands over (executor_server_pass_gate()) it may
 * touch nothing of the server's, not even errno or the heap. So gate_pass() is made of raw
 * system calls on a GatePass copied into memory of its own, and reports a failed execve() by
 * executing the helper again ("sysmaster-executor --exec-failed …"), which logs what it would
 * have said itself. Only architectures with a system-call stub below have it (HAVE_GATE);
 * elsewhere the server forks the starts that have a gate.
 */

#include <stddef.h>

#define GATE_REPORT_VERB "--exec-failed"
/* The report's argv, without its NULL: sysmaster-executor GATE_REPORT_VERB TARGET LEVEL LOG_FD
 * UNIT PATH EXECUTABLE ERRNO, where gate_pass() puts the execve() errno in place of the last
 * word (GATE_ERRNO_PLACEHOLDER), in decimal; when it was the write of 1 to exec_fd that failed,
 * prefixed GATE_STEP_EXEC_FD ("F32": exec_fd could not be written, nothing was executed). */
#define GATE_REPORT_ARGS 9
#define GATE_ERRNO_PLACEHOLDER "ERRNO"
#define GATE_STEP_EXEC_FD 'F'

/* The exit statuses gate_pass() may end with itself: EXIT_MANAGER_GONE (execute.h) and EXIT_EXEC
 * (exit-status.h); sysmaster-executor.c checks they agree. */
#define GATE_EXIT_MANAGER_GONE 250
#define GATE_EXIT_EXEC 203

/* The server's fds live at or above this number, above any fd layout of a request
 * (3 … 3 + EXECUTOR_SERVER_FDS_MAX - 1). */
#define GATE_SERVER_FD_MIN 256

typedef struct GatePass {
        int gate_fd;        /* a byte: "recorded, go"; EOF: the manager died (GATE_EXIT_MANAGER_GONE) */
        int exec_fd;        /* or -1: 1 is written before the command's execve(), 0 after a failed one */
        int report_fd;      /* sysmaster-executor (O_PATH), run with report_argv when that fails */
        int log_fd;         /* the manager's stderr for the report, or -1 */
        const char *path;   /* the executable */
        char **argv;        /* the command line */
        char **envp;        /* the command's environment, also the report's */
        char **report_argv; /* GATE_REPORT_ARGS words and a NULL */
} GatePass;

#if HAVE_GATE
/* Code that runs after the hand-over: no sanitizer instrumentation (its runtime state is the
 * server's), not inlined into code that has it. */
#define GATE_CODE __attribute__((no_sanitize_address, no_sanitize_undefined, noinline))

/* One system call without errno (shared with the server, see above): the result or -errno. */
long gate_syscall(long n, long a, long b, long c, long d, long e, long f);

/* The bytes gate_pass_copy() needs for p. */
size_t gate_pass_size(const GatePass *p);
/* Copies p, its strings and arrays into buf (gate_pass_size(p) bytes) and returns the copy. */
GatePass *gate_pass_copy(const GatePass *p, void *buf);

/* Calls fn(arg) on the stack whose highest address is top (16-byte aligned); fn must not return. */
__attribute__((noreturn)) void gate_run_on_stack(void *top, void (*fn)(void *), void *arg);

/* Waits at p->gate_fd (closing it), writes 1 to p->exec_fd, marks the fds close-on-exec and
 * executes the command; on failure reports as described above. System calls only; p is written
 * to (the report's errno word). */
__attribute__((noreturn)) void gate_pass(GatePass *p);
#endif
