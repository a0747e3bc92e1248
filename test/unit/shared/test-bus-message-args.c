/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-message-args: signature-driven writing and reading (bus_message_append/read),
 * value copies between messages, strv helpers, constructors and errors.
 */

#include <fcntl.h>
#include <unistd.h>

#include "bus/bus-error.h"
#include "bus/bus-message-args.h"
#include "strv.h"
#include "test-helpers.h"

static BusMessage *sealed_call(void) {
        BusMessage *m = NULL;

        ck_assert_int_eq(bus_message_new_method_call("org.example", "/p", "org.example.I", "M", &m), 0);
        return m;
}

START_TEST(test_append_and_read_everything) {
        _cleanup_(bus_message_unrefp) BusMessage *m = sealed_call();
        uint8_t y;
        int b, fd;
        int16_t n;
        uint16_t q;
        int32_t i;
        uint32_t u;
        int64_t x;
        uint64_t t;
        double d;
        const char *s, *o, *g, *key, *vs;
        int32_t si;
        char **l = NULL;

        ck_assert_int_eq(bus_message_append(m, "ybnqiuxtdsogh", 255, 1, -3, 65535, -5, 6U, (int64_t) -7,
                                            UINT64_MAX, 2.5, "str", "/obj", "a{sv}", STDIN_FILENO), 0);
        ck_assert_int_eq(bus_message_append(m, "a{sv}(is)vas", 2, "k1", "s", "v1", "k2", "(ii)", 1, 2,
                                            7, "seven", "u", 9U, 3, "a", "b", "c"), 0);
        ck_assert_int_eq(bus_message_seal(m, 1), 0);
        ck_assert(bus_message_has_signature(m, "ybnqiuxtdsogha{sv}(is)vas"));

        ck_assert_int_eq(bus_message_read(m, "ybnqiuxtdsogh", &y, &b, &n, &q, &i, &u, &x, &t, &d, &s, &o,
                                          &g, &fd), 1);
        ck_assert_uint_eq(y, 255);
        ck_assert_int_eq(b, 1);
        ck_assert_int_eq(n, -3);
        ck_assert_uint_eq(q, 65535);
        ck_assert_int_eq(i, -5);
        ck_assert_uint_eq(u, 6);
        ck_assert_int_eq(x, -7);
        ck_assert_uint_eq(t, UINT64_MAX);
        ck_assert(d == 2.5);
        ck_assert_str_eq(s, "str");
        ck_assert_str_eq(o, "/obj");
        ck_assert_str_eq(g, "a{sv}");
        ck_assert_int_ge(fd, 3); /* a duplicate owned by the message */
        ck_assert_int_ne(fd, STDIN_FILENO);

        ck_assert_int_eq(bus_message_enter_container(m, 'a', "{sv}"), 1);
        ck_assert_int_eq(bus_message_read(m, "{sv}", &key, "s", &vs), 1);
        ck_assert_str_eq(key, "k1");
        ck_assert_str_eq(vs, "v1");
        /* k2 holds (ii): the read stops inside the entry, after the key */
        ck_assert_int_eq(bus_message_read(m, "{sv}", &key, "s", &vs), -ENXIO);
        ck_assert_str_eq(key, "k2");
        ck_assert_int_eq(bus_message_exit_container(m), 0); /* the entry */
        ck_assert_int_eq(bus_message_exit_container(m), 0); /* the array */
        ck_assert_int_eq(bus_message_read(m, "(is)", &si, &s), 1);
        ck_assert_int_eq(si, 7);
        ck_assert_str_eq(s, "seven");
        ck_assert_int_eq(bus_message_read(m, "v", "u", &u), 1);
        ck_assert_uint_eq(u, 9);
        ck_assert_int_eq(bus_message_read(m, "as", &l), 1);
        ck_assert(strv_equal(l, STRV_MAKE("a", "b", "c")));
        strv_free(l);
        ck_assert_int_eq(bus_message_read(m, "s", &s), 0); /* the end */
}
END_TEST

START_TEST(test_errors) {
        _cleanup_(bus_message_unrefp) BusMessage *m = sealed_call();
        const char *s;

        ck_assert_int_eq(bus_message_append(m, "a{", 0), -EINVAL);
        ck_assert_int_eq(bus_message_append(m, "s", NULL), -EINVAL);
        ck_assert_int_eq(bus_message_append(m, "u", 1U), 0);
        ck_assert_int_eq(bus_message_seal(m, 2), 0);
        ck_assert_int_eq(bus_message_read(m, "s", &s), -ENXIO);
        ck_assert_int_eq(bus_message_read(m, "((", &s), -EINVAL);
}
END_TEST

