/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-broker.c: accepting connections, their life cycle, and routing (bus-broker.h). The
 * wording of every error a client can see is dbus-daemon's.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bus-activation.h"
#include "bus-broker.h"
#include "bus-driver.h"
#include "bus-userdb.h"
#include "bus/bus-message-args.h"
#include "fd-util.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "time-base.h"

#define LOCAL_PATH "/org/freedesktop/DBus/Local"
#define LOCAL_INTERFACE "org.freedesktop.DBus.Local"

static void broker_drop_connection(Broker *b, BusConn *c);

/* ---- registry notifications → driver signals ---- */

static int driver_signal_new(const char *member, BusMessage **ret) {
        return bus_message_new_signal(BUS_DRIVER_PATH, BUS_DRIVER_INTERFACE, member, ret);
}

static void on_owner_changed(const char *name, BusNameHolder *old_owner, BusNameHolder *new_owner,
                             void *userdata) {
        Broker *b = userdata;
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        BusConn *o = bus_conn_from_holder(old_owner), *n = bus_conn_from_holder(new_owner);

        if (driver_signal_new("NameOwnerChanged", &m) < 0 ||
            bus_message_append(m, "sss", name, o ? o->unique_name : "", n ? n->unique_name : "") < 0) {
                log_error("Failed to build NameOwnerChanged for %s: out of memory", name);
                return;
        }
        (void) broker_broadcast_from_driver(b, m);
}

static void send_name_signal(Broker *b, BusNameHolder *h, const char *member, const char *name) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;

        if (driver_signal_new(member, &m) < 0 || bus_message_append(m, "s", name) < 0) {
                log_error("Failed to build %s for %s: out of memory", member, name);
                return;
        }
        (void) broker_send_from_driver(b, bus_conn_from_holder(h), m);
}

static void on_acquired(BusNameHolder *h, const char *name, void *userdata) {
        send_name_signal(userdata, h, "NameAcquired", name);
}

static void on_lost(BusNameHolder *h, const char *name, void *userdata) {
        send_name_signal(userdata, h, "NameLost", name);
}

static const BusRegistryCallbacks registry_callbacks = {
        .owner_changed = on_owner_changed,
        .acquired = on_acquired,
        .lost = on_lost,
};

/* ---- life cycle ---- */

int broker_new(Event *e, Broker **ret) {
        _cleanup_(broker_freep) Broker *b = NULL;
        int r;

        assert(e);
        assert(ret);
        b = new0(Broker, 1);
        if (!b)
                return -ENOMEM;
        b->event = event_ref(e);
        b->next_id = 0; /* dbus-daemon names its first client ":1.0" */
        b->uid = geteuid();
        bus_replies_init(&b->replies);
        (void) bus_guid_new(b->guid);
        r = bus_registry_new(&registry_callbacks, b, &b->registry);
        if (r < 0)
                return r;
        r = bus_match_set_new(NULL, &b->matches);
        if (r < 0)
                return r;
        r = bus_match_set_new(NULL, &b->monitor_matches);
        if (r < 0)
                return r;
        r = bus_activation_new(b, &b->activation);
        if (r < 0)
                return r;
        bus_limits_init_default(&b->limits);
        *ret = TAKE_PTR(b);
        return 0;
}

static void user_groups_flush(Broker *b);

Broker *broker_free(Broker *b) {
        if (!b)
                return NULL;
        b->activation = bus_activation_free(b->activation);
        for (size_t i = 0; i < b->n_txq; i++)
                bus_message_unref(b->txq[i].message);
        free(b->txq);
        while (b->conns) {
                BusConn *c = b->conns;

                c->closing = true;
                if (c->monitor)
                        LIST_REMOVE(monitors, b->monitors, c);
                bus_match_owner_done(&c->matches);
                bus_registry_release_all(b->registry, &c->names);
                bus_replies_drop_conn(&b->replies, c, NULL, NULL);
                LIST_REMOVE(conns, b->conns, c);
                bus_conn_free(c);
        }
        for (size_t i = 0; i < b->n_listeners; i++)
                event_source_unref(b->listeners[i]);
        free(b->listeners);
        bus_replies_done(&b->replies);
        bus_match_set_free(b->matches);
        bus_match_set_free(b->monitor_matches);
        event_source_disable_unref(b->reply_timer);
        event_source_disable_unref(b->fd_timer);
        event_source_disable_unref(b->dir_watch);
        bus_config_free(b->config);
        free(b->config_path);
        free(b->listen_address);
        bus_registry_free(b->registry);
        event_source_disable_unref(b->tx_flush);
        user_groups_flush(b);
        event_unref(b->event);
        return mfree(b);
}

/* ---- configuration ---- */

static void conn_update_policy(Broker *b, BusConn *c);

/* As dbus-daemon: a change in a watched service directory or <includedir> reloads. */
static int on_dir_change(EventSource *s, int fd, uint32_t revents, void *userdata) {
        Broker *b = userdata;
        uint8_t buf[4096];

        (void) s;
        (void) revents;
        while (read(fd, buf, sizeof buf) > 0)
                ;
        if (b->config_path)
                (void) broker_reload_config(b, NULL);
        return 0;
}

static void watch_dirs(Broker *b) {
        const uint32_t mask = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                              IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
        int fd, n = 0;

        b->dir_watch = event_source_disable_unref(b->dir_watch);
        if (!b->config_path)
                return;
        fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
                log_debug_errno(errno, "Failed to watch the configuration directories: %m");
                return;
        }
        for (size_t i = 0; i < b->config->n_servicedirs; i++)
                if (!(b->config->servicedirs[i].flags & BUS_SERVICE_DIR_NO_WATCH) &&
                    inotify_add_watch(fd, b->config->servicedirs[i].path, mask) >= 0)
                        n++;
        STRV_FOREACH(d, b->config->conf_dirs)
                if (inotify_add_watch(fd, *d, mask) >= 0)
                        n++;
        if (n == 0 || event_add_io(b->event, &b->dir_watch, fd, EPOLLIN, on_dir_change, b) < 0 ||
            event_source_set_io_fd_own(b->dir_watch, true) < 0) {
                b->dir_watch = event_source_disable_unref(b->dir_watch);
                safe_close(fd);
        }
}

