"""The readers' HTML pages. Each calls the same ``kb`` function as its JSON twin."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from kb.search.articles import get_article, kind_counts, list_articles, related_articles, sections_of_kind
from kb.model import KIND_LABELS, READING_LABELS, READING_LEVELS, SECTION_KINDS
from kb.search.query import plan_query
from kb.search.symptoms import symptom_search
from kb.search.results import results_page
from kb.search.urls import safe_url
from web import access, answers, gaps

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """The search box, browsing A–Z and by section kind."""
    index = access.index()
    counts = kind_counts(index)
    return render_template("home.html", articles=list_articles(index),
                           kinds=[(k, KIND_LABELS[k], counts[k]) for k in SECTION_KINDS if counts.get(k)])


@bp.get("/search")
@answers.cached
def results():
    """Results for ``q``, grouped by article (ten a page), each section linking to its anchor."""
    query = request.args.get("q", "")
    kind = access.kind_arg(request.args.get("kind"))
    source = access.source_arg(request.args.get("source"))
    level = access.level_arg(request.args.get("level"))
    fresh = access.flag_arg(request.args.get("fresh"))
    number = access.page_arg(request.args.get("page"))
    drop = access.drop_arg(request.args)
    found = results_page(query, index=access.index(), library=access.library(), kind=kind, source=source,
                         level=level, number=number, fresh_only=fresh, drop=drop)
    if number == 1 and not found.page.results:
        gaps.record(found.page.query)
    sources = {source_id: access.source(source_id).name for source_id in found.page.facets.get("source", {})}
    return render_template("results.html", found=found, page=found.page, groups=found.groups, kind=kind,
                           source=source, level=level, drop=list(drop), hpo=hpo_credit(found.page.understood),
                           kinds=SECTION_KINDS, kind_labels=KIND_LABELS, source_names=sources,
                           levels=READING_LEVELS, level_labels=READING_LABELS)


@bp.get("/kinds/<kind>")
def kind(kind: str):
    """Every article's sections of one kind ("all treatment sections")."""
    if kind not in SECTION_KINDS:
        abort(404, description="There is no such kind of section.")
    return render_template("kind.html", kind=kind, label=KIND_LABELS[kind],
                           sections=sections_of_kind(access.index(), kind))


@bp.get("/articles/<article_id>")
def article(article_id: str):
    """One cleaned article: contents, anchored sections, provenance, the reader's search words
    marked (``q=``, when arriving from a search) and related articles."""
    index = access.index()
    found = get_article(index, article_id) if len(article_id) <= 200 else None
    if found is None:
        abort(404, description="There is no article at this address.")
    top = min(section.level for section in found.sections)
    query = request.args.get("q", "")[:500]
    words = frozenset(plan_query(query).words) if query else frozenset()
    source = access.source(found.source)
    original = safe_url(found.url)
    return render_template("article.html", article=found, top_level=top, source=source, original_url=original,
                           overdue=access.overdue(found.source, found.reviewed, found.updated),
                           kind_labels=KIND_LABELS, words=words, query=query,
                           related=related_articles(index, found), jsonld=structured_data(found, source, original))


def structured_data(article, source, original_url: str) -> dict:
    """schema.org JSON-LD for an article page (rendered with ``tojson``: <, > and & escaped)."""
    data = {"@context": "https://schema.org", "@type": "MedicalWebPage", "name": article.title,
            "about": {"@type": "MedicalCondition", "name": article.title}}
    if article.aliases:
        data["about"]["alternateName"] = article.aliases
    if article.reviewed:
        data["lastReviewed"] = article.reviewed
    if article.reviewed_by:
        data["reviewedBy"] = [{"@type": "Person", "name": name} for name in article.reviewed_by]
    if article.updated:
        data["dateModified"] = article.updated
    if article.published:
        data["datePublished"] = article.published
    if original_url:
        data["isBasedOn"] = original_url
    data["publisher"] = {"@type": "Organization", "name": source.name}
    return data


@bp.get("/symptoms")
@answers.cached
def symptoms():
    """Symptom search: conditions whose symptoms sections cover what the reader lists."""
    query = access.symptoms_arg(request.args)
    drop = access.drop_arg(request.args)
    page = symptom_search(query, index=access.index(), emergency=access.emergency(), drop=drop) if query else None
    if page is not None and page.symptoms and not page.conditions:
        gaps.record(page.query)
    return render_template("symptoms.html", page=page, query=query, fields=request.args.getlist("s"), drop=list(drop),
                           hpo=hpo_credit(page.understood if page else []))


def hpo_credit(understood: list[dict]) -> str:
    """The Human Phenotype Ontology's acknowledgement, with its version, when it named a sign."""
    if not any(part.get("matched_terms") for part in understood):
        return ""
    from kb.corpus_config.vocabulary import hpo_vocabulary

    return f"Lay and medical names of signs from the Human Phenotype Ontology (version {hpo_vocabulary().version})."
