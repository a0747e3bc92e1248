#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-spawn-server.sh: services are forked by the exec helpers' spawn server (execute.h,
# executor-server.h), yet the manager is their parent. sysmaster boots a small unit tree in the
# sandbox; checked with the real systemctl and /proc:
#   - the manager has one child "sysmaster-executor --server=3", and a service's PPid is the
#     manager's PID (not the server's);
#   - a context that needs no NSS lookup runs in a process sharing the server's memory: 300 such
#     starts cost the server no page faults (a fork would) and no memory; such a process passes
#     its gate after handing over to the server (gate-pass.h): 40 starts in one transaction all
#     run their commands, and the server keeps nothing of them; a failed execve() of a file that
#     is no program fails the start (Type=exec) with 203/EXEC and the helper's messages
#     (test-gate-pass checks the other outcomes of gate_pass()); User=daemon is forked
#     (and runs as daemon); one killed in the middle of its set-up makes the server exit (its
#     heap may be half updated), that start fails, the next start gets a new server;
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
for i in $(seq 1 40); do
        sandbox_write_unit "$UNITS" p$i.service <<- EOT
	[Unit]
	DefaultDependencies=no
	[Service]
	ExecStart=/bin/sleep 100000
	EOT
done
sandbox_write_unit "$UNITS" h.service << 'EOT'
[Unit]
DefaultDependencies=no
Description=sleeper that gets SIGPIPE
[Service]
IgnoreSIGPIPE=no
ExecStart=/bin/sleep 100000
EOT
# 100 processes per start: sharing the server's memory (vm), and forked because User=daemon asks
# NSS (nss; its last command checks the user)
for u in vm nss; do
        {
                printf '[Unit]\nDefaultDependencies=no\n[Service]\nType=oneshot\n'
                [ $u = nss ] && printf 'User=daemon\n'
                for _ in $(seq 1 99); do printf 'ExecStart=/bin/true\n'; done
                if [ $u = nss ]; then
                        printf '%s\n' "ExecStart=/bin/sh -c 'test \"\$\$(id -un)\" = daemon'"
                else
                        printf 'ExecStart=/bin/true\n'
                fi
        } > "$UNITS/$u.service"
done
printf 'not a program\n' > "$UNITS/bin/garbage"
chmod +x "$UNITS/bin/garbage"
for u in bad good; do
        sandbox_write_unit "$UNITS" ${u}exec.service << EOT
[Unit]
DefaultDependencies=no
[Service]
Type=exec
ExecStart=$([ $u = bad ] && echo "$B/garbage" || echo /bin/sleep 100000)
EOT
done
sandbox_write_unit "$UNITS" killed.service << 'EOT'
[Unit]
DefaultDependencies=no
[Service]
Type=oneshot
ExecStart=/bin/true
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
start_fails() { ! sandbox_ctl start "$1"; }
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
server_fds_ok() { # its socket, and its own binary (O_PATH, for the gate's report) at 256
        [ "$(sandbox_run ls "/proc/$server/fd" | sort -n | tr '\n' ' ')" = "0 1 2 3 256 " ] &&
                [ "$(sandbox_run readlink "/proc/$server/fd/256")" = "$SANDBOX_BUILD/sysmaster-executor" ] &&
                return 0
        sandbox_run ls -l "/proc/$server/fd"
        return 1
}
check "the server holds nothing of the manager's but its socket (fds 0-3) and its own binary" \
        server_fds_ok
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
check "the server's socket is not among b.service's fds (nor its binary)" \
        test "$(sandbox_run ls "/proc/$(main_pid b.service)/fd" | sort | tr '\n' ' ')" = "0 1 2 "
check "b.service runs its command (past its gate)" \
        test "$(sandbox_run readlink "/proc/$(main_pid b.service)/exe")" = "$(readlink -f /bin/sleep)"

# Such a process passes its gate after the hand-over (gate-pass.h). When the command's execve()
# fails (an executable file that is no program: ENOEXEC), the start fails with 203/EXEC and the
# messages the exec helper gives; Type=exec learns it through exec_fd, as without the gate.
console_has() { grep -qF -- "$1" "$OUT/sm/console.log"; }
check "Type=exec, command not a program: start fails" start_fails badexec.service
check "Type=exec, command not a program: 203/EXEC" \
        test "$(sandbox_ctl show -p ExecMainStatus --value badexec.service)" = 203
check "Type=exec, command not a program: \"Failed to execute\" logged" \
        console_has "badexec.service: Failed to execute $B/garbage: Exec format error"
check "Type=exec, command not a program: \"Failed at step EXEC\" logged" \
        console_has "badexec.service: Failed at step EXEC spawning $B/garbage: Exec format error"
