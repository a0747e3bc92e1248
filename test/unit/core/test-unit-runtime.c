/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the unit and manager runtime: the notify socket (credentials of a real sender), SIGCHLD
 * routed to the unit watching a pid, timestamps and invocation IDs when a target starts, garbage
 * collection, the start rate limit, SystemState, emergency actions and daemon-reload. Everything
 * lives in a temporary runtime directory (m->test_run). */

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus/bus-error.h"
#include "emergency-action.h"
#include "init-protocol.h"
#include "job.h"
#include "manager-signals.h"
#include "test-helpers.h"
#include "unit-tree.h"

static UnitTree t;
static Manager *m;
static Event *e;
static char runtime[128];
static sigset_t old_mask;

static void setup(void) {
        sigset_t mask;

        unit_tree_init(&t);
        snprintf(runtime, sizeof runtime, "%s/rt", t.root);
        ck_assert_int_eq(mkdir(runtime, 0755), 0);
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        ck_assert_int_eq(sigprocmask(SIG_BLOCK, &mask, &old_mask), 0);
        ck_assert_int_eq(event_new(&e), 0);
        m = unit_tree_manager(&t);
        m->test_run = true;
        ck_assert_int_eq(manager_setup_runtime(m, e, runtime), 0);
}

static void teardown(void) {
        m = manager_free(m);
        e = event_unref(e);
        ck_assert_int_eq(sigprocmask(SIG_SETMASK, &old_mask, NULL), 0);
        unit_tree_done(&t);
}

/* Runs the loop until cond() holds (at most ~5 s). */
static bool run_until(bool (*cond)(void *), void *userdata) {
        for (int i = 0; i < 500; i++) {
                if (cond(userdata))
                        return true;
                ck_assert_int_ge(event_run(e, 10 * USEC_PER_MSEC), 0);
        }
        return cond(userdata);
}

static Unit *load(const char *name, const char *content) {
        Unit *u;

        if (content)
                unit_tree_write(t.usr, name, content);
        ck_assert_int_eq(manager_load_unit(m, name, &u), 0);
        return u;
}

/* ---- notify socket ---- */

static bool capture_has(void *userdata) {
        void **a = userdata;
        return strstr(((LogCapture *) a[0])->buf, a[1]) != NULL;
}

START_TEST(test_notify_socket_credentials) {
        char path[256], expected[128];
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        LogCapture cap;
        pid_t pid;
        int status;
        void *args[2] = { &cap, expected };

        snprintf(path, sizeof path, "%s/systemd/notify", runtime);
        ck_assert_str_eq(m->notify_socket, path);
        ck_assert_int_eq(access(path, F_OK), 0);

        log_capture_start(&cap);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                const char msg[] = "READY=1\nSTATUS=hello";
                memcpy(sa.sun_path, path, strlen(path) + 1);
                if (fd < 0 || sendto(fd, msg, sizeof msg - 1, 0, (struct sockaddr *) &sa, sizeof sa) < 0)
                        _exit(1);
                /* stay alive until the manager has read the message */
                pause();
                _exit(0);
        }
        /* The credentials name the child: no unit has it, so 252's warning names its pid. */
        snprintf(expected, sizeof expected, "Cannot find unit for notify message of PID %d, ignoring.", (int) pid);
        ck_assert(run_until(capture_has, args));
        log_capture_stop();
        ck_assert_int_eq(kill(pid, SIGKILL), 0);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}
END_TEST

/* A message with a NUL byte in it is refused with 252's warning. */
START_TEST(test_notify_embedded_nul_is_refused) {
        char path[256], expected[] = "Received notify message with embedded NUL bytes. Ignoring.";
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        const char msg[] = "READY=1\0X";
        LogCapture cap;
        void *args[2] = { &cap, expected };

        snprintf(path, sizeof path, "%s/systemd/notify", runtime);
        memcpy(sa.sun_path, path, strlen(path) + 1);
        ck_assert_int_ge(fd, 0);
        log_capture_start(&cap);
        ck_assert_int_eq(sendto(fd, msg, sizeof msg - 1, 0, (struct sockaddr *) &sa, sizeof sa),
                         (ssize_t) sizeof msg - 1);
        ck_assert(run_until(capture_has, args));
        log_capture_stop();
        close(fd);
}
END_TEST

/* ---- SIGCHLD ---- */

static bool pid_unwatched(void *userdata) {
        return !hashmap_get(m->watch_pids, userdata);
}

