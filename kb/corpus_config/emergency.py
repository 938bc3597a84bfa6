"""Red-flag symptoms: a librarian-edited list in the corpus (``emergency.txt``) of things a
reader must not search about but act on — chest pain, can't breathe, stroke signs, …

One red flag a line: ways of saying it separated by commas, the first being how the card
names it (``chest pain, pain in my chest, tight chest``); ``#`` starts a comment. A query
holds a red flag when one of its ways appears in the query word for word, after both are
lower-cased, stemmed and rid of filler words ("pain in my chest" = "pain in the chest").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kb.index.schema import fold
from kb.corpus_config.watched import WatchedFile
from kb.corpus_config.lists import combined

EMERGENCY_FILE = "emergency.txt"
ADVICE = ("If you or someone with you has {signs} now, call your local emergency number "
          "(for example 911 in the US and Canada, 112 in Europe, 999 in the UK) or go to the nearest "
          "emergency department. Do not wait for search results.")
_FILLERS = frozenset("a an the my me i im i've ive am is are have has having got get getting feel feeling "
                     "really very bit little some of".split())
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    from whoosh.lang.porter import stem

    return stem(word)


def words_of(text: str) -> tuple[str, ...]:
    """Lower-cased, accent-folded, stemmed words without fillers ("can't" → "can", "t")."""
    return tuple(_stem(w) for w in _WORD.findall(fold(text.lower()).replace("'", "").replace("’", ""))
                 if w not in _FILLERS)


@dataclass(frozen=True)
class RedFlag:
    label: str
    ways: tuple[tuple[str, ...], ...]


class EmergencyList:
    """The parsed list; ``match`` names the red flags a reader's text holds."""

    def __init__(self, flags: list[RedFlag]):
        self.flags = flags

    @classmethod
    def parse(cls, text: str) -> "EmergencyList":
        flags = []
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            terms = [t.strip() for t in line.split(",") if t.strip()]
            ways = tuple(w for t in terms if (w := words_of(t)))
            if terms and ways:
                flags.append(RedFlag(label=terms[0], ways=ways))
        return cls(flags)

    def match(self, text: str) -> list[str]:
        """The labels of the red flags found in ``text``, in list order."""
        words = words_of(text)
        found = []
        for flag in self.flags:
            if any(_contains(words, way) for way in flag.ways):
                found.append(flag.label)
        return found


def _contains(words: tuple[str, ...], way: tuple[str, ...]) -> bool:
    size = len(way)
    return any(words[i:i + size] == way for i in range(len(words) - size + 1))


NONE = EmergencyList([])


def _with_builtin(text: str) -> EmergencyList:
    return EmergencyList.parse(combined(EMERGENCY_FILE, text))


BUILT_IN = _with_builtin("")
"""The built-in red flags alone: what any corpus gets without a file of its own."""


class EmergencyFile(WatchedFile[EmergencyList]):
    """The built-in red flags plus the corpus's list, re-read when librarians change it."""

    def __init__(self, corpus: Path | None):
        super().__init__(corpus / EMERGENCY_FILE if corpus else None, _with_builtin, BUILT_IN)


def advice(labels: list[str]) -> str:
    """The card's text for the red flags found."""
    signs = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return ADVICE.format(signs=signs)
