# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2034 # check sets the caller's fail
# recovery.sh: what the crash-recovery tests (test-recovery.sh, test-chaos.sh,
# test-spawn-server.sh) share. Source it after lib/sandbox.sh; it defines:
#   recovery_write_tools DIR     writes into DIR (the units' bin/, bound inside the sandbox):
#                                  run.sh NAME CMD...  appends a line to /run/sandbox/NAME.marker
#                                                      (one per start), then execs CMD
#                                  sockclient.py OUT STOP INTERVAL_MS  connects to
#                                                      /run/echo.sock every INTERVAL_MS until STOP
#                                                      exists, expects "ok" within 10 s, writes
#                                                      "connections=N refused=N unanswered=N
#                                                      other=N" to OUT (each failure on stderr)
#   recovery_write_echo_units DIR  echo.socket (Accept=yes, /run/echo.sock) and echo@.service
#                                  ("ok" to every connection)
#   recovery_client_ok FILE      true if the client's summary FILE says connections > 0 and
#                                  nothing refused, unanswered or otherwise failed
#   check DESCRIPTION COMMAND... prints "ok: DESCRIPTION" if COMMAND succeeds, else
#                                  "FAIL: DESCRIPTION" and sets fail=1; notes the time of each
#                                  check in $SANDBOX_OUT/steps.log

recovery_write_tools() {
        local d=$1
        mkdir -p "$d"
        cat > "$d/run.sh" << 'EOT'
#!/bin/sh
# run.sh NAME CMD...: a start of NAME, recorded in its marker file
echo "$$" >> "/run/sandbox/$1.marker"
shift
exec "$@"
EOT
        chmod +x "$d/run.sh"
        cat > "$d/sockclient.py" << 'EOT'
# sockclient.py OUT STOP INTERVAL_MS: see test/integration/lib/recovery.sh
import os, socket, sys, time
out, stop, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]) / 1000
n = refused = other = unanswered = 0

def note(what):
    print("client: %s at %.3f" % (what, time.time()), file=sys.stderr, flush=True)

while not os.path.exists(stop):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    try:
        s.connect("/run/echo.sock")
        n += 1
        if not s.recv(16).startswith(b"ok"):
            unanswered += 1
            note("closed unanswered")
    except FileNotFoundError:
        if n > 0:
            other += 1
            note("the socket vanished")
    except ConnectionRefusedError:
        refused += 1
        note("ECONNREFUSED")
    except socket.timeout:
        unanswered += 1
        note("no answer")
    except OSError as e:
        other += 1
        note(e)
    s.close()
    time.sleep(interval)
with open(out, "w") as f:
    f.write("connections=%d refused=%d unanswered=%d other=%d\n" % (n, refused, unanswered, other))
EOT
}

recovery_write_echo_units() {
        sandbox_write_unit "$1" echo.socket << 'EOT'
[Unit]
Description=echo socket
[Socket]
ListenStream=/run/echo.sock
Accept=yes
EOT
        sandbox_write_unit "$1" echo@.service << 'EOT'
[Unit]
Description=echo connection
[Service]
ExecStart=/bin/echo ok
StandardInput=socket
StandardOutput=socket
EOT
}

recovery_client_ok() {
        grep -q 'connections=[1-9][0-9]* refused=0 unanswered=0 other=0' "$1" 2> /dev/null
}

check() {
        local what=$1
        shift
        echo "[$(date +%s.%3N)] checking: $what" >> "$SANDBOX_OUT/steps.log"
        if "$@"; then
                echo "ok: $what"
        else
                echo "FAIL: $what"
                fail=1
        fi
}
