/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * manager-sysbus.h: the manager on the system bus, as systemd 252 is there: it connects when
 * the bus socket is up ($DBUS_SYSTEM_BUS_ADDRESS, else unix:path=/run/dbus/system_bus_socket)
 * — at startup, when dbus.socket or dbus.service becomes active (retrying for a few seconds
 * while the daemon creates its socket), and on SIGUSR1 — requests org.freedesktop.systemd1
 * with REPLACE_EXISTING|ALLOW_REPLACEMENT, serves the same object tree as the private socket,
 * keeps the Subscribe() list per sender (dropped when the sender's name goes away), sends the
 * manager's signals there while anyone is subscribed, and starts units on
 * org.freedesktop.systemd1.Activator.ActivationRequest (ActivationFailure on error). Losing
 * the bus only drops the connection; nothing else in the manager depends on it.
 *
 * Name watches (BusName= of services, as 252's unit_watch_bus_name()): one unit per name. A
 * watch is kept whether the bus is there or not; while connected, each watch has an AddMatch
 * on NameOwnerChanged arg0=NAME and, once per connection, a GetNameOwner call, both queued
 * without waiting; their answers call the watch's handler with the new owner (NULL: none).
 * Losing the connection drops the match and the pending call but keeps the owner the unit
 * knows; the next connection asks again.
 *
 * The state lives in the ManagerBus (manager-bus.c): every function is a no-op when m->bus is
 * NULL.
 */

#include <stdbool.h>

#include "bus/bus.h"
#include "time-base.h"

typedef struct Job Job;
typedef struct Serializer Serializer;
typedef struct Manager Manager;
typedef struct Unit Unit;
typedef struct ManagerSysBus ManagerSysBus;

/* Connects unless connected (or connecting) already. 1 connected now, 0 already connected,
 * -ENOENT no bus socket, -EPERM in unit tests (m->test_run: never the host's bus), -errno
 * (logged at debug level). */
int manager_sysbus_try_connect(Manager *m);
/* Tries now and then every 200 ms for a while (the daemon may still be creating its socket). */
void manager_sysbus_connect_soon(Manager *m);
/* Called by the engine's D-Bus queue for each changed unit: dbus.socket/dbus.service coming up
 * trigger manager_sysbus_connect_soon(). */
void manager_sysbus_unit_changed(Manager *m, Unit *u);
void manager_sysbus_free(ManagerSysBus *s);

/* The system bus connection if signals are to go there (connected, and a client is
 * subscribed), else NULL. */
Bus *manager_sysbus_signal_bus(Manager *m);
/* The system bus connection, NULL when not connected. */
Bus *manager_sysbus_get(Manager *m);
/* Manager.Subscribe()/Unsubscribe(): on the system bus the sender is tracked
 * (AlreadySubscribed/NotSubscribed errors as 252); on a private connection it just replies. */
int manager_sysbus_method_subscribe(Bus *bus, BusMessage *message, Manager *m, bool subscribe,
                                    BusError *error);
/* AddRef=yes of StartTransientUnit: u is referenced (ref_count_bus) while the sender is on the
 * bus. Nothing for messages without a sender (private connections), as 252. */
void manager_sysbus_add_unit_ref(Manager *m, BusMessage *message, Unit *u);

/* A job queued by a client on the system bus: its signals (JobNew, JobRemoved, the job's
 * PropertiesChanged) go to the system bus while that client is there, subscribed or not, as
 * systemd 252 does for `systemctl start` (which waits for JobRemoved without subscribing).
 * Nothing for other connections. */
void manager_sysbus_track_job(Manager *m, Bus *bus, BusMessage *message, Job *j);
/* The system bus connection if j's signals go there (a client is subscribed, or j's client is
 * connected), else NULL. */
Bus *manager_sysbus_job_signal_bus(Manager *m, Job *j);
/* j is gone (after its JobRemoved): forgets its clients. */
void manager_sysbus_untrack_job(Manager *m, Job *j);

/* Across a restart of the manager (its record in the state store): the clients on the system
 * bus, "bus-subscribed NAME", "bus-ref NAME UNIT", "bus-job-client NAME JOB-ID" items. Read
 * back, they wait in m->sysbus_restored until the connection is there, then apply (a
 * reference to its unit, a job client to its job, if they are still there) and each name is
 * asked for with GetNameOwner(): one that left the bus meanwhile is forgotten. The system bus
 * clients of systemd (logind, which subscribes; systemctl start, which waits for its job's
 * JobRemoved) keep getting their signals from the new manager. */
void manager_sysbus_serialize(Manager *m, Serializer *s);
/* One item of the manager's record whose key starts with "bus-". 0 or -ENOMEM. */
int manager_sysbus_deserialize_item(Manager *m, const char *key, const char *value);

/* Called with the unique name that owns the watched name, NULL when nobody does, and since:
 * the CLOCK_MONOTONIC time from which that is known (the arrival of a NameOwnerChanged signal,
 * or when GetNameOwner was asked: the answer may describe any moment after that). */
typedef void (*ManagerSysBusNameHandler)(Unit *u, const char *new_owner, usec_t since);
/* Watches name (a valid well-known bus name) for u: installs the match and asks for the owner
 * now if connected, else when the connection comes. 0 (also when u watches name already),
 * -EEXIST another unit watches it, -EINVAL not a well-known name, -ENOMEM; -EOPNOTSUPP when
 * the manager has no D-Bus at all (m->bus NULL: nothing will ever be reported). */
int manager_sysbus_watch_name(Manager *m, Unit *u, const char *name, ManagerSysBusNameHandler handler);
/* Ends u's watch of name (no-op if u does not watch it). */
void manager_sysbus_unwatch_name(Manager *m, Unit *u, const char *name);
/* Reports that name is owned by new_owner now (NULL or "": nobody) to its watcher, as a
 * NameOwnerChanged signal or a GetNameOwner reply does. Exposed for the tests. */
void manager_sysbus_name_owner_changed(Manager *m, const char *name, const char *new_owner);
