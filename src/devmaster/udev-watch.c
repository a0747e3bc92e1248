/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-watch.c: inotify watches on device nodes and their records in <run>/watch
 * (udev-watch.h).
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device-db.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "udev-watch.h"

static char *watch_path(const char *name) {
        return strjoin(device_db_get_run_dir(), "/watch/", name);
}

static char *watch_dir(const char *suffix) {
        return strjoin(device_db_get_run_dir(), "/watch", suffix);
}

int udev_watch_end(int inotify_fd, Device *dev) {
        _cleanup_free_ char *id_path = NULL, *wd_path = NULL, *target = NULL;
        const char *id;
        int wd, r;

        /* only a device node can be watched (udev_watch_begin()): nothing to look up otherwise */
        if (device_get_devname(dev, NULL) < 0)
                return 0;
        r = device_get_device_id(dev, &id);
        if (r < 0)
                return r;
        id_path = watch_path(id);
        if (!id_path)
                return -ENOMEM;
        r = readlink_malloc(id_path, &target);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to read %s: %m", id_path);
        if (safe_atoi(target, &wd) < 0 || wd < 0) {
                (void) unlink(id_path);
                return 0;
        }
        log_device_debug(dev, "Removing watch handle %i.", wd);
        if (inotify_fd >= 0)
                (void) inotify_rm_watch(inotify_fd, wd);
        wd_path = watch_path(target);
        if (!wd_path)
                return -ENOMEM;
        (void) unlink(wd_path);
        (void) unlink(id_path);
        return 0;
}

int udev_watch_begin(int inotify_fd, Device *dev) {
        _cleanup_free_ char *dir = NULL, *id_path = NULL, *wd_path = NULL;
        char wd_str[32];
        const char *devnode, *id;
        int wd, r;

        r = device_get_devname(dev, &devnode);
        if (r < 0)
                return r;
        r = device_get_device_id(dev, &id);
        if (r < 0)
                return r;
        log_device_debug(dev, "Adding watch on '%s'", devnode);
        wd = inotify_add_watch(inotify_fd, devnode, IN_CLOSE_WRITE);
        if (wd < 0)
                return log_device_debug_errno(dev, -errno, "Failed to watch device node '%s': %m", devnode);

        dir = watch_dir("");
        if (!dir)
                return -ENOMEM;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return log_device_debug_errno(dev, -errno, "Failed to create %s: %m", dir);
        (void) snprintf(wd_str, sizeof wd_str, "%i", wd);
        id_path = watch_path(id);
        wd_path = watch_path(wd_str);
        if (!id_path || !wd_path)
                return -ENOMEM;
        /* a stale pair from a device that went away without "remove" is replaced */
        (void) unlink(wd_path);
        (void) unlink(id_path);
        if (symlink(id, wd_path) < 0 || symlink(wd_str, id_path) < 0) {
                r = -errno;
                (void) unlink(wd_path);
                (void) inotify_rm_watch(inotify_fd, wd);
                return log_device_debug_errno(dev, r, "Failed to record watch handle: %m");
        }
        return 0;
}

int udev_watch_lookup(int wd, Device **ret) {
        _cleanup_free_ char *path = NULL, *id = NULL;
        char wd_str[32];
        int r;

        if (wd < 0)
                return -EBADF;
        (void) snprintf(wd_str, sizeof wd_str, "%i", wd);
        path = watch_path(wd_str);
        if (!path)
                return -ENOMEM;
        r = readlink_malloc(path, &id);
        if (r < 0)
                return r;
        return device_new_from_device_id(ret, id);
}

int udev_watch_restore(int inotify_fd) {
        _cleanup_free_ char *dir = NULL, *old = NULL;
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;

        dir = watch_dir("");
        old = watch_dir(".old");
        if (!dir || !old)
                return -ENOMEM;
        if (rename(dir, old) < 0) {
                if (errno == ENOENT)
                        return 0;
                return log_debug_errno(-errno, "Failed to move watches directory %s: %m", dir);
        }
        d = opendir(old);
        if (!d)
                return log_debug_errno(-errno, "Failed to open %s: %m", old);
        while ((de = readdir(d))) {
                _cleanup_device_unref_ Device *dev = NULL;
                _cleanup_free_ char *p = NULL;
                int wd;

                if (de->d_name[0] == '.')
                        continue;
                p = path_join(old, de->d_name);
                if (!p)
                        return -ENOMEM;
                /* take the <id> entries; the <wd> ones are recreated with new numbers */
                if (safe_atoi(de->d_name, &wd) < 0 &&
                    device_new_from_device_id(&dev, de->d_name) >= 0)
                        (void) udev_watch_begin(inotify_fd, dev);
                (void) unlink(p);
        }
        (void) rmdir(old);
        return 0;
}
