#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-udev-builtins.sh: devmaster's udev builtins against udev 252's, which is the judge.
#
# For every check, `udevadm test-builtin [--action=A] COMMAND SYSPATH` and
# `devmaster-test-builtin [--action=A] COMMAND SYSPATH` must print the same KEY=VALUE lines in
# the same order and agree on success. Everything runs in a private mount namespace: hwdb.bin
# is provided on a tmpfs over /usr/lib/udev, and the synthetic devices are a directory
# bind-mounted over /sys. Nothing on the machine is written; only read-only builtins run under
# udevadm (never kmod, keyboard, btrfs; net_setup_link only with --action=change, which does
# not apply link settings).
#
#   hwdb.bin: systemd-hwdb update and devmaster-hwdb update on the udev package's hwdb.d and on
#             a small set of tricky sources must write identical bytes;
#   real devices: net_id, net_setup_link, path_id on every network interface; path_id on every
#             device of /sys/class; input_id on every input device; usb_id on every USB
#             device; hwdb lookups of every modalias string of the machine and hwdb walks from
#             every device with a modalias; uaccess on /dev/null;
#   synthetic sysfs (test/integration/lib/udev-builtins-sysfs.py): input_id, usb_id, net_id,
#             path_id and hwdb on the device kinds this machine lacks;
#   blkid: devmaster's blkid on ext4/swap image files (no loop device) against
#             `blkid -p -o udev` (libblkid's own udev export).
#
# udevadm: $UDEVADM, else test/unit/devmaster/get-udevadm.sh (downloads Debian's udev package
# once into $UDEV_DEB_CACHE, default $top_builddir/test/udev-252.cache).
# Exit: 0 same, 1 differences, 77 skipped (not root, no unshare, no udev 252), 99 error.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
OURS=${DEVMASTER_TEST_BUILTIN:-$top_builddir/devmaster-test-builtin}
OUR_HWDB=${DEVMASTER_HWDB:-$top_builddir/devmaster-hwdb}
CACHE=${UDEV_DEB_CACHE:-$top_builddir/test/udev-252.cache}
SYSFS_GEN=$top_srcdir/test/integration/lib/udev-builtins-sysfs.py

skip() { echo "SKIP: $*"; exit 77; }

if [ "${1:-}" != --inner ]; then
        [ "$(id -u)" = 0 ] || skip "not root"
        command -v unshare > /dev/null || skip "no unshare"
        [ -x "$OURS" ] && [ -x "$OUR_HWDB" ] || { echo "ERROR: build devmaster-test-builtin and devmaster-hwdb"; exit 99; }
        if [ -z "${UDEVADM:-}" ]; then
                UDEVADM=$(bash "$top_srcdir/test/unit/devmaster/get-udevadm.sh" "$CACHE" 2> /dev/null) ||
                        skip "udevadm is missing and the udev package could not be downloaded"
        fi
        version=$("$UDEVADM" --version 2> /dev/null || true)
        [ "${version%%[!0-9]*}" = 252 ] || skip "$UDEVADM is not udev 252 (version '$version')"
        export UDEVADM OURS OUR_HWDB top_srcdir top_builddir
        exec unshare -m --propagation private "$0" --inner
fi

W=$(mktemp -d /tmp/test-udev-builtins.XXXXXX) || exit 99
trap 'umount -l /sys 2>/dev/null; rm -rf "$W"' EXIT
export SYSTEMD_LOG_LEVEL=err
failed=0
declare -A same diff

# check NAME ACTION COMMAND SYSPATH: one comparison, counted under NAME.
check() {
        local name=$1 action=$2 cmd=$3 path=$4 a b ra rb pid
        # both at once: the two cores halve the wall time
        "$UDEVADM" test-builtin --action="$action" "$cmd" "$path" > "$W/a" 2> /dev/null &
        pid=$!
        "$OURS" --action="$action" "$cmd" "$path" > "$W/b" 2> /dev/null
        rb=$?
        wait $pid
        ra=$?
        a=$(cat "$W/a")
        b=$(cat "$W/b")
        [ "$ra" = 0 ] || ra=1
        if [ "$a" = "$b" ] && [ "$ra" = "$rb" ]; then
                same[$name]=$((${same[$name]:-0} + 1))
                return
        fi
        diff[$name]=$((${diff[$name]:-0} + 1))
        failed=1
        if [ "${diff[$name]}" -le 5 ]; then
                echo "DIFF $name: $cmd $path (udevadm exit $ra, devmaster exit $rb)"
                diff <(echo "$a") <(echo "$b") | sed 's/^/    /' | head -20
        fi
}

# --- hwdb.bin ------------------------------------------------------------------------------
bindir=$(dirname "$UDEVADM")
SYSTEMD_HWDB=$bindir/systemd-hwdb
hwdb_src=
for d in "$(dirname "$bindir")/lib/udev/hwdb.d" /usr/lib/udev/hwdb.d; do
        if [ -f "$d/20-pci-vendor-model.hwdb" ]; then hwdb_src=$d; break; fi
