/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * manager-runtime.c: the running manager (manager.h "Runtime"): the queues dispatched from the
 * event loop (gc with systemd 252's mark-and-sweep over references, cleanup, start-when-upheld,
 * stop-when-bound, stop-when-unneeded, D-Bus change signals), SIGCHLD (peek with WNOWAIT, find
 * the unit, reap, tell the type), the notify socket (datagrams with SCM_CREDENTIALS and
 * SCM_RIGHTS, handed to the sender's unit), the system state and daemon-reload.
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "execute.h"
#include "fd-util.h"
#include "job.h"
#include "log.h"
#include "manager-bus.h"
#include "crash-guard.h"
#include "fault-inject.h"
#include "manager-store.h"
#include "heap.h"
#include "manager.h"
#include "mkdir.h"
#include "path-util.h"
#include "socket-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-load.h"

#define NOTIFY_BUFFER_MAX 4096 /* PIPE_BUF, as 252 */
#define NOTIFY_FD_MAX 768

/* 252's priorities: notify messages before SIGCHLD (a READY=1 sent just before exiting counts). */
#define PRIORITY_NOTIFY (EVENT_PRIORITY_NORMAL - 8)
#define PRIORITY_SIGCHLD (EVENT_PRIORITY_NORMAL - 7)

static const char *const objective_table[_MANAGER_OBJECTIVE_MAX] = {
        [MANAGER_OK] = "ok",           [MANAGER_EXIT] = "exit",         [MANAGER_RELOAD] = "reload",
        [MANAGER_REEXECUTE] = "reexecute", [MANAGER_REBOOT] = "reboot", [MANAGER_POWEROFF] = "poweroff",
        [MANAGER_HALT] = "halt",       [MANAGER_KEXEC] = "kexec",
};

const char *manager_objective_to_string(ManagerObjective o) {
        return o >= 0 && o < _MANAGER_OBJECTIVE_MAX ? objective_table[o] : NULL;
}

/* ---------------------------------------------------------------- state */

static bool unit_named_active_or_pending(Manager *m, const char *name) {
        Unit *u = unit_follow_merge(manager_get_unit(m, name));
        return u && unit_active_or_pending(u);
}

unsigned manager_n_failed_units(Manager *m) {
        unsigned n = 0;
        Unit *u;

        ORDERED_SET_FOREACH(u, m->all_units)
                if (u->load_state != UNIT_MERGED && unit_active_state(u) == UNIT_FAILED)
                        n++;
        return n;
}

const char *manager_state_string(Manager *m) {
        Unit *basic;

        if (unit_named_active_or_pending(m, "shutdown.target"))
                return "stopping";
        if (!m->startup_finished) {
                basic = unit_follow_merge(manager_get_unit(m, "basic.target"));
                if (!basic || !unit_active_state_is_active_or_reloading(unit_active_state(basic)))
                        return "initializing";
                return "starting";
        }
        if (unit_named_active_or_pending(m, "rescue.target") ||
            unit_named_active_or_pending(m, "emergency.target"))
                return "maintenance";
        return manager_n_failed_units(m) > 0 ? "degraded" : "running";
}

Unit *manager_get_unit_by_pid(Manager *m, pid_t pid) {
        Unit *u;

        if (pid <= 0)
                return NULL;
        if (pid == getpid())
                return manager_get_unit(m, "init.scope");
        u = hashmap_get(m->watch_pids, PID_TO_PTR(pid));
        if (u)
                return u;
        return manager_get_unit_by_cgroup_pid(m, pid);
}

/* ---------------------------------------------------------------- GC */

enum {
        GC_OFFSET_IN_PATH = 0U, /* being looked at in this sweep */
        GC_OFFSET_UNSURE,  /* nothing known yet: collected unless something good is found */
        GC_OFFSET_GOOD,    /* needed */
        GC_OFFSET_BAD,     /* to be collected */
        _GC_OFFSET_MAX,
};

/* The units that "reference" u in 252's sense (UNIT_REFERENCED_BY: they added a dependency on
 * u): the inverse kinds of the dependencies a unit declares on another. Ordering (After=/
 * Before=) is recorded on both ends without its origin; it counts as a reference only towards a
 * unit that is not loaded, so that a not-found unit named in After= stays listed while the unit
 * naming it is loaded, as on systemd. */
static const UnitDependency referenced_by[] = {
        UNIT_REQUIRED_BY,   UNIT_REQUISITE_OF,     UNIT_WANTED_BY,        UNIT_BOUND_BY,
        UNIT_UPHELD_BY,     UNIT_CONSISTS_OF,      UNIT_CONFLICTED_BY,    UNIT_ON_SUCCESS_OF,
        UNIT_ON_FAILURE_OF, UNIT_TRIGGERED_BY,     UNIT_RELOAD_PROPAGATED_FROM,
        UNIT_STOP_PROPAGATED_FROM, UNIT_REFERENCED_BY, UNIT_SLICE_OF,
};

#define ORDERING_MASK (UNIT_DEPENDENCY_BIT(UNIT_BEFORE) | UNIT_DEPENDENCY_BIT(UNIT_AFTER))

/* The kinds in referenced_by, or (inverse) the kinds the referencing unit records; computed
 * once (the sweep and the marking ask for them per unit, recursively). */
static uint32_t referenced_by_mask(bool inverse) {
        static uint32_t masks[2];

        if (masks[0] == 0)
                for (size_t k = 0; k < ELEMENTSOF(referenced_by); k++) {
                        masks[0] |= UNIT_DEPENDENCY_BIT(referenced_by[k]);
                        masks[1] |= UNIT_DEPENDENCY_BIT(unit_dependency_inverse(referenced_by[k]));
                }
        return masks[inverse];
}

static void gc_mark_good(Unit *u, unsigned marker) {
        uint32_t references = referenced_by_mask(true);
        Unit *other;

        u->gc_marker = marker + GC_OFFSET_GOOD;
        UNIT_FOREACH_DEPENDENCIES(other, u, references | ORDERING_MASK) {
                if (other->gc_marker != marker + GC_OFFSET_UNSURE)
                        continue;
                if (other->load_state == UNIT_LOADED && !(unit_dependency_mask(u, other) & references))
                        continue; /* only ordered against it */
                gc_mark_good(other, marker);
        }
}

/* Looks at one referrer; returns 1 if it is good (u is kept), 0 if bad, -1 if unsure. */
static int gc_sweep(Unit *u, unsigned marker);

static int gc_referrer_state(Unit *other, unsigned marker) {
        (void) gc_sweep(other, marker);
        if (other->gc_marker == marker + GC_OFFSET_GOOD)
                return 1;
        return other->gc_marker == marker + GC_OFFSET_BAD ? 0 : -1;
}

static int gc_sweep(Unit *u, unsigned marker) {
        bool is_bad = true;
        Unit *other;

        if (u->gc_marker - marker < _GC_OFFSET_MAX)
                return 0; /* already looked at in this sweep */
        if (u->in_cleanup_queue)
                goto bad;
        if (!unit_may_gc(u))
                goto good;
        u->gc_marker = marker + GC_OFFSET_IN_PATH;
        UNIT_FOREACH_DEPENDENCIES(other, u, referenced_by_mask(false) | (u->load_state != UNIT_LOADED ? ORDERING_MASK : 0)) {
                int s = gc_referrer_state(other, marker);
                if (s > 0)
                        goto good;
                if (s < 0)
                        is_bad = false;
        }
        if (is_bad)
                goto bad;
        u->gc_marker = marker + GC_OFFSET_UNSURE;
        unit_add_to_gc_queue(u);
        return 0;
bad:
        u->gc_marker = marker + GC_OFFSET_BAD;
        unit_add_to_cleanup_queue(u);
        return 0;
good:
        gc_mark_good(u, marker);
        return 0;
}

static unsigned dispatch_gc_unit_queue(Manager *m) {
        unsigned n = 0, marker;
        Unit *u;

        m->gc_marker += _GC_OFFSET_MAX;
        if (m->gc_marker + _GC_OFFSET_MAX <= _GC_OFFSET_MAX)
                m->gc_marker = 1;
        marker = m->gc_marker;
        while ((u = m->gc_unit_queue)) {
                (void) gc_sweep(u, marker);
                LIST_REMOVE(gc_queue, m->gc_unit_queue, u);
                u->in_gc_queue = false;
                n++;
                if (u->gc_marker - marker == GC_OFFSET_BAD || u->gc_marker - marker == GC_OFFSET_UNSURE) {
                        log_unit_debug(u, "Collecting.");
                        u->gc_marker = marker + GC_OFFSET_BAD;
                        unit_add_to_cleanup_queue(u);
                }
        }
        return n;
}

static unsigned dispatch_cleanup_queue(Manager *m) {
        unsigned n = 0;
        Unit *u;

        while ((u = m->cleanup_queue)) {
                unit_free(u);
                n++;
        }
        return n;
}

/* ---------------------------------------------------------------- auto start/stop queues */

static void enqueue_auto_job(Unit *u, JobType t, JobMode mode) {
        int r = manager_add_job(u->manager, t, u, mode, NULL, NULL, NULL);
        if (r < 0)
                log_unit_warning_errno(u, r, "Failed to enqueue %s job, ignoring: %m", job_type_to_string(t));
}

static unsigned dispatch_stop_when_unneeded_queue(Manager *m) {
        unsigned n = 0;
        Unit *u;

        while ((u = m->stop_when_unneeded_queue)) {
                LIST_REMOVE(stop_when_unneeded_queue, m->stop_when_unneeded_queue, u);
                u->in_stop_when_unneeded_queue = false;
                n++;
                if (!unit_is_unneeded(u))
                        continue;
                log_unit_debug(u, "Unit is not needed anymore.");
                enqueue_auto_job(u, JOB_STOP, JOB_FAIL);
        }
        return n;
}

static unsigned dispatch_start_when_upheld_queue(Manager *m) {
        unsigned n = 0;
        Unit *u, *culprit;

        while ((u = m->start_when_upheld_queue)) {
                LIST_REMOVE(start_when_upheld_queue, m->start_when_upheld_queue, u);
                u->in_start_when_upheld_queue = false;
                n++;
                if (!unit_is_upheld_by_active(u, &culprit))
                        continue;
                log_unit_debug(u, "Unit is started because upheld by active unit %s.", culprit->id);
                enqueue_auto_job(u, JOB_START, JOB_FAIL);
        }
        return n;
}

static unsigned dispatch_stop_when_bound_queue(Manager *m) {
        unsigned n = 0;
        Unit *u, *culprit;

        while ((u = m->stop_when_bound_queue)) {
                LIST_REMOVE(stop_when_bound_queue, m->stop_when_bound_queue, u);
                u->in_stop_when_bound_queue = false;
                n++;
                if (!unit_is_bound_by_inactive(u, &culprit))
                        continue;
                log_unit_debug(u, "Unit is stopped because bound to inactive unit %s.", culprit->id);
                enqueue_auto_job(u, JOB_STOP, JOB_REPLACE);
        }
        return n;
}

static unsigned dispatch_dbus_queue(Manager *m) {
        unsigned n = 0;
        Unit *u;
        Job *j;

        while ((u = m->dbus_unit_queue)) {
                LIST_REMOVE(dbus_queue, m->dbus_unit_queue, u);
                u->in_dbus_queue = false;
                bus_unit_send_change_signal(u);
                n++;
        }
        while ((j = m->dbus_job_queue)) {
                LIST_REMOVE(dbus_queue, m->dbus_job_queue, j);
                j->in_dbus_queue = false;
                bus_job_send_change_signal(j);
                n++;
        }
        return n;
}

static bool queues_empty(const Manager *m) {
        return !m->load_queue && !m->gc_unit_queue && !m->gc_job_queue && !m->cleanup_queue && !m->start_when_upheld_queue &&
               !m->stop_when_bound_queue && !m->stop_when_unneeded_queue && !m->dbus_unit_queue &&
               !m->dbus_job_queue;
}

void manager_dispatch_queues(Manager *m) {
        if (m->dispatching_queues || m->n_reloading > 0)
                return;
        m->dispatching_queues = true;
        /* 252's manager_loop() order: after each queue that did something, start over. */
        while (!queues_empty(m)) {
                if (m->load_queue) {
                        manager_dispatch_load_queue(m);
                        continue;
                }
                if (dispatch_gc_unit_queue(m) > 0)
                        continue;
                if (m->gc_job_queue) {
                        manager_dispatch_gc_job_queue(m);
                        continue;
                }
                if (dispatch_cleanup_queue(m) > 0)
                        continue;
                if (dispatch_start_when_upheld_queue(m) > 0)
                        continue;
                if (dispatch_stop_when_bound_queue(m) > 0)
                        continue;
                if (dispatch_stop_when_unneeded_queue(m) > 0)
                        continue;
                if (m->dbus_unit_queue || m->dbus_job_queue)
                        fault_point("before-signal");
                (void) dispatch_dbus_queue(m);
        }
        m->dispatching_queues = false;
}

static int on_queue_defer(EventSource *s, void *userdata) {
        (void) s;
        manager_dispatch_queues(userdata);
        return 0;
}

static int on_queue_post(EventSource *s, void *userdata) {
        Manager *m = userdata;

        (void) s;
        if (!queues_empty(m))
                manager_dispatch_queues(m);
        /* one transaction per iteration (manager-store.h) */
        (void) manager_store_flush(m);
        return 0;
}

/* ---------------------------------------------------------------- SIGCHLD */

static const char *sigchld_code_to_string(int code) {
        return code == CLD_EXITED ? "exited" : code == CLD_KILLED ? "killed" : code == CLD_DUMPED ? "dumped" : "unknown";
}

/* Handles one exited child; returns false when there is none left to look at. */
static bool dispatch_one_child(Manager *m) {
        siginfo_t si = {};
        Unit *u;
        pid_t pid;

        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
                if (errno == EINTR)
                        return true;
                if (errno != ECHILD)
                        log_warning_errno(errno, "Failed to peek for child with waitid(), ignoring: %m");
                return false;
        }
        pid = si.si_pid;
        if (pid <= 0)
                return false;
        /* look the unit up before reaping: the cgroup of a zombie is still readable; the exec
         * helpers' spawn server (execute.h) is no unit's */
        u = NULL;
        if (!exec_spawn_server_reaped(pid)) {
                u = hashmap_get(m->watch_pids, PID_TO_PTR(pid));
                if (!u)
                        u = manager_get_unit_by_cgroup_pid(m, pid);
        }
        log_debug("Child %d (%s) died (code=%s, status=%i).", (int) pid, u ? u->id : "n/a",
                  sigchld_code_to_string(si.si_code), si.si_status);
        if (u)
                manager_dispatch_child_exit(m, u, pid, si.si_code, si.si_status);
        /* Reaped only once the store holds what its end caused: if we die before, the zombie
         * (ours after an in-place restart, init's record otherwise) tells the next manager. */
        (void) manager_store_flush(m);
        {
                siginfo_t reaped = {};
                (void) waitid(P_PID, (id_t) pid, &reaped, WEXITED | WNOHANG);
        }
        return true;
}

