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
 * The state lives in the ManagerBus (manager-bus.c): every function is a no-op when m->bus is
 * NULL.
 */

#include <stdbool.h>

#include "bus/bus.h"

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
