"""Answer a reader's query: safe parsing, field boosts, kind filter, <mark> snippets.

Queries are never handed to Whoosh's query-language parser: a reader's text is
only ever words and "quoted phrases", so stray quotes, parentheses, ``AND``,
``*`` or ``field:`` cannot raise errors or change the meaning. Words are OR-ed
(a question never needs every word to match) and scored with BM25F, so the
sections that hold more of the words, and hold them in the title or heading,
come first.
"""

from __future__ import annotations

import html
import re
import unicodedata

from whoosh import query as q
from whoosh.highlight import ContextFragmenter, HtmlFormatter, get_text

from kb.config import Settings
from kb.models import SECTION_KINDS, Hit, SearchPage
from kb.schema import text_analyzer
from kb.store import IndexHandle

MAX_QUERY_CHARS = 500  # longer input is cut here: nobody types more, and it bounds the work
MAX_LIMIT = 100
SEARCH_FIELDS = ("title", "heading", "body")
SNIPPET_CHARS = 240
RERANK_DEPTH = 50  # hits re-scored by coverage; deeper costs time, and the tail rarely moves up
COVERAGE_FLOOR = 0.3
PAIR_BOOST = 0.5
ARTICLE_WEIGHTS = (1.0, 0.5, 0.25)  # an article's best, second and third sections make its score

_ANALYZER = text_analyzer()
_PHRASE = re.compile(r'"([^"]+)"')


class MarkFormatter(HtmlFormatter):
    """Wrap matched words in a bare ``<mark>``; Whoosh escapes all text around them.
    Fragments cut from the middle of a section get an ellipsis on the cut side."""

    def format_token(self, text, token, replace=False):
        return "<mark>%s</mark>" % self._text(get_text(text, token, replace))

    def format_fragment(self, fragment, replace=False):
        body = super().format_fragment(fragment, replace=replace).strip()
        before = "… " if fragment.startchar > 0 else ""
        after = " …" if fragment.endchar < len(fragment.text) else ""
        return before + body + after

    def format(self, fragments, replace=False):
        # Two fragments cut at the same gap would show "… …".
        return super().format(fragments, replace=replace).replace("… …", "…")


def flatten(body: str) -> str:
    """One line of text for a snippet: list items become "• item" inline."""
    return " ".join("• " + line[2:] if line.startswith("- ") else line for line in body.splitlines())


def clean_query(raw: str) -> str:
    """Drop control characters and surplus whitespace, and cap the length."""
    raw = raw or ""
    kept = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in raw[: MAX_QUERY_CHARS * 4])
    return " ".join(kept.split())[:MAX_QUERY_CHARS]


def terms_of(text: str) -> list[str]:
    """Analyse text exactly as the index does (tokens, stop words, stems)."""
    return [token.text for token in _ANALYZER(text)]


def build_query(text: str) -> tuple[q.Query | None, list[str]]:
    """Turn reader text into a Whoosh query over title, heading and body.

    Returns the query (None if no word is left) and the distinct analysed words,
    which ``coverage`` later checks each hit against.
    """
    phrases = [terms_of(match) for match in _PHRASE.findall(text)]
    words = list(dict.fromkeys(terms_of(_PHRASE.sub(" ", text)) + [w for p in phrases for w in p]))
    clauses: list[q.Query] = [q.Or([q.Term(field, word) for field in SEARCH_FIELDS]) for word in words]
    for phrase in phrases:
        if len(phrase) > 1:
            # A quoted phrase scores its words, plus a bonus where they stand together.
            clauses.append(q.Or([q.Phrase(field, phrase, boost=2.0) for field in SEARCH_FIELDS]))
    loose = list(dict.fromkeys(terms_of(_PHRASE.sub(" ", text))))
    for pair in zip(loose, loose[1:]):
        # Neighbouring words found together ("side … face" in "one side of the face", stop
        # words aside) are better evidence than the same words scattered.
        clauses.append(q.Phrase("body", list(pair), boost=PAIR_BOOST))
    if not clauses:
        return None, []
    return q.Or(clauses), words


def coverage(hit, words: list[str]) -> float:
    """Share of the reader's words that this section (its title, heading or body) contains."""
    matched = {text.decode("utf-8") if isinstance(text, bytes) else text for _field, text in hit.matched_terms()}
    return sum(1 for word in words if word in matched) / len(words)


def rank_score(bm25: float, covered: float) -> float:
    """BM25 alone favours a short section repeating one word; scaling by coverage puts the
    sections that answer the whole question first ("eyelid twitching one side face")."""
    return bm25 * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * covered ** 2)


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


def _fallback_snippet(text: str) -> str:
    """The section's opening words, for a hit that matched only the title or heading."""
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(text, quote=False)


def search(
    text: str,
    *,
    index: IndexHandle | None = None,
    settings: Settings | None = None,
    limit: int = 10,
    kind: str | None = None,
    per_article: int = 3,
) -> SearchPage:
    """Return the best-matching sections for a reader's query, best first.

    ``index`` is a long-lived handle (the web app keeps one); without it the
    index in ``settings.data`` (default: the configured data directory) is opened.
    ``kind`` restricts results to one section kind; ``per_article`` caps how many
    sections of one article are returned, so one long article cannot fill the page. Raises ``ValueError`` for an
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
            return _search(searcher, cleaned, limit, kind, per_article)
    finally:
        if own_handle:
            index.close()


def _search(searcher, cleaned: str, limit: int, kind: str | None, per_article: int) -> SearchPage:
    query, words = build_query(cleaned)
    if query is None:
        message = "Type a few words about a condition, a symptom or a treatment." if not cleaned else \
            "Those words are too common to search for on their own; try naming a symptom or a condition."
        return SearchPage(query=cleaned, total=0, results=[], kind=kind, message=message)
    kind_filter = q.Term("kind", kind) if kind else None
    results = searcher.search(query, limit=max(limit, RERANK_DEPTH), filter=kind_filter, terms=True)
    results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    results.formatter = MarkFormatter(between=" ")
    scored = [(rank_score(hit.score, coverage(hit, words)), hit) for hit in results]
    hits = []
    for score, hit in order_by_article(scored, per_article)[:limit]:
        body = flatten(hit.get("body", ""))
        snippet = hit.highlights("body", text=body, top=2) or _fallback_snippet(body)
        hits.append(Hit(
            article_id=hit["article_id"],
            title=hit["title"],
            section_id=hit["section_id"],
            heading=hit["heading"],
            kind=hit["kind"],
            score=round(score, 4),
            snippet=snippet,
            url=f"/articles/{hit['article_id']}#{hit['anchor']}",
            source=hit.get("source", ""),
        ))
    message = "" if hits else "No sections match those words. Try other words for the symptom or the condition."
    return SearchPage(query=cleaned, total=len(results), results=hits, kind=kind, message=message)
