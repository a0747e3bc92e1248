/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * dbus-unit.h: org.freedesktop.systemd1.Unit on /org/freedesktop/systemd1/unit/<escaped name>
 * (systemd 252's property order, methods Start … Unref), the find callback that loads units on
 * demand when a client touches their path, the node enumerator, and the small property getters
 * the per-type interfaces share (dbus-service.c, dbus-exec.c, dbus-cgroup.c, dbus-kill.c,
 * dbus-types.c). Every getter of a unit interface gets the Unit (followed through merges) as
 * userdata; the per-type data is reached from it.
 */

#include "bus/bus-object.h"
#include "unit.h"

#define BUS_UNIT_PREFIX "/org/freedesktop/systemd1/unit"
#define BUS_UNIT_INTERFACE "org.freedesktop.systemd1.Unit"

/* Getter signature shorthand. */
#define BUS_GETTER_ARGS                                                                          \
        Bus *bus, const char *path, const char *interface, const char *property,                \
                BusMessage *reply, void *userdata, BusError *error
#define DECLARE_BUS_GETTER(name) int name(BUS_GETTER_ARGS)

extern const BusVtable bus_unit_vtable[];

/* Registers the Unit interface and every type interface (type first in GetAll) as fallbacks
 * below BUS_UNIT_PREFIX, plus the node enumerator, on b. userdata is the Manager. */
int bus_unit_register(Bus *b, Manager *m);

/* Registers the type interfaces (dbus-types.c), each with a find callback that accepts only
 * units of its type. */
int bus_unit_types_register(Bus *b, Manager *m);

/* The unit for path, loading it if needed (systemd's manager_load_unit_from_dbus_path()):
 * 1 and *ret, 0 if path names no valid unit, -errno. */
int bus_unit_find_by_path(Manager *m, const char *path, Unit **ret, BusError *error);

/* Checks that u is loaded well enough for a job and sets systemd's error otherwise. */
int bus_unit_validate_load_state(Unit *u, BusError *error);

/* The unit's D-Bus path (owned by the caller). */
char *bus_unit_path(const Unit *u);

/* Queues a job of type (by name: mode string) on u and replies with the job's path; the
 * shared body of StartUnit & co. and of Unit.Start & co. */
int bus_unit_queue_job(Bus *bus, BusMessage *message, Unit *u, JobType type, const char *mode,
                       BusError *error);
int bus_unit_method_kill(Bus *bus, BusMessage *message, Unit *u, const char *whom, int32_t signo,
                         BusError *error);
int bus_unit_method_enqueue_job(Bus *bus, BusMessage *message, Unit *u, BusError *error);
int bus_unit_method_ref(Bus *bus, BusMessage *message, Unit *u, bool ref, BusError *error);
int bus_unit_method_reset_failed(Bus *bus, BusMessage *message, Unit *u, BusError *error);

/* Fixed values. */
DECLARE_BUS_GETTER(bus_prop_empty_string);
DECLARE_BUS_GETTER(bus_prop_false);
DECLARE_BUS_GETTER(bus_prop_true);
DECLARE_BUS_GETTER(bus_prop_zero_u);
DECLARE_BUS_GETTER(bus_prop_zero_i);
DECLARE_BUS_GETTER(bus_prop_zero_t);
DECLARE_BUS_GETTER(bus_prop_max_t);
DECLARE_BUS_GETTER(bus_prop_empty_as);
DECLARE_BUS_GETTER(bus_prop_empty_ay);
DECLARE_BUS_GETTER(bus_prop_empty_aay);
DECLARE_BUS_GETTER(bus_prop_empty_a_ss);
DECLARE_BUS_GETTER(bus_prop_empty_a_sb);
DECLARE_BUS_GETTER(bus_prop_empty_a_st);
DECLARE_BUS_GETTER(bus_prop_empty_a_sst);
DECLARE_BUS_GETTER(bus_prop_empty_a_ssbt);
DECLARE_BUS_GETTER(bus_prop_empty_a_say);
DECLARE_BUS_GETTER(bus_prop_empty_a_iayu);
DECLARE_BUS_GETTER(bus_prop_empty_a_iiqq);
DECLARE_BUS_GETTER(bus_prop_empty_a_sba_ss);
DECLARE_BUS_GETTER(bus_prop_empty_a_ssba_ss);
DECLARE_BUS_GETTER(bus_prop_bas_empty);  /* (bas) = (false, []) */
DECLARE_BUS_GETTER(bus_prop_bs_empty);   /* (bs) = (false, "") */
DECLARE_BUS_GETTER(bus_prop_aiai_empty); /* (aiai) = ([], []) */

/* Helpers for getters. */
int bus_append_usec(BusMessage *reply, usec_t t);
int bus_append_string(BusMessage *reply, const char *s);
int bus_append_bool(BusMessage *reply, bool b);
int bus_append_u32(BusMessage *reply, uint32_t v);
int bus_append_i32(BusMessage *reply, int32_t v);
/* A unit setting ("Section.Key") parsed as a time span, def when unset or unparsable. */
usec_t bus_unit_setting_usec(const Unit *u, const char *key, usec_t def);
/* A boolean setting with a default. */
bool bus_unit_setting_bool(const Unit *u, const char *key, bool def);

/* Where the [Section] of a unit's type-specific settings is ("Service", "Socket", …). */
const char *bus_unit_section(const Unit *u);
