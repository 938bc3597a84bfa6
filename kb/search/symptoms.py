"""Symptom search: which conditions' articles describe what the reader feels.

A reader lists symptoms ("eyelid twitching, one side of the face, worse when tired") or tells
them ("for a week my knees ache and I've had a fever, no rash"). Three steps, one function each:

- **reading** (``read_symptoms``): a list is split on commas, lines and "and"; a story is read by
  ``kb.search.describe`` (story dropped, negation kept). Each symptom keeps its analysed words
  (typos corrected from the index's vocabulary) and the HPO phenotypes it names.
- **scoring** (``kb.search.conditions.rank_articles``): whole articles, because most condition
  pages describe their signs inside an overview; symptoms sections weigh most, passing mentions
  in treatment or causes least; lay and medical names meet through the synonym groups and HPO;
  a common condition comes before a rare one when the evidence is similar.
- **presenting** (``_explain``): a symptom is *covered* when the article holds most of its
  weight (rare words weigh more), shown with ✓ and the passage behind it, linked to its section.

Nothing here diagnoses: the page says so, and red flags come first.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np

from kb.config import Settings
from kb.corpus_config.emergency import EmergencyFile, advice
from kb.corpus_config.synonyms import Synonyms
from kb.corpus_config.vocabulary import hpo_vocabulary
from kb.search.conditions import COVERED, article_table, rank_articles, rarity_note, section_evidence
from kb.search.describe import Item, is_description, negates, protect, restore, sign_words, understand
from kb.search.description import correct_items
from kb.search.evidence import RESCORED, Passages, ordered, rescored
from kb.search.query import clean_query
from kb.search.snippets import snippet
from kb.index.handle import IndexHandle
from kb.search.urls import article_url, section_url

MAX_SYMPTOMS = 12         # more than this is searched only in part (and said so)
MAX_SYMPTOM_CHARS = 120
DEFAULT_LIMIT = 10
NOTICE = ("This list shows which articles describe symptoms like yours. It is not a diagnosis: "
          "many conditions share symptoms, and only a doctor who examines you can tell what is wrong. "
          "See a doctor if you are worried or your symptoms are severe, new or getting worse.")

_SEPARATORS = re.compile(r"[,;\n•·|]+|\s+(?:and|plus|also|&)\s+|\.\s+", re.IGNORECASE)


def split_symptoms(text: str, keep: tuple[str, ...] = ()) -> list[str]:
    """Split a reader's list into symptoms: commas, semicolons, new lines, "and", "plus"…"""
    pieces = []
    for piece in _SEPARATORS.split(protect((text or "").replace("\r", "\n"), keep)):
        piece = " ".join(restore(piece).split()).strip(" .-:")
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
    rare: str = ""                  # "rare condition (…)" when the article says so, else ""
    named_by: list[str] = field(default_factory=list)  # titles of the best matches that name it (why it ranks here)
    about_a_sign: bool = False      # its page is about one of the reader's signs (weighed less)

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
    negated: list[str] = field(default_factory=list)   # what the reader said they do not have
    read: list = field(default_factory=list, repr=False)  # the understood items (not part of the JSON)
    understood: list[dict] = field(default_factory=list)  # {text, matched_terms, words, negated} per part
    also_searched: list[str] = field(default_factory=list)

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
            "negated": self.negated,
            "understood": self.understood,
            "also_searched": self.also_searched,
            "conditions": [{**asdict(c), "summary": c.summary} for c in self.conditions],
        }


def symptom_search(text: str, *, index: IndexHandle | None = None, settings: Settings | None = None,
                   limit: int = DEFAULT_LIMIT, emergency: EmergencyFile | None = None,
                   drop: tuple[str, ...] = ()) -> SymptomPage:
    """Rank conditions by how well their articles describe the reader's symptoms.

    ``index`` is a long-lived handle (the web app keeps one); without it the index of
    ``settings`` is opened. ``emergency`` is the red-flag list (default: built-in + the corpus's);
    ``drop`` leaves out symptoms the reader removed from what was understood.
    """
    settings = settings or Settings.load()
    cleaned = clean_query(text.replace("\n", ", ")) if text else ""
    own_handle = index is None
    index = index or IndexHandle.for_settings(settings)
    emergency = emergency or EmergencyFile(settings.corpus)
    try:
        with index.session() as (searcher, stats):
            synonyms = index.synonyms.current()
            page = SymptomPage(query=cleaned, symptoms=[], conditions=[])
            page.red_flags = emergency.current().match(text[:4000].replace("\n", " , ") if text else "")
            if page.red_flags:
                page.urgent = advice(page.red_flags)
            items = read_symptoms(page, text[:4000] if text else "", searcher.reader(), synonyms, drop)
            if not page.symptoms:
                page.message = page.message or ("List what you feel, separated by commas: for example "
                                                "“eyelid twitching, worse when tired”.")
                return page
            ranked = rank_articles(searcher, stats, items, limit=limit, synonyms=synonyms,
                                   prevalence=index.prevalence)
            page.understood = [item.to_dict() for item in page.read]  # after ranking: it names what was searched
            _explain(page, items, ranked, searcher, stats, limit, index.prevalence)
            return page
    finally:
        if own_handle:
            index.close()


