/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-init-link: the manager's end of the init protocol against the real sysmaster-init,
 * run as a subreaper (not PID 1) with init-link-probe as its manager: the fd store survives a
 * manager's death, the exit record of a process that outlived its manager reaches the next one
 * exactly once, and the shutdown request ends init with the status asked for.
 */

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "test-helpers.h"

START_TEST(test_store_records_and_shutdown) {
        char dir[] = "/tmp/test-init-link.XXXXXX", log[64], init[512], probe[512];
        _cleanup_free_ char *text = NULL;
        const char *build = getenv("top_builddir");
        int status;
        pid_t pid;

        if (!build)
                build = ".";
        snprintf(init, sizeof(init), "%s/sysmaster-init", build);
        snprintf(probe, sizeof(probe), "%s/init-link-probe", build);
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(log, sizeof(log), "%s/log", dir);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                setenv("SYSMASTER_CORE", probe, 1);
                setenv("SYSMASTER_HEARTBEAT_USEC", "0", 1);
                setenv("PROBE_LOG", log, 1);
                execl(init, init, (char *) NULL);
                _exit(127);
        }
        alarm(60);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        alarm(0);
        ck_assert_int_eq(read_full_file(log, 1 << 20, &text, NULL), 0);
        fprintf(stderr, "%s", text);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "init ended with status 0x%x", status);
        /* FDSTORE_END says how many records init dropped from a full ring: none */
        ck_assert_ptr_nonnull(strstr(text, "gen1: store received dropped=0"));
        ck_assert_ptr_nonnull(strstr(text, "gen2: store received dropped=0"));
        ck_assert_ptr_nonnull(strstr(text, "gen1: put 0"));
        ck_assert_ptr_nonnull(strstr(text, "gen2: fd probe n=1 data=from gen1"));
        ck_assert_ptr_nonnull(strstr(text, "code=1 status=7 n=1")); /* CLD_EXITED, once */
        ck_assert_ptr_null(strstr(text, "n=2"));
        ck_assert_ptr_nonnull(strstr(text, "gen2: shutdown"));
        (void) unlink(log);
        (void) rmdir(dir);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("init-link");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_store_records_and_shutdown);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
