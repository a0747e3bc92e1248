/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tests of exec_spawn() and the exec helper: real commands started from unit files, with what
 * the service sees (environment, directory, umask, limits, credentials, standard streams,
 * passed fds, cgroup) and systemd's exit codes and messages when a step fails.
 */

#include <grp.h>
#include <signal.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "exit-status.h"
#include "strv.h"
#include "test-helpers.h"
#include "exec-test.h"

static ExecTest t;

static void setup(void) {
        exec_test_init(&t);
}

static void teardown(void) {
        exec_test_done(&t);
}

/* A [Service] unit running /bin/sh -c SCRIPT (SCRIPT must not contain double quotes). */
static void load_sh(const char *settings, const char *script) {
        char text[4096];
        snprintf(text, sizeof text, "[Service]\n%sExecStart=/bin/sh -c \"%s\"\n", settings, script);
        ck_assert_int_eq(exec_test_load(&t, "a.service", text), 0);
}

START_TEST(test_environment_order_and_override) {
        char settings[1024], f1[300], f2[300];

        snprintf(f1, sizeof f1, "%s/env1", t.tree.root);
        snprintf(f2, sizeof f2, "%s/env2", t.tree.root);
        unit_tree_write(t.tree.root, "env1", "A=from-file1\nB=file1\n# comment\nC='quoted value'\n");
        unit_tree_write(t.tree.root, "env2", "B=file2\nD=d\n");
        snprintf(settings, sizeof settings,
                 "Environment=A=env B=env X=x \"Y=two words\"\nEnvironment=Z=z\n"
                 "EnvironmentFile=%s\nEnvironmentFile=-%s/missing\nEnvironmentFile=%s\n"
                 "UnsetEnvironment=Z D=not-d\n", f1, t.tree.root, f2);
        load_sh(settings, "echo A=$A B=$B C=$C D=$D X=$X Y=$Y Z=$${Z-unset} PATH=$PATH");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        /* files win over Environment=, a later file over an earlier one; UnsetEnvironment= drops
         * a name, and an assignment only when it matches */
        ck_assert_out_has(&t, "A=from-file1 B=file2 C=quoted value D=d X=x Y=two words Z=unset "
                              "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
}
END_TEST

START_TEST(test_environment_file_missing_fails_spawn) {
        char settings[512];

        snprintf(settings, sizeof settings, "EnvironmentFile=%s/nope\n", t.tree.root);
        load_sh(settings, "true");
        ck_assert_int_eq(exec_test_run(&t), -ENOENT);
        ck_assert_exec_log_has(&t, "a.service: Failed to load environment files: No such file or directory");
}
END_TEST

START_TEST(test_pass_environment_and_manager_variables) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        char *env[] = { (char *) "PATH=/bin:/usr/bin", (char *) "MGR=manager", NULL };
        char *extra[] = { (char *) "PIDFILE=/run/a.pid", NULL };

        setenv("SYSMASTER_TEST_PASS", "passed value", 1);
        unsetenv("SYSMASTER_TEST_UNSET");
        load_sh("PassEnvironment=SYSMASTER_TEST_PASS SYSMASTER_TEST_UNSET\n",
                "echo P=$SYSMASTER_TEST_PASS U=$${SYSMASTER_TEST_UNSET-none} MGR=$MGR PATH=$PATH; "
                "echo I=$INVOCATION_ID N=$NOTIFY_SOCKET M=$MAINPID R=$SERVICE_RESULT C=$EXIT_CODE S=$EXIT_STATUS F=$PIDFILE; "
                "[ $SYSTEMD_EXEC_PID = $$$$ ] && echo exec-pid-ok");
        p.flags = EXEC_APPLY_SANDBOXING;
        p.environment = env;
        strcpy(p.invocation_id, "0123456789abcdef0123456789abcdef");
        p.notify_socket = "/run/systemd/notify";
        p.main_pid = 4242;
        p.service_result = "exit-code";
        p.exit_code = CLD_KILLED;
        p.exit_status = SIGTERM;
        p.extra_environment = extra;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        ck_assert_exec_ok(&t);
        ck_assert_out_has(&t, "P=passed value U=none MGR=manager PATH=/bin:/usr/bin\n");
        ck_assert_out_has(&t, "I=0123456789abcdef0123456789abcdef N=/run/systemd/notify M=4242 R=exit-code "
                              "C=killed S=TERM F=/run/a.pid\n");
        ck_assert_out_has(&t, "exec-pid-ok\n");
}
END_TEST

