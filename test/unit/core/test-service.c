/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-service.c: services run for real by a manager in test mode (runtime under a temporary
 * directory, no cgroups, the exec helper of the build tree): each test writes a unit, starts it
 * (unit_start(), or the job engine where Restart= needs it), runs the event loop until the
 * state is reached and checks what a user would see: the state, the result, the exit status
 * records, the log messages of systemd 252, the files the commands wrote. Every process a test
 * starts is gone when it ends.
 */

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus/bus-error.h"
#include "event.h"
#include "fd-util.h"
#include "job.h"
#include "manager-bus.h"
#include "manager-sysbus.h"
#include "manager.h"
#include "service.h"
#include "runtime-env.h"
#include "test-helpers.h"
#include "unit-tree.h"

/* Writes name into the tree ("%s" in fmt: the test's root directory) and loads it. */
static Service *env_load(Env *v, const char *name, const char *fmt) {
        char text[4096];

        env_expand(v, fmt, text, sizeof text);
        unit_tree_write(v->tree.etc, name, text);
        return SERVICE(env_load_unit(v, name));
}

/* Runs the loop until s is in state (true) or timeout_ms passed (false). */
static bool env_run_until(Env *v, Service *s, ServiceState state, unsigned timeout_ms) {
        usec_t end = now(CLOCK_MONOTONIC) + timeout_ms * USEC_PER_MSEC;

        while (s->state != state && now(CLOCK_MONOTONIC) < end)
                ck_assert_int_ge(event_run(v->e, 50 * USEC_PER_MSEC), 0);
        return s->state == state;
}

#define ck_assert_state(v, s, st, ms)                                                                 \
        ck_assert_msg(env_run_until((v), (s), (st), (ms)), "state %s, expected %s; log:\n%s",         \
                      service_state_to_string((s)->state), service_state_to_string(st), (v)->log.buf)

static char *env_read(Env *v, const char *rel) {
        char path[512];
        char *s = NULL;

        snprintf(path, sizeof path, "%s/%s", v->tree.root, rel);
        if (read_full_file(path, SIZE_MAX, &s, NULL) < 0)
                return strdup("");
        return s;
}

static bool pid_alive(pid_t pid) {
        return pid > 0 && kill(pid, 0) == 0;
}

START_TEST(test_simple_start_stop) {
        Env v;
        Service *s;
        pid_t pid;

        env_init(&v);
        s = env_load(&v, "a.service", "[Service]\nExecStart=/bin/sleep 100\n");
        ck_assert_int_eq(s->type, SERVICE_SIMPLE);
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        ck_assert_int_eq(unit_active_state(&s->meta), UNIT_ACTIVE);
        pid = s->main_pid;
        ck_assert_int_gt(pid, 0);
        ck_assert_int_eq(s->main_exec_status.pid, pid);
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        /* SIGTERM is a clean exit for a daemon. */
        ck_assert_int_eq(s->result, SERVICE_SUCCESS);
        ck_assert_int_eq(s->main_exec_status.code, CLD_KILLED);
        ck_assert_int_eq(s->main_exec_status.status, SIGTERM);
        ck_assert_int_eq(s->main_pid, 0);
        ck_assert(!pid_alive(pid));
        ck_assert_log_contains(&v.log, "a.service: Deactivated successfully.");
        env_done(&v);
}
END_TEST

/* daemon-reload replaces the Exec*= lists; a running service keeps only the list its main
 * command came from, however many reloads pass (each kept list used to stay until the unit was
 * freed: the manager grew ~180 kB per reload with 1000 running services), and none once it
 * stopped. */
START_TEST(test_reload_keeps_only_the_running_command_list) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "rl.service", "[Service]\nExecStartPre=/bin/true\nExecStart=/bin/sleep 100\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        for (int i = 0; i < 5; i++) {
                ck_assert_int_eq(manager_reload(v.m), 0);
                ck_assert_uint_eq(s->meta.n_retired_exec_commands, 1);
        }
        ck_assert_ptr_nonnull(s->main_command);
        ck_assert_str_eq(s->main_command->path, "/bin/sleep");
        ck_assert_ptr_nonnull(s->meta.exec_commands[EXEC_START]);
        ck_assert_ptr_ne(s->meta.exec_commands[EXEC_START], s->main_command);
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        ck_assert_int_eq(s->result, SERVICE_SUCCESS);
        ck_assert_int_eq(manager_reload(v.m), 0);
        ck_assert_uint_eq(s->meta.n_retired_exec_commands, 0);
        env_done(&v);
}
END_TEST

