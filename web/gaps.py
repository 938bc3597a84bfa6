"""The zero-result log: searches that found nothing are counted, so librarians see what readers
look for and the corpus lacks. Only the normalised query text and when it was seen are kept —
no address, no cookie, nothing about the reader. On the indexer's host they go to the
catalogue; a replica (a data folder without a catalogue) appends them to its own log file
(``kb.curation.search_log``) and never creates a catalogue. A log that cannot be written
never fails the reader's request."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

from flask import current_app, g

from kb.curation import search_log
from kb.index import catalogue
from kb.errors import KBError

log = logging.getLogger(__name__)
_local = threading.local()  # one catalogue connection per worker thread: opening one costs a checkpoint on close


def _catalogue(data: Path) -> sqlite3.Connection:
    db = getattr(_local, "db", None)
    if db is None or _local.data != data:
        if db is not None:
            db.close()
        _local.db, _local.data = catalogue.connect(data), data
    return _local.db


def record(query: str) -> None:
    """Count ``query`` as a search that found nothing."""
    g.kb_zero_query = query  # an answer cache serving this answer again counts it again
    settings = current_app.config["KB_SETTINGS"]
    if not query.strip() or current_app.config.get("KB_LOG_ZERO_RESULTS") is False \
            or settings.zero_results_log == "off":
        return
    try:
        if settings.zero_results_log or not (settings.data / catalogue.CATALOGUE_FILE).is_file():
            search_log.append(Path(settings.zero_results_log or settings.data / search_log.LOG_FILE), query, time.time())
        else:
            catalogue.record_zero_result(_catalogue(settings.data), query, time.time())
    except (sqlite3.Error, OSError, KBError) as exc:
        _local.db = None  # reconnect next time (the data directory may have been replaced)
        log.warning("could not log a zero-result query: %s", exc)
