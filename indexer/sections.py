"""Split an article into sections by its headings, and give each an anchor and a kind.

Both HTML pages and text dumps end up as a list of ``RawSection`` (heading,
level, text blocks); ``finish_sections`` then applies the rules they share:
text before the first heading becomes the overview, empty sections go,
anchors are unique slugs, and a sub-section keeps its parent's kind unless its own
heading names one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bs4 import NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from indexer.walk import tags
from kb.model.kinds import classify_heading
from kb.model import Section

LEAD_HEADING = "Overview"
MAX_PSEUDO_HEADING_CHARS = 80
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIP_STRINGS = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_BOLD = {"b", "strong"}
_INLINE = {"a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "dfn", "em", "font", "i",
           "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var",
           "nobr", "wbr", "ins", "del", "label"}
_CELL_BLOCKS = ["p", "div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "br"]
# Class names that announce a heading on sites that style paragraphs instead of using <h2>.
_HEADING_CLASS = re.compile(r"(^|[-_])(heading|subhead|subheading|sectionhead|sectiontitle|subtitle|title|head|hdr)([-_0-9]|$)")
MAX_QUESTION_HEADING_CHARS = 100


@dataclass
class RawSection:
    """A heading and the blocks of text under it, before anchors and kinds are assigned."""

    heading: str
    level: int
    blocks: list[str] = field(default_factory=list)


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def slugify(text: str, fallback: str = "section") -> str:
    """Return a lower-case ASCII slug ("Signs & symptoms" → "signs-symptoms")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def looks_like_heading(text: str) -> bool:
    """Short, has letters, and does not end like a sentence (a question mark is fine)."""
    return (0 < len(text) <= MAX_PSEUDO_HEADING_CHARS and text[-1] not in ".,;:!" and
            any(c.isalpha() for c in text))


def is_question_heading(text: str) -> bool:
    """A short line of its own ending in "?" ("How is swine flu spread?") is a heading."""
    return text.endswith("?") and len(text) <= MAX_QUESTION_HEADING_CHARS and len(text.split()) >= 2


def heading_classes(content: Tag) -> set[str]:
    """Classes a page uses for its headings, learnt from the page itself: every element of
    the class is a short line, it occurs at least twice, and prose follows most of them."""
    stats: dict[str, list[tuple[bool, bool]]] = {}
    for tag in tags(content, ("p", "div", "span", "font", "td")):
        classes = tag.get("class") or []
        if not classes:
            continue
        text = normalize_space(tag.get_text())
        follower = tag.find_next_sibling()
        followed_by_prose = follower is not None and len(normalize_space(follower.get_text())) >= 60
        for cls in classes:
            stats.setdefault(cls, []).append((bool(text) and looks_like_heading(text), followed_by_prose))
    found = {cls for cls, flags in stats.items()
             if len(flags) >= 2 and all(short for short, _ in flags)
             and sum(prose for _, prose in flags) >= max(2, round(2 / 3 * len(flags)))}
    found |= {cls for cls in stats if _HEADING_CLASS.search(cls.lower())}
    return found


def _is_data_row(row: Tag) -> bool:
    cells = row.find_all(["td", "th"], recursive=False)
    return len(cells) >= 2 and not any(cell.find(_CELL_BLOCKS) for cell in cells)


