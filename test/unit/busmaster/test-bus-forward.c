/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-forward: what busmaster forwards (bus_message_new_forward()): the receiver gets the
 * sender's message unchanged (type, flags, serial, reply serial, fields, body in the sender's
 * byte order, its fds) except that SENDER is the bus's word, never the client's.
 */

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../test-helpers.h"
#include "bus/bus-message-args.h"
#include "bus/bus-message.h"

static void check_same_body(BusMessage *a, BusMessage *b) {
        const void *wa, *wb;
        size_t na, nb, ba = bus_message_get_body_size(a), bb = bus_message_get_body_size(b);

        ck_assert_uint_eq(ba, bb);
        ck_assert_int_eq(bus_message_get_wire(a, &wa, &na), 0);
        ck_assert_int_eq(bus_message_get_wire(b, &wb, &nb), 0);
        ck_assert(memcmp((const uint8_t *) wa + na - ba, (const uint8_t *) wb + nb - bb, ba) == 0);
}

START_TEST(test_forward_call_with_fd) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL, *f = NULL, *wire = NULL;
        const void *w;
        const char *s;
        size_t n;
        struct stat st1, st2;
        int fd, fd2;
        uint32_t u;

        /* a message as a client sends it, with a forged SENDER, parsed from the wire */
        ck_assert_int_eq(bus_message_new_method_call("com.example.Dest", "/obj", "com.example.I", "Call", &m), 0);
        ck_assert_int_eq(bus_message_set_string_field(m, BUS_FIELD_SENDER, ":1.666"), 0);
        ck_assert_int_eq(bus_message_set_flags(m, BUS_MESSAGE_NO_AUTO_START), 0);
        ck_assert_int_eq(bus_message_append(m, "sua{sv}h", "hello", 42U, 1, "k", "s", "v", STDIN_FILENO), 0);
        ck_assert_int_eq(bus_message_seal(m, 77), 0);
        ck_assert_int_eq(bus_message_get_wire(m, &w, &n), 0);
        {
                int fds[1] = { fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3) };

                ck_assert_int_ge(fds[0], 0);
                ck_assert_int_eq(bus_message_from_wire(w, n, 1, 0, &wire, NULL), 0);
                ck_assert_int_eq(bus_message_attach_fds(wire, fds, 1), 0);
        }

        ck_assert_int_eq(bus_message_new_forward(wire, ":1.5", &f), 0);
        ck_assert(bus_message_is_sealed(f));
        ck_assert_str_eq(bus_message_get_string_field(f, BUS_FIELD_SENDER), ":1.5");
        ck_assert_str_eq(bus_message_get_string_field(f, BUS_FIELD_DESTINATION), "com.example.Dest");
        ck_assert_str_eq(bus_message_get_string_field(f, BUS_FIELD_PATH), "/obj");
        ck_assert_str_eq(bus_message_get_string_field(f, BUS_FIELD_INTERFACE), "com.example.I");
        ck_assert_str_eq(bus_message_get_string_field(f, BUS_FIELD_MEMBER), "Call");
        ck_assert_str_eq(bus_message_get_string_field(f, BUS_FIELD_SIGNATURE), "sua{sv}h");
        ck_assert_uint_eq(bus_message_get_serial(f), 77);
        ck_assert_uint_eq(bus_message_get_flags(f), BUS_MESSAGE_NO_AUTO_START);
        ck_assert_uint_eq(bus_message_get_unix_fds(f), 1);
        check_same_body(wire, f);

        /* the body reads back, and the fd is a duplicate of the same file */
        bus_message_rewind(f);
        ck_assert_int_eq(bus_message_read(f, "su", &s, &u), 1);
        ck_assert_str_eq(s, "hello");
        ck_assert_uint_eq(u, 42);
        ck_assert_int_eq(bus_message_skip(f), 1);
        ck_assert_int_eq(bus_message_read_fd(f, &fd), 1);
        bus_message_rewind(wire);
        ck_assert_int_eq(bus_message_skip(wire), 1);
        ck_assert_int_eq(bus_message_skip(wire), 1);
        ck_assert_int_eq(bus_message_skip(wire), 1);
        ck_assert_int_eq(bus_message_read_fd(wire, &fd2), 1);
        ck_assert_int_ne(fd, fd2);
        ck_assert_int_eq(fstat(fd, &st1), 0);
        ck_assert_int_eq(fstat(fd2, &st2), 0);
        ck_assert(st1.st_ino == st2.st_ino && st1.st_dev == st2.st_dev);

        /* what the receiver parses is what was forwarded */
        {
                _cleanup_(bus_message_unrefp) BusMessage *again = NULL;

                ck_assert_int_eq(bus_message_get_wire(f, &w, &n), 0);
                ck_assert_int_eq(bus_message_from_wire(w, n, 1, BUS_PARSE_LAX_FD_INDEX, &again, NULL), 0);
                ck_assert_str_eq(bus_message_get_string_field(again, BUS_FIELD_SENDER), ":1.5");
        }
        ck_assert_int_eq(bus_message_new_forward(wire, "not a name", &f), -EINVAL);
}
END_TEST

START_TEST(test_forward_reply_other_endian) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL, *f = NULL;
        char other = __BYTE_ORDER == __BIG_ENDIAN ? 'l' : 'B';
        const char *s;

        ck_assert_int_eq(bus_message_new(BUS_MESSAGE_METHOD_RETURN, other, &m), 0);
        ck_assert_int_eq(bus_message_set_reply_serial(m, 9), 0);
        ck_assert_int_eq(bus_message_append(m, "as", 2, "a", "bc"), 0);
        ck_assert_int_eq(bus_message_new_forward(m, ":1.1", &f), -EBUSY); /* not sealed */
        ck_assert_int_eq(bus_message_seal(m, 3), 0);
        ck_assert_int_eq(bus_message_new_forward(m, ":1.1", &f), 0);
        ck_assert_int_eq(bus_message_get_endian(f), other);
        ck_assert_uint_eq(bus_message_get_reply_serial(f), 9);
        ck_assert_uint_eq(bus_message_get_type(f), BUS_MESSAGE_METHOD_RETURN);
        check_same_body(m, f);
        bus_message_rewind(f);
        ck_assert_int_eq(bus_message_enter_container(f, 'a', "s"), 1);
        ck_assert_int_eq(bus_message_read(f, "s", &s), 1);
        ck_assert_str_eq(s, "a");
        ck_assert_int_eq(bus_message_read(f, "s", &s), 1);
        ck_assert_str_eq(s, "bc");
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-forward");
        TCase *tc = tcase_create("forward");

        tcase_add_test(tc, test_forward_call_with_fd);
        tcase_add_test(tc, test_forward_reply_other_endian);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
