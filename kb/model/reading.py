"""How hard a section is to read, as readers are told: three bands of the reading grade the
indexer measures (``indexer/readability.py``, Flesch–Kincaid). No I/O here.

The index stores each section's band for the ``level=`` filter, so this module feeds the
extractor version: moving a cut-off makes the next ``kb index`` read every page again.
"""

from __future__ import annotations

READING_LEVELS: tuple[str, ...] = ("easy", "fairly-easy", "difficult")

READING_LABELS: dict[str, str] = {
    "easy": "Easy to read",
    "fairly-easy": "Fairly easy",
    "difficult": "Difficult",
}

# Plain-language advice for health information asks for school grade 8 or below; grade 13
# and above is college reading.
EASY_BELOW = 9.0
DIFFICULT_FROM = 13.0


def reading_level(grade: float | None) -> str | None:
    """The band of a reading grade; None for a section too short to judge."""
    if grade is None:
        return None
    if grade < EASY_BELOW:
        return "easy"
    return "fairly-easy" if grade < DIFFICULT_FROM else "difficult"


def reading_of(grade: float | None) -> dict | None:
    """The JSON shape of a section's reading level: ``{"grade", "level", "label"}``, or None."""
    level = reading_level(grade)
    if level is None:
        return None
    return {"grade": grade, "level": level, "label": READING_LABELS[level]}
