#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# demo.sh: the README's demo.  Builds sysmaster, boots it in tools/sysmaster-sandbox over
# examples/units (copied into the sandbox: the source tree is never written) and drives it
# with the real systemctl of systemd 252: status, list-units, start/stop, a failed unit,
# dependencies, then tears the sandbox down.
#
#   tools/demo.sh [-b BUILD] [-m sysmaster|systemd] [-n] [-k]
#     -b, --build DIR   build tree (default $SYSMASTER_BUILD, else the current directory)
#     -m, --manager M   sysmaster (default) or systemd (the same demo on systemd 252)
#     -n, --no-build    do not run make first
#     -k, --keep        leave the sandbox running at the end (prints how to reach and stop it)
# `make demo` runs it from the build tree.  Needs root.
set -uo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
SANDBOX=$HERE/sysmaster-sandbox
BUILD=${SYSMASTER_BUILD:-$PWD}
MANAGER=sysmaster
DO_BUILD=1
KEEP=0
while [ $# -gt 0 ]; do
        case "$1" in
        -b | --build) BUILD=$2; shift 2 ;;
        -m | --manager) MANAGER=$2; shift 2 ;;
        -n | --no-build) DO_BUILD=0; shift ;;
        -k | --keep) KEEP=1; shift ;;
        -h | --help) awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        *) echo "demo.sh: unknown option $1" >&2; exit 2 ;;
        esac
done
[ "$(id -u)" = 0 ] || { echo "demo.sh: needs root (the sandbox uses namespaces)" >&2; exit 1; }
BUILD=$(cd "$BUILD" && pwd) || exit 1
STATE=$BUILD/demo.state

if [ "$MANAGER" = sysmaster ]; then
        if [ "$DO_BUILD" = 1 ]; then
                echo "### building sysmaster-init, sysmaster and its helpers in $BUILD"
                make -C "$BUILD" -j"$(nproc)" sysmaster-programs || exit 1
        fi
        if [ ! -x "$BUILD/sysmaster" ]; then
                echo "demo.sh: $BUILD/sysmaster is not built; try: tools/demo.sh -m systemd" >&2
                exit 1
        fi
fi

"$SANDBOX" stop --state "$STATE" > /dev/null 2>&1 # a sandbox left by --keep
cleanup() { [ "$KEEP" = 1 ] || "$SANDBOX" stop --state "$STATE"; }
trap cleanup EXIT

echo "### booting $MANAGER as PID 1 of a sandbox with the units of examples/units"
"$SANDBOX" start --build "$BUILD" --manager "$MANAGER" --units "$SRC/examples/units" --copy \
        --state "$STATE" --wait || exit 1

show() { # runs systemctl ARGS in the sandbox, shows the command and its exit status
        echo
        echo "\$ systemctl $*"
        "$SANDBOX" run --state "$STATE" -E COLUMNS=100 -- systemctl --no-pager "$@"
        echo "[exit status $?]"
}
show is-system-running
show list-units 'demo*'
show list-units --all --state=failed
show status demo-web.service demo-notify.service demo-setup.service
show is-failed demo-broken.service
show status demo-broken.service
show reset-failed demo-broken.service
show is-failed demo-broken.service
show start demo-manual.service
show is-active demo-manual.service
show status demo-manual.service
show stop demo-manual.service
show is-active demo-manual.service
show restart demo-web.service
show show -p MainPID -p ActiveState -p SubState -p NRestarts demo-web.service
show start demo-worker.service
show status demo-worker.service
show list-dependencies demo.target
show cat demo-web.service
show list-jobs
show status

if [ "$KEEP" = 1 ]; then
        echo
        echo "### the sandbox keeps running:"
        echo "    $SANDBOX run --state $STATE -- systemctl status"
        echo "    $SANDBOX stop --state $STATE"
fi
