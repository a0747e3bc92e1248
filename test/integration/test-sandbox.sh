#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-sandbox.sh: tools/sysmaster-sandbox boots a manager as PID 1 of private namespaces, runs
# systemctl inside and tears everything down without touching the host.
#
# For systemd 252 (/lib/systemd/systemd) and, once it is built, sysmaster (sysmaster-init +
# sysmaster + sysmaster-executor of $top_builddir) over the same tiny unit tree:
# wait-ready, `systemctl is-system-running` = running, the default target's Wants= started,
# `systemctl start x.service` (active, its process inside the namespace's cgroup tree),
# `stop` (inactive, exit status 3 of is-active), isolation (host name, /proc/sys, /run,
# cgroup2, unit directory), then `stop` of the sandbox: PID 1 gone, cgroup removed, host
# sysctls, host name and the host's /run/systemd and unit directories unchanged, no process
# left.  Then --unit-path --copy with systemd (FragmentPath below SYSTEMD_UNIT_PATH), and the
# sysmaster path of the sandbox itself with fake-manager as the manager (sysmaster-init is
# PID 1, starts $SYSMASTER_CORE with container=other and SYSMASTER_EXECUTOR).
# SANDBOX_SKIP_SYSMASTER=1 leaves the sysmaster half out.
# Outputs in $top_builddir/test/sandbox.out.  Exit: 0 passed, 1 failed, 77 skipped (not
# root, missing tools).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
sandbox_init sandbox
OUT=$SANDBOX_OUT

failures=0
step() { echo "== $*"; }
ok() { echo "   ok: $*"; }
fail() {
        echo "   FAIL: $*"
        failures=$((failures + 1))
}
expect() { # WHAT EXPECTED ACTUAL
        if [ "$2" = "$3" ]; then ok "$1: $3"; else fail "$1: expected '$2', got '$3'"; fi
}

# What the host looks like; compared at the end (the tool compares sysctls itself too).
host_snapshot() {
        local f
        for f in /proc/sys/kernel/hostname /proc/sys/kernel/core_pattern /proc/sys/fs/file-max \
                /proc/sys/fs/nr_open /proc/sys/kernel/printk; do
                printf '%s=%s\n' "$f" "$(cat "$f")"
        done
        for f in /run/systemd/system /run/sysmaster /etc/systemd/system /lib/systemd/system; do
                printf '%s: %s\n' "$f" "$(stat -c '%i %Y' "$f" 2> /dev/null || echo absent)"
                find "$f" -maxdepth 1 2> /dev/null | sort | md5sum
        done
        # (other tests' sandboxes may come and go meanwhile: make check runs tests in parallel;
        # this test's own cgroups are checked by sandbox_leftovers)
}
HOST_BEFORE=$(host_snapshot)

# The unit tree: a target that wants a simple and a oneshot service, x.service started by hand.
U=$OUT/units
sandbox_write_unit "$U" tiny.target << 'EOF'
[Unit]
Description=tiny target
DefaultDependencies=no
Wants=a.service b.service
After=a.service b.service
EOF
sandbox_write_unit "$U" a.service << 'EOF'
[Unit]
Description=a simple service
DefaultDependencies=no

[Service]
ExecStart=/bin/sleep infinity
EOF
sandbox_write_unit "$U" b.service << 'EOF'
[Unit]
Description=a oneshot service
DefaultDependencies=no

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
EOF
sandbox_write_unit "$U" x.service << 'EOF'
[Unit]
Description=started by hand
DefaultDependencies=no

[Service]
ExecStart=/bin/sleep infinity
EOF
ln -s tiny.target "$U/default.target"

