"""Readers who describe what they feel: every dev narrative through the real endpoints
(``/api/search?q=`` and ``/api/symptoms?q=``, Flask's test client on the MedQuAD index) beside
plain BM25 in the same run — Whoosh BM25F over the same section index, and BM25 with one document
per page (the issue's reference), any word — scored with
``../shared/data/symptoms-dev/score.py``; then latency through gunicorn with 2 workers.

    python -m benchmarks.describe                   # quality and latency
    python -m benchmarks.describe --no-http         # quality only
    python -m benchmarks.describe --ablation        # also each step of the ranking switched off (in-process)

Needs the index that ``python -m benchmarks.relevance`` builds in benchmarks/cache/medquad.
Narrative text goes nowhere but the process: run files hold ids and titles only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.floors import gate
from benchmarks.soak import percentile, start_server, wait_until_up
from kb.config import Settings
from kb.index.handle import IndexHandle

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
DEV = DATA / "symptoms-dev"
CORPUS = DATA / "medquad-html" / "corpus"
CACHE = Path(__file__).with_name("cache") / "medquad"
RESULTS = Path(__file__).with_name("results")
DEPTH = 10
# Our own narratives for 20 other common conditions (written for this project, never tuned on):
# whether what was tuned on the dev conditions carries over.
HELD_OUT = Path(__file__).with_name("narratives_heldout.jsonl")
BAD_INPUT = ["I have been feeling unwell " * 70,  # about 1,900 characters: what the forms accept (a URL has a limit)
             "Tengo fiebre y me duele la cabeza desde hace tres días",
             "no fever, no cough", "I feel bad", "🤒🤕 🤧🤧", "<script>alert(1)</script> my <b>knees</b> hurt",
             # One long clause with no punctuation: signs told in any order are looked for near each other only.
             "my itchy skin swollen ankles tired eyes sore knees aching back " * 8]


def baseline(index: IndexHandle, narratives: list[dict]) -> list[dict]:
    """Plain Whoosh BM25F, any word, over title/heading/body: distinct titles of the top 100 sections."""
    from whoosh.qparser import MultifieldParser, OrGroup, PhrasePlugin

    run = []
    with index.searcher() as searcher:
        parser = MultifieldParser(["title", "heading", "body"], searcher.schema, group=OrGroup)
        parser.remove_plugin_class(PhrasePlugin)
        for narrative in narratives:
            hits = searcher.search(parser.parse(narrative["query"]), limit=100)
            run.append({"id": narrative["id"], "ranked_titles": list(dict.fromkeys(hit["title"] for hit in hits))[:DEPTH]})
    return run


def page_baseline(index: IndexHandle, narratives: list[dict]) -> list[dict]:
    """The issue's reference: plain BM25 with one document per page (its sections' text joined),
    every word OR'd, Whoosh's standard analyser (no stemming, no synonyms). Built once into
    benchmarks/cache/medquad-pages from the section index's stored text."""
    from whoosh import index as whoosh_index
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import OrGroup, QueryParser

    folder = CACHE.with_name("medquad-pages")
    if not whoosh_index.exists_in(folder):
        folder.mkdir(parents=True, exist_ok=True)
        pages: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        with index.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                pages.setdefault(fields["article_id"], []).append(f"{fields.get('heading', '')}\n{fields.get('body', '')}")
                titles[fields["article_id"]] = fields.get("title", "")
        ix = whoosh_index.create_in(folder, Schema(title=ID(stored=True), text=TEXT(analyzer=StandardAnalyzer())))
        with ix.writer(limitmb=256) as writer:
            for article_id, parts in pages.items():
                writer.add_document(title=titles[article_id], text=titles[article_id] + "\n" + "\n".join(parts))
    ix = whoosh_index.open_dir(folder)
    run = []
    with ix.searcher() as searcher:
        parser = QueryParser("text", ix.schema, group=OrGroup)
        for narrative in narratives:
            words = " ".join(w for w in "".join(c if c.isalnum() else " " for c in narrative["query"]).split())
            hits = searcher.search(parser.parse(words), limit=30)
            run.append({"id": narrative["id"], "ranked_titles": list(dict.fromkeys(hit["title"] for hit in hits))[:DEPTH]})
    ix.close()
    return run


def titles_of(path: str, data: dict) -> list[str]:
    if path == "/api/symptoms":
        return [c["title"] for c in data["conditions"]]
    return list(dict.fromkeys(hit["title"] for hit in data["results"]))


