"""One page in, one cleaned article out: the code path shared by ``kb index`` and ``kb extract``."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag

from indexer.aliases import find_aliases
from indexer.clean import clean_html
from indexer.encoding import decode_page
from indexer.metadata import choose_title, read_facts
from indexer.sections import finish_sections, sections_from_html, slugify
from indexer.textdump import parse_text_dump
from kb.errors import ExtractionError
from kb.models import Article, Source
from kb.sources import LOCAL_SOURCE, source_for_url

MAX_PAGE_BYTES = 5 * 1024 * 1024  # a larger "page" is a data dump or an attack, not an article
MAX_TITLE_CONTEXT = 20_000  # characters of article text used to tell the title from the site name
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
        for child in [c for c in tag.contents if isinstance(c, Tag)]:
            if depth + 1 > MAX_DEPTH:
                too_deep.append(child)
            stack.append((child, depth + 1))
    for tag in reversed(too_deep):
        tag.unwrap()


def article_id_for(path: Path) -> str:
    """The article id is the file's name as a slug: stable across runs and readable in URLs."""
    return slugify(path.stem, fallback="article")


def extract(data: bytes, path: Path, source: Source = LOCAL_SOURCE, article_id: str | None = None,
            relative_path: str | None = None, sources: list[Source] | None = None) -> Article:
    """Clean one page and split it into sections.

    ``source`` is the page's source when its folder says so; otherwise, when ``sources``
    are given, a source whose domains include the page's address claims it.
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
        facts = read_facts(soup, source.date_order)
        if source is LOCAL_SOURCE and sources and (claimed := source_for_url(facts.url, sources)):
            if claimed.date_order != source.date_order:  # numeric dates must be read the source's way
                facts = read_facts(soup, claimed.date_order)
            source = claimed
        content, dropped = clean_html(soup, source)
        content_h1s = [text for h1 in content.find_all("h1") if (text := " ".join(h1.get_text(" ").split()))]
        facts.title = choose_title(facts, content_h1s, content.get_text(" ")[:MAX_TITLE_CONTEXT])
        raw = sections_from_html(content, facts.title)
    else:
        facts, raw, dropped = parse_text_dump(decode_page(data, declared=False), source.date_order)
        if source is LOCAL_SOURCE and sources and (claimed := source_for_url(facts.url, sources)):
            source = claimed
    sections = finish_sections(raw)
    if not sections:
        raise ExtractionError("no article text found after removing the page furniture")
    title = facts.title or sections[0].heading
    aliases = find_aliases(title, sections)
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
        aliases=aliases,
        sections=sections,
        dropped=dropped,
    )
