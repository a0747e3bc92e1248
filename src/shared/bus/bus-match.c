/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-match.c: match-rule parser, canonical printer, matcher and index (see bus-match.h).
 *
 * The parser reproduces dbus-daemon 1.14's quirks on purpose, since clients rely on what the
 * reference bus accepts: at most 16 key=value pairs are read and the rest of the text is
 * ignored; an empty key stops the tokenizer silently ("=x" is the empty rule); whitespace is
 * skipped around keys but kept in unquoted values; arg numbers are read with strtoul() in
 * base 0 ("arg0x1" is arg1, "arg010" is arg8, "arg+1" is arg1); sender and destination follow
 * libdbus's looser bus-name check (":" and ":1" are accepted); eavesdrop may repeat, the last
 * one wins. All pairs are tokenized before any is interpreted, so a quoting error anywhere
 * wins over a bad key earlier in the text.
 */

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus-match.h"
#include "bus/bus-message.h"
#include "bus/bus-names.h"
#include "hashmap.h"
#include "list.h"
#include "string-util.h"

#define BUS_DRIVER_NAME "org.freedesktop.DBus"
#define TOKENS_MAX 16U /* dbus-daemon reads no more key=value pairs than this */

typedef enum ArgKind {
        ARG_STRING,    /* argN: string equality */
        ARG_PATH,      /* argNpath: equality or a '/'-terminated prefix either way */
        ARG_NAMESPACE, /* arg0namespace: the name or a '.'-separated child of it */
} ArgKind;

typedef struct MatchArg {
        char *value; /* NULL: this index is not matched */
        size_t len;
        ArgKind kind;
} MatchArg;

struct BusMatchRule {
        uint8_t type; /* 0: any */
        bool eavesdrop;
        bool path_namespace; /* path is a path_namespace */
        char *sender, *destination, *interface, *member, *path;
        unsigned n_args; /* highest matched index + 1 */
        MatchArg *args;
};

static const char *const type_names[] = {
        [BUS_MESSAGE_METHOD_CALL] = "method_call",
        [BUS_MESSAGE_METHOD_RETURN] = "method_return",
        [BUS_MESSAGE_ERROR] = "error",
        [BUS_MESSAGE_SIGNAL] = "signal",
};

static const char *type_to_string(uint8_t t) {
        return t < ELEMENTSOF(type_names) ? type_names[t] : NULL;
}

BusMatchRule *bus_match_rule_free(BusMatchRule *rule) {
        if (!rule)
                return NULL;
        free(rule->sender);
        free(rule->destination);
        free(rule->interface);
        free(rule->member);
        free(rule->path);
        for (unsigned i = 0; i < rule->n_args; i++)
                free(rule->args[i].value);
        free(rule->args);
        return mfree(rule);
}

/* ---- parser ---- */

typedef struct Token {
        char *key, *value;
} Token;

_printf_(2, 3) static int fail(char **ret_error, const char *format, ...) {
        va_list ap;
        int k;

        if (!ret_error)
                return -EINVAL;
        va_start(ap, format);
        k = vasprintf(ret_error, format, ap);
        va_end(ap);
        if (k < 0) {
                *ret_error = NULL;
                return -ENOMEM;
        }
        return -EINVAL;
}

static bool is_white(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One value from *p up to an unquoted ',' (consumed) or the end, unquoted as the
 * specification says: inside '…' everything is literal; outside, \' is an apostrophe and any
 * other backslash is itself. */
static int read_value(const char **p, char **ret, char **ret_error) {
        const char *s = *p;
        char quote = 0, *v;
        size_t n = 0;

        v = malloc(strlen(s) + 1); /* a value is never longer than the rest of the text */
        if (!v)
                return -ENOMEM;
        for (; *s; s++) {
                if (quote == 0) {
                        if (*s == ',') {
                                s++;
                                break;
                        }
                        if (*s == '\'' || *s == '\\')
                                quote = *s;
                        else
                                v[n++] = *s;
                } else if (quote == '\\') {
                        if (*s != '\'')
                                v[n++] = '\\';
                        v[n++] = *s;
                        quote = 0;
                } else if (*s == '\'')
                        quote = 0;
                else
                        v[n++] = *s;
        }
        if (quote == '\\')
                v[n++] = '\\';
        else if (quote == '\'') {
                free(v);
                return fail(ret_error, "Unbalanced quotation marks in match rule");
        }
        v[n] = 0;
        *p = s;
        *ret = v;
        return 0;
}

static void tokens_free(Token *t, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(t[i].key);
                free(t[i].value);
        }
}

