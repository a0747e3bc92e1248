#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# get-udevadm.sh CACHE_DIR: prints the path of a udevadm of the same version as the installed
# systemd, for the devmaster tests that compare with the real udev 252. Uses `udevadm` from
# PATH if there is one; otherwise downloads Debian's udev package once into CACHE_DIR with
# `apt-get download` and unpacks it there (nothing is installed on the host). Exits non-zero,
# printing nothing, when neither works (the tests then skip their comparison).
set -euo pipefail
if command -v udevadm >/dev/null 2>&1; then
        command -v udevadm
        exit 0
fi
cache=$1
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -x "$cache/root/bin/udevadm" ]; then
        version=$(dpkg-query -W -f='${Version}' systemd 2>/dev/null)
        tmp=$(mktemp -d "$cache/dl.XXXXXX")
        trap 'rm -rf "$tmp"' EXIT
        (cd "$tmp" && timeout 120 apt-get download -q "udev=$version") >/dev/null 2>&1
        dpkg-deb -x "$tmp"/udev_*.deb "$tmp/root"
        rm -rf "$cache/root"
        mv "$tmp/root" "$cache/root"
fi
"$cache/root/bin/udevadm" --version >/dev/null
echo "$cache/root/bin/udevadm"
