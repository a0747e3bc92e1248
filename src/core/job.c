/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * job.c: installed jobs and how they run, as systemd 252 does it. A job sits on its unit
 * (u->job, or u->nop_job for nop jobs) and in m->jobs under its id. It waits in the run queue
 * until nothing it is ordered after still has a job to do first, then runs the unit operation;
 * the unit's state changes (unit_notify() → job_unit_notify()) finish it. Finishing logs the
 * status line systemd writes, sends JobRemoved, fails the jobs that needed this one, and wakes
 * up the jobs ordered against it.
 *
 * States: waiting → running → (finished and freed); a restart job that finished its stop part
 * becomes a waiting start job; a running job that a later transaction merges with in a way
 * that cannot be merged late is put back to waiting and runs again.
 */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "condition.h"
#include "crash-guard.h"
#include "fault-inject.h"
#include "emergency-action.h"
#include "job.h"
#include "log.h"
#include "manager-bus.h"
#include "manager-store.h"
#include "manager.h"
#include "string-util.h"
#include "unit.h"

#define JOB_ID_TO_PTR(id) ((void *) (uintptr_t) (id))

/* The status formats come from tables (and the unit types): not literals. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static usec_t usec_add(usec_t a, usec_t b) {
        return a > USEC_INFINITY - b ? USEC_INFINITY : a + b;
}

static void manager_trigger_run_queue(Manager *m);

static Job **job_slot(Job *j) {
        return j->type == JOB_NOP ? &j->unit->nop_job : &j->unit->job;
}

Job *job_new(Unit *u, JobType type) {
        Manager *m = u->manager;
        Job *j;

        assert(type >= 0 && type < _JOB_TYPE_MAX_IN_TRANSACTION);

        j = new0(Job, 1);
        if (!j)
                return NULL;
        if (m->current_job_id == 0)
                m->current_job_id = 1;
        j->manager = m;
        j->unit = u;
        j->run_queue_idx = PRIOQ_IDX_NULL;
        j->id = m->current_job_id++;
        j->type = type;
        j->state = JOB_WAITING;
        j->begin_usec = j->begin_running_usec = USEC_INFINITY;
        return j;
}

/* Takes j off every queue of the manager and disarms its timer. */
static void job_unlink(Job *j) {
        Manager *m = j->manager;

        if (j->in_store_queue) {
                LIST_REMOVE(store_queue, m->store_job_queue, j);
                j->in_store_queue = false;
        }
        (void) prioq_remove(m->run_queue, j, &j->run_queue_idx);
        if (j->in_dbus_queue) {
                LIST_REMOVE(dbus_queue, m->dbus_job_queue, j);
                j->in_dbus_queue = false;
        }
        if (j->in_gc_queue) {
                LIST_REMOVE(gc_queue, m->gc_job_queue, j);
                j->in_gc_queue = false;
        }
        j->timer_event_source = event_source_disable_unref(j->timer_event_source);
}

void job_free_uninstalled(Job *j) {
        if (!j)
                return;
        assert(!j->installed);
        job_unlink(j);
        free(j);
}

static void job_set_state(Job *j, JobState state) {
        if (j->state == state)
                return;
        j->state = state;
        if (!j->installed)
                return;
        job_add_to_store_queue(j);
        if (state == JOB_RUNNING)
                j->manager->n_running_jobs++;
        else if (j->manager->n_running_jobs > 0)
                j->manager->n_running_jobs--;
}

/* Removes j from its unit and the job table. signal: send JobRemoved and queue the unit's
 * change signal and GC (not when the unit itself is going away). */
static void job_uninstall(Job *j, bool signal) {
        Job **slot = job_slot(j);
        Manager *m = j->manager;

        assert(j->installed);

        job_set_state(j, JOB_WAITING);
        if (*slot == j)
                *slot = NULL;
        (void) hashmap_remove(m->jobs, JOB_ID_TO_PTR(j->id));
        manager_store_forget_job(j);
        j->installed = false;
        /* Only now: sending commits the state store first (manager-store.h), which must not
         * keep a job that is over (a restart would run it again). */
        if (signal && m->n_reloading == 0)
                bus_job_send_removed_signal(j);
        if (signal) {
                unit_add_to_gc_queue(j->unit);
                unit_add_to_dbus_queue(j->unit);
        }
}

void job_free(Job *j) {
        if (!j)
                return;
        if (j->installed)
                job_uninstall(j, false);
        job_free_uninstalled(j);
}

/* A running reload cannot take a merge: the daemon may have read its configuration already. */
static bool job_type_allows_late_merge(JobType t) {
        return t != JOB_RELOAD;
}

