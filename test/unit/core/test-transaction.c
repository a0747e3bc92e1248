/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of transactions (transaction.c): which jobs a request pulls in, merging, redundant
 * jobs, the job modes, ordering cycles, and the errors systemctl shows, as systemd 252 does. The
 * units are targets; jobs are only run where a test needs active units (no event loop). */

#include "bus/bus-error.h"
#include "job.h"
#include "target.h"
#include "test-helpers.h"
#include "transaction.h"
#include "unit-tree.h"

static UnitTree t;
static Manager *m;
static LogCapture cap;

static void setup(void) {
        unit_tree_init(&t);
        m = NULL;
}

static void teardown(void) {
        log_capture_stop();
        if (m)
                manager_clear_jobs(m);
        manager_free(m);
        unit_tree_done(&t);
}

static Unit *load(const char *name) {
        Unit *u;

        ck_assert_int_eq(manager_load_unit(m, name, &u), 0);
        return u;
}

/* The type of the job installed on name, or NULL. */
static const char *job_of(const char *name) {
        Unit *u = manager_get_unit(m, name);

        return u && u->job ? job_type_to_string(u->job->type) : NULL;
}

static int add(JobType type, const char *name, JobMode mode, BusError *e) {
        return manager_add_job(m, type, load(name), mode, NULL, e, NULL);
}

/* Starts name and runs the jobs (targets start synchronously). */
static void activate(const char *name) {
        ck_assert_int_eq(add(JOB_START, name, JOB_REPLACE, NULL), 0);
        manager_dispatch_run_queue(m);
        ck_assert_int_eq(unit_active_state(load(name)), UNIT_ACTIVE);
}

START_TEST(test_start_pulls_in_requirements) {
        unit_tree_write(t.usr, "a.target",
                        "[Unit]\nRequires=b.target\nWants=c.target\nRequisite=d.target\nBindsTo=f.target\n"
                        "Upholds=g.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        unit_tree_write(t.usr, "c.target", "[Unit]\n");
        unit_tree_write(t.usr, "d.target", "[Unit]\n");
        unit_tree_write(t.usr, "f.target", "[Unit]\n");
        unit_tree_write(t.usr, "g.target", "[Unit]\n");
        unit_tree_write(t.usr, "x.target", "[Unit]\n");
        m = unit_tree_manager(&t);

        Job *j = NULL;
        OrderedSet *affected = ordered_set_new(&trivial_hash_ops);
        ck_assert_int_eq(manager_add_job(m, JOB_START, load("a.target"), JOB_REPLACE, affected, NULL, &j), 0);
        ck_assert_ptr_eq(j, load("a.target")->job);
        ck_assert_str_eq(job_of("a.target"), "start");
        ck_assert_str_eq(job_of("b.target"), "start");
        ck_assert_str_eq(job_of("c.target"), "start");
        ck_assert_str_eq(job_of("d.target"), "verify-active");
        ck_assert_str_eq(job_of("f.target"), "start");
        ck_assert_str_eq(job_of("g.target"), "start");
        ck_assert_ptr_null(job_of("x.target"));
        ck_assert_uint_eq(ordered_set_size(affected), 6);
        ck_assert_uint_eq(hashmap_size(m->jobs), 6);
        ck_assert_ptr_eq(manager_get_job(m, j->id), j);
        ordered_set_free(affected);

        _cleanup_free_ char *p = job_dbus_path(j);
        char expected[64];
        snprintf(expected, sizeof expected, "/org/freedesktop/systemd1/job/%u", j->id);
        ck_assert_str_eq(p, expected);
}
END_TEST

START_TEST(test_conflicts_and_stop_propagation) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nConflicts=e.target\n");
        unit_tree_write(t.usr, "e.target", "[Unit]\n");
        unit_tree_write(t.usr, "p.target", "[Unit]\nPartOf=e.target\n");
        unit_tree_write(t.usr, "r.target", "[Unit]\nRequires=e.target\n");
        unit_tree_write(t.usr, "bound.target", "[Unit]\nBindsTo=e.target\n");
        m = unit_tree_manager(&t);
        activate("e.target");
        activate("p.target");
        activate("r.target");
        activate("bound.target");

        /* Starting a stops what it conflicts with, and with it what needs that unit. */
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_REPLACE, NULL), 0);
        ck_assert_str_eq(job_of("e.target"), "stop");
        ck_assert_str_eq(job_of("p.target"), "stop");
        ck_assert_str_eq(job_of("r.target"), "stop");
        ck_assert_str_eq(job_of("bound.target"), "stop");
        manager_dispatch_run_queue(m);
        ck_assert_int_eq(unit_active_state(load("a.target")), UNIT_ACTIVE);
        ck_assert_int_eq(unit_active_state(load("e.target")), UNIT_INACTIVE);
        ck_assert_int_eq(unit_active_state(load("r.target")), UNIT_INACTIVE);
}
END_TEST

