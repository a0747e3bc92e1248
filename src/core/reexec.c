/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * reexec.c: executing the manager again in place, see reexec.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash-guard.h"
#include "init-protocol.h"
#include "log.h"
#include "macro.h"
#include "reexec.h"
#include "string-util.h"
#include "strv.h"

#define REEXEC_ENV "SYSMASTER_REEXEC"

static char exe[PATH_MAX];
static char **args, **envp;
static int channel_fd = -1;
static bool reexecuted;

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

int reexec_prepare(char **argv, int init_fd) {
        char fdvar[64];
        ssize_t n;

        reexecuted = getenv(REEXEC_ENV) != NULL;
        (void) unsetenv(REEXEC_ENV);
        n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n <= 0)
                return log_warning_errno(errno, "Cannot find our own binary, re-execution disabled: %m");
        exe[n] = 0;
        /* a binary replaced on disk: the path of the new one */
        if (endswith(exe, " (deleted)"))
                exe[n - strlen(" (deleted)")] = 0;
        strv_free(args);
        strv_free(envp);
        args = strv_copy(argv);
        envp = NULL;
        STRV_FOREACH(e, environ)
                if (!startswith(*e, INIT_FD_ENV "=") && !startswith(*e, REEXEC_ENV "=") &&
                    strv_extend(&envp, *e) < 0)
                        return log_oom();
        snprintf(fdvar, sizeof(fdvar), INIT_FD_ENV "=%d", init_fd);
        if (!args || (init_fd >= 0 && strv_extend(&envp, fdvar) < 0) || strv_extend(&envp, REEXEC_ENV "=1") < 0)
                return log_oom();
        /* The image that restores our state gets its heap on huge pages, as sysmaster-init gives a
         * restarted manager (not the first one: see heap.c), unless GLIBC_TUNABLES is set. */
        if (!getenv("GLIBC_TUNABLES") && strv_extend(&envp, "GLIBC_TUNABLES=" MANAGER_GLIBC_TUNABLES) < 0)
                return log_oom();
        channel_fd = init_fd;
        return 0;
}

bool reexec_was_reexecuted(void) {
        return reexecuted;
}

/* async-signal-safe from here on */
static void exec_self(void) {
        sigset_t none;

        if (!args || !exe[0])
                return;
        if (channel_fd >= 0)
                (void) fcntl(channel_fd, F_SETFD, 0);
        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);
        execve(exe, args, envp);
        if (channel_fd >= 0)
                (void) fcntl(channel_fd, F_SETFD, FD_CLOEXEC);
}

static void on_fatal_signal(int sig, siginfo_t *si, void *context) {
        static const char msg[] = "sysmaster: fatal signal, executing myself again to recover.\n";
        struct sigaction dfl = { .sa_handler = SIG_DFL };

        (void) context;
        (void) !write(STDERR_FILENO, msg, sizeof(msg) - 1);
        /* The crash-loop guard counts crashes of our own making (a fault, abort(), raise());
         * not a signal another process sent. */
        if (si->si_code > 0 || si->si_pid == getpid())
                crash_guard_record_crash();
        exec_self();
        /* could not: die of the signal, init starts a new manager */
        (void) sigaction(sig, &dfl, NULL);
        (void) raise(sig);
        _exit(128 + sig);
}

void reexec_install_crash_handler(void) {
        struct sigaction sa = { .sa_sigaction = on_fatal_signal, .sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESETHAND };

        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < ELEMENTSOF(fatal_signals); i++)
                (void) sigaction(fatal_signals[i], &sa, NULL);
}

int reexec_now(void) {
        if (!args || !exe[0])
                return -ENOEXEC;
        log_info("Re-executing %s.", exe);
        exec_self();
        return log_error_errno(errno, "Failed to re-execute %s: %m", exe);
}
