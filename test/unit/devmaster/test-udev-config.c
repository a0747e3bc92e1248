/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev-config.c: the daemon's settings as systemd-udevd 252 takes them: udev.conf, the
 * command line and the kernel command line (udev-config.h), with bad values warned about and
 * ignored rather than fatal.
 */

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "test-helpers.h"
#include "udev-config.h"

static char *write_tmp(const char *text) {
        static char path[64];
        FILE *f;

        snprintf(path, sizeof path, "/tmp/test-udev-config.%d.conf", (int) getpid());
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
        return path;
}

START_TEST(test_defaults) {
        UdevConfig c;

        udev_config_init(&c);
        ck_assert_int_eq(c.log_level, -1);
        ck_assert_uint_eq(c.children_max, 0);
        ck_assert_uint_eq(c.event_timeout_usec, 180 * USEC_PER_SEC);
        ck_assert_uint_eq(c.exec_delay_usec, 0);
        ck_assert_int_eq(c.timeout_signal, SIGKILL);
        ck_assert_int_eq(c.resolve_name_timing, UDEV_RULES_RESOLVE_NAME_EARLY);
        ck_assert(!c.blockdev_read_only && !c.daemonize && !c.debug);
}
END_TEST

START_TEST(test_udev_conf) {
        UdevConfig c;
        LogCapture cap;
        char *p = write_tmp("# comment\n"
                            "udev_log=\"debug\"\n"
                            "children_max=4\n"
                            "exec_delay=2\n"
                            "event_timeout=1min\n"
                            "resolve_names=late\n"
                            "timeout_signal=SIGABRT\n");

        udev_config_init(&c);
        ck_assert_int_eq(udev_config_parse_file(&c, p), 0);
        ck_assert_int_eq(c.log_level, LOG_DEBUG);
        ck_assert_uint_eq(c.children_max, 4);
        ck_assert_uint_eq(c.exec_delay_usec, 2 * USEC_PER_SEC);
        ck_assert_uint_eq(c.event_timeout_usec, 60 * USEC_PER_SEC);
        ck_assert_int_eq(c.resolve_name_timing, UDEV_RULES_RESOLVE_NAME_LATE);
        ck_assert_int_eq(c.timeout_signal, SIGABRT);

        /* bad values: warned about, the previous setting stays */
        p = write_tmp("children_max=many\nresolve_names=sometimes\nudev_log=loud\n");
        log_capture_start(&cap);
        ck_assert_int_eq(udev_config_parse_file(&c, p), 0);
        log_capture_stop();
        ck_assert_uint_eq(c.children_max, 4);
        ck_assert_int_eq(c.resolve_name_timing, UDEV_RULES_RESOLVE_NAME_LATE);
        ck_assert_int_eq(c.log_level, LOG_DEBUG);
        ck_assert_log_contains(&cap, "failed to set parse children_max=many, ignoring");
        ck_assert_log_contains(&cap, "failed to set parse resolve_names=sometimes, ignoring.");
        ck_assert_log_contains(&cap, "failed to set udev log level 'loud', ignoring");
        unlink(p);

        /* no file is fine */
        ck_assert_int_eq(udev_config_parse_file(&c, "/nonexistent/udev.conf"), 0);
}
END_TEST

