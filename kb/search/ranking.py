"""Score sections for a query straight from the index's postings.

Whoosh's matcher trees cost 50–400 ms for a reader's eight-word OR query over 16,000
sections. Here each word's postings are read once per generation and process into a
cached array of BM25 scores, and a query adds those arrays up with numpy over every
section at once: a few milliseconds at 100,000 sections, and it gives what re-ranking needs
for free — which of the reader's concepts each section holds (coverage) and how many
sections matched (the total and the facets).

The index is still Whoosh's; only postings, field lengths and stored fields are read.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from kb.index import whoosh_internals

FIELD_BOOSTS = {"title": 3.0, "aliases": 2.5, "heading": 2.0, "body": 1.0}
K1, B = 1.2, 0.75
SCORE_CACHE_ENTRIES = 8_000_000  # (word, section) scores kept per generation and process (8 bytes each, 64 MB)
WARM_SHARE = 0.4                 # of that budget filled ahead of readers by ``GenerationStats.warm``
# Filters and facets, by the name an address uses (``level=easy``) → the index field holding them.
FACETS = {"kind": "kind", "source": "source", "level": "reading"}
_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Alternative:
    """One way of saying a concept: its analysed words (all must occur) and its weight."""

    words: tuple[str, ...]
    weight: float = 1.0


@dataclass
class Concept:
    """Something the reader asked about, with the words that can express it."""

    alternatives: list[Alternative]


def read_postings(reader, fieldname: str, word: str) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and term frequencies of one term, as arrays (deleted sections included)."""
    if not reader.is_atomic():  # several segments (an incremental update): read each, shift its numbers
        parts = [(ids + offset, weights) for sub, offset in reader.leaf_readers()
                 for ids, weights in [read_postings(sub, fieldname, word)] if len(ids)]
        if not parts:
            return _NO_IDS, _NO_WEIGHTS
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    if not reader.doc_frequency(fieldname, word):
        return _NO_IDS, _NO_WEIGHTS
    matcher = reader.postings(fieldname, word)
    blocks = whoosh_internals.block_postings(matcher)
    if blocks is None:  # another codec or Whoosh version: the slow public way
        pairs = list(matcher.items_as("weight"))
        return np.array([d for d, _ in pairs], dtype=np.int64), np.array([w for _, w in pairs], dtype=np.float64)
    deltas, weights, sizes, absolute = blocks
    if not sizes:
        return _NO_IDS, _NO_WEIGHTS
    ids = np.array(deltas, dtype=np.int64)
    if not absolute:  # each block's deltas start again from zero: cumulate within blocks
        ids = np.cumsum(ids)
        ends = np.cumsum(sizes)
        carried = np.concatenate(([0], ids[ends[:-1] - 1]))
        ids -= np.repeat(carried, sizes)
    return ids, np.array(weights, dtype=np.float64)


def _field_lengths(reader, fieldname: str, doc_count: int) -> np.ndarray:
    """Every section's length in one field, as Whoosh stores it (one byte each).

    Reading the lengths column whole costs ~20 ms at 100,000 sections; asking
    ``doc_field_length`` section by section costs ~1 s, once per generation and worker.
    """
    lengths = np.zeros(doc_count, dtype=np.float32)
    leaves = [(reader, 0)] if reader.is_atomic() else list(reader.leaf_readers())
    for sub, offset in leaves:
        count = sub.doc_count_all()
        column = whoosh_internals.field_lengths(sub, fieldname, count)
        if column is not None:
            lengths[offset:offset + count] = column
        else:  # another codec or Whoosh version: the public, slower way
            lengths[offset:offset + count] = [sub.doc_field_length(d, fieldname, 0) or 0 for d in range(count)]
    return lengths


