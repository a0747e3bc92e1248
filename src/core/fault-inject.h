/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * fault-inject.h: crashes the manager on purpose at named points, for the crash-recovery tests
 * (test/integration/test-recovery*.sh). Armed at startup from $SYSMASTER_FAULT or from the
 * file RUNTIME_DIR/sysmaster/fault (removed when read, so that the manager init starts after
 * the crash does not crash again). Syntax: POINT[:N][=SIGNAL], e.g. "after-fork:3=KILL"
 * crashes at the third pass through after-fork with SIGKILL (default SIGSEGV; SEGV, ABRT, KILL).
 * Points:
 *   after-fork          a process was spawned, its PID is not yet in the state store
 *   mid-transaction     half of a transaction's jobs are installed
 *   before-signal       units changed state, their D-Bus signals are not sent yet
 *   mid-reload          daemon-reload dropped the unit files, has not read them again
 *   after-commit        the state store was committed, the spawned processes still wait
 *   after-accept        an Accept=yes socket accepted a connection and handed it to init,
 *                       no service instance has it yet
 *   start@UNIT          a start job of UNIT is about to run (every manager image that has the
 *                       switch in $SYSMASTER_FAULT crashes there: a crash loop on one event)
 * Unarmed, fault_point() is one predictable branch.
 */

#include <stdbool.h>

/* Reads the switch (call once, early). runtime_dir: where sysmaster/fault may be. */
void fault_inject_setup(const char *runtime_dir);
void fault_point_slow(const char *name);

void fault_point_arg_slow(const char *name, const char *arg);

extern bool fault_inject_armed;
static inline void fault_point_arg(const char *name, const char *arg) {
        if (__builtin_expect(fault_inject_armed, 0))
                fault_point_arg_slow(name, arg);
}
static inline void fault_point(const char *name) {
        if (__builtin_expect(fault_inject_armed, 0))
                fault_point_slow(name);
}