START_TEST(test_exec_missing_binary) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "b.service", "[Service]\nType=exec\nExecStart=/nonexistent/binary\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_FAILED, 5000);
        ck_assert_str_eq(service_result_to_string(s->result), "exit-code");
        ck_assert_int_eq(s->main_exec_status.code, CLD_EXITED);
        ck_assert_int_eq(s->main_exec_status.status, 203);
        ck_assert_int_eq(exec_status_table_get(&s->exec_status, EXEC_START, 0)->status, 203);
        ck_assert_log_contains(&v.log, "b.service: Main process exited, code=exited, status=203/EXEC");
        ck_assert_log_contains(&v.log, "b.service: Failed with result 'exit-code'.");
        env_done(&v);
}
END_TEST

START_TEST(test_exec_becomes_active_after_execve) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "b2.service", "[Service]\nType=exec\nExecStart=/bin/sleep 100\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        env_done(&v);
}
END_TEST

START_TEST(test_oneshot_several_remain) {
        Env v;
        Service *s;
        _cleanup_free_ char *out = NULL;

        env_init(&v);
        s = env_load(&v, "c.service",
                     "[Service]\nType=oneshot\nRemainAfterExit=yes\n"
                     "ExecStart=/bin/sh -c 'echo one >> %s/out'\n"
                     "ExecStart=/bin/sh -c 'echo two >> %s/out'\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_EXITED, 5000);
        ck_assert_int_eq(unit_active_state(&s->meta), UNIT_ACTIVE);
        out = env_read(&v, "out");
        ck_assert_str_eq(out, "one\ntwo\n");
        ck_assert_int_eq(s->exec_status.n[EXEC_START], 2);
        for (size_t i = 0; i < 2; i++) {
                ck_assert_int_gt(exec_status_table_get(&s->exec_status, EXEC_START, i)->pid, 0);
                ck_assert_int_eq(exec_status_table_get(&s->exec_status, EXEC_START, i)->code, CLD_EXITED);
                ck_assert_int_eq(exec_status_table_get(&s->exec_status, EXEC_START, i)->status, 0);
                ck_assert(dual_timestamp_is_set(&exec_status_table_get(&s->exec_status, EXEC_START, i)->exit_timestamp));
        }
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        env_done(&v);
}
END_TEST

START_TEST(test_forking_pid_file) {
        Env v;
        Service *s;
        _cleanup_free_ char *pidtext = NULL;
        pid_t pid;

        env_init(&v);
        s = env_load(&v, "d.service",
                     "[Service]\nType=forking\nPIDFile=%s/d.pid\n"
                     "ExecStart=/bin/sh -c 'sleep 100 & echo $! > %s/d.pid'\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        pidtext = env_read(&v, "d.pid");
        ck_assert_int_eq(s->main_pid, atoi(pidtext));
        pid = s->main_pid;
        ck_assert(pid_alive(pid));
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        ck_assert_int_eq(s->result, SERVICE_SUCCESS);
        /* The PID file is removed when the service is gone. */
        ck_assert_int_ne(access(s->pid_file, F_OK), 0);
        env_done(&v);
}
END_TEST

/* A Type=notify daemon: READY=1 and STATUS= in one datagram to $NOTIFY_SOCKET, then sleeps. */
static const char notify_py[] =
        "import os, socket, time\n"
        "p = os.environ['NOTIFY_SOCKET']\n"
        "p = '\\0' + p[1:] if p[0] == '@' else p\n"
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
        "s.sendto(b'READY=1\\nSTATUS=Serving requests', p)\n"
        "time.sleep(100)\n";

START_TEST(test_notify_ready_status) {
        Env v;
        Service *s;

        env_init(&v);
        if (access("/usr/bin/python3", X_OK) < 0) {
                fprintf(stderr, "python3 missing, skipping the notify test\n");
                env_done(&v);
                return;
        }
        unit_tree_write(v.tree.root, "notify.py", notify_py);
        s = env_load(&v, "e.service", "[Service]\nType=notify\nExecStart=/usr/bin/python3 %s/notify.py\n");
        ck_assert_int_eq(s->notify_access, NOTIFY_MAIN);
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_int_eq(s->state, SERVICE_START);
        ck_assert_state(&v, s, SERVICE_RUNNING, 10000);
        ck_assert_str_eq(s->status_text, "Serving requests");
        ck_assert_int_eq(s->notify_state, NOTIFY_READY);
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        env_done(&v);
}
END_TEST

START_TEST(test_restart_on_failure) {
        Env v;
        Service *s;
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        int r;

        env_init(&v);
        /* Fails twice, then stays up. */
        s = env_load(&v, "f.service",
                     "[Unit]\nDefaultDependencies=no\n[Service]\nRestart=on-failure\nRestartSec=50ms\n"
                     "ExecStart=/bin/sh -c 'n=$(cat %s/count 2>/dev/null || echo 0); echo $((n+1)) > %s/count; "
                     "[ $n -ge 2 ] && exec sleep 100; exit 1'\n");
        r = manager_add_job(v.m, JOB_START, &s->meta, JOB_REPLACE, NULL, &error, NULL);
        if (r == -EOPNOTSUPP) {
                /* Restart= schedules a restart job: needs job.c in libcore.a. */
                fprintf(stderr, "the job engine is not linked in, skipping the Restart= test\n");
                env_done(&v);
                return;
        }
        ck_assert_msg(r >= 0, "%s", error.message ? error.message : "");
        /* A simple service is "running" at once: wait for the third run. */
        for (usec_t end = now(CLOCK_MONOTONIC) + 10 * USEC_PER_SEC;
             s->n_restarts < 2 && now(CLOCK_MONOTONIC) < end;)
                ck_assert_int_ge(event_run(v.e, 50 * USEC_PER_MSEC), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 10000);
        env_run_for(&v, 300);
        ck_assert_int_eq(s->state, SERVICE_RUNNING);
        ck_assert_msg(s->n_restarts == 2, "n_restarts %u; log:\n%s", s->n_restarts, v.log.buf);
        ck_assert_log_contains(&v.log, "f.service: Scheduled restart job, restart counter is at 2.");
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        env_done(&v);
}
END_TEST

START_TEST(test_restart_prevent_exit_status) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "g.service",
                     "[Service]\nRestart=on-failure\nRestartSec=10ms\nRestartPreventExitStatus=3\n"
                     "ExecStart=/bin/sh -c 'exit 3'\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_FAILED, 5000);
        env_run_for(&v, 200);
        ck_assert_int_eq(s->state, SERVICE_FAILED);
        ck_assert_uint_eq(s->n_restarts, 0);
        ck_assert_log_contains(&v.log, "g.service: Main process exited, code=exited, status=3/NOTIMPLEMENTED");
        env_done(&v);
}
END_TEST

START_TEST(test_success_exit_status) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "h.service", "[Service]\nSuccessExitStatus=5 SIGUSR1\nExecStart=/bin/sh -c 'exit 5'\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        ck_assert_int_eq(s->result, SERVICE_SUCCESS);
        ck_assert_int_eq(s->main_exec_status.status, 5);
        env_done(&v);
}
END_TEST

