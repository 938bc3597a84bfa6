"""Split an article into sections by its headings, and give each an anchor and a kind.

Both HTML pages and text dumps end up as a list of ``RawSection`` (heading,
level, text blocks); ``finish_sections`` then applies the rules they share:
text before the first heading becomes the overview, empty sections go,
anchors are unique slugs, and sub-sections inherit their parent's kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bs4 import NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from kb.kinds import classify_heading
from kb.models import Section

LEAD_HEADING = "Overview"
MAX_PSEUDO_HEADING_CHARS = 80
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements whose text is one block of prose.
_TEXT_BLOCKS = {"p", "pre", "dt", "dd", "figcaption", "caption", "address", "summary"}
# Elements that separate blocks but may hold other blocks: walk into them.
_CONTAINERS = {
    "div", "section", "article", "main", "body", "html", "ul", "ol", "dl", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "blockquote", "figure", "details", "center", "font", "span", "header",
    "hgroup", "fieldset", "li",
}
_SKIP_STRINGS = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_BOLD = {"b", "strong"}


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


def is_pseudo_heading(tag: Tag) -> bool:
    """A short paragraph that is nothing but bold text is a heading on old sites."""
    text = normalize_space(tag.get_text())
    if not text or len(text) > MAX_PSEUDO_HEADING_CHARS or text[-1] in ".,;:!" or not any(c.isalpha() for c in text):
        return False
    bold_text = normalize_space("".join(b.get_text() for b in tag.find_all(_BOLD) if not b.find_parent(_BOLD) or b.find_parent(_BOLD) is tag))
    return bold_text == text


class _Walker:
    """Walks a cleaned container in document order, collecting sections."""

    def __init__(self, title: str):
        self.title = normalize_space(title).lower()
        self.sections: list[RawSection] = [RawSection(heading="", level=0)]  # the lead, before any heading
        self.buffer: list[str] = []
        self.last_real_level = 1

    def flush(self) -> None:
        text = normalize_space("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.sections[-1].blocks.append(text)

    def heading(self, text: str, level: int) -> None:
        self.flush()
        self.sections.append(RawSection(heading=text, level=level))

    def walk(self, element: Tag) -> None:
        # An explicit stack instead of recursion: scraped pages can nest thousands deep.
        stack: list[tuple[Tag, int]] = [(element, 0)]
        while stack:
            parent, index = stack.pop()
            children = parent.contents
            while index < len(children):
                child = children[index]
                index += 1
                if isinstance(child, NavigableString):
                    if not isinstance(child, _SKIP_STRINGS):
                        self.buffer.append(str(child))
                    continue
                if not isinstance(child, Tag):
                    continue
                name = child.name
                if name in _HEADING_TAGS:
                    text = normalize_space(child.get_text(" "))
                    if not text:
                        continue
                    if name == "h1" and (text.lower() == self.title or len(self.sections) == 1):
                        self.flush()  # the page title, shown once as the article's title
                        continue
                    self.last_real_level = _HEADING_TAGS[name]
                    self.heading(text, _HEADING_TAGS[name])
                elif name in _TEXT_BLOCKS or (name == "p"):
                    self.flush()
                    if name == "p" and is_pseudo_heading(child):
                        self.heading(normalize_space(child.get_text()), self.last_real_level + 1)
                    else:
                        self.buffer.append(child.get_text())
                        self.flush()
                elif name == "li" and not child.find(["ul", "ol", "p", "div", "table"]):
                    self.flush()
                    text = normalize_space(child.get_text())
                    if text:
                        self.sections[-1].blocks.append("- " + text)
                elif name == "br":
                    self.flush()
                elif name in _CONTAINERS:
                    self.flush()
                    stack.append((parent, index))
                    stack.append((child, 0))
                    break
                else:
                    self.buffer.append(child.get_text())
            else:
                self.flush()


def sections_from_html(content: Tag, title: str) -> list[RawSection]:
    """Collect the sections of a cleaned HTML container."""
    walker = _Walker(title)
    walker.walk(content)
    walker.flush()
    return walker.sections


def finish_sections(raw: list[RawSection]) -> list[Section]:
    """Turn raw sections into indexed ones: lead → overview, anchors, kinds, no empty leaves."""
    raw = [s for s in raw if s.heading or s.blocks]
    if raw and not raw[0].heading:
        lead = raw.pop(0)
        if raw and classify_heading(raw[0].heading) == "overview":
            raw[0].blocks[:0] = lead.blocks
        else:
            top = min((s.level for s in raw), default=2)
            raw.insert(0, RawSection(heading=LEAD_HEADING, level=top, blocks=lead.blocks))
    # A heading with no text of its own is kept only when sub-sections follow it.
    kept = [s for i, s in enumerate(raw)
            if s.blocks or (i + 1 < len(raw) and raw[i + 1].level > s.level)]

    sections: list[Section] = []
    used: set[str] = set()
    parents: list[Section] = []
    for item in kept:
        while parents and parents[-1].level >= item.level:
            parents.pop()
        kind = classify_heading(item.heading)
        if parents and parents[-1].kind not in ("overview", "other"):
            kind = parents[-1].kind  # "Antihistamines" under "Treatment" is treatment
        base = slugify(item.heading)
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        section = Section(heading=item.heading, level=item.level, kind=kind, anchor=anchor,
                          text="\n".join(item.blocks))
        sections.append(section)
        parents.append(section)
    return sections
