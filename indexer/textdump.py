"""Read a scraped plain-text dump: a ``Key: value`` header, then the page's text.

Format: an optional header of ``Key: value`` lines up to the first blank line (URL,
Title, Updated, Reviewed-By, Published, Author, Language); then the page's text as a
browser copies it: one paragraph a line, list items starting with a bullet ("- ",
"• ", "1. "), headings as question lines or short title-like lines that lead into
longer text. Without a header, the first short line is the title; bylines in the text
give the reviewer and dates.
"""

from __future__ import annotations

import re

from indexer import rules
from indexer.dates import parse_date
from indexer.metadata import PageFacts, read_byline
from indexer.sections import RawSection, normalize_space
from indexer.tails import article_end, is_placeholder, is_prose
from kb.model.kinds import classify_heading
from kb.model import Dropped

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z-]{0,30}):\s*(.*)$")
_DROP_LINES = [re.compile(p, re.I) for p in rules.TEXT_DROP_LINES]
# Keys a dump's header may start with; a first line with another key is the page's own text.
HEADER_KEYS = frozenset({"url", "title", "updated", "reviewed-by", "reviewed", "published", "author", "language",
                         "source", "date"})
MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 12
MAX_QUESTION_CHARS = 100


def _split_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    header: dict[str, str] = {}
    first = _HEADER_LINE.match(lines[0]) if lines else None
    if not first or first[1].lower() not in HEADER_KEYS:  # "Migraine: more than a headache" is a title
        return header, lines
    for number, line in enumerate(lines):
        if not line.strip():
            return header, lines[number + 1:]
        match = _HEADER_LINE.match(line)
        if not match:
            return header, lines[number:]
        header[match[1].lower()] = match[2].strip()
    return header, []


def _boilerplate_reason(line: str, title: str) -> str | None:
    lower = line.lower()
    if title and lower == title.lower():
        return "title"
    for pattern in _DROP_LINES:
        if pattern.search(line):
            return f"line:{pattern.pattern}"
    if len(line) <= rules.MAX_PHRASE_BLOCK_CHARS:
        for phrase in rules.DROP_PHRASES:
            if lower.startswith(phrase):
                return f"phrase:{phrase}"
    if len(line) <= rules.MAX_DISCLAIMER_CHARS:
        for phrase in rules.DISCLAIMER_PHRASES:
            if phrase in lower:
                return f"disclaimer:{phrase}"
    return None


_BULLET = re.compile(r"^(?:[-•*·▪◦]|\d{1,2}[.)])\s+")
_BYLINES = [re.compile(p, re.I) for p in rules.BYLINE_PATTERNS]
# "By Lena Okafor | Published 8 September 2023": a name in capitals after "By", then nothing or a separator.
_AUTHOR_LINE = re.compile(r"^[Bb]y\s+(?:Dr\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]+){1,3}\s*(?:$|[|·•,—–-])")


def _as_list_item(line: str) -> str | None:
    match = _BULLET.match(line)
    return "- " + line[match.end():] if match else None


def _is_heading(line: str, following: str | None) -> bool:
    """A question line, or a short title-like line followed by longer text or a list."""
    if _BULLET.match(line) or not any(c.isalpha() for c in line):
        return False
    if line.endswith("?") and len(line) <= MAX_QUESTION_CHARS and len(line.split()) >= 2:
        return True
    if len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS or line[-1] in ".,;:!":
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    return following is None or len(following) > len(line) or bool(_BULLET.match(following))


def _level(heading: str, sections: list[RawSection]) -> int:
    """Dumps lose heading levels: a heading that starts a new kind of section is a section
    (level 2); one that does not ("Creams and gels" under "Treatment") is a sub-section."""
    parent = next((s for s in reversed(sections) if s.level == 2), None)
    kind = classify_heading(heading)
    if parent is None or (kind != "other" and kind != classify_heading(parent.heading)):
        return 2
    return 3


def parse_text_dump(text: str, date_order: str = "MDY") -> tuple[PageFacts, list[RawSection], list[Dropped]]:
    """Return the dump's facts, its raw sections and the furniture lines dropped."""
    header, body = _split_header(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    facts = PageFacts(
        title=header.get("title", ""),
        url=header.get("url", ""),
        language=header.get("language", "").split("-")[0].lower(),
        authors=[header["author"]] if header.get("author") else [],
        reviewed_by=[header["reviewed-by"].split(",")[0].strip()] if header.get("reviewed-by") else [],
        published=parse_date(header.get("published"), date_order),
        updated=parse_date(header.get("updated"), date_order),
        reviewed=parse_date(header.get("reviewed"), date_order),
    )
    dropped: list[Dropped] = []
    kept: list[str] = []
    lines = [line for raw_line in body if (line := normalize_space(raw_line))]
    end = article_end(lines)
    if end is not None:  # what the page showed after the article: never its text, never its facts
        dropped += [Dropped(reason="tail:end-of-article" if n == end else "tail:after-end", text=line[:120])
                    for n, line in enumerate(lines[end:], end)]
        lines = lines[:end]
    before_prose = True  # a "By …" line counts as the byline only next to the title, before the text
    for line in lines:
        if is_placeholder(line):
            dropped.append(Dropped(reason="placeholder", text=line[:120]))
            continue
        if before_prose and len(line) <= rules.MAX_BYLINE_CHARS and _AUTHOR_LINE.search(line):
            read_byline(facts, line, date_order)
            dropped.append(Dropped(reason="byline", text=line[:120]))
            continue
        before_prose = before_prose and not is_prose(line)
        if len(line) <= rules.MAX_BYLINE_CHARS and any(p.search(line) for p in _BYLINES):
            read_byline(facts, line, date_order)
            dropped.append(Dropped(reason="byline", text=line[:120]))
            continue
        reason = _boilerplate_reason(line, facts.title)
        if reason == "title":
            continue
        if reason:
            dropped.append(Dropped(reason=reason, text=line[:120]))
            continue
        kept.append(line)
    if not facts.title and kept and len(kept[0]) <= MAX_HEADING_CHARS and kept[0][-1] not in ".,;:!":
        facts.title = kept.pop(0)  # a copied page starts with its title
    sections = [RawSection(heading="", level=0)]
    for number, line in enumerate(kept):
        following = kept[number + 1] if number + 1 < len(kept) else None
        if _is_heading(line, following) and line.lower() != facts.title.lower():
            sections.append(RawSection(heading=line, level=_level(line, sections)))
        else:
            sections[-1].blocks.append(_as_list_item(line) or line)
    return facts, sections, dropped
