#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-init.sh: sysmaster-init as PID 1 of private namespaces (unshare --pid --fork --mount
# --mount-proc --uts --ipc --net --cgroup, a private tmpfs on /run, /sys/fs/cgroup unmounted so
# that init mounts cgroup2 itself), with fake-manager in place of the manager. fake-manager
# logs what init tells it into manager.log and takes commands from a FIFO (see its header).
#
# Boots: "main" (mounts, argv, reaping, restart after SIGKILL with the record of a service
# that died while no manager was connected, fd store, heartbeat, re-exec on SIGTERM, forwarded signals, SHUTDOWN exit 3 with SIGKILL
# escalation), "loop" (crash-loop back-off, SHUTDOWN reboot in a PID namespace exits with the
# status), "freeze", "reboot", "shell" (past the crash limit: the crash actions), "sub" (init
# not PID 1: a subreaper that kills only its own descendants), "rss" (PID 1's resident memory,
# under 1 MiB after boot and after a re-exec; the forwarded signals again, through the real
# binary). Then the size and no-malloc checks.
#
# The crash limits are set through init's environment: SYSMASTER_RESTART_BURST, SYSMASTER_CRASH_LIMIT,
# SYSMASTER_CRASH_ACTION (boot's BOOT_ENV). The "shell" boot bind-mounts a fake shell on
# /bin/sh and a file on /dev/console in its private mount namespace.
#
# sysmaster-init is linked statically by default (its RSS); an LD_PRELOAD logger cannot enter a
# static binary, so the "main" boot then runs sysmaster-init-dynamic, the same objects linked
# with the shared libc, under the logger, and `nm -u` reads that twin. The other boots run the
# real binary.
# Outputs in $top_builddir/test/init.out. Kills only what it started (PID 1 of each namespace).
# Exit: 0 all passed, 1 a step failed, 77 skipped (not root, missing tools).
set -uo pipefail
export LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin

skip() {
        echo "SKIP: $*"
        exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (runs sysmaster-init as PID 1 of a PID namespace)"
for t in unshare nsenter pgrep timeout nm mkfifo findmnt; do
        command -v "$t" > /dev/null || skip "missing tool $t"
done

B=$(cd "${top_builddir:-.}" && pwd)
SRC=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd)
INIT=$B/sysmaster-init
FAKE=$B/fake-manager
[ -x "$INIT" ] && [ -x "$FAKE" ] || skip "build sysmaster-init and fake-manager first"
DYN=$INIT # what imports libc's symbols: the binary itself, or its dynamic twin
nm -u "$INIT" | grep -q . || DYN=$B/sysmaster-init-dynamic
[ -x "$DYN" ] || skip "build sysmaster-init-dynamic (make check does) first"
OUT=$B/test/init.out
rm -rf "$OUT"
mkdir -p "$OUT"
HB=500000 # heartbeat interval (µs): a hung manager is killed after 3 of them

# A malloc/calloc/realloc/free logger preloaded into init during the "main" boot: glibc lets
# malloc be interposed, its own internal calls included. Not with sanitizers (they allocate and
# must come first), nor without a C compiler.
PRELOAD=""
if ! nm -u "$DYN" | grep -q __asan && command -v "${CC:-cc}" > /dev/null; then
        cat > "$OUT/malloc-log.c" << 'EOF'
