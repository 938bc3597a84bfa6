"""Which words are English, to tell a word the corpus lacks from a misspelling.

Typo correction maps a word the index has never seen to the closest word it has. A reader's real
word that the corpus happens not to use ("woozy", "scurrying", "stuff") would become an unrelated
one ("woody", "scarring", "stiff"), shown as "Did you mean" and searched. Spell checkers correct
only non-words; so does ``kb.search.spelling``, with this list.

The list is the English word-frequency dictionary shipped in the PyPI wheel ``pyspellchecker``
(MIT; built by its author from the OpenSubtitles 2018 corpus, 160,000 words). Only its words are
read (``resources/en.json.gz``, as installed), once per process (0.1–0.3 s, warmed with the index), and kept as a sorted
array of their hashes: 1.3 MB, where a set of the same words takes 9 MB in every web worker. A
lookup is a binary search, a few microseconds. Without the package no word counts as English and
corrections work as before.
"""

from __future__ import annotations

import array
import codecs
import importlib.metadata
import importlib.resources
import re
import threading
import zlib

import numpy as np

from kb.memory import give_back

RESOURCE = ("spellchecker", "resources/en.json.gz")
_KEY = re.compile(r'"([a-z\'-]+)":')
_PIECE = 1 << 16  # compressed bytes read at a time

_HASHES: np.ndarray | None = None
_LOCK = threading.Lock()


def _load() -> np.ndarray:
    try:
        data = importlib.resources.files(RESOURCE[0]).joinpath(RESOURCE[1]).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return np.zeros(0, dtype=np.int64)
    # Read in pieces: the whole text at once left a web worker 18 MB larger, not 1.3 MB, for good
    # (freed memory the allocator keeps; ``kb.memory``). Python's string hash is the same for a word
    # throughout a process: a word and its hash are one here (a false match needs two of 2^64
    # values to meet).
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the gzip format
    decode = codecs.getincrementaldecoder("utf-8")(errors="replace")
    hashes = array.array("q")
    carry = ""
    for start in range(0, len(data), _PIECE):
        text = carry + decode.decode(inflate.decompress(data[start:start + _PIECE]))
        cut = text.rfind(",") + 1  # a key is never cut in two
        hashes.extend(hash(match.group(1)) for match in _KEY.finditer(text, 0, cut))
        carry = text[cut:]
    text = carry + decode.decode(inflate.flush(), final=True)
    hashes.extend(hash(match.group(1)) for match in _KEY.finditer(text))
    found = np.unique(np.frombuffer(hashes, dtype=np.int64))
    del hashes, text, carry, data
    give_back()
    return found


def english_hashes() -> np.ndarray:
    """The list's words as sorted hashes; read on first use."""
    global _HASHES
    with _LOCK:
        if _HASHES is None:
            _HASHES = _load()
        return _HASHES


def is_english(word: str) -> bool:
    """Is ``word`` (lower case, as written) an English word?"""
    hashes = english_hashes()
    at = int(np.searchsorted(hashes, hash(word)))
    return at < len(hashes) and int(hashes[at]) == hash(word)


def english_in_force() -> dict:
    """The word list spelling consults, for ``kb status`` and the admin page (without loading it)."""
    try:
        version = importlib.metadata.version("pyspellchecker")
        path = str(importlib.resources.files(RESOURCE[0]).joinpath(RESOURCE[1]))
    except (importlib.metadata.PackageNotFoundError, ModuleNotFoundError):
        version, path = "", None
    return {"list": "English words (spelling)", "file": "en.json.gz", "built_in": 0, "corpus_file": None,
            "corpus_entries": 0, "mode": f"pyspellchecker {version}" if version else "not installed", "path": path}
