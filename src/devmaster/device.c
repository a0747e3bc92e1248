/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * device.c: the Device object (device.h): construction from sysfs paths, ids and uevents,
 * lazy reading of uevent/subsystem/driver, properties, tags, devlinks, parents and sysattrs.
 * Database records are read and written by device-db.c on the same struct.
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "device-db.h"
#include "device-internal.h"
#include "env-util.h"
#include "fd-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

static char *sysfs_root; /* NULL: SYSFS_DEFAULT_ROOT */

static const char *const device_action_table[_DEVICE_ACTION_MAX] = {
        [DEVICE_ACTION_ADD] = "add",       [DEVICE_ACTION_REMOVE] = "remove",
        [DEVICE_ACTION_CHANGE] = "change", [DEVICE_ACTION_MOVE] = "move",
        [DEVICE_ACTION_ONLINE] = "online", [DEVICE_ACTION_OFFLINE] = "offline",
        [DEVICE_ACTION_BIND] = "bind",     [DEVICE_ACTION_UNBIND] = "unbind",
};

const char *device_action_to_string(DeviceAction a) {
        if (a < 0 || a >= _DEVICE_ACTION_MAX)
                return NULL;
        return device_action_table[a];
}

DeviceAction device_action_from_string(const char *s) {
        if (!s)
                return _DEVICE_ACTION_INVALID;
        for (int i = 0; i < _DEVICE_ACTION_MAX; i++)
                if (streq(device_action_table[i], s))
                        return (DeviceAction) i;
        return _DEVICE_ACTION_INVALID;
}

int device_set_sysfs_root(const char *path) {
        char *p;

        if (!path) {
                sysfs_root = mfree(sysfs_root);
                return 0;
        }
        if (!path_is_absolute(path))
                return -EINVAL;
        p = path_normalize(path);
        if (!p)
                return -ENOMEM;
        if (streq(p, "/")) {
                free(p);
                return -EINVAL;
        }
        free(sysfs_root);
        sysfs_root = p;
        return 0;
}

const char *device_get_sysfs_root(void) {
        return sysfs_root ?: SYSFS_DEFAULT_ROOT;
}

int device_new_empty(Device **ret) {
        Device *d = new0(Device, 1);

        if (!d)
                return -ENOMEM;
        d->n_ref = 1;
        d->devmode = MODE_INVALID;
        d->devuid = (uid_t) -1;
        d->devgid = (gid_t) -1;
        d->action = _DEVICE_ACTION_INVALID;
        *ret = d;
        return 0;
}

Device *device_ref(Device *d) {
        if (d)
                d->n_ref++;
        return d;
}

static Device *device_free(Device *d) {
        device_unref(d->parent);
        hashmap_free(d->properties);
        hashmap_free(d->properties_db);
        hashmap_free(d->sysattr_values);
        ordered_set_free(d->all_tags);
        ordered_set_free(d->current_tags);
        ordered_set_free(d->devlinks);
        free(d->syspath);
        free(d->sysname);
        free(d->subsystem);
        free(d->driver_subsystem);
        free(d->driver);
        free(d->devtype);
        free(d->devname);
        free(d->device_id);
        free(d->properties_nulstr);
        free(d->properties_strv);
        return mfree(d);
}

Device *device_unref(Device *d) {
        if (!d)
                return NULL;
        if (--d->n_ref > 0)
                return NULL;
        return device_free(d);
}

const char *device_log_name(Device *d) {
        const char *s = NULL;

        if (!d || !d->syspath)
                return NULL;
        (void) device_get_sysname(d, &s);
        return s;
}

/* ---- properties ---------------------------------------------------------------------- */

static int property_map_set(Hashmap **map, const char *key, const char *value) {
        _cleanup_free_ char *k = NULL, *v = NULL;
        void *old_key = NULL;
        int r;

        if (!value) {
                free(hashmap_remove2(*map, key, &old_key));
                free(old_key);
                return 0;
        }
        r = hashmap_ensure_allocated(map, &string_hash_ops_free_free);
        if (r < 0)
                return r;
        k = strdup(key);
        v = strdup(value);
        if (!k || !v)
                return -ENOMEM;
        r = hashmap_replace(*map, k, v);
        if (r < 0)
                return r;
        TAKE_PTR(k);
        TAKE_PTR(v);
        return 0;
}

