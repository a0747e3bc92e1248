#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-devmaster-diff.sh: devmaster against systemd-udevd 252 on this machine's real devices,
# with Debian's udev rules; systemd-udevd is the judge.
#
# Method. Each daemon runs alone in `unshare --mount --pid --fork --net --mount-proc` set up by
# test/integration/lib/devmaster-diff-ns.sh: tmpfs /run (with /run/systemd/system, so scripts
# such as hwclock-set do nothing), a tmpfs /dev holding copies of the host's device nodes (same
# type, major:minor, mode and owner; no symlinks) where the daemon's chmod, chown and links
# land, /usr/lib/udev on a tmpfs with the host's files, the udev package's lib/udev (rules.d,
# ata_id, scsi_id, ...) and the hwdb.bin that the package's systemd-hwdb builds from its
# hwdb.d, the package's .link files added to /usr/lib/systemd/network, empty /etc/udev/rules.d,
# /usr/local/lib/udev/rules.d and /usr/lib/modules if present (`kmod load` finds no module),
# and /sys and /proc/sys remounted read-only (ATTR{}= and SYSCTL{}= writes of the rules fail
# with EROFS in both daemons alike; no uevent file can be written). The rules are the udev
# package's lib/udev/rules.d plus the host's /usr/lib/udev/rules.d (what other Debian packages,
# systemd included, install there): the set a Debian system with the udev package loads.
#
# Events. Instead of `udevadm trigger` (which writes "add" to every /sys/.../uevent file of the
# host, and would reach the host's real udev as well) test/integration/lib/uevent-replay.py
# builds, from the read-only uevent files, the datagrams the kernel would send for those writes,
# for every device in the order `udevadm trigger` 252 enumerates them:
#   systemd-udevd gets them from the kernel itself: they are sent to the kernel's uevent
#     netlink socket of the private network namespace, which rebroadcasts them to that
#     namespace only with SEQNUM and sender port 0 (Linux >= 4.18, net/uevent_net_rcv), so the
#     unmodified daemon sees genuine kernel uevents;
#   devmaster gets the same bytes on its test socket ($DEVMASTER_TEST_UEVENT_SOCKET).
# Then `udevadm settle`, and the results are compared:
#   /run/udev/data/* without the I: line (USEC_INITIALIZED), line by line, except that the S:,
#     G: and Q: lines of a record are compared as sets: udevd writes devlinks and tags from hash
#     tables keyed at random per process, so their order changes from run to run (seen with the
#     two tags of /dev/kvm, uaccess and seat, in either order in two runs of the same test);
#   /run/udev/tags/*/* (the tag index);
#   every symlink below /dev with its target;
#   type, mode, owner and group of every device node below /dev;
#   the devices with an inotify watch (/run/udev/watch, device ids only);
#   the messages about rules files logged at load time (info level: warnings and errors):
#     devmaster may report none that udev does not.
# Real uevents of the host that happen during the run also reach both namespaces (the kernel
# broadcasts uevents of host devices to every network namespace of the initial user namespace);
# a rerun settles a difference that comes from such a coincidence.
#
# udevadm and systemd-udevd: the udev package (test/unit/devmaster/get-udevadm.sh, downloaded
# once into $UDEV_DEB_CACHE, default $top_builddir/test/udev-252.cache). Results are kept in
# $top_builddir/test/devmaster-diff.out ($DIFF_LOG_LEVEL: the daemons' log level, default info;
# DIFF_TRACE=1: a timed shell trace). Exit: 0 same, 1 differences, 77 skipped (not root, no
# unshare/python3, no udev 252 package, kernel without uevent injection), 99 error.
set -euo pipefail
[ -z "${DIFF_TRACE:-}" ] || { PS4='+ $EPOCHREALTIME '; set -x; }

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
REPLAY=$top_srcdir/test/integration/lib/uevent-replay.py

