#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-chaos.sh: the chaos test of crash recovery (issue 5). sysmaster boots about N units in the
# sandbox (tools/sysmaster-sandbox) while a client runs a fixed, seeded script of idempotent
# `systemctl start X` / `stop X` / `daemon-reload` calls, and a socket client connects in a loop
# to an Accept=yes socket unit. This is done twice:
#   - the reference run: nothing is killed;
#   - the chaos run: meanwhile a killer, at random moments, sends the manager (not PID 1)
#     SIGKILL, SIGSEGV or SIGABRT (KILLS times, some after a SIGSTOP of up to 1.5 s so that
#     services end while no manager runs), crashes it at every fault-injection point
#     (src/core/fault-inject.h; FAULTS times, the points and signals in turn), re-executes it
#     with `systemctl daemon-reexec` and re-executes init (SIGTERM to PID 1) (REEXECS times
#     each).
# Units: long-running services, oneshot RemainAfterExit= services, Restart=always services that
# exit on their own RESTARTS times after a random short time and then stay up, services that
# fail once after a random short time and have OnFailure=, the client's services (simple and
# oneshot) and targets wanting several of them, the socket unit. Every service appends a line to
# its marker file when it starts.
# Checks (chaos run): the final `systemctl show` of every unit (states, results, exit statuses,
# NRestarts) equals the reference run's, and so do the failed units, the empty job queue and the
# number of processes of every service; every marker file has exactly the lines the script
# implies (boot units one, Restart= units RESTARTS+1, the client's units one per start of an
# inactive unit): nothing started twice, no restart lost; every OnFailure= handler ran once; no
# exit status was lost (the console says so when the manager finds a PID gone unrecorded);
# some services ended while no manager ran (and were handled by the checks above); the socket
# client never saw ECONNREFUSED nor a connection left unanswered; every failed systemctl call
# printed an error and a retry succeeded (no hang, no empty message, no wrong answer); every
# fault point was reached; the manager died or re-executed only when we made it (no crash of
# its own, e.g. while recovering), init never backed off; the sandbox stops cleanly.
#
# Parameters (environment): N=100 units, KILLS=20, FAULTS=5, REEXECS=2, OPS (client calls,
# default N/2), RESTARTS=3, SEED=1 (the unit mix, the client's script and the kill moments).
# Defaults (CI): 75-80 s with gcc, 2-4 min under ASan, measured on 2 cores at load 11-15 (other
# tests running; less on an idle machine; lower N and KILLS for less). Full run (6-7 min there):
#   N=1000 KILLS=100 FAULTS=25 REEXECS=10 test/integration/test-chaos.sh Outputs in $top_builddir/test/chaos.out (console logs, snapshots, diffs).
# Exit: 0 all held, 1 something did not, 77 skipped (not root, no sysmaster build).
set -uo pipefail

N=${N:-100}
KILLS=${KILLS:-20}
FAULTS=${FAULTS:-5}
REEXECS=${REEXECS:-2}
OPS=${OPS:-$((N / 2))}
RESTARTS=${RESTARTS:-3}
SEED=${SEED:-1}

. "$(dirname "$0")/lib/sandbox.sh"
. "$(dirname "$0")/lib/recovery.sh"
sandbox_init chaos
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
[ -x /usr/bin/python3 ] || sandbox_skip "/usr/bin/python3 is needed for the socket client"
[ "$N" -ge 40 ] || { echo "test-chaos: N must be at least 40"; exit 1; }
OUT=$SANDBOX_OUT
UNITS=$OUT/units
B=/etc/systemd/system/bin # $UNITS/bin inside
S=/run/sandbox            # the state directory of the current sandbox, inside
mkdir -p "$UNITS/bin"
fail=0
T0=$(date +%s)
echo "test-chaos: N=$N KILLS=$KILLS FAULTS=$FAULTS REEXECS=$REEXECS OPS=$OPS RESTARTS=$RESTARTS SEED=$SEED"

