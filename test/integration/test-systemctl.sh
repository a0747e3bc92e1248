#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-systemctl.sh: the real /usr/bin/systemctl of systemd 252 against sysmaster, side by side
# with systemd 252 itself. The same unit tree boots under both managers in the sandbox
# (tools/sysmaster-sandbox); the same script of systemctl commands runs in each; every command's
# exit status and its output (PIDs, times, invocation IDs and CPU figures masked) must be equal.
# The script covers list-units (patterns, --all, --state=), list-jobs, status (with and without
# a unit), show and show -p, start/stop/restart/reload/try-restart/reload-or-restart blocking and
# with --no-block, is-active, is-failed, kill, reset-failed, daemon-reload, isolate,
# list-dependencies (and --reverse), cat, show-environment/set-environment, is-system-running,
# and the garbage collection of units loaded only to be looked at (status/show of a unit that
# does not exist, then list-units --all).
# A few commands print what only the manager itself can know (the process tree of PID 1, the
# manager's version): those lines are left out (status_overview below).
# Outputs: $top_builddir/test/systemctl.out/{systemd,sysmaster}.txt and the diff.
# Exit: 0 equal, 1 different, 77 skipped (not root, no systemd 252 or no sysmaster build).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
. "$(dirname "$0")/lib/systemctl-normalize.sh"
sandbox_init systemctl
sandbox_have_systemd || sandbox_skip "systemd 252 is not installed"
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
OUT=$SANDBOX_OUT
U=$OUT/units

sandbox_write_unit "$U" t.target << 'EOF'
[Unit]
DefaultDependencies=no
Description=Test Target
AllowIsolate=yes
Wants=a.service b.service
After=a.service b.service
EOF
sandbox_write_unit "$U" a.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Service A
Documentation=man:a(8)

[Service]
ExecStart=/bin/sleep infinity
ExecReload=/bin/true
EOF
sandbox_write_unit "$U" b.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Oneshot B

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
EOF
sandbox_write_unit "$U" fail.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Failing service

[Service]
ExecStart=/bin/sh -c 'exit 3'
EOF
sandbox_write_unit "$U" slow.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Slow to start

[Service]
Type=oneshot
ExecStart=/bin/sleep 60
EOF
sandbox_write_unit "$U" after-slow.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Waits for slow
After=slow.service

[Service]
ExecStart=/bin/sleep infinity
EOF
sandbox_write_unit "$U" c.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Service C needing A
Requires=a.service
After=a.service

[Service]
ExecStart=/bin/sleep infinity
EOF
sandbox_write_unit "$U" noreload.service << 'EOF'
[Unit]
DefaultDependencies=no

[Service]
ExecStart=/bin/sleep infinity
EOF
sandbox_write_unit "$U" manual.service << 'EOF'
[Unit]
DefaultDependencies=no
RefuseManualStart=yes

[Service]
ExecStart=/bin/sleep infinity
EOF
sandbox_write_unit "$U" small.target << 'EOF'
[Unit]
DefaultDependencies=no
Description=Small Target
AllowIsolate=yes
Wants=a.service
EOF
sandbox_write_unit "$U" noiso.target << 'EOF'
[Unit]
DefaultDependencies=no
Description=Not isolatable
EOF

