/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* manager.c: the unit registry and load queue (see manager.h). */

#include <dirent.h>
#include <sys/resource.h>
#include <sys/select.h>

#include "fd-util.h"
#include "log.h"
#include "manager.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-load.h"
#include "unit-name.h"

#define UNITS_MAX 131072U

/* What units get when they set no LimitNOFILE=/LimitMEMLOCK=, computed from the limits the
 * manager was started with as systemd 252 does (fallback_rlimit_nofile/_memlock): the NOFILE
 * hard limit raised to 512 Ki (at most fs.nr_open), its soft limit kept at most FD_SETSIZE so
 * that select() users do not break; MEMLOCK at least 8 MiB. */
static void manager_default_rlimits(Manager *m) {
        _cleanup_free_ char *nr_open = NULL;
        struct rlimit *n = &m->default_rlimits[RLIMIT_NOFILE], *l = &m->default_rlimits[RLIMIT_MEMLOCK];
        rlim_t max = 1024 * 1024;

        if (getrlimit(RLIMIT_NOFILE, n) < 0)
                *n = (struct rlimit) { 1024, 4096 };
        if (read_full_file("/proc/sys/fs/nr_open", 64, &nr_open, NULL) >= 0) {
                unsigned long v = strtoul(nr_open, NULL, 10);
                if (v > 0)
                        max = (rlim_t) v;
        }
        n->rlim_max = MIN(max, MAX(n->rlim_max, (rlim_t) 512 * 1024));
        n->rlim_cur = MIN(n->rlim_cur, (rlim_t) FD_SETSIZE);
        if (getrlimit(RLIMIT_MEMLOCK, l) < 0)
                *l = (struct rlimit) { 0, 0 };
        l->rlim_cur = MAX(l->rlim_cur, (rlim_t) 8 * 1024 * 1024);
        l->rlim_max = MAX(l->rlim_max, (rlim_t) 8 * 1024 * 1024);
        m->default_rlimits_set = (1U << RLIMIT_NOFILE) | (1U << RLIMIT_MEMLOCK);
}

int manager_new(const char *unit_path, Manager **ret) {
        Manager *m = new0(Manager, 1);
        int r;

        if (!m)
                return -ENOMEM;
        m->default_std_output = EXEC_OUTPUT_JOURNAL;
        m->default_std_error = EXEC_OUTPUT_INHERIT;
        m->n_units_max = UNITS_MAX;
        manager_default_rlimits(m);
        /* what SIGRTMIN+23/+26 and LogLevel=""/LogTarget="" restore: as set when we started */
        m->original_log_level = log_get_max_level();
        m->original_log_target = log_get_target();
        /* systemd 252's defaults (system.conf) */
        m->default_timeout_start_usec = 90 * USEC_PER_SEC;
        m->default_timeout_stop_usec = 90 * USEC_PER_SEC;
        m->default_timeout_abort_usec = 90 * USEC_PER_SEC;
        m->default_restart_usec = 100 * USEC_PER_MSEC;
        m->default_start_limit_interval = 10 * USEC_PER_SEC;
        m->default_start_limit_burst = 5;
        m->notify_fd = -1;
        m->cgroup_inotify_fd = -1;
        m->objective = MANAGER_OK;
        m->environment = strv_new("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (!m->environment) {
                free(m);
                return -ENOMEM;
        }
        r = unit_path_init(&m->unit_path, unit_path);
        if (r < 0) {
                strv_free(m->environment);
                free(m);
                return r;
        }
        *ret = m;
        return 0;
}

Manager *manager_free(Manager *m) {
        Event *e;
        Unit *u;

        if (!m)
                return NULL;
        /* jobs, bus and event sources first; without m->event freeing a unit neither sends
         * signals nor queues other units for GC */
        manager_done_runtime(m);
        e = TAKE_PTR(m->event);
        while ((u = ordered_set_first(m->all_units)))
                unit_free(u);
        ordered_set_free(m->all_units);
        hashmap_free(m->units);
        hashmap_free(m->watch_pids);
        hashmap_free(m->watch_pid_start);
        strv_free(m->environment);
        strv_free(m->sysbus_restored);
        free(m->default_target);
        free(m->runtime_dir);
        free(m->notify_socket);
        event_unref(e);
        unit_map_done(&m->unit_map);
        unit_path_done(&m->unit_path);
        return mfree(m);
}

Unit *manager_get_unit(const Manager *m, const char *name) {
        return hashmap_get(m->units, name);
}

void manager_enqueue_load(Manager *m, Unit *u) {
        if (u->in_load_queue || u->load_state != UNIT_STUB)
                return;
        u->in_load_queue = true;
        u->load_queue_next = NULL;
        if (m->load_queue_tail)
                m->load_queue_tail->load_queue_next = u;
        else
                m->load_queue = u;
        m->load_queue_tail = u;
}

void manager_enqueue_target_deps(Manager *m, Unit *u) {
        if (u->in_target_deps_queue)
                return;
        u->in_target_deps_queue = true;
        u->target_deps_queue_next = m->target_deps_queue;
        m->target_deps_queue = u;
}

/* u requires mounts: the mount units for its paths and their parents are loaded with the rest,
 * and ordered before u once the load queue is empty. */
void manager_enqueue_mount_deps(Manager *m, Unit *u) {
        if (u->in_mount_deps_queue)
                return;
        u->in_mount_deps_queue = true;
        u->mount_deps_queue_next = m->mount_deps_queue;
        m->mount_deps_queue = u;
}