# ---- the unit tree -------------------------------------------------------------------------------
RANDOM=$SEED
n_long=$((N * 20 / 100)) n_once=$((N * 15 / 100)) n_restart=$((N * 15 / 100))
n_fail=$((N * 5 / 100)) n_cs=$((N * 15 / 100)) n_co=$((N * 15 / 100)) n_grp=$((N * 5 / 100))
ALL=()     # every unit of the test (snapshots)
BOOT=()    # wanted by default.target
sandbox_write_stub_targets "$UNITS" sysinit basic shutdown sockets
ALL+=(sysinit.target basic.target shutdown.target sockets.target)
recovery_write_tools "$UNITS/bin"
cat > "$UNITS/bin/rnd.sh" << 'EOT'
# rnd MAX_TENTHS: sleeps 0.1 .. MAX_TENTHS/10 s
rnd() {
        r=$(($(od -An -N2 -tu2 /dev/urandom) % $1 + 1))
        sleep "$((r / 10)).$((r % 10))"
}
EOT
cat > "$UNITS/bin/restart.sh" << 'EOT'
#!/bin/sh
# restart.sh NAME K: exits (status 1) after a random short time until NAME was started K+1
# times, then stays up
. /etc/systemd/system/bin/rnd.sh
if [ "$(wc -l < "/run/sandbox/$1.marker")" -le "$2" ]; then
        rnd 20
        echo "$1 $(date +%s%N)" >> /run/sandbox/exits
        exit 1