int device_add_property_aux(Device *d, const char *key, const char *value, bool db) {
        int r;

        assert(d);
        assert(key);

        r = property_map_set(&d->properties, key, value);
        if (r < 0)
                return r;
        d->properties_buf_outdated = true;
        if (db)
                return property_map_set(&d->properties_db, key, value);
        return 0;
}

int device_add_property_internal(Device *d, const char *key, const char *value) {
        return device_add_property_aux(d, key, value, false);
}

int device_add_property(Device *d, const char *key, const char *value) {
        return device_add_property_aux(d, key, value, key[0] != '.');
}

int device_add_propertyf(Device *d, const char *key, const char *format, ...) {
        _cleanup_free_ char *value = NULL;
        va_list ap;
        int r;

        if (!format)
                return device_add_property(d, key, NULL);
        va_start(ap, format);
        r = vasprintf(&value, format, ap);
        va_end(ap);
        if (r < 0) {
                value = NULL;
                return -ENOMEM;
        }
        return device_add_property(d, key, value);
}

bool device_property_is_db(Device *d, const char *key) {
        return hashmap_contains(d->properties_db, key);
}

/* ---- fields set from uevent data ----------------------------------------------------- */

static int device_set_string_field(Device *d, char **field, const char *key, const char *value) {
        _cleanup_free_ char *v = NULL;
        int r;

        if (value) {
                v = strdup(value);
                if (!v)
                        return -ENOMEM;
        }
        r = device_add_property_internal(d, key, v);
        if (r < 0)
                return r;
        free_and_replace_str(field, TAKE_PTR(v));
        return 0;
}

int device_set_devtype(Device *d, const char *devtype) {
        return device_set_string_field(d, &d->devtype, "DEVTYPE", devtype);
}

int device_set_subsystem(Device *d, const char *subsystem) {
        d->subsystem_set = true;
        return device_set_string_field(d, &d->subsystem, "SUBSYSTEM", subsystem);
}

int device_set_driver(Device *d, const char *driver) {
        d->driver_set = true;
        return device_set_string_field(d, &d->driver, "DRIVER", driver);
}

int device_set_devname(Device *d, const char *devname) {
        _cleanup_free_ char *t = NULL;

        /* "" would become "/dev/", which names no node (and which we refuse when it comes as such) */
        if (isempty(devname))
                return -EINVAL;
        if (devname[0] == '/') {
                if (isempty(path_startswith(devname, "/dev")))
                        return -EINVAL;
                t = strdup(devname);
        } else
                t = strjoin("/dev/", devname);
        if (!t)
                return -ENOMEM;
        return device_set_string_field(d, &d->devname, "DEVNAME", t);
}

int device_set_ifindex(Device *d, const char *value) {
        int ifindex = parse_ifindex(value), r;

        if (ifindex < 0)
                return ifindex;
        r = device_add_property_internal(d, "IFINDEX", value);
        if (r < 0)
                return r;
        d->ifindex = ifindex;
        return 0;
}

int device_set_devmode(Device *d, const char *value) {
        unsigned m;
        int r;

        r = safe_atou(value, &m);
        if (r < 0)
                return r;
        if (m > 07777)
                return -EINVAL;
        r = device_add_property_internal(d, "DEVMODE", value);
        if (r < 0)
                return r;
        d->devmode = (mode_t) m;
        return 0;
}

int device_set_devuid(Device *d, const char *value) {
        uid_t u;
        int r;

        r = parse_uid(value, &u);
        if (r < 0)
                return r;
        r = device_add_property_internal(d, "DEVUID", value);
        if (r < 0)
                return r;
        d->devuid = u;
        return 0;
}

int device_set_devgid(Device *d, const char *value) {
        gid_t g;
        int r;

        r = parse_gid(value, &g);
        if (r < 0)
                return r;
        r = device_add_property_internal(d, "DEVGID", value);
        if (r < 0)
                return r;
        d->devgid = g;
        return 0;
}

int device_set_devnum(Device *d, const char *major, const char *minor) {
        unsigned maj, min = 0;
        int r;

        r = safe_atou(major, &maj);
        if (r < 0)
                return r;
        if (maj == 0)
                return 0;
        if (!DEVICE_MAJOR_VALID(maj))
                return -EINVAL;
        if (minor) {
                r = safe_atou(minor, &min);
                if (r < 0)
                        return r;
                if (!DEVICE_MINOR_VALID(min))
                        return -EINVAL;
        }
        r = device_add_property_internal(d, "MAJOR", major);
        if (r >= 0 && minor)
                r = device_add_property_internal(d, "MINOR", minor);
        if (r < 0)
                return r;
        d->devnum = makedev(maj, min);
        return 0;
}

