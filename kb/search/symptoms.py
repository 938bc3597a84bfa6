"""Symptom search: which conditions' symptoms sections describe what the reader feels.

A reader lists symptoms ("eyelid twitching, one side of the face, worse when tired").
Each symptom is matched on its own against the sections of kind ``symptoms`` (their
subsections inherit the kind), with the same words, stems, synonyms and typo correction
as normal search. A symptom is *covered* by a condition when one of its symptoms sections
holds most of the symptom's weight; rare words weigh more than common ones, so "one side of
the face" needs "side" and "face", while "pain" alone covers little.

Conditions are ranked by how many of the reader's symptoms they cover, then by how
strongly; a symptom that many conditions cover counts for less. Every covered symptom
carries its evidence (a highlighted passage of the section, with a link to it).
Nothing here diagnoses: the page says so, and red flags come first.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np

from kb.config import Settings
from kb.corpus_config.emergency import EmergencyFile, advice
from kb.search.query import clean_query, plan_query
from kb.search.ranking import score_concepts
from kb.index.schema import fold
from kb.search.snippets import snippet
from kb.search.spelling import correct
from kb.index.handle import IndexHandle
from kb.search.urls import article_url, section_url

MAX_SYMPTOMS = 8          # more than this is a story, not a list; the rest is ignored (and said so)
MAX_SYMPTOM_CHARS = 120
COVERED = 0.5             # share of a symptom's weight its symptoms sections must hold to cover it
PARTIAL = 0.25            # below this share an article does not hold the symptom at all
PARTIAL_CREDIT = 0.5      # a partly held symptom orders conditions, at this weight, but is not "covered"
COMMON_DISCOUNT = 0.5     # a symptom every condition covers counts this much less
DEFAULT_LIMIT = 10
NOTICE = ("This list shows which articles describe symptoms like yours. It is not a diagnosis: "
          "many conditions share symptoms, and only a doctor who examines you can tell what is wrong. "
          "See a doctor if you are worried or your symptoms are severe, new or getting worse.")

# "and" joins two symptoms, except inside these (and inside multi-word synonyms such as
# "pins and needles", read from the synonym file).
_KEPT_AND = ("on and off", "off and on", "back and forth", "in and out", "up and down", "now and then",
             "aches and pains", "hot and cold", "sick and tired", "coming and going", "comes and goes")
_SEPARATORS = re.compile(r"[,;\n•·|]+|\s+(?:and|plus|also|&)\s+|\.\s+", re.IGNORECASE)


def split_symptoms(text: str, keep: tuple[str, ...] = ()) -> list[str]:
    """Split a reader's list into symptoms: commas, semicolons, new lines, "and", "plus"…"""
    text = (text or "").replace("\r", "\n")
    protected = sorted({*_KEPT_AND, *keep}, key=len, reverse=True)
    lowered = text.lower()
    for phrase in protected:
        start = lowered.find(phrase)
        while start != -1:
            joined = phrase.replace(" and ", "\x00")
            text = text[:start] + joined + text[start + len(phrase):]
            lowered = text.lower()
            start = lowered.find(phrase, start + len(joined))
    pieces = []
    for piece in _SEPARATORS.split(text):
        piece = " ".join(piece.replace("\x00", " and ").split()).strip(" .-:")
        if piece and piece.lower() not in (p.lower() for p in pieces):
            pieces.append(piece[:MAX_SYMPTOM_CHARS])
    return pieces


@dataclass
class Evidence:
    """How one of the reader's symptoms fares against one condition."""

    symptom: str
    covered: bool
    strength: float = 0.0          # 0–1: how fully and how strongly the section holds it
    snippet: str = ""              # safe HTML: escaped text and <mark> only
    section_id: str = ""
    heading: str = ""
    url: str = ""