START_TEST(test_argv_expansion) {
        ck_assert_int_eq(exec_test_load(&t, "a.service",
                                        "[Service]\nType=oneshot\nEnvironment=ONE=1 \"TWO=a b\"\n"
                                        "ExecStart=/bin/echo $ONE ${TWO} $TWO $UNSET x$ONE $$ONE\n"
                                        "ExecStart=:/bin/echo $ONE ${TWO}\n"),
                         0);
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        /* $TWO splits into words, an unset $VAR disappears, x$ONE stays literal, $$ is $ */
        ck_assert_str_eq(t.out, "1 a b a b x$ONE $ONE\n");
        ck_assert_int_eq(exec_test_run_full(&t, t.u->exec_commands[EXEC_START]->next, NULL, true), 0);
        ck_assert_str_eq(t.out, "$ONE ${TWO}\n");
}
END_TEST

START_TEST(test_plain_name_uses_default_path) {
        ck_assert_int_eq(exec_test_load(&t, "a.service", "[Service]\nEnvironment=PATH=/nowhere\nExecStart=echo found\n"), 0);
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_str_eq(t.out, "found\n");
}
END_TEST

START_TEST(test_directory_umask_nice_limits) {
        char settings[512];

        snprintf(settings, sizeof settings,
                 "WorkingDirectory=%s\nUMask=0077\nNice=7\nLimitNOFILE=123:456\nLimitCORE=1M\n"
                 "LimitCPU=infinity\nOOMScoreAdjust=300\n", t.tree.root);
        load_sh(settings, "pwd; umask; ulimit -Sn; ulimit -Hn; ulimit -c; ulimit -t; "
                          "cut -d' ' -f19 /proc/self/stat; cat /proc/self/oom_score_adj");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        char expected[512];
        /* dash's ulimit -c counts 512-byte blocks: 1M = 2048 */
        snprintf(expected, sizeof expected, "%s\n0077\n123\n456\n2048\nunlimited\n7\n300\n", t.tree.root);
        ck_assert_str_eq(t.out, expected);
}
END_TEST

START_TEST(test_working_directory_home_and_missing_ok) {
        if (getuid() != 0 || !streq_ptr(getenv("HOME"), "/root")) {
                fprintf(stderr, "test_working_directory_home: needs root with HOME=/root; skipped\n");
                return;
        }
        /* without User= the home is the manager's (and becomes $HOME, as in systemd) */
        load_sh("WorkingDirectory=~\n", "pwd; echo $${HOME-nohome}");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_str_eq(t.out, "/root\n/root\n");
}
END_TEST

START_TEST(test_working_directory_missing) {
        ck_assert_int_eq(exec_test_load(&t, "a.service",
                                        "[Service]\nWorkingDirectory=/nonexistent-dir\nExecStart=/bin/true\n"), 0);
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_int_eq(t.code, CLD_EXITED);
        ck_assert_int_eq(t.status, EXIT_CHDIR);
        ck_assert_exec_log_has(&t, "a.service: Changing to the requested working directory failed: No such file or directory\n");
        ck_assert_exec_log_has(&t, "a.service: Failed at step CHDIR spawning /bin/true: No such file or directory\n");
}
END_TEST

START_TEST(test_working_directory_missing_ok) {
        load_sh("WorkingDirectory=-/nonexistent-dir\n", "echo ran");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_str_eq(t.out, "ran\n");
}
END_TEST

START_TEST(test_missing_executable) {
        ck_assert_int_eq(exec_test_load(&t, "a.service",
                                        "[Service]\nType=oneshot\nExecStart=/nonexistent/binary arg\n"
                                        "ExecStart=-/nonexistent/other\n"), 0);
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_int_eq(t.code, CLD_EXITED);
        ck_assert_int_eq(t.status, EXIT_EXEC);
        ck_assert_exec_log_has(&t, "a.service: Failed to locate executable /nonexistent/binary: No such file or directory\n");
        ck_assert_exec_log_has(&t, "a.service: Failed at step EXEC spawning /nonexistent/binary: No such file or directory\n");
        /* with "-" a missing executable is a success */
        ck_assert_int_eq(exec_test_run_full(&t, t.u->exec_commands[EXEC_START]->next, NULL, true), 0);
        ck_assert_exec_ok(&t);
        ck_assert_exec_log_has(&t, "a.service: Executable /nonexistent/other missing, skipping: No such file or directory\n");
}
END_TEST

START_TEST(test_unknown_user) {
        load_sh("User=sysmaster-no-such-user\n", "true");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_int_eq(t.code, CLD_EXITED);
        ck_assert_int_eq(t.status, EXIT_USER);
        ck_assert_exec_log_has(&t, "a.service: Failed to determine user credentials: No such process\n");
        ck_assert_exec_log_has(&t, "a.service: Failed at step USER spawning /bin/sh: No such process\n");
}
END_TEST

