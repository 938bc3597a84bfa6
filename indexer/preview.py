"""Extract a whole corpus in memory, without a catalogue or an index: what ``kb extract``
shows an editor and what tests inspect. The indexer (``indexer.build``) uses the same
steps: allocate an id, extract, remove the source's template."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from indexer.build import BuildReport
from indexer.extract import MAX_PAGE_BYTES, extract
from indexer.ids import allocate_id
from indexer.load import PageFile, Skipped, read_page, walk_corpus
from indexer.templates import learn_template, remove_template
from indexer.warc import SKIP_LABELS, Capture, read_capture, scan_archive
from kb.config import Settings
from kb.errors import ExtractionError, KBError
from kb.model import Article, Source
from kb.corpus_config.sources import LOCAL_SOURCE, load_sources, source_for

log = logging.getLogger(__name__)


def _extract_pages(corpus: Path, report: BuildReport,
                   on_failure: Callable[[Skipped], None] | None) -> list[Article]:
    """Extract every page of the corpus, reporting and skipping the ones that fail."""
    sources = load_sources(corpus)
    used_ids: set[str] = set()
    articles: list[Article] = []
    for page in walk_corpus(corpus):
        report.files += 1
        try:
            article = _extract_page(page, corpus, sources, allocate_id(page, used_ids))
        except (KBError, ValueError, OSError, RecursionError, LookupError) as exc:
            skipped = Skipped(page.relative, str(exc) or exc.__class__.__name__)
            report.failures.append(skipped)
            log.warning("skipped %s: %s", skipped.relative, skipped.reason)
            if on_failure:
                on_failure(skipped)
            continue
        articles.append(article)
    return articles


def _extract_page(page: PageFile, corpus: Path, sources: list[Source], article_id: str | None = None) -> Article:
    return extract(read_page(page, corpus), page.path, page.source, article_id=article_id,
                   relative_path=page.relative, sources=sources, fetch=page.fetch)


def without_templates(articles: list[Article]) -> list[Article]:
    """Learn each source's template from its pages and remove it from them."""
    by_source: dict[str, list[Article]] = {}
    for article in articles:
        by_source.setdefault(article.source, []).append(article)
    for group in by_source.values():
        template = learn_template(sorted(group, key=lambda a: a.path))
        for article in group:
            remove_template(article, template)
    return [article for article in articles if article.sections]


def load_articles(corpus: Path, report: BuildReport,
                  on_failure: Callable[[Skipped], None] | None = None) -> list[Article]:
    """Every article of the corpus, cleaned, sectioned and rid of its source's template."""
    articles = without_templates(_extract_pages(corpus, report, on_failure))
    report.articles = len(articles)
    report.sections = sum(len(article.sections) for article in articles)
    return articles


def extract_in_corpus(file: Path, settings: Settings, source_id: str | None = None, url: str | None = None) -> Article:
    """What the indexer keeps from one file (or, with ``url``, from that page of a web
    archive): the same extraction and, when the page's source has other pages in the corpus,
    the same template removal (``kb extract``)."""
    corpus = settings.corpus
    sources = load_sources(corpus) if corpus.is_dir() else []
    source = next((s for s in sources if s.id == source_id), None) if source_id else None
    if source_id and source is None:
        source = Source(id=source_id, name=source_id)
    inside = None
    try:
        inside = file.resolve().relative_to(corpus.resolve())
    except ValueError:
        pass
    if source is None:
        source = source_for(inside, sources) if inside is not None else LOCAL_SOURCE
    relative = inside.as_posix() if inside else file.name
    if url is None:
        article = extract(file.read_bytes(), file, source, relative_path=relative, sources=sources)
    else:
        capture = find_capture(file, url)
        relative = capture.member(relative)
        try:
            data = read_capture(file, capture, MAX_PAGE_BYTES)
        except ValueError as exc:
            raise ExtractionError(str(exc)) from exc
        article = extract(data, file, source, relative_path=relative, sources=sources, fetch=capture.fetch)
    if article.source == LOCAL_SOURCE.id or not corpus.is_dir():
        return article
    siblings = []
    for page in walk_corpus(corpus):
        # Pages outside every folder may still belong to the source by their URL's domain.
        if page.source.id not in (article.source, LOCAL_SOURCE.id) or page.relative == relative:
            continue
        try:
            sibling = _extract_page(page, corpus, sources)
        except (KBError, ValueError, OSError, RecursionError, LookupError):
            continue
        if sibling.source == article.source:
            siblings.append(sibling)
    pages = sorted(siblings + [article], key=lambda a: a.path)
    return remove_template(article, learn_template(pages))


def find_capture(archive: Path, url: str) -> Capture:
    """The page of ``archive`` fetched from ``url`` (its last capture); ExtractionError saying
    why when the archive holds no such page."""
    scan = scan_archive(archive)
    capture = next((capture for capture in scan.pages if capture.fetch.url == url), None)
    if capture is not None:
        return capture
    skipped = [skip for skip in scan.skipped if skip.url == url and skip.reason != "request"]
    if skipped:
        skip = skipped[-1]
        detail = f" ({skip.detail})" if skip.detail else ""
        raise ExtractionError(f"{url} is not a page: its record at byte {skip.offset:,} is a "
                              f"{SKIP_LABELS[skip.reason][0]}{detail}")
    problems = "; ".join(problem.problem or "" for problem in scan.problems)
    raise ExtractionError(f"no page of this archive was fetched from {url}" + (f" ({problems})" if problems else "")
                          + "; without --url, `kb extract` lists the archive's pages")
