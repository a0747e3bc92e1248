/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-rules-exec.c: the rules engine. Walks the compiled lines (udev-rules.h) for an event,
 * token by token in the loader's order, stopping a line at its first mismatch; the parent
 * block is tried on the device and then on each ancestor until all its tokens match one
 * device. Assignments follow udev 252 exactly: ':=' locks, '+='/'-=' on lists, escaping
 * according to OPTIONS string_escape, the read-only ENV keys were already refused at load.
 */

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "device-db.h"
#include "escape.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "proc-cmdline.h"
#include "string-util.h"
#include "strv.h"
#include "udev-builtin.h"
#include "udev-node.h"
#include "udev-rules-exec.h"

#define WHITESPACE_CHARS " \t\n\r"

#define log_rule_full_errno(dev, line, level, err, fmt, ...)                                    \
        log_device_full_errno((dev), (level), (err), "%s:%u " fmt, (line)->file->filename,       \
                              (line)->line_number, ##__VA_ARGS__)
#define log_rule_debug(dev, line, ...) ((void) log_rule_full_errno(dev, line, LOG_DEBUG, 0, __VA_ARGS__))
#define log_rule_warning(dev, line, ...) ((void) log_rule_full_errno(dev, line, LOG_WARNING, 0, __VA_ARGS__))
#define log_rule_error(dev, line, ...) ((void) log_rule_full_errno(dev, line, LOG_ERR, 0, __VA_ARGS__))
#define log_rule_error_errno(dev, line, err, ...) log_rule_full_errno(dev, line, LOG_ERR, err, __VA_ARGS__)
#define log_rule_debug_errno(dev, line, err, ...) log_rule_full_errno(dev, line, LOG_DEBUG, err, __VA_ARGS__)

/* The value of a token after substitution; false when it did not fit. */
static bool format_value(UdevEvent *e, const char *value, bool subst, char *buf, size_t size,
                         bool replace_whitespace) {
        bool truncated = false;

        if (!subst && !replace_whitespace) {
                size_t n = strlen(value);

                if (n >= size) {
                        memcpy(buf, value, size - 1);
                        buf[size - 1] = '\0';
                        return false;
                }
                memcpy(buf, value, n + 1);
                return true;
        }
        (void) udev_event_apply_format(e, value, buf, size, replace_whitespace, &truncated);
        return !truncated;
}

static bool token_match_attr(UdevEvent *e, const UdevRuleLine *line, const UdevRuleToken *t, Device *dev) {
        char nbuf[UDEV_RULES_NAME_SIZE], vbuf[UDEV_RULES_NAME_SIZE];
        const char *name = t->attr, *value;

        switch (t->attr_subst) {
        case UDEV_RULE_SUBST_FORMAT:
                if (!format_value(e, name, true, nbuf, sizeof(nbuf), false)) {
                        log_rule_debug(dev, line,
                                       "The sysfs attribute name '%s' is truncated while substituting into '%s', "
                                       "assuming the %s key does not match.",
                                       nbuf, name, t->type == UDEV_TK_M_ATTR ? "ATTR" : "ATTRS");
                        return false;
                }
                name = nbuf;
                _fallthrough_;
        case UDEV_RULE_SUBST_PLAIN:
                if (device_get_sysattr_value(dev, name, &value) < 0)
                        return false;
                break;
        case UDEV_RULE_SUBST_SUBSYS:
                if (udev_resolve_subsys_kernel(name, vbuf, sizeof(vbuf), true) < 0)
                        return false;
                value = vbuf;
                break;
        default:
                return false;
        }

        if (t->attr_match_remove_trailing_whitespace) {
                if (value != vbuf) {
                        size_t n = strlen(value);

                        if (n >= sizeof(vbuf))
                                n = sizeof(vbuf) - 1;
                        memcpy(vbuf, value, n);
                        vbuf[n] = '\0';
                        value = vbuf;
                }
                udev_strip_trailing_whitespace(vbuf);
        }
        return udev_rule_token_match_string(t, value);
}

/* Expands the first "/STAR/" component (a literal asterisk) to the first entry that exists. */
static int attr_subst_subdir(char *attr, size_t size) {
        _cleanup_free_ char *dirpath = NULL;
        const char *tail;
        struct dirent *de;
        DIR *dir;

        tail = strstr(attr, "/*/");
        if (!tail)
                return 0;
        dirpath = strndup(attr, tail - attr + 1);
        if (!dirpath)
                return -ENOMEM;
        tail += 2; /* keep the slash */
        dir = opendir(dirpath);
        if (!dir)
                return -errno;
        while ((de = readdir(dir))) {
                _cleanup_free_ char *p = NULL;

                if (de->d_name[0] == '.')
                        continue;
                p = strjoin(dirpath, de->d_name, tail);
                if (!p) {
                        closedir(dir);
                        return -ENOMEM;
                }
                if (strlen(p) >= size || access(p, F_OK) < 0)
                        continue;
                strcpy(attr, p);
                closedir(dir);
                return 0;
        }
        closedir(dir);
        return -ENOENT;
}

/* KEY=VALUE line of an import: 1 with key/value pointing into line, 0 for comments and empty
 * lines, -EINVAL for malformed lines. */
static int get_property_from_string(char *line, char **ret_key, char **ret_value) {
        char *key, *val;
        size_t len;

        key = line + strspn(line, WHITESPACE_CHARS);
        if (IN_SET(key[0], '#', '\0'))
                return 0;
        val = strchr(key, '=');
        if (!val)
                return -EINVAL;
        *val++ = '\0';
        key = strstrip(key);
        if (isempty(key))
                return -EINVAL;
        val = strstrip(val);
        if (isempty(val))
                return -EINVAL;
        if (IN_SET(val[0], '"', '\'')) {
                len = strlen(val);
                if (len == 1 || val[len - 1] != val[0])
                        return -EINVAL;
                val[len - 1] = '\0';
                val++;
        }
        *ret_key = key;
        *ret_value = val;
        return 1;
}

static int import_lines(Device *dev, const UdevRuleLine *line, char **lines) {
        STRV_FOREACH(l, lines) {
                char *key, *value;
                int r;

                r = get_property_from_string(*l, &key, &value);
                if (r < 0) {
                        log_rule_debug_errno(dev, line, r, "Failed to parse key and value from '%s', ignoring: %m", *l);
                        continue;
                }
                if (r == 0)
                        continue;
                r = device_add_property(dev, key, value);
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to add property %s=%s: %m", key, value);
        }
        return 0;
}

/* /proc/sys path of a sysctl name written with '.' or '/' separators. */
static char *sysctl_path(const char *name) {
        _cleanup_free_ char *n = strdup(name);
        char *s;

        if (!n)
                return NULL;
        s = strpbrk(n, "./");
        if (s && *s == '.')
                for (char *p = s; *p; p++)
                        *p = *p == '.' ? '/' : *p == '/' ? '.' : *p;
        return path_join("/proc/sys", n);
}

static const char *uname_architecture(void) {
        static const struct {
                const char *machine, *arch;
        } table[] = {
                { "x86_64", "x86-64" }, { "i386", "x86" },      { "i486", "x86" },   { "i586", "x86" },
                { "i686", "x86" },      { "aarch64", "arm64" }, { "armv7l", "arm" }, { "ppc64le", "ppc64-le" },
                { "ppc64", "ppc64" },   { "s390x", "s390x" },   { "riscv64", "riscv64" },
                { "mips64", "mips64" }, { "loongarch64", "loongarch64" },
        };
        static struct utsname u;

        if (uname(&u) < 0)
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(u.machine, table[i].machine))
                        return table[i].arch;
        return u.machine;
}