START_TEST(test_unknown_group) {
        load_sh("Group=sysmaster-no-such-group\n", "true");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_int_eq(t.status, EXIT_GROUP);
        ck_assert_exec_log_has(&t, "a.service: Failed to determine group credentials: No such process\n");
}
END_TEST

START_TEST(test_user_group_switch) {
        const struct group *g;
        gid_t adm, sys;
        char expected[256];

        g = getgrnam("adm");
        adm = g ? g->gr_gid : GID_INVALID;
        g = getgrnam("sys");
        sys = g ? g->gr_gid : GID_INVALID;
        if (getuid() != 0 || adm == GID_INVALID || sys == GID_INVALID) {
                fprintf(stderr, "test_user_group_switch: needs root and groups adm, sys; skipped\n");
                return;
        }
        load_sh("User=nobody\nGroup=nogroup\nSupplementaryGroups=adm sys\n",
                "id -u; id -g; id -G; echo $USER $LOGNAME $${HOME-nohome} $${SHELL-noshell}");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        snprintf(expected, sizeof expected, "65534\n65534\n65534 %u %u\nnobody nobody nohome noshell\n",
                 (unsigned) MIN(adm, sys), (unsigned) MAX(adm, sys)); /* the kernel sorts them */
        ck_assert_str_eq(t.out, expected);
}
END_TEST

START_TEST(test_user_root_environment) {
        if (getuid() != 0) {
                fprintf(stderr, "test_user_root_environment: needs root; skipped\n");
                return;
        }
        load_sh("User=root\n", "echo $USER $LOGNAME $HOME $SHELL");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_out_has(&t, "root root /root /bin/");
}
END_TEST

START_TEST(test_no_setuid_prefixes) {
        if (getuid() != 0) {
                fprintf(stderr, "test_no_setuid_prefixes: needs root; skipped\n");
                return;
        }
        ck_assert_int_eq(exec_test_load(&t, "a.service",
                                        "[Service]\nType=oneshot\nUser=nobody\nExecStart=/usr/bin/id -u\n"
                                        "ExecStart=+/usr/bin/id -u\nExecStart=!/usr/bin/id -u\n"), 0);
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_str_eq(t.out, "65534\n");
        ck_assert_int_eq(exec_test_run_full(&t, t.u->exec_commands[EXEC_START]->next, NULL, true), 0);
        ck_assert_str_eq(t.out, "0\n");
        ck_assert_int_eq(exec_test_run_full(&t, t.u->exec_commands[EXEC_START]->next->next, NULL, true), 0);
        ck_assert_str_eq(t.out, "0\n");
}
END_TEST

START_TEST(test_no_new_privileges_and_capabilities) {
        if (getuid() != 0) {
                fprintf(stderr, "test_no_new_privileges_and_capabilities: needs root; skipped\n");
                return;
        }
        load_sh("NoNewPrivileges=yes\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE cap_kill\n",
                "grep -E '^(NoNewPrivs|CapBnd)' /proc/self/status");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        /* bits 10 (net_bind_service) and 5 (kill) */
        ck_assert_str_eq(t.out, "CapBnd:\t0000000000000420\nNoNewPrivs:\t1\n");
}
END_TEST

/* An empty CapabilityBoundingSet= is the empty set, not "back to all capabilities". */
START_TEST(test_empty_capability_bounding_set) {
        if (getuid() != 0) {
                fprintf(stderr, "test_empty_capability_bounding_set: needs root; skipped\n");
                return;
        }
        load_sh("CapabilityBoundingSet=cap_kill\nCapabilityBoundingSet=\n",
                "grep -E '^CapBnd' /proc/self/status");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_str_eq(t.out, "CapBnd:\t0000000000000000\n");
}
END_TEST

START_TEST(test_ambient_capabilities_across_user_change) {
        if (getuid() != 0) {
                fprintf(stderr, "test_ambient_capabilities_across_user_change: needs root; skipped\n");
                return;
        }
        load_sh("User=nobody\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n",
                "id -u; grep -E '^Cap(Amb|Eff)' /proc/self/status");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_str_eq(t.out, "65534\nCapEff:\t0000000000000400\nCapAmb:\t0000000000000400\n");
}
END_TEST

