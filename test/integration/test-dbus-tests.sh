#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# dbus's own daemon tests (Debian package dbus-tests) against the stock dbus-daemon and against
# busmaster: test-dbus-daemon, test-monitor, test-sd-activation, test-uid-permissions,
# test-header-fields, test-dbus-daemon-eavesdrop and test-dbus-daemon-fork.sh, each with
# DBUS_TEST_DAEMON pointing at the daemon and DBUS_TEST_DATA set. Fails when busmaster fails a
# case, does not finish the plan, skips more cases than dbus-daemon does on this machine, or (in
# a sanitizer build) prints a sanitizer report.
# As root (the uid tests need it) it runs in a private mount namespace with a tmpfs on /run,
# so nothing is written to the host's /run; the tests themselves only use /tmp (sockets they
# remove) and private XDG_RUNTIME_DIRs. Exit 77 without dbus-tests or dbus-daemon.
set -u
: "${top_builddir:=$(pwd)}"
T=/usr/lib/dbus-1.0/installed-tests/dbus
BUSMASTER=${BUSMASTER:-$top_builddir/busmaster}
REFERENCE=${REFERENCE_DAEMON:-/usr/bin/dbus-daemon}
TESTS="test-dbus-daemon test-monitor test-sd-activation test-uid-permissions test-header-fields test-dbus-daemon-eavesdrop test-dbus-daemon-fork.sh"

[ -x "$T/test-dbus-daemon" ] || { echo "SKIP: dbus-tests is not installed ($T)"; exit 77; }
[ -x "$REFERENCE" ] || { echo "SKIP: $REFERENCE is not installed"; exit 77; }
command -v dbus-send >/dev/null || { echo "SKIP: dbus-send is not installed"; exit 77; }
command -v setsid >/dev/null || { echo "SKIP: setsid is not installed"; exit 77; }
[ -x "$BUSMASTER" ] || { echo "FAIL: $BUSMASTER was not built"; exit 1; }

# Root: re-run in a private mount namespace with an empty /run.
if [ "$(id -u)" = 0 ] && [ -z "${DBUS_TESTS_IN_NS:-}" ] && command -v unshare >/dev/null &&
   unshare --mount --propagation private true 2>/dev/null; then
        export DBUS_TESTS_IN_NS=1
        exec unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /run && exec sh "$0" "$@"' "$0" "$@"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dbus-tests.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT

export DBUS_TEST_EXEC="$T" DBUS_TEST_DATA="$T/data" DBUS_TEST_DBUS_SEND=dbus-send
unset DBUS_SESSION_BUS_ADDRESS DBUS_STARTER_ADDRESS DBUS_STARTER_BUS_TYPE DBUS_TEST_DAEMON_ADDRESS DBUS_TEST_DATADIR

# A test that aborts leaves the daemons it started behind: each test runs in its own process
# group, and what is left of that group afterwards is stopped.
in_group() {
        pgfile=$1
        shift
        setsid --wait sh -c 'echo $$ >"$0"; exec "$@"' "$pgfile" "$@"
        rc=$?
        [ -s "$pgfile" ] && kill -TERM -- "-$(cat "$pgfile")" 2>/dev/null
        return $rc
}

# run DAEMON OUTDIR: one TAP file per test, then "test plan ok notok skip" lines in OUTDIR/counts
run() {
        mkdir -p "$2"
        for t in $TESTS; do
                if [ "$t" = test-dbus-daemon-fork.sh ]; then
                        DBUS_TEST_DAEMON="$1" in_group "$2/$t.pgid" timeout 120 "$T/$t" \
                                >"$2/$t.tap" 2>"$2/$t.err" </dev/null
                else
                        DBUS_TEST_DAEMON="$1" in_group "$2/$t.pgid" timeout 300 "$T/$t" --tap \
                                >"$2/$t.tap" 2>"$2/$t.err" </dev/null
                fi
                plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$2/$t.tap" | head -n 1)
                printf '%s %s %s %s %s\n' "$t" "${plan:-0}" "$(grep -c '^ok' "$2/$t.tap")" \
                        "$(grep -c '^not ok' "$2/$t.tap")" "$(grep -c '^ok.*# SKIP' "$2/$t.tap")" >>"$2/counts"
        done
}

start=$(date +%s)
run "$REFERENCE" "$WORK/ref"
run "$BUSMASTER" "$WORK/bm"

failed=0
printf '%-28s %-22s %s\n' test "dbus-daemon ok/fail/skip" "busmaster ok/fail/skip"
while read -r t plan ok notok skip; do
        read -r bt bplan bok bnotok bskip <<EOF
$(grep "^$t " "$WORK/bm/counts")
EOF
        verdict=ok
        if grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$WORK/bm/$t.err" 2>/dev/null; then
                verdict="FAIL (sanitizer report)"
        elif [ "$bnotok" -ne 0 ] || [ "$bok" -lt "$bplan" ] || [ "$bplan" -lt "$plan" ] || [ "$bplan" -eq 0 ]; then
                verdict=FAIL
        elif [ "$bskip" -gt "$skip" ]; then
                verdict="FAIL (more skips)"
        fi
        printf '%-28s %-22s %-22s %s\n' "$t" "$ok/$notok/$skip of $plan" "$bok/$bnotok/$bskip of $bplan" "$verdict"
        if [ "$verdict" != ok ]; then
                failed=1
                echo "--- $t against busmaster: TAP and stderr (tail)"
                tail -n 20 "$WORK/bm/$t.tap"
                tail -n 20 "$WORK/bm/$t.err" 2>/dev/null
        fi
done <"$WORK/ref/counts"
echo "took $(( $(date +%s) - start )) s"
exit $failed
