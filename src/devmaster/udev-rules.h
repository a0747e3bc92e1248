/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-rules.h: the in-memory program the udev rules are compiled into, shared by the loader
 * (udev-rules-parse.c for one file, udev_rules_load() here for the rules directories) and the
 * engine that runs it for each event.
 *
 * Shape: UdevRules holds the rules files in execution order (sorted by file name); each
 * UdevRuleFile holds its effective lines in file order; each UdevRuleLine holds its tokens
 * already sorted into udev 252's execution order (by UdevRuleTokenType, stable), so an engine
 * runs a line by walking tokens[0..n_tokens) and stops at the first token that does not match.
 * All arrays are contiguous and never change after loading; every string (values, attributes,
 * labels) lives in memory owned by its line and stays valid as long as the UdevRules object.
 *
 * What the loader has already done, so the engine does not have to:
 *   - operators are coerced as udev does (e.g. NAME+= is '=', PROGRAM= is '==', KEY=="?*" is
 *     KEY!="" with match type EMPTY);
 *   - match values are split at '|' (not for TEST, PROGRAM, IMPORT) into values[], an empty
 *     alternative being recorded in the match type (…_WITH_EMPTY), globs flagged by the match
 *     type;
 *   - e"…" values are C-unescaped and \" is unescaped in plain values;
 *   - literal OWNER/GROUP/MODE are resolved (OWNER_ID/GROUP_ID/MODE_ID with data.uid/gid/mode);
 *     a user or group that does not exist gives UID_INVALID/GID_INVALID, which udev 252 still
 *     assigns (it resets an earlier OWNER=/GROUP=), and ':=' still locks the key;
 *   - OPTIONS are decoded into one token type per option, builtins into data.builtin;
 *   - GOTO is resolved to the index of the LABEL line in the same file (goto_line), or -1.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "hashmap.h"
#include "macro.h"

/* udev's buffer sizes: the longest (joined) rules line, a name value and a path value. */
#define UDEV_RULES_LINE_SIZE 16384
#define UDEV_RULES_NAME_SIZE 512
#define UDEV_RULES_PATH_SIZE 1024

#define UDEV_RULES_MODE_INVALID ((mode_t) -1)

typedef enum UdevRuleOperator {
        UDEV_RULE_OP_MATCH, /* == */
        UDEV_RULE_OP_NOMATCH, /* != */
        UDEV_RULE_OP_ADD, /* += */
        UDEV_RULE_OP_REMOVE, /* -= */
        UDEV_RULE_OP_ASSIGN, /* =  */
        UDEV_RULE_OP_ASSIGN_FINAL, /* := */
        _UDEV_RULE_OP_MAX,
        _UDEV_RULE_OP_INVALID = -EINVAL,
} UdevRuleOperator;

typedef enum UdevRuleMatchType {
        UDEV_RULE_MATCH_EMPTY, /* matches the empty (or absent) string only */
        UDEV_RULE_MATCH_PLAIN, /* strcmp against values[] */
        UDEV_RULE_MATCH_PLAIN_WITH_EMPTY, /* the same, or the empty string ("|foo") */
        UDEV_RULE_MATCH_GLOB, /* fnmatch(values[i], s, 0) */
        UDEV_RULE_MATCH_GLOB_WITH_EMPTY, /* the same, or the empty string ("|foo*") */
        UDEV_RULE_MATCH_SUBSYSTEM, /* SUBSYSTEM=="subsystem"/"bus"/"class": any of the three */
        _UDEV_RULE_MATCH_MAX,
        _UDEV_RULE_MATCH_INVALID = -EINVAL,
} UdevRuleMatchType;

/* How a name in {…} (ATTR, ATTRS, SYSCTL, …) is to be read. */
typedef enum UdevRuleSubstType {
        UDEV_RULE_SUBST_PLAIN, /* used as written */
        UDEV_RULE_SUBST_FORMAT, /* contains '%' or '$': substitute first */
        UDEV_RULE_SUBST_SUBSYS, /* "[<subsystem>/<sysname>]<attribute>" */
        _UDEV_RULE_SUBST_MAX,
        _UDEV_RULE_SUBST_INVALID = -EINVAL,
} UdevRuleSubstType;

