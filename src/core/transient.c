/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transient.c: StartTransientUnit() properties → transient unit file text (transient.h). A
 * table says, per D-Bus property, its signature, which unit types take it, its section and how
 * its value is written; the names and spellings follow systemd 252's bus setters (…USec
 * properties become …Sec= settings, CPUQuotaPerSecUSec becomes CPUQuota=, StandardInputData
 * is written in base64, exec commands in exec syntax with '@' when argv[0] differs).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "bus/bus-message-args.h"
#include "fd-util.h"
#include "log.h"
#include "macro.h"
#include "manager.h"
#include "mkdir.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"
#include "transient.h"
#include "unit.h"

typedef enum TransientKind {
        KIND_STRING,     /* s → Name=value (specifiers escaped) */
        KIND_BOOL,       /* b → Name=yes|no */
        KIND_USEC,       /* t → NameSec=timespan (Name without "USec") */
        KIND_INT,        /* i */
        KIND_UINT,       /* u */
        KIND_UMASK,      /* u → %04o */
        KIND_LIMIT,      /* t → number or "infinity" */
        KIND_CPU_QUOTA,  /* t → CPUQuota=N% */
        KIND_DEPS,       /* as → one Name=unit line each */
        KIND_STRV_LINES, /* as → one Name=value line each (Documentation) */
        KIND_STRV_QUOTED,/* as → Name="a" "b" (C-escaped; Environment) */
        KIND_STRV_WORDS, /* as → Name=a b (PassEnvironment, UnsetEnvironment) */
        KIND_EXEC,       /* a(sasb) */
        KIND_DATA,       /* ay → base64 */
        KIND_ENV_FILES,  /* a(sb) → EnvironmentFile=[-]path */
        KIND_PIDS,       /* au, scopes */
        KIND_ADD_REF,    /* b, not a setting */
} TransientKind;

/* Which unit types take a property. */
#define T_ALL (~0u)
#define T_SERVICE (1u << UNIT_SERVICE)
#define T_SCOPE (1u << UNIT_SCOPE)
#define T_SLICE (1u << UNIT_SLICE)
#define T_KILL (T_SERVICE | T_SCOPE | (1u << UNIT_SOCKET) | (1u << UNIT_MOUNT) | (1u << UNIT_SWAP))
#define T_EXEC (T_SERVICE | (1u << UNIT_SOCKET) | (1u << UNIT_MOUNT) | (1u << UNIT_SWAP))
#define T_CGROUP (T_KILL | T_SLICE)

typedef struct TransientProperty {
        const char *name;
        const char *signature;
        TransientKind kind;
        unsigned types;
        bool private_section; /* the type's own section, else [Unit] */
        const char *key;      /* the setting's name when it differs from name (KIND_USEC derives it) */
} TransientProperty;

