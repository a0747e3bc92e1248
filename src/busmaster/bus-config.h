/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-config: dbus-daemon's XML configuration (busconfig DTD 1.0) as busmaster reads it.
 *
 * bus_config_load() parses a file with expat, follows <include> and <includedir> as
 * dbus-daemon 1.14 does, and returns a BusConfig the caller owns. The semantics kept from
 * dbus-daemon: the last <user>, <type>, <pidfile> and <servicehelper> win, the flags
 * (<fork/>, <keep_umask/>, <allow_anonymous/>) only switch on, <listen> and <auth> accumulate,
 * service directories are de-duplicated keeping the first position, limits start at the
 * built-in defaults and an included file sees and may change the includer's limits, and a file
 * that fails to load inside an <includedir> is reported and skipped. Policies are in
 * bus-policy.h.
 *
 * Errors are returned as a negative errno and a message (allocated, owned by the caller) that
 * names the file and the line, in dbus-daemon's wording where it has one.
 */

#include <stdbool.h>
#include <stddef.h>

#include "bus-policy.h"

typedef enum BusConfigApparmorMode {
        BUS_CONFIG_APPARMOR_UNSET,    /* no <apparmor> element */
        BUS_CONFIG_APPARMOR_DISABLED,
        BUS_CONFIG_APPARMOR_ENABLED,
        BUS_CONFIG_APPARMOR_REQUIRED,
        _BUS_CONFIG_APPARMOR_MAX,
        _BUS_CONFIG_APPARMOR_INVALID = -22,
} BusConfigApparmorMode;

/* Every <limit> dbus-daemon knows; times in milliseconds. */
typedef struct BusLimits {
        long max_incoming_bytes;
        long max_incoming_unix_fds;
        long max_outgoing_bytes;
        long max_outgoing_unix_fds;
        long max_message_size;
        long max_message_unix_fds;
        long service_start_timeout;
        long auth_timeout;
        long pending_fd_timeout;
        long reply_timeout;            /* -1: never */
        long max_completed_connections;
        long max_incomplete_connections;
        long max_connections_per_user;
        long max_pending_service_starts;
        long max_names_per_connection;
        long max_match_rules_per_connection;
        long max_replies_per_connection;
        long max_containers;
        long max_containers_per_user;
        long max_container_metadata_bytes;
        long max_connections_per_container;
} BusLimits;

typedef enum BusServiceDirFlags {
        BUS_SERVICE_DIR_NO_WATCH = 1 << 0,       /* not watched with inotify */
        BUS_SERVICE_DIR_STRICT_NAMING = 1 << 1,  /* NAME.service must hold Name=NAME */
} BusServiceDirFlags;

typedef struct BusServiceDir {
        char *path;
        BusServiceDirFlags flags;
} BusServiceDir;

/* <selinux><associate own="name" context="ctx"/></selinux> */
typedef struct BusSelinuxAssociation {
        char *name;
        char *context;
} BusSelinuxAssociation;

typedef struct BusConfig {
        char *type;           /* <type>, NULL if absent */
        char *user;           /* <user>, a name or a UID, NULL if absent */
        bool fork;
        bool keep_umask;
        bool syslog;
        bool allow_anonymous;
        char *pidfile;
        char *servicehelper;  /* absolute (made so relative to the file) */
        char **listen;        /* strv, in file order */
        char **auth;          /* strv; empty: every mechanism */
        BusServiceDir *servicedirs;
        size_t n_servicedirs;
        char **conf_dirs;     /* the <includedir>s that could be read (to watch them) */
        BusLimits limits;
        BusPolicy policy;
        BusSelinuxAssociation *selinux;
        size_t n_selinux;
        BusConfigApparmorMode apparmor;
} BusConfig;

typedef enum BusConfigFlags {
        /* Check <include>/<includedir> elements but do not read what they name (fuzzing). */
        BUS_CONFIG_NO_INCLUDES = 1 << 0,
        /* An included file: no <listen> is required. */
        BUS_CONFIG_NESTED = 1 << 1,
} BusConfigFlags;

/* dbus-daemon's built-in limits. */
void bus_limits_init_default(BusLimits *limits);
/* Sets the limit called name. 0; -ENOENT for an unknown name; -ERANGE for a negative value
 * or one beyond an int where dbus-daemon stores an int. */
int bus_limits_set(BusLimits *limits, const char *name, long value);
/* Reads the limit called name into *ret; 0 or -ENOENT. */
int bus_limits_get(const BusLimits *limits, const char *name, long *ret);

/* Loads path and what it includes. On success *ret is a new BusConfig (caller frees it with
 * bus_config_free()). On failure returns a negative errno (-ENOENT if path is missing, -EINVAL
 * for bad content, -ELOOP for a circular include, -ENOMEM) and, if ret_error is not NULL,
 * stores a message the caller frees. */
int bus_config_load(const char *path, BusConfigFlags flags, BusConfig **ret, char **ret_error);

/* The same for a document in memory; name is used in messages and as the base of relative
 * paths (its directory). */
int bus_config_parse(const char *text, size_t size, const char *name, BusConfigFlags flags,
                     BusConfig **ret, char **ret_error);

BusConfig *bus_config_free(BusConfig *config);

const char *bus_config_apparmor_mode_to_string(BusConfigApparmorMode m);
BusConfigApparmorMode bus_config_apparmor_mode_from_string(const char *s);

/* The directories <standard_system_servicedirs/> and <standard_session_servicedirs/> stand for
 * (the latter reads XDG_RUNTIME_DIR, XDG_DATA_HOME, XDG_DATA_DIRS and the home directory).
 * Appended to *dirs (an array of *n entries) without duplicates. 0 or -ENOMEM. */
int bus_config_add_standard_system_servicedirs(BusServiceDir **dirs, size_t *n);
int bus_config_add_standard_session_servicedirs(BusServiceDir **dirs, size_t *n);

static inline void bus_config_freep(BusConfig **c) {
        if (*c)
                bus_config_free(*c);
}
#define _cleanup_bus_config_ __attribute__((cleanup(bus_config_freep)))
