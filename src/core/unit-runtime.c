/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * unit-runtime.c: the runtime half of the Unit (unit.h "Runtime"): the operations job.c runs on
 * a unit (start/stop/reload with systemd 252's checks and error codes), the reaction to a type's
 * state change (unit_notify()), watched pids, invocation IDs, and the queues the manager
 * dispatches from its event loop (gc, cleanup, dbus, stop-when-unneeded, start-when-upheld,
 * stop-when-bound). The dependency "atoms" of 252 are spelled out as lists of our dependency
 * kinds where they are used.
 */

#include <limits.h>
#include <sys/random.h>

#include "cgroup.h"
#include "condition.h"
#include "emergency-action.h"
#include "job.h"
#include "log.h"
#include "manager-bus.h"
#include "manager-store.h"
#include "manager-sysbus.h"
#include "manager.h"
#include "process-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit.h"

/* ---------------------------------------------------------------- string tables */

static const char *const kill_mode_table[_KILL_MODE_MAX] = {
        [KILL_CONTROL_GROUP] = "control-group",
        [KILL_PROCESS] = "process",
        [KILL_MIXED] = "mixed",
        [KILL_NONE] = "none",
};

static const char *const kill_who_table[_KILL_WHO_MAX] = {
        [KILL_MAIN] = "main",
        [KILL_CONTROL] = "control",
        [KILL_ALL] = "all",
        [KILL_MAIN_FAIL] = "main-fail",
        [KILL_CONTROL_FAIL] = "control-fail",
        [KILL_ALL_FAIL] = "all-fail",
};

static const char *const collect_mode_table[_COLLECT_MODE_MAX] = {
        [COLLECT_INACTIVE] = "inactive",
        [COLLECT_INACTIVE_OR_FAILED] = "inactive-or-failed",
};

#define NAME_FUNCTIONS(prefix, type, table, max)                            \
        const char *prefix##_to_string(type v) {                            \
                return v >= 0 && v < (max) ? table[v] : NULL;               \
        }                                                                   \
        type prefix##_from_string(const char *s) {                          \
                return (type) string_table_lookup(table, (max), s);         \
        }

NAME_FUNCTIONS(kill_mode, KillMode, kill_mode_table, _KILL_MODE_MAX)
NAME_FUNCTIONS(kill_who, KillWho, kill_who_table, _KILL_WHO_MAX)
NAME_FUNCTIONS(collect_mode, CollectMode, collect_mode_table, _COLLECT_MODE_MAX)

/* ---------------------------------------------------------------- helpers */

static bool manager_is_reloading(const Manager *m) {
        return m->n_reloading > 0;
}

/* Makes the manager run its queues soon (its defer source; no-op before manager_setup_runtime()). */
static void manager_wake_queues(Manager *m) {
        if (m->queue_event_source)
                (void) event_source_set_enabled(m->queue_event_source, EVENT_ONESHOT);
}

#define DEP(d) UNIT_DEPENDENCY_BIT(UNIT_##d)

/* A snapshot of the units u has a dependency of a kind in mask with, each once: acting on one
 * (e.g. enqueueing a job) may change the map. NULL-terminated; NULL on OOM or when empty. */
static Unit **deps_snapshot(Unit *u, uint32_t mask) {
        Unit **a = NULL, *o;
        size_t n = 0, allocated = 0;

        UNIT_FOREACH_DEPENDENCIES(o, u, mask) {
                if (!GREEDY_REALLOC(a, allocated, n + 2))
                        return a;
                a[n++] = o;
                a[n] = NULL;
        }
        return a;
}

/* ---------------------------------------------------------------- state */

UnitActiveState unit_active_state(Unit *u) {
        u = unit_follow_merge(u);
        if (u->load_state == UNIT_MERGED || !UNIT_VTABLE(u)->active_state)
                return UNIT_INACTIVE;
        return UNIT_VTABLE(u)->active_state(u);
}

const char *unit_sub_state_to_string(Unit *u) {
        u = unit_follow_merge(u);
        if (u->load_state == UNIT_MERGED || !UNIT_VTABLE(u)->sub_state_to_string)
                return "dead";
        return UNIT_VTABLE(u)->sub_state_to_string(u);
}

