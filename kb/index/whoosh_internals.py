"""Every use of Whoosh's private names, behind one door.

kb reads and writes the index faster than Whoosh's public API allows by reaching into
whoosh-reloaded 2.7.5 (pinned, and frozen since 2024): the W3 codec's posting blocks, its
field-lengths column, the stemmer's cache, the segment writer's flush, and the Levenshtein
automaton behind ``terms_within`` (walked over a word list in memory), and the per-document
files a reader opens on first use. Each use here is
checked at import against the installed version; on any other version ``SUPPORTED`` is false
and every function takes the public (slower, same results) way instead.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
import whoosh
from whoosh.lang import stemmer_for_language

PINNED = (2, 7, 5)


def _probe() -> bool:
    if tuple(getattr(whoosh, "__version__", ())) != PINNED:
        return False
    try:
        from whoosh.analysis import StemFilter
        from whoosh.codec import whoosh3
        from whoosh.writing import SegmentWriter
    except ImportError:  # pragma: no cover - the pinned version has them all
        return False
    from whoosh.codec.base import Automata
    return (all(hasattr(whoosh3, name) for name in ("LENGTHS_COLUMN", "STORED_COLUMN", "_lenfield", "byte_to_length",
                                                     "W3LeafMatcher"))
            and all(hasattr(whoosh3.W3PerDocReader, name) for name in ("_cached_reader", "has_column"))
            and hasattr(Automata, "levenshtein_dfa") and hasattr(Automata, "find_matches")
            and all(hasattr(whoosh3.W3LeafMatcher, name) for name in ("_read_data", "_next_block"))
            and hasattr(SegmentWriter, "_flush_segment") and hasattr(StemFilter(lang="en"), "_stem"))


SUPPORTED = _probe()
"""True when the installed Whoosh is the pinned version whose internals this module knows."""

if SUPPORTED:
    from whoosh.codec.base import Automata
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, _lenfield, byte_to_length
    from whoosh.writing import SegmentWriter

    BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


class _SortedWords:
    """A sorted word list read as Whoosh's term cursor is (``text``, ``find``): its automaton skips
    through the words with one ``find`` per step, a bisection here instead of a seek on disk."""

    def __init__(self, words: list[str]):
        self.words = words
        self.at = 0

    def text(self) -> str | None:
        return self.words[self.at] if self.at < len(self.words) else None

    def find(self, term: str) -> None:
        self.at = bisect.bisect_left(self.words, term)


def words_within(reader, fieldname: str, words: list[str], word: str, distance: int, prefix: int) -> list[str]:
    """The ``words`` (sorted: the field's vocabulary) at most ``distance`` edits from ``word`` sharing
    its first ``prefix`` letters, as ``reader.terms_within`` finds them in the field, from memory."""
    if not SUPPORTED:
        return [term.decode("utf-8") if isinstance(term, bytes) else term
                for term in reader.terms_within(fieldname, word, distance, prefix=prefix)]
    automaton = Automata.levenshtein_dfa(word, distance, prefix)
    return list(Automata.find_matches(automaton, _SortedWords(words)))


def cached_stemmer(stem_filter) -> Callable[[str], str]:
    """The stemming function of a ``StemFilter``, with the filter's own cache when it is reachable."""
    if SUPPORTED:
        return stem_filter._stem
    return _public_stemmer(stem_filter.lang or "", stem_filter.stemfn)


@functools.cache
def _public_stemmer(lang: str, stemfn: Callable[[str], str]) -> Callable[[str], str]:
    return functools.lru_cache(maxsize=50000)(stemmer_for_language(lang) if lang else stemfn)


def block_postings(matcher) -> tuple[list[int], list[float], list[int], bool] | None:
    """A leaf matcher's raw posting blocks: (ids, weights, block sizes, ids are absolute).

    Ids are delta-coded within each block unless the last item is true. Returns None when the
    matcher is not the W3 codec's (or Whoosh is not the pinned version): read it publicly then.
    A segment with deletions wraps its matcher in a filter that steps id by id (3 µs a
    posting); the block matcher inside is read, so deleted sections come back too.
    """
    if not SUPPORTED:
        return None
    while not hasattr(matcher, "_read_data") and hasattr(matcher, "child"):
        matcher = matcher.child
    if not hasattr(matcher, "_read_data"):
        return None
    # whoosh 2.7's W3 codec keeps each block as a pickled (delta-coded ids, weights, values)
    # tuple; gathering the blocks' raw lists and decoding them with numpy in one go costs ~5×
    # less than Whoosh's own per-id generator.
    ids: list[int] = []
    weights: list[float] = []
    sizes: list[int] = []
    while not matcher._atend:
        if matcher._data is None:
            matcher._read_data()
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        ids.extend(block_ids)
        sizes.append(count)
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if matcher._lastblock:
            break
        matcher._next_block()
    return ids, weights, sizes, bool(matcher._byteids)


def field_lengths(leaf_reader, fieldname: str, count: int) -> np.ndarray | None:
    """Every document's length in one field of one segment, decoded from the lengths column
    in one pass (~20 ms at 100,000 sections; ``doc_field_length`` one by one costs ~1 s).
    None when the column cannot be reached: ask ``doc_field_length`` then."""
    if not SUPPORTED:
        return None
    perdoc = getattr(leaf_reader, "_perdoc", None)
    if not hasattr(perdoc, "_cached_reader"):
        return None
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    return BYTE_LENGTHS[np.fromiter(iter(column), dtype=np.uint8, count=count)]


class _DecodedLengths:
    """A flushing segment's per-document reader, with its field lengths decoded once."""

    def __init__(self, reader):
        self._reader = reader
        self._lengths: dict[str, list] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            # As W3PerDocReader.doc_field_length: a zero byte reads as None.
            lengths = [byte_to_length(b) if b else None for b in column] if column is not None else []
            self._lengths[fieldname] = lengths
        return lengths[docnum] if docnum < len(lengths) else default

    def close(self) -> None:
        self._reader.close()


def _flush_segment(self) -> None:  # SegmentWriter._flush_segment, with decoded lengths
    self.perdocwriter.close()
    lengths = _DecodedLengths(self.per_document_reader()) if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
    self.fieldwriter.close()
    if lengths:
        lengths.close()


@contextmanager
def fast_flush() -> Iterator[None]:
    """While the block runs, segment writers look field lengths up in a decoded list.

    Whoosh looks up the length of every posting through the on-disk column, one call each
    (~300,000 for 1,700 sections, a fifth of index writing). The postings written are byte for
    byte the same. Whoosh's own method is put back afterwards; on another version nothing changes.
    """
    if not SUPPORTED:
        yield
        return
    original = SegmentWriter.__dict__["_flush_segment"]
    SegmentWriter._flush_segment = _flush_segment
    try:
        yield
    finally:
        SegmentWriter._flush_segment = original


def open_files_now(reader) -> None:
    """Open every per-document file a reader would otherwise open on first use: its segments'
    stored fields, field lengths and sortable columns.

    A reader opens its term and posting files at once but these lazily, and an old generation is
    deleted (``kb.index.generations.prune``, a replica's ``kb replicate``) two generations after it
    stopped being live. A request that began on it and first reads a stored field after that found
    no file: Whoosh then returns None and the request failed. Open, the files outlive the folder,
    as the term files do. On another Whoosh version nothing is done."""
    if not SUPPORTED:
        return
    schema = reader.schema
    leaves = [reader] if reader.is_atomic() else [leaf for leaf, _offset in reader.leaf_readers()]
    for leaf in leaves:
        perdoc = getattr(leaf, "_perdoc", None)
        if not hasattr(perdoc, "_cached_reader"):
            continue
        wanted = [("_stored", STORED_COLUMN)]
        wanted += [(_lenfield(name), LENGTHS_COLUMN) for name, field in schema.items() if field.scorable]
        wanted += [(name, field.column_type) for name, field in schema.items() if field.column_type]
        opened = {name for name, column in wanted if perdoc._cached_reader(name, column) is not None}
        asked = perdoc.has_column  # later asked from what was opened, not from the folder
        perdoc.has_column = lambda name, _opened=frozenset(opened), _asked=asked: name in _opened or _asked(name)