START_TEST(test_copy_gives_identical_bytes) {
        _cleanup_(bus_message_unrefp) BusMessage *a = sealed_call(), *b = sealed_call();
        const void *wa, *wb;
        size_t na, nb;

        ck_assert_int_eq(bus_message_append(a, "sa{sv}aayav(ii)", "x", 1, "k", "at", 2, UINT64_C(1), UINT64_C(2),
                                            2, 0, 1, 0xff, 2, "s", "inner", "ai", 0, 3, 4), 0);
        ck_assert_int_eq(bus_message_seal(a, 5), 0);
        ck_assert_int_eq(bus_message_copy_all(b, a), 0);
        ck_assert_int_eq(bus_message_seal(b, 5), 0);
        ck_assert_int_eq(bus_message_get_wire(a, &wa, &na), 0);
        ck_assert_int_eq(bus_message_get_wire(b, &wb, &nb), 0);
        ck_assert_uint_eq(na, nb);
        ck_assert(memcmp(wa, wb, na) == 0);
}
END_TEST

START_TEST(test_reply_and_error_constructors) {
        _cleanup_(bus_message_unrefp) BusMessage *call = NULL, *reply = NULL, *err = NULL;
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

        ck_assert_int_eq(bus_message_new_method_call(NULL, "/p", "org.example.I", "M", &call), 0);
        ck_assert_int_eq(bus_message_set_string_field(call, BUS_FIELD_SENDER, ":1.7"), 0);
        ck_assert_int_eq(bus_message_seal(call, 42), 0);
        ck_assert(bus_message_is_method_call(call, "org.example.I", "M"));
        ck_assert(bus_message_is_method_call(call, NULL, NULL));
        ck_assert(!bus_message_is_signal(call, NULL, NULL));

        ck_assert_int_eq(bus_message_new_method_return(call, &reply), 0);
        ck_assert_int_eq(bus_message_seal(reply, 1), 0);
        ck_assert_uint_eq(bus_message_get_reply_serial(reply), 42);
        ck_assert_str_eq(bus_message_get_string_field(reply, BUS_FIELD_DESTINATION), ":1.7");

        ck_assert_int_eq(bus_message_new_errorf(call, &err, BUS_ERROR_INVALID_ARGS, "bad %d", 3), 0);
        ck_assert_int_eq(bus_message_seal(err, 2), 0);
        ck_assert_int_eq(bus_error_from_message(&e, err), -EINVAL);
        ck_assert_str_eq(e.name, BUS_ERROR_INVALID_ARGS);
        ck_assert_str_eq(e.message, "bad 3");
}
END_TEST

START_TEST(test_errno_mapping) {
        _cleanup_bus_error_ BusError a = BUS_ERROR_NULL, b = BUS_ERROR_NULL, c = BUS_ERROR_NULL;

        ck_assert_int_eq(bus_error_set_errno(&a, -ENOENT), -ENOENT);
        ck_assert_str_eq(a.name, BUS_ERROR_FILE_NOT_FOUND);
        ck_assert_int_eq(bus_error_set_errno(&b, EXDEV), -EXDEV);
        ck_assert_str_eq(b.name, "System.Error.EXDEV");
        ck_assert_int_eq(bus_error_name_to_errno("System.Error.EXDEV"), EXDEV);
        ck_assert_int_eq(bus_error_name_to_errno(BUS_ERROR_UNKNOWN_OBJECT), EBADR);
        ck_assert_int_eq(bus_error_name_to_errno("com.example.Whatever"), EIO);
        /* the first error wins */
        ck_assert_int_eq(bus_error_setf(&c, BUS_ERROR_ACCESS_DENIED, "first"), -EACCES);
        (void) bus_error_setf(&c, BUS_ERROR_FAILED, "second");
        ck_assert_str_eq(c.message, "first");
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-message-args");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_append_and_read_everything);
        tcase_add_test(tc, test_errors);
        tcase_add_test(tc, test_copy_gives_identical_bytes);
        tcase_add_test(tc, test_reply_and_error_constructors);
        tcase_add_test(tc, test_errno_mapping);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
