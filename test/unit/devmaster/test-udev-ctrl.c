/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev-ctrl.c: the control socket (udev-ctrl.h): the 280-byte wire layout that udevadm
 * 252 sends byte for byte, the refusal of malformed messages, and a live server that gets a
 * client's messages in order and closes the connection after END (the client's only
 * acknowledgement), refusing peers that are not root.
 */

#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event.h"
#include "test-helpers.h"
#include "udev-ctrl.h"

START_TEST(test_wire_layout) {
        uint8_t buf[UDEV_CTRL_MESSAGE_SIZE];
        UdevCtrlMessage m = { .type = UDEV_CTRL_SET_CHILDREN_MAX, .intval = 7 };
        uint32_t magic;
        int32_t v;

        ck_assert_int_eq(udev_ctrl_message_encode(&m, buf), 0);
        ck_assert_str_eq((const char *) buf, "udev-252");
        for (size_t i = strlen("udev-252"); i < 16; i++)
                ck_assert_uint_eq(buf[i], 0);
        memcpy(&magic, buf + 16, 4);
        ck_assert_uint_eq(magic, 0xdead1deaU);
        memcpy(&v, buf + 20, 4);
        ck_assert_int_eq(v, 6); /* SET_CHILDREN_MAX */
        memcpy(&v, buf + 24, 4);
        ck_assert_int_eq(v, 7);
        for (size_t i = 28; i < sizeof buf; i++)
                ck_assert_uint_eq(buf[i], 0);

        m = (UdevCtrlMessage) { .type = UDEV_CTRL_SET_ENV };
        strcpy(m.buf, "FOO=bar");
        ck_assert_int_eq(udev_ctrl_message_encode(&m, buf), 0);
        memcpy(&v, buf + 20, 4);
        ck_assert_int_eq(v, 5);
        ck_assert_str_eq((const char *) buf + 24, "FOO=bar");

        /* the numbering of udev 252 */
        ck_assert_int_eq(UDEV_CTRL_END_MESSAGES, 0);
        ck_assert_int_eq(UDEV_CTRL_SET_LOG_LEVEL, 1);
        ck_assert_int_eq(UDEV_CTRL_PING, 7);
        ck_assert_int_eq(UDEV_CTRL_EXIT, 8);
        ck_assert_str_eq(udev_ctrl_message_type_to_string(UDEV_CTRL_RELOAD), "RELOAD");
        ck_assert_ptr_null(udev_ctrl_message_type_to_string(42));
}
END_TEST

START_TEST(test_encode_refuses) {
        uint8_t buf[UDEV_CTRL_MESSAGE_SIZE];
        UdevCtrlMessage m = { .type = UDEV_CTRL_SET_ENV };

        memset(m.buf, 'x', sizeof m.buf); /* 256 bytes: no room for the NUL */
        ck_assert_int_eq(udev_ctrl_message_encode(&m, buf), -EINVAL);
        m.type = 99;
        ck_assert_int_eq(udev_ctrl_message_encode(&m, buf), -EINVAL);
}
END_TEST

START_TEST(test_decode) {
        uint8_t buf[UDEV_CTRL_MESSAGE_SIZE + 1];
        UdevCtrlMessage in = { .type = UDEV_CTRL_SET_LOG_LEVEL, .intval = 6 }, out;
        uint32_t bad = 0x12345678;

        ck_assert_int_eq(udev_ctrl_message_encode(&in, buf), 0);
        ck_assert_int_eq(udev_ctrl_message_decode(buf, UDEV_CTRL_MESSAGE_SIZE, &out), 0);
        ck_assert_int_eq(out.type, UDEV_CTRL_SET_LOG_LEVEL);
        ck_assert_int_eq(out.intval, 6);
        ck_assert_int_eq(udev_ctrl_message_decode(buf, UDEV_CTRL_MESSAGE_SIZE - 1, &out), -EBADMSG);
        ck_assert_int_eq(udev_ctrl_message_decode(buf, UDEV_CTRL_MESSAGE_SIZE + 1, &out), -EBADMSG);
        ck_assert_int_eq(udev_ctrl_message_decode(NULL, 0, &out), -EBADMSG);

        /* an unterminated SET_ENV payload comes out terminated */
        memset(buf + 24, 'a', 256);
        ck_assert_int_eq(udev_ctrl_message_decode(buf, UDEV_CTRL_MESSAGE_SIZE, &out), 0);
        ck_assert_uint_eq(strlen(out.buf), 255);

        /* unknown types are passed on (the daemon ignores them), a wrong magic is refused */
        memcpy(buf + 20, &(int32_t) { 77 }, 4);
        ck_assert_int_eq(udev_ctrl_message_decode(buf, UDEV_CTRL_MESSAGE_SIZE, &out), 0);
        ck_assert_int_eq(out.type, 77);
        memcpy(buf + 16, &bad, 4);
        ck_assert_int_eq(udev_ctrl_message_decode(buf, UDEV_CTRL_MESSAGE_SIZE, &out), -EPROTO);
}
END_TEST

typedef struct Received {
        int types[16];
        char env[UDEV_CTRL_BUF_SIZE];
        int n;
        bool drop_on_exit;
        UdevCtrl *ctrl;
} Received;

static void handler(UdevCtrl *c, const UdevCtrlMessage *m, void *userdata) {
        Received *r = userdata;

        (void) c;
        if (r->n < 16)
                r->types[r->n++] = m->type;
        if (m->type == UDEV_CTRL_SET_ENV)
                snprintf(r->env, sizeof r->env, "%s", m->buf);
        if (m->type == UDEV_CTRL_EXIT && r->drop_on_exit)
                r->ctrl = udev_ctrl_unref(r->ctrl);
}

