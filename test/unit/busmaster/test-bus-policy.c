/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-policy: the allow/deny decisions busmaster takes from a configuration, as
 * dbus-daemon 1.14 takes them: Debian's system.conf defaults, the precedence of policy kinds,
 * requested replies, eavesdropping, prefixes, absent interfaces, and who may connect.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "busmaster/bus-config.h"
#include "busmaster/bus-policy.h"
#include "macro.h"
#include "string-util.h"
#include "test-helpers.h"

#define HEAD "<busconfig><listen>unix:path=/x</listen>"
#define TAIL "</busconfig>"

static BusConfig *parse(const char *text) {
        _cleanup_free_ char *err = NULL;
        BusConfig *c = NULL;

        ck_assert_msg(bus_config_parse(text, strlen(text), "test.conf", BUS_CONFIG_NO_INCLUDES, &c,
                                       &err) == 0,
                      "%s", strna(err));
        return c;
}

static BusClientPolicy *client(const BusConfig *c, uid_t uid, gid_t gid, bool at_console) {
        BusClientPolicy *p = NULL;

        ck_assert_int_eq(bus_client_policy_new(&c->policy, uid, &gid, 1, at_console, &p), 0);
        return p;
}

static BusPolicyMessage call_to(const char *dest, const char *iface, const char *member) {
        return (BusPolicyMessage) { .type = BUS_POLICY_MESSAGE_METHOD_CALL, .path = "/",
                                    .interface = iface, .member = member, .destination = dest };
}

/* The receiver owns exactly the names in userdata (a NULL-terminated array). */
static bool owns(const char *name, bool is_prefix, void *userdata) {
        for (const char *const *n = userdata; *n; n++)
                if (is_prefix ? bus_policy_name_has_prefix(*n, name) : streq(*n, name))
                        return true;
        return false;
}

START_TEST(test_debian_system_defaults) {
        _cleanup_free_ char *err = NULL;
        BusConfig *c = NULL;
        BusClientPolicy *user, *root;
        BusPolicyMessage m;
        const char *names[] = { "com.example.Service", NULL };
        gid_t g = 1000;

        ck_assert_msg(bus_config_load("/usr/share/dbus-1/system.conf", 0, &c, &err) == 0, "%s",
                      strna(err));
        user = client(c, 1000, 1000, false);
        root = client(c, 0, 0, false);

        /* method calls and ownership denied by default */
        m = call_to("com.example.Service", "com.example.Iface", "Do");
        ck_assert(!bus_client_policy_check_can_send(user, &m, false, owns, names, NULL));
        {
                /* AccessDenied says how many rules matched: <deny send_type="method_call"/> */
                unsigned matched = 99;

                ck_assert(!bus_client_policy_check_send_full(user, &m, false, owns, names, NULL, &matched));
                ck_assert_uint_eq(matched, 1);
                ck_assert(bus_client_policy_check_receive_full(user, &m, false, false, NULL, NULL, &matched));
                ck_assert_uint_ge(matched, 1);
        }
        ck_assert(!bus_client_policy_check_can_own(user, "com.example.Service"));
        ck_assert(!bus_client_policy_check_can_own(root, "com.example.Service"));
        /* receiving anything is allowed */
        ck_assert(bus_client_policy_check_can_receive(user, &m, false, false, NULL, NULL));

        /* the driver's own interfaces, but not UpdateActivationEnvironment or Debug.Stats */
        m = call_to("org.freedesktop.DBus", "org.freedesktop.DBus", "Hello");
        ck_assert(bus_client_policy_check_can_send(user, &m, false, NULL, NULL, NULL));
        m = call_to("org.freedesktop.DBus", "org.freedesktop.DBus", "UpdateActivationEnvironment");
        ck_assert(!bus_client_policy_check_can_send(user, &m, false, NULL, NULL, NULL));
        ck_assert(!bus_client_policy_check_can_send(root, &m, false, NULL, NULL, NULL));
        m = call_to("org.freedesktop.DBus", "org.freedesktop.DBus.Debug.Stats", "GetStats");
        ck_assert(!bus_client_policy_check_can_send(user, &m, false, NULL, NULL, NULL));
        /* <policy user="root"> comes after the default policy */
        ck_assert(bus_client_policy_check_can_send(root, &m, false, NULL, NULL, NULL));

        /* signals yes; exactly the replies that were asked for */
        m = (BusPolicyMessage) { .type = BUS_POLICY_MESSAGE_SIGNAL, .path = "/", .interface = "a.b",
                                 .member = "S" };
        ck_assert(bus_client_policy_check_can_send(user, &m, false, NULL, NULL, NULL));
        m = (BusPolicyMessage) { .type = BUS_POLICY_MESSAGE_METHOD_RETURN, .is_reply = true,
                                 .destination = ":1.5" };
        ck_assert(bus_client_policy_check_can_send(user, &m, true, NULL, NULL, NULL));
        ck_assert(!bus_client_policy_check_can_send(user, &m, false, NULL, NULL, NULL));

        /* who may connect: <allow user="*"/> */
        ck_assert(bus_policy_allow_unix_user(&c->policy, 1000, &g, 1, 100));

        bus_client_policy_free(user);
        bus_client_policy_free(root);
        bus_config_free(c);
}
END_TEST

