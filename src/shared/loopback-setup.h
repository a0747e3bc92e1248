/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * loopback-setup.h: brings the loopback device of the calling process's network namespace up,
 * as systemd's PID 1 does at boot and for PrivateNetwork= (the kernel then gives it 127.0.0.1
 * and ::1). Used by the manager at start and by the exec helper.
 */

/* 0 (also when it was up already) or -errno. */
int loopback_setup(void);
