/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-driver.c: the methods of org.freedesktop.DBus (bus-driver.h). Each handler either sends
 * its reply and returns 0, or fills the BusError and returns a negative errno; the dispatcher
 * then sends the error. Name queue semantics live in bus-registry.c.
 */

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "bus-activation.h"
#include "bus-broker.h"
#include "bus-driver.h"
#include "bus/bus-message-args.h"
#include "bus/bus-names.h"
#include "fd-util.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"

typedef int (*DriverHandler)(Broker *b, BusConn *c, BusMessage *m, BusError *error);

static const char *conn_name(const BusConn *c) {
        return c->unique_name ?: "(inactive)";
}

static int reply_with(Broker *b, BusConn *c, BusMessage *call, const char *types, ...) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        va_list ap;
        int r;

        r = bus_message_new_method_return(call, &reply);
        if (r < 0)
                return r;
        if (types) {
                va_start(ap, types);
                r = bus_message_appendv(reply, types, ap);
                va_end(ap);
                if (r < 0)
                        return r;
        }
        return broker_send_from_driver(b, c, reply);
}

static int read_name_arg(BusMessage *m, const char **ret) {
        bus_message_rewind(m);
        return bus_message_read(m, "s", ret) > 0 ? 0 : -EBADMSG;
}

/* ---- org.freedesktop.DBus ---- */

static int method_hello(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        int r;

        if (bus_conn_is_active(c))
                return bus_error_set(error, BUS_ERROR_FAILED, "Already handled an Hello message");
        if (b->n_active >= (unsigned long) b->limits.max_completed_connections)
                return bus_error_set(error, BUS_ERROR_LIMITS_EXCEEDED,
                                     "The maximum number of active connections has been reached");
        if (c->uid != UID_INVALID) {
                unsigned long n = 0;
                BusConn *i;

                LIST_FOREACH(conns, i, b->conns)
                        if (bus_conn_is_active(i) && i->uid == c->uid)
                                n++;
                if (n >= (unsigned long) b->limits.max_connections_per_user)
                        return bus_error_setf(error, BUS_ERROR_LIMITS_EXCEEDED,
                                              "The maximum number of active connections for UID %lu has been reached",
                                              (unsigned long) c->uid);
        }
        r = bus_conn_set_id(c, b->next_id);
        if (r < 0)
                return bus_error_set_errno(error, r);
        b->next_id++;
        b->n_active++;
        c->auth_timer = event_source_disable_unref(c->auth_timer);
        /* the reply first, then NameOwnerChanged and NameAcquired for the unique name */
        r = reply_with(b, c, m, "s", c->unique_name);
        if (r < 0 && r != -ENOTCONN && r != -ENOBUFS)
                return bus_error_set_errno(error, r);
        r = bus_registry_request(b->registry, &c->names, c->unique_name, 0);
        return r < 0 ? bus_error_set_errno(error, r) : 0;
}

static int method_request_name(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;
        uint32_t flags;
        int r;

        bus_message_rewind(m);
        if (bus_message_read(m, "su", &name, &flags) <= 0)
                return bus_error_set_errno(error, -EBADMSG);
        if (!bus_name_is_valid(name))
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                      "Requested bus name \"%s\" is not valid", name);
        if (name[0] == ':')
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                      "Cannot acquire a service starting with ':' such as \"%s\"", name);
        if (streq(name, BUS_DRIVER_NAME))
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                      "Connection \"%s\" is not allowed to own the service \"%s\"because "
                                      "it is reserved for D-Bus' use only", conn_name(c), name);
        if (!broker_policy_allow_own(b, c, name))
                return bus_error_setf(error, BUS_ERROR_ACCESS_DENIED,
                                      "Connection \"%s\" is not allowed to own the service \"%s\" due "
                                      "to security policies in the configuration file", conn_name(c), name);
        /* the unique name counts, as in dbus-daemon */
        if (bus_name_holder_count(&c->names) >= (unsigned long) b->limits.max_names_per_connection)
                return bus_error_setf(error, BUS_ERROR_LIMITS_EXCEEDED,
                                      "Connection \"%s\" is not allowed to own more services "
                                      "(increase limits in configuration file if required; "
                                      "max_names_per_connection=%ld)", conn_name(c),
                                      b->limits.max_names_per_connection);
        r = bus_registry_request(b->registry, &c->names, name, flags);
        if (r < 0)
                return bus_error_set_errno(error, r);
        broker_update_peaks(b, c);
        /* messages waiting for the name go out before the reply */
        if (r == BUS_REQUEST_NAME_PRIMARY_OWNER)
                bus_activation_name_owned(b->activation, name, c);
        return reply_with(b, c, m, "u", (uint32_t) r);
}

