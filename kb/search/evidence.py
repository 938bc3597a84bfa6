"""Does a passage show the reader's sign, or only hold one of its words?

Ranking reads term counts (the index keeps no positions), so "anyone with hay fever" holds the
word *fever*. Before a ✓ is shown beside a condition, the passage behind it is read in order: a
word of the reader's sign found there only inside the name of another condition ("hay fever",
"yellow fever" for a fever) does not count — unless the HPO says that condition is a kind of the
sign (back pain is a pain, a dry cough is a cough), or the reader wrote the whole name. The names
are the corpus's own (titles and other names of its articles), so this holds on any corpus. And
the words of a sign with one name ("sore throat", "throat pain") count only near each other: a
rash "that may feel sore" and a "throat infection" further on are not a sore throat. Only the
sections of the conditions shown are read, each once per request. A sign the page denies ("it
does not cause a fever") is not shown there either: the page is read as a reader's story is
(``kb.search.describe.told``).
"""

from __future__ import annotations

import bisect
import functools
import math

import numpy as np

from kb.corpus_config.vocabulary import hpo_vocabulary, key
from kb.index.schema import terms_with_starts
from kb.search.conditions import COVERAGE_FLOOR, COVERED, SPANS_CACHE, ArticleTable, Searched
from kb.search.describe import Item, told
from kb.search.snippets import occurrences
from kb.search.ranking import GenerationStats


