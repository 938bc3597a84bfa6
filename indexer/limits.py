"""What one page may cost: its size and the time spent extracting it. A page over either
limit is refused with a message naming the limit, so one page can never stall or exhaust
an index run. ``kb index --max-page-bytes / --page-seconds`` set them."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kb.errors import ExtractionError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a larger "page" is a data dump or an attack, not an article
DEFAULT_SECONDS = 20.0               # real pages take well under a second


@dataclass(frozen=True)
class PageLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    seconds: float = DEFAULT_SECONDS  # 0: no time budget


class PageTimeout(ExtractionError):
    """Raised when a page takes longer than its time budget."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``PageTimeout`` in the block after ``seconds``.

    Uses a real-time interval timer, so it works only on a process's main thread (the
    indexer's, or a worker's); elsewhere the block runs without a budget.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise PageTimeout(f"extraction took longer than the {seconds:g}-second page budget (--page-seconds)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
