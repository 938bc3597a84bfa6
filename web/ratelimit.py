"""Per-client rate limiting of searches, so one scraper cannot take the site down.

A token bucket per client address: ``N`` requests per period, refilled continuously; the
request over the limit gets ``429 Too Many Requests`` with ``Retry-After``. Only searches
cost tokens (``/search``, ``/symptoms`` and everything under ``/api/``); articles, the home
page and static files are free. Buckets live in each worker process, so with gunicorn's
``--workers W`` a client may get up to W times the limit; behind nginx, ``KB_PROXY_HOPS=1``
puts werkzeug's ``ProxyFix`` in front so the client's address is the real one.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict

from flask import Flask, request

from kb.errors import ConfigError

LIMITED_PREFIXES = ("/api/", "/search", "/symptoms")
MAX_CLIENTS = 50_000  # buckets kept; the least recently seen are forgotten first
_PERIODS = {"second": 1, "minute": 60, "hour": 3600}


def parse_limit(text: str) -> tuple[int, float] | None:
    """"120/minute" → (120, 60.0); "off" or "0" → None (no limit)."""
    text = (text or "").strip().lower()
    if text in ("", "off", "0", "none"):
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(second|minute|hour)", text)
    if not match or int(match[1]) == 0:
        raise ConfigError(f"rate limit {text!r}: write it as N/second, N/minute or N/hour (or off)")
    return int(match[1]), float(_PERIODS[match[2]])


class RateLimiter:
    """Token buckets by client address."""

    def __init__(self, requests: int, period: float, clock=time.monotonic):
        self.capacity, self.rate, self.clock = requests, requests / period, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token; return 0 when allowed, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.capacity), now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait


def init_app(app: Flask, limit: str) -> None:
    parsed = parse_limit(limit)
    if parsed is None:
        return
    limiter = RateLimiter(*parsed)
    app.extensions["kb_rate_limiter"] = limiter

    @app.before_request
    def limit_searches():
        if not request.path.startswith(LIMITED_PREFIXES):
            return None
        wait = limiter.take(request.remote_addr or "unknown")
        if not wait:
            return None
        from web.errors import error_response

        response = error_response(429, "Too many requests from your address; please wait a moment and try again.")
        if isinstance(response, tuple):
            from flask import make_response
            response = make_response(*response)
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
