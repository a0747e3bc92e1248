/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * kill.h: the kill settings of units that run processes (KillMode=, KillSignal=,
 * RestartKillSignal=, FinalKillSignal=, WatchdogSignal=, SendSIGKILL=, SendSIGHUP=; the
 * KillContext struct lives in service.h) and the two ways a unit's processes are signalled, as
 * systemd 252 does it: kill_context_kill() when the manager stops a unit itself (the main and
 * control process, then the cgroup according to KillMode=, SIGCONT after each signal, SIGHUP
 * when SendSIGHUP=), and kill_unit_processes() for KillUnit() requests from clients.
 */

#include "service.h"

typedef struct BusError BusError;

/* What the manager is doing when it signals (picks the signal of the context). */
typedef enum KillOperation {
        KILL_TERMINATE,          /* KillSignal= */
        KILL_TERMINATE_AND_LOG,  /* KillSignal=, logged */
        KILL_RESTART,            /* RestartKillSignal= (KillSignal= when unset) */
        KILL_KILL,               /* FinalKillSignal=, logged */
        KILL_WATCHDOG,           /* WatchdogSignal=, logged */
        _KILL_OPERATION_MAX,
        _KILL_OPERATION_INVALID = -EINVAL,
} KillOperation;

/* systemd's defaults: control-group, SIGTERM, restart signal unset, SIGKILL, SIGABRT,
 * SendSIGKILL=yes, SendSIGHUP=no. */
void kill_context_init(KillContext *c);
/* Reads section's kill settings ("Service", "Socket", "Mount", "Swap", "Scope") from u's
 * settings store into c (initialised by the caller). A bad value is logged as a warning naming
 * the unit and the setting and ignored, as systemd does at load time. Returns 0. */
int kill_context_load(Unit *u, const char *section, KillContext *c);
/* RestartKillSignal=, or KillSignal= when unset. */
int kill_context_restart_signal(const KillContext *c) _pure_;
/* The signal operation k sends under c. */
int kill_context_signal(const KillContext *c, KillOperation k) _pure_;

/* Signals u's processes to shut it down: main_pid and control_pid (if > 0) with SIGCONT after
 * the signal, then, for KillMode=control-group (or mixed with KILL_KILL), every other process of
 * u's cgroup; SIGHUP after the signal for SendSIGHUP=yes with a terminate operation. Nothing for
 * KillMode=none. Returns > 0 if something was signalled that the caller should wait for (a
 * process that is our child, or a non-empty cgroup), 0 if not, or -ENOMEM. Failures to signal
 * are logged and ignored. */
int kill_context_kill(Unit *u, const KillContext *c, KillOperation k, pid_t main_pid,
                      pid_t control_pid, bool main_pid_alien);

/* KillUnit(): signals main (KILL_MAIN*), control (KILL_CONTROL*) or all (KILL_ALL*: both plus
 * the rest of the cgroup) with signo; main_pid/control_pid < 0 mean the unit type has no such
 * process. Returns 0; -ESRCH with error set to org.freedesktop.systemd1.NoSuchProcess ("No main
 * process to kill", "No control process to kill", "No matching processes to kill" for the
 * -fail variants); or the -errno of a failed kill() with error set. */
int kill_unit_processes(Unit *u, KillWho who, int signo, pid_t main_pid, pid_t control_pid,
                        BusError *error);

/* The name of /proc/PID/comm into buf (at most 16 bytes with the NUL), or "n/a". Returns buf. */
const char *kill_process_comm(pid_t pid, char buf[static 32]);
