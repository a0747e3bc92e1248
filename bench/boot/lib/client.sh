#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# client.sh -- measurement client (from ../shared/bench/boot); run.sh starts it inside every namespace of
# the booted manager (nsenter --all), so /proc/1 is the manager under test and
# /run/bench is the results directory (also the sandbox state directory: pid1cpu0 and
# cg0, the baselines written just before the exec of PID 1, are there).
#
# Environment (from run.sh):
#   BENCH_CTL   control command, word-split (default /usr/bin/systemctl)
#   BENCH_N     number of svc-K units;  BENCH_TYPE  simple|exec|oneshot
#   BENCH_K     repetitions of each operation
#   BENCH_OPS   comma list of: list,startstop,reload,reexec
#   BENCH_MGR_COMMS  process names (comm) that belong to the manager besides
#               PID 1 (split init + manager designs); their RSS/CPU is added
#               to PID 1's in the mgr_* keys
# Output: /run/bench/client.kv, lines "KEY=VALUE" (scalars) and
#         "sample OP US CPU_NS CG_US MGR_NS" (one per successful timed call;
#         US = wall microseconds, CPU_NS = CPU nanoseconds PID 1 spent during
#         the call (/proc/1/schedstat), CG_US = CPU microseconds of the whole
#         namespace cgroup during the call (manager + its children: generators,
#         forked services; not this client), from /sys/fs/cgroup/cpu.stat,
#         MGR_NS = CPU nanoseconds of PID 1 + the BENCH_MGR_COMMS processes).
set -u
[ -n "${BENCH_TRACE:-}" ] && { exec 2>> /run/bench/client.trace; set -x; }
export LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin
read -r -a CTL <<< "${BENCH_CTL:-/usr/bin/systemctl}"
N=${BENCH_N:?} TYPE=${BENCH_TYPE:?} K=${BENCH_K:-5} OPS=",${BENCH_OPS:-list,startstop,reload,reexec},"
OUT=/run/bench/client.kv
: > "$OUT"

