"""The zero-result log of a replica: searches that found nothing, one JSON line each.

On the indexer's host they are counted in the catalogue (``kb.index.catalogue``). A replica
has no catalogue: its data folder holds only the generations it was sent. Each replica
appends to a small log file of its own instead (``KB_ZERO_RESULTS_LOG``, by default
``zero-results.jsonl`` in its data folder), and ``kb report --zero-results-log FILE`` reads
any number of them back, merged with the catalogue's counts. As in the catalogue, only the
normalised query and the time are kept: nothing about the reader.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from kb.index.catalogue import normalise_query

LOG_FILE = "zero-results.jsonl"


def append(path: Path, text: str, when: float) -> None:
    """Add one search that found nothing. One ``write`` on a file opened for appending: lines
    from several workers never interleave."""
    query = normalise_query(text)
    if not query:
        return
    line = json.dumps({"query": query, "at": round(when, 3)}, ensure_ascii=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def read(paths: Iterable[Path]) -> list[dict]:
    """Every log's searches counted together, in the catalogue's form (query, count, first and
    last seen). Lines that are not a logged search (a torn last line, an edit) are skipped."""
    counts: dict[str, dict] = {}
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                    query, when = normalise_query(str(entry["query"])), float(entry["at"])
                except (ValueError, KeyError, TypeError):
                    continue
                if query:
                    merge(counts, {"query": query, "count": 1, "first_seen": when, "last_seen": when})
    return list(counts.values())


def merge(counts: dict[str, dict], item: dict) -> None:
    """Add one (query, count, first_seen, last_seen) to ``counts``, keyed by query."""
    known = counts.get(item["query"])
    if known is None:
        counts[item["query"]] = dict(item)
        return
    known["count"] += item["count"]
    known["first_seen"] = min(known["first_seen"], item["first_seen"])
    known["last_seen"] = max(known["last_seen"], item["last_seen"])


def combined(*lists: Iterable[dict], limit: int = 100) -> list[dict]:
    """Several sources of zero-result counts as one list, most frequent first."""
    counts: dict[str, dict] = {}
    for items in lists:
        for item in items:
            merge(counts, item)
    return sorted(counts.values(), key=lambda item: (-item["count"], -item["last_seen"]))[:limit]