int broker_set_config(Broker *b, BusConfig *config) {
        BusConn *c;
        int r;

        assert(b);
        assert(config);
        bus_config_free(b->config);
        b->config = config;
        b->limits = config->limits;
        user_groups_flush(b);
        b->auth_mechanisms = 0;
        STRV_FOREACH(m, config->auth) {
                BusSaslMechanism k = bus_sasl_mechanism_from_string(*m);

                if (k == BUS_SASL_MECHANISM_EXTERNAL)
                        b->auth_mechanisms |= BUS_AUTH_EXTERNAL;
                else if (k == BUS_SASL_MECHANISM_ANONYMOUS)
                        b->auth_mechanisms |= BUS_AUTH_ANONYMOUS;
        }
        if (strv_isempty(config->auth))
                b->auth_mechanisms = BUS_AUTH_EXTERNAL | BUS_AUTH_ANONYMOUS;
        LIST_FOREACH(conns, c, b->conns)
                if (c->authenticated)
                        conn_update_policy(b, c);
        watch_dirs(b);
        r = bus_activation_load(b->activation, config->servicedirs, config->n_servicedirs);
        if (r > 0) {
                _cleanup_(bus_message_unrefp) BusMessage *m = NULL;

                if (bus_message_new_signal(BUS_DRIVER_PATH, BUS_DRIVER_INTERFACE,
                                           "ActivatableServicesChanged", &m) >= 0)
                        (void) broker_broadcast_from_driver(b, m);
        }
        return r < 0 ? r : 0;
}

int broker_reload_config(Broker *b, BusError *error) {
        _cleanup_free_ char *text = NULL;
        BusConfig *config = NULL;
        int r;

        if (!b->config_path)
                return 0;
        r = bus_config_load(b->config_path, 0, &config, &text);
        if (r < 0) {
                log_error("Unable to reload configuration: %s", text ?: strerror(-r));
                if (error)
                        (void) bus_error_setf(error, BUS_ERROR_FAILED, "%s", text ?: strerror(-r));
                return r;
        }
        log_info("Reloaded configuration");
        return broker_set_config(b, config);
}

/* ---- policy ---- */

static bool conn_owns_name(const char *name, bool is_prefix, void *userdata) {
        BusConn *c = userdata;
        const char *n;
        void *v;

        if (!c->names.names)
                return false;
        if (!is_prefix)
                return hashmap_contains(c->names.names, name);
        HASHMAP_FOREACH_KEY(v, n, c->names.names)
                if (n[0] != ':' && bus_policy_name_has_prefix(n, name))
                        return true;
        return false;
}

static void policy_message_init(BusPolicyMessage *pm, BusMessage *m) {
        *pm = (BusPolicyMessage) {
                .type = bus_message_get_type(m),
                .path = bus_message_get_string_field(m, BUS_FIELD_PATH),
                .interface = bus_message_get_string_field(m, BUS_FIELD_INTERFACE),
                .member = bus_message_get_string_field(m, BUS_FIELD_MEMBER),
                .error_name = bus_message_get_string_field(m, BUS_FIELD_ERROR_NAME),
                .destination = bus_message_get_string_field(m, BUS_FIELD_DESTINATION),
                .sender = bus_message_get_string_field(m, BUS_FIELD_SENDER),
                .is_reply = bus_message_get_reply_serial(m) != 0,
                .n_fds = bus_message_get_unix_fds(m),
        };
}

static void complain(BusError *error, const char *name, const char *complaint, unsigned matched,
                     BusMessage *m, BusConn *sender, BusConn *proposed, bool requested_reply, bool log) {
        _cleanup_bus_error_ BusError e = BUS_ERROR_NULL;

        if (!error && !log)
                return;
        (void) bus_error_setf(&e, name,
                              "%s, %u matched rules; type=\"%s\", sender=\"%s\" (%s) interface=\"%s\" "
                              "member=\"%s\" error name=\"%s\" requested_reply=\"%d\" "
                              "destination=\"%s\" (%s)",
                              complaint, matched,
                              bus_policy_message_type_to_string(bus_message_get_type(m)) ?: "invalid",
                              sender ? (sender->unique_name ?: "(inactive)") : "(unset)",
                              sender ? (sender->loginfo ?: "") : "(bus)",
                              bus_message_get_string_field(m, BUS_FIELD_INTERFACE) ?: "(unset)",
                              bus_message_get_string_field(m, BUS_FIELD_MEMBER) ?: "(unset)",
                              bus_message_get_string_field(m, BUS_FIELD_ERROR_NAME) ?: "(unset)",
                              requested_reply,
                              bus_message_get_string_field(m, BUS_FIELD_DESTINATION) ?: BUS_DRIVER_NAME,
                              proposed ? (proposed->loginfo ?: "") : "bus");
        if (log && e.message)
                log_notice("%s", e.message);
        if (error) {
                bus_error_free(error);
                *error = e;
                e = BUS_ERROR_NULL;
        }
}

bool broker_check_security(Broker *b, BusConn *sender, BusConn *addressed, BusConn *proposed,
                           BusMessage *m, BusError *error) {
        BusClientPolicy *sender_policy = NULL, *recipient_policy = NULL;
        BusPolicyMessage pm;
        bool requested_reply = false, log = false;
        unsigned matched = 0;
        uint8_t type = bus_message_get_type(m);

        if (sender) {
                if (!bus_conn_is_active(sender)) {
                        if (!proposed && bus_message_is_method_call(m, BUS_DRIVER_INTERFACE, "Hello"))
                                return true;
                        if (error)
                                (void) bus_error_setf(error, BUS_ERROR_ACCESS_DENIED,
                                                      "Client tried to send a message other than %s without being registered",
                                                      "Hello");
                        return false;
                }
                sender_policy = sender->policy;
                if (bus_message_get_reply_serial(m) != 0 && proposed && addressed == proposed)
                        requested_reply = bus_replies_contains(&b->replies, proposed, sender,
                                                               bus_message_get_reply_serial(m));
        } else if (addressed == proposed && bus_message_get_reply_serial(m) != 0)
                requested_reply = true;
        if (proposed && bus_conn_is_active(proposed))
                recipient_policy = proposed->policy;

        if (sender_policy || recipient_policy)
                policy_message_init(&pm, m);
        if (sender_policy &&
            !bus_client_policy_check_send_full(sender_policy, &pm, requested_reply,
                                               proposed ? conn_owns_name : NULL, proposed, &log, &matched)) {
                complain(error, BUS_ERROR_ACCESS_DENIED, "Rejected send message", matched, m, sender, proposed,
                         requested_reply, addressed == proposed);
                return false;
        }
        if (log)
                complain(NULL, BUS_ERROR_ACCESS_DENIED, "Would reject message", matched, m, sender, proposed,
                         requested_reply, true);
        if (recipient_policy) {
                bool eavesdropping = addressed != proposed && pm.destination;

                if (!bus_client_policy_check_receive_full(recipient_policy, &pm, requested_reply, eavesdropping,
                                                          sender ? conn_owns_name : NULL, sender, &matched)) {
                        complain(error, BUS_ERROR_ACCESS_DENIED, "Rejected receive message", matched, m, sender,
                                 proposed, requested_reply, addressed == proposed);
                        return false;
                }
        }
        if (proposed && !proposed->closing &&
            (bus_transport_get_outgoing_bytes(proposed->transport) > (size_t) b->limits.max_outgoing_bytes ||
             bus_transport_get_outgoing_fds(proposed->transport) > (size_t) b->limits.max_outgoing_unix_fds)) {
                complain(error, BUS_ERROR_LIMITS_EXCEEDED, "Rejected: destination has a full message queue",
                         0, m, sender, proposed, requested_reply, true);
                return false;
        }
        if (requested_reply)
                (void) bus_replies_take(&b->replies, proposed, sender, bus_message_get_reply_serial(m));
        if (type == BUS_MESSAGE_METHOD_CALL && sender && addressed && addressed == proposed &&
            !(bus_message_get_flags(m) & BUS_MESSAGE_NO_REPLY_EXPECTED)) {
                uint32_t serial = bus_message_get_serial(m);
                int r;

                if (bus_replies_contains(&b->replies, sender, addressed, serial)) {
                        if (error)
                                (void) bus_error_set(error, BUS_ERROR_ACCESS_DENIED,
                                                     "Message has the same reply serial as a currently-outstanding existing method call");
                        return false;
                }
                if (b->limits.max_replies_per_connection >= 0 &&
                    sender->n_waiting >= (unsigned long) b->limits.max_replies_per_connection) {
                        if (error)
                                (void) bus_error_set(error, BUS_ERROR_LIMITS_EXCEEDED,
                                                     "The maximum number of pending replies per connection has been reached");
                        return false;
                }
                r = bus_replies_add(&b->replies, sender, addressed, serial);
                if (r < 0) {
                        if (error)
                                (void) bus_error_set_errno(error, r);
                        return false;
                }
                if (b->limits.reply_timeout >= 0 && b->reply_timer)
                        (void) event_source_set_enabled(b->reply_timer, EVENT_ON);
        }
        return true;
}