# check_boot MANAGER: the common scenario.
check_boot() {
        local m=$1 s pid1 rc
        step "$m: start the sandbox, wait-ready"
        if ! sandbox_start "$m" --manager "$m" --units "$U"; then
                fail "$m: the sandbox did not start"
                return
        fi
        pid1=$SANDBOX_PID1
        if sandbox_wait_ready 60; then
                ok "$m ready"
        else
                fail "$m: not ready (console: $SANDBOX_STATE/console.log)"
                sandbox_stop "$m" > /dev/null || fail "$m: stop reported a problem"
                return
        fi
        grep -qE '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$pid1/status" &&
                ok "host PID $pid1 is PID 1 of its namespace" || fail "$pid1 is not a namespace's PID 1"

        step "$m: systemctl inside"
        s=$(sandbox_ctl is-system-running)
        expect "is-system-running" running "$s"
        expect "a.service (wanted by the default target)" active "$(sandbox_ctl is-active a.service)"
        expect "b.service (oneshot, RemainAfterExit)" active "$(sandbox_ctl is-active b.service)"
        expect "x.service before start" inactive "$(sandbox_ctl is-active x.service)"
        sandbox_ctl start x.service
        expect "systemctl start x.service exit status" 0 "$?"
        expect "x.service after start" active "$(sandbox_ctl is-active x.service)"
        s=$(sandbox_ctl show -p MainPID --value x.service)
        if [ -n "$s" ] && [ "$s" != 0 ] && sandbox_run grep -q x.service "/proc/$s/cgroup"; then
                ok "main PID $s (inside) is in x.service's cgroup: $(sandbox_run cat "/proc/$s/cgroup" | tail -1)"
        else
                fail "x.service's main PID '$s' not in its cgroup"
        fi
        sandbox_ctl stop x.service
        expect "systemctl stop x.service exit status" 0 "$?"
        sandbox_ctl is-active x.service > /dev/null
        expect "is-active x.service after stop: exit status" 3 "$?"
        sandbox_ctl status --no-pager a.service > "$OUT/$m/status-a.txt" 2>&1
        rc=$?
        expect "systemctl status a.service exit status" 0 "$rc"

        step "$m: isolation"
        sandbox_run hostname sandbox-test-host && s=$(sandbox_run hostname)
        expect "host name inside" sandbox-test-host "$s"
        if sandbox_run sh -c 'echo 1 > /proc/sys/kernel/sysrq' 2> /dev/null; then
                fail "/proc/sys is writable inside"
        else
                ok "/proc/sys is read-only inside"
        fi
        expect "/sys/fs/cgroup inside" cgroup2fs "$(sandbox_run stat -fc %T /sys/fs/cgroup)"
        expect "/run inside" tmpfs "$(sandbox_run stat -fc %T /run)"
        sandbox_run touch /run/sandbox-test-marker /tmp/sandbox-test-marker
        if [ -e /run/sandbox-test-marker ] || [ -e /tmp/sandbox-test-marker ]; then
                fail "a file created in the sandbox's /run or /tmp appeared on the host"
        else
                ok "/run and /tmp are private"
        fi
        if sandbox_run touch /etc/sandbox-test-marker 2> /dev/null; then
                fail "/etc is writable inside"
        else
                ok "host mounts are read-only inside"
        fi
        expect "unit directory inside" "$(ls "$U" | sort | tr '\n' ' ')" \
                "$(sandbox_run ls /etc/systemd/system | sort | tr '\n' ' ')"
        s=$(sandbox_run ls /lib/systemd/system | wc -l)
        expect "host unit directory hidden (files in /lib/systemd/system)" 0 "$s"
        s=$(sandbox_run sh -c 'tr "\0" "\n" < /proc/1/environ' | grep -c '^container=other$')
        expect "container=other in PID 1's environment" 1 "$s"

        step "$m: stop the sandbox"
        if sandbox_stop "$m"; then ok "stopped"; else fail "stop reported a problem"; fi
        [ -d "/proc/$pid1" ] && fail "PID $pid1 still exists"
        s=$(sandbox_leftovers)
        expect "left over processes and cgroups" "" "$s"
        sandbox_run true 2> /dev/null
        expect "run after stop: exit status" 125 "$?"
}

if sandbox_have_systemd; then
        check_boot systemd
