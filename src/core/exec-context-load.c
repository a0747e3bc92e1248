/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec-context-load.c: exec_context_from_unit() (see exec-context.h). Loading has kept every
 * execution setting either in u->exec (what loading itself needs) or as written in the settings
 * store; here each stored value is interpreted in order, as systemd's config_parse_*() handlers
 * do at load time, with systemd's wording for bad values (prefixed with the unit name, since the
 * store no longer knows file and line).
 */

#include <limits.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <syslog.h>
#include <unistd.h>

#include "env-util.h"
#include "escape.h"
#include "exec-caps.h"
#include "exec-context.h"
#include "exec-syscall-filter.h"
#include "log.h"
#include "manager.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"
#include "unit-printf.h"

typedef struct Loader {
        Unit *u;
        ExecContext *c;
        const char *key;
        int result; /* 0, or the first refusal (-ENOEXEC, -EOPNOTSUPP) */
} Loader;

#define WARN(l, r, fmt, ...) log_warning_errno((r), "%s: " fmt, (l)->u->id, ##__VA_ARGS__)

static void refuse(Loader *l, int r, const char *why) {
        log_error("%s: %s", l->u->id, why);
        if (l->result == 0)
                l->result = r;
}

/* Expands specifiers of value (full set); warns and returns NULL-with-0 when that fails. */
static int expand(Loader *l, const char *value, bool path, char **ret) {
        int r = (path ? unit_path_printf : unit_full_printf)(l->u, value, ret);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                *ret = NULL;
                WARN(l, r, "Failed to resolve unit specifiers in '%s', ignoring: %m", value);
        }
        return 0;
}

/* An absolute path value with specifiers; NULL (after a warning) when unusable. */
static int expand_path(Loader *l, const char *value, char **ret) {
        int r = expand(l, value, true, ret);

        if (r < 0 || !*ret)
                return r;
        if (!path_is_absolute(*ret) || !path_is_valid(*ret)) {
                WARN(l, 0, "%s= path is not absolute, ignoring: %s", l->key, *ret);
                *ret = mfree(*ret);
                return 0;
        }
        path_simplify(*ret);
        return 0;
}

/* ------------------------------------------------------------------------------------------ */

static bool user_group_name_is_valid(const char *s) {
        uid_t uid;

        if (isempty(s))
                return false;
        if (parse_uid(s, &uid) >= 0)
                return true;
        if (s[0] == ' ' || endswith(s, " ") || !utf8_is_valid(s) || string_has_cc(s, NULL) ||
            strpbrk(s, ":/") || in_charset(s, "0123456789") ||
            (s[0] == '-' && in_charset(s + 1, "0123456789")) || streq(s, ".") || streq(s, ".."))
                return false;
        return true;
}

static int user_group_name(Loader *l, const char *value, char **ret) {
        int r = unit_full_printf(l->u, value, ret);

        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                log_error_errno(r, "%s: Failed to resolve unit specifiers in %s: %m", l->u->id, value);
                if (l->result == 0)
                        l->result = -ENOEXEC;
                return 0;
        }
        if (!user_group_name_is_valid(*ret)) {
                log_error("%s: Invalid user/group name or numeric ID: %s", l->u->id, *ret);
                *ret = mfree(*ret);
                if (l->result == 0)
                        l->result = -ENOEXEC;
        }
        return 0;
}

static int load_user_or_group(Loader *l, const char *value) {
        char **field = streq(l->key, "User") ? &l->c->user : &l->c->group;
        _cleanup_free_ char *k = NULL;
        int r = user_group_name(l, value, &k);

        if (r < 0 || !k)
                return r;
        if (field == &l->c->user && streq(k, "nobody"))
                log_notice("%s: Special user %s configured, this is not safe!", l->u->id, k);
        free_and_replace_str(field, TAKE_PTR(k));
        return 0;
}

static int load_supplementary_groups(Loader *l, const char *value) {
        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL, *k = NULL;
                int r = extract_first_word(&p, &word, NULL, 0);

                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        refuse(l, -ENOEXEC, "Invalid syntax in SupplementaryGroups=");
                        return 0;
                }
                if (r == 0)
                        return 0;
                r = user_group_name(l, word, &k);
                if (r < 0)
                        return r;
                if (k && strv_consume(&l->c->supplementary_groups, TAKE_PTR(k)) < 0)
                        return -ENOMEM;
        }
}

/* PassEnvironment= (names) and UnsetEnvironment= (names or assignments). */
static int load_env_names(Loader *l, const char *value) {
        bool unset = streq(l->key, "UnsetEnvironment");
        char ***list = unset ? &l->c->unset_environment : &l->c->pass_environment;

        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL, *k = NULL;
                int r = extract_first_word(&p, &word, NULL,
                                           unset ? EXTRACT_CUNESCAPE | EXTRACT_UNQUOTE : EXTRACT_UNQUOTE);

                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        WARN(l, r, "Trailing garbage in %s, ignoring: %s", l->key, value);
                        return 0;
                }
                if (r == 0)
                        return 0;
                r = expand(l, word, false, &k);
                if (r < 0)
                        return r;
                if (!k)
                        continue;
                if (unset ? !env_name_is_valid(k) && !env_assignment_is_valid(k) : !env_name_is_valid(k)) {
                        if (unset)
                                WARN(l, 0, "Invalid environment name or assignment %s, ignoring: %s", l->key, k);
                        else
                                WARN(l, 0, "Invalid environment name for %s, ignoring: %s", l->key, k);
                        continue;
                }
                if (strv_extend_uniq(list, k) < 0)
                        return -ENOMEM;
        }
}