/* A kernel property holding a number above 0: stored as a property and in *field. */
static int set_positive_u64(Device *d, const char *key, const char *value, uint64_t *field) {
        uint64_t q;
        int r;

        r = safe_atou64(value, &q);
        if (r < 0)
                return r;
        if (q == 0)
                return -EINVAL;
        r = device_add_property_internal(d, key, value);
        if (r < 0)
                return r;
        *field = q;
        return 0;
}

int device_set_diskseq(Device *d, const char *value) {
        return set_positive_u64(d, "DISKSEQ", value, &d->diskseq);
}

int device_set_seqnum(Device *d, const char *value) {
        return set_positive_u64(d, "SEQNUM", value, &d->seqnum);
}

int device_set_action(Device *d, DeviceAction a) {
        int r;

        if (a < 0 || a >= _DEVICE_ACTION_MAX)
                return -EINVAL;
        r = device_add_property_internal(d, "ACTION", device_action_to_string(a));
        if (r < 0)
                return r;
        d->action = a;
        return 0;
}

int device_set_usec_initialized(Device *d, usec_t usec) {
        char buf[32];
        int r;

        snprintf(buf, sizeof buf, USEC_FMT, usec);
        r = device_add_property_internal(d, "USEC_INITIALIZED", buf);
        if (r < 0)
                return r;
        d->usec_initialized = usec;
        return 0;
}

/* ---- the uevent file ----------------------------------------------------------------- */

static int uevent_handle_line(Device *d, const char *key, const char *value, const char **major,
                              const char **minor) {
        if (streq(key, "DEVTYPE"))
                return device_set_devtype(d, value);
        if (streq(key, "IFINDEX"))
                return device_set_ifindex(d, value);
        if (streq(key, "DEVNAME"))
                return device_set_devname(d, value);
        if (streq(key, "DEVMODE"))
                return device_set_devmode(d, value);
        /* sd-device 252 keeps these two as plain properties when they come from the file (it
         * only takes them from netlink); they are the kernel's node owner either way */
        if (streq(key, "DEVUID"))
                return device_set_devuid(d, value);
        if (streq(key, "DEVGID"))
                return device_set_devgid(d, value);
        if (streq(key, "DISKSEQ"))
                return device_set_diskseq(d, value);
        if (streq(key, "MAJOR"))
                *major = value;
        else if (streq(key, "MINOR"))
                *minor = value;
        else
                return device_add_property_internal(d, key, value);
        return 0;
}

/* Lines "KEY=VALUE"; a line without '=' is skipped. MAJOR/MINOR are applied last, so that
 * their properties come after the others, as in sd-device. */
static void uevent_parse_buffer(Device *d, char *buf, const char *path) {
        const char *major = NULL, *minor = NULL;
        char *line = buf, *next, *eq;
        int r;

        for (; line && *line; line = next) {
                next = strpbrk(line, NEWLINE);
                if (next)
                        *next++ = 0;
                if (line[0] == 0)
                        continue;
                eq = strchr(line, '=');
                if (!eq) {
                        log_device_debug(d, "device: Invalid uevent line '%s' in %s, ignoring",
                                         line, path);
                        continue;
                }
                *eq = 0;
                r = uevent_handle_line(d, line, eq + 1, &major, &minor);
                if (r < 0)
                        log_device_debug_errno(
                                d, r, "device: Failed to handle uevent entry '%s=%s', ignoring: %m",
                                line, eq + 1);
        }
        if (major) {
                r = device_set_devnum(d, major, minor);
                if (r < 0)
                        log_device_debug_errno(d, r,
                                               "device: Failed to set 'MAJOR=%s' or 'MINOR=%s' "
                                               "from %s, ignoring: %m",
                                               major, strna(minor), path);
        }
}

