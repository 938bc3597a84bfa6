"""One results page, shared by ``/search`` and its JSON twin ``/api/search``: the search,
article-by-article pagination, the answer card and the urgent-care card."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.answer import Answer, answer_card
from kb.emergency import advice
from kb.models import ArticleGroup, SearchPage
from kb.query import MAX_LIMIT, search
from web import access, gaps

PER_PAGE = 10  # articles per results page


@dataclass
class ResultSet:
    page: SearchPage
    groups: list[ArticleGroup]        # this page's articles
    number: int                       # 1-based page number
    pages: int                        # how many pages the matching articles fill
    articles: int                     # articles among the best sections
    answer: Answer | None = None
    red_flags: list[str] = field(default_factory=list)

    @property
    def urgent(self) -> str:
        return advice(self.red_flags) if self.red_flags else ""


def results(query: str, kind: str | None, source: str | None, number: int) -> ResultSet:
    """Search, group by article and cut out page ``number`` (beyond the last page: empty)."""
    start = (number - 1) * PER_PAGE
    page = search(query, index=access.index(), limit=MAX_LIMIT, kind=kind, source=source,
                  snippet_articles=(start, start + PER_PAGE))
    groups = page.grouped()
    pages = max(1, -(-len(groups) // PER_PAGE))
    chosen = groups[start: start + PER_PAGE]
    answer = answer_card(page, access.index()) if number == 1 else None
    if number == 1 and not page.results:
        gaps.record(page.query)
    return ResultSet(page=page, groups=chosen, number=number, pages=pages, articles=len(groups), answer=answer,
                     red_flags=access.emergency().current().match(page.query))