class Passages:
    """The understood signs, checked against the text of the sections shown (one request)."""

    def __init__(self, searcher, stats: GenerationStats, table: ArticleTable, items: list[Item],
                 concepts: list[Searched]):
        self._searcher = searcher
        self._reader = searcher.reader()
        self._stats = stats
        self._table = table
        self._names = table.phrases(self._reader)
        self._items = items
        self._bodies: dict[int, str] = {}
        self._said = [frozenset(item.words) for item in items]
        self._together: dict[int, dict[str, tuple[str, ...]]] = {}
        self._concepts = concepts
        self._words: dict[int, list[tuple[Searched, float]]] = {}
        self._expansions: dict[int, list[Searched]] = {}

    def first_showing(self, item: int, docs) -> int | None:
        """The first of ``docs`` (best first) whose text shows most of sign ``item``, or None.
        A section whose words' counts give it less than COVERED of the sign (``section_share``)
        cannot show it: its text is never read; at most MAX_READ sections are read (bounds the
        work on a long article)."""
        self._weigh(item)
        read = 0
        for docnum in map(int, docs):
            if self._counted(item, docnum) >= COVERED:
                if self.share(item, docnum) >= COVERED:
                    return docnum
                read += 1
                if read >= MAX_READ:
                    break
        return None

    def _weigh(self, item: int) -> None:
        """The sign's concepts, its words weighed as ``section_share`` weighs them (rare words count more)."""
        if item in self._words or item in self._expansions:
            return
        self._words[item], self._expansions[item] = [], []
        for concept in (c for c in self._concepts if c.item == item):
            if concept.expansion:
                self._expansions[item].append(concept)
                continue
            held = max((len(self._sections(words[0])) for words, _weight in concept.alternatives), default=0)
            self._words[item].append((concept, math.log(1 + self._stats.live_count / max(1, held))))
        self._together[item] = _named_together(self._items[item])

    def _sections(self, word: str) -> np.ndarray:
        return self._table.word_scores(self._reader, self._stats, word)[0]

    def _here(self, words: tuple[str, ...], docnum: int) -> bool:
        """Does the section hold all these words (its postings say so; its text is not read)?"""
        return all(_member(self._sections(word), docnum) for word in words)

    def _holds(self, concept: Searched, docnum: int) -> bool:
        return any(self._here(words, docnum) for words, _weight in concept.alternatives)

    def _counted(self, item: int, docnum: int) -> float:
        """The share of the sign the section's word counts give it, as ranking counted it."""
        if any(self._holds(concept, docnum) for concept in self._expansions[item]):
            return 1.0
        words = self._words[item]
        whole = sum(weight for _concept, weight in words)
        return sum(weight for concept, weight in words if self._holds(concept, docnum)) / whole if whole else 0.0

    def share(self, item: int, docnum: int) -> float:
        """The share of sign ``item`` one section's text shows (1.0 when it shows one of the
        sign's other names)."""
        said = self._said[item]
        self._weigh(item)
        for concept in self._expansions[item]:
            if any(self._shows(docnum, {words[0]}, [{word} for word in words[1:]], said)
                   for words, _weight in concept.alternatives if self._here(words, docnum)):
                return 1.0
        words = self._words[item]
        whole = sum(weight for _concept, weight in words)
        if not whole:
            return 0.0
        forms = {concept.label: {word for (word, *_rest), _weight in concept.alternatives
                                 if self._here((word,), docnum)} for concept, _w in words}
        shown = sum(weight for concept, weight in words
                    if self._shows(docnum, forms[concept.label],
                                   [forms[label] for label in self._together[item].get(concept.label, ())
                                    if label in forms],
                                   said))
        return shown / whole

    def _body(self, docnum: int) -> str:
        body = self._bodies.get(docnum)
        if body is None:
            body = self._bodies[docnum] = self._searcher.stored_fields(docnum).get("body", "")
        return body

    def _places(self, docnum: int, word: str) -> tuple[tuple[int, int], ...]:
        """Where a word stands in a section, kept per generation: the same pages answer many readers."""
        cache = self._table.spans
        found = cache.get((docnum, word))
        if found is None:
            found = tuple(occurrences(self._body(docnum), frozenset((word,))))
            if len(cache) >= SPANS_CACHE:
                cache.pop(next(iter(cache)))
            cache[(docnum, word)] = found
        return found

    def _shows(self, docnum: int, forms: set[str], partners: list[set[str]], said: frozenset[str]) -> bool:
        """Is one of ``forms`` in the text, not denied, outside another condition's name and with a
        word of each of ``partners`` near it? Only the sentences around its occurrences are read,
        the first that shows it ending the search."""
        if not forms or not all(partners):
            return False
        for begin, end in sorted(span for word in forms for span in self._places(docnum, word)):
            body = self._body(docnum)
            first, last = _sentence(body, begin, end)
            sentence = body[first:last]
            # The words around it are enough for names and partners (a window, not the sentence).
            left, right = max(first, begin - AROUND), min(last, end + AROUND)
            tokens, starts = _analysed(body[left:right])
            position = bisect.bisect_left(starts, begin - left)
            if position >= len(tokens) or tokens[position] not in forms:
                continue
            word = tokens[position]
            names = [name for name in self._names.get(word, ()) if not set(name) <= said and not kind_of(name, word)]
            if any(_inside(tokens, position, name, word) for name in names):
                continue
            near = tokens[max(0, position - NEAR + 1):position + NEAR]
            if all(any(token in group for token in near) for group in partners) \
                    and not _denied(sentence, begin - first):  # the dearest check last
                return True
        return False


_ENDS = ".!?\n"
NEAR = 10           # words: the words of one sign's name told near each other ("lymph nodes … become swollen")
MAX_READ = 3        # sections read per sign and condition
AROUND = 150        # characters read either side of a word for the names and words near it
MAX_SENTENCE = 200  # characters read either side of a word (a list without full stops is one "sentence")