int device_read_uevent_file(Device *d) {
        _cleanup_free_ char *path = NULL, *buf = NULL;
        int r;

        assert(d);
        if (d->uevent_loaded || d->sealed)
                return 0;
        d->uevent_loaded = true;
        path = path_join(d->syspath, "uevent");
        if (!path)
                return -ENOMEM;
        r = read_full_file_flags(path, SYSFS_READ_MAX, READ_FULL_SHORT_READ_IS_END, &buf, NULL);
        if (r < 0) {
                /* write-only, gone, or no uevent file at all */
                if (IN_SET(r, -EACCES, -ENOENT, -ENODEV, -ENXIO, -ENOTDIR))
                        return 0;
                return log_device_debug_errno(d, r, "device: Failed to read %s: %m", path);
        }
        uevent_parse_buffer(d, buf, path);
        return 0;
}

/* ---- getters ------------------------------------------------------------------------- */

int device_get_syspath(Device *d, const char **ret) {
        assert(d);
        if (ret)
                *ret = d->syspath;
        return 0;
}

int device_get_devpath(Device *d, const char **ret) {
        assert(d);
        if (ret)
                *ret = d->devpath;
        return 0;
}

static int device_set_sysname_and_sysnum(Device *d) {
        _cleanup_free_ char *name = NULL;
        size_t len, n = 0;
        int r;

        r = path_extract_filename(d->devpath, &name);
        if (r < 0)
                return r;
        for (char *p = name; *p; p++)
                if (*p == '!')
                        *p = '/';
        len = strlen(name);
        while (n < len && strchr(DIGITS, name[len - n - 1]))
                n++;
        if (n == len)
                n = 0; /* an all-digit name has no sysnum */
        free(d->sysname);
        d->sysname = TAKE_PTR(name);
        d->sysnum = n > 0 ? d->sysname + len - n : NULL;
        return 0;
}

int device_get_sysname(Device *d, const char **ret) {
        int r;

        assert(d);
        if (!d->sysname) {
                r = device_set_sysname_and_sysnum(d);
                if (r < 0)
                        return r;
        }
        if (ret)
                *ret = d->sysname;
        return 0;
}

int device_get_sysnum(Device *d, const char **ret) {
        int r;

        r = device_get_sysname(d, NULL);
        if (r < 0)
                return r;
        if (!d->sysnum)
                return -ENOENT;
        if (ret)
                *ret = d->sysnum;
        return 0;
}

/* The last component of a symlink's target ("../../bus/pci" → "pci"); -ENOENT if none. */
static int readlink_value(const char *path, char **ret) {
        _cleanup_free_ char *target = NULL;
        int r;

        r = readlink_malloc(path, &target);
        if (r < 0)
                return r;
        return path_extract_filename(target, ret);
}

int device_set_drivers_subsystem(Device *d) {
        const char *devpath = d->devpath, *drivers, *start;
        char *s;
        int r;

        drivers = strstr(devpath, "/drivers/");
        if (!drivers)
                drivers = endswith(devpath, "/drivers");
        if (!drivers || drivers == devpath)
                return -EINVAL;
        start = drivers;
        while (start > devpath && start[-1] != '/')
                start--;
        if (start == drivers)
                return -EINVAL;
        s = strndup(start, (size_t) (drivers - start));
        if (!s)
                return -ENOMEM;
        r = device_set_subsystem(d, "drivers");
        if (r < 0) {
                free(s);
                return r;
        }
        free_and_replace_str(&d->driver_subsystem, s);
        return 0;
}

static int device_read_subsystem(Device *d) {
        _cleanup_free_ char *path = NULL, *subsystem = NULL;
        int r;

        path = path_join(d->syspath, "subsystem");
        if (!path)
                return -ENOMEM;
        r = readlink_value(path, &subsystem);
        if (r < 0 && !IN_SET(r, -ENOENT, -EINVAL, -ENOTDIR))
                return log_device_debug_errno(d, r, "device: Failed to read subsystem for %s: %m",
                                              d->devpath);
        if (subsystem)
                r = device_set_subsystem(d, subsystem);
        else if (!isempty(path_startswith(d->devpath, "/module")))
                r = device_set_subsystem(d, "module");
        else if (strstr(d->devpath, "/drivers/") || endswith(d->devpath, "/drivers"))
                r = device_set_drivers_subsystem(d);
        else if (!isempty(path_startswith(d->devpath, "/class")) ||
                 !isempty(path_startswith(d->devpath, "/bus")))
                r = device_set_subsystem(d, "subsystem");
        else {
                d->subsystem_set = true;
                r = 0;
        }
        if (r < 0)
                return log_device_debug_errno(d, r, "device: Failed to set subsystem for %s: %m",
                                              d->devpath);
        return 0;
}