START_TEST(test_precedence) {
        /* file order is irrelevant between kinds: default < group < user < console < mandatory */
        BusConfig *c = parse(HEAD
                             "<policy context=\"mandatory\"><deny own=\"m.x\"/></policy>"
                             "<policy user=\"daemon\"><allow own=\"a.x\"/><allow own=\"m.x\"/></policy>"
                             "<policy group=\"daemon\"><deny own=\"a.x\"/><allow own=\"g.x\"/></policy>"
                             "<policy at_console=\"true\"><allow own=\"c.x\"/></policy>"
                             "<policy at_console=\"false\"><allow own=\"nc.x\"/></policy>"
                             "<policy context=\"default\"><allow own=\"*\"/><deny own=\"g.x\"/></policy>"
                             TAIL);
        BusClientPolicy *d = client(c, 1, 1, false), *other = client(c, 65534, 65534, true);

        ck_assert(bus_client_policy_check_can_own(d, "a.x"));   /* user beats group */
        ck_assert(bus_client_policy_check_can_own(d, "g.x"));   /* group beats default */
        ck_assert(!bus_client_policy_check_can_own(d, "m.x"));  /* mandatory beats user */
        ck_assert(bus_client_policy_check_can_own(d, "nc.x"));
        ck_assert(bus_client_policy_check_can_own(d, "z.z"));   /* default own="*" */
        ck_assert(!bus_client_policy_check_can_own(other, "g.x"));
        ck_assert(bus_client_policy_check_can_own(other, "c.x"));
        ck_assert(!bus_client_policy_check_can_own(other, "m.x"));
        bus_client_policy_free(d);
        bus_client_policy_free(other);
        bus_config_free(c);
}
END_TEST

START_TEST(test_prefixes) {
        BusConfig *c = parse(HEAD "<policy context=\"default\">"
                                  "<allow own_prefix=\"a.b\"/>"
                                  "<allow send_destination_prefix=\"org.ex\"/>"
                                  "</policy>" TAIL);
        BusClientPolicy *p = client(c, 1000, 1000, false);
        BusPolicyMessage m;

        ck_assert(bus_client_policy_check_can_own(p, "a.b"));
        ck_assert(bus_client_policy_check_can_own(p, "a.b.c"));
        ck_assert(!bus_client_policy_check_can_own(p, "a.bc"));
        m = call_to("org.ex.Foo", "i.f", "M");
        ck_assert(bus_client_policy_check_can_send(p, &m, false, NULL, NULL, NULL));
        m = call_to("org.example", "i.f", "M");
        ck_assert(!bus_client_policy_check_can_send(p, &m, false, NULL, NULL, NULL));
        /* with a known receiver, what counts is the names it owns */
        {
                const char *names[] = { ":1.4", "org.ex", NULL };
                const char *none[] = { ":1.4", NULL };

                m = call_to(":1.4", "i.f", "M");
                ck_assert(bus_client_policy_check_can_send(p, &m, false, owns, names, NULL));
                ck_assert(!bus_client_policy_check_can_send(p, &m, false, owns, none, NULL));
        }
        bus_client_policy_free(p);
        bus_config_free(c);
}
END_TEST

START_TEST(test_interface_absent) {
        BusConfig *c = parse(HEAD "<policy context=\"default\">"
                                  "<allow send_destination=\"x.y\"/>"
                                  "<deny send_interface=\"bad.I\"/>"
                                  "<allow send_interface=\"good.I\" send_member=\"M\"/>"
                                  "</policy>" TAIL);
        BusClientPolicy *p = client(c, 1000, 1000, false);
        BusPolicyMessage m = call_to("x.y", NULL, "M");

        /* no interface: the deny naming one applies, the allow naming one does not */
        ck_assert(!bus_client_policy_check_can_send(p, &m, false, NULL, NULL, NULL));
        m.interface = "good.I";
        ck_assert(bus_client_policy_check_can_send(p, &m, false, NULL, NULL, NULL));
        m.interface = "other.I";
        ck_assert(bus_client_policy_check_can_send(p, &m, false, NULL, NULL, NULL));
        bus_client_policy_free(p);
        bus_config_free(c);
}
END_TEST

