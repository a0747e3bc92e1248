#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-bus-activation.sh: Type=dbus services and D-Bus activation through the manager, side
# by side under systemd 252 + dbus-daemon and sysmaster + busmaster in the sandbox
# (tools/sysmaster-sandbox), as test-systemd-run.sh does: the bus daemon runs as
# dbus.service with --systemd-activation and a service directory holding D-Bus service files
# (Exec=/bin/false, User=root, SystemdService=). The same commands run under both managers:
# `systemctl status`/`show` of a Type=dbus unit while it waits for its name and after, a start
# that returns only once the name is there (taken after 2 s), a main process that exits
# without taking the name, TimeoutStartSec= with one that never takes it, a name given up
# while running, the main PID of a Type=forking service taken from its BusName= owner,
# activation by `busctl call` and `dbus-send --print-reply` (the queued call is
# answered by the started service), the errors callers get for a SystemdService= without
# unit, a unit with a bad setting, one with RefuseManualStart=yes and a service that fails,
# `SYSTEMCTL_FORCE_BUS=1 systemctl list-units/start/stop`, and `dbus-monitor --system` must
# see the call, the ActivationRequest and the NameOwnerChanged.
# Under sysmaster only: crashes of the manager while a unit waits for its name (also while the
# name appears or goes away), with a subscribed client and a `systemctl start` over the bus
# waiting for its job, and a name owned by someone else before the start.
# The services are python3-dbus (lib/bus-activation-service.py).
# Outputs: $top_builddir/test/bus-activation.out/{systemd,sysmaster,recovery}.txt and the diff.
# Exit: 0 equal, 1 different, 77 skipped (not root, no systemd 252, no sysmaster build, no
# dbus-daemon, busctl, dbus-send, dbus-monitor or python3-dbus).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
. "$(dirname "$0")/lib/systemctl-normalize.sh"
sandbox_init bus-activation
sandbox_have_systemd || sandbox_skip "systemd 252 is not installed"
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
[ -x "$SANDBOX_BUILD/busmaster" ] || sandbox_skip "busmaster is not built in $SANDBOX_BUILD"
[ -x /usr/bin/dbus-daemon ] || sandbox_skip "dbus-daemon (the reference bus for systemd 252) is not installed"
for t in busctl dbus-send dbus-monitor; do
        command -v $t > /dev/null || sandbox_skip "$t is not installed"
done
/usr/bin/python3 -c 'import dbus, dbus.service, dbus.mainloop.glib; from gi.repository import GLib' 2> /dev/null ||
        sandbox_skip "python3-dbus or python3-gi is not installed"
OUT=$SANDBOX_OUT
SVC="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/lib/bus-activation-service.py"

