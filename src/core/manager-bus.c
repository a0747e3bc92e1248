/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * manager-bus.c: the manager's D-Bus endpoints (manager-bus.h). The private socket
 * runtime_dir/systemd/private takes peer-to-peer connections from root (systemctl as root talks
 * to the manager only there); each connection gets the whole object tree and every signal.
 * A connection that goes away (also in the middle of a reply: EPIPE, ECONNRESET) is dropped
 * quietly; nothing on a client connection can make the manager fail.
 *
 * The system bus side (owning org.freedesktop.systemd1, Subscribe-based signal delivery,
 * ActivationRequest) is manager-sysbus.c; its state hangs off the ManagerBus, and every signal
 * below goes to the system bus too while a client there is subscribed.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bus/bus-object.h"
#include "bus/bus-sasl.h"
#include "bus/bus.h"
#include "dbus-job.h"
#include "dbus-manager.h"
#include "dbus-unit.h"
#include "fd-util.h"
#include "job.h"
#include "log.h"
#include "manager-bus.h"
#include "manager-store.h"
#include "manager-sysbus.h"
#include "manager.h"
#include "mkdir.h"
#include "path-util.h"
#include "service.h"
#include "socket-util.h"
#include "string-util.h"

/* A limit on what local clients can make us keep (systemd has 4096 too). */
#define MANAGER_BUS_CONNECTIONS_MAX 4096U

struct ManagerBus {
        Manager *manager;
        int listen_fd;
        EventSource *listen_source;
        char *socket_path;       /* NULL when the fd was passed in */
        char guid[BUS_GUID_STRING_SIZE];
        Bus **connections;
        size_t n_connections, connections_alloc;
        ManagerSysBus *sysbus;   /* manager-sysbus.c */
};

/* ---- the org.freedesktop.DBus stand-in for bus clients (busctl says Hello even on a
 * peer-to-peer socket) ---- */

static int p2p_hello(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        return bus_reply(bus, m, "s", ":1.1");
}

static int p2p_ok(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        return bus_reply(bus, m, NULL);
}

static const BusVtable p2p_driver_vtable[] = {
        BUS_VTABLE_START(BUS_VTABLE_HIDDEN),
        BUS_METHOD("Hello", "", "s", p2p_hello, BUS_VTABLE_HIDDEN),
        BUS_METHOD("AddMatch", "s", "", p2p_ok, BUS_VTABLE_HIDDEN),
        BUS_METHOD("RemoveMatch", "s", "", p2p_ok, BUS_VTABLE_HIDDEN),
        BUS_VTABLE_END,
};

/* ---- connections ---- */

static void connection_gone(Bus *bus, void *userdata) {
        ManagerBus *mb = userdata;

        for (size_t i = 0; i < mb->n_connections; i++)
                if (mb->connections[i] == bus) {
                        memmove(mb->connections + i, mb->connections + i + 1,
                                (mb->n_connections - i - 1) * sizeof(Bus *));
                        mb->n_connections--;
                        log_debug("D-Bus: a private connection went away (%zu left).", mb->n_connections);
                        bus_unref(bus);
                        return;
                }
}

/* Nothing a client learns from us may be lost by a crash: commit the state store first. */
static void commit_before_send(void *userdata) {
        (void) manager_store_flush(userdata);
}

