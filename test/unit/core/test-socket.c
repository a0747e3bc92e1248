/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-socket.c: socket units run for real by a manager in test mode (runtime under a temporary
 * directory, no cgroups, the exec helper of the build tree). Each test writes a socket and its
 * service, starts the socket through the job engine, talks to it as a client would and checks
 * what a user sees: the node in the file system and its mode, the service started on traffic
 * with $LISTEN_FDS/$LISTEN_PID/$LISTEN_FDNAMES as sd_listen_fds() wants them, Accept=yes
 * instances answering over the connection, the counters, RemoveOnStop= and Symlinks=, and a
 * daemon-reload that keeps the listening fd.
 */

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus/bus-error.h"
#include "event.h"
#include "fd-util.h"
#include "job.h"
#include "manager.h"
#include "service.h"
#include "socket.h"
#include "runtime-env.h"
#include "test-helpers.h"
#include "unit-tree.h"

/* Writes name into the tree ("%s" in fmt: the test's root directory); without a [Unit] section
 * it gets DefaultDependencies=no (the test tree has no sysinit.target & co.). */
static void env_write(Env *v, const char *name, const char *fmt) {
        char text[4096];
        size_t n = env_expand(v, fmt, text, sizeof text);

        if (strstr(text, "[Unit]") == NULL) {
                memmove(text + 30, text, n + 1);
                memcpy(text, "[Unit]\nDefaultDependencies=no\n", 30);
        }
        unit_tree_write(v->tree.etc, name, text);
}

static void env_job(Env *v, JobType t, Unit *u) {
        BusError error = BUS_ERROR_NULL;
        int r = manager_add_job(v->m, t, u, JOB_REPLACE, NULL, &error, NULL);

        ck_assert_msg(r >= 0, "job for %s: %d %s; log:\n%s", u->id, r, error.message ? error.message : "", v->log.buf);
        bus_error_free(&error);
}

static bool env_run_until_socket(Env *v, Unit *u, SocketState st, unsigned ms) {
        usec_t end = now(CLOCK_MONOTONIC) + ms * USEC_PER_MSEC;

        while (SOCKET(u)->state != st && now(CLOCK_MONOTONIC) < end)
                ck_assert_int_ge(event_run(v->e, 20 * USEC_PER_MSEC), 0);
        return SOCKET(u)->state == st;
}

#define ck_assert_socket_state(v, u, st, ms)                                                          \
        ck_assert_msg(env_run_until_socket((v), (u), (st), (ms)), "socket state %s, expected %s; log:\n%s", \
                      socket_state_to_string(SOCKET(u)->state), socket_state_to_string(st), (v)->log.buf)

/* Reads from fd (non-blocking) while running the loop until EOF or ms passed; returns the text. */
static char *env_read_reply(Env *v, int fd, unsigned ms) {
        static char buf[1024];
        size_t n = 0;
        usec_t end = now(CLOCK_MONOTONIC) + ms * USEC_PER_MSEC;

        while (now(CLOCK_MONOTONIC) < end && n < sizeof buf - 1) {
                ssize_t k = recv(fd, buf + n, sizeof buf - 1 - n, MSG_DONTWAIT);
                if (k == 0)
                        break;
                if (k > 0) {
                        n += (size_t) k;
                        continue;
                }
                ck_assert_int_ge(event_run(v->e, 20 * USEC_PER_MSEC), 0);
        }
        buf[n] = 0;
        return buf;
}

static int connect_unix(const char *path, int type) {
        ck_assert_int_lt(strlen(path), sizeof(((struct sockaddr_un *) NULL)->sun_path));
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

        ck_assert_int_ge(fd, 0);
        memcpy(sa.sun_path, path, strlen(path) + 1);
        ck_assert_int_eq(connect(fd, (struct sockaddr *) &sa, sizeof sa), 0);
        return fd;
}

