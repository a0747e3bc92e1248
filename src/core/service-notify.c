/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * service-notify.c: what a service tells the manager over the notify socket (READY=1,
 * RELOADING=1, STOPPING=1, STATUS=, ERRNO=, MAINPID=, WATCHDOG=, WATCHDOG_USEC=,
 * EXTEND_TIMEOUT_USEC=, FDSTORE=1/FDNAME=/FDSTOREREMOVE=1, BARRIER=1) with systemd 252's
 * NotifyAccess= rules and messages; the fd store; the socket fds handed over by socket units.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "init-protocol.h"
#include "log.h"
#include "manager-store.h"
#include "parse-util.h"
#include "service-internal.h"
#include "socket.h"
#include "string-util.h"
#include "strv.h"

/* ---- fd store and socket fds ------------------------------------------------------------------ */

/* Crash recovery: the fd store lives in init's fd store too, in chunks "fdstore:UNIT/K" of at
 * most INIT_FDS_PER_MESSAGE_MAX fds in list order (their names are in the unit's record), so a
 * new manager gets it back (service_take_kept_fd_store()). */
void service_keep_fd_store(Service *s) {
        int fds[INIT_FDS_PER_MESSAGE_MAX];
        unsigned chunk = 0;
        size_t n = 0;
        char name[UNIT_NAME_MAX + 32];

        for (ServiceFDStoreEntry *e = s->fd_store;; e = e->next) {
                if (e)
                        fds[n++] = e->fd;
                if (n == ELEMENTSOF(fds) || (!e && n > 0)) {
                        snprintf(name, sizeof(name), "fdstore:%s/%u", UNIT(s)->id, chunk++);
                        manager_keep_fds(UNIT(s)->manager, name, fds, n);
                        n = 0;
                }
                if (!e)
                        break;
        }
        for (; chunk < s->n_fd_store_chunks; chunk++) {
                snprintf(name, sizeof(name), "fdstore:%s/%u", UNIT(s)->id, chunk);
                manager_keep_fds(UNIT(s)->manager, name, NULL, 0);
        }
        s->n_fd_store_chunks = (s->n_fd_store + ELEMENTSOF(fds) - 1) / ELEMENTSOF(fds);
        unit_add_to_store_queue(UNIT(s)); /* the names */
}

void service_take_kept_fd_store(Service *s, char **names) {
        ServiceFDStoreEntry **tail = &s->fd_store;
        size_t i = 0, n_names = strv_length(names);
        char name[UNIT_NAME_MAX + 32];

        for (unsigned chunk = 0;; chunk++) {
                _cleanup_free_ int *fds = NULL;
                size_t n;

                snprintf(name, sizeof(name), "fdstore:%s/%u", UNIT(s)->id, chunk);
                n = manager_take_fds(UNIT(s)->manager, name, &fds);
                if (n == 0)
                        break;
                s->n_fd_store_chunks = chunk + 1;
                for (size_t k = 0; k < n; k++, i++) {
                        ServiceFDStoreEntry *e = new0(ServiceFDStoreEntry, 1);

                        if (!e || !(e->fdname = strdup(i < n_names ? names[i] : "stored"))) {
                                free(e);
                                safe_close(fds[k]);
                                continue;
                        }
                        e->fd = fds[k];
                        *tail = e;
                        tail = &e->next;
                        s->n_fd_store++;
                }
        }
        if (s->n_fd_store > 0)
                log_unit_debug(UNIT(s), "Took back %u stored fds.", s->n_fd_store);
}

void service_release_fd_store(Service *s) {
        bool kept = s->n_fd_store_chunks > 0;

        if (s->fd_store)
                log_unit_debug(UNIT(s), "Releasing all stored fds");
        while (s->fd_store) {
                ServiceFDStoreEntry *e = s->fd_store;

                s->fd_store = e->next;
                safe_close(e->fd);
                free(e->fdname);
                free(e);
        }
        s->n_fd_store = 0;
        if (kept)
                service_keep_fd_store(s);
}

