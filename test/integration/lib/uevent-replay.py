#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""uevent-replay.py: synthesized "add" uevents for this machine's real devices, for the
differential test (test/integration/test-devmaster-diff.sh) and bench/udev/run.sh. It only
reads sysfs; nothing is written there.

  uevent-replay.py list [SYSFS]
      Prints the devpath of every device (a directory of SYSFS/devices, default /sys, with a
      uevent file and a subsystem link) in the order `udevadm trigger` 252 enumerates them:
      path order component by component, md and dm block devices last.

  uevent-replay.py send MODE TARGET LISTFILE [ROUNDS]
      For every devpath of LISTFILE (ROUNDS times, default 1) sends what the kernel sends for a
      write of "add" to the device's uevent file (as `udevadm trigger` does), without SEQNUM:
      "add@DEVPATH", ACTION=add, DEVPATH, SUBSYSTEM, SYNTH_UUID=0 and the lines of the uevent
      file, each NUL-terminated, as one datagram. Prints the number of datagrams sent.
      MODE netlink: to the kernel's NETLINK_KOBJECT_UEVENT socket of the caller's network
      namespace, wrapped in a netlink header. Since Linux 4.18 the kernel rebroadcasts such a
      message (from a sender with CAP_SYS_ADMIN over that namespace) to group 1 of that
      namespace only, with SEQNUM= appended from the kernel's counter and sender port id 0:
      listeners there, systemd-udevd included, get it exactly as a kernel uevent. Run it in a
      private network namespace. TARGET is ignored.
      MODE unix: to the unix datagram socket TARGET (devmaster's $DEVMASTER_TEST_UEVENT_SOCKET,
      whose source appends SEQNUM= the same way).
"""
import os
import socket
import struct
import sys


def devices(sysfs):
    found = []
    top = os.path.join(sysfs, "devices")
    for root, dirs, files in os.walk(top, followlinks=False):
        if "uevent" in files and os.path.islink(os.path.join(root, "subsystem")):
            found.append("/" + os.path.relpath(root, sysfs))
    late = lambda p: "/block/md" in p or "/block/dm-" in p
    found.sort(key=lambda p: (late(p), [c for c in p.split("/") if c]))
    return found


def datagram(devpath, sysfs="/sys"):
    path = sysfs + devpath
    subsystem = os.path.basename(os.readlink(os.path.join(path, "subsystem")))
    try:
        with open(os.path.join(path, "uevent"), "rb") as f:
            lines = [l for l in f.read().split(b"\n") if b"=" in l]
    except OSError:
        return None
    parts = [b"add@" + devpath.encode(), b"ACTION=add", b"DEVPATH=" + devpath.encode(),
             b"SUBSYSTEM=" + subsystem.encode(), b"SYNTH_UUID=0"] + lines
    return b"".join(p + b"\0" for p in parts)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "list":
        for p in devices(sys.argv[2] if len(sys.argv) > 2 else "/sys"):
            print(p)
        return 0
    if len(sys.argv) >= 5 and sys.argv[1] == "send":
        mode, target, listfile = sys.argv[2:5]
        rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 1
        with open(listfile) as f:
            paths = [l.strip() for l in f if l.strip()]
        # build everything first: the timing then measures the daemon, not sysfs reads
        grams = []
        for _ in range(rounds):
            for p in paths:
                d = datagram(p)
                if d is not None:
                    grams.append(d)
        if mode == "netlink":
            s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 15)  # NETLINK_KOBJECT_UEVENT
            s.bind((0, 0))
            dest = (0, 0)  # the kernel
            # struct nlmsghdr: length, type (>= NLMSG_MIN_TYPE), flags NLM_F_REQUEST, seq, pid
            grams = [struct.pack("=IHHII", 16 + len(d), 0x10, 1, i + 1, 0) + d
                     for i, d in enumerate(grams)]
        elif mode == "unix":
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            dest = target
        else:
            print("unknown mode " + mode, file=sys.stderr)
            return 2
        for d in grams:
            s.sendto(d, dest)
        print(len(grams))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
