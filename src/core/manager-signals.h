/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * manager-signals.h: what the manager does for the signals systemd 252's system manager reacts to
 * (systemd(1), SIGNALS). They reach it from sysmaster-init, which forwards what is sent to PID 1
 * (init-protocol.h, 8.), or directly when it runs without init. Real-time signals are numbered as
 * glibc and systemctl number them (INIT_SIGRTMIN + n), whatever C library this was built with.
 *
 *   SIGTERM            daemon-reexec            SIGRTMIN+0      isolate default.target
 *   SIGINT             ctrl-alt-del.target;     SIGRTMIN+1      isolate rescue.target
 *                      more than 7 in 2 s:      SIGRTMIN+2      isolate emergency.service
 *                      reboot-force             SIGRTMIN+3..6   halt/poweroff/reboot/kexec.target
 *   SIGHUP             daemon-reload            SIGRTMIN+13..16 the same at once (-force)
 *   SIGUSR1            reconnect to the bus     SIGRTMIN+22/23  log level debug / as configured
 *   SIGWINCH           kbrequest.target         SIGRTMIN+25     daemon-reexec
 *   SIGPWR             sigpwr.target            SIGRTMIN+26/27/28/29 log target as configured /
 *                                                               console / kmsg / as configured
 * The rest (SIGUSR2's state dump, SIGRTMIN+20/21's status display, SIGRTMIN+24, which only user
 * managers obey) is logged and ignored. Owner: main.c watches the signals and passes them here.
 */

#include <signal.h>

#include "manager.h"

/* Adds every signal manager_dispatch_signal() acts on to mask (SIGCHLD is main.c's). */
void manager_signals_add(sigset_t *mask);

void manager_dispatch_signal(Manager *m, int sig);