static int load_exec_search_path(Loader *l, const char *value) {
        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL, *k = NULL;
                int r = extract_first_word(&p, &word, ":", EXTRACT_DONT_COALESCE_SEPARATORS);

                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        WARN(l, r, "Invalid syntax, ignoring: %s", value);
                        return 0;
                }
                if (r == 0)
                        return 0;
                r = expand_path(l, word, &k);
                if (r < 0)
                        return r;
                if (k && strv_consume(&l->c->exec_search_path, TAKE_PTR(k)) < 0)
                        return -ENOMEM;
        }
}

static int load_mode(Loader *l, const char *value) {
        static const char *const keys[_EXEC_DIRECTORY_TYPE_MAX] = {
                "RuntimeDirectoryMode", "StateDirectoryMode", "CacheDirectoryMode", "LogsDirectoryMode",
                "ConfigurationDirectoryMode",
        };
        mode_t *m = &l->c->umask;

        for (size_t t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                if (streq(l->key, keys[t]))
                        m = &l->c->directory_modes[t];
        if (parse_mode(value, m) < 0)
                WARN(l, -EINVAL, "Failed to parse mode value, ignoring: %s", value);
        return 0;
}

static int load_nice(Loader *l, const char *value) {
        int r = parse_nice(value, &l->c->nice);

        if (r == -ERANGE)
                WARN(l, r, "Nice priority out of range, ignoring: %s", value);
        else if (r < 0)
                WARN(l, r, "Failed to parse nice priority '%s', ignoring: %m", value);
        else
                l->c->nice_set = true;
        return 0;
}

static int load_oom_score_adjust(Loader *l, const char *value) {
        int r = parse_oom_score_adjust(value, &l->c->oom_score_adjust);

        if (r == -ERANGE)
                WARN(l, r, "OOM score adjust value out of range, ignoring: %s", value);
        else if (r < 0)
                WARN(l, r, "Failed to parse the OOM score adjust value '%s', ignoring: %m", value);
        else
                l->c->oom_score_adjust_set = true;
        return 0;
}

static int load_io_class(Loader *l, const char *value) {
        int x = exec_ioprio_class_from_string(value);

        if (x < 0) {
                WARN(l, x, "Failed to parse IO scheduling class, ignoring: %s", value);
                return 0;
        }
        l->c->ioprio = exec_ioprio_normalize(EXEC_IOPRIO_VALUE(x, EXEC_IOPRIO_DATA(l->c->ioprio)));
        l->c->ioprio_set = true;
        return 0;
}

static int load_io_priority(Loader *l, const char *value) {
        int i;

        if (safe_atoi(value, &i) < 0 || i < 0 || i > 7) {
                WARN(l, -EINVAL, "Failed to parse IO priority, ignoring: %s", value);
                return 0;
        }
        l->c->ioprio = exec_ioprio_normalize(EXEC_IOPRIO_VALUE(EXEC_IOPRIO_CLASS(l->c->ioprio), i));
        l->c->ioprio_set = true;
        return 0;
}

static int load_sched_policy(Loader *l, const char *value) {
        int x = exec_sched_policy_from_string(value);

        if (x < 0) {
                WARN(l, x, "Failed to parse CPU scheduling policy, ignoring: %s", value);
                return 0;
        }
        l->c->cpu_sched_policy = x;
        l->c->cpu_sched_priority = CLAMP(l->c->cpu_sched_priority, sched_get_priority_min(x),
                                         sched_get_priority_max(x));
        l->c->cpu_sched_set = true;
        return 0;
}

static int load_sched_priority(Loader *l, const char *value) {
        int i;

        if (safe_atoi(value, &i) < 0) {
                WARN(l, -EINVAL, "Failed to parse CPU scheduling priority, ignoring: %s", value);
                return 0;
        }
        if (i < 0 || i > 99) {
                WARN(l, 0, "CPU scheduling priority is out of range, ignoring: %s", value);
                return 0;
        }
        l->c->cpu_sched_priority = i;
        l->c->cpu_sched_set = true;
        return 0;
}

static int load_cpu_affinity(Loader *l, const char *value) {
        _cleanup_free_ char *k = NULL;
        bool bad_range = false;
        int r;

        if (streq(value, "numa")) {
                WARN(l, 0, "CPUAffinity=numa is not supported yet, ignoring.");
                return 0;
        }
        r = expand(l, value, false, &k);
        if (r < 0 || !k)
                return r;
        r = exec_cpu_set_add_value(&l->c->cpu_affinity, k, &bad_range);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                WARN(l, r, "Failed to parse CPU affinity '%s'", k);
        else if (bad_range)
                WARN(l, 0, "Invalid range in CPU affinity '%s', ignoring it.", k);
        return 0;
}

static int load_rlimit(Loader *l, const char *value) {
        int resource = exec_rlimit_from_string(l->key);
        struct rlimit rl;
        int r = exec_rlimit_parse(resource, value, &rl);

        if (r == -EILSEQ)
                WARN(l, r, "Soft resource limit chosen higher than hard limit, ignoring: %s", value);
        else if (r < 0)
                WARN(l, r, "Failed to parse resource value, ignoring: %s", value);
        else
                return exec_context_set_rlimit(l->c, resource, &rl);
        return 0;
}

static int load_timer_slack(Loader *l, const char *value) {
        if (parse_nsec(value, &l->c->timer_slack_nsec) < 0)
                WARN(l, -EINVAL, "Failed to parse nsec value, ignoring: %s", value);
        return 0;
}

static int load_personality(Loader *l, const char *value) {
        int p;

        if (isempty(value)) {
                l->c->personality = EXEC_PERSONALITY_INVALID;
                return 0;
        }
        p = exec_personality_from_string(value);
        if (p < 0)
                WARN(l, 0, "Failed to parse personality, ignoring: %s", value);
        else
                l->c->personality = (unsigned long) p;
        return 0;
}

static int load_capabilities(Loader *l, const char *value) {
        bool bounding = streq(l->key, "CapabilityBoundingSet");
        uint64_t *set = bounding ? &l->c->capability_bounding_set : &l->c->capability_ambient_set;
        int r = exec_cap_set_apply_value(set, bounding ? EXEC_CAP_ALL : 0, value);

        if (r == -ENOMEM)
                return r;
        if (r < 0)
                WARN(l, r, "Failed to parse %s= specifier '%s', ignoring: %m", l->key, value);
        return 0;
}

static int load_secure_bits(Loader *l, const char *value) {
        int r = exec_secure_bits_from_string(value);

        if (r == -ENOMEM)
                return r;
        if (r < 0)
                WARN(l, r, "Failed to parse secure bits, ignoring: %s", value);
        else
                l->c->secure_bits = r;
        return 0;
}

static int load_keyring_mode(Loader *l, const char *value) {
        ExecKeyringMode m = exec_keyring_mode_from_string(value);

        if (m < 0)
                WARN(l, m, "Failed to parse keyring mode, ignoring: %s", value);
        else
                l->c->keyring_mode = m;
        return 0;
}

static int load_syslog_facility(Loader *l, const char *value) {
        static const char *const names[] = {
                "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
                "authpriv", "ftp", NULL, NULL, NULL, NULL, "local0", "local1", "local2", "local3",
                "local4", "local5", "local6", "local7",
        };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (names[i] && streq(value, names[i])) {
                        l->c->syslog_priority = (int) (i << 3) | LOG_PRI(l->c->syslog_priority);
                        return 0;
                }
        WARN(l, -EINVAL, "Failed to parse log facility, ignoring: %s", value);
        return 0;
}

static int load_syslog_level(Loader *l, const char *value) {
        int x = log_level_from_string(value);

        if (x < 0)
                WARN(l, x, "Failed to parse log level, ignoring: %s", value);
        else
                l->c->syslog_priority = (l->c->syslog_priority & LOG_FACMASK) | x;
        return 0;
}

static int load_string_printf(Loader *l, const char *value) {
        char **field = streq(l->key, "SyslogIdentifier") ? &l->c->syslog_identifier : &l->c->tty_path;
        _cleanup_free_ char *k = NULL;
        int r = field == &l->c->tty_path ? expand_path(l, value, &k) : expand(l, value, false, &k);

        if (r < 0 || !k)
                return r;
        free_and_replace_str(field, TAKE_PTR(k));
        return 0;
}

static int load_selinux_context(Loader *l, const char *value) {
        bool ignore = value[0] == '-';
        _cleanup_free_ char *k = NULL;
        int r = unit_full_printf(l->u, value + ignore, &k);

        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                log_full_errno(ignore ? LOG_WARNING : LOG_ERR, r,
                               "%s: Failed to resolve unit specifiers in '%s'%s: %m", l->u->id,
                               value + ignore, ignore ? ", ignoring" : "");
                if (!ignore && l->result == 0)
                        l->result = -ENOEXEC;
                return 0;
        }
        free_and_replace_str(&l->c->selinux_context, TAKE_PTR(k));
        l->c->selinux_context_ignore = ignore;
        return 0;
}

