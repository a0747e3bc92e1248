/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * service-bus-name.c: BusName= of a service, as systemd 252 follows it. Every loaded service
 * with a BusName= watches that name on the system bus (manager-sysbus.c: a match on
 * NameOwnerChanged and a GetNameOwner call per connection; while there is no bus the watch
 * waits for one). What the owner changes mean:
 *   - Type=dbus in start: the name appeared, so the service is up (start-post, then running);
 *     the start timeout runs until then, and a main process that exits first ends the start
 *     as for Type=simple (service.c). A name that had its owner before the start began does
 *     not count (252 acts on the change it sees after the start; a GetNameOwner answer to a
 *     question asked before the start, as when the unit is loaded by the start itself, is
 *     such an old owner): the service waits for the name to change hands or the timeout;
 *   - Type=dbus running: the name went away, so the service is no longer good and is stopped
 *     (service_enter_running() decides, as after a main process exit);
 *   - other types, starting or running without a known main PID: the PID of the name's owner
 *     becomes the main PID (GetConnectionUnixProcessID).
 * bus_name_good and bus_name_owner are kept across a manager restart (service-serialize.c);
 * the watch asks the bus again when the new manager connects.
 */

#include <errno.h>

#include "bus/bus.h"
#include "log.h"
#include "manager-store.h"
#include "manager-sysbus.h"
#include "manager.h"
#include "service-internal.h"
#include "string-util.h"

/* 252: only while starting or running, and only when the main PID is not known otherwise */
static bool pick_up_pid_from_bus_name(Service *s) {
        return s->main_pid <= 0 &&
               IN_SET(s->state, SERVICE_START, SERVICE_START_POST, SERVICE_RUNNING, SERVICE_RELOAD);
}

static int on_pid_lookup_reply(Bus *bus, BusMessage *reply, void *userdata, BusError *error) {
        Service *s = userdata;
        uint32_t pid = 0;

        s->bus_name_pid_lookup_slot = bus_slot_unref(s->bus_name_pid_lookup_slot);
        if (!s->bus_name || !pick_up_pid_from_bus_name(s))
                return 0;
        if (bus_error_is_set(error)) {
                if (bus_is_open(bus))
                        log_unit_warning(UNIT(s), "GetConnectionUnixProcessID() failed: %s",
                                         error->message ?: error->name);
                return 0;
        }
        if (bus_message_read(reply, "u", &pid) <= 0 || pid <= 1 || pid > INT32_MAX) {
                log_unit_debug(UNIT(s), "GetConnectionUnixProcessID() returned no valid PID, ignoring.");
                return 0;
        }
        log_unit_debug(UNIT(s), "D-Bus name %s is now owned by process %u", s->bus_name, pid);
        if (service_set_main_pid(s, (pid_t) pid) >= 0)
                (void) unit_watch_pid(UNIT(s), (pid_t) pid);
        return 0;
}

static void service_lookup_bus_name_pid(Service *s) {
        _cleanup_(bus_message_unrefp) BusMessage *call = NULL;
        Bus *bus = manager_sysbus_get(UNIT(s)->manager);
        int r;

        s->bus_name_pid_lookup_slot = bus_slot_unref(s->bus_name_pid_lookup_slot);
        if (!bus)
                return;
        r = bus_message_new_method_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                        "GetConnectionUnixProcessID", &call);
        if (r >= 0)
                r = bus_message_append(call, "s", s->bus_name);
        if (r >= 0)
                r = bus_call_async(bus, &s->bus_name_pid_lookup_slot, call, on_pid_lookup_reply, s, 0);
        if (r < 0)
                log_unit_debug_errno(UNIT(s), r, "Failed to request owner PID of service name, ignoring: %m");
}

static void service_bus_name_owner_change(Unit *u, const char *new_owner, usec_t since) {
        Service *s = SERVICE(u);

        s->bus_name_good = new_owner;
        if (free_and_strdup(&s->bus_name_owner, new_owner) < 0) {
                log_oom();
                return;
        }
        unit_add_to_store_queue(u);
        unit_add_to_dbus_queue(u);
        if (s->type == SERVICE_DBUS) {
                if (s->state == SERVICE_RUNNING)
                        service_enter_running(s, SERVICE_SUCCESS);
                else if (s->state == SERVICE_START && new_owner &&
                         since > u->inactive_exit_timestamp.monotonic)
                        service_enter_start_post(s);
        } else if (new_owner && pick_up_pid_from_bus_name(s))
                service_lookup_bus_name_pid(s);
}

int service_watch_bus_name(Service *s) {
        int r;

        if (!s->bus_name)
                return 0;
        r = manager_sysbus_watch_name(UNIT(s)->manager, UNIT(s), s->bus_name, service_bus_name_owner_change);
        if (r == -EEXIST) {
                log_unit_error(UNIT(s), "Two services allocated for the same bus name %s, refusing operation.",
                               s->bus_name);
                return r;
        }
        if (r == -EINVAL) {
                log_unit_warning(UNIT(s), "Invalid bus name, ignoring: %s", s->bus_name);
                return 0;
        }
        if (r < 0 && r != -EOPNOTSUPP)
                return log_unit_error_errno(UNIT(s), r, "Cannot watch bus name %s: %m", s->bus_name);
        return 0;
}

void service_watch_bus_names(Manager *m) {
        Unit *u;

        ORDERED_SET_FOREACH(u, m->all_units)
                if (u->type == UNIT_SERVICE && u->load_state == UNIT_LOADED)
                        (void) service_watch_bus_name(SERVICE(u));
}

void service_unwatch_bus_name(Service *s) {
        s->bus_name_pid_lookup_slot = bus_slot_unref(s->bus_name_pid_lookup_slot);
        if (s->bus_name)
                manager_sysbus_unwatch_name(UNIT(s)->manager, UNIT(s), s->bus_name);
}
