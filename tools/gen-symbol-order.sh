#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/gen-symbol-order.sh BUILDDIR [OUT]: writes the manager's symbol ordering file (default
# src/core/sysmaster.order of this tree), which configure passes to lld
# (--symbol-ordering-file) for the static sysmaster binary.
#
# Why: a file-backed page of a binary is resident once the process touched it, and the kernel
# maps the cached pages around a fault with it (fault-around, 64 KiB windows), so a static
# manager whose executed functions are scattered over its 1.6 MB of text (a third of it glibc)
# has nearly all of it resident. Listed first, the functions a manager runs sit in a few
# windows and the rest is never mapped.
#
# How: the manager of BUILDDIR runs under valgrind's callgrind as the manager of a sandbox
# (tools/sysmaster-sandbox) booting the unit tree of bench/boot (100 Type=simple services,
# generated) plus a socket and a oneshot, then serves the commands of a typical session
# (list-units, status, show, cat, start/stop/restart, daemon-reload). Every function
# that ran is listed in callgrind's order (which moves a little from run to run; sorted, the
# same set measured ~90 kB more resident after boot), with what callgrind cannot see: the IFUNC
# resolvers of the C library (run before main()), the AVX2, EVEX and AVX-512 variants of its string
# functions that ran (valgrind's CPU picks one, the machine another) and what the child of
# posix_spawn() runs in the manager's memory. A function missing from
# the file costs memory, never correctness: it is placed after the listed ones.
# Needs root, valgrind and a build without sanitizers.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: $0 BUILDDIR [OUT]}" && pwd)
out=${2:-$top/src/core/sysmaster.order}
command -v valgrind > /dev/null || { echo "valgrind is not installed" >&2; exit 1; }

work=$(mktemp -d /var/tmp/gen-symbol-order.XXXXXX)
export SYSMASTER_SANDBOX_STATE=$work/state
trap '"$top/tools/sysmaster-sandbox" stop > /dev/null 2>&1 || true; rm -rf "$work"' EXIT

units=$work/units
mkdir -p "$units"
"$top/bench/boot/lib/gen-units.sh" "$units" 100 simple > /dev/null
cat > "$units/probe.socket" << 'EOF'
[Unit]
DefaultDependencies=no
[Socket]
ListenStream=/run/probe.sock
EOF
cat > "$units/probe.service" << 'EOF'
[Unit]
DefaultDependencies=no
[Service]
ExecStart=/bin/sleep infinity
EOF
cat > "$units/once.service" << 'EOF'
[Unit]
DefaultDependencies=no
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
EOF

cat > "$work/core.sh" << EOF
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file=/run/sandbox/cg.out --log-file=/run/sandbox/vg.log $build/sysmaster "\$@"
EOF
chmod +x "$work/core.sh"
"$top/tools/sysmaster-sandbox" start -b "$build" --core "$work/core.sh" -u "$units" \
        -e SYSMASTER_HEARTBEAT_USEC=0 --log-level notice -U bench.target -w -T 600 > /dev/null
run() { "$top/tools/sysmaster-sandbox" run -- "$@" > /dev/null 2>&1 || true; }
run systemctl list-units --no-pager
run systemctl list-units --all --no-pager 'svc-*'
run systemctl start probe.socket once.service
for k in 1 2 3; do
        run systemctl stop "svc-$k.service"
        run systemctl start "svc-$k.service"
done
run systemctl restart svc-4.service
run systemctl status svc-5.service --no-pager
run systemctl status --no-pager
run systemctl show svc-6.service
run systemctl is-active svc-7.service
run systemctl list-jobs --no-pager
run systemctl cat svc-8.service
run systemctl list-dependencies bench.target --no-pager
run systemctl daemon-reload
run systemctl daemon-reload
run systemctl is-system-running
run callgrind_control -d
dump=$(ls "$work"/state/cg.out.* | head -n 1)
nm "$build/sysmaster" > "$work/nm"

{
        # callgrind's function names, in the order they first ran (call order: neighbours)
        sed -n -E 's/^c?fn=\([0-9]+\) (.*)$/\1/p' "$dump" | sed -E "s/'.*//" | grep -v '^0x'
        # IFUNC resolvers: the symbol, and the local name of the code at its address
        awk '$2 == "i" { print $3 }' "$work/nm"
        awk '$2 == "i" { addr[$1] = 1 } $2 ~ /^[tT]$/ { name[$1] = name[$1] " " $3 }
                END { for (a in addr) { n = split(name[a], w, " "); for (i = 1; i <= n; i++) print w[i] } }' "$work/nm"
        # what the child of glibc's posix_spawn() runs in our memory (CLONE_VM) before its exec
        printf '%s\n' __spawni_child __libc_sigaction __sigprocmask __dup2 __execve __chdir __fchdir \
                __close_nocancel __open_nocancel __libc_openat64 __setsid __setpgid __close_range _exit
        # the vector variants of every string function that ran
        sed -n -E 's/^c?fn=\([0-9]+\) __([a-z]+)_(avx2|evex|sse2|sse42|ssse3).*/\1/p' "$dump" | sort -u |
                while read -r base; do
                        awk -v b="__${base}_" '$2 ~ /^[tT]$/ && index($3, b) == 1 && $3 ~ /avx2|evex|avx512/ { print $3 }' "$work/nm"
                done
} | awk '!seen[$0]++' > "$out.tmp"
mv "$out.tmp" "$out"
echo "$(wc -l < "$out") symbols in $out"