static int method_release_name(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;
        int r;

        if (read_name_arg(m, &name) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        if (!bus_name_is_valid(name))
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Given bus name \"%s\" is not valid", name);
        if (name[0] == ':')
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                      "Cannot release a service starting with ':' such as \"%s\"", name);
        if (streq(name, BUS_DRIVER_NAME))
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                      "Cannot release the %s service because it is owned by the bus",
                                      BUS_DRIVER_NAME);
        r = bus_registry_release(b->registry, &c->names, name);
        return reply_with(b, c, m, "u", (uint32_t) r);
}

static int method_start_service_by_name(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;

        if (read_name_arg(m, &name) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        if (!bus_name_is_valid(name) || name[0] == ':')
                return bus_error_setf(error, BUS_ERROR_SERVICE_UNKNOWN,
                                      "The name %s was not provided by any .service files", name);
        if (streq(name, BUS_DRIVER_NAME) || broker_find_owner(b, name))
                return reply_with(b, c, m, "u", (uint32_t) 2); /* ALREADY_RUNNING */
        return bus_activation_activate(b->activation, c, m, name, false, error);
}

static int method_update_activation_environment(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        int r;

        r = bus_activation_update_environment(b->activation, m, error);
        if (r < 0)
                return r;
        return reply_with(b, c, m, NULL);
}

static int method_name_has_owner(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;

        if (read_name_arg(m, &name) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        return reply_with(b, c, m, "b", (int) (streq(name, BUS_DRIVER_NAME) || broker_find_owner(b, name)));
}

/* The bus's own name, then the names in the registry or (activatable) the service files. */
static int reply_name_list(Broker *b, BusConn *c, BusMessage *m, bool activatable, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        Iterator i = ITERATOR_FIRST;
        const char *name;
        int r;

        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "s");
        if (r >= 0)
                r = bus_message_append_basic(reply, 's', BUS_DRIVER_NAME);
        while (r >= 0 && (activatable ? bus_activation_iterate(b->activation, &i, &name)
                                      : bus_registry_iterate(b->registry, &i, &name)))
                r = bus_message_append_basic(reply, 's', name);
        if (r >= 0)
                r = bus_message_close_container(reply);
        if (r < 0)
                return bus_error_set_errno(error, r);
        return broker_send_from_driver(b, c, reply);
}

static int method_list_names(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        return reply_name_list(b, c, m, false, error);
}

static int method_list_activatable_names(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        return reply_name_list(b, c, m, true, error);
}

static int match_error(BusError *error, int r, const char *text) {
        if (r == -EINVAL)
                return bus_error_set(error, BUS_ERROR_MATCH_RULE_INVALID, text);
        if (r == -E2BIG)
                return bus_error_set(error, BUS_ERROR_LIMITS_EXCEEDED, text);
        return bus_error_set_errno(error, r);
}

/* dbus-daemon's bus_driver_check_caller_is_privileged(): the bus's own user or root. */
static int check_privileged(BusConn *c, BusMessage *m, BusError *error) {
        const char *method = bus_message_get_string_field(m, BUS_FIELD_MEMBER);

        if (c->uid != UID_INVALID && (c->uid == geteuid() || c->uid == 0))
                return 0;
        if (c->uid == UID_INVALID)
                (void) bus_error_setf(error, BUS_ERROR_ACCESS_DENIED,
                                      "rejected attempt to call %s by connection %s (%s) with unknown uid",
                                      method, conn_name(c), c->loginfo ?: "");
        else
                (void) bus_error_setf(error, BUS_ERROR_ACCESS_DENIED,
                                      "rejected attempt to call %s by connection %s (%s) with uid %lu",
                                      method, conn_name(c), c->loginfo ?: "", (unsigned long) c->uid);
        log_notice("%s", error->message);
        return -EPERM;
}

static int method_add_match(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_match_rule_freep) BusMatchRule *rule = NULL;
        _cleanup_free_ char *text = NULL;
        const char *s;
        int r;

        /* the limit first, as dbus-daemon: a connection at its limit gets LimitsExceeded even for
         * a rule that does not parse */
        if (bus_match_owner_count(&c->matches) >= (unsigned long) b->limits.max_match_rules_per_connection) {
                (void) bus_error_setf(error, BUS_ERROR_LIMITS_EXCEEDED,
                                      "Connection \"%s\" is not allowed to add more match rules "
                                      "(increase limits in configuration file if required; "
                                      "max_match_rules_per_connection=%ld)", conn_name(c),
                                      b->limits.max_match_rules_per_connection);
                log_warning("%s", error->message);
                return -E2BIG;
        }
        if (read_name_arg(m, &s) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        r = bus_match_rule_parse(s, &rule, &text);
        if (r < 0)
                return match_error(error, r, text);
        if (bus_match_rule_get_eavesdrop(rule)) {
                r = check_privileged(c, m, error);
                if (r < 0)
                        return r;
        }
        r = bus_match_set_add(b->matches, rule, &c->matches, NULL, NULL);
        if (r < 0)
                return bus_error_set_errno(error, r);
        TAKE_PTR(rule);
        broker_update_peaks(b, c);
        return reply_with(b, c, m, NULL);
}

static int method_remove_match(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_match_rule_freep) BusMatchRule *rule = NULL;
        _cleanup_free_ char *text = NULL;
        BusMatchEntry *e;
        const char *s;
        int r;

        if (read_name_arg(m, &s) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        r = bus_match_rule_parse(s, &rule, &text);
        if (r < 0)
                return match_error(error, r, text);
        e = bus_match_set_find(b->matches, &c->matches, rule);
        if (!e)
                return bus_error_set(error, BUS_ERROR_MATCH_RULE_NOT_FOUND,
                                     "The given match rule wasn't found and can't be removed");
        bus_match_entry_free(e);
        return reply_with(b, c, m, NULL);
}

static int method_get_name_owner(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;
        BusConn *o;

        if (read_name_arg(m, &name) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        if (streq(name, BUS_DRIVER_NAME))
                return reply_with(b, c, m, "s", BUS_DRIVER_NAME);
        o = broker_find_owner(b, name);
        if (!o)
                return bus_error_setf(error, BUS_ERROR_NAME_HAS_NO_OWNER,
                                      "Could not get owner of name '%s': no such name", name);
        return reply_with(b, c, m, "s", o->unique_name);
}

static int method_list_queued_owners(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        BusNameHolder *const *queue;
        const char *name;
        int n, r;

        if (read_name_arg(m, &name) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        if (streq(name, BUS_DRIVER_NAME))
                return reply_with(b, c, m, "as", 1U, BUS_DRIVER_NAME);
        n = bus_registry_get_queue(b->registry, name, &queue);
        if (n < 0)
                return bus_error_setf(error, BUS_ERROR_NAME_HAS_NO_OWNER,
                                      "Could not get owners of name '%s': no such name", name);
        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "s");
        for (int i = 0; r >= 0 && i < n; i++)
                r = bus_message_append_basic(reply, 's', bus_conn_from_holder(queue[i])->unique_name);
        if (r >= 0)
                r = bus_message_close_container(reply);
        if (r < 0)
                return bus_error_set_errno(error, r);
        return broker_send_from_driver(b, c, reply);
}

/* dbus-daemon's bus_driver_get_conn_helper(): the peer a credentials query names. Returns 1
 * for a peer (*ret set), 0 for the bus itself, or the error. */
static int get_conn_arg(Broker *b, BusMessage *m, const char *what, BusError *error,
                        const char **ret_name, BusConn **ret) {
        const char *name;

        if (read_name_arg(m, &name) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        *ret_name = name;
        if (streq(name, BUS_DRIVER_NAME))
                return 0;
        *ret = broker_find_owner(b, name);
        if (!*ret)
                return bus_error_setf(error, BUS_ERROR_NAME_HAS_NO_OWNER,
                                      "Could not get %s of name '%s': no such name", what, name);
        return 1;
}

static int method_get_unix_user(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;
        BusConn *p = NULL;
        uid_t uid;
        int r;

        r = get_conn_arg(b, m, "UID", error, &name, &p);
        if (r < 0)
                return r;
        uid = p ? p->uid : geteuid();
        if (uid == UID_INVALID)
                return bus_error_setf(error, BUS_ERROR_FAILED, "Could not determine UID for '%s'", name);
        return reply_with(b, c, m, "u", (uint32_t) uid);
}

static int method_get_unix_process_id(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;
        BusConn *p = NULL;
        pid_t pid = getpid();
        int r;

        r = get_conn_arg(b, m, "PID", error, &name, &p);
        if (r < 0)
                return r;
        if (p && (bus_transport_get_peer_creds(p->transport, &pid, NULL, NULL) < 0 || pid <= 0))
                return bus_error_setf(error, BUS_ERROR_UNIX_PROCESS_ID_UNKNOWN,
                                      "Could not determine PID for '%s'", name);
        return reply_with(b, c, m, "u", (uint32_t) pid);
}

static int method_get_adt_audit_session_data(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;
        BusConn *p = NULL;
        int r;

        (void) c;
        r = get_conn_arg(b, m, "audit session data", error, &name, &p);
        if (r < 0)
                return r;
        return bus_error_setf(error, "org.freedesktop.DBus.Error.AdtAuditDataUnknown",
                              "Could not determine audit session data for '%s'", name);
}

static int method_get_selinux_context(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *name;
        BusConn *p = NULL;
        int r;

        (void) c;
        r = get_conn_arg(b, m, "security context", error, &name, &p);
        if (r < 0)
                return r;
        /* SELinux support is not built in: dbus-daemon then knows no context either */
        return bus_error_setf(error, BUS_ERROR_SELINUX_SECURITY_CONTEXT_UNKNOWN,
                              "Could not determine security context for '%s'", name);
}

/* One "key": <array of basic type t> entry of an a{sv}. */
static int append_array_entry(BusMessage *m, const char *key, char t, const void *items, size_t n,
                              size_t item_size) {
        char vsig[3] = { 'a', t, 0 }, esig[2] = { t, 0 };
        int r;

        r = bus_message_open_container(m, '{', "sv");
        if (r >= 0)
                r = bus_message_append_basic(m, 's', key);
        if (r >= 0)
                r = bus_message_open_container(m, 'v', vsig);
        if (r >= 0)
                r = bus_message_open_container(m, 'a', esig);
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = bus_message_append_basic(m, t, (const uint8_t *) items + i * item_size);
        for (int k = 0; r >= 0 && k < 3; k++)
                r = bus_message_close_container(m);
        return r;
}

/* ProcessID, UnixUserID, UnixGroupIDs, LinuxSecurityLabel (with its NUL, as dbus-daemon),
 * each only when known; p NULL: the bus itself (pid and uid). */
static int append_credentials(BusMessage *reply, BusConn *p) {
        const gid_t *gids = NULL;
        const char *label = NULL;
        size_t n_gids = 0;
        pid_t pid = p ? p->pid : getpid();
        uid_t uid = p ? p->uid : geteuid();
        int r;

        r = bus_message_open_container(reply, 'a', "{sv}");
        if (r >= 0 && pid > 0)
                r = bus_message_append(reply, "{sv}", "ProcessID", "u", (uint32_t) pid);
        if (r >= 0 && uid != UID_INVALID)
                r = bus_message_append(reply, "{sv}", "UnixUserID", "u", (uint32_t) uid);
        if (p) {
                gids = p->gids;
                n_gids = p->n_gids;
        }
        if (r >= 0 && p && gids) {
                _cleanup_free_ uint32_t *g = new(uint32_t, n_gids ?: 1);

                if (!g)
                        return -ENOMEM;
                for (size_t i = 0; i < n_gids; i++)
                        g[i] = (uint32_t) gids[i];
                r = append_array_entry(reply, "UnixGroupIDs", 'u', g, n_gids, sizeof(uint32_t));
        }
        if (r >= 0 && p && bus_transport_get_peer_label(p->transport, &label) >= 0 && label)
                r = append_array_entry(reply, "LinuxSecurityLabel", 'y', label, strlen(label) + 1, 1);
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r;
}

static int method_get_connection_credentials(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        const char *name;
        BusConn *p = NULL;
        int r;

        r = get_conn_arg(b, m, "credentials", error, &name, &p);
        if (r < 0)
                return r;
        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = append_credentials(reply, p);
        if (r < 0)
                return bus_error_set_errno(error, r);
        return broker_send_from_driver(b, c, reply);
}

static int method_reload_config(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        int r;

        r = broker_reload_config(b, error);
        if (r < 0)
                return r;
        return reply_with(b, c, m, NULL);
}

static int method_get_id(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        (void) error;
        return reply_with(b, c, m, "s", b->guid);
}

/* ---- properties ---- */

static const char *const features[] = { "ActivatableServicesChanged", "HeaderFiltering" };
static const char *const interfaces[] = { "org.freedesktop.DBus.Monitoring",
                                          "org.freedesktop.DBus.Debug.Stats" };

static int append_property(Broker *b, BusMessage *m, const char *prop) {
        bool is_features = streq(prop, "Features");
        const char *const *l = is_features ? features : interfaces;
        size_t n = is_features ? ELEMENTSOF(features) : ELEMENTSOF(interfaces);
        int r;

        r = bus_message_open_container(m, 'v', "as");
        if (r >= 0)
                r = bus_message_open_container(m, 'a', "s");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = bus_message_append_basic(m, 's', l[i]);
        if (r >= 0 && is_features && b->systemd_activation)
                r = bus_message_append_basic(m, 's', "SystemdActivation");
        if (r >= 0)
                r = bus_message_close_container(m);
        if (r >= 0)
                r = bus_message_close_container(m);
        return r;
}

static bool driver_interface_exists(const char *iface) {
        return STR_IN_SET(iface, BUS_DRIVER_INTERFACE, "org.freedesktop.DBus.Properties",
                          "org.freedesktop.DBus.Introspectable", "org.freedesktop.DBus.Monitoring",
                          "org.freedesktop.DBus.Debug.Stats", "org.freedesktop.DBus.Peer");
}

static int find_property(const char *iface, const char *prop, BusError *error) {
        if (!driver_interface_exists(iface))
                return bus_error_setf(error, BUS_ERROR_UNKNOWN_INTERFACE, "Interface \"%s\" not found", iface);
        if (!streq(iface, BUS_DRIVER_INTERFACE) || !STR_IN_SET(prop, "Features", "Interfaces"))
                return bus_error_setf(error, BUS_ERROR_UNKNOWN_PROPERTY, "Property \"%s.%s\" not found",
                                      iface, prop);
        return 0;
}

static int method_get(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        const char *iface, *prop;
        int r;

        bus_message_rewind(m);
        if (bus_message_read(m, "ss", &iface, &prop) <= 0)
                return bus_error_set_errno(error, -EBADMSG);
        r = find_property(iface, prop, error);
        if (r < 0)
                return r;
        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = append_property(b, reply, prop);
        if (r < 0)
                return bus_error_set_errno(error, r);
        return broker_send_from_driver(b, c, reply);
}

static int method_get_all(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        const char *iface, *prop;
        int r;

        if (read_name_arg(m, &iface) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        if (!driver_interface_exists(iface))
                return bus_error_setf(error, BUS_ERROR_UNKNOWN_INTERFACE, "Interface \"%s\" not found", iface);
        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "{sv}");
        FOREACH_STRING(prop, "Features", "Interfaces") {
                if (r < 0 || !streq(iface, BUS_DRIVER_INTERFACE))
                        break;
                r = bus_message_open_container(reply, '{', "sv");
                if (r >= 0)
                        r = bus_message_append_basic(reply, 's', prop);
                if (r >= 0)
                        r = append_property(b, reply, prop);
                if (r >= 0)
                        r = bus_message_close_container(reply);
        }
        if (r >= 0)
                r = bus_message_close_container(reply);
        if (r < 0)
                return bus_error_set_errno(error, r);
        return broker_send_from_driver(b, c, reply);
}

static int method_set(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *iface, *prop;
        int r;

        (void) b;
        (void) c;
        bus_message_rewind(m);
        if (bus_message_read(m, "ss", &iface, &prop) <= 0)
                return bus_error_set_errno(error, -EBADMSG);
        r = find_property(iface, prop, error);
        if (r < 0)
                return r;
        return bus_error_setf(error, BUS_ERROR_PROPERTY_READ_ONLY, "Property '%s.%s' cannot be set", iface, prop);
}

/* ---- Introspectable, Peer, and what is not there yet ---- */

static int method_introspect(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_free_ char *xml = bus_driver_introspect(bus_message_get_string_field(m, BUS_FIELD_PATH));

        if (!xml)
                return bus_error_set_errno(error, -ENOMEM);
        return reply_with(b, c, m, "s", xml);
}

int bus_driver_read_machine_id(char ret[static 33]) {
        const char *path;

        FOREACH_STRING(path, "/var/lib/dbus/machine-id", "/etc/machine-id") {
                _cleanup_free_ char *s = NULL;

                if (read_full_file(path, 4096, &s, NULL) < 0)
                        continue;
                strstrip(s);
                if (strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32) {
                        memcpy(ret, s, 33);
                        return 0;
                }
        }
        return -ENOENT;
}

static int method_get_machine_id(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        char id[33];

        if (bus_driver_read_machine_id(id) < 0)
                return bus_error_set(error, BUS_ERROR_FAILED, "Failed to read the machine ID");
        return reply_with(b, c, m, "s", id);
}

static int method_ping(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        (void) error;
        return reply_with(b, c, m, NULL);
}

static int method_get_all_match_rules(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        BusConn *i;
        int r;

        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "{sas}");
        LIST_FOREACH(conns, i, b->conns) {
                if (r < 0)
                        break;
                if (!bus_conn_is_active(i))
                        continue;
                r = bus_message_open_container(reply, '{', "sas");
                if (r >= 0)
                        r = bus_message_append_basic(reply, 's', i->unique_name);
                if (r >= 0)
                        r = bus_message_open_container(reply, 'a', "s");
                for (BusMatchEntry *e = bus_match_owner_first(&i->matches); r >= 0 && e;
                     e = bus_match_entry_next(e)) {
                        _cleanup_free_ char *s = bus_match_rule_to_string(bus_match_entry_get_rule(e));

                        r = s ? bus_message_append_basic(reply, 's', s) : -ENOMEM;
                }
                if (r >= 0)
                        r = bus_message_close_container(reply);
                if (r >= 0)
                        r = bus_message_close_container(reply);
        }
        if (r >= 0)
                r = bus_message_close_container(reply);
        if (r < 0)
                return bus_error_set_errno(error, r);
        return broker_send_from_driver(b, c, reply);
}

/* ---- Monitoring ---- */

static int method_become_monitor(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_strv_free_ char **texts = NULL;
        BusMatchRule **rules = NULL;
        size_t n = 0;
        uint32_t flags;
        int r;

        bus_message_rewind(m);
        if (bus_message_read_strv(m, &texts) < 0 || bus_message_read(m, "u", &flags) <= 0)
                return bus_error_set_errno(error, -EBADMSG);
        if (flags != 0)
                return bus_error_set(error, BUS_ERROR_INVALID_ARGS, "BecomeMonitor does not support any flags yet");
        if (strv_isempty(texts) && strv_extend(&texts, "") < 0)
                return bus_error_set_errno(error, -ENOMEM);
        rules = new0(BusMatchRule *, strv_length(texts));
        if (!rules)
                return bus_error_set_errno(error, -ENOMEM);
        STRV_FOREACH(t, texts) {
                _cleanup_free_ char *text = NULL;

                r = bus_match_rule_parse(*t, &rules[n], &text);
                if (r < 0) {
                        (void) match_error(error, r, text);
                        goto fail;
                }
                n++;
        }
        /* the ack goes out first: a monitor receives nothing addressed to it later */
        r = reply_with(b, c, m, NULL);
        if (r < 0 && r != -ENOTCONN)
                goto fail;
        r = broker_make_monitor(b, c, rules, n);
        free(rules);
        return r < 0 ? bus_error_set_errno(error, r) : 0;
fail:
        for (size_t i = 0; i < n; i++)
                bus_match_rule_free(rules[i]);
        free(rules);
        return r < 0 ? r : -EINVAL;
}

/* ---- Debug.Stats ---- */

static int append_u(BusMessage *m, const char *key, uint64_t v) {
        return bus_message_append(m, "{sv}", key, "u", (uint32_t) MIN(v, (uint64_t) UINT32_MAX));
}

static int method_get_stats(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        int r;

        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "{sv}");
        if (r >= 0)
                r = append_u(reply, "Serial", b->serial);
        if (r >= 0)
                r = append_u(reply, "ListMemPoolUsedBytes", 0);
        if (r >= 0)
                r = append_u(reply, "ListMemPoolCachedBytes", 0);
        if (r >= 0)
                r = append_u(reply, "ListMemPoolAllocatedBytes", 0);
        if (r >= 0)
                r = append_u(reply, "ActiveConnections", b->n_active);
        if (r >= 0)
                r = append_u(reply, "IncompleteConnections", b->n_conns - b->n_active);
        if (r >= 0)
                r = append_u(reply, "MatchRules", bus_match_set_size(b->matches));
        if (r >= 0)
                r = append_u(reply, "PeakMatchRules", b->peak_matches);
        if (r >= 0)
                r = append_u(reply, "PeakMatchRulesPerConnection", b->peak_matches_per_conn);
        if (r >= 0)
                r = append_u(reply, "BusNames", bus_registry_size(b->registry));
        if (r >= 0)
                r = append_u(reply, "PeakBusNames", b->peak_names);
        if (r >= 0)
                r = append_u(reply, "PeakBusNamesPerConnection", b->peak_names_per_conn);
        if (r >= 0)
                r = bus_message_close_container(reply);
        if (r < 0)
                return bus_error_set_errno(error, r);
        return broker_send_from_driver(b, c, reply);
}

static int method_get_connection_stats(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        const char *name;
        BusConn *p;
        int r;

        if (read_name_arg(m, &name) < 0)
                return bus_error_set_errno(error, -EBADMSG);
        if (streq(name, BUS_DRIVER_NAME))
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                      "GetConnectionStats is not meaningful for the message bus \"%s\" itself",
                                      BUS_DRIVER_NAME);
        p = broker_find_owner(b, name);
        if (!p)
                return bus_error_setf(error, BUS_ERROR_NAME_HAS_NO_OWNER,
                                      "Could not get owner of name '%s': no such name", name);
        r = bus_message_new_method_return(m, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "{sv}");
        if (r >= 0)
                r = append_u(reply, "Serial", b->serial);
        if (r >= 0)
                r = append_u(reply, "MatchRules", bus_match_owner_count(&p->matches));
        if (r >= 0)
                r = append_u(reply, "PeakMatchRules", p->stats.peak_matches);
        if (r >= 0)
                r = append_u(reply, "BusNames", bus_name_holder_count(&p->names) - 1);
        if (r >= 0)
                r = append_u(reply, "PeakBusNames", p->stats.peak_names ? p->stats.peak_names - 1 : 0);
        if (r >= 0)
                r = bus_message_append(reply, "{sv}", "UniqueName", "s", p->unique_name);
        if (r >= 0)
                r = append_u(reply, "IncomingMessages", 0);
        if (r >= 0)
                r = append_u(reply, "IncomingBytes", 0);
        if (r >= 0)
                r = append_u(reply, "IncomingFDs", 0);
        if (r >= 0)
                r = append_u(reply, "PeakIncomingBytes", 0);
        if (r >= 0)
                r = append_u(reply, "PeakIncomingFDs", 0);
        if (r >= 0)
                r = append_u(reply, "OutgoingMessages", bus_transport_get_outgoing_bytes(p->transport) ? 1 : 0);
        if (r >= 0)
                r = append_u(reply, "OutgoingBytes", bus_transport_get_outgoing_bytes(p->transport));
        if (r >= 0)
                r = append_u(reply, "OutgoingFDs", bus_transport_get_outgoing_fds(p->transport));
        if (r >= 0)
                r = append_u(reply, "PeakOutgoingBytes", p->stats.peak_out_bytes);
        if (r >= 0)
                r = append_u(reply, "PeakOutgoingFDs", p->stats.peak_out_fds);
        if (r >= 0)
                r = bus_message_close_container(reply);
        if (r < 0)
                return bus_error_set_errno(error, r);
        return broker_send_from_driver(b, c, reply);
}

