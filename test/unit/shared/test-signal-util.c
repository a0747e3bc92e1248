/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-signal-util.c: signal names as KillSignal=, RestartKillSignal= and systemctl kill accept
 * and print them.
 */

#include <limits.h>
#include <stdio.h>

#include "signal-util.h"
#include "string-util.h"
#include "test-helpers.h"

/* s and "SIG" + s both parse to expected. */
static void assert_from_both(const char *s, int expected) {
        char buf[128];

        ck_assert_msg(signal_from_string(s) == expected, "\"%s\" → %d, expected %d", s,
                      signal_from_string(s), expected);
        snprintf(buf, sizeof buf, "SIG%s", s);
        ck_assert_msg(signal_from_string(buf) == expected, "\"%s\" → %d, expected %d", buf,
                      signal_from_string(buf), expected);
}

START_TEST(test_valid) {
        ck_assert(!SIGNAL_VALID(0));
        ck_assert(!SIGNAL_VALID(-1));
        ck_assert(SIGNAL_VALID(1));
        ck_assert(SIGNAL_VALID(SIGRTMAX));
        ck_assert(!SIGNAL_VALID(_NSIG));
        /* sysmaster, like systemd, uses SIGRTMIN+0 … SIGRTMIN+24 */
        ck_assert_int_ge(SIGRTMAX - SIGRTMIN, 24);
}
END_TEST

START_TEST(test_to_string) {
        ck_assert_str_eq(signal_to_string(SIGTERM), "SIGTERM");
        ck_assert_str_eq(signal_to_string(SIGKILL), "SIGKILL");
        ck_assert_str_eq(signal_to_string(SIGHUP), "SIGHUP");
        ck_assert_str_eq(signal_to_string(SIGCHLD), "SIGCHLD");
        ck_assert_str_eq(signal_to_string(SIGSYS), "SIGSYS");
        ck_assert_str_eq(signal_to_string(SIGRTMIN), "SIGRTMIN+0");
        ck_assert_str_eq(signal_to_string(SIGRTMIN + 3), "SIGRTMIN+3");
        ck_assert_str_eq(signal_to_string(0), "0");
        ck_assert_str_eq(signal_to_string(100), "100");
        ck_assert_str_eq(signal_to_string(-3), "-3");

        ck_assert_str_eq(signal_to_string_short(SIGTERM), "TERM");
        ck_assert_str_eq(signal_to_string_short(SIGRTMIN + 3), "RTMIN+3");
        ck_assert_str_eq(signal_to_string_short(200), "200");

        /* every valid signal round-trips, with or without prefix */
        for (int sig = 1; sig < _NSIG; sig++) {
                /* (glibc's reserved 32 and 33 have no name and print as numbers) */
                ck_assert_int_eq(signal_from_string(signal_to_string(sig)), sig);
                ck_assert_int_eq(signal_from_string(signal_to_string_short(sig)), sig);
        }
}
END_TEST

START_TEST(test_from_string) {
        const char *bad;
        char buf[64];

        ck_assert_int_eq(signal_from_string("SIGTERM"), SIGTERM);
        ck_assert_int_eq(signal_from_string("TERM"), SIGTERM);
        ck_assert_int_eq(signal_from_string("SIGKILL"), SIGKILL);
        ck_assert_int_eq(signal_from_string("WINCH"), SIGWINCH);
        assert_from_both("RTMIN", SIGRTMIN);
        assert_from_both("RTMAX", SIGRTMAX);
        assert_from_both("RTMIN+3", SIGRTMIN + 3);
        assert_from_both("RTMAX-1", SIGRTMAX - 1);
        snprintf(buf, sizeof buf, "RTMIN+%d", SIGRTMAX - SIGRTMIN);
        assert_from_both(buf, SIGRTMAX);
        snprintf(buf, sizeof buf, "RTMAX-%d", SIGRTMAX - SIGRTMIN);
        assert_from_both(buf, SIGRTMIN);
        snprintf(buf, sizeof buf, "RTMIN+%d", INT_MAX);
        assert_from_both(buf, -ERANGE);
        snprintf(buf, sizeof buf, "RTMAX-%d", INT_MAX);
        assert_from_both(buf, -ERANGE);
        assert_from_both("RTMIN+100", -ERANGE);
        assert_from_both("RTMAX-100", -ERANGE);

        FOREACH_STRING(bad, "", "hup", "term", "sigterm", "HOGEHOGE", "IOT", "POLL", "CLD",
                       "RTMIN-5", "RTMIN-    5", "RTMIN    -5", "RTMIN+    5", "RTMIN    +5",
                       "RTMIN+-3", "RTMIN++3", "RTMIN+HUP", "RTMIN3", "RTMAX+5", "RTMAX+    5",
                       "RTMAX-+3", "RTMAX--3", "RTMAX-HUP", "TERM ", " TERM")
                assert_from_both(bad, -EINVAL);
        ck_assert_int_eq(signal_from_string(NULL), -EINVAL);

        /* numbers; "SIG" + number is not a name */
        ck_assert_int_eq(signal_from_string("3"), 3);
        ck_assert_int_eq(signal_from_string("+5"), 5);
        ck_assert_int_eq(signal_from_string("  +5"), 5);
        ck_assert_int_eq(signal_from_string("15"), SIGTERM);
        ck_assert_int_eq(signal_from_string("SIG15"), -EINVAL);
        ck_assert_int_eq(signal_from_string("0"), -ERANGE);
        ck_assert_int_eq(signal_from_string("-2"), -ERANGE);
        ck_assert_int_eq(signal_from_string("10000"), -ERANGE);
        snprintf(buf, sizeof buf, "%d", _NSIG);
        ck_assert_int_eq(signal_from_string(buf), -ERANGE);
}
END_TEST

START_TEST(test_sigsets) {
        sigset_t ss, old, cur;

        ck_assert_int_eq(sigemptyset(&ss), 0);
        ck_assert_int_eq(sigset_add_many(&ss, SIGUSR1, 0, SIGUSR2, -1), 0);
        ck_assert(sigismember(&ss, SIGUSR1));
        ck_assert(sigismember(&ss, SIGUSR2));
        ck_assert(!sigismember(&ss, SIGTERM));
        ck_assert_int_eq(sigset_add_many(&ss, 1000, -1), -EINVAL);

        ck_assert_int_eq(sigprocmask_many(SIG_BLOCK, &old, SIGUSR1, SIGWINCH, -1), 0);
        ck_assert_int_eq(sigprocmask(SIG_SETMASK, NULL, &cur), 0);
        ck_assert(sigismember(&cur, SIGUSR1));
        ck_assert(sigismember(&cur, SIGWINCH));
        ck_assert_int_eq(sigprocmask(SIG_SETMASK, &old, NULL), 0);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("signal-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_valid);
        tcase_add_test(tc, test_to_string);
        tcase_add_test(tc, test_from_string);
        tcase_add_test(tc, test_sigsets);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
