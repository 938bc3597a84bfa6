"""The readers' HTML pages. Each calls the same ``kb`` function as its JSON twin."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from kb.articles import get_article, list_articles
from kb.emergency import advice
from kb.models import KIND_LABELS, SECTION_KINDS
from kb.query import search
from kb.symptoms import symptom_search
from web import access

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """The search box and every article, A–Z."""
    return render_template("home.html", articles=list_articles(access.index()))


@bp.get("/search")
def results():
    """Results for ``q``, grouped by article, each section linking to its anchor."""
    query = request.args.get("q", "")
    kind = access.kind_arg(request.args.get("kind"))
    source = access.source_arg(request.args.get("source"))
    page = search(query, index=access.index(), limit=access.MAX_PAGE_RESULTS, kind=kind, source=source)
    sources = {source_id: access.source(source_id).name for source_id in page.facets.get("source", {})}
    red_flags = access.emergency().current().match(query)
    return render_template("results.html", page=page, groups=page.grouped(), kind=kind, source=source,
                           urgent=advice(red_flags) if red_flags else "",
                           kinds=SECTION_KINDS, kind_labels=KIND_LABELS, source_names=sources)


@bp.get("/articles/<article_id>")
def article(article_id: str):
    """One cleaned article with its table of contents, source and dates."""
    found = get_article(access.index(), article_id) if len(article_id) <= 200 else None
    if found is None:
        abort(404, description="There is no article at this address.")
    top = min(section.level for section in found.sections)
    return render_template("article.html", article=found, top_level=top, source=access.source(found.source),
                           original_url=access.safe_url(found.url), kind_labels=KIND_LABELS)


@bp.get("/symptoms")
def symptoms():
    """Symptom search: conditions whose symptoms sections cover what the reader lists."""
    query = access.symptoms_arg(request.args)
    page = symptom_search(query, index=access.index(), emergency=access.emergency()) if query else None
    return render_template("symptoms.html", page=page, query=query, fields=request.args.getlist("s"))
