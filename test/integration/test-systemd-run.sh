#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-systemd-run.sh: transient units and the system bus, side by side under systemd 252 and
# sysmaster in the sandbox (tools/sysmaster-sandbox), as test-systemctl.sh does: the real
# systemd-run creates a transient service (StartTransientUnit on the private socket) whose
# `systemctl show`/`status` must be equal under both managers (PIDs and times masked); a
# transient scope with RuntimeMaxSec=3s must end after 3-5 s with a non-zero status; then a bus
# daemon runs as dbus.service on /run/dbus/system_bus_socket (busmaster under sysmaster,
# dbus-daemon under systemd 252, both with a permissive system-type configuration) and busctl,
# `SYSTEMCTL_FORCE_BUS=1 systemctl status` and `systemctl start --wait` (Subscribe,
# PropertiesChanged) go through the system bus.
# Outputs: $top_builddir/test/systemd-run.out/{systemd,sysmaster}.txt and the diff.
# Exit: 0 equal, 1 different, 77 skipped (not root, no systemd 252, no sysmaster build).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
. "$(dirname "$0")/lib/systemctl-normalize.sh"
sandbox_init systemd-run
sandbox_have_systemd || sandbox_skip "systemd 252 is not installed"
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
command -v systemd-run > /dev/null || sandbox_skip "systemd-run is not installed"
command -v busctl > /dev/null || sandbox_skip "busctl is not installed"
[ -x "$SANDBOX_BUILD/busmaster" ] || sandbox_skip "busmaster is not built in $SANDBOX_BUILD"
[ -x /usr/bin/dbus-daemon ] || sandbox_skip "dbus-daemon (the reference bus for systemd 252) is not installed"
OUT=$SANDBOX_OUT

# The same tree for both, but dbus.service: busmaster under sysmaster, dbus-daemon under systemd.
write_units() { # DIR BUS-DAEMON
        sandbox_write_bus_tree "$1" "$2"
        sandbox_write_unit "$1" sleep2.service << 'EOT'
[Unit]
DefaultDependencies=no
Description=Sleeps two seconds

[Service]
Type=oneshot
ExecStart=/bin/sleep 2
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
                -e 's/pid=[1-9][0-9]*/pid=<PID>/g' \
                -e 's/(start|stop)_time=\[[^]]*\]/\1_time=<TIME>/g' \
                -e '/^ +(CPU|Memory|Tasks): /d' \
                -e 's/ \(limit: [0-9]+\)//' \
                -e 's/^( +Duration: ).*/\1<DURATION>/' \
                -e 's/run-[ru][0-9a-f]+\.(scope|service)/run-<ID>.\1/g' |
                sort_dependency_lists
}

P=Id,Names,Description,LoadState,ActiveState,SubState,FragmentPath,Transient,UnitFileState,Type
P=$P,Slice,Environment,RemainAfterExit,KillMode,Requires,After,ExecStart,Result,Documentation
# One command per line, run inside the sandbox with sh -c.
SCRIPT=$(cat << 'EOF2'
systemd-run --unit=x -p Description="Transient sleeper" -p Environment=A=1 -p Documentation="man:x(1)" sleep infinity
systemctl is-active x.service
systemctl show -p @P@ x.service
systemctl status -n0 --no-pager x.service
systemd-run --unit=x sleep 1
systemd-run --unit=y -p NoSuchProperty=1 sleep 1
systemctl stop x.service
systemctl show -p Id,LoadState,ActiveState,Transient x.service
systemd-run --unit=oneshot -p Type=oneshot -p RemainAfterExit=yes /bin/true
systemctl show -p Id,ActiveState,SubState,Type,RemainAfterExit,Transient oneshot.service
a=$(date +%s%N); systemd-run --scope --property=RuntimeMaxSec=3s sleep 10; rc=$?; b=$(date +%s%N); s=$(( (b - a) / 1000000000 )); if [ $rc != 0 ] && [ $s -ge 3 ] && [ $s -le 5 ]; then echo "scope ended after 3-5 s with a non-zero status"; else echo "scope: status $rc after $s s"; fi
systemctl list-units --all --no-legend --plain 'run-*.scope'
busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager GetUnit s t.target
SYSTEMCTL_FORCE_BUS=1 systemctl status -n0 --no-pager t.target
SYSTEMCTL_FORCE_BUS=1 systemctl is-active sleep2.service
a=$(date +%s%N); systemctl start --wait sleep2.service; rc=$?; b=$(date +%s%N); s=$(( (b - a) / 1000000000 )); if [ $rc = 0 ] && [ $s -ge 2 ] && [ $s -le 4 ]; then echo "start --wait took 2-4 s"; else echo "start --wait: status $rc after $s s"; fi
busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager StopUnit ss oneshot.service replace > /dev/null; sleep 1; systemctl is-active oneshot.service
EOF2
)
SCRIPT=${SCRIPT//@P@/$P}

failures=0
for m in systemd sysmaster; do
        echo "== booting $m"
        sandbox_start_ready "$m" --manager "$m" --units "$OUT/units-$m" --copy --unit t.target ||
                { failures=$((failures + 1)); continue; }
        # the bus daemon is started by t.target; give the manager a moment to connect to it
        sandbox_wait_system_bus
        sandbox_script normalize <<< "$SCRIPT" > "$OUT/$m.txt" 2>&1
        sandbox_stop "$m" > /dev/null || { echo "FAIL: stopping $m left something behind"; failures=$((failures + 1)); }
done

if [ "$failures" = 0 ]; then
        sandbox_compare "transient units and the system bus" || failures=$((failures + 1))
        for want in "scope ended after 3-5 s" "start --wait took 2-4 s" 'o "/org/freedesktop/systemd1/unit/t_2etarget"'; do
                for m in systemd sysmaster; do
                        grep -qF "$want" "$OUT/$m.txt" || { echo "FAIL: $m: missing \"$want\""; failures=$((failures + 1)); }
                done
        done
fi
leftovers=$(sandbox_leftovers)
[ -z "$leftovers" ] || { echo "FAIL: left over: $leftovers"; failures=$((failures + 1)); }
[ "$failures" = 0 ]
