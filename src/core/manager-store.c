/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * manager-store.c: crash recovery on the manager's side, see manager-store.h. The records:
 *   "m"       the manager: job id counter, the environment block, timestamps, its clients on
 *             the system bus (subscribers, AddRef=yes references, clients of jobs);
 *   "u:NAME"  a unit: the common runtime state (timestamps, invocation ID, condition results,
 *             start limit, watched PIDs with their start times) and the type's own lines
 *             (UnitVTable.serialize);
 *   "j:ID"    an installed job (ID zero-padded to 10 digits: records come back in id order);
 *   "f:PATH"  a unit file as it was read: "DEV INO SIZE MTIME CTIME\n" and its bytes.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault-inject.h"
#include "fd-util.h"
#include "hashmap.h"
#include "init-link.h"
#include "job.h"
#include "log.h"
#include "manager-store.h"
#include "manager-sysbus.h"
#include "manager.h"
#include "parse-util.h"
#include "process-util.h"
#include "service.h"
#include "socket.h"
#include "state-store.h"
#include "string-util.h"
#include "strv.h"
#include "cgroup.h"

typedef struct FdList {
        int *fds;
        size_t n;
} FdList;

/* ---- opening -------------------------------------------------------------------------------- */

int manager_store_open(Manager *m) {
        _cleanup_free_ char *dir = strjoin(m->runtime_dir ?: "/run", "/sysmaster");
        _cleanup_free_ char *path = NULL;
        int r;

        if (!dir)
                return log_oom();
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create %s: %m", dir);
        path = strjoin(dir, "/state.lmdb");
        if (!path)
                return log_oom();
        r = state_store_open(path, m->recovering, &m->store);
        if (r < 0 && m->recovering) {
                log_error_errno(r, "Failed to open the state store %s, starting afresh: %m", path);
                m->recovering = false;
                r = state_store_open(path, false, &m->store);
        }
        if (r < 0)
                return log_error_errno(r, "Failed to open the state store %s: %m", path);
        log_debug("State store %s opened (%s).", path, m->recovering ? "recovering" : "fresh");
        return 0;
}

static void open_gates(Manager *m) {
        for (size_t i = 0; i < m->n_gates; i++) {
                (void) !write(m->gates[i], "1", 1);
                safe_close(m->gates[i]);
        }
        m->n_gates = 0;
}

void manager_store_close(Manager *m) {
        (void) manager_store_flush(m);
        open_gates(m);
        m->store = state_store_free(m->store);
        ser_free(&m->store_ser);
        m->store_deleted = strv_free(m->store_deleted);
        m->store_released_connections = strv_free(m->store_released_connections);
        free(m->gates);
        m->gates = NULL;
        m->n_gates_alloc = 0;
        manager_drop_recovered_fds(m);
}

/* ---- queueing ------------------------------------------------------------------------------- */

static void queue_unit(Unit *u) {
        Manager *m = u->manager;

        if (!m->store || u->in_store_queue)
                return;
        LIST_PREPEND(store_queue, m->store_unit_queue, u);
        u->in_store_queue = true;
}

void unit_add_to_store_queue(Unit *u) {
        if (!u->manager->recovering)
                queue_unit(u);
}

void job_add_to_store_queue(Job *j) {
        Manager *m = j->manager;

        if (!m->store || j->in_store_queue || !j->installed || m->recovering)
                return;
        LIST_PREPEND(store_queue, m->store_job_queue, j);
        j->in_store_queue = true;
        m->store_manager_dirty = true; /* the job id counter moved */
}

void manager_store_mark_dirty(Manager *m) {
        m->store_manager_dirty = true;
}

static void forget_key(Manager *m, char *key) {
        if (!key || strv_consume(&m->store_deleted, key) < 0)
                log_oom();
}

static char *job_key(uint32_t id) {
        char *k;

        return asprintf(&k, "j:%010" PRIu32, id) < 0 ? NULL : k;
}

void manager_store_forget_unit(Unit *u) {
        Manager *m = u->manager;

        if (u->in_store_queue) {
                LIST_REMOVE(store_queue, m->store_unit_queue, u);
                u->in_store_queue = false;
        }
        if (m->store && u->id)
                forget_key(m, strjoin("u:", u->id));
}

void manager_store_forget_job(Job *j) {
        Manager *m = j->manager;

        if (j->in_store_queue) {
                LIST_REMOVE(store_queue, m->store_job_queue, j);
                j->in_store_queue = false;
        }
        if (m->store)
                forget_key(m, job_key(j->id));
}

/* ---- writing -------------------------------------------------------------------------------- */

