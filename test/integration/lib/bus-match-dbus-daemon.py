# SPDX-License-Identifier: LGPL-2.1-or-later
"""bus-match against the real dbus-daemon (run by test/integration/test-bus-match-dbus-daemon.sh).

usage: bus-match-dbus-daemon.py BUS_MATCH_PRINT

1. Parsing: every rule of RULES and of a seeded random batch goes to AddMatch of a private
   dbus-daemon and to `bus-match-print parse`. Both must accept or both refuse with the same
   error name and message; for accepted rules the string GetAllMatchRules shows must be our
   canonical form, and RemoveMatch with the canonical form must remove the rule.
2. Matching: one connection per rule of MATCH_RULES subscribes; an emitter sends MESSAGES
   (broadcasts, unicast signals and method calls to a third connection or to a subscriber);
   which subscribers received which message must be what `bus-match-print match` says for
   the same messages built in either byte order.
Prints one "ok"/"FAIL" line per comparison that failed and a closing "N passed, N failed".
"""

import ctypes
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

import dbus
import dbus.lowlevel
import dbus.mainloop.glib
from gi.repository import GLib

PRINT = sys.argv[1]

RULES = [
    "", "   ", "type='signal'", "type=signal", "  type ='signal'", "type= 'signal'",
    "type='signal',", "type='signal', ", "type='signal' ", "type='method_call'",
    "type='method_return'", "type='error'", "type='bogus'", "type=''", "arg3='',type='error'",
    "arg1='b',destination=':1.5',eavesdrop='true',sender='org.a.B',path='/x',member='M',"
    "interface='org.i.F',type='signal',arg0='a'",
    "path_namespace='/org/a'", "path_namespace='/'", "eavesdrop='false'",
    "eavesdrop='true',eavesdrop='false'", "eavesdrop='false',eavesdrop='true'",
    "arg0=''\\'''", "arg0=\\'", "arg0='\\'", "arg0=\\", "arg0=a\\,b", "arg0=',',arg1=\\\\",
    "arg0='a'b'c'", "arg0=a b ", "arg0=''", "arg0=", "arg63='x'", "arg0x1='a'", "arg010='a'",
    "arg+1='a'", "arg0xapath='a'", "arg\v1='x'", "arg\f2='x'", "arg2path='/a/',arg0namespace='org.a'",
    "arg0path=''", "arg0namespace='a'", "arg0namespace=':1'", "arg0namespace=':'",
    "arg0namespace='a.'", "arg0namespace=''", "arg0namespace='1a'", "arg0namespace='-a'",
    "sender=':'", "sender=':1'", "sender=':1.'", "sender=':.a'", "sender=':a..b'", "sender=':-'",
    "sender='org.freedesktop.DBus'", "destination='-a.b'", "destination='a.b-c'",
    "destination='a.1b'", "destination='_a._b'", "sender='" + "a." * 127 + "a'",
    "sender='" + "a." * 127 + "ab'", "member='" + "m" * 255 + "'", "member='" + "m" * 256 + "'",
    "=foo", "type='signal',=x,bogus", "type", "type='signal',member", "type 'signal'",
    "type='signal", "foo='bar',member='", "arg1='x\\'y'", "sender='a',sender='b.c'",
    "sender='a.b',sender='b.c'", "sender=''", "sender='1a.b'", "interface='nodot'",
    "interface='a.b',interface='a.b'", "interface='a-b.c'", "member=''", "member='a.b'",
    "member='9a'", "member='A',member='B'", "path='/a/'", "path=''", "path_namespace='a'",
    "path='/a',path_namespace='/b'", "path='/a',path='/a'", "path='//'", "path='/a//b'",
    "destination=''", "destination=':1.1',destination=':1.1'", "eavesdrop='yes'", "eavesdrop=''",
    "eavesdrop='TRUE'", "foo='bar'", "Type='signal'", "arg='x'", "args='x'",
    "arg99999999999999999999='a'", "arg64='x'", "arg64path='x'", "arg-1='a'", "arg-0='a'",
    "arg1namespace='a'", "arg0x='a'", "arg2Path='a'", "arg00namespace='a'", "arg1path='a',arg1='b'",
    "arg0='a',arg0='b'", "arg0='a',arg0namespace='b'", "arg0namespace='b',arg0path='a'",
    "foo='bar',type='x", "type='x',member", "\ttype='signal'\n,\rmember='M'",
    ",type='signal'", ",,", "type='signal',,member='M'", "a=b=c", "arg0='a=b'", "arg0=a=b",
    "arg0='\u00e9t\u00e9'", "member='\u00e9'",
    ",".join("arg%d='%d'" % (i, i) for i in range(16)) + ",bogus='",
    ",".join("arg%d='%d'" % (i, i) for i in range(17)),
    "arg0='" + "x" * 1017 + "'", "arg0='" + "x" * 1018 + "'",
    "arg0='" + "'\\''" * 250 + "'",
]