# The same tree for both, but dbus.service: busmaster under sysmaster, dbus-daemon under systemd;
# a permissive system bus with our service directory; a short start timeout, since a unit that
# fails is never reported to the bus (the caller waits for the timeout)
write_units() { # DIR BUS-DAEMON
        local d=$1 t
        sandbox_write_bus_tree "$d" "$2" '  <servicedir>/etc/systemd/system/dbus-1</servicedir>
  <limit name="service_start_timeout">4000</limit>'
        for t in Foo Missing Bad Broken Refuse; do
                sandbox_write_unit "$d/dbus-1" org.example.$t.service <<- EOT
		[D-BUS Service]
		Name=org.example.$t
		Exec=/bin/false
		User=root
		SystemdService=$(echo $t | tr A-Z a-z).service
		EOT
        done
        dbus_unit "$d" foo org.example.Foo "$SVC org.example.Foo"
        dbus_unit "$d" slow org.example.Slow "$SVC org.example.Slow 2"
        dbus_unit "$d" exit org.example.Exit "/bin/sh -c 'sleep 0.5'"
        dbus_unit "$d" exit1 org.example.Exit1 "/bin/sh -c 'sleep 0.5; exit 1'"
        dbus_unit "$d" never org.example.Never "/bin/sleep infinity" "TimeoutStartSec=2"
        dbus_unit "$d" lose org.example.Lose "$SVC org.example.Lose 0 1"
        dbus_unit "$d" owned org.example.Owned "/bin/sleep infinity" "TimeoutStartSec=3"
        dbus_unit "$d" broken org.example.Broken "/bin/false"
        dbus_unit "$d" crash org.example.Crash "$SVC org.example.Crash /run/crash-go"
        dbus_unit "$d" lose2 org.example.Lose2 "$SVC org.example.Lose2 0 /run/lose2-go"
        sandbox_write_unit "$d" refuse.service << EOT
[Unit]
Description=Only by dependency
RefuseManualStart=yes

[Service]
Type=dbus
BusName=org.example.Refuse
ExecStart=$SVC org.example.Refuse
EOT
        # BusName= of another type: the owner's PID becomes the main PID when none is known
        sandbox_write_unit "$d" fork.service << EOT
[Unit]
Description=Forks a bus service

[Service]
Type=forking
GuessMainPID=no
BusName=org.example.Fork
ExecStart=/bin/sh -c '$SVC org.example.Fork 1 > /dev/null 2>&1 &'
EOT
        # Type=dbus without BusName=: refused
        sandbox_write_unit "$d" bad.service << 'EOT'
[Unit]
Description=Type=dbus without a name

[Service]
Type=dbus
ExecStart=/bin/sleep infinity
EOT
        # for the clients that outlive a crash of the manager (sysmaster only)
        sandbox_write_unit "$d" sub.service << 'EOT'
[Unit]
Description=Oneshot for a subscriber

[Service]
Type=oneshot
ExecStart=/bin/true
EOT
        sandbox_write_unit "$d" slowjob.service << 'EOT'
[Unit]
Description=Starts once /run/slow-go exists

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'while [ ! -e /run/slow-go ]; do sleep 0.1; done'
EOT
        # someone else than the unit owns org.example.Owned
        sandbox_write_unit "$d" owner.service << EOT
[Unit]
Description=Owns org.example.Owned

[Service]
ExecStart=$SVC org.example.Owned
EOT
}

dbus_unit() { # DIR NAME BUSNAME COMMAND [SETTING]
        sandbox_write_unit "$1" "$2.service" << EOT
[Unit]
Description=Type=dbus $2

[Service]
Type=dbus
BusName=$3
ExecStart=$4
${5:-}
EOT
}

write_units "$OUT/units-systemd" /usr/bin/dbus-daemon
write_units "$OUT/units-sysmaster" "$SANDBOX_BUILD/busmaster"

normalize() {
        sed -E \
                -e 's/[A-Z][a-z]{2} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [A-Z]+/<TIME>/g' \
                -e 's/; [0-9a-z .]+ ago/; <AGO>/g' \
                -e 's/(PID|Main PID|Process|Cntrl PID):? [0-9]+/\1: <PID>/g' \
                -e 's/^( +)[0-9]+ /\1<PID> /' \
                -e 's/([|`]-)[0-9]+ /\1<PID> /' \
                -e 's/(MainPID|ExecMainPID)=[1-9][0-9]*/\1=<PID>/' \
                -e 's/:1\.[0-9]+/:1.<N>/g' \
                -e 's/ time=[0-9.]+ / time=<TIME> /' \
                -e '/^ +(CPU|Memory|Tasks): /d' \
                -e 's/ \(limit: [0-9]+\)//' \
                -e 's/^( +Duration: ).*/\1<DURATION>/' |
                sort_dependency_lists
}