void manager_dispatch_child_exit(Manager *m, Unit *u, pid_t pid, int code, int status) {
        if (!u)
                u = hashmap_get(m->watch_pids, PID_TO_PTR(pid));
        if (!u)
                return;
        unit_unwatch_pid(u, pid);
        if (UNIT_VTABLE(u)->sigchld_event) {
                if (crash_guard_enter("exit", u->id))
                        UNIT_VTABLE(u)->sigchld_event(u, pid, code, status);
                crash_guard_leave();
        }
        unit_add_to_gc_queue(u);
}

void manager_reap_children(Manager *m) {
        while (dispatch_one_child(m))
                ;
}

static int on_sigchld(EventSource *s, const struct signalfd_siginfo *si, void *userdata) {
        (void) s;
        (void) si;
        manager_reap_children(userdata);
        return 0;
}

/* ---------------------------------------------------------------- notify socket */

static void close_fds(int *fds, size_t n) {
        for (size_t i = 0; i < n; i++)
                safe_close(fds[i]);
}

/* Delivers one datagram: NAME=VALUE lines from the sender's unit. */
static void notify_deliver(Manager *m, const struct ucred *ucred, char *text, int *fds, size_t n_fds) {
        _cleanup_strv_free_ char **tags = NULL;
        Unit *u;

        if (strv_split_newlines(text, &tags) < 0) {
                log_oom();
                close_fds(fds, n_fds);
                return;
        }
        u = manager_get_unit_by_pid(m, ucred->pid);
        if (!u) {
                log_warning("Cannot find unit for notify message of PID %d, ignoring.", (int) ucred->pid);
                close_fds(fds, n_fds);
                return;
        }
        if (!UNIT_VTABLE(u)->notify_message) {
                close_fds(fds, n_fds);
                return;
        }
        UNIT_VTABLE(u)->notify_message(u, ucred, tags, fds, n_fds);
}

