#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-sandboxing.sh: systemd.exec(5)'s file system sandboxing, side by side. The same probe
# services boot under systemd 252 and under sysmaster (each in the sandbox, with a writable
# overlay root so that "read-only" is the setting's doing and not the sandbox's); each probe
# reports what its process sees: which paths are writable, read-only or missing, what some
# directories hold, its /dev, whether its UTS namespace is PID 1's, its capability bounding
# set. The reports and `systemctl show` of the settings must be equal. Covered: PrivateTmp=,
# ProtectSystem= (yes, full, strict), ProtectHome= (yes, read-only, tmpfs), ReadWritePaths=,
# ReadOnlyPaths=, InaccessiblePaths= (with "-"), BindPaths=, BindReadOnlyPaths=,
# TemporaryFileSystem=, PrivateDevices=, ProtectKernelTunables=, ProtectKernelModules=,
# ProtectKernelLogs=, ProtectControlGroups=, ProtectHostname=, ProtectProc=, ProcSubset=,
# SystemCallFilter=, SystemCallErrorNumber=, SystemCallArchitectures= (and the filters that
# PrivateDevices=, ProtectKernelModules=, ProtectKernelLogs= and ProtectHostname= imply),
# MemoryDenyWriteExecute=, RestrictRealtime=, RestrictSUIDSGID=, LockPersonality=,
# PrivateNetwork= (one namespace for ExecStartPre= and ExecStart=, loopback up),
# StateDirectory= under strict, and
# a path that must exist and does not (the process fails with 226/NAMESPACE); and, found on the
# way, a Type=notify service of another user that must reach the notify socket.
# The probes only look (access(2), ls), so nothing of the host is written even where a
# setting would fail to protect it.
# Outputs: $top_builddir/test/sandboxing.out/{systemd,sysmaster}/ and diff.txt.
# Exit: 0 equal, 1 different, 77 skipped (not root, no systemd 252 or no sysmaster build).
set -uo pipefail

. "$(dirname "$0")/lib/sandbox.sh"
sandbox_init sandboxing
sandbox_have_systemd || sandbox_skip "systemd 252 is not installed"
sandbox_have_sysmaster || sandbox_skip "sysmaster is not built in $SANDBOX_BUILD"
OUT=$SANDBOX_OUT
U=$OUT/units

