"""Handing freed memory back to the system after a one-time load.

glibc keeps memory a process freed for its own later use. A web worker's one-time loads (the
generation's statistics, the English word list) free tens of megabytes of temporary arrays and
text that the worker never needs again, and its resident size would keep them: 5–16 MB per worker,
measured, against a budget of 300 MB at 100,000 sections.
"""

from __future__ import annotations

import ctypes


def give_back() -> None:
    """Return the process's freed heap to the system (glibc's ``malloc_trim``); elsewhere, nothing."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
