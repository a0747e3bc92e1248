/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scope.c: the scope unit type (scope.h): the perpetual init.scope, in which the manager (and
 * PID 1) runs (coldplug realizes its cgroup and makes it "running"; it can be neither started
 * nor stopped: -EPERM, as systemd), and transient scopes made by StartTransientUnit, whose
 * start moves the given PIDs into the scope's cgroup (systemd-run --scope).
 */

#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "kill.h"
#include "log.h"
#include "manager.h"
#include "scope.h"
#include "string-util.h"
#include "time-util.h"
#include "unit.h"

static const char *const scope_state_table[_SCOPE_STATE_MAX] = {
        [SCOPE_DEAD] = "dead",
        [SCOPE_START_CHOWN] = "start-chown",
        [SCOPE_RUNNING] = "running",
        [SCOPE_ABANDONED] = "abandoned",
        [SCOPE_STOP_SIGTERM] = "stop-sigterm",
        [SCOPE_STOP_SIGKILL] = "stop-sigkill",
        [SCOPE_FAILED] = "failed",
};

const char *scope_state_to_string(ScopeState s) {
        return s >= 0 && s < _SCOPE_STATE_MAX ? scope_state_table[s] : NULL;
}

ScopeState scope_state_from_string(const char *s) {
        return (ScopeState) string_table_lookup(scope_state_table, _SCOPE_STATE_MAX, s);
}

static const char *const scope_result_table[_SCOPE_RESULT_MAX] = {
        [SCOPE_SUCCESS] = "success",
        [SCOPE_FAILURE_RESOURCES] = "resources",
        [SCOPE_FAILURE_TIMEOUT] = "timeout",
        [SCOPE_FAILURE_OOM_KILL] = "oom-kill",
};

const char *scope_result_to_string(ScopeResult r) {
        return r >= 0 && r < _SCOPE_RESULT_MAX ? scope_result_table[r] : NULL;
}

ScopeResult scope_result_from_string(const char *s) {
        return (ScopeResult) string_table_lookup(scope_result_table, _SCOPE_RESULT_MAX, s);
}

static const UnitActiveState state_translation[_SCOPE_STATE_MAX] = {
        [SCOPE_DEAD] = UNIT_INACTIVE,
        [SCOPE_START_CHOWN] = UNIT_ACTIVATING,
        [SCOPE_RUNNING] = UNIT_ACTIVE,
        [SCOPE_ABANDONED] = UNIT_ACTIVE,
        [SCOPE_STOP_SIGTERM] = UNIT_DEACTIVATING,
        [SCOPE_STOP_SIGKILL] = UNIT_DEACTIVATING,
        [SCOPE_FAILED] = UNIT_FAILED,
};

static void scope_set_state(Scope *s, ScopeState state) {
        ScopeState old = s->state;

        s->state = state;
        if (!IN_SET(state, SCOPE_RUNNING, SCOPE_STOP_SIGTERM, SCOPE_STOP_SIGKILL))
                s->timer_event_source = event_source_disable_unref(s->timer_event_source);
        if (old != state)
                log_unit_debug(&s->meta, "Changed %s -> %s", scope_state_to_string(old),
                               scope_state_to_string(state));
        unit_notify(&s->meta, state_translation[old], state_translation[state], 0);
}

static int scope_dispatch_timer(EventSource *source, usec_t usec, void *userdata);

static usec_t usec_add(usec_t a, usec_t b) {
        return a == USEC_INFINITY || b == USEC_INFINITY || a + b < a ? USEC_INFINITY : a + b;
}

/* Arms the scope's timer at usec (CLOCK_MONOTONIC); USEC_INFINITY disarms it. */
static int scope_arm_timer(Scope *s, usec_t usec) {
        int r;

        if (usec == USEC_INFINITY) {
                s->timer_event_source = event_source_disable_unref(s->timer_event_source);
                return 0;
        }
        if (s->timer_event_source) {
                r = event_source_set_time(s->timer_event_source, usec);
                if (r < 0)
                        return r;
                return event_source_set_enabled(s->timer_event_source, EVENT_ONESHOT);
        }
        return event_add_time(s->meta.manager->event, &s->timer_event_source, CLOCK_MONOTONIC, usec, 1,
                              scope_dispatch_timer, s);
}

static void scope_enter_dead(Scope *s, ScopeResult f) {
        if (s->result == SCOPE_SUCCESS)
                s->result = f;
        unit_prune_cgroup(&s->meta);
        scope_set_state(s, s->result != SCOPE_SUCCESS ? SCOPE_FAILED : SCOPE_DEAD);
}

/* The stop sequence: KillSignal= (or FinalKillSignal=) to the cgroup, then wait for it to
 * empty, at most TimeoutStopSec=. */
