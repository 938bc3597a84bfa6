"""Build the index: load every page → clean → sections → one document per section → swap in.

A page that cannot be read or cleaned is reported (file and reason) and skipped;
the rest are indexed, and the previous index keeps serving until the new one is complete.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.extract import article_id_for, extract
from indexer.load import Skipped, read_page, walk_corpus
from indexer.templates import learn_template, remove_template
from kb.config import Settings
from kb.errors import ConfigError, KBError
from kb.models import Article, Source
from kb.sources import LOCAL_SOURCE, load_sources, source_for
from kb.store import write_generation

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What an index run did, for the editor who started it."""

    files: int = 0
    articles: int = 0
    sections: int = 0
    failures: list[Skipped] = field(default_factory=list)
    generation: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "articles": self.articles,
            "sections": self.sections,
            "failures": [{"file": f.relative, "reason": f.reason} for f in self.failures],
            "generation": self.generation,
            "seconds": round(self.seconds, 3),
        }


def section_documents(article: Article) -> Iterator[dict]:
    """The Whoosh documents of one article: one per section, in reading order."""
    for position, section in enumerate(article.sections):
        yield {
            "section_id": f"{article.id}#{section.anchor}",
            "article_id": article.id,
            "title": article.title,
            "aliases": "; ".join(article.aliases),
            "heading": section.heading,
            "body": section.text,
            "spell": " ".join((article.title, section.heading, " ".join(article.aliases), section.text)),
            "kind": section.kind,
            "source": article.source,
            "anchor": section.anchor,
            "level": section.level,
            "number": section.number,
            "position": position,
            "url": article.url,
            "path": article.path,
            "language": article.language,
            "published": article.published,
            "updated": article.updated,
            "reviewed": article.reviewed,
            "authors": article.authors,
            "reviewed_by": article.reviewed_by,
        }


def _extract_pages(corpus: Path, report: BuildReport,
                   on_failure: Callable[[Skipped], None] | None) -> list[Article]:
    """Extract every page of the corpus, reporting and skipping the ones that fail."""
    sources = load_sources(corpus)
    used_ids: set[str] = set()
    articles: list[Article] = []
    for page in walk_corpus(corpus):
        report.files += 1
        try:
            data = read_page(page, corpus)
            article_id = article_id_for(page.path)
            if article_id in used_ids:
                article_id = f"{page.source.id}-{article_id}"
            base, n = article_id, 2
            while article_id in used_ids:
                article_id, n = f"{base}-{n}", n + 1
            article = extract(data, page.path, page.source, article_id=article_id,
                              relative_path=page.relative, sources=sources)
        except (KBError, ValueError, OSError, RecursionError, LookupError) as exc:
            skipped = Skipped(page.relative, str(exc) or exc.__class__.__name__)
            report.failures.append(skipped)
            log.warning("skipped %s: %s", skipped.relative, skipped.reason)
            if on_failure:
                on_failure(skipped)
            continue
        used_ids.add(article.id)
        articles.append(article)
    return articles


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


def extract_in_corpus(file: Path, settings: Settings, source_id: str | None = None) -> Article:
    """What the indexer keeps from one file: the same extraction and, when the file's source
    has other pages in the corpus, the same template removal (``kb extract``)."""
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
    article = extract(file.read_bytes(), file, source, relative_path=inside.as_posix() if inside else file.name,
                      sources=sources)
    if article.source == LOCAL_SOURCE.id or not corpus.is_dir():
        return article
    siblings = []
    for page in walk_corpus(corpus):
        # Pages outside every folder may still belong to the source by their URL's domain.
        if page.source.id not in (article.source, LOCAL_SOURCE.id) or page.path.resolve() == file.resolve():
            continue
        try:
            sibling = extract(read_page(page, corpus), page.path, page.source,
                              relative_path=page.relative, sources=sources)
        except (KBError, ValueError, OSError, RecursionError, LookupError):
            continue
        if sibling.source == article.source:
            siblings.append(sibling)
    pages = sorted(siblings + [article], key=lambda a: a.path)
    return remove_template(article, learn_template(pages))


def build_index(settings: Settings, on_failure: Callable[[Skipped], None] | None = None) -> BuildReport:
    """Index the whole corpus into a new generation and make it live; return the report."""
    started = time.perf_counter()
    if not settings.corpus.is_dir():
        raise ConfigError(f"corpus folder not found: {settings.corpus}")
    report = BuildReport()
    documents = (doc for article in load_articles(settings.corpus, report, on_failure)
                 for doc in section_documents(article))

    def refuse(count: int) -> str | None:
        if count == 0:
            return (f"no article could be indexed from {settings.corpus} "
                    f"({report.files} files, {len(report.failures)} failed); the serving index was left unchanged")
        return None

    generation = write_generation(settings.index_dir, documents, meta={"corpus": str(settings.corpus)},
                                  refuse=refuse)
    report.generation = generation.name
    report.seconds = time.perf_counter() - started
    return report