/* A service that accepts one connection on fd 3 and answers with what sd_listen_fds() checks. */
static const char listen_reporter[] =
        "import os, socket\n"
        "s = socket.socket(fileno=3)\n"
        "c, _ = s.accept()\n"
        "ok = 'pid-ok' if os.environ.get('LISTEN_PID') == str(os.getpid()) else 'pid-bad'\n"
        "c.sendall(' '.join([str(os.environ.get('LISTEN_FDS')), str(os.environ.get('LISTEN_FDNAMES')), ok]).encode())\n"
        "c.close()\n";

/* A script that writes its $LISTEN_FDS and $LISTEN_FDNAMES to $1 and stays. */
static const char env_writer[] = "#!/bin/sh\necho \"$LISTEN_FDS $LISTEN_FDNAMES\" > \"$1\"\nexec sleep 100\n";

static void env_script(Env *v, const char *name, const char *text) {
        char path[512];

        unit_tree_write(v->tree.root, name, text);
        snprintf(path, sizeof path, "%s/%s", v->tree.root, name);
        ck_assert_int_eq(chmod(path, 0755), 0);
}

START_TEST(test_stream_path_activation) {
        char path[256], *reply;
        struct stat st;
        Env v;
        Unit *s, *svc;
        int fd;

        env_init(&v);
        env_write(&v, "echo.socket", "[Socket]\nListenStream=%s/sock/echo.sock\nFileDescriptorName=ctl\n");
        env_script(&v, "rep.py", listen_reporter);
        env_write(&v, "echo.service", "[Service]\nExecStart=/usr/bin/python3 %s/rep.py\n");
        s = env_load_unit(&v, "echo.socket");
        svc = env_load_unit(&v, "echo.service");
        ck_assert(unit_has_dependency(s, UNIT_TRIGGERS, svc));
        ck_assert(unit_has_dependency(svc, UNIT_TRIGGERED_BY, s));
        ck_assert(unit_has_dependency(s, UNIT_BEFORE, svc));
        env_job(&v, JOB_START, s);
        ck_assert_socket_state(&v, s, SOCKET_LISTENING, 2000);
        snprintf(path, sizeof path, "%s/sock/echo.sock", v.tree.root);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert(S_ISSOCK(st.st_mode));
        /* the node gets SocketMode= 0666 exactly (the umask does not apply) */
        ck_assert_int_eq(st.st_mode & 0777, 0666);

        fd = connect_unix(path, SOCK_STREAM);
        reply = env_read_reply(&v, fd, 10000);
        ck_assert_msg(streq(reply, "1 ctl pid-ok"), "reply '%s'; log:\n%s", reply, v.log.buf);
        safe_close(fd);
        /* the service is done: the socket listens again */
        ck_assert_socket_state(&v, s, SOCKET_LISTENING, 5000);
        ck_assert_int_eq(SERVICE(svc)->state, SERVICE_DEAD);

        /* a second connection starts it again */
        fd = connect_unix(path, SOCK_STREAM);
        reply = env_read_reply(&v, fd, 10000);
        ck_assert_str_eq(reply, "1 ctl pid-ok");
        safe_close(fd);
        ck_assert_socket_state(&v, s, SOCKET_LISTENING, 5000);

        env_job(&v, JOB_STOP, s);
        ck_assert_socket_state(&v, s, SOCKET_DEAD, 2000);
        /* without RemoveOnStop= the node stays */
        ck_assert_int_eq(access(path, F_OK), 0);
        env_done(&v);
}
END_TEST

