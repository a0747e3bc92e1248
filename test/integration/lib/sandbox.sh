# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2034
# sandbox.sh: helpers for the tests that boot a manager in tools/sysmaster-sandbox.  Source
# it; it defines:
#   sandbox_init NAME       checks root and the tools (exit 77 = skip, with the reason); sets
#                           SANDBOX_TOOL (tools/sysmaster-sandbox of the source tree),
#                           SANDBOX_BUILD ($top_builddir, absolute), SANDBOX_OUT
#                           ($top_builddir/test/NAME.out, emptied), exports LC_ALL=C and
#                           installs an EXIT trap that stops every sandbox still running
#   sandbox_have_systemd    true if /lib/systemd/systemd and systemctl are installed
#   sandbox_have_sysmaster  true if $SANDBOX_BUILD has sysmaster-init, sysmaster and
#                           sysmaster-executor
#   sandbox_start NAME ARGS...  `sysmaster-sandbox start --build $SANDBOX_BUILD --state
#                           $SANDBOX_OUT/NAME ARGS...`; on success NAME becomes the current
#                           sandbox (SANDBOX_STATE, SANDBOX_PID1)
#   sandbox_use NAME        makes NAME the current sandbox
#   sandbox_wait_ready [S]  sysmaster-sandbox wait-ready (default 120 s)
#   sandbox_run CMD...      CMD inside the current sandbox (its exit status is returned)
#   sandbox_ctl ARGS...     systemctl ARGS inside the current sandbox
#   sandbox_stop [NAME]     stops NAME (default: the current one); fails if the host state
#                           changed or something was left over
#   sandbox_leftovers       prints the temporary cgroups and processes of this test's
#                           sandboxes that still exist (nothing = clean)
#   sandbox_inside PATH     PATH below $SANDBOX_OUT as the current sandbox sees it
#   sandbox_write_unit DIR NAME   writes stdin to DIR/NAME
#   sandbox_write_stub_targets DIR NAME...  DIR/NAME.target for each NAME: empty, no default
#                           dependencies
#   sandbox_write_bus_tree DIR DAEMON [XML]  the units of the tests with a system bus: stub
#                           sysinit/basic/shutdown targets, t.target (wants the bus),
#                           dbus.socket (/run/dbus/system_bus_socket) and dbus.service running
#                           DAEMON (busmaster or dbus-daemon) with --systemd-activation and
#                           dbus-test.conf, a permissive system-type configuration (XML: more
#                           elements for it)
#   sandbox_wait_system_bus waits up to 5 s until the manager answers on the system bus
#   sandbox_start_ready NAME ARGS...  sandbox_start NAME ARGS... (its output in
#                           $SANDBOX_OUT/NAME.start), then sandbox_wait_ready 60; if either
#                           fails, prints "FAIL: NAME did not boot" and that output, returns 1
#   sandbox_script FILTER [PRELUDE]  runs each non-empty line of stdin in the current sandbox
#                           (sh -c "PRELUDE LINE", 40 s at most) and prints "$ LINE", its output
#                           (stdout and stderr) through the command FILTER and "[exit STATUS]"
#   sandbox_compare WHAT    diff -u of $SANDBOX_OUT/systemd.txt and sysmaster.txt (into
#                           diff.txt): prints PASS with the number of "$ " lines, or FAIL and
#                           the diff, and returns 1
# Outputs of the sandboxes (console.log, ns-mounts.txt, host state) stay in
# $SANDBOX_OUT/NAME.

sandbox_skip() {
        echo "SKIP: $*"
        exit 77
}

sandbox_init() {
        local name=$1 t src
        export LC_ALL=C
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin
        src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
        SANDBOX_TOOL=${SANDBOX_TOOL:-$src/tools/sysmaster-sandbox}
        [ "$(id -u)" = 0 ] || sandbox_skip "needs root (boots a manager as PID 1 of private namespaces)"
        for t in unshare nsenter script findmnt pgrep setsid timeout; do
                command -v "$t" > /dev/null || sandbox_skip "missing tool $t"
        done
        findmnt -rn -t cgroup2 > /dev/null || sandbox_skip "no cgroup2 mount on this host"
        [ -x "$SANDBOX_TOOL" ] || sandbox_skip "$SANDBOX_TOOL is missing"
        SANDBOX_BUILD=$(cd "${top_builddir:-.}" && pwd)
        SANDBOX_OUT=${SANDBOX_OUT:-$SANDBOX_BUILD/test/$name.out}
        rm -rf "$SANDBOX_OUT"
        mkdir -p "$SANDBOX_OUT"
        SANDBOX_OUT=$(cd "$SANDBOX_OUT" && pwd)
        SANDBOX_STARTED=()
        SANDBOX_STATE="" SANDBOX_PID1=""
        trap 'sandbox_cleanup' EXIT
        trap 'sandbox_cleanup; exit 130' INT TERM
}

sandbox_have_systemd() {
        [ -x /lib/systemd/systemd ] && command -v systemctl > /dev/null
}

sandbox_have_sysmaster() {
        [ -x "$SANDBOX_BUILD/sysmaster-init" ] && [ -x "$SANDBOX_BUILD/sysmaster" ] &&
                [ -x "$SANDBOX_BUILD/sysmaster-executor" ]
}

sandbox_start() {
        local name=$1
        shift
        SANDBOX_STARTED+=("$name")
        SANDBOX_STATE=$SANDBOX_OUT/$name
        SANDBOX_PID1=""
        "$SANDBOX_TOOL" start --build "$SANDBOX_BUILD" --state "$SANDBOX_STATE" "$@" || return
        SANDBOX_PID1=$("$SANDBOX_TOOL" pid --state "$SANDBOX_STATE")
}