if [ "${1:-}" != --inner ]; then
        skip() { echo "SKIP: $*"; exit 77; }
        [ "$(id -u)" = 0 ] || skip "not root"
        command -v unshare > /dev/null || skip "no unshare"
        command -v python3 > /dev/null || skip "no python3 (builds the uevents)"
        DEVMASTER=${DEVMASTER:-$top_builddir/devmaster}
        [ -x "$DEVMASTER" ] || { echo "ERROR: $DEVMASTER is missing"; exit 99; }
        CACHE=${UDEV_DEB_CACHE:-$top_builddir/test/udev-252.cache}
        if [ -z "${UDEVADM:-}" ]; then
                UDEVADM=$(bash "$top_srcdir/test/unit/devmaster/get-udevadm.sh" "$CACHE" 2> /dev/null) ||
                        skip "udevadm is missing and the udev package could not be downloaded"
        fi
        PKG=$(dirname "$(dirname "$UDEVADM")")
        [ -f "$PKG/lib/udev/rules.d/50-udev-default.rules" ] || skip "no udev package tree next to $UDEVADM"
        version=$("$UDEVADM" --version 2> /dev/null || true)
        [ "${version%%[!0-9]*}" = 252 ] || skip "$UDEVADM is not udev 252 (version '$version')"
        OUT=${DIFF_OUT:-$top_builddir/test/devmaster-diff.out}
        rm -rf "$OUT"
        mkdir -p "$OUT"
        W=$(mktemp -d /tmp/test-devmaster-diff.XXXXXX)
        trap 'rm -rf "$W"' EXIT
        # hwdb.bin from the package's sources, by the package's own systemd-hwdb
        mkdir -p "$W/hwdb/lib/udev"
        cp -a "$PKG/lib/udev/hwdb.d" "$W/hwdb/lib/udev/"
        "$PKG/bin/systemd-hwdb" update --root="$W/hwdb" --usr > /dev/null 2>&1 ||
                { echo "ERROR: systemd-hwdb update failed"; exit 99; }
        # the interpreter itself, not a wrapper such as a pyenv shim (slow to start)
        PYTHON=$(python3 -c 'import sys; print(sys.executable)')
        "$PYTHON" "$REPLAY" list > "$OUT/devices"
        export DEVMASTER UDEVADM PKG W OUT REPLAY PYTHON top_srcdir
        for kind in udevd devmaster; do
                rc=0
                timeout -k 10 150 unshare --kill-child --mount --pid --fork --net --mount-proc --propagation private \
                        bash "$0" --inner "$kind" || rc=$?
                if [ "$rc" = 77 ]; then skip "$(cat "$OUT/$kind.skip" 2> /dev/null)"; fi
                if [ "$rc" != 0 ]; then
                        echo "ERROR: the $kind run failed ($rc); its log:"
                        tail -n 40 "$OUT/$kind/log" 2> /dev/null || true
                        exit 99
                fi
        done

        failed=0
        compare() { # compare NAME FILE: FILE of udevd/ and devmaster/ must be equal
                local a=$OUT/udevd/$2 b=$OUT/devmaster/$2
                if cmp -s "$a" "$b"; then
                        echo "PASS: $1 ($(grep -c . "$a" || true) lines)"
                else
                        echo "FAIL: $1 (< systemd-udevd 252, > devmaster)"
                        diff -U2 "$a" "$b" | tail -n +3 | head -80 || true
                        failed=1
                fi
        }
        echo "$(wc -l < "$OUT/devices") devices; events broadcast after processing: systemd-udevd $(cat "$OUT/udevd/events"), devmaster $(cat "$OUT/devmaster/events")"
        compare "events broadcast after processing" events
        compare "database records, I: ignored ($(grep -c '^== ' "$OUT/udevd/db" || true) devices)" db
        compare "tag index" tags
        compare "/dev symlinks" links
        compare "device nodes: mode, owner, group" nodes
        compare "watched devices" watch
        # load-time messages about rules files: devmaster may report none udev does not
        extra=$(comm -13 "$OUT/udevd/rules-msgs" "$OUT/devmaster/rules-msgs")
        if [ -z "$extra" ]; then
                echo "PASS: rules load: $(grep -c . "$OUT/udevd/rules-msgs" || true) message(s) from udev, none more from devmaster"
        else
                echo "FAIL: rules load: messages only devmaster reports:"
                echo "$extra" | head -20
                failed=1
        fi
        missing=$(comm -23 "$OUT/udevd/rules-msgs" "$OUT/devmaster/rules-msgs")
        [ -z "$missing" ] || { echo "note: messages only udev reports:"; echo "$missing" | head -20; }
        if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$OUT/devmaster/log"; then
                echo "FAIL: sanitizer report in devmaster's log"
                grep -E -A5 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$OUT/devmaster/log" | head -30
                failed=1
        fi
        exit "$failed"
