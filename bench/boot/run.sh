#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/boot/run.sh -- systemd 252 and sysmaster side by side, each booted as PID 1 of a
# private pid+mount+uts+ipc+net+cgroup namespace (tools/sysmaster-sandbox) with N generated
# services, measured from inside with the real systemctl; reports sysmaster/systemd ratios.
# Adapted from ../shared/bench/boot (same units, same client, same isolation).
#
#   bench/boot/run.sh [options]
#     -b, --build DIR     build tree with sysmaster-init, sysmaster, sysmaster-executor
#                         (default $SYSMASTER_BUILD, else the current directory)
#     -m, --managers L    managers to boot (default "systemd sysmaster"; sysmaster is left
#                         out, with a note, while $BUILD/sysmaster is not built)
#     -n, --n "LIST"      unit counts (default "100 300 1000")
#     -t, --types "LIST"  simple|exec|oneshot (default "simple oneshot")
#     -r, --reps R        boots per (manager, type, N) (default 3)
#     -k, --k K           repetitions of each operation inside one boot (default 5)
#     -o, --ops LIST      comma list of list,startstop,reload,reexec (default
#                         list,startstop,reload; "none" = boot, RSS and is-active only)
#     -d, --out DIR       results directory (default: a new mktemp -d under $TMPDIR)
#     -T, --timeout S     boot timeout in seconds (default 300)
#     -C, --cpus LIST     pin the namespace and the client to these CPUs (taskset -c)
#     -Q, --quiet-wait S  before each boot wait up to S s (default 120) until the machine
#                         is at most BUSY_MAX % busy (default 20)
#     -X, --others-max P  a boot during which other processes used more than P % of the
#                         machine (default 25) is status=noisy, left out of the summary
#                         and repeated (at most 2 extra tries)
#     -N, --nice V        nice value for the namespace and the client (default -10)
#     -h, --help
#   Every option can also be given as an environment variable: BUILD MANAGERS NS TYPES REPS
#   K OPS OUT BOOT_TIMEOUT CPUS QUIET_WAIT BUSY_MAX OTHERS_MAX NICE.
#
# What is measured, per boot (medians of K calls per operation, then medians over boots):
#   boot_ms     exec of PID 1 (sysmaster-init, or systemd) -> bench-done.service ran, which is
#               ordered After= every service of bench.target (all active)
#   rss_kb      RSS of PID 1 after boot; mgr_rss_kb: PID 1 + the manager process (sysmaster
#               under sysmaster-init; for systemd the same as rss_kb), as soon as all are
#               active; mgr_rss_idle_kb: the same 2 s later (ratio "rss_idle")
#   list_ms, start_ms, stop_ms, reload_ms   systemctl list-units / stop+start of one svc-K /
#               daemon-reload, wall clock including systemctl's own ~10 ms start-up
#   mgr_rss_after_reload_kb, mgr_rss_idle_after_reload_kb   PID 1 + the manager right after the
#               last daemon-reload, and 2 s later
# Output: a table, the ratios (sysmaster / systemd, same type and N), and in the results
# directory results.kv (key=value lines: "boot ...", "summary ...", "ratio ...") and
# <manager>/<type>-<N>-r<rep>/ (units/, out/ = the sandbox state: console.log, client.kv,
# time-v.txt).  Host side effects: the results directory, one temporary cgroup per boot
# (removed), the lock $TMPDIR/bench-boot.lock (shared with the reference harness: one run at a
# time).  Needs root; the build tree must not live under /tmp.
set -euo pipefail
export LC_ALL=C
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$HERE/lib
BENCH=run.sh
# shellcheck source=../lib/sandbox-bench.sh
. "$HERE/../lib/sandbox-bench.sh"

MANAGERS=${MANAGERS:-"systemd sysmaster"}
NS=${NS:-"100 300 1000"}
TYPES=${TYPES:-"simple oneshot"}
REPS=${REPS:-3}
K=${K:-5}
OPS=${OPS:-list,startstop,reload}
OTHERS_MAX=${OTHERS_MAX:-25}

while [ $# -gt 0 ]; do
        bench_option "$@"
        [ "$SHIFT" = 0 ] || { shift "$SHIFT"; continue; }
        case "$1" in
        -n | --n) NS=$2; shift 2 ;;
        -t | --types) TYPES=$2; shift 2 ;;
        -r | --reps) REPS=$2; shift 2 ;;
        -k | --k) K=$2; shift 2 ;;
        -o | --ops) OPS=$2; shift 2 ;;
        -X | --others-max) OTHERS_MAX=$2; shift 2 ;;
        *) echo "run.sh: unknown option $1" >&2; usage 2 >&2 ;;
        esac
done

bench_check_tools
bench_pick_managers
bench_lock
bench_out_dir bench-boot