sandbox_use() {
        SANDBOX_STATE=$SANDBOX_OUT/$1
        SANDBOX_PID1=$("$SANDBOX_TOOL" pid --state "$SANDBOX_STATE" 2> /dev/null || true)
}

sandbox_wait_ready() {
        "$SANDBOX_TOOL" wait-ready --state "$SANDBOX_STATE" --timeout "${1:-120}"
}

sandbox_run() {
        "$SANDBOX_TOOL" run --state "$SANDBOX_STATE" -- "$@"
}

sandbox_ctl() {
        "$SANDBOX_TOOL" run --state "$SANDBOX_STATE" -- systemctl "$@"
}

sandbox_stop() {
        local state=$SANDBOX_OUT/${1:-${SANDBOX_STATE##*/}} n keep=()
        for n in "${SANDBOX_STARTED[@]}"; do
                [ "$SANDBOX_OUT/$n" = "$state" ] || keep+=("$n")
        done
        SANDBOX_STARTED=("${keep[@]}")
        [ -s "$state/state" ] || return 0
        "$SANDBOX_TOOL" stop --state "$state"
}

sandbox_leftovers() {
        local n st cg pid
        for st in "$SANDBOX_OUT"/*/state "$SANDBOX_OUT"/*/state.stopped; do
                [ -f "$st" ] || continue
                cg=$(sed -n 's/^cgroup=//p' "$st")
                [ -n "$cg" ] && [ -d "$cg" ] && echo "cgroup $cg"
                for n in pid1 script; do
                        pid=$(sed -n "s/^$n=//p" "$st")
                        [ -n "$pid" ] || continue
                        if [ "$(sed -n "s/^${n}_starttime=//p" "$st")" = \
                                "$(awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$pid/stat" 2> /dev/null)" ]; then
                                echo "process $pid ($n of ${st%/*})"
                        fi
                done
        done
        # anything still running from this test's state directories (script, unshare)
        pgrep -a -f -- "$SANDBOX_OUT/" 2> /dev/null | grep -v "^$$ " || true
}

sandbox_inside() {
        case "$1" in
        "$SANDBOX_STATE"/*) echo "/run/sandbox/${1#"$SANDBOX_STATE"/}" ;;
        *) echo "$1" ;;
        esac
}

sandbox_write_unit() {
        mkdir -p "$1"
        cat > "$1/$2"
}

sandbox_write_stub_targets() {
        local d=$1 t
        shift
        for t in "$@"; do
                printf '[Unit]\nDefaultDependencies=no\nDescription=%s stub\n' "$t" |
                        sandbox_write_unit "$d" "$t.target"
        done
}

sandbox_write_bus_tree() {
        local d=$1
        sandbox_write_stub_targets "$d" sysinit basic shutdown
        sandbox_write_unit "$d" t.target << 'EOT'
[Unit]
DefaultDependencies=no
Description=Test Target
Wants=dbus.socket dbus.service
After=dbus.socket dbus.service
EOT
        # systemd 252 connects to the system bus once dbus.socket and dbus.service both run
        sandbox_write_unit "$d" dbus.socket << 'EOT'
[Unit]
DefaultDependencies=no
Description=D-Bus System Message Bus Socket

[Socket]
ListenStream=/run/dbus/system_bus_socket
EOT
        sandbox_write_unit "$d" dbus.service << EOT
[Unit]
DefaultDependencies=no
Description=D-Bus System Message Bus
Requires=dbus.socket
After=dbus.socket

[Service]
Type=notify
ExecStart=$2 --nofork --nopidfile --systemd-activation --config-file=/etc/systemd/system/dbus-test.conf
EOT
        sandbox_write_unit "$d" dbus-test.conf << EOT
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>systemd:</listen>
  <auth>EXTERNAL</auth>${3:+
$3}
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
EOT
}

sandbox_wait_system_bus() {
        for _ in $(seq 50); do
                sandbox_run timeout 2 busctl status org.freedesktop.systemd1 > /dev/null 2>&1 && return 0
                sleep 0.1
        done
        return 1
}

sandbox_start_ready() {
        local name=$1
        sandbox_start "$@" > "$SANDBOX_OUT/$name.start" 2>&1 && sandbox_wait_ready 60 > /dev/null && return 0
        echo "FAIL: $name did not boot"
        cat "$SANDBOX_OUT/$name.start"
        return 1
}

sandbox_script() {
        local line out rc
        while IFS= read -r line; do
                [ -n "$line" ] || continue
                echo "\$ $line"
                out=$(sandbox_run timeout 40 sh -c "${2:-}$line" 2>&1 < /dev/null)
                rc=$?
                printf '%s\n' "$out" | "$1"
                echo "[exit $rc]"
        done
}

sandbox_compare() {
        local o=$SANDBOX_OUT
        if diff -u "$o/systemd.txt" "$o/sysmaster.txt" > "$o/diff.txt"; then
                echo "PASS: $1: $(grep -c '^\$ ' "$o/systemd.txt") commands, exit statuses and outputs equal under systemd 252 and sysmaster"
                return 0
        fi
        echo "FAIL: $1: different under sysmaster (- systemd 252, + sysmaster):"
        cat "$o/diff.txt"
        return 1
}

sandbox_cleanup() {
        local n
        for n in "${SANDBOX_STARTED[@]}"; do
                [ -s "$SANDBOX_OUT/$n/state" ] || continue
                "$SANDBOX_TOOL" stop --state "$SANDBOX_OUT/$n" > /dev/null 2>&1 || true
        done
        SANDBOX_STARTED=()
}