static int resolve_owner(bool group, const char *name, uint32_t *ret) {
        uid_t id;

        if (parse_uid(name, &id) >= 0) {
                *ret = id;
                return 0;
        }
        return udev_rules_resolve_name_nss(group, name, ret, NULL);
}

/* 1: the token matches (or was applied), 0: it does not match, <0: critical error. */
static int apply_token(UdevEvent *e, const UdevRuleLine *line, const UdevRuleToken *t, Device *dev) {
        bool is_match = t->op == UDEV_RULE_OP_MATCH;
        const char *val = NULL;
        int r;

        switch (t->type) {
        case UDEV_TK_M_ACTION: {
                DeviceAction a;

                r = device_get_action(dev, &a);
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to get uevent action type: %m");
                return udev_rule_token_match_string(t, device_action_to_string(a));
        }
        case UDEV_TK_M_DEVPATH:
                r = device_get_devpath(dev, &val);
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to get devpath: %m");
                return udev_rule_token_match_string(t, val);
        case UDEV_TK_M_KERNEL:
        case UDEV_TK_M_PARENTS_KERNEL:
                r = device_get_sysname(dev, &val);
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to get sysname: %m");
                return udev_rule_token_match_string(t, val);
        case UDEV_TK_M_DEVLINK: {
                const char *link;

                DEVICE_FOREACH_DEVLINK(dev, link)
                        if (udev_rule_token_match_string(t, strempty(startswith(link, "/dev/"))) == is_match)
                                return is_match;
                return !is_match;
        }
        case UDEV_TK_M_NAME:
                return udev_rule_token_match_string(t, e->name);
        case UDEV_TK_M_ENV:
                if (device_get_property_value(dev, t->attr, &val) < 0)
                        val = e->global_properties ? hashmap_get(e->global_properties, t->attr) : NULL;
                return udev_rule_token_match_string(t, val);
        case UDEV_TK_M_CONST:
                if (streq(t->attr, "arch"))
                        val = uname_architecture();
                else
                        val = NULL; /* "virt": virtualization detection not implemented yet */
                return udev_rule_token_match_string(t, val);
        case UDEV_TK_M_TAG:
        case UDEV_TK_M_PARENTS_TAG: {
                const char *tag;

                DEVICE_FOREACH_CURRENT_TAG(dev, tag)
                        if (udev_rule_token_match_string(t, tag) == is_match)
                                return is_match;
                if (dev == e->dev && e->empty_tag && udev_rule_token_match_string(t, "") == is_match)
                        return is_match;
                return !is_match;
        }
        case UDEV_TK_M_SUBSYSTEM:
        case UDEV_TK_M_PARENTS_SUBSYSTEM:
                r = device_get_subsystem(dev, &val);
                if (r == -ENOENT)
                        val = NULL;
                else if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to get subsystem: %m");
                return udev_rule_token_match_string(t, val);
        case UDEV_TK_M_DRIVER:
        case UDEV_TK_M_PARENTS_DRIVER:
                r = device_get_driver(dev, &val);
                if (r == -ENOENT)
                        val = NULL;
                else if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to get driver: %m");
                return udev_rule_token_match_string(t, val);
        case UDEV_TK_M_ATTR:
        case UDEV_TK_M_PARENTS_ATTR:
                return token_match_attr(e, line, t, dev);
        case UDEV_TK_M_SYSCTL: {
                _cleanup_free_ char *path = NULL, *value = NULL;
                char buf[UDEV_RULES_PATH_SIZE];

                if (!format_value(e, t->attr, true, buf, sizeof(buf), false)) {
                        log_rule_debug(dev, line, "The sysctl entry name '%s' is truncated while substituting into '%s', "
                                       "assuming the SYSCTL key does not match.", buf, t->attr);
                        return false;
                }
                path = sysctl_path(buf);
                if (!path)
                        return log_oom();
                r = read_full_file(path, SIZE_MAX, &value, NULL);
                if (r < 0 && r != -ENOENT)
                        return log_rule_error_errno(dev, line, r, "Failed to read sysctl '%s': %m", buf);
                return udev_rule_token_match_string(t, value ? strstrip(value) : NULL);
        }
        case UDEV_TK_M_TEST: {
                char buf[UDEV_RULES_PATH_SIZE];
                struct stat st;
                bool match;

                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_debug(dev, line, "The file name '%s' is truncated while substituting into '%s', "
                                       "assuming the TEST key does not match", buf, t->value);
                        return false;
                }
                if (!path_is_absolute(buf) && udev_resolve_subsys_kernel(buf, buf, sizeof(buf), false) < 0) {
                        _cleanup_free_ char *p = NULL;
                        const char *syspath;

                        r = device_get_syspath(dev, &syspath);
                        if (r < 0)
                                return log_rule_error_errno(dev, line, r, "Failed to get syspath: %m");
                        p = strjoin(syspath, "/", buf);
                        if (!p)
                                return log_oom();
                        if (strlen(p) >= sizeof(buf))
                                return false;
                        strcpy(buf, p);
                }
                r = attr_subst_subdir(buf, sizeof(buf));
                if (r == -ENOENT)
                        return !is_match;
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to test for the existence of '%s': %m", buf);
                if (stat(buf, &st) < 0)
                        return !is_match;
                if (t->data.mode == UDEV_RULES_MODE_INVALID)
                        return is_match;
                match = (st.st_mode & t->data.mode) > 0;
                return match == is_match;
        }
        case UDEV_TK_M_PROGRAM: {
                char buf[UDEV_RULES_LINE_SIZE], result[UDEV_RULES_LINE_SIZE];
                size_t count;

                e->program_result = mfree(e->program_result);
                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_debug(dev, line, "The command '%s' is truncated while substituting into '%s', "
                                       "assuming the PROGRAM key does not match.", buf, t->value);
                        return false;
                }
                log_rule_debug(dev, line, "Running PROGRAM '%s'", buf);
                r = udev_event_spawn(e, true, buf, result, sizeof(result), NULL);
                if (r != 0) {
                        if (r < 0)
                                log_rule_full_errno(dev, line, LOG_WARNING, r, "Failed to execute \"%s\": %m", buf);
                        else
                                log_rule_debug(dev, line, "Command \"%s\" returned %d (error)", buf, r);
                        return !is_match;
                }
                {
                        size_t n = strlen(result);

                        while (n > 0 && result[n - 1] == '\n')
                                result[--n] = '\0';
                }
                count = udev_replace_chars(result, UDEV_ALLOWED_CHARS_INPUT);
                if (count > 0)
                        log_rule_debug(dev, line, "Replaced %zu character(s) in result of \"%s\"", count, buf);
                e->program_result = strdup(result);
                if (!e->program_result)
                        return log_oom();
                return is_match;
        }
        case UDEV_TK_M_IMPORT_FILE: {
                _cleanup_free_ char *data = NULL;
                _cleanup_strv_free_ char **lines = NULL;
                char buf[UDEV_RULES_PATH_SIZE];

                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_debug(dev, line, "The file name '%s' to be imported is truncated while substituting into '%s', "
                                       "assuming the IMPORT key does not match.", buf, t->value);
                        return false;
                }
                log_rule_debug(dev, line, "Importing properties from '%s'", buf);
                r = read_full_file(buf, SIZE_MAX, &data, NULL);
                if (r == -ENOENT)
                        return !is_match;
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to open '%s': %m", buf);
                r = strv_split_newlines(data, &lines);
                if (r < 0)
                        return log_oom();
                r = import_lines(dev, line, lines);
                if (r < 0)
                        return r;
                return is_match;
        }
        case UDEV_TK_M_IMPORT_PROGRAM: {
                _cleanup_strv_free_ char **lines = NULL;
                char buf[UDEV_RULES_LINE_SIZE], result[UDEV_RULES_LINE_SIZE];
                bool truncated = false;

                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_debug(dev, line, "The command '%s' is truncated while substituting into '%s', "
                                       "assuming the IMPORT key does not match.", buf, t->value);
                        return false;
                }
                log_rule_debug(dev, line, "Importing properties from results of '%s'", buf);
                r = udev_event_spawn(e, true, buf, result, sizeof(result), &truncated);
                if (r != 0) {
                        if (r < 0)
                                log_rule_full_errno(dev, line, LOG_WARNING, r, "Failed to execute '%s', ignoring: %m", buf);
                        else
                                log_rule_debug(dev, line, "Command \"%s\" returned %d (error), ignoring", buf, r);
                        return !is_match;
                }
                if (truncated) {
                        /* drop the last, incomplete line */
                        char *nl = strrchr(result, '\n');

                        if (nl)
                                *nl = '\0';
                        else
                                result[0] = '\0';
                }
                r = strv_split_full(result, "\n\r", EXTRACT_RETAIN_ESCAPE | EXTRACT_DONT_COALESCE_SEPARATORS, &lines);
                if (r == -ENOMEM)
                        return log_oom();
                if (r < 0) {
                        log_rule_warning(dev, line, "Failed to extract lines from result of command \"%s\", ignoring", buf);
                        return false;
                }
                r = import_lines(dev, line, lines);
                if (r < 0)
                        return r;
                return is_match;
        }
        case UDEV_TK_M_IMPORT_BUILTIN: {
                unsigned mask = 1U << (unsigned) t->data.builtin;
                char buf[UDEV_RULES_LINE_SIZE];

                if (udev_builtin_run_once(t->data.builtin)) {
                        if (e->builtin_run & mask) {
                                log_rule_debug(dev, line, "Skipping builtin '%s' in IMPORT key",
                                               udev_rules_builtin_to_string(t->data.builtin));
                                return (e->builtin_ret & mask) ? !is_match : is_match;
                        }
                        e->builtin_run |= mask;
                }
                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_debug(dev, line, "The builtin command '%s' is truncated while substituting into '%s', "
                                       "assuming the IMPORT key does not match", buf, t->value);
                        return false;
                }
                log_rule_debug(dev, line, "Importing properties from results of builtin command '%s'", buf);
                r = udev_builtin_run(dev, t->data.builtin, buf, false);
                if (r < 0) {
                        log_rule_debug_errno(dev, line, r, "Failed to run builtin '%s': %m", buf);
                        e->builtin_ret |= mask;
                }
                return (r >= 0) == is_match;
        }
        case UDEV_TK_M_IMPORT_DB:
                if (!e->dev_db_clone)
                        return !is_match;
                r = device_get_property_value(e->dev_db_clone, t->value, &val);
                if (r == -ENOENT)
                        return !is_match;
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to get property '%s' from database: %m", t->value);
                r = device_add_property(dev, t->value, val);
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to add property '%s=%s': %m", t->value, val);
                return is_match;
        case UDEV_TK_M_IMPORT_CMDLINE: {
                _cleanup_free_ char *value = NULL;

                r = proc_cmdline_get_key(t->value, PROC_CMDLINE_VALUE_OPTIONAL, &value);
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to read '%s' option from /proc/cmdline: %m", t->value);
                if (r == 0)
                        return !is_match;
                r = device_add_property(dev, t->value, value ?: "1");
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to add property '%s=%s': %m", t->value, value ?: "1");
                return is_match;
        }
        case UDEV_TK_M_IMPORT_PARENT: {
                char buf[UDEV_RULES_PATH_SIZE];
                Device *parent;
                const char *key, *value;
                _cleanup_strv_free_ char **pairs = NULL;

                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_debug(dev, line, "The property name '%s' is truncated while substituting into '%s', "
                                       "assuming the IMPORT key does not match.", buf, t->value);
                        return false;
                }
                r = device_get_parent(dev, &parent);
                if (r == -ENOENT)
                        return !is_match;
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to import properties '%s' from parent: %m", buf);
                DEVICE_FOREACH_PROPERTY(parent, key, value)
                        if (fnmatch(buf, key, 0) == 0)
                                if (strv_extend(&pairs, key) < 0 || strv_extend(&pairs, value) < 0)
                                        return log_oom();
                for (size_t i = 0; pairs && pairs[i]; i += 2) {
                        r = device_add_property(dev, pairs[i], pairs[i + 1]);
                        if (r < 0)
                                return log_rule_error_errno(dev, line, r, "Failed to import properties '%s' from parent: %m", buf);
                }
                return is_match;
        }
        case UDEV_TK_M_RESULT:
                return udev_rule_token_match_string(t, e->program_result);

        case UDEV_TK_A_OPTIONS_STRING_ESCAPE_NONE:
                e->esc = UDEV_ESCAPE_NONE;
                break;
        case UDEV_TK_A_OPTIONS_STRING_ESCAPE_REPLACE:
                e->esc = UDEV_ESCAPE_REPLACE;
                break;
        case UDEV_TK_A_OPTIONS_DB_PERSIST:
                device_set_db_persist(dev);
                break;
        case UDEV_TK_A_OPTIONS_INOTIFY_WATCH:
                if (e->inotify_watch_final)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        e->inotify_watch_final = true;
                e->inotify_watch = t->data.watch;
                break;
        case UDEV_TK_A_OPTIONS_DEVLINK_PRIORITY:
                device_set_devlink_priority(dev, t->data.link_priority);
                break;
        case UDEV_TK_A_OPTIONS_LOG_LEVEL: {
                int level = t->data.log_level < 0 ? e->default_log_level : t->data.log_level;

                log_set_max_level(level);
                if (level == LOG_DEBUG && !e->log_level_was_debug) {
                        log_device_debug(dev, "The log level is changed to 'debug' while processing device");
                        e->log_level_was_debug = true;
                }
                break;
        }
        case UDEV_TK_A_OWNER:
        case UDEV_TK_A_GROUP: {
                bool group = t->type == UDEV_TK_A_GROUP;
                bool *final = group ? &e->group_final : &e->owner_final;
                char name[UDEV_RULES_NAME_SIZE];
                uint32_t id;

                if (*final)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        *final = true;
                if (!format_value(e, t->value, t->value_subst, name, sizeof(name), false)) {
                        log_rule_warning(dev, line, "The %s name '%s' is truncated while substituting into '%s', "
                                         "refusing to apply the %s key.", group ? "group" : "user", name, t->value,
                                         group ? "GROUP" : "OWNER");
                        break;
                }
                r = resolve_owner(group, name, &id);
                if (r < 0) {
                        if (IN_SET(r, -ESRCH, -ENOENT))
                                log_rule_error(dev, line, "Unknown %s '%s', ignoring", group ? "group" : "user", name);
                        else
                                log_rule_error_errno(dev, line, r, "Failed to resolve %s '%s', ignoring: %m",
                                                     group ? "group" : "user", name);
                        break;
                }
                if (group)
                        e->gid = id;
                else
                        e->uid = id;
                log_rule_debug(dev, line, "%s %s(%u)", group ? "GROUP" : "OWNER", name, id);
                break;
        }
        case UDEV_TK_A_MODE: {
                char mode_str[UDEV_RULES_NAME_SIZE];

                if (e->mode_final)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        e->mode_final = true;
                if (!format_value(e, t->value, t->value_subst, mode_str, sizeof(mode_str), false)) {
                        log_rule_warning(dev, line, "The mode '%s' is truncated while substituting into %s, "
                                         "refusing to apply the MODE key.", mode_str, t->value);
                        break;
                }
                r = parse_mode(mode_str, &e->mode);
                if (r < 0)
                        log_rule_error_errno(dev, line, r, "Failed to parse mode '%s', ignoring: %m", mode_str);
                else
                        log_rule_debug(dev, line, "MODE %#o", e->mode);
                break;
        }
        case UDEV_TK_A_OWNER_ID:
                if (e->owner_final)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        e->owner_final = true;
                e->uid = t->data.uid;
                log_rule_debug(dev, line, "OWNER %u", e->uid);
                break;
        case UDEV_TK_A_GROUP_ID:
                if (e->group_final)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        e->group_final = true;
                e->gid = t->data.gid;
                log_rule_debug(dev, line, "GROUP %u", e->gid);
                break;
        case UDEV_TK_A_MODE_ID:
                if (e->mode_final)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        e->mode_final = true;
                e->mode = t->data.mode;
                log_rule_debug(dev, line, "MODE %#o", e->mode);
                break;
        case UDEV_TK_A_SECLABEL: {
                char label[UDEV_RULES_LINE_SIZE];

                if (!format_value(e, t->value, t->value_subst, label, sizeof(label), false)) {
                        log_rule_warning(dev, line, "The security label '%s' is truncated while substituting into '%s', "
                                         "refusing to apply the SECLABEL key.", label, t->value);
                        break;
                }
                r = udev_event_add_seclabel(e, t->attr, isempty(label) ? t->value : label,
                                            t->op == UDEV_RULE_OP_ASSIGN);
                if (r < 0)
                        return log_oom();
                log_rule_debug(dev, line, "SECLABEL{%s}='%s'", t->attr, isempty(label) ? t->value : label);
                break;
        }
        case UDEV_TK_A_ENV: {
                char value_new[UDEV_RULES_NAME_SIZE], *p = value_new;
                size_t l = sizeof(value_new);

                if (isempty(t->value)) {
                        if (t->op == UDEV_RULE_OP_ADD)
                                break;
                        r = device_add_property(dev, t->attr, NULL);
                        if (r < 0)
                                return log_rule_error_errno(dev, line, r, "Failed to remove property '%s': %m", t->attr);
                        break;
                }
                if (t->op == UDEV_RULE_OP_ADD && device_get_property_value(dev, t->attr, &val) >= 0) {
                        size_t n = strlen(val);

                        if (n + 1 >= l) {
                                log_rule_warning(dev, line, "The buffer for the property '%s' is full, "
                                                 "refusing to append the new value '%s'.", t->attr, t->value);
                                break;
                        }
                        memcpy(p, val, n);
                        p[n] = ' ';
                        p += n + 1;
                        l -= n + 1;
                }
                if (!format_value(e, t->value, t->value_subst, p, l, false)) {
                        log_rule_warning(dev, line, "The property value '%s' is truncated while substituting into '%s', "
                                         "refusing to add property '%s'.", p, t->value, t->attr);
                        break;
                }
                if (e->esc == UDEV_ESCAPE_REPLACE) {
                        size_t count = udev_replace_chars(p, NULL);

                        if (count > 0)
                                log_rule_debug(dev, line, "Replaced %zu slash(es) from result of ENV{%s}%s=\"%s\"", count,
                                               t->attr, t->op == UDEV_RULE_OP_ADD ? "+" : "", t->value);
                }
                r = device_add_property(dev, t->attr, value_new);
                if (r < 0)
                        return log_rule_error_errno(dev, line, r, "Failed to add property '%s=%s': %m", t->attr, value_new);
                break;
        }
        case UDEV_TK_A_TAG: {
                char buf[UDEV_RULES_PATH_SIZE];

                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_warning(dev, line, "The tag name '%s' is truncated while substituting into '%s',"
                                         "refusing to %s the tag.", buf, t->value,
                                         t->op == UDEV_RULE_OP_REMOVE ? "remove" : "add");
                        break;
                }
                if (t->op == UDEV_RULE_OP_ASSIGN) {
                        device_cleanup_tags(dev);
                        e->empty_tag = false;
                }
                if (buf[0] == '\0') {
                        e->empty_tag = t->op != UDEV_RULE_OP_REMOVE;
                        break;
                }
                if (buf[strspn(buf, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")] != '\0') {
                        log_rule_error(dev, line, "Invalid tag name '%s', ignoring", buf);
                        break;
                }
                if (t->op == UDEV_RULE_OP_REMOVE)
                        device_remove_tag(dev, buf);
                else {
                        r = device_add_tag(dev, buf, true);
                        if (r < 0)
                                return log_rule_error_errno(dev, line, r, "Failed to add tag '%s': %m", buf);
                }
                break;
        }
        case UDEV_TK_A_NAME: {
                char buf[UDEV_RULES_PATH_SIZE];

                if (e->name_final)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        e->name_final = true;
                if (device_get_ifindex(dev, NULL) < 0) {
                        log_rule_error(dev, line, "Only network interfaces can be renamed, ignoring NAME=\"%s\".", t->value);
                        break;
                }
                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_warning(dev, line, "The network interface name '%s' is truncated while substituting into '%s', "
                                         "refusing to set the name.", buf, t->value);
                        break;
                }
                if ((e->esc == UDEV_ESCAPE_UNSET || e->esc == UDEV_ESCAPE_REPLACE)) {
                        /* naming scheme v252 replaces strictly: only valid ifname characters */
                        size_t count = 0;

                        for (char *p = buf; *p; p++)
                                if (*p == '/' || *p == ':' || *p == '%' || (unsigned char) *p <= 32 ||
                                    (unsigned char) *p >= 127) {
                                        *p = '_';
                                        count++;
                                }
                        if (count > 0)
                                log_rule_debug(dev, line, "Replaced %zu character(s) from result of NAME=\"%s\"", count, t->value);
                }
                r = free_and_strdup(&e->name, buf);
                if (r < 0)
                        return log_oom();
                log_rule_debug(dev, line, "NAME '%s'", e->name);
                break;
        }
        case UDEV_TK_A_DEVLINK: {
                char buf[UDEV_RULES_PATH_SIZE], *p;
                size_t count = 0;

                if (e->devlink_final)
                        break;
                if (device_get_devnum(dev, NULL) < 0)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        e->devlink_final = true;
                if (IN_SET(t->op, UDEV_RULE_OP_ASSIGN, UDEV_RULE_OP_ASSIGN_FINAL))
                        device_cleanup_devlinks(dev);

                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), e->esc != UDEV_ESCAPE_NONE && t->value_subst)) {
                        log_rule_warning(dev, line, "The symbolic link path '%s' is truncated while substituting into '%s', "
                                         "refusing to add the device symbolic link.", buf, t->value);
                        break;
                }
                if (e->esc == UDEV_ESCAPE_UNSET)
                        count = udev_replace_chars(buf, "/ ");
                else if (e->esc == UDEV_ESCAPE_REPLACE)
                        count = udev_replace_chars(buf, "/");
                if (count > 0)
                        log_rule_debug(dev, line, "Replaced %zu character(s) from result of SYMLINK=\"%s\"", count, t->value);

                p = buf + strspn(buf, WHITESPACE_CHARS);
                while (!isempty(p)) {
                        _cleanup_free_ char *filename = NULL;
                        char *next = strchr(p, ' ');

                        if (next) {
                                *next++ = '\0';
                                next += strspn(next, WHITESPACE_CHARS);
                        }
                        filename = strjoin("/dev/", p);
                        if (!filename)
                                return log_oom();
                        if (strlen(filename) < UDEV_RULES_PATH_SIZE) {
                                r = device_add_devlink(dev, filename);
                                if (r < 0)
                                        return log_rule_error_errno(dev, line, r, "Failed to add devlink '%s': %m", filename);
                                log_rule_debug(dev, line, "LINK '%s'", p);
                        }
                        p = next;
                }
                break;
        }
        case UDEV_TK_A_ATTR: {
                char buf[UDEV_RULES_PATH_SIZE], value[UDEV_RULES_NAME_SIZE];
                const char *syspath;
                _cleanup_close_ int fd = -1;

                if (udev_resolve_subsys_kernel(t->attr, buf, sizeof(buf), false) < 0 &&
                    device_get_syspath(dev, &syspath) >= 0) {
                        if (strlen(syspath) + 1 + strlen(t->attr) >= sizeof(buf)) {
                                log_rule_warning(dev, line, "The path to the attribute '%s/%s' is too long, refusing to set the attribute.",
                                                 syspath, t->attr);
                                break;
                        }
                        strcpy(stpcpy(stpcpy(buf, syspath), "/"), t->attr);
                }
                r = attr_subst_subdir(buf, sizeof(buf));
                if (r < 0) {
                        log_rule_error_errno(dev, line, r, "Could not find file matches '%s', ignoring: %m", buf);
                        break;
                }
                if (!format_value(e, t->value, t->value_subst, value, sizeof(value), false)) {
                        log_rule_warning(dev, line, "The attribute value '%s' is truncated while substituting into '%s', "
                                         "refusing to set the attribute '%s'", value, t->value, buf);
                        break;
                }
                log_rule_debug(dev, line, "ATTR '%s' writing '%s'", buf, value);
                fd = open(buf, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
                if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t) strlen(value))
                        log_rule_error_errno(dev, line, -errno, "Failed to write ATTR{%s}, ignoring: %m", buf);
                break;
        }
        case UDEV_TK_A_SYSCTL: {
                char buf[UDEV_RULES_PATH_SIZE], value[UDEV_RULES_NAME_SIZE];
                _cleanup_free_ char *path = NULL;

                if (!format_value(e, t->attr, true, buf, sizeof(buf), false)) {
                        log_rule_warning(dev, line, "The sysctl entry name '%s' is truncated while substituting into '%s', "
                                         "refusing to set the sysctl entry.", buf, t->attr);
                        break;
                }
                if (!format_value(e, t->value, t->value_subst, value, sizeof(value), false)) {
                        log_rule_warning(dev, line, "The sysctl value '%s' is truncated while substituting into '%s', "
                                         "refusing to set the sysctl entry '%s'", value, t->value, buf);
                        break;
                }
                path = sysctl_path(buf);
                if (!path)
                        return log_oom();
                log_rule_debug(dev, line, "SYSCTL '%s' writing '%s'", buf, value);
                r = write_string_file(path, value);
                if (r < 0)
                        log_rule_error_errno(dev, line, r, "Failed to write SYSCTL{%s}='%s', ignoring: %m", buf, value);
                break;
        }
        case UDEV_TK_A_RUN_BUILTIN:
        case UDEV_TK_A_RUN_PROGRAM: {
                char buf[UDEV_RULES_LINE_SIZE];

                if (e->run_final)
                        break;
                if (t->op == UDEV_RULE_OP_ASSIGN_FINAL)
                        e->run_final = true;
                if (IN_SET(t->op, UDEV_RULE_OP_ASSIGN, UDEV_RULE_OP_ASSIGN_FINAL))
                        udev_event_clear_run(e);
                if (!format_value(e, t->value, t->value_subst, buf, sizeof(buf), false)) {
                        log_rule_warning(dev, line, "The command '%s' is truncated while substituting into '%s', "
                                         "refusing to invoke the command.", buf, t->value);
                        break;
                }
                r = udev_event_add_run(e, buf, t->type == UDEV_TK_A_RUN_BUILTIN ? t->data.builtin
                                                                                : _UDEV_RULES_BUILTIN_INVALID);
                if (r < 0)
                        return log_oom();
                log_rule_debug(dev, line, "RUN '%s'", t->value);
                break;
        }
        case UDEV_TK_A_OPTIONS_STATIC_NODE:
                break;
        default:
                return -EINVAL;
        }
        return true;
}

