/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * manager-bus.h: the manager's D-Bus endpoints and the signals the rest of the manager emits
 * through them. org.freedesktop.systemd1 is served peer-to-peer on runtime_dir/systemd/private
 * (root peers only; every connection gets JobNew/JobRemoved/UnitNew/UnitRemoved/
 * PropertiesChanged/Reloading/StartupFinished without subscribing) and, once a system bus is up,
 * on it (signals to subscribers). The object tree is in dbus-manager.c, dbus-unit.c, dbus-job.c
 * and the per-type dbus-*.c files.
 *
 * The Manager owns its ManagerBus (m->bus); the ManagerBus owns the listening socket and every
 * connection. All functions are no-ops (returning 0) when m->bus is NULL, so the engine and its
 * unit tests run without D-Bus.
 */

#include <stdbool.h>

#include "time-base.h"

typedef struct Manager Manager;
typedef struct Unit Unit;
typedef struct Job Job;

/* Listens on runtime_dir/systemd/private (or takes listen_fd >= 0, e.g. from init's fd store)
 * and creates runtime_dir/systemd/system/. 0 or -errno (logged). */
int manager_bus_setup(Manager *m, int listen_fd);
void manager_bus_done(Manager *m);
/* The listening fd (for init's fd store), -1 if none. */
int manager_bus_listen_fd(Manager *m);

/* Signals (called by the engine; sent from the dbus queue where noted). */
void bus_job_send_new_signal(Job *j);      /* JobNew */
void bus_job_send_removed_signal(Job *j);  /* JobRemoved (j->result set) */
void bus_job_send_change_signal(Job *j);   /* PropertiesChanged of the Job object */
void bus_unit_send_change_signal(Unit *u); /* UnitNew the first time, then PropertiesChanged */
void bus_unit_send_removed_signal(Unit *u);/* UnitRemoved (only if UnitNew went out) */
void bus_manager_send_reloading(Manager *m, bool active);
void bus_manager_send_finished(Manager *m, usec_t firmware, usec_t loader, usec_t kernel,
                               usec_t initrd, usec_t userspace, usec_t total);
/* Whether anybody listens (skip work when not). */
bool bus_has_subscribers(Manager *m);

/* ---- Added by the bus-api module ---- */

typedef struct Bus Bus;
typedef struct ManagerSysBus ManagerSysBus;

/* Registers the org.freedesktop.systemd1 object tree (Manager, units, jobs, LogControl1) on b;
 * p2p: also the stand-in org.freedesktop.DBus (Hello, AddMatch) peer-to-peer clients call. */
int manager_bus_register_objects(Bus *b, Manager *m, bool p2p);
/* Where manager-sysbus.c keeps its state; NULL when the manager has no D-Bus (m->bus NULL). */
ManagerSysBus **manager_bus_sysbus(Manager *m);
