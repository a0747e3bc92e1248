/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-activation.c: service files, pending activations and the ways to start a service
 * (bus-activation.h). Error names and texts are dbus-daemon's.
 */

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus-activation.h"
#include "bus-broker.h"
#include "bus/bus-message-args.h"
#include "bus/bus-names.h"
#include "env-util.h"
#include "fd-util.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "time-base.h"

#define SYSTEMD_NAME "org.freedesktop.systemd1"
#define ERROR_SPAWN_CHILD_EXITED "org.freedesktop.DBus.Error.Spawn.ChildExited"
#define ERROR_SPAWN_EXEC_FAILED "org.freedesktop.DBus.Error.Spawn.ExecFailed"
#define ERROR_SPAWN_FILE_INVALID "org.freedesktop.DBus.Error.Spawn.FileInvalid"

typedef struct ServiceEntry {
        char *name, *exec, *user, *systemd_service, *path;
} ServiceEntry;

typedef struct Waiter {
        BusConn *conn;    /* NULL: the bus itself (SetEnvironment, ActivationRequest) */
        BusMessage *message;
        bool auto_start;
        struct Waiter *next;
} Waiter;

typedef struct Pending {
        BusActivation *activation;
        char *name;
        char *systemd_service;
        Waiter *waiters, *last;
        EventSource *timeout;
        EventSource *child;
        pid_t pid;
} Pending;

struct BusActivation {
        Broker *broker;
        Hashmap *entries;   /* name → ServiceEntry */
        Hashmap *pending;   /* name → Pending */
        char **environment; /* UpdateActivationEnvironment */
        unsigned n_waiters;
};

static ServiceEntry *entry_free(ServiceEntry *e) {
        if (!e)
                return NULL;
        free(e->name);
        free(e->exec);
        free(e->user);
        free(e->systemd_service);
        free(e->path);
        return mfree(e);
}

static void entries_free(Hashmap *h) {
        ServiceEntry *e;

        while ((e = hashmap_steal_first(h)))
                entry_free(e);
        hashmap_free(h);
}

static void waiter_free(Waiter *w) {
        bus_message_unref(w->message);
        free(w);
}

static int on_orphan_exit(EventSource *s, const siginfo_t *si, void *userdata) {
        (void) s;
        (void) si;
        (void) userdata;
        return 0; /* reaped by the loop; nobody waits for it any more */
}

static void pending_free(Pending *p) {
        Waiter *w;

        if (!p)
                return;
        if (p->child) {
                /* a helper still running (or forked off): keep reaping it */
                p->child = event_source_disable_unref(p->child);
                if (p->pid > 0)
                        (void) event_add_child(p->activation->broker->event, NULL, p->pid, WEXITED,
                                               on_orphan_exit, NULL);
        }
        if (hashmap_get(p->activation->pending, p->name) == p)
                (void) hashmap_remove(p->activation->pending, p->name);
        while ((w = p->waiters)) {
                p->waiters = w->next;
                p->activation->n_waiters--;
                waiter_free(w);
        }
        event_source_disable_unref(p->timeout);
        free(p->name);
        free(p->systemd_service);
        free(p);
}

int bus_activation_new(Broker *b, BusActivation **ret) {
        BusActivation *a = new0(BusActivation, 1);

        if (!a)
                return -ENOMEM;
        a->broker = b;
        *ret = a;
        return 0;
}

BusActivation *bus_activation_free(BusActivation *a) {
        Pending *p;

        if (!a)
                return NULL;
        while ((p = hashmap_first(a->pending)))
                pending_free(p);
        hashmap_free(a->pending);
        entries_free(a->entries);
        strv_free(a->environment);
        return mfree(a);
}

/* ---- service files ---- */