START_TEST(test_timeout_start) {
        Env v;
        Service *s;

        env_init(&v);
        /* Type=notify that never says READY=1. */
        s = env_load(&v, "i.service", "[Service]\nType=notify\nTimeoutStartSec=300ms\nExecStart=/bin/sleep 100\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_FAILED, 5000);
        ck_assert_str_eq(service_result_to_string(s->result), "timeout");
        ck_assert_log_contains(&v.log, "i.service: start operation timed out. Terminating.");
        ck_assert_log_contains(&v.log, "i.service: Failed with result 'timeout'.");
        env_done(&v);
}
END_TEST

START_TEST(test_timeout_stop_sigkill) {
        char marker[512];
        Env v;
        Service *s;
        pid_t pid;

        env_init(&v);
        s = env_load(&v, "j.service",
                     "[Service]\nTimeoutStopSec=300ms\n"
                     "ExecStart=/bin/sh -c 'trap \"\" TERM; : > %s/trapped; while :; do sleep 0.05; done'\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        /* the shell ignores SIGTERM once it wrote the marker (a fixed wait was too short under
         * ASan on a loaded machine) */
        snprintf(marker, sizeof marker, "%s/trapped", v.tree.root);
        for (unsigned i = 0; i < 200 && access(marker, F_OK) < 0; i++)
                env_run_for(&v, 50);
        ck_assert_int_eq(access(marker, F_OK), 0);
        pid = s->main_pid;
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_int_eq(s->state, SERVICE_STOP_SIGTERM);
        ck_assert_state(&v, s, SERVICE_FAILED, 5000);
        ck_assert_str_eq(service_result_to_string(s->result), "timeout");
        ck_assert_int_eq(s->main_exec_status.code, CLD_KILLED);
        ck_assert_int_eq(s->main_exec_status.status, SIGKILL);
        ck_assert(!pid_alive(pid));
        ck_assert_log_contains(&v.log, "j.service: State 'stop-sigterm' timed out. Killing.");
        ck_assert_log_contains(&v.log, "with signal SIGKILL.");
        env_done(&v);
}
END_TEST

START_TEST(test_stop_post_sees_result) {
        Env v;
        Service *s;
        _cleanup_free_ char *out = NULL;

        env_init(&v);
        s = env_load(&v, "k.service",
                     "[Service]\nExecStart=/bin/sh -c 'exit 4'\n"
                     "ExecStopPost=/bin/sh -c 'echo \"$SERVICE_RESULT $EXIT_CODE $EXIT_STATUS\" > %s/post'\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_FAILED, 5000);
        out = env_read(&v, "post");
        ck_assert_str_eq(out, "exit-code exited 4\n");
        ck_assert_int_eq(exec_status_table_get(&s->exec_status, EXEC_STOP_POST, 0)->code, CLD_EXITED);
        env_done(&v);
}
END_TEST

START_TEST(test_kill_mode_process) {
        Env v;
        Service *s;
        _cleanup_free_ char *child = NULL;
        pid_t cpid;

        env_init(&v);
        s = env_load(&v, "l.service",
                     "[Service]\nKillMode=process\n"
                     "ExecStart=/bin/sh -c 'sleep 100 & echo $! > %s/child; exec sleep 100'\n");
        ck_assert_int_eq(s->kill_context.kill_mode, KILL_PROCESS);
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        for (int i = 0; i < 100 && strlen(child = env_read(&v, "child")) == 0; i++) {
                child = mfree(child);
                env_run_for(&v, 20);
        }
        cpid = atoi(child);
        ck_assert_int_gt(cpid, 0);
        ck_assert_int_ge(unit_stop(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        /* Only the main process was signalled. */
        ck_assert(pid_alive(cpid));
        ck_assert_int_eq(kill(cpid, SIGKILL), 0);
        env_done(&v);
}
END_TEST

START_TEST(test_watchdog) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "m.service", "[Service]\nWatchdogSec=300ms\nExecStart=/bin/sleep 100\n");
        ck_assert_int_eq(s->notify_access, NOTIFY_MAIN);
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        ck_assert_state(&v, s, SERVICE_FAILED, 5000);
        ck_assert_str_eq(service_result_to_string(s->result), "watchdog");
        ck_assert_int_eq(s->main_exec_status.status, SIGABRT);
        ck_assert_log_contains(&v.log, "m.service: Watchdog timeout (limit 300ms)!");
        ck_assert_log_contains(&v.log, "with signal SIGABRT.");
        env_done(&v);
}
END_TEST

START_TEST(test_runtime_max) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "n.service", "[Service]\nRuntimeMaxSec=300ms\nExecStart=/bin/sleep 100\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        ck_assert_state(&v, s, SERVICE_FAILED, 5000);
        ck_assert_str_eq(service_result_to_string(s->result), "timeout");
        ck_assert_log_contains(&v.log, "n.service: Service reached runtime time limit. Stopping.");
        env_done(&v);
}
END_TEST

START_TEST(test_exec_condition_skips) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "o.service", "[Service]\nExecCondition=/bin/sh -c 'exit 1'\nExecStart=/bin/sleep 100\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        ck_assert_str_eq(service_result_to_string(s->result), "exec-condition");
        ck_assert_int_eq(exec_status_table_get(&s->exec_status, EXEC_START, 0)->pid, 0);
        ck_assert_log_contains(&v.log, "o.service: Skipped due to 'exec-condition'.");
        env_done(&v);
}
END_TEST

