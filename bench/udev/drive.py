#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""drive.py MODE SOCK LISTFILE ROUNDS MEMROUNDS DAEMON_PID OUT.json: the measuring side of
bench/udev/run.sh, run inside the daemon's private namespaces (see run.sh).

One round = the "add" uevent of every device of LISTFILE (test/integration/lib/uevent-replay.py
builds them, read-only from /sys; MODE netlink: through the kernel's uevent injection of the
private network namespace, as systemd-udevd receives kernel uevents; MODE unix: devmaster's test
socket SOCK), sent back to back; the round ends when the daemon has broadcast the last of them
on the udev netlink group (group 2, what `udevadm monitor --udev` and libudev see, sent after
the database and links are written). Round 0 is the cold one (workers forked, rules and hwdb
paged in) and is reported apart. Then ROUNDS timed rounds, then MEMROUNDS rounds during which
the daemon and its direct children (the workers) are sampled every 10 ms: the peak of the sum
of their RSS and of their PSS (/proc/PID/smaps_rollup; PSS splits the pages a forked worker
shares with the daemon, RSS counts them in every process).
"""
import json
import os
import socket
import sys
import threading
import time

import importlib.util

spec = importlib.util.spec_from_file_location(
    "replay", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test",
                           "integration", "lib", "uevent-replay.py"))
replay = importlib.util.module_from_spec(spec)
spec.loader.exec_module(replay)

mode, sock, listfile, rounds, memrounds, dpid, out = sys.argv[1:8]
rounds, memrounds, dpid = int(rounds), int(memrounds), int(dpid)
paths = [l.strip() for l in open(listfile) if l.strip()]
grams = [g for g in (replay.datagram(p) for p in paths) if g is not None]
n = len(grams)

if mode == "netlink":
    tx = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 15)
    tx.bind((0, 0))
    dest = (0, 0)
    grams = [replay.struct.pack("=IHHII", 16 + len(d), 0x10, 1, i + 1, 0) + d
             for i, d in enumerate(grams)]
else:
    tx = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dest = sock

rx = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 15)
try:
    rx.setsockopt(socket.SOL_SOCKET, 33, 64 * 1024 * 1024)  # SO_RCVBUFFORCE
except OSError:
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024 * 1024)
rx.bind((0, 2))
rx.settimeout(120)


def one_round():
    t0 = time.monotonic()
    for g in grams:
        tx.sendto(g, dest)
    got = 0
    while got < n:
        data = rx.recv(1 << 17)
        if data.startswith(b"libudev\0"):
            got += 1
    return time.monotonic() - t0


def kb(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def family():
    pids = [dpid]
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == dpid:
                pids.append(int(d))
    return pids


peak = {"rss_kb": 0, "pss_kb": 0, "processes": 0}
stop = threading.Event()


def sampler():
    while not stop.is_set():
        pids = family()
        rss = sum(kb("/proc/%d/status" % p, "VmRSS:") for p in pids)
        pss = sum(kb("/proc/%d/smaps_rollup" % p, "Pss:") for p in pids)
        peak["rss_kb"] = max(peak["rss_kb"], rss)
        peak["pss_kb"] = max(peak["pss_kb"], pss)
        peak["processes"] = max(peak["processes"], len(pids))
        time.sleep(0.01)


cold = one_round()
times = [one_round() for _ in range(rounds)]
th = threading.Thread(target=sampler)
th.start()
memtimes = [one_round() for _ in range(memrounds)]
stop.set()
th.join()
json.dump({"events": n, "cold_s": cold, "round_s": times, "mem_round_s": memtimes,
           "peak": peak, "daemon_hwm_kb": kb("/proc/%d/status" % dpid, "VmHWM:")},
          open(out, "w"))