static const TransientProperty properties[] = {
        /* [Unit] (dbus-unit.c of 252) */
        { "Description", "s", KIND_STRING, T_ALL, false, NULL },
        { "Documentation", "as", KIND_STRV_LINES, T_ALL, false, NULL },
        { "SourcePath", "s", KIND_STRING, T_ALL, false, NULL },
        { "DefaultDependencies", "b", KIND_BOOL, T_ALL, false, NULL },
        { "RefuseManualStart", "b", KIND_BOOL, T_ALL, false, NULL },
        { "RefuseManualStop", "b", KIND_BOOL, T_ALL, false, NULL },
        { "AllowIsolate", "b", KIND_BOOL, T_ALL, false, NULL },
        { "IgnoreOnIsolate", "b", KIND_BOOL, T_ALL, false, NULL },
        { "StopWhenUnneeded", "b", KIND_BOOL, T_ALL, false, NULL },
        { "SurviveFinalKillSignal", "b", KIND_BOOL, T_ALL, false, NULL },
        { "CollectMode", "s", KIND_STRING, T_ALL, false, NULL },
        { "JobTimeoutUSec", "t", KIND_USEC, T_ALL, false, NULL },
        { "JobRunningTimeoutUSec", "t", KIND_USEC, T_ALL, false, NULL },
        { "JobTimeoutAction", "s", KIND_STRING, T_ALL, false, NULL },
        { "StartLimitIntervalUSec", "t", KIND_USEC, T_ALL, false, NULL },
        { "StartLimitBurst", "u", KIND_UINT, T_ALL, false, NULL },
        { "StartLimitAction", "s", KIND_STRING, T_ALL, false, NULL },
        { "SuccessAction", "s", KIND_STRING, T_ALL, false, NULL },
        { "FailureAction", "s", KIND_STRING, T_ALL, false, NULL },
        { "SuccessActionExitStatus", "i", KIND_INT, T_ALL, false, NULL },
        { "FailureActionExitStatus", "i", KIND_INT, T_ALL, false, NULL },
        { "Requires", "as", KIND_DEPS, T_ALL, false, NULL },
        { "Requisite", "as", KIND_DEPS, T_ALL, false, NULL },
        { "Wants", "as", KIND_DEPS, T_ALL, false, NULL },
        { "BindsTo", "as", KIND_DEPS, T_ALL, false, NULL },
        { "PartOf", "as", KIND_DEPS, T_ALL, false, NULL },
        { "Upholds", "as", KIND_DEPS, T_ALL, false, NULL },
        { "Conflicts", "as", KIND_DEPS, T_ALL, false, NULL },
        { "Before", "as", KIND_DEPS, T_ALL, false, NULL },
        { "After", "as", KIND_DEPS, T_ALL, false, NULL },
        { "OnSuccess", "as", KIND_DEPS, T_ALL, false, NULL },
        { "OnFailure", "as", KIND_DEPS, T_ALL, false, NULL },
        { "PropagatesReloadTo", "as", KIND_DEPS, T_ALL, false, NULL },
        { "ReloadPropagatedFrom", "as", KIND_DEPS, T_ALL, false, NULL },
        { "JoinsNamespaceOf", "as", KIND_DEPS, T_ALL, false, NULL },
        { "AddRef", "b", KIND_ADD_REF, T_ALL, false, NULL },
        /* the cgroup context (dbus-cgroup.c): Slice= lives in the private section in 252 */
        { "Slice", "s", KIND_STRING, T_CGROUP & ~T_SLICE, true, NULL },
        { "Delegate", "b", KIND_BOOL, T_CGROUP, true, NULL },
        { "CPUAccounting", "b", KIND_BOOL, T_CGROUP, true, NULL },
        { "MemoryAccounting", "b", KIND_BOOL, T_CGROUP, true, NULL },
        { "TasksAccounting", "b", KIND_BOOL, T_CGROUP, true, NULL },
        { "IOAccounting", "b", KIND_BOOL, T_CGROUP, true, NULL },
        { "IPAccounting", "b", KIND_BOOL, T_CGROUP, true, NULL },
        { "BlockIOAccounting", "b", KIND_BOOL, T_CGROUP, true, NULL },
        { "CPUWeight", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "StartupCPUWeight", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "IOWeight", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "CPUQuotaPerSecUSec", "t", KIND_CPU_QUOTA, T_CGROUP, true, "CPUQuota" },
        { "MemoryMin", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "MemoryLow", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "MemoryHigh", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "MemoryMax", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "MemorySwapMax", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "MemoryLimit", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        { "TasksMax", "t", KIND_LIMIT, T_CGROUP, true, NULL },
        /* the kill context (dbus-kill.c) */
        { "KillMode", "s", KIND_STRING, T_KILL, true, NULL },
        { "KillSignal", "i", KIND_INT, T_KILL, true, NULL },
        { "RestartKillSignal", "i", KIND_INT, T_KILL, true, NULL },
        { "FinalKillSignal", "i", KIND_INT, T_KILL, true, NULL },
        { "WatchdogSignal", "i", KIND_INT, T_KILL, true, NULL },
        { "SendSIGKILL", "b", KIND_BOOL, T_KILL, true, NULL },
        { "SendSIGHUP", "b", KIND_BOOL, T_KILL, true, NULL },
        /* scopes (dbus-scope.c) */
        { "PIDs", "au", KIND_PIDS, T_SCOPE, true, NULL },
        { "RuntimeMaxUSec", "t", KIND_USEC, T_SCOPE | T_SERVICE, true, NULL },
        { "RuntimeRandomizedExtraUSec", "t", KIND_USEC, T_SCOPE | T_SERVICE, true, NULL },
        { "TimeoutStopUSec", "t", KIND_USEC, T_SCOPE | T_SERVICE, true, NULL },
        /* services (dbus-service.c) */
        { "Type", "s", KIND_STRING, T_SERVICE, true, NULL },
        { "ExitType", "s", KIND_STRING, T_SERVICE, true, NULL },
        { "Restart", "s", KIND_STRING, T_SERVICE, true, NULL },
        { "RemainAfterExit", "b", KIND_BOOL, T_SERVICE, true, NULL },
        { "GuessMainPID", "b", KIND_BOOL, T_SERVICE, true, NULL },
        { "PIDFile", "s", KIND_STRING, T_SERVICE, true, NULL },
        { "BusName", "s", KIND_STRING, T_SERVICE, true, NULL },
        { "NotifyAccess", "s", KIND_STRING, T_SERVICE, true, NULL },
        { "RestartUSec", "t", KIND_USEC, T_SERVICE, true, NULL },
        { "TimeoutStartUSec", "t", KIND_USEC, T_SERVICE, true, NULL },
        { "TimeoutAbortUSec", "t", KIND_USEC, T_SERVICE, true, NULL },
        { "WatchdogUSec", "t", KIND_USEC, T_SERVICE, true, NULL },
        { "FileDescriptorStoreMax", "u", KIND_UINT, T_SERVICE, true, NULL },
        { "ExecCondition", "a(sasb)", KIND_EXEC, T_SERVICE, true, NULL },
        { "ExecStartPre", "a(sasb)", KIND_EXEC, T_SERVICE, true, NULL },
        { "ExecStart", "a(sasb)", KIND_EXEC, T_SERVICE, true, NULL },
        { "ExecStartPost", "a(sasb)", KIND_EXEC, T_SERVICE, true, NULL },
        { "ExecReload", "a(sasb)", KIND_EXEC, T_SERVICE, true, NULL },
        { "ExecStop", "a(sasb)", KIND_EXEC, T_SERVICE, true, NULL },
        { "ExecStopPost", "a(sasb)", KIND_EXEC, T_SERVICE, true, NULL },
        /* the exec context (dbus-execute.c) */
        { "User", "s", KIND_STRING, T_EXEC, true, NULL },
        { "Group", "s", KIND_STRING, T_EXEC, true, NULL },
        { "SupplementaryGroups", "as", KIND_STRV_WORDS, T_EXEC, true, NULL },
        { "WorkingDirectory", "s", KIND_STRING, T_EXEC, true, NULL },
        { "RootDirectory", "s", KIND_STRING, T_EXEC, true, NULL },
        { "Environment", "as", KIND_STRV_QUOTED, T_EXEC, true, NULL },
        { "EnvironmentFiles", "a(sb)", KIND_ENV_FILES, T_EXEC, true, "EnvironmentFile" },
        { "PassEnvironment", "as", KIND_STRV_WORDS, T_EXEC, true, NULL },
        { "UnsetEnvironment", "as", KIND_STRV_WORDS, T_EXEC, true, NULL },
        { "StandardInput", "s", KIND_STRING, T_EXEC, true, NULL },
        { "StandardOutput", "s", KIND_STRING, T_EXEC, true, NULL },
        { "StandardError", "s", KIND_STRING, T_EXEC, true, NULL },
        { "StandardInputData", "ay", KIND_DATA, T_EXEC, true, NULL },
        { "TTYPath", "s", KIND_STRING, T_EXEC, true, NULL },
        { "SyslogIdentifier", "s", KIND_STRING, T_EXEC, true, NULL },
        { "UMask", "u", KIND_UMASK, T_EXEC, true, NULL },
        { "Nice", "i", KIND_INT, T_EXEC, true, NULL },
        { "OOMScoreAdjust", "i", KIND_INT, T_EXEC, true, NULL },
        { "PrivateTmp", "b", KIND_BOOL, T_EXEC, true, NULL },
        { "NoNewPrivileges", "b", KIND_BOOL, T_EXEC, true, NULL },
        { "DynamicUser", "b", KIND_BOOL, T_EXEC, true, NULL },
        { "RuntimeDirectory", "as", KIND_STRV_WORDS, T_EXEC, true, NULL },
        { "StateDirectory", "as", KIND_STRV_WORDS, T_EXEC, true, NULL },
};

const char *transient_private_section(UnitType type) {
        switch (type) {
        case UNIT_SERVICE:
                return "Service";
        case UNIT_SCOPE:
                return "Scope";
        case UNIT_SLICE:
                return "Slice";
        case UNIT_SOCKET:
                return "Socket";
        case UNIT_MOUNT:
                return "Mount";
        case UNIT_SWAP:
                return "Swap";
        case UNIT_TIMER:
                return "Timer";
        case UNIT_PATH:
                return "Path";
        case UNIT_AUTOMOUNT:
                return "Automount";
        default:
                return NULL;
        }
}

void transient_properties_done(TransientProperties *t) {
        t->text = mfree(t->text);
        t->pids = mfree(t->pids);
        t->n_pids = 0;
}

/* Appends one line under section (a header when the section changes, as unit_write_setting()
 * of 252 does). */
_printf_(4, 5) static int add_line(TransientProperties *t, UnitType type, bool private_section,
                                   const char *format, ...) {
        _cleanup_free_ char *line = NULL;
        const char *section = private_section ? transient_private_section(type) : "Unit";
        int want = private_section ? 1 : 0;
        va_list ap;
        int r;

        if (!section)
                return -EINVAL;
        va_start(ap, format);
        r = vasprintf(&line, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        if (t->last_section != want) {
                if (strextend(&t->text, t->last_section < 0 ? "" : "\n", "[", section, "]\n") < 0)
                        return -ENOMEM;
                t->last_section = want;
        }
        if (strextend(&t->text, line, "\n") < 0)
                return -ENOMEM;
        return 0;
}

/* % → %% (specifier escaping). */
static char *escape_specifiers(const char *s) {
        char *r = malloc(strlen(s) * 2 + 1), *q = r;

        if (!r)
                return NULL;
        for (; *s; s++) {
                if (*s == '%')
                        *q++ = '%';
                *q++ = *s;
        }
        *q = 0;
        return r;
}

/* A word of an exec line: specifiers escaped, then '\', '"', '\'', '$' and ';' backslashed,
 * wrapped in double quotes. */
static char *quote_exec_word(const char *s) {
        char *r = malloc(strlen(s) * 3 + 3), *q = r;

        if (!r)
                return NULL;
        *q++ = '"';
        for (; *s; s++) {
                if (*s == '%')
                        *q++ = '%';
                else if (strchr("\\\"'$;", *s))
                        *q++ = '\\';
                *q++ = *s;
        }
        *q++ = '"';
        *q = 0;
        return r;
}

/* A C-escaped, double-quoted word (Environment=). */
static char *quote_c_word(const char *s) {
        char *r = malloc(strlen(s) * 4 + 3), *q = r;

        if (!r)
                return NULL;
        *q++ = '"';
        for (; *s; s++) {
                unsigned char c = (unsigned char) *s;
                if (c == '%') {
                        *q++ = '%';
                        *q++ = '%';
                } else if (c == '\\' || c == '"') {
                        *q++ = '\\';
                        *q++ = (char) c;
                } else if (c == '\n') {
                        *q++ = '\\';
                        *q++ = 'n';
                } else if (c < ' ' || c == 127) {
                        q += sprintf(q, "\\x%02x", c);
                } else
                        *q++ = (char) c;
        }
        *q++ = '"';
        *q = 0;
        return r;
}

static char *base64_encode(const uint8_t *p, size_t n) {
        static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char *r = malloc((n + 2) / 3 * 4 + 1), *q = r;

        if (!r)
                return NULL;
        for (size_t i = 0; i < n; i += 3) {
                uint32_t v = (uint32_t) p[i] << 16 | (i + 1 < n ? (uint32_t) p[i + 1] << 8 : 0) |
                             (i + 2 < n ? p[i + 2] : 0);
                *q++ = table[v >> 18 & 63];
                *q++ = table[v >> 12 & 63];
                *q++ = i + 1 < n ? table[v >> 6 & 63] : '=';
                *q++ = i + 2 < n ? table[v & 63] : '=';
        }
        *q = 0;
        return r;
}

static int invalid(BusError *error, const char *format, ...) _printf_(2, 3);
static int invalid(BusError *error, const char *format, ...) {
        char buf[512];
        va_list ap;

        va_start(ap, format);
        vsnprintf(buf, sizeof buf, format, ap);
        va_end(ap);
        bus_error_set(error, BUS_ERROR_INVALID_ARGS, buf);
        return -EINVAL;
}

static int read_exec(TransientProperties *t, UnitType type, const TransientProperty *p, BusMessage *m,
                     BusError *error) {
        _cleanup_free_ char *lines = NULL;
        int r;

        r = bus_message_enter_container(m, 'a', "(sasb)");
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        if (strextend(&lines, p->name, "=") < 0) /* 252 resets the list first */
                return -ENOMEM;
        while ((r = bus_message_enter_container(m, '(', "sasb")) > 0) {
                _cleanup_strv_free_ char **argv = NULL;
                _cleanup_free_ char *words = NULL;
                const char *path;
                int ignore;

                r = bus_message_read(m, "s", &path);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                if (!path_is_absolute(path) && (isempty(path) || strchr(path, '/')))
                        return invalid(error, "\"%s\" is neither a valid executable name nor an absolute path",
                                       path);
                r = bus_message_read_strv(m, &argv);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                if (strv_isempty(argv))
                        return invalid(error, "\"%s\" argv cannot be empty", p->name);
                r = bus_message_read(m, "b", &ignore);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                r = bus_message_exit_container(m);
                if (r < 0)
                        return r;
                STRV_FOREACH(a, argv) {
                        _cleanup_free_ char *w = quote_exec_word(*a);
                        if (!w || strextend(&words, words ? " " : "", w) < 0)
                                return -ENOMEM;
                }
                if (streq(path, argv[0])) {
                        if (strextend(&lines, "\n", p->name, "=", ignore ? "-" : "", words) < 0)
                                return -ENOMEM;
                } else {
                        _cleanup_free_ char *qp = quote_exec_word(path);
                        /* the path unquoted after '@', as 252's unit_escape_setting() */
                        if (!qp)
                                return -ENOMEM;
                        qp[strlen(qp) - 1] = 0;
                        if (strextend(&lines, "\n", p->name, "=", ignore ? "-" : "", "@", qp + 1, " ", words) < 0)
                                return -ENOMEM;
                }
        }
        if (r < 0)
                return r;
        r = bus_message_exit_container(m);
        if (r < 0)
                return r;
        return add_line(t, type, p->private_section, "%s", lines);
}

static int read_strv(BusMessage *m, char ***ret) {
        int r = bus_message_read_strv(m, ret);
        return r < 0 ? r : r == 0 ? -EBADMSG : 0;
}

static int read_value(TransientProperties *t, UnitType type, const TransientProperty *p, BusMessage *m,
                      BusError *error) {
        const char *key = p->key ?: p->name;
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *s = NULL;
        uint64_t u64;
        uint32_t u32;
        int32_t i32;
        int b, r = 0;
        const char *str;

        switch (p->kind) {
        case KIND_STRING:
                r = bus_message_read(m, "s", &str);
                if (r <= 0)
                        break;
                if (streq(p->name, "Slice") && !isempty(str) && !endswith(str, ".slice"))
                        return invalid(error, "Unit name '%s' is not a slice", str);
                if (strchr(str, '\n'))
                        return invalid(error, "Invalid value for %s: contains a newline", p->name);
                s = escape_specifiers(str);
                if (!s)
                        return -ENOMEM;
                return add_line(t, type, p->private_section, "%s=%s", key, s);
        case KIND_BOOL:
                r = bus_message_read(m, "b", &b);
                if (r <= 0)
                        break;
                return add_line(t, type, p->private_section, "%s=%s", key, b ? "yes" : "no");
        case KIND_ADD_REF:
                r = bus_message_read(m, "b", &b);
                if (r <= 0)
                        break;
                t->add_ref = b;
                return 0;
        case KIND_USEC: {
                char buf[FORMAT_TIMESPAN_MAX];
                size_t n = strlen(p->name) - STRLEN("USec");

                r = bus_message_read(m, "t", &u64);
                if (r <= 0)
                        break;
                /* 252 formats with millisecond accuracy; values below that stay exact */
                format_timespan(buf, sizeof buf, u64, u64 % USEC_PER_MSEC == 0 ? USEC_PER_MSEC : 1);
                return add_line(t, type, p->private_section, "%.*sSec=%s", (int) n, p->name, buf);
        }
        case KIND_INT:
                r = bus_message_read(m, "i", &i32);
                if (r <= 0)
                        break;
                return add_line(t, type, p->private_section, "%s=%" PRIi32, key, i32);
        case KIND_UINT:
                r = bus_message_read(m, "u", &u32);
                if (r <= 0)
                        break;
                return add_line(t, type, p->private_section, "%s=%" PRIu32, key, u32);
        case KIND_UMASK:
                r = bus_message_read(m, "u", &u32);
                if (r <= 0)
                        break;
                return add_line(t, type, p->private_section, "%s=%04" PRIo32, key, u32);
        case KIND_LIMIT:
                r = bus_message_read(m, "t", &u64);
                if (r <= 0)
                        break;
                if (u64 == UINT64_MAX)
                        return add_line(t, type, p->private_section, "%s=infinity", key);
                return add_line(t, type, p->private_section, "%s=%" PRIu64, key, u64);
        case KIND_CPU_QUOTA:
                r = bus_message_read(m, "t", &u64);
                if (r <= 0)
                        break;
                if (u64 == 0)
                        return invalid(error, "%s= value out of range", p->name);
                if (u64 == UINT64_MAX)
                        return add_line(t, type, p->private_section, "%s=", key);
                return add_line(t, type, p->private_section, "%s=%" PRIu64 ".%02" PRIu64 "%%", key,
                                u64 / 10000, (u64 % 10000) / 100);
        case KIND_DEPS:
        case KIND_STRV_LINES:
                r = read_strv(m, &l);
                if (r < 0)
                        return r;
                if (strv_isempty(l))
                        return add_line(t, type, p->private_section, "%s=", key);
                STRV_FOREACH(i, l) {
                        _cleanup_free_ char *e = NULL;
                        if (p->kind == KIND_DEPS && !unit_name_is_valid(*i, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE))
                                return invalid(error, "Invalid unit name %s", *i);
                        e = escape_specifiers(*i);
                        if (!e)
                                return -ENOMEM;
                        r = add_line(t, type, p->private_section, "%s=%s", key, e);
                        if (r < 0)
                                return r;
                }
                return 0;
        case KIND_STRV_QUOTED:
        case KIND_STRV_WORDS:
                r = read_strv(m, &l);
                if (r < 0)
                        return r;
                STRV_FOREACH(i, l) {
                        _cleanup_free_ char *w = NULL;
                        if (p->kind == KIND_STRV_QUOTED && !strchr(*i, '='))
                                return invalid(error, "Invalid environment block.");
                        w = p->kind == KIND_STRV_QUOTED ? quote_c_word(*i) : escape_specifiers(*i);
                        if (!w || strextend(&s, s ? " " : "", w) < 0)
                                return -ENOMEM;
                }
                return add_line(t, type, p->private_section, "%s=%s", key, strempty(s));
        case KIND_EXEC:
                return read_exec(t, type, p, m, error);
        case KIND_DATA: {
                _cleanup_free_ uint8_t *data = NULL;
                size_t n = 0, allocated = 0;
                uint8_t y;

                r = bus_message_enter_container(m, 'a', "y");
                if (r <= 0)
                        break;
                while ((r = bus_message_read_basic(m, 'y', &y)) > 0) {
                        if (!GREEDY_REALLOC(data, allocated, n + 1))
                                return -ENOMEM;
                        data[n++] = y;
                }
                if (r < 0)
                        return r;
                r = bus_message_exit_container(m);
                if (r < 0)
                        return r;
                if (n == 0)
                        return add_line(t, type, p->private_section, "%s=", key);
                s = base64_encode(data, n);
                if (!s)
                        return -ENOMEM;
                return add_line(t, type, p->private_section, "%s=%s", key, s);
        }
        case KIND_ENV_FILES:
                r = bus_message_enter_container(m, 'a', "(sb)");
                if (r <= 0)
                        break;
                while ((r = bus_message_enter_container(m, '(', "sb")) > 0) {
                        _cleanup_free_ char *e = NULL;
                        r = bus_message_read(m, "sb", &str, &b);
                        if (r <= 0)
                                return r < 0 ? r : -EBADMSG;
                        if (!path_is_absolute(str))
                                return invalid(error, "Path %s is not absolute.", str);
                        r = bus_message_exit_container(m);
                        if (r < 0)
                                return r;
                        e = escape_specifiers(str);
                        if (!e)
                                return -ENOMEM;
                        r = add_line(t, type, p->private_section, "%s=%s%s", key, b ? "-" : "", e);
                        if (r < 0)
                                return r;
                }
                if (r < 0)
                        return r;
                return bus_message_exit_container(m);
        case KIND_PIDS:
                r = bus_message_enter_container(m, 'a', "u");
                if (r <= 0)
                        break;
                while ((r = bus_message_read_basic(m, 'u', &u32)) > 0) {
                        pid_t *n;
                        if ((int32_t) u32 <= 0)
                                return invalid(error, "PID %" PRIu32 " is not valid.", u32);
                        n = reallocarray(t->pids, t->n_pids + 1, sizeof(pid_t));
                        if (!n)
                                return -ENOMEM;
                        t->pids = n;
                        t->pids[t->n_pids++] = (pid_t) u32;
                }
                if (r < 0)
                        return r;
                return bus_message_exit_container(m);
        }
        return r < 0 ? r : -EBADMSG;
}

static const TransientProperty *find_property(const char *name, UnitType type) {
        for (size_t i = 0; i < ELEMENTSOF(properties); i++)
                if (streq(properties[i].name, name))
                        return properties[i].types & (1u << type) ? &properties[i] : NULL;
        return NULL;
}

int transient_properties_parse(TransientProperties *t, UnitType type, BusMessage *m, BusError *error) {
        int r;

        if (!t->text) {
                t->text = strdup("# This is a transient unit file, created programmatically via the systemd API. Do not edit.\n");
                if (!t->text)
                        return -ENOMEM;
                t->last_section = -1;
        }
        r = bus_message_enter_container(m, 'a', "(sv)");
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        while ((r = bus_message_enter_container(m, '(', "sv")) > 0) {
                const TransientProperty *p;
                const char *name, *contents;
                char c;

                r = bus_message_read(m, "s", &name);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                p = find_property(name, type);
                if (!p)
                        return invalid(error, "Cannot set property %s, or unknown property.", name);
                r = bus_message_peek_type(m, &c, &contents);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                if (c != 'v' || !streq(contents, p->signature))
                        return invalid(error, "Invalid type for property %s: expected %s.", name,
                                       p->signature);
                r = bus_message_enter_container(m, 'v', p->signature);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                r = read_value(t, type, p, m, error);
                if (r < 0) {
                        if (r == -EBADMSG && !bus_error_is_set(error))
                                return invalid(error, "Invalid value for property %s.", name);
                        return r;
                }
                r = bus_message_exit_container(m); /* the variant */
                if (r >= 0)
                        r = bus_message_exit_container(m); /* the struct */
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return bus_message_exit_container(m);
}

/* ---- creating the unit ---- */

static int write_file(const char *dir, const char *name, const char *text, char **ret_path) {
        _cleanup_free_ char *path = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        mode_t old;
        int r;

        r = mkdir_p(dir, 0755);
        if (r < 0)
                return r;
        path = path_join(dir, name);
        if (!path)
                return -ENOMEM;
        old = umask(0022);
        f = fopen(path, "we");
        umask(old);
        if (!f)
                return -errno;
        if (fputs(text, f) < 0 || fflush(f) != 0 || ferror(f))
                return errno > 0 ? -errno : -EIO;
        *ret_path = TAKE_PTR(path);
        return 0;
}

static bool unit_is_pristine(const Unit *u) {
        return IN_SET(u->load_state, UNIT_NOT_FOUND, UNIT_LOADED) && !u->fragment_path && !u->source_path &&
               !u->job && !u->merged_into;
}

int transient_unit_create(Manager *m, const char *name, BusMessage *message,
                          TransientProperties *ret_props, BusError *error, Unit **ret) {
        _cleanup_(transient_properties_done) TransientProperties props = {};
        _cleanup_free_ char *dir = NULL, *path = NULL;
        UnitType type;
        Unit *u = NULL;
        int r;

        type = unit_name_to_type(name);
        if (type < 0 || !unit_name_is_valid(name, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE))
                return invalid(error, "Invalid unit name or type.");
        if (!unit_vtable[type] || !unit_vtable[type]->can_transient)
                return invalid(error, "Unit type %s does not support transient units.", unit_type_to_string(type));
        r = manager_load_unit(m, name, &u);
        if (r < 0)
                return bus_error_set_errnof(error, r, "Failed to load unit %s: %m", name);
        if (!unit_is_pristine(u))
                return bus_error_setf(error, "org.freedesktop.systemd1.UnitExists", "Unit %s was already loaded or has a fragment file.", name);
        r = transient_properties_parse(&props, type, message, error);
        if (r < 0)
                return r;
        if (type == UNIT_SCOPE && props.n_pids == 0)
                return invalid(error, "No PIDs specified, refusing.");

        dir = path_join(m->runtime_dir ?: "/run", "systemd/transient");
        if (!dir)
                return -ENOMEM;
        r = write_file(dir, u->id, props.text, &path);
        if (r < 0)
                return bus_error_set_errnof(error, r, "Failed to write transient unit file %s/%s: %m", dir, u->id);

        unit_reset_to_stub(u);
        u->transient = true;
        u->fragment_path = TAKE_PTR(path);
        manager_enqueue_load(m, u);
        manager_dispatch_load_queue(m);
        u = unit_follow_merge(u);
        log_unit_debug(u, "Created transient unit (%s).", unit_load_state_to_string(u->load_state));
        unit_add_to_dbus_queue(u);
        if (ret_props)
                *ret_props = props, props = (TransientProperties) {};
        *ret = u;
        return 0;
}