static int load_pam_name(Loader *l, const char *value) {
        (void) value;
        refuse(l, -EOPNOTSUPP, "PAMName= is not supported yet, refusing.");
        return 0;
}

/* --- the namespaces (systemd.exec(5) "Sandboxing") ------------------------------------------ */

/* ProtectSystem=, ProtectHome= (a boolean or a name), ProtectProc= (a name), ProcSubset=. */
static int load_protect(Loader *l, const char *value) {
        int b = parse_boolean(value), v = -EINVAL, *field = NULL;

        if (streq(l->key, "ProtectSystem")) {
                field = &l->c->protect_system;
                v = b >= 0 ? (b ? EXEC_PROTECT_SYSTEM_YES : EXEC_PROTECT_SYSTEM_NO) : (int) exec_protect_system_from_string(value);
        } else if (streq(l->key, "ProtectHome")) {
                field = &l->c->protect_home;
                v = b >= 0 ? (b ? EXEC_PROTECT_HOME_YES : EXEC_PROTECT_HOME_NO) : (int) exec_protect_home_from_string(value);
        } else if (streq(l->key, "ProtectProc")) {
                field = &l->c->protect_proc;
                v = exec_protect_proc_from_string(value);
        } else if (STR_IN_SET(value, "all", "pid")) {
                l->c->proc_subset_pid = streq(value, "pid");
                return 0;
        }
        if (v < 0 || !field)
                WARN(l, -EINVAL, "Failed to parse %s= value, ignoring: %s", l->key, value);
        else
                *field = v;
        return 0;
}

static int load_mount_flags(Loader *l, const char *value) {
        if (streq(value, "shared"))
                l->c->mount_propagation = MS_SHARED;
        else if (streq(value, "slave"))
                l->c->mount_propagation = MS_SLAVE;
        else if (streq(value, "private"))
                l->c->mount_propagation = MS_PRIVATE;
        else
                WARN(l, -EINVAL, "Failed to parse mount flag %s, ignoring.", value);
        return 0;
}

/* The next word of a list value; 1 with *ret, 0 at the end or after a syntax error (warned, the
 * rest of the value ignored), -ENOMEM. */
static int next_word(Loader *l, const char **p, const char *value, ExtractFlags flags, char **ret) {
        int r = extract_first_word(p, ret, NULL, flags);

        if (r == -ENOMEM || r >= 0)
                return r;
        WARN(l, r, "Invalid syntax, ignoring: %s", value);
        return 0;
}

/* SystemCallFilter=, as systemd 252 merges its assignments: the first non-empty one makes an
 * allow-list (which gets @default) or, with "~", a deny-list; later words of the other kind take
 * names out again; "name:ERRNO" (deny-lists only) sets that call's errno; "" resets. */
