"""Extract many pages on several processes; results come back in submission order, so
an index built with ``--jobs 2`` is identical to one built with ``--jobs 1``."""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from indexer.limits import PageLimits, time_budget
from indexer.load import PageFile, read_page
from kb.errors import KBError
from kb.model import Article, Source

# Starting worker processes costs ~0.2 s; below this many pages one process is faster.
MIN_PAGES_PER_WORKER = 8
CHUNK = 4

_sources: list[Source] = []
_limits = PageLimits()


@dataclass(frozen=True)
class Task:
    """One page that may have changed: where it is, its source, the id it will get, and
    the hash the catalogue knows for it (the page is not parsed when its bytes still match)."""

    page: PageFile
    corpus: Path
    article_id: str
    known_hash: str | None = None


@dataclass
class Outcome:
    """What reading a page gave: its hash and stat, and an article, an error or "unchanged"."""

    task: Task
    hash: str = ""
    size: int = 0
    mtime_ns: int = 0
    article: Article | None = None
    error: str | None = None
    unchanged: bool = False


def extract_one(task: Task, sources: list[Source] | None = None, limits: PageLimits | None = None) -> Outcome:
    """Read, hash and extract one page, turning every expected failure into a reason an
    editor can act on. Reading happens here, in the worker, so the parent never holds
    every page's bytes at once."""
    from indexer.extract import extract

    limits = _limits if limits is None else limits
    outcome = Outcome(task)
    try:
        stat = task.page.path.stat()
        outcome.size, outcome.mtime_ns = stat.st_size, stat.st_mtime_ns
        # A page of a web archive is known by its payload digest: an unchanged one is not even read.
        outcome.hash = task.page.capture.digest if task.page.capture is not None else ""
        if not (outcome.hash and outcome.hash == task.known_hash):
            data = read_page(task.page, task.corpus, limits.max_bytes)
            outcome.hash = outcome.hash or hashlib.sha256(data).hexdigest()
        if outcome.hash == task.known_hash:
            outcome.unchanged = True
            return outcome
        with time_budget(limits.seconds):
            outcome.article = extract(data, task.page.path, task.page.source, article_id=task.article_id,
                                      relative_path=task.page.relative,
                                      sources=_sources if sources is None else sources, max_bytes=limits.max_bytes,
                                      fetch=task.page.fetch)
    except (KBError, ValueError, OSError, RecursionError, LookupError, MemoryError) as exc:
        outcome.error = str(exc) or exc.__class__.__name__
    return outcome


def _init_worker(sources: list[Source], limits: PageLimits) -> None:
    global _sources, _limits
    _sources, _limits = sources, limits


def extract_all(tasks: list[Task], sources: list[Source], jobs: int = 1,
                on_done: Callable[[int, int], None] | None = None,
                limits: PageLimits = PageLimits()) -> Iterator[Outcome]:
    """Yield each task's outcome in task order, using up to ``jobs`` processes."""
    total = len(tasks)
    jobs = max(1, min(jobs, total // MIN_PAGES_PER_WORKER))
    if jobs == 1:
        for done, task in enumerate(tasks, 1):
            yield extract_one(task, sources, limits)
            if on_done:
                on_done(done, total)
        return
    # forkserver: workers start from a clean process, never from a copy of a threaded parent.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["indexer.extract"])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(sources, limits)) as pool:
        for done, outcome in enumerate(pool.map(extract_one, tasks, chunksize=CHUNK), 1):
            yield outcome
            if on_done:
                on_done(done, total)
