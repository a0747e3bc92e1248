/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load-fragment.c: the key table and the interpreters for unit-file values (see
 * load-fragment.h). The list of known keys is generated from systemd 252 itself
 * (tools/gen-unit-keys.sh → unit-keys.inc); the handlers below cover the keys whose meaning
 * loading needs. Wording of messages follows systemd's.
 */

#include <sys/stat.h>

#include "conf-parser.h"
#include "env-util.h"
#include "escape.h"
#include "exec-command.h"
#include "fd-util.h"
#include "hashmap.h"
#include "load-fragment.h"
#include "log.h"
#include "manager-store.h"
#include "manager.h"
#include "parse-util.h"
#include "path-util.h"
#include "service.h"
#include "string-util.h"
#include "strv.h"
#include "unit-printf.h"

typedef struct KnownKey {
        const char *section_key; /* "Service.ExecStart" */
        const char *type;        /* what systemd documents: "BOOLEAN", "SECONDS", "UNIT [...]", … */
} KnownKey;

static const KnownKey known_keys[] = {
#include "unit-keys.inc"
};

/* Keys systemd 252 still accepts but ignores with a warning. */
static const char *const legacy_keys[] = {
        "Unit.IgnoreOnSnapshot", "Service.SysVStartPriority", "Service.BusPolicy",
        "Service.Capabilities", "Socket.Capabilities", "Mount.Capabilities", "Swap.Capabilities",
        "Service.NetClass", "Socket.NetClass", "Mount.NetClass", "Swap.NetClass",
        "Slice.NetClass", "Scope.NetClass",
};

static Hashmap *known_key_map;

static const KnownKey *known_key(const char *section_key) {
        if (!known_key_map) {
                known_key_map = hashmap_new(&string_hash_ops);
                if (!known_key_map)
                        return NULL;
                for (size_t i = 0; i < ELEMENTSOF(known_keys); i++)
                        (void) hashmap_put(known_key_map, known_keys[i].section_key, (void *) &known_keys[i]);
        }
        return hashmap_get(known_key_map, section_key);
}

bool load_fragment_key_is_known(const char *section_key) {
        return known_key(section_key) || !known_key_map; /* do not warn wrongly when out of memory */
}

const char *load_fragment_key_type(const char *section_key) {
        const KnownKey *k = known_key(section_key);
        return k ? k->type : NULL;
}

static bool key_is_legacy(const char *section_key) {
        for (size_t i = 0; i < ELEMENTSOF(legacy_keys); i++)
                if (streq(legacy_keys[i], section_key))
                        return true;
        return false;
}

const char *const *load_fragment_sections(UnitType t) {
        static const char *tables[_UNIT_TYPE_MAX][4];

        if (t < 0 || t >= _UNIT_TYPE_MAX)
                return NULL;
        if (!tables[t][0]) {
                tables[t][0] = "Unit";
                tables[t][1] = unit_type_to_capitalized_string(t);
                tables[t][2] = "Install";
                tables[t][3] = NULL;
        }
        return tables[t];
}

typedef struct Assignment {
        Unit *u;
        const char *filename;
        unsigned line;
        const char *section;
        const char *key;
        const char *value;
} Assignment;

#define WARN(a, r, ...) log_syntax((a)->u->id, LOG_WARNING, (a)->filename, (a)->line, (r), __VA_ARGS__)

typedef int (*UnitPrintf)(const Unit *u, const char *text, char **ret);

/* Expands a->value with printf into *ret; logs and returns 0 with *ret NULL on failure. */
static int expand(const Assignment *a, UnitPrintf printf_fn, char **ret) {
        int r = printf_fn(a->u, a->value, ret);
        if (r < 0) {
                *ret = NULL;
                WARN(a, r, "Failed to resolve unit specifiers in '%s', ignoring: %m", a->value);
        }
        return r;
}

/* Takes the next word of a list value and expands its specifiers with printf_fn. Returns 1 and
 * the word, 0 at the end (also after a syntax error, which is logged: the rest of the value is
 * dropped, as systemd does), -EAGAIN when this word cannot be expanded (logged; the caller goes
 * on with the next word), or -ENOMEM. */
