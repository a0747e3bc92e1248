/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * manager-sysbus.c: the manager's connection to the system bus (manager-sysbus.h). One bus
 * client connection at most; it is set up without ever blocking the manager: the Hello, the
 * RequestName and the AddMatch calls are queued and their replies handled asynchronously.
 * Subscribers, AddRef holders and job clients are kept by unique name and dropped on
 * NameOwnerChanged (or all at once when the connection goes); they are part of the manager's
 * record in the state store, so that a new manager takes them over. Name watches live in a map
 * by name; their bus slots exist only while connected.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus-names.h"
#include "bus/bus-object.h"
#include "dbus-manager.h"
#include "hashmap.h"
#include "job.h"
#include "log.h"
#include "manager-bus.h"
#include "manager-store.h"
#include "manager-sysbus.h"
#include "manager.h"
#include "parse-util.h"
#include "serialize.h"
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
        char **job_clients;    /* "UNIQUE\nJOB-ID" pairs of jobs queued on the system bus */
        EventSource *retry_source;
        unsigned retries_left;
        Hashmap *watches;      /* well-known name → NameWatch (key: w->name) */
};

/* One unit's watch of one name. The slots exist while connected (the match, and the
 * GetNameOwner call until it is answered). */
typedef struct NameWatch {
        char *name;
        Unit *unit;
        ManagerSysBusNameHandler handler;
        BusSlot *match_slot;
        BusSlot *owner_slot;
        usec_t owner_asked;    /* when the GetNameOwner call was made */
} NameWatch;

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

/* Removes the "A\nB" entries of *l whose first (first = true) or second part is key. */
static void drop_pairs(char **l, const char *key, bool first) {
        size_t n = strlen(key);

        for (size_t i = 0; l && l[i];) {
                char *e = l[i], *nl = strchr(e, '\n');
                bool hit = nl && (first ? (size_t) (nl - e) == n && strncmp(e, key, n) == 0
                                        : streq(nl + 1, key));

                if (hit) {
                        free(e);
                        memmove(l + i, l + i + 1, (strv_length(l + i + 1) + 1) * sizeof(char *));
                } else
                        i++;
        }
}

/* The lists changed: the next commit of the state store has them. */
static void clients_changed(ManagerSysBus *s) {
        manager_store_mark_dirty(s->manager);
}

static void forget_client(ManagerSysBus *s, const char *name) {
        if (strv_contains(s->subscribed, name)) {
                log_debug("D-Bus: %s went away, unsubscribing it.", name);
                strv_remove(s->subscribed, name);
        }
        drop_refs_of(s, name);
        drop_pairs(s->job_clients, name, true);
        clients_changed(s);
}

static void forget_all_clients(ManagerSysBus *s) {
        clients_changed(s);
        s->subscribed = strv_free(s->subscribed);
        s->job_clients = strv_free(s->job_clients);
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
        clients_changed(s);
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
        clients_changed(s);
}

static bool job_has_client(ManagerSysBus *s, uint32_t id) {
        char key[16];

        snprintf(key, sizeof key, "\n%" PRIu32, id);
        STRV_FOREACH(e, s->job_clients)
                if (endswith(*e, key))
                        return true;
        return false;
}

void manager_sysbus_track_job(Manager *m, Bus *bus, BusMessage *message, Job *j) {
        ManagerSysBus *s = sysbus_get(m, false);
        const char *sender = bus_message_get_string_field(message, BUS_FIELD_SENDER);
        char *e = NULL;

        if (!s || !s->bus || bus != s->bus || !sender || strv_length(s->job_clients) >= SYSBUS_TRACKED_MAX)
                return;
        if (asprintf(&e, "%s\n%" PRIu32, sender, j->id) < 0)
                return;
        if (strv_contains(s->job_clients, e)) {
                free(e);
                return;
        }
        if (strv_consume(&s->job_clients, e) >= 0)
                clients_changed(s);
}

Bus *manager_sysbus_job_signal_bus(Manager *m, Job *j) {
        ManagerSysBus *s = sysbus_get(m, false);

        if (!s)
                return NULL;
        if (!strv_isempty(s->subscribed) || job_has_client(s, j->id))
                return manager_sysbus_get(m);
        return NULL;
}