# timed CMD...: runs CMD, prints its status and whether it took LOW-HIGH seconds
TIMED='timed() { lo=$1 hi=$2; shift 2; a=$(date +%s%N); "$@"; rc=$?; b=$(date +%s%N); s=$(( (b - a) / 1000000000 )); if [ $s -ge $lo ] && [ $s -le $hi ]; then echo "status $rc after $lo-$hi s"; else echo "status $rc after $s s (expected $lo-$hi)"; fi; }'
CALL='org.example.Test Echo s hi'
P=ActiveState,SubState,Type,BusName,Result
# One command per line, run inside the sandbox with sh -c after $TIMED.
SCRIPT=$(cat << EOF2
systemctl show -p Id,Type,BusName,Requires,After foo.service
systemctl start --no-block slow.service; sleep 0.7; systemctl show -p $P slow.service; systemctl status -n0 --no-pager slow.service
sleep 2.5; systemctl show -p $P slow.service; systemctl status -n0 --no-pager slow.service | sed -n 1,3p
busctl call org.example.Slow /org/example/Test $CALL
systemctl stop slow.service; systemctl show -p $P slow.service
timed 2 3 systemctl start slow.service; systemctl is-active slow.service
systemctl start exit.service; echo "status \$?"; systemctl show -p $P exit.service
systemctl start exit1.service; echo "status \$?"; systemctl show -p $P exit1.service
timed 2 3 systemctl start never.service; systemctl show -p $P never.service
systemctl start lose.service; echo "status \$?"; systemctl is-active lose.service; sleep 2; systemctl show -p $P lose.service
systemctl start fork.service; systemctl show -p ActiveState,SubState,MainPID fork.service; sleep 3; systemctl show -p ActiveState,SubState,MainPID fork.service; systemctl stop fork.service
systemctl show -p $P foo.service
busctl call org.example.Foo /org/example/Test $CALL; systemctl show -p $P foo.service
systemctl stop foo.service; dbus-send --system --print-reply --dest=org.example.Foo /org/example/Test org.example.Test.Echo string:hello; systemctl is-active foo.service
systemctl stop foo.service; busctl list --activatable --no-legend | awk '/org.example/ { print \$1 }'
busctl call org.example.Missing /org/example/Test $CALL
dbus-send --system --print-reply --dest=org.example.Missing /org/example/Test org.example.Test.Echo string:hello
busctl call org.example.Bad /org/example/Test $CALL
dbus-send --system --print-reply --dest=org.example.Bad /org/example/Test org.example.Test.Echo string:hello
busctl call org.example.Broken /org/example/Test $CALL; systemctl show -p $P broken.service
dbus-send --system --print-reply --dest=org.example.Broken /org/example/Test org.example.Test.Echo string:hello
dbus-send --system --print-reply --dest=org.example.Refuse /org/example/Test org.example.Test.Echo string:hello; systemctl is-active refuse.service
SYSTEMCTL_FORCE_BUS=1 systemctl list-units --no-legend --plain --all slow.service never.service exit1.service
systemctl stop slow.service; export SYSTEMCTL_FORCE_BUS=1; timed 2 3 systemctl start slow.service; systemctl status -n0 --no-pager slow.service | sed -n 1,3p
SYSTEMCTL_FORCE_BUS=1 systemctl stop slow.service; echo "status \$?"; SYSTEMCTL_FORCE_BUS=1 systemctl is-active slow.service
systemctl stop foo.service; dbus-monitor --system > /tmp/monitor.txt 2>&1 & sleep 1; busctl call org.example.Foo /org/example/Test $CALL; sleep 1; kill \$!; for w in 'method call .* destination=org.example.Foo .* member=Echo' 'signal .* member=ActivationRequest' 'member=NameOwnerChanged' 'string "org.example.Foo"'; do grep -q "\$w" /tmp/monitor.txt && echo "monitor saw: \$w" || echo "monitor missed: \$w"; done
EOF2
)

