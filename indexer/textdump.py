"""Read a scraped plain-text dump: a ``Key: value`` header, then the page's text.

Format: header lines until the first blank line (URL, Title, Updated, Reviewed-By,
Published, Author, Language); then one paragraph a line, list items starting
with "- ", and headings as short lines standing alone without a full stop.
"""

from __future__ import annotations

import re

from indexer import rules
from indexer.dates import parse_date
from indexer.metadata import PageFacts
from indexer.sections import RawSection, normalize_space
from kb.kinds import classify_heading
from kb.models import Dropped

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z-]{0,30}):\s*(.*)$")
_DROP_LINES = [re.compile(p, re.I) for p in rules.TEXT_DROP_LINES]
MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 12


def _split_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    header: dict[str, str] = {}
    if not lines or not _HEADER_LINE.match(lines[0]):
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


def _looks_like_heading(line: str, before: str, after: str | None) -> bool:
    return (
        not before.strip()
        and (after is None or not after.strip())
        and not line.startswith("- ")
        and len(line) <= MAX_HEADING_CHARS
        and len(line.split()) <= MAX_HEADING_WORDS
        and line[-1] not in ".,;:!"
        and any(c.isalpha() for c in line)
    )


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
    sections = [RawSection(heading="", level=0)]
    lines = [normalize_space(line) if not line.strip().startswith("- ") else "- " + normalize_space(line.strip()[2:])
             for line in body]
    if not facts.title:
        facts.title = next((line for line in lines if line), "")
    for number, line in enumerate(lines):
        if not line:
            continue
        reason = _boilerplate_reason(line, facts.title)
        if reason:
            if reason != "title":
                dropped.append(Dropped(reason=reason, text=line[:120]))
            continue
        before = lines[number - 1] if number else ""
        after = lines[number + 1] if number + 1 < len(lines) else None
        if _looks_like_heading(line, before, after):
            sections.append(RawSection(heading=line, level=_level(line, sections)))
        else:
            sections[-1].blocks.append(line)
    return facts, sections, dropped