def endpoint_run(client, path: str, narratives: list[dict]) -> tuple[list[dict], list[float]]:
    run, times = [], []
    for narrative in narratives:
        started = time.perf_counter()
        response = client.get(path, query_string={"q": narrative["query"]})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        run.append({"id": narrative["id"], "ranked_titles": titles_of(path, response.get_json())[:DEPTH]})
    return run, times


def score(name: str, run: list[dict], narratives: Path = DEV / "narratives.jsonl") -> dict:
    """score.py's table for a run, parsed: {condition: (top1, top3, top10)}, "all" included."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"describe-{name}.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in run))
    out = subprocess.run([sys.executable, str(DEV / "score.py"), str(path), "--narratives", str(narratives)],
                         check=True, capture_output=True, text=True).stdout
    table = {}
    for line in out.splitlines()[1:]:
        *name_words, n, top1, top3, top10 = line.split()
        table[" ".join(name_words)] = (float(top1), float(top3), float(top10))
    return table


def http_latency(narratives: list[dict], settings: Settings) -> dict:
    """p50/p95 of each endpoint through gunicorn (2 workers), one request at a time, warm."""
    server, base = start_server(settings)
    try:
        wait_until_up(base, 200)
        figures = {}
        for path in ("/api/search", "/api/symptoms"):
            for narrative in narratives[:20]:  # warm both workers (vocabulary, article table)
                urllib.request.urlopen(base + path + "?q=" + urllib.parse.quote(narrative["query"]), timeout=30).read()
            times = []
            for narrative in narratives:
                started = time.perf_counter()
                urllib.request.urlopen(base + path + "?q=" + urllib.parse.quote(narrative["query"]), timeout=30).read()
                times.append(time.perf_counter() - started)
            bad = []
            for text in BAD_INPUT:
                started = time.perf_counter()
                urllib.request.urlopen(base + path + "?q=" + urllib.parse.quote(text), timeout=30).read()
                bad.append(time.perf_counter() - started)
            figures[path] = {"p50 ms": 1000 * statistics.median(times), "p95 ms": 1000 * percentile(times, 0.95),
                             "bad input max ms": 1000 * max(bad)}
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)


def ablation(index: IndexHandle, narratives: list[dict], held_out: list[dict]) -> None:
    """Each step of the ranking switched off in turn, in-process (conditions for the search page),
    on the dev narratives and on the held-out ones."""
    from kb.corpus_config.vocabulary import hpo_vocabulary
    from kb.search import conditions
    from kb.search.describe import understand

    configs = {"all steps": {}, "no HPO": {"hpo": False}, "no synonyms": {"synonyms": False},
               "no coverage": {"coverage": False}, "no rarity prior": {"rarity": False},
               "no stem variants": {"variants": False}, "no feedback": {"feedback": False},
               "no naming votes": {"mentions": False}, "no sign pages weighed less": {"echoes": False}}
    print(f"\n{'ablation (in-process)':24} {'dev top-1':>10} {'top-3':>6} {'top-10':>6} {'held-out top-1':>15} {'top-3':>6} {'top-10':>6}")
    for name, switches in configs.items():
        switches = dict(switches)
        vocabulary = hpo_vocabulary() if switches.pop("hpo", True) else None
        synonyms = index.synonyms.current() if switches.pop("synonyms", True) else conditions.EMPTY
        row = []
        for label, narratives_, path in (("", narratives, DEV / "narratives.jsonl"), ("heldout-", held_out, HELD_OUT)):
            run = []
            with index.session() as (searcher, stats):
                for narrative in narratives_:
                    items = understand(narrative["query"], vocabulary, synonyms.joined_terms)
                    ranked = conditions.rank_articles(searcher, stats, items, limit=DEPTH, synonyms=synonyms, **switches)
                    run.append({"id": narrative["id"], "ranked_titles": [title for _id, title, _s in ranked.articles]})
            row += score(f"ablation-{label}" + name.replace(" ", "-"), run, path)["all"]
        print(f"{name:24} {row[0]:10.3f} {row[1]:6.3f} {row[2]:6.3f} {row[3]:15.3f} {row[4]:6.3f} {row[5]:6.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn latency run")
    parser.add_argument("--ablation", action="store_true", help="also switch each step off in turn")
    args = parser.parse_args(argv)
    if not (DEV / "narratives.jsonl").is_file() or not (CACHE / "index").is_dir():
        print("no narratives or no MedQuAD index (run python -m benchmarks.relevance first); nothing to measure")
        return 0
    from web import create_app

    narratives = [json.loads(line) for line in (DEV / "narratives.jsonl").read_text().splitlines() if line.strip()]
    settings = Settings(corpus=CORPUS, data=CACHE)
    app = create_app({"KB_CORPUS": str(CORPUS), "KB_DATA": str(CACHE), "TESTING": True, "KB_RATE_LIMIT": "off",
                      "KB_LOG_ZERO_RESULTS": False})
    client = app.test_client()
    started = time.perf_counter()
    client.get("/api/search", query_string={"q": narratives[0]["query"]})
    print(f"{len(narratives)} narratives; first description answered in {time.perf_counter() - started:.2f}s "
          "(HPO vocabulary and the generation's article table, once per process)")
    index = IndexHandle(CACHE / "index", None)
    tables = {"plain BM25": score("bm25", baseline(index, narratives)),
              "BM25 per page": score("bm25-pages", page_baseline(index, narratives))}
    timings = {}
    for name, path in (("/api/search", "/api/search"), ("/api/symptoms", "/api/symptoms")):
        run, times = endpoint_run(client, path, narratives)
        tables[name] = score(name.strip("/").replace("/", "-"), run)
        timings[name] = times
    conditions_ = sorted(c for c in tables["plain BM25"] if c != "all")
    references = ("plain BM25", "BM25 per page")
    print(f"\n{'condition':28}" + "".join(f"{name + ' top-3/10':>28}" for name in tables))
    for condition in conditions_ + ["all"]:
        print(f"{condition:28}" + "".join(f"{t[condition][1]:>20.3f} {t[condition][2]:6.3f}" for t in tables.values()))
    worst = {(name, reference): min(tables[name][c][k] - tables[reference][c][k] for c in conditions_ for k in (1, 2))
             for name in ("/api/search", "/api/symptoms") for reference in references}
    print("\nin-process time per description (test client, warm): " + "; ".join(
        f"{name} p50 {1000 * statistics.median(t):.1f} ms, p95 {1000 * percentile(t, 0.95):.1f} ms"
        for name, t in timings.items()))
    for reference in references:
        print(f"largest drop below {reference} on any condition (top-3 or top-10): "
              + ", ".join(f"{name} {value:+.3f}" for (name, ref), value in worst.items() if ref == reference))
    held_out = [json.loads(line) for line in HELD_OUT.read_text().splitlines() if line.strip()]
    held = {"BM25 per page": score("heldout-bm25-pages", page_baseline(index, held_out), HELD_OUT)}
    for name in ("/api/search", "/api/symptoms"):
        held[name] = score("heldout-" + name.strip("/").replace("/", "-"), endpoint_run(client, name, held_out)[0],
                           HELD_OUT)
    print(f"\nheld-out: our own {len(held_out)} narratives of {len(held['BM25 per page']) - 1} other conditions "
          "(never tuned on), top-3/10: " + "; ".join(f"{name} {t['all'][1]:.3f} {t['all'][2]:.3f}"
                                                     for name, t in held.items()))
    figures = {"search top3": tables["/api/search"]["all"][1], "search top10": tables["/api/search"]["all"][2],
               "symptoms top3": tables["/api/symptoms"]["all"][1], "symptoms top10": tables["/api/symptoms"]["all"][2],
               "bm25 top3": tables["plain BM25"]["all"][1], "bm25 top10": tables["plain BM25"]["all"][2],
               "page bm25 top3": tables["BM25 per page"]["all"][1], "page bm25 top10": tables["BM25 per page"]["all"][2]}
    if not args.no_http:
        latency = http_latency(narratives, settings)
        for path, row in latency.items():
            print(f"gunicorn, 2 workers, {path}: p50 {row['p50 ms']:.1f} ms, p95 {row['p95 ms']:.1f} ms, "
                  f"slowest bad input {row['bad input max ms']:.1f} ms")
        figures["search p95 ms"] = latency["/api/search"]["p95 ms"]
        figures["symptoms p95 ms"] = latency["/api/symptoms"]["p95 ms"]
    if args.ablation:
        ablation(index, narratives, held_out)
    index.close()
    (RESULTS / "describe.json").write_text(json.dumps({"figures": figures, "tables": tables}, indent=2))
    return gate("describe", figures, skipped=("search p95 ms", "symptoms p95 ms") if args.no_http else ())


if __name__ == "__main__":
    sys.exit(main())
