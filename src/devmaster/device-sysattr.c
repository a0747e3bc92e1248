/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * device-sysattr.c: sysfs attributes of a Device (device.h): cached reads, writes, the list of
 * attribute names; and opening the device node or the syspath directory.
 *
 * The cache maps an attribute name to its value, or to NULL once the attribute was found
 * missing. Only a failed lstat() is remembered as missing; other errors are not cached.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "device-internal.h"
#include "fd-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

/* The largest value written to a sysattr, as sd-device allows. */
#define SYSATTR_WRITE_MAX 4096

/* Stores value (taking it over; NULL means "missing") under name. */
static int sysattr_cache_put(Device *d, const char *name, char *value) {
        void *old_key = NULL;
        char *key;
        int r;

        free(hashmap_remove2(d->sysattr_values, name, &old_key));
        key = old_key ?: strdup(name);
        if (!key) {
                free(value);
                return -ENOMEM;
        }
        r = hashmap_ensure_put(&d->sysattr_values, &string_hash_ops_free_free, key, value);
        if (r < 0) {
                free(key);
                free(value);
                return r;
        }
        return 0;
}

static void sysattr_cache_drop(Device *d, const char *name) {
        void *key = NULL;

        free(hashmap_remove2(d->sysattr_values, name, &key));
        free(key);
}

void device_clear_sysattr_cache(Device *d) {
        d->sysattr_values = hashmap_free(d->sysattr_values);
}

/* Reads the attribute at path (already lstat()ed into st) into a new string. */
static int sysattr_read(const char *path, const char *name, const struct stat *st, char **ret) {
        _cleanup_free_ char *target = NULL;
        size_t size;
        int r;

        if (S_ISLNK(st->st_mode)) {
                /* only these links are values (their target's name); others are no attributes */
                if (!streq(name, "driver") && !streq(name, "subsystem") && !streq(name, "module"))
                        return -EINVAL;
                r = readlink_malloc(path, &target);
                if (r < 0)
                        return r;
                return path_extract_filename(target, ret);
        }
        if (S_ISDIR(st->st_mode))
                return -EISDIR;
        if (!(st->st_mode & S_IRUSR))
                return -EPERM;
        r = read_full_file_flags(path, SYSFS_READ_MAX, READ_FULL_SHORT_READ_IS_END, ret, &size);
        if (r < 0)
                return r;
        while (size > 0 && strchr(NEWLINE, (*ret)[size - 1]))
                (*ret)[--size] = 0;
        return 0;
}

int device_get_sysattr_value(Device *d, const char *attr, const char **ret) {
        _cleanup_free_ char *path = NULL;
        char *value = NULL;
        void *key = NULL;
        struct stat st;
        int r;

        assert(d);
        if (isempty(attr))
                return -EINVAL;
        value = hashmap_get2(d->sysattr_values, attr, &key);
        if (key) {
                if (!value)
                        return -ENOENT;
                if (ret)
                        *ret = value;
                return 0;
        }
        path = path_join(d->syspath, attr);
        if (!path)
                return -ENOMEM;
        if (lstat(path, &st) < 0) {
                r = -errno;
                (void) sysattr_cache_put(d, attr, NULL);
                return r;
        }
        r = sysattr_read(path, attr, &st, &value);
        if (r < 0)
                return r;
        r = sysattr_cache_put(d, attr, value);
        if (r < 0)
                return r;
        if (ret)
                *ret = value;
        return 0;
}

int device_set_sysattr_value(Device *d, const char *attr, const char *value) {
        _cleanup_free_ char *path = NULL, *buf = NULL;
        _cleanup_close_ int fd = -1;
        size_t len;
        ssize_t n;
        int r;

        assert(d);
        if (isempty(attr))
                return -EINVAL;
        if (!value) {
                sysattr_cache_drop(d, attr);
                return 0;
        }
        len = strlen(value);
        while (len > 0 && strchr(NEWLINE, value[len - 1]))
                len--;
        if (len > SYSATTR_WRITE_MAX)
                return -EINVAL;
        path = path_join(d->syspath, attr);
        buf = malloc(len + 2);
        if (!path || !buf)
                return -ENOMEM;
        memcpy(buf, value, len);
        buf[len] = '\n';
        buf[len + 1] = 0;

        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        r = fd < 0 ? -errno : 0;
        if (r >= 0) {
                n = write(fd, buf, len + 1);
                r = n < 0 ? -errno : (size_t) n != len + 1 ? -EIO : 0;
        }
        if (r < 0) {
                sysattr_cache_drop(d, attr); /* we do not know what the file holds now */
                return r;
        }
        if (streq(attr, "uevent")) /* an action, not a value */
                return 0;
        buf[len] = 0;
        r = sysattr_cache_put(d, attr, TAKE_PTR(buf));
        if (r < 0)
                log_device_debug_errno(d, r, "device: Failed to cache attribute '%s', ignoring: %m",
                                       attr);
        return 0;
}

