# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# bench/lib/sandbox-bench.sh -- what the benchmarks that boot a manager in tools/sysmaster-sandbox
# share (bench/boot/run.sh, bench/recovery/run.sh): sourced, not run. Before sourcing, the
# caller sets BENCH (its name, for messages); sourcing sets the defaults of BUILD, OUT,
# BOOT_TIMEOUT, NICE, CPUS, QUIET_WAIT and BUSY_MAX; the caller's option loop hands each word
# to bench_option first (the options every such benchmark has); it then calls, in this order:
#   bench_check_tools, bench_pick_managers (-> RUN_MANAGERS, NOT_MEASURED, PIN),
#   bench_lock (one run at a time on the machine: $TMPDIR/bench-boot.lock, which the reference
#   harness takes too), bench_out_dir PREFIX (-> OUT), and HOST_BEFORE=$(host_state).
# Per boot: wait_quiet S (-> QUIET_BUSY QUIET_WAITED QUIET_LOAD), bench_units B N TYPE,
# sandbox_boot MANAGER B (the sandbox at B/out, -> NSPID NSCG, CUR_STATE for the EXIT trap),
# others_busy_pct, cleanup_boot. At the end: host_check RESULTS_FILE.

BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SANDBOX=$(cd "$BENCH_LIB/../.." && pwd)/tools/sysmaster-sandbox
GEN_UNITS=$BENCH_LIB/../boot/lib/gen-units.sh

die() {
        echo "$BENCH: $*" >&2
        exit 1
}

# Defaults of the options every such benchmark has (environment variables of these names win).
BUILD=${BUILD:-${SYSMASTER_BUILD:-$PWD}}
OUT=${OUT:-}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
NICE=${NICE:--10}
CPUS=${CPUS:-}
QUIET_WAIT=${QUIET_WAIT:-120}
BUSY_MAX=${BUSY_MAX:-20}

usage() { # prints the comment block at the top of the running script
        awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"
        exit "${1:-0}"
}

# OPTION VALUE: takes an option every such benchmark has (-b -m -d -T -N -C -Q -h);
# SHIFT = the number of words used, 0 when OPTION is not one of them.
bench_option() {
        SHIFT=2
        case "$1" in
        -b | --build) BUILD=$2 ;;
        -m | --managers) MANAGERS=$2 ;;
        -d | --out) OUT=$2 ;;
        -T | --timeout) BOOT_TIMEOUT=$2 ;;
        -N | --nice) NICE=$2 ;;
        -C | --cpus) CPUS=$2 ;;
        -Q | --quiet-wait) QUIET_WAIT=$2 ;;
        -h | --help) usage 0 ;;
        *) SHIFT=0 ;;
        esac
}

pause() { read -r -t "$1" -u "$PAUSE_FD" || true; } # sleep without forking
exec {PAUSE_FD}<> <(:)

kv_get() { # FILE KEY -> value or NA
        local v
        v=$(sed -n "s/^$2=//p" "$1" 2> /dev/null | tail -1)
        echo "${v:-NA}"
}

bench_check_tools() { # extra tools...
        [ "$(id -u)" = 0 ] || die "must run as root"
        local t
        for t in unshare nsenter script findmnt pgrep /usr/bin/time systemctl "$@"; do
                command -v "$t" > /dev/null || die "missing $t"
        done
        [ -x "$SANDBOX" ] || die "missing $SANDBOX"
        BUILD=$(cd "$BUILD" && pwd) || die "no build directory"
}

# Which managers can run; a missing one is reported, never invented.
bench_pick_managers() {
        local m
        RUN_MANAGERS=""
        NOT_MEASURED=""
        for m in $MANAGERS; do
                case "$m" in
                systemd)
                        if [ -x /lib/systemd/systemd ]; then RUN_MANAGERS+=" systemd"; else
                                NOT_MEASURED+="systemd: /lib/systemd/systemd is not installed"$'\n'; fi
                        ;;
                sysmaster)
                        if [ -x "$BUILD/sysmaster" ] && [ -x "$BUILD/sysmaster-init" ] &&
                                [ -x "$BUILD/sysmaster-executor" ]; then RUN_MANAGERS+=" sysmaster"; else
                                NOT_MEASURED+="sysmaster: not measured yet ($BUILD has no sysmaster-init + sysmaster + sysmaster-executor)"$'\n'; fi
                        ;;
                *) die "unknown manager $m (systemd, sysmaster)" ;;
                esac
        done
        [ -z "$NOT_MEASURED" ] || printf '%s: %s' "$BENCH" "$NOT_MEASURED" >&2
        [ -n "$RUN_MANAGERS" ] || die "nothing to measure"
        PIN=""
        [ -z "$CPUS" ] || PIN="taskset -c $CPUS"
}

bench_lock() {
        local lock=${TMPDIR:-/tmp}/bench-boot.lock
        exec {LOCK_FD}> "$lock"
        flock -n "$LOCK_FD" || die "another sandbox benchmark is running (lock $lock)"
}

bench_out_dir() { # PREFIX: OUT (created, absolute), RES = OUT/results.kv
        [ -n "$OUT" ] || OUT=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
        mkdir -p "$OUT"
        OUT=$(cd "$OUT" && pwd)
        RES=$OUT/results.kv
}

host_busy() { # % of all CPU time the machine was busy during 0.5 s
        local a b
        a=$(head -1 /proc/stat)
        pause 0.5
        b=$(head -1 /proc/stat)
        awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x); split(b, y); t = 0
            for (i = 2; i <= 9 && i <= n; i++) t += y[i] - x[i]
            idle = (y[5] - x[5]) + (y[6] - x[6])
            printf "%.0f", t ? 100 * (t - idle) / t : 0 }'
}

