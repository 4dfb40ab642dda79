#!/usr/bin/env python3
"""Compares squawk (squawk-cli) with goldpath, rule by rule, on the same migrations folder.

Usage: python scripts/compare-squawk.py MIGRATIONS_DIR [--bin .build/release/goldpath]
         [--corpus-bin .build/release/goldpath-sql-corpus] [--assume-in-transaction] [--show N]

Both tools run on the forward migrations (`*.up.sql` / `up.sql` / every other `.sql` but `*.down.sql`).
A finding is placed in its statement (by goldpath-sql-corpus's statement ranges); a squawk violation and
a goldpath finding agree when they are in the same statement and the goldpath rule's `aliases` name the
squawk rule. Needs squawk-cli and PyYAML-free parsing of rulepacks/postgres/*.yaml.
"""
import argparse
import bisect
import collections
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def aliases():
    """goldpath rule id -> squawk names, read from the pack's `- id:` and `aliases:` lines."""
    out, current = {}, None
    lines = [l for f in sorted((ROOT / "rulepacks/postgres").glob("*.yaml")) for l in f.read_text().splitlines()]
    for line in lines:
        m = re.match(r"\s+- id: (PG\d+)", line)
        if m:
            current = m.group(1)
            out[current] = set()
        m = re.match(r"\s+aliases: \[(.*)\]", line)
        if m and current:
            out[current] |= {a.strip() for a in m.group(1).split(",")}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--bin", default=str(ROOT / ".build/release/goldpath"))
    ap.add_argument("--corpus-bin", default=str(ROOT / ".build/release/goldpath-sql-corpus"))
    ap.add_argument("--squawk", default="squawk")
    ap.add_argument("--assume-in-transaction", action="store_true")
    ap.add_argument("--show", type=int, default=3)
    args = ap.parse_args()
    root = pathlib.Path(args.dir).resolve()
    files = sorted(str(p) for p in root.rglob("*.sql") if not p.name.endswith("down.sql"))
    alias = aliases()
    known = set().union(*alias.values())

    statements = collections.defaultdict(list)  # file -> [(start, end)]
    dump = subprocess.run([args.corpus_bin, str(root), "--dump"], capture_output=True, text=True, check=True).stdout
    for line in dump.splitlines():
        d = json.loads(line)
        statements[d["file"]].append((d["start"], d["end"]))
    line_starts = {}

    def offset(f, line0, col0):
        if f not in line_starts:
            data = pathlib.Path(f).read_bytes()
            line_starts[f] = [0] + [i + 1 for i, b in enumerate(data) if b == 10]
        starts = line_starts[f]
        return starts[min(line0, len(starts) - 1)] + col0

    def statement(f, off):
        spans = statements.get(f, [])
        i = bisect.bisect_right([s for s, _ in spans], off) - 1
        return i if i >= 0 else 0

    cmd = [args.squawk, "--reporter", "json"] + (["--assume-in-transaction"] if args.assume_in_transaction else []) + files
    sq = subprocess.run(cmd, capture_output=True, text=True)
    violations = json.loads(sq.stdout or "[]")
    theirs = collections.Counter()
    for v in violations:
        f = str(pathlib.Path(v["file"]).resolve())
        theirs[(f, statement(f, offset(f, v["line"], v["column"])), v["rule_name"])] += 1

    gp = subprocess.run([args.bin, "check", "--format", "json", str(root)], capture_output=True, text=True, cwd=root.parent)
    findings = json.loads(gp.stdout)["findings"]
    ours = collections.defaultdict(set)  # (file, statement) -> rule ids
    for f in findings:
        path = str((root.parent / f["file"]).resolve()) if not f["file"].startswith("/") else f["file"]
        # goldpath columns count code points; the corpus files are ASCII in practice.
        off = offset(path, f["start"]["line"] - 1, f["start"]["column"] - 1)
        ours[(path, statement(path, off))].add(f["rule"])

    per_rule = collections.defaultdict(lambda: collections.Counter())
    examples = collections.defaultdict(list)
    for (f, s, name), n in theirs.items():
        hit = any(name in alias.get(r, ()) for r in ours.get((f, s), ()))
        per_rule[name]["squawk"] += 1
        per_rule[name]["agree" if hit else "squawk_only"] += 1
        if not hit:
            examples[(name, "squawk_only")].append(f"{f}#{s + 1}")
    for (f, s), rules in ours.items():
        for r in rules:
            for name in alias.get(r, ()):
                if name not in known or name in ("require-timeout-settings",):
                    continue
                per_rule[name]["goldpath"] += 1
                if (f, s, name) not in theirs and not any((f, s, other) in theirs for other in alias[r] if other != name and other != "require-timeout-settings"):
                    per_rule[name]["goldpath_only"] += 1
                    examples[(name, "goldpath_only")].append(f"{f}#{s + 1} ({r})")
    print(f"{len(files)} files; squawk {len(violations)} violations; goldpath {len(findings)} findings")
    print(f"{'squawk rule':45} {'squawk':>7} {'agree':>7} {'sq only':>8} {'gp only':>8}")
    for name in sorted(per_rule):
        c = per_rule[name]
        print(f"{name:45} {c['squawk']:7} {c['agree']:7} {c['squawk_only']:8} {c['goldpath_only']:8}")
        for kind in ("squawk_only", "goldpath_only"):
            for e in examples[(name, kind)][: args.show]:
                print(f"      {kind}: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
