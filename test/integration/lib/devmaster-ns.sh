# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2034
# devmaster-ns.sh: the two halves of the devmaster tests that run the daemon alone in private
# namespaces (test-devmaster-udevadm.sh, test-devmaster-workers.sh). Source it; it defines:
#   devns_skip WHY          prints "SKIP: WHY", exits 77
#   devns_require           outside: root, unshare and perl (the tests send uevents with it)
#                           or a skip; DEVMASTER ($top_builddir/devmaster by default) built
#                           (else exit 99), exported
#   devns_enter NAME LINES  outside: makes the work directory W (/tmp/NAME.XXXXXX, removed at
#                           exit unless $KEEP is set, exported), runs "$0 --inner" in a new
#                           mount, pid and net namespace (120 s at most), prints the last LINES
#                           lines of $W/devmaster.log if that failed, and exits with its status
#   pass WHAT / fail WHAT   inside: "ok   WHAT" / "FAIL WHAT" (counted in $fails)

devns_skip() {
        echo "SKIP: $*"
        exit 77
}

devns_require() {
        [ "$(id -u)" = 0 ] || devns_skip "not root"
        command -v unshare > /dev/null || devns_skip "no unshare"
        command -v perl > /dev/null || devns_skip "no perl (used to send test uevents)"
        DEVMASTER=${DEVMASTER:-$top_builddir/devmaster}
        [ -x "$DEVMASTER" ] || { echo "ERROR: $DEVMASTER is missing"; exit 99; }
        export DEVMASTER
}

devns_enter() {
        local name=$1 lines=$2 rc=0
        W=$(mktemp -d "/tmp/$name.XXXXXX")
        trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
        export W
        timeout -k 10 120 unshare --kill-child --mount --pid --fork --net --mount-proc --propagation private \
                bash "$0" --inner || rc=$?
        if [ "$rc" != 0 ]; then
                echo "--- devmaster log (last $lines lines) ---"
                tail -n "$lines" "$W/devmaster.log" 2> /dev/null || true
        fi
        exit "$rc"
}

fails=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