/* Adds the attribute names of syspath/subdir to *names; subdirectories go to *stack. */
static int sysattr_names_dir(Device *d, const char *subdir, char ***names, char ***stack) {
        _cleanup_closedir_ DIR *dir = NULL;
        struct dirent *de;
        struct stat st;
        int r;

        r = device_opendir(d, subdir, &dir);
        if (r == -ENOENT && subdir)
                return 0;
        if (r < 0)
                return r;
        if (subdir && faccessat(dirfd(dir), "uevent", F_OK, 0) >= 0)
                return 0; /* a child device, not attributes of this one */
        while ((de = readdir(dir))) {
                _cleanup_free_ char *p = NULL;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (!IN_SET(de->d_type, DT_LNK, DT_REG, DT_DIR))
                        continue;
                p = subdir ? path_join(subdir, de->d_name) : strdup(de->d_name);
                if (!p)
                        return -ENOMEM;
                if (de->d_type == DT_DIR) {
                        r = strv_consume(stack, TAKE_PTR(p));
                        if (r < 0)
                                return r;
                        continue;
                }
                if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
                    (st.st_mode & (S_IRUSR | S_IWUSR)) == 0)
                        continue;
                r = strv_consume(names, TAKE_PTR(p));
                if (r < 0)
                        return r;
        }
        return 0;
}

int device_get_sysattr_names(Device *d, char ***ret) {
        _cleanup_strv_free_ char **names = NULL, **stack = NULL;
        int r;

        assert(d);
        assert(ret);
        r = sysattr_names_dir(d, NULL, &names, &stack);
        while (r >= 0 && !strv_isempty(stack)) {
                size_t n = strv_length(stack);
                _cleanup_free_ char *subdir = stack[n - 1];

                stack[n - 1] = NULL;
                r = sysattr_names_dir(d, subdir, &names, &stack);
        }
        if (r < 0)
                return r;
        if (!names) {
                names = new0(char *, 1);
                if (!names)
                        return -ENOMEM;
        }
        *ret = strv_sort(TAKE_PTR(names));
        return 0;
}

int device_opendir(Device *d, const char *subdir, DIR **ret) {
        _cleanup_free_ char *path = NULL;
        DIR *dir;

        assert(d);
        assert(ret);
        if (subdir) {
                if (!path_is_valid(subdir) || path_is_absolute(subdir) || strstr(subdir, ".."))
                        return -EINVAL;
                path = path_join(d->syspath, subdir);
                if (!path)
                        return -ENOMEM;
        }
        dir = opendir(path ?: d->syspath);
        if (!dir)
                return -errno;
        *ret = dir;
        return 0;
}

int device_open(Device *d, int flags) {
        _cleanup_close_ int fd = -1;
        const char *devname, *subsystem = NULL;
        char procfd[64];
        struct stat st;
        dev_t devnum;
        int r;

        assert(d);
        r = device_get_devname(d, &devname);
        if (r >= 0)
                r = device_get_devnum(d, &devnum);
        if (r == -ENOENT)
                return -ENOEXEC;
        if (r < 0)
                return r;
        (void) device_get_subsystem(d, &subsystem);
        fd = open(devname, (flags & O_PATH) ? flags : O_CLOEXEC | O_NOFOLLOW | O_PATH);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (st.st_rdev != devnum ||
            (streq_ptr(subsystem, "block") ? !S_ISBLK(st.st_mode) : !S_ISCHR(st.st_mode)))
                return -ENXIO;
        if (flags & O_PATH)
                return TAKE_FD(fd);
        /* reopen the very inode we checked */
        snprintf(procfd, sizeof procfd, "/proc/self/fd/%i", fd);
        r = open(procfd, flags | O_CLOEXEC);
        return r < 0 ? -errno : r;
}