static int load_syscall_filter(Loader *l, const char *value) {
        bool invert = value[0] == '~';
        const char *p = value + invert;
        int r;

        if (isempty(value)) {
                l->c->syscall_filter = strv_free(l->c->syscall_filter);
                l->c->syscall_allow_list = false;
                return 0;
        }
        if (!l->c->syscall_filter) {
                l->c->syscall_allow_list = !invert;
                if (!invert && (r = exec_syscall_filter_update(l->c, "@default", 0, true)) < 0)
                        return r;
        }
        for (;;) {
                _cleanup_free_ char *word = NULL;
                char *colon;
                int error = 0;

                r = next_word(l, &p, value, 0, &word);
                if (r <= 0)
                        break;
                colon = strrchr(word, ':');
                if (colon) {
                        *colon = 0;
                        error = parse_errno(colon + 1);
                        if (error <= 0) {
                                WARN(l, 0, "Failed to parse errno %s, ignoring: %s", colon + 1, word);
                                continue;
                        }
                        if (!invert) {
                                WARN(l, 0, "Allow-listed system calls cannot take error number, ignoring: %s:%s",
                                     word, colon + 1);
                                continue;
                        }
                }
                /* a word adds when it is of the list's own kind, and takes out otherwise */
                r = exec_syscall_filter_update(l->c, word, error, invert != l->c->syscall_allow_list);
                if (r == -ENOMEM)
                        break;
                if (r == -ENOENT)
                        WARN(l, 0, "Unknown system call group, ignoring: %s", word);
                else if (r < 0)
                        WARN(l, 0, "Failed to parse system call, ignoring: %s", word);
        }
        strv_sort(l->c->syscall_filter);
        return r == -ENOMEM ? r : 0;
}

static int load_syscall_archs(Loader *l, const char *value) {
        const char *p = value;
        int r;

        if (isempty(value)) {
                l->c->syscall_archs = strv_free(l->c->syscall_archs);
                return 0;
        }
        for (;;) {
                _cleanup_free_ char *word = NULL;

                r = next_word(l, &p, value, 0, &word);
                if (r <= 0)
                        break;
                if (exec_syscall_arch_from_string(word) == UINT32_MAX)
                        WARN(l, 0, "Failed to parse system call architecture \"%s\", ignoring", word);
                else if ((r = strv_extend_uniq(&l->c->syscall_archs, word)) < 0)
                        break;
        }
        strv_sort(l->c->syscall_archs);
        return r;
}

/* SystemCallErrorNumber=: "kill", an errno name or number; "" is "kill" */
static int load_syscall_errno(Loader *l, const char *value) {
        int e = isempty(value) || streq(value, "kill") ? EXEC_SYSCALL_ERRNO_KILL : parse_errno(value);

        if (e <= 0)
                WARN(l, e, "Failed to parse %s= value, ignoring: %s", l->key, value);
        else
                l->c->syscall_errno = e;
        return 0;
}

/* One word of a path list: the expanded absolute path behind its prefixes (may be NULL after a
 * warning). */
static int namespace_path(Loader *l, const char *word, bool *ret_ignore, bool *ret_plus, char **ret) {
        const char *w = word;

        *ret_ignore = *w == '-';
        w += *ret_ignore;
        *ret_plus = *w == '+';
        w += *ret_plus;
        return expand_path(l, w, ret);
}

/* ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths= and their old *Directories= names. */
static int load_namespace_paths(Loader *l, const char *value) {
        char ***list = startswith(l->key, "ReadWrite") ? &l->c->read_write_paths
                       : startswith(l->key, "ReadOnly") ? &l->c->read_only_paths
                                                         : &l->c->inaccessible_paths;

        if (isempty(value)) {
                *list = strv_free(*list);
                return 0;
        }
        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL, *k = NULL;
                bool ignore, plus;
                char *e;
                int r = next_word(l, &p, value, EXTRACT_UNQUOTE, &word);

                if (r <= 0)
                        return r;
                r = namespace_path(l, word, &ignore, &plus, &k);
                if (r < 0)
                        return r;
                if (!k)
                        continue;
                e = strjoin(ignore ? "-" : "", plus ? "+" : "", k);
                if (!e || strv_consume(list, e) < 0)
                        return -ENOMEM;
        }
}

/* Splits a BindPaths= word at its unescaped colons ("\:" is a colon of a path) into at most
 * three parts. Returns the number of parts or -EINVAL for a fourth. */
static int split_colons(const char *word, char *parts[3]) {
        int n = 0;
        char *o = NULL;

        for (const char *q = word;; q++) {
                if (!o) {
                        if (n == 3)
                                return -EINVAL;
                        o = parts[n++] = malloc(strlen(word) + 1);
                        if (!o)
                                return -ENOMEM;
                }
                if (*q == '\\' && q[1] == ':') {
                        *o++ = *++q;
                        continue;
                }
                if (*q == ':' || *q == 0) {
                        *o = 0;
                        o = NULL;
                        if (*q == 0)
                                return n;
                        continue;
                }
                *o++ = *q;
        }
}

/* BindPaths=, BindReadOnlyPaths=: "[-]SOURCE[:DESTINATION[:OPTIONS]]" words, into one list for
 * both. An empty value clears what the same key set before it (the settings store keeps no order
 * between two keys; systemd's empty value of either clears both). */