static int tokenize(const char *text, Token tokens[static TOKENS_MAX], size_t *ret_n, char **ret_error) {
        const char *p = text, *k0;
        size_t n = 0;
        int r;

        while (n < TOKENS_MAX && *p) {
                while (is_white(*p))
                        p++;
                k0 = p;
                while (*p && *p != '=' && !is_white(*p))
                        p++;
                if (p == k0)
                        break; /* end of text, or '=' without key: dbus-daemon stops here too */
                tokens[n].key = strndup(k0, p - k0);
                if (!tokens[n].key) {
                        r = -ENOMEM;
                        goto fail;
                }
                n++;
                while (is_white(*p))
                        p++;
                if (*p != '=') {
                        r = fail(ret_error, "Match rule has a key with no subsequent '=' character");
                        goto fail;
                }
                p++;
                r = read_value(&p, &tokens[n - 1].value, ret_error);
                if (r < 0)
                        goto fail;
        }
        *ret_n = n;
        return 0;
fail:
        tokens_free(tokens, n);
        return r;
}

static bool is_name_char(char c, bool initial) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
               (!initial && c >= '0' && c <= '9');
}

/* libdbus's bus-name check, looser than the specification's for unique names (":" and ":1"
 * pass). With is_namespace, one element is enough (arg0namespace). */
static bool dbus_bus_name_is_valid(const char *s, bool is_namespace) {
        bool start = true, dot = false;
        size_t n = strlen(s);

        if (n == 0 || n > BUS_NAME_MAX)
                return false;
        if (s[0] == ':') {
                /* any name characters; a dot must be followed by one */
                for (const char *c = s + 1; *c; c++) {
                        if (*c == '.')
                                c++;
                        if (!is_name_char(*c, false))
                                return false;
                }
                return true;
        }
        for (const char *c = s; *c; c++) {
                if (start) {
                        if (!is_name_char(*c, true))
                                return false;
                        start = false;
                } else if (*c == '.')
                        start = dot = true;
                else if (!is_name_char(*c, false))
                        return false;
        }
        return !start && (dot || is_namespace);
}

static int parse_arg(BusMatchRule *rule, const char *key, const char *value, char **ret_error) {
        size_t length = strlen(key);
        ArgKind kind = ARG_STRING;
        unsigned long arg;
        char *end = NULL, *copy;

        if (length < 4)
                return fail(ret_error, "Key '%s' in match rule starts with 'arg' but lacks an arg number. "
                            "Should be 'arg0' or 'arg7' for example.\n", key);
        errno = 0;
        arg = strtoul(key + 3, &end, 0);
        if (!end || end == key + 3 || errno != 0)
                return fail(ret_error, "Key '%s' in match rule starts with 'arg' but could not parse arg number. "
                            "Should be 'arg0' or 'arg7' for example.\n", key);
        if (*end) {
                if (streq(end, "path"))
                        kind = ARG_PATH;
                else if (streq(key, "arg0namespace")) {
                        kind = ARG_NAMESPACE;
                        if (!dbus_bus_name_is_valid(value, true))
                                return fail(ret_error, "arg0namespace='%s' is not a valid prefix of a bus name", value);
                } else
                        return fail(ret_error, "Key '%s' in match rule contains junk after argument number (%lu). "
                                    "Only 'arg%lupath' (for example) or 'arg0namespace' are valid", key, arg, arg);
        }
        if (arg > BUS_MATCH_ARG_MAX)
                return fail(ret_error, "Key '%s' in match rule has arg number %lu but the maximum is %u.\n",
                            key, arg, BUS_MATCH_ARG_MAX);
        if (arg < rule->n_args && rule->args[arg].value)
                return fail(ret_error, "Argument %s matched more than once in match rule\n", key);

        copy = strdup(value);
        if (!copy)
                return -ENOMEM;
        if (arg >= rule->n_args) {
                MatchArg *a = reallocarray(rule->args, arg + 1, sizeof(MatchArg));
                if (!a) {
                        free(copy);
                        return -ENOMEM;
                }
                memset(a + rule->n_args, 0, (arg + 1 - rule->n_args) * sizeof(MatchArg));
                rule->args = a;
                rule->n_args = arg + 1;
        }
        rule->args[arg] = (MatchArg) { .value = copy, .len = strlen(copy), .kind = kind };
        return 0;
}

/* sender, destination, interface, member: dbus-daemon's duplicate check, then validation. */
static int parse_name(char **field, const char *key, const char *value, bool valid, const char *what,
                      char **ret_error) {
        if (*field)
                return fail(ret_error, "Key %s specified twice in match rule\n", key);
        if (!valid)
                return fail(ret_error, "%s '%s' is invalid\n", what, value);
        *field = strdup(value);
        return *field ? 0 : -ENOMEM;
}

