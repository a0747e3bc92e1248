/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-spawn-util.c: a program started with spawn_program_vfork() (devmaster's rule programs)
 * gets the given stdin/stdout/stderr and no other fd, every signal at its default (even with a
 * handler and ignored signals in the caller) and none blocked; a program that cannot be
 * executed is an error of the call, with nothing left to reap; the caller's signal state is
 * as before.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn-util.h"
#include "test-helpers.h"

static void on_usr1(int sig) {
        (void) sig;
}

/* Runs argv (argv[0] a path) with stdout on a pipe; returns what it wrote (static buffer). */
static const char *run(char *const argv[]) {
        static char out[4096];
        char *envp[] = { (char *) "PATH=/usr/bin:/bin", NULL };
        int p[2], status;
        size_t n = 0;
        ssize_t k;
        pid_t pid;

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        ck_assert_int_eq(spawn_program_vfork(argv[0], argv, envp, (const int[3]) { -1, p[1], -1 }, &pid), 0);
        close(p[1]);
        while ((k = read(p[0], out + n, sizeof out - 1 - n)) > 0)
                n += (size_t) k;
        out[n] = 0;
        close(p[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        return out;
}

/* Runs /bin/sh -c script, as run(). */
static const char *run_sh(const char *script) {
        return run((char *[]) { (char *) "/bin/sh", (char *) "-c", (char *) script, NULL });
}

START_TEST(test_signals) {
        struct sigaction sa = { .sa_handler = on_usr1 };
        sigset_t block, old;

        /* the caller: a handler, an ignored signal, a blocked one */
        ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
        ck_assert_ptr_ne(signal(SIGPIPE, SIG_IGN), SIG_ERR);
        sigemptyset(&block);
        sigaddset(&block, SIGUSR2);
        ck_assert_int_eq(sigprocmask(SIG_BLOCK, &block, &old), 0);

        /* The program itself reads its own status (SigBlk, then SigIgn), not a shell's child the
         * shell's: a shell may be caught with every signal blocked while it starts that child
         * (seen under load as SigBlk fffffffe7ffbfeff with "sh -c 'awk … /proc/$$/status'"). */
        ck_assert_str_eq(run((char *[]) { (char *) "/usr/bin/awk", (char *) "/^Sig(Ign|Blk)/ { print $2 }",
                                          (char *) "/proc/self/status", NULL }),
                         "0000000000000000\n0000000000000000\n");

        /* ours unchanged */
        ck_assert_ptr_eq(signal(SIGPIPE, SIG_DFL), SIG_IGN);
        ck_assert_int_eq(sigprocmask(SIG_SETMASK, &old, &block), 0);
        ck_assert(sigismember(&block, SIGUSR2));
        ck_assert_int_eq(sigaction(SIGUSR1, NULL, &sa), 0);
        ck_assert(sa.sa_handler == on_usr1);
}
END_TEST

START_TEST(test_fds) {
        int extra = open("/dev/null", O_RDONLY); /* not close-on-exec: must not reach it */

        ck_assert_int_ge(extra, 3);
        /* fds of the shell itself: 0, 1, 2 (stdout our pipe), and the directory ls reads */
        ck_assert_str_eq(run_sh("test -p /dev/stdout && ls /proc/self/fd | sort -n | tr '\\n' ' '"),
                         "0 1 2 3 ");
        close(extra);
}
END_TEST

START_TEST(test_exec_failure) {
        char *argv[] = { (char *) "/nonexistent/program", NULL };
        char *envp[] = { NULL };
        pid_t pid = 0;

        ck_assert_int_eq(spawn_program_vfork(argv[0], argv, envp, (const int[3]) { -1, -1, -1 }, &pid), -ENOENT);
        ck_assert_int_eq(pid, 0);
        /* nothing to reap */
        ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
        ck_assert_int_eq(errno, ECHILD);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("spawn-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_signals);
        tcase_add_test(tc, test_fds);
        tcase_add_test(tc, test_exec_failure);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
