"""Batch search for evaluation: JSON-lines queries in, a TREC run file out.

Each hit becomes ``<page>#<section-number>``: the corpus file name and the position of
the hit's top-level section (a sub-section counts as its parent; text before the first
heading is section 0). Several hits in one top-level section are listed once, at the best rank.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from kb.model import SearchPage
from kb.search.query import search
from kb.index.handle import IndexHandle

RUN_TAG = "kb"


def read_queries(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Yield (qid, query) from JSON lines with "qid" and "query"; blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            yield str(record["qid"]), str(record["query"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number}: expected a JSON object with \"qid\" and \"query\" ({exc})") from exc


def run_lines(qid: str, page: SearchPage) -> Iterator[str]:
    """TREC run lines for one query's results, one per top-level section, best first."""
    seen: set[str] = set()
    for hit in page.results:
        docid = f"{PurePosixPath(hit.path).name}#{hit.section_number}"
        if docid in seen:
            continue
        seen.add(docid)
        yield f"{qid} Q0 {docid} {len(seen)} {hit.score:.4f} {RUN_TAG}"


def run_queries(queries: Iterable[tuple[str, str]], index: IndexHandle, limit: int = 100) -> Iterator[str]:
    """Search every query with one open index and yield the run file's lines."""
    for qid, text in queries:
        page = search(text, index=index, limit=limit, per_article=limit, snippets=False)
        yield from run_lines(qid, page)
