/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-process-util.c: unit tests for proc_stat() (process-util.c): state, parent and start
 * time of this process equal what /proc/self/stat says (compared field by field with a plain
 * split of the line), a command name with ')' and spaces in it does not shift the fields, a
 * zombie child reads 'Z', and a PID that does not exist gives -ENOENT.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process-util.h"
#include "test-helpers.h"

/* field (1-based) of /proc/PID/stat, counted after the last ')' as field 3 */
static unsigned long long stat_field(pid_t pid, int field) {
        char path[64], buf[1024], *p, *save = NULL, *tok;
        FILE *f;
        size_t n;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        f = fopen(path, "re");
        ck_assert_ptr_nonnull(f);
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = 0;
        p = strrchr(buf, ')');
        ck_assert_ptr_nonnull(p);
        tok = strtok_r(p + 1, " ", &save);
        for (int i = 3; tok && i < field; i++)
                tok = strtok_r(NULL, " ", &save);
        ck_assert_ptr_nonnull(tok);
        return strtoull(tok, NULL, 10);
}

START_TEST(test_self) {
        ProcStat st = {};

        ck_assert_int_eq(proc_stat(getpid(), &st), 0);
        ck_assert_int_eq(st.state, 'R');
        ck_assert_int_eq(st.ppid, getppid());
        ck_assert_uint_eq(st.start_time, stat_field(getpid(), 22));
        ck_assert_uint_ne(st.start_time, 0);
}
END_TEST

START_TEST(test_odd_name) {
        ProcStat st = {};

        ck_assert_int_eq(prctl(PR_SET_NAME, "a) 1 2 (b) x"), 0);
        ck_assert_int_eq(proc_stat(getpid(), &st), 0);
        ck_assert_int_eq(st.state, 'R');
        ck_assert_int_eq(st.ppid, getppid());
        ck_assert_uint_eq(st.start_time, stat_field(getpid(), 22));
}
END_TEST

START_TEST(test_zombie_and_gone) {
        ProcStat st = {};
        siginfo_t si = {};
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(0);
        ck_assert_int_eq(waitid(P_PID, (id_t) pid, &si, WEXITED | WNOWAIT), 0);
        ck_assert_int_eq(proc_stat(pid, &st), 0);
        ck_assert_int_eq(st.state, 'Z');
        ck_assert_int_eq(st.ppid, getpid());
        ck_assert_uint_eq(st.start_time, stat_field(pid, 22));
        ck_assert_int_eq(waitid(P_PID, (id_t) pid, &si, WEXITED), 0);
        ck_assert_int_eq(proc_stat(pid, &st), -ENOENT);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("process-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_self);
        tcase_add_test(tc, test_odd_name);
        tcase_add_test(tc, test_zombie_and_gone);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
