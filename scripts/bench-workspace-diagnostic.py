#!/usr/bin/env python3
"""Time `workspace/diagnostic` pulls of `goldpath lsp` on a directory (release build).

    python3 scripts/bench-workspace-diagnostic.py DIR [--pulls 7] [--bin PATH]...

Starts one language server per binary (default: the release build of this
checkout) with a client that pulls diagnostics, rooted at DIR, and pulls the
workspace's diagnostics --pulls times per server, the servers taking turns; each
pull after the first sends the previous result ids, as an editor does. Nothing
changes between pulls, so every pull after the first measures what a server
does for an unchanged workspace. Prints the first pull, the median of the
others, the items reported and the peak RSS per binary.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import threading
import time
import queue

root = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("dir")
parser.add_argument("--pulls", type=int, default=7)
parser.add_argument("--bin", action="append", default=[])
args = parser.parse_args()
if not args.bin:
    subprocess.run(["swift", "build", "-c", "release", "--product", "goldpath"], cwd=root, check=True, stdout=subprocess.DEVNULL)
    args.bin = [str(root / ".build/release/goldpath")]
workspace = pathlib.Path(args.dir).resolve()


class Server:
    def __init__(self, binary):
        self.proc = subprocess.Popen([binary, "lsp"], cwd=workspace, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self.read, daemon=True).start()
        capabilities = {"textDocument": {"diagnostic": {}}, "general": {"positionEncodings": ["utf-8"]}}
        self.request("initialize", {"processId": None, "rootUri": workspace.as_uri(), "capabilities": capabilities})
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        self.previous = []

    def read(self):
        out = self.proc.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                c = out.read(1)
                if not c:
                    return
                header += c
            length = int([l for l in header.decode().split("\r\n") if l.lower().startswith("content-length")][0].split(":")[1])
            self.messages.put(json.loads(out.read(length)))

    def send(self, payload):
        body = json.dumps(payload).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            m = self.messages.get(timeout=600)
            if m.get("id") == self.next_id:
                return m

    def pull(self):
        t = time.perf_counter()
        result = self.request("workspace/diagnostic", {"previousResultIds": self.previous})["result"]
        elapsed = time.perf_counter() - t
        self.previous = [{"uri": i["uri"], "value": i["resultId"]} for i in result["items"] if "resultId" in i]
        return elapsed, sum(len(i.get("items", [])) for i in result["items"]), len(result["items"])

    def peak_rss_mib(self):
        for line in pathlib.Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0


servers = [Server(b) for b in args.bin]
times = [[] for _ in servers]
reported = [None for _ in servers]
for _ in range(args.pulls):
    for i, s in enumerate(servers):
        elapsed, diagnostics, files = s.pull()
        times[i].append(elapsed)
        if reported[i] is None:
            reported[i] = (diagnostics, files)
for binary, ts, s, (diagnostics, files) in zip(args.bin, times, servers, reported):
    rest = statistics.median(ts[1:]) if len(ts) > 1 else float("nan")
    print(f"{binary}: {files} files, {diagnostics} diagnostics; first pull {ts[0]:.3f} s, "
          f"then median {rest:.3f} s over {len(ts) - 1} pulls; peak RSS {s.peak_rss_mib():.0f} MiB")
    s.proc.kill()
