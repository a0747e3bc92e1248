/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init.c: sysmaster-init, PID 1. It mounts the API file systems, starts the manager
 * ($SYSMASTER_CORE or PKGLIBEXECDIR/sysmaster, with init's argv[1..]) on a SOCK_SEQPACKET
 * socketpair, reaps every process and restarts the manager when it dies or misses its
 * heartbeats. It exits only on SHUTDOWN in a container or as a subreaper (not PID 1). One loop:
 * ppoll() over a signalfd and the channel, until the next deadline (heartbeat, restart).
 * Crash loop: a death after restart_burst starts within INIT_RESTART_INTERVAL_USEC delays the
 * next start (1 s, doubling up to 60 s); the death after crash_limit such back-offs in a row
 * runs crash_action instead. Re-exec (SIGTERM): InitState goes into a memfd named by
 * $SYSMASTER_INIT_STATE_FD, the channel and stored fds stay open (their numbers stay valid);
 * blocked signals stay pending across execve(). If execve() fails init carries on.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#ifndef __GLIBC__ /* musl 1.2.3 has no sigabbrev_np() */
static const char *sigabbrev_np(int sig) {
        static const char *const n[NSIG] = { [SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT",
                [SIGILL] = "ILL", [SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
                [SIGKILL] = "KILL", [SIGSEGV] = "SEGV", [SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM",
                [SIGUSR1] = "USR1", [SIGUSR2] = "USR2", [SIGXCPU] = "XCPU", [SIGXFSZ] = "XFSZ", [SIGSYS] = "SYS" };
        return sig > 0 && sig < NSIG ? n[sig] : NULL;
}
#endif

#define ENV_MAX 1024U

static InitState state __attribute__((aligned(4096))); /* in BSS pages of its own */
static bool host_init;
static char **init_argv, *child_env[ENV_MAX + 4];
static char env_a[64], env_b[64]; /* built for the manager's environment or re-exec's */
/* A restarted manager's heap on transparent huge pages: its restore faults in megabytes of fresh
 * heap, and each 4 KiB page fault costs ~30 us on a paravirtualised VM (bench/README.md,
 * recovery). Not for the first manager (huge pages cost resident memory), and only when the
 * environment has no GLIBC_TUNABLES; the manager keeps it from its helpers. */
static char env_tunables[] = "GLIBC_TUNABLES=" MANAGER_GLIBC_TUNABLES;
static unsigned restart_burst, crash_limit, crash_action;
static const char *const crash_actions[] = { "reboot", "poweroff", "freeze", "shell" };
enum { CRASH_FREEZE = 2, CRASH_SHELL = 3 }; /* 0, 1: InitShutdownAction REBOOT, POWEROFF */

/* environ without our own SYSMASTER_INIT_* variables, plus a, b and c (a NULL ends the list). */
static char **build_env(char *a, char *b, char *c) {
        size_t n = 0;

        for (char **e = environ; *e && n < ENV_MAX; e++)
                if (strncmp(*e, "SYSMASTER_INIT_", 15) != 0)
                        child_env[n++] = *e;
        child_env[n++] = a;
        child_env[n++] = b;
        child_env[n++] = c;
        child_env[n] = NULL;
        return child_env;
}

/* $name up to max, def if unset/invalid. The kernel passes NAME=VALUE parameters to PID 1. */
static uint64_t config_number(const char *name, uint64_t def, uint64_t max) {
        const char *v = getenv(name);
        char *end = NULL;
        unsigned long long n = v ? strtoull(v, &end, 10) : def;

        if (v && (!*v || *end || n > max)) {
                init_log(LOG_WARNING, "ignoring invalid %s=%s", name, v);
                return def;
        }
        return n;
}

static void config_load(InitState *s) {
        const char *a = getenv("SYSMASTER_CRASH_ACTION") ?: "freeze";

        s->heartbeat_usec = config_number(INIT_HEARTBEAT_ENV, INIT_HEARTBEAT_DEFAULT_USEC,
                                          UINT64_MAX / 8); /* 3 intervals must not overflow */
        restart_burst = config_number("SYSMASTER_RESTART_BURST", INIT_RESTART_BURST, UINT32_MAX);
        crash_limit = config_number("SYSMASTER_CRASH_LIMIT", INIT_CRASH_LIMIT, UINT32_MAX - 1);
        for (crash_action = 0; crash_action < ELEMENTS(crash_actions); crash_action++)
                if (strcmp(a, crash_actions[crash_action]) == 0)
                        break;
        if (crash_action == ELEMENTS(crash_actions)) {
                init_log(LOG_WARNING, "ignoring invalid SYSMASTER_CRASH_ACTION=%s", a);
                crash_action = CRASH_FREEZE;
        }
        init_log(LOG_INFO, "crash loop: %u starts in %u s, then %u back-offs, then %s",
                 restart_burst, (unsigned) (INIT_RESTART_INTERVAL_USEC / 1000000U), crash_limit,
                 crash_actions[crash_action]);
}

/* In the child (async-signal-safe calls only): fd (the channel) stays open; -1: stdio on console */
static _Noreturn void child_exec(const char *path, char **argv, char **env, int fd) {
        static const char banner[] = "\nsysmaster-init: THE MANAGER KEEPS FAILING. Rescue shell: "
                                     "exit it to try the manager once more.\n\n";
        sigset_t none;

        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);
        (void) setsid();
        if (fd >= 0 && fcntl(fd, F_SETFD, 0) < 0)
                _exit(127);
        if (fd < 0 && (fd = open("/dev/console", O_RDWR | O_NOCTTY)) >= 0) {
                for (int i = 0; i < 3; i++)
                        (void) dup2(fd, i);
                if (fd > 2)
                        (void) close(fd);
                (void) ioctl(0, TIOCSCTTY, 0);
                (void) !write(2, banner, sizeof banner - 1);
        }
        argv[0] = (char *) path; /* our copy of init's argv: the manager gets argv[1..] */
        (void) execve(path, argv, env);
        _exit(127);
}

static void manager_start(InitState *s, uint64_t now) {
        const char *core = getenv(INIT_CORE_ENV),
                   *path = core && *core ? core : PKGLIBEXECDIR "/sysmaster";
        int pair[2] = { -1, -1 };
        pid_t pid = -1;

        s->restart_usec = 0;
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0) {
                (void) snprintf(env_a, sizeof env_a, "%s=%d", INIT_FD_ENV, pair[1]);
                (void) snprintf(env_b, sizeof env_b, "%s=%u", INIT_GENERATION_ENV,
                                s->generation + 1);
                if ((pid = fork()) == 0)
                        child_exec(path, init_argv,
                                   build_env(env_a, env_b, getenv("GLIBC_TUNABLES") || s->generation == 0
                                                                   ? NULL : env_tunables),
                                   pair[1]);
                (void) close(pair[1]);
        }
        if (pid < 0) {
                init_log(LOG_ERR, "cannot start the manager, retrying in 1 s: %m");
                if (pair[0] >= 0)
                        (void) close(pair[0]);
                s->restart_usec = now + INIT_BACKOFF_MIN_USEC;
                return;
        }
        (void) fcntl(pair[0], F_SETFL, O_NONBLOCK);
        s->generation++;
        s->manager_pid = pid;
        s->manager_fd = pair[0];
        s->hello = s->killed = false;
        s->alive_usec = s->start_usec = now;
        if (now - s->window_usec >= INIT_RESTART_INTERVAL_USEC) {
                s->window_usec = now;
                s->window_starts = 0;
        }
        s->window_starts++;
        init_log(LOG_INFO, "started manager %s, PID %d (generation %u)", path, pid, s->generation);
}

/* Past the crash limit: no more managers (restart_usec stays 0), the crash action instead. */
static void crash_act(InitState *s, const char *how, uint64_t now) {
        static char *shell_argv[] = { (char *) "/bin/sh", NULL };

        init_log(LOG_EMERG, "%s: THE MANAGER KEEPS FAILING, crash limit %u: crash action %s", how,
                 crash_limit, crash_actions[crash_action]);
        s->start_usec = now; /* the shell's start: see shell_exited() */
        if (crash_action < CRASH_FREEZE) {
                s->shutdown = true; /* main_loop() does it */
                s->shutdown_request = (InitShutdownPayload){ crash_action, EXIT_FAILURE };
        } else if (crash_action == CRASH_SHELL && (s->shell_pid = fork()) == 0)
                child_exec(shell_argv[0], shell_argv, build_env(NULL, NULL, NULL), -1);
        if (s->shell_pid != 0)
                init_log(LOG_EMERG, "rescue shell /bin/sh on /dev/console: PID %d%s", s->shell_pid,
                         s->shell_pid < 0 ? " (fork() failed): freezing" : "");
        s->shell_pid = s->shell_pid < 0 ? 0 : s->shell_pid;
}

/* A shell that ended within a second could not run (no /bin/sh, no console): freeze. */
static void shell_exited(InitState *s, const siginfo_t *si, uint64_t now) {
        bool quick = now - s->start_usec < INIT_BACKOFF_MIN_USEC;

        init_log(LOG_NOTICE, "rescue shell PID %d ended (%s %d)%s", si->si_pid,
                 si->si_code == CLD_EXITED ? "status" : "signal", si->si_status,
                 quick ? " within a second: freezing" : ": trying the manager once more");
        s->shell_pid = 0;
        s->restart_usec = quick ? 0 : now;
}

static void manager_died(InitState *s, const siginfo_t *si, uint64_t now) {
        char how[96];

        while (init_channel_receive(s) > 0)
                ; /* its last words, e.g. SHUTDOWN */
        if (si->si_code == CLD_EXITED)
                (void) snprintf(how, sizeof how, "manager PID %d exited with status %d%s",
                                si->si_pid, si->si_status, s->hello ? "" : " before HELLO");
        else
                (void) snprintf(how, sizeof how, "manager PID %d was killed by SIG%s%s", si->si_pid,
                                sigabbrev_np(si->si_status) ?: "?",
                                si->si_code == CLD_DUMPED ? " (core dumped)" : "");
        init_channel_close(s);
        s->manager_pid = 0;
        if (now - s->start_usec >= INIT_RESTART_INTERVAL_USEC)
                s->backoffs = 0; /* it ran fine for a while */
        if (s->shutdown)
                init_log(LOG_INFO, "%s", how);
        else if (s->backoffs == 0 && (s->window_starts < restart_burst ||
                                      now - s->window_usec >= INIT_RESTART_INTERVAL_USEC)) {
                init_log(LOG_ERR, "%s: starting a new one", how);
                s->restart_usec = now;
        } else if (++s->backoffs > crash_limit)
                crash_act(s, how, now);
        else { /* 1 s, 2 s, 4 s ... 60 s */
                uint64_t delay = s->backoffs < 7 ? INIT_BACKOFF_MIN_USEC << (s->backoffs - 1)
                                                 : INIT_BACKOFF_MAX_USEC;

                s->restart_usec = now + delay;
                init_log(LOG_CRIT,
                         "%s: THE MANAGER KEEPS FAILING, back-off %u of %u, next start in %u s",
                         how, s->backoffs, crash_limit, (unsigned) (delay / 1000000U));
        }
}

static void reap(InitState *s) {
        for (;;) {
                siginfo_t si = {};

                if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) < 0 && errno != ECHILD)
                        init_log(LOG_ERR, "waitid() failed: %m");
                if (si.si_pid == 0) /* none left, or an error: si stays zeroed */
                        return;
                if (si.si_pid == s->manager_pid)
                        manager_died(s, &si, init_now(CLOCK_MONOTONIC));
                else if (si.si_pid == s->shell_pid)
                        shell_exited(s, &si, init_now(CLOCK_MONOTONIC));
                else
                        init_channel_record(s, &si);
        }
}

