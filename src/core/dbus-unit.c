/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-unit.c: org.freedesktop.systemd1.Unit (dbus-unit.h). Properties in systemd 252's order
 * (systemctl show prints them in the order GetAll returns them), methods that queue jobs,
 * kill and reset, the fallback find callback that loads units on demand, and the getters the
 * per-type interfaces share.
 */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "condition.h"
#include "dbus-job.h"
#include "dbus-unit.h"
#include "manager-sysbus.h"
#include "fd-util.h"
#include "manager-bus.h"
#include "job.h"
#include "manager.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"
#include "unit-file-state.h"
#include "unit-name.h"

/* ---- small helpers ---- */

int bus_append_usec(BusMessage *reply, usec_t t) {
        return bus_message_append_basic(reply, 't', &t);
}

int bus_append_string(BusMessage *reply, const char *s) {
        return bus_message_append_basic(reply, 's', s ? s : "");
}

int bus_append_bool(BusMessage *reply, bool b) {
        int v = b;
        return bus_message_append_basic(reply, 'b', &v);
}

int bus_append_u32(BusMessage *reply, uint32_t v) {
        return bus_message_append_basic(reply, 'u', &v);
}

int bus_append_i32(BusMessage *reply, int32_t v) {
        return bus_message_append_basic(reply, 'i', &v);
}

usec_t bus_unit_setting_usec(const Unit *u, const char *key, usec_t def) {
        const char *v = unit_setting_last(u, key);
        usec_t t;

        if (!v || parse_sec(v, &t) < 0)
                return def;
        return t;
}

bool bus_unit_setting_bool(const Unit *u, const char *key, bool def) {
        const char *v = unit_setting_last(u, key);
        int b;

        if (!v || (b = parse_boolean(v)) < 0)
                return def;
        return b;
}

const char *bus_unit_section(const Unit *u) {
        return unit_type_to_capitalized_string(u->type);
}

/* ---- fixed values ---- */

int bus_prop_empty_string(BUS_GETTER_ARGS) {
        return bus_append_string(reply, "");
}
int bus_prop_false(BUS_GETTER_ARGS) {
        return bus_append_bool(reply, false);
}
int bus_prop_true(BUS_GETTER_ARGS) {
        return bus_append_bool(reply, true);
}
int bus_prop_zero_u(BUS_GETTER_ARGS) {
        return bus_append_u32(reply, 0);
}
int bus_prop_zero_i(BUS_GETTER_ARGS) {
        return bus_append_i32(reply, 0);
}
int bus_prop_zero_t(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, 0);
}
int bus_prop_max_t(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, UINT64_MAX);
}

static int empty_container(BusMessage *reply, char type, const char *contents) {
        int r = bus_message_open_container(reply, type, contents);
        return r < 0 ? r : bus_message_close_container(reply);
}

#define EMPTY_ARRAY_GETTER(name, contents)                      \
        int name(BUS_GETTER_ARGS) {                             \
                return empty_container(reply, 'a', contents);   \
        }
EMPTY_ARRAY_GETTER(bus_prop_empty_as, "s")
EMPTY_ARRAY_GETTER(bus_prop_empty_ay, "y")
EMPTY_ARRAY_GETTER(bus_prop_empty_aay, "ay")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_ss, "(ss)")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_sb, "(sb)")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_st, "(st)")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_sst, "(sst)")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_ssbt, "(ssbt)")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_say, "(say)")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_iayu, "(iayu)")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_iiqq, "(iiqq)")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_sba_ss, "(sba(ss))")
EMPTY_ARRAY_GETTER(bus_prop_empty_a_ssba_ss, "(ssba(ss))")

int bus_prop_bas_empty(BUS_GETTER_ARGS) {
        return bus_message_append(reply, "(bas)", false, 0);
}
int bus_prop_bs_empty(BUS_GETTER_ARGS) {
        return bus_message_append(reply, "(bs)", false, "");
}
int bus_prop_aiai_empty(BUS_GETTER_ARGS) {
        return bus_message_append(reply, "(aiai)", 0, 0);
}

/* ---- Unit properties ---- */

#define UNIT_OF(userdata) ((Unit *) (userdata))

static int get_id(BUS_GETTER_ARGS) {
        return bus_append_string(reply, UNIT_OF(userdata)->id);
}

static int get_names(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        char *n;
        int r;

        r = bus_message_open_container(reply, 'a', "s");
        if (r >= 0)
                r = bus_append_string(reply, u->id);
        ORDERED_SET_FOREACH(n, u->names)
                if (r >= 0 && !streq(n, u->id))
                        r = bus_append_string(reply, n);
        return r < 0 ? r : bus_message_close_container(reply);
}

