/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * device.h: the device model of devmaster, the object the rules engine, the database and the
 * daemon share (what sd_device is to systemd-udevd 252). A Device is one kernel object under
 * the sysfs root (default /sys; tests may point it elsewhere with device_set_sysfs_root()).
 * It is reference-counted: device_new_*() return a new reference, device_unref() drops one.
 *
 * Where the information comes from:
 *   - a Device made from a path (device_new_from_syspath() and friends) reads sysfs lazily:
 *     the uevent file on the first question about devnum/devname/devtype/ifindex/properties,
 *     the `subsystem` and `driver` symlinks when asked, and the udev database record
 *     (device-db.h) on the first question about tags, devlinks or initialization;
 *   - a Device made from a uevent (device_new_from_nulstr()/strv(), see uevent-parse.h and
 *     libudev-message.h) is *sealed*: it never reads uevent or the database, everything came
 *     with the message.
 *
 * Properties are an insertion-ordered map. Two kinds are kept apart:
 *   - device_add_property_internal(): the kernel's and sysfs' own (DEVPATH, SUBSYSTEM, MAJOR,
 *     uevent keys, ACTION, SEQNUM, …); they are never written to the database;
 *   - device_add_property(): set by rules and imports; besides the map, each key that does not
 *     start with '.' is recorded in the database set (E: lines, see device-db.h).
 * DEVLINKS, TAGS and CURRENT_TAGS are derived from the devlink and tag sets whenever the
 * properties are read (TAGS/CURRENT_TAGS in the ":a:b:" form).
 *
 * Every string a getter returns is owned by the Device and stays valid until the value is
 * changed or the Device is freed. Getters return 0 or -ENOENT when the device has no such
 * value (other negative errnos for real failures); out-parameters may be NULL.
 */

#include <dirent.h>
#include <stdint.h>
#include <sys/types.h>

#include "hashmap.h"
#include "log.h"
#include "macro.h"
#include "time-base.h"

typedef struct Device Device;

typedef enum DeviceAction {
        DEVICE_ACTION_ADD,
        DEVICE_ACTION_REMOVE,
        DEVICE_ACTION_CHANGE,
        DEVICE_ACTION_MOVE,
        DEVICE_ACTION_ONLINE,
        DEVICE_ACTION_OFFLINE,
        DEVICE_ACTION_BIND,
        DEVICE_ACTION_UNBIND,
        _DEVICE_ACTION_MAX,
        _DEVICE_ACTION_INVALID = -EINVAL,
} DeviceAction;

/* "add", "remove", "change", "move", "online", "offline", "bind", "unbind". */
const char *device_action_to_string(DeviceAction a) _const_;
DeviceAction device_action_from_string(const char *s) _pure_;

/* The directory sysfs is read from: "/sys" unless set (tests use a synthetic tree). path must
 * be absolute and not "/"; it is normalized and copied. NULL restores "/sys". 0 or -EINVAL/-ENOMEM.
 */
int device_set_sysfs_root(const char *path);
const char *device_get_sysfs_root(void);

Device *device_ref(Device *d);
/* Drops a reference; frees the device (and its parent reference) on the last one. NULL-safe. */
Device *device_unref(Device *d);
DEFINE_TRIVIAL_CLEANUP_FUNC(Device *, device_unref);
#define _cleanup_device_unref_ _cleanup_(device_unrefp)

/* Constructors: 0 and a new reference in *ret, or a negative errno: -EINVAL for a malformed
 * argument, -ENODEV when no such device exists under the sysfs root. */

/* syspath must lie below the sysfs root; symlinks are resolved (/sys/class/mem/null becomes
 * /sys/devices/virtual/mem/null) and the result must still lie below the root. Below
 * <root>/devices a device needs a uevent file, elsewhere any directory will do. With the
 * default root the path must also be on sysfs, unless $SYSTEMD_DEVICE_VERIFY_SYSFS is false. */
int device_new_from_syspath(Device **ret, const char *syspath);
/* A path below /dev goes to device_new_from_devname(); any other path is taken as by
 * device_new_from_syspath(), except that it only has to lie below the sysfs root after its
 * symlinks are resolved (e.g. /proc/device-tree → /sys/firmware/devicetree/base). */