static void reexec(InitState *s) {
        int fd = memfd_create("sysmaster-init-state", 0); /* not CLOEXEC: for the new image */
        char **env;

        if (fd < 0 || write(fd, s, sizeof *s) != (ssize_t) sizeof *s) {
                init_log(LOG_ERR, "cannot save the state, not re-executing: %m");
                if (fd >= 0)
                        (void) close(fd);
                return;
        }
        (void) snprintf(env_a, sizeof env_a, "%s=%d", INIT_STATE_ENV, fd);
        env = build_env(env_a, NULL, NULL);
        init_log(LOG_NOTICE, "re-executing, the manager (PID %d) keeps running", s->manager_pid);
        init_channel_cloexec(s, false);
        if (init_argv[0][0] == '/')
                (void) execve(init_argv[0], init_argv, env);
        (void) execve("/proc/self/exe", init_argv, env);
        init_log(LOG_ERR, "cannot re-execute, going on: %m");
        init_channel_cloexec(s, true);
        (void) close(fd);
}

/* Picks up the state a previous image left in $SYSMASTER_INIT_STATE_FD, else starts afresh. */
static void state_restore(InitState *s) {
        const char *e = getenv(INIT_STATE_ENV);
        int fd = e ? atoi(e) : -1;
        pid_t pid;
        ssize_t n;

        if (fd < 3)
                goto fresh;
        n = pread(fd, s, sizeof *s, 0);
        (void) close(fd);
        for (char *p = (char *) s; p + 4096 <= (char *) (s + 1); p += 4096)
                if (p[0] == 0 && memcmp(p, p + 1, 4095) == 0) /* zeros: give the page back */
                        (void) madvise(p, 4096, MADV_DONTNEED); /* private anonymous: zero */
        if (n == (ssize_t) sizeof *s && s->magic == INIT_STATE_MAGIC && s->size == sizeof *s) {
                init_channel_cloexec(s, true); /* close_range() in main() needs Linux 5.11 */
                s->want_write = false;
                init_log(LOG_NOTICE, "re-executed: manager PID %d (generation %u), %u records kept",
                         s->manager_pid, s->generation, s->ring_count);
                return;
        }
        /* Another layout (an incompatible init was installed): never two managers at once. */
        pid = n >= 12 && s->magic == INIT_STATE_MAGIC ? s->manager_pid : 0;
        init_log(LOG_CRIT,
                 "unusable state of the previous init (%zd bytes): killing its manager "
                 "PID %d, exit records and fd store are lost",
                 n, pid);
        if (pid > 1)
                (void) kill(pid, SIGKILL);
        memset(s, 0, sizeof *s); /* not before: untouched, the zeroed state costs no memory */
        s->dropped_records = 1; /* the records were lost: the manager checks its PIDs in /proc */
fresh:
        s->magic = INIT_STATE_MAGIC;
        s->size = sizeof *s;
        s->manager_fd = -1;
        s->next_serial = 1;
        s->store_cursor = INIT_FDSTORE_ENTRIES_MAX + 1; /* nothing to push */
        s->restart_usec = 1; /* due now */
}