static const char *const timestamp_keys[] = {
        "ts-inactive-exit", "ts-active-enter", "ts-active-exit", "ts-inactive-enter",
        "ts-state-change", "ts-condition", "ts-assert",
};

static DualTimestamp *unit_timestamp(Unit *u, size_t i) {
        DualTimestamp *t[] = {
                &u->inactive_exit_timestamp, &u->active_enter_timestamp, &u->active_exit_timestamp,
                &u->inactive_enter_timestamp, &u->state_change_timestamp, &u->condition_timestamp,
                &u->assert_timestamp,
        };
        return t[i];
}

static void unit_serialize_common(Unit *u, Serializer *s) {
        char id[33];
        void *p;

        for (size_t i = 0; i < ELEMENTSOF(timestamp_keys); i++)
                ser_dual(s, timestamp_keys[i], unit_timestamp(u, i));
        ser_item(s, "invocation-id", unit_has_invocation_id(u) ? unit_invocation_id_format(u, id) : NULL);
        ser_bool(s, "condition-result", u->condition_result);
        ser_bool(s, "assert-result", u->assert_result);
        if (u->start_limit_count > 0 || u->start_limit_hit)
                ser_itemf(s, "start-limit", "%" PRIu64 " %u %d", (uint64_t) u->start_limit_begin,
                          u->start_limit_count, u->start_limit_hit);
        ser_bool(s, "cgroup-realized", u->cgroup_realized);
        if (u->cgroup_realized && u->cgroup_events_wd > 0)
                ser_itemf(s, "cgroup-watch", "%d %" PRIu64, u->cgroup_events_wd, u->cgroup_id);
        ORDERED_SET_FOREACH(p, u->pids) {
                pid_t pid = PTR_TO_PID(p);
                ser_itemf(s, "pid", "%i %" PRIu64 " %d", (int) pid, unit_watched_pid_start_time(u, pid),
                          unit_watched_pid_owned(u, pid));
        }
}

static void job_serialize(Job *j, Serializer *s) {
        ser_item(s, "unit", j->unit->id);
        ser_item(s, "type", job_type_to_string(j->type));
        ser_item(s, "state", job_state_to_string(j->state));
        ser_bool(s, "irreversible", j->irreversible);
        ser_bool(s, "ignore-order", j->ignore_order);
        ser_bool(s, "reloaded", j->reloaded);
        if (j->begin_usec != USEC_INFINITY)
                ser_uint(s, "begin", j->begin_usec);
        if (j->begin_running_usec != USEC_INFINITY)
                ser_uint(s, "begin-running", j->begin_running_usec);
}

static const char *const manager_timestamp_keys[_MANAGER_TIMESTAMP_MAX] = {
        [MANAGER_TIMESTAMP_FIRMWARE] = "firmware",
        [MANAGER_TIMESTAMP_LOADER] = "loader",
        [MANAGER_TIMESTAMP_KERNEL] = "kernel",
        [MANAGER_TIMESTAMP_INITRD] = "initrd",
        [MANAGER_TIMESTAMP_USERSPACE] = "userspace",
        [MANAGER_TIMESTAMP_FINISH] = "finish",
        [MANAGER_TIMESTAMP_SECURITY_START] = "security-start",
        [MANAGER_TIMESTAMP_SECURITY_FINISH] = "security-finish",
        [MANAGER_TIMESTAMP_GENERATORS_START] = "generators-start",
        [MANAGER_TIMESTAMP_GENERATORS_FINISH] = "generators-finish",
        [MANAGER_TIMESTAMP_UNITS_LOAD_START] = "units-load-start",
        [MANAGER_TIMESTAMP_UNITS_LOAD_FINISH] = "units-load-finish",
};

static void manager_serialize(Manager *m, Serializer *s) {
        ser_uint(s, "job-id", m->current_job_id);
        ser_strv(s, "env", m->environment);
        ser_bool(s, "startup-finished", m->startup_finished);
        ser_item(s, "default-target", m->default_target);
        ser_int(s, "return-value", m->return_value);
        ser_itemf(s, "init-dropped-checked", "%" PRIu64, m->init_dropped_checked);
        for (size_t i = 0; i < _MANAGER_TIMESTAMP_MAX; i++) {
                char key[64];

                snprintf(key, sizeof(key), "ts-%s", manager_timestamp_keys[i]);
                ser_dual(s, key, &m->timestamps[i]);
        }
        manager_sysbus_serialize(m, s);
}

static int put_record(Manager *m, const char *key) {
        const char *data;
        size_t size;
        int r = ser_done(&m->store_ser, &data, &size);

        if (r >= 0)
                r = state_store_put(m->store, key, data, size);
        if (r < 0)
                log_error_errno(r, "Failed to write %s to the state store: %m", key);
        return r;
}

