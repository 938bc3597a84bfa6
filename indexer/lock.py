"""One writer per data folder: an exclusive ``flock`` on ``<data>/index.lock``.

The kernel releases a ``flock`` when its holder dies, even by ``kill -9``, so a lock
can never be stale in effect; the file keeps the last holder's pid, which is how a
run notices (and reports) that the one before it was killed.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.errors import IndexBusy

LOCK_FILE = "index.lock"


def _describe(holder: dict) -> str:
    started = holder.get("started")
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)) if started else "an unknown time"
    return f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, started {when}"


def _read(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        return json.loads(os.read(fd, 4096) or b"{}")
    except ValueError:
        return {}


@contextmanager
def writer_lock(data_dir: Path) -> Iterator[str | None]:
    """Hold the data folder's writer lock for the ``with`` block, or raise ``IndexBusy`` at once.

    Yields a note about the previous holder when it died without releasing the lock
    (a killed run), else None.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(f"another `kb index` is already running on {data_dir} ({_describe(_read(fd))}); "
                            "wait for it to finish") from None
        previous = _read(fd)
        stale = f"cleared a stale lock left by a run that stopped without finishing ({_describe(previous)})" \
            if previous.get("pid") else None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                   "started": time.time()}).encode(), 0)
        try:
            yield stale
        finally:
            os.ftruncate(fd, 0)  # an empty file means the last holder finished cleanly
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
