#!/usr/bin/env python3
"""Benchmarks `goldpath check` on a corpus of charts with a release build.

    python3 scripts/bench-check.py CORPUS_DIR... [--runs 5] [--compare OTHER_BINARY]

Prints the median wall time, peak memory, files/s and MB/s over the runs
(the machine is noisy: quote medians). Builds the release binary first.
With --compare, the other binary (an earlier build, say) runs on the same
corpus in turn with this one, run by run, and the ratio of the medians is printed.
"""
import argparse
import pathlib
import re
import statistics
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("corpus", nargs="+")
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--compare", help="another goldpath binary to run alternately with this one")
args = parser.parse_args()

subprocess.run(["swift", "build", "-c", "release", "--product", "goldpath"], cwd=root, check=True, stdout=subprocess.DEVNULL)
binary = root / ".build/release/goldpath"
files = [p for c in args.corpus for p in pathlib.Path(c).rglob("values*.y*ml") if "templates" not in p.parts]
size = sum(p.stat().st_size for p in files)


def run(exe):
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", str(exe), "check", "--format", "json", *args.corpus], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"{exe} check failed ({proc.returncode}): {proc.stderr[-500:]}")
    wall, peak = re.findall(r"([\d.]+) (\d+)\s*$", proc.stderr)[-1]
    return float(wall), int(peak)


binaries = [binary] + ([pathlib.Path(args.compare)] if args.compare else [])
results = {b: ([], []) for b in binaries}
for _ in range(args.runs):
    for b in binaries:
        wall, peak = run(b)
        results[b][0].append(wall)
        results[b][1].append(peak)
print(f"corpus: {len(files)} values files, {size / 1e6:.2f} MB")
for b in binaries:
    times, peaks = results[b]
    med = statistics.median(times)
    print(f"{b}:")
    print(f"  wall time: median {med:.2f} s (min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)")
    print(f"  peak memory: median {statistics.median(peaks) / 1024:.1f} MiB")
    print(f"  throughput: {len(files) / med:.1f} files/s, {size / 1e6 / med:.2f} MB/s")
if args.compare:
    ratio = statistics.median(results[binary][0]) / statistics.median(results[binaries[1]][0])
    print(f"ratio (this / compared): {ratio:.2f}")
