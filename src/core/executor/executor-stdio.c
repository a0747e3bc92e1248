/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* executor-stdio.c: standard streams of the service (see executor-stdio.h). */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "execute.h"
#include "executor-stdio.h"
#include "fd-util.h"
#include "log.h"
#include "socket-util.h"
#include "string-util.h"

/* Puts fd at nfd (closing fd) unless it is there already, clearing close-on-exec. */
static int move_fd(int fd, int nfd) {
        if (fd < 0)
                return fd;
        if (fd == nfd)
                return fcntl(fd, F_SETFD, 0) < 0 ? -errno : nfd;
        if (dup2(fd, nfd) < 0) {
                int r = -errno;
                safe_close(fd);
                return r;
        }
        safe_close(fd);
        return nfd;
}

static int dup_to(int fd, int nfd) {
        return dup2(fd, nfd) < 0 ? -errno : nfd;
}

static int open_null_as(int flags, int nfd) {
        int fd = open("/dev/null", flags | O_NOCTTY | O_CLOEXEC);
        return fd < 0 ? -errno : move_fd(fd, nfd);
}

/* Opens a terminal, retrying for up to a second while it reports EIO (a tty being closed). */
static int open_terminal(const char *path, int flags) {
        for (int i = 0;; i++) {
                int fd = open(path, flags | O_NOCTTY | O_CLOEXEC);
                if (fd >= 0)
                        return fd;
                if (errno != EIO || i >= 20)
                        return -errno;
                (void) usleep(50 * 1000);
        }
}

static void reset_terminal_fd(int fd) {
        struct termios t;

        if (isatty(fd) < 1)
                return;
        (void) ioctl(fd, TIOCNXCL);
        if (tcgetattr(fd, &t) >= 0) {
                t.c_iflag &= ~(tcflag_t) (IGNBRK | BRKINT | ISTRIP | INLCR | IGNCR | IUCLC);
                t.c_iflag |= ICRNL | IMAXBEL | IUTF8;
                t.c_oflag |= ONLCR | OPOST;
                t.c_cflag |= CREAD;
                t.c_lflag = ISIG | ICANON | IEXTEN | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE;
                t.c_cc[VINTR] = 03;
                t.c_cc[VQUIT] = 034;
                t.c_cc[VERASE] = 0177;
                t.c_cc[VKILL] = 025;
                t.c_cc[VEOF] = 04;
                t.c_cc[VSTART] = 021;
                t.c_cc[VSTOP] = 023;
                t.c_cc[VSUSP] = 032;
                t.c_cc[VLNEXT] = 026;
                t.c_cc[VWERASE] = 027;
                t.c_cc[VREPRINT] = 022;
                t.c_cc[VEOL] = 0;
                t.c_cc[VEOL2] = 0;
                t.c_cc[VTIME] = 0;
                t.c_cc[VMIN] = 1;
                (void) tcsetattr(fd, TCSANOW, &t);
        }
        (void) tcflush(fd, TCIOFLUSH);
}

void executor_tty_reset(const ExecContext *c, const ExecRun *r) {
        const char *path = exec_context_tty_path(c);
        int fd = r->stdin_fd;

        if (!c->tty_vhangup && !c->tty_reset)
                return;
        if (fd < 0)
                fd = open_terminal(path, O_RDWR | O_NONBLOCK);
        if (fd >= 0) {
                if (c->tty_vhangup)
                        (void) ioctl(fd, TIOCVHANGUP);
                if (c->tty_reset)
                        reset_terminal_fd(fd);
        }
        if (fd != r->stdin_fd)
                safe_close(fd);
}

/* Makes the terminal our controlling terminal. "wait" retries whenever the terminal is closed
 * by whoever holds it, until we get it; "force" steals it (TIOCSCTTY with 1). */
static int acquire_terminal(const char *path, ExecInput mode) {
        _cleanup_close_ int notify = -1;
        struct sigaction ign = { .sa_handler = SIG_IGN }, old;

        for (;;) {
                int fd = open_terminal(path, O_RDWR), r;

                if (fd < 0)
                        return fd;
                /* Taking a terminal may send us SIGHUP: ignore it meanwhile. */
                (void) sigaction(SIGHUP, &ign, &old);
                r = ioctl(fd, TIOCSCTTY, mode == EXEC_INPUT_TTY_FORCE) < 0 ? -errno : 0;
                (void) sigaction(SIGHUP, &old, NULL);
                if (r >= 0)
                        return fd;
                safe_close(fd);
                if (r != -EPERM || mode != EXEC_INPUT_TTY)
                        return r;
                if (notify < 0) {
                        notify = inotify_init1(IN_CLOEXEC);
                        if (notify < 0 || inotify_add_watch(notify, path, IN_CLOSE) < 0)
                                return -errno;
                }
                char buf[sizeof(struct inotify_event) + 256];
                if (read(notify, buf, sizeof buf) < 0 && errno != EINTR)
                        return -errno;
        }
}