# The probe: one line per fact, in a fixed order.
mkdir -p "$U"
cat > "$OUT/probe.sh" << 'EOF'
#!/bin/sh
# probe.sh NAME: what this process sees, into /run/sandbox/out/NAME
out=/run/sandbox/out/$1
state() {
        if [ ! -e "$1" ]; then echo "$1 missing"
        elif [ -w "$1" ]; then echo "$1 writable"
        else echo "$1 read-only"; fi
}
{
        for p in / /usr /usr/lib /bin /lib /etc /var /var/lib /var/lib/probe-state /var/tmp /tmp /home \
                 /root /run /run/sandbox /run/sandbox/out /boot /proc /proc/sys /proc/sys/kernel \
                 /proc/sysrq-trigger /proc/kcore /proc/kmsg /sys /sys/kernel /sys/fs/cgroup /dev \
                 /dev/shm /dev/kmsg /lib/modules /usr/lib/modules /srv /srv/bound /srv/bound-ro \
                 /srv/tmpfs /srv/bound/file /srv/bound-ro/file; do
                state "$p"
        done
        for d in /home /root /tmp /var/tmp /srv/tmpfs /lib/modules /srv/bound-ro; do
                echo "$d holds $(ls -A "$d" 2> /dev/null | wc -l) entries"
        done
        echo "/dev: $(ls -A /dev | sort | tr '\n' ' ')"
        echo "/dev/zero: $(stat -c %F /dev/zero 2>&1), $(head -c 1 /dev/zero 2> /dev/null | wc -c) byte read"
        echo "/dev/char: $(ls -A /dev/char 2> /dev/null | sort | tr '\n' ' ')"
        echo "/dev/log: $(readlink /dev/log)"
        if [ "$(readlink /proc/self/ns/uts)" = "$(readlink /proc/1/ns/uts)" ]; then
                echo "uts: PID 1's"
        else
                echo "uts: its own"
        fi
        if [ -e /proc/1 ]; then echo "PID 1 visible"; else echo "PID 1 invisible"; fi
        if [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ]; then
                echo "net: PID 1's"
        else
                echo "net: its own"
        fi
        if [ -e "$out.pre" ]; then
                if [ "$(cat "$out.pre")" = "$(readlink /proc/self/ns/net)" ]; then
                        echo "net: the ExecStartPre='s"
                else
                        echo "net: not the ExecStartPre='s"
                fi
        fi
        echo "links: $(ip -o link show 2> /dev/null | sed 's/^[0-9]*: \([^:@]*\).*<\([^>]*\)>.*/\1 \2/' | tr '\n' ' ')"
        if [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ]; then
                echo "mnt: PID 1's"
        else
                echo "mnt: its own"
        fi
        grep '^CapBnd' /proc/self/status
        # seccomp: whether a filter is on and no_new_privs set, and what two calls get: uname(2)
        # (harmless; filtered by the sc-* probes) and syslog(2) (dmesg; ProtectKernelLogs=)
        grep '^NoNewPrivs\|^Seccomp:' /proc/self/status
        u=$(uname -s 2>&1)
        echo "uname: $u, exit $?"
        dmesg > /dev/null 2>&1
        echo "dmesg: exit $?"
        if [ "$(readlink /proc/self/ns/uts)" != "$(readlink /proc/1/ns/uts)" ]; then
                hostname probe-renamed > /dev/null 2>&1
                echo "sethostname in its own UTS namespace: exit $?"
        fi
        # the filters that compare arguments: personality(2), sched_setscheduler(2), a
        # writable and executable mapping, a set-group-ID file (in the probe's own /tmp)
        echo "machine: $(uname -m)"
        for a in linux32 linux64; do
                setarch $a true > /dev/null 2>&1
                echo "personality $a: exit $?"
        done
        for p in -f -r -b -i; do
                chrt $p 0 true > /dev/null 2>&1 || chrt $p 1 true > /dev/null 2>&1
                echo "chrt $p: exit $?"
        done
        python3 -c 'import mmap; mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)' > /dev/null 2>&1
        echo "mmap writable+executable: exit $?"
        python3 -c 'import mmap; mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE)' > /dev/null 2>&1
        echo "mmap writable: exit $?"
        f=$(mktemp 2> /dev/null) && {
                chmod g+s "$f" > /dev/null 2>&1
                echo "chmod g+s: exit $?"
                chmod u+s "$f" > /dev/null 2>&1
                echo "chmod u+s: exit $?"
                chmod 0644 "$f" > /dev/null 2>&1
                echo "chmod 0644: exit $?"
                rm -f "$f"
        }
} > "$out.tmp" 2>&1
mv "$out.tmp" "$out"
EOF
chmod +x "$OUT/probe.sh"

# The probes run one after the other, in this order, under both managers: each sees what the
# ones before it left (a StateDirectory=, mount points made for binds, private /tmp dirs).
PROBES="" previous=""
probe() { # NAME SETTINGS...: a probe service with these [Service] lines
        local name=$1
        shift
        {
                printf '[Unit]\nDescription=probe %s\nDefaultDependencies=no\n' "$name"
                [ -z "$previous" ] || printf 'After=%s\n' "$previous"
                printf '\n[Service]\nType=oneshot\n'
                printf 'RemainAfterExit=yes\nExecStart=/run/sandbox/probe.sh %s\n' "$name"
                printf '%s\n' "$@"
        } > "$U/p-$name.service"
        PROBES="$PROBES p-$name.service"
        previous=p-$name.service
}
probe none
probe tmp PrivateTmp=yes
probe system-yes ProtectSystem=yes
probe system-true ProtectSystem=true
probe system-full ProtectSystem=full
probe system-strict ProtectSystem=strict ReadWritePaths=/run/sandbox/out StateDirectory=probe-state
probe home-yes ProtectHome=yes
probe home-ro ProtectHome=read-only
probe home-tmpfs ProtectHome=tmpfs
probe paths 'ReadOnlyPaths=/var' 'ReadWritePaths=/var/lib /run/sandbox/out' 'InaccessiblePaths=/boot -/nonexistent' \
        'ReadOnlyPaths=-/also/nonexistent /run'
probe paths-device 'InaccessiblePaths=/dev/zero'
probe paths-reset 'ReadOnlyPaths=/var' 'ReadOnlyPaths=' 'InaccessiblePaths=/etc' 'InaccessiblePaths='
probe kernel ProtectKernelTunables=yes ProtectKernelModules=yes ProtectKernelLogs=yes ProtectControlGroups=yes
probe tunables ProtectKernelTunables=yes
probe devices PrivateDevices=yes
probe binds 'BindPaths=/run/sandbox/src:/srv/bound' 'BindReadOnlyPaths=/run/sandbox/src:/srv/bound-ro:norbind' \
        'TemporaryFileSystem=/srv/tmpfs:ro'
