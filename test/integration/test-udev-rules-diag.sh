#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-udev-rules-diag.sh: the load-time messages of devmaster's udev rules parser against the
# real udev 252, which is the judge.
#
# Each case is a set of rules files. Inside a private mount namespace (tmpfs on /run, a copy of
# /dev on a tmpfs, the rules directories replaced by the case's files; nothing of the host's
# /run, /etc or /dev is touched) it runs `SYSTEMD_LOG_LEVEL=debug udevadm test --action=add
# /sys/class/mem/null`, which loads the rules and logs every parse diagnostic, and then
# devmaster-rules-check on the same directories. The lines naming a rules file (file reading,
# "<file>:<line> message", masks, overrides) must be the same, in the same order.
#
# Cases: every bad-*.rules file of test/fuzz/corpus/fuzz-udev-rules alone; the Debian rules
# (the udev package's files plus the host's /usr/lib/udev/rules.d), whose logical line count
# must also equal an independent count; and a layout of several directories (override by name,
# masks by empty file and by /dev/null symlink, hidden and non-.rules files, name order).
#
# udevadm: $UDEVADM, else test/unit/devmaster/get-udevadm.sh (the one in PATH, else the udev
# package of the installed systemd version, downloaded once into $UDEV_DEB_CACHE, default
# $top_builddir/test/udev-252.cache). Outputs are kept in $top_builddir/test/udev-rules-diag.out.
# The bad-*.rules files really run against /sys/class/mem/null in `udevadm test`: they must not
# write existing sysfs attributes or sysctls (sysfs is not private to the namespace).
# Exit: 0 same, 1 differences, 77 skipped (not root, no unshare, no udev 252), 99 error.
set -euo pipefail

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
CHECK=${DEVMASTER_RULES_CHECK:-$top_builddir/devmaster-rules-check}
CORPUS=$top_srcdir/test/fuzz/corpus/fuzz-udev-rules
OUT=$top_builddir/test/udev-rules-diag.out
CACHE=${UDEV_DEB_CACHE:-$top_builddir/test/udev-252.cache}
GET_UDEVADM=$top_srcdir/test/unit/devmaster/get-udevadm.sh

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "not root"
command -v unshare > /dev/null || skip "no unshare"
[ -x "$CHECK" ] || { echo "ERROR: $CHECK is missing (make devmaster-rules-check)"; exit 99; }
[ -d /sys/class/mem/null ] || skip "no /sys/class/mem/null"
[ -d /usr/lib/udev/rules.d ] || skip "no /usr/lib/udev/rules.d to replace"

# --- udevadm ------------------------------------------------------------------------------
if [ -z "${UDEVADM:-}" ]; then
        [ -f "$GET_UDEVADM" ] || skip "no udevadm and no $GET_UDEVADM"
        UDEVADM=$(bash "$GET_UDEVADM" "$CACHE" 2> /dev/null) ||
                skip "udevadm is missing and the udev package could not be downloaded"
fi
version=$("$UDEVADM" --version 2> /dev/null || true)
[ "${version%%[!0-9]*}" = 252 ] || skip "$UDEVADM is not udev 252 (version '$version')"

# The udev package's own rules (for the Debian case): installed, or from the package.
DEB_RULES=
for d in "$(dirname "$(dirname "$UDEVADM")")/lib/udev/rules.d" "$CACHE/root/lib/udev/rules.d"; do
        if [ -f "$d/50-udev-default.rules" ]; then DEB_RULES=$d; break; fi
done
if [ -z "$DEB_RULES" ] && [ -f /usr/lib/udev/rules.d/50-udev-default.rules ]; then
        DEB_RULES=/usr/lib/udev/rules.d
fi

rm -rf "$OUT"
mkdir -p "$OUT"

# --- one case -----------------------------------------------------------------------------
# run_ns CASE RUN_DIR USR_DIR LOCAL_DIR: the three directories (may be empty strings) become
# /run/udev/rules.d, /usr/lib/udev/rules.d and /usr/local/lib/udev/rules.d in a private mount
# namespace, where udevadm and the checker then read them; logs go to $OUT/CASE.{udev,ours}.log.
run_ns() {
        unshare --mount --propagation private bash -euc '
                case=$1 out=$2 udevadm=$3 check=$4 run_dir=$5 usr_dir=$6 local_dir=$7
                mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
                mkdir -p /run/udev/rules.d /run/.usr /run/.devcopy
                [ -z "$run_dir" ] || cp -a "$run_dir"/. /run/udev/rules.d/
                [ -z "$usr_dir" ] || cp -a "$usr_dir"/. /run/.usr/
                mount --bind /run/.usr /usr/lib/udev/rules.d
                if [ -d /usr/local/lib ]; then
                        mount -t tmpfs -o mode=0755 tmpfs /usr/local/lib
                        mkdir -p /usr/local/lib/udev/rules.d
                        [ -z "$local_dir" ] || cp -a "$local_dir"/. /usr/local/lib/udev/rules.d/
                fi
                if [ -d /etc/udev/rules.d ]; then
                        mkdir -p /run/.etc
                        mount --bind /run/.etc /etc/udev/rules.d
                fi
                cp -a /dev/. /run/.devcopy/ 2> /dev/null || true
                mount -t tmpfs -o mode=0755,nosuid tmpfs /dev
                cp -a /run/.devcopy/. /dev/ 2> /dev/null || true
                SYSTEMD_LOG_LEVEL=debug "$udevadm" test --action=add /sys/class/mem/null \
                        > "$out/$case.udev.log" 2>&1 || true
                "$check" --stats > "$out/$case.ours.log" 2>&1 || true
        ' run_ns "$1" "$OUT" "$UDEVADM" "$CHECK" "$2" "$3" "$4"
}

