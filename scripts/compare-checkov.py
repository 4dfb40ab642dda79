#!/usr/bin/env python3
"""Compares goldpath's findings with Checkov's on a Terraform directory: coverage and agreement.

    checkov -d DIR --framework terraform -o json --quiet > checkov.json
    .build/release/goldpath check --format json DIR > goldpath.json
    python3 scripts/compare-checkov.py checkov.json goldpath.json [--list]

Coverage: of the distinct Checkov ids that fail somewhere in DIR, how many a goldpath rule lists in its
aliases, per provider (AWS, Azure, GCP, other). Agreement: for every resource Checkov evaluates with a
check that a goldpath rule aliases, whether both tools fail it, both pass it, only Checkov fails it or only
goldpath does ("cannot verify" findings are counted apart). A goldpath finding belongs to the resource when it
lies within the resource's lines. --list prints one line per disagreement.
"""
import argparse
import collections
import json
import pathlib
import re
import subprocess

root = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("checkov")
parser.add_argument("goldpath")
parser.add_argument("--list", action="store_true", help="print every disagreement")
parser.add_argument("--binary", default=str(root / ".build/release/goldpath"))
args = parser.parse_args()

checkov_doc = json.load(open(args.checkov))
if isinstance(checkov_doc, dict):
    checkov_doc = [checkov_doc]
goldpath_doc = json.load(open(args.goldpath))

# Checkov id -> goldpath rules that alias it, from the packs in force.
rules = json.loads(subprocess.run([args.binary, "rules", "list", "--format", "json"], capture_output=True, text=True,
                                  check=True).stdout)
rules = rules if isinstance(rules, list) else rules["rules"]
checkov_to_rules = collections.defaultdict(set)
for rule in rules:
    for alias in rule.get("aliases", []):
        if alias.startswith("CKV"):
            checkov_to_rules[alias].add(rule["id"])


def provider(check_id):
    for prefix, name in (("AWS", "AWS"), ("AZURE", "Azure"), ("GCP", "GCP")):
        if check_id.startswith(f"CKV_{prefix}_") or check_id.startswith(f"CKV2_{prefix}_"):
            return name
    return "other"


failing = collections.defaultdict(set)
results = collections.defaultdict(dict)  # (file, resource, first, last) -> {check_id: passed}
for doc in checkov_doc:
    for state in ("passed_checks", "failed_checks"):
        for c in doc.get("results", {}).get(state, []):
            if state == "failed_checks":
                failing[provider(c["check_id"])].add(c["check_id"])
            if c["check_id"] in checkov_to_rules:
                first, last = c["file_line_range"]
                results[(str(pathlib.Path(c["file_abs_path"]).resolve()), c["resource"], first, last)][c["check_id"]] = (
                    state == "passed_checks")

print("coverage of the Checkov ids that fail here:")
for name in ("AWS", "Azure", "GCP", "other"):
    ids = failing.get(name, set())
    if not ids:
        continue
    covered = sorted(i for i in ids if i in checkov_to_rules)
    print(f"  {name}: {len(covered)}/{len(ids)} ({100 * len(covered) / len(ids):.0f}%)")

def unindexed(address):
    return re.sub(r"\[[^\]]*\]", "", address)


findings = collections.defaultdict(list)
by_subject = collections.defaultdict(list)
for f in goldpath_doc["findings"]:
    findings[str(pathlib.Path(f["file"]).resolve())].append(f)
    if f.get("subject"):
        by_subject[unindexed(f["subject"])].append(f)

counts = collections.Counter()
lines = []
for (path, resource, first, last), checks in sorted(results.items()):
    for check_id, passed in sorted(checks.items()):
        if resource.startswith("module."):
            # Checkov judges a called module's resource once per caller, at the module's lines; goldpath follows one
            # call and reports what the call's arguments cause at the argument in the caller, under the same address.
            if unindexed(resource).count("module.") > 1:
                counts["deeper than one module call"] += 1
                continue
            ours = [f for f in by_subject.get(unindexed(resource), []) if f["rule"] in checkov_to_rules[check_id]]
        else:
            ours = [f for f in findings.get(path, []) if f["rule"] in checkov_to_rules[check_id] and first <= f["start"]["line"] <= last]
        unverifiable = ours and all(f["message"].startswith("Cannot verify") for f in ours)
        fails = bool(ours) and not unverifiable
        if unverifiable:
            kind = "goldpath cannot verify"
        elif fails and not passed:
            kind = "both fail"
        elif not fails and passed:
            kind = "both pass"
        elif not passed:
            kind = "only Checkov fails"
        else:
            kind = "only goldpath fails"
        counts[kind] += 1
        if kind.startswith("only") or kind.startswith("goldpath"):
            rel = pathlib.Path(path).relative_to(pathlib.Path.cwd()) if path.startswith(str(pathlib.Path.cwd())) else path
            lines.append(f"{kind:22} {rel}:{first} {resource} {check_id}/{','.join(sorted(checkov_to_rules[check_id]))}")

print("agreement on the checks both have (resource × check):")
for kind in ("both fail", "both pass", "only Checkov fails", "only goldpath fails", "goldpath cannot verify",
             "deeper than one module call"):
    print(f"  {kind}: {counts[kind]}")
if args.list:
    print("\n".join(lines))