static void job_merge_into_installed(Job *j, Job *other) {
        assert(j->installed);
        assert(j->unit == other->unit);

        if (j->type != JOB_NOP) {
                int r = job_type_merge_and_collapse(&j->type, other->type, unit_active_state(j->unit));

                assert(r == 0);
                (void) r;
        } else
                assert(other->type == JOB_NOP);

        j->irreversible = j->irreversible || other->irreversible;
        j->ignore_order = j->ignore_order || other->ignore_order;
}

Job *job_install(Job *j) {
        Job **slot, *uj;

        assert(!j->installed);
        assert(j->type < _JOB_TYPE_MAX_IN_TRANSACTION);
        assert(j->state == JOB_WAITING);

        slot = job_slot(j);
        uj = *slot;
        if (uj) {
                if (job_type_is_conflicting(uj->type, j->type))
                        job_finish_and_invalidate(uj, JOB_CANCELED, false, false);
                else if (uj->state == JOB_WAITING ||
                         (job_type_allows_late_merge(j->type) && job_type_is_superset(uj->type, j->type))) {
                        job_merge_into_installed(uj, j);
                        log_unit_debug(uj->unit, "Merged %s/%s into installed job %s/%s as %" PRIu32,
                                       j->unit->id, job_type_to_string(j->type), uj->unit->id,
                                       job_type_to_string(uj->type), uj->id);
                        return uj;
                } else {
                        /* Running and not safe to merge into: merge, and run it again. */
                        job_merge_into_installed(uj, j);
                        log_unit_debug(uj->unit, "Merged into running job, re-running: %s/%s as %" PRIu32,
                                       uj->unit->id, job_type_to_string(uj->type), uj->id);
                        job_set_state(uj, JOB_WAITING);
                        return uj;
                }
        }

        *slot = j;
        j->installed = true;
        log_unit_debug(j->unit, "Installed new job %s/%s as %" PRIu32,
                       j->unit->id, job_type_to_string(j->type), j->id);
        job_add_to_gc_queue(j);
        job_add_to_dbus_queue(j);
        unit_add_to_dbus_queue(j->unit);
        return j;
}

Job *manager_get_job(Manager *m, uint32_t id) {
        return hashmap_get(m->jobs, JOB_ID_TO_PTR(id));
}

int job_compare(const Job *a, const Job *b, UnitDependency d) {
        assert(IN_SET(d, UNIT_AFTER, UNIT_BEFORE));

        if (a->type == JOB_NOP || b->type == JOB_NOP)
                return 0;
        if (a->ignore_order || b->ignore_order)
                return 0;
        if (d == UNIT_AFTER)
                return -job_compare(b, a, UNIT_BEFORE);

        /* a's unit is before b's: stops go first (a restart is a stop until it turns into a
         * start), so a runs after b iff b stops; else a runs first. */
        return IN_SET(b->type, JOB_STOP, JOB_RESTART) ? 1 : -1;
}

bool job_is_runnable(Job *j) {
        Unit *other;

        assert(j->installed);

        if (j->ignore_order || j->type == JOB_NOP)
                return true;

        UNIT_FOREACH_DEPENDENCY(other, j->unit, UNIT_AFTER)
                if (other->job && job_compare(j, other->job, UNIT_AFTER) > 0) {
                        log_unit_debug(j->unit, "starting held back, waiting for: %s", other->id);
                        return false;
                }
        UNIT_FOREACH_DEPENDENCY(other, j->unit, UNIT_BEFORE)
                if (other->job && job_compare(j, other->job, UNIT_BEFORE) > 0) {
                        log_unit_debug(j->unit, "stopping held back, waiting for: %s", other->id);
                        return false;
                }
        return true;
}

/* ---- Status messages ------------------------------------------------------------------------ */

/* "id - Description" as Debian's systemd 252 logs it, or the id without a description. */
static const char *unit_status_ident(Unit *u, char **buf) {
        *buf = NULL;
        if (!u->description || streq(u->description, u->id))
                return u->id;
        *buf = strjoin(u->id, " - ", u->description);
        return *buf ?: u->id;
}

static const char *job_start_message_format(Unit *u, JobType t) {
        if (t == JOB_RELOAD)
                return "Reloading %s...";
        if (t == JOB_START)
                return UNIT_VTABLE(u)->status_starting ?: "Starting %s...";
        return UNIT_VTABLE(u)->status_stopping ?: "Stopping %s...";
}

static void job_emit_start_message(Unit *u, JobType t) {
        _cleanup_free_ char *buf = NULL;
        const char *ident;

        if (!IN_SET(t, JOB_START, JOB_STOP, JOB_RELOAD))
                return;
        if (log_get_max_level() < LOG_INFO)
                return;
        ident = unit_status_ident(u, &buf);
        log_info(job_start_message_format(u, t), ident);
}