static void scope_enter_signal(Scope *s, ScopeState state, ScopeResult f) {
        int r;

        if (s->result == SCOPE_SUCCESS)
                s->result = f;
        r = kill_context_kill(&s->meta, &s->kill_context,
                              state == SCOPE_STOP_SIGTERM ? KILL_TERMINATE : KILL_KILL, 0, 0, false);
        if (r > 0 && unit_cgroup_is_empty(&s->meta) != 1) {
                if (s->timeout_stop_usec != USEC_INFINITY &&
                    scope_arm_timer(s, usec_add(now(CLOCK_MONOTONIC), s->timeout_stop_usec)) < 0) {
                        scope_enter_dead(s, SCOPE_FAILURE_RESOURCES);
                        return;
                }
                scope_set_state(s, state);
                return;
        }
        if (state == SCOPE_STOP_SIGTERM && s->kill_context.send_sigkill && r > 0) {
                scope_enter_signal(s, SCOPE_STOP_SIGKILL, SCOPE_SUCCESS);
                return;
        }
        scope_enter_dead(s, SCOPE_SUCCESS);
}

static int scope_dispatch_timer(EventSource *source, usec_t usec, void *userdata) {
        Scope *s = userdata;

        switch (s->state) {
        case SCOPE_RUNNING:
                log_unit_warning(&s->meta, "Scope reached runtime time limit. Stopping.");
                scope_enter_signal(s, SCOPE_STOP_SIGTERM, SCOPE_FAILURE_TIMEOUT);
                break;
        case SCOPE_STOP_SIGTERM:
                if (s->kill_context.send_sigkill) {
                        log_unit_warning(&s->meta, "Stopping timed out. Killing.");
                        scope_enter_signal(s, SCOPE_STOP_SIGKILL, SCOPE_FAILURE_TIMEOUT);
                } else {
                        log_unit_warning(&s->meta, "Stopping timed out. Skipping SIGKILL.");
                        scope_enter_dead(s, SCOPE_FAILURE_TIMEOUT);
                }
                break;
        case SCOPE_STOP_SIGKILL:
                log_unit_warning(&s->meta, "Still around after SIGKILL. Ignoring.");
                scope_enter_dead(s, SCOPE_FAILURE_TIMEOUT);
                break;
        default:
                break;
        }
        return 0;
}

static void *memdup(const void *p, size_t n) {
        void *r = malloc(n);
        return r ? memcpy(r, p, n) : NULL;
}

int scope_set_pids(Unit *u, const pid_t *pids, size_t n_pids) {
        Scope *s = SCOPE(u);
        pid_t *copy;

        if (!s)
                return -EINVAL;
        copy = n_pids > 0 ? memdup(pids, n_pids * sizeof(pid_t)) : NULL;
        if (n_pids > 0 && !copy)
                return -ENOMEM;
        free(s->pids);
        s->pids = copy;
        s->n_pids = n_pids;
        return 0;
}

static void scope_init(Unit *u) {
        Scope *s = SCOPE(u);

        kill_context_init(&s->kill_context);
        s->runtime_max_usec = USEC_INFINITY;
        s->timeout_stop_usec = u->manager->default_timeout_stop_usec;
}

static void scope_done(Unit *u) {
        Scope *s = SCOPE(u);

        s->timer_event_source = event_source_disable_unref(s->timer_event_source);
        s->pids = mfree(s->pids);
        s->n_pids = 0;
}

static usec_t scope_setting_sec(Unit *u, const char *key, usec_t def) {
        const char *v = unit_setting_last(u, key);
        usec_t t;

        if (!v)
                return def;
        if (parse_sec_fix_0(v, &t) < 0) {
                log_unit_warning(u, "Invalid %s= value \"%s\", ignoring.", key + STRLEN("Scope."), v);
                return def;
        }
        return t;
}

static int scope_load(Unit *u) {
        Scope *s = SCOPE(u);

        /* as systemd's scope_init(): scopes stay up when another unit is isolated */
        if (!unit_setting_last(u, "Unit.IgnoreOnIsolate"))
                u->rt.ignore_on_isolate = true;
        kill_context_init(&s->kill_context);
        (void) kill_context_load(u, "Scope", &s->kill_context);
        s->runtime_max_usec = scope_setting_sec(u, "Scope.RuntimeMaxSec", USEC_INFINITY);
        s->timeout_stop_usec = scope_setting_sec(u, "Scope.TimeoutStopSec", u->manager->default_timeout_stop_usec);
        return 0;
}

