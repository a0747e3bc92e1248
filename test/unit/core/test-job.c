/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of jobs running from the event loop (job.c): activation order follows After=, restart,
 * stop, no-op jobs, results propagated to dependent jobs, cancellation, job ids, the ordering
 * lists of GetAfter/GetBefore, and the status lines systemd 252 logs. The units are targets. */

#include "event.h"
#include "job.h"
#include "target.h"
#include "test-helpers.h"
#include "unit-tree.h"

static UnitTree t;
static Manager *m;
static Event *e;
static LogCapture cap;

static void setup(void) {
        unit_tree_init(&t);
        m = NULL;
        ck_assert_int_eq(event_new(&e), 0);
}

static void teardown(void) {
        log_capture_stop();
        if (m) {
                manager_clear_jobs(m);
                m->run_queue_event_source = event_source_disable_unref(m->run_queue_event_source);
                m->event = NULL;
        }
        manager_free(m);
        e = event_unref(e);
        unit_tree_done(&t);
}

static void manager_up(void) {
        m = unit_tree_manager(&t);
        m->event = e;
}

static Unit *load(const char *name) {
        Unit *u;

        ck_assert_int_eq(manager_load_unit(m, name, &u), 0);
        return u;
}

static uint32_t enqueue(JobType type, const char *name, JobMode mode) {
        Job *j = NULL;

        ck_assert_int_eq(manager_add_job(m, type, load(name), mode, NULL, NULL, &j), 0);
        ck_assert_ptr_nonnull(j);
        return j->id;
}

static void run_until_idle(void) {
        int r;

        while ((r = event_run(e, 0)) > 0)
                ;
        ck_assert_int_eq(r, 0);
}

static UnitActiveState state(const char *name) {
        return unit_active_state(load(name));
}

/* Asserts that a occurs in the captured log before b. */
static void assert_log_order(const char *a, const char *b) {
        const char *pa = strstr(cap.buf, a), *pb = strstr(cap.buf, b);

        /* (check's messages are limited to a few kB) */
        ck_assert_msg(pa && pb && pa < pb, "expected \"%s\" before \"%s\" in:\n%.3000s", a, b, cap.buf);
}

START_TEST(test_start_follows_after) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nDescription=Alpha\nWants=b.target c.target\nAfter=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\nAfter=c.target\n");
        unit_tree_write(t.usr, "c.target", "[Unit]\n");
        manager_up();

        log_capture_start(&cap);
        uint32_t id = enqueue(JOB_START, "a.target", JOB_REPLACE);
        ck_assert_ptr_nonnull(manager_get_job(m, id));
        run_until_idle();
        log_capture_stop();

        ck_assert_int_eq(state("a.target"), UNIT_ACTIVE);
        ck_assert_int_eq(state("b.target"), UNIT_ACTIVE);
        ck_assert_int_eq(state("c.target"), UNIT_ACTIVE);
        ck_assert_ptr_null(manager_get_job(m, id));
        ck_assert_uint_eq(hashmap_size(m->jobs), 0);
        ck_assert_uint_eq(m->n_running_jobs, 0);
        assert_log_order("Reached target c.target.", "Reached target b.target.");
        assert_log_order("Reached target b.target.", "Reached target a.target - Alpha.");
        ck_assert_str_eq(unit_sub_state_to_string(load("a.target")), "active");
}
END_TEST

/* Jobs free to run go in 252's order: unit types later in the enum first (a slice before a
 * target), then by name, whatever order they were queued in; 60 of them in one go. (m.target
 * comes last: a target is ordered after what it wants.) */