# what random rules are made of: keys, values, separators, quoting
R_KEYS = ["type", "sender", "interface", "member", "path", "path_namespace", "destination",
          "eavesdrop", "arg0", "arg1", "arg2path", "arg0namespace", "arg63", "arg64", "argx",
          "arg0path", "foo", "", " type", "member ", "arg1namespace", "arg0x2"]
R_VALUES = ["signal", "method_call", "error", "bogus", ":1.5", ":1", "org.a.B", "a", "a.b.", "/a",
            "/", "/a/", "M", "9M", "true", "false", "", "x'y", "a,b", "\\", "a b", "org", "/a/b/",
            "a\\'b", "'", "=", "é"]
R_SEPS = [",", ", ", " ,", ",,", "", " "]


def random_rules(n, seed=1):
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(0, 5)):
            key, value = rnd.choice(R_KEYS), rnd.choice(R_VALUES)
            style = rnd.randint(0, 3)
            if style == 0:
                value = "'" + value.replace("'", "'\\''") + "'"
            elif style == 1:
                value = value.replace("'", "\\'")
            elif style == 2:
                value = "'" + value + "'"  # may break the quoting on purpose
            parts.append(key + "=" + value + rnd.choice(R_SEPS))
        out.append("".join(parts).rstrip(",") if rnd.random() < 0.5 else "".join(parts))
    return out


MATCH_RULES = [
    "", "type='signal'", "type='method_call'", "type='method_call',eavesdrop='true'",
    "eavesdrop='true'", "interface='org.example.If'", "member='Changed'", "member='Removed'",
    "path='/org/example/obj'", "path_namespace='/org/example'", "path_namespace='/'",
    "path_namespace='/org/example/obj'", "path_namespace='/org/ex'", "sender='{E}'",
    "sender='org.example.Emitter'", "sender='org.example.Target'", "sender='org.freedesktop.DBus'",
    "sender='{T}'", "sender=':1.999999'", "destination='{T}'", "destination='{T}',eavesdrop='true'",
    "destination='org.example.Target',eavesdrop='true'",
    "destination='org.example.Other',eavesdrop='true'", "destination='{S0}',eavesdrop='true'",
    "arg0='org.example.Name'", "arg0=''", "arg1='/a/b/'", "arg1path='/a/'", "arg1path='/a/b/c'",
    "arg1path='/a/bc'", "arg1path='/a/b'", "arg0path='/aa/'", "arg0path='/aa/bb/cc/dd'",
    "arg1path='/aa/bb/'", "arg0namespace='org.example'", "arg0namespace='org'",
    "arg0namespace='org.exam'", "arg0namespace='org.example.Name'", "arg3='x'\\''y'", "arg2='7'",
    "arg5=''", "arg2path='7'", "type='signal',interface='org.example.If',member='Changed',"
    "path='/org/example/obj',arg0='org.example.Name'", "type='signal',sender='{E}',member='Changed'",
    "type='signal',sender='org.example.Emitter',member='Changed',arg0namespace='org.example'",
    "type='method_call',destination='org.example.Target',eavesdrop='true',member='Do'",
    "type='signal',eavesdrop='true',path_namespace='/org/example/obj'",
    "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
    "member='NameOwnerChanged',path='/org/freedesktop/DBus',arg0='org.example.Late'",
    "sender='org.freedesktop.DBus',arg0namespace='org.example'", "arg2='{L}'", "arg1=''",
    "member='NameAcquired'", "member='NameAcquired',eavesdrop='true'",
    "member='NameAcquired',destination='{L}',eavesdrop='true'",
]