# sysmaster only: a Type=dbus unit waiting for its name survives a crash of the manager (the
# new manager restores the state and asks the bus for the owner again), also when the name
# appears while no manager runs.
manager_pid() { sandbox_run pgrep -x sysmaster; }
wait_manager() { # OLD-PID: until a new manager answers
        local p
        for _ in $(seq 100); do
                p=$(manager_pid)
                [ -n "$p" ] && [ "$p" != "$1" ] && sandbox_ctl show -p Version > /dev/null 2>&1 && return 0
                sleep 0.1
        done
        return 1
}
expect() { # WHAT EXPECTED CMD...: prints "ok"/"FAIL" with WHAT; waits up to 10 s for EXPECTED
        local got
        for _ in $(seq 50); do
                got=$(sandbox_run "${@:3}" 2>&1 | tr '\n' ' ')
                [ "$got" = "$2" ] && { echo "ok: $1"; return 0; }
                sleep 0.2
        done
        echo "FAIL: $1: \"$got\", expected \"$2\""
        return 1
}
crash() { # kills the manager (stopped or not), waits for the next one
        local pid
        pid=$(manager_pid)
        sandbox_run kill -KILL "$pid"
        sandbox_run kill -CONT "$pid" 2> /dev/null
        wait_manager "$pid" || { echo "FAIL: no new manager"; return 1; }
}
crash_recovery() {
        local main rc=0 show=(systemctl show -p ActiveState,SubState --value crash.service)
        # killed while waiting (the name comes when /run/crash-go exists): still waiting, then
        # running once the name is there
        sandbox_run rm -f /run/crash-go
        sandbox_ctl start --no-block crash.service
        expect "crash.service waits for its name" "activating start " "${show[@]}" || rc=1
        main=$(sandbox_ctl show -p MainPID --value crash.service)
        [ "${main:-0}" != 0 ] || { echo "FAIL: crash.service has no main process"; rc=1; }
        crash || return 1
        expect "crash while waiting for the name: still activating (start)" "activating start " "${show[@]}" || rc=1
        sandbox_run touch /run/crash-go
        expect "the name appeared: active (running)" "active running " "${show[@]}" || rc=1
        expect "the same main process" "$main " systemctl show -p MainPID --value crash.service || rc=1
        # the name appears while no manager runs (stopped, then killed): the new one asks the bus
        sandbox_ctl stop crash.service
        sandbox_run rm -f /run/crash-go
        sandbox_ctl start --no-block crash.service
        expect "crash.service waits for its name again" "activating start " "${show[@]}" || rc=1
        sandbox_run kill -STOP "$(manager_pid)"
        sandbox_run touch /run/crash-go
        expect "the name appeared while the manager was stopped" "yes " \
                sh -c 'busctl status org.example.Crash > /dev/null 2>&1 && echo yes || echo no'
        crash || return 1
        expect "the name appeared while no manager ran: active (running)" "active running " "${show[@]}" || rc=1
        # running, then the manager crashes and the name goes away meanwhile: stopped
        sandbox_ctl start lose2.service
        sandbox_run kill -STOP "$(manager_pid)"
        sandbox_run touch /run/lose2-go
        expect "lose2.service gave its name up while the manager was stopped" "no " \
                sh -c 'busctl status org.example.Lose2 > /dev/null 2>&1 && echo yes || echo no'
        crash || return 1
        expect "the name went away while no manager ran: inactive (dead)" "inactive dead " \
                systemctl show -p ActiveState,SubState --value lose2.service || rc=1
        return $rc
}
# sysmaster only: the manager's clients on the system bus outlive a crash (as systemd's do a
# daemon-reexec): a subscriber (logind does that) gets the new manager's signals, and
# `SYSTEMCTL_FORCE_BUS=1 systemctl start` of a job that finishes after the crash gets the job's
# JobRemoved and returns (before, it waited for ever).
SUB="/usr/bin/python3 $(cd "$(dirname "$0")" && pwd)/lib/bus-subscriber.py"
crash_clients() {
        local rc=0
        sandbox_run /bin/sh -c "setsid $SUB /run/sub.txt > /run/sub.log 2>&1 < /dev/null &"
        expect "a client subscribed on the system bus" "yes " \
                sh -c 'grep -q "^subscribed" /run/sub.txt 2> /dev/null && echo yes || echo no' || rc=1
        sandbox_ctl start sub.service
        expect "the subscriber got JobRemoved" "1 " sh -c 'grep -c "^JobRemoved sub.service done" /run/sub.txt' || rc=1
        crash || return 1
        sandbox_ctl start sub.service
        expect "crash: the subscriber got the new manager's JobRemoved" "2 " \
                sh -c 'grep -c "^JobRemoved sub.service done" /run/sub.txt' || rc=1
        sandbox_ctl daemon-reexec
        sandbox_ctl start sub.service
        expect "daemon-reexec: the subscriber got JobRemoved" "3 " \
                sh -c 'grep -c "^JobRemoved sub.service done" /run/sub.txt' || rc=1
        sandbox_run pkill -f bus-subscriber.py
        sandbox_run rm -f /run/slow-go /run/slowjob.rc
        sandbox_run /bin/sh -c "setsid sh -c 'SYSTEMCTL_FORCE_BUS=1 timeout 30 systemctl start slowjob.service; echo \$? > /run/slowjob.rc' > /dev/null 2>&1 < /dev/null &"
        expect "systemctl start over the bus waits for slowjob.service" "activating start " \
                systemctl show -p ActiveState,SubState --value slowjob.service || rc=1
        crash || return 1
        sandbox_run touch /run/slow-go
        expect "crash: systemctl start over the bus returned 0" "0 " sh -c 'cat /run/slowjob.rc 2> /dev/null' || rc=1
        expect "slowjob.service active" "active " systemctl is-active slowjob.service || rc=1
        return $rc
}
# sysmaster only: a name owned by someone else before the start does not make a Type=dbus unit
# ready (the unit waits for its own process to take it, here until TimeoutStartSec=3). 252 does
# the same when the unit was loaded before the start; when the start loads it, 252 races its
# GetNameOwner answer against the start job and either waits or takes the old owner, so this is
# not in the side-by-side comparison.
old_owner() {
        sandbox_ctl start owner.service
        expect "someone else owns org.example.Owned" "yes " \
                sh -c 'busctl status org.example.Owned > /dev/null 2>&1 && echo yes || echo no'
        sandbox_ctl start owned.service > /dev/null 2>&1
        expect "the old owner does not count: owned.service timed out" "timeout failed " \
                systemctl show -p Result,ActiveState --value owned.service
        sandbox_ctl stop owner.service
}

