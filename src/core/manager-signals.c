/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* manager-signals.c: the manager's reactions to signals, as systemd 252's system manager has them
 * (manager-signals.h). */

#include <stdio.h>

#include "emergency-action.h"
#include "init-protocol.h"
#include "job.h"
#include "log.h"
#include "manager-signals.h"
#include "manager-sysbus.h"
#include "signal-util.h"
#include "time-base.h"

#define CTRL_ALT_DEL_BURST 7U /* more SIGINTs than this within the interval: reboot-force */
#define CTRL_ALT_DEL_INTERVAL_USEC (2 * USEC_PER_SEC)

/* The units SIGRTMIN+0..6 start, in systemd's order and modes. */
static const struct {
        const char *unit;
        JobMode mode;
} rt_targets[] = {
        { "default.target", JOB_ISOLATE },
        { "rescue.target", JOB_ISOLATE },
        { "emergency.service", JOB_ISOLATE },
        { "halt.target", JOB_REPLACE_IRREVERSIBLY },
        { "poweroff.target", JOB_REPLACE_IRREVERSIBLY },
        { "reboot.target", JOB_REPLACE_IRREVERSIBLY },
        { "kexec.target", JOB_REPLACE_IRREVERSIBLY },
};

/* SIGRTMIN+13..16: at once, without the targets */
static const ManagerObjective rt_immediate[] = {
        MANAGER_HALT,
        MANAGER_POWEROFF,
        MANAGER_REBOOT,
        MANAGER_KEXEC,
};

#define RT_IMMEDIATE_FIRST 13

void manager_signals_add(sigset_t *mask) {
        static const int classic[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR };

        for (size_t i = 0; i < ELEMENTSOF(classic); i++)
                (void) sigaddset(mask, classic[i]);
        for (int n = 0; n <= INIT_SIGRTMIN_LAST; n++)
                (void) sigaddset(mask, INIT_SIGRTMIN + n);
}

/* true if this SIGINT is the 8th or later within CTRL_ALT_DEL_INTERVAL_USEC ("more than 7 times
 * within 2s"): the ring holds the times of the last CTRL_ALT_DEL_BURST */
static bool ctrl_alt_del_burst(Manager *m) {
        usec_t t = now(CLOCK_MONOTONIC);
        unsigned slot = m->n_ctrl_alt_del % CTRL_ALT_DEL_BURST;
        bool burst = m->n_ctrl_alt_del >= CTRL_ALT_DEL_BURST &&
                t - m->ctrl_alt_del_times[slot] < CTRL_ALT_DEL_INTERVAL_USEC;

        m->ctrl_alt_del_times[slot] = t;
        m->n_ctrl_alt_del++;
        return burst;
}

static void set_log_level(int level, const char *why) {
        log_set_max_level(level);
        log_info("%s: log level set to %s.", why, log_level_to_string(level));
}

static void set_log_target(LogTarget target, const char *why) {
        log_set_target(target);
        log_info("%s: log target set to %s.", why, log_target_to_string(target));
}

static void dispatch_realtime(Manager *m, int n) {
        char why[32];

        (void) snprintf(why, sizeof why, "Received SIGRTMIN+%d", n);
        if (n >= 0 && n < (int) ELEMENTSOF(rt_targets)) {
                log_info("%s, starting %s.", why, rt_targets[n].unit);
                manager_start_target(m, rt_targets[n].unit, rt_targets[n].mode);
                return;
        }
        if (n >= RT_IMMEDIATE_FIRST && n < RT_IMMEDIATE_FIRST + (int) ELEMENTSOF(rt_immediate)) {
                m->objective = rt_immediate[n - RT_IMMEDIATE_FIRST];
                log_notice("%s: %s at once.", why, manager_objective_to_string(m->objective));
                return;
        }
        switch (n) {
        case 22:
                set_log_level(LOG_DEBUG, why);
                break;
        case 23:
                set_log_level(m->original_log_level, why);
                break;
        case 25:
                log_info("%s, re-executing.", why);
                m->objective = MANAGER_REEXECUTE;
                break;
        case 26:
        case 29: /* once syslog-or-kmsg; systemd 252 restores too */
                set_log_target((LogTarget) m->original_log_target, why);
                break;
        case 27:
                set_log_target(LOG_TARGET_CONSOLE, why);
                break;
        case 28:
                set_log_target(LOG_TARGET_KMSG, why);
                break;
        case 20:
        case 21:
                log_info("%s: status messages on the console are not shown by this manager, ignoring.", why);
                break;
        case 24:
                log_debug("%s: exits user managers only, ignoring.", why);
                break;
        default:
                log_warning("Got unhandled signal <SIGRTMIN+%d>.", n);
        }
}

void manager_dispatch_signal(Manager *m, int sig) {
        switch (sig) {
        case SIGTERM:
                /* systemd: SIGTERM to the manager means daemon-reexec. */
                log_info("Received SIGTERM, re-executing.");
                m->objective = MANAGER_REEXECUTE;
                break;
        case SIGINT:
                if (ctrl_alt_del_burst(m)) {
                        emergency_action(m, EMERGENCY_ACTION_REBOOT_FORCE,
                                         "Ctrl-Alt-Del was pressed more than 7 times within 2s", -1);
                        break;
                }
                log_notice("Received SIGINT (ctrl-alt-del), starting ctrl-alt-del.target.");
                manager_start_target(m, "ctrl-alt-del.target", JOB_REPLACE_IRREVERSIBLY);
                break;
        case SIGWINCH:
                log_info("Received SIGWINCH (kbrequest), starting kbrequest.target.");
                manager_start_target(m, "kbrequest.target", JOB_REPLACE);
                break;
        case SIGPWR:
                log_info("Received SIGPWR, starting sigpwr.target.");
                manager_start_target(m, "sigpwr.target", JOB_REPLACE);
                break;
        case SIGHUP:
                log_info("Received SIGHUP, reloading.");
                m->objective = MANAGER_RELOAD;
                break;
        case SIGUSR1:
                /* as systemd: (re)connect to the system bus */
                log_info("Received SIGUSR1, connecting to the system bus.");
                manager_sysbus_connect_soon(m);
                break;
        default:
                if (sig >= INIT_SIGRTMIN && sig <= INIT_SIGRTMIN + INIT_SIGRTMIN_LAST)
                        dispatch_realtime(m, sig - INIT_SIGRTMIN);
                else
                        log_debug("Received signal %s, ignoring.", signal_to_string(sig));
        }
}
