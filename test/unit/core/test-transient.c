/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of transient.c: the a(sv) properties of StartTransientUnit, as systemd-run and busctl
 * send them, turned into the transient unit file systemd 252 would write (sections, …USec →
 * …Sec=, exec syntax, base64 input data), the PIDs of a scope, and 252's errors for properties
 * a unit type does not take. */

#include "bus/bus-message-args.h"
#include "bus/bus-message.h"
#include "string-util.h"
#include "test-helpers.h"
#include "transient.h"

#define HEADER "# This is a transient unit file, created programmatically via the systemd API. Do not edit.\n"

static BusMessage *new_message(void) {
        BusMessage *m = NULL;

        ck_assert_int_eq(bus_message_new_method_call("org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                                     "org.freedesktop.systemd1.Manager", "StartTransientUnit", &m),
                         0);
        ck_assert_int_eq(bus_message_open_container(m, 'a', "(sv)"), 0);
        return m;
}

/* Closes the array, seals the message and parses it for type. */
static int parse(BusMessage *m, UnitType type, TransientProperties *t, BusError *error) {
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_seal(m, 1), 0);
        return transient_properties_parse(t, type, m, error);
}

static void append_exec(BusMessage *m, const char *name, const char *path, const char *a0, const char *a1, int ignore) {
        ck_assert_int_eq(bus_message_open_container(m, '(', "sv"), 0);
        ck_assert_int_eq(bus_message_append(m, "s", name), 0);
        ck_assert_int_eq(bus_message_open_container(m, 'v', "a(sasb)"), 0);
        ck_assert_int_eq(bus_message_open_container(m, 'a', "(sasb)"), 0);
        ck_assert_int_eq(bus_message_append(m, "(sasb)", path, 2, a0, a1, ignore), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
        ck_assert_int_eq(bus_message_close_container(m), 0);
}

START_TEST(test_service_properties) {
        _cleanup_(transient_properties_done) TransientProperties t = {};
        _cleanup_(bus_error_free) BusError error = {};
        BusMessage *m = new_message();

        /* what `systemd-run -u x -p Description=… -p RuntimeMaxSec=3s -p Environment=… -r
         * -p StandardInputData=eHh4Cg== sleep 100%` sends (the command line first as
         * Description, then the -p assignments) */
        ck_assert_int_eq(bus_message_append(m, "(sv)", "Description", "s", "/bin/sleep 100%"), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "Description", "s", "sleepy"), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "RuntimeMaxUSec", "t", (uint64_t) 3000000), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "Environment", "as", 2, "A=1", "B=a \"q\""), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "RemainAfterExit", "b", 1), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "StandardInputData", "ay", 4, 'x', 'x', 'x', '\n'), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "Wants", "as", 2, "a.service", "b.target"), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "AddRef", "b", 1), 0);
        append_exec(m, "ExecStart", "/bin/sleep", "/bin/sleep", "100%", 0);
        append_exec(m, "ExecStartPre", "/bin/echo", "echo", "$HOME;", 1);
        ck_assert_int_eq(parse(m, UNIT_SERVICE, &t, &error), 0);
        ck_assert_str_eq(t.text, HEADER
                         "[Unit]\n"
                         "Description=/bin/sleep 100%%\n"
                         "Description=sleepy\n"
                         "\n[Service]\n"
                         "RuntimeMaxSec=3s\n"
                         "Environment=\"A=1\" \"B=a \\\"q\\\"\"\n"
                         "RemainAfterExit=yes\n"
                         "StandardInputData=eHh4Cg==\n"
                         "\n[Unit]\n"
                         "Wants=a.service\n"
                         "Wants=b.target\n"
                         "\n[Service]\n"
                         "ExecStart=\n"
                         "ExecStart=\"/bin/sleep\" \"100%%\"\n"
                         "ExecStartPre=\n"
                         "ExecStartPre=-@/bin/echo \"echo\" \"\\$HOME\\;\"\n");
        ck_assert(t.add_ref);
        ck_assert_uint_eq(t.n_pids, 0);
        bus_message_unref(m);
}
END_TEST

START_TEST(test_scope_pids_and_limits) {
        _cleanup_(transient_properties_done) TransientProperties t = {};
        _cleanup_(bus_error_free) BusError error = {};
        BusMessage *m = new_message();

        ck_assert_int_eq(bus_message_append(m, "(sv)", "PIDs", "au", 2, 42U, 4242U), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "Slice", "s", "a-b.slice"), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "MemoryMax", "t", UINT64_MAX), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "TasksMax", "t", (uint64_t) 100), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "KillMode", "s", "mixed"), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "SendSIGHUP", "b", 1), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "TimeoutStopUSec", "t", (uint64_t) 1500), 0);
        ck_assert_int_eq(parse(m, UNIT_SCOPE, &t, &error), 0);
        ck_assert_uint_eq(t.n_pids, 2);
        ck_assert_int_eq(t.pids[0], 42);
        ck_assert_int_eq(t.pids[1], 4242);
        ck_assert_str_eq(t.text, HEADER "[Scope]\nSlice=a-b.slice\nMemoryMax=infinity\nTasksMax=100\n"
                                        "KillMode=mixed\nSendSIGHUP=yes\nTimeoutStopSec=1.500ms\n");
        bus_message_unref(m);
}
END_TEST

