/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit.c: the Unit object: names, merging, dependencies, the settings store (see unit.h). */

#include "cgroup.h"
#include "condition.h"
#include "exec-command.h"
#include "job.h"
#include "log.h"
#include "manager-bus.h"
#include "manager-store.h"
#include "manager.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit.h"

bool unit_type_has_exec(UnitType t) {
        return IN_SET(t, UNIT_SERVICE, UNIT_SOCKET, UNIT_MOUNT, UNIT_SWAP);
}

bool unit_type_has_cgroup(UnitType t) {
        return IN_SET(t, UNIT_SERVICE, UNIT_SOCKET, UNIT_MOUNT, UNIT_SWAP, UNIT_SLICE, UNIT_SCOPE);
}

/* Output starts as "inherit"; services replace that by the manager's defaults at load time
 * unless their input is a terminal or socket (service_fix_stdio()). */
static void exec_settings_init(ExecSettings *e) {
        *e = (ExecSettings) {
                .std_input = EXEC_INPUT_NULL,
                .std_output = EXEC_OUTPUT_INHERIT,
                .std_error = EXEC_OUTPUT_INHERIT,
        };
}

static void exec_settings_done(ExecSettings *e) {
        free(e->working_directory);
        free(e->root_directory);
        free(e->root_image);
        free(e->log_namespace);
        for (size_t i = 0; i < _EXEC_DIRECTORY_TYPE_MAX; i++)
                strv_free(e->directories[i]);
        strv_free(e->environment);
        strv_free(e->environment_files);
        *e = (ExecSettings) {};
}

const char *unit_intern(const char *s) {
        static Hashmap *strings; /* string -> itself, for every unit of every manager */
        char *k = hashmap_get(strings, s);

        if (k)
                return k;
        if (hashmap_ensure_allocated(&strings, &string_hash_ops) < 0 || !(k = strdup(s)))
                return NULL;
        if (hashmap_put(strings, k, k) < 0) {
                free(k);
                return NULL;
        }
        return k;
}

/* The settings store: "Section.Key" -> the values given, in order. Memory per setting matters
 * (every unit keeps its store): the keys are interned (one copy for all units, never freed), and
 * the values of a key are one block, a NULL-terminated array of pointers followed by the strings
 * (readers see a strv; unit_setting_append() builds a new block). */
static const HashOps settings_ops = { string_hash, (int (*)(const void *, const void *)) strcmp, NULL,
                                      free };

/* A block holding the strings of l and then value, laid out as described above. */
static char **setting_values_append(char *const *l, const char *value) {
        size_t n = strv_length(l), size = (n + 2) * sizeof(char *) + strlen(value) + 1;
        char **block, *p;

        for (size_t i = 0; i < n; i++)
                size += strlen(l[i]) + 1;
        block = malloc(size);
        if (!block)
                return NULL;
        p = (char *) (block + n + 2);
        for (size_t i = 0; i <= n; i++) {
                const char *v = i < n ? l[i] : value;
                size_t len = strlen(v) + 1;

                block[i] = memcpy(p, v, len);
                p += len;
        }
        block[n + 1] = NULL;
        return block;
}

/* The loaded fields as a fresh stub has them. */
static void unit_init_loaded_data(Unit *u) {
        Manager *m = u->manager;

        u->default_dependencies = true;
        u->has_exec = unit_type_has_exec(u->type);
        /* what a unit that never loaded acts on (unit-load.c sets the real values) */
        u->rt = (UnitRuntimeSettings) {
                .on_failure_job_mode = JOB_REPLACE,
                .on_success_job_mode = JOB_FAIL,
                .job_timeout = USEC_INFINITY,
                .job_running_timeout = USEC_INFINITY,
                .start_limit_interval = m->default_start_limit_interval,
                .start_limit_burst = m->default_start_limit_burst,
                .success_action_exit_status = -1,
                .failure_action_exit_status = -1,
        };
        exec_settings_init(&u->exec);
        if (IN_SET(u->type, UNIT_SOCKET, UNIT_MOUNT, UNIT_SWAP)) {
                /* as systemd's socket_init(), mount_init(), swap_init() */
                u->exec.std_output = m->default_std_output;
                u->exec.std_error = m->default_std_error;
        }
}

