#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run-systemd-test.sh: one of systemd's own integration test scripts (Debian's systemd-tests,
# /usr/lib/systemd/tests/testdata) against one manager, booted as upstream boots it
# (spec conformance.md §1.2-§1.4) in tools/sysmaster-sandbox with --overlay-root:
#
#   run-systemd-test.sh [options] NN
#     -m, --manager M     systemd (the reference, systemd 252) or sysmaster (default)
#     -o, --out DIR       output directory (default $top_builddir/test/systemd-test-NN.out/M),
#                         emptied first
#     -T, --timeout S     harness timeout in seconds for the test service (default 300)
#     -s, --script FILE   run FILE (a patched copy of testsuite-NN.sh) instead of the shipped
#                         script: bound at /run/conformance/testsuite-NN.sh, and a drop-in
#                         replaces ExecStart=
#     -u, --unit FILE     an extra unit file for the controlled unit directory (repeatable)
#         --bus           the system bus: dbus.socket (wanted by sockets.target) and
#                         dbus.service running dbus-daemon (systemd) or busmaster (sysmaster)
#
# The manager boots testsuite.target with systemd.wants=testsuite-NN.service (sysmaster reads
# it from its command line; systemd 252 through systemd-debug-generator, the only generator
# it gets), SYSTEMD_UNIT_PATH=<testdata>/testsuite-NN.units:<testdata>/units: as upstream.
# Isolation: the sandbox's private pid/mount/uts/ipc/net/cgroup namespaces, read-only
# /proc/sys, and a writable overlay root whose upper directory is a tmpfs (the scripts write
# to /, /root, /run/systemd/system, /etc/systemd/system, /usr/lib/systemd/system); the host's
# unit directories are replaced by tmpfs holding only the minimum of §1.4.3: multi-user.target,
# paths.target, slices.target, local-fs.target, swap.target (Debian's copies), a drop-in
# testsuite-NN.service.d/conformance.conf with the client environment, the script's output
# in $OUT/state/testsuite.log and an ExecStopPost= that records $SERVICE_RESULT (the service's
# Result= even if the unit is garbage-collected before we ask), plus the --unit files and the bus units.
#
# When the test service has finished (or the timeout), the verdict is taken as upstream does
# (§1.3): a non-empty /failed fails, a timeout fails, /testok passes, /skipped skips, anything
# else fails; read from the overlay's upper directory (kept in $OUT/state/overlay-upper).
# Also checked: the manager answers and was not restarted by sysmaster-init, and the test
# service ended with Result=success.  The last line printed is
#   verdict M NN: pass|fail|skip (reason)
# Exit: 0 pass, 1 fail, 77 skip (environment: not root, package or manager missing), 99 error.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TESTDATA=${SYSTEMD_TESTDATA:-/usr/lib/systemd/tests/testdata}
manager=sysmaster out="" timeout=300 script="" bus=0 units=()
while [ $# -gt 0 ]; do
        case "$1" in
        -m | --manager) manager=$2; shift 2 ;;
        -o | --out) out=$2; shift 2 ;;
        -T | --timeout) timeout=$2; shift 2 ;;
        -s | --script) script=$2; shift 2 ;;
        -u | --unit) units+=("$2"); shift 2 ;;
        --bus) bus=1; shift ;;
        -h | --help) awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        -*) echo "run-systemd-test.sh: unknown option $1" >&2; exit 99 ;;
        *) break ;;
        esac
done
[ $# = 1 ] || { echo "usage: run-systemd-test.sh [options] NN" >&2; exit 99; }
NN=$1
T=testsuite-$NN.service

SANDBOX_OUT=${out:-${top_builddir:-.}/test/systemd-test-$NN.out/$manager}
. "$HERE/../integration/lib/sandbox.sh"
sandbox_init "systemd-test-$NN"
OUT=$SANDBOX_OUT

verdict() { # pass|fail|skip REASON; exit status accordingly
        echo "verdict $manager $NN: $1${2:+ ($2)}"
        case "$1" in
        pass) exit 0 ;;
        skip) exit 77 ;;
        *) exit 1 ;;
        esac
}
case "$manager" in
systemd) sandbox_have_systemd || sandbox_skip "systemd 252 is not installed" ;;
sysmaster) sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD" ;;
*) echo "run-systemd-test.sh: --manager must be systemd or sysmaster" >&2; exit 99 ;;
esac
[ -x "$TESTDATA/units/testsuite-$NN.sh" ] && [ -f "$TESTDATA/units/$T" ] ||
        sandbox_skip "$TESTDATA/units/testsuite-$NN.sh is missing (package systemd-tests; tools/install-deps.sh)"