int manager_load_unit_prepare(Manager *m, const char *name, Unit **ret) {
        Unit *u;
        int r;

        if (unit_name_is_valid(name, UNIT_NAME_TEMPLATE))
                return -EISDIR;
        if (!unit_name_is_valid(name, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE))
                return -EINVAL;
        u = manager_get_unit(m, name);
        if (u) {
                *ret = u;
                return 0;
        }
        r = unit_new(m, name, &u);
        if (r < 0)
                return r;
        manager_enqueue_load(m, u);
        *ret = u;
        return 1;
}

static void dispatch_target_deps_queue(Manager *m) {
        Unit *u;

        while ((u = m->target_deps_queue)) {
                m->target_deps_queue = u->target_deps_queue_next;
                u->in_target_deps_queue = false;
                if (u->load_state == UNIT_LOADED)
                        unit_add_target_dependencies_of(u);
        }
}

/* The mount unit names for every path u requires and each of its parents, "/" included. */
static char **required_mount_names(const Unit *u) {
        char **names = NULL;

        STRV_FOREACH(p, u->requires_mounts_for) {
                _cleanup_free_ char *prefix = strdup(*p);

                if (!prefix)
                        return strv_free(names);
                for (;;) {
                        _cleanup_free_ char *name = NULL, *parent = NULL;

                        if (unit_name_from_path(prefix, ".mount", &name) >= 0 &&
                            strv_extend_uniq(&names, name) < 0)
                                return strv_free(names);
                        if (path_extract_directory(prefix, &parent) < 0)
                                break;
                        free_and_replace_str(&prefix, TAKE_PTR(parent));
                }
        }
        return names;
}

/* Queues those mount units, so that they load with the rest of the queue. */
static void prepare_mount_units(Manager *m, Unit *u) {
        _cleanup_strv_free_ char **names = required_mount_names(u);
        Unit *mount;

        STRV_FOREACH(n, names)
                (void) manager_load_unit_prepare(m, *n, &mount);
}

/* systemd's unit_add_mount_dependencies(): After= every loaded mount unit of the paths and
 * their parents, and Requires= those that come from a unit file. */
static void add_mount_dependencies(Manager *m, Unit *u) {
        _cleanup_strv_free_ char **names = required_mount_names(u);

        STRV_FOREACH(n, names) {
                Unit *mount = unit_follow_merge(manager_get_unit(m, *n));

                if (!mount || mount == u || mount->load_state != UNIT_LOADED)
                        continue;
                (void) unit_add_dependency(u, UNIT_AFTER, mount);
                if (mount->fragment_path)
                        (void) unit_add_dependency(u, UNIT_REQUIRES, mount);
        }
}

static void dispatch_mount_deps_queue(Manager *m) {
        Unit *u;

        while ((u = m->mount_deps_queue)) {
                m->mount_deps_queue = u->mount_deps_queue_next;
                u->in_mount_deps_queue = false;
                if (u->load_state == UNIT_LOADED)
                        add_mount_dependencies(m, u);
        }
}

void manager_dispatch_load_queue(Manager *m) {
        Unit *u;

        if (m->dispatching_load_queue)
                return;
        m->dispatching_load_queue = true;
        /* The search directories are looked at once per pass, not once per unit: a pass loads
         * every unit it queues against the same map (a restore loads them all in one). */
        if (m->load_queue && unit_map_update(&m->unit_map, &m->unit_path, false) >= 0)
                m->unit_map.checked = true;
        while ((u = m->load_queue)) {
                m->load_queue = u->load_queue_next;
                if (!m->load_queue)
                        m->load_queue_tail = NULL;
                if (!u->in_load_queue)
                        continue; /* merged away meanwhile */
                u->in_load_queue = false;
                unit_load(u);
                if (u->load_state == UNIT_LOADED)
                        prepare_mount_units(m, u);
        }
        m->dispatching_load_queue = false;
        m->unit_map.checked = false;
        dispatch_mount_deps_queue(m);
        dispatch_target_deps_queue(m);
}

static int load_unit(Manager *m, const char *name, bool for_client, Unit **ret) {
        Unit *u;
        int r;

        r = manager_load_unit_prepare(m, name, &u);
        if (r < 0)
                return r;
        manager_dispatch_load_queue(m);
        u = unit_follow_merge(u);
        if (r > 0 && for_client)
                unit_add_to_gc_queue(u);
        *ret = u;
        return 0;
}

int manager_load_unit(Manager *m, const char *name, Unit **ret) {
        return load_unit(m, name, false, ret);
}

int manager_load_unit_for_client(Manager *m, const char *name, Unit **ret) {
        return load_unit(m, name, true, ret);
}

int manager_setup_perpetual_units(Manager *m) {
        const char *name;

        FOREACH_STRING(name, "-.slice", "system.slice", "init.scope") {
                Unit *u;
                int r = manager_load_unit_prepare(m, name, &u);
                if (r < 0)
                        return r;
                u->perpetual = true;
        }
        manager_dispatch_load_queue(m);
        return 0;
}

int manager_list_unit_file_names(Manager *m, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = unit_map_update(&m->unit_map, &m->unit_path, false);
        if (r < 0)
                return r;
        STRV_FOREACH(dir, m->unit_path.search_path) {
                _cleanup_closedir_ DIR *d = opendir(*dir);
                struct dirent *de;

                if (!d)
                        continue;
                while ((de = readdir(d))) {
                        if (!IN_SET(de->d_type, DT_REG, DT_LNK))
                                continue;
                        if (!unit_name_is_valid(de->d_name, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE))
                                continue;
                        r = strv_extend_uniq(&names, de->d_name);
                        if (r < 0)
                                return r;
                }
        }
        if (!names && !(names = new0(char *, 1)))
                return -ENOMEM;
        *ret = strv_sort(TAKE_PTR(names));
        return 0;
}
