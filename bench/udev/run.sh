#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/udev/run.sh [-b BUILDDIR] [-r ROUNDS] [-m MEMROUNDS] [-o OUTDIR]: devmaster and
# systemd-udevd 252 side by side on this machine's real devices with Debian's udev rules.
#
# Each daemon runs alone in `unshare --mount --pid --fork --net --mount-proc`, set up exactly
# as for the differential test (test/integration/lib/devmaster-diff-ns.sh: tmpfs /run, a
# tmpfs /dev of copied device nodes, the udev package's rules, helpers, .link files and a
# hwdb.bin built by its systemd-hwdb, read-only /sys and /proc/sys; nothing of the host is
# written). bench/udev/drive.py replays the "add" uevents of every device (what `udevadm
# trigger` makes the kernel send, built read-only from /sys): systemd-udevd gets them from the
# kernel itself (the kernel's uevent injection into the private network namespace), devmaster
# on its test socket. It times ROUNDS rounds (default 15) after a cold one, each from the first
# send to the daemon's broadcast of the last event, then samples the memory of the daemon and
# its workers during MEMROUNDS more rounds (default 3). Configurations: the default
# children_max of each daemon, and --children-max=1. The order alternates (udevd, devmaster,
# devmaster, udevd) to spread the drift of a shared machine.
#
# BUILDDIR (default: the current directory) must hold a devmaster built without sanitizers;
# udevadm/systemd-udevd come from the udev package (test/unit/devmaster/get-udevadm.sh, cached in
# BUILDDIR/test/udev-252.cache). Root only. Prints a table and the ratios; raw JSON in OUTDIR
# (default: a temporary directory, removed).
set -euo pipefail

top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
. "$top_srcdir/bench/udev/lib.sh"
if [ "${1:-}" = --inner ]; then
        udev_bench_daemon "$2" "$3" "$ROUNDS" "$MEMROUNDS" "$4"
        exit 0
fi

BUILDDIR=$PWD ROUNDS=15 MEMROUNDS=3 OUTDIR=
while getopts b:r:m:o: opt; do
        case $opt in
        b) BUILDDIR=$(cd "$OPTARG" && pwd) ;;
        r) ROUNDS=$OPTARG ;;
        m) MEMROUNDS=$OPTARG ;;
        o) OUTDIR=$OPTARG ;;
        *) echo "usage: $0 [-b BUILDDIR] [-r ROUNDS] [-m MEMROUNDS] [-o OUTDIR]"; exit 2 ;;
        esac
done
[ "$(id -u)" = 0 ] || { echo "bench/udev: needs root"; exit 77; }
if grep -q '^SAN_CFLAGS = .*-fsanitize' "$BUILDDIR/Makefile" 2> /dev/null; then
        echo "bench/udev: warning: $BUILDDIR is a sanitizer build, the figures are not meaningful"
fi
udev_bench_prepare "$BUILDDIR" bench-udev
[ -n "$OUTDIR" ] || OUTDIR=$W/out
mkdir -p "$OUTDIR"
export ROUNDS MEMROUNDS

for children in default 1; do
        for kind in udevd devmaster devmaster udevd; do
                n=1; [ -e "$OUTDIR/$kind-$children-1.json" ] && n=2
                timeout -k 10 900 unshare --kill-child --mount --pid --fork --net --mount-proc --propagation private \
                        bash "$0" --inner "$kind" "$children" "$OUTDIR/$kind-$children-$n.json"
        done
done

"$PYTHON" - "$OUTDIR" << 'PYEOF'
import json, statistics, sys, os
out = sys.argv[1]
def load(kind, ch):
    r = {"round_s": [], "cold_s": [], "rss": 0, "pss": 0, "procs": 0, "hwm": 0, "events": 0}
    for n in (1, 2):
        d = json.load(open(os.path.join(out, "%s-%s-%d.json" % (kind, ch, n))))
        r["round_s"] += d["round_s"]; r["cold_s"].append(d["cold_s"]); r["events"] = d["events"]
        r["rss"] = max(r["rss"], d["peak"]["rss_kb"]); r["pss"] = max(r["pss"], d["peak"]["pss_kb"])
        r["procs"] = max(r["procs"], d["peak"]["processes"]); r["hwm"] = max(r["hwm"], d["daemon_hwm_kb"])
    t = sorted(r["round_s"])
    r["eps_med"] = r["events"] / statistics.median(t)
    # p90: the round at the 90th percentile of duration (the slow tail), as events per second
    r["eps_p90"] = r["events"] / t[min(len(t) - 1, int(round(0.9 * (len(t) - 1))))]
    r["eps_cold"] = r["events"] / statistics.median(r["cold_s"])
    return r
print("%-10s %-8s %8s %8s %8s %9s %9s %6s %9s" % ("children", "daemon", "ev/s med", "ev/s p90",
      "ev/s cold", "peakRSS", "peakPSS", "procs", "mainHWM"))
for ch in ("default", "1"):
    res = {k: load(k, ch) for k in ("udevd", "devmaster")}
    for k, r in res.items():
        print("%-10s %-8s %8.0f %8.0f %8.0f %7.1fMB %7.1fMB %6d %7.1fMB" % (ch, k, r["eps_med"], r["eps_p90"],
              r["eps_cold"], r["rss"] / 1024, r["pss"] / 1024, r["procs"], r["hwm"] / 1024))
    u, d = res["udevd"], res["devmaster"]
    print("%-10s ratios devmaster/udevd: throughput median %.2fx, p90 %.2fx, cold %.2fx; "
          "peak RSS %.2f, peak PSS %.2f" % (ch, d["eps_med"] / u["eps_med"], d["eps_p90"] / u["eps_p90"],
          d["eps_cold"] / u["eps_cold"], d["rss"] / u["rss"], d["pss"] / u["pss"]))
print("%d events per round, %d timed rounds per daemon and configuration" % (u["events"], len(u["round_s"])))
PYEOF