START_TEST(test_kill_unit_errors) {
        Env v;
        Service *s;
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        _cleanup_bus_error_ BusError error2 = BUS_ERROR_NULL;

        env_init(&v);
        s = env_load(&v, "p.service", "[Service]\nExecStart=/bin/sleep 100\n");
        ck_assert_int_eq(service_vtable.kill(&s->meta, KILL_MAIN, SIGTERM, &error), -ESRCH);
        ck_assert_str_eq(error.name, "org.freedesktop.systemd1.NoSuchProcess");
        ck_assert_str_eq(error.message, "No main process to kill");
        ck_assert_int_eq(service_vtable.kill(&s->meta, KILL_CONTROL, SIGTERM, &error2), -ESRCH);
        ck_assert_str_eq(error2.message, "No control process to kill");
        /* kill with SIGTERM leaves a simple service inactive, not failed. */
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        ck_assert_int_eq(service_vtable.kill(&s->meta, KILL_ALL, SIGTERM, NULL), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        env_done(&v);
}
END_TEST

START_TEST(test_bad_settings) {
        Env v;
        Unit *u;

        env_init(&v);
        unit_tree_write(v.tree.etc, "q.service", "[Service]\nType=oneshot\nRestart=always\nExecStart=/bin/true\n");
        ck_assert_int_eq(manager_load_unit(v.m, "q.service", &u), 0);
        ck_assert_int_eq(u->load_state, UNIT_BAD_SETTING);
        ck_assert_log_contains(&v.log, "Service has Restart= set to either always or on-success, which isn't allowed for Type=oneshot services. Refusing.");
        unit_tree_write(v.tree.etc, "r.service", "[Service]\nExecStart=/bin/true\nPIDFile=r.pid\nKillSignal=SIGINT\nTimeoutSec=7\n");
        ck_assert_int_eq(manager_load_unit(v.m, "r.service", &u), 0);
        ck_assert_int_eq(u->load_state, UNIT_LOADED);
        ck_assert_str_eq(SERVICE(u)->pid_file, "/run/r.pid");
        ck_assert_int_eq(SERVICE(u)->kill_context.kill_signal, SIGINT);
        ck_assert_uint_eq(SERVICE(u)->timeout_start_usec, 7 * USEC_PER_SEC);
        ck_assert_uint_eq(SERVICE(u)->timeout_stop_usec, 7 * USEC_PER_SEC);
        env_done(&v);
}
END_TEST

/* Type=dbus: activating (start) until BusName= has an owner (as the system bus reports it), then
 * running; stopped when the name goes away. */
START_TEST(test_dbus_waits_for_name) {
        Env v;
        Service *s;

        env_init(&v);
        ck_assert_int_eq(manager_bus_setup(v.m, -1), 0);
        s = env_load(&v, "d.service", "[Service]\nType=dbus\nBusName=org.example.D\nExecStart=/bin/sleep 100\n");
        ck_assert_int_eq(s->type, SERVICE_DBUS);
        ck_assert_int_ge(unit_start(&s->meta), 0);
        env_run_for(&v, 300);
        ck_assert_int_eq(s->state, SERVICE_START);
        ck_assert_int_eq(unit_active_state(&s->meta), UNIT_ACTIVATING);
        ck_assert_int_gt(s->main_pid, 0);
        manager_sysbus_name_owner_changed(v.m, "org.example.D", ":1.5");
        ck_assert_state(&v, s, SERVICE_RUNNING, 5000);
        ck_assert(s->bus_name_good);
        ck_assert_str_eq(s->bus_name_owner, ":1.5");
        ck_assert_log_contains(&v.log, "d.service: D-Bus name org.example.D now owned by :1.5");
        /* another name: nothing happens */
        manager_sysbus_name_owner_changed(v.m, "org.example.Other", NULL);
        env_run_for(&v, 100);
        ck_assert_int_eq(s->state, SERVICE_RUNNING);
        /* the name went away: the service is stopped, successfully */
        manager_sysbus_name_owner_changed(v.m, "org.example.D", "");
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        ck_assert(!s->bus_name_good);
        ck_assert_int_eq(s->result, SERVICE_SUCCESS);
        env_done(&v);
}
END_TEST

/* Type=dbus whose main process ends before the name appears: done (exit 0) or failed. */
START_TEST(test_dbus_main_exits_first) {
        Env v;
        Service *s, *f;

        env_init(&v);
        ck_assert_int_eq(manager_bus_setup(v.m, -1), 0);
        s = env_load(&v, "e.service", "[Service]\nType=dbus\nBusName=org.example.E\nExecStart=/bin/true\n");
        f = env_load(&v, "f.service", "[Service]\nType=dbus\nBusName=org.example.F\nExecStart=/bin/false\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_int_ge(unit_start(&f->meta), 0);
        ck_assert_state(&v, s, SERVICE_DEAD, 5000);
        ck_assert_int_eq(s->result, SERVICE_SUCCESS);
        ck_assert_state(&v, f, SERVICE_FAILED, 5000);
        ck_assert_str_eq(service_result_to_string(f->result), "exit-code");
        env_done(&v);
}
END_TEST

/* TimeoutStartSec= applies while waiting for the name; without a bus the service waits too. */
START_TEST(test_dbus_start_timeout) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "g.service",
                     "[Service]\nType=dbus\nBusName=org.example.G\nTimeoutStartSec=500ms\nExecStart=/bin/sleep 100\n");
        ck_assert_int_ge(unit_start(&s->meta), 0);
        ck_assert_msg(s->state == SERVICE_START, "state %s; log:\n%s", service_state_to_string(s->state), v.log.buf);
        ck_assert_state(&v, s, SERVICE_FAILED, 5000);
        ck_assert_str_eq(service_result_to_string(s->result), "timeout");
        ck_assert_log_contains(&v.log, "g.service: start operation timed out. Terminating.");
        env_done(&v);
}
END_TEST

