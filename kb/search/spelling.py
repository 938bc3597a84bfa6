"""Typo correction from the index's own vocabulary ("hemifacal spazm" → "hemifacial spasm").

Only words the index has never seen, in any form, are corrected, and only into words it has: the
closest by edit distance (one edit for words up to six letters, two beyond), the most
frequent among equals. Short words, and words that look like medicine names, are left
alone: "celexa" must never quietly become "celebrex".
"""

from __future__ import annotations

import re

from kb.corpus_config.synonyms import Synonyms
from kb.index.schema import terms_of

MIN_WORD = 4
MAX_CORRECTED = 3  # unknown words looked up per query: each lookup walks the vocabulary
# Endings of drug names (generic and brand): one letter apart is another medicine.
DRUG_LIKE = re.compile(r"(mab|nib|pril|sartan|olol|statin|azole|cillin|mycin|cycline|vir|prazole|tidine|pam|lam|"
                       r"pine|zide|xa|xr|ex|ix|ax|ol)$")
_WORD = re.compile(r"[^\W\d_]+")


def _distance_limit(word: str) -> int:
    return 1 if len(word) <= 6 else 2


def _prefix(word: str) -> int:
    # Typos rarely touch the first letters; requiring them keeps the vocabulary walk short.
    return 1 if len(word) <= 5 else 2


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _unknown(word: str, reader, known: frozenset[str]) -> bool:
    """A word worth correcting: long enough, not the synonym file's, not drug-shaped, not in the
    index — neither as written nor in another form of it ("paining", "dents", "struggling" are
    searched as pain, dent, struggl; corrected they became painting, denys, strangling)."""
    if len(word) < MIN_WORD or word in known or DRUG_LIKE.search(word) or reader.doc_frequency("spell", word):
        return False
    stems = terms_of(word)
    return not (stems and reader.doc_frequency("body", stems[0]))


def misspelt(text: str, reader, synonyms: Synonyms, fold) -> bool:
    """Does ``text`` hold a word ``correct`` would look up? (Cheap: no vocabulary walk.)"""
    known = synonyms.known_words()
    return any(_unknown(fold(match.group(0).lower()), reader, known) for match in _WORD.finditer(text))


def correct(text: str, reader, synonyms: Synonyms, fold) -> str | None:
    """Return the query with unknown words replaced by their best correction, or None."""
    known_terms = synonyms.known_words()
    changed = False
    looked_up = 0
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        word = fold(match.group(0).lower())
        pieces.append(text[last:match.start()])
        last = match.end()
        replacement = match.group(0)
        if looked_up < MAX_CORRECTED and _unknown(word, reader, known_terms):
            looked_up += 1
            candidates = [c.decode("utf-8") if isinstance(c, bytes) else c
                          for c in reader.terms_within("spell", word, _distance_limit(word), prefix=_prefix(word))]
            if candidates:
                best = min(candidates, key=lambda c: (_edit_distance(word, c), -reader.doc_frequency("spell", c), c))
                replacement, changed = best, True
        pieces.append(replacement)
    pieces.append(text[last:])
    return "".join(pieces) if changed else None