def read_symptoms(page: SymptomPage, text: str, reader, synonyms: Synonyms, drop: tuple[str, ...] = ()) -> list[Item]:
    """What the reader feels, as understood items; fills the page's symptoms, corrections and negations."""
    removed = {part.casefold().strip() for part in drop}
    vocabulary = hpo_vocabulary()
    keep = synonyms.joined_terms
    if is_description(text) and not _is_list(text):
        items = understand(text, vocabulary, keep)
    else:
        items = []
        for piece in split_symptoms(text, keep):
            words = sign_words(piece)
            if words:
                items.append(Item(piece, words, negates(piece), vocabulary.match(words)))
    items = [item for item in items if item.text.casefold().strip() not in removed]
    page.read = items
    page.understood = [item.to_dict() for item in items]
    page.negated = [item.text for item in items if item.negated]
    wanted = [item for item in items if not item.negated]
    page.ignored = [item.text for item in wanted[MAX_SYMPTOMS:]]
    wanted = wanted[:MAX_SYMPTOMS]
    page.corrected.update(correct_items(wanted, reader, synonyms))
    page.symptoms = [item.text for item in wanted]
    if items and not wanted:
        page.message = ("You told us only what you do not have. Add what you do feel — for example "
                        "“headache and a stiff neck” — to find conditions that fit.")
    return wanted


def _is_list(text: str) -> bool:
    """Commas or lines between short pieces: a list, even when it says "I" ("itchy rash, I sneeze")."""
    pieces = [p for p in re.split(r"[,;\n]+", text) if p.strip()]
    return len(pieces) >= 2 and max(len(p.split()) for p in pieces) <= 8


def _explain(page: SymptomPage, items: list[Item], ranked, searcher, stats, limit: int,
             prevalence: dict[str, str]) -> None:
    """Each ranked condition with a ✓ or ✗ per symptom and the passage behind each ✓: a symptom its
    article holds most of, in a section whose text shows it (``kb.search.evidence``). The
    conditions shown are ordered again by the symptoms their passages show."""
    table = article_table(searcher.reader(), stats)
    nothing = np.zeros(len(table.ids))
    shares = [ranked.shares.get(number, nothing) for number in range(len(items))]
    evidence = [section_evidence(searcher, stats, [c for c in ranked.concepts if c.item == number])
                for number in range(len(items))]
    covers = {code: [bool(share[code] >= COVERED) for share in shares] for code in ranked.codes}
    passages = Passages(searcher, stats, table, items, ranked.concepts)  # the ✓ is read in the passage
    for (article_id, title, score), code in zip(ranked.articles[:limit], ranked.codes):
        docs = table.sections(code)
        condition = Condition(article_id=article_id, title=title, url=article_url(article_id), covered=0,
                              total=len(items), score=round(score, 4), rare=rarity_note(table, code, prevalence),
                              named_by=ranked.named_by.get(code, []), about_a_sign=code in ranked.echoed,
                              source=searcher.stored_fields(int(docs[0])).get("source", "") if len(docs) else "")
        for number, (item, sections) in enumerate(zip(items, evidence)):
            best = passages.first_showing(number, ordered(docs, sections)) if covers[code][number] else None
            if best is None:
                condition.evidence.append(Evidence(symptom=item.text, covered=False))
                continue
            fields = searcher.stored_fields(best)
            words = [w for c in ranked.concepts if c.item == number for ws, _ in c.alternatives for w in ws]
            condition.covered += 1
            condition.evidence.append(Evidence(
                symptom=item.text, covered=True, strength=round(float(shares[number][code]), 3),
                snippet=snippet(fields, words), section_id=fields["section_id"], heading=fields["heading"],
                url=section_url(fields["article_id"], fields["anchor"])))
        if len(page.conditions) < RESCORED:
            condition.score = round(rescored(score, condition.covered, len(ranked.held.get(code, [])), len(items)), 4)
        page.conditions.append(condition)
    # The first RESCORED, ordered again by the symptoms their passages show (whatever the limit).
    page.conditions[:RESCORED] = sorted(page.conditions[:RESCORED], key=lambda condition: -condition.score)
    page.also_searched = ranked.also_searched
    page.unknown = [item.text for number, item in enumerate(items)
                    if not any(c.evidence[number].covered for c in page.conditions)]
    if not page.conditions:
        page.message = ("No article describes these symptoms. Try other words for them, or fewer at a time — "
                        "and see a doctor if you are worried.")