static int append_dependency(BusMessage *reply, Unit *u, UnitDependency d) {
        Unit *o;
        int r;

        r = bus_message_open_container(reply, 'a', "s");
        UNIT_FOREACH_DEPENDENCY(o, u, d)
                if (r >= 0)
                        r = bus_append_string(reply, o->id);
        return r < 0 ? r : bus_message_close_container(reply);
}

/* The dependency kind is the property name. */
static int get_dependency(BUS_GETTER_ARGS) {
        UnitDependency d = unit_dependency_from_string(property);

        if (d < 0)
                return empty_container(reply, 'a', "s");
        return append_dependency(reply, userdata, d);
}

static int get_requires_mounts_for(BUS_GETTER_ARGS) {
        return bus_message_append_strv(reply, UNIT_OF(userdata)->requires_mounts_for);
}

static int get_documentation(BUS_GETTER_ARGS) {
        return bus_message_append_strv(reply, UNIT_OF(userdata)->documentation);
}

static int get_description(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        return bus_append_string(reply, u->description ?: u->id);
}

static int get_load_state(BUS_GETTER_ARGS) {
        return bus_append_string(reply, unit_load_state_to_string(UNIT_OF(userdata)->load_state));
}

static int get_active_state(BUS_GETTER_ARGS) {
        return bus_append_string(reply, unit_active_state_to_string(unit_active_state(userdata)));
}

static int get_freezer_state(BUS_GETTER_ARGS) {
        return bus_append_string(reply, "running");
}

static int get_sub_state(BUS_GETTER_ARGS) {
        return bus_append_string(reply, unit_sub_state_to_string(userdata));
}

static int get_fragment_path(BUS_GETTER_ARGS) {
        return bus_append_string(reply, UNIT_OF(userdata)->fragment_path);
}

static int get_source_path(BUS_GETTER_ARGS) {
        return bus_append_string(reply, UNIT_OF(userdata)->source_path);
}

static int get_dropin_paths(BUS_GETTER_ARGS) {
        return bus_message_append_strv(reply, UNIT_OF(userdata)->dropin_paths);
}

static int get_unit_file_state(BUS_GETTER_ARGS) {
        return bus_append_string(reply, unit_file_state(userdata));
}

/* UnitFilePreset: the first matching line of the *.preset files (sorted by file name over
 * /etc, /run, /usr/lib; earlier directories shadow files of the same name), "enabled" when
 * nothing matches, as systemd's preset logic for the system manager. */
static const char *preset_dirs[] = {
        "/etc/systemd/system-preset", "/run/systemd/system-preset",
        "/usr/local/lib/systemd/system-preset", "/usr/lib/systemd/system-preset",
};

static int preset_files(char ***ret) {
        _cleanup_strv_free_ char **names = NULL, **paths = NULL;

        for (size_t i = 0; i < ELEMENTSOF(preset_dirs); i++) {
                DIR *d = opendir(preset_dirs[i]);
                struct dirent *de;

                if (!d)
                        continue;
                while ((de = readdir(d))) {
                        if (!endswith(de->d_name, ".preset") || strv_contains(names, de->d_name))
                                continue;
                        char *p = strjoin(preset_dirs[i], "/", de->d_name);
                        if (!p || strv_consume(&paths, p) < 0 || strv_extend(&names, de->d_name) < 0) {
                                closedir(d);
                                return -ENOMEM;
                        }
                }
                closedir(d);
        }
        /* sort paths by file name */
        size_t n = strv_length(paths);
        for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && strcmp(strrchr(paths[j - 1], '/'), strrchr(paths[j], '/')) > 0; j--) {
                        char *t = paths[j];
                        paths[j] = paths[j - 1];
                        paths[j - 1] = t;
                }
        *ret = TAKE_PTR(paths);
        return 0;
}

static const char *unit_preset(const Unit *u) {
        _cleanup_strv_free_ char **files = NULL;

        if (!u->fragment_path || preset_files(&files) < 0)
                return "";
        STRV_FOREACH(f, files) {
                _cleanup_fclose_ FILE *file = fopen(*f, "re");
                char line[2048];

                if (!file)
                        continue;
                while (fgets(line, sizeof line, file)) {
                        char *l = strstrip(line), *verb, *pattern;

                        if (!*l || strchr("#;", *l))
                                continue;
                        verb = l;
                        pattern = verb + strcspn(verb, WHITESPACE);
                        if (!*pattern)
                                continue;
                        *pattern++ = 0;
                        pattern += strspn(pattern, WHITESPACE);
                        pattern[strcspn(pattern, WHITESPACE)] = 0;
                        if (fnmatch(pattern, u->id, 0) != 0)
                                continue;
                        if (streq(verb, "enable"))
                                return "enabled";
                        if (streq(verb, "disable"))
                                return "disabled";
                        if (streq(verb, "ignore"))
                                return "ignored";
                }
        }
        return "enabled";
}