static int load_bind_paths(Loader *l, const char *value) {
        bool ro = streq(l->key, "BindReadOnlyPaths");

        if (isempty(value)) {
                l->c->bind_mounts = strv_free(l->c->bind_mounts);
                return 0;
        }
        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL, *src = NULL, *dst = NULL;
                char *parts[3] = {}, flags[4] = "...";
                bool ignore, plus, recursive = true;
                int n, r = next_word(l, &p, value, EXTRACT_UNQUOTE | EXTRACT_RETAIN_ESCAPE, &word);

                if (r <= 0)
                        return r;
                n = split_colons(word, parts);
                if (n == -ENOMEM)
                        return n;
                if (n < 0 || (n == 3 && !streq(parts[2], "rbind") && !streq(parts[2], "norbind"))) {
                        WARN(l, 0, "Invalid %s= entry, ignoring: %s", l->key, word);
                        for (int i = 0; i < 3; i++)
                                free(parts[i]);
                        continue;
                }
                recursive = n < 3 || streq(parts[2], "rbind");
                r = namespace_path(l, parts[0], &ignore, &plus, &src);
                if (r >= 0 && n >= 2 && !isempty(parts[1]))
                        r = expand_path(l, parts[1], &dst);
                else if (r >= 0 && src && !(dst = strdup(src)))
                        r = -ENOMEM;
                for (int i = 0; i < 3; i++)
                        free(parts[i]);
                if (r < 0)
                        return r;
                if (!src || !dst)
                        continue;
                flags[0] = ignore ? '-' : '.';
                flags[1] = ro ? 'r' : '.';
                flags[2] = recursive ? 'R' : '.';
                if (strv_extend(&l->c->bind_mounts, flags) < 0 ||
                    strv_consume(&l->c->bind_mounts, TAKE_PTR(src)) < 0 ||
                    strv_consume(&l->c->bind_mounts, TAKE_PTR(dst)) < 0)
                        return -ENOMEM;
        }
}

/* TemporaryFileSystem=: "PATH[:OPTIONS]" words. */
static int load_temporary_filesystem(Loader *l, const char *value) {
        if (isempty(value)) {
                l->c->temporary_filesystems = strv_free(l->c->temporary_filesystems);
                return 0;
        }
        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL, *k = NULL;
                char *colon;
                int r = next_word(l, &p, value, EXTRACT_UNQUOTE, &word);

                if (r <= 0)
                        return r;
                colon = strchr(word, ':');
                if (colon)
                        *colon++ = 0;
                r = expand_path(l, word, &k);
                if (r < 0)
                        return r;
                if (!k)
                        continue;
                if (strv_consume(&l->c->temporary_filesystems, TAKE_PTR(k)) < 0 ||
                    strv_extend(&l->c->temporary_filesystems, colon ? colon : "") < 0)
                        return -ENOMEM;
        }
}

/* Booleans: the field by offset. */
static int load_bool(Loader *l, const char *value, size_t offset) {
        int r = parse_boolean(value);

        if (r < 0)
                WARN(l, r, "Failed to parse boolean value, ignoring: %s", value);
        else
                *(bool *) ((uint8_t *) l->c + offset) = r;
        return 0;
}

/* ------------------------------------------------------------------------------------------ */

typedef int (*LoadValue)(Loader *l, const char *value);

static const struct {
        const char *key;
        LoadValue fn;      /* or NULL for a boolean at offset */
        size_t offset;
} value_keys[] = {
        { "User", load_user_or_group, 0 },
        { "Group", load_user_or_group, 0 },
        { "SupplementaryGroups", load_supplementary_groups, 0 },
        { "PassEnvironment", load_env_names, 0 },
        { "UnsetEnvironment", load_env_names, 0 },
        { "ExecSearchPath", load_exec_search_path, 0 },
        { "UMask", load_mode, 0 },
        { "RuntimeDirectoryMode", load_mode, 0 },
        { "StateDirectoryMode", load_mode, 0 },
        { "CacheDirectoryMode", load_mode, 0 },
        { "LogsDirectoryMode", load_mode, 0 },
        { "ConfigurationDirectoryMode", load_mode, 0 },
        { "Nice", load_nice, 0 },
        { "OOMScoreAdjust", load_oom_score_adjust, 0 },
        { "IOSchedulingClass", load_io_class, 0 },
        { "IOSchedulingPriority", load_io_priority, 0 },
        { "CPUSchedulingPolicy", load_sched_policy, 0 },
        { "CPUSchedulingPriority", load_sched_priority, 0 },
        { "CPUSchedulingResetOnFork", NULL, offsetof(ExecContext, cpu_sched_reset_on_fork) },
        { "CPUAffinity", load_cpu_affinity, 0 },
        { "TimerSlackNSec", load_timer_slack, 0 },
        { "Personality", load_personality, 0 },
        { "IgnoreSIGPIPE", NULL, offsetof(ExecContext, ignore_sigpipe) },
        { "NonBlocking", NULL, offsetof(ExecContext, non_blocking) },
        { "SameProcessGroup", NULL, offsetof(ExecContext, same_pgrp) },
        { "TTYPath", load_string_printf, 0 },
        { "TTYReset", NULL, offsetof(ExecContext, tty_reset) },
        { "TTYVHangup", NULL, offsetof(ExecContext, tty_vhangup) },
        { "SyslogIdentifier", load_string_printf, 0 },
        { "SyslogFacility", load_syslog_facility, 0 },
        { "SyslogLevel", load_syslog_level, 0 },
        { "SyslogLevelPrefix", NULL, offsetof(ExecContext, syslog_level_prefix) },
        { "NoNewPrivileges", NULL, offsetof(ExecContext, no_new_privileges) },
        { "CapabilityBoundingSet", load_capabilities, 0 },
        { "AmbientCapabilities", load_capabilities, 0 },
        { "SecureBits", load_secure_bits, 0 },
        { "KeyringMode", load_keyring_mode, 0 },
        { "SELinuxContext", load_selinux_context, 0 },
        { "PAMName", load_pam_name, 0 },
        { "ProtectSystem", load_protect, 0 },
        { "ProtectHome", load_protect, 0 },
        { "ReadWritePaths", load_namespace_paths, 0 },
        { "ReadOnlyPaths", load_namespace_paths, 0 },
        { "InaccessiblePaths", load_namespace_paths, 0 },
        { "ReadWriteDirectories", load_namespace_paths, 0 },
        { "ReadOnlyDirectories", load_namespace_paths, 0 },
        { "InaccessibleDirectories", load_namespace_paths, 0 },
        { "BindPaths", load_bind_paths, 0 },
        { "BindReadOnlyPaths", load_bind_paths, 0 },
        { "TemporaryFileSystem", load_temporary_filesystem, 0 },
        { "MountFlags", load_mount_flags, 0 },
        { "PrivateDevices", NULL, offsetof(ExecContext, private_devices) },
        { "PrivateMounts", NULL, offsetof(ExecContext, private_mounts) },
        { "ProtectKernelTunables", NULL, offsetof(ExecContext, protect_kernel_tunables) },
        { "ProtectKernelModules", NULL, offsetof(ExecContext, protect_kernel_modules) },
        { "ProtectKernelLogs", NULL, offsetof(ExecContext, protect_kernel_logs) },
        { "ProtectControlGroups", NULL, offsetof(ExecContext, protect_control_groups) },
        { "ProtectHostname", NULL, offsetof(ExecContext, protect_hostname) },
        { "MemoryDenyWriteExecute", NULL, offsetof(ExecContext, memory_deny_write_execute) },
        { "RestrictRealtime", NULL, offsetof(ExecContext, restrict_realtime) },
        { "RestrictSUIDSGID", NULL, offsetof(ExecContext, restrict_suid_sgid) },
        { "LockPersonality", NULL, offsetof(ExecContext, lock_personality) },
        { "MountAPIVFS", NULL, offsetof(ExecContext, mount_apivfs) },
        { "PrivateNetwork", NULL, offsetof(ExecContext, private_network) },
        { "ProtectProc", load_protect, 0 },
        { "ProcSubset", load_protect, 0 },
        { "SystemCallFilter", load_syscall_filter, 0 },
        { "SystemCallErrorNumber", load_syscall_errno, 0 },
        { "SystemCallArchitectures", load_syscall_archs, 0 },
};

