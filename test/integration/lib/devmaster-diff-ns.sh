# SPDX-License-Identifier: LGPL-2.1-or-later
# devmaster-diff-ns.sh: sourced inside `unshare --mount --pid --fork --net --mount-proc
# --propagation private` by test/integration/test-devmaster-diff.sh and bench/udev/run.sh.
# diff_ns_setup PKG HWDB_BIN: makes the mount namespace one in which systemd-udevd 252 or
# devmaster can run against this machine's real devices with Debian's udev rules without
# changing anything of the host:
#   /run                     an empty tmpfs, with /run/systemd/system (scripts such as
#                            hwclock-set then do nothing);
#   /usr/lib/udev            the host's /usr/lib/udev, then the udev package PKG's lib/udev
#                            (rules.d, ata_id, scsi_id, ...) and HWDB_BIN as hwdb.bin, on a
#                            tmpfs (a separate /lib/udev, on a non-merged system, gets the same);
#   /usr/lib/systemd/network the host's files plus the package's .link files;
#   /etc/udev/rules.d, /usr/local/lib/udev/rules.d, /usr/lib/modules: empty if present (only
#                            Debian's rules; `kmod load` finds no module);
#   /dev                     a tmpfs with copies of the host's device nodes (same type,
#                            major:minor, mode, owner), no symlinks;
#   /sys, /proc/sys          remounted read-only: ATTR{}= and SYSCTL{}= writes of the rules
#                            fail with EROFS, and nothing can write a uevent file.
# The rules are then the udev package's plus the host's /usr/lib/udev/rules.d.

diff_ns_setup() {
        local PKG=$1 hwdb=$2 d lib_udev_separate
        # private /run, with /run/systemd/system
        mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
        mkdir -p /run/udev /run/systemd/system /run/.stage

        # /usr/lib/udev: host's, then the udev package's, then hwdb.bin
        mkdir -p /run/.stage/udev
        cp -a /usr/lib/udev/. /run/.stage/udev/ 2> /dev/null || true
        cp -a "$PKG/lib/udev/." /run/.stage/udev/
        cp "$hwdb" /run/.stage/udev/hwdb.bin
        rm -rf /run/.stage/udev/hwdb.d
        lib_udev_separate=false
        [ /lib/udev -ef /usr/lib/udev ] || lib_udev_separate=true
        mount --bind /run/.stage/udev /usr/lib/udev
        if $lib_udev_separate && [ -d /lib/udev ]; then mount --bind /run/.stage/udev /lib/udev; fi
        # .link files
        mkdir -p /run/.stage/network
        cp -a /usr/lib/systemd/network/. /run/.stage/network/ 2> /dev/null || true
        cp -a "$PKG/lib/systemd/network/." /run/.stage/network/ 2> /dev/null || true
        if [ -d /usr/lib/systemd/network ]; then
                mount --bind /run/.stage/network /usr/lib/systemd/network
                [ /lib/systemd/network -ef /usr/lib/systemd/network ] || [ ! -d /lib/systemd/network ] ||
                        mount --bind /run/.stage/network /lib/systemd/network
        fi
        for d in /etc/udev/rules.d /usr/local/lib/udev/rules.d /usr/lib/modules /lib/modules; do
                if [ -d "$d" ]; then mount -t tmpfs -o mode=0755 tmpfs "$d"; fi
        done

        # /dev: copies of the host's device nodes only
        mkdir -p /run/.stage/dev
        (cd /dev && find . -xdev \( -type b -o -type c \) -print0 | xargs -0 -r cp -a --parents -t /run/.stage/dev) 2> /dev/null || true
        mount -t tmpfs -o mode=0755,nosuid tmpfs /dev
        cp -a /run/.stage/dev/. /dev/
        rm -rf /run/.stage/dev

        # read-only sysfs and /proc/sys
        mount --rbind /sys /sys
        mount -o remount,bind,ro /sys
        mount --bind /proc/sys /proc/sys
        mount -o remount,bind,ro /proc/sys
        if touch /sys/.probe 2> /dev/null; then echo "ERROR: /sys is writable"; return 1; fi
}