static int parse_token(BusMatchRule *rule, const char *key, const char *value, char **ret_error) {
        if (streq(key, "type")) {
                uint8_t t = 0;

                if (rule->type != 0)
                        return fail(ret_error, "Key %s specified twice in match rule\n", key);
                for (uint8_t i = 1; i < ELEMENTSOF(type_names); i++)
                        if (streq(value, type_names[i]))
                                t = i;
                if (t == 0)
                        return fail(ret_error, "Invalid message type (%s) in match rule\n", value);
                rule->type = t;
                return 0;
        }
        if (streq(key, "sender"))
                return parse_name(&rule->sender, key, value, dbus_bus_name_is_valid(value, false),
                                  "Sender name", ret_error);
        if (streq(key, "interface"))
                return parse_name(&rule->interface, key, value, bus_interface_name_is_valid(value),
                                  "Interface name", ret_error);
        if (streq(key, "member"))
                return parse_name(&rule->member, key, value, bus_member_name_is_valid(value),
                                  "Member name", ret_error);
        if (streq(key, "destination"))
                return parse_name(&rule->destination, key, value, dbus_bus_name_is_valid(value, false),
                                  "Destination name", ret_error);
        if (streq(key, "path") || streq(key, "path_namespace")) {
                if (rule->path)
                        return fail(ret_error, "path or path_namespace specified twice in match rule\n");
                if (!bus_object_path_is_valid(value))
                        return fail(ret_error, "Path '%s' is invalid\n", value);
                rule->path = strdup(value);
                rule->path_namespace = streq(key, "path_namespace");
                return rule->path ? 0 : -ENOMEM;
        }
        if (streq(key, "eavesdrop")) {
                if (!streq(value, "true") && !streq(value, "false"))
                        return fail(ret_error, "eavesdrop='%s' is invalid, it should be 'true' or 'false'\n", value);
                rule->eavesdrop = streq(value, "true");
                return 0;
        }
        if (startswith(key, "arg"))
                return parse_arg(rule, key, value, ret_error);
        return fail(ret_error, "Unknown key \"%s\" in match rule", key);
}

int bus_match_rule_parse(const char *text, BusMatchRule **ret, char **ret_error) {
        _cleanup_(bus_match_rule_freep) BusMatchRule *rule = NULL;
        Token tokens[TOKENS_MAX] = {};
        size_t n = 0, length;
        int r;

        assert(text);
        assert(ret);

        if (ret_error)
                *ret_error = NULL;
        length = strlen(text);
        if (length > BUS_MATCH_RULE_LENGTH_MAX) {
                if (ret_error && asprintf(ret_error, "Match rule text is %zu bytes, maximum is %u", length,
                                          BUS_MATCH_RULE_LENGTH_MAX) < 0) {
                        *ret_error = NULL;
                        return -ENOMEM;
                }
                return -E2BIG;
        }

        rule = new0(BusMatchRule, 1);
        if (!rule)
                return -ENOMEM;
        r = tokenize(text, tokens, &n, ret_error);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++)
                r = parse_token(rule, tokens[i].key, tokens[i].value, ret_error);
        tokens_free(tokens, n);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(rule);
        return 0;
}

/* ---- canonical form, equality ---- */

typedef struct Buf {
        char *s;
        size_t n, allocated;
        bool oom;
} Buf;

static void buf_put(Buf *b, const char *s, size_t n) {
        if (b->oom)
                return;
        if (!GREEDY_REALLOC(b->s, b->allocated, b->n + n + 1)) {
                b->oom = true;
                return;
        }
        memcpy(b->s + b->n, s, n);
        b->n += n;
        b->s[b->n] = 0;
}

/* key='value', each apostrophe in value written as '\'' (close, escaped quote, reopen). */
static void buf_put_pair(Buf *b, const char *key, const char *suffix, const char *value) {
        if (b->n > 0)
                buf_put(b, ",", 1);
        buf_put(b, key, strlen(key));
        buf_put(b, suffix, strlen(suffix));
        buf_put(b, "='", 2);
        for (const char *q; (q = strchr(value, '\'')); value = q + 1) {
                buf_put(b, value, q - value);
                buf_put(b, "'\\''", 4);
        }
        buf_put(b, value, strlen(value));
        buf_put(b, "'", 1);
}