@dataclass
class Condition:
    """One article whose symptoms sections cover some of the reader's symptoms."""

    article_id: str
    title: str
    source: str
    url: str
    covered: int
    total: int
    score: float
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if self.covered == 0:  # ranked after every condition that covers one, on shared words alone
            return f"shares some words with your symptoms but covers none of the {self.total} fully"
        return f"matches {self.covered} of your {self.total} symptom{'s' if self.total != 1 else ''}"


@dataclass
class SymptomPage:
    """The answer to a symptom search."""

    query: str
    symptoms: list[str]
    conditions: list[Condition]
    red_flags: list[str] = field(default_factory=list)
    urgent: str = ""                # the urgent-care advice when a red flag was named
    ignored: list[str] = field(default_factory=list)   # symptoms beyond MAX_SYMPTOMS
    unknown: list[str] = field(default_factory=list)   # symptoms no article describes
    corrected: dict[str, str] = field(default_factory=dict)  # symptom → the spelling searched
    notice: str = NOTICE
    message: str = ""

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "symptoms": self.symptoms,
            "red_flags": self.red_flags,
            "urgent": self.urgent,
            "notice": self.notice,
            "message": self.message,
            "ignored": self.ignored,
            "unknown": self.unknown,
            "corrected": self.corrected,
            "conditions": [{**asdict(c), "summary": c.summary} for c in self.conditions],
        }


@dataclass
class _Match:
    """One symptom against one section."""

    coverage: float
    score: float
    docnum: int


def symptom_search(text: str, *, index: IndexHandle | None = None, settings: Settings | None = None,
                   limit: int = DEFAULT_LIMIT, emergency: EmergencyFile | None = None) -> SymptomPage:
    """Rank conditions by how well their symptoms sections cover the reader's symptoms.

    ``index`` is a long-lived handle (the web app keeps one); without it the index of
    ``settings`` is opened. ``emergency`` is the red-flag list (default: the corpus's).
    """
    settings = settings or Settings.load()
    cleaned = clean_query(text.replace("\n", ", ")) if text else ""
    own_handle = index is None
    index = index or IndexHandle.for_settings(settings)
    emergency = emergency or EmergencyFile(settings.corpus)
    try:
        with index.session() as (searcher, stats):
            synonyms = index.synonyms.current()
            keep = tuple(term for group in synonyms.groups for term in group.terms if " and " in term)
            symptoms = split_symptoms(text[:4000] if text else "", keep)
            page = SymptomPage(query=cleaned, symptoms=symptoms[:MAX_SYMPTOMS], conditions=[],
                               ignored=symptoms[MAX_SYMPTOMS:])
            page.red_flags = emergency.current().match(" , ".join(symptoms))
            if page.red_flags:
                page.urgent = advice(page.red_flags)
            if not page.symptoms:
                page.message = "List what you feel, separated by commas: for example “eyelid twitching, worse when tired”."
                return page
            _rank(page, searcher, stats, synonyms, limit)
            return page
    finally:
        if own_handle:
            index.close()


