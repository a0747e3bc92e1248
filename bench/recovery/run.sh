#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/recovery/run.sh -- how fast the manager is back after it was killed or re-executed:
# each manager is booted once as PID 1 of a namespace sandbox (tools/sysmaster-sandbox, the
# units and set-up of bench/boot) with N Type=simple services, then K times per event and probe
# the event is triggered and the time until svc-1.service is reported "active" is measured
# from inside (lib/recover.py); after every trial all N services must still be active with
# their MainPID unchanged.
#
#   bench/recovery/run.sh [options]
#     -b, --build DIR     build tree with sysmaster-init, sysmaster, sysmaster-executor
#                         (default $SYSMASTER_BUILD, else the current directory)
#     -m, --managers L    managers (default "sysmaster systemd")
#     -n, --n N           services (default 1000)
#     -k, --k K           trials per event and probe (default 20)
#     -o, --ops LIST      comma list of events (default kill,segv,reexec):
#                           kill    SIGKILL to the manager process (sysmaster only: init
#                                   starts a new manager, which restores the state)
#                           segv    SIGSEGV to it (sysmaster only: it re-executes in place)
#                           reexec  systemctl daemon-reexec (both managers)
#     -d, --out DIR       results directory (default: a new mktemp -d under $TMPDIR)
#     -T, --timeout S     boot timeout in seconds (default 300)
#     -C, --cpus LIST     pin the namespace and the client to these CPUs (taskset -c)
#     -Q, --quiet-wait S  before each boot wait up to S s (default 120) until the machine is
#                         at most BUSY_MAX % busy (default 20)
#     -q, --trial-quiet S the same before each trial, up to S s (default 5); the busy % seen
#                         is kept with each trial
#     -N, --nice V        nice value for the namespace and the client (default -10)
#     -h, --help
#   Every option can also be given as an environment variable: BUILD MANAGERS N K OPS OUT
#   BOOT_TIMEOUT CPUS QUIET_WAIT TRIAL_QUIET BUSY_MAX NICE.
#
# The probes (trials alternate between them, K each):
#   raw  from the client process itself: connect to /run/systemd/private, EXTERNAL auth, one
#        Properties.Get(ActiveState) on svc-1's object path (what `systemctl is-active`
#        sends), repeated until "active"; also reports connect and auth (= the manager accepted
#        and read the connection) times
#   ctl  `systemctl is-active svc-1.service` run again and again until it prints "active"
#        (includes systemctl's own start-up, ~10 ms)
# kill and segv run on sysmaster's sandbox; for reexec every manager is up at the same time and
# the trials alternate between them (one raw + one ctl trial each), so that both meet the same
# machine. Times are from just before kill(2) (kill, segv) or the spawn of `systemctl daemon-reexec`
# (reexec) to the answer "active". systemd 252 cannot survive a SIGKILL or SIGSEGV of its PID 1
# (the kernel ends the namespace, resp. systemd freezes after dumping core): only reexec is run
# for it. sysmaster-init gets SYSMASTER_RESTART_BURST=100000, or its crash-loop guard (5
# manager starts within 10 s) would slow the SIGKILL series down with back-offs.
# Output: a table and results.kv in the results directory ("trial ..." lines copied from the
# client, "summary manager=M event=E probe=P n=.. k=.. median_ms p90_ms min_ms max_ms ...",
# "ratio event=reexec probe=P ..."); the sandbox state of each manager (console.log,
# recover.kv) in <manager>/. Needs root; the build tree must not live under /tmp.
set -euo pipefail
export LC_ALL=C
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH=recovery/run.sh
# shellcheck source=../lib/sandbox-bench.sh
. "$HERE/../lib/sandbox-bench.sh"

MANAGERS=${MANAGERS:-"sysmaster systemd"}
N=${N:-1000}
K=${K:-20}
OPS=${OPS:-kill,segv,reexec}
TRIAL_QUIET=${TRIAL_QUIET:-5}

while [ $# -gt 0 ]; do
        bench_option "$@"
        [ "$SHIFT" = 0 ] || { shift "$SHIFT"; continue; }
        case "$1" in
        -n | --n) N=$2; shift 2 ;;
        -k | --k) K=$2; shift 2 ;;
        -o | --ops) OPS=$2; shift 2 ;;
        -q | --trial-quiet) TRIAL_QUIET=$2; shift 2 ;;
        *) echo "$BENCH: unknown option $1" >&2; usage 2 >&2 ;;
        esac