static int next_word(const Assignment *a, const char **p, ExtractFlags flags, UnitPrintf printf_fn,
                     char **ret) {
        _cleanup_free_ char *word = NULL;
        int r = extract_first_word(p, &word, NULL, flags);

        if (r == -ENOMEM || r == 0)
                return r;
        if (r < 0) {
                WARN(a, r, "Invalid syntax, ignoring: %s", a->value);
                return 0;
        }
        r = printf_fn(a->u, word, ret);
        if (r < 0) {
                WARN(a, r, "Failed to resolve unit specifiers in '%s', ignoring: %m", word);
                return -EAGAIN;
        }
        return 1;
}

/* ---------------------------------------------------------------------------------------- */

static int parse_deps(const Assignment *a, UnitDependency d) {
        for (const char *p = a->value;;) {
                _cleanup_free_ char *k = NULL;
                int r = next_word(a, &p, EXTRACT_RETAIN_ESCAPE, unit_name_printf, &k);

                if (r == -EAGAIN)
                        continue;
                if (r <= 0)
                        return r;
                r = unit_add_dependency_by_name(a->u, d, k);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        WARN(a, r, "Failed to add dependency on %s, ignoring: %m", k);
        }
}

static int parse_bool_into(const Assignment *a, bool *b) {
        int r = parse_boolean(a->value);
        if (r < 0) {
                WARN(a, r, "Failed to parse boolean value%s%s, ignoring: %s", "", "", a->value);
                return 0;
        }
        *b = r;
        return 0;
}

/* A string with specifier expansion (for a path: the path variant, and it must be absolute);
 * an empty value resets it to NULL. */
static int parse_printf_value(const Assignment *a, bool path, char **s) {
        _cleanup_free_ char *k = NULL;

        if (isempty(a->value)) {
                *s = mfree(*s);
                return 0;
        }
        if (expand(a, path ? unit_path_printf : unit_full_printf, &k) < 0)
                return 0;
        if (path) {
                if (!path_is_absolute(k) || !path_is_valid(k)) {
                        WARN(a, 0, "%s= path is not absolute, ignoring: %s", a->key, k);
                        return 0;
                }
                path_simplify(k);
        }
        free_and_replace_str(s, TAKE_PTR(k));
        return 0;
}

#define parse_string_printf(a, s) parse_printf_value((a), false, (s))
#define parse_path_printf(a, s) parse_printf_value((a), true, (s))

static int parse_requires_mounts_for(const Assignment *a) {
        if (isempty(a->value)) {
                a->u->requires_mounts_for = strv_free(a->u->requires_mounts_for);
                return 0;
        }
        for (const char *p = a->value;;) {
                _cleanup_free_ char *k = NULL;
                int r = next_word(a, &p, EXTRACT_UNQUOTE, unit_path_printf, &k);

                if (r == -EAGAIN)
                        continue;
                if (r <= 0)
                        return r;
                r = unit_require_mounts_for(a->u, k);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        WARN(a, r, "Failed to add required mount '%s', ignoring: %m", k);
        }
}

static bool documentation_url_is_valid(const char *url) {
        const char *p;
        if (isempty(url))
                return false;
        if ((p = startswith(url, "http://")) || (p = startswith(url, "https://")) ||
            (p = startswith(url, "file:/")) || (p = startswith(url, "info:")) ||
            (p = startswith(url, "man:")))
                return !isempty(p) && ascii_is_valid(p) && !string_has_cc(p, NULL);
        return false;
}

static int parse_documentation(const Assignment *a) {
        _cleanup_free_ char *k = NULL;
        int r;

        if (isempty(a->value)) {
                a->u->documentation = strv_free(a->u->documentation);
                return 0;
        }
        if (expand(a, unit_full_printf, &k) < 0)
                return 0;
        for (const char *p = k;;) {
                _cleanup_free_ char *word = NULL;
                r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE);
                if (r == 0)
                        return 0;
                if (r < 0) {
                        WARN(a, r, "Invalid syntax, ignoring: %s", a->value);
                        return 0;
                }
                if (!documentation_url_is_valid(word)) {
                        WARN(a, 0, "Invalid URL, ignoring: %s", word);
                        continue;
                }
                if (strv_consume(&a->u->documentation, TAKE_PTR(word)) < 0)
                        return -ENOMEM;
        }
}