char *bus_match_rule_to_string(const BusMatchRule *rule) {
        Buf b = {};

        assert(rule);

        buf_put(&b, "", 0); /* an empty rule prints as "" */
        if (rule->type != 0)
                buf_put_pair(&b, "type", "", type_to_string(rule->type));
        if (rule->interface)
                buf_put_pair(&b, "interface", "", rule->interface);
        if (rule->member)
                buf_put_pair(&b, "member", "", rule->member);
        if (rule->path)
                buf_put_pair(&b, rule->path_namespace ? "path_namespace" : "path", "", rule->path);
        if (rule->sender)
                buf_put_pair(&b, "sender", "", rule->sender);
        if (rule->destination)
                buf_put_pair(&b, "destination", "", rule->destination);
        if (rule->eavesdrop)
                buf_put_pair(&b, "eavesdrop", "", "true");
        for (unsigned i = 0; i < rule->n_args; i++) {
                const MatchArg *a = &rule->args[i];
                char key[16];

                if (!a->value)
                        continue;
                snprintf(key, sizeof key, "arg%u", i);
                buf_put_pair(&b, key, a->kind == ARG_PATH ? "path" : a->kind == ARG_NAMESPACE ? "namespace" : "",
                             a->value);
        }
        if (b.oom)
                return mfree(b.s);
        return b.s;
}

bool bus_match_rule_equal(const BusMatchRule *a, const BusMatchRule *b) {
        assert(a);
        assert(b);

        if (a->type != b->type || a->eavesdrop != b->eavesdrop || a->path_namespace != b->path_namespace ||
            a->n_args != b->n_args)
                return false;
        if (!streq_ptr(a->sender, b->sender) || !streq_ptr(a->destination, b->destination) ||
            !streq_ptr(a->interface, b->interface) || !streq_ptr(a->member, b->member) ||
            !streq_ptr(a->path, b->path))
                return false;
        for (unsigned i = 0; i < a->n_args; i++)
                if (a->args[i].kind != b->args[i].kind || !streq_ptr(a->args[i].value, b->args[i].value))
                        return false;
        return true;
}

bool bus_match_rule_get_eavesdrop(const BusMatchRule *rule) {
        return rule->eavesdrop;
}

void bus_match_rule_set_eavesdrop(BusMatchRule *rule, bool b) {
        rule->eavesdrop = b;
}

/* ---- matching ---- */

/* What the rules look at in one message, read once. Args are read lazily, only as far as the
 * rules need (the reader is rewound each time, since callbacks may use it in between). */
typedef struct MessageInfo {
        BusMessage *m;
        const BusMatchContext *ctx;
        uint8_t type;
        const char *sender, *destination, *interface, *member, *path;
        unsigned n_read; /* args 0 .. n_read-1 are known */
        bool body_end;   /* and there are no more */
        char arg_type[BUS_MATCH_ARG_MAX + 1];
        const char *arg[BUS_MATCH_ARG_MAX + 1];
        size_t arg_len[BUS_MATCH_ARG_MAX + 1];
} MessageInfo;

static void info_init(MessageInfo *i, BusMessage *m, const BusMatchContext *ctx) {
        static const BusMatchContext no_ctx = {};

        i->m = m;
        i->ctx = ctx ?: &no_ctx;
        i->type = bus_message_get_type(m);
        i->sender = i->ctx->sender ?: bus_message_get_string_field(m, BUS_FIELD_SENDER);
        i->destination = bus_message_get_string_field(m, BUS_FIELD_DESTINATION);
        i->interface = bus_message_get_string_field(m, BUS_FIELD_INTERFACE);
        i->member = bus_message_get_string_field(m, BUS_FIELD_MEMBER);
        i->path = bus_message_get_string_field(m, BUS_FIELD_PATH);
        i->n_read = 0;
        i->body_end = false;
}

static void info_read_args(MessageInfo *i, unsigned n) {
        char type;

        if (n <= i->n_read || i->body_end)
                return;
        bus_message_rewind(i->m);
        for (unsigned k = 0; k < n; k++) {
                if (bus_message_peek_type(i->m, &type, NULL) <= 0) {
                        i->body_end = true;
                        break;
                }
                if (k < i->n_read || !IN_SET(type, 's', 'o')) {
                        if (k >= i->n_read)
                                i->arg_type[k] = type;
                        if (bus_message_skip(i->m) <= 0) {
                                i->body_end = true;
                                break;
                        }
                } else if (bus_message_read_basic(i->m, type, &i->arg[k]) > 0) {
                        i->arg_type[k] = type;
                        i->arg_len[k] = strlen(i->arg[k]);
                } else {
                        i->body_end = true;
                        break;
                }
                i->n_read = MAX(i->n_read, k + 1);
        }
}