fi

# ---- inside the namespaces: one daemon ---------------------------------------------------
kind=$2
R=$OUT/$kind
mkdir -p "$R"
skip_inner() { echo "$*" > "$OUT/$kind.skip"; exit 77; }

. "$top_srcdir/test/integration/lib/devmaster-diff-ns.sh"
diff_ns_setup "$PKG" "$W/hwdb/lib/udev/hwdb.bin"

SOCK=/run/devmaster-test.sock
case $kind in
udevd)
        SYSTEMD_LOG_LEVEL=${DIFF_LOG_LEVEL:-info} bash -c 'exec -a systemd-udevd "$0"' "$UDEVADM" > "$R/log" 2>&1 &
        MODE=netlink
        ;;
devmaster)
        DEVMASTER_TEST_UEVENT_SOCKET=$SOCK SYSTEMD_LOG_LEVEL=${DIFF_LOG_LEVEL:-info} "$DEVMASTER" > "$R/log" 2>&1 &
        MODE=unix
        ;;
esac
PID=$!
for _ in $(seq 200); do
        [ -S /run/udev/control ] && { [ $kind = udevd ] || [ -S $SOCK ]; } && break
        sleep 0.05
done
"$UDEVADM" control --ping --timeout=10 || { echo "ERROR: $kind does not answer"; exit 99; }

# a listener on the udev group counts the processed events
"$UDEVADM" monitor --udev > "$R/monitor" 2>&1 &
MON=$!
for _ in $(seq 100); do grep -qs "^UDEV - " "$R/monitor" && break; sleep 0.05; done

if ! sent=$("$PYTHON" "$REPLAY" send $MODE $SOCK "$OUT/devices" 2> "$R/replay.err"); then
        [ $MODE = netlink ] && skip_inner "the kernel does not take uevents from userspace: $(cat "$R/replay.err")"
        echo "ERROR: sending the uevents failed"; cat "$R/replay.err"; exit 99
fi
"$UDEVADM" settle --timeout=120 || echo "settle timed out" >> "$R/log"
sleep 0.2
kill $MON
wait $MON 2> /dev/null || true
echo "$(grep -c '^UDEV  \[' "$R/monitor" || true) of $sent" > "$R/events"

# ---- the results -------------------------------------------------------------------------
"$PYTHON" -c '
import itertools, os, sys
d = "/run/udev/data"
for name in sorted(os.listdir(d)):
    print("== " + name)
    with open(os.path.join(d, name), errors="replace") as f:
        lines = [l for l in f if not l.startswith("I:")]
    # a run of S:, G: or Q: lines is a set: sorted (udevd writes them in its hash order)
    for key, run in itertools.groupby(lines, lambda l: l[:2] if l[:2] in ("S:", "G:", "Q:") else None):
        run = list(run)
        sys.stdout.write("".join(sorted(run) if key else run))' > "$R/db"
(cd /run/udev/tags 2> /dev/null && find . -mindepth 2 | sed 's|^\./||' | sort) > "$R/tags"
find /dev -type l -printf '%p -> %l\n' | sort > "$R/links"
find /dev \( -type b -o -type c \) -printf '%p %y %m %u %g\n' | sort > "$R/nodes"
(cd /run/udev/watch 2> /dev/null && find . -maxdepth 1 -type l -printf '%f\n' | grep -v '^[0-9]*$' | sort) > "$R/watch" || true
"$UDEVADM" control --exit || true
for _ in $(seq 100); do kill -0 $PID 2> /dev/null || break; sleep 0.05; done
kill $PID 2> /dev/null || true
wait $PID 2> /dev/null || true
# messages naming a rules file that are not about an event ("<sysname>: ..." lines are)
grep -a '\.rules' "$R/log" | grep -av '^[^ /]*: ' | sed 's/^systemd-udevd\[[0-9]*\]: //' | sort -u > "$R/rules-msgs" || true
exit 0