/* Settings systemd 252 has that we do not apply yet: one warning each when a unit sets them. */
static const char *const unsupported_keys[] = {
        "RootImage", "RootImageOptions", "RootHash", "RootHashSignature", "RootVerity",
        "ExtensionDirectories", "ExtensionImages", "MountImages", "CoredumpFilter", "NUMAPolicy",
        "NUMAMask", "RemoveIPC", "TTYVTDisallocate", "TTYRows", "TTYColumns", "LogLevelMax",
        "LogRateLimitIntervalSec", "LogRateLimitBurst", "LogExtraFields", "SystemCallLog", "RestrictNamespaces",
        "RestrictAddressFamilies", "RestrictFileSystems",
        "ExecPaths", "NoExecPaths", "ProtectClock", "NetworkNamespacePath", "IPCNamespacePath",
        "PrivateUsers", "PrivateIPC", "SetCredential",
        "SetCredentialEncrypted", "LoadCredential", "LoadCredentialEncrypted", "UtmpIdentifier",
        "UtmpMode", "AppArmorProfile", "SmackProcessLabel", "RestrictNetworkInterfaces",
};

static char *section_key(const Unit *u, const char *key) {
        return strjoin(unit_type_to_capitalized_string(u->type), ".", key);
}

/* Called for every known key of every unit at load: "Section.Key" is built on the stack. */
static char **values_of(const Unit *u, const char *key) {
        const char *section = unit_type_to_capitalized_string(u->type);
        size_t a = section ? strlen(section) : 0, b = strlen(key);
        char buf[128];

        if (!u->settings || !section)
                return NULL;
        if (a + 1 + b >= sizeof buf) {
                _cleanup_free_ char *sk = section_key(u, key);
                return sk ? (char **) unit_setting_get(u, sk) : NULL;
        }
        memcpy(buf, section, a);
        buf[a] = '.';
        memcpy(buf + a + 1, key, b + 1);
        return (char **) unit_setting_get(u, buf);
}

const bool *exec_context_bool_field(const ExecContext *c, const char *key) {
        for (size_t i = 0; i < ELEMENTSOF(value_keys); i++)
                if (!value_keys[i].fn && streq(value_keys[i].key, key))
                        return (const bool *) ((const uint8_t *) c + value_keys[i].offset);
        return NULL;
}

/* Which of value_keys[] and the Limit*= keys the unit sets, and whether it sets a key of
 * unsupported_keys[]. A unit sets a few of these ~130 keys: its settings are scanned once
 * here instead of a hash lookup per known key. */
typedef struct PresentKeys {
        uint64_t values[2];     /* bit i: value_keys[i] */
        uint32_t limits;        /* bit r: Limit<resource>= */
        bool unsupported;
} PresentKeys;

_Static_assert(ELEMENTSOF(value_keys) <= 128, "one bit per value key");
_Static_assert(EXEC_RLIMIT_MAX <= 32, "one bit per resource");

static void present_keys(const Unit *u, PresentKeys *ret) {
        const char *section = unit_type_to_capitalized_string(u->type);
        const char *k;
        char **v;

        *ret = (PresentKeys) {};
        if (!section)
                return;
        HASHMAP_FOREACH_KEY(v, k, u->settings) {
                const char *p = startswith(k, section), *name, *res;
                size_t i;

                if (!p || *p != '.')
                        continue;
                name = p + 1;
                if ((res = startswith(name, "Limit"))) {
                        int r = exec_rlimit_from_string(res);

                        if (r >= 0) {
                                ret->limits |= UINT32_C(1) << r;
                                continue;
                        }
                }
                for (i = 0; i < ELEMENTSOF(value_keys); i++)
                        if (streq(name, value_keys[i].key)) {
                                ret->values[i / 64] |= UINT64_C(1) << (i % 64);
                                break;
                        }
                if (i < ELEMENTSOF(value_keys))
                        continue;
                for (i = 0; i < ELEMENTSOF(unsupported_keys) && !ret->unsupported; i++)
                        ret->unsupported = streq(name, unsupported_keys[i]);
        }
}

