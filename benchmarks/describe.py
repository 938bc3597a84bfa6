"""Symptom descriptions benchmark: every narrative through kb.describe + kb.conditions in-process,
beside plain Whoosh BM25 (any word, sections grouped into distinct titles) over the same index,
in the same run. Writes run files to benchmarks/results/ and prints the scorer's output for each,
plus per-query latency.

    python -m benchmarks.describe                     # the full method and the baseline
    python -m benchmarks.describe --ablation          # each step switched off in turn

Data (read-only): ../shared/data/symptoms-dev (narratives.jsonl, score.py) and the index that
``python -m benchmarks.relevance --rebuild`` builds in benchmarks/cache/medquad.
No narrative text is written anywhere but the run files (ids and titles only).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from kb.search import conditions
from kb.search.conditions import rank_articles
from kb.search.describe import is_description, understand
from kb.search.query import search
from kb.index.handle import IndexHandle
from kb.corpus_config.vocabulary import hpo_vocabulary

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "symptoms-dev"
CACHE = Path(__file__).with_name("cache") / "medquad"
RESULTS = Path(__file__).with_name("results")
DEPTH = 10


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def baseline(index: IndexHandle, narratives: list[dict]) -> tuple[list[dict], list[float]]:
    """Plain Whoosh BM25F, any word, over title/heading/body; distinct titles of the top 100 sections."""
    from whoosh.qparser import MultifieldParser, OrGroup, PhrasePlugin

    run, times = [], []
    with index.searcher() as searcher:
        parser = MultifieldParser(["title", "heading", "body"], searcher.schema, group=OrGroup)
        parser.remove_plugin_class(PhrasePlugin)
        for narrative in narratives:
            started = time.perf_counter()
            hits = searcher.search(parser.parse(narrative["query"]), limit=100)
            titles = list(dict.fromkeys(hit["title"] for hit in hits))[:DEPTH]
            times.append(time.perf_counter() - started)
            run.append({"id": narrative["id"], "ranked_titles": titles})
    return run, times


def kb_search(index: IndexHandle, narratives: list[dict]) -> tuple[list[dict], list[float]]:
    """Today's /api/search ranking, no synonyms file (as in a bare evaluation corpus)."""
    run, times = [], []
    for narrative in narratives:
        started = time.perf_counter()
        page = search(narrative["query"], index=index, limit=50, per_article=1, snippets=False)
        times.append(time.perf_counter() - started)
        run.append({"id": narrative["id"], "ranked_titles": list(dict.fromkeys(h.title for h in page.results))[:DEPTH]})
    return run, times


def describe(index: IndexHandle, narratives: list[dict], **switches) -> tuple[list[dict], list[float]]:
    vocabulary = hpo_vocabulary() if switches.pop("hpo", True) else None
    run, times = [], []
    with index.session() as (searcher, stats):
        for narrative in narratives:
            started = time.perf_counter()
            items = understand(narrative["query"], vocabulary)
            ranked = rank_articles(searcher, stats, items, limit=DEPTH, **switches)
            times.append(time.perf_counter() - started)
            run.append({"id": narrative["id"], "ranked_titles": [title for _id, title, _s in ranked.articles]})
    return run, times


def score(name: str, run: list[dict]) -> str:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"describe-{name}.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in run))
    done = subprocess.run([sys.executable, str(DEV / "score.py"), str(path)], check=True, capture_output=True, text=True)
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ablation", action="store_true", help="also run with each step switched off")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--only", help="run only this configuration name")
    args = parser.parse_args(argv)
    if not (DEV / "narratives.jsonl").is_file() or not CACHE.is_dir():
        print("no narratives or no MedQuAD index (run python -m benchmarks.relevance --rebuild); nothing to measure")
        return 0
    narratives = [json.loads(line) for line in (DEV / "narratives.jsonl").read_text().splitlines() if line.strip()]
    index = IndexHandle(CACHE / "index", None)

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    vocabulary = hpo_vocabulary()
    print(f"HPO {vocabulary.version}: {len(vocabulary)} phenotypes loaded in {time.perf_counter() - started:.2f}s, "
          f"max RSS +{(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024:.0f} MB")
    fired = sum(is_description(n["query"]) for n in narratives)
    print(f"is_description fires on {fired}/{len(narratives)} narratives")
    with index.session() as (searcher, stats):
        started = time.perf_counter()
        conditions.article_table(searcher.reader(), stats)
        print(f"article table built in {time.perf_counter() - started:.2f}s")

    configs: dict[str, dict] = {"describe": {}}
    if args.ablation:
        configs.update({
            "no-understanding": {"raw": True},
            "no-hpo": {"hpo": False},
            "no-coverage": {"coverage": False},
            "no-rarity": {"rarity": False},
            "no-kind-weights": {"constants": {"KIND_WEIGHTS": {}, "OTHER_KIND_WEIGHT": 1.0}},
            "no-variants": {"variants": False},
            "section-evidence": {"constants": {"EVIDENCE": "section"}},
        })
    conditions._TABLES.clear()
    with index.session() as (searcher, stats):
        conditions.article_table(searcher.reader(), stats)  # built once per generation, not per query
    _run, cold = describe(index, narratives)
    print(f"describe from cold word caches (each word read once): p50 {percentile(cold, 0.5) * 1000:.1f} ms, "
          f"p95 {percentile(cold, 0.95) * 1000:.1f} ms, max {max(cold) * 1000:.1f} ms")
    runs: dict[str, tuple[list[dict], list[float]]] = {}
    if not args.no_baseline and not args.only:
        runs["bm25-baseline"] = baseline(index, narratives)
        runs["kb-search"] = kb_search(index, narratives)
    for name, switches in configs.items():
        if args.only and name != args.only:
            continue
        switches = dict(switches)
        saved = {name: getattr(conditions, name) for name in switches.get("constants", {})}
        for constant, value in switches.pop("constants", {}).items():
            setattr(conditions, constant, value)
        conditions._TABLES.clear()  # tables hold kind weights and caches: rebuild per configuration
        if switches.pop("raw", False):
            runs[name] = describe_raw(index, narratives)
        else:
            describe(index, narratives[:20], **dict(switches))  # warm the word cache once
            runs[name] = describe(index, narratives, **switches)
        for constant, value in saved.items():
            setattr(conditions, constant, value)
        conditions._TABLES.clear()
    index.close()
    for name, (run, times) in runs.items():
        print(f"\n== {name}: p50 {percentile(times, 0.5) * 1000:.1f} ms, p95 {percentile(times, 0.95) * 1000:.1f} ms")
        print(score(name, run), end="")
    return 0


def describe_raw(index: IndexHandle, narratives: list[dict]) -> tuple[list[dict], list[float]]:
    """Ablation: every analysed word of the narrative as one item each (no clause split, frames, negation, HPO)."""
    from kb.search.describe import Item
    from kb.search.query import terms_of

    run, times = [], []
    with index.session() as (searcher, stats):
        for narrative in narratives:
            started = time.perf_counter()
            items = [Item(word, [word]) for word in dict.fromkeys(terms_of(narrative["query"]))]
            ranked = rank_articles(searcher, stats, items, limit=DEPTH, expand=False)
            times.append(time.perf_counter() - started)
            run.append({"id": narrative["id"], "ranked_titles": [title for _id, title, _s in ranked.articles]})
    return run, times


if __name__ == "__main__":
    raise SystemExit(main())
