/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * manager-sysbus.c: the manager's connection to the system bus (manager-sysbus.h). One bus
 * client connection at most; it is set up without ever blocking the manager: the Hello, the
 * RequestName and the AddMatch calls are queued and their replies handled asynchronously.
 * Subscribers and AddRef holders are kept by unique name and dropped on NameOwnerChanged (or
 * all at once when the connection goes).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus-object.h"
#include "dbus-manager.h"
#include "job.h"
#include "log.h"
#include "manager-bus.h"
#include "manager-sysbus.h"
#include "manager.h"
#include "string-util.h"
#include "strv.h"
#include "unit.h"

#define SYSBUS_NAME "org.freedesktop.systemd1"
#define SYSBUS_NAME_FLAGS (0x1u /* ALLOW_REPLACEMENT */ | 0x2u /* REPLACE_EXISTING */)
#define SYSBUS_RETRY_INTERVAL (200 * USEC_PER_MSEC)
#define SYSBUS_RETRY_MAX 50U
/* as for private connections: a limit on what clients can make us keep */
#define SYSBUS_TRACKED_MAX 4096U

struct ManagerSysBus {
        Manager *manager;
        Bus *bus;
        char **subscribed;     /* unique names that called Subscribe() */
        char **refs;           /* "UNIQUE\nUNIT" pairs of AddRef=yes */
        EventSource *retry_source;
        unsigned retries_left;
};

static ManagerSysBus *sysbus_get(Manager *m, bool create) {
        ManagerSysBus **p = manager_bus_sysbus(m);

        if (!p)
                return NULL;
        if (!*p && create) {
                *p = new0(ManagerSysBus, 1);
                if (*p)
                        (*p)->manager = m;
        }
        return *p;
}

Bus *manager_sysbus_get(Manager *m) {
        ManagerSysBus *s = sysbus_get(m, false);

        return s && s->bus && bus_is_open(s->bus) ? s->bus : NULL;
}

Bus *manager_sysbus_signal_bus(Manager *m) {
        ManagerSysBus *s = sysbus_get(m, false);

        return s && !strv_isempty(s->subscribed) ? manager_sysbus_get(m) : NULL;
}

/* ---- tracking of clients ---- */

static void drop_refs_of(ManagerSysBus *s, const char *name) {
        size_t n = strlen(name);

        for (size_t i = 0; s->refs && s->refs[i];) {
                char *e = s->refs[i];
                if (strncmp(e, name, n) == 0 && e[n] == '\n') {
                        Unit *u = manager_get_unit(s->manager, e + n + 1);
                        if (u && u->ref_count_bus > 0 && --u->ref_count_bus == 0)
                                unit_add_to_gc_queue(u);
                        free(e);
                        memmove(s->refs + i, s->refs + i + 1, (strv_length(s->refs + i + 1) + 1) * sizeof(char *));
                } else
                        i++;
        }
}

static void forget_client(ManagerSysBus *s, const char *name) {
        if (strv_contains(s->subscribed, name)) {
                log_debug("D-Bus: %s went away, unsubscribing it.", name);
                strv_remove(s->subscribed, name);
        }
        drop_refs_of(s, name);
}

static void forget_all_clients(ManagerSysBus *s) {
        s->subscribed = strv_free(s->subscribed);
        while (!strv_isempty(s->refs)) {
                _cleanup_free_ char *name = strndup(s->refs[0], strcspn(s->refs[0], "\n"));
                if (!name) {
                        s->refs = strv_free(s->refs);
                        break;
                }
                drop_refs_of(s, name);
        }
        s->refs = strv_free(s->refs);
}

static int on_name_owner_changed(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        ManagerSysBus *s = userdata;
        const char *name, *old_owner, *new_owner;

        if (bus_message_read(message, "sss", &name, &old_owner, &new_owner) <= 0)
                return 0;
        if (name[0] == ':' && isempty(new_owner))
                forget_client(s, name);
        return 0;
}