probe binds-missing 'BindPaths=-/run/sandbox/not-there:/srv/bound'
probe hostname ProtectHostname=yes
probe mounts PrivateMounts=yes
probe proc-invisible ProtectProc=invisible User=nobody
probe proc-noaccess ProtectProc=noaccess
probe proc-subset ProcSubset=pid
probe network PrivateNetwork=yes 'ExecStartPre=/bin/sh -c "readlink /proc/self/ns/net > /run/sandbox/out/network.pre"'
probe network-strict PrivateNetwork=yes ProtectSystem=strict ReadWritePaths=/run/sandbox/out
probe fails-missing 'ReadOnlyPaths=/nonexistent/path'
# seccomp (systemd.exec(5) "System Call Filtering"): deny-lists killing or failing with an errno,
# an allow-list with groups and names taken out, per-call errnos, unknown names skipped, resets,
# no_new_privs implied for another user, architectures
probe sc-kill 'SystemCallFilter=~uname'
probe sc-errno 'SystemCallFilter=~uname @clock' 'SystemCallErrorNumber=EPERM'
probe sc-own-errno 'SystemCallFilter=~uname:EROFS @mount' 'SystemCallFilter=~bogus_call @nonexistent'
probe sc-allow 'SystemCallFilter=@system-service' 'SystemCallFilter=~@privileged uname' 'SystemCallErrorNumber=EACCES' \
        'SystemCallArchitectures=native' User=nobody
probe sc-allow-root 'SystemCallFilter=@system-service @mount' 'SystemCallFilter=~@mount uname' 'SystemCallErrorNumber=ENOSYS' \
        'SystemCallArchitectures=native x32' 'SystemCallArchitectures=x86'
probe sc-reset 'SystemCallFilter=~uname' 'SystemCallFilter=' 'SystemCallErrorNumber=EPERM' 'SystemCallErrorNumber=kill'
probe sc-user 'SystemCallFilter=~@clock' User=nobody
# the filters that look at arguments (systemd.exec(5) "Sandboxing")
probe mdwe MemoryDenyWriteExecute=yes
probe realtime RestrictRealtime=yes
probe suid-sgid RestrictSUIDSGID=yes
probe personality LockPersonality=yes
probe personality-x86 LockPersonality=yes Personality=x86
probe restrict-user LockPersonality=yes RestrictRealtime=yes RestrictSUIDSGID=yes MemoryDenyWriteExecute=yes User=nobody
probe restrict-off LockPersonality=yes LockPersonality=no RestrictRealtime=no
# a bad value after a good one is ignored with a warning: the good one stays, applied and shown
probe bad-bool LockPersonality=yes LockPersonality=bogus PrivateDevices=yes PrivateDevices=maybe
# not sandboxing, but found with it (systemd-timesyncd's unit): a notify service of another user
# reaches the notify socket (systemd's is mode 0777)
probe notify-nobody User=nobody Type=notify NotifyAccess=all TimeoutStartSec=10 ExecStart= \
        'ExecStart=/bin/sh -c "/run/sandbox/probe.sh notify-nobody; systemd-notify --ready; exec sleep infinity"'
probe strict-all ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
        ProtectKernelTunables=yes ProtectControlGroups=yes ReadWritePaths=/run/sandbox/out
# Debian's own sandboxed units, as the udev/systemd/e2fsprogs/man-db packages ship them (only
# the conditions on the machine and the ordering against the rest of a boot taken out): they
# must end as they do under systemd (timesyncd: User=, Type=notify, ProtectSystem=strict and
# most of the rest; man-db: User=, ProtectSystem=full, PrivateDevices=, several ExecStart= with
# "+"; e2scrub_reap: PrivateNetwork=, ProtectHome=read-only, AmbientCapabilities=).
DEBIAN_UNITS=""
for f in systemd-timesyncd.service man-db.service e2scrub_reap.service; do
        [ -f "/lib/systemd/system/$f" ] || continue
        grep -v '^Condition\|^After=\|^Before=\|^Wants=\|^Conflicts=\|^BusName=\|^Alias=' "/lib/systemd/system/$f" |
                sed 's/^\[Unit\]$/[Unit]\nDefaultDependencies=no/' > "$U/$f"
        # after the probes, whose /tmp they would otherwise change (PrivateTmp= directories)
        mkdir -p "$U/$f.d"
        printf '[Unit]\nAfter=%s\n' "$previous" > "$U/$f.d/after-probes.conf"
        DEBIAN_UNITS="$DEBIAN_UNITS $f"