static const char *const generic_finished_start[_JOB_RESULT_MAX] = {
        [JOB_DONE] = "Started %s.",
        [JOB_TIMEOUT] = "Timed out starting %s.",
        [JOB_FAILED] = "Failed to start %s.",
        [JOB_DEPENDENCY] = "Dependency failed for %s.",
        [JOB_ASSERT] = "Assertion failed for %s.",
        [JOB_UNSUPPORTED] = "Starting of %s unsupported.",
        [JOB_COLLECTED] = "Unnecessary job was removed for %s.",
        [JOB_ONCE] = "Unit %s has been started before and cannot be started again.",
};
static const char *const generic_finished_stop[_JOB_RESULT_MAX] = {
        [JOB_DONE] = "Stopped %s.",
        [JOB_FAILED] = "Stopped %s with error.",
        [JOB_TIMEOUT] = "Timed out stopping %s.",
};
static const char *const generic_finished_reload[_JOB_RESULT_MAX] = {
        [JOB_DONE] = "Reloaded %s.",
        [JOB_FAILED] = "Reload failed for %s.",
        [JOB_TIMEOUT] = "Timed out reloading %s.",
};
static const char *const generic_finished_verify_active[_JOB_RESULT_MAX] = {
        [JOB_SKIPPED] = "%s is inactive.",
};

static const int job_done_log_level[_JOB_RESULT_MAX] = {
        [JOB_DONE] = LOG_INFO,
        [JOB_CANCELED] = LOG_INFO,
        [JOB_TIMEOUT] = LOG_ERR,
        [JOB_FAILED] = LOG_ERR,
        [JOB_DEPENDENCY] = LOG_WARNING,
        [JOB_SKIPPED] = LOG_NOTICE,
        [JOB_INVALID] = LOG_INFO,
        [JOB_ASSERT] = LOG_WARNING,
        [JOB_UNSUPPORTED] = LOG_WARNING,
        [JOB_COLLECTED] = LOG_INFO,
        [JOB_ONCE] = LOG_ERR,
};

static const char *job_done_message_format(Unit *u, JobType t, JobResult result) {
        const UnitVTable *vt = UNIT_VTABLE(u);
        const char *format;

        /* The job did nothing because a condition was not met. */
        if (t == JOB_START && result == JOB_DONE && !u->condition_result)
                return "Condition check resulted in %s being skipped.";

        if (IN_SET(t, JOB_START, JOB_STOP, JOB_RESTART)) {
                if (vt->status_finished_job) {
                        format = vt->status_finished_job(u, t, result);
                        if (format)
                                return format;
                }
                format = t == JOB_START ? vt->status_finished_start[result] : vt->status_finished_stop[result];
                if (format)
                        return format;
        }

        switch (t) {
        case JOB_START:
                return generic_finished_start[result];
        case JOB_STOP:
        case JOB_RESTART:
                return generic_finished_stop[result];
        case JOB_RELOAD:
                return generic_finished_reload[result];
        case JOB_VERIFY_ACTIVE:
                return generic_finished_verify_active[result];
        default:
                return NULL;
        }
}

/* The condition that made the last start skip the unit (252's unit_find_failed_condition()). */
static const Condition *unit_find_failed_condition(Unit *u) {
        const Condition *failed_trigger = NULL;
        bool succeeded_trigger = false;

        if (u->condition_result)
                return NULL;
        for (size_t i = 0; i < u->n_conditions; i++) {
                const Condition *c = &u->conditions[i];

                if (!c->trigger) {
                        if (c->result != CONDITION_SUCCEEDED)
                                return c;
                } else if (c->result == CONDITION_SUCCEEDED)
                        succeeded_trigger = true;
                else if (!failed_trigger)
                        failed_trigger = c;
        }
        return failed_trigger && !succeeded_trigger ? failed_trigger : NULL;
}

static void job_emit_done_message(Unit *u, JobType t, JobResult result) {
        _cleanup_free_ char *buf = NULL;
        int level = job_done_log_level[result];
        const Condition *c = NULL;
        const char *format, *ident;

        if (log_get_max_level() < level)
                return;
        format = job_done_message_format(u, t, result);
        if (!format)
                return;
        ident = unit_status_ident(u, &buf);

        if (t == JOB_START && result == JOB_DONE)
                c = unit_find_failed_condition(u);
        if (c && c->trigger)
                log_full(level, "%s was skipped because no trigger condition checks were met.", ident);
        else if (c)
                log_full(level, "%s was skipped because of an unmet condition check (%s=%s%s).", ident,
                         condition_type_to_string(c->type), c->negate ? "!" : "", c->parameter);
        else
                log_full(level, format, ident);
}

/* ---- Running ---------------------------------------------------------------------------------- */

