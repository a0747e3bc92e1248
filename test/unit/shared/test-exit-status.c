/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-exit-status.c: exit status names ("status=203/EXEC") and the SuccessExitStatus= /
 * RestartPreventExitStatus= value type, as systemd 252 defines them.
 */

#include <sys/wait.h>
#include <sysexits.h>

#include "exit-status.h"
#include "fd-util.h"
#include "signal-util.h"
#include "strv.h"
#include "test-helpers.h"

START_TEST(test_table) {
        static const struct {
                int status;
                const char *name;
        } systemd_codes[] = {
                { 200, "CHDIR" }, { 201, "NICE" }, { 202, "FDS" }, { 203, "EXEC" }, { 204, "MEMORY" },
                { 205, "LIMITS" }, { 206, "OOM_ADJUST" }, { 207, "SIGNAL_MASK" }, { 208, "STDIN" },
                { 209, "STDOUT" }, { 210, "CHROOT" }, { 211, "IOPRIO" }, { 212, "TIMERSLACK" },
                { 213, "SECUREBITS" }, { 214, "SETSCHEDULER" }, { 215, "CPUAFFINITY" }, { 216, "GROUP" },
                { 217, "USER" }, { 218, "CAPABILITIES" }, { 219, "CGROUP" }, { 220, "SETSID" },
                { 221, "CONFIRM" }, { 222, "STDERR" }, { 224, "PAM" }, { 225, "NETWORK" },
                { 226, "NAMESPACE" }, { 227, "NO_NEW_PRIVILEGES" }, { 228, "SECCOMP" },
                { 229, "SELINUX_CONTEXT" }, { 230, "PERSONALITY" }, { 231, "APPARMOR" },
                { 232, "ADDRESS_FAMILIES" }, { 233, "RUNTIME_DIRECTORY" }, { 235, "CHOWN" },
                { 236, "SMACK_PROCESS_LABEL" }, { 237, "KEYRING" }, { 238, "STATE_DIRECTORY" },
                { 239, "CACHE_DIRECTORY" }, { 240, "LOGS_DIRECTORY" }, { 241, "CONFIGURATION_DIRECTORY" },
                { 242, "NUMA_POLICY" }, { 243, "CREDENTIALS" }, { 244, "BPF" }, { 255, "EXCEPTION" },
        };

        for (size_t i = 0; i < ELEMENTSOF(systemd_codes); i++) {
                ck_assert_str_eq(exit_status_to_string(systemd_codes[i].status, EXIT_STATUS_SYSTEMD),
                                 systemd_codes[i].name);
                ck_assert_str_eq(exit_status_to_string(systemd_codes[i].status, EXIT_STATUS_FULL),
                                 systemd_codes[i].name);
                ck_assert_ptr_null(exit_status_to_string(systemd_codes[i].status, EXIT_STATUS_LSB));
                ck_assert_int_eq(exit_status_from_string(systemd_codes[i].name), systemd_codes[i].status);
                ck_assert_str_eq(exit_status_class(systemd_codes[i].status), "systemd");
        }
        ck_assert_int_eq(EXIT_EXEC, 203);
        ck_assert_int_eq(EXIT_NAMESPACE, 226);
        ck_assert_int_eq(EXIT_BPF, 244);

        /* reserved and unassigned codes have no name */
        ck_assert_ptr_null(exit_status_to_string(223, EXIT_STATUS_FULL));
        ck_assert_ptr_null(exit_status_to_string(234, EXIT_STATUS_FULL));
        ck_assert_ptr_null(exit_status_to_string(245, EXIT_STATUS_FULL));
        ck_assert_ptr_null(exit_status_to_string(100, EXIT_STATUS_FULL));
        ck_assert_ptr_null(exit_status_to_string(-1, EXIT_STATUS_FULL));
        ck_assert_ptr_null(exit_status_to_string(256, EXIT_STATUS_FULL));
        ck_assert_ptr_null(exit_status_class(100));

        ck_assert_str_eq(exit_status_to_string(0, EXIT_STATUS_GLIBC), "SUCCESS");
        ck_assert_str_eq(exit_status_to_string(1, EXIT_STATUS_LIBC), "FAILURE");
        ck_assert_str_eq(exit_status_class(1), "libc");
        ck_assert_ptr_null(exit_status_to_string(1, EXIT_STATUS_SYSTEMD));

        ck_assert_str_eq(exit_status_to_string(2, EXIT_STATUS_LSB), "INVALIDARGUMENT");
        ck_assert_str_eq(exit_status_to_string(3, EXIT_STATUS_LSB), "NOTIMPLEMENTED");
        ck_assert_str_eq(exit_status_to_string(4, EXIT_STATUS_LSB), "NOPERMISSION");
        ck_assert_str_eq(exit_status_to_string(5, EXIT_STATUS_LSB), "NOTINSTALLED");
        ck_assert_str_eq(exit_status_to_string(6, EXIT_STATUS_LSB), "NOTCONFIGURED");
        ck_assert_str_eq(exit_status_to_string(7, EXIT_STATUS_LSB), "NOTRUNNING");
        ck_assert_str_eq(exit_status_class(7), "LSB");
        ck_assert_ptr_null(exit_status_to_string(2, EXIT_STATUS_SYSTEMD | EXIT_STATUS_GLIBC));

        ck_assert_str_eq(exit_status_to_string(EX_USAGE, EXIT_STATUS_BSD), "USAGE");
        ck_assert_str_eq(exit_status_to_string(EX_CONFIG, EXIT_STATUS_BSD), "CONFIG");
        ck_assert_str_eq(exit_status_to_string(EX_TEMPFAIL, EXIT_STATUS_FULL), "TEMPFAIL");
        ck_assert_str_eq(exit_status_class(EX_NOPERM), "BSD");
}
END_TEST

