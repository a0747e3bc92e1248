#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-spawn-server.sh: services are forked by the exec helpers' spawn server (execute.h,
# executor-server.h), yet the manager is their parent. sysmaster boots a small unit tree in the
# sandbox; checked with the real systemctl and /proc:
#   - the manager has one child "sysmaster-executor --server=3", and a service's PPid is the
#     manager's PID (not the server's);
#   - with the server killed (SIGKILL), the next start still works, a new server follows and
#     the running services did not notice;
#   - after daemon-reexec and after a SIGKILL of the manager the old server is gone, the new
#     manager starts services (and says nothing about the old server's exit above debug);
#   - a server that took a request and does not answer (SIGSTOP) fails that start after 5 s and
#     is replaced; the command did not run, the next start runs it once;
#   - a server that takes 3 s to start: the starts meanwhile exec the helper and succeed;
#   - with SYSMASTER_SPAWN_SERVER=0 there is no server and services start as before.
# Exit: 0 all held, 1 something did not, 77 skipped (not root, no sysmaster build).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
. "$(dirname "$0")/lib/recovery.sh"
sandbox_init spawn-server
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
OUT=$SANDBOX_OUT
UNITS=$OUT/units
fail=0

sandbox_write_stub_targets "$UNITS" sysinit basic shutdown sockets
for u in a b c d e f; do
        sandbox_write_unit "$UNITS" $u.service <<- EOT
	[Unit]
	DefaultDependencies=no
	Description=sleeper $u
	[Service]
	ExecStart=/bin/sleep 100000
	EOT
done
B=/etc/systemd/system/bin # where the sandbox binds $UNITS/bin
recovery_write_tools "$UNITS/bin"
sandbox_write_unit "$UNITS" g.service << EOT
[Unit]
DefaultDependencies=no
Description=counted sleeper
[Service]
ExecStart=$B/run.sh g /bin/sleep 100000
EOT
sandbox_write_unit "$UNITS" h.service << 'EOT'
[Unit]
DefaultDependencies=no
Description=sleeper that gets SIGPIPE
[Service]
IgnoreSIGPIPE=no
ExecStart=/bin/sleep 100000
EOT
sandbox_write_unit "$UNITS" default.target << 'EOT'
[Unit]
Description=test boot
Wants=a.service
EOT
# An exec helper whose server takes 3 s to start (exec, linking and a sanitizer's set-up on a
# loaded machine): the manager must not send it requests before it announced itself.
cat > "$UNITS/bin/slow-executor" << EOT
#!/bin/sh
case "\$1" in --server=*) sleep 3 ;; esac
exec $SANDBOX_BUILD/sysmaster-executor "\$@"
EOT
chmod +x "$UNITS/bin/slow-executor"

manager_pid() { sandbox_run pgrep -x sysmaster; }
# The manager's children running "sysmaster-executor --server=…" (PIDs of the namespace).
server_pids() { sandbox_run pgrep -P "$(manager_pid)" -f -- '--server='; }
main_pid() { sandbox_ctl show -p MainPID --value "$1"; }
ppid_of() { sandbox_run awk '/^PPid:/ { print $2 }' "/proc/$1/status"; }
parent_is_manager() { # UNIT: its main process is a child of the manager
        local p
        p=$(main_pid "$1")
        [ -n "$p" ] && [ "$p" != 0 ] && [ "$(ppid_of "$p")" = "$(manager_pid)" ]
}
gone() { # PID: no such process in the namespace (waits up to 5 s)
        for _ in $(seq 1 100); do
                sandbox_run test -d "/proc/$1" || return 0
                sleep 0.05
        done
        return 1
}
one_server() { [ "$(server_pids | wc -l)" = 1 ]; }
wait_answer() {
        for _ in $(seq 1 500); do
                [ "$(sandbox_ctl is-active a.service 2> /dev/null)" = active ] && return 0
                sleep 0.02
        done
        return 1
}

