"""The librarians' synonym file: groups of words a reader may use for the same thing.

One group a line, comma-separated (``botox, botulinum toxin``); ``#`` starts a comment.
At query time a reader's words that match a group member (longest match first, so
"high blood sugar" beats "blood") are searched together with the other members, at a
lower weight. The file is re-read when it changes, so a running server picks up edits.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass
from pathlib import Path

from kb.corpus_config.watched import WatchedFile
from kb.search.ranking import Alternative, Concept
from kb.index.schema import text_analyzer
from kb.corpus_config.lists import combined

SYNONYM_WEIGHT = 0.5   # a synonym counts half as much as the word the reader typed
MAX_ALSO_SEARCHED = 4  # other names shown per matched group ("Also searched: …")

_ANALYZER = text_analyzer()


def analyse(term: str) -> tuple[str, ...]:
    return tuple(token.text for token in _ANALYZER(term))


@dataclass(frozen=True)
class Group:
    """One line of the file: the members as written and as analysed."""

    terms: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]


class Synonyms:
    """Parsed groups with a lookup from a member's first word to the members starting with it."""

    def __init__(self, groups: list[Group]):
        self.groups = groups
        self._known: frozenset[str] | None = None
        self._by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for number, group in enumerate(groups):
            for words in group.words:
                if words:
                    self._by_first.setdefault(words[0], []).append((words, number))
        for members in self._by_first.values():
            members.sort(key=lambda item: -len(item[0]))  # longest match first

    @classmethod
    def parse(cls, text: str) -> "Synonyms":
        groups = []
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            terms = tuple(dict.fromkeys(t.strip().lower() for t in line.split(",") if t.strip()))
            words = tuple(dict.fromkeys(w for t in terms if (w := analyse(t))))
            if len(words) >= 2:
                groups.append(Group(terms=terms, words=words))
        return cls(groups)

    @functools.cached_property
    def _written(self) -> dict[tuple[str, ...], str]:
        written: dict[tuple[str, ...], str] = {}
        for group in self.groups:
            for term in group.terms:
                written.setdefault(analyse(term), term)
        return written

    def written_as(self, words: tuple[str, ...]) -> str:
        """A member as the file writes it ("botulinum toxin"), from its analysed words."""
        return self._written.get(tuple(words), " ".join(words))

    @functools.cached_property
    def joined_terms(self) -> tuple[str, ...]:
        """Members with "and" inside ("pins and needles"): never split into two symptoms."""
        return tuple(term for group in self.groups for term in group.terms if " and " in term)

    def known_words(self) -> frozenset[str]:
        """Every word written in the file: real vocabulary, never "corrected"."""
        if self._known is None:
            self._known = frozenset(w for group in self.groups for term in group.terms for w in term.split())
        return self._known

    def concepts(self, words: list[str]) -> tuple[list[Concept], list[str]]:
        """Turn the reader's analysed words into concepts, expanding group members.

        Returns the concepts and the other names searched, as written in the file.
        """
        concepts: list[Concept] = []
        also: list[str] = []
        position = 0
        while position < len(words):
            match = None
            for member, number in self._by_first.get(words[position], []):
                if tuple(words[position: position + len(member)]) == member:
                    match = (member, number)
                    break
            if match is None:
                concepts.append(Concept([Alternative((words[position],))]))
                position += 1
                continue
            member, number = match
            group = self.groups[number]
            alternatives = [Alternative(member)]
            shown = 0
            for term, other in zip(group.terms, group.words):
                if other != member and all(other != a.words for a in alternatives):
                    alternatives.append(Alternative(other, SYNONYM_WEIGHT))
                    if shown < MAX_ALSO_SEARCHED and term not in also:
                        also.append(term)
                        shown += 1
            concepts.append(Concept(alternatives))
            position += len(member)
        return concepts, also


EMPTY = Synonyms([])


def _with_builtin(text: str) -> Synonyms:
    return Synonyms.parse(combined("synonyms.txt", text))


class SynonymsFile(WatchedFile[Synonyms]):
    """The built-in synonym groups plus the corpus's file, re-read when the file changes."""

    def __init__(self, path: Path | None):
        super().__init__(path, _with_builtin, _with_builtin(""))
