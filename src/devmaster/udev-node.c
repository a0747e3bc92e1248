/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-node.c: device node permissions, devlinks with priorities and /dev/{char,block}/M:m
 * (see udev-node.h). Link arbitration is process-safe: every update of a stack directory
 * happens under flock(LOCK_EX) of its .lock file, then the winner is computed from the
 * directory and the /dev link replaced atomically (symlink to a temporary name + rename).
 */

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "device-db.h"
#include "fd-util.h"
#include "log.h"
#include "mkdir.h"
#include "parse-util.h"
#include "path-util.h"
#include "siphash24.h"
#include "string-util.h"
#include "udev-node.h"
#include "udev-rules.h"

static const uint8_t node_hash_key[16] = { 0xb9, 0x6a, 0xf1, 0xce, 0x40, 0x31, 0x44, 0x1a,
                                           0x9e, 0x19, 0xec, 0x8b, 0xae, 0xf3, 0xe3, 0x2f };

/* target relative to the directory holding link; both absolute. */
static char *relative_target(const char *target, const char *link) {
        const char *t = target, *l = link;
        const char *ts = target, *ls = link;
        char *r;
        size_t ups = 0;

        /* find the last common '/' boundary */
        while (*t && *l && *t == *l) {
                if (*t == '/') {
                        ts = t + 1;
                        ls = l + 1;
                }
                t++;
                l++;
        }
        for (const char *p = ls; *p; p++)
                if (*p == '/')
                        ups++;
        r = malloc(ups * 3 + strlen(ts) + 1);
        if (!r)
                return NULL;
        r[0] = '\0';
        for (size_t i = 0; i < ups; i++)
                strcat(r, "../");
        strcat(r, ts);
        return r;
}

static int symlink_atomic_relative(const char *target, const char *link) {
        _cleanup_free_ char *rel = NULL, *tmp = NULL;
        struct timespec ts;

        rel = relative_target(target, link);
        if (!rel)
                return -ENOMEM;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        if (asprintf(&tmp, "%s.#%x%lx%lx", link, (unsigned) getpid(), (long) ts.tv_sec, (long) ts.tv_nsec) < 0)
                return -ENOMEM;
        if (symlink(rel, tmp) < 0)
                return -errno;
        if (rename(tmp, link) < 0) {
                int r = -errno;

                (void) unlink(tmp);
                return r;
        }
        return 0;
}

static int node_symlink(Device *dev, const char *devnode, const char *slink) {
        struct stat st;
        int r;

        if (!devnode) {
                r = device_get_devname(dev, &devnode);
                if (r < 0)
                        return log_device_debug_errno(dev, r, "Failed to get device node: %m");
        }
        if (lstat(slink, &st) >= 0) {
                _cleanup_free_ char *rel = NULL, *old = NULL;

                if (!S_ISLNK(st.st_mode))
                        return log_device_debug_errno(dev, -EEXIST,
                                                      "Conflicting inode '%s' found, symlink to '%s' will not be created.",
                                                      slink, devnode);
                /* the same link again (every event of the device after the first): it stays,
                 * one readlink() instead of a new link and a rename() */
                rel = relative_target(devnode, slink);
                if (!rel)
                        return log_oom_debug();
                if ((size_t) st.st_size == strlen(rel) && readlink_malloc(slink, &old) >= 0 && streq(old, rel)) {
                        log_device_debug(dev, "Preserve already existing symlink '%s' to '%s'", slink, devnode);
                        return 0;
                }
        } else if (errno != ENOENT)
                return log_device_debug_errno(dev, -errno, "Failed to lstat() '%s': %m", slink);

        r = mkdir_parents(slink, 0755);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to create parent directory of '%s': %m", slink);
        r = symlink_atomic_relative(devnode, slink);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to create symlink '%s' to '%s': %m", slink, devnode);
        log_device_debug(dev, "Successfully created symlink '%s' to '%s'", slink, devnode);
        return 0;
}

