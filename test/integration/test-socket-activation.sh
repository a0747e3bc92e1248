#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-socket-activation.sh: socket activation under systemd 252 and under sysmaster, side by
# side in the sandbox (tools/sysmaster-sandbox). The same unit tree boots under both managers;
# the same script runs in each: `systemctl start` of an Accept=no socket on a path, a client
# connects, the service starts with $LISTEN_FDS/$LISTEN_FDNAMES/$LISTEN_PID and answers; an
# Accept=yes socket on 127.0.0.1 spawns one instance per connection that answers over the
# connection (StandardInput=socket) with $REMOTE_ADDR; `systemctl status`, `is-active` and
# `show -p Listen,NAccepted,NConnections,…` of the sockets, daemon-reload keeping the socket,
# stop. Every command's exit status and output (PIDs, times masked) must be equal.
# Outputs: $top_builddir/test/socket-activation.out/{systemd,sysmaster}.txt and the diff.
# Exit: 0 equal, 1 different, 77 skipped (not root, no systemd 252 or no sysmaster build).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
. "$(dirname "$0")/lib/systemctl-normalize.sh"
sandbox_init socket-activation
sandbox_have_systemd || sandbox_skip "systemd 252 is not installed"
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
[ -x /usr/bin/python3 ] || sandbox_skip "no /usr/bin/python3 for the clients"
OUT=$SANDBOX_OUT
U=$OUT/units

sandbox_write_unit "$U" t.target << 'EOF'
[Unit]
DefaultDependencies=no
Description=Test Target
EOF
sandbox_write_unit "$U" foo.socket << 'EOF'
[Unit]
DefaultDependencies=no
Description=Foo Socket

[Socket]
ListenStream=/run/foo/foo.sock
FileDescriptorName=foo
SocketMode=0600
EOF
sandbox_write_unit "$U" foo.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Foo Service

[Service]
ExecStart=/usr/bin/python3 -c "import os, socket; s = socket.socket(fileno=3); c, _ = s.accept(); c.sendall(('fds=' + os.environ['LISTEN_FDS'] + ' names=' + os.environ['LISTEN_FDNAMES'] + ' pid=' + str(os.environ['LISTEN_PID'] == str(os.getpid()))).encode()); c.close()"
EOF
sandbox_write_unit "$U" bar.socket << 'EOF'
[Unit]
DefaultDependencies=no
Description=Bar Socket

[Socket]
ListenStream=127.0.0.1:7002
Accept=yes
EOF
sandbox_write_unit "$U" bar@.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Bar Connection

[Service]
ExecStart=/bin/sh -c 'read line; echo "got $line from $REMOTE_ADDR"'
StandardInput=socket
EOF
sandbox_write_unit "$U" dg.socket << 'EOF'
[Unit]
DefaultDependencies=no
Description=Datagram Socket

[Socket]
ListenDatagram=/run/dg.sock
RemoveOnStop=yes
Symlinks=/run/dg-link
EOF
sandbox_write_unit "$U" dg.service << 'EOF'
[Unit]
DefaultDependencies=no
Description=Datagram Service

[Service]
ExecStart=/bin/sh -c 'echo "$LISTEN_FDS $LISTEN_FDNAMES" > /run/dg.out; exec sleep infinity'
EOF

PROPS=Listen,NAccepted,NConnections,NRefused,Accept,Backlog,SocketMode,DirectoryMode,FileDescriptorName,Triggers,Result,ActiveState,SubState,TimeoutUSec,MaxConnections,TriggerLimitBurst,TriggerLimitIntervalUSec,RemoveOnStop,Symlinks,PassCredentials,KeepAlive,NoDelay,ReusePort,BindIPv6Only,ControlPID
UNIX_CLIENT='import socket, sys; c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); print(c.recv(200).decode())'
TCP_CLIENT='exec 3<>/dev/tcp/127.0.0.1/7002; echo hello-$1 >&3; cat <&3'
DGRAM_CLIENT='import socket; c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); c.sendto(b"x", "/run/dg.sock")'

