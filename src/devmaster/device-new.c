/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * device-new.c: the constructors of Device (device.h): from a syspath (resolving symlinks and
 * checking the device exists below the sysfs root), a device number, subsystem and sysname,
 * an ifindex, a database id, a device node, a uevent's KEY=VALUE strings, and the clone of a
 * device with its old database record.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "device-db.h"
#include "device-internal.h"
#include "escape.h"
#include "fd-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

/* ---- syspath ------------------------------------------------------------------------- */

/* realpath() of the sysfs root, resolved once per root: every lookup needs it, and the root
 * (a mount point, or a test's directory) does not move while it is in use. */
static char *real_root_cache, *real_root_cache_of;

static int sysfs_real_root(const char **ret) {
        const char *root = device_get_sysfs_root();
        char *real;

        if (!real_root_cache_of || !streq(real_root_cache_of, root)) {
                real = realpath(root, NULL);
                if (!real)
                        return log_debug_errno(-errno, "device: Failed to resolve the sysfs root %s: %m", root);
                if (free_and_strdup(&real_root_cache_of, root) < 0) {
                        free(real);
                        return -ENOMEM;
                }
                free(real_root_cache);
                real_root_cache = real;
        }
        *ret = real_root_cache;
        return 0;
}

/* The canonical path of what fd (O_PATH) refers to: the kernel's name for it in
 * /proc/self/fd, one readlink() instead of realpath()'s one per path component. NULL with errno
 * set when /proc cannot tell (not mounted, a deleted directory). */
static char *fd_get_path(int fd) {
        char proc[STRLEN("/proc/self/fd/") + 12];
        char *p = NULL;

        snprintf(proc, sizeof proc, "/proc/self/fd/%i", fd);
        if (readlink_malloc(proc, &p) < 0)
                return NULL;
        if (p[0] != '/' || endswith(p, " (deleted)")) {
                free(p);
                errno = ENOENT;
                return NULL;
        }
        return p;
}

/* Resolves every symlink of path (and of the root), and opens it (O_PATH) for the checks:
 * "<root>/<rest>" and the fd. -ENODEV if it does not exist or resolves outside the root. */