static int get_unit_file_preset(BUS_GETTER_ARGS) {
        return bus_append_string(reply, unit_preset(userdata));
}

/* Dual timestamps: userdata points at the DualTimestamp (offset into the object). */
static int get_dual_realtime(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, ((DualTimestamp *) userdata)->realtime);
}

static int get_dual_monotonic(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, ((DualTimestamp *) userdata)->monotonic);
}

#define DUAL_TIMESTAMP(name, off, flags)                                                  \
        BUS_PROPERTY(name, "t", get_dual_realtime, off, flags),                           \
        BUS_PROPERTY(name "Monotonic", "t", get_dual_monotonic, off, flags)

static int get_transient(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        return bus_append_bool(reply, u->transient);
}

static int get_can_start(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        return bus_append_bool(reply, unit_can_start(u) && !u->rt.refuse_manual_start);
}

static int get_can_stop(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        return bus_append_bool(reply, unit_can_stop(u) && !u->rt.refuse_manual_stop);
}

static int get_can_reload(BUS_GETTER_ARGS) {
        return bus_append_bool(reply, unit_can_reload(userdata));
}

static int get_can_isolate(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        return bus_append_bool(reply, unit_can_isolate(u) && !u->rt.refuse_manual_start);
}

static int get_can_freeze(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        return bus_append_bool(reply, IN_SET(u->type, UNIT_SERVICE, UNIT_SCOPE) &&
                                              manager_has_cgroup(u->manager));
}

static int get_job(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        _cleanup_free_ char *p = NULL;

        if (!u->job)
                return bus_message_append(reply, "(uo)", 0, "/");
        p = job_dbus_path(u->job);
        if (!p)
                return -ENOMEM;
        return bus_message_append(reply, "(uo)", u->job->id, p);
}

static int get_rt_bool(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        bool b = false;

        if (streq(property, "StopWhenUnneeded"))
                b = u->rt.stop_when_unneeded;
        else if (streq(property, "RefuseManualStart"))
                b = u->rt.refuse_manual_start;
        else if (streq(property, "RefuseManualStop"))
                b = u->rt.refuse_manual_stop;
        else if (streq(property, "AllowIsolate"))
                b = u->rt.allow_isolate;
        else if (streq(property, "IgnoreOnIsolate"))
                b = u->rt.ignore_on_isolate;
        else if (streq(property, "DefaultDependencies"))
                b = u->default_dependencies;
        else if (streq(property, "Perpetual"))
                b = u->perpetual;
        else if (streq(property, "ConditionResult"))
                b = u->condition_result;
        else if (streq(property, "AssertResult"))
                b = u->assert_result;
        return bus_append_bool(reply, b);
}

static int get_job_mode(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        JobMode mode = streq(property, "OnFailureJobMode") ? u->rt.on_failure_job_mode
                                                          : u->rt.on_success_job_mode;
        return bus_append_string(reply, job_mode_to_string(mode));
}

/* Whether the unit's files changed since they were loaded. */
static bool unit_need_daemon_reload(Unit *u) {
        struct stat st;

        if (u->fragment_path) {
                if (stat(u->fragment_path, &st) < 0)
                        return u->fragment_mtime > 0;
                if (timespec_load(&st.st_mtim) != u->fragment_mtime)
                        return true;
        }
        if (u->source_path && stat(u->source_path, &st) < 0)
                return true;
        STRV_FOREACH(d, u->dropin_paths)
                if (stat(*d, &st) < 0 ||
                    (u->fragment_mtime > 0 && timespec_load(&st.st_mtim) > u->fragment_mtime &&
                     timespec_load(&st.st_mtim) > u->manager->timestamps[MANAGER_TIMESTAMP_UNITS_LOAD_FINISH].realtime))
                        return true;
        return false;
}

static int get_need_daemon_reload(BUS_GETTER_ARGS) {
        return bus_append_bool(reply, unit_need_daemon_reload(userdata));
}

static int get_usec_field(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, *(usec_t *) userdata);
}

static int get_u32_field(BUS_GETTER_ARGS) {
        return bus_append_u32(reply, *(unsigned *) userdata);
}

static int get_emergency_action(BUS_GETTER_ARGS) {
        return bus_append_string(reply, emergency_action_to_string(*(EmergencyAction *) userdata));
}

static int get_string_ptr(BUS_GETTER_ARGS) {
        return bus_append_string(reply, *(char **) userdata);
}

static int get_unit_setting_string(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        _cleanup_free_ char *key = strjoin("Unit.", property);
        if (!key)
                return -ENOMEM;
        return bus_append_string(reply, unit_setting_last(u, key));
}

/* Conditions/Asserts a(sbbsi): name, trigger ("|"), negate ("!"), parameter, state (0 not
 * tested yet, 1 passed, -1 failed), as condition.c built them when loading. */