/* Runs the loop until the child exits; returns its exit status. */
static int serve_until_child_exits(Event *e, pid_t pid) {
        int status;

        for (int i = 0; i < 2000; i++) {
                ck_assert_int_ge(event_run(e, 5 * USEC_PER_MSEC), 0);
                if (waitpid(pid, &status, WNOHANG) == pid)
                        return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
        }
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        ck_abort_msg("client did not finish");
        return -1;
}

static void tmp_socket_path(char *buf, size_t size) {
        snprintf(buf, size, "/tmp/test-udev-ctrl.%d.sock", (int) getpid());
        (void) unlink(buf);
}

START_TEST(test_server_round_trip) {
        Event *e = NULL;
        Received rec = {};
        char path[108];
        pid_t pid;
        UdevCtrlMessage msgs[] = {
                { .type = UDEV_CTRL_SET_LOG_LEVEL, .intval = 7 },
                { .type = UDEV_CTRL_STOP_EXEC_QUEUE },
                { .type = UDEV_CTRL_SET_ENV, .buf = "DEBUG=yes" },
                { .type = UDEV_CTRL_PING },
        };
        int status;

        tmp_socket_path(path, sizeof path);
        ck_assert_int_eq(event_new(&e), 0);
        ck_assert_int_eq(udev_ctrl_new(e, -1, path, EVENT_PRIORITY_IDLE, handler, &rec, &rec.ctrl), 0);

        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                /* the server acknowledges by closing: this returns only then */
                int r = udev_ctrl_send_messages(path, msgs, ELEMENTSOF(msgs), 10 * USEC_PER_SEC);

                _exit(r == 0 ? 0 : 1);
        }
        status = serve_until_child_exits(e, pid);
        if (geteuid() == 0) {
                ck_assert_int_eq(status, 0);
                ck_assert_int_eq(rec.n, 4);
                ck_assert_int_eq(rec.types[0], UDEV_CTRL_SET_LOG_LEVEL);
                ck_assert_int_eq(rec.types[1], UDEV_CTRL_STOP_EXEC_QUEUE);
                ck_assert_int_eq(rec.types[2], UDEV_CTRL_SET_ENV);
                ck_assert_int_eq(rec.types[3], UDEV_CTRL_PING);
                ck_assert_str_eq(rec.env, "DEBUG=yes");
        } else
                ck_assert_int_eq(rec.n, 0); /* not root: refused, connection closed at once */

        /* a second connection works as well (the listener is re-enabled after each) */
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(udev_ctrl_send_messages(path, msgs + 3, 1, 10 * USEC_PER_SEC) == 0 ? 0 : 1);
        status = serve_until_child_exits(e, pid);
        if (geteuid() == 0) {
                ck_assert_int_eq(status, 0);
                ck_assert_int_eq(rec.n, 5);
        }

        udev_ctrl_unref(rec.ctrl);
        event_unref(e);
        unlink(path);
}
END_TEST

START_TEST(test_server_exit_drops_the_last_reference) {
        Event *e = NULL;
        Received rec = { .drop_on_exit = true };
        char path[108];
        pid_t pid;
        UdevCtrlMessage msgs[] = { { .type = UDEV_CTRL_EXIT }, { .type = UDEV_CTRL_PING } };

        if (geteuid() != 0)
                return; /* messages from non-root peers never reach the handler */
        tmp_socket_path(path, sizeof path);
        ck_assert_int_eq(event_new(&e), 0);
        ck_assert_int_eq(udev_ctrl_new(e, -1, path, EVENT_PRIORITY_NORMAL, handler, &rec, &rec.ctrl), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(udev_ctrl_send_messages(path, msgs, 2, 10 * USEC_PER_SEC) == 0 ? 0 : 1);
        /* the handler frees the server on EXIT: the connection closes, the PING is never read
         * (the client may or may not manage to send it and END before the close) */
        (void) serve_until_child_exits(e, pid);
        ck_assert_ptr_null(rec.ctrl);
        ck_assert_int_eq(rec.n, 1);
        event_unref(e);
        unlink(path);
}
END_TEST

START_TEST(test_bad_magic_closes_the_connection) {
        Event *e = NULL;
        Received rec = {};
        char path[108];
        pid_t pid;

        if (geteuid() != 0)
                return; /* non-root peers are refused before any message is read */
        tmp_socket_path(path, sizeof path);
        ck_assert_int_eq(event_new(&e), 0);
        ck_assert_int_eq(udev_ctrl_new(e, -1, path, EVENT_PRIORITY_NORMAL, handler, &rec, &rec.ctrl), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct sockaddr_un sa = { .sun_family = AF_UNIX };
                uint8_t buf[UDEV_CTRL_MESSAGE_SIZE] = {}, c;
                int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

                strcpy(sa.sun_path, path);
                if (fd < 0 || connect(fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                        _exit(2);
                /* a PING with magic 0: refused, and the server hangs up */
                buf[20] = UDEV_CTRL_PING;
                if (send(fd, buf, sizeof buf, 0) < 0)
                        _exit(3);
                _exit(recv(fd, &c, 1, 0) == 0 ? 0 : 4);
        }
        ck_assert_int_eq(serve_until_child_exits(e, pid), 0);
        ck_assert_int_eq(rec.n, 0);
        udev_ctrl_unref(rec.ctrl);
        event_unref(e);
        unlink(path);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("udev-ctrl");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_wire_layout);
        tcase_add_test(tc, test_encode_refuses);
        tcase_add_test(tc, test_decode);
        tcase_add_test(tc, test_server_round_trip);
        tcase_add_test(tc, test_server_exit_drops_the_last_reference);
        tcase_add_test(tc, test_bad_magic_closes_the_connection);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
