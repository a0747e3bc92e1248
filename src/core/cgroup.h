/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * cgroup.h: the manager's cgroup v2 tree, laid out as systemd 252 lays it out: a cgroup per unit
 * under its slice ("/system.slice/foo.service", "/system.slice/system-getty.slice/getty@tty1.service",
 * "/init.scope" for the manager itself), relative to the manager's root cgroup inside the cgroup2
 * mount. It finds cgroup2 where it is (/sys/fs/cgroup on a unified system or in a namespace with
 * its own mount, /sys/fs/cgroup/unified on a hybrid one); without cgroup2 it warns once and the
 * manager tracks processes by pid only. Emptiness is noticed through inotify on cgroup.events
 * ("populated 0"), and reported to the unit's type (UnitVTable.cgroup_empty).
 *
 * The Manager owns the inotify fd and the path → unit table; a Unit owns its cgroup_path string.
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct Manager Manager;
typedef struct Unit Unit;

/* Finds cgroup2 ($SYSMASTER_CGROUP_MOUNT overrides the search; "none" means there is none),
 * determines the manager's root cgroup (the cgroup the manager runs in, or its
 * parent when that is init.scope), moves the manager into <root>/init.scope (unless
 * m->test_run) and starts watching for empty cgroups. m->cgroup_mount and m->cgroup_root that
 * are set already (tests: a temporary cgroup) are used as they are. Without cgroup2: warns
 * once, returns 0, and m->cgroup_mount stays NULL. Call after m->event is set. */
int manager_setup_cgroup(Manager *m);
void manager_shutdown_cgroup(Manager *m);
bool manager_has_cgroup(const Manager *m);

/* The cgroup a unit gets, relative to the cgroup2 mount, the manager's root included
 * ("/system.slice/a.service" when the root is the top; m->cgroup_root "/x" gives
 * "/x/system.slice/a.service"; -.slice gets the root itself, "" for the top), owned by caller;
 * NULL on OOM or an invalid slice name. */
char *unit_default_cgroup_path(const Unit *u);
/* Creates the unit's cgroup and its slices' (as needed), sets u->cgroup_path and watches it.
 * 0 or -errno; 0 without doing anything when there is no cgroup2. */
int unit_realize_cgroup(Unit *u);
/* After a restart: u's cgroup as the store recorded it (the watch wd on cgroup.events and the
 * ControlGroupId), without a system call when the inotify object came back from init's fd
 * store (its watches are still there, its queued events tell what changed meanwhile); else,
 * or when the record has no watch (wd <= 0), unit_realize_cgroup(). */
int unit_restore_cgroup(Unit *u, int wd, uint64_t id);
/* Reads the cgroup's "populated" now and reports an empty one to the type (cgroup_empty), as
 * the inotify watch does when it changes (also used after a manager restart, when a change may
 * have happened while nothing watched). */
void unit_check_cgroup_events(Unit *u);
/* The absolute file-system path of u's cgroup (for ExecParameters.cgroup_path), owned by caller;
 * NULL when there is none (or on OOM). */
char *unit_cgroup_fs_path(const Unit *u);
/* Removes the unit's cgroup if empty (when the unit is inactive); forgets it. */
void unit_prune_cgroup(Unit *u);
/* Whether the unit's cgroup has no process (1), has some (0), or -errno / -ENODATA without one. */
int unit_cgroup_is_empty(Unit *u);
/* Sends sig to every process of u's cgroup (recursively) except those in except (n_except pids),
 * with SIGCONT after it when send_sigcont; returns the number signalled or -errno. */
int unit_cgroup_kill(Unit *u, int sig, bool send_sigcont, const pid_t *except, size_t n_except);
/* Every pid in u's cgroup tree: *ret (malloc'ed, *ret_n entries) with the relative cgroup path of
 * each (ret_paths, optional, strv in the same order). For GetUnitProcesses(). */
int unit_cgroup_pids(Unit *u, pid_t **ret, char ***ret_paths, size_t *ret_n);
/* The unit whose cgroup contains pid (by /proc/PID/cgroup), or NULL. */
Unit *manager_get_unit_by_cgroup_pid(Manager *m, pid_t pid);

/* MemoryCurrent, TasksCurrent, CPUUsageNSec: the value, or UINT64_MAX when not available. */
uint64_t unit_get_memory_current(Unit *u);
uint64_t unit_get_tasks_current(Unit *u);
uint64_t unit_get_cpu_usage_nsec(Unit *u);

/* ---- Added by the cgroup module ---- */

/* The name of a cgroup directory for a unit or slice name, as systemd's cg_escape(): names that
 * could clash with the kernel's files ("cgroup.*", "tasks", "<controller>.*", a leading "_" or
 * ".") get a "_" prefix. Owned by caller; NULL on OOM. */
char *cgroup_escape(const char *name);
/* A slice's cgroup below the root: "system-getty.slice" → "/system.slice/system-getty.slice",
 * "-.slice" → "". 0, -EINVAL for an invalid slice name, -ENOMEM. */
int cgroup_slice_to_path(const char *slice, char **ret);
/* Forgets u's cgroup (table entry, inotify watch, cgroup_path) without removing it; for
 * unit_free() and re-execution. */
void unit_release_cgroup(Unit *u);

/* ---- Added by the bus-api module ---- */

/* Realizes u's cgroup and moves each of pids into it (cgroup.procs). 0, or the first -errno of
 * a pid that could not be moved (the others are moved anyway, each failure logged);
 * -EOPNOTSUPP without cgroup2. */
int unit_cgroup_attach_pids(Unit *u, const pid_t *pids, size_t n_pids);
