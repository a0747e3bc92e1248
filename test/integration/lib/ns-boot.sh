#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# ns-boot.sh: boot a service manager as PID 1 of private pid, mount, uts, ipc, net and
# cgroup namespaces, run a script inside once it answers, tear everything down.
#
#   ns-boot.sh -o OUTDIR [options] [-- RUN-SCRIPT-ARGS...]
#     -o, --out DIR        host output directory (created); the namespace sees it
#                          read-write at /run/ns-out ($NS_OUT)
#     -m, --manager CMD    manager command line, exec'd as PID 1 (word-split); default
#                          /lib/systemd/systemd --system --unit=sysmaster-hold.target
#                          --log-target=console --log-level=info --show-status=no
#     -e, --manager-env S  extra NAME=VALUE words for the manager's environment
#                          (container=other and empty generator paths are always set)
#     -t, --tree MODE      "host" (default): the host's unit directories, read-only;
#                          "controlled": empty tmpfs over /etc/systemd/system,
#                          /usr/lib/systemd/system (= /lib/systemd/system on merged-/usr)
#                          and the other host unit directories, for the setup hook to fill
#     -s, --setup FILE     bash script run inside before the manager starts (unit
#                          directories and /tmp writable, /run/systemd/system exists)
#     -r, --run FILE       bash script run inside (nsenter) once the manager answers
#                          `systemctl show -p Version`; its exit status is ours
#     -E, --env NAME=VAL   environment for the setup hook and the run script (repeatable)
#     -T, --boot-timeout S seconds to wait for the manager to answer (default 120)
#     -R, --run-timeout S  seconds the run script may take (default 1800)
#
# Inside, /run/systemd/system/sysmaster-hold.target (DefaultDependencies=no, no
# dependencies) exists before the setup hook runs; the hook may rewrite it.  The hook
# and the run script get a clean environment: PATH, LC_ALL=C, NS_OUT=/run/ns-out,
# NS_TREE, SYSTEMD_PAGER=, SYSTEMD_COLORS=0, SYSTEMD_URLIFY=0, SYSTEMCTL_SKIP_SYSV=1,
# ASAN_OPTIONS/UBSAN_OPTIONS when set, and the -E words.  Files they need must not live
# under /tmp (private there); ns-boot.sh copies the two scripts into OUTDIR/ns-boot/.
#
# OUTDIR also receives console.log (the manager's console), ns-mounts.txt (the mount
# table inside) and ns-boot.log (timings, host state before and after).
#
# Exit status: the run script's, or 99 when the namespace could not be booted, the
# manager did not answer in time, or the host state changed (sysctls, host name,
# leftover cgroups).  Host side effects: OUTDIR and one temporary cgroup
# <cgroup2>/<our cgroup>/sysmaster-nsboot.<pid>, removed on exit.  Needs root.
set -euo pipefail
export LC_ALL=C
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

MANAGER="/lib/systemd/systemd --system --unit=sysmaster-hold.target --log-target=console --log-level=info --show-status=no"
MANAGER_ENV=""
TREE=host
OUT=""
SETUP=""
RUN=""
CLIENT_ENV=()
BOOT_TIMEOUT=120
RUN_TIMEOUT=1800

usage() {
        awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
        exit "${1:-0}"
}
while [ $# -gt 0 ]; do
        case "$1" in
        -o | --out) OUT=$2; shift 2 ;;
        -m | --manager) MANAGER=$2; shift 2 ;;
        -e | --manager-env) MANAGER_ENV=$2; shift 2 ;;
        -t | --tree) TREE=$2; shift 2 ;;
        -s | --setup) SETUP=$2; shift 2 ;;
        -r | --run) RUN=$2; shift 2 ;;
        -E | --env) CLIENT_ENV+=("$2"); shift 2 ;;
        -T | --boot-timeout) BOOT_TIMEOUT=$2; shift 2 ;;
        -R | --run-timeout) RUN_TIMEOUT=$2; shift 2 ;;
        -h | --help) usage 0 ;;
        --) shift; break ;;
        *) echo "ns-boot: unknown option $1" >&2; usage 2 >&2 ;;
        esac
done

die() {
        echo "ns-boot: $*" >&2
        exit 99
}
[ "$(id -u)" = 0 ] || die "must run as root"
[ -n "$OUT" ] || die "--out is required"
case "$TREE" in host | controlled) ;; *) die "--tree must be host or controlled" ;; esac
for t in unshare nsenter script findmnt pgrep timeout; do
        command -v "$t" > /dev/null || die "missing $t"
