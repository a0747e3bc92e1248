/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-gate-pass: gate_pass() (gate-pass.h), the last step of a start that shares the spawn
 * server's memory, run here in a forked process on a copy made by gate_pass_copy(), with the
 * build tree's sysmaster-executor as the report: the command runs only once the gate says go
 * (with its argv and environment, and none of the gate's fds: exec_fd's reader sees 1 and then
 * EOF); a gate
 * closed unopened ends it with 250 and no command; a command that is no program ends with 203,
 * 0 on exec_fd and the helper's "Failed to execute" message; when exec_fd cannot be written it
 * runs nothing and the message names that step.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "executor/gate-pass.h"
#include "test-helpers.h"

#if HAVE_GATE

typedef struct GateRun {
        int status;       /* wait() status */
        char log[4096];   /* what went to log_fd */
        char exec[8];     /* what exec_fd's reader got, as "1", "10", "" */
        bool ran;         /* the command created the marker file */
} GateRun;

static char dir[] = "/tmp/test-gate-pass.XXXXXX";

/* Runs gate_pass() in a new process: gate: 1 opened, 0 closed unopened; exec_fd: 1 with a
 * reader, 0 without one, -1 none. The command is path run as "sh -c SCRIPT": for /bin/sh, it
 * creates the marker if its environment is GATE_TEST=1 and none of the fds handed to the gate
 * (none close-on-exec here, as they may be in the helper) is open in it. */
static void run_gate(int gate, int exec_fd_mode, const char *path, GateRun *ret) {
        char marker[64], executor[512], log_fd_word[12];
        const char *build = getenv("top_builddir");
        int gate_pipe[2], exec_pipe[2] = { -1, -1 }, log_pipe[2];
        pid_t pid;

        snprintf(marker, sizeof marker, "%s/ran", dir);
        snprintf(executor, sizeof executor, "%s/sysmaster-executor", build ? build : ".");
        (void) unlink(marker);
        ck_assert_int_eq(pipe2(gate_pipe, 0), 0);
        ck_assert_int_eq(pipe2(log_pipe, 0), 0);
        ck_assert_int_eq(fcntl(log_pipe[0], F_SETFD, FD_CLOEXEC), 0);
        if (exec_fd_mode >= 0) {
                ck_assert_int_eq(pipe2(exec_pipe, 0), 0);
                ck_assert_int_eq(fcntl(exec_pipe[0], F_SETFD, FD_CLOEXEC), 0);
        }
        if (exec_fd_mode == 0)
                exec_pipe[0] = safe_close(exec_pipe[0]);
        if (gate)
                ck_assert_int_eq(write(gate_pipe[1], "1", 1), 1);
        gate_pipe[1] = safe_close(gate_pipe[1]);
        snprintf(log_fd_word, sizeof log_fd_word, "%i", log_pipe[1]);

        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                char script[512];
                char *argv[] = { (char *) "sh", (char *) "-c", script, NULL };
                char *envp[] = { (char *) "GATE_TEST=1", (char *) "PATH=/usr/bin:/bin", NULL };
                char *report[GATE_REPORT_ARGS + 1] = {
                        (char *) "sysmaster-executor", (char *) GATE_REPORT_VERB, (char *) "0", (char *) "6",
                        log_fd_word, (char *) "x.service", (char *) path, (char *) path,
                        (char *) GATE_ERRNO_PLACEHOLDER, NULL,
                };
                GatePass pass = {
                        .gate_fd = gate_pipe[0], .exec_fd = exec_pipe[1],
                        .report_fd = open(executor, O_PATH), .log_fd = log_pipe[1],
                        .path = path, .argv = argv, .envp = envp, .report_argv = report,
                };
                void *buf;

                snprintf(script, sizeof script,
                         "test \"$GATE_TEST\" = 1 && for fd in %i %i %i %i; do test ! -e /proc/self/fd/$fd || exit 1; "
                         "done && touch %s",
                         pass.gate_fd, pass.exec_fd, pass.report_fd, pass.log_fd, marker);
                buf = malloc(gate_pass_size(&pass));

                (void) signal(SIGPIPE, SIG_IGN); /* as a service's IgnoreSIGPIPE=yes */
                if (!buf || pass.report_fd < 0)
                        _exit(99);
                gate_pass(gate_pass_copy(&pass, buf));
        }
        gate_pipe[0] = safe_close(gate_pipe[0]);
        log_pipe[1] = safe_close(log_pipe[1]);
        exec_pipe[1] = safe_close(exec_pipe[1]);
        *ret = (GateRun) {};
        if (exec_pipe[0] >= 0) {
                ssize_t k = read(exec_pipe[0], ret->exec, sizeof ret->exec - 1);
                ssize_t more = k > 0 ? read(exec_pipe[0], ret->exec + k, sizeof ret->exec - 1 - (size_t) k) : 0;

                if (k > 0 && more > 0)
                        k += more;
                ret->exec[k > 0 ? k : 0] = 0;
                for (ssize_t i = 0; i < k; i++)
                        ret->exec[i] = (char) ('0' + ret->exec[i]);
                safe_close(exec_pipe[0]);
        }
        {
                size_t n = 0;
                ssize_t k;

                while (n < sizeof ret->log - 1 && (k = read(log_pipe[0], ret->log + n, sizeof ret->log - 1 - n)) > 0)
                        n += (size_t) k;
                ret->log[n] = 0;
        }
        safe_close(log_pipe[0]);
        ck_assert_int_eq(waitpid(pid, &ret->status, 0), pid);
        ret->ran = access(marker, F_OK) == 0;
}