#include <stdio.h>
#include <unistd.h>
extern void *__libc_malloc(size_t), *__libc_calloc(size_t, size_t), *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
static void note(const char *what) {
        char b[64];
        int n = snprintf(b, sizeof b, "MALLOC-LOG pid=%d %s\n", (int) getpid(), what);
        if (write(2, b, n) < 0) {}
}
void *malloc(size_t n) { note("malloc"); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { note("calloc"); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { note("realloc"); return __libc_realloc(p, n); }
void free(void *p) { if (p) note("free"); __libc_free(p); }
EOF
        "${CC:-cc}" -shared -fPIC -o "$OUT/malloc-log.so" "$OUT/malloc-log.c" &&
                [ "$(LD_PRELOAD=$OUT/malloc-log.so sort /dev/null 2>&1 | grep -c MALLOC-LOG)" -gt 0 ] &&
                PRELOAD=$OUT/malloc-log.so # it logs the calls of a program that allocates
fi
MAIN_INIT=$INIT # the binary of the "main" boot: the one the logger can enter
[ -n "$PRELOAD" ] && MAIN_INIT=$DYN

failures=0
step() { echo "== $*"; }
ok() { echo "   ok: $*"; }
fail() {
        echo "   FAIL: $*"
        failures=$((failures + 1))
}
now_us() { date +%s%6N; }

# wait_log FILE ERE [SECONDS]: waits until a line matches; prints the last match.
wait_log() {
        local i n=$((${3:-5} * 100))
        for ((i = 0; i < n; i++)); do
                if grep -Eq -- "$2" "$1" 2> /dev/null; then
                        grep -E -- "$2" "$1" | tail -1
                        return 0
                fi
                sleep 0.01
        done
        return 1
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" | head -1; }

D="" NSPID="" UNSHARE="" BOOT_ENV=() BOOT_SETUP=""
# boot NAME MODE ARGS...: MODE "pid1" (exec init as PID 1) or "sub" (PID 1 is bash, init its child).
# "main" runs $MAIN_INIT under the allocator logger if there is one. BOOT_ENV: more VAR=VALUE
# for init; BOOT_SETUP: more commands before init starts (both reset afterwards).
boot() {
        local name=$1 mode=$2 i preload="" init=$INIT
        [ "$name" = main ] && preload=$PRELOAD init=$MAIN_INIT
        shift 2
        D=$OUT/$name
        mkdir -p "$D"
        mkfifo "$D/ctl"
        {
                echo 'set -e'
                echo 'mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run'
                echo 'umount -R -l /sys/fs/cgroup 2> /dev/null || true'
                echo 'for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && [ "$n" != 255 ] && eval "exec $n>&-"; done'
                echo "$BOOT_SETUP"
                printf 'run=(env -i PATH=%q FAKE_DIR=%q SYSMASTER_CORE=%q SYSMASTER_HEARTBEAT_USEC=%q' \
                        "$PATH" "$D" "$FAKE" "$HB"
                [ ${#BOOT_ENV[@]} = 0 ] || printf ' %q' "${BOOT_ENV[@]}"
                printf ' ASAN_OPTIONS=%q UBSAN_OPTIONS=%q LD_PRELOAD=%q %q "$@")\n' "${ASAN_OPTIONS:-}" \
                        "${UBSAN_OPTIONS:-}" "$preload" "$init"
                if [ "$mode" = pid1 ]; then
                        echo 'exec "${run[@]}"'
                else
                        echo 'sleep 1000 & echo $! > /run/sibling.pid'
                        echo 'rc=0; "${run[@]}" || rc=$?'
                        echo 'kill -0 $(cat /run/sibling.pid) && echo "sibling alive" >> "$FAKE_DIR/sub.txt"'
                        echo 'exit $rc'
                fi
        } > "$D/setup.sh"
        sed -i "2i FAKE_DIR=$(printf %q "$D")" "$D/setup.sh"
        BOOT_ENV=() BOOT_SETUP=""
        unshare --pid --fork --mount --mount-proc --uts --ipc --net --cgroup \
                /bin/bash "$D/setup.sh" "$@" > "$D/init.log" 2>&1 < /dev/null &
        UNSHARE=$!
        NSPID=""
        for ((i = 0; i < 500; i++)); do
                NSPID=$(pgrep -P "$UNSHARE" | head -1)
                [ -n "$NSPID" ] && break
                sleep 0.01
        done
        # a namespace may also have run to its end already (an immediate crash action)
        local st
        st=$(cut -d' ' -f3 "/proc/$UNSHARE/stat" 2> /dev/null)
        [ -n "$NSPID" ] || [ -z "$st" ] || [ "$st" = Z ] || { echo "the namespace did not start"; cat "$D/init.log"; exit 1; }
}
ctl() { timeout 5 bash -c 'echo "$2" > "$1"' _ "$D/ctl" "$1" || fail "could not send '$1' to the manager"; }
manager_pid() { pgrep -P "$1" -x fake-manager | head -1; }
in_ns() { nsenter --target "$NSPID" --mount --pid -- "$@"; }
finish_ns() { # waits for the namespace to end (bounded), returns its exit status
        local i
        for ((i = 0; i < ${1:-1000}; i++)); do
                [ -d "/proc/$UNSHARE" ] || break
                sleep 0.01
        done
        [ -z "$NSPID" ] || kill -KILL "$NSPID" 2> /dev/null
        wait "$UNSHARE"
}
cleanup() { # PID 1 of a namespace: killing it ends the namespace
        [ -n "$UNSHARE" ] && [ -z "$NSPID" ] && NSPID=$(pgrep -P "$UNSHARE" | head -1)
        [ -n "$NSPID" ] && kill -KILL "$NSPID" 2> /dev/null
        [ -n "$UNSHARE" ] && wait "$UNSHARE" 2> /dev/null
}
trap cleanup EXIT

host_run() { ls -ld /run/sysmaster /run/systemd/system 2>&1 | sed 's/ [A-Z][a-z][a-z] .*:[0-9][0-9] / /'; }
host_run_before=$(host_run)

# ------------------------------------------------------------------------ boot "main"
step "boot: ${MAIN_INIT##*/} as PID 1, manager generation 1 says HELLO"
boot main pid1 --unit=test.target systemd.wants=a.service "two words" ""
M=$D/manager.log
if l=$(wait_log "$M" "gen=1 .* hello version=1 generation=1 heartbeat_usec=$HB"); then
        ok "$l"
else
        fail "no HELLO answer for generation 1"
fi
if [ -n "$PRELOAD" ]; then
        grep -q malloc-log.so "/proc/$NSPID/maps" && ok "allocator logger loaded into PID 1" ||
                fail "malloc-log.so is not loaded into init"
fi

step "argv is passed on to the manager unchanged"
l=$(grep -E '^gen=1 .* start ' "$M")
if [[ $l == *"argv=[--unit=test.target] [systemd.wants=a.service] [two words] [] "* ]]; then
        ok "${l#*argv=}"
else
        fail "argv: $l"
fi

step "the first manager's heap on small pages: no GLIBC_TUNABLES from init (a restarted one gets it)"
[[ $l == *" tunables=[]" ]] && ok "init set none for generation 1: ${l##* }" || fail "tunables: $l"

step "API file systems and directories (inside the namespace only)"
fs=$(in_ns stat -fc %T /sys/fs/cgroup)
if [ "$fs" = cgroup2fs ] && grep -q "mounted cgroup2 on /sys/fs/cgroup" "$D/init.log"; then
        ok "init mounted cgroup2 on /sys/fs/cgroup"
else
        fail "cgroup2: $fs"
fi
if in_ns test -d /run/systemd/system && in_ns test -d /run/sysmaster; then
        ok "/run/systemd/system and /run/sysmaster exist ($(in_ns stat -c %a /run/sysmaster))"
else
        fail "directories below /run missing"
fi

step "zombies are reaped: 5 orphaned grandchildren exit 7"
ctl "orphans 5 7 0"
for ((i = 0; i < 100; i++)); do
        [ "$(grep -Ec '^gen=1 .* record .* code=exited status=7 ' "$M")" -ge 5 ] && break
        sleep 0.02
done
orphans=$(grep -E '^gen=1 .* orphan pid=' "$M" | sed 's/.* orphan pid=//' | sort -n | tr '\n' ' ')
records=$(grep -E '^gen=1 .* record .* status=7 ' "$M" |
        sed 's/.* record serial=[0-9]* pid=\([0-9]*\).*/\1/' | sort -n | tr '\n' ' ')
zombies=$(in_ns sh -c 'grep -l "^State:.*Z" /proc/[0-9]*/status 2> /dev/null | wc -l')
if [ -n "$orphans" ] && [ "$orphans" = "$records" ] && [ "$zombies" = 0 ]; then
        ok "records for PIDs $orphans, no zombie left in the namespace"
else
        fail "orphans [$orphans] records [$records] zombies $zombies"
fi

step "manager SIGKILLed: restarted at once as generation 2, gets the record of a service that died meanwhile"
echo "hello-delay-ms=800" > "$D/gen2.conf" # manager 2 connects only after the service died
ctl "service 42 100" # exits 100 ms after manager 1 died
svc=$(wait_log "$M" '^gen=1 .* service pid=' | field pid)
mgr=$(manager_pid "$NSPID")
t0=$(now_us)
kill -KILL "$mgr"
if l=$(wait_log "$M" '^gen=2 .* start '); then
        t1=$(echo "$l" | field realtime_us)
        echo "   restart latency (SIGKILL -> new manager running): $(((t1 - t0) / 1000)).$(((t1 - t0) % 1000 / 100)) ms"
        [ $((t1 - t0)) -lt 2000000 ] && ok "generation 2 started" || fail "restart took more than 2 s"
        # a restarted manager restores its state: its heap on huge pages
        [[ $l == *" tunables=[glibc.malloc.hugetlb=1]" ]] && ok "init set ${l##* } for generation 2" ||
                fail "generation 2 tunables: $l"
else
        fail "no generation 2"
fi
if l=$(wait_log "$M" "^gen=2 .* record .* pid=$svc code=exited status=42 "); then
        reaped=$(echo "$l" | field reaped_realtime_us)
        hello=$(grep -E '^gen=2 .* sending hello' "$M" | field realtime_us)
        ok "record pid=$svc exited 42, reaped $(((reaped - t0) / 1000)) ms after the kill," \
                "$(((hello - reaped) / 1000)) ms before manager 2 said HELLO"
        grep -q "generation=2 " <(grep -E '^gen=2 .* hello version' "$M") || fail "HELLO answer without generation 2"
else
        fail "generation 2 did not get the record of PID $svc"
fi
grep -q "was killed by SIGKILL" "$D/init.log" && ok "init: $(grep -m1 'was killed by SIGKILL' "$D/init.log")"

step "fd store: a pipe put by manager 2 is readable by manager 3; REMOVE and errors"
ctl "put store1 hello-from-gen2"
ctl "put store2 second"
ctl "remove store2"
ctl "remove nosuch"
ctl "bad"
ino=$(wait_log "$M" '^gen=2 .* put name=store1 ' | field ino)
wait_log "$M" '^gen=2 .* error type=99 errno=95' > /dev/null || fail "unknown message type not answered with EOPNOTSUPP"
if l=$(wait_log "$M" '^gen=2 .* error type=6 errno=2 name=nosuch'); then
        ok "REMOVE of an unknown name: ENOENT with the name; unknown type 99: EOPNOTSUPP"
else
        fail "no ENOENT for remove nosuch"
fi
kill -KILL "$(manager_pid "$NSPID")"
if l=$(wait_log "$M" "^gen=3 .* fd name=store1 n=2 ino=$ino data=hello-from-gen2"); then
        ok "${l#* fd }"
else
        fail "generation 3 did not get store1 (pipe inode $ino)"
fi
wait_log "$M" '^gen=3 .* fdstore-end' > /dev/null || fail "no FDSTORE_END"
grep -q '^gen=3 .* fd name=store2' "$M" && fail "store2 was removed but came back"

step "hung manager (no heartbeat): killed after 3 intervals, generation 4 gets the unacknowledged record"
ctl "noack"
ctl "orphans 1 9 0"
orphan=$(wait_log "$M" "^gen=3 .* record .* status=9 " | sed 's/.* pid=\([0-9]*\) code.*/\1/')
ctl "hang"
t0=$(now_us)
if l=$(wait_log "$M" '^gen=4 .* start ' 10); then
        t1=$(echo "$l" | field realtime_us)
        ms=$(((t1 - t0) / 1000))
        echo "   hang -> new manager: $ms ms (heartbeat interval $((HB / 1000)) ms, 3 missed)"
        [ "$ms" -ge $((2 * HB / 1000)) ] && ok "killed after the heartbeat timeout" || fail "killed too early"
        grep -q "missed 3 heartbeats" "$D/init.log" && ok "init: $(grep -m1 'missed 3 heartbeats' "$D/init.log")"
else
        fail "the hung manager was not replaced"
fi
if wait_log "$M" "^gen=4 .* record .* pid=$orphan code=exited status=9 " > /dev/null; then
        ok "record of PID $orphan sent again to generation 4"
else
        fail "unacknowledged record of PID $orphan not resent"
fi

step "SIGTERM: init re-executes itself; manager, channel, records, store and generation survive"
ctl "noack"
ctl "orphans 1 11 0"
wait_log "$M" '^gen=4 .* record .* status=11 ' > /dev/null || fail "no record 11"
mgr=$(manager_pid "$NSPID")
fds() { for f in /proc/"$NSPID"/fd/*; do echo "${f##*/}:$(readlink "$f")"; done | sort | tr '\n' ' '; }
fds_before=$(fds)
kill -TERM "$NSPID"
if l=$(wait_log "$D/init.log" "re-executed: manager PID"); then
        ok "init: ${l#sysmaster-init: }"
else
        fail "init did not re-execute"
fi
fds_after=$(fds)
[ "$(manager_pid "$NSPID")" = "$mgr" ] && ok "manager still PID $mgr (host view)" || fail "manager changed"
[ "$fds_before" = "$fds_after" ] && ok "init's fds before and after: $fds_after" || fail "fds $fds_before -> $fds_after"
ctl "hello" # as a manager re-executed in place would: the store and unacknowledged records again
for ((i = 0; i < 200; i++)); do
        [ "$(grep -Ec '^gen=4 .* record .* status=11 ' "$M")" -ge 2 ] && break
        sleep 0.01
done
if [ "$(grep -Ec '^gen=4 .* fd name=store1 n=2 .*data=hello-from-gen2' "$M")" -ge 2 ] &&
        [ "$(grep -Ec '^gen=4 .* record .* status=11 ' "$M")" -ge 2 ]; then
        ok "a second HELLO gets store1 and the unacknowledged record (status 11) again"
else
        fail "store or records lost across re-exec"
fi
ctl "ack"
ctl "orphans 1 12 0"
wait_log "$M" '^gen=4 .* record .* status=12 ' > /dev/null && ok "new records flow after re-exec" ||
        fail "no record after re-exec"
kill -KILL "$mgr"
wait_log "$M" '^gen=5 .* hello version=1 generation=5 ' > /dev/null && ok "next manager is generation 5" ||
        fail "generation did not survive re-exec"

# signals_forwarded GEN: the signals systemd's PID 1 reacts to, sent to init, reach manager
# generation GEN as SIGNAL messages. kill(1) numbers SIGRTMIN as glibc and systemctl do (34),
# whatever C library init was built with (musl's SIGRTMIN is 35).
signals_forwarded() {
        local sig got=""
        for sig in INT HUP WINCH PWR RTMIN RTMIN+4 RTMIN+24 RTMIN+29; do
                kill -s "$sig" "$NSPID"
                if wait_log "$M" "^gen=$1 .* signal $(kill -l "$sig")\$" > /dev/null; then
                        got="$got $sig"
                else
                        fail "SIG$sig (signal $(kill -l "$sig")) not forwarded by ${2##*/}"
                fi
        done
        ok "forwarded by ${2##*/}:$got"
}

step "SIGINT (ctrl-alt-del), SIGHUP, SIGWINCH, SIGPWR, SIGRTMIN+0, +4, +24, +29 reach the manager"
signals_forwarded 5 "$MAIN_INIT"

step "SHUTDOWN exit 3: every process is killed (SIGKILL after SIGTERM is ignored), the namespace exits 3"
ctl "orphans 2 0 60000"
ctl "stubborn 60000"
wait_log "$M" '^gen=5 .* command stubborn' > /dev/null
sleep 0.2
victims=$(pgrep -P "$NSPID" | tr '\n' ' ')
t0=$(now_us)
ctl "shutdown exit 3"
finish_ns 2000
rc=$?
echo "   shutdown took $((($(now_us) - t0) / 1000)) ms"
[ "$rc" = 3 ] && ok "exit status 3" || fail "exit status $rc"
alive=""
for p in $victims; do [ -d "/proc/$p" ] && alive="$alive $p"; done
[ -z "$alive" ] && ok "no process left ($victims)" || fail "still alive:$alive"
grep -q "sending SIGKILL" "$D/init.log" && ok "init: $(grep -m1 'sending SIGKILL' "$D/init.log")" ||
        fail "no SIGKILL round"
NSPID="" UNSHARE=""

# ------------------------------------------------------------------------ boot "loop"
step "crash loop: 5 managers exit at once, the 6th start waits (back-off), logged loudly"
mkdir -p "$OUT/loop"
for g in 1 2 3 4 5; do echo "exit=1" > "$OUT/loop/gen$g.conf"; done
boot loop pid1
M=$D/manager.log
if l=$(wait_log "$M" '^gen=6 .* start ' 10); then
        t5=$(grep -E '^gen=5 .* start ' "$M" | field realtime_us)
        t6=$(echo "$l" | field realtime_us)
        echo "   generation 5 -> 6: $(((t6 - t5) / 1000)) ms"
        [ $((t6 - t5)) -ge 900000 ] && ok "back-off before generation 6" || fail "no back-off"
        grep -q "KEEPS FAILING" "$D/init.log" && ok "init: $(grep -m1 'KEEPS FAILING' "$D/init.log")" ||
                fail "no crash-loop message"
else
        fail "no generation 6"
fi
step "SHUTDOWN reboot as PID 1 of a PID namespace: exits with the given status (4)"
wait_log "$M" '^gen=6 .* hello version' > /dev/null
ctl "shutdown reboot 4"
finish_ns
rc=$?
[ "$rc" = 4 ] && ok "exit status 4" || fail "exit status $rc"
NSPID="" UNSHARE=""

# ------------------------------------------------------------------------ boots "freeze", "reboot", "shell"
step "crash limit, freeze (burst 2, limit 1): the 3rd death stops the restarts, init still reaps"
mkdir -p "$OUT/freeze"
for g in 1 2 3 4; do echo "exit=1" > "$OUT/freeze/gen$g.conf"; done
BOOT_ENV=(SYSMASTER_RESTART_BURST=2 SYSMASTER_CRASH_LIMIT=1 SYSMASTER_CRASH_ACTION=freeze
          GLIBC_TUNABLES=glibc.malloc.arena_max=1)
boot freeze pid1
M=$D/manager.log
if l=$(wait_log "$D/init.log" "crash action freeze" 10); then
        n=$(grep -Ec '^gen=[0-9]+ .* start .* tunables=\[glibc.malloc.arena_max=1\]$' "$M")
        [ "$n" = 3 ] && ok "the administrator's GLIBC_TUNABLES reached all 3 managers unchanged" ||
                fail "GLIBC_TUNABLES: $(grep -E ' start ' "$M")"
        ok "init: ${l#sysmaster-init: }"
        grep -q "status 1 before HELLO: starting a new one" "$D/init.log" &&
                grep -q "status 1 before HELLO: THE MANAGER KEEPS FAILING, back-off 1 of 1, next start in 1 s" "$D/init.log" &&
                ok "decisions logged with the exit: restart at once, back-off 1 of 1, freeze" ||
                fail "decision log lines missing"
        sleep 2.2 # longer than the next back-off (2 s) would have been
        n=$(grep -Ec '^gen=[0-9]+ .* start ' "$M")
        [ "$n" = 3 ] && ok "3 managers started, then none" || fail "$n managers started"
        pid=$(in_ns sh -c 'sleep 0.1 & echo $!') # an orphan: the namespace's PID 1 inherits it
        sleep 0.5
        in_ns test -e "/proc/$pid" && fail "orphan $pid not reaped" ||
                ok "an orphan (PID $pid in the namespace) was reaped while frozen"
        kill -0 "$NSPID" && ok "init still runs as PID 1" || fail "init is gone"
else
        fail "no crash action"
fi
kill -KILL "$NSPID"
wait "$UNSHARE"
NSPID="" UNSHARE=""

step "crash limit, reboot (burst 1, limit 0): the 1st death reboots: PID 1 of a PID namespace exits 1"
mkdir -p "$OUT/reboot"
echo "exit=1" > "$OUT/reboot/gen1.conf"
BOOT_ENV=(SYSMASTER_RESTART_BURST=1 SYSMASTER_CRASH_LIMIT=0 SYSMASTER_CRASH_ACTION=reboot)
boot reboot pid1
finish_ns
rc=$?
[ "$rc" = 1 ] && ok "exit status 1" || fail "exit status $rc"
l=$(grep -m1 "crash action reboot" "$D/init.log") && ok "init: ${l#sysmaster-init: }" ||
        fail "no crash action reboot"
n=$(grep -Ec '^gen=[0-9]+ .* start ' "$D/manager.log")
[ "$n" = 1 ] && ok "1 manager started" || fail "$n managers started"
NSPID="" UNSHARE=""

step "crash limit, shell: a rescue shell on /dev/console; when it exits, the manager is tried again"
mkdir -p "$OUT/shell"
echo "exit=1" > "$OUT/shell/gen1.conf"
cat > "$OUT/shell/fake-sh" << 'EOF'
#!/bin/bash
# Bind-mounted on /bin/sh in the "shell" boot: logs how init started it, lives 1.5 s.
echo "shell pid=$$ sid=$(cut -d' ' -f6 /proc/$$/stat) stdin=$(readlink /proc/self/fd/0)" \
        "stderr=$(readlink /proc/self/fd/2) args=$#" >> "$FAKE_DIR/shell.log"
sleep 1.5
echo "shell exits" >> "$FAKE_DIR/shell.log"
EOF
chmod +x "$OUT/shell/fake-sh"
BOOT_ENV=(SYSMASTER_RESTART_BURST=1 SYSMASTER_CRASH_LIMIT=0 SYSMASTER_CRASH_ACTION=shell)
BOOT_SETUP='touch "$FAKE_DIR/console"
mount --bind "$FAKE_DIR/console" /dev/console
mount --bind "$FAKE_DIR/fake-sh" /bin/sh'
boot shell pid1
M=$D/manager.log
if l=$(wait_log "$D/shell.log" "^shell pid=" 10); then
        pid=$(echo "$l" | field pid) sid=$(echo "$l" | field sid)
        [ "$pid" = "$sid" ] && [[ $l == *"stdin=/dev/console stderr=/dev/console args=0" ]] &&
                ok "shell: $l" || fail "shell: $l"
        grep -q "Rescue shell" "$D/console" && ok "console: $(grep -m1 'Rescue shell' "$D/console")" ||
                fail "no banner on the console"
        grep -q "rescue shell /bin/sh on /dev/console: PID" "$D/init.log" || fail "rescue shell not logged"
else
        fail "no rescue shell"
fi
if l=$(wait_log "$M" '^gen=2 .* hello version' 10); then
        grep -q "shell exits" "$D/shell.log" && ok "after the shell: generation 2 said HELLO" ||
                fail "generation 2 started while the shell ran"
        l=$(grep -m1 "rescue shell PID" "$D/init.log") && ok "init: ${l#sysmaster-init: }"
else
        fail "no manager after the shell"
fi
ctl "shutdown exit 0"
finish_ns
rc=$?
[ "$rc" = 0 ] && ok "exit status 0" || fail "exit status $rc"
NSPID="" UNSHARE=""

# ------------------------------------------------------------------------ boot "sub"
step "not PID 1: a subreaper that reaps, logs to stderr, kills only its descendants, exits 5"
boot sub sub
M=$D/manager.log
wait_log "$M" '^gen=1 .* hello version' > /dev/null || fail "no HELLO"
ctl "orphans 1 6 0"
wait_log "$M" '^gen=1 .* record .* status=6 ' > /dev/null && ok "orphan reaped by the subreaper" ||
        fail "no record"
ctl "shutdown poweroff 5"
finish_ns
rc=$?
[ "$rc" = 5 ] && ok "exit status 5" || fail "exit status $rc"
grep -q "sibling alive" "$D/sub.txt" 2> /dev/null && ok "a process outside init's tree survived" ||
        fail "init killed a process that is not its descendant"
grep -q "mounted" "$D/init.log" && fail "init mounted something while not PID 1"
NSPID="" UNSHARE=""

# ------------------------------------------------------------------------ boot "rss"
# rss_check WHEN: VmRSS of PID 1 under 1 MiB (its binary's pages included), and RssAnon under
# 256 kB: the 200 kB of InitState cost memory only where they are used (a memset of it, or a
# re-exec restoring all of it, would show here).
rss_check() {
        local st rss anon
        st=$(grep -E '^(VmRSS|RssAnon|RssFile):' "/proc/$NSPID/status" | tr -s ' \t\n' ' ')
        st=${st% }
        rss=$(echo "$st" | sed -n 's/.*VmRSS: \([0-9]*\) kB.*/\1/p')
        anon=$(echo "$st" | sed -n 's/.*RssAnon: \([0-9]*\) kB.*/\1/p')
        if nm -u "$INIT" | grep -q __asan; then
                echo "   skipped: sanitizer build ($1: $st)"
        elif grep -qx 'S\["STATIC_INIT_TRUE"\]="#"' "$B/config.status" 2> /dev/null; then
                echo "   skipped: configured without a static init (--disable-static-init, no libc.a): $1: $st"
        elif nm -u "$INIT" | grep -q .; then
                fail "$1: configured to link sysmaster-init statically, but it is dynamic: $st"
        elif [ -n "$rss" ] && [ -n "$anon" ] && [ "$rss" -lt 1024 ] && [ "$anon" -lt 256 ]; then
                ok "$1: $st"
        else
                fail "$1: PID 1 uses too much memory (1 MiB, 256 kB anonymous at most): $st"
        fi
}
step "memory: RSS of PID 1 under 1 MiB after boot and after a re-exec (with records and fd store)"
boot rss pid1
M=$D/manager.log
wait_log "$M" '^gen=1 .* hello version' > /dev/null || fail "no HELLO"
ctl "put store1 kept"
ctl "orphans 3 8 0"
wait_log "$M" '^gen=1 .* put name=store1 ' > /dev/null || fail "store1 not put"
for ((i = 0; i < 100; i++)); do
        [ "$(grep -Ec '^gen=1 .* record .* status=8 ' "$M")" -ge 3 ] && break
        sleep 0.02
done
sleep 0.2
rss_check "after boot"
kill -TERM "$NSPID"
wait_log "$D/init.log" "re-executed: manager PID" > /dev/null || fail "init did not re-execute"
sleep 0.2
rss_check "after re-exec"
kill -KILL "$(manager_pid "$NSPID")"
wait_log "$M" '^gen=2 .* fd name=store1 n=2 .*data=kept' > /dev/null &&
        ok "${INIT##*/} re-executed itself with its state: generation 2 gets store1" ||
        fail "store1 lost across the re-exec of $INIT"
signals_forwarded 2 "$INIT"
ctl "shutdown exit 0"
finish_ns
rc=$?
[ "$rc" = 0 ] && ok "exit status 0" || fail "exit status $rc"
NSPID="" UNSHARE=""

# ------------------------------------------------------------------------ static checks
step "the host's /run is untouched"
[ "$(host_run)" = "$host_run_before" ] && ok "/run/sysmaster, /run/systemd/system as before" || fail "host /run changed"

step "size: src/init under 1000 lines"
lines=$(cat "$SRC"/src/init/*.[ch] | wc -l)
[ "$lines" -lt 1000 ] && ok "$lines lines" || fail "$lines lines"

step "no heap: ${DYN##*/} imports no allocator"
if nm -u "$DYN" | grep -q __asan; then
        echo "   skipped: sanitizer build (the sanitizer runtime allocates)"
else
        pat='malloc|calloc|realloc|reallocarray|free|strdup|strndup|asprintf|vasprintf'
        alloc=$(nm -u "$DYN" | grep -Ew "$pat|opendir|fopen|setenv|putenv|posix_memalign|aligned_alloc")
        [ -z "$alloc" ] && ok "none of malloc/calloc/realloc/free/strdup/asprintf/opendir/fopen/setenv" ||
                fail "imports: $alloc"
fi
if [ -n "$PRELOAD" ]; then
        n=$(grep -c '^MALLOC-LOG pid=1 ' "$OUT/main/init.log")
        [ "$n" = 0 ] && ok "0 allocator calls by PID 1 (libc's own included) in the whole main boot" ||
                fail "$n allocator calls by PID 1: $(grep -m3 '^MALLOC-LOG pid=1 ' "$OUT/main/init.log" | tr '\n' ' ')"
else
        echo "   skipped: run-time allocator log (sanitizer build or no C compiler)"
fi


echo
if [ "$failures" = 0 ]; then
        echo "test-init: all steps passed (outputs in $OUT)"
        exit 0
fi
echo "test-init: $failures failure(s); init logs:"
tail -n 30 "$OUT"/*/init.log
exit 1