static int append_conditions(BusMessage *reply, Unit *u, bool asserts) {
        const Condition *list = asserts ? u->asserts : u->conditions;
        size_t n = asserts ? u->n_asserts : u->n_conditions;
        int r;

        r = bus_message_open_container(reply, 'a', "(sbbsi)");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                const Condition *c = &list[i];

                r = bus_message_append(reply, "(sbbsi)",
                                       asserts ? assert_type_to_string(c->type) : condition_type_to_string(c->type),
                                       c->trigger, c->negate, c->parameter ? c->parameter : "",
                                       condition_dbus_state(c));
        }
        return r < 0 ? r : bus_message_close_container(reply);
}

static int get_conditions(BUS_GETTER_ARGS) {
        return append_conditions(reply, userdata, streq(property, "Asserts"));
}

static int load_error_message(Unit *u, char **ret) {
        char *s = NULL;

        switch (u->load_state) {
        case UNIT_NOT_FOUND:
                s = strjoin("Unit ", u->id, " not found.");
                break;
        case UNIT_MASKED:
                s = strjoin("Unit ", u->id, " is masked.");
                break;
        case UNIT_BAD_SETTING:
                s = strjoin("Unit ", u->id, " has a bad unit file setting.");
                break;
        default:
                s = strjoin("Unit ", u->id,
                            " failed to load properly, please adjust/correct and reload service manager: ",
                            strerror(u->load_error < 0 ? -u->load_error : EIO));
        }
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

static int get_load_error(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        const char *name = unit_load_error_name(u);
        _cleanup_free_ char *msg = NULL;
        int r;

        if (!name)
                return bus_message_append(reply, "(ss)", "", "");
        r = load_error_message(u, &msg);
        if (r < 0)
                return r;
        return bus_message_append(reply, "(ss)", name, msg);
}

static int get_exit_status(BUS_GETTER_ARGS) {
        return bus_append_i32(reply, *(int *) userdata);
}

static int get_invocation_id(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        bool set = unit_has_invocation_id(u);
        int r;

        r = bus_message_open_container(reply, 'a', "y");
        for (size_t i = 0; set && r >= 0 && i < sizeof u->invocation_id; i++)
                r = bus_message_append_basic(reply, 'y', &u->invocation_id[i]);
        return r < 0 ? r : bus_message_close_container(reply);
}

static int get_collect_mode(BUS_GETTER_ARGS) {
        return bus_append_string(reply, collect_mode_to_string(UNIT_OF(userdata)->rt.collect_mode));
}

/* ---- Unit methods ---- */

int bus_unit_validate_load_state(Unit *u, BusError *error) {
        _cleanup_free_ char *msg = NULL;

        switch (u->load_state) {
        case UNIT_LOADED:
                return 0;
        case UNIT_NOT_FOUND:
                return bus_error_setf(error, "org.freedesktop.systemd1.NoSuchUnit", "Unit %s not found.", u->id);
        case UNIT_BAD_SETTING:
                return bus_error_setf(error, "org.freedesktop.systemd1.BadUnitSetting",
                                      "Unit %s has a bad unit file setting.", u->id);
        case UNIT_ERROR:
                if (load_error_message(u, &msg) < 0)
                        return -ENOMEM;
                return bus_error_set_errnof(error, u->load_error < 0 ? u->load_error : -EIO, "%s", msg);
        case UNIT_MASKED:
                return bus_error_setf(error, "org.freedesktop.systemd1.UnitMasked", "Unit %s is masked.", u->id);
        default:
                return bus_error_setf(error, "org.freedesktop.systemd1.NoSuchUnit",
                                      "Unexpected load state of unit %s", u->id);
        }
}

char *bus_unit_path(const Unit *u) {
        return unit_dbus_path_from_name(u->id);
}

static int queue_job_checks(Unit *u, JobType type, BusError *error) {
        if (type == JOB_STOP && IN_SET(u->load_state, UNIT_NOT_FOUND, UNIT_ERROR, UNIT_BAD_SETTING) &&
            unit_active_state(u) == UNIT_INACTIVE)
                return bus_error_setf(error, "org.freedesktop.systemd1.NoSuchUnit", "Unit %s not loaded.", u->id);
        if ((type == JOB_START && u->rt.refuse_manual_start) ||
            (type == JOB_STOP && u->rt.refuse_manual_stop) ||
            (IN_SET(type, JOB_RESTART, JOB_TRY_RESTART) &&
             (u->rt.refuse_manual_start || u->rt.refuse_manual_stop)) ||
            (type == JOB_RELOAD_OR_START &&
             job_type_collapse(type, unit_active_state(u)) == JOB_START && u->rt.refuse_manual_start))
                return bus_error_setf(error, "org.freedesktop.systemd1.OnlyByDependency",
                                      "Operation refused, unit %s may be requested by dependency only (it is configured to refuse manual start/stop).",
                                      u->id);
        return 0;
}

/* Reply "o" (verbose = false) or "uososa(uosos)" for EnqueueJob/EnqueueUnitJob. */
static int queue_job_full(Bus *bus, BusMessage *message, Unit *u, JobType type, JobMode mode,
                          bool verbose, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        _cleanup_(ordered_set_freep) OrderedSet *affected = NULL;
        _cleanup_free_ char *job_path = NULL, *unit_path = NULL;
        Job *j, *a;
        int r;

        r = queue_job_checks(u, type, error);
        if (r < 0)
                return r;
        if (verbose) {
                affected = ordered_set_new(&trivial_hash_ops);
                if (!affected)
                        return -ENOMEM;
        }
        r = manager_add_job(u->manager, type, u, mode, affected, error, &j);
        if (r < 0)
                return r;
        manager_sysbus_track_job(u->manager, bus, message, j);
        /* JobNew goes out before the reply, as systemd does. */
        if (!j->sent_dbus_new_signal)
                bus_job_send_new_signal(j);
        job_path = job_dbus_path(j);
        if (!job_path)
                return -ENOMEM;
        r = bus_message_new_method_return(message, &reply);
        if (r < 0)
                return r;
        if (!verbose) {
                r = bus_message_append(reply, "o", job_path);
                return r < 0 ? r : bus_reply_message(bus, message, reply);
        }
        unit_path = bus_unit_path(j->unit);
        if (!unit_path)
                return -ENOMEM;
        r = bus_message_append(reply, "uosos", j->id, job_path, j->unit->id, unit_path,
                               job_type_to_string(j->type));
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "(uosos)");
        ORDERED_SET_FOREACH(a, affected) {
                _cleanup_free_ char *jp = NULL, *up = NULL;

                if (r < 0 || a->id == j->id)
                        continue;
                jp = job_dbus_path(a);
                up = bus_unit_path(a->unit);
                if (!jp || !up)
                        return -ENOMEM;
                r = bus_message_append(reply, "(uosos)", a->id, jp, a->unit->id, up,
                                       job_type_to_string(a->type));
        }
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r < 0 ? r : bus_reply_message(bus, message, reply);
}

