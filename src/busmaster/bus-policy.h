/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-policy: the <policy> rules of a dbus-daemon configuration, as the parser builds them.
 *
 * A BusPolicy owns six rule lists, kept in the order dbus-daemon evaluates them: the
 * context="default" rules, the group="…" rules (one list per GID), the user="…" rules (one list
 * per UID), the at_console="true" and at_console="false" rules, and the context="mandatory"
 * rules. Every list owns its rules (plain arrays of BusPolicyRule; policies are small and only
 * change on reload). Within a list the rules stay in file order, includes spliced in where they
 * occur; several <policy user="x"> blocks for one UID share one list.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum BusPolicyRuleType {
        BUS_POLICY_RULE_SEND,
        BUS_POLICY_RULE_RECEIVE,
        BUS_POLICY_RULE_OWN,
        BUS_POLICY_RULE_USER,  /* who may connect: only in default/mandatory policies */
        BUS_POLICY_RULE_GROUP,
        _BUS_POLICY_RULE_TYPE_MAX,
        _BUS_POLICY_RULE_TYPE_INVALID = -22,
} BusPolicyRuleType;

typedef enum BusPolicyTristate {
        BUS_POLICY_TRISTATE_ANY,
        BUS_POLICY_TRISTATE_FALSE,
        BUS_POLICY_TRISTATE_TRUE,
} BusPolicyTristate;

/* D-Bus message types as on the wire; 0 (INVALID) in a rule means "any type". */
enum {
        BUS_POLICY_MESSAGE_ANY = 0,
        BUS_POLICY_MESSAGE_METHOD_CALL = 1,
        BUS_POLICY_MESSAGE_METHOD_RETURN = 2,
        BUS_POLICY_MESSAGE_ERROR = 3,
        BUS_POLICY_MESSAGE_SIGNAL = 4,
};

/* The largest number of fds a message may carry (protocol limit), the default max_fds. */
#define BUS_POLICY_MAX_MESSAGE_UNIX_FDS 253u

/* One <allow> or <deny>. NULL strings are wildcards ("*" in the file). */
typedef struct BusPolicyRule {
        BusPolicyRuleType type;
        bool allow;

        /* SEND / RECEIVE */
        int message_type;          /* BUS_POLICY_MESSAGE_*, ANY for all */
        char *path;
        char *interface;
        char *member;
        char *error;
        BusPolicyTristate broadcast; /* send_broadcast, SEND only */
        bool eavesdrop;
        bool requested_reply;      /* defaults to `allow` as in dbus-daemon */
        bool log;
        unsigned min_fds;
        unsigned max_fds;

        /* SEND: send_destination(_prefix); RECEIVE: receive_sender; OWN: own(_prefix). */
        char *name;
        bool name_is_prefix;

        /* USER / GROUP: UID_INVALID / GID_INVALID for "*" */
        uid_t uid;
        gid_t gid;
} BusPolicyRule;

typedef struct BusPolicyRuleList {
        BusPolicyRule *rules;
        size_t n_rules;
        size_t n_allocated;
} BusPolicyRuleList;

typedef struct BusPolicyIdRules {
        uint32_t id; /* uid or gid */
        BusPolicyRuleList list;
} BusPolicyIdRules;

typedef struct BusPolicy {
        BusPolicyRuleList default_rules;
        BusPolicyIdRules *by_gid;
        size_t n_by_gid;
        BusPolicyIdRules *by_uid;
        size_t n_by_uid;
        BusPolicyRuleList at_console_true_rules;
        BusPolicyRuleList at_console_false_rules;
        BusPolicyRuleList mandatory_rules;
} BusPolicy;

/* Initializes a rule of the given kind with dbus-daemon's defaults (no strings owned). */
void bus_policy_rule_init(BusPolicyRule *rule, BusPolicyRuleType type, bool allow);
/* Frees the strings a rule owns. */
void bus_policy_rule_done(BusPolicyRule *rule);
/* Deep copy; 0 or -ENOMEM (ret untouched then). */
int bus_policy_rule_copy(const BusPolicyRule *rule, BusPolicyRule *ret);

void bus_policy_rule_list_done(BusPolicyRuleList *list);
/* Moves *rule (its strings) into the list; on -ENOMEM the rule is left to the caller. */
int bus_policy_rule_list_append(BusPolicyRuleList *list, BusPolicyRule *rule);

/* The list of rules for a UID/GID, created empty if missing when create is true; NULL if
 * missing (or on -ENOMEM when creating). */