int device_get_subsystem(Device *d, const char **ret) {
        int r;

        assert(d);
        if (!d->subsystem_set) {
                r = device_read_subsystem(d);
                if (r < 0)
                        return r;
        }
        if (!d->subsystem)
                return -ENOENT;
        if (ret)
                *ret = d->subsystem;
        return 0;
}

int device_get_driver_subsystem(Device *d, const char **ret) {
        int r;

        r = device_get_subsystem(d, NULL);
        if (r < 0)
                return r;
        if (!d->driver_subsystem)
                return -ENOENT;
        if (ret)
                *ret = d->driver_subsystem;
        return 0;
}

int device_get_driver(Device *d, const char **ret) {
        _cleanup_free_ char *path = NULL, *driver = NULL;
        int r;

        assert(d);
        if (!d->driver_set) {
                path = path_join(d->syspath, "driver");
                if (!path)
                        return -ENOMEM;
                r = readlink_value(path, &driver);
                if (r < 0 && !IN_SET(r, -ENOENT, -EINVAL, -ENOTDIR))
                        return log_device_debug_errno(d, r, "device: readlink(\"%s\") failed: %m",
                                                      path);
                r = device_set_driver(d, driver);
                if (r < 0)
                        return r;
        }
        if (!d->driver)
                return -ENOENT;
        if (ret)
                *ret = d->driver;
        return 0;
}

/* The getters below first read the uevent file (once; never for sealed devices). */
#define DEVICE_UEVENT_GETTER(name, type, field, unset_test) \
        int device_get_##name(Device *d, type *ret) {       \
                int r;                                      \
                assert(d);                                  \
                if (!d->uevent_loaded && !d->sealed) {      \
                        r = device_read_uevent_file(d);     \
                        if (r < 0)                          \
                                return r;                   \
                }                                           \
                if (unset_test)                             \
                        return -ENOENT;                     \
                if (ret)                                    \
                        *ret = d->field;                    \
                return 0;                                   \
        }

DEVICE_UEVENT_GETTER(devtype, const char *, devtype, !d->devtype)
DEVICE_UEVENT_GETTER(devname, const char *, devname, !d->devname)
DEVICE_UEVENT_GETTER(devnum, dev_t, devnum, major(d->devnum) == 0)
DEVICE_UEVENT_GETTER(ifindex, int, ifindex, d->ifindex <= 0)
DEVICE_UEVENT_GETTER(diskseq, uint64_t, diskseq, d->diskseq == 0)
DEVICE_UEVENT_GETTER(devnode_mode, mode_t, devmode, d->devmode == MODE_INVALID)
DEVICE_UEVENT_GETTER(devnode_uid, uid_t, devuid, d->devuid == (uid_t) -1)
DEVICE_UEVENT_GETTER(devnode_gid, gid_t, devgid, d->devgid == (gid_t) -1)

int device_get_action(Device *d, DeviceAction *ret) {
        assert(d);
        if (d->action < 0)
                return -ENOENT;
        if (ret)
                *ret = d->action;
        return 0;
}

bool device_for_action(Device *d, DeviceAction a) {
        DeviceAction b;

        return device_get_action(d, &b) >= 0 && a == b;
}

int device_get_seqnum(Device *d, uint64_t *ret) {
        assert(d);
        if (d->seqnum == 0)
                return -ENOENT;
        if (ret)
                *ret = d->seqnum;
        return 0;
}

int device_get_devpath_old(Device *d, const char **ret) {
        return device_get_property_value(d, "DEVPATH_OLD", ret);
}

static int device_make_id(Device *d, char **ret) {
        _cleanup_free_ char *sysname = NULL;
        const char *subsystem;
        dev_t devnum;
        int r, ifindex;

        r = device_get_subsystem(d, &subsystem);
        if (r < 0)
                return r;
        if (device_get_devnum(d, &devnum) >= 0)
                r = asprintf(ret, "%c%u:%u", streq(subsystem, "block") ? 'b' : 'c', major(devnum),
                             minor(devnum));
        else if (device_get_ifindex(d, &ifindex) >= 0)
                r = asprintf(ret, "n%i", ifindex);
        else {
                /* the file name as it is, '!' not translated */
                r = path_extract_filename(d->devpath, &sysname);
                if (r < 0)
                        return r;
                if (streq(subsystem, "drivers"))
                        *ret = strjoin("+drivers:", strempty(d->driver_subsystem), ":", sysname);
                else
                        *ret = strjoin("+", subsystem, ":", sysname);
                r = *ret ? 0 : -1;
        }
        if (r < 0) {
                *ret = NULL;
                return -ENOMEM;
        }
        return 0;
}