int bus_unit_queue_job(Bus *bus, BusMessage *message, Unit *u, JobType type, const char *smode,
                       BusError *error) {
        JobMode mode = job_mode_from_string(smode);

        if (mode < 0)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Job mode %s invalid", smode);
        return queue_job_full(bus, message, u, type, mode, false, error);
}

/* Unit.Start(s mode) & co.: the member name says which job. */
static int method_start_generic(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        Unit *u = userdata;
        const char *smode;
        JobType type;
        int r;

        r = bus_message_read(message, "s", &smode);
        if (r < 0)
                return r;
        if (streq(member, "Start"))
                type = JOB_START;
        else if (streq(member, "Stop"))
                type = JOB_STOP;
        else if (streq(member, "Reload"))
                type = JOB_RELOAD;
        else if (streq(member, "Restart"))
                type = JOB_RESTART;
        else if (streq(member, "TryRestart"))
                type = JOB_TRY_RESTART;
        else if (streq(member, "ReloadOrRestart"))
                type = unit_can_reload(u) ? JOB_RELOAD_OR_START : JOB_RESTART;
        else
                type = unit_can_reload(u) ? JOB_TRY_RELOAD : JOB_TRY_RESTART;
        return bus_unit_queue_job(bus, message, u, type, smode, error);
}

int bus_unit_method_enqueue_job(Bus *bus, BusMessage *message, Unit *u, BusError *error) {
        const char *stype, *smode;
        JobType type;
        JobMode mode;
        int r;

        r = bus_message_read(message, "ss", &stype, &smode);
        if (r < 0)
                return r;
        type = job_type_from_string(stype);
        if (type < 0)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Job type %s invalid", stype);
        mode = job_mode_from_string(smode);
        if (mode < 0)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Job mode %s invalid", smode);
        return queue_job_full(bus, message, u, type, mode, true, error);
}

static int method_enqueue_job(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        return bus_unit_method_enqueue_job(bus, message, userdata, error);
}

int bus_unit_method_kill(Bus *bus, BusMessage *message, Unit *u, const char *swho, int32_t signo,
                         BusError *error) {
        KillWho who = KILL_ALL;
        int r;

        if (!isempty(swho)) {
                who = kill_who_from_string(swho);
                if (who < 0)
                        return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Invalid who argument %s", swho);
        }
        if (signo <= 0 || signo >= _NSIG)
                return bus_error_set(error, BUS_ERROR_INVALID_ARGS, "Signal number out of range.");
        r = unit_kill(u, who, signo, error);
        if (r < 0)
                return r;
        return bus_reply(bus, message, NULL);
}