fi
exec sleep 100000
EOT
cat > "$UNITS/bin/fail.sh" << 'EOT'
#!/bin/sh
# fail.sh NAME: fails (status 3) after a random short time
. /etc/systemd/system/bin/rnd.sh
rnd 40
echo "$1 $(date +%s%N)" >> /run/sandbox/exits
exit 3
EOT
chmod +x "$UNITS"/bin/*.sh

for ((i = 1; i <= n_long; i++)); do
        printf '[Unit]\nDescription=long running %d\n[Service]\nExecStart=%s/run.sh long-%d /bin/sleep 100000\n' \
                $i $B $i > "$UNITS/long-$i.service"
        BOOT+=("long-$i.service")
done
for ((i = 1; i <= n_once; i++)); do
        printf '[Unit]\nDescription=oneshot %d\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=%s/run.sh once-%d /bin/true\n' \
                $i $B $i > "$UNITS/once-$i.service"
        BOOT+=("once-$i.service")
done
for ((i = 1; i <= n_restart; i++)); do
        printf '[Unit]\nDescription=exits %d times, restarted\nStartLimitIntervalSec=0\n[Service]\nExecStart=%s/run.sh restart-%d %s/restart.sh restart-%d %d\nRestart=always\nRestartSec=%dms\n' \
                "$RESTARTS" $B $i $B $i "$RESTARTS" $((RANDOM % 200 + 50)) > "$UNITS/restart-$i.service"
        BOOT+=("restart-$i.service")
done
printf '[Unit]\nDescription=OnFailure= handler of %%i\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=%s/run.sh onfail-%%i /bin/true\n' \
        $B > "$UNITS/onfail@.service"
for ((i = 1; i <= n_fail; i++)); do
        printf '[Unit]\nDescription=fails once\nOnFailure=onfail@fail-%d.service\n[Service]\nExecStart=%s/run.sh fail-%d %s/fail.sh fail-%d\n' \
                $i $B $i $B $i > "$UNITS/fail-$i.service"
        BOOT+=("fail-$i.service")
        ALL+=("onfail@fail-$i.service")
done
for ((i = 1; i <= n_cs; i++)); do
        printf '[Unit]\nDescription=client simple %d\n[Service]\nExecStart=%s/run.sh cs-%d /bin/sleep 100000\n' \
                $i $B $i > "$UNITS/cs-$i.service"
done
for ((i = 1; i <= n_co; i++)); do
        printf '[Unit]\nDescription=client oneshot %d\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=%s/run.sh co-%d /bin/true\n' \
                $i $B $i > "$UNITS/co-$i.service"
done
declare -A WANTS
for ((i = 1; i <= n_grp; i++)); do
        WANTS[grp-$i.target]="co-$((RANDOM % n_co + 1)).service cs-$((RANDOM % n_cs + 1)).service co-$((RANDOM % n_co + 1)).service"
        printf '[Unit]\nDescription=group %d\nWants=%s\n' $i "${WANTS[grp-$i.target]}" > "$UNITS/grp-$i.target"
done
recovery_write_echo_units "$UNITS"
BOOT+=(echo.socket)
{
        echo "[Unit]"
        echo "Description=chaos boot"
        printf 'Wants=%s\n' "${BOOT[@]}"
} > "$UNITS/default.target"
ALL+=(default.target "${BOOT[@]}")
for ((i = 1; i <= n_cs; i++)); do ALL+=("cs-$i.service"); done
for ((i = 1; i <= n_co; i++)); do ALL+=("co-$i.service"); done
for ((i = 1; i <= n_grp; i++)); do ALL+=("grp-$i.target"); done
printf '%s\n' "${ALL[@]}" > "$UNITS/bin/units.list"
echo "units: ${#ALL[@]} ($n_long long-running, $n_once oneshot, $n_restart Restart=always," \
        "$n_fail with OnFailure= + handlers, $((n_cs + n_co)) for the client, $n_grp targets, a socket)"

# ---- the client's script and what it implies -----------------------------------------------------
# Every start of an inactive unit makes exactly one marker line; stop and start of an active unit
# none. Starting a target starts what it wants (the target's Wants= are not stopped with it).
declare -A ACTIVE COUNT
: > "$UNITS/bin/ops.txt"
for ((k = 0; k < OPS; k++)); do
        r=$((RANDOM % 100))
        if [ $((RANDOM % 2)) = 0 ]; then u=cs-$((RANDOM % n_cs + 1)).service; else u=co-$((RANDOM % n_co + 1)).service; fi
        g=grp-$((RANDOM % n_grp + 1)).target
        if [ $r -lt 45 ]; then
                echo "start $u"
                [ "${ACTIVE[$u]:-0}" = 1 ] || COUNT[$u]=$((${COUNT[$u]:-0} + 1))
                ACTIVE[$u]=1
        elif [ $r -lt 80 ]; then
                echo "stop $u"
                ACTIVE[$u]=0
        elif [ $r -lt 90 ]; then
                echo "start $g"
                ACTIVE[$g]=1
                for u in ${WANTS[$g]}; do
                        [ "${ACTIVE[$u]:-0}" = 1 ] || COUNT[$u]=$((${COUNT[$u]:-0} + 1))
                        ACTIVE[$u]=1
                done
        elif [ $r -lt 97 ]; then
                echo "stop $g"
                ACTIVE[$g]=0
        else
                echo daemon-reload
        fi >> "$UNITS/bin/ops.txt"
done
{ # NAME MARKER-LINES for every marker the test expects
        for ((i = 1; i <= n_long; i++)); do echo "long-$i 1"; done
        for ((i = 1; i <= n_once; i++)); do echo "once-$i 1"; done
        for ((i = 1; i <= n_restart; i++)); do echo "restart-$i $((RESTARTS + 1))"; done
        for ((i = 1; i <= n_fail; i++)); do echo "fail-$i 1"; echo "onfail-fail-$i 1"; done
        for ((i = 1; i <= n_cs; i++)); do echo "cs-$i ${COUNT[cs-$i.service]:-0}"; done
        for ((i = 1; i <= n_co; i++)); do echo "co-$i ${COUNT[co-$i.service]:-0}"; done
} | sort > "$OUT/expected-markers.txt"
for u in "${!ACTIVE[@]}"; do
        [ "${ACTIVE[$u]}" = 1 ] && echo "$u active" || echo "$u inactive"
done | sort > "$OUT/expected-client-states.txt"

# ---- the killer's script -------------------------------------------------------------------------
# One action a line: sig SIG | stop MS SIG (SIGSTOP, MS ms, SIG, SIGCONT) | fault POINT=SIG |
# reexec | initreexec; each after "wait MS". The first is a long stop (services end meanwhile).
{
        acts=("stop 1500 KILL")
        sigs=(KILL SEGV ABRT)
        for ((k = 1; k < KILLS; k++)); do
                s=${sigs[k % 3]}
                if [ $((RANDOM % 5)) = 0 ]; then acts+=("stop $((RANDOM % 700 + 100)) $s"); else acts+=("sig $s"); fi
        done
        points=(after-fork mid-transaction before-signal mid-reload after-commit)
        fsigs=(SEGV ABRT KILL)
        for ((k = 0; k < FAULTS; k++)); do acts+=("fault ${points[k % 5]}=${fsigs[(k / 5 + k) % 3]}"); done
        for ((k = 0; k < REEXECS; k++)); do acts+=(reexec initreexec); done
        echo "${acts[0]}"
        unset 'acts[0]'
        for a in "${acts[@]}"; do echo "$((RANDOM)) $a"; done | sort -n | cut -d' ' -f2-
} | while read -r a; do
        if [ $((RANDOM % 10)) = 0 ]; then echo "wait $((RANDOM % 400 + 300)) $a"; else echo "wait $((RANDOM % 230 + 20)) $a"; fi
done > "$UNITS/bin/kills.txt"

# ---- the programs run inside ---------------------------------------------------------------------
cat > "$UNITS/bin/ctl.sh" << 'EOT'
# call ARGS...: systemctl ARGS until it succeeds (at most 100 tries, 60 s each); every failed
# attempt is logged to /run/sandbox/calls.log: "ERR rc=RC systemctl ARGS :: MESSAGE"; a hang
# (timeout) as "HANG", a failure without a message as "UNCLEAR", giving up as "GAVEUP".
call() {
        local try=0 err rc
        while :; do
                err=$(timeout 60 systemctl "$@" 2>&1 > /dev/null < /dev/null)
                rc=$?
                if [ $rc = 0 ]; then
                        echo "OK tries=$try systemctl $*" >> /run/sandbox/calls.log
                        return 0
                fi
                err=$(echo "$err" | tr '\n' ' ')
                if [ $rc = 124 ]; then
                        echo "HANG $(date +%s.%N) systemctl $* :: no answer in 60 s" >> /run/sandbox/calls.log
                elif [ -z "${err// /}" ]; then
                        echo "UNCLEAR $(date +%s.%N) rc=$rc systemctl $* :: (no message)" >> /run/sandbox/calls.log
                else
                        echo "ERR $(date +%s.%N) rc=$rc systemctl $* :: $err" >> /run/sandbox/calls.log
                fi
                try=$((try + 1))
                if [ $try -ge 100 ]; then
                        echo "GAVEUP systemctl $*" >> /run/sandbox/calls.log
                        return 1
                fi
                sleep 0.1
        done
}
EOT
cat > "$UNITS/bin/client.sh" << 'EOT'
#!/bin/bash
# The client: the script ops.txt, one systemctl call at a time, each until it succeeds.
. /etc/systemd/system/bin/ctl.sh
for _ in $(seq 600); do [ -S /run/systemd/private ] && break; sleep 0.05; done
while read -r op; do
        call $op
done < /etc/systemd/system/bin/ops.txt
date +%s.%N > /run/sandbox/client.done
EOT
cat > "$UNITS/bin/killer.sh" << 'EOT'
#!/bin/bash
# The killer: kills.txt. Logs to /run/sandbox/killer.log; "delivered" lines count what made the
# manager die or re-execute; "window START END" (ns) is a time during which no manager ran.
. /etc/systemd/system/bin/ctl.sh
log() { echo "$(date +%s.%N) $*" >> /run/sandbox/killer.log; }
manager() { # the manager's PID (the sysmaster child of PID 1)
        local p
        for _ in $(seq 600); do
                p=$(pgrep -x -P 1 sysmaster | head -n 1)
                [ -n "$p" ] && { echo "$p"; return 0; }
                sleep 0.05
        done
        log "ERROR no manager process for 30 s"
        return 1
}
answers() { # until the manager answers (at most 60 s)
        for _ in $(seq 120); do
                case $(timeout 30 systemctl is-system-running 2> /dev/null < /dev/null) in
                initializing | starting | running | degraded | maintenance | stopping) return 0 ;;
                esac
                sleep 0.05
        done
        log "ERROR the manager did not answer for 60 s"
        return 1
}
fired() { grep -c "Fault injection: crashing at \"$1\"" /run/sandbox/console.log; }
# wait for the first start of a Restart= unit: the first stop then catches them exiting
for _ in $(seq 1200); do [ -s /run/sandbox/restart-1.marker ] && break; sleep 0.05; done
while read -r _ ms act a1 a2; do
        sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
        case $act in
        sig)
                p=$(manager) && kill -s "$a1" "$p" 2> /dev/null && log "delivered SIG$a1 to $p"
                ;;
        stop)
                p=$(manager) || continue
                kill -STOP "$p" || continue
                t0=$(date +%s%N)
                sleep "$((a1 / 1000)).$(printf %03d $((a1 % 1000)))"
                kill -s "$a2" "$p" && log "delivered SIG$a2 to $p stopped for $a1 ms"
                t1=$(date +%s%N)
                kill -CONT "$p"
                log "window $t0 $t1"
                ;;
        fault)
                point=${a1%=*}
                answers
                n0=$(fired "$point")
                mkdir -p /run/sysmaster
                echo "$a1" > /run/sysmaster/fault
                p=$(manager) && kill -KILL "$p" && log "delivered SIGKILL to $p to arm $a1"
                [ "$point" = mid-reload ] && answers && call daemon-reload
                for _ in $(seq 600); do [ "$(fired "$point")" -gt "$n0" ] && break; sleep 0.05; done
                if [ "$(fired "$point")" -gt "$n0" ]; then
                        log "delivered fault $a1"
                else
                        log "ERROR fault $a1 not reached in 30 s"
                        rm -f /run/sysmaster/fault
                fi
                ;;
        reexec)
                log "delivered daemon-reexec"
                call daemon-reexec
                ;;
        initreexec)
                kill -TERM 1 && log "init re-exec"
                ;;
        esac
done < /etc/systemd/system/bin/kills.txt
date +%s.%N > /run/sandbox/killer.done
EOT
cat > "$UNITS/bin/settle.sh" << 'EOT'
#!/bin/bash
# settle.sh N_RESTART K N_FAIL: until every Restart= unit was started K+1 times and runs, every
# OnFailure= handler ran, no job is left (at most 120 s); prints what did not settle.
n_restart=$1 k=$2 n_fail=$3
r=() f=() h=()
for ((i = 1; i <= n_restart; i++)); do r+=("restart-$i.service"); done
for ((i = 1; i <= n_fail; i++)); do f+=("fail-$i.service"); h+=("onfail@fail-$i.service"); done
t0=$SECONDS
while [ $((SECONDS - t0)) -lt 120 ]; do
        why=""
        for ((i = 1; i <= n_restart; i++)); do
                l=()
                [ -e /run/sandbox/restart-$i.marker ] && mapfile -t l < /run/sandbox/restart-$i.marker
                [ ${#l[@]} -ge $((k + 1)) ] || why+=" restart-$i:starts"
        done
        [ -z "$(systemctl is-active "${r[@]}" "${h[@]}" | grep -vx active)" ] || why+=" not-active"
        [ -z "$(systemctl is-active "${f[@]}" | grep -vx failed)" ] || why+=" not-failed"
        [ "$(systemctl list-jobs --no-legend 2>&1 | head -c 100)" = "" ] || why+=" jobs"
        [ -z "$why" ] && { echo "settled after $((SECONDS - t0)) s"; exit 0; }
        sleep 0.2
done
echo "NOT settled after 120 s:$why"
systemctl list-jobs 2>&1 | head -n 20
exit 1
EOT
cat > "$UNITS/bin/snapshot.sh" << 'EOT'
#!/bin/bash
# snapshot.sh DIR: the final state of every unit of the test into DIR/*.txt
d=$1
mapfile -t units < /etc/systemd/system/bin/units.list
systemctl show -p Id,LoadState,ActiveState,SubState,Result,ExecMainCode,ExecMainStatus,NRestarts,Job "${units[@]}" > "$d/state.txt" 2>&1
systemctl list-units --all --state=failed --plain --no-legend 2>&1 | awk '{ print $1 }' | sort > "$d/failed.txt"
systemctl list-jobs --no-legend > "$d/jobs.txt" 2>&1
for f in /run/sandbox/*.marker; do
        mapfile -t l < "$f"
        n=${f##*/}
        echo "${n%.marker} ${#l[@]}"
