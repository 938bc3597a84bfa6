"""Autocomplete: article titles and section headings that start with what the reader typed.

The candidate list is built once per index generation (titles, aliases and headings —
not the generic ones like "Symptoms"; a heading shared by several articles is offered
as a search) and searched in memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from urllib.parse import quote

from kb.model import KIND_LABELS
from kb.index.schema import fold
from kb.index.handle import IndexHandle
from kb.search.urls import article_url, section_url



# Words of the headings that articles share by design; such a heading suggests nothing.
GENERIC_WORDS = frozenset(
    "a an and at can call causes common diagnosis doctor does factors get getting happen help home how is it likely "
    "living more options outlook overview prevention prognosis risk see self-care signs symptoms that the tips to "
    "treatment treatments what when who why with your you medicines surgery".split()
)


@dataclass(frozen=True)
class Suggestion:
    text: str      # what to show and search
    url: str       # where choosing it leads
    kind: str      # "article" or "section"
    detail: str = ""  # the article a section belongs to

    def to_dict(self) -> dict:
        return {"text": self.text, "url": self.url, "type": self.kind, "detail": self.detail}


def _norm(text: str) -> str:
    return " ".join(fold(text.lower()).replace("’", "'").split())


_cache: dict[str, tuple[str, list[tuple[str, int, Suggestion]]]] = {}
_lock = threading.Lock()


def _entries(index: IndexHandle) -> list[tuple[str, int, Suggestion]]:
    with index.session() as (searcher, stats):
        key = str(index.index_dir)
        generation = str(id(stats))
        with _lock:
            cached = _cache.get(key)
        if cached and cached[0] == generation:
            return cached[1]
        entries: list[tuple[str, int, Suggestion]] = []
        headings: dict[str, set[str]] = {}
        sections: list[dict] = []
        for fields in searcher.all_stored_fields():
            if fields.get("position") == 0:
                url = article_url(fields['article_id'])
                entries.append((_norm(fields["title"]), 0, Suggestion(fields["title"], url, "article")))
                for alias in (fields.get("aliases") or "").split("; "):
                    if alias:
                        entries.append((_norm(alias), 1, Suggestion(alias, url, "article", fields["title"])))
            headings.setdefault(_norm(fields["heading"]), set()).add(fields["article_id"])
            sections.append(fields)
        generic = {_norm(label) for label in KIND_LABELS.values()} | set(KIND_LABELS)
        offered: set[str] = set()
        for fields in sections:
            normal = _norm(fields["heading"])
            if normal in generic or normal == _norm(fields["title"]) or normal in offered:
                continue
            if len(headings[normal]) > 1 and set(normal.replace("?", "").split()) <= GENERIC_WORDS:
                continue  # "Common symptoms", "Treatments that can help": every article has one
            if len(headings[normal]) == 1:
                url = section_url(fields['article_id'], fields['anchor'])
                entries.append((normal, 2, Suggestion(fields["heading"], url, "section", fields["title"])))
            else:  # the same heading in several articles: offer it as a search
                offered.add(normal)
                entries.append((normal, 3, Suggestion(fields["heading"], f"/search?q={quote(fields['heading'])}", "search")))
        entries.sort(key=lambda entry: (entry[1], entry[0]))
        with _lock:
            _cache[key] = (generation, entries)
        return entries


def suggest(index: IndexHandle, prefix: str, limit: int = 8) -> list[Suggestion]:
    """Titles first, then aliases, then headings; whole-text prefix matches before word matches."""
    wanted = _norm(prefix)[:100]
    if len(wanted) < 2:
        return []
    starts, inside = [], []
    for normal, _rank, suggestion in _entries(index):
        if normal.startswith(wanted):
            starts.append(suggestion)
        elif f" {wanted}" in f" {normal}":
            inside.append(suggestion)
        if len(starts) >= limit:
            break
    seen: set[str] = set()
    found = []
    for suggestion in starts + inside:
        if suggestion.url not in seen:
            seen.add(suggestion.url)
            found.append(suggestion)
    return found[:limit]
