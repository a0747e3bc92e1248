/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-config-parse: the XML side of bus-config. expat delivers elements and text; a stack of
 * open elements decides what is allowed where, as dbus-daemon's config-parser does. Text is
 * collected and handed to the innermost open element when the next tag starts or ends, and is
 * used as is (dbus-daemon does not trim it either).
 *
 * Every included file is read by its own Parser into its own BusConfig that starts with the
 * includer's limits; only when it loaded completely is it merged into the includer. The chain
 * of files being read (device and inode) detects circular includes however they are spelt.
 *
 * expat itself is loaded (dlopen()) while a configuration is read and unloaded afterwards: the
 * bus reads its configuration at start and on reload only, and expat's pages (some 180 KiB,
 * which no other process of a system shares) would otherwise stay resident all the time.
 */

#include <assert.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus-config-internal.h"
#include "bus-config.h"
#include "bus-userdb.h"
#include "fd-util.h"
#include "log.h"
#include "macro.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

/* Deeper than any sane configuration; stops runaway recursion through symlinked dirs. */
#define INCLUDE_DEPTH_MAX 32
#define CONFIG_FILE_SIZE_MAX (16U * 1024U * 1024U)

typedef enum ElementType {
        ELEMENT_NONE,
        ELEMENT_BUSCONFIG,
        ELEMENT_INCLUDE,
        ELEMENT_USER,
        ELEMENT_LISTEN,
        ELEMENT_AUTH,
        ELEMENT_POLICY,
        ELEMENT_LIMIT,
        ELEMENT_ALLOW,
        ELEMENT_DENY,
        ELEMENT_FORK,
        ELEMENT_PIDFILE,
        ELEMENT_SERVICEDIR,
        ELEMENT_SERVICEHELPER,
        ELEMENT_INCLUDEDIR,
        ELEMENT_CONFIGTYPE,
        ELEMENT_SELINUX,
        ELEMENT_ASSOCIATE,
        ELEMENT_SYSLOG,
        ELEMENT_KEEP_UMASK,
        ELEMENT_STANDARD_SESSION_SERVICEDIRS,
        ELEMENT_STANDARD_SYSTEM_SERVICEDIRS,
        ELEMENT_ALLOW_ANONYMOUS,
        ELEMENT_APPARMOR,
        _ELEMENT_MAX,
        _ELEMENT_INVALID = -EINVAL,
} ElementType;

static const char *const element_names[_ELEMENT_MAX] = {
        [ELEMENT_BUSCONFIG] = "busconfig",
        [ELEMENT_INCLUDE] = "include",
        [ELEMENT_USER] = "user",
        [ELEMENT_LISTEN] = "listen",
        [ELEMENT_AUTH] = "auth",
        [ELEMENT_POLICY] = "policy",
        [ELEMENT_LIMIT] = "limit",
        [ELEMENT_ALLOW] = "allow",
        [ELEMENT_DENY] = "deny",
        [ELEMENT_FORK] = "fork",
        [ELEMENT_PIDFILE] = "pidfile",
        [ELEMENT_SERVICEDIR] = "servicedir",
        [ELEMENT_SERVICEHELPER] = "servicehelper",
        [ELEMENT_INCLUDEDIR] = "includedir",
        [ELEMENT_CONFIGTYPE] = "type",
        [ELEMENT_SELINUX] = "selinux",
        [ELEMENT_ASSOCIATE] = "associate",
        [ELEMENT_SYSLOG] = "syslog",
        [ELEMENT_KEEP_UMASK] = "keep_umask",
        [ELEMENT_STANDARD_SESSION_SERVICEDIRS] = "standard_session_servicedirs",
        [ELEMENT_STANDARD_SYSTEM_SERVICEDIRS] = "standard_system_servicedirs",
        [ELEMENT_ALLOW_ANONYMOUS] = "allow_anonymous",
        [ELEMENT_APPARMOR] = "apparmor",
};

typedef enum PolicyKind {
        POLICY_IGNORED, /* for an unknown user or group: its rules are checked, then dropped */
        POLICY_DEFAULT,
        POLICY_MANDATORY,
        POLICY_USER,
        POLICY_GROUP,
        POLICY_CONSOLE,
        _POLICY_KIND_INVALID = -EINVAL,
} PolicyKind;

typedef struct Element {
        ElementType type;
        bool had_content;
        union {
                struct {
                        bool ignore_missing;
                        bool if_selinux_enabled;
                        bool selinux_root_relative;
                } include;
                struct {
                        PolicyKind kind;
                        uint32_t id; /* uid, gid, or at_console */
                } policy;
                struct {
                        char *name;
                        long value;
                } limit;
        };
} Element;

/* The files being read, innermost first. */
typedef struct IncludeChain {
        dev_t dev;
        ino_t ino;
        const struct IncludeChain *parent;
        unsigned depth;
} IncludeChain;

typedef struct Parser {
        BusConfig *config;
        const char *filename;
        char *basedir;
        BusConfigFlags flags;
        const IncludeChain *chain;
        XML_Parser expat;

        Element *stack;
        size_t n_stack;
        size_t n_stack_allocated;

        char *text;
        size_t n_text;
        size_t n_text_allocated;

        int error;           /* first failure, negative errno */
        char *error_message; /* "FILE:LINE: …" */
} Parser;

static int load_file(const char *path, BusConfigFlags flags, const IncludeChain *parent,
                     const char *origin, const BusLimits *limits, BusConfig **ret,
                     char **ret_error);
_printf_(3, 4) static void load_error(char **ret_error, const char *origin, const char *fmt, ...);

#define EXPAT_SONAME "libexpat.so.1"

/* The expat functions used, while a configuration is read (n_users > 0). */
static struct {
        void *dl;
        unsigned n_users;
        __typeof__(XML_ParserCreate) *parser_create;
        __typeof__(XML_ParserFree) *parser_free;
        __typeof__(XML_SetUserData) *set_user_data;
        __typeof__(XML_SetElementHandler) *set_element_handler;
        __typeof__(XML_SetCharacterDataHandler) *set_character_data_handler;
        __typeof__(XML_Parse) *parse;
        __typeof__(XML_StopParser) *stop_parser;
        __typeof__(XML_GetErrorCode) *get_error_code;
        __typeof__(XML_ErrorString) *error_string;
        __typeof__(XML_GetCurrentLineNumber) *get_current_line_number;
        __typeof__(XML_GetCurrentColumnNumber) *get_current_column_number;
} expat;