/* ---- dispatch ---- */

typedef struct DriverMethod {
        const char *member, *in;
        bool any_path;
        DriverHandler handler;
        bool privileged; /* only the bus's own user and root */
} DriverMethod;

typedef struct DriverInterface {
        const char *name;
        bool any_path;
        const DriverMethod *methods;
} DriverInterface;

static const DriverMethod dbus_methods[] = {
        { "Hello", "", true, method_hello },
        { "RequestName", "su", true, method_request_name },
        { "ReleaseName", "s", true, method_release_name },
        { "StartServiceByName", "su", true, method_start_service_by_name },
        { "UpdateActivationEnvironment", "a{ss}", false, method_update_activation_environment, true },
        { "NameHasOwner", "s", true, method_name_has_owner },
        { "ListNames", "", true, method_list_names },
        { "ListActivatableNames", "", true, method_list_activatable_names },
        { "AddMatch", "s", true, method_add_match },
        { "RemoveMatch", "s", true, method_remove_match },
        { "GetNameOwner", "s", true, method_get_name_owner },
        { "ListQueuedOwners", "s", true, method_list_queued_owners },
        { "GetConnectionUnixUser", "s", true, method_get_unix_user },
        { "GetConnectionUnixProcessID", "s", true, method_get_unix_process_id },
        { "GetAdtAuditSessionData", "s", true, method_get_adt_audit_session_data },
        { "GetConnectionSELinuxSecurityContext", "s", true, method_get_selinux_context },
        { "ReloadConfig", "", true, method_reload_config },
        { "GetId", "", true, method_get_id },
        { "GetConnectionCredentials", "s", true, method_get_connection_credentials },
        {}
};

