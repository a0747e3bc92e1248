/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-match: D-Bus match rules (D-Bus specification, "Match Rules") as dbus-daemon 1.14
 * understands them, and an index of many rules for routing broadcasts.
 *
 * A BusMatchRule is parsed from its text (dbus-daemon's tokenizer, quoting, limits, checks and
 * error texts), printed back in dbus-daemon's canonical form (what GetAllMatchRules shows:
 * type, interface, member, path, path_namespace, sender, destination, eavesdrop, then args
 * by index, every value in apostrophes) and compared the way RemoveMatch compares. It is
 * immutable once added to a set.
 *
 * A BusMatchSet holds rules, each as a BusMatchEntry with an optional owner (a BusMatchOwner
 * embedded in the caller's connection object: busmaster's connections, or nothing in a client)
 * and a userdata pointer. bus_match_set_foreach() calls back for every entry whose rule
 * matches a message, and can deliver each owner at most once. Rules are indexed by the exact
 * values they require (type, sender when it is a unique name or the bus, interface, member,
 * path, arg0): the message probes one hash bucket per combination of those keys in use, so
 * rules that differ from the message in one of them are never looked at. Matching is not
 * linear in the number of installed rules; bus_match_set_get_evaluations() counts the rules
 * actually evaluated.
 *
 * Nothing here logs; errors come back as negative errno values.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus/bus-error.h"
#include "macro.h"

typedef struct BusMessage BusMessage;

#define BUS_MATCH_RULE_LENGTH_MAX 1024U /* bytes of rule text, as dbus-daemon */
#define BUS_MATCH_ARG_MAX 63U           /* highest argN index */


typedef struct BusMatchRule BusMatchRule;

/* Parses rule text. Returns 0 and a new rule; -EINVAL for an invalid rule (the D-Bus error is
 * BUS_ERROR_MATCH_RULE_INVALID), -E2BIG for text over BUS_MATCH_RULE_LENGTH_MAX bytes
 * (BUS_ERROR_LIMITS_EXCEEDED); on both *ret_error (if non-NULL) gets a new string with
 * dbus-daemon's exact message, trailing newline included where it has one. -ENOMEM. */
int bus_match_rule_parse(const char *text, BusMatchRule **ret, char **ret_error);
/* Frees rule (NULL is fine); returns NULL. Not for rules owned by a set. */
BusMatchRule *bus_match_rule_free(BusMatchRule *rule);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusMatchRule *, bus_match_rule_free);

/* The canonical text, a new string (NULL on ENOMEM). Parsing it gives an equal rule. */
char *bus_match_rule_to_string(const BusMatchRule *rule);
/* Whether a and b select the same messages by the same keys (RemoveMatch's comparison:
 * eavesdrop='false' equals no eavesdrop key). */
bool bus_match_rule_equal(const BusMatchRule *a, const BusMatchRule *b) _pure_;

/* eavesdrop='true' (AddMatch checks the caller's privilege for it). The setter is for rules
 * not yet added to a set (BecomeMonitor makes its rules eavesdrop). */
bool bus_match_rule_get_eavesdrop(const BusMatchRule *rule) _pure_;
void bus_match_rule_set_eavesdrop(BusMatchRule *rule, bool b);

/* Does the connection with unique name `unique_name` currently own `name` as primary owner?
 * Called only for well-known names (never for unique names or "org.freedesktop.DBus"). */
typedef bool (*BusMatchNameOwnerFn)(const char *unique_name, const char *name, void *userdata);

/* Who sends and who receives a message, for sender=, destination= and eavesdrop. */
typedef struct BusMatchContext {
        /* Unique name of the sending connection, or "org.freedesktop.DBus" for the bus itself;
         * NULL: the message's SENDER field. */
        const char *sender;
        /* Unique name of the connection the message is addressed to; NULL if it is a broadcast,
         * goes to the bus, or has no receiver yet (then destination= compares with the
         * DESTINATION field as a string). */
        const char *recipient;
        /* The message is addressed to the connection whose rules are evaluated (a client
         * filtering what it received): rules match it without eavesdrop='true'. The bus leaves
         * this false and skips the addressed connection instead (skip_owner). */
        bool to_receiver;
        /* bus_match_set_foreach() only: entries of this owner are not reported. */
        const struct BusMatchOwner *skip_owner;
        /* Resolves well-known names in sender= and destination=; NULL: they never match. */
        BusMatchNameOwnerFn name_owner;
        void *userdata;
} BusMatchContext;

/* Whether rule matches m (sealed or received; its reader position is reset). ctx may be NULL
 * (sender from the message, no receiver, no name resolution). */