bool broker_policy_allow_connect(Broker *b, uid_t uid, const gid_t *gids, size_t n_gids) {
        if (!b->config)
                return uid == b->uid; /* dbus-daemon without <policy user=…>: only its own user */
        return bus_policy_allow_unix_user(&b->config->policy, uid, gids, n_gids, b->uid);
}

bool broker_policy_allow_own(Broker *b, BusConn *c, const char *name) {
        (void) b;
        return !c->policy || bus_client_policy_check_can_own(c->policy, name);
}

/* ---- monitors ---- */

/* The connections whose rules matched: owner_offset says which of their BusMatchOwners the
 * match set holds (matches or monitor_matches). */
typedef struct Recipients {
        BusConn **conns;
        size_t n, alloc;
        size_t owner_offset;
} Recipients;

static bool name_owner_cb(const char *unique_name, const char *name, void *userdata) {
        BusConn *c = broker_find_owner(userdata, name);

        return c && streq_ptr(c->unique_name, unique_name);
}

static int collect_recipient(BusMatchEntry *e, void *userdata) {
        Recipients *r = userdata;
        BusMatchOwner *o = bus_match_entry_get_owner(e);

        if (!o)
                return 0;
        if (!GREEDY_REALLOC(r->conns, r->alloc, r->n + 1))
                return -ENOMEM;
        r->conns[r->n++] = (BusConn *) ((char *) o - r->owner_offset);
        return 0;
}

static int conn_send(Broker *b, BusConn *c, BusMessage *m);

void broker_capture(Broker *b, BusConn *sender, BusConn *addressed, BusMessage *m) {
        _cleanup_free_ BusConn **conns = NULL;
        Recipients rs = { .owner_offset = offsetof(BusConn, monitor_matches) };
        BusMatchContext ctx = {
                .sender = sender ? (sender->unique_name ?: ":not.active.yet") : BUS_DRIVER_NAME,
                .recipient = addressed ? addressed->unique_name : NULL,
                .name_owner = name_owner_cb,
                .userdata = b,
        };
        int r;

        if (!b->monitors)
                return;
        r = bus_match_set_foreach(b->monitor_matches, m, &ctx, BUS_MATCH_ONCE_PER_OWNER, collect_recipient, &rs);
        conns = rs.conns;
        if (r < 0)
                return;
        for (size_t i = 0; i < rs.n; i++)
                (void) conn_send(b, rs.conns[i], m);
}

/* dbus-daemon's bus_transaction_capture_error_reply(): monitors see the error a rejected
 * delivery would have produced, addressed to the sender. */
static void capture_error_reply(Broker *b, BusConn *to, const BusError *e, BusMessage *in_reply_to) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;

        if (!b->monitors)
                return;
        if (bus_message_new_error(in_reply_to, e, &m) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_SENDER, BUS_DRIVER_NAME) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_DESTINATION,
                                         bus_message_get_string_field(in_reply_to, BUS_FIELD_SENDER)) < 0 ||
            bus_message_seal(m, ++b->serial ?: ++b->serial) < 0)
                return;
        broker_capture(b, NULL, to, m);
}

int broker_make_monitor(Broker *b, BusConn *c, BusMatchRule **rules, size_t n_rules) {
        size_t i;
        int r;

        for (i = 0; i < n_rules; i++) {
                bus_match_rule_set_eavesdrop(rules[i], true);
                r = bus_match_set_add(b->monitor_matches, rules[i], &c->monitor_matches, NULL, NULL);
                if (r < 0) {
                        for (; i < n_rules; i++)
                                rules[i] = bus_match_rule_free(rules[i]);
                        bus_match_owner_done(&c->monitor_matches);
                        return r;
                }
                rules[i] = NULL;
        }
        bus_registry_release_all(b->registry, &c->names);
        log_info("Connection %s (%s) became a monitor.", c->unique_name, c->loginfo ?: "");
        bus_match_owner_done(&c->matches);
        c->monitor = true;
        LIST_PREPEND(monitors, b->monitors, c);
        bus_replies_drop_conn(&b->replies, c, NULL, NULL);
        return 0;
}

/* ---- sending ---- */

/* The most a deferred transaction holds before it is sent (messages, bytes; at most
 * max_message_size too, the slack the transports' queues have over max_outgoing_bytes). */
#define TXQ_DEFER_MAX 1024
#define TXQ_DEFER_MAX_BYTES (16u * 1024u)

static void broker_tx_begin(Broker *b) {
        b->tx_depth++;
}

static int conn_send_now(Broker *b, BusConn *c, BusMessage *m);

/* Sends txq[0..n) and moves the rest to the front. The transports are corked meanwhile, so
 * that what goes to one connection leaves in one write. */