int unit_new(Manager *m, const char *name, Unit **ret) {
        const UnitVTable *vt;
        UnitType type;
        Unit *u;
        int r;

        if (!unit_name_is_valid(name, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE))
                return -EINVAL;
        if (m->n_units_max && ordered_set_size(m->all_units) >= m->n_units_max)
                return -E2BIG;
        type = unit_name_to_type(name);
        vt = unit_vtable[type];
        /* the type's object embeds Unit first */
        u = calloc(1, vt && vt->object_size > sizeof(Unit) ? vt->object_size : sizeof(Unit));
        if (!u)
                return -ENOMEM;
        u->manager = m;
        u->type = type;
        u->load_state = UNIT_STUB;
        u->cgroup_events_wd = -1;
        u->last_active_state = UNIT_INACTIVE;
        unit_init_loaded_data(u);
        r = ordered_set_ensure_put(&m->all_units, &trivial_hash_ops, u);
        if (r < 0) {
                free(u);
                return r;
        }
        r = unit_add_name(u, name);
        if (r < 0) {
                ordered_set_remove(m->all_units, u);
                free(u);
                return r;
        }
        if (vt && vt->init)
                vt->init(u);
        *ret = u;
        return 0;
}

/* Drops every dependency of u (both ends). With requeue_gc, the other units are checked for
 * collection (they may have been kept only by u), as systemd 252's unit_clear_dependencies(). */
static void unit_clear_dependencies(Unit *u, bool requeue_gc) {
        Unit *other;

        while ((other = hashmap_first_key(u->dependencies))) {
                (void) hashmap_remove(u->dependencies, other);
                (void) hashmap_remove(other->dependencies, u); /* every inverse of u's kinds */
                if (requeue_gc)
                        unit_add_to_gc_queue(other);
        }
        u->dependencies = hashmap_free(u->dependencies);
}

/* Takes u out of the manager's (singly linked) load-time queues. */
static void unit_leave_load_queues(Unit *u) {
        Manager *m = u->manager;

        if (u->in_load_queue) {
                Unit *prev = NULL;
                for (Unit *i = m->load_queue; i; prev = i, i = i->load_queue_next) {
                        if (i != u)
                                continue;
                        if (prev)
                                prev->load_queue_next = u->load_queue_next;
                        else
                                m->load_queue = u->load_queue_next;
                        if (m->load_queue_tail == u)
                                m->load_queue_tail = prev;
                        break;
                }
                u->in_load_queue = false;
        }
        if (u->in_target_deps_queue) {
                for (Unit **i = &m->target_deps_queue; *i; i = &(*i)->target_deps_queue_next)
                        if (*i == u) {
                                *i = u->target_deps_queue_next;
                                break;
                        }
                u->in_target_deps_queue = false;
        }
        if (u->in_mount_deps_queue) {
                for (Unit **i = &m->mount_deps_queue; *i; i = &(*i)->mount_deps_queue_next)
                        if (*i == u) {
                                *i = u->mount_deps_queue_next;
                                break;
                        }
                u->in_mount_deps_queue = false;
        }
}

static void free_retired_exec_commands(Unit *u) {
        for (size_t i = 0; i < u->n_retired_exec_commands; i++)
                exec_command_free_list(u->retired_exec_commands[i]);
        u->retired_exec_commands = mfree(u->retired_exec_commands);
        u->n_retired_exec_commands = 0;
}

/* Whether list l holds one of the running commands (NULL entries hold nothing). */
static bool exec_list_runs(const ExecCommand *l, ExecCommand *const running[static 2]) {
        for (; l; l = l->next)
                if (l == running[0] || l == running[1])
                        return true;
        return false;
}

/* Drops the Exec*= lists. A list holding a command that runs now (UnitVTable.running_commands)
 * is kept aside until a later reload finds none of its commands running, or the unit is freed;
 * so a unit that runs on across any number of reloads keeps only the lists its running commands
 * came from. Rather than free a list in use when memory for keeping it runs out, it is lost. */
static void retire_exec_commands(Unit *u) {
        ExecCommand *running[2] = {};
        size_t n = 0;

        if (UNIT_VTABLE(u)->running_commands)
                UNIT_VTABLE(u)->running_commands(u, running);
        for (size_t i = 0; i < u->n_retired_exec_commands; i++) {
                ExecCommand *l = u->retired_exec_commands[i];

                if (exec_list_runs(l, running))
                        u->retired_exec_commands[n++] = l;
                else
                        exec_command_free_list(l);
        }
        u->n_retired_exec_commands = n;
        if (n == 0)
                u->retired_exec_commands = mfree(u->retired_exec_commands);

        for (size_t i = 0; i < _EXEC_COMMAND_KIND_MAX; i++) {
                ExecCommand *l = u->exec_commands[i];
                ExecCommand **a;

                u->exec_commands[i] = NULL;
                if (!exec_list_runs(l, running)) {
                        exec_command_free_list(l);
                        continue;
                }
                a = reallocarray(u->retired_exec_commands, u->n_retired_exec_commands + 1, sizeof(ExecCommand *));
                if (!a) {
                        log_oom();
                        continue;
                }
                u->retired_exec_commands = a;
                a[u->n_retired_exec_commands++] = l;
        }
}

