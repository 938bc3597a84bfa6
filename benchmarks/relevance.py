"""Relevance benchmark: index the MedQuAD HTML corpus with the project's own pipeline, run the
reader-style dev queries in batch mode, score them, and print kb next to a baseline run in the
same process (plain Whoosh BM25F over the same index, any-word query). Fails when a figure falls
below its floor in floors.json.

    python -m benchmarks.relevance            # reuses benchmarks/cache/medquad if built
    python -m benchmarks.relevance --rebuild  # re-index the corpus first

Data: ../shared/data/medquad-html/corpus and ../shared/data/relevance-dev (override with --data).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

from benchmarks.floors import gate
from indexer.build import build_index
from kb.search.batch import read_queries, run_lines
from kb.config import Settings
from kb.search.query import search
from kb.index.generations import check_index
from kb.index.handle import IndexHandle

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
CACHE = Path(__file__).with_name("cache") / "medquad"
RESULTS = Path(__file__).with_name("results")
LIMIT = 30  # sections per query, as the results page asks for; @10 metrics need no more


def baseline_run(index: IndexHandle, queries: list[tuple[str, str]]) -> tuple[list[str], list[float]]:
    """Plain Whoosh: any-word query over title, heading and body, default BM25F scoring."""
    from whoosh.qparser import MultifieldParser, OrGroup, PhrasePlugin

    lines, times = [], []
    with index.searcher() as searcher:
        parser = MultifieldParser(["title", "heading", "body"], searcher.schema, group=OrGroup)
        parser.remove_plugin_class(PhrasePlugin)  # the index keeps no positions: quotes are read as words
        for qid, text in queries:
            started = time.perf_counter()
            results = searcher.search(parser.parse(text), limit=LIMIT)
            seen: list[str] = []
            for hit in results:
                docid = f"{PurePosixPath(hit['path']).name}#{hit['number']}"
                if docid not in seen:
                    seen.append(docid)
                    lines.append(f"{qid} Q0 {docid} {len(seen)} {hit.score:.4f} whoosh")
            times.append(time.perf_counter() - started)
    return lines, times


def kb_run(index: IndexHandle, queries: list[tuple[str, str]]) -> tuple[list[str], list[float]]:
    lines, times = [], []
    for qid, text in queries:
        started = time.perf_counter()
        page = search(text, index=index, limit=LIMIT, per_article=LIMIT, snippets=False)
        times.append(time.perf_counter() - started)
        lines.extend(run_lines(qid, page))
    return lines, times


# Long, messy questions: each dev query told inside a reader's story (written for this benchmark).
STORIES = [
    "Hi, I am writing for my mother. Her doctor mentioned something at the visit last week and we have been "
    "reading a lot since then and are quite worried. {q}? Thank you so much for any help with this.",
    "My son was seen at the clinic yesterday and since this morning I keep thinking about it. I wanted to ask: {q}. "
    "We are not sure what to expect and would like to understand it better before the next appointment.",
    "Sorry if this is a silly question, I am not a doctor and I get confused by all the words. {q} — "
    "that is what I would like to know, in plain language please.",
]


def long_questions(queries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The same questions, each inside one of the stories (deterministic)."""
    return [(qid, STORIES[number % len(STORIES)].format(q=text)) for number, (qid, text) in enumerate(queries)]


def score(run: list[str], name: str, relevance_dir: Path) -> dict:
    RESULTS.mkdir(exist_ok=True)
    run_path = RESULTS / f"relevance-{name}.run"
    run_path.write_text("\n".join(run) + "\n")
    out = RESULTS / f"relevance-{name}.json"
    subprocess.run([sys.executable, str(relevance_dir / "score.py"), str(run_path), "--level", "both",
                    "--json", str(out)], check=True, capture_output=True, text=True)
    return json.loads(out.read_text())


def figures(scored: dict) -> dict:
    """nDCG@10, MRR@10, R@10 and P@1 at section and page level from the scorer's JSON."""
    found = {}
    for key, result in scored.get("results", {}).items():
        level = key.rsplit("/", 1)[-1]
        for metric, value in result.items():
            if not metric.startswith("n_"):
                found[f"{level} {metric}"] = value
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rebuild", action="store_true", help="re-index the MedQuAD corpus first")
    args = parser.parse_args(argv)
    corpus, relevance_dir = args.data / "medquad-html" / "corpus", args.data / "relevance-dev"
    if not corpus.is_dir() or not (relevance_dir / "score.py").is_file():
        print(f"no MedQuAD corpus or relevance set under {args.data}; nothing to measure")
        return 0
    settings = Settings(corpus=corpus, data=CACHE)
    try:
        if args.rebuild:
            raise LookupError
        check_index(settings.index_dir)
    except Exception:
        started = time.perf_counter()
        report = build_index(settings)
        print(f"indexed {report.articles} pages, {report.sections} sections in {time.perf_counter() - started:.0f}s "
              f"({len(report.failures)} failed)")
    queries = list(read_queries((relevance_dir / "queries.jsonl").read_text().splitlines()))
    # MedQuAD has no synonym file of its own: the built-in groups apply, as on any bare corpus.
    index = IndexHandle(settings.index_dir, None)
    long = long_questions(queries)
    runs = {"whoosh-baseline": baseline_run(index, queries), "kb": kb_run(index, queries),
            "whoosh-long": baseline_run(index, long), "kb-long": kb_run(index, long)}
    index.close()

    table = {}
    for name, (lines, times) in runs.items():
        table[name] = figures(score(lines, name, relevance_dir))
        table[name]["p50 ms"] = 1000 * statistics.median(times)
        table[name]["p95 ms"] = 1000 * percentile(times, 0.95)
    columns = ["section nDCG@10", "section MRR@10", "section R@10", "section P@1", "page nDCG@10", "page MRR@10",
               "p50 ms", "p95 ms"]
    print(f"{len(queries)} dev queries\n")
    print(f"{'run':16}" + "".join(f"{c:>17}" for c in columns))
    for name, row in table.items():
        print(f"{name:16}" + "".join(f"{row.get(c, float('nan')):17.3f}" for c in columns))
    base, ours = table["whoosh-baseline"], table["kb"]
    print(f"\nkb / baseline: section nDCG@10 ×{ours['section nDCG@10'] / base['section nDCG@10']:.2f}, "
          f"MRR@10 ×{ours['section MRR@10'] / base['section MRR@10']:.2f}, p95 ×{ours['p95 ms'] / base['p95 ms']:.2f}")
    long_kb, long_base = table["kb-long"], table["whoosh-long"]
    print(f"long questions (the same queries inside a reader's story): kb / baseline section nDCG@10 "
          f"×{long_kb['section nDCG@10'] / long_base['section nDCG@10']:.2f}, page nDCG@10 "
          f"×{long_kb['page nDCG@10'] / long_base['page nDCG@10']:.2f}")
    ours = {**ours, "long section nDCG@10 vs baseline": long_kb["section nDCG@10"] - long_base["section nDCG@10"]}
    (RESULTS / "relevance.json").write_text(json.dumps(table, indent=2, sort_keys=True))

    return gate("relevance", ours)


if __name__ == "__main__":
    sys.exit(main())