static void expat_unload(void) {
        assert(expat.n_users > 0);
        if (--expat.n_users > 0)
                return;
        (void) dlclose(expat.dl);
        expat = (__typeof__(expat)) {};
}

/* Loads expat (once for nested includes). Returns 0, or -ENOENT with *ret_error worded. */
static int expat_load(char **ret_error) {
        const char *e;

        if (expat.n_users > 0) {
                expat.n_users++;
                return 0;
        }
        expat.dl = dlopen(EXPAT_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!expat.dl)
                goto fail;
        expat.n_users = 1;
#define EXPAT_SYM(field, name) \
        if (!(expat.field = (__typeof__(expat.field)) dlsym(expat.dl, name))) \
                goto fail
        EXPAT_SYM(parser_create, "XML_ParserCreate");
        EXPAT_SYM(parser_free, "XML_ParserFree");
        EXPAT_SYM(set_user_data, "XML_SetUserData");
        EXPAT_SYM(set_element_handler, "XML_SetElementHandler");
        EXPAT_SYM(set_character_data_handler, "XML_SetCharacterDataHandler");
        EXPAT_SYM(parse, "XML_Parse");
        EXPAT_SYM(stop_parser, "XML_StopParser");
        EXPAT_SYM(get_error_code, "XML_GetErrorCode");
        EXPAT_SYM(error_string, "XML_ErrorString");
        EXPAT_SYM(get_current_line_number, "XML_GetCurrentLineNumber");
        EXPAT_SYM(get_current_column_number, "XML_GetCurrentColumnNumber");
#undef EXPAT_SYM
        return 0;
fail:
        e = dlerror();
        load_error(ret_error, NULL, "Failed to load %s: %s", EXPAT_SONAME, e ?: "missing symbol");
        if (expat.n_users > 0)
                expat_unload();
        return -ENOENT;
}

static unsigned long parser_line(Parser *p) {
        return p->expat ? (unsigned long) expat.get_current_line_number(p->expat) : 0;
}

/* Records the first error (with file and line) and stops expat. Returns the error. */
_printf_(3, 4) static int parser_fail(Parser *p, int error, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int k;

        if (p->error < 0)
                return p->error;
        p->error = error;
        va_start(ap, fmt);
        k = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (k < 0)
                msg = NULL;
        if (asprintf(&p->error_message, "%s:%lu: %s", p->filename, parser_line(p),
                     msg ?: "Out of memory") < 0)
                p->error_message = NULL;
        if (p->expat)
                expat.stop_parser(p->expat, XML_FALSE);
        return error;
}

/* Takes an error already worded (from an included file): passed through unchanged. */
static int parser_fail_take(Parser *p, int error, char *message) {
        if (p->error < 0) {
                free(message);
                return p->error;
        }
        p->error = error;
        p->error_message = message;
        if (p->expat)
                expat.stop_parser(p->expat, XML_FALSE);
        return error;
}

static int parser_oom(Parser *p) {
        return parser_fail(p, -ENOMEM, "Out of memory");
}

static Element *parser_top(Parser *p) {
        return p->n_stack > 0 ? &p->stack[p->n_stack - 1] : NULL;
}

static ElementType parser_top_type(Parser *p) {
        Element *e = parser_top(p);
        return e ? e->type : ELEMENT_NONE;
}

static Element *parser_push(Parser *p, ElementType type) {
        if (!GREEDY_REALLOC(p->stack, p->n_stack_allocated, p->n_stack + 1)) {
                parser_oom(p);
                return NULL;
        }
        p->stack[p->n_stack] = (Element) { .type = type };
        return &p->stack[p->n_stack++];
}

static void parser_pop(Parser *p) {
        Element *e = parser_top(p);

        if (!e)
                return;
        if (e->type == ELEMENT_LIMIT)
                free(e->limit.name);
        p->n_stack--;
}

static ElementType element_from_name(const char *name) {
        for (int i = ELEMENT_BUSCONFIG; i < _ELEMENT_MAX; i++)
                if (streq(element_names[i], name))
                        return i;
        return ELEMENT_NONE;
}

/* Looks the attributes up by name into values (NULL when absent), refusing unknown and
 * repeated ones with dbus-daemon's messages. */
static int locate_attributes(Parser *p, const char *element, const char **atts,
                             const char *const *names, const char **values, size_t n) {
        for (size_t j = 0; j < n; j++)
                values[j] = NULL;
        for (size_t i = 0; atts[i]; i += 2) {
                bool found = false;

                for (size_t j = 0; j < n; j++) {
                        if (!streq(names[j], atts[i]))
                                continue;
                        if (values[j])
                                return parser_fail(p, -EINVAL,
                                                   "Attribute \"%s\" repeated twice on the same <%s> element",
                                                   names[j], element);
                        values[j] = atts[i + 1];
                        found = true;
                }
                if (!found)
                        return parser_fail(p, -EINVAL,
                                           "Attribute \"%s\" is invalid on <%s> element in this context",
                                           atts[i], element);
        }
        return 0;
}

static int check_no_attributes(Parser *p, const char *element, const char **atts) {
        if (atts[0])
                return parser_fail(p, -EINVAL,
                                   "Attribute \"%s\" is invalid on <%s> element in this context",
                                   atts[0], element);
        return 0;
}

/* "yes"/"no" attributes of <include>. */
static int parse_yes_no(Parser *p, const char *attr, const char *value, bool *ret) {
        if (!value)
                return 0;
        if (streq(value, "yes"))
                *ret = true;
        else if (streq(value, "no"))
                *ret = false;
        else
                return parser_fail(p, -EINVAL, "%s attribute must have value \"yes\" or \"no\"",
                                   attr);
        return 0;
}

/* A user name, or a number that must be a known UID, as dbus-daemon resolves them (through
 * bus-userdb.h: NSS stays out of the daemon). */
static bool resolve_user(const char *name, uint32_t *ret) {
        _cleanup_(bus_user_done) BusUser u = {};
        char *end;
        unsigned long n;
        int r;

        errno = 0;
        n = strtoul(name, &end, 10);
        if (*name && *end == 0 && errno == 0 && n < UINT32_MAX && name[0] != '-')
                r = bus_userdb_get_user_by_uid((uid_t) n, &u);
        else
                r = bus_userdb_get_user_by_name(name, &u);
        if (r <= 0)
                return false;
        *ret = u.uid;
        return true;
}