static int parse_service_file(const char *path, ServiceEntry **ret) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **lines = NULL;
        ServiceEntry *e;
        bool in_section = false;
        int r;

        r = read_full_file(path, 1024 * 1024, &text, NULL);
        if (r < 0)
                return r;
        r = strv_split_newlines(text, &lines);
        if (r < 0)
                return r;
        e = new0(ServiceEntry, 1);
        if (!e)
                return -ENOMEM;
        STRV_FOREACH(l, lines) {
                char *line = strstrip(*l), *eq;
                char **field = NULL;

                if (IN_SET(line[0], 0, '#'))
                        continue;
                if (line[0] == '[') {
                        in_section = streq(line, "[D-BUS Service]");
                        continue;
                }
                if (!in_section)
                        continue;
                eq = strchr(line, '=');
                if (!eq)
                        continue;
                *eq = 0;
                strstrip(line);
                if (streq(line, "Name"))
                        field = &e->name;
                else if (streq(line, "Exec"))
                        field = &e->exec;
                else if (streq(line, "User"))
                        field = &e->user;
                else if (streq(line, "SystemdService"))
                        field = &e->systemd_service;
                if (field && free_and_strdup(field, strstrip(eq + 1)) < 0) {
                        entry_free(e);
                        return -ENOMEM;
                }
        }
        if (!e->name || !bus_name_is_valid(e->name) || e->name[0] == ':' || !e->exec) {
                entry_free(e);
                return -EINVAL;
        }
        e->path = strdup(path);
        if (!e->path) {
                entry_free(e);
                return -ENOMEM;
        }
        *ret = e;
        return 0;
}

static int load_dir(Hashmap **entries, const BusServiceDir *d) {
        _cleanup_(closedirp) DIR *dir = opendir(d->path);
        struct dirent *de;
        int r;

        if (!dir)
                return 0;
        while ((de = readdir(dir))) {
                _cleanup_free_ char *path = NULL;
                ServiceEntry *e = NULL;
                const char *suffix = endswith(de->d_name, ".service");

                if (!suffix || de->d_name[0] == '.')
                        continue;
                if (asprintf(&path, "%s/%s", d->path, de->d_name) < 0)
                        return -ENOMEM;
                r = parse_service_file(path, &e);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        log_warning("Ignoring service file %s: %s", path,
                                    r == -EINVAL ? "invalid content" : strerror(-r));
                        continue;
                }
                if ((d->flags & BUS_SERVICE_DIR_STRICT_NAMING) &&
                    (strlen(e->name) != (size_t) (suffix - de->d_name) ||
                     strncmp(e->name, de->d_name, (size_t) (suffix - de->d_name)) != 0)) {
                        log_warning("Ignoring service file %s: it must be named %s.service", path, e->name);
                        entry_free(e);
                        continue;
                }
                if (hashmap_contains(*entries, e->name)) {
                        /* an earlier directory wins */
                        entry_free(e);
                        continue;
                }
                r = hashmap_ensure_put(entries, &string_hash_ops, e->name, e);
                if (r < 0) {
                        entry_free(e);
                        return r;
                }
        }
        return 0;
}

static bool same_names(Hashmap *a, Hashmap *b) {
        ServiceEntry *e;

        if (hashmap_size(a) != hashmap_size(b))
                return false;
        HASHMAP_FOREACH(e, a)
                if (!hashmap_contains(b, e->name))
                        return false;
        return true;
}

int bus_activation_load(BusActivation *a, const BusServiceDir *dirs, size_t n_dirs) {
        Hashmap *entries = NULL;
        bool changed;
        int r;

        for (size_t i = 0; i < n_dirs; i++) {
                if (dirs[i].flags & BUS_SERVICE_DIR_STRICT_NAMING) {
                        /* the transient directory: dbus-daemon creates it for its users */
                        _cleanup_free_ char *parent = strdup(dirs[i].path);
                        char *slash = parent ? strrchr(parent, '/') : NULL;

                        if (slash && slash != parent) {
                                *slash = 0;
                                (void) mkdir(parent, 0700);
                        }
                        (void) mkdir(dirs[i].path, 0700);
                }
                r = load_dir(&entries, &dirs[i]);
                if (r < 0) {
                        entries_free(entries);
                        return r;
                }
        }
        changed = !same_names(a->entries, entries);
        entries_free(a->entries);
        a->entries = entries;
        return changed;
}