size_t udev_node_escape_path(const char *src, char *dest, size_t size) {
        static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        size_t i, j;
        uint64_t h;

        assert(size >= 12);
        for (i = 0, j = 0; src[i] != '\0'; i++) {
                if (src[i] == '/' || src[i] == '\\') {
                        if (j + 4 >= size - 12 + 1)
                                goto toolong;
                        memcpy(dest + j, src[i] == '/' ? "\\x2f" : "\\x5c", 4);
                        j += 4;
                } else {
                        if (j + 1 >= size - 12 + 1)
                                goto toolong;
                        dest[j++] = src[i];
                }
        }
        dest[j] = '\0';
        return j;

toolong:
        h = siphash24(src, strlen(src), node_hash_key);
        for (unsigned k = 0; k <= 10; k++)
                dest[size - k - 2] = b64[(h >> (k * 6)) & 63];
        dest[size - 1] = '\0';
        return size - 1;
}

static int stack_directory_get_name(const char *slink, char **ret) {
        _cleanup_free_ char *s = NULL;
        char name_enc[NAME_MAX + 1];
        const char *name;

        s = path_normalize(slink);
        if (!s)
                return -ENOMEM;
        name = path_startswith(s, "/dev");
        if (isempty(name) || streq(name, "/"))
                return -EINVAL;
        name += strspn(name, "/");
        udev_node_escape_path(name, name_enc, sizeof(name_enc));
        *ret = path_join(device_db_get_run_dir(), "links", name_enc);
        return *ret ? 0 : -ENOMEM;
}

/* 1 if the claimant id beats (*devnode, *priority), updating them; 0 if not; <0 if unreadable. */
static int stack_read_one(int dirfd, const char *id, bool is_symlink, char **devnode, int *priority) {
        int prio, r;

        if (is_symlink) {
                char buf[PATH_MAX + 32], *colon;
                ssize_t n = readlinkat(dirfd, id, buf, sizeof(buf) - 1);

                if (n < 0)
                        return -errno;
                buf[n] = '\0';
                colon = strchr(buf, ':');
                if (!colon || colon == buf)
                        return -EINVAL;
                *colon = '\0';
                if (access(colon + 1, F_OK) < 0)
                        return -errno;
                r = safe_atoi(buf, &prio);
                if (r < 0)
                        return r;
                if (*devnode && prio <= *priority)
                        return 0;
                r = free_and_strdup(devnode, colon + 1);
                if (r < 0)
                        return r;
        } else {
                _cleanup_device_unref_ Device *d = NULL;
                const char *name;

                r = device_new_from_device_id(&d, id);
                if (r < 0)
                        return r;
                r = device_get_devlink_priority(d, &prio);
                if (r < 0)
                        return r;
                if (*devnode && prio <= *priority)
                        return 0;
                r = device_get_devname(d, &name);
                if (r < 0)
                        return r;
                r = free_and_strdup(devnode, name);
                if (r < 0)
                        return r;
        }
        *priority = prio;
        return 1;
}

static int stack_find_prioritized_devnode(Device *dev, const char *dirname, bool add, char **ret) {
        _cleanup_free_ char *devnode = NULL;
        const char *id;
        struct dirent *de;
        int r, priority = 0;
        DIR *dir;

        if (add) {
                const char *n;

                r = device_get_devlink_priority(dev, &priority);
                if (r < 0)
                        return r;
                r = device_get_devname(dev, &n);
                if (r < 0)
                        return r;
                devnode = strdup(n);
                if (!devnode)
                        return -ENOMEM;
        }
        r = device_get_device_id(dev, &id);
        if (r < 0)
                return r;
        dir = opendir(dirname);
        if (!dir)
                return -errno;
        while ((de = readdir(dir))) {
                if (de->d_name[0] == '.')
                        continue;
                if (streq(de->d_name, id))
                        continue;
                if (!IN_SET(de->d_type, DT_LNK, DT_REG))
                        continue;
                r = stack_read_one(dirfd(dir), de->d_name, de->d_type == DT_LNK, &devnode, &priority);
                if (r < 0)
                        log_debug_errno(r, "Failed to read '%s/%s', ignoring: %m", dirname, de->d_name);
        }
        closedir(dir);
        *ret = TAKE_PTR(devnode);
        return !!*ret;
}

