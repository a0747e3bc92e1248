/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * service-pid.c: the processes a service knows about (service-internal.h): the main and control
 * pid, whether they and the cgroup are still alive, PIDFile= (read, and waited for with inotify
 * on its directory) and GuessMainPID=.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "fd-util.h"
#include "log.h"
#include "manager.h"
#include "parse-util.h"
#include "process-util.h"
#include "service-internal.h"
#include "string-util.h"

/* ---- pids ---------------------------------------------------------------------------------- */

/* The parent of pid, or 0 if unknown. */
static pid_t pid_parent(pid_t pid) {
        ProcStat st;

        return proc_stat(pid, &st) < 0 ? 0 : st.ppid;
}

/* Alive and not a zombie. */
static bool pid_is_alive(pid_t pid) {
        ProcStat st;

        if (pid <= 0)
                return false;
        if (proc_stat(pid, &st) < 0)
                return kill(pid, 0) >= 0 || errno == EPERM;
        return !IN_SET(st.state, 'Z', 'X');
}

void service_unwatch_control_pid(Service *s) {
        if (s->control_pid <= 0)
                return;
        unit_unwatch_pid(UNIT(s), s->control_pid);
        s->control_pid = 0;
}

void service_unwatch_main_pid(Service *s) {
        if (s->main_pid <= 0)
                return;
        unit_unwatch_pid(UNIT(s), s->main_pid);
        s->main_pid = 0;
}

static int set_main_pid(Service *s, pid_t pid, bool spawned) {
        if (pid <= 1 || pid == getpid())
                return -EINVAL;
        if (s->main_pid == pid && s->main_pid_known)
                return 0;
        if (s->main_pid != pid) {
                service_unwatch_main_pid(s);
                exec_status_start(&s->main_exec_status, pid);
        }
        s->main_pid = pid;
        s->main_pid_known = true;
        s->main_pid_alien = !spawned && pid_parent(pid) != getpid();
        if (s->main_pid_alien)
                log_unit_warning(UNIT(s), "Supervising process %i which is not our child. We'll most likely not notice when it exits.",
                                 (int) pid);
        return 0;
}

int service_set_main_pid(Service *s, pid_t pid) {
        return set_main_pid(s, pid, false);
}

int service_set_spawned_main_pid(Service *s, pid_t pid) {
        return set_main_pid(s, pid, true);
}

/* > 0 alive, 0 dead, < 0 unknown (as systemd's service_main_pid_good()). */
int service_main_pid_good(Service *s) {
        if (!s->main_pid_known)
                return -EAGAIN;
        if (s->main_pid_alien && s->main_pid > 0)
                return pid_is_alive(s->main_pid);
        return s->main_pid > 0;
}

bool service_control_pid_good(Service *s) {
        return s->control_pid > 0;
}

/* > 0 populated, 0 empty or none, < 0 unknown. */
int service_cgroup_good(Service *s) {
        int r;

        if (!UNIT(s)->cgroup_path)
                return 0;
        r = unit_cgroup_is_empty(UNIT(s));
        if (r == -ENODATA)
                return 0;
        return r < 0 ? r : r == 0;
}

/* Whether pid may become the main pid: > 0 surely, 0 questionable, < 0 refused (logged at prio). */
int service_is_suitable_main_pid(Service *s, pid_t pid, int prio) {
        if (pid == getpid() || pid == 1) {
                log_unit_full(UNIT(s), prio, 0, "New main PID %i is the manager, refusing.", (int) pid);
                return -EPERM;
        }
        if (pid == s->control_pid) {
                log_unit_full(UNIT(s), prio, 0, "New main PID %i is the control process, refusing.", (int) pid);
                return -EPERM;
        }
        if (!pid_is_alive(pid)) {
                log_unit_full(UNIT(s), prio, 0, "New main PID %i does not exist or is a zombie.", (int) pid);
                return -ESRCH;
        }
        if (manager_get_unit_by_pid(UNIT(s)->manager, pid) == UNIT(s)) {
                log_unit_debug(UNIT(s), "New main PID %i belongs to service, we are happy.", (int) pid);
                return 1;
        }
        return 0;
}

