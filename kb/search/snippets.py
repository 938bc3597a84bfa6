"""Highlighted snippets: the one place where corpus text becomes HTML.

All corpus text is escaped; only our bare ``<mark>`` tags are added. Words are matched
exactly as the index analyses them (tokens, accents folded, stems), one cached lookup per
distinct word: Whoosh's highlighter ran the whole analyzer chain over every token of every
snippet, ~1.6 ms a snippet and most of a results page's time.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from typing import Iterator

from kb.index.schema import text_analyzer

SNIPPET_CHARS = 240  # at most this many characters per fragment
SURROUND = 60        # characters of context kept before the first and after the last marked word
FRAGMENTS = 2        # the best fragments shown, in reading order
_ANALYZER = text_analyzer()
_TOKEN = re.compile(r"[^\W_]+")
_ANALYSED: dict[str, str | None] = {}
_ANALYSED_MAX = 200_000  # distinct words remembered (~30 MB at most); then the memory starts over


def analysed(word: str) -> str | None:
    """The index term of one word as written (None for a stop word), cached."""
    term = _ANALYSED.get(word, "")
    if term == "":
        terms = [token.text for token in _ANALYZER(word)]
        term = terms[0] if terms else None
        if len(_ANALYSED) >= _ANALYSED_MAX:
            _ANALYSED.clear()
        _ANALYSED[word] = term
    return term


def marked_spans(text: str, words: frozenset[str] | set[str]) -> list[tuple[int, int]]:
    """Where in ``text`` the words whose index term is in ``words`` stand.

    Only words that begin as a searched term does are analysed: analysis lower-cases, folds
    accents and changes endings, and of the first two letters only a "y" (lying → lie), so no
    other word can match. The regular expression finds those few in C; analysing every word of a section in Python
    was a third of a description's time."""
    return list(occurrences(text, frozenset(words)))


def occurrences(text: str, words: frozenset[str]) -> Iterator[tuple[int, int]]:
    """``marked_spans`` one at a time, for a reader that stops at the first that will do."""
    if not words:
        return
    for match in _candidates(words).finditer(text):
        if analysed(match.group(0)) in words:
            yield match.span()


@functools.lru_cache(maxsize=256)
def _candidates(words: frozenset[str]) -> re.Pattern:
    """Words of a text (as ``_TOKEN`` splits it) that start with a term's first two letters, or that
    have a letter beyond ASCII among their first two (accents are folded by analysis)."""
    heads = {word[:2] for word in words}
    heads |= {head[0] + "y" for head in heads if head[1:] == "i"}  # the stemmer's lying → lie, dying → die
    heads = sorted(map(re.escape, heads), key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(heads) + r"|[^\W_]?[^\W_\x00-\x7f])[^\W_]*", re.IGNORECASE)


@dataclass
class _Fragment:
    start: int
    end: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)

    def score(self) -> int:
        # As Whoosh's BasicFragmentScorer: matches, times the number of different words matched.
        return len(self.spans) * (len(self.terms) * 100 or 1)


def _fragments(text: str, spans: list[tuple[int, int]]) -> list[_Fragment]:
    """Windows of at most SNIPPET_CHARS around runs of marked words, cut at spaces, never
    overlapping; every marked word inside a window is marked."""
    fragments: list[_Fragment] = []
    i = 0
    while i < len(spans):
        first = spans[i]
        start = max(fragments[-1].end if fragments else 0, first[0] - SURROUND)
        fragment = _Fragment(start, first[1])

        def take() -> None:
            nonlocal i
            fragment.spans.append(spans[i])
            fragment.terms.add(analysed(text[spans[i][0]:spans[i][1]]) or "")
            i += 1

        take()
        while i < len(spans) and spans[i][1] + SURROUND - start <= SNIPPET_CHARS:
            take()
        fragment.end = min(len(text), fragment.spans[-1][1] + SURROUND)
        while i < len(spans) and spans[i][1] <= fragment.end:  # in the trailing context: shown, so marked
            take()
        if fragment.start > 0:  # begin at a word
            cut = text.find(" ", fragment.start, first[0])
            fragment.start = cut + 1 if cut >= 0 else first[0]
        if fragment.end < len(text):  # end at a word
            cut = text.rfind(" ", fragment.spans[-1][1], fragment.end)
            fragment.end = cut if cut >= 0 else fragment.spans[-1][1]
        fragments.append(fragment)
    return fragments


def _render(text: str, fragment: _Fragment) -> str:
    out = ["… " if fragment.start > 0 else ""]
    last = fragment.start
    for begin, end in fragment.spans:
        out.append(html.escape(text[last:begin], quote=False))
        out.append("<mark>" + html.escape(text[begin:end], quote=False) + "</mark>")
        last = end
    out.append(html.escape(text[last:fragment.end], quote=False))
    out.append(" …" if fragment.end < len(text) else "")
    return "".join(out).strip()


def flatten(body: str) -> str:
    """One line of text for a snippet: list items become "• item" inline."""
    return " ".join("• " + line[2:] if line.startswith("- ") else line for line in body.splitlines())


def opening(text: str) -> str:
    """The section's opening words, escaped, for a hit whose body holds none of the words."""
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(text, quote=False)


def snippet(fields: dict, words: list[str]) -> str:
    """Safe HTML for one section: its best fragments (most different words marked, then most
    marks) in reading order, with the query's words marked."""
    body = flatten(fields.get("body", ""))
    if not body:
        return ""
    spans = marked_spans(body, frozenset(words))
    if not spans:
        return opening(body)
    best = sorted(_fragments(body, spans), key=lambda f: -f.score())[:FRAGMENTS]
    # Two fragments cut at the same gap would show "… …".
    return " ".join(_render(body, f) for f in sorted(best, key=lambda f: f.start)).replace("… …", "…")


def mark_words(text: str, words: frozenset[str] | set[str]) -> str:
    """Safe HTML for a whole line of corpus text: everything escaped, and each word whose
    analysed form is in ``words`` wrapped in ``<mark>`` (the article page, arriving from a search)."""
    if not words:
        return html.escape(text, quote=False)
    out: list[str] = []
    last = 0
    for begin, end in marked_spans(text, words):
        out.append(html.escape(text[last:begin], quote=False))
        out.append("<mark>" + html.escape(text[begin:end], quote=False) + "</mark>")
        last = end
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)