START_TEST(test_tty_stdin) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        char settings[256], expected[300];
        int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        const char *pts;

        if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || !(pts = ptsname(master))) {
                fprintf(stderr, "test_tty_stdin: no pseudo terminal; skipped\n");
                return;
        }
        snprintf(settings, sizeof settings, "StandardInput=tty-force\nTTYPath=%s\nTTYReset=yes\n", pts);
        load_sh(settings, "tty; echo TERM=$TERM");
        p.flags = EXEC_APPLY_SANDBOXING | EXEC_APPLY_TTY_STDIN;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        ck_assert_exec_ok(&t);
        snprintf(expected, sizeof expected, "%s\nTERM=vt220\n", pts);
        ck_assert_str_eq(t.out, expected);
        safe_close(master);
}
END_TEST

START_TEST(test_fully_privileged_skips_sandboxing) {
        ck_assert_int_eq(exec_test_load(&t, "a.service",
                                        "[Service]\nNoNewPrivileges=yes\nLimitNOFILE=99\n"
                                        "ExecStart=+/bin/sh -c \"grep NoNewPrivs /proc/self/status; ulimit -n\"\n"), 0);
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_out_has(&t, "NoNewPrivs:\t0\n");
        ck_assert_out_lacks(&t, "\n99\n");
}
END_TEST

START_TEST(test_stdin_text_and_data) {
        /* "aGVsbG8K" is "hello\n" */
        load_sh("StandardInputText=first line\nStandardInputText=second\\tline\nStandardInputData=aGVsbG8K\n", "cat");
        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_str_eq(t.out, "first line\nsecond\tline\nhello\n");
}
END_TEST

START_TEST(test_stdout_file_append_truncate_null) {
        char settings[1024], path[300];
        _cleanup_free_ char *content = NULL;

        snprintf(path, sizeof path, "%s/file-out", t.tree.root);
        unit_tree_write(t.tree.root, "file-out", "0123456789\n");
        snprintf(settings, sizeof settings, "StandardOutput=file:%s\nStandardError=null\n", path);
        load_sh(settings, "echo ab; echo err >&2");
        ck_assert_int_eq(exec_test_run_full(&t, NULL, NULL, false), 0);
        ck_assert_exec_ok(&t);
        content = exec_test_read(path);
        /* file: writes from the start without truncating */
        ck_assert_str_eq(content, "ab\n3456789\n");
        exec_test_done(&t);

        exec_test_init(&t);
        unit_tree_write(t.tree.root, "x", "old\n");
        snprintf(path, sizeof path, "%s/x", t.tree.root);
        snprintf(settings, sizeof settings, "StandardOutput=append:%s\nStandardError=truncate:%s.err\n", path, path);
        load_sh(settings, "echo new; echo err >&2");
        ck_assert_int_eq(exec_test_run_full(&t, NULL, NULL, false), 0);
        ck_assert_exec_ok(&t);
        free(content);
        content = exec_test_read(path);
        ck_assert_str_eq(content, "old\nnew\n");
        strcat(path, ".err");
        free(content);
        content = exec_test_read(path);
        ck_assert_str_eq(content, "err\n");
}
END_TEST

START_TEST(test_stdout_journal_falls_back_to_null) {
        struct stat st;

        if (stat("/run/systemd/journal/stdout", &st) >= 0) {
                fprintf(stderr, "test_stdout_journal_falls_back_to_null: a journal runs here; skipped\n");
                return;
        }
        load_sh("StandardOutput=journal\n", "echo lost");
        ck_assert_int_eq(exec_test_run_full(&t, NULL, NULL, false), 0);
        ck_assert_exec_ok(&t);
        ck_assert_exec_log_has(&t, "a.service: Failed to connect stdout to the journal socket, ignoring: ");
}
END_TEST

START_TEST(test_listen_fds) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        int a[2], b[2];
        int fds[2];
        char *names[] = { (char *) "first", (char *) "second", NULL };
        char buf[64] = "";

        ck_assert_int_eq(pipe2(a, O_CLOEXEC), 0);
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, b), 0);
        fds[0] = b[1];
        fds[1] = a[1];
        load_sh("", "echo $LISTEN_FDS $LISTEN_FDNAMES; [ $LISTEN_PID = $$$$ ] && echo pid-ok; "
                    "echo via-socket >&3; echo via-pipe >&4; ls /proc/self/fd");
        p.flags = EXEC_APPLY_SANDBOXING;
        p.fds = fds;
        p.fd_names = names;
        p.n_socket_fds = 1;
        p.n_storage_fds = 1;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        ck_assert_exec_ok(&t);
        ck_assert_out_has(&t, "2 first:second\npid-ok\n");
        /* exactly 0-4 (and ls's own directory fd) */
        ck_assert_out_lacks(&t, "\n5\n6\n");
        safe_close(a[1]);
        safe_close(b[1]);
        ck_assert_int_gt(read(a[0], buf, sizeof buf - 1), 0);
        ck_assert_str_eq(buf, "via-pipe\n");
        memset(buf, 0, sizeof buf);
        ck_assert_int_gt(read(b[0], buf, sizeof buf - 1), 0);
        ck_assert_str_eq(buf, "via-socket\n");
        safe_close(a[0]);
        safe_close(b[0]);
}
END_TEST

