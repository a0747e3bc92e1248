#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/install-deps.sh: installs, as root on Debian 12, every package that building sysmaster
# and running all of its tests needs. This list is the only one: the README and .ci/run use it.
# Does nothing (and needs no network) when everything is installed already.
set -euo pipefail

packages=(
        # build
        autoconf automake pkg-config make gcc libc6-dev
        # sysmaster-init, PID 1, is linked statically against musl (configure.ac: its RSS)
        musl-tools
        # the manager is linked by lld with its functions in the order a manager runs them
        # (configure.ac, src/core/sysmaster.order: its file-backed RSS)
        lld
        check libexpat1-dev libselinux1-dev
        # clang builds, sanitizers and libFuzzer (test/fuzz/run-fuzzers.sh)
        clang libclang-rt-14-dev
        # tests: systemd 252's tools as oracles and its test data, the bus, namespaces
        python3 python3-dbus systemd systemd-tests dbus dbus-tests util-linux iproute2
        # tests: killing a process at a given system call (test-spawn-server.sh)
        strace
        # D-Bus clients nobody here wrote: gdbus, and GDBus services written in Python
        libglib2.0-bin python3-gi gir1.2-glib-2.0
        # bench/: sd-bus as the reference for the wire-format benchmark
        libsystemd-dev
        # devmaster: module loading and block-device probing (builtins kmod and blkid)
        libkmod-dev libblkid-dev
        # the manager's state store (crash recovery)
        liblmdb-dev
        # SystemCallFilter= and the other seccomp settings of units
        libseccomp-dev
)

missing=()
for p in "${packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
                missing+=("$p")
        fi
done

if [ ${#missing[@]} -eq 0 ]; then
        echo "install-deps: all ${#packages[@]} packages are installed"
        exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: run as root to install: ${missing[*]}" >&2
        exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
