/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake-manager: a stand-in for the manager (src/core) that speaks init's protocol
 * (src/shared/init-protocol.h), for test/integration/test-init.sh. sysmaster-init starts it
 * through $SYSMASTER_CORE.
 *
 * Environment: SYSMASTER_INIT_FD, SYSMASTER_INIT_GENERATION (from init) and FAKE_DIR:
 *   $FAKE_DIR/manager.log   one line per event, appended: "gen=G pid=P EVENT ..."
 *   $FAKE_DIR/ctl           a FIFO of commands, one per line (below)
 *   $FAKE_DIR/gen<G>.conf   optional words for generation G: "hello-delay-ms=N" (wait before
 *                           HELLO), "no-hello", "exit=N" (exit at once), "noack"
 * Events: start (realtime_us, argv), hello (from init), fd (name, count, inode and contents of
 * the first fd: a pipe whose other end was stored too is read and written back), fdstore-end,
 * record, signal, error, child (its own children), eof.
 * Commands: orphans N CODE MS (N grandchildren, re-parented to init, exit CODE after MS ms),
 * stubborn MS (an orphan that ignores SIGTERM, lives MS ms), service CODE MS (a child that exits
 * CODE MS ms after this manager died), hang (no heartbeat, no reading),
 * noack, ack, put NAME TEXT (a pipe holding TEXT, both ends), remove NAME, bad (an unknown
 * message type), hello (HELLO again), ping, shutdown ACTION STATUS, exit CODE.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init-protocol.h"

static int init_fd = -1, log_fd = -1, ctl = -1, service_pipe = -1;
static unsigned generation;
static bool noack;
static uint64_t heartbeat_usec;

static uint64_t now_usec(clockid_t clock) {
        struct timespec ts;

        clock_gettime(clock, &ts);
        return (uint64_t) ts.tv_sec * 1000000U + (uint64_t) ts.tv_nsec / 1000U;
}

static void say(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *format, ...) {
        char buf[2048];
        int n;
        va_list ap;

        n = snprintf(buf, sizeof buf, "gen=%u pid=%d ", generation, (int) getpid());
        va_start(ap, format);
        n += vsnprintf(buf + n, sizeof buf - n - 1, format, ap);
        va_end(ap);
        if (n > (int) sizeof buf - 2)
                n = sizeof buf - 2;
        buf[n++] = '\n';
        if (write(log_fd, buf, n) < 0)
                _exit(90);
}

static int send_msg(uint16_t type, const void *payload, size_t size, const int *fds,
                    unsigned n_fds) {
        InitMessageHeader h = { .magic = INIT_PROTOCOL_MAGIC,
                                .type = type,
                                .size = (uint32_t) size };
        struct iovec iov[2] = { { &h, sizeof h }, { (void *) payload, size } };
        char control[CMSG_SPACE(sizeof(int) * INIT_FDS_PER_MESSAGE_MAX)] = {};
        struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

        if (n_fds > 0) {
                struct cmsghdr *c;

                mh.msg_control = control;
                mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
                c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
                memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
        }
        if (sendmsg(init_fd, &mh, MSG_NOSIGNAL) < 0) {
                say("send-failed type=%u errno=%d", type, errno);
                return -errno;
        }
        return 0;
}

