#!/usr/bin/env python3
"""Benchmarks `goldpath check` on a corpus of charts with a release build.

    python3 scripts/bench-check.py CORPUS_DIR [--runs 5]

Prints the median wall time, peak memory, files/s and MB/s over the runs
(the machine is noisy: quote medians). Builds the release binary first.
"""
import argparse
import pathlib
import re
import statistics
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("corpus")
parser.add_argument("--runs", type=int, default=5)
args = parser.parse_args()

subprocess.run(["swift", "build", "-c", "release", "--product", "goldpath"], cwd=root, check=True, stdout=subprocess.DEVNULL)
binary = root / ".build/release/goldpath"
files = [p for p in pathlib.Path(args.corpus).rglob("values*.y*ml") if "templates" not in p.parts]
size = sum(p.stat().st_size for p in files)
times, peaks = [], []
for _ in range(args.runs):
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", str(binary), "check", "--format", "json", args.corpus],
        capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"goldpath check failed ({proc.returncode}): {proc.stderr[-500:]}")
    wall, peak = re.findall(r"([\d.]+) (\d+)\s*$", proc.stderr)[-1]
    times.append(float(wall))
    peaks.append(int(peak))
med = statistics.median(times)
print(f"corpus: {len(files)} values files, {size / 1e6:.2f} MB")
print(f"wall time: median {med:.2f} s (min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)")
print(f"peak memory: median {statistics.median(peaks) / 1024:.1f} MiB")
print(f"throughput: {len(files) / med:.1f} files/s, {size / 1e6 / med:.2f} MB/s")