/* Tries the parent block on the device and then each ancestor; sets e->dev_parent. */
static int apply_parent_block(UdevEvent *e, const UdevRuleLine *line) {
        e->dev_parent = e->dev;
        for (;;) {
                bool all = true;

                for (size_t i = line->parents_begin; i < line->parents_end; i++) {
                        int r = apply_token(e, line, &line->tokens[i], e->dev_parent);

                        if (r < 0)
                                return r;
                        if (r == 0) {
                                all = false;
                                break;
                        }
                }
                if (all)
                        return true;
                if (device_get_parent(e->dev_parent, &e->dev_parent) < 0) {
                        e->dev_parent = NULL;
                        return false;
                }
        }
}

/* 0 after the line (matched or not), a negative errno on critical errors; *next is the index
 * of the next line to run. */
static int apply_line(UdevEvent *e, const UdevRuleLine *line, bool is_remove, bool has_devnum,
                      bool has_ifindex, bool *goto_taken) {
        bool parents_done = false;

        *goto_taken = false;
        if (!udev_rule_line_wanted(line, is_remove, has_devnum, has_ifindex))
                return 0;

        e->esc = UDEV_ESCAPE_UNSET;
        for (size_t i = 0; i < line->n_tokens; i++) {
                const UdevRuleToken *t = &line->tokens[i];
                int r;

                if (udev_rule_token_type_is_parent(t->type)) {
                        if (parents_done)
                                continue;
                        r = apply_parent_block(e, line);
                        if (r <= 0)
                                return r;
                        parents_done = true;
                        continue;
                }
                r = apply_token(e, line, t, e->dev);
                if (r <= 0)
                        return r;
        }
        if (line->goto_line >= 0)
                *goto_taken = true;
        return 0;
}