/* What loading produced; the names, the id and the runtime state are not touched. */
void unit_reset_loaded_data(Unit *u) {
        u->fragment_path = mfree(u->fragment_path);
        u->source_path = mfree(u->source_path);
        u->dropin_paths = strv_free(u->dropin_paths);
        u->fragment_mtime = 0;
        u->not_found_hash = 0;
        u->slice = NULL;
        u->requires_mounts_for = strv_free(u->requires_mounts_for);
        u->description = mfree(u->description);
        u->documentation = strv_free(u->documentation);
        u->settings = hashmap_free(u->settings);
        exec_settings_done(&u->exec);
        retire_exec_commands(u);
        u->service_type = NULL;
        u->bus_name = mfree(u->bus_name);
        u->remain_after_exit = u->start_timeout_defined = u->socket_accept = false;
        u->sockets = strv_free(u->sockets);
        u->trigger_unit = mfree(u->trigger_unit);
        u->rt.job_timeout_reboot_argument = mfree(u->rt.job_timeout_reboot_argument);
        condition_list_free(u->conditions, u->n_conditions);
        condition_list_free(u->asserts, u->n_asserts);
        u->conditions = u->asserts = NULL;
        u->n_conditions = u->n_asserts = 0;
        unit_clear_dependencies(u, false);
        unit_init_loaded_data(u);
}

Unit *unit_free(Unit *u) {
        Manager *m;
        char *n;

        if (!u)
                return NULL;
        m = u->manager;
        if (UNIT_VTABLE(u)->done)
                UNIT_VTABLE(u)->done(u); /* also a merged stub: it has the type's initial state */
        if (m->event)
                bus_unit_send_removed_signal(u);
        manager_store_forget_unit(u);
        job_free(u->job);
        job_free(u->nop_job);
        u->job = u->nop_job = NULL;
        unit_unwatch_all_pids(u);
        unit_leave_queues(u);
        unit_leave_load_queues(u);
        unit_release_cgroup(u);
        unit_clear_dependencies(u, m->event != NULL);
        ORDERED_SET_FOREACH(n, u->names)
                if (hashmap_get(m->units, n) == u)
                        hashmap_remove(m->units, n);
        ordered_set_remove(m->all_units, u);
        u->names = ordered_set_free(u->names);
        free(u->id);
        free(u->instance);
        free(u->fragment_path);
        free(u->source_path);
        strv_free(u->dropin_paths);
        strv_free(u->requires_mounts_for);
        free(u->description);
        strv_free(u->documentation);
        hashmap_free(u->settings);
        exec_settings_done(&u->exec);
        for (size_t i = 0; i < _EXEC_COMMAND_KIND_MAX; i++)
                exec_command_free_list(u->exec_commands[i]);
        free(u->bus_name);
        strv_free(u->sockets);
        free(u->trigger_unit);
        free(u->rt.job_timeout_reboot_argument);
        condition_list_free(u->conditions, u->n_conditions);
        condition_list_free(u->asserts, u->n_asserts);
        free_retired_exec_commands(u);
        return mfree(u);
}

Unit *unit_follow_merge(Unit *u) {
        while (u && u->load_state == UNIT_MERGED && u->merged_into)
                u = u->merged_into;
        return u;
}

bool unit_has_name(const Unit *u, const char *name) {
        return ordered_set_contains(u->names, name);
}

int unit_add_name(Unit *u, const char *name) {
        _cleanup_free_ char *instance = NULL;
        Unit *other;
        char *stored;
        int r;

        if (unit_has_name(u, name))
                return 0;
        if (!unit_name_is_valid(name, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE))
                return -EINVAL;
        if (unit_name_to_type(name) != u->type && u->id)
                return -EINVAL;
        other = hashmap_get(u->manager->units, name);
        if (other && other != u)
                return -EEXIST;
        if (unit_name_to_instance(name, &instance) < 0)
                return -EINVAL;
        if (u->id && !streq_ptr(instance, u->instance))
                return -EINVAL;
        r = ordered_set_put_strdup(&u->names, name);
        if (r < 0)
                return r;
        stored = ordered_set_get(u->names, name);
        r = hashmap_ensure_put(&u->manager->units, &string_hash_ops, stored, u);
        if (r < 0) {
                free(ordered_set_remove(u->names, name));
                return r;
        }
        if (!u->id) {
                u->id = strdup(name);
                if (!u->id)
                        return -ENOMEM;
                u->instance = TAKE_PTR(instance);
        }
        return 1;
}

