#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""udev-builtins-sysfs.py ROOT: writes a synthetic sysfs below ROOT (to be bind-mounted on /sys
in a private mount namespace) with the kinds of devices this machine may lack, for comparing
devmaster's builtins with `udevadm test-builtin`. Prints one "BUILTIN SYSPATH" line per check.

  input devices of every class input_id tells apart (keyboard, mouse, touchpad, touchscreen,
  joystick, tablet and pad, accelerometer, pointing stick, switch, wheel-only, keyboard
  with joystick bits, VMware-style absolute mouse, "all axes" multitouch), each inputN with
  an eventN child;
  USB: a root hub, a mass-storage stick down to its SCSI disk, a HID keyboard with an input
  device, a device with an untrusted serial and odd strings, a network adapter;
  network interfaces for net_id: onboard (acpi_index, label, dev_port), PCI behind a bridge
  with a hotplug slot and a multi-function config space, PCI domain > 0, SR-IOV virtual
  function, USB, ACPI platform, Xen, virtio, wlan, InfiniBand, a stacked device, an absurd
  onboard index.
"""
import os
import struct
import sys

ROOT = sys.argv[1]
checks = []


def w(path, text, mode=0o644):
    p = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb" if isinstance(text, bytes) else "w") as f:
        f.write(text)
    os.chmod(p, mode)


def ln(path, target):
    p = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    os.symlink(target, p)


def rel(frm, to):
    return os.path.relpath(os.path.join(ROOT, to), os.path.dirname(os.path.join(ROOT, frm)))


def device(path, subsystem, uevent="", attrs=None, driver=None, cls=None, bus=None):
    w(path + "/uevent", uevent)
    if subsystem:
        top = "class/" + subsystem if cls else "bus/" + subsystem
        os.makedirs(os.path.join(ROOT, top), exist_ok=True)
        ln(path + "/subsystem", rel(path + "/subsystem", top))
        if cls:
            ln(top + "/" + os.path.basename(path), rel(top + "/x", path))
        else:
            os.makedirs(os.path.join(ROOT, top, "devices"), exist_ok=True)
            ln(top + "/devices/" + os.path.basename(path), rel(top + "/devices/x", path))
    if driver:
        d = "bus/%s/drivers/%s" % (bus or subsystem, driver)
        os.makedirs(os.path.join(ROOT, d), exist_ok=True)
        ln(path + "/driver", rel(path + "/driver", d))
    for k, v in (attrs or {}).items():
        w(path + "/" + k, v if isinstance(v, bytes) else v + "\n")


def bitmap(bits):
    if not bits:
        return "0"
    words = [0] * (max(bits) // 64 + 1)
    for b in bits:
        words[b // 64] |= 1 << (b % 64)
    return " ".join("%x" % x for x in reversed(words))


KEYBOARD_KEYS = list(range(1, 128)) + [183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194]
PROFILES = {
    "keyboard": dict(ev=[0, 1, 4, 17, 20], key=KEYBOARD_KEYS, bus="0011"),
    "mouse": dict(ev=[0, 1, 2, 4], key=[272, 273, 274, 275, 276], rel=[0, 1, 6, 8, 11, 12], bus="0003"),
    "touchpad": dict(ev=[0, 1, 3], key=[272, 325, 328, 330, 333, 334, 335], abs=[0, 1, 24, 47, 53, 54, 57],
                     props=[0, 2], bus="0018"),
    "touchscreen": dict(ev=[0, 1, 3], key=[330], abs=[0, 1, 47, 53, 54, 57], props=[1], bus="0018"),
    "joystick": dict(ev=[0, 1, 3, 4], key=list(range(288, 300)), abs=[0, 1, 2, 3, 4, 5, 16, 17], bus="0003"),
    "tablet": dict(ev=[0, 1, 3, 4], key=[320, 321, 330, 331, 332], abs=[0, 1, 24, 25, 26, 40], bus="0003"),
    "tablet-pad": dict(ev=[0, 1, 3], key=[256, 257, 331], abs=[0, 1, 40], bus="0003"),
    "accelerometer": dict(ev=[0, 3], abs=[0, 1, 2], props=[6], bus="0019"),
    "accel-noprop": dict(ev=[0, 3], abs=[0, 1, 2], bus="0019"),
    "i2c-mouse": dict(ev=[0, 1, 2], key=[272, 273], rel=[0, 1], bus="0018"),
    "stick": dict(ev=[0, 1, 2], key=[272, 273, 274], rel=[0, 1], props=[5], bus="0011"),
    "switch": dict(ev=[0, 5], sw=[0], bus="0019"),
    "wheel": dict(ev=[0, 2], rel=[8], bus="0003"),
    "kbd-joybits": dict(ev=[0, 1, 4, 17, 20], key=KEYBOARD_KEYS + [288, 289, 290], bus="0003"),
    "joy-one-button": dict(ev=[0, 1], key=[288], bus="0003"),
    "abs-mouse": dict(ev=[0, 1, 3], key=[272, 273, 274], abs=[0, 1], bus="0003"),
    "mt-all-axes": dict(ev=[0, 1, 3], key=[330], abs=list(range(0, 64)), bus="0003"),
    "media-keys": dict(ev=[0, 1], key=[113, 114, 115, 163, 164, 165], bus="0003"),
    "high-keys": dict(ev=[0, 1], key=[0x160, 0x161], bus="0003"),
    "empty": dict(ev=[0], bus="0019"),
}


def input_device(parent, n, profile):
    p = PROFILES[profile]
    path = "%s/input/input%d" % (parent, n)
    caps = {"capabilities/" + k: bitmap(p.get(k, [])) for k in ("ev", "key", "rel", "abs", "msc", "sw", "led", "ff", "snd")}
    attrs = dict(caps)
    attrs["properties"] = bitmap(p.get("props", []))
    attrs["name"] = "Test " + profile
    attrs.update({"id/bustype": p["bus"], "id/vendor": "046d", "id/product": "c%03x" % n, "id/version": "0111"})
    device(path, "input", "PRODUCT=%s/46d/c%03x/111\nNAME=\"Test %s\"\nPROP=0\nEV=%s\n" % (p["bus"].lstrip("0"), n, profile, bitmap(p["ev"])),
           attrs, cls=True)
    ev = path + "/event%d" % n
    device(ev, "input", "MAJOR=13\nMINOR=%d\nDEVNAME=input/event%d\n" % (64 + n, n), {"dev": "13:%d" % (64 + n)}, cls=True)
    checks.append("input_id /sys/" + path)
    checks.append("input_id /sys/" + ev)


def usb_descriptors(interfaces):
    d = struct.pack("<BBHBBBBHHHBBBB", 18, 1, 0x200, 0, 0, 0, 64, 0x1234, 0x5678, 0x100, 1, 2, 3, 1)
    body = b""
    for i, (cls, sub, proto) in enumerate(interfaces):
        body += struct.pack("<BBBBBBBBB", 9, 4, i, 0, 1, cls, sub, proto, 0)
        body += struct.pack("<BBBBHB", 7, 5, 0x81, 3, 8, 10)
    cfg = struct.pack("<BBHBBBBB", 9, 2, 9 + len(body), len(interfaces), 1, 0, 0x80, 50)
    return d + cfg + body


def usb_device(path, vid, pid, manufacturer, product, serial, interfaces, bcd="0100"):
    attrs = {"idVendor": vid, "idProduct": pid, "bcdDevice": bcd, "descriptors": usb_descriptors(interfaces),
             "busnum": "1", "devnum": "2"}
    if manufacturer is not None:
        attrs["manufacturer"] = manufacturer
    if product is not None:
        attrs["product"] = product
    if serial is not None:
        attrs["serial"] = serial
    device(path, "usb", "DEVTYPE=usb_device\nPRODUCT=%s/%s/100\nTYPE=0/0/0\nBUSNUM=001\nDEVNUM=002\n" % (vid.lstrip("0"), pid.lstrip("0")),
           attrs, driver="usb")
    checks.append("usb_id /sys/" + path)
    checks.append("hwdb /sys/" + path)


def usb_interface(path, cls, sub, proto, num, driver):
    device(path, "usb", "DEVTYPE=usb_interface\nINTERFACE=%d/%d/%d\nMODALIAS=usb:v1234p5678d0100dc00dsc00dp00ic%02Xisc%02Xip%02Xin%02d\n" % (cls, sub, proto, cls, sub, proto, int(num)),
           {"bInterfaceClass": "%02x" % cls, "bInterfaceSubClass": "%02x" % sub, "bInterfaceProtocol": "%02x" % proto,
            "bInterfaceNumber": num}, driver=driver, bus="usb")
    checks.append("usb_id /sys/" + path)


def pci_device(path, vendor_dev, cls, attrs=None, multifunction=False, config=True):
    a = {"vendor": "0x" + vendor_dev[:4], "device": "0x" + vendor_dev[4:], "class": "0x%06x" % cls}
    a.update(attrs or {})
    if config:
        cfgspace = bytearray(64)
        cfgspace[0x0e] = 0x80 if multifunction else 0x00
        a["config"] = bytes(cfgspace)
    modalias = "pci:v0000%sd0000%ssv00000000sd00000000bc%02Xsc%02Xi%02X" % (vendor_dev[:4].upper(), vendor_dev[4:].upper(),
                                                                           cls >> 16, (cls >> 8) & 0xff, cls & 0xff)
    a["modalias"] = modalias
    device(path, "pci", "PCI_CLASS=%X\nPCI_ID=%s:%s\nMODALIAS=%s\n" % (cls, vendor_dev[:4].upper(), vendor_dev[4:].upper(), modalias), a)
    checks.append("hwdb /sys/" + path)


IFINDEX = [10]


def netdev(path, mac="02:00:00:00:00:01", addr_type="0", iftype="1", devtype=None, stacked=False, extra=None):
    IFINDEX[0] += 1
    idx = IFINDEX[0]
    name = os.path.basename(path)
    a = {"ifindex": str(idx), "iflink": str(idx + 100 if stacked else idx), "type": iftype, "address": mac,
         "addr_assign_type": addr_type, "name_assign_type": "1"}
    a.update(extra or {})
    ue = "INTERFACE=%s\nIFINDEX=%d\n" % (name, idx) + ("DEVTYPE=%s\n" % devtype if devtype else "")
    device(path, "net", ue, a, cls=True)
    checks.append("net_id /sys/" + path)
    checks.append("path_id /sys/" + path)


def main():
    os.makedirs(ROOT, exist_ok=True)
    for d in ("class", "bus", "dev/char", "dev/block", "bus/pci/slots"):
        os.makedirs(os.path.join(ROOT, d), exist_ok=True)
    device("devices/virtual/mem/null", "mem", "MAJOR=1\nMINOR=3\nDEVNAME=null\n", {"dev": "1:3"}, cls=True)
    device("devices/pci0000:00", None, "")

    # input devices on a platform bus
    device("devices/platform/i8042", "platform", "MODALIAS=platform:i8042\n", {"modalias": "platform:i8042"})
    for n, profile in enumerate(PROFILES):
        input_device("devices/platform/i8042", n + 1, profile)

    # USB
    pci_device("devices/pci0000:00/0000:00:14.0", "8086a36d", 0x0c0330, multifunction=False)
    hub = "devices/pci0000:00/0000:00:14.0/usb1"
    usb_device(hub, "1d6b", "0002", "Linux 6.1.0 xhci-hcd", "xHCI Host Controller", "0000:00:14.0", [(9, 0, 0)], "0601")
    stick = hub + "/1-1"
    usb_device(stick, "0781", "5567", "SanDisk", " Cruzer Blade ", "4C530001230509117453", [(8, 6, 0x50)])
    usb_interface(stick + "/1-1:1.0", 8, 6, 0x50, "00", "usb-storage")
    host = stick + "/1-1:1.0/host6"
    device(host, "scsi", "DEVTYPE=scsi_host\n")
    tgt = host + "/target6:0:0"
    device(tgt, "scsi", "DEVTYPE=scsi_target\n")
    sdev = tgt + "/6:0:0:0"
    device(sdev, "scsi", "DEVTYPE=scsi_device\nMODALIAS=scsi:t-0x00\n",
           {"vendor": "SanDisk ", "model": "Cruzer Blade    ", "rev": "1.00", "type": "0"})
    checks.append("usb_id /sys/" + sdev)
    disk = sdev + "/block/sdb"
    device(disk, "block", "MAJOR=8\nMINOR=16\nDEVNAME=sdb\nDEVTYPE=disk\n", {"dev": "8:16"}, cls=True)
    checks.append("usb_id /sys/" + disk)
    checks.append("path_id /sys/" + disk)
    kbd = hub + "/1-2"
    usb_device(kbd, "046d", "c31c", "Logitech", "USB Keyboard", "AB,CD", [(3, 1, 1), (3, 0, 0), (3, 1, 1)])
    usb_interface(kbd + "/1-2:1.0", 3, 1, 1, "00", "usbhid")
    input_device(kbd + "/1-2:1.0/0003:046D:C31C.0001", 40, "keyboard")
    checks.append("usb_id /sys/" + kbd + "/1-2:1.0/0003:046D:C31C.0001/input/input40/event40")
    odd = hub + "/1-3"
    usb_device(odd, "abcd", "0001", "  Ünïcode\tVendor / Inc. ", None, "SER IAL 01", [(0xff, 0xff, 0xff)])
    usb_interface(odd + "/1-3:1.0", 0xff, 0xff, 0xff, "00", None)
    nic = hub + "/1-4"
    usb_device(nic, "0b95", "1790", "ASIX Elec. Corp.", "AX88179", "0000249B1E8A5C", [(0xff, 0xff, 0)])
    usb_interface(nic + "/1-4:1.0", 0xff, 0xff, 0, "00", "ax88179_178a")
    netdev(nic + "/1-4:1.0/net/enx00249b1e8a5c", mac="00:24:9b:1e:8a:5c")
    nic2 = hub + "/1-5/1-5.3"
    device(hub + "/1-5", "usb", "DEVTYPE=usb_device\n", {"idVendor": "05e3", "idProduct": "0610"})
    usb_device(nic2, "0bda", "8153", "Realtek", "USB 10/100/1000 LAN", "000001", [(0xff, 0xff, 0), (2, 6, 0)])
    usb_interface(nic2 + "/1-5.3:2.1", 2, 6, 0, "01", "cdc_ether")
    netdev(nic2 + "/1-5.3:2.1/net/eth7", mac="00:e0:4c:68:00:01")

    # network interfaces
    pci_device("devices/pci0000:00/0000:00:1f.6", "808615bc", 0x020000,
               {"acpi_index": "1", "label": "Onboard LAN"})
    netdev("devices/pci0000:00/0000:00:1f.6/net/eno1", mac="3c:52:82:01:02:03", extra={"dev_port": "0"})
    pci_device("devices/pci0000:00/0000:00:1c.0", "8086a110", 0x060400)
    pci_device("devices/pci0000:00/0000:00:1c.0/0000:02:00.1", "80861521", 0x020000, multifunction=True)
    netdev("devices/pci0000:00/0000:00:1c.0/0000:02:00.1/net/enp2s0f1", mac="a0:36:9f:00:00:01",
           extra={"dev_port": "1", "phys_port_name": ""})
    w("bus/pci/slots/3/address", "0000:02:00\n")
    w("bus/pci/slots/0/address", "0000:00:1f\n")
    pci_device("devices/pci0000:00/0000:00:1c.4", "8086a114", 0x060400)
    pci_device("devices/pci0000:00/0000:00:1c.4/0000:04:00.0", "14e41657", 0x020000)
    netdev("devices/pci0000:00/0000:00:1c.4/0000:04:00.0/net/eth4", mac="b8:ca:3a:00:00:04",
           extra={"phys_port_name": "p1"})
    w("bus/pci/slots/9/address", "0000:00:1c\n")
    device("devices/pci0001:00", None, "")
    pci_device("devices/pci0001:00/0001:00:02.0", "15b31015", 0x020000, {"index": "70000"})
    netdev("devices/pci0001:00/0001:00:02.0/net/eth5", mac="24:8a:07:00:00:05")
    # SR-IOV
    pci_device("devices/pci0000:00/0000:00:03.0", "8086a111", 0x060400)
    pf = "devices/pci0000:00/0000:00:03.0/0000:03:00.0"
    vf = "devices/pci0000:00/0000:00:03.0/0000:03:10.2"
    pci_device(pf, "80861572", 0x020000, {"acpi_index": "3"})
    pci_device(vf, "8086154c", 0x020000)
    ln(vf + "/physfn", "../0000:03:00.0")
    ln(pf + "/virtfn5", "../0000:03:10.2")
    ln(pf + "/virtfn0", "../0000:03:00.0")
    netdev(pf + "/net/enp3s0f0", mac="3c:fd:fe:00:00:10")
    netdev(vf + "/net/enp3s0f0v5", mac="02:11:22:33:44:55", addr_type="1")
    # virtio below PCI, wlan, infiniband, stacked, zero OUI
    pci_device("devices/pci0000:00/0000:00:05.0", "1af41041", 0x020000)
    device("devices/pci0000:00/0000:00:05.0/virtio3", "virtio", "DRIVER=virtio_net\nMODALIAS=virtio:d00000001v00001AF4\n")
    netdev("devices/pci0000:00/0000:00:05.0/virtio3/net/ens5", mac="52:54:00:12:34:56")
    pci_device("devices/pci0000:00/0000:00:1d.0", "80862723", 0x028000)
    netdev("devices/pci0000:00/0000:00:1d.0/net/wlan0", mac="00:00:00:aa:bb:cc", devtype="wlan")
    pci_device("devices/pci0000:00/0000:00:1e.0", "15b31017", 0x020700)
    netdev("devices/pci0000:00/0000:00:1e.0/net/ib0", mac="80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0b:5f:f1",
           iftype="32", extra={"dev_id": "0x1", "dev_port": "0"})
    netdev("devices/pci0000:00/0000:00:1e.0/net/ib0.8001", iftype="32", stacked=True)
    netdev("devices/virtual/net/vlan0", stacked=True)
    # ACPI platform, Xen
    device("devices/platform/HISI00C2:03", "platform", "MODALIAS=acpi:HISI00C2:\n")
    netdev("devices/platform/HISI00C2:03/net/eth0", mac="c0:a8:00:00:00:03")
    device("devices/platform/PNP0C0A:01", "platform", "")
    netdev("devices/platform/PNP0C0A:01/net/eth1", mac="c0:a8:00:00:00:04")
    device("devices/vif-0", "xen", "")
    netdev("devices/vif-0/net/eth2", mac="00:16:3e:00:00:02")
    device("devices/vif-07", "xen", "")
    netdev("devices/vif-07/net/eth3", mac="00:16:3e:00:00:03")
    for c in checks:
        print(c)


main()
