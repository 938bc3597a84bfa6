"""Re-indexing benchmark: on a generated corpus (benchmarks.gencorpus), time a full build at
``--jobs 1`` and ``--jobs 2``, a re-run with nothing changed, and a re-run after one page
changed — each a real ``kb index`` process, as an editor runs it.

    python -m benchmarks.reindex                 # 5,000 pages (generated once into benchmarks/cache)
    python -m benchmarks.reindex --pages 500     # a quicker look
    python -m benchmarks.reindex --pages 8700 --jobs   # ~100,000 sections: only the re-runs, on the index built before

Prints a table and writes benchmarks/results/reindex.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.gencorpus import generate, touch_one

CACHE = Path(__file__).with_name("cache")
RESULTS = Path(__file__).with_name("results")


def run_index(corpus: Path, data: Path, *args: str, launcher: tuple[str, ...] = ("-m", "kb_cli"),
              env: dict[str, str] | None = None) -> dict:
    """One `kb index` process: wall seconds, its peak RSS, and its own JSON report. ``launcher``
    and ``env``: how Python starts the `kb` command (a benchmark may start it with a part
    switched off)."""
    argv = [sys.executable, *launcher, "index", "--corpus", str(corpus), "--data", str(data),
            "--json", "--allow-failures", *args]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **env} if env else None)
    out, err = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"kb index {' '.join(args)} failed ({process.returncode}):\n{err[-2000:]}")
    report = json.loads(out)
    return {"wall_s": round(wall, 2), "report_s": report["seconds"], "added": report["added"],
            "updated": report["updated"], "unchanged": report["unchanged"], "failed": report["failed"],
            "sections": report["sections"], "published": report["published"]}


def disk_mb(path: Path) -> float:
    seen, total = set(), 0
    for file in path.rglob("*"):
        if file.is_file():
            stat = file.stat()
            if stat.st_ino not in seen:  # hard-linked generations share files
                seen.add(stat.st_ino)
                total += stat.st_size
    return round(total / 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2],
                        help="full builds to time (none: keep the index already built for this corpus)")
    args = parser.parse_args()

    corpus = CACHE / f"gen-{args.pages}-{args.seed}"
    if not (corpus / "sources.toml").is_file():
        print(f"generating {args.pages} pages into {corpus} …", flush=True)
        generate(corpus, args.pages, seed=args.seed)
    rows: list[tuple[str, dict]] = []
    data = CACHE / f"gen-{args.pages}-{args.seed}-data"
    for jobs in args.jobs:
        shutil.rmtree(data, ignore_errors=True)
        print(f"full build, --jobs {jobs} …", flush=True)
        rows.append((f"full build --jobs {jobs}", run_index(corpus, data, "--full", "--jobs", str(jobs))))
    if not (data / "index").is_dir():
        raise SystemExit(f"no index in {data}: run with --jobs 2 first")
    index_mb = disk_mb(data / "index")
    rows.append(("no change", run_index(corpus, data)))
    changed = touch_one(corpus, seed=int(time.time()))
    rows.append((f"one page changed ({changed.name})", run_index(corpus, data)))

    print(f"\n{args.pages} generated pages, {os.cpu_count()} cores; index on disk {index_mb} MB "
          f"(catalogue {round((data / 'catalogue.sqlite3').stat().st_size / 1e6, 1)} MB)\n")
    print(f"{'run':40} {'wall s':>8} {'run s':>8} {'pages/s':>8} {'added':>6} {'updated':>7} {'unchanged':>9} {'sections':>9}")
    for name, row in rows:
        rate = (row["added"] + row["updated"]) / row["report_s"] if row["report_s"] else 0.0
        print(f"{name:40} {row['wall_s']:8.2f} {row['report_s']:8.2f} {rate:8.1f} {row['added']:6} "
              f"{row['updated']:7} {row['unchanged']:9} {row['sections']:9}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "reindex.json"
    out.write_text(json.dumps({"pages": args.pages, "seed": args.seed, "cores": os.cpu_count(),
                               "index_mb": index_mb, "runs": dict(rows)}, indent=2))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