void service_close_socket_fds(Service *s) {
        if (s->connection_fd_name) {
                manager_keep_fds(UNIT(s)->manager, s->connection_fd_name, NULL, 0);
                s->connection_fd_name = mfree(s->connection_fd_name);
        }
        for (size_t i = 0; i < s->n_socket_fds; i++)
                safe_close(s->socket_fds[i]);
        s->socket_fds = mfree(s->socket_fds);
        s->socket_fd_names = strv_free(s->socket_fd_names);
        s->n_socket_fds = 0;
        s->socket_fds_connection = false;
        /* The Accept=yes socket counts its open connections (NConnections). */
        if (s->accept_socket) {
                Unit *sock = s->accept_socket;
                s->accept_socket = NULL;
                socket_connection_unref(sock);
        }
}

int service_set_socket_fds(Service *s, int *fds, char **fd_names, size_t n_fds, bool connection) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ int *copy = NULL;

        if (UNIT(s)->load_state != UNIT_LOADED)
                return -EINVAL;
        if (!IN_SET(s->state, SERVICE_DEAD, SERVICE_FAILED, SERVICE_AUTO_RESTART))
                return -EAGAIN;
        if (n_fds > 0) {
                copy = new(int, n_fds);
                names = new0(char *, n_fds + 1);
                if (!copy || !names)
                        return -ENOMEM;
                for (size_t i = 0; i < n_fds; i++) {
                        const char *n = fd_names && fd_names[i] ? fd_names[i] : connection ? "connection" : "unknown";
                        if (!(names[i] = strdup(n)))
                                return -ENOMEM;
                        copy[i] = fds[i];
                }
        }
        service_close_socket_fds(s);
        s->socket_fds = TAKE_PTR(copy);
        s->socket_fd_names = TAKE_PTR(names);
        s->n_socket_fds = n_fds;
        s->socket_fds_connection = connection;
        free(fds);
        strv_free(fd_names);
        return 0;
}

/* The fds to pass: socket fds, then the fd store (borrowed in *ret_fds, names owned). */
int service_collect_fds(Service *s, int **ret_fds, char ***ret_names, size_t *ret_n_socket,
                               size_t *ret_n_storage) {
        _cleanup_strv_free_ char **names = NULL, **sock_names = NULL;
        _cleanup_free_ int *fds = NULL, *sock_fds = NULL;
        size_t n_sock = 0, n, i = 0;
        Unit *other;

        *ret_fds = NULL;
        *ret_names = NULL;
        *ret_n_socket = *ret_n_storage = 0;
        /* Without a connection of its own, the service gets the listening fds of the sockets
         * that trigger it (socket.c), as systemd's service_collect_fds(). */
        if (s->n_socket_fds == 0)
                UNIT_FOREACH_DEPENDENCY(other, UNIT(s), UNIT_TRIGGERED_BY)
                        if (other->type == UNIT_SOCKET && socket_collect_fds(other, &sock_fds, &sock_names, &n_sock) < 0)
                                return -ENOMEM;
        n = s->n_socket_fds + n_sock + s->n_fd_store;
        if (n == 0)
                return 0;
        fds = new(int, n);
        names = new0(char *, n + 1);
        if (!fds || !names)
                return -ENOMEM;
        for (; i < s->n_socket_fds; i++) {
                fds[i] = s->socket_fds[i];
                if (!(names[i] = strdup(s->socket_fd_names[i])))
                        return -ENOMEM;
        }
        for (size_t k = 0; k < n_sock; k++, i++) {
                fds[i] = sock_fds[k];
                if (!(names[i] = strdup(sock_names[k])))
                        return -ENOMEM;
        }
        /* The store is kept newest first; pass it oldest first. */
        i = n;
        for (ServiceFDStoreEntry *e = s->fd_store; e; e = e->next) {
                i--;
                fds[i] = e->fd;
                if (!(names[i] = strdup(e->fdname)))
                        return -ENOMEM;
        }
        *ret_fds = TAKE_PTR(fds);
        *ret_names = TAKE_PTR(names);
        *ret_n_socket = s->n_socket_fds + n_sock;
        *ret_n_storage = s->n_fd_store;
        return 0;
}


