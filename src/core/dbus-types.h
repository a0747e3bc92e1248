/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * dbus-types.h: the per-type interfaces of units (org.freedesktop.systemd1.Service, .Target,
 * .Slice, .Scope, …): their vtables, registered by bus_unit_types_register() (dbus-unit.h).
 */

#include "bus/bus-object.h"

extern const BusVtable *const bus_service_vtable; /* dbus-service.c */
extern const BusVtable *const bus_socket_vtable;  /* dbus-socket.c */
