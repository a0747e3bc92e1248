/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * signal-util.c: signal names and sigset helpers. The name table mirrors systemd's: the
 * classic signals by their POSIX/Linux names, real-time signals relative to SIGRTMIN/SIGRTMAX.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "macro.h"
#include "parse-util.h"
#include "signal-util.h"
#include "string-util.h"

static const char *const signal_names[] = {
        [SIGHUP] = "HUP",     [SIGINT] = "INT",       [SIGQUIT] = "QUIT",   [SIGILL] = "ILL",
        [SIGTRAP] = "TRAP",   [SIGABRT] = "ABRT",     [SIGBUS] = "BUS",     [SIGFPE] = "FPE",
        [SIGKILL] = "KILL",   [SIGUSR1] = "USR1",     [SIGSEGV] = "SEGV",   [SIGUSR2] = "USR2",
        [SIGPIPE] = "PIPE",   [SIGALRM] = "ALRM",     [SIGTERM] = "TERM",
#ifdef SIGSTKFLT
        [SIGSTKFLT] = "STKFLT",
#endif
        [SIGCHLD] = "CHLD",   [SIGCONT] = "CONT",     [SIGSTOP] = "STOP",   [SIGTSTP] = "TSTP",
        [SIGTTIN] = "TTIN",   [SIGTTOU] = "TTOU",     [SIGURG] = "URG",     [SIGXCPU] = "XCPU",
        [SIGXFSZ] = "XFSZ",   [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",   [SIGWINCH] = "WINCH",
        [SIGIO] = "IO",       [SIGPWR] = "PWR",       [SIGSYS] = "SYS",
};

static _Thread_local char signal_buf[32];

static const char *signal_format(int sig, bool prefix) {
        const char *p = prefix ? "SIG" : "";

        if (sig > 0 && (size_t) sig < ELEMENTSOF(signal_names) && signal_names[sig]) {
                if (!prefix)
                        return signal_names[sig];
                snprintf(signal_buf, sizeof signal_buf, "SIG%s", signal_names[sig]);
        } else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
                snprintf(signal_buf, sizeof signal_buf, "%sRTMIN+%d", p, sig - SIGRTMIN);
        else
                snprintf(signal_buf, sizeof signal_buf, "%d", sig);
        return signal_buf;
}

const char *signal_to_string(int sig) {
        return signal_format(sig, true);
}

const char *signal_to_string_short(int sig) {
        return signal_format(sig, false);
}

/* The text after "RTMIN"/"RTMAX": "" or a signed offset. */
static int signal_rt_offset(const char *p, char sign, int base, int min, int max) {
        int n, r;

        if (*p == 0)
                return base;
        if (*p != sign)
                return -EINVAL;
        r = safe_atoi(p, &n);
        if (r < 0)
                return r;
        if (n < min || n > max)
                return -ERANGE;
        return base + n;
}

int signal_from_string(const char *s) {
        const char *p;
        int signo;

        if (!s)
                return -EINVAL;

        if (safe_atoi(s, &signo) >= 0)
                return SIGNAL_VALID(signo) ? signo : -ERANGE;

        if (startswith(s, "SIG"))
                s += 3;

        for (size_t i = 1; i < ELEMENTSOF(signal_names); i++)
                if (signal_names[i] && streq(signal_names[i], s))
                        return (int) i;

        p = startswith(s, "RTMIN");
        if (p)
                return signal_rt_offset(p, '+', SIGRTMIN, 0, SIGRTMAX - SIGRTMIN);
        p = startswith(s, "RTMAX");
        if (p)
                return signal_rt_offset(p, '-', SIGRTMAX, SIGRTMIN - SIGRTMAX, 0);

        return -EINVAL;
}

static int sigset_add_many_ap(sigset_t *ss, va_list ap) {
        int sig, r = 0;

        while ((sig = va_arg(ap, int)) >= 0) {
                if (sig == 0)
                        continue;
                if (sigaddset(ss, sig) < 0 && r >= 0)
                        r = -errno;
        }
        return r;
}

int sigset_add_many(sigset_t *ss, ...) {
        va_list ap;
        int r;

        va_start(ap, ss);
        r = sigset_add_many_ap(ss, ap);
        va_end(ap);
        return r;
}

int sigprocmask_many(int how, sigset_t *old, ...) {
        sigset_t ss;
        va_list ap;
        int r;

        if (sigemptyset(&ss) < 0)
                return -errno;
        va_start(ap, old);
        r = sigset_add_many_ap(&ss, ap);
        va_end(ap);
        if (r < 0)
                return r;
        if (sigprocmask(how, &ss, old) < 0)
                return -errno;
        return 0;
}

int signal_reset_default_raw(int sig) {
        /* All zero is SIG_DFL, no flags and an empty mask in every architecture's layout of the
         * kernel's struct sigaction (64 bytes cover the largest). */
        static const unsigned long zero[8];

        if (syscall(SYS_rt_sigaction, sig, zero, NULL, (size_t) ((_NSIG - 1) / 8)) == 0)
                return 0;
        if (signal(sig, SIG_DFL) != SIG_ERR)
                return 0;
        return -errno;
}

void signal_reset_all_default_raw(void) {
        for (int sig = 1; sig < _NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        (void) signal_reset_default_raw(sig);
}

void signal_reset_libc_internal_raw(void) {
        /* below SIGRTMIN: the real-time signals the C library took for itself */
        for (int sig = 32; sig < SIGRTMIN && sig < _NSIG; sig++)
                (void) signal_reset_default_raw(sig);
}
