/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-main-args: how the manager picks its default target and log settings from its argv and
 * the kernel command line, as systemd does (argv wins; runlevel words; bad values ignored with a
 * message or refused for options).
 */

#include "exec-context.h"
#include "main-args.h"
#include "strv.h"
#include "test-helpers.h"

START_TEST(test_kernel_cmdline) {
        _cleanup_(main_args_done) MainArgs a = MAIN_ARGS_INIT;

        ck_assert_int_eq(main_args_parse_kernel_cmdline(&a,
                "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet systemd.unit=multi-user.target "
                "systemd.wants=foo.service systemd.wants=foo.service systemd.wants=bar@1.service "
                "systemd.log_level=debug systemd.log_target=kmsg \"x=a b\"\n"), 0);
        ck_assert_str_eq(a.default_unit, "multi-user.target");
        ck_assert_int_eq(strv_length(a.wants), 2);
        ck_assert_str_eq(a.wants[0], "foo.service");
        ck_assert_str_eq(a.wants[1], "bar@1.service");
        ck_assert_int_eq(a.log_level, LOG_DEBUG);
        ck_assert_int_eq(a.log_target, LOG_TARGET_KMSG);
}
END_TEST

START_TEST(test_runlevels_and_bad_values) {
        _cleanup_(main_args_done) MainArgs a = MAIN_ARGS_INIT;
        LogCapture c;

        log_capture_start(&c);
        ck_assert_int_eq(main_args_parse_kernel_cmdline(&a, "single systemd.log_level=loud systemd.unit=bad"), 0);
        log_capture_stop();
        ck_assert_str_eq(a.default_unit, "rescue.target");
        ck_assert_int_eq(a.log_level, -1);
        ck_assert_log_contains(&c, "Failed to parse log level \"loud\", ignoring.");
        ck_assert_log_contains(&c, "Unit name specified on kernel command line is not valid, ignoring: bad");

        main_args_done(&a);
        ck_assert_int_eq(main_args_parse_kernel_cmdline(&a, "3"), 0);
        ck_assert_str_eq(a.default_unit, "runlevel3.target");
        main_args_done(&a);
        ck_assert_int_eq(main_args_parse_kernel_cmdline(&a, "systemd.unit=graphical.target emergency"), 0);
        ck_assert_str_eq(a.default_unit, "graphical.target"); /* an explicit unit wins */
}
END_TEST

START_TEST(test_argv) {
        _cleanup_(main_args_done) MainArgs a = MAIN_ARGS_INIT;
        char *ok[] = { "sysmaster", "--system", "--log-level=info", "--unit=rescue.target", "quiet", NULL };
        char *bad_option[] = { "sysmaster", "--frobnicate", NULL };
        char *bad_unit[] = { "sysmaster", "--unit=nonsense", NULL };
        LogCapture c;

        ck_assert_int_eq(main_args_parse_kernel_cmdline(&a, "systemd.unit=multi-user.target"), 0);
        ck_assert_int_eq(main_args_parse_argv(&a, 5, ok), 0);
        ck_assert_str_eq(a.default_unit, "rescue.target"); /* argv wins */
        ck_assert_int_eq(a.log_level, LOG_INFO);

        log_capture_start(&c);
        ck_assert_int_eq(main_args_parse_argv(&a, 2, bad_option), -EINVAL);
        ck_assert_int_eq(main_args_parse_argv(&a, 2, bad_unit), -EINVAL);
        log_capture_stop();
        ck_assert_log_contains(&c, "Unknown option --frobnicate.");
        ck_assert_log_contains(&c, "Failed to set default unit \"nonsense\": Invalid argument");
}
END_TEST

/* systemd's --default-standard-output=/--default-standard-error= (the benchmark passes null to
 * both managers); a bad value is refused like a bad log level. */
START_TEST(test_default_output) {
        _cleanup_(main_args_done) MainArgs a = MAIN_ARGS_INIT;
        char *const ok[] = { (char *) "sysmaster", (char *) "--default-standard-output=null",
                             (char *) "--default-standard-error=journal+console", NULL };
        char *const bad[] = { (char *) "sysmaster", (char *) "--default-standard-error=loud", NULL };
        LogCapture c;

        ck_assert_int_eq(a.default_std_output, -1);
        ck_assert_int_eq(main_args_parse_argv(&a, 3, ok), 0);
        ck_assert_int_eq(a.default_std_output, EXEC_OUTPUT_NULL);
        ck_assert_int_eq(a.default_std_error, EXEC_OUTPUT_JOURNAL_AND_CONSOLE);
        log_capture_start(&c);
        ck_assert_int_eq(main_args_parse_argv(&a, 2, bad), -EINVAL);
        log_capture_stop();
        ck_assert_log_contains(&c, "Failed to parse default standard error \"loud\": Invalid argument");
        ck_assert_int_eq(a.default_std_error, EXEC_OUTPUT_JOURNAL_AND_CONSOLE);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("main-args");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_kernel_cmdline);
        tcase_add_test(tc, test_runlevels_and_bad_values);
        tcase_add_test(tc, test_argv);
        tcase_add_test(tc, test_default_output);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
