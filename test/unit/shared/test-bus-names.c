/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-names.c: object paths, interface, member, error and bus names (unique and
 * well-known) as the D-Bus specification defines them, with the 255-byte limits.
 */

#include <string.h>

#include "bus/bus-names.h"
#include "test-helpers.h"

START_TEST(test_object_path) {
        const char *p;

        FOREACH_STRING(p, "/", "/a", "/org/freedesktop/DBus", "/_1/a_b/C9")
                ck_assert_msg(bus_object_path_is_valid(p), "%s", p);
        FOREACH_STRING(p, "", "a", "//", "/a/", "/a//b", "/a-b", "/a.b", "/ä")
                ck_assert_msg(!bus_object_path_is_valid(p), "%s", p);
        ck_assert(!bus_object_path_is_valid(NULL));
}
END_TEST

START_TEST(test_interface_member) {
        const char *p;

        FOREACH_STRING(p, "a.b", "org.freedesktop.DBus", "_a._1", "A9.b_c")
                ck_assert_msg(bus_interface_name_is_valid(p) && bus_error_name_is_valid(p), "%s", p);
        FOREACH_STRING(p, "", "a", ".a.b", "a.b.", "a..b", "a.1b", "1a.b", "a-b.c", "a.b/c")
                ck_assert_msg(!bus_interface_name_is_valid(p), "%s", p);
        FOREACH_STRING(p, "Hello", "_x", "Get2")
                ck_assert_msg(bus_member_name_is_valid(p), "%s", p);
        FOREACH_STRING(p, "", "2x", "a.b", "a-b")
                ck_assert_msg(!bus_member_name_is_valid(p), "%s", p);
}
END_TEST

START_TEST(test_bus_names) {
        const char *p;

        FOREACH_STRING(p, ":1.42", ":a.b", ":1.2.3", ":x-y.0")
                ck_assert_msg(bus_unique_name_is_valid(p) && bus_name_is_valid(p), "%s", p);
        FOREACH_STRING(p, "org.freedesktop.DBus", "a-b.c_d", "_.x")
                ck_assert_msg(bus_well_known_name_is_valid(p) && bus_name_is_valid(p), "%s", p);
        FOREACH_STRING(p, "", ":", ":1", ":1.", ":.1", "a", "1a.b", "a.1b", "a..b", "a.b.",
                       "a b.c", "org.foo/bar")
                ck_assert_msg(!bus_name_is_valid(p), "%s", p);
        ck_assert(!bus_unique_name_is_valid("org.freedesktop.DBus"));
        ck_assert(!bus_well_known_name_is_valid(":1.42"));
}
END_TEST

START_TEST(test_length_limits) {
        char s[300];

        /* "a." + 253 letters = 255 bytes */
        memset(s, 'x', sizeof s);
        s[0] = 'a';
        s[1] = '.';
        s[255] = 0;
        ck_assert(bus_interface_name_is_valid(s));
        ck_assert(bus_name_is_valid(s));
        s[255] = 'x';
        s[256] = 0;
        ck_assert(!bus_interface_name_is_valid(s));
        ck_assert(!bus_name_is_valid(s));
        s[0] = ':';
        s[1] = '1';
        s[2] = '.';
        s[256] = 0;
        ck_assert(!bus_unique_name_is_valid(s));
        s[255] = 0;
        ck_assert(bus_unique_name_is_valid(s));
        memset(s, 'm', 255);
        s[255] = 0;
        ck_assert(bus_member_name_is_valid(s));
        s[255] = 'm';
        s[256] = 0;
        ck_assert(!bus_member_name_is_valid(s));
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-names");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_object_path);
        tcase_add_test(tc, test_interface_member);
        tcase_add_test(tc, test_bus_names);
        tcase_add_test(tc, test_length_limits);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
