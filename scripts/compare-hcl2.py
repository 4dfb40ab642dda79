#!/usr/bin/env python3
"""Compares goldpath's HCL parser with python-hcl2 on literal attribute values.

    pip install python-hcl2
    swift build -c release --product goldpath-hcl-corpus
    python3 scripts/compare-hcl2.py DIR...

For every .tf/.tfvars file, both parsers' literal attribute values (numbers,
booleans, strings without interpolation) are keyed by block path and
attribute name and compared; mismatches are printed with their location.
"""
import json
import pathlib
import re
import subprocess
import sys

import hcl2

root = pathlib.Path(__file__).resolve().parent.parent
dirs = [a for a in sys.argv[1:] if not a.startswith("--")]
out = subprocess.run([str(root / ".build/release/goldpath-hcl-corpus"), *dirs, "--dump"], capture_output=True, text=True, check=True)


def unquote(s):
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        body = s[1:-1]
        if "${" in body.replace("$${", "") or "%{" in body.replace("%%{", ""):
            return None
        return json.loads('"' + body.replace("$${", "${").replace("%%{", "%{").replace("\t", "\\t") + '"')
    return None


def is_block_list(v):
    def marked(e):
        if not isinstance(e, dict):
            return False
        if e.get("__is_block__"):
            return True
        return len(e) == 1 and marked(next(iter(e.values())))
    return isinstance(v, list) and v and all(marked(e) for e in v)


def flatten(body, path, rows):
    occurrences = {}
    for key, value in body.items():
        if key == "__is_block__":
            continue
        if is_block_list(value):
            for element in value:
                labels = []
                while "__is_block__" not in element and len(element) == 1:
                    label, element = next(iter(element.items()))
                    labels.append(label[1:-1] if label.startswith('"') else label)
                name = " ".join([key] + labels)
                n = occurrences.get(name, 0)
                occurrences[name] = n + 1
                flatten(element, path + [f"{name} #{n}"], rows)
            continue
        p = "/".join(path)
        if isinstance(value, bool):
            rows[(p, key)] = ("bool", value)
        elif isinstance(value, (int, float)):
            rows[(p, key)] = ("number", float(value))
        elif isinstance(value, str) and not value.startswith('"<<'):
            s = unquote(value)
            if s is not None:
                rows[(p, key)] = ("string", s)


agree = disagree = only_ours = only_theirs = files = skipped = 0
for line in out.stdout.splitlines():
    doc = json.loads(line)
    try:
        theirs_doc = hcl2.loads(pathlib.Path(doc["file"]).read_text())
    except Exception as e:  # python-hcl2 cannot read every file goldpath can
        skipped += 1
        print(f"python-hcl2 cannot parse {doc['file']}: {str(e).splitlines()[0][:100]}")
        continue
    files += 1
    theirs = {}
    flatten(theirs_doc, [], theirs)
    ours = {}
    for p, attr, kind, value in doc["literals"]:
        ours[(p, attr)] = (kind, float(value) if kind == "number" else value)
    for k, v in ours.items():
        if k not in theirs:
            only_ours += 1
            if "--verbose" in sys.argv or only_ours <= 5:
                print(f"ONLY-GOLDPATH {doc['file']} {k}: {v!r}")
        elif theirs[k] == v:
            agree += 1
        else:
            disagree += 1
            print(f"DIFF {doc['file']} {k}: goldpath {v!r} python-hcl2 {theirs[k]!r}")
    only_theirs += sum(1 for k in theirs if k not in ours)
print(f"files compared: {files} (python-hcl2 failed on {skipped}); literal values: {agree} agree, {disagree} disagree, "
      f"{only_ours} only goldpath reads as literal, {only_theirs} only python-hcl2 reads as literal")