wait_quiet() { # S: wait up to S seconds until the machine is at most BUSY_MAX % busy
        local t0=$SECONDS
        while :; do
                QUIET_BUSY=$(host_busy)
                [ "$QUIET_BUSY" -le "$BUSY_MAX" ] && break
                [ $((SECONDS - t0)) -ge "$1" ] && break
        done
        QUIET_WAITED=$((SECONDS - t0))
        read -r QUIET_LOAD _ < /proc/loadavg
}

bench_units() { # B N TYPE: B/units (gen-units.sh) and B/out with the mark script of bench-done
        rm -rf "$1"
        mkdir -p "$1/out"
        bash "$GEN_UNITS" "$1/units" "$2" "$3"
        printf '#!/bin/sh\nexec date +%%s.%%N > /run/bench/"$1"\n' > "$1/out/mark"
        chmod 0755 "$1/out/mark"
}

CUR_STATE=""
cleanup_boot() {
        if [ -n "$CUR_STATE" ] && [ -s "$CUR_STATE/state" ]; then
                "$SANDBOX" stop --state "$CUR_STATE" > "$CUR_STATE/stop.log" 2>&1 ||
                        { echo "$BENCH: sandbox stop reported a problem:" >&2; cat "$CUR_STATE/stop.log" >&2; }
        fi
        CUR_STATE=""
}

# Boots MANAGER with the units of B/units at B/out (the sandbox state directory, /run/bench
# inside) until bench-done.service ran. Both managers get the same log level and default
# service output (null, as in the reference harness): at "info" sysmaster would print a status
# line per unit and every service would try the (absent) journal socket and log that it could
# not. Extra words for `sysmaster-sandbox start` (e.g. -e NAME=VALUE) follow B.
# 0: booted (NSPID, NSCG set); 1: the sandbox did not start (B/start.log); 2: no bench-done
# within BOOT_TIMEOUT s (B/out/console.log).
sandbox_boot() { # MANAGER B [start options...]
        local mgr=$1 B=$2
        shift 2
        CUR_STATE=$B/out
        if ! "$SANDBOX" start --build "$BUILD" --manager "$mgr" --state "$B/out" \
                --units "$B/units" --copy --unit bench.target --bind "$B/out:/run/bench" \
                --prefix "$PIN nice -n $NICE /usr/bin/time -v -o $B/time-v.txt" --log-level notice \
                --manager-args "--default-standard-output=null --default-standard-error=null" \
                "$@" --timeout 60 > "$B/start.log" 2>&1 {LOCK_FD}>&- {PAUSE_FD}<&-; then
                cleanup_boot
                return 1
        fi
        NSPID=$("$SANDBOX" pid --state "$B/out")
        NSCG=$(sed -n 's/^cgroup=//p' "$B/out/state")
        local deadline=$((SECONDS + BOOT_TIMEOUT))
        while [ ! -s "$B/out/done" ]; do
                if [ $SECONDS -ge $deadline ] || [ ! -d "/proc/$NSPID" ]; then
                        cleanup_boot
                        return 2
                fi
                pause 0.02
        done
}

# CPU used by everything but the namespace (cgroup NSCG) since STAT0 (a /proc/stat cpu line)
# and W0 ($EPOCHREALTIME), in % of the machine.
others_busy_pct() { # STAT0 W0
        local stat1 w1=$EPOCHREALTIME ns_us
        stat1=$(head -1 /proc/stat)
        ns_us=$(sed -n 's/^usage_usec //p' "$NSCG/cpu.stat" 2> /dev/null)
        awk -v a="$1" -v b="$stat1" -v ns="${ns_us:-0}" -v w0="$2" -v w1="$w1" -v ncpu="$(nproc)" -v hz="$(getconf CLK_TCK)" 'BEGIN {
            n = split(a, x); split(b, y); busy = 0
            for (i = 2; i <= 9 && i <= n; i++) busy += y[i] - x[i]
            busy -= (y[5] - x[5]) + (y[6] - x[6])
            o = busy / hz - ns / 1e6; if (o < 0) o = 0
            printf "%.0f", 100 * o / ((w1 - w0) * ncpu) }'
}

# Host state a leaking manager would change (each sandbox stop checks it too).
CGROOT=$(findmnt -rn -t cgroup2 -o TARGET | head -1)
host_state() {
        local f
        for f in /proc/sys/kernel/core_pattern /proc/sys/fs/file-max /proc/sys/fs/nr_open \
                /proc/sys/net/unix/max_dgram_qlen /proc/sys/kernel/hostname; do
                printf '%s=%s\n' "$f" "$(cat "$f" 2> /dev/null)"
        done
        printf 'leftover_cgroups=%s\n' "$(find "$CGROOT" -maxdepth 3 -type d -name 'sysmaster-sandbox.*' | wc -l)"
}

host_check() { # RESULTS_FILE: compares with HOST_BEFORE, appends "hostcheck status=..."
        local after
        after=$(host_state)
        if [ "$HOST_BEFORE" = "$after" ]; then
                echo "hostcheck status=ok" >> "$1"
        else
                echo "$BENCH: WARNING: host state changed during the run:" >&2
                diff <(echo "$HOST_BEFORE") <(echo "$after") >&2 || true
                echo "hostcheck status=changed" >> "$1"
        fi
}

bench_header() { # one "# ..." line describing the machine and the build
        echo "# kernel: $(uname -r)  cpus: $(nproc)  systemd-pkg: $(dpkg-query -W -f='${Version}' systemd 2> /dev/null || echo none)  sysmaster: $(git -C "$BENCH_LIB" describe --always --dirty 2> /dev/null || echo unknown)"
}
