/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * crash-guard.h: the crash-loop guard of the manager. While the manager handles an event that
 * could crash it (running a job, a process's exit, a notify message), the event's key is the
 * "current event". A fatal signal (reexec.h's handler) appends "MONOTONIC KEY" to
 * RUNTIME_DIR/sysmaster/crash-events before re-executing. A manager starting up reads that
 * file: an event that was current in CRASH_GUARD_LIMIT crashes within CRASH_GUARD_WINDOW_USEC
 * is poisoned: when it comes again it is skipped with a loud message (a job fails, a message is
 * dropped) instead of crashing the manager once more. Crashes without a current event (or a
 * SIGKILL, or a hang) are left to sysmaster-init's restart back-off and crash action.
 */

#include <stdbool.h>

#define CRASH_GUARD_LIMIT 2U
#define CRASH_GUARD_WINDOW_USEC (60U * 1000000U)

/* Reads and trims the record of earlier crashes; call once at startup. */
void crash_guard_setup(const char *runtime_dir);
/* Makes "WHAT UNIT" the current event (both strings must live until crash_guard_leave(); no
 * copy is made on this hot path). false: it is poisoned, the caller must skip it (logged here). */
bool crash_guard_enter(const char *what, const char *unit);
void crash_guard_leave(void);
/* async-signal-safe: records the current event (if any) as the cause of a crash. */
void crash_guard_record_crash(void);