static void tx_send_first(Broker *b, size_t n) {
        bool cork = n > 1;

        for (size_t i = 0; i < n; i++) {
                BusConn *c = b->txq[i].conn;

                if (!c)
                        continue;
                if (cork && !c->closing)
                        bus_transport_cork(c->transport, true);
                (void) conn_send_now(b, c, b->txq[i].message);
        }
        for (size_t i = 0; i < n; i++) {
                BusConn *c = b->txq[i].conn;

                if (cork && c && !c->closing)
                        bus_transport_cork(c->transport, false);
                bus_message_unref(b->txq[i].message);
                b->txq[i] = (struct BrokerQueued) {};
        }
        memmove(b->txq, b->txq + n, (b->n_txq - n) * sizeof(struct BrokerQueued));
        b->n_txq -= n;
        b->txq_mark = b->txq_mark > n ? b->txq_mark - n : 0;
        if (b->n_txq == 0) {
                b->txq_bytes = 0;
                if (b->tx_flush)
                        (void) event_source_set_enabled(b->tx_flush, EVENT_OFF);
        }
}

static void broker_tx_end(Broker *b) {
        assert(b->tx_depth > 0);
        if (--b->tx_depth > 0)
                return;
        if (b->tx_deferring) {
                /* on_message(): left for tx_flush, with what the other dispatches of this turn
                 * of the loop queue */
                b->txq_mark = b->n_txq;
                if (b->n_txq > 0 && event_source_set_enabled(b->tx_flush, EVENT_ONESHOT) >= 0)
                        return;
        }
        tx_send_first(b, b->n_txq);
}

static int on_tx_flush(EventSource *s, void *userdata) {
        Broker *b = userdata;

        (void) s;
        if (b->tx_depth == 0)
                tx_send_first(b, b->n_txq);
        return 0;
}

void broker_tx_bypass(Broker *b, bool on) {
        if (on) {
                /* what earlier dispatches left queued goes first, as if sent at their end */
                if (b->tx_bypass == 0 && b->txq_mark > 0)
                        tx_send_first(b, b->txq_mark);
                b->tx_bypass++;
        } else
                b->tx_bypass--;
}

static void tx_forget_conn(Broker *b, BusConn *c) {
        for (size_t i = 0; i < b->n_txq; i++)
                if (b->txq[i].conn == c)
                        b->txq[i].conn = NULL;
}

static int conn_send(Broker *b, BusConn *c, BusMessage *m) {
        if (c->closing)
                return -ENOTCONN;
        if (b->tx_depth == 0 || b->tx_bypass > 0) {
                /* after what earlier dispatches left queued */
                if (b->txq_mark > 0)
                        tx_send_first(b, b->txq_mark);
                return conn_send_now(b, c, m);
        }
        if (!GREEDY_REALLOC(b->txq, b->n_txq_alloc, b->n_txq + 1))
                return -ENOMEM;
        b->txq[b->n_txq++] = (struct BrokerQueued) { .conn = c, .message = bus_message_ref(m) };
        b->txq_bytes += bus_message_get_body_size(m) + 64;
        return 0;
}

static int conn_send_now(Broker *b, BusConn *c, BusMessage *m) {
        size_t out;
        int r;

        (void) b;
        if (c->closing)
                return -ENOTCONN;
        r = bus_transport_send(c->transport, m);
        if (r == -ENOBUFS)
                log_warning("Dropped a message to %s: its outgoing queue is full",
                            c->unique_name ?: "(inactive)");
        else if (r < 0 && r != -ENOTCONN)
                log_debug_errno(r, "Failed to queue a message to %s: %m", c->unique_name ?: "(inactive)");
        if (r >= 0) {
                /* the peaks of the outgoing queue (Debug.Stats) */
                out = bus_transport_get_outgoing_bytes(c->transport);
                if (out > c->stats.peak_out_bytes)
                        c->stats.peak_out_bytes = out;
                out = bus_transport_get_outgoing_fds(c->transport);
                if (out > c->stats.peak_out_fds)
                        c->stats.peak_out_fds = out;
        }
        return r;
}

int broker_send_from_driver(Broker *b, BusConn *c, BusMessage *m) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        int r;

        if (!c || c->closing)
                return -ENOTCONN;
        r = bus_message_set_string_field(m, BUS_FIELD_SENDER, BUS_DRIVER_NAME);
        if (r >= 0)
                /* dbus-daemon stamps a not yet registered sender ":not.active.yet", and its
                 * errors go back there */
                r = bus_message_set_string_field(m, BUS_FIELD_DESTINATION, c->unique_name ?: ":not.active.yet");
        if (r >= 0)
                r = bus_message_set_flags(m, bus_message_get_flags(m) | BUS_MESSAGE_NO_REPLY_EXPECTED);
        if (r >= 0)
                r = bus_message_seal(m, ++b->serial ?: ++b->serial);
        if (r < 0)
                return log_error_errno(r, "Failed to build a message of the bus: %m");
        broker_capture(b, NULL, c, m);
        if (!broker_check_security(b, NULL, c, c, m, &error)) {
                capture_error_reply(b, c, &error, m);
                return 0;
        }
        return conn_send(b, c, m);
}

int broker_reply_error(Broker *b, BusConn *c, BusMessage *call, const BusError *e) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        r = bus_message_new_error(call, e, &m);
        if (r < 0)
                return log_error_errno(r, "Failed to build the error %s: %m", e->name);
        return broker_send_from_driver(b, c, m);
}

/* ---- match rules ---- */

/* dbus-daemon's send_one_message() for every connection except `recipient` whose rules match
 * (eavesdroppers, for a unicast). sender NULL: the bus. */
static int deliver_to_matches(Broker *b, BusConn *sender, BusConn *recipient, BusMessage *m) {
        _cleanup_free_ BusConn **conns = NULL;
        Recipients rs = { .owner_offset = offsetof(BusConn, matches) };
        BusMatchContext ctx = {
                .sender = sender ? sender->unique_name : BUS_DRIVER_NAME,
                .recipient = recipient ? recipient->unique_name : NULL,
                .skip_owner = recipient ? &recipient->matches : NULL,
                .name_owner = name_owner_cb,
                .userdata = b,
        };
        size_t n_fds;
        int r;

        r = bus_match_set_foreach(b->matches, m, &ctx, BUS_MATCH_ONCE_PER_OWNER, collect_recipient, &rs);
        conns = rs.conns;
        if (r < 0)
                return log_error_errno(r, "Failed to match a broadcast: %m");
        (void) bus_message_get_fds(m, &n_fds);
        for (size_t i = 0; i < rs.n; i++) {
                _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
                BusConn *c = rs.conns[i];

                if (c->closing || !bus_conn_is_active(c) || c->monitor)
                        continue;
                if (!broker_check_security(b, sender, recipient, c, m, &error)) {
                        capture_error_reply(b, sender, &error, m);
                        continue;
                }
                if (n_fds > 0 && !bus_transport_can_pass_fds(c->transport)) {
                        (void) bus_error_setf(&error, BUS_ERROR_NOT_SUPPORTED,
                                              "broadcast cannot be delivered to %s (%s) because it does not "
                                              "support receiving Unix fds", c->unique_name, c->loginfo ?: "");
                        capture_error_reply(b, sender, &error, m);
                        continue;
                }
                (void) conn_send(b, c, m);
        }
        return 0;
}

