/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-rules.c: the rule set: which files udev 252 reads and in which order, change detection
 * for reloads, user/group lookup; and the names of token types, operators and builtins, the
 * builtin lookup and the string match of a token as udev 252 defines them.
 */

#include <dirent.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "udev-rules-parse.h"
#include "udev-rules.h"

struct UdevRulesStat {
        char *path;
        struct stat st;
};

static const char *const token_type_names[_UDEV_TK_TYPE_MAX] = {
        [UDEV_TK_M_ACTION] = "ACTION",
        [UDEV_TK_M_DEVPATH] = "DEVPATH",
        [UDEV_TK_M_KERNEL] = "KERNEL",
        [UDEV_TK_M_DEVLINK] = "SYMLINK",
        [UDEV_TK_M_NAME] = "NAME",
        [UDEV_TK_M_ENV] = "ENV",
        [UDEV_TK_M_CONST] = "CONST",
        [UDEV_TK_M_TAG] = "TAG",
        [UDEV_TK_M_SUBSYSTEM] = "SUBSYSTEM",
        [UDEV_TK_M_DRIVER] = "DRIVER",
        [UDEV_TK_M_ATTR] = "ATTR",
        [UDEV_TK_M_SYSCTL] = "SYSCTL",
        [UDEV_TK_M_PARENTS_KERNEL] = "KERNELS",
        [UDEV_TK_M_PARENTS_SUBSYSTEM] = "SUBSYSTEMS",
        [UDEV_TK_M_PARENTS_DRIVER] = "DRIVERS",
        [UDEV_TK_M_PARENTS_ATTR] = "ATTRS",
        [UDEV_TK_M_PARENTS_TAG] = "TAGS",
        [UDEV_TK_M_TEST] = "TEST",
        [UDEV_TK_M_PROGRAM] = "PROGRAM",
        [UDEV_TK_M_IMPORT_FILE] = "IMPORT{file}",
        [UDEV_TK_M_IMPORT_PROGRAM] = "IMPORT{program}",
        [UDEV_TK_M_IMPORT_BUILTIN] = "IMPORT{builtin}",
        [UDEV_TK_M_IMPORT_DB] = "IMPORT{db}",
        [UDEV_TK_M_IMPORT_CMDLINE] = "IMPORT{cmdline}",
        [UDEV_TK_M_IMPORT_PARENT] = "IMPORT{parent}",
        [UDEV_TK_M_RESULT] = "RESULT",
        [UDEV_TK_A_OPTIONS_STRING_ESCAPE_NONE] = "OPTIONS{string_escape=none}",
        [UDEV_TK_A_OPTIONS_STRING_ESCAPE_REPLACE] = "OPTIONS{string_escape=replace}",
        [UDEV_TK_A_OPTIONS_DB_PERSIST] = "OPTIONS{db_persist}",
        [UDEV_TK_A_OPTIONS_INOTIFY_WATCH] = "OPTIONS{watch}",
        [UDEV_TK_A_OPTIONS_DEVLINK_PRIORITY] = "OPTIONS{link_priority}",
        [UDEV_TK_A_OPTIONS_LOG_LEVEL] = "OPTIONS{log_level}",
        [UDEV_TK_A_OWNER] = "OWNER",
        [UDEV_TK_A_GROUP] = "GROUP",
        [UDEV_TK_A_MODE] = "MODE",
        [UDEV_TK_A_OWNER_ID] = "OWNER{id}",
        [UDEV_TK_A_GROUP_ID] = "GROUP{id}",
        [UDEV_TK_A_MODE_ID] = "MODE{id}",
        [UDEV_TK_A_TAG] = "TAG",
        [UDEV_TK_A_OPTIONS_STATIC_NODE] = "OPTIONS{static_node}",
        [UDEV_TK_A_SECLABEL] = "SECLABEL",
        [UDEV_TK_A_ENV] = "ENV",
        [UDEV_TK_A_NAME] = "NAME",
        [UDEV_TK_A_DEVLINK] = "SYMLINK",
        [UDEV_TK_A_ATTR] = "ATTR",
        [UDEV_TK_A_SYSCTL] = "SYSCTL",
        [UDEV_TK_A_RUN_BUILTIN] = "RUN{builtin}",
        [UDEV_TK_A_RUN_PROGRAM] = "RUN{program}",
};