static int stack_update(Device *dev, int fd, bool add) {
        const char *id;
        int r;

        r = device_get_device_id(dev, &id);
        if (r < 0)
                return r;
        if (add) {
                _cleanup_free_ char *data = NULL;
                const char *devname;
                char buf[PATH_MAX + 32];
                int priority;
                ssize_t n;

                r = device_get_devname(dev, &devname);
                if (r < 0)
                        return r;
                r = device_get_devlink_priority(dev, &priority);
                if (r < 0)
                        return r;
                if (asprintf(&data, "%i:%s", priority, devname) < 0)
                        return -ENOMEM;
                n = readlinkat(fd, id, buf, sizeof(buf) - 1);
                if (n >= 0) {
                        buf[n] = '\0';
                        if (streq(buf, data))
                                return 0;
                }
                (void) unlinkat(fd, id, 0);
                if (symlinkat(data, fd, id) < 0)
                        return -errno;
        } else {
                if (unlinkat(fd, id, 0) < 0)
                        return errno == ENOENT ? 0 : -errno;
        }
        return 1;
}

static int link_update(Device *dev, const char *slink, bool add) {
        _cleanup_free_ char *dirname = NULL, *devnode = NULL;
        _cleanup_close_ int dirfd = -1, lockfd = -1;
        int r;

        /* disk/by-diskseq/ links bypass the stack */
        if (path_startswith(slink, "/dev/disk/by-diskseq/")) {
                const char *subsystem = NULL;

                (void) device_get_subsystem(dev, &subsystem);
                if (streq_ptr(subsystem, "block")) {
                        if (!add) {
                                if (unlink(slink) < 0 && errno != ENOENT)
                                        return log_device_debug_errno(dev, -errno, "Failed to remove '%s': %m", slink);
                                rmdir_parents(slink, "/dev");
                                return 0;
                        }
                        return node_symlink(dev, NULL, slink);
                }
        }

        r = stack_directory_get_name(slink, &dirname);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to build stack directory name for '%s': %m", slink);
        r = mkdir_parents(dirname, 0755);
        if (r >= 0 && mkdir(dirname, 0755) < 0 && errno != EEXIST)
                r = -errno;
        if (r >= 0) {
                dirfd = open(dirname, O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW | O_RDONLY);
                if (dirfd < 0)
                        r = -errno;
        }
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to open stack directory '%s': %m", dirname);
        lockfd = openat(dirfd, ".lock", O_CLOEXEC | O_NOFOLLOW | O_RDONLY | O_CREAT, 0600);
        if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0)
                return log_device_debug_errno(dev, -errno, "Failed to lock stack directory '%s': %m", dirname);

        r = stack_update(dev, dirfd, add);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to update stack directory '%s': %m", dirname);
        r = stack_find_prioritized_devnode(dev, dirname, add, &devnode);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to determine device node with the highest priority for '%s': %m", slink);
        if (r > 0)
                return node_symlink(dev, devnode, slink);

        log_device_debug(dev, "No reference left for '%s', removing", slink);
        if (unlink(slink) < 0 && errno != ENOENT)
                log_device_debug_errno(dev, -errno, "Failed to remove '%s', ignoring: %m", slink);
        rmdir_parents(slink, "/dev");
        return 0;
}

static int devnum_link_path(Device *dev, char **ret) {
        const char *subsystem;
        dev_t devnum;
        int r;

        r = device_get_subsystem(dev, &subsystem);
        if (r < 0)
                return r;
        r = device_get_devnum(dev, &devnum);
        if (r < 0)
                return r;
        if (asprintf(ret, "/dev/%s/%u:%u", streq(subsystem, "block") ? "block" : "char", major(devnum),
                     minor(devnum)) < 0)
                return -ENOMEM;
        return 0;
}

int udev_node_update(Device *dev, Device *old) {
        _cleanup_free_ char *filename = NULL;
        const char *devlink;
        int r;

        if (old)
                DEVICE_FOREACH_DEVLINK(old, devlink) {
                        if (device_has_devlink(dev, devlink))
                                continue;
                        log_device_debug(dev, "Removing/updating old device symlink '%s', which is no longer belonging to this device.",
                                         devlink);
                        r = link_update(dev, devlink, false);
                        if (r < 0)
                                log_device_warning_errno(dev, r, "Failed to remove/update device symlink '%s', ignoring: %m", devlink);
                }
        DEVICE_FOREACH_DEVLINK(dev, devlink) {
                r = link_update(dev, devlink, true);
                if (r < 0)
                        log_device_warning_errno(dev, r, "Failed to create/update device symlink '%s', ignoring: %m", devlink);
        }

        r = devnum_link_path(dev, &filename);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to get device path: %m");
        r = node_symlink(dev, NULL, filename);
        if (r < 0)
                return log_device_warning_errno(dev, r, "Failed to create device symlink '%s': %m", filename);
        return 0;
}

