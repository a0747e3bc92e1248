/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * emergency-action.h: what SuccessAction=, FailureAction=, StartLimitAction= and
 * JobTimeoutAction= do, as systemd 252's emergency_action(): "reboot", "poweroff" and "exit"
 * start reboot.target / poweroff.target / exit.target (replace-irreversibly), the "-force"
 * variants end the main loop with the matching objective, the "-immediate" ones too (the
 * manager is not PID 1 here: sysmaster-init does the reboot(2) once the manager asks for it).
 * "exit" outside a container is done as "poweroff", as systemd's system manager does. The string
 * table (emergency_action_to_string()) is declared in unit.h.
 */

#include "unit.h"

typedef enum EmergencyActionFlags {
        EMERGENCY_ACTION_IS_WATCHDOG = 1 << 0, /* a watchdog or rate limit decided this */
        EMERGENCY_ACTION_WARN = 1 << 1,        /* log at warning level (else debug), as 252 */
} EmergencyActionFlags;

/* Performs action for reason ("unit foo.service failed"); exit_status >= 0 becomes the manager's
 * exit status for the exit actions (m->return_value). reboot_arg may be NULL. Never fails (a job
 * that cannot be enqueued is logged). */
void emergency_action_full(Manager *m, EmergencyAction action, EmergencyActionFlags flags,
                           const char *reboot_arg, int exit_status, const char *reason);
/* The same with EMERGENCY_ACTION_WARN (job timeouts, start limits). */
void emergency_action(Manager *m, EmergencyAction action, const char *reason, int exit_status);
