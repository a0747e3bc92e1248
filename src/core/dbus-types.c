/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-types.c: registers the type interfaces of units below /org/freedesktop/systemd1/unit: the
 * Service interface (dbus-service.c), and the small ones of targets (no properties), slices
 * (cgroup properties), scopes (systemd 252's scope properties, then cgroup and kill). Types the
 * manager does not run yet get their interface with no properties, so that clients find it.
 */

#include "dbus-cgroup.h"
#include "dbus-kill.h"
#include "dbus-types.h"
#include "dbus-unit.h"
#include "manager.h"
#include "service.h"
#include "socket.h"
#include "string-util.h"
#include "unit-name.h"

static const BusVtable empty_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_VTABLE_END,
};

static const BusVtable slice_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_UNIT_CGROUP_VTABLE_ITEMS,
        BUS_CGROUP_VTABLE_ITEMS,
        BUS_VTABLE_END,
};

static int scope_get_string(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        const char *v = "";

        if (streq(property, "Result"))
                v = UNIT_VTABLE(u)->result_to_string ? UNIT_VTABLE(u)->result_to_string(u) : "success";
        else if (streq(property, "OOMPolicy"))
                v = unit_setting_last(u, "Scope.OOMPolicy") ?: "stop";
        return bus_append_string(reply, v);
}

static int scope_get_usec(BUS_GETTER_ARGS) {
        Unit *u = userdata;

        if (streq(property, "TimeoutStopUSec"))
                return bus_append_usec(reply, bus_unit_setting_usec(u, "Scope.TimeoutStopSec",
                                                                    u->manager->default_timeout_stop_usec));
        if (streq(property, "RuntimeMaxUSec"))
                return bus_append_usec(reply, bus_unit_setting_usec(u, "Scope.RuntimeMaxSec", UINT64_MAX));
        return bus_append_usec(reply, bus_unit_setting_usec(u, "Scope.RuntimeRandomizedExtraSec", 0));
}

static const BusVtable scope_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_PROPERTY("Controller", "s", bus_prop_empty_string, 0, 0),
        BUS_PROPERTY("TimeoutStopUSec", "t", scope_get_usec, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_PROPERTY("Result", "s", scope_get_string, 0, BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        BUS_PROPERTY("RuntimeMaxUSec", "t", scope_get_usec, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_PROPERTY("RuntimeRandomizedExtraUSec", "t", scope_get_usec, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_SIGNAL("RequestStop", "", 0),
        BUS_METHOD("Abandon", "", "", bus_cgroup_method_not_supported, 0),
        BUS_PROPERTY("OOMPolicy", "s", scope_get_string, 0, BUS_VTABLE_PROPERTY_CONST),
        BUS_UNIT_CGROUP_VTABLE_ITEMS,
        BUS_CGROUP_VTABLE_ITEMS,
        BUS_KILL_VTABLE_ITEMS,
        BUS_VTABLE_END,
};

/* A unit path whose unit has the type of the interface asked for. */
static int type_find(Bus *bus, const char *path, const char *interface, void *userdata,
                     void **found, BusError *error) {
        Unit *u = NULL;
        int r;

        r = bus_unit_find_by_path(userdata, path, &u, error);
        if (r <= 0)
                return r;
        if (!streq_ptr(unit_dbus_interface_from_type(u->type), interface))
                return 0;
        if (u->type == UNIT_SERVICE && UNIT_VTABLE(u)->object_size < sizeof(Service))
                return 0; /* the service type is not there yet: its data would not be either */
        if (u->type == UNIT_SOCKET && UNIT_VTABLE(u)->object_size < sizeof(Socket))
                return 0;
        *found = u;
        return 1;
}

int bus_unit_types_register(Bus *b, Manager *m) {
        for (UnitType t = 0; t < _UNIT_TYPE_MAX; t++) {
                const BusVtable *v = empty_vtable;
                int r;

                if (t == UNIT_SERVICE)
                        v = bus_service_vtable;
                else if (t == UNIT_SLICE)
                        v = slice_vtable;
                else if (t == UNIT_SCOPE)
                        v = scope_vtable;
                else if (t == UNIT_SOCKET)
                        v = bus_socket_vtable;
                r = bus_add_fallback_vtable(b, NULL, BUS_UNIT_PREFIX, unit_dbus_interface_from_type(t),
                                            v, type_find, m);
                if (r < 0)
                        return r;
        }
        return 0;
}