int device_get_device_id(Device *d, const char **ret) {
        char *id = NULL;
        int r;

        assert(d);
        if (!d->device_id) {
                r = device_make_id(d, &id);
                if (r < 0)
                        return r;
                if (!filename_is_valid(id)) {
                        free(id);
                        return -EINVAL;
                }
                d->device_id = id;
        }
        if (ret)
                *ret = d->device_id;
        return 0;
}

int device_get_is_initialized(Device *d) {
        int r;

        assert(d);
        r = device_db_read(d, false);
        if (r == -ENOENT)
                return false;
        if (r < 0)
                return r;
        return d->is_initialized;
}

int device_get_usec_initialized(Device *d, usec_t *ret) {
        int r;

        r = device_get_is_initialized(d);
        if (r < 0)
                return r;
        if (r == 0)
                return -EBUSY;
        if (d->usec_initialized == 0)
                return -ENODATA;
        if (ret)
                *ret = d->usec_initialized;
        return 0;
}

int device_get_devlink_priority(Device *d, int *ret) {
        int r;

        assert(d);
        r = device_db_read(d, false);
        if (r < 0)
                return r;
        if (ret)
                *ret = d->devlink_priority;
        return 0;
}

void device_set_devlink_priority(Device *d, int priority) {
        d->devlink_priority = priority;
}

/* ---- parents ------------------------------------------------------------------------- */

static int device_new_from_child(Device **ret, Device *child) {
        _cleanup_free_ char *path = NULL;
        int r;

        path = strdup(child->syspath);
        if (!path)
                return -ENOMEM;
        for (;;) {
                char *slash = strrchr(path, '/');

                if (!slash)
                        return -ENODEV;
                *slash = 0;
                if (path_equal(path, device_get_sysfs_root()) ||
                    !path_startswith(path, device_get_sysfs_root()))
                        return -ENODEV;
                /* a prefix of a symlink-free path has no symlink either */
                r = device_new_from_syspath_check(ret, path, child->syspath_canonical ? DEVICE_SYSPATH_CANONICAL :
                                                                                        DEVICE_SYSPATH_RESOLVE);
                if (r != -ENODEV)
                        return r;
        }
}

int device_get_parent(Device *d, Device **ret) {
        int r;

        assert(d);
        if (!d->parent_set) {
                r = device_new_from_child(&d->parent, d);
                if (r < 0 && r != -ENODEV)
                        return r;
                d->parent_set = true;
        }
        if (!d->parent)
                return -ENOENT;
        if (ret)
                *ret = d->parent;
        return 0;
}

int device_get_parent_with_subsystem_devtype(Device *d, const char *subsystem, const char *devtype,
                                             Device **ret) {
        Device *parent = NULL;
        int r;

        assert(d);
        assert(subsystem);
        for (r = device_get_parent(d, &parent); r >= 0; r = device_get_parent(parent, &parent)) {
                const char *s = NULL, *t = NULL;

                (void) device_get_subsystem(parent, &s);
                if (!streq_ptr(s, subsystem))
                        continue;
                if (!devtype)
                        break;
                (void) device_get_devtype(parent, &t);
                if (streq_ptr(t, devtype))
                        break;
        }
        if (r < 0)
                return r;
        if (ret)
                *ret = parent;
        return 0;
}

/* ---- tags and devlinks --------------------------------------------------------------- */

/* udev refuses ':' and ' ' (the TAGS= separators); '/', "." and ".." are refused too because a
 * tag names a directory under tags/, and so are the empty tag and line breaks (which would
 * break a database record). */
static bool tag_is_valid(const char *tag) {
        return !isempty(tag) && !strpbrk(tag, ": /\n\r") && !streq(tag, ".") && !streq(tag, "..");
}

int device_add_tag(Device *d, const char *tag, bool also_current) {
        bool had;
        int r;

        assert(d);
        if (!tag_is_valid(tag))
                return -EINVAL;
        had = ordered_set_contains(d->all_tags, tag);
        r = ordered_set_put_strdup(&d->all_tags, tag);
        if (r < 0)
                return r;
        if (also_current) {
                r = ordered_set_put_strdup(&d->current_tags, tag);
                if (r < 0) {
                        if (!had)
                                free(ordered_set_remove(d->all_tags, tag));
                        return r;
                }
        }
        d->property_tags_outdated = true;
        return 0;
}