kv()  { printf '%s=%s\n' "$1" "$2" >> "$OUT"; }
us()  { local t=$EPOCHREALTIME; REPLY=${t/./}; }          # wall clock, microseconds
cpu() { local a; read -r a _ < /proc/1/schedstat; REPLY=$a; }  # PID 1 on-CPU ns
read -r -a MGR_COMMS <<< "${BENCH_MGR_COMMS:-}"
MGR_PIDS=(1)
find_mgr() { # MGR_PIDS = 1 + every process whose comm is in MGR_COMMS
    local p c n
    MGR_PIDS=(1)
    [ ${#MGR_COMMS[@]} -gt 0 ] || return 0
    for p in /proc/[0-9]*; do
        [ "${p#/proc/}" = 1 ] && continue
        read -r c < "$p/comm" 2>/dev/null || continue
        for n in "${MGR_COMMS[@]}"; do [ "$c" = "$n" ] && MGR_PIDS+=("${p#/proc/}"); done
    done
}
mgrcpu() { # summed on-CPU ns of MGR_PIDS (a pid that went away counts 0)
    local p a t=0
    for p in "${MGR_PIDS[@]}"; do
        read -r a _ < "/proc/$p/schedstat" 2>/dev/null && t=$((t + a))
    done
    REPLY=$t
}
mgr_status_kb() { # FIELD -> sum over MGR_PIDS of /proc/PID/status FIELD (kB)
    local p k v _ t=0
    for p in "${MGR_PIDS[@]}"; do
        while read -r k v _; do [ "$k" = "$1:" ] && { t=$((t + v)); break; }; done < "/proc/$p/status" 2>/dev/null
    done
    REPLY=$t
}
cgcpu() { # namespace cgroup usage_usec (cgroup2 root of our cgroup namespace)
    local k v; REPLY=0
    while read -r k v; do [ "$k" = usage_usec ] && { REPLY=$v; return; }; done < /sys/fs/cgroup/cpu.stat
}
status_kb() { # FIELD -> value in kB from /proc/1/status
    local k v _
    while read -r k v _; do [ "$k" = "$1:" ] && { REPLY=$v; return; }; done < /proc/1/status
    REPLY=NA
}
count_active() { # number of svc-* units the manager reports active
    "${CTL[@]}" list-units --type=service --state=active --no-legend --plain --no-pager 'svc-*' 2>/dev/null | grep -c '^svc-'
}
sleep_pids() { # sorted pids of /bin/sleep in this pid namespace
    local p c
    for p in /proc/[0-9]*; do
        read -r c < "$p/comm" 2>/dev/null || continue
        [ "$c" = sleep ] && echo "${p#/proc/}"
    done | sort -n
}
timed() { # OP CMD... : run CMD once, record a sample
    local op=$1; shift
    local c0 c1 g0 g1 m0 m1 t0 t1 rc
    cgcpu; g0=$REPLY; mgrcpu; m0=$REPLY; cpu; c0=$REPLY; us; t0=$REPLY
    "$@" > /dev/null 2>> /run/bench/client.err; rc=$?
    us; t1=$REPLY; cpu; c1=$REPLY; mgrcpu; m1=$REPLY; cgcpu; g1=$REPLY
    if [ $rc = 0 ]; then   # only successful calls become samples
        echo "sample $op $((t1 - t0)) $((c1 - c0)) $((g1 - g0)) $((m1 - m0))" >> "$OUT"
    else
        kv "error_$op" "rc=$rc"
    fi
    return $rc
}

# ---- state right after boot -------------------------------------------------
cpu; read -r p0 < /run/bench/pid1cpu0 2>/dev/null || p0=0
[[ $p0 =~ ^[0-9]+$ ]] || p0=0
kv type "$TYPE"; kv n "$N"
kv pid1_cpu_boot_ns $((REPLY - p0))
cgcpu; read -r g0 < /run/bench/cg0 2>/dev/null || g0=0
[[ $g0 =~ ^[0-9]+$ ]] || g0=0
kv cg_cpu_boot_us $((REPLY - g0))
status_kb VmRSS; kv rss_kb "$REPLY"
status_kb VmHWM; kv hwm_kb "$REPLY"
find_mgr
kv mgr_pids "${#MGR_PIDS[@]}"
mgrcpu; kv mgr_cpu_boot_ns $((REPLY - p0))   # other manager processes: their whole life
mgr_status_kb VmRSS; kv mgr_rss_kb "$REPLY"
mgr_status_kb VmHWM; kv mgr_hwm_kb "$REPLY"
# The same once idle: a manager may still be writing its state or giving memory back when the
# last unit became active (sysmaster settles its heap and store cache ~1 s after start-up).
sleep 2
mgr_status_kb VmRSS; kv mgr_rss_idle_kb "$REPLY"
kv active_after_boot "$(count_active)"
SLEEPS0=() SLEEPS1=()
mapfile -t SLEEPS0 < <(sleep_pids)
kv sleep_procs "${#SLEEPS0[@]}"
# systemd-specific cross-check (ignored if the manager lacks "show")
st=$("${CTL[@]}" show -p UserspaceTimestampMonotonic -p FinishTimestampMonotonic --value 2>/dev/null | tr '\n' ' ')
read -r u f <<< "$st"
if [[ "${u:-}" =~ ^[0-9]+$ && "${f:-}" =~ ^[0-9]+$ && $f -gt $u ]]; then kv reported_startup_us $((f - u)); fi
kv manager_version "$("${CTL[@]}" show -p Version --value 2>/dev/null | head -1)"

# ---- client baseline: exec of the control tool without IPC ------------------
for ((i = 0; i < K; i++)); do timed ctl_version "${CTL[@]}" --version; done
# ---- smallest IPC round trip --------------------------------------------------
for ((i = 0; i < K; i++)); do timed is_active "${CTL[@]}" is-active svc-1.service; done

# ---- (c) list-units ----------------------------------------------------------
if [[ $OPS == *,list,* ]]; then
    kv list_lines "$("${CTL[@]}" list-units --no-pager --no-legend 2>/dev/null | wc -l)"
    for ((i = 0; i < K; i++)); do timed list_units "${CTL[@]}" list-units --no-pager; done
fi

# ---- (c) stop / start of one unit ---------------------------------------------
# Iteration i uses svc-(i+1): one stop+start per unit, so systemd's default
# start rate limit (5 starts per 10 s per unit) is never hit.
if [[ $OPS == *,startstop,* ]]; then
    for ((i = 0; i < K; i++)); do
        u=svc-$((i % N + 1)).service
        timed stop  "${CTL[@]}" stop  "$u"
        timed start "${CTL[@]}" start "$u"
    done
    mapfile -t SLEEPS0 < <(sleep_pids)   # restarted units got new pids
fi

# ---- (d) daemon-reload ---------------------------------------------------------
if [[ $OPS == *,reload,* ]]; then
    for ((i = 0; i < K; i++)); do timed daemon_reload "${CTL[@]}" daemon-reload; done
    status_kb VmRSS; kv rss_after_reload_kb "$REPLY"
    mgr_status_kb VmRSS; kv mgr_rss_after_reload_kb "$REPLY"
    # and once the manager is idle again (sysmaster gives the reload's free heap back a second
    # after it; both managers are read at the same moment)
    sleep 2
    mgr_status_kb VmRSS; kv mgr_rss_idle_after_reload_kb "$REPLY"
    kv active_after_reload "$(count_active)"
fi

# ---- (e) daemon-reexec (serialize, exec, deserialize) ----------------------------
# "systemctl daemon-reexec" returns when the old manager drops the connection,
# i.e. before the new one is ready; the sample therefore runs until the first
# successful "is-active bench.target" answered by the new instance.
if [[ $OPS == *,reexec,* ]]; then
    for ((i = 0; i < K; i++)); do
        cgcpu; g0=$REPLY; mgrcpu; m0=$REPLY; cpu; c0=$REPLY; us; t0=$REPLY
        "${CTL[@]}" daemon-reexec > /dev/null 2>> /run/bench/client.err
        rc=$?
        us; tr=$REPLY
        ok=0
        if [ $rc = 0 ]; then
            # probe until the new instance answers (at most 60 s)
            for ((j = 0; ; j++)); do
                if "${CTL[@]}" is-active -q bench.target 2>/dev/null; then ok=1; break; fi
                us; (( REPLY - tr > 60000000 )) && break
            done
        else
            kv error_daemon_reexec "rc=$rc"; break
        fi
        us; t1=$REPLY; cpu; c1=$REPLY; mgrcpu; m1=$REPLY; cgcpu; g1=$REPLY
        echo "sample daemon_reexec $((t1 - t0)) $((c1 - c0)) $((g1 - g0)) $((m1 - m0))" >> "$OUT"
        echo "sample daemon_reexec_call $((tr - t0)) 0 0 0" >> "$OUT"
        find_mgr   # a re-executed manager may have new pids
        [ $ok = 1 ] || { kv error_daemon_reexec "not back after $j probes"; break; }
    done
    status_kb VmRSS; kv rss_after_reexec_kb "$REPLY"
    status_kb VmHWM; kv hwm_after_reexec_kb "$REPLY"
    mgr_status_kb VmRSS; kv mgr_rss_after_reexec_kb "$REPLY"
    kv active_after_reexec "$(count_active)"
    mapfile -t SLEEPS1 < <(sleep_pids)
    if [ "${SLEEPS0[*]}" = "${SLEEPS1[*]}" ]; then kv reexec_kept_pids yes; else kv reexec_kept_pids no; fi
fi
cpu; kv pid1_cpu_end_ns "$REPLY"
kv client_done 1