START_TEST(test_accept_per_connection) {
        char path[256], *reply;
        Env v;
        Unit *s;
        int fd;

        env_init(&v);
        env_write(&v, "echo.socket", "[Socket]\nListenStream=%s/echo.sock\nAccept=yes\n");
        env_write(&v, "echo@.service", "[Service]\nExecStart=/bin/sh -c 'echo got; exec cat'\n"
                                       "StandardInput=socket\n");
        s = env_load_unit(&v, "echo.socket");
        env_job(&v, JOB_START, s);
        ck_assert_socket_state(&v, s, SOCKET_LISTENING, 2000);
        snprintf(path, sizeof path, "%s/echo.sock", v.tree.root);

        for (unsigned i = 0; i < 2; i++) {
                char name[64], expected[128];

                fd = connect_unix(path, SOCK_STREAM);
                ck_assert_int_eq(write(fd, "hello\n", 6), 6);
                ck_assert_int_eq(shutdown(fd, SHUT_WR), 0);
                reply = env_read_reply(&v, fd, 10000);
                ck_assert_msg(streq(reply, "got\nhello\n"), "reply '%s'; log:\n%s", reply, v.log.buf);
                safe_close(fd);
                /* the instance is named after the connection: echo@N-PID-UID.service (as the log
                 * says: by now it may have ended and been collected) */
                snprintf(name, sizeof name, "echo@%u-%d-%u.service", i, (int) getpid(), (unsigned) getuid());
                snprintf(expected, sizeof expected, "Started %s", name);
                ck_assert_msg(strstr(v.log.buf, expected), "no instance %s; log:\n%s", name, v.log.buf);
        }
        ck_assert_int_eq(SOCKET(s)->n_accepted, 2);
        /* the socket itself never leaves listening */
        ck_assert_int_eq(SOCKET(s)->state, SOCKET_LISTENING);
        for (unsigned i = 0; i < 100 && SOCKET(s)->n_connections > 0; i++)
                env_run_for(&v, 50);
        ck_assert_int_eq(SOCKET(s)->n_connections, 0);
        env_done(&v);
}
END_TEST

START_TEST(test_datagram_and_fifo) {
        char dpath[100], fpath[256], *out = NULL, file[256];
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        struct stat st;
        Env v;
        Unit *s;
        int fd;

        env_init(&v);
        env_write(&v, "d.socket", "[Socket]\nListenDatagram=%s/d.sock\nListenFIFO=%s/fifo\nSocketMode=0600\n");
        env_script(&v, "w.sh", env_writer);
        env_write(&v, "d.service", "[Service]\nExecStart=%s/w.sh %s/out\n");
        s = env_load_unit(&v, "d.socket");
        env_job(&v, JOB_START, s);
        ck_assert_socket_state(&v, s, SOCKET_LISTENING, 2000);
        snprintf(fpath, sizeof fpath, "%s/fifo", v.tree.root);
        ck_assert_int_eq(stat(fpath, &st), 0);
        ck_assert(S_ISFIFO(st.st_mode));
        ck_assert_int_eq(st.st_mode & 0777, 0600);
        snprintf(dpath, sizeof dpath, "%s/d.sock", v.tree.root);
        ck_assert_int_eq(stat(dpath, &st), 0);
        ck_assert_int_eq(st.st_mode & 0777, 0600);

        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        memcpy(sa.sun_path, dpath, strlen(dpath) + 1);
        ck_assert_int_eq(sendto(fd, "x", 1, 0, (struct sockaddr *) &sa, sizeof sa), 1);
        safe_close(fd);
        ck_assert_socket_state(&v, s, SOCKET_RUNNING, 5000);
        snprintf(file, sizeof file, "%s/out", v.tree.root);
        for (unsigned i = 0; i < 100 && (!out || !*out); i++) {
                free(out);
                out = NULL;
                env_run_for(&v, 50);
                (void) read_full_file(file, SIZE_MAX, &out, NULL);
        }
        ck_assert_msg(out && streq(out, "2 d.socket:d.socket\n"), "out '%s'; log:\n%s", out ? out : "", v.log.buf);
        free(out);
        env_done(&v);
}
END_TEST

START_TEST(test_remove_on_stop_symlinks) {
        char path[256], link[256], target[256];
        Env v;
        Unit *s;
        ssize_t n;

        env_init(&v);
        env_write(&v, "r.socket", "[Socket]\nListenStream=%s/r.sock\nRemoveOnStop=yes\nSymlinks=%s/links/r.link\n");
        env_write(&v, "r.service", "[Service]\nExecStart=/bin/true\n");
        s = env_load_unit(&v, "r.socket");
        env_job(&v, JOB_START, s);
        ck_assert_socket_state(&v, s, SOCKET_LISTENING, 2000);
        snprintf(path, sizeof path, "%s/r.sock", v.tree.root);
        snprintf(link, sizeof link, "%s/links/r.link", v.tree.root);
        n = readlink(link, target, sizeof target - 1);
        ck_assert_int_gt(n, 0);
        target[n] = 0;
        ck_assert_str_eq(target, path);
        env_job(&v, JOB_STOP, s);
        ck_assert_socket_state(&v, s, SOCKET_DEAD, 2000);
        ck_assert_int_ne(access(path, F_OK), 0);
        ck_assert_int_ne(access(link, F_OK), 0);
        env_done(&v);
}
END_TEST