trap 'cleanup_boot' EXIT
trap 'cleanup_boot; exit 130' INT TERM

median_of() { # FILE OP FIELD DIVISOR -> median of field FIELD of the OP samples / DIVISOR, or NA
        awk -v op="$2" -v fld="$3" -v div="$4" '$1 == "sample" && $2 == op && NF >= fld { a[n++] = $fld }
            END { if (!n) { print "NA"; exit }
                  for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                  m = (n % 2) ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2
                  printf "%.3f\n", m / div }' "$1"
}
median_us_ms() { median_of "$1" "$2" 3 1000; }  # wall
median_cpu_ms() { median_of "$1" "$2" 4 1e6; }  # PID 1 CPU
median_mgr_ms() { median_of "$1" "$2" 6 1e6; }  # PID 1 + manager CPU

boot_one() { # MANAGER TYPE N REP
        local mgr=$1 type=$2 n=$3 rep=$4
        local B=$OUT/$mgr/$type-$n-r$rep
        bench_units "$B" "$n" "$type"
        install -m 0755 "$LIB/client.sh" "$B/out/client.sh"

        # a quiet machine (our previous boot's teardown included)
        wait_quiet "$QUIET_WAIT"
        local load=$QUIET_LOAD busy=$QUIET_BUSY waited=$QUIET_WAITED

        # The sandbox state directory is the results directory, /run/bench inside too (the
        # mark script and client.sh live there; pid1cpu0, cg0 and t-exec are written there
        # just before the exec of PID 1).
        local comms=""
        case "$mgr" in
        sysmaster) comms=sysmaster ;;
        esac
        local stat0 w0 rc=0
        stat0=$(head -1 /proc/stat)
        w0=$EPOCHREALTIME
        # $SYSMASTER_BENCH_ENV: NAME=VALUE words for sysmaster's PID 1 (it passes them on to the
        # manager), e.g. SYSMASTER_SPAWN_SERVER=0
        local extra=() w
        if [ "$mgr" = sysmaster ]; then
                for w in ${SYSMASTER_BENCH_ENV:-}; do extra+=(-e "$w"); done
        fi
        sandbox_boot "$mgr" "$B" "${extra[@]}" || rc=$?
        if [ $rc = 1 ]; then
                echo "run.sh: $mgr $type n=$n rep=$rep: the sandbox did not start (see $B/start.log)" >&2
                echo "boot label=$mgr type=$type n=$n rep=$rep status=nostart" >> "$RES"
                return 1
        elif [ $rc != 0 ]; then
                echo "run.sh: $mgr $type n=$n rep=$rep did not finish (see $B/out/console.log)" >&2
                echo "boot label=$mgr type=$type n=$n rep=$rep status=timeout" >> "$RES"
                return 1
        fi
        # CPU used by everything else on the machine while we booted
        local others
        others=$(others_busy_pct "$stat0" "$w0")
        local t0 t1 boot_ms
        t0=$(cat "$B/out/t-exec")
        t1=$(cat "$B/out/done")
        boot_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')

        pause 0.3 # let the manager settle before reading RSS / CPU
        $PIN nice -n "$NICE" "$SANDBOX" run --state "$B/out" -E "BENCH_MGR_COMMS=$comms" \
                -E BENCH_CTL=/usr/bin/systemctl -E "BENCH_N=$n" -E "BENCH_TYPE=$type" \
                -E "BENCH_K=$K" -E "BENCH_OPS=$OPS" -- /bin/bash /run/bench/client.sh \
                {LOCK_FD}>&- {PAUSE_FD}<&- || true
        local C=$B/out/client.kv

        cleanup_boot
        local maxrss status=ok
        maxrss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$B/time-v.txt" 2> /dev/null)
        [ "$others" -le "$OTHERS_MAX" ] || status=noisy
        local boot_cpu mgr_boot
        mgr_boot=$(awk -v v="$(kv_get "$C" mgr_cpu_boot_ns)" 'BEGIN { if (v == "NA") print "NA"; else printf "%.1f", v / 1e6 }')
        boot_cpu=$(awk -v v="$(kv_get "$C" pid1_cpu_boot_ns)" 'BEGIN { if (v == "NA") print "NA"; else printf "%.1f", v / 1e6 }')
        {
                printf 'boot label=%s type=%s n=%s rep=%s status=%s' "$mgr" "$type" "$n" "$rep" "$status"
                printf ' load1=%s busy_pct=%s quiet_wait_s=%s others_busy_pct=%s' "$load" "$busy" "$waited" "$others"
                printf ' boot_ms=%s pid1_cpu_boot_ms=%s mgr_cpu_boot_ms=%s' "$boot_ms" "$boot_cpu" "$mgr_boot"
                printf ' rss_kb=%s hwm_kb=%s' "$(kv_get "$C" rss_kb)" "$(kv_get "$C" hwm_kb)"
                printf ' mgr_pids=%s mgr_rss_kb=%s mgr_hwm_kb=%s mgr_rss_idle_kb=%s' "$(kv_get "$C" mgr_pids)" "$(kv_get "$C" mgr_rss_kb)" "$(kv_get "$C" mgr_hwm_kb)" "$(kv_get "$C" mgr_rss_idle_kb)"
                printf ' active=%s sleep_procs=%s list_lines=%s' "$(kv_get "$C" active_after_boot)" "$(kv_get "$C" sleep_procs)" "$(kv_get "$C" list_lines)"
                printf ' ctl_version_ms=%s is_active_ms=%s' "$(median_us_ms "$C" ctl_version)" "$(median_us_ms "$C" is_active)"
                printf ' list_ms=%s start_ms=%s stop_ms=%s' "$(median_us_ms "$C" list_units)" "$(median_us_ms "$C" start)" "$(median_us_ms "$C" stop)"
                printf ' start_mgr_cpu_ms=%s' "$(median_mgr_ms "$C" start)"
                printf ' reload_ms=%s reload_mgr_cpu_ms=%s rss_after_reload_kb=%s active_after_reload=%s' \
                        "$(median_us_ms "$C" daemon_reload)" "$(median_mgr_ms "$C" daemon_reload)" \
                        "$(kv_get "$C" rss_after_reload_kb)" "$(kv_get "$C" active_after_reload)"
                printf ' mgr_rss_after_reload_kb=%s mgr_rss_idle_after_reload_kb=%s' \
                        "$(kv_get "$C" mgr_rss_after_reload_kb)" "$(kv_get "$C" mgr_rss_idle_after_reload_kb)"
                printf ' reexec_ms=%s' "$(median_us_ms "$C" daemon_reexec)"
                printf ' timev_maxrss_kb=%s errors=%s\n' "${maxrss:-NA}" "$(grep -c '^error_' "$C" 2> /dev/null || true)"
        } >> "$RES"
        tail -1 "$RES"
        # a boot where not every service came up does not count
        if [ "$(kv_get "$C" active_after_boot)" != "$n" ]; then
                echo "run.sh: $mgr $type n=$n rep=$rep: $(kv_get "$C" active_after_boot) of $n services active" >&2
                return 1
        fi
        [ "$status" = ok ]
}

