/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-socket-util.c: unit tests for socket-util.c: sockaddr_un_set_path() for file system and
 * abstract names (the lengths bind() and connect() need, the limits), and notify_send()
 * delivering one datagram to $NOTIFY_SOCKET as sd_notify() does (file system and abstract
 * sockets; unset, empty and relative values).
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "socket-util.h"
#include "string-util.h"
#include "test-helpers.h"

START_TEST(test_sockaddr_un_set_path) {
        struct sockaddr_un sa;
        char longname[sizeof sa.sun_path + 1];

        ck_assert_int_eq(sockaddr_un_set_path(&sa, "/run/x.sock"),
                         (int) (offsetof(struct sockaddr_un, sun_path) + strlen("/run/x.sock") + 1));
        ck_assert_int_eq(sa.sun_family, AF_UNIX);
        ck_assert_str_eq(sa.sun_path, "/run/x.sock");

        ck_assert_int_eq(sockaddr_un_set_path(&sa, "@abstract"),
                         (int) (offsetof(struct sockaddr_un, sun_path) + strlen("@abstract")));
        ck_assert_int_eq(sa.sun_path[0], '\0');
        ck_assert_mem_eq(sa.sun_path + 1, "abstract", 8);

        ck_assert_int_eq(sockaddr_un_set_path(&sa, ""), -EINVAL);
        ck_assert_int_eq(sockaddr_un_set_path(&sa, "@"), -EINVAL);

        memset(longname, 'a', sizeof longname - 1);
        longname[0] = '/';
        longname[sizeof longname - 1] = '\0'; /* sizeof sun_path characters: no room for the NUL */
        ck_assert_int_eq(sockaddr_un_set_path(&sa, longname), -ENAMETOOLONG);
        longname[sizeof longname - 2] = '\0'; /* one shorter: fits */
        ck_assert_int_gt(sockaddr_un_set_path(&sa, longname), 0);
}
END_TEST

/* A datagram socket bound to name; returns its fd. */
static int listen_dgram(const char *name) {
        struct sockaddr_un sa;
        int fd, salen = sockaddr_un_set_path(&sa, name);

        ck_assert_int_gt(salen, 0);
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, (socklen_t) salen), 0);
        return fd;
}

static void expect_datagram(int fd, const char *text) {
        char buf[256];
        ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);

        ck_assert_int_eq(n, (ssize_t) strlen(text));
        buf[n] = '\0';
        ck_assert_str_eq(buf, text);
}

START_TEST(test_notify_send) {
        const char *base = getenv("TMPDIR");
        char dir[256], path[300], abstract[64];
        int fd;

        ck_assert_int_eq(unsetenv("NOTIFY_SOCKET"), 0);
        ck_assert_int_eq(notify_send("READY=1"), 0);
        ck_assert_int_eq(setenv("NOTIFY_SOCKET", "", 1), 0);
        ck_assert_int_eq(notify_send("READY=1"), 0);
        ck_assert_int_eq(setenv("NOTIFY_SOCKET", "relative/sock", 1), 0);
        ck_assert_int_eq(notify_send("READY=1"), -EINVAL);

        snprintf(dir, sizeof dir, "%s/test-socket-util.XXXXXX", isempty(base) ? "/tmp" : base);
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/notify", dir);
        fd = listen_dgram(path);
        ck_assert_int_eq(setenv("NOTIFY_SOCKET", path, 1), 0);
        ck_assert_int_eq(notify_send("READY=1\nSTATUS=Processing"), 1);
        expect_datagram(fd, "READY=1\nSTATUS=Processing");
        close(fd);
        ck_assert_int_eq(unlink(path), 0);
        ck_assert_int_eq(notify_send("READY=1"), -ENOENT); /* nobody listens there any more */
        ck_assert_int_eq(rmdir(dir), 0);

        snprintf(abstract, sizeof abstract, "@test-socket-util/%ld", (long) getpid());
        fd = listen_dgram(abstract);
        ck_assert_int_eq(setenv("NOTIFY_SOCKET", abstract, 1), 0);
        ck_assert_int_eq(notify_send("STOPPING=1"), 1);
        expect_datagram(fd, "STOPPING=1");
        close(fd);
        ck_assert_int_eq(unsetenv("NOTIFY_SOCKET"), 0);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("socket-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_sockaddr_un_set_path);
        tcase_add_test(tc, test_notify_send);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