int broker_broadcast_from_driver(Broker *b, BusMessage *m) {
        int r;

        r = bus_message_set_string_field(m, BUS_FIELD_SENDER, BUS_DRIVER_NAME);
        if (r >= 0)
                r = bus_message_seal(m, ++b->serial ?: ++b->serial);
        if (r < 0)
                return log_error_errno(r, "Failed to build a signal of the bus: %m");
        broker_capture(b, NULL, NULL, m);
        return deliver_to_matches(b, NULL, NULL, m);
}

int broker_deliver(Broker *b, BusConn *sender, BusConn *to, BusMessage *m, BusError *error) {
        size_t n_fds;
        int r;

        if (to) {
                if (!broker_check_security(b, sender, to, to, m, error))
                        return -EACCES;
                (void) bus_message_get_fds(m, &n_fds);
                if (n_fds > 0 && !bus_transport_can_pass_fds(to->transport)) {
                        if (bus_message_get_type(m) == BUS_MESSAGE_METHOD_CALL &&
                            !(bus_message_get_flags(m) & BUS_MESSAGE_NO_REPLY_EXPECTED))
                                (void) bus_replies_take(&b->replies, sender, to, bus_message_get_serial(m));
                        (void) bus_error_set(error, BUS_ERROR_NOT_SUPPORTED,
                                             "Tried to send message with Unix file descriptors"
                                             "to a client that doesn't support that.");
                        return -ENOTSUP;
                }
                r = conn_send(b, to, m);
                if (r == -ENOBUFS && bus_message_get_type(m) == BUS_MESSAGE_METHOD_CALL) {
                        (void) bus_replies_take(&b->replies, sender, to, bus_message_get_serial(m));
                        (void) bus_error_setf(error, BUS_ERROR_LIMITS_EXCEEDED,
                                              "The maximum number of queued bytes for \"%s\" has been reached",
                                              to->unique_name);
                        return r;
                }
        }
        return deliver_to_matches(b, sender, to, m);
}

/* ---- connections ---- */

BusConn *broker_find_owner(Broker *b, const char *name) {
        return bus_conn_from_holder(bus_registry_get_owner(b->registry, name));
}

static void send_no_reply_text(Broker *b, BusConn *caller, uint32_t serial, const char *text) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;

        if (bus_message_new(BUS_MESSAGE_ERROR, 0, &m) < 0 ||
            bus_message_set_reply_serial(m, serial) < 0 ||
            bus_message_set_string_field(m, BUS_FIELD_ERROR_NAME, BUS_ERROR_NO_REPLY) < 0 ||
            bus_message_append(m, "s", text) < 0) {
                log_error("Failed to build NoReply for %s: out of memory", caller->unique_name);
                return;
        }
        (void) broker_send_from_driver(b, caller, m);
}

static void send_no_reply(BusConn *caller, uint32_t serial, void *userdata) {
        send_no_reply_text(userdata, caller, serial,
                           "Message recipient disconnected from message bus without replying");
}

static void send_timed_out(BusConn *caller, uint32_t serial, void *userdata) {
        send_no_reply_text(userdata, caller, serial, "Message did not receive a reply (timeout by message bus)");
}

static int on_reply_timer(EventSource *s, usec_t usec, void *userdata) {
        Broker *b = userdata;
        usec_t timeout = (usec_t) b->limits.reply_timeout * USEC_PER_MSEC, oldest;

        (void) usec;
        if (b->limits.reply_timeout < 0) {
                (void) event_source_set_enabled(s, EVENT_OFF);
                return 0;
        }
        oldest = bus_replies_expire(&b->replies, now(CLOCK_MONOTONIC) - MIN(timeout, now(CLOCK_MONOTONIC)),
                                    send_timed_out, b);
        if (oldest == USEC_INFINITY)
                return event_source_set_enabled(s, EVENT_OFF);
        (void) event_source_set_time(s, oldest + timeout + 1);
        return event_source_set_enabled(s, EVENT_ON);
}

/* pending_fd_timeout: a connection (uid 0 excepted, as in dbus-daemon) whose fds wait in the
 * daemon without the rest of their message is dropped; checked every half timeout. */
static int on_fd_timer(EventSource *s, usec_t usec, void *userdata) {
        Broker *b = userdata;
        usec_t timeout = (usec_t) MAX(b->limits.pending_fd_timeout, 1L) * USEC_PER_MSEC, n = now(CLOCK_MONOTONIC);
        BusConn *c, *next;

        (void) usec;
        for (c = b->conns; c; c = next) {
                next = c->conns_next;
                if (c->closing || c->uid == 0 || bus_transport_get_pending_fds(c->transport) == 0) {
                        c->fds_pending_since = 0;
                        continue;
                }
                if (c->fds_pending_since == 0)
                        c->fds_pending_since = n;
                else if (n - c->fds_pending_since >= timeout) {
                        log_warning("Connection %s (%s) has had Unix fds pending for too long, closing it "
                                    "(pending_fd_timeout=%ld ms)", c->unique_name ?: "(inactive)",
                                    c->loginfo ?: "", b->limits.pending_fd_timeout);
                        bus_transport_close(c->transport, "pending_fd_timeout");
                }
        }
        (void) event_source_set_time(s, n + timeout / 2);
        return 0;
}

static int reply_timer_setup(Broker *b) {
        if (!b->fd_timer && b->limits.pending_fd_timeout >= 0) {
                usec_t timeout = (usec_t) MAX(b->limits.pending_fd_timeout, 1L) * USEC_PER_MSEC;
                int r = event_add_time(b->event, &b->fd_timer, CLOCK_MONOTONIC, now(CLOCK_MONOTONIC) + timeout / 2,
                                       0, on_fd_timer, b);

                if (r >= 0)
                        (void) event_source_set_enabled(b->fd_timer, EVENT_ON);
        }
        if (b->reply_timer || b->limits.reply_timeout < 0)
                return 0;
        return event_add_time(b->event, &b->reply_timer, CLOCK_MONOTONIC,
                              now(CLOCK_MONOTONIC) + (usec_t) b->limits.reply_timeout * USEC_PER_MSEC, 0,
                              on_reply_timer, b);
}

/* dbus-daemon's order: match rules go first (the connection sees none of its own
 * NameOwnerChanged), then its names newest first, unique name last, then NoReply to those
 * who wait for it. */
