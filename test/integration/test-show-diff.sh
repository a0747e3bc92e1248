#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-show-diff.sh: the same unit tree booted under systemd 252 and under sysmaster in the
# sandbox; `systemctl show` of every unit that `systemctl list-units --all` lists, and that list
# itself, must be equal. PIDs, timestamps, invocation IDs, durations and resource figures are
# masked (they differ between any two boots); systemd-only units (mount units of the sandbox's
# file systems, which sysmaster does not implement yet) are listed in SYSTEMD_ONLY and left out.
# Every property `show` prints is compared (the whole D-Bus property set of each unit's
# interfaces); SHOW_DIFF_P0=1 narrows it to the P0 properties of systemctl-dbus.md §4.
# Outputs: $top_builddir/test/show-diff.out/show-{systemd,sysmaster}/UNIT and diff.txt.
# Exit: 0 equal, 1 different, 77 skipped (not root, no systemd 252 or no sysmaster build).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
. "$(dirname "$0")/lib/systemctl-normalize.sh"
sandbox_init show-diff
sandbox_have_systemd || sandbox_skip "systemd 252 is not installed"
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
OUT=$SANDBOX_OUT
U=$OUT/units

# Units of every kind the manager runs today, with settings that show in P0 properties.
sandbox_write_unit "$U" diff.target << 'EOF'
[Unit]
Description=Diff Target
Documentation=man:systemd.special(7) https://example.org/doc
DefaultDependencies=no
Wants=simple.service oneshot.service exited.service notify.service forking.service failing.service
Wants=skipped.service missing.service
After=simple.service oneshot.service
Conflicts=conflicted.service
EOF
sandbox_write_unit "$U" simple.service << 'EOF'
[Unit]
Description=Simple service
DefaultDependencies=no
Before=diff.target

[Service]
ExecStart=/bin/sleep infinity
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5
Environment=A=1 B=2
WorkingDirectory=/tmp
EOF
sandbox_write_unit "$U" oneshot.service << 'EOF'
[Unit]
Description=Oneshot with two commands
DefaultDependencies=no

[Service]
Type=oneshot
ExecStartPre=/bin/true
ExecStart=/bin/true
ExecStart=/bin/echo second
ExecStartPost=-/bin/false
EOF
sandbox_write_unit "$U" exited.service << 'EOF'
[Unit]
DefaultDependencies=no

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
ExecStop=/bin/true
EOF
sandbox_write_unit "$U" notify.service << 'EOF'
[Unit]
Description=Notify service
DefaultDependencies=no

[Service]
Type=notify
NotifyAccess=all
ExecStart=/bin/sh -c 'systemd-notify --ready --status="up and running"; exec sleep infinity'
TimeoutStartSec=30
EOF
sandbox_write_unit "$U" forking.service << 'EOF'
[Unit]
Description=Forking service
DefaultDependencies=no

[Service]
Type=forking
PIDFile=/run/forking.pid
ExecStart=/bin/sh -c 'sleep infinity & echo $! > /run/forking.pid'
EOF
sandbox_write_unit "$U" failing.service << 'EOF'
[Unit]
Description=Fails at once
DefaultDependencies=no

[Service]
ExecStart=/bin/sh -c 'exit 7'
EOF
sandbox_write_unit "$U" skipped.service << 'EOF'
[Unit]
Description=Condition not met
DefaultDependencies=no
ConditionPathExists=/nonexistent
AssertPathExists=/

[Service]
ExecStart=/bin/sleep infinity
EOF
sandbox_write_unit "$U" conflicted.service << 'EOF'
[Unit]
DefaultDependencies=no

[Service]
ExecStart=/bin/sleep infinity
EOF
mkdir -p "$U/simple.service.d"
printf '[Service]\nEnvironment=C=3\n' > "$U/simple.service.d/10-extra.conf"

