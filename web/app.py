"""The application factory: settings, the shared index handle, blueprints, error pages."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from kb.config import Settings
from kb.corpus_config.emergency import EmergencyFile
from kb.corpus_config.sources import load_sources
from kb.index.handle import IndexHandle

log = logging.getLogger(__name__)


SETTING_NAMES = ("KB_ADMIN_USER", "KB_ADMIN_PASSWORD_HASH", "KB_SECRET_KEY", "KB_PROXY_HOPS", "KB_ANSWER_CACHE_MB",
                 "KB_WARM", "KB_ZERO_RESULTS_LOG")


def _warm(index: IndexHandle) -> None:
    try:
        index.warm_now()
    except Exception as exc:  # noqa: BLE001 - no index yet, or it changed: readers warm it as they go
        log.info("not warmed at start: %s", exc)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may set ``KB_CORPUS``, ``KB_DATA``, ``KB_RATE_LIMIT`` and the other
    ``KB_*`` settings (they win over the environment) and any Flask setting (``TESTING`` …)."""
    app = Flask(__name__)
    overrides = dict(config or {})
    # KB_* keys in ``config`` win over the environment and are read by the same parsing.
    env = {**os.environ, **{name: str(overrides.pop(name)) for name in SETTING_NAMES if name in overrides}}
    settings = Settings.load(corpus=overrides.pop("KB_CORPUS", None), data=overrides.pop("KB_DATA", None),
                             rate_limit=overrides.pop("KB_RATE_LIMIT", None), env=env)
    app.config.update(JSON_SORT_KEYS=False, KB_SETTINGS=settings)
    app.config.update(overrides)
    app.json.sort_keys = False
    if settings.proxy_hops:  # behind nginx: the client's address and scheme are the forwarded ones
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops,
                                x_host=settings.proxy_hops)
    app.extensions["kb_index"] = IndexHandle.for_settings(settings)
    if settings.warm:  # a worker readies the live generation before its first reader asks
        threading.Thread(target=_warm, args=(app.extensions["kb_index"],), daemon=True, name="warm").start()
    app.extensions["kb_emergency"] = EmergencyFile(settings.corpus)
    app.extensions["kb_sources"] = {source.id: source for source in load_sources(settings.corpus)}

    from web import admin, answers, api, errors, filters, health, pages, ratelimit, security

    app.register_blueprint(health.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    errors.init_app(app)
    security.init_app(app)
    filters.init_app(app)
    ratelimit.init_app(app, settings.rate_limit)
    admin.init_app(app)
    answers.init_app(app, settings.answer_cache_mb)
    return app
