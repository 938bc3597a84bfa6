"""What librarians ask of the source registry: how much each source contributes, and whether
the registry and the corpus agree (``kb sources list | show | check``)."""

from __future__ import annotations

import time

from kb.index import catalogue
from kb.config import Settings, is_page_file
from kb.errors import ConfigError, KBError
from kb.model import Source
from kb.corpus_config.sources import LOCAL_SOURCE, load_sources, source_for, source_for_url
from kb.index.generations import check_index, read_manifest



def _when(timestamp: float | None) -> str | None:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp)) if timestamp else None


def source_stats(settings: Settings) -> list[dict]:
    """One row per declared source (and "local" when it has files): fields and figures."""
    sources = load_sources(settings.corpus)
    articles: dict[str, int] = {}
    sections: dict[str, int] = {}
    try:
        for entry in read_manifest(check_index(settings.index_dir)).values():
            articles[entry["source"]] = articles.get(entry["source"], 0) + 1
            sections[entry["source"]] = sections.get(entry["source"], 0) + entry["sections"]
    except KBError:
        pass
    last: dict[str, float] = {}
    failed: dict[str, list[dict]] = {}
    if (settings.data / catalogue.CATALOGUE_FILE).is_file():
        db = catalogue.connect(settings.data)
        try:
            for row in catalogue.file_rows(db).values():
                last[row.source] = max(last.get(row.source, 0.0), row.last_indexed)
                if row.status == "failed":
                    failed.setdefault(row.source, []).append({"file": row.path, "reason": row.error})
        finally:
            db.close()
    known = [*sources, *([LOCAL_SOURCE] if LOCAL_SOURCE.id in last or LOCAL_SOURCE.id in articles else [])]
    return [{"id": s.id, "name": s.name, "trust": s.trust, "licence": s.licence, "attribution": s.attribution,
             "homepage": s.homepage, "folder": s.folder, "domains": list(s.domains), "language": s.language,
             "review_months": s.review_months, "articles": articles.get(s.id, 0), "sections": sections.get(s.id, 0),
             "last_indexed": _when(last.get(s.id)), "failures": failed.get(s.id, [])} for s in known]


def check_sources(settings: Settings) -> list[str]:
    """Everything wrong between sources.toml and the corpus, one message each (empty: all well)."""
    try:
        sources = load_sources(settings.corpus)
    except ConfigError as exc:  # unknown keys, duplicate ids, bad values: named by the loader
        return [str(exc)]
    problems = []
    for source in sources:
        if source.folder and not (settings.corpus / source.folder).is_dir():
            problems.append(f"source {source.id!r}: folder {source.folder!r} does not exist in {settings.corpus}")
        if not source.folder and not source.domains:
            problems.append(f"source {source.id!r}: has neither a folder nor domains, so no file can belong to it")
    urls = _indexed_urls(settings)
    for path in sorted(settings.corpus.rglob("*")):
        relative = path.relative_to(settings.corpus)
        if not is_page_file(relative) or not path.is_file():
            continue
        by_folder = source_for(relative, sources)
        by_domain: Source | None = source_for_url(urls.get(relative.as_posix(), ""), sources)
        if by_folder is LOCAL_SOURCE and by_domain is None:
            problems.append(f"{relative.as_posix()}: matches no source (not in a source's folder, and its address "
                            "is in no source's domains)")
        elif by_folder is not LOCAL_SOURCE and by_domain is not None and by_domain.id != by_folder.id:
            problems.append(f"{relative.as_posix()}: matches two sources: {by_folder.id!r} by folder and "
                            f"{by_domain.id!r} by the domain of its address")
    return problems


def _indexed_urls(settings: Settings) -> dict[str, str]:
    """Each indexed file's original address, read from the serving index (empty without one)."""
    from kb.index.handle import IndexHandle

    try:
        check_index(settings.index_dir)
    except KBError:
        return {}
    index = IndexHandle(settings.index_dir)
    try:
        with index.searcher() as searcher:
            return {f["path"]: f.get("url", "") or "" for f in searcher.documents(position=0)}
    finally:
        index.close()
