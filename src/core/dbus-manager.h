/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * dbus-manager.h: org.freedesktop.systemd1.Manager on /org/freedesktop/systemd1 (systemd 252's
 * properties in order, the unit, job, environment, unit-file and lifecycle methods, the signals)
 * and org.freedesktop.LogControl1 on /org/freedesktop/LogControl1.
 */

#include "bus/bus-object.h"

typedef struct Manager Manager;

#define BUS_MANAGER_PATH "/org/freedesktop/systemd1"
#define BUS_MANAGER_INTERFACE "org.freedesktop.systemd1.Manager"

/* Registers the Manager and LogControl1 objects on b. */
int bus_manager_register(Bus *b, Manager *m);
