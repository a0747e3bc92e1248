/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * dbus-kill.h: the kill-context properties of systemd 252's bus_kill_vtable (KillMode= & co.),
 * as vtable entries for the type interfaces that have a KillContext.
 */

#include "dbus-unit.h"

typedef struct KillContext KillContext;

/* The unit's kill context, NULL if its type has none (the defaults are shown then). */
KillContext *bus_unit_kill_context(Unit *u);

DECLARE_BUS_GETTER(bus_kill_get_mode);
DECLARE_BUS_GETTER(bus_kill_get_signal);
DECLARE_BUS_GETTER(bus_kill_get_bool);

#define BUS_KILL_VTABLE_ITEMS                                                                   \
        BUS_PROPERTY("KillMode", "s", bus_kill_get_mode, 0, BUS_VTABLE_PROPERTY_CONST),         \
        BUS_PROPERTY("KillSignal", "i", bus_kill_get_signal, 0, BUS_VTABLE_PROPERTY_CONST),     \
        BUS_PROPERTY("RestartKillSignal", "i", bus_kill_get_signal, 0, BUS_VTABLE_PROPERTY_CONST), \
        BUS_PROPERTY("FinalKillSignal", "i", bus_kill_get_signal, 0, BUS_VTABLE_PROPERTY_CONST), \
        BUS_PROPERTY("SendSIGKILL", "b", bus_kill_get_bool, 0, BUS_VTABLE_PROPERTY_CONST),      \
        BUS_PROPERTY("SendSIGHUP", "b", bus_kill_get_bool, 0, BUS_VTABLE_PROPERTY_CONST),       \
        BUS_PROPERTY("WatchdogSignal", "i", bus_kill_get_signal, 0, BUS_VTABLE_PROPERTY_CONST)