/* After this many unit and job records were written (a burst spread over a few turns: an isolate,
 * a mass restart) LMDB's page cache and the heap are large: once idle a second after the last
 * commit, they are given back (manager_store_release_cache(), heap_settle()). */
#define STORE_BURST_RECORDS 64

int manager_store_flush(Manager *m) {
        Unit *u;
        Job *j;
        int r = 0;

        /* Not while daemon-reload has the units half loaded: the commit after it has them whole
         * (a crash in between finds the state from before the reload). */
        if (!m->store || m->n_reloading > 0)
                return 0;
        STRV_FOREACH(k, m->store_deleted)
                (void) state_store_delete(m->store, *k);
        m->store_deleted = strv_free(m->store_deleted);
        while ((u = m->store_unit_queue)) {
                _cleanup_free_ char *key = strjoin("u:", u->id);

                LIST_REMOVE(store_queue, m->store_unit_queue, u);
                u->in_store_queue = false;
                if (!key)
                        return log_oom();
                ser_reset(&m->store_ser);
                unit_serialize_common(u, &m->store_ser);
                if (UNIT_VTABLE(u)->serialize)
                        UNIT_VTABLE(u)->serialize(u, &m->store_ser);
                (void) put_record(m, key);
                m->store_records_unsettled++;
        }
        while ((j = m->store_job_queue)) {
                _cleanup_free_ char *key = job_key(j->id);

                LIST_REMOVE(store_queue, m->store_job_queue, j);
                j->in_store_queue = false;
                if (!key)
                        return log_oom();
                ser_reset(&m->store_ser);
                job_serialize(j, &m->store_ser);
                (void) put_record(m, key);
                m->store_records_unsettled++;
        }
        if (m->store_manager_dirty) {
                m->store_manager_dirty = false;
                ser_reset(&m->store_ser);
                manager_serialize(m, &m->store_ser);
                (void) put_record(m, "m");
        }
        if (state_store_pending(m->store)) {
                r = state_store_commit(m->store);
                if (r < 0)
                        log_error_errno(r, "Failed to commit the state store: %m");
                if (m->n_gates > 0)
                        fault_point("after-commit");
                /* after start-up, which settles when it finishes */
                if (m->store_records_unsettled >= STORE_BURST_RECORDS && m->startup_finished)
                        manager_schedule_heap_settle(m, USEC_PER_SEC);
        }
        open_gates(m);
        STRV_FOREACH(n, m->store_released_connections) {
                Unit *svc = manager_get_unit(m, *n);

                if (!svc || svc->type != UNIT_SERVICE || !SERVICE(svc)->connection_fd_name)
                        continue;
                manager_keep_fds(m, SERVICE(svc)->connection_fd_name, NULL, 0);
                SERVICE(svc)->connection_fd_name = mfree(SERVICE(svc)->connection_fd_name);
                unit_add_to_store_queue(svc); /* the next commit forgets the name */
        }
        m->store_released_connections = strv_free(m->store_released_connections);
        if (m->pending_exit_ack > 0 && m->init_link) {
                (void) init_link_ack(m->init_link, m->pending_exit_ack);
                m->pending_exit_ack = 0;
        }
        return r;
}

void manager_store_release_cache(Manager *m) {
        int r;

        if (!m->store)
                return;
        m->store_records_unsettled = 0;
        r = state_store_release_cache(m->store);
        if (r < 0)
                log_debug_errno(r, "Failed to reopen the state store to free its page cache, keeping it: %m");
}

int manager_spawn_gate(Manager *m) {
        int p[2];

        if (!m->store)
                return -1;
        if (m->n_gates >= m->n_gates_alloc && !GREEDY_REALLOC(m->gates, m->n_gates_alloc, m->n_gates + 1))
                return -1;
        if (pipe2(p, O_CLOEXEC) < 0) {
                log_warning_errno(errno, "Failed to create a spawn gate, starting ungated: %m");
                return -1;
        }
        m->gates[m->n_gates++] = p[1];
        return p[0];
}

void manager_spawn_gate_done(Manager *m, int *gate_fd, bool spawned) {
        if (*gate_fd < 0)
                return;
        *gate_fd = safe_close(*gate_fd);
        /* the gate of this spawn is the last one: nothing else ran in between */
        if (!spawned && m->n_gates > 0)
                safe_close(m->gates[--m->n_gates]);
}

void manager_store_ack_exit(Manager *m, uint64_t serial) {
        if (!m->store) {
                if (m->init_link)
                        (void) init_link_ack(m->init_link, serial);
                return;
        }
        if (serial > m->pending_exit_ack)
                m->pending_exit_ack = serial;
}

/* ---- reading back --------------------------------------------------------------------------- */

