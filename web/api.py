"""JSON twins of the pages: the same ``kb`` calls, rendered as data."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from kb.articles import get_article, list_articles
from kb.emergency import advice
from kb.query import search
from kb.symptoms import symptom_search
from kb.suggest import suggest
from web import access

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search_json():
    """Best-matching sections for ``q`` (``limit``, ``kind`` optional), best first."""
    page = search(request.args.get("q", ""), index=access.index(),
                  limit=access.limit_arg(request.args.get("limit")),
                  kind=access.kind_arg(request.args.get("kind")),
                  source=access.source_arg(request.args.get("source")))
    red_flags = access.emergency().current().match(page.query)
    return jsonify({**page.to_dict(), "red_flags": red_flags, "urgent": advice(red_flags) if red_flags else ""})


@bp.get("/symptoms")
def symptoms_json():
    """Conditions whose symptoms sections cover the symptoms in ``q`` (or repeated ``s``)."""
    page = symptom_search(access.symptoms_arg(request.args), index=access.index(),
                          limit=access.limit_arg(request.args.get("limit")), emergency=access.emergency())
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
    data["url"] = access.safe_url(article.url)
    data["source_name"] = access.source(article.source).name
    return jsonify(data)