static int job_perform_on_unit(Job **j) {
        Manager *m = (*j)->manager;
        Unit *u = (*j)->unit;
        JobType t = (*j)->type;
        uint32_t id = (*j)->id;
        bool wait_only = false;
        int r;

        /* The job may finish (and be freed) inside the unit call: look it up again by id. */
        switch (t) {
        case JOB_START:
                /* An unmet condition is -ECOMM (the job is "done", its message says the unit
                 * was skipped); -EBADR: the type cannot start units, wait for the state change. */
                r = unit_start(u);
                wait_only = r == -EBADR;
                break;
        case JOB_RESTART:
                t = JOB_STOP;
                _fallthrough_;
        case JOB_STOP:
                r = unit_stop(u);
                wait_only = r == -EBADR; /* the type cannot stop: wait for the state change */
                break;
        case JOB_RELOAD:
                r = unit_reload(u);
                break;
        default:
                assert(false);
                return -EINVAL;
        }

        *j = manager_get_job(m, id);
        if (*j && (r > 0 || wait_only))
                job_emit_start_message(u, t);
        return wait_only ? 0 : r;
}

static JobResult job_result_from_errno(int r) {
        switch (r) {
        case -EALREADY:
        case -ECOMM:
                return JOB_DONE;
        case -EBADR:
                return JOB_SKIPPED;
        case -ENOEXEC:
                return JOB_INVALID;
        case -EPROTO:
                return JOB_ASSERT;
        case -EOPNOTSUPP:
                return JOB_UNSUPPORTED;
        case -ENOLINK:
                return JOB_DEPENDENCY;
        case -ESTALE:
                return JOB_ONCE;
        default:
                return JOB_FAILED;
        }
}

/* Runs j if it may run now. The job may be gone afterwards. */
static int job_run_and_invalidate(Job *j) {
        int r;

        assert(j->installed);
        assert(j->run_queue_idx != PRIOQ_IDX_NULL);

        (void) prioq_remove(j->manager->run_queue, j, &j->run_queue_idx);

        if (j->state != JOB_WAITING)
                return 0;
        if (!job_is_runnable(j))
                return -EAGAIN;

        (void) job_start_timer(j, true);
        job_set_state(j, JOB_RUNNING);
        job_add_to_dbus_queue(j);

        switch (j->type) {
        case JOB_VERIFY_ACTIVE: {
                UnitActiveState s = unit_active_state(j->unit);

                if (unit_active_state_is_active_or_reloading(s))
                        r = -EALREADY;
                else if (s == UNIT_ACTIVATING)
                        r = -EAGAIN;
                else
                        r = -EBADR;
                break;
        }
        case JOB_START:
        case JOB_STOP:
        case JOB_RESTART:
        case JOB_RELOAD: {
                /* the crash-loop guard: a job that crashed us before is failed, not run again */
                if (!crash_guard_enter(job_type_to_string(j->type), j->unit->id)) {
                        job_finish_and_invalidate(j, JOB_FAILED, true, false);
                        return 0;
                }
                if (j->type == JOB_START)
                        fault_point_arg("start", j->unit->id);
                r = job_perform_on_unit(&j);
                crash_guard_leave();
                break;
        }
        default: /* JOB_NOP */
                r = -EALREADY;
                break;
        }

        if (!j || r >= 0)
                return r;
        if (r == -EAGAIN) {
                job_set_state(j, JOB_WAITING); /* not ready after all */
                return r;
        }
        job_finish_and_invalidate(j, job_result_from_errno(r), true, r == -EALREADY);
        return 0;
}

/* How long one dispatch of the run queue from the event loop may run before it lets the loop
 * turn: starting a service waits for its exec helper to be exec'd (posix_spawn), which on a
 * loaded machine can take tens of milliseconds, and a boot queues a job per unit; 1000 of them
 * in one go kept the loop away from init's heartbeat for more than the 15 s after which init
 * kills the manager. The jobs still run in the same order; the rest waits for the next turn. */
#define RUN_QUEUE_SLICE_USEC (200 * USEC_PER_MSEC)

static void dispatch_run_queue_until(Manager *m, usec_t deadline);

static int manager_dispatch_run_queue_cb(EventSource *s, void *userdata) {
        (void) s;
        dispatch_run_queue_until(userdata, usec_add(now(CLOCK_MONOTONIC), RUN_QUEUE_SLICE_USEC));
        return 0;
}

/* The run queue's order, as 252's: unit types later in the enum first, then by name (a unit has
 * one job in the queue at most: no two compare equal). */
static int job_compare_run(const void *a, const void *b) {
        const Job *x = a, *y = b;

        if (x->unit->type != y->unit->type)
                return x->unit->type > y->unit->type ? -1 : 1;
        return strcmp(x->unit->id, y->unit->id);
}

