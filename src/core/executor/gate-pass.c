/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gate-pass.c: see gate-pass.h. Everything from gate_run_on_stack() on runs in a process that
 * shares the spawn server's memory while the server runs: no libc, no sanitizer runtime (its
 * state is the server's), nothing written but the process's own stack and its GatePass.
 */

#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <string.h>

#include "gate-pass.h"

#if HAVE_GATE

#if defined(__x86_64__)
GATE_CODE long gate_syscall(long n, long a, long b, long c, long d, long e, long f) {
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

/* gate_run_on_stack(top, fn, arg): %rdi, %rsi, %rdx */
__asm__(".text\n"
        ".globl gate_run_on_stack\n"
        ".type gate_run_on_stack, @function\n"
        "gate_run_on_stack:\n"
        "        mov %rdi, %rsp\n"
        "        xor %ebp, %ebp\n"
        "        mov %rdx, %rdi\n"
        "        call *%rsi\n"
        "        hlt\n"
        ".size gate_run_on_stack, . - gate_run_on_stack\n");
#elif defined(__aarch64__)
GATE_CODE long gate_syscall(long n, long a, long b, long c, long d, long e, long f) {
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

/* gate_run_on_stack(top, fn, arg): x0, x1, x2 */
__asm__(".text\n"
        ".globl gate_run_on_stack\n"
        ".type gate_run_on_stack, %function\n"
        "gate_run_on_stack:\n"
        "        mov sp, x0\n"
        "        mov x29, #0\n"
        "        mov x30, #0\n"
        "        mov x0, x2\n"
        "        blr x1\n"
        "        brk #0\n"
        ".size gate_run_on_stack, . - gate_run_on_stack\n");
#else
#error "gate-pass.c: no system-call stub for this architecture (configure.ac should not define HAVE_GATE)"
#endif

#define sys3(n, a, b, c) gate_syscall((n), (long) (a), (long) (b), (long) (c), 0, 0, 0)

/* ---- before the hand-over: ordinary code ---------------------------------------------------- */

static size_t strv_bytes(char **v, size_t *n) {
        size_t bytes = 0;

        for (*n = 0; v && v[*n]; (*n)++)
                bytes += strlen(v[*n]) + 1;
        return bytes + (*n + 1) * sizeof(char *);
}

size_t gate_pass_size(const GatePass *p) {
        size_t n, bytes = sizeof(GatePass) + strlen(p->path) + 1;

        bytes += strv_bytes(p->argv, &n) + strv_bytes(p->envp, &n) + strv_bytes(p->report_argv, &n);
        return bytes;
}

/* Copies v: its pointer array at *arrays, its strings at *strings; both move on. */
static char **strv_copy_to(char **v, char ***arrays, char **strings) {
        char **copy = *arrays;
        size_t i = 0;

        for (; v && v[i]; i++) {
                size_t len = strlen(v[i]) + 1;

                copy[i] = memcpy(*strings, v[i], len);
                *strings += len;
        }
        copy[i] = NULL;
        *arrays += i + 1;
        return copy;
}

GatePass *gate_pass_copy(const GatePass *p, void *buf) {
        GatePass *copy = buf;
        size_t n_argv, n_envp, n_report, len = strlen(p->path) + 1;
        char **arrays = (char **) (copy + 1), *strings;

        (void) strv_bytes(p->argv, &n_argv);
        (void) strv_bytes(p->envp, &n_envp);
        (void) strv_bytes(p->report_argv, &n_report);
        strings = (char *) (arrays + n_argv + n_envp + n_report + 3);
        *copy = *p;
        copy->argv = strv_copy_to(p->argv, &arrays, &strings);
        copy->envp = strv_copy_to(p->envp, &arrays, &strings);
        copy->report_argv = strv_copy_to(p->report_argv, &arrays, &strings);
        copy->path = memcpy(strings, p->path, len);
        return copy;
}

/* ---- the gate: system calls only ------------------------------------------------------------ */

static GATE_CODE __attribute__((noreturn)) void gate_exit(int status) {
        for (;;)
                (void) sys3(__NR_exit_group, status, 0, 0);
}

static GATE_CODE void set_cloexec(int fd, int on) {
        if (fd >= 0)
                (void) sys3(__NR_fcntl, fd, F_SETFD, on ? FD_CLOEXEC : 0);
}

/* The command's execve() (or, with step GATE_STEP_EXEC_FD, the write to exec_fd before it) failed
 * with error (positive): tell the manager through exec_fd and let sysmaster-executor report it. */
static GATE_CODE __attribute__((noreturn)) void report(GatePass *p, int exec_fd, long error, char step) {
        char digits[24], *d = digits + sizeof digits;
        char zero = 0;
        int i;

        if (exec_fd >= 0)
                (void) sys3(__NR_write, exec_fd, &zero, 1);
        *--d = 0;
        do
                *--d = (char) ('0' + error % 10);
        while ((error /= 10) > 0 && d > digits + 1);
        if (step)
                *--d = step;
        for (i = 0; p->report_argv[i]; i++)
                ;
        if (p->report_fd >= 0 && i == GATE_REPORT_ARGS) {
                p->report_argv[i - 1] = d;
                set_cloexec(p->log_fd, 0);
                (void) gate_syscall(__NR_execveat, p->report_fd, (long) "", (long) p->report_argv,
                                    (long) p->envp, AT_EMPTY_PATH, 0);
        }
        gate_exit(GATE_EXIT_EXEC);
}

GATE_CODE void gate_pass(GatePass *p) {
        char b, one = 1;
        long r;

        if (p->gate_fd >= 0) {
                do
                        r = sys3(__NR_read, p->gate_fd, &b, 1);
                while (r == -EINTR);
                if (r <= 0)
                        gate_exit(GATE_EXIT_MANAGER_GONE); /* not recorded: never run the command */
                (void) sys3(__NR_close, p->gate_fd, 0, 0);
        }
        if (p->exec_fd >= 0) {
                do
                        r = sys3(__NR_write, p->exec_fd, &one, 1);
                while (r == -EINTR);
                if (r < 0)
                        report(p, -1, -r, GATE_STEP_EXEC_FD);
                set_cloexec(p->exec_fd, 1);
        }
        set_cloexec(p->report_fd, 1);
        set_cloexec(p->log_fd, 1);
        r = sys3(__NR_execve, p->path, p->argv, p->envp);
        report(p, p->exec_fd, -r, 0);
}

#endif
