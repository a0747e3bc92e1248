/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * job-type.c: see job-type.h. The merge rule: start and verify-active are both satisfied by a
 * start; anything with a reload needs the reload (a start then becomes reload-or-start);
 * anything with a restart becomes the restart; stop merges with nothing but itself.
 */

#include "job-type.h"
#include "string-util.h"

static const char *const active_state_table[_UNIT_ACTIVE_STATE_MAX] = {
        [UNIT_ACTIVE] = "active",         [UNIT_RELOADING] = "reloading",
        [UNIT_INACTIVE] = "inactive",     [UNIT_FAILED] = "failed",
        [UNIT_ACTIVATING] = "activating", [UNIT_DEACTIVATING] = "deactivating",
        [UNIT_MAINTENANCE] = "maintenance",
};

static const char *const job_type_table[_JOB_TYPE_MAX] = {
        [JOB_START] = "start",
        [JOB_VERIFY_ACTIVE] = "verify-active",
        [JOB_STOP] = "stop",
        [JOB_RELOAD] = "reload",
        [JOB_RELOAD_OR_START] = "reload-or-start",
        [JOB_RESTART] = "restart",
        [JOB_TRY_RESTART] = "try-restart",
        [JOB_TRY_RELOAD] = "try-reload",
        [JOB_NOP] = "nop",
};

static const char *const job_state_table[_JOB_STATE_MAX] = {
        [JOB_WAITING] = "waiting",
        [JOB_RUNNING] = "running",
};

static const char *const job_mode_table[_JOB_MODE_MAX] = {
        [JOB_FAIL] = "fail",
        [JOB_REPLACE] = "replace",
        [JOB_REPLACE_IRREVERSIBLY] = "replace-irreversibly",
        [JOB_ISOLATE] = "isolate",
        [JOB_FLUSH] = "flush",
        [JOB_IGNORE_DEPENDENCIES] = "ignore-dependencies",
        [JOB_IGNORE_REQUIREMENTS] = "ignore-requirements",
        [JOB_TRIGGERING] = "triggering",
};

static const char *const job_result_table[_JOB_RESULT_MAX] = {
        [JOB_DONE] = "done",
        [JOB_CANCELED] = "canceled",
        [JOB_TIMEOUT] = "timeout",
        [JOB_FAILED] = "failed",
        [JOB_DEPENDENCY] = "dependency",
        [JOB_SKIPPED] = "skipped",
        [JOB_INVALID] = "invalid",
        [JOB_ASSERT] = "assert",
        [JOB_UNSUPPORTED] = "unsupported",
        [JOB_COLLECTED] = "collected",
        [JOB_ONCE] = "once",
};

#define NAME_FUNCTIONS(prefix, type, table, max)                                       \
        const char *prefix##_to_string(type v) {                                       \
                return v >= 0 && v < (max) ? table[v] : NULL;                          \
        }                                                                              \
        type prefix##_from_string(const char *s) {                                     \
                return (type) string_table_lookup(table, (max), s);                    \
        }

NAME_FUNCTIONS(unit_active_state, UnitActiveState, active_state_table, _UNIT_ACTIVE_STATE_MAX)
NAME_FUNCTIONS(job_type, JobType, job_type_table, _JOB_TYPE_MAX)
NAME_FUNCTIONS(job_state, JobState, job_state_table, _JOB_STATE_MAX)
NAME_FUNCTIONS(job_mode, JobMode, job_mode_table, _JOB_MODE_MAX)
NAME_FUNCTIONS(job_result, JobResult, job_result_table, _JOB_RESULT_MAX)

JobType job_type_lookup_merge(JobType a, JobType b) {
        if (a < 0 || a >= _JOB_TYPE_MAX_MERGING || b < 0 || b >= _JOB_TYPE_MAX_MERGING)
                return _JOB_TYPE_INVALID;
        if (a == b)
                return a;
        if (a == JOB_STOP || b == JOB_STOP)
                return -EEXIST;
        if (a == JOB_RESTART || b == JOB_RESTART)
                return JOB_RESTART;
        if (a == JOB_RELOAD || b == JOB_RELOAD)
                /* with start: reload-or-start; with verify-active: the reload */
                return a == JOB_START || b == JOB_START ? JOB_RELOAD_OR_START : JOB_RELOAD;
        return JOB_START; /* start and verify-active */
}

bool job_type_is_mergeable(JobType a, JobType b) {
        return job_type_lookup_merge(a, b) >= 0;
}

bool job_type_is_conflicting(JobType a, JobType b) {
        return a != JOB_NOP && b != JOB_NOP && !job_type_is_mergeable(a, b);
}

bool job_type_is_superset(JobType a, JobType b) {
        if (b == JOB_NOP)
                return true;
        if (a == JOB_NOP)
                return false;
        return job_type_lookup_merge(a, b) == a;
}

bool job_type_is_redundant(JobType t, UnitActiveState s) {
        switch (t) {
        case JOB_START:
        case JOB_VERIFY_ACTIVE:
                return unit_active_state_is_active_or_reloading(s);
        case JOB_STOP:
                return unit_active_state_is_inactive_or_failed(s);
        case JOB_RELOAD:
                return s == UNIT_RELOADING;
        case JOB_RESTART:
                /* kept even for an activating unit: it may hold stale state of what it needs */
                return false;
        case JOB_NOP:
                return true;
        default:
                return false;
        }
}

JobType job_type_collapse(JobType t, UnitActiveState s) {
        switch (t) {
        case JOB_TRY_RESTART:
                return unit_active_state_is_active_or_activating(s) ? JOB_RESTART : JOB_NOP;
        case JOB_TRY_RELOAD:
                return unit_active_state_is_active_or_reloading(s) ? JOB_RELOAD : JOB_NOP;
        case JOB_RELOAD_OR_START:
                return unit_active_state_is_active_or_reloading(s) ? JOB_RELOAD : JOB_START;
        default:
                return t;
        }
}

int job_type_merge_and_collapse(JobType *a, JobType b, UnitActiveState s) {
        JobType t = job_type_lookup_merge(*a, b);

        if (t < 0)
                return -EEXIST;
        *a = job_type_collapse(t, s);
        return 0;
}
