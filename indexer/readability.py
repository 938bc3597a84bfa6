"""A section's reading grade: the Flesch–Kincaid grade level, written here rather than taken
from ``textstat`` (which brings nltk and its data along and costs about ten times more per
section; the README has the figures).

    grade = 0.39 × words per sentence + 11.8 × syllables per word − 15.59

Syllables are estimated from groups of vowels, with the common silent endings taken off
("make", "loved", "takes"); a word of English read aloud rarely differs by more than one.
Sentences end at ``.``, ``!`` or ``?`` before a capital, and at each line: a section's text keeps
one paragraph or list item a line, and a list item is read as a sentence of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

MIN_WORDS = 40      # fewer words, or fewer sentences, and the formula says more about chance
MIN_SENTENCES = 3   # than about the text: such sections get no grade at all

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # letters, with inner apostrophes ("don't")
# A sentence ends at . ! or ? (closing quotes and brackets allowed) before a capital, a digit
# or the end of the line: "e.g. a rash" and "3.5 mg" do not end one.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)")
_VOWELS = re.compile(r"[aeiouy]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=100_000)
def syllables(word: str) -> int:
    """Estimated syllables of one word (at least one)."""
    word = word.lower().replace("’", "'")
    count = len(_VOWELS.findall(word))
    if count > 1:
        if word.endswith("e") and not word.endswith(("le", "ee", "ye", "ie")):
            count -= 1  # silent e: "make", "lice"; but "table", "knee"
        elif word.endswith("ed") and word[-3:-2] not in ("t", "d"):
            count -= 1  # "loved", "swelled"; but "needed", "rested"
        elif word.endswith("es") and not word.endswith(("ses", "zes", "ces", "ges", "ches", "shes", "xes")):
            count -= 1  # "takes", "bones"; but "doses", "rashes"
    return max(1, count)


def sentence_count(text: str) -> int:
    """Sentences in a section's text: the sentence ends of each line, and a line's last words
    without a full stop (a list item, a heading-like line) as one more."""
    count = 0
    for line in text.splitlines():
        parts = _SENTENCE_END.split(line)
        count += sum(1 for part in parts if _HAS_LETTER.search(part))
    return count


def reading_grade(text: str) -> float | None:
    """The text's Flesch–Kincaid grade (school years of reading it asks for, from 0), rounded to
    one decimal; None when it is too short to judge."""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return None
    sentences = sentence_count(text)
    if sentences < MIN_SENTENCES:
        return None
    per_word = sum(map(syllables, words)) / len(words)
    grade = 0.39 * len(words) / sentences + 11.8 * per_word - 15.59
    return round(max(0.0, grade), 1)