bool bus_activation_iterate(BusActivation *a, Iterator *i, const char **ret_name) {
        ServiceEntry *e;

        if (!hashmap_iterate(a->entries, i, (void **) &e, NULL))
                return false;
        *ret_name = e->name;
        return true;
}

/* ---- finishing ---- */

static void pending_fail(Pending *p, const BusError *error) {
        Broker *b = p->activation->broker;

        log_info("Failed to activate service '%s': %s", p->name, error->message ?: error->name);
        broker_tx_bypass(b, true);
        for (Waiter *w = p->waiters; w; w = w->next)
                if (w->conn)
                        (void) broker_reply_error(b, w->conn, w->message, error);
        broker_tx_bypass(b, false);
        pending_free(p);
}

void bus_activation_name_owned(BusActivation *a, const char *name, BusConn *owner) {
        Broker *b = a->broker;
        Pending *p = hashmap_get(a->pending, name);
        Waiter *w;

        if (!p)
                return;
        /* detach first: delivering may start other activations (pending_free() only removes
         * p itself from the map) */
        (void) hashmap_remove(a->pending, p->name);
        broker_tx_bypass(b, true);
        while ((w = p->waiters)) {
                _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;

                p->waiters = w->next;
                a->n_waiters--;
                if (!w->auto_start) {
                        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;

                        if (w->conn && bus_message_new_method_return(w->message, &reply) >= 0 &&
                            bus_message_append(reply, "u", (uint32_t) 1) >= 0)
                                (void) broker_send_from_driver(b, w->conn, reply);
                } else if (owner && (!w->conn || !w->conn->closing)) {
                        if (broker_deliver(b, w->conn, owner, w->message, &error) < 0 &&
                            bus_error_is_set(&error) && w->conn)
                                (void) broker_reply_error(b, w->conn, w->message, &error);
                }
                waiter_free(w);
        }
        broker_tx_bypass(b, false);
        pending_free(p);
}

void bus_activation_systemd_failure(BusActivation *a, BusMessage *m) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        const char *unit, *name, *text;
        Pending *p;
        bool again = true;

        bus_message_rewind(m);
        if (bus_message_read(m, "sss", &unit, &name, &text) <= 0)
                return;
        if (bus_error_set(&error, name, text) == -ENOMEM)
                return;
        log_info("Activation via systemd failed for unit '%s': %s", unit, text);
        while (again) {
                again = false;
                HASHMAP_FOREACH(p, a->pending)
                        if (streq_ptr(p->systemd_service, unit)) {
                                pending_fail(p, &error);
                                again = true;
                                break;
                        }
        }
}

void bus_activation_conn_gone(BusActivation *a, BusConn *c) {
        Pending *p;

        HASHMAP_FOREACH(p, a->pending) {
                Waiter **link = &p->waiters;

                p->last = NULL;
                while (*link) {
                        Waiter *w = *link;

                        if (w->conn == c) {
                                *link = w->next;
                                a->n_waiters--;
                                waiter_free(w);
                        } else {
                                p->last = w;
                                link = &w->next;
                        }
                }
        }
}

static int on_timeout(EventSource *s, usec_t usec, void *userdata) {
        Pending *p = userdata;
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;

        (void) s;
        (void) usec;
        if (p->pid > 0)
                (void) kill(p->pid, SIGTERM);
        (void) bus_error_setf(&error, BUS_ERROR_TIMED_OUT,
                              "Failed to activate service '%s': timed out (service_start_timeout=%ldms)",
                              p->name, p->activation->broker->limits.service_start_timeout);
        log_warning("%s", error.message);
        pending_fail(p, &error);
        return 0;
}

static int on_child(EventSource *s, const siginfo_t *si, void *userdata) {
        Pending *p = userdata;
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;

        (void) s;
        p->child = event_source_disable_unref(p->child);
        p->pid = 0;
        if (si->si_code == CLD_EXITED && si->si_status == 0)
                return 0; /* a daemon that forked: wait for its name */
        if (si->si_code == CLD_EXITED)
                (void) bus_error_setf(&error, ERROR_SPAWN_CHILD_EXITED, "Process %s exited with status %d",
                                      p->name, si->si_status);
        else
                (void) bus_error_setf(&error, "org.freedesktop.DBus.Error.Spawn.ChildSignaled",
                                      "Process %s received signal %d", p->name, si->si_status);
        pending_fail(p, &error);
        return 0;
}

