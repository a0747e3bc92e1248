/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * wire-shapes: the three messages the dbus-wire benchmark marshals and parses, the ones the
 * service manager sends most:
 *   GETALL      the method return of org.freedesktop.DBus.Properties.GetAll("") on a service
 *               unit: a{sv} with every property systemd 252 returns for a service (the
 *               Service, unit-cgroup, CGroup, Exec and Kill vtables, then Unit; hidden ones
 *               left out), with the values of a running OpenSSH server;
 *   LISTUNITS   the method return of Manager.ListUnits with 1000 units, a(ssssssouso);
 *   JOBREMOVED  the Manager.JobRemoved signal, uoss.
 * A shape owns its value trees; the header fields are static strings.
 */

#include <stddef.h>
#include <stdint.h>

#include "wire-value.h"

typedef enum WireShapeKind {
        WIRE_SHAPE_GETALL,
        WIRE_SHAPE_LISTUNITS,
        WIRE_SHAPE_JOBREMOVED,
        _WIRE_SHAPE_MAX,
} WireShapeKind;

typedef struct WireShape {
        WireShapeKind kind;
        const char *name;      /* label in the results */
        uint8_t type;          /* BUS_MESSAGE_METHOD_RETURN or BUS_MESSAGE_SIGNAL */
        const char *path, *interface, *member; /* signals */
        const char *destination;               /* replies: the caller's unique name */
        const char *signature;                 /* of the body */
        WireValue *values;                     /* the body's top-level values */
        size_t n_values;
        size_t n_entries;         /* properties, units or values, for the label */
        const char *entries_name; /* what n_entries counts */
} WireShape;

/* Builds shape kind into *ret. Returns 0, -EINVAL (a broken table entry), -ENOMEM. */
int wire_shape_build(WireShapeKind kind, WireShape *ret);
/* Frees what s owns. */
void wire_shape_done(WireShape *s);
/* The reader checksum (wire-value.h) of the whole body. */
uint64_t wire_shape_checksum(const WireShape *s);