int device_new_from_path(Device **ret, const char *path);
/* type 'b' or 'c'; looks up <root>/dev/{block,char}/MAJOR:MINOR and checks that the device
 * found has that number and type (-ENXIO otherwise); major 0 is -ENODEV. */
int device_new_from_devnum(Device **ret, char type, dev_t devnum);
/* As sd-device: "subsystem" looks in bus/ and class/, "module" in module/, "drivers" takes
 * "SUBSYS:DRIVER"; then bus/SUBSYS/devices/NAME, class/SUBSYS/NAME, firmware/SUBSYS/NAME.
 * A '/' in sysname stands for '!' in the file name. */
int device_new_from_subsystem_sysname(Device **ret, const char *subsystem, const char *sysname);
/* The network interface with that index: class/net/<if_indextoname()>, or, when the kernel
 * does not know the index (a synthetic sysfs), the class/net entry whose IFINDEX matches. */
int device_new_from_ifindex(Device **ret, int ifindex);
/* A database id: "b8:0", "c1:3", "n2", "+subsys:sysname", "+drivers:subsys:driver". */
int device_new_from_device_id(Device **ret, const char *id);
/* A device node or a symlink to one below /dev (stat()ed), or /dev/{block,char}/M:m (not
 * stat()ed). -EINVAL for paths outside /dev, -ENOTTY for files that are no device node. */
int device_new_from_devname(Device **ret, const char *devname);
/* test-udev's synthetic event: the device at syspath, its uevent file read, the action set. */
int device_new_from_synthetic_event(Device **ret, const char *syspath, DeviceAction action);
/* A sealed device from "KEY=VALUE" strings as a uevent carries them (NUL-separated in buf,
 * every string NUL-terminated). DEVPATH, SUBSYSTEM, ACTION and SEQNUM are required;
 * DEVLINKS, TAGS, CURRENT_TAGS, USEC_INITIALIZED and UDEV_DATABASE_VERSION are taken apart
 * into their sets and fields. A value is cut at its first newline (some drivers send one).
 * -EINVAL (with a debug message saying why) for anything malformed. */
int device_new_from_nulstr(Device **ret, const char *buf, size_t len);
int device_new_from_strv(Device **ret, char *const *strv);

/* Getters. */
int device_get_syspath(Device *d, const char **ret); /* <root>/devices/… ; always set */
int device_get_devpath(Device *d, const char **ret); /* syspath without the root; always set */
int device_get_sysname(Device *d, const char **ret); /* last devpath component, '!' → '/' */
/* The trailing digits of the sysname; -ENOENT when there are none or the sysname is all digits. */
int device_get_sysnum(Device *d, const char **ret);
/* From the `subsystem` symlink's target name; else "module" below /module/, "drivers" for
 * driver directories, "subsystem" for bus/ and class/ entries; -ENOENT otherwise. */
int device_get_subsystem(Device *d, const char **ret);
/* For a device of the "drivers" subsystem, the bus it belongs to ("pci" for bus/pci/drivers/x). */
int device_get_driver_subsystem(Device *d, const char **ret);
int device_get_devtype(Device *d, const char **ret);
int device_get_driver(Device *d, const char **ret); /* from the `driver` symlink */
int device_get_devname(Device *d, const char **ret); /* always "/dev/…" */
int device_get_devnum(Device *d, dev_t *ret); /* -ENOENT when major is 0 */
int device_get_ifindex(Device *d, int *ret);
int device_get_diskseq(Device *d, uint64_t *ret);
int device_get_devnode_mode(Device *d, mode_t *ret); /* DEVMODE from uevent */
int device_get_devnode_uid(Device *d, uid_t *ret); /* DEVUID */
int device_get_devnode_gid(Device *d, gid_t *ret); /* DEVGID */
int device_get_action(Device *d, DeviceAction *ret);
int device_get_seqnum(Device *d, uint64_t *ret);
/* DEVPATH_OLD of a move uevent. */
int device_get_devpath_old(Device *d, const char **ret);
/* The database id (spec 3.1): "b8:0"/"c1:3" with a device number, "n2" with an ifindex,
 * "+drivers:SUBSYS:NAME" for drivers, "+SUBSYS:SYSNAME" (from the devpath, '!' kept)
 * otherwise. -ENOENT without subsystem, -EINVAL if the result is no valid file name. */
