/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-config: the BusConfig object, its limits and service directories, and how an included
 * file is merged into its includer. The XML side is in bus-config-parse.c.
 */

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus-config.h"
#include "bus-config-internal.h"
#include "bus-userdb.h"
#include "macro.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

/* dbus-daemon's DBUS_DATADIR on Debian, where its own files live whatever our prefix is. */
#ifndef BUS_CONFIG_DATADIR
#define BUS_CONFIG_DATADIR "/usr/share"
#endif

typedef struct LimitInfo {
        const char *name;
        size_t offset;
        bool is_int; /* dbus-daemon keeps it in an int: values beyond INT_MAX are refused */
} LimitInfo;

#define LIMIT(n, i) { #n, offsetof(BusLimits, n), i }
static const LimitInfo limit_table[] = {
        LIMIT(max_incoming_bytes, false),
        LIMIT(max_incoming_unix_fds, false),
        LIMIT(max_outgoing_bytes, false),
        LIMIT(max_outgoing_unix_fds, false),
        LIMIT(max_message_size, false),
        LIMIT(max_message_unix_fds, false),
        LIMIT(service_start_timeout, true),
        LIMIT(auth_timeout, true),
        LIMIT(pending_fd_timeout, true),
        LIMIT(reply_timeout, true),
        LIMIT(max_completed_connections, true),
        LIMIT(max_incomplete_connections, true),
        LIMIT(max_connections_per_user, true),
        LIMIT(max_pending_service_starts, true),
        LIMIT(max_names_per_connection, true),
        LIMIT(max_match_rules_per_connection, true),
        LIMIT(max_replies_per_connection, true),
        LIMIT(max_containers, true),
        LIMIT(max_containers_per_user, true),
        LIMIT(max_container_metadata_bytes, true),
        LIMIT(max_connections_per_container, true),
};
#undef LIMIT

void bus_limits_init_default(BusLimits *l) {
        *l = (BusLimits) {
                .max_incoming_bytes = 127L * 1024 * 1024,
                .max_outgoing_bytes = 127L * 1024 * 1024,
                .max_message_size = 32L * 1024 * 1024,
                .max_incoming_unix_fds = 16 * 4,
                .max_outgoing_unix_fds = 16 * 4,
                .max_message_unix_fds = 16,
                .service_start_timeout = 25000,
                .auth_timeout = 30000,
                .pending_fd_timeout = 150000,
                .max_incomplete_connections = 64,
                .max_connections_per_user = 256,
                .max_containers_per_user = 16,
                .max_completed_connections = 2048,
                .max_containers = 512,
                .max_connections_per_container = 8,
                .max_container_metadata_bytes = 4096,
                .max_pending_service_starts = 512,
                .max_names_per_connection = 512,
                .max_match_rules_per_connection = 512,
                .reply_timeout = -1,
                .max_replies_per_connection = 128,
        };
}

static const LimitInfo *limit_find(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(limit_table); i++)
                if (streq(limit_table[i].name, name))
                        return &limit_table[i];
        return NULL;
}

int bus_limits_set(BusLimits *limits, const char *name, long value) {
        const LimitInfo *li = limit_find(name);

        if (!li)
                return -ENOENT;
        if (value < 0 || (li->is_int && value > INT_MAX))
                return -ERANGE;
        *(long *) ((char *) limits + li->offset) = value;
        return 0;
}

int bus_limits_get(const BusLimits *limits, const char *name, long *ret) {
        const LimitInfo *li = limit_find(name);

        if (!li)
                return -ENOENT;
        *ret = *(const long *) ((const char *) limits + li->offset);
        return 0;
}

int bus_config_new(BusConfig **ret) {
        BusConfig *c = new0(BusConfig, 1);

        if (!c)
                return -ENOMEM;
        bus_limits_init_default(&c->limits);
        *ret = c;
        return 0;
}

static void selinux_free(BusSelinuxAssociation *a, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(a[i].name);
                free(a[i].context);
        }
        free(a);
}