/* The token types, in udev 252's execution order (the order of this enum is the sort key). */
typedef enum UdevRuleTokenType {
        /* matches: op is MATCH or NOMATCH */
        UDEV_TK_M_ACTION,
        UDEV_TK_M_DEVPATH,
        UDEV_TK_M_KERNEL,
        UDEV_TK_M_DEVLINK, /* SYMLINK== */
        UDEV_TK_M_NAME,
        UDEV_TK_M_ENV, /* attr: property name */
        UDEV_TK_M_CONST, /* attr: "arch" or "virt" */
        UDEV_TK_M_TAG,
        UDEV_TK_M_SUBSYSTEM,
        UDEV_TK_M_DRIVER,
        UDEV_TK_M_ATTR, /* attr: sysattr, attr_subst says how to read it */
        UDEV_TK_M_SYSCTL, /* attr: sysctl name (may need substitution) */

        /* the parent block: all must match the same device, the event device or an ancestor */
        UDEV_TK_M_PARENTS_KERNEL,
        UDEV_TK_M_PARENTS_SUBSYSTEM,
        UDEV_TK_M_PARENTS_DRIVER,
        UDEV_TK_M_PARENTS_ATTR,
        UDEV_TK_M_PARENTS_TAG,

        UDEV_TK_M_TEST, /* value: path; data.mode: mask or UDEV_RULES_MODE_INVALID */
        UDEV_TK_M_PROGRAM, /* value: command line */
        UDEV_TK_M_IMPORT_FILE, /* value: path */
        UDEV_TK_M_IMPORT_PROGRAM, /* value: command line */
        UDEV_TK_M_IMPORT_BUILTIN, /* value: builtin command line; data.builtin */
        UDEV_TK_M_IMPORT_DB, /* value: key */
        UDEV_TK_M_IMPORT_CMDLINE, /* value: kernel command line key */
        UDEV_TK_M_IMPORT_PARENT, /* value: glob of keys */
        UDEV_TK_M_RESULT,

        /* assignments: op is ASSIGN, ADD, REMOVE (TAG only) or ASSIGN_FINAL */
        UDEV_TK_A_OPTIONS_STRING_ESCAPE_NONE,
        UDEV_TK_A_OPTIONS_STRING_ESCAPE_REPLACE,
        UDEV_TK_A_OPTIONS_DB_PERSIST,
        UDEV_TK_A_OPTIONS_INOTIFY_WATCH, /* data.watch */
        UDEV_TK_A_OPTIONS_DEVLINK_PRIORITY, /* data.link_priority */
        UDEV_TK_A_OPTIONS_LOG_LEVEL, /* data.log_level, -1 for "reset" */
        UDEV_TK_A_OWNER, /* value: user name to substitute and resolve per event */
        UDEV_TK_A_GROUP, /* value: group name, likewise */
        UDEV_TK_A_MODE, /* value: mode to substitute and parse per event */
        UDEV_TK_A_OWNER_ID, /* data.uid (UID_INVALID for an unknown user) */
        UDEV_TK_A_GROUP_ID, /* data.gid (GID_INVALID for an unknown group) */
        UDEV_TK_A_MODE_ID, /* data.mode */
        UDEV_TK_A_TAG,
        UDEV_TK_A_OPTIONS_STATIC_NODE, /* value: the node, relative to /dev */
        UDEV_TK_A_SECLABEL, /* attr: LSM module */
        UDEV_TK_A_ENV, /* attr: property name */
        UDEV_TK_A_NAME,
        UDEV_TK_A_DEVLINK, /* SYMLINK=, value: space-separated links */
        UDEV_TK_A_ATTR, /* attr: sysattr */
        UDEV_TK_A_SYSCTL, /* attr: sysctl name */
        UDEV_TK_A_RUN_BUILTIN, /* value: builtin command line; data.builtin */
        UDEV_TK_A_RUN_PROGRAM, /* value: command line */

        _UDEV_TK_TYPE_MAX,
        _UDEV_TK_TYPE_INVALID = -EINVAL,
} UdevRuleTokenType;