/* Our children (running, or zombies we have not reaped), read once per pass from
 * /proc/self/task/TID/children: a PID among them cannot have been reused, without a look at
 * /proc/PID/stat. After an in-place re-execution the services are still our children; after a
 * new manager took over they are init's. NULL while no pass runs or when the list cannot be
 * read: then each PID is asked with waitid(). */
static Hashmap *our_children;

static void load_our_children(void) {
        char path[64];
        _cleanup_free_ char *list = NULL;

        hashmap_free(our_children);
        our_children = NULL;
        (void) snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int) getpid());
        if (read_full_file(path, SIZE_MAX, &list, NULL) < 0 ||
            hashmap_ensure_allocated(&our_children, &trivial_hash_ops) < 0)
                return;
        for (const char *p = list; *p;) {
                char *end;
                unsigned long pid = strtoul(p, &end, 10);

                if (end == p)
                        break;
                if (pid > 1 && hashmap_put(our_children, PID_TO_PTR((pid_t) pid), PID_TO_PTR((pid_t) pid)) < 0) {
                        hashmap_free(our_children); /* out of memory: ask each PID */
                        our_children = NULL;
                        return;
                }
                p = end;
        }
}

static void forget_our_children(void) {
        hashmap_free(our_children);
        our_children = NULL;
}

static bool pid_is_our_child(pid_t pid) {
        siginfo_t si = {};

        if (our_children)
                return hashmap_contains(our_children, PID_TO_PTR(pid));
        return waitid(P_PID, (id_t) pid, &si, WEXITED | WNOHANG | WNOWAIT) >= 0;
}

/* Whether the recorded start times of owned PIDs stand without a look at /proc (for this pass):
 * a PID that was our child or init's when recorded cannot have been reused without init or us
 * seeing its end. Ours committed its consequences before reaping it; init's is among the
 * records init still holds, handled before anything acts on a PID (manager_store_resume()),
 * unless init dropped records from its full ring since all PIDs were last checked. */
static bool trust_owned;

/* A unit's record being read back: what needs the whole record first. */
typedef struct UnitRecord {
        Unit *unit;
        bool cgroup_realized;
        int cgroup_wd;
        uint64_t cgroup_id;
} UnitRecord;

static int unit_deserialize_item(const char *key, const char *value, void *userdata) {
        UnitRecord *rec = userdata;
        Unit *u = rec->unit;

        if (startswith(key, "ts-"))
                for (size_t i = 0; i < ELEMENTSOF(timestamp_keys); i++)
                        if (streq(key, timestamp_keys[i])) {
                                (void) deser_dual(value, unit_timestamp(u, i));
                                return 0;
                        }
        if (streq(key, "invocation-id"))
                (void) unit_set_invocation_id_string(u, value);
        else if (streq(key, "condition-result"))
                (void) deser_bool(value, &u->condition_result);
        else if (streq(key, "assert-result"))
                (void) deser_bool(value, &u->assert_result);
        else if (streq(key, "start-limit")) {
                uint64_t v[3];

                if (deser_numbers(value, v, 3, NULL) >= 0) {
                        u->start_limit_begin = v[0];
                        u->start_limit_count = (unsigned) v[1];
                        u->start_limit_hit = (int) v[2];
                }
        } else if (streq(key, "cgroup-realized"))
                (void) deser_bool(value, &rec->cgroup_realized);
        else if (streq(key, "cgroup-watch")) {
                uint64_t v[2];

                if (deser_numbers(value, v, 2, NULL) >= 0) {
                        rec->cgroup_wd = (int) v[0];
                        rec->cgroup_id = v[1];
                }
        } else if (streq(key, "pid")) {
                uint64_t v[2], o = 0;
                const char *rest;
                unsigned long long t;
                int pid, owned;

                if (deser_numbers(value, v, 2, &rest) < 0 || (*rest && deser_numbers(rest, &o, 1, NULL) < 0))
                        return 0;
                pid = (int) v[0];
                t = v[1];
                owned = (int) o;
                if (pid <= 1)
                        return 0;
                /* the recorded start time stands for a child of ours, and for an owned PID while
                 * init lost no record (unit_watch_pid() then does not read it again) */
                if (t != 0 && ((owned && trust_owned) || pid_is_our_child(pid)) &&
                    manager_remember_pid_start(u->manager, pid, t, true) < 0)
                        return log_oom();
                if (unit_watch_pid(u, pid) < 0) {
                        if (!hashmap_contains(u->manager->watch_pids, PID_TO_PTR(pid)))
                                (void) hashmap_remove(u->manager->watch_pid_start, PID_TO_PTR(pid));
                        return 0;
                }
                /* A process with another start time is not ours: the PID was reused. One that is
                 * gone (0) stays watched: init's exit record for it comes next. */
                uint64_t now_t = unit_watched_pid_start_time(u, pid);
                if (now_t != 0 && t != 0 && now_t != t) {
                        log_unit_notice(u, "PID %d was reused by another process, not watching it.", pid);
                        unit_unwatch_pid(u, pid);
                }
        } else if (UNIT_VTABLE(u)->deserialize_item)
                return UNIT_VTABLE(u)->deserialize_item(u, key, value);
        return 0;
}