# Properties systemctl-dbus.md §4 calls P0 (plus the ones status needs).
P0="Id Names Description LoadState ActiveState SubState FreezerState FragmentPath SourcePath
DropInPaths UnitFileState UnitFilePreset LoadError NeedDaemonReload Transient Following
Documentation Triggers TriggeredBy Requires Requisite Wants BindsTo PartOf Upholds RequiredBy
RequisiteOf WantedBy BoundBy UpheldBy ConsistsOf Conflicts ConflictedBy Before After OnFailure
OnSuccess PropagatesReloadTo ReloadPropagatedFrom JoinsNamespaceOf RequiresMountsFor InvocationID
Job InactiveExitTimestamp ActiveEnterTimestamp ActiveExitTimestamp InactiveEnterTimestamp
StateChangeTimestamp InactiveExitTimestampMonotonic ActiveEnterTimestampMonotonic
ActiveExitTimestampMonotonic InactiveEnterTimestampMonotonic StateChangeTimestampMonotonic
ConditionResult AssertResult ConditionTimestamp AssertTimestamp ConditionTimestampMonotonic
AssertTimestampMonotonic Conditions Asserts CanStart CanStop CanReload CanIsolate
RefuseManualStart RefuseManualStop AllowIsolate DefaultDependencies Type Restart Result MainPID
ControlPID ExecMainPID ExecMainCode ExecMainStatus ExecMainStartTimestamp ExecMainExitTimestamp
NRestarts StatusText StatusErrno RemainAfterExit PIDFile ExecStart ExecStartPre ExecStartPost
ExecReload ExecStop ExecStopPost ExecCondition ControlGroup Slice MemoryCurrent TasksCurrent
CPUUsageNSec"
PROPS=()
if [ "${SHOW_DIFF_P0:-0}" = 1 ]; then
        for p in $P0; do PROPS+=(-p "$p"); done
fi
# Units only systemd has in the sandbox: mount units of the file systems it finds, and the
# targets those mount units refer to.
SYSTEMD_ONLY='\.(mount|swap|device)$|^(local-fs-pre|local-fs|swap|umount)\.target$'

normalize() {
        sed -E \
                -e 's/^((Main|Control|ExecMain)PID)=[1-9][0-9]*/\1=<PID>/' \
                -e 's/(pid=)[1-9][0-9]*/\1<PID>/g' \
                -e 's/^(InvocationID)=[0-9a-f]{32}/\1=<ID>/' \
                -e 's/^([A-Za-z]*Timestamp)=[A-Z][a-z]{2} .+/\1=<TIME>/' \
                -e 's/^([A-Za-z]*TimestampMonotonic)=[1-9][0-9]*/\1=<MONO>/' \
                -e 's/(start_time|stop_time)=\[[^]]+\]/\1=[<TIME>]/g' \
                -e 's/^(CPUUsageNSec|MemoryCurrent|TasksCurrent)=.*/\1=<RESOURCE>/' \
                -e 's/^(ControlGroupId)=[1-9][0-9]*/\1=<CGROUP-ID>/' \
                -e 's/^(Job)=[0-9]+/\1=<JOB>/' | drop_mount_units | sort_dependency_lists
}

failures=0
for m in systemd sysmaster; do
        echo "== booting $m"
        sandbox_start_ready "$m" --manager "$m" --units "$U" --copy --unit diff.target ||
                { failures=$((failures + 1)); continue; }
        sandbox_run sleep 1
        mkdir -p "$OUT/show-$m"
        sandbox_ctl list-units --all --no-legend --plain | awk -v skip="$SYSTEMD_ONLY" \
                '$1 !~ skip { print $1, $2, $3, $4 }' | sort > "$OUT/show-$m/list-units"
        while read -r unit _; do
                sandbox_ctl show "${PROPS[@]}" -- "$unit" | normalize > "$OUT/show-$m/$unit"
        done < "$OUT/show-$m/list-units"
        sandbox_stop "$m" > /dev/null || { echo "FAIL: stopping $m left something behind"; failures=$((failures + 1)); }
done

if [ "$failures" = 0 ]; then
        if diff -ru "$OUT/show-systemd" "$OUT/show-sysmaster" > "$OUT/diff.txt"; then
                echo "PASS: list-units --all and show of $(wc -l < "$OUT/show-systemd/list-units") units equal under systemd 252 and sysmaster"
        else
                echo "FAIL: show differs (- systemd 252, + sysmaster): $(grep -c '^[-+][A-Z]' "$OUT/diff.txt") lines"
                cat "$OUT/diff.txt"
                failures=$((failures + 1))
        fi
fi
leftovers=$(sandbox_leftovers)
[ -z "$leftovers" ] || { echo "FAIL: left over: $leftovers"; failures=$((failures + 1)); }
[ "$failures" = 0 ]
