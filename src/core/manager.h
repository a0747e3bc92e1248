/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * manager.h: the unit registry of the service manager: every Unit by every one of its names,
 * the search path and name map, and the load queue. Loading a unit queues the units it depends
 * on, so dispatching the queue loads the whole closure, then adds the default target
 * dependencies (spec unit-files.md §4, §6). The Manager owns all units. Later issues grow this
 * into the running manager (jobs, D-Bus, state); today it is what the analyser drives.
 */

#include "hashmap.h"
#include "unit-map.h"
#include "unit-path.h"
#include "unit.h"

struct Manager {
        UnitPath unit_path;
        UnitMap unit_map;
        Hashmap *units;          /* name → Unit* (all names, borrowed) */
        OrderedSet *all_units;   /* Unit*, owned: every unit once, in creation order */
        Unit *load_queue, *load_queue_tail;
        Unit *target_deps_queue;
        Unit *mount_deps_queue;
        bool dispatching_load_queue;
        ExecOutput default_std_output, default_std_error;
        unsigned n_units_max;    /* a limit on what unit files can make us allocate */
};

/* unit_path: like $SYSTEMD_UNIT_PATH (NULL = the environment / defaults). */
int manager_new(const char *unit_path, Manager **ret);
Manager *manager_free(Manager *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(Manager *, manager_free);

Unit *manager_get_unit(const Manager *m, const char *name);
/* Returns the unit of that name, creating a stub and queueing it for loading if needed.
 * -EINVAL for an invalid name, -EISDIR for a template name ("missing the instance name"). */
int manager_load_unit_prepare(Manager *m, const char *name, Unit **ret);
/* manager_load_unit_prepare() + dispatching the load queue. *ret follows merges. */
int manager_load_unit(Manager *m, const char *name, Unit **ret);
/* Loads every queued unit (and what they pull in), then the default target dependencies. */
void manager_dispatch_load_queue(Manager *m);
/* Creates the units that always exist (-.slice, init.scope). */
int manager_setup_perpetual_units(Manager *m);
/* Every loadable name in the search path (no templates), sorted. */
int manager_list_unit_file_names(Manager *m, char ***ret);

/* Internal: called by units. */
void manager_enqueue_load(Manager *m, Unit *u);
void manager_enqueue_target_deps(Manager *m, Unit *u);
void manager_enqueue_mount_deps(Manager *m, Unit *u);