static const char *const operator_names[_UDEV_RULE_OP_MAX] = {
        [UDEV_RULE_OP_MATCH] = "==", [UDEV_RULE_OP_NOMATCH] = "!=",
        [UDEV_RULE_OP_ADD] = "+=",   [UDEV_RULE_OP_REMOVE] = "-=",
        [UDEV_RULE_OP_ASSIGN] = "=", [UDEV_RULE_OP_ASSIGN_FINAL] = ":=",
};

static const char *const builtin_names[_UDEV_RULES_BUILTIN_MAX] = {
        [UDEV_RULES_BUILTIN_BLKID] = "blkid",
        [UDEV_RULES_BUILTIN_BTRFS] = "btrfs",
        [UDEV_RULES_BUILTIN_HWDB] = "hwdb",
        [UDEV_RULES_BUILTIN_INPUT_ID] = "input_id",
        [UDEV_RULES_BUILTIN_KEYBOARD] = "keyboard",
        [UDEV_RULES_BUILTIN_KMOD] = "kmod",
        [UDEV_RULES_BUILTIN_NET_ID] = "net_id",
        [UDEV_RULES_BUILTIN_NET_SETUP_LINK] = "net_setup_link",
        [UDEV_RULES_BUILTIN_PATH_ID] = "path_id",
        [UDEV_RULES_BUILTIN_USB_ID] = "usb_id",
        [UDEV_RULES_BUILTIN_UACCESS] = "uaccess",
};

const char *udev_rule_token_type_to_string(UdevRuleTokenType t) {
        return t >= 0 && t < _UDEV_TK_TYPE_MAX ? token_type_names[t] : NULL;
}

const char *udev_rule_operator_to_string(UdevRuleOperator op) {
        return op >= 0 && op < _UDEV_RULE_OP_MAX ? operator_names[op] : NULL;
}

const char *udev_rules_builtin_to_string(UdevRulesBuiltin b) {
        return b >= 0 && b < _UDEV_RULES_BUILTIN_MAX ? builtin_names[b] : NULL;
}

UdevRulesBuiltin udev_rules_builtin_lookup(const char *command) {
        size_t n;

        if (!command)
                return _UDEV_RULES_BUILTIN_INVALID;
        command += strspn(command, WHITESPACE);
        n = strcspn(command, WHITESPACE);
        /* udev compares only the length of the word: a prefix of a name selects it. */
        for (UdevRulesBuiltin b = 0; b < _UDEV_RULES_BUILTIN_MAX; b++)
                if (strncmp(builtin_names[b], command, n) == 0)
                        return b;
        return _UDEV_RULES_BUILTIN_INVALID;
}

static bool match_values(const UdevRuleToken *t, const char *str, bool glob) {
        for (size_t i = 0; i < t->n_values; i++)
                if (glob ? fnmatch(t->values[i], str, 0) == 0 : streq(t->values[i], str))
                        return true;
        return false;
}

bool udev_rule_token_match_string(const UdevRuleToken *t, const char *str) {
        bool match;

        str = strempty(str);
        switch (t->match_type) {
        case UDEV_RULE_MATCH_EMPTY:
                match = isempty(str);
                break;
        case UDEV_RULE_MATCH_SUBSYSTEM:
                match = streq(str, "subsystem") || streq(str, "class") || streq(str, "bus");
                break;
        case UDEV_RULE_MATCH_PLAIN_WITH_EMPTY:
        case UDEV_RULE_MATCH_GLOB_WITH_EMPTY:
                if (isempty(str)) {
                        match = true;
                        break;
                }
                match = match_values(t, str, t->match_type == UDEV_RULE_MATCH_GLOB_WITH_EMPTY);
                break;
        case UDEV_RULE_MATCH_PLAIN:
        case UDEV_RULE_MATCH_GLOB:
                match = match_values(t, str, t->match_type == UDEV_RULE_MATCH_GLOB);
                break;
        default:
                match = false;
                break;
        }
        return t->op == (match ? UDEV_RULE_OP_MATCH : UDEV_RULE_OP_NOMATCH);
}

