"""An article's index documents (one per section), and the fingerprint that tells whether
an article's documents changed since a generation was built."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator

from kb.curation.duplicates import sketch
from kb.model import Article, reading_level


def section_documents(article: Article) -> Iterator[dict]:
    """The Whoosh documents of one article: one per section, in reading order. Each section's
    reading grade was measured when the page was extracted (on the extraction processes) and
    again wherever the site template took lines out of it."""
    for position, section in enumerate(article.sections):
        grade = section.grade
        yield {
            "section_id": f"{article.id}#{section.anchor}",
            "article_id": article.id,
            "title": article.title,
            "aliases": "; ".join(article.aliases),
            "heading": section.heading,
            "body": section.text,
            "spell": " ".join((article.title, section.heading, " ".join(article.aliases), section.text)),
            "kind": section.kind,
            "source": article.source,
            "grade": grade,                  # None: too short to judge (Whoosh leaves the field out)
            "reading": reading_level(grade),
            "anchor": section.anchor,
            "level": section.level,
            "number": section.number,
            "position": position,
            "url": article.url,
            "path": article.path,
            "language": article.language,
            "published": article.published,
            "updated": article.updated,
            "reviewed": article.reviewed,
            "authors": article.authors,
            "reviewed_by": article.reviewed_by,
        }


def fingerprint(documents: list[dict]) -> str:
    """A hash of everything an article puts in the index."""
    text = json.dumps(documents, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def manifest_entry(article: Article, documents: list[dict]) -> dict:
    """What a generation's manifest records about one article (the sketch lets readers'
    results show one copy of an article that two sources publish)."""
    entry = {
        "fingerprint": fingerprint(documents),
        "source": article.source,
        "path": article.path,
        "sections": len(documents),
        "kinds": dict(Counter(doc["kind"] for doc in documents)),
        "sketch": sketch("\n".join(doc["body"] for doc in documents)),
    }
    if article.warnings:  # for the librarian's report (``kb report``): e.g. read by the fallback
        entry["warnings"] = list(article.warnings)
    return entry
