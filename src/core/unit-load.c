/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit-load.c: implementation of unit-load.h. Per-type rules follow systemd 252's
 * <type>_load()/<type>_add_extras()/<type>_verify(); see spec unit-files.md §4. */

#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "condition.h"
#include "conf-parser.h"
#include "dropin.h"
#include "exec-command.h"
#include "fd-util.h"
#include "load-fragment.h"
#include "log.h"
#include "manager.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "time-base.h"
#include "time-util.h"
#include "unit-load.h"

#define SPECIAL_SYSINIT_TARGET "sysinit.target"
#define SPECIAL_BASIC_TARGET "basic.target"
#define SPECIAL_SHUTDOWN_TARGET "shutdown.target"
#define SPECIAL_SOCKETS_TARGET "sockets.target"
#define SPECIAL_TIMERS_TARGET "timers.target"
#define SPECIAL_PATHS_TARGET "paths.target"
#define SPECIAL_ROOT_SLICE "-.slice"
#define SPECIAL_SYSTEM_SLICE "system.slice"
#define SPECIAL_INIT_SCOPE "init.scope"

/* ---------------------------------------------------------------- fragment and names */

/* Merges every name into u; if a name belongs to a unit that cannot be merged into u, u is
 * merged into that one instead (it is loaded already). *u follows. */
static int merge_by_names(Unit **u, OrderedSet *names, const char *id) {
        char *k;

        while ((k = ordered_set_steal_first(names))) {
                _cleanup_free_ char *name = k;
                Unit *other;
                int r;

                /* A template name stands for the same instance of it. */
                if (unit_name_is_valid(name, UNIT_NAME_TEMPLATE)) {
                        char *inst = NULL;
                        if (!(*u)->instance)
                                return -EINVAL;
                        r = unit_name_replace_instance(name, (*u)->instance, &inst);
                        if (r < 0)
                                return r;
                        free_and_replace_str(&name, inst);
                }
                other = manager_get_unit((*u)->manager, name);

                if (other == *u)
                        r = 0;
                else if (other)
                        r = unit_merge(*u, other);
                else
                        r = unit_add_name(*u, name);
                if (r < 0) {
                        if (!other)
                                return r;
                        r = unit_merge(other, *u);
                        if (r < 0)
                                return r;
                        *u = other;
                        return merge_by_names(u, names, NULL);
                }
                if (id && streq(id, name))
                        unit_choose_id(*u, id);
        }
        return 0;
}

static int unit_load_fragment(Unit *u) {
        _cleanup_(ordered_set_freep) OrderedSet *names = NULL;
        _cleanup_free_ char *free_id = NULL;
        const char *fragment = NULL, *id;
        Manager *m = u->manager;
        Unit *merged = u;
        int r;

        if (u->transient && u->fragment_path) {
                /* a transient unit being created (StartTransientUnit): its file, not the map */
                fragment = u->fragment_path;
        } else {
                if (!m->unit_map.checked) {
                        r = unit_map_update(&m->unit_map, &m->unit_path, false);
                        if (r < 0)
                                return r;
                }
                r = unit_map_find_fragment(&m->unit_map, u->id, &fragment, &names);
                if (r < 0 && r != -ENOENT)
                        return r;
        }

        if (fragment) {
                struct stat st;

                if (stat(fragment, &st) < 0)
                        return log_notice_errno(errno, "%s: Failed to open %s: %m", u->id, fragment);
                r = free_and_strdup(&u->fragment_path, fragment);
                if (r < 0)
                        return r;
                if (m->unit_path.transient && path_startswith(fragment, m->unit_path.transient))
                        u->transient = true;
                if ((S_ISREG(st.st_mode) && st.st_size == 0) || S_ISCHR(st.st_mode)) {
                        u->load_state = u->perpetual ? UNIT_LOADED : UNIT_MASKED;
                        u->fragment_mtime = 0;
                } else {
                        u->load_state = UNIT_LOADED;
                        u->fragment_mtime = timespec_load(&st.st_mtim);
                        r = load_fragment_parse_path(u, fragment, &st);
                        if (r == -ENOEXEC)
                                log_notice_errno(r, "%s: Unit configuration has fatal error, unit will not be started.",
                                                 u->id);
                        if (r < 0)
                                return r;
                }
        }

        id = u->id;
        if (fragment) {
                id = path_basename(fragment);
                if (unit_name_is_valid(id, UNIT_NAME_TEMPLATE)) {
                        r = unit_name_replace_instance(id, u->instance, &free_id);
                        if (r < 0)
                                return r;
                        id = free_id;
                }
        }
        r = merge_by_names(&merged, names, id);
        if (r < 0)
                return r;
        if (merged != u)
                u->load_state = UNIT_MERGED;
        return 0;
}

/* The names of u other than its id (systemd's "aliases" for drop-in lookup). */
static OrderedSet *unit_aliases(const Unit *u) {
        OrderedSet *s = NULL;
        char *n;

        ORDERED_SET_FOREACH(n, u->names)
                if (!streq(n, u->id) && ordered_set_put_strdup(&s, n) < 0)
                        return ordered_set_free(s);
        return s;
}