int manager_reserve_run_queue(Manager *m, size_t n) {
        int r;

        if (!m->run_queue) {
                r = prioq_new(job_compare_run, &m->run_queue);
                if (r < 0)
                        return r;
        }
        return prioq_reserve(m->run_queue, n);
}

/* Runs queued jobs until the queue is empty or, after at least one job, deadline has passed
 * (USEC_INFINITY: no limit); what is left stays queued with the defer source enabled. */
static void dispatch_run_queue_until(Manager *m, usec_t deadline) {
        Job *best;

        while ((best = prioq_peek(m->run_queue))) {
                (void) job_run_and_invalidate(best);
                if (deadline != USEC_INFINITY && prioq_size(m->run_queue) > 0 && now(CLOCK_MONOTONIC) >= deadline)
                        break;
        }
        manager_trigger_run_queue(m);
}

void manager_dispatch_run_queue(Manager *m) {
        dispatch_run_queue_until(m, USEC_INFINITY);
}

static void manager_trigger_run_queue(Manager *m) {
        int r;

        if (!m->event)
                return;
        if (!m->run_queue_event_source) {
                if (prioq_size(m->run_queue) == 0)
                        return;
                r = event_add_defer(m->event, &m->run_queue_event_source,
                                    manager_dispatch_run_queue_cb, m);
                if (r < 0) {
                        log_warning_errno(r, "Failed to create the job run queue event source, ignoring: %m");
                        return;
                }
                (void) event_source_set_priority(m->run_queue_event_source, EVENT_PRIORITY_IDLE);
                (void) event_source_set_description(m->run_queue_event_source, "manager-run-queue");
        }
        r = event_source_set_enabled(m->run_queue_event_source, prioq_size(m->run_queue) > 0 ? EVENT_ONESHOT : EVENT_OFF);
        if (r < 0)
                log_warning_errno(r, "Failed to enable the job run queue event source, ignoring: %m");
}

void job_add_to_run_queue(Job *j) {
        assert(j->installed);

        if (j->run_queue_idx != PRIOQ_IDX_NULL)
                return;
        /* cannot fail: room was made when the job was installed (manager_reserve_run_queue()) */
        if (prioq_put(j->manager->run_queue, j, &j->run_queue_idx) < 0) {
                log_oom();
                return;
        }
        manager_trigger_run_queue(j->manager);
}

void job_add_to_run_queue_of_ordered_units(Unit *u) {
        Unit *other;

        UNIT_FOREACH_DEPENDENCIES(other, u, UNIT_DEPENDENCY_BIT(UNIT_AFTER) | UNIT_DEPENDENCY_BIT(UNIT_BEFORE))
                if (other->job) {
                        job_add_to_run_queue(other->job);
                        job_add_to_gc_queue(other->job);
                }
}

void job_add_to_dbus_queue(Job *j) {
        job_add_to_store_queue(j);
        if (j->in_dbus_queue)
                return;
        LIST_PREPEND(dbus_queue, j->manager->dbus_job_queue, j);
        j->in_dbus_queue = true;
}

/* ---- Finishing -------------------------------------------------------------------------------- */

/* Fails (result "dependency") the start and verify jobs of the units that have dependency d on u. */
static void job_fail_dependencies(Unit *u, UnitDependency d) {
        Unit *other;

        UNIT_FOREACH_DEPENDENCY(other, u, d) {
                Job *j = other->job;

                if (j && IN_SET(j->type, JOB_START, JOB_VERIFY_ACTIVE))
                        job_finish_and_invalidate(j, JOB_DEPENDENCY, true, false);
        }
}

static void job_propagate_result(Unit *u, JobType t, JobResult result) {
        if (result != JOB_DONE) {
                if (IN_SET(t, JOB_START, JOB_VERIFY_ACTIVE)) {
                        job_fail_dependencies(u, UNIT_REQUIRED_BY);
                        job_fail_dependencies(u, UNIT_REQUISITE_OF);
                        job_fail_dependencies(u, UNIT_BOUND_BY);
                } else if (t == JOB_STOP)
                        job_fail_dependencies(u, UNIT_CONFLICTED_BY);
        }

        /* A start that ended "done" without the unit being up (a condition, a oneshot that went
         * straight back to inactive) still fails what is Requisite= on it. */
        if (result == JOB_DONE && IN_SET(t, JOB_START, JOB_RELOAD) &&
            !unit_active_state_is_active_or_reloading(unit_active_state(u)))
                job_fail_dependencies(u, UNIT_REQUISITE_OF);
}