#define _UDEV_TK_M_MAX (UDEV_TK_M_RESULT + 1)
#define _UDEV_TK_A_MIN _UDEV_TK_M_MAX

static inline bool udev_rule_token_type_is_match(UdevRuleTokenType t) {
        return t >= 0 && t < _UDEV_TK_M_MAX;
}
static inline bool udev_rule_token_type_is_parent(UdevRuleTokenType t) {
        return t >= UDEV_TK_M_PARENTS_KERNEL && t <= UDEV_TK_M_PARENTS_TAG;
}

/* The builtins of udev 252 (Debian build: all eleven), in udev's lookup order. */
typedef enum UdevRulesBuiltin {
        UDEV_RULES_BUILTIN_BLKID,
        UDEV_RULES_BUILTIN_BTRFS,
        UDEV_RULES_BUILTIN_HWDB,
        UDEV_RULES_BUILTIN_INPUT_ID,
        UDEV_RULES_BUILTIN_KEYBOARD,
        UDEV_RULES_BUILTIN_KMOD,
        UDEV_RULES_BUILTIN_NET_ID,
        UDEV_RULES_BUILTIN_NET_SETUP_LINK,
        UDEV_RULES_BUILTIN_PATH_ID,
        UDEV_RULES_BUILTIN_USB_ID,
        UDEV_RULES_BUILTIN_UACCESS,
        _UDEV_RULES_BUILTIN_MAX,
        _UDEV_RULES_BUILTIN_INVALID = -EINVAL,
} UdevRulesBuiltin;

/* What a line does, as udev 252 computes it (UdevRuleLineType there). A line whose flags are
 * all clear is never kept. */
typedef enum UdevRuleLineFlags {
        UDEV_RULE_LINE_HAS_NAME = 1 << 0, /* NAME= */
        UDEV_RULE_LINE_HAS_DEVLINK = 1 << 1, /* SYMLINK=, OWNER=, GROUP= or MODE= */
        UDEV_RULE_LINE_HAS_STATIC_NODE = 1 << 2, /* OPTIONS="static_node=…" */
        UDEV_RULE_LINE_HAS_GOTO = 1 << 3, /* GOTO= */
        UDEV_RULE_LINE_HAS_LABEL = 1 << 4, /* LABEL= */
        UDEV_RULE_LINE_UPDATE_SOMETHING = 1 << 5, /* any other assignment, PROGRAM or IMPORT */
} UdevRuleLineFlags;

typedef struct UdevRuleToken {
        UdevRuleTokenType type;
        UdevRuleOperator op;
        UdevRuleMatchType match_type; /* match tokens only; _UDEV_RULE_MATCH_INVALID otherwise */
        UdevRuleSubstType attr_subst; /* when attr is set; _UDEV_RULE_SUBST_INVALID otherwise */
        /* ATTR==/ATTRS==: strip trailing whitespace of the sysattr value before comparing
         * (set unless the first alternative ends in whitespace). */
        bool attr_match_remove_trailing_whitespace;
        /* value contains '%' or '$': run it through the substitution formatter per event. */
        bool value_subst;
        /* The value as written (unescaped); for split matches its first alternative. NULL
         * for the OPTIONS (but static_node=, whose node it is) and *_ID tokens, which carry
         * everything in data. */
        const char *value;
        /* Match tokens: the alternatives to compare against (no empty ones; see match_type).
         * TEST/PROGRAM/IMPORT have their whole value as the single entry. NULL/0 otherwise. */
        const char *const *values;
        size_t n_values;
        const char *attr; /* the {…} part, or NULL */
        union {
                uid_t uid;
                gid_t gid;
                mode_t mode;
                int link_priority;
                int log_level;
                bool watch;
                UdevRulesBuiltin builtin;
        } data;
} UdevRuleToken;

