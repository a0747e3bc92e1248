/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * busmaster: sysmaster's message bus, a drop-in for dbus-daemon 1.14. This file is the
 * command line of dbus-daemon(1), the listening sockets (unix:path=, unix:dir=, unix:tmpdir=,
 * unix:abstract=, systemd: socket activation), --print-address/--print-pid, --fork, the
 * readiness notification to $NOTIFY_SOCKET, and the signal handling; the bus is bus-broker.c.
 *
 * The configuration file (bus-config.h) gives the listening addresses (unless --address), the
 * user to switch to, <fork/>, <pidfile>, <auth> and everything the broker enforces; SIGHUP
 * reloads it as ReloadConfig does.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bus-broker.h"
#include "bus-config.h"
#include "bus-driver.h"
#include "bus-userdb.h"
#include "event.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "socket-util.h"
#include "string-util.h"
#include "strv.h"

#define LISTEN_BACKLOG 30

typedef struct Options {
        const char *config_file;
        const char *address;
        bool print_address, print_pid;
        int print_address_fd, print_pid_fd;
        int fork_mode; /* -1 --nofork, 0 the config decides, 1 --fork */
        bool nopidfile, systemd_activation, introspect, version;
} Options;

typedef struct Listener {
        int fd;
        char *address; /* for --print-address, without the guid */
        char *unlink_path; /* a path socket we created: removed on exit */
} Listener;

static Listener listeners[16];
static size_t n_listeners;
static char *pidfile_written; /* removed on exit, as dbus-daemon does */

static void usage(void) {
        fprintf(stderr, "busmaster [--version] [--session] [--system] [--config-file=FILE] "
                        "[--print-address[=DESCRIPTOR]] [--print-pid[=DESCRIPTOR]] [--introspect] "
                        "[--address=ADDRESS] [--nopidfile] [--nosyslog] [--syslog] [--syslog-only] "
                        "[--nofork] [--fork] [--systemd-activation]\n");
        exit(EXIT_FAILURE);
}

static bool is_fd_number(const char *s, int *ret) {
        char *end;
        long v;

        if (!s || !*s)
                return false;
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || *end || v < 0 || v > INT32_MAX)
                return false;
        *ret = (int) v;
        return true;
}

/* dbus-daemon's parser: "--opt=value" and "--opt value" both work; --print-address and
 * --print-pid take the next argument only if it is a number. */
static void parse_argv(int argc, char **argv, Options *o) {
        const char *pending = NULL;

        for (int i = 1; i < argc; i++) {
                const char *a = argv[i], *v;

                if (pending) {
                        const char *p = pending;

                        pending = NULL;
                        if (streq(p, "--config-file")) {
                                o->config_file = a;
                                continue;
                        }
                        if (streq(p, "--address")) {
                                o->address = a;
                                continue;
                        }
                        if (streq(p, "--print-address") && is_fd_number(a, &o->print_address_fd))
                                continue;
                        if (streq(p, "--print-pid") && is_fd_number(a, &o->print_pid_fd))
                                continue;
                }
                if (streq(a, "--help"))
                        usage();
                else if (streq(a, "--version"))
                        o->version = true;
                else if (streq(a, "--introspect"))
                        o->introspect = true;
                else if (streq(a, "--session"))
                        o->config_file = "/usr/share/dbus-1/session.conf";
                else if (streq(a, "--system"))
                        o->config_file = "/usr/share/dbus-1/system.conf";
                else if ((v = startswith(a, "--config-file=")))
                        o->config_file = v;
                else if ((v = startswith(a, "--address=")))
                        o->address = v;
                else if ((v = startswith(a, "--print-address="))) {
                        o->print_address = true;
                        if (!is_fd_number(v, &o->print_address_fd))
                                usage();
                } else if ((v = startswith(a, "--print-pid="))) {
                        o->print_pid = true;
                        if (!is_fd_number(v, &o->print_pid_fd))
                                usage();
                } else if (STR_IN_SET(a, "--config-file", "--address", "--print-address", "--print-pid")) {
                        if (streq(a, "--print-address"))
                                o->print_address = true;
                        if (streq(a, "--print-pid"))
                                o->print_pid = true;
                        pending = a;
                } else if (streq(a, "--nofork"))
                        o->fork_mode = -1;
                else if (streq(a, "--fork"))
                        o->fork_mode = 1;
                else if (streq(a, "--nopidfile"))
                        o->nopidfile = true;
                else if (streq(a, "--systemd-activation"))
                        o->systemd_activation = true;
                else if (STR_IN_SET(a, "--syslog", "--syslog-only", "--nosyslog"))
                        ; /* logging goes to stderr (SYSMASTER_LOG_TARGET) for now */
                else
                        usage();
        }
        if (pending && STR_IN_SET(pending, "--config-file", "--address"))
                usage();
}

