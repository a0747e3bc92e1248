/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * clone-cgroup.h: the spawn server's new processes made directly in their unit's cgroup
 * (clone3() with CLONE_INTO_CGROUP, Linux 5.7). A process that is born in its cgroup needs no
 * migration: writing a pid to cgroup.procs takes the kernel's cgroup-wide lock for writing
 * (which every fork, exec and exit on the machine takes for reading, and whose first writer
 * waits for an RCU grace period), and before this both the new process and the manager wrote
 * one, for every start. Where the kernel has no clone3() or no CLONE_INTO_CGROUP, or refuses the
 * cgroup, the callers fall back to clone() and the process joins its cgroup itself.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Like clone(fn, stack top, flags, arg, NULL, NULL, child_tid) with CLONE_PARENT in flags (the
 * new process gets our exit signal), the new process created in the cgroup of the cgroup2
 * directory cgroup_fd (O_PATH is enough). stack/stack_size the whole stack (its lowest address
 * and size). Returns the pid, or a negative errno: -ENOSYS when this kernel or architecture
 * cannot (and from then on without asking it again), another one when the kernel refused this
 * cgroup (-EBADF for cgroup_fd -1). */
pid_t clone_cgroup_run(int (*fn)(void *), void *arg, void *stack, size_t stack_size, uint64_t flags,
                       pid_t *child_tid, int cgroup_fd);

/* Like fork() with flags, CLONE_PARENT among them (no CLONE_VM: the child goes on on a copy of
 * our stack; returns 0 there), in the cgroup of cgroup_fd. Same returns as clone_cgroup_run(). */
pid_t clone_cgroup_fork(uint64_t flags, int cgroup_fd);
