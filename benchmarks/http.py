"""HTTP throughput: requests/s and latency for ``/search`` and ``/api/search`` through gunicorn
(2 workers) on loopback, driven by Debian's ``wrk`` (eight connections; ``apt-get install wrk``)
or, without it, a bounded Python client in a separate process (eight threads, each waiting
for its answer), with the error count and the server's memory at start and end.

    python -m benchmarks.http [--seconds 20] [--data DIR --corpus DIR] [--client wrk|python]
    python -m benchmarks.http --data DIR --corpus DIR --zipf 3000   # a realistic mix (below)

``--zipf N``: N distinct reader queries drawn from the index (``benchmarks.query``'s reader mix),
requested with a Zipf-like skew (the query of rank r with weight 1/r: a few frequent, a long
tail), in a long seeded sequence that the run does not repeat; the server is first warmed by
another draw from the same distribution. An answer cache then helps as much as it would with
real readers, and no more.

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

from benchmarks.soak import QUERIES, percentile, rss_kb, server_pids, start_server, wait_until_up, wait_until_warm
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


ZIPF_EXPONENT = 1.0
ZIPF_DRAWS = 60_000  # requests in one sequence: more than a 20-second run sends


def zipf_sequence(queries: list[str], draws: int, seed: int, exponent: float = ZIPF_EXPONENT) -> list[str]:
    """``draws`` requests over ``queries`` (rank r drawn with weight 1/r**exponent)."""
    import random

    rng = random.Random(seed)
    weights = [1 / (rank ** exponent) for rank in range(1, len(queries) + 1)]
    return rng.choices(queries, weights=weights, k=draws)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--queries", type=int, default=0,
                        help="draw this many reader queries from the index (default: the fixed reader list)")
    parser.add_argument("--zipf", type=int, default=0, metavar="N",
                        help="N distinct reader queries from the index, requested with a Zipf-like skew")
    args = parser.parse_args()
    settings = Settings(corpus=args.corpus or shipped_corpus(), data=args.data or CACHE / "shipped")
    if args.data is None:
        build_index(settings)
    queries = warm_queries = QUERIES
    if args.queries or args.zipf:
        from benchmarks.query import make_queries
        from kb.index.handle import IndexHandle
        handle = IndexHandle.for_settings(settings)
        drawn = [text for text, _kind in make_queries(handle, args.queries or args.zipf * 3, seed=7)["reader mix"]]
        handle.close()
        queries = warm_queries = drawn
        if args.zipf:
            distinct = list(dict.fromkeys(drawn))[:args.zipf]
            if len(distinct) < args.zipf:
                raise SystemExit(f"the index gave only {len(distinct)} distinct reader queries (asked for {args.zipf})")
            queries = zipf_sequence(distinct, ZIPF_DRAWS, seed=11)
            warm_queries = zipf_sequence(distinct, ZIPF_DRAWS // 10, seed=12)
    server, base = start_server(settings)
    figures = {}
    try:
        wait_until_up(base, 150)
        print(f"workers ready (/healthz warm) after {wait_until_warm(base):.1f} s")
        for endpoint in ("/api/search", "/search"):
            paths = [f"{endpoint}?q={urllib.parse.quote(q)}" for q in queries]
            load(base, 3, [f"{endpoint}?q={urllib.parse.quote(q)}" for q in warm_queries], args.client)  # warm
            start_rss = rss_kb(server_pids(server.pid))
            figures[endpoint] = {**load(base, args.seconds, paths, args.client),
                                 "rss_start_mb": round(start_rss / 1024, 1),
                                 "rss_end_mb": round(rss_kb(server_pids(server.pid)) / 1024, 1),
                                 # the limit is per worker (300 MB): the largest one after the run
                                 "worker_rss_max_mb": round(max(rss_kb([pid]) for pid in server_pids(server.pid)[1:]) / 1024, 1)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    mix = (f"{args.zipf} distinct queries ({len(set(queries))} of them drawn), Zipf-skewed "
           f"(exponent {ZIPF_EXPONENT}), {len(queries):,} requests in sequence") if args.zipf \
        else f"{len(queries)} queries in turn"
    print(f"client: {args.client}; {mix}")
    print(f"{'endpoint':12} {'req/s':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'RSS MB':>13} {'worker MB':>9}")
    for endpoint, row in figures.items():
        print(f"{endpoint:12} {row['requests_per_s']:7.1f} {row['errors']:6} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} "
              f"{row['p99_ms']:7.1f} {row['rss_start_mb']:6.1f}→{row['rss_end_mb']:<6.1f} {row['worker_rss_max_mb']:9.1f}")
    RESULTS.mkdir(exist_ok=True)
    name = "http.json" if args.data is None else f"http-{args.data.name}{'-zipf' if args.zipf else ''}.json"
    (RESULTS / name).write_text(json.dumps({"client": args.client, **figures}, indent=2))


if __name__ == "__main__":
    main()
