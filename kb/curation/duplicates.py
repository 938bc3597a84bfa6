"""Near-duplicate articles: MinHash signatures over word shingles, banded so that only likely
pairs are compared (locality-sensitive hashing). Two articles sharing most of their five-word
runs are the same text, however the pages around them differ."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from itertools import combinations

SHINGLE = 5
PERMUTATIONS = 64
BANDS = 16                    # 16 bands of 4 rows: pairs above ~0.5 similarity almost always meet
THRESHOLD = 0.5
_MASK = (1 << 61) - 1
_WORD = re.compile(r"[a-z0-9]+")
_SEEDS = [(int.from_bytes(hashlib.sha256(f"a{i}".encode()).digest()[:8], "big") | 1,
           int.from_bytes(hashlib.sha256(f"b{i}".encode()).digest()[:8], "big")) for i in range(PERMUTATIONS)]


def shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    runs = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    return {int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(), "big") for run in runs if run}


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


def sketch(text: str, size: int = SKETCH_SIZE) -> list[int]:
    """A small, mergeable summary of a text for similarity: its ``size`` smallest shingle hashes
    (cheap to make at index time, stored in the generation's manifest)."""
    return sorted(shingles(text))[:size]


def sketch_similarity(a: list[int], b: list[int], size: int = SKETCH_SIZE) -> float:
    """Estimated Jaccard similarity of the texts behind two bottom-k sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:size]
    both = set(a) & set(b)
    return sum(1 for value in union if value in both) / len(union)
