"""What the indexer extracts: sources, articles, sections and their kinds. No I/O here.

Only this module (with ``kinds.py``) feeds the extractor version: editing a results class
never makes the indexer read every page again."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kb.model.reading import reading_of

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
    prevalence: str = ""                 # how common its conditions are, as librarians know it: "rare", "common" or ""

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
    grade: float | None = None  # reading grade, as the index stores it (None: not measured, or too short)

    @property
    def reading(self) -> dict | None:
        """``{"grade", "level", "label"}`` of the section, or None (``kb.model.reading``)."""
        return reading_of(self.grade)

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
    warnings: list[str] = field(default_factory=list)  # what an editor should check (e.g. a fallback read)

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