static bool resolve_group(const char *name, uint32_t *ret) {
        char *end;
        unsigned long n;
        gid_t gid;
        int r;

        errno = 0;
        n = strtoul(name, &end, 10);
        if (*name && *end == 0 && errno == 0 && n < UINT32_MAX && name[0] != '-')
                r = bus_userdb_get_group_by_gid((gid_t) n, &gid);
        else
                r = bus_userdb_get_group_by_name(name, &gid);
        if (r <= 0)
                return false;
        *ret = gid;
        return true;
}

static int start_include(Parser *p, const char **atts) {
        static const char *const names[] = { "ignore_missing", "if_selinux_enabled",
                                             "selinux_root_relative" };
        const char *v[ELEMENTSOF(names)];
        Element *e;
        int r;

        e = parser_push(p, ELEMENT_INCLUDE);
        if (!e)
                return -ENOMEM;
        r = locate_attributes(p, "include", atts, names, v, ELEMENTSOF(names));
        if (r < 0)
                return r;
        r = parse_yes_no(p, "ignore_missing", v[0], &e->include.ignore_missing);
        if (r < 0)
                return r;
        r = parse_yes_no(p, "if_selinux_enabled", v[1], &e->include.if_selinux_enabled);
        if (r < 0)
                return r;
        return parse_yes_no(p, "selinux_root_relative", v[2], &e->include.selinux_root_relative);
}

static int start_policy(Parser *p, const char **atts) {
        static const char *const names[] = { "context", "user", "group", "at_console" };
        const char *v[ELEMENTSOF(names)];
        Element *e;
        int r;

        e = parser_push(p, ELEMENT_POLICY);
        if (!e)
                return -ENOMEM;
        e->policy.kind = POLICY_IGNORED;
        r = locate_attributes(p, "policy", atts, names, v, ELEMENTSOF(names));
        if (r < 0)
                return r;
        if (!!v[0] + !!v[1] + !!v[2] + !!v[3] != 1)
                return parser_fail(p, -EINVAL,
                                   "<policy> element must have exactly one of (context|user|group|at_console) attributes");

        if (v[0]) {
                if (streq(v[0], "default"))
                        e->policy.kind = POLICY_DEFAULT;
                else if (streq(v[0], "mandatory"))
                        e->policy.kind = POLICY_MANDATORY;
                else
                        return parser_fail(p, -EINVAL,
                                           "context attribute on <policy> must have the value \"default\" or \"mandatory\", not \"%s\"",
                                           v[0]);
        } else if (v[1]) {
                if (resolve_user(v[1], &e->policy.id))
                        e->policy.kind = POLICY_USER;
                else
                        log_warning("%s:%lu: Unknown username \"%s\" in message bus configuration file",
                                    p->filename, parser_line(p), v[1]);
        } else if (v[2]) {
                if (resolve_group(v[2], &e->policy.id))
                        e->policy.kind = POLICY_GROUP;
                else
                        log_warning("%s:%lu: Unknown group \"%s\" in message bus configuration file",
                                    p->filename, parser_line(p), v[2]);
        } else {
                if (!streq(v[3], "true") && !streq(v[3], "false"))
                        return parser_fail(p, -EINVAL,
                                           "Unknown value \"%s\" for at_console in message bus configuration file",
                                           v[3]);
                e->policy.kind = POLICY_CONSOLE;
                e->policy.id = streq(v[3], "true");
        }
        return 0;
}

static int start_limit(Parser *p, const char **atts) {
        static const char *const names[] = { "name" };
        const char *v[1];
        Element *e;
        int r;

        e = parser_push(p, ELEMENT_LIMIT);
        if (!e)
                return -ENOMEM;
        r = locate_attributes(p, "limit", atts, names, v, 1);
        if (r < 0)
                return r;
        if (!v[0])
                return parser_fail(p, -EINVAL, "<limit> element must have a \"name\" attribute");
        e->limit.name = strdup(v[0]);
        if (!e->limit.name)
                return parser_oom(p);
        return 0;
}

static int start_apparmor(Parser *p, const char **atts) {
        static const char *const names[] = { "mode" };
        const char *v[1];
        BusConfigApparmorMode m;
        int r;

        if (!parser_push(p, ELEMENT_APPARMOR))
                return -ENOMEM;
        r = locate_attributes(p, "apparmor", atts, names, v, 1);
        if (r < 0)
                return r;
        if (!v[0])
                return 0;
        m = bus_config_apparmor_mode_from_string(v[0]);
        if (m < 0)
                return parser_fail(p, -EINVAL,
                                   "Mode attribute on <apparmor> must have value \"required\", \"enabled\" or \"disabled\", not \"%s\"",
                                   v[0]);
        p->config->apparmor = m;
        return 0;
}

static int start_standard_servicedirs(Parser *p, ElementType t) {
        BusConfig *c = p->config;
        int r;

        if (t == ELEMENT_STANDARD_SYSTEM_SERVICEDIRS)
                r = bus_config_add_standard_system_servicedirs(&c->servicedirs, &c->n_servicedirs);
        else
                r = bus_config_add_standard_session_servicedirs(&c->servicedirs,
                                                                &c->n_servicedirs);
        if (r < 0)
                return parser_oom(p);
        return 0;
}

static int start_busconfig_child(Parser *p, const char *name, const char **atts) {
        ElementType t = element_from_name(name);
        int r;

        switch (t) {
        case ELEMENT_INCLUDE:
                return start_include(p, atts);
        case ELEMENT_POLICY:
                return start_policy(p, atts);
        case ELEMENT_LIMIT:
                return start_limit(p, atts);
        case ELEMENT_APPARMOR:
                return start_apparmor(p, atts);
        case ELEMENT_USER:
        case ELEMENT_CONFIGTYPE:
        case ELEMENT_FORK:
        case ELEMENT_SYSLOG:
        case ELEMENT_KEEP_UMASK:
        case ELEMENT_PIDFILE:
        case ELEMENT_LISTEN:
        case ELEMENT_AUTH:
        case ELEMENT_SERVICEHELPER:
        case ELEMENT_INCLUDEDIR:
        case ELEMENT_STANDARD_SESSION_SERVICEDIRS:
        case ELEMENT_STANDARD_SYSTEM_SERVICEDIRS:
        case ELEMENT_ALLOW_ANONYMOUS:
        case ELEMENT_SERVICEDIR:
        case ELEMENT_SELINUX:
                r = check_no_attributes(p, name, atts);
                if (r < 0)
                        return r;
                if (!parser_push(p, t))
                        return -ENOMEM;
                if (t == ELEMENT_FORK)
                        p->config->fork = true;
                else if (t == ELEMENT_SYSLOG)
                        p->config->syslog = true;
                else if (t == ELEMENT_KEEP_UMASK)
                        p->config->keep_umask = true;
                else if (t == ELEMENT_ALLOW_ANONYMOUS)
                        p->config->allow_anonymous = true;
                else if (IN_SET(t, ELEMENT_STANDARD_SESSION_SERVICEDIRS,
                                ELEMENT_STANDARD_SYSTEM_SERVICEDIRS))
                        return start_standard_servicedirs(p, t);
                return 0;
        default:
                return parser_fail(p, -EINVAL,
                                   "Element <%s> not allowed inside <%s> in configuration file",
                                   name, "busconfig");
        }
}