done
compile_both() { # ROOT: both tools on the same root path; 0 if the bytes are equal
        local r=$1
        rm -f "$r/etc/udev/hwdb.bin"
        "$SYSTEMD_HWDB" update --root="$r" 2> "$W/hwdb-ref.err" || return 1
        mv "$r/etc/udev/hwdb.bin" "$W/ref.bin"
        "$OUR_HWDB" update --root="$r" 2> "$W/hwdb-our.err" || return 1
        cmp -s "$r/etc/udev/hwdb.bin" "$W/ref.bin"
}
if [ -x "$SYSTEMD_HWDB" ]; then
        # tricky sources: overrides by name, masks, globs, repeated keys, comments, bad records
        r=$W/hwroot-small
        mkdir -p "$r/etc/udev/hwdb.d" "$r/lib/udev/hwdb.d"
        printf 'a:*\n KEY=lib\n' > "$r/lib/udev/hwdb.d/10-over.hwdb"
        printf 'a:*\n KEY=etc # comment\n  SPACES = x\n\nb:1\nb:2\n K=v\n K=w\n' > "$r/etc/udev/hwdb.d/10-over.hwdb"
        printf 'a:x*y\n KEY=glob\n OTHER=1\n\na:x?y\na:[xz]*\n SET=1\n\n' > "$r/lib/udev/hwdb.d/20-glob.hwdb"
        printf ' INDENTED=1\nnoprop\n\nm:1\n NOEQUALS\n =empty\nnext:1\n\nm:2\n K=v\n' > "$r/lib/udev/hwdb.d/30-bad.hwdb"
        printf 'pci:v00008086*\n ID_VENDOR_FROM_DATABASE=Intel override\n' > "$r/etc/udev/hwdb.d/99-local.hwdb"
        : > "$r/lib/udev/hwdb.d/.hidden.hwdb"
        if compile_both "$r"; then same[hwdb-bytes]=1; else diff[hwdb-bytes]=1; failed=1; echo "DIFF hwdb.bin of the small sources"; fi
fi
if [ -n "$hwdb_src" ]; then
        r=$W/hwroot
        mkdir -p "$r/lib/udev"
        cp -r "$hwdb_src" "$r/lib/udev/hwdb.d"
        if [ -x "$SYSTEMD_HWDB" ]; then
                if compile_both "$r"; then
                        same[hwdb-bytes]=$((${same[hwdb-bytes]:-0} + 1))
                else
                        diff[hwdb-bytes]=$((${diff[hwdb-bytes]:-0} + 1))
                        failed=1
                        echo "DIFF hwdb.bin of $hwdb_src"
                fi
        else
                "$OUR_HWDB" update --root="$r" && mv "$r/etc/udev/hwdb.bin" "$W/ref.bin"
        fi
        if [ -d /usr/lib/udev ] && [ -f "$W/ref.bin" ]; then
                mount -t tmpfs tmpfs /usr/lib/udev && cp "$W/ref.bin" /usr/lib/udev/hwdb.bin
        fi
else
        echo "NOTE: no hwdb.d sources found, hwdb lookups find nothing"
fi
[ -d /run/systemd/seats ] && mount -t tmpfs tmpfs /run/systemd # uaccess: no logind here

# --- real devices --------------------------------------------------------------------------
null=/sys/devices/virtual/mem/null
for n in /sys/class/net/*; do
        p=$(readlink -f "$n")
        check net_id add net_id "$p"
        check net_setup_link change net_setup_link "$p"
        check path_id add path_id "$p"
done
for cls in /sys/class/*; do # the first two devices of each class
        n=0
        for c in "$cls"/*; do
                [ -e "$c/uevent" ] || continue
                check path_id add path_id "$(readlink -f "$c")"
                n=$((n + 1))
                [ $n -lt 2 ] || break
        done
done
for c in /sys/class/input/*; do
        [ -e "$c/uevent" ] && check input_id add input_id "$(readlink -f "$c")"
done
for c in /sys/bus/usb/devices/*; do
        [ -e "$c/uevent" ] && check usb_id add usb_id "$(readlink -f "$c")"
done
find /sys/devices -name modalias -type f 2> /dev/null | while read -r f; do cat "$f" 2> /dev/null; done | sort -u > "$W/modaliases"
while read -r m; do
        [ -n "$m" ] && check hwdb-lookup add "hwdb '$m'" "$null"
done < "$W/modaliases"
for m in "usb:v1D6Bp0002*" "OUI:3C5282010203" "evdev:input:b0003v046DpC31Ce0111" "dmi:bvnSeaBIOS:"; do
        check hwdb-lookup add "hwdb '$m'" "$null"
        check hwdb-lookup add "hwdb --filter=ID_VENDOR* --lookup-prefix=x '$m'" "$null"
done
find /sys/devices -name modalias -type f 2> /dev/null | while read -r f; do dirname "$f"; done > "$W/moddevs"
while read -r d; do
        check hwdb-walk add hwdb "$d"
        case $d in */pci0000:*) check hwdb-walk add "hwdb --subsystem=pci --filter=ID_MODEL*" "$d" ;; esac
done < "$W/moddevs"
check uaccess add uaccess "$null"