START_TEST(test_kernel_cmdline) {
        UdevConfig c;
        LogCapture cap;

        udev_config_init(&c);
        ck_assert_int_eq(setenv("SYSTEMD_IN_INITRD", "0", 1), 0);
        log_capture_start(&cap);
        ck_assert_int_eq(udev_config_parse_cmdline(&c,
                                                   "root=/dev/vda1 quiet udev.children-max=3 udev.log_priority=info "
                                                   "udev.event_timeout=30 udev.exec_delay=1 udev.timeout_signal=SIGINT "
                                                   "rd.udev.children_max=9 udev.bogus=1 udev.blockdev_read_only"),
                         0);
        log_capture_stop();
        ck_assert_uint_eq(c.children_max, 3); /* rd.* only counts in the initrd */
        ck_assert_int_eq(c.log_level, LOG_INFO);
        ck_assert_uint_eq(c.event_timeout_usec, 30 * USEC_PER_SEC);
        ck_assert_uint_eq(c.exec_delay_usec, USEC_PER_SEC);
        ck_assert_int_eq(c.timeout_signal, SIGINT);
        ck_assert(c.blockdev_read_only);
        ck_assert_log_contains(&cap, "Unknown udev kernel command line option \"udev.bogus\", ignoring.");

        ck_assert_int_eq(setenv("SYSTEMD_IN_INITRD", "1", 1), 0);
        ck_assert_int_eq(udev_config_parse_cmdline(&c, "rd.udev.children_max=9 udev.log_level=7"), 0);
        ck_assert_uint_eq(c.children_max, 9);
        ck_assert_int_eq(c.log_level, LOG_DEBUG);

        log_capture_start(&cap);
        ck_assert_int_eq(udev_config_parse_cmdline(&c, "udev.children_max=x udev.exec_delay"), 0);
        log_capture_stop();
        ck_assert_uint_eq(c.children_max, 9);
        ck_assert_log_contains(&cap, "Failed to parse \"udev.children_max=x\", ignoring");
        ck_assert_log_contains(&cap, "Missing argument for udev.exec_delay= kernel command line switch");

        /* NULL: the kernel's command line, which $SYSTEMD_PROC_CMDLINE stands in for */
        ck_assert_int_eq(setenv("SYSTEMD_PROC_CMDLINE", "quiet udev.children_max=4", 1), 0);
        ck_assert_int_eq(udev_config_parse_cmdline(&c, NULL), 0);
        ck_assert_uint_eq(c.children_max, 4);
        ck_assert_int_eq(unsetenv("SYSTEMD_PROC_CMDLINE"), 0);
        ck_assert_int_eq(unsetenv("SYSTEMD_IN_INITRD"), 0);
}
END_TEST

START_TEST(test_argv) {
        UdevConfig c;
        char *argv[] = { (char *) "devmaster",
                         (char *) "--daemon",
                         (char *) "-D",
                         (char *) "--children-max=5",
                         (char *) "--exec-delay=3",
                         (char *) "--event-timeout=10",
                         (char *) "--resolve-names=never",
                         (char *) "--timeout-signal=SIGTERM",
                         NULL };
        char *bad[] = { (char *) "devmaster", (char *) "--children-max=lots", (char *) "-N", (char *) "x", NULL };
        char *unknown[] = { (char *) "devmaster", (char *) "--frobnicate", NULL };

        udev_config_init(&c);
        ck_assert_int_eq(udev_config_parse_argv(&c, ELEMENTSOF(argv) - 1, argv), 1);
        ck_assert(c.daemonize && c.debug);
        ck_assert_uint_eq(c.children_max, 5);
        ck_assert_uint_eq(c.exec_delay_usec, 3 * USEC_PER_SEC);
        ck_assert_uint_eq(c.event_timeout_usec, 10 * USEC_PER_SEC);
        ck_assert_int_eq(c.resolve_name_timing, UDEV_RULES_RESOLVE_NAME_NEVER);
        ck_assert_int_eq(c.timeout_signal, SIGTERM);

        /* unparsable values are ignored, as udevd ignores them */
        ck_assert_int_eq(udev_config_parse_argv(&c, ELEMENTSOF(bad) - 1, bad), 1);
        ck_assert_uint_eq(c.children_max, 5);
        ck_assert_int_eq(c.resolve_name_timing, UDEV_RULES_RESOLVE_NAME_NEVER);

        ck_assert_int_eq(udev_config_parse_argv(&c, ELEMENTSOF(unknown) - 1, unknown), -EINVAL);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("udev-config");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_defaults);
        tcase_add_test(tc, test_udev_conf);
        tcase_add_test(tc, test_kernel_cmdline);
        tcase_add_test(tc, test_argv);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
