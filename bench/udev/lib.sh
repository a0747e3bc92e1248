# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# bench/udev/lib.sh: what bench/udev/run.sh and bench/udev/syscalls.sh share. Source it with
# top_srcdir set; it defines:
#   udev_bench_prepare BUILDDIR NAME  sets and exports DEVMASTER (BUILDDIR/devmaster, checked),
#       UDEVADM and PKG (the udev 252 package, test/unit/devmaster/get-udevadm.sh), PYTHON and
#       W (/tmp/NAME.XXXXXX, removed at exit) holding a hwdb.bin built by the package's
#       systemd-hwdb and W/devices, the list of this machine's devices to replay
#   udev_bench_daemon KIND CHILDREN ROUNDS MEMROUNDS OUT [WRAPPER...]  inside the namespaces:
#       sets them up (test/integration/lib/devmaster-diff-ns.sh), starts KIND (udevd or
#       devmaster, "default" or a --children-max= value) under WRAPPER (e.g. strace), drives a
#       cold round, ROUNDS timed and MEMROUNDS sampled ones (drive.py, JSON into OUT), stops it

udev_bench_prepare() {
        local builddir=$1 name=$2
        DEVMASTER=$builddir/devmaster
        [ -x "$DEVMASTER" ] || { echo "bench/udev: $DEVMASTER is missing"; exit 1; }
        UDEVADM=$(bash "$top_srcdir/test/unit/devmaster/get-udevadm.sh" "$builddir/test/udev-252.cache")
        PKG=$(dirname "$(dirname "$UDEVADM")")
        PYTHON=$(python3 -c 'import sys; print(sys.executable)')
        W=$(mktemp -d "/tmp/$name.XXXXXX")
        trap 'rm -rf "$W"' EXIT
        mkdir -p "$W/hwdb/lib/udev"
        cp -a "$PKG/lib/udev/hwdb.d" "$W/hwdb/lib/udev/"
        "$PKG/bin/systemd-hwdb" update --root="$W/hwdb" --usr > /dev/null 2>&1
        "$PYTHON" "$top_srcdir/test/integration/lib/uevent-replay.py" list > "$W/devices"
        export DEVMASTER UDEVADM PKG PYTHON W
}

udev_bench_daemon() {
        local kind=$1 children=$2 rounds=$3 memrounds=$4 out=$5 mode pid sock=/run/devmaster-test.sock
        local args=()
        shift 5
        . "$top_srcdir/test/integration/lib/devmaster-diff-ns.sh"
        diff_ns_setup "$PKG" "$W/hwdb/lib/udev/hwdb.bin"
        [ "$children" = default ] || args=(--children-max="$children")
        if [ "$kind" = udevd ]; then
                "$@" bash -c 'exec -a systemd-udevd "$0" "$@"' "$UDEVADM" "${args[@]}" > "$out.log" 2>&1 &
                mode=netlink
        else
                DEVMASTER_TEST_UEVENT_SOCKET=$sock "$@" "$DEVMASTER" "${args[@]}" > "$out.log" 2>&1 &
                mode=unix
        fi
        pid=$!
        for _ in $(seq 400); do
                [ -S /run/udev/control ] && { [ "$kind" = udevd ] || [ -S $sock ]; } && break
                sleep 0.05
        done
        "$UDEVADM" control --ping --timeout=30
        "$PYTHON" "$top_srcdir/bench/udev/drive.py" $mode $sock "$W/devices" "$rounds" "$memrounds" "$pid" "$out"
        "$UDEVADM" control --exit || true
        wait "$pid" || true
}