START_TEST(test_sigchld_routed_to_watching_unit) {
        Unit *u = load("w.target", "[Unit]\nDescription=watcher\n");
        LogCapture cap;
        char expected[128];
        pid_t pid;

        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(7);
        ck_assert_int_eq(unit_watch_pid(u, pid), 0);
        ck_assert_ptr_eq(manager_get_unit_by_pid(m, pid), u);
        log_capture_start(&cap);
        ck_assert(run_until(pid_unwatched, PID_TO_PTR(pid)));
        log_capture_stop();
        snprintf(expected, sizeof expected, "Child %d (w.target) died (code=exited, status=7).", (int) pid);
        ck_assert_log_contains(&cap, expected);
        /* reaped: nothing is left to wait for */
        ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);
        ck_assert_int_eq(ordered_set_size(u->pids), 0);
}
END_TEST

START_TEST(test_watch_pid_moves_between_units) {
        Unit *a = load("a.target", "[Unit]\n"), *b = load("b.target", "[Unit]\n");

        ck_assert_int_eq(unit_watch_pid(a, 4242424), 0);
        ck_assert_int_eq(unit_watch_pid(b, 4242424), 0);
        ck_assert_ptr_eq(manager_get_unit_by_pid(m, 4242424), b);
        ck_assert(!ordered_set_contains(a->pids, PID_TO_PTR(4242424)));
        unit_unwatch_pid(b, 4242424);
        ck_assert_ptr_null(hashmap_get(m->watch_pids, PID_TO_PTR(4242424)));
        ck_assert_ptr_eq(manager_get_unit_by_pid(m, getpid()), manager_get_unit(m, "init.scope"));
}
END_TEST

/* ---- starting a target ---- */

START_TEST(test_target_start_timestamps_and_invocation_id) {
        Unit *u = load("s.target", "[Unit]\nDescription=start me\n");
        char first[33];
        usec_t before = now(CLOCK_REALTIME);

        ck_assert_str_eq(unit_invocation_id_format(u, (char[33]) {}), "");
        ck_assert_int_ge(unit_start(u), 0);
        ck_assert_int_eq(unit_active_state(u), UNIT_ACTIVE);
        ck_assert_str_eq(unit_sub_state_to_string(u), "active");
        ck_assert_uint_ge(u->active_enter_timestamp.realtime, before);
        ck_assert_uint_eq(u->inactive_exit_timestamp.realtime, u->active_enter_timestamp.realtime);
        ck_assert_uint_eq(u->state_change_timestamp.monotonic, u->active_enter_timestamp.monotonic);
        ck_assert_uint_eq(u->active_exit_timestamp.realtime, 0);
        ck_assert_uint_eq(strlen(unit_invocation_id_format(u, (char[33]) {})), 32);
        ck_assert_uint_eq(strspn(unit_invocation_id_format(u, (char[33]) {}), "0123456789abcdef"), 32);
        ck_assert_int_eq(u->invocation_id[6] >> 4, 4); /* UUID v4 */
        snprintf(first, sizeof first, "%s", unit_invocation_id_format(u, (char[33]) {}));
        ck_assert_int_eq(unit_start(u), -EALREADY);

        ck_assert_int_ge(unit_stop(u), 0);
        ck_assert_int_eq(unit_active_state(u), UNIT_INACTIVE);
        ck_assert_uint_ge(u->active_exit_timestamp.monotonic, u->active_enter_timestamp.monotonic);
        ck_assert_uint_eq(u->inactive_enter_timestamp.monotonic, u->active_exit_timestamp.monotonic);
        ck_assert_int_eq(unit_stop(u), -EALREADY);
        ck_assert_int_ge(unit_start(u), 0);
        ck_assert_str_ne(unit_invocation_id_format(u, (char[33]) {}), first);
}
END_TEST

START_TEST(test_start_refusals) {
        Unit *nf = load("missing.target", NULL), *svc = load("x.timer", "[Timer]\nOnBootSec=1min\n");

        ck_assert_int_eq(unit_start(nf), -EINVAL);
        ck_assert(!unit_can_start(nf));
        /* a type that is not implemented: its job ends "unsupported" */
        ck_assert_int_eq(unit_start(svc), -EOPNOTSUPP);
        ck_assert_int_eq(unit_reload(svc), -EBADR);
        ck_assert_int_eq(unit_kill(svc, KILL_ALL, SIGTERM, NULL), -EOPNOTSUPP);
}
END_TEST