int udev_rules_apply_to_event(UdevRules *rules, UdevEvent *e) {
        DeviceAction action;
        bool is_remove, has_devnum, has_ifindex;
        int r;

        r = device_get_action(e->dev, &action);
        if (r < 0)
                return r;

        for (size_t f = 0; f < rules->n_files; f++) {
                const UdevRuleFile *file = rules->files[f];

                for (size_t i = 0; i < file->n_lines;) {
                        const UdevRuleLine *line = &file->lines[i];
                        bool goto_taken;

                        /* NAME/devnum/ifindex may change while rules run: look each time */
                        is_remove = action == DEVICE_ACTION_REMOVE;
                        has_devnum = device_get_devnum(e->dev, NULL) >= 0;
                        has_ifindex = device_get_ifindex(e->dev, NULL) >= 0;

                        r = apply_line(e, line, is_remove, has_devnum, has_ifindex, &goto_taken);
                        if (r < 0)
                                return r;
                        if (goto_taken)
                                i = (size_t) line->goto_line;
                        else
                                i++;
                }
        }
        return 0;
}

static int copy_all_tags(Device *d, Device *s) {
        const char *tag;

        if (!s)
                return 0;
        DEVICE_FOREACH_TAG(s, tag) {
                int r = device_add_tag(d, tag, false);

                if (r < 0)
                        return r;
        }
        return 0;
}