/* The attributes of <allow>/<deny>, in the order of this table. */
enum {
        A_SEND_INTERFACE,
        A_SEND_MEMBER,
        A_SEND_ERROR,
        A_SEND_DESTINATION,
        A_SEND_DESTINATION_PREFIX,
        A_SEND_PATH,
        A_SEND_TYPE,
        A_SEND_BROADCAST,
        A_RECEIVE_INTERFACE,
        A_RECEIVE_MEMBER,
        A_RECEIVE_ERROR,
        A_RECEIVE_SENDER,
        A_RECEIVE_PATH,
        A_RECEIVE_TYPE,
        A_EAVESDROP,
        A_MAX_FDS,
        A_MIN_FDS,
        A_SEND_REQUESTED_REPLY,
        A_RECEIVE_REQUESTED_REPLY,
        A_OWN,
        A_OWN_PREFIX,
        A_USER,
        A_GROUP,
        A_LOG,
        _A_MAX,
};

static const char *const rule_attribute_names[_A_MAX] = {
        "send_interface", "send_member", "send_error", "send_destination",
        "send_destination_prefix", "send_path", "send_type", "send_broadcast",
        "receive_interface", "receive_member", "receive_error", "receive_sender",
        "receive_path", "receive_type", "eavesdrop", "max_fds", "min_fds",
        "send_requested_reply", "receive_requested_reply", "own", "own_prefix",
        "user", "group", "log",
};

static bool is_wildcard(const char *s) {
        return s && streq(s, "*");
}

static int parse_bool_attribute(Parser *p, const char *attr, const char *value, bool *ret) {
        if (!value)
                return 0;
        if (streq(value, "true"))
                *ret = true;
        else if (streq(value, "false"))
                *ret = false;
        else
                return parser_fail(p, -EINVAL,
                                   "Bad value \"%s\" for %s attribute, must be true or false",
                                   value, attr);
        return 0;
}

/* min_fds / max_fds: strtol's syntax (as dbus-daemon), 0…253. */
static int parse_fds_attribute(Parser *p, const char *attr, const char *value, unsigned *ret) {
        char *end = NULL;
        long v;

        if (!value)
                return 0;
        errno = 0;
        v = strtol(value, &end, 0);
        if (end == value || errno != 0 || v < 0 || v > (long) BUS_POLICY_MAX_MESSAGE_UNIX_FDS)
                return parser_fail(p, -EINVAL,
                                   "Bad value \"%s\" for %s attribute, must be an integer in range %ld to %ld inclusive",
                                   value, attr, 0L, (long) BUS_POLICY_MAX_MESSAGE_UNIX_FDS);
        *ret = (unsigned) v;
        return 0;
}

static int dup_unless_wildcard(Parser *p, const char *s, char **ret) {
        if (!s || is_wildcard(s))
                return 0;
        *ret = strdup(s);
        return *ret ? 0 : parser_oom(p);
}

/* Checks the combination of attributes a rule has, with dbus-daemon's messages. */
static int check_rule_combination(Parser *p, const char *el, const char **v, bool any_send,
                                  bool any_receive) {
        bool any_message = any_send || any_receive || v[A_EAVESDROP] || v[A_MAX_FDS] ||
                           v[A_MIN_FDS];

        if (!(any_send || any_receive || v[A_OWN] || v[A_OWN_PREFIX] || v[A_USER] || v[A_GROUP]))
                return parser_fail(p, -EINVAL, "Element <%s> must have one or more attributes", el);
        if ((v[A_SEND_MEMBER] && !v[A_SEND_INTERFACE] && !v[A_SEND_PATH]) ||
            (v[A_RECEIVE_MEMBER] && !v[A_RECEIVE_INTERFACE] && !v[A_RECEIVE_PATH]))
                return parser_fail(p, -EINVAL,
                                   "On element <%s>, if you specify a member you must specify an interface or a path. Keep in mind that not all messages have an interface field.",
                                   el);
        if (any_message + !!v[A_OWN] + !!v[A_OWN_PREFIX] + !!v[A_USER] + !!v[A_GROUP] > 1)
                return parser_fail(p, -EINVAL,
                                   "Invalid combination of attributes on element <%s>: own, own_prefix, user, group and the message-related attributes cannot be combined",
                                   el);
        if (any_send && any_receive)
                return parser_fail(p, -EINVAL,
                                   "Invalid combination of attributes on element <%s>: send and receive attributes cannot be combined",
                                   el);
        if ((v[A_SEND_MEMBER] || v[A_SEND_INTERFACE]) && v[A_SEND_ERROR])
                return parser_fail(p, -EINVAL,
                                   "Invalid combination of attributes on element <%s>: send_error cannot be combined with send_member or send_interface",
                                   el);
        if (v[A_SEND_DESTINATION] && v[A_SEND_DESTINATION_PREFIX])
                return parser_fail(p, -EINVAL,
                                   "Invalid combination of attributes on element <%s>: send_destination cannot be combined with send_destination_prefix",
                                   el);
        if ((v[A_RECEIVE_MEMBER] || v[A_RECEIVE_INTERFACE]) && v[A_RECEIVE_ERROR])
                return parser_fail(p, -EINVAL,
                                   "Invalid combination of attributes on element <%s>: receive_error cannot be combined with receive_member or receive_interface",
                                   el);
        return 0;
}

