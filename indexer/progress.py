"""Progress of an index run for the editor watching it: a redrawn bar on a terminal,
a plain line every few seconds in a log (cron, CI), nothing with ``--quiet``."""

from __future__ import annotations

import time
from typing import TextIO

BAR_WIDTH = 28


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """A ``(stage, done, total)`` callback that shows files done/total, rate and ETA."""

    def __init__(self, stream: TextIO, terminal: bool, interval: float = 5.0):
        self.stream, self.terminal, self.interval = stream, terminal, interval
        self.stage = ""
        self.started = self.last = time.monotonic()
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != self.stage:
            self._end_line()
            self.stage, self.started, self.last = stage, now, 0.0
        if total == 0:
            return
        finished = done >= total
        if not finished and now - self.last < (0.1 if self.terminal else self.interval):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        eta = (total - done) / rate if rate else 0.0
        tail = f"{done}/{total} files  {rate:.1f}/s  " + (f"{_duration(elapsed)}" if finished else f"ETA {_duration(eta)}")
        if self.terminal:
            filled = int(BAR_WIDTH * done / total)
            self.stream.write(f"\r{stage:8} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {tail}\x1b[K")
            self.drawn = True
            if finished:
                self._end_line()
        elif done and (finished or done < total):
            self.stream.write(f"{stage}: {tail}\n")
        self.stream.flush()

    def _end_line(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

    def close(self) -> None:
        self._end_line()