START_TEST(test_socket_and_named_fd_streams) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        int s[2], out[2], fds[2];
        char *names[] = { (char *) "conn", (char *) "logpipe", NULL };
        char buf[64] = "";

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s), 0);
        ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
        ck_assert_int_eq(write(s[0], "ping\n", 5), 5);
        ck_assert_int_eq(shutdown(s[0], SHUT_WR), 0);
        ck_assert_int_eq(exec_test_load(&t, "a.service",
                                        "[Service]\nStandardInput=fd:conn\nStandardOutput=fd:logpipe\n"
                                        "ExecStart=/bin/sh -c \"read x; echo got $x $${LISTEN_FDS-nofds}\"\n"), 0);
        fds[0] = s[1];
        fds[1] = out[1];
        p.flags = EXEC_APPLY_SANDBOXING;
        p.fds = fds;
        p.fd_names = names;
        p.n_socket_fds = 2;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, false), 0);
        ck_assert_exec_ok(&t);
        safe_close(out[1]);
        ck_assert_int_gt(read(out[0], buf, sizeof buf - 1), 0);
        ck_assert_str_eq(buf, "got ping 2\n");
        safe_close(out[0]);
        safe_close(s[0]);
        safe_close(s[1]);
}
END_TEST

START_TEST(test_stdio_socket) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        int s[2];
        char *names[] = { (char *) "conn", NULL };
        char buf[64] = "";

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s), 0);
        ck_assert_int_eq(write(s[0], "hello\n", 6), 6);
        ck_assert_int_eq(exec_test_load(&t, "a.service",
                                        "[Service]\nStandardInput=socket\n"
                                        "ExecStart=/bin/sh -c \"read x; echo $x-back $${LISTEN_FDS-nofds}\"\n"), 0);
        p.flags = EXEC_APPLY_SANDBOXING;
        p.fds = &s[1];
        p.fd_names = names;
        p.n_socket_fds = 1;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, false), 0);
        ck_assert_exec_ok(&t);
        ck_assert_int_gt(read(s[0], buf, sizeof buf - 1), 0);
        /* stdout follows a socket stdin; the socket is not passed as $LISTEN_FDS */
        ck_assert_str_eq(buf, "hello-back nofds\n");
        safe_close(s[0]);
        safe_close(s[1]);

        /* without exactly one socket the spawn is refused */
        p.n_socket_fds = 0;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, false), -EINVAL);
        ck_assert_exec_log_has(&t, "a.service: Got no socket.");
}
END_TEST

START_TEST(test_named_fd_missing) {
        ck_assert_int_eq(exec_test_load(&t, "a.service", "[Service]\nStandardOutput=fd:nothere\nExecStart=/bin/true\n"), 0);
        ck_assert_int_eq(exec_test_run_full(&t, NULL, NULL, false), -ENOENT);
        ck_assert_exec_log_has(&t, "a.service: Failed to load a named file descriptor: No such file or directory");
}
END_TEST

START_TEST(test_exec_fd) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        int e[2];
        char c = 0;

        ck_assert_int_eq(pipe2(e, O_CLOEXEC), 0);
        load_sh("", "true");
        p.flags = EXEC_APPLY_SANDBOXING;
        p.exec_fd = e[1];
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        ck_assert_exec_ok(&t);
        safe_close(e[1]);
        /* one byte "1" before execve(), then closed by it */
        ck_assert_int_eq(read(e[0], &c, 1), 1);
        ck_assert_int_eq(c, 1);
        ck_assert_int_eq(read(e[0], &c, 1), 0);
        safe_close(e[0]);
}
END_TEST

/* A cgroup of our own for test (under the host's cgroup2, removed by the test) and a unit with
 * settings that prints its process's cgroup, run there by p; false (skipped) without root or
 * cgroup2. */
static bool cgroup_test_setup(const char *test, const char *settings, char dir[static 256], ExecParameters *p) {
        struct stat st;

        if (getuid() != 0 || stat("/sys/fs/cgroup/unified/cgroup.procs", &st) < 0) {
                fprintf(stderr, "%s: needs root and cgroup2 at /sys/fs/cgroup/unified; skipped\n", test);
                return false;
        }
        snprintf(dir, 256, "/sys/fs/cgroup/unified/sysmaster-test-%d", (int) getpid());
        ck_assert_int_eq(mkdir(dir, 0755), 0);
        load_sh(settings, "cat /proc/self/cgroup");
        *p = (ExecParameters) EXEC_PARAMETERS_INIT;
        p->flags = EXEC_APPLY_SANDBOXING;
        p->cgroup_path = dir;
        return true;
}

