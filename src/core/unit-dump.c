/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * unit-dump.c: the property table behind unit_dump(). Each property has a getter that
 * appends its words to a strv (joined with spaces when printed). Values that are runtime
 * state print what a freshly loaded, inactive unit reports.
 */

#include "escape.h"
#include "exec-command.h"
#include "load-fragment.h"
#include "parse-util.h"
#include "manager.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"
#include "unit-dump.h"
#include "unit-file-state.h"

typedef int (*PropertyGetter)(Unit *u, const void *data, char ***words);

typedef struct Property {
        const char *name;
        PropertyGetter get;
        const void *data;
        int types; /* bit mask of UnitType the property exists for; 0 = every type */
} Property;

#define T(t) (1 << (t))
#define EXEC_TYPES (T(UNIT_SERVICE) | T(UNIT_SOCKET) | T(UNIT_MOUNT) | T(UNIT_SWAP))
#define CGROUP_TYPES (EXEC_TYPES | T(UNIT_SLICE) | T(UNIT_SCOPE))

static int add(char ***words, const char *s) {
        return strv_extend(words, s);
}

/* Elements of string arrays are printed the way systemctl does: quoted when a shell would
 * need it ("man:foo(8)" → "\"man:foo(8)\""). */
static int add_quoted(char ***words, const char *s) {
        char *q = shell_maybe_quote(s);
        return q ? strv_consume(words, q) : -ENOMEM;
}

static int add_quoted_strv(char ***words, char *const *l) {
        for (size_t i = 0; l && l[i]; i++)
                if (add_quoted(words, l[i]) < 0)
                        return -ENOMEM;
        return 0;
}

static int get_id(Unit *u, const void *data, char ***w) {
        return add(w, u->id);
}

static int get_names(Unit *u, const void *data, char ***w) {
        char *n;
        int r = add_quoted(w, u->id);
        ORDERED_SET_FOREACH(n, u->names)
                if (r >= 0 && !streq(n, u->id))
                        r = add_quoted(w, n);
        return r;
}

static int get_dependency(Unit *u, const void *data, char ***w) {
        UnitDependency d = (UnitDependency) (intptr_t) data;
        Unit *o;
        UNIT_FOREACH_DEPENDENCY(o, u, d)
                if (add_quoted(w, o->id) < 0)
                        return -ENOMEM;
        return 0;
}

static int get_const(Unit *u, const void *data, char ***w) {
        return add(w, data);
}

static int get_description(Unit *u, const void *data, char ***w) {
        return add(w, u->description ?: u->id);
}

static int get_documentation(Unit *u, const void *data, char ***w) {
        return add_quoted_strv(w, u->documentation);
}

static int get_load_state(Unit *u, const void *data, char ***w) {
        return add(w, unit_load_state_to_string(u->load_state));
}

static int get_string_field(Unit *u, const void *data, char ***w) {
        const char *s = *(char *const *) ((const char *) u + (size_t) (uintptr_t) data);
        return s ? add(w, s) : 0;
}

static int get_strv_field(Unit *u, const void *data, char ***w) {
        char *const *l = *(char *const *const *) ((const char *) u + (size_t) (uintptr_t) data);
        return add_quoted_strv(w, l);
}

static int get_bool_field(Unit *u, const void *data, char ***w) {
        bool b = *(const bool *) ((const char *) u + (size_t) (uintptr_t) data);
        return add(w, yes_no(b));
}

/* A boolean kept in the settings store ("Section.Key"), default no. */
static int get_setting_bool(Unit *u, const void *data, char ***w) {
        return add(w, yes_no(unit_setting_is_true(u, data)));
}

/* The last value of a setting, or a default given after a '|' in data ("Unit.X|default"). */
static int get_setting_string(Unit *u, const void *data, char ***w) {
        const char *spec = data, *bar = strchr(spec, '|');
        _cleanup_free_ char *key = bar ? strndup(spec, (size_t) (bar - spec)) : strdup(spec);
        const char *v;

        if (!key)
                return -ENOMEM;
        v = unit_setting_last(u, key);
        if (v)
                return add(w, v);
        return bar ? add(w, bar + 1) : 0;
}

