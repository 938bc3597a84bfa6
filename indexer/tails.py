"""Find where an article's own text ends on a scraped page.

Scraped copies keep what the page showed after the article: the leftover words of a rating
widget, a run of teaser cards for other articles (a title, a category, a date, a reading
time), unfilled template placeholders, the site's disclaimer. Each of these is easy to
recognise as a line; what makes them a *tail* is where they stand. Once the article has
ended (a rating prompt, a "you might also like" line, a run of teaser cards) nothing after
it is article text, unless the article clearly goes on (a heading followed by paragraphs).

The same rules serve text dumps (their lines) and HTML pages (the lines of their sections),
so both formats lose the same tails. The patterns live in ``indexer.rules``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import accumulate

from indexer import rules
from indexer.dates import parse_date
from indexer.sections import RawSection
from kb.model import Dropped
from kb.model.kinds import classify_heading

_END = [re.compile(pattern, re.I) for pattern in rules.END_OF_ARTICLE_LINES]
_CARD = [re.compile(pattern, re.I) for pattern in rules.TEASER_CARD_LINES]
_PLACEHOLDER = re.compile(rules.PLACEHOLDER_PATTERN)
_SENTENCE_END = re.compile(r"[.!?:;)\"'”’]$")
_DISCLAIMER = re.compile(rules.TAIL_DISCLAIMER_PATTERN, re.I)
_BULLET = re.compile(r"^(?:[-•*·▪◦]|\d{1,2}[.)])\s+")

LOOKAHEAD = 6  # a second teaser-card line within this many lines makes a run of cards


def is_placeholder(line: str) -> bool:
    """A line made of template placeholders the scraper caught unfilled ("{{ related.title }}")."""
    if not _PLACEHOLDER.search(line):
        return False
    rest = _PLACEHOLDER.sub(" ", line)
    return len(" ".join(rest.split())) <= rules.MAX_PLACEHOLDER_RESIDUE


def ends_article(line: str) -> bool:
    """A short line that closes an article: a rating prompt, a "read next" opener, a comments box."""
    return len(line) <= rules.MAX_END_LINE_CHARS and any(p.search(line) for p in _END)


def is_card_line(line: str) -> bool:
    """A line of a teaser card: a bare date, a reading time, a byline, a rating count."""
    if len(line) > rules.MAX_CARD_LINE_CHARS:
        return False
    if is_placeholder(line) or any(p.search(line) for p in _CARD):
        return True
    return len(line.split()) <= 5 and parse_date(line) is not None and _bare_date(line)


_DATE_WORDS = re.compile(r"[^\W\d_]+")
_CARD_DATE_WORDS = frozenset({"updated", "published", "posted", "on"} | set(rules.MONTH_NAMES))


def _bare_date(line: str) -> bool:
    """A date alone or with a card's verb ("12 Oct 2024", "Updated June 2, 2025"), not a
    review line an article ends with ("Page last reviewed: 30/08/2014")."""
    return all(word.lower().rstrip(".") in _CARD_DATE_WORDS for word in _DATE_WORDS.findall(line))


def is_prose(line: str) -> bool:
    """A paragraph of running text: long, ending like a sentence, no card or placeholder."""
    return (len(line) >= rules.MIN_PROSE_LINE_CHARS and bool(_SENTENCE_END.search(line))
            and not _BULLET.match(line) and not is_placeholder(line) and not ends_article(line))


class _Lines:
    """A page's lines with what each one is, worked out once (the rules below ask again and
    again about the same lines)."""

    def __init__(self, lines: Sequence[str]):
        self.text = lines
        self.card = [is_card_line(line) for line in lines]
        self.prose = [is_prose(line) for line in lines]
        self.end = [ends_article(line) for line in lines]

    def continues(self, start: int) -> bool:
        """Whether the article goes on after ``start``: a paragraph that is neither the site's
        disclaimer nor a teaser's blurb (a blurb stands within two lines of a card's date or
        reading time)."""
        for n in range(start, len(self.text)):
            if not self.prose[n] or _DISCLAIMER.search(self.text[n]):
                continue
            if not any(self.card[k] for k in range(max(start, n - 2), min(len(self.text), n + 3)) if k != n):
                return True
        return False

    def card_run_start(self, n: int) -> int | None:
        """When line ``n`` starts a run of teaser cards, where the first card begins (its title
        line or two above the first card line); otherwise None."""
        if not self.card[n]:
            return None
        window = range(n + 1, min(len(self.text), n + 1 + LOOKAHEAD))
        later = next((k for k in window if self.card[k]), None)
        if later is None or any(self.prose[k] for k in range(n + 1, later)):
            return None
        start = n
        while start > 0 and n - start < 2:
            above = self.text[start - 1]
            if self.prose[start - 1] or _BULLET.match(above) or len(above) > rules.MAX_END_LINE_CHARS:
                break
            start -= 1
        return start


def article_end(lines: Sequence[str]) -> int | None:
    """The index of the first line of the page's tail, or None when the article runs to the end.

    A tail starts at a closing line or a run of teaser cards that has at least half of the
    page's running text before it and after which the article does not clearly go on.
    """
    page = _Lines(lines)
    weights = [len(line) if prose else 0 for line, prose in zip(lines, page.prose)]
    if not any(weights):  # a page of short lines and lists: weigh every line
        weights = [len(line) for line in lines]
    needed = rules.MIN_PROSE_BEFORE_TAIL * sum(weights)
    before = [0, *accumulate(weights)]  # running text before each line
    for n in range(len(lines)):
        start = n if page.end[n] else page.card_run_start(n)
        if start is not None and before[start] >= needed and not page.continues(n + 1):
            return start
    return None


def cut_tail(sections: list[RawSection]) -> list[Dropped]:
    """Remove the page's tail (and stray placeholder lines) from an HTML page's sections, in
    place; return what went. Headings count as lines: a teaser list often opens with one."""
    lines: list[tuple[int, int | None, str]] = []  # (section, block or None for its heading, text)
    for number, section in enumerate(sections):
        if section.heading:
            lines.append((number, None, section.heading))
        lines.extend((number, block, text.removeprefix("- ")) for block, text in enumerate(section.blocks))
    dropped: list[Dropped] = []
    end = article_end([text for _s, _b, text in lines])
    if end is not None:
        dropped += [Dropped(reason="tail:end-of-article" if n == end else "tail:after-end", text=text[:120])
                    for n, (_s, _b, text) in enumerate(lines[end:], end)]
        number, block, _text = lines[end]
        if block is None:
            del sections[number:]
        else:
            del sections[number].blocks[block:]
            del sections[number + 1:]
    for section in sections:
        kept = [text for text in section.blocks if not is_placeholder(text)]
        dropped += [Dropped(reason="placeholder", text=text[:120]) for text in section.blocks if is_placeholder(text)]
        section.blocks = kept
    return dropped
