/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-def.h: the enums that describe a unit independent of its type: load states and the
 * dependency kinds, with the names systemd 252 uses for them on D-Bus and in `systemctl show`
 * (e.g. UNIT_WANTED_BY ↔ "WantedBy"). Every dependency kind has an inverse kind that the other
 * unit records (Wants ↔ WantedBy, Before ↔ After, …).
 */

#include "macro.h"

typedef enum UnitLoadState {
        UNIT_STUB,
        UNIT_LOADED,
        UNIT_NOT_FOUND,
        UNIT_BAD_SETTING,
        UNIT_ERROR,
        UNIT_MERGED,
        UNIT_MASKED,
        _UNIT_LOAD_STATE_MAX,
        _UNIT_LOAD_STATE_INVALID = -EINVAL,
} UnitLoadState;

typedef enum UnitDependency {
        UNIT_REQUIRES,
        UNIT_REQUISITE,
        UNIT_WANTS,
        UNIT_BINDS_TO,
        UNIT_PART_OF,
        UNIT_UPHOLDS,
        UNIT_REQUIRED_BY,
        UNIT_REQUISITE_OF,
        UNIT_WANTED_BY,
        UNIT_BOUND_BY,
        UNIT_UPHELD_BY,
        UNIT_CONSISTS_OF,
        UNIT_CONFLICTS,
        UNIT_CONFLICTED_BY,
        UNIT_BEFORE,
        UNIT_AFTER,
        UNIT_ON_SUCCESS,
        UNIT_ON_SUCCESS_OF,
        UNIT_ON_FAILURE,
        UNIT_ON_FAILURE_OF,
        UNIT_TRIGGERS,
        UNIT_TRIGGERED_BY,
        UNIT_PROPAGATES_RELOAD_TO,
        UNIT_RELOAD_PROPAGATED_FROM,
        UNIT_PROPAGATES_STOP_TO,
        UNIT_STOP_PROPAGATED_FROM,
        UNIT_JOINS_NAMESPACE_OF,
        UNIT_REFERENCES,
        UNIT_REFERENCED_BY,
        UNIT_IN_SLICE,
        UNIT_SLICE_OF,
        _UNIT_DEPENDENCY_MAX,
        _UNIT_DEPENDENCY_INVALID = -EINVAL,
} UnitDependency;

const char *unit_load_state_to_string(UnitLoadState s) _const_;
UnitLoadState unit_load_state_from_string(const char *s) _pure_;
/* "Requires", "WantedBy", … as systemctl show prints them. */
const char *unit_dependency_to_string(UnitDependency d) _const_;
UnitDependency unit_dependency_from_string(const char *s) _pure_;
/* The kind the other unit records; a kind without one (none in 252) maps to itself. */
UnitDependency unit_dependency_inverse(UnitDependency d) _const_;