void device_remove_tag(Device *d, const char *tag) {
        free(ordered_set_remove(d->current_tags, tag));
        d->property_tags_outdated = true;
}

void device_cleanup_tags(Device *d) {
        d->all_tags = ordered_set_free(d->all_tags);
        d->current_tags = ordered_set_free(d->current_tags);
        d->property_tags_outdated = true;
}

bool device_has_tag(Device *d, const char *tag) {
        (void) device_db_read(d, false);
        return ordered_set_contains(d->all_tags, tag);
}

/* Database version 0 had no current tags: then every tag counts as current. */
static bool device_supports_current_tags(Device *d) {
        (void) device_db_read(d, false);
        return d->database_version >= 1;
}

bool device_has_current_tag(Device *d, const char *tag) {
        if (!device_supports_current_tags(d))
                return device_has_tag(d, tag);
        return ordered_set_contains(d->current_tags, tag);
}

static bool set_iterate_str(Device *d, OrderedSet *const *s, Iterator *i, const char **ret) {
        void *v = NULL;

        if (!i->started)
                (void) device_db_read(d, false);
        if (!ordered_set_iterate(*s, i, &v))
                return false;
        *ret = v;
        return true;
}

bool device_tag_iterate(Device *d, Iterator *i, const char **ret) {
        return set_iterate_str(d, &d->all_tags, i, ret);
}

bool device_current_tag_iterate(Device *d, Iterator *i, const char **ret) {
        if (!device_supports_current_tags(d))
                return device_tag_iterate(d, i, ret);
        return set_iterate_str(d, &d->current_tags, i, ret);
}

/* A devlink is a path below /dev (the record stores it without "/dev/"), without line breaks. */
static bool devlink_is_valid(const char *devlink) {
        return !isempty(path_startswith(devlink, "/dev")) && startswith(devlink, "/dev/") &&
               !strpbrk(devlink, "\n\r");
}

int device_add_devlink(Device *d, const char *devlink) {
        int r;

        assert(d);
        if (!devlink || !devlink_is_valid(devlink))
                return -EINVAL;
        r = ordered_set_put_strdup(&d->devlinks, devlink);
        if (r < 0)
                return r;
        d->property_devlinks_outdated = true;
        return 0;
}

bool device_has_devlink(Device *d, const char *devlink) {
        return ordered_set_contains(d->devlinks, devlink);
}

void device_cleanup_devlinks(Device *d) {
        d->devlinks = ordered_set_free(d->devlinks);
        d->property_devlinks_outdated = true;
}

bool device_devlink_iterate(Device *d, Iterator *i, const char **ret) {
        return set_iterate_str(d, &d->devlinks, i, ret);
}

/* ---- property views ------------------------------------------------------------------ */

/* Joins a set with sep between the elements; wrap puts sep around the result too (":a:b:").
 * "" for an empty set. */