int manager_sysbus_method_subscribe(Bus *bus, BusMessage *message, Manager *m, bool subscribe,
                                    BusError *error) {
        ManagerSysBus *s = sysbus_get(m, false);
        const char *sender = bus_message_get_string_field(message, BUS_FIELD_SENDER);
        int r;

        /* private connections get every signal anyway */
        if (!s || bus != s->bus || !sender)
                return bus_reply(bus, message, NULL);
        if (subscribe) {
                if (strv_contains(s->subscribed, sender))
                        return bus_error_setf(error, "org.freedesktop.systemd1.AlreadySubscribed",
                                              "Client is already subscribed.");
                if (strv_length(s->subscribed) >= SYSBUS_TRACKED_MAX)
                        return bus_error_setf(error, BUS_ERROR_LIMITS_EXCEEDED, "Too many subscribers.");
                r = strv_extend(&s->subscribed, sender);
                if (r < 0)
                        return r;
                log_debug("D-Bus: %s subscribed.", sender);
        } else {
                if (!strv_contains(s->subscribed, sender))
                        return bus_error_setf(error, "org.freedesktop.systemd1.NotSubscribed",
                                              "Client is not subscribed.");
                strv_remove(s->subscribed, sender);
        }
        return bus_reply(bus, message, NULL);
}

void manager_sysbus_add_unit_ref(Manager *m, BusMessage *message, Unit *u) {
        ManagerSysBus *s = sysbus_get(m, false);
        const char *sender = bus_message_get_string_field(message, BUS_FIELD_SENDER);
        _cleanup_free_ char *e = NULL;

        if (!s || !s->bus || !sender || strv_length(s->refs) >= SYSBUS_TRACKED_MAX)
                return;
        e = strjoin(sender, "\n", u->id);
        if (!e || strv_consume(&s->refs, TAKE_PTR(e)) < 0)
                return;
        u->ref_count_bus++;
}

/* ---- activation ---- */

static int on_activation_request(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        _cleanup_(bus_error_free) BusError e = {};
        ManagerSysBus *s = userdata;
        const char *name;
        int r;

        if (bus_message_read(message, "s", &name) <= 0)
                return 0;
        log_debug("D-Bus: activation request for %s.", name);
        r = manager_add_job_by_name(s->manager, JOB_START, name, JOB_REPLACE, NULL, &e, NULL);
        if (r >= 0)
                return 0;
        if (!bus_error_is_set(&e))
                (void) bus_error_set_errno(&e, r);
        log_debug("D-Bus: activation of %s failed: %s", name, e.message ?: strerror(-r));
        (void) bus_emit_signal_to(bus, "org.freedesktop.DBus", BUS_MANAGER_PATH,
                                  "org.freedesktop.systemd1.Activator", "ActivationFailure", "sss", name,
                                  e.name ?: BUS_ERROR_FAILED, e.message ?: "");
        return 0;
}

/* ---- the connection ---- */

static int on_request_name_reply(Bus *bus, BusMessage *reply, void *userdata, BusError *error) {
        uint32_t ret = 0;

        if (bus_error_is_set(error)) {
                log_warning("D-Bus: failed to request the name %s: %s", SYSBUS_NAME, error->message ?: error->name);
                return 0;
        }
        (void) bus_message_read(reply, "u", &ret);
        if (ret == 1 || ret == 4)
                log_debug("D-Bus: now %s on the system bus as %s.", SYSBUS_NAME, strna(bus_get_unique_name(bus)));
        else
                log_warning("D-Bus: %s is owned by someone else on the system bus (reply %u).", SYSBUS_NAME, ret);
        return 0;
}

static int on_retry(EventSource *source, usec_t usec, void *userdata);

static void on_disconnected(Bus *bus, void *userdata) {
        ManagerSysBus *s = userdata;

        log_info("D-Bus: lost the system bus connection.");
        forget_all_clients(s);
        s->bus = NULL;
        bus_unref(bus);
        /* a restarted bus daemon: reconnect once its socket is back */
        manager_sysbus_connect_soon(s->manager);
}

static const char *system_bus_address(void) {
        const char *e = getenv("DBUS_SYSTEM_BUS_ADDRESS");

        return !isempty(e) ? e : BUS_SYSTEM_BUS_DEFAULT_ADDRESS;
}

