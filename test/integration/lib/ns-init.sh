#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ns-init.sh: PID 1 of the private namespace created by ns-boot.sh.
#
# Isolates the namespace (private /dev, /run, /tmp and cgroup2, read-only /proc/sys,
# every host mount read-only for this mount namespace only), optionally hides the
# host's unit directories behind tmpfs, runs the setup hook, then exec()s the manager
# so that it becomes PID 1.  Never run it outside a fresh pid+mount namespace.
#
# Environment (set by ns-boot.sh):
#   NSB_OUT          host output directory, bind-mounted read-write at /run/ns-out
#   NSB_TREE         "controlled": tmpfs over the unit directories; "host": keep the
#                    host's directories (read-only, like every other host mount)
#   NSB_MANAGER      manager command line (word-split)
#   NSB_MANAGER_ENV  extra NAME=VALUE words for the manager's environment
#   NSB_SETUP        setup hook, a bash script below /run/ns-out (may be empty)
#   NSB_CLIENT_ENV   NAME=VALUE words given to the hook (and to the run script)
set -eu
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

die() {
        echo "ns-init: $*" >&2
        exit 1
}
[ "$$" = 1 ] || die "must run as PID 1 of a new pid namespace"
: "${NSB_OUT:?}" "${NSB_TREE:?}" "${NSB_MANAGER:?}"

NS_OUT=/run/ns-out
# Every directory of the default unit search path that may hold host units.
UNIT_DIRS="/etc/systemd/system.control /etc/systemd/system /etc/systemd/system.attached
        /run/systemd/system /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system"

# All mount changes below stay in this mount namespace.  Until the private /run is in
# place, mount(8) must not record anything (-n): libmount would create /run/mount on the
# host.
mount -n --make-rprivate /

# Private /run; keep our pty (script(1)) reachable before /dev is replaced.
mount -n -t tmpfs -o mode=0755,nosuid,nodev,size=64m tmpfs /run
console_src=
if tty -s; then
        touch /run/.console
        mount --bind "$(tty)" /run/.console
        console_src=/run/.console
fi

# Private /dev with the usual nodes, a devpts instance and a console.
umount -l /dev
mount -t tmpfs -o mode=0755,nosuid,size=4m tmpfs /dev
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/zero c 1 5
mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/random c 1 8
mknod -m 666 /dev/urandom c 1 9
mknod -m 666 /dev/tty c 5 0
mkdir -m 755 /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
touch /dev/console
if [ -n "$console_src" ]; then
        mount --bind "$console_src" /dev/console
        umount "$console_src"
        rm -f "$console_src"
else
        mount --bind /dev/null /dev/console
fi

# systemd writes global sysctls even in a container: keep them read-only.
for p in /proc/sys /proc/sysrq-trigger; do
        [ -e "$p" ] || continue
        mount --bind "$p" "$p"
        mount -o remount,bind,ro "$p"
done

# Read-only /sys and a cgroup2 of our own cgroup namespace.
if mountpoint -q /sys/fs/cgroup; then
        umount -R /sys/fs/cgroup
fi
mount -o remount,bind,ro /sys
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup

# The output directory (may live below the host's /tmp, so bind it before /tmp is hidden).
mkdir -p "$NS_OUT"
mount --bind "$NSB_OUT" "$NS_OUT"

# Controlled unit tree: a tmpfs over each distinct unit directory (on merged-/usr
# /lib/systemd/system and /usr/lib/systemd/system are one directory).
controlled=
if [ "$NSB_TREE" = controlled ]; then
        for d in $UNIT_DIRS; do
                case "$d" in
                /run/*)
                        mkdir -p "$d"
                        continue
                        ;;
                esac
                [ -d "$d" ] || continue
                real=$(realpath "$d")
                case " $controlled " in *" $real "*) continue ;; esac
                mount -t tmpfs -o mode=0755 tmpfs "$real"
                controlled="$controlled $real"
        done
fi

# Every other host mount read-only, per mount point (remount,bind,ro never touches the
# superblock, so the host keeps its own flags).  Mounts that are read-only already are
# left alone.
findmnt -rn -o TARGET,OPTIONS | while read -r t opts; do
        t=$(printf '%b' "$t")
        case "$t" in
        /proc | /proc/* | /sys | /sys/* | /dev | /dev/* | /run | /run/*) continue ;;
        esac
        case " $controlled " in *" $t "*) continue ;; esac
        case ",$opts," in *,ro,*) continue ;; esac
        mount -o remount,bind,ro "$t" 2> /dev/null || echo "ns-init: warning: could not make $t read-only" >&2
done

# Private /tmp.
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp

# Empty generator directories: no generators run.
mkdir -p /run/ns-empty/generators /run/ns-empty/env-generators

# A neutral default target; the setup hook may replace it.
mkdir -p /run/systemd/system
cat > /run/systemd/system/sysmaster-hold.target << 'EOF'
[Unit]
Description=sysmaster test hold target
DefaultDependencies=no
EOF

findmnt -o TARGET,FSTYPE,OPTIONS > "$NS_OUT/ns-mounts.txt" 2>&1 || true

if [ -n "${NSB_SETUP:-}" ]; then
        # shellcheck disable=SC2086
        env -i PATH=$PATH LC_ALL=C NS_OUT=$NS_OUT NS_TREE=$NSB_TREE ${NSB_CLIENT_ENV:-} \
                /bin/bash "$NSB_SETUP" || die "setup hook $NSB_SETUP failed"
fi

# Become the manager.
# shellcheck disable=SC2086
set -- env -i container=other TERM=vt220 PATH=$PATH \
        SYSTEMD_GENERATOR_PATH=/run/ns-empty/generators \
        SYSTEMD_ENVIRONMENT_GENERATOR_PATH=/run/ns-empty/env-generators \
        ${NSB_MANAGER_ENV:-} $NSB_MANAGER
date +%s.%N > "$NS_OUT/t-exec"
exec "$@"
