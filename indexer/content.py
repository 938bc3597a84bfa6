"""Find the element of a page that holds the article.

A known container (``<article>``, ``<main>``, …) wins when it holds the page's main
text; otherwise the block whose paragraphs hold the most text outside links, widened
to its parent while the parent's other children hold prose too.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from indexer import rules
from indexer.walk import select, tags

_SKIP = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
# Inline elements: their text belongs to the nearest block around them.
INLINE = {"a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "dfn", "em", "font", "i",
          "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var",
          "nobr", "wbr", "ins", "del", "label", "br"}
MAX_PROPAGATION_DEPTH = 60  # bounds the work on hostile, absurdly deep pages


class TextMap:
    """How much prose (text outside links) each block of a page holds, computed once."""

    def __init__(self, root: Tag):
        self.units: dict[int, tuple[Tag, int]] = {}   # block → its own text outside links
        self.prose: dict[int, int] = {}               # element → prose in its subtree
        for string in root.descendants:
            if not isinstance(string, NavigableString) or isinstance(string, _SKIP):
                continue
            length = len(string.strip())
            if not length:
                continue
            element, in_link = string.parent, False
            while isinstance(element, Tag) and element.name in INLINE:
                in_link = in_link or (element.name == "a" and element.has_attr("href"))
                element = element.parent
            if in_link or not isinstance(element, Tag):
                continue
            tag, total = self.units.get(id(element), (element, 0))
            self.units[id(element)] = (tag, total + length)
        for tag, length in self.units.values():
            if length < rules.MIN_PARAGRAPH_CHARS:
                continue
            node, depth = tag, 0
            while isinstance(node, Tag) and depth < MAX_PROPAGATION_DEPTH:
                self.prose[id(node)] = self.prose.get(id(node), 0) + length
                node, depth = node.parent, depth + 1

    def prose_of(self, tag: Tag) -> int:
        return self.prose.get(id(tag), 0)

    def densest(self) -> Tag | None:
        """The element whose own paragraphs hold the most prose (grandparents count half)."""
        scores: dict[int, float] = {}
        tags: dict[int, Tag] = {}
        for block, length in self.units.values():
            if length < rules.MIN_PARAGRAPH_CHARS:
                continue
            weight_length = length / 2 if block.name == "li" else length  # lists are as often menus
            # Text directly in a <div> or <td> is the paragraph itself: credit the block too.
            node = block if block.name not in ("p", "li", "pre", "blockquote", "dd") else block.parent
            for weight in (1.0, 0.5):
                if not isinstance(node, Tag) or node.name in ("html", "[document]"):
                    break
                scores[id(node)] = scores.get(id(node), 0.0) + weight * weight_length
                tags[id(node)] = node
                node = node.parent
        if not scores:
            return None
        return tags[max(scores, key=scores.__getitem__)]


def find_content(soup: BeautifulSoup) -> Tag:
    """Return the element that holds the article."""
    body = soup.find("body")
    root = body if isinstance(body, Tag) else soup
    text_map = TextMap(root)
    densest = text_map.densest()
    if densest is None:
        return root
    elements = tags(soup)
    for selector in rules.CONTENT_SELECTORS:
        candidates = [tag for tag in select(soup, selector, elements) if text_map.prose_of(tag) >= rules.MIN_CONTENT_CHARS]
        if not candidates:
            continue
        best = max(candidates, key=text_map.prose_of)
        # A <main> or <article> that misses the page's densest text (a teaser card,
        # a widget) is not the article.
        if best is densest or densest in best.parents or text_map.prose_of(best) >= text_map.prose_of(densest):
            return best
    return with_siblings(widen(densest, text_map), text_map)


def widen(block: Tag, text_map: TextMap) -> Tag:
    """Climb from the densest block to an ancestor that holds clearly more prose: an
    article split into several panels (symptoms, causes, …) is one article. Each step up
    must add at least WIDEN_SHARE of what was chosen so far; smaller gains (a caption, a
    stray line of furniture) are passed over without being taken in."""
    chosen, node = block, block.parent
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        if text_map.prose_of(node) >= (1 + rules.WIDEN_SHARE) * text_map.prose_of(chosen):
            chosen = node
        node = node.parent
    return chosen


def _link_density(tag: Tag) -> float:
    text = len(" ".join(tag.get_text(" ").split()))
    links = sum(len(" ".join(a.get_text(" ").split())) for a in tags(tag, ("a",)) if a.has_attr("href"))
    return links / text if text else 1.0


def _belongs_with(sibling: Tag, block: Tag, text_map: TextMap) -> bool:
    """A sibling of the article's block that reads as part of it: a stand-first under the
    title, a "Sources:" paragraph, a second column of prose."""
    if sibling.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return True
    if text_map.prose_of(sibling) >= rules.SIBLING_SHARE * text_map.prose_of(block):
        return True
    text = " ".join(sibling.get_text(" ").split())
    return len(text) >= rules.SIBLING_MIN_CHARS and _link_density(sibling) < rules.SIBLING_MAX_LINK_DENSITY


def with_siblings(block: Tag, text_map: TextMap) -> Tag:
    """Take in the block's siblings that belong with it; when any do, the parent becomes the
    container and the siblings that do not belong are removed from it."""
    parent = block.parent
    if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
        return block
    siblings = [child for child in parent.children if isinstance(child, Tag) and child is not block]
    keep = [s for s in siblings if _belongs_with(s, block, text_map)]
    if not any(s.name not in ("h1", "h2", "h3", "h4", "h5", "h6") for s in keep):
        return block
    for sibling in siblings:
        if sibling not in keep:
            sibling.decompose()
    return parent


def prose_length(tag: Tag) -> int:
    """Prose (text outside links, in blocks of paragraph size) inside one element."""
    return TextMap(tag).prose_of(tag)
