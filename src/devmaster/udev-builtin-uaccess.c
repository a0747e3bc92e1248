/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-uaccess.c: the uaccess builtin. Gives the user of the active session on the
 * device's seat (ID_SEAT, default seat0) read/write access to the device node through a POSIX
 * ACL entry, and drops every other user entry. What udev 252 does, and so this builtin:
 *   - without logind (no /run/systemd/seats/) it does nothing at all;
 *   - with no active session on the seat (no seat file, no ACTIVE/ACTIVE_UID), or when the
 *     ACL could not be set, the user entries are removed ("better safe than sorry").
 * The ACL is edited directly in the system.posix_acl_access extended attribute (the kernel's
 * format), so no libacl is needed. In dry-run mode the change is recorded as
 * "uaccess NODE uid=N" or "uaccess NODE reset".
 */

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "udev-builtin.h"

#define ACL_XATTR "system.posix_acl_access"
#define ACL_XATTR_VERSION 2
enum {
        ACL_TAG_USER_OBJ = 0x01,
        ACL_TAG_USER = 0x02,
        ACL_TAG_GROUP_OBJ = 0x04,
        ACL_TAG_GROUP = 0x08,
        ACL_TAG_MASK = 0x10,
        ACL_TAG_OTHER = 0x20,
};
#define ACL_PERM_RW 0x06
#define ACL_MAX_ENTRIES 64

typedef struct __attribute__((packed)) AclEntry {
        uint16_t tag, perm;
        uint32_t id;
} AclEntry;

static const char *seats_dir = "/run/systemd/seats";

/* The uid of the active session on seat. -ENXIO/-ENODATA when there is none. */
static int seat_active_uid(const char *seat, uid_t *ret) {
        _cleanup_free_ char *path = NULL, *data = NULL;
        _cleanup_strv_free_ char **lines = NULL;
        const char *active = NULL, *uid = NULL;
        int r;

        path = path_join(seats_dir, seat);
        if (!path)
                return -ENOMEM;
        r = read_full_file(path, 64 * 1024, &data, NULL);
        if (r == -ENOENT)
                return -ENXIO;
        if (r < 0)
                return r;
        r = strv_split_newlines(data, &lines);
        if (r < 0)
                return r;
        STRV_FOREACH(l, lines) {
                const char *v;

                if ((v = startswith(*l, "ACTIVE=")))
                        active = v;
                else if ((v = startswith(*l, "ACTIVE_UID=")))
                        uid = v;
        }
        if (isempty(active) || isempty(uid))
                return -ENODATA;
        return parse_uid(uid, ret);
}

static int entry_cmp(const void *a, const void *b) {
        const AclEntry *x = a, *y = b;

        if (x->tag != y->tag)
                return x->tag < y->tag ? -1 : 1;
        return x->id < y->id ? -1 : x->id > y->id;
}

/* Reads the access ACL (or the one the mode implies), drops the named-user entries, adds uid
 * with rw when add, recomputes the mask and writes it back (or removes the attribute when
 * only the mode's three entries remain). */
