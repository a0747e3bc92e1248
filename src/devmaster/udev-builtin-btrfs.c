/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-btrfs.c: the btrfs builtin, `btrfs ready DEVNODE`: asks the kernel
 * (BTRFS_IOC_DEVICES_READY on /dev/btrfs-control) whether every device of the multi-device
 * file system DEVNODE belongs to is present, and sets ID_BTRFS_READY=1/0. Without the btrfs
 * driver the answer is 0. The ioctl registers the device with the kernel, so in dry-run mode
 * it is recorded ("btrfs ready DEVNODE") instead and ID_BTRFS_READY=1 is assumed.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fd-util.h"
#include "log.h"
#include "string-util.h"
#include "udev-builtin.h"

static int builtin_btrfs(Device *dev, int argc, char *argv[], bool test) {
        struct btrfs_ioctl_vol_args args = {};
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (argc != 3 || !streq(argv[1], "ready"))
                return log_device_error_errno(dev, EINVAL, "Invalid arguments");
        if (udev_builtin_is_dry_run()) {
                r = udev_builtin_record("btrfs ready %s", argv[2]);
                if (r < 0)
                        return r;
                return udev_builtin_add_property(dev, test, "ID_BTRFS_READY", "1");
        }
        fd = open("/dev/btrfs-control", O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
                if (IN_SET(errno, ENOENT, ENXIO, ENODEV))
                        /* no driver (an initrd without btrfs.ko): not ready; a later
                         * trigger after the switch to the host asks again */
                        return udev_builtin_add_property(dev, test, "ID_BTRFS_READY", "0");
                return log_device_debug_errno(dev, errno, "Failed to open /dev/btrfs-control: %m");
        }
        snprintf(args.name, sizeof(args.name), "%s", argv[2]);
        r = ioctl(fd, BTRFS_IOC_DEVICES_READY, &args);
        if (r < 0)
                return log_device_debug_errno(dev, errno, "Failed to call BTRFS_IOC_DEVICES_READY: %m");
        return udev_builtin_add_property(dev, test, "ID_BTRFS_READY", r == 0 ? "1" : "0");
}

const UdevBuiltin udev_builtin_btrfs = {
        .name = "btrfs",
        .cmd = builtin_btrfs,
        .help = "btrfs volume management",
};
