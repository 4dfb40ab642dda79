#!/usr/bin/env python3
"""Per-call latency of the MCP check tool on a 300-line Terraform file (release build).

    python3 -m pip install mcp==2.3.0
    python3 scripts/bench-mcp.py [--calls 200] [--distinct] [--bin PATH]...

Builds the release binary (or takes the binaries given with --bin, e.g. an
older build to compare with), starts `goldpath mcp` once per binary, and times
`check` calls with the file as content from the Python MCP client, the binaries
taking turns call by call; prints p50 and p99 per binary and their ratio.
--distinct makes every call's content differ (a comment with the call's
number), so no call is answered from the server's cache of unchanged units.
"""
import argparse
import asyncio
import contextlib
import pathlib
import statistics
import subprocess
import tempfile
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

root = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("--calls", type=int, default=200)
parser.add_argument("--distinct", action="store_true")
parser.add_argument("--bin", action="append", default=[])
args = parser.parse_args()
if not args.bin:
    subprocess.run(["swift", "build", "-c", "release", "--product", "goldpath"], cwd=root, check=True, stdout=subprocess.DEVNULL)
    args.bin = [str(root / ".build/release/goldpath")]

blocks = []
for i in range(12):
    blocks.append(f'''resource "aws_db_instance" "db{i}" {{
  identifier              = "orders-{i}"
  engine                  = "postgres"
  instance_class          = "db.m6g.large"
  allocated_storage       = 50
  storage_encrypted       = {"true" if i % 2 else "false"}
  backup_retention_period = {7 if i % 3 else 1}
  deletion_protection     = true
  publicly_accessible     = false
  multi_az                = true
  tags = {{
    Team = "payments"
    Env  = "prod"
  }}
}}

resource "aws_instance" "web{i}" {{
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  metadata_options {{
    http_tokens = "required"
  }}
  root_block_device {{
    encrypted = true
  }}
}}
''')
text = "\n".join(blocks)
lines = text.count("\n")


async def main():
    with tempfile.TemporaryDirectory() as ws:
        stack = contextlib.AsyncExitStack()
        async with stack:
            sessions = []
            for binary in args.bin:
                r, w = await stack.enter_async_context(stdio_client(StdioServerParameters(command=binary, args=["mcp", "--root", ws])))
                s = await stack.enter_async_context(ClientSession(r, w))
                await s.initialize()
                for _ in range(5):
                    await s.call_tool("check", {"content": text, "filename": "main.tf"})
                sessions.append(s)
            times = [[] for _ in sessions]
            findings = [None for _ in sessions]
            for call in range(args.calls):
                content = text + (f"# call {call}\n" if args.distinct else "")
                for i, s in enumerate(sessions):
                    t = time.perf_counter()
                    res = await s.call_tool("check", {"content": content, "filename": "main.tf"})
                    times[i].append((time.perf_counter() - t) * 1000)
                    assert res.is_error is False
                    findings[i] = res.structured_content["summary"]["findings"]
            medians = []
            for binary, ts, n in zip(args.bin, times, findings):
                ts.sort()
                medians.append(statistics.median(ts))
                print(f"{binary}: check on a {lines}-line Terraform file, {args.calls} {'distinct ' if args.distinct else ''}calls: "
                      f"p50 {medians[-1]:.1f} ms, p99 {ts[int(len(ts) * 0.99) - 1]:.1f} ms, findings {n}")
            if len(medians) > 1:
                print("p50 ratio " + " : ".join(f"{m / medians[-1]:.2f}" for m in medians))

asyncio.run(main())