static int syspath_resolve(const char *path, char **ret, int *ret_fd) {
        _cleanup_free_ char *resolved = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *rest, *real_root = NULL;
        int r;

        fd = open(path, O_PATH | O_CLOEXEC);
        if (fd < 0) {
                if (IN_SET(errno, ENOENT, ENOTDIR))
                        return log_debug_errno(-ENODEV, "device: %s does not exist.", path);
                return log_debug_errno(-errno, "device: Failed to resolve %s: %m", path);
        }
        resolved = fd_get_path(fd);
        if (!resolved)
                resolved = realpath(path, NULL);
        if (!resolved) {
                if (IN_SET(errno, ENOENT, ENOTDIR))
                        return log_debug_errno(-ENODEV, "device: %s does not exist.", path);
                return log_debug_errno(-errno, "device: Failed to resolve %s: %m", path);
        }
        r = sysfs_real_root(&real_root);
        if (r < 0)
                return r;
        rest = path_startswith(resolved, real_root);
        if (isempty(rest))
                return log_debug_errno(-ENODEV, "device: %s does not lie below the sysfs root %s.",
                                       resolved, real_root);
        *ret = path_join(device_get_sysfs_root(), rest);
        if (!*ret)
                return -ENOMEM;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static bool sysfs_verify_wanted(void) {
        static int cached = -1;
        const char *e;

        if (!streq(device_get_sysfs_root(), SYSFS_DEFAULT_ROOT))
                return false;
        if (cached < 0) {
                e = getenv("SYSTEMD_DEVICE_VERIFY_SYSFS");
                cached = !e || parse_boolean(e) != 0;
        }
        return cached;
}

/* Checks that a resolved syspath (fd: opened, or -1 to look it up by name) is a device: below
 * <root>/devices a directory with a uevent file, elsewhere any directory; on the real /sys it
 * must be sysfs. */
static int syspath_verify(const char *syspath, int fd, const char *devpath) {
        struct stat st;
        struct statfs sfs;
        bool in_devices = path_startswith(devpath, "/devices");

        if (fd < 0 && in_devices) {
                /* An ancestor of a device (no symlink in the path): one lookup of its uevent
                 * file tells whether it is a device (most are plain directories), and a file
                 * in it makes it a directory; statfs() of the file is that of its directory. */
                _cleanup_free_ char *uevent = path_join(syspath, "uevent");

                if (!uevent)
                        return -ENOMEM;
                if (!sysfs_verify_wanted())
                        return access(uevent, F_OK) < 0 ? (IN_SET(errno, ENOENT, ENOTDIR) ? -ENODEV : -errno) : 0;
                if (statfs(uevent, &sfs) < 0)
                        return IN_SET(errno, ENOENT, ENOTDIR) ? -ENODEV : -errno;
                if ((uint64_t) sfs.f_type != SYSFS_MAGIC)
                        return log_debug_errno(-ENODEV, "device: %s is outside of sysfs, refusing.", syspath);
                return 0;
        }
        if ((fd >= 0 ? fstat(fd, &st) : stat(syspath, &st)) < 0)
                return IN_SET(errno, ENOENT, ENOTDIR) ? -ENODEV : -errno;
        if (!S_ISDIR(st.st_mode))
                return log_debug_errno(-ENODEV, "device: %s is not a directory.", syspath);
        if (fd >= 0 && in_devices && faccessat(fd, "uevent", F_OK, 0) < 0)
                return errno == ENOENT ? -ENODEV : -errno;
        if (sysfs_verify_wanted()) {
                if ((fd >= 0 ? fstatfs(fd, &sfs) : statfs(syspath, &sfs)) < 0)
                        return -errno;
                if ((uint64_t) sfs.f_type != SYSFS_MAGIC)
                        return log_debug_errno(-ENODEV, "device: %s is outside of sysfs, refusing.",
                                               syspath);
        }
        return 0;
}

static int device_set_syspath_full(Device *d, const char *path, DeviceSyspathCheck check) {
        _cleanup_free_ char *syspath = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *root = device_get_sysfs_root(), *rest;
        int r;

        if (check == DEVICE_SYSPATH_RESOLVE) {
                r = syspath_resolve(path, &syspath, &fd);
                if (r < 0)
                        return r;
        } else {
                rest = path_startswith(path, root);
                if (isempty(rest))
                        return log_debug_errno(-EINVAL, "device: %s is not below %s.", path, root);
                syspath = strdup(path);
                if (!syspath)
                        return -ENOMEM;
                path_simplify(syspath);
        }
        rest = syspath + strlen(root);
        if (rest[0] != '/' || rest[1] == 0)
                return -ENODEV;
        if (check != DEVICE_SYSPATH_TRUST) {
                r = syspath_verify(syspath, fd, rest);
                if (r < 0)
                        return r;
        }
        r = device_add_property_internal(d, "DEVPATH", rest);
        if (r < 0)
                return r;
        free(d->syspath);
        d->syspath = TAKE_PTR(syspath);
        d->devpath = d->syspath + strlen(root);
        /* resolved: no symlink below the root, nor in any of its ancestors */
        d->syspath_canonical = check != DEVICE_SYSPATH_TRUST;
        return 0;
}

int device_set_syspath(Device *d, const char *path, bool verify) {
        return device_set_syspath_full(d, path, verify ? DEVICE_SYSPATH_RESOLVE : DEVICE_SYSPATH_TRUST);
}

int device_new_from_syspath_check(Device **ret, const char *syspath, DeviceSyspathCheck check) {
        _cleanup_device_unref_ Device *d = NULL;
        int r;

        assert(ret);
        assert(syspath);

        r = device_new_empty(&d);
        if (r < 0)
                return r;
        r = device_set_syspath_full(d, syspath, check);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

static int device_new_from_syspath_full(Device **ret, const char *syspath, bool strict) {
        assert(syspath);

        if (strict && isempty(path_startswith(syspath, device_get_sysfs_root())))
                return -EINVAL;
        return device_new_from_syspath_check(ret, syspath, DEVICE_SYSPATH_RESOLVE);
}

int device_new_from_syspath(Device **ret, const char *syspath) {
        return device_new_from_syspath_full(ret, syspath, true);
}

/* ---- other constructors -------------------------------------------------------------- */

static int device_new_from_mode_and_devnum(Device **ret, mode_t mode, dev_t devnum) {
        _cleanup_device_unref_ Device *d = NULL;
        _cleanup_free_ char *syspath = NULL;
        const char *subsystem = NULL;
        dev_t n;
        int r;

        if (!S_ISCHR(mode) && !S_ISBLK(mode))
                return -ENOTTY;
        if (major(devnum) == 0)
                return -ENODEV;
        if (asprintf(&syspath, "%s/dev/%s/%u:%u", device_get_sysfs_root(),
                     S_ISBLK(mode) ? "block" : "char", major(devnum), minor(devnum)) < 0) {
                syspath = NULL;
                return -ENOMEM;
        }
        r = device_new_from_syspath(&d, syspath);
        if (r < 0)
                return r;
        r = device_get_devnum(d, &n);
        if (r == -ENOENT || (r >= 0 && n != devnum))
                return -ENXIO;
        if (r < 0)
                return r;
        r = device_get_subsystem(d, &subsystem);
        if (r < 0 && r != -ENOENT)
                return r;
        if (streq_ptr(subsystem, "block") != !!S_ISBLK(mode))
                return -ENXIO;
        *ret = TAKE_PTR(d);
        return 0;
}

int device_new_from_devnum(Device **ret, char type, dev_t devnum) {
        if (!IN_SET(type, 'b', 'c'))
                return -EINVAL;
        return device_new_from_mode_and_devnum(ret, type == 'b' ? S_IFBLK : S_IFCHR, devnum);
}

/* Tries <root>/a/b/c/d: 1 and the device if it exists, 0 if not. */
static int device_try_path(Device **ret, const char *a, const char *b, const char *c,
                           const char *d) {
        _cleanup_free_ char *p = NULL;
        int r;

        p = strjoin(device_get_sysfs_root(), a, b, c ?: "", d ?: "");
        if (!p)
                return -ENOMEM;
        if (access(p, F_OK) < 0)
                return IN_SET(errno, ENOENT, ENAMETOOLONG, ENOTDIR) ? 0 : -errno;
        r = device_new_from_syspath(ret, p);
        return r < 0 ? r : 1;
}

static int device_try_special_subsystem(Device **ret, const char *subsystem, const char *name) {
        _cleanup_free_ char *subsys = NULL;
        const char *sep;
        int r = 0;

        if (streq(subsystem, "subsystem")) {
                r = device_try_path(ret, "/bus/", name, NULL, NULL);
                if (r == 0)
                        r = device_try_path(ret, "/class/", name, NULL, NULL);
        } else if (streq(subsystem, "module"))
                r = device_try_path(ret, "/module/", name, NULL, NULL);
        else if (streq(subsystem, "drivers")) {
                sep = strchr(name, ':');
                if (!sep || sep[1] == 0)
                        return 0;
                subsys = strndup(name, (size_t) (sep - name));
                if (!subsys)
                        return -ENOMEM;
                if (streq(sep + 1, "drivers"))
                        r = device_try_path(ret, "/bus/", subsys, "/drivers", NULL);
                else
                        r = device_try_path(ret, "/bus/", subsys, "/drivers/", sep + 1);
        }
        return r;
}

int device_new_from_subsystem_sysname(Device **ret, const char *subsystem, const char *sysname) {
        _cleanup_free_ char *name = NULL;
        int r;

        assert(ret);
        if (!subsystem || !sysname || !path_is_normalized(subsystem) ||
            !path_is_normalized(sysname))
                return -EINVAL;
        name = strdup(sysname);
        if (!name)
                return -ENOMEM;
        for (char *p = name; *p; p++)
                if (*p == '/')
                        *p = '!';

        r = device_try_special_subsystem(ret, subsystem, name);
        if (r == 0)
                r = device_try_path(ret, "/bus/", subsystem, "/devices/", name);
        if (r == 0)
                r = device_try_path(ret, "/class/", subsystem, "/", name);
        if (r == 0)
                r = device_try_path(ret, "/firmware/", subsystem, "/", name);
        if (r < 0)
                return r;
        return r > 0 ? 0 : -ENODEV;
}

static int device_new_from_ifname_checked(Device **ret, const char *ifname, int ifindex) {
        _cleanup_device_unref_ Device *d = NULL;
        _cleanup_free_ char *p = NULL;
        int r, i;

        if (!filename_is_valid(ifname))
                return -ENODEV;
        p = strjoin(device_get_sysfs_root(), "/class/net/", ifname);
        if (!p)
                return -ENOMEM;
        r = device_new_from_syspath(&d, p);
        if (r < 0)
                return r;
        r = device_get_ifindex(d, &i);
        if (r == -ENOENT || (r >= 0 && i != ifindex))
                return -ENXIO;
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

int device_new_from_ifindex(Device **ret, int ifindex) {
        _cleanup_closedir_ DIR *dir = NULL;
        _cleanup_free_ char *p = NULL;
        char name[IF_NAMESIZE + 1];
        struct dirent *de;

        assert(ret);
        if (ifindex <= 0)
                return -EINVAL;
        if (if_indextoname((unsigned) ifindex, name) &&
            device_new_from_ifname_checked(ret, name, ifindex) >= 0)
                return 0;

        /* Not the kernel's interface (a synthetic sysfs): look for it. */
        p = strjoin(device_get_sysfs_root(), "/class/net");
        if (!p)
                return -ENOMEM;
        dir = opendir(p);
        if (!dir)
                return errno == ENOENT ? -ENODEV : -errno;
        while ((de = readdir(dir)))
                if (de->d_name[0] != '.' &&
                    device_new_from_ifname_checked(ret, de->d_name, ifindex) >= 0)
                        return 0;
        return -ENODEV;
}

int device_parse_devnum(const char *s, dev_t *ret) {
        _cleanup_free_ char *maj = NULL;
        const char *colon = strchr(s, ':');
        unsigned x, y;
        int r;

        if (!colon)
                return -EINVAL;
        maj = strndup(s, (size_t) (colon - s));
        if (!maj)
                return -ENOMEM;
        r = safe_atou(maj, &x);
        if (r < 0)
                return r;
        r = safe_atou(colon + 1, &y);
        if (r < 0)
                return r;
        if (!DEVICE_MAJOR_VALID(x) || !DEVICE_MINOR_VALID(y))
                return -ERANGE;
        *ret = makedev(x, y);
        return 0;
}

int device_new_from_device_id(Device **ret, const char *id) {
        _cleanup_free_ char *subsys = NULL;
        const char *sep;
        dev_t devnum;
        int r, ifindex;

        assert(ret);
        if (isempty(id))
                return -EINVAL;
        switch (id[0]) {
        case 'b':
        case 'c':
                r = device_parse_devnum(id + 1, &devnum);
                if (r < 0)
                        return r;
                return device_new_from_devnum(ret, id[0], devnum);
        case 'n':
                ifindex = parse_ifindex(id + 1);
                if (ifindex < 0)
                        return ifindex;
                return device_new_from_ifindex(ret, ifindex);
        case '+':
                sep = strchr(id + 1, ':');
                if (!sep || sep - id - 1 > NAME_MAX)
                        return -EINVAL;
                subsys = strndup(id + 1, (size_t) (sep - id - 1));
                if (!subsys)
                        return -ENOMEM;
                return device_new_from_subsystem_sysname(ret, subsys, sep + 1);
        default:
                return -EINVAL;
        }
}

/* "/dev/block/M:m" or "/dev/char/M:m": 0 and the mode/devnum, or -EINVAL. */
static int devname_parse_major_minor(const char *path, mode_t *ret_mode, dev_t *ret_devnum) {
        const char *rest;
        mode_t mode;

        if ((rest = startswith(path, "/dev/block/")))
                mode = S_IFBLK;
        else if ((rest = startswith(path, "/dev/char/")))
                mode = S_IFCHR;
        else
                return -EINVAL;
        *ret_mode = mode;
        return device_parse_devnum(rest, ret_devnum);
}

int device_new_from_devname(Device **ret, const char *devname) {
        struct stat st;
        dev_t devnum;
        mode_t mode;

        assert(ret);
        if (!devname || isempty(path_startswith(devname, "/dev")))
                return -EINVAL;
        if (devname_parse_major_minor(devname, &mode, &devnum) >= 0)
                return device_new_from_mode_and_devnum(ret, mode, devnum);
        if (stat(devname, &st) < 0)
                return IN_SET(errno, ENOENT, ENXIO, ENODEV) ? -ENODEV : -errno;
        return device_new_from_mode_and_devnum(ret, st.st_mode, st.st_rdev);
}

int device_new_from_path(Device **ret, const char *path) {
        assert(ret);
        if (!path)
                return -EINVAL;
        if (path_startswith(path, "/dev"))
                return device_new_from_devname(ret, path);
        return device_new_from_syspath_full(ret, path, false);
}

int device_new_from_synthetic_event(Device **ret, const char *syspath, DeviceAction action) {
        _cleanup_device_unref_ Device *d = NULL;
        int r;

        if (action < 0 || action >= _DEVICE_ACTION_MAX)
                return -EINVAL;
        r = device_new_from_syspath(&d, syspath);
        if (r < 0)
                return r;
        r = device_read_uevent_file(d);
        if (r < 0)
                return r;
        r = device_set_action(d, action);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

/* ---- from uevent data ---------------------------------------------------------------- */

static int device_amend_devlinks(Device *d, const char *value) {
        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL;
                int r;

                /* backslashes are kept: rules may have set escaped names */
                r = extract_first_word(&p, &word, NULL, EXTRACT_RETAIN_ESCAPE);
                if (r <= 0)
                        return r;
                r = device_add_devlink(d, word);
                if (r < 0)
                        return log_debug_errno(r, "device: Failed to add devlink '%s': %m", word);
        }
}

static int device_amend_tags(Device *d, const char *value, bool current) {
        _cleanup_strv_free_ char **tags = NULL;
        int r;

        r = strv_split(value, ":", &tags);
        if (r < 0)
                return r;
        STRV_FOREACH(t, tags) {
                r = device_add_tag(d, *t, current);
                if (r < 0)
                        return log_debug_errno(r, "device: Failed to add tag '%s': %m", *t);
        }
        return 0;
}

static int device_amend_usec_initialized(Device *d, const char *value) {
        usec_t t;
        int r;

        r = safe_atou64(value, &t);
        if (r < 0)
                return r;
        return device_set_usec_initialized(d, t);
}

static int device_amend_action(Device *d, const char *value) {
        DeviceAction a = device_action_from_string(value);

        if (a < 0)
                return a;
        return device_set_action(d, a);
}

static int device_amend_devpath(Device *d, const char *value) {
        _cleanup_free_ char *path = NULL;
        int r;

        /* trusted (kernel or udevd), but never let it climb out of the root */
        if (value[0] != '/' || !path_is_valid(value) || strstr(value, "/../") ||
            endswith(value, "/.."))
                return -EINVAL;
        path = strjoin(device_get_sysfs_root(), value);
        if (!path)
                return -ENOMEM;
        r = device_set_syspath(d, path, false);
        if (r < 0)
                return r;
        /* the kernel's name of the kobject: no symlink in it (its ancestors need no resolving) */
        d->syspath_canonical = true;
        return 0;
}

/* One KEY=VALUE of a uevent: the keys that are fields of Device go to their setters. */
static int device_amend(Device *d, const char *key, const char *value) {
        static const struct {
                const char *key;
                int (*set)(Device *d, const char *value);
        } setters[] = {
                { "DEVPATH", device_amend_devpath },
                { "SUBSYSTEM", device_set_subsystem },
                { "DEVTYPE", device_set_devtype },
                { "DEVNAME", device_set_devname },
                { "USEC_INITIALIZED", device_amend_usec_initialized },
                { "DRIVER", device_set_driver },
                { "IFINDEX", device_set_ifindex },
                { "DEVMODE", device_set_devmode },
                { "DEVUID", device_set_devuid },
                { "DEVGID", device_set_devgid },
                { "ACTION", device_amend_action },
                { "SEQNUM", device_set_seqnum },
                { "DISKSEQ", device_set_diskseq },
                { "DEVLINKS", device_amend_devlinks },
        };

        for (size_t i = 0; i < ELEMENTSOF(setters); i++)
                if (streq(key, setters[i].key))
                        return setters[i].set(d, value);
        if (streq(key, "TAGS") || streq(key, "CURRENT_TAGS"))
                return device_amend_tags(d, value, streq(key, "CURRENT_TAGS"));
        if (streq(key, "UDEV_DATABASE_VERSION"))
                return safe_atou(value, &d->database_version);
        return device_add_property_internal(d, key, value);
}

/* Applies one "KEY=VALUE" string (modified in place); MAJOR/MINOR are only remembered. */
static int device_append(Device *d, char *s, char **major, char **minor) {
        char *value = strchr(s, '=');
        int r;

        if (!value)
                return log_debug_errno(-EINVAL, "device: Not a key-value pair: '%s'", s);
        *value++ = 0;
        if (streq(s, "MAJOR"))
                *major = value;
        else if (streq(s, "MINOR"))
                *minor = value;
        else {
                r = device_amend(d, s, value);
                if (r < 0)
                        return log_debug_errno(r, "device: Failed to set %s to '%s': %m", s, value);
        }
        return 0;
}

/* The end of device_new_from_nulstr()/strv(): device number, required fields, sealing. */
static int device_finish_from_uevent(Device *d, const char *major, const char *minor) {
        int r;

        if (major) {
                r = device_set_devnum(d, major, minor);
                if (r < 0)
                        return log_debug_errno(r, "device: Failed to set devnum %s:%s: %m", major,
                                               strna(minor));
        }
        if (!d->devpath || !d->subsystem || d->action < 0 || d->seqnum == 0)
                return log_debug_errno(-EINVAL, "device: Device created from uevent data lacks "
                                                "devpath, subsystem, action or seqnum.");
        if (streq(d->subsystem, "drivers")) {
                r = device_set_drivers_subsystem(d);
                if (r < 0)
                        return log_debug_errno(r, "device: Driver devpath %s names no bus: %m",
                                               d->devpath);
        }
        d->sealed = true;
        return 0;
}

int device_new_from_nulstr(Device **ret, const char *buf, size_t len) {
        _cleanup_device_unref_ Device *d = NULL;
        _cleanup_free_ char *copy = NULL;
        char *major = NULL, *minor = NULL;
        int r;

        assert(ret);
        if (!buf || len == 0)
                return -EINVAL;
        if (buf[len - 1] != 0)
                return log_debug_errno(-EINVAL, "device: uevent data does not end with NUL.");
        copy = malloc(len);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, buf, len);
        r = device_new_empty(&d);
        if (r < 0)
                return r;
        for (size_t i = 0; i < len;) {
                char *s = copy + i;

                i += strlen(s) + 1;
                truncate_nl(s); /* some drivers end values with a newline */
                r = device_append(d, s, &major, &minor);
                if (r < 0)
                        return r;
        }
        r = device_finish_from_uevent(d, major, minor);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

int device_new_from_strv(Device **ret, char *const *strv) {
        _cleanup_device_unref_ Device *d = NULL;
        _cleanup_strv_free_ char **copy = NULL;
        char *major = NULL, *minor = NULL;
        int r;

        assert(ret);
        copy = strv_copy(strv);
        if (!copy && strv)
                return -ENOMEM;
        r = device_new_empty(&d);
        if (r < 0)
                return r;
        STRV_FOREACH(s, copy) {
                r = device_append(d, *s, &major, &minor);
                if (r < 0)
                        return r;
        }
        r = device_finish_from_uevent(d, major, minor);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

/* ---- clones and renames -------------------------------------------------------------- */

/* syspath, subsystem, ifindex and devnum of d: enough for the database id even when the device
 * is gone; then whatever its uevent file still says. */
static int device_shallow_clone(Device *d, Device **ret) {
        _cleanup_device_unref_ Device *c = NULL;
        const char *val = NULL, *minor = NULL;
        int r;

        r = device_new_empty(&c);
        if (r < 0)
                return r;
        r = device_set_syspath(c, d->syspath, false);
        if (r < 0)
                return r;
        c->syspath_canonical = d->syspath_canonical;
        (void) device_get_subsystem(d, &val);
        r = device_set_subsystem(c, val);
        if (r >= 0 && streq_ptr(val, "drivers"))
                r = free_and_strdup(&c->driver_subsystem, d->driver_subsystem);
        if (r < 0)
                return r;
        if (device_get_property_value(d, "IFINDEX", &val) >= 0) {
                r = device_set_ifindex(c, val);
                if (r < 0)
                        return r;
        }
        if (device_get_property_value(d, "MAJOR", &val) >= 0) {
                (void) device_get_property_value(d, "MINOR", &minor);
                r = device_set_devnum(c, val, minor);
                if (r < 0)
                        return r;
        }
        r = device_read_uevent_file(c);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(c);
        return 0;
}

int device_clone_with_db(Device *d, Device **ret) {
        _cleanup_device_unref_ Device *c = NULL;
        int r;

        assert(d);
        assert(ret);
        r = device_shallow_clone(d, &c);
        if (r < 0)
                return r;
        r = device_db_read(c, true);
        if (r < 0 && r != -ENOENT)
                return r;
        c->sealed = true;
        *ret = TAKE_PTR(c);
        return 0;
}

int device_rename(Device *d, const char *name) {
        _cleanup_free_ char *dir = NULL, *syspath = NULL, *old = NULL;
        const char *interface;
        bool canonical;
        int r;

        assert(d);
        if (!filename_is_valid(name))
                return -EINVAL;
        r = path_extract_directory(d->syspath, &dir);
        if (r < 0)
                return r;
        syspath = path_join(dir, name);
        if (!syspath)
                return -ENOMEM;
        if (!path_is_safe(syspath))
                return -EINVAL;
        /* the renamed device may not exist yet: no verification (a new last component keeps
         * the path as canonical as it was) */
        canonical = d->syspath_canonical;
        r = device_set_syspath(d, syspath, false);
        if (r < 0)
                return r;
        d->syspath_canonical = canonical;
        d->sysname = mfree(d->sysname);
        d->sysnum = NULL;

        r = device_get_property_value(d, "INTERFACE", &interface);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        old = strdup(interface);
        if (!old)
                return -ENOMEM;
        /* like DEVPATH_OLD, INTERFACE_OLD only lives for the current event */
        r = device_add_property_internal(d, "INTERFACE_OLD", old);
        if (r < 0)
                return r;
        return device_add_property_internal(d, "INTERFACE", name);
}
