#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-devmaster-udevadm.sh: the real udevadm 252 against the running devmaster daemon.
#
# Everything happens in `unshare --mount --pid --fork --net` with private mounts: a tmpfs on
# /run (udevadm talks to /run/udev/control, reads /run/udev/data), a tmpfs /dev holding only the
# nodes made here, empty rules directories over the host's, and a small synthetic sysfs bound
# over /sys. Nothing of the host's /run, /dev or sysfs is written. In the private network
# namespace devmaster takes its uevents from a test socket (DEVMASTER_TEST_UEVENT_SOCKET,
# kernel-format datagrams sent with perl) instead of the kernel, and DEVMASTER_TEST_TRIGGER
# makes it echo writes to the synthetic uevent files as the kernel would, so `udevadm trigger`
# works end to end (see src/devmaster/udev-test-source.h).
#
# Checked with udevadm: control (--ping, --log-level, --stop-exec-queue/--start-exec-queue,
# --reload, --property, --children-max, --exit; SIGHUP), settle (success and timeout while the queue is
# stopped), monitor --udev --property with --subsystem-match and --tag-match, info -q all / -q
# path / --export-db / -a, trigger --settle (SYNTH_UUID passes through) and --action=add, wait;
# and the daemon's own work: database records and tags, links, node modes, /run/udev/queue,
# OPTIONS+="watch" (a change event after a watched node is closed after writing),
# OPTIONS+="static_node=", NAME= (renaming a bridge of the private network namespace), --daemon, READY=1 on $NOTIFY_SOCKET, socket activation of the
# control socket (systemd-socket-activate, when installed).
# udevadm: $UDEVADM, else test/unit/devmaster/get-udevadm.sh (downloaded once into
# $top_builddir/test/udev-252.cache). Exit: 0 pass, 1 failure, 77 skipped (not root, no
# unshare/perl/udevadm 252).
set -euo pipefail

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
. "$(dirname "$0")/lib/devmaster-ns.sh"

if [ "${1:-}" != --inner ]; then
        devns_require
        if [ -z "${UDEVADM:-}" ]; then
                UDEVADM=$(bash "$top_srcdir/test/unit/devmaster/get-udevadm.sh" \
                        "$top_builddir/test/udev-252.cache" 2> /dev/null) ||
                        devns_skip "udevadm is missing and the udev package could not be downloaded"
        fi
        version=$("$UDEVADM" --version 2> /dev/null || true)
        [ "${version%%[!0-9]*}" = 252 ] || devns_skip "$UDEVADM is not udev 252 (version '$version')"
        export UDEVADM
        devns_enter test-devmaster-udevadm 60
fi

# ---- inside the namespaces ---------------------------------------------------------------
check() { # check DESCRIPTION COMMAND...
        local what=$1; shift
        [ -z "${TRACE_TIME:-}" ] || date +%s.%N
        if "$@" > "$W/check.out" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/     /' "$W/check.out" | head -20; fi
}
udevadm() { "$UDEVADM" "$@"; }
wait_for() { # wait_for COMMAND...: up to 10 s until it succeeds
        for _ in $(seq 200); do "$@" > /dev/null 2>&1 && return 0; sleep 0.05; done
        return 1
}

# private /run and /dev, empty rules directories
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p /run/udev/rules.d
for d in /etc/udev/rules.d /usr/lib/udev/rules.d /lib/udev/rules.d /usr/local/lib/udev/rules.d; do
        [ -d "$d" ] && mount -t tmpfs tmpfs "$d"
done
mount -t tmpfs -o mode=0755,nosuid tmpfs /dev
mknod -m 0666 /dev/null c 1 3
mknod -m 0666 /dev/zero c 1 5
mknod -m 0600 /dev/full c 1 7
mknod -m 0600 /dev/static0 c 1 8

