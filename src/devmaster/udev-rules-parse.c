/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-rules-parse.c: reads udev rules files into the token program of udev-rules.h.
 *
 * Per file: physical lines are read as systemd's read_line() does (\n, \r, \0 and their
 * combinations end a line, at most UDEV_RULES_LINE_SIZE - 1 bytes), joined at a trailing '\',
 * and each logical line is split into KEY{attr}OP"value" pairs which parse_token() checks and
 * turns into tokens with udev 252's rules and messages. A line that fails anywhere is dropped
 * as a whole; a line that does nothing is dropped with a warning. After the file, GOTOs are
 * resolved to the next line carrying their LABEL.
 *
 * Ownership: each kept line owns a copy of its text (buf), into which values, attributes and
 * labels point (values are unescaped in place), the token array and the values[] pointers.
 */

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "escape.h"
#include "fd-util.h"
#include "hashmap.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "udev-rules-parse.h"

/* A token under construction: values_offset indexes ParseContext.vals until the line is done. */
typedef struct TokenBuild {
        UdevRuleToken t;
        size_t values_offset;
} TokenBuild;

typedef struct ParseContext {
        UdevRules *rules;
        const char *filename;
        unsigned line_nr;

        /* the line being parsed */
        UdevRuleLine cur;
        TokenBuild *tokens;
        size_t n_tokens, n_tokens_allocated;
        const char **vals;
        size_t n_vals, n_vals_allocated;

        /* the lines kept so far in this file */
        UdevRuleLine *lines;
        size_t n_lines, n_lines_allocated;
} ParseContext;