/* A time span setting printed as systemctl prints usec properties. */
static int get_setting_timespan(Unit *u, const void *data, char ***w) {
        const char *spec = data, *bar = strchr(spec, '|');
        _cleanup_free_ char *key = strndup(spec, (size_t) (bar - spec));
        char buf[FORMAT_TIMESPAN_MAX];
        const char *v;
        usec_t t;

        if (!key)
                return -ENOMEM;
        v = unit_setting_last(u, key);
        if (!v || parse_sec(v, &t) < 0)
                return add(w, bar + 1);
        return add(w, format_timespan(buf, sizeof buf, t, 0));
}

static int get_load_error(Unit *u, const void *data, char ***w) {
        const char *name = unit_load_error_name(u);
        _cleanup_free_ char *s = NULL;

        if (!name)
                return add(w, "");
        switch (u->load_state) {
        case UNIT_NOT_FOUND:
                s = strjoin(name, " \"Unit ", u->id, " not found.\"");
                break;
        case UNIT_MASKED:
                s = strjoin(name, " \"Unit ", u->id, " is masked.\"");
                break;
        case UNIT_BAD_SETTING:
                s = strjoin(name, " \"Unit ", u->id, " has a bad unit file setting.\"");
                break;
        default:
                s = strjoin(name, " \"Unit ", u->id, " failed to load properly, please adjust/correct and reload service manager: ",
                            strerror(-u->load_error), "\"");
        }
        return s ? strv_consume(w, TAKE_PTR(s)) : -ENOMEM;
}

static int get_unit_file_state(Unit *u, const void *data, char ***w) {
        const char *s = unit_file_state(u);
        return s ? add(w, s) : 0;
}

static int get_slice(Unit *u, const void *data, char ***w) {
        Unit *o;
        UNIT_FOREACH_DEPENDENCY(o, u, UNIT_REQUIRES)
                if (o->type == UNIT_SLICE && u->slice && unit_has_name(o, u->slice))
                        return add(w, o->id);
        return u->slice ? add(w, u->slice) : 0;
}

static const char *exec_kind_names[_EXEC_COMMAND_KIND_MAX] = {
        [EXEC_CONDITION] = "ExecCondition", [EXEC_START_PRE] = "ExecStartPre",
        [EXEC_START] = "ExecStart",         [EXEC_START_POST] = "ExecStartPost",
        [EXEC_RELOAD] = "ExecReload",       [EXEC_STOP] = "ExecStop",
        [EXEC_STOP_POST] = "ExecStopPost",  [EXEC_STOP_PRE] = "ExecStopPre",
};