int manager_bus_register_objects(Bus *b, Manager *m, bool p2p) {
        int r;

        bus_set_send_hook(b, commit_before_send, m);
        r = bus_manager_register(b, m);
        if (r >= 0)
                r = bus_unit_register(b, m);
        if (r >= 0)
                r = bus_job_register(b, m);
        if (r >= 0 && p2p)
                r = bus_add_object_vtable(b, NULL, "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                          p2p_driver_vtable, NULL);
        return r;
}

ManagerSysBus **manager_bus_sysbus(Manager *m) {
        return m && m->bus ? &m->bus->sysbus : NULL;
}

static int peer_allowed(int fd) {
        struct ucred cred;
        socklen_t len = sizeof cred;

        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        /* root, or the manager's own user (a manager not running as root, as in tests) */
        return cred.uid == 0 || cred.uid == getuid();
}

static int on_accept(EventSource *s, int fd, uint32_t revents, void *userdata) {
        ManagerBus *mb = userdata;
        Bus *bus = NULL;
        int cfd, r;

        cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (cfd < 0) {
                if (!IN_SET(errno, EAGAIN, EINTR, ECONNABORTED))
                        log_debug_errno(errno, "D-Bus: accept() on the private socket failed: %m");
                return 0;
        }
        r = peer_allowed(cfd);
        if (r <= 0) {
                log_debug("D-Bus: refusing a private connection from a peer that is not root.");
                safe_close(cfd);
                return 0;
        }
        if (mb->n_connections >= MANAGER_BUS_CONNECTIONS_MAX) {
                log_warning("D-Bus: too many private connections, refusing a new one.");
                safe_close(cfd);
                return 0;
        }
        if (!GREEDY_REALLOC(mb->connections, mb->connections_alloc, mb->n_connections + 1)) {
                safe_close(cfd);
                return 0;
        }
        r = bus_new_server(mb->manager->event, cfd, mb->guid, true, &bus);
        if (r < 0) {
                log_warning_errno(r, "D-Bus: failed to set up a private connection: %m");
                return 0;
        }
        r = manager_bus_register_objects(bus, mb->manager, true);
        if (r < 0) {
                log_warning_errno(r, "D-Bus: failed to register objects on a private connection: %m");
                bus_unref(bus);
                return 0;
        }
        bus_set_disconnected_handler(bus, connection_gone, mb);
        mb->connections[mb->n_connections++] = bus;
        return 0;
}

static int listen_private(ManagerBus *mb, const char *path) {
        struct sockaddr_un sa;
        _cleanup_close_ int fd = -EBADF;
        mode_t old;
        int salen, r;

        salen = sockaddr_un_set_path(&sa, path);
        if (salen < 0)
                return salen;
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        (void) unlink(path);
        old = umask(0077);
        r = bind(fd, (struct sockaddr *) &sa, (socklen_t) salen) < 0 ? -errno : 0;
        umask(old);
        if (r < 0)
                return r;
        if (listen(fd, SOMAXCONN) < 0)
                return -errno;
        mb->listen_fd = TAKE_FD(fd);
        return 0;
}

static ManagerBus *manager_bus_free(ManagerBus *mb) {
        if (!mb)
                return NULL;
        while (mb->n_connections > 0) {
                Bus *b = mb->connections[--mb->n_connections];
                bus_set_disconnected_handler(b, NULL, NULL);
                bus_unref(b);
        }
        free(mb->connections);
        manager_sysbus_free(mb->sysbus);
        event_source_disable_unref(mb->listen_source);
        safe_close(mb->listen_fd);
        free(mb->socket_path);
        return mfree(mb);
}

int manager_bus_setup(Manager *m, int listen_fd) {
        _cleanup_free_ char *system_dir = NULL;
        ManagerBus *mb;
        int r;

        if (m->bus)
                return 0;
        if (!m->event || !m->runtime_dir)
                return log_error_errno(-EINVAL, "D-Bus: the manager has no event loop or runtime directory.");
        /* sd_booted() of the clients looks for this directory */
        system_dir = path_join(m->runtime_dir, "systemd/system");
        if (!system_dir)
                return log_oom();
        r = mkdir_p(system_dir, 0755);
        if (r < 0)
                return log_error_errno(r, "Failed to create %s: %m", system_dir);

        mb = new0(ManagerBus, 1);
        if (!mb)
                return log_oom();
        mb->manager = m;
        mb->listen_fd = -EBADF;
        r = bus_guid_new(mb->guid);
        if (r < 0)
                goto fail;
        if (listen_fd < 0)
                listen_fd = manager_take_fd(m, "private"); /* after a restart: init kept it */
        if (listen_fd >= 0)
                mb->listen_fd = listen_fd;
        else {
                mb->socket_path = path_join(m->runtime_dir, "systemd/private");
                if (!mb->socket_path) {
                        r = -ENOMEM;
                        goto fail;
                }
                r = listen_private(mb, mb->socket_path);
                if (r < 0) {
                        log_error_errno(r, "Failed to listen on %s: %m", mb->socket_path);
                        goto fail;
                }
                /* clients connecting while we restart wait in its backlog */
                manager_keep_fds(m, "private", &mb->listen_fd, 1);
        }
        r = event_add_io(m->event, &mb->listen_source, mb->listen_fd, EPOLLIN, on_accept, mb);
        if (r < 0)
                goto fail;
        m->bus = mb;
        /* units restored before there was a bus (crash recovery) watch their bus names now */
        service_watch_bus_names(m);
        /* the system bus, if it is up already (else when dbus.socket/dbus.service start) */
        (void) manager_sysbus_try_connect(m);
        return 0;
fail:
        if (listen_fd >= 0)
                mb->listen_fd = -EBADF; /* stays the caller's on failure */
        manager_bus_free(mb);
        return log_error_errno(r, "D-Bus: failed to set up the private socket: %m");
}

void manager_bus_done(Manager *m) {
        m->bus = manager_bus_free(m->bus);
}

int manager_bus_listen_fd(Manager *m) {
        return m->bus ? m->bus->listen_fd : -1;
}

bool bus_has_subscribers(Manager *m) {
        return m->bus && (m->bus->n_connections > 0 || manager_sysbus_signal_bus(m));
}

/* ---- signals ---- */

/* Every private connection, then the system bus if a client there is subscribed. */
static Bus *nth_connection(ManagerBus *mb, size_t i) {
        if (!mb)
                return NULL;
        if (i < mb->n_connections)
                return mb->connections[i];
        if (i == mb->n_connections)
                return manager_sysbus_signal_bus(mb->manager);
        return NULL;
}

#define FOREACH_CONNECTION(b, mb) for (size_t _i = 0; ((b) = nth_connection((mb), _i)); _i++)

/* A job's signals: the system bus also when the client that queued the job is there. */
static Bus *nth_job_connection(ManagerBus *mb, Job *j, size_t i) {
        if (mb && i == mb->n_connections)
                return manager_sysbus_job_signal_bus(mb->manager, j);
        return nth_connection(mb, i);
}

#define FOREACH_JOB_CONNECTION(b, mb, j) for (size_t _i = 0; ((b) = nth_job_connection((mb), (j), _i)); _i++)

static bool job_has_subscribers(Job *j) {
        return bus_has_subscribers(j->manager) || manager_sysbus_job_signal_bus(j->manager, j);
}

void bus_job_send_new_signal(Job *j) {
        ManagerBus *mb = j->manager->bus;
        _cleanup_free_ char *p = NULL;
        Bus *b;

        if (j->sent_dbus_new_signal)
                return;
        j->sent_dbus_new_signal = true;
        if (!job_has_subscribers(j))
                return;
        p = job_dbus_path(j);
        if (!p)
                return;
        FOREACH_JOB_CONNECTION(b, mb, j)
                (void) bus_emit_signal(b, BUS_MANAGER_PATH, BUS_MANAGER_INTERFACE, "JobNew", "uos", j->id,
                                       p, j->unit->id);
}

void bus_job_send_removed_signal(Job *j) {
        ManagerBus *mb = j->manager->bus;
        _cleanup_free_ char *p = NULL;
        Bus *b;

        if (!j->sent_dbus_new_signal)
                bus_job_send_new_signal(j);
        if (job_has_subscribers(j) && (p = job_dbus_path(j)))
                FOREACH_JOB_CONNECTION(b, mb, j)
                        (void) bus_emit_signal(b, BUS_MANAGER_PATH, BUS_MANAGER_INTERFACE, "JobRemoved", "uoss",
                                               j->id, p, j->unit->id, job_result_to_string(j->result));
        manager_sysbus_untrack_job(j->manager, j);
}

void bus_job_send_change_signal(Job *j) {
        ManagerBus *mb = j->manager->bus;
        _cleanup_free_ char *p = NULL;
        Bus *b;

        if (!j->sent_dbus_new_signal) {
                bus_job_send_new_signal(j);
                return;
        }
        if (!job_has_subscribers(j) || !j->installed)
                return;
        p = job_dbus_path(j);
        if (!p)
                return;
        FOREACH_JOB_CONNECTION(b, mb, j)
                (void) bus_emit_properties_changed_strv(b, p, BUS_JOB_INTERFACE, NULL);
}

void bus_unit_send_change_signal(Unit *u) {
        ManagerBus *mb = u->manager->bus;
        _cleanup_free_ char *p = NULL;
        const char *iface;
        Bus *b;

        if (!bus_has_subscribers(u->manager))
                return;
        p = bus_unit_path(u);
        if (!p)
                return;
        if (!u->sent_dbus_new_signal) {
                FOREACH_CONNECTION(b, mb)
                        (void) bus_emit_signal(b, BUS_MANAGER_PATH, BUS_MANAGER_INTERFACE, "UnitNew", "so",
                                               u->id, p);
                u->sent_dbus_new_signal = true;
        }
        if (u->load_state == UNIT_STUB || u->merged_into)
                return;
        iface = unit_dbus_interface_from_type(u->type);
        FOREACH_CONNECTION(b, mb) {
                if (iface)
                        (void) bus_emit_properties_changed_strv(b, p, iface, NULL);
                (void) bus_emit_properties_changed_strv(b, p, BUS_UNIT_INTERFACE, NULL);
        }
}

void bus_unit_send_removed_signal(Unit *u) {
        ManagerBus *mb = u->manager->bus;
        _cleanup_free_ char *p = NULL;
        Bus *b;

        if (!u->sent_dbus_new_signal || !bus_has_subscribers(u->manager))
                return;
        p = bus_unit_path(u);
        if (!p)
                return;
        FOREACH_CONNECTION(b, mb)
                (void) bus_emit_signal(b, BUS_MANAGER_PATH, BUS_MANAGER_INTERFACE, "UnitRemoved", "so", u->id, p);
}

void bus_manager_send_reloading(Manager *m, bool active) {
        Bus *b;

        FOREACH_CONNECTION(b, m->bus)
                (void) bus_emit_signal(b, BUS_MANAGER_PATH, BUS_MANAGER_INTERFACE, "Reloading", "b", active);
}

void bus_manager_send_finished(Manager *m, usec_t firmware, usec_t loader, usec_t kernel,
                               usec_t initrd, usec_t userspace, usec_t total) {
        Bus *b;

        FOREACH_CONNECTION(b, m->bus)
                (void) bus_emit_signal(b, BUS_MANAGER_PATH, BUS_MANAGER_INTERFACE, "StartupFinished",
                                       "tttttt", firmware, loader, kernel, initrd, userspace, total);
}