else
        echo "SKIP (systemd half): /lib/systemd/systemd or systemctl is not installed"
fi

if [ -n "${SANDBOX_SKIP_SYSMASTER:-}" ]; then
        echo "SKIP (sysmaster half): SANDBOX_SKIP_SYSMASTER is set"
elif sandbox_have_sysmaster; then
        check_boot sysmaster
else
        echo "SKIP (sysmaster half): $SANDBOX_BUILD has no sysmaster manager yet" \
                "(sysmaster-init, sysmaster and sysmaster-executor are needed)"
fi

# --unit-path --copy: the units come through SYSTEMD_UNIT_PATH, copied into a tmpfs.
if sandbox_have_systemd; then
        step "systemd with --unit-path --copy"
        if sandbox_start unit-path --manager systemd --units "$U" --unit-path --copy --wait > /dev/null; then
                expect "x.service FragmentPath" /run/sandbox-units/x.service \
                        "$(sandbox_ctl show -p FragmentPath --value x.service)"
                sandbox_run touch /run/sandbox-units/new.service
                [ -e "$U/new.service" ] && fail "--copy: a file created inside reached the host directory" ||
                        ok "--copy: the host unit directory is untouched"
                sandbox_stop unit-path > /dev/null || fail "stop (unit-path) reported a problem"
        else
                fail "the --unit-path sandbox did not start"
        fi
fi

# The sysmaster path of the sandbox, with fake-manager in place of sysmaster.
if [ -x "$SANDBOX_BUILD/sysmaster-init" ] && [ -x "$SANDBOX_BUILD/fake-manager" ]; then
        step "sysmaster-init as PID 1 with fake-manager as the manager"
        if sandbox_start fake --manager sysmaster --core "$SANDBOX_BUILD/fake-manager" \
                -e FAKE_DIR=/run/sandbox --units "$U" > /dev/null; then
                for ((i = 0; i < 500; i++)); do
                        grep -q ' hello version=' "$OUT/fake/manager.log" 2> /dev/null && break
                        sleep 0.01
                done
                s=$(sandbox_run cat /proc/1/comm)
                expect "PID 1 inside" sysmaster-init "$s"
                if grep -q 'start .*argv=.*\[--unit=default.target\]' "$OUT/fake/manager.log" &&
                        grep -q ' hello version=' "$OUT/fake/manager.log"; then
                        ok "the manager was started with --unit=default.target and talks to init"
                else
                        fail "fake-manager: $(cat "$OUT/fake/manager.log" 2> /dev/null)"
                fi
                mpid=$(sandbox_run pgrep -x fake-manager | head -1)
                env=$(sandbox_run sh -c "tr '\0' '\n' < /proc/$mpid/environ")
                for w in container=other "SYSMASTER_EXECUTOR=$SANDBOX_BUILD/sysmaster-executor" \
                        "SYSMASTER_CORE=$SANDBOX_BUILD/fake-manager"; do
                        grep -qxF "$w" <<< "$env" && ok "manager environment has $w" ||
                                fail "manager environment lacks $w"
                done
                sandbox_stop fake > /dev/null || fail "stop (fake) reported a problem"
        else
                fail "the fake-manager sandbox did not start"
        fi
else
        echo "SKIP (init plumbing): sysmaster-init or fake-manager not built"
fi

step "host unchanged, nothing left"
HOST_AFTER=$(host_snapshot)
if [ "$HOST_BEFORE" = "$HOST_AFTER" ]; then
        ok "host sysctls, host name, /run/systemd, unit directories, cgroups unchanged"
else
        fail "host state changed:"
        diff <(echo "$HOST_BEFORE") <(echo "$HOST_AFTER")
fi
s=$(sandbox_leftovers)
expect "left over processes and cgroups" "" "$s"

if [ $failures -gt 0 ]; then
        echo "$failures check(s) failed; outputs in $OUT"
        exit 1
fi
echo "all checks passed"
