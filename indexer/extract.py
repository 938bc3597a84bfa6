"""One page in, one cleaned article out: the code path shared by ``kb index`` and ``kb extract``."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning

from indexer.aliases import find_aliases
from indexer.clean import clean_html
from indexer.dates import parse_date
from indexer.encoding import decode_page
from indexer import rules
from indexer.metadata import PageFacts, choose_title, read_facts
from indexer.prune import prune
from indexer.readability import reading_grade
from indexer.walk import tags
from indexer.sections import RawSection, finish_sections, sections_from_html, slugify
from indexer.tails import cut_tail
from indexer.textdump import parse_text_dump
from indexer.limits import DEFAULT_MAX_BYTES
from kb.config import HTML_SUFFIXES, PAGE_SUFFIXES
from kb.errors import ExtractionError
from kb.model import Article, Dropped, Source
from kb.corpus_config.sources import LOCAL_SOURCE, source_for_url

MAX_PAGE_BYTES = DEFAULT_MAX_BYTES
MAX_TITLE_CONTEXT = 20_000  # characters of article text used to tell the title from the site name
MAX_DEPTH = 200
MIN_FALLBACK_BLOCKS = 2  # paragraphs of prose that make an empty result a failure of the rules, not an empty page
FALLBACK_WARNING = ("no article container survived the furniture rules (class or id names); "
                    "the article was read from the page's densest prose: check it")  # real pages nest far less; deeper elements are flattened so work stays linear


_CHARSET = re.compile(r"charset\s*=\s*([^;\s]+)", re.I)
_PAGE_EXTENSIONS = re.compile(r"\.(?:s?html?|xhtml|php\d?|aspx?|jsp|cfm)$", re.I)


@dataclass(frozen=True)
class Fetch:
    """What a web archive recorded about fetching a page: its address, when (``WARC-Date``)
    and the HTTP Content-Type the server sent (whose charset, when real, decodes the page)."""

    url: str
    date: str = ""
    content_type: str = ""

    @property
    def charset(self) -> str | None:
        match = _CHARSET.search(self.content_type)
        return match[1] if match else None


def parse_html(text: str) -> BeautifulSoup:
    """Build the soup. Scraped "HTML" may look like XML or like a file name; BeautifulSoup's
    advice about that is for programmers, not for an editor's index run, so it is silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(text, "lxml")


def flatten_deep_nesting(soup: BeautifulSoup) -> None:
    """Flatten what is nested deeper than MAX_DEPTH into its text, so work stays linear.

    Real pages nest far less. An element at the limit keeps its text, as one string, but
    loses the tags below it (unwrapping them one by one costs quadratic time in
    BeautifulSoup: each unwrap walks the subtree).
    """
    boundary = []
    stack = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        children = [c for c in tag.contents if isinstance(c, Tag)]
        if depth == MAX_DEPTH and children:
            boundary.append(tag)
            continue
        stack.extend((child, depth + 1) for child in children)
    for tag in boundary:
        text = tag.get_text(" ")
        tag.clear()
        tag.append(text)


def article_id_for(path: Path) -> str:
    """The article id is the file's name as a slug: stable across runs and readable in URLs."""
    return slugify(path.stem, fallback="article")