START_TEST(test_eavesdrop) {
        BusConfig *c = parse(HEAD "<policy context=\"default\">"
                                  "<allow receive_type=\"signal\"/>"
                                  "<allow receive_interface=\"e.I\" eavesdrop=\"true\"/>"
                                  "<deny receive_member=\"Secret\" receive_path=\"/\" eavesdrop=\"true\"/>"
                                  "</policy>" TAIL);
        BusClientPolicy *p = client(c, 1000, 1000, false);
        BusPolicyMessage m = { .type = BUS_POLICY_MESSAGE_SIGNAL, .path = "/", .interface = "x.I",
                               .member = "S", .destination = ":1.9" };

        ck_assert(bus_client_policy_check_can_receive(p, &m, false, false, NULL, NULL));
        /* plain allow rules do not let a connection eavesdrop */
        ck_assert(!bus_client_policy_check_can_receive(p, &m, false, true, NULL, NULL));
        m.interface = "e.I";
        ck_assert(bus_client_policy_check_can_receive(p, &m, false, true, NULL, NULL));
        /* a deny with eavesdrop="true" applies only to eavesdroppers */
        m.member = "Secret";
        ck_assert(!bus_client_policy_check_can_receive(p, &m, false, true, NULL, NULL));
        ck_assert(bus_client_policy_check_can_receive(p, &m, false, false, NULL, NULL));
        bus_client_policy_free(p);
        bus_config_free(c);
}
END_TEST

START_TEST(test_catch_all_hides_earlier_rules) {
        /* as dbus-daemon: the catch-all deny drops the earlier allow even where the deny itself
         * does not apply (a requested reply) */
        BusConfig *c = parse(HEAD "<policy context=\"default\">"
                                  "<allow send_type=\"method_return\" send_requested_reply=\"false\"/>"
                                  "<deny send_destination=\"*\"/>"
                                  "</policy>" TAIL);
        BusClientPolicy *p = client(c, 1000, 1000, false);
        BusPolicyMessage m = { .type = BUS_POLICY_MESSAGE_METHOD_RETURN, .is_reply = true,
                               .destination = ":1.1" };

        ck_assert_int_eq(p->n_rules, 1);
        ck_assert(!bus_client_policy_check_can_send(p, &m, true, NULL, NULL, NULL));
        bus_client_policy_free(p);
        bus_config_free(c);
}
END_TEST

START_TEST(test_fds_and_log) {
        BusConfig *c = parse(HEAD "<policy context=\"default\">"
                                  "<allow send_destination=\"*\" log=\"true\"/>"
                                  "<deny send_type=\"method_call\" min_fds=\"1\"/>"
                                  "</policy>" TAIL);
        BusClientPolicy *p = client(c, 1000, 1000, false);
        BusPolicyMessage m = call_to("a.b", "i.f", "M");
        bool log = false;

        ck_assert(bus_client_policy_check_can_send(p, &m, false, NULL, NULL, &log));
        ck_assert(log);
        m.n_fds = 2;
        ck_assert(!bus_client_policy_check_can_send(p, &m, false, NULL, NULL, &log));
        ck_assert(!log);
        bus_client_policy_free(p);
        bus_config_free(c);
}
END_TEST

START_TEST(test_who_may_connect) {
        BusConfig *none = parse(HEAD TAIL);
        BusConfig *c = parse(HEAD "<policy context=\"default\"><allow group=\"adm\"/></policy>"
                                  "<policy context=\"mandatory\"><deny user=\"daemon\"/></policy>"
                             TAIL);
        gid_t adm = 4, other = 1000;

        /* without rules only the bus's own user */
        ck_assert(bus_policy_allow_unix_user(&none->policy, 100, &other, 1, 100));
        ck_assert(!bus_policy_allow_unix_user(&none->policy, 1000, &other, 1, 100));
        ck_assert(bus_policy_allow_unix_user(&c->policy, 1000, &adm, 1, 100));
        ck_assert(!bus_policy_allow_unix_user(&c->policy, 1000, &other, 1, 100));
        ck_assert(!bus_policy_allow_unix_user(&c->policy, 1, &adm, 1, 100));
        bus_config_free(none);
        bus_config_free(c);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-policy");
        TCase *tc = tcase_create("check");

        tcase_add_test(tc, test_debian_system_defaults);
        tcase_add_test(tc, test_precedence);
        tcase_add_test(tc, test_prefixes);
        tcase_add_test(tc, test_interface_absent);
        tcase_add_test(tc, test_eavesdrop);
        tcase_add_test(tc, test_catch_all_hides_earlier_rules);
        tcase_add_test(tc, test_fds_and_log);
        tcase_add_test(tc, test_who_may_connect);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
