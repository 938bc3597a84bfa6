"""What every view needs from the core: the index handle, sources, and checked parameters."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.exceptions import BadRequest

from kb.corpus_config.emergency import EmergencyFile
from kb.curation.freshness import overdue_months
from kb.model import SECTION_KINDS, Source
from kb.index.store import IndexHandle

MAX_PAGE_RESULTS = 30  # sections fetched for one results page (grouped into about ten articles)


def index() -> IndexHandle:
    return current_app.extensions["kb_index"]


def emergency() -> EmergencyFile:
    """The corpus's red-flag list (re-read when librarians edit it)."""
    return current_app.extensions["kb_emergency"]


def source(source_id: str) -> Source:
    """The source's registry entry; an unknown id still gets a readable name."""
    return current_app.extensions["kb_sources"].get(source_id) or Source(id=source_id, name=source_id)


def kind_arg(value: str | None) -> str | None:
    """Validate ``kind=``: empty means all kinds; an unknown one is the reader's error (400)."""
    if not value:
        return None
    if value not in SECTION_KINDS:
        raise BadRequest(f"unknown section kind {value[:40]!r}; choose one of: {', '.join(SECTION_KINDS)}")
    return value


def source_arg(value: str | None) -> str | None:
    """Validate ``source=``: empty means every source; an unknown one is the reader's error (400)."""
    if not value:
        return None
    if value not in current_app.extensions["kb_sources"] and value != "local":
        raise BadRequest(f"unknown source {value[:40]!r}")
    return value


def limit_arg(value: str | None, default: int = 10, maximum: int = 100) -> int:
    """Validate ``limit=`` as a whole number from 1 to ``maximum``."""
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest("limit must be a whole number") from None
    if not 1 <= number <= maximum:
        raise BadRequest(f"limit must be between 1 and {maximum}")
    return number


def safe_url(url: str | None) -> str:
    """Return the page's original address only if it is plain http(s): scraped pages are
    untrusted, and a ``javascript:`` link must never reach a reader."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else ""


def symptoms_arg(args) -> str:
    """The reader's symptoms: ``q`` (a free-text list) and/or one ``s`` per form field."""
    fields = [value.strip() for value in args.getlist("s")[:20] if value and value.strip()]
    parts = ([args.get("q", "")] if args.get("q", "").strip() else []) + fields
    return "\n".join(parts)[:4000]


def page_arg(value: str | None) -> int:
    """Validate ``page=`` (results pages are numbered from 1)."""
    if value in (None, ""):
        return 1
    try:
        number = int(value)
    except ValueError:
        raise BadRequest("page must be a whole number") from None
    if not 1 <= number <= 1000:
        raise BadRequest("page must be between 1 and 1000")
    return number


def today() -> date:
    """The day freshness is judged on (``KB_TODAY`` in the app config pins it for tests)."""
    pinned = current_app.config.get("KB_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


def overdue(source_id: str, reviewed: str | None, updated: str | None) -> int | None:
    """Months past its source's review policy (None: fresh, or the source has no policy)."""
    return overdue_months(reviewed, updated, source(source_id).review_months, today())


def flag_arg(value: str | None) -> bool:
    """``fresh=1`` style switches: 1/true/yes/on are on, anything else off."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")
