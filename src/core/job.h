/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * job.h: jobs, the manager's pending and running state changes of units, as systemd 252 has
 * them. A job is created by a transaction (transaction.c), installed on its unit (u->job, or
 * u->nop_job for nop jobs) and in the manager's table under a unique id, waits in the run queue
 * until every job it is ordered after (Before=/After= between units with jobs) has finished,
 * runs (unit_start/stop/reload), and finishes with a result when the unit's state change says
 * so (unit_notify() calls job_finish_and_invalidate()). Finishing propagates: a failed start
 * fails the start jobs of units that require it (result "dependency"), and so on, as systemd.
 *
 * The Manager owns every installed job; a job belongs to exactly one unit. D-Bus sees a job as
 * /org/freedesktop/systemd1/job/<id> with JobNew/JobRemoved signals (dbus-job.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "job-type.h"
#include "list.h"
#include "time-base.h"
#include "unit-def.h"

typedef struct Job Job;
typedef struct JobDependency JobDependency;
typedef struct Manager Manager;
typedef struct Unit Unit;
typedef struct BusError BusError;
typedef struct OrderedSet OrderedSet;

struct Job {
        Manager *manager;
        Unit *unit;
        uint32_t id;               /* > 0, unique for the manager's lifetime */
        JobType type;              /* after collapsing: below _JOB_TYPE_MAX_IN_TRANSACTION */
        JobState state;
        JobResult result;          /* set when finishing */

        bool installed;
        bool irreversible;         /* from replace-irreversibly: later transactions may not cancel it */
        bool ignore_order;         /* from ignore-dependencies: runs without waiting for ordering */
        bool reloaded;             /* restart: the stop part is done, the start part runs (RESTART→START) */
        bool sent_dbus_new_signal;

        size_t run_queue_idx;      /* in m->run_queue, or PRIOQ_IDX_NULL */
        LIST_FIELDS(Job, dbus_queue);
        LIST_FIELDS(Job, gc_queue);
        bool in_dbus_queue, in_gc_queue;
        LIST_FIELDS(Job, store_queue); /* manager-store.c: to be written at the next commit */
        bool in_store_queue;

        EventSource *timer_event_source;  /* JobTimeoutSec=/JobRunningTimeoutSec= */
        usec_t begin_usec;                /* CLOCK_MONOTONIC when installed */
        usec_t begin_running_usec;        /* CLOCK_MONOTONIC when it started running */

        /* The transaction's working state (transaction.c); meaningless once installed. */
        void *transaction_data;

        /* transaction.c: the jobs of one unit in a transaction, the links between jobs (who
         * pulled in whom), and the marks of the graph walks (also on installed jobs). */
        LIST_FIELDS(Job, transaction);
        LIST_HEAD(JobDependency, subject_list);
        LIST_HEAD(JobDependency, object_list);
        unsigned generation;
        Job *marker;
        bool matters_to_anchor;
};

/* A link in a transaction: subject (NULL = the client, for the anchor) pulled in object;
 * matters: object is needed for subject to succeed; conflicts: pulled in by Conflicts=. */
struct JobDependency {
        Job *subject, *object;
        LIST_FIELDS(JobDependency, subject);
        LIST_FIELDS(JobDependency, object);
        bool matters, conflicts;
};

/* Queues a transaction for a job of type on u (anchor job) with mode, pulling in what the
 * unit's dependencies require, checks it (conflicts, ordering cycles: broken by dropping a
 * non-essential job with a warning, as systemd), merges it with installed jobs and installs it.
 * On success *ret (optional) is the anchor job (installed: it may already have finished and
 * been freed when the caller looks at it only after returning to the event loop; read its id
 * and path at once). affected_jobs (optional) gets every installed job of the transaction (for
 * EnqueueUnitJob). Errors set error with systemd's names and texts (NoSuchUnit, UnitMasked,
 * LoadFailed, BadUnitSetting, OnlyByDependency, NoIsolation, JobTypeNotApplicable,
 * TransactionIsDestructive, TransactionJobsConflicting, TransactionOrderIsCyclic) and return a
 * negative errno. type may be any JobType including the state-dependent ones. */
int manager_add_job(Manager *m, JobType type, Unit *u, JobMode mode, OrderedSet *affected_jobs,
                    BusError *error, Job **ret);
/* The same by unit name (loaded first if needed). */
int manager_add_job_by_name(Manager *m, JobType type, const char *name, JobMode mode,
                            OrderedSet *affected_jobs, BusError *error, Job **ret);
/* Starts name in mode, logging a failure (systemd's manager_start_target()): for what signals
 * and emergency actions start. */
void manager_start_target(Manager *m, const char *name, JobMode mode);

Job *manager_get_job(Manager *m, uint32_t id);
/* Cancels every installed job (result "canceled"). */
void manager_clear_jobs(Manager *m);

/* Finishes j with result: uninstalls it, sends JobRemoved, propagates the result to jobs
 * that depend on it (recursive), logs systemd's messages, and frees it. already: the unit was
 * already in the target state (no "Started …" status line). */
void job_finish_and_invalidate(Job *j, JobResult result, bool recursive, bool already);
/* CancelJob(): as finishing with JOB_CANCELED (recursively for waiting start jobs that need it). */
int job_cancel(Job *j);

/* Queues j to be run from the manager's run queue (the event loop dispatches it). */
void job_add_to_run_queue(Job *j);
/* Makes room in the run queue for n jobs, so that adding installed jobs cannot fail for memory
 * (the queue is created on first use). 0 or -ENOMEM. */
int manager_reserve_run_queue(Manager *m, size_t n);
/* Queues the jobs of units ordered after/before u (their ordering constraint may be gone). */
void job_add_to_run_queue_of_ordered_units(Unit *u);
/* Runs the queued runnable jobs (called from a defer source of the manager's event loop). */
void manager_dispatch_run_queue(Manager *m);

/* The job ordering of the Job object's GetAfter()/GetBefore() as systemd 252 has it:
 * job_get_after() lists the installed jobs that wait for j to finish (they run after it),
 * job_get_before() the installed jobs j waits for (they run before it). *ret is a
 * NULL-terminated array sorted by id (free() it, the jobs are borrowed); returns the count. */
int job_get_after(Job *j, Job ***ret);
int job_get_before(Job *j, Job ***ret);

/* "/org/freedesktop/systemd1/job/<id>" (owned by the caller). */
char *job_dbus_path(const Job *j);

/* The result a unit's active state means for a running job of type t: e.g. a start job of a
 * unit that became active is done (systemd 252's unit_process_job()). Used by unit_notify().
 * Returns true if the change was not what the unit's job asked for (or there is no job):
 * unit_notify() then starts/stops dependencies retroactively, as systemd does. */
bool job_unit_notify(Unit *u, UnitActiveState os, UnitActiveState ns, bool reload_failure,
                     bool skip_condition);

/* Uninstalls and frees j without finishing it (no signal, no propagation): for unit_free() and
 * manager_free(). NULL-safe. */
void job_free(Job *j);

/* Checks systemd makes before queueing a job a client asked for (bus_unit_queue_job() of 252),
 * on top of manager_add_job(), which internal requests (OnFailure=, boot) use unchecked:
 * stop of an inactive unit whose load state is not-found/error/bad-setting fails with
 * NoSuchUnit "Unit X not loaded."; RefuseManualStart=/RefuseManualStop= refuse with
 * OnlyByDependency. 0 or a negative errno with error set. (transaction.c) */
int job_check_manual_request(Unit *u, JobType type, BusError *error);
/* The errors of a unit that is not loaded properly, for a job or a Requires= dependency
 * (spec systemctl-dbus.md §3): 0 if loaded, else a negative errno with error set. */
int job_validate_unit_load_state(Unit *u, BusError *error);

/* Cancels the jobs in the gc queue whose unit type collects them (result "collected"). */
void manager_dispatch_gc_job_queue(Manager *m);
/* Whether j may run now: nothing it is ordered after (or, for stops, before) has a job that
 * must run first. */
bool job_is_runnable(Job *j);

/* Crash recovery (manager-store.c): installs a job read back from the state store, with its id,
 * state and begin times (timeouts run from those); no signal is sent. */
int job_restore(Unit *u, uint32_t id, JobType type, JobState state, bool irreversible, bool ignore_order,
                bool reloaded, usec_t begin, usec_t begin_running);
/* After every unit was brought back: a waiting job is queued; a running job finishes if its unit
 * reached the goal (or failed), keeps running if the unit is on its way, and runs again if it
 * had not begun. */
void job_resume(Job *j);

/* ---- Internal: used by transaction.c ---- */

/* A new job (not installed) of type for u, with the next id of the manager. NULL on OOM. */
Job *job_new(Unit *u, JobType type);
/* Installs j on its unit or merges it into the unit's installed job: returns the job that is
 * installed now (j, or the older job j was merged into; then j is left to the caller). */
Job *job_install(Job *j);
/* Frees a job that is not installed (nor in a transaction's lists). */
void job_free_uninstalled(Job *j);
/* Arms JobTimeoutSec= (running = false, at installation) or JobRunningTimeoutSec=. */
int job_start_timer(Job *j, bool running);
/* Queues j for D-Bus change signals (JobNew the first time). */
void job_add_to_dbus_queue(Job *j);
void job_add_to_gc_queue(Job *j);
/* systemd's job_compare(): for jobs a and b of units where a's unit has dependency d
 * (UNIT_AFTER or UNIT_BEFORE) on b's unit: > 0 if a runs after b, < 0 before, 0 independent. */
int job_compare(const Job *a, const Job *b, UnitDependency d);
