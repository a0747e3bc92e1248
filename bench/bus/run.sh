#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/bus: busmaster, dbus-daemon and dbus-broker side by side (harness taken from
# ../shared/bench/dbus). Each repetition starts a fresh daemon of each kind in turn (A B C A B C
# ...) and runs every scenario against it with busbench (an sd-bus client, built here), which
# samples the daemon's CPU time (/proc/PID/stat) and memory (VmRSS, Pss).
#
# usage: bench/bus/run.sh [-b BUILDDIR] [OUTDIR]     (root: dbus-broker needs a mount namespace)
# env:   DAEMONS="dbus-daemon dbus-broker busmaster"  REPS=3 DURATION=3 WARMUP=0.5
#        SCENARIOS="memory2000 rtt1 rtt4 rtt1-16k signal8 signal8-decoy100 signal8-decoy4k connect2"
# Figures: daemon CPU µs per method call (rtt*), per delivered signal (signal8*, 8 subscribers;
# signal8-decoy4k adds 4096 non-matching rules per subscriber, 32768 in all), per new connection
# (connect2: connect + SASL + Hello + RequestName + close), idle RSS and bytes per connection
# (memory2000: 2000 connections, each with a name and a match rule). OUTDIR/summary.txt has the
# medians and the ratios busmaster/dbus-broker and busmaster/dbus-daemon (< 1: busmaster better).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(pwd)
if [ "${1:-}" = -b ]; then BUILD=$(cd "$2" && pwd); shift 2; fi
OUT=${1:-./bench-bus-out}
CANDIDATE=${CANDIDATE:-$BUILD/busmaster}
DAEMONS=${DAEMONS:-"dbus-daemon dbus-broker busmaster"}
REPS=${REPS:-3}
DURATION=${DURATION:-3}
WARMUP=${WARMUP:-0.5}
SCENARIOS=${SCENARIOS:-"memory2000 rtt1 rtt4 rtt1-16k signal8 signal8-decoy100 signal8-decoy4k connect2"}
# memory2000 measures a fresh daemon (idle RSS, then growth per connection): it runs first in
# whatever order it was given. After the others the daemon's heap has room left by their
# rules and connections, and the growth came out 0.
case " $SCENARIOS " in
*" memory2000 "*) SCENARIOS="memory2000 $(sed 's/\bmemory2000\b//g' <<< "$SCENARIOS")" ;;
esac

case " $DAEMONS " in *" busmaster "*)
        [ -x "$CANDIDATE" ] || { echo "$CANDIDATE is not built (-b BUILDDIR or CANDIDATE=)" >&2; exit 1; }
        if grep -qa __asan_init "$CANDIDATE"; then
                echo "$CANDIDATE is a sanitizer build: benchmark a build configured without --enable-sanitizers" >&2
                exit 1
        fi ;;
esac
case " $DAEMONS " in *" dbus-broker "*)
        command -v dbus-broker-launch >/dev/null || { echo "dbus-broker is not installed (apt-get install dbus-broker)" >&2; exit 1; }
        [ "$(id -u)" = 0 ] || { echo "dbus-broker needs root here (mount namespace for its journal socket)" >&2; exit 1; }
        ;;
esac
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
W=$(mktemp -d /tmp/busbench.XXXXXX)
chmod 755 "$W"

cc -O2 -Wall -o "$W/busbench" "$HERE/busbench.c" $(pkg-config --cflags --libs libsystemd) -lm
BENCH="$W/busbench"

PIDS_TO_KILL=()
cleanup() {
        for p in "${PIDS_TO_KILL[@]:-}"; do
                [ -n "$p" ] && kill "$p" 2>/dev/null || true
        done
        rm -rf "$W"
}
trap cleanup EXIT

# journal stand-in for dbus-broker-launch (it aborts without one)
mkdir -p "$W/fakerun/journal"
python3 "$HERE/journal-sink.py" "$W/fakerun/journal/socket" "$W/journal.log" &
PIDS_TO_KILL+=("$!")

DAEMON_PID= ; LAUNCH_PID= ; ADDR=

