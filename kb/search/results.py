"""The page of results: the one answer that ``/search``, ``/api/search`` and ``kb search`` show.

Search, group by article, show one copy of an article that several sources publish, leave out
articles past their review policy when asked, cut out page N, and add what explains the page:
the answer card, the urgent-care card and where each article comes from. The faces differ only
in rendering, so the same query lists the same articles in the same order everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from kb.corpus_config.emergency import BUILT_IN, EmergencyList, advice
from kb.curation.freshness import overdue_months
from kb.index.handle import IndexHandle
from kb.model import ArticleGroup, Hit, SearchPage, Source
from kb.search.answer import Answer, answer_card
from kb.search.query import MAX_LIMIT, search
from kb.search.urls import safe_url

PER_PAGE = 10  # articles per results page
SNIPPET_SLACK = 5  # articles highlighted beyond the page, for copies that collapsing removes before it


@dataclass(frozen=True)
class Library:
    """What a results page needs besides the index: the source registry, the red-flag list
    in force and the day freshness is judged on."""

    sources: Mapping[str, Source] = field(default_factory=dict)
    emergency: EmergencyList = BUILT_IN
    today: date = field(default_factory=date.today)

    def source(self, source_id: str) -> Source:
        """The source's registry entry; an unknown id still gets a readable name."""
        return self.sources.get(source_id) or Source(id=source_id, name=source_id)

    def overdue(self, source_id: str, reviewed: str | None, updated: str | None) -> int | None:
        """Months past its source's review policy (None: fresh, or the source has no policy)."""
        return overdue_months(reviewed, updated, self.source(source_id).review_months, self.today)


@dataclass
class Provenance:
    """Where an article comes from and how recent it is, as a result shows it."""

    source_name: str
    trust: str
    attribution: str
    original_url: str                 # safe to link (http/https only) or empty
    reviewed: str | None
    updated: str | None
    reviewed_by: list[str]
    overdue_months: int | None        # past the source's review policy: "may be out of date"

    def to_dict(self) -> dict:
        return {"source_name": self.source_name, "source_trust": self.trust, "attribution": self.attribution,
                "original_url": self.original_url, "may_be_out_of_date": self.overdue_months is not None}


@dataclass
class ResultsPage:
    """One page of results, grouped by article, with the cards and provenance that explain it."""

    page: SearchPage
    groups: list[ArticleGroup]        # this page's articles
    number: int                       # 1-based page number
    pages: int                        # how many pages the matching articles fill
    articles: int                     # articles among the best sections
    ranked: list[ArticleGroup] = field(default_factory=list)  # every article, collapsed and filtered, best first
    answer: Answer | None = None
    red_flags: list[str] = field(default_factory=list)
    provenance: dict[str, Provenance] = field(default_factory=dict)  # by article id
    fresh_only: bool = False
    also_published: dict[str, list[str]] = field(default_factory=dict)  # article id → other sources' names

    @property
    def urgent(self) -> str:
        return advice(self.red_flags) if self.red_flags else ""

    def hits(self, limit: int | None = None) -> list[Hit]:
        """This page's sections in order; with ``limit``, the first ``limit`` sections of the
        whole ranking instead (the API's ``limit=``)."""
        groups = self.groups if limit is None else self.ranked
        found = [hit for group in groups for hit in group.hits]
        return found if limit is None else found[:limit]

    def to_dict(self, limit: int | None = None) -> dict:
        """The JSON twin of the page (``/api/search`` and ``kb search --json``); ``limit`` as in ``hits``."""
        data = self.page.to_dict()
        data["results"] = [{**hit.to_dict(), **self.provenance[hit.article_id].to_dict(),
                            "also_published_by": self.also_published.get(hit.article_id, [])}
                           for hit in self.hits(limit)]
        data["pagination"] = {"page": self.number, "pages": self.pages, "articles": self.articles,
                              "per_page": PER_PAGE}
        data["red_flags"] = self.red_flags
        data["urgent"] = self.urgent
        data["answer"] = self.answer.to_dict() if self.answer else None
        return data


def provenance_of(hit: Hit, library: Library) -> Provenance:
    source = library.source(hit.source)
    return Provenance(source_name=source.name, trust=source.trust, attribution=source.attribution,
                      original_url=safe_url(hit.original_url), reviewed=hit.reviewed, updated=hit.updated,
                      reviewed_by=hit.reviewed_by, overdue_months=library.overdue(hit.source, hit.reviewed, hit.updated))


def collapse_copies(groups: list[ArticleGroup], related: Mapping[str, frozenset[str]]) -> tuple[list[ArticleGroup], dict]:
    """Show one copy of an article that several sources publish (``related``: the generation's
    copies, ``IndexHandle.copies``): the best-ranked one stays, the others are dropped and their
    sources listed ("also published by …")."""
    kept: list[ArticleGroup] = []
    also: dict[str, list[str]] = {}
    for group in groups:
        near = related.get(group.article_id)
        twin = next((other for other in kept if other.article_id in near and other.source != group.source),
                    None) if near else None
        if twin is None:
            kept.append(group)
        elif group.source not in also.setdefault(twin.article_id, []):
            also[twin.article_id].append(group.source)
    return kept, also


def results_page(query: str, *, index: IndexHandle, library: Library | None = None, kind: str | None = None,
                 source: str | None = None, level: str | None = None, number: int = 1, fresh_only: bool = False,
                 snippet_articles: int | None = None, drop: tuple[str, ...] = ()) -> ResultsPage:
    """Search, group by article and cut out page ``number`` (beyond the last page: empty).

    ``kind``, ``source`` and ``level`` keep only sections of that kind, source or reading level;
    ``fresh_only`` leaves out articles past their source's review policy; ``snippet_articles``
    highlights that many articles from the top instead of this page's (the API's ``limit=``);
    ``drop`` leaves out parts of a description the reader removed from what was understood.
    Raises ``ValueError`` for an unknown kind or level, ``IndexMissing``/``IndexOutdated`` without an index.
    """
    library = library or Library()
    start = (number - 1) * PER_PAGE
    if fresh_only:
        highlight = None  # which articles the filter leaves on this page is known only after it
    elif snippet_articles is not None:
        highlight = (0, snippet_articles + SNIPPET_SLACK)
    else:
        highlight = (start, start + PER_PAGE + SNIPPET_SLACK)
    page = search(query, index=index, limit=MAX_LIMIT, kind=kind, source=source, level=level,
                  snippet_articles=highlight, drop=drop)
    groups, also = collapse_copies(page.grouped(), index.copies())
    if fresh_only:
        groups = [group for group in groups
                  if library.overdue(group.source, group.hits[0].reviewed, group.hits[0].updated) is None]
    chosen = groups[start: start + PER_PAGE]
    shown = chosen if snippet_articles is None else groups[:max(snippet_articles, len(chosen))]
    return ResultsPage(
        page=page, groups=chosen, number=number, pages=max(1, -(-len(groups) // PER_PAGE)), articles=len(groups),
        ranked=groups, answer=answer_card(page, index) if number == 1 else None,
        red_flags=library.emergency.match(page.query), fresh_only=fresh_only,
        provenance={group.article_id: provenance_of(group.hits[0], library) for group in shown},
        also_published={group.article_id: [library.source(s).name for s in also.get(group.article_id, [])]
                        for group in shown})