/* "<file>:<line> message", as udev's log_token_*() print it. */
#define log_line_full_errno(c, level, error, fmt, ...)                             \
        log_internal((level), (error), __FILE__, __LINE__, __func__, "%s:%u " fmt, \
                     strna((c)->filename), (c)->line_nr, ##__VA_ARGS__)
#define log_line_debug(c, ...) ((void) log_line_full_errno(c, LOG_DEBUG, 0, __VA_ARGS__))
#define log_line_warning(c, ...) ((void) log_line_full_errno(c, LOG_WARNING, 0, __VA_ARGS__))
#define log_line_error(c, ...) ((void) log_line_full_errno(c, LOG_ERR, 0, __VA_ARGS__))
#define log_line_error_errno(c, e, ...) log_line_full_errno(c, LOG_ERR, (e), __VA_ARGS__)

static int log_invalid(ParseContext *c, const char *key, const char *what) {
        return log_line_error_errno(c, -EINVAL, "Invalid %s for %s.", what, key);
}
#define log_invalid_op(c, key) log_invalid(c, key, "operator")
#define log_invalid_attr(c, key) log_invalid(c, key, "attribute")

/* ---- substitution format check (udev_check_format) ---- */

typedef enum FormatKind {
        FORMAT_OTHER,
        FORMAT_ATTR,
        FORMAT_ENV,
        FORMAT_RESULT,
        _FORMAT_KIND_INVALID = -1
} FormatKind;

static const struct {
        const char *name;
        char fmt;
        FormatKind kind;
} subst_map[] = {
        { "devnode", 'N', FORMAT_OTHER }, { "tempnode", 'N', FORMAT_OTHER },
        { "attr", 's', FORMAT_ATTR },     { "sysfs", 's', FORMAT_ATTR },
        { "env", 'E', FORMAT_ENV },       { "kernel", 'k', FORMAT_OTHER },
        { "number", 'n', FORMAT_OTHER },  { "driver", 'd', FORMAT_OTHER },
        { "devpath", 'p', FORMAT_OTHER }, { "id", 'b', FORMAT_OTHER },
        { "major", 'M', FORMAT_OTHER },   { "minor", 'm', FORMAT_OTHER },
        { "result", 'c', FORMAT_RESULT }, { "parent", 'P', FORMAT_OTHER },
        { "name", 'D', FORMAT_OTHER },    { "links", 'L', FORMAT_OTHER },
        { "root", 'r', FORMAT_OTHER },    { "sys", 'S', FORMAT_OTHER },
};

/* One step of the strict scan: 0 for a literal character (or "$$"/"%%", *s at the second one),
 * 1 for a substitution (*s behind it, its {attr} copied), -EINVAL for an unknown one. */
static int format_next(const char **s, FormatKind *ret_kind,
                       char attr[static UDEV_RULES_PATH_SIZE]) {
        const char *p = *s, *q = NULL;
        size_t i;

        if (!IN_SET(*p, '$', '%'))
                return 0;
        if (p[1] == *p) {
                *s = p + 1;
                return 0;
        }
        for (i = 0; i < ELEMENTSOF(subst_map); i++) {
                if (*p == '$' && (q = startswith(p + 1, subst_map[i].name)))
                        break;
                if (*p == '%' && p[1] == subst_map[i].fmt) {
                        q = p + 2;
                        break;
                }
        }
        if (!q)
                return -EINVAL;
        attr[0] = '\0';
        if (*q == '{') {
                const char *end = strchr(q + 1, '}');
                size_t len;

                if (!end)
                        return -EINVAL;
                len = (size_t) (end - q - 1);
                if (len == 0 || len >= UDEV_RULES_PATH_SIZE)
                        return -EINVAL;
                memcpy(attr, q + 1, len);
                attr[len] = '\0';
                q = end + 1;
        }
        *s = q;
        *ret_kind = subst_map[i].kind;
        return 1;
}

/* "N" or "N+" with N an unsigned number. */
static bool is_result_index(const char *attr) {
        char buf[UDEV_RULES_PATH_SIZE];
        size_t n = strlen(attr);

        memcpy(buf, attr, n + 1);
        if (n > 0 && buf[n - 1] == '+')
                buf[n - 1] = '\0';
        return safe_atou(buf, NULL) >= 0;
}

/* Returns 0 if value is a valid format string, or -EINVAL with the 0-based offset of the
 * problem and a hint, as udev 252's udev_check_format(). */
static int check_format(const char *value, size_t *ret_offset, const char **ret_hint) {
        char attr[UDEV_RULES_PATH_SIZE];
        const char *s = value;
        FormatKind kind;
        int r;

        while (*s) {
                r = format_next(&s, &kind, attr);
                if (r == 0) {
                        s++;
                        continue;
                }
                *ret_offset = (size_t) (s - value);
                if (r < 0)
                        *ret_hint = "invalid substitution type";
                else if (IN_SET(kind, FORMAT_ATTR, FORMAT_ENV) && isempty(attr))
                        *ret_hint = "attribute value missing";
                else if (kind == FORMAT_RESULT && !isempty(attr) && !is_result_index(attr))
                        *ret_hint = "attribute value not a valid number";
                else
                        continue;
                return -EINVAL;
        }
        return 0;
}

static void check_value_format(ParseContext *c, const char *key, const char *value, bool nonempty) {
        const char *hint;
        size_t offset;

        if (nonempty && isempty(value))
                (void) log_line_error_errno(c, -EINVAL,
                                            "Invalid value \"%s\" for %s (char %zu: %s), ignoring.",
                                            value, key, (size_t) 0, "empty value");
        else if (check_format(value, &offset, &hint) < 0)
                (void) log_line_error_errno(c, -EINVAL,
                                            "Invalid value \"%s\" for %s (char %zu: %s), ignoring.",
                                            value, key, offset + 1, hint);
}

static int check_attr_format(ParseContext *c, const char *key, const char *attr) {
        const char *hint;
        size_t offset;

        if (isempty(attr))
                return log_invalid_attr(c, key);
        if (check_format(attr, &offset, &hint) < 0)
                (void) log_line_error_errno(
                        c, -EINVAL, "Invalid attribute \"%s\" for %s (char %zu: %s), ignoring.",
                        attr, key, offset + 1, hint);
        return 0;
}

static UdevRuleSubstType subst_type(const char *s) {
        if (s[0] == '[')
                return UDEV_RULE_SUBST_SUBSYS;
        if (strpbrk(s, "%$"))
                return UDEV_RULE_SUBST_FORMAT;
        return UDEV_RULE_SUBST_PLAIN;
}

/* ---- tokens ---- */

/* Splits a match value at '|' in place (udev's nulstr conversion) and records the alternatives;
 * returns whether an empty alternative was present. */
static int split_alternatives(ParseContext *c, char *value, bool *ret_empty) {
        bool bar = true, empty = false;
        char *a, *b, *start = value;

        for (a = b = value; *a; a++) {
                if (*a != '|') {
                        *b++ = *a;
                        bar = false;
                        continue;
                }
                if (bar)
                        empty = true;
                else {
                        *b++ = '\0';
                        if (!GREEDY_REALLOC(c->vals, c->n_vals_allocated, c->n_vals + 1))
                                return -ENOMEM;
                        c->vals[c->n_vals++] = start;
                }
                start = b;
                bar = true;
        }
        *b = '\0';
        if (bar)
                empty = true;
        else {
                if (!GREEDY_REALLOC(c->vals, c->n_vals_allocated, c->n_vals + 1))
                        return -ENOMEM;
                c->vals[c->n_vals++] = start;
        }
        *ret_empty = empty;
        return 0;
}

static int classify_match(ParseContext *c, TokenBuild *tb, char *value) {
        UdevRuleToken *t = &tb->t;
        bool empty = false;
        int r;

        if (t->type == UDEV_TK_M_SUBSYSTEM &&
            (streq(value, "subsystem") || streq(value, "bus") || streq(value, "class")))
                t->match_type = UDEV_RULE_MATCH_SUBSYSTEM;
        else if (isempty(value))
                t->match_type = UDEV_RULE_MATCH_EMPTY;
        else if (streq(value, "?*")) {
                /* KEY=="?*" is KEY!="" */
                t->match_type = UDEV_RULE_MATCH_EMPTY;
                t->op = t->op == UDEV_RULE_OP_MATCH ? UDEV_RULE_OP_NOMATCH : UDEV_RULE_OP_MATCH;
        } else if (strpbrk(value, "*?["))
                t->match_type = UDEV_RULE_MATCH_GLOB;
        else
                t->match_type = UDEV_RULE_MATCH_PLAIN;

        tb->values_offset = c->n_vals;
        if (t->type < UDEV_TK_M_TEST || t->type == UDEV_TK_M_RESULT) {
                r = split_alternatives(c, value, &empty);
                if (r < 0)
                        return r;
        } else {
                if (!GREEDY_REALLOC(c->vals, c->n_vals_allocated, c->n_vals + 1))
                        return -ENOMEM;
                c->vals[c->n_vals++] = value;
        }
        t->n_values = c->n_vals - tb->values_offset;
        if (empty && t->match_type == UDEV_RULE_MATCH_GLOB)
                t->match_type = UDEV_RULE_MATCH_GLOB_WITH_EMPTY;
        if (empty && t->match_type == UDEV_RULE_MATCH_PLAIN)
                t->match_type = UDEV_RULE_MATCH_PLAIN_WITH_EMPTY;
        return 0;
}

static void update_line_flags(UdevRuleLine *l, UdevRuleTokenType type) {
        if (type == UDEV_TK_A_NAME)
                l->flags |= UDEV_RULE_LINE_HAS_NAME;
        else if (IN_SET(type, UDEV_TK_A_DEVLINK, UDEV_TK_A_OWNER, UDEV_TK_A_GROUP, UDEV_TK_A_MODE,
                        UDEV_TK_A_OWNER_ID, UDEV_TK_A_GROUP_ID, UDEV_TK_A_MODE_ID))
                l->flags |= UDEV_RULE_LINE_HAS_DEVLINK;
        else if (type == UDEV_TK_A_OPTIONS_STATIC_NODE)
                l->flags |= UDEV_RULE_LINE_HAS_STATIC_NODE;
        else if (type >= _UDEV_TK_A_MIN ||
                 IN_SET(type, UDEV_TK_M_PROGRAM, UDEV_TK_M_IMPORT_FILE, UDEV_TK_M_IMPORT_PROGRAM,
                        UDEV_TK_M_IMPORT_BUILTIN, UDEV_TK_M_IMPORT_DB, UDEV_TK_M_IMPORT_CMDLINE,
                        UDEV_TK_M_IMPORT_PARENT))
                l->flags |= UDEV_RULE_LINE_UPDATE_SOMETHING;
}

/* Adds a token to the line being parsed; *ret (may be NULL) gets it for setting data. Returns
 * 1, or -ENOMEM (logged). */
static int add_token(ParseContext *c, UdevRuleTokenType type, UdevRuleOperator op, char *value,
                     const char *attr, UdevRuleToken **ret) {
        TokenBuild *tb;
        int r;

        if (!GREEDY_REALLOC(c->tokens, c->n_tokens_allocated, c->n_tokens + 1))
                return log_oom();
        tb = &c->tokens[c->n_tokens];
        *tb = (TokenBuild) {
                .t = {
                        .type = type,
                        .op = op,
                        .match_type = _UDEV_RULE_MATCH_INVALID,
                        .attr_subst = attr ? subst_type(attr) : _UDEV_RULE_SUBST_INVALID,
                        .value = value,
                        .attr = attr,
                        .data.mode = UDEV_RULES_MODE_INVALID,
                },
        };
        if (udev_rule_token_type_is_match(type)) {
                r = classify_match(c, tb, value);
                if (r < 0)
                        return log_oom();
        }
        if (IN_SET(type, UDEV_TK_M_ATTR, UDEV_TK_M_PARENTS_ATTR)) {
                size_t len = strlen(value); /* the first alternative, as udev sees it */

                tb->t.attr_match_remove_trailing_whitespace =
                        len > 0 && !isspace((unsigned char) value[len - 1]);
        }
        tb->t.value_subst = value && strpbrk(value, "%$");
        c->n_tokens++;
        update_line_flags(&c->cur, type);
        if (ret)
                *ret = &tb->t;
        return 1;
}

/* ---- keys ---- */

typedef struct KeyInfo KeyInfo;
typedef int (*KeyParser)(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                         char *value);
struct KeyInfo {
        const char *name;
        KeyParser parse;
        UdevRuleTokenType match, assign;
};

static bool op_is_match(UdevRuleOperator op) {
        return IN_SET(op, UDEV_RULE_OP_MATCH, UDEV_RULE_OP_NOMATCH);
}

/* ACTION, DEVPATH, KERNEL, DRIVER, KERNELS, SUBSYSTEMS, DRIVERS, TAGS, RESULT, SUBSYSTEM */
static int parse_key_match_only(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                                char *value) {
        if (attr)
                return log_invalid_attr(c, k->name);
        if (!op_is_match(op))
                return log_invalid_op(c, k->name);
        if (k->match == UDEV_TK_M_SUBSYSTEM && (streq(value, "bus") || streq(value, "class")))
                log_line_warning(c, "\"%s\" must be specified as \"subsystem\".", value);
        return add_token(c, k->match, op, value, NULL, NULL);
}

/* SYMLINK, TAG, NAME: no attribute, match or assignment */
static int parse_key_no_attr(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                             char *value) {
        bool is_match = op_is_match(op);

        if (attr)
                return log_invalid_attr(c, k->name);
        if (op == UDEV_RULE_OP_REMOVE && k->assign != UDEV_TK_A_TAG)
                return log_invalid_op(c, k->name);
        if (k->assign == UDEV_TK_A_NAME && op == UDEV_RULE_OP_ADD) {
                log_line_warning(c, "%s key takes '==', '!=', '=', or ':=' operator, assuming '='.",
                                 k->name);
                op = UDEV_RULE_OP_ASSIGN;
        }
        if (k->assign == UDEV_TK_A_TAG && op == UDEV_RULE_OP_ASSIGN_FINAL) {
                log_line_warning(c, "%s key takes '==', '!=', '=', or '+=' operator, assuming '='.",
                                 k->name);
                op = UDEV_RULE_OP_ASSIGN;
        }
        if (is_match)
                return add_token(c, k->match, op, value, NULL, NULL);
        if (k->assign == UDEV_TK_A_NAME) {
                if (streq(value, "%k"))
                        return log_line_error_errno(
                                c, -EINVAL, "Ignoring NAME=\"%%k\", as it will take no effect.");
                if (isempty(value))
                        return log_line_error_errno(c, -EINVAL,
                                                    "Ignoring NAME=\"\", as udev will not delete "
                                                    "any network interfaces.");
        }
        check_value_format(c, k->name, value, k->assign == UDEV_TK_A_TAG);
        return add_token(c, k->assign, op, value, NULL, NULL);
}

static int parse_key_env(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                         char *value) {
        static const char *const protected[] = { "ACTION",  "DEVLINKS", "DEVNAME",   "DEVPATH",
                                                 "DEVTYPE", "DRIVER",   "IFINDEX",   "MAJOR",
                                                 "MINOR",   "SEQNUM",   "SUBSYSTEM", "TAGS" };
        bool is_match = op_is_match(op);

        if (isempty(attr))
                return log_invalid_attr(c, k->name);
        if (op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        if (op == UDEV_RULE_OP_ASSIGN_FINAL) {
                log_line_warning(c, "%s key takes '==', '!=', '=', or '+=' operator, assuming '='.",
                                 k->name);
                op = UDEV_RULE_OP_ASSIGN;
        }
        if (is_match)
                return add_token(c, UDEV_TK_M_ENV, op, value, attr, NULL);
        for (size_t i = 0; i < ELEMENTSOF(protected); i++)
                if (streq(attr, protected[i]))
                        return log_line_error_errno(
                                c, -EINVAL, "Invalid ENV attribute. '%s' cannot be set.", attr);
        check_value_format(c, k->name, value, false);
        return add_token(c, UDEV_TK_A_ENV, op, value, attr, NULL);
}

static int parse_key_const(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                           char *value) {
        if (isempty(attr) || !(streq(attr, "arch") || streq(attr, "virt")))
                return log_invalid_attr(c, k->name);
        if (!op_is_match(op))
                return log_invalid_op(c, k->name);
        return add_token(c, UDEV_TK_M_CONST, op, value, attr, NULL);
}

/* ATTR, SYSCTL */
static int parse_key_attr(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                          char *value) {
        int r;

        r = check_attr_format(c, k->name, attr);
        if (r < 0)
                return r;
        if (op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        if (IN_SET(op, UDEV_RULE_OP_ADD, UDEV_RULE_OP_ASSIGN_FINAL)) {
                log_line_warning(c, "%s key takes '==', '!=', or '=' operator, assuming '='.",
                                 k->name);
                op = UDEV_RULE_OP_ASSIGN;
        }
        if (op_is_match(op))
                return add_token(c, k->match, op, value, attr, NULL);
        check_value_format(c, k->name, value, false);
        return add_token(c, k->assign, op, value, attr, NULL);
}

static int parse_key_attrs(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                           char *value) {
        int r;

        r = check_attr_format(c, k->name, attr);
        if (r < 0)
                return r;
        if (!op_is_match(op))
                return log_invalid_op(c, k->name);
        if (startswith(attr, "device/"))
                log_line_warning(c, "'device' link may not be available in future kernels.");
        if (strstr(attr, "../"))
                log_line_warning(
                        c,
                        "Direct reference to parent sysfs directory, may break in future kernels.");
        return add_token(c, UDEV_TK_M_PARENTS_ATTR, op, value, attr, NULL);
}

static int parse_key_test(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                          char *value) {
        mode_t mode = UDEV_RULES_MODE_INVALID;
        UdevRuleToken *t;
        int r;

        if (!isempty(attr)) {
                r = parse_mode(attr, &mode);
                if (r < 0)
                        return log_line_error_errno(c, r, "Failed to parse mode '%s': %m", attr);
        }
        check_value_format(c, k->name, value, true);
        if (!op_is_match(op))
                return log_invalid_op(c, k->name);
        r = add_token(c, UDEV_TK_M_TEST, op, value, NULL, &t);
        if (r > 0)
                t->data.mode = mode;
        return r;
}

static int parse_key_program(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                             char *value) {
        if (attr)
                return log_invalid_attr(c, k->name);
        check_value_format(c, k->name, value, true);
        if (op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        if (!op_is_match(op))
                op = UDEV_RULE_OP_MATCH;
        return add_token(c, UDEV_TK_M_PROGRAM, op, value, NULL, NULL);
}

static int add_builtin_token(ParseContext *c, UdevRuleTokenType type, UdevRuleOperator op,
                             char *value, UdevRulesBuiltin b) {
        UdevRuleToken *t;
        int r;

        r = add_token(c, type, op, value, NULL, &t);
        if (r > 0)
                t->data.builtin = b;
        return r;
}

static int parse_key_import(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                            char *value) {
        static const struct {
                const char *attr;
                UdevRuleTokenType type;
        } simple[] = {
                { "file", UDEV_TK_M_IMPORT_FILE },
                { "db", UDEV_TK_M_IMPORT_DB },
                { "cmdline", UDEV_TK_M_IMPORT_CMDLINE },
                { "parent", UDEV_TK_M_IMPORT_PARENT },
        };
        UdevRulesBuiltin b;

        if (isempty(attr))
                return log_invalid_attr(c, k->name);
        check_value_format(c, k->name, value, true);
        if (op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        if (!op_is_match(op))
                op = UDEV_RULE_OP_MATCH;

        for (size_t i = 0; i < ELEMENTSOF(simple); i++)
                if (streq(attr, simple[i].attr))
                        return add_token(c, simple[i].type, op, value, NULL, NULL);
        if (streq(attr, "program")) {
                b = udev_rules_builtin_lookup(value);
                if (b < 0)
                        return add_token(c, UDEV_TK_M_IMPORT_PROGRAM, op, value, NULL, NULL);
                log_line_debug(c, "Found builtin command '%s' for %s, replacing attribute", value,
                               k->name);
                return add_builtin_token(c, UDEV_TK_M_IMPORT_BUILTIN, op, value, b);
        }
        if (streq(attr, "builtin")) {
                b = udev_rules_builtin_lookup(value);
                if (b < 0)
                        return log_line_error_errno(c, -EINVAL, "Unknown builtin command: %s",
                                                    value);
                return add_builtin_token(c, UDEV_TK_M_IMPORT_BUILTIN, op, value, b);
        }
        return log_invalid_attr(c, k->name);
}

/* log_level_from_string() of systemd 252: a level name or a number up to 7. */
static int parse_log_level(const char *s) {
        static const char *const names[] = { "emerg",   "alert",  "crit", "err",
                                             "warning", "notice", "info", "debug" };
        unsigned u;

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(s, names[i]))
                        return (int) i;
        if (safe_atou(s, &u) < 0 || u > LOG_DEBUG)
                return -EINVAL;
        return (int) u;
}

static int add_int_option(ParseContext *c, UdevRuleTokenType type, UdevRuleOperator op, int v) {
        UdevRuleToken *t;
        int r;

        r = add_token(c, type, op, NULL, NULL, &t);
        if (r <= 0)
                return r;
        if (type == UDEV_TK_A_OPTIONS_INOTIFY_WATCH)
                t->data.watch = v;
        else if (type == UDEV_TK_A_OPTIONS_DEVLINK_PRIORITY)
                t->data.link_priority = v;
        else
                t->data.log_level = v;
        return r;
}

static int parse_key_options(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                             char *value) {
        char *tmp;
        int r, v;

        if (attr)
                return log_invalid_attr(c, k->name);
        if (op_is_match(op) || op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        if (op == UDEV_RULE_OP_ADD)
                op = UDEV_RULE_OP_ASSIGN;

        if (streq(value, "string_escape=none"))
                return add_token(c, UDEV_TK_A_OPTIONS_STRING_ESCAPE_NONE, op, NULL, NULL, NULL);
        if (streq(value, "string_escape=replace"))
                return add_token(c, UDEV_TK_A_OPTIONS_STRING_ESCAPE_REPLACE, op, NULL, NULL, NULL);
        if (streq(value, "db_persist"))
                return add_token(c, UDEV_TK_A_OPTIONS_DB_PERSIST, op, NULL, NULL, NULL);
        if (streq(value, "watch") || streq(value, "nowatch"))
                return add_int_option(c, UDEV_TK_A_OPTIONS_INOTIFY_WATCH, op,
                                      streq(value, "watch"));
        if ((tmp = startswith(value, "static_node=")))
                return add_token(c, UDEV_TK_A_OPTIONS_STATIC_NODE, op, tmp, NULL, NULL);
        if ((tmp = startswith(value, "link_priority="))) {
                r = safe_atoi(tmp, &v);
                if (r < 0)
                        return log_line_error_errno(c, r, "Failed to parse link priority '%s': %m",
                                                    tmp);
                return add_int_option(c, UDEV_TK_A_OPTIONS_DEVLINK_PRIORITY, op, v);
        }
        if ((tmp = startswith(value, "log_level="))) {
                v = streq(tmp, "reset") ? -1 : parse_log_level(tmp);
                if (v < -1)
                        return log_line_error_errno(c, v, "Failed to parse log level '%s': %m",
                                                    tmp);
                return add_int_option(c, UDEV_TK_A_OPTIONS_LOG_LEVEL, op, v);
        }
        log_line_warning(c, "Invalid value for OPTIONS key, ignoring: '%s'", value);
        return 0;
}

/* Resolves a literal user/group name through the cache and the resolver: 0 with the id
 * (UID_INVALID when unknown, logged), or -ENOMEM. */
static int resolve_name(ParseContext *c, bool group, const char *name, uint32_t *ret) {
        UdevRules *rules = c->rules;
        Hashmap **cache = group ? &rules->known_groups : &rules->known_users;
        const char *what = group ? "group" : "user";
        _cleanup_free_ char *key = NULL;
        uint32_t id;
        void *v;
        int r;

        v = hashmap_get(*cache, name);
        if (v) {
                *ret = (uint32_t) ((uintptr_t) v - 1);
                return 0;
        }
        r = rules->resolve(group, name, &id, rules->resolve_userdata);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                if (IN_SET(-r, ENOENT, ESRCH))
                        log_line_error(c, "Unknown %s '%s', ignoring", what, name);
                else
                        (void) log_line_error_errno(c, r, "Failed to resolve %s '%s', ignoring: %m",
                                                    what, name);
                *ret = UINT32_MAX;
                return 0;
        }
        key = strdup(name);
        if (!key)
                return -ENOMEM;
        r = hashmap_ensure_put(cache, &string_hash_ops_free, key, (void *) ((uintptr_t) id + 1));
        if (r < 0)
                return r;
        TAKE_PTR(key);
        *ret = id;
        return 0;
}

/* OWNER, GROUP */
static int parse_key_owner(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                           char *value) {
        bool group = k->assign == UDEV_TK_A_GROUP;
        UdevRuleToken *t;
        uint32_t id;
        int r;

        if (attr)
                return log_invalid_attr(c, k->name);
        if (op_is_match(op) || op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        if (op == UDEV_RULE_OP_ADD) {
                log_line_warning(c, "%s key takes '=' or ':=' operator, assuming '='.", k->name);
                op = UDEV_RULE_OP_ASSIGN;
        }

        if (parse_uid(value, &id) < 0) {
                if (c->rules->resolve_name_timing == UDEV_RULES_RESOLVE_NAME_EARLY &&
                    subst_type(value) == UDEV_RULE_SUBST_PLAIN) {
                        r = resolve_name(c, group, value, &id);
                        if (r < 0)
                                return log_line_error_errno(c, r,
                                                            "Failed to resolve %s name '%s': %m",
                                                            group ? "group" : "user", value);
                } else if (c->rules->resolve_name_timing != UDEV_RULES_RESOLVE_NAME_NEVER) {
                        check_value_format(c, k->name, value, true);
                        return add_token(c, k->assign, op, value, NULL, NULL);
                } else {
                        if (group)
                                log_line_debug(
                                        c,
                                        "Resolving group name is disabled, ignoring GROUP=\"%s\"",
                                        value);
                        else
                                log_line_debug(c,
                                               "User name resolution is disabled, ignoring %s=%s",
                                               k->name, value);
                        return 0;
                }
        }
        r = add_token(c, group ? UDEV_TK_A_GROUP_ID : UDEV_TK_A_OWNER_ID, op, NULL, NULL, &t);
        if (r > 0 && group)
                t->data.gid = (gid_t) id;
        else if (r > 0)
                t->data.uid = (uid_t) id;
        return r;
}

static int parse_key_mode(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                          char *value) {
        UdevRuleToken *t;
        mode_t mode;
        int r;

        if (attr)
                return log_invalid_attr(c, k->name);
        if (op_is_match(op) || op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        if (op == UDEV_RULE_OP_ADD) {
                log_line_warning(c, "%s key takes '=' or ':=' operator, assuming '='.", k->name);
                op = UDEV_RULE_OP_ASSIGN;
        }
        if (parse_mode(value, &mode) < 0) {
                check_value_format(c, k->name, value, true);
                return add_token(c, UDEV_TK_A_MODE, op, value, NULL, NULL);
        }
        r = add_token(c, UDEV_TK_A_MODE_ID, op, NULL, NULL, &t);
        if (r > 0)
                t->data.mode = mode;
        return r;
}

static int parse_key_seclabel(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                              char *value) {
        if (isempty(attr))
                return log_invalid_attr(c, k->name);
        check_value_format(c, k->name, value, true);
        if (op_is_match(op) || op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        if (op == UDEV_RULE_OP_ASSIGN_FINAL) {
                log_line_warning(c, "%s key takes '=' or '+=' operator, assuming '='.", k->name);
                op = UDEV_RULE_OP_ASSIGN;
        }
        return add_token(c, UDEV_TK_A_SECLABEL, op, value, attr, NULL);
}

static int parse_key_run(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                         char *value) {
        UdevRulesBuiltin b;

        if (op_is_match(op) || op == UDEV_RULE_OP_REMOVE)
                return log_invalid_op(c, k->name);
        check_value_format(c, k->name, value, true);
        if (!attr || streq(attr, "program"))
                return add_token(c, UDEV_TK_A_RUN_PROGRAM, op, value, NULL, NULL);
        if (!streq(attr, "builtin"))
                return log_invalid_attr(c, k->name);
        b = udev_rules_builtin_lookup(value);
        if (b < 0)
                return log_line_error_errno(c, -EINVAL, "Unknown builtin command '%s', ignoring",
                                            value);
        return add_builtin_token(c, UDEV_TK_A_RUN_BUILTIN, op, value, b);
}

/* GOTO, LABEL */
static int parse_key_goto_label(ParseContext *c, const KeyInfo *k, char *attr, UdevRuleOperator op,
                                char *value) {
        bool is_goto = streq(k->name, "GOTO");

        if (attr)
                return log_invalid_attr(c, k->name);
        if (op != UDEV_RULE_OP_ASSIGN)
                return log_invalid_op(c, k->name);
        if (!is_goto) {
                c->cur.label = value;
                c->cur.flags |= UDEV_RULE_LINE_HAS_LABEL;
                return 1;
        }
        if (c->cur.flags & UDEV_RULE_LINE_HAS_GOTO) {
                log_line_warning(c, "Contains multiple GOTO keys, ignoring GOTO=\"%s\".", value);
                return 0;
        }
        c->cur.goto_label = value;
        c->cur.flags |= UDEV_RULE_LINE_HAS_GOTO;
        return 1;
}

static const KeyInfo keys[] = {
        { "ACTION", parse_key_match_only, UDEV_TK_M_ACTION, _UDEV_TK_TYPE_INVALID },
        { "DEVPATH", parse_key_match_only, UDEV_TK_M_DEVPATH, _UDEV_TK_TYPE_INVALID },
        { "KERNEL", parse_key_match_only, UDEV_TK_M_KERNEL, _UDEV_TK_TYPE_INVALID },
        { "SYMLINK", parse_key_no_attr, UDEV_TK_M_DEVLINK, UDEV_TK_A_DEVLINK },
        { "NAME", parse_key_no_attr, UDEV_TK_M_NAME, UDEV_TK_A_NAME },
        { "ENV", parse_key_env, UDEV_TK_M_ENV, UDEV_TK_A_ENV },
        { "CONST", parse_key_const, UDEV_TK_M_CONST, _UDEV_TK_TYPE_INVALID },
        { "TAG", parse_key_no_attr, UDEV_TK_M_TAG, UDEV_TK_A_TAG },
        { "SUBSYSTEM", parse_key_match_only, UDEV_TK_M_SUBSYSTEM, _UDEV_TK_TYPE_INVALID },
        { "DRIVER", parse_key_match_only, UDEV_TK_M_DRIVER, _UDEV_TK_TYPE_INVALID },
        { "ATTR", parse_key_attr, UDEV_TK_M_ATTR, UDEV_TK_A_ATTR },
        { "SYSCTL", parse_key_attr, UDEV_TK_M_SYSCTL, UDEV_TK_A_SYSCTL },
        { "KERNELS", parse_key_match_only, UDEV_TK_M_PARENTS_KERNEL, _UDEV_TK_TYPE_INVALID },
        { "SUBSYSTEMS", parse_key_match_only, UDEV_TK_M_PARENTS_SUBSYSTEM, _UDEV_TK_TYPE_INVALID },
        { "DRIVERS", parse_key_match_only, UDEV_TK_M_PARENTS_DRIVER, _UDEV_TK_TYPE_INVALID },
        { "ATTRS", parse_key_attrs, UDEV_TK_M_PARENTS_ATTR, _UDEV_TK_TYPE_INVALID },
        { "TAGS", parse_key_match_only, UDEV_TK_M_PARENTS_TAG, _UDEV_TK_TYPE_INVALID },
        { "TEST", parse_key_test, UDEV_TK_M_TEST, _UDEV_TK_TYPE_INVALID },
        { "PROGRAM", parse_key_program, UDEV_TK_M_PROGRAM, _UDEV_TK_TYPE_INVALID },
        { "IMPORT", parse_key_import, _UDEV_TK_TYPE_INVALID, _UDEV_TK_TYPE_INVALID },
        { "RESULT", parse_key_match_only, UDEV_TK_M_RESULT, _UDEV_TK_TYPE_INVALID },
        { "OPTIONS", parse_key_options, _UDEV_TK_TYPE_INVALID, _UDEV_TK_TYPE_INVALID },
        { "OWNER", parse_key_owner, _UDEV_TK_TYPE_INVALID, UDEV_TK_A_OWNER },
        { "GROUP", parse_key_owner, _UDEV_TK_TYPE_INVALID, UDEV_TK_A_GROUP },
        { "MODE", parse_key_mode, _UDEV_TK_TYPE_INVALID, UDEV_TK_A_MODE },
        { "SECLABEL", parse_key_seclabel, _UDEV_TK_TYPE_INVALID, UDEV_TK_A_SECLABEL },
        { "RUN", parse_key_run, _UDEV_TK_TYPE_INVALID, _UDEV_TK_TYPE_INVALID },
        { "GOTO", parse_key_goto_label, _UDEV_TK_TYPE_INVALID, _UDEV_TK_TYPE_INVALID },
        { "LABEL", parse_key_goto_label, _UDEV_TK_TYPE_INVALID, _UDEV_TK_TYPE_INVALID },
};

/* Returns 1 or 0 (pair ignored) to go on, a negative errno (logged) to drop the line. */
static int parse_token(ParseContext *c, const char *key, char *attr, UdevRuleOperator op,
                       char *value) {
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (streq(key, keys[i].name))
                        return keys[i].parse(c, &keys[i], attr, op, value);
        return log_line_error_errno(c, -EINVAL, "Invalid key '%s'", key);
}

/* ---- line syntax ---- */

static UdevRuleOperator parse_operator(const char *s) {
        if (startswith(s, "=="))
                return UDEV_RULE_OP_MATCH;
        if (startswith(s, "!="))
                return UDEV_RULE_OP_NOMATCH;
        if (startswith(s, "+="))
                return UDEV_RULE_OP_ADD;
        if (startswith(s, "-="))
                return UDEV_RULE_OP_REMOVE;
        if (startswith(s, "="))
                return UDEV_RULE_OP_ASSIGN;
        if (startswith(s, ":="))
                return UDEV_RULE_OP_ASSIGN_FINAL;
        return _UDEV_RULE_OP_INVALID;
}

/* Reads a double-quoted value at str in place ("…" with \" for a quote, or e"…" with C
 * escapes); the result is followed by two NULs. *ret_end points behind the closing quote. */
static int parse_value(char *str, char **ret_value, char **ret_end) {
        bool escaped = str[0] == 'e';
        char *i, *j;

        str += escaped;
        if (str[0] != '"')
                return -EINVAL;
        if (!escaped) {
                for (j = str, i = str + 1; *i != '"'; i++, j++) {
                        if (*i == '\0')
                                return -EINVAL;
                        if (i[0] == '\\' && i[1] == '"')
                                i++;
                        *j = *i;
                }
                j[0] = j[1] = '\0';
        } else {
                _cleanup_free_ char *unescaped = NULL;
                ssize_t l;

                for (i = str + 1; *i != '"'; i++) {
                        if (i[0] == '\\')
                                i++;
                        if (*i == '\0')
                                return -EINVAL;
                }
                *i = '\0';
                l = cunescape(str + 1, (size_t) (i - str - 1), 0, &unescaped);
                if (l < 0)
                        return (int) l;
                memcpy(str, unescaped, (size_t) l + 1);
                str[l + 1] = '\0';
        }
        *ret_value = str;
        *ret_end = i + 1;
        return 0;
}

/* Splits the next KEY{attr}OP"value" off *p (in place). Returns 1, 0 at the end of the line,
 * or -EINVAL for a malformed pair. */
static int parse_pair(char **p, char **ret_key, char **ret_attr, UdevRuleOperator *ret_op,
                      char **ret_value) {
        char *key, *key_end, *attr = NULL, *tmp;
        UdevRuleOperator op;
        int r;

        key = *p + strspn(*p, WHITESPACE ",");
        if (*key == '\0')
                return 0;
        for (key_end = key;; key_end++) {
                if (*key_end == '\0')
                        return -EINVAL;
                if (strchr(WHITESPACE "={", *key_end))
                        break;
                if (strchr("+-!:", *key_end) && key_end[1] == '=')
                        break;
        }
        tmp = key_end;
        if (*key_end == '{') {
                attr = key_end + 1;
                tmp = strchr(attr, '}');
                if (!tmp)
                        return -EINVAL;
                *tmp++ = '\0';
        }
        tmp += strspn(tmp, WHITESPACE);
        op = parse_operator(tmp);
        if (op < 0)
                return -EINVAL;
        *key_end = '\0';
        tmp += op == UDEV_RULE_OP_ASSIGN ? 1 : 2;
        tmp += strspn(tmp, WHITESPACE);
        r = parse_value(tmp, ret_value, p);
        if (r < 0)
                return r;
        *ret_key = key;
        *ret_attr = attr;
        *ret_op = op;
        return 1;
}

static void line_done(UdevRuleLine *l) {
        free(l->buf);
        free(l->tokens);
        free(l->value_ptrs);
        *l = (UdevRuleLine){ .goto_line = -1 };
}

/* Moves the tokens of the line being parsed into c->cur, in execution order (a stable counting
 * sort by type, as udev's selection sort orders them), with their values[] arrays. */
static int finish_line_tokens(ParseContext *c) {
        size_t start[_UDEV_TK_TYPE_MAX + 1] = {};
        UdevRuleLine *l = &c->cur;

        l->tokens = new (UdevRuleToken, c->n_tokens);
        l->value_ptrs = c->n_vals > 0 ? new (const char *, c->n_vals) : NULL;
        if (!l->tokens || (c->n_vals > 0 && !l->value_ptrs))
                return -ENOMEM;
        if (c->n_vals > 0)
                memcpy(l->value_ptrs, c->vals, c->n_vals * sizeof(char *));

        for (size_t i = 0; i < c->n_tokens; i++)
                start[c->tokens[i].t.type + 1]++;
        for (size_t i = 1; i <= _UDEV_TK_TYPE_MAX; i++)
                start[i] += start[i - 1];
        for (size_t i = 0; i < c->n_tokens; i++) {
                UdevRuleToken *t = &l->tokens[start[c->tokens[i].t.type]++];

                *t = c->tokens[i].t;
                if (t->n_values > 0 || udev_rule_token_type_is_match(t->type))
                        t->values =
                                l->value_ptrs ? l->value_ptrs + c->tokens[i].values_offset : NULL;
        }
        l->n_tokens = c->n_tokens;

        l->parents_begin = l->parents_end = 0;
        for (size_t i = 0; i < l->n_tokens; i++)
                if (udev_rule_token_type_is_parent(l->tokens[i].type)) {
                        if (l->parents_end == l->parents_begin)
                                l->parents_begin = i;
                        l->parents_end = i + 1;
                }
        return 0;
}

/* Parses one logical line; a kept line is appended to c->lines. Never fails the file. */
static void add_line(ParseContext *c, const char *text) {
        char *p, *key = NULL, *attr = NULL, *value = NULL;
        UdevRuleOperator op;
        int r;

        c->n_tokens = c->n_vals = 0;
        line_done(&c->cur);
        c->cur.line_number = c->line_nr;
        c->cur.buf = strdup(text);
        if (!c->cur.buf) {
                (void) log_oom();
                return;
        }
        for (p = c->cur.buf; *p;) {
                r = parse_pair(&p, &key, &attr, &op, &value);
                if (r < 0) {
                        (void) log_line_error_errno(c, r, "Invalid key/value pair, ignoring.");
                        goto drop;
                }
                if (r == 0)
                        break;
                if (parse_token(c, key, attr, op, value) < 0)
                        goto drop;
        }
        if (c->cur.flags == 0) {
                log_line_warning(c, "The line takes no effect, ignoring.");
                goto drop;
        }
        if (finish_line_tokens(c) < 0 ||
            !GREEDY_REALLOC(c->lines, c->n_lines_allocated, c->n_lines + 1)) {
                (void) log_oom();
                goto drop;
        }
        c->lines[c->n_lines++] = c->cur;
        c->cur = (UdevRuleLine){ .goto_line = -1 };
        return;
drop:
        line_done(&c->cur);
}

/* ---- GOTO/LABEL ---- */

/* Links each GOTO to the next line with its LABEL (one backward pass with the labels seen so
 * far), then reports the unmatched ones in file order and drops lines left without effect. */
static void resolve_gotos(ParseContext *c) {
        _cleanup_(hashmap_freep) Hashmap *labels = NULL;
        _cleanup_free_ ssize_t *remap = NULL;
        size_t n = 0;

        labels = hashmap_new(&string_hash_ops);
        remap = new (ssize_t, c->n_lines);
        if (!labels || !remap) {
                (void) log_oom();
                return;
        }
        for (size_t i = c->n_lines; i-- > 0;) {
                UdevRuleLine *l = &c->lines[i];

                l->goto_line = -1;
                if (l->goto_label) {
                        void *v = hashmap_get(labels, l->goto_label);
                        if (v)
                                l->goto_line = (ssize_t) ((uintptr_t) v - 1);
                }
                if (l->label &&
                    hashmap_replace(labels, l->label, (void *) ((uintptr_t) i + 1)) < 0) {
                        (void) log_oom();
                        return;
                }
        }

        for (size_t i = 0; i < c->n_lines; i++) {
                UdevRuleLine *l = &c->lines[i];

                remap[i] = -1;
                if ((l->flags & UDEV_RULE_LINE_HAS_GOTO) && l->goto_line < 0) {
                        log_error("%s:%u: GOTO=\"%s\" has no matching label, ignoring", c->filename,
                                  l->line_number, l->goto_label);
                        l->flags &= ~UDEV_RULE_LINE_HAS_GOTO;
                        l->goto_label = NULL;
                        if ((l->flags & ~UDEV_RULE_LINE_HAS_LABEL) == 0) {
                                log_notice("%s:%u: The line takes no effect any more, dropping",
                                           c->filename, l->line_number);
                                if (l->flags == 0) {
                                        line_done(l);
                                        continue;
                                }
                                l->n_tokens = 0; /* only the label stays */
                                l->parents_begin = l->parents_end = 0;
                        }
                }
                remap[i] = (ssize_t) n;
                c->lines[n++] = *l;
        }
        c->n_lines = n;
        for (size_t i = 0; i < n; i++)
                if (c->lines[i].goto_line >= 0)
                        c->lines[i].goto_line = remap[c->lines[i].goto_line];
}

/* ---- files ---- */

enum { EOL_NONE = 0, EOL_TEN = 1, EOL_THIRTEEN = 2, EOL_ZERO = 4 };

/* systemd's read_line(f, limit): a line ends at \n, \r or \0 and at the combinations of
 * different markers; returns the bytes consumed (0 at EOF), -ENOBUFS when the line reaches
 * limit bytes, or another negative errno. *buf is reused (size in *allocated). */
static int read_line(FILE *f, size_t limit, char **buf, size_t *allocated) {
        unsigned previous = EOL_NONE;
        size_t n = 0, count = 0;

        if (!GREEDY_REALLOC(*buf, *allocated, 1))
                return -ENOMEM;
        for (;;) {
                unsigned eol;
                int ch;

                if (n >= limit)
                        return -ENOBUFS;
                ch = getc_unlocked(f);
                if (ch == EOF) {
                        if (ferror(f))
                                return errno > 0 ? -errno : -EIO;
                        break;
                }
                eol = ch == '\n'   ? EOL_TEN
                      : ch == '\r' ? EOL_THIRTEEN
                      : ch == '\0' ? EOL_ZERO
                                   : EOL_NONE;
                if ((previous & EOL_ZERO) || (eol == EOL_NONE && previous != EOL_NONE) ||
                    (eol != EOL_NONE && (previous & eol))) {
                        (void) ungetc(ch, f);
                        break;
                }
                count++;
                if (eol != EOL_NONE) {
                        previous |= eol;
                        continue;
                }
                if (!GREEDY_REALLOC(*buf, *allocated, n + 2))
                        return -ENOMEM;
                (*buf)[n++] = (char) ch;
        }
        (*buf)[n] = '\0';
        return count > INT_MAX ? -ENOBUFS : (int) count;
}

/* Joins continuation lines, skips comments and blank lines, and hands each logical line to
 * add_line() with the number of its last physical line. */
static int parse_stream(ParseContext *c, FILE *f) {
        _cleanup_free_ char *buf = NULL, *continuation = NULL;
        size_t allocated = 0;
        bool ignore_line = false;
        int r;

        for (;;) {
                char *line;
                size_t len;

                r = read_line(f, UDEV_RULES_LINE_SIZE, &buf, &allocated);
                if (r <= 0)
                        return r;
                c->line_nr++;
                line = buf + strspn(buf, WHITESPACE);
                if (line[0] == '#')
                        continue;
                len = strlen(line);

                if (continuation && !ignore_line) {
                        if (strlen(continuation) + len >= UDEV_RULES_LINE_SIZE)
                                ignore_line = true;
                        else {
                                if (strextend_real(&continuation, line, NULL) < 0)
                                        return log_oom();
                                line = continuation;
                                len = strlen(line);
                        }
                }
                if (len > 0 && line[len - 1] == '\\') {
                        if (ignore_line)
                                continue;
                        line[len - 1] = '\0';
                        if (!continuation) {
                                continuation = strdup(line);
                                if (!continuation)
                                        return log_oom();
                        }
                        continue;
                }
                if (ignore_line)
                        log_error("%s:%u: Line is too long, ignored", c->filename, c->line_nr);
                else if (len > 0)
                        add_line(c, line);
                continuation = mfree(continuation);
                ignore_line = false;
        }
}

static void context_done(ParseContext *c) {
        for (size_t i = 0; i < c->n_lines; i++)
                line_done(&c->lines[i]);
        free(c->lines);
        line_done(&c->cur);
        free(c->tokens);
        free(c->vals);
}

UdevRuleFile *udev_rule_file_free(UdevRuleFile *f) {
        if (!f)
                return NULL;
        for (size_t i = 0; i < f->n_lines; i++)
                line_done(&f->lines[i]);
        free(f->lines);
        free(f->filename);
        return mfree(f);
}

/* Parses f as filename and appends the result to rules (also when reading stopped early). */
static int parse_into_rules(UdevRules *rules, const char *filename, FILE *f) {
        ParseContext c = { .rules = rules, .filename = filename, .cur.goto_line = -1 };
        UdevRuleFile *file, **files;
        int r;

        files = reallocarray(rules->files, rules->n_files + 1, sizeof(UdevRuleFile *));
        if (!files)
                return log_oom();
        rules->files = files;
        file = new0(UdevRuleFile, 1);
        if (!file)
                return log_oom();
        file->filename = strdup(filename);
        if (!file->filename) {
                udev_rule_file_free(file);
                return log_oom();
        }
        rules->files[rules->n_files++] = file;
        c.filename = file->filename;

        r = parse_stream(&c, f);
        if (r >= 0)
                resolve_gotos(&c);
        else
                for (size_t i = 0; i < c.n_lines; i++)
                        c.lines[i].goto_line = -1; /* udev leaves them unresolved */

        file->lines = TAKE_PTR(c.lines);
        file->n_lines = c.n_lines;
        c.n_lines = 0;
        for (size_t i = 0; i < file->n_lines; i++)
                file->lines[i].file = file;
        context_done(&c);
        return r;
}

static void warn_permissions(const char *path, const struct stat *st) {
        if (!S_ISREG(st->st_mode))
                return;
        if (st->st_mode & 0111)
                log_warning("Configuration file %s is marked executable. Please remove executable "
                            "permission bits. Proceeding anyway.",
                            path);
        if (st->st_mode & 0002)
                log_warning("Configuration file %s is marked world-writable. Please remove world "
                            "writability permission bits. Proceeding anyway.",
                            path);
}

static bool null_or_empty(const struct stat *st) {
        return (S_ISREG(st->st_mode) && st->st_size <= 0) || S_ISCHR(st->st_mode);
}

int udev_rules_parse_file(UdevRules *rules, const char *filename) {
        _cleanup_close_ int fd = -1;
        _cleanup_fclose_ FILE *f = NULL;
        struct stat st;

        if (!rules || !filename)
                return -EINVAL;
        /* O_NONBLOCK: a FIFO named *.rules gives a read error instead of hanging the loader. */
        fd = open(filename, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                if (errno == ENOENT)
                        return 0;
                return log_warning_errno(errno, "Failed to open %s, ignoring: %m", filename);
        }
        f = fdopen(fd, "r");
        if (!f)
                return log_warning_errno(errno, "Failed to open %s, ignoring: %m", filename);
        fd = -1;
        if (fstat(fileno(f), &st) < 0)
                return log_warning_errno(errno, "Failed to stat %s, ignoring: %m", filename);
        if (null_or_empty(&st)) {
                log_debug("Skipping empty file: %s", filename);
                return 0;
        }
        warn_permissions(filename, &st);
        log_debug("Reading rules file: %s", filename);
        return parse_into_rules(rules, filename, f);
}

int udev_rules_parse_buffer(UdevRules *rules, const char *filename, const void *data, size_t size) {
        _cleanup_fclose_ FILE *f = NULL;

        if (!rules || !filename || (!data && size > 0))
                return -EINVAL;
        if (size == 0) {
                log_debug("Skipping empty file: %s", filename);
                return 0;
        }
        f = fmemopen((void *) data, size, "r");
        if (!f)
                return -errno;
        return parse_into_rules(rules, filename, f);
}
