/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init.c: sysmaster-init, PID 1. It mounts the API file systems, starts the manager
 * ($SYSMASTER_CORE or PKGLIBEXECDIR/sysmaster, with init's own argv[1..]) on a SOCK_SEQPACKET
 * socketpair, reaps every process, and restarts the manager whenever it dies (SIGCHLD) or
 * misses its heartbeats (SIGKILL first). It never exits, except on the manager's SHUTDOWN in a
 * container or as a test's subreaper (not PID 1).
 *
 * One loop: ppoll() over a signalfd (SIGCHLD, SIGTERM, the forwarded signals) and the
 * channel; its timeout is the next deadline (heartbeat, delayed restart). Crash loop: when the
 * manager dies after INIT_RESTART_BURST starts within INIT_RESTART_INTERVAL_USEC, the next
 * start waits 1 s, then twice as long each time (at most 60 s), until a manager stays up for
 * the interval.
 *
 * Re-exec (SIGTERM): the whole InitState (init.h) is written into a memfd whose number goes
 * to the new image in $SYSMASTER_INIT_STATE_FD; the channel and the stored fds lose
 * FD_CLOEXEC for the execve() and get it back afterwards, so their numbers in the state stay
 * valid. argv is passed unchanged; the binary is argv[0] if absolute (an updated init), else
 * /proc/self/exe. The signal mask and pending signals survive execve(), so no SIGCHLD is lost.
 * The new image checks magic and size; a layout it does not know (an incompatible init was
 * installed) loses records and store: it kills the manager named in the state's fixed prefix,
 * so that there are never two, and starts a new one. If execve() fails init carries on.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define ARGS_MAX 256U
#define ENV_MAX 1024U

static InitState state __attribute__((aligned(4096))); /* in BSS pages of its own */
static bool host_init;
static char *manager_argv[ARGS_MAX + 1];
static char *child_env[ENV_MAX + 3];
static char env_a[64], env_b[64];

/* child_env = environ without our own SYSMASTER_INIT_* (INIT_FD_ENV, INIT_GENERATION_ENV,
 * INIT_STATE_ENV), plus a and b (may be NULL). */
static char **build_env(char *a, char *b) {
        size_t n = 0;

        for (char **e = environ; *e && n < ENV_MAX; e++)
                if (strncmp(*e, "SYSMASTER_INIT_", 15) != 0)
                        child_env[n++] = *e;
        child_env[n++] = a;
        child_env[n++] = b;
        child_env[n] = NULL;
        return child_env;
}

static uint64_t heartbeat_from_env(void) {
        const char *e = getenv(INIT_HEARTBEAT_ENV);
        char *end = NULL;
        unsigned long long v = e ? strtoull(e, &end, 10) : INIT_HEARTBEAT_DEFAULT_USEC;

        if (e && (!*e || *end || v > UINT64_MAX / 8)) { /* 3 intervals must not overflow */
                init_log(LOG_WARNING, "ignoring invalid %s=%s", INIT_HEARTBEAT_ENV, e);
                return INIT_HEARTBEAT_DEFAULT_USEC;
        }
        return v;
}

static void signal_set(sigset_t *ss) {
        static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT,   SIGHUP,
                                    SIGUSR1, SIGUSR2, SIGWINCH, SIGPWR };

        sigemptyset(ss);
        for (size_t i = 0; i < ELEMENTS(sigs); i++)
                sigaddset(ss, sigs[i]);
        for (int i = 0; i <= 24; i++)
                sigaddset(ss, SIGRTMIN + i);
}

static _Noreturn void manager_exec(const char *core, int fd, char **env) {
        sigset_t none;

        /* Only async-signal-safe calls: this is the child of fork(). */
        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);
        (void) setsid();
        if (fcntl(fd, F_SETFD, 0) == 0)
                (void) execve(core, manager_argv, env);
        _exit(127);
}

