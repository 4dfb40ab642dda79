#!/usr/bin/env python3
"""Per-call latency of the MCP check tool on a 300-line Terraform file (release build).

    python3 -m pip install mcp==2.3.0
    python3 scripts/bench-mcp.py [--calls 200]

Builds the release binary, starts `goldpath mcp` once, and times `check` calls
with the file as content from the Python MCP client; prints p50 and p99.
"""
import argparse
import asyncio
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
args = parser.parse_args()
subprocess.run(["swift", "build", "-c", "release", "--product", "goldpath"], cwd=root, check=True, stdout=subprocess.DEVNULL)

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
        params = StdioServerParameters(command=str(root / ".build/release/goldpath"), args=["mcp", "--root", ws])
        async with stdio_client(params) as (r, w):
            async with ClientSession(r, w) as s:
                await s.initialize()
                for _ in range(5):
                    await s.call_tool("check", {"content": text, "filename": "main.tf"})
                times = []
                for _ in range(args.calls):
                    t = time.perf_counter()
                    res = await s.call_tool("check", {"content": text, "filename": "main.tf"})
                    times.append((time.perf_counter() - t) * 1000)
                    assert res.is_error is False
                times.sort()
                print(f"check on a {lines}-line Terraform file, {args.calls} calls: "
                      f"p50 {statistics.median(times):.1f} ms, p99 {times[int(len(times) * 0.99) - 1]:.1f} ms, "
                      f"findings {res.structured_content['summary']['findings']}")

asyncio.run(main())