static void servicedirs_free(BusServiceDir *d, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(d[i].path);
        free(d);
}

BusConfig *bus_config_free(BusConfig *c) {
        if (!c)
                return NULL;
        free(c->type);
        free(c->user);
        free(c->pidfile);
        free(c->servicehelper);
        strv_free(c->listen);
        strv_free(c->auth);
        servicedirs_free(c->servicedirs, c->n_servicedirs);
        strv_free(c->conf_dirs);
        bus_policy_done(&c->policy);
        selinux_free(c->selinux, c->n_selinux);
        free(c);
        return NULL;
}

/* Takes path. A directory already listed keeps its place; the flags are and-ed, as
 * dbus-daemon does (watching wins over not watching). */
int bus_config_servicedirs_add_take(BusServiceDir **dirs, size_t *n, char *path,
                                    BusServiceDirFlags flags) {
        BusServiceDir *a;

        for (size_t i = 0; i < *n; i++)
                if (streq((*dirs)[i].path, path)) {
                        (*dirs)[i].flags &= flags;
                        free(path);
                        return 0;
                }
        a = reallocarray(*dirs, *n + 1, sizeof(BusServiceDir));
        if (!a) {
                free(path);
                return -ENOMEM;
        }
        *dirs = a;
        a[(*n)++] = (BusServiceDir) { .path = path, .flags = flags };
        return 0;
}

/* Each non-empty entry of the colon-separated list, with suffix appended. */
static int servicedirs_add_search_path(BusServiceDir **dirs, size_t *n, const char *search,
                                       const char *suffix, BusServiceDirFlags flags) {
        _cleanup_(strv_freep) char **parts = NULL;
        int r;

        r = strv_split(search, ":", &parts);
        if (r < 0)
                return r;
        STRV_FOREACH(p, parts) {
                char *s = strstrip(*p);
                char *d;

                if (isempty(s))
                        continue;
                d = path_join(s, suffix);
                if (!d)
                        return -ENOMEM;
                r = bus_config_servicedirs_add_take(dirs, n, d, flags);
                if (r < 0)
                        return r;
        }
        return 0;
}

int bus_config_add_standard_system_servicedirs(BusServiceDir **dirs, size_t *n) {
        return servicedirs_add_search_path(
                        dirs, n, "/usr/local/share:/usr/share:" BUS_CONFIG_DATADIR ":/lib",
                        "dbus-1/system-services", 0);
}

int bus_config_add_standard_session_servicedirs(BusServiceDir **dirs, size_t *n) {
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        const char *data_home = getenv("XDG_DATA_HOME");
        const char *data_dirs = getenv("XDG_DATA_DIRS");
        _cleanup_free_ char *home_share = NULL, *search = NULL;
        int r;

        /* The transient directory: never watched, names must match. */
        if (runtime) {
                char *d = path_join(runtime, "dbus-1/services");

                if (!d)
                        return -ENOMEM;
                r = bus_config_servicedirs_add_take(
                                dirs, n, d, BUS_SERVICE_DIR_NO_WATCH | BUS_SERVICE_DIR_STRICT_NAMING);
                if (r < 0)
                        return r;
        }

        if (!data_home) {
                _cleanup_(bus_user_done) BusUser u = {};
                const char *home;

                r = bus_userdb_get_user_by_uid(getuid(), &u);
                if (r < 0)
                        return r;
                home = u.home ?: getenv("HOME");
                home_share = path_join(strempty(home), ".local/share");
                if (!home_share)
                        return -ENOMEM;
                data_home = home_share;
        }
        search = strjoin(data_home, ":", data_dirs ?: "/usr/local/share:/usr/share", ":",
                         BUS_CONFIG_DATADIR);
        if (!search)
                return -ENOMEM;
        return servicedirs_add_search_path(dirs, n, search, "dbus-1/services", 0);
}