# Lines: "systemctl ARGS" runs systemctl, "@ CMD" runs a shell command inside the sandbox
# (output compared), "! CMD" runs one without comparing, "sleep N" waits.
SCRIPT="
@ ip link set lo up 2>/dev/null || python3 -c 'import fcntl, socket, struct; s = socket.socket(); fcntl.ioctl(s, 0x8914, struct.pack(\"16sh\", b\"lo\", 0x1 | 0x40))'
start foo.socket
is-active foo.socket
is-active foo.service
status foo.socket
show -p $PROPS foo.socket
@ stat -c '%a %F' /run/foo/foo.sock /run/foo
@ python3 -c '$UNIX_CLIENT' /run/foo/foo.sock
sleep 1
is-active foo.service
show -p $PROPS foo.socket
@ python3 -c '$UNIX_CLIENT' /run/foo/foo.sock
sleep 1
daemon-reload
is-active foo.socket
@ python3 -c '$UNIX_CLIENT' /run/foo/foo.sock
sleep 1
show -p SubState,NAccepted foo.socket
start bar.socket
status bar.socket
@ bash -c '$TCP_CLIENT' - one
@ bash -c '$TCP_CLIENT' - two
sleep 1
show -p $PROPS bar.socket
start dg.socket
@ stat -c '%a %F' /run/dg.sock
@ readlink /run/dg-link
@ python3 -c '$DGRAM_CLIENT'
sleep 1
is-active dg.service
show -p SubState dg.socket
@ cat /run/dg.out
stop dg.service
sleep 1
show -p SubState dg.socket
stop dg.socket
@ ls /run/dg.sock /run/dg-link 2>&1 | sed 's/^ls: //'
stop foo.socket bar.socket
is-active foo.socket bar.socket
show -p $PROPS foo.socket
@ test -S /run/foo/foo.sock && echo node-kept
"

normalize() {
        sed -E \
                -e 's/[A-Z][a-z]{2} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [A-Z]+/<TIME>/g' \
                -e 's/; [0-9a-z .]+ ago/; <AGO>/g' \
                -e 's/(PID|Main PID|Process|Cntrl PID):? [0-9]+/\1: <PID>/g' \
                -e 's/^( +)[0-9]+ /\1<PID> /' \
                -e 's/([|`]-)[0-9]+ /\1<PID> /' \
                -e '/^ +(CPU|Memory|Tasks): /d' \
                -e 's/ \(limit: [0-9]+\)//' \
                -e 's/^( +Duration: ).*/\1<DURATION>/' |
                sort_dependency_lists
}

run_script() {
        local line cmd rc
        while IFS= read -r line; do
                [ -n "$line" ] || continue
                case "$line" in
                "sleep "*) sleep "${line#sleep }"; continue ;;
                "! "*) sandbox_run sh -c "${line:2}" > /dev/null 2>&1; continue ;;
                "@ "*)
                        echo "\$ ${line:2}"
                        cmd=$(sandbox_run sh -c "${line:2}" 2>&1)
                        rc=$? ;;
                *)
                        echo "\$ systemctl $line"
                        # shellcheck disable=SC2086 # the script's words are meant to split
                        cmd=$(sandbox_run systemctl $line 2>&1)
                        rc=$? ;;
                esac
                printf '%s\n' "$cmd" | normalize
                echo "[exit $rc]"
        done <<< "$SCRIPT"
}

failures=0
for m in systemd sysmaster; do
        echo "== booting $m"
        sandbox_start_ready "$m" --manager "$m" --units "$U" --copy --unit t.target ||
                { failures=$((failures + 1)); continue; }
        run_script > "$OUT/$m.txt" 2>&1
        sandbox_stop "$m" > /dev/null || { echo "FAIL: stopping $m left something behind"; failures=$((failures + 1)); }
done

if [ "$failures" = 0 ]; then
        sandbox_compare "socket activation" || failures=$((failures + 1))
fi
leftovers=$(sandbox_leftovers)
[ -z "$leftovers" ] || { echo "FAIL: left over: $leftovers"; failures=$((failures + 1)); }
[ "$failures" = 0 ]
