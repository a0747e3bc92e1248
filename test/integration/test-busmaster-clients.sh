#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# busmaster against dbus-daemon (side by side, with a raw client that sees every message) and
# with real clients (busctl, dbus-send, python3-dbus). See bus/busmaster-clients.py.
# Any user; only processes it starts are stopped. Exit 77 if a client is missing.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
PYTHON=/usr/bin/python3
for tool in busctl dbus-send dbus-daemon "$PYTHON"; do
        command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
"$PYTHON" -c 'import dbus, gi' 2>/dev/null || { echo "SKIP: python3-dbus or python3-gi missing"; exit 77; }
exec "$PYTHON" "$top_srcdir/test/integration/bus/busmaster-clients.py" "$top_builddir/busmaster"
