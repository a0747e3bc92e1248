/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-userdb.c: see bus-userdb.h. The helper is started with posix_spawn() (nothing runs
 * between its fork and its exec), signals unblocked and at their defaults, one end of a socket
 * pair as its stdin and stdout. A request is one line, "user NAME", "uid N", "group NAME" or
 * "gid N"; the answer is a UserdbHeader, then n_groups 32-bit GIDs, then home_len bytes of home
 * directory. The daemon checks every answer before it believes a byte of it, and reaps the
 * helper itself when it closes the socket (the event loop reaps only the children it watches).
 */

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus-userdb.h"
#include "fd-util.h"
#include "log.h"
#include "macro.h"
#include "parse-util.h"
#include "string-util.h"

#define USERDB_MAGIC 0x42554442U /* "BUDB" */
#define USERDB_NO_HOME UINT32_MAX
#define USERDB_GROUPS_MAX 65536U /* NGROUPS_MAX */
#define USERDB_LINE_MAX 4096U

extern char **environ;

typedef struct UserdbHeader {
        uint32_t magic;
        uint32_t found;
        uint32_t id;       /* uid, or gid for a group */
        uint32_t gid;      /* a user's primary group */
        uint32_t n_groups;
        uint32_t home_len; /* without a NUL; USERDB_NO_HOME: none */
} UserdbHeader;

static struct {
        char *helper;
        unsigned n_sessions;
        int fd; /* our end of the running helper's socket, or -EBADF */
        pid_t pid;
} userdb = { .fd = -EBADF };

int bus_userdb_set_helper(const char *path) {
        char *p = NULL;

        if (path) {
                p = strdup(path);
                if (!p)
                        return -ENOMEM;
        }
        free(userdb.helper);
        userdb.helper = p;
        return 0;
}

void bus_user_done(BusUser *u) {
        if (!u)
                return;
        free(u->home);
        free(u->groups);
        *u = (BusUser) {};
}

/* ---- NSS itself (in the helper, or in-process without one) ---- */

static int user_from_passwd(const struct passwd *pw, BusUser *ret) {
        _cleanup_(bus_user_done) BusUser u = {
                .uid = pw->pw_uid,
                .gid = pw->pw_gid,
        };
        int n = 64;

        if (pw->pw_dir) {
                u.home = strdup(pw->pw_dir);
                if (!u.home)
                        return -ENOMEM;
        }
        for (;;) {
                gid_t *g = reallocarray(u.groups, (size_t) MAX(n, 1), sizeof(gid_t));

                if (!g)
                        return -ENOMEM;
                u.groups = g;
                /* -1 when too small, with n set to what is needed */
                if (getgrouplist(pw->pw_name, pw->pw_gid, u.groups, &n) >= 0)
                        break;
        }
        u.n_groups = (size_t) n;
        *ret = u;
        u = (BusUser) {};
        return 1;
}

static int nss_user(const char *name, uid_t uid, BusUser *ret) {
        struct passwd *pw = name ? getpwnam(name) : getpwuid(uid);

        return pw ? user_from_passwd(pw, ret) : 0;
}

static int nss_group(const char *name, gid_t gid, gid_t *ret) {
        struct group *gr = name ? getgrnam(name) : getgrgid(gid);

        if (!gr)
                return 0;
        *ret = gr->gr_gid;
        return 1;
}

/* ---- the helper's side ---- */

static int write_all(int fd, const void *data, size_t size) {
        const uint8_t *p = data;

        while (size > 0) {
                ssize_t n = write(fd, p, size);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                size -= (size_t) n;
        }
        return 0;
}