static int on_notify(EventSource *s, int fd, uint32_t revents, void *userdata) {
        union {
                struct cmsghdr cmsghdr;
                uint8_t buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * NOTIFY_FD_MAX)];
        } control = {};
        char buf[NOTIFY_BUFFER_MAX + 1];
        struct iovec iov = { .iov_base = buf, .iov_len = NOTIFY_BUFFER_MAX };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                              .msg_controllen = sizeof control };
        struct ucred *ucred = NULL;
        int *fds = NULL;
        size_t n_fds = 0;
        ssize_t n;

        (void) s;
        (void) revents;
        n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
        if (n < 0) {
                if (IN_SET(errno, EAGAIN, EINTR))
                        return 0;
                log_warning_errno(errno, "Failed to receive notification message, ignoring: %m");
                return 0;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level != SOL_SOCKET)
                        continue;
                if (c->cmsg_type == SCM_RIGHTS) {
                        fds = (int *) CMSG_DATA(c);
                        n_fds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                } else if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len == CMSG_LEN(sizeof(struct ucred)))
                        ucred = (struct ucred *) CMSG_DATA(c);
        }
        if (msg.msg_flags & MSG_CTRUNC) {
                log_warning("Got notification message with truncated control data, ignoring.");
                close_fds(fds, n_fds);
                return 0;
        }
        if ((size_t) n > NOTIFY_BUFFER_MAX || (msg.msg_flags & MSG_TRUNC)) {
                log_warning("Got notification message with truncated message, ignoring.");
                close_fds(fds, n_fds);
                return 0;
        }
        if (!ucred || ucred->pid <= 0) {
                log_warning("Received notify message without valid credentials. Ignoring.");
                close_fds(fds, n_fds);
                return 0;
        }
        if (memchr(buf, 0, (size_t) n)) {
                log_warning("Received notify message with embedded NUL bytes. Ignoring.");
                close_fds(fds, n_fds);
                return 0;
        }
        buf[n] = 0;
        notify_deliver(userdata, ucred, buf, fds, n_fds);
        return 0;
}