/* What the unit of cgroup_test_setup() printed when it ran in dir. */
static void assert_ran_in_cgroup_test_dir(void) {
        char expected[300];

        ck_assert_exec_ok(&t);
        snprintf(expected, sizeof expected, "0::/sysmaster-test-%d\n", (int) getpid());
        ck_assert_out_has(&t, expected);
}

START_TEST(test_cgroup_join) {
        ExecParameters p;
        char dir[256];

        if (!cgroup_test_setup("test_cgroup_join", "", dir, &p))
                return;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        (void) rmdir(dir);
        assert_ran_in_cgroup_test_dir();

        /* a cgroup that does not exist: EXIT_CGROUP */
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        ck_assert_int_eq(t.status, EXIT_CGROUP);
        ck_assert_exec_log_has(&t, "a.service: Failed to attach to cgroup ");
}
END_TEST

/* Runs the loaded command with p until the spawn server (started by the first start, ready soon
 * after) made it in its cgroup, as the manager's debug message says. */
static void run_until_created_in_cgroup(ExecParameters *p) {
        for (int i = 0; i < 100; i++) {
                ck_assert_int_eq(exec_test_run_full(&t, NULL, p, true), 0);
                if (strstr(t.log, " in its cgroup\n"))
                        return;
                usleep(20 * 1000);
        }
        ck_abort_msg("no start was made in its cgroup; log:\n%s", t.log);
}

/* Through the spawn server, the process is created in its cgroup (clone3(CLONE_INTO_CGROUP)):
 * neither it nor the manager moves it there. A directory that is no cgroup: the kernel refuses,
 * the process is made without it, tries to join and fails as through the helper. */
START_TEST(test_cgroup_created_in) {
        int level = log_get_max_level();
        char dir[256], notcg[300];
        ExecParameters p;
        pid_t server;

        if (!cgroup_test_setup("test_cgroup_created_in", "", dir, &p))
                return;
        unsetenv("SYSMASTER_SPAWN_SERVER");
        log_set_max_level(LOG_DEBUG);
        run_until_created_in_cgroup(&p);
        (void) rmdir(dir);
        assert_ran_in_cgroup_test_dir();
        server = exec_spawn_server_pid();
        ck_assert_int_gt(server, 0);

        snprintf(notcg, sizeof notcg, "%s/not-a-cgroup", t.tree.root);
        ck_assert_int_eq(mkdir(notcg, 0755), 0);
        p.cgroup_path = notcg;
        ck_assert_int_eq(truncate(t.log_path, 0), 0); /* this start's messages only */
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        log_set_max_level(level);
        ck_assert_int_eq(t.status, EXIT_CGROUP);
        ck_assert_exec_log_has(&t, "a.service: Failed to attach to cgroup ");
        /* made by the same server, without the cgroup */
        ck_assert_msg(!strstr(t.log, "executing the helper instead") && !strstr(t.log, " in its cgroup"), "log:\n%s",
                      t.log);
        ck_assert_int_eq(exec_spawn_server_pid(), server);
}
END_TEST

/* The same for a start the server forks (a user to look up): clone3() without CLONE_VM. */
START_TEST(test_cgroup_created_in_forked) {
        int level = log_get_max_level();
        ExecParameters p;
        char dir[256];

        if (!cgroup_test_setup("test_cgroup_created_in_forked", "User=nobody\n", dir, &p))
                return;
        ck_assert(!exec_context_spawn_may_share_memory(&t.ctx));
        unsetenv("SYSMASTER_SPAWN_SERVER");
        log_set_max_level(LOG_DEBUG);
        run_until_created_in_cgroup(&p);
        log_set_max_level(level);
        (void) rmdir(dir);
        assert_ran_in_cgroup_test_dir();
}
END_TEST

