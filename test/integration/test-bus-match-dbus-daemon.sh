#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-bus-match-dbus-daemon.sh: bus-match (through bus-match-print) against a private
# dbus-daemon: the same rules accepted and refused with the same errors, the same canonical
# strings as GetAllMatchRules, the same subscribers reached by each message (see
# lib/bus-match-dbus-daemon.py). Skips (77) without dbus-daemon or python3 with dbus and gi.
set -euo pipefail

here=$(cd "${0%/*}" && pwd)
print=${BUS_MATCH_PRINT:-${top_builddir:-.}/bus-match-print}

if ! command -v dbus-daemon > /dev/null; then
        echo "SKIP: dbus-daemon is not installed"
        exit 77
fi
python=
for p in /usr/bin/python3 python3; do
        if "$p" -c 'import dbus, dbus.mainloop.glib; from gi.repository import GLib' 2> /dev/null; then
                python=$p
                break
        fi
done
if [ -z "$python" ]; then
        echo "SKIP: no python3 with the dbus (python3-dbus) and gi (python3-gi) modules"
        exit 77
fi
if [ ! -x "$print" ]; then
        echo "FAIL: $print is missing (make check builds it)"
        exit 1
fi

exec "$python" "$here/lib/bus-match-dbus-daemon.py" "$print"