START_TEST(test_run_queue_order) {
        char name[32], body[2048] = "[Unit]\nWants=";
        const char *order[] = { "Started q.slice - Slice /q.", "Reached target a.target.",
                                "Reached target b.target.", "Reached target t00.target." };

        for (int i = 59; i >= 0; i--) {
                snprintf(name, sizeof name, "t%02d.target", (i * 37) % 60);
                unit_tree_write(t.usr, name, "[Unit]\n");
                strcat(strcat(body, " "), name);
        }
        strcat(body, " z.target b.target q.slice a.target\n");
        unit_tree_write(t.usr, "m.target", body);
        unit_tree_write(t.usr, "z.target", "[Unit]\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        unit_tree_write(t.usr, "a.target", "[Unit]\n");
        unit_tree_write(t.usr, "q.slice", "[Unit]\nDefaultDependencies=no\n");
        manager_up();

        log_capture_start(&cap);
        (void) enqueue(JOB_START, "m.target", JOB_REPLACE);
        run_until_idle();
        log_capture_stop();

        for (size_t i = 0; i + 1 < ELEMENTSOF(order); i++)
                assert_log_order(order[i], order[i + 1]);
        for (int i = 0; i + 1 < 60; i++) {
                char a[64], b[64];

                snprintf(a, sizeof a, "Reached target t%02d.target.", i);
                snprintf(b, sizeof b, "Reached target t%02d.target.", i + 1);
                assert_log_order(a, b);
        }
        assert_log_order("Reached target t59.target.", "Reached target z.target.");
        assert_log_order("Reached target z.target.", "Reached target m.target.");
        ck_assert_uint_eq(hashmap_size(m->jobs), 0);
}
END_TEST

START_TEST(test_start_of_active_unit_is_done_at_once) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nDescription=Alpha\n");
        manager_up();
        enqueue(JOB_START, "a.target", JOB_REPLACE);
        run_until_idle();

        log_capture_start(&cap);
        uint32_t id = enqueue(JOB_START, "a.target", JOB_REPLACE);
        run_until_idle();
        log_capture_stop();
        ck_assert_ptr_null(manager_get_job(m, id));
        ck_assert_log_contains(&cap, "a.target/start finished, result=done");
        ck_assert_ptr_null(strstr(cap.buf, "Reached target"));

        /* try-restart of an inactive unit: a nop job that ends "done" too. */
        unit_tree_write(t.usr, "off.target", "[Unit]\n");
        log_capture_start(&cap);
        id = enqueue(JOB_TRY_RESTART, "off.target", JOB_FAIL);
        run_until_idle();
        log_capture_stop();
        ck_assert_ptr_null(manager_get_job(m, id));
        ck_assert_log_contains(&cap, "off.target/nop finished, result=done");
        ck_assert_int_eq(state("off.target"), UNIT_INACTIVE);
}
END_TEST

START_TEST(test_restart) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nDescription=Alpha\n");
        manager_up();
        enqueue(JOB_START, "a.target", JOB_REPLACE);
        run_until_idle();

        log_capture_start(&cap);
        uint32_t id = enqueue(JOB_RESTART, "a.target", JOB_REPLACE);
        run_until_idle();
        log_capture_stop();
        ck_assert_int_eq(state("a.target"), UNIT_ACTIVE);
        ck_assert_ptr_null(manager_get_job(m, id));
        assert_log_order("Stopped target a.target - Alpha.", "Reached target a.target - Alpha.");
        ck_assert_log_contains(&cap, "Converting job a.target/restart -> a.target/start");
}
END_TEST

START_TEST(test_stop_propagates_in_reverse_order) {
        unit_tree_write(t.usr, "x.target", "[Unit]\nRequires=y.target\nAfter=y.target\n");
        unit_tree_write(t.usr, "y.target", "[Unit]\n");
        manager_up();
        enqueue(JOB_START, "x.target", JOB_REPLACE);
        run_until_idle();
        ck_assert_int_eq(state("x.target"), UNIT_ACTIVE);
        ck_assert_int_eq(state("y.target"), UNIT_ACTIVE);

        log_capture_start(&cap);
        enqueue(JOB_STOP, "y.target", JOB_REPLACE);
        ck_assert_int_eq(load("x.target")->job->type, JOB_STOP);
        run_until_idle();
        log_capture_stop();
        ck_assert_int_eq(state("x.target"), UNIT_INACTIVE);
        ck_assert_int_eq(state("y.target"), UNIT_INACTIVE);
        /* x is ordered after y: it stops first. */
        assert_log_order("Stopped target x.target.", "Stopped target y.target.");
        ck_assert_str_eq(unit_sub_state_to_string(load("y.target")), "dead");
}
END_TEST