static void broker_drop_connection(Broker *b, BusConn *c) {
        c->closing = true;
        bus_match_owner_done(&c->matches);
        bus_match_owner_done(&c->monitor_matches);
        if (c->monitor) {
                LIST_REMOVE(monitors, b->monitors, c);
                log_info("Monitoring connection %s closed.", c->unique_name);
        }
        bus_registry_release_all(b->registry, &c->names);
        if (c->unique_name)
                (void) bus_match_set_drop_name(b->matches, c->unique_name);
        bus_replies_drop_conn(&b->replies, c, send_no_reply, b);
        bus_activation_conn_gone(b->activation, c);
        tx_forget_conn(b, c);
        if (c->unique_name)
                b->n_active--;
        LIST_REMOVE(conns, b->conns, c);
        b->n_conns--;
        bus_conn_free(c);
}

static void on_disconnected(BusTransport *t, int error, const char *reason, void *userdata) {
        BusConn *c = userdata;

        (void) t;
        if (!c)
                return;
        if (error < 0)
                log_debug_errno(error, "Connection %s dropped: %s", c->unique_name ?: "(inactive)", reason);
        broker_drop_connection(c->broker, c);
}

static void conn_update_policy(Broker *b, BusConn *c) {
        BusClientPolicy *p = NULL;

        if (!b->config)
                return;
        if (bus_client_policy_new(&b->config->policy, c->uid, c->gids, c->n_gids, false, &p) < 0) {
                log_oom();
                return;
        }
        bus_client_policy_free(c->policy);
        c->policy = p;
}

/* The groups dbus-daemon 1.14 knows a peer by:
 *   - who may connect (<allow|deny user|group> in the default and mandatory contexts): the
 *     user database's groups of the uid, always; a uid it does not know may not connect;
 *   - the group="…" policies and GetConnectionCredentials' UnixGroupIDs: what SO_PEERGROUPS
 *     says (even none) plus the primary group of SO_PEERCRED, or the user database's groups
 *     when the kernel cannot tell (SO_PEERGROUPS fails).
 * The user database is read by a helper process (bus-userdb.h) and cached per uid. */
static void user_groups_flush(Broker *b) {
        for (size_t i = 0; i < b->n_user_groups; i++)
                free(b->user_groups[i].gids);
        b->user_groups = mfree(b->user_groups);
        b->n_user_groups = 0;
}

/* The groups the user database gives uid (its primary group included), cached. Returns 1 and
 * the groups, 0 if there is no such user, or -ENOMEM. */
static int user_groups(Broker *b, uid_t uid, const gid_t **ret, size_t *ret_n) {
        struct BrokerUserGroups *u = NULL;
        BusUser user;
        int r;

        for (size_t i = 0; i < b->n_user_groups; i++)
                if (b->user_groups[i].uid == uid) {
                        u = &b->user_groups[i];
                        goto found;
                }
        if (b->n_user_groups >= 256)
                user_groups_flush(b);
        u = reallocarray(b->user_groups, b->n_user_groups + 1, sizeof(*u));
        if (!u)
                return -ENOMEM;
        b->user_groups = u;
        u = &b->user_groups[b->n_user_groups];
        *u = (struct BrokerUserGroups) { .uid = uid, .n_gids = SIZE_MAX };
        r = bus_userdb_get_user_by_uid(uid, &user);
        if (r < 0)
                return r;
        if (r > 0) {
                u->gids = TAKE_PTR(user.groups);
                u->n_gids = user.n_groups;
                bus_user_done(&user);
        }
        b->n_user_groups++;
found:
        if (u->n_gids == SIZE_MAX)
                return 0;
        *ret = u->gids;
        *ret_n = u->n_gids;
        return 1;
}

static int gid_compare(const void *a, const void *b) {
        gid_t x = *(const gid_t *) a, y = *(const gid_t *) b;

        return x < y ? -1 : x > y;
}

static int conn_read_groups(BusConn *c) {
        const gid_t *peer = NULL, *g;
        size_t n_peer = 0, n;
        gid_t primary = GID_INVALID;
        bool need_primary = true;
        int r;

        (void) bus_transport_get_peer_creds(c->transport, NULL, NULL, &primary);
        if (bus_transport_get_peer_groups(c->transport, &peer, &n_peer) >= 0) {
                c->gids = new(gid_t, n_peer + 1);
                if (!c->gids)
                        return -ENOMEM;
                for (size_t i = 0; i < n_peer; i++) {
                        c->gids[c->n_gids++] = peer[i];
                        if (peer[i] == primary)
                                need_primary = false;
                }
                if (need_primary && primary != GID_INVALID)
                        c->gids[c->n_gids++] = primary;
                /* in ascending order, as dbus-daemon lists them (UnixGroupIDs) and applies
                 * their group="…" policies */
                qsort(c->gids, c->n_gids, sizeof(gid_t), gid_compare);
                return 0;
        }
        r = user_groups(c->broker, c->uid, &g, &n);
        if (r < 0)
                return r;
        if (r == 0) {
                g = &primary;
                n = primary != GID_INVALID ? 1 : 0;
        }
        c->gids = new(gid_t, MAX(n, (size_t) 1));
        if (!c->gids)
                return -ENOMEM;
        memcpy(c->gids, g, n * sizeof(gid_t));
        c->n_gids = n;
        return 0;
}

/* Whether uid may connect: known to the user database, and allowed by the policy for the
 * groups the database gives it. */
static int broker_allow_user(Broker *b, uid_t uid) {
        const gid_t *g = NULL;
        size_t n = 0;
        int r;

        r = user_groups(b, uid, &g, &n);
        if (r <= 0)
                return r;
        return broker_policy_allow_connect(b, uid, g, n);
}

/* dbus-daemon's loginfo: uid, pid and the command line (NULs as spaces, at most 50 bytes).
 * Only the first 50 bytes of /proc/PID/cmdline matter: one read() into the stack. */
static char *make_loginfo(BusConn *c) {
        char path[STRLEN("/proc//cmdline") + 24], cmdline[51];
        ssize_t size = 0;
        char *s = NULL;

        cmdline[0] = 0;
        if (c->pid > 0) {
                _cleanup_close_ int fd = -1;

                (void) snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long) c->pid);
                fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (fd >= 0)
                        size = read(fd, cmdline, sizeof(cmdline) - 1);
                size = MAX(size, (ssize_t) 0);
                for (ssize_t i = 0; i < size; i++)
                        if (cmdline[i] == 0)
                                cmdline[i] = ' ';
                cmdline[size] = 0;
                while (size > 0 && cmdline[size - 1] == ' ')
                        cmdline[--size] = 0;
                if (asprintf(&s, "uid=%lu pid=%ld comm=\"%s\"", (unsigned long) c->uid, (long) c->pid,
                             cmdline) < 0)
                        return NULL;
        } else if (asprintf(&s, "uid=%lu", (unsigned long) c->uid) < 0)
                return NULL;
        return s;
}

