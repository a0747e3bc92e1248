/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * transaction.h: building and applying a transaction of jobs, as systemd 252 does. The anchor
 * job (what the client asked for) pulls in jobs for the units its unit depends on (start:
 * Requires=/BindsTo= required, Wants=/Upholds= optional, Requisite= verify-active, Conflicts=
 * stop; stop: what is RequiredBy/BoundBy/PartOf'd stops too; restart: try-restart of those;
 * reload: PropagatesReloadTo=). Then the transaction is checked and simplified: jobs that do
 * not matter to the anchor are dropped where they would stop running units (mode fail) or
 * are redundant, ordering cycles are broken by deleting a job that does not matter (with a
 * warning), jobs of one unit are merged, conflicts with installed jobs are checked (mode fail,
 * irreversible jobs), and the jobs are installed (job.c).
 *
 * A Transaction owns the jobs in it until they are installed; transaction_abort() frees them.
 * manager_add_job() (job.h) is the usual entry point.
 */

#include <stdbool.h>

#include "hashmap.h"
#include "job.h"

typedef struct Transaction {
        Hashmap *jobs;   /* Unit* → Job* (first of the unit's jobs, linked by transaction_next) */
        Job *anchor_job; /* the job the client asked for */
        bool irreversible;
} Transaction;

/* The error names of org.freedesktop.systemd1 the job engine uses (252's bus-common-errors.h). */
#ifndef BUS_ERROR_NO_SUCH_UNIT
#define BUS_ERROR_NO_SUCH_UNIT "org.freedesktop.systemd1.NoSuchUnit"
#endif
#ifndef BUS_ERROR_LOAD_FAILED
#define BUS_ERROR_LOAD_FAILED "org.freedesktop.systemd1.LoadFailed"
#endif
#ifndef BUS_ERROR_BAD_UNIT_SETTING
#define BUS_ERROR_BAD_UNIT_SETTING "org.freedesktop.systemd1.BadUnitSetting"
#endif
#ifndef BUS_ERROR_UNIT_MASKED
#define BUS_ERROR_UNIT_MASKED "org.freedesktop.systemd1.UnitMasked"
#endif
#ifndef BUS_ERROR_ONLY_BY_DEPENDENCY
#define BUS_ERROR_ONLY_BY_DEPENDENCY "org.freedesktop.systemd1.OnlyByDependency"
#endif
#ifndef BUS_ERROR_NO_ISOLATION
#define BUS_ERROR_NO_ISOLATION "org.freedesktop.systemd1.NoIsolation"
#endif
#ifndef BUS_ERROR_JOB_TYPE_NOT_APPLICABLE
#define BUS_ERROR_JOB_TYPE_NOT_APPLICABLE "org.freedesktop.systemd1.JobTypeNotApplicable"
#endif
#ifndef BUS_ERROR_TRANSACTION_IS_DESTRUCTIVE
#define BUS_ERROR_TRANSACTION_IS_DESTRUCTIVE "org.freedesktop.systemd1.TransactionIsDestructive"
#endif
#ifndef BUS_ERROR_TRANSACTION_JOBS_CONFLICTING
#define BUS_ERROR_TRANSACTION_JOBS_CONFLICTING "org.freedesktop.systemd1.TransactionJobsConflicting"
#endif
#ifndef BUS_ERROR_TRANSACTION_ORDER_IS_CYCLIC
#define BUS_ERROR_TRANSACTION_ORDER_IS_CYCLIC "org.freedesktop.systemd1.TransactionOrderIsCyclic"
#endif

/* NULL on OOM. irreversible: the installed jobs may not be replaced later (replace-irreversibly). */
Transaction *transaction_new(bool irreversible);
/* Frees an empty transaction (after activation or abort). NULL-safe; returns NULL. */
Transaction *transaction_free(Transaction *tr);
/* Frees every job still in the transaction. */
void transaction_abort(Transaction *tr);

/* Adds a job of type (below _JOB_TYPE_MAX_IN_TRANSACTION) for u, pulled in by `by` (NULL: u's
 * job becomes the anchor), and what it needs. matters: by fails without it; conflicts: pulled in
 * by Conflicts=. ignore_requirements: no dependencies; ignore_order: the jobs run unordered.
 * 0, or a negative errno with e set (a required dependency that cannot be added fails it). */
int transaction_add_job_and_dependencies(Transaction *tr, JobType type, Unit *u, Job *by, bool matters,
                                         bool conflicts, bool ignore_requirements, bool ignore_order,
                                         BusError *e);
/* isolate: stop jobs for every active unit of m not in the transaction (IgnoreOnIsolate= units
 * and units triggered by kept units excepted). */
int transaction_add_isolate_jobs(Transaction *tr, Manager *m);
/* triggering: stop jobs for the active units that trigger u. */
int transaction_add_triggering_jobs(Transaction *tr, Unit *u);
/* Checks, simplifies and installs the transaction (see above). On success the transaction is
 * empty and every installed job is in affected (if non-NULL). Else a negative errno with e set,
 * the transaction unchanged for transaction_abort(). */
int transaction_activate(Transaction *tr, Manager *m, JobMode mode, OrderedSet *affected, BusError *e);