/* Answers one request line. Returns 0, or a negative errno to give up. */
static int helper_answer(const char *line) {
        _cleanup_(bus_user_done) BusUser u = {};
        _cleanup_free_ uint32_t *groups = NULL;
        UserdbHeader h = { .magic = USERDB_MAGIC, .home_len = USERDB_NO_HOME };
        const char *v;
        unsigned id;
        gid_t gid = GID_INVALID;
        int r;

        if ((v = startswith(line, "user ")))
                r = nss_user(v, UID_INVALID, &u);
        else if ((v = startswith(line, "uid ")) && safe_atou_full(v, 10, &id) >= 0)
                r = nss_user(NULL, (uid_t) id, &u);
        else if ((v = startswith(line, "group ")))
                r = nss_group(v, GID_INVALID, &gid);
        else if ((v = startswith(line, "gid ")) && safe_atou_full(v, 10, &id) >= 0)
                r = nss_group(NULL, (gid_t) id, &gid);
        else
                return -EINVAL;
        if (r < 0)
                return r;
        h.found = r > 0;
        if (r > 0 && line[0] == 'g')
                h.id = (uint32_t) gid;
        else if (r > 0) {
                h.id = (uint32_t) u.uid;
                h.gid = (uint32_t) u.gid;
                h.n_groups = (uint32_t) MIN(u.n_groups, (size_t) USERDB_GROUPS_MAX);
                if (u.home && strlen(u.home) < USERDB_LINE_MAX)
                        h.home_len = (uint32_t) strlen(u.home);
                groups = new(uint32_t, MAX(h.n_groups, 1U));
                if (!groups)
                        return -ENOMEM;
                for (size_t i = 0; i < h.n_groups; i++)
                        groups[i] = (uint32_t) u.groups[i];
        }
        r = write_all(STDOUT_FILENO, &h, sizeof(h));
        if (r >= 0 && h.n_groups > 0)
                r = write_all(STDOUT_FILENO, groups, h.n_groups * sizeof(uint32_t));
        if (r >= 0 && h.home_len != USERDB_NO_HOME)
                r = write_all(STDOUT_FILENO, u.home, h.home_len);
        return r;
}