int device_get_device_id(Device *d, const char **ret);
/* Whether a database record exists (or the device came from udevd): 1 yes, 0 no. */
int device_get_is_initialized(Device *d);
/* USEC_INITIALIZED: -EBUSY if the device is not initialized, -ENODATA if no time is known. */
int device_get_usec_initialized(Device *d, usec_t *ret);
int device_get_devlink_priority(Device *d, int *ret);
bool device_for_action(Device *d, DeviceAction a);

/* The closest ancestor that is a device (walking up the syspath); the result is borrowed and
 * cached in d. -ENOENT at the top. */
int device_get_parent(Device *d, Device **ret);
/* The closest ancestor with that subsystem (and devtype, unless NULL); borrowed. -ENOENT. */
int device_get_parent_with_subsystem_devtype(Device *d, const char *subsystem, const char *devtype,
                                             Device **ret);

/* Properties. */
/* A property set by rules or imports: value NULL removes it. Keys not starting with '.' also
 * go to the database set. 0 or -ENOMEM. */
int device_add_property(Device *d, const char *key, const char *value);
int device_add_propertyf(Device *d, const char *key, const char *format, ...) _printf_(3, 4);
/* A property of kernel or sysfs origin, never written to the database; NULL removes. */
int device_add_property_internal(Device *d, const char *key, const char *value);
int device_get_property_value(Device *d, const char *key, const char **ret);
/* parse_boolean() of the property: 1, 0, -ENOENT or -EINVAL. */
int device_get_property_bool(Device *d, const char *key);
/* Whether key is one of the properties the database record would store. */
bool device_property_is_db(Device *d, const char *key);
/* Steps through the properties in order (DEVLINKS/TAGS/CURRENT_TAGS brought up to date at
 * the start). Changing properties while iterating is undefined. */