# --- .link files, on throw-away interfaces in a private network namespace ----------------
# (udevadm applies the settings on "add"; there they only touch the namespace's interfaces)
link_src=
for d in "$(dirname "$bindir")/lib/systemd/network" /usr/lib/systemd/network; do
        if [ -f "$d/99-default.link" ]; then link_src=$d; break; fi
done
if command -v ip > /dev/null && [ -d /usr/lib/systemd/network ]; then
        mount -t tmpfs tmpfs /usr/lib/systemd/network
        [ -n "$link_src" ] && cp "$link_src"/*.link /usr/lib/systemd/network/
        printf '[Match]\nKind=ifb\n[Link]\nNamePolicy=mac path\nName=ifbrenamed\n' > /usr/lib/systemd/network/10-ifb.link
        printf '[Match]\nOriginalName=vth*\nProperty=INTERFACE=vth1\n[Link]\nName=vethone\n' > /usr/lib/systemd/network/20-veth.link
        printf '[Match]\nOriginalName=nomatch\n' > /usr/lib/systemd/network/30-nomatch.link
        printf '[Match]\nDriver=!veth\nType=bridge\nOriginalName=br1\n[Link]\nName=br1new\n' > /usr/lib/systemd/network/05-driver.link
        : > /usr/lib/systemd/network/15-empty.link
        mkdir -p /usr/lib/systemd/network/20-veth.link.d
        printf '[Link]\nName=vethdropin\n' > /usr/lib/systemd/network/20-veth.link.d/override.conf
        export -f check
        export W UDEVADM OURS
        declare -p same diff > "$W/counts"
        unshare -n -m --propagation private bash -c '
                . "$W/counts"
                failed=0
                mount -t sysfs sysfs /sys || exit 99
                ip link add if0 type ifb && ip link add br1 type bridge &&
                        ip link add vth0 type veth peer name vth1 || exit 99
                for i in lo if0 br1 vth0 vth1; do
                        check net_setup_link add net_setup_link "$(readlink -f /sys/class/net/$i)"
                        check net_setup_link change net_setup_link "$(readlink -f /sys/class/net/$i)"
                        check net_id add net_id "$(readlink -f /sys/class/net/$i)"
                done
                declare -p same diff > "$W/counts"
                exit $failed' || failed=1
        . "$W/counts"
        umount /usr/lib/systemd/network
fi

# --- blkid on image files (no loop device) -------------------------------------------------
blkid_check() { # IMAGE
        local a b
        # (udev drops BLOCK_SIZE, which libblkid's own export shows)
        a=$(blkid -p -o udev "$1" 2> /dev/null | grep -v '^ID_FS_BLOCK_SIZE=' | sort)
        b=$("$OURS" --blkid-image="$1" blkid "$null" 2> /dev/null | sort)
        if [ -n "$a" ] && [ "$a" = "$b" ]; then
                same[blkid]=$((${same[blkid]:-0} + 1))
        else
                diff[blkid]=$((${diff[blkid]:-0} + 1))
                failed=1
                echo "DIFF blkid $1"
                diff <(echo "$a") <(echo "$b") | sed 's/^/    /' | head -20
        fi
}
if command -v blkid > /dev/null; then
        if command -v mkfs.ext4 > /dev/null; then
                truncate -s 8M "$W/ext4.img"
                mkfs.ext4 -q -F -L "test label" -U 5e8f1d4c-1a2b-4c3d-9e8f-0123456789ab "$W/ext4.img" > /dev/null 2>&1 &&
                        blkid_check "$W/ext4.img"
        fi
        if command -v mkswap > /dev/null; then
                truncate -s 4M "$W/swap.img"
                mkswap -L "swäp" -U 11111111-2222-3333-4444-555555555555 "$W/swap.img" > /dev/null 2>&1 &&
                        blkid_check "$W/swap.img"
        fi
        if command -v sfdisk > /dev/null; then
                truncate -s 8M "$W/gpt.img"
                printf 'label: gpt\nlabel-id: 01234567-89AB-CDEF-0123-456789ABCDEF\nsize=2M, name="part one"\n' |
                        sfdisk -q "$W/gpt.img" > /dev/null 2>&1 && blkid_check "$W/gpt.img"
        fi
fi

# --- synthetic devices ---------------------------------------------------------------------
if command -v python3 > /dev/null; then
        python3 "$SYSFS_GEN" "$W/sys" > "$W/checks" || { echo "ERROR: $SYSFS_GEN failed"; exit 99; }
        mount --bind "$W/sys" /sys || { echo "ERROR: cannot bind-mount the synthetic sysfs"; exit 99; }
        export SYSTEMD_DEVICE_VERIFY_SYSFS=0
        while read -r b p; do
                check "$b(synthetic)" add "$b" "$p"
        done < "$W/checks"
        umount /sys
else
        echo "NOTE: no python3, synthetic devices skipped"
fi

for k in $(printf '%s\n' "${!same[@]}" "${!diff[@]}" | sort -u); do
        printf '%-24s %4d same, %d different\n' "$k:" "${same[$k]:-0}" "${diff[$k]:-0}"
done
exit $failed
