/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit.h: the Unit object. A unit is created as a stub under one name, loaded once (fragment,
 * drop-ins, implicit and default dependencies), and may be merged into another unit when it
 * turns out to be an alias (it then points at the survivor with merged_into and keeps no data).
 * The Manager owns every unit; a unit owns its names, paths and settings, and refers to other
 * units (dependencies) by pointer: both ends of every dependency record it (Wants ↔ WantedBy),
 * so a unit never outlives the references to it.
 */

#include "hashmap.h"
#include "ordered-set.h"
#include "time-base.h"
#include "unit-def.h"
#include "unit-name.h"

typedef struct Manager Manager;
typedef struct Unit Unit;
typedef struct ExecCommand ExecCommand;

/* Standard input/output choices (only those that matter for dependencies are named). */
typedef enum ExecOutput {
        EXEC_OUTPUT_INHERIT,
        EXEC_OUTPUT_NULL,
        EXEC_OUTPUT_TTY,
        EXEC_OUTPUT_KMSG,
        EXEC_OUTPUT_KMSG_AND_CONSOLE,
        EXEC_OUTPUT_JOURNAL,
        EXEC_OUTPUT_JOURNAL_AND_CONSOLE,
        EXEC_OUTPUT_SOCKET,
        EXEC_OUTPUT_NAMED_FD,
        EXEC_OUTPUT_FILE,
        EXEC_OUTPUT_FILE_APPEND,
        EXEC_OUTPUT_FILE_TRUNCATE,
        _EXEC_OUTPUT_MAX,
        _EXEC_OUTPUT_INVALID = -EINVAL,
} ExecOutput;

typedef enum ExecInput {
        EXEC_INPUT_NULL,
        EXEC_INPUT_TTY,
        EXEC_INPUT_TTY_FORCE,
        EXEC_INPUT_TTY_FAIL,
        EXEC_INPUT_SOCKET,
        EXEC_INPUT_NAMED_FD,
        EXEC_INPUT_DATA,
        EXEC_INPUT_FILE,
        _EXEC_INPUT_MAX,
        _EXEC_INPUT_INVALID = -EINVAL,
} ExecInput;

typedef enum ExecDirectoryType {
        EXEC_DIRECTORY_RUNTIME,
        EXEC_DIRECTORY_STATE,
        EXEC_DIRECTORY_CACHE,
        EXEC_DIRECTORY_LOGS,
        EXEC_DIRECTORY_CONFIGURATION,
        _EXEC_DIRECTORY_TYPE_MAX,
} ExecDirectoryType;

/* The execution settings that loading interprets (spawn-time settings come with the manager). */
typedef struct ExecSettings {
        ExecInput std_input;
        ExecOutput std_output, std_error;
        bool stdin_data;
        bool private_tmp, dynamic_user;
        char *working_directory;
        bool working_directory_missing_ok, working_directory_home;
        char *root_directory, *root_image, *log_namespace;
        char **directories[_EXEC_DIRECTORY_TYPE_MAX];
        char **environment;       /* NAME=VALUE, later wins */
        char **environment_files; /* "-" prefix kept */
} ExecSettings;

/* The kinds of Exec*= lists, per unit type (services use all of them). */
typedef enum ExecCommandKind {
        EXEC_CONDITION,
        EXEC_START_PRE,
        EXEC_START,
        EXEC_START_POST,
        EXEC_RELOAD,
        EXEC_STOP,
        EXEC_STOP_POST,
        EXEC_STOP_PRE, /* sockets only */
        _EXEC_COMMAND_KIND_MAX,
        _EXEC_COMMAND_KIND_INVALID = -EINVAL,
} ExecCommandKind;