START_TEST(test_from_string) {
        ck_assert_int_eq(exit_status_from_string("EXEC"), 203);
        ck_assert_int_eq(exit_status_from_string("INVALIDARGUMENT"), 2);
        ck_assert_int_eq(exit_status_from_string("SUCCESS"), 0);
        ck_assert_int_eq(exit_status_from_string("USAGE"), 64);
        ck_assert_int_eq(exit_status_from_string("0"), 0);
        ck_assert_int_eq(exit_status_from_string("255"), 255);
        ck_assert_int_eq(exit_status_from_string("256"), -ERANGE);
        ck_assert_int_eq(exit_status_from_string("-1"), -ERANGE);
        ck_assert_int_eq(exit_status_from_string("exec"), -EINVAL);
        ck_assert_int_eq(exit_status_from_string("EXIT_EXEC"), -EINVAL);
        ck_assert_int_eq(exit_status_from_string("APPARMOR_PROFILE"), -EINVAL);
        ck_assert_int_eq(exit_status_from_string(""), -EINVAL);
        ck_assert_int_eq(exit_status_from_string(NULL), -EINVAL);

        /* every name round-trips */
        for (int i = 0; i < 256; i++) {
                const char *n = exit_status_to_string(i, EXIT_STATUS_FULL);
                if (n)
                        ck_assert_int_eq(exit_status_from_string(n), i);
        }
}
END_TEST