failures=0 crash_failed=0
for m in systemd sysmaster; do
        echo "== booting $m"
        sandbox_start_ready "$m" --manager "$m" --units "$OUT/units-$m" --copy --unit t.target ||
                { failures=$((failures + 1)); continue; }
        # the bus daemon is started by t.target; give the manager a moment to connect to it
        sandbox_wait_system_bus
        sandbox_script normalize "$TIMED; " <<< "$SCRIPT" > "$OUT/$m.txt" 2>&1
        if [ "$m" = sysmaster ]; then
                { crash_recovery; r=$?; crash_clients || r=1; old_owner && [ $r = 0 ]; } > "$OUT/recovery.txt" 2>&1 ||
                        crash_failed=1
                cat "$OUT/recovery.txt"
        fi
        sandbox_stop "$m" > /dev/null || { echo "FAIL: stopping $m left something behind"; failures=$((failures + 1)); }
done

if [ "$failures" = 0 ]; then
        sandbox_compare "Type=dbus and bus activation" || failures=$((failures + 1))
        # what must be there, not only equal: both sides fail alike when the set-up is broken
        # (no python service, no service directory), so the reference must show it too
        for want in 'SubState=start' 'status 0 after 2-3 s' 's "echo: hi"' 'string "echo: hello"' \
                'MainPID=<PID>' \
                'monitor saw: signal .* member=ActivationRequest' 'monitor saw: member=NameOwnerChanged' \
                'monitor saw: method call .* destination=org.example.Foo .* member=Echo'; do
                for m in systemd sysmaster; do
                        grep -qF -- "$want" "$OUT/$m.txt" || { echo "FAIL: $m: missing \"$want\""; failures=$((failures + 1)); }
                done
        done
fi
[ "$crash_failed" = 0 ] || failures=$((failures + 1))
leftovers=$(sandbox_leftovers)
[ -z "$leftovers" ] || { echo "FAIL: left over: $leftovers"; failures=$((failures + 1)); }
[ "$failures" = 0 ]
