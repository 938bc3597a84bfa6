"""Quality gates: compare a benchmark's figures with the floors kept in floors.json.

A figure below its floor (or, for names ending in "ms" or "leak", above its ceiling)
is a regression; raising a floor is a deliberate commit.
"""

from __future__ import annotations

import json
from pathlib import Path

FLOORS = Path(__file__).with_name("floors.json")


def is_ceiling(metric: str) -> bool:
    return metric.endswith("ms") or metric.endswith("leak")


def regressions(figures: dict, floors: dict) -> list[str]:
    """One message per figure that misses its floor; nested tables (subsets) are walked."""
    problems = []
    for metric, floor in floors.items():
        if metric.startswith("_"):
            continue
        if isinstance(floor, dict):
            problems += [f"{metric} {p}" for p in regressions(figures.get(metric, {}), floor)]
            continue
        value = figures.get(metric)
        if value is None:
            problems.append(f"{metric}: no value")
        elif is_ceiling(metric) and value > floor:
            problems.append(f"{metric} = {value:.3f}, above the ceiling {floor}")
        elif not is_ceiling(metric) and value < floor:
            problems.append(f"{metric} = {value:.3f}, below the floor {floor}")
    return problems


def gate(name: str, figures: dict, skipped: tuple[str, ...] = ()) -> int:
    """Print the verdict for one benchmark's figures (``skipped``: floors of parts not run this
    time); return the exit status."""
    floors = {metric: floor for metric, floor in json.loads(FLOORS.read_text())[name].items() if metric not in skipped}
    problems = regressions(figures, floors)
    for problem in problems:
        print("REGRESSION:", problem)
    if not problems:
        print(f"kb meets every {name} floor in {FLOORS.name}")
    return 1 if problems else 0
