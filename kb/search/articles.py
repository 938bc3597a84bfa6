"""Read whole articles back out of the index (the index is the one store of cleaned text)."""

from __future__ import annotations

from whoosh import query as q

from kb.model import Article, Section
from kb.index.handle import IndexHandle
from kb.search.urls import section_url

MAX_SECTIONS = 1000  # far more than any article has; bounds the work for a hostile corpus


def get_article(index: IndexHandle, article_id: str) -> Article | None:
    """Return the article with its sections in reading order, or None if there is no such id."""
    with index.searcher() as searcher:
        docs = [hit.fields() for hit in searcher.search(q.Term("article_id", article_id), limit=MAX_SECTIONS,
                                                         sortedby="position")]
    if not docs:
        return None
    first = docs[0]
    return Article(
        id=article_id,
        title=first["title"],
        source=first.get("source", ""),
        path=first.get("path", ""),
        url=first.get("url", ""),
        language=first.get("language", ""),
        authors=list(first.get("authors") or []),
        reviewed_by=list(first.get("reviewed_by") or []),
        published=first.get("published"),
        updated=first.get("updated"),
        reviewed=first.get("reviewed"),
        aliases=[a for a in (first.get("aliases") or "").split("; ") if a],
        sections=[Section(heading=d["heading"], level=d.get("level", 2), kind=d["kind"],
                          anchor=d["anchor"], text=d.get("body", ""), grade=d.get("grade")) for d in docs],
    )


def list_articles(index: IndexHandle) -> list[dict]:
    """Return ``{"id", "title", "source"}`` for every article, sorted by title."""
    seen: dict[str, dict] = {}
    with index.searcher() as searcher:
        for fields in searcher.documents(position=0):
            seen[fields["article_id"]] = {"id": fields["article_id"], "title": fields["title"],
                                          "source": fields.get("source", "")}
    return sorted(seen.values(), key=lambda a: (a["title"].casefold(), a["id"]))


def sections_of_kind(index: IndexHandle, kind: str) -> list[dict]:
    """Every article's sections of one kind (browse by kind), by article title then reading order."""
    with index.searcher() as searcher:
        found = [{"article_id": f["article_id"], "title": f["title"], "heading": f["heading"],
                  "section_id": f["section_id"], "url": section_url(f['article_id'], f['anchor']),
                  "position": f.get("position", 0)}
                 for f in searcher.documents(kind=kind)]
    found.sort(key=lambda s: (s["title"].casefold(), s["article_id"], s["position"]))
    for item in found:
        del item["position"]
    return found


def kind_counts(index: IndexHandle) -> dict[str, int]:
    """How many articles have at least one section of each kind."""
    counts: dict[str, set[str]] = {}
    with index.searcher() as searcher:
        for fields in searcher.documents():
            counts.setdefault(fields["kind"], set()).add(fields["article_id"])
    return {kind: len(ids) for kind, ids in counts.items()}


def related_articles(index: IndexHandle, article: Article, limit: int = 5) -> list[dict]:
    """Other articles that share the most with this one's title and overview words."""
    from kb.search.query import search

    overview = next((s.text for s in article.sections if s.kind == "overview"), "")
    words = " ".join([article.title, *article.aliases, overview[:160]])
    page = search(words, index=index, limit=40, per_article=1, snippets=False)
    related = []
    for hit in page.results:
        if hit.article_id != article.id and all(r["id"] != hit.article_id for r in related):
            related.append({"id": hit.article_id, "title": hit.title})
        if len(related) == limit:
            break
    return related
