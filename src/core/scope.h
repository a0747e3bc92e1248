/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * scope.h: the scope unit type: processes the manager did not start itself, grouped in a
 * cgroup. Today only the perpetual init.scope exists (the manager and PID 1 live in it; it is
 * "running" from startup on and can be neither started nor stopped) and transient scopes
 * (StartTransientUnit with PIDs=): start moves the PIDs into the scope's cgroup, the scope runs
 * until its cgroup is empty, RuntimeMaxSec= and stop end it with KillSignal=, then SIGKILL
 * after TimeoutStopSec=. States as systemd 252's.
 */

#include "event.h"
#include "service.h"
#include "unit.h"

#define SPECIAL_INIT_SCOPE "init.scope"

typedef enum ScopeState {
        SCOPE_DEAD,
        SCOPE_START_CHOWN,
        SCOPE_RUNNING,
        SCOPE_ABANDONED,
        SCOPE_STOP_SIGTERM,
        SCOPE_STOP_SIGKILL,
        SCOPE_FAILED,
        _SCOPE_STATE_MAX,
        _SCOPE_STATE_INVALID = -EINVAL,
} ScopeState;

typedef enum ScopeResult {
        SCOPE_SUCCESS,
        SCOPE_FAILURE_RESOURCES,
        SCOPE_FAILURE_TIMEOUT,
        SCOPE_FAILURE_OOM_KILL,
        _SCOPE_RESULT_MAX,
        _SCOPE_RESULT_INVALID = -EINVAL,
} ScopeResult;

typedef struct Scope {
        Unit meta;
        ScopeState state;
        ScopeResult result;
        /* transient scopes (added by the bus-api module) */
        KillContext kill_context;     /* [Scope] KillMode= & co. */
        usec_t runtime_max_usec;      /* RuntimeMaxSec=, USEC_INFINITY: none */
        usec_t timeout_stop_usec;     /* TimeoutStopSec= */
        pid_t *pids;                  /* PIDs= of StartTransientUnit, moved in at start */
        size_t n_pids;
        EventSource *timer_event_source;
} Scope;

extern const UnitVTable scope_vtable;

/* The Scope of a scope unit, NULL for other types. */
static inline Scope *SCOPE(Unit *u) {
        return u && u->type == UNIT_SCOPE ? (Scope *) u : NULL;
}

const char *scope_state_to_string(ScopeState s) _const_;
ScopeState scope_state_from_string(const char *s) _pure_;
const char *scope_result_to_string(ScopeResult r) _const_;
ScopeResult scope_result_from_string(const char *s) _pure_;

/* Hands the PIDs of StartTransientUnit to the scope (copied), before its start job runs. */
int scope_set_pids(Unit *u, const pid_t *pids, size_t n_pids);