static bool arg_matches(const MatchArg *a, char type, const char *s, size_t n) {
        switch (a->kind) {
        case ARG_PATH:
                /* equal, or the shorter one ends in '/' and is a prefix of the other */
                if (!IN_SET(type, 's', 'o'))
                        return false;
                if (n < a->len && (n == 0 || s[n - 1] != '/'))
                        return false;
                if (a->len < n && (a->len == 0 || a->value[a->len - 1] != '/'))
                        return false;
                return memcmp(s, a->value, MIN(n, a->len)) == 0;
        case ARG_NAMESPACE:
                /* the name itself or below it by whole '.'-separated elements */
                if (type != 's' || a->len > n || memcmp(s, a->value, a->len) != 0)
                        return false;
                return n == a->len || s[a->len] == '.';
        default:
                return type == 's' && n == a->len && memcmp(s, a->value, n) == 0;
        }
}

static bool args_match(const BusMatchRule *rule, MessageInfo *i) {
        for (unsigned k = 0; k < rule->n_args; k++) {
                const MatchArg *a = &rule->args[k];

                if (!a->value)
                        continue;
                info_read_args(i, k + 1);
                if (k >= i->n_read)
                        return false;
                if (!arg_matches(a, i->arg_type[k], IN_SET(i->arg_type[k], 's', 'o') ? i->arg[k] : "",
                                 IN_SET(i->arg_type[k], 's', 'o') ? i->arg_len[k] : 0))
                        return false;
        }
        return true;
}

/* Whether connection `conn` (a unique name, or the bus) is `name` or its primary owner. */
static bool conn_has_name(const MessageInfo *i, const char *conn, const char *name) {
        if (!conn)
                return false;
        if (name[0] == ':' || streq(name, BUS_DRIVER_NAME) || streq(conn, BUS_DRIVER_NAME))
                return streq(conn, name);
        return i->ctx->name_owner && i->ctx->name_owner(conn, name, i->ctx->userdata);
}

/* dbus-daemon's rules: a message to a destination reaches rules other than the receiver's own
 * only with eavesdrop='true'; destination= never matches a broadcast. */
static bool destination_matches(const BusMatchRule *rule, const MessageInfo *i) {
        bool may_see = rule->eavesdrop || i->ctx->to_receiver;

        if (!rule->destination)
                return !i->destination || may_see;
        if (!i->destination || !may_see)
                return false;
        if (i->ctx->recipient)
                return conn_has_name(i, i->ctx->recipient, rule->destination);
        return streq(rule->destination, i->destination);
}

static bool path_matches(const BusMatchRule *rule, const char *path) {
        size_t n;

        if (!path)
                return false;
        if (!rule->path_namespace)
                return streq(path, rule->path);
        n = strlen(rule->path);
        if (strncmp(path, rule->path, n) != 0)
                return false;
        return n == 1 || path[n] == 0 || path[n] == '/'; /* "/" holds every path */
}

static bool rule_matches(const BusMatchRule *rule, MessageInfo *i) {
        if (rule->type != 0 && rule->type != i->type)
                return false;
        if (rule->interface && !streq_ptr(rule->interface, i->interface))
                return false;
        if (rule->member && !streq_ptr(rule->member, i->member))
                return false;
        if (rule->path && !path_matches(rule, i->path))
                return false;
        if (!destination_matches(rule, i))
                return false;
        if (rule->sender && !conn_has_name(i, i->sender, rule->sender))
                return false;
        return args_match(rule, i);
}

bool bus_match_rule_matches(const BusMatchRule *rule, BusMessage *m, const BusMatchContext *ctx) {
        MessageInfo info;
        bool b;

        assert(rule);
        assert(m);

        info_init(&info, m, ctx);
        b = rule_matches(rule, &info);
        if (info.n_read > 0 || info.body_end)
                bus_message_rewind(m);
        return b;
}

/* ---- the index ---- */

/* The exact values a rule can require, which the index keys on. SENDER only when it is a
 * unique name or the bus (a well-known name needs the owner lookup), PATH only for path=. */
enum {
        KEY_TYPE,
        KEY_SENDER,
        KEY_INTERFACE,
        KEY_MEMBER,
        KEY_PATH,
        KEY_ARG0,
        _KEY_MAX,
};
#define N_SHAPES (1U << _KEY_MAX)

/* A shape is the set of keys a rule requires (a bit mask); one hash table per shape maps the
 * values to the bucket of rules requiring exactly them. */
typedef struct MatchKey {
        unsigned shape;
        uint64_t hash;
        const char *v[_KEY_MAX];
} MatchKey;

typedef struct Bucket {
        MatchKey key; /* values point into the rule of one of the entries (all equal) */
        BusMatchEntry *entries; /* newest first */
} Bucket;

/* The entries referring to one unique name, to drop them when it disconnects. */
typedef struct NameRefs {
        char *name;
        BusMatchEntry *by_sender, *by_destination;
} NameRefs;