static int update_devnode(UdevEvent *e) {
        Device *dev = e->dev;
        int r;

        r = device_get_devnum(dev, NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to get devnum: %m");

        if (e->uid == UID_INVALID) {
                r = device_get_devnode_uid(dev, &e->uid);
                if (r < 0 && r != -ENOENT)
                        return log_device_error_errno(dev, r, "Failed to get devnode UID: %m");
        }
        if (e->gid == GID_INVALID) {
                r = device_get_devnode_gid(dev, &e->gid);
                if (r < 0 && r != -ENOENT)
                        return log_device_error_errno(dev, r, "Failed to get devnode GID: %m");
        }
        if (e->mode == UDEV_RULES_MODE_INVALID) {
                r = device_get_devnode_mode(dev, &e->mode);
                if (r < 0 && r != -ENOENT)
                        return log_device_error_errno(dev, r, "Failed to get devnode mode: %m");
        }

        r = udev_node_apply_permissions(dev, device_for_action(dev, DEVICE_ACTION_ADD), e->mode, e->uid, e->gid,
                                        e->seclabels);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to apply devnode permissions: %m");

        return udev_node_update(dev, e->dev_db_clone);
}

static int execute_rules_on_remove(UdevEvent *e, UdevRules *rules) {
        Device *dev = e->dev;
        int r;

        r = device_db_read(dev, true);
        if (r < 0)
                log_device_debug_errno(dev, r, "Failed to read database under /run/udev/data/: %m");
        r = device_db_tag_index(dev, NULL, false);
        if (r < 0)
                log_device_debug_errno(dev, r, "Failed to remove corresponding tag files under /run/udev/tag/, ignoring: %m");
        r = device_db_delete(dev);
        if (r < 0)
                log_device_debug_errno(dev, r, "Failed to delete database under /run/udev/data/, ignoring: %m");

        r = udev_rules_apply_to_event(rules, e);

        if (device_get_devnum(dev, NULL) >= 0)
                (void) udev_node_remove(dev);
        return r;
}

int udev_event_execute_rules(UdevEvent *e, UdevRules *rules) {
        Device *dev = e->dev;
        DeviceAction action;
        int r;

        r = device_get_action(dev, &action);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to get ACTION: %m");
        if (action == DEVICE_ACTION_REMOVE)
                return execute_rules_on_remove(e, rules);

        r = device_clone_with_db(dev, &e->dev_db_clone);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to clone device object: %m");
        r = copy_all_tags(dev, e->dev_db_clone);
        if (r < 0)
                log_device_warning_errno(dev, r, "Failed to copy all tags from old database entry, ignoring: %m");
        if (action == DEVICE_ACTION_MOVE) {
                r = device_add_property(dev, "ID_RENAMING", NULL);
                if (r < 0)
                        return log_device_debug_errno(dev, r, "Failed to remove 'ID_RENAMING' property: %m");
        }

        r = udev_rules_apply_to_event(rules, e);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to apply udev rules: %m");

        /* Network interface renaming (NAME=) is the daemon's business (udev-netif.h). */
        if (e->after_rules) {
                r = e->after_rules(e);
                if (r < 0)
                        return r;
        }

        r = update_devnode(e);
        if (r < 0)
                return r;

        r = device_ensure_usec_initialized(dev, e->dev_db_clone);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to set initialization timestamp: %m");
        r = device_db_tag_index(dev, e->dev_db_clone, true);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to update tags under /run/udev/tag/: %m");
        /* no record when the event started (the clone read none), and events of one device never
         * run at the same time: nothing to remove if none is written */
        device_db_set_file_absent(dev, !device_db_was_read(e->dev_db_clone));
        r = device_db_write(dev);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to update database under /run/udev/data/: %m");
        device_set_is_initialized(dev);
        return 0;
}