BusPolicyRuleList *bus_policy_get_user_rules(BusPolicy *policy, uid_t uid, bool create);
BusPolicyRuleList *bus_policy_get_group_rules(BusPolicy *policy, gid_t gid, bool create);

void bus_policy_done(BusPolicy *policy);
/* Appends (deep copies of) all of src's rules to dst's lists of the same kind, as an
 * <include> does. 0 or -ENOMEM (dst may then hold part of src). */
int bus_policy_merge(BusPolicy *dst, const BusPolicy *src);
/* Total number of rules in all lists. */
size_t bus_policy_n_rules(const BusPolicy *policy);

const char *bus_policy_message_type_to_string(int t);
/* "method_call", "method_return", "signal", "error" → BUS_POLICY_MESSAGE_*; -EINVAL else. */
int bus_policy_message_type_from_string(const char *s);

/*
 * Evaluation, as dbus-daemon 1.14 does it. A connection's BusClientPolicy is the sequence of
 * its rules in precedence order: default, then the lists of its groups (in the order of its
 * group list), its user, at_console true or false, mandatory; the last rule that matches a
 * message decides, and nothing matching means deny. As in dbus-daemon, a rule that matches
 * every message of its kind (no type, path, interface, member, error or name) drops the rules
 * of the same kind before it when the client policy is built.
 */

/* The fields of a message the rules look at. NULL strings: the header field is absent. */
typedef struct BusPolicyMessage {
        int type;                 /* BUS_POLICY_MESSAGE_* */
        const char *path;
        const char *interface;
        const char *member;
        const char *error_name;
        const char *destination;
        const char *sender;
        bool is_reply;            /* has a REPLY_SERIAL */
        unsigned n_fds;
} BusPolicyMessage;

/* Whether the peer on the other side (the receiver for send rules, the sender for receive
 * rules) is the primary or a queued owner of name (of a name equal to prefix or below it,
 * dot-separated, when is_prefix). */
typedef bool (*BusPolicyOwnsName)(const char *name, bool is_prefix, void *userdata);

typedef struct BusClientPolicy {
        const BusPolicyRule **rules; /* point into the BusPolicy, which must outlive this */
        size_t n_rules;
} BusClientPolicy;

/* The rules that apply to a connection of uid, in the groups gids, at the console or not.
 * 0 or -ENOMEM; *ret owned by the caller. */
int bus_client_policy_new(const BusPolicy *policy, uid_t uid, const gid_t *gids, size_t n_gids,
                          bool at_console, BusClientPolicy **ret);
BusClientPolicy *bus_client_policy_free(BusClientPolicy *p);

/* May the connection own name? */
bool bus_client_policy_check_can_own(const BusClientPolicy *p, const char *name);

/* May the connection send m? requested_reply: m is a reply the receiver asked for.
 * receiver_owns is NULL when the receiver is the bus driver itself or not yet known
 * (activation): the message's destination field is compared then. *ret_log (may be NULL)
 * is the log attribute of the deciding rule. */
bool bus_client_policy_check_can_send(const BusClientPolicy *p, const BusPolicyMessage *m,
                                      bool requested_reply, BusPolicyOwnsName receiver_owns,
                                      void *userdata, bool *ret_log);

/* The same, also counting the rules that matched (dbus-daemon's "N matched rules"). */
bool bus_client_policy_check_send_full(const BusClientPolicy *p, const BusPolicyMessage *m,
                                       bool requested_reply, BusPolicyOwnsName receiver_owns,
                                       void *userdata, bool *ret_log, unsigned *ret_matched);

/* May the connection receive m? eavesdropping: it is not the addressed recipient of a message
 * that has a destination. sender_owns is NULL when the bus driver sent m (the message's sender
 * field is compared then). */
bool bus_client_policy_check_can_receive(const BusClientPolicy *p, const BusPolicyMessage *m,
                                         bool requested_reply, bool eavesdropping,
                                         BusPolicyOwnsName sender_owns, void *userdata);

bool bus_client_policy_check_receive_full(const BusClientPolicy *p, const BusPolicyMessage *m,
                                          bool requested_reply, bool eavesdropping,
                                          BusPolicyOwnsName sender_owns, void *userdata,
                                          unsigned *ret_matched);

/* May uid (in groups gids) connect at all? The <allow|deny user|group> rules of the default
 * and mandatory policies, starting from "only the bus's own user" (bus_uid). */
bool bus_policy_allow_unix_user(const BusPolicy *policy, uid_t uid, const gid_t *gids,
                                size_t n_gids, uid_t bus_uid);

/* name is prefix or starts with prefix followed by a dot. */
bool bus_policy_name_has_prefix(const char *name, const char *prefix);
