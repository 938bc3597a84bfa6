"""Every section of the serving index as flat records (``kb export``), for librarians and other
tools, with the licence and attribution of its source travelling with each one.

Streamed: records are read from the index's stored fields one section at a time and written
as they come, so exporting 100,000 sections takes no more memory than exporting ten.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from kb.config import Settings
from kb.corpus_config.sources import LOCAL_SOURCE, load_sources
from kb.index.generations import open_generation
from kb.model import SECTION_KINDS, Source, reading_level
from kb.search.urls import section_url

FORMATS: tuple[str, ...] = ("jsonl", "csv")

# One record per section, in this order (the CSV header).
FIELDS: tuple[str, ...] = (
    "section_id", "article_id", "title", "heading", "kind", "text",
    "source", "source_name", "licence", "attribution",
    "url",          # the page's original address, as its source published it (not checked: scraped)
    "page",         # the section's place on this site
    "published", "updated", "reviewed",
    "reading_grade", "reading_level",
)


@dataclass
class SectionExport:
    """An open export of the serving generation: ``total`` sections in it (before filters)."""

    total: int
    _searcher: object
    _sources: dict[str, Source]
    kind: str | None = None
    source: str | None = None

    def records(self) -> Iterator[dict]:
        """The sections that pass the filters, one record each, in index order."""
        for fields in self._searcher.reader().all_stored_fields():
            if (self.kind and fields.get("kind") != self.kind) or (self.source and fields.get("source") != self.source):
                continue
            yield record_of(fields, self._sources.get(fields.get("source", "")))


def record_of(fields: dict, source: Source | None) -> dict:
    """One section's record from its stored fields and its source's registry entry."""
    source_id = fields.get("source", "")
    source = source or Source(id=source_id, name=source_id)
    grade = fields.get("grade")
    return {
        "section_id": fields["section_id"], "article_id": fields["article_id"], "title": fields["title"],
        "heading": fields["heading"], "kind": fields["kind"], "text": fields.get("body", ""),
        "source": source_id, "source_name": source.name, "licence": source.licence,
        "attribution": source.attribution, "url": fields.get("url") or "",
        "page": section_url(fields["article_id"], fields["anchor"]),
        "published": fields.get("published"), "updated": fields.get("updated"), "reviewed": fields.get("reviewed"),
        "reading_grade": grade, "reading_level": reading_level(grade),
    }


@contextmanager
def open_export(settings: Settings, *, kind: str | None = None, source: str | None = None) -> Iterator[SectionExport]:
    """Open the serving generation for export, keeping only ``kind`` and ``source`` if given.

    Raises ``ValueError`` for an unknown kind or source, ``ConfigError`` for a broken
    ``sources.toml`` and ``IndexMissing``/``IndexOutdated`` without a usable index.
    """
    sources = {item.id: item for item in load_sources(settings.corpus)}
    sources.setdefault(LOCAL_SOURCE.id, LOCAL_SOURCE)
    if kind is not None and kind not in SECTION_KINDS:
        raise ValueError(f"unknown section kind {kind!r}; choose one of: {', '.join(SECTION_KINDS)}")
    if source is not None and source not in sources:
        raise ValueError(f"unknown source {source!r}; the sources of {settings.corpus} are: {', '.join(sorted(sources))}")
    ix, _generation = open_generation(settings.index_dir)
    try:
        with ix.searcher() as searcher:
            yield SectionExport(total=searcher.doc_count(), _searcher=searcher, _sources=sources, kind=kind,
                                source=source)
    finally:
        ix.close()


def write_jsonl(records: Iterator[dict], out: TextIO) -> int:
    """One JSON object a line (UTF-8, keys in ``FIELDS`` order); returns how many were written."""
    count = 0
    for count, record in enumerate(records, 1):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return count


def write_csv(records: Iterator[dict], out: TextIO) -> int:
    """A header row, then one row per record, quoted where needed (text keeps its line breaks,
    empty cells for missing values); returns how many rows were written.

    Cells are the corpus's text as it is: a spreadsheet may read one starting with ``=`` as a
    formula, so open the file as text, or import it with every column as text."""
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for count, record in enumerate(records, 1):
        writer.writerow(record)
    return count


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}