typedef struct UdevRuleFile UdevRuleFile;

typedef struct UdevRuleLine {
        UdevRuleFile *file; /* back pointer, for "<file>:<line>" messages */
        unsigned line_number; /* of the last physical line of a continued line, as udev */
        UdevRuleLineFlags flags;
        const char *label; /* LABEL= value or NULL */
        const char *goto_label; /* GOTO= value or NULL */
        /* Index in file->lines of the first later line with LABEL == goto_label, or -1 when
         * the line has no GOTO (or the file could not be read to its end, as udev leaves it). */
        ssize_t goto_line;
        UdevRuleToken *tokens;
        size_t n_tokens;
        /* The parent block: tokens[parents_begin..parents_end) are the KERNELS, SUBSYSTEMS,
         * DRIVERS, ATTRS and TAGS tokens (contiguous after sorting); empty when equal. */
        size_t parents_begin, parents_end;

        /* private: storage of the strings and of the values[] arrays */
        char *buf;
        const char **value_ptrs;
} UdevRuleLine;

struct UdevRuleFile {
        char *filename; /* the path the file was read from */
        UdevRuleLine *lines;
        size_t n_lines;
};

/* Returns the key name of a token type as written in rules ("KERNELS", "IMPORT{builtin}",
 * "OPTIONS{link_priority}", "OWNER{id}"), or NULL. Static strings. */
const char *udev_rule_token_type_to_string(UdevRuleTokenType t) _const_;
/* "==", "!=", "+=", "-=", "=", ":=", or NULL. */
const char *udev_rule_operator_to_string(UdevRuleOperator op) _const_;
const char *udev_rules_builtin_to_string(UdevRulesBuiltin b) _const_;
/* The builtin named by the first word of command, udev 252's way: the first builtin whose name
 * starts with that word (so "path" finds path_id and an empty command finds blkid). Returns
 * the builtin or _UDEV_RULES_BUILTIN_INVALID. */
UdevRulesBuiltin udev_rules_builtin_lookup(const char *command);

/* Whether str (NULL counts as "") satisfies the match token t, honouring its operator:
 * udev 252's token_match_string(). t must be a match token. */
bool udev_rule_token_match_string(const UdevRuleToken *t, const char *str);

/* Whether udev runs line l for an event at all: lines doing nothing but SYMLINK/OWNER/GROUP/
 * MODE are skipped for devices without a device number, lines only assigning NAME for devices
 * that are not network interfaces, and (on "remove") both kinds; LABEL-only and static_node-only
 * lines never run. */
static inline bool udev_rule_line_wanted(const UdevRuleLine *l, bool is_remove, bool has_devnum,
                                         bool has_ifindex) {
        unsigned mask = UDEV_RULE_LINE_HAS_GOTO | UDEV_RULE_LINE_UPDATE_SOMETHING;

        if (!is_remove) {
                if (has_devnum)
                        mask |= UDEV_RULE_LINE_HAS_DEVLINK;
                if (has_ifindex)
                        mask |= UDEV_RULE_LINE_HAS_NAME;
        }
        return (l->flags & mask) != 0;
}

/* Writes a readable form of a line to f as one line of text, for tests and the rules checker:
 * "FILE:LINE [NDSGLU] TOKEN…", flags as letters in UdevRuleLineFlags order ('-' when clear),
 * each token as KEY{attr}OP then ["alt",…](match type) or "value" or the decoded data, the
 * parent block in parentheses, then LABEL="l" and GOTO="l"->INDEX. */
void udev_rule_line_dump(const UdevRuleLine *l, FILE *f);

/* ---- the rule set ---- */