static int devnode_acl(const char *path, bool add, uid_t uid) {
        AclEntry e[ACL_MAX_ENTRIES];
        uint8_t buf[4 + sizeof(e)];
        size_t n = 0, out = 0;
        bool changed = false, extended = false;
        uint16_t mask = 0;
        ssize_t len;
        struct stat st;

        if (stat(path, &st) < 0)
                return -errno;
        len = getxattr(path, ACL_XATTR, buf, sizeof(buf));
        if (len >= 4 && (len - 4) % sizeof(AclEntry) == 0) {
                n = (size_t) (len - 4) / sizeof(AclEntry);
                memcpy(e, buf + 4, n * sizeof(AclEntry));
        } else {
                if (len < 0 && !IN_SET(errno, ENODATA, EOPNOTSUPP))
                        return -errno;
                e[n++] = (AclEntry) { htole16(ACL_TAG_USER_OBJ), htole16((st.st_mode >> 6) & 7), UINT32_MAX };
                e[n++] = (AclEntry) { htole16(ACL_TAG_GROUP_OBJ), htole16((st.st_mode >> 3) & 7), UINT32_MAX };
                e[n++] = (AclEntry) { htole16(ACL_TAG_OTHER), htole16(st.st_mode & 7), UINT32_MAX };
        }
        for (size_t i = 0; i < n; i++) {
                uint16_t tag = le16toh(e[i].tag);

                if (tag == ACL_TAG_USER) {
                        if (add && le32toh(e[i].id) == uid && (le16toh(e[i].perm) & ACL_PERM_RW) == ACL_PERM_RW) {
                                add = false; /* already there */
                        } else {
                                changed = true;
                                continue;
                        }
                }
                e[out++] = e[i];
        }
        if (add && uid > 0 && out < ACL_MAX_ENTRIES) {
                e[out++] = (AclEntry) { htole16(ACL_TAG_USER), htole16(ACL_PERM_RW), htole32(uid) };
                changed = true;
        }
        if (!changed)
                return 0;
        /* the mask: the union of the group class entries */
        n = 0;
        for (size_t i = 0; i < out; i++) {
                uint16_t tag = le16toh(e[i].tag);

                if (tag == ACL_TAG_MASK)
                        continue;
                if (IN_SET(tag, ACL_TAG_USER, ACL_TAG_GROUP))
                        extended = true;
                if (IN_SET(tag, ACL_TAG_USER, ACL_TAG_GROUP, ACL_TAG_GROUP_OBJ))
                        mask |= le16toh(e[i].perm);
                e[n++] = e[i];
        }
        if (udev_builtin_is_dry_run())
                return add ? udev_builtin_record("uaccess %s uid=%u", path, (unsigned) uid)
                           : udev_builtin_record("uaccess %s reset", path);
        if (!extended) {
                if (removexattr(path, ACL_XATTR) < 0 && errno != ENODATA)
                        return -errno;
                return 0;
        }
        e[n++] = (AclEntry) { htole16(ACL_TAG_MASK), htole16(mask), UINT32_MAX };
        qsort(e, n, sizeof(AclEntry), entry_cmp);
        uint32_t version = htole32(ACL_XATTR_VERSION);
        memcpy(buf, &version, 4);
        memcpy(buf + 4, e, n * sizeof(AclEntry));
        if (setxattr(path, ACL_XATTR, buf, 4 + n * sizeof(AclEntry), 0) < 0)
                return -errno;
        return 0;
}

static int builtin_uaccess(Device *dev, int argc, char *argv[], bool test) {
        const char *path = NULL, *seat;
        uid_t uid;
        int r, k;

        (void) argc;
        (void) argv;
        (void) test;
        umask(0022);
        if (access(seats_dir, F_OK) < 0) /* not running systemd-logind: leave ACLs alone */
                return 0;
        r = device_get_devname(dev, &path);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to get device name: %m");
        if (device_get_property_value(dev, "ID_SEAT", &seat) < 0)
                seat = "seat0";
        r = seat_active_uid(seat, &uid);
        if (r >= 0) {
                r = devnode_acl(path, true, uid);
                if (r >= 0)
                        return 0;
                log_device_full_errno(dev, r == -ENOENT ? LOG_DEBUG : LOG_ERR, r, "Failed to apply ACL: %m");
        } else if (IN_SET(r, -ENXIO, -ENODATA))
                r = 0; /* no active session on this seat */
        else
                log_device_error_errno(dev, r, "Failed to determine active user on seat %s: %m", seat);
        k = devnode_acl(path, false, 0);
        if (k < 0) {
                log_device_full_errno(dev, k == -ENOENT ? LOG_DEBUG : LOG_ERR, k, "Failed to apply ACL: %m");
                if (r >= 0)
                        r = k;
        }
        return r;
}

const UdevBuiltin udev_builtin_uaccess = {
        .name = "uaccess",
        .cmd = builtin_uaccess,
        .help = "Manage device node user ACL",
};
