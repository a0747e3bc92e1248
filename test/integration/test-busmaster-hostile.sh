#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# busmaster under a hostile client (issue 6): an unprivileged client (setpriv --reuid=nobody)
# sends garbage authentication, malformed and oversized messages, floods of incomplete
# connections, connections, match rules, names and pending calls, fills a queue it never reads
# and makes calls the policy denies, while a well-behaved server and caller (root) keep working.
# busmaster must keep answering every call of the good client (none failing, each within 5 s),
# answer LimitsExceeded/AccessDenied as dbus-daemon 1.14 does on the same script (the outcomes
# are compared), log each denial with the peer (uid=… pid=… comm="…"), and be back near its
# starting RSS once the hostile connections are closed. See bus/busmaster-hostile.py.
# Root only (setpriv, and a private mount namespace with a tmpfs on /run: the host's /run/dbus
# is never touched); exit 77 otherwise or without python3-dbus/dbus-daemon. About 30 s.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
PYTHON=/usr/bin/python3
BUSMASTER=${BUSMASTER:-$top_builddir/busmaster}
REFERENCE=${REFERENCE_DAEMON:-/usr/bin/dbus-daemon}

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (setpriv, mount namespace)"; exit 77; }
for tool in setpriv unshare "$PYTHON"; do
        command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
"$PYTHON" -c 'import dbus, gi' 2>/dev/null || { echo "SKIP: python3-dbus or python3-gi missing"; exit 77; }
id nobody >/dev/null 2>&1 || { echo "SKIP: no user nobody"; exit 77; }
[ -x "$BUSMASTER" ] || { echo "FAIL: $BUSMASTER was not built"; exit 1; }
DAEMONS=$BUSMASTER
if [ -x "$REFERENCE" ]; then
        DAEMONS="$BUSMASTER $REFERENCE"
else
        echo "note: $REFERENCE is not installed, busmaster's outcomes are not compared"
fi
unshare --mount --propagation private true 2>/dev/null || { echo "SKIP: cannot create a mount namespace"; exit 77; }
# the script must be readable by nobody
case "$top_srcdir" in /*) ;; *) top_srcdir=$(cd "$top_srcdir" && pwd) ;; esac
exec unshare --mount --propagation private sh -c 'mount -t tmpfs -o mode=755 tmpfs /run && exec "$@"' sh \
        "$PYTHON" "$top_srcdir/test/integration/bus/busmaster-hostile.py" run $DAEMONS