static int method_kill(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *swho;
        int32_t signo;
        int r;

        r = bus_message_read(message, "si", &swho, &signo);
        if (r < 0)
                return r;
        return bus_unit_method_kill(bus, message, userdata, swho, signo, error);
}

int bus_unit_method_reset_failed(Bus *bus, BusMessage *message, Unit *u, BusError *error) {
        unit_reset_failed(u);
        return bus_reply(bus, message, NULL);
}

static int method_reset_failed(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        return bus_unit_method_reset_failed(bus, message, userdata, error);
}

int bus_unit_method_ref(Bus *bus, BusMessage *message, Unit *u, bool ref, BusError *error) {
        if (ref)
                u->ref_count_bus++;
        else {
                if (u->ref_count_bus == 0)
                        return bus_error_setf(error, "org.freedesktop.systemd1.NotReferenced",
                                              "Unit has not been referenced yet.");
                if (--u->ref_count_bus == 0)
                        unit_add_to_gc_queue(u);
        }
        return bus_reply(bus, message, NULL);
}

static int method_ref(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        return bus_unit_method_ref(bus, message, userdata, streq(member, "Ref"), error);
}

static int method_not_supported(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        return bus_error_setf(error, BUS_ERROR_NOT_SUPPORTED, "Not supported by sysmaster yet.");
}

#define DEP(name) BUS_PROPERTY(name, "as", get_dependency, 0, BUS_VTABLE_PROPERTY_EMITS_INVALIDATION)
#define RT(f) offsetof(Unit, rt.f)
#define CONST BUS_VTABLE_PROPERTY_CONST
#define CHANGE BUS_VTABLE_PROPERTY_EMITS_CHANGE

