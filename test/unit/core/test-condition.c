/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of Condition*=/Assert*=: each condition type against this machine and temporary files,
 * trigger ("|") and negation ("!") as systemd 252 combines them, what unit_start() makes of a
 * failed condition or assert, the D-Bus encoding, and 252's log lines. */

#include <sys/utsname.h>
#include <unistd.h>

#include "condition.h"
#include "fd-util.h"
#include "test-helpers.h"
#include "unit-tree.h"

static char dir[64];

static void setup(void) {
        char p[256];

        snprintf(dir, sizeof dir, "/tmp/sysmaster-cond-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(p, sizeof p, "%s/empty", dir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof p, "%s/full", dir);
        ck_assert_int_eq(mkdir(p, 0755), 0);
        snprintf(p, sizeof p, "%s/full/file", dir);
        unit_tree_write(dir, "full/file", "data\n");
        unit_tree_write(dir, "zero", "");
        unit_tree_write(dir, "exe", "#!/bin/sh\n");
        snprintf(p, sizeof p, "%s/exe", dir);
        ck_assert_int_eq(chmod(p, 0755), 0);
        unit_tree_link(dir, "link", "full");
}

static void teardown(void) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}

/* Tests type with parameter (a leading "%s" is replaced by the temporary directory). */
static int test_one(ConditionType type, bool negate, const char *param) {
        char p[512];
        Condition c = { .type = type, .negate = negate, .parameter = p };
        char *const env[] = { (char *) "FOO=bar", (char *) "EMPTY=", NULL };
        const char *rest = startswith(param, "%s");
        int r;

        if (rest)
                snprintf(p, sizeof p, "%s%s", dir, rest);
        else
                snprintf(p, sizeof p, "%s", param);
        r = condition_test(&c, env);
        if (r >= 0)
                ck_assert_int_eq(c.result, r ? CONDITION_SUCCEEDED : CONDITION_FAILED);
        return r;
}

START_TEST(test_paths) {
        ck_assert_int_eq(test_one(CONDITION_PATH_EXISTS, false, "%s/full"), 1);
        ck_assert_int_eq(test_one(CONDITION_PATH_EXISTS, false, "%s/nope"), 0);
        ck_assert_int_eq(test_one(CONDITION_PATH_EXISTS, true, "%s/nope"), 1);
        ck_assert_int_eq(test_one(CONDITION_PATH_EXISTS_GLOB, false, "%s/fu*/fi?e"), 1);
        ck_assert_int_eq(test_one(CONDITION_PATH_EXISTS_GLOB, false, "%s/x*"), 0);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_DIRECTORY, false, "%s/full"), 1);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_DIRECTORY, false, "%s/zero"), 0);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_SYMBOLIC_LINK, false, "%s/link"), 1);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_SYMBOLIC_LINK, false, "%s/full"), 0);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_MOUNT_POINT, false, "/"), 1);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_MOUNT_POINT, false, "/proc"), 1);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_MOUNT_POINT, false, "%s/full"), 0);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_READ_WRITE, false, "%s"), 1);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_READ_WRITE, false, "%s/nope"), 0);
        ck_assert_int_eq(test_one(CONDITION_DIRECTORY_NOT_EMPTY, false, "%s/full"), 1);
        ck_assert_int_eq(test_one(CONDITION_DIRECTORY_NOT_EMPTY, false, "%s/empty"), 0);
        ck_assert_int_eq(test_one(CONDITION_DIRECTORY_NOT_EMPTY, false, "%s/zero"), 0);
        ck_assert_int_eq(test_one(CONDITION_FILE_NOT_EMPTY, false, "%s/full/file"), 1);
        ck_assert_int_eq(test_one(CONDITION_FILE_NOT_EMPTY, false, "%s/zero"), 0);
        ck_assert_int_eq(test_one(CONDITION_FILE_NOT_EMPTY, false, "%s/full"), 0);
        ck_assert_int_eq(test_one(CONDITION_FILE_IS_EXECUTABLE, false, "%s/exe"), 1);
        ck_assert_int_eq(test_one(CONDITION_FILE_IS_EXECUTABLE, false, "%s/zero"), 0);
        ck_assert_int_eq(test_one(CONDITION_PATH_IS_ENCRYPTED, false, "%s"), 0);
}
END_TEST

