"""Other names of an article's subject, from its own text: "also called …", "also known as …".

They are indexed with the title, so a reader who knows the condition by another name
finds every section of the article. Only sentences that name the subject (most of the
title's words) count: "these cells are also called blasts" is not an alias of the disease.
"""

from __future__ import annotations

import re

from kb.model import Section

MAX_ALIASES = 6
MAX_ALIAS_WORDS = 8
SECTIONS_SEARCHED = 2  # the overview and the one after it
_ALIAS = re.compile(
    r"\b(?:also|sometimes|commonly|often|previously|formerly)\s+(?:known as|called|referred to as|named)\s+"
    r"([^.;:()\[\]\"“”]{2,120}?)(?=\s*(?:[.;:()\[\]\"“”]|,\s|\s(?:is|are|was|which|that|when|because|in|by)\b|$))",
    re.I,
)
_SPLIT = re.compile(r",\s*|\s+or\b|\s+and\b")
_LEADING = re.compile(r"^(?:the|a|an|simply)\s+", re.I)
_WORD = re.compile(r"\w+")
# In an overview, "It is also called …" speaks of the subject.
_PRONOUN = re.compile(r"^\s*(it|this (condition|disease|disorder|illness|problem|syndrome)|the (condition|disease|disorder))\b", re.I)
_SMALL_WORDS = {"the", "a", "an", "of", "and", "or", "in", "on", "for", "with", "to", "is", "are"}


def _title_words(title: str) -> set[str]:
    return {w for w in _WORD.findall(title.lower()) if w not in _SMALL_WORDS}


def find_aliases(title: str, sections: list[Section]) -> list[str]:
    """Return up to MAX_ALIASES other names for the article's subject."""
    wanted = _title_words(title)
    if not wanted:
        return []
    found: list[str] = []
    text = "\n".join(section.text for section in sections[:SECTIONS_SEARCHED])
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        for match in _ALIAS.finditer(sentence):
            before = set(_WORD.findall(sentence[: match.start()].lower()))
            names_subject = len(wanted & before) >= max(1, round(0.6 * len(wanted)))
            if not names_subject and not _PRONOUN.match(sentence):
                continue
            for candidate in _SPLIT.split(match.group(1)):
                candidate = _LEADING.sub("", candidate.strip(" \"'“”‘’"))
                words = candidate.split()
                meaningful = [w for w in words if len(w) >= 3 and w.lower() not in _SMALL_WORDS]
                if meaningful and len(words) <= MAX_ALIAS_WORDS and candidate.lower() not in (a.lower() for a in found) \
                        and candidate.lower() != title.lower():
                    found.append(candidate)
            if len(found) >= MAX_ALIASES:
                return found[:MAX_ALIASES]
    return found