bool device_property_iterate(Device *d, Iterator *i, const char **ret_key, const char **ret_value);
#define DEVICE_FOREACH_PROPERTY(d, key, value)     \
        for (Iterator _dpi_##key = ITERATOR_FIRST; \
             device_property_iterate((d), &_dpi_##key, &(key), &(value));)
/* The properties as uevent-style buffers, both starting with "UDEV_DATABASE_VERSION=1": a
 * NUL-separated, NUL-terminated block (what libudev messages carry), and a strv (an
 * environment for programs). Owned by the device; valid until the next property change. */
int device_get_properties_nulstr(Device *d, const char **ret, size_t *ret_len);
int device_get_properties_strv(Device *d, char ***ret);

/* Tags: every tag the device ever had ("all", G: lines, TAGS=) and the current ones (Q:,
 * CURRENT_TAGS=). A tag must be non-empty without ':', ' ', '/' or line breaks, and not "."
 * or ".." (-EINVAL). */
int device_add_tag(Device *d, const char *tag, bool also_current);
/* Removes tag from the current tags only (it stays in "all", as udev does). */
void device_remove_tag(Device *d, const char *tag);
void device_cleanup_tags(Device *d);
bool device_has_tag(Device *d, const char *tag);
/* Falls back to device_has_tag() for records older than database version 1. */
bool device_has_current_tag(Device *d, const char *tag);
bool device_tag_iterate(Device *d, Iterator *i, const char **ret);
bool device_current_tag_iterate(Device *d, Iterator *i, const char **ret);
#define DEVICE_FOREACH_TAG(d, tag) \
        for (Iterator _dti_##tag = ITERATOR_FIRST; device_tag_iterate((d), &_dti_##tag, &(tag));)
#define DEVICE_FOREACH_CURRENT_TAG(d, tag)         \
        for (Iterator _dci_##tag = ITERATOR_FIRST; \
             device_current_tag_iterate((d), &_dci_##tag, &(tag));)

/* Devlinks: full paths below /dev ("/dev/disk/by-id/x"; anything else is -EINVAL),
 * insertion-ordered, no duplicates. */
int device_add_devlink(Device *d, const char *devlink);
bool device_has_devlink(Device *d, const char *devlink);
void device_cleanup_devlinks(Device *d);
bool device_devlink_iterate(Device *d, Iterator *i, const char **ret);
#define DEVICE_FOREACH_DEVLINK(d, link)             \
        for (Iterator _dli_##link = ITERATOR_FIRST; \
             device_devlink_iterate((d), &_dli_##link, &(link));)
void device_set_devlink_priority(Device *d, int priority);

/* sysfs attributes. A value is read once and cached (a missing attribute too: -ENOENT again
 * without a second lookup); trailing newlines (\n, \r) are dropped, other trailing whitespace
 * kept. The symlinks driver, subsystem and module read as their target's last component; any
 * other symlink is -EINVAL, a directory -EISDIR, a file without read permission -EPERM. */
int device_get_sysattr_value(Device *d, const char *attr, const char **ret);
/* Writes value (trailing newlines dropped, one "\n" appended, at most 4096 bytes else -EINVAL)
 * in one write(); the cache then holds the value, except for "uevent". value NULL only drops
 * the cache entry. The attribute must exist (no O_CREAT) and is not followed if a symlink. */
int device_set_sysattr_value(Device *d, const char *attr, const char *value);
void device_clear_sysattr_cache(Device *d);
/* The names of the readable/writable attributes (files and symlinks, recursing into
 * subdirectories that are no devices themselves), sorted; a strv owned by the caller. */
int device_get_sysattr_names(Device *d, char ***ret);

/* Setters used while processing an event. */
int device_set_action(Device *d, DeviceAction a);
int device_set_usec_initialized(Device *d, usec_t usec);
/* Keeps old's USEC_INITIALIZED if it has one, else takes CLOCK_MONOTONIC now. */
int device_ensure_usec_initialized(Device *d, Device *old);
void device_set_is_initialized(Device *d);
void device_set_db_persist(Device *d);
bool device_get_db_persist(Device *d);
/* Never read uevent or the database again. */
void device_seal(Device *d);
/* A network interface renamed to name: syspath/devpath/sysname follow, INTERFACE_OLD keeps
 * the old INTERFACE for the current event. -EINVAL for an invalid name. */
int device_rename(Device *d, const char *name);
/* A new sealed device with d's syspath, subsystem, devnum and ifindex (enough for the id, so it
 * works after the device is gone), its uevent file if still there, and its database record:
 * the "old record" of an event. */
int device_clone_with_db(Device *d, Device **ret);
/* (Re)reads the uevent file once; 0 also when it is missing or unreadable. */
int device_read_uevent_file(Device *d);
/* Opens the device node checking that it is still this device (devnum and type); -ENOEXEC
 * without node. With O_PATH in flags the O_PATH fd is returned. */
int device_open(Device *d, int flags);
/* Opens the syspath (or syspath/subdir) as a directory stream. */
int device_opendir(Device *d, const char *subdir, DIR **ret);

/* Logging about a device: messages get "SYSNAME: " in front, as udevd's do. */
const char *device_log_name(Device *d);
#define log_device_full_errno(d, level, error, fmt, ...)                                     \
        ({                                                                                   \
                const char *_ldn_ = (d) ? device_log_name(d) : NULL;                         \
                log_full_errno((level), (error), "%s%s" fmt, _ldn_ ?: "", _ldn_ ? ": " : "", \
                               ##__VA_ARGS__);                                               \
        })
#define log_device_full(d, level, ...) ((void) log_device_full_errno((d), (level), 0, __VA_ARGS__))
#define log_device_debug(d, ...) log_device_full((d), LOG_DEBUG, __VA_ARGS__)
#define log_device_info(d, ...) log_device_full((d), LOG_INFO, __VA_ARGS__)
#define log_device_notice(d, ...) log_device_full((d), LOG_NOTICE, __VA_ARGS__)
#define log_device_warning(d, ...) log_device_full((d), LOG_WARNING, __VA_ARGS__)
#define log_device_error(d, ...) log_device_full((d), LOG_ERR, __VA_ARGS__)
#define log_device_debug_errno(d, e, ...) log_device_full_errno((d), LOG_DEBUG, (e), __VA_ARGS__)
#define log_device_info_errno(d, e, ...) log_device_full_errno((d), LOG_INFO, (e), __VA_ARGS__)
#define log_device_notice_errno(d, e, ...) log_device_full_errno((d), LOG_NOTICE, (e), __VA_ARGS__)
#define log_device_warning_errno(d, e, ...) \
        log_device_full_errno((d), LOG_WARNING, (e), __VA_ARGS__)
#define log_device_error_errno(d, e, ...) log_device_full_errno((d), LOG_ERR, (e), __VA_ARGS__)