START_TEST(test_start_limit) {
        Unit *u = load("l.target", "[Unit]\nStartLimitIntervalSec=1h\nStartLimitBurst=3\n");
        LogCapture cap;

        ck_assert_uint_eq(u->rt.start_limit_interval, USEC_PER_HOUR);
        ck_assert_uint_eq(u->rt.start_limit_burst, 3);
        for (int i = 0; i < 3; i++)
                ck_assert_int_eq(unit_test_start_limit(u), 0);
        log_capture_start(&cap);
        ck_assert_int_eq(unit_test_start_limit(u), -ECANCELED);
        log_capture_stop();
        ck_assert(u->start_limit_hit);
        ck_assert_log_contains(&cap, "l.target: Start request repeated too quickly.");
        unit_reset_failed(u);
        ck_assert(!u->start_limit_hit);
        ck_assert_int_eq(unit_test_start_limit(u), 0);
}
END_TEST

START_TEST(test_runtime_settings_defaults_and_bad_values) {
        Unit *d = load("d.target", "[Unit]\n");
        Unit *s = load("s.target", "[Unit]\nRefuseManualStart=yes\nAllowIsolate=true\nJobTimeoutSec=5s\n"
                                   "OnFailureJobMode=isolate\nCollectMode=inactive-or-failed\n"
                                   "SuccessAction=reboot-force\nSuccessActionExitStatus=3\n");
        LogCapture cap;
        Unit *b;

        ck_assert_uint_eq(d->rt.start_limit_interval, 10 * USEC_PER_SEC);
        ck_assert_uint_eq(d->rt.start_limit_burst, 5);
        ck_assert_uint_eq(d->rt.job_timeout, USEC_INFINITY);
        ck_assert_int_eq(d->rt.on_failure_job_mode, JOB_REPLACE);
        ck_assert_int_eq(d->rt.collect_mode, COLLECT_INACTIVE);
        ck_assert_int_eq(d->rt.success_action_exit_status, -1);
        ck_assert(s->rt.refuse_manual_start && s->rt.allow_isolate && unit_can_isolate(s));
        ck_assert_uint_eq(s->rt.job_timeout, 5 * USEC_PER_SEC);
        ck_assert_uint_eq(s->rt.job_running_timeout, 5 * USEC_PER_SEC);
        ck_assert_int_eq(s->rt.on_failure_job_mode, JOB_ISOLATE);
        ck_assert_int_eq(s->rt.collect_mode, COLLECT_INACTIVE_OR_FAILED);
        ck_assert_int_eq(s->rt.success_action, EMERGENCY_ACTION_REBOOT_FORCE);
        ck_assert_int_eq(s->rt.success_action_exit_status, 3);

        log_capture_start(&cap);
        b = load("b.target", "[Unit]\nStartLimitBurst=many\nCollectMode=sometimes\n");
        log_capture_stop();
        ck_assert_uint_eq(b->rt.start_limit_burst, 5);
        ck_assert_int_eq(b->rt.collect_mode, COLLECT_INACTIVE);
        ck_assert_log_contains(&cap, "b.target: Failed to parse StartLimitBurst=many, ignoring");
        ck_assert_log_contains(&cap, "Failed to parse CollectMode=sometimes, ignoring");
}
END_TEST

/* ---- GC ---- */

START_TEST(test_gc_collects_unreferenced_inactive_units) {
        Unit *top = load("top.target", "[Unit]\nWants=kept.target\n");
        Unit *lone = load("lone.target", "[Unit]\n");
        Unit *kept = manager_get_unit(m, "kept.target"); /* not-found, wanted by top */

        ck_assert_ptr_nonnull(kept);
        ck_assert_int_ge(unit_start(top), 0);
        manager_dispatch_queues(m);
        unit_add_to_gc_queue(lone);
        unit_add_to_gc_queue(kept);
        manager_dispatch_queues(m);
        ck_assert_ptr_null(manager_get_unit(m, "lone.target"));
        ck_assert_ptr_eq(manager_get_unit(m, "kept.target"), kept);
        ck_assert_ptr_eq(manager_get_unit(m, "top.target"), top);
        ck_assert_ptr_nonnull(manager_get_unit(m, "-.slice")); /* perpetual */

        /* once top is stopped, both go together */
        ck_assert_int_ge(unit_stop(top), 0);
        manager_dispatch_queues(m);
        ck_assert_ptr_null(manager_get_unit(m, "top.target"));
        ck_assert_ptr_null(manager_get_unit(m, "kept.target"));
}
END_TEST