const BusVtable bus_unit_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_PROPERTY("Id", "s", get_id, 0, 0),
        BUS_PROPERTY("Names", "as", get_names, 0, 0),
        BUS_PROPERTY("Following", "s", bus_prop_empty_string, 0, BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        DEP("Requires"), DEP("Requisite"), DEP("Wants"), DEP("BindsTo"), DEP("PartOf"),
        DEP("Upholds"), DEP("RequiredBy"), DEP("RequisiteOf"), DEP("WantedBy"), DEP("BoundBy"),
        DEP("UpheldBy"), DEP("ConsistsOf"), DEP("Conflicts"), DEP("ConflictedBy"), DEP("Before"),
        DEP("After"), DEP("OnSuccess"), DEP("OnSuccessOf"), DEP("OnFailure"), DEP("OnFailureOf"),
        DEP("Triggers"), DEP("TriggeredBy"), DEP("PropagatesReloadTo"), DEP("ReloadPropagatedFrom"),
        DEP("PropagatesStopTo"), DEP("StopPropagatedFrom"), DEP("JoinsNamespaceOf"), DEP("SliceOf"),
        BUS_PROPERTY("RequiresMountsFor", "as", get_requires_mounts_for, 0, CONST),
        BUS_PROPERTY("Documentation", "as", get_documentation, 0, CONST),
        BUS_PROPERTY("Description", "s", get_description, 0, CHANGE),
        BUS_PROPERTY("AccessSELinuxContext", "s", bus_prop_empty_string, 0, CONST),
        BUS_PROPERTY("LoadState", "s", get_load_state, 0, CHANGE),
        BUS_PROPERTY("ActiveState", "s", get_active_state, 0, CHANGE),
        BUS_PROPERTY("FreezerState", "s", get_freezer_state, 0, CHANGE),
        BUS_PROPERTY("SubState", "s", get_sub_state, 0, CHANGE),
        BUS_PROPERTY("FragmentPath", "s", get_fragment_path, 0, CONST),
        BUS_PROPERTY("SourcePath", "s", get_source_path, 0, CONST),
        BUS_PROPERTY("DropInPaths", "as", get_dropin_paths, 0, CONST),
        BUS_PROPERTY("UnitFileState", "s", get_unit_file_state, 0, 0),
        BUS_PROPERTY("UnitFilePreset", "s", get_unit_file_preset, 0, 0),
        DUAL_TIMESTAMP("StateChangeTimestamp", offsetof(Unit, state_change_timestamp), CHANGE),
        DUAL_TIMESTAMP("InactiveExitTimestamp", offsetof(Unit, inactive_exit_timestamp), CHANGE),
        DUAL_TIMESTAMP("ActiveEnterTimestamp", offsetof(Unit, active_enter_timestamp), CHANGE),
        DUAL_TIMESTAMP("ActiveExitTimestamp", offsetof(Unit, active_exit_timestamp), CHANGE),
        DUAL_TIMESTAMP("InactiveEnterTimestamp", offsetof(Unit, inactive_enter_timestamp), CHANGE),
        BUS_PROPERTY("CanStart", "b", get_can_start, 0, CONST),
        BUS_PROPERTY("CanStop", "b", get_can_stop, 0, CONST),
        BUS_PROPERTY("CanReload", "b", get_can_reload, 0, CONST),
        BUS_PROPERTY("CanIsolate", "b", get_can_isolate, 0, CONST),
        BUS_PROPERTY("CanClean", "as", bus_prop_empty_as, 0, CONST),
        BUS_PROPERTY("CanFreeze", "b", get_can_freeze, 0, CONST),
        BUS_PROPERTY("Job", "(uo)", get_job, 0, CHANGE),
        BUS_PROPERTY("StopWhenUnneeded", "b", get_rt_bool, 0, CONST),
        BUS_PROPERTY("RefuseManualStart", "b", get_rt_bool, 0, CONST),
        BUS_PROPERTY("RefuseManualStop", "b", get_rt_bool, 0, CONST),
        BUS_PROPERTY("AllowIsolate", "b", get_rt_bool, 0, CONST),
        BUS_PROPERTY("DefaultDependencies", "b", get_rt_bool, 0, CONST),
        BUS_PROPERTY("OnSuccesJobMode", "s", get_job_mode, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("OnSuccessJobMode", "s", get_job_mode, 0, CONST),
        BUS_PROPERTY("OnFailureJobMode", "s", get_job_mode, 0, CONST),
        BUS_PROPERTY("IgnoreOnIsolate", "b", get_rt_bool, 0, CONST),
        BUS_PROPERTY("NeedDaemonReload", "b", get_need_daemon_reload, 0, 0),
        BUS_PROPERTY("Markers", "as", bus_prop_empty_as, 0, CHANGE),
        BUS_PROPERTY("JobTimeoutUSec", "t", get_usec_field, RT(job_timeout), CONST),
        BUS_PROPERTY("JobRunningTimeoutUSec", "t", get_usec_field, RT(job_running_timeout), CONST),
        BUS_PROPERTY("JobTimeoutAction", "s", get_emergency_action, RT(job_timeout_action), CONST),
        BUS_PROPERTY("JobTimeoutRebootArgument", "s", get_string_ptr, RT(job_timeout_reboot_argument), CONST),
        BUS_PROPERTY("ConditionResult", "b", get_rt_bool, 0, CHANGE),
        BUS_PROPERTY("AssertResult", "b", get_rt_bool, 0, CHANGE),
        DUAL_TIMESTAMP("ConditionTimestamp", offsetof(Unit, condition_timestamp), CHANGE),
        DUAL_TIMESTAMP("AssertTimestamp", offsetof(Unit, assert_timestamp), CHANGE),
        BUS_PROPERTY("Conditions", "a(sbbsi)", get_conditions, 0, BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        BUS_PROPERTY("Asserts", "a(sbbsi)", get_conditions, 0, BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
        BUS_PROPERTY("LoadError", "(ss)", get_load_error, 0, CONST),
        BUS_PROPERTY("Transient", "b", get_transient, 0, CONST),
        BUS_PROPERTY("Perpetual", "b", get_rt_bool, 0, CONST),
        BUS_PROPERTY("StartLimitIntervalUSec", "t", get_usec_field, RT(start_limit_interval), CONST),
        BUS_PROPERTY("StartLimitBurst", "u", get_u32_field, RT(start_limit_burst), CONST),
        BUS_PROPERTY("StartLimitAction", "s", get_emergency_action, RT(start_limit_action), CONST),
        BUS_PROPERTY("FailureAction", "s", get_emergency_action, RT(failure_action), CONST),
        BUS_PROPERTY("FailureActionExitStatus", "i", get_exit_status, RT(failure_action_exit_status), CONST),
        BUS_PROPERTY("SuccessAction", "s", get_emergency_action, RT(success_action), CONST),
        BUS_PROPERTY("SuccessActionExitStatus", "i", get_exit_status, RT(success_action_exit_status), CONST),
        BUS_PROPERTY("RebootArgument", "s", get_unit_setting_string, 0, CONST),
        BUS_PROPERTY("InvocationID", "ay", get_invocation_id, 0, CHANGE),
        BUS_PROPERTY("CollectMode", "s", get_collect_mode, 0, CONST),
        BUS_PROPERTY("Refs", "as", bus_prop_empty_as, 0, 0),
        BUS_PROPERTY("ActivationDetails", "a(ss)", bus_prop_empty_a_ss, 0, CHANGE),
        BUS_METHOD_WITH_NAMES("Start", "s", "o", "mode\0job\0", method_start_generic, 0),
        BUS_METHOD_WITH_NAMES("Stop", "s", "o", "mode\0job\0", method_start_generic, 0),
        BUS_METHOD_WITH_NAMES("Reload", "s", "o", "mode\0job\0", method_start_generic, 0),
        BUS_METHOD_WITH_NAMES("Restart", "s", "o", "mode\0job\0", method_start_generic, 0),
        BUS_METHOD_WITH_NAMES("TryRestart", "s", "o", "mode\0job\0", method_start_generic, 0),
        BUS_METHOD_WITH_NAMES("ReloadOrRestart", "s", "o", "mode\0job\0", method_start_generic, 0),
        BUS_METHOD_WITH_NAMES("ReloadOrTryRestart", "s", "o", "mode\0job\0", method_start_generic, 0),
        BUS_METHOD_WITH_NAMES("EnqueueJob", "ss", "uososa(uosos)",
                              "job_type\0job_mode\0job_id\0job_path\0unit_id\0unit_path\0job_type\0affected_jobs\0",
                              method_enqueue_job, 0),
        BUS_METHOD_WITH_NAMES("Kill", "si", "", "whom\0signal\0", method_kill, 0),
        BUS_METHOD("ResetFailed", "", "", method_reset_failed, 0),
        BUS_METHOD_WITH_NAMES("SetProperties", "ba(sv)", "", "runtime\0properties\0", method_not_supported, 0),
        BUS_METHOD("Ref", "", "", method_ref, 0),
        BUS_METHOD("Unref", "", "", method_ref, 0),
        BUS_METHOD_WITH_NAMES("Clean", "as", "", "mask\0", method_not_supported, 0),
        BUS_METHOD("Freeze", "", "", method_not_supported, 0),
        BUS_METHOD("Thaw", "", "", method_not_supported, 0),
        BUS_PROPERTY("RequiresOverridable", "as", bus_prop_empty_as, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("RequisiteOverridable", "as", bus_prop_empty_as, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("RequiredByOverridable", "as", bus_prop_empty_as, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("RequisiteOfOverridable", "as", bus_prop_empty_as, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("StartLimitInterval", "t", get_usec_field, RT(start_limit_interval), CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("StartLimitIntervalSec", "t", get_usec_field, RT(start_limit_interval), CONST | BUS_VTABLE_HIDDEN),
        BUS_VTABLE_END,
};

/* ---- lookup ---- */

int bus_unit_find_by_path(Manager *m, const char *path, Unit **ret, BusError *error) {
        _cleanup_free_ char *name = NULL;
        Unit *u = NULL;
        int r;

        r = unit_name_from_dbus_path(path, &name);
        if (r < 0)
                return 0;
        if (!unit_name_is_valid(name, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE))
                return 0;
        u = manager_get_unit(m, name);
        if (!u || u->load_state == UNIT_STUB) {
                r = manager_load_unit_for_client(m, name, &u);
                if (r < 0)
                        return r == -ENOMEM ? r : 0;
        }
        *ret = unit_follow_merge(u);
        return 1;
}

static int unit_find(Bus *bus, const char *path, const char *interface, void *userdata,
                     void **found, BusError *error) {
        Unit *u = NULL;
        int r;

        if (streq(path, BUS_UNIT_PREFIX "/self")) {
                /* the unit of the calling process (added by the bus-api module): known from the
                 * peer credentials on a private connection; not on the system bus */
                pid_t pid = 0;

                if (bus == manager_sysbus_get(userdata) ||
                    bus_transport_get_peer_creds(bus_get_transport(bus), &pid, NULL, NULL) < 0 || pid <= 0)
                        return 0;
                u = manager_get_unit_by_pid(userdata, pid);
                if (!u)
                        return 0;
                *found = unit_follow_merge(u);
                return 1;
        }
        r = bus_unit_find_by_path(userdata, path, &u, error);
        if (r <= 0)
                return r;
        *found = u;
        return 1;
}

static int unit_enumerate(Bus *bus, const char *prefix, void *userdata, char ***ret_nodes,
                          BusError *error) {
        _cleanup_strv_free_ char **l = NULL;
        Manager *m = userdata;
        Unit *u = NULL;

        ORDERED_SET_FOREACH(u, m->all_units) {
                char *p;

                if (u->merged_into)
                        continue;
                p = bus_unit_path(u);
                if (!p || strv_consume(&l, p) < 0)
                        return -ENOMEM;
        }
        *ret_nodes = TAKE_PTR(l);
        return 0;
}

int bus_unit_register(Bus *b, Manager *m) {
        int r;

        /* The bus library lists fallbacks of one prefix in reverse order of registration: Unit
         * goes first so that the type interfaces come before it in GetAll, as in systemd. */
        r = bus_add_fallback_vtable(b, NULL, BUS_UNIT_PREFIX, BUS_UNIT_INTERFACE, bus_unit_vtable,
                                    unit_find, m);
        if (r < 0)
                return r;
        r = bus_unit_types_register(b, m);
        if (r < 0)
                return r;
        return bus_add_node_enumerator(b, NULL, BUS_UNIT_PREFIX, unit_enumerate, m);
}
