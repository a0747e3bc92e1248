#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-analyze-cli.sh: sysmaster-analyze as a user runs it: verify's messages and exit status,
# cat's output, dump's -p/--value/--all options and name mangling. Needs no root.
set -euo pipefail

analyze=${SYSMASTER_ANALYZE:-${top_builddir:?}/sysmaster-analyze}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
expect_in() { grep -qF -- "$2" <<< "$1" || fail "$3: '$2' not in: $1"; }

mkdir -p "$tmp/etc" "$tmp/usr" "$tmp/usr/app.service.d"
printf '[Unit]\nDescription=The app\nFoo=1\n[Service]\nExecStart=/bin/true\n' > "$tmp/usr/app.service"
printf '[Unit]\nDescription=App, overridden\n' > "$tmp/usr/app.service.d/10-desc.conf"
printf '[Service]\nExecStart=bin/true\n' > "$tmp/usr/bad.service"
printf '[Service]\nExecStart=/nonexistent/binary\n' > "$tmp/usr/missing.service"
path="$tmp/etc:$tmp/usr"

# verify: warnings with file:line, exit 0 for a usable unit
out=$("$analyze" verify "$tmp/usr/app.service" 2>&1) || fail "verify app.service exited $?"
expect_in "$out" "$tmp/usr/app.service:3: Unknown key 'Foo' in section [Unit], ignoring." "verify warning"

# verify: a fatal setting makes the unit bad-setting and the exit status 1
if out=$("$analyze" verify "$tmp/usr/bad.service" 2>&1); then fail "verify bad.service succeeded"; fi
expect_in "$out" "$tmp/usr/bad.service:2: Neither a valid executable name nor an absolute path: bin/true" "verify fatal message"
expect_in "$out" "bad-setting" "verify load state"

# verify: a command that does not exist is reported
if out=$("$analyze" verify "$tmp/usr/missing.service" 2>&1); then fail "verify missing.service succeeded"; fi
expect_in "$out" "Command /nonexistent/binary is not executable" "verify missing binary"

# cat: the fragment and the drop-in, each under a "# path" line
out=$("$analyze" --unit-path="$path" cat app.service 2>/dev/null)
expect_in "$out" "# $tmp/usr/app.service" "cat fragment header"
expect_in "$out" "# $tmp/usr/app.service.d/10-desc.conf" "cat drop-in header"
expect_in "$out" "Description=App, overridden" "cat drop-in body"
if "$analyze" --unit-path="$path" cat nope.service > /dev/null 2>&1; then fail "cat of a missing unit succeeded"; fi

# dump: -p with --value, name mangling ("app" → app.service), empty properties with -p
expect_eq "$("$analyze" --unit-path="$path" dump -p Description --value app 2>/dev/null)" "App, overridden" "dump --value"
out=$("$analyze" --unit-path="$path" dump -p Id,SourcePath app.service 2>/dev/null)
expect_eq "$out" $'Id=app.service\nSourcePath=' "dump -p shows empty values"
out=$("$analyze" --unit-path="$path" dump app.service nope.service 2>/dev/null)
expect_in "$out" "LoadState=not-found" "dump of a missing unit"
expect_in "$out" $'\n\nId=nope.service' "dump separates units by an empty line"
if "$analyze" --unit-path="$path" dump 'foo@.service' > /dev/null 2>&1; then fail "dump of a template succeeded"; fi

# $SYSTEMD_UNIT_PATH has the same meaning as --unit-path
expect_eq "$(SYSTEMD_UNIT_PATH="$path" "$analyze" dump -p LoadState --value app 2>/dev/null)" "loaded" "SYSTEMD_UNIT_PATH"

if [ "$failures" -gt 0 ]; then
        echo "$failures check(s) failed"
        exit 1
fi
echo "all checks passed"
