"""Remove page furniture from a parsed HTML page and return the article's container.

The rules live in ``indexer.rules``; this module only applies them, in a fixed
order, and records each removed block with the rule that removed it.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag

from indexer import rules
from indexer.content import TextMap, find_content, prose_length
from indexer.walk import has, select, tags
from kb.model import Dropped, Source
from kb.corpus_config.sources import LOCAL_SOURCE

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SECTION_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_H1 = {"h1"}
_A = {"a"}
_CODE = {"script", "style", "noscript", "template"}
_DROP_TAGS = set(rules.DROP_TAGS)
_TAIL_BLOCKS = {"p", "div", "td", "span", "small", "center", "font"}
_PHRASE_BLOCKS = {"p", "div", "section", "li", "span", "td", "table", "small", "em", "i", "b", "strong"}
_LINK_BLOCKS = set(rules.LINK_DENSITY_TAGS)
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BYLINES = [re.compile(p, re.I) for p in rules.BYLINE_PATTERNS]
_BREADCRUMB = re.compile(rules.BREADCRUMB_PATTERN, re.I)
_TAIL = re.compile(rules.TAIL_PATTERN, re.I)
_SHORTEN = 120


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _drop(tag: Tag, reason: str, dropped: list[Dropped]) -> None:
    text = _text(tag)
    if text:
        dropped.append(Dropped(reason=reason, text=text if len(text) <= _SHORTEN else text[:_SHORTEN] + "…"))
    tag.decompose()


def _is_decomposed(tag: Tag) -> bool:
    # Not ``tag.decomposed``: on a tag never decomposed it falls through to Tag.__getattr__,
    # which searches the whole subtree for a <_decomposed> element (75 µs a call).
    return tag.__dict__.get("_decomposed", False)


def _alive(tag) -> bool:
    return isinstance(tag, Tag) and not _is_decomposed(tag)


def furniture_name(names: str) -> str | None:
    """The furniture word in an element's class, id and aria-label (joined, lower-cased), if any.
    Shared with ``indexer.prune``, which applies the same rule in lxml."""
    if not names:
        return None
    for value in names.split():
        if value in rules.DROP_NAME_VALUES:
            return value
    words = set(_WORD_SPLIT.split(names))
    for word in rules.DROP_NAME_WORDS:
        if word in words:
            return word
    return next((part for part in rules.DROP_NAME_PARTS if part in names), None)


def _name_rule(tag: Tag) -> str | None:
    """Return the furniture word found in the tag's class, id or aria-label, if any."""
    attrs = tag.attrs or {}
    values = []
    for key in ("class", "id", "aria-label"):
        value = attrs.get(key)
        if value:
            values.append(" ".join(value) if isinstance(value, list) else str(value))
    return furniture_name(" ".join(values).lower())


def strip_page(soup: BeautifulSoup, dropped: list[Dropped]) -> None:
    """Remove what is never content, wherever it is: code, comments, hidden blocks."""
    for comment in [node for node in soup.descendants if isinstance(node, Comment)]:
        comment.extract()
    for tag in tags(soup, _CODE):
        tag.decompose()
    for tag in tags(soup):
        if not _alive(tag) or tag.attrs is None:
            continue
        if "hidden" in tag.attrs or str(tag.attrs.get("aria-hidden", "")).lower() == "true" \
                or _HIDDEN_STYLE.search(str(tag.attrs.get("style", ""))):
            # Collapsed tabs and "read more" panels hide real article text until clicked;
            # what stays hidden and short is menus, templates and keyword stuffing.
            if prose_length(tag) < rules.MIN_HIDDEN_PROSE_CHARS:
                _drop(tag, "hidden", dropped)


def drop_furniture(root: Tag, dropped: list[Dropped], names: bool = True) -> None:
    """Drop navigation, headers, footers, forms, asides and blocks named like furniture
    (by class, id or aria-label, unless ``names`` is false).

    Furniture never holds the title or most of the page's prose: ASP.NET sites wrap the
    whole page in a <form>, and some name their article wrapper "post-meta-wrap".
    """
    text_map = TextMap(root)
    total = text_map.prose_of(root)

    def holds_the_article(tag: Tag) -> bool:
        return has(tag, _H1) or text_map.prose_of(tag) > rules.MAX_NAMED_DROP_SHARE * total

    for tag in tags(root, _DROP_TAGS):
        if _alive(tag) and not holds_the_article(tag):
            _drop(tag, f"tag:{tag.name}", dropped)
    for tag in tags(root, rules.HEADER_TAGS):
        if _alive(tag) and not has(tag, _SECTION_HEADINGS) and not holds_the_article(tag) \
                and text_map.prose_of(tag) < rules.MIN_HEADER_PROSE_CHARS:
            _drop(tag, "tag:header", dropped)
    for tag in tags(root):
        if not _alive(tag) or tag.attrs is None:
            continue
        role = str(tag.attrs.get("role", "")).lower()
        if role in rules.DROP_ROLES and not holds_the_article(tag):
            _drop(tag, f"role:{role}", dropped)
            continue
        word = _name_rule(tag) if names and tag.name not in _HEADINGS else None  # a heading classed "header" is a heading
        if word and not holds_the_article(tag):
            _drop(tag, f"name:{word}", dropped)