/* StandardInput=data: a pipe when the data fits into one, else a memfd, read from the start. */
static int data_fd(const void *data, size_t size) {
        int p[2], fd;

        if (size <= 65536 && pipe2(p, O_CLOEXEC) >= 0) {
                if (fcntl(p[1], F_SETPIPE_SZ, (int) MAX(size, 4096U)) >= 0 || size <= 4096) {
                        if (size == 0 || write(p[1], data, size) == (ssize_t) size) {
                                safe_close(p[1]);
                                return p[0];
                        }
                }
                safe_close(p[0]);
                safe_close(p[1]);
        }
        fd = memfd_create("data-fd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return -errno;
        if (write(fd, data, size) != (ssize_t) size || lseek(fd, 0, SEEK_SET) < 0 ||
            fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
                int r = errno > 0 ? -errno : -EIO;
                safe_close(fd);
                return r;
        }
        return fd;
}

static int connect_unix(int fd, const char *path) {
        struct sockaddr_un sa;
        int salen = sockaddr_un_set_path(&sa, path);

        if (salen < 0)
                return salen;
        return connect(fd, (struct sockaddr *) &sa, (socklen_t) salen) < 0 ? -errno : 0;
}

/* A path for StandardInput=file: and the output files: a file, created if written to, or an
 * AF_UNIX stream socket found at the path (open() says ENXIO then). */
static int acquire_path(const char *path, int flags, mode_t mode) {
        int fd, r;

        if ((flags & O_ACCMODE) != O_RDONLY)
                flags |= O_CREAT;
        fd = open(path, flags | O_NOCTTY | O_CLOEXEC, mode);
        if (fd >= 0 || errno != ENXIO)
                return fd >= 0 ? fd : -errno;
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        r = connect_unix(fd, path);
        if (r >= 0 && (flags & O_ACCMODE) != O_RDWR)
                r = shutdown(fd, (flags & O_ACCMODE) == O_RDONLY ? SHUT_WR : SHUT_RD) < 0 ? -errno : 0;
        if (r < 0) {
                safe_close(fd);
                return IN_SET(r, -ENOTSOCK, -EINVAL) ? -ENXIO : r;
        }
        return fd;
}

static bool is_terminal_input(ExecInput i) {
        return IN_SET(i, EXEC_INPUT_TTY, EXEC_INPUT_TTY_FORCE, EXEC_INPUT_TTY_FAIL);
}

/* The input after the checks systemd applies (no terminal unless allowed, no socket, no data). */
static ExecInput effective_input(const ExecContext *c, const ExecRun *r) {
        if (is_terminal_input(c->std_input) && !(r->flags & EXEC_APPLY_TTY_STDIN))
                return EXEC_INPUT_NULL;
        if (c->std_input == EXEC_INPUT_SOCKET && r->socket_fd < 0)
                return EXEC_INPUT_NULL;
        if (c->std_input == EXEC_INPUT_DATA && c->stdin_data_size == 0)
                return EXEC_INPUT_NULL;
        return c->std_input;
}

static ExecOutput effective_output(ExecOutput o, const ExecRun *r) {
        return o == EXEC_OUTPUT_SOCKET && r->socket_fd < 0 ? EXEC_OUTPUT_INHERIT : o;
}

int executor_setup_input(const ExecContext *c, const ExecRun *r) {
        ExecInput i;
        bool rw;

        if (r->stdin_fd >= 0) {
                if (dup2(r->stdin_fd, STDIN_FILENO) < 0)
                        return -errno;
                if (isatty(STDIN_FILENO)) {
                        (void) ioctl(STDIN_FILENO, TIOCSCTTY, c->std_input == EXEC_INPUT_TTY_FORCE);
                        reset_terminal_fd(STDIN_FILENO);
                }
                return 0;
        }
        i = effective_input(c, r);
        switch (i) {
        case EXEC_INPUT_TTY:
        case EXEC_INPUT_TTY_FORCE:
        case EXEC_INPUT_TTY_FAIL:
                return move_fd(acquire_terminal(exec_context_tty_path(c), i), STDIN_FILENO);
        case EXEC_INPUT_SOCKET:
                return dup_to(r->socket_fd, STDIN_FILENO);
        case EXEC_INPUT_NAMED_FD:
                (void) fcntl(r->named_fds[STDIN_FILENO], F_SETFL,
                             fcntl(r->named_fds[STDIN_FILENO], F_GETFL) & ~O_NONBLOCK);
                return dup_to(r->named_fds[STDIN_FILENO], STDIN_FILENO);
        case EXEC_INPUT_DATA:
                return move_fd(data_fd(c->stdin_data, c->stdin_data_size), STDIN_FILENO);
        case EXEC_INPUT_FILE:
                rw = (c->std_output == EXEC_OUTPUT_FILE && streq_ptr(c->stdio_file[0], c->stdio_file[1])) ||
                     (c->std_error == EXEC_OUTPUT_FILE && streq_ptr(c->stdio_file[0], c->stdio_file[2]));
                return move_fd(acquire_path(c->stdio_file[0], rw ? O_RDWR : O_RDONLY, 0666 & ~c->umask),
                               STDIN_FILENO);
        default:
                return open_null_as(O_RDONLY, STDIN_FILENO);
        }
}

static bool is_kmsg_output(ExecOutput o) {
        return IN_SET(o, EXEC_OUTPUT_KMSG, EXEC_OUTPUT_KMSG_AND_CONSOLE);
}

static bool is_terminal_output(ExecOutput o) {
        return IN_SET(o, EXEC_OUTPUT_TTY, EXEC_OUTPUT_KMSG_AND_CONSOLE, EXEC_OUTPUT_JOURNAL_AND_CONSOLE);
}

/* The journal's stdout stream: connect (as the service's user) and send the header. */
static int connect_journal(const ExecContext *c, const ExecRun *r, ExecOutput o, const char *ident,
                           int nfd, uid_t uid, gid_t gid) {
        _cleanup_free_ char *path = c->log_namespace
                ? strjoin("/run/systemd/journal.", c->log_namespace, "/stdout")
                : strdup("/run/systemd/journal/stdout");
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        uid_t olduid = getuid();
        gid_t oldgid = getgid();
        int k;

        if (!path)
                return -ENOMEM;
        if (fd < 0)
                return -errno;
        if (gid != GID_INVALID && setegid(gid) < 0)
                return -errno;
        if (uid != UID_INVALID && seteuid(uid) < 0) {
                k = -errno;
                (void) setegid(oldgid);
                return k;
        }
        k = connect_unix(fd, path);
        if (uid != UID_INVALID)
                (void) seteuid(olduid);
        if (gid != GID_INVALID)
                (void) setegid(oldgid);
        if (k < 0)
                return k;
        if (shutdown(fd, SHUT_RD) < 0)
                return -errno;
        if (dprintf(fd, "%s\n%s\n%i\n%i\n%i\n%i\n%i\n", c->syslog_identifier ? c->syslog_identifier : ident,
                    (r->flags & EXEC_PASS_LOG_UNIT) ? r->unit_id : "", c->syslog_priority,
                    c->syslog_level_prefix, 0, is_kmsg_output(o), is_terminal_output(o)) < 0)
                return -errno;
        return move_fd(TAKE_FD(fd), nfd);
}

static bool can_inherit_stderr_from_stdout(const ExecContext *c, ExecOutput o, ExecOutput e) {
        if (e == EXEC_OUTPUT_INHERIT)
                return true;
        if (e != o)
                return false;
        if (e == EXEC_OUTPUT_NAMED_FD)
                return streq_ptr(c->stdio_fdname[1], c->stdio_fdname[2]);
        if (exec_output_is_file(e))
                return streq_ptr(c->stdio_file[1], c->stdio_file[2]);
        return true;
}

static int open_output_file(const ExecContext *c, ExecOutput o, int fileno) {
        int flags = O_WRONLY;

        if (c->std_input == EXEC_INPUT_FILE && streq_ptr(c->stdio_file[fileno], c->stdio_file[0]))
                return dup_to(STDIN_FILENO, fileno);
        if (o == EXEC_OUTPUT_FILE_APPEND)
                flags |= O_APPEND;
        else if (o == EXEC_OUTPUT_FILE_TRUNCATE)
                flags |= O_TRUNC;
        return move_fd(acquire_path(c->stdio_file[fileno], flags, 0666 & ~c->umask), fileno);
}

/* "inherit" for stdout: from stdin when that is a terminal, socket, fd or file, else from the
 * manager (or /dev/null for the system instance, as under systemd's PID 1). */
static int inherit_stdout(const ExecContext *c, const ExecRun *r, ExecInput i) {
        if (i == EXEC_INPUT_NULL && is_terminal_input(c->std_input))
                return move_fd(open_terminal(exec_context_tty_path(c), O_WRONLY), STDOUT_FILENO);
        if (!IN_SET(i, EXEC_INPUT_NULL, EXEC_INPUT_DATA))
                return dup_to(STDIN_FILENO, STDOUT_FILENO);
        if (!(r->flags & EXEC_SYSTEM_MANAGER))
                return 0;
        return open_null_as(O_WRONLY, STDOUT_FILENO);
}

int executor_setup_output(const ExecContext *c, const ExecRun *r, int fileno, const char *ident,
                          uid_t uid, gid_t gid, dev_t *journal_dev, ino_t *journal_ino) {
        int given = fileno == STDOUT_FILENO ? r->stdout_fd : r->stderr_fd, k;
        ExecInput i = effective_input(c, r);
        ExecOutput o = effective_output(c->std_output, r);
        struct stat st;

        if (given >= 0)
                return dup_to(given, fileno);
        if (fileno == STDERR_FILENO) {
                ExecOutput e = effective_output(c->std_error, r);

                /* Everything inherited and no terminal: keep the manager's stderr. */
                if (e == EXEC_OUTPUT_INHERIT && o == EXEC_OUTPUT_INHERIT && i == EXEC_INPUT_NULL &&
                    !is_terminal_input(c->std_input) && !(r->flags & EXEC_SYSTEM_MANAGER))
                        return 0;
                if (can_inherit_stderr_from_stdout(c, o, e))
                        return dup_to(STDOUT_FILENO, fileno);
                o = e;
        } else if (o == EXEC_OUTPUT_INHERIT)
                return inherit_stdout(c, r, i);

        switch (o) {
        case EXEC_OUTPUT_NULL:
                return open_null_as(O_WRONLY, fileno);
        case EXEC_OUTPUT_TTY:
                if (is_terminal_input(i))
                        return dup_to(STDIN_FILENO, fileno);
                return move_fd(open_terminal(exec_context_tty_path(c), O_WRONLY), fileno);
        case EXEC_OUTPUT_KMSG:
        case EXEC_OUTPUT_KMSG_AND_CONSOLE:
        case EXEC_OUTPUT_JOURNAL:
        case EXEC_OUTPUT_JOURNAL_AND_CONSOLE:
                k = connect_journal(c, r, o, ident, fileno, uid, gid);
                if (k < 0) {
                        log_warning_errno(k, "%s: Failed to connect %s to the journal socket, ignoring: %m",
                                          r->unit_id, fileno == STDOUT_FILENO ? "stdout" : "stderr");
                        return open_null_as(O_WRONLY, fileno);
                }
                if (fstat(fileno, &st) >= 0 && (*journal_ino == 0 || fileno == STDERR_FILENO)) {
                        *journal_dev = st.st_dev;
                        *journal_ino = st.st_ino;
                }
                return k;
        case EXEC_OUTPUT_SOCKET:
                return dup_to(r->socket_fd, fileno);
        case EXEC_OUTPUT_NAMED_FD:
                (void) fcntl(r->named_fds[fileno], F_SETFL, fcntl(r->named_fds[fileno], F_GETFL) & ~O_NONBLOCK);
                return dup_to(r->named_fds[fileno], fileno);
        case EXEC_OUTPUT_FILE:
        case EXEC_OUTPUT_FILE_APPEND:
        case EXEC_OUTPUT_FILE_TRUNCATE:
                return open_output_file(c, o, fileno);
        default: /* inherit for stderr: done above */
                return 0;
        }
}

int executor_chown_terminal(int fd, uid_t uid) {
        if (isatty(fd) < 1)
                return IN_SET(errno, EINVAL, ENOTTY) ? 0 : -errno;
        if (fchmod(fd, 0620) < 0 || fchown(fd, uid, (gid_t) -1) < 0)
                return -errno;
        return 0;
}

/* Whether tty (a /dev/ path or name) is a virtual console, following /dev/console to the
 * active one as the kernel reports it. */
static bool tty_is_vc(const char *tty) {
        char buf[64] = "";
        const char *name = startswith(tty, "/dev/") ? tty + 5 : tty;
        FILE *f;

        for (int depth = 0; depth < 2 && (streq(name, "console") || streq(name, "tty0")); depth++) {
                char *last;
                snprintf(buf, sizeof buf, "/sys/class/tty/%s/active", name);
                f = fopen(buf, "re");
                if (!f || !fgets(buf, sizeof buf, f)) {
                        if (f)
                                fclose(f);
                        return streq(name, "tty0");
                }
                fclose(f);
                truncate_nl(buf);
                last = strrchr(buf, ' ');
                name = last ? last + 1 : buf;
        }
        return startswith(name, "tty") && name[3] >= '0' && name[3] <= '9';
}

const char *executor_default_term(const char *tty_path) {
        return tty_path && tty_is_vc(tty_path) ? "linux" : "vt220";
}
