/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit-def.c: name tables for unit-def.h. */

#include "string-util.h"
#include "unit-def.h"

static const char *const load_state_table[_UNIT_LOAD_STATE_MAX] = {
        [UNIT_STUB] = "stub",           [UNIT_LOADED] = "loaded",
        [UNIT_NOT_FOUND] = "not-found", [UNIT_BAD_SETTING] = "bad-setting",
        [UNIT_ERROR] = "error",         [UNIT_MERGED] = "merged",
        [UNIT_MASKED] = "masked",
};

static const char *const dependency_table[_UNIT_DEPENDENCY_MAX] = {
        [UNIT_REQUIRES] = "Requires",
        [UNIT_REQUISITE] = "Requisite",
        [UNIT_WANTS] = "Wants",
        [UNIT_BINDS_TO] = "BindsTo",
        [UNIT_PART_OF] = "PartOf",
        [UNIT_UPHOLDS] = "Upholds",
        [UNIT_REQUIRED_BY] = "RequiredBy",
        [UNIT_REQUISITE_OF] = "RequisiteOf",
        [UNIT_WANTED_BY] = "WantedBy",
        [UNIT_BOUND_BY] = "BoundBy",
        [UNIT_UPHELD_BY] = "UpheldBy",
        [UNIT_CONSISTS_OF] = "ConsistsOf",
        [UNIT_CONFLICTS] = "Conflicts",
        [UNIT_CONFLICTED_BY] = "ConflictedBy",
        [UNIT_BEFORE] = "Before",
        [UNIT_AFTER] = "After",
        [UNIT_ON_SUCCESS] = "OnSuccess",
        [UNIT_ON_SUCCESS_OF] = "OnSuccessOf",
        [UNIT_ON_FAILURE] = "OnFailure",
        [UNIT_ON_FAILURE_OF] = "OnFailureOf",
        [UNIT_TRIGGERS] = "Triggers",
        [UNIT_TRIGGERED_BY] = "TriggeredBy",
        [UNIT_PROPAGATES_RELOAD_TO] = "PropagatesReloadTo",
        [UNIT_RELOAD_PROPAGATED_FROM] = "ReloadPropagatedFrom",
        [UNIT_PROPAGATES_STOP_TO] = "PropagatesStopTo",
        [UNIT_STOP_PROPAGATED_FROM] = "StopPropagatedFrom",
        [UNIT_JOINS_NAMESPACE_OF] = "JoinsNamespaceOf",
        [UNIT_REFERENCES] = "References",
        [UNIT_REFERENCED_BY] = "ReferencedBy",
        [UNIT_IN_SLICE] = "InSlice",
        [UNIT_SLICE_OF] = "SliceOf",
};

static const UnitDependency inverse_table[_UNIT_DEPENDENCY_MAX] = {
        [UNIT_REQUIRES] = UNIT_REQUIRED_BY,
        [UNIT_REQUISITE] = UNIT_REQUISITE_OF,
        [UNIT_WANTS] = UNIT_WANTED_BY,
        [UNIT_BINDS_TO] = UNIT_BOUND_BY,
        [UNIT_PART_OF] = UNIT_CONSISTS_OF,
        [UNIT_UPHOLDS] = UNIT_UPHELD_BY,
        [UNIT_REQUIRED_BY] = UNIT_REQUIRES,
        [UNIT_REQUISITE_OF] = UNIT_REQUISITE,
        [UNIT_WANTED_BY] = UNIT_WANTS,
        [UNIT_BOUND_BY] = UNIT_BINDS_TO,
        [UNIT_UPHELD_BY] = UNIT_UPHOLDS,
        [UNIT_CONSISTS_OF] = UNIT_PART_OF,
        [UNIT_CONFLICTS] = UNIT_CONFLICTED_BY,
        [UNIT_CONFLICTED_BY] = UNIT_CONFLICTS,
        [UNIT_BEFORE] = UNIT_AFTER,
        [UNIT_AFTER] = UNIT_BEFORE,
        [UNIT_ON_SUCCESS] = UNIT_ON_SUCCESS_OF,
        [UNIT_ON_SUCCESS_OF] = UNIT_ON_SUCCESS,
        [UNIT_ON_FAILURE] = UNIT_ON_FAILURE_OF,
        [UNIT_ON_FAILURE_OF] = UNIT_ON_FAILURE,
        [UNIT_TRIGGERS] = UNIT_TRIGGERED_BY,
        [UNIT_TRIGGERED_BY] = UNIT_TRIGGERS,
        [UNIT_PROPAGATES_RELOAD_TO] = UNIT_RELOAD_PROPAGATED_FROM,
        [UNIT_RELOAD_PROPAGATED_FROM] = UNIT_PROPAGATES_RELOAD_TO,
        [UNIT_PROPAGATES_STOP_TO] = UNIT_STOP_PROPAGATED_FROM,
        [UNIT_STOP_PROPAGATED_FROM] = UNIT_PROPAGATES_STOP_TO,
        [UNIT_JOINS_NAMESPACE_OF] = UNIT_JOINS_NAMESPACE_OF,
        [UNIT_REFERENCES] = UNIT_REFERENCED_BY,
        [UNIT_REFERENCED_BY] = UNIT_REFERENCES,
        [UNIT_IN_SLICE] = UNIT_SLICE_OF,
        [UNIT_SLICE_OF] = UNIT_IN_SLICE,
};

const char *unit_load_state_to_string(UnitLoadState s) {
        return s >= 0 && s < _UNIT_LOAD_STATE_MAX ? load_state_table[s] : NULL;
}

UnitLoadState unit_load_state_from_string(const char *s) {
        return (UnitLoadState) string_table_lookup(load_state_table, _UNIT_LOAD_STATE_MAX, s);
}

const char *unit_dependency_to_string(UnitDependency d) {
        return d >= 0 && d < _UNIT_DEPENDENCY_MAX ? dependency_table[d] : NULL;
}

UnitDependency unit_dependency_from_string(const char *s) {
        return (UnitDependency) string_table_lookup(dependency_table, _UNIT_DEPENDENCY_MAX, s);
}

UnitDependency unit_dependency_inverse(UnitDependency d) {
        return d >= 0 && d < _UNIT_DEPENDENCY_MAX ? inverse_table[d] : _UNIT_DEPENDENCY_INVALID;
}
