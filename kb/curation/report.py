"""The curation report for librarians: what is wrong with the corpus at a glance.

Built from the serving index (what readers see) and the catalogue (file sizes, failures,
the zero-result log): articles with no date or no reviewer, near-duplicate articles within
and across sources, empty or very short sections, pages where extraction kept little of the
page, titles used twice, pages the indexer could only read by a fallback, the articles hardest
to read, and what readers searched for and did not find.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from kb.index import catalogue
from kb.config import Settings, archive_member
from kb.curation import search_log
from kb.curation.duplicates import near_duplicates
from kb.curation.freshness import overdue_months
from kb.corpus_config.sources import load_sources
from kb.index.handle import IndexHandle

SHORT_SECTION_CHARS = 80      # a section shorter than this says almost nothing
LITTLE_KEPT_SHARE = 0.02      # kept text under 2% of the file's bytes …
LITTLE_KEPT_CHARS = 1500      # … and under this many characters: suspect an extraction failure
HARDEST_SHOWN = 10            # articles listed as the hardest to read


@dataclass
class Report:
    articles: int = 0
    stale: list[dict] = field(default_factory=list)
    no_date: list[dict] = field(default_factory=list)
    no_reviewer: list[dict] = field(default_factory=list)
    near_duplicates: list[dict] = field(default_factory=list)
    short_sections: list[dict] = field(default_factory=list)
    little_kept: list[dict] = field(default_factory=list)
    same_title: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    hardest: list[dict] = field(default_factory=list)
    zero_results: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def build_report(settings: Settings, index: IndexHandle | None = None, today: date | None = None,
                 zero_logs: Sequence[Path] = ()) -> Report:
    """The report on the serving index; staleness is judged on ``today`` (default: now).
    ``zero_logs`` are replicas' zero-result logs, counted with the catalogue's (a log in
    the data folder itself always is)."""
    today = today or date.today()
    policies = {source.id: source.review_months for source in load_sources(settings.corpus)}
    own = index is None
    index = index or IndexHandle.for_settings(settings)
    try:
        articles: dict[str, dict] = {}
        manifest = index.manifest()
        with index.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                article = articles.setdefault(fields["article_id"], {
                    "id": fields["article_id"], "title": fields["title"], "source": fields.get("source", ""),
                    "path": fields.get("path", ""), "dated": bool(fields.get("updated") or fields.get("reviewed")
                                                                  or fields.get("published")),
                    "reviewer": bool(fields.get("reviewed_by")), "sections": [],
                    "reviewed": fields.get("reviewed"), "updated": fields.get("updated"), "grades": []})
                if fields.get("grade") is not None:
                    article["grades"].append(fields["grade"])
                article["sections"].append((fields.get("position", 0), fields["heading"], fields.get("body", ""),
                                            fields["section_id"], fields.get("level", 2)))
    finally:
        if own:
            index.close()
    report = Report(articles=len(articles))
    for article_id, entry in sorted(manifest.items()):
        for warning in entry.get("warnings", ()):
            article = articles.get(article_id, {})
            report.warnings.append({"id": article_id, "title": article.get("title", ""), "path": entry.get("path", ""),
                                    "warning": warning})
    for article in sorted(articles.values(), key=lambda a: a["title"].casefold()):
        brief = {"id": article["id"], "title": article["title"], "source": article["source"]}
        late = overdue_months(article["reviewed"], article["updated"], policies.get(article["source"], 0), today)
        if late is not None:
            report.stale.append({**brief, "last_reviewed_or_updated": article["reviewed"] or article["updated"],
                                 "policy_months": policies[article["source"]], "overdue_months": late})
        if not article["dated"]:
            report.no_date.append(brief)
        if not article["reviewer"]:
            report.no_reviewer.append(brief)
        ordered = sorted(article["sections"])
        for n, (_position, heading, body, section_id, level) in enumerate(ordered):
            parent = n + 1 < len(ordered) and ordered[n + 1][4] > level  # a heading over its subsections
            if len(body.strip()) < SHORT_SECTION_CHARS and not parent:
                report.short_sections.append({**brief, "section_id": section_id, "heading": heading,
                                              "chars": len(body.strip())})
    texts = {a["id"]: "\n".join(section[2] for section in sorted(a["sections"])) for a in articles.values()}
    for a, b, similarity in near_duplicates(texts):
        report.near_duplicates.append({"similarity": similarity, "a": articles[a]["id"], "a_source": articles[a]["source"],
                                       "b": articles[b]["id"], "b_source": articles[b]["source"],
                                       "across_sources": articles[a]["source"] != articles[b]["source"]})
    report.stale.sort(key=lambda item: (-item["overdue_months"], item["title"]))
    report.hardest = hardest_to_read(articles.values())
    titles: dict[str, list[str]] = defaultdict(list)
    for article in articles.values():
        titles[" ".join(article["title"].casefold().split())].append(article["id"])
    report.same_title = [{"title": title, "articles": sorted(ids)} for title, ids in sorted(titles.items())
                         if len(ids) > 1]
    if (settings.data / catalogue.CATALOGUE_FILE).is_file():
        db = catalogue.connect(settings.data)
        try:
            # A page of a web archive is catalogued with the archive's size: no measure of the page.
            sizes = {row.path: row.size for row in catalogue.file_rows(db).values() if archive_member(row.path) is None}
            report.failures = catalogue.failures(db)
            report.zero_results = catalogue.zero_results(db)
        finally:
            db.close()
        for article in articles.values():
            kept = len(texts[article["id"]])
            size = sizes.get(article["path"], 0)
            if size and kept < LITTLE_KEPT_CHARS and kept / size < LITTLE_KEPT_SHARE:
                report.little_kept.append({"id": article["id"], "title": article["title"], "path": article["path"],
                                           "kept_chars": kept, "file_bytes": size})
    logs = list(zero_logs)
    if (own_log := settings.data / search_log.LOG_FILE).is_file():
        logs.append(own_log)
    if logs:
        report.zero_results = search_log.combined(report.zero_results, search_log.read(logs))
    return report


def hardest_to_read(articles) -> list[dict]:
    """The articles with the highest average reading grade over their graded sections, hardest first."""
    graded = [{"id": article["id"], "title": article["title"], "source": article["source"],
               "grade": round(sum(article["grades"]) / len(article["grades"]), 1),
               "sections_graded": len(article["grades"])}
              for article in articles if article["grades"]]
    graded.sort(key=lambda item: (-item["grade"], item["title"].casefold(), item["id"]))
    return graded[:HARDEST_SHOWN]


SECTIONS = [("stale", "Past their source's review policy"), ("near_duplicates", "Near-duplicate articles"), ("same_title", "Titles used twice"),
            ("little_kept", "Pages where extraction kept little"), ("short_sections", "Empty or very short sections"),
            ("no_date", "Articles with no date"), ("no_reviewer", "Articles with no reviewer"),
            ("hardest", "Hardest to read (average reading grade)"), ("warnings", "Pages to check (read by a fallback)"),
            ("failures", "Files that fail"), ("zero_results", "Searches that found nothing")]


def to_text(report: Report) -> str:
    lines = [f"Curation report: {report.articles} articles"]
    for key, title in SECTIONS:
        items = getattr(report, key)
        lines.append(f"\n{title}: {len(items)}")
        for item in items[:50]:
            lines.append("  " + ", ".join(f"{k}={v}" for k, v in item.items()))
    return "\n".join(lines)


def to_html(report: Report) -> str:
    """A standalone page; every value escaped."""
    parts = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Curation report</title></head>",
             f"<body><main><h1>Curation report</h1><p>{report.articles} articles.</p>"]
    for key, title in SECTIONS:
        items = getattr(report, key)
        parts.append(f"<section><h2>{html.escape(title)} ({len(items)})</h2>")
        if items:
            columns = list(items[0])
            parts.append("<table><thead><tr>" + "".join(f"<th scope=\"col\">{html.escape(c)}</th>" for c in columns)
                         + "</tr></thead><tbody>")
            for item in items:
                parts.append("<tr>" + "".join(f"<td>{html.escape(str(item.get(c, '')))}</td>" for c in columns) + "</tr>")
            parts.append("</tbody></table>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
