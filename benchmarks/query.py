"""Query latency on a large index: a reader-style mix (1–4 keywords, questions, quoted phrases,
kind filters, typos) and long questions, searched by kb with and without snippets, next to the
same index searched with plain Whoosh defaults (any-word BM25F, one reused searcher, quotes read
as words) in the same run.

kb caches each word's scores per process. "kb search only" and "kb + snippets" each start from
an empty cache (every word's first read is timed); "kb + snippets, warm" repeats the set with
the cache as the previous run left it — a server that has seen these words before.

    python -m benchmarks.query                       # the generated corpus of benchmarks.reindex
    python -m benchmarks.query --data DIR --corpus DIR --queries 600 --baseline-queries 100

Prints p50/p95/p99 per method and query set and writes benchmarks/results/query-<data>.json.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from pathlib import Path

from kb.config import Settings
from kb.model import SECTION_KINDS
from kb.search.query import search
from kb.index.handle import IndexHandle

CACHE = Path(__file__).with_name("cache")
RESULTS = Path(__file__).with_name("results")
WORD = re.compile(r"[a-z]{4,}")


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if rng.random() < 0.5 else word[:i] + word[i + 1:]


def make_queries(index: IndexHandle, count: int, seed: int) -> dict[str, list[tuple[str, str | None]]]:
    """Reader-style and long-question sets drawn from the index's own titles and text."""
    rng = random.Random(seed)
    with index.searcher() as searcher:
        sample = [fields for n, fields in enumerate(searcher.all_stored_fields()) if n % 7 == 0][:5000]
    titles = [f["title"].lower() for f in sample]
    bodies = [f["body"].lower() for f in sample if len(f.get("body", "")) > 200]
    mix: list[tuple[str, str | None]] = []
    while len(mix) < count:
        body_words = WORD.findall(rng.choice(bodies))
        roll = rng.random()
        if roll < 0.3:
            mix.append((" ".join(rng.sample(body_words, rng.randint(1, min(4, len(body_words))))), None))
        elif roll < 0.5:
            mix.append((rng.choice(["what causes ", "symptoms of ", "how is ", "treatment for "]) + rng.choice(titles),
                        None))
        elif roll < 0.6:
            start = rng.randrange(max(1, len(body_words) - 2))
            mix.append(('"' + " ".join(body_words[start:start + 2]) + '"', None))
        elif roll < 0.75:
            mix.append((rng.choice(titles), rng.choice(SECTION_KINDS[:6])))
        elif roll < 0.9:
            words = rng.sample(body_words, min(3, len(body_words)))
            mix.append((" ".join(typo(w, rng) if len(w) > 4 and rng.random() < 0.5 else w for w in words), None))
        else:
            mix.append((rng.choice(titles), None))
    long_questions = []
    while len(long_questions) < count // 3:
        words = WORD.findall(rng.choice(bodies))
        start = rng.randrange(max(1, len(words) - 25))
        long_questions.append(("why do i have " + " ".join(words[start:start + rng.randint(12, 25)]) + "?", None))
    return {"reader mix": mix, "long questions": long_questions}


def timed(run, queries) -> list[float]:
    times = []
    for text, kind in queries:
        started = time.perf_counter()
        run(text, kind)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=CACHE / "gen-5000-1-data")
    parser.add_argument("--corpus", type=Path, default=CACHE / "gen-5000-1")
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-queries", type=int, default=100,
                        help="plain Whoosh runs on the first N of each set (it takes seconds a long question)")
    args = parser.parse_args()
    settings = Settings(corpus=args.corpus, data=args.data)
    index = IndexHandle.for_settings(settings)
    sets = make_queries(index, args.queries, args.seed)
    from whoosh.qparser import MultifieldParser, OrGroup, PhrasePlugin
    from whoosh import query as wq

    with index.searcher() as searcher:
        sections = searcher.doc_count()
    baseline_searcher = IndexHandle(settings.index_dir)

    def plain_whoosh(text: str, kind: str | None):
        with baseline_searcher.searcher() as searcher:
            parser = MultifieldParser(["title", "heading", "body"], searcher.schema, group=OrGroup)
            parser.remove_plugin_class(PhrasePlugin)  # the index keeps no positions: quotes are read as words
            query = parser.parse(text)
            if kind:
                query = wq.And([query, wq.Term("kind", kind)])
            return [hit["section_id"] for hit in searcher.search(query, limit=10)]

    methods = {
        "kb search only": lambda text, kind: search(text, index=index, limit=10, kind=kind, snippets=False),
        "kb + snippets": lambda text, kind: search(text, index=index, limit=10, kind=kind),
        "kb + snippets, warmed at start": lambda text, kind: search(text, index=index, limit=10, kind=kind),
        "kb + snippets, warm": lambda text, kind: search(text, index=index, limit=10, kind=kind),
        "plain Whoosh": plain_whoosh,
    }
    for run in methods.values():  # warm: searchers, statistics, caches
        timed(run, sets["reader mix"][:20])
    figures: dict[str, dict] = {}
    print(f"{sections:,} sections; {len(sets['reader mix'])} reader-mix queries, "
          f"{len(sets['long questions'])} long questions\n")
    print(f"{'set':16} {'method':32} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for set_name, queries in sets.items():
        for method, run in methods.items():
            if method in ("kb search only", "kb + snippets", "kb + snippets, warmed at start"):
                for stats in index._stats.values():  # each starts from the same cold word cache…
                    stats.clear_cache()
                if method.endswith("warmed at start"):  # …or from what a web worker does when it starts (KB_WARM)
                    with index.session() as (searcher, stats):
                        stats.warm(searcher.reader())
            times = sorted(timed(run, queries[:args.baseline_queries] if method == "plain Whoosh" else queries))
            row = {"queries": len(times), "p50_ms": round(statistics.median(times), 1),
                   "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                   "p99_ms": round(times[int(0.99 * (len(times) - 1))], 1)}
            figures[f"{set_name}/{method}"] = row
            print(f"{set_name:16} {method:32} {row['queries']:8} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['p99_ms']:8.1f}")
    index.close()
    baseline_searcher.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"query-{args.data.name}.json").write_text(json.dumps({"sections": sections, **figures}, indent=2))


if __name__ == "__main__":
    main()