START_TEST(test_restart_propagates_as_try_restart) {
        unit_tree_write(t.usr, "a.target", "[Unit]\n");
        unit_tree_write(t.usr, "up.target", "[Unit]\nRequires=a.target\n");
        unit_tree_write(t.usr, "down.target", "[Unit]\nRequires=a.target\n");
        m = unit_tree_manager(&t);
        activate("up.target");

        ck_assert_int_eq(add(JOB_RESTART, "a.target", JOB_REPLACE, NULL), 0);
        ck_assert_str_eq(job_of("a.target"), "restart");
        ck_assert_str_eq(job_of("up.target"), "restart");
        /* down.target is not running: try-restart makes that a nop, which is not pulled in. */
        ck_assert_ptr_null(job_of("down.target"));
}
END_TEST

START_TEST(test_wants_on_bad_units_is_skipped) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nWants=missing.target masked.target\n");
        unit_tree_link(t.etc, "masked.target", "/dev/null");
        m = unit_tree_manager(&t);

        ck_assert_int_eq(add(JOB_START, "a.target", JOB_REPLACE, NULL), 0);
        ck_assert_str_eq(job_of("a.target"), "start");
        ck_assert_ptr_null(job_of("missing.target"));
        ck_assert_ptr_null(job_of("masked.target"));
}
END_TEST

START_TEST(test_requires_on_bad_units_fails) {
        _cleanup_bus_error_ BusError e1 = BUS_ERROR_NULL, e2 = BUS_ERROR_NULL;

        unit_tree_write(t.usr, "a.target", "[Unit]\nRequires=missing.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\nRequires=masked.target\n");
        unit_tree_link(t.etc, "masked.target", "/dev/null");
        m = unit_tree_manager(&t);

        ck_assert_int_eq(add(JOB_START, "a.target", JOB_REPLACE, &e1), -ENOENT);
        ck_assert_str_eq(e1.name, "org.freedesktop.systemd1.NoSuchUnit");
        ck_assert_str_eq(e1.message, "Unit missing.target not found.");
        ck_assert_ptr_null(job_of("a.target"));
        ck_assert_uint_eq(hashmap_size(m->jobs), 0);

        ck_assert_int_eq(add(JOB_START, "b.target", JOB_REPLACE, &e2), -ERFKILL);
        ck_assert_str_eq(e2.name, "org.freedesktop.systemd1.UnitMasked");
        ck_assert_str_eq(e2.message, "Unit masked.target is masked.");
}
END_TEST

START_TEST(test_bad_anchor) {
        _cleanup_bus_error_ BusError e1 = BUS_ERROR_NULL, e2 = BUS_ERROR_NULL, e3 = BUS_ERROR_NULL,
                                     e4 = BUS_ERROR_NULL;

        unit_tree_link(t.etc, "masked.target", "/dev/null");
        m = unit_tree_manager(&t);

        ck_assert_int_lt(manager_add_job_by_name(m, JOB_START, "nope.target", JOB_REPLACE, NULL, &e1, NULL), 0);
        ck_assert_str_eq(e1.name, "org.freedesktop.systemd1.NoSuchUnit");
        ck_assert_str_eq(e1.message, "Unit nope.target not found.");

        ck_assert_int_lt(manager_add_job_by_name(m, JOB_START, "masked.target", JOB_REPLACE, NULL, &e2, NULL), 0);
        ck_assert_str_eq(e2.name, "org.freedesktop.systemd1.UnitMasked");
        ck_assert_str_eq(e2.message, "Unit masked.target is masked.");

        ck_assert_int_lt(manager_add_job_by_name(m, JOB_START, "tmpl@.target", JOB_REPLACE, NULL, &e3, NULL), 0);
        ck_assert_str_eq(e3.name, "org.freedesktop.DBus.Error.InvalidArgs");
        ck_assert_str_eq(e3.message, "Unit name tmpl@.target is missing the instance name.");

        /* Stopping an inactive unit that is not loaded is refused for clients. */
        ck_assert_int_lt(job_check_manual_request(load("nope.target"), JOB_STOP, &e4), 0);
        ck_assert_str_eq(e4.name, "org.freedesktop.systemd1.NoSuchUnit");
        ck_assert_str_eq(e4.message, "Unit nope.target not loaded.");
}
END_TEST

