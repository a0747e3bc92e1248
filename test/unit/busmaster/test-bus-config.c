/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-config: busmaster reads dbus-daemon's configuration as dbus-daemon 1.14 does. The
 * reference is the dbus-tests package's data (every .conf file of valid-config-files loads,
 * every one of invalid-config-files is refused) and Debian's own system.conf and session.conf;
 * targeted cases pin the include, limit and policy semantics and the error messages.
 */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "busmaster/bus-config.h"
#include "fd-util.h"
#include "macro.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "test-helpers.h"

static const char *test_data_dir(void) {
        const char *d = getenv("DBUS_TEST_DATA");
        return d ?: "/usr/lib/dbus-1.0/installed-tests/dbus/data";
}

/* The *.conf files of a directory of the test data, sorted; the test fails if it is missing
 * (tools/install-deps.sh installs dbus-tests). */
static char **list_conf_files(const char *sub) {
        _cleanup_free_ char *dir = path_join(test_data_dir(), sub);
        _cleanup_(closedirp) DIR *d = NULL;
        char **l = NULL;
        struct dirent *de;

        ck_assert_ptr_nonnull(dir);
        d = opendir(dir);
        ck_assert_msg(d, "%s is missing (install the dbus-tests package): %s", dir,
                      strerror(errno));
        while ((de = readdir(d)))
                if (endswith(de->d_name, ".conf"))
                        ck_assert_int_eq(strv_consume(&l, path_join(dir, de->d_name)), 0);
        ck_assert_msg(!strv_isempty(l), "no *.conf in %s", dir);
        return strv_sort(l);
}

START_TEST(test_valid_config_files) {
        _cleanup_strv_free_ char **files = list_conf_files("valid-config-files");
        unsigned failed = 0;

        STRV_FOREACH(f, files) {
                BusConfig *c = NULL;
                _cleanup_free_ char *err = NULL;
                int r = bus_config_load(*f, 0, &c, &err);

                if (r < 0) {
                        fprintf(stderr, "valid file refused: %s: %s\n", *f, strna(err));
                        failed++;
                }
                bus_config_free(c);
        }
        ck_assert_msg(failed == 0, "%u valid files refused", failed);
}
END_TEST

START_TEST(test_invalid_config_files) {
        _cleanup_strv_free_ char **files = list_conf_files("invalid-config-files");
        unsigned failed = 0;

        ck_assert_int_ge(strv_length(files), 30);
        STRV_FOREACH(f, files) {
                BusConfig *c = NULL;
                _cleanup_free_ char *err = NULL;
                int r = bus_config_load(*f, 0, &c, &err);

                if (r >= 0) {
                        fprintf(stderr, "invalid file accepted: %s\n", *f);
                        failed++;
                } else {
                        ck_assert_ptr_nonnull(err);
                        /* every message names the file it is about */
                        ck_assert_msg(strstr(err, "invalid-config-files/"), "%s: %s", *f, err);
                }
                bus_config_free(c);
        }
        ck_assert_msg(failed == 0, "%u invalid files accepted", failed);
}
END_TEST

/* A few exact messages, in dbus-daemon's words, with file and line. */
static void assert_invalid_message(const char *name, const char *expected) {
        _cleanup_free_ char *sub = strjoin("invalid-config-files/", name);
        _cleanup_free_ char *path = path_join(test_data_dir(), sub);
        _cleanup_free_ char *err = NULL;
        BusConfig *c = NULL;

        ck_assert_int_lt(bus_config_load(path, 0, &c, &err), 0);
        ck_assert_ptr_null(c);
        ck_assert_msg(err && strstr(err, expected), "%s: got \"%s\", want \"%s\"", name,
                      strna(err), expected);
}