static void manager_start(InitState *s, uint64_t now) {
        const char *core = getenv(INIT_CORE_ENV);
        int pair[2] = { -1, -1 };
        pid_t pid = -1;
        char **env;

        manager_argv[0] = (char *) (core && *core ? core : PKGLIBEXECDIR "/sysmaster");
        s->restart_usec = 0;
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0) {
                (void) snprintf(env_a, sizeof env_a, "%s=%d", INIT_FD_ENV, pair[1]);
                (void) snprintf(env_b, sizeof env_b, "%s=%u", INIT_GENERATION_ENV,
                                s->generation + 1);
                env = build_env(env_a, env_b);
                pid = fork();
                if (pid == 0)
                        manager_exec(manager_argv[0], pair[1], env);
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
        s->alive_usec = now;
        memmove(s->starts, s->starts + 1, sizeof s->starts - sizeof s->starts[0]);
        s->starts[INIT_RESTART_BURST - 1] = now;
        init_log(LOG_INFO, "started manager %s as PID %d (generation %u)", manager_argv[0], pid,
                 s->generation);
}

static void manager_died(InitState *s, const siginfo_t *si) {
        uint64_t now = init_now(CLOCK_MONOTONIC);
        bool said_hello = s->hello;

        while (init_channel_receive(s) > 0)
                ; /* its last words, e.g. SHUTDOWN */
        init_channel_close(s);
        s->manager_pid = 0;
        if (si->si_code == CLD_EXITED)
                init_log(s->shutdown ? LOG_INFO : LOG_ERR, "manager PID %d exited with status %d%s",
                         si->si_pid, si->si_status, said_hello ? "" : " before saying HELLO");
        else
                init_log(s->shutdown ? LOG_INFO : LOG_ERR, "manager PID %d was killed by SIG%s",
                         si->si_pid, sigabbrev_np(si->si_status) ?: "?");
        if (s->shutdown)
                return;
        if (now - s->starts[INIT_RESTART_BURST - 1] >= INIT_RESTART_INTERVAL_USEC)
                s->backoff_usec = 0; /* it ran fine for a while */
        s->restart_usec = now;
        if (s->backoff_usec == 0 &&
            (s->starts[0] == 0 || now - s->starts[0] >= INIT_RESTART_INTERVAL_USEC))
                return;
        s->backoff_usec = s->backoff_usec == 0 ? INIT_BACKOFF_MIN_USEC : 2 * s->backoff_usec;
        if (s->backoff_usec > INIT_BACKOFF_MAX_USEC)
                s->backoff_usec = INIT_BACKOFF_MAX_USEC;
        init_log(LOG_CRIT, "THE MANAGER KEEPS FAILING: next start in %u s",
                 (unsigned) (s->backoff_usec / 1000000U));
        /* Hook for the emergency action (emergency shell, reboot, as configured): the
         * crash-recovery issue decides it here. For now init waits and tries again. */
        s->restart_usec += s->backoff_usec;
}

static void reap(InitState *s) {
        for (;;) {
                siginfo_t si = {};

                if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno != ECHILD)
                                init_log(LOG_ERR, "waitid() failed: %m");
                        return;
                }
                if (si.si_pid == 0)
                        return;
                if (si.si_pid == s->manager_pid)
                        manager_died(s, &si);
                else
                        init_channel_record(s, &si);
        }
}

static void reexec(InitState *s, char **argv) {
        static char env_state[64];
        char **env;
        int fd;

        fd = memfd_create("sysmaster-init-state", 0); /* no MFD_CLOEXEC: the new image reads it */
        if (fd < 0 || write(fd, s, sizeof *s) != (ssize_t) sizeof *s) {
                init_log(LOG_ERR, "cannot save the state, not re-executing: %m");
                if (fd >= 0)
                        (void) close(fd);
                return;
        }
        (void) snprintf(env_state, sizeof env_state, "%s=%d", INIT_STATE_ENV, fd);
        env = build_env(env_state, NULL);
        init_log(LOG_NOTICE, "re-executing, the manager (PID %d) keeps running", s->manager_pid);
        init_channel_cloexec(s, false);
        if (argv[0][0] == '/')
                (void) execve(argv[0], argv, env);
        (void) execve("/proc/self/exe", argv, env);
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
                init_log(LOG_NOTICE,
                         "re-executed: manager PID %d (generation %u), %u exit records kept",
                         s->manager_pid, s->generation, s->ring_count);
                return;
        }
        /* Another layout (an incompatible init was installed): never two managers at once. */
        pid = n >= 12 && s->magic == INIT_STATE_MAGIC ? s->manager_pid : 0;
        init_log(LOG_CRIT,
                 "unusable state from the previous init (%zd bytes): killing its manager "
                 "PID %d, exit records and fd store are lost",
                 n, pid);
        if (pid > 1)
                (void) kill(pid, SIGKILL);
        memset(s, 0, sizeof *s); /* not before: untouched, the zeroed state costs no memory */