# The lines about rules files, without the event's own messages ("null: …").
diag_lines() {
        grep -a '\.rules' "$1" | grep -av '^null: ' || true
}

failed=0
compare() { # CASE
        diag_lines "$OUT/$1.udev.log" > "$OUT/$1.udev"
        diag_lines "$OUT/$1.ours.log" > "$OUT/$1.ours"
        if cmp -s "$OUT/$1.udev" "$OUT/$1.ours"; then
                echo "PASS: $1 ($(wc -l < "$OUT/$1.udev") messages)"
        else
                echo "FAIL: $1 (< udev 252, > devmaster)"
                diff "$OUT/$1.udev" "$OUT/$1.ours" | head -40 || true
                failed=1
        fi
}

# Logical lines of rules files as udev counts them, independently of the parser: continued
# lines joined, comments and blank lines skipped (all Debian lines are valid rules).
count_logical() {
        cat "$@" | tr -d '\r' | awk '
                /^[ \t]*#/ { next }
                { sub(/^[ \t]+/, "") }
                cont != "" { $0 = cont $0 }
                /\\$/ { cont = substr($0, 1, length($0) - 1); next }
                { cont = ""; if ($0 ~ /[^ \t]/) n++ }
                END { print n + 0 }'
}

# --- the bad rules of the corpus, one file at a time -----------------------------------------
work=$OUT/work
for f in "$CORPUS"/bad-*.rules; do
        name=$(basename "$f" .rules)
        mkdir -p "$work/$name"
        cp "$f" "$work/$name/"
        run_ns "$name" "$work/$name" "" ""
        compare "$name"
done

# --- the Debian rules ------------------------------------------------------------------------
if [ -n "$DEB_RULES" ]; then
        mkdir -p "$work/debian"
        cp "$DEB_RULES"/*.rules "$work/debian/"
        cp -n /usr/lib/udev/rules.d/*.rules "$work/debian/" 2> /dev/null || true
        run_ns debian "" "$work/debian" ""
        compare debian
        expected=$(count_logical "$work"/debian/*.rules)
        got=$(sed -n 's/^files \([0-9]*\) lines \([0-9]*\) .*/\1 \2/p' "$OUT/debian.ours.log")
        files=$(find "$work/debian" -name '*.rules' | wc -l)
        if [ "$got" = "$files $expected" ]; then
                echo "PASS: debian counts ($files files, $expected lines)"
        else
                echo "FAIL: debian counts: devmaster '$got', expected '$files $expected'"
                failed=1
        fi
else
        echo "SKIP: debian (the udev package's rules are not available)"
fi

# --- several directories ---------------------------------------------------------------------
lay=$work/layout
mkdir -p "$lay/run" "$lay/usr" "$lay/local"
printf 'KERNEL=="sda", TAG+="run"\nFOO="from-run"\n' > "$lay/run/20-both.rules"
printf 'KERNEL=="sda", TAG+="usr"\nFOO="from-usr-overridden"\n' > "$lay/usr/20-both.rules"
: > "$lay/run/30-masked-empty.rules"
printf 'FOO="masked-by-empty"\n' > "$lay/usr/30-masked-empty.rules"
ln -s /dev/null "$lay/local/40-masked-null.rules"
printf 'FOO="masked-by-null"\n' > "$lay/usr/40-masked-null.rules"
printf 'FOO="local-10"\n' > "$lay/local/10-local.rules"
printf 'FOO="usr-05"\n' > "$lay/usr/05-first.rules"
printf 'FOO="run-99"\n' > "$lay/run/99-last.rules"
printf 'FOO="hidden"\n' > "$lay/run/.hidden.rules"
printf 'FOO="not-rules"\n' > "$lay/run/50-not.rule"
printf 'FOO="backup"\n' > "$lay/usr/60-backup.rules~"
printf 'FOO="exec"\n' > "$lay/usr/70-exec.rules"
chmod 0755 "$lay/usr/70-exec.rules"
printf 'FOO="world-writable"\n' > "$lay/usr/71-ww.rules"
chmod 0666 "$lay/usr/71-ww.rules"
ln -s /nonexistent "$lay/local/80-dangling.rules"
printf 'FOO="hidden-by-dangling"\n' > "$lay/usr/80-dangling.rules"
mkdir "$lay/usr/90-directory.rules"
run_ns layout "$lay/run" "$lay/usr" "$lay/local"
compare layout

exit $failed
