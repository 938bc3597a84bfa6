"""The zero-result log: searches that found nothing are counted in the catalogue, so librarians
see what readers look for and the corpus lacks. Only the normalised query text, a count and
when it was first and last seen are kept — no address, no cookie, nothing about the reader.
A catalogue that cannot be written never fails the reader's request."""

from __future__ import annotations

import logging
import sqlite3
import time

from flask import current_app

from kb import catalogue
from kb.errors import KBError

log = logging.getLogger(__name__)


def record(query: str) -> None:
    """Count ``query`` as a search that found nothing."""
    if not query.strip() or current_app.config.get("KB_LOG_ZERO_RESULTS") is False:
        return
    settings = current_app.config["KB_SETTINGS"]
    try:
        db = catalogue.connect(settings.data)
        try:
            catalogue.record_zero_result(db, query, time.time())
        finally:
            db.close()
    except (sqlite3.Error, OSError, KBError) as exc:
        log.warning("could not log a zero-result query: %s", exc)