/* ---- the fd store ---------------------------------------------------------------------------- */

static bool same_fd(int a, int b) {
        struct stat sa, sb;

        if (a == b)
                return true;
        if (fstat(a, &sa) < 0 || fstat(b, &sb) < 0)
                return false;
        if (sa.st_dev != sb.st_dev || sa.st_ino != sb.st_ino)
                return false;
        /* The same inode may be open twice (two opens of one file): compare the open file. */
        return (fcntl(a, F_GETFL) == fcntl(b, F_GETFL)) &&
               lseek(a, 0, SEEK_CUR) == lseek(b, 0, SEEK_CUR);
}

static bool fdname_is_valid(const char *s) {
        if (!s || strlen(s) > 255)
                return false;
        for (const char *p = s; *p; p++)
                if ((unsigned char) *p < ' ' || *p >= 127 || *p == ':')
                        return false;
        return true;
}

/* Takes fd: 1 stored, 0 already there (closed), -EXFULL store full, -ENOMEM (fd not taken). */
static int service_add_fd_store(Service *s, int fd, const char *name) {
        ServiceFDStoreEntry *e;

        if (s->n_fd_store >= s->n_fd_store_max)
                return -EXFULL;
        for (ServiceFDStoreEntry *i = s->fd_store; i; i = i->next)
                if (same_fd(i->fd, fd)) {
                        safe_close(fd);
                        return 0;
                }
        e = new0(ServiceFDStoreEntry, 1);
        if (!e)
                return -ENOMEM;
        e->fdname = strdup(name ? name : "stored");
        if (!e->fdname) {
                free(e);
                return -ENOMEM;
        }
        e->fd = fd;
        e->next = s->fd_store;
        s->fd_store = e;
        s->n_fd_store++;
        return 1;
}

static void service_add_fd_store_set(Service *s, int *fds, size_t n_fds, const char *name) {
        for (size_t i = 0; i < n_fds; i++) {
                int r;

                if (fds[i] < 0)
                        continue;
                r = service_add_fd_store(s, fds[i], name);
                if (r == -EXFULL) {
                        log_unit_warning_errno(UNIT(s), r, "Cannot store more fds than FileDescriptorStoreMax=%u, closing remaining.",
                                               s->n_fd_store_max);
                        return;
                }
                if (r < 0) {
                        log_unit_error_errno(UNIT(s), r, "Failed to add fd to store: %m");
                        return;
                }
                if (r > 0)
                        log_unit_debug(UNIT(s), "Added fd %i (%s) to fd store.", fds[i], name ? name : "n/a");
                fds[i] = -1;
        }
}

static void service_remove_fd_store(Service *s, const char *name) {
        ServiceFDStoreEntry **p = &s->fd_store;

        while (*p) {
                ServiceFDStoreEntry *e = *p;

                if (!streq(e->fdname, name)) {
                        p = &e->next;
                        continue;
                }
                log_unit_debug(UNIT(s), "Got explicit request to remove fd %i (%s), closing.", e->fd, name);
                *p = e->next;
                safe_close(e->fd);
                free(e->fdname);
                free(e);
                s->n_fd_store--;
        }
}

/* ---- notify messages -------------------------------------------------------------------------- */

