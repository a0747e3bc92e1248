#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/dbus-wire/run.sh -- builds bench-dbus-wire in a build directory (`make bench`) and runs
# it under `nice -n -10`, printing the machine, its load before and after, and the results
# table (markdown, as in bench/README.md).
#
#   bench/dbus-wire/run.sh [-b BUILD_DIR] [-n REPETITIONS] [-t BATCH_MS] [-w]
#     -b  a build directory configured without --enable-sanitizers (default: the current one)
#     -n  timed batches per library and cell (default 15)
#     -t  length of one batch in milliseconds (default 50)
#     -w  wall-clock time instead of the thread's CPU time
set -euo pipefail
export LC_ALL=C

BUILD=$PWD
REPS=15
BATCH_MS=50
EXTRA=()
while getopts "b:n:t:wh" opt; do
        case $opt in
        b) BUILD=$OPTARG ;;
        n) REPS=$OPTARG ;;
        t) BATCH_MS=$OPTARG ;;
        w) EXTRA+=(-w) ;;
        *) sed -n '3,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
        esac
done

if [ ! -f "$BUILD/Makefile" ]; then
        echo "run.sh: $BUILD is not a configured build directory (use -b)" >&2
        exit 2
fi
if grep -q '^SAN_CFLAGS = .*fsanitize' "$BUILD/Makefile"; then
        echo "run.sh: $BUILD is a sanitizer build; its figures would mean nothing" >&2
        exit 2
fi
make -C "$BUILD" -s bench
BIN=$BUILD/bench/dbus-wire/bench-dbus-wire
if [ ! -x "$BIN" ]; then
        echo "run.sh: $BIN was not built (configure found no libsystemd?)" >&2
        exit 2
fi

NICE=(nice -n -10)
if [ "$(id -u)" != 0 ]; then
        echo "(not root: running without nice -n -10)"
        NICE=()
fi

echo "date:        $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:         $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), nproc $(nproc)"
echo "kernel:      $(uname -r)"
echo "libsystemd:  $(pkg-config --modversion libsystemd 2>/dev/null || echo unknown)"
echo "compiler:    $(sed -n 's/^CC = //p' "$BUILD/Makefile") $(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile")"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"${NICE[@]}" "$BIN" -n "$REPS" -t "$BATCH_MS" "${EXTRA[@]}"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