START_TEST(test_invalid_messages) {
        assert_invalid_message("bad-element.conf",
                               "Element <bees> not allowed inside <busconfig> in configuration file");
        assert_invalid_message("unknown-limit.conf", "There is no limit called \"max_bees\"");
        assert_invalid_message("negative-limit.conf",
                               "<limit name=\"max_names_per_connection\"> must be a positive number");
        assert_invalid_message("ludicrous-limit.conf",
                               "<limit name=\"max_names_per_connection\"> value is too large");
        assert_invalid_message("non-numeric-limit.conf",
                               "element has invalid value (could not parse as integer)");
        assert_invalid_message("limit-no-name.conf", "<limit> element must have a \"name\" attribute");
        assert_invalid_message("circular-1.conf", "Circular inclusion of file");
        assert_invalid_message("policy-contradiction.conf",
                               "<policy> element must have exactly one of (context|user|group|at_console) attributes");
        assert_invalid_message("policy-member-no-path.conf",
                               "if you specify a member you must specify an interface or a path");
        assert_invalid_message("impossible-send.conf",
                               "Rule with send_broadcast=\"true\" and send_destination=\"com.example.Bees\" cannot match anything");
        assert_invalid_message("not-well-formed.conf", "Error in file ");
        assert_invalid_message("not-well-formed.conf", "mismatched tag");
        assert_invalid_message("apparmor-bad-mode.conf",
                               "Mode attribute on <apparmor> must have value \"required\", \"enabled\" or \"disabled\", not \"plaintive\"");
        assert_invalid_message("policy-bad-at-console.conf",
                               "Unknown value \"somewhere in the vicinity\" for at_console");
        assert_invalid_message("bad-attribute-2.conf",
                               "Attribute \"carefully\" is invalid on <listen> element in this context");
}
END_TEST

static bool has_servicedir(const BusConfig *c, const char *path, size_t *ret_index) {
        for (size_t i = 0; i < c->n_servicedirs; i++)
                if (streq(c->servicedirs[i].path, path)) {
                        if (ret_index)
                                *ret_index = i;
                        return true;
                }
        return false;
}

static long limit(const BusConfig *c, const char *name) {
        long v = -42;
        ck_assert_int_eq(bus_limits_get(&c->limits, name, &v), 0);
        return v;
}

START_TEST(test_debian_system_conf) {
        _cleanup_bus_config_ BusConfig *c = NULL;
        _cleanup_free_ char *err = NULL;
        const BusPolicyRule *r;
        BusPolicyRuleList *root;
        size_t a, b, cc;
        int k;

        k = bus_config_load("/usr/share/dbus-1/system.conf", 0, &c, &err);
        ck_assert_msg(k == 0, "system.conf: %s", strna(err));
        ck_assert_str_eq(c->type, "system");
        ck_assert_str_eq(c->user, "messagebus");
        ck_assert(c->fork);
        ck_assert(c->syslog);
        ck_assert(!c->keep_umask);
        ck_assert(!c->allow_anonymous);
        ck_assert_str_eq(c->pidfile, "/run/dbus/pid");
        ck_assert_str_eq(c->servicehelper, "/usr/lib/dbus-1.0/dbus-daemon-launch-helper");
        ck_assert_int_eq(strv_length(c->listen), 1);
        ck_assert_str_eq(c->listen[0], "unix:path=/run/dbus/system_bus_socket");
        ck_assert_int_eq(strv_length(c->auth), 1);
        ck_assert_str_eq(c->auth[0], "EXTERNAL");

        /* the standard system directories, in order, /usr/share once */
        ck_assert_int_eq(c->n_servicedirs, 3);
        ck_assert(has_servicedir(c, "/usr/local/share/dbus-1/system-services", &a));
        ck_assert(has_servicedir(c, "/usr/share/dbus-1/system-services", &b));
        ck_assert(has_servicedir(c, "/lib/dbus-1/system-services", &cc));
        ck_assert(a < b && b < cc);

        /* both includedirs exist here and are remembered for watching */
        ck_assert(strv_find(c->conf_dirs, "/usr/share/dbus-1/system.d"));
        ck_assert(strv_find(c->conf_dirs, "/etc/dbus-1/system.d"));

        /* no <limit> in the file: dbus-daemon's built-in values */
        ck_assert_int_eq(limit(c, "max_incoming_bytes"), 133169152);
        ck_assert_int_eq(limit(c, "max_outgoing_bytes"), 133169152);
        ck_assert_int_eq(limit(c, "max_message_size"), 33554432);
        ck_assert_int_eq(limit(c, "max_incoming_unix_fds"), 64);
        ck_assert_int_eq(limit(c, "max_message_unix_fds"), 16);
        ck_assert_int_eq(limit(c, "service_start_timeout"), 25000);
        ck_assert_int_eq(limit(c, "auth_timeout"), 30000);
        ck_assert_int_eq(limit(c, "pending_fd_timeout"), 150000);
        ck_assert_int_eq(limit(c, "max_completed_connections"), 2048);
        ck_assert_int_eq(limit(c, "max_incomplete_connections"), 64);
        ck_assert_int_eq(limit(c, "max_connections_per_user"), 256);
        ck_assert_int_eq(limit(c, "max_pending_service_starts"), 512);
        ck_assert_int_eq(limit(c, "max_names_per_connection"), 512);
        ck_assert_int_eq(limit(c, "max_match_rules_per_connection"), 512);
        ck_assert_int_eq(limit(c, "max_replies_per_connection"), 128);
        ck_assert_int_eq(limit(c, "reply_timeout"), -1);

        /* the default policy of the file comes first, in file order */
        ck_assert_int_gt(c->policy.default_rules.n_rules, 17);
        r = &c->policy.default_rules.rules[0];
        ck_assert_int_eq(r->type, BUS_POLICY_RULE_USER);
        ck_assert(r->allow);
        ck_assert_int_eq(r->uid, UID_INVALID);
        r = &c->policy.default_rules.rules[1];
        ck_assert_int_eq(r->type, BUS_POLICY_RULE_OWN);
        ck_assert(!r->allow);
        ck_assert_ptr_null(r->name);
        r = &c->policy.default_rules.rules[2];
        ck_assert_int_eq(r->type, BUS_POLICY_RULE_SEND);
        ck_assert_int_eq(r->message_type, BUS_POLICY_MESSAGE_METHOD_CALL);
        ck_assert(!r->allow);
        ck_assert(!r->requested_reply);
        r = &c->policy.default_rules.rules[4];
        ck_assert_int_eq(r->message_type, BUS_POLICY_MESSAGE_METHOD_RETURN);
        ck_assert(r->requested_reply);
        r = &c->policy.default_rules.rules[14];
        ck_assert(!r->allow);
        ck_assert_str_eq(r->name, "org.freedesktop.DBus");
        ck_assert_str_eq(r->interface, "org.freedesktop.DBus");
        ck_assert_str_eq(r->member, "UpdateActivationEnvironment");

        /* three <policy user="root"> blocks share one list, then system.d adds to it */
        root = bus_policy_get_user_rules(&c->policy, 0, false);
        ck_assert_ptr_nonnull(root);
        ck_assert_int_ge(root->n_rules, 3);
        ck_assert_str_eq(root->rules[0].interface, "org.freedesktop.systemd1.Activator");
        ck_assert_str_eq(root->rules[1].interface, "org.freedesktop.DBus.Monitoring");
        ck_assert_str_eq(root->rules[2].interface, "org.freedesktop.DBus.Debug.Stats");
}
END_TEST

