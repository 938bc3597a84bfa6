"""The one place where addresses are made: an article's and a section's page on this site, and
whether a scraped page's own address may be linked at all."""

from __future__ import annotations

from urllib.parse import urlsplit


def article_url(article_id: str) -> str:
    """The article's page on this site."""
    return f"/articles/{article_id}"


def section_url(article_id: str, anchor: str) -> str:
    """A section's place on its article's page."""
    return f"/articles/{article_id}#{anchor}"


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
