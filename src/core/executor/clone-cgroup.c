/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * clone-cgroup.c: see clone-cgroup.h. glibc has no clone3() wrapper: a process that shares our
 * memory must not return from the system call on our stack, so clone_cgroup_raw() below switches
 * to fn() in the child itself (x86-64 and AArch64; elsewhere such starts fall back to clone()).
 */

#include <asm/unistd.h>
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clone-cgroup.h"

static bool unsupported; /* the kernel said so once: not asked again */

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#if defined(__x86_64__) || defined(__aarch64__)
#define HAVE_CLONE_CGROUP_RAW 1
/* clone_cgroup_raw(args, size, fn, arg): clone3(args, size); in the child (on args->stack) calls
 * fn(arg) and exits with its return value; in the caller returns what the system call did. */
long clone_cgroup_raw(struct clone_args *args, size_t size, int (*fn)(void *), void *arg);

#if defined(__x86_64__)
/* rdi, rsi: the system call's arguments already; fn and arg moved to r8 and r9, which the system
 * call leaves alone and the child starts with */
__asm__(".text\n"
        ".globl clone_cgroup_raw\n"
        ".hidden clone_cgroup_raw\n"
        ".type clone_cgroup_raw, @function\n"
        "clone_cgroup_raw:\n"
        "        mov %rdx, %r8\n"
        "        mov %rcx, %r9\n"
        "        mov $" STRINGIFY(__NR_clone3) ", %eax\n"
        "        syscall\n"
        "        test %rax, %rax\n"
        "        jz 1f\n"
        "        ret\n"
        "1:      xor %ebp, %ebp\n"
        "        mov %r9, %rdi\n"
        "        call *%r8\n"
        "        mov %eax, %edi\n"
        "        mov $" STRINGIFY(__NR_exit) ", %eax\n"
        "        syscall\n"
        "        hlt\n"
        ".size clone_cgroup_raw, . - clone_cgroup_raw\n");
#else
/* x0, x1: the system call's arguments; fn and arg stay in x2 and x3, which the system call leaves
 * alone and the child starts with */
__asm__(".text\n"
        ".globl clone_cgroup_raw\n"
        ".hidden clone_cgroup_raw\n"
        ".type clone_cgroup_raw, %function\n"
        "clone_cgroup_raw:\n"
        "        mov x8, #" STRINGIFY(__NR_clone3) "\n"
        "        svc #0\n"
        "        cbz x0, 1f\n"
        "        ret\n"
        "1:      mov x29, #0\n"
        "        mov x30, #0\n"
        "        mov x0, x3\n"
        "        blr x2\n"
        "        mov x8, #" STRINGIFY(__NR_exit) "\n"
        "        svc #0\n"
        "        brk #0\n"
        ".size clone_cgroup_raw, . - clone_cgroup_raw\n");
#endif
#endif

/* The result of a clone3() call (-errno on failure): -ENOSYS, from now on, where the kernel
 * cannot. E2BIG: a kernel with clone3() but without the cgroup field (5.3 to 5.6). */
static pid_t checked(long r) {
        if (r == -ENOSYS || r == -E2BIG) {
                unsupported = true;
                return -ENOSYS;
        }
        return (pid_t) r;
}

/* exit_signal 0: the callers' processes are CLONE_PARENT ones, which get ours (clone3() wants
 * 0 with CLONE_PARENT) */
static struct clone_args make_args(uint64_t flags, int cgroup_fd) {
        return (struct clone_args) {
                .flags = flags | CLONE_INTO_CGROUP,
                .cgroup = (uint64_t) cgroup_fd,
        };
}

pid_t clone_cgroup_run(int (*fn)(void *), void *arg, void *stack, size_t stack_size, uint64_t flags,
                       pid_t *child_tid, int cgroup_fd) {
#ifdef HAVE_CLONE_CGROUP_RAW
        struct clone_args a = make_args(flags, cgroup_fd);

        if (unsupported || cgroup_fd < 0)
                return unsupported ? -ENOSYS : -EBADF;
        a.stack = (uint64_t) (uintptr_t) stack;
        a.stack_size = stack_size;
        a.child_tid = (uint64_t) (uintptr_t) child_tid;
        return checked(clone_cgroup_raw(&a, sizeof a, fn, arg));
#else
        (void) fn, (void) arg, (void) stack, (void) stack_size, (void) flags;
        (void) child_tid, (void) cgroup_fd;
        unsupported = true;
        return -ENOSYS;
#endif
}

pid_t clone_cgroup_fork(uint64_t flags, int cgroup_fd) {
        struct clone_args a = make_args(flags, cgroup_fd);
        long r;

        if (unsupported || cgroup_fd < 0)
                return unsupported ? -ENOSYS : -EBADF;
        r = syscall(SYS_clone3, &a, sizeof a);
        return checked(r < 0 ? -errno : r);
}