# 40 starts in one go: each waits at its gate until the manager's commit while the server serves
# the next; every command runs, and the server unmaps what they used (a pool of 8 mappings, two
# areas each, stays).
server_maps() { sandbox_run cat "/proc/$server/maps" | wc -l; } # read inside: $server is a PID of the namespace
maps0=$(server_maps)
check "the server's mappings can be read" test "$maps0" -gt 0
check "start p1..p40 at once" sandbox_ctl start $(seq -f 'p%g.service' 1 40)
all_sleeping() {
        local i p
        for i in $(seq 1 40); do
                p=$(main_pid p$i.service)
                [ "$(sandbox_ctl is-active p$i.service)" = active ] &&
                        [ "$(sandbox_run readlink "/proc/$p/exe")" = "$(readlink -f /bin/sleep)" ] &&
                        [ "$(ppid_of "$p")" = "$(manager_pid)" ] || { echo "p$i.service: pid $p"; return 1; }
        done
}
check "p1..p40: active, each running its command, children of the manager" all_sleeping
maps_released() {
        for _ in $(seq 1 50); do
                [ $(($(server_maps) - maps0)) -le 16 ] && return 0
                sleep 0.1
        done
        echo "server's mappings: $maps0 -> $(server_maps)"
        return 1
}
check "p1..p40: the server keeps at most its pool of their mappings" maps_released
check "p1..p40: the same server" test "$(server_pids)" = "$server"
sandbox_ctl stop $(seq -f 'p%g.service' 1 40)
check "Type=exec, a program: start" sandbox_ctl start goodexec.service
check "Type=exec, a program: active" test "$(sandbox_ctl is-active goodexec.service)" = active

# A request whose context needs no NSS lookup runs in a process that shares the server's memory
# until its execve() (executor-server.h): the server does not copy itself for it (after a fork
# its own next writes are copy-on-write page faults) and keeps nothing it allocated.
server_minflt() { sandbox_run awk '{ print $10 }' "/proc/$server/stat"; }
server_rss_kb() { sandbox_run awk '/^VmRSS:/ { print $2 }' "/proc/$server/status"; }
check "start vm.service (100 processes)" sandbox_ctl start vm.service
flt0=$(server_minflt) rss0=$(server_rss_kb)
for _ in 1 2 3; do sandbox_ctl start vm.service || break; done
flt1=$(server_minflt) rss1=$(server_rss_kb)
echo "spawn server, 300 processes sharing its memory: $((flt1 - flt0)) page faults, RSS $rss0 -> $rss1 kB"
check "300 processes sharing the server's memory: under 100 page faults in the server" \
        test $((flt1 - flt0)) -lt 100
if nm -u "$SANDBOX_BUILD/sysmaster-executor" 2> /dev/null | grep __asan > /dev/null; then # not -q: nm would get SIGPIPE (pipefail)
        # ASan keeps freed memory in its quarantine (256 MB by default) instead of reusing it
        echo "   skipped: the server's RSS under a sanitizer build ($rss0 -> $rss1 kB)"
else
        check "300 processes sharing the server's memory: its RSS grew less than 64 kB" \
                test $((rss1 - rss0)) -lt 64
fi
check "start nss.service (User=daemon: forked; the last command checks the user)" \
        sandbox_ctl start nss.service
flt2=$(server_minflt)
check "start nss.service again" sandbox_ctl start nss.service
flt3=$(server_minflt)
echo "spawn server, 100 forked processes: $((flt3 - flt2)) page faults"
check "100 forked processes: at least 100 page faults in the server (the check above can fail)" \
        test $((flt3 - flt2)) -ge 100
check "after vm.service and nss.service: the same server" test "$(server_pids)" = "$server"
# Such a process killed in the middle of its set-up (strace kills it when it opens /dev/null for
# its standard input; nothing else starts meanwhile) may have left the server's heap half
# updated: the server exits, that start fails as a start whose process was killed does, the
# next start has a new server.
sandbox_run timeout 60 strace -f -qq -o /dev/null -p "$server" -P /dev/null -e trace=openat \
        -e inject=openat:signal=KILL > /dev/null 2>&1 &
tracer=$!
sleep 1
check "a process sharing the server's memory killed mid-set-up: that start fails" \
        start_fails killed.service
check "a process sharing the server's memory killed mid-set-up: the server exited" gone "$server"
kill "$tracer" 2> /dev/null
wait "$tracer" 2> /dev/null
check "after the server exited: start killed.service" sandbox_ctl start killed.service
check "after the server exited: a new server" test "$(server_pids | wc -l)" = 1 -a "$(server_pids)" != "$server"
server=$(server_pids)

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