START_TEST(test_job_type_not_applicable) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

        unit_tree_write(t.usr, "a.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        activate("a.target");
        ck_assert_int_eq(add(JOB_RELOAD, "a.target", JOB_REPLACE, &e), -EBADR);
        ck_assert_str_eq(e.name, "org.freedesktop.systemd1.JobTypeNotApplicable");
        ck_assert_str_eq(e.message, "Job type reload is not applicable for unit a.target.");
}
END_TEST

START_TEST(test_merging_and_redundancy) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nRequires=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        unit_tree_write(t.usr, "on.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        activate("on.target");

        Job *ja = NULL, *jb = NULL, *jb2 = NULL;
        ck_assert_int_eq(manager_add_job(m, JOB_START, load("a.target"), JOB_REPLACE, NULL, NULL, &ja), 0);
        jb = load("b.target")->job;
        ck_assert_ptr_nonnull(jb);
        ck_assert_uint_gt(jb->id, 0);

        /* A second start of b merges into the installed (waiting) job. */
        ck_assert_int_eq(manager_add_job(m, JOB_START, load("b.target"), JOB_REPLACE, NULL, NULL, &jb2), 0);
        ck_assert_ptr_eq(jb2, jb);
        ck_assert_uint_eq(hashmap_size(m->jobs), 2);

        /* verify-active merges into start. */
        ck_assert_int_eq(add(JOB_VERIFY_ACTIVE, "b.target", JOB_REPLACE, NULL), 0);
        ck_assert_str_eq(job_of("b.target"), "start");

        /* Start of an active unit: the anchor stays (as a job that finishes at once), nothing else. */
        Job *jon = NULL;
        ck_assert_int_eq(manager_add_job(m, JOB_START, load("on.target"), JOB_REPLACE, NULL, NULL, &jon), 0);
        ck_assert_ptr_nonnull(jon);
        ck_assert_str_eq(job_of("on.target"), "start");

        /* try-restart of an inactive unit collapses to a nop job (u->nop_job). */
        Job *nop = NULL;
        unit_tree_write(t.usr, "off.target", "[Unit]\n");
        ck_assert_int_eq(manager_add_job(m, JOB_TRY_RESTART, load("off.target"), JOB_REPLACE, NULL, NULL, &nop), 0);
        ck_assert_int_eq(nop->type, JOB_NOP);
        ck_assert_ptr_eq(load("off.target")->nop_job, nop);
        ck_assert_ptr_null(load("off.target")->job);
        ck_assert_uint_gt(nop->id, jon->id);
}
END_TEST

START_TEST(test_fail_mode_is_not_destructive) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

        unit_tree_write(t.usr, "a.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_REPLACE, NULL), 0);

        ck_assert_int_lt(add(JOB_STOP, "a.target", JOB_FAIL, &e), 0);
        ck_assert_str_eq(e.name, "org.freedesktop.systemd1.TransactionIsDestructive");
        ck_assert_str_eq(e.message, "Transaction for a.target/stop is destructive (a.target has 'start' job queued, "
                                    "but 'stop' is included in transaction).");
        ck_assert_str_eq(job_of("a.target"), "start");

        /* replace does replace (the old job is canceled). */
        ck_assert_int_eq(add(JOB_STOP, "a.target", JOB_REPLACE, NULL), 0);
        ck_assert_str_eq(job_of("a.target"), "stop");
}
END_TEST

START_TEST(test_replace_irreversibly) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

        unit_tree_write(t.usr, "a.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        activate("a.target");
        ck_assert_int_eq(add(JOB_STOP, "a.target", JOB_REPLACE_IRREVERSIBLY, NULL), 0);
        ck_assert(load("a.target")->job->irreversible);
        ck_assert_int_lt(add(JOB_START, "a.target", JOB_REPLACE, &e), 0);
        ck_assert_str_eq(e.name, "org.freedesktop.systemd1.TransactionIsDestructive");
        ck_assert_str_eq(job_of("a.target"), "stop");
}
END_TEST