/* Fills a send or receive rule; offset selects the send_ or receive_ attribute group. */
static int build_message_rule(Parser *p, const char **v, bool send, BusPolicyRule *rule) {
        const char *type = send ? v[A_SEND_TYPE] : v[A_RECEIVE_TYPE];
        const char *rr = send ? v[A_SEND_REQUESTED_REPLY] : v[A_RECEIVE_REQUESTED_REPLY];
        int r;

        if (type && !is_wildcard(type)) {
                rule->message_type = bus_policy_message_type_from_string(type);
                if (rule->message_type < 0)
                        return parser_fail(p, -EINVAL, "Bad message type \"%s\"", type);
        }
        r = parse_bool_attribute(p, "eavesdrop", v[A_EAVESDROP], &rule->eavesdrop);
        if (r < 0)
                return r;
        if (send && v[A_SEND_BROADCAST]) {
                bool b = false;

                r = parse_bool_attribute(p, "send_broadcast", v[A_SEND_BROADCAST], &b);
                if (r < 0)
                        return r;
                if (b && v[A_SEND_DESTINATION] && !is_wildcard(v[A_SEND_DESTINATION]))
                        return parser_fail(p, -EINVAL,
                                           "Rule with send_broadcast=\"true\" and send_destination=\"%s\" cannot match anything",
                                           v[A_SEND_DESTINATION]);
                rule->broadcast = b ? BUS_POLICY_TRISTATE_TRUE : BUS_POLICY_TRISTATE_FALSE;
        }
        r = parse_bool_attribute(p, send ? "send_requested_reply" : "receive_requested_reply", rr,
                                 &rule->requested_reply);
        if (r < 0)
                return r;
        r = parse_fds_attribute(p, "max_fds", v[A_MAX_FDS], &rule->max_fds);
        if (r < 0)
                return r;
        r = parse_fds_attribute(p, "min_fds", v[A_MIN_FDS], &rule->min_fds);
        if (r < 0)
                return r;
        if (send)
                rule->log = v[A_LOG] && streq(v[A_LOG], "true");

        if (dup_unless_wildcard(p, send ? v[A_SEND_PATH] : v[A_RECEIVE_PATH], &rule->path) < 0 ||
            dup_unless_wildcard(p, send ? v[A_SEND_INTERFACE] : v[A_RECEIVE_INTERFACE],
                                &rule->interface) < 0 ||
            dup_unless_wildcard(p, send ? v[A_SEND_MEMBER] : v[A_RECEIVE_MEMBER], &rule->member) < 0 ||
            dup_unless_wildcard(p, send ? v[A_SEND_ERROR] : v[A_RECEIVE_ERROR], &rule->error) < 0)
                return -ENOMEM;
        if (send && v[A_SEND_DESTINATION_PREFIX]) {
                /* a prefix is never a wildcard, "*" included */
                rule->name = strdup(v[A_SEND_DESTINATION_PREFIX]);
                if (!rule->name)
                        return parser_oom(p);
                rule->name_is_prefix = true;
        } else if (dup_unless_wildcard(p, send ? v[A_SEND_DESTINATION] : v[A_RECEIVE_SENDER],
                                       &rule->name) < 0)
                return -ENOMEM;
        return 0;
}

/* Builds the rule; returns 1 if built, 0 if dropped (unknown user or group). */
static int build_rule(Parser *p, const char *el, const char **v, bool allow, BusPolicyRule *rule) {
        bool any_send = false, any_receive;
        int r;

        for (int i = A_SEND_INTERFACE; i <= A_SEND_BROADCAST; i++)
                any_send = any_send || v[i];
        any_send = any_send || v[A_SEND_REQUESTED_REPLY];
        any_receive = v[A_RECEIVE_INTERFACE] || v[A_RECEIVE_MEMBER] || v[A_RECEIVE_ERROR] ||
                      v[A_RECEIVE_SENDER] || v[A_RECEIVE_PATH] || v[A_RECEIVE_TYPE] ||
                      v[A_RECEIVE_REQUESTED_REPLY] ||
                      /* <allow eavesdrop="true"/> is a receive rule */
                      (!any_send && v[A_EAVESDROP]);

        r = check_rule_combination(p, el, v, any_send, any_receive);
        if (r < 0)
                return r;

        if (any_send || any_receive) {
                bus_policy_rule_init(rule, any_send ? BUS_POLICY_RULE_SEND : BUS_POLICY_RULE_RECEIVE,
                                     allow);
                r = build_message_rule(p, v, any_send, rule);
                return r < 0 ? r : 1;
        }
        if (v[A_OWN] || v[A_OWN_PREFIX]) {
                bus_policy_rule_init(rule, BUS_POLICY_RULE_OWN, allow);
                rule->name_is_prefix = !v[A_OWN];
                r = rule->name_is_prefix ? dup_unless_wildcard(p, v[A_OWN_PREFIX], &rule->name)
                                         : dup_unless_wildcard(p, v[A_OWN], &rule->name);
                if (r == 0 && rule->name_is_prefix && is_wildcard(v[A_OWN_PREFIX])) {
                        rule->name = strdup("*");
                        if (!rule->name)
                                r = parser_oom(p);
                }
                return r < 0 ? r : 1;
        }
        if (v[A_USER]) {
                bus_policy_rule_init(rule, BUS_POLICY_RULE_USER, allow);
                if (is_wildcard(v[A_USER]))
                        return 1;
                if (resolve_user(v[A_USER], &rule->uid))
                        return 1;
                log_warning("%s:%lu: Unknown username \"%s\" on element <%s>", p->filename,
                            parser_line(p), v[A_USER], el);
                return 0;
        }
        bus_policy_rule_init(rule, BUS_POLICY_RULE_GROUP, allow);
        if (is_wildcard(v[A_GROUP]))
                return 1;
        if (resolve_group(v[A_GROUP], &rule->gid))
                return 1;
        log_warning("%s:%lu: Unknown group \"%s\" on element <%s>", p->filename, parser_line(p),
                    v[A_GROUP], el);
        return 0;
}

static BusPolicyRuleList *policy_list_for(Parser *p, const Element *pe) {
        BusPolicy *pol = &p->config->policy;

        switch (pe->policy.kind) {
        case POLICY_DEFAULT:
                return &pol->default_rules;
        case POLICY_MANDATORY:
                return &pol->mandatory_rules;
        case POLICY_USER:
                return bus_policy_get_user_rules(pol, pe->policy.id, true);
        case POLICY_GROUP:
                return bus_policy_get_group_rules(pol, pe->policy.id, true);
        case POLICY_CONSOLE:
                return pe->policy.id ? &pol->at_console_true_rules : &pol->at_console_false_rules;
        default:
                return NULL;
        }
}