static uint64_t heartbeat_deadline(const InitState *s) {
        if (s->manager_pid == 0 || s->heartbeat_usec == 0 || s->killed)
                return UINT64_MAX;
        return s->alive_usec + INIT_HEARTBEAT_MISSED_MAX * s->heartbeat_usec;
}

static _Noreturn void main_loop(InitState *s, int sigfd) {
        for (;;) {
                uint64_t now = init_now(CLOCK_MONOTONIC), deadline;
                struct pollfd p[2] = { { .fd = sigfd, .events = POLLIN }, { .events = POLLIN } };
                struct signalfd_siginfo si;

                if (s->shutdown)
                        init_shutdown(sigfd, &s->shutdown_request, host_init);
                if (s->manager_pid == 0 && s->restart_usec != 0 && now >= s->restart_usec)
                        manager_start(s, now);
                if (now >= heartbeat_deadline(s)) {
                        init_log(LOG_ERR, "manager PID %d missed %u heartbeats: killing it",
                                 s->manager_pid, INIT_HEARTBEAT_MISSED_MAX);
                        (void) kill(s->manager_pid, SIGKILL);
                        s->killed = true;
                }
                init_channel_flush(s);
                deadline = heartbeat_deadline(s);
                if (s->manager_pid == 0 && s->restart_usec != 0 && s->restart_usec < deadline)
                        deadline = s->restart_usec;
                p[1].fd = s->manager_fd; /* after manager_start() */
                if (s->want_write)
                        p[1].events |= POLLOUT;
                if (init_poll(p, 2, deadline) < 0 && errno != EINTR)
                        init_freeze("ppoll() failed");
                if (s->manager_fd >= 0 && p[1].revents != 0 && init_channel_receive(s) < 0)
                        init_channel_close(s); /* EOF: SIGCHLD or the heartbeat decides */
                while (read(sigfd, &si, sizeof si) == (ssize_t) sizeof si) {
                        if (si.ssi_signo == SIGTERM) /* what is still queued: for the new image */
                                reexec(s); /* returns only if it failed */
                        else if (si.ssi_signo != SIGCHLD && si.ssi_signo <= 64)
                                s->pending_signals |= UINT64_C(1) << (si.ssi_signo - 1);
                        if (si.ssi_signo == SIGINT)
                                init_log(LOG_NOTICE, "ctrl-alt-del (SIGINT): telling the manager");
                }
                reap(s);
        }
}