summarize() { # LABEL TYPE N -> one summary line: medians over the status=ok boots
        awk -v label="$1" -v type="$2" -v n="$3" '
            function med(arr, cnt,   i, j, t) {
                for (i = 0; i < cnt; i++) for (j = i + 1; j < cnt; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
                return (cnt % 2) ? arr[int(cnt / 2)] : (arr[cnt / 2 - 1] + arr[cnt / 2]) / 2
            }
            $1 == "boot" {
                delete f
                for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                if (f["label"] != label || f["type"] != type || f["n"] != n || f["status"] != "ok") next
                if (f["active"] != n) next
                nb++
                for (k in f) if (f[k] ~ /^[0-9.]+$/ && k != "n" && k != "rep") { v[k, cnt[k]++] = f[k] + 0; keys[k] = 1 }
            }
            END {
                line = sprintf("summary label=%s type=%s n=%s boots=%d", label, type, n, nb)
                split("others_busy_pct boot_ms pid1_cpu_boot_ms mgr_cpu_boot_ms rss_kb hwm_kb mgr_rss_kb mgr_hwm_kb mgr_rss_idle_kb active list_ms start_ms stop_ms start_mgr_cpu_ms reload_ms reload_mgr_cpu_ms rss_after_reload_kb mgr_rss_after_reload_kb mgr_rss_idle_after_reload_kb reexec_ms timev_maxrss_kb errors", order, " ")
                for (o = 1; o in order; o++) {
                    k = order[o]
                    if (!(k in keys)) { line = line " " k "=NA"; continue }
                    delete a; for (i = 0; i < cnt[k]; i++) a[i] = v[k, i]
                    m = med(a, cnt[k])
                    line = line " " k "=" ((m == int(m)) ? sprintf("%d", m) : sprintf("%.2f", m))
                }
                print line
            }' "$RES"
}

HOST_BEFORE=$(host_state)

{
        echo "# bench/boot/run.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) managers:$RUN_MANAGERS build: $BUILD"
        echo "# ns: $NS  types: $TYPES  reps: $REPS  k: $K  ops: $OPS  nice: $NICE  cpus: ${CPUS:-all}"
        echo "# quiet: wait <= ${QUIET_WAIT}s for busy <= ${BUSY_MAX}%; boots with others_busy_pct > ${OTHERS_MAX} are status=noisy (repeated, not in summary)"
        bench_header
        printf '%s' "$NOT_MEASURED" | sed 's/^/# not measured: /'
} >> "$RES"

# Managers interleaved per (type, N), so that both see the same machine.
for type in $TYPES; do
        for n in $NS; do
                declare -A good=() tries=()
                for m in $RUN_MANAGERS; do good[$m]=0 tries[$m]=0; done
                for ((round = 1; round <= REPS + 2; round++)); do
                        for m in $RUN_MANAGERS; do
                                [ "${good[$m]}" -lt "$REPS" ] || continue
                                [ "${tries[$m]}" -lt $((REPS + 2)) ] || continue
                                tries[$m]=$((tries[$m] + 1))
                                if boot_one "$m" "$type" "$n" "${tries[$m]}"; then good[$m]=$((good[$m] + 1)); fi
                        done
                done
                for m in $RUN_MANAGERS; do summarize "$m" "$type" "$n" >> "$RES"; done
                unset good tries
        done
done

# Ratios sysmaster / systemd per (type, N).
awk '$1 == "summary" {
        delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        key = f["type"] " " f["n"]
        for (k in f) val[f["label"], key, k] = f[k]
        keys[key] = 1
     }
     function ratio(a, b) { return (a == "" || b == "" || a == "NA" || b == "NA" || b + 0 == 0) ? "NA" : sprintf("%.3f", a / b) }
     END {
        for (key in keys) {
            if (val["sysmaster", key, "boots"] == "" || val["systemd", key, "boots"] == "") continue
            split(key, tn, " ")
            printf "ratio type=%s n=%s boot=%s rss=%s rss_idle=%s list=%s start=%s stop=%s reload=%s init_rss_kb=%s\n", tn[1], tn[2],
                ratio(val["sysmaster", key, "boot_ms"], val["systemd", key, "boot_ms"]),
                ratio(val["sysmaster", key, "mgr_rss_kb"], val["systemd", key, "rss_kb"]),
                ratio(val["sysmaster", key, "mgr_rss_idle_kb"], val["systemd", key, "mgr_rss_idle_kb"]),
                ratio(val["sysmaster", key, "list_ms"], val["systemd", key, "list_ms"]),
                ratio(val["sysmaster", key, "start_ms"], val["systemd", key, "start_ms"]),
                ratio(val["sysmaster", key, "stop_ms"], val["systemd", key, "stop_ms"]),
                ratio(val["sysmaster", key, "reload_ms"], val["systemd", key, "reload_ms"]),
                val["sysmaster", key, "rss_kb"]
        }
     }' "$RES" | sort -t' ' -k2,2 -k3,3V >> "$RES"