def _sentence(body: str, begin: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around ``body[begin:end]``."""
    first = max(max(body.rfind(mark, 0, begin) for mark in _ENDS) + 1, begin - MAX_SENTENCE)
    ends = [found for found in (body.find(mark, end) for mark in _ENDS) if found >= 0]
    return first, min(min(ends) + 1 if ends else len(body), end + MAX_SENTENCE)


@functools.lru_cache(maxsize=4096)
def _analysed(text: str) -> tuple[list[str], list[int]]:
    """Analysed words and where each starts (the same passages are read for many readers)."""
    return terms_with_starts(text)


def _denied(sentence: str, offset: int) -> bool:
    """Does the sentence deny what stands at ``offset`` ("it does not cause a fever")?"""
    return any(start <= offset < end for start, end in _denials(sentence))


@functools.lru_cache(maxsize=4096)
def _denials(sentence: str) -> tuple[tuple[int, int], ...]:
    """Where a sentence denies something: read once, whichever of its words is asked about."""
    spans, cursor = [], 0
    for part, negated in told(sentence):
        found = sentence.find(part, cursor)
        if found < 0:
            continue
        if negated:
            spans.append((found, found + len(part)))
        cursor = found + len(part)
    return tuple(spans)


def _member(ids: np.ndarray, docnum: int) -> bool:
    at = int(np.searchsorted(ids, docnum))
    return at < len(ids) and int(ids[at]) == docnum


def _named_together(item: Item) -> dict[str, tuple[str, ...]]:
    """Each word of the item that is part of a sign name of two or more words ("sore throat"),
    with the other words of that name as the reader wrote them."""
    vocabulary = hpo_vocabulary()
    together: dict[str, tuple[str, ...]] = {}
    for match in vocabulary.match(item.words):  # not item.phenotypes: ranking drops those a synonym group explains
        keys = {key(w) for name in match.phenotype.names for w in vocabulary.analysed.get(name, ())}
        words = [w for w in dict.fromkeys(item.words[match.start:match.stop]) if key(w) in keys]
        if len(words) >= 2:
            for word in words:
                together[word] = tuple(dict.fromkeys(together.get(word, ()) + tuple(w for w in words if w != word)))
    return together


def _inside(tokens: list[str], position: int, name: tuple[str, ...], word: str) -> bool:
    """Is the word at ``position`` part of ``name`` written out there?"""
    for offset, part in enumerate(name):
        if part == word:
            start = position - offset
            if start >= 0 and tuple(tokens[start:start + len(name)]) == name:
                return True
    return False


@functools.lru_cache(maxsize=20_000)
def kind_of(name: tuple[str, ...], word: str) -> bool:
    """Does the name ``name`` tell the sign ``word``? It does when the word is no sign on its own
    ("throat"), when the name is a kind of the sign ("back pain" is a pain: HPO's is_a), and when
    the name is signs listed ("Nausea and Vomiting", "Dizziness and Vertigo": every word a sign).
    "Hay fever" (allergic rhinitis, and "hay" is no sign) does not tell a fever."""
    vocabulary = hpo_vocabulary()
    signs = vocabulary.named((word,))
    if not signs or all(vocabulary.named((other,)) for other in name):
        return True
    return any(vocabulary.is_a(kind, sign) for kind in vocabulary.named(name) for sign in signs)


RESCORED = 10  # conditions ordered again by what their passages show: the first page's, whatever is asked


def rescored(score: float, shown: int, held: int, total: int) -> float:
    """A condition's score with ranking's coverage factor (``COVERAGE_FLOOR`` + the rest × the share
    of signs held) taken again over the signs its passages show: a condition whose ✓ the text
    does not bear out moves down among those shown. Measured on /api/symptoms (dev narratives
    top-1 / top-3 0.289 / 0.407 → 0.295 / 0.420; held-out 0.358 / 0.567 → 0.358 / 0.583);
    the floor is ranking's own, not tuned here."""
    if not total:
        return score
    def factor(count: int) -> float:
        return COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * count / total
    return score * factor(shown) / factor(held)


def ordered(docs, evidence: np.ndarray) -> list[int]:
    """An article's sections, most evidence first, those with none left out."""
    return [int(d) for d in sorted(docs, key=lambda d: (-evidence[d], d)) if evidence[d] > 0]
