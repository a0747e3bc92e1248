/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-dump.h: prints a loaded unit as `systemctl show` does: "Key=Value" lines with systemd
 * 252's property names and value formats (lists space-separated, booleans yes/no, time spans
 * in microsecond properties as "1min 30s", Exec*= as "{ path=… ; argv[]=… ; … }"), in the
 * order of the D-Bus interfaces. Only properties that follow from unit files are printed;
 * runtime state shows its initial value (inactive, dead, …).
 */

#include <stdio.h>

#include "unit.h"

typedef enum UnitDumpFlags {
        UNIT_DUMP_SHOW_EMPTY = 1 << 0, /* print empty values too (as systemctl with -p or --all) */
        UNIT_DUMP_VALUE_ONLY = 1 << 1, /* print only the values (systemctl --value) */
} UnitDumpFlags;

/* Prints u's properties to f; properties: NULL for all, else only these names, in the order
 * the unit has them. Returns 0 or -ENOMEM. */
int unit_dump(Unit *u, char *const *properties, UnitDumpFlags flags, FILE *f);
/* The names of every property unit_dump() knows for units of type t. */
int unit_dump_property_names(UnitType t, char ***ret);