/* Reads PIDFile=; 1 if a new main pid was taken, 0 if unchanged, < 0 if not possible (yet). */
int service_load_pid_file(Service *s, bool may_warn) {
        _cleanup_free_ char *k = NULL;
        int prio = may_warn ? LOG_INFO : LOG_DEBUG, r;
        struct stat st;
        pid_t pid;

        if (!s->pid_file)
                return -ENOENT;
        r = read_full_file(s->pid_file, 4096, &k, NULL);
        if (r < 0) {
                log_unit_full(UNIT(s), prio, r, "Can't open PID file %s (yet?) after %s: %m", s->pid_file,
                              service_state_to_string(s->state));
                return r;
        }
        r = parse_pid(strstrip(k), &pid);
        if (r < 0) {
                log_unit_full(UNIT(s), prio, r, "Failed to parse PID from file %s: %m", s->pid_file);
                return r;
        }
        if (s->main_pid_known && pid == s->main_pid)
                return 0;
        r = service_is_suitable_main_pid(s, pid, prio);
        if (r < 0)
                return r;
        if (r == 0) {
                if (stat(s->pid_file, &st) < 0)
                        return log_unit_error_errno(UNIT(s), -errno, "Failed to fstat() PID file: %m");
                if (st.st_uid != 0 && st.st_uid != getuid()) {
                        log_unit_error(UNIT(s), "New main PID %i does not belong to service, and PID file is not owned by root. Refusing.",
                                       (int) pid);
                        return -EPERM;
                }
                log_unit_debug(UNIT(s), "New main PID %i does not belong to service, but we'll accept it since PID file is owned by root.",
                               (int) pid);
        }
        if (s->main_pid_known) {
                log_unit_debug(UNIT(s), "Main PID changing: %i -> %i", (int) s->main_pid, (int) pid);
                service_unwatch_main_pid(s);
                s->main_pid_known = false;
        } else
                log_unit_debug(UNIT(s), "Main PID loaded: %i", (int) pid);
        r = service_set_main_pid(s, pid);
        if (r < 0)
                return r;
        r = unit_watch_pid(UNIT(s), pid);
        if (r < 0)
                return log_unit_warning_errno(UNIT(s), r, "Failed to watch PID %i for service: %m", (int) pid);
        return 1;
}

/* GuessMainPID=: the only process of the cgroup whose parent is not in it. */
void service_search_main_pid(Service *s) {
        _cleanup_free_ pid_t *pids = NULL;
        pid_t found = 0;
        size_t n = 0;

        if (s->main_pid_known || !s->guess_main_pid || !UNIT(s)->cgroup_path)
                return;
        if (unit_cgroup_pids(UNIT(s), &pids, NULL, &n) < 0)
                return;
        for (size_t i = 0; i < n; i++) {
                pid_t ppid = pid_parent(pids[i]);
                bool inside = false;

                if (pids[i] == s->control_pid)
                        continue;
                for (size_t j = 0; j < n; j++)
                        inside |= pids[j] == ppid;
                if (inside)
                        continue;
                if (found > 0)
                        return; /* more than one candidate: don't guess */
                found = pids[i];
        }
        if (found <= 0)
                return;
        log_unit_debug(UNIT(s), "Main PID guessed: %i", (int) found);
        if (service_set_main_pid(s, found) < 0)
                return;
        if (unit_watch_pid(UNIT(s), found) < 0)
                log_unit_warning(UNIT(s), "Failed to watch PID %i from guess.", (int) found);
}

/* ---- PID file watch -------------------------------------------------------------------------- */

void service_unwatch_pid_file(Service *s) {
        if (!s->pid_file_event_source)
                return;
        log_unit_debug(UNIT(s), "Stopping watch for PID file %s", s->pid_file);
        s->pid_file_event_source = event_source_disable_unref(s->pid_file_event_source);
}

static int service_retry_pid_file(Service *s) {
        int r = service_load_pid_file(s, false);

        if (r < 0)
                return r;
        service_unwatch_pid_file(s);
        service_enter_running(s, SERVICE_SUCCESS);
        return 0;
}

static int service_dispatch_pid_file_io(EventSource *source, int fd, uint32_t revents, void *userdata) {
        Service *s = userdata;
        char buf[4096];

        (void) source;
        (void) revents;
        while (read(fd, buf, sizeof buf) > 0)
                ;
        log_unit_debug(UNIT(s), "inotify event");
        if (!IN_SET(s->state, SERVICE_START, SERVICE_START_POST))
                return 0;
        (void) service_retry_pid_file(s);
        return 0;
}

/* Waits for the daemon to write PIDFile= (inotify on its directory). */
int service_demand_pid_file(Service *s) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *dir = NULL;
        const char *slash = strrchr(s->pid_file, '/');
        int r;

        dir = slash && slash != s->pid_file ? strndup(s->pid_file, slash - s->pid_file) : strdup("/");
        if (!dir)
                return -ENOMEM;
        fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0)
                return log_unit_error_errno(UNIT(s), -errno, "Failed to set a watch for PID file %s: %m", s->pid_file);
        if (inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_ATTRIB) < 0)
                return log_unit_error_errno(UNIT(s), -errno, "Failed to set a watch for PID file %s: %m", s->pid_file);
        service_unwatch_pid_file(s);
        log_unit_debug(UNIT(s), "Setting watch for PID file %s", s->pid_file);
        r = event_add_io(UNIT(s)->manager->event, &s->pid_file_event_source, fd, EPOLLIN,
                         service_dispatch_pid_file_io, s);
        if (r < 0)
                return log_unit_error_errno(UNIT(s), r, "Failed to set a watch for PID file %s: %m", s->pid_file);
        (void) event_source_set_io_fd_own(s->pid_file_event_source, true);
        TAKE_FD(fd);
        /* The file may have appeared before the watch. */
        log_unit_debug(UNIT(s), "Trying to read PID file %s in case it changed", s->pid_file);
        (void) service_retry_pid_file(s);
        return 0;
}