/* ---- starting ---- */

/* dbus-daemon's _dbus_shell_parse_argv(): words separated by blanks, '…' literal, "…" with
 * backslash escapes, a backslash outside quotes escapes the next character. */
static int shell_split(const char *s, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *word = NULL;
        size_t n = 0;
        bool have = false;

        word = malloc(strlen(s) + 1);
        if (!word)
                return -ENOMEM;
        for (const char *p = s;; p++) {
                if (*p == 0 || strchr(" \t\n", *p)) {
                        if (have) {
                                word[n] = 0;
                                if (strv_extend(&l, word) < 0)
                                        return -ENOMEM;
                                n = 0;
                                have = false;
                        }
                        if (*p == 0)
                                break;
                } else if (*p == '\'') {
                        const char *e = strchr(p + 1, '\'');

                        if (!e)
                                return -EINVAL;
                        memcpy(word + n, p + 1, (size_t) (e - p - 1));
                        n += (size_t) (e - p - 1);
                        have = true;
                        p = e;
                } else if (*p == '"') {
                        for (p++; *p && *p != '"'; p++) {
                                if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1]))
                                        p++;
                                word[n++] = *p;
                        }
                        if (!*p)
                                return -EINVAL;
                        have = true;
                } else if (*p == '\\' && p[1]) {
                        word[n++] = *++p;
                        have = true;
                } else {
                        word[n++] = *p;
                        have = true;
                }
        }
        if (strv_isempty(l))
                return -EINVAL;
        *ret = TAKE_PTR(l);
        return 0;
}

static int spawn_service(BusActivation *a, Pending *p, const ServiceEntry *e, BusError *error) {
        Broker *b = a->broker;
        _cleanup_strv_free_ char **argv = NULL, **env = NULL;
        _cleanup_free_ char *command = NULL;
        const char *type = b->config ? b->config->type : NULL;
        const char *helper = b->config ? b->config->servicehelper : NULL;
        pid_t pid;
        int r;

        if (helper) {
                if (!e->user)
                        return bus_error_set(error, ERROR_SPAWN_FILE_INVALID,
                                             "Cannot do system-bus activation with no user\n");
                command = strjoin(helper, " ", e->name);
        } else
                command = strdup(e->exec);
        if (!command)
                return bus_error_set_errno(error, -ENOMEM);
        r = shell_split(command, &argv);
        if (r < 0)
                return bus_error_setf(error, ERROR_SPAWN_FILE_INVALID, "Failed to parse Exec line of %s", e->path);

        env = strv_copy(environ);
        if (!env || strv_env_merge(&env, a->environment) < 0)
                return bus_error_set_errno(error, -ENOMEM);
        if (b->n_listeners > 0 && b->listen_address) {
                if (streq_ptr(type, "system")) {
                        r = strv_env_assign(&env, "DBUS_SYSTEM_BUS_ADDRESS", b->listen_address);
                        if (r >= 0)
                                r = strv_env_assign(&env, "DBUS_STARTER_BUS_TYPE", "system");
                } else {
                        r = strv_env_assign(&env, "DBUS_SESSION_BUS_ADDRESS", b->listen_address);
                        if (r >= 0 && streq_ptr(type, "session"))
                                r = strv_env_assign(&env, "DBUS_STARTER_BUS_TYPE", "session");
                }
                if (r >= 0)
                        r = strv_env_assign(&env, "DBUS_STARTER_ADDRESS", b->listen_address);
                if (r < 0)
                        return bus_error_set_errno(error, -ENOMEM);
        }
        log_info("Activating service name='%s'%s", e->name, helper ? " (using servicehelper)" : "");
        pid = fork();
        if (pid < 0)
                return bus_error_setf(error, ERROR_SPAWN_EXEC_FAILED, "Failed to fork: %s", strerror(errno));
        if (pid == 0) {
                sigset_t ss;
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);

                sigemptyset(&ss);
                (void) sigprocmask(SIG_SETMASK, &ss, NULL);
                if (b->have_initial_nofile)
                        (void) setrlimit(RLIMIT_NOFILE, &b->initial_nofile);
                (void) signal(SIGPIPE, SIG_DFL);
                if (null >= 0)
                        (void) dup2(null, STDIN_FILENO);
                execve(argv[0], argv, env);
                _exit(127);
        }
        p->pid = pid;
        r = event_add_child(b->event, &p->child, pid, WEXITED, on_child, p);
        if (r < 0)
                log_warning_errno(r, "Failed to watch service %s: %m", e->name);
        return 0;
}