START_TEST(test_system) {
        char buf[512];
        struct utsname u;
        _cleanup_free_ char *cmdline = NULL;

        ck_assert_int_eq(uname(&u), 0);
        ck_assert_int_eq(test_one(CONDITION_KERNEL_VERSION, false, u.release), 1);
        ck_assert_int_eq(test_one(CONDITION_KERNEL_VERSION, false, ">= 2.6"), 1);
        ck_assert_int_eq(test_one(CONDITION_KERNEL_VERSION, false, "<2.6"), 0);
        ck_assert_int_eq(test_one(CONDITION_KERNEL_VERSION, false, ">=3.0 <1000.0"), 1);
        ck_assert_int_eq(test_one(CONDITION_KERNEL_VERSION, false, "!= 0.0.1"), 1);
        ck_assert_int_eq(test_one(CONDITION_KERNEL_VERSION, false, "0.*"), 0);
        ck_assert_int_eq(test_one(CONDITION_ARCHITECTURE, false, "native"), 1);
#if defined(__x86_64__)
        ck_assert_int_eq(test_one(CONDITION_ARCHITECTURE, false, "x86-64"), 1);
        ck_assert_int_eq(test_one(CONDITION_ARCHITECTURE, false, "arm64"), 0);
#endif
        ck_assert_int_eq(test_one(CONDITION_ARCHITECTURE, false, "no-such-arch"), 0);
        ck_assert_int_eq(test_one(CONDITION_ENVIRONMENT, false, "FOO"), 1);
        ck_assert_int_eq(test_one(CONDITION_ENVIRONMENT, false, "FOO=bar"), 1);
        ck_assert_int_eq(test_one(CONDITION_ENVIRONMENT, false, "FOO=baz"), 0);
        ck_assert_int_eq(test_one(CONDITION_ENVIRONMENT, false, "FO"), 0);
        ck_assert_int_eq(test_one(CONDITION_ENVIRONMENT, false, "EMPTY"), 1);
        ck_assert_int_eq(test_one(CONDITION_CPUS, false, ">0"), 1);
        ck_assert_int_eq(test_one(CONDITION_CPUS, false, "1"), 1); /* default >= */
        ck_assert_int_eq(test_one(CONDITION_CPUS, false, ">100000"), 0);
        ck_assert_int_eq(test_one(CONDITION_MEMORY, false, ">=1M"), 1);
        ck_assert_int_eq(test_one(CONDITION_MEMORY, false, "<1K"), 0);
        ck_assert_int_lt(test_one(CONDITION_MEMORY, false, "lots"), 0);
        ck_assert_int_eq(test_one(CONDITION_HOST, false, "*"), 1);
        ck_assert_int_eq(gethostname(buf, sizeof buf), 0);
        ck_assert_int_eq(test_one(CONDITION_HOST, false, buf), 1);
        ck_assert_int_eq(test_one(CONDITION_HOST, false, "no-such-host-name-here"), 0);
        ck_assert_int_eq(test_one(CONDITION_FIRST_BOOT, false, "no"),
                         access("/run/systemd/first-boot", F_OK) < 0);
        ck_assert_int_lt(test_one(CONDITION_FIRST_BOOT, false, "maybe"), 0);
        ck_assert_int_eq(test_one(CONDITION_USER, false, getuid() == 0 ? "root" : "0"), getuid() == 0);
        snprintf(buf, sizeof buf, "%u", (unsigned) getuid());
        ck_assert_int_eq(test_one(CONDITION_USER, false, buf), 1);
        snprintf(buf, sizeof buf, "%u", (unsigned) getgid());
        ck_assert_int_eq(test_one(CONDITION_GROUP, false, buf), 1);
        ck_assert_int_eq(test_one(CONDITION_CAPABILITY, false, "CAP_CHOWN"), 1);
        ck_assert_int_lt(test_one(CONDITION_CAPABILITY, false, "CAP_NOPE"), 0);
        ck_assert_int_eq(test_one(CONDITION_SECURITY, false, "no-such-lsm"), 0);
        ck_assert_int_eq(test_one(CONDITION_FIRMWARE, false, "no-such-firmware"), 0);
        ck_assert_int_eq(test_one(CONDITION_CREDENTIAL, false, "../x"), 0);
        ck_assert_int_eq(test_one(CONDITION_NEEDS_UPDATE, false, "relative"), 1);
        ck_assert_int_ge(test_one(CONDITION_AC_POWER, false, "true"), 0);
        ck_assert_int_ge(test_one(CONDITION_CPU_FEATURE, false, "no-such-flag"), 0);
        ck_assert_int_eq(test_one(CONDITION_CPU_FEATURE, false, "no-such-flag"), 0);
        ck_assert_int_ge(test_one(CONDITION_CONTROL_GROUP_CONTROLLER, false, "v2"), 0);
        ck_assert_int_eq(test_one(CONDITION_OS_RELEASE, false, "NO_SUCH_KEY_X=1"), 0);
        ck_assert_int_ge(test_one(CONDITION_MEMORY_PRESSURE, false, "100%"), 0);
        if (read_full_file("/proc/cmdline", 0, &cmdline, NULL) >= 0 && cmdline[0] && cmdline[0] != '\n') {
                char word[256] = "";
                sscanf(cmdline, "%255s", word);
                ck_assert_int_eq(test_one(CONDITION_KERNEL_COMMAND_LINE, false, word), 1);
        }
        ck_assert_int_eq(test_one(CONDITION_KERNEL_COMMAND_LINE, false, "no.such.option=42"), 0);
}
END_TEST