static bool service_notify_message_authorized(Service *s, pid_t pid) {
        Unit *u = UNIT(s);

        if (s->notify_access == NOTIFY_NONE) {
                log_unit_warning(u, "Got notification message from PID %i, but reception is disabled.", (int) pid);
                return false;
        }
        if (s->notify_access == NOTIFY_MAIN && pid != s->main_pid) {
                if (s->main_pid != 0)
                        log_unit_warning(u, "Got notification message from PID %i, but reception only permitted for main PID %i",
                                         (int) pid, (int) s->main_pid);
                else
                        log_unit_warning(u, "Got notification message from PID %i, but reception only permitted for main PID which is currently not known",
                                         (int) pid);
                return false;
        }
        if (s->notify_access == NOTIFY_EXEC && pid != s->main_pid && pid != s->control_pid) {
                if (s->main_pid != 0 && s->control_pid != 0)
                        log_unit_warning(u, "Got notification message from PID %i, but reception only permitted for main PID %i and control PID %i",
                                         (int) pid, (int) s->main_pid, (int) s->control_pid);
                else if (s->main_pid != 0)
                        log_unit_warning(u, "Got notification message from PID %i, but reception only permitted for main PID %i",
                                         (int) pid, (int) s->main_pid);
                else if (s->control_pid != 0)
                        log_unit_warning(u, "Got notification message from PID %i, but reception only permitted for control PID %i",
                                         (int) pid, (int) s->control_pid);
                else
                        log_unit_warning(u, "Got notification message from PID %i, but reception only permitted for main PID and control PID which are currently not known",
                                         (int) pid);
                return false;
        }
        return true;
}

/* The value of the first NAME=… in tags, or NULL. */
static const char *tag_value(char *const *tags, const char *prefix) {
        const char *e = strv_find_prefix(tags, prefix);

        return e ? e + strlen(prefix) : NULL;
}

static bool notify_main_pid(Service *s, const struct ucred *ucred, const char *e) {
        Unit *u = UNIT(s);
        pid_t pid;
        int r;

        if (!IN_SET(s->state, SERVICE_START, SERVICE_START_POST, SERVICE_RUNNING, SERVICE_RELOAD))
                return false;
        if (parse_pid(e, &pid) < 0) {
                log_unit_warning(u, "Failed to parse MAINPID= field in notification message, ignoring: %s", e);
                return false;
        }
        if (s->main_pid_known && pid == s->main_pid)
                return false;
        r = service_is_suitable_main_pid(s, pid, LOG_WARNING);
        if (r == 0) {
                /* Questionable, but fine when a privileged process asks. */
                if (ucred->uid == 0 || ucred->uid == getuid()) {
                        log_unit_debug(u, "New main PID %i does not belong to service, but we'll accept it as the request to change it came from a privileged process.",
                                       (int) pid);
                        r = 1;
                } else
                        log_unit_debug(u, "New main PID %i does not belong to service, refusing.", (int) pid);
        }
        if (r <= 0)
                return false;
        (void) service_set_main_pid(s, pid);
        r = unit_watch_pid(u, pid);
        if (r < 0)
                log_unit_warning_errno(u, r, "Failed to watch new main PID %i for service: %m", (int) pid);
        return true;
}

/* READY=1, RELOADING=1, STOPPING=1: the last one in the message wins. */
static bool notify_state(Service *s, char *const *tags) {
        size_t n = 0;

        while (tags && tags[n])
                n++;
        while (n-- > 0) {
                const char *t = tags[n];

                if (streq(t, "READY=1")) {
                        s->notify_state = NOTIFY_READY;
                        if (s->type == SERVICE_NOTIFY && s->state == SERVICE_START)
                                service_enter_start_post(s);
                        /* READY=1 during a reload means it is done. */
                        if (s->state == SERVICE_RELOAD && s->control_pid == 0)
                                service_enter_running(s, SERVICE_SUCCESS);
                        return true;
                }
                if (streq(t, "RELOADING=1")) {
                        s->notify_state = NOTIFY_RELOADING;
                        if (s->state == SERVICE_RUNNING)
                                service_enter_reload_by_notify(s);
                        return true;
                }
                if (streq(t, "STOPPING=1")) {
                        s->notify_state = NOTIFY_STOPPING;
                        if (s->state == SERVICE_RUNNING)
                                service_enter_stop_by_notify(s);
                        return true;
                }
        }
        return false;
}

static bool notify_status(Service *s, const char *e) {
        char *t = NULL;

        if (!isempty(e)) {
                if (strlen(e) > 4096)
                        log_unit_warning(UNIT(s), "Status message overly long (%zu > %u), ignoring.", strlen(e), 4096U);
                else if (!utf8_is_valid(e))
                        log_unit_warning(UNIT(s), "Status message in notification message is not UTF-8 clean, ignoring.");
                else if (!(t = strdup(e)))
                        log_oom();
        }
        if (streq_ptr(s->status_text, t)) {
                free(t);
                return false;
        }
        free(s->status_text);
        s->status_text = t;
        return true;
}

