/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-path_id.c: the path_id builtin (ID_PATH, ID_PATH_TAG): the persistent path of a
 * device from its parents, as udev 252 composes it, for the parent kinds handled here (pci,
 * scsi without a transport class, usb, serio, platform, acpi, xen, virtio).
 */

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "udev-builtin.h"

static int path_prepend(char **path, const char *fmt, ...) _printf_(2, 3);
static int path_prepend(char **path, const char *fmt, ...) {
        _cleanup_free_ char *pre = NULL;
        char *n;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&pre, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        n = *path ? strjoin(pre, "-", *path) : strdup(pre);
        if (!n)
                return -ENOMEM;
        free(*path);
        *path = n;
        return 0;
}

/* The last ancestor (or dev itself) in an unbroken chain of devices of that subsystem. */
static Device *skip_subsystem(Device *dev, const char *subsys) {
        Device *parent = dev;

        for (;;) {
                const char *s;

                if (device_get_subsystem(parent, &s) < 0 || !streq(s, subsys))
                        return dev;
                dev = parent;
                if (device_get_parent(dev, &parent) < 0)
                        return dev;
        }
}

static Device *handle_scsi_default(Device *parent, char **path) {
        Device *hostdev;
        int host, bus, target, lun, basenum = -1;
        const char *name, *base;
        _cleanup_free_ char *dirpath = NULL;
        DIR *dir;
        struct dirent *de;

        if (device_get_parent_with_subsystem_devtype(parent, "scsi", "scsi_host", &hostdev) < 0)
                return NULL;
        if (device_get_sysname(parent, &name) < 0)
                return NULL;
        if (sscanf(name, "%d:%d:%d:%d", &host, &bus, &target, &lun) != 4)
                return NULL;
        if (device_get_syspath(hostdev, &base) < 0)
                return NULL;
        if (path_extract_directory(base, &dirpath) < 0)
                return NULL;
        dir = opendir(dirpath);
        if (!dir)
                return NULL;
        while ((de = readdir(dir))) {
                unsigned i;

                if (de->d_name[0] == '.')
                        continue;
                if (!IN_SET(de->d_type, DT_DIR, DT_LNK))
                        continue;
                if (!startswith(de->d_name, "host"))
                        continue;
                if (safe_atou(de->d_name + 4, &i) < 0)
                        continue;
                if (basenum == -1 || (int) i < basenum)
                        basenum = (int) i;
        }
        closedir(dir);
        if (basenum == -1)
                return hostdev;
        host -= basenum;
        if (path_prepend(path, "scsi-%i:%i:%i:%i", host, bus, target, lun) < 0)
                return NULL;
        return hostdev;
}

static Device *handle_scsi(Device *parent, char **path, bool *supported_parent) {
        const char *devtype, *syspath, *id;

        if (device_get_devtype(parent, &devtype) < 0 || !streq(devtype, "scsi_device"))
                return parent;
        if (device_get_sysattr_value(parent, "ieee1394_id", &id) >= 0) {
                if (path_prepend(path, "ieee1394-0x%s", id) < 0)
                        return NULL;
                return skip_subsystem(parent, "scsi");
        }
        if (device_get_syspath(parent, &syspath) < 0)
                return NULL;
        if (strstr(syspath, "/rport-") || strstr(syspath, "/end_device-") || strstr(syspath, "/session") ||
            strstr(syspath, "/ata") || strstr(syspath, "/vmbus_") || strstr(syspath, "/VMBUS")) {
                /* Transports not handled yet: give up rather than invent a path. */
                *supported_parent = false;
                return NULL;
        }
        return handle_scsi_default(parent, path);
}

static Device *handle_usb(Device *parent, char **path) {
        const char *devtype, *str, *port;

        if (device_get_devtype(parent, &devtype) < 0)
                return parent;
        if (!streq(devtype, "usb_interface") && !streq(devtype, "usb_device"))
                return parent;
        if (device_get_sysname(parent, &str) < 0)
                return parent;
        port = strchr(str, '-');
        if (!port)
                return parent;
        port++;
        if (path_prepend(path, "usb-0:%s", port) < 0)
                return NULL;
        return skip_subsystem(parent, "usb");
}