static int parse_slice(const Assignment *a) {
        _cleanup_free_ char *k = NULL;
        int r = unit_name_printf(a->u, a->value, &k);

        if (r < 0) {
                WARN(a, r, "Failed to resolve unit specifiers in %s, ignoring: %m", a->value);
                return 0;
        }
        if (!unit_name_is_valid(k, UNIT_NAME_PLAIN) || unit_name_to_type(k) != UNIT_SLICE) {
                WARN(a, -EINVAL, "Failed to assign slice %s to unit %s, ignoring: %m", k, a->u->id);
                return 0;
        }
        a->u->slice = unit_intern(k);
        return a->u->slice ? 0 : -ENOMEM;
}

static int parse_names_into(const Assignment *a, char ***l, const char *suffix) {
        for (const char *p = a->value;;) {
                _cleanup_free_ char *k = NULL;
                int r = next_word(a, &p, EXTRACT_UNQUOTE, unit_name_printf, &k);

                if (r == -EAGAIN)
                        continue;
                if (r <= 0)
                        return r;
                if (!endswith(k, suffix)) {
                        WARN(a, 0, "Unit must be of type %s, ignoring: %s", suffix + 1, k);
                        continue;
                }
                if (strv_consume(l, TAKE_PTR(k)) < 0)
                        return -ENOMEM;
        }
}

static int parse_trigger_unit(const Assignment *a) {
        _cleanup_free_ char *k = NULL;
        int r;

        if (a->u->trigger_unit) {
                WARN(a, 0, "Multiple units to trigger specified, ignoring: %s", a->value);
                return 0;
        }
        r = unit_name_printf(a->u, a->value, &k);
        if (r < 0) {
                WARN(a, r, "Failed to resolve unit specifiers in '%s', ignoring: %m", a->value);
                return 0;
        }
        if (!unit_name_is_valid(k, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE) ||
            unit_name_to_type(k) == a->u->type) {
                WARN(a, 0, "Unit cannot be of same type, ignoring: %s", a->value);
                return 0;
        }
        r = unit_add_two_dependencies_by_name(a->u, UNIT_BEFORE, UNIT_TRIGGERS, k);
        if (r < 0) {
                WARN(a, r, "Failed to add trigger on %s, ignoring: %m", k);
                return 0;
        }
        a->u->trigger_unit = TAKE_PTR(k);
        return 0;
}

static ExecOutput exec_output_from_value(const char *v) {
        static const struct { const char *name; ExecOutput o; } table[] = {
                { "inherit", EXEC_OUTPUT_INHERIT },   { "null", EXEC_OUTPUT_NULL },
                { "tty", EXEC_OUTPUT_TTY },           { "kmsg", EXEC_OUTPUT_KMSG },
                { "kmsg+console", EXEC_OUTPUT_KMSG_AND_CONSOLE },
                { "journal", EXEC_OUTPUT_JOURNAL },   { "syslog", EXEC_OUTPUT_JOURNAL },
                { "journal+console", EXEC_OUTPUT_JOURNAL_AND_CONSOLE },
                { "syslog+console", EXEC_OUTPUT_JOURNAL_AND_CONSOLE },
                { "socket", EXEC_OUTPUT_SOCKET },
        };
        if (startswith(v, "fd:"))
                return EXEC_OUTPUT_NAMED_FD;
        if (startswith(v, "file:"))
                return EXEC_OUTPUT_FILE;
        if (startswith(v, "append:"))
                return EXEC_OUTPUT_FILE_APPEND;
        if (startswith(v, "truncate:"))
                return EXEC_OUTPUT_FILE_TRUNCATE;
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(v, table[i].name))
                        return table[i].o;
        return _EXEC_OUTPUT_INVALID;
}

static ExecInput exec_input_from_value(const char *v) {
        static const struct { const char *name; ExecInput i; } table[] = {
                { "null", EXEC_INPUT_NULL },          { "tty", EXEC_INPUT_TTY },
                { "tty-force", EXEC_INPUT_TTY_FORCE }, { "tty-fail", EXEC_INPUT_TTY_FAIL },
                { "socket", EXEC_INPUT_SOCKET },      { "data", EXEC_INPUT_DATA },
        };
        if (startswith(v, "fd:"))
                return EXEC_INPUT_NAMED_FD;
        if (startswith(v, "file:"))
                return EXEC_INPUT_FILE;
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(v, table[i].name))
                        return table[i].i;
        return _EXEC_INPUT_INVALID;
}

