"""What every view needs from the core: the index handle, sources, and checked parameters."""

from __future__ import annotations

from datetime import date

from flask import current_app
from werkzeug.exceptions import BadRequest

from kb.corpus_config.emergency import EmergencyFile
from kb.model import READING_LEVELS, SECTION_KINDS, Source
from kb.search.results import Library
from kb.index.handle import IndexHandle

MAX_PAGE_RESULTS = 30  # sections fetched for one results page (grouped into about ten articles)


def index() -> IndexHandle:
    return current_app.extensions["kb_index"]


def emergency() -> EmergencyFile:
    """The corpus's red-flag list (re-read when librarians edit it)."""
    return current_app.extensions["kb_emergency"]


def source(source_id: str) -> Source:
    """The source's registry entry; an unknown id still gets a readable name."""
    return Library(sources=current_app.extensions["kb_sources"]).source(source_id)


def kind_arg(value: str | None) -> str | None:
    """Validate ``kind=``: empty means all kinds; an unknown one is the reader's error (400)."""
    if not value:
        return None
    if value not in SECTION_KINDS:
        raise BadRequest(f"unknown section kind {value[:40]!r}; choose one of: {', '.join(SECTION_KINDS)}")
    return value


def level_arg(value: str | None) -> str | None:
    """Validate ``level=`` (a reading level): empty means every level; an unknown one is a 400."""
    if not value:
        return None
    if value not in READING_LEVELS:
        raise BadRequest(f"unknown reading level {value[:40]!r}; choose one of: {', '.join(READING_LEVELS)}")
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


def symptoms_arg(args) -> str:
    """The reader's symptoms: ``q`` (a free-text list) and/or one ``s`` per form field."""
    fields = [value.strip() for value in args.getlist("s")[:20] if value and value.strip()]
    parts = ([args.get("q", "")] if args.get("q", "").strip() else []) + fields
    return "\n".join(parts)[:4000]


def drop_arg(args) -> tuple[str, ...]:
    """Parts of a description the reader removed (one ``drop=`` each, from the chips' links)."""
    return tuple(value.strip()[:200] for value in args.getlist("drop")[:20] if value and value.strip())


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
    return Library(sources=current_app.extensions["kb_sources"], today=today()).overdue(source_id, reviewed, updated)


def library() -> Library:
    """The registry, the red-flag list in force and today's date, as the results page needs them."""
    return Library(sources=current_app.extensions["kb_sources"], emergency=emergency().current(), today=today())


def flag_arg(value: str | None) -> bool:
    """``fresh=1`` style switches: 1/true/yes/on are on, anything else off."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on")
