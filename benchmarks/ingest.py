"""Ingest benchmark: where indexing time goes, page by page, and the end-to-end rate.

Two parts, on the same pages in one run:

- **stages** (one process, a sample of pages): read, parse + clean (decode, lxml pre-pruning,
  BeautifulSoup, facts, furniture removal), sectioning, index documents (fields, fingerprint,
  near-duplicate sketch) and the Whoosh write (one writer, commit included) — next to the floor,
  ``lxml.html`` parsing the same bytes and nothing else;
- **end to end**: ``kb index --full`` as a real process at ``--jobs 1`` and ``--jobs 2``: pages/s,
  index size on disk, and the peak RSS of the largest process;
- **reading grade**: its cost per section (inside "parse + clean": extraction measures it), and the
  end-to-end runs again with the grade switched off in every ``kb`` process (this benchmark's
  launcher only), best
  of ``--repeat`` runs each, interleaved, as ratios: the grade may cost at most 10%.

    python -m benchmarks.ingest                         # 1,000 generated pages (benchmarks.gencorpus)
    python -m benchmarks.ingest --pages 5000 --sample 300
    python -m benchmarks.ingest --corpus DIR            # any corpus directory

Prints two tables and writes benchmarks/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import lxml.html
from whoosh import index as whoosh_index

from benchmarks.gencorpus import generate
from benchmarks.reindex import disk_mb, run_index
from indexer.clean import clean_html
from indexer.load import walk_corpus
from indexer.documents import manifest_entry, section_documents
from indexer.encoding import decode_page
from indexer.extract import extract, parse_html
from indexer.metadata import read_facts
from indexer.prune import prune
from indexer.readability import reading_grade
from indexer.sections import finish_sections, sections_from_html
from kb.index import whoosh_internals
from kb.index.schema import build_schema
from kb.corpus_config.sources import load_sources

CACHE = Path(__file__).with_name("cache")
GRADE_STAGE = "  of which reading grade"  # part of "parse + clean" (extract() measures it), not a stage of its own
# `kb` started with the reading grade switched off (every section then gets none): the baseline.
# The grade is measured on the extraction processes, which start afresh (forkserver): a
# sitecustomize on their PYTHONPATH switches it off in every one of them.
NO_GRADE_SITE = ("import indexer.extract, indexer.templates\n"
                 "indexer.extract.reading_grade = indexer.templates.reading_grade = lambda text: None\n")
RESULTS = Path(__file__).with_name("results")


def stage_times(corpus: Path, sample: int) -> dict:
    """Milliseconds per page for each stage, over the first ``sample`` HTML pages."""
    sources = load_sources(corpus)
    pages = [page for page in walk_corpus(corpus) if page.path.suffix.lower() in (".html", ".htm")][:sample]
    totals = dict.fromkeys(["read", "lxml parse alone (floor)", "parse + clean", GRADE_STAGE, "sectioning",
                            "index documents", "Whoosh write"], 0.0)
    documents: list[dict] = []
    sections = 0
    for page in pages:
        started = time.perf_counter()
        data = page.path.read_bytes()
        totals["read"] += time.perf_counter() - started

        started = time.perf_counter()
        lxml.html.document_fromstring(data)
        totals["lxml parse alone (floor)"] += time.perf_counter() - started

        started = time.perf_counter()
        article = extract(data, page.path, page.source, relative_path=page.relative, sources=sources)
        whole = time.perf_counter() - started
        # Sectioning alone: the same page taken to its cleaned content again, then timed on its own.
        soup = parse_html(prune(decode_page(data))[0])
        facts = read_facts(soup, page.source.date_order)
        content, _dropped = clean_html(soup, page.source)
        started = time.perf_counter()
        finish_sections(sections_from_html(content, facts.title))
        sectioning = time.perf_counter() - started
        totals["sectioning"] += sectioning
        totals["parse + clean"] += whole - sectioning

        started = time.perf_counter()
        docs = list(section_documents(article))
        manifest_entry(article, docs)
        totals["index documents"] += time.perf_counter() - started
        started = time.perf_counter()  # the grade again on its own (the same work extract() did)
        for section in article.sections:
            reading_grade(section.text)
        totals[GRADE_STAGE] += time.perf_counter() - started
        documents.extend(docs)
        sections += len(docs)

    with tempfile.TemporaryDirectory() as folder, whoosh_internals.fast_flush():
        ix = whoosh_index.create_in(folder, build_schema())
        started = time.perf_counter()
        writer = ix.writer(limitmb=256)
        for doc in documents:
            writer.add_document(**doc)
        writer.commit()
        totals["Whoosh write"] = time.perf_counter() - started
        ix.close()
    per_page = {name: round(1000 * seconds / len(pages), 2) for name, seconds in totals.items()}
    return {"pages": len(pages), "sections": sections, "ms_per_page": per_page,
            "whoosh_sections_per_s": round(sections / totals["Whoosh write"], 1),
            "grade_us_per_section": round(1e6 * totals[GRADE_STAGE] / sections, 1)}


def end_to_end(corpus: Path, jobs: int, grade: bool = True) -> dict:
    """One `kb index --full --jobs N` process into a fresh data directory (``grade=False``: with
    the reading grade switched off)."""
    data = Path(tempfile.mkdtemp(prefix="kb-ingest-"))
    site = Path(tempfile.mkdtemp(prefix="kb-no-grade-"))
    try:
        (site / "sitecustomize.py").write_text(NO_GRADE_SITE)
        path = os.pathsep.join([str(site), str(Path(__file__).resolve().parent.parent)])
        run = run_index(corpus, data, "--full", "--jobs", str(jobs), "--quiet",
                        env=None if grade else {"PYTHONPATH": path})
        pages = run["added"] + run["updated"]
        return {"jobs": jobs, "pages": pages, "sections": run["sections"], "wall_s": round(run["wall_s"], 1),
                "pages_per_s": round(pages / run["wall_s"], 1), "index_mb": disk_mb(data / "index"),
                "peak_rss_mb": round(_largest_child_rss_kb() / 1024, 1)}
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)


def _largest_child_rss_kb() -> int:
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest process waited for so far


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="an existing corpus instead of the generated one")
    parser.add_argument("--sample", type=int, default=200, help="pages timed stage by stage")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2,
                        help="end-to-end runs with and without the grade, interleaved; the best of each is kept")
    args = parser.parse_args()
    corpus = args.corpus or CACHE / f"gen-{args.pages}-{args.seed}"
    if args.corpus is None and not (corpus / "sources.toml").is_file():
        print(f"generating {args.pages} pages into {corpus} …", flush=True)
        generate(corpus, args.pages, seed=args.seed)

    stages = stage_times(corpus, args.sample)
    print(f"\nstages, one process, {stages['pages']} pages ({stages['sections']} sections):")
    print(f"{'stage':28} {'ms/page':>9}")
    for name, ms in stages["ms_per_page"].items():
        print(f"{name:28} {ms:9.2f}")
    pipeline = sum(ms for name, ms in stages["ms_per_page"].items() if "floor" not in name and name != GRADE_STAGE)
    print(f"{'all stages':28} {pipeline:9.2f}   (Whoosh: {stages['whoosh_sections_per_s']} sections/s)")
    floor = stages["ms_per_page"]["lxml parse alone (floor)"]
    print(f"parse + clean is {stages['ms_per_page']['parse + clean'] / floor:.1f}× the lxml floor")
    stages["grade_share"] = round(stages["ms_per_page"][GRADE_STAGE] / pipeline, 4)
    print(f"reading grade: {stages['grade_us_per_section']} µs a section, {stages['grade_share']:.1%} of all stages\n")

    runs = []
    for jobs in args.jobs:
        tried: dict[bool, list[dict]] = {False: [], True: []}
        for _ in range(args.repeat):
            for grade in (False, True):
                tried[grade].append(end_to_end(corpus, jobs, grade=grade))
        best = {grade: max(found, key=lambda run: run["pages_per_s"]) for grade, found in tried.items()}
        runs.append({**best[True], "pages_per_s_without_grade": best[False]["pages_per_s"],
                     "grade_slowdown": round(best[False]["pages_per_s"] / best[True]["pages_per_s"] - 1, 4)})
    print(f"end to end, `kb index --full`, {os.cpu_count()} cores, best of {args.repeat}:")
    print(f"{'jobs':>4} {'pages':>6} {'sections':>9} {'wall s':>8} {'pages/s':>8} {'no grade':>9} {'slower by':>10} "
          f"{'index MB':>9} {'peak RSS MB':>12}")
    for run in runs:
        print(f"{run['jobs']:4} {run['pages']:6} {run['sections']:9} {run['wall_s']:8.1f} {run['pages_per_s']:8.1f} "
              f"{run['pages_per_s_without_grade']:9.1f} {run['grade_slowdown']:10.1%} {run['index_mb']:9.1f} "
              f"{run['peak_rss_mb']:12.1f}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "ingest.json"
    out.write_text(json.dumps({"corpus": str(corpus), "stages": stages, "end_to_end": runs}, indent=2))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