host_check "$RES"

# ---------------------------------------------------------------------------
echo
echo "results: $RES"
printf '%-10s %-7s %5s %3s %8s %8s %7s %7s %7s %8s %7s %9s\n' \
        manager type N ok boot_ms mgrcpu rss_MiB mgr_MiB list_ms start_ms stop_ms reload_ms
awk '$1 == "summary" {
        delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        printf "%-10s %-7s %5s %3s %8s %8s %7s %7s %7s %8s %7s %9s\n", f["label"], f["type"], f["n"], f["boots"],
            f["boot_ms"], f["mgr_cpu_boot_ms"],
            (f["rss_kb"] == "NA") ? "NA" : sprintf("%.1f", f["rss_kb"] / 1024),
            (f["mgr_rss_kb"] == "NA") ? "NA" : sprintf("%.1f", f["mgr_rss_kb"] / 1024),
            f["list_ms"], f["start_ms"], f["stop_ms"], f["reload_ms"]
     }' "$RES"
echo "(ms = wall-clock milliseconds, medians over the good boots; mgrcpu = CPU ms of PID 1 + the manager"
echo " during boot; rss = PID 1 (sysmaster-init for sysmaster), mgr = PID 1 + the manager process)"
if grep -q '^ratio ' "$RES"; then
        echo
        echo "sysmaster / systemd (targets: boot <= 0.25 at N=1000, rss <= 0.30, reload <= 0.25, init RSS < 1024 kB)"
        printf '%-7s %5s %7s %7s %8s %7s %7s %7s %7s %11s\n' type N boot rss rss_idle list start stop reload init_rss_kB
        awk '$1 == "ratio" {
                delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                printf "%-7s %5s %7s %7s %8s %7s %7s %7s %7s %11s\n", f["type"], f["n"], f["boot"], f["rss"],
                    f["rss_idle"], f["list"], f["start"], f["stop"], f["reload"], f["init_rss_kb"] }' "$RES"
else
        echo
        echo "no ratios: both managers are needed (${NOT_MEASURED%$'\n'})"
fi