int bus_userdb_helper_main(int argc, char **argv) {
        char buf[USERDB_LINE_MAX + 1];
        size_t n = 0;

        (void) argc;
        (void) argv;
        for (;;) {
                char *nl = memchr(buf, '\n', n);
                ssize_t k;

                if (nl) {
                        size_t len = (size_t) (nl - buf);

                        *nl = 0;
                        if (helper_answer(buf) < 0)
                                return EXIT_FAILURE;
                        memmove(buf, nl + 1, n - len - 1);
                        n -= len + 1;
                        continue;
                }
                if (n >= USERDB_LINE_MAX)
                        return EXIT_FAILURE;
                k = read(STDIN_FILENO, buf + n, USERDB_LINE_MAX - n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return k == 0 && n == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
                n += (size_t) k;
        }
}

/* ---- the daemon's side ---- */

static void helper_stop(void) {
        if (userdb.fd < 0)
                return;
        userdb.fd = safe_close(userdb.fd); /* EOF: the helper exits */
        while (waitpid(userdb.pid, NULL, 0) < 0 && errno == EINTR)
                ;
        userdb.pid = 0;
}

static int helper_start(void) {
        _cleanup_close_ int ours = -EBADF, theirs = -EBADF;
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attr;
        char *argv[] = { (char *) "busmaster", (char *) BUS_USERDB_HELPER_ARG, NULL };
        sigset_t none, all;
        int sv[2], r;
        pid_t pid;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return -errno;
        ours = sv[0];
        theirs = sv[1];
        sigemptyset(&none);
        sigfillset(&all);
        if (posix_spawn_file_actions_init(&actions) != 0)
                return -ENOMEM;
        if (posix_spawnattr_init(&attr) != 0) {
                posix_spawn_file_actions_destroy(&actions);
                return -ENOMEM;
        }
        r = posix_spawn_file_actions_adddup2(&actions, theirs, STDIN_FILENO);
        if (r == 0)
                r = posix_spawn_file_actions_adddup2(&actions, theirs, STDOUT_FILENO);
        if (r == 0)
                r = posix_spawnattr_setsigmask(&attr, &none);
        if (r == 0)
                r = posix_spawnattr_setsigdefault(&attr, &all);
        if (r == 0)
                r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        if (r == 0)
                r = posix_spawn(&pid, userdb.helper, &actions, &attr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (r != 0)
                return -r;
        userdb.fd = TAKE_FD(ours);
        userdb.pid = pid;
        return 0;
}

static int read_exact(int fd, void *buf, size_t size) {
        uint8_t *p = buf;

        while (size > 0) {
                ssize_t n = read(fd, p, size);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EPIPE;
                p += n;
                size -= (size_t) n;
        }
        return 0;
}

/* Asks the helper. Returns 1 with the header and the groups and home that follow it (*ret_groups
 * and *ret_home are the caller's), 0 when not found, or a negative errno (the helper failed). */
static int helper_query(const char *kind, const char *arg, UserdbHeader *ret,
                        gid_t **ret_groups, char **ret_home) {
        _cleanup_free_ uint32_t *wire = NULL;
        _cleanup_free_ gid_t *groups = NULL;
        _cleanup_free_ char *request = NULL, *home = NULL;
        UserdbHeader h;
        int r;

        request = strjoin(kind, " ", arg, "\n");
        if (!request)
                return -ENOMEM;
        if (userdb.fd < 0) {
                r = helper_start();
                if (r < 0)
                        return r;
        }
        r = send(userdb.fd, request, strlen(request), MSG_NOSIGNAL) == (ssize_t) strlen(request)
                    ? 0 : -EPIPE;
        if (r >= 0)
                r = read_exact(userdb.fd, &h, sizeof(h));
        if (r >= 0 && (h.magic != USERDB_MAGIC || h.n_groups > USERDB_GROUPS_MAX ||
                       (h.home_len != USERDB_NO_HOME && h.home_len >= USERDB_LINE_MAX)))
                r = -EBADMSG;
        if (r >= 0 && h.n_groups > 0) {
                wire = new(uint32_t, h.n_groups);
                groups = new(gid_t, h.n_groups);
                r = wire && groups ? read_exact(userdb.fd, wire, h.n_groups * sizeof(uint32_t))
                                   : -ENOMEM;
                for (size_t i = 0; r >= 0 && i < h.n_groups; i++)
                        groups[i] = (gid_t) wire[i];
        }
        if (r >= 0 && h.home_len != USERDB_NO_HOME) {
                home = new0(char, h.home_len + 1);
                r = home ? read_exact(userdb.fd, home, h.home_len) : -ENOMEM;
        }
        if (r < 0 || userdb.n_sessions == 0)
                helper_stop();
        if (r < 0)
                return r;
        *ret = h;
        if (ret_groups)
                *ret_groups = TAKE_PTR(groups);
        if (ret_home)
                *ret_home = TAKE_PTR(home);
        return h.found ? 1 : 0;
}

/* A name the helper's line protocol can carry (no other can be in the database anyway). */
static bool name_ok(const char *name) {
        return !strchr(name, '\n') && strlen(name) < USERDB_LINE_MAX - 16;
}

static int query_user(const char *kind, const char *arg, BusUser *ret) {
        _cleanup_(bus_user_done) BusUser u = {};
        UserdbHeader h;
        int r;

        r = helper_query(kind, arg, &h, &u.groups, &u.home);
        if (r <= 0)
                return r;
        u.uid = (uid_t) h.id;
        u.gid = (gid_t) h.gid;
        u.n_groups = h.n_groups;
        *ret = u;
        u = (BusUser) {};
        return 1;
}

static int query_group(const char *kind, const char *arg, gid_t *ret) {
        UserdbHeader h;
        int r;

        r = helper_query(kind, arg, &h, NULL, NULL);
        if (r > 0)
                *ret = (gid_t) h.id;
        return r;
}

/* One lookup: by name, or (name NULL) by id; a user into *ret_user, else a group into *ret_gid.
 * Through the helper if there is one, in-process without one or when it failed. */
static int lookup(const char *kind, const char *name, unsigned long id, BusUser *ret_user,
                  gid_t *ret_gid) {
        char arg[32];
        int r;

        if (name && !name_ok(name))
                return 0;
        if (userdb.helper) {
                const char *a = name;

                if (!a) {
                        (void) snprintf(arg, sizeof(arg), "%lu", id);
                        a = arg;
                }
                r = ret_user ? query_user(kind, a, ret_user) : query_group(kind, a, ret_gid);
                if (r >= 0 || r == -ENOMEM)
                        return r;
                log_debug_errno(r, "The user database helper %s failed (%m), looking up %s %s in-process",
                                userdb.helper, kind, a);
        }
        if (ret_user)
                return nss_user(name, (uid_t) id, ret_user);
        return nss_group(name, (gid_t) id, ret_gid);
}

int bus_userdb_get_user_by_name(const char *name, BusUser *ret) {
        return lookup("user", name, UID_INVALID, ret, NULL);
}

int bus_userdb_get_user_by_uid(uid_t uid, BusUser *ret) {
        return lookup("uid", NULL, uid, ret, NULL);
}

int bus_userdb_get_group_by_name(const char *name, gid_t *ret) {
        return lookup("group", name, GID_INVALID, NULL, ret);
}

int bus_userdb_get_group_by_gid(gid_t gid, gid_t *ret) {
        return lookup("gid", NULL, gid, NULL, ret);
}

void bus_userdb_begin(void) {
        userdb.n_sessions++;
}

void bus_userdb_end(void) {
        if (userdb.n_sessions > 0 && --userdb.n_sessions == 0)
                helper_stop();
}