/* First pass: every unit of the store is created and queued, and the queue is loaded in one
 * pass (one look at the unit search directories). */
static int prepare_unit(const char *key, const void *data, size_t size, void *userdata) {
        Manager *m = userdata;
        Unit *u;
        int r;

        (void) data;
        (void) size;
        r = manager_load_unit_prepare(m, key + 2, &u);
        if (r < 0) {
                log_warning_errno(r, "Failed to load unit %s again, dropping its saved state: %m", key + 2);
                forget_key(m, strdup(key));
        }
        return 0;
}

/* Second pass: the units' state. */
static int restore_unit(const char *key, const void *data, size_t size, void *userdata) {
        Manager *m = userdata;
        UnitRecord rec = { .unit = unit_follow_merge(manager_get_unit(m, key + 2)) };
        int r;

        if (!rec.unit)
                return 0; /* dropped by the first pass */
        r = deserialize_lines(data, size, unit_deserialize_item, &rec);
        if (r < 0)
                log_unit_warning_errno(rec.unit, r, "Failed to read back the unit's state, ignoring: %m");
        if (rec.cgroup_realized) {
                (void) unit_restore_cgroup(rec.unit, rec.cgroup_wd, rec.cgroup_id);
                /* a new watch (the inotify object was not kept, or the record had none): the
                 * record must say which, or the next restore would look for the old one */
                if (rec.unit->cgroup_events_wd != rec.cgroup_wd)
                        queue_unit(rec.unit);
        }
        return 0;
}

typedef struct JobRecord {
        char *unit;
        JobType type;
        JobState state;
        bool irreversible, ignore_order, reloaded;
        usec_t begin, begin_running;
} JobRecord;

static int job_record_item(const char *key, const char *value, void *userdata) {
        JobRecord *rec = userdata;
        uint64_t u;

        if (streq(key, "unit"))
                return free_and_strdup(&rec->unit, value) < 0 ? -ENOMEM : 0;
        if (streq(key, "type"))
                rec->type = job_type_from_string(value);
        else if (streq(key, "state"))
                rec->state = job_state_from_string(value);
        else if (streq(key, "irreversible"))
                (void) deser_bool(value, &rec->irreversible);
        else if (streq(key, "ignore-order"))
                (void) deser_bool(value, &rec->ignore_order);
        else if (streq(key, "reloaded"))
                (void) deser_bool(value, &rec->reloaded);
        else if (streq(key, "begin") && safe_atou64(value, &u) >= 0)
                rec->begin = u;
        else if (streq(key, "begin-running") && safe_atou64(value, &u) >= 0)
                rec->begin_running = u;
        return 0;
}

static int restore_job(const char *key, const void *data, size_t size, void *userdata) {
        Manager *m = userdata;
        JobRecord rec = { .type = _JOB_TYPE_INVALID, .state = _JOB_STATE_INVALID,
                          .begin = USEC_INFINITY, .begin_running = USEC_INFINITY };
        Unit *u;
        unsigned id;
        int r;

        if (safe_atou_full(key + 2, 10, &id) < 0 || id == 0)
                return 0;
        r = deserialize_lines(data, size, job_record_item, &rec);
        if (r >= 0 && (!rec.unit || rec.type < 0 || rec.type >= _JOB_TYPE_MAX_IN_TRANSACTION || rec.state < 0))
                r = -EBADMSG;
        if (r >= 0) {
                u = manager_get_unit(m, rec.unit);
                if (!u)
                        r = -ENOENT;
                else
                        r = job_restore(u, (uint32_t) id, rec.type, rec.state, rec.irreversible, rec.ignore_order,
                                        rec.reloaded, rec.begin, rec.begin_running);
        }
        if (r < 0) {
                log_warning_errno(r, "Failed to restore job %u (%s), dropping it: %m", id, strna(rec.unit));
                forget_key(m, strdup(key));
        }
        free(rec.unit);
        return 0;
}

typedef struct ManagerRecord {
        Manager *manager;
        char **environment; /* the "env" lines: replace the block we were started with */
} ManagerRecord;