static int send_activation_request(BusActivation *a, Pending *p, BusConn *c, BusError *error);

static int pending_add_waiter(BusActivation *a, Pending *p, BusConn *c, BusMessage *m, bool auto_start) {
        Waiter *w = new0(Waiter, 1);

        if (!w)
                return -ENOMEM;
        *w = (Waiter) { .conn = c, .message = bus_message_ref(m), .auto_start = auto_start };
        if (p->last)
                p->last->next = w;
        else
                p->waiters = w;
        p->last = w;
        a->n_waiters++;
        return 0;
}

int bus_activation_activate(BusActivation *a, BusConn *c, BusMessage *m, const char *name,
                            bool auto_start, BusError *error) {
        Broker *b = a->broker;
        ServiceEntry *e = NULL;
        Pending *p;
        int r;

        if (a->n_waiters >= (unsigned long) b->limits.max_pending_service_starts)
                return bus_error_setf(error, BUS_ERROR_LIMITS_EXCEEDED,
                                      "The maximum number of pending activations has been reached, activation of "
                                      "%s failed (max_pending_service_starts=%ld)",
                                      name, b->limits.max_pending_service_starts);
        if (!(b->systemd_activation && streq(name, SYSTEMD_NAME))) {
                e = hashmap_get(a->entries, name);
                if (!e)
                        return bus_error_setf(error, BUS_ERROR_SERVICE_UNKNOWN,
                                              "The name %s was not provided by any .service files", name);
        }
        /* what the sender may send to the service, as far as it can be known before it exists */
        if (auto_start && e && c && !broker_check_security(b, c, NULL, NULL, m, error))
                return -EACCES;

        p = hashmap_get(a->pending, name);
        if (p)
                return pending_add_waiter(a, p, c, m, auto_start) < 0 ? bus_error_set_errno(error, -ENOMEM) : 0;

        p = new0(Pending, 1);
        if (!p)
                return bus_error_set_errno(error, -ENOMEM);
        p->activation = a;
        p->name = strdup(name);
        if (!p->name || (e && e->systemd_service && !(p->systemd_service = strdup(e->systemd_service))) ||
            hashmap_ensure_put(&a->pending, &string_hash_ops, p->name, p) < 0) {
                free(p->systemd_service);
                free(p->name);
                free(p);
                return bus_error_set_errno(error, -ENOMEM);
        }
        r = pending_add_waiter(a, p, c, m, auto_start);
        if (r >= 0)
                r = event_add_time(b->event, &p->timeout, CLOCK_MONOTONIC,
                                   now(CLOCK_MONOTONIC) + (usec_t) b->limits.service_start_timeout * USEC_PER_MSEC,
                                   0, on_timeout, p);
        if (r < 0) {
                pending_free(p);
                return bus_error_set_errno(error, r);
        }
        if (b->systemd_activation) {
                if (!e)
                        return 0; /* systemd itself: it connects on its own */
                if (e->systemd_service) {
                        r = send_activation_request(a, p, c, error);
                        if (r < 0)
                                pending_free(p);
                        return r;
                }
        }
        r = spawn_service(a, p, e, error);
        if (r < 0) {
                _cleanup_bus_error_ BusError copy = BUS_ERROR_NULL;

                /* the waiter that caused this gets the error from the caller */
                p->waiters->conn = NULL;
                (void) bus_error_set(&copy, error->name, error->message);
                pending_fail(p, &copy);
        }
        return r;
}