done
for e in ${OPS//,/ }; do
        case "$e" in kill | segv | reexec) ;; *) die "unknown event $e (kill, segv, reexec)" ;; esac
done

bench_check_tools python3
bench_pick_managers
bench_lock
bench_out_dir bench-recovery
trap 'stop_all' EXIT
trap 'stop_all; exit 130' INT TERM
HOST_BEFORE=$(host_state)

{
        echo "# bench/recovery/run.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) managers:$RUN_MANAGERS build: $BUILD"
        echo "# n: $N  k: $K  ops: $OPS  nice: $NICE  cpus: ${CPUS:-all}  quiet: <= ${QUIET_WAIT}s (boot), <= ${TRIAL_QUIET}s (trial) for busy <= ${BUSY_MAX}%"
        bench_header
        printf '%s' "$NOT_MEASURED" | sed 's/^/# not measured: /'
} >> "$RES"

BOOTED="" # state directories of the sandboxes that are up
stop_all() {
        local st
        for st in $BOOTED; do
                CUR_STATE=$st
                cleanup_boot
        done
        BOOTED=""
}

boot_mgr() { # MANAGER: boots it with N services at OUT/MANAGER/out
        local mgr=$1 B=$OUT/$1 rc=0
        bench_units "$B" "$N" simple
        install -m 0644 "$HERE/lib/recover.py" "$B/out/recover.py"
        wait_quiet "$QUIET_WAIT"
        echo "boot manager=$mgr n=$N load1=$QUIET_LOAD busy_pct=$QUIET_BUSY quiet_wait_s=$QUIET_WAITED" >> "$RES"
        sandbox_boot "$mgr" "$B" -e SYSMASTER_RESTART_BURST=100000 || rc=$?
        case $rc in
        0) BOOTED+=" $B/out" ;;
        1) echo "$BENCH: $mgr: the sandbox did not start (see $B/start.log)" >&2; return 1 ;;
        *) echo "$BENCH: $mgr: the boot did not finish (see $B/out/console.log)" >&2; return 1 ;;
        esac
        pause 1 # let the manager settle
}

trials() { # MANAGER EVENT K: K trials per probe in the booted sandbox of MANAGER
        local rc=0
        $PIN nice -n "$NICE" "$SANDBOX" run --state "$OUT/$1/out" -- /usr/bin/python3 \
                /run/bench/recover.py --event "$2" --k "$3" --n "$N" --comm sysmaster \
                --quiet-wait "$TRIAL_QUIET" --busy-max "$BUSY_MAX" \
                --out /run/bench/recover.kv {LOCK_FD}>&- {PAUSE_FD}<&- || rc=$?
        [ $rc = 0 ] || echo "$BENCH: $1 $2: the client reported errors (see $OUT/$1/out/recover.kv)" >&2
        return $rc
}

summarize() { # MANAGER EVENT PROBE -> one summary line over the trial samples
        awk -v mgr="$1" -v ev="$2" -v pr="$3" -v n="$N" '
            function sort(arr, cnt,   i, j, t) {
                for (i = 0; i < cnt; i++) for (j = i + 1; j < cnt; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
            }
            function med(arr, cnt) { sort(arr, cnt); return cnt ? ((cnt % 2) ? arr[int(cnt / 2)] : (arr[cnt / 2 - 1] + arr[cnt / 2]) / 2) : "NA" }
            function ms(v) { return v == "NA" ? "NA" : sprintf("%.1f", v / 1000) }
            $1 == "trial" && $2 == "manager=" mgr && $3 == "sample" && $4 == ev && $5 == pr {
                i = c++; tot[i] = $6; acc[i] = $8; call[i] = $9; busy[i] = $11 }
            $1 == "trial" && $2 == "manager=" mgr && $3 == "check" && $4 == ev {
                checks++; if ($6 == "active=" n && $7 == "same_pid=" n) good++ }
            $1 == "trial" && $2 == "manager=" mgr && $3 == "error" && $4 == ev { errors++ }
            END {
                if (!c) exit
                med(tot, c); p90 = tot[int(0.9 * (c - 1) + 0.5)]; mn = tot[0]; mx = tot[c - 1]
                quiet = 0; for (i = 0; i < c; i++) if (busy[i] <= '"$BUSY_MAX"') quiet++
                printf "summary manager=%s event=%s probe=%s n=%d k=%d median_ms=%s p90_ms=%s min_ms=%s max_ms=%s",
                    mgr, ev, pr, n, c, ms(med(tot, c)), ms(p90), ms(mn), ms(mx)
                printf " accept_median_ms=%s reexec_call_median_ms=%s busy_median_pct=%s quiet_trials=%d checks_ok=%d/%d errors=%d\n",
                    pr == "raw" ? ms(med(acc, c)) : "NA", ev == "reexec" ? ms(med(call, c)) : "NA",
                    med(busy, c), quiet, good, checks, errors + 0 }' "$RES"
}

# kill and segv (sysmaster only), one manager after the other
UP=""
for m in $RUN_MANAGERS; do
        evs=""
        for e in ${OPS//,/ }; do
                case "$m:$e" in
                systemd:kill | systemd:segv)
                        echo "# not measured: systemd $e: PID 1 cannot survive it (see bench/README.md)" >> "$RES" ;;
                *:kill | *:segv) evs+=" $e" ;;
                esac
        done
        [ -n "$evs" ] || continue
        if ! boot_mgr "$m"; then echo "# $m: not measured (boot failed)" >> "$RES"; continue; fi
        UP+=" $m"
        for e in $evs; do
                trials "$m" "$e" "$K" || true
                echo "# $m $e: load1 $(cut -d' ' -f1 /proc/loadavg) after" >> "$RES"
        done