static void notify_timeouts(Service *s, char *const *tags) {
        Unit *u = UNIT(s);
        const char *e;
        uint64_t v;

        if ((e = tag_value(tags, "EXTEND_TIMEOUT_USEC="))) {
                if (safe_atou64(e, &v) < 0)
                        log_unit_warning(u, "Failed to parse EXTEND_TIMEOUT_USEC=%s", e);
                else
                        service_extend_timeout(s, v);
        }
        if ((e = tag_value(tags, "WATCHDOG="))) {
                if (streq(e, "1"))
                        service_reset_watchdog(s);
                else if (streq(e, "trigger"))
                        service_force_watchdog(s);
                else
                        log_unit_warning(u, "Passed WATCHDOG= field is invalid, ignoring.");
        }
        if ((e = tag_value(tags, "WATCHDOG_USEC="))) {
                if (safe_atou64(e, &v) < 0)
                        log_unit_warning(u, "Failed to parse WATCHDOG_USEC=%s", e);
                else
                        service_override_watchdog_timeout(s, v);
        }
}

static void notify_fd_store(Service *s, char *const *tags, int *fds, size_t n_fds) {
        const char *name = tag_value(tags, "FDNAME=");

        if (strv_contains(tags, "FDSTOREREMOVE=1")) {
                if (!name || !fdname_is_valid(name))
                        log_unit_warning(UNIT(s), "FDSTOREREMOVE=1 requested, but no valid file descriptor name passed, ignoring.");
                else
                        service_remove_fd_store(s, name);
        } else if (strv_contains(tags, "FDSTORE=1")) {
                if (name && !fdname_is_valid(name)) {
                        log_unit_warning(UNIT(s), "Passed FDNAME= name is invalid, ignoring.");
                        name = NULL;
                }
                service_add_fd_store_set(s, fds, n_fds, name);
        } else
                return;
        service_keep_fd_store(s);
}

static void close_fds(int *fds, size_t n_fds) {
        for (size_t i = 0; i < n_fds; i++)
                fds[i] = safe_close(fds[i]);
}

void service_notify_message(Unit *u, const struct ucred *ucred, char *const *tags, int *fds, size_t n_fds) {
        Service *s = SERVICE(u);
        bool changed = false;
        const char *e;

        /* BARRIER=1 with one fd: closing that fd is the answer (sd_notify_barrier()). */
        if (strv_contains(tags, "BARRIER=1")) {
                if (n_fds != 1)
                        log_unit_warning(u, "Got a barrier notification with %zu fds, expected exactly one.", n_fds);
                close_fds(fds, n_fds);
                return;
        }
        if (!service_notify_message_authorized(s, ucred->pid)) {
                close_fds(fds, n_fds);
                return;
        }
        if (log_get_max_level() >= LOG_DEBUG) {
                _cleanup_free_ char *cc = strv_join(tags, ", ");
                log_unit_debug(u, "Got notification message from PID %i (%s)", (int) ucred->pid,
                               isempty(cc) ? "n/a" : cc);
        }
        if ((e = tag_value(tags, "MAINPID=")))
                changed |= notify_main_pid(s, ucred, e);
        changed |= notify_state(s, tags);
        if ((e = tag_value(tags, "STATUS=")))
                changed |= notify_status(s, e);
        if ((e = tag_value(tags, "ERRNO="))) {
                int n = parse_errno(e);

                if (n < 0)
                        log_unit_warning_errno(u, n, "Failed to parse ERRNO= field value '%s' in notification message: %m", e);
                else if (s->status_errno != n) {
                        s->status_errno = n;
                        changed = true;
                }
        }
        notify_timeouts(s, tags);
        notify_fd_store(s, tags, fds, n_fds);
        close_fds(fds, n_fds);
        if (changed)
                unit_add_to_dbus_queue(u);
}