typedef struct Unit {
        Manager *manager;
        UnitType type;
        UnitLoadState load_state;
        int load_error;             /* negative errno when loading failed */
        char *id;                   /* the preferred name */
        OrderedSet *names;          /* every name, including id; owned strings */
        char *instance;             /* NULL unless an instance */
        Unit *merged_into;

        char *fragment_path;
        char *source_path;
        char **dropin_paths;
        usec_t fragment_mtime;
        uint64_t not_found_hash;    /* the map hash when loading found no fragment */

        bool perpetual;
        bool default_dependencies;
        bool in_load_queue, in_target_deps_queue, in_mount_deps_queue;
        Unit *load_queue_next, *target_deps_queue_next, *mount_deps_queue_next;

        OrderedSet *dependencies[_UNIT_DEPENDENCY_MAX]; /* Unit* */
        char *slice;                /* Slice= (name), NULL = the default */
        char **requires_mounts_for; /* RequiresMountsFor= and paths the execution settings need */

        /* [Unit] */
        char *description;
        char **documentation;

        /* Everything else, kept as the last effective value(s) per "Section.Key" after specifier
         * expansion: key (owned) → char** (owned). Lists accumulate; an empty assignment resets. */
        Hashmap *settings;

        /* Execution settings (service, socket, mount, swap) */
        bool has_exec;
        ExecSettings exec;
        ExecCommand *exec_commands[_EXEC_COMMAND_KIND_MAX];

        /* Type-specific settings that loading needs */
        char *service_type;         /* Type= as written, NULL = not set */
        char *bus_name;
        bool remain_after_exit, start_timeout_defined;
        char **sockets;             /* Sockets= names */
        char *trigger_unit;         /* Unit= of socket/timer/path */
        bool socket_accept;
} Unit;

/* Creates a stub unit named name (valid unit name required), registered with m.*/
int unit_new(Manager *m, const char *name, Unit **ret);
Unit *unit_free(Unit *u);
/* Follows merged_into to the unit that carries the data. */
Unit *unit_follow_merge(Unit *u);
/* Adds another name to u and registers it with the manager (-EEXIST if taken by another unit). */
int unit_add_name(Unit *u, const char *name);
bool unit_has_name(const Unit *u, const char *name);
/* Makes name (one of u's names) the id. */
void unit_choose_id(Unit *u, const char *name);

/* Records dependency d from u to other and its inverse on other. Returns 1 if new, 0 if known.
 * Dependencies on oneself are ignored (0). */
int unit_add_dependency(Unit *u, UnitDependency d, Unit *other);
int unit_add_two_dependencies(Unit *u, UnitDependency d, UnitDependency e, Unit *other);
/* The same by name: the other unit is created (and queued for loading) if needed. A template
 * name gets u's instance put in, as systemd does. */
int unit_add_dependency_by_name(Unit *u, UnitDependency d, const char *name);
int unit_add_two_dependencies_by_name(Unit *u, UnitDependency d, UnitDependency e, const char *name);
bool unit_has_dependency(const Unit *u, UnitDependency d, const Unit *other);

/* Moves everything of other into u (other must be an unloaded stub) and marks other merged. */
int unit_merge(Unit *u, Unit *other);

/* Records that u needs path (and every parent) mounted; the mount units are ordered before u
 * once loaded. -EINVAL for a relative path, -EPERM for one that is not normalized. */
int unit_require_mounts_for(Unit *u, const char *path);

/* The settings store (see Unit.settings). */
char *const *unit_setting_get(const Unit *u, const char *section_key);
const char *unit_setting_last(const Unit *u, const char *section_key);
/* Whether the last value of a boolean setting is true (unset or unparsable: false). */
bool unit_setting_is_true(const Unit *u, const char *section_key);
int unit_setting_append(Unit *u, const char *section_key, const char *value);
void unit_setting_reset(Unit *u, const char *section_key);

/* Whether units of this type have execution settings / a cgroup. */
bool unit_type_has_exec(UnitType t) _const_;
bool unit_type_has_cgroup(UnitType t) _const_;

/* The "LoadError" text systemd shows, or NULL when loaded. */
const char *unit_load_error_name(const Unit *u);