const char *unit_result_to_string(Unit *u) {
        return UNIT_VTABLE(u)->result_to_string ? UNIT_VTABLE(u)->result_to_string(u) : NULL;
}

bool unit_has_invocation_id(const Unit *u) {
        for (size_t i = 0; i < sizeof u->invocation_id; i++)
                if (u->invocation_id[i])
                        return true;
        return false;
}

char *unit_invocation_id_format(const Unit *u, char buf[static 33]) {
        if (!unit_has_invocation_id(u)) {
                buf[0] = 0;
                return buf;
        }
        for (size_t i = 0; i < sizeof u->invocation_id; i++) {
                buf[2 * i] = hexchar(u->invocation_id[i] >> 4);
                buf[2 * i + 1] = hexchar(u->invocation_id[i] & 15);
        }
        buf[32] = 0;
        return buf;
}

bool unit_active_or_pending(Unit *u) {
        if (unit_active_state_is_active_or_activating(unit_active_state(u)))
                return true;
        return u->job && IN_SET(u->job->type, JOB_START, JOB_RELOAD_OR_START, JOB_RESTART);
}

static void set_invocation_id(Unit *u, const uint8_t id[16]) {
        memcpy(u->invocation_id, id, sizeof u->invocation_id);
        unit_add_to_dbus_queue(u);
}

int unit_set_invocation_id_string(Unit *u, const char *s) {
        uint8_t id[16];

        if (strlen(s) != 32)
                return -EINVAL;
        for (size_t i = 0; i < sizeof id; i++) {
                int a = unhexchar(s[2 * i]), b = unhexchar(s[2 * i + 1]);

                if (a < 0 || b < 0)
                        return -EINVAL;
                id[i] = (uint8_t) (a << 4 | b);
        }
        set_invocation_id(u, id);
        return 0;
}

int unit_acquire_invocation_id(Unit *u) {
        uint8_t id[16];
        ssize_t n = getrandom(id, sizeof id, GRND_NONBLOCK);

        if (n != (ssize_t) sizeof id) {
                /* early boot without entropy: getrandom() without GRND_NONBLOCK would block */
                n = getrandom(id, sizeof id, GRND_INSECURE);
                if (n != (ssize_t) sizeof id)
                        return log_unit_error_errno(u, n < 0 ? errno : EIO,
                                                    "Failed to generate invocation ID for unit: %m");
        }
        /* a version 4 UUID, as sd_id128_randomize() makes it */
        id[6] = (id[6] & 0x0F) | 0x40;
        id[8] = (id[8] & 0x3F) | 0x80;
        set_invocation_id(u, id);
        return 0;
}

/* ---------------------------------------------------------------- start, stop, reload */

int unit_test_start_limit(Unit *u) {
        usec_t ts, interval = u->rt.start_limit_interval;
        unsigned burst = u->rt.start_limit_burst;
        _cleanup_free_ char *reason = NULL;

        if (interval == 0 || burst == 0) {
                u->start_limit_hit = false;
                return 0;
        }
        ts = now(CLOCK_MONOTONIC);
        if (u->start_limit_begin == 0 || ts - u->start_limit_begin > interval) {
                u->start_limit_begin = ts;
                u->start_limit_count = 1;
                u->start_limit_hit = false;
                return 0;
        }
        if (u->start_limit_count < UINT_MAX)
                u->start_limit_count++;
        if (u->start_limit_count <= burst) {
                u->start_limit_hit = false;
                return 0;
        }
        log_unit_warning(u, "Start request repeated too quickly.");
        u->start_limit_hit = true;
        reason = strjoin("unit ", u->id, " failed");
        emergency_action_full(u->manager, u->rt.start_limit_action,
                              EMERGENCY_ACTION_IS_WATCHDOG | EMERGENCY_ACTION_WARN, NULL, -1,
                              reason ?: u->id);
        return -ECANCELED;
}

/* The types that have a start rate limit in 252 (checked in their can_start()). */
static bool type_has_start_limit(UnitType t) {
        return IN_SET(t, UNIT_SERVICE, UNIT_SOCKET, UNIT_MOUNT, UNIT_SWAP, UNIT_AUTOMOUNT, UNIT_PATH,
                      UNIT_TIMER);
}