/* systemctl's format for a(sasbttttuii): one "{ … }" per command. */
static int get_exec(Unit *u, const void *data, char ***w) {
        ExecCommandKind k = (ExecCommandKind) (intptr_t) data;

        for (ExecCommand *c = u->exec_commands[k]; c; c = c->next) {
                _cleanup_free_ char *argv = exec_command_argv_string(c), *s = NULL;
                if (!argv)
                        return -ENOMEM;
                s = strjoin("{ path=", c->path, " ; argv[]=", argv, " ; ignore_errors=",
                            yes_no(c->flags & EXEC_COMMAND_IGNORE_FAILURE),
                            " ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }");
                if (!s || strv_consume(w, TAKE_PTR(s)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int get_environment(Unit *u, const void *data, char ***w) {
        STRV_FOREACH(e, u->exec.environment) {
                char *q = shell_maybe_quote(*e);
                if (!q || strv_consume(w, q) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int get_environment_files(Unit *u, const void *data, char ***w) {
        STRV_FOREACH(e, u->exec.environment_files) {
                char *s = (*e)[0] == '-' ? strjoin(*e + 1, " (ignore_errors=yes)")
                                         : strjoin(*e, " (ignore_errors=no)");
                if (!s || strv_consume(w, s) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int get_service_type(Unit *u, const void *data, char ***w) {
        if (u->service_type)
                return add(w, u->service_type);
        return add(w, u->bus_name ? "dbus" : u->exec_commands[EXEC_START] ? "simple" : "oneshot");
}

static int get_notify_access(Unit *u, const void *data, char ***w) {
        const char *v = unit_setting_last(u, "Service.NotifyAccess");
        const char *type = u->service_type;

        if (v)
                return add(w, v);
        /* A notify service, or one with a watchdog or an fd store, gets "main" implicitly. */
        if ((type && streq(type, "notify")) || unit_setting_last(u, "Service.WatchdogSec") ||
            unit_setting_last(u, "Service.FileDescriptorStoreMax"))
                return add(w, "main");
        return add(w, "none");
}

static int get_remain_after_exit(Unit *u, const void *data, char ***w) {
        return add(w, yes_no(u->remain_after_exit));
}

#define FIELD(f) ((const void *) offsetof(Unit, f))
#define DEP(name, d) { name, get_dependency, (const void *) (intptr_t) (d), 0 }
#define EXEC(k) { NULL, get_exec, (const void *) (intptr_t) (k), T(UNIT_SERVICE) }

static const Property unit_properties[] = {
        { "Id", get_id, NULL, 0 },
        { "Names", get_names, NULL, 0 },
        { "Following", get_const, "", 0 },
        DEP("Requires", UNIT_REQUIRES),
        DEP("Requisite", UNIT_REQUISITE),
        DEP("Wants", UNIT_WANTS),
        DEP("BindsTo", UNIT_BINDS_TO),
        DEP("PartOf", UNIT_PART_OF),
        DEP("Upholds", UNIT_UPHOLDS),
        DEP("RequiredBy", UNIT_REQUIRED_BY),
        DEP("RequisiteOf", UNIT_REQUISITE_OF),
        DEP("WantedBy", UNIT_WANTED_BY),
        DEP("BoundBy", UNIT_BOUND_BY),
        DEP("UpheldBy", UNIT_UPHELD_BY),
        DEP("ConsistsOf", UNIT_CONSISTS_OF),
        DEP("Conflicts", UNIT_CONFLICTS),
        DEP("ConflictedBy", UNIT_CONFLICTED_BY),
        DEP("Before", UNIT_BEFORE),
        DEP("After", UNIT_AFTER),
        DEP("OnSuccess", UNIT_ON_SUCCESS),
        DEP("OnSuccessOf", UNIT_ON_SUCCESS_OF),
        DEP("OnFailure", UNIT_ON_FAILURE),
        DEP("OnFailureOf", UNIT_ON_FAILURE_OF),
        DEP("Triggers", UNIT_TRIGGERS),
        DEP("TriggeredBy", UNIT_TRIGGERED_BY),
        DEP("PropagatesReloadTo", UNIT_PROPAGATES_RELOAD_TO),
        DEP("ReloadPropagatedFrom", UNIT_RELOAD_PROPAGATED_FROM),
        DEP("PropagatesStopTo", UNIT_PROPAGATES_STOP_TO),
        DEP("StopPropagatedFrom", UNIT_STOP_PROPAGATED_FROM),
        DEP("JoinsNamespaceOf", UNIT_JOINS_NAMESPACE_OF),
        DEP("SliceOf", UNIT_SLICE_OF),
        { "RequiresMountsFor", get_strv_field, FIELD(requires_mounts_for), 0 },
        { "Documentation", get_documentation, NULL, 0 },
        { "Description", get_description, NULL, 0 },
        { "LoadState", get_load_state, NULL, 0 },
        { "ActiveState", get_const, "inactive", 0 },
        { "FreezerState", get_const, "running", 0 },
        { "SubState", get_const, "dead", 0 },
        { "FragmentPath", get_string_field, FIELD(fragment_path), 0 },
        { "SourcePath", get_string_field, FIELD(source_path), 0 },
        { "DropInPaths", get_strv_field, FIELD(dropin_paths), 0 },
        { "UnitFileState", get_unit_file_state, NULL, 0 },
        { "StopWhenUnneeded", get_setting_bool, "Unit.StopWhenUnneeded", 0 },
        { "RefuseManualStart", get_setting_bool, "Unit.RefuseManualStart", 0 },
        { "RefuseManualStop", get_setting_bool, "Unit.RefuseManualStop", 0 },
        { "AllowIsolate", get_setting_bool, "Unit.AllowIsolate", 0 },
        { "DefaultDependencies", get_bool_field, FIELD(default_dependencies), 0 },
        { "OnSuccessJobMode", get_setting_string, "Unit.OnSuccessJobMode|fail", 0 },
        { "OnFailureJobMode", get_setting_string, "Unit.OnFailureJobMode|replace", 0 },
        { "IgnoreOnIsolate", get_setting_bool, "Unit.IgnoreOnIsolate", 0 },
        { "JobTimeoutUSec", get_setting_timespan, "Unit.JobTimeoutSec|infinity", 0 },
        { "JobRunningTimeoutUSec", get_setting_timespan, "Unit.JobRunningTimeoutSec|infinity", 0 },
        { "JobTimeoutAction", get_setting_string, "Unit.JobTimeoutAction|none", 0 },
        { "LoadError", get_load_error, NULL, 0 },
        { "Transient", get_const, "no", 0 },
        { "Perpetual", get_bool_field, FIELD(perpetual), 0 },
        { "StartLimitBurst", get_setting_string, "Unit.StartLimitBurst|5", 0 },
        { "StartLimitAction", get_setting_string, "Unit.StartLimitAction|none", 0 },
        { "FailureAction", get_setting_string, "Unit.FailureAction|none", 0 },
        { "SuccessAction", get_setting_string, "Unit.SuccessAction|none", 0 },
        { "CollectMode", get_setting_string, "Unit.CollectMode|inactive", 0 },
        { "Slice", get_slice, NULL, CGROUP_TYPES },
        /* org.freedesktop.systemd1.Service */
        { "Type", get_service_type, NULL, T(UNIT_SERVICE) },
        { "Restart", get_setting_string, "Service.Restart|no", T(UNIT_SERVICE) },
        { "PIDFile", get_setting_string, "Service.PIDFile", T(UNIT_SERVICE) },
        { "NotifyAccess", get_notify_access, NULL, T(UNIT_SERVICE) },
        { "RemainAfterExit", get_remain_after_exit, NULL, T(UNIT_SERVICE) },
        { "BusName", get_string_field, FIELD(bus_name), T(UNIT_SERVICE) },
        EXEC(EXEC_CONDITION),
        EXEC(EXEC_START_PRE),
        EXEC(EXEC_START),
        EXEC(EXEC_START_POST),
        EXEC(EXEC_RELOAD),
        EXEC(EXEC_STOP),
        EXEC(EXEC_STOP_POST),
        { "Environment", get_environment, NULL, EXEC_TYPES },
        { "EnvironmentFiles", get_environment_files, NULL, EXEC_TYPES },
        { "User", get_setting_string, "Service.User", T(UNIT_SERVICE) },
        { "Group", get_setting_string, "Service.Group", T(UNIT_SERVICE) },
        { "WorkingDirectory", get_string_field, FIELD(exec.working_directory), EXEC_TYPES },
};

static const char *property_name(const Property *p) {
        if (p->get == get_exec)
                return exec_kind_names[(intptr_t) p->data];
        return p->name;
}

static bool property_applies(const Property *p, UnitType t) {
        return p->types == 0 || (p->types & T(t));
}

/* systemctl shows the type's interface (org.freedesktop.systemd1.Service, …) before the
 * generic org.freedesktop.systemd1.Unit one: type-specific properties come first. */
static const Property *property_at(size_t i) {
        size_t n = 0;

        for (int pass = 0; pass < 2; pass++)
                for (size_t k = 0; k < ELEMENTSOF(unit_properties); k++)
                        if ((unit_properties[k].types != 0) == (pass == 0) && n++ == i)
                                return &unit_properties[k];
        return NULL;
}

/* The property name and value systemctl would show for a value kept in the settings store:
 * time spans "FooSec" are the property "FooUSec" printed as a span, booleans yes/no, lists
 * space-separated in order, anything else the last value as written. */
static int other_setting(const char *section_key, char *const *values, char **ret_name, char **ret_value) {
        const char *key = strchr(section_key, '.') + 1, *type = load_fragment_key_type(section_key);
        const char *last = values[strv_length(values) - 1];
        char buf[FORMAT_TIMESPAN_MAX];
        usec_t t;
        int b;

        if (type && streq(type, "SECONDS") && endswith(key, "Sec") && parse_sec(last, &t) >= 0) {
                _cleanup_free_ char *stem = strndup(key, strlen(key) - STRLEN("Sec"));
                *ret_name = stem ? strjoin(stem, "USec") : NULL;
                *ret_value = strdup(format_timespan(buf, sizeof buf, t, 0));
        } else if (type && streq(type, "BOOLEAN") && (b = parse_boolean(last)) >= 0) {
                *ret_name = strdup(key);
                *ret_value = strdup(yes_no(b));
        } else if (type && endswith(type, "[...]")) {
                *ret_name = strdup(key);
                *ret_value = strv_join(values, " ");
        } else {
                *ret_name = strdup(key);
                *ret_value = strdup(last);
        }
        if (!*ret_name || !*ret_value) {
                *ret_name = mfree(*ret_name);
                *ret_value = mfree(*ret_value);
                return -ENOMEM;
        }
        return 0;
}

/* Every other setting the unit files made, after the table's properties, so that nothing set
 * is missing from the dump. */
static int dump_other_settings(Unit *u, char *const *properties, UnitDumpFlags flags, FILE *f) {
        _cleanup_strv_free_ char **known = NULL;
        const char *section_key;
        char **values;
        int r;

        r = unit_dump_property_names(u->type, &known);
        if (r < 0)
                return r;
        HASHMAP_FOREACH_KEY(values, section_key, u->settings) {
                _cleanup_free_ char *name = NULL, *value = NULL;

                if (startswith(section_key, "Install.") || strv_isempty(values))
                        continue;
                r = other_setting(section_key, values, &name, &value);
                if (r < 0)
                        return r;
                if (strv_contains(known, name) || (properties && !strv_contains(properties, name)))
                        continue;
                if (flags & UNIT_DUMP_VALUE_ONLY)
                        fprintf(f, "%s\n", value);
                else
                        fprintf(f, "%s=%s\n", name, value);
        }
        return 0;
}

int unit_dump(Unit *u, char *const *properties, UnitDumpFlags flags, FILE *f) {
        u = unit_follow_merge(u);
        for (size_t i = 0; i < ELEMENTSOF(unit_properties); i++) {
                const Property *p = property_at(i);
                const char *name = property_name(p);
                _cleanup_strv_free_ char **words = NULL;
                _cleanup_free_ char *value = NULL;

                if (!property_applies(p, u->type))
                        continue;
                if (properties && !strv_contains(properties, name))
                        continue;
                if (p->get(u, p->data, &words) < 0)
                        return -ENOMEM;
                if (p->get == get_exec) {
                        /* one line per command, as systemctl prints arrays of structs; none
                         * when there is no command, even with -p */
                        STRV_FOREACH(c, words)
                                fprintf(f, "%s%s%s\n", flags & UNIT_DUMP_VALUE_ONLY ? "" : name,
                                        flags & UNIT_DUMP_VALUE_ONLY ? "" : "=", *c);
                        continue;
                }
                value = strv_join(words, " ");
                if (!value)
                        return -ENOMEM;
                if (isempty(value) && !(flags & UNIT_DUMP_SHOW_EMPTY))
                        continue;
                if (flags & UNIT_DUMP_VALUE_ONLY)
                        fprintf(f, "%s\n", value);
                else
                        fprintf(f, "%s=%s\n", name, value);
        }
        return dump_other_settings(u, properties, flags, f);
}

int unit_dump_property_names(UnitType t, char ***ret) {
        char **l = NULL;

        for (size_t i = 0; i < ELEMENTSOF(unit_properties); i++)
                if (property_applies(property_at(i), t) && strv_extend(&l, property_name(property_at(i))) < 0)
                        return -ENOMEM;
        *ret = l;
        return 0;
}