static int parse_std(const Assignment *a) {
        if (streq(a->key, "StandardInput")) {
                ExecInput i = exec_input_from_value(a->value);
                if (i < 0)
                        WARN(a, 0, "Failed to parse input specifier, ignoring: %s", a->value);
                else
                        a->u->exec.std_input = i;
                return 0;
        }
        ExecOutput o = exec_output_from_value(a->value);
        if (o < 0) {
                WARN(a, 0, "Failed to parse output specifier, ignoring: %s", a->value);
                return 0;
        }
        if (streq(a->key, "StandardOutput"))
                a->u->exec.std_output = o;
        else
                a->u->exec.std_error = o;
        return 0;
}

static int parse_environment(const Assignment *a) {
        if (isempty(a->value)) {
                a->u->exec.environment = strv_free(a->u->exec.environment);
                return 0;
        }
        for (const char *p = a->value;;) {
                _cleanup_free_ char *k = NULL;
                int r = next_word(a, &p, EXTRACT_CUNESCAPE | EXTRACT_UNQUOTE, unit_full_printf, &k);

                if (r == -EAGAIN)
                        continue;
                if (r <= 0)
                        return r;
                if (!env_assignment_is_valid(k)) {
                        WARN(a, 0, "Invalid environment assignment, ignoring: %s", k);
                        continue;
                }
                r = strv_env_replace_consume(&a->u->exec.environment, TAKE_PTR(k));
                if (r < 0)
                        return r;
        }
}

static int parse_environment_file(const Assignment *a) {
        _cleanup_free_ char *k = NULL;

        if (isempty(a->value)) {
                a->u->exec.environment_files = strv_free(a->u->exec.environment_files);
                return 0;
        }
        if (expand(a, unit_full_printf, &k) < 0)
                return 0;
        if (!path_is_absolute(k[0] == '-' ? k + 1 : k)) {
                WARN(a, 0, "Path '%s' is not absolute, ignoring.", k);
                return 0;
        }
        return strv_consume(&a->u->exec.environment_files, TAKE_PTR(k));
}

static int parse_working_directory(const Assignment *a) {
        const char *v = a->value;
        bool missing_ok = false;

        if (isempty(v)) {
                a->u->exec.working_directory = mfree(a->u->exec.working_directory);
                a->u->exec.working_directory_home = false;
                return 0;
        }
        if (v[0] == '-') {
                missing_ok = true;
                v++;
        }
        if (streq(v, "~")) {
                a->u->exec.working_directory = mfree(a->u->exec.working_directory);
                a->u->exec.working_directory_home = true;
        } else {
                Assignment b = *a;
                b.value = v;
                parse_path_printf(&b, &a->u->exec.working_directory);
                a->u->exec.working_directory_home = false;
        }
        a->u->exec.working_directory_missing_ok = missing_ok;
        return 0;
}

static int parse_exec_directories(const Assignment *a, ExecDirectoryType t) {
        char ***l = &a->u->exec.directories[t];

        if (isempty(a->value)) {
                *l = strv_free(*l);
                return 0;
        }
        for (const char *p = a->value;;) {
                _cleanup_free_ char *k = NULL;
                int r = next_word(a, &p, EXTRACT_UNQUOTE, unit_path_printf, &k);

                if (r == -EAGAIN)
                        continue;
                if (r <= 0)
                        return r;
                /* "a:b" symlink syntax: the directory is the part before the colon */
                k[strcspn(k, ":")] = 0;
                path_simplify(k);
                if (path_is_absolute(k) || !path_is_normalized(k)) {
                        WARN(a, 0, "%s= path is not valid, ignoring assignment: %s", a->key, k);
                        continue;
                }
                if (strv_consume(l, TAKE_PTR(k)) < 0)
                        return -ENOMEM;
        }
}