START_TEST(test_exec_directories) {
        ExecParameters p = EXEC_PARAMETERS_INIT;
        char run[300], lib[300], etc[300], path[400], expected[2048];
        struct stat st;
        bool root = getuid() == 0;

        snprintf(run, sizeof run, "%s/prefix/run", t.tree.root);
        snprintf(lib, sizeof lib, "%s/prefix/lib", t.tree.root);
        snprintf(etc, sizeof etc, "%s/prefix/etc", t.tree.root);
        ck_assert_int_eq(chmod(t.tree.root, 0755), 0); /* for nobody */
        snprintf(path, sizeof path, "%s/cfg", etc);
        unit_tree_mkdir_p(path);
        ck_assert_int_eq(chmod(path, 0700), 0);
        load_sh(root ? "User=nobody\nRuntimeDirectory=r1 deep/r2\nRuntimeDirectoryMode=0700\n"
                       "StateDirectory=st\nConfigurationDirectory=cfg\nCacheDirectory=nocache\n"
                     : "RuntimeDirectory=r1 deep/r2\nRuntimeDirectoryMode=0700\n"
                       "StateDirectory=st\nConfigurationDirectory=cfg\nCacheDirectory=nocache\n",
                "echo $RUNTIME_DIRECTORY; echo $STATE_DIRECTORY; echo $CONFIGURATION_DIRECTORY; "
                "echo $${CACHE_DIRECTORY-nocache}; touch $STATE_DIRECTORY/written");
        p.flags = EXEC_APPLY_SANDBOXING;
        p.prefix[EXEC_DIRECTORY_RUNTIME] = run;
        p.prefix[EXEC_DIRECTORY_STATE] = lib;
        p.prefix[EXEC_DIRECTORY_CONFIGURATION] = etc;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        ck_assert_exec_ok(&t);
        snprintf(expected, sizeof expected, "%s/r1:%s/deep/r2\n%s/st\n%s/cfg\nnocache\n", run, run, lib, etc);
        ck_assert_str_eq(t.out, expected);
        snprintf(path, sizeof path, "%s/deep/r2", run);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(st.st_mode & 07777, 0700);
        ck_assert_int_eq(st.st_uid, root ? 65534 : getuid());
        snprintf(path, sizeof path, "%s/deep", run);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(st.st_mode & 07777, 0755);
        ck_assert_int_eq(st.st_uid, getuid()); /* parents stay the manager's */
        snprintf(path, sizeof path, "%s/st/written", lib);
        ck_assert_int_eq(access(path, F_OK), 0);
        snprintf(path, sizeof path, "%s/cfg", etc);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(st.st_mode & 07777, 0700); /* an existing configuration directory is left alone */
        ck_assert_int_eq(st.st_uid, getuid());
        ck_assert_exec_log_has(&t, "ConfigurationDirectory 'cfg' already exists but the mode is different. "
                                   "(File system: 700 ConfigurationDirectoryMode: 755)\n");

        /* the manager removes runtime directories at stop */
        ck_assert_int_eq(exec_context_remove_runtime_directories(&t.ctx, run), 0);
        snprintf(path, sizeof path, "%s/r1", run);
        ck_assert_int_lt(access(path, F_OK), 0);
        snprintf(path, sizeof path, "%s/deep/r2", run);
        ck_assert_int_lt(access(path, F_OK), 0);
}
END_TEST

START_TEST(test_private_tmp) {
        _cleanup_free_ char *tmp = NULL, *var_tmp = NULL, *seen = NULL;
        ExecParameters p = EXEC_PARAMETERS_INIT;
        char path[512];

        if (getuid() != 0) {
                fprintf(stderr, "test_private_tmp: needs root; skipped\n");
                return;
        }
        load_sh("PrivateTmp=yes\n", "echo hidden > /tmp/private-file; ls -A /tmp; stat -c %%a /tmp");
        ck_assert_int_eq(exec_private_tmp_create(t.u->id, &tmp, &var_tmp), 0);
        ck_assert_ptr_nonnull(strstr(tmp, "/tmp/systemd-private-"));
        p.flags = EXEC_APPLY_SANDBOXING;
        p.tmp_dir = tmp;
        p.var_tmp_dir = var_tmp;
        ck_assert_int_eq(exec_test_run_full(&t, NULL, &p, true), 0);
        ck_assert_exec_ok(&t);
        ck_assert_str_eq(t.out, "private-file\n1777\n");
        snprintf(path, sizeof path, "%s/private-file", tmp);
        seen = exec_test_read(path);
        ck_assert_str_eq(seen, "hidden\n");
        ck_assert_int_eq(exec_private_tmp_remove(tmp, var_tmp), 0);
        ck_assert_int_lt(access(tmp, F_OK), 0);
}
END_TEST

/* The parent of the command as it sees it ($PPID of the shell the helper became). */
static pid_t run_and_read_ppid(void) {
        int ppid = 0;

        ck_assert_int_eq(exec_test_run(&t), 0);
        ck_assert_exec_ok(&t);
        ck_assert_int_eq(sscanf(t.out, "ppid=%d", &ppid), 1);
        return (pid_t) ppid;
}

