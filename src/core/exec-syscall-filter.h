/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* exec-syscall-filter: the data of SystemCallFilter=, SystemCallErrorNumber= and
 * SystemCallArchitectures=, shared by the manager, which reads the settings into an ExecContext
 * (exec-context-load.c) and shows them (dbus-exec.c), and the exec helper, which turns them into
 * seccomp filters before the command's execve() (executor-seccomp.h). Names are checked against
 * libseccomp's tables, the groups are systemd 252's. c->syscall_filter holds sorted entries
 * "name" or "name:ERRNO" (ERRNO a number), c->syscall_archs sorted architecture names. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec-context.h"

/* SystemCallErrorNumber=kill, the default: a filtered call kills the process (SIGSYS). The value
 * systemd 252 shows on the bus. */
#define EXEC_SYSCALL_ERRNO_KILL (INT32_MAX - 1)

/* Calls fn for every system call of "@group", the groups it holds expanded. -ENOENT for an
 * unknown group, else 0 or the first negative fn returned. */
int exec_syscall_group_foreach(const char *group, int (*fn)(const char *name, void *userdata), void *userdata);

/* Adds name (a call or "@group", with its errno, 0 for none) to c's filter list, or takes it
 * out. A name already listed keeps its errno, as in systemd. -ENOENT for a group, -EINVAL for a
 * call, that this build does not know (the members of a group that libseccomp does not know are
 * skipped silently, as by systemd); -ENOMEM. */
int exec_syscall_filter_update(ExecContext *c, const char *name, int error, bool add);

/* The errno of a filter entry ("name:13" → 13, "name" → 0), and the length of its name. */
int exec_syscall_entry_split(const char *entry, size_t *ret_name_len);

/* The SCMP_ARCH_* of a SystemCallArchitectures= name (native, x86, x86-64, x32, arm, arm64,
 * ...), UINT32_MAX if unknown. */
uint32_t exec_syscall_arch_from_string(const char *name);