static int on_ready(BusTransport *t, void *userdata) {
        BusConn *c = userdata;
        Broker *b = c->broker;
        pid_t pid = 0;
        uid_t uid = bus_transport_get_auth_uid(t), peer_uid = UID_INVALID;
        int r;

        (void) bus_transport_get_peer_creds(t, &pid, &peer_uid, NULL);
        c->pid = pid;
        c->uid = uid != UID_INVALID ? uid : peer_uid;
        if (uid == UID_INVALID) {
                /* ANONYMOUS */
                if (!b->config || !b->config->allow_anonymous) {
                        log_info("Connection from pid %ld refused: anonymous connections are not allowed",
                                 (long) pid);
                        return -EPERM;
                }
        } else {
                r = broker_allow_user(b, uid);
                if (r < 0)
                        return r;
                if (r == 0) {
                        log_info("Connection from uid %u refused: not allowed by the policy", (unsigned) uid);
                        return -EPERM;
                }
                if (conn_read_groups(c) < 0)
                        return -ENOMEM;
        }
        c->authenticated = true;
        c->loginfo = make_loginfo(c);
        conn_update_policy(b, c);
        return 0;
}

static bool message_uses_local(BusMessage *m) {
        return streq_ptr(bus_message_get_string_field(m, BUS_FIELD_PATH), LOCAL_PATH) ||
               streq_ptr(bus_message_get_string_field(m, BUS_FIELD_INTERFACE), LOCAL_INTERFACE);
}

/* libdbus's answer to a call without DESTINATION: Peer.Ping and Peer.GetMachineId, else
 * UnknownMethod. */
static int no_destination_reply(BusMessage *m, BusMessage **ret) {
        const char *iface = bus_message_get_string_field(m, BUS_FIELD_INTERFACE);
        const char *member = bus_message_get_string_field(m, BUS_FIELD_MEMBER);
        bool peer = streq_ptr(iface, "org.freedesktop.DBus.Peer");
        _cleanup_free_ char *text = NULL;
        char id[33];
        int r;

        if (peer && streq_ptr(member, "Ping"))
                return bus_message_new_method_return(m, ret);
        if (peer && streq_ptr(member, "GetMachineId") && bus_driver_read_machine_id(id) >= 0) {
                r = bus_message_new_method_return(m, ret);
                return r < 0 ? r : bus_message_append(*ret, "s", id);
        }
        if (asprintf(&text, "Method \"%s\" with signature \"%s\" on interface \"%s\" doesn't exist\n",
                     member, bus_message_get_string_field(m, BUS_FIELD_SIGNATURE) ?: "",
                     iface ?: "(null)") < 0)
                return -ENOMEM;
        return bus_message_new_error(m, &(BusError) { .name = (char *) BUS_ERROR_UNKNOWN_METHOD, .message = text },
                                     ret);
}

/* A method call without DESTINATION: libdbus inside dbus-daemon answers it, without SENDER or
 * DESTINATION. Other messages without destination but signals are dropped. */
static void dispatch_no_destination(Broker *b, BusConn *c, BusMessage *m) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        int r;

        if (bus_message_get_type(m) != BUS_MESSAGE_METHOD_CALL ||
            (bus_message_get_flags(m) & BUS_MESSAGE_NO_REPLY_EXPECTED))
                return;
        r = no_destination_reply(m, &reply);
        if (r >= 0)
                r = bus_message_set_string_field(reply, BUS_FIELD_DESTINATION, NULL);
        if (r >= 0)
                r = bus_message_set_flags(reply, BUS_MESSAGE_NO_REPLY_EXPECTED);
        if (r >= 0)
                r = bus_message_seal(reply, ++b->serial ?: ++b->serial);
        if (r < 0) {
                log_error_errno(r, "Failed to answer a call without destination: %m");
                return;
        }
        (void) conn_send(b, c, reply);
}

/* ActivationFailure from systemd, addressed to the bus. */
static bool is_activation_failure(Broker *b, BusConn *c, BusMessage *m) {
        BusConn *systemd;

        if (!bus_message_is_signal(m, "org.freedesktop.systemd1.Activator", "ActivationFailure"))
                return false;
        systemd = broker_find_owner(b, "org.freedesktop.systemd1");
        return systemd == c;
}

/* bus_dispatch() of dbus-daemon. */
static void broker_dispatch(Broker *b, BusConn *c, BusMessage *m) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        _cleanup_(bus_message_unrefp) BusMessage *fwd = NULL;
        const char *dest = bus_message_get_string_field(m, BUS_FIELD_DESTINATION);
        BusConn *to = NULL;
        int r;

        if (c->monitor) {
                log_warning("Monitoring connection %s (%s) is not allowed to send messages; closing it. "
                            "Please fix the monitor to not do that. (message type=\"%s\" interface=\"%s\" "
                            "member=\"%s\" error name=\"%s\" destination=\"%s\")",
                            c->unique_name, c->loginfo ?: "",
                            bus_policy_message_type_to_string(bus_message_get_type(m)) ?: "invalid",
                            bus_message_get_string_field(m, BUS_FIELD_INTERFACE) ?: "(unset)",
                            bus_message_get_string_field(m, BUS_FIELD_MEMBER) ?: "(unset)",
                            bus_message_get_string_field(m, BUS_FIELD_ERROR_NAME) ?: "(unset)",
                            dest ?: BUS_DRIVER_NAME);
                bus_transport_close(c->transport, "a monitor sent a message");
                return;
        }
        if (message_uses_local(m)) {
                log_debug("Connection %s used the reserved Local path or interface, disconnecting",
                          c->unique_name ?: "(inactive)");
                bus_transport_close(c->transport, "sent a message on the reserved Local path or interface");
                return;
        }
        if (!dest && bus_message_get_type(m) != BUS_MESSAGE_SIGNAL) {
                if (bus_conn_is_active(c))
                        dispatch_no_destination(b, c, m);
                return;
        }
        if (streq_ptr(dest, BUS_DRIVER_NAME)) {
                if (b->monitors && bus_message_new_forward(m, c->unique_name ?: ":not.active.yet", &fwd) >= 0)
                        broker_capture(b, c, NULL, fwd);
                if (!broker_check_security(b, c, NULL, NULL, m, &error))
                        goto fail;
                if (bus_message_get_type(m) == BUS_MESSAGE_SIGNAL) {
                        if (is_activation_failure(b, c, m))
                                bus_activation_systemd_failure(b->activation, m);
                        return;
                }
                (void) bus_driver_handle(b, c, m);
                return;
        }
        if (!bus_conn_is_active(c)) {
                /* clients must say Hello first */
                if (b->monitors && bus_message_new_forward(m, ":not.active.yet", &fwd) >= 0)
                        broker_capture(b, c, NULL, fwd);
                bus_transport_close(c->transport, "sent a message before Hello");
                return;
        }
        r = bus_message_new_forward(m, c->unique_name, &fwd);
        if (r < 0) {
                log_error_errno(r, "Failed to forward a message from %s: %m", c->unique_name);
                return;
        }
        if (dest) {
                to = broker_find_owner(b, dest);
                if (!to) {
                        if (!(bus_message_get_flags(m) & BUS_MESSAGE_NO_AUTO_START)) {
                                /* activation runs its own transaction first */
                                (void) bus_activation_activate(b->activation, c, fwd, dest, true, &error);
                                broker_capture(b, c, NULL, fwd);
                                goto fail;
                        }
                        broker_capture(b, c, NULL, fwd);
                        (void) bus_error_setf(&error, BUS_ERROR_NAME_HAS_NO_OWNER, "Name \"%s\" does not exist", dest);
                        goto fail;
                }
        }
        broker_capture(b, c, to, fwd);
        (void) broker_deliver(b, c, to, fwd, &error);
