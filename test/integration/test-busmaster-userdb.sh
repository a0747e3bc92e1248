#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# busmaster's user database (issue 6), as dbus-daemon 1.14 uses it: who may connect is decided
# with the groups the user database gives the uid (getpwuid() + getgrouplist(), cached per uid,
# emptied on reload; a uid it does not know may not connect), while the group="…" policies and
# GetConnectionCredentials use SO_PEERGROUPS and the primary group. busmaster reads the user
# database in a helper process, so no NSS module maps into the daemon. In a private mount
# namespace with its own /etc/passwd and /etc/group (bind mounts; the host's files are not
# touched), with clients run by setpriv --clear-groups (or --groups):
#   - "bmtest-out" (4713), in "bmtest-deny" only through /etc/group, is refused by
#     <deny group="bmtest-deny"/>; uid 4799, unknown, is refused despite <allow user="*"/>;
#   - "bmtest-in" (4711), in "bmtest-grp" only through /etc/group, connects, but
#     <policy group="bmtest-grp"> lets it own com.example.Grouped only when the kernel reports
#     the group (setpriv --groups=4712); UnixGroupIDs is what the kernel reports, plus 4711;
#   - after /etc/group moves bmtest-in into bmtest-deny and bmtest-out out of it, and
#     ReloadConfig, bmtest-in is refused and bmtest-out connects;
#   - busmaster has no libnss_* mapped afterwards (nsswitch.conf's "systemd" loaded
#     libnss_systemd into it before the helper).
# dbus-daemon, when installed, runs the same steps and must give the same outcomes.
# Root only (setpriv, mount namespace); exit 77 otherwise or without dbus-send/python3-dbus.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$(pwd)}"
BUSMASTER=${BUSMASTER:-$top_builddir/busmaster}
REFERENCE=${REFERENCE_DAEMON:-/usr/bin/dbus-daemon}
PYTHON=/usr/bin/python3
case "$BUSMASTER" in /*) ;; *) BUSMASTER=$(pwd)/$BUSMASTER ;; esac

write_group() { # members of bmtest-grp, of bmtest-deny
        { cat "$T/group.orig"; echo "bmtest-grp:x:4712:$1"; echo "bmtest-deny:x:4715:$2"; } > "$T/group.new"
        cat "$T/group.new" > "$T/group" # the same inode: a bind mount of it sees the change
}

if [ "${1:-}" != --inside ]; then
        [ "$(id -u)" = 0 ] || { echo "SKIP: needs root (setpriv, mount namespace)"; exit 77; }
        for tool in setpriv unshare dbus-send "$PYTHON"; do
                command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
        done
        "$PYTHON" -c 'import dbus' 2>/dev/null || { echo "SKIP: python3-dbus missing"; exit 77; }
        [ -x "$BUSMASTER" ] || { echo "FAIL: $BUSMASTER was not built"; exit 1; }
        unshare --mount --propagation private true 2>/dev/null ||
                { echo "SKIP: cannot create a mount namespace"; exit 77; }
        T=$(mktemp -d /tmp/test-busmaster-userdb.XXXXXX)
        trap 'rm -rf "$T"' EXIT
        chmod 755 "$T"
        cp /etc/passwd "$T/passwd"
        cp /etc/group "$T/group.orig"
        cat >> "$T/passwd" <<-'EOF'
	bmtest-in:x:4711:4711::/nonexistent:/usr/sbin/nologin
	bmtest-out:x:4713:4713::/nonexistent:/usr/sbin/nologin
	EOF
        write_group bmtest-in bmtest-out
        r=0
        unshare --mount --propagation private sh -c \
                'mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/group" /etc/group && exec sh "$2" --inside "$1"' \
                sh "$T" "$0" || r=$?
        exit $r
fi

T=$2
fail=0
check() { # $1 condition (a shell command line), $2 what, $3 detail
        if eval "$1"; then echo "ok   $2"; else echo "FAIL $2: $3"; fail=1; fi
}

cat > "$T/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$T/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny group="bmtest-deny"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow own="*"/>
    <deny own="com.example.Grouped"/>
  </policy>
  <policy group="bmtest-grp">
    <allow own="com.example.Grouped"/>
  </policy>
</busconfig>
EOF

as_user() { # uid, groups ("" for none), command...
        u=$1
        g=$2
        shift 2
        if [ -n "$g" ]; then
                setpriv --reuid="$u" --regid="$u" --groups="$g" "$@"
        else
                setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
        fi
}

# One outcome per line: the reply's value or the error's name, "refused" if no connection.
request_name() { # uid, groups
        out=$(as_user "$1" "$2" dbus-send --bus="unix:path=$T/bus.sock" --print-reply \
                --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.RequestName \
                string:com.example.Grouped uint32:0 2>&1) || true
        case "$out" in
        *"uint32 "*) echo "reply-${out##*uint32 }" ;;
        *AccessDenied*) echo "AccessDenied" ;;
        *) echo "refused" ;;
        esac
}

groups_of_self() { # uid, groups
        as_user "$1" "$2" "$PYTHON" -c '
import dbus, sys
b = dbus.bus.BusConnection(sys.argv[1])
c = b.call_blocking("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                    "GetConnectionCredentials", "s", [b.get_unique_name()])
print(",".join(str(int(g)) for g in c.get("UnixGroupIDs", [])))' "unix:path=$T/bus.sock" 2>/dev/null ||
                echo "refused"
}

run_daemon() { # daemon -> outcomes on stdout, "nss=" line for the daemon's maps
        rm -f "$T/bus.sock"
        "$1" --config-file="$T/bus.conf" --nofork --nopidfile 2> "$T/daemon.log" &
        pid=$!
        for _ in $(seq 100); do
                [ -S "$T/bus.sock" ] && break
                sleep 0.05
        done
        echo "out-owns $(request_name 4713 '')"
        echo "unknown-owns $(request_name 4799 '')"
        echo "in-owns $(request_name 4711 '')"
        echo "in-owns-with-group $(request_name 4711 4712)"
        echo "in-groups $(groups_of_self 4711 '')"
        echo "in-groups-with-group $(groups_of_self 4711 4712)"
        write_group "" bmtest-in
        dbus-send --bus="unix:path=$T/bus.sock" --print-reply --dest=org.freedesktop.DBus \
                /org/freedesktop/DBus org.freedesktop.DBus.ReloadConfig > /dev/null 2>&1 || echo "reload failed"
        echo "in-owns-after-reload $(request_name 4711 '')"
        echo "out-owns-after-reload $(request_name 4713 '')"
        echo "nss=$(grep -c 'libnss_' "/proc/$pid/maps" || true)"
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        write_group bmtest-in bmtest-out
}

run_daemon "$BUSMASTER" > "$T/busmaster.out"
expected="out-owns refused
unknown-owns refused
in-owns AccessDenied
in-owns-with-group reply-1
in-groups 4711
in-groups-with-group 4711,4712
in-owns-after-reload refused
out-owns-after-reload AccessDenied"
got=$(grep -v '^nss=' "$T/busmaster.out")
check '[ "$got" = "$expected" ]' "busmaster: the user database decides who connects, SO_PEERGROUPS the group policies" \
        "$(printf 'expected:\n%s\ngot:\n%s\n' "$expected" "$got")"
nss=$(sed -n 's/^nss=//p' "$T/busmaster.out")
check '[ "$nss" = 0 ]' "busmaster: no NSS module mapped into the daemon" "$nss libnss_ mappings"

if [ -x "$REFERENCE" ]; then
        run_daemon "$REFERENCE" > "$T/reference.out"
        ref=$(grep -v '^nss=' "$T/reference.out")
        check '[ "$ref" = "$got" ]' "the same outcomes as $REFERENCE" "$(printf '%s:\n%s\nbusmaster:\n%s\n' "$REFERENCE" "$ref" "$got")"
else
        echo "note: $REFERENCE is not installed, busmaster's outcomes are not compared"
fi
exit $fail