static int manager_item(const char *key, const char *value, void *userdata) {
        ManagerRecord *rec = userdata;
        Manager *m = rec->manager;
        const char *ts;

        if (streq(key, "job-id")) {
                unsigned id;

                if (safe_atou(value, &id) >= 0 && id > m->current_job_id)
                        m->current_job_id = id;
        } else if (streq(key, "env")) {
                if (strv_extend(&rec->environment, value) < 0)
                        return -ENOMEM;
        } else if (streq(key, "startup-finished"))
                (void) deser_bool(value, &m->startup_finished);
        else if (streq(key, "default-target"))
                return free_and_strdup(&m->default_target, value) < 0 ? -ENOMEM : 0;
        else if (streq(key, "return-value"))
                (void) safe_atoi(value, &m->return_value);
        else if (streq(key, "init-dropped-checked"))
                (void) safe_atou64(value, &m->init_dropped_checked);
        else if (startswith(key, "bus-"))
                return manager_sysbus_deserialize_item(m, key, value);
        else if ((ts = startswith(key, "ts-"))) {
                for (size_t i = 0; i < _MANAGER_TIMESTAMP_MAX; i++)
                        if (streq(ts, manager_timestamp_keys[i]))
                                (void) deser_dual(value, &m->timestamps[i]);
        }
        return 0;
}

int manager_store_restore(Manager *m) {
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        if (!m->store || !m->recovering)
                return 0;
        /* Loading may keep copies of unit files that changed: one transaction for the reads and
         * those writes (committed by the first flush). */
        r = state_store_begin(m->store);
        if (r < 0)
                log_warning_errno(r, "Failed to begin a state store transaction, ignoring: %m");
        r = state_store_get(m->store, "m", &data, &size);
        if (r >= 0) {
                ManagerRecord rec = { .manager = m };

                r = deserialize_lines(data, size, manager_item, &rec);
                if (r < 0)
                        log_warning_errno(r, "Failed to read back the manager's state, ignoring: %m");
                if (rec.environment) {
                        strv_free(m->environment);
                        m->environment = rec.environment;
                }
        }
        r = state_store_foreach(m->store, "u:", prepare_unit, m);
        if (r >= 0) {
                uint64_t dropped = init_link_dropped_records(m->init_link);

                manager_dispatch_load_queue(m);
                load_our_children();
                trust_owned = m->init_link && dropped == m->init_dropped_checked;
                if (!trust_owned && m->init_link)
                        log_info("sysmaster-init lost exit records since the last check (%" PRIu64
                                 " dropped), checking every process against /proc.", dropped);
                r = state_store_foreach(m->store, "u:", restore_unit, m);
                forget_our_children();
                trust_owned = false;
                /* every PID was checked now (or trusted as above): committed with the restore */
                if (dropped != UINT64_MAX)
                        m->init_dropped_checked = dropped;
        }
        if (r < 0)
                log_error_errno(r, "Failed to read the units' state: %m");
        manager_dispatch_load_queue(m);
        r = state_store_foreach(m->store, "j:", restore_job, m);
        if (r < 0)
                log_error_errno(r, "Failed to read the jobs: %m");
        return 0;
}

/* Accept=yes connections accepted by the manager before us whose serving process was never
 * committed: served now, as if they had just been accepted. */
static void resume_connections(Manager *m) {
        _cleanup_strv_free_ char **names = hashmap_get_strv_keys(m->recovered_fds);

        STRV_FOREACH(n, names) {
                const char *p = startswith(*n, "conn:");
                _cleanup_free_ char *socket_name = NULL;
                char *kept;
                Unit *s;
                int fd;

                if (!p || !(socket_name = strndup(p, strcspn(p, "/"))))
                        continue;
                fd = manager_take_fd(m, *n);
                s = manager_get_unit(m, socket_name);
                if (fd < 0 || !s || s->type != UNIT_SOCKET) {
                        manager_keep_fds(m, *n, NULL, 0);
                        safe_close(fd);
                        continue;
                }
                log_unit_info(s, "Serving a connection accepted before the restart.");
                /* still kept under its name until its process is committed */
                kept = strdup(*n);
                if (!kept)
                        manager_keep_fds(m, *n, NULL, 0);
                socket_dispatch_connection(s, fd, kept);
        }
}

#define LOST_PID_GRACE_USEC (5 * USEC_PER_SEC)