struct BusMatchEntry {
        BusMatchSet *set;
        BusMatchRule *rule;
        BusMatchOwner *owner;
        void *userdata;
        Bucket *bucket;
        NameRefs *sender_refs, *destination_refs;
        BusMatchEntry *bucket_prev, *bucket_next;
        BusMatchEntry *owner_prev, *owner_next;
        BusMatchEntry *sref_prev, *sref_next;
        BusMatchEntry *dref_prev, *dref_next;
};

struct BusMatchSet {
        Hashmap *buckets[N_SHAPES];
        uint64_t shapes; /* bit s set: buckets[s] is not empty */
        Hashmap *names;  /* unique name → NameRefs */
        size_t n_entries;
        uint64_t n_evaluations;
        uint64_t generation;
        void (*destroy)(void *userdata);
};

static uint64_t key_hash(const void *p) {
        return ((const MatchKey *) p)->hash;
}

static int key_compare(const void *a, const void *b) {
        const MatchKey *x = a, *y = b;

        if (x->shape != y->shape)
                return x->shape < y->shape ? -1 : 1;
        for (unsigned k = 0; k < _KEY_MAX; k++)
                if (x->shape & (1U << k)) {
                        int c = strcmp(x->v[k], y->v[k]);
                        if (c != 0)
                                return c;
                }
        return 0;
}

static const HashOps key_hash_ops = { key_hash, key_compare, NULL, NULL };

/* Field hashes are keyed SipHash (string_hash), so peers cannot aim at one bucket chain. */
static uint64_t key_combine(unsigned shape, const uint64_t fh[_KEY_MAX]) {
        uint64_t h = shape;

        for (unsigned k = 0; k < _KEY_MAX; k++)
                if (shape & (1U << k))
                        h = (h ^ fh[k]) * UINT64_C(0x9e3779b97f4a7c15) + k;
        return h;
}

static void rule_key(const BusMatchRule *r, MatchKey *key, bool with_hash) {
        uint64_t fh[_KEY_MAX] = {};

        *key = (MatchKey) {};
        if (r->type != 0)
                key->v[KEY_TYPE] = type_to_string(r->type);
        if (r->sender && (r->sender[0] == ':' || streq(r->sender, BUS_DRIVER_NAME)))
                key->v[KEY_SENDER] = r->sender;
        key->v[KEY_INTERFACE] = r->interface;
        key->v[KEY_MEMBER] = r->member;
        if (r->path && !r->path_namespace)
                key->v[KEY_PATH] = r->path;
        if (r->n_args > 0 && r->args[0].value && r->args[0].kind == ARG_STRING)
                key->v[KEY_ARG0] = r->args[0].value;
        for (unsigned k = 0; k < _KEY_MAX; k++)
                if (key->v[k]) {
                        key->shape |= 1U << k;
                        if (with_hash)
                                fh[k] = string_hash(key->v[k]);
                }
        if (with_hash)
                key->hash = key_combine(key->shape, fh);
}

void bus_match_owner_init(BusMatchOwner *owner) {
        *owner = (BusMatchOwner) {};
}

void bus_match_owner_done(BusMatchOwner *owner) {
        while (owner->first)
                bus_match_entry_free(owner->first);
}

BusMatchEntry *bus_match_owner_first(const BusMatchOwner *owner) {
        return owner->first;
}

BusMatchEntry *bus_match_entry_next(const BusMatchEntry *e) {
        return e->owner_next;
}

const BusMatchRule *bus_match_entry_get_rule(const BusMatchEntry *e) {
        return e->rule;
}

BusMatchOwner *bus_match_entry_get_owner(const BusMatchEntry *e) {
        return e->owner;
}

void *bus_match_entry_get_userdata(const BusMatchEntry *e) {
        return e->userdata;
}

size_t bus_match_set_size(const BusMatchSet *s) {
        return s->n_entries;
}

uint64_t bus_match_set_get_evaluations(const BusMatchSet *s) {
        return s->n_evaluations;
}

int bus_match_set_new(void (*destroy_userdata)(void *userdata), BusMatchSet **ret) {
        BusMatchSet *s;

        assert(ret);
        s = new0(BusMatchSet, 1);
        if (!s)
                return -ENOMEM;
        s->destroy = destroy_userdata;
        *ret = s;
        return 0;
}

BusMatchSet *bus_match_set_free(BusMatchSet *s) {
        if (!s)
                return NULL;
        for (unsigned shape = 0; shape < N_SHAPES; shape++) {
                Bucket *b;

                /* each free unlinks one entry; the last one of a bucket frees the bucket */
                while ((b = hashmap_first(s->buckets[shape])))
                        bus_match_entry_free(b->entries);
                hashmap_free(s->buckets[shape]);
        }
        hashmap_free(s->names);
        return mfree(s);
}