fail:
        if (bus_error_is_set(&error))
                (void) broker_reply_error(b, c, m, &error);
}

static int on_message(BusTransport *t, BusMessage *m, void *userdata) {
        _cleanup_(bus_message_unrefp) BusMessage *msg = m;
        BusConn *c = userdata;
        Broker *b;

        (void) t;
        if (!c || c->closing)
                return 0;
        b = c->broker;
        if (!b->tx_flush && event_add_defer(b->event, &b->tx_flush, on_tx_flush, b) >= 0)
                (void) event_source_set_enabled(b->tx_flush, EVENT_OFF);
        b->tx_deferring = b->tx_flush && b->tx_depth == 0;
        broker_tx_begin(b);
        broker_dispatch(b, c, msg);
        broker_tx_end(b);
        b->tx_deferring = false;
        /* bounded: the outgoing limits are checked against what the transports hold */
        if (b->n_txq >= TXQ_DEFER_MAX ||
            b->txq_bytes >= MIN((size_t) TXQ_DEFER_MAX_BYTES, (size_t) b->limits.max_message_size))
                tx_send_first(b, b->n_txq);
        return 0;
}

static const BusTransportCallbacks transport_callbacks = {
        .message = on_message,
        .ready = on_ready,
        .disconnected = on_disconnected,
};

static int on_auth_timeout(EventSource *s, usec_t usec, void *userdata) {
        BusConn *c = userdata;

        (void) s;
        (void) usec;
        if (!bus_conn_is_active(c)) {
                log_info("Connection %s did not authenticate and say Hello in time (auth_timeout), closing it",
                         c->loginfo ?: "(unauthenticated)");
                bus_transport_close(c->transport, "authentication timed out");
        }
        return 0;
}

/* Takes over fd, from accept4() with SOCK_NONBLOCK | SOCK_CLOEXEC (no fcntl() needed). */
static int add_connection(Broker *b, int fd) {
        BusTransportConfig config = {
                .role = BUS_TRANSPORT_SERVER,
                .auth_mechanisms = b->auth_mechanisms ?: BUS_AUTH_EXTERNAL,
                .guid = b->guid,
                .accept_fds = true,
                .max_message_size = (size_t) MIN(b->limits.max_message_size, (long) BUS_MESSAGE_SIZE_MAX),
                /* dbus-daemon admits a message while one byte is left below the limit */
                .max_outgoing_bytes = (size_t) b->limits.max_outgoing_bytes + (size_t) b->limits.max_message_size + 1,
                .max_message_fds = (unsigned) MIN(b->limits.max_message_unix_fds, (long) BUS_MESSAGE_FDS_MAX),
                .fd_ready = true,
        };
        BusConn *c;
        int r;

        if (b->n_conns - b->n_active >= (unsigned long) b->limits.max_incomplete_connections) {
                log_warning("Connection refused: max_incomplete_connections=%ld reached",
                            b->limits.max_incomplete_connections);
                safe_close(fd);
                return -EUSERS;
        }
        r = bus_conn_new(b, &c);
        if (r < 0) {
                safe_close(fd);
                return r;
        }
        r = bus_transport_new(b->event, fd, &config, &transport_callbacks, c, &c->transport);
        if (r < 0) {
                bus_conn_free(c);
                return r;
        }
        if (b->limits.auth_timeout >= 0)
                (void) event_add_time(b->event, &c->auth_timer, CLOCK_MONOTONIC,
                                      now(CLOCK_MONOTONIC) + (usec_t) b->limits.auth_timeout * USEC_PER_MSEC,
                                      0, on_auth_timeout, c);
        LIST_PREPEND(conns, b->conns, c);
        b->n_conns++;
        (void) reply_timer_setup(b);
        return 0;
}

static int on_listener(EventSource *s, int fd, uint32_t revents, void *userdata) {
        Broker *b = userdata;

        (void) s;
        (void) revents;
        for (;;) {
                int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
                int r;

                if (cfd < 0) {
                        if (!IN_SET(errno, EAGAIN, EINTR, ECONNABORTED))
                                log_warning_errno(errno, "Failed to accept a connection: %m");
                        return 0;
                }
                r = add_connection(b, cfd);
                if (r < 0 && r != -EUSERS)
                        log_warning_errno(r, "Failed to set up a connection: %m");
        }
}

int broker_add_listener(Broker *b, int fd) {
        EventSource *s;
        int r;

        if (!GREEDY_REALLOC(b->listeners, b->n_listeners_alloc, b->n_listeners + 1)) {
                safe_close(fd);
                return -ENOMEM;
        }
        r = event_add_io(b->event, &s, fd, EPOLLIN, on_listener, b);
        if (r < 0) {
                safe_close(fd);
                return r;
        }
        r = event_source_set_io_fd_own(s, true);
        if (r < 0) {
                event_source_unref(s);
                safe_close(fd);
                return r;
        }
        b->listeners[b->n_listeners++] = s;
        return 0;
}

void broker_update_peaks(Broker *b, BusConn *c) {
        unsigned n_matches = (unsigned) bus_match_set_size(b->matches), n_names = (unsigned) bus_registry_size(b->registry);
        unsigned cm = bus_match_owner_count(&c->matches), cn = (unsigned) bus_name_holder_count(&c->names);

        b->peak_matches = MAX(b->peak_matches, n_matches);
        b->peak_names = MAX(b->peak_names, n_names);
        b->peak_matches_per_conn = MAX(b->peak_matches_per_conn, cm);
        b->peak_names_per_conn = MAX(b->peak_names_per_conn, cn);
        c->stats.peak_matches = MAX(c->stats.peak_matches, cm);
        c->stats.peak_names = MAX(c->stats.peak_names, cn);
}