static int sweep_lost_pids(EventSource *s, usec_t usec, void *userdata) {
        Manager *m = userdata;
        _cleanup_free_ pid_t *pids = NULL;
        _cleanup_free_ Unit **units = NULL;
        size_t n = 0, alloc_p = 0, alloc_u = 0;
        Unit *u;

        (void) s;
        (void) usec;
        /* collected first: reporting an exit changes the sets */
        load_our_children();
        ORDERED_SET_FOREACH(u, m->all_units) {
                void *p;

                ORDERED_SET_FOREACH(p, u->pids) {
                        pid_t pid = PTR_TO_PID(p);
                        ProcStat st;

                        /* a child of ours is not lost: its exit comes with SIGCHLD */
                        if (pid_is_our_child(pid) || proc_stat(pid, &st) >= 0)
                                continue;
                        if (!GREEDY_REALLOC(pids, alloc_p, n + 1) || !GREEDY_REALLOC(units, alloc_u, n + 1)) {
                                forget_our_children();
                                return log_oom();
                        }
                        pids[n] = pid;
                        units[n++] = u;
                }
        }
        forget_our_children();
        for (size_t i = 0; i < n; i++) {
                if (hashmap_get(m->watch_pids, PID_TO_PTR(pids[i])) != units[i])
                        continue;
                log_unit_warning(units[i], "PID %d ended while no manager ran and its exit status was lost.",
                                 (int) pids[i]);
                manager_dispatch_child_exit(m, units[i], pids[i], CLD_KILLED, SIGKILL);
        }
        return 0;
}

void manager_store_resume(Manager *m) {
        Unit *u;
        Job *j;

        /* The records equal what was read back; what changes from here on is queued as usual
         * (records of units that could not be loaded again were dropped while reading). */
        m->recovering = false;
        /* What ended meanwhile: init's exit records (after SIGKILL the services were re-parented
         * to it), and, after an in-place re-execution, zombies that are still our children. */
        if (init_link_process_held_records(m->init_link, 5 * USEC_PER_SEC) < 0)
                log_warning("Not all exit records sysmaster-init held arrived, going on.");
        manager_reap_children(m);
        /* A unit on its way down may wait for its cgroup to empty: that may have happened while
         * no inotify watch was there to see it. */
        ORDERED_SET_FOREACH(u, m->all_units)
                if (u->cgroup_realized && unit_active_state(u) == UNIT_DEACTIVATING)
                        unit_check_cgroup_events(u);
        /* A PID that is gone and was not our child was reaped by init, whose record may still be
         * on its way (init sends them again after our HELLO): only what has no record after a
         * while is reported as lost (init's ring overflowed). */
        if (m->event &&
            event_add_time_relative(m->event, NULL, CLOCK_MONOTONIC, LOST_PID_GRACE_USEC, 0, sweep_lost_pids, m) < 0)
                (void) sweep_lost_pids(NULL, 0, m);
        HASHMAP_FOREACH(j, m->jobs)
                job_resume(j);
        resume_connections(m);
        manager_store_mark_dirty(m);
}

/* ---- unit files ----------------------------------------------------------------------------- */

/* "f:PATH" = the identity line, then the file's bytes. */
static int file_identity(const struct stat *st, char *buf, size_t size) {
        int n = snprintf(buf, size, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIi64 ".%09ld %" PRIi64 ".%09ld\n",
                         (uint64_t) st->st_dev, (uint64_t) st->st_ino, (uint64_t) st->st_size,
                         (int64_t) st->st_mtim.tv_sec, st->st_mtim.tv_nsec, (int64_t) st->st_ctim.tv_sec,
                         st->st_ctim.tv_nsec);

        return n > 0 && (size_t) n < size ? n : -EINVAL;
}

int manager_store_cached_file(Manager *m, const char *path, const struct stat *st, char **ret, size_t *ret_size) {
        _cleanup_free_ char *key = NULL, *value = NULL;
        char id[160];
        size_t size;
        int n;

        if (!m->store || !m->recovering || !S_ISREG(st->st_mode))
                return 0;
        n = file_identity(st, id, sizeof id);
        key = strjoin("f:", path);
        if (n < 0 || !key || state_store_get(m->store, key, &value, &size) < 0)
                return 0;
        if (size < (size_t) n || memcmp(value, id, (size_t) n) != 0)
                return 0; /* changed since */
        size -= (size_t) n;
        memmove(value, value + n, size + 1);
        *ret = TAKE_PTR(value);
        *ret_size = size;
        return 1;
}

void manager_store_keep_file(Manager *m, const char *path, const struct stat *st, const char *data, size_t size) {
        _cleanup_free_ char *key = NULL, *value = NULL, *old = NULL;
        size_t old_size;
        char id[160];
        int n;

        if (!m->store || !S_ISREG(st->st_mode))
                return;
        n = file_identity(st, id, sizeof id);
        key = strjoin("f:", path);
        if (n < 0 || !key || !(value = malloc((size_t) n + size + 1)))
                return;
        memcpy(value, id, (size_t) n);
        memcpy(value + n, data, size);
        /* daemon-reload reads every file again: most are kept already */
        if (state_store_get(m->store, key, &old, &old_size) >= 0 && old_size == (size_t) n + size &&
            memcmp(old, value, old_size) == 0)
                return;
        /* a path too long for a key is not kept: it is read again after a restart */
        (void) state_store_put(m->store, key, value, (size_t) n + size);
}