/* In the order of value_keys[], then the limits in resource order: as a lookup of every key. */
static int load_values(Loader *l, const PresentKeys *present) {
        for (size_t i = 0; i < ELEMENTSOF(value_keys); i++) {
                if (!(present->values[i / 64] & (UINT64_C(1) << (i % 64))))
                        continue;
                l->key = value_keys[i].key;
                STRV_FOREACH(v, values_of(l->u, l->key)) {
                        int r = value_keys[i].fn ? value_keys[i].fn(l, *v)
                                                 : load_bool(l, *v, value_keys[i].offset);
                        if (r < 0)
                                return r;
                }
        }
        for (int res = 0; res < EXEC_RLIMIT_MAX; res++) {
                char key[64];

                if (!(present->limits & (UINT32_C(1) << res)))
                        continue;
                (void) snprintf(key, sizeof key, "Limit%s", exec_rlimit_to_string(res));
                l->key = key;
                STRV_FOREACH(v, values_of(l->u, key))
                        (void) load_rlimit(l, *v);
        }
        return 0;
}

static void warn_unsupported(const Loader *l, const PresentKeys *present) {
        if (!present->unsupported)
                return;
        for (size_t i = 0; i < ELEMENTSOF(unsupported_keys); i++)
                if (values_of(l->u, unsupported_keys[i]))
                        log_warning("%s: %s= is not supported yet, ignoring.", l->u->id, unsupported_keys[i]);
}

/* --- standard input and output -------------------------------------------------------------- */

static bool fdname_is_valid(const char *s) {
        size_t n = 0;

        for (const char *p = s; *p; p++, n++)
                if ((unsigned char) *p < ' ' || (unsigned char) *p >= 127 || *p == ':')
                        return false;
        return n <= 255;
}

/* The path or fd name of the last valid StandardInput=/StandardOutput=/StandardError= value of
 * the kind loading settled on (u->exec); *ret NULL if there is none. */
static int stdio_argument(Loader *l, const char *key, const char *prefix, char **ret) {
        _cleanup_free_ char *found = NULL;

        l->key = key;
        STRV_FOREACH(v, values_of(l->u, key)) {
                const char *arg = startswith(*v, prefix);
                _cleanup_free_ char *k = NULL;
                int r;

                if (!arg)
                        continue;
                if (streq(prefix, "fd:")) {
                        r = expand(l, arg, false, &k);
                        if (r < 0)
                                return r;
                        if (k && !fdname_is_valid(k)) {
                                WARN(l, 0, "Invalid file descriptor name, ignoring: %s", k);
                                continue;
                        }
                        if (k && isempty(k))
                                k = mfree(k);
                } else {
                        r = expand_path(l, arg, &k);
                        if (r < 0)
                                return r;
                        if (!k)
                                continue;
                }
                free_and_replace_str(&found, TAKE_PTR(k));
        }
        *ret = TAKE_PTR(found);
        return 0;
}

static const char *output_prefix(ExecOutput o) {
        switch (o) {
        case EXEC_OUTPUT_NAMED_FD:
                return "fd:";
        case EXEC_OUTPUT_FILE:
                return "file:";
        case EXEC_OUTPUT_FILE_APPEND:
                return "append:";
        case EXEC_OUTPUT_FILE_TRUNCATE:
                return "truncate:";
        default:
                return NULL;
        }
}

static int load_stdio_arguments(Loader *l) {
        static const char *const keys[3] = { "StandardInput", "StandardOutput", "StandardError" };
        ExecContext *c = l->c;
        int r;

        for (int fd = 0; fd < 3; fd++) {
                const char *prefix = fd == 0 ? (c->std_input == EXEC_INPUT_NAMED_FD ? "fd:"
                                                : c->std_input == EXEC_INPUT_FILE ? "file:" : NULL)
                                             : output_prefix(fd == 1 ? c->std_output : c->std_error);
                char **slot;

                if (!prefix)
                        continue;
                slot = streq(prefix, "fd:") ? &c->stdio_fdname[fd] : &c->stdio_file[fd];
                r = stdio_argument(l, keys[fd], prefix, slot);
                if (r < 0)
                        return r;
                if (*slot || streq(prefix, "fd:"))
                        continue;
                /* The file was refused above (not absolute): systemd never took the value. */
                if (fd == 0)
                        c->std_input = EXEC_INPUT_NULL;
                else if (fd == 1)
                        c->std_output = l->u->manager->default_std_output;
                else
                        c->std_error = l->u->manager->default_std_error;
        }
        return 0;
}

static int base64_value(int c) {
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        return c == '+' ? 62 : c == '/' ? 63 : c == '=' ? 64 : -1;
}

/* Standard base64 in groups of four, whitespace ignored, padding only at the end and required. */
static int unbase64(const char *s, uint8_t **ret, size_t *ret_size) {
        _cleanup_free_ uint8_t *buf = malloc(strlen(s) / 4 * 3 + 3);
        size_t n = 0;
        int q[4], k = 0;
        bool done = false;

        if (!buf)
                return -ENOMEM;
        for (const char *p = s; *p; p++) {
                if (strchr(" \t\n\r", *p))
                        continue;
                if (done || (q[k] = base64_value((unsigned char) *p)) < 0)
                        return -EINVAL;
                if (++k < 4)
                        continue;
                k = 0;
                if (q[0] == 64 || q[1] == 64 || (q[2] == 64 && q[3] != 64))
                        return -EINVAL;
                buf[n++] = (uint8_t) (q[0] << 2 | q[1] >> 4);
                if (q[2] != 64)
                        buf[n++] = (uint8_t) ((q[1] & 15) << 4 | q[2] >> 2);
                if (q[3] != 64)
                        buf[n++] = (uint8_t) ((q[2] & 3) << 6 | q[3]);
                done = q[3] == 64;
        }
        if (k != 0 || n == 0)
                return -EINVAL;
        *ret = TAKE_PTR(buf);
        *ret_size = n;
        return 0;
}

