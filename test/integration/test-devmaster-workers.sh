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
#   3. Pipelining (devmaster(8)): a busy worker may be sent its next event. Dependent events
#      (the same device; a parent and its child) interleaved with independent ones still run
#      one at a time in seqnum order: their RUN programs' begin/end lines never overlap.
#   4. An event sent to a worker that then blocks (IMPORT{file} of a FIFO nobody writes) is
#      taken back and runs elsewhere: every other event is done while that one is blocked.
#   5. --children-max=1: the one worker is sent an event while it is blocked, then killed
#      (SIGKILL): the blocked event fails, the one waiting behind it is not lost, nor is any
#      other; a new worker runs them.
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

# synthetic sysfs: quick0..quick79, slow0..slow7, chain0..chain3, pipe0..pipe39, tree0 with its
# child tree0/sub, stuck0 and stuck1, subsystem "misc", no device nodes
S=$W/sys
mkdir -p "$S/class/misc" "$S/bus" "$S/kernel" "$S/firmware"
for name in $(seq -f quick%g 0 79) $(seq -f slow%g 0 7) $(seq -f chain%g 0 3) $(seq -f pipe%g 0 39) \
            tree0 tree0/sub stuck0 stuck1; do
        dir=$S/devices/virtual/misc/$name
        mkdir -p "$dir"
        echo > "$dir/uevent"
        ln -s "$(realpath --relative-to="$dir" "$S/class/misc")" "$dir/subsystem"
        ln -s "../../devices/virtual/misc/$name" "$S/class/misc/${name##*/}"
done
mount --bind "$S" /sys
export SYSTEMD_DEVICE_VERIFY_SYSFS=0
mkfifo /run/block.fifo

# ORDER: the file the RUN program writes its begin/end lines to (3.); the parent and the child
# share one. stuck*: blocks on the FIFO until the test writes to it (4., 5.).
cat > /run/udev/rules.d/50-test.rules << 'EOF'
KERNEL=="slow*", PROGRAM="/bin/sleep 2"
KERNEL=="stuck*", IMPORT{file}="/run/block.fifo"
KERNEL=="chain*", ENV{ORDER}="%k"
KERNEL=="tree0|sub", ENV{ORDER}="tree"
ENV{ORDER}=="?*", RUN+="/bin/sh -c 'echo begin $env{SEQNUM} >> /run/order-$env{ORDER}; sleep 0.01; echo end $env{SEQNUM} >> /run/order-$env{ORDER}'"
SUBSYSTEM=="misc", ENV{TEST_DONE}="1"
EOF

SOCK=/run/devmaster-test.sock
# the test socket holds a whole burst sent while the daemon is stopped (3., 5.), as the kernel's
# uevent socket would; a datagram socket queues 10 by default (this network namespace only)
echo 512 > /proc/sys/net/unix/max_dgram_qlen
start_devmaster() { # start_devmaster CHILDREN_MAX: a new daemon logging to $W/devmaster.log
        SYSTEMD_LOG_LEVEL=debug DEVMASTER_TEST_UEVENT_SOCKET=$SOCK "$DEVMASTER" --children-max="$1" \
                > "$W/devmaster.log" 2>&1 &
        DM=$!
        for _ in $(seq 200); do [ -S /run/udev/control ] && [ -S $SOCK ] && break; sleep 0.05; done
        [ -S $SOCK ] || { echo "FAIL devmaster did not start"; exit 1; }
}
start_devmaster 40

send_events() { # send_events ACTION:NAME...: one uevent each, all in one go
        perl -MSocket -e 'socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!";
                my $sock = shift @ARGV;
                for (@ARGV) {
                        my ($a, $n) = split /:/;
                        my $p = "/devices/virtual/misc/$n";
                        send($s, "$a\@$p\0ACTION=$a\0DEVPATH=$p\0SUBSYSTEM=misc\0", 0,
                             pack_sockaddr_un($sock)) or die "send: $!";
                }' "$SOCK" "$@"
}
burst() { # burst NAME...: one "add" uevent per device, all in one go
        local n a=()
        for n in "$@"; do a+=("add:$n"); done
        send_events "${a[@]}"
}
wait_done() { # wait_done TIMEOUT NAME...: until every device has its database record
        local deadline=$((SECONDS + $1)) n; shift
        for n in "$@"; do
                until grep -qx "E:TEST_DONE=1" "/run/udev/data/+misc:${n##*/}" 2> /dev/null; do
                        [ "$SECONDS" -lt "$deadline" ] || return 1
                        sleep 0.02
                done
        done
}
# release_fifo: a worker blocked on /run/block.fifo reads STUCK=released; 1 when none waits
release_fifo() {
        perl -MFcntl -e 'sysopen(my $f, "/run/block.fifo", O_WRONLY | O_NONBLOCK) or exit 1;
                syswrite($f, "STUCK=released\n")'
}
forked() { grep -c "Worker \[[0-9]*\] is forked" "$W/devmaster.log" || true; }
pipelined() { grep -c "is sent SEQNUM=[0-9]* while busy" "$W/devmaster.log" || true; }
# ordered FILE COUNT: COUNT begin/end pairs, none overlapping, in increasing seqnum order
ordered() {
        awk -v want="$2" '
                $1 == "begin" { if (open != "" || $2 + 0 <= last) bad = 1; open = $2; n++ }
                $1 == "end" { if ($2 != open) bad = 1; last = open; open = "" }
                END { exit (bad || open != "" || n != want) }' "$1"
}

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