static int send_activation_request(BusActivation *a, Pending *p, BusConn *c, BusError *error) {
        Broker *b = a->broker;
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        BusConn *systemd = broker_find_owner(b, SYSTEMD_NAME);
        int r;

        r = bus_message_new_signal(BUS_DRIVER_PATH, "org.freedesktop.systemd1.Activator", "ActivationRequest", &m);
        if (r >= 0)
                r = bus_message_set_string_field(m, BUS_FIELD_SENDER, BUS_DRIVER_NAME);
        if (r >= 0)
                r = bus_message_set_string_field(m, BUS_FIELD_DESTINATION, SYSTEMD_NAME);
        if (r >= 0)
                r = bus_message_append(m, "s", p->systemd_service);
        if (r >= 0)
                r = bus_message_seal(m, ++b->serial ?: ++b->serial);
        if (r < 0)
                return bus_error_set_errno(error, r);
        broker_tx_bypass(b, true);
        broker_capture(b, NULL, systemd, m);
        if (systemd) {
                log_info("Activating via systemd: service name='%s' unit='%s' requested by '%s' (%s)",
                         p->name, p->systemd_service, c ? c->unique_name : BUS_DRIVER_NAME,
                         c ? (c->loginfo ?: "") : "bus");
                r = broker_deliver(b, NULL, systemd, m, error);
                broker_tx_bypass(b, false);
                return r;
        }
        broker_tx_bypass(b, false);
        log_info("Activating systemd to hand-off: service name='%s' unit='%s'", p->name, p->systemd_service);
        return bus_activation_activate(a, NULL, m, SYSTEMD_NAME, true, error);
}

int bus_activation_update_environment(BusActivation *a, BusMessage *m, BusError *error) {
        Broker *b = a->broker;
        _cleanup_strv_free_ char **assignments = NULL;
        const char *k, *v;
        int r;

        if (b->config && b->config->servicehelper)
                return bus_error_set(error, BUS_ERROR_ACCESS_DENIED,
                                     "Cannot change activation environment on a system bus.");
        bus_message_rewind(m);
        if (bus_message_enter_container(m, 'a', "{ss}") <= 0)
                return bus_error_set_errno(error, -EBADMSG);
        while ((r = bus_message_enter_container(m, '{', "ss")) > 0) {
                if (bus_message_read(m, "ss", &k, &v) <= 0)
                        return bus_error_set_errno(error, -EBADMSG);
                (void) bus_message_exit_container(m);
                if (strv_consume(&assignments, strjoin(k, "=", v)) < 0)
                        return bus_error_set_errno(error, -ENOMEM);
        }
        (void) bus_message_exit_container(m);

        if (b->systemd_activation) {
                _cleanup_(bus_message_unrefp) BusMessage *call = NULL;
                BusConn *systemd = broker_find_owner(b, SYSTEMD_NAME);

                r = bus_message_new_method_call(SYSTEMD_NAME, "/org/freedesktop/systemd1",
                                                "org.freedesktop.systemd1.Manager", "SetEnvironment", &call);
                if (r >= 0)
                        r = bus_message_append_strv(call, assignments);
                if (r < 0)
                        return bus_error_set_errno(error, r);
                if (systemd)
                        (void) broker_send_from_driver(b, systemd, call);
                else {
                        r = bus_message_set_string_field(call, BUS_FIELD_SENDER, BUS_DRIVER_NAME);
                        if (r >= 0)
                                r = bus_message_set_flags(call, BUS_MESSAGE_NO_REPLY_EXPECTED);
                        if (r >= 0)
                                r = bus_message_seal(call, ++b->serial ?: ++b->serial);
                        if (r < 0)
                                return bus_error_set_errno(error, r);
                        broker_capture(b, NULL, NULL, call);
                        r = bus_activation_activate(a, NULL, call, SYSTEMD_NAME, true, error);
                        if (r < 0)
                                return r;
                }
        }
        STRV_FOREACH(s, assignments)
                if (strv_env_replace_strdup(&a->environment, *s) < 0)
                        return bus_error_set_errno(error, -ENOMEM);
        return 0;
}
