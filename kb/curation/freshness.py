"""Freshness: is an article's last review older than its source allows?

A source may set ``review_months`` (its review policy). An article is "may be out of date"
when its last review — or, lacking one, its last update — is older than that many months
on the given day; an article with no date at all under a policy is out of date too.
"""

from __future__ import annotations

from datetime import date


def months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def reference_date(reviewed: str | None, updated: str | None) -> date | None:
    for text in (reviewed, updated):
        if text:
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                continue
    return None


def overdue_months(reviewed: str | None, updated: str | None, review_months: int, today: date) -> int | None:
    """How many months past its source's policy an article is (None: within policy or no policy)."""
    if not review_months:
        return None
    when = reference_date(reviewed, updated)
    if when is None:
        return review_months  # undated under a policy: treat as a full period overdue
    age = months_between(when, today)
    return age - review_months if age > review_months else None
