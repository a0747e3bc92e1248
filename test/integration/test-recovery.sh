#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-recovery.sh: the manager dies, nothing is lost (issue 5). sysmaster boots a unit tree in
# the sandbox (tools/sysmaster-sandbox) and is then, one after the other:
#   - killed with SIGKILL, SIGSEGV and SIGABRT (init starts a new manager / it re-executes itself
#     in place), and re-executed with `systemctl daemon-reexec`;
#   - killed and re-executed after its unit files were edited (a file changed, a drop-in came
#     and went): each new manager sees the files as they are now;
#   - killed while a service runs whose main PID is not known: its cgroup running empty after
#     the restarts, or while no manager ran (SIGSTOP, then SIGKILL), ends it;
#   - stopped (SIGSTOP), services killed meanwhile, then killed: the services that ended while no
#     manager ran are handled (Restart= restarts, OnFailure= runs);
#   - crashed at every fault-injection point (src/core/fault-inject.h) in the middle of the
#     operation that passes it (restart, a transaction, daemon-reload, ...).
# After each, the real systemctl must answer, `systemctl show` of every unit must equal what it
# was before (PIDs, invocation IDs, timestamps, counters included) or have moved exactly as the
# operation says, and no service may have started twice: every service appends a line to its
# marker file when it starts. Meanwhile a client connects to an Accept=yes socket unit in a loop
# and must never see ECONNREFUSED, nor a connection left unanswered.
# Exit: 0 all held, 1 something did not, 77 skipped (not root, no sysmaster build).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
. "$(dirname "$0")/lib/recovery.sh"
sandbox_init recovery
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
[ -x /usr/bin/python3 ] || sandbox_skip "/usr/bin/python3 is needed for the socket client"
OUT=$SANDBOX_OUT
UNITS=$OUT/units
mkdir -p "$UNITS"
fail=0

# ---- the unit tree -------------------------------------------------------------------------------
sandbox_write_stub_targets "$UNITS" sysinit basic shutdown sockets
# Every service starts through run.sh, which appends a line to /run/sandbox/NAME.marker.
B=/etc/systemd/system/bin # where the sandbox binds $UNITS/bin
mkdir -p "$UNITS/bin"
recovery_write_tools "$UNITS/bin"
cat > "$UNITS/bin/fail-on-term.sh" << 'EOT'
#!/bin/sh
trap 'exit 3' TERM
sleep 100000 &
wait
EOT
cat > "$UNITS/bin/notify.py" << 'EOT'
import os, socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect(os.environ["NOTIFY_SOCKET"])
s.send(b"READY=1\nSTATUS=serving")
time.sleep(100000)
EOT
# fd store: logs what it got back ($LISTEN_FDNAMES), stores a pipe under FDNAME=kept if nothing
cat > "$UNITS/bin/store.py" << 'EOT'
import os, socket, time
names = os.environ.get("LISTEN_FDNAMES", "")
with open("/run/sandbox/s.names", "a") as f:
    f.write(names + "\n")
if "kept" not in names.split(":"):
    r, w = os.pipe()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.connect(os.environ["NOTIFY_SOCKET"])
    socket.send_fds(s, [b"FDSTORE=1\nFDNAME=kept"], [r])