void manager_sysbus_untrack_job(Manager *m, Job *j) {
        ManagerSysBus *s = sysbus_get(m, false);
        char id[16];

        if (!s || strv_isempty(s->job_clients))
                return;
        snprintf(id, sizeof id, "%" PRIu32, j->id);
        drop_pairs(s->job_clients, id, false);
        clients_changed(s);
}

/* ---- across a restart of the manager ---- */

/* "A\nB" entries as "KEY A B" items. */
static void serialize_pairs(Serializer *ser, const char *key, char **l) {
        STRV_FOREACH(e, l) {
                size_t n = strcspn(*e, "\n");

                if ((*e)[n])
                        ser_itemf(ser, key, "%.*s %s", (int) n, *e, *e + n + 1);
        }
}

void manager_sysbus_serialize(Manager *m, Serializer *ser) {
        ManagerSysBus *s = sysbus_get(m, false);

        /* read back but not applied yet (no connection since): kept for the next manager */
        STRV_FOREACH(l, m->sysbus_restored) {
                _cleanup_free_ char *key = strndup(*l, strcspn(*l, " "));

                if (key && (*l)[strlen(key)])
                        ser_item(ser, key, *l + strlen(key) + 1);
        }
        if (!s)
                return;
        STRV_FOREACH(n, s->subscribed)
                ser_item(ser, "bus-subscribed", *n);
        serialize_pairs(ser, "bus-ref", s->refs);
        serialize_pairs(ser, "bus-job-client", s->job_clients);
}

int manager_sysbus_deserialize_item(Manager *m, const char *key, const char *value) {
        _cleanup_free_ char *name = strndup(value, strcspn(value, " "));

        if (!name)
                return -ENOMEM;
        if (!STR_IN_SET(key, "bus-subscribed", "bus-ref", "bus-job-client") || !bus_unique_name_is_valid(name))
                return 0; /* unknown or malformed: dropped */
        return strv_consume(&m->sysbus_restored, strjoin(key, " ", value)) < 0 ? -ENOMEM : 0;
}

typedef struct ClientCheck {
        ManagerSysBus *sysbus;
        char name[];
} ClientCheck;

static int on_client_check_reply(Bus *bus, BusMessage *reply, void *userdata, BusError *error) {
        _cleanup_free_ ClientCheck *c = userdata;

        if (bus_error_has_name(error, BUS_ERROR_NAME_HAS_NO_OWNER) && bus_is_open(bus)) {
                log_debug("D-Bus: %s, a client of the manager before us, is gone.", c->name);
                forget_client(c->sysbus, c->name);
        }
        return 0;
}

/* Asks the bus whether name is still there (GetNameOwner of a unique name). */
static void check_client(ManagerSysBus *s, const char *name) {
        _cleanup_(bus_message_unrefp) BusMessage *call = NULL;
        ClientCheck *c = malloc(offsetof(ClientCheck, name) + strlen(name) + 1);
        int r;

        if (!c)
                return (void) log_oom();
        c->sysbus = s;
        strcpy(c->name, name);
        r = bus_message_new_method_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                        "GetNameOwner", &call);
        if (r >= 0)
                r = bus_message_append(call, "s", name);
        if (r >= 0)
                r = bus_call_async(s->bus, NULL, call, on_client_check_reply, c, 0);
        if (r < 0) {
                free(c);
                log_debug_errno(r, "D-Bus: cannot ask for %s, keeping it: %m", name);
        }
}

/* The clients of the manager before us, now that we are connected. */
static void restore_clients(ManagerSysBus *s) {
        Manager *m = s->manager;
        _cleanup_strv_free_ char **restored = TAKE_PTR(m->sysbus_restored), **names = NULL;

        STRV_FOREACH(l, restored) {
                _cleanup_free_ char *key = NULL, *name = NULL, *pair = NULL;
                const char *rest = *l, *arg;

                key = strndup(rest, strcspn(rest, " "));
                if (!key)
                        return (void) log_oom();
                rest += strlen(key);
                rest += strspn(rest, " ");
                name = strndup(rest, strcspn(rest, " "));
                if (!name)
                        return (void) log_oom();
                arg = rest + strlen(name);
                arg += strspn(arg, " ");
                if (streq(key, "bus-subscribed")) {
                        if (strv_extend_uniq(&s->subscribed, name) < 0)
                                return (void) log_oom();
                } else if (streq(key, "bus-ref")) {
                        Unit *u = manager_get_unit(m, arg);

                        if (!u || !(pair = strjoin(name, "\n", u->id)) || strv_consume(&s->refs, TAKE_PTR(pair)) < 0)
                                continue;
                        u->ref_count_bus++;
                } else if (streq(key, "bus-job-client")) {
                        uint32_t id;

                        if (safe_atou32(arg, &id) < 0 || !manager_get_job(m, id) ||
                            !(pair = strjoin(name, "\n", arg)) || strv_consume(&s->job_clients, TAKE_PTR(pair)) < 0)
                                continue;
                } else
                        continue;
                if (strv_extend_uniq(&names, name) < 0)
                        return (void) log_oom();
        }
        if (!strv_isempty(names))
                log_debug("D-Bus: %zu clients of the manager before us, asking the bus for them.", strv_length(names));
        STRV_FOREACH(n, names)
                check_client(s, *n);
        clients_changed(s);
}