static bool unit_test_condition(Unit *u) {
        dual_timestamp_now(&u->condition_timestamp);
        u->condition_result = condition_list_test(u, u->conditions, u->n_conditions,
                                                  u->manager->environment, false);
        unit_add_to_dbus_queue(u);
        return u->condition_result;
}

static bool unit_test_assert(Unit *u) {
        dual_timestamp_now(&u->assert_timestamp);
        u->assert_result = condition_list_test(u, u->asserts, u->n_asserts, u->manager->environment,
                                               true);
        unit_add_to_dbus_queue(u);
        return u->assert_result;
}

/* 252's unit_verify_deps(): every BindsTo= unit that we are also ordered after must be up. */
static bool unit_verify_deps(Unit *u) {
        Unit *other;

        UNIT_FOREACH_DEPENDENCY(other, u, UNIT_BINDS_TO) {
                if (!unit_has_dependency(u, UNIT_AFTER, other))
                        continue;
                if (!unit_active_state_is_active_or_reloading(unit_active_state(other))) {
                        log_unit_notice(u, "Bound to unit %s, but unit isn't active.", other->id);
                        return false;
                }
        }
        return true;
}

int unit_start(Unit *u) {
        const UnitVTable *vt;
        UnitActiveState state;
        int r;

        u = unit_follow_merge(u);
        vt = UNIT_VTABLE(u);
        state = unit_active_state(u);
        if (unit_active_state_is_active_or_reloading(state))
                return -EALREADY;
        if (state == UNIT_MAINTENANCE)
                return -EAGAIN;
        if (u->load_state != UNIT_LOADED)
                return -EINVAL;
        if (vt->once_only && dual_timestamp_is_set(&u->inactive_enter_timestamp))
                return -ESTALE;
        if (state != UNIT_ACTIVATING && !unit_test_condition(u))
                return log_unit_debug_errno(u, ECOMM, "Starting requested but condition failed. Not starting unit.");
        if (state != UNIT_ACTIVATING && !unit_test_assert(u))
                return log_unit_full(u, LOG_NOTICE, EPROTO, "Starting requested but asserts failed.");
        if (!vt->start && !vt->stop)
                return -EOPNOTSUPP; /* a type not implemented yet: "unsupported" */
        if (!unit_verify_deps(u))
                return -ENOLINK;
        if (vt->can_start) {
                r = vt->can_start(u);
                if (r < 0)
                        return r;
        } else if (type_has_start_limit(u->type) && vt->start &&
                   unit_active_state_is_inactive_or_failed(state)) {
                r = unit_test_start_limit(u);
                if (r < 0)
                        return r;
        }
        if (!vt->start)
                return -EBADR;
        unit_add_to_dbus_queue(u);
        if (unit_active_state_is_inactive_or_failed(state)) {
                r = unit_acquire_invocation_id(u);
                if (r < 0)
                        return r;
        }
        return vt->start(u);
}

int unit_stop(Unit *u) {
        u = unit_follow_merge(u);
        if (unit_active_state_is_inactive_or_failed(unit_active_state(u)))
                return -EALREADY;
        if (!UNIT_VTABLE(u)->stop)
                return -EBADR;
        unit_add_to_dbus_queue(u);
        return UNIT_VTABLE(u)->stop(u);
}

bool unit_can_reload(Unit *u) {
        u = unit_follow_merge(u);
        if (UNIT_VTABLE(u)->can_reload)
                return UNIT_VTABLE(u)->can_reload(u);
        if (unit_has_dependencies(u, DEP(PROPAGATES_RELOAD_TO)))
                return true;
        return UNIT_VTABLE(u)->reload;
}

int unit_reload(Unit *u) {
        UnitActiveState state;

        u = unit_follow_merge(u);
        if (u->load_state != UNIT_LOADED)
                return -EINVAL;
        if (!unit_can_reload(u))
                return -EBADR;
        state = unit_active_state(u);
        if (state == UNIT_RELOADING)
                return -EAGAIN;
        if (state != UNIT_ACTIVE)
                return log_unit_warning_errno(u, ENOEXEC, "Unit cannot be reloaded because it is inactive.");
        unit_add_to_dbus_queue(u);
        if (!UNIT_VTABLE(u)->reload) {
                /* nothing to do itself, but the reload propagates (PropagatesReloadTo=) */
                unit_notify(u, state, state, 0);
                return 0;
        }
        return UNIT_VTABLE(u)->reload(u);
}