static int setup_notify(Manager *m) {
        _cleanup_free_ char *dir = path_join(m->runtime_dir, "systemd");
        _cleanup_free_ char *path = path_join(m->runtime_dir, "systemd/notify");
        _cleanup_close_ int fd = -1;
        struct sockaddr_un sa;
        int one = 1, size = 8 * 1024 * 1024, salen, r;

        if (!dir || !path)
                return log_oom();
        salen = sockaddr_un_set_path(&sa, path);
        if (salen < 0)
                return log_error_errno(salen, "Notify socket path %s is not usable: %m", path);
        r = mkdir_p(dir, 0755);
        if (r < 0)
                return log_error_errno(r, "Failed to create %s: %m", dir);
        /* After a restart the socket comes back from init's fd store: what services sent
         * meanwhile waits in it. */
        fd = manager_take_fd(m, "notify");
        if (fd < 0) {
                fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                if (fd < 0)
                        return log_error_errno(errno, "Failed to allocate notification socket: %m");
                (void) unlink(path);
                if (bind(fd, (struct sockaddr *) &sa, (socklen_t) salen) < 0)
                        return log_error_errno(errno, "Failed to bind notify socket %s: %m", path);
                /* every service may notify, whatever its user (systemd's is 0777 too): the
                 * credentials of each message say who sent it */
                if (chmod(path, 0777) < 0)
                        return log_error_errno(errno, "Failed to make notify socket %s writable for all: %m", path);
                if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0)
                        return log_error_errno(errno, "Failed to enable SO_PASSCRED on the notify socket: %m");
                if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
                        (void) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
                manager_keep_fds(m, "notify", &fd, 1);
        }
        r = event_add_io(m->event, &m->notify_event_source, fd, EPOLLIN, on_notify, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the notify socket: %m");
        (void) event_source_set_priority(m->notify_event_source, PRIORITY_NOTIFY);
        (void) event_source_set_description(m->notify_event_source, "manager-notify");
        m->notify_fd = TAKE_FD(fd);
        free(m->notify_socket);
        m->notify_socket = TAKE_PTR(path);
        log_debug("Using notification socket %s", m->notify_socket);
        return 0;
}