void job_finish_and_invalidate(Job *j, JobResult result, bool recursive, bool already) {
        Unit *u = j->unit;
        JobType t = j->type;

        assert(j->installed);
        assert(t < _JOB_TYPE_MAX_IN_TRANSACTION);

        j->result = result;
        log_unit_debug(u, "Job %" PRIu32 " %s/%s finished, result=%s", j->id, u->id,
                       job_type_to_string(t), job_result_to_string(result));

        if (!already)
                job_emit_done_message(u, t, result);

        if (result == JOB_DONE && t == JOB_RESTART) {
                /* The stop half is done: the same job now starts the unit. */
                log_unit_debug(u, "Converting job %s/%s -> %s/%s", u->id, job_type_to_string(t),
                               u->id, job_type_to_string(JOB_START));
                j->type = JOB_START;
                j->reloaded = true;
                job_set_state(j, JOB_WAITING);
                job_add_to_dbus_queue(j);
                job_add_to_run_queue(j);
                job_add_to_gc_queue(j);
        } else {
                job_uninstall(j, true);
                job_free_uninstalled(j);

                if (recursive)
                        job_propagate_result(u, t, result);

                if (IN_SET(result, JOB_TIMEOUT, JOB_DEPENDENCY)) {
                        log_unit_notice(u, "Job %s/%s failed with result '%s'.", u->id,
                                        job_type_to_string(t), job_result_to_string(result));
                        unit_start_on_failure(u);
                }
        }

        /* Whatever waited for this unit may run now. */
        job_add_to_run_queue_of_ordered_units(u);
}

int job_cancel(Job *j) {
        assert(j->installed);
        job_finish_and_invalidate(j, JOB_CANCELED, true, false);
        return 0;
}

void manager_clear_jobs(Manager *m) {
        Job *j;

        while ((j = hashmap_first(m->jobs)))
                /* Not recursively: that would only produce "dependency" results for the jobs that
                 * are canceled next anyway. */
                job_finish_and_invalidate(j, JOB_CANCELED, false, false);
}

bool job_unit_notify(Unit *u, UnitActiveState os, UnitActiveState ns, bool reload_failure,
                     bool skip_condition) {
        Job *j = u->job;
        bool unexpected = false;

        (void) os;
        /* ExecCondition= saying no is reported like an unmet condition: the unit goes back to
         * inactive, which ends the start job "done" (the message says it was skipped). */
        (void) skip_condition;

        if (!j)
                return true;

        /* A waiting job may have been held back by the old state (-EAGAIN): retry it. */
        if (j->state == JOB_WAITING)
                job_add_to_run_queue(j);

        switch (j->type) {
        case JOB_START:
        case JOB_VERIFY_ACTIVE:
                if (unit_active_state_is_active_or_reloading(ns))
                        job_finish_and_invalidate(j, JOB_DONE, true, false);
                else if (j->state == JOB_RUNNING && ns != UNIT_ACTIVATING) {
                        unexpected = true;
                        if (unit_active_state_is_inactive_or_failed(ns))
                                job_finish_and_invalidate(j, ns == UNIT_FAILED ? JOB_FAILED : JOB_DONE,
                                                          true, false);
                }
                break;

        case JOB_RELOAD:
                if (j->state == JOB_RUNNING) {
                        if (ns == UNIT_ACTIVE)
                                job_finish_and_invalidate(j, reload_failure ? JOB_FAILED : JOB_DONE, true, false);
                        else if (!IN_SET(ns, UNIT_ACTIVATING, UNIT_RELOADING)) {
                                unexpected = true;
                                if (unit_active_state_is_inactive_or_failed(ns))
                                        job_finish_and_invalidate(j, ns == UNIT_FAILED ? JOB_FAILED : JOB_DONE,
                                                                  true, false);
                        }
                }
                break;

        case JOB_STOP:
        case JOB_RESTART:
                if (unit_active_state_is_inactive_or_failed(ns))
                        job_finish_and_invalidate(j, JOB_DONE, true, false);
                else if (j->state == JOB_RUNNING && ns != UNIT_DEACTIVATING) {
                        unexpected = true;
                        job_finish_and_invalidate(j, JOB_FAILED, true, false);
                }
                break;

        default:
                break;
        }

        return unexpected;
}

/* ---- Timeouts --------------------------------------------------------------------------------- */

static int job_dispatch_timer(EventSource *s, usec_t usec, void *userdata) {
        Job *j = userdata;
        Unit *u = j->unit;

        (void) s;
        (void) usec;
        log_unit_warning(u, "Job %s/%s timed out.", u->id, job_type_to_string(j->type));
        job_finish_and_invalidate(j, JOB_TIMEOUT, true, false);
        emergency_action_full(u->manager, u->rt.job_timeout_action,
                              EMERGENCY_ACTION_IS_WATCHDOG | EMERGENCY_ACTION_WARN,
                              u->rt.job_timeout_reboot_argument, -1, "job timed out");
        return 0;
}