# ---- with the server ----------------------------------------------------------------------------
sandbox_start sm --units "$UNITS" || { echo "FAIL: boot"; exit 1; }
sandbox_wait_ready 60 > /dev/null || { echo "FAIL: the boot did not finish"; exit 1; }
check "boot: a.service active" test "$(sandbox_ctl is-active a.service)" = active
check "the manager runs one spawn server" one_server
server=$(server_pids)
check "the server is the exec helper" sandbox_run grep -q sysmaster-executor "/proc/$server/cmdline"
server_fds_ok() {
        [ "$(sandbox_run ls "/proc/$server/fd" | sort | tr '\n' ' ')" = "0 1 2 3 " ] && return 0
        sandbox_run ls -l "/proc/$server/fd"
        return 1
}
check "the server holds nothing of the manager's but its socket (fds 0-3)" server_fds_ok
check "a.service's parent is the manager" parent_is_manager a.service
# A service starts with every signal at its default and none blocked, but SIGPIPE ignored unless
# IgnoreSIGPIPE=no (the manager itself ignores SIGPIPE and handles others through signalfd).
sig_mask() { sandbox_run awk -v f="$2:" '$1 == f { print $2 }' "/proc/$(main_pid "$1")/status"; }
check "a.service: SIGPIPE ignored, nothing else" test "$(sig_mask a.service SigIgn)" = 0000000000001000
check "a.service: no signal blocked" test "$(sig_mask a.service SigBlk)" = 0000000000000000
check "start h.service" sandbox_ctl start h.service
check "h.service (IgnoreSIGPIPE=no): no signal ignored" test "$(sig_mask h.service SigIgn)" = 0000000000000000
check "h.service: no signal blocked" test "$(sig_mask h.service SigBlk)" = 0000000000000000
check "start b.service" sandbox_ctl start b.service
check "b.service's parent is the manager" parent_is_manager b.service
check "b.service: the same server" test "$(server_pids)" = "$server"
check "the server's socket is not among b.service's fds" \
        test "$(sandbox_run ls "/proc/$(main_pid b.service)/fd" | sort | tr '\n' ' ')" = "0 1 2 "

sandbox_run kill -KILL "$server"
check "server killed: it is gone (reaped)" gone "$server"
check "server killed: start c.service" sandbox_ctl start c.service
check "server killed: c.service active" test "$(sandbox_ctl is-active c.service)" = active
check "server killed: c.service's parent is the manager" parent_is_manager c.service
check "server killed: a new server" one_server
check "server killed: the new server is another process" test "$(server_pids)" != "$server"
check "server killed: a.service and b.service still active" \
        test "$(sandbox_ctl is-active a.service b.service | tr '\n' ' ')" = "active active "

# a manager that restores its state (re-executed, or started again by init) has
# GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (its heap on huge pages); it keeps it for its next
# re-execution and takes it out of its helpers' environment
tunables() { sandbox_run cat "/proc/$1/environ" | tr '\0' '\n' | grep '^GLIBC_TUNABLES='; }
manager_tunables_ok() { [ "$(tunables "$(manager_pid)")" = GLIBC_TUNABLES=glibc.malloc.hugetlb=1 ]; }
no_tunables() { [ -z "$(tunables "$1")" ]; }
check "the first manager has no GLIBC_TUNABLES (small pages)" no_tunables "$(manager_pid)"

server=$(server_pids)
mpid=$(manager_pid)
check "daemon-reexec" sandbox_ctl daemon-reexec
wait_answer
check "daemon-reexec: the old server exited" gone "$server"
check "daemon-reexec: start d.service" sandbox_ctl start d.service
check "daemon-reexec: d.service's parent is the manager" parent_is_manager d.service
check "daemon-reexec: one server" one_server
check "daemon-reexec: the re-executed manager has GLIBC_TUNABLES" manager_tunables_ok
check "daemon-reexec: the spawn server has no GLIBC_TUNABLES" no_tunables "$(server_pids)"

server=$(server_pids)
sandbox_run kill -KILL "$(manager_pid)"
wait_answer
check "manager SIGKILL: a new manager" test "$(manager_pid)" != "$mpid"
check "manager SIGKILL: the old server exited" gone "$server"
check "manager SIGKILL: start e.service" sandbox_ctl start e.service
check "manager SIGKILL: e.service's parent is the manager" parent_is_manager e.service
check "manager SIGKILL: one server" one_server
check "manager SIGKILL: init gave the new manager GLIBC_TUNABLES" manager_tunables_ok
check "manager SIGKILL: the spawn server has no GLIBC_TUNABLES" no_tunables "$(server_pids)"
check "manager SIGKILL: e.service has no GLIBC_TUNABLES" \
        no_tunables "$(sandbox_ctl show -p MainPID --value e.service)"