START_TEST(test_reload_keeps_fd) {
        struct stat a, b;
        Env v;
        Unit *s;
        int fd;

        env_init(&v);
        env_write(&v, "k.socket", "[Socket]\nListenStream=%s/k.sock\n");
        env_write(&v, "k.service", "[Service]\nExecStart=/bin/true\n");
        s = env_load_unit(&v, "k.socket");
        env_job(&v, JOB_START, s);
        ck_assert_socket_state(&v, s, SOCKET_LISTENING, 2000);
        fd = SOCKET(s)->ports->fd;
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(fstat(fd, &a), 0);
        ck_assert_int_eq(manager_reload(v.m), 0);
        env_run_for(&v, 100);
        s = manager_get_unit(v.m, "k.socket");
        ck_assert_ptr_nonnull(s);
        ck_assert_int_eq(SOCKET(s)->state, SOCKET_LISTENING);
        ck_assert_int_eq(SOCKET(s)->ports->fd, fd);
        ck_assert_int_eq(fstat(SOCKET(s)->ports->fd, &b), 0);
        ck_assert_int_eq(a.st_ino, b.st_ino);
        env_done(&v);
}
END_TEST

START_TEST(test_listen_property_and_defaults) {
        Env v;
        Unit *s;
        char *x;

        env_init(&v);
        env_write(&v, "p.socket", "[Socket]\nListenStream=127.0.0.1:7777\nListenDatagram=@abstract-x\n"
                                  "ListenStream=/var/run/p.sock\n");
        env_write(&v, "p.service", "[Service]\nExecStart=/bin/true\n");
        s = env_load_unit(&v, "p.socket");
        x = unit_tree_show(v.m, "p.socket", "Listen");
        (void) x;
        ck_assert_str_eq(SOCKET(s)->ports->printed, "127.0.0.1:7777");
        ck_assert_str_eq(SOCKET(s)->ports->next->printed, "/run/p.sock");
        ck_assert_str_eq(SOCKET(s)->ports->next->next->printed, "@abstract-x");
        ck_assert_str_eq(SOCKET(s)->ports->next->next->listen_type, "Datagram");
        ck_assert_int_eq(SOCKET(s)->backlog, 2147483647);
        ck_assert_int_eq(SOCKET(s)->socket_mode, 0666);
        ck_assert_int_eq(SOCKET(s)->directory_mode, 0755);
        ck_assert_int_eq(SOCKET(s)->max_connections, 64);
        ck_assert_int_eq(SOCKET(s)->trigger_limit_burst, 20);
        free(x);
        env_done(&v);
}
END_TEST

START_TEST(test_bad_settings) {
        Env v;
        Unit *u;

        env_init(&v);
        env_write(&v, "n.socket", "[Socket]\nAccept=yes\nListenDatagram=/tmp/x\n");
        ck_assert_int_eq(manager_load_unit(v.m, "n.socket", &u), 0);
        ck_assert_int_eq(u->load_state, UNIT_BAD_SETTING);
        ck_assert_ptr_nonnull(strstr(v.log.buf, "Unit configured for accepting sockets, but sockets are non-accepting. Refusing."));
        env_done(&v);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("socket");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_stream_path_activation);
        tcase_add_test(tc, test_accept_per_connection);
        tcase_add_test(tc, test_datagram_and_fifo);
        tcase_add_test(tc, test_remove_on_stop_symlinks);
        tcase_add_test(tc, test_reload_keeps_fd);
        tcase_add_test(tc, test_listen_property_and_defaults);
        tcase_add_test(tc, test_bad_settings);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