int main(int argc, char *argv[]) {
        static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT,   SIGHUP,
                                    SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR };
        sigset_t ss;
        int sigfd;

        init_argv = argv;
        /* Inherited fds (a restored state's too) must not leak into managers. */
        (void) syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
        if (getpid() == 1) {
                (void) setsid();
                (void) chdir("/");
                init_mount_api();
                host_init = !init_in_container();
                init_log_open(host_init);
                if (host_init)
                        (void) reboot(RB_DISABLE_CAD); /* ctrl-alt-del sends us SIGINT */
        } else if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                init_log(LOG_WARNING, "cannot become a subreaper: %m");
        sigemptyset(&ss);
        for (size_t i = 0; i < ELEMENTS(sigs); i++)
                sigaddset(&ss, sigs[i]);
        /* SIGRTMIN+n as glibc numbers them (systemctl's): musl's SIGRTMIN is 35, and its
         * sigaddset() refuses 32-34; the kernel's mask is a plain bit set of unsigned longs */
        for (int b = INIT_SIGRTMIN - 1; b < INIT_SIGRTMIN + INIT_SIGRTMIN_LAST; b++)
                ((unsigned long *) &ss)[b / (8 * sizeof(long))] |= 1UL << (b % (8 * sizeof(long)));
        if (sigprocmask(SIG_BLOCK, &ss, NULL) < 0 ||
            (sigfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
                init_freeze("cannot set up signals");
        state_restore(&state);
        config_load(&state);
        reap(&state);
        main_loop(&state, sigfd);
}