START_TEST(test_debian_session_conf) {
        _cleanup_bus_config_ BusConfig *c = NULL;
        _cleanup_free_ char *err = NULL;
        size_t i_rt, i_home, i_dirs;

        ck_assert_int_eq(setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1), 0);
        ck_assert_int_eq(setenv("XDG_DATA_HOME", "/home/u/.local/share", 1), 0);
        ck_assert_int_eq(setenv("XDG_DATA_DIRS", "/opt/share::/usr/share/", 1), 0);
        ck_assert_msg(bus_config_load("/usr/share/dbus-1/session.conf", 0, &c, &err) == 0,
                      "session.conf: %s", strna(err));
        ck_assert_str_eq(c->type, "session");
        ck_assert(c->keep_umask);
        ck_assert(!c->fork);
        ck_assert_ptr_null(c->user);
        ck_assert_str_eq(c->listen[0], "unix:tmpdir=/tmp");
        ck_assert_str_eq(c->auth[0], "EXTERNAL");
        ck_assert_int_eq(limit(c, "max_message_size"), 1000000000);
        ck_assert_int_eq(limit(c, "auth_timeout"), 240000);
        ck_assert_int_eq(limit(c, "max_incoming_unix_fds"), 250000000);
        ck_assert_int_eq(limit(c, "max_replies_per_connection"), 50000);
        /* not set by session.conf: default */
        ck_assert_int_eq(limit(c, "max_message_unix_fds"), 16);

        /* the transient directory first (not watched, strict names), then data home, the
         * data dirs and datadir, without duplicates */
        ck_assert(has_servicedir(c, "/run/user/4242/dbus-1/services", &i_rt));
        ck_assert_int_eq(i_rt, 0);
        ck_assert_int_eq(c->servicedirs[0].flags,
                         BUS_SERVICE_DIR_NO_WATCH | BUS_SERVICE_DIR_STRICT_NAMING);
        ck_assert(has_servicedir(c, "/home/u/.local/share/dbus-1/services", &i_home));
        ck_assert(has_servicedir(c, "/opt/share/dbus-1/services", &i_dirs));
        ck_assert(has_servicedir(c, "/usr/share/dbus-1/services", NULL));
        ck_assert_int_eq(c->servicedirs[i_home].flags, 0);
        ck_assert(i_rt < i_home && i_home < i_dirs);
        ck_assert_int_eq(c->n_servicedirs, 4);

        /* eavesdrop="true" alone is a receive rule; with send_destination a send rule */
        ck_assert_int_eq(c->policy.default_rules.n_rules, 3);
        ck_assert_int_eq(c->policy.default_rules.rules[0].type, BUS_POLICY_RULE_SEND);
        ck_assert(c->policy.default_rules.rules[0].eavesdrop);
        ck_assert_ptr_null(c->policy.default_rules.rules[0].name);
        ck_assert_int_eq(c->policy.default_rules.rules[1].type, BUS_POLICY_RULE_RECEIVE);
        ck_assert(c->policy.default_rules.rules[1].eavesdrop);
        ck_assert_int_eq(c->policy.default_rules.rules[2].type, BUS_POLICY_RULE_OWN);
}
END_TEST