/* ---- addresses ---- */

/* D-Bus address escaping: [-0-9A-Za-z_/.\*] stay, everything else becomes %xx. */
static char *address_escape(const char *s) {
        char *e = malloc(strlen(s) * 3 + 1), *p = e;

        if (!e)
                return NULL;
        for (; *s; s++) {
                if (strchr("-_/.\\*", *s) || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
                    (*s >= 'A' && *s <= 'Z'))
                        *p++ = *s;
                else
                        p += sprintf(p, "%%%02x", (unsigned char) *s);
        }
        *p = 0;
        return e;
}

static int address_unescape(const char *s, char **ret) {
        char *u = malloc(strlen(s) + 1), *p = u;

        if (!u)
                return -ENOMEM;
        for (; *s; s++) {
                if (*s == '%') {
                        int hi = unhexchar(s[1]), lo = hi >= 0 ? unhexchar(s[2]) : -1;

                        if (hi < 0 || lo < 0) {
                                free(u);
                                return -EINVAL;
                        }
                        *p++ = (char) (hi << 4 | lo);
                        s += 2;
                } else
                        *p++ = *s;
        }
        *p = 0;
        *ret = u;
        return 0;
}

static int bind_unix(const char *path, bool abstract, int *ret) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t len = strlen(path);
        socklen_t salen;
        int fd;

        if (len + (abstract ? 1 : 0) >= sizeof sa.sun_path)
                return -ENAMETOOLONG;
        memcpy(sa.sun_path + (abstract ? 1 : 0), path, len);
        salen = offsetof(struct sockaddr_un, sun_path) + len + (abstract ? 1 : 1);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, salen) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
                int r = -errno;
                safe_close(fd);
                return r;
        }
        *ret = fd;
        return 0;
}

static int add_listener(int fd, const char *kind, const char *value, const char *unlink_path) {
        _cleanup_free_ char *esc = address_escape(value);

        if (n_listeners >= ELEMENTSOF(listeners)) {
                safe_close(fd);
                return log_error_errno(-E2BIG, "Too many listening addresses");
        }
        listeners[n_listeners] = (Listener) { .fd = fd };
        if (!esc || asprintf(&listeners[n_listeners].address, "unix:%s=%s", kind, esc) < 0 ||
            (unlink_path && !(listeners[n_listeners].unlink_path = strdup(unlink_path)))) {
                safe_close(fd);
                return log_oom();
        }
        n_listeners++;
        return 0;
}

static int listen_path(const char *path) {
        struct stat st;
        int fd, r;

        /* a stale socket from an earlier run is replaced; any other file is not touched */
        if (lstat(path, &st) >= 0 && S_ISSOCK(st.st_mode))
                (void) unlink(path);
        r = bind_unix(path, false, &fd);
        if (r < 0)
                return log_error_errno(r, "Failed to bind socket \"%s\": %m", path);
        /* as dbus-daemon: who may connect is the policy's business, not the file mode's */
        (void) chmod(path, 0777);
        return add_listener(fd, "path", path, path);
}

/* unix:dir= and unix:tmpdir=: a path socket "DIR/dbus-XXXXXXXXXX", as dbus-daemon makes it. */
static int listen_dir(const char *dir) {
        static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        int fd, r = -EADDRINUSE;

        for (int attempt = 0; attempt < 32 && r == -EADDRINUSE; attempt++) {
                _cleanup_free_ char *path = NULL;
                char name[11];
                uint8_t rnd[10];
                int ufd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

                if (ufd < 0 || read(ufd, rnd, sizeof rnd) != (ssize_t) sizeof rnd) {
                        safe_close(ufd);
                        return log_error_errno(-EIO, "Failed to read random bytes");
                }
                safe_close(ufd);
                for (size_t i = 0; i < 10; i++)
                        name[i] = chars[rnd[i] % (sizeof chars - 1)];
                name[10] = 0;
                if (asprintf(&path, "%s/dbus-%s", dir, name) < 0)
                        return log_oom();
                r = bind_unix(path, false, &fd);
                if (r >= 0) {
                        (void) chmod(path, 0777);
                        return add_listener(fd, "path", path, path);
                }
        }
        return log_error_errno(r, "Failed to create a socket in \"%s\": %m", dir);
}