static void dump_token(const UdevRuleToken *t, FILE *f) {
        fputs(strna(udev_rule_token_type_to_string(t->type)), f);
        if (t->attr)
                fprintf(f, "{%s}", t->attr);
        fputs(strna(udev_rule_operator_to_string(t->op)), f);
        switch (t->type) {
        case UDEV_TK_A_OPTIONS_INOTIFY_WATCH:
                fputs(t->data.watch ? "1" : "0", f);
                return;
        case UDEV_TK_A_OPTIONS_DEVLINK_PRIORITY:
                fprintf(f, "%d", t->data.link_priority);
                return;
        case UDEV_TK_A_OPTIONS_LOG_LEVEL:
                fprintf(f, "%d", t->data.log_level);
                return;
        case UDEV_TK_A_OWNER_ID:
                fprintf(f, "%d", t->data.uid == UID_INVALID ? -1 : (int) t->data.uid);
                return;
        case UDEV_TK_A_GROUP_ID:
                fprintf(f, "%d", t->data.gid == GID_INVALID ? -1 : (int) t->data.gid);
                return;
        case UDEV_TK_A_MODE_ID:
                fprintf(f, "%#o", (unsigned) t->data.mode);
                return;
        default:
                break;
        }
        if (udev_rule_token_type_is_match(t->type)) {
                static const char *const mt[_UDEV_RULE_MATCH_MAX] = {
                        "empty", "plain", "plain|", "glob", "glob|", "subsystem"
                };
                fputc('[', f);
                for (size_t i = 0; i < t->n_values; i++)
                        fprintf(f, "%s\"%s\"", i > 0 ? "," : "", t->values[i]);
                fprintf(f, "](%s)",
                        t->match_type >= 0 && t->match_type < _UDEV_RULE_MATCH_MAX
                                ? mt[t->match_type]
                                : "?");
        } else if (t->value)
                fprintf(f, "\"%s\"", t->value);
        if (t->type == UDEV_TK_M_TEST && t->data.mode != UDEV_RULES_MODE_INVALID)
                fprintf(f, "(mode %#o)", (unsigned) t->data.mode);
        if (IN_SET(t->type, UDEV_TK_M_IMPORT_BUILTIN, UDEV_TK_A_RUN_BUILTIN))
                fprintf(f, "(%s)", strna(udev_rules_builtin_to_string(t->data.builtin)));
        if (t->value_subst)
                fputs("(subst)", f);
}

void udev_rule_line_dump(const UdevRuleLine *l, FILE *f) {
        static const char flag_chars[] = "NDSGLU"; /* in UdevRuleLineFlags bit order */

        fprintf(f, "%s:%u [", l->file ? l->file->filename : "(null)", l->line_number);
        for (unsigned i = 0; i < sizeof flag_chars - 1; i++)
                fputc(l->flags & (1U << i) ? flag_chars[i] : '-', f);
        fputc(']', f);
        for (size_t i = 0; i < l->n_tokens; i++) {
                fputs(i == l->parents_begin && l->parents_end > l->parents_begin ? " (" : " ", f);
                dump_token(&l->tokens[i], f);
                if (i + 1 == l->parents_end && l->parents_end > l->parents_begin)
                        fputc(')', f);
        }
        if (l->label)
                fprintf(f, " LABEL=\"%s\"", l->label);
        if (l->goto_label)
                fprintf(f, " GOTO=\"%s\"->%zd", l->goto_label, l->goto_line);
        fputc('\n', f);
}

/* ---- the rule set ---- */

int udev_rules_new(UdevRulesResolveNameTiming timing, UdevRules **ret) {
        UdevRules *rules;

        if (timing < 0 || timing >= _UDEV_RULES_RESOLVE_NAME_MAX || !ret)
                return -EINVAL;
        rules = new0(UdevRules, 1);
        if (!rules)
                return -ENOMEM;
        rules->resolve_name_timing = timing;
        rules->resolve = udev_rules_resolve_name_nss;
        *ret = rules;
        return 0;
}

static void stats_free(UdevRulesStat *stats, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(stats[i].path);
        free(stats);
}

