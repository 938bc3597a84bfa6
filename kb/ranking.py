"""Score sections for a query straight from the index's postings.

Whoosh's matcher trees cost 50–400 ms for a reader's eight-word OR query over 16,000
sections; reading each term's postings once and summing BM25 in Python costs a few
milliseconds, and gives what re-ranking needs for free: which of the reader's concepts
each section holds (coverage) and how many sections matched (the total and the facets).

The index is still Whoosh's; only postings, field lengths and stored fields are read.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

FIELD_BOOSTS = {"title": 3.0, "aliases": 2.5, "heading": 2.0, "body": 1.0}
K1, B = 1.2, 0.75
SCORE_CACHE_ENTRIES = 500_000  # (word, section) scores kept per generation (~35 MB): common words are read once


@dataclass(frozen=True)
class Alternative:
    """One way of saying a concept: its analysed words (all must occur) and its weight."""

    words: tuple[str, ...]
    weight: float = 1.0


@dataclass
class Concept:
    """Something the reader asked about, with the words that can express it."""

    alternatives: list[Alternative]


def read_postings(reader, fieldname: str, word: str) -> tuple[list[int], list[float]]:
    """Document numbers and term frequencies of one term, read block by block."""
    if not reader.is_atomic():  # several segments (an incremental update): read each, shift its numbers
        ids: list[int] = []
        weights: list[float] = []
        for sub, offset in reader.leaf_readers():
            sub_ids, sub_weights = read_postings(sub, fieldname, word)
            ids.extend(docnum + offset for docnum in sub_ids)
            weights.extend(sub_weights)
        return ids, weights
    if not reader.doc_frequency(fieldname, word):
        return [], []
    matcher = reader.postings(fieldname, word)
    ids = []
    weights = []
    if not hasattr(matcher, "_read_ids"):  # another codec: the slow public way
        for docnum, weight in matcher.items_as("weight"):
            ids.append(docnum)
            weights.append(weight)
        return ids, weights
    # whoosh 2.7's W3 codec: reading whole blocks is ~3× faster than item by item.
    while not matcher._atend:
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        if matcher._lastblock:
            break
        matcher._next_block()
    return ids, weights


class GenerationStats:
    """Per-generation numbers every query needs: document count, field lengths, kind and
    source sets, and a cache of postings. Built once per generation and process."""

    def __init__(self, reader):
        self.doc_count = reader.doc_count_all()
        self.deleted = {d for d in range(self.doc_count) if reader.is_deleted(d)} if reader.has_deletions() else set()
        # Statistics count live sections only, so an incrementally updated generation (which
        # still holds deleted ones) ranks exactly like a fresh build of the same corpus.
        self.live_count = self.doc_count - len(self.deleted)
        self.norms: dict[str, list[float]] = {}  # BM25's length normalisation, per field and section
        for name in FIELD_BOOSTS:
            if name in reader.schema:
                values = [reader.doc_field_length(d, name, 0) or 0 for d in range(self.doc_count)]
                live = [v for d, v in enumerate(values) if d not in self.deleted] if self.deleted else values
                average = (sum(live) / len(live)) if live and sum(live) else 1.0
                self.norms[name] = [K1 * (1 - B + B * value / average) for value in values]
        self.sets: dict[tuple[str, str], frozenset[int]] = {}
        for name in ("kind", "source"):
            for value in reader.lexicon(name) if name in reader.schema else []:
                text = value.decode("utf-8") if isinstance(value, bytes) else value
                self.sets[(name, text)] = frozenset(read_postings(reader, name, text)[0])
        self._scores: OrderedDict[str, dict[int, float]] = OrderedDict()
        self._cached_entries = 0
        self._lock = threading.Lock()

    def word_scores(self, reader, word: str) -> dict[int, float]:
        """BM25 of one word in every section that holds it (cached: common words cost most)."""
        with self._lock:
            found = self._scores.get(word)
            if found is not None:
                self._scores.move_to_end(word)
                return found
        found = _word_scores(self, reader, word)
        with self._lock:
            self._scores[word] = found
            self._cached_entries += len(found)
            while self._cached_entries > SCORE_CACHE_ENTRIES and len(self._scores) > 1:
                _word, dropped = self._scores.popitem(last=False)
                self._cached_entries -= len(dropped)
        return found

    def values(self, name: str) -> dict[str, frozenset[int]]:
        """Every value of a facet field ("kind", "source") with its sections."""
        return {value: docs for (field_name, value), docs in self.sets.items() if field_name == name}


def _word_scores(stats: GenerationStats, reader, word: str) -> dict[int, float]:
    """BM25 of one word in every section that holds it, summed over the boosted fields."""
    scores: dict[int, float] = {}
    n = stats.live_count
    deleted = stats.deleted
    for fieldname, boost in FIELD_BOOSTS.items():
        norms = stats.norms.get(fieldname)
        if norms is None:
            continue
        ids, tfs = read_postings(reader, fieldname, word)
        if deleted and ids:
            pairs = [(d, tf) for d, tf in zip(ids, tfs) if d not in deleted]
            ids, tfs = [d for d, _ in pairs], [tf for _, tf in pairs]
        if not ids:
            continue
        factor = math.log(1 + (n - len(ids) + 0.5) / (len(ids) + 0.5)) * (K1 + 1) * boost
        get = scores.get
        for docnum, tf in zip(ids, tfs):
            scores[docnum] = get(docnum, 0.0) + factor * tf / (tf + norms[docnum])
    return scores


def score_concepts(stats: GenerationStats, reader, concepts: list[Concept]) -> tuple[dict[int, float], dict[int, int]]:
    """Sum each concept's best alternative per section, and note which concepts it holds.

    Returns two maps keyed by document number: the summed score, and a bit mask of the
    concepts (bit i set: the section holds concept i).
    """
    scores: dict[int, float] = {}
    masks: dict[int, int] = {}
    word_cache: dict[str, dict[int, float]] = {}
    for bit, concept in enumerate(concepts):
        best: dict[int, float] = {}
        for alternative in concept.alternatives:
            per_word = []
            for word in alternative.words:
                if word not in word_cache:
                    word_cache[word] = stats.word_scores(reader, word)
                per_word.append(word_cache[word])
            if not per_word:
                continue
            weight = alternative.weight
            if len(per_word) == 1:
                candidates = per_word[0].items()
            else:
                common = set(per_word[0]).intersection(*per_word[1:])
                candidates = ((d, sum(w[d] for w in per_word)) for d in common)
            for docnum, value in candidates:
                value *= weight
                if value > best.get(docnum, 0.0):
                    best[docnum] = value
        mask = 1 << bit
        get_score, get_mask = scores.get, masks.get
        for docnum, value in best.items():
            scores[docnum] = get_score(docnum, 0.0) + value
            masks[docnum] = get_mask(docnum, 0) | mask
    for docnum in stats.deleted.intersection(scores):
        del scores[docnum], masks[docnum]
    return scores, masks
