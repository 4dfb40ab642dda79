#!/usr/bin/env python3
"""Latency of goldpath lsp from an edit to its diagnostics (release build).

    python3 scripts/bench-lsp.py [--edits 200]

Opens a 300-line and a 5,000-line main.tf, sends single-character edits one
at a time (each waits for its diagnostics, so debouncing does not hide work),
and prints p50/p95/p99 of edit → publishDiagnostics, the time from initialize
to the first diagnostics, and the server's peak RSS.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "Tests/e2e"))
from test_lsp import Client  # noqa: E402

root = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("--edits", type=int, default=200)
args = parser.parse_args()
subprocess.run(["swift", "build", "-c", "release", "--product", "goldpath"], cwd=root, check=True, stdout=subprocess.DEVNULL)


def module(lines):
    block = '''resource "aws_db_instance" "db{i}" {{
  engine                  = "postgres"
  instance_class          = "db.m6g.large"
  storage_encrypted       = true
  backup_retention_period = 7
  deletion_protection     = true
  publicly_accessible     = false
  multi_az                = true
  tags = {{
    Team = "payments"
  }}
}}

'''
    out, i = "", 0
    while out.count("\n") < lines:
        out += block.format(i=i)
        i += 1
    return out


import os  # noqa: E402
os.environ["GOLDPATH_BIN"] = str(root / ".build/release/goldpath")
with tempfile.TemporaryDirectory() as ws:
    ws = pathlib.Path(ws)
    for lines in (300, 5000):
        c = Client(ws)
        t0 = time.perf_counter()
        c.request("initialize", {"processId": None, "rootUri": ws.as_uri(), "capabilities": {}})
        c.notify("initialized", {})
        text = module(lines)
        uri = (ws / f"m{lines}/main.tf").as_uri()
        (ws / f"m{lines}").mkdir()
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}})
        c.diagnostics(uri, 1)
        first = (time.perf_counter() - t0) * 1000
        times = []
        for v in range(2, args.edits + 2):
            t = time.perf_counter()
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v}, "contentChanges": [
                {"range": {"start": {"line": 1, "character": 37}, "end": {"line": 1, "character": 37}}, "text": "x" if v % 2 else ""}]})
            c.diagnostics(uri, v)
            times.append((time.perf_counter() - t) * 1000)
        rss = int([l for l in open(f"/proc/{c.proc.pid}/status") if l.startswith("VmHWM")][0].split()[1]) / 1024
        c.request("shutdown")
        c.notify("exit", {})
        times.sort()
        q = lambda p: times[min(len(times) - 1, int(len(times) * p))]
        print(f"{text.count(chr(10))}-line main.tf: first diagnostics {first:.0f} ms after initialize; "
              f"edit → diagnostics p50 {q(0.5):.0f} ms, p95 {q(0.95):.0f} ms, p99 {q(0.99):.0f} ms ({len(times)} edits); peak RSS {rss:.0f} MiB")