START_TEST(test_set_parse) {
        _cleanup_strv_free_ char **bad = NULL;
        _cleanup_free_ char *f = NULL;
        ExitStatusSet set = {};

        ck_assert(exit_status_set_is_empty(&set));
        ck_assert(exit_status_set_is_empty(NULL));

        /* systemd.service(5): SuccessExitStatus=TEMPFAIL 250 SIGKILL */
        ck_assert_int_eq(exit_status_set_parse_line(&set, "TEMPFAIL 250 SIGKILL", NULL), 0);
        ck_assert(exit_status_set_has_status(&set, EX_TEMPFAIL));
        ck_assert(exit_status_set_has_status(&set, 250));
        ck_assert(exit_status_set_has_signal(&set, SIGKILL));
        ck_assert(!exit_status_set_has_signal(&set, SIGTERM));
        ck_assert(!exit_status_set_has_status(&set, 9));
        f = exit_status_set_format(&set);
        ck_assert_str_eq(f, "75 250 KILL");
        f = mfree(f);

        /* more lines add; numbers are statuses, not signals; bad words are reported and skipped */
        ck_assert_int_eq(exit_status_set_parse_line(&set, "  1 15   TERM  HUP EXEC bogus 256 SIG99 ", &bad), 3);
        ck_assert_int_eq((int) strv_length(bad), 3);
        ck_assert_str_eq(bad[0], "bogus");
        ck_assert_str_eq(bad[1], "256");
        ck_assert_str_eq(bad[2], "SIG99");
        ck_assert(exit_status_set_has_status(&set, 15));
        ck_assert(exit_status_set_has_signal(&set, SIGTERM));
        ck_assert(exit_status_set_has_status(&set, 1));
        ck_assert(!exit_status_set_has_signal(&set, 15 + 1)); /* numbers never go to the signals */
        f = exit_status_set_format(&set);
        ck_assert_str_eq(f, "1 15 75 203 250 HUP KILL TERM");
        f = mfree(f);

        /* real-time signals print as RTMIN+n */
        ck_assert_int_eq(exit_status_set_parse_line(&set, "SIGRTMIN+3", NULL), 0);
        f = exit_status_set_format(&set);
        ck_assert_str_eq(f, "1 15 75 203 250 HUP KILL TERM RTMIN+3");
        f = mfree(f);

        /* a trailing backslash makes the rest unparseable; what came before is kept */
        ck_assert_int_eq(exit_status_set_parse_line(&set, "42 \\", NULL), -EINVAL);
        ck_assert(exit_status_set_has_status(&set, 42));

        /* an empty value resets */
        ck_assert_int_eq(exit_status_set_parse_line(&set, "", NULL), 0);
        ck_assert(exit_status_set_is_empty(&set));
        f = exit_status_set_format(&set);
        ck_assert_str_eq(f, "");
        f = mfree(f);

        ck_assert_int_eq(exit_status_set_add_status(&set, 256), -ERANGE);
        ck_assert_int_eq(exit_status_set_add_signal(&set, 0), -ERANGE);
        ck_assert_int_eq(exit_status_set_add_signal(&set, _NSIG), -ERANGE);
        ck_assert_int_eq(exit_status_set_add_signal(&set, SIGRTMAX), 0);
        ck_assert(exit_status_set_has_signal(&set, SIGRTMAX));
        exit_status_set_clear(&set);
        ck_assert(exit_status_set_is_empty(&set));
}
END_TEST

START_TEST(test_clean_exit) {
        ExitStatusSet set = {};

        ck_assert_int_eq(exit_status_set_parse_line(&set, "3 SIGUSR1", NULL), 0);

        ck_assert(exit_status_set_test(&set, CLD_EXITED, 3));
        ck_assert(!exit_status_set_test(&set, CLD_EXITED, SIGUSR1));
        ck_assert(exit_status_set_test(&set, CLD_KILLED, SIGUSR1));
        ck_assert(exit_status_set_test(&set, CLD_DUMPED, SIGUSR1));
        ck_assert(!exit_status_set_test(&set, CLD_KILLED, 3));

        ck_assert(is_clean_exit(CLD_EXITED, 0, EXIT_CLEAN_COMMAND, NULL));
        ck_assert(!is_clean_exit(CLD_EXITED, 1, EXIT_CLEAN_COMMAND, NULL));
        ck_assert(is_clean_exit(CLD_EXITED, 3, EXIT_CLEAN_COMMAND, &set));
        ck_assert(!is_clean_exit(CLD_EXITED, 4, EXIT_CLEAN_DAEMON, &set));
        /* daemons may die of the usual termination signals */
        ck_assert(is_clean_exit(CLD_KILLED, SIGTERM, EXIT_CLEAN_DAEMON, NULL));
        ck_assert(is_clean_exit(CLD_KILLED, SIGHUP, EXIT_CLEAN_DAEMON, NULL));
        ck_assert(is_clean_exit(CLD_KILLED, SIGINT, EXIT_CLEAN_DAEMON, NULL));
        ck_assert(is_clean_exit(CLD_KILLED, SIGPIPE, EXIT_CLEAN_DAEMON, NULL));
        ck_assert(!is_clean_exit(CLD_KILLED, SIGTERM, EXIT_CLEAN_COMMAND, NULL));
        ck_assert(!is_clean_exit(CLD_KILLED, SIGKILL, EXIT_CLEAN_DAEMON, NULL));
        ck_assert(is_clean_exit(CLD_KILLED, SIGUSR1, EXIT_CLEAN_COMMAND, &set));
        /* a core dump is never clean */
        ck_assert(!is_clean_exit(CLD_DUMPED, SIGUSR1, EXIT_CLEAN_DAEMON, &set));
        ck_assert(!is_clean_exit(CLD_DUMPED, SIGTERM, EXIT_CLEAN_DAEMON, NULL));
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("exit-status");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_table);
        tcase_add_test(tc, test_from_string);
        tcase_add_test(tc, test_set_parse);
        tcase_add_test(tc, test_clean_exit);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
