"""Read an HTML page's facts (title, address, language, people, dates) before it is cleaned."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from indexer.dates import parse_date
from indexer.tails import ends_article
from indexer.walk import tags

_NAME = r"((?:Dr\.|Prof\.|Mr\.|Ms\.|Mrs\.)?\s*[A-Z][\w'’-]*\.?(?:\s+[A-Z][\w'’-]*\.?){0,4})"
_REVIEWED_BY = re.compile(r"(?i:reviewed by)\s+" + _NAME)
_WRITTEN_BY = re.compile(r"(?i:written by|^by)\s+" + _NAME, re.M)
_UPDATED = re.compile(r"(?:last\s+)?(?:updated|modified|update date)(?:\s+on)?:?\s+(.{6,30})", re.I)
_PUBLISHED = re.compile(r"published(?:\s+on)?:?\s+(.{6,30})", re.I)
_REVIEWED_ON = re.compile(r"reviewed\b.{0,80}?\bon\s+(.{6,30})|(?:last|date)\s+reviewed\s*:?\s*(?:on\s+)?(.{6,30})", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|·)\s+|\s*\|\s*")
_MAX_BYLINE = 300
_READING_TIME = re.compile(r"\b\d{1,3}\s*(min|mins|minutes?)\s+(to\s+)?read\b", re.I)
_BYLINE_BLOCKS = {"p", "div", "span", "small", "i", "em", "time", "li"}


@dataclass
class PageFacts:
    """What a page says about itself, apart from its text."""

    title: str = ""
    url: str = ""
    language: str = ""
    authors: list[str] = field(default_factory=list)
    reviewed_by: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    reviewed: str | None = None
    page_title: str = ""      # the <title> as written, site name and all
    og_title: str = ""        # Open Graph / JSON-LD headline
    site_name: str = ""
    headings: list[tuple[str, str]] = field(default_factory=list)  # (tag, text) of h1–h3 before cleaning


def _meta(soup: BeautifulSoup, *names: str) -> str:
    """The first of ``names`` that a <meta property=…> or <meta name=…> gives a content."""
    metas = _metas(soup)
    for name in names:
        if value := metas.get(name):
            return value
    return ""


def _metas(soup: BeautifulSoup) -> dict[str, str]:
    """Every <meta> content by property or name, read once per page (the first of each wins;
    a property beats a name of the same value, as the page's own order may not)."""
    cached = soup.__dict__.get("_kb_metas")
    if cached is not None:
        return cached
    by_property: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for tag in tags(soup, ("meta",)):
        content = tag.get("content")
        if not content:
            continue
        content = " ".join(str(content).split())
        if not content:
            continue
        for key, table in (("property", by_property), ("name", by_name)):
            value = tag.get(key)
            if isinstance(value, str) and value not in table:
                table[value] = content
    metas = {**by_name, **by_property}
    soup.__dict__["_kb_metas"] = metas
    return metas


def _json_ld(soup: BeautifulSoup) -> list[dict]:
    items: list[dict] = []
    for script in (s for s in tags(soup, ("script",)) if s.get("type") == "application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError, RecursionError):
            continue  # broken structured data is common; the visible byline still counts
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                items.append(item)
                items.extend(x for x in item.get("@graph", []) if isinstance(x, dict))
    return items


def _people(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for person in values:
        name = person.get("name") if isinstance(person, dict) else person
        if isinstance(name, str) and name.strip():
            names.append(" ".join(name.split()))
    return names


def _clean_name(name: str) -> str:
    return " ".join(name.split()).rstrip(".")


def _byline_texts(soup: BeautifulSoup) -> list[str]:
    """Short blocks that mention who wrote or reviewed the page, or when.

    A teaser card's byline or date is never the article's own: reading stops at the first
    line after the title that closes the article ("Was this page helpful?", "Keep reading"),
    and a block inside a card (its parent shows a reading time) is passed over.
    """
    texts = []
    after_title = False
    for tag in tags(soup, _BYLINE_BLOCKS | {"h1"}):
        text = " ".join(tag.get_text(" ").split())
        if tag.name == "h1":
            after_title = True
            continue
        if after_title and ends_article(text):
            break
        if 0 < len(text) <= _MAX_BYLINE and re.search(r"reviewed|written by|updated?\b|published|^by\s", text, re.I):
            card = " ".join(tag.parent.get_text(" ").split()) if tag.parent is not None else ""
            if len(card) <= _MAX_BYLINE and _READING_TIME.search(card):
                continue  # "By Rhea Santos" in a card that also says "5 min read"
            texts.append(text)
    return texts


def read_byline(facts: PageFacts, text: str, date_order: str = "MDY") -> None:
    """Fill what a visible byline says ("Medically reviewed by Dr … — Updated 5 Nov 2020")
    into the facts that are still unknown."""
    if not facts.reviewed_by and (m := _REVIEWED_BY.search(text)):
        facts.reviewed_by = [_clean_name(m[1])]
    if not facts.authors and (m := _WRITTEN_BY.search(text)):
        facts.authors = [_clean_name(m[1])]
    if not facts.reviewed and (m := _REVIEWED_ON.search(text)):
        facts.reviewed = parse_date(m[1] or m[2], date_order)
    if not facts.updated and (m := _UPDATED.search(text)):
        facts.updated = parse_date(m[1], date_order)
    if not facts.published and (m := _PUBLISHED.search(text)):
        facts.published = parse_date(m[1], date_order)


def read_facts(soup: BeautifulSoup, date_order: str = "MDY") -> PageFacts:
    """Collect the page's metadata from meta tags, JSON-LD and the visible byline.

    The title is only provisional here (see ``choose_title``, which needs the cleaned content).
    """
    facts = PageFacts()
    html_tag = soup.find("html")
    if isinstance(html_tag, Tag) and html_tag.get("lang"):
        facts.language = str(html_tag["lang"]).split("-")[0].strip().lower()[:8]

    title_tag = soup.find("title")
    facts.page_title = " ".join(title_tag.get_text(" ").split()) if isinstance(title_tag, Tag) else ""
    facts.site_name = _meta(soup, "og:site_name", "application-name")
    facts.headings = [(tag.name, text) for tag in tags(soup, ("h1", "h2", "h3"))[:60]
                      if (text := " ".join(tag.get_text(" ").split()))]
    canonical = soup.find("link", attrs={"rel": "canonical"})
    facts.url = (str(canonical.get("href", "")).strip() if isinstance(canonical, Tag) else "") or _meta(soup, "og:url")

    def date(text: str) -> str | None:
        return parse_date(text, date_order)

    for item in _json_ld(soup):
        facts.og_title = facts.og_title or str(item.get("headline") or "").strip()
        facts.authors = facts.authors or _people(item.get("author", []))
        facts.reviewed_by = facts.reviewed_by or _people(item.get("reviewedBy", []))
        facts.published = facts.published or date(str(item.get("datePublished", "")))
        facts.updated = facts.updated or date(str(item.get("dateModified", "")))
        facts.reviewed = facts.reviewed or date(str(item.get("lastReviewed", "")))
    facts.og_title = _meta(soup, "og:title", "twitter:title") or facts.og_title
    if not facts.authors and (author := _meta(soup, "author", "article:author", "dc.creator")):
        facts.authors = [author]
    facts.published = facts.published or date(_meta(soup, "article:published_time", "dcterms.created", "dc.date", "date"))
    facts.updated = facts.updated or date(_meta(soup, "article:modified_time", "dcterms.modified", "last-modified"))

    for text in _byline_texts(soup):
        read_byline(facts, text, date_order)
    facts.title = provisional_title(facts)
    return facts


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def title_segments(page_title: str) -> list[str]:
    """The parts of a <title> split at the separators sites put between page and site name."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(page_title) if p.strip()]
    if len(parts) == 1 and ": " in page_title:
        head, _, tail = page_title.rpartition(": ")
        if len(tail.split()) <= 2:  # "Coffee May Slow Liver Disease: MedlinePlus"
            parts = [head.strip(), tail.strip()]
    return parts or [page_title]


def provisional_title(facts: PageFacts) -> str:
    first_h1 = next((text for name, text in facts.headings if name == "h1"), "")
    return first_h1 or facts.og_title or title_segments(facts.page_title)[0]


def choose_title(facts: PageFacts, content_h1s: list[str], content_text: str) -> str:
    """Pick the article's title, preferring what the page and its <title> agree on.

    Site banners are often the page's first <h1>, and <title> often carries the site's
    name: an <h1> inside the article wins when it matches the <title>; then any heading
    equal to a part of the <title>; then Open Graph or JSON-LD; then the part of the
    <title> whose words the article uses most.
    """
    segments = title_segments(facts.page_title) if facts.page_title else []
    site = _norm(facts.site_name)
    segments = [s for s in segments if _norm(s) != site] or segments
    whole = _norm(facts.page_title)
    normalised = {_norm(s) for s in segments}
    title_words = set(whole.split())
    for h1 in content_h1s:
        words = set(_norm(h1).split())
        if not segments or _norm(h1) in normalised or (words and len(words & title_words) / len(words) >= 0.5):
            return h1
    for wanted in ({whole}, normalised):
        for _name, text in facts.headings:
            if _norm(text) in wanted:
                return text
    # An <h1> outside the article that the page's own headline spells out (the Open Graph
    # title, or the first part of the <title>; the last part is usually the site's name).
    headline = set(_norm(facts.og_title or (segments[0] if len(segments) > 1 else "")).split())
    for name, text in facts.headings:
        words = set(_norm(text).split())
        if name == "h1" and headline and words and len(words & headline) >= 0.8 * len(words):
            return text
    if facts.og_title:
        og_segments = title_segments(facts.og_title)
        return max(og_segments, key=len) if site and len(og_segments) > 1 else facts.og_title
    if segments:
        words = set(_norm(content_text).split())
        # An <h1> outside the article is the site's banner; the <title> part that repeats it is the site name.
        banners = [set(_norm(text).split()) for name, text in facts.headings if name == "h1" and text not in content_h1s]

        def score(segment: str) -> tuple[float, int]:
            tokens = _norm(segment).split()
            if not tokens:
                return (0.0, 0)
            covered = sum(t in words for t in tokens) / len(tokens)
            if any(len(banner & set(tokens)) >= 0.6 * len(set(tokens)) for banner in banners if banner):
                covered -= 0.5
            return (covered, len(segment))

        return max(segments, key=score)
    return content_h1s[0] if content_h1s else facts.title