# (DefaultDependencies=no everywhere: the sandbox has no sysinit.target & co.)
# The script: one command per line, run with `systemctl` in front unless it starts with "!"
# (then it is a shell command inside the sandbox).
SCRIPT=$(cat << 'EOF'
is-system-running
list-units --no-legend t.target a.service b.service
list-units --all --no-legend *.service
list-units --state=active --no-legend --type=service
list-units --state=inactive --all --no-legend --type=service
is-active a.service b.service fail.service
is-failed a.service
status a.service -n0
status b.service -n0
status nonexistent.service -n0
show -p Id -p LoadState -p ActiveState -p SubState -p Type -p Restart -p Result -p NRestarts a.service
show -p Names -p Wants -p After -p Requires -p Before -p WantedBy -p Description t.target
show -p LoadState -p ActiveState -p LoadError nonexistent.service
show --value -p Description a.service
start fail.service
is-failed fail.service
status fail.service -n0
show -p Result -p ExecMainStatus -p ExecMainCode -p ActiveState -p SubState fail.service
list-units --failed --no-legend
reset-failed fail.service
is-failed fail.service
show -p ActiveState -p SubState fail.service
start c.service
is-active c.service
status
stop a.service
is-active a.service c.service
start c.service
is-active a.service c.service
restart a.service
is-active a.service c.service
reload a.service
reload noreload.service
try-restart b.service
reload-or-restart a.service
reload-or-restart noreload.service
try-restart noreload.service
start manual.service
start nonexistent.service
start --no-block slow.service
start --no-block after-slow.service
list-jobs --no-legend
list-jobs --after --no-legend
stop slow.service
!sleep 1
list-jobs
is-active slow.service after-slow.service
kill after-slow.service
!sleep 1
is-active after-slow.service
show -p ActiveState -p Result after-slow.service
kill -s KILL --kill-who=main noreload.service
!sleep 1
show -p ActiveState -p Result noreload.service
reset-failed
list-units --failed --no-legend
list-dependencies t.target
list-dependencies --reverse a.service
list-dependencies --all t.target --no-pager
cat a.service
cat nonexistent.service
status nothere.service
show -p Id -p LoadState -p ActiveState nothere.service manual.service
list-units --all --no-legend --plain nothere.service nonexistent.service manual.service
set-environment FOO=bar BAZ=qux
show-environment
unset-environment FOO
show-environment
daemon-reload
!printf '[Unit]\nDescription=Service A reloaded\n[Service]\nExecStart=/bin/sleep infinity\n' > /etc/systemd/system/a.service
show -p Description -p NeedDaemonReload a.service
daemon-reload
show -p Description -p NeedDaemonReload -p ActiveState a.service
isolate noiso.target
isolate small.target
list-units --no-legend --type=service,target
is-active b.service t.target a.service
stop --no-block a.service
!sleep 1
is-active a.service
status
EOF
)
# What differs by design: `status` without a unit shows the manager's version, the number of
# loaded units (systemd counts its mount units, which sysmaster does not have yet) and PID 1's
# own processes in init.scope: those lines are left out, the rest of the overview (state, jobs,
# failed units, the cgroup tree of the services) is compared; the manager's environment block
# has the manager's own variables (only the ones the script sets are compared).
status_overview() {
        awk '
        /^ +(Units|systemd): / { next }
        /[|`]-init\.scope$/ { print; depth = match($0, /[|`]-/); next }
        depth && match($0, /[|`]-/) > depth { next }
        { depth = 0; print }'
}

# Masks what differs between any two boots.
normalize() {
        sed -E \
                -e 's/[A-Z][a-z]{2} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [A-Z]+/<TIME>/g' \
                -e 's/; [0-9a-z .]+ ago/; <AGO>/g' \
                -e 's/(PID|Main PID|Process|Cntrl PID):? [0-9]+/\1: <PID>/g' \
                -e 's/^( +)[0-9]+ /\1<PID> /' \
                -e 's/([|`]-)[0-9]+ /\1<PID> /' \
                -e 's/MainPID=[0-9]+/MainPID=<PID>/' \
                -e '/^ +(CPU|Memory|Tasks): /d' \
                -e 's/ \(limit: [0-9]+\)//' \
                -e 's/^( +Duration: ).*/\1<DURATION>/' \
                -e 's/Job [0-9]+/Job <ID>/; s/^ *[0-9]+ ([a-z@.-]+\.(service|target))/<ID> \1/' |
                sort_dependency_lists
}


run_script() { # MANAGER
        local line cmd rc first
        while IFS= read -r line; do
                [ -n "$line" ] || continue
                if [ "${line:0:1}" = "!" ]; then
                        sandbox_run sh -c "${line:1}" > /dev/null 2>&1
                        continue
                fi
                first=${line%% *}
                echo "\$ systemctl $line"
                # shellcheck disable=SC2086 # the script's words are meant to split
                cmd=$(sandbox_run systemctl $line 2>&1)
                rc=$?
                if [ "$line" = status ]; then
                        printf '%s\n' "$cmd" | status_overview | normalize
                elif [ "$first" = list-jobs ]; then
                        printf '%s\n' "$cmd" | normalize | sort
                elif [ "$first" = show-environment ]; then
                        printf '%s\n' "$cmd" | grep -E '^(FOO|BAZ)='
                else
                        printf '%s\n' "$cmd" | normalize
                fi
                echo "[exit $rc]"
        done <<< "$SCRIPT"
}

failures=0
for m in systemd sysmaster; do
        echo "== booting $m"
        sandbox_start_ready "$m" --manager "$m" --units "$U" --copy --unit t.target ||
                { failures=$((failures + 1)); continue; }
        run_script "$m" > "$OUT/$m.txt" 2>&1
        sandbox_stop "$m" > /dev/null || { echo "FAIL: stopping $m left something behind"; failures=$((failures + 1)); }
done

if [ "$failures" = 0 ]; then
        sandbox_compare systemctl || failures=$((failures + 1))
fi
leftovers=$(sandbox_leftovers)
[ -z "$leftovers" ] || { echo "FAIL: left over: $leftovers"; failures=$((failures + 1)); }
[ "$failures" = 0 ]