void unit_choose_id(Unit *u, const char *name) {
        char *c;

        if (!unit_has_name(u, name) || streq(u->id, name))
                return;
        c = strdup(name);
        if (!c)
                return;
        free(u->id);
        u->id = c;
}

uint32_t unit_dependency_mask(const Unit *u, const Unit *other) {
        return (uint32_t) (uintptr_t) hashmap_get(u->dependencies, other);
}

/* The kinds other records for the kinds in mask. */
static uint32_t dependency_mask_inverse(uint32_t mask) {
        uint32_t inv = 0;

        for (UnitDependency d = 0; d < _UNIT_DEPENDENCY_MAX; d++)
                if (mask & UNIT_DEPENDENCY_BIT(d))
                        inv |= UNIT_DEPENDENCY_BIT(unit_dependency_inverse(d));
        return inv;
}

/* Adds the kinds in bits to u's entry for other (one side only). 1 if something was new. */
static int dependency_mask_add(Unit *u, Unit *other, uint32_t bits) {
        uint32_t old = unit_dependency_mask(u, other);
        int r;

        if ((old | bits) == old)
                return 0;
        r = hashmap_ensure_allocated(&u->dependencies, &trivial_hash_ops);
        if (r < 0)
                return r;
        r = hashmap_replace(u->dependencies, other, (void *) (uintptr_t) (old | bits));
        return r < 0 ? r : 1;
}

/* Takes the kinds in bits out of u's entry for other (one side only). */
static void dependency_mask_remove(Unit *u, Unit *other, uint32_t bits) {
        uint32_t old = unit_dependency_mask(u, other);

        if (!(old & bits))
                return;
        if (old & ~bits)
                (void) hashmap_replace(u->dependencies, other, (void *) (uintptr_t) (old & ~bits)); /* no allocation */
        else
                (void) hashmap_remove(u->dependencies, other);
}

/* Links u to other with the kinds in mask, and other to u with their inverses. */
static int dependency_link(Unit *u, Unit *other, uint32_t mask) {
        uint32_t old = unit_dependency_mask(u, other);
        int r, q;

        r = dependency_mask_add(u, other, mask);
        if (r < 0)
                return r;
        q = dependency_mask_add(other, u, dependency_mask_inverse(mask));
        if (q < 0) {
                dependency_mask_remove(u, other, mask & ~old); /* as it was */
                return q;
        }
        return r > 0 || q > 0;
}

bool unit_has_dependency(const Unit *u, UnitDependency d, const Unit *other) {
        return unit_dependency_mask(u, other) & UNIT_DEPENDENCY_BIT(d);
}

bool unit_dependency_iterate(const Unit *u, uint32_t mask, Iterator *i, Unit **ret) {
        const void *k;
        void *v;

        while (hashmap_iterate(u->dependencies, i, &v, &k))
                if ((uint32_t) (uintptr_t) v & mask) {
                        *ret = (Unit *) k;
                        return true;
                }
        return false;
}

bool unit_has_dependencies(const Unit *u, uint32_t mask) {
        Unit *other;

        UNIT_FOREACH_DEPENDENCIES(other, u, mask)
                return true;
        return false;
}

int unit_add_dependency(Unit *u, UnitDependency d, Unit *other) {
        u = unit_follow_merge(u);
        other = unit_follow_merge(other);
        if (u == other)
                return 0; /* systemd ignores dependencies on oneself */
        return dependency_link(u, other, UNIT_DEPENDENCY_BIT(d));
}

void unit_remove_dependency(Unit *u, UnitDependency d, Unit *other) {
        dependency_mask_remove(u, other, UNIT_DEPENDENCY_BIT(d));
        dependency_mask_remove(other, u, UNIT_DEPENDENCY_BIT(unit_dependency_inverse(d)));
}

int unit_add_two_dependencies(Unit *u, UnitDependency d, UnitDependency e, Unit *other) {
        int r = unit_add_dependency(u, d, other);
        if (r < 0)
                return r;
        return unit_add_dependency(u, e, other);
}

/* A template name gets the instance of u put in (as systemd's resolve_template()). */
static int resolve_template(const Unit *u, const char *name, char **ret) {
        if (!unit_name_is_valid(name, UNIT_NAME_TEMPLATE)) {
                *ret = strdup(name);
                return *ret ? 0 : -ENOMEM;
        }
        if (u->instance)
                return unit_name_replace_instance(name, u->instance, ret);
        {
                _cleanup_free_ char *prefix = NULL;
                int r = unit_name_to_prefix(u->id, &prefix);
                if (r < 0)
                        return r;
                return unit_name_replace_instance(name, prefix, ret);
        }
}

