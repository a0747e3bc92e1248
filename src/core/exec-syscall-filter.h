/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* exec-syscall-filter: SystemCallFilter=, SystemCallErrorNumber= and SystemCallArchitectures=
 * of systemd.exec(5), read into an ExecContext at load (the manager) and turned into seccomp
 * filters before the command's execve() (the exec helper, executor-seccomp.h). The manager owns
 * the parsed lists; names are checked against libseccomp's tables, as systemd 252 does. */

#include <stdbool.h>
#include <stdint.h>

#include "exec-context.h"

/* SystemCallErrorNumber=kill, the default: a filtered call kills the process (SIGSYS). The value
 * systemd 252 shows on the bus. */
#define EXEC_SYSCALL_ERRNO_KILL (INT32_MAX - 1)

/* One SystemCallFilter= assignment, merged into c as systemd merges them: the first non-empty
 * one decides allow-list ("@default" then added) or deny-list ("~"); later words of the other
 * kind take names out again; "" resets. "@group"s are expanded; "name:ERRNO" (deny-lists only)
 * sets that call's errno. Unknown names and groups: a warning naming unit, the word skipped. */
int exec_syscall_filter_add(ExecContext *c, const char *value, const char *unit);

/* SystemCallErrorNumber=: "kill", an errno name (EPERM) or number (1..4095); "" is "kill". */
int exec_syscall_errno_parse(const char *value, int *ret);

/* One SystemCallArchitectures= assignment (names as systemd's: native, x86, x86-64, x32, arm,
 * arm64, ...); "" resets. Unknown names: a warning naming unit. */
int exec_syscall_archs_add(ExecContext *c, const char *value, const char *unit);

/* The SCMP_ARCH_* of a SystemCallArchitectures= name, UINT32_MAX if unknown. */
uint32_t exec_syscall_arch_from_string(const char *name);

/* "EACCES" for an errno number, or its decimal digits where it has no name: in buf. */
const char *exec_errno_name(int error, char buf[static 12]);

/* The members of "@group" (NUL-separated, each a call or another "@group"), NULL if none such. */
const char *exec_syscall_group_members(const char *group);
