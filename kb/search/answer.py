"""The answer card: for "what is X", "symptoms of X", "treatment for X" …, when one article
clearly matches, the first part of its section of that kind, verbatim, above the results.

Nothing is generated: the card is corpus text, cut at a line or sentence end, with a link
to read on. "Clearly" means the query names the article (a topic word is in its title or
other names) and its best section outscores the next article's by a margin.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.search.intent import detect_intent
from kb.model import SearchPage
from kb.search.query import terms_of
from kb.index.handle import IndexHandle

CLEAR_MARGIN = 1.3    # the top article's best section must outscore the next article's by this factor
ANSWER_CHARS = 600    # how much of the section the card shows


@dataclass
class Answer:
    article_id: str
    title: str
    heading: str
    kind: str
    text: str          # plain corpus text (lines; list items start with "- "); escape when rendering
    url: str           # the section on the article page
    truncated: bool

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def first_part(text: str, limit: int = ANSWER_CHARS) -> tuple[str, bool]:
    """The section's opening lines up to ``limit`` characters, never cutting a sentence."""
    if len(text) <= limit:
        return text, False
    kept: list[str] = []
    size = 0
    for line in text.splitlines():
        if size + len(line) > limit:
            if not kept:  # one long paragraph: cut at the last sentence end inside the limit
                cut = max(line.rfind(". ", 0, limit), line.rfind("? ", 0, limit), line.rfind("! ", 0, limit))
                kept.append(line[: cut + 1] if cut > 0 else line[:limit].rsplit(" ", 1)[0] + " …")
            break
        kept.append(line)
        size += len(line)
    return "\n".join(kept), True


def answer_card(page: SearchPage, index: IndexHandle) -> Answer | None:
    """The card for this results page, or None when the query asks no kind or no article is clear."""
    if not page.intent or not page.results or page.kind:
        return None
    groups = page.grouped()
    best = groups[0].hits[0]
    if best.kind != page.intent:
        return None
    if len(groups) > 1 and groups[1].hits[0].score * CLEAR_MARGIN > best.score:
        return None
    topic = set(terms_of(detect_intent(page.corrected or page.query).topic))
    with index.searcher() as searcher:
        fields = searcher.document(section_id=best.section_id)
    if not fields:
        return None
    names = set(terms_of(fields.get("title", "") + " " + (fields.get("aliases") or "")))
    if not topic & names:
        return None
    text, truncated = first_part(fields.get("body", ""))
    return Answer(article_id=best.article_id, title=best.title, heading=best.heading, kind=best.kind,
                  text=text, url=best.url, truncated=truncated)