static ExecCommandKind exec_kind_from_key(const char *key) {
        static const char *const names[_EXEC_COMMAND_KIND_MAX] = {
                [EXEC_CONDITION] = "ExecCondition", [EXEC_START_PRE] = "ExecStartPre",
                [EXEC_START] = "ExecStart",         [EXEC_START_POST] = "ExecStartPost",
                [EXEC_RELOAD] = "ExecReload",       [EXEC_STOP] = "ExecStop",
                [EXEC_STOP_POST] = "ExecStopPost",  [EXEC_STOP_PRE] = "ExecStopPre",
        };
        for (int i = 0; i < _EXEC_COMMAND_KIND_MAX; i++)
                if (streq(key, names[i]))
                        return (ExecCommandKind) i;
        return _EXEC_COMMAND_KIND_INVALID;
}

/* ---------------------------------------------------------------------------------------- */

static const struct {
        const char *key;
        UnitDependency dep;
} dependency_keys[] = {
        { "Requires", UNIT_REQUIRES },
        { "Requisite", UNIT_REQUISITE },
        { "Wants", UNIT_WANTS },
        { "BindsTo", UNIT_BINDS_TO },
        { "BindTo", UNIT_BINDS_TO },
        { "Upholds", UNIT_UPHOLDS },
        { "Conflicts", UNIT_CONFLICTS },
        { "Before", UNIT_BEFORE },
        { "After", UNIT_AFTER },
        { "OnSuccess", UNIT_ON_SUCCESS },
        { "OnFailure", UNIT_ON_FAILURE },
        { "PropagatesReloadTo", UNIT_PROPAGATES_RELOAD_TO },
        { "PropagateReloadTo", UNIT_PROPAGATES_RELOAD_TO },
        { "ReloadPropagatedFrom", UNIT_RELOAD_PROPAGATED_FROM },
        { "PropagateReloadFrom", UNIT_RELOAD_PROPAGATED_FROM },
        { "PropagatesStopTo", UNIT_PROPAGATES_STOP_TO },
        { "StopPropagatedFrom", UNIT_STOP_PROPAGATED_FROM },
        { "PartOf", UNIT_PART_OF },
        { "JoinsNamespaceOf", UNIT_JOINS_NAMESPACE_OF },
};

static int apply_unit_section(const Assignment *a) {
        Unit *u = a->u;

        for (size_t i = 0; i < ELEMENTSOF(dependency_keys); i++)
                if (streq(a->key, dependency_keys[i].key))
                        return parse_deps(a, dependency_keys[i].dep);
        if (streq(a->key, "RequiresOverridable") || streq(a->key, "RequisiteOverridable")) {
                UnitDependency d = a->key[8] == 'O' ? UNIT_REQUIRES : UNIT_REQUISITE;
                WARN(a, 0, "Unit dependency type %s= is obsolete, replacing by %s=, please update your unit file",
                     a->key, unit_dependency_to_string(d));
                return parse_deps(a, d);
        }
        if (streq(a->key, "Description"))
                return parse_string_printf(a, &u->description);
        if (streq(a->key, "Documentation"))
                return parse_documentation(a);
        if (streq(a->key, "SourcePath"))
                return parse_path_printf(a, &u->source_path);
        if (streq(a->key, "DefaultDependencies"))
                return parse_bool_into(a, &u->default_dependencies);
        if (streq(a->key, "RequiresMountsFor"))
                return parse_requires_mounts_for(a);
        return 1; /* not interpreted here */
}