START_TEST(test_gc_keeps_referenced_by_bus_and_active) {
        Unit *u = load("ref.target", "[Unit]\n");

        u->ref_count_bus = 1;
        unit_add_to_gc_queue(u);
        manager_dispatch_queues(m);
        ck_assert_ptr_eq(manager_get_unit(m, "ref.target"), u);
        u->ref_count_bus = 0;
        ck_assert_int_ge(unit_start(u), 0);
        unit_add_to_gc_queue(u);
        manager_dispatch_queues(m);
        ck_assert_ptr_eq(manager_get_unit(m, "ref.target"), u);
}
END_TEST

/* ---- system state, emergency actions ---- */

START_TEST(test_system_state) {
        Unit *shutdown = load("shutdown.target", "[Unit]\nDefaultDependencies=no\n");
        Unit *basic = load("basic.target", "[Unit]\n");
        Unit *rescue = load("rescue.target", "[Unit]\n");

        ck_assert_str_eq(manager_state_string(m), "initializing");
        ck_assert_int_ge(unit_start(basic), 0);
        ck_assert_str_eq(manager_state_string(m), "starting");
        m->startup_finished = true;
        ck_assert_str_eq(manager_state_string(m), "running");
        ck_assert_uint_eq(manager_n_failed_units(m), 0);
        ck_assert_int_ge(unit_start(rescue), 0);
        ck_assert_str_eq(manager_state_string(m), "maintenance");
        ck_assert_int_ge(unit_start(shutdown), 0);
        ck_assert_str_eq(manager_state_string(m), "stopping");
}
END_TEST

START_TEST(test_emergency_actions) {
        LogCapture cap;

        ck_assert_str_eq(emergency_action_to_string(EMERGENCY_ACTION_REBOOT_IMMEDIATE), "reboot-immediate");
        ck_assert_int_eq(emergency_action_from_string("exit-force"), EMERGENCY_ACTION_EXIT_FORCE);
        ck_assert_int_lt(emergency_action_from_string("explode"), 0);
        ck_assert_str_eq(kill_mode_to_string(KILL_CONTROL_GROUP), "control-group");
        ck_assert_int_eq(kill_who_from_string("all-fail"), KILL_ALL_FAIL);
        ck_assert_str_eq(collect_mode_to_string(COLLECT_INACTIVE_OR_FAILED), "inactive-or-failed");
        ck_assert_str_eq(manager_objective_to_string(MANAGER_REEXECUTE), "reexecute");

        emergency_action(m, EMERGENCY_ACTION_NONE, "unit x failed", -1);
        ck_assert_int_eq(m->objective, MANAGER_OK);
        log_capture_start(&cap);
        emergency_action(m, EMERGENCY_ACTION_POWEROFF_FORCE, "unit x failed", -1);
        log_capture_stop();
        ck_assert_int_eq(m->objective, MANAGER_POWEROFF);
        ck_assert_log_contains(&cap, "Forcibly powering off: unit x failed");
        emergency_action(m, EMERGENCY_ACTION_EXIT_FORCE, "unit x succeeded", 42);
        ck_assert_int_eq(m->objective, MANAGER_EXIT);
        ck_assert_int_eq(m->return_value, 42);
        emergency_action(m, EMERGENCY_ACTION_REBOOT_FORCE, "r", -1);
        ck_assert_int_eq(m->objective, MANAGER_REBOOT);
}
END_TEST

/* SuccessAction= of a target runs when it stops after having been active. */
START_TEST(test_success_action_on_stop) {
        Unit *u = load("sa.target", "[Unit]\nSuccessAction=exit-force\nSuccessActionExitStatus=5\n");

        ck_assert_int_ge(unit_start(u), 0);
        ck_assert_int_eq(m->objective, MANAGER_OK);
        ck_assert_int_ge(unit_stop(u), 0);
        ck_assert_int_eq(m->objective, MANAGER_EXIT);
        ck_assert_int_eq(m->return_value, 5);
}
END_TEST

/* ---- signals (systemd(1), SIGNALS), as sysmaster-init forwards them ---- */

START_TEST(test_signals) {
        int level = log_get_max_level();

        /* SIGRTMIN+n is glibc's number whatever the C library (init-protocol.h) */
        manager_dispatch_signal(m, INIT_SIGRTMIN + 22);
        ck_assert_int_eq(log_get_max_level(), LOG_DEBUG);
        manager_dispatch_signal(m, INIT_SIGRTMIN + 23);
        ck_assert_int_eq(log_get_max_level(), level);
        manager_dispatch_signal(m, INIT_SIGRTMIN + 14);
        ck_assert_int_eq(m->objective, MANAGER_POWEROFF);
        m->objective = MANAGER_OK;
        manager_dispatch_signal(m, INIT_SIGRTMIN + 25);
        ck_assert_int_eq(m->objective, MANAGER_REEXECUTE);
        m->objective = MANAGER_OK;
        /* ctrl-alt-del: seven within 2 s start ctrl-alt-del.target (not there: logged), the
         * eighth reboots at once */
        for (int i = 0; i < 7; i++) {
                manager_dispatch_signal(m, SIGINT);
                ck_assert_int_eq(m->objective, MANAGER_OK);
        }
        manager_dispatch_signal(m, SIGINT);
        ck_assert_int_eq(m->objective, MANAGER_REBOOT);
}
END_TEST

