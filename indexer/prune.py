"""Cut the obvious furniture out of a page with lxml before BeautifulSoup sees it.

BeautifulSoup's tree building costs ~0.04 ms an element, and a scraped health page is
mostly furniture: a mega-menu of hundreds of links, an inline SVG sprite, a 50 KB
application-state script. lxml parses the same page in ~1 ms. This pass removes, in lxml,
only what the cleaner (``indexer.clean``) would certainly remove as well, records it the
same way, and hands the rest to BeautifulSoup, which stays the cleaning tool:

- comments, ``<script>`` (but not JSON-LD, which carries the page's facts), ``<style>``,
  ``<noscript>``, ``<template>``;
- furniture tags, ARIA roles and class/id names (the cleaner's own rules) whose block holds
  no heading, no byline words, and hardly any prose outside links.

Anything the cleaner might keep (a ``<header>`` with the article's lead, an ASP.NET
``<form>`` wrapping the whole page) is left for it to judge with the full rules.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from indexer import rules
from indexer.clean import furniture_name
from kb.model import Dropped

_ALWAYS = {"style", "noscript", "template"}
_FURNITURE_TAGS = set(rules.DROP_TAGS) | set(rules.HEADER_TAGS)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# What the page's facts are read from (``indexer.metadata``): blocks holding these stay for it.
_BYLINE_WORDS = re.compile(r"reviewed|written by|updated?\b|published", re.I)
_BY = re.compile(r"\s*by\b", re.I)
MAX_PRUNED_SHARE = 0.1  # a furniture block with less of the page's text outside links is a menu
_SHORTEN = 120


def _furniture_rule(element) -> str | None:
    """The cleaner's rule that marks this element as furniture (tag, ARIA role, or the
    class/id/aria-label words of ``indexer.clean.furniture_name``), or None."""
    if element.tag in _FURNITURE_TAGS:
        return f"tag:{element.tag}"
    role = (element.get("role") or "").lower()
    if role in rules.DROP_ROLES:
        return f"role:{role}"
    if element.tag in _HEADINGS:
        return None
    word = furniture_name(" ".join(v for key in ("class", "id", "aria-label") if (v := element.get(key))).lower())
    return f"name:{word}" if word else None


_PROSE = etree.XPath(".//text()[not(ancestor::a)]", smart_strings=False)
# Text a <header> keeps once its own menus, search forms and buttons are gone.
_HEADER_PROSE = etree.XPath(".//text()[not(ancestor::a or ancestor::nav or ancestor::form or ancestor::button "
                            "or ancestor::label or ancestor::select or ancestor::menu)]", smart_strings=False)
_TITLE_HEADINGS = etree.XPath("boolean(descendant-or-self::*[self::h1 or self::h2 or self::h3])")
_ANY_HEADING = etree.XPath("boolean(descendant-or-self::*[self::h1 or self::h2 or self::h3 or self::h4 "
                           "or self::h5 or self::h6])")


def _prose(element, xpath=_PROSE) -> int:
    """Characters of text in the block outside links."""
    return sum(len(text.strip()) for text in xpath(element))


def _certain_furniture(element, page_prose: int) -> bool:
    """Would the cleaner drop this furniture block whatever else the page holds?

    The cleaner keeps a furniture block that holds the article (an <h1>, or half the page's
    prose), and a <header> with a section heading or a lead paragraph. Here the bar is
    higher: no title-level heading (the page's facts read them), a small share of the
    page's prose, and no byline words (facts read those too).
    """
    if element.tag in rules.HEADER_TAGS:
        if _ANY_HEADING(element) or _prose(element, _HEADER_PROSE) >= rules.MIN_HEADER_PROSE_CHARS:
            return False
    elif _TITLE_HEADINGS(element):
        return False
    if _prose(element) >= MAX_PRUNED_SHARE * page_prose:
        return False
    return not (_BYLINE_WORDS.search(element.text_content())
                or any(_BY.match(text) for text in element.itertext()))


def _describe(element, reason: str, dropped: list[Dropped]) -> None:
    text = " ".join(element.text_content().split())
    if text:
        dropped.append(Dropped(reason=reason, text=text if len(text) <= _SHORTEN else text[:_SHORTEN] + "…"))


def _remove(element) -> None:
    """Remove an element but keep the text that follows it (its tail belongs to the parent)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def prune(text: str) -> tuple[str, list[Dropped]]:
    """Return the page's HTML without its certain furniture, and what was removed.

    Pages lxml's own API refuses (control characters it will not write back, nothing
    parseable) are returned unchanged: BeautifulSoup and the cleaner's full rules then
    decide, as they do for every page.
    """
    try:
        return _prune(text)
    except (etree.LxmlError, ValueError):
        return text, []


def _prune(text: str) -> tuple[str, list[Dropped]]:
    dropped: list[Dropped] = []
    parser = lxml.html.HTMLParser()
    root = lxml.html.document_fromstring(text, parser=parser)
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        return text, dropped  # lxml cut the page short (nesting past 256): BeautifulSoup reads it whole
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction, "script", *_ALWAYS)):
        if node.tag == "script" and (node.get("type") or "").strip().lower() == "application/ld+json":
            continue
        _remove(node)
    body = root.find("body")
    if body is None:
        return text, dropped
    page_prose = _prose(body)
    stack = list(reversed(body))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        rule = _furniture_rule(element)
        if rule and _certain_furniture(element, page_prose):
            _describe(element, rule, dropped)
            _remove(element)
            continue
        stack.extend(reversed(element))
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"), dropped
