#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/build-dir.sh DIR [CONFIGURE-ARGS...]: configures an out-of-tree build of this source tree
# in DIR (relative paths are taken from the top of the tree), running ./autogen.sh first if
# ./configure is missing. Autoconf refuses an out-of-tree build of a tree that is configured in
# place (after the README's `./configure && make`); then a copy of the sources without the
# in-place build results is made in DIR/.src and configured instead (refreshed on every call).
# Environment: CC and the other usual configure variables are passed on.
set -euo pipefail

if [ $# -lt 1 ]; then
        echo "usage: $0 DIR [CONFIGURE-ARGS...]" >&2
        exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
case $dir in
/*) ;;
*) dir=$top/$dir ;;
esac

[ -x "$top/configure" ] || "$top/autogen.sh"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

srcdir=$top
if [ -f "$top/config.status" ]; then
        srcdir=$dir/.src
        excludes=(--exclude=./.git --exclude=./build --exclude='*.o' --exclude='*.a'
                  --exclude=.deps --exclude=.dirstamp --exclude='*.log' --exclude='*.trs'
                  --exclude=./config.status --exclude=./config.h --exclude=./stamp-h1
                  --exclude=./Makefile --exclude='./test-*' --exclude=./sysmaster-analyze
                  --exclude='./test/fuzz/fuzz-*[!c]')
        case $dir in
        "$top"/*) excludes+=("--exclude=./${dir#"$top"/}") ;;
        esac
        rm -rf "$srcdir"
        mkdir -p "$srcdir"
        tar -C "$top" "${excludes[@]}" -cf - . | tar -C "$srcdir" -xf -
fi

cd "$dir"
"$srcdir/configure" -q "$@"