/* ---- activation ---- */

/* The bus daemon's own unit is going away (252 refuses activations then). Unlike 252, a bus
 * not run by a unit of that name does not count as going away. */
static bool bus_unit_going_down(Manager *m, const char *name) {
        Unit *u = manager_get_unit(m, name);
        UnitActiveState st;

        if (!u || u->load_state != UNIT_LOADED)
                return false;
        st = unit_active_state(u);
        return IN_SET(st, UNIT_INACTIVE, UNIT_FAILED, UNIT_DEACTIVATING) ||
               (u->job && u->job->type == JOB_STOP);
}

static int activation_start(Manager *m, const char *name, BusError *e) {
        Unit *u = NULL;

        if (bus_unit_going_down(m, "dbus.service") || bus_unit_going_down(m, "dbus.socket"))
                return bus_error_set(e, "org.freedesktop.systemd1.ShuttingDown",
                                     "Refusing activation, D-Bus is shutting down.");
        if (manager_load_unit_for_client(m, name, &u) >= 0 && u && u->rt.refuse_manual_start)
                return bus_error_setf(e, "org.freedesktop.systemd1.OnlyByDependency",
                                      "Operation refused, %s may be requested by dependency only (it is configured to refuse manual start/stop).",
                                      u->id);
        return manager_add_job_by_name(m, JOB_START, name, JOB_REPLACE, NULL, e, NULL);
}