START_TEST(test_requisite_failure_propagates) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nDescription=Alpha\nRequisite=b.target\nAfter=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        manager_up();

        log_capture_start(&cap);
        enqueue(JOB_START, "a.target", JOB_REPLACE);
        ck_assert_int_eq(load("b.target")->job->type, JOB_VERIFY_ACTIVE);
        run_until_idle();
        log_capture_stop();
        ck_assert_int_eq(state("a.target"), UNIT_INACTIVE);
        ck_assert_log_contains(&cap, "b.target is inactive.");
        ck_assert_log_contains(&cap, "b.target/verify-active finished, result=skipped");
        ck_assert_log_contains(&cap, "Dependency failed for a.target - Alpha.");
        ck_assert_log_contains(&cap, "a.target: Job a.target/start failed with result 'dependency'.");
}
END_TEST

START_TEST(test_cancel_fails_dependent_jobs) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nRequires=b.target\nAfter=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        manager_up();
        enqueue(JOB_START, "a.target", JOB_REPLACE);

        Job *ja = load("a.target")->job, *jb = load("b.target")->job;
        _cleanup_free_ Job **before = NULL, **after = NULL;
        ck_assert_int_eq(job_get_before(ja, &before), 1);
        ck_assert_ptr_eq(before[0], jb);
        ck_assert_ptr_null(before[1]);
        ck_assert_int_eq(job_get_after(jb, &after), 1);
        ck_assert_ptr_eq(after[0], ja);

        log_capture_start(&cap);
        ck_assert_int_eq(job_cancel(jb), 0);
        log_capture_stop();
        ck_assert_uint_eq(hashmap_size(m->jobs), 0);
        ck_assert_log_contains(&cap, "b.target/start finished, result=canceled");
        ck_assert_log_contains(&cap, "a.target/start finished, result=dependency");
        run_until_idle();
        ck_assert_int_eq(state("a.target"), UNIT_INACTIVE);
        ck_assert_int_eq(state("b.target"), UNIT_INACTIVE);
}
END_TEST

START_TEST(test_job_ids_increase) {
        unit_tree_write(t.usr, "a.target", "[Unit]\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        manager_up();
        uint32_t i1 = enqueue(JOB_START, "a.target", JOB_REPLACE);
        run_until_idle();
        uint32_t i2 = enqueue(JOB_START, "b.target", JOB_REPLACE);
        uint32_t i3 = enqueue(JOB_STOP, "a.target", JOB_REPLACE);
        ck_assert_uint_gt(i1, 0);
        ck_assert_uint_gt(i2, i1);
        ck_assert_uint_gt(i3, i2);
        run_until_idle();
        ck_assert_int_eq(state("a.target"), UNIT_INACTIVE);
        ck_assert_int_eq(state("b.target"), UNIT_ACTIVE);
}
END_TEST

START_TEST(test_ignore_dependencies_runs_unordered) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nAfter=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\nRequisite=c.target\nAfter=c.target\n");
        unit_tree_write(t.usr, "c.target", "[Unit]\n");
        manager_up();
        /* b waits for c's verify job; a (after b) would wait for b, but not when merged with
         * an ignore-dependencies request. */
        enqueue(JOB_START, "b.target", JOB_REPLACE);
        enqueue(JOB_START, "a.target", JOB_IGNORE_DEPENDENCIES);
        ck_assert(job_is_runnable(load("a.target")->job));
        ck_assert(!job_is_runnable(load("b.target")->job));
        run_until_idle();
        ck_assert_int_eq(state("a.target"), UNIT_ACTIVE);
        ck_assert_int_eq(state("b.target"), UNIT_INACTIVE);
}
END_TEST

