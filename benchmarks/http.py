"""HTTP throughput: requests/s and latency for ``/search`` and ``/api/search`` through gunicorn
(2 workers) on loopback, driven by Debian's ``wrk`` (eight connections; ``apt-get install wrk``)
or, without it, a bounded Python client in a separate process (eight threads, each waiting
for its answer), with the error count and the server's memory at start and end.

    python -m benchmarks.http [--seconds 20] [--data DIR --corpus DIR] [--client wrk|python]

Without --data the shipped corpus is indexed into benchmarks/cache/shipped. Writes
benchmarks/results/http.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.soak import QUERIES, percentile, rss_kb, server_pids, start_server, wait_until_up
from indexer.build import build_index
from kb.config import Settings, shipped_corpus

CACHE = Path(__file__).with_name("cache")
RESULTS = Path(__file__).with_name("results")

CLIENT = r"""
import json, sys, threading, time, urllib.request
base, seconds, paths = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])
latencies, errors, lock = [], [], threading.Lock()
deadline = time.monotonic() + seconds
def worker(offset):
    n = offset
    while time.monotonic() < deadline:
        path = paths[n % len(paths)]; n += 8
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read(); ok = response.status == 200
        except Exception:
            ok = False
        with lock:
            (latencies if ok else errors).append((time.perf_counter() - started) * 1000)
threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
json.dump({"latencies": latencies, "errors": len(errors)}, sys.stdout)
"""


WRK_SCRIPT = """
local paths = %s
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nWRK {"requests": %%d, "seconds": %%f, "errors": %%d, "p50_ms": %%f, "p95_ms": %%f, "p99_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def load(base: str, seconds: float, paths: list[str], client: str) -> dict:
    """Drive the server for ``seconds``: requests/s, errors and latency percentiles."""
    if client == "wrk":
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % ("{" + ", ".join(json.dumps(p) for p in paths) + "}"))
        out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds:g}s", "--timeout", "30s", "-s", script.name, base],
                             capture_output=True, text=True, check=True).stdout
        Path(script.name).unlink()
        result = json.loads(out.split("WRK ", 1)[1])
        return {"requests_per_s": round(result["requests"] / result["seconds"], 1), "errors": result["errors"],
                "p50_ms": round(result["p50_ms"], 1), "p95_ms": round(result["p95_ms"], 1),
                "p99_ms": round(result["p99_ms"], 1)}
    out = subprocess.run([sys.executable, "-c", CLIENT, base, str(seconds), json.dumps(paths)],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    latencies = result["latencies"]
    return {"requests_per_s": round((len(latencies) + result["errors"]) / seconds, 1),
            "errors": result["errors"], "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1), "p99_ms": round(percentile(latencies, 0.99), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--queries", type=int, default=0,
                        help="draw this many reader queries from the index (default: the fixed reader list)")
    args = parser.parse_args()
    settings = Settings(corpus=args.corpus or shipped_corpus(), data=args.data or CACHE / "shipped")
    if args.data is None:
        build_index(settings)
    queries = QUERIES
    if args.queries:
        from benchmarks.query import make_queries
        from kb.index.handle import IndexHandle
        handle = IndexHandle.for_settings(settings)
        queries = [text for text, _kind in make_queries(handle, args.queries, seed=7)["reader mix"]]
        handle.close()
    server, base = start_server(settings)
    figures = {}
    try:
        wait_until_up(base, 150)
        for endpoint in ("/api/search", "/search"):
            paths = [f"{endpoint}?q={urllib.parse.quote(q)}" for q in queries]
            load(base, 3, paths, args.client)  # warm: searchers, statistics, caches
            start_rss = rss_kb(server_pids(server.pid))
            figures[endpoint] = {**load(base, args.seconds, paths, args.client),
                                 "rss_start_mb": round(start_rss / 1024, 1),
                                 "rss_end_mb": round(rss_kb(server_pids(server.pid)) / 1024, 1)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"client: {args.client}; {len(queries)} queries")
    print(f"{'endpoint':12} {'req/s':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'RSS MB':>13}")
    for endpoint, row in figures.items():
        print(f"{endpoint:12} {row['requests_per_s']:7.1f} {row['errors']:6} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} "
              f"{row['p99_ms']:7.1f} {row['rss_start_mb']:6.1f}→{row['rss_end_mb']:.1f}")
    RESULTS.mkdir(exist_ok=True)
    name = "http.json" if args.data is None else f"http-{args.data.name}.json"
    (RESULTS / name).write_text(json.dumps({"client": args.client, **figures}, indent=2))


if __name__ == "__main__":
    main()
