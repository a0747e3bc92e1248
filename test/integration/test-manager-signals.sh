#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-manager-signals.sh: the signals systemd's PID 1 reacts to (systemd(1), SIGNALS), sent with
# kill(1) to PID 1 inside the sandbox, side by side under systemd 252 and sysmaster (where
# sysmaster-init forwards them to the manager): SIGRTMIN+22/23 (log level debug, then as
# configured), +27/+28/+26 (log target console, kmsg, as configured), SIGWINCH (kbrequest.target),
# SIGPWR (sigpwr.target), SIGINT (ctrl-alt-del.target, here a harmless target), SIGRTMIN+1
# (isolate rescue.target), SIGRTMIN+0 (isolate default.target), SIGRTMIN+25 (daemon-reexec: the
# services keep their PIDs). The outputs of systemctl must be equal.
# Outputs: $top_builddir/test/manager-signals.out/{systemd,sysmaster}.txt and the diff.
# Exit: 0 equal, 1 different, 77 skipped (not root, no systemd 252, no sysmaster build).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
sandbox_init manager-signals
sandbox_have_systemd || sandbox_skip "systemd 252 is not installed"
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
OUT=$SANDBOX_OUT

U=$OUT/units
sandbox_write_stub_targets "$U" kbrequest sigpwr ctrl-alt-del
for t in default:a rescue:r; do
        sandbox_write_unit "$U" "${t%%:*}.target" << EOT
[Unit]
DefaultDependencies=no
AllowIsolate=yes
Wants=${t##*:}.service
EOT
        sandbox_write_unit "$U" "${t##*:}.service" << 'EOT'
[Unit]
DefaultDependencies=no

[Service]
ExecStart=/bin/sleep infinity
EOT
done

# SIGRTMIN+n is sent as 34 + n, the number glibc and systemctl give it. The manager acts on the signal after
# kill returns: each line waits until the expected state shows, at most 5 s.
SCRIPT=$(cat << 'EOF2'
systemctl show -p LogLevel,LogTarget
kill -$((34 + 22)) 1; until [ "$(systemctl show -P LogLevel)" = debug ] || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl show -p LogLevel
kill -$((34 + 23)) 1; until [ "$(systemctl show -P LogLevel)" != debug ] || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl show -p LogLevel
kill -$((34 + 28)) 1; until [ "$(systemctl show -P LogTarget)" = kmsg ] || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl show -p LogTarget
kill -$((34 + 26)) 1; until [ "$(systemctl show -P LogTarget)" != kmsg ] || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl show -p LogTarget
systemctl log-level warning; systemctl log-level; systemctl log-level info; systemctl log-level
systemctl is-active kbrequest.target sigpwr.target ctrl-alt-del.target
kill -s WINCH 1; until systemctl is-active -q kbrequest.target || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl is-active kbrequest.target
kill -s PWR 1; until systemctl is-active -q sigpwr.target || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl is-active sigpwr.target
kill -s INT 1; until systemctl is-active -q ctrl-alt-del.target || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl is-active ctrl-alt-del.target
kill -$((34 + 1)) 1; until systemctl is-active -q r.service && ! systemctl is-active -q a.service || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl is-active rescue.target r.service a.service default.target kbrequest.target
kill -34 1; until systemctl is-active -q a.service && ! systemctl is-active -q r.service || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; systemctl is-active default.target a.service r.service rescue.target
p=$(systemctl show -P MainPID a.service); kill -$((34 + 25)) 1; sleep 3; until systemctl is-active -q a.service || [ $((w += 1)) -gt 50 ]; do sleep 0.1; done; [ "$(systemctl show -P MainPID a.service)" = "$p" ] && echo "a.service kept its main PID across the re-execution"
systemctl is-active default.target a.service
EOF2
)

failures=0
for m in systemd sysmaster; do
        echo "== booting $m"
        sandbox_start_ready "$m" --manager "$m" --units "$U" --copy --unit default.target ||
                { failures=$((failures + 1)); continue; }
        sandbox_script cat "w=0; " <<< "$SCRIPT" > "$OUT/$m.txt" 2>&1
        sandbox_stop "$m" > /dev/null || { echo "FAIL: stopping $m left something behind"; failures=$((failures + 1)); }
done

if [ "$failures" = 0 ]; then
        sandbox_compare "signals to PID 1" || failures=$((failures + 1))
        for m in systemd sysmaster; do
                grep -q "^LogLevel=debug" "$OUT/$m.txt" && grep -q "^LogTarget=kmsg" "$OUT/$m.txt" &&
                        grep -qF "kept its main PID" "$OUT/$m.txt" ||
                        { echo "FAIL: $m: a signal had no effect (see $OUT/$m.txt)"; failures=$((failures + 1)); }
        done
        # a PID kept across SIGRTMIN+25 says nothing if the signal was dropped: the managers say
        # that they re-executed
        grep -q "Reexecuting" "$OUT/systemd/console.log" ||
                { echo "FAIL: systemd did not re-execute on SIGRTMIN+25"; failures=$((failures + 1)); }
        grep -q "Recovering the state of the manager before me (re-executed)" "$OUT/sysmaster/console.log" ||
                { echo "FAIL: sysmaster did not re-execute on SIGRTMIN+25"; failures=$((failures + 1)); }
fi
leftovers=$(sandbox_leftovers)
[ -z "$leftovers" ] || { echo "FAIL: left over: $leftovers"; failures=$((failures + 1)); }
[ "$failures" = 0 ]