/* ---------------------------------------------------------------- setup */

int manager_setup_runtime(Manager *m, Event *e, const char *runtime_dir) {
        int r;

        if (m->event)
                return -EBUSY;
        if (!m->runtime_dir)
                m->runtime_dir = strdup(runtime_dir ?: "/run");
        if (!m->runtime_dir)
                return log_oom();
        m->event = event_ref(e);
        r = event_add_defer(e, &m->queue_event_source, on_queue_defer, m);
        if (r >= 0)
                r = event_source_set_enabled(m->queue_event_source, EVENT_OFF);
        if (r >= 0)
                r = event_add_post(e, &m->post_event_source, on_queue_post, m);
        if (r < 0)
                return log_error_errno(r, "Failed to add the manager's queue sources: %m");
        (void) event_source_set_description(m->queue_event_source, "manager-queues");
        r = event_add_signal(e, &m->sigchld_event_source, SIGCHLD, on_sigchld, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch SIGCHLD (is it blocked?): %m");
        (void) event_source_set_priority(m->sigchld_event_source, PRIORITY_SIGCHLD);
        r = setup_notify(m);
        if (r < 0)
                return r;
        /* Unit tests run without cgroups unless they point the manager at one. */
        if (!m->test_run || m->cgroup_mount) {
                r = manager_setup_cgroup(m);
                if (r < 0)
                        return r;
        }
        r = manager_setup_perpetual_units(m);
        if (r < 0)
                return log_error_errno(r, "Failed to create the perpetual units: %m");
        /* After a crash or re-execution: the units as the store has them (manager-store.h). */
        if (m->recovering)
                (void) manager_store_restore(m);
        /* The perpetual units are up from the start (-.slice, system.slice, init.scope); restored
         * units take their saved state. */
        Unit *u;
        ORDERED_SET_FOREACH(u, m->all_units) {
                if (UNIT_VTABLE(u)->coldplug)
                        (void) UNIT_VTABLE(u)->coldplug(u);
                if (m->recovering)
                        u->last_active_state = unit_active_state(u);
        }
        /* catch up on what was queued before there was a loop */
        (void) event_source_set_enabled(m->queue_event_source, EVENT_ONESHOT);
        return 0;
}

/* Frees the runtime parts of m (manager_free(), before the units go). */
void manager_done_runtime(Manager *m) {
        Job *j;

        while ((j = hashmap_first(m->jobs)))
                job_free(j);
        m->jobs = hashmap_free(m->jobs);
        m->run_queue = prioq_free(m->run_queue);
        manager_bus_done(m);
        manager_store_close(m);
        m->run_queue_event_source = event_source_disable_unref(m->run_queue_event_source);
        m->heap_settle_event_source = event_source_disable_unref(m->heap_settle_event_source);
        m->queue_event_source = event_source_disable_unref(m->queue_event_source);
        m->post_event_source = event_source_disable_unref(m->post_event_source);
        m->sigchld_event_source = event_source_disable_unref(m->sigchld_event_source);
        m->notify_event_source = event_source_disable_unref(m->notify_event_source);
        m->notify_fd = safe_close(m->notify_fd);
        manager_shutdown_cgroup(m);
}

void manager_release_idle_memory(Manager *m) {
        manager_store_release_cache(m);
        unit_map_done(&m->unit_map);
}

static int on_heap_settle(EventSource *s, usec_t usec, void *userdata) {
        (void) s;
        (void) usec;
        manager_release_idle_memory(userdata);
        heap_settle();
        return 0;
}

void manager_schedule_heap_settle(Manager *m, usec_t delay) {
        if (!m->event)
                return;
        if (m->heap_settle_event_source) {
                (void) event_source_set_time_relative(m->heap_settle_event_source, delay);
                (void) event_source_set_enabled(m->heap_settle_event_source, EVENT_ONESHOT);
                return;
        }
        if (event_add_time_relative(m->event, &m->heap_settle_event_source, CLOCK_MONOTONIC, delay, 0,
                                    on_heap_settle, m) < 0)
                return;
        (void) event_source_set_priority(m->heap_settle_event_source, EVENT_PRIORITY_IDLE);
        (void) event_source_set_description(m->heap_settle_event_source, "heap-settle");
}

/* ---------------------------------------------------------------- daemon-reload */

int manager_reload(Manager *m) {
        _cleanup_free_ Unit **units = NULL;
        size_t n = 0;
        Unit *u;
        int r;

        log_info("Reloading.");
        bus_manager_send_reloading(m, true);
        m->n_reloading++;
        r = unit_map_update(&m->unit_map, &m->unit_path, true);
        if (r < 0) {
                m->n_reloading--;
                bus_manager_send_reloading(m, false);
                return log_error_errno(r, "Failed to rebuild the unit name map: %m");
        }
        units = new(Unit *, ordered_set_size(m->all_units) + 1);
        if (!units) {
                m->n_reloading--;
                bus_manager_send_reloading(m, false);
                return log_oom();
        }
        ORDERED_SET_FOREACH(u, m->all_units)
                if (u->load_state != UNIT_MERGED)
                        units[n++] = u;
        for (size_t i = 0; i < n; i++) {
                unit_reset_to_stub(units[i]);
                manager_enqueue_load(m, units[i]);
        }
        fault_point("mid-reload");
        manager_dispatch_load_queue(m);
        m->n_reloading--;
        manager_store_trim_files(m);
        for (size_t i = 0; i < n; i++) {
                unit_add_to_dbus_queue(units[i]);
                unit_add_to_gc_queue(units[i]);
        }
        bus_manager_send_reloading(m, false);
        manager_dispatch_queues(m);
        /* The old definitions' memory is free now, in holes the new ones did not fill; a second
         * later, when the signals about every unit have left their queues too. */
        manager_schedule_heap_settle(m, USEC_PER_SEC);
        return 0;
}