done | sort > "$d/markers.txt"
for u in "${units[@]}"; do
        case $u in *.service) ;; *) continue ;; esac
        l=()
        [ -e "/sys/fs/cgroup/system.slice/$u/cgroup.procs" ] && mapfile -t l < "/sys/fs/cgroup/system.slice/$u/cgroup.procs"
        echo "$u ${#l[@]}"
done > "$d/procs.txt"
EOT
chmod +x "$UNITS"/bin/*.sh

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- one run ----------------------------------------------------------------------------------
# run NAME chaos|ref: boots, runs the client (and the killer), waits until things settle, takes
# the snapshot into $OUT/NAME/snap, stops the sandbox.
run() {
        local name=$1 mode=$2 t0 cpid kpid=""
        t0=$(date +%s.%N)
        sandbox_start "$name" --units "$UNITS" -e SYSMASTER_RESTART_BURST=100000 \
                -e SYSMASTER_CRASH_LIMIT=100000 > /dev/null || { echo "FAIL: $name: boot"; return 1; }
        sandbox_run /bin/sh -c "setsid /usr/bin/python3 $B/sockclient.py $S/sock.txt $S/sock.stop 100 > $S/sock.log 2>&1 < /dev/null &"
        sandbox_run /bin/bash $B/client.sh &
        cpid=$!
        if [ "$mode" = chaos ]; then
                sandbox_run /bin/bash $B/killer.sh &
                kpid=$!
        fi
        wait $cpid
        echo "$name: the client's script done after $(elapsed "$t0") s"
        if [ -n "$kpid" ]; then
                wait $kpid
                echo "$name: the killer done after $(elapsed "$t0") s"
        fi
        echo "$name: settling at $(elapsed "$t0") s"
        check "$name: the units settle" sandbox_run /bin/bash $B/settle.sh $n_restart "$RESTARTS" $n_fail
        # the socket client a little longer, then its result
        sleep 0.5
        sandbox_run touch $S/sock.stop
        for _ in $(seq 1 200); do [ -s "$SANDBOX_STATE/sock.txt" ] && break; sleep 0.1; done
        mkdir -p "$SANDBOX_STATE/snap"
        echo "$name: snapshot at $(elapsed "$t0") s"
        sandbox_run /bin/bash $B/snapshot.sh $S/snap
        echo "$name: stopping at $(elapsed "$t0") s"
        check "$name: the sandbox stops cleanly" sandbox_stop "$name"
        echo "$name: $(elapsed "$t0") s in all"
}

run ref ref
REF=$OUT/ref
run chaos chaos
CH=$OUT/chaos

# ---- the checks ---------------------------------------------------------------------------------
same() { # WHAT FILE: ref's and chaos' FILE are equal
        if diff -u "$REF/snap/$2" "$CH/snap/$2" > "$OUT/diff-$1.txt"; then
                return 0
        fi
        head -n 40 "$OUT/diff-$1.txt"
        return 1
}
markers_as_expected() { # RUN: every marker file has the lines the script implies
        local bad
        bad=$(join -a 1 -a 2 -e missing -o 0,1.2,2.2 "$OUT/expected-markers.txt" "$1/snap/markers.txt" 2> /dev/null |
                awk '$2 != $3 && !($2 == 0 && $3 == "missing") && $1 !~ /^echo/ { print "  " $1 ": expected " $2 " starts, found " $3 }')
        [ -z "$bad" ] && return 0
        echo "$bad" | head -n 30
        return 1
}
client_states_as_expected() { # the reference run ended where the script says
        local bad
        bad=$(awk '/^Id=/ { id = substr($0, 4) } /^ActiveState=/ { print id, substr($0, 13) }' "$REF/snap/state.txt" |
                sort | join - "$OUT/expected-client-states.txt" | awk '$2 != $3 { print "  " $0 }')
        [ -z "$bad" ] && return 0
        echo "$bad" | head -n 30
        return 1
}
sock_clean() { # RUN
        echo "  $1: $(cat "$OUT/$1/sock.txt" 2> /dev/null)"
        recovery_client_ok "$OUT/$1/sock.txt" && return 0
        head -n 10 "$OUT/$1/sock.log"
        return 1
}
calls_clean() { # RUN: no hang, no empty message, no give-up, no wrong answer
        local f=$OUT/$1/calls.log bad
        bad=$(grep -E '^(HANG|UNCLEAR|GAVEUP)' "$f"
                grep '^ERR' "$f" | grep -iE 'not found|not loaded|no such unit|does not exist|invalid|access denied')
        [ -z "$bad" ] && return 0
        echo "$bad" | head -n 20
        return 1
}
nothing_in_console() { # RUN PATTERN: PATTERN is not in the console log
        local hits
        hits=$(grep -nE "$2" "$OUT/$1/console.log" | head -n 10)
        [ -z "$hits" ] && return 0
        echo "$hits"
        return 1
}
# ASan reports the SIGSEGV we send while its own handler is still the one installed (a manager
# starting up) as "SEGV on unknown address": a death we caused, counted by no_own_crash.
no_sanitizer_report() {
        local hits
        hits=$(grep -nE 'ERROR: AddressSanitizer|runtime error|LeakSanitizer|Assertion' "$CH/console.log" |
                grep -v 'AddressSanitizer: SEGV on unknown address' | head -n 10)
        [ -z "$hits" ] && return 0
        echo "$hits"
        return 1
}
faults_reached() {
        local p ok=0
        grep -q ERROR "$CH/killer.log" && { grep ERROR "$CH/killer.log"; ok=1; }
        [ "$FAULTS" -ge 5 ] || return $ok
        for p in after-fork mid-transaction before-signal mid-reload after-commit; do
                grep -q "Fault injection: crashing at \"$p\"" "$CH/console.log" || { echo "  never crashed at $p"; ok=1; }
        done
        return $ok
}
# Deaths (init saw the manager die) and re-executions (the manager recovered as re-executed)
# can only come from what we did: delivered signals, fired faults, daemon-reexec, init's
# heartbeat kills. More means the manager crashed on its own.
no_own_crash() {
        local deaths reexecs made
        deaths=$(grep -cE 'sysmaster-init: manager PID [0-9]+ (was killed by|exited with)' "$CH/console.log")
        reexecs=$(grep -c 'Recovering the state of the manager before me (re-executed)' "$CH/console.log")
        made=$(($(grep -c ' delivered ' "$CH/killer.log") +
                $(grep -c '^ERR .* systemctl daemon-reexec ::' "$CH/calls.log") +
                $(grep -c 'missed [0-9]* heartbeats' "$CH/console.log")))
        echo "  manager deaths: $deaths, re-executions: $reexecs, caused by the test: $made"
        [ $((deaths + reexecs)) -le "$made" ] && return 0
        grep -nE 'was killed by|exited with|Recovering the state|Fault injection: crashing' "$CH/console.log" | tail -n 20
        return 1
}
exits_while_down() { # services that ended during a SIGSTOP window (no manager running)
        local n
        n=$(awk 'NR == FNR { if ($2 == "window") { s[++k] = $3; e[k] = $4 }; next }
                { for (i = 1; i <= k; i++) if ($2 >= s[i] && $2 <= e[i]) { c++; break } } END { print c + 0 }' \
                "$CH/killer.log" "$CH/exits")
        echo "  $n Restart=/OnFailure= services ended while the manager was stopped"
        [ "$n" -gt 0 ]
}

echo "---- checks"
check "reference: the client's units ended as the script says" client_states_as_expected
check "reference: every service started as often as the script says" markers_as_expected "$REF"
check "reference: the socket client was never refused" sock_clean ref
check "reference: every systemctl call succeeded at once" test "$(grep -vc '^OK tries=0 ' "$REF/calls.log")" = 0
check "chaos: every unit's final state equals the reference's (show)" same state state.txt
check "chaos: the same units failed" same failed failed.txt
check "chaos: no job left" test ! -s "$CH/snap/jobs.txt"
check "chaos: every service has as many processes as in the reference" same procs procs.txt
check "chaos: nothing started twice, no restart lost, every OnFailure= ran once" markers_as_expected "$CH"
check "chaos: services ended while no manager ran" exits_while_down
check "chaos: the socket client never saw ECONNREFUSED nor an unanswered connection" sock_clean chaos
check "chaos: every failed systemctl call printed an error, a retry succeeded" calls_clean chaos
check "chaos: every fault point reached" faults_reached
check "chaos: the manager crashed only when made to" no_own_crash
# init reaps what ended while no manager ran and keeps its exit status: nothing may be lost
check "chaos: no exit status lost" nothing_in_console chaos 'exit status was lost'
check "chaos: init never backed off, nothing poisoned" nothing_in_console chaos 'KEEPS FAILING|Skipping "'
check "chaos: no sanitizer report, no failed assertion" no_sanitizer_report
check "chaos: init re-executed $REEXECS times" \
        test "$(grep -c 're-executed: manager PID' "$CH/console.log")" = "$REEXECS"

echo "---- summary"
echo "kills: $(grep -c 'delivered SIG' "$CH/killer.log") signals ($(grep -c 'delivered SIGKILL' "$CH/killer.log") KILL," \
        "$(grep -c 'delivered SIGSEGV' "$CH/killer.log") SEGV, $(grep -c 'delivered SIGABRT' "$CH/killer.log") ABRT," \
        "$(grep -c ' window ' "$CH/killer.log") after a SIGSTOP), $(grep -c 'delivered fault' "$CH/killer.log") faults," \
        "$(grep -c 'daemon-reexec' "$CH/killer.log") daemon-reexec, $(grep -c 'init re-exec' "$CH/killer.log") init re-exec"
echo "systemctl calls: $(grep -c '^OK' "$CH/calls.log"), failed attempts: $(grep -vc '^OK' "$CH/calls.log"); errors seen:"
grep '^ERR' "$CH/calls.log" | sed 's/.* :: //; s/[0-9]\+/N/g' | sort | uniq -c | sort -rn | head -n 8
echo "test-chaos: $(($(date +%s) - T0)) s"
[ $fail = 0 ] && echo "test-chaos: all checks passed"
exit $fail