static void sleep_ms(unsigned ms) {
        struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static void read_conf(unsigned *hello_delay_ms, bool *no_hello) {
        char path[4096], buf[512] = "", *w, *save = NULL;
        int fd;
        ssize_t n;

        snprintf(path, sizeof path, "%s/gen%u.conf", getenv("FAKE_DIR"), generation);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return;
        n = read(fd, buf, sizeof buf - 1);
        close(fd);
        buf[n > 0 ? n : 0] = 0;
        for (w = strtok_r(buf, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
                say("conf %s", w);
                if (strncmp(w, "hello-delay-ms=", 15) == 0)
                        *hello_delay_ms = (unsigned) atoi(w + 15);
                else if (strcmp(w, "no-hello") == 0)
                        *no_hello = true;
                else if (strcmp(w, "noack") == 0)
                        noack = true;
                else if (strncmp(w, "exit=", 5) == 0)
                        exit(atoi(w + 5));
        }
}

static void on_fd_entry(const char *name, const int *fds, unsigned n_fds) {
        char data[128] = "";
        struct stat st = {};
        ssize_t n;

        fstat(fds[0], &st);
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        n = read(fds[0], data, sizeof data - 1);
        if (n > 0) {
                data[n] = 0;
                if (n_fds > 1 && write(fds[1], data, n) != n) /* keep it for the next manager */
                        say("write-back-failed");
        } else
                data[0] = 0;
        say("fd name=%s n=%u ino=%lu data=%s", name, n_fds, (unsigned long) st.st_ino, data);
        for (unsigned i = 0; i < n_fds; i++)
                close(fds[i]);
}

static void on_record(const InitExitRecord *r) {
        const char *code = r->code == CLD_EXITED   ? "exited"
                           : r->code == CLD_KILLED ? "killed"
                           : r->code == CLD_DUMPED ? "dumped"
                                                   : "other";

        say("record serial=%llu pid=%d code=%s status=%d reaped_realtime_us=%llu",
            (unsigned long long) r->serial, r->pid, code, r->status,
            (unsigned long long) r->realtime_usec);
        if (!noack)
                send_msg(INIT_MSG_EXIT_ACK, &r->serial, sizeof r->serial, NULL, 0);
}

static void receive(void) {
        union {
                InitMessageHeader h;
                char raw[INIT_MESSAGE_MAX];
        } m;
        char control[CMSG_SPACE(sizeof(int) * INIT_FDS_PER_MESSAGE_MAX)];
        struct iovec iov = { &m, sizeof m };
        struct msghdr mh = { .msg_iov = &iov,
                             .msg_iovlen = 1,
                             .msg_control = control,
                             .msg_controllen = sizeof control };
        int fds[INIT_FDS_PER_MESSAGE_MAX];
        unsigned n_fds = 0;
        const char *p = m.raw + sizeof m.h;
        ssize_t n;

        n = recvmsg(init_fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        if (n < 0 && errno == EAGAIN)
                return;
        if (n <= 0) {
                say("eof");
                exit(0);
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                        n_fds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                        memcpy(fds, CMSG_DATA(c), n_fds * sizeof(int));
                }
        if ((size_t) n < sizeof m.h || m.h.magic != INIT_PROTOCOL_MAGIC ||
            m.h.size != n - sizeof m.h) {
                say("bad-message len=%zd", n);
                return;
        }
        switch (m.h.type) {
        case INIT_MSG_HELLO: {
                InitHelloPayload hp;

                memcpy(&hp, p, sizeof hp);
                heartbeat_usec = hp.heartbeat_usec;
                say("hello version=%u generation=%u heartbeat_usec=%llu", hp.version, hp.generation,
                    (unsigned long long) hp.heartbeat_usec);
                break;
        }
        case INIT_MSG_FDSTORE_ENTRY:
                on_fd_entry(p, fds, n_fds);
                break;
        case INIT_MSG_FDSTORE_END:
                say("fdstore-end");
                break;
        case INIT_MSG_EXIT_RECORD: {
                InitExitRecord r;

                memcpy(&r, p, sizeof r);
                on_record(&r);
                break;
        }
        case INIT_MSG_SIGNAL: {
                int32_t sig;

                memcpy(&sig, p, sizeof sig);
                say("signal %d", sig);
                break;
        }
        case INIT_MSG_ERROR: {
                InitErrorPayload e;

                memcpy(&e, p, sizeof e);
                say("error type=%u errno=%d name=%s", e.type, e.error,
                    m.h.size > sizeof e ? p + sizeof e : "");
                break;
        }
        default:
                say("unknown type=%u", m.h.type);
        }
}

/* orphan: N grandchildren re-parented to init; stubborn: they also ignore SIGTERM. Else one
 * service that exits MS ms after the manager died (EOF on a pipe only the manager writes). */
static void spawn(unsigned n, int code, unsigned ms, bool orphan, bool stubborn) {
        int pipefd[2] = { -1, -1 };
        char c;
        pid_t middle;

        if (!orphan && pipe2(pipefd, O_CLOEXEC) < 0)
                say("pipe-failed");
        middle = fork();
        if (middle != 0) {
                if (!orphan) {
                        close(pipefd[0]);
                        service_pipe = pipefd[1];
                }
                return; /* the parent reaps it in reap_children() */
        }
        close(init_fd); /* a service never holds the manager's channel */
        close(ctl);
        if (service_pipe >= 0)
                close(service_pipe);
        if (stubborn)
                signal(SIGTERM, SIG_IGN);
        for (unsigned i = 0; orphan && i < n; i++)
                if (fork() == 0) {
                        prctl(PR_SET_NAME, "fake-orphan");
                        say("orphan pid=%d", (int) getpid());
                        sleep_ms(ms);
                        _exit(code);
                }
        if (orphan)
                _exit(0);
        prctl(PR_SET_NAME, "fake-service");
        close(pipefd[1]);
        say("service pid=%d", (int) getpid());
        while (read(pipefd[0], &c, 1) < 0 && errno == EINTR)
                ;
        sleep_ms(ms);
        _exit(code);
}

static void shutdown_request(const char *action, int status) {
        static const char *const names[] = { "reboot", "poweroff", "halt", "kexec", "exit" };
        InitShutdownPayload p = { .action = 99, .exit_status = status };

        for (uint32_t i = 0; i < 5; i++)
                if (strcmp(action, names[i]) == 0)
                        p.action = i;
        say("shutdown action=%s status=%d", action, status);
        send_msg(INIT_MSG_SHUTDOWN, &p, sizeof p, NULL, 0);
}

static void command(char *line) {
        char a[256] = "", b[256] = "";
        int x = 0, y = 0, z = 0;

        say("command %s", line);
        if (sscanf(line, "orphans %d %d %d", &x, &y, &z) == 3)
                spawn((unsigned) x, y, (unsigned) z, true, false);
        else if (sscanf(line, "stubborn %d", &z) == 1)
                spawn(1, 0, (unsigned) z, true, true);
        else if (sscanf(line, "service %d %d", &y, &z) == 2)
                spawn(1, y, (unsigned) z, false, false);
        else if (strcmp(line, "hang") == 0)
                for (;;)
                        pause();
        else if (strcmp(line, "noack") == 0 || strcmp(line, "ack") == 0)
                noack = line[0] == 'n';
        else if (sscanf(line, "put %255s %255s", a, b) == 2) {
                struct stat st = {};
                int pipefd[2];

                if (pipe2(pipefd, O_CLOEXEC) < 0 || write(pipefd[1], b, strlen(b)) < 0 ||
                    fstat(pipefd[0], &st) < 0)
                        say("pipe-failed");
                say("put name=%s ino=%lu", a, (unsigned long) st.st_ino);
                send_msg(INIT_MSG_FDSTORE_PUT, a, strlen(a) + 1, pipefd, 2);
                close(pipefd[0]);
                close(pipefd[1]);
        } else if (sscanf(line, "remove %255s", a) == 1)
                send_msg(INIT_MSG_FDSTORE_REMOVE, a, strlen(a) + 1, NULL, 0);
        else if (strcmp(line, "bad") == 0)
                send_msg(99, NULL, 0, NULL, 0);
        else if (strcmp(line, "hello") == 0) {
                InitHelloPayload hp = { .version = INIT_PROTOCOL_VERSION };

                send_msg(INIT_MSG_HELLO, &hp, sizeof hp, NULL, 0);
        } else if (strcmp(line, "ping") == 0)
                say("pong");
        else if (sscanf(line, "shutdown %255s %d", a, &x) == 2)
                shutdown_request(a, x);
        else if (sscanf(line, "exit %d", &x) == 1)
                exit(x);
        else
                say("unknown-command");
}

static void read_commands(void) {
        static char buf[4096];
        static size_t used;
        ssize_t n;
        char *nl;

        n = read(ctl, buf + used, sizeof buf - 1 - used);
        if (n <= 0)
                return;
        used += (size_t) n;
        buf[used] = 0;
        while ((nl = strchr(buf, '\n'))) {
                *nl = 0;
                command(buf);
                used -= (size_t) (nl + 1 - buf);
                memmove(buf, nl + 1, used + 1);
        }
}

static void reap_children(void) {
        int status;
        pid_t pid;

        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
                say("child pid=%d status=%d", (int) pid,
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(int argc, char *argv[]) {
        uint64_t start = now_usec(CLOCK_REALTIME), next_beat = 0;
        const char *dir = getenv("FAKE_DIR"), *fd_env = getenv(INIT_FD_ENV),
                   *gen_env = getenv(INIT_GENERATION_ENV);
        char path[4096], args[1024] = "";
        unsigned hello_delay_ms = 0;
        bool no_hello = false;
        if (!dir || !fd_env || !gen_env) {
                fprintf(stderr, "fake-manager: FAKE_DIR, %s and %s must be set\n", INIT_FD_ENV,
                        INIT_GENERATION_ENV);
                return 2;
        }
        init_fd = atoi(fd_env);
        generation = (unsigned) atoi(gen_env);
        snprintf(path, sizeof path, "%s/manager.log", dir);
        log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (log_fd < 0)
                return 3;
        for (int i = 1; i < argc; i++)
                snprintf(args + strlen(args), sizeof args - strlen(args), "%s[%s]",
                         i > 1 ? " " : "", argv[i]);
        say("start realtime_us=%llu fd=%d argv=%s tunables=[%s]", (unsigned long long) start, init_fd, args,
            getenv("GLIBC_TUNABLES") ?: "");
        read_conf(&hello_delay_ms, &no_hello);
        snprintf(path, sizeof path, "%s/ctl", dir);
        ctl = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (ctl < 0)
                say("no-ctl errno=%d", errno);
        signal(SIGCHLD, SIG_DFL);
        if (hello_delay_ms > 0)
                sleep_ms(hello_delay_ms);
        if (!no_hello) {
                InitHelloPayload hp = { .version = INIT_PROTOCOL_VERSION };

                say("sending hello realtime_us=%llu",
                    (unsigned long long) now_usec(CLOCK_REALTIME));
                send_msg(INIT_MSG_HELLO, &hp, sizeof hp, NULL, 0);
        }
        for (;;) {
                struct pollfd p[2] = { { init_fd, POLLIN, 0 }, { ctl, POLLIN, 0 } };
                uint64_t now = now_usec(CLOCK_MONOTONIC);
                int timeout = 100;

                if (heartbeat_usec > 0 && now >= next_beat) {
                        send_msg(INIT_MSG_HEARTBEAT, NULL, 0, NULL, 0);
                        next_beat = now + heartbeat_usec / 3;
                }
                if (heartbeat_usec > 0)
                        timeout = (int) ((next_beat - now) / 1000U) + 1;
                poll(p, 2, timeout);
                if (p[0].revents)
                        receive();
                if (p[1].revents & POLLIN)
                        read_commands();
                reap_children();
        }
}