command -v pivot_root > /dev/null || sandbox_skip "pivot_root (util-linux) is missing"
grep -qw overlay /proc/filesystems || sandbox_skip "no overlay file system"

# ---------------------------------------------------------------- the controlled unit tree
U=$OUT/units
mkdir -p "$U/$T.d"
for f in multi-user.target paths.target slices.target local-fs.target swap.target; do
        if [ -f "/lib/systemd/system/$f" ]; then
                cp "/lib/systemd/system/$f" "$U/$f"
        else
                printf '[Unit]\nDescription=%s\n' "$f" > "$U/$f"
        fi
done
# The client environment of §1.4.4 and the script's trace (set -x) in a file we can read.
cat > "$U/$T.d/conformance.conf" << EOF
[Service]
Environment=SYSTEMD_PAGER= SYSTEMD_COLORS=0 SYSTEMD_URLIFY=0 SYSTEMCTL_SKIP_SYSV=1
Environment=PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
StandardOutput=append:/run/sandbox/testsuite.log
StandardError=inherit
ExecStopPost=/bin/sh -c 'echo "\$SERVICE_RESULT" > /run/sandbox/service-result'
EOF
binds=()
if [ -n "$script" ]; then
        [ -f "$script" ] || { echo "run-systemd-test.sh: no script $script" >&2; exit 99; }
        install -m 0755 "$script" "$OUT/testsuite-$NN.sh"
        binds+=(--bind "$OUT/testsuite-$NN.sh:/run/conformance/testsuite-$NN.sh")
        printf '[Service]\nExecStart=\nExecStart=/run/conformance/testsuite-%s.sh\n' "$NN" > "$U/$T.d/script.conf"
fi
for f in "${units[@]}"; do
        cp "$f" "$U/"
done
if [ "$bus" = 1 ]; then
        if [ "$manager" = systemd ]; then
                daemon=/usr/bin/dbus-daemon
        else
                daemon=$SANDBOX_BUILD/busmaster
        fi
        [ -x "$daemon" ] || sandbox_skip "$daemon is missing (the system bus)"
        cat > "$U/dbus.socket" << 'EOF'
[Unit]
Description=D-Bus System Message Bus Socket

[Socket]
ListenStream=/run/dbus/system_bus_socket
EOF
        cat > "$U/dbus.service" << EOF
[Unit]
Description=D-Bus System Message Bus
Requires=dbus.socket

[Service]
Type=notify
NotifyAccess=main
ExecStart=$daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only
EOF
        mkdir -p "$U/sockets.target.wants"
        ln -s ../dbus.socket "$U/sockets.target.wants/dbus.socket"
fi

# ---------------------------------------------------------------- boot
args=(-m "$manager" -u "$U" --copy --overlay-root -U testsuite.target
        -e "SYSTEMD_UNIT_PATH=$TESTDATA/testsuite-$NN.units:$TESTDATA/units:"
        -a "systemd.unit=testsuite.target systemd.wants=$T" -T 60 "${binds[@]}")
if [ "$manager" = systemd ]; then
        # systemd 252 leaves systemd.wants= to systemd-debug-generator: that one generator.
        cat > "$OUT/setup.sh" << 'EOF'
mkdir -p /run/conformance-generators
ln -s /lib/systemd/system-generators/systemd-debug-generator /run/conformance-generators/
EOF
        args+=(--setup "$OUT/setup.sh" -e SYSTEMD_GENERATOR_PATH=/run/conformance-generators)
fi
# What the scripts write to / must stay in the overlay: the host's copies are compared after.
host_paths() {
        local f
        for f in /testok /failed /skipped /root/list-jobs.txt /run/systemd/system/testservice-48.target \
                /run/systemd/system/wait2.service /run/systemd/system/transaction-cycle0.service; do
                printf '%s %s\n' "$f" "$(stat -c '%i %Y %s' "$f" 2> /dev/null || echo absent)"
        done
}
host_paths > "$OUT/host-paths-before"
t0=$SECONDS
if ! sandbox_start state "${args[@]}" > "$OUT/start.log" 2>&1; then
        cat "$OUT/start.log"
        verdict fail "the sandbox did not start"
fi
mgr_pid() { # the manager process: PID 1 itself (systemd) or sysmaster-init's child
        if [ "$manager" = systemd ]; then
                echo "$SANDBOX_PID1"
        else
                pgrep -P "$SANDBOX_PID1" -x sysmaster | head -1
        fi
}
for ((i = 0; i < 200; i++)); do
        mpid0=$(mgr_pid)
        [ -n "$mpid0" ] && break
        sleep 0.05
done