# (type, destination or None, path, interface, member, args as (type, value))
MESSAGES = [
    ("signal", None, "/org/example/obj", "org.example.If", "Changed",
     [("s", "org.example.Name"), ("o", "/a/b"), ("u", 7), ("s", "x'y")]),
    ("signal", None, "/org/example", "org.example.If", "Changed", [("s", "org.example")]),
    ("signal", None, "/org/example/obj/child", "org.example.Other", "Removed",
     [("s", "org.examplefoo"), ("s", "/a/bc")]),
    ("signal", None, "/", "org.example.If", "Changed", []),
    ("signal", None, "/org/exam", "org.example.If", "Changed", [("s", "")]),
    ("signal", None, "/aa/bb", "org.example.If", "Changed", [("s", "/aa/bb/"), ("o", "/aa/bb/cc")]),
    ("signal", None, "/org/example/obj", "org.example.If", "Changed", [("s", "7"), ("s", "/a/b/c/d")]),
    ("signal", "{T}", "/org/example/obj", "org.example.If", "Changed", [("s", "org.example.Name")]),
    ("signal", "org.example.Target", "/org/example/obj", "org.example.If", "Changed",
     [("s", "org.example.Name")]),
    ("method_call", "{T}", "/org/example/obj", "org.example.If", "Do", [("s", "org.example.Name")]),
    ("method_call", "org.example.Target", "/org/example/obj/x", "org.example.If", "Do", []),
    ("method_call", "org.example.Other", "/org/example/obj", "org.example.If", "Do", []),
    ("signal", "{S0}", "/org/example/obj", "org.example.If", "Changed", [("s", "org.example.Name")]),
    ("signal", "{S5}", "/org/example/obj", "org.example.If", "Changed", []),
]

# what the bus itself says when connection {L} takes org.example.Late: (key, msg line fields)
BUS_SIGNALS = {
    "NameOwnerChanged": ("signal", None, "/org/freedesktop/DBus", "org.freedesktop.DBus",
                         "NameOwnerChanged", [("s", "org.example.Late"), ("s", ""), ("s", "{L}")]),
    "NameAcquired": ("signal", "{L}", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameAcquired",
                     [("s", "org.example.Late")]),
}

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


