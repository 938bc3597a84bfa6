"""Soak: gunicorn (2 workers) on loopback under a mixed reader load for a set time, while the
corpus is re-indexed twice (once incrementally, once in full). Reports requests, errors
(must be 0), latency percentiles, and the server's memory at start and end (growth must
stay under 10%).

    python -m benchmarks.soak                     # 10 minutes
    python -m benchmarks.soak --seconds 60        # a short run

The load comes from a separate process (this module with --client), four threads, each
waiting for its answer before the next request; the run stops at --seconds or --max-requests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from indexer.build import build_index
from kb.config import Settings, shipped_corpus

RESULTS = Path(__file__).with_name("results")
QUERIES = ["eyelid twitching", "botox for face spasm", "what causes gout", "itchy rash on elbows",
           "how is asthma treated", "migrane with aura", "kidney stone pain", "pins and needles in fingers",
           "heartburn after meals", "ringing in ears", "can't sleep", "sneezing and itchy eyes", "zzqx"]
SYMPTOMS = ["eyelid twitching, one side of the face, worse when tired", "burning chest after meals, sour taste",
            "stiff knees in the morning, grinding", "headache on one side, nausea, light hurts"]


def paths(rng: random.Random) -> str:
    """One reader request, drawn from the mix."""
    roll = rng.random()
    if roll < 0.45:
        return "/search?q=" + urllib.parse.quote(rng.choice(QUERIES))
    if roll < 0.65:
        return "/api/search?q=" + urllib.parse.quote(rng.choice(QUERIES))
    if roll < 0.75:
        return "/symptoms?q=" + urllib.parse.quote(rng.choice(SYMPTOMS))
    if roll < 0.85:
        return "/api/suggest?q=" + urllib.parse.quote(rng.choice(QUERIES)[:4])
    return "/articles/" + rng.choice(["hemifacial-spasm", "gout", "asthma", "migraine", "eczema"])


def client(base: str, seconds: float, max_requests: int, threads: int = 4) -> dict:
    """The load generator: returns counts and latencies (ms)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + len(errors) >= max_requests:
                    return
            path = paths(rng)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                ok, path = False, f"{path}: {exc!r}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (latencies.append(elapsed) if ok else errors.append(path))

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"latencies": latencies, "errors": errors}


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def server_pids(master: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return [master, *children]


def start_server(settings: Settings) -> tuple[subprocess.Popen, str]:
    """gunicorn with 2 workers on a loopback port, rate limiting off (one client makes all the load)."""
    port = 20000 + os.getpid() % 20000
    env = {**os.environ, "KB_CORPUS": str(settings.corpus), "KB_DATA": str(settings.data), "KB_RATE_LIMIT": "off"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "--workers", "2", "--limit-request-line", "8190", "--bind", f"127.0.0.1:{port}", "web:create_app()"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}"


def wait_until_up(base: str, tries: int = 200) -> None:
    """Wait for the server's /healthz to answer (0.2 s between tries)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)


def wait_until_warm(base: str, seconds: float = 120, in_a_row: int = 8) -> float:
    """Wait until /healthz says ``warm`` on ``in_a_row`` answers in a row (any worker may answer
    one); return the seconds waited. Measuring while workers still ready the generation in the
    background measures the warming, not the serving."""
    started = time.monotonic()
    streak = 0
    while streak < in_a_row and time.monotonic() - started < seconds:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            streak = streak + 1 if json.loads(response.read()).get("warm", True) else 0
        time.sleep(0.05)
    return time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    parser.add_argument("--client", nargs=2, metavar=("BASE", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        result = client(args.client[0], float(args.client[1]), args.max_requests)
        json.dump(result, sys.stdout)
        return

    work = Path(tempfile.mkdtemp(prefix="kb-soak-"))
    settings = Settings(corpus=work / "corpus", data=work / "data")
    shutil.copytree(shipped_corpus(), settings.corpus)
    build_index(settings)
    server, base = start_server(settings)
    try:
        wait_until_up(base, 100)
        warm = client(base, 5, 400)  # every worker opens its searcher and caches before memory is read
        start_rss = rss_kb(server_pids(server.pid))
        load = subprocess.Popen([sys.executable, "-m", "benchmarks.soak", "--client", base, str(args.seconds),
                                 "--max-requests", str(args.max_requests)], stdout=subprocess.PIPE, text=True)
        load_start = time.monotonic()
        reindexed = []
        for share, full in ((1 / 3, False), (2 / 3, True)):
            time.sleep(max(0.0, args.seconds * share - (time.monotonic() - load_start)))
            page = settings.corpus / "editorial" / "gout.html"
            page = page if page.exists() else next(settings.corpus.rglob("gout.*"))
            page.write_text(page.read_text(encoding="utf-8").replace("</body>", f"<p>Soak edit {share:.2f}.</p></body>"),
                            encoding="utf-8")
            command = [sys.executable, "-m", "kb_cli", "index", "--corpus", str(settings.corpus),
                       "--data", str(settings.data), "--quiet"] + (["--full"] if full else [])
            started = time.perf_counter()
            subprocess.run(command, check=True)
            reindexed.append(("full" if full else "incremental", round(time.perf_counter() - started, 2)))
        out, _ = load.communicate()
        end_rss = rss_kb(server_pids(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    result = json.loads(out)
    latencies, errors = result["latencies"], result["errors"]
    figures = {
        "seconds": args.seconds, "requests": len(latencies) + len(errors), "errors": len(errors),
        "requests_per_s": round((len(latencies) + len(errors)) / args.seconds, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
        "server_rss_start_mb": round(start_rss / 1024, 1), "server_rss_end_mb": round(end_rss / 1024, 1),
        "rss_growth": round(end_rss / start_rss - 1, 3) if start_rss else None,
        "reindexed_s": reindexed, "warmup_errors": len(warm["errors"]),
    }
    for key, value in figures.items():
        print(f"{key:22} {value}")
    for error in errors[:10]:
        print("ERROR", error)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps(figures, indent=2))
    verdict = not errors and figures["rss_growth"] is not None and figures["rss_growth"] <= 0.10
    print("soak passed" if verdict else "SOAK FAILED: errors or memory growth over 10%")
    raise SystemExit(0 if verdict else 1)


if __name__ == "__main__":
    main()