done
# daemon-reexec: every manager up at once, trials alternating between them, so that both meet
# the same machine
if [[ ,$OPS, == *,reexec,* ]]; then
        for m in $RUN_MANAGERS; do
                case " $UP " in *" $m "*) continue ;; esac
                if boot_mgr "$m"; then UP+=" $m"; else echo "# $m: not measured (boot failed)" >> "$RES"; fi
        done
        for ((i = 0; i < K; i++)); do
                for m in $UP; do trials "$m" reexec 1 || true; done
        done
        echo "# reexec: load1 $(cut -d' ' -f1 /proc/loadavg) after" >> "$RES"
fi
stop_all
for m in $UP; do
        sed -n "s/^/$m /p" "$OUT/$m/out/recover.kv" | awk '{ $1 = "trial manager=" $1; print }' >> "$RES"
done
for m in $RUN_MANAGERS; do
        for e in ${OPS//,/ }; do
                for p in raw ctl; do summarize "$m" "$e" "$p" >> "$RES"; done
        done
done
awk '$1 == "summary" {
        delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        if (f["event"] == "reexec") med[f["manager"], f["probe"]] = f["median_ms"]
     }
     END {
        split("raw ctl", probes, " ")
        for (i = 1; i <= 2; i++) { p = probes[i]
            if (med["sysmaster", p] == "" || med["systemd", p] == "" || med["systemd", p] + 0 == 0) continue
            printf "ratio event=reexec probe=%s sysmaster_ms=%s systemd_ms=%s ratio=%.3f\n", p,
                med["sysmaster", p], med["systemd", p], med["sysmaster", p] / med["systemd", p] }
     }' "$RES" >> "$RES"
host_check "$RES"

# ---------------------------------------------------------------------------
echo
echo "results: $RES"
printf '%-10s %-7s %-5s %4s %9s %8s %8s %8s %10s %9s %6s %7s\n' \
        manager event probe k median_ms p90_ms min_ms max_ms accept_ms call_ms busy% checks
awk '$1 == "summary" {
        delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        printf "%-10s %-7s %-5s %4s %9s %8s %8s %8s %10s %9s %6s %7s\n", f["manager"], f["event"], f["probe"], f["k"],
            f["median_ms"], f["p90_ms"], f["min_ms"], f["max_ms"], f["accept_median_ms"], f["reexec_call_median_ms"],
            f["busy_median_pct"], f["checks_ok"] }' "$RES"
echo "(ms from the kill / the spawn of systemctl daemon-reexec to the answer \"active\"; accept = the manager"
echo " answered the auth of the raw probe; call = systemctl daemon-reexec alone; busy = machine busy % just"
echo " before the trials (median); checks = trials after which all $N services were active with the same MainPID)"
grep '^ratio ' "$RES" | sed 's/^ratio /sysmaster \/ systemd: /' || echo "no ratio: both managers are needed for reexec"
grep -q '^error\|^trial .* error ' "$RES" && echo "$BENCH: some trials failed, see $RES" >&2
exit 0