UdevRules *udev_rules_free(UdevRules *rules) {
        if (!rules)
                return NULL;
        for (size_t i = 0; i < rules->n_files; i++)
                udev_rule_file_free(rules->files[i]);
        free(rules->files);
        hashmap_free(rules->known_users);
        hashmap_free(rules->known_groups);
        strv_free(rules->dirs);
        stats_free(rules->stats, rules->n_stats);
        return mfree(rules);
}

void udev_rules_set_resolver(UdevRules *rules, UdevRulesResolveName resolve, void *userdata) {
        rules->resolve = resolve ?: udev_rules_resolve_name_nss;
        rules->resolve_userdata = resolve ? userdata : NULL;
}

static bool synthesize_nobody(void) {
        static int cached = -1;

        if (cached < 0)
                cached = access("/etc/systemd/dont-synthesize-nobody", F_OK) < 0;
        return cached;
}

int udev_rules_resolve_name_nss(bool group, const char *name, uint32_t *ret_id, void *userdata) {
        struct passwd *pw = NULL;
        struct group *gr = NULL;
        uint32_t id;

        if (streq(name, "root") || streq(name, "0")) {
                *ret_id = 0;
                return 0;
        }
        if ((streq(name, group ? "nogroup" : "nobody") || streq(name, "65534")) &&
            synthesize_nobody()) {
                *ret_id = 65534;
                return 0;
        }
        errno = 0;
        if (parse_uid(name, &id) >= 0) {
                /* A number without an entry is taken as it is (USER_CREDS_ALLOW_MISSING). */
                if (group ? !getgrgid(id) : !getpwuid(id)) {
                        *ret_id = id;
                        return 0;
                }
        } else if (group ? !(gr = getgrnam(name)) : !(pw = getpwnam(name)))
                return errno > 0 ? -errno : -ESRCH;
        else
                id = group ? gr->gr_gid : pw->pw_uid;
        if (id == UINT32_MAX || id == 65535)
                return -EBADMSG;
        *ret_id = id;
        return 0;
}

static int name_cmp(const void *a, const void *b) {
        return strcmp(path_basename(*(char *const *) a), path_basename(*(char *const *) b));
}

/* The directories with symlinks resolved (as udev names the files) and duplicates dropped. */
static char **resolve_dirs(char *const *dirs) {
        _cleanup_strv_free_ char **l = NULL;

        for (char *const *d = dirs; *d; d++) {
                _cleanup_free_ char *p = realpath(*d, NULL);

                if (!p && !(p = strdup(*d)))
                        return NULL;
                if (!strv_find(l, p) && strv_consume(&l, TAKE_PTR(p)) < 0)
                        return NULL;
        }
        return l ? TAKE_PTR(l) : new0(char *, 1);
}

/* Adds the rules files of dir not seen yet to *paths; by_name maps the names seen to their
 * paths (owned by *paths). */
static int add_dir_files(Hashmap *by_name, char ***paths, const char *dir) {
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        int r;

        d = opendir(dir);
        if (!d) {
                if (errno != ENOENT)
                        log_debug_errno(errno, "Failed to open directory '%s', ignoring: %m", dir);
                return 0;
        }
        while ((errno = 0, de = readdir(d))) {
                _cleanup_free_ char *name = NULL;
                char *path;

                if (hidden_or_backup_file(de->d_name) || !endswith(de->d_name, ".rules"))
                        continue;
                if (hashmap_contains(by_name, de->d_name)) {
                        log_debug("Skipping overridden file '%s/%s'.", dir, de->d_name);
                        continue;
                }
                name = strdup(de->d_name);
                path = path_join_real(dir, de->d_name, NULL);
                if (!name || strv_consume(paths, path) < 0)
                        return -ENOMEM;
                r = hashmap_put(by_name, name, path);
                if (r < 0)
                        return r;
                TAKE_PTR(name);
        }
        if (errno > 0)
                log_debug_errno(errno, "Failed to read directory '%s', ignoring: %m", dir);
        return 0;
}

/* The paths of the rules files of dirs, the first directory winning for a name, in name order. */
static int list_files(char *const *dirs, char ***ret) {
        _cleanup_(hashmap_freep) Hashmap *by_name = NULL;
        _cleanup_strv_free_ char **l = NULL;
        int r;

        by_name = hashmap_new(&string_hash_ops_free);
        if (!by_name)
                return -ENOMEM;
        for (char *const *d = dirs; *d; d++) {
                r = add_dir_files(by_name, &l, *d);
                if (r < 0)
                        return r;
        }
        if (l)
                qsort(l, strv_length(l), sizeof(char *), name_cmp);
        *ret = TAKE_PTR(l);
        return 0;
}

