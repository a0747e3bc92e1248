/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * spawn-util.h: starting a program with vfork semantics. The new process shares the caller's
 * memory until its execve() (clone(CLONE_VM | CLONE_VFORK), as posix_spawn() does): no page
 * table is copied, which on this kind of VM is most of a fork's cost. Unlike glibc's
 * posix_spawn(), the program starts with every signal disposition at its default, glibc's two
 * internal real-time signals (32, 33) included: posix_spawn() leaves those ignored, and an
 * ignored signal stays ignored across execve(), which fork() + execve() (udevd's way) does
 * not do. Used by devmaster for the programs the rules run; the manager's spawn server
 * (executor-server.h) clones on a stack of its own too and uses clone_stack_done().
 */

#include <stddef.h>
#include <sys/types.h>

/* clone(CLONE_VM | CLONE_VFORK | flags) running fn(arg) on stack (size bytes, lowest address
 * first): returns when the new process exec'd or exited, with its pid or a negative errno.
 * The stack may be used again afterwards (under ASan its shadow is cleared: the process left
 * its frames' redzones poisoned, never having returned from them). */
pid_t clone_vfork(int (*fn)(void *), void *arg, void *stack, size_t size, int flags);

/* After a process that ran on stack (size bytes, lowest address first) with our memory left it:
 * under ASan its shadow is cleared (the process left its frames' redzones poisoned, never having
 * returned from them); otherwise nothing. */
void clone_stack_done(void *stack, size_t size);

/* Starts path with argv and envp: stdio[0..2] (an fd, or -1 to leave that one as it is)
 * become its stdin, stdout and stderr, every other fd is closed, every signal disposition is
 * SIG_DFL and nothing is blocked. 0 and the pid, or a negative errno from the clone() or the
 * execve() itself (the process is then reaped already). The caller's signal mask is kept;
 * signals are blocked in the caller only while the new process runs on its memory. */
int spawn_program_vfork(const char *path, char *const argv[], char *const envp[], const int stdio[3],
                        pid_t *ret_pid);
