"""One results page, shared by ``/search`` and its JSON twin ``/api/search``: the search,
article-by-article pagination, the answer card and the urgent-care card."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.search.answer import Answer, answer_card
from kb.curation.duplicates import SKETCH_SIZE, sketch_similarity
from kb.corpus_config.emergency import advice
from kb.model import ArticleGroup, SearchPage
from kb.search.query import MAX_LIMIT, search
from web import access, gaps

PER_PAGE = 10  # articles per results page
SAME_ARTICLE = 0.8  # estimated text similarity above which two sources carry the same article


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
class ResultSet:
    page: SearchPage
    groups: list[ArticleGroup]        # this page's articles
    number: int                       # 1-based page number
    pages: int                        # how many pages the matching articles fill
    articles: int                     # articles among the best sections
    answer: Answer | None = None
    red_flags: list[str] = field(default_factory=list)
    provenance: dict[str, Provenance] = field(default_factory=dict)  # by article id
    fresh_only: bool = False
    also_published: dict[str, list[str]] = field(default_factory=dict)  # article id → other sources' names

    @property
    def urgent(self) -> str:
        return advice(self.red_flags) if self.red_flags else ""


def provenance(hit) -> Provenance:
    source = access.source(hit.source)
    return Provenance(source_name=source.name, trust=source.trust, attribution=source.attribution,
                      original_url=access.safe_url(hit.original_url), reviewed=hit.reviewed, updated=hit.updated,
                      reviewed_by=hit.reviewed_by, overdue_months=access.overdue(hit.source, hit.reviewed, hit.updated))


def collapse_copies(groups: list[ArticleGroup], manifest: dict[str, dict]) -> tuple[list[ArticleGroup], dict]:
    """Show one copy of an article that several sources publish: the best-ranked one stays,
    the others are dropped and their sources listed ("also published by …")."""
    kept: list[ArticleGroup] = []
    also: dict[str, list[str]] = {}
    sets: dict[str, frozenset[int]] = {}

    def same(mine: list[int], other: ArticleGroup) -> bool:
        theirs = manifest.get(other.article_id, {}).get("sketch") or []
        if not theirs:
            return False
        # Cheap bound first: the estimate can reach the threshold only if the sketches share that many values.
        a = sets.setdefault(other.article_id, frozenset(theirs))
        shared = len(a.intersection(mine))
        if shared < SAME_ARTICLE * min(SKETCH_SIZE, len(a) + len(mine) - shared):
            return False
        return sketch_similarity(mine, theirs) >= SAME_ARTICLE

    for group in groups:
        mine = manifest.get(group.article_id, {}).get("sketch")
        twin = next((k for k in kept if k.source != group.source and same(mine, k)), None) if mine else None
        if twin is None:
            kept.append(group)
        elif group.source not in also.setdefault(twin.article_id, []):
            also[twin.article_id].append(group.source)
    return kept, also


def results(query: str, kind: str | None, source: str | None, number: int, fresh_only: bool = False) -> ResultSet:
    """Search, group by article and cut out page ``number`` (beyond the last page: empty).
    ``fresh_only`` leaves out articles past their source's review policy."""
    start = (number - 1) * PER_PAGE
    page = search(query, index=access.index(), limit=MAX_LIMIT, kind=kind, source=source,
                  snippet_articles=None if fresh_only else (start, start + PER_PAGE))
    groups, also = collapse_copies(page.grouped(), access.index().manifest())
    if fresh_only:
        groups = [group for group in groups
                  if access.overdue(group.source, group.hits[0].reviewed, group.hits[0].updated) is None]
    pages = max(1, -(-len(groups) // PER_PAGE))
    chosen = groups[start: start + PER_PAGE]
    answer = answer_card(page, access.index()) if number == 1 else None
    if number == 1 and not page.results:
        gaps.record(page.query)
    return ResultSet(page=page, groups=chosen, number=number, pages=pages, articles=len(groups), answer=answer,
                     red_flags=access.emergency().current().match(page.query), fresh_only=fresh_only,
                     provenance={group.article_id: provenance(group.hits[0]) for group in chosen},
                     also_published={group.article_id: [access.source(s).name for s in also.get(group.article_id, [])]
                                     for group in chosen})