START_TEST(test_isolate) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL, e2 = BUS_ERROR_NULL;

        unit_tree_write(t.usr, "iso.target", "[Unit]\nAllowIsolate=yes\nWants=keep.target\n");
        unit_tree_write(t.usr, "keep.target", "[Unit]\n");
        unit_tree_write(t.usr, "other.target", "[Unit]\n");
        unit_tree_write(t.usr, "sticky.target", "[Unit]\nIgnoreOnIsolate=yes\n");
        unit_tree_write(t.usr, "plain.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        activate("keep.target");
        activate("other.target");
        activate("sticky.target");

        ck_assert_int_lt(add(JOB_START, "plain.target", JOB_ISOLATE, &e), 0);
        ck_assert_str_eq(e.name, "org.freedesktop.systemd1.NoIsolation");
        ck_assert_str_eq(e.message, "Operation refused, unit may not be isolated.");
        ck_assert_int_lt(add(JOB_STOP, "iso.target", JOB_ISOLATE, &e2), 0);
        ck_assert_str_eq(e2.message, "Isolate is only valid for start.");

        ck_assert_int_eq(add(JOB_START, "iso.target", JOB_ISOLATE, NULL), 0);
        ck_assert_str_eq(job_of("iso.target"), "start");
        ck_assert_str_eq(job_of("other.target"), "stop");
        ck_assert_ptr_null(job_of("sticky.target"));
        ck_assert_ptr_null(job_of("keep.target")); /* wanted and active: redundant */
        manager_dispatch_run_queue(m);
        ck_assert_int_eq(unit_active_state(load("other.target")), UNIT_INACTIVE);
        ck_assert_int_eq(unit_active_state(load("sticky.target")), UNIT_ACTIVE);
        ck_assert_int_eq(unit_active_state(load("keep.target")), UNIT_ACTIVE);
}
END_TEST

START_TEST(test_flush_cancels_other_jobs) {
        unit_tree_write(t.usr, "a.target", "[Unit]\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_REPLACE, NULL), 0);
        log_capture_start(&cap);
        ck_assert_int_eq(add(JOB_START, "b.target", JOB_FLUSH, NULL), 0);
        log_capture_stop();
        ck_assert_ptr_null(job_of("a.target"));
        ck_assert_str_eq(job_of("b.target"), "start");
        ck_assert_log_contains(&cap, "a.target/start finished, result=canceled");
}
END_TEST

START_TEST(test_refuse_manual) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL, e2 = BUS_ERROR_NULL;

        unit_tree_write(t.usr, "a.target", "[Unit]\nRefuseManualStart=yes\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\nRefuseManualStop=yes\n");
        m = unit_tree_manager(&t);

        ck_assert_int_eq(job_check_manual_request(load("a.target"), JOB_START, &e), -EINVAL);
        ck_assert_str_eq(e.name, "org.freedesktop.systemd1.OnlyByDependency");
        ck_assert_str_eq(e.message, "Operation refused, unit a.target may be requested by dependency only "
                                    "(it is configured to refuse manual start/stop).");
        ck_assert_int_eq(job_check_manual_request(load("a.target"), JOB_STOP, NULL), 0);
        ck_assert_int_eq(job_check_manual_request(load("b.target"), JOB_START, NULL), 0);
        ck_assert_int_lt(job_check_manual_request(load("b.target"), JOB_RESTART, &e2), 0);
        ck_assert_str_eq(e2.name, "org.freedesktop.systemd1.OnlyByDependency");
        /* Internal requests (dependencies, OnFailure=) are not refused. */
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_REPLACE, NULL), 0);
}
END_TEST

START_TEST(test_ordering_cycle_broken) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nWants=b.target\nAfter=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\nAfter=a.target\n");
        m = unit_tree_manager(&t);

        log_capture_start(&cap);
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_REPLACE, NULL), 0);
        log_capture_stop();
        /* The lines systemd-analyze verify prints for this tree with systemd 252. */
        ck_assert_log_contains(&cap, "a.target: Found ordering cycle on b.target/start\n"
                                     "a.target: Found dependency on a.target/start\n"
                                     "a.target: Job b.target/start deleted to break ordering cycle starting with a.target/start\n");
        ck_assert_str_eq(job_of("a.target"), "start");
        ck_assert_ptr_null(job_of("b.target"));
}
END_TEST

START_TEST(test_ordering_cycle_of_required_jobs) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

        unit_tree_write(t.usr, "c.target", "[Unit]\nRequires=d.target\nAfter=d.target\n");
        unit_tree_write(t.usr, "d.target", "[Unit]\nRequires=c.target\nAfter=c.target\n");
        m = unit_tree_manager(&t);

        log_capture_start(&cap);
        ck_assert_int_lt(add(JOB_START, "c.target", JOB_REPLACE, &e), 0);
        log_capture_stop();
        ck_assert_str_eq(e.name, "org.freedesktop.systemd1.TransactionOrderIsCyclic");
        ck_assert_str_eq(e.message, "Transaction order is cyclic. See system logs for details.");
        ck_assert_log_contains(&cap, "c.target: Found ordering cycle on d.target/start\n"
                                     "c.target: Found dependency on c.target/start\n"
                                     "c.target: Unable to break cycle starting with c.target/start\n"
                                     "Requested transaction contains an unfixable cyclic ordering dependency: "
                                     "Transaction order is cyclic. See system logs for details.\n");
        ck_assert_uint_eq(hashmap_size(m->jobs), 0);

        /* The manager carries on: other requests still work. */
        unit_tree_write(t.usr, "z.target", "[Unit]\n");
        ck_assert_int_eq(add(JOB_START, "z.target", JOB_REPLACE, NULL), 0);
}
END_TEST

