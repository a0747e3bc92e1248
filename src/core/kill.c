/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kill.c: KillContext defaults and loading, the kill sequence of a unit's processes, and
 * KillUnit() (see kill.h). Signals go to the main and control process by pid and to the rest
 * of the unit through its cgroup (cgroup.c); without a cgroup only the known pids are reached.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus-error.h"
#include "cgroup.h"
#include "fd-util.h"
#include "kill.h"
#include "log.h"
#include "parse-util.h"
#include "signal-util.h"
#include "string-util.h"

#define BUS_ERROR_NO_SUCH_PROCESS "org.freedesktop.systemd1.NoSuchProcess"

/* kill_mode_to_string() & co. (unit.h) are in unit-runtime.c. */

void kill_context_init(KillContext *c) {
        *c = (KillContext) {
                .kill_mode = KILL_CONTROL_GROUP,
                .kill_signal = SIGTERM,
                .restart_kill_signal = 0,
                .final_kill_signal = SIGKILL,
                .watchdog_signal = SIGABRT,
                .send_sigkill = true,
                .send_sighup = false,
        };
}

static const char *setting(Unit *u, const char *section, const char *key) {
        char sk[64];

        snprintf(sk, sizeof sk, "%s.%s", section, key);
        return unit_setting_last(u, sk);
}

/* A signal setting; restart allows the empty value (unset). */
static void load_signal(Unit *u, const char *section, const char *key, bool allow_unset, int *ret) {
        const char *v = setting(u, section, key);
        int sig;

        if (!v)
                return;
        if (isempty(v) && allow_unset) {
                *ret = 0;
                return;
        }
        sig = signal_from_string(v);
        if (sig <= 0) {
                log_warning("%s: Failed to parse %s= value, ignoring: %s", u->id, key, v);
                return;
        }
        *ret = sig;
}

static void load_bool(Unit *u, const char *section, const char *key, bool *ret) {
        const char *v = setting(u, section, key);
        int b;

        if (!v)
                return;
        b = parse_boolean(v);
        if (b < 0) {
                log_warning("%s: Failed to parse boolean value, ignoring: %s", u->id, v);
                return;
        }
        *ret = b;
}

int kill_context_load(Unit *u, const char *section, KillContext *c) {
        const char *v = setting(u, section, "KillMode");

        if (v) {
                KillMode m = kill_mode_from_string(v);
                if (m < 0)
                        log_warning("%s: Failed to parse kill mode, ignoring: %s", u->id, v);
                else
                        c->kill_mode = m;
        }
        load_signal(u, section, "KillSignal", false, &c->kill_signal);
        load_signal(u, section, "RestartKillSignal", true, &c->restart_kill_signal);
        load_signal(u, section, "FinalKillSignal", false, &c->final_kill_signal);
        load_signal(u, section, "WatchdogSignal", false, &c->watchdog_signal);
        load_bool(u, section, "SendSIGKILL", &c->send_sigkill);
        load_bool(u, section, "SendSIGHUP", &c->send_sighup);
        if (c->kill_mode == KILL_NONE)
                log_warning("%s: Unit configured to use KillMode=none. This is unsafe, as it disables "
                            "systemd's process lifecycle management for the service. Please update your "
                            "service to use a safer KillMode=, such as 'mixed' or 'control-group'. Support "
                            "for KillMode=none is deprecated and will eventually be removed.", u->id);
        return 0;
}

int kill_context_restart_signal(const KillContext *c) {
        return c->restart_kill_signal != 0 ? c->restart_kill_signal : c->kill_signal;
}

int kill_context_signal(const KillContext *c, KillOperation k) {
        switch (k) {
        case KILL_RESTART:
                return kill_context_restart_signal(c);
        case KILL_KILL:
                return c->final_kill_signal;
        case KILL_WATCHDOG:
                return c->watchdog_signal;
        default:
                return c->kill_signal;
        }
}

const char *kill_process_comm(pid_t pid, char buf[static 32]) {
        char path[64];
        _cleanup_free_ char *s = NULL;

        snprintf(path, sizeof path, "/proc/%i/comm", (int) pid);
        if (read_full_file(path, 64, &s, NULL) < 0 || isempty(s)) {
                snprintf(buf, 32, "n/a");
                return buf;
        }
        snprintf(buf, 32, "%s", strstrip(s));
        return buf;
}

/* kill() and then SIGCONT (so that a stopped process sees the signal); -errno of the first. */
static int kill_and_sigcont(pid_t pid, int sig) {
        if (kill(pid, sig) < 0)
                return -errno;
        if (!IN_SET(sig, SIGCONT, SIGKILL))
                (void) kill(pid, SIGCONT);
        return 0;
}

/* Signals one known process; returns whether it is worth waiting for. */
static bool kill_one(Unit *u, const char *what, pid_t pid, int sig, bool noteworthy, bool sighup) {
        char comm[32];
        int r;

        if (noteworthy)
                log_unit_notice(u, "Killing process %i (%s) with signal %s.", (int) pid,
                                kill_process_comm(pid, comm), signal_to_string(sig));
        r = kill_and_sigcont(pid, sig);
        if (r < 0 && r != -ESRCH) {
                log_unit_warning_errno(u, r, "Failed to kill %s process %i (%s), ignoring: %m", what,
                                       (int) pid, kill_process_comm(pid, comm));
                return false;
        }
        if (r >= 0 && sighup)
                (void) kill(pid, SIGHUP);
        return true;
}