static int start_rule(Parser *p, const char *el, const char **atts, bool allow) {
        const char *v[_A_MAX];
        BusPolicyRule rule = {};
        Element *pe = parser_top(p);
        PolicyKind kind = pe->policy.kind;
        BusPolicyRuleList *list;
        int r;

        r = locate_attributes(p, el, atts, rule_attribute_names, v, _A_MAX);
        if (r < 0)
                return r;
        r = build_rule(p, el, v, allow, &rule);
        if (r <= 0)
                goto finish;

        if (IN_SET(kind, POLICY_USER, POLICY_GROUP) &&
            IN_SET(rule.type, BUS_POLICY_RULE_USER, BUS_POLICY_RULE_GROUP)) {
                r = parser_fail(p, -EINVAL,
                                "<%s> rule cannot be per-%s because it has bus-global semantics",
                                el, kind == POLICY_USER ? "user" : "group");
                goto finish;
        }
        if (kind == POLICY_IGNORED)
                goto finish;

        list = policy_list_for(p, pe);
        if (!list || bus_policy_rule_list_append(list, &rule) < 0)
                r = parser_oom(p);
finish:
        bus_policy_rule_done(&rule);
        if (r < 0)
                return r;
        return parser_push(p, allow ? ELEMENT_ALLOW : ELEMENT_DENY) ? 0 : -ENOMEM;
}

static int start_associate(Parser *p, const char **atts) {
        static const char *const names[] = { "own", "context" };
        const char *v[2];
        int r;

        r = locate_attributes(p, "associate", atts, names, v, 2);
        if (r < 0)
                return r;
        if (!parser_push(p, ELEMENT_ASSOCIATE))
                return -ENOMEM;
        if (!v[0] || !v[1])
                return parser_fail(p, -EINVAL,
                                   "Element <associate> must have attributes own=\"<servicename>\" and context=\"<selinux context>\"");
        if (bus_config_selinux_associate(p->config, v[0], v[1]) < 0)
                return parser_oom(p);
        return 0;
}

/* The collected text goes to the innermost open element. */
static int parser_flush_text(Parser *p);

static void on_start(void *userdata, const XML_Char *name, const XML_Char **atts) {
        Parser *p = userdata;
        ElementType t;

        if (p->error < 0 || parser_flush_text(p) < 0)
                return;

        t = parser_top_type(p);
        switch (t) {
        case ELEMENT_NONE:
                if (!streq(name, "busconfig")) {
                        parser_fail(p, -EINVAL, "Unknown element <%s> at root of configuration file",
                                    name);
                        return;
                }
                if (check_no_attributes(p, "busconfig", atts) < 0)
                        return;
                (void) parser_push(p, ELEMENT_BUSCONFIG);
                return;
        case ELEMENT_BUSCONFIG:
                (void) start_busconfig_child(p, name, atts);
                return;
        case ELEMENT_POLICY:
                if (streq(name, "allow"))
                        (void) start_rule(p, name, atts, true);
                else if (streq(name, "deny"))
                        (void) start_rule(p, name, atts, false);
                else
                        parser_fail(p, -EINVAL,
                                    "Element <%s> not allowed inside <%s> in configuration file",
                                    name, "policy");
                return;
        case ELEMENT_SELINUX:
                if (streq(name, "associate"))
                        (void) start_associate(p, atts);
                else
                        parser_fail(p, -EINVAL,
                                    "Element <%s> not allowed inside <%s> in configuration file",
                                    name, "selinux");
                return;
        default:
                parser_fail(p, -EINVAL, "Element <%s> is not allowed in this context", name);
                return;
        }
}

/* dbus-daemon's set_limit() with its messages. */
static int apply_limit(Parser *p, const Element *e) {
        int r = bus_limits_set(&p->config->limits, e->limit.name, e->limit.value);

        if (r == -ENOENT)
                return parser_fail(p, -EINVAL, "There is no limit called \"%s\"", e->limit.name);
        if (r == -ERANGE && e->limit.value < 0)
                return parser_fail(p, -EINVAL, "<limit name=\"%s\"> must be a positive number",
                                   e->limit.name);
        if (r == -ERANGE)
                return parser_fail(p, -EINVAL, "<limit name=\"%s\"> value is too large",
                                   e->limit.name);
        return r;
}

static void on_end(void *userdata, const XML_Char *name) {
        Parser *p = userdata;
        Element *e;

        if (p->error < 0 || parser_flush_text(p) < 0)
                return;
        e = parser_top(p);
        if (!e) {
                parser_fail(p, -EINVAL, "XML parser ended element with no element on the stack");
                return;
        }
        if (!streq(element_names[e->type], name)) {
                parser_fail(p, -EINVAL,
                            "XML element <%s> ended but topmost element on the stack was <%s>",
                            name, element_names[e->type]);
                return;
        }
        if (IN_SET(e->type, ELEMENT_INCLUDE, ELEMENT_USER, ELEMENT_CONFIGTYPE, ELEMENT_LISTEN,
                   ELEMENT_PIDFILE, ELEMENT_AUTH, ELEMENT_SERVICEDIR, ELEMENT_SERVICEHELPER,
                   ELEMENT_INCLUDEDIR, ELEMENT_LIMIT)) {
                if (!e->had_content) {
                        parser_fail(p, -EINVAL,
                                    "XML element <%s> was expected to have content inside it",
                                    element_names[e->type]);
                        return;
                }
                if (e->type == ELEMENT_LIMIT && apply_limit(p, e) < 0)
                        return;
        }
        parser_pop(p);
}

static void on_text(void *userdata, const XML_Char *s, int len) {
        Parser *p = userdata;

        if (p->error < 0 || len <= 0)
                return;
        if (!GREEDY_REALLOC(p->text, p->n_text_allocated, p->n_text + (size_t) len + 1)) {
                parser_oom(p);
                return;
        }
        memcpy(p->text + p->n_text, s, (size_t) len);
        p->n_text += (size_t) len;
        p->text[p->n_text] = 0;
}

/* A path from the file relative to base, as dbus-daemon's make_full_path(). */
static char *make_full_path(const char *base, const char *path) {
        if (path_is_absolute(path))
                return strdup(path);
        return path_join(base, path);
}

