#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/run-tests.sh: builds sysmaster and runs the whole test suite twice: first exactly as the
# README says (`./autogen.sh && ./configure && make && make check` in the source tree), then again
# in build/sanitizers configured with --enable-sanitizers (ASan + UBSan, which also replays every
# fuzz corpus under them). Prints the .log of every failing test, and ends with the line
# "run-tests: N passed, N failed, N skipped" (FAIL, ERROR and XPASS count as failed; so do a
# failed `make` and each test program that does not build: the tests that do build still run).
# Exit status 0 only if nothing failed.
# Environment: SANITIZERS=0 skips the second pass.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
skipped=0

# Prints the logs of the failing tests below DIR (not descending into DIR/build).
show_failures() {
        find "$1" -path "$1/build" -prune -o -name '*.trs' -print 2>/dev/null | sort |
        while read -r trs; do
                if grep -qE '^:test-result: (FAIL|ERROR|XPASS)' "$trs"; then
                        echo "---------------- ${trs%.trs}.log"
                        cat "${trs%.trs}.log"
                fi
        done
}

# The .log files of all tests of the build in DIR (Automake's $(TEST_LOGS)).
test_logs() {
        # shellcheck disable=SC2016 # $(TEST_LOGS) is for make
        printf 'print-test-logs:\n\t@echo $(TEST_LOGS)\n' |
                make -s -C "$1" -f Makefile -f - print-test-logs
}

# Adds the counts of DIR/test-suite.log.
count_suite() {
        local log=$1/test-suite.log
        field() {
                local v
                v=$(sed -n "s/^# $1: *\([0-9]*\)$/\1/p" "$log" | head -n 1)
                echo "${v:-0}"
        }
        passed=$((passed + $(field PASS)))
        failed=$((failed + $(field FAIL) + $(field ERROR) + $(field XPASS)))
        skipped=$((skipped + $(field SKIP)))
}

# When `make check` stops before running the tests (one test program does not build), runs each
# test that builds on its own and counts the results; a test that does not build is a failure.
salvage() {
        local dir=$1 logs log result
        logs=$(test_logs "$dir") || { failed=$((failed + 1)); return; }
        echo "run-tests: make check did not run the tests in $dir; running those that build"
        for log in $logs; do rm -f "$dir/$log" "$dir/${log%.log}.trs"; done
        # shellcheck disable=SC2086 # one word per test
        make -C "$dir" -k -j"$jobs" $logs AM_COLOR_TESTS=no || true
        for log in $logs; do
                result=$(sed -n 's/^:test-result: *//p' "$dir/${log%.log}.trs" 2>/dev/null | head -n 1)
                case $result in
                PASS) passed=$((passed + 1)) ;;
                SKIP | XFAIL) skipped=$((skipped + 1)) ;;
                "") echo "ERROR: ${log%.log} (does not build)"; failed=$((failed + 1)) ;;
                *) echo "$result: ${log%.log}"; failed=$((failed + 1)) ;;
                esac
        done
        show_failures "$dir"
}

# make check in DIR, then count and show what failed.
check_in() {
        local dir=$1
        rm -f "$dir/test-suite.log"
        if make -C "$dir" -j"$jobs" check AM_COLOR_TESTS=no; then
                count_suite "$dir"
        elif [ -f "$dir/test-suite.log" ]; then
                show_failures "$dir"
                count_suite "$dir"
        else
                salvage "$dir"
        fi
}

cd "$top" || exit 1
echo "== build and test as the README says: autogen, configure, make, make check"
if ./autogen.sh && ./configure; then
        if ! make -j"$jobs"; then
                echo "run-tests: make failed in $top"
                failed=$((failed + 1))
        fi
        check_in "$top"
else
        echo "run-tests: autogen or configure failed in $top"
        failed=$((failed + 1))
fi

if [ "${SANITIZERS:-1}" != 0 ]; then
        echo "== the same tests under ASan and UBSan in build/sanitizers"
        if tools/build-dir.sh build/sanitizers --enable-sanitizers; then
                if ! make -C build/sanitizers -j"$jobs"; then
                        echo "run-tests: make failed in build/sanitizers"
                        failed=$((failed + 1))
                fi
                check_in "$top/build/sanitizers"
        else
                echo "run-tests: configure failed in build/sanitizers"
                failed=$((failed + 1))
        fi
fi

echo "run-tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