done
read -r -a mgr_words <<< "$MANAGER"
[ -x "${mgr_words[0]}" ] || die "manager ${mgr_words[0]} is not executable"
case "${mgr_words[0]}" in /tmp/*) die "the manager must not live under /tmp (private /tmp inside)" ;; esac
for w in "${CLIENT_ENV[@]}"; do
        case "$w" in *=*) ;; *) die "--env wants NAME=VALUE, got '$w'" ;; esac
        case "$w" in *[[:space:]]*) die "--env value must not contain blanks: '$w'" ;; esac
done

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
LOG=$OUT/ns-boot.log
: > "$LOG"
mkdir -p "$OUT/ns-boot"
rm -f "$OUT/ns-boot/"* "$OUT/console.log" "$OUT/ns-mounts.txt" "$OUT/t-exec"
if [ -n "$SETUP" ]; then
        install -m 0644 "$SETUP" "$OUT/ns-boot/setup.sh"
fi
if [ -n "$RUN" ]; then
        install -m 0644 "$RUN" "$OUT/ns-boot/run.sh"
fi

# The client environment, as NAME=VALUE words.
client_env=(PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C NS_OUT=/run/ns-out "NS_TREE=$TREE"
        SYSTEMD_PAGER= SYSTEMD_COLORS=0 SYSTEMD_URLIFY=0 SYSTEMCTL_SKIP_SYSV=1)
[ -z "${ASAN_OPTIONS:-}" ] || client_env+=("ASAN_OPTIONS=$ASAN_OPTIONS")
[ -z "${UBSAN_OPTIONS:-}" ] || client_env+=("UBSAN_OPTIONS=$UBSAN_OPTIONS")
client_env+=("${CLIENT_ENV[@]}")

# cgroup2 mount (pure v2 at /sys/fs/cgroup or the hybrid's /sys/fs/cgroup/unified) and
# our own cgroup in it, so that the temporary cgroup sits below us.
CGROOT=$(findmnt -rn -t cgroup2 -o TARGET | head -1)
[ -n "$CGROOT" ] || die "no cgroup2 mount found"
mycg=$(sed -n 's/^0:://p' /proc/self/cgroup)
CGBASE=$CGROOT${mycg%/}
[ -w "$CGBASE/cgroup.procs" ] || CGBASE=$CGROOT
CG=$CGBASE/sysmaster-nsboot.$$

# Host state a leaking manager would change.
host_state() {
        local f
        for f in /proc/sys/kernel/core_pattern /proc/sys/fs/file-max /proc/sys/fs/nr_open \
                /proc/sys/net/unix/max_dgram_qlen /proc/sys/kernel/hostname \
                /proc/sys/kernel/domainname /proc/sys/kernel/printk; do
                printf '%s=%s\n' "$f" "$(cat "$f" 2> /dev/null)"
        done
        printf 'leftover_cgroup=%s\n' "$([ -d "$CG" ] && echo yes || echo no)"
}
run_state() { # informational: other users of the machine may change /run
        find /run -maxdepth 1 2> /dev/null | sort
        find /run/systemd -maxdepth 2 2> /dev/null | sort
}

NSPID="" SCRIPT_PID="" LAUNCHER=""
teardown() {
        if [ -n "$NSPID" ] && [ -d "/proc/$NSPID" ]; then
                # PID 1 of the namespace: killing it takes the whole namespace down.
                kill -KILL "$NSPID" 2> /dev/null || true
        fi
        if [ -n "$SCRIPT_PID" ]; then
                local i
                for ((i = 0; i < 200; i++)); do
                        [ -d "/proc/$SCRIPT_PID" ] || break
                        sleep 0.05
                done
                if [ -d "/proc/$SCRIPT_PID" ]; then
                        kill -KILL "$SCRIPT_PID" 2> /dev/null || true
                fi
                wait "$SCRIPT_PID" 2> /dev/null || true
        fi
        if [ -d "$CG" ]; then
                local i
                for ((i = 0; i < 200; i++)); do
                        find "$CG" -depth -type d -exec rmdir {} + 2> /dev/null || true
                        [ -d "$CG" ] || break
                        sleep 0.05
                done
                [ -d "$CG" ] && echo "ns-boot: warning: could not remove $CG" >&2
        fi
        NSPID="" SCRIPT_PID=""
}
trap 'teardown' EXIT
trap 'teardown; exit 130' INT TERM

in_ns() { # run a command inside the namespace with the client environment
        nsenter --target "$NSPID" --all -- env -i "${client_env[@]}" "$@"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

HOST_BEFORE=$(host_state)
RUN_BEFORE=$(run_state)
t_start=$(now)

mkdir "$CG"
# script(1) gives the namespace a pty for /dev/console and records it.  Its shell moves
# itself into the temporary cgroup and becomes unshare, whose child is PID 1.
env NSB_OUT="$OUT" NSB_TREE="$TREE" NSB_MANAGER="$MANAGER" NSB_MANAGER_ENV="$MANAGER_ENV" \
        NSB_SETUP="${SETUP:+/run/ns-out/ns-boot/setup.sh}" NSB_CLIENT_ENV="${client_env[*]}" \
        script -qfec "echo \$\$ > '$OUT/ns-boot/launcher.pid'; echo \$\$ > '$CG/cgroup.procs'; exec unshare --pid --fork --mount-proc --mount --uts --ipc --net --cgroup --propagation private /bin/bash '$HERE/ns-init.sh'" \
        "$OUT/console.log" < /dev/null > /dev/null 2>&1 &
SCRIPT_PID=$!

for ((i = 0; i < 1000; i++)); do
        [ -s "$OUT/ns-boot/launcher.pid" ] && LAUNCHER=$(cat "$OUT/ns-boot/launcher.pid")
        if [ -n "$LAUNCHER" ]; then
                NSPID=$(pgrep -P "$LAUNCHER" | head -1 || true)
                [ -n "$NSPID" ] && break
        fi
        [ -d "/proc/$SCRIPT_PID" ] || break
        sleep 0.01
done
if [ -z "$NSPID" ] || ! grep -qE '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$NSPID/status" 2> /dev/null; then
        echo "ns-boot: the namespace did not start; console:" >&2
        tail -n 40 "$OUT/console.log" >&2 2> /dev/null || true
        die "boot failed"
fi

# Wait until the manager answers (bounded).
deadline=$((SECONDS + BOOT_TIMEOUT))
version=""
while :; do
        if [ ! -d "/proc/$NSPID" ]; then
                echo "ns-boot: PID 1 of the namespace exited; console:" >&2
                tail -n 40 "$OUT/console.log" >&2 2> /dev/null || true
                die "boot failed"
        fi
        # PID 1 is still the setup shell until it exec()s the manager.
        if [ -s "$OUT/t-exec" ]; then
                version=$(in_ns systemctl show -p Version --value 2> /dev/null || true)
                [ -n "$version" ] && break
        fi
        if [ $SECONDS -ge $deadline ]; then
                echo "ns-boot: the manager did not answer within ${BOOT_TIMEOUT}s; console:" >&2
                tail -n 40 "$OUT/console.log" >&2 2> /dev/null || true
                die "boot timeout"
        fi
        sleep 0.05
done
t_ready=$(now)
# Let the initial transaction settle (bounded; "starting" after that is only noted).
state=""
for ((i = 0; i < 200; i++)); do
        state=$(in_ns systemctl is-system-running 2> /dev/null || true)
        case "$state" in initializing | starting | "") sleep 0.05 ;; *) break ;; esac
done
{
        echo "manager: $MANAGER"
        echo "version: $version"
        echo "system-state: $state"
        echo "boot_s: $(awk -v a="$t_start" -v b="$t_ready" 'BEGIN { printf "%.2f", b - a }')"
} >> "$LOG"

rc=0
if [ -n "$RUN" ]; then
        t_run=$(now)
        timeout --kill-after=10 "$RUN_TIMEOUT" \
                nsenter --target "$NSPID" --all -- env -i "${client_env[@]}" \
                /bin/bash /run/ns-out/ns-boot/run.sh "$@" || rc=$?
        echo "run_s: $(elapsed "$t_run") rc=$rc" >> "$LOG"
        if [ ! -d "/proc/$NSPID" ]; then
                echo "ns-boot: the manager died during the run" >&2
                rc=99
        fi
fi

teardown
trap - EXIT

HOST_AFTER=$(host_state)
{
        echo "total_s: $(elapsed "$t_start")"
        echo "host state before:"
        printf '  %s\n' "${HOST_BEFORE//$'\n'/$'\n  '}"
} >> "$LOG"
if [ "$HOST_BEFORE" != "$HOST_AFTER" ]; then
        echo "ns-boot: ERROR: host state changed:" >&2
        diff <(echo "$HOST_BEFORE") <(echo "$HOST_AFTER") >&2 || true
        echo "hostcheck: changed" >> "$LOG"
        exit 99
fi
if [ "$RUN_BEFORE" != "$(run_state)" ]; then
        echo "ns-boot: note: the host's /run changed during the run (other users?):" >&2
        diff <(echo "$RUN_BEFORE") <(run_state) >&2 || true
        echo "runcheck: changed" >> "$LOG"
else
        echo "runcheck: ok" >> "$LOG"
fi
echo "hostcheck: ok" >> "$LOG"
exit "$rc"