def start_daemon(tmp):
    conf = os.path.join(tmp, "bus.conf")
    with open(conf, "w") as f:
        f.write(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="max_match_rules_per_connection">100000</limit>
  <limit name="max_connections_per_user">100000</limit>
  <limit name="max_completed_connections">100000</limit>
</busconfig>
""")
    def die_with_parent():
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL: no daemon outlives a crash

    r, w = os.pipe()
    proc = subprocess.Popen(["dbus-daemon", "--config-file=" + conf, "--nofork", "--nopidfile",
                             "--print-address=%d" % w], pass_fds=(w,), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=die_with_parent)
    os.close(w)
    address = b""
    while not address.endswith(b"\n"):
        chunk = os.read(r, 4096)
        if not chunk:
            raise RuntimeError("dbus-daemon printed no address")
        address += chunk
    os.close(r)
    return proc, address.decode().strip()


def run_print(mode, data):
    out = subprocess.run([PRINT, mode], input=data, stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().splitlines()


def parse_differential(address):
    bus = dbus.bus.BusConnection(address)
    driver = bus.get_object("org.freedesktop.DBus", "/org/freedesktop/DBus")
    me = bus.get_unique_name()
    stats = dbus.Interface(driver, "org.freedesktop.DBus.Debug.Stats")
    daemon = dbus.Interface(driver, "org.freedesktop.DBus")
    interfaces = driver.Get("org.freedesktop.DBus", "Interfaces",
                            dbus_interface="org.freedesktop.DBus.Properties")
    check("org.freedesktop.DBus.Debug.Stats" in interfaces, "dbus-daemon lists Debug.Stats")

    rules = RULES + random_rules(400)
    ours = run_print("parse", b"\0".join(r.encode() for r in rules))
    check(len(ours) == len(rules), "bus-match-print answered every rule")
    for rule, line in zip(rules, ours):
        words = line.split(" ")
        before = [str(x) for x in stats.GetAllMatchRules().get(me, [])]
        try:
            daemon.AddMatch(rule)
        except dbus.DBusException as e:
            theirs = (e.get_dbus_name(), e.get_dbus_message())
            mine = (words[1], bytes.fromhex(words[2]).decode()) if words[0] == "ERR" else ("accepted", "")
            check(mine == theirs, "%r: dbus-daemon refuses with %r, we say %r" % (rule, theirs, mine))
            continue
        after = [str(x) for x in stats.GetAllMatchRules().get(me, [])]
        added = list(after)
        for x in before:
            added.remove(x)
        if words[0] != "OK":
            check(False, "%r: dbus-daemon accepts as %r, we refuse: %s" %
                  (rule, added, bytes.fromhex(words[2]).decode()))
            daemon.RemoveMatch(rule)
            continue
        canonical = bytes.fromhex(words[1]).decode() if len(words) > 1 else ""
        check(added == [canonical], "%r: dbus-daemon shows %r, we print %r" % (rule, added, canonical))
        try:
            daemon.RemoveMatch(canonical)  # the canonical form names the same rule
            check(True, "")
        except dbus.DBusException as e:
            check(False, "%r: RemoveMatch(%r) failed: %s" % (rule, canonical, e))
            daemon.RemoveMatch(rule)
    bus.close()


class Subscriber:
    """Records the emitter's messages by serial, and the bus's signals about org.example.Late
    by member."""

    def __init__(self, address, emitter_name):
        self.conn = dbus.bus.BusConnection(address)
        self.unique = self.conn.get_unique_name()
        self.got = set()
        self.done = False
        self.emitter = emitter_name
        self.conn.add_message_filter(self.on_message)

    def on_message(self, conn, msg):
        if msg.get_sender() == self.emitter[0]:
            if msg.get_member() == "Done":
                if msg.get_destination() == self.unique:
                    self.done = True
            else:
                self.got.add(msg.get_serial())
        elif msg.get_sender() == "org.freedesktop.DBus" and msg.get_member() in BUS_SIGNALS:
            args = msg.get_args_list()
            if args and args[0] == "org.example.Late":
                self.got.add(msg.get_member())
        return dbus.lowlevel.HANDLER_RESULT_NOT_YET_HANDLED


def build_message(spec, subst):
    mtype, dest, path, iface, member, args = spec
    if mtype == "signal":
        msg = dbus.lowlevel.SignalMessage(path, iface, member)
        if dest:
            msg.set_destination(subst(dest))
    else:
        msg = dbus.lowlevel.MethodCallMessage(subst(dest), path, iface, member)
        msg.set_no_reply(True)
    for t, v in args:
        msg.append(v, signature=t)
    return msg


def match_differential(address):
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    emitter_name = [None]
    emitter = dbus.bus.BusConnection(address)
    target = dbus.bus.BusConnection(address)
    other = dbus.bus.BusConnection(address)
    late = dbus.bus.BusConnection(address)
    emitter_name[0] = emitter.get_unique_name()
    emitter.request_name("org.example.Emitter", dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    target.request_name("org.example.Target", dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    other.request_name("org.example.Other", dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    subs = [Subscriber(address, emitter_name) for _ in MATCH_RULES]
    names = {"E": emitter_name[0], "T": target.get_unique_name(), "L": late.get_unique_name()}
    names.update({"S%d" % i: s.unique for i, s in enumerate(subs)})

    def subst(text):
        for k, v in names.items():
            text = text.replace("{%s}" % k, v)
        return text

    rules = [subst(r) for r in MATCH_RULES]
    for sub, rule in zip(subs, rules):
        sub.conn.add_match_string(rule)  # AddMatch, waiting for the reply

    owners = {"org.example.Emitter": emitter_name[0], "org.example.Target": names["T"],
              "org.example.Other": other.get_unique_name()}
    serials = []
    for spec in MESSAGES:
        serials.append(emitter.send_message(build_message(spec, subst)))
    late.request_name("org.example.Late", dbus.bus.NAME_FLAG_DO_NOT_QUEUE)  # the bus speaks
    messages = [(emitter_name[0], spec) for spec in MESSAGES]
    # The bus's unicast signals (NameAcquired) do not go through match rules at all in
    # dbus-daemon (bus_transaction_send_from_driver: monitors and the receiver only), so no
    # eavesdropper may see them: busmaster must not route them through bus-match either.
    check(not any("NameAcquired" in s.got for s in subs),
          "dbus-daemon showed the bus's NameAcquired to eavesdroppers")
    messages += [("org.freedesktop.DBus", BUS_SIGNALS["NameOwnerChanged"])]
    serials += ["NameOwnerChanged"]
    for sub in subs:
        done = dbus.lowlevel.SignalMessage("/", "org.example.Sync", "Done")
        done.set_destination(sub.unique)
        emitter.send_message(done)
    deadline = time.monotonic() + 60
    context = GLib.MainContext.default()
    while not all(s.done for s in subs) and time.monotonic() < deadline:
        GLib.timeout_add(100, lambda: False)
        context.iteration(True)
    check(all(s.done for s in subs), "every subscriber got its Done signal")

    for endian in "lB":
        lines = ["conn " + s.unique for s in subs]
        lines += ["rule %d %s" % (i, r.encode().hex()) for i, r in enumerate(rules)]
        lines += ["owns %s %s" % (u, n) for n, u in owners.items()]
        for sender, (mtype, dest, path, iface, member, args) in messages:
            dest = subst(dest) if dest else None
            recipient = owners.get(dest, dest) if dest else None
            words = ["msg", endian, "4" if mtype == "signal" else "1", sender, dest or "-",
                     recipient or "-", path, iface, member]
            for t, v in args:
                words.append("%s:%s" % (t, subst(v).encode().hex() if t == "s" else v))
            lines.append(" ".join(words))
        ours = run_print("match", ("\n".join(lines) + "\n").encode())
        check(len(ours) == len(messages), "bus-match-print answered every message")
        if os.environ.get("BUS_MATCH_VERBOSE"):
            for (_, spec), serial in zip(messages, serials):
                print(spec, "->", [rules[i] for i, s in enumerate(subs) if serial in s.got])
        for k, ((_, spec), serial, line) in enumerate(zip(messages, serials, ours)):
            mine = [int(x) for x in line.split()]
            theirs = [i for i, s in enumerate(subs) if serial in s.got]
            check(mine == theirs, "message %d %r (%s): dbus-daemon delivered to %s, we say %s" %
                  (k, spec, endian, [rules[i] for i in theirs], [rules[i] for i in mine]))


def main():
    tmp = tempfile.mkdtemp(prefix="bus-match-")
    proc = None
    try:
        proc, address = start_daemon(tmp)
        parse_differential(address)
        match_differential(address)
    finally:
        if proc:
            proc.kill()  # the daemon we started, by its PID
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("bus-match vs dbus-daemon: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