static int apply_exec_keys(const Assignment *a) {
        Unit *u = a->u;
        ExecCommandKind k = exec_kind_from_key(a->key);

        if (k >= 0 && (u->type == UNIT_SERVICE || k != EXEC_CONDITION))
                return exec_command_parse(u, a->filename, a->line, a->value, &u->exec_commands[k]);
        if (streq(a->key, "Slice"))
                return parse_slice(a);
        if (!u->has_exec)
                return 1;
        if (IN_SET(a->key[0], 'S') && (streq(a->key, "StandardInput") || streq(a->key, "StandardOutput") ||
                                       streq(a->key, "StandardError")))
                return parse_std(a);
        if (streq(a->key, "StandardInputText") || streq(a->key, "StandardInputData")) {
                u->exec.stdin_data = !isempty(a->value);
                return 1;
        }
        if (streq(a->key, "PrivateTmp"))
                return parse_bool_into(a, &u->exec.private_tmp);
        if (streq(a->key, "DynamicUser"))
                return parse_bool_into(a, &u->exec.dynamic_user);
        if (streq(a->key, "WorkingDirectory"))
                return parse_working_directory(a);
        if (streq(a->key, "RootDirectory"))
                return parse_path_printf(a, &u->exec.root_directory);
        if (streq(a->key, "RootImage"))
                return parse_path_printf(a, &u->exec.root_image);
        if (streq(a->key, "LogNamespace"))
                return parse_string_printf(a, &u->exec.log_namespace);
        if (streq(a->key, "Environment"))
                return parse_environment(a);
        if (streq(a->key, "EnvironmentFile"))
                return parse_environment_file(a);
        if (streq(a->key, "RuntimeDirectory"))
                return parse_exec_directories(a, EXEC_DIRECTORY_RUNTIME);
        if (streq(a->key, "StateDirectory"))
                return parse_exec_directories(a, EXEC_DIRECTORY_STATE);
        if (streq(a->key, "CacheDirectory"))
                return parse_exec_directories(a, EXEC_DIRECTORY_CACHE);
        if (streq(a->key, "LogsDirectory"))
                return parse_exec_directories(a, EXEC_DIRECTORY_LOGS);
        if (streq(a->key, "ConfigurationDirectory"))
                return parse_exec_directories(a, EXEC_DIRECTORY_CONFIGURATION);
        return 1;
}

const char *const load_fragment_socket_listen_keys[] = {
        "Socket.ListenStream",  "Socket.ListenDatagram",     "Socket.ListenSequentialPacket",
        "Socket.ListenFIFO",    "Socket.ListenNetlink",      "Socket.ListenSpecial",
        "Socket.ListenMessageQueue", "Socket.ListenUSBFunction", NULL,
};
const char *const load_fragment_timer_value_keys[] = {
        "Timer.OnCalendar",       "Timer.OnActiveSec",       "Timer.OnBootSec",
        "Timer.OnStartupSec",     "Timer.OnUnitActiveSec",   "Timer.OnUnitInactiveSec", NULL,
};
const char *const load_fragment_path_spec_keys[] = {
        "Path.PathExists", "Path.PathExistsGlob", "Path.PathChanged", "Path.PathModified",
        "Path.DirectoryNotEmpty", NULL,
};

/* Listen*=, the timer's On*= and the path's Path*= each form one list in systemd: an empty
 * assignment to any of them empties all of them. Returns 0 after such a reset, else 1 (the
 * value is kept as written). */
static int reset_group(const Assignment *a, const char *const *group) {
        _cleanup_free_ char *sk = strjoin(a->section, ".", a->key);

        if (!sk)
                return -ENOMEM;
        if (!isempty(a->value) || !strv_contains((char **) group, sk))
                return 1;
        for (const char *const *k = group; *k; k++)
                unit_setting_reset(a->u, *k);
        return 0;
}

/* Whether any key of the group has a value. */
bool load_fragment_group_is_set(const Unit *u, const char *const *group) {
        for (const char *const *k = group; *k; k++)
                if (unit_setting_last(u, *k))
                        return true;
        return false;
}

static int apply_type_keys(const Assignment *a) {
        Unit *u = a->u;

        switch (u->type) {
        case UNIT_SERVICE:
                if (streq(a->key, "Type")) {
                        ServiceType t = service_type_from_string(a->value);

                        if (t < 0)
                                WARN(a, 0, "Failed to parse service type, ignoring: %s", a->value);
                        else
                                u->service_type = service_type_to_string(t);
                        return 0;
                }
                if (streq(a->key, "RemainAfterExit"))
                        return parse_bool_into(a, &u->remain_after_exit);
                if (streq(a->key, "BusName"))
                        return parse_string_printf(a, &u->bus_name);
                if (streq(a->key, "Sockets"))
                        return parse_names_into(a, &u->sockets, ".socket");
                if (streq(a->key, "TimeoutSec") || streq(a->key, "TimeoutStartSec"))
                        u->start_timeout_defined = true;
                return 1;
        case UNIT_SOCKET:
                if (streq(a->key, "Accept"))
                        return parse_bool_into(a, &u->socket_accept);
                if (streq(a->key, "Service")) {
                        _cleanup_free_ char *k = NULL;
                        int r = unit_name_printf(u, a->value, &k);
                        if (r < 0 || !endswith(k, ".service") ||
                            !unit_name_is_valid(k, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE)) {
                                WARN(a, r, "Failed to set service for socket, ignoring: %s", a->value);
                                return 0;
                        }
                        free_and_replace_str(&u->trigger_unit, TAKE_PTR(k));
                        return 0;
                }
                return reset_group(a, load_fragment_socket_listen_keys);
        case UNIT_TIMER:
                if (streq(a->key, "Unit"))
                        return parse_trigger_unit(a);
                return reset_group(a, load_fragment_timer_value_keys);
        case UNIT_PATH:
                if (streq(a->key, "Unit"))
                        return parse_trigger_unit(a);
                return reset_group(a, load_fragment_path_spec_keys);
        default:
                return 1;
        }
}