def clean_content(content: Tag, dropped: list[Dropped]) -> None:
    """Drop what is left of the furniture inside the article's container."""
    _cut_tail(content, dropped)
    _drop_teaser_headings(content, dropped)
    _drop_by_phrases(content, dropped)
    _drop_link_lists(content, dropped)


def _cut_tail(content: Tag, dropped: list[Dropped]) -> None:
    """Drop a closing copyright or syndication line and everything after it."""
    total = prose_length(content)
    for tag in tags(content, _TAIL_BLOCKS):
        text = _text(tag)
        if not text or len(text) > rules.MAX_TAIL_CHARS or not _TAIL.search(text):
            continue
        before = 0
        for block in tag.find_all_previous(["p", "li", "td", "div", "pre", "blockquote"]):
            if content in block.parents and not block.find(["p", "li", "td", "div"]):
                before += len(_text(block))
        if before < rules.MIN_PROSE_BEFORE_TAIL * total:
            continue
        following = [el for el in tag.find_all_next(True) if content in el.parents]
        _drop(tag, "tail:copyright", dropped)
        for el in following:
            if _alive(el) and not any(_is_decomposed(p) for p in el.parents if isinstance(p, Tag)):
                _drop(el, "tail:after-copyright", dropped)
        return


def _drop_teaser_headings(content: Tag, dropped: list[Dropped]) -> None:
    for heading in tags(content, _SECTION_HEADINGS):
        if not _alive(heading):
            continue
        text = _text(heading).lower().rstrip(":")
        if not any(text.startswith(phrase) for phrase in rules.TEASER_HEADINGS):
            continue
        level = int(heading.name[1])
        sibling = heading.find_next_sibling()
        while isinstance(sibling, Tag) and not (sibling.name in _HEADINGS and int(sibling.name[1]) <= level):
            following = sibling.find_next_sibling()
            _drop(sibling, f"teaser:{text}", dropped)
            sibling = following
        _drop(heading, f"teaser:{text}", dropped)


def _drop_by_phrases(content: Tag, dropped: list[Dropped]) -> None:
    for tag in tags(content, _PHRASE_BLOCKS):
        if not _alive(tag):
            continue
        text = _text(tag)
        lower = text.lower()
        if not text:
            continue
        if len(text) <= rules.MAX_PHRASE_BLOCK_CHARS:
            phrase = next((p for p in rules.DROP_PHRASES if lower.startswith(p)), None)
            if phrase:
                _drop(tag, f"phrase:{phrase}", dropped)
                continue
        if len(text) <= rules.MAX_BYLINE_CHARS and any(p.search(text) for p in _BYLINES):
            _drop(tag, "byline", dropped)
            continue
        if len(text) <= rules.MAX_BREADCRUMB_CHARS and _BREADCRUMB.search(text):
            _drop(tag, "breadcrumb", dropped)
            continue
        if len(text) <= rules.MAX_DISCLAIMER_CHARS:
            phrase = next((p for p in rules.DISCLAIMER_PHRASES if p in lower), None)
            if phrase:
                _drop(tag, f"disclaimer:{phrase}", dropped)


def _drop_link_lists(content: Tag, dropped: list[Dropped]) -> None:
    for tag in tags(content, _LINK_BLOCKS):
        if not _alive(tag):
            continue
        text_length = len(_text(tag))
        if text_length == 0:
            continue
        links = [a for a in tags(tag, _A) if a.has_attr("href")]
        if not links:
            continue
        link_length = sum(len(_text(a)) for a in links)
        if link_length / text_length > rules.MAX_LINK_DENSITY:
            _drop(tag, f"links:{link_length / text_length:.2f}", dropped)


def clean_html(soup: BeautifulSoup, source: Source = LOCAL_SOURCE, names: bool = True) -> tuple[Tag, list[Dropped]]:
    """Return the article's container with the furniture removed, and what was removed.

    A source's own rules come first: its drop selectors, then its content selector
    (when it matches; the generic search for the article otherwise). ``names=False`` is the
    fallback read of a page the rules emptied: no block is dropped for its class or id.
    """
    dropped: list[Dropped] = []
    strip_page(soup, dropped)
    for selector in source.drop_selectors:
        for tag in select(soup, selector):
            if _alive(tag):
                _drop(tag, f"source:{selector}", dropped)
    content = None
    if source.content_selector:
        matches = [tag for tag in select(soup, source.content_selector) if _text(tag)]
        content = max(matches, key=lambda tag: len(_text(tag))) if matches else None
    if content is None:
        body = soup.find("body")
        drop_furniture(body if isinstance(body, Tag) else soup, dropped, names)
        content = find_content(soup)
    else:
        drop_furniture(content, dropped, names)
    clean_content(content, dropped)
    return content, dropped
