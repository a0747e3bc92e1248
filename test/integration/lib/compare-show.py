#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# compare-show.py: compare two `systemctl show -p ... NAME...` outputs block by block.
#
#   compare-show.py [options] NAMES-FILE A-FILE B-FILE
#   compare-show.py [options] --steps DIR
#
# NAMES-FILE holds the unit names given to both commands, one per line, in order; block i
# of each output (blocks are separated by one empty line) belongs to name i.  Both sides
# are normalised the same way: in the word-list properties (--sort) the words are sorted
# and words whose unit type is in --drop-types are removed; every other property is
# compared verbatim, and so is the order of the properties (unless --no-order).
# Differences are printed per unit and property, then "units compared: N, differing: M".
#
# --expect FILE checks substring expectations (TEST-15's check_ok/check_ko) against both
# raw outputs: lines "UNIT PROPERTY ok|ko SUBSTRING" (UNIT as in NAMES-FILE, or that name
# without ".service"; the substring may contain blanks).
#
# --steps DIR compares every subdirectory of DIR (sorted by name), each holding names,
# systemd.txt/.rc/.err, analyzer.txt/.rc/.err and optionally expect (expectations) or
# expect-rc ("nonzero": both commands must fail, outputs are not compared).  Each step's
# report is also written to its diff.txt; failing steps print their report and tree.txt.
#
# Exit status: 0 equal, 1 differences or failed expectations, 2 unusable input.
import argparse
import os
import sys

DEFAULT_SORT = "Names,Requires,Wants,BindsTo,PartOf,Conflicts,Before,After"
DEFAULT_DROP = "mount,swap,device,automount"