/* The machine's answer must be that of systemd-detect-virt (when installed). */
START_TEST(test_virtualization_matches_systemd) {
        char out[64] = "";
        FILE *f = popen("systemd-detect-virt 2>/dev/null", "r");
        bool none;

        if (!f || !fgets(out, sizeof out, f)) {
                if (f)
                        pclose(f);
                fprintf(stderr, "systemd-detect-virt not available, skipping the comparison\n");
                return;
        }
        pclose(f);
        out[strcspn(out, "\n")] = 0;
        none = streq(out, "none");
        ck_assert_int_eq(test_one(CONDITION_VIRTUALIZATION, false, "yes"), !none);
        ck_assert_int_eq(test_one(CONDITION_VIRTUALIZATION, false, "no"), none);
        if (!none)
                ck_assert_int_eq(test_one(CONDITION_VIRTUALIZATION, false, out), 1);
        ck_assert_int_eq(test_one(CONDITION_VIRTUALIZATION, false, "no-such-virt"), 0);
}
END_TEST

START_TEST(test_names) {
        ck_assert_str_eq(condition_type_to_string(CONDITION_PATH_EXISTS), "ConditionPathExists");
        ck_assert_str_eq(assert_type_to_string(CONDITION_AC_POWER), "AssertACPower");
        ck_assert_int_eq(condition_type_from_string("ConditionCPUs"), CONDITION_CPUS);
        ck_assert_int_eq(assert_type_from_string("AssertHost"), CONDITION_HOST);
        ck_assert_int_lt(condition_type_from_string("AssertHost"), 0);
        ck_assert_str_eq(condition_result_to_string(CONDITION_FAILED), "failed");
}
END_TEST

/* ---- lists, on units loaded from files ---- */

static UnitTree t;

static Unit *load_target(Manager *m, const char *name, const char *unit_section) {
        char content[2048];
        Unit *u;

        snprintf(content, sizeof content, "[Unit]\n%s", unit_section);
        unit_tree_write(t.usr, name, content);
        ck_assert_int_eq(manager_load_unit(m, name, &u), 0);
        ck_assert_str_eq(unit_load_state_to_string(u->load_state), "loaded");
        return u;
}

static void list_setup(void) {
        setup();
        unit_tree_init(&t);
}

static void list_teardown(void) {
        unit_tree_done(&t);
        teardown();
}

static Condition *find(Unit *u, ConditionType type, bool trigger, bool negate) {
        for (size_t i = 0; i < u->n_conditions; i++)
                if (u->conditions[i].type == type && u->conditions[i].trigger == trigger &&
                    u->conditions[i].negate == negate)
                        return &u->conditions[i];
        return NULL;
}

START_TEST(test_list_semantics) {
        _cleanup_(manager_freep) Manager *m = unit_tree_manager(&t);
        Condition *full, *nope, *zero, *not_zero;
        char body[1024];
        Unit *u;

        snprintf(body, sizeof body,
                 "ConditionPathExists=%s/full\n"
                 "ConditionPathExists=!%s/nope\n"
                 "ConditionPathIsDirectory=|%s/zero\n"
                 "ConditionPathIsDirectory=| !%s/zero\n"
                 "ConditionPathExists=relative/ignored\n"
                 "AssertPathExists=%s/nope\n", dir, dir, dir, dir, dir);
        u = load_target(m, "a.target", body);
        /* the relative path is dropped with a warning, as 252 */
        ck_assert_uint_eq(u->n_conditions, 4);
        ck_assert_uint_eq(u->n_asserts, 1);
        full = find(u, CONDITION_PATH_EXISTS, false, false);
        nope = find(u, CONDITION_PATH_EXISTS, false, true);
        zero = find(u, CONDITION_PATH_IS_DIRECTORY, true, false);
        not_zero = find(u, CONDITION_PATH_IS_DIRECTORY, true, true);
        ck_assert(full && nope && zero && not_zero);
        ck_assert_int_eq(condition_dbus_state(full), 0);
        ck_assert(condition_list_test(u, u->conditions, u->n_conditions, m->environment, false));
        ck_assert_int_eq(condition_dbus_state(full), 1);
        ck_assert_int_eq(condition_dbus_state(nope), 1);
        ck_assert_int_eq(condition_dbus_state(zero), -1);
        ck_assert_int_eq(condition_dbus_state(not_zero), 1);
        ck_assert(!condition_list_test(u, u->asserts, u->n_asserts, m->environment, true));
}
END_TEST

