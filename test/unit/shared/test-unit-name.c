/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-unit-name.c: unit names as a user sees them: which names are valid, how they split into
 * prefix/instance/type (spec unit-files.md §2, §5.1), how systemd-escape and systemctl turn
 * strings into names, the D-Bus object paths. When /usr/bin/systemd-escape (systemd 252) exists,
 * a few hundred inputs are run through it and through our functions, and the outputs must be
 * byte-identical.
 */

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "macro.h"
#include "string-util.h"
#include "test-helpers.h"
#include "unit-name.h"

#define SYSTEMD_ESCAPE "/usr/bin/systemd-escape"

/* ------------------------------------------------------------------------------------------ */
/* Types                                                                                       */

START_TEST(test_unit_type_tables) {
        static const char *const names[] = { "service", "mount",  "swap",      "socket",
                                             "target",  "device", "automount", "timer",
                                             "path",    "slice",  "scope" };
        static const char *const sections[] = { "Service", "Mount",  "Swap",      "Socket",
                                                "Target",  "Device", "Automount", "Timer",
                                                "Path",    "Slice",  "Scope" };

        ck_assert_int_eq(_UNIT_TYPE_MAX, 11);
        for (UnitType t = 0; t < _UNIT_TYPE_MAX; t++) {
                ck_assert_str_eq(unit_type_to_string(t), names[t]);
                ck_assert_int_eq(unit_type_from_string(names[t]), t);
                ck_assert_str_eq(unit_type_to_capitalized_string(t), sections[t]);
                ck_assert(
                        startswith(unit_dbus_interface_from_type(t), "org.freedesktop.systemd1."));
                ck_assert_str_eq(unit_dbus_interface_from_type(t) +
                                         strlen("org.freedesktop.systemd1."),
                                 sections[t]);
        }
        ck_assert_int_eq(UNIT_SERVICE, 0);
        ck_assert_int_eq(UNIT_SCOPE, 10);
        ck_assert_int_eq(unit_type_from_string("Service"), -EINVAL);
        ck_assert_int_eq(unit_type_from_string(""), -EINVAL);
        ck_assert_int_eq(unit_type_from_string(NULL), -EINVAL);
        ck_assert_ptr_null(unit_type_to_string(_UNIT_TYPE_MAX));
        ck_assert_ptr_null(unit_type_to_string(_UNIT_TYPE_INVALID));
        ck_assert_ptr_null(unit_type_to_capitalized_string(_UNIT_TYPE_MAX));
        ck_assert_ptr_null(unit_dbus_interface_from_type(_UNIT_TYPE_INVALID));
        ck_assert_str_eq(unit_dbus_interface_from_name("foo@bar.socket"),
                         "org.freedesktop.systemd1.Socket");
        ck_assert_ptr_null(unit_dbus_interface_from_name("foo.bar"));
}
END_TEST

