/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-job-type: names as systemctl shows them, and the job algebra of systemd 252: the merge
 * matrix, conflicts, supersets, redundancy per unit state and the collapse of state-dependent
 * job types.
 */

#include "job-type.h"
#include "test-helpers.h"

START_TEST(test_names) {
        ck_assert_str_eq(job_type_to_string(JOB_RELOAD_OR_START), "reload-or-start");
        ck_assert_str_eq(job_type_to_string(JOB_NOP), "nop");
        ck_assert_int_eq(job_type_from_string("try-restart"), JOB_TRY_RESTART);
        ck_assert_int_eq(job_type_from_string("bogus"), -EINVAL);
        ck_assert_str_eq(job_mode_to_string(JOB_REPLACE_IRREVERSIBLY), "replace-irreversibly");
        ck_assert_int_eq(job_mode_from_string("ignore-requirements"), JOB_IGNORE_REQUIREMENTS);
        ck_assert_str_eq(job_result_to_string(JOB_DEPENDENCY), "dependency");
        ck_assert_int_eq(job_result_from_string("once"), JOB_ONCE);
        ck_assert_str_eq(job_state_to_string(JOB_WAITING), "waiting");
        ck_assert_str_eq(unit_active_state_to_string(UNIT_DEACTIVATING), "deactivating");
        ck_assert_int_eq(unit_active_state_from_string("maintenance"), UNIT_MAINTENANCE);
        ck_assert_ptr_null(job_type_to_string(_JOB_TYPE_MAX));
        for (int t = 0; t < _JOB_TYPE_MAX; t++)
                ck_assert_int_eq(job_type_from_string(job_type_to_string(t)), t);
        for (int m = 0; m < _JOB_MODE_MAX; m++)
                ck_assert_int_eq(job_mode_from_string(job_mode_to_string(m)), m);
        for (int r = 0; r < _JOB_RESULT_MAX; r++)
                ck_assert_int_eq(job_result_from_string(job_result_to_string(r)), r);
}
END_TEST

START_TEST(test_merge_matrix) {
        /* rows/columns: start, verify-active, stop, reload, restart (systemd's table) */
        static const int expected[_JOB_TYPE_MAX_MERGING][_JOB_TYPE_MAX_MERGING] = {
                { JOB_START, JOB_START, -EEXIST, JOB_RELOAD_OR_START, JOB_RESTART },
                { JOB_START, JOB_VERIFY_ACTIVE, -EEXIST, JOB_RELOAD, JOB_RESTART },
                { -EEXIST, -EEXIST, JOB_STOP, -EEXIST, -EEXIST },
                { JOB_RELOAD_OR_START, JOB_RELOAD, -EEXIST, JOB_RELOAD, JOB_RESTART },
                { JOB_RESTART, JOB_RESTART, -EEXIST, JOB_RESTART, JOB_RESTART },
        };

        for (int a = 0; a < _JOB_TYPE_MAX_MERGING; a++)
                for (int b = 0; b < _JOB_TYPE_MAX_MERGING; b++) {
                        ck_assert_msg(job_type_lookup_merge(a, b) == expected[a][b], "%s + %s",
                                      job_type_to_string(a), job_type_to_string(b));
                        ck_assert_int_eq(job_type_is_conflicting(a, b), expected[a][b] < 0);
                }
        ck_assert(!job_type_is_conflicting(JOB_NOP, JOB_STOP));
        ck_assert(job_type_is_superset(JOB_RESTART, JOB_START));
        ck_assert(job_type_is_superset(JOB_START, JOB_VERIFY_ACTIVE));
        ck_assert(!job_type_is_superset(JOB_START, JOB_RELOAD));
        ck_assert(job_type_is_superset(JOB_STOP, JOB_NOP));
        ck_assert(!job_type_is_superset(JOB_NOP, JOB_STOP));
}
END_TEST

START_TEST(test_redundant_and_collapse) {
        ck_assert(job_type_is_redundant(JOB_START, UNIT_ACTIVE));
        ck_assert(job_type_is_redundant(JOB_START, UNIT_RELOADING));
        ck_assert(!job_type_is_redundant(JOB_START, UNIT_ACTIVATING));
        ck_assert(job_type_is_redundant(JOB_STOP, UNIT_FAILED));
        ck_assert(!job_type_is_redundant(JOB_STOP, UNIT_DEACTIVATING));
        ck_assert(!job_type_is_redundant(JOB_RESTART, UNIT_ACTIVE));
        ck_assert(job_type_is_redundant(JOB_RELOAD, UNIT_RELOADING));
        ck_assert(!job_type_is_redundant(JOB_RELOAD, UNIT_ACTIVE));

        ck_assert_int_eq(job_type_collapse(JOB_TRY_RESTART, UNIT_ACTIVATING), JOB_RESTART);
        ck_assert_int_eq(job_type_collapse(JOB_TRY_RESTART, UNIT_INACTIVE), JOB_NOP);
        ck_assert_int_eq(job_type_collapse(JOB_TRY_RELOAD, UNIT_ACTIVE), JOB_RELOAD);
        ck_assert_int_eq(job_type_collapse(JOB_TRY_RELOAD, UNIT_ACTIVATING), JOB_NOP);
        ck_assert_int_eq(job_type_collapse(JOB_RELOAD_OR_START, UNIT_FAILED), JOB_START);
        ck_assert_int_eq(job_type_collapse(JOB_RELOAD_OR_START, UNIT_RELOADING), JOB_RELOAD);
        ck_assert_int_eq(job_type_collapse(JOB_STOP, UNIT_ACTIVE), JOB_STOP);

        {
                JobType t = JOB_START;

                ck_assert_int_eq(job_type_merge_and_collapse(&t, JOB_RELOAD, UNIT_INACTIVE), 0);
                ck_assert_int_eq(t, JOB_START); /* reload-or-start on an inactive unit */
                t = JOB_START;
                ck_assert_int_eq(job_type_merge_and_collapse(&t, JOB_RELOAD, UNIT_ACTIVE), 0);
                ck_assert_int_eq(t, JOB_RELOAD);
                ck_assert_int_eq(job_type_merge_and_collapse(&t, JOB_STOP, UNIT_ACTIVE), -EEXIST);
                ck_assert_int_eq(t, JOB_RELOAD);
        }
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("job-type");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_names);
        tcase_add_test(tc, test_merge_matrix);
        tcase_add_test(tc, test_redundant_and_collapse);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
