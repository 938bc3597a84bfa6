"""JSON twins of the pages: the same ``kb`` calls, rendered as data."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from kb.search.articles import get_article, list_articles, related_articles, sections_of_kind
from kb.model import KIND_LABELS, SECTION_KINDS
from kb.search.symptoms import symptom_search
from kb.search.suggest import suggest
from kb.search.results import results_page
from kb.search.urls import safe_url
from web import access, answers, gaps, openapi

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
@answers.cached
def search_json():
    """The results page as data: its articles' sections, best first (``page``, ten articles a page),
    or the first ``limit`` sections of the same ranking; ``kind``, ``source``, ``level`` and ``fresh`` optional."""
    limit = request.args.get("limit")
    limit = access.limit_arg(limit) if limit else None
    number = access.page_arg(request.args.get("page"))
    found = results_page(request.args.get("q", ""), index=access.index(), library=access.library(),
                         kind=access.kind_arg(request.args.get("kind")),
                         source=access.source_arg(request.args.get("source")),
                         level=access.level_arg(request.args.get("level")), number=number,
                         fresh_only=access.flag_arg(request.args.get("fresh")), snippet_articles=limit,
                         drop=access.drop_arg(request.args))
    if number == 1 and not found.page.results:
        gaps.record(found.page.query)
    return jsonify(found.to_dict(limit))


@bp.get("/kinds/<kind>")
def kind_json(kind: str):
    """Every article's sections of one kind."""
    if kind not in SECTION_KINDS:
        abort(404, description=f"unknown section kind {kind[:40]!r}")
    return jsonify({"kind": kind, "label": KIND_LABELS[kind], "sections": sections_of_kind(access.index(), kind)})


@bp.get("/openapi.json")
def openapi_json():
    """This API, described in OpenAPI 3."""
    return jsonify(openapi.document())


@bp.get("/symptoms")
@answers.cached
def symptoms_json():
    """Conditions whose symptoms sections cover the symptoms in ``q`` (or repeated ``s``)."""
    page = symptom_search(access.symptoms_arg(request.args), index=access.index(),
                          limit=access.limit_arg(request.args.get("limit")), emergency=access.emergency(),
                          drop=access.drop_arg(request.args))
    if page.symptoms and not page.conditions:
        gaps.record(page.query)
    return jsonify(page.to_dict())


@bp.get("/suggest")
def suggest_json():
    """Titles and headings starting with ``q``, for the search box's autocomplete."""
    found = suggest(access.index(), request.args.get("q", ""), limit=access.limit_arg(request.args.get("limit"), 8, 20))
    return jsonify({"query": request.args.get("q", ""), "suggestions": [s.to_dict() for s in found]})


@bp.get("/articles")
def articles_json():
    """Every article's id, title and source, by title."""
    return jsonify({"articles": list_articles(access.index())})


@bp.get("/articles/<article_id>")
def article_json(article_id: str):
    """One cleaned article with its sections in reading order."""
    article = get_article(access.index(), article_id) if len(article_id) <= 200 else None
    if article is None:
        abort(404, description=f"no article with id {article_id[:80]!r}")
    data = article.to_dict()
    data.pop("dropped")
    data.pop("path")
    data["url"] = safe_url(article.url)
    for section, shown in zip(article.sections, data["sections"]):
        del shown["grade"]
        shown["reading"] = section.reading
    source = access.source(article.source)
    data["source_name"] = source.name
    data["source_trust"] = source.trust
    data["attribution"] = source.attribution
    data["may_be_out_of_date"] = access.overdue(article.source, article.reviewed, article.updated) is not None
    data["related"] = related_articles(access.index(), article)
    return jsonify(data)