START_TEST(test_slice_documentation) {
        _cleanup_(transient_properties_done) TransientProperties t = {};
        _cleanup_(bus_error_free) BusError error = {};
        BusMessage *m = new_message();

        /* TEST-15's busctl StartTransientUnit of a slice */
        ck_assert_int_eq(bus_message_append(m, "(sv)", "Description", "s", "slice too"), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "MemoryMax", "t", (uint64_t) 1000000002), 0);
        ck_assert_int_eq(bus_message_append(m, "(sv)", "Documentation", "as", 1, "man:drop5"), 0);
        ck_assert_int_eq(parse(m, UNIT_SLICE, &t, &error), 0);
        ck_assert_str_eq(t.text, HEADER "[Unit]\nDescription=slice too\n\n[Slice]\nMemoryMax=1000000002\n"
                                        "\n[Unit]\nDocumentation=man:drop5\n");
        bus_message_unref(m);
}
END_TEST

START_TEST(test_unknown_and_misplaced_properties) {
        static const struct {
                UnitType type;
                const char *name;
        } cases[] = {
                { UNIT_SERVICE, "NoSuchProperty" },
                { UNIT_SERVICE, "PIDs" },        /* scopes only */
                { UNIT_SLICE, "ExecStart" },     /* services only */
                { UNIT_SLICE, "KillMode" },      /* no kill context */
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(transient_properties_done) TransientProperties t = {};
                _cleanup_(bus_error_free) BusError error = {};
                char want[128];
                BusMessage *m = new_message();

                if (streq(cases[i].name, "PIDs"))
                        ck_assert_int_eq(bus_message_append(m, "(sv)", "PIDs", "au", 1, 1U), 0);
                else if (streq(cases[i].name, "ExecStart"))
                        append_exec(m, "ExecStart", "/bin/true", "/bin/true", "x", 0);
                else
                        ck_assert_int_eq(bus_message_append(m, "(sv)", cases[i].name, "s", "x"), 0);
                ck_assert_int_eq(parse(m, cases[i].type, &t, &error), -EINVAL);
                ck_assert_str_eq(error.name, "org.freedesktop.DBus.Error.InvalidArgs");
                snprintf(want, sizeof want, "Cannot set property %s, or unknown property.", cases[i].name);
                ck_assert_str_eq(error.message, want);
                bus_message_unref(m);
        }
}
END_TEST

START_TEST(test_bad_values) {
        _cleanup_(transient_properties_done) TransientProperties t = {}, t2 = {}, t3 = {};
        _cleanup_(bus_error_free) BusError error = {}, error2 = {}, error3 = {};
        BusMessage *m = new_message(), *m2 = new_message(), *m3 = new_message();

        /* a variant of the wrong type */
        ck_assert_int_eq(bus_message_append(m, "(sv)", "RemainAfterExit", "s", "yes"), 0);
        ck_assert_int_eq(parse(m, UNIT_SERVICE, &t, &error), -EINVAL);
        ck_assert_str_eq(error.name, "org.freedesktop.DBus.Error.InvalidArgs");
        /* a slice that is not one */
        ck_assert_int_eq(bus_message_append(m2, "(sv)", "Slice", "s", "foo.service"), 0);
        ck_assert_int_eq(parse(m2, UNIT_SERVICE, &t2, &error2), -EINVAL);
        ck_assert_str_eq(error2.message, "Unit name 'foo.service' is not a slice");
        /* an empty command line */
        ck_assert_int_eq(bus_message_open_container(m3, '(', "sv"), 0);
        ck_assert_int_eq(bus_message_append(m3, "sv", "ExecStart", "a(sasb)", 1, "/bin/true", 0, 0), 0);
        ck_assert_int_eq(bus_message_close_container(m3), 0);
        ck_assert_int_eq(parse(m3, UNIT_SERVICE, &t3, &error3), -EINVAL);
        ck_assert_str_eq(error3.message, "\"ExecStart\" argv cannot be empty");
        bus_message_unref(m);
        bus_message_unref(m2);
        bus_message_unref(m3);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("transient");
        TCase *tc = tcase_create("properties");

        tcase_add_test(tc, test_service_properties);
        tcase_add_test(tc, test_scope_pids_and_limits);
        tcase_add_test(tc, test_slice_documentation);
        tcase_add_test(tc, test_unknown_and_misplaced_properties);
        tcase_add_test(tc, test_bad_values);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
