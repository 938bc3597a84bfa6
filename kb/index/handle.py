"""A long-lived handle on the live index generation: the reader side of ``kb.index``.

The web app keeps one per worker; it lends out searchers and follows ``kb index``'s switch
of the pointer without a restart.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from kb.corpus_config.english import english_hashes
from kb.corpus_config.sources import load_sources
from kb.corpus_config.synonyms import SynonymsFile
from kb.curation.duplicates import SAME_ARTICLE, copies
from kb.errors import ConfigError
from kb.index.generations import current_generation, open_generation, read_manifest
from kb.index.whoosh_internals import open_files_now
from kb.memory import give_back
from kb.search.ranking import GenerationStats
from kb.search.spelling import vocabulary as spelling_vocabulary

log = logging.getLogger(__name__)


def _close_searchers(idle: list[tuple[Path, Searcher]], lock: threading.Lock) -> None:
    with lock:
        searchers, idle[:] = [searcher for _generation, searcher in idle], []
    for searcher in searchers:
        searcher.close()


class IndexHandle:
    """A long-lived handle on the live index that lends out searchers.

    Opening a searcher costs tens of milliseconds, so finished searchers wait in a
    small pool for the next request. Each loan first reads the pointer file (one
    small read): after ``kb index`` publishes a new generation, searchers of the old
    one are closed and new ones opened, so a running server switches without restart.
    A searcher is used by one thread at a time.
    """

    MAX_IDLE = 8

    @classmethod
    def for_settings(cls, settings) -> "IndexHandle":
        """The handle on ``settings``' index, with the corpus's synonym file and what its source
        registry says about how common each source's conditions are."""
        try:
            sources = load_sources(settings.corpus)
        except ConfigError:  # a broken registry is reported by `kb sources check`; search still works
            sources = []
        return cls(settings.index_dir, settings.synonyms_file,
                   prevalence={source.id: source.prevalence for source in sources if source.prevalence},
                   warm=settings.warm)

    def __init__(self, index_dir: Path, synonyms: Path | None = None, prevalence: dict[str, str] | None = None,
                 warm: bool = False):
        self.index_dir = Path(index_dir)
        self.warm = warm  # score the most common words of each new generation in the background
        self.prevalence = dict(prevalence or {})  # source id → "rare" or "common"
        self.synonyms = SynonymsFile(synonyms)
        self._lock = threading.Lock()
        self._idle: list[tuple[Path, Searcher]] = []
        # A handle dropped without close() (an app object a test let go) still closes its
        # searchers' files: the list is changed in place, so the finalizer sees the current one.
        weakref.finalize(self, _close_searchers, self._idle, self._lock)
        self._stats: dict[Path, GenerationStats] = {}
        self._manifests: dict[Path, dict] = {}
        self._copies: dict[Path, dict[str, frozenset[str]]] = {}
        self._warmed: Path | None = None  # the last generation whose warming finished

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """Lend a searcher on the live generation for the duration of a ``with`` block."""
        with self._lend() as (_generation, searcher):
            yield searcher

    @contextmanager
    def session(self) -> Iterator[tuple[Searcher, GenerationStats]]:
        """Lend a searcher together with its generation's ranking statistics."""
        with self._lend() as (generation, searcher):
            with self._lock:
                stats = self._stats.get(generation)
            if stats is None:
                stats = GenerationStats(searcher.reader())
                with self._lock:
                    self._stats = {generation: stats}  # only the live generation's are kept
                if self.warm:
                    threading.Thread(target=self._warm, args=(generation, stats), daemon=True,
                                     name=f"warm {generation.name}").start()
            yield searcher, stats

    @contextmanager
    def _lend(self) -> Iterator[tuple[Path, Searcher]]:
        live = current_generation(self.index_dir)
        with self._lock:
            stale = [searcher for generation, searcher in self._idle if generation != live]
            self._idle[:] = [item for item in self._idle if item[0] == live]
            item = self._idle.pop() if self._idle else None
        for searcher in stale:
            searcher.close()
        if item is None:
            ix, generation = open_generation(self.index_dir)
            item = (generation, ix.searcher())
            # Its generation may be deleted while it serves (two switches later): open its files now.
            open_files_now(item[1].reader())
        try:
            yield item
        finally:
            with self._lock:
                keep = len(self._idle) < self.MAX_IDLE and item[0] == live
                if keep:
                    self._idle.append(item)
            if not keep:
                item[1].close()

    def warm_now(self) -> None:
        """Build the live generation's statistics and score its most common words (a web
        worker calls this at start, in the background, with ``warm``)."""
        with self.session():
            pass

    def _warm(self, generation: Path, stats: GenerationStats) -> None:
        try:
            ix = whoosh_index.open_dir(str(generation))
            try:
                with ix.reader() as reader:
                    stats.warm(reader)
                    spelling_vocabulary(reader)  # typo corrections look words up in memory
                english_hashes()  # and leave English words alone (once per process)
                self._copies_of(generation)
            finally:
                ix.close()
            give_back()  # the warm-up's temporary arrays (about 6 MB per worker at 100,000 sections)
            self._warmed = generation
        except Exception as exc:  # noqa: BLE001 - a generation replaced or removed meanwhile: readers warm it as they go
            log.info("warming %s stopped: %s", generation.name, exc)

    def warmed(self) -> bool:
        """Has this worker finished readying the live generation (always true without ``warm``)?
        ``/healthz`` says so, for a load balancer or a benchmark that waits for it."""
        return not self.warm or self._warmed == current_generation(self.index_dir)

    def manifest(self) -> dict[str, dict]:
        """The live generation's manifest (what each article is), read once per generation."""
        live = current_generation(self.index_dir)
        return {} if live is None else self._manifest_of(live)

    def _manifest_of(self, generation: Path) -> dict[str, dict]:
        with self._lock:
            cached = self._manifests.get(generation)
        if cached is None:
            cached = read_manifest(generation)
            with self._lock:
                self._manifests = {generation: cached}
        return cached

    def copies(self) -> dict[str, frozenset[str]]:
        """Which articles of the live generation are copies of which (two sources publishing the
        same text), worked out once per generation: results pages show one copy of each."""
        live = current_generation(self.index_dir)
        return {} if live is None else self._copies_of(live)

    def _copies_of(self, generation: Path) -> dict[str, frozenset[str]]:
        with self._lock:
            cached = self._copies.get(generation)
        if cached is None:
            sketches = {article: entry["sketch"] for article, entry in self._manifest_of(generation).items()
                        if entry.get("sketch")}
            cached = copies(sketches, SAME_ARTICLE)
            with self._lock:
                self._copies = {generation: cached}
        return cached

    def live_generation(self) -> Path | None:
        """The generation readers are served from now."""
        return current_generation(self.index_dir)

    def close(self) -> None:
        """Close every idle searcher (for tests and shutdown)."""
        _close_searchers(self._idle, self._lock)