/* One service per bus name, as 252: the second is refused. */
START_TEST(test_dbus_name_taken_twice) {
        Env v;
        Unit *u;

        env_init(&v);
        ck_assert_int_eq(manager_bus_setup(v.m, -1), 0);
        (void) env_load(&v, "h1.service", "[Service]\nType=dbus\nBusName=org.example.H\nExecStart=/bin/sleep 1\n");
        unit_tree_write(v.tree.etc, "h2.service", "[Service]\nBusName=org.example.H\nExecStart=/bin/sleep 1\n");
        ck_assert_int_eq(manager_load_unit(v.m, "h2.service", &u), 0);
        ck_assert_int_eq(u->load_state, UNIT_BAD_SETTING);
        ck_assert_log_contains(&v.log, "h2.service: Two services allocated for the same bus name org.example.H, refusing operation.");
        env_done(&v);
}
END_TEST

/* Crash recovery: whether the name had an owner, and who, comes back from the state store. */
START_TEST(test_dbus_state_restored) {
        Env v;
        Service *s;

        env_init(&v);
        s = env_load(&v, "k.service", "[Service]\nType=dbus\nBusName=org.example.K\nExecStart=/bin/sleep 1\n");
        ck_assert_int_eq(service_vtable.deserialize_item(&s->meta, "bus-name-good", "yes"), 0);
        ck_assert_int_eq(service_vtable.deserialize_item(&s->meta, "bus-name-owner", ":1.42"), 0);
        ck_assert(s->bus_name_good);
        ck_assert_str_eq(s->bus_name_owner, ":1.42");
        env_done(&v);
}
END_TEST