static bool selinux_enabled(void) {
        return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

/* /etc/selinux/<SELINUXTYPE>, as libselinux's selinux_policy_root(). */
static char *selinux_policy_root(void) {
        _cleanup_free_ char *data = NULL;
        _cleanup_strv_free_ char **lines = NULL;

        if (read_full_file("/etc/selinux/config", 1024 * 1024, &data, NULL) < 0)
                return NULL;
        if (strv_split_newlines(data, &lines) < 0)
                return NULL;
        STRV_FOREACH(l, lines) {
                const char *v = startswith(strstrip(*l), "SELINUXTYPE=");

                if (v && !isempty(v))
                        return path_join("/etc/selinux", v);
        }
        return NULL;
}

/* Loads one included file into a BusConfig of its own and merges it on success. With
 * ignore_missing, a missing file is no error. */
static int include_file(Parser *p, const char *path, bool ignore_missing) {
        _cleanup_(bus_config_freep) BusConfig *inc = NULL;
        _cleanup_free_ char *origin = NULL;
        char *msg = NULL;
        int r;

        if (asprintf(&origin, "%s:%lu", p->filename, parser_line(p)) < 0)
                return parser_oom(p);
        r = load_file(path, p->flags | BUS_CONFIG_NESTED, p->chain, origin, &p->config->limits,
                      &inc, &msg);
        if (r == -ENOENT && ignore_missing) {
                free(msg);
                return 0;
        }
        if (r < 0)
                return parser_fail_take(p, r, msg);
        r = bus_config_merge_included(p->config, inc);
        if (r < 0)
                return parser_oom(p);
        return 0;
}

static int content_include(Parser *p, Element *e, const char *text) {
        _cleanup_free_ char *root = NULL, *full = NULL;

        if (p->flags & BUS_CONFIG_NO_INCLUDES)
                return 0;
        if (e->include.if_selinux_enabled && !selinux_enabled())
                return 0;
        if (e->include.selinux_root_relative) {
                root = selinux_enabled() ? selinux_policy_root() : NULL;
                if (!root)
                        return parser_fail(p, -EINVAL,
                                           "Could not determine SELinux policy root for relative inclusion");
        }
        full = make_full_path(root ?: p->basedir, text);
        if (!full)
                return parser_oom(p);
        return include_file(p, full, e->include.ignore_missing);
}

static int compare_strings(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Every *.conf in dir (sorted, so the result does not depend on readdir), each loaded as an
 * ignore_missing include whose failure is reported and skipped, as dbus-daemon does. */
static int content_includedir(Parser *p, const char *text) {
        _cleanup_free_ char *dir = NULL;
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;

        if (p->flags & BUS_CONFIG_NO_INCLUDES)
                return 0;
        dir = make_full_path(p->basedir, text);
        if (!dir)
                return parser_oom(p);
        d = opendir(dir);
        if (!d) {
                if (errno == ENOENT)
                        return 0;
                return parser_fail(p, -errno, "Failed to read directory \"%s\": %m", dir);
        }
        while ((errno = 0, de = readdir(d)))
                if (endswith(de->d_name, ".conf") && strv_extend(&names, de->d_name) < 0)
                        return parser_oom(p);
        if (errno != 0)
                return parser_fail(p, -errno, "Failed to read directory \"%s\": %m", dir);
        if (names)
                qsort(names, strv_length(names), sizeof(char *), compare_strings);

        STRV_FOREACH(n, names) {
                _cleanup_free_ char *full = path_join(dir, *n);
                _cleanup_(bus_config_freep) BusConfig *inc = NULL;
                _cleanup_free_ char *msg = NULL;
                int r;

                if (!full)
                        return parser_oom(p);
                r = load_file(full, p->flags | BUS_CONFIG_NESTED, p->chain, NULL,
                              &p->config->limits, &inc, &msg);
                if (r == -ENOENT || r == -ENOMEM) {
                        if (r == -ENOMEM)
                                return parser_oom(p);
                        continue;
                }
                if (r < 0) {
                        log_warning("Encountered error '%s' while parsing '%s'", strna(msg), full);
                        continue;
                }
                if (bus_config_merge_included(p->config, inc) < 0)
                        return parser_oom(p);
        }
        if (strv_extend(&p->config->conf_dirs, dir) < 0)
                return parser_oom(p);
        return 0;
}

static int content_limit(Parser *p, Element *e, const char *text) {
        char *end = NULL;

        errno = 0;
        e->limit.value = strtol(text, &end, 0);
        if (end == text || errno != 0)
                return parser_fail(p, -EINVAL,
                                   "<limit name=\"%s\"> element has invalid value (could not parse as integer)",
                                   e->limit.name);
        return 0;
}

static int set_string(Parser *p, char **dst, const char *text) {
        if (free_and_strdup(dst, text) < 0)
                return parser_oom(p);
        return 0;
}

static int content_servicedir(Parser *p, const char *text) {
        char *full = make_full_path(p->basedir, text);

        if (!full)
                return parser_oom(p);
        if (bus_config_servicedirs_add_take(&p->config->servicedirs, &p->config->n_servicedirs,
                                            full, 0) < 0)
                return parser_oom(p);
        return 0;
}

static bool all_whitespace(const char *s) {
        return s[strspn(s, " \t\r\n")] == 0;
}

static int parser_content(Parser *p, const char *text) {
        Element *e = parser_top(p);
        BusConfig *c = p->config;
        char *full;

        if (!e)
                return parser_fail(p, -EINVAL,
                                   "Text content outside of any XML element in configuration file");
        switch (e->type) {
        case ELEMENT_PIDFILE:
        case ELEMENT_INCLUDE:
        case ELEMENT_SERVICEHELPER:
        case ELEMENT_INCLUDEDIR:
        case ELEMENT_USER:
        case ELEMENT_CONFIGTYPE:
        case ELEMENT_LISTEN:
        case ELEMENT_AUTH:
        case ELEMENT_SERVICEDIR:
        case ELEMENT_LIMIT:
                break;
        default:
                if (all_whitespace(text))
                        return 0;
                return parser_fail(p, -EINVAL,
                                   "No text content expected inside XML element %s in configuration file",
                                   element_names[e->type]);
        }
        if (e->had_content)
                return parser_fail(p, -EINVAL, "Element <%s> had multiple content blocks",
                                   element_names[e->type]);
        e->had_content = true;

        switch (e->type) {
        case ELEMENT_PIDFILE:
                return set_string(p, &c->pidfile, text);
        case ELEMENT_USER:
                return set_string(p, &c->user, text);
        case ELEMENT_CONFIGTYPE:
                return set_string(p, &c->type, text);
        case ELEMENT_LISTEN:
                return strv_extend(&c->listen, text) < 0 ? parser_oom(p) : 0;
        case ELEMENT_AUTH:
                return strv_extend(&c->auth, text) < 0 ? parser_oom(p) : 0;
        case ELEMENT_SERVICEHELPER:
                full = make_full_path(p->basedir, text);
                if (!full)
                        return parser_oom(p);
                free_and_replace_str(&c->servicehelper, full);
                return 0;
        case ELEMENT_SERVICEDIR:
                return content_servicedir(p, text);
        case ELEMENT_INCLUDE:
                return content_include(p, e, text);
        case ELEMENT_INCLUDEDIR:
                return content_includedir(p, text);
        case ELEMENT_LIMIT:
                return content_limit(p, e, text);
        default:
                return 0;
        }
}

static int parser_flush_text(Parser *p) {
        int r;

        if (p->n_text == 0)
                return 0;
        r = parser_content(p, p->text);
        p->n_text = 0;
        p->text[0] = 0;
        return r;
}

static void parser_done(Parser *p) {
        while (p->n_stack > 0)
                parser_pop(p);
        free(p->stack);
        free(p->text);
        free(p->basedir);
        free(p->error_message);
        if (p->expat)
                expat.parser_free(p->expat);
}

/* Parses text into a new BusConfig whose limits start as *limits. */
static int parse_text(const char *text, size_t size, const char *name, BusConfigFlags flags,
                      const IncludeChain *chain, const BusLimits *limits, BusConfig **ret,
                      char **ret_error) {
        _cleanup_(bus_config_freep) BusConfig *config = NULL;
        Parser p = { .filename = name, .flags = flags, .chain = chain };
        int r;

        if (size > INT_MAX) {
                load_error(ret_error, NULL, "%s: file too large", name);
                return -EFBIG;
        }
        r = expat_load(ret_error);
        if (r < 0)
                return r;
        r = bus_config_new(&config);
        if (r < 0) {
                expat_unload();
                return r;
        }
        bus_userdb_begin(); /* the user="…" and group="…" of the file, one helper for all */
        if (limits)
                config->limits = *limits;
        p.config = config;

        r = path_extract_directory(name, &p.basedir);
        if (r == -ENOMEM)
                goto finish;
        if (!p.basedir && !(p.basedir = strdup("."))) {
                r = -ENOMEM;
                goto finish;
        }

        p.expat = expat.parser_create("UTF-8");
        if (!p.expat) {
                r = -ENOMEM;
                goto finish;
        }
        expat.set_user_data(p.expat, &p);
        expat.set_element_handler(p.expat, on_start, on_end);
        expat.set_character_data_handler(p.expat, on_text);

        if (expat.parse(p.expat, text, (int) size, XML_TRUE) == XML_STATUS_ERROR && p.error >= 0) {
                enum XML_Error e = expat.get_error_code(p.expat);

                p.error = e == XML_ERROR_NO_MEMORY ? -ENOMEM : -EINVAL;
                if (asprintf(&p.error_message, "Error in file %s, line %lu, column %lu: %s", name,
                             (unsigned long) expat.get_current_line_number(p.expat),
                             (unsigned long) expat.get_current_column_number(p.expat),
                             expat.error_string(e)) < 0)
                        p.error_message = NULL;
        }
        if (p.error >= 0 && p.n_stack > 0)
                parser_fail(&p, -EINVAL, "Element <%s> was not closed in configuration file",
                            element_names[parser_top_type(&p)]);
        if (p.error >= 0 && !(flags & BUS_CONFIG_NESTED) && strv_isempty(config->listen))
                parser_fail(&p, -EINVAL,
                            "Configuration file needs one or more <listen> elements giving addresses");
        r = p.error;
        if (r >= 0)
                *ret = TAKE_PTR(config);
finish:
        if (r < 0 && ret_error)
                *ret_error = TAKE_PTR(p.error_message);
        parser_done(&p);
        bus_userdb_end();
        expat_unload();
        return r < 0 ? r : 0;
}

/* The whole file behind fd, NUL-terminated; -EFBIG beyond CONFIG_FILE_SIZE_MAX. */
static int read_fd(int fd, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        size_t n = 0, allocated = 0;

        for (;;) {
                ssize_t k;

                if (n >= CONFIG_FILE_SIZE_MAX)
                        return -EFBIG;
                if (!GREEDY_REALLOC(buf, allocated, n + 4096 + 1))
                        return -ENOMEM;
                k = read(fd, buf + n, allocated - n - 1);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        if (!buf && !(buf = strdup("")))
                return -ENOMEM;
        buf[n] = 0;
        *ret = TAKE_PTR(buf);
        *ret_size = n;
        return 0;
}

/* Stores "ORIGIN: MESSAGE" (origin: the including file and line, if any) in *ret_error. */
_printf_(3, 4) static void load_error(char **ret_error, const char *origin, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int k;

        if (!ret_error)
                return;
        va_start(ap, fmt);
        k = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (k < 0)
                msg = NULL;
        if (origin)
                *ret_error = msg ? strjoin(origin, ": ", msg) : NULL;
        else
                *ret_error = TAKE_PTR(msg);
}

static int load_file(const char *path, BusConfigFlags flags, const IncludeChain *parent,
                     const char *origin, const BusLimits *limits, BusConfig **ret,
                     char **ret_error) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *data = NULL;
        IncludeChain link;
        struct stat st;
        size_t size = 0;
        int r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 || fstat(fd, &st) < 0) {
                r = -errno;
                load_error(ret_error, origin, "Failed to open \"%s\": %s", path, strerror(-r));
                return r;
        }
        link = (IncludeChain) { .dev = st.st_dev, .ino = st.st_ino, .parent = parent,
                                .depth = parent ? parent->depth + 1 : 0 };
        for (const IncludeChain *c = parent; c; c = c->parent)
                if (c->dev == st.st_dev && c->ino == st.st_ino) {
                        load_error(ret_error, origin, "Circular inclusion of file '%s'", path);
                        return -ELOOP;
                }
        if (link.depth > INCLUDE_DEPTH_MAX) {
                load_error(ret_error, origin, "Includes nested too deeply at '%s'", path);
                return -ELOOP;
        }

        r = read_fd(fd, &data, &size);
        if (r < 0) {
                load_error(ret_error, origin, "Failed to read \"%s\": %s", path, strerror(-r));
                /* the file exists: that must not look like a missing file */
                return r == -ENOENT ? -EIO : r;
        }
        return parse_text(data, size, path, flags, &link, limits, ret, ret_error);
}

int bus_config_load(const char *path, BusConfigFlags flags, BusConfig **ret, char **ret_error) {
        return load_file(path, flags, NULL, NULL, NULL, ret, ret_error);
}

int bus_config_parse(const char *text, size_t size, const char *name, BusConfigFlags flags,
                     BusConfig **ret, char **ret_error) {
        return parse_text(text, size, name ?: "<buffer>", flags, NULL, NULL, ret, ret_error);
}