# 3. dependent events interleaved with independent ones, with pipelining
events=()
for r in $(seq 0 9); do
        action=change
        [ "$r" = 0 ] && action=add
        for c in 0 1 2 3; do events+=("$action:chain$c" "add:pipe$((r * 4 + c))"); done
        if [ $((r % 2)) = 0 ]; then events+=("$action:tree0"); else events+=("$action:tree0/sub"); fi
done
# all of them queued in one go (the daemon stopped meanwhile): the first ones go to idle or
# new workers, the next ones to busy workers, however loaded the machine is
kill -STOP "$DM"
send_events "${events[@]}"
kill -CONT "$DM"
if wait_done 60 $(seq -f chain%g 0 3) $(seq -f pipe%g 0 39) tree0 tree0/sub; then
        pass "dependent and independent events processed"
else
        fail "dependent and independent events processed"
fi
# the last events' RUN may still be writing: wait for its "end"
for f in chain0 chain1 chain2 chain3 tree; do
        for _ in $(seq 100); do [ "$(grep -c end "/run/order-$f" 2> /dev/null)" -ge 10 ] && break; sleep 0.05; done
done
for f in chain0 chain1 chain2 chain3 tree; do
        if ordered "/run/order-$f" 10; then pass "events of $f one at a time, in seqnum order"
        else fail "events of $f overlap or are out of order: $(tr '\n' ' ' < "/run/order-$f")"; fi
done
n=$(pipelined)
if [ "$n" -ge 1 ]; then pass "$n event(s) sent to a worker while it was busy"
else fail "no event was sent to a busy worker (pipelining)"; fi

# 4. a worker blocks with an event sent behind: that one runs elsewhere
rm -f /run/udev/data/+misc:pipe*
burst stuck0 $(seq -f pipe%g 0 19)
if wait_done 20 $(seq -f pipe%g 0 19); then pass "20 events done while a worker is blocked"
else fail "20 events done while a worker is blocked"; fi
if grep -q "E:TEST_DONE=1" /run/udev/data/+misc:stuck0 2> /dev/null; then fail "stuck0 done while blocked"; fi
for _ in $(seq 200); do release_fifo && break; sleep 0.05; done
if wait_done 20 stuck0; then pass "the blocked event finishes once unblocked"
else fail "the blocked event finishes once unblocked"; fi

kill "$DM" 2> /dev/null || true
wait "$DM" 2> /dev/null || true

# 5. one worker, blocked, holding an event sent behind its own, killed
mv "$W/devmaster.log" "$W/devmaster-40.log"
rm -f /run/udev/data/+misc:pipe*
start_devmaster 1
kill -STOP "$DM"
burst stuck1 $(seq -f pipe%g 0 9)
kill -CONT "$DM"
for _ in $(seq 200); do [ "$(pipelined)" -ge 1 ] && break; sleep 0.05; done
pid=$(sed -n 's/.*Worker \[\([0-9]*\)\] is forked.*/\1/p' "$W/devmaster.log" | head -n 1)
if [ "$(pipelined)" -ge 1 ] && [ -n "$pid" ]; then
        pass "the blocked worker [$pid] was sent the next event"
        kill -KILL "$pid"
        if wait_done 20 $(seq -f pipe%g 0 9); then pass "after its worker was killed, no event is lost"
        else fail "after its worker was killed, no event is lost"; fi
        if grep -q "taken back from worker \[$pid\]" "$W/devmaster.log"; then
                pass "the event sent behind the blocked one went back to the queue"
        else fail "the event sent behind the blocked one went back to the queue"; fi
        if grep -q "E:TEST_DONE=1" /run/udev/data/+misc:stuck1 2> /dev/null; then
                fail "the killed worker's event has a database record"
        else pass "the killed worker's event failed"; fi
else
        fail "the blocked worker was sent the next event (worker '$pid')"
fi
if [ "$(forked)" -le 2 ]; then pass "children_max 1: $(forked) worker(s) forked, one at a time"
else fail "children_max 1: $(forked) workers forked"; fi

# a worker still blocked (after a failure above) would keep the daemon from exiting
release_fifo || true
kill "$DM" 2> /dev/null || true
wait "$DM" 2> /dev/null || true
echo "$fails failure(s)"
[ "$fails" = 0 ]