int job_start_timer(Job *j, bool running) {
        Unit *u = j->unit;
        usec_t timeout, old;
        int r;

        if (running) {
                j->begin_running_usec = now(CLOCK_MONOTONIC);
                if (u->rt.job_running_timeout == 0 || u->rt.job_running_timeout == USEC_INFINITY)
                        return 0;
                timeout = usec_add(j->begin_running_usec, u->rt.job_running_timeout);
                if (j->timer_event_source) {
                        /* Only if JobRunningTimeoutSec= ends earlier than JobTimeoutSec=. */
                        old = j->begin_usec == USEC_INFINITY || u->rt.job_timeout == USEC_INFINITY
                                ? USEC_INFINITY : usec_add(j->begin_usec, u->rt.job_timeout);
                        if (old <= timeout)
                                return 0;
                        j->timer_event_source = event_source_disable_unref(j->timer_event_source);
                }
        } else {
                if (j->timer_event_source)
                        return 0;
                j->begin_usec = now(CLOCK_MONOTONIC);
                if (u->rt.job_timeout == 0 || u->rt.job_timeout == USEC_INFINITY)
                        return 0;
                timeout = usec_add(j->begin_usec, u->rt.job_timeout);
        }

        if (!j->manager->event)
                return 0;
        r = event_add_time(j->manager->event, &j->timer_event_source, CLOCK_MONOTONIC, timeout, 0,
                           job_dispatch_timer, j);
        if (r < 0)
                return log_unit_warning_errno(u, r, "Failed to arm the job timeout: %m");
        (void) event_source_set_description(j->timer_event_source, "job-timeout");
        return 0;
}

/* ---- GC, ordering lists, paths ---------------------------------------------------------------- */

/* Jobs of types that only track outside state (devices) go away when nothing waits for them. */
static bool job_may_gc(Job *j) {
        Unit *other;

        if (!UNIT_VTABLE(j->unit)->gc_jobs || j->type == JOB_NOP)
                return false;
        UNIT_FOREACH_DEPENDENCY(other, j->unit, UNIT_BEFORE)
                if (other->job && job_compare(j, other->job, UNIT_BEFORE) < 0)
                        return false;
        UNIT_FOREACH_DEPENDENCY(other, j->unit, UNIT_AFTER)
                if (other->job && job_compare(j, other->job, UNIT_AFTER) < 0)
                        return false;
        return true;
}

void job_add_to_gc_queue(Job *j) {
        if (j->in_gc_queue || !job_may_gc(j))
                return;
        LIST_PREPEND(gc_queue, j->manager->gc_job_queue, j);
        j->in_gc_queue = true;
}

void manager_dispatch_gc_job_queue(Manager *m) {
        Job *j;

        while ((j = m->gc_job_queue)) {
                LIST_REMOVE(gc_queue, m->gc_job_queue, j);
                j->in_gc_queue = false;
                if (!job_may_gc(j))
                        continue;
                log_unit_debug(j->unit, "Garbage collecting job %s/%s", j->unit->id,
                               job_type_to_string(j->type));
                job_finish_and_invalidate(j, JOB_COLLECTED, false, false);
        }
}

static int job_compare_id(const void *a, const void *b) {
        const Job *x = *(Job *const *) a, *y = *(Job *const *) b;

        return x->id < y->id ? -1 : x->id > y->id;
}

/* Collects the jobs of the units ordered against j's unit for which job_compare(j, other) has
 * sign `sign` (other = the job's view when `waiting_for_j`). */
static int job_collect_ordered(Job *j, int sign, bool skip_ignore_order, Job ***ret) {
        static const UnitDependency dirs[] = { UNIT_AFTER, UNIT_BEFORE };
        _cleanup_free_ Job **list = NULL;
        size_t n = 0, k = 0, n_allocated = 0;
        Unit *other;

        for (size_t d = 0; d < ELEMENTSOF(dirs); d++)
                UNIT_FOREACH_DEPENDENCY(other, j->unit, dirs[d]) {
                        int c;

                        if (!other->job || (skip_ignore_order && other->job->ignore_order))
                                continue;
                        c = job_compare(j, other->job, dirs[d]);
                        if ((sign > 0 && c <= 0) || (sign < 0 && c >= 0))
                                continue;
                        if (!GREEDY_REALLOC(list, n_allocated, n + 2))
                                return -ENOMEM;
                        list[n++] = other->job;
                }

        if (n > 0) {
                qsort(list, n, sizeof(Job *), job_compare_id);
                for (size_t i = 0; i < n; i++)
                        if (k == 0 || list[k - 1] != list[i])
                                list[k++] = list[i];
        }
        if (!list) {
                list = new0(Job *, 1);
                if (!list)
                        return -ENOMEM;
        }
        list[k] = NULL;
        *ret = TAKE_PTR(list);
        return (int) k;
}

