/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * unit-vtable.c: the table of unit types (unit.h). Each implemented type puts its vtable in its
 * slot; the others share unsupported_vtable, which loads but cannot be started or stopped (their
 * jobs end "unsupported"). Owned by whoever adds a type: one line each.
 */

#include "unit.h"
#include "service.h"
#include "target.h"
#include "slice.h"
#include "scope.h"
#include "socket.h"

static const UnitVTable unsupported_vtable = {
        .object_size = sizeof(Unit),
        .can_fail = true,
};

const UnitVTable *const unit_vtable[_UNIT_TYPE_MAX] = {
        [UNIT_SERVICE] = &service_vtable,
        [UNIT_MOUNT] = &unsupported_vtable,
        [UNIT_SWAP] = &unsupported_vtable,
        [UNIT_SOCKET] = &socket_vtable,
        [UNIT_TARGET] = &target_vtable,
        [UNIT_DEVICE] = &unsupported_vtable,
        [UNIT_AUTOMOUNT] = &unsupported_vtable,
        [UNIT_TIMER] = &unsupported_vtable,
        [UNIT_PATH] = &unsupported_vtable,
        [UNIT_SLICE] = &slice_vtable,
        [UNIT_SCOPE] = &scope_vtable,
};