/* spec §2.1: which types may alias and which may template. */
START_TEST(test_unit_type_alias_template) {
        static const struct {
                UnitType t;
                bool alias, template;
        } table[] = {
                { UNIT_SERVICE, true, true }, { UNIT_SOCKET, true, true },
                { UNIT_TARGET, true, true },  { UNIT_TIMER, true, true },
                { UNIT_PATH, true, true },    { UNIT_DEVICE, true, false },
                { UNIT_MOUNT, false, false }, { UNIT_AUTOMOUNT, false, false },
                { UNIT_SWAP, false, false },  { UNIT_SLICE, false, false },
                { UNIT_SCOPE, false, false },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                ck_assert_msg(unit_type_may_alias(table[i].t) == table[i].alias, "%s",
                              unit_type_to_string(table[i].t));
                ck_assert_msg(unit_type_may_template(table[i].t) == table[i].template, "%s",
                              unit_type_to_string(table[i].t));
        }
        ck_assert(!unit_type_may_alias(_UNIT_TYPE_INVALID));
        ck_assert(!unit_type_may_template(_UNIT_TYPE_MAX));
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Validity                                                                                    */

START_TEST(test_unit_name_is_valid) {
        static const struct {
                const char *name;
                UnitNameFlags kind; /* 0: invalid */
        } table[] = {
                { "foo-bar.service", UNIT_NAME_PLAIN },
                { "foo@.service", UNIT_NAME_TEMPLATE },
                { "foo@a-b.service", UNIT_NAME_INSTANCE },
                { "foo@bar@baz.socket", UNIT_NAME_INSTANCE },
                { "foo@@.service", UNIT_NAME_INSTANCE },
                { "-.mount", UNIT_NAME_PLAIN },
                { "-.slice", UNIT_NAME_PLAIN },
                { "a.b.c.target", UNIT_NAME_PLAIN },
                { "a:b_c\\x2d.path", UNIT_NAME_PLAIN },
                { ".service.service", UNIT_NAME_PLAIN },
                { "sys-devices-x.device", UNIT_NAME_PLAIN },
                { "", 0 },
                { ".service", 0 },
                { "foo", 0 },
                { "foo.", 0 },
                { "foo.Service", 0 },
                { "foo.bar", 0 },
                { "@.service", 0 },
                { "@foo.service", 0 },
                { "foo bar.service", 0 },
                { "föö.service", 0 },
                { "foo/bar.service", 0 },
                { "foo.service.wants", 0 },
                { "foo%i.service", 0 },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                const char *n = table[i].name;
                UnitNameFlags k = table[i].kind;

                ck_assert_msg(unit_name_classify(n) == k, "classify(%s) = %d", n,
                              unit_name_classify(n));
                ck_assert_msg(unit_name_is_valid(n, UNIT_NAME_ANY) == (k != 0), "%s", n);
                ck_assert_msg(unit_name_is_valid(n, UNIT_NAME_PLAIN) == (k == UNIT_NAME_PLAIN),
                              "%s", n);
                ck_assert_msg(unit_name_is_valid(n, UNIT_NAME_TEMPLATE) ==
                                      (k == UNIT_NAME_TEMPLATE),
                              "%s", n);
                ck_assert_msg(unit_name_is_valid(n, UNIT_NAME_INSTANCE) ==
                                      (k == UNIT_NAME_INSTANCE),
                              "%s", n);
                ck_assert(!unit_name_is_valid(n, 0));
        }
        ck_assert(!unit_name_is_valid(NULL, UNIT_NAME_ANY));
        ck_assert(unit_name_is_valid("foo@.service", UNIT_NAME_TEMPLATE | UNIT_NAME_INSTANCE));
        ck_assert(!unit_name_is_valid("foo.service", UNIT_NAME_TEMPLATE | UNIT_NAME_INSTANCE));
}
END_TEST

START_TEST(test_unit_name_length_limit) {
        char name[UNIT_NAME_MAX + 8];

        /* 247 + ".service" = 255 bytes: the longest valid name. */
        memset(name, 'a', 247);
        strcpy(name + 247, ".service");
        ck_assert_uint_eq(strlen(name), UNIT_NAME_MAX - 1);
        ck_assert(unit_name_is_valid(name, UNIT_NAME_PLAIN));
        memset(name, 'a', 248);
        strcpy(name + 248, ".service");
        ck_assert(!unit_name_is_valid(name, UNIT_NAME_ANY));
        ck_assert_int_eq(unit_name_classify(name), 0);
}
END_TEST

START_TEST(test_unit_part_validity) {
        ck_assert(unit_prefix_is_valid("foo-bar:baz_\\x2d.x"));
        ck_assert(!unit_prefix_is_valid(""));
        ck_assert(!unit_prefix_is_valid(NULL));
        ck_assert(!unit_prefix_is_valid("foo@bar"));
        ck_assert(!unit_prefix_is_valid("foo bar"));
        ck_assert(unit_instance_is_valid("a@b-c"));
        ck_assert(!unit_instance_is_valid(""));
        ck_assert(!unit_instance_is_valid("a/b"));
        ck_assert(unit_suffix_is_valid(".service"));
        ck_assert(unit_suffix_is_valid(".automount"));
        ck_assert(!unit_suffix_is_valid("service"));
        ck_assert(!unit_suffix_is_valid("."));
        ck_assert(!unit_suffix_is_valid(".foo"));
        ck_assert(!unit_suffix_is_valid(""));
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Splitting                                                                                   */

static void check_split(const char *n, const char *prefix, const char *instance, int kind,
                        const char *prefix_and_instance, UnitType type) {
        _cleanup_free_ char *p = NULL, *i = NULL, *pi = NULL;

        ck_assert_int_eq(unit_name_to_prefix(n, &p), 0);
        ck_assert_str_eq(p, prefix);
        ck_assert_int_eq(unit_name_to_instance(n, &i), kind);
        if (instance)
                ck_assert_str_eq(i, instance);
        else
                ck_assert_ptr_null(i);
        ck_assert_int_eq(unit_name_to_instance(n, NULL), kind);
        ck_assert_int_eq(unit_name_to_prefix_and_instance(n, &pi), 0);
        ck_assert_str_eq(pi, prefix_and_instance);
        ck_assert_int_eq(unit_name_to_type(n), type);
}

/* spec §2.1 and the a-b-c@i.service example of §5.1. */
START_TEST(test_unit_name_split) {
        char *x = (char *) "untouched";

        check_split("foo-bar.service", "foo-bar", NULL, UNIT_NAME_PLAIN, "foo-bar", UNIT_SERVICE);
        check_split("foo@.service", "foo", "", UNIT_NAME_TEMPLATE, "foo@", UNIT_SERVICE);
        check_split("foo@a-b.service", "foo", "a-b", UNIT_NAME_INSTANCE, "foo@a-b", UNIT_SERVICE);
        check_split("a-b-c@i.service", "a-b-c", "i", UNIT_NAME_INSTANCE, "a-b-c@i", UNIT_SERVICE);
        check_split("a-b-.service", "a-b-", NULL, UNIT_NAME_PLAIN, "a-b-", UNIT_SERVICE);
        check_split("foo@a.b@c.d.socket", "foo", "a.b@c.d", UNIT_NAME_INSTANCE, "foo@a.b@c.d",
                    UNIT_SOCKET);
        check_split("dev-sda1.device", "dev-sda1", NULL, UNIT_NAME_PLAIN, "dev-sda1", UNIT_DEVICE);

        ck_assert_int_eq(unit_name_to_prefix("foo", &x), -EINVAL);
        ck_assert_int_eq(unit_name_to_instance("@x.service", &x), -EINVAL);
        ck_assert_int_eq(unit_name_to_prefix_and_instance("foo.bar", &x), -EINVAL);
        ck_assert_str_eq(x, "untouched");
        ck_assert_int_eq(unit_name_to_type("foo.bar"), _UNIT_TYPE_INVALID);
        ck_assert_int_eq(unit_name_to_type("x.scope"), UNIT_SCOPE);
}
END_TEST

/* The §5.1 dash-prefix chain of a-b-c@i.service can be built from these functions. */
START_TEST(test_unit_name_dash_chain) {
        static const char *const expected[] = { "a-b-@i.service", "a-b-@.service", "a-@i.service",
                                                "a-@.service" };
        _cleanup_free_ char *prefix = NULL, *instance = NULL, *template = NULL;
        size_t k = 0;

        ck_assert_int_eq(unit_name_to_prefix("a-b-c@i.service", &prefix), 0);
        ck_assert_int_eq(unit_name_to_instance("a-b-c@i.service", &instance), UNIT_NAME_INSTANCE);
        ck_assert_int_eq(unit_name_template("a-b-c@i.service", &template), 0);
        ck_assert_str_eq(template, "a-b-c@.service");

        for (;;) {
                _cleanup_free_ char *with = NULL, *without = NULL, *plain = NULL, *other = NULL;
                size_t len = strlen(prefix);
                char *dash;

                if (prefix[len - 1] == '-')
                        prefix[len - 1] = 0;
                dash = strrchr(prefix, '-');
                if (!dash || dash == prefix)
                        break;
                dash[1] = 0;
                ck_assert_int_eq(unit_name_build(prefix, instance, ".service", &with), 0);
                ck_assert_int_eq(unit_name_build_from_type(prefix, NULL, UNIT_SERVICE, &plain), 0);
                ck_assert_int_eq(unit_name_classify(plain), UNIT_NAME_PLAIN);
                ck_assert_int_eq(unit_name_replace_instance(with, "x", &other), 0);
                ck_assert(unit_name_prefix_equal(other, plain));
                ck_assert_int_eq(unit_name_template(with, &without), 0);
                ck_assert_str_eq(with, expected[k++]);
                ck_assert_str_eq(without, expected[k++]);
        }
        ck_assert_uint_eq(k, ELEMENTSOF(expected));
}
END_TEST

START_TEST(test_unit_name_prefix_equal) {
        ck_assert(unit_name_prefix_equal("a.service", "a.socket"));
        ck_assert(unit_name_prefix_equal("a@x.service", "a@.socket"));
        ck_assert(unit_name_prefix_equal("a@x.service", "a.timer"));
        ck_assert(!unit_name_prefix_equal("a.service", "ab.service"));
        ck_assert(!unit_name_prefix_equal("a.service", "a"));
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Building                                                                                    */

/* The call is evaluated before s is read. */
#define check_result(call, s, expected_r, expected)                   \
        do {                                                          \
                int _r = (call);                                      \
                check_result_impl(_r, (s), (expected_r), (expected)); \
        } while (0)

static void check_result_impl(int r, char *s, int expected_r, const char *expected) {
        ck_assert_int_eq(r, expected_r);
        if (expected)
                ck_assert_str_eq(s, expected);
        free(s);
}

START_TEST(test_unit_name_build) {
        char *s = NULL;
        char long_prefix[250];

        check_result(unit_name_build("foo", "bar", ".service", &s), s, 0, "foo@bar.service");
        s = NULL;
        check_result(unit_name_build("foo", NULL, ".socket", &s), s, 0, "foo.socket");
        s = NULL;
        check_result(unit_name_build("foo", "a@b", ".timer", &s), s, 0, "foo@a@b.timer");
        ck_assert_int_eq(unit_name_build("foo", "", ".service", &s), -EINVAL);
        ck_assert_int_eq(unit_name_build("foo@", NULL, ".service", &s), -EINVAL);
        ck_assert_int_eq(unit_name_build("", NULL, ".service", &s), -EINVAL);
        ck_assert_int_eq(unit_name_build("foo", NULL, "service", &s), -EINVAL);
        ck_assert_int_eq(unit_name_build("foo", NULL, ".bar", &s), -EINVAL);
        ck_assert_int_eq(unit_name_build_from_type("foo", NULL, _UNIT_TYPE_MAX, &s), -EINVAL);
        s = NULL;
        check_result(unit_name_build_from_type("a-b", "c", UNIT_PATH, &s), s, 0, "a-b@c.path");

        memset(long_prefix, 'x', sizeof long_prefix - 1);
        long_prefix[sizeof long_prefix - 1] = 0;
        ck_assert_int_eq(unit_name_build(long_prefix, NULL, ".service", &s), -EINVAL);
        long_prefix[247] = 0;
        s = NULL;
        check_result(unit_name_build(long_prefix, NULL, ".service", &s), s, 0, NULL);
}
END_TEST

START_TEST(test_unit_name_change_suffix) {
        char *s = NULL, name[256];

        check_result(unit_name_change_suffix("foo.mount", ".automount", &s), s, 0, "foo.automount");
        s = NULL;
        check_result(unit_name_change_suffix("foo@bar.service", ".socket", &s), s, 0,
                     "foo@bar.socket");
        s = NULL;
        check_result(unit_name_change_suffix("a.b.c.service", ".timer", &s), s, 0, "a.b.c.timer");
        ck_assert_int_eq(unit_name_change_suffix("foo", ".service", &s), -EINVAL);
        ck_assert_int_eq(unit_name_change_suffix("foo.service", "socket", &s), -EINVAL);

        /* A longer suffix may make the name too long. */
        memset(name, 'a', 247);
        strcpy(name + 247, ".service");
        ck_assert_int_eq(unit_name_change_suffix(name, ".automount", &s), -EINVAL);
        s = NULL;
        check_result(unit_name_change_suffix(name, ".socket", &s), s, 0, NULL);
}
END_TEST

START_TEST(test_unit_name_template_and_instance) {
        char *s = NULL, name[256];

        check_result(unit_name_template("foo@bar.service", &s), s, 0, "foo@.service");
        s = NULL;
        check_result(unit_name_template("foo@.service", &s), s, 0, "foo@.service");
        s = NULL;
        check_result(unit_name_template("foo@a@b.c.socket", &s), s, 0, "foo@.socket");
        ck_assert_int_eq(unit_name_template("foo.service", &s), -EINVAL);
        ck_assert_int_eq(unit_name_template("foo", &s), -EINVAL);

        s = NULL;
        check_result(unit_name_replace_instance("foo@.service", "bar", &s), s, 0,
                     "foo@bar.service");
        s = NULL;
        check_result(unit_name_replace_instance("foo@old.service", "new", &s), s, 0,
                     "foo@new.service");
        s = NULL;
        check_result(unit_name_replace_instance("foo@.service", "a@b", &s), s, 0,
                     "foo@a@b.service");
        ck_assert_int_eq(unit_name_replace_instance("foo.service", "bar", &s), -EINVAL);
        ck_assert_int_eq(unit_name_replace_instance("foo@.service", "", &s), -EINVAL);
        ck_assert_int_eq(unit_name_replace_instance("foo@.service", "a/b", &s), -EINVAL);

        memset(name, 'a', 200);
        strcpy(name + 200, "@.service");
        ck_assert_int_eq(unit_name_replace_instance(
                                 name, "0123456789012345678901234567890123456789012345678", &s),
                         -EINVAL);
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Escaping                                                                                    */

START_TEST(test_unit_name_escape) {
        static const char *const table[][2] = {
                { "", "" },
                { "/foo/bar", "-foo-bar" },
                { "a-b", "a\\x2db" },
                { ".x", "\\x2ex" },
                { "a.x", "a.x" },
                { "..", "\\x2e." },
                { "\xc3\xa4"
                  "b",
                  "\\xc3\\xa4b" },
                { "a b", "a\\x20b" },
                { "\\", "\\x5c" },
                { "foo@bar", "foo\\x40bar" },
                { "a:b_c", "a:b_c" },
                { "\xff", "\\xff" },
                { "%i", "\\x25i" },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *e = unit_name_escape(table[i][0]);
                _cleanup_free_ char *u = NULL;

                ck_assert_str_eq(e, table[i][1]);
                ck_assert_int_eq(unit_name_unescape(e, &u), 0);
                /* '/' and '-' both come back as '/': escaping is reversible except for '/'. */
                if (!strchr(table[i][0], '/'))
                        ck_assert_str_eq(u, table[i][0]);
        }
}
END_TEST

START_TEST(test_unit_name_unescape) {
        static const char *const good[][2] = {
                { "", "" },
                { "a\\x2db-c", "a-b/c" },
                { "\\xc3\\xa4", "\xc3\xa4" },
                { "a\\x2Fb", "a/b" },
                { "-", "/" },
                { "\\x2e\\x2e", ".." },
        };
        static const char *const bad[] = { "\\", "\\x2", "\\xzz", "\\X41", "a\\y", "\\x" };
        char *s = (char *) "untouched";

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_free_ char *u = NULL;
                ck_assert_int_eq(unit_name_unescape(good[i][0], &u), 0);
                ck_assert_str_eq(u, good[i][1]);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(unit_name_unescape(bad[i], &s) == -EINVAL, "%s", bad[i]);
        ck_assert_str_eq(s, "untouched");
}
END_TEST

START_TEST(test_unit_name_path_escape) {
        static const char *const good[][2] = {
                { "/", "-" },
                { "", "-" },
                { "//", "-" },
                { "/a//b/", "a-b" },
                { "/a/./b", "a-b" },
                { "foo/bar", "foo-bar" },
                { "/.hidden", "\\x2ehidden" },
                { "/dev/sda", "dev-sda" },
                { "/home/user-1", "home-user\\x2d1" },
                { "/./", "-" },
        };
        static const char *const bad[] = { "/a/../b", "..", ".", "/..", "./." };
        char *s = (char *) "untouched";

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_free_ char *e = NULL;
                ck_assert_int_eq(unit_name_path_escape(good[i][0], &e), 0);
                ck_assert_str_eq(e, good[i][1]);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(unit_name_path_escape(bad[i], &s) == -EINVAL, "%s", bad[i]);
        ck_assert_str_eq(s, "untouched");
}
END_TEST

START_TEST(test_unit_name_path_unescape) {
        static const char *const good[][2] = {
                { "-", "/" },
                { "a-b", "/a/b" },
                { "a-b\\x2dc", "/a/b-c" },
                { "dev-sda", "/dev/sda" },
                { "\\x2ehidden", "/.hidden" },
        };
        static const char *const bad[] = { "",     "-a",    "a-",  "a--b", "a-.-b",
                                           "a-..", "\\x2e", "\\x", "--" };
        char *s = (char *) "untouched";

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_free_ char *u = NULL;
                ck_assert_int_eq(unit_name_path_unescape(good[i][0], &u), 0);
                ck_assert_str_eq(u, good[i][1]);
                ck_assert_int_eq(unit_name_path_unescape(good[i][0], NULL), 0);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ck_assert_msg(unit_name_path_unescape(bad[i], &s) == -EINVAL, "%s", bad[i]);
        ck_assert_str_eq(s, "untouched");
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Paths                                                                                       */

START_TEST(test_unit_name_from_path) {
        char *s = NULL;

        check_result(unit_name_from_path("/dev/sda", ".device", &s), s, 0, "dev-sda.device");
        s = NULL;
        check_result(unit_name_from_path("/", ".mount", &s), s, 0, "-.mount");
        s = NULL;
        check_result(unit_name_from_path("/home/", ".mount", &s), s, 0, "home.mount");
        s = NULL;
        check_result(unit_name_from_path("/a-b/c", ".automount", &s), s, 0, "a\\x2db-c.automount");
        ck_assert_int_eq(unit_name_from_path("/a/../b", ".mount", &s), -EINVAL);
        ck_assert_int_eq(unit_name_from_path("/a", "mount", &s), -EINVAL);

        s = NULL;
        check_result(unit_name_from_path_instance("systemd-fsck", "/dev/sda1", ".service", &s), s,
                     0, "systemd-fsck@dev-sda1.service");
        s = NULL;
        check_result(unit_name_from_path_instance("x", "/", ".service", &s), s, 0, "x@-.service");
        ck_assert_int_eq(unit_name_from_path_instance("x@", "/a", ".service", &s), -EINVAL);
        ck_assert_int_eq(unit_name_from_path_instance("x", "/a", ".foo", &s), -EINVAL);
}
END_TEST

START_TEST(test_unit_name_to_path) {
        char *s = NULL;

        check_result(unit_name_to_path("dev-sda.device", &s), s, 0, "/dev/sda");
        s = NULL;
        check_result(unit_name_to_path("-.mount", &s), s, 0, "/");
        s = NULL;
        check_result(unit_name_to_path("home-a\\x2db.mount", &s), s, 0, "/home/a-b");
        s = NULL;
        check_result(unit_name_to_path("foo@bar.service", &s), s, 0, "/foo");
        ck_assert_int_eq(unit_name_to_path("foo", &s), -EINVAL);
        ck_assert_int_eq(unit_name_to_path("a--b.mount", &s), -EINVAL);
        ck_assert_int_eq(unit_name_to_path("aaaa_0123456789abcdef.mount", &s), -ENAMETOOLONG);
}
END_TEST

/* Values produced by systemd 252 (systemd-escape --mangle on these paths). */
START_TEST(test_unit_name_hashed) {
        char a[101], b[101], c[101], path[400], dev[400];
        _cleanup_free_ char *m = NULL, *d = NULL, *h = NULL, *expected_m = NULL, *expected_d = NULL;

        memset(a, 'a', 100), a[100] = 0;
        memset(b, 'b', 100), b[100] = 0;
        memset(c, 'c', 100), c[100] = 0;
        snprintf(path, sizeof path, "/%s/%s/%s", a, b, c);
        snprintf(dev, sizeof dev, "/dev/%s/%s/%s", a, b, c);

        ck_assert_int_eq(unit_name_from_path(path, ".mount", &m), 0);
        expected_m = strjoin(a, "-", b, "-", "cccccccccccccccccccccccccccccc",
                             "_91c4f9e377824616.mount");
        ck_assert_str_eq(m, expected_m);
        ck_assert_uint_eq(strlen(m), UNIT_NAME_MAX - 1);
        ck_assert(unit_name_is_hashed(m));

        ck_assert_int_eq(unit_name_from_path(dev, ".device", &d), 0);
        expected_d = strjoin("dev-", a, "-", b, "-", "ccccccccccccccccccccccccc",
                             "_995aae595090d99d.device");
        ck_assert_str_eq(d, expected_d);

        ck_assert_int_eq(unit_name_to_path(m, &h), -ENAMETOOLONG);
        ck_assert_int_eq(unit_name_hash_long("short.mount", &h), -EMSGSIZE);
        ck_assert(!unit_name_is_hashed("foo_0123456789ABCDEF.mount"));
        ck_assert(!unit_name_is_hashed("foo-0123456789abcdef.mount"));
        ck_assert(!unit_name_is_hashed("0123456789abcdef.mount"));
        ck_assert(unit_name_is_hashed("x_0123456789abcdef.mount"));
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Mangling                                                                                    */

START_TEST(test_unit_name_mangle) {
        static const struct {
                const char *in;
                UnitNameMangle flags;
                const char *suffix;
                int r;
                const char *out;
        } table[] = {
                { "foo.service", 0, ".service", 0, "foo.service" },
                { "foo", 0, ".service", 1, "foo.service" },
                { "foo", 0, ".target", 1, "foo.target" },
                { "/dev/sda", 0, ".service", 1, "dev-sda.device" },
                { "/home", 0, ".service", 1, "home.mount" },
                { "/./dev/foo", 0, ".service", 1, "dev-foo.device" },
                { "/dev/..", 0, ".service", 1, "-dev-...service" },
                { "/dev/", 0, ".service", 1, "dev.mount" },
                { "a b", 0, ".service", 1, "a\\x20b.service" },
                { "x/y", 0, ".service", 1, "x-y.service" },
                { "foo@", 0, ".service", 1, "foo@.service" },
                { "foo*", 0, ".service", 1, "foo\\x2a.service" },
                { "foo*", UNIT_NAME_MANGLE_GLOB, ".service", 0, "foo*" },
                { "foo.*", UNIT_NAME_MANGLE_GLOB, ".service", 0, "foo.*" },
                { "foo *", UNIT_NAME_MANGLE_GLOB, ".service", 1, "foo\\x20*" },
                { "ä", 0, ".service", 1, "\\xc3\\xa4.service" },
                { "@foo", 0, ".service", -EINVAL, NULL },
                { "", 0, ".service", -EINVAL, NULL },
                { "foo", 0, "service", -EINVAL, NULL },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *s = NULL;
                int r = unit_name_mangle_with_suffix(table[i].in, "test", table[i].flags,
                                                     table[i].suffix, &s);

                ck_assert_msg(r == table[i].r, "%s: %d", table[i].in, r);
                if (table[i].out)
                        ck_assert_str_eq(s, table[i].out);
                else
                        ck_assert_ptr_null(s);
        }
}
END_TEST

START_TEST(test_unit_name_mangle_warn) {
        _cleanup_free_ char *s = NULL, *t = NULL;
        LogCapture c;

        log_capture_start(&c);
        ck_assert_int_eq(unit_name_mangle_with_suffix("a b", "to start", UNIT_NAME_MANGLE_WARN,
                                                      ".service", &s),
                         1);
        ck_assert_int_eq(unit_name_mangle_with_suffix("x*", "to start", UNIT_NAME_MANGLE_WARN,
                                                      ".service", &t),
                         1);
        log_capture_stop();
        ck_assert_log_contains(&c, "Invalid unit name \"a b\" escaped as \"a\\x20b\" (maybe you "
                                   "should use systemd-escape?).");
        ck_assert_log_contains(
                &c, "Glob pattern passed to start, but globs are not supported for this.");
        ck_assert_log_contains(&c, "Invalid unit name \"x*\" escaped as \"x\\x2a\".");
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Slices                                                                                      */

START_TEST(test_slices) {
        char *s = NULL;

        ck_assert(slice_name_is_valid("-.slice"));
        ck_assert(slice_name_is_valid("a-b-c.slice"));
        ck_assert(!slice_name_is_valid("-a.slice"));
        ck_assert(!slice_name_is_valid("a-.slice"));
        ck_assert(!slice_name_is_valid("a--b.slice"));
        ck_assert(!slice_name_is_valid("a.service"));
        ck_assert(!slice_name_is_valid("a@b.slice"));

        check_result(slice_build_parent_slice("a-b-c.slice", &s), s, 1, "a-b.slice");
        s = NULL;
        check_result(slice_build_parent_slice("a.slice", &s), s, 1, "-.slice");
        s = (char *) "x";
        ck_assert_int_eq(slice_build_parent_slice("-.slice", &s), 0);
        ck_assert_ptr_null(s);
        ck_assert_int_eq(slice_build_parent_slice("a--b.slice", &s), -EINVAL);

        check_result(slice_build_subslice("a-b.slice", "c", &s), s, 0, "a-b-c.slice");
        s = NULL;
        check_result(slice_build_subslice("-.slice", "c", &s), s, 0, "c.slice");
        ck_assert_int_eq(slice_build_subslice("a.slice", "c@d", &s), -EINVAL);
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* D-Bus                                                                                       */

START_TEST(test_bus_label) {
        static const char *const table[][2] = {
                { "foo.service", "foo_2eservice" },
                { "", "_" },
                { "1abc", "_31abc" },
                { "a1", "a1" },
                { "foo-bar@x.service", "foo_2dbar_40x_2eservice" },
                { "_", "_5f" },
                { "\xc3\xa4", "_c3_a4" },
        };

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_free_ char *e = bus_label_escape(table[i][0]);
                _cleanup_free_ char *u = NULL;

                ck_assert_str_eq(e, table[i][1]);
                u = bus_label_unescape(e);
                ck_assert_str_eq(u, table[i][0]);
        }

        /* Broken escapes are taken literally. */
        char *u = bus_label_unescape("a_zz_4");
        ck_assert_str_eq(u, "a_zz_4");
        free(u);
        u = bus_label_unescape_n("a_41xyz", 4);
        ck_assert_str_eq(u, "aA");
        free(u);
}
END_TEST

START_TEST(test_unit_dbus_path) {
        _cleanup_free_ char *p = unit_dbus_path_from_name("foo.service");
        _cleanup_free_ char *q = unit_dbus_path_from_name("-.mount");
        _cleanup_free_ char *n = NULL, *m = NULL;
        char *x = (char *) "untouched";

        ck_assert_str_eq(p, "/org/freedesktop/systemd1/unit/foo_2eservice");
        ck_assert_str_eq(q, "/org/freedesktop/systemd1/unit/_2d_2emount");
        ck_assert_int_eq(unit_name_from_dbus_path(p, &n), 0);
        ck_assert_str_eq(n, "foo.service");
        ck_assert_int_eq(unit_name_from_dbus_path(q, &m), 0);
        ck_assert_str_eq(m, "-.mount");
        ck_assert_int_eq(unit_name_from_dbus_path("/org/freedesktop/systemd1/job/1", &x), -EINVAL);
        ck_assert_str_eq(x, "untouched");
}
END_TEST

/* ------------------------------------------------------------------------------------------ */
/* Comparison with systemd-escape                                                              */

typedef enum EscapeMode {
        MODE_ESCAPE,
        MODE_PATH,
        MODE_UNESCAPE,
        MODE_UNESCAPE_PATH,
        MODE_MANGLE,
        MODE_TEMPLATE,
        MODE_PATH_TEMPLATE,
        MODE_SUFFIX,
        MODE_UNESCAPE_INSTANCE,
        _MODE_MAX,
} EscapeMode;

static const char *const mode_args[_MODE_MAX][3] = {
        [MODE_ESCAPE] = { NULL },
        [MODE_PATH] = { "--path", NULL },
        [MODE_UNESCAPE] = { "--unescape", NULL },
        [MODE_UNESCAPE_PATH] = { "--unescape", "--path", NULL },
        [MODE_MANGLE] = { "--mangle", NULL },
        [MODE_TEMPLATE] = { "--template=foo@.service", NULL },
        [MODE_PATH_TEMPLATE] = { "--path", "--template=foo@.service", NULL },
        [MODE_SUFFIX] = { "--suffix=socket", NULL },
        [MODE_UNESCAPE_INSTANCE] = { "--unescape", "--instance", NULL },
};

/* What systemd-escape prints for one input with our functions: 0 and the line, or < 0. */
static int our_escape(EscapeMode mode, const char *in, char **ret) {
        _cleanup_free_ char *e = NULL, *i = NULL;
        int r;

        switch (mode) {
        case MODE_ESCAPE:
        case MODE_TEMPLATE:
        case MODE_SUFFIX:
                e = unit_name_escape(in);
                break;
        case MODE_PATH:
        case MODE_PATH_TEMPLATE:
                r = unit_name_path_escape(in, &e);
                if (r < 0)
                        return r;
                break;
        case MODE_UNESCAPE:
                return unit_name_unescape(in, ret);
        case MODE_UNESCAPE_PATH:
                return unit_name_path_unescape(in, ret);
        case MODE_MANGLE:
                r = unit_name_mangle(in, 0, ret);
                return r < 0 ? r : 0;
        case MODE_UNESCAPE_INSTANCE:
                r = unit_name_to_instance(in, &i);
                if (r < 0 || isempty(i))
                        return -EINVAL;
                return unit_name_unescape(i, ret);
        default:
                return -EINVAL;
        }
        if (!e)
                return -ENOMEM;
        if (mode == MODE_SUFFIX)
                return (*ret = strjoin(e, ".socket")) ? 0 : -ENOMEM;
        if (mode == MODE_TEMPLATE || mode == MODE_PATH_TEMPLATE)
                return unit_name_replace_instance("foo@.service", e, ret);
        *ret = TAKE_PTR(e);
        return 0;
}

/* One run of systemd-escape on a list of inputs. */
typedef struct EscapeRun {
        pid_t pid;
        int fd;
} EscapeRun;

static EscapeRun escape_spawn(EscapeMode mode, const char *const *inputs, size_t n) {
        const char **argv = calloc(n + 8, sizeof(char *));
        size_t k = 0;
        EscapeRun run;
        int fds[2];

        ck_assert_ptr_nonnull(argv);
        argv[k++] = SYSTEMD_ESCAPE;
        for (size_t j = 0; mode_args[mode][j]; j++)
                argv[k++] = mode_args[mode][j];
        argv[k++] = "--";
        for (size_t j = 0; j < n; j++)
                argv[k++] = inputs[j];

        ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
        run.pid = fork();
        ck_assert_int_ge(run.pid, 0);
        if (run.pid == 0) {
                int null = open("/dev/null", O_WRONLY);
                dup2(fds[1], STDOUT_FILENO);
                dup2(null, STDERR_FILENO);
                execv(SYSTEMD_ESCAPE, (char *const *) argv);
                _exit(127);
        }
        free(argv);
        close(fds[1]);
        run.fd = fds[0];
        return run;
}

/* Waits for a run; returns its exit status and its stdout without the final newline. */
static int escape_collect(EscapeRun run, char **ret) {
        size_t n = 0, allocated = 0;
        char *buf = NULL;
        int status;

        for (;;) {
                ssize_t l;

                ck_assert(GREEDY_REALLOC(buf, allocated, n + 4096));
                l = read(run.fd, buf + n, allocated - n - 1);
                ck_assert_int_ge(l, 0);
                if (l == 0)
                        break;
                n += (size_t) l;
        }
        close(run.fd);
        ck_assert_int_eq(waitpid(run.pid, &status, 0), run.pid);
        buf[n] = 0;
        if (n > 0 && buf[n - 1] == '\n')
                buf[n - 1] = 0;
        *ret = buf;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static const char *const fixed_inputs[] = {
        "",
        "a",
        "foo",
        "foo.service",
        "foo@bar.service",
        "foo@.service",
        "foo@",
        "@foo",
        "@foo.service",
        "foo@bar@baz.socket",
        "foo.bar",
        ".service",
        "foo.",
        ".",
        "..",
        "...",
        ".foo",
        "./x",
        "/.hidden",
        "/",
        "//",
        "///",
        "/a//b/",
        "a/b",
        "/a/./b",
        "/a/../b",
        "/a/b/..",
        "a/",
        "/a/",
        "-",
        "--",
        "---",
        "a-b",
        "-a-",
        "/a-b/c",
        "a--b",
        "-a",
        "a-",
        "\\",
        "\\\\",
        "\\x2d",
        "\\x2",
        "\\x",
        "\\xzz",
        "a\\x2fb",
        "\\x00",
        "\\X41",
        "\\x2e",
        "\\x2e\\x2e",
        "\\x2ehidden",
        "a\\x2db-c",
        "\\xc3\\xa4",
        "\xc3\xa4",
        "\xe6\x97\xa5\xe6\x9c\xac",
        "\xff\xfe",
        "caf\xc3\xa9 cr\xc3\xa8me",
        " ",
        "a b",
        "\t",
        "foo*",
        "foo.*",
        "a?b",
        "[ab]",
        "foo@*.service",
        "*",
        "!",
        "a!b",
        "%i",
        "~",
        ":",
        "_",
        "a:b_c.d",
        "/dev/sda",
        "/dev/sda1",
        "/sys/class/net/eth0",
        "/dev",
        "/dev/",
        "/./dev/foo",
        "/dev/..",
        "/dev/.",
        "/sys",
        "/sys/",
        "dev/sda",
        "/home/user",
        "/run/user/1000",
        "/mnt/my disk",
        "/mnt/a-b",
        "-.mount",
        "-.slice",
        "a-b-c.slice",
        "sys-devices-x.device",
        "x.mount",
        "foo@a-b.service",
        "foo@a\\x2db.service",
        "foo@.socket",
        "bar@x.service",
        "foo@-.service",
        "foo@\\x2d.service",
        "foo@a@b.service",
        "foo@ .service",
        "/foo@bar",
        "foo.service.wants",
};

/* Deterministic pseudo-random strings over the characters escaping cares about. */
static void random_input(unsigned *seed, char *out, size_t max) {
        static const char alphabet[] = "aZ0-/.\\x2f@ _:*?[!e\xc3\xa4"
                                       "dvs";
        size_t len;

        *seed = *seed * 1103515245u + 12345u;
        len = (*seed >> 16) % max;
        for (size_t i = 0; i < len; i++) {
                *seed = *seed * 1103515245u + 12345u;
                out[i] = alphabet[(*seed >> 16) % (sizeof alphabet - 1)];
        }
        out[len] = 0;
}

static void report(EscapeMode m, const char *in, int r, const char *ours, int status,
                   const char *theirs) {
        fprintf(stderr,
                "systemd-escape mismatch, mode %d, input \"%s\": ours %d \"%s\", systemd %d "
                "\"%s\"\n",
                (int) m, in, r, strempty(ours), status, strempty(theirs));
}

/* Inputs we escape successfully: one systemd-escape run per batch must print the same words
 * (separated by spaces). Batches that differ are retried input by input to name the culprit. */
static unsigned compare_successes(EscapeMode m, const char *const *in, char **ours, size_t n) {
        _cleanup_free_ char *joined = NULL, *theirs = NULL;
        unsigned failures = 0;
        int status;

        /* systemd-escape puts one space between outputs, even empty ones. */
        joined = strdup("");
        for (size_t i = 0; i < n; i++)
                ck_assert_int_ge(strextend(&joined, i > 0 ? " " : "", ours[i]), 0);
        status = escape_collect(escape_spawn(m, in, n), &theirs);
        if (status == 0 && streq(joined, theirs))
                return 0;

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *one = NULL;

                status = escape_collect(escape_spawn(m, in + i, 1), &one);
                if (status != 0 || !streq(one, ours[i])) {
                        report(m, in[i], 0, ours[i], status, one);
                        failures++;
                }
        }
        return failures;
}

/* Inputs we refuse: systemd-escape must refuse each too. Runs a few at a time. */
static unsigned compare_failures(EscapeMode m, const char *const *in, const int *r, size_t n) {
        unsigned failures = 0;

        for (size_t i = 0; i < n; i += 8) {
                EscapeRun runs[8];
                size_t k = MIN(n - i, (size_t) 8);

                for (size_t j = 0; j < k; j++)
                        runs[j] = escape_spawn(m, in + i + j, 1);
                for (size_t j = 0; j < k; j++) {
                        _cleanup_free_ char *theirs = NULL;
                        int status = escape_collect(runs[j], &theirs);

                        if (status == 0) {
                                report(m, in[i + j], r[i + j], NULL, status, theirs);
                                failures++;
                        }
                }
        }
        return failures;
}

static unsigned compare_mode(EscapeMode m, const char *const *inputs, size_t n) {
        const char **ok_in = calloc(n, sizeof(char *)), **bad_in = calloc(n, sizeof(char *));
        char **ok_out = calloc(n, sizeof(char *));
        int *bad_r = calloc(n, sizeof(int));
        size_t n_ok = 0, n_bad = 0;
        unsigned failures = 0;

        ck_assert(ok_in && bad_in && ok_out && bad_r);
        for (size_t i = 0; i < n; i++) {
                char *out = NULL;
                int r;

                /* --instance refuses everything that is not an instance name: checking each of
                 * those costs a process, so only a sample of the inputs without '@' is run. */
                if (m == MODE_UNESCAPE_INSTANCE && !strchr(inputs[i], '@') && i % 8 != 0)
                        continue;
                r = our_escape(m, inputs[i], &out);

                if (r >= 0) {
                        ok_in[n_ok] = inputs[i];
                        ok_out[n_ok++] = out;
                } else {
                        bad_in[n_bad] = inputs[i];
                        bad_r[n_bad++] = r;
                }
        }

        for (size_t i = 0; i < n_ok; i += 64)
                failures += compare_successes(m, ok_in + i, ok_out + i, MIN(n_ok - i, (size_t) 64));
        failures += compare_failures(m, bad_in, bad_r, n_bad);

        for (size_t i = 0; i < n_ok; i++)
                free(ok_out[i]);
        free(ok_in), free(bad_in), free(ok_out), free(bad_r);
        return failures;
}

START_TEST(test_compare_with_systemd_escape) {
        char long1[301], longs[6][400], random[160][16];
        const char *inputs[ELEMENTSOF(fixed_inputs) + ELEMENTSOF(longs) + ELEMENTSOF(random)];
        unsigned failures = 0, seed = 252;
        size_t n = 0;

        if (access(SYSTEMD_ESCAPE, X_OK) < 0) {
                fprintf(stderr, "%s not found, skipping the comparison with systemd-escape\n",
                        SYSTEMD_ESCAPE);
                return;
        }
        log_set_max_level(LOG_INFO);

        for (size_t i = 0; i < ELEMENTSOF(fixed_inputs); i++)
                inputs[n++] = fixed_inputs[i];

        /* Long inputs: over-long names, hashed mount names, over-long path components. */
        memset(long1, 'a', 300), long1[300] = 0;
        snprintf(longs[0], sizeof longs[0], "%s", long1);
        snprintf(longs[1], sizeof longs[1], "/%.*s/%.*s-x/%.*s", 100, long1, 100, long1, 100,
                 long1);
        snprintf(longs[2], sizeof longs[2], "/dev/%.*s/%.*s", 150, long1, 150, long1);
        snprintf(longs[3], sizeof longs[3], "%.*s", 247, long1);
        snprintf(longs[4], sizeof longs[4], "%.*s", 248, long1);
        snprintf(longs[5], sizeof longs[5], "foo@%.*s.service", 243, long1);
        for (size_t i = 0; i < ELEMENTSOF(longs); i++)
                inputs[n++] = longs[i];

        for (size_t i = 0; i < ELEMENTSOF(random); i++) {
                random_input(&seed, random[i], sizeof random[i]);
                inputs[n++] = random[i];
        }

        for (EscapeMode m = 0; m < _MODE_MAX; m++)
                failures += compare_mode(m, inputs, n);

        ck_assert_msg(failures == 0, "%u mismatches with systemd-escape (see stderr)", failures);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("unit-name");
        TCase *tc = tcase_create("core");
        TCase *oracle = tcase_create("systemd-escape");

        tcase_add_test(tc, test_unit_type_tables);
        tcase_add_test(tc, test_unit_type_alias_template);
        tcase_add_test(tc, test_unit_name_is_valid);
        tcase_add_test(tc, test_unit_name_length_limit);
        tcase_add_test(tc, test_unit_part_validity);
        tcase_add_test(tc, test_unit_name_split);
        tcase_add_test(tc, test_unit_name_dash_chain);
        tcase_add_test(tc, test_unit_name_prefix_equal);
        tcase_add_test(tc, test_unit_name_build);
        tcase_add_test(tc, test_unit_name_change_suffix);
        tcase_add_test(tc, test_unit_name_template_and_instance);
        tcase_add_test(tc, test_unit_name_escape);
        tcase_add_test(tc, test_unit_name_unescape);
        tcase_add_test(tc, test_unit_name_path_escape);
        tcase_add_test(tc, test_unit_name_path_unescape);
        tcase_add_test(tc, test_unit_name_from_path);
        tcase_add_test(tc, test_unit_name_to_path);
        tcase_add_test(tc, test_unit_name_hashed);
        tcase_add_test(tc, test_unit_name_mangle);
        tcase_add_test(tc, test_unit_name_mangle_warn);
        tcase_add_test(tc, test_slices);
        tcase_add_test(tc, test_bus_label);
        tcase_add_test(tc, test_unit_dbus_path);
        suite_add_tcase(s, tc);

        tcase_set_timeout(oracle, 300);
        tcase_add_test(oracle, test_compare_with_systemd_escape);
        suite_add_tcase(s, oracle);
        return s;
}

TEST_MAIN(make_suite)