bool unit_can_start(Unit *u) {
        u = unit_follow_merge(u);
        if (u->load_state != UNIT_LOADED)
                return false;
        /* A once-only type (scopes) cannot start again once it left "inactive". */
        if (UNIT_VTABLE(u)->once_only && dual_timestamp_is_set(&u->inactive_exit_timestamp))
                return false;
        return UNIT_VTABLE(u)->start;
}

bool unit_can_stop(Unit *u) {
        u = unit_follow_merge(u);
        return !u->perpetual && UNIT_VTABLE(u)->stop;
}

bool unit_can_isolate(Unit *u) {
        return unit_can_start(u) && unit_follow_merge(u)->rt.allow_isolate;
}

int unit_kill(Unit *u, KillWho who, int signo, BusError *error) {
        u = unit_follow_merge(u);
        if (!UNIT_VTABLE(u)->kill)
                return -EOPNOTSUPP;
        return UNIT_VTABLE(u)->kill(u, who, signo, error);
}

void unit_reset_failed(Unit *u) {
        u = unit_follow_merge(u);
        if (UNIT_VTABLE(u)->reset_failed)
                UNIT_VTABLE(u)->reset_failed(u);
        u->start_limit_begin = 0;
        u->start_limit_count = 0;
        u->start_limit_hit = false;
        unit_add_to_dbus_queue(u);
        unit_add_to_gc_queue(u);
}

/* ---------------------------------------------------------------- state changes */

static void add_job_quietly(Unit *other, JobType t, JobMode mode) {
        (void) manager_add_job(other->manager, t, other, mode, NULL, NULL, NULL);
}

static bool inactive_or_deactivating(UnitActiveState s) {
        return IN_SET(s, UNIT_INACTIVE, UNIT_FAILED, UNIT_DEACTIVATING);
}

static void retroactively_start_dependencies(Unit *u) {
        _cleanup_free_ Unit **a = deps_snapshot(u, DEP(REQUIRES) | DEP(BINDS_TO) | DEP(UPHOLDS));
        _cleanup_free_ Unit **b = deps_snapshot(u, DEP(WANTS));
        _cleanup_free_ Unit **c = deps_snapshot(u, DEP(CONFLICTS) | DEP(CONFLICTED_BY));

        for (Unit **o = a; o && *o; o++)
                if (!unit_has_dependency(u, UNIT_AFTER, *o) &&
                    !unit_active_state_is_active_or_activating(unit_active_state(*o)))
                        add_job_quietly(*o, JOB_START, JOB_REPLACE);
        for (Unit **o = b; o && *o; o++)
                if (!unit_has_dependency(u, UNIT_AFTER, *o) &&
                    !unit_active_state_is_active_or_activating(unit_active_state(*o)))
                        add_job_quietly(*o, JOB_START, JOB_FAIL);
        for (Unit **o = c; o && *o; o++)
                if (!inactive_or_deactivating(unit_active_state(*o)))
                        add_job_quietly(*o, JOB_STOP, JOB_REPLACE);
}

static void retroactively_stop_dependencies(Unit *u) {
        _cleanup_free_ Unit **a = deps_snapshot(u, DEP(BOUND_BY) | DEP(PROPAGATES_STOP_TO));

        for (Unit **o = a; o && *o; o++)
                if (!inactive_or_deactivating(unit_active_state(*o)))
                        add_job_quietly(*o, JOB_STOP, JOB_REPLACE);
}

static void start_handlers(Unit *u, UnitDependency d, const char *name, JobMode mode) {
        _cleanup_free_ Unit **a = deps_snapshot(u, UNIT_DEPENDENCY_BIT(d));

        if (!a)
                return;
        log_unit_info(u, "Triggering %s dependencies.", name);
        for (Unit **o = a; *o; o++) {
                int r = manager_add_job(u->manager, JOB_START, *o, mode, NULL, NULL, NULL);
                if (r < 0)
                        log_unit_warning_errno(u, r, "Failed to enqueue %s job, ignoring: %m", name);
        }
}

