"""Turn the many ways pages write dates into ISO 8601 (``YYYY-MM-DD``)."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str | None, order: str = "MDY") -> str | None:
    """Return the first date found in ``text`` as ``YYYY-MM-DD``, or None.

    All-numeric dates like 03/04/2023 are ambiguous: ``order`` says how to read them,
    "MDY" (the US convention, the default) or "DMY". A first number over 12 settles it.
    """
    if not text:
        return None
    if m := _ISO.search(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTH_DAY_YEAR.search(text):
        return _make(int(m[3]), _MONTHS[m[1].lower()[:3]], int(m[2]))
    if m := _DAY_MONTH_YEAR.search(text):
        return _make(int(m[3]), _MONTHS[m[2].lower()[:3]], int(m[1]))
    if m := _NUMERIC.search(text):
        first, second = int(m[1]), int(m[2])
        if order == "DMY" or first > 12:
            first, second = second, first
        return _make(int(m[3]), first, second)
    return None