START_TEST(test_list_triggers_all_fail) {
        _cleanup_(manager_freep) Manager *m = unit_tree_manager(&t);
        char body[1024];
        Unit *u;

        snprintf(body, sizeof body, "ConditionPathExists=|%s/nope1\nConditionPathExists=|%s/nope2\n", dir, dir);
        u = load_target(m, "b.target", body);
        ck_assert(!condition_list_test(u, u->conditions, u->n_conditions, NULL, false));
        /* only triggers, one passing: passes */
        snprintf(body, sizeof body, "ConditionPathExists=|%s/nope1\nConditionPathExists=|%s/full\n", dir, dir);
        u = load_target(m, "c.target", body);
        ck_assert(condition_list_test(u, u->conditions, u->n_conditions, NULL, false));
        /* no conditions: passes */
        u = load_target(m, "d.target", "Description=x\n");
        ck_assert(condition_list_test(u, u->conditions, u->n_conditions, NULL, false));
}
END_TEST

/* The first failing non-trigger condition ends the test: later ones stay untested (0). */
START_TEST(test_list_stops_at_first_failure) {
        _cleanup_(manager_freep) Manager *m = unit_tree_manager(&t);
        LogCapture cap;
        char body[1024], expected[256];
        Unit *u;

        snprintf(body, sizeof body, "ConditionPathExists=%s/nope\nConditionPathExists=%s/full\n", dir, dir);
        u = load_target(m, "e.target", body);
        log_capture_start(&cap);
        ck_assert(!condition_list_test(u, u->conditions, u->n_conditions, NULL, false));
        log_capture_stop();
        ck_assert_int_eq(condition_dbus_state(&u->conditions[0]), -1);
        ck_assert_int_eq(condition_dbus_state(&u->conditions[1]), 0);
        snprintf(expected, sizeof expected, "e.target: ConditionPathExists=%s/nope failed.", dir);
        ck_assert_log_contains(&cap, expected);
}
END_TEST

START_TEST(test_specifiers_and_env) {
        _cleanup_(manager_freep) Manager *m = unit_tree_manager(&t);
        char *const env[] = { (char *) "UNIT=f.target", NULL };
        Unit *u;

        u = load_target(m, "f.target", "ConditionEnvironment=UNIT=%n\n");
        ck_assert_uint_eq(u->n_conditions, 1);
        ck_assert_str_eq(u->conditions[0].parameter, "UNIT=f.target");
        ck_assert(condition_list_test(u, u->conditions, u->n_conditions, env, false));
}
END_TEST

/* unit_start(): a failed condition is -ECOMM (the job ends "done"), a failed assert -EPROTO,
 * both with the result and timestamp set. */
START_TEST(test_unit_start_conditions) {
        _cleanup_(manager_freep) Manager *m = unit_tree_manager(&t);
        char body[512];
        Unit *u;

        snprintf(body, sizeof body, "ConditionPathExists=%s/nope\n", dir);
        u = load_target(m, "g.target", body);
        ck_assert_int_eq(unit_start(u), -ECOMM);
        ck_assert(!u->condition_result);
        ck_assert(dual_timestamp_is_set(&u->condition_timestamp));
        ck_assert_int_eq(unit_active_state(u), UNIT_INACTIVE);

        snprintf(body, sizeof body, "AssertPathExists=%s/nope\n", dir);
        u = load_target(m, "h.target", body);
        ck_assert_int_eq(unit_start(u), -EPROTO);
        ck_assert(u->condition_result);
        ck_assert(!u->assert_result);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("condition");
        TCase *tc = tcase_create("tests");
        TCase *tl = tcase_create("lists");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_paths);
        tcase_add_test(tc, test_system);
        tcase_add_test(tc, test_virtualization_matches_systemd);
        tcase_add_test(tc, test_names);
        suite_add_tcase(s, tc);
        tcase_add_checked_fixture(tl, list_setup, list_teardown);
        tcase_add_test(tl, test_list_semantics);
        tcase_add_test(tl, test_list_triggers_all_fail);
        tcase_add_test(tl, test_list_stops_at_first_failure);
        tcase_add_test(tl, test_specifiers_and_env);
        tcase_add_test(tl, test_unit_start_conditions);
        suite_add_tcase(s, tl);
        return s;
}

TEST_MAIN(make_suite)