static NameRefs *name_refs_get(BusMatchSet *s, const char *name) {
        NameRefs *refs = hashmap_get(s->names, name);

        if (refs)
                return refs;
        refs = new0(NameRefs, 1);
        if (!refs)
                return NULL;
        refs->name = strdup(name);
        if (!refs->name || hashmap_ensure_put(&s->names, &string_hash_ops, refs->name, refs) < 0) {
                free(refs->name);
                return mfree(refs);
        }
        return refs;
}

static void name_refs_gc(BusMatchSet *s, NameRefs *refs) {
        if (!refs || refs->by_sender || refs->by_destination)
                return;
        hashmap_remove(s->names, refs->name);
        free(refs->name);
        free(refs);
}

static Bucket *bucket_get(BusMatchSet *s, const BusMatchRule *rule) {
        MatchKey key;
        Bucket *b;

        rule_key(rule, &key, true);
        b = hashmap_get(s->buckets[key.shape], &key);
        if (b)
                return b;
        b = new0(Bucket, 1);
        if (!b)
                return NULL;
        b->key = key;
        if (hashmap_ensure_put(&s->buckets[key.shape], &key_hash_ops, &b->key, b) < 0)
                return mfree(b);
        return b;
}

static void bucket_gc(BusMatchSet *s, Bucket *b) {
        unsigned shape = b->key.shape;

        if (b->entries) {
                /* the key may have pointed into the rule that just went */
                uint64_t hash = b->key.hash;
                rule_key(b->entries->rule, &b->key, false);
                b->key.hash = hash;
                return;
        }
        hashmap_remove(s->buckets[shape], &b->key);
        free(b);
        if (hashmap_isempty(s->buckets[shape]))
                s->shapes &= ~(UINT64_C(1) << shape);
}

int bus_match_set_add(BusMatchSet *s, BusMatchRule *rule, BusMatchOwner *owner, void *userdata,
                      BusMatchEntry **ret) {
        NameRefs *srefs = NULL, *drefs = NULL;
        BusMatchEntry *e;
        Bucket *b;

        assert(s);
        assert(rule);

        e = new0(BusMatchEntry, 1);
        if (!e)
                return -ENOMEM;
        if (rule->sender && rule->sender[0] == ':' && !(srefs = name_refs_get(s, rule->sender)))
                goto oom;
        if (rule->destination && rule->destination[0] == ':' &&
            !(drefs = name_refs_get(s, rule->destination)))
                goto oom;
        b = bucket_get(s, rule);
        if (!b)
                goto oom;

        *e = (BusMatchEntry) { .set = s, .rule = rule, .owner = owner, .userdata = userdata, .bucket = b,
                               .sender_refs = srefs, .destination_refs = drefs };
        LIST_PREPEND(bucket, b->entries, e);
        s->shapes |= UINT64_C(1) << b->key.shape;
        if (srefs)
                LIST_PREPEND(sref, srefs->by_sender, e);
        if (drefs)
                LIST_PREPEND(dref, drefs->by_destination, e);
        if (owner) {
                e->owner_prev = owner->last;
                if (owner->last)
                        owner->last->owner_next = e;
                else
                        owner->first = e;
                owner->last = e;
                owner->n_entries++;
        }
        s->n_entries++;
        if (ret)
                *ret = e;
        return 0;
oom:
        name_refs_gc(s, srefs);
        name_refs_gc(s, drefs);
        free(e);
        return -ENOMEM;
}

void bus_match_entry_free(BusMatchEntry *e) {
        BusMatchSet *s;

        if (!e)
                return;
        s = e->set;
        LIST_REMOVE(bucket, e->bucket->entries, e);
        bucket_gc(s, e->bucket);
        if (e->sender_refs) {
                LIST_REMOVE(sref, e->sender_refs->by_sender, e);
                name_refs_gc(s, e->sender_refs);
        }
        if (e->destination_refs) {
                LIST_REMOVE(dref, e->destination_refs->by_destination, e);
                name_refs_gc(s, e->destination_refs);
        }
        if (e->owner) {
                if (e->owner_prev)
                        e->owner_prev->owner_next = e->owner_next;
                else
                        e->owner->first = e->owner_next;
                if (e->owner_next)
                        e->owner_next->owner_prev = e->owner_prev;
                else
                        e->owner->last = e->owner_prev;
                e->owner->n_entries--;
        }
        s->n_entries--;
        if (s->destroy && e->userdata)
                s->destroy(e->userdata);
        bus_match_rule_free(e->rule);
        free(e);
}