class GenerationStats:
    """Per-generation numbers every query needs, as arrays indexed by document number:
    BM25's length normalisation per field, which sections are live, each section's kind
    and source; and a cache of each word's scores. Built once per generation and process."""

    def __init__(self, reader):
        self.doc_count = reader.doc_count_all()
        self.live = np.ones(self.doc_count, dtype=bool)
        if reader.has_deletions():
            self.live[[d for d in range(self.doc_count) if reader.is_deleted(d)]] = False
        # Statistics count live sections only, so an incrementally updated generation (which
        # still holds deleted ones) ranks exactly like a fresh build of the same corpus.
        self.live_count = int(self.live.sum())
        self.norms: dict[str, np.ndarray] = {}  # BM25's length normalisation, per field and section
        for name in FIELD_BOOSTS:
            if name in reader.schema:
                values = _field_lengths(reader, name, self.doc_count)
                live = values[self.live]
                average = float(live.sum()) / len(live) if len(live) and live.sum() else 1.0
                self.norms[name] = K1 * (1 - B + B * values.astype(np.float64) / average)
        # Facet fields as small integer codes per section (-1: none).
        self.codes: dict[str, np.ndarray] = {}
        self.labels: dict[str, list[str]] = {}
        for name, fieldname in FACETS.items():
            codes = np.full(self.doc_count, -1, dtype=np.int16)
            labels = []
            for value in reader.lexicon(fieldname) if fieldname in reader.schema else []:
                text = value.decode("utf-8") if isinstance(value, bytes) else value
                codes[read_postings(reader, fieldname, text)[0]] = len(labels)
                labels.append(text)
            self.codes[name], self.labels[name] = codes, labels
        self._scores: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached_entries = 0
        self._lock = threading.Lock()

    def clear_cache(self) -> None:
        """Forget every cached word score (benchmarks compare methods from the same cold start)."""
        with self._lock:
            self._scores.clear()
            self._cached_entries = 0

    def mask(self, name: str, value: str) -> np.ndarray:
        """Which sections have ``value`` in facet ``name`` (kind, source, level)."""
        labels = self.labels.get(name, [])
        if value not in labels:
            return np.zeros(self.doc_count, dtype=bool)
        return (self.codes[name] == labels.index(value)) & self.live

    def where(self, **filters: str | None) -> np.ndarray:
        """Live sections that pass every filter given a value (``kind=``, ``source=``, ``level=``)."""
        allowed = self.live.copy()
        for name, value in filters.items():
            if value:
                allowed &= self.mask(name, value)
        return allowed

    def counts(self, name: str, matched: np.ndarray) -> dict[str, int]:
        """How many of the ``matched`` sections have each value of facet field ``name``."""
        codes = self.codes[name][matched]
        counted = np.bincount(codes[codes >= 0], minlength=len(self.labels[name]))
        return {label: int(n) for label, n in zip(self.labels[name], counted) if n}

    def warm(self, reader, share: float = WARM_SHARE) -> int:
        """Score the words that cost most to read (those in the most sections) ahead of the
        readers who will ask for them, until ``share`` of the cache's budget is used; return
        how many. A worker does this once per generation, in the background, so a long
        question full of common words is fast from its first asking."""
        if "body" not in reader.schema:
            return 0
        frequent = sorted(((reader.doc_frequency("body", term), term) for term in reader.lexicon("body")),
                          reverse=True)
        warmed = 0
        for _count, term in frequent:
            if self._cached_entries >= share * SCORE_CACHE_ENTRIES:
                break
            self.word_scores(reader, term.decode("utf-8") if isinstance(term, bytes) else term)
            warmed += 1
        return warmed

    def word_scores(self, reader, word: str) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of one word in every live section that holds it: (sections, scores).
        Cached: common words cost most to read."""
        with self._lock:
            found = self._scores.get(word)
            if found is not None:
                self._scores.move_to_end(word)
                return found
        found = field_scores(self, reader, word)
        with self._lock:
            self._scores[word] = found
            self._cached_entries += len(found[0])
            while self._cached_entries > SCORE_CACHE_ENTRIES and len(self._scores) > 1:
                _word, dropped = self._scores.popitem(last=False)
                self._cached_entries -= len(dropped[0])
        return found


def field_scores(stats: GenerationStats, reader, word: str, boosts: dict[str, float] = FIELD_BOOSTS
                 ) -> tuple[np.ndarray, np.ndarray]:
    """BM25 of one word in every section that holds it, summed over the fields by their ``boosts``."""
    total = np.zeros(stats.doc_count, dtype=np.float64)
    n = stats.live_count
    for fieldname, boost in boosts.items():
        norms = stats.norms.get(fieldname)
        if norms is None or not boost:
            continue
        ids, tfs = read_postings(reader, fieldname, word)
        if not len(ids):
            continue
        found = int(stats.live[ids].sum())
        factor = math.log(1 + (n - found + 0.5) / (found + 0.5)) * (K1 + 1) * boost
        total[ids] += factor * tfs / (tfs + norms[ids])  # a field lists each section once
    total[~stats.live] = 0.0
    sections = np.flatnonzero(total)
    return sections.astype(np.int32), total[sections].astype(np.float32)


@dataclass
class Scored:
    """A query's scores for every section (0: no match), as arrays by document number."""

    scores: np.ndarray   # summed BM25 of each concept's best alternative
    held: np.ndarray     # how many of the concepts the section holds
    masks: np.ndarray    # which concepts it holds, as bits (the first MAX_MASK_BITS concepts)

    def matched(self) -> np.ndarray:
        return self.scores > 0


MAX_MASK_BITS = 62


def score_concepts(stats: GenerationStats, reader, concepts: list[Concept]) -> Scored:
    """Sum each concept's best alternative per section, and note which concepts it holds.

    The result is dense (arrays of the generation's size), but each concept only touches the
    sections that hold it: the work follows the words' postings, not the index's size.
    """
    size = stats.doc_count
    scores = np.zeros(size, dtype=np.float64)
    held = np.zeros(size, dtype=np.int16)
    masks = np.zeros(size, dtype=np.int64)
    best = np.zeros(size, dtype=np.float64)  # scratch: one concept's best alternative, reset after use
    word_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def postings(word: str) -> tuple[np.ndarray, np.ndarray]:
        if word not in word_cache:
            word_cache[word] = stats.word_scores(reader, word)
        return word_cache[word]

    for bit, concept in enumerate(concepts):
        alternatives = [alternative for alternative in concept.alternatives if alternative.words]
        if not alternatives:
            continue
        if len(alternatives) == 1 and len(alternatives[0].words) == 1:  # the common case: one word
            ids, values = postings(alternatives[0].words[0])
            scores[ids] += values * alternatives[0].weight
        else:
            touched = []
            for alternative in alternatives:
                ids, values = postings(alternative.words[0])
                values = values.astype(np.float64)
                for word in alternative.words[1:]:  # every word must occur: sum where all do
                    other_ids, other_values = postings(word)
                    ids, here, there = np.intersect1d(ids, other_ids, assume_unique=True, return_indices=True)
                    values = values[here] + other_values[there]
                best[ids] = np.maximum(best[ids], values * alternative.weight)  # ids are unique: no clashes
                touched.append(ids)
            ids = np.unique(np.concatenate(touched))
            ids = ids[best[ids] > 0]
            scores[ids] += best[ids]
            best[ids] = 0.0
        held[ids] += 1
        if bit < MAX_MASK_BITS:
            masks[ids] |= 1 << bit
    return Scored(scores, held, masks)