static int stdin_data_append(Loader *l, const void *p, size_t n, bool newline) {
        ExecContext *c = l->c;
        size_t total = c->stdin_data_size + n + newline;
        uint8_t *d;

        if (total > EXEC_STDIN_DATA_MAX) {
                WARN(l, 0, "Standard input data too large (%zu), maximum of %zu permitted, ignoring.",
                     total - newline, (size_t) EXEC_STDIN_DATA_MAX);
                return 0;
        }
        d = realloc(c->stdin_data, MAX(total, 1U));
        if (!d)
                return -ENOMEM;
        memcpy(d + c->stdin_data_size, p, n);
        if (newline)
                d[total - 1] = '\n';
        c->stdin_data = d;
        c->stdin_data_size = total;
        return 0;
}

/* StandardInputText= lines first, then StandardInputData= (the store does not keep the order of
 * the two keys relative to each other). */
static int load_stdin_data(Loader *l) {
        l->key = "StandardInputText";
        STRV_FOREACH(v, values_of(l->u, l->key)) {
                _cleanup_free_ char *unescaped = NULL, *k = NULL;
                ssize_t n = cunescape(*v, strlen(*v), 0, &unescaped);
                int r;

                if (n < 0) {
                        WARN(l, (int) n, "Failed to decode C escaped text '%s', ignoring: %m", *v);
                        continue;
                }
                r = expand(l, unescaped, false, &k);
                if (r < 0)
                        return r;
                if (k && (r = stdin_data_append(l, k, strlen(k), true)) < 0)
                        return r;
        }
        l->key = "StandardInputData";
        STRV_FOREACH(v, values_of(l->u, l->key)) {
                _cleanup_free_ uint8_t *data = NULL;
                size_t n;
                int r = unbase64(*v, &data, &n);

                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        WARN(l, r, "Failed to decode base64 data, ignoring: %s", *v);
                        continue;
                }
                r = stdin_data_append(l, data, n, false);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* --- what loading already interpreted -------------------------------------------------------- */

static int copy_string(char **dst, const char *src) {
        return src ? free_and_strdup(dst, src) : 0;
}

static int load_from_exec_settings(Loader *l) {
        const ExecSettings *e = &l->u->exec;
        ExecContext *c = l->c;

        /* none stays NULL: an empty list per unit cost 64 bytes of heap for nothing */
        if ((e->environment && !(c->environment = strv_copy(e->environment))) ||
            (e->environment_files && !(c->environment_files = strv_copy(e->environment_files))))
                return -ENOMEM;
        if (copy_string(&c->working_directory, e->working_directory) < 0 ||
            copy_string(&c->root_directory, e->root_directory) < 0 ||
            copy_string(&c->log_namespace, e->log_namespace) < 0)
                return -ENOMEM;
        c->working_directory_missing_ok = e->working_directory_missing_ok;
        c->working_directory_home = e->working_directory_home;
        c->std_input = e->std_input;
        c->std_output = e->std_output;
        c->std_error = e->std_error;
        c->private_tmp = e->private_tmp;
        for (size_t t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                if (e->directories[t] && !(c->directories[t] = strv_copy(e->directories[t])))
                        return -ENOMEM;
        if (e->dynamic_user)
                refuse(l, -EOPNOTSUPP, "DynamicUser=yes is not supported yet, refusing.");
        return 0;
}

int exec_context_from_unit(Unit *u, ExecContext *ret) {
        _cleanup_(exec_context_done) ExecContext c;
        Loader l = { .u = u, .c = &c };
        PresentKeys present;
        int r;

        exec_context_init(&c);
        /* systemd's defaults per unit type: a system service gets its own session keyring,
         * sockets, mounts and swaps share the user keyring. */
        c.keyring_mode = u->type == UNIT_SERVICE ? EXEC_KEYRING_PRIVATE : EXEC_KEYRING_SHARED;

        present_keys(u, &present);
        r = load_from_exec_settings(&l);
        if (r >= 0)
                r = load_values(&l, &present);
        if (r >= 0)
                r = load_stdio_arguments(&l);
        if (r >= 0)
                r = load_stdin_data(&l);
        if (r < 0)
                return log_oom();
        if (c.std_input == EXEC_INPUT_DATA && c.stdin_data_size == 0)
                c.std_input = EXEC_INPUT_NULL;
        /* what some sandboxing settings imply for the bounding set, as systemd does at load
         * (CapabilityBoundingSet= shows it) */
        if (c.private_devices)
                c.capability_bounding_set &= ~(UINT64_C(1) << CAP_MKNOD | UINT64_C(1) << CAP_SYS_RAWIO);
        if (c.protect_kernel_modules)
                c.capability_bounding_set &= ~(UINT64_C(1) << CAP_SYS_MODULE);
        if (c.protect_kernel_logs)
                c.capability_bounding_set &= ~(UINT64_C(1) << CAP_SYSLOG);
        warn_unsupported(&l, &present);
        if (l.result < 0)
                return l.result;
        exec_context_default_rlimits(&c, u->manager->default_rlimits, u->manager->default_rlimits_set);
        *ret = c;
        exec_context_init(&c);
        return 0;
}
