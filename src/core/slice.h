/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * slice.h: the slice unit type. A slice is a node of the cgroup tree that groups units; it has
 * no processes of its own. States: dead and active (a slice is active while started). The root
 * slice -.slice and system.slice are perpetual: they come up active at startup (coldplug) and
 * cannot be stopped. Parent slices ("a-b.slice" lives in "a.slice") are dependencies added when
 * the unit is loaded (unit-load.c).
 */

#include "unit.h"

#define SPECIAL_ROOT_SLICE "-.slice"
#define SPECIAL_SYSTEM_SLICE "system.slice"

typedef enum SliceState {
        SLICE_DEAD,
        SLICE_ACTIVE,
        _SLICE_STATE_MAX,
        _SLICE_STATE_INVALID = -EINVAL,
} SliceState;

typedef struct Slice {
        Unit meta;
        SliceState state;
} Slice;

extern const UnitVTable slice_vtable;

/* The Slice of a slice unit, NULL for other types. */
static inline Slice *SLICE(Unit *u) {
        return u && u->type == UNIT_SLICE ? (Slice *) u : NULL;
}

const char *slice_state_to_string(SliceState s) _const_;
SliceState slice_state_from_string(const char *s) _pure_;