START_TEST(test_job_timeout) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nDescription=Alpha\nJobTimeoutSec=20ms\n");
        manager_up();
        uint32_t id = enqueue(JOB_START, "a.target", JOB_REPLACE);
        /* Keep the job from running: only its timer can end it. */
        ck_assert_int_eq(event_source_set_enabled(m->run_queue_event_source, EVENT_OFF), 0);

        log_capture_start(&cap);
        while (manager_get_job(m, id))
                ck_assert_int_ge(event_run(e, USEC_INFINITY), 0);
        log_capture_stop();
        ck_assert_log_contains(&cap, "a.target: Job a.target/start timed out.");
        ck_assert_log_contains(&cap, "Timed out starting a.target - Alpha.");
        ck_assert_log_contains(&cap, "a.target: Job a.target/start failed with result 'timeout'.");
        ck_assert_int_eq(state("a.target"), UNIT_INACTIVE);
}
END_TEST

START_TEST(test_condition_skips_start) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nDescription=Alpha\nConditionPathExists=/nonexistent/x\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\nConditionPathExists=|/nonexistent/y\n");
        manager_up();

        log_capture_start(&cap);
        enqueue(JOB_START, "a.target", JOB_REPLACE);
        enqueue(JOB_START, "b.target", JOB_REPLACE);
        run_until_idle();
        log_capture_stop();
        ck_assert_int_eq(state("a.target"), UNIT_INACTIVE);
        ck_assert_log_contains(&cap, "a.target/start finished, result=done");
        ck_assert_log_contains(&cap, "a.target - Alpha was skipped because of an unmet condition check "
                                     "(ConditionPathExists=/nonexistent/x).");
        ck_assert_log_contains(&cap, "b.target was skipped because no trigger condition checks were met.");
        ck_assert_ptr_null(strstr(cap.buf, "Reached target"));
}
END_TEST

START_TEST(test_dependency_failure_triggers_on_failure) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nRequisite=b.target\nAfter=b.target\nOnFailure=rescue.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        unit_tree_write(t.usr, "rescue.target", "[Unit]\nDescription=Rescue\n");
        manager_up();

        log_capture_start(&cap);
        enqueue(JOB_START, "a.target", JOB_REPLACE);
        run_until_idle();
        log_capture_stop();
        ck_assert_int_eq(state("a.target"), UNIT_INACTIVE);
        ck_assert_int_eq(state("rescue.target"), UNIT_ACTIVE);
        assert_log_order("Dependency failed for a.target.", "Reached target rescue.target - Rescue.");
}
END_TEST

START_TEST(test_reload_propagates) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nPropagatesReloadTo=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\nPropagatesReloadTo=c.target\n");
        unit_tree_write(t.usr, "c.target", "[Unit]\n");
        manager_up();
        enqueue(JOB_START, "a.target", JOB_REPLACE);
        enqueue(JOB_START, "b.target", JOB_REPLACE);
        enqueue(JOB_START, "c.target", JOB_REPLACE);
        run_until_idle();

        log_capture_start(&cap);
        enqueue(JOB_RELOAD, "a.target", JOB_REPLACE);
        ck_assert_int_eq(load("b.target")->job->type, JOB_RELOAD);
        ck_assert_ptr_null(load("c.target")->job); /* a target without reload targets cannot reload */
        run_until_idle();
        log_capture_stop();
        ck_assert_log_contains(&cap, "c.target: Cannot add dependency reload job, ignoring: ");
        ck_assert_log_contains(&cap, "Reloaded a.target.");
        ck_assert_log_contains(&cap, "Reloaded b.target.");
        ck_assert_uint_eq(hashmap_size(m->jobs), 0);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("job");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_start_follows_after);
        tcase_add_test(tc, test_run_queue_order);
        tcase_add_test(tc, test_start_of_active_unit_is_done_at_once);
        tcase_add_test(tc, test_restart);
        tcase_add_test(tc, test_stop_propagates_in_reverse_order);
        tcase_add_test(tc, test_requisite_failure_propagates);
        tcase_add_test(tc, test_cancel_fails_dependent_jobs);
        tcase_add_test(tc, test_job_ids_increase);
        tcase_add_test(tc, test_ignore_dependencies_runs_unordered);
        tcase_add_test(tc, test_job_timeout);
        tcase_add_test(tc, test_condition_skips_start);
        tcase_add_test(tc, test_dependency_failure_triggers_on_failure);
        tcase_add_test(tc, test_reload_propagates);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