int kill_context_kill(Unit *u, const KillContext *c, KillOperation k, pid_t main_pid,
                      pid_t control_pid, bool main_pid_alien) {
        pid_t except[2];
        size_t n_except = 0;
        bool wait_for_exit = false, noteworthy, sighup;
        int sig, r;

        if (c->kill_mode == KILL_NONE)
                return 0;
        sig = kill_context_signal(c, k);
        noteworthy = IN_SET(k, KILL_KILL, KILL_WATCHDOG);
        sighup = c->send_sighup && IN_SET(k, KILL_TERMINATE, KILL_TERMINATE_AND_LOG) && sig != SIGHUP;

        if (main_pid > 0) {
                except[n_except++] = main_pid;
                if (kill_one(u, "main", main_pid, sig, noteworthy, sighup) && !main_pid_alien)
                        wait_for_exit = true;
        }
        if (control_pid > 0) {
                except[n_except++] = control_pid;
                if (kill_one(u, "control", control_pid, sig, noteworthy, sighup))
                        wait_for_exit = true;
        }
        if (!u->cgroup_path ||
            !(c->kill_mode == KILL_CONTROL_GROUP || (c->kill_mode == KILL_MIXED && k == KILL_KILL)))
                return wait_for_exit;

        r = unit_cgroup_kill(u, sig, true, except, n_except);
        if (r < 0) {
                if (!IN_SET(r, -EAGAIN, -ESRCH, -ENOENT))
                        log_unit_warning_errno(u, r, "Failed to kill control group %s, ignoring: %m",
                                               u->cgroup_path);
        } else if (r > 0) {
                if (noteworthy)
                        log_unit_notice(u, "Killed %i remaining process(es) of the control group with signal %s.",
                                        r, signal_to_string(sig));
                wait_for_exit = true;
                if (sighup)
                        (void) unit_cgroup_kill(u, SIGHUP, false, except, n_except);
        }
        return wait_for_exit;
}

/* One KillUnit() target; returns 1 if signalled, 0 if not (error set when it failed). */
static int kill_request_one(Unit *u, const char *what, pid_t pid, int signo, BusError *error, int *r) {
        char comm[32];

        kill_process_comm(pid, comm);
        if (kill(pid, signo) < 0) {
                int e = -errno;
                if (*r == 0)
                        bus_error_set_errnof(error, e, "Failed to send signal %s to %s process %i (%s): %m",
                                             signal_to_string(signo), what, (int) pid, comm);
                *r = log_unit_warning_errno(u, e, "Failed to send signal %s to %s process %i (%s) on client request: %m",
                                            signal_to_string(signo), what, (int) pid, comm);
                return 0;
        }
        log_unit_info(u, "Sent signal %s to %s process %i (%s) on client request.",
                      signal_to_string(signo), what, (int) pid, comm);
        return 1;
}

int kill_unit_processes(Unit *u, KillWho who, int signo, pid_t main_pid, pid_t control_pid,
                        BusError *error) {
        bool killed = false;
        int r = 0;

        if (IN_SET(who, KILL_MAIN, KILL_MAIN_FAIL)) {
                if (main_pid < 0)
                        return bus_error_setf(error, BUS_ERROR_NO_SUCH_PROCESS, "%s units have no main processes",
                                              unit_type_to_string(u->type)), -ESRCH;
                if (main_pid == 0)
                        return bus_error_set(error, BUS_ERROR_NO_SUCH_PROCESS, "No main process to kill"), -ESRCH;
        }
        if (IN_SET(who, KILL_CONTROL, KILL_CONTROL_FAIL)) {
                if (control_pid < 0)
                        return bus_error_setf(error, BUS_ERROR_NO_SUCH_PROCESS, "%s units have no control processes",
                                              unit_type_to_string(u->type)), -ESRCH;
                if (control_pid == 0)
                        return bus_error_set(error, BUS_ERROR_NO_SUCH_PROCESS, "No control process to kill"), -ESRCH;
        }
        if (IN_SET(who, KILL_CONTROL, KILL_CONTROL_FAIL, KILL_ALL, KILL_ALL_FAIL) && control_pid > 0)
                killed |= kill_request_one(u, "control", control_pid, signo, error, &r) > 0;
        if (IN_SET(who, KILL_MAIN, KILL_MAIN_FAIL, KILL_ALL, KILL_ALL_FAIL) && main_pid > 0)
                killed |= kill_request_one(u, "main", main_pid, signo, error, &r) > 0;
        if (IN_SET(who, KILL_ALL, KILL_ALL_FAIL) && u->cgroup_path) {
                pid_t except[2];
                size_t n = 0;
                int q;

                if (main_pid > 0)
                        except[n++] = main_pid;
                if (control_pid > 0)
                        except[n++] = control_pid;
                q = unit_cgroup_kill(u, signo, false, except, n);
                if (q < 0 && !IN_SET(q, -ESRCH, -ENOENT)) {
                        if (r == 0)
                                bus_error_set_errnof(error, q, "Failed to send signal %s to auxiliary processes: %m",
                                                     signal_to_string(signo));
                        r = log_unit_warning_errno(u, q, "Failed to send signal %s to auxiliary processes on client request: %m",
                                                   signal_to_string(signo));
                } else if (q > 0)
                        killed = true;
        }
        if (r == 0 && !killed && IN_SET(who, KILL_ALL_FAIL, KILL_CONTROL_FAIL, KILL_MAIN_FAIL))
                return bus_error_set(error, BUS_ERROR_NO_SUCH_PROCESS, "No matching processes to kill"), -ESRCH;
        return r;
}
