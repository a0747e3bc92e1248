/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * job-type: the vocabulary of jobs and their algebra, as systemd 252 defines it: job types,
 * states, modes and results with their names (what systemctl shows and sends), the active
 * states of units, and the rules that build transactions: which two job types merge into which
 * one (and which conflict), which job is redundant for a unit's state, and how the
 * state-dependent types (try-restart, try-reload, reload-or-start) collapse into plain ones.
 * Pure functions; the transaction and job engine use them.
 */

#include <errno.h>
#include <stdbool.h>

#include "macro.h"

typedef enum UnitActiveState {
        UNIT_ACTIVE,
        UNIT_RELOADING,
        UNIT_INACTIVE,
        UNIT_FAILED,
        UNIT_ACTIVATING,
        UNIT_DEACTIVATING,
        UNIT_MAINTENANCE,
        _UNIT_ACTIVE_STATE_MAX,
        _UNIT_ACTIVE_STATE_INVALID = -EINVAL,
} UnitActiveState;

typedef enum JobType {
        /* The types that merge with each other (in this order: the merge rules rely on it). */
        JOB_START,
        JOB_VERIFY_ACTIVE,
        JOB_STOP,
        JOB_RELOAD,
        JOB_RESTART,
        _JOB_TYPE_MAX_MERGING,
        /* Enters a transaction but pulls in nothing and merges with nothing but itself. */
        JOB_NOP = _JOB_TYPE_MAX_MERGING,
        _JOB_TYPE_MAX_IN_TRANSACTION,
        /* Requested types that depend on the unit's state; collapsed before merging. */
        JOB_TRY_RESTART = _JOB_TYPE_MAX_IN_TRANSACTION,
        JOB_TRY_RELOAD,
        JOB_RELOAD_OR_START,
        _JOB_TYPE_MAX,
        _JOB_TYPE_INVALID = -EINVAL,
} JobType;

typedef enum JobState {
        JOB_WAITING,
        JOB_RUNNING,
        _JOB_STATE_MAX,
        _JOB_STATE_INVALID = -EINVAL,
} JobState;

typedef enum JobMode {
        JOB_FAIL,
        JOB_REPLACE,
        JOB_REPLACE_IRREVERSIBLY,
        JOB_ISOLATE,
        JOB_FLUSH,
        JOB_IGNORE_DEPENDENCIES,
        JOB_IGNORE_REQUIREMENTS,
        JOB_TRIGGERING,
        _JOB_MODE_MAX,
        _JOB_MODE_INVALID = -EINVAL,
} JobMode;

typedef enum JobResult {
        JOB_DONE,
        JOB_CANCELED,
        JOB_TIMEOUT,
        JOB_FAILED,
        JOB_DEPENDENCY,
        JOB_SKIPPED,
        JOB_INVALID,
        JOB_ASSERT,
        JOB_UNSUPPORTED,
        JOB_COLLECTED,
        JOB_ONCE,
        _JOB_RESULT_MAX,
        _JOB_RESULT_INVALID = -EINVAL,
} JobResult;

const char *unit_active_state_to_string(UnitActiveState s) _const_;
UnitActiveState unit_active_state_from_string(const char *s) _pure_;
const char *job_type_to_string(JobType t) _const_;
JobType job_type_from_string(const char *s) _pure_;
const char *job_state_to_string(JobState s) _const_;
JobState job_state_from_string(const char *s) _pure_;
const char *job_mode_to_string(JobMode m) _const_;
JobMode job_mode_from_string(const char *s) _pure_;
const char *job_result_to_string(JobResult r) _const_;
JobResult job_result_from_string(const char *s) _pure_;

static inline bool unit_active_state_is_active_or_reloading(UnitActiveState s) {
        return s == UNIT_ACTIVE || s == UNIT_RELOADING;
}
static inline bool unit_active_state_is_active_or_activating(UnitActiveState s) {
        return s == UNIT_ACTIVE || s == UNIT_ACTIVATING || s == UNIT_RELOADING;
}
static inline bool unit_active_state_is_inactive_or_failed(UnitActiveState s) {
        return s == UNIT_INACTIVE || s == UNIT_FAILED;
}

/* The job that does what both a and b (types below _JOB_TYPE_MAX_MERGING) do, or -EEXIST if
 * they conflict (one stops what the other starts or reloads). */
JobType job_type_lookup_merge(JobType a, JobType b) _const_;
/* Types that merge; JOB_NOP conflicts with nothing. */
bool job_type_is_mergeable(JobType a, JobType b) _const_;
bool job_type_is_conflicting(JobType a, JobType b) _const_;
/* Whether running a covers everything b would do (NOP is covered by everything). */
bool job_type_is_superset(JobType a, JobType b) _const_;
/* Whether a job of type t changes nothing for a unit in state s (it can finish at once). */
bool job_type_is_redundant(JobType t, UnitActiveState s) _const_;
/* The plain type a state-dependent type becomes for a unit in state s; others unchanged. */
JobType job_type_collapse(JobType t, UnitActiveState s) _const_;
/* *a merged with b, then collapsed for state s: 0, or -EEXIST if they conflict. */
int job_type_merge_and_collapse(JobType *a, JobType b, UnitActiveState s);
