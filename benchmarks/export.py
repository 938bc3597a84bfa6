"""Export benchmark: `kb export` on generated corpora of growing size (benchmarks.gencorpus),
each a real process writing to /dev/null: sections/s and the process's own peak RSS, beside
an export of one small kind of section from the same index (memory must stay flat: the
export streams, so the whole index costs no more memory than a few sections).

    python -m benchmarks.export                        # 1,000 and 4,000 pages (indexed once into benchmarks/cache)
    python -m benchmarks.export --pages 500 2000

Prints a table and writes benchmarks/results/export.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.gencorpus import generate
from benchmarks.reindex import run_index

CACHE = Path(__file__).with_name("cache")
RESULTS = Path(__file__).with_name("results")
SMALL_KIND = "prevention"  # a kind few generated pages have: the export that holds almost nothing


def indexed(pages: int, seed: int) -> tuple[Path, Path]:
    """A generated corpus of ``pages`` pages and its index, built once and kept in the cache."""
    corpus, data = CACHE / f"gen-{pages}-{seed}", CACHE / f"gen-{pages}-{seed}-data"
    if not (corpus / "sources.toml").is_file():
        print(f"generating {pages} pages into {corpus} …", flush=True)
        generate(corpus, pages, seed=seed)
    print(f"indexing {corpus} (only what changed) …", flush=True)
    run_index(corpus, data, "--jobs", "2", "--quiet")
    return corpus, data


def export_run(corpus: Path, data: Path, *args: str) -> dict:
    """One `kb export` process into /dev/null: wall seconds, lines written, its own peak RSS."""
    argv = [sys.executable, "-m", "kb_cli", "export", "--corpus", str(corpus), "--data", str(data), *args]
    started = time.perf_counter()
    with open(os.devnull, "w") as sink, subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                         text=True) as process:
        lines = 0
        for line in process.stdout:
            lines += 1
            sink.write(line)
        error = process.stderr.read()
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the largest so far
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"kb export {' '.join(args)} failed ({process.returncode}):\n{error[-2000:]}")
    return {"wall_s": round(wall, 2), "lines": lines, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def sections_in(data: Path) -> int:
    """Sections of the serving generation, from `kb status --json`."""
    out = subprocess.run([sys.executable, "-m", "kb_cli", "status", "--json", "--data", str(data)],
                         capture_output=True, text=True, check=True).stdout
    return int(json.loads(out)["sections"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = []
    for pages in args.pages:
        corpus, data = indexed(pages, args.seed)
        sections = sections_in(data)
        for label, extra in (("jsonl", ()), ("csv", ("--format", "csv")), (f"jsonl --kind {SMALL_KIND}", ("--kind", SMALL_KIND))):
            run = export_run(corpus, data, *extra)
            written = sections if "--kind" not in extra else run["lines"]
            rows.append({"pages": pages, "export": label, "sections": written, **run,
                         "sections_per_s": round(written / run["wall_s"], 1)})
    print(f"\n`kb export` to /dev/null, {os.cpu_count()} cores (process start included):")
    print(f"{'pages':>6} {'export':24} {'sections':>9} {'wall s':>8} {'sections/s':>11} {'peak RSS MB':>12}")
    for row in rows:
        print(f"{row['pages']:6} {row['export']:24} {row['sections']:9} {row['wall_s']:8.2f} {row['sections_per_s']:11.1f} "
              f"{row['peak_rss_mb']:12.1f}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "export.json"
    out.write_text(json.dumps({"seed": args.seed, "cores": os.cpu_count(), "runs": rows}, indent=2))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
