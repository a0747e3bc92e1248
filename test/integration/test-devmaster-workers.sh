#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-devmaster-workers.sh: how many workers devmaster forks (devmaster(8): children_max is
# a maximum, not a number to reach).
#
# In `unshare --mount --pid --fork --net` with a tmpfs /run, empty rules directories and a
# small synthetic sysfs bound over /sys (nothing of the host is written), devmaster runs with
# --children-max=40 and takes its uevents from its test socket (DEVMASTER_TEST_UEVENT_SOCKET).
#   1. 80 "add" events of independent devices sent in one burst, rules that run no program:
#      no more workers than CPUs are forked (+2 for a worker that a loaded machine stalls);
#      udevd forks one per waiting event up to children_max.
#   2. 8 events whose rule runs `sleep 2` (PROGRAM=): the workers waiting for a sleeping
#      program do not count, more are forked, the 8 programs run side by side: all done in
#      less than the 2 s x ceil(8 / CPUs) one worker per CPU would need, minus 1 s (checked
#      below 8 CPUs).
# Every event is processed (database record). The number of workers forked is read from the
# daemon's debug log ("Worker [PID] is forked"). Exit: 0 pass, 1 failure, 77 skipped (not
# root, no unshare/perl, 30 CPUs or more: the burst would fit in one worker per CPU).
set -euo pipefail

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
. "$(dirname "$0")/lib/devmaster-ns.sh"

if [ "${1:-}" != --inner ]; then
        devns_require
        [ "$(nproc)" -lt 30 ] || devns_skip "$(nproc) CPUs: the burst does not need more workers than CPUs"
        devns_enter test-devmaster-workers 40
fi

# ---- inside the namespaces ---------------------------------------------------------------

mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p /run/udev/rules.d
for d in /etc/udev/rules.d /usr/lib/udev/rules.d /lib/udev/rules.d /usr/local/lib/udev/rules.d; do
        [ -d "$d" ] && mount -t tmpfs tmpfs "$d"
done
mount -t tmpfs -o mode=0755,nosuid tmpfs /dev
mknod -m 0666 /dev/null c 1 3

# synthetic sysfs: quick0..quick79 and slow0..slow7, subsystem "misc", no device nodes
S=$W/sys
mkdir -p "$S/class/misc" "$S/bus" "$S/kernel" "$S/firmware"
for name in $(seq -f quick%g 0 79) $(seq -f slow%g 0 7); do
        dir=$S/devices/virtual/misc/$name
        mkdir -p "$dir"
        echo > "$dir/uevent"
        ln -s ../../../../class/misc "$dir/subsystem"
        ln -s "../../devices/virtual/misc/$name" "$S/class/misc/$name"
done
mount --bind "$S" /sys
export SYSTEMD_DEVICE_VERIFY_SYSFS=0

cat > /run/udev/rules.d/50-test.rules << 'EOF'
KERNEL=="slow*", PROGRAM="/bin/sleep 2"
SUBSYSTEM=="misc", ENV{TEST_DONE}="1"
EOF

SOCK=/run/devmaster-test.sock
SYSTEMD_LOG_LEVEL=debug DEVMASTER_TEST_UEVENT_SOCKET=$SOCK "$DEVMASTER" --children-max=40 \
        > "$W/devmaster.log" 2>&1 &
DM=$!
for _ in $(seq 200); do [ -S /run/udev/control ] && [ -S $SOCK ] && break; sleep 0.05; done
[ -S $SOCK ] || { echo "FAIL devmaster did not start"; exit 1; }

burst() { # burst NAME...: one "add" uevent per device, all in one go
        perl -MSocket -e 'socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!";
                my $sock = shift @ARGV;
                for my $n (@ARGV) {
                        my $p = "/devices/virtual/misc/$n";
                        send($s, "add\@$p\0ACTION=add\0DEVPATH=$p\0SUBSYSTEM=misc\0", 0,
                             pack_sockaddr_un($sock)) or die "send: $!";
                }' "$SOCK" "$@"
}
wait_done() { # wait_done TIMEOUT NAME...: until every device has its database record
        local deadline=$((SECONDS + $1)) n; shift
        for n in "$@"; do
                until grep -qx "E:TEST_DONE=1" "/run/udev/data/+misc:$n" 2> /dev/null; do
                        [ "$SECONDS" -lt "$deadline" ] || return 1
                        sleep 0.02
                done
        done
}
forked() { grep -c "Worker \[[0-9]*\] is forked" "$W/devmaster.log" || true; }

# 1. a burst of quick events
cpus=$(nproc)
burst $(seq -f quick%g 0 79)
if wait_done 60 $(seq -f quick%g 0 79); then pass "80 quick events processed"; else fail "80 quick events processed"; fi
n=$(forked)
if [ "$n" -ge 1 ] && [ "$n" -le $((cpus + 2)) ]; then
        pass "quick events: $n worker(s) forked for $cpus CPU(s) (children_max 40)"
else
        fail "quick events: $n workers forked for $cpus CPU(s), expected at most $((cpus + 2))"
fi

# 2. events whose programs sleep: more workers, run side by side
before=$n
start=$(date +%s%N)
burst $(seq -f slow%g 0 7)
if wait_done 60 $(seq -f slow%g 0 7); then pass "8 slow events processed"; else fail "8 slow events processed"; fi
ms=$((($(date +%s%N) - start) / 1000000))
n=$(forked)
limit=$((2000 * ((8 + cpus - 1) / cpus) - 1000))
if [ "$cpus" -ge 8 ]; then
        pass "8 programs sleeping 2 s: ${ms} ms, $((n - before)) more worker(s) (not timed with $cpus CPUs)"
elif [ "$ms" -lt "$limit" ]; then
        pass "8 programs sleeping 2 s ran side by side: ${ms} ms < ${limit} ms, $((n - before)) more worker(s)"
else
        fail "8 programs sleeping 2 s took ${ms} ms ($((n - before)) more workers), expected < ${limit} ms"
fi
if [ $((n - before)) -le 8 ]; then pass "at most one worker forked per slow event ($((n - before)))"
else fail "$((n - before)) workers forked for 8 slow events"; fi

kill "$DM" 2> /dev/null || true
wait "$DM" 2> /dev/null || true
echo "$fails failure(s)"
[ "$fails" = 0 ]