time.sleep(100000)
EOT
chmod +x "$UNITS"/bin/*.sh
marker() { echo "$B/run.sh $1 $2"; }
sandbox_write_unit "$UNITS" a.service << EOT
[Unit]
Description=long running
[Service]
ExecStart=$(marker a "/bin/sleep 100000")
EOT
sandbox_write_unit "$UNITS" b.service << EOT
[Unit]
Description=restarted when it dies
[Service]
ExecStart=$(marker b "/bin/sleep 100000")
Restart=always
RestartSec=100ms
EOT
sandbox_write_unit "$UNITS" c.service << EOT
[Unit]
Description=oneshot
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$(marker c /bin/true)
EOT
sandbox_write_unit "$UNITS" n.service << EOT
[Unit]
Description=notify
[Service]
Type=notify
ExecStart=$(marker n "/usr/bin/python3 $B/notify.py")
EOT
sandbox_write_unit "$UNITS" s.service << EOT
[Unit]
Description=keeps an fd in its fd store
[Service]
ExecStart=/usr/bin/python3 $B/store.py
FileDescriptorStoreMax=4
Restart=always
RestartSec=100ms
NotifyAccess=all
EOT
sandbox_write_unit "$UNITS" e.service << EOT
[Unit]
Description=fails and has OnFailure=
OnFailure=f.service
[Service]
ExecStart=$(marker e "$B/fail-on-term.sh")
EOT
sandbox_write_unit "$UNITS" f.service << EOT
[Unit]
Description=OnFailure= handler
[Service]
Type=oneshot
ExecStart=$(marker f /bin/true)
EOT
for u in x y; do
        sandbox_write_unit "$UNITS" $u.service <<- EOT
	[Unit]
	Description=$u of g.target
	[Service]
	Type=oneshot
	RemainAfterExit=yes
	ExecStart=$(marker $u /bin/true)
	EOT
done
sandbox_write_unit "$UNITS" p.socket << EOT
[Unit]
Description=a socket with a control command, started later
DefaultDependencies=no
[Socket]
ListenStream=/run/p.sock
ExecStartPre=$(marker p-pre /bin/true)
EOT
sandbox_write_unit "$UNITS" p.service << 'EOT'
[Unit]
DefaultDependencies=no
[Service]
ExecStart=/bin/true
EOT
sandbox_write_unit "$UNITS" fk.service << 'EOT'
[Unit]
DefaultDependencies=no
Description=forks, main PID unknown
[Service]
Type=forking
GuessMainPID=no
ExecStart=/bin/sh -c '/bin/sleep 100000 &'
EOT
sandbox_write_unit "$UNITS" pn.service << 'EOT'
[Unit]
DefaultDependencies=no
Description=PrivateNetwork=, started later
[Service]
PrivateNetwork=yes
ExecStart=/bin/sleep infinity
ExecReload=/bin/sh -c 'readlink /proc/self/ns/net > /run/sandbox/pn-reload.ns'
EOT
sandbox_write_unit "$UNITS" g.target << 'EOT'
[Unit]
Description=started later, two jobs in one transaction
Wants=x.service y.service
EOT
recovery_write_echo_units "$UNITS"
sandbox_write_unit "$UNITS" default.target << 'EOT'
[Unit]
Description=test boot
Wants=a.service b.service c.service n.service e.service s.service echo.socket
EOT
for u in a b c n e f x y s; do
        sed -i 's/^\[Unit\]$/[Unit]\nDefaultDependencies=no/' "$UNITS/$u.service"
done
sed -i 's/^\[Unit\]$/[Unit]\nDefaultDependencies=no/' "$UNITS/echo.socket"

PROPS=Id,LoadState,ActiveState,SubState,Result,MainPID,ControlPID,InvocationID,NRestarts,ExecMainPID,ExecMainCode,ExecMainStatus,ExecMainStartTimestampMonotonic,ActiveEnterTimestampMonotonic,InactiveExitTimestampMonotonic,StateChangeTimestampMonotonic,StatusText,NAccepted,NConnections,Job
FIXED="a.service b.service c.service n.service e.service f.service echo.socket default.target g.target x.service y.service -.slice system.slice init.scope"
snapshot() { # FILE: the state of the fixed units and the manager's environment, for comparison
        { sandbox_ctl show -p "$PROPS" $FIXED; sandbox_ctl show-environment; } > "$1" 2>&1
        # NAccepted/NConnections move with the client: compared separately
        sed -i '/^NAccepted=/d; /^NConnections=/d' "$1"
}
manager_pid() { sandbox_run pgrep -x sysmaster; }
markers() { # NAME: lines in its marker file
        cat "$SANDBOX_STATE/$1.marker" 2> /dev/null | wc -l
}
# Waits until the (new) manager answers, prints how long it took in ms.
wait_answer() {
        local t0 t1
        t0=$(date +%s%N)
        for _ in $(seq 1 500); do
                if [ "$(sandbox_ctl is-active a.service 2> /dev/null)" = active ]; then
                        t1=$(date +%s%N)
                        echo $(((t1 - t0) / 1000000))
                        return 0
                fi
                sleep 0.01
        done
        echo timeout
        return 1
}
same_state() { # WHAT: the snapshot equals the reference one
        snapshot "$OUT/after.txt"
        if diff -u "$OUT/ref.txt" "$OUT/after.txt" > "$OUT/diff-$1.txt"; then
                return 0
        fi
        cat "$OUT/diff-$1.txt"
        return 1
}

# ---- boot ---------------------------------------------------------------------------------------
# This test kills the manager far more often than init's crash-loop guard allows by default.
sandbox_start sm --units "$UNITS" -e SYSMASTER_RESTART_BURST=1000 || { echo "FAIL: boot"; exit 1; }
sandbox_wait_ready 60 > /dev/null || { echo "FAIL: the boot did not finish"; exit 1; }
inside_out=$SANDBOX_STATE # /run/sandbox inside
sandbox_run /bin/sh -c "setsid /usr/bin/python3 $B/sockclient.py /run/sandbox/client.txt /run/sandbox/client.stop 20 > /run/sandbox/client.log 2>&1 < /dev/null &"
sleep 0.5
# set-environment is state of the manager too: it must survive every restart
sandbox_ctl set-environment RECOVERY_TEST=kept "SPACES=a b"
snapshot "$OUT/ref.txt"
check "boot: every service started once" \
        test "$(markers a)$(markers b)$(markers c)$(markers n)$(markers e)" = 11111

# ---- kills at random moments of an idle manager ------------------------------------------------
for sig in KILL SEGV ABRT KILL SEGV; do
        pid=$(manager_pid)
        sandbox_run kill -s $sig "$pid"
        ms=$(wait_answer)
        check "SIG$sig: systemctl answers again ($ms ms)" test "$ms" != timeout
        check "SIG$sig: every unit's state as before" same_state "$sig"
done
t0=$(date +%s%N)
check "daemon-reexec succeeds" sandbox_ctl daemon-reexec
ms=$(wait_answer)
check "daemon-reexec: systemctl answers again ($ms ms)" test "$ms" != timeout
check "daemon-reexec: every unit's state as before" same_state reexec
check "no service started twice" test "$(markers a)$(markers b)$(markers c)$(markers n)$(markers e)" = 11111

# ---- unit files edited while the manager runs: a restart loads them again, as systemd's
# daemon-reexec does (whatever the restored state, the definition comes from the files) -------
desc() { sandbox_ctl show -p Description --value a.service; }
sed -i 's/^Description=long running$/Description=edited before SIGKILL/' "$UNITS/a.service"
sandbox_run kill -KILL "$(manager_pid)"
wait_answer > /dev/null
check "edited unit file: seen after SIGKILL" test "$(desc)" = "edited before SIGKILL"
mkdir -p "$UNITS/a.service.d"
printf '[Unit]\nDescription=from a new drop-in\n' > "$UNITS/a.service.d/50-desc.conf"
sandbox_ctl daemon-reexec
wait_answer > /dev/null
check "new drop-in: seen after daemon-reexec" test "$(desc)" = "from a new drop-in"
rm -r "$UNITS/a.service.d"
sed -i 's/^Description=edited before SIGKILL$/Description=long running/' "$UNITS/a.service"
sandbox_run kill -SEGV "$(manager_pid)"
wait_answer > /dev/null
check "drop-in removed, file restored: seen after SIGSEGV" test "$(desc)" = "long running"
check "edits: every unit's state as before" same_state edits
check "edits: no service started twice" test "$(markers a)$(markers b)$(markers c)$(markers n)$(markers e)" = 11111

# ---- cgroups that run empty: the watches on cgroup.events outlive the manager (its inotify
# object is kept in init's fd store), and what changed while none ran waits in it. fk.service
# forks and its main PID is not known: only its cgroup running empty ends it -------------------
fk_procs() { sandbox_run cat /sys/fs/cgroup/system.slice/fk.service/cgroup.procs 2> /dev/null; }
fk_ended() { # waits up to 10 s for fk.service to be inactive
        for _ in $(seq 1 200); do
                [ "$(sandbox_ctl is-active fk.service)" = inactive ] && return 0
                sleep 0.05
        done
        sandbox_ctl status fk.service
        return 1
}
sandbox_ctl start fk.service
check "forking service: fk runs" test "$(sandbox_ctl is-active fk.service)" = active
sandbox_run kill -KILL "$(manager_pid)"
wait_answer > /dev/null
sandbox_run kill -SEGV "$(manager_pid)"
wait_answer > /dev/null
sandbox_run kill $(fk_procs)
check "a cgroup that runs empty after two restarts: fk.service ended" fk_ended
sandbox_ctl start fk.service
pid=$(manager_pid)
sandbox_run kill -STOP "$pid"
sandbox_run kill $(fk_procs)
sleep 0.3
sandbox_run kill -KILL "$pid"
wait_answer > /dev/null
check "a cgroup that ran empty while no manager ran: fk.service ended" fk_ended

# ---- services that end while no manager runs ---------------------------------------------------
for sig in KILL SEGV; do
        pid=$(manager_pid)
        b_before=$(markers b)
        sandbox_run kill -STOP "$pid"
        sandbox_run /bin/sh -c 'kill $(cat /sys/fs/cgroup/system.slice/b.service/cgroup.procs)'
        sandbox_run /bin/sh -c 'kill $(cat /sys/fs/cgroup/system.slice/e.service/cgroup.procs)'
        sleep 0.3
        sandbox_run kill -s $sig "$pid"
        sandbox_run kill -CONT "$pid" 2> /dev/null
        wait_answer > /dev/null
        for _ in $(seq 1 100); do
                [ "$(sandbox_ctl is-active b.service)" = active ] && [ "$(markers f)" -ge 1 ] && break
                sleep 0.05
        done
        check "SIG$sig while b and e ended: Restart= restarted b once" test "$(markers b)" = $((b_before + 1))
        check "SIG$sig: b's NRestarts moved" test "$(sandbox_ctl show -p NRestarts --value b.service)" -ge 1
        check "SIG$sig: e failed with exit-code 3" \
                test "$(sandbox_ctl show -p Result,ExecMainStatus --value e.service | tr '\n' ' ')" = "exit-code 3 "
        check "SIG$sig: OnFailure= ran f once" test "$(markers f)" = 1
        # back to the reference: e running again, f's marker reset
        sandbox_ctl start e.service
        rm -f "$inside_out/f.marker" "$inside_out/e.marker"
        : > "$inside_out/e.marker"
done

# ---- fault injection: crashes in the middle of operations --------------------------------------
arm() { # POINT: the next manager crashes there (read at its start)
        echo "$1" > "$inside_out/fault"
        sandbox_run /bin/sh -c 'mkdir -p /run/sysmaster && mv /run/sandbox/fault /run/sysmaster/fault'
        sandbox_run kill -KILL "$(manager_pid)"
        wait_answer > /dev/null
}
retry() { # COMMAND...: systemctl may fail once (the manager died under it), then succeeds
        # (only for idempotent requests: the failed call may have taken effect)
        sandbox_ctl "$@" 2> /dev/null || { wait_answer > /dev/null; sandbox_ctl "$@"; }
}

a_before=$(markers a)
arm after-fork
sandbox_ctl restart a.service 2> /dev/null
wait_answer > /dev/null
check "after-fork: a runs" test "$(sandbox_ctl is-active a.service)" = active
check "after-fork: a started exactly once more" test "$(markers a)" = $((a_before + 1))

a_before=$(markers a)
arm after-commit
sandbox_ctl restart a.service 2> /dev/null
wait_answer > /dev/null
sleep 0.3
check "after-commit: a runs" test "$(sandbox_ctl is-active a.service)" = active
check "after-commit: a started exactly once more" test "$(markers a)" = $((a_before + 1))

arm mid-transaction
retry start g.target
check "mid-transaction: g.target reached after a retry" test "$(sandbox_ctl is-active g.target)" = active
check "mid-transaction: x and y ran once each" test "$(markers x)$(markers y)" = 11

# start is idempotent: a retry after a failed call must not run c twice
sandbox_ctl stop c.service
c_before=$(markers c)
arm before-signal
retry start c.service
check "before-signal: c active" test "$(sandbox_ctl is-active c.service)" = active
check "before-signal: c ran once more (not twice)" test "$(markers c)" = $((c_before + 1))

snapshot "$OUT/ref.txt"
arm mid-reload
sandbox_ctl daemon-reload 2> /dev/null
wait_answer > /dev/null
check "mid-reload: every unit's state as before" same_state mid-reload

# ---- the fd store of a service survives the manager -------------------------------------------
check "fd store: s.service stored its fd" test "$(sandbox_ctl show -p NFileDescriptorStore --value s.service)" = 1
sandbox_run kill -KILL "$(manager_pid)"
wait_answer > /dev/null
check "fd store: still there after SIGKILL" test "$(sandbox_ctl show -p NFileDescriptorStore --value s.service)" = 1
sandbox_run kill -SEGV "$(manager_pid)"
wait_answer > /dev/null
check "fd store: still there after SIGSEGV" test "$(sandbox_ctl show -p NFileDescriptorStore --value s.service)" = 1
# Restart= keeps the fd store (a manual stop would release it)
sandbox_run /bin/sh -c 'kill $(cat /sys/fs/cgroup/system.slice/s.service/cgroup.procs)'
for _ in $(seq 1 50); do [ "$(wc -l < "$inside_out/s.names")" -ge 2 ] && break; sleep 0.1; done
check "fd store: the restarted service got it back (LISTEN_FDNAMES=kept)" \
        test "$(tail -n 1 "$inside_out/s.names")" = kept

# ---- PrivateNetwork=: the unit's network namespace survives the manager --------------------------
sandbox_ctl start pn.service
pn_main=$(sandbox_ctl show -P MainPID pn.service)
pn_ns=$(sandbox_run readlink "/proc/$pn_main/ns/net")
sandbox_run kill -KILL "$(manager_pid)"
wait_answer > /dev/null
sandbox_ctl reload pn.service
check "PrivateNetwork=: the main process has a network namespace of its own" \
        test "$pn_ns" != "$(sandbox_run readlink /proc/1/ns/net)"
check "PrivateNetwork=: ExecReload= after a SIGKILL of the manager joins the main process's namespace" \
        test "$(cat "$inside_out/pn-reload.ns" 2> /dev/null)" = "$pn_ns"
sandbox_ctl stop pn.service

# ---- the socket client -------------------------------------------------------------------------
touch "$inside_out/client.stop"
for _ in $(seq 1 200); do [ -s "$inside_out/client.txt" ] && break; sleep 0.1; done
client=$(cat "$inside_out/client.txt" 2> /dev/null)
echo "client: $client"
cat "$inside_out/client.log"
check "the socket client connected throughout" grep -q 'connections=[1-9]' <<< "$client"
check "the socket client never saw ECONNREFUSED nor an unanswered connection" \
        recovery_client_ok "$inside_out/client.txt"

# A crash right after accept(): the connection is in init's keeping, the next manager serves it
arm after-accept
check "after-accept: the connection accepted by the crashing manager is answered" \
        sandbox_run /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect("/run/echo.sock")
sys.exit(0 if s.recv(16).startswith(b"ok") else 1)'
wait_answer > /dev/null
check "after-accept: the manager did crash there" \
        grep -q 'Fault injection: crashing at "after-accept"' "$SANDBOX_STATE/console.log"

# after-commit hitting a socket's control command: now that the socket client is done, the
# first commit with a spawn is p.socket's
arm after-commit
sandbox_ctl start p.socket 2> /dev/null
wait_answer > /dev/null
for _ in $(seq 1 50); do [ "$(sandbox_ctl is-active p.socket)" = active ] && break; sleep 0.1; done
check "after-commit: p.socket listens" test "$(sandbox_ctl is-active p.socket)" = active
check "after-commit: its ExecStartPre= ran exactly once" test "$(markers p-pre)" = 1

check "the sandbox stops cleanly" sandbox_stop sm

# ---- the crash-loop guard: an event that crashes every manager is skipped ----------------------
# SYSMASTER_FAULT in PID 1's environment reaches every manager: each one crashes (SIGSEGV) when
# it starts poison.service. The first crash re-executes and tries again; the second makes the
# start job of poison.service poisoned: the next manager fails that job instead of running it.
sandbox_write_unit "$UNITS" poison.service << 'EOT'
[Unit]
DefaultDependencies=no
Description=crashes the manager when started
[Service]
ExecStart=/bin/sleep 100000
EOT
sed -i 's/^Wants=.*/& poison.service/' "$UNITS/default.target"
sandbox_start guard --units "$UNITS" -e SYSMASTER_FAULT=start@poison.service=SEGV ||
        { echo "FAIL: boot with the poisoned unit"; exit 1; }
