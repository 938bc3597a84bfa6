"""A worker's cache of finished answers: the same search, on the same index generation with
the same lists, gets the same bytes without being searched again.

Readers ask the same few things over and over (a handful of queries make most of the
traffic, the rest is a long tail), so each worker keeps the bodies of recent answers to
``/search``, ``/api/search`` and the symptom pages, up to a memory budget
(``KB_ANSWER_CACHE_MB``, default 48; 0 turns it off), least recently used first out.

An answer is keyed on the generation it was computed on, read before computing, and on the
versions of the synonym and red-flag files: when ``kb index`` publishes, every key changes,
so no answer of an older generation is ever served. (An answer computed while the switch
happens is filed under the older generation, which no later request asks for.) Searches
that found nothing are still counted for the librarians on every hit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, g, request

from web import access, gaps

DEFAULT_MB = 48
MAX_KEY_CHARS = 4096  # a longer address is answered but not kept


class AnswerCache:
    """Response bodies by key, within a byte budget (least recently used first out)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple[bytes, str, str | None]] = OrderedDict()
        self._sizes: dict[tuple, int] = {}
        self._bytes = 0
        self._generation: str | None = None
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bytes, str, str | None] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, body: bytes, mimetype: str, zero_query: str | None) -> None:
        size = len(body) + sum(len(str(part)) for part in key)
        if size > self.max_bytes // 8:
            return
        with self._lock:
            if key[0] != self._generation:  # a new generation: the old answers can never be asked for again
                self._entries.clear()
                self._sizes.clear()
                self._bytes, self._generation = 0, key[0]
            if key in self._entries:
                return
            self._entries[key] = (body, mimetype, zero_query)
            self._sizes[key] = size
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                old_key, _entry = self._entries.popitem(last=False)
                self._bytes -= self._sizes.pop(old_key)

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app, megabytes: float) -> None:
    app.extensions["kb_answers"] = AnswerCache(int(megabytes * 1024 * 1024)) if megabytes > 0 else None


def _key() -> tuple | None:
    generation = access.index().live_generation()
    if generation is None:
        return None
    key = (generation.name, access.index().synonyms.version(), access.emergency().version(), request.path,
           tuple(sorted(request.args.items(multi=True))))
    return key if len(request.full_path) <= MAX_KEY_CHARS else None


def cached(view: Callable) -> Callable:
    """Serve the view's 200 answers from the worker's cache when it has them."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache: AnswerCache | None = current_app.extensions.get("kb_answers")
        key = _key() if cache is not None else None
        if key is not None and (entry := cache.get(key)) is not None:
            body, mimetype, zero_query = entry
            if zero_query is not None:
                gaps.record(zero_query)
            return Response(body, mimetype=mimetype)
        response = current_app.make_response(view(*args, **kwargs))
        if key is not None and response.status_code == 200 and not response.is_streamed:
            cache.put(key, response.get_data(), response.mimetype, g.get("kb_zero_query"))
        return response

    return wrapper
