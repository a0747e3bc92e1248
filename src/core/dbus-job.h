/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * dbus-job.h: org.freedesktop.systemd1.Job on /org/freedesktop/systemd1/job/<id> (Id, Unit,
 * JobType, State, ActivationDetails; Cancel, GetAfter, GetBefore) and the a(usssoo) job lists
 * that ListJobs, GetJobAfter and GetJobBefore return.
 */

#include "bus/bus-object.h"
#include "job.h"

#define BUS_JOB_PREFIX "/org/freedesktop/systemd1/job"
#define BUS_JOB_INTERFACE "org.freedesktop.systemd1.Job"

/* Registers the Job fallback and its node enumerator on b (userdata: the Manager). */
int bus_job_register(Bus *b, Manager *m);

/* Appends one (usssoo) entry for j to reply (inside an open a(usssoo)). */
int bus_job_append_entry(BusMessage *reply, Job *j);
/* Replies with a(usssoo) for the NULL-terminated jobs array. */
int bus_job_reply_list(Bus *bus, BusMessage *message, Job **jobs);