bool bus_match_rule_matches(const BusMatchRule *rule, BusMessage *m, const BusMatchContext *ctx);

/* ---- sets ---- */

typedef struct BusMatchSet BusMatchSet;
typedef struct BusMatchEntry BusMatchEntry;

/* One per subscriber (busmaster: per connection), embedded in its object and set up with
 * bus_match_owner_init(). It lists the owner's entries; the fields are private. */
typedef struct BusMatchOwner {
        BusMatchEntry *first, *last; /* oldest .. newest */
        unsigned n_entries;
        const BusMatchSet *stamp_set; /* delivered-once bookkeeping of bus_match_set_foreach() */
        uint64_t stamp;
} BusMatchOwner;

void bus_match_owner_init(BusMatchOwner *owner);
/* Removes (and frees) every entry of owner, in whatever set. */
void bus_match_owner_done(BusMatchOwner *owner);
static inline unsigned bus_match_owner_count(const BusMatchOwner *owner) {
        return owner->n_entries;
}
/* The owner's entries, oldest first: first entry, or the next one of the same owner. */
BusMatchEntry *bus_match_owner_first(const BusMatchOwner *owner);
BusMatchEntry *bus_match_entry_next(const BusMatchEntry *e);

/* destroy_userdata (may be NULL) is called on an entry's userdata when the entry goes. */
int bus_match_set_new(void (*destroy_userdata)(void *userdata), BusMatchSet **ret);
/* Frees every entry (unlinking them from their owners) and the set. NULL-safe; returns NULL. */
BusMatchSet *bus_match_set_free(BusMatchSet *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(BusMatchSet *, bus_match_set_free);

/* Adds rule (taken over on success, left to the caller on failure) for owner (may be NULL).
 * Returns 0 and the entry in *ret (if non-NULL; owned by the set), -ENOMEM. */
int bus_match_set_add(BusMatchSet *s, BusMatchRule *rule, BusMatchOwner *owner, void *userdata,
                      BusMatchEntry **ret);
/* Removes e from its set and owner and frees it with its rule. NULL-safe. */
void bus_match_entry_free(BusMatchEntry *e);
/* The most recently added entry of owner (NULL: of no owner) whose rule equals rule, or NULL:
 * what RemoveMatch removes (it fails with BUS_ERROR_MATCH_RULE_NOT_FOUND "The given match rule
 * wasn't found and can't be removed" when there is none). */
BusMatchEntry *bus_match_set_find(BusMatchSet *s, const BusMatchOwner *owner, const BusMatchRule *rule);
/* A connection with this unique name went away: unique names are never reused, so every entry
 * whose sender= or destination= is that name is removed. Returns how many. */
unsigned bus_match_set_drop_name(BusMatchSet *s, const char *unique_name);

const BusMatchRule *bus_match_entry_get_rule(const BusMatchEntry *e) _pure_;
BusMatchOwner *bus_match_entry_get_owner(const BusMatchEntry *e) _pure_;
void *bus_match_entry_get_userdata(const BusMatchEntry *e) _pure_;

size_t bus_match_set_size(const BusMatchSet *s) _pure_;
/* Rules evaluated against messages since the set was made (index hits, not all rules). */
uint64_t bus_match_set_get_evaluations(const BusMatchSet *s) _pure_;

typedef enum BusMatchFlags {
        /* Report each owner at most once per message (with the first matching entry found;
         * which one is unspecified). Entries without owner are always reported. */
        BUS_MATCH_ONCE_PER_OWNER = 1 << 0,
} BusMatchFlags;

/* Called for a matching entry. A negative return stops the walk and is returned. It must not
 * add or remove entries of the set (collect them and act afterwards). */
typedef int (*BusMatchCallback)(BusMatchEntry *e, void *userdata);

/* Calls cb for every entry of s whose rule matches m (in no particular order). ctx as for
 * bus_match_rule_matches(). Returns the number of calls, or cb's negative return. m's reader
 * position is reset. Cost: one hash lookup per combination of indexed keys in use (at most 64)
 * plus the rules that agree with m on all their indexed keys.
 * dbus-daemon routes through match rules what connections send and the bus's broadcasts
 * (NameOwnerChanged), but not the unicast messages the bus itself sends (NameAcquired,
 * NameLost, replies): those reach only their receiver and monitors, never eavesdroppers. */
int bus_match_set_foreach(BusMatchSet *s, BusMessage *m, const BusMatchContext *ctx,
                          BusMatchFlags flags, BusMatchCallback cb, void *userdata);