static int on_activation_request(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        _cleanup_(bus_error_free) BusError e = {};
        ManagerSysBus *s = userdata;
        const char *name;
        int r;

        if (bus_message_read(message, "s", &name) <= 0)
                return 0;
        log_debug("D-Bus: activation request for %s.", name);
        r = activation_start(s->manager, name, &e);
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

/* ---- name watches ---- */

static void watch_uninstall(NameWatch *w) {
        w->match_slot = bus_slot_unref(w->match_slot);
        w->owner_slot = bus_slot_unref(w->owner_slot);
}

static NameWatch *watch_free(NameWatch *w) {
        if (!w)
                return NULL;
        watch_uninstall(w);
        free(w->name);
        return mfree(w);
}

static void watch_report(NameWatch *w, const char *owner, usec_t since) {
        if (isempty(owner))
                owner = NULL;
        if (owner)
                log_unit_debug(w->unit, "D-Bus name %s now owned by %s", w->name, owner);
        else
                log_unit_debug(w->unit, "D-Bus name %s now not owned by anyone.", w->name);
        if (w->handler)
                w->handler(w->unit, owner, since);
}

static int on_watched_name_changed(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        NameWatch *w = userdata;
        const char *name, *old_owner, *new_owner;

        if (bus_message_read(message, "sss", &name, &old_owner, &new_owner) <= 0 || !streq(name, w->name))
                return 0;
        watch_report(w, new_owner, now(CLOCK_MONOTONIC));
        return 0;
}

static int on_get_name_owner_reply(Bus *bus, BusMessage *reply, void *userdata, BusError *error) {
        NameWatch *w = userdata;
        const char *owner = NULL;

        w->owner_slot = bus_slot_unref(w->owner_slot);
        if (bus_error_is_set(error)) {
                /* the connection went: the next one asks again */
                if (!bus_is_open(bus))
                        return 0;
                if (!bus_error_has_name(error, BUS_ERROR_NAME_HAS_NO_OWNER))
                        log_unit_error(w->unit, "Unexpected error response from GetNameOwner(): %s",
                                       error->message ?: error->name);
        } else if (bus_message_read(reply, "s", &owner) <= 0 || isempty(owner)) {
                log_unit_debug(w->unit, "D-Bus: bad GetNameOwner() reply for %s, ignoring.", w->name);
                return 0;
        }
        watch_report(w, owner, w->owner_asked);
        return 0;
}

/* The match first, then the question: a change between the two is seen either way. */
static int watch_install(NameWatch *w, Bus *bus) {
        _cleanup_(bus_message_unrefp) BusMessage *call = NULL;
        _cleanup_free_ char *rule = NULL;
        int r;

        if (w->match_slot || w->owner_slot)
                return 0;
        rule = strjoin("type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                       "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='", w->name, "'");
        if (!rule)
                return -ENOMEM;
        r = bus_add_match(bus, &w->match_slot, rule, on_watched_name_changed, w);
        if (r >= 0)
                r = bus_message_new_method_call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                "org.freedesktop.DBus", "GetNameOwner", &call);
        if (r >= 0)
                r = bus_message_append(call, "s", w->name);
        if (r >= 0)
                r = bus_call_async(bus, &w->owner_slot, call, on_get_name_owner_reply, w, 0);
        w->owner_asked = now(CLOCK_MONOTONIC);
        if (r < 0) {
                watch_uninstall(w);
                return log_unit_warning_errno(w->unit, r,
                                              "Failed to subscribe to NameOwnerChanged signal for '%s': %m",
                                              w->name);
        }
        log_unit_debug(w->unit, "Watching D-Bus name '%s'.", w->name);
        return 0;
}

static void install_all_watches(ManagerSysBus *s) {
        NameWatch *w;

        HASHMAP_FOREACH(w, s->watches)
                (void) watch_install(w, s->bus);
}

static void uninstall_all_watches(ManagerSysBus *s) {
        NameWatch *w;

        HASHMAP_FOREACH(w, s->watches)
                watch_uninstall(w);
}

int manager_sysbus_watch_name(Manager *m, Unit *u, const char *name, ManagerSysBusNameHandler handler) {
        ManagerSysBus *s;
        NameWatch *w;
        int r;

        if (!bus_well_known_name_is_valid(name))
                return -EINVAL;
        s = sysbus_get(m, true);
        if (!s)
                return manager_bus_sysbus(m) ? -ENOMEM : -EOPNOTSUPP;
        w = hashmap_get(s->watches, name);
        if (w) {
                if (w->unit != u)
                        return -EEXIST;
                w->handler = handler;
                return 0;
        }
        w = new0(NameWatch, 1);
        if (!w || !(w->name = strdup(name))) {
                free(w);
                return -ENOMEM;
        }
        w->unit = u;
        w->handler = handler;
        r = hashmap_ensure_put(&s->watches, &string_hash_ops, w->name, w);
        if (r < 0) {
                watch_free(w);
                return r;
        }
        if (manager_sysbus_get(m))
                (void) watch_install(w, s->bus);
        return 0;
}

void manager_sysbus_unwatch_name(Manager *m, Unit *u, const char *name) {
        ManagerSysBus *s = sysbus_get(m, false);
        NameWatch *w = s && name ? hashmap_get(s->watches, name) : NULL;

        if (!w || w->unit != u)
                return;
        (void) hashmap_remove(s->watches, name);
        watch_free(w);
}

void manager_sysbus_name_owner_changed(Manager *m, const char *name, const char *new_owner) {
        ManagerSysBus *s = sysbus_get(m, false);
        NameWatch *w = s && name ? hashmap_get(s->watches, name) : NULL;

        if (w)
                watch_report(w, new_owner, now(CLOCK_MONOTONIC));
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
        uninstall_all_watches(s);
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
                uninstall_all_watches(s);
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
        install_all_watches(s);
        restore_clients(s);
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
        NameWatch *w;

        if (!s)
                return;
        /* the units unwatch when they go, which may be later: they find no watch then */
        while ((w = hashmap_steal_first(s->watches)))
                watch_free(w);
        hashmap_free(s->watches);
        if (s->bus) {
                bus_set_disconnected_handler(s->bus, NULL, NULL);
                bus_unref(s->bus);
        }
        s->retry_source = event_source_disable_unref(s->retry_source);
        strv_free(s->subscribed);
        strv_free(s->refs);
        strv_free(s->job_clients);
        free(s);
}
