"""Index generations on disk: build a new one beside the live one, then switch atomically.

Layout of ``<data>/index/``::

    CURRENT        name of the live generation (replaced with os.replace: atomic)
    gen-<stamp>/   one complete Whoosh index + meta.json (schema version, counts)

Readers open whatever CURRENT names; a build never touches the live generation,
so a crash mid-build leaves readers on the previous one.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from kb.errors import IndexMissing, IndexOutdated, IndexRefused
from kb.ranking import GenerationStats
from kb.schema import SCHEMA_VERSION, build_schema
from kb.synonyms import SynonymsFile

POINTER = "CURRENT"
META = "meta.json"
KEEP_GENERATIONS = 2  # the live one and the one before it


def current_generation(index_dir: Path) -> Path | None:
    """Return the live generation's folder, or None when nothing was built yet."""
    try:
        name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = index_dir / name
    return path if name and path.is_dir() else None


def read_meta(generation: Path) -> dict:
    """Return the build facts stored beside a generation (empty if unreadable)."""
    try:
        return json.loads((generation / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_generation(index_dir: Path, documents: Iterable[dict], meta: dict,
                     refuse: Callable[[int], str | None] | None = None) -> Path:
    """Write a complete new generation from section documents and make it live.

    The live generation stays untouched until the final ``os.replace`` of the pointer.
    ``refuse(count)`` may return a reason not to publish the finished build; the
    build is then deleted and ``IndexRefused`` raised.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now // 1_000_000_000))
    # Names sort in build order (prune relies on it); the pid keeps concurrent builds apart.
    generation = index_dir / f"gen-{stamp}-{now % 1_000_000_000:09d}-{os.getpid()}"
    generation.mkdir()
    try:
        ix = whoosh_index.create_in(str(generation), build_schema())
        writer = ix.writer()
        try:
            count = 0
            for doc in documents:
                writer.add_document(**doc)
                count += 1
            if refuse is not None and (reason := refuse(count)):
                raise IndexRefused(reason)
        except BaseException:
            writer.cancel()  # releases the writer's lock and temporary files
            raise
        writer.commit()
        ix.close()
        meta = {**meta, "schema_version": SCHEMA_VERSION, "sections": count, "built": time.time()}
        (generation / META).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    _switch_to(index_dir, generation)
    _prune(index_dir, keep=generation)
    return generation


def _switch_to(index_dir: Path, generation: Path) -> None:
    tmp = index_dir / f"{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(generation.name + "\n", encoding="utf-8")
    os.replace(tmp, index_dir / POINTER)


def _prune(index_dir: Path, keep: Path) -> None:
    """Delete old generations, keeping the newest few (the previous one serves a rollback)."""
    generations = sorted((p for p in index_dir.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
    stale = [p for p in generations if p != keep][: max(0, len(generations) - KEEP_GENERATIONS)]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)


def check_index(index_dir: Path) -> Path:
    """Return the live generation's folder, or raise if it is missing or of another schema."""
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissing(f"no index in {index_dir}: run `kb index` first")
    version = read_meta(generation).get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexOutdated(
            f"the index in {index_dir} has schema version {version}, this program needs "
            f"{SCHEMA_VERSION}: run `kb index` to rebuild it"
        )
    return generation


def open_generation(index_dir: Path):
    """Open the live generation's Whoosh index, refusing a missing or outdated one."""
    generation = check_index(index_dir)
    return whoosh_index.open_dir(str(generation)), generation


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
        """The handle on ``settings``' index, with the corpus's synonym file."""
        return cls(settings.index_dir, settings.synonyms_file)

    def __init__(self, index_dir: Path, synonyms: Path | None = None):
        self.index_dir = Path(index_dir)
        self.synonyms = SynonymsFile(synonyms)
        self._lock = threading.Lock()
        self._idle: list[tuple[Path, Searcher]] = []
        self._stats: dict[Path, GenerationStats] = {}

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
            yield searcher, stats

    @contextmanager
    def _lend(self) -> Iterator[tuple[Path, Searcher]]:
        live = current_generation(self.index_dir)
        with self._lock:
            stale = [searcher for generation, searcher in self._idle if generation != live]
            self._idle = [item for item in self._idle if item[0] == live]
            item = self._idle.pop() if self._idle else None
        for searcher in stale:
            searcher.close()
        if item is None:
            ix, generation = open_generation(self.index_dir)
            item = (generation, ix.searcher())
        try:
            yield item
        finally:
            with self._lock:
                keep = len(self._idle) < self.MAX_IDLE and item[0] == live
                if keep:
                    self._idle.append(item)
            if not keep:
                item[1].close()

    def close(self) -> None:
        """Close every idle searcher (for tests and shutdown)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for _generation, searcher in idle:
            searcher.close()
