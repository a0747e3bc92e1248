/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* executor-dirs.c: the service's runtime/state/cache/logs/configuration directories (see
 * executor-dirs.h). */

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "execute.h"
#include "executor-dirs.h"
#include "fd-util.h"
#include "log.h"
#include "mkdir.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

const char *executor_directory_env_name(ExecDirectoryType t) {
        static const char *const names[_EXEC_DIRECTORY_TYPE_MAX] = {
                [EXEC_DIRECTORY_RUNTIME] = "RUNTIME_DIRECTORY",
                [EXEC_DIRECTORY_STATE] = "STATE_DIRECTORY",
                [EXEC_DIRECTORY_CACHE] = "CACHE_DIRECTORY",
                [EXEC_DIRECTORY_LOGS] = "LOGS_DIRECTORY",
                [EXEC_DIRECTORY_CONFIGURATION] = "CONFIGURATION_DIRECTORY",
        };
        return t >= 0 && t < _EXEC_DIRECTORY_TYPE_MAX ? names[t] : NULL;
}

static uid_t chown_uid, chown_gid;

static int chown_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st;
        (void) flag;
        (void) ftw;
        return lchown(path, chown_uid, chown_gid) < 0 ? -1 : 0;
}

/* chown -R, skipped when the top is already owned right (systemd's shortcut). */
static int chown_recursive(const char *path, uid_t uid, gid_t gid) {
        struct stat st;

        if (uid == UID_INVALID && gid == GID_INVALID)
                return 0;
        if (lstat(path, &st) < 0)
                return -errno;
        if ((uid == UID_INVALID || st.st_uid == uid) && (gid == GID_INVALID || st.st_gid == gid))
                return 0;
        chown_uid = uid;
        chown_gid = gid;
        return nftw(path, chown_entry, 16, FTW_PHYS | FTW_MOUNT) < 0 ? -errno : 0;
}

/* p is prefix/d; systemd's messages name d. */
static int setup_one(const ExecContext *c, ExecDirectoryType t, const char *p, const char *d, uid_t uid, gid_t gid) {
        mode_t mode = c->directory_modes[t];
        struct stat st;
        int r = mkdir_parents(p, 0755);

        if (r < 0)
                return r;
        if (mkdir(p, mode) < 0) {
                if (errno != EEXIST)
                        return -errno;
                if (t == EXEC_DIRECTORY_CONFIGURATION) {
                        if (stat(p, &st) < 0)
                                return -errno;
                        if (((st.st_mode ^ mode) & 07777) != 0)
                                log_warning("ConfigurationDirectory '%s' already exists but the mode is different. "
                                            "(File system: %o ConfigurationDirectoryMode: %o)",
                                            d, (unsigned) (st.st_mode & 07777), (unsigned) (mode & 07777));
                        return 0;
                }
        }
        if (chmod(p, mode) < 0)
                return -errno;
        return chown_recursive(p, uid, gid);
}

int executor_setup_directories(const ExecContext *c, const ExecRun *r, uid_t uid, gid_t gid,
                               ExecDirectoryType *ret_type) {
        if (r->flags & EXEC_SYSTEM_MANAGER) {
                /* The system instance hands the directories to root when there is no User=. */
                uid = uid == UID_INVALID ? 0 : uid;
                gid = gid == GID_INVALID ? 0 : gid;
        }
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                if (!r->prefix[t])
                        continue;
                STRV_FOREACH(d, c->directories[t]) {
                        _cleanup_free_ char *p = path_join(r->prefix[t], *d);
                        int k = p ? setup_one(c, t, p, *d, uid, gid) : -ENOMEM;
                        if (k < 0) {
                                *ret_type = t;
                                return k;
                        }
                }
        }
        return 0;
}
