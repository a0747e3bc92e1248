/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * device-internal.h: the layout of Device, shared by device.c and the modules that read and
 * write its parts wholesale (device-db.c). Nobody else includes this; use device.h.
 *
 * Invariants: syspath = sysfs root + devpath, devpath points into syspath and starts with '/'.
 * properties holds every property (owned key/value strings, insertion order); properties_db
 * is the subset set through device_add_property() (rules, imports, database E: lines) that is
 * written back as E: lines. The three string sets own their elements.
 */

#include "device.h"
#include "ordered-set.h"

#define DEVICE_DATABASE_VERSION 1

struct Device {
        unsigned n_ref;

        Device *parent; /* reference, cached by device_get_parent() */

        Hashmap *properties; /* key → value, all properties */
        Hashmap *properties_db; /* key → value, the E: lines */
        Hashmap *sysattr_values; /* name → value, or NULL for "does not exist" */

        OrderedSet *all_tags;
        OrderedSet *current_tags;
        OrderedSet *devlinks;
        int devlink_priority;

        char *syspath;
        const char *devpath; /* points into syspath */
        char *sysname; /* computed lazily */
        const char *sysnum; /* points into sysname, or NULL */

        char *subsystem;
        char *driver_subsystem; /* only for the "drivers" subsystem */
        char *driver;
        char *devtype;
        char *devname;
        char *device_id; /* computed lazily */

        dev_t devnum;
        int ifindex;
        uint64_t diskseq;
        mode_t devmode; /* MODE_INVALID when unset */
        uid_t devuid; /* (uid_t) -1 when unset */
        gid_t devgid;

        usec_t usec_initialized;
        DeviceAction action; /* _DEVICE_ACTION_INVALID when unset */
        uint64_t seqnum;
        unsigned database_version;

        char *properties_nulstr; /* cached buffers, rebuilt when properties_buf_outdated */
        size_t properties_nulstr_len;
        char **properties_strv; /* pointers into properties_nulstr */

        bool parent_set : 1;
        bool subsystem_set : 1;
        bool driver_set : 1;
        bool uevent_loaded : 1;
        bool db_loaded : 1;
        bool sealed : 1;
        bool is_initialized : 1;
        bool db_persist : 1;
        bool property_tags_outdated : 1;
        bool property_devlinks_outdated : 1;
        bool properties_buf_outdated : 1;
        bool syspath_canonical : 1; /* no symlink below the root: its ancestors need no resolving */
        bool db_file_absent : 1; /* its database file is known not to exist (device_db_write()) */
};

#define MODE_INVALID ((mode_t) -1)
#define SYSFS_DEFAULT_ROOT "/sys"
/* As the kernel's dev_t: 12 bits of major, 20 of minor. */
#define DEVICE_MAJOR_VALID(x) ((((uint64_t) (x)) >> 12) == 0)
#define DEVICE_MINOR_VALID(x) ((((uint64_t) (x)) >> 20) == 0)
/* The largest sysfs file read (sysattrs, uevent). */
#define SYSFS_READ_MAX ((size_t) 4 * 1024 * 1024)

/* An empty device with one reference. 0 or -ENOMEM. */
int device_new_empty(Device **ret);
typedef enum DeviceSyspathCheck {
        DEVICE_SYSPATH_TRUST, /* it came with a uevent: only has to lie below the root */
        DEVICE_SYSPATH_RESOLVE, /* resolve symlinks, then check that the device exists */
        DEVICE_SYSPATH_CANONICAL, /* has no symlink (an ancestor of a resolved syspath): check */
} DeviceSyspathCheck;

/* Sets syspath and DEVPATH, checked as told: DEVICE_SYSPATH_RESOLVE (verify) or
 * DEVICE_SYSPATH_TRUST. -ENODEV if the device does not exist. */
int device_set_syspath(Device *d, const char *path, bool verify);
/* A new device at syspath, checked as told. */
int device_new_from_syspath_check(Device **ret, const char *syspath, DeviceSyspathCheck check);

/* Adds (value != NULL) or removes a property in the full map, and, when db, in the database
 * set as well. 0 or -ENOMEM. */
int device_add_property_aux(Device *d, const char *key, const char *value, bool db);

/* Setters of the fields that come with uevent data; each also sets the property of the same
 * name. Values are checked as sd-device checks them (-EINVAL, -ERANGE). NULL clears the
 * string fields. */
int device_set_devtype(Device *d, const char *devtype);
int device_set_subsystem(Device *d, const char *subsystem);
int device_set_drivers_subsystem(Device *d);
int device_set_driver(Device *d, const char *driver);
int device_set_devname(Device *d, const char *devname);
int device_set_ifindex(Device *d, const char *value);
int device_set_devmode(Device *d, const char *value);
int device_set_devuid(Device *d, const char *value);
int device_set_devgid(Device *d, const char *value);
/* MAJOR 0 means "no device number" and records nothing; minor may be NULL. */
int device_set_devnum(Device *d, const char *major, const char *minor);
int device_set_diskseq(Device *d, const char *value);
int device_set_seqnum(Device *d, const char *value);
/* "MAJOR:MINOR" with both parts in range; 0, -EINVAL or -ERANGE. */
int device_parse_devnum(const char *s, dev_t *ret);
