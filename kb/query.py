"""Answer a reader's query: safe parsing, intent, field boosts, coverage, article grouping.

Queries are never handed to Whoosh's query-language parser: a reader's text is
only ever words and "quoted phrases", so stray quotes, parentheses, ``AND``,
``*`` or ``field:`` cannot raise errors or change the meaning. Words are OR-ed
(a question never needs every word to match) and scored with BM25F over title,
heading and body. The best hits are then re-ranked in Python:

- coverage: a section holding all of the reader's topic words beats one repeating one;
- intent: "how is X treated" multiplies the score of treatment sections (a boost, not a filter);
- articles: hits are grouped by article, articles ordered by their best few sections.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as q

from kb.config import Settings
from kb.intent import detect_intent
from kb.models import SECTION_KINDS, Hit, SearchPage
from kb.schema import fold, text_analyzer
from kb.snippets import prepare, snippet
from kb.store import IndexHandle

MAX_QUERY_CHARS = 500  # longer input is cut here: nobody types more, and it bounds the work
MAX_LIMIT = 100
SEARCH_FIELDS = ("title", "heading", "body")
RERANK_DEPTH = 50      # hits re-scored in Python; deeper costs time, and the tail rarely moves up
COVERAGE_FLOOR = 0.3
PAIR_BOOST = 0.5       # neighbouring topic words found together
KIND_BOOST = 2.0       # score factor for sections of the kind the query asks for
KIND_QUERY_BOOST = 1.0 # added in the engine so those sections reach the re-ranked top
ARTICLE_WEIGHTS = (1.0, 0.5, 0.25)  # an article's best, second and third sections make its score

_ANALYZER = text_analyzer()
_PHRASE = re.compile(r'"([^"]+)"')


@dataclass
class Plan:
    """What will be searched for one query, and what the page should say about it."""

    words: list[str]                       # analysed topic words, each must-count for coverage
    phrases: list[list[str]] = field(default_factory=list)
    intent: str | None = None


def clean_query(raw: str) -> str:
    """Drop control characters and surplus whitespace, and cap the length."""
    raw = raw or ""
    kept = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in raw[: MAX_QUERY_CHARS * 4])
    return " ".join(kept.split())[:MAX_QUERY_CHARS]


def terms_of(text: str) -> list[str]:
    """Analyse text exactly as the index does (tokens, stop words, stems)."""
    return [token.text for token in _ANALYZER(text)]


def plan_query(text: str) -> Plan:
    """Split a query into topic words, quoted phrases and the section kind it asks for."""
    phrases = [words for match in _PHRASE.findall(text) if (words := terms_of(match))]
    loose = _PHRASE.sub(" ", text)
    intent = detect_intent(loose)
    words = terms_of(intent.topic) if intent.kind else []
    if not words:  # the query is only cue words ("symptoms"): search them
        words = terms_of(loose)
    words = list(dict.fromkeys(words + [w for phrase in phrases for w in phrase]))
    return Plan(words=words, phrases=phrases, intent=intent.kind)


def build_query(plan: Plan) -> q.Query | None:
    """The Whoosh query for a plan, or None when no word is left to search."""
    clauses: list[q.Query] = [q.Or([q.Term(f, w) for f in SEARCH_FIELDS]) for w in plan.words]
    for phrase in plan.phrases:
        if len(phrase) > 1:  # a quoted phrase scores its words, plus a bonus where they stand together
            clauses.append(q.Or([q.Phrase(f, phrase, boost=2.0) for f in SEARCH_FIELDS]))
    for pair in zip(plan.words, plan.words[1:]):
        # Neighbouring words found together ("side … face" in "one side of the face", stop
        # words aside) are better evidence than the same words scattered.
        clauses.append(q.Phrase("body", list(pair), boost=PAIR_BOOST))
    if not clauses:
        return None
    query: q.Query = q.Or(clauses)
    if plan.intent:
        query = q.AndMaybe(query, q.Term("kind", plan.intent, boost=KIND_QUERY_BOOST))
    return query


def _word_patterns(words: list[str]) -> list[re.Pattern]:
    # Stems are (nearly always) prefixes of the words they come from: "twitch" → "twitching".
    return [re.compile(r"\b" + re.escape(word)) for word in words]


def coverage(fields: dict, patterns: list[re.Pattern]) -> float:
    """Share of the topic words that a section (title, heading or body) contains."""
    if not patterns:
        return 1.0
    text = fold(" ".join((fields.get("title", ""), fields.get("heading", ""), fields.get("body", ""))).lower())
    return sum(1 for pattern in patterns if pattern.search(text)) / len(patterns)


def rank_score(bm25: float, covered: float, kind_match: bool) -> float:
    """BM25 alone favours a short section repeating one word; scaling by coverage puts the
    sections that answer the whole question first ("eyelid twitching one side face"),
    and the intent factor puts the asked-for kind of section first within an article."""
    score = bm25 * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * covered ** 2)
    return score * KIND_BOOST if kind_match else score


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
    per_article: int = 3,
    snippets: bool = True,
) -> SearchPage:
    """Return the best-matching sections for a reader's query, best first.

    ``index`` is a long-lived handle (the web app keeps one); without it the
    index in ``settings.data`` (default: the configured data directory) is opened.
    ``kind`` restricts results to one section kind; ``per_article`` caps how many
    sections of one article are returned, so one long article cannot fill the page;
    ``snippets=False`` skips highlighting (batch evaluation needs only the ranking). Raises ``ValueError`` for an
    unknown kind, ``IndexMissing``/``IndexOutdated`` when there is no usable index.
    """
    if kind is not None and kind not in SECTION_KINDS:
        raise ValueError(f"unknown section kind {kind!r}; choose one of: {', '.join(SECTION_KINDS)}")
    limit = max(1, min(int(limit), MAX_LIMIT))
    cleaned = clean_query(text)
    own_handle = index is None
    if index is None:
        index = IndexHandle((settings or Settings.load()).index_dir)
    try:
        with index.searcher() as searcher:
            return _search(searcher, cleaned, limit, kind, per_article, snippets)
    finally:
        if own_handle:
            index.close()


def _search(searcher, cleaned: str, limit: int, kind: str | None, per_article: int, snippets: bool) -> SearchPage:
    plan = plan_query(cleaned)
    query = build_query(plan)
    if query is None:
        message = "Type a few words about a condition, a symptom or a treatment." if not cleaned else \
            "Those words are too common to search for on their own; try naming a symptom or a condition."
        return SearchPage(query=cleaned, total=0, results=[], kind=kind, message=message)
    kind_filter = q.Term("kind", kind) if kind else None
    results = searcher.search(query, limit=max(limit, RERANK_DEPTH), filter=kind_filter)
    patterns = _word_patterns(plan.words)
    scored = []
    for hit in results:
        fields = hit.fields()
        scored.append((rank_score(hit.score, coverage(fields, patterns), fields["kind"] == plan.intent), hit))
    if snippets:
        prepare(results)
    hits = []
    for score, hit in order_by_article(scored, per_article)[:limit]:
        hits.append(Hit(
            article_id=hit["article_id"],
            title=hit["title"],
            section_id=hit["section_id"],
            heading=hit["heading"],
            kind=hit["kind"],
            score=round(score, 4),
            snippet=snippet(hit) if snippets else "",
            url=f"/articles/{hit['article_id']}#{hit['anchor']}",
            source=hit.get("source", ""),
            path=hit.get("path", ""),
            section_number=hit.get("number", 0),
        ))
    message = "" if hits else "No sections match those words. Try other words for the symptom or the condition."
    return SearchPage(query=cleaned, total=results.estimated_min_length(), results=hits, kind=kind,
                      message=message, intent=plan.intent)
