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

from benchmarks.floors import gate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "data" / "pages-dev"
RESULTS = Path(__file__).with_name("results")


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
    kb_cmd = f"{shlex.quote(sys.executable)} -m kb_cli extract {{html}} --json"
    command = [args.baselines or sys.executable, str(scorer), "--pages", str(args.pages),
               "--cmd", f"kb={kb_cmd}", "--json", str(out)]
    if args.baselines:
        command += ["--builtin", "all"]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    print(completed.stdout)
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        return completed.returncode
    return gate("extraction", json.loads(out.read_text())["summary"]["kb"])


if __name__ == "__main__":
    sys.exit(main())
