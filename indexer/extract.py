"""One page in, one cleaned article out: the code path shared by ``kb index`` and ``kb extract``."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from indexer.clean import clean_html
from indexer.metadata import read_facts
from indexer.sections import finish_sections, sections_from_html, slugify
from indexer.textdump import parse_text_dump
from kb.errors import ExtractionError
from kb.models import Article, Source
from kb.sources import LOCAL_SOURCE

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt"}
PAGE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


def article_id_for(path: Path) -> str:
    """The article id is the file's name as a slug: stable across runs and readable in URLs."""
    return slugify(path.stem, fallback="article")


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def extract(data: bytes, path: Path, source: Source = LOCAL_SOURCE, article_id: str | None = None,
            relative_path: str | None = None) -> Article:
    """Clean one page and split it into sections.

    Raises ExtractionError (with a reason an editor can act on) when the file is
    not a page we read or holds no article text.
    """
    suffix = path.suffix.lower()
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("binary data (NUL bytes), not a text page")
    if suffix in HTML_SUFFIXES:
        soup = BeautifulSoup(data, "lxml")
        facts = read_facts(soup)
        content, dropped = clean_html(soup)
        raw = sections_from_html(content, facts.title)
    elif suffix in TEXT_SUFFIXES:
        facts, raw, dropped = parse_text_dump(_decode_text(data))
    else:
        raise ExtractionError(f"unsupported file type {suffix or '(none)'}: expected .html, .htm or .txt")
    sections = finish_sections(raw)
    if not sections:
        raise ExtractionError("no article text found after removing the page furniture")
    title = facts.title or sections[0].heading
    return Article(
        id=article_id or article_id_for(path),
        title=title,
        source=source.id,
        path=relative_path or path.name,
        url=facts.url,
        language=facts.language,
        authors=facts.authors,
        reviewed_by=facts.reviewed_by,
        published=facts.published,
        updated=facts.updated,
        reviewed=facts.reviewed,
        sections=sections,
        dropped=dropped,
    )
