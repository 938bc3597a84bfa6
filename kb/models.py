"""Plain data passed between the indexer, the search core and the web app. No I/O here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SECTION_KINDS: tuple[str, ...] = (
    "overview",
    "symptoms",
    "causes",
    "risk-factors",
    "diagnosis",
    "treatment",
    "prevention",
    "living-with",
    "outlook",
    "inheritance",
    "frequency",
    "research",
    "when-to-see-a-doctor",
    "other",
)
"""Every section gets exactly one of these kinds, derived from its heading."""

KIND_LABELS: dict[str, str] = {
    "overview": "Overview",
    "symptoms": "Symptoms",
    "causes": "Causes",
    "risk-factors": "Risk factors",
    "diagnosis": "Diagnosis",
    "treatment": "Treatment",
    "prevention": "Prevention",
    "living-with": "Living with it",
    "outlook": "Outlook",
    "inheritance": "Inheritance",
    "frequency": "How common",
    "research": "Research",
    "when-to-see-a-doctor": "When to see a doctor",
    "other": "Other",
}


TRUST_LEVELS: tuple[str, ...] = ("trusted", "under-review", "retired")
"""How far librarians trust a source: retired sources leave search at the next index run;
under-review ones stay searchable but are labelled."""


@dataclass(frozen=True)
class Source:
    """One publisher of corpus pages, as declared in ``sources.toml``.

    Files belong to a source by ``folder`` (inside the corpus) or, for pages that are
    not in any source's folder, by the domain of their address (``domains``). The
    extraction overrides serve sites that the generic rules get wrong.
    """

    id: str
    name: str
    homepage: str = ""
    licence: str = ""
    folder: str = ""
    domains: tuple[str, ...] = ()
    content_selector: str = ""           # CSS selector of the article's container
    drop_selectors: tuple[str, ...] = ()  # CSS selectors of furniture to remove first
    date_order: str = "MDY"              # how to read 03/04/2023: "MDY" (US) or "DMY"
    attribution: str = ""                # what the licence requires readers to be shown
    trust: str = "trusted"               # one of TRUST_LEVELS
    language: str = ""                   # default language of its pages ("en")
    review_months: int = 0               # review policy: an article older than this may be out of date (0: none)

    def extraction_key(self) -> tuple:
        """The fields that change what is extracted from its pages (not trust, licence, …)."""
        return (self.id, self.folder, self.domains, self.content_selector, self.drop_selectors, self.date_order)


@dataclass
class Section:
    """One part of an article under one heading: the unit that search returns.

    ``text`` keeps the block structure: one block a line, list items start with "- ".
    """

    heading: str
    level: int
    kind: str
    anchor: str
    text: str
    number: int = 0  # position among the article's top-level sections (0: text before the first heading)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Dropped:
    """A block the cleaner removed, with the rule that removed it (for editors)."""

    reason: str
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Article:
    """A cleaned article: metadata plus its sections in reading order."""

    id: str
    title: str
    source: str
    path: str
    url: str = ""
    language: str = ""
    authors: list[str] = field(default_factory=list)
    reviewed_by: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    reviewed: str | None = None
    aliases: list[str] = field(default_factory=list)  # other names of the subject ("also called …")
    sections: list[Section] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Article":
        """Rebuild an article from ``to_dict()`` output (the indexer's extraction cache)."""
        fields = dict(data)
        fields["sections"] = [Section(**section) for section in data.get("sections", [])]
        fields["dropped"] = [Dropped(**dropped) for dropped in data.get("dropped", [])]
        return cls(**fields)


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

    def to_dict(self) -> dict:
        """The stable JSON shape of one result (``source``, dates and reviewers are additions
        other tools may ignore)."""
        return {"article_id": self.article_id, "title": self.title, "section_id": self.section_id,
                "heading": self.heading, "kind": self.kind, "score": self.score, "snippet": self.snippet,
                "url": self.url, "source": self.source, "updated": self.updated, "reviewed": self.reviewed,
                "reviewed_by": list(self.reviewed_by)}


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
    also_searched: list[str] = field(default_factory=list)  # synonyms searched too
    suggestion: str | None = None  # "Did you mean …": a spelling correction, not yet searched
    corrected: str | None = None   # the correction that was searched because the query found nothing

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
            "filters": {"kind": self.kind, "source": self.source},
            "message": self.message,
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
