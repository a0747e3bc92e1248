/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * target.h: the target unit type, as systemd 252 has it: a target has no process and no
 * settings of its own; it is a synchronization point that is "active" once started and
 * "inactive" once stopped, and changes state at once (its dependencies do the work). Its
 * default dependencies are added when it is loaded (unit-load.c).
 */

#include "unit.h"

typedef enum TargetState {
        TARGET_DEAD,
        TARGET_ACTIVE,
        _TARGET_STATE_MAX,
        _TARGET_STATE_INVALID = -EINVAL,
} TargetState;

typedef struct Target {
        Unit meta; /* first: a Target is a Unit */
        TargetState state;
} Target;

extern const UnitVTable target_vtable;

/* "dead", "active" (the SubState values). */
const char *target_state_to_string(TargetState s) _const_;
TargetState target_state_from_string(const char *s) _pure_;