/* A scratch directory of configuration files for the targeted cases. */
static char scratch[] = "/tmp/test-bus-config.XXXXXX";

static void scratch_setup(void) {
        ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void scratch_teardown(void) {
        _cleanup_free_ char *cmd = strjoin("rm -rf ", scratch);
        ck_assert_int_eq(system(cmd), 0);
}

#define HEAD "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n" \
             " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n<busconfig>\n"

static char *write_conf(const char *name, const char *body) {
        char *path = path_join(scratch, name);
        _cleanup_free_ char *dir = NULL;
        _cleanup_free_ char *text = strjoin(HEAD, body, "\n</busconfig>\n");
        FILE *f;

        ck_assert_ptr_nonnull(path);
        ck_assert_int_eq(path_extract_directory(path, &dir), 0);
        /* mkdir -p */
        for (size_t i = strlen(scratch) + 1; i < strlen(dir); i++)
                if (dir[i] == '/') {
                        dir[i] = 0;
                        (void) mkdir(dir, 0755);
                        dir[i] = '/';
                }
        (void) mkdir(dir, 0755);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_ge(fputs(text, f), 0);
        ck_assert_int_eq(fclose(f), 0);
        return path;
}

static BusConfig *load_ok(const char *path) {
        _cleanup_free_ char *err = NULL;
        BusConfig *c = NULL;

        ck_assert_msg(bus_config_load(path, 0, &c, &err) == 0, "%s: %s", path, strna(err));
        return c;
}

static char *load_fail(const char *path, int expected) {
        char *err = NULL;
        BusConfig *c = NULL;
        int r = bus_config_load(path, 0, &c, &err);

        ck_assert_msg(r == expected, "%s: got %d (%s), want %d", path, r, strna(err), expected);
        ck_assert_ptr_null(c);
        ck_assert_ptr_nonnull(err);
        return err;
}

START_TEST(test_include_semantics) {
        _cleanup_free_ char *top = NULL, *sub = NULL, *subsub = NULL;
        _cleanup_bus_config_ BusConfig *c = NULL;

        /* the last <user>/<type>/<pidfile> wins, flags only switch on, lists accumulate; a
         * relative include is relative to the including file; limits flow both ways */
        subsub = write_conf("d/e/last.conf",
                            "<user>third</user><listen>unix:path=/c</listen>"
                            "<limit name=\"auth_timeout\">7</limit>");
        sub = write_conf("d/sub.conf",
                         "<user>second</user><type>session</type><fork/>"
                         "<listen>unix:path=/b</listen><auth>ANONYMOUS</auth>"
                         "<servicedir>rel</servicedir><servicedir>/abs</servicedir>"
                         "<limit name=\"max_names_per_connection\">0x10</limit>"
                         "<include>e/last.conf</include>");
        top = write_conf("top.conf",
                         "<user>first</user><type>system</type>"
                         "<listen>unix:path=/a</listen><auth>EXTERNAL</auth>"
                         "<servicedir>/abs</servicedir>"
                         "<limit name=\"auth_timeout\">5</limit>"
                         "<include>d/sub.conf</include>"
                         "<pidfile>/run/p</pidfile>"
                         "<include ignore_missing=\"yes\">nonexistent.conf</include>");
        c = load_ok(top);
        ck_assert_str_eq(c->user, "third");
        ck_assert_str_eq(c->type, "session");
        ck_assert_str_eq(c->pidfile, "/run/p");
        ck_assert(c->fork);
        ck_assert_int_eq(strv_length(c->listen), 3);
        ck_assert_str_eq(c->listen[0], "unix:path=/a");
        ck_assert_str_eq(c->listen[2], "unix:path=/c");
        ck_assert_int_eq(strv_length(c->auth), 2);
        ck_assert_int_eq(c->n_servicedirs, 2);
        ck_assert_str_eq(c->servicedirs[0].path, "/abs");
        ck_assert(endswith(c->servicedirs[1].path, "/d/rel"));
        ck_assert_int_eq(limit(c, "auth_timeout"), 7);
        ck_assert_int_eq(limit(c, "max_names_per_connection"), 16);
}
END_TEST

START_TEST(test_include_errors) {
        _cleanup_free_ char *a = NULL, *b = NULL, *m = NULL, *e1 = NULL, *e2 = NULL;

        /* a circle spelt differently is still a circle */
        a = write_conf("a.conf", "<listen>unix:path=/a</listen><include>./b.conf</include>");
        b = write_conf("b.conf", "<include>././a.conf</include>");
        e1 = load_fail(a, -ELOOP);
        ck_assert(strstr(e1, "Circular inclusion of file"));

        /* a missing include is fatal without ignore_missing */
        m = write_conf("m.conf", "<listen>unix:path=/a</listen>\n<include>gone.conf</include>");
        e2 = load_fail(m, -ENOENT);
        ck_assert(strstr(e2, "gone.conf"));
}
END_TEST

START_TEST(test_missing_file_and_syslog_quirk) {
        _cleanup_free_ char *err = NULL, *inc = NULL, *top = NULL;
        _cleanup_bus_config_ BusConfig *c = NULL;
        BusConfig *none = NULL;

        ck_assert_int_eq(bus_config_load("/nonexistent/bus.conf", 0, &none, &err), -ENOENT);
        ck_assert_ptr_null(none);
        ck_assert_str_eq(err, "Failed to open \"/nonexistent/bus.conf\": No such file or directory");

        /* as in dbus-daemon, <syslog/> only counts in the file that is loaded, while <fork/>,
         * <keep_umask/> and <allow_anonymous/> carry over from included files */
        inc = write_conf("inc.conf", "<syslog/><keep_umask/><allow_anonymous/><apparmor mode=\"disabled\"/>");
        top = write_conf("top.conf", "<listen>unix:path=/a</listen><include>inc.conf</include>");
        c = load_ok(top);
        ck_assert(!c->syslog);
        ck_assert(c->keep_umask);
        ck_assert(c->allow_anonymous);
        ck_assert_int_eq(c->apparmor, BUS_CONFIG_APPARMOR_DISABLED);
}
END_TEST

START_TEST(test_includedir) {
        _cleanup_free_ char *top = NULL, *x = NULL, *y = NULL, *z = NULL, *bad = NULL;
        _cleanup_bus_config_ BusConfig *c = NULL;
        LogCapture cap;

        x = write_conf("conf.d/20-x.conf", "<listen>unix:path=/x</listen>");
        y = write_conf("conf.d/10-y.conf", "<listen>unix:path=/y</listen>");
        /* not *.conf: ignored */
        z = write_conf("conf.d/30-z.conf.disabled", "<listen>unix:path=/z</listen>");
        /* a broken file is reported and skipped, nothing of it kept */
        bad = write_conf("conf.d/15-bad.conf",
                         "<listen>unix:path=/bad</listen><user>bad</user><bees/>");
        top = write_conf("top.conf",
                         "<listen>unix:path=/t</listen><includedir>conf.d</includedir>"
                         "<includedir>missing.d</includedir>");
        log_capture_start(&cap);
        c = load_ok(top);
        log_capture_stop();
        ck_assert_log_contains(&cap, "Encountered error '");
        ck_assert_log_contains(&cap, "Element <bees> not allowed inside <busconfig>");
        ck_assert_log_contains(&cap, "15-bad.conf");
        ck_assert_int_eq(strv_length(c->listen), 3);
        ck_assert_str_eq(c->listen[0], "unix:path=/t");
        ck_assert_str_eq(c->listen[1], "unix:path=/y");
        ck_assert_str_eq(c->listen[2], "unix:path=/x");
        ck_assert_ptr_null(c->user);
        ck_assert_int_eq(strv_length(c->conf_dirs), 1);
}
END_TEST

START_TEST(test_error_names_file_and_line) {
        _cleanup_free_ char *p = NULL, *err = NULL, *want = NULL;

        p = write_conf("e.conf", "<listen>unix:path=/a</listen>\n\n<bees/>");
        err = load_fail(p, -EINVAL);
        /* HEAD is three lines, the body starts on line 4, <bees/> is on line 6 */
        want = strjoin(p, ":6: Element <bees> not allowed inside <busconfig> in configuration file");
        ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_listen_required_and_content) {
        _cleanup_free_ char *p1 = NULL, *p2 = NULL, *p3 = NULL;
        _cleanup_free_ char *e1 = NULL, *e2 = NULL, *e3 = NULL;

        p1 = write_conf("nolisten.conf", "<user>x</user>");
        e1 = load_fail(p1, -EINVAL);
        ck_assert(strstr(e1, "Configuration file needs one or more <listen> elements giving addresses"));
        p2 = write_conf("empty.conf", "<listen>unix:path=/a</listen><user></user>");
        e2 = load_fail(p2, -EINVAL);
        ck_assert(strstr(e2, "XML element <user> was expected to have content inside it"));
        p3 = write_conf("text.conf", "<listen>unix:path=/a</listen><fork>yes</fork>");
        e3 = load_fail(p3, -EINVAL);
        ck_assert(strstr(e3, "No text content expected inside XML element fork in configuration file"));
}
END_TEST

START_TEST(test_limits) {
        BusLimits l;

        bus_limits_init_default(&l);
        ck_assert_int_eq(bus_limits_set(&l, "max_bees", 1), -ENOENT);
        ck_assert_int_eq(bus_limits_set(&l, "auth_timeout", -1), -ERANGE);
        ck_assert_int_eq(bus_limits_set(&l, "auth_timeout", 3123123123L), -ERANGE);
        /* byte limits are longs in dbus-daemon: no int bound */
        ck_assert_int_eq(bus_limits_set(&l, "max_incoming_bytes", 3123123123L), 0);
        ck_assert_int_eq(l.max_incoming_bytes, 3123123123L);
        ck_assert_int_eq(bus_limits_set(&l, "max_containers", 3), 0);
        ck_assert_int_eq(l.max_containers, 3);
}
END_TEST

START_TEST(test_policy_rules) {
        _cleanup_free_ char *p = NULL;
        _cleanup_bus_config_ BusConfig *c = NULL;
        const BusPolicyRuleList *l;
        LogCapture cap;

        p = write_conf("pol.conf",
                       "<listen>unix:path=/a</listen>"
                       "<policy context=\"default\">"
                       "<allow send_destination_prefix=\"org.example\" send_type=\"*\"/>"
                       "<deny receive_sender=\"*\" receive_interface=\"a.b\" max_fds=\"0\"/>"
                       "<allow own_prefix=\"com.example\"/>"
                       "<allow group=\"root\"/>"
                       "</policy>"
                       "<policy user=\"no-such-user-hopefully\"><allow own=\"x.y\"/></policy>"
                       "<policy group=\"0\"><allow send_destination=\"g.h\"/></policy>"
                       "<policy at_console=\"true\"><allow own=\"c.d\"/></policy>"
                       "<policy context=\"mandatory\"><deny send_interface=\"m.n\" log=\"true\"/></policy>"
                       "<selinux><associate own=\"org.x\" context=\"ctx_t\"/></selinux>"
                       "<apparmor mode=\"required\"/>");
        log_capture_start(&cap);
        c = load_ok(p);
        log_capture_stop();
        ck_assert_log_contains(&cap, "Unknown username \"no-such-user-hopefully\" in message bus configuration file");

        l = &c->policy.default_rules;
        ck_assert_int_eq(l->n_rules, 4);
        ck_assert_str_eq(l->rules[0].name, "org.example");
        ck_assert(l->rules[0].name_is_prefix);
        ck_assert_int_eq(l->rules[0].message_type, BUS_POLICY_MESSAGE_ANY);
        ck_assert(l->rules[0].requested_reply);
        ck_assert_int_eq(l->rules[0].max_fds, BUS_POLICY_MAX_MESSAGE_UNIX_FDS);
        ck_assert_int_eq(l->rules[1].type, BUS_POLICY_RULE_RECEIVE);
        ck_assert_ptr_null(l->rules[1].name);
        ck_assert_int_eq(l->rules[1].max_fds, 0);
        ck_assert(!l->rules[1].requested_reply);
        ck_assert(l->rules[2].name_is_prefix);
        ck_assert_int_eq(l->rules[3].type, BUS_POLICY_RULE_GROUP);
        ck_assert_int_eq(l->rules[3].gid, 0);
        /* the unknown user's policy is dropped */
        ck_assert_int_eq(c->policy.n_by_uid, 0);
        ck_assert_int_eq(c->policy.n_by_gid, 1);
        ck_assert_int_eq(c->policy.by_gid[0].list.n_rules, 1);
        ck_assert_int_eq(c->policy.at_console_true_rules.n_rules, 1);
        ck_assert_int_eq(c->policy.mandatory_rules.n_rules, 1);
        ck_assert(c->policy.mandatory_rules.rules[0].log);
        ck_assert_int_eq(c->n_selinux, 1);
        ck_assert_str_eq(c->selinux[0].context, "ctx_t");
        ck_assert_int_eq(c->apparmor, BUS_CONFIG_APPARMOR_REQUIRED);
}
END_TEST

START_TEST(test_policy_errors) {
        _cleanup_free_ char *p1 = NULL, *p2 = NULL, *p3 = NULL, *e1 = NULL, *e2 = NULL, *e3 = NULL;

        p1 = write_conf("pu.conf", "<listen>unix:path=/a</listen>"
                                   "<policy user=\"root\"><allow user=\"*\"/></policy>");
        e1 = load_fail(p1, -EINVAL);
        ck_assert(strstr(e1, "<allow> rule cannot be per-user because it has bus-global semantics"));
        p2 = write_conf("fd.conf", "<listen>unix:path=/a</listen>"
                                   "<policy context=\"default\"><allow send_type=\"signal\" max_fds=\"254\"/></policy>");
        e2 = load_fail(p2, -EINVAL);
        ck_assert(strstr(e2, "Bad value \"254\" for max_fds attribute, must be an integer in range 0 to 253 inclusive"));
        p3 = write_conf("ty.conf", "<listen>unix:path=/a</listen>"
                                   "<policy context=\"default\"><deny send_type=\"bees\"/></policy>");
        e3 = load_fail(p3, -EINVAL);
        ck_assert(strstr(e3, "Bad message type \"bees\""));
}
END_TEST

START_TEST(test_parse_buffer_no_includes) {
        static const char text[] = HEAD "<listen>unix:path=/a</listen>"
                                        "<include>/nonexistent/x.conf</include>"
                                        "<includedir>/nonexistent.d</includedir></busconfig>";
        _cleanup_bus_config_ BusConfig *c = NULL;
        _cleanup_free_ char *err = NULL;

        ck_assert_int_eq(bus_config_parse(text, strlen(text), "buf.conf", BUS_CONFIG_NO_INCLUDES,
                                          &c, &err),
                         0);
        ck_assert_int_eq(strv_length(c->listen), 1);
        ck_assert_int_eq(strv_length(c->conf_dirs), 0);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-config");
        TCase *tc = tcase_create("reference");
        TCase *tt = tcase_create("targeted");

        tcase_add_test(tc, test_valid_config_files);
        tcase_add_test(tc, test_invalid_config_files);
        tcase_add_test(tc, test_invalid_messages);
        tcase_add_test(tc, test_debian_system_conf);
        tcase_add_test(tc, test_debian_session_conf);
        suite_add_tcase(s, tc);

        tcase_add_checked_fixture(tt, scratch_setup, scratch_teardown);
        tcase_add_test(tt, test_include_semantics);
        tcase_add_test(tt, test_include_errors);
        tcase_add_test(tt, test_missing_file_and_syslog_quirk);
        tcase_add_test(tt, test_includedir);
        tcase_add_test(tt, test_error_names_file_and_line);
        tcase_add_test(tt, test_listen_required_and_content);
        tcase_add_test(tt, test_limits);
        tcase_add_test(tt, test_policy_rules);
        tcase_add_test(tt, test_policy_errors);
        tcase_add_test(tt, test_parse_buffer_no_includes);
        suite_add_tcase(s, tt);
        return s;
}

TEST_MAIN(make_suite)