static const char *const apparmor_table[_BUS_CONFIG_APPARMOR_MAX] = {
        [BUS_CONFIG_APPARMOR_DISABLED] = "disabled",
        [BUS_CONFIG_APPARMOR_ENABLED] = "enabled",
        [BUS_CONFIG_APPARMOR_REQUIRED] = "required",
};

const char *bus_config_apparmor_mode_to_string(BusConfigApparmorMode m) {
        if (m < 0 || m >= _BUS_CONFIG_APPARMOR_MAX)
                return NULL;
        return apparmor_table[m];
}

BusConfigApparmorMode bus_config_apparmor_mode_from_string(const char *s) {
        for (int i = BUS_CONFIG_APPARMOR_DISABLED; i < _BUS_CONFIG_APPARMOR_MAX; i++)
                if (streq(apparmor_table[i], s))
                        return i;
        return _BUS_CONFIG_APPARMOR_INVALID;
}

int bus_config_selinux_associate(BusConfig *c, const char *name, const char *context) {
        _cleanup_free_ char *nn = NULL, *cc = NULL;
        BusSelinuxAssociation *a;

        nn = strdup(name);
        cc = strdup(context);
        if (!nn || !cc)
                return -ENOMEM;
        /* a name associated again gets the new context, as dbus-daemon's table does */
        for (size_t i = 0; i < c->n_selinux; i++)
                if (streq(c->selinux[i].name, name)) {
                        free_and_replace_str(&c->selinux[i].context, TAKE_PTR(cc));
                        return 0;
                }
        a = reallocarray(c->selinux, c->n_selinux + 1, sizeof(BusSelinuxAssociation));
        if (!a)
                return -ENOMEM;
        c->selinux = a;
        a[c->n_selinux++] = (BusSelinuxAssociation) { TAKE_PTR(nn), TAKE_PTR(cc) };
        return 0;
}

static int strv_append_moved(char ***dst, char ***src) {
        int r;

        STRV_FOREACH(s, *src) {
                r = strv_extend(dst, *s);
                if (r < 0)
                        return r;
        }
        *src = strv_free(*src);
        return 0;
}

static void replace_if_set(char **dst, char **src) {
        if (*src)
                free_and_replace_str(dst, TAKE_PTR(*src));
}

/* What an <include> does once the included file loaded: as dbus-daemon's merge_included().
 * Note that <syslog/> in an included file is not carried over, as in dbus-daemon. */
int bus_config_merge_included(BusConfig *c, BusConfig *inc) {
        int r;

        r = bus_policy_merge(&c->policy, &inc->policy);
        if (r < 0)
                return r;
        for (size_t i = 0; i < inc->n_selinux; i++) {
                r = bus_config_selinux_associate(c, inc->selinux[i].name, inc->selinux[i].context);
                if (r < 0)
                        return r;
        }
        replace_if_set(&c->user, &inc->user);
        replace_if_set(&c->type, &inc->type);
        replace_if_set(&c->pidfile, &inc->pidfile);
        replace_if_set(&c->servicehelper, &inc->servicehelper);
        c->fork = c->fork || inc->fork;
        c->keep_umask = c->keep_umask || inc->keep_umask;
        c->allow_anonymous = c->allow_anonymous || inc->allow_anonymous;
        if (inc->apparmor != BUS_CONFIG_APPARMOR_UNSET)
                c->apparmor = inc->apparmor;

        r = strv_append_moved(&c->listen, &inc->listen);
        if (r < 0)
                return r;
        r = strv_append_moved(&c->auth, &inc->auth);
        if (r < 0)
                return r;
        for (size_t i = 0; i < inc->n_servicedirs; i++) {
                r = bus_config_servicedirs_add_take(&c->servicedirs, &c->n_servicedirs,
                                                    TAKE_PTR(inc->servicedirs[i].path),
                                                    inc->servicedirs[i].flags);
                if (r < 0)
                        return r;
        }
        r = strv_append_moved(&c->conf_dirs, &inc->conf_dirs);
        if (r < 0)
                return r;
        c->limits = inc->limits;
        return 0;
}
