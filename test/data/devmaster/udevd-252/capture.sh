#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# capture.sh UDEVADM OUTDIR: how the fixtures beside this script were made. As root, it starts
# the real systemd-udevd 252 (UDEVADM invoked as "systemd-udevd") in a private mount namespace
# with a tmpfs on /run and a copied /dev (spec/udev.md section 8, so the host's /run and /dev
# are never touched), with capture.rules as its only extra rules; triggers change events for
# mem/null, net/lo, block/loop1 and mem/zero; and keeps what it produced:
#   libudev-msg-N   the group-2 broadcasts (libudev format), in that order
#   db-*            /run/udev/data/* (':' in ids replaced by '-')
#   info-null.txt   `udevadm info --query=all` of /dev/null with that record
# kernel-uevent-N were read from a group-1 socket while writing "change" (and once
# "add <uuid> A=1 B=2") to uevent files of mem/null, mem/zero, net/lo, block/loop0, tty/tty0.
set -euo pipefail
udevadm=$(readlink -f "$1")
out=$(readlink -f "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$udevadm" "$work/systemd-udevd"
cat > "$work/listen.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 15)  # NETLINK_KOBJECT_UEVENT
s.bind((0, 2))
s.settimeout(10)
open(sys.argv[2] + "/listening", "w").close()
n = 0
while n < int(sys.argv[1]):
    d = s.recv(65536)
    if d.startswith(b"libudev\0"):
        open(f"{sys.argv[2]}/libudev-msg-{n}", "wb").write(d)
        n += 1
PY
mkdir -p "$out"
unshare --mount --propagation private bash -euc '
        udevadm=$1 out=$2 here=$3 work=$4
        mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
        mkdir -p /run/udev/rules.d /run/.devcopy
        cp "$here/capture.rules" /run/udev/rules.d/99-devmaster-capture.rules
        cp -a /dev/. /run/.devcopy/ 2>/dev/null || true
        mount -t tmpfs -o mode=0755,nosuid tmpfs /dev
        cp -a /run/.devcopy/. /dev/ 2>/dev/null || true
        rm -rf /run/.devcopy
        "$work/systemd-udevd" --daemon
        "$udevadm" control --ping
        python3 "$work/listen.py" 4 "$out" & lp=$!
        while [ ! -e "$out/listening" ]; do sleep 0.1; done
        for d in mem/null net/lo block/loop1 mem/zero; do
                "$udevadm" trigger --settle --action=change "/sys/class/$d"
        done
        wait $lp
        rm -f "$out/listening"
        for f in /run/udev/data/*; do cp "$f" "$out/db-$(basename "$f" | tr : -)"; done
        "$udevadm" info --query=all --path=/sys/class/mem/null > "$out/info-null.txt"
        "$udevadm" control --exit
' capture "$udevadm" "$out" "$here" "$work"