int unit_add_dependency_by_name(Unit *u, UnitDependency d, const char *name) {
        _cleanup_free_ char *resolved = NULL;
        Unit *other;
        int r;

        r = resolve_template(u, name, &resolved);
        if (r < 0)
                return r;
        r = manager_load_unit_prepare(u->manager, resolved, &other);
        if (r < 0)
                return r;
        return unit_add_dependency(u, d, other);
}

int unit_add_two_dependencies_by_name(Unit *u, UnitDependency d, UnitDependency e, const char *name) {
        int r = unit_add_dependency_by_name(u, d, name);
        if (r < 0)
                return r;
        return unit_add_dependency_by_name(u, e, name);
}

/* Moves the dependencies of other over to u, rewriting the back references. */
static int merge_dependencies(Unit *u, Unit *other) {
        Unit *back;

        while ((back = hashmap_first_key(other->dependencies))) {
                uint32_t mask = (uint32_t) (uintptr_t) hashmap_remove(other->dependencies, back);
                int r;

                (void) hashmap_remove(back->dependencies, other);
                if (back == u)
                        continue;
                r = dependency_link(u, back, mask);
                if (r < 0)
                        return r;
        }
        other->dependencies = hashmap_free(other->dependencies);
        return 0;
}

int unit_merge(Unit *u, Unit *other) {
        char *n;
        int r;

        u = unit_follow_merge(u);
        other = unit_follow_merge(other);
        if (u == other)
                return 0;
        if (u->type != other->type || !streq_ptr(u->instance, other->instance))
                return -EINVAL;
        if (!IN_SET(other->load_state, UNIT_STUB, UNIT_NOT_FOUND))
                return -EEXIST;
        while ((n = ordered_set_steal_first(other->names))) {
                hashmap_remove(u->manager->units, n);
                r = unit_add_name(u, n);
                free(n);
                if (r < 0)
                        return r;
        }
        r = merge_dependencies(u, other);
        if (r < 0)
                return r;
        other->load_state = UNIT_MERGED;
        other->merged_into = u;
        if (other->in_load_queue)
                other->in_load_queue = false; /* the queue skips it when it comes up */
        return 0;
}

int unit_require_mounts_for(Unit *u, const char *path) {
        _cleanup_free_ char *p = NULL;
        int r;

        if (!path_is_absolute(path))
                return -EINVAL;
        p = strdup(path);
        if (!p)
                return -ENOMEM;
        path_simplify(p);
        if (!path_is_normalized(p))
                return -EPERM;
        r = strv_extend_uniq(&u->requires_mounts_for, p);
        if (r > 0)
                manager_enqueue_mount_deps(u->manager, u);
        return r < 0 ? r : 0;
}

char *const *unit_setting_get(const Unit *u, const char *key) {
        return hashmap_get(u->settings, key);
}

const char *unit_setting_last(const Unit *u, const char *key) {
        char *const *l = unit_setting_get(u, key);
        size_t n = strv_length(l);
        return n > 0 ? l[n - 1] : NULL;
}

bool unit_setting_is_true(const Unit *u, const char *key) {
        const char *v = unit_setting_last(u, key);
        return v && parse_boolean(v) > 0;
}

int unit_setting_append(Unit *u, const char *key, const char *value) {
        const char *k = unit_intern(key);
        char **old, **l;
        int r;

        if (!k)
                return -ENOMEM;
        r = hashmap_ensure_allocated(&u->settings, &settings_ops);
        if (r < 0)
                return r;
        old = hashmap_get(u->settings, k);
        l = setting_values_append(old, value);
        if (!l)
                return -ENOMEM;
        /* the key moves to the end, as the order of the store's keys is that of their last value */
        free(hashmap_remove(u->settings, k));
        r = hashmap_put(u->settings, k, l);
        if (r < 0)
                free(l);
        return r < 0 ? r : 0;
}

void unit_setting_reset(Unit *u, const char *key) {
        free(hashmap_remove(u->settings, key));
}

const char *unit_load_error_name(const Unit *u) {
        switch (u->load_state) {
        case UNIT_NOT_FOUND:
                return "org.freedesktop.systemd1.NoSuchUnit";
        case UNIT_MASKED:
                return "org.freedesktop.systemd1.UnitMasked";
        case UNIT_BAD_SETTING:
                return "org.freedesktop.systemd1.BadUnitSetting";
        case UNIT_ERROR:
                return "org.freedesktop.DBus.Error.Failed";
        default:
                return NULL;
        }
}