# ---- the synthetic sysfs -----------------------------------------------------------------
# uevent files start with 256 newlines: the trigger emulation's padding (udev-test-source.h)
S=$W/sys
mkdev() { # mkdev DEVPATH SUBSYSTEM "KEY=VALUE..." [TYPE MAJ:MIN]
        local devpath=$1 subsystem=$2 keys=$3 type=${4:-} devnum=${5:-}
        local dir=$S$devpath rel
        mkdir -p "$dir" "$S/class/$subsystem"
        { printf '\n%.0s' $(seq 256); for k in $keys; do echo "$k"; done; } > "$dir/uevent"
        rel=$(realpath --relative-to="$dir" "$S/class/$subsystem")
        ln -sfn "$rel" "$dir/subsystem"
        ln -sfn "$(realpath --relative-to="$S/class/$subsystem" "$dir")" "$S/class/$subsystem/$(basename "$devpath")"
        if [ -n "$devnum" ]; then
                echo "$devnum" > "$dir/dev"
                mkdir -p "$S/dev/$type"
                ln -sfn "$(realpath --relative-to="$S/dev/$type" "$dir")" "$S/dev/$type/$devnum"
        fi
}
mkdir -p "$S/bus" "$S/kernel" "$S/firmware"
mkdev /devices/virtual/mem/null mem "MAJOR=1 MINOR=3 DEVNAME=null DEVMODE=0666" char 1:3
mkdev /devices/virtual/mem/zero mem "MAJOR=1 MINOR=5 DEVNAME=zero DEVMODE=0666" char 1:5
mkdev /devices/virtual/mem/full mem "MAJOR=1 MINOR=7 DEVNAME=full DEVMODE=0666" char 1:7
mkdev /devices/virtual/block/fake0 block "MAJOR=250 MINOR=0 DEVNAME=fake0 DEVTYPE=disk" block 250:0
mkdev /devices/virtual/block/fake0/fake0p1 block "MAJOR=250 MINOR=1 DEVNAME=fake0p1 DEVTYPE=partition PARTN=1" block 250:1
echo 1 > "$S/devices/virtual/block/fake0/fake0p1/partition"
echo "Fake Disk" > "$S/devices/virtual/block/fake0/model"
mount --bind "$S" /sys
export SYSTEMD_DEVICE_VERIFY_SYSFS=0

# ---- rules -------------------------------------------------------------------------------
cat > /run/udev/rules.d/50-test.rules << 'EOF'
KERNEL=="null", SUBSYSTEM=="mem", MODE="0640", TAG+="systemd", SYMLINK+="my-null", ENV{FOO}="bar"
KERNEL=="zero", SYMLINK+="my-zero", TAG+="other"
KERNEL=="full", OPTIONS+="watch", ENV{WATCHED}="1"
ENV{FOO2}=="?*", SYMLINK+="foo2-%k"
SUBSYSTEM=="block", ENV{DEVTYPE}=="disk", SYMLINK+="disk/by-model/$attr{model}"
SUBSYSTEM=="block", ENV{DEVTYPE}=="partition", ATTRS{model}=="?*", SYMLINK+="disk/by-model/$attr{model}-part%n", OPTIONS+="db_persist"
KERNEL=="static-none", OPTIONS+="static_node=static0", MODE="0640", TAG+="static-tag"
EOF