def parse_blocks(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    blocks = []
    cur = None
    for line in text.split("\n"):
        if line == "":
            if cur is not None:
                blocks.append(cur)
                cur = None
            continue
        if cur is None:
            cur = []
        key, sep, value = line.partition("=")
        if not sep:
            key, value = line, None  # not a Key=Value line: keep it visible
        cur.append((key, value))
    if cur is not None:
        blocks.append(cur)
    return blocks


def read_names(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip()]


class Comparer:
    def __init__(self, args):
        self.sort_props = set(filter(None, args.sort.split(",")))
        self.drop_types = set(filter(None, args.drop_types.split(",")))
        self.la, self.lb = args.label_a, args.label_b
        self.width = max(len(self.la), len(self.lb)) + 1
        self.order = not args.no_order

    def normalise(self, key, value):
        if value is None or key not in self.sort_props:
            return value
        # systemctl quotes words with special characters ("foo\\x2dbar.mount"): look at
        # the unit type of the unquoted word, compare the word as printed.
        words = [w for w in value.split() if w.strip('"').rsplit(".", 1)[-1] not in self.drop_types]
        return " ".join(sorted(words))

    def compare(self, names, path_a, path_b, expect=None):
        """Returns (report lines, units differing, failed expectations, input error)."""
        la, lb, width = self.la, self.lb, self.width
        out = []
        error = False
        ba = parse_blocks(path_a)
        bb = parse_blocks(path_b)
        # Blocks that cannot be matched to names: the reference side's output is unusable
        # (error); the other side differs in every unit.
        if len(ba) != len(names) or len(bb) != len(names):
            for label, blocks in ((la, ba), (lb, bb)):
                if len(blocks) != len(names):
                    out.append(f"{label}: {len(blocks)} blocks for {len(names)} names, not compared")
            mismatch = 0 if len(ba) != len(names) else len(names)
            out.append(f"units compared: {len(names)}, differing: {mismatch}")
            return out, mismatch, 0, len(ba) != len(names)

        differing = 0
        for i, name in enumerate(names):
            a = ba[i] if i < len(ba) else []
            b = bb[i] if i < len(bb) else []
            da = {k: self.normalise(k, v) for k, v in a}
            db = {k: self.normalise(k, v) for k, v in b}
            lines = []
            for k in dict.fromkeys([k for k, _ in a] + [k for k, _ in b]):
                if k not in db:
                    lines.append(f"  {k}: missing in {lb} ({la}: {da[k]!r})")
                elif k not in da:
                    lines.append(f"  {k}: missing in {la} ({lb}: {db[k]!r})")
                elif da[k] != db[k]:
                    lines.append(f"  {k}:")
                    if k in self.sort_props and da[k] is not None and db[k] is not None:
                        wa, wb = set(da[k].split()), set(db[k].split())
                        if wa - wb:
                            lines.append(f"    only {la + ':':<{width}} {' '.join(sorted(wa - wb))}")
                        if wb - wa:
                            lines.append(f"    only {lb + ':':<{width}} {' '.join(sorted(wb - wa))}")
                        if wa == wb:  # same words, different multiplicity
                            lines.append(f"    {la + ':':<{width}} {da[k]}")
                            lines.append(f"    {lb + ':':<{width}} {db[k]}")
                    else:
                        lines.append(f"    {la + ':':<{width}} {da[k]}")
                        lines.append(f"    {lb + ':':<{width}} {db[k]}")
            if self.order:
                oa = [k for k, _ in a if k in db]
                ob = [k for k, _ in b if k in da]
                if oa != ob:
                    lines.append(f"  (property order) {la}: {' '.join(oa)}")
                    lines.append(f"  (property order) {lb}: {' '.join(ob)}")
            if lines:
                differing += 1
                ida = da.get("Id")
                shown = name if ida in (None, name) else f"{name} (Id={ida})"
                out.append(f"--- {shown}")
                out.extend(lines)

        failed = 0
        if expect:
            with open(expect, encoding="utf-8") as f:
                for raw in f:
                    line = raw.strip()
                    if not line or line.startswith("#"):
                        continue
                    parts = line.split(None, 3)
                    if len(parts) != 4 or parts[2] not in ("ok", "ko"):
                        out.append(f"bad expectation line: {line!r}")
                        error = True
                        continue
                    unit, prop, mode, sub = parts
                    for label, blocks in ((la, ba), (lb, bb)):
                        blk = None
                        for cand in (unit, unit + ".service"):
                            if cand in names and names.index(cand) < len(blocks):
                                blk = blocks[names.index(cand)]
                                break
                        if blk is None:
                            out.append(f"EXPECT FAILED ({label}): no block for {unit}")
                            failed += 1
                            continue
                        vals = [v for k, v in blk if k == prop]
                        val = vals[0] if vals and vals[0] is not None else ""
                        if (sub in val) != (mode == "ok"):
                            failed += 1
                            what = "contains" if mode == "ko" else "lacks"
                            out.append(f"EXPECT FAILED ({label}): check_{mode} {unit} {prop} '{sub}': "
                                       f"{what} it; value: {val!r}")
        out.append(f"units compared: {len(names)}, differing: {differing}")
        if failed:
            out.append(f"failed expectations: {failed}")
        return out, differing, failed, error


def read_text(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


def run_steps(cmp, top):
    steps = sorted(d for d in os.listdir(top) if os.path.isdir(os.path.join(top, d)))
    n_failed = n_units = n_diff = 0
    error = False
    for s in steps:
        d = os.path.join(top, s)
        names = read_names(os.path.join(d, "names"))
        rc = {side: read_text(os.path.join(d, side + ".rc"), "missing") for side in ("systemd", "analyzer")}
        err = {side: read_text(os.path.join(d, side + ".err")) for side in ("systemd", "analyzer")}
        out = []
        bad = False
        if read_text(os.path.join(d, "expect-rc")) == "nonzero":
            for side, label in (("systemd", cmp.la), ("analyzer", cmp.lb)):
                if rc[side] == "0":
                    out.append(f"{label} accepted {' '.join(names)} (exit status 0, expected failure)")
                    bad = True
        elif rc["systemd"] != "0":
            out.append(f"{cmp.la} failed with {rc['systemd']}: {err['systemd'][:300]}")
            bad = error = True
        else:
            expect = os.path.join(d, "expect")
            lines, diff, failed, err_in = cmp.compare(names, os.path.join(d, "systemd.txt"),
                                                      os.path.join(d, "analyzer.txt"),
                                                      expect if os.path.exists(expect) else None)
            out.extend(lines)
            n_units += len(names)
            n_diff += diff
            if rc["analyzer"] != "0":
                out.append(f"{cmp.lb} exited with {rc['analyzer']}: {err['analyzer'][:300]}")
            bad = diff > 0 or failed > 0 or err_in or rc["analyzer"] != "0"
            error = error or err_in
        with open(os.path.join(d, "diff.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
        if bad:
            n_failed += 1
            for l in out:
                if not l.startswith("units compared:"):
                    print(f"{s}: {l}")
            tree = read_text(os.path.join(d, "tree.txt"))
            if tree:
                print(f"{s}: files:")
                for l in tree.split("\n"):
                    print(f"    {l}")
    print(f"steps: {len(steps)}, failed: {n_failed}; units compared: {n_units}, differing: {n_diff}")
    if error or not steps:
        return 2
    return 1 if n_failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label-a", default="systemd")
    ap.add_argument("--label-b", default="sysmaster-analyze")
    ap.add_argument("--sort", default=DEFAULT_SORT, help="comma list of word-list properties")
    ap.add_argument("--drop-types", default=DEFAULT_DROP, help="comma list of unit types to drop from word lists")
    ap.add_argument("--no-order", action="store_true", help="ignore the order of properties")
    ap.add_argument("--expect", help="file of 'UNIT PROPERTY ok|ko SUBSTRING' expectations")
    ap.add_argument("--steps", help="directory of step directories to compare")
    ap.add_argument("files", nargs="*", help="NAMES-FILE A-FILE B-FILE")
    args = ap.parse_args()
    cmp = Comparer(args)

    if args.steps:
        if args.files:
            ap.error("--steps takes no file arguments")
        return run_steps(cmp, args.steps)
    if len(args.files) != 3:
        ap.error("need NAMES-FILE A-FILE B-FILE")
    names_file, a, b = args.files
    lines, diff, failed, error = cmp.compare(read_names(names_file), a, b, args.expect)
    print("\n".join(lines))
    if error:
        return 2
    return 1 if diff or failed else 0


if __name__ == "__main__":
    sys.exit(main())