static int stat_files(char *const *paths, UdevRulesStat **ret, size_t *ret_n) {
        UdevRulesStat *stats;
        size_t n = 0;

        stats = new0(UdevRulesStat, strv_length(paths) + 1);
        if (!stats)
                return -ENOMEM;
        for (char *const *p = paths; p && *p; p++) {
                if (stat(*p, &stats[n].st) < 0)
                        continue; /* gone already: as if never listed */
                stats[n].path = strdup(*p);
                if (!stats[n].path) {
                        stats_free(stats, n);
                        return -ENOMEM;
                }
                n++;
        }
        *ret = stats;
        *ret_n = n;
        return 0;
}

int udev_rules_load(UdevRules *rules, char *const *dirs) {
        static char *const default_dirs[] = { UDEV_RULES_DIRS_DEFAULT, NULL };
        _cleanup_strv_free_ char **resolved = NULL, **files = NULL;
        UdevRulesStat *stats;
        size_t n_stats;
        int r;

        if (!rules)
                return -EINVAL;
        resolved = resolve_dirs(dirs ?: default_dirs);
        if (!resolved)
                return log_oom();
        r = list_files(resolved, &files);
        if (r < 0)
                return log_error_errno(r, "Failed to enumerate rules files: %m");
        r = stat_files(files, &stats, &n_stats);
        if (r < 0)
                return log_oom();
        stats_free(rules->stats, rules->n_stats);
        rules->stats = stats;
        rules->n_stats = n_stats;
        strv_free(rules->dirs);
        rules->dirs = TAKE_PTR(resolved);

        for (char **f = files; f && *f; f++) {
                r = udev_rules_parse_file(rules, *f);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        log_debug_errno(r, "Failed to read rules file %s, ignoring: %m", *f);
        }
        return 0;
}

static bool stat_unmodified(const struct stat *a, const struct stat *b) {
        return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
               ((a->st_mode ^ b->st_mode) & S_IFMT) == 0 &&
               a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
               (!S_ISREG(a->st_mode) || a->st_size == b->st_size) &&
               (!(S_ISCHR(a->st_mode) || S_ISBLK(a->st_mode)) || a->st_rdev == b->st_rdev);
}

bool udev_rules_should_reload(const UdevRules *rules) {
        _cleanup_strv_free_ char **files = NULL;
        UdevRulesStat *stats = NULL;
        size_t n = 0;
        bool changed;
        int r;

        if (!rules || !rules->dirs)
                return true;
        r = list_files(rules->dirs, &files);
        if (r >= 0)
                r = stat_files(files, &stats, &n);
        if (r < 0) {
                log_warning_errno(r, "Failed to get stats of udev rules, ignoring: %m");
                return true;
        }
        changed = n != rules->n_stats;
        for (size_t i = 0; !changed && i < n; i++)
                changed = !streq(stats[i].path, rules->stats[i].path) ||
                          !stat_unmodified(&stats[i].st, &rules->stats[i].st);
        stats_free(stats, n);
        if (changed)
                log_debug("Udev rules need reloading");
        return changed;
}

size_t udev_rules_count_lines(const UdevRules *rules) {
        size_t n = 0;

        for (size_t i = 0; rules && i < rules->n_files; i++)
                n += rules->files[i]->n_lines;
        return n;
}

size_t udev_rules_count_tokens(const UdevRules *rules) {
        size_t n = 0;

        for (size_t i = 0; rules && i < rules->n_files; i++)
                for (size_t j = 0; j < rules->files[i]->n_lines; j++)
                        n += rules->files[i]->lines[j].n_tokens;
        return n;
}

void udev_rules_dump(const UdevRules *rules, FILE *f) {
        for (size_t i = 0; rules && i < rules->n_files; i++)
                for (size_t j = 0; j < rules->files[i]->n_lines; j++)
                        udev_rule_line_dump(&rules->files[i]->lines[j], f);
}