int udev_node_remove(Device *dev) {
        _cleanup_free_ char *filename = NULL;
        const char *devlink;
        int r;

        DEVICE_FOREACH_DEVLINK(dev, devlink) {
                r = link_update(dev, devlink, false);
                if (r < 0)
                        log_device_warning_errno(dev, r, "Failed to remove/update device symlink '%s', ignoring: %m", devlink);
        }
        r = devnum_link_path(dev, &filename);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to get device path: %m");
        if (unlink(filename) < 0 && errno != ENOENT)
                return log_device_debug_errno(dev, -errno, "Failed to remove '%s': %m", filename);
        return 0;
}

int udev_node_apply_permissions(Device *dev, bool apply_mac, mode_t mode, uid_t uid, gid_t gid,
                                char **seclabels) {
        _cleanup_close_ int fd = -1;
        const char *devnode;
        struct stat st;
        bool apply_mode, apply_uid, apply_gid;
        int r;

        r = device_get_devname(dev, &devnode);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to get devname: %m");
        fd = device_open(dev, O_PATH | O_CLOEXEC);
        if (fd < 0) {
                if (IN_SET(fd, -ENOENT, -ENXIO, -ENODEV)) {
                        log_device_debug_errno(dev, fd, "Device node %s is missing, skipping handling.", devnode);
                        return 0;
                }
                return log_device_debug_errno(dev, fd, "Cannot open node %s: %m", devnode);
        }
        if (fstat(fd, &st) < 0)
                return log_device_debug_errno(dev, -errno, "cannot stat() node %s: %m", devnode);

        if (mode == UDEV_RULES_MODE_INVALID && gid != GID_INVALID && gid > 0)
                mode = 0660;
        apply_mode = mode != UDEV_RULES_MODE_INVALID && (st.st_mode & 0777) != (mode & 0777);
        apply_uid = uid != UID_INVALID && st.st_uid != uid;
        apply_gid = gid != GID_INVALID && st.st_gid != gid;

        if (apply_mode || apply_uid || apply_gid) {
                _cleanup_free_ char *procpath = NULL;

                log_device_debug(dev, "Setting permissions %s, uid=%u, gid=%u, mode=%#o", devnode,
                                 uid != UID_INVALID ? uid : st.st_uid, gid != GID_INVALID ? gid : st.st_gid,
                                 mode != UDEV_RULES_MODE_INVALID ? mode & 0777 : st.st_mode & 0777);
                if (asprintf(&procpath, "/proc/self/fd/%i", fd) < 0)
                        return -ENOMEM;
                /* chown first: it may clear the setuid/setgid bits that chmod then sets */
                if ((apply_uid || apply_gid) &&
                    chown(procpath, apply_uid ? uid : (uid_t) -1, apply_gid ? gid : (gid_t) -1) < 0)
                        log_device_full_errno(dev, errno == ENOENT ? LOG_DEBUG : LOG_ERR, -errno,
                                              "Failed to set owner of %s: %m", devnode);
                if (apply_mode && chmod(procpath, mode & 07777) < 0)
                        log_device_full_errno(dev, errno == ENOENT ? LOG_DEBUG : LOG_ERR, -errno,
                                              "Failed to set mode of %s: %m", devnode);
        } else
                log_device_debug(dev, "Preserve permissions of %s, uid=%u, gid=%u, mode=%#o", devnode,
                                 uid != UID_INVALID ? uid : st.st_uid, gid != GID_INVALID ? gid : st.st_gid,
                                 mode != UDEV_RULES_MODE_INVALID ? mode & 0777 : st.st_mode & 0777);

        if (apply_mac || apply_mode || apply_uid || apply_gid)
                for (size_t i = 0; seclabels && seclabels[i] && seclabels[i + 1]; i += 2)
                        log_device_error(dev, "SECLABEL: unknown subsystem, ignoring '%s'='%s'", seclabels[i],
                                         seclabels[i + 1]);

        {
                char procpath[64];

                snprintf(procpath, sizeof(procpath), "/proc/self/fd/%i", fd);
                if (utimensat(AT_FDCWD, procpath, NULL, 0) < 0)
                        log_device_debug_errno(dev, -errno, "Failed to adjust timestamp of node %s: %m", devnode);
        }
        return 0;
}