BusMatchEntry *bus_match_set_find(BusMatchSet *s, const BusMatchOwner *owner, const BusMatchRule *rule) {
        BusMatchEntry *e;
        MatchKey key;
        Bucket *b;

        assert(s);
        assert(rule);

        if (owner) {
                for (e = owner->last; e; e = e->owner_prev)
                        if (e->set == s && bus_match_rule_equal(e->rule, rule))
                                return e;
                return NULL;
        }
        rule_key(rule, &key, true);
        b = hashmap_get(s->buckets[key.shape], &key);
        LIST_FOREACH(bucket, e, b ? b->entries : NULL)
                if (!e->owner && bus_match_rule_equal(e->rule, rule))
                        return e;
        return NULL;
}

unsigned bus_match_set_drop_name(BusMatchSet *s, const char *unique_name) {
        NameRefs *refs;
        unsigned n = 0;

        assert(s);
        assert(unique_name);

        /* each free may release refs, so look it up again every time */
        while ((refs = hashmap_get(s->names, unique_name))) {
                bus_match_entry_free(refs->by_sender ?: refs->by_destination);
                n++;
        }
        return n;
}

/* The message's values for each key; returns the mask of keys it has. */
static unsigned message_key(MessageInfo *i, uint64_t needed, const char *v[static _KEY_MAX]) {
        unsigned have = 0;

        v[KEY_TYPE] = type_to_string(i->type);
        v[KEY_SENDER] = i->sender;
        v[KEY_INTERFACE] = i->interface;
        v[KEY_MEMBER] = i->member;
        v[KEY_PATH] = i->path;
        v[KEY_ARG0] = NULL;
        if (needed & (1U << KEY_ARG0)) {
                info_read_args(i, 1);
                if (i->n_read > 0 && i->arg_type[0] == 's')
                        v[KEY_ARG0] = i->arg[0];
        }
        for (unsigned k = 0; k < _KEY_MAX; k++)
                if (v[k] && (needed & (1U << k)))
                        have |= 1U << k;
        return have;
}

static bool skip_entry(const BusMatchEntry *e, const BusMatchContext *ctx, bool once, uint64_t generation) {
        if (!e->owner)
                return false;
        if (ctx && ctx->skip_owner == e->owner)
                return true;
        return once && e->owner->stamp_set == e->set && e->owner->stamp == generation;
}

/* Evaluates the entries of one bucket. Returns the number of callbacks or cb's error. */
static int walk_bucket(BusMatchSet *s, Bucket *b, MessageInfo *info, bool once, BusMatchCallback cb,
                       void *userdata) {
        BusMatchEntry *e;
        int n = 0, r;

        LIST_FOREACH(bucket, e, b ? b->entries : NULL) {
                if (skip_entry(e, info->ctx, once, s->generation))
                        continue;
                s->n_evaluations++;
                if (!rule_matches(e->rule, info))
                        continue;
                if (once && e->owner) {
                        e->owner->stamp_set = s;
                        e->owner->stamp = s->generation;
                }
                n++;
                r = cb(e, userdata);
                if (r < 0)
                        return r;
        }
        return n;
}

int bus_match_set_foreach(BusMatchSet *s, BusMessage *m, const BusMatchContext *ctx, BusMatchFlags flags,
                          BusMatchCallback cb, void *userdata) {
        uint64_t needed = 0, fh[_KEY_MAX] = {};
        const char *v[_KEY_MAX];
        MessageInfo info;
        unsigned have;
        int n = 0, r = 0;

        assert(s);
        assert(m);
        assert(cb);

        s->generation++;
        info_init(&info, m, ctx);
        for (unsigned shape = 0; shape < N_SHAPES; shape++)
                if (s->shapes & (UINT64_C(1) << shape))
                        needed |= shape;
        have = message_key(&info, needed, v);
        for (unsigned k = 0; k < _KEY_MAX; k++)
                if (have & (1U << k))
                        fh[k] = string_hash(v[k]);

        /* one bucket per shape in use whose keys the message has */
        for (unsigned shape = 0; shape < N_SHAPES && r >= 0; shape++) {
                MatchKey key = { .shape = shape, .hash = key_combine(shape, fh) };

                if (!(s->shapes & (UINT64_C(1) << shape)) || (shape & ~have))
                        continue;
                for (unsigned k = 0; k < _KEY_MAX; k++)
                        if (shape & (1U << k))
                                key.v[k] = v[k];
                r = walk_bucket(s, hashmap_get(s->buckets[shape], &key), &info,
                                flags & BUS_MATCH_ONCE_PER_OWNER, cb, userdata);
                if (r > 0)
                        n += r;
        }
        if (info.n_read > 0 || info.body_end)
                bus_message_rewind(m);
        return r < 0 ? r : n;
}