# ---------------------------------------------------------------- wait for the test service
prop() { # PROPERTY: its value for the test service ("" if the manager does not answer)
        sandbox_ctl show -P "$1" "$T" 2> /dev/null
}
state="" result="" timedout=0
deadline=$((SECONDS + timeout))
while :; do
        if ! "$SANDBOX_TOOL" pid --state "$SANDBOX_STATE" > /dev/null 2>&1; then
                state=dead
                break
        fi
        state=$(prop ActiveState)
        case "$state" in
        inactive | failed)
                # finished once it has been started (or once no job for it is left). Started: its
                # ExecStopPost= record says it ended, or the state holds a second later (systemd
                # 252 answered ActiveState=inactive once for the running test service while the
                # test's first daemon-reload was under way: a CI run of session 17)
                if [ "$(prop InactiveExitTimestampMonotonic)" != 0 ]; then
                        [ -s "$OUT/state/service-result" ] && break
                        sleep 1
                        case "$(prop ActiveState)" in inactive | failed) break ;; esac
                        continue
                fi
                sandbox_ctl list-jobs --no-legend 2> /dev/null | grep -q " $T " || {
                        sleep 1
                        [ "$(prop InactiveExitTimestampMonotonic)" != 0 ] && break
                        sandbox_ctl list-jobs --no-legend 2> /dev/null | grep -q " $T " || {
                                state="never started"
                                [ -s "$OUT/state/service-result" ] && state=inactive
                                break
                        }
                }
                ;;
        esac
        if [ $SECONDS -ge $deadline ]; then
                timedout=1
                break
        fi
        sleep 0.5
done
elapsed=$((SECONDS - t0))
result=$(prop Result)
# A unit that was collected after it finished shows no start: use the ExecStopPost= record.
if [ "$(prop InactiveExitTimestampMonotonic)" = 0 ] && [ -s "$OUT/state/service-result" ]; then
        result=$(cat "$OUT/state/service-result")
        state="$state (collected; ExecStopPost= saw SERVICE_RESULT=$result)"
fi
mpid1=$(mgr_pid)
sandbox_ctl list-jobs > "$OUT/list-jobs.txt" 2>&1
sandbox_ctl list-units --all > "$OUT/list-units.txt" 2>&1
answering=yes
sandbox_ctl show -P Version > /dev/null 2>&1 || answering=no
# systemd.wants= is a Wants= of the default target (systemd-debug-generator's .wants link), which
# keeps the test service referenced (not collected) and survives daemon-reload.
wants=$(sandbox_ctl show -P Wants testsuite.target 2> /dev/null)
sandbox_stop state > "$OUT/stop.log" 2>&1 || { echo "sandbox stop:"; cat "$OUT/stop.log"; }

if ! host_paths | diff "$OUT/host-paths-before" - > "$OUT/host-paths.diff"; then
        cat "$OUT/host-paths.diff"
        verdict fail "files the scripts write changed on the HOST (outside the overlay)"
fi
UP=$OUT/state/overlay-upper
echo "$manager TEST-$NN: ActiveState=$state Result=${result:-?} after ${elapsed}s; manager answering=$answering, PID ${mpid0:-?} -> ${mpid1:-gone}"
echo "  trace: $OUT/state/testsuite.log, console: $OUT/state/console.log, written to /: $UP"
if [ -s "$OUT/state/testsuite.log" ]; then
        echo "  last lines of the trace:"
        tail -n 8 "$OUT/state/testsuite.log" | sed 's/^/    /'
fi

# The verdict, in upstream's order.
if [ -s "$UP/failed" ]; then
        verdict fail "/failed: $(head -c 200 "$UP/failed" | tr '\n' ' ')"
fi
[ "$timedout" = 0 ] || verdict fail "harness timeout after ${timeout}s (ActiveState=$state)"
if [ -e "$UP/testok" ]; then
        case " $wants " in
        *" $T "*) ;;
        *) verdict fail "/testok, but testsuite.target does not want $T (Wants=$wants): systemd.wants= not applied as a dependency" ;;
        esac
        [ "$state" != dead ] || verdict fail "/testok, but PID 1 is gone"
        [ "$answering" = yes ] || verdict fail "/testok, but the manager does not answer"
        [ "$mpid0" = "$mpid1" ] || verdict fail "/testok, but the manager was restarted (PID $mpid0 -> ${mpid1:-none})"
        [ "$result" = success ] || verdict fail "/testok, but $T has Result=$result"
        verdict pass "/testok"
fi
[ ! -e "$UP/skipped" ] || verdict skip "/skipped: $(head -c 200 "$UP/skipped" | tr '\n' ' ')"
verdict fail "no /testok (ActiveState=$state Result=${result:-?})"