static const DriverMethod properties_methods[] = {
        { "Get", "ss", false, method_get },
        { "GetAll", "s", false, method_get_all },
        { "Set", "ssv", false, method_set },
        {}
};

static const DriverMethod introspectable_methods[] = {
        { "Introspect", "", true, method_introspect },
        {}
};

static const DriverMethod monitoring_methods[] = {
        { "BecomeMonitor", "asu", false, method_become_monitor, true },
        {}
};

static const DriverMethod stats_methods[] = {
        { "GetStats", "", false, method_get_stats },
        { "GetConnectionStats", "s", false, method_get_connection_stats },
        { "GetAllMatchRules", "", false, method_get_all_match_rules },
        {}
};

static const DriverMethod peer_methods[] = {
        { "GetMachineId", "", true, method_get_machine_id },
        { "Ping", "", true, method_ping },
        {}
};

/* dbus-daemon's order, which decides what a call without INTERFACE reaches */
static const DriverInterface driver_interfaces[] = {
        { BUS_DRIVER_INTERFACE, true, dbus_methods },
        { "org.freedesktop.DBus.Properties", false, properties_methods },
        { "org.freedesktop.DBus.Introspectable", true, introspectable_methods },
        { "org.freedesktop.DBus.Monitoring", false, monitoring_methods },
        { "org.freedesktop.DBus.Debug.Stats", false, stats_methods },
        { "org.freedesktop.DBus.Peer", true, peer_methods },
};

