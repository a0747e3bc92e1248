/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-kill.c: the getters behind BUS_KILL_VTABLE_ITEMS (dbus-kill.h).
 */

#include <signal.h>

#include "dbus-kill.h"
#include "service.h"
#include "socket.h"
#include "string-util.h"

KillContext *bus_unit_kill_context(Unit *u) {
        if (u->type == UNIT_SERVICE && UNIT_VTABLE(u)->object_size >= sizeof(Service))
                return &SERVICE(u)->kill_context;
        if (u->type == UNIT_SOCKET && UNIT_VTABLE(u)->object_size >= sizeof(Socket))
                return &SOCKET(u)->kill_context;
        return NULL;
}

static const KillContext kill_defaults = {
        .kill_mode = KILL_CONTROL_GROUP,
        .kill_signal = SIGTERM,
        .final_kill_signal = SIGKILL,
        .watchdog_signal = SIGABRT,
        .send_sigkill = true,
};

static const KillContext *context_of(Unit *u) {
        const KillContext *c = bus_unit_kill_context(u);
        return c ? c : &kill_defaults;
}

int bus_kill_get_mode(BUS_GETTER_ARGS) {
        return bus_append_string(reply, kill_mode_to_string(context_of(userdata)->kill_mode));
}

int bus_kill_get_signal(BUS_GETTER_ARGS) {
        const KillContext *c = context_of(userdata);
        int v = c->kill_signal;

        if (streq(property, "RestartKillSignal"))
                v = c->restart_kill_signal != 0 ? c->restart_kill_signal : c->kill_signal;
        else if (streq(property, "FinalKillSignal"))
                v = c->final_kill_signal;
        else if (streq(property, "WatchdogSignal"))
                v = c->watchdog_signal;
        return bus_append_i32(reply, v);
}

int bus_kill_get_bool(BUS_GETTER_ARGS) {
        const KillContext *c = context_of(userdata);
        return bus_append_bool(reply, streq(property, "SendSIGKILL") ? c->send_sigkill : c->send_sighup);
}