sandbox_wait_ready 60 > /dev/null
check "crash loop: the boot finishes" test "$(sandbox_ctl is-system-running)" = running
# the job failed; the unit never ran, so it is not "failed" itself
check "crash loop: poison.service's start job failed, it never ran" \
        test "$(sandbox_ctl is-active poison.service)" = inactive
check "crash loop: the job failure is reported" \
        grep -q 'Failed to start poison.service' "$SANDBOX_STATE/console.log"
check "crash loop: the other units run" test "$(sandbox_ctl is-active a.service n.service echo.socket | sort -u)" = active
check "crash loop: skipped with a loud message" \
        grep -q 'Skipping "start poison.service": the manager crashed handling it before' "$SANDBOX_STATE/console.log"
check "crash loop: the manager crashed exactly twice on it" \
        test "$(grep -c 'Fault injection: crashing at "start@poison.service"' "$SANDBOX_STATE/console.log")" = 2
# set-environment on an otherwise idle manager (in the first sandbox the socket client keeps
# the manager's record changing anyway): the change itself must reach the store
sandbox_ctl set-environment QUIET_CHANGE=kept
sandbox_run kill -KILL "$(manager_pid)"
wait_answer > /dev/null
check "set-environment survives a SIGKILL of an idle manager" \
        grep -qx "QUIET_CHANGE=kept" <<< "$(sandbox_ctl show-environment)"
check "the sandbox stops cleanly" sandbox_stop guard
[ $fail = 0 ] && echo "test-recovery: all checks passed"
exit $fail