void unit_start_on_failure(Unit *u) {
        start_handlers(u, UNIT_ON_FAILURE, "OnFailure=", u->rt.on_failure_job_mode);
}

void unit_start_on_success(Unit *u) {
        start_handlers(u, UNIT_ON_SUCCESS, "OnSuccess=", u->rt.on_success_job_mode);
}

static void update_timestamps(Unit *u, UnitActiveState os, UnitActiveState ns) {
        bool was_down = unit_active_state_is_inactive_or_failed(os);
        bool is_down = unit_active_state_is_inactive_or_failed(ns);
        bool was_up = unit_active_state_is_active_or_reloading(os);
        bool is_up = unit_active_state_is_active_or_reloading(ns);

        dual_timestamp_now(&u->state_change_timestamp);
        if (was_down && !is_down)
                u->inactive_exit_timestamp = u->state_change_timestamp;
        else if (!was_down && is_down)
                u->inactive_enter_timestamp = u->state_change_timestamp;
        if (!was_up && is_up)
                u->active_enter_timestamp = u->state_change_timestamp;
        else if (was_up && !is_up)
                u->active_exit_timestamp = u->state_change_timestamp;
}

static void check_queues_of_deps(Unit *u, uint32_t mask, void (*submit)(Unit *other)) {
        Unit *other;

        UNIT_FOREACH_DEPENDENCIES(other, u, mask)
                submit(other);
}

/* The deferred reactions (252's tail of unit_notify()). */
static void queue_followups(Unit *u, UnitActiveState ns) {
        if (unit_active_state_is_inactive_or_failed(ns)) {
                /* the units that count u as "needed" (ADD_STOP_WHEN_UNNEEDED_QUEUE) */
                check_queues_of_deps(u, DEP(REQUIRES) | DEP(REQUISITE) | DEP(WANTS) | DEP(BINDS_TO) | DEP(UPHOLDS),
                                     unit_submit_to_stop_when_unneeded_queue);
                check_queues_of_deps(u, DEP(BOUND_BY), unit_submit_to_stop_when_bound_queue);
                unit_submit_to_start_when_upheld_queue(u);
                unit_add_to_gc_queue(u);
        }
        if (unit_active_state_is_active_or_reloading(ns)) {
                check_queues_of_deps(u, DEP(UPHOLDS), unit_submit_to_start_when_upheld_queue);
                unit_submit_to_stop_when_unneeded_queue(u);
                unit_submit_to_stop_when_bound_queue(u);
        }
}

static void run_success_failure_action(Unit *u, UnitActiveState os, UnitActiveState ns) {
        _cleanup_free_ char *reason = NULL;

        if (os != UNIT_FAILED && ns == UNIT_FAILED) {
                reason = strjoin("unit ", u->id, " failed");
                emergency_action_full(u->manager, u->rt.failure_action, 0, NULL,
                                      u->rt.failure_action_exit_status, reason ?: u->id);
        } else if (!unit_active_state_is_inactive_or_failed(os) && ns == UNIT_INACTIVE) {
                reason = strjoin("unit ", u->id, " succeeded");
                emergency_action_full(u->manager, u->rt.success_action, 0, NULL,
                                      u->rt.success_action_exit_status, reason ?: u->id);
        }
}

/* Tells the units that trigger u (sockets, …) that u's state changed (UnitVTable.trigger_notify). */
static void unit_trigger_notify(Unit *u) {
        _cleanup_free_ Unit **a = deps_snapshot(u, DEP(TRIGGERED_BY));

        for (Unit **o = a; o && *o; o++)
                if ((*o)->load_state == UNIT_LOADED && UNIT_VTABLE(*o)->trigger_notify)
                        UNIT_VTABLE(*o)->trigger_notify(*o, u);
}