START_TEST(test_ignore_dependencies) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nRequires=b.target\nAfter=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_IGNORE_DEPENDENCIES, NULL), 0);
        ck_assert_ptr_null(job_of("b.target"));
        ck_assert(load("a.target")->job->ignore_order);
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_IGNORE_REQUIREMENTS, NULL), 0);
        ck_assert_ptr_null(job_of("b.target"));
}
END_TEST

START_TEST(test_not_found_dependency_is_retried) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nWants=b.target\n");
        m = unit_tree_manager(&t);
        activate("a.target");
        ck_assert_int_eq(load("b.target")->load_state, UNIT_NOT_FOUND);

        /* The file appears without daemon-reload; the next transaction that pulls it in loads it
         * (TEST-48: restart of a target whose Wants= was missing). */
        unit_tree_write(t.run, "b.target", "[Unit]\n");
        ck_assert_int_eq(add(JOB_RESTART, "a.target", JOB_REPLACE, NULL), 0);
        ck_assert_int_eq(manager_get_unit(m, "b.target")->load_state, UNIT_LOADED);
        ck_assert_str_eq(job_of("b.target"), "start");
        manager_dispatch_run_queue(m);
        ck_assert_int_eq(unit_active_state(manager_get_unit(m, "b.target")), UNIT_ACTIVE);
}
END_TEST

START_TEST(test_conflicting_requirements) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

        unit_tree_write(t.usr, "a.target", "[Unit]\nRequires=b.target\nConflicts=b.target\n");
        unit_tree_write(t.usr, "b.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        ck_assert_int_lt(add(JOB_START, "a.target", JOB_REPLACE, &e), 0);
        ck_assert_str_eq(e.name, "org.freedesktop.systemd1.TransactionJobsConflicting");
        ck_assert_str_eq(e.message, "Transaction contains conflicting jobs 'stop' and 'start' for a.target. "
                                    "Probably contradicting requirement dependencies configured.");
        ck_assert_uint_eq(hashmap_size(m->jobs), 0);
}
END_TEST

START_TEST(test_fail_mode_drops_what_does_not_matter) {
        unit_tree_write(t.usr, "a.target", "[Unit]\nWants=x.target\n");
        unit_tree_write(t.usr, "x.target", "[Unit]\n");
        m = unit_tree_manager(&t);
        activate("x.target");
        ck_assert_int_eq(add(JOB_STOP, "x.target", JOB_REPLACE, NULL), 0);

        /* x's start is only wanted: mode fail leaves x's stop job alone instead of failing. */
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_FAIL, NULL), 0);
        ck_assert_str_eq(job_of("a.target"), "start");
        ck_assert_str_eq(job_of("x.target"), "stop");

        /* replace turns it around. */
        ck_assert_int_eq(add(JOB_START, "a.target", JOB_REPLACE, NULL), 0);
        ck_assert_str_eq(job_of("x.target"), "start");
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("transaction");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_start_pulls_in_requirements);
        tcase_add_test(tc, test_conflicts_and_stop_propagation);
        tcase_add_test(tc, test_restart_propagates_as_try_restart);
        tcase_add_test(tc, test_wants_on_bad_units_is_skipped);
        tcase_add_test(tc, test_requires_on_bad_units_fails);
        tcase_add_test(tc, test_bad_anchor);
        tcase_add_test(tc, test_job_type_not_applicable);
        tcase_add_test(tc, test_merging_and_redundancy);
        tcase_add_test(tc, test_fail_mode_is_not_destructive);
        tcase_add_test(tc, test_replace_irreversibly);
        tcase_add_test(tc, test_isolate);
        tcase_add_test(tc, test_flush_cancels_other_jobs);
        tcase_add_test(tc, test_refuse_manual);
        tcase_add_test(tc, test_ordering_cycle_broken);
        tcase_add_test(tc, test_ordering_cycle_of_required_jobs);
        tcase_add_test(tc, test_ignore_dependencies);
        tcase_add_test(tc, test_not_found_dependency_is_retried);
        tcase_add_test(tc, test_conflicting_requirements);
        tcase_add_test(tc, test_fail_mode_drops_what_does_not_matter);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