static void process_deps(Unit *u, const OrderedSet *aliases, UnitDependency d, const char *suffix) {
        _cleanup_strv_free_ char **paths = NULL;
        Manager *m = u->manager;

        if (dropin_find_files(&m->unit_map, m->unit_path.search_path, suffix, NULL, u->id, aliases,
                              &paths) < 0)
                return;
        STRV_FOREACH(p, paths) {
                const char *entry = path_basename(*p);
                struct stat st;
                int r;

                if (null_or_empty_path(*p) > 0) {
                        log_debug("%s: %s dependency on %s is masked by %s, ignoring.", u->id,
                                  unit_dependency_to_string(d), entry, *p);
                        continue;
                }
                if (lstat(*p, &st) < 0) {
                        log_warning_errno(errno, "%s: %s dropin %s unreadable, ignoring: %m", u->id,
                                          unit_dependency_to_string(d), *p);
                        continue;
                }
                if (!S_ISLNK(st.st_mode)) {
                        log_warning("%s: %s dependency dropin %s is not a symlink, ignoring.", u->id,
                                    unit_dependency_to_string(d), *p);
                        continue;
                }
                if (!unit_name_is_valid(entry, UNIT_NAME_ANY)) {
                        log_warning("%s: %s dependency dropin %s is not a valid unit name, ignoring.",
                                    u->id, unit_dependency_to_string(d), *p);
                        continue;
                }
                r = unit_add_dependency_by_name(u, d, entry);
                if (r < 0)
                        log_warning_errno(r, "%s: Cannot add %s dependency on %s, ignoring: %m", u->id,
                                          unit_dependency_to_string(d), entry);
        }
}

static int unit_load_dropin(Unit *u) {
        _cleanup_(ordered_set_freep) OrderedSet *aliases = unit_aliases(u);
        _cleanup_strv_free_ char **files = NULL;
        Manager *m = u->manager;
        int r;

        process_deps(u, aliases, UNIT_WANTS, ".wants");
        process_deps(u, aliases, UNIT_REQUIRES, ".requires");
        process_deps(u, aliases, UNIT_UPHOLDS, ".upholds");

        r = dropin_find_files(&m->unit_map, m->unit_path.search_path, ".d", ".conf", u->id, aliases,
                              &files);
        if (r < 0 || strv_isempty(files))
                return r < 0 ? r : 0;
        r = strv_extend_strv(&u->dropin_paths, files, true);
        if (r < 0)
                return r;
        STRV_FOREACH(f, u->dropin_paths) {
                r = load_fragment_parse_file(u, *f);
                if (r == -ENOEXEC || r == -ENOMEM)
                        return r;
        }
        return 0;
}

/* Note that when u turns out to be an alias of a unit that is loaded already, u is merged into
 * it and that unit's drop-ins are applied once more (systemd 252 does the same). */
static int load_fragment_and_dropin(Unit *u, bool fragment_required) {
        int r;

        r = unit_load_fragment(u);
        if (r < 0)
                return r;
        if (u->load_state == UNIT_STUB) {
                if (fragment_required)
                        return -ENOENT;
                u->load_state = UNIT_LOADED;
        }
        return unit_load_dropin(unit_follow_merge(u));
}

/* Logs why the unit cannot be used and returns -ENOEXEC, which makes it bad-setting. */
_printf_(2, 3) static int refuse(const Unit *u, const char *format, ...) {
        char msg[512];
        va_list ap;

        va_start(ap, format);
        vsnprintf(msg, sizeof msg, format, ap);
        va_end(ap);
        log_error("%s: %s", u->id, msg);
        return -ENOEXEC;
}

/* ---------------------------------------------------------------- implicit dependencies */

/* The mount point of a mount unit: Where=, else derived from the name. */
static char *mount_where(const Unit *u) {
        const char *where = unit_setting_last(u, "Mount.Where");
        char *p = NULL;

        if (where)
                return strdup(where);
        (void) unit_name_to_path(u->id, &p);
        return p;
}

/* Units managed outside the manager's dependency logic stay in the root slice: perpetual
 * units, and mounts of the OS itself and of API file systems (systemd's fstab_is_extrinsic()). */
static bool unit_is_extrinsic(const Unit *u) {
        _cleanup_free_ char *where = NULL;
        const char *options;

        if (u->perpetual)
                return true;
        if (u->type != UNIT_MOUNT)
                return false;
        where = mount_where(u);
        if (!where)
                return false;
        if (path_equal(where, "/") || path_equal(where, "/usr") || path_equal(where, "/etc"))
                return true;
        if (path_startswith(where, "/run/initramfs") || path_startswith(where, "/proc") ||
            path_startswith(where, "/sys") || path_startswith(where, "/dev"))
                return true;
        options = unit_setting_last(u, "Mount.Options");
        return options && strstr(options, "x-initrd.mount");
}

static int add_default_slice(Unit *u) {
        _cleanup_free_ char *prefix = NULL, *escaped = NULL;
        const char *name = SPECIAL_SYSTEM_SLICE;

        if (u->slice)
                return 0;
        if (u->instance) {
                int r = unit_name_to_prefix(u->id, &prefix);
                if (r < 0)
                        return r;
                escaped = unit_name_escape(prefix);
                if (!escaped)
                        return -ENOMEM;
                free(prefix);
                prefix = strjoin("system-", escaped, ".slice");
                if (!prefix)
                        return -ENOMEM;
                name = prefix;
        } else if (unit_is_extrinsic(u))
                name = SPECIAL_ROOT_SLICE;
        u->slice = unit_intern(name);
        return u->slice ? 0 : -ENOMEM;
}

