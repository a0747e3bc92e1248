#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Summarise busbench RESULT lines: median over repetitions per (scenario, daemon) for the
headline metrics, then the figures the bus benchmark is judged on with the ratios
busmaster/dbus-broker and busmaster/dbus-daemon (lower is better for every figure).

usage: summarize.py results.txt
"""
import statistics
import sys
from collections import defaultdict

KEYS = {
    "rtt": ["calls_per_s", "lat_p50_us", "lat_p99_us", "daemon_cpu_us_per_call"],
    "signal": ["deliveries_per_s", "lat_p50_us", "lat_p99_us", "daemon_cpu_us_per_delivery"],
    "connect": ["conns_per_s", "setup_p50_us", "setup_p99_us", "daemon_cpu_us_per_conn"],
    "raw": ["roundtrips_per_s", "lat_p50_us", "lat_p99_us"],
    "memory": ["daemon_rss_before_kb", "daemon_pss_before_kb", "bytes_per_conn_rss", "bytes_per_conn_pss"],
}
# (label, scenario, metric): every one is "less is better"
FIGURES = [
    ("CPU µs per method call, 1 client", "rtt1", "daemon_cpu_us_per_call"),
    ("CPU µs per method call, 4 clients", "rtt4", "daemon_cpu_us_per_call"),
    ("CPU µs per method call, 16 KiB", "rtt1-16k", "daemon_cpu_us_per_call"),
    ("CPU µs per delivered signal, 8 subscribers", "signal8", "daemon_cpu_us_per_delivery"),
    ("same + 100 decoy rules each", "signal8-decoy100", "daemon_cpu_us_per_delivery"),
    ("same + 4096 decoy rules each (32k)", "signal8-decoy4k", "daemon_cpu_us_per_delivery"),
    ("CPU µs per new connection", "connect2", "daemon_cpu_us_per_conn"),
    ("idle RSS KiB", "memory2000", "daemon_rss_before_kb"),
    ("idle Pss KiB", "memory2000", "daemon_pss_before_kb"),
    ("RSS bytes per connection", "memory2000", "bytes_per_conn_rss"),
    ("Pss bytes per connection", "memory2000", "bytes_per_conn_pss"),
]

rows = defaultdict(lambda: defaultdict(list))
order = []
for line in open(sys.argv[1]):
    if not line.startswith("RESULT "):
        continue
    kv = dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)
    key = (kv["scenario"], kv["label"])
    if key not in rows:
        order.append(key)
    for k, v in kv.items():
        try:
            rows[key][k].append(float(v))
        except ValueError:
            rows[key][k].append(v)
    rows[key]["_mode"] = [kv["mode"]]


def median(scen, label, k):
    vals = [v for v in rows.get((scen, label), {}).get(k, []) if isinstance(v, float)]
    return statistics.median(vals) if vals else None


for key in order:
    scen, label = key
    mode = rows[key]["_mode"][0]
    n = len(rows[key]["scenario"])
    parts = []
    for k in KEYS[mode]:
        m = median(scen, label, k)
        if m is not None:
            parts.append(f"{k}={m:.1f}")
    print(f"{scen:18s} {label:12s} n={n} " + " ".join(parts))

print()
print(f"| {'figure':44s} | {'busmaster':>10s} | {'dbus-broker':>11s} | {'dbus-daemon':>11s} "
      f"| {'bm/broker':>9s} | {'bm/daemon':>9s} |")
print("|" + "---|" * 6)


def fmt(v):
    return "-" if v is None else (f"{v:.2f}" if v < 100 else f"{v:.0f}")


def ratio(a, b):
    return "-" if a is None or not b else f"{a / b:.2f}"


for label, scen, k in FIGURES:
    bm, br, dd = (median(scen, d, k) for d in ("busmaster", "dbus-broker", "dbus-daemon"))
    if bm is None and br is None and dd is None:
        continue
    print(f"| {label:44s} | {fmt(bm):>10s} | {fmt(br):>11s} | {fmt(dd):>11s} "
          f"| {ratio(bm, br):>9s} | {ratio(bm, dd):>9s} |")