int manager_sysbus_try_connect(Manager *m) {
        ManagerSysBus *s = sysbus_get(m, true);
        _cleanup_(bus_message_unrefp) BusMessage *call = NULL;
        _cleanup_free_ char *path = NULL, *guid = NULL;
        const char *address = system_bus_address();
        Bus *b = NULL;
        int r;

        if (!s)
                return manager_bus_sysbus(m) ? -ENOMEM : 0;
        /* unit tests must never take the name on the host's bus */
        if (m->test_run)
                return -EPERM;
        if (s->bus && bus_is_open(s->bus))
                return 0;
        if (s->bus) { /* closed, but its disconnect handler has not run yet */
                bus_set_disconnected_handler(s->bus, NULL, NULL);
                forget_all_clients(s);
                s->bus = bus_unref(s->bus);
        }
        /* a plain unix path that does not exist yet: nothing to try */
        if (!strchr(address, ';') && bus_address_parse_unix(address, &path, &guid) >= 0 && path[0] != '@' &&
            access(path, F_OK) < 0)
                return -errno;

        r = bus_new_client(m->event, address, true, &b);
        if (r < 0)
                return log_debug_errno(r, "D-Bus: cannot connect to the system bus at %s: %m", address);
        r = manager_bus_register_objects(b, m, false);
        if (r >= 0)
                r = bus_add_match(b, NULL,
                                  "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                                  "interface='org.freedesktop.DBus',member='NameOwnerChanged'",
                                  on_name_owner_changed, s);
        if (r >= 0)
                r = bus_add_match(b, NULL,
                                  "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                                  "interface='org.freedesktop.systemd1.Activator',member='ActivationRequest'",
                                  on_activation_request, s);
        if (r >= 0)
                r = bus_message_new_method_call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                "org.freedesktop.DBus", "RequestName", &call);
        if (r >= 0)
                r = bus_message_append(call, "su", SYSBUS_NAME, SYSBUS_NAME_FLAGS);
        if (r >= 0)
                r = bus_call_async(b, NULL, call, on_request_name_reply, s, 0);
        if (r < 0) {
                bus_unref(b);
                return log_warning_errno(r, "D-Bus: failed to set up the system bus connection: %m");
        }
        bus_set_disconnected_handler(b, on_disconnected, s);
        s->bus = b;
        s->retry_source = event_source_disable_unref(s->retry_source);
        log_debug("D-Bus: connected to the system bus at %s.", address);
        return 1;
}

static int on_retry(EventSource *source, usec_t usec, void *userdata) {
        ManagerSysBus *s = userdata;
        int r;

        r = manager_sysbus_try_connect(s->manager);
        if (r >= 0 || s->retries_left == 0) {
                s->retry_source = event_source_disable_unref(s->retry_source);
                return 0;
        }
        s->retries_left--;
        if (event_source_set_time(source, usec + SYSBUS_RETRY_INTERVAL) >= 0)
                (void) event_source_set_enabled(source, EVENT_ONESHOT);
        return 0;
}

void manager_sysbus_connect_soon(Manager *m) {
        ManagerSysBus *s = sysbus_get(m, true);

        if (!s || manager_sysbus_try_connect(m) >= 0)
                return;
        s->retries_left = SYSBUS_RETRY_MAX;
        if (s->retry_source) {
                if (event_source_set_time(s->retry_source, now(CLOCK_MONOTONIC) + SYSBUS_RETRY_INTERVAL) >= 0)
                        (void) event_source_set_enabled(s->retry_source, EVENT_ONESHOT);
                return;
        }
        (void) event_add_time(m->event, &s->retry_source, CLOCK_MONOTONIC,
                              now(CLOCK_MONOTONIC) + SYSBUS_RETRY_INTERVAL, 10 * USEC_PER_MSEC, on_retry, s);
}

void manager_sysbus_unit_changed(Manager *m, Unit *u) {
        if (u->type != UNIT_SOCKET && u->type != UNIT_SERVICE)
                return;
        if (!unit_has_name(u, "dbus.socket") && !unit_has_name(u, "dbus.service"))
                return;
        if (unit_active_state(u) != UNIT_ACTIVE || manager_sysbus_get(m))
                return;
        manager_sysbus_connect_soon(m);
}

void manager_sysbus_free(ManagerSysBus *s) {
        if (!s)
                return;
        if (s->bus) {
                bus_set_disconnected_handler(s->bus, NULL, NULL);
                bus_unref(s->bus);
        }
        s->retry_source = event_source_disable_unref(s->retry_source);
        strv_free(s->subscribed);
        strv_free(s->refs);
        free(s);
}
