/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* executor-seccomp: the seccomp filters of an ExecContext, loaded by the exec helper as the last
 * step before the command's execve() (exec-syscall-filter.h reads the settings). */

#include <stdbool.h>

#include "exec-context.h"

/* Whether no_new_privs must be set first: a filter is to be loaded and the process lacks
 * CAP_SYS_ADMIN (User=, or a bounding set without it), as systemd 252 implies NoNewPrivileges=. */
bool executor_seccomp_needs_nnp(const ExecContext *c);

/* Loads, in this order, the SystemCallArchitectures= restriction, the filters implied by
 * PrivateDevices= (@raw-io), ProtectKernelTunables= (_sysctl), ProtectKernelModules= (@module),
 * ProtectKernelLogs= (syslog) and ProtectHostname= (sethostname, setdomainname), all of these
 * failing with EPERM, then
 * SystemCallFilter= with SystemCallErrorNumber=. 0, or a negative errno (the caller fails with
 * 228/SECCOMP). Nothing happens where the kernel has no seccomp filters. */
int executor_apply_seccomp(const ExecContext *c);