fresh:
        s->magic = INIT_STATE_MAGIC;
        s->size = sizeof *s;
        s->manager_fd = -1;
        s->next_serial = 1;
        s->store_cursor = INIT_FDSTORE_ENTRIES_MAX + 1; /* nothing to push */
        s->restart_usec = 1; /* due now */
}

static void handle_signals(InitState *s, int sigfd, char **argv) {
        struct signalfd_siginfo si;
        bool reexec_requested = false;

        while (read(sigfd, &si, sizeof si) == (ssize_t) sizeof si) {
                if (si.ssi_signo == SIGTERM)
                        reexec_requested = true;
                else if (si.ssi_signo != SIGCHLD && si.ssi_signo <= 64) {
                        if (si.ssi_signo == SIGINT)
                                init_log(LOG_NOTICE, "ctrl-alt-del (SIGINT): telling the manager");
                        s->pending_signals |= UINT64_C(1) << (si.ssi_signo - 1);
                }
        }
        reap(s);
        if (reexec_requested)
                reexec(s, argv);
}

static uint64_t heartbeat_deadline(const InitState *s) {
        if (s->manager_pid == 0 || s->heartbeat_usec == 0 || s->killed)
                return UINT64_MAX;
        return s->alive_usec + INIT_HEARTBEAT_MISSED_MAX * s->heartbeat_usec;
}

static _Noreturn void main_loop(InitState *s, int sigfd, char **argv) {
        for (;;) {
                uint64_t now = init_now(CLOCK_MONOTONIC), deadline;
                struct pollfd p[2] = { { .fd = sigfd, .events = POLLIN }, { .events = POLLIN } };
                struct timespec ts;

                if (s->shutdown)
                        init_shutdown(sigfd, s->shutdown_request.action,
                                      s->shutdown_request.exit_status, host_init);
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
                if (deadline != UINT64_MAX) {
                        uint64_t left = deadline > now ? deadline - now : 0;

                        ts = (struct timespec){ .tv_sec = (time_t) (left / 1000000U),
                                                .tv_nsec = (long) (left % 1000000U) * 1000L };
                }
                p[1].fd = s->manager_fd; /* after manager_start() */
                if (s->want_write)
                        p[1].events |= POLLOUT;
                if (ppoll(p, 2, deadline != UINT64_MAX ? &ts : NULL, NULL) < 0 && errno != EINTR) {
                        init_log(LOG_CRIT, "ppoll() failed: %m");
                        for (;;)
                                (void) pause();
                }
                if (s->manager_fd >= 0 && p[1].revents != 0 && init_channel_receive(s) < 0)
                        init_channel_close(s); /* EOF: SIGCHLD or the heartbeat decides */
                if (p[0].revents & POLLIN)
                        handle_signals(s, sigfd, argv);
        }
}

int main(int argc, char *argv[]) {
        InitState *s = &state;
        bool pid1 = getpid() == 1;
        sigset_t ss;
        int sigfd;

        /* Inherited fds (a restored state's too) must not leak into managers. */
        (void) close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
        if (pid1) {
                (void) setsid();
                (void) chdir("/");
                init_mount_api();
                host_init = !init_in_container();
                init_log_open(host_init);
                if (host_init)
                        (void) reboot(RB_DISABLE_CAD); /* ctrl-alt-del sends us SIGINT */
        } else if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                init_log(LOG_WARNING, "cannot become a subreaper: %m");
        signal_set(&ss);
        if (sigprocmask(SIG_BLOCK, &ss, NULL) < 0 ||
            (sigfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
                init_log(LOG_CRIT, "cannot set up signals: %m");
                for (;;)
                        (void) pause();
        }
        if (argc > (int) ARGS_MAX)
                init_log(LOG_WARNING, "passing only the first %u arguments to the manager",
                         ARGS_MAX - 1);
        for (int i = 1; i < argc && i < (int) ARGS_MAX; i++)
                manager_argv[i] = argv[i];
        state_restore(s);
        s->heartbeat_usec = heartbeat_from_env();
        reap(s);
        main_loop(s, sigfd, argv);
}
