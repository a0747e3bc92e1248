#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test/fuzz/run-fuzzers.sh [SECONDS]: builds every fuzz target with clang and libFuzzer (ASan +
# UBSan) in a build directory of its own and runs each for SECONDS (default 30) on a copy of its
# seed corpus. Prints "PASS: fuzz-NAME" or "FAIL: fuzz-NAME" per target and exits non-zero if
# one crashed, leaked, timed out or could not be built; the input that broke it is kept as
# BUILD/artifacts/fuzz-NAME-crash-…, and new interesting inputs in BUILD/corpus/fuzz-NAME/.
# Environment: FUZZ_BUILD_DIR (default build/fuzz under the source tree), FUZZ_MAX_LEN (largest
# input tried, default 65536 bytes), FUZZ_TARGETS (space-separated names, default all).
set -euo pipefail

seconds=${1:-30}
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$top/build/fuzz}
max_len=${FUZZ_MAX_LEN:-65536}
jobs=$(nproc 2>/dev/null || echo 2)

case $seconds in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

echo "== fuzz build in $build"
CC=clang "$top/tools/build-dir.sh" "$build" --enable-fuzzers
cd "$build"
if [ -f .src/configure ]; then srcdir=$build/.src; else srcdir=$top; fi

targets=${FUZZ_TARGETS:-$(make -s print-fuzz-targets)}
if [ -z "$targets" ]; then
        echo "no fuzz targets" >&2
        exit 1
fi

passed=0
failed=0
verdict() { # NAME PASS|FAIL
        echo "$2: $1"
        if [ "$2" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# shellcheck disable=SC2086 # one word per target
if ! make -j"$jobs" $targets; then
        for t in $targets; do verdict "$(basename "$t")" FAIL; done
        echo "fuzzers: $passed passed, $failed failed"
        exit 1
fi

mkdir -p artifacts
for t in $targets; do
        name=$(basename "$t")
        work=corpus/$name
        seeds=$srcdir/test/fuzz/corpus/$name
        mkdir -p "$work"
        echo "== $name: ${seconds}s, -max_len=$max_len, corpus $work + $seeds"
        # detect_leaks: a leak is a failure too. -timeout: one input may take at most 30 s.
        if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           "./$t" -max_len="$max_len" -max_total_time="$seconds" -timeout=30 \
                   -rss_limit_mb=4096 -print_final_stats=1 \
                   -artifact_prefix="artifacts/$name-" "$work" "$seeds" \
                   > "artifacts/$name.log" 2>&1; then
                tail -n 15 "artifacts/$name.log"
                verdict "$name" PASS
        else
                tail -n 60 "artifacts/$name.log"
                verdict "$name" FAIL
        fi
done

echo "fuzzers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
