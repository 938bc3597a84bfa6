"""Symptom-search benchmark: for each lay symptom list written for the shipped corpus, is the
right condition first (top-1) or in the first three (top-3)? Symptom search is compared, in
the same run, with the same lists typed into normal search (articles in order of their best
section). The held-out lists were written separately and are never used for tuning.

    python -m benchmarks.symptoms

Prints a table, writes benchmarks/results/symptoms.json, and fails below the floors in
floors.json.
"""

from __future__ import annotations

import json
import statistics
import time
import tomllib
from pathlib import Path

from benchmarks.floors import gate
from indexer.build import build_index
from kb.config import Settings, shipped_corpus
from kb.search.query import search
from kb.index.handle import IndexHandle
from kb.search.symptoms import symptom_search

HERE = Path(__file__).parent
SETS = {"dev": HERE / "symptom_lists.toml", "held-out": HERE / "symptom_lists_heldout.toml"}
CACHE = HERE / "cache" / "shipped"
RESULTS = HERE / "results"


def evaluate(lists: list[dict], rank) -> dict:
    top1 = top3 = 0
    times = []
    for item in lists:
        started = time.perf_counter()
        ranked = rank(item["symptoms"])
        times.append(time.perf_counter() - started)
        top1 += ranked[:1] == [item["article"]]
        top3 += item["article"] in ranked[:3]
    n = len(lists)
    return {"lists": n, "top1": round(top1 / n, 3), "top3": round(top3 / n, 3),
            "p50_ms": round(statistics.median(times) * 1000, 1)}


def main() -> None:
    settings = Settings(corpus=shipped_corpus(), data=CACHE)
    build_index(settings)  # incremental: nothing to do when the corpus is unchanged
    index = IndexHandle.for_settings(settings)

    def by_symptoms(text: str) -> list[str]:
        return [c.article_id for c in symptom_search(text, index=index, settings=settings).conditions]

    def by_search(text: str) -> list[str]:
        page = search(text, index=index, limit=30, snippets=False)
        return list(dict.fromkeys(hit.article_id for hit in page.results))

    figures: dict[str, dict] = {}
    print(f"{'set':10} {'method':16} {'lists':>6} {'top-1':>7} {'top-3':>7} {'p50 ms':>7}")
    for name, path in SETS.items():
        lists = tomllib.loads(path.read_text(encoding="utf-8"))["list"]
        for method, rank in (("symptom search", by_symptoms), ("normal search", by_search)):
            row = evaluate(lists, rank)
            figures[f"{name}/{method}"] = row
            print(f"{name:10} {method:16} {row['lists']:6} {row['top1']:7.3f} {row['top3']:7.3f} {row['p50_ms']:7.1f}")
    index.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "symptoms.json").write_text(json.dumps(figures, indent=2))
    raise SystemExit(gate("symptoms", {"dev_top3": figures["dev/symptom search"]["top3"],
                      "dev_top1": figures["dev/symptom search"]["top1"]}))


if __name__ == "__main__":
    main()