START_TEST(test_spawn_server_parent_and_restart) {
        siginfo_t si = {};
        pid_t server;

        unsetenv("SYSMASTER_SPAWN_SERVER");
        load_sh("", "echo ppid=$PPID");
        /* forked by the spawn server, but our child: we see its exit, not the server */
        ck_assert_int_eq(run_and_read_ppid(), getpid());
        server = exec_spawn_server_pid();
        ck_assert_int_gt(server, 0);
        ck_assert_int_ne(server, getpid());
        /* the same server serves the next start */
        ck_assert_int_eq(run_and_read_ppid(), getpid());
        ck_assert_int_eq(exec_spawn_server_pid(), server);

        /* killed: the next start still works (the helper is executed), the one after that
         * gets a new server */
        ck_assert_int_eq(kill(server, SIGKILL), 0);
        ck_assert_int_eq(waitid(P_PID, (id_t) server, &si, WEXITED | WNOWAIT), 0);
        ck_assert_int_eq(run_and_read_ppid(), getpid());
        ck_assert_int_eq(run_and_read_ppid(), getpid());
        ck_assert_int_gt(exec_spawn_server_pid(), 0);
        ck_assert_int_ne(exec_spawn_server_pid(), server);

        /* the manager learns of its exit through SIGCHLD: no unit's, forgotten */
        server = exec_spawn_server_pid();
        ck_assert(!exec_spawn_server_reaped(getpid()));
        ck_assert_int_eq(kill(server, SIGKILL), 0);
        ck_assert_int_eq(waitid(P_PID, (id_t) server, &si, WEXITED | WNOWAIT), 0);
        ck_assert(exec_spawn_server_reaped(server));
        ck_assert_int_eq(waitid(P_PID, (id_t) server, &si, WEXITED), 0);
        ck_assert_int_eq(exec_spawn_server_pid(), 0);
        ck_assert_int_eq(run_and_read_ppid(), getpid());
        ck_assert_int_gt(exec_spawn_server_pid(), 0);
        exec_spawn_server_stop();
        ck_assert_int_eq(exec_spawn_server_pid(), 0);
}
END_TEST

START_TEST(test_spawn_server_off) {
        setenv("SYSMASTER_SPAWN_SERVER", "0", 1);
        load_sh("", "echo ppid=$PPID");
        ck_assert_int_eq(run_and_read_ppid(), getpid());
        ck_assert_int_eq(exec_spawn_server_pid(), 0);
        unsetenv("SYSMASTER_SPAWN_SERVER");
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("execute");
        TCase *tc = tcase_create("spawn");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_environment_order_and_override);
        tcase_add_test(tc, test_environment_file_missing_fails_spawn);
        tcase_add_test(tc, test_pass_environment_and_manager_variables);
        tcase_add_test(tc, test_argv_expansion);
        tcase_add_test(tc, test_plain_name_uses_default_path);
        tcase_add_test(tc, test_directory_umask_nice_limits);
        tcase_add_test(tc, test_working_directory_home_and_missing_ok);
        tcase_add_test(tc, test_working_directory_missing);
        tcase_add_test(tc, test_working_directory_missing_ok);
        tcase_add_test(tc, test_missing_executable);
        tcase_add_test(tc, test_unknown_user);
        tcase_add_test(tc, test_unknown_group);
        tcase_add_test(tc, test_user_group_switch);
        tcase_add_test(tc, test_user_root_environment);
        tcase_add_test(tc, test_no_setuid_prefixes);
        tcase_add_test(tc, test_no_new_privileges_and_capabilities);
        tcase_add_test(tc, test_empty_capability_bounding_set);
        tcase_add_test(tc, test_ambient_capabilities_across_user_change);
        tcase_add_test(tc, test_tty_stdin);
        tcase_add_test(tc, test_fully_privileged_skips_sandboxing);
        tcase_add_test(tc, test_stdin_text_and_data);
        tcase_add_test(tc, test_stdout_file_append_truncate_null);
        tcase_add_test(tc, test_stdout_journal_falls_back_to_null);
        tcase_add_test(tc, test_listen_fds);
        tcase_add_test(tc, test_socket_and_named_fd_streams);
        tcase_add_test(tc, test_stdio_socket);
        tcase_add_test(tc, test_named_fd_missing);
        tcase_add_test(tc, test_exec_fd);
        tcase_add_test(tc, test_spawn_server_parent_and_restart);
        tcase_add_test(tc, test_spawn_server_off);
        tcase_add_test(tc, test_cgroup_join);
        tcase_add_test(tc, test_cgroup_created_in);
        tcase_add_test(tc, test_cgroup_created_in_forked);
        tcase_add_test(tc, test_exec_directories);
        tcase_add_test(tc, test_private_tmp);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
