/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-driver: the org.freedesktop.DBus object the bus itself serves (dbus-daemon 1.14's
 * bus/driver.c): the org.freedesktop.DBus, Peer and Introspectable interfaces on every object
 * path, Properties, Monitoring and Debug.Stats on /org/freedesktop/DBus only. Method lookup,
 * argument checks and every error text follow dbus-daemon. Replies and signals carry SENDER
 * org.freedesktop.DBus and real serials (bus-broker.h sends them).
 */

#include <stdbool.h>

#include "bus/bus-message.h"

typedef struct Broker Broker;
typedef struct BusConn BusConn;

/* Handles m, sent by c to the bus (DESTINATION org.freedesktop.DBus, or a Peer call without
 * DESTINATION): replies, or sends the error. Returns 0, or a negative errno when even the
 * error could not be sent. */
int bus_driver_handle(Broker *b, BusConn *c, BusMessage *m);

/* The introspection XML of the driver at path (all interfaces on /org/freedesktop/DBus, the
 * any-path ones elsewhere, plus the child node that leads there from "/", "/org" and
 * "/org/freedesktop"); path NULL: what `dbus-daemon --introspect` prints. A new string, NULL
 * on ENOMEM. */
char *bus_driver_introspect(const char *path);

/* The machine ID (/var/lib/dbus/machine-id, else /etc/machine-id), 32 hex digits and a NUL.
 * Returns 0 or -ENOENT. */
int bus_driver_read_machine_id(char ret[static 33]);