def article_id_for_url(url: str) -> str:
    """A page fetched from the web is named by its address: the last part of its path as a
    slug (``https://site.example/health/bells-palsy/`` → ``bells-palsy``), the host's for a
    site's home page."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # an address no browser would open ("http://[oops/"): its text still names it
        return slugify(url, fallback="article")
    segments = [segment for segment in unquote(parts.path).split("/") if segment]
    name = _PAGE_EXTENSIONS.sub("", segments[-1]) if segments else ""
    return slugify(name or host, fallback="article")


def _with_fetch(facts: PageFacts, fetch: Fetch) -> PageFacts:
    """Fill in what the archive knows and the page does not say: its address (when it has no
    canonical link) and, for a page that gives no date at all, the day it was fetched as its
    last update (a page's own dates always win: a fetch shows the text was current then,
    not that anyone reviewed it)."""
    facts.url = facts.url or fetch.url
    if not (facts.published or facts.updated or facts.reviewed):
        facts.updated = parse_date(fetch.date)
    return facts


def extract(data: bytes, path: Path, source: Source = LOCAL_SOURCE, article_id: str | None = None,
            relative_path: str | None = None, sources: list[Source] | None = None,
            max_bytes: int = MAX_PAGE_BYTES, fetch: Fetch | None = None) -> Article:
    """Clean one page and split it into sections.

    ``source`` is the page's source when its folder says so; otherwise, when ``sources``
    are given, a source whose domains include the page's address claims it. ``fetch`` is
    given for a page read from a web archive (``path`` is then the archive's): the page is
    HTML whatever the archive is called, and the fetch's address and date stand in for
    what the page does not say.
    Raises ExtractionError (with a reason an editor can act on) when the file is
    not a page we read or holds no article text.
    """
    suffix = ".html" if fetch is not None else path.suffix.lower()
    if suffix not in PAGE_SUFFIXES:
        raise ExtractionError(f"unsupported file type {suffix or '(none)'}: expected .html, .htm or .txt")
    if len(data) > max_bytes:
        raise ExtractionError(f"page is {len(data):,} bytes, over the {max_bytes:,}-byte page limit (--max-page-bytes)")
    if not data.strip():
        raise ExtractionError("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("binary data (NUL bytes), not a text page")
    warnings: list[str] = []
    if suffix in HTML_SUFFIXES:
        text = decode_page(data, served_as=fetch.charset if fetch else None)
        facts, raw, dropped, source = _read_html(text, source, sources, fetch=fetch)
        if not any(section.blocks for section in raw) and prose_blocks(text) >= MIN_FALLBACK_BLOCKS:
            # The article sits in a wrapper whose name sounds like furniture (a page builder's
            # "widget" blocks, a "sidebar-layout"): read the densest prose, ignoring names.
            facts, raw, dropped, source = _read_html(text, source, sources, names=False, fetch=fetch)
            warnings.append(FALLBACK_WARNING)
            dropped.insert(0, Dropped(reason="fallback:densest-prose", text=FALLBACK_WARNING))
    else:
        facts, raw, dropped = parse_text_dump(decode_page(data, declared=False), source.date_order)
        if source is LOCAL_SOURCE and sources and (claimed := source_for_url(facts.url, sources)):
            source = claimed
    sections = finish_sections(raw)
    if not sections:
        raise ExtractionError("no article text found after removing the page furniture")
    for section in sections:
        section.grade = reading_grade(section.text)
    title = facts.title or sections[0].heading
    aliases = find_aliases(title, sections)
    return Article(
        id=article_id or (article_id_for_url(fetch.url) if fetch is not None else article_id_for(path)),
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
        warnings=warnings,
    )


def _read_html(text: str, source: Source, sources: list[Source] | None, names: bool = True,
               fetch: Fetch | None = None) -> tuple[PageFacts, list[RawSection], list[Dropped], Source]:
    """Facts, raw sections and dropped blocks of an HTML page, and the source that claims it.
    ``names=False`` ignores furniture names (class, id) everywhere: the fallback read."""
    html, pruned = prune(text) if names else (text, [])
    soup = parse_html(html)
    flatten_deep_nesting(soup)
    facts = read_facts(soup, source.date_order)
    if fetch is not None:
        facts = _with_fetch(facts, fetch)
    if source is LOCAL_SOURCE and sources and (claimed := source_for_url(facts.url, sources) or (
            fetch is not None and source_for_url(fetch.url, sources))):
        if claimed.date_order != source.date_order:  # numeric dates must be read the source's way
            facts = read_facts(soup, claimed.date_order)
            facts = _with_fetch(facts, fetch) if fetch is not None else facts
        source = claimed
    content, dropped = clean_html(soup, source, names=names)
    dropped = pruned + dropped
    content_h1s = [text for h1 in tags(content, ("h1",)) if (text := " ".join(h1.get_text(" ").split()))]
    facts.title = choose_title(facts, content_h1s, content.get_text(" ")[:MAX_TITLE_CONTEXT])
    raw = sections_from_html(content, facts.title)
    dropped += cut_tail(raw)
    return facts, raw, dropped, source


def prose_blocks(html: str) -> int:
    """How many paragraphs of prose a page holds, read with lxml alone (cheap): the test of
    whether a page that came out empty had an article to find."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.LxmlError, ValueError):
        return 0
    return sum(1 for p in root.iter("p", "li", "td", "dd", "blockquote")
               if len(" ".join(p.text_content().split())) >= rules.MIN_PROSE_LINE_CHARS)
