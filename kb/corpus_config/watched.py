"""Librarian-edited files that a running server re-reads when they change (no restart)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class WatchedFile(Generic[T]):
    """A parsed file, parsed again when its modification time or size changes.

    One ``stat`` per use; a missing or unreadable file gives ``empty``.
    """

    def __init__(self, path: Path | None, parse: Callable[[str], T], empty: T):
        self.path, self._parse, self._empty = path, parse, empty
        self._stamp: tuple[float, int] | None = None
        self._value = empty
        self._lock = threading.Lock()

    def version(self) -> tuple[float, int] | None:
        """What identifies the version ``current()`` returns now (the file's time and size; None
        when there is no file): a cache of answers derived from the file keys on it."""
        self.current()
        return self._stamp if self.path is not None else None

    def current(self) -> T:
        if self.path is None:
            return self._empty
        try:
            stat = os.stat(self.path)
        except OSError:
            return self._empty
        stamp = (stat.st_mtime, stat.st_size)
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    try:
                        self._value = self._parse(self.path.read_text(encoding="utf-8", errors="replace"))
                    except OSError:
                        self._value = self._empty
                    self._stamp = stamp
        return self._value