/* Keeps a value nobody interprets, so the analyser can show it. Lists of values accumulate;
 * an empty assignment resets them. */
static int store_raw(const Assignment *a) {
        _cleanup_free_ char *k = strjoin(a->section, ".", a->key);

        if (!k)
                return -ENOMEM;
        if (isempty(a->value)) {
                unit_setting_reset(a->u, k);
                /* For these an empty assignment is a value of its own, not "the default":
                 * CapabilityBoundingSet= is the empty set (the default is all capabilities). */
                if (STR_IN_SET(a->key, "CapabilityBoundingSet", "AmbientCapabilities"))
                        return unit_setting_append(a->u, k, "");
                return 0;
        }
        return unit_setting_append(a->u, k, a->value);
}

int load_fragment_assignment(const char *unit, const char *filename, unsigned line,
                             const char *section, unsigned section_line, const char *key,
                             const char *value, void *userdata) {
        Assignment a = { userdata, filename, line, section, key, value };
        _cleanup_free_ char *sk = strjoin(section, ".", key);
        int r;

        if (!sk)
                return -ENOMEM;
        if (!section)
                return 0; /* the parser has warned about an assignment outside of a section */
        if (key_is_legacy(sk)) {
                WARN(&a, 0, "Support for option %s= has been removed and it is ignored", key);
                return 0;
        }
        if (!load_fragment_key_is_known(sk))
                return CONFIG_KEY_UNKNOWN;
        if (streq(section, "Install"))
                return 0; /* only `systemctl enable` reads [Install] */

        if (streq(section, "Unit"))
                r = apply_unit_section(&a);
        else {
                r = apply_exec_keys(&a);
                if (r == 1)
                        r = apply_type_keys(&a);
                /* Interpreted values of the type's section are kept as written too, so that
                 * the dump shows every setting (Exec*= and Environment*= have their own
                 * properties). */
                if (r == 0 && exec_kind_from_key(key) < 0 && !startswith(key, "Environment"))
                        r = 1;
        }
        if (r == 1)
                r = store_raw(&a);
        if (r == -ENOMEM)
                log_oom();
        return r;
}

#define KEPT_FILE_MAX (1024U * 1024U)

int load_fragment_parse_path(Unit *u, const char *path, const struct stat *st) {
        Manager *m = u->manager;
        _cleanup_free_ char *data = NULL;
        struct stat buf;
        size_t size;

        /* After a restart, the store's copy of a file that did not change (manager-store.h);
         * otherwise the file, read once: the store keeps what is parsed, with the identity of
         * the file it came from. Without a store, or for a file that cannot be read (or is too
         * big to keep), config_parse_file() reads it and says why it could not. */
        if (m->store) {
                if (!st && stat(path, &buf) >= 0)
                        st = &buf;
                if (!(m->recovering && st && manager_store_cached_file(m, path, st, &data, &size) > 0) &&
                    read_full_file(path, KEPT_FILE_MAX, &data, &size) >= 0 && st)
                        manager_store_keep_file(m, path, st, data, size);
        }
        if (!data)
                return config_parse_file(u->id, path, NULL, load_fragment_sections(u->type),
                                         load_fragment_assignment, CONFIG_PARSE_WARN, u);
        return config_parse_buffer(u->id, path, data, size, load_fragment_sections(u->type),
                                   load_fragment_assignment, CONFIG_PARSE_WARN, u);
}

int load_fragment_parse_file(Unit *u, const char *path) {
        return load_fragment_parse_path(u, path, NULL);
}
