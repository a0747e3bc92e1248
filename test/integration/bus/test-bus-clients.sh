#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The D-Bus library judged by clients nobody here wrote: busctl (sd-bus), gdbus (GDBus),
# dbus-send (libdbus) and python3-dbus drive bus-test-server peer-to-peer and through a
# private dbus-daemon and then through our busmaster; bus-test-client (ours) calls a GDBus
# service through each. See bus-clients.py.
# Runs as any user; only processes it starts are stopped. Exit 77 if a client is missing.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
# Debian's interpreter, where python3-dbus and python3-gi live (not a pyenv or venv one)
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
for tool in busctl gdbus dbus-send dbus-daemon "$PYTHON"; do
        command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
"$PYTHON" -c 'import dbus, gi' 2>/dev/null || { echo "SKIP: python3-dbus or python3-gi missing"; exit 77; }
exec "$PYTHON" "$top_srcdir/test/integration/bus/bus-clients.py" "$top_builddir" "$top_srcdir"