static void path_id_tag(const char *path, char *tag, size_t size) {
        size_t i = 0;

        for (const char *p = path; *p && i < size - 1; p++) {
                if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    *p == '-') {
                        tag[i++] = *p;
                        continue;
                }
                if (i == 0 || tag[i - 1] == '_')
                        continue;
                tag[i++] = '_';
        }
        while (i > 0 && tag[i - 1] == '_')
                i--;
        tag[i] = '\0';
}

static int builtin_path_id(Device *dev, int argc, char *argv[], bool test) {
        _cleanup_free_ char *path = NULL;
        bool supported_transport = false, supported_parent = false;
        const char *subsystem = NULL, *sysname;
        char tag[UDEV_RULES_NAME_SIZE];
        Device *parent = dev;
        int r;

        (void) argc;
        (void) argv;
        while (parent) {
                const char *subsys;

                if (device_get_subsystem(parent, &subsys) < 0)
                        ;
                else if (streq(subsys, "scsi")) {
                        parent = handle_scsi(parent, &path, &supported_parent);
                        supported_transport = true;
                } else if (streq(subsys, "usb")) {
                        parent = handle_usb(parent, &path);
                        supported_transport = true;
                } else if (streq(subsys, "serio")) {
                        const char *sysnum;

                        if (device_get_sysnum(parent, &sysnum) >= 0 && sysnum) {
                                if (path_prepend(&path, "serio-%s", sysnum) < 0)
                                        return -ENOMEM;
                                parent = skip_subsystem(parent, "serio");
                        }
                } else if (streq(subsys, "pci")) {
                        if (device_get_sysname(parent, &sysname) >= 0 &&
                            path_prepend(&path, "pci-%s", sysname) < 0)
                                return -ENOMEM;
                        parent = skip_subsystem(parent, "pci");
                        supported_parent = true;
                } else if (streq(subsys, "platform")) {
                        if (device_get_sysname(parent, &sysname) >= 0 &&
                            path_prepend(&path, "platform-%s", sysname) < 0)
                                return -ENOMEM;
                        parent = skip_subsystem(parent, "platform");
                        supported_transport = true;
                        supported_parent = true;
                } else if (streq(subsys, "acpi")) {
                        if (device_get_sysname(parent, &sysname) >= 0 &&
                            path_prepend(&path, "acpi-%s", sysname) < 0)
                                return -ENOMEM;
                        parent = skip_subsystem(parent, "acpi");
                        supported_parent = true;
                } else if (streq(subsys, "xen")) {
                        if (device_get_sysname(parent, &sysname) >= 0 &&
                            path_prepend(&path, "xen-%s", sysname) < 0)
                                return -ENOMEM;
                        parent = skip_subsystem(parent, "xen");
                        supported_parent = true;
                } else if (streq(subsys, "virtio")) {
                        parent = skip_subsystem(parent, "virtio");
                        supported_transport = true;
                }
                if (!parent)
                        break;
                if (device_get_parent(parent, &parent) < 0)
                        break;
        }

        if (!path)
                return -ENOENT;
        if (!supported_parent)
                return -ENOENT;
        (void) device_get_subsystem(dev, &subsystem);
        if (streq_ptr(subsystem, "block") && !supported_transport)
                return -ENOENT;

        r = udev_builtin_add_property(dev, test, "ID_PATH", path);
        if (r < 0)
                return r;
        path_id_tag(path, tag, sizeof(tag));
        return udev_builtin_add_property(dev, test, "ID_PATH_TAG", tag);
}

const UdevBuiltin udev_builtin_path_id = {
        .name = "path_id",
        .cmd = builtin_path_id,
        .help = "Compose persistent device path",
        .run_once = true,
};