/* The command records (exec-status.c): one per command of every list, kind by kind; a reload
 * that keeps a list's length keeps its records (ExecStart= of a running service still shows its
 * run), a list whose length changed starts afresh. */
START_TEST(test_exec_status_table) {
        ExecCommand start[2] = {}, stop[3] = {}, other[1] = {};
        ExecCommand *lists[_EXEC_COMMAND_KIND_MAX] = {};
        ExecStatusTable t = {};

        start[0].next = &start[1];
        stop[0].next = &stop[1];
        stop[1].next = &stop[2];
        lists[EXEC_START] = start;
        lists[EXEC_STOP] = stop;
        ck_assert_int_eq(exec_status_table_fit(&t, lists), 0);
        ck_assert_uint_eq(t.n[EXEC_START], 2);
        ck_assert_uint_eq(t.n[EXEC_STOP], 3);
        ck_assert_ptr_null(exec_status_table_get(&t, EXEC_START, 2));
        ck_assert_ptr_null(exec_status_table_get(&t, EXEC_CONDITION, 0));
        ck_assert_ptr_eq(exec_status_table_find(&t, lists, EXEC_STOP, &stop[2]), exec_status_table_get(&t, EXEC_STOP, 2));
        ck_assert_ptr_null(exec_status_table_find(&t, lists, EXEC_STOP, other));
        exec_status_start(exec_status_table_find(&t, lists, EXEC_START, &start[1]), 42);
        exec_status_exit(exec_status_table_get(&t, EXEC_START, 1), 42, CLD_EXITED, 3);
        exec_status_start(exec_status_table_get(&t, EXEC_STOP, 0), 43);

        /* a reload: ExecStart= as long as before, ExecStop= shorter, ExecStartPre= new */
        stop[0].next = NULL;
        lists[EXEC_START_PRE] = other;
        ck_assert_int_eq(exec_status_table_fit(&t, lists), 0);
        ExecStatus *st = exec_status_table_get(&t, EXEC_START, 1);
        ck_assert_int_eq(st->pid, 42);
        ck_assert_int_eq(st->code, CLD_EXITED);
        ck_assert_int_eq(st->status, 3);
        ck_assert(dual_timestamp_is_set(&st->start_timestamp) && dual_timestamp_is_set(&st->exit_timestamp));
        ck_assert_int_eq(exec_status_table_get(&t, EXEC_STOP, 0)->pid, 0);
        ck_assert_int_eq(exec_status_table_get(&t, EXEC_START_PRE, 0)->pid, 0);

        exec_status_table_reset(&t);
        ck_assert_int_eq(exec_status_table_get(&t, EXEC_START, 1)->pid, 0);
        exec_status_table_done(&t);
        ck_assert_ptr_null(t.records);
        ck_assert_uint_eq(t.n[EXEC_START], 0);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("service");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_exec_status_table);
        tcase_add_test(tc, test_simple_start_stop);
        tcase_add_test(tc, test_reload_keeps_only_the_running_command_list);
        tcase_add_test(tc, test_exec_missing_binary);
        tcase_add_test(tc, test_exec_becomes_active_after_execve);
        tcase_add_test(tc, test_oneshot_several_remain);
        tcase_add_test(tc, test_forking_pid_file);
        tcase_add_test(tc, test_notify_ready_status);
        tcase_add_test(tc, test_restart_on_failure);
        tcase_add_test(tc, test_restart_prevent_exit_status);
        tcase_add_test(tc, test_success_exit_status);
        tcase_add_test(tc, test_timeout_start);
        tcase_add_test(tc, test_timeout_stop_sigkill);
        tcase_add_test(tc, test_stop_post_sees_result);
        tcase_add_test(tc, test_kill_mode_process);
        tcase_add_test(tc, test_watchdog);
        tcase_add_test(tc, test_runtime_max);
        tcase_add_test(tc, test_exec_condition_skips);
        tcase_add_test(tc, test_kill_unit_errors);
        tcase_add_test(tc, test_bad_settings);
        tcase_add_test(tc, test_dbus_waits_for_name);
        tcase_add_test(tc, test_dbus_main_exits_first);
        tcase_add_test(tc, test_dbus_start_timeout);
        tcase_add_test(tc, test_dbus_name_taken_twice);
        tcase_add_test(tc, test_dbus_state_restored);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
