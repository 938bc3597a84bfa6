"""Kill the indexer at random moments, many times: after each ``kill -9`` of a
``kb index --full``, the serving generation must answer searches, the catalogue must be
sound, and the next ``kb index`` must complete. (CI kills it at four fixed moments.)

    python -m benchmarks.faults [--kills 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from indexer.build import build_index
from kb.index.catalogue import CATALOGUE_FILE
from kb.config import Settings, shipped_corpus
from kb.search.query import search
from kb.index.generations import current_generation
from kb.index.handle import IndexHandle


def kb(settings: Settings, *args: str) -> list[str]:
    return [sys.executable, "-m", "kb_cli", *args, "--corpus", str(settings.corpus), "--data", str(settings.data)]


def answers(settings: Settings) -> int:
    handle = IndexHandle(settings.index_dir)
    try:
        return search("hemifacial spasm", index=handle, limit=3).total
    finally:
        handle.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kb-faults-"))
    settings = Settings(corpus=work / "corpus", data=work / "data")
    shutil.copytree(shipped_corpus(), settings.corpus)
    build_index(settings)
    started = time.perf_counter()
    subprocess.run(kb(settings, "index", "--full", "--quiet"), check=True)
    full_seconds = time.perf_counter() - started
    outcomes = []
    for n in range(args.kills):
        delay = rng.uniform(0.05, full_seconds)
        process = subprocess.Popen(kb(settings, "index", "--full", "--quiet"), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        killed = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        live = current_generation(settings.index_dir)
        db = sqlite3.connect(settings.data / CATALOGUE_FILE)
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        found = answers(settings)
        rerun = subprocess.run(kb(settings, "index", "--quiet"), capture_output=True, text=True)
        ok = live is not None and integrity == "ok" and found > 0 and rerun.returncode == 0 and answers(settings) > 0
        outcomes.append({"kill": n + 1, "after_s": round(delay, 2), "killed_mid_run": killed,
                         "serving_answered": found > 0, "catalogue": integrity, "rerun_exit": rerun.returncode,
                         "ok": ok, **({} if ok else {"rerun_said": rerun.stderr[-600:]})})
        print(json.dumps(outcomes[-1]))
    shutil.rmtree(work, ignore_errors=True)
    bad = [o for o in outcomes if not o["ok"]]
    mid = sum(o["killed_mid_run"] for o in outcomes)
    print(f"{len(outcomes)} kills ({mid} mid-run) over a {full_seconds:.1f}s full build: "
          f"{'all recovered' if not bad else f'{len(bad)} FAILED'}")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
