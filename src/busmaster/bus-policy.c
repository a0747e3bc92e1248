/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-policy: storage of dbus-daemon <policy> rules (see bus-policy.h). The rule defaults
 * follow dbus-daemon: an <allow> matches only requested replies unless it says otherwise, a
 * <deny> only unrequested ones, and max_fds defaults to the protocol maximum.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus-policy.h"
#include "macro.h"
#include "string-util.h"

void bus_policy_rule_init(BusPolicyRule *rule, BusPolicyRuleType type, bool allow) {
        *rule = (BusPolicyRule) {
                .type = type,
                .allow = allow,
                .message_type = BUS_POLICY_MESSAGE_ANY,
                .broadcast = BUS_POLICY_TRISTATE_ANY,
                .requested_reply = allow,
                .max_fds = BUS_POLICY_MAX_MESSAGE_UNIX_FDS,
                .uid = UID_INVALID,
                .gid = GID_INVALID,
        };
}

void bus_policy_rule_done(BusPolicyRule *rule) {
        rule->path = mfree(rule->path);
        rule->interface = mfree(rule->interface);
        rule->member = mfree(rule->member);
        rule->error = mfree(rule->error);
        rule->name = mfree(rule->name);
}

static int strdup_opt(const char *s, char **ret) {
        if (!s) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

int bus_policy_rule_copy(const BusPolicyRule *rule, BusPolicyRule *ret) {
        BusPolicyRule c = *rule;

        c.path = c.interface = c.member = c.error = c.name = NULL;
        if (strdup_opt(rule->path, &c.path) < 0 || strdup_opt(rule->interface, &c.interface) < 0 ||
            strdup_opt(rule->member, &c.member) < 0 || strdup_opt(rule->error, &c.error) < 0 ||
            strdup_opt(rule->name, &c.name) < 0) {
                bus_policy_rule_done(&c);
                return -ENOMEM;
        }
        *ret = c;
        return 0;
}

void bus_policy_rule_list_done(BusPolicyRuleList *list) {
        for (size_t i = 0; i < list->n_rules; i++)
                bus_policy_rule_done(&list->rules[i]);
        list->rules = mfree(list->rules);
        list->n_rules = list->n_allocated = 0;
}

int bus_policy_rule_list_append(BusPolicyRuleList *list, BusPolicyRule *rule) {
        if (!GREEDY_REALLOC(list->rules, list->n_allocated, list->n_rules + 1))
                return -ENOMEM;
        list->rules[list->n_rules++] = *rule;
        /* ownership of the strings moved into the list */
        rule->path = rule->interface = rule->member = rule->error = rule->name = NULL;
        return 0;
}

static int rule_list_append_copies(BusPolicyRuleList *dst, const BusPolicyRuleList *src) {
        for (size_t i = 0; i < src->n_rules; i++) {
                BusPolicyRule c;
                int r;

                r = bus_policy_rule_copy(&src->rules[i], &c);
                if (r < 0)
                        return r;
                r = bus_policy_rule_list_append(dst, &c);
                if (r < 0) {
                        bus_policy_rule_done(&c);
                        return r;
                }
        }
        return 0;
}

static BusPolicyRuleList *id_rules_get(BusPolicyIdRules **array, size_t *n, uint32_t id,
                                       bool create) {
        BusPolicyIdRules *a;

        for (size_t i = 0; i < *n; i++)
                if ((*array)[i].id == id)
                        return &(*array)[i].list;
        if (!create)
                return NULL;

        a = reallocarray(*array, *n + 1, sizeof(BusPolicyIdRules));
        if (!a)
                return NULL;
        *array = a;
        a[*n] = (BusPolicyIdRules) { .id = id };
        return &a[(*n)++].list;
}

BusPolicyRuleList *bus_policy_get_user_rules(BusPolicy *policy, uid_t uid, bool create) {
        return id_rules_get(&policy->by_uid, &policy->n_by_uid, uid, create);
}

BusPolicyRuleList *bus_policy_get_group_rules(BusPolicy *policy, gid_t gid, bool create) {
        return id_rules_get(&policy->by_gid, &policy->n_by_gid, gid, create);
}

static void id_rules_free(BusPolicyIdRules *array, size_t n) {
        for (size_t i = 0; i < n; i++)
                bus_policy_rule_list_done(&array[i].list);
        free(array);
}

void bus_policy_done(BusPolicy *policy) {
        bus_policy_rule_list_done(&policy->default_rules);
        id_rules_free(policy->by_gid, policy->n_by_gid);
        id_rules_free(policy->by_uid, policy->n_by_uid);
        bus_policy_rule_list_done(&policy->at_console_true_rules);
        bus_policy_rule_list_done(&policy->at_console_false_rules);
        bus_policy_rule_list_done(&policy->mandatory_rules);
        *policy = (BusPolicy) {};
}

static int id_rules_merge(BusPolicyIdRules **dst, size_t *n_dst, const BusPolicyIdRules *src,
                          size_t n_src) {
        for (size_t i = 0; i < n_src; i++) {
                BusPolicyRuleList *l = id_rules_get(dst, n_dst, src[i].id, true);
                int r;

                if (!l)
                        return -ENOMEM;
                r = rule_list_append_copies(l, &src[i].list);
                if (r < 0)
                        return r;
        }
        return 0;
}

int bus_policy_merge(BusPolicy *dst, const BusPolicy *src) {
        int r;

        r = rule_list_append_copies(&dst->default_rules, &src->default_rules);
        if (r < 0)
                return r;
        r = id_rules_merge(&dst->by_gid, &dst->n_by_gid, src->by_gid, src->n_by_gid);
        if (r < 0)
                return r;
        r = id_rules_merge(&dst->by_uid, &dst->n_by_uid, src->by_uid, src->n_by_uid);
        if (r < 0)
                return r;
        r = rule_list_append_copies(&dst->at_console_true_rules, &src->at_console_true_rules);
        if (r < 0)
                return r;
        r = rule_list_append_copies(&dst->at_console_false_rules, &src->at_console_false_rules);
        if (r < 0)
                return r;
        return rule_list_append_copies(&dst->mandatory_rules, &src->mandatory_rules);
}

size_t bus_policy_n_rules(const BusPolicy *policy) {
        size_t n = policy->default_rules.n_rules + policy->at_console_true_rules.n_rules +
                   policy->at_console_false_rules.n_rules + policy->mandatory_rules.n_rules;

        for (size_t i = 0; i < policy->n_by_gid; i++)
                n += policy->by_gid[i].list.n_rules;
        for (size_t i = 0; i < policy->n_by_uid; i++)
                n += policy->by_uid[i].list.n_rules;
        return n;
}

static const char *const message_type_table[] = {
        [BUS_POLICY_MESSAGE_METHOD_CALL] = "method_call",
        [BUS_POLICY_MESSAGE_METHOD_RETURN] = "method_return",
        [BUS_POLICY_MESSAGE_ERROR] = "error",
        [BUS_POLICY_MESSAGE_SIGNAL] = "signal",
};

const char *bus_policy_message_type_to_string(int t) {
        if (t <= 0 || (size_t) t >= ELEMENTSOF(message_type_table))
                return NULL;
        return message_type_table[t];
}

int bus_policy_message_type_from_string(const char *s) {
        for (size_t i = 1; i < ELEMENTSOF(message_type_table); i++)
                if (streq(s, message_type_table[i]))
                        return (int) i;
        return -EINVAL;
}

bool bus_policy_name_has_prefix(const char *name, const char *prefix) {
        const char *rest = startswith(name, prefix);

        return rest && (*rest == 0 || *rest == '.');
}

static int client_add_list(BusClientPolicy *c, size_t *n_allocated, const BusPolicyRuleList *l) {
        if (!l)
                return 0;
        for (size_t i = 0; i < l->n_rules; i++) {
                /* who may connect is decided elsewhere */
                if (IN_SET(l->rules[i].type, BUS_POLICY_RULE_USER, BUS_POLICY_RULE_GROUP))
                        continue;
                if (!GREEDY_REALLOC(c->rules, *n_allocated, c->n_rules + 1))
                        return -ENOMEM;
                c->rules[c->n_rules++] = &l->rules[i];
        }
        return 0;
}

static bool rule_matches_everything(const BusPolicyRule *r) {
        if (r->type == BUS_POLICY_RULE_OWN)
                return !r->name && !r->name_is_prefix;
        return r->message_type == BUS_POLICY_MESSAGE_ANY && !r->path && !r->interface &&
               !r->member && !r->error && !r->name;
}

/* dbus-daemon's bus_client_policy_optimize(): a catch-all rule hides earlier ones of its kind. */
static void client_optimize(BusClientPolicy *c) {
        for (size_t i = 0; i < c->n_rules; i++) {
                BusPolicyRuleType t = c->rules[i]->type;
                size_t k = 0;

                if (!rule_matches_everything(c->rules[i]))
                        continue;
                for (size_t j = 0; j < c->n_rules; j++)
                        if (j >= i || c->rules[j]->type != t)
                                c->rules[k++] = c->rules[j];
                i -= c->n_rules - k;
                c->n_rules = k;
        }
}

int bus_client_policy_new(const BusPolicy *policy, uid_t uid, const gid_t *gids, size_t n_gids,
                          bool at_console, BusClientPolicy **ret) {
        BusClientPolicy *c = new0(BusClientPolicy, 1);
        BusPolicy *p = (BusPolicy *) policy; /* the lookups below do not create */
        size_t n_allocated = 0;
        int r;

        if (!c)
                return -ENOMEM;
        r = client_add_list(c, &n_allocated, &policy->default_rules);
        for (size_t i = 0; r >= 0 && i < n_gids; i++)
                r = client_add_list(c, &n_allocated, bus_policy_get_group_rules(p, gids[i], false));
        if (r >= 0)
                r = client_add_list(c, &n_allocated, bus_policy_get_user_rules(p, uid, false));
        if (r >= 0)
                r = client_add_list(c, &n_allocated,
                                    at_console ? &policy->at_console_true_rules
                                               : &policy->at_console_false_rules);
        if (r >= 0)
                r = client_add_list(c, &n_allocated, &policy->mandatory_rules);
        if (r < 0) {
                bus_client_policy_free(c);
                return r;
        }
        client_optimize(c);
        *ret = c;
        return 0;
}

BusClientPolicy *bus_client_policy_free(BusClientPolicy *p) {
        if (p) {
                free(p->rules);
                free(p);
        }
        return NULL;
}

bool bus_client_policy_check_can_own(const BusClientPolicy *p, const char *name) {
        bool allowed = false;

        for (size_t i = 0; i < p->n_rules; i++) {
                const BusPolicyRule *r = p->rules[i];

                if (r->type != BUS_POLICY_RULE_OWN)
                        continue;
                if (r->name_is_prefix ? !bus_policy_name_has_prefix(name, r->name)
                                      : (r->name && !streq(name, r->name)))
                        continue;
                allowed = r->allow;
        }
        return allowed;
}

/* The checks send and receive rules share: type, requested replies, path, interface,
 * member, error name and fd count. */
static bool rule_matches_message(const BusPolicyRule *r, const BusPolicyMessage *m,
                                 bool requested_reply) {
        if (r->message_type != BUS_POLICY_MESSAGE_ANY && m->type != r->message_type)
                return false;
        if (m->is_reply) {
                /* an allow rule is for requested replies only unless requested_reply="false"
                 * (or it is an eavesdropping rule); a deny rule only for unrequested ones
                 * unless requested_reply="true" */
                if (!requested_reply && r->allow && r->requested_reply && !r->eavesdrop)
                        return false;
                if (requested_reply && !r->allow && !r->requested_reply)
                        return false;
        }
        if (r->path && m->path && !streq(m->path, r->path))
                return false;
        /* no interface in the message: allow rules naming one do not apply, deny rules do */
        if (r->interface && ((!m->interface && r->allow) ||
                             (m->interface && !streq(m->interface, r->interface))))
                return false;
        if (r->member && m->member && !streq(m->member, r->member))
                return false;
        if (r->error && m->error_name && !streq(m->error_name, r->error))
                return false;
        if ((r->min_fds > 0 || r->max_fds < BUS_POLICY_MAX_MESSAGE_UNIX_FDS) &&
            (m->n_fds < r->min_fds || m->n_fds > r->max_fds))
                return false;
        return true;
}

static bool send_destination_matches(const BusPolicyRule *r, const BusPolicyMessage *m,
                                     BusPolicyOwnsName receiver_owns, void *userdata) {
        if (!r->name)
                return true;
        if (receiver_owns)
                return receiver_owns(r->name, r->name_is_prefix, userdata);
        if (!m->destination)
                return false;
        return r->name_is_prefix ? bus_policy_name_has_prefix(m->destination, r->name)
                                 : streq(m->destination, r->name);
}

bool bus_client_policy_check_can_send(const BusClientPolicy *p, const BusPolicyMessage *m,
                                      bool requested_reply, BusPolicyOwnsName receiver_owns,
                                      void *userdata, bool *ret_log) {
        return bus_client_policy_check_send_full(p, m, requested_reply, receiver_owns, userdata, ret_log, NULL);
}

bool bus_client_policy_check_send_full(const BusClientPolicy *p, const BusPolicyMessage *m,
                                       bool requested_reply, BusPolicyOwnsName receiver_owns,
                                       void *userdata, bool *ret_log, unsigned *ret_matched) {
        bool allowed = false, log = false;
        unsigned matched = 0;

        for (size_t i = 0; i < p->n_rules; i++) {
                const BusPolicyRule *r = p->rules[i];

                if (r->type != BUS_POLICY_RULE_SEND || !rule_matches_message(r, m, requested_reply))
                        continue;
                if (r->broadcast != BUS_POLICY_TRISTATE_ANY) {
                        bool broadcast = !m->destination && m->type == BUS_POLICY_MESSAGE_SIGNAL;

                        if (broadcast != (r->broadcast == BUS_POLICY_TRISTATE_TRUE))
                                continue;
                }
                if (!send_destination_matches(r, m, receiver_owns, userdata))
                        continue;
                allowed = r->allow;
                log = r->log;
                matched++;
        }
        if (ret_log)
                *ret_log = log;
        if (ret_matched)
                *ret_matched = matched;
        return allowed;
}

bool bus_client_policy_check_can_receive(const BusClientPolicy *p, const BusPolicyMessage *m,
                                         bool requested_reply, bool eavesdropping,
                                         BusPolicyOwnsName sender_owns, void *userdata) {
        return bus_client_policy_check_receive_full(p, m, requested_reply, eavesdropping, sender_owns,
                                                    userdata, NULL);
}

bool bus_client_policy_check_receive_full(const BusClientPolicy *p, const BusPolicyMessage *m,
                                          bool requested_reply, bool eavesdropping,
                                          BusPolicyOwnsName sender_owns, void *userdata,
                                          unsigned *ret_matched) {
        bool allowed = false;
        unsigned matched = 0;

        for (size_t i = 0; i < p->n_rules; i++) {
                const BusPolicyRule *r = p->rules[i];

                if (r->type != BUS_POLICY_RULE_RECEIVE)
                        continue;
                if (r->message_type != BUS_POLICY_MESSAGE_ANY && m->type != r->message_type)
                        continue;
                /* allow rules apply to eavesdropping only with eavesdrop="true"; deny rules
                 * with eavesdrop="true" apply only to eavesdropping */
                if (eavesdropping && r->allow && !r->eavesdrop)
                        continue;
                if (!eavesdropping && !r->allow && r->eavesdrop)
                        continue;
                if (!rule_matches_message(r, m, requested_reply))
                        continue;
                if (r->name && (sender_owns ? !sender_owns(r->name, false, userdata)
                                            : !streq_ptr(m->sender, r->name)))
                        continue;
                allowed = r->allow;
                matched++;
        }
        if (ret_matched)
                *ret_matched = matched;
        return allowed;
}

static bool list_allows_user(bool allowed, const BusPolicyRuleList *l, uid_t uid,
                             const gid_t *gids, size_t n_gids) {
        for (size_t i = 0; i < l->n_rules; i++) {
                const BusPolicyRule *r = &l->rules[i];

                if (r->type == BUS_POLICY_RULE_USER) {
                        if (r->uid != UID_INVALID && r->uid != uid)
                                continue;
                } else if (r->type == BUS_POLICY_RULE_GROUP) {
                        bool found = r->gid == GID_INVALID;

                        for (size_t j = 0; !found && j < n_gids; j++)
                                found = gids[j] == r->gid;
                        if (!found)
                                continue;
                } else
                        continue;
                allowed = r->allow;
        }
        return allowed;
}

bool bus_policy_allow_unix_user(const BusPolicy *policy, uid_t uid, const gid_t *gids,
                                size_t n_gids, uid_t bus_uid) {
        bool allowed = uid == bus_uid;

        allowed = list_allows_user(allowed, &policy->default_rules, uid, gids, n_gids);
        return list_allows_user(allowed, &policy->mandatory_rules, uid, gids, n_gids);
}