/* Socket activation: LISTEN_PID must be us; the fds start at 3. */
static int listen_systemd(void) {
        const char *e = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS");
        int pid, nfds;

        if (!is_fd_number(e, &pid) || pid != getpid() || !is_fd_number(n, &nfds) || nfds < 1)
                return log_error_errno(-EINVAL, "Failed to listen on systemd: no sockets were passed "
                                                "(LISTEN_PID/LISTEN_FDS)");
        for (int fd = 3; fd < 3 + nfds; fd++) {
                struct sockaddr_un sa = {};
                socklen_t len = sizeof sa;
                const char *kind = "path", *value = sa.sun_path;
                int r;

                (void) fcntl(fd, F_SETFD, FD_CLOEXEC);
                (void) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
                if (getsockname(fd, (struct sockaddr *) &sa, &len) < 0 || sa.sun_family != AF_UNIX)
                        return log_error_errno(-EINVAL, "Socket-activation fd %d is not a unix socket", fd);
                if (len > offsetof(struct sockaddr_un, sun_path) && sa.sun_path[0] == 0) {
                        kind = "abstract";
                        value = sa.sun_path + 1;
                }
                r = add_listener(fd, kind, value, NULL);
                if (r < 0)
                        return r;
        }
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_FDNAMES");
        return 0;
}

/* One address: "unix:path=…", "unix:dir=…", "unix:tmpdir=…", "unix:abstract=…", "systemd:". */
static int listen_one(const char *address) {
        _cleanup_strv_free_ char **kv = NULL;
        const char *params;
        int r = -EINVAL;

        if (streq(address, "systemd:"))
                return listen_systemd();
        params = startswith(address, "unix:");
        if (!params)
                return log_error_errno(-EINVAL, "Unsupported listen address \"%s\"", address);
        if (strv_split(params, ",", &kv) < 0)
                return log_oom();
        if (strv_contains(kv, "runtime=yes")) {
                _cleanup_free_ char *path = NULL;
                const char *rt = getenv("XDG_RUNTIME_DIR");

                if (!rt || rt[0] != '/')
                        return log_error_errno(-EINVAL, "Failed to listen on \"%s\": "
                                               "XDG_RUNTIME_DIR is not set or not absolute", address);
                path = strjoin(rt, "/bus");
                if (!path)
                        return log_oom();
                return listen_path(path);
        }
        STRV_FOREACH(p, kv) {
                _cleanup_free_ char *value = NULL;
                const char *v;

                if ((v = startswith(*p, "path=")) || (v = startswith(*p, "dir=")) ||
                    (v = startswith(*p, "tmpdir=")) || (v = startswith(*p, "abstract="))) {
                        if (address_unescape(v, &value) < 0)
                                return log_error_errno(-EINVAL, "Bad escape in address \"%s\"", address);
                        if (startswith(*p, "path="))
                                r = listen_path(value);
                        else if (startswith(*p, "abstract=")) {
                                int fd;

                                r = bind_unix(value, true, &fd);
                                if (r < 0)
                                        return log_error_errno(r, "Failed to bind abstract socket \"%s\": %m", value);
                                r = add_listener(fd, "abstract", value, NULL);
                        } else
                                r = listen_dir(value);
                        return r;
                }
        }
        return log_error_errno(-EINVAL, "Unsupported listen address \"%s\"", address);
}

static int listen_all(const char *addresses) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        if (strv_split(addresses, ";", &l) < 0)
                return log_oom();
        STRV_FOREACH(a, l) {
                if (isempty(*a))
                        continue;
                r = listen_one(*a);
                if (r < 0)
                        return r;
        }
        if (n_listeners == 0)
                return log_error_errno(-EINVAL, "No listen address given");
        return 0;
}

static void unlink_sockets(void) {
        for (size_t i = 0; i < n_listeners; i++) {
                if (listeners[i].unlink_path)
                        (void) unlink(listeners[i].unlink_path);
                free(listeners[i].unlink_path);
                free(listeners[i].address);
        }
        n_listeners = 0;
}

/* ---- start-up output ---- */

static int write_line(int fd, const char *s) {
        size_t n = strlen(s);

        while (n > 0) {
                ssize_t k = write(fd, s, n);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                s += k;
                n -= (size_t) k;
        }
        return 0;
}

