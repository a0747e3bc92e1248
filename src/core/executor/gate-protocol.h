/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * gate-protocol.h: how the exec helper hands a start to sysmaster-gate (sysmaster-gate.c). Shared
 * by both; includes nothing, since the gate is built without a libc.
 *
 * A process that shares the spawn server's memory (executor-server.h) must not wait at its
 * crash-recovery gate (execute.h, gate_fd): the server sleeps until it execs, and the manager opens
 * gates only after the commit at the end of its turn, so every later start of that turn would
 * wait for it. Once the context is applied, such a process execs sysmaster-gate instead of the
 * command; the gate waits, then execs the command. Its argv:
 *
 *   [GATE_ARG_GATE_FD]   the gate's read end: a byte means "recorded, go", EOF "the manager died"
 *   [GATE_ARG_EXEC_FD]   exec_fd (execute.h), or -1: 1 is written before the command's execve(),
 *                        0 after a failed one
 *   [GATE_ARG_REPORT_FD] sysmaster-executor (an O_PATH fd), run when the command's execve() fails
 *   [GATE_ARG_LOG_FD]    the manager's stderr for that report, or -1
 *   [GATE_ARG_PATH]      the executable
 *   [GATE_ARG_N]         how many arguments the command has (N ≥ 1); they follow
 *   [GATE_ARGS + N …]    the report's argv: sysmaster-executor GATE_REPORT_VERB TARGET LEVEL LOG_FD
 *                        UNIT PATH EXECUTABLE ERRNO, where the gate puts the execve() errno in
 *                        place of the last argument (GATE_ERRNO_PLACEHOLDER), in decimal; when
 *                        it was the write of 1 to exec_fd that failed, prefixed GATE_STEP_EXEC_FD
 *
 * The gate's fds are inherited without close-on-exec; it sets that flag on all of them (and closes
 * the gate) before the command's execve(). The environment is the command's.
 */

#define GATE_ARG_GATE_FD 1
#define GATE_ARG_EXEC_FD 2
#define GATE_ARG_REPORT_FD 3
#define GATE_ARG_LOG_FD 4
#define GATE_ARG_PATH 5
#define GATE_ARG_N 6
#define GATE_ARGS 7

#define GATE_REPORT_VERB "--exec-failed"
#define GATE_REPORT_ARGS 9 /* the report's argv, without its NULL */
#define GATE_ERRNO_PLACEHOLDER "ERRNO"
#define GATE_STEP_EXEC_FD 'F'  /* "F32": exec_fd could not be written (EPIPE), nothing was exec'd */

/* The exit statuses the gate may end with itself: EXIT_MANAGER_GONE (execute.h) and EXIT_EXEC
 * (exit-status.h); sysmaster-executor.c checks they agree. */
#define GATE_EXIT_MANAGER_GONE 250
#define GATE_EXIT_EXEC 203

/* The gate's fds live at or above this number in the spawn server, above any fd layout of a
 * request (3 … 3 + EXECUTOR_SERVER_FDS_MAX - 1). */
#define GATE_SERVER_FD_MIN 512
