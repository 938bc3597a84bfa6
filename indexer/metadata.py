"""Read an HTML page's facts (title, address, language, people, dates) before it is cleaned."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from indexer.dates import parse_date

_NAME = r"((?:Dr\.|Prof\.|Mr\.|Ms\.|Mrs\.)?\s*[A-Z][\w'’-]*\.?(?:\s+[A-Z][\w'’-]*\.?){0,4})"
_REVIEWED_BY = re.compile(r"(?i:reviewed by)\s+" + _NAME)
_WRITTEN_BY = re.compile(r"(?i:written by|^by)\s+" + _NAME, re.M)
_UPDATED = re.compile(r"(?:last\s+)?(?:updated|modified)(?:\s+on)?:?\s+(.{6,30})", re.I)
_PUBLISHED = re.compile(r"published(?:\s+on)?:?\s+(.{6,30})", re.I)
_REVIEWED_ON = re.compile(r"reviewed\b.{0,80}?\bon\s+(.{6,30})", re.I)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_MAX_BYLINE = 300


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


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and tag.get("content"):
            return " ".join(str(tag["content"]).split())
    return ""


def _json_ld(soup: BeautifulSoup) -> list[dict]:
    items: list[dict] = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
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
    """Short blocks that mention who wrote or reviewed the page, or when."""
    texts = []
    for tag in soup.find_all(["p", "div", "span", "small", "i", "em", "time", "li"]):
        text = " ".join(tag.get_text(" ").split())
        if 0 < len(text) <= _MAX_BYLINE and re.search(r"reviewed by|written by|updated|published|^by\s", text, re.I):
            texts.append(text)
    return texts


def read_facts(soup: BeautifulSoup) -> PageFacts:
    """Collect the page's metadata from meta tags, JSON-LD and the visible byline."""
    facts = PageFacts()
    html_tag = soup.find("html")
    if isinstance(html_tag, Tag) and html_tag.get("lang"):
        facts.language = str(html_tag["lang"]).split("-")[0].strip().lower()[:8]

    h1 = soup.find("h1")
    h1_text = " ".join(h1.get_text(" ").split()) if isinstance(h1, Tag) else ""
    title_tag = soup.find("title")
    title_text = " ".join(title_tag.get_text(" ").split()) if isinstance(title_tag, Tag) else ""
    facts.title = h1_text or _meta(soup, "og:title") or _TITLE_SUFFIX.sub("", title_text) or title_text

    canonical = soup.find("link", attrs={"rel": "canonical"})
    facts.url = (str(canonical.get("href", "")).strip() if isinstance(canonical, Tag) else "") or _meta(soup, "og:url")

    ld = _json_ld(soup)
    for item in ld:
        facts.authors = facts.authors or _people(item.get("author", []))
        facts.reviewed_by = facts.reviewed_by or _people(item.get("reviewedBy", []))
        facts.published = facts.published or parse_date(str(item.get("datePublished", "")))
        facts.updated = facts.updated or parse_date(str(item.get("dateModified", "")))
        facts.reviewed = facts.reviewed or parse_date(str(item.get("lastReviewed", "")))
    if not facts.authors and (author := _meta(soup, "author", "article:author")):
        facts.authors = [author]
    facts.published = facts.published or parse_date(_meta(soup, "article:published_time", "dcterms.created", "date"))
    facts.updated = facts.updated or parse_date(_meta(soup, "article:modified_time", "dcterms.modified", "last-modified"))

    for text in _byline_texts(soup):
        if not facts.reviewed_by and (m := _REVIEWED_BY.search(text)):
            facts.reviewed_by = [_clean_name(m[1])]
        if not facts.authors and (m := _WRITTEN_BY.search(text)):
            facts.authors = [_clean_name(m[1])]
        if not facts.reviewed and (m := _REVIEWED_ON.search(text)):
            facts.reviewed = parse_date(m[1])
        if not facts.updated and (m := _UPDATED.search(text)):
            facts.updated = parse_date(m[1])
        if not facts.published and (m := _PUBLISHED.search(text)):
            facts.published = parse_date(m[1])
    return facts