static int print_startup(const Options *o, const char *guid) {
        _cleanup_free_ char *line = NULL, *pid = NULL;
        int r;

        if (o->print_address) {
                for (size_t i = 0; i < n_listeners; i++)
                        if (strextend(&line, i > 0 ? ";" : "", listeners[i].address, ",guid=", guid) < 0)
                                return log_oom();
                if (strextend(&line, "\n") < 0)
                        return log_oom();
                r = write_line(o->print_address_fd, line);
                if (r < 0)
                        return log_error_errno(r, "Failed to print the address: %m");
        }
        if (o->print_pid) {
                if (asprintf(&pid, "%ld\n", (long) getpid()) < 0)
                        return log_oom();
                r = write_line(o->print_pid_fd, pid);
                if (r < 0)
                        return log_error_errno(r, "Failed to print the PID: %m");
        }
        return 0;
}

static void notify_ready(void) {
        int r = notify_send("READY=1");

        if (r < 0)
                log_warning_errno(r, "Failed to notify readiness: %m");
}

/* --fork: the child runs the bus; the parent waits until the child printed what it had to
 * print, so that whoever started us can read the address once we exited. */
static int daemonize(int *ret_ready_fd) {
        int p[2];
        pid_t pid;
        char c;

        if (pipe2(p, O_CLOEXEC) < 0)
                return log_error_errno(errno, "Failed to create a pipe: %m");
        pid = fork();
        if (pid < 0)
                return log_error_errno(errno, "Failed to fork: %m");
        if (pid > 0) {
                safe_close(p[1]);
                _exit(read(p[0], &c, 1) == 1 ? EXIT_SUCCESS : EXIT_FAILURE);
        }
        safe_close(p[0]);
        (void) setsid();
        *ret_ready_fd = p[1];
        return 0;
}

static int on_sighup(EventSource *s, const struct signalfd_siginfo *si, void *userdata) {
        (void) s;
        (void) si;
        (void) broker_reload_config(userdata, NULL);
        return 0;
}

/* <user>: a name or a UID; the groups of that user come along (initgroups(), from the
 * user database as the helper process reads it). */
static int drop_privileges(const char *user) {
        _cleanup_(bus_user_done) BusUser u = {};
        unsigned uid;
        int r;

        r = bus_userdb_get_user_by_name(user, &u);
        if (r == 0 && safe_atou_full(user, 10 | SAFE_ATO_REFUSE_PLUS_MINUS, &uid) >= 0)
                r = bus_userdb_get_user_by_uid((uid_t) uid, &u);
        if (r < 0)
                return log_error_errno(r, "Failed to look up user \"%s\": %m", user);
        if (r == 0)
                return log_error_errno(-ESRCH, "Could not get UID and GID for username \"%s\"", user);
        if (u.uid == geteuid())
                return 0;
        if (setgroups(u.n_groups, u.groups) < 0 && errno != EPERM)
                return log_error_errno(errno, "Failed to set the groups of %s: %m", user);
        if (setgid(u.gid) < 0 || setuid(u.uid) < 0)
                return log_error_errno(errno, "Failed to become user %s: %m", user);
        return 0;
}

/* dbus-daemon's fd limit: 65536 when started as root (each connection may pass 64 fds), the
 * hard limit otherwise; services get the original limit back. */
static void raise_fd_limit(Broker *b) {
        struct rlimit rl;

        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return;
        b->initial_nofile = rl;
        b->have_initial_nofile = true;
        if (getuid() == 0) {
                if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 65536)
                        rl.rlim_cur = 65536;
                if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur)
                        rl.rlim_max = rl.rlim_cur;
        } else
                rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
                log_debug_errno(errno, "Failed to raise the fd limit: %m");
}

static int write_pidfile(const char *path) {
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -EBADF;

        if (asprintf(&text, "%ld\n", (long) getpid()) < 0)
                return log_oom();
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0)
                return log_error_errno(errno, "Failed to write the PID file \"%s\": %m", path);
        return write_line(fd, text);
}

