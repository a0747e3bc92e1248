#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/udev/syscalls.sh [-b BUILDDIR] [-c CHILDREN] [-r ROUNDS]: system calls per round of
# devmaster and systemd-udevd 252, the daemon, its workers and the programs they run
# (`strace -c -f`), in the namespaces of bench/udev/run.sh (same setup, same uevents, same
# driver). Each daemon runs twice, with a cold round only and with the cold round plus ROUNDS
# (default 10): the difference divided by ROUNDS is one warm round, start-up and cold round
# excluded. Unlike wall times, these counts do not move with the load of the machine.
# CHILDREN: "default" or a number (default 1). Root only.
set -euo pipefail

top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
. "$top_srcdir/bench/udev/lib.sh"
if [ "${1:-}" = --inner ]; then
        out=$5
        udev_bench_daemon "$2" "$3" "$4" 0 "$out.json" strace -c -f -o "$out.strace"
        exit 0
fi

BUILDDIR=$PWD CHILDREN=1 ROUNDS=10
while getopts b:c:r: opt; do
        case $opt in
        b) BUILDDIR=$(cd "$OPTARG" && pwd) ;;
        c) CHILDREN=$OPTARG ;;
        r) ROUNDS=$OPTARG ;;
        *) echo "usage: $0 [-b BUILDDIR] [-c CHILDREN] [-r ROUNDS]"; exit 2 ;;
        esac
done
[ "$(id -u)" = 0 ] || { echo "bench/udev: needs root"; exit 77; }
command -v strace > /dev/null || { echo "bench/udev: needs strace"; exit 77; }
udev_bench_prepare "$BUILDDIR" bench-udev-syscalls
mkdir -p "$W/out"

for kind in udevd devmaster; do
        for r in 0 "$ROUNDS"; do
                timeout -k 10 900 unshare --kill-child --mount --pid --fork --net --mount-proc --propagation private \
                        bash "$0" --inner "$kind" "$CHILDREN" "$r" "$W/out/$kind-$r"
        done
done

"$PYTHON" - "$W/out" "$ROUNDS" "$CHILDREN" << 'PYEOF'
import os, re, sys
out, rounds, children = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(p):
    d = {}
    for line in open(p):
        f = line.split()
        if len(f) >= 5 and re.match(r"^[\d.]+$", f[0]) and f[-1] != "total":
            d[f[-1]] = d.get(f[-1], 0) + int(f[3])
    return d
res = {}
for k in ("udevd", "devmaster"):
    a, b = load(os.path.join(out, "%s-0.strace" % k)), load(os.path.join(out, "%s-%d.strace" % (k, rounds)))
    res[k] = {s: (b.get(s, 0) - a.get(s, 0)) / rounds for s in set(a) | set(b)}
names = sorted(set(res["udevd"]) | set(res["devmaster"]), key=lambda s: -(res["udevd"].get(s, 0) + res["devmaster"].get(s, 0)))
print("system calls per round (children_max %s, %d warm rounds)" % (children, rounds))
print("%-18s %9s %9s" % ("", "udevd", "devmaster"))
for s in names[:20]:
    print("%-18s %9.0f %9.0f" % (s, res["udevd"].get(s, 0), res["devmaster"].get(s, 0)))
tu, td = sum(res["udevd"].values()), sum(res["devmaster"].values())
print("%-18s %9.0f %9.0f   ratio devmaster/udevd %.2f" % ("total", tu, td, td / tu))
PYEOF
