/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysmaster-gate: the last step of a service start made in a process that shares the spawn
 * server's memory (executor-server.h). It waits at the start's crash-recovery gate, then execs the
 * command; its arguments are in gate-protocol.h. The context (credentials, cgroup, fds, limits,
 * capabilities) is already applied, and two execve()s leave a process in the state one would.
 *
 * Built without a libc (-nostdlib, static): its whole run is a handful of system calls, and the
 * start-up of static glibc (CPU feature probing, which traps on a paravirtualised VM) would cost
 * more than all of them. Only architectures with a system-call stub below build it; elsewhere the
 * spawn server forks instead (configure.ac).
 */

#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>

#include "gate-protocol.h"

#if defined(__x86_64__)
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
        register long r10 __asm__("r10") = d;
        register long r8 __asm__("r8") = e;
        register long r9 __asm__("r9") = f;
        long ret;

        __asm__ volatile("syscall"
                         : "=a"(ret)
                         : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
        return ret;
}

__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "        xor %rbp, %rbp\n"
        "        mov %rsp, %rdi\n"
        "        and $-16, %rsp\n"
        "        call gate_main\n"
        "        hlt\n");
#elif defined(__aarch64__)
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
        register long x8 __asm__("x8") = n;
        register long x0 __asm__("x0") = a;
        register long x1 __asm__("x1") = b;
        register long x2 __asm__("x2") = c;
        register long x3 __asm__("x3") = d;
        register long x4 __asm__("x4") = e;
        register long x5 __asm__("x5") = f;

        __asm__ volatile("svc 0"
                         : "+r"(x0)
                         : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                         : "memory");
        return x0;
}

__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "        mov x29, #0\n"
        "        mov x30, #0\n"
        "        mov x0, sp\n"
        "        bl gate_main\n"
        "        brk #0\n");
#else
#error "sysmaster-gate: no system-call stub for this architecture (configure.ac should not build it)"
#endif

void gate_main(long *sp);

#define sys3(n, a, b, c) sys6((n), (long) (a), (long) (b), (long) (c), 0, 0, 0)

static __attribute__((noreturn)) void gate_exit(int status) {
        for (;;)
                (void) sys3(__NR_exit_group, status, 0, 0);
}

/* A non-negative decimal, or -1 (also for "-1" and anything malformed). */
static int parse_fd(const char *s) {
        long v = 0;

        if (!s || !*s)
                return -1;
        for (; *s; s++) {
                if (*s < '0' || *s > '9' || v > 1000000)
                        return -1;
                v = v * 10 + (*s - '0');
        }
        return (int) v;
}

static void set_cloexec(int fd, int on) {
        if (fd >= 0)
                (void) sys3(__NR_fcntl, fd, F_SETFD, on ? FD_CLOEXEC : 0);
}

/* The command's execve() (or, with step GATE_STEP_EXEC_FD, the write to exec_fd before it) failed
 * with error (positive): tell the manager through exec_fd and let sysmaster-executor report it,
 * as it would have itself. */
static __attribute__((noreturn)) void report(char **report_argv, char **envp, int exec_fd, int report_fd,
                                             int log_fd, long error, char step) {
        char digits[24], *p = digits + sizeof digits;
        char zero = 0;
        int i;

        if (exec_fd >= 0)
                (void) sys3(__NR_write, exec_fd, &zero, 1);
        *--p = 0;
        do
                *--p = (char) ('0' + error % 10);
        while ((error /= 10) > 0 && p > digits + 1);
        if (step)
                *--p = step;
        for (i = 0; report_argv[i]; i++)
                ;
        if (report_fd >= 0 && i == GATE_REPORT_ARGS) {
                report_argv[i - 1] = p;
                set_cloexec(log_fd, 0);
                (void) sys6(__NR_execveat, report_fd, (long) "", (long) report_argv, (long) envp,
                            AT_EMPTY_PATH, 0);
        }
        gate_exit(GATE_EXIT_EXEC);
}

__attribute__((used, noreturn)) void gate_main(long *sp) {
        long argc = sp[0], n, r;
        char **argv = (char **) (sp + 1), **envp = argv + argc + 1, **report_argv, *report0;
        int gate_fd, exec_fd, report_fd, log_fd;
        char b, one = 1;

        if (argc < GATE_ARGS + 1)
                gate_exit(GATE_EXIT_EXEC);
        gate_fd = parse_fd(argv[GATE_ARG_GATE_FD]);
        exec_fd = parse_fd(argv[GATE_ARG_EXEC_FD]);
        report_fd = parse_fd(argv[GATE_ARG_REPORT_FD]);
        log_fd = parse_fd(argv[GATE_ARG_LOG_FD]);
        n = parse_fd(argv[GATE_ARG_N]);
        if (n < 1 || n > argc - GATE_ARGS)
                gate_exit(GATE_EXIT_EXEC);
        /* The command's argv ends where the report's begins: a NULL there (the array is ours, on
         * our stack) for the command's execve(), the first word put back for the report's. */
        report_argv = argv + GATE_ARGS + n;
        report0 = *report_argv;

        if (gate_fd >= 0) {
                do
                        r = sys3(__NR_read, gate_fd, &b, 1);
                while (r == -EINTR);
                if (r <= 0)
                        gate_exit(GATE_EXIT_MANAGER_GONE); /* not recorded: never run the command */
                (void) sys3(__NR_close, gate_fd, 0, 0);
        }
        if (exec_fd >= 0) {
                r = sys3(__NR_write, exec_fd, &one, 1);
                if (r < 0)
                        report(report_argv, envp, -1, report_fd, log_fd, -r, GATE_STEP_EXEC_FD);
                set_cloexec(exec_fd, 1);
        }
        set_cloexec(report_fd, 1);
        set_cloexec(log_fd, 1);
        *report_argv = 0;
        r = sys3(__NR_execve, argv[GATE_ARG_PATH], argv + GATE_ARGS, envp);
        *report_argv = report0;
        report(report_argv, envp, exec_fd, report_fd, log_fd, -r, 0);
}
