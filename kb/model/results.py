"""What search returns: hits, article groups and the answer to one query. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.model.reading import reading_of


@dataclass
class Hit:
    """One matching section. ``snippet`` is safe HTML: escaped text and <mark> tags only."""

    article_id: str
    title: str
    section_id: str
    heading: str
    kind: str
    score: float
    snippet: str
    url: str
    source: str = ""
    path: str = ""          # corpus file the section came from (for evaluation runs)
    section_number: int = 0  # its top-level section's position in that file
    original_url: str = ""   # the page's own address, as the source published it (untrusted: check before linking)
    updated: str | None = None
    reviewed: str | None = None
    reviewed_by: list[str] = field(default_factory=list)
    grade: float | None = None  # reading grade (None: too short to judge)

    @property
    def reading(self) -> dict | None:
        """``{"grade", "level", "label"}`` of the section, or None (``kb.model.reading``)."""
        return reading_of(self.grade)

    def to_dict(self) -> dict:
        """The stable JSON shape of one result (``source``, dates, reviewers and reading level
        are additions other tools may ignore)."""
        return {"article_id": self.article_id, "title": self.title, "section_id": self.section_id,
                "heading": self.heading, "kind": self.kind, "score": self.score, "snippet": self.snippet,
                "url": self.url, "source": self.source, "updated": self.updated, "reviewed": self.reviewed,
                "reviewed_by": list(self.reviewed_by), "reading": self.reading}


@dataclass
class ArticleGroup:
    """Hits of one article, best first, for pages that group results by article."""

    article_id: str
    title: str
    source: str
    hits: list[Hit]


@dataclass
class SearchPage:
    """The answer to one query: the hits best first, plus what the page needs to explain them."""

    query: str
    total: int
    results: list[Hit]
    kind: str | None = None
    message: str = ""
    intent: str | None = None  # the section kind the query asked for, shown first
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # {"kind": {...}, "source": {...}}
    source: str | None = None
    level: str | None = None       # the reading level filtered on (easy, fairly-easy, difficult)
    also_searched: list[str] = field(default_factory=list)  # synonyms searched too
    suggestion: str | None = None  # "Did you mean …": a spelling correction, not yet searched
    corrected: str | None = None   # the correction that was searched because the query found nothing
    description: bool = False      # the query was read as a description of what the reader feels
    understood: list[dict] = field(default_factory=list)  # {text, matched_terms, words, negated} per part
    explanations: dict[str, dict] = field(default_factory=dict)  # article id → why it ranks there

    def to_dict(self) -> dict:
        """The stable JSON shape (query, total, results) plus what explains the results."""
        return {
            "query": self.query,
            "total": self.total,
            "results": [hit.to_dict() for hit in self.results],
            "intent": self.intent,
            "also_searched": self.also_searched,
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "facets": self.facets,
            "filters": {"kind": self.kind, "source": self.source, "level": self.level},
            "message": self.message,
            "description": self.description,
            "understood": self.understood,
            "explanations": self.explanations,
        }

    def grouped(self) -> list[ArticleGroup]:
        """Group hits by article, articles ordered by their best hit."""
        groups: dict[str, ArticleGroup] = {}
        for hit in self.results:
            group = groups.get(hit.article_id)
            if group is None:
                group = groups[hit.article_id] = ArticleGroup(hit.article_id, hit.title, hit.source, [])
            group.hits.append(hit)
        return list(groups.values())
