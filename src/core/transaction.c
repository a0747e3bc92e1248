/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transaction.c: building, checking and installing transactions of jobs (transaction.h), and
 * manager_add_job() on top of it, as systemd 252 does. Jobs in a transaction are linked in
 * two ways: the jobs of one unit form a list (head in tr->jobs), and JobDependency links record
 * who pulled in whom (subject → object, "matters" when the subject fails without the object).
 * The graph walks (what matters to the anchor, ordering cycles) mark jobs with a generation
 * number; installed jobs take part in the cycle check too.
 */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault-inject.h"
#include "bus/bus-error.h"
#include "log.h"
#include "manager.h"
#include "string-util.h"
#include "transaction.h"
#include "unit-load.h"
#include "unit.h"

#define JOB_ID_TO_PTR(id) ((void *) (uintptr_t) (id))

static void transaction_unlink_job(Transaction *tr, Job *j, bool delete_dependencies);

static const char *error_message(const BusError *e, int r) {
        return e && e->message ? e->message : strerror(r < 0 ? -r : r);
}

/* Sets e (if given) and returns -errnum: the errno systemd maps the name to. */
static int set_error(BusError *e, int errnum, const char *name, const char *format, ...) _printf_(4, 5);
static int set_error(BusError *e, int errnum, const char *name, const char *format, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int k;

        va_start(ap, format);
        k = vasprintf(&msg, format, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        if (e && !bus_error_is_set(e))
                (void) bus_error_set(e, name, msg);
        return -errnum;
}

/* ---- Dependency links ------------------------------------------------------------------------- */

static JobDependency *job_dependency_new(Job *subject, Job *object, bool matters, bool conflicts) {
        JobDependency *l = new0(JobDependency, 1);

        if (!l)
                return NULL;
        l->subject = subject;
        l->object = object;
        l->matters = matters;
        l->conflicts = conflicts;
        if (subject)
                LIST_PREPEND(subject, subject->subject_list, l);
        LIST_PREPEND(object, object->object_list, l);
        return l;
}

static void job_dependency_free(JobDependency *l) {
        if (l->subject)
                LIST_REMOVE(subject, l->subject->subject_list, l);
        LIST_REMOVE(object, l->object->object_list, l);
        free(l);
}

/* ---- Jobs in the transaction ------------------------------------------------------------------ */

Transaction *transaction_new(bool irreversible) {
        Transaction *tr = new0(Transaction, 1);

        if (!tr)
                return NULL;
        tr->jobs = hashmap_new(&trivial_hash_ops);
        if (!tr->jobs)
                return mfree(tr);
        tr->irreversible = irreversible;
        return tr;
}

Transaction *transaction_free(Transaction *tr) {
        if (!tr)
                return NULL;
        assert(hashmap_isempty(tr->jobs));
        hashmap_free(tr->jobs);
        return mfree(tr);
}

static void transaction_delete_job(Transaction *tr, Job *j, bool delete_dependencies) {
        Unit *u = j->unit;

        transaction_unlink_job(tr, j, delete_dependencies);
        job_free_uninstalled(j);
        /* The unit may have been loaded for this transaction only (a failed start, an ordering
         * cycle): a candidate for collection now, as systemd's would be after its load. */
        unit_add_to_gc_queue(u);
}

static void transaction_delete_unit(Transaction *tr, Unit *u) {
        Job *j;

        while ((j = hashmap_get(tr->jobs, u)))
                transaction_delete_job(tr, j, true);
}

void transaction_abort(Transaction *tr) {
        Job *j;

        while ((j = hashmap_first(tr->jobs)))
                transaction_delete_job(tr, j, false);
}

static void transaction_unlink_job(Transaction *tr, Job *j, bool delete_dependencies) {
        if (j->transaction_prev)
                j->transaction_prev->transaction_next = j->transaction_next;
        else if (j->transaction_next)
                (void) hashmap_replace(tr->jobs, j->unit, j->transaction_next);
        else if (hashmap_get(tr->jobs, j->unit) == j)
                (void) hashmap_remove(tr->jobs, j->unit);
        if (j->transaction_next)
                j->transaction_next->transaction_prev = j->transaction_prev;
        j->transaction_prev = j->transaction_next = NULL;

        while (j->subject_list)
                job_dependency_free(j->subject_list);

        while (j->object_list) {
                Job *other = j->object_list->matters ? j->object_list->subject : NULL;

                job_dependency_free(j->object_list);
                if (other && delete_dependencies) {
                        log_unit_debug(other->unit, "Deleting job %s/%s as dependency of job %s/%s",
                                       other->unit->id, job_type_to_string(other->type),
                                       j->unit->id, job_type_to_string(j->type));
                        transaction_delete_job(tr, other, delete_dependencies);
                }
        }
}

/* The job of type for u in the transaction, created if new (*is_new says which). */
static Job *transaction_add_one_job(Transaction *tr, JobType type, Unit *u, bool *is_new) {
        Job *f = hashmap_get(tr->jobs, u), *i, *j;

        LIST_FOREACH(transaction, i, f)
                if (i->type == type) {
                        *is_new = false;
                        return i;
                }

        j = job_new(u, type);
        if (!j)
                return NULL;
        j->irreversible = tr->irreversible;
        LIST_PREPEND(transaction, f, j);
        if (hashmap_replace(tr->jobs, u, f) < 0) {
                LIST_REMOVE(transaction, f, j);
                job_free_uninstalled(j);
                return NULL;
        }
        *is_new = true;
        return j;
}

/* ---- Checks on units -------------------------------------------------------------------------- */

int job_validate_unit_load_state(Unit *u, BusError *e) {
        switch (u->load_state) {
        case UNIT_LOADED:
                return 0;
        case UNIT_NOT_FOUND:
                return set_error(e, ENOENT, BUS_ERROR_NO_SUCH_UNIT, "Unit %s not found.", u->id);
        case UNIT_BAD_SETTING:
                return set_error(e, ENOEXEC, BUS_ERROR_BAD_UNIT_SETTING,
                                 "Unit %s has a bad unit file setting.", u->id);
        case UNIT_ERROR: {
                int err = u->load_error < 0 ? -u->load_error : u->load_error ?: EIO;

                if (e && !bus_error_is_set(e))
                        (void) bus_error_set_errnof(e, err,
                                                    "Unit %s failed to load properly, please adjust/correct and reload service manager: %s",
                                                    u->id, strerror(err));
                return -err;
        }
        case UNIT_MASKED:
                return set_error(e, ERFKILL, BUS_ERROR_UNIT_MASKED, "Unit %s is masked.", u->id);
        default:
                return set_error(e, ENOENT, BUS_ERROR_NO_SUCH_UNIT, "Unexpected load state of unit %s", u->id);
        }
}

int job_check_manual_request(Unit *u, JobType type, BusError *e) {
        if (type == JOB_STOP && IN_SET(u->load_state, UNIT_NOT_FOUND, UNIT_ERROR, UNIT_BAD_SETTING) &&
            unit_active_state(u) == UNIT_INACTIVE)
                return set_error(e, ENOENT, BUS_ERROR_NO_SUCH_UNIT, "Unit %s not loaded.", u->id);

        if ((type == JOB_START && u->rt.refuse_manual_start) ||
            (type == JOB_STOP && u->rt.refuse_manual_stop) ||
            (IN_SET(type, JOB_RESTART, JOB_TRY_RESTART) &&
             (u->rt.refuse_manual_start || u->rt.refuse_manual_stop)) ||
            (type == JOB_RELOAD_OR_START &&
             job_type_collapse(type, unit_active_state(u)) == JOB_START && u->rt.refuse_manual_start))
                return set_error(e, EINVAL, BUS_ERROR_ONLY_BY_DEPENDENCY,
                                 "Operation refused, unit %s may be requested by dependency only (it is configured to refuse manual start/stop).",
                                 u->id);
        return 0;
}

static bool unit_can_stop_job(Unit *u) {
        return !u->perpetual && UNIT_VTABLE(u)->stop;
}

static bool unit_job_is_applicable(Unit *u, JobType t) {
        switch (t) {
        case JOB_START:
        case JOB_VERIFY_ACTIVE:
        case JOB_NOP:
                /* Units that only appear (devices) still take start jobs: they wait. */
                return true;
        case JOB_STOP:
                return !u->perpetual;
        case JOB_RESTART:
        case JOB_TRY_RESTART:
                return unit_can_stop_job(u) && unit_can_start(u);
        case JOB_RELOAD:
        case JOB_TRY_RELOAD:
                return unit_can_reload(u);
        case JOB_RELOAD_OR_START:
                return unit_can_reload(u) && unit_can_start(u);
        default:
                return false;
        }
}

/* A not-found unit is loaded again when the unit directories changed since it failed (spec
 * unit-files.md §10): the cache was rebuilt since, or the directories' mtimes moved. */
static bool unit_should_retry_load(Unit *u) {
        Manager *m = u->manager;

        if (u->load_state != UNIT_NOT_FOUND)
                return false;
        if (m->unit_map.timestamp_hash != u->not_found_hash)
                return true;
        return unit_path_timestamp_hash(&m->unit_path) != m->unit_map.timestamp_hash;
}

static int transaction_check_unit(Unit *u, JobType type, BusError *e) {
        int r;

        if (u->load_state == UNIT_STUB)
                manager_dispatch_load_queue(u->manager);
        if (IN_SET(u->load_state, UNIT_STUB, UNIT_MERGED))
                return set_error(e, EIO, BUS_ERROR_LOAD_FAILED, "Unit %s is not loaded properly.", u->id);

        if (type != JOB_STOP) {
                r = job_validate_unit_load_state(u, e);
                if (r < 0 && unit_should_retry_load(u)) {
                        bus_error_free(e);
                        u->load_state = UNIT_STUB;
                        unit_load(u);
                        if (u->load_state == UNIT_STUB)
                                u->load_state = UNIT_NOT_FOUND;
                        manager_dispatch_load_queue(u->manager);
                        r = job_validate_unit_load_state(u, e);
                }
                if (r < 0)
                        return r;
        }

        if (!unit_job_is_applicable(u, type))
                return set_error(e, EBADR, BUS_ERROR_JOB_TYPE_NOT_APPLICABLE,
                                 "Job type %s is not applicable for unit %s.", job_type_to_string(type), u->id);
        return 0;
}

/* The units u has one of the dependencies ds on, each once, in order; a snapshot, since adding
 * jobs may load units and so add dependencies. *ret is NULL-terminated (free() it). */
static int unit_collect_dependencies(Unit *u, const UnitDependency *ds, size_t n_ds, Unit ***ret) {
        _cleanup_free_ Unit **list = NULL;
        size_t n = 0, n_allocated = 0;
        Unit *other;

        for (size_t d = 0; d < n_ds; d++)
                UNIT_FOREACH_DEPENDENCY(other, u, ds[d]) {
                        bool seen = false;

                        for (size_t p = 0; p < d && !seen; p++)
                                seen = unit_has_dependency(u, ds[p], other);
                        if (seen)
                                continue;
                        if (!GREEDY_REALLOC(list, n_allocated, n + 2))
                                return -ENOMEM;
                        list[n++] = other;
                }
        if (list)
                list[n] = NULL;
        *ret = TAKE_PTR(list);
        return (int) n;
}

#define COLLECT(u, ret, ...)                                                                   \
        ({                                                                                     \
                static const UnitDependency _ds[] = { __VA_ARGS__ };                           \
                unit_collect_dependencies((u), _ds, ELEMENTSOF(_ds), (ret));                   \
        })

/* ---- Building --------------------------------------------------------------------------------- */

/* Pulls in type for every unit in deps. required: a failure (other than "not applicable")
 * fails the transaction; else it is logged and ignored. */
static int transaction_pull_in(Transaction *tr, Job *by, Unit **deps, JobType type, bool required,
                               bool conflicts, bool ignore_order, BusError *e) {
        int r;

        for (Unit **d = deps; d && *d; d++) {
                JobType t = type;

                if (t == JOB_TRY_RESTART || t == JOB_TRY_RELOAD) {
                        t = job_type_collapse(t, unit_active_state(*d));
                        if (t == JOB_NOP)
                                continue;
                }
                r = transaction_add_job_and_dependencies(tr, t, *d, by, required, conflicts, false,
                                                         ignore_order, e);
                if (r >= 0)
                        continue;
                if (required && r != -EBADR)
                        return r;
                if (!required)
                        log_unit_full((*d), IN_SET(r, -ERFKILL, -EBADR, -ENOENT) ? LOG_DEBUG : LOG_WARNING, r,
                                      "Cannot add dependency job, ignoring: %s", error_message(e, r));
                bus_error_free(e);
        }
        return 0;
}

static int transaction_add_dependency_jobs(Transaction *tr, Job *j, JobType type, bool ignore_order,
                                           BusError *e) {
        Unit *u = j->unit;
        int r = 0;

        if (IN_SET(type, JOB_START, JOB_RESTART)) {
                _cleanup_free_ Unit **start = NULL, **wants = NULL, **verify = NULL, **stop = NULL,
                                    **stop_ignored = NULL;

                if (COLLECT(u, &start, UNIT_REQUIRES, UNIT_BINDS_TO) < 0 ||
                    COLLECT(u, &wants, UNIT_WANTS, UNIT_UPHOLDS) < 0 ||
                    COLLECT(u, &verify, UNIT_REQUISITE) < 0 ||
                    COLLECT(u, &stop, UNIT_CONFLICTS) < 0 ||
                    COLLECT(u, &stop_ignored, UNIT_CONFLICTED_BY) < 0)
                        return -ENOMEM;

                r = transaction_pull_in(tr, j, start, JOB_START, true, false, ignore_order, e);
                if (r >= 0)
                        r = transaction_pull_in(tr, j, wants, JOB_START, false, false, ignore_order, e);
                if (r >= 0)
                        r = transaction_pull_in(tr, j, verify, JOB_VERIFY_ACTIVE, true, false, ignore_order, e);
                if (r >= 0)
                        r = transaction_pull_in(tr, j, stop, JOB_STOP, true, true, ignore_order, e);
                if (r >= 0)
                        r = transaction_pull_in(tr, j, stop_ignored, JOB_STOP, false, false, ignore_order, e);
                if (r < 0)
                        return r;
        }

        if (IN_SET(type, JOB_STOP, JOB_RESTART)) {
                _cleanup_free_ Unit **deps = NULL;

                /* A stop propagates as stop; a restart only as try-restart, so that it does not
                 * start what is not running. */
                if (type == JOB_RESTART)
                        r = COLLECT(u, &deps, UNIT_REQUIRED_BY, UNIT_REQUISITE_OF, UNIT_BOUND_BY,
                                    UNIT_CONSISTS_OF);
                else
                        r = COLLECT(u, &deps, UNIT_REQUIRED_BY, UNIT_REQUISITE_OF, UNIT_BOUND_BY,
                                    UNIT_CONSISTS_OF, UNIT_PROPAGATES_STOP_TO);
                if (r < 0)
                        return -ENOMEM;
                r = transaction_pull_in(tr, j, deps, type == JOB_RESTART ? JOB_TRY_RESTART : JOB_STOP,
                                        true, false, ignore_order, e);
                if (r < 0)
                        return r;
        }

        if (type == JOB_RELOAD) {
                _cleanup_free_ Unit **deps = NULL;

                if (COLLECT(u, &deps, UNIT_PROPAGATES_RELOAD_TO) < 0)
                        return -ENOMEM;
                for (Unit **d = deps; d && *d; d++) {
                        JobType t = job_type_collapse(JOB_TRY_RELOAD, unit_active_state(*d));

                        if (t == JOB_NOP)
                                continue;
                        r = transaction_add_job_and_dependencies(tr, t, *d, j, false, false, false,
                                                                 ignore_order, e);
                        if (r < 0) {
                                log_unit_warning(*d, "Cannot add dependency reload job, ignoring: %s",
                                                 error_message(e, r));
                                bus_error_free(e);
                        }
                }
        }
        return 0;
}

int transaction_add_job_and_dependencies(Transaction *tr, JobType type, Unit *u, Job *by, bool matters,
                                         bool conflicts, bool ignore_requirements, bool ignore_order,
                                         BusError *e) {
        bool is_new;
        Job *j;
        int r;

        assert(type >= 0 && type < _JOB_TYPE_MAX_IN_TRANSACTION);

        if (by)
                log_debug("Pulling in %s/%s from %s/%s", u->id, job_type_to_string(type), by->unit->id,
                          job_type_to_string(by->type));

        r = transaction_check_unit(u, type, e);
        if (r < 0)
                return r;

        j = transaction_add_one_job(tr, type, u, &is_new);
        if (!j)
                return -ENOMEM;
        j->ignore_order = j->ignore_order || ignore_order;

        if (by) {
                if (!job_dependency_new(by, j, matters, conflicts))
                        return -ENOMEM;
        } else {
                assert(!tr->anchor_job);
                tr->anchor_job = j;
        }

        if (!is_new || ignore_requirements || type == JOB_NOP)
                return 0;
        return transaction_add_dependency_jobs(tr, j, type, ignore_order, e);
}

static bool shall_stop_on_isolate(Transaction *tr, Unit *u) {
        return !u->rt.ignore_on_isolate && !hashmap_get(tr->jobs, u);
}

int transaction_add_isolate_jobs(Transaction *tr, Manager *m) {
        _cleanup_free_ Unit **units = NULL;
        size_t n = 0;
        Unit *u, *o;
        int r;

        units = new(Unit *, ordered_set_size(m->all_units) + 1);
        if (!units)
                return -ENOMEM;
        ORDERED_SET_FOREACH(u, m->all_units)
                units[n++] = u;

        for (size_t i = 0; i < n; i++) {
                bool keep = false;

                u = units[i];
                if (u->merged_into)
                        continue;
                if (unit_active_state_is_inactive_or_failed(unit_active_state(u)) && !u->job)
                        continue;
                if (!shall_stop_on_isolate(tr, u))
                        continue;
                /* Keep units triggered by units we keep (a socket's service, …). */
                UNIT_FOREACH_DEPENDENCY(o, u, UNIT_TRIGGERED_BY)
                        if (!shall_stop_on_isolate(tr, o)) {
                                keep = true;
                                break;
                        }
                if (keep)
                        continue;

                r = transaction_add_job_and_dependencies(tr, JOB_STOP, u, tr->anchor_job, true, false, false,
                                                         false, NULL);
                if (r < 0)
                        log_unit_warning_errno(u, r, "Cannot add isolate job, ignoring: %m");
        }
        return 0;
}

int transaction_add_triggering_jobs(Transaction *tr, Unit *u) {
        _cleanup_free_ Unit **triggers = NULL;
        int r;

        if (COLLECT(u, &triggers, UNIT_TRIGGERED_BY) < 0)
                return -ENOMEM;
        for (Unit **t = triggers; t && *t; t++) {
                if (unit_active_state_is_inactive_or_failed(unit_active_state(*t)) && !(*t)->job)
                        continue;
                if (hashmap_get(tr->jobs, *t))
                        continue;
                r = transaction_add_job_and_dependencies(tr, JOB_STOP, *t, tr->anchor_job, true, false, false,
                                                         false, NULL);
                if (r < 0)
                        log_unit_warning_errno(u, r, "Cannot add triggered by job, ignoring: %m");
        }
        return 0;
}

/* ---- Simplifying ------------------------------------------------------------------------------ */

/* Marks the jobs the anchor needs through links that matter. */
static void transaction_find_jobs_that_matter_to_anchor(Job *j, unsigned generation) {
        JobDependency *l;

        j->matters_to_anchor = true;
        j->generation = generation;
        LIST_FOREACH(subject, l, j->subject_list)
                if (l->matters && l->object->generation != generation)
                        transaction_find_jobs_that_matter_to_anchor(l->object, generation);
}

static void list_move_subjects(Job *to, Job *from) {
        JobDependency *l, *last = NULL;

        LIST_FOREACH(subject, l, from->subject_list) {
                l->subject = to;
                last = l;
        }
        if (last) {
                last->subject_next = to->subject_list;
                if (to->subject_list)
                        to->subject_list->subject_prev = last;
                to->subject_list = from->subject_list;
        }
        from->subject_list = NULL;
}

static void list_move_objects(Job *to, Job *from) {
        JobDependency *l, *last = NULL;

        LIST_FOREACH(object, l, from->object_list) {
                l->object = to;
                last = l;
        }
        if (last) {
                last->object_next = to->object_list;
                if (to->object_list)
                        to->object_list->object_prev = last;
                to->object_list = from->object_list;
        }
        from->object_list = NULL;
}

/* Merges other into j (same unit) as type t, and deletes other. */
static void transaction_merge_and_delete_job(Transaction *tr, Job *j, Job *other, JobType t) {
        j->type = t;
        j->state = JOB_WAITING;
        j->irreversible = j->irreversible || other->irreversible;
        j->matters_to_anchor = j->matters_to_anchor || other->matters_to_anchor;
        j->ignore_order = j->ignore_order || other->ignore_order;
        list_move_subjects(j, other);
        list_move_objects(j, other);
        transaction_delete_job(tr, other, true);
}

static bool job_is_conflicted_by(Job *j) {
        JobDependency *l;

        LIST_FOREACH(object, l, j->object_list)
                if (l->conflicts)
                        return true;
        return false;
}

/* Deletes one of two jobs of the unit of `head` that cannot be merged, preferring the one that
 * does not matter to the anchor. 0 if one was deleted, -ENOEXEC if both matter. */
static int delete_one_unmergeable_job(Transaction *tr, Job *head) {
        Job *j, *k, *d;

        LIST_FOREACH(transaction, j, head)
                LIST_FOREACH(transaction, k, j->transaction_next) {
                        if (job_type_is_mergeable(j->type, k->type))
                                continue;

                        if (!j->matters_to_anchor && !k->matters_to_anchor) {
                                /* Rather drop stops than starts, unless the stop comes from a
                                 * Conflicts=: then the start goes. */
                                if (j->type == JOB_STOP)
                                        d = job_is_conflicted_by(j) ? k : j;
                                else if (k->type == JOB_STOP)
                                        d = job_is_conflicted_by(k) ? j : k;
                                else
                                        d = j;
                        } else if (!j->matters_to_anchor)
                                d = j;
                        else if (!k->matters_to_anchor)
                                d = k;
                        else
                                return -ENOEXEC;

                        log_unit_debug(d->unit, "Fixing conflicting jobs %s/%s,%s/%s by deleting job %s/%s",
                                       j->unit->id, job_type_to_string(j->type), k->unit->id,
                                       job_type_to_string(k->type), d->unit->id, job_type_to_string(d->type));
                        transaction_delete_job(tr, d, true);
                        return 0;
                }
        return -EINVAL;
}

static int transaction_merge_jobs(Transaction *tr, BusError *e) {
        Job *j, *k;

        /* First: are there jobs of one unit that cannot merge? Drop one if we can. */
        HASHMAP_FOREACH(j, tr->jobs) {
                JobType t = j->type;
                UnitActiveState s = unit_active_state(j->unit);

                LIST_FOREACH(transaction, k, j->transaction_next) {
                        if (job_type_merge_and_collapse(&t, k->type, s) >= 0)
                                continue;
                        if (delete_one_unmergeable_job(tr, j) >= 0)
                                return -EAGAIN;
                        return set_error(e, EDEADLK, BUS_ERROR_TRANSACTION_JOBS_CONFLICTING,
                                         "Transaction contains conflicting jobs '%s' and '%s' for %s. "
                                         "Probably contradicting requirement dependencies configured.",
                                         job_type_to_string(t), job_type_to_string(k->type), k->unit->id);
                }
        }

        /* Second: merge them. */
        HASHMAP_FOREACH(j, tr->jobs) {
                JobType t = j->type;
                UnitActiveState s = unit_active_state(j->unit);

                LIST_FOREACH(transaction, k, j->transaction_next) {
                        int r = job_type_merge_and_collapse(&t, k->type, s);

                        assert(r == 0);
                        (void) r;
                }
                while ((k = j->transaction_next)) {
                        if (tr->anchor_job == k) {
                                transaction_merge_and_delete_job(tr, k, j, t);
                                j = k;
                        } else
                                transaction_merge_and_delete_job(tr, j, k, t);
                }
                /* A lone job collapses too (reload-or-start from merging). */
                j->type = t;
        }
        return 0;
}

/* Drops the jobs of units whose jobs all change nothing (the anchor stays). */
static void transaction_drop_redundant(Transaction *tr) {
        bool again;

        do {
                Job *j, *k;

                again = false;
                HASHMAP_FOREACH(j, tr->jobs) {
                        bool keep = false;

                        LIST_FOREACH(transaction, k, j)
                                if (tr->anchor_job == k ||
                                    !job_type_is_redundant(k->type, unit_active_state(k->unit)) ||
                                    (k->unit->job && job_type_is_conflicting(k->type, k->unit->job->type))) {
                                        keep = true;
                                        break;
                                }
                        if (!keep) {
                                log_debug("Found redundant job %s/%s, dropping from transaction.", j->unit->id,
                                          job_type_to_string(j->type));
                                transaction_delete_job(tr, j, false);
                                again = true;
                                break;
                        }
                }
        } while (again);
}

static bool unit_matters_to_anchor(Job *head) {
        Job *j;

        LIST_FOREACH(transaction, j, head)
                if (j->matters_to_anchor)
                        return true;
        return false;
}

static int transaction_verify_order_one(Transaction *tr, Job *j, Job *from, unsigned generation,
                                        BusError *e);

/* j was reached again while on the current path: a cycle. Walks back along the markers from
 * `from` to j, logs the cycle, and deletes the first job on it that does not matter. */
static int transaction_break_cycle(Transaction *tr, Job *j, Job *from, unsigned generation, BusError *e) {
        _cleanup_free_ Job **path = NULL;
        size_t n = 0, n_allocated = 0;
        Job *k, *delete = NULL;

        for (k = from; k; k = (k->generation == generation && k->marker != k) ? k->marker : NULL) {
                Job *head = hashmap_get(tr->jobs, k->unit);

                if (GREEDY_REALLOC(path, n_allocated, n + 1))
                        path[n++] = k;
                if (!delete && head && !unit_matters_to_anchor(head))
                        delete = k;
                if (k == j)
                        break;
        }

        for (size_t i = 0; i < n; i++)
                log_unit_warning(j->unit, "Found %s on %s/%s", i == 0 ? "ordering cycle" : "dependency",
                                 path[i]->unit->id, job_type_to_string(path[i]->type));

        if (delete) {
                log_unit_error(j->unit, "Job %s/%s deleted to break ordering cycle starting with %s/%s",
                               delete->unit->id, job_type_to_string(delete->type), j->unit->id,
                               job_type_to_string(j->type));
                transaction_delete_unit(tr, delete->unit);
                return -EAGAIN;
        }

        log_unit_error(j->unit, "Unable to break cycle starting with %s/%s", j->unit->id,
                       job_type_to_string(j->type));
        return set_error(e, EDEADLK, BUS_ERROR_TRANSACTION_ORDER_IS_CYCLIC,
                         "Transaction order is cyclic. See system logs for details.");
}

static int transaction_verify_order_one(Transaction *tr, Job *j, Job *from, unsigned generation,
                                        BusError *e) {
        static const UnitDependency directions[] = { UNIT_BEFORE, UNIT_AFTER };
        int r;

        if (j->generation == generation) {
                /* Already been here: either found free of cycles (no marker), or on the path. */
                if (!j->marker)
                        return 0;
                return transaction_break_cycle(tr, j, from, generation, e);
        }

        /* The marker points back along the path; the start of the path points to itself. */
        j->marker = from ?: j;
        j->generation = generation;

        /* Follow the edges that are "before" in the order the jobs will run. */
        for (size_t d = 0; d < ELEMENTSOF(directions); d++) {
                Unit *u;

                UNIT_FOREACH_DEPENDENCY(u, j->unit, directions[d]) {
                        Job *o = hashmap_get(tr->jobs, u) ?: u->job;

                        if (!o)
                                continue;
                        if (job_compare(j, o, directions[d]) >= 0)
                                continue;
                        r = transaction_verify_order_one(tr, o, j, generation, e);
                        if (r < 0)
                                return r;
                }
        }

        j->marker = NULL;
        return 0;
}

static int transaction_verify_order(Transaction *tr, unsigned *generation, BusError *e) {
        unsigned g = (*generation)++;
        Job *j;
        int r;

        HASHMAP_FOREACH(j, tr->jobs) {
                r = transaction_verify_order_one(tr, j, NULL, g, e);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Drops the jobs nothing in the transaction needs any more. */
static void transaction_collect_garbage(Transaction *tr) {
        bool again;

        do {
                Job *j;

                again = false;
                HASHMAP_FOREACH(j, tr->jobs) {
                        if (tr->anchor_job == j || j->object_list)
                                continue;
                        log_debug("Garbage collecting job %s/%s", j->unit->id, job_type_to_string(j->type));
                        transaction_delete_job(tr, j, true);
                        again = true;
                        break;
                }
        } while (again);
}

static int transaction_is_destructive(Transaction *tr, JobMode mode, BusError *e) {
        Job *j;

        HASHMAP_FOREACH(j, tr->jobs) {
                Job *installed = j->unit->job;

                if (installed && (mode == JOB_FAIL || installed->irreversible) &&
                    job_type_is_conflicting(installed->type, j->type))
                        return set_error(e, EDEADLK, BUS_ERROR_TRANSACTION_IS_DESTRUCTIVE,
                                         "Transaction for %s/%s is destructive (%s has '%s' job queued, but '%s' is included in transaction).",
                                         tr->anchor_job->unit->id, job_type_to_string(tr->anchor_job->type),
                                         j->unit->id, job_type_to_string(installed->type),
                                         job_type_to_string(j->type));
        }
        return 0;
}

/* Mode fail: drop jobs that do not matter but would stop running units or reverse jobs. */
static void transaction_minimize_impact(Transaction *tr) {
        Job *head, *j;

rescan:
        HASHMAP_FOREACH(head, tr->jobs)
                LIST_FOREACH(transaction, j, head) {
                        bool stops_running, changes_existing;

                        if (j->matters_to_anchor)
                                continue;
                        stops_running = j->type == JOB_STOP &&
                                        unit_active_state_is_active_or_activating(unit_active_state(j->unit));
                        changes_existing = j->unit->job && job_type_is_conflicting(j->type, j->unit->job->type);
                        if (!stops_running && !changes_existing)
                                continue;
                        log_unit_debug(j->unit, "Deleting %s/%s to minimize impact.", j->unit->id,
                                       job_type_to_string(j->type));
                        transaction_delete_job(tr, j, true);
                        goto rescan;
                }
}

/* ---- Applying --------------------------------------------------------------------------------- */

static int transaction_apply(Transaction *tr, Manager *m, JobMode mode, OrderedSet *affected) {
        Job *j;
        int r;

        if (IN_SET(mode, JOB_ISOLATE, JOB_FLUSH))
                /* Cancel the installed jobs that are not part of the new transaction; not
                 * recursively, so that no OnFailure= fires for what was merely replaced. */
                HASHMAP_FOREACH(j, m->jobs) {
                        if (j->unit->rt.ignore_on_isolate || hashmap_get(tr->jobs, j->unit))
                                continue;
                        job_finish_and_invalidate(j, JOB_CANCELED, false, false);
                }

        HASHMAP_FOREACH(j, tr->jobs) {
                r = hashmap_ensure_put(&m->jobs, &trivial_hash_ops, JOB_ID_TO_PTR(j->id), j);
                if (r < 0)
                        goto rollback;
        }
        r = manager_reserve_run_queue(m, hashmap_size(m->jobs));
        if (r < 0)
                goto rollback;

        while ((j = hashmap_first(tr->jobs))) {
                Job *installed;

                transaction_unlink_job(tr, j, false);
                installed = job_install(j);
                if (installed != j) {
                        /* Merged into the job the unit had. */
                        if (tr->anchor_job == j)
                                tr->anchor_job = installed;
                        if (hashmap_get(m->jobs, JOB_ID_TO_PTR(j->id)) == j)
                                (void) hashmap_remove(m->jobs, JOB_ID_TO_PTR(j->id));
                        job_free_uninstalled(j);
                        j = installed;
                }

                job_add_to_run_queue(j);
                job_add_to_dbus_queue(j);
                fault_point("mid-transaction");
                (void) job_start_timer(j, false);
                if (affected)
                        (void) ordered_set_put(affected, j);
        }
        return 0;

rollback:
        HASHMAP_FOREACH(j, tr->jobs)
                if (hashmap_get(m->jobs, JOB_ID_TO_PTR(j->id)) == j)
                        (void) hashmap_remove(m->jobs, JOB_ID_TO_PTR(j->id));
        return r;
}

int transaction_activate(Transaction *tr, Manager *m, JobMode mode, OrderedSet *affected, BusError *e) {
        unsigned generation = 1;
        Job *j;
        int r;

        /* The cycle check walks installed jobs too: clear their marks of earlier walks. */
        HASHMAP_FOREACH(j, m->jobs) {
                j->generation = 0;
                j->marker = NULL;
        }

        transaction_find_jobs_that_matter_to_anchor(tr->anchor_job, generation++);

        if (mode == JOB_FAIL)
                transaction_minimize_impact(tr);

        transaction_drop_redundant(tr);

        for (;;) {
                if (mode != JOB_ISOLATE)
                        transaction_collect_garbage(tr);
                r = transaction_verify_order(tr, &generation, e);
                if (r >= 0)
                        break;
                if (r != -EAGAIN)
                        return log_warning_errno(r, "Requested transaction contains an unfixable cyclic ordering dependency: %s",
                                                 error_message(e, r));
        }

        for (;;) {
                r = transaction_merge_jobs(tr, e);
                if (r >= 0)
                        break;
                if (r != -EAGAIN)
                        return log_warning_errno(r, "Requested transaction contains unmergeable jobs: %s",
                                                 error_message(e, r));
                if (mode != JOB_ISOLATE)
                        transaction_collect_garbage(tr);
        }

        transaction_drop_redundant(tr);

        r = transaction_is_destructive(tr, mode, e);
        if (r < 0)
                return log_notice_errno(r, "Requested transaction contradicts existing jobs: %s",
                                        error_message(e, r));

        r = transaction_apply(tr, m, mode, affected);
        if (r < 0)
                return log_warning_errno(r, "Failed to apply transaction: %m");
        return 0;
}

/* ---- manager_add_job() ------------------------------------------------------------------------ */

int manager_add_job(Manager *m, JobType type, Unit *u, JobMode mode, OrderedSet *affected_jobs,
                    BusError *error, Job **ret) {
        Transaction *tr;
        int r;

        assert(type >= 0 && type < _JOB_TYPE_MAX);
        assert(mode >= 0 && mode < _JOB_MODE_MAX);

        if (mode == JOB_ISOLATE && type != JOB_START)
                return set_error(error, EINVAL, BUS_ERROR_INVALID_ARGS, "Isolate is only valid for start.");
        if (mode == JOB_ISOLATE && !u->rt.allow_isolate)
                return set_error(error, EPERM, BUS_ERROR_NO_ISOLATION, "Operation refused, unit may not be isolated.");
        if (mode == JOB_TRIGGERING && type != JOB_STOP)
                return set_error(error, EINVAL, BUS_ERROR_INVALID_ARGS,
                                 "--job-mode=triggering is only valid for stop.");

        log_unit_debug(u, "Trying to enqueue job %s/%s/%s", u->id, job_type_to_string(type),
                       job_mode_to_string(mode));

        type = job_type_collapse(type, unit_active_state(u));

        tr = transaction_new(mode == JOB_REPLACE_IRREVERSIBLY);
        if (!tr)
                return -ENOMEM;

        r = transaction_add_job_and_dependencies(tr, type, u, NULL, true, false,
                                                 IN_SET(mode, JOB_IGNORE_DEPENDENCIES, JOB_IGNORE_REQUIREMENTS),
                                                 mode == JOB_IGNORE_DEPENDENCIES, error);
        if (r >= 0 && mode == JOB_ISOLATE)
                r = transaction_add_isolate_jobs(tr, m);
        if (r >= 0 && mode == JOB_TRIGGERING)
                r = transaction_add_triggering_jobs(tr, u);
        if (r >= 0)
                r = transaction_activate(tr, m, mode, affected_jobs, error);
        if (r < 0) {
                transaction_abort(tr);
                transaction_free(tr);
                return r;
        }

        log_unit_debug(u, "Enqueued job %s/%s as %" PRIu32, u->id, job_type_to_string(type),
                       tr->anchor_job->id);
        if (ret)
                *ret = tr->anchor_job;
        transaction_free(tr);
        return 0;
}

int manager_add_job_by_name(Manager *m, JobType type, const char *name, JobMode mode,
                            OrderedSet *affected_jobs, BusError *error, Job **ret) {
        Unit *u;
        int r;

        r = manager_load_unit(m, name, &u);
        if (r == -EISDIR)
                return set_error(error, EINVAL, BUS_ERROR_INVALID_ARGS, "Unit name %s is missing the instance name.",
                                 name);
        if (r == -EINVAL)
                return set_error(error, EINVAL, BUS_ERROR_INVALID_ARGS, "Unit name %s is not valid.", name);
        if (r < 0)
                return r;
        return manager_add_job(m, type, u, mode, affected_jobs, error, ret);
}

void manager_start_target(Manager *m, const char *name, JobMode mode) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        int r = manager_add_job_by_name(m, JOB_START, name, mode, NULL, &error, NULL);

        if (r < 0)
                log_error("Failed to enqueue %s job: %s", name, error.message ?: strerror(-r));
}