static int run(const Options *o) {
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_(broker_freep) Broker *b = NULL;
        _cleanup_free_ char *text = NULL, *addresses = NULL;
        _cleanup_bus_config_ BusConfig *config = NULL;
        const char *pidfile = NULL;
        sigset_t mask;
        int ready_fd = -EBADF, r;

        if (o->config_file) {
                r = bus_config_load(o->config_file, 0, &config, &text);
                if (r < 0) {
                        log_error("Failed to start message bus: %s", text ?: strerror(-r));
                        return r;
                }
        }
        if (o->address)
                addresses = strdup(o->address);
        else if (config && !strv_isempty(config->listen))
                addresses = strv_join(config->listen, ";");
        else {
                log_error("Failed to start message bus: no listen address given (<listen> or --address)");
                return -EINVAL;
        }
        if (!addresses)
                return log_oom();

        (void) signal(SIGPIPE, SIG_IGN);
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        (void) sigprocmask(SIG_BLOCK, &mask, NULL);

        r = event_new(&e);
        if (r >= 0)
                r = broker_new(e, &b);
        if (r < 0)
                return log_error_errno(r, "Failed to set up the bus: %m");
        if (config) {
                if (config->pidfile && !o->nopidfile)
                        pidfile = config->pidfile;
                b->config_path = strdup(o->config_file);
                if (!b->config_path)
                        return log_oom();
        }
        b->systemd_activation = o->systemd_activation;

        r = listen_all(addresses);
        if (r < 0)
                return r;
        if (n_listeners > 0)
                b->listen_address = strjoin(listeners[0].address, ",guid=", b->guid);
        raise_fd_limit(b);
        if (config && config->user) {
                r = drop_privileges(config->user);
                if (r < 0)
                        return r;
                b->uid = geteuid();
        }
        if (o->fork_mode > 0 || (o->fork_mode == 0 && config && config->fork)) {
                r = daemonize(&ready_fd);
                if (r < 0)
                        return r;
                if (!config || !config->keep_umask)
                        umask(022);
        }
        if (pidfile) {
                r = write_pidfile(pidfile);
                if (r < 0)
                        return r;
                pidfile_written = strdup(pidfile);
        }
        if (config) {
                r = broker_set_config(b, TAKE_PTR(config));
                if (r < 0)
                        return log_error_errno(r, "Failed to apply the configuration: %m");
        }
        for (size_t i = 0; i < n_listeners; i++) {
                r = broker_add_listener(b, listeners[i].fd);
                listeners[i].fd = -EBADF;
                if (r < 0)
                        return log_error_errno(r, "Failed to listen: %m");
        }
        r = event_add_signal(e, NULL, SIGTERM, NULL, NULL);
        if (r >= 0)
                r = event_add_signal(e, NULL, SIGINT, NULL, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to watch signals: %m");
        (void) event_add_signal(e, NULL, SIGHUP, on_sighup, b);

        r = print_startup(o, b->guid);
        if (r < 0)
                return r;
        if (ready_fd >= 0) {
                (void) write_line(ready_fd, "R");
                ready_fd = safe_close(ready_fd);
        }
        notify_ready();
        return event_loop(e);
}

/* With stdin, stdout or stderr closed (test-dbus-daemon-fork.sh does that), sockets must not
 * land on fds 0-2, where a log line would corrupt them: park /dev/null there. */
static void ensure_std_fds(void) {
        for (int fd = 0; fd < 3; fd++)
                if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
                        int n = open("/dev/null", O_RDWR); /* takes the lowest free fd: this one */

                        if (n >= 0 && n != fd)
                                safe_close(n);
                }
}

int main(int argc, char **argv) {
        _cleanup_free_ char *xml = NULL;
        Options o = { .print_address_fd = STDOUT_FILENO, .print_pid_fd = STDOUT_FILENO };
        int r;

        if (argc >= 2 && streq(argv[1], BUS_USERDB_HELPER_ARG))
                return bus_userdb_helper_main(argc, argv);
        ensure_std_fds();
        log_parse_environment();
        /* user lookups in a helper: this binary again, so that NSS stays out of the daemon */
        if (bus_userdb_set_helper("/proc/self/exe") < 0) {
                log_oom();
                return EXIT_FAILURE;
        }
        parse_argv(argc, argv, &o);
        if (o.version) {
                /* clients and scripts that check the version read the first line */
                printf("D-Bus Message Bus Daemon 1.14.10\n"
                       "busmaster (%s) %s, a drop-in for dbus-daemon\n", PACKAGE_NAME, PACKAGE_VERSION);
                return EXIT_SUCCESS;
        }
        if (o.introspect) {
                xml = bus_driver_introspect(NULL);
                if (!xml)
                        return EXIT_FAILURE;
                printf("%s\n", xml); /* dbus-daemon adds a blank line */
                return EXIT_SUCCESS;
        }
        r = run(&o);
        unlink_sockets();
        if (pidfile_written) {
                (void) unlink(pidfile_written);
                free(pidfile_written);
        }
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
