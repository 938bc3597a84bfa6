"""One page in, one cleaned article out: the code path shared by ``kb index`` and ``kb extract``."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from indexer.clean import clean_html
from indexer.encoding import decode_page
from indexer.metadata import read_facts
from indexer.sections import finish_sections, sections_from_html, slugify
from indexer.textdump import parse_text_dump
from kb.errors import ExtractionError
from kb.models import Article, Source
from kb.sources import LOCAL_SOURCE

MAX_PAGE_BYTES = 5 * 1024 * 1024  # a larger "page" is a data dump or an attack, not an article
MAX_DEPTH = 200  # real pages nest far less; deeper elements are flattened so work stays linear
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt"}
PAGE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


def flatten_deep_nesting(soup: BeautifulSoup) -> None:
    """Unwrap elements nested deeper than MAX_DEPTH, keeping their text in place."""
    too_deep = []
    stack = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        for child in tag.find_all(True, recursive=False):
            if depth + 1 > MAX_DEPTH:
                too_deep.append(child)
            stack.append((child, depth + 1))
    for tag in reversed(too_deep):
        tag.unwrap()


def article_id_for(path: Path) -> str:
    """The article id is the file's name as a slug: stable across runs and readable in URLs."""
    return slugify(path.stem, fallback="article")


def extract(data: bytes, path: Path, source: Source = LOCAL_SOURCE, article_id: str | None = None,
            relative_path: str | None = None) -> Article:
    """Clean one page and split it into sections.

    Raises ExtractionError (with a reason an editor can act on) when the file is
    not a page we read or holds no article text.
    """
    suffix = path.suffix.lower()
    if suffix not in PAGE_SUFFIXES:
        raise ExtractionError(f"unsupported file type {suffix or '(none)'}: expected .html, .htm or .txt")
    if len(data) > MAX_PAGE_BYTES:
        raise ExtractionError(f"page is {len(data):,} bytes, over the {MAX_PAGE_BYTES:,}-byte limit")
    if not data.strip():
        raise ExtractionError("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("binary data (NUL bytes), not a text page")
    if suffix in HTML_SUFFIXES:
        soup = BeautifulSoup(decode_page(data), "lxml")
        flatten_deep_nesting(soup)
        facts = read_facts(soup)
        content, dropped = clean_html(soup)
        raw = sections_from_html(content, facts.title)
    elif suffix in TEXT_SUFFIXES:
        facts, raw, dropped = parse_text_dump(decode_page(data, declared=False))
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