start_daemon() {   # $1 = dbus-daemon | dbus-broker | busmaster
        local sock="$W/$1.sock" bin
        rm -f "$sock"
        sed "s|@SOCKET@|$sock|" "$HERE/bench.conf" > "$W/$1.conf"
        ADDR="unix:path=$sock"
        case "$1" in
        dbus-daemon|busmaster)
                bin=dbus-daemon
                [ "$1" = busmaster ] && bin=$CANDIDATE
                "$bin" --config-file="$W/$1.conf" --nofork --nopidfile \
                        --print-address=1 > "$W/$1.addr" 2> "$W/$1.log" &
                DAEMON_PID=$!; LAUNCH_PID=
                ;;
        dbus-broker)
                # socket activation: sockact.py binds the socket and hands it over as fd 3; the
                # launcher's own "regular bus" (only used to reach systemd) is the bus itself.
                unshare -m sh -c "mount --bind '$W/fakerun' /run/systemd && \
                        DBUS_SESSION_BUS_ADDRESS='$ADDR' exec python3 '$HERE/sockact.py' '$sock' \
                        dbus-broker-launch --scope user --config-file '$W/$1.conf'" \
                        > "$W/$1.log" 2>&1 &
                LAUNCH_PID=$!
                DAEMON_PID=
                for _ in $(seq 100); do
                        DAEMON_PID=$(pgrep -P "$LAUNCH_PID" -x dbus-broker || true)
                        [ -n "$DAEMON_PID" ] && break
                        sleep 0.05
                done
                ;;
        esac
        for _ in $(seq 100); do
                [ -S "$sock" ] && dbus-send --bus="$ADDR" --print-reply --dest=org.freedesktop.DBus \
                        / org.freedesktop.DBus.GetId > /dev/null 2>&1 && return 0
                sleep 0.05
        done
        echo "daemon $1 did not come up" >&2; cat "$W/$1.log" >&2; exit 1
}

stop_daemon() {
        if [ -n "$LAUNCH_PID" ]; then kill "$LAUNCH_PID"; wait "$LAUNCH_PID" 2>/dev/null || true
        else kill "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true; fi
}

run_scenario() {   # $1 daemon label, $2 scenario
        local common=(--address "$ADDR" --daemon-pid "$DAEMON_PID" --label "$1"
                      --duration "$DURATION" --warmup "$WARMUP")
        case "$2" in
        memory2000)       "$BENCH" "${common[@]}" --mode memory --conns 2000 ;;
        rtt1)             "$BENCH" "${common[@]}" --mode rtt --clients 1 --payload 64 ;;
        rtt4)             "$BENCH" "${common[@]}" --mode rtt --clients 4 --payload 64 ;;
        rtt1-16k)         "$BENCH" "${common[@]}" --mode rtt --clients 1 --payload 16384 ;;
        signal8)          "$BENCH" "${common[@]}" --mode signal --subscribers 8 --batch 64 ;;
        signal8-decoy100) "$BENCH" "${common[@]}" --mode signal --subscribers 8 --decoys 100 --batch 64 ;;
        signal8-decoy4k)  "$BENCH" "${common[@]}" --mode signal --subscribers 8 --decoys 4096 --batch 64 ;;
        connect2)         "$BENCH" "${common[@]}" --mode connect --clients 2 ;;
        *) echo "unknown scenario $2" >&2; return 1 ;;
        esac | sed "s/^RESULT /RESULT scenario=$2 /" || true
}

{
        echo "# busbench $(date -u +%FT%TZ) nproc=$(nproc) kernel=$(uname -r)"
        echo "# dbus-daemon $(dbus-daemon --version | head -1)"
        echo "# dbus-broker $(dpkg-query -W -f='${Version}' dbus-broker 2>/dev/null || echo '?')"
        echo "# busmaster $CANDIDATE"
        echo "# REPS=$REPS DURATION=$DURATION WARMUP=$WARMUP loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/results.txt"

for rep in $(seq "$REPS"); do
        # machine calibration: 1-byte socketpair ping-pong, no bus involved
        "$BENCH" --address none --mode raw --duration 1 --label none \
                | sed "s/^RESULT /RESULT rep=$rep scenario=raw /" | tee -a "$OUT/results.txt"
        for d in $DAEMONS; do
                start_daemon "$d"
                echo "# rep=$rep daemon=$d pid=$DAEMON_PID loadavg=$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/results.txt"
                for s in $SCENARIOS; do
                        run_scenario "$d" "$s" | sed "s/^RESULT /RESULT rep=$rep /" | tee -a "$OUT/results.txt"
                done
                stop_daemon
        done
done
cp "$W/journal.log" "$OUT/dbus-broker-journal.log" 2>/dev/null || true
python3 "$HERE/summarize.py" "$OUT/results.txt" | tee "$OUT/summary.txt"