void unit_notify(Unit *u, UnitActiveState os, UnitActiveState ns, UnitNotifyFlags flags) {
        Manager *m = u->manager;
        bool reloading = manager_is_reloading(m);

        unit_add_to_dbus_queue(u);
        if (!reloading)
                update_timestamps(u, os, ns);
        /* Perpetual units come up when the manager starts, without an invocation (as in systemd). */
        if (unit_active_state_is_inactive_or_failed(os) && !unit_active_state_is_inactive_or_failed(ns) &&
            !unit_has_invocation_id(u) && !u->perpetual)
                (void) unit_acquire_invocation_id(u);
        if (unit_active_state_is_inactive_or_failed(ns))
                unit_prune_cgroup(u);
        u->last_active_state = ns;

        if (!reloading) {
                bool unexpected = true;

                if (u->job)
                        unexpected = job_unit_notify(u, os, ns, flags & UNIT_NOTIFY_RELOAD_FAILURE,
                                                     flags & UNIT_NOTIFY_SKIP_CONDITION);
                if (unexpected) {
                        if (unit_active_state_is_inactive_or_failed(os) &&
                            unit_active_state_is_active_or_activating(ns))
                                retroactively_start_dependencies(u);
                        else if (unit_active_state_is_active_or_activating(os) && inactive_or_deactivating(ns))
                                retroactively_stop_dependencies(u);
                }
                if (ns != os && ns == UNIT_FAILED) {
                        log_unit_debug(u, "Unit entered failed state.");
                        if (!(flags & UNIT_NOTIFY_WILL_AUTO_RESTART))
                                unit_start_on_failure(u);
                }
                if (ns == UNIT_INACTIVE && !IN_SET(os, UNIT_FAILED, UNIT_INACTIVE, UNIT_MAINTENANCE) &&
                    !(flags & UNIT_NOTIFY_WILL_AUTO_RESTART))
                        unit_start_on_success(u);
                run_success_failure_action(u, os, ns);
        }
        queue_followups(u, ns);
        unit_trigger_notify(u);
}

/* ---------------------------------------------------------------- pids */

/* Takes pid out of the manager's maps. */
static void forget_pid(Manager *m, void *p) {
        (void) hashmap_remove(m->watch_pids, p);
        (void) hashmap_remove(m->watch_pid_start, p);
}

/* The state store records each PID with its start time (PID reuse across a restart), and whether
 * it was a child of ours or of init then ("owned": its end is seen by us or reported by init
 * before the PID can be reused). Read once, when the PID is first watched, not at every commit. */
int manager_remember_pid_start(Manager *m, pid_t pid, uint64_t start_time, bool owned) {
        int r = hashmap_ensure_put(&m->watch_pid_start, &trivial_hash_ops, PID_TO_PTR(pid),
                                   (void *) (uintptr_t) (start_time << 1 | owned));
        return r == -EEXIST ? 0 : r;
}

static void remember_start_time(Manager *m, pid_t pid) {
        ProcStat st;
        bool owned;

        if (!m->store || hashmap_contains(m->watch_pid_start, PID_TO_PTR(pid)) ||
            proc_stat(pid, &st) < 0 || st.start_time == 0)
                return;
        owned = m->init_link && (st.ppid == getpid() || st.ppid == getppid());
        if (manager_remember_pid_start(m, pid, st.start_time, owned) < 0)
                log_oom();
}

uint64_t unit_watched_pid_start_time(Unit *u, pid_t pid) {
        return (uint64_t) (uintptr_t) hashmap_get(u->manager->watch_pid_start, PID_TO_PTR(pid)) >> 1;
}

bool unit_watched_pid_owned(Unit *u, pid_t pid) {
        return (uintptr_t) hashmap_get(u->manager->watch_pid_start, PID_TO_PTR(pid)) & 1;
}

int unit_watch_pid(Unit *u, pid_t pid) {
        Manager *m = u->manager;
        Unit *old;
        int r;

        if (pid <= 0)
                return -EINVAL;
        old = hashmap_get(m->watch_pids, PID_TO_PTR(pid));
        if (old == u)
                return 0;
        r = ordered_set_ensure_put(&u->pids, &trivial_hash_ops, PID_TO_PTR(pid));
        if (r < 0)
                return r;
        r = hashmap_ensure_allocated(&m->watch_pids, &trivial_hash_ops);
        if (r >= 0)
                r = hashmap_replace(m->watch_pids, PID_TO_PTR(pid), u);
        if (r < 0) {
                ordered_set_remove(u->pids, PID_TO_PTR(pid));
                return r;
        }
        if (old) {
                ordered_set_remove(old->pids, PID_TO_PTR(pid));
                unit_add_to_store_queue(old);
        }
        remember_start_time(m, pid);
        unit_add_to_store_queue(u);
        return 0;
}

