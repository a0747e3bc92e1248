/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * bus-userdb: the user database (NSS passwd and group: getpwnam(), getpwuid(), getgrnam(),
 * getgrgid(), getgrouplist()) for the bus daemon, looked up in a short-lived helper process:
 * the daemon's own binary run again with BUS_USERDB_HELPER_ARG, which answers requests on a
 * socket and exits at its end. So the NSS modules of nsswitch.conf (nss-systemd and what it
 * pulls in, a directory service's) never map into the long-running daemon, and the answers are
 * those the daemon itself would have got. A lookup blocks, as dbus-daemon's own do.
 *
 * One helper answers one lookup; between bus_userdb_begin() and bus_userdb_end() (reading a
 * configuration: every user="…" and group="…" of it) one helper answers them all. Without a
 * helper (bus_userdb_set_helper() not called, as in the unit tests), or when it fails, the
 * lookup is done in this process.
 */

#include <stdbool.h>
#include <sys/types.h>

#define BUS_USERDB_HELPER_ARG "--userdb-helper"

typedef struct BusUser {
        uid_t uid;
        gid_t gid;
        char *home;     /* NULL when the entry has none */
        gid_t *groups;  /* getgrouplist(name, gid): the primary group included */
        size_t n_groups;
} BusUser;

/* The executable run as the helper, e.g. "/proc/self/exe" (copied); NULL: look up in-process.
 * Returns 0 or -ENOMEM. */
int bus_userdb_set_helper(const char *path);

/* Lookups. Return 1 with *ret filled (a BusUser is freed with bus_user_done()), 0 if there is
 * no such entry, or -ENOMEM. */
int bus_userdb_get_user_by_name(const char *name, BusUser *ret);
int bus_userdb_get_user_by_uid(uid_t uid, BusUser *ret);
int bus_userdb_get_group_by_name(const char *name, gid_t *ret);
int bus_userdb_get_group_by_gid(gid_t gid, gid_t *ret);
void bus_user_done(BusUser *u);

/* Several lookups in a row share one helper until the matching bus_userdb_end() (nested
 * pairs count). */
void bus_userdb_begin(void);
void bus_userdb_end(void);

/* The helper's side, for main() when argv[1] is BUS_USERDB_HELPER_ARG: answers the requests
 * read on stdin on stdout until EOF. Returns the exit status. */
int bus_userdb_helper_main(int argc, char **argv);