done
{
        printf '[Unit]\nDescription=probes\nDefaultDependencies=no\n'
        for p in $PROBES $DEBIAN_UNITS; do printf 'Wants=%s\n' "$p"; done
} > "$U/probes.target"

PROPS=(-p ProtectSystem -p ProtectHome -p PrivateTmp -p PrivateDevices -p PrivateMounts
       -p ProtectKernelTunables -p ProtectKernelModules -p ProtectKernelLogs
       -p ProtectControlGroups -p ProtectHostname -p ReadWritePaths -p ReadOnlyPaths
       -p InaccessiblePaths -p BindPaths -p BindReadOnlyPaths -p TemporaryFileSystem
       -p ProtectProc -p ProcSubset -p MountAPIVFS -p MountFlags -p PrivateNetwork -p SubState
       -p CapabilityBoundingSet -p ActiveState -p Result -p ExecMainStatus -p SystemCallFilter
       -p SystemCallArchitectures -p SystemCallErrorNumber -p NoNewPrivileges -p MemoryDenyWriteExecute
       -p RestrictRealtime -p RestrictSUIDSGID -p LockPersonality -p Personality)

failures=0
for m in systemd sysmaster; do
        echo "== booting $m"
        state=$OUT/$m
        mkdir -p "$state/out" "$state/src"
        chmod 1777 "$state/out" # the User=nobody probe writes there too
        cp "$OUT/probe.sh" "$state/probe.sh"
        echo hello > "$state/src/file"
        sandbox_start_ready "$m" --manager "$m" --units "$U" --copy --overlay-root --unit probes.target ||
                { failures=$((failures + 1)); continue; }
        for _ in $(seq 1 100); do
                [ "$(ls "$state/out" | grep -vc '\.tmp$\|\.pre$')" -ge "$(echo $PROBES | wc -w)" ] && break
                sleep 0.1
        done
        for _ in $(seq 1 120); do
                sandbox_ctl list-jobs --no-legend 2> /dev/null | grep -q . || break
                sleep 0.5
        done
        mkdir -p "$OUT/report-$m"
        for f in $DEBIAN_UNITS; do
                sandbox_ctl show -p ActiveState -p SubState -p Result -p ExecMainStatus -p StatusText -- "$f" \
                        > "$OUT/report-$m/debian-$f"
        done
        for p in $PROBES; do
                name=${p#p-}
                name=${name%.service}
                {
                        cat "$state/out/$name" 2> /dev/null || echo "no report"
                        sandbox_ctl show "${PROPS[@]}" -- "$p"
                } > "$OUT/report-$m/$name"
        done
        sandbox_run hostname > "$OUT/report-$m/hostname-after"
        sandbox_stop "$m" > /dev/null || { echo "FAIL: stopping $m left something behind"; failures=$((failures + 1)); }
done

# A probe that wrote no report under either manager would compare equal and prove nothing (once,
# a probe's own ReadOnlyPaths= covered its report's directory): every probe but the one meant to
# fail must have reported, under both.
for m in systemd sysmaster; do
        for p in $PROBES; do
                name=${p#p-}
                name=${name%.service}
                [ "$name" != fails-missing ] || continue
                if grep -qx "no report" "$OUT/report-$m/$name" 2> /dev/null; then
                        echo "FAIL: probe $name wrote no report under $m"
                        failures=$((failures + 1))
                fi
        done
done

if [ "$failures" = 0 ]; then
        if diff -ru "$OUT/report-systemd" "$OUT/report-sysmaster" > "$OUT/diff.txt"; then
                echo "PASS: $(echo $PROBES | wc -w) probes see the same under systemd 252 and sysmaster;" \
                        "Debian's$DEBIAN_UNITS end the same"
        else
                echo "FAIL: the probes differ (- systemd 252, + sysmaster):"
                cat "$OUT/diff.txt"
                failures=$((failures + 1))
        fi
fi
leftovers=$(sandbox_leftovers)
[ -z "$leftovers" ] || { echo "FAIL: left over: $leftovers"; failures=$((failures + 1)); }
[ "$failures" = 0 ]