void unit_unwatch_pid(Unit *u, pid_t pid) {
        Manager *m = u->manager;

        if (hashmap_get(m->watch_pids, PID_TO_PTR(pid)) == u)
                forget_pid(m, PID_TO_PTR(pid));
        if (ordered_set_remove(u->pids, PID_TO_PTR(pid)))
                unit_add_to_store_queue(u);
}

void unit_unwatch_all_pids(Unit *u) {
        void *p;

        while ((p = ordered_set_steal_first(u->pids)))
                if (hashmap_get(u->manager->watch_pids, p) == u)
                        forget_pid(u->manager, p);
        u->pids = ordered_set_free(u->pids);
}

/* ---------------------------------------------------------------- queues */

void unit_add_to_dbus_queue(Unit *u) {
        Manager *m = u->manager;

        if (u->load_state == UNIT_STUB)
                return;
        unit_add_to_store_queue(u);
        if (u->in_dbus_queue)
                return;
        if (m->bus)
                manager_sysbus_unit_changed(m, u); /* dbus.service/dbus.socket up: connect */
        if (!m->bus || !bus_has_subscribers(m)) {
                /* nobody listens: pretend UnitNew went out, as 252 */
                u->sent_dbus_new_signal = true;
                return;
        }
        LIST_PREPEND(dbus_queue, m->dbus_unit_queue, u);
        u->in_dbus_queue = true;
        manager_wake_queues(m);
}

void unit_add_to_gc_queue(Unit *u) {
        Manager *m = u->manager;

        if (u->in_gc_queue || u->in_cleanup_queue || !m->event)
                return;
        if (!unit_may_gc(u))
                return;
        LIST_PREPEND(gc_queue, m->gc_unit_queue, u);
        u->in_gc_queue = true;
        manager_wake_queues(m);
}

void unit_add_to_cleanup_queue(Unit *u) {
        if (u->in_cleanup_queue)
                return;
        LIST_PREPEND(cleanup_queue, u->manager->cleanup_queue, u);
        u->in_cleanup_queue = true;
        manager_wake_queues(u->manager);
}

void unit_submit_to_stop_when_unneeded_queue(Unit *u) {
        if (u->in_stop_when_unneeded_queue || !u->rt.stop_when_unneeded)
                return;
        if (!unit_active_state_is_active_or_reloading(unit_active_state(u)))
                return;
        LIST_PREPEND(stop_when_unneeded_queue, u->manager->stop_when_unneeded_queue, u);
        u->in_stop_when_unneeded_queue = true;
        manager_wake_queues(u->manager);
}

void unit_submit_to_start_when_upheld_queue(Unit *u) {
        if (u->in_start_when_upheld_queue)
                return;
        if (!unit_active_state_is_inactive_or_failed(unit_active_state(u)))
                return;
        if (!unit_has_dependencies(u, DEP(UPHELD_BY)))
                return;
        LIST_PREPEND(start_when_upheld_queue, u->manager->start_when_upheld_queue, u);
        u->in_start_when_upheld_queue = true;
        manager_wake_queues(u->manager);
}

void unit_submit_to_stop_when_bound_queue(Unit *u) {
        if (u->in_stop_when_bound_queue)
                return;
        if (!unit_active_state_is_active_or_reloading(unit_active_state(u)))
                return;
        if (!unit_has_dependencies(u, DEP(BINDS_TO)))
                return;
        LIST_PREPEND(stop_when_bound_queue, u->manager->stop_when_bound_queue, u);
        u->in_stop_when_bound_queue = true;
        manager_wake_queues(u->manager);
}

