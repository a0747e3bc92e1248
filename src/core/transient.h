/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * transient.h: the properties of Manager.StartTransientUnit() (a(sv)), turned into the text of
 * a transient unit file as systemd 252 writes it to /run/systemd/transient/NAME ("[Unit]" and
 * the type's private section, one assignment per line, specifiers and exec syntax escaped),
 * plus what is not a setting: the PIDs of a scope and AddRef. The manager writes the text,
 * points the unit's fragment at it and loads it like any unit file, so drop-ins and
 * daemon-reload treat transient units as 252 does.
 */

#include <stdbool.h>
#include <sys/types.h>

#include "bus/bus-message.h"
#include "bus/bus-error.h"
#include "unit-name.h"

typedef struct TransientProperties {
        char *text;       /* the unit file (starts with 252's "# This is a transient unit file" line) */
        pid_t *pids;      /* PIDs= (scopes) */
        size_t n_pids;
        bool add_ref;     /* AddRef=true */
        int last_section; /* internal: -1 none yet, 0 [Unit], 1 the private section */
} TransientProperties;

void transient_properties_done(TransientProperties *t);

/* Reads the a(sv) at the current position of m (the array itself) for a unit of type.
 * 0, or -EINVAL with error set to InvalidArgs ("Cannot set property X, or unknown property."
 * for names the type does not take, as systemd 252), -ENOMEM. */
int transient_properties_parse(TransientProperties *t, UnitType type, BusMessage *m,
                               BusError *error);

/* The private section of a type ("Service", "Scope", "Slice", …), NULL if none. */
const char *transient_private_section(UnitType type) _const_;

typedef struct Manager Manager;
typedef struct Unit Unit;

/* StartTransientUnit's creation step: loads name, insists it is pristine (not loaded from a
 * file, no job: else UnitExists "Unit X was already loaded or has a fragment file."), reads the properties at m's reader
 * position, writes runtime_dir/systemd/transient/NAME, and loads the unit from it (drop-ins
 * apply). *ret gets the unit, ret_props (optional) what is not a setting (PIDs, AddRef).
 * 0, or -errno with error set. */
int transient_unit_create(Manager *m, const char *name, BusMessage *message,
                          TransientProperties *ret_props, BusError *error, Unit **ret);