int job_get_before(Job *j, Job ***ret) {
        /* What j waits for: the jobs it runs after. */
        if (j->ignore_order) {
                *ret = new0(Job *, 1);
                return *ret ? 0 : -ENOMEM;
        }
        return job_collect_ordered(j, 1, false, ret);
}

int job_get_after(Job *j, Job ***ret) {
        /* What waits for j: the jobs that run after it. */
        return job_collect_ordered(j, -1, true, ret);
}

char *job_dbus_path(const Job *j) {
        char *p = NULL;

        if (asprintf_safe(&p, "/org/freedesktop/systemd1/job/%" PRIu32, j->id) < 0)
                return NULL;
        return p;
}

/* ---- Crash recovery (manager-store.c) -------------------------------------------------------- */

int job_restore(Unit *u, uint32_t id, JobType type, JobState state, bool irreversible, bool ignore_order,
                bool reloaded, usec_t begin, usec_t begin_running) {
        Manager *m = u->manager;
        usec_t deadline = USEC_INFINITY;
        Job *j;
        int r;

        j = job_new(u, type);
        if (!j)
                return -ENOMEM;
        j->id = id; /* the counter is set from the manager's record */
        j->irreversible = irreversible;
        j->ignore_order = ignore_order;
        j->reloaded = reloaded;
        j->begin_usec = begin;
        j->begin_running_usec = begin_running;
        j->sent_dbus_new_signal = true; /* clients saw JobNew from the manager before us */
        if (*job_slot(j)) {
                free(j);
                return -EEXIST;
        }
        r = hashmap_ensure_put(&m->jobs, &trivial_hash_ops, JOB_ID_TO_PTR(id), j);
        if (r >= 0) {
                r = manager_reserve_run_queue(m, hashmap_size(m->jobs));
                if (r < 0)
                        (void) hashmap_remove(m->jobs, JOB_ID_TO_PTR(id));
        }
        if (r < 0) {
                free(j);
                return r;
        }
        *job_slot(j) = j;
        j->installed = true;
        if (id >= m->current_job_id)
                m->current_job_id = id + 1;
        job_set_state(j, state);
        /* The timeouts run from when the job began, not from now. */
        if (begin != USEC_INFINITY && u->rt.job_timeout > 0 && u->rt.job_timeout != USEC_INFINITY)
                deadline = usec_add(begin, u->rt.job_timeout);
        if (state == JOB_RUNNING && begin_running != USEC_INFINITY && u->rt.job_running_timeout > 0 &&
            u->rt.job_running_timeout != USEC_INFINITY)
                deadline = MIN(deadline, usec_add(begin_running, u->rt.job_running_timeout));
        if (deadline != USEC_INFINITY && m->event &&
            event_add_time(m->event, &j->timer_event_source, CLOCK_MONOTONIC, deadline, 0, job_dispatch_timer, j) >= 0)
                (void) event_source_set_description(j->timer_event_source, "job-timeout");
        return 0;
}

void job_resume(Job *j) {
        Unit *u = j->unit;
        UnitActiveState s = unit_active_state(u);
        bool retry = false;

        if (j->state == JOB_WAITING) {
                job_add_to_run_queue(j);
                return;
        }
        switch (j->type) {
        case JOB_START:
        case JOB_VERIFY_ACTIVE:
                if (unit_active_state_is_active_or_reloading(s))
                        job_finish_and_invalidate(j, JOB_DONE, true, false);
                else if (s == UNIT_FAILED)
                        job_finish_and_invalidate(j, JOB_FAILED, true, false);
                else
                        retry = s != UNIT_ACTIVATING;
                break;
        case JOB_RELOAD:
                if (s == UNIT_ACTIVE)
                        job_finish_and_invalidate(j, JOB_DONE, true, false);
                else
                        retry = !IN_SET(s, UNIT_ACTIVATING, UNIT_RELOADING);
                break;
        case JOB_STOP:
        case JOB_RESTART:
                if (unit_active_state_is_inactive_or_failed(s))
                        job_finish_and_invalidate(j, JOB_DONE, true, false);
                else
                        retry = s != UNIT_DEACTIVATING;
                break;
        default:
                retry = true;
                break;
        }
        if (retry) {
                /* It had not begun (no process was recorded for it): run it now, once. */
                log_unit_debug(u, "Job %s/%s was interrupted before it began, running it again.", u->id,
                               job_type_to_string(j->type));
                job_set_state(j, JOB_WAITING);
                job_add_to_run_queue(j);
        }
}