static int add_slice_dependencies(Unit *u) {
        const char *slice = u->slice ?: SPECIAL_ROOT_SLICE;
        int r;

        if (!unit_type_has_cgroup(u->type))
                return 0;
        if (!u->slice && unit_has_name(u, SPECIAL_ROOT_SLICE))
                return 0;
        r = unit_add_two_dependencies_by_name(u, UNIT_AFTER, UNIT_REQUIRES, slice);
        if (r < 0)
                return r;
        /* InSlice/SliceOf: what the Slice property and the slice's SliceOf list show. */
        return unit_add_dependency_by_name(u, UNIT_IN_SLICE, slice);
}

static bool output_is_logging(ExecOutput o) {
        return IN_SET(o, EXEC_OUTPUT_JOURNAL, EXEC_OUTPUT_JOURNAL_AND_CONSOLE, EXEC_OUTPUT_KMSG,
                      EXEC_OUTPUT_KMSG_AND_CONSOLE);
}

/* The directories the execution settings need mounted (systemd's unit_add_exec_dependencies()). */
static int add_exec_mount_requirements(Unit *u) {
        static const char *const prefix[_EXEC_DIRECTORY_TYPE_MAX] = {
                [EXEC_DIRECTORY_RUNTIME] = "/run",     [EXEC_DIRECTORY_STATE] = "/var/lib",
                [EXEC_DIRECTORY_CACHE] = "/var/cache", [EXEC_DIRECTORY_LOGS] = "/var/log",
                [EXEC_DIRECTORY_CONFIGURATION] = "/etc",
        };
        ExecSettings *c = &u->exec;
        int r = 0;

        if (c->working_directory && !c->working_directory_missing_ok)
                r = unit_require_mounts_for(u, c->working_directory);
        if (r >= 0 && c->root_directory)
                r = unit_require_mounts_for(u, c->root_directory);
        if (r >= 0 && c->root_image)
                r = unit_require_mounts_for(u, c->root_image);
        for (size_t t = 0; r >= 0 && t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                STRV_FOREACH(d, c->directories[t]) {
                        _cleanup_free_ char *p = path_join(prefix[t], *d);
                        if (!p)
                                return -ENOMEM;
                        r = unit_require_mounts_for(u, p);
                        if (r < 0)
                                break;
                }
        if (r >= 0 && c->private_tmp)
                r = unit_require_mounts_for(u, "/var/tmp");
        return r == -ENOMEM ? r : 0;
}

static int add_exec_dependencies(Unit *u) {
        ExecSettings *c = &u->exec;
        int r;

        if (c->dynamic_user)
                c->private_tmp = true;
        r = add_exec_mount_requirements(u);
        if (r < 0)
                return r;
        if (!strv_isempty(c->directories[EXEC_DIRECTORY_STATE]) ||
            !strv_isempty(c->directories[EXEC_DIRECTORY_CACHE]) ||
            !strv_isempty(c->directories[EXEC_DIRECTORY_LOGS])) {
                r = unit_add_dependency_by_name(u, UNIT_AFTER, "systemd-remount-fs.service");
                if (r < 0)
                        return r;
        }
        if (c->private_tmp) {
                r = unit_add_two_dependencies_by_name(u, UNIT_AFTER, UNIT_WANTS, "tmp.mount");
                if (r < 0)
                        return r;
                r = unit_add_dependency_by_name(u, UNIT_AFTER, "systemd-tmpfiles-setup.service");
                if (r < 0)
                        return r;
        }
        if (c->root_image) {
                r = unit_add_dependency_by_name(u, UNIT_AFTER, "systemd-udevd.service");
                if (r < 0)
                        return r;
        }
        if (!output_is_logging(c->std_output) && !output_is_logging(c->std_error) && !c->log_namespace)
                return 0;
        if (c->log_namespace) {
                _cleanup_free_ char *a = NULL, *b = NULL;
                r = unit_name_build_from_type("systemd-journald", c->log_namespace, UNIT_SOCKET, &a);
                if (r < 0)
                        return r;
                r = unit_add_two_dependencies_by_name(u, UNIT_AFTER, UNIT_REQUIRES, a);
                if (r < 0)
                        return r;
                r = unit_name_build_from_type("systemd-journald-varlink", c->log_namespace, UNIT_SOCKET, &b);
                if (r < 0)
                        return r;
                return unit_add_two_dependencies_by_name(u, UNIT_AFTER, UNIT_REQUIRES, b);
        }
        return unit_add_dependency_by_name(u, UNIT_AFTER, "systemd-journald.socket");
}

static int add_shutdown_conflict(Unit *u) {
        return unit_add_two_dependencies_by_name(u, UNIT_BEFORE, UNIT_CONFLICTS, SPECIAL_SHUTDOWN_TARGET);
}

/* Sockets, timers and paths are ordered before their collecting target (sockets.target, …)
 * and after sysinit.target, and are stopped at shutdown; calendar timers also wait for the clock. */
static int add_trigger_unit_default_dependencies(Unit *u, const char *target, bool calendar) {
        int r;

        if (!u->default_dependencies)
                return 0;
        r = unit_add_dependency_by_name(u, UNIT_BEFORE, target);
        if (r >= 0)
                r = unit_add_two_dependencies_by_name(u, UNIT_AFTER, UNIT_REQUIRES, SPECIAL_SYSINIT_TARGET);
        if (r >= 0 && calendar) {
                r = unit_add_dependency_by_name(u, UNIT_AFTER, "time-sync.target");
                if (r >= 0)
                        r = unit_add_dependency_by_name(u, UNIT_AFTER, "time-set.target");
        }
        if (r >= 0)
                r = add_shutdown_conflict(u);
        return r;
}

/* Loads the unit named like u with another suffix ("foo.socket" → "foo.service"). */
static int related_unit_name(const Unit *u, const char *suffix, char **ret) {
        return unit_name_change_suffix(u->id, suffix, ret);
}

/* ---------------------------------------------------------------- per type */

static void service_fix_stdio(Unit *u) {
        ExecSettings *c = &u->exec;
        Manager *m = u->manager;

        if (c->std_input == EXEC_INPUT_NULL && c->stdin_data)
                c->std_input = EXEC_INPUT_DATA;
        if (IN_SET(c->std_input, EXEC_INPUT_TTY, EXEC_INPUT_TTY_FORCE, EXEC_INPUT_TTY_FAIL,
                   EXEC_INPUT_SOCKET, EXEC_INPUT_NAMED_FD))
                return;
        if (c->std_error == EXEC_OUTPUT_INHERIT && c->std_output == EXEC_OUTPUT_INHERIT)
                c->std_error = m->default_std_error;
        if (c->std_output == EXEC_OUTPUT_INHERIT)
                c->std_output = m->default_std_output;
}

static int service_verify(Unit *u) {
        ExecCommand *start = u->exec_commands[EXEC_START];
        bool oneshot = u->service_type && streq(u->service_type, "oneshot");
        bool success_action = unit_setting_last(u, "Unit.SuccessAction") != NULL;

        if (!start && !u->exec_commands[EXEC_STOP] && !success_action)
                return refuse(u, "Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.");
        if (!start && u->service_type && !oneshot)
                return refuse(u, "Service has no ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.");
        if (!start && !u->remain_after_exit && !success_action)
                return refuse(u, "Service has no ExecStart= and no SuccessAction= settings and does not have RemainAfterExit=yes set. Refusing.");
        if (start && start->next && !oneshot)
                return refuse(u, "Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.");
        if (u->service_type && streq(u->service_type, "dbus") && !u->bus_name)
                return refuse(u, "Service is of type D-Bus but no D-Bus service name has been specified. Refusing.");
        return 0;
}

static int service_load(Unit *u) {
        int r = load_fragment_and_dropin(u, true);

        if (r < 0 || u->load_state != UNIT_LOADED)
                return r;
        service_fix_stdio(u);
        r = add_exec_dependencies(u);
        if (r >= 0)
                r = add_default_slice(u);
        STRV_FOREACH(s, u->sockets) {
                if (r < 0)
                        break;
                r = unit_add_two_dependencies_by_name(u, UNIT_WANTS, UNIT_AFTER, *s);
                if (r >= 0)
                        r = unit_add_dependency_by_name(u, UNIT_TRIGGERED_BY, *s);
        }
        if (r >= 0 && u->default_dependencies) {
                r = unit_add_two_dependencies_by_name(u, UNIT_AFTER, UNIT_REQUIRES, SPECIAL_SYSINIT_TARGET);
                if (r >= 0)
                        r = unit_add_dependency_by_name(u, UNIT_AFTER, SPECIAL_BASIC_TARGET);
                if (r >= 0)
                        r = add_shutdown_conflict(u);
        }
        if (r >= 0 && u->bus_name && (!u->service_type || streq(u->service_type, "dbus"))) {
                r = unit_add_two_dependencies_by_name(u, UNIT_REQUIRES, UNIT_AFTER, "dbus.socket");
        }
        if (r < 0)
                return r;
        return service_verify(u);
}

static int socket_load(Unit *u) {
        int r = load_fragment_and_dropin(u, true);

        if (r < 0 || u->load_state != UNIT_LOADED)
                return r;
        if (!u->socket_accept) {
                _cleanup_free_ char *name = NULL;
                if (u->trigger_unit)
                        name = strdup(u->trigger_unit);
                else
                        r = related_unit_name(u, ".service", &name);
                if (r < 0 || !name)
                        return r < 0 ? r : -ENOMEM;
                r = unit_add_two_dependencies_by_name(u, UNIT_BEFORE, UNIT_TRIGGERS, name);
                if (r < 0)
                        return r;
        }
        if (u->exec_commands[EXEC_START_PRE] || u->exec_commands[EXEC_START_POST] ||
            u->exec_commands[EXEC_STOP_PRE] || u->exec_commands[EXEC_STOP_POST]) {
                r = add_exec_dependencies(u);
                if (r < 0)
                        return r;
        }
        r = add_default_slice(u);
        if (r < 0)
                return r;
        r = add_trigger_unit_default_dependencies(u, SPECIAL_SOCKETS_TARGET, false);
        if (r < 0)
                return r;
        if (!load_fragment_group_is_set(u, load_fragment_socket_listen_keys))
                return refuse(u, "Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.");
        return 0;
}

static int target_load(Unit *u) {
        int r = load_fragment_and_dropin(u, true);

        if (r < 0 || u->load_state != UNIT_LOADED)
                return r;
        if (!u->default_dependencies)
                return 0;
        /* The After= on the units this target pulls in is added once they are all loaded
         * (unit_add_target_dependencies_of()). */
        manager_enqueue_target_deps(u->manager, u);
        if (unit_has_name(u, SPECIAL_SHUTDOWN_TARGET))
                return 0;
        return add_shutdown_conflict(u);
}

/* Timers and paths trigger Unit= or the service of the same name. */
static int add_trigger_dependencies(Unit *u) {
        _cleanup_free_ char *name = NULL;
        int r;

        if (u->trigger_unit)
                return 0;
        if (unit_has_dependencies(u, UNIT_DEPENDENCY_BIT(UNIT_TRIGGERS)))
                return 0;
        r = related_unit_name(u, ".service", &name);
        if (r < 0)
                return r;
        return unit_add_two_dependencies_by_name(u, UNIT_BEFORE, UNIT_TRIGGERS, name);
}

/* Timers and paths: they trigger Unit= or the service of the same name, are collected by their
 * target, and need at least one trigger setting. */
static int timer_path_load(Unit *u) {
        bool timer = u->type == UNIT_TIMER;
        int r = load_fragment_and_dropin(u, true);

        if (r < 0 || u->load_state != UNIT_LOADED)
                return r;
        r = add_trigger_dependencies(u);
        if (r < 0)
                return r;
        r = add_trigger_unit_default_dependencies(u, timer ? SPECIAL_TIMERS_TARGET : SPECIAL_PATHS_TARGET,
                                                  timer && unit_setting_last(u, "Timer.OnCalendar"));
        if (r < 0)
                return r;
        if (timer && !load_fragment_group_is_set(u, load_fragment_timer_value_keys) &&
            !unit_setting_is_true(u, "Timer.OnClockChange") &&
            !unit_setting_is_true(u, "Timer.OnTimezoneChange"))
                return refuse(u, "Timer unit lacks value setting. Refusing.");
        if (!timer && !load_fragment_group_is_set(u, load_fragment_path_spec_keys))
                return refuse(u, "Path unit lacks path setting. Refusing.");
        return 0;
}

static int slice_load(Unit *u) {
        _cleanup_free_ char *parent = NULL;
        bool special = unit_has_name(u, SPECIAL_ROOT_SLICE) || unit_has_name(u, SPECIAL_SYSTEM_SLICE);
        int r;

        if (special) {
                u->perpetual = true;
                u->default_dependencies = false;
        }
        r = load_fragment_and_dropin(u, false);
        if (r < 0 || u->load_state != UNIT_LOADED)
                return r;
        if (special && !u->description)
                u->description = strdup(unit_has_name(u, SPECIAL_ROOT_SLICE) ? "Root Slice" : "System Slice");
        if (special && !u->documentation)
                (void) strv_extend(&u->documentation, "man:systemd.special(7)");
        r = slice_build_parent_slice(u->id, &parent);
        if (r < 0)
                return refuse(u, "Slice name %s is not valid. Refusing.", u->id);
        if (parent && !u->slice && !(u->slice = unit_intern(parent)))
                return log_oom();
        if (u->default_dependencies) {
                r = add_shutdown_conflict(u);
                if (r < 0)
                        return r;
        }
        if (!u->description) {
                _cleanup_free_ char *path = NULL;
                if (unit_name_to_path(u->id, &path) >= 0)
                        u->description = strjoin("Slice ", path);
        }
        return 0;
}

static int scope_load(Unit *u) {
        if (!unit_has_name(u, SPECIAL_INIT_SCOPE)) {
                /* other scopes exist only transiently: a fragment is required (the one
                 * StartTransientUnit wrote, or after daemon-reload the same file in the
                 * transient directory) */
                int r = load_fragment_and_dropin(u, true);
                if (r < 0 || u->load_state != UNIT_LOADED)
                        return r;
                u->transient = true;
                if (add_default_slice(u) < 0)
                        return -ENOMEM;
                return u->default_dependencies ? add_shutdown_conflict(u) : 0;
        }
        u->perpetual = true;
        u->transient = true; /* systemd makes init.scope a transient unit */
        u->default_dependencies = false;
        u->load_state = UNIT_LOADED;
        if (add_default_slice(u) < 0)
                return -ENOMEM;
        (void) unit_load_dropin(u);
        if (!u->description)
                u->description = strdup("System and Service Manager");
        if (!u->documentation)
                (void) strv_extend(&u->documentation, "man:systemd(1)");
        return 0;
}

/* Whether a comma-separated mount option list has the option (the last of option/negation
 * wins when negation is given, as fstab_test_yes_no_option()). */
static bool mount_option_set(const char *options, const char *yes, const char *no) {
        bool set = false;

        for (const char *p = options; p && *p;) {
                size_t n = strcspn(p, ",");
                if (strlen(yes) == n && strncmp(p, yes, n) == 0)
                        set = true;
                else if (no && strlen(no) == n && strncmp(p, no, n) == 0)
                        set = false;
                p += n;
                p += *p == ',';
        }
        return set;
}

static bool fstype_is_network(const char *fstype) {
        static const char *const network[] = { "afs",   "ceph",   "cifs",  "gfs",     "gfs2",  "ncp",
                                               "ncpfs", "nfs",    "nfs4",  "ocfs2",   "orangefs",
                                               "pvfs2", "smb3",   "smbfs", "davfs",   "glusterfs",
                                               "lustre", "sshfs" };
        const char *t;

        if (!fstype)
                return false;
        t = startswith(fstype, "fuse.") ?: fstype;
        for (size_t i = 0; i < ELEMENTSOF(network); i++)
                if (streq(t, network[i]))
                        return true;
        return false;
}

/* systemd's mount_add_default_dependencies() for a mount from a unit file (outside the initrd):
 * before local-fs.target or remote-fs.target unless "nofail", after the matching *-pre.target,
 * stopped by umount.target; network mounts also after network(-online).target; tmpfs after
 * swap.target. */
static int mount_add_default_dependencies(Unit *u) {
        const char *options = unit_setting_last(u, "Mount.Options");
        const char *fstype = unit_setting_last(u, "Mount.Type");
        bool network = mount_option_set(options, "_netdev", NULL) || fstype_is_network(fstype);
        int r = 0;

        if (!u->default_dependencies || unit_is_extrinsic(u))
                return 0;
        if (!mount_option_set(options, "nofail", "fail"))
                r = unit_add_dependency_by_name(u, UNIT_BEFORE, network ? "remote-fs.target" : "local-fs.target");
        if (r >= 0)
                r = unit_add_dependency_by_name(u, UNIT_AFTER, network ? "remote-fs-pre.target" : "local-fs-pre.target");
        if (r >= 0)
                r = unit_add_two_dependencies_by_name(u, UNIT_BEFORE, UNIT_CONFLICTS, "umount.target");
        if (r >= 0 && network) {
                r = unit_add_dependency_by_name(u, UNIT_AFTER, "network.target");
                if (r >= 0)
                        r = unit_add_two_dependencies_by_name(u, UNIT_WANTS, UNIT_AFTER, "network-online.target");
        }
        if (r >= 0 && fstype && streq(fstype, "tmpfs"))
                r = unit_add_dependency_by_name(u, UNIT_AFTER, "swap.target");
        return r;
}

/* Inside a container systemd adds no default dependencies to swap units. */
static bool in_container(void) {
        const char *c = getenv("container");
        return !isempty(c) || access("/run/systemd/container", F_OK) >= 0;
}

static int swap_add_default_dependencies(Unit *u) {
        int r;

        if (!u->default_dependencies || in_container())
                return 0;
        r = unit_add_dependency_by_name(u, UNIT_BEFORE, "swap.target");
        if (r >= 0)
                r = unit_add_two_dependencies_by_name(u, UNIT_BEFORE, UNIT_CONFLICTS, "umount.target");
        return r;
}

/* Mount and swap units from unit files. What /proc/self/mountinfo and /proc/swaps add (and
 * the ordering against other mounts and devices) comes with those unit types. */
static int mount_swap_load(Unit *u) {
        int r = load_fragment_and_dropin(u, true);

        if (r < 0 || u->load_state != UNIT_LOADED)
                return r;
        if (u->type == UNIT_MOUNT && !u->description)
                u->description = mount_where(u);
        r = add_exec_dependencies(u);
        if (r >= 0)
                r = add_default_slice(u);
        if (r >= 0)
                r = u->type == UNIT_MOUNT ? mount_add_default_dependencies(u) : swap_add_default_dependencies(u);
        return r;
}

/* Automount units from unit files: they trigger the mount unit of the same name, need the
 * parent directory mounted, and are ordered like local mounts (systemd's automount_load()). */
static int automount_load(Unit *u) {
        _cleanup_free_ char *where = NULL, *name = NULL, *mount = NULL, *parent = NULL;
        const char *w = NULL;
        int r = load_fragment_and_dropin(u, true);

        if (r < 0 || u->load_state != UNIT_LOADED)
                return r;
        w = unit_setting_last(u, "Automount.Where");
        if (w)
                where = strdup(w);
        else
                (void) unit_name_to_path(u->id, &where);
        if (!where)
                return -ENOMEM;
        path_simplify(where);
        r = unit_name_change_suffix(u->id, ".mount", &mount);
        if (r < 0)
                return r;
        r = unit_add_two_dependencies_by_name(u, UNIT_BEFORE, UNIT_TRIGGERS, mount);
        if (r < 0)
                return r;
        if (path_extract_directory(where, &parent) >= 0 && unit_require_mounts_for(u, parent) == -ENOMEM)
                return -ENOMEM;
        if (u->default_dependencies) {
                r = unit_add_dependency_by_name(u, UNIT_BEFORE, "local-fs.target");
                if (r >= 0)
                        r = unit_add_dependency_by_name(u, UNIT_AFTER, "local-fs-pre.target");
                if (r >= 0)
                        r = unit_add_two_dependencies_by_name(u, UNIT_BEFORE, UNIT_CONFLICTS, "umount.target");
                if (r < 0)
                        return r;
        }
        if (path_equal(where, "/"))
                return refuse(u, "Cannot have an automount unit for the root directory. Refusing.");
        if (unit_name_from_path(where, ".automount", &name) < 0 || !unit_has_name(u, name))
                return refuse(u, "Where= setting doesn't match unit name. Refusing.");
        return 0;
}

/* Device units: unit files are read and drop-ins applied; their implicit dependencies come with
 * the device unit type. */
static int generic_load(Unit *u, bool fragment_required) {
        return load_fragment_and_dropin(u, fragment_required);
}

static int type_load(Unit *u) {
        switch (u->type) {
        case UNIT_SERVICE:
                return service_load(u);
        case UNIT_SOCKET:
                return socket_load(u);
        case UNIT_TARGET:
                return target_load(u);
        case UNIT_TIMER:
        case UNIT_PATH:
                return timer_path_load(u);
        case UNIT_SLICE:
                return slice_load(u);
        case UNIT_SCOPE:
                return scope_load(u);
        case UNIT_MOUNT:
        case UNIT_SWAP:
                return mount_swap_load(u);
        case UNIT_AUTOMOUNT:
                return automount_load(u);
        default: /* device */
                return generic_load(u, true);
        }
}

/* ---------------------------------------------------------------- runtime settings */

/* The last value of the first of the keys that is set (newer spellings first). */
static const char *runtime_value(const Unit *u, const char **ret_key, const char *key, ...) {
        va_list ap;
        const char *v = NULL;

        va_start(ap, key);
        for (const char *k = key; k && !v; k = va_arg(ap, const char *)) {
                v = unit_setting_last(u, k);
                if (v)
                        *ret_key = k;
        }
        va_end(ap);
        return v;
}

/* A bad value keeps the default, with a warning naming the file and the setting. */
static void warn_bad_runtime_value(const Unit *u, const char *key, const char *value, int r) {
        const char *file = u->fragment_path ?: (u->dropin_paths ? u->dropin_paths[0] : NULL);

        log_syntax(u->id, LOG_WARNING, file ?: u->id, 0, r, "Failed to parse %s=%s, ignoring: %m",
                   strchr(key, '.') + 1, value);
}

static void runtime_bool(Unit *u, const char *key, bool *field) {
        const char *v = unit_setting_last(u, key);
        int r;

        if (!v)
                return;
        r = parse_boolean(v);
        if (r < 0)
                warn_bad_runtime_value(u, key, v, r);
        else
                *field = r;
}

static void runtime_action(Unit *u, EmergencyAction *field, const char *key, const char *legacy) {
        const char *k = NULL, *v = runtime_value(u, &k, key, legacy, NULL);
        EmergencyAction a;

        if (!v)
                return;
        a = emergency_action_from_string(v);
        if (a < 0)
                warn_bad_runtime_value(u, k, v, -EINVAL);
        else
                *field = a;
}

static void runtime_job_mode(Unit *u, JobMode *field, const char *key) {
        const char *v = unit_setting_last(u, key);
        JobMode mode;

        if (!v)
                return;
        mode = job_mode_from_string(v);
        if (mode < 0)
                warn_bad_runtime_value(u, key, v, -EINVAL);
        else
                *field = mode;
}

/* JobTimeoutSec= / JobRunningTimeoutSec=: 0 means no limit; JobTimeoutSec= also sets the
 * running timeout unless that is set itself (252's compatibility rule). */
static void runtime_job_timeouts(Unit *u) {
        const char *v = unit_setting_last(u, "Unit.JobRunningTimeoutSec");
        bool running_set = false;
        usec_t t;
        int r;

        if (v) {
                r = parse_sec_fix_0(v, &t);
                if (r < 0)
                        warn_bad_runtime_value(u, "Unit.JobRunningTimeoutSec", v, r);
                else {
                        u->rt.job_running_timeout = t;
                        running_set = true;
                }
        }
        v = unit_setting_last(u, "Unit.JobTimeoutSec");
        if (!v)
                return;
        r = parse_sec_fix_0(v, &t);
        if (r < 0) {
                warn_bad_runtime_value(u, "Unit.JobTimeoutSec", v, r);
                return;
        }
        u->rt.job_timeout = t;
        if (!running_set)
                u->rt.job_running_timeout = t;
}

static void runtime_start_limit(Unit *u) {
        const char *k = NULL, *v;
        usec_t t;
        unsigned n;
        int r;

        v = runtime_value(u, &k, "Unit.StartLimitIntervalSec", "Unit.StartLimitInterval",
                          "Service.StartLimitInterval", NULL);
        if (v) {
                r = parse_sec(v, &t);
                if (r < 0)
                        warn_bad_runtime_value(u, k, v, r);
                else
                        u->rt.start_limit_interval = t;
        }
        v = runtime_value(u, &k, "Unit.StartLimitBurst", "Service.StartLimitBurst", NULL);
        if (v) {
                r = safe_atou(v, &n);
                if (r < 0)
                        warn_bad_runtime_value(u, k, v, r);
                else
                        u->rt.start_limit_burst = n;
        }
}

static void runtime_exit_status(Unit *u, const char *key, int *field) {
        const char *v = unit_setting_last(u, key);
        unsigned n;
        int r;

        if (!v)
                return;
        r = safe_atou(v, &n);
        if (r >= 0 && n > 255)
                r = -ERANGE;
        if (r < 0)
                warn_bad_runtime_value(u, key, v, r);
        else
                *field = (int) n;
}

/* Interprets the [Unit] settings the runtime acts on (u->rt), defaults as systemd 252. */
static int unit_load_runtime_settings(Unit *u) {
        UnitRuntimeSettings *rt = &u->rt;
        const char *v;
        bool isolate = false;
        int r;

        free(rt->job_timeout_reboot_argument);
        *rt = (UnitRuntimeSettings) {
                .on_failure_job_mode = JOB_REPLACE,
                .on_success_job_mode = JOB_FAIL,
                .job_timeout = USEC_INFINITY,
                .job_running_timeout = USEC_INFINITY,
                .start_limit_interval = u->manager->default_start_limit_interval,
                .start_limit_burst = u->manager->default_start_limit_burst,
                .success_action_exit_status = -1,
                .failure_action_exit_status = -1,
                .collect_mode = COLLECT_INACTIVE,
        };
        runtime_bool(u, "Unit.RefuseManualStart", &rt->refuse_manual_start);
        runtime_bool(u, "Unit.RefuseManualStop", &rt->refuse_manual_stop);
        runtime_bool(u, "Unit.AllowIsolate", &rt->allow_isolate);
        runtime_bool(u, "Unit.StopWhenUnneeded", &rt->stop_when_unneeded);
        runtime_bool(u, "Unit.IgnoreOnIsolate", &rt->ignore_on_isolate);
        runtime_job_mode(u, &rt->on_failure_job_mode, "Unit.OnFailureJobMode");
        runtime_bool(u, "Unit.OnFailureIsolate", &isolate);
        if (isolate && !unit_setting_last(u, "Unit.OnFailureJobMode"))
                rt->on_failure_job_mode = JOB_ISOLATE;
        runtime_job_mode(u, &rt->on_success_job_mode, "Unit.OnSuccessJobMode");
        runtime_job_timeouts(u);
        runtime_action(u, &rt->job_timeout_action, "Unit.JobTimeoutAction", NULL);
        v = unit_setting_last(u, "Unit.JobTimeoutRebootArgument");
        if (v && !(rt->job_timeout_reboot_argument = strdup(v)))
                return -ENOMEM;
        runtime_start_limit(u);
        runtime_action(u, &rt->start_limit_action, "Unit.StartLimitAction", "Service.StartLimitAction");
        runtime_action(u, &rt->success_action, "Unit.SuccessAction", NULL);
        runtime_action(u, &rt->failure_action, "Unit.FailureAction", "Service.FailureAction");
        runtime_exit_status(u, "Unit.SuccessActionExitStatus", &rt->success_action_exit_status);
        runtime_exit_status(u, "Unit.FailureActionExitStatus", &rt->failure_action_exit_status);
        v = unit_setting_last(u, "Unit.CollectMode");
        if (v) {
                CollectMode c = collect_mode_from_string(v);
                if (c < 0)
                        warn_bad_runtime_value(u, "Unit.CollectMode", v, -EINVAL);
                else
                        rt->collect_mode = c;
        }
        r = condition_list_build(u, false);
        if (r >= 0)
                r = condition_list_build(u, true);
        return r;
}

/* The runtime part of loading: u->rt, conditions, then the type's own load(). */
static int unit_load_runtime(Unit *u) {
        int r = unit_load_runtime_settings(u);

        if (r < 0)
                return r;
        if (UNIT_VTABLE(u)->load) {
                r = UNIT_VTABLE(u)->load(u);
                if (r < 0)
                        return r == -ENOMEM ? r : -ENOEXEC;
        }
        return 0;
}

void unit_load(Unit *u) {
        int r;

        if (u->load_state != UNIT_STUB)
                return;
        r = type_load(u);
        if (r >= 0 && u->load_state == UNIT_LOADED) {
                manager_enqueue_target_deps(u->manager, u);
                r = add_slice_dependencies(u);
                if (r >= 0)
                        r = unit_load_runtime(u);
        }
        if (r >= 0)
                return;
        u->load_state = u->load_state == UNIT_STUB ? UNIT_NOT_FOUND
                        : r == -ENOEXEC            ? UNIT_BAD_SETTING
                                                   : UNIT_ERROR;
        u->load_error = r;
        if (u->load_state == UNIT_NOT_FOUND)
                u->not_found_hash = u->manager->unit_map.timestamp_hash;
        log_debug("%s: Failed to load configuration: %s", u->id, strerror(-r));
}

/* systemd's unit_add_default_target_dependency(): target After= unit, if both are loaded, both
 * want default dependencies, and the target is not ordered before the unit already. */
static int add_default_target_dependency(Unit *u, Unit *target) {
        if (target->type != UNIT_TARGET)
                return 0;
        if (u->load_state != UNIT_LOADED || target->load_state != UNIT_LOADED)
                return 0;
        if (!u->default_dependencies || !target->default_dependencies)
                return 0;
        if (unit_has_dependency(target, UNIT_BEFORE, u))
                return 0;
        return unit_add_dependency(target, UNIT_AFTER, u);
}

/* Snapshot of a dependency set, since adding dependencies may modify it. */
static Unit **snapshot(const Unit *u, const UnitDependency *kinds, size_t n_kinds, size_t *ret_n) {
        Unit **a = NULL;
        size_t n = 0, allocated = 0;

        for (size_t k = 0; k < n_kinds; k++) {
                Unit *o;
                UNIT_FOREACH_DEPENDENCY(o, u, kinds[k]) {
                        if (!GREEDY_REALLOC(a, allocated, n + 1))
                                break;
                        a[n++] = o;
                }
        }
        *ret_n = n;
        return a;
}

void unit_add_target_dependencies_of(Unit *u) {
        static const UnitDependency pulled_by[] = { UNIT_REQUIRED_BY, UNIT_REQUISITE_OF, UNIT_WANTED_BY,
                                                    UNIT_BOUND_BY, UNIT_UPHELD_BY };
        static const UnitDependency pulls[] = { UNIT_REQUIRES, UNIT_REQUISITE, UNIT_WANTS,
                                                UNIT_BINDS_TO, UNIT_PART_OF, UNIT_UPHOLDS };
        _cleanup_free_ Unit **a = NULL;
        size_t n;

        /* u as the pulled-in unit: the targets that pull it in get After=u. */
        a = snapshot(u, pulled_by, ELEMENTSOF(pulled_by), &n);
        for (size_t i = 0; i < n; i++)
                (void) add_default_target_dependency(u, a[i]);
        free(a);
        /* u as a target: After= on what it pulls in. */
        a = NULL;
        if (u->type != UNIT_TARGET)
                return;
        a = snapshot(u, pulls, ELEMENTSOF(pulls), &n);
        for (size_t i = 0; i < n; i++)
                (void) add_default_target_dependency(a[i], u);
}