/* The rules directories of udev 252 on Debian, in priority order. */
#define UDEV_RULES_DIRS_DEFAULT                                                  \
        "/etc/udev/rules.d", "/run/udev/rules.d", "/usr/local/lib/udev/rules.d", \
                "/usr/lib/udev/rules.d"

typedef enum UdevRulesResolveNameTiming {
        UDEV_RULES_RESOLVE_NAME_EARLY, /* literal OWNER/GROUP names resolved when loading */
        UDEV_RULES_RESOLVE_NAME_LATE, /* kept as names (OWNER/GROUP tokens), resolved per event */
        UDEV_RULES_RESOLVE_NAME_NEVER, /* OWNER/GROUP names ignored */
        _UDEV_RULES_RESOLVE_NAME_MAX,
        _UDEV_RULES_RESOLVE_NAME_INVALID = -EINVAL,
} UdevRulesResolveNameTiming;

/* Looks up a user (group == false) or group name. Returns 0 with the id in *ret_id; -ESRCH or
 * -ENOENT if there is no such name (logged "Unknown user 'x', ignoring", the id becomes
 * UID_INVALID); another negative errno if the lookup failed ("Failed to resolve user 'x',
 * ignoring: %m", likewise); -ENOMEM drops the line. */
typedef int (*UdevRulesResolveName)(bool group, const char *name, uint32_t *ret_id, void *userdata);

typedef struct UdevRulesStat UdevRulesStat;

typedef struct UdevRules {
        /* read-only for users: the files in execution order (file name order) */
        UdevRuleFile **files;
        size_t n_files;

        /* private */
        UdevRulesResolveNameTiming resolve_name_timing;
        UdevRulesResolveName resolve;
        void *resolve_userdata;
        Hashmap *known_users, *known_groups; /* name -> id + 1 */
        char **dirs; /* of udev_rules_load(), symlinks resolved */
        UdevRulesStat *stats; /* the files found by udev_rules_load() */
        size_t n_stats;
} UdevRules;

/* A new empty rule set; names are resolved with udev_rules_resolve_name_nss() unless
 * udev_rules_set_resolver() says otherwise. Returns 0, -ENOMEM or -EINVAL. */
int udev_rules_new(UdevRulesResolveNameTiming timing, UdevRules **ret);
/* Frees the rule set and everything it owns; NULL-safe, returns NULL. */
UdevRules *udev_rules_free(UdevRules *rules);
DEFINE_TRIVIAL_CLEANUP_FUNC(UdevRules *, udev_rules_free);

/* Replaces the name resolver (tests supply a fixed table). userdata is borrowed. */
void udev_rules_set_resolver(UdevRules *rules, UdevRulesResolveName resolve, void *userdata);
/* The default resolver: root and 0 without NSS, nobody/nogroup and 65534 synthesized (unless
 * /etc/systemd/dont-synthesize-nobody exists), then getpwnam()/getgrnam(). */
int udev_rules_resolve_name_nss(bool group, const char *name, uint32_t *ret_id, void *userdata);

/* Loads every "*.rules" file of dirs (NULL: UDEV_RULES_DIRS_DEFAULT; the first directory wins
 * for a file name; hidden files are ignored) in the order of the file names, appending to
 * rules; an empty file or a symlink to /dev/null hides its name and is skipped. Remembers dirs
 * and the files' stat data for udev_rules_should_reload(). Problems with single files or lines
 * are logged and skipped; returns 0 or -ENOMEM. */
int udev_rules_load(UdevRules *rules, char *const *dirs);

/* True if the rules files of the directories given to udev_rules_load() are no longer the
 * same set of files with the same inode, size and mtime; also true for NULL rules. */
bool udev_rules_should_reload(const UdevRules *rules);

/* Totals over all files, for statistics and tests. */
size_t udev_rules_count_lines(const UdevRules *rules);
size_t udev_rules_count_tokens(const UdevRules *rules);

/* Writes every line with udev_rule_line_dump(). */
void udev_rules_dump(const UdevRules *rules, FILE *f);
