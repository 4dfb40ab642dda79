#!/usr/bin/env python3
"""Compares goldpath's findings with Checkov's on a Terraform directory, for the checks both have.

    checkov -d DIR --framework terraform -o json --quiet > checkov.json
    .build/release/goldpath check --format json DIR > goldpath.json
    python3 scripts/compare-checkov.py checkov.json goldpath.json

A goldpath rule and a Checkov check are "the same check" when the rule lists the
Checkov id in its aliases (`goldpath rules explain ID`). For every resource that
either tool evaluates with such a pair, the script prints agreements and both
kinds of disagreement, one line each.
"""
import collections
import json
import re
import subprocess
import sys
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
checkov_doc = json.load(open(sys.argv[1]))
if isinstance(checkov_doc, dict):
    checkov_doc = [checkov_doc]
goldpath_doc = json.load(open(sys.argv[2]))

# Rule id -> Checkov ids, from the rule packs in force.
listing = subprocess.run([str(root / ".build/release/goldpath"), "rules", "list"], capture_output=True, text=True, check=True).stdout
aliases = {}
for rule in re.findall(r"^  ([A-Z]+\d+) ", listing, re.M):
    explain = subprocess.run([str(root / ".build/release/goldpath"), "rules", "explain", rule], capture_output=True, text=True).stdout
    m = re.search(r"^also known as: (.*)$", explain, re.M)
    ids = [a.strip() for a in m.group(1).split(",")] if m else []
    aliases[rule] = [a for a in ids if a.startswith("CKV")]
checkov_to_rule = {c: r for r, cs in aliases.items() for c in cs}

# Checkov results by (file, resource address), with the resource's line range.
checkov = collections.defaultdict(dict)   # (file, resource, (first, last)) -> {check_id: passed}
for doc in checkov_doc:
    for state in ("passed_checks", "failed_checks"):
        for c in doc["results"].get(state, []):
            if c["check_id"] not in checkov_to_rule:
                continue
            key = (c["file_abs_path"], c["resource"], tuple(c["file_line_range"]))
            checkov[key][c["check_id"]] = state == "passed_checks"

agree = disagree = 0
rows = []
for (path, resource, (first, last)), checks in sorted(checkov.items()):
    for check_id, passed in sorted(checks.items()):
        rule = checkov_to_rule[check_id]
        # A goldpath finding belongs to the resource when it lies within the resource's lines.
        ours = any(
            pathlib.Path(f["file"]).resolve() == pathlib.Path(path).resolve() and f["rule"] == rule and first <= f["start"]["line"] <= last
            for f in goldpath_doc["findings"])
        name = pathlib.Path(path).name
        if ours == (not passed):
            agree += 1
            rows.append(f"AGREE    {name} {resource} {check_id}/{rule}: {'fails' if ours else 'passes'} in both")
        else:
            disagree += 1
            rows.append(f"DISAGREE {name} {resource} {check_id}/{rule}: checkov {'passes' if passed else 'fails'}, goldpath {'fails' if ours else 'passes'}")
print("\n".join(rows))
print(f"pairs compared: {agree + disagree}; agree: {agree}; disagree: {disagree}")