# ---- the daemon --------------------------------------------------------------------------
SOCK=/run/devmaster-test.sock
export DEVMASTER_TEST_UEVENT_SOCKET=$SOCK DEVMASTER_TEST_TRIGGER=1
SYSTEMD_LOG_LEVEL=debug "$DEVMASTER" --children-max=4 --event-timeout=20 > "$W/devmaster.log" 2>&1 &
DM=$!
for _ in $(seq 100); do [ -S /run/udev/control ] && [ -S $SOCK ] && break; sleep 0.05; done
send() { # send ACTION DEVPATH [KEY=VALUE...]: a kernel uevent with the device's uevent keys
        # (no SEQNUM: the test source numbers it, one counter as in the kernel)
        local action=$1 devpath=$2; shift 2
        perl -MSocket -e 'socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!";
                send($s, join("", map { "$_\0" } @ARGV[1..$#ARGV]), 0, pack_sockaddr_un($ARGV[0]))
                        or die "send: $!"' "$SOCK" "$action@$devpath" "ACTION=$action" "DEVPATH=$devpath" \
                "SUBSYSTEM=$(basename "$(readlink "/sys$devpath/subsystem")")" "$@" \
                $(grep = "/sys$devpath/uevent")
}

check "control --ping" udevadm control --ping
check "the static node got its mode" test "$(stat -c %a /dev/static0)" = 640
check "the static node's tag is exported" \
        test "$(readlink /run/udev/static_node-tags/static-tag/static0)" = /dev/static0

# monitors (they need /run/udev/control to join group 2)
udevadm monitor --udev --property --subsystem-match=mem > "$W/mon-mem" 2>&1 &
MON1=$!
udevadm monitor --udev --tag-match=systemd > "$W/mon-tag" 2>&1 &
MON2=$!
udevadm monitor --udev --property > "$W/mon-all" 2>&1 &
MON3=$!
# "UDEV - ..." is printed once the monitor is bound to the group
for f in mon-mem mon-tag mon-all; do wait_for grep -q "^UDEV - " "$W/$f"; done

send add /devices/virtual/mem/null
send add /devices/virtual/block/fake0
send add /devices/virtual/block/fake0/fake0p1
send add /devices/virtual/mem/zero
check "settle after adds" udevadm settle --timeout=10
check "queue file gone after settle" test ! -e /run/udev/queue

check "database record of null" grep -qx "E:FOO=bar" /run/udev/data/c1:3
check "record has S:, G:, Q:, V:" sh -c 'grep -qx "S:my-null" /run/udev/data/c1:3 &&
        grep -qx "G:systemd" /run/udev/data/c1:3 && grep -qx "Q:systemd" /run/udev/data/c1:3 &&
        grep -qx "V:1" /run/udev/data/c1:3'
check "record keeps no kernel or bookkeeping keys" \
        sh -c '! grep -E "^E:(USEC_INITIALIZED|SEQNUM|ACTION|DEVPATH|SUBSYSTEM|MAJOR|DEVNAME)=" /run/udev/data/c1:3'
check "tag index" test -e /run/udev/tags/systemd/c1:3
check "devlink" test "$(readlink /dev/my-null)" = null
check "node mode from rules" test "$(stat -c %a /dev/null)" = 640
check "partition link and db_persist" sh -c 'test "$(readlink /dev/disk/by-model/Fake_Disk-part1)" = ../../fake0p1 &&
        test "$(stat -c %a /run/udev/data/b250:1)" = 1644'
check "info -q all -n /dev/null" sh -c "'$UDEVADM' info -q all -n /dev/null | tee /dev/stderr |
        grep -qx 'E: FOO=bar' && '$UDEVADM' info -q all -n /dev/null | grep -qx 'S: my-null' &&
        '$UDEVADM' info -q all -n /dev/null | grep -qx 'E: TAGS=:systemd:' &&
        '$UDEVADM' info -q all -n /dev/null | grep -qx 'E: CURRENT_TAGS=:systemd:'"
check "info -q path" test "$(udevadm info -q path -n /dev/my-null)" = /devices/virtual/mem/null
check "info --export-db" sh -c "'$UDEVADM' info --export-db | grep -qx 'P: /devices/virtual/block/fake0/fake0p1'"
check "info -a walks the synthetic sysfs" sh -c "'$UDEVADM' info -a /sys/devices/virtual/block/fake0 | grep -q 'ATTR{model}==\"Fake Disk\"'"
check "wait for an initialized device" udevadm wait --timeout=5 /sys/devices/virtual/mem/null

# stop/start the exec queue: events stay queued, settle times out, then everything runs
check "control --log-level --stop-exec-queue" udevadm control --log-level=debug --stop-exec-queue
send change /devices/virtual/mem/zero
check "queue file while an event waits" wait_for test -e /run/udev/queue
if udevadm settle --timeout=1 > /dev/null 2>&1; then fail "settle must time out while the queue is stopped"
else pass "settle times out while the queue is stopped"; fi
check "control --start-exec-queue" udevadm control --start-exec-queue
check "settle after start" udevadm settle --timeout=10
check "queue file gone" test ! -e /run/udev/queue

# global properties
check "control --property" udevadm control --property=FOO2=x
send change /devices/virtual/mem/zero
udevadm settle --timeout=10
check "the property reached the rules" test "$(readlink /dev/foo2-zero)" = zero
check "control --property unset" udevadm control --property=FOO2=
send change /devices/virtual/mem/zero
udevadm settle --timeout=10
check "unset property: link gone" test ! -e /dev/foo2-zero

# reload
echo 'KERNEL=="zero", SYMLINK+="reloaded-zero"' > /run/udev/rules.d/60-new.rules
check "control --reload" udevadm control --reload
send change /devices/virtual/mem/zero
udevadm settle --timeout=10
check "reloaded rules apply" test "$(readlink /dev/reloaded-zero)" = zero
# SIGHUP reloads as well
echo 'KERNEL=="zero", SYMLINK+="hup-zero"' > /run/udev/rules.d/61-hup.rules
kill -HUP $DM
udevadm control --ping # idle priority: answered after the signal was handled
send change /devices/virtual/mem/zero
udevadm settle --timeout=10
check "SIGHUP reloads the rules" test "$(readlink /dev/hup-zero)" = zero

# children max
check "control --children-max" udevadm control --children-max=1
for _ in 1 2 3; do send change /devices/virtual/mem/zero; send change /devices/virtual/mem/null; done
check "settle with one worker" udevadm settle --timeout=10
check "children_max taken" grep -q "setting children_max=1" "$W/devmaster.log"

# trigger: the write to the synthetic uevent file is echoed as a uevent with SYNTH_UUID
check "trigger --settle" timeout 20 "$UDEVADM" trigger --settle --action=change /sys/devices/virtual/mem/zero
check "SYNTH_UUID broadcast" wait_for grep -q '^SYNTH_UUID=[0-9a-f]\{8\}-' "$W/mon-all"
check "trigger --action=add --subsystem-match=block" timeout 20 "$UDEVADM" trigger --settle --action=add --subsystem-match=block
check "the triggered partition was broadcast" wait_for grep -q 'add.*/devices/virtual/block/fake0/fake0p1 (block)' "$W/mon-all"

# watch: closing a watched node after writing synthesizes "change"
send add /devices/virtual/mem/full
udevadm settle --timeout=10
check "watch recorded for full" test -L /run/udev/watch/c1:7
changes() { grep -c 'change.*/devices/virtual/mem/full' "$W/mon-all" || true; }
before=$(changes)
: > /dev/full 2> /dev/null || true
check "change after close-after-write on a watched node" wait_for sh -c "[ \$(grep -c 'change.*/devices/virtual/mem/full' '$W/mon-all') -gt $before ]"
udevadm settle --timeout=10

# NAME=: a network interface of the private network namespace (a bridge, down) is renamed
if command -v ip > /dev/null && ip link add br7 type bridge 2> /dev/null; then
        ifindex=$(ip -o link show br7 | cut -d: -f1)
        mkdev /devices/virtual/net/br7 net "INTERFACE=br7 IFINDEX=$ifindex"
        echo 'SUBSYSTEM=="net", KERNEL=="br7", NAME="renamed7"' > /run/udev/rules.d/40-net.rules
        udevadm control --reload
        send add /devices/virtual/net/br7
        udevadm settle --timeout=10
        check "NAME= renamed the interface" ip link show renamed7
        check "the renamed interface's record" grep -qx "E:ID_RENAMING=1" "/run/udev/data/n$ifindex"
else
        echo "skip NAME= rename (no ip or no bridge support)"
fi

# the monitors
sleep 0.3
kill $MON1 $MON2 $MON3 2> /dev/null || true
wait $MON1 $MON2 $MON3 2> /dev/null || true
check "monitor --udev --property sees our broadcast" sh -c "grep -q '^UDEV  \[.*\] add      /devices/virtual/mem/null (mem)' '$W/mon-mem' &&
        grep -qx 'FOO=bar' '$W/mon-mem' && grep -qx 'TAGS=:systemd:' '$W/mon-mem' &&
        grep -qx 'CURRENT_TAGS=:systemd:' '$W/mon-mem' && grep -qx 'DEVLINKS=/dev/my-null' '$W/mon-mem'"
check "--subsystem-match filters" sh -c "! grep -q '(block)' '$W/mon-mem'"
check "--tag-match filters" sh -c "grep -q 'add      /devices/virtual/mem/null (mem)' '$W/mon-tag' && ! grep -q 'zero' '$W/mon-tag'"

# exit
check "control --exit" udevadm control --exit
for _ in $(seq 100); do kill -0 $DM 2> /dev/null || break; sleep 0.05; done
if kill -0 $DM 2> /dev/null; then fail "devmaster still running after --exit"; kill $DM; else pass "devmaster exited"; fi
status=0
wait $DM 2> /dev/null || status=$?
check "devmaster exit status 0" test "$status" = 0
check "unclaimed link stacks cleaned up, claimed ones kept" \
        sh -c 'test ! -e /run/udev/links/foo2-zero && test -d /run/udev/links/my-null'
check "no sanitizer report in the daemon's log" \
        sh -c "! grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$W/devmaster.log'"

# --daemon: the parent returns once the sockets exist; READY=1 goes to $NOTIFY_SOCKET
rm -f /run/udev/control
perl -MSocket -e 'socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die; bind($s, pack_sockaddr_un($ARGV[0])) or die;
        my $r = ""; vec($r, fileno($s), 1) = 1; select($r, undef, undef, 10) or exit 1;
        recv($s, my $m, 4096, 0); print $m; exit 0' /run/notify.sock > "$W/notify" &
NOTIFY=$!
sleep 0.2
check "--daemon" env NOTIFY_SOCKET=/run/notify.sock "$DEVMASTER" --daemon
check "ping the detached daemon" udevadm control --ping --timeout=5
wait $NOTIFY 2> /dev/null || true
check "READY=1 sent" grep -qx "READY=1" "$W/notify"
check "exit the detached daemon" udevadm control --exit

# the kernel's netlink group instead of the test socket: it binds and answers (events from the
# host, if any arrive, only meet the synthetic sysfs, private /run and /dev, and our rules)
gone() { for _ in $(seq 100); do pgrep -x devmaster > /dev/null || return 0; sleep 0.05; done; return 1; }
check "the detached daemon is gone" gone
rm -f /run/udev/control
(unset DEVMASTER_TEST_UEVENT_SOCKET DEVMASTER_TEST_TRIGGER; exec "$DEVMASTER" > "$W/kernel-mode.log" 2>&1) &
KM=$!
for _ in $(seq 100); do [ -S /run/udev/control ] && break; sleep 0.05; done
check "kernel uevent mode: ping" udevadm control --ping --timeout=5
check "kernel uevent mode: exit" udevadm control --exit
wait $KM 2> /dev/null || true

# socket activation: the control socket passed as LISTEN_FDS
if command -v systemd-socket-activate > /dev/null; then
        gone
        rm -f /run/udev/control
        systemd-socket-activate --seqpacket -l /run/udev/control "$DEVMASTER" > "$W/activated.log" 2>&1 &
        ACT=$!
        for _ in $(seq 100); do [ -S /run/udev/control ] && break; sleep 0.05; done
        check "ping the socket-activated daemon" udevadm control --ping --timeout=5
        check "settle against the socket-activated daemon" udevadm settle --timeout=5
        check "exit the socket-activated daemon" udevadm control --exit
        wait $ACT 2> /dev/null || true
        check "the socket-activated daemon did not bind its own control socket" \
                sh -c "! grep -q 'Failed' '$W/activated.log'"
fi

echo "$fails failure(s)"
[ "$fails" = 0 ]
