/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * reexec.h: the manager executes itself again in place: same PID, so the services stay its
 * children, and the channel to sysmaster-init stays open (its fd loses FD_CLOEXEC). Everything
 * else comes back from the state store and init's fd store (manager-store.h); the new image
 * knows it is recovering from $SYSMASTER_REEXEC=1.
 *
 * Two ways in: daemon-reexec (manager_reexecute()), and a fatal signal (SIGSEGV, SIGBUS,
 * SIGILL, SIGFPE, SIGABRT): the handler only calls async-signal-safe functions (fcntl,
 * sigprocmask, write, execve) on an argv and environment prepared by reexec_prepare(). If the
 * execve() fails the handler lets the signal kill us, and init starts a new manager.
 *
 * The binary executed is the one at the path we were started from, so a new version installed
 * there takes over (a live update).
 */

#include <stdbool.h>

/* Prepares argv, the environment and the binary's path. init_fd: our end of the channel to
 * init (-1: none; a manager without init cannot survive a crash, but may still re-execute). */
int reexec_prepare(char **argv, int init_fd);
/* Installs the handler of the fatal signals (after reexec_prepare()). */
void reexec_install_crash_handler(void);
/* Whether this image was started by a re-execution (then $SYSMASTER_REEXEC is unset). */
bool reexec_was_reexecuted(void);
/* daemon-reexec: executes the new image now. Returns only on failure (negative errno). */
int reexec_now(void);
