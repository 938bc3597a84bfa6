"""Near-duplicate articles: MinHash signatures over word shingles, banded so that only likely
pairs are compared (locality-sensitive hashing). Two articles sharing most of their five-word
runs are the same text, however the pages around them differ."""

from __future__ import annotations

import hashlib
import re
import zlib
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from itertools import combinations

import numpy as np

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 16                    # 16 bands of 4 rows: pairs above ~0.5 similarity almost always meet
THRESHOLD = 0.5
_MASK = (1 << 61) - 1
_WORD = re.compile(r"[a-z0-9]+")
_BASE = np.uint64(0x100000001B3)        # the FNV prime: multiplies each run's hash along its words
_MIX = np.uint64(0xBF58476D1CE4E5B9)    # splitmix64's multiplier
_SEEDS = [(int.from_bytes(hashlib.sha256(f"a{i}".encode()).digest()[:8], "big") | 1,
           int.from_bytes(hashlib.sha256(f"b{i}".encode()).digest()[:8], "big")) for i in range(PERMUTATIONS)]


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 64-bit hashes of a text's five-word runs (all of it when shorter), sorted.

    Each word is hashed once (CRC-32, in C) and each run's hash is a fixed polynomial of its
    five word hashes, mixed, in numpy: an article's 2,000 runs cost about a tenth of a
    millisecond instead of 2,000 calls to a cryptographic hash. The values only need to be
    the same on every run and machine (they are kept in the generation's manifest).
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.empty(0, dtype=np.uint64)
    codes = np.fromiter((zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE, len(codes))
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        runs = np.zeros(len(codes) - width + 1, dtype=np.uint64)
        for offset in range(width):
            runs = runs * _BASE + codes[offset:offset + len(runs)] + np.uint64(offset + 1)
        runs ^= runs >> np.uint64(31)  # a 64-bit finaliser: spread the bits before taking the smallest
        runs *= _MIX
        runs ^= runs >> np.uint64(29)
    return np.unique(runs)


def shingles(text: str) -> set[int]:
    return {int(value) for value in shingle_hashes(text)}


def signature(items: set[int]) -> tuple[int, ...]:
    if not items:
        return ()
    return tuple(min((a * x + b) & _MASK for x in items) for a, b in _SEEDS)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The estimated Jaccard similarity of two signatures."""
    if not a or not b:
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)


def near_duplicates(texts: dict[str, str], threshold: float = THRESHOLD) -> list[tuple[str, str, float]]:
    """Pairs of ids whose texts are at least ``threshold`` similar, most similar first."""
    signatures = {key: signature(shingles(text)) for key, text in texts.items()}
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple, list[str]] = defaultdict(list)
    for key, sig in signatures.items():
        if sig:
            for band in range(BANDS):
                buckets[(band, sig[band * rows:(band + 1) * rows])].append(key)
    pairs: dict[tuple[str, str], float] = {}
    for members in buckets.values():
        for a, b in combinations(sorted(members), 2):
            if (a, b) not in pairs:
                pairs[(a, b)] = similarity(signatures[a], signatures[b])
    return sorted(((a, b, round(s, 2)) for (a, b), s in pairs.items() if s >= threshold), key=lambda p: (-p[2], p))


SKETCH_SIZE = 64  # bottom-k sketch: the k smallest shingle hashes of an article
SAME_ARTICLE = 0.8  # estimated text similarity above which two sources carry the same article


def sketch(text: str, size: int = SKETCH_SIZE) -> list[int]:
    """A small, mergeable summary of a text for similarity: its ``size`` smallest shingle hashes
    (cheap to make at index time, stored in the generation's manifest)."""
    return [int(value) for value in shingle_hashes(text)[:size]]


def sketch_similarity(a: list[int], b: list[int], size: int = SKETCH_SIZE) -> float:
    """Estimated Jaccard similarity of the texts behind two bottom-k sketches."""
    if not a or not b:
        return 0.0
    return _estimate(frozenset(a), frozenset(b), size)


def _estimate(a: frozenset[int], b: frozenset[int], size: int = SKETCH_SIZE) -> float:
    """The share of the union's ``size`` smallest values that both sketches hold."""
    both = a & b
    union = len(a) + len(b) - len(both)
    if union <= size:
        return len(both) / union
    if not both:
        return 0.0
    cut = sorted(a | b)[size - 1]
    shared = len(both) if max(both) <= cut else sum(1 for value in both if value <= cut)
    return shared / size


def copies(sketches: Mapping[str, list[int]], threshold: float) -> dict[str, frozenset[str]]:
    """Every article whose sketch estimates its text at ``threshold`` or more similar to another's:
    {article: the others}. Computed once for a whole generation instead of comparing a results
    page's articles pair by pair on every search.

    Prefix filtering (as in set-similarity joins): an estimate of ``threshold`` needs two sketches
    to share at least ``threshold`` of the larger one's values, so, with each sketch's values
    ordered rarest first, two such sketches share one of their first ``n - ceil(threshold·n) + 1``
    values. Only those prefixes are indexed and probed, so values every page of a site shares
    (its template) never make every pair a candidate."""
    same: dict[frozenset[int], list[str]] = defaultdict(list)  # word-for-word copies share one sketch
    for article, values in sketches.items():
        if values:
            same[frozenset(values)].append(article)
    distinct = list(same)
    frequency = Counter(value for values in distinct for value in values)
    probe: dict[int, list[int]] = defaultdict(list)
    near: dict[int, set[int]] = defaultdict(set)
    for number, values in enumerate(distinct):
        ordered = sorted(values, key=lambda value: (frequency[value], value))
        need = math.ceil(threshold * len(ordered) - 1e-9)
        prefix = ordered[:len(ordered) - need + 1]
        for other in {other for value in prefix for other in probe[value]}:
            theirs = distinct[other]
            shared = len(values & theirs)  # the estimate counts shared values among the union's first SKETCH_SIZE
            if shared >= threshold * min(SKETCH_SIZE, len(values) + len(theirs) - shared) \
                    and _estimate(values, theirs) >= threshold:
                near[number].add(other)
                near[other].add(number)
        for value in prefix:
            probe[value].append(number)
    related: dict[str, frozenset[str]] = {}
    for number, values in enumerate(distinct):
        members = same[values]
        if len(members) == 1 and number not in near:
            continue
        others = frozenset(members).union(*(same[distinct[other]] for other in near.get(number, ())))
        for article in members:
            related[article] = others - {article}
    return related
