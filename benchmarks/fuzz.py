"""The long fuzz run: the extractor fuzz tests with 100,000 generated pages (CI runs 10,000).

    python -m benchmarks.fuzz [--examples 100000]

Runs tests/test_fuzz_extract.py under pytest with KB_FUZZ_EXAMPLES set, and prints its summary
and how long it took.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/test_fuzz_extract.py", "-k", "generated"],
                            cwd=ROOT, env={**os.environ, "KB_FUZZ_EXAMPLES": str(args.examples)})
    minutes = (time.perf_counter() - started) / 60
    print(f"{args.examples:,} generated pages (plus {max(200, args.examples // 20):,} text dumps) "
          f"in {minutes:.1f} min: {'no failure' if result.returncode == 0 else 'FAILURES above'}")
    raise SystemExit(result.returncode)


if __name__ == "__main__":
    main()