static int scope_start(Unit *u) {
        Scope *s = SCOPE(u);
        int r;

        if (unit_has_name(u, SPECIAL_INIT_SCOPE))
                return -EPERM;
        if (s->state == SCOPE_FAILED)
                return -EPERM;
        if (s->state != SCOPE_DEAD)
                return -EALREADY;
        if (!u->transient)
                return -ENOENT;
        s->result = SCOPE_SUCCESS;
        (void) unit_realize_cgroup(u);
        if (s->n_pids > 0) {
                r = unit_cgroup_attach_pids(u, s->pids, s->n_pids);
                if (r == -EOPNOTSUPP)
                        log_unit_warning(u, "No cgroup2: the scope's processes cannot be tracked.");
                else if (r < 0) {
                        log_unit_error_errno(u, r, "Failed to add PIDs to scope's control group: %m");
                        scope_enter_dead(s, SCOPE_FAILURE_RESOURCES);
                        return -1;
                }
                s->pids = mfree(s->pids);
                s->n_pids = 0;
        }
        if (s->runtime_max_usec != USEC_INFINITY &&
            scope_arm_timer(s, usec_add(now(CLOCK_MONOTONIC), s->runtime_max_usec)) < 0) {
                scope_enter_dead(s, SCOPE_FAILURE_RESOURCES);
                return -1;
        }
        scope_set_state(s, SCOPE_RUNNING);
        /* PIDs that were gone already: an empty scope ends at once */
        if (s->state == SCOPE_RUNNING && unit_cgroup_is_empty(u) == 1)
                scope_enter_dead(s, SCOPE_SUCCESS);
        return 1;
}

static int scope_stop(Unit *u) {
        Scope *s = SCOPE(u);

        if (unit_has_name(u, SPECIAL_INIT_SCOPE) || u->perpetual)
                return -EPERM;
        switch (s->state) {
        case SCOPE_DEAD:
        case SCOPE_FAILED:
                return -EALREADY;
        case SCOPE_STOP_SIGTERM:
        case SCOPE_STOP_SIGKILL:
                return 0;
        default:
                scope_enter_signal(s, SCOPE_STOP_SIGTERM, SCOPE_SUCCESS);
                return 1;
        }
}

/* Crash recovery (manager-store.h): state and result, taken as read back (no side effects). */
static void scope_serialize(Unit *u, Serializer *s) {
        ser_item(s, "state", scope_state_to_string(SCOPE(u)->state));
        ser_item(s, "result", scope_result_to_string(SCOPE(u)->result));
}

static int scope_deserialize_item(Unit *u, const char *key, const char *value) {
        ScopeState st;
        ScopeResult r;

        if (streq(key, "state") && (st = scope_state_from_string(value)) >= 0)
                SCOPE(u)->state = st;
        else if (streq(key, "result") && (r = scope_result_from_string(value)) >= 0)
                SCOPE(u)->result = r;
        return 0;
}

static int scope_coldplug(Unit *u) {
        Scope *s = SCOPE(u);

        if (!unit_has_name(u, SPECIAL_INIT_SCOPE) || s->state != SCOPE_DEAD)
                return 0;
        (void) unit_realize_cgroup(u);
        scope_set_state(s, SCOPE_RUNNING);
        return 0;
}

static int scope_kill(Unit *u, KillWho who, int signo, BusError *error) {
        return kill_unit_processes(u, who, signo, -1, -1, error);
}

static UnitActiveState scope_active_state(Unit *u) {
        return state_translation[SCOPE(u)->state];
}

static const char *scope_sub_state_to_string(Unit *u) {
        return scope_state_to_string(SCOPE(u)->state);
}

static const char *scope_result_string(Unit *u) {
        return scope_result_to_string(SCOPE(u)->result);
}

static bool scope_may_gc(Unit *u) {
        if (u->perpetual)
                return false;
        /* a scope with processes in it stays */
        return !IN_SET(SCOPE(u)->state, SCOPE_RUNNING, SCOPE_ABANDONED, SCOPE_STOP_SIGTERM, SCOPE_STOP_SIGKILL) ||
               unit_cgroup_is_empty(u) == 1;
}

static void scope_reset_failed(Unit *u) {
        Scope *s = SCOPE(u);

        if (s->state == SCOPE_FAILED)
                scope_set_state(s, SCOPE_DEAD);
        s->result = SCOPE_SUCCESS;
}

static void scope_cgroup_empty(Unit *u) {
        Scope *s = SCOPE(u);

        /* init.scope holds the manager itself: it never runs empty while we watch it */
        log_unit_debug(u, "Scope's cgroup is empty.");
        if (unit_has_name(u, SPECIAL_INIT_SCOPE))
                return;
        switch (s->state) {
        case SCOPE_RUNNING:
        case SCOPE_ABANDONED:
        case SCOPE_STOP_SIGTERM:
        case SCOPE_STOP_SIGKILL:
                scope_enter_dead(s, SCOPE_SUCCESS);
                break;
        default:
                break;
        }
}

const UnitVTable scope_vtable = {
        .object_size = sizeof(Scope),
        .sub_state_names = scope_state_table,
        .init = scope_init,
        .done = scope_done,
        .load = scope_load,
        .start = scope_start,
        .stop = scope_stop,
        .kill = scope_kill,
        .coldplug = scope_coldplug,
        .serialize = scope_serialize,
        .deserialize_item = scope_deserialize_item,
        .active_state = scope_active_state,
        .sub_state_to_string = scope_sub_state_to_string,
        .result_to_string = scope_result_string,
        .may_gc = scope_may_gc,
        .reset_failed = scope_reset_failed,
        .cgroup_empty = scope_cgroup_empty,
        .once_only = true,
        .can_fail = true,
        .can_transient = true,
        .can_delegate = true,
};