class _Walker:
    """Walks a cleaned container in document order, collecting sections line by line.

    A line ends at a block boundary or a <br>. A line that is all bold, or that stands
    alone as a short question, or whose element has a heading class, becomes a heading.
    """

    def __init__(self, title: str, classes: set[str]):
        self.title = normalize_space(title).lower()
        self.classes = classes
        self.sections: list[RawSection] = [RawSection(heading="", level=0)]  # the lead, before any heading
        self.pieces: list[tuple[str, bool]] = []
        self.list_item = False
        self.last_real_level = 1

    def heading(self, text: str, level: int) -> None:
        self.sections.append(RawSection(heading=text, level=level))

    def flush(self) -> None:
        pieces, self.pieces = self.pieces, []
        list_item, self.list_item = self.list_item, False
        text = normalize_space("".join(piece for piece, _bold in pieces))
        if not text:
            self.list_item = list_item  # an empty line before a list item's text keeps the bullet
            return
        if not list_item:
            all_bold = all(bold for piece, bold in pieces if piece.strip())
            if (all_bold and looks_like_heading(text)) or is_question_heading(text):
                self.heading(text, self.last_real_level + 1)
                return
        self.sections[-1].blocks.append("- " + text if list_item else text)

    def walk(self, root: Tag) -> None:
        # An explicit stack instead of recursion: scraped pages can nest thousands deep.
        stack: list[tuple[Tag, int, bool, bool]] = [(root, 0, False, True)]
        while stack:
            node, index, bold, block = stack.pop()
            children = node.contents
            if index >= len(children):
                if block:
                    self.flush()
                continue
            stack.append((node, index + 1, bold, block))
            child = children[index]
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIP_STRINGS):
                    self.pieces.append((str(child), bold))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _HEADING_TAGS:
                self.flush()
                text = normalize_space(child.get_text(" "))
                if text and text.lower() != self.title:  # the title is shown apart, not as a section
                    self.last_real_level = _HEADING_TAGS[name]
                    self.heading(text, _HEADING_TAGS[name])
                continue
            if name == "br":
                self.flush()
                continue
            if name == "li":
                self.flush()
                self.list_item = True
                stack.append((child, 0, bold, True))
                continue
            if name == "tr" and _is_data_row(child):
                self.flush()
                cells = [normalize_space(cell.get_text(" ")) for cell in child.find_all(["td", "th"], recursive=False)]
                line = " | ".join(cell for cell in cells if cell)
                if line:
                    self.sections[-1].blocks.append(line)
                continue
            if name in _INLINE:
                if name != "span" or not self.classes.intersection(child.get("class") or []):
                    stack.append((child, 0, bold or name in _BOLD, False))
                    continue
            self.flush()
            if self.classes.intersection(child.get("class") or []):
                text = normalize_space(child.get_text(" "))
                if looks_like_heading(text):
                    if text.lower() != self.title:  # a page builder's heading block holding the <h1>
                        self.heading(text, self.last_real_level + 1)
                    continue
            stack.append((child, 0, bold, True))


def sections_from_html(content: Tag, title: str) -> list[RawSection]:
    """Collect the sections of a cleaned HTML container."""
    walker = _Walker(title, heading_classes(content))
    walker.walk(content)
    walker.flush()
    return walker.sections


def prune_empty(items: list, has_text) -> list:
    """Drop headings with no text of their own unless a kept sub-section follows them."""
    kept_reversed: list = []
    for item in reversed(items):
        nearest_deeper = bool(kept_reversed) and kept_reversed[-1].level > item.level
        if has_text(item) or nearest_deeper:
            kept_reversed.append(item)
    return kept_reversed[::-1]


def finish_sections(raw: list[RawSection]) -> list[Section]:
    """Turn raw sections into indexed ones: lead → overview, anchors, kinds, no empty leaves."""
    raw = [s for s in raw if s.heading or s.blocks]
    lead: RawSection | None = None
    if raw and not raw[0].heading:
        lead = raw.pop(0)
        if raw and classify_heading(raw[0].heading) == "overview":
            raw[0].blocks[:0] = lead.blocks
            lead = None
        else:
            top = min((s.level for s in raw), default=2)
            lead = RawSection(heading=LEAD_HEADING, level=top, blocks=lead.blocks)
            raw.insert(0, lead)
    kept = prune_empty(raw, lambda item: bool(item.blocks))
    top_level = min((s.level for s in kept if s is not lead), default=2)

    sections: list[Section] = []
    used: set[str] = set()
    parents: list[Section] = []
    number = 0
    for item in kept:
        if item is not lead and item.level <= top_level:
            number += 1  # sub-sections share their parent's number; the lead keeps 0
        while parents and parents[-1].level >= item.level:
            parents.pop()
        kind = classify_heading(item.heading)
        if kind == "other" and parents:
            kind = parents[-1].kind  # "Antihistamines" under "Treatment" is treatment
        base = slugify(item.heading)
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        section = Section(heading=item.heading, level=item.level, kind=kind, anchor=anchor,
                          text="\n".join(item.blocks), number=0 if item is lead else number)
        sections.append(section)
        parents.append(section)
    return sections