static int set_join(OrderedSet *s, const char *sep, bool wrap, char **ret) {
        _cleanup_free_ char *j = strdup("");
        const char *e;
        bool first = true;

        if (!j)
                return -ENOMEM;
        ORDERED_SET_FOREACH(e, s) {
                if (strextend(&j, first && !wrap ? "" : sep, e) < 0)
                        return -ENOMEM;
                first = false;
        }
        if (wrap && !first && strextend(&j, sep) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(j);
        return 0;
}

static int device_update_set_property(Device *d, const char *key, OrderedSet *s, const char *sep,
                                      bool wrap) {
        _cleanup_free_ char *v = NULL;
        int r;

        r = set_join(s, sep, wrap, &v);
        if (r < 0)
                return r;
        return device_add_property_internal(d, key, isempty(v) ? NULL : v);
}

/* Brings DEVLINKS, TAGS and CURRENT_TAGS up to date (after reading uevent and the database). */
static int device_properties_prepare(Device *d) {
        int r;

        r = device_read_uevent_file(d);
        if (r < 0)
                return r;
        r = device_db_read(d, false);
        if (r < 0 && r != -ENOENT)
                return r;
        if (d->property_devlinks_outdated) {
                r = device_update_set_property(d, "DEVLINKS", d->devlinks, " ", false);
                if (r < 0)
                        return r;
                d->property_devlinks_outdated = false;
        }
        if (d->property_tags_outdated) {
                r = device_update_set_property(d, "TAGS", d->all_tags, ":", true);
                if (r >= 0)
                        r = device_update_set_property(d, "CURRENT_TAGS", d->current_tags, ":",
                                                       true);
                if (r < 0)
                        return r;
                d->property_tags_outdated = false;
        }
        return 0;
}

int device_get_property_value(Device *d, const char *key, const char **ret) {
        const char *v;
        int r;

        assert(d);
        assert(key);
        r = device_properties_prepare(d);
        if (r < 0)
                return r;
        v = hashmap_get(d->properties, key);
        if (!v)
                return -ENOENT;
        if (ret)
                *ret = v;
        return 0;
}

int device_get_property_bool(Device *d, const char *key) {
        const char *v;
        int r;

        r = device_get_property_value(d, key, &v);
        if (r < 0)
                return r;
        return parse_boolean(v);
}

bool device_property_iterate(Device *d, Iterator *i, const char **ret_key, const char **ret_value) {
        void *v = NULL;
        const void *k = NULL;

        if (!i->started && device_properties_prepare(d) < 0)
                return false;
        if (!hashmap_iterate(d->properties, i, &v, &k))
                return false;
        *ret_key = k;
        *ret_value = v;
        return true;
}

static int device_update_properties_bufs(Device *d) {
        static const char version[] = "UDEV_DATABASE_VERSION=1";
        _cleanup_free_ char *buf = NULL;
        _cleanup_free_ char **strv = NULL;
        size_t len = 0, allocated = 0, n = 0;
        const char *k, *v;

        if (!GREEDY_REALLOC(buf, allocated, sizeof version + 1))
                return -ENOMEM;
        memcpy(buf, version, sizeof version);
        len = sizeof version;
        n = 1;
        DEVICE_FOREACH_PROPERTY(d, k, v) {
                size_t kl = strlen(k), vl = strlen(v);

                if (!GREEDY_REALLOC(buf, allocated, len + kl + vl + 3))
                        return -ENOMEM;
                memcpy(buf + len, k, kl);
                buf[len + kl] = '=';
                memcpy(buf + len + kl + 1, v, vl + 1);
                len += kl + vl + 2;
                n++;
        }
        buf[len] = 0; /* a final empty string: the block is safe to walk as a nulstr */
        strv = new0(char *, n + 1);
        if (!strv)
                return -ENOMEM;
        for (size_t i = 0, off = 0; i < n; i++) {
                strv[i] = buf + off;
                off += strlen(buf + off) + 1;
        }
        free(d->properties_nulstr);
        free(d->properties_strv);
        d->properties_nulstr = TAKE_PTR(buf);
        d->properties_nulstr_len = len;
        d->properties_strv = TAKE_PTR(strv);
        d->properties_buf_outdated = false;
        return 0;
}

static int device_properties_bufs(Device *d) {
        int r;

        r = device_properties_prepare(d);
        if (r < 0)
                return r;
        if (!d->properties_buf_outdated && d->properties_nulstr)
                return 0;
        return device_update_properties_bufs(d);
}

int device_get_properties_nulstr(Device *d, const char **ret, size_t *ret_len) {
        int r;

        r = device_properties_bufs(d);
        if (r < 0)
                return r;
        if (ret)
                *ret = d->properties_nulstr;
        if (ret_len)
                *ret_len = d->properties_nulstr_len;
        return 0;
}

int device_get_properties_strv(Device *d, char ***ret) {
        int r;

        r = device_properties_bufs(d);
        if (r < 0)
                return r;
        if (ret)
                *ret = d->properties_strv;
        return 0;
}

/* ---- event state --------------------------------------------------------------------- */

int device_ensure_usec_initialized(Device *d, Device *old) {
        usec_t when;

        if (old && old->usec_initialized > 0)
                when = old->usec_initialized;
        else
                when = now(CLOCK_MONOTONIC);
        return device_set_usec_initialized(d, when);
}

void device_set_is_initialized(Device *d) {
        d->is_initialized = true;
}

void device_set_db_persist(Device *d) {
        d->db_persist = true;
}

bool device_get_db_persist(Device *d) {
        return d->db_persist;
}

void device_seal(Device *d) {
        d->sealed = true;
}
