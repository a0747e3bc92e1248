/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * emergency-action.c: see emergency-action.h. Messages as systemd 252 ("Rebooting: unit foo
 * failed", "Shutdown is already active. Skipping emergency action request reboot.").
 */

#include <stdlib.h>
#include <unistd.h>

#include "emergency-action.h"
#include "job.h"
#include "log.h"
#include "manager.h"
#include "string-util.h"

static const char *const emergency_action_table[_EMERGENCY_ACTION_MAX] = {
        [EMERGENCY_ACTION_NONE] = "none",
        [EMERGENCY_ACTION_REBOOT] = "reboot",
        [EMERGENCY_ACTION_REBOOT_FORCE] = "reboot-force",
        [EMERGENCY_ACTION_REBOOT_IMMEDIATE] = "reboot-immediate",
        [EMERGENCY_ACTION_POWEROFF] = "poweroff",
        [EMERGENCY_ACTION_POWEROFF_FORCE] = "poweroff-force",
        [EMERGENCY_ACTION_POWEROFF_IMMEDIATE] = "poweroff-immediate",
        [EMERGENCY_ACTION_EXIT] = "exit",
        [EMERGENCY_ACTION_EXIT_FORCE] = "exit-force",
};

const char *emergency_action_to_string(EmergencyAction a) {
        return a >= 0 && a < _EMERGENCY_ACTION_MAX ? emergency_action_table[a] : NULL;
}

EmergencyAction emergency_action_from_string(const char *s) {
        return (EmergencyAction) string_table_lookup(emergency_action_table, _EMERGENCY_ACTION_MAX, s);
}

/* Inside a container (or a PID namespace of the sandbox) "exit" really exits. */
static bool manager_in_container(const Manager *m) {
        const char *c = getenv("container");

        return m->test_run || !isempty(c) || access("/run/systemd/container", F_OK) >= 0 || getpid() == 1;
}

static void log_action(bool warn, const char *message, const char *reason) {
        log_full(warn ? LOG_WARNING : LOG_DEBUG, "%s: %s", message, reason);
}

void emergency_action_full(Manager *m, EmergencyAction action, EmergencyActionFlags flags,
                           const char *reboot_arg, int exit_status, const char *reason) {
        bool warn = flags & EMERGENCY_ACTION_WARN;
        Unit *shutdown;

        (void) reboot_arg; /* the reboot parameter goes through sysmaster-init (later issue) */
        if (action < 0 || action >= _EMERGENCY_ACTION_MAX)
                return;
        if (IN_SET(action, EMERGENCY_ACTION_REBOOT, EMERGENCY_ACTION_POWEROFF, EMERGENCY_ACTION_EXIT)) {
                shutdown = manager_get_unit(m, "shutdown.target");
                if (shutdown && unit_active_or_pending(unit_follow_merge(shutdown))) {
                        log_notice("Shutdown is already active. Skipping emergency action request %s.",
                                   emergency_action_table[action]);
                        return;
                }
        }

        switch (action) {
        case EMERGENCY_ACTION_NONE:
                return;
        case EMERGENCY_ACTION_REBOOT:
                log_action(warn, "Rebooting", reason);
                manager_start_target(m, "reboot.target", JOB_REPLACE_IRREVERSIBLY);
                return;
        case EMERGENCY_ACTION_REBOOT_FORCE:
                log_action(warn, "Forcibly rebooting", reason);
                m->objective = MANAGER_REBOOT;
                return;
        case EMERGENCY_ACTION_REBOOT_IMMEDIATE:
                log_action(warn, "Rebooting immediately", reason);
                sync();
                log_info("Rebooting.");
                m->objective = MANAGER_REBOOT;
                return;
        case EMERGENCY_ACTION_EXIT:
                if (exit_status >= 0)
                        m->return_value = exit_status;
                if (manager_in_container(m)) {
                        log_action(warn, "Exiting", reason);
                        manager_start_target(m, "exit.target", JOB_REPLACE_IRREVERSIBLY);
                        return;
                }
                log_notice("Doing \"poweroff\" action instead of an \"exit\" emergency action.");
                _fallthrough_;
        case EMERGENCY_ACTION_POWEROFF:
                log_action(warn, "Powering off", reason);
                manager_start_target(m, "poweroff.target", JOB_REPLACE_IRREVERSIBLY);
                return;
        case EMERGENCY_ACTION_EXIT_FORCE:
                if (exit_status >= 0)
                        m->return_value = exit_status;
                if (manager_in_container(m)) {
                        log_action(warn, "Exiting immediately", reason);
                        m->objective = MANAGER_EXIT;
                        return;
                }
                log_notice("Doing \"poweroff-force\" action instead of an \"exit-force\" emergency action.");
                _fallthrough_;
        case EMERGENCY_ACTION_POWEROFF_FORCE:
                log_action(warn, "Forcibly powering off", reason);
                m->objective = MANAGER_POWEROFF;
                return;
        case EMERGENCY_ACTION_POWEROFF_IMMEDIATE:
                log_action(warn, "Powering off immediately", reason);
                sync();
                log_info("Powering off.");
                m->objective = MANAGER_POWEROFF;
                return;
        default:
                return;
        }
}

void emergency_action(Manager *m, EmergencyAction action, const char *reason, int exit_status) {
        emergency_action_full(m, action, EMERGENCY_ACTION_WARN, NULL, exit_status, reason);
}
