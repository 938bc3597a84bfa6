"""Typo correction from the index's own vocabulary ("hemifacal spazm" → "hemifacial spasm").

Only words the index has never seen, in any form, and that are not English words (a reader's
"woozy" is not a typo of "woody"), are corrected, and only into words it has: the
closest by edit distance (one edit for words up to six letters, two beyond; two letters swapped
count as one edit, the commonest slip of the fingers), among equals one made of the very letters
typed ("rahs" is rash, not rays), then the most frequent. Short words, and words that look like medicine names, are left
alone: "celexa" must never quietly become "celebrex".
"""

from __future__ import annotations

import re
import threading

from kb.corpus_config.english import is_english
from kb.corpus_config.synonyms import Synonyms
from kb.index.schema import terms_of
from kb.index.whoosh_internals import words_within

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
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions and swaps of two neighbours."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


def _swapped(word: str, reader) -> list[str]:
    """The index's words that are ``word`` with two neighbouring letters swapped ("rahs" → "rash"):
    Whoosh's Levenshtein automaton counts a swap as two edits, too many for a short word."""
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1]}
    return sorted(w for w in swaps if reader.doc_frequency("spell", w))


def _unknown(word: str, reader, known: frozenset[str]) -> bool:
    """A word worth correcting: long enough, not the synonym file's, not drug-shaped, not in the
    index — neither as written nor in another form of it ("paining", "dents", "struggling" are
    searched as pain, dent, struggl; corrected they became painting, denys, strangling) — and not
    an English word the corpus does not use ("woozy" became woody, "scurrying" scarring) unless
    the corpus spells it the American way ("haemorrhoids")."""
    if len(word) < MIN_WORD or word in known or DRUG_LIKE.search(word) or reader.doc_frequency("spell", word):
        return False
    stems = terms_of(word)
    if stems and reader.doc_frequency("body", stems[0]):
        return False
    return not is_english(word) or _american(word, reader) is not None


# British spellings and their American forms: the corpus may use either. The Greek "ae" and "oe"
# only where medicine keeps them ("haem", "oesoph", "rrhoea"; not "poet", "boeing").
_BRITISH = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"haem", "hem"), (r"aemi", "emi"), (r"anaes", "anes"), (r"paed", "ped"), (r"gynaec", "gynec"),
    (r"^aetio", "etio"), (r"caec", "cec"), (r"^oe(?=[dsn])", "e"), (r"foet", "fet"), (r"coel", "cel"),
    (r"(?<=[hn])oea\b", "ea"), (r"amoeb", "ameb"), (r"manoeuv", "maneuv"), (r"faec", "fec"),
    (r"(?<=\w\w)our(?=s?\b|al\b|ed\b|ing\b|ite\b)", "or"),
    (r"(?<=[^aeiou])is(e|ed|es|ing|ation)\b", r"iz\1"), (r"ys(e|ed|es|ing)\b", r"yz\1"),
    (r"(?<=[^aeiou])tre(?=s?\b)", "ter"), (r"ogue\b", "og")))


def _american(word: str, reader) -> str | None:
    """The American spelling of a British word, when the index has it ("oesophagus" → "esophagus")."""
    spelt = word
    for pattern, replacement in _BRITISH:
        spelt = pattern.sub(replacement, spelt)
    return spelt if spelt != word and reader.doc_frequency("spell", spelt) else None


_VOCABULARIES: dict[tuple[str, ...], list[str]] = {}
_VOCABULARIES_KEPT = 2   # the live generation and the one before it (a worker switching over)
_LOCK = threading.Lock()


def vocabulary(reader) -> list[str]:
    """The index's words as written, sorted; read once per generation and process (about 0.1 s and
    2 MB for MedQuAD's 27,000 words) and shared by every searcher of that generation."""
    key = tuple(sorted(leaf.segment().segment_id() for leaf, _offset in reader.leaf_readers()))
    with _LOCK:
        found = _VOCABULARIES.get(key)
        if found is None:
            found = sorted(term.decode("utf-8") if isinstance(term, bytes) else term
                           for term in reader.lexicon("spell"))
            while len(_VOCABULARIES) >= _VOCABULARIES_KEPT:
                _VOCABULARIES.pop(next(iter(_VOCABULARIES)))
            _VOCABULARIES[key] = found
        return found


def within(reader, word: str, distance: int, prefix: int) -> list[str]:
    """The index's words at most ``distance`` edits from ``word`` that share its first ``prefix``
    letters (what ``reader.terms_within("spell", …)`` returns). Whoosh's Levenshtein automaton walks
    the vocabulary held in memory: on disk each of its steps is a seek and a read — 3 to 30 ms a
    word with the term table in the page cache, up to 200 ms without; here 0.2–2 ms."""
    return words_within(reader, "spell", vocabulary(reader), word, distance, prefix)


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
            american = _american(word, reader)
            candidates = [american] if american else \
                within(reader, word, _distance_limit(word), _prefix(word)) + _swapped(word, reader)
            if candidates:
                best = min(candidates, key=lambda c: (_edit_distance(word, c), sorted(c) != sorted(word),
                                                      -reader.doc_frequency("spell", c), c))
                replacement, changed = best, True
        pieces.append(replacement)
    pieces.append(text[last:])
    return "".join(pieces) if changed else None
