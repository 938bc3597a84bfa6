"""Template detection: a line of text found on many pages of one source is site furniture
(a disclaimer, a promo, a teaser list), whatever markup carried it.

Learnt per source from the pages being indexed, then removed from every page of that
source. Short lines ("- Fever") are never template lines: they recur in real articles.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from indexer.readability import reading_grade
from indexer.sections import prune_empty
from kb.model import Article, Dropped, Section

MIN_PAGES = 4            # a source with fewer pages has no measurable template
SHARE = 0.5              # a line on at least half of a source's pages is template
MIN_LINE_CHARS = 20      # shorter lines recur legitimately (list items, "See a doctor.")
MAX_SAMPLE = 300         # pages a template is learnt from (evenly spread, deterministic)

_PUNCT = re.compile(r"[^\w]+")


def line_key(line: str) -> str:
    """Compare lines by their words only: case, bullets and punctuation aside."""
    return " ".join(_PUNCT.sub(" ", line.lower()).split())


def sample(items: list, limit: int = MAX_SAMPLE) -> list:
    """An evenly spread, order-preserving sample (the same one for the indexer and `kb extract`)."""
    if len(items) <= limit:
        return list(items)
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _page_lines(article: Article) -> set[str]:
    return {key for section in article.sections for line in section.text.splitlines()
            if len(line) >= MIN_LINE_CHARS and (key := line_key(line))}


def learn_template(articles: Iterable[Article]) -> set[str]:
    """Return the line keys that make up a source's template, from its pages."""
    pages = sample(list(articles))
    if len(pages) < MIN_PAGES:
        return set()
    counts = Counter(key for article in pages for key in _page_lines(article))
    threshold = max(MIN_PAGES - 1, SHARE * len(pages))
    return {key for key, count in counts.items() if count >= threshold}


def remove_template(article: Article, template: set[str]) -> Article:
    """Remove template lines from an article; sections left empty go too (their subsections stay)."""
    if not template:
        return article
    sections: list[Section] = []
    for section in article.sections:
        kept = []
        lines = section.text.splitlines()
        for line in lines:
            if len(line) >= MIN_LINE_CHARS and line_key(line) in template:
                article.dropped.append(Dropped(reason="template", text=line if len(line) <= 120 else line[:120] + "…"))
            else:
                kept.append(line)
        section.text = "\n".join(kept)
        if len(kept) != len(lines):
            section.grade = reading_grade(section.text)  # measured at extraction on the text with the lines
        sections.append(section)
    article.sections = prune_empty(sections, lambda s: bool(s.text.strip()))
    return article