typedef struct TrimFiles {
        Hashmap *used; /* paths of the files the loaded units use */
        char **stale;
} TrimFiles;

static int collect_stale_file(const char *key, const void *data, size_t size, void *userdata) {
        TrimFiles *t = userdata;

        (void) data;
        (void) size;
        if (hashmap_contains(t->used, key + 2))
                return 0;
        return strv_extend(&t->stale, key);
}

static int use_path(Hashmap **used, const char *path) {
        int r = hashmap_ensure_put(used, &string_hash_ops, path, (void *) path);
        return r == -EEXIST ? 0 : r;
}

void manager_store_trim_files(Manager *m) {
        TrimFiles t = {};
        Unit *u;
        int r = 0;

        if (!m->store)
                return;
        ORDERED_SET_FOREACH(u, m->all_units) {
                if (u->fragment_path && use_path(&t.used, u->fragment_path) < 0)
                        r = -ENOMEM;
                STRV_FOREACH(d, u->dropin_paths)
                        if (use_path(&t.used, *d) < 0)
                                r = -ENOMEM;
        }
        if (r >= 0)
                r = state_store_foreach(m->store, "f:", collect_stale_file, &t);
        if (r >= 0)
                STRV_FOREACH(k, t.stale)
                        (void) state_store_delete(m->store, *k);
        hashmap_free(t.used);
        strv_free(t.stale);
}

/* ---- fds ------------------------------------------------------------------------------------ */

static void fd_list_free(FdList *l) {
        if (!l)
                return;
        for (size_t i = 0; i < l->n; i++)
                safe_close(l->fds[i]);
        free(l->fds);
        free(l);
}

int manager_add_recovered_fds(Manager *m, const char *name, int *fds, size_t n) {
        _cleanup_free_ char *key = strdup(name);
        FdList *l = calloc(1, sizeof(FdList)), *old;
        int r;

        if (!key || !l || !(l->fds = malloc(n * sizeof(int)))) {
                free(l);
                for (size_t i = 0; i < n; i++)
                        safe_close(fds[i]);
                return -ENOMEM;
        }
        memcpy(l->fds, fds, n * sizeof(int));
        l->n = n;
        old = hashmap_get(m->recovered_fds, name);
        if (old) {
                char *k = NULL;
                old = hashmap_remove2(m->recovered_fds, name, (void **) &k);
                free(k);
                fd_list_free(old);
        }
        r = hashmap_ensure_put(&m->recovered_fds, &string_hash_ops, key, l);
        if (r < 0) {
                fd_list_free(l);
                return r;
        }
        TAKE_PTR(key);
        return 0;
}

size_t manager_take_fds(Manager *m, const char *name, int **ret) {
        char *key = NULL;
        FdList *l = hashmap_remove2(m->recovered_fds, name, (void **) &key);
        size_t n;

        *ret = NULL;
        if (!l)
                return 0;
        free(key);
        *ret = l->fds;
        n = l->n;
        free(l);
        return n;
}

int manager_take_fd(Manager *m, const char *name) {
        _cleanup_free_ int *fds = NULL;
        size_t n = manager_take_fds(m, name, &fds);

        for (size_t i = 1; i < n; i++)
                safe_close(fds[i]);
        return n > 0 ? fds[0] : -1;
}

void manager_release_connection_after_commit(Manager *m, Unit *u) {
        if (strv_extend(&m->store_released_connections, u->id) < 0)
                log_oom();
}

void manager_drop_recovered_fds(Manager *m) {
        char *key;

        while ((key = hashmap_first_key(m->recovered_fds))) {
                FdList *l = hashmap_remove2(m->recovered_fds, key, (void **) &key);

                log_debug("Closing %zu fds of \"%s\" from init's store: nobody claimed them.", l->n, key);
                free(key);
                fd_list_free(l);
        }
        m->recovered_fds = hashmap_free(m->recovered_fds);
}

void manager_keep_fds(Manager *m, const char *name, const int *fds, size_t n) {
        int r;

        if (!m->init_link)
                return;
        if (n == 0)
                r = init_link_fdstore_remove(m->init_link, name);
        else
                r = init_link_fdstore_put(m->init_link, name, fds, MIN(n, (size_t) INIT_FDS_PER_MESSAGE_MAX));
        if (r < 0)
                log_warning_errno(r, "Failed to %s \"%s\" in init's fd store: %m", n == 0 ? "drop" : "keep", name);
}