/* The process exited with status, ran the command or not, and exec_fd saw exec (NULL: none). */
static void assert_ended(const GateRun *r, int status, bool ran, const char *exec) {
        ck_assert(WIFEXITED(r->status));
        ck_assert_int_eq(WEXITSTATUS(r->status), status);
        ck_assert(r->ran == ran);
        if (exec)
                ck_assert_str_eq(r->exec, exec);
}

START_TEST(test_gate_opened_runs_the_command) {
        GateRun r;

        run_gate(1, 1, "/bin/sh", &r);
        assert_ended(&r, 0, true, "1"); /* the command found none of the gate's fds open */
        ck_assert_str_eq(r.log, "");
}
END_TEST

START_TEST(test_gate_closed_runs_nothing) {
        GateRun r;

        run_gate(0, 1, "/bin/sh", &r);
        assert_ended(&r, GATE_EXIT_MANAGER_GONE, false, "");
}
END_TEST

START_TEST(test_not_a_program) {
        char garbage[64];
        GateRun r;
        int fd;

        snprintf(garbage, sizeof garbage, "%s/garbage", dir);
        fd = open(garbage, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, "not a program\n", 14), 14);
        safe_close(fd);
        run_gate(1, 1, garbage, &r);
        assert_ended(&r, GATE_EXIT_EXEC, false, "10");
        ck_assert_msg(strstr(r.log, "x.service: Failed to execute ") && strstr(r.log, "Exec format error") &&
                              strstr(r.log, "x.service: Failed at step EXEC spawning "),
                      "log: %s", r.log);
}
END_TEST

START_TEST(test_exec_fd_gone) {
        GateRun r;

        run_gate(1, 0, "/bin/sh", &r);
        assert_ended(&r, GATE_EXIT_EXEC, false, NULL);
        ck_assert_msg(strstr(r.log, "x.service: Failed to enable exec_fd: Broken pipe") &&
                              !strstr(r.log, "Failed to execute"),
                      "log: %s", r.log);
}
END_TEST

START_TEST(test_copy_is_whole) {
        char *argv[] = { (char *) "a", (char *) "", (char *) "ccc", NULL };
        char *envp[] = { NULL };
        char *report[] = { (char *) "r", NULL };
        GatePass p = { .gate_fd = 3, .exec_fd = -1, .report_fd = 5, .log_fd = 6, .path = "/bin/x",
                       .argv = argv, .envp = envp, .report_argv = report };
        size_t size = gate_pass_size(&p);
        char *buf = malloc(size + 1);
        GatePass *c;

        ck_assert_ptr_nonnull(buf);
        buf[size] = 'Z';
        c = gate_pass_copy(&p, buf);
        ck_assert_int_eq(buf[size], 'Z'); /* nothing written beyond the size */
        ck_assert_int_eq(c->gate_fd, 3);
        ck_assert_int_eq(c->report_fd, 5);
        ck_assert_str_eq(c->path, "/bin/x");
        ck_assert_str_eq(c->argv[0], "a");
        ck_assert_str_eq(c->argv[1], "");
        ck_assert_str_eq(c->argv[2], "ccc");
        ck_assert_ptr_null(c->argv[3]);
        ck_assert_ptr_null(c->envp[0]);
        ck_assert_str_eq(c->report_argv[0], "r");
        ck_assert_ptr_null(c->report_argv[1]);
        for (char **v = c->argv; *v; v++)
                ck_assert((char *) *v >= buf && (char *) *v < buf + size);
        ck_assert((const char *) c->path >= buf && c->path + strlen(c->path) < buf + size);
        free(buf);
}
END_TEST

#endif

static Suite *gate_pass_suite(void) {
        Suite *s = suite_create("gate-pass");
        TCase *tc = tcase_create("core");

#if HAVE_GATE
        if (!mkdtemp(dir))
                abort();
        tcase_add_test(tc, test_gate_opened_runs_the_command);
        tcase_add_test(tc, test_gate_closed_runs_nothing);
        tcase_add_test(tc, test_not_a_program);
        tcase_add_test(tc, test_exec_fd_gone);
        tcase_add_test(tc, test_copy_is_whole);
#endif
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(gate_pass_suite)