/* Ctrl-alt-del pressed eight times, but not within 2 s: no reboot. */
START_TEST(test_signals_ctrl_alt_del_slow) {
        for (int i = 0; i < 8; i++) {
                manager_dispatch_signal(m, SIGINT);
                if (i == 3)
                        usleep(2100 * 1000);
        }
        ck_assert_int_eq(m->objective, MANAGER_OK);
}
END_TEST

/* ---- daemon-reload ---- */

START_TEST(test_reload_keeps_runtime_state) {
        Unit *u = load("r.target", "[Unit]\nDescription=before\n");
        char id[33];

        ck_assert_int_ge(unit_start(u), 0);
        snprintf(id, sizeof id, "%s", unit_invocation_id_format(u, (char[33]) {}));
        load("later.target", NULL);
        ck_assert_int_eq(manager_get_unit(m, "later.target")->load_state, UNIT_NOT_FOUND);
        unit_tree_write(t.usr, "r.target", "[Unit]\nDescription=after\nWants=later.target\n");
        unit_tree_write(t.usr, "later.target", "[Unit]\n");
        ck_assert_int_eq(manager_reload(m), 0);
        ck_assert_ptr_eq(manager_get_unit(m, "r.target"), u);
        ck_assert_str_eq(u->description, "after");
        ck_assert_int_eq(unit_active_state(u), UNIT_ACTIVE);
        ck_assert_str_eq(unit_invocation_id_format(u, (char[33]) {}), id);
        ck_assert_int_eq(manager_get_unit(m, "later.target")->load_state, UNIT_LOADED);
        ck_assert(unit_has_dependency(u, UNIT_WANTS, manager_get_unit(m, "later.target")));
}
END_TEST

/* TEST-03's ordering cycles: the units loaded for a transaction that failed are collected, as
 * systemd 252 collects them (list-units --all no longer shows them). */
START_TEST(test_gc_collects_units_of_a_failed_transaction) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        Unit *c0 = load("cycle0.target", "[Unit]\nRequires=cycle1.target\nAfter=cycle1.target\n");

        unit_tree_write(t.usr, "cycle1.target", "[Unit]\nRequires=cycle0.target\nAfter=cycle0.target\n");
        ck_assert_int_lt(manager_add_job(m, JOB_START, c0, JOB_REPLACE, NULL, &error, NULL), 0);
        ck_assert_str_eq(error.name, "org.freedesktop.systemd1.TransactionOrderIsCyclic");
        ck_assert_ptr_nonnull(manager_get_unit(m, "cycle1.target"));
        manager_dispatch_queues(m);
        ck_assert_ptr_null(manager_get_unit(m, "cycle0.target"));
        ck_assert_ptr_null(manager_get_unit(m, "cycle1.target"));
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("unit-runtime");
        TCase *tc = tcase_create("runtime");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, test_notify_socket_credentials);
        tcase_add_test(tc, test_notify_embedded_nul_is_refused);
        tcase_add_test(tc, test_sigchld_routed_to_watching_unit);
        tcase_add_test(tc, test_watch_pid_moves_between_units);
        tcase_add_test(tc, test_target_start_timestamps_and_invocation_id);
        tcase_add_test(tc, test_start_refusals);
        tcase_add_test(tc, test_start_limit);
        tcase_add_test(tc, test_runtime_settings_defaults_and_bad_values);
        tcase_add_test(tc, test_gc_collects_unreferenced_inactive_units);
        tcase_add_test(tc, test_gc_keeps_referenced_by_bus_and_active);
        tcase_add_test(tc, test_gc_collects_units_of_a_failed_transaction);
        tcase_add_test(tc, test_system_state);
        tcase_add_test(tc, test_emergency_actions);
        tcase_add_test(tc, test_success_action_on_stop);
        tcase_add_test(tc, test_signals);
        tcase_add_test(tc, test_signals_ctrl_alt_del_slow);
        tcase_add_test(tc, test_reload_keeps_runtime_state);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