static int driver_call(Broker *b, BusConn *c, BusMessage *m, BusError *error) {
        const char *iface = bus_message_get_string_field(m, BUS_FIELD_INTERFACE);
        const char *member = bus_message_get_string_field(m, BUS_FIELD_MEMBER);
        const char *sig = bus_message_get_string_field(m, BUS_FIELD_SIGNATURE) ?: "";
        bool canonical = streq_ptr(bus_message_get_string_field(m, BUS_FIELD_PATH), BUS_DRIVER_PATH);
        bool found_interface = false;

        for (size_t i = 0; i < ELEMENTSOF(driver_interfaces); i++) {
                const DriverInterface *di = driver_interfaces + i;

                if (!canonical && !di->any_path)
                        continue;
                if (iface && !streq(iface, di->name))
                        continue;
                found_interface = true;
                for (const DriverMethod *dm = di->methods; dm->member; dm++) {
                        if (!streq(dm->member, member))
                                continue;
                        if (!canonical && !dm->any_path)
                                return bus_error_setf(error, BUS_ERROR_ACCESS_DENIED,
                                                      "Method '%s' is only available at the canonical object path '%s'",
                                                      member, BUS_DRIVER_PATH);
                        if (!streq(sig, dm->in))
                                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                                      "Call to %s has wrong args (%s, expected %s)\n",
                                                      member, sig, dm->in);
                        if (dm->privileged) {
                                int r = check_privileged(c, m, error);

                                if (r < 0)
                                        return r;
                        }
                        return dm->handler(b, c, m, error);
                }
        }
        return bus_error_setf(error, found_interface ? BUS_ERROR_UNKNOWN_METHOD : BUS_ERROR_UNKNOWN_INTERFACE,
                              "%s does not understand message %s", BUS_DRIVER_NAME, member);
}

int bus_driver_handle(Broker *b, BusConn *c, BusMessage *m) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        int r;

        if (!bus_conn_is_active(c) && !bus_message_is_method_call(m, BUS_DRIVER_INTERFACE, "Hello")) {
                (void) bus_error_setf(&error, BUS_ERROR_ACCESS_DENIED,
                                      "Client tried to send a message other than %s without being registered",
                                      "Hello");
                return broker_reply_error(b, c, m, &error);
        }
        if (bus_message_get_type(m) != BUS_MESSAGE_METHOD_CALL)
                return 0; /* signals to the bus (ActivationFailure: with activation) are ignored */
        r = driver_call(b, c, m, &error);
        if (r >= 0 || r == -ENOTCONN)
                return 0;
        if (!bus_error_is_set(&error))
                (void) bus_error_set_errno(&error, r);
        return broker_reply_error(b, c, m, &error);
}
