"""Answer a reader's query: safe parsing, intent, synonyms, ranking, grouping by article.

A reader's text is only ever words and "quoted phrases": stray quotes, parentheses,
``AND``, ``*`` or ``field:`` cannot raise errors or change the meaning. The query becomes
concepts (a topic word, or a synonym group's members; a quoted phrase), scored with
BM25 over title, aliases, heading and body straight from the postings (``kb.search.ranking``),
then re-ranked:

- coverage: a section holding all of the reader's concepts beats one repeating one;
- intent: "how is X treated" multiplies the score of treatment sections (a boost, not a filter);
- proximity: neighbouring query words standing together in the section;
- articles: hits are grouped by article, articles ordered by their best few sections.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from kb.config import Settings
from kb.search.intent import detect_intent
from kb.model import READING_LEVELS, SECTION_KINDS, Hit, SearchPage
from kb.search.ranking import FACETS, Alternative, Concept, GenerationStats, score_concepts
from kb.index.schema import fold, terms_of
from kb.search.describe import negates
from kb.search.snippets import snippet
from kb.search.spelling import correct
from kb.index.handle import IndexHandle
from kb.corpus_config.synonyms import EMPTY, Synonyms
from kb.search.urls import section_url

MAX_QUERY_CHARS = 500  # longer input is cut here: nobody types more, and it bounds the work
MAX_LIMIT = 100
RERANK_DEPTH = 60      # sections re-ranked and grouped into articles; deeper costs time, the tail rarely moves up
COVERAGE_FLOOR = 0.5   # a section holding none of the other concepts keeps this share of its score
KIND_BOOST = 3.0       # score factor for sections of the kind the query asks for
# Without a question cue ("eyelid twitching on one side of the face", "tarui disease") a
# reader wants to know what it is and how it shows; "when to see a doctor" sections list
# other conditions' warning signs and match descriptions that are not theirs.
DEFAULT_KIND_PRIOR = {"overview": 1.2, "symptoms": 1.2, "when-to-see-a-doctor": 0.8}
PROXIMITY_WEIGHT = 0.5 # extra share of score when all neighbouring query words stand together
PROXIMITY_TEXT = 4000  # characters of a section searched for neighbouring words
ARTICLE_WEIGHTS = (1.0, 0.5, 0.25)  # an article's best, second and third sections make its score

_PHRASE = re.compile(r'"([^"]+)"')


@dataclass
class Plan:
    """What will be searched for one query, and what the page should say about it."""

    concepts: list[Concept]                 # each must count towards coverage
    words: list[str] = field(default_factory=list)  # every analysed word searched (for highlighting)
    intent: str | None = None
    also_searched: list[str] = field(default_factory=list)  # synonyms added, as the file writes them


def clean_query(raw: str) -> str:
    """Drop control characters and surplus whitespace, and cap the length."""
    raw = raw or ""
    kept = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in raw[: MAX_QUERY_CHARS * 4])
    return " ".join(kept.split())[:MAX_QUERY_CHARS]


def plan_query(text: str, synonyms: Synonyms = EMPTY) -> Plan:
    """Split a query into concepts (topic words and their synonyms; a quoted phrase is
    one concept whose words must all occur) and the section kind it asks for."""
    phrases = [words for match in _PHRASE.findall(text) if (words := terms_of(match))]
    loose = _PHRASE.sub(" ", text)
    intent = detect_intent(loose)
    words = terms_of(intent.topic) if intent.kind else []
    if not words:  # the query is only cue words ("symptoms"): search them
        words = terms_of(loose)
    concepts, also = synonyms.concepts(list(dict.fromkeys(words)))
    concepts += [Concept([Alternative(tuple(phrase))]) for phrase in phrases]
    searched = list(dict.fromkeys(w for c in concepts for a in c.alternatives for w in a.words))
    return Plan(concepts=concepts, words=searched, intent=intent.kind, also_searched=also)


@lru_cache(maxsize=4096)
def _pair_pattern(a: str, b: str) -> re.Pattern:
    return re.compile(r"\b" + re.escape(a) + r"\w*(?:\W+\w{1,4}){0,2}\W+" + re.escape(b))


def proximity_patterns(words: list[str]) -> list[tuple[str, str, re.Pattern]]:
    """One pattern per pair of neighbouring topic words, allowing two short words between
    them ("one side of the face" holds "side … face")."""
    return [(a, b, _pair_pattern(a, b)) for a, b in zip(words, words[1:])]


def proximity(fields: dict, patterns: list[tuple[str, str, re.Pattern]]) -> float:
    """Share of neighbouring query words that stand together in the section."""
    if not patterns:
        return 0.0
    text = fold(" ".join((fields.get("title", ""), fields.get("heading", ""),
                          fields.get("body", "")[:PROXIMITY_TEXT])).lower())
    # Both words must be in the text for the pattern to match: a cheap test first.
    return sum(1 for a, b, pattern in patterns if a in text and b in text and pattern.search(text)) / len(patterns)


def order_by_article(scored: list[tuple[float, object]], per_article: int) -> list[tuple[float, object]]:
    """Order hits so each article's sections stay together, articles first by their evidence,
    keeping at most ``per_article`` sections of each.

    An article with several matching sections (overview and symptoms both describing the
    reader's complaint) is a better answer than one whose single section happens to
    share many words with the query.
    """
    by_article: dict[str, list[tuple[float, object]]] = {}
    for score, hit in sorted(scored, key=lambda pair: -pair[0]):
        by_article.setdefault(hit["article_id"], []).append((score, hit))

    def article_score(items: list[tuple[float, object]]) -> float:
        return sum(weight * score for weight, (score, _hit) in zip(ARTICLE_WEIGHTS, items))

    ordered = sorted(by_article.values(), key=lambda items: -article_score(items))
    return [pair for items in ordered for pair in items[:per_article]]


def search(
    text: str,
    *,
    index: IndexHandle | None = None,
    settings: Settings | None = None,
    limit: int = 10,
    kind: str | None = None,
    source: str | None = None,
    level: str | None = None,
    per_article: int = 3,
    snippets: bool = True,
    snippet_articles: tuple[int, int] | None = None,
    describe: bool = True,
    drop: tuple[str, ...] = (),
) -> SearchPage:
    """Return the best-matching sections for a reader's query, best first.

    ``index`` is a long-lived handle (the web app keeps one); without it the
    index in ``settings.data`` (default: the configured data directory) is opened.
    ``kind``, ``source`` and ``level`` restrict results to one section kind, one source or one
    reading level (``kb.model.reading``);
    ``per_article`` caps how many sections of one article are returned, so one long
    article cannot fill the page; ``snippets=False`` skips highlighting (batch
    evaluation needs only the ranking), and ``snippet_articles=(start, stop)`` highlights
    only the hits of those articles in result order (the ones a results page shows).
    A reader's description of what they feel ("my knees ache and I've had a fever") is read
    by ``kb.search.description`` instead (``describe=False`` turns that off); ``drop`` leaves out
    understood parts the reader removed. Raises ``ValueError`` for an unknown kind or level,
    ``IndexMissing``/``IndexOutdated`` when there is no usable index.
    """
    if kind is not None and kind not in SECTION_KINDS:
        raise ValueError(f"unknown section kind {kind!r}; choose one of: {', '.join(SECTION_KINDS)}")
    if level is not None and level not in READING_LEVELS:
        raise ValueError(f"unknown reading level {level!r}; choose one of: {', '.join(READING_LEVELS)}")
    filters = {"kind": kind, "source": source, "level": level}
    limit = max(1, min(int(limit), MAX_LIMIT))
    cleaned = clean_query(text)
    own_handle = index is None
    if index is None:
        index = IndexHandle.for_settings(settings or Settings.load())
    try:
        with index.session() as (searcher, stats):
            synonyms = index.synonyms.current()
            snippets = (snippet_articles or (0, limit)) if snippets else (0, 0)
            from kb.search.description import description_page, reads_as_description

            described = describe and reads_as_description(searcher, stats, cleaned)
            if described or (describe and negates(cleaned)):
                page = description_page(searcher, stats, synonyms, cleaned, limit=limit, filters=filters,
                                        per_article=per_article, snippets=snippets, drop=drop,
                                        only_negations=not described, prevalence=index.prevalence)
                if page is not None:
                    return page
            page = _search(searcher, stats, synonyms, cleaned, limit, filters, per_article, snippets)
            suggestion = correct(cleaned, searcher.reader(), synonyms, fold) if cleaned else None
            if suggestion and not page.results:
                # Nothing found as typed: search the correction, and say so.
                page = _search(searcher, stats, synonyms, suggestion, limit, filters, per_article, snippets)
                page.query, page.corrected = cleaned, suggestion
            elif suggestion:
                page.suggestion = suggestion
            return page
    finally:
        if own_handle:
            index.close()


def facet_counts(stats: GenerationStats, matched: np.ndarray) -> dict[str, dict[str, int]]:
    """How many matching sections each kind, source and reading level has (zero counts left out)."""
    return {name: dict(sorted(stats.counts(name, matched).items(), key=lambda item: (-item[1], item[0])))
            for name in FACETS}


def top_sections(values: np.ndarray, count: int) -> list[int]:
    """The document numbers of the ``count`` highest positive values, best first (ties: the later section first)."""
    candidates = np.flatnonzero(values > 0)
    if len(candidates) > count:
        candidates = candidates[np.argpartition(-values[candidates], count - 1)[:count]]
    order = np.lexsort((-candidates, -values[candidates]))
    return [int(d) for d in candidates[order]]


def hit_of(fields: dict, score: float, marked: str) -> Hit:
    """One result from a section's stored fields."""
    return Hit(article_id=fields["article_id"], title=fields["title"], section_id=fields["section_id"],
               heading=fields["heading"], kind=fields["kind"], score=round(score, 4), snippet=marked,
               url=section_url(fields["article_id"], fields["anchor"]), source=fields.get("source", ""),
               path=fields.get("path", ""), section_number=fields.get("number", 0),
               original_url=fields.get("url", "") or "", updated=fields.get("updated"), reviewed=fields.get("reviewed"),
               reviewed_by=list(fields.get("reviewed_by") or []), grade=fields.get("grade"))


def _search(searcher, stats: GenerationStats, synonyms: Synonyms, cleaned: str, limit: int, filters: dict,
            per_article: int, snippets: tuple[int, int]) -> SearchPage:
    plan = plan_query(cleaned, synonyms)
    if not plan.concepts:
        message = "Type a few words about a condition, a symptom or a treatment." if not cleaned else \
            "Those words are too common to search for on their own; try naming a symptom or a condition."
        return SearchPage(query=cleaned, total=0, results=[], **filters, message=message)
    reader = searcher.reader()
    scored_all = score_concepts(stats, reader, plan.concepts)
    matched = scored_all.matched()
    facets = facet_counts(stats, matched)
    matched = matched & stats.where(**filters)
    priors = {plan.intent: KIND_BOOST} if plan.intent else DEFAULT_KIND_PRIOR
    factor_of_kind = np.array([priors.get(label, 1.0) for label in stats.labels["kind"]] + [1.0])
    full = len(plan.concepts)
    factors = np.array([COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * (n / full) ** 2 for n in range(full + 1)])
    final = np.where(matched, scored_all.scores * factors[scored_all.held] * factor_of_kind[stats.codes["kind"]], 0.0)
    ranked = [(float(final[docnum]), docnum) for docnum in top_sections(final, max(limit, RERANK_DEPTH))]
    pairs = proximity_patterns([c.alternatives[0].words[0] for c in plan.concepts if len(c.alternatives[0].words) == 1])
    scored = []
    for score, docnum in ranked:
        fields = searcher.stored_fields(docnum)
        scored.append((score * (1 + PROXIMITY_WEIGHT * proximity(fields, pairs)), fields))
    hits = []
    articles: dict[str, int] = {}
    for score, fields in order_by_article(scored, per_article)[:limit]:
        position = articles.setdefault(fields["article_id"], len(articles))
        highlight = snippets[0] <= position < snippets[1]
        hits.append(hit_of(fields, score, snippet(fields, plan.words) if highlight else ""))
    message = "" if hits else "No sections match those words. Try other words for the symptom or the condition."
    return SearchPage(query=cleaned, total=int(matched.sum()), results=hits, **filters, message=message,
                      intent=plan.intent, facets=facets, also_searched=plan.also_searched)

