"""Extraction benchmark: score `kb extract` on the dev pages with the shared scorer, next to the
general-purpose extractors, and fail when a figure falls below its floor.

    python -m benchmarks.extraction                     # kb only, checked against floors.json
    python -m benchmarks.extraction --baselines PYTHON  # also trafilatura, readability, justext, run by
                                                        # PYTHON (a scratch venv that has them installed)

Pages and scorer come from ../shared/data/pages-dev (override with --pages). The figures are
printed as the scorer's table and written to benchmarks/results/extraction.json.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "data" / "pages-dev"
FLOORS = Path(__file__).with_name("floors.json")
RESULTS = Path(__file__).with_name("results")
CEILINGS = {"excl_leak"}  # lower is better


def check(summary: dict, floors: dict) -> list[str]:
    """Return one message per figure that misses its floor (or exceeds its ceiling)."""
    problems = []
    for subset, wanted in floors.items():
        if subset.startswith("_"):
            continue
        for metric, floor in wanted.items():
            value = summary.get(subset, {}).get(metric)
            if value is None:
                problems.append(f"{subset} {metric}: no value")
            elif metric in CEILINGS and value > floor:
                problems.append(f"{subset} {metric} = {value:.3f}, above the ceiling {floor}")
            elif metric not in CEILINGS and value < floor:
                problems.append(f"{subset} {metric} = {value:.3f}, below the floor {floor}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--baselines", metavar="PYTHON", help="python with trafilatura, readability-lxml, justext")
    args = parser.parse_args(argv)
    scorer = args.pages / "score_extraction.py"
    if not scorer.is_file():
        print(f"no dev pages at {args.pages} (expected score_extraction.py there); nothing to measure")
        return 0
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "extraction.json"
    kb_cmd = f"{shlex.quote(sys.executable)} -m kb.cli extract {{html}} --json"
    command = [args.baselines or sys.executable, str(scorer), "--pages", str(args.pages),
               "--cmd", f"kb={kb_cmd}", "--json", str(out)]
    if args.baselines:
        command += ["--builtin", "all"]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    print(completed.stdout)
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        return completed.returncode
    summary = json.loads(out.read_text())["summary"]["kb"]
    floors = json.loads(FLOORS.read_text())["extraction"]
    problems = check(summary, floors)
    for problem in problems:
        print("REGRESSION:", problem)
    if not problems:
        print("kb meets every extraction floor in", FLOORS.name)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