def _rank(page: SymptomPage, searcher, stats, synonyms, limit: int) -> None:
    reader = searcher.reader()
    symptom_docs = stats.mask("kind", "symptoms")
    sections = int(symptom_docs.sum()) or 1
    article_of: dict[int, str] = {}
    per_symptom: list[dict[str, _Match]] = []
    words_of: list[list[str]] = []
    for symptom in page.symptoms:
        plan = plan_query(symptom, synonyms)
        suggestion = correct(symptom, reader, synonyms, fold)
        if suggestion:
            page.corrected[symptom] = suggestion
            plan = plan_query(suggestion, synonyms)
        words_of.append(plan.words)
        best: dict[str, _Match] = {}
        if plan.concepts:
            scored = score_concepts(stats, reader, plan.concepts)
            docs = [int(d) for d in np.flatnonzero(scored.matched() & symptom_docs)]
            scores = {d: float(scored.scores[d]) for d in docs}
            masks = {d: int(scored.masks[d]) for d in docs}
            # A concept's weight is its rarity among symptoms sections; one found in none
            # (a word only other kinds of section use) cannot tell conditions apart.
            frequency = [sum(1 for d in docs if masks[d] >> bit & 1) for bit in range(len(plan.concepts))]
            weights = [math.log(1 + sections / f) if f else 0.0 for f in frequency]
            whole = sum(weights)
            # An article's symptoms section and its subsections describe the symptom together:
            # coverage counts the concepts any of them holds; the evidence is the section
            # holding most of it.
            held_by: dict[str, int] = {}
            for docnum in docs:
                if docnum not in article_of:
                    article_of[docnum] = searcher.stored_fields(docnum)["article_id"]
                article = article_of[docnum]
                held_by[article] = held_by.get(article, 0) | masks[docnum]
                section = sum(w for bit, w in enumerate(weights) if masks[docnum] >> bit & 1)
                current = best.get(article)
                if current is None or (section, scores[docnum]) > (current.coverage, current.score):
                    best[article] = _Match(section, scores[docnum], docnum)
            for article, match in best.items():
                held = sum(w for bit, w in enumerate(weights) if held_by[article] >> bit & 1)
                match.coverage = held / whole if whole else 0.0
        per_symptom.append(best)
        if not any(m.coverage >= COVERED for m in best.values()):
            page.unknown.append(symptom)

    # Candidates: every article holding part of a symptom. Covered symptoms rank first;
    # partial ones still order the rest (a long phrase is rarely held word for word).
    articles = {article for best in per_symptom for article, m in best.items() if m.coverage >= PARTIAL}
    covering = [sum(1 for m in best.values() if m.coverage >= COVERED) for best in per_symptom]
    ranked = []
    for article in articles:
        covered, score = 0, 0.0
        for best, sharing in zip(per_symptom, covering):
            match = best.get(article)
            if match is None or match.coverage < PARTIAL:
                continue
            top = max(m.score for m in best.values())
            strength = match.coverage * (match.score / top)
            if match.coverage >= COVERED:
                covered += 1
                strength *= 1 - COMMON_DISCOUNT * (sharing - 1) / max(1, len(articles) - 1)
            else:
                strength *= PARTIAL_CREDIT
            score += strength
        ranked.append((covered, score, article))
    ranked.sort(key=lambda item: (-item[0], -item[1], item[2]))
    for covered, score, article in ranked[:limit]:
        page.conditions.append(_explain(article, covered, score, page.symptoms, per_symptom, words_of, searcher))
    if not page.conditions:
        page.message = ("No article describes these symptoms. Try other words for them, or fewer at a time — "
                        "and see a doctor if you are worried.")


def _explain(article: str, covered: int, score: float, symptoms: list[str], per_symptom: list[dict[str, _Match]],
             words_of: list[list[str]], searcher) -> Condition:
    evidence = []
    first = None
    for symptom, best, words in zip(symptoms, per_symptom, words_of):
        match = best.get(article)
        if match is None or match.coverage < COVERED:
            evidence.append(Evidence(symptom=symptom, covered=False))
            continue
        fields = searcher.stored_fields(match.docnum)
        first = first or fields
        top = max(m.score for m in best.values())
        evidence.append(Evidence(
            symptom=symptom, covered=True, strength=round(match.coverage * match.score / top, 3),
            snippet=snippet(fields, words), section_id=fields["section_id"], heading=fields["heading"],
            url=section_url(fields['article_id'], fields['anchor'])))
    if first is None:  # nothing covered: name the article from its best partial match
        docnum = next(best[article].docnum for best in per_symptom if article in best)
        first = searcher.stored_fields(docnum)
    fields = first
    return Condition(article_id=article, title=fields.get("title", article), source=fields.get("source", ""),
                     url=article_url(article), covered=covered, total=len(symptoms), score=round(score, 4),
                     evidence=evidence)