# A server that took a request and never answers (stopped): after 5 s that start fails, the
# server is replaced, and the helper it may have forked never runs the command; the next start
# runs it once.
marker_lines() { sandbox_run cat /run/sandbox/g.marker 2> /dev/null | wc -l; }
server_ready() { # one server runs the exec helper (not the wrapper of "slow" below)
        for _ in $(seq 1 100); do
                one_server && sandbox_run grep -q sysmaster-executor "/proc/$(server_pids)/cmdline" && return 0
                sleep 0.05
        done
        return 1
}
start_fails() { ! sandbox_ctl start "$1"; }
check "server stopped: a server runs" server_ready
server=$(server_pids)
sandbox_run kill -STOP "$server"
check "server stopped: start g.service fails" start_fails g.service
check "server stopped: g.service failed" test "$(sandbox_ctl is-active g.service)" = failed
check "server stopped: the stopped server is gone (reaped)" gone "$server"
check "server stopped: g.service's command did not run" test "$(marker_lines)" = 0
check "server stopped: start g.service again" sandbox_ctl start g.service
check "server stopped: g.service active" test "$(sandbox_ctl is-active g.service)" = active
check "server stopped: g.service's parent is the manager" parent_is_manager g.service
sleep 0.5 # an orphan helper would have run by now
check "server stopped: g.service's command ran once" test "$(marker_lines)" = 1
check "server stopped: one server" one_server
check "server stopped: another process" test "$(server_pids)" != "$server"
check "server stopped: the other services still active" \
        test "$(sandbox_ctl is-active a.service b.service c.service d.service e.service | sort -u)" = active
check "manager SIGKILL: every service still active" \
        test "$(sandbox_ctl is-active a.service b.service c.service d.service e.service | sort -u)" = active
check "manager SIGKILL: nothing logged about the old server's PID $server" \
        bash -c "! grep -E '(PID|[Cc]hild|process) $server\\b' '$SANDBOX_STATE/console.log'"
sandbox_stop sm || { echo "FAIL: stop"; fail=1; }

# ---- a server slow to start ---------------------------------------------------------------------
# Until it announced itself the manager execs helpers as without a server (a request sent to it
# would go unanswered for 3 s and fail the start).
sandbox_start slow --units "$UNITS" -e SYSMASTER_EXECUTOR=$B/slow-executor || { echo "FAIL: boot"; exit 1; }
sandbox_wait_ready 60 > /dev/null || { echo "FAIL: the boot did not finish"; exit 1; }
check "slow server: a.service active" test "$(sandbox_ctl is-active a.service)" = active
check "slow server: a.service's parent is the manager" parent_is_manager a.service
check "slow server: start b.service while the server starts" sandbox_ctl start b.service
check "slow server: b.service's parent is the manager" parent_is_manager b.service
server_up() { # the wrapper has exec'd the server (waits up to 10 s)
        for _ in $(seq 1 200); do
                sandbox_run grep -q sysmaster-executor "/proc/$(server_pids)/cmdline" 2> /dev/null && return 0
                sleep 0.05
        done
        return 1
}
check "slow server: it runs after its 3 s" server_up
check "slow server: start c.service" sandbox_ctl start c.service
check "slow server: c.service's parent is the manager" parent_is_manager c.service
check "slow server: one server" one_server
sandbox_stop slow || { echo "FAIL: stop"; fail=1; }

# ---- without ------------------------------------------------------------------------------------
sandbox_start off --units "$UNITS" -e SYSMASTER_SPAWN_SERVER=0 || { echo "FAIL: boot"; exit 1; }
sandbox_wait_ready 60 > /dev/null || { echo "FAIL: the boot did not finish"; exit 1; }
check "SYSMASTER_SPAWN_SERVER=0: a.service active" test "$(sandbox_ctl is-active a.service)" = active
check "SYSMASTER_SPAWN_SERVER=0: start f.service" sandbox_ctl start f.service
check "SYSMASTER_SPAWN_SERVER=0: f.service's parent is the manager" parent_is_manager f.service
check "SYSMASTER_SPAWN_SERVER=0: no server" test -z "$(server_pids)"
check "SYSMASTER_SPAWN_SERVER=0: f.service: SIGPIPE ignored, nothing else" \
        test "$(sig_mask f.service SigIgn)" = 0000000000001000
check "SYSMASTER_SPAWN_SERVER=0: start h.service" sandbox_ctl start h.service
check "SYSMASTER_SPAWN_SERVER=0: h.service: no signal ignored" test "$(sig_mask h.service SigIgn)" = 0000000000000000
sandbox_stop off || { echo "FAIL: stop"; fail=1; }

left=$(sandbox_leftovers)
check "nothing left over" test -z "$left"
exit $fail