/* Removes u from every runtime queue (for unit_free()). */
void unit_leave_queues(Unit *u) {
        Manager *m = u->manager;

        if (u->in_gc_queue)
                LIST_REMOVE(gc_queue, m->gc_unit_queue, u);
        if (u->in_dbus_queue)
                LIST_REMOVE(dbus_queue, m->dbus_unit_queue, u);
        if (u->in_cleanup_queue)
                LIST_REMOVE(cleanup_queue, m->cleanup_queue, u);
        if (u->in_stop_when_unneeded_queue)
                LIST_REMOVE(stop_when_unneeded_queue, m->stop_when_unneeded_queue, u);
        if (u->in_start_when_upheld_queue)
                LIST_REMOVE(start_when_upheld_queue, m->start_when_upheld_queue, u);
        if (u->in_stop_when_bound_queue)
                LIST_REMOVE(stop_when_bound_queue, m->stop_when_bound_queue, u);
        u->in_gc_queue = u->in_dbus_queue = u->in_cleanup_queue = false;
        u->in_stop_when_unneeded_queue = u->in_start_when_upheld_queue = false;
        u->in_stop_when_bound_queue = false;
}

/* ---------------------------------------------------------------- GC and the auto queues */

/* Whether an OnFailure=/OnSuccess= unit of u has a job (then u stays for it). */
static bool success_failure_handler_has_jobs(Unit *u) {
        Unit *other;

        UNIT_FOREACH_DEPENDENCIES(other, u, DEP(ON_FAILURE) | DEP(ON_SUCCESS))
                if (other->job || other->nop_job)
                        return true;
        return false;
}

bool unit_may_gc(Unit *u) {
        UnitActiveState state;

        if (u->load_state == UNIT_MERGED)
                return true;
        if (u->job || u->nop_job || u->perpetual || u->ref_count_bus > 0)
                return false;
        state = unit_active_state(u);
        if (u->rt.collect_mode == COLLECT_INACTIVE_OR_FAILED ? !IN_SET(state, UNIT_INACTIVE, UNIT_FAILED)
                                                              : state != UNIT_INACTIVE)
                return false;
        if (success_failure_handler_has_jobs(u))
                return false;
        if (u->cgroup_path && unit_cgroup_is_empty(u) == 0)
                return false; /* live processes: never collected */
        if (UNIT_VTABLE(u)->may_gc && !UNIT_VTABLE(u)->may_gc(u))
                return false;
        return true;
}

bool unit_is_unneeded(Unit *u) {
        Unit *other;

        if (!u->rt.stop_when_unneeded || unit_active_state(u) != UNIT_ACTIVE || u->job)
                return false;
        UNIT_FOREACH_DEPENDENCIES(other, u, DEP(REQUIRED_BY) | DEP(REQUISITE_OF) | DEP(WANTED_BY) | DEP(BOUND_BY) | DEP(UPHELD_BY)) {
                if (other->job)
                        return false;
                if (!unit_active_state_is_inactive_or_failed(unit_active_state(other)))
                        return false;
        }
        return true;
}

bool unit_is_upheld_by_active(Unit *u, Unit **ret_culprit) {
        Unit *other;

        if (ret_culprit)
                *ret_culprit = NULL;
        if (!unit_active_state_is_inactive_or_failed(unit_active_state(u)) || u->job)
                return false;
        UNIT_FOREACH_DEPENDENCY(other, u, UNIT_UPHELD_BY) {
                if (other->job)
                        continue;
                if (unit_active_state_is_active_or_reloading(unit_active_state(other))) {
                        if (ret_culprit)
                                *ret_culprit = other;
                        return true;
                }
        }
        return false;
}

bool unit_is_bound_by_inactive(Unit *u, Unit **ret_culprit) {
        Unit *other;

        if (ret_culprit)
                *ret_culprit = NULL;
        if (unit_active_state(u) != UNIT_ACTIVE || u->job)
                return false;
        UNIT_FOREACH_DEPENDENCY(other, u, UNIT_BINDS_TO) {
                if (other->job)
                        continue;
                if (unit_active_state_is_inactive_or_failed(unit_active_state(other))) {
                        if (ret_culprit)
                                *ret_culprit = other;
                        return true;
                }
        }
        return false;
}

/* ---------------------------------------------------------------- daemon-reload */

void unit_reset_to_stub(Unit *u) {
        unit_reset_loaded_data(u);
        u->load_state = UNIT_STUB;
        u->load_error = 0;
}
