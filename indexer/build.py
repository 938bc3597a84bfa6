"""Index the corpus: find what changed since the last run, extract only that, and publish a
new index generation in one atomic switch.

A run compares the corpus with the catalogue (``kb.index.catalogue``): files whose size and
modification time are unchanged are not read; files whose bytes hash the same are not
parsed. A web archive's pages are catalogued one by one, with the archive's size and time and
each record's payload digest: an untouched archive is not read, a changed one is scanned
once and only its pages whose digest changed are parsed. Changed pages are extracted (on
``jobs`` processes), each source's template is learnt again from its pages (cached extractions stand in for the unchanged ones), and the
new generation starts as a hard-linked copy of the serving one with only the affected
articles deleted and re-added. ``full=True`` reads every page and builds from nothing.

A page that cannot be read or cleaned is recorded (file and reason) and skipped; its
last good version, if any, stays indexed. A build that would shrink the index by more
than 10% or in which more than 5% of the files failed is not published unless forced.
Only one run at a time holds the data folder (``indexer.lock``).
"""

from __future__ import annotations

import copy
import gc
import getpass
import hashlib
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer.documents import fingerprint, manifest_entry, section_documents
from indexer.ids import allocate_id
from indexer.limits import PageLimits
from indexer.load import Skipped, walk_corpus
from indexer.lock import writer_lock
from indexer.parallel import Task, extract_all
from indexer.templates import learn_template, remove_template, sample
from indexer.warc import remembered_archives
from kb.index import catalogue
from kb.index.catalogue import FileRow
from kb.config import Settings
from kb.errors import ConfigError, IndexRefused, KBError
from kb.model import Article
from kb.index.schema import SCHEMA_VERSION
from kb.corpus_config.sources import load_sources
from kb.index.generations import current_generation, prune, read_manifest, read_meta, rollback, write_generation

log = logging.getLogger(__name__)

RETIRED = "its source {source!r} is retired in sources.toml"
MAX_SHRINK = 0.10        # refuse to publish an index with more than 10% fewer sections…
MAX_FAILED_SHARE = 0.05  # …or when more than 5% of the files failed (unless forced)

MIN_PAGES_FOR_PARALLEL_WRITE = 200  # below this, starting writer processes costs more than it saves

ProgressCallback = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildReport:
    """What an index run did, for the editor who started it."""

    mode: str = "incremental"   # or "full"
    files: int = 0
    articles: int = 0           # in the published (or, when nothing changed, serving) index
    sections: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failures: list[Skipped] = field(default_factory=list)  # every file failing now, this run's and earlier
    generation: str = ""
    published: bool = False
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "mode": self.mode,
            "published": self.published,
            "generation": self.generation,
            "files": self.files,
            "articles": self.articles,
            "sections": self.sections,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": len(self.failures),
            "failures": [{"file": f.relative, "reason": f.reason} for f in self.failures],
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
        }


# Modules that decide which files are read and when, not what a page becomes: editing them
# must not make the next run read every page again.
ORCHESTRATION = {"build.py", "lock.py", "parallel.py", "progress.py", "preview.py", "load.py", "ids.py", "warc.py",
                 "replicate.py", "__init__.py"}


def extractor_version(corpus: Path, limits: PageLimits = PageLimits()) -> str:
    """A hash of the extraction code, the sources' extraction rules and the page limits: when
    it changes, cached extractions (and refusals) are stale and every page is read again.
    A source's trust, licence or review policy is not part of it: changing those re-reads nothing."""
    import kb.corpus_config.sources
    import kb.model.extraction
    import kb.model.kinds
    import kb.model.reading

    digest = hashlib.sha256()
    code = sorted(path for path in Path(__file__).parent.glob("*.py") if path.name not in ORCHESTRATION)
    code += [Path(m.__file__) for m in (kb.model.extraction, kb.model.kinds, kb.model.reading, kb.corpus_config.sources)]
    for path in code:
        digest.update(path.read_bytes())
    digest.update(repr([source.extraction_key() for source in load_sources(corpus)]).encode())
    digest.update(repr(limits).encode())
    return digest.hexdigest()[:16]


SETTLE_EVERY = 1000  # extracted pages between two settlings of the heap


def settle_heap() -> None:
    """Collect what is garbage now, then exempt everything alive from later collections.

    A full run holds every page's extraction until it is written (~400 MB at 100,000
    sections); Python's collector would otherwise walk all of it again and again as the run
    allocates, and the Whoosh sub-writers, forked from this process, would copy the pages the
    walk touches. Collecting first means no garbage is frozen (a page parsed in this process
    leaves a cyclic tree behind). ``execute`` unfreezes at the end.
    """
    gc.collect()
    gc.freeze()


def who() -> str:
    """Who started a run, for the catalogue: user, host, pid and command line."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return f"{user}@{socket.gethostname()} pid {os.getpid()}: {' '.join(sys.argv[:6])}"


def build_index(settings: Settings, *, full: bool = False, force: bool = False, jobs: int = 1,
                on_failure: Callable[[Skipped], None] | None = None,
                on_progress: ProgressCallback | None = None, started_by: str | None = None,
                limits: PageLimits = PageLimits()) -> BuildReport:
    """Bring the index up to date with the corpus and publish it; return the report.

    Raises ``IndexBusy`` when another run holds the data folder, ``IndexRefused``
    (with ``.report``) when the safety gate or an empty result stops publication.
    """
    if not settings.corpus.is_dir():
        raise ConfigError(f"corpus folder not found: {settings.corpus}")
    with writer_lock(settings.data) as stale_note:
        db = catalogue.connect(settings.data)
        try:
            run = _Run(settings, db, full=full, force=force, jobs=jobs, on_failure=on_failure,
                       on_progress=on_progress, started_by=started_by or who(), limits=limits)
            if stale_note:
                run.report.notes.append(stale_note)
            return run.execute()
        finally:
            db.close()


def rollback_index(settings: Settings, started_by: str | None = None) -> tuple[str, str]:
    """Serve the previous generation again; return (from, to) generation names."""
    with writer_lock(settings.data):
        db = catalogue.connect(settings.data)
        try:
            run_id = catalogue.start_run(db, "rollback", started_by or who(), time.time())
            try:
                old, new = rollback(settings.index_dir)
            except KBError as exc:
                catalogue.finish_run(db, run_id, status="refused", message=str(exc), finished=time.time())
                raise
            catalogue.finish_run(db, run_id, status="published", generation=new.name, finished=time.time(),
                                 sections=read_meta(new).get("sections", 0),
                                 message=f"rolled back from {old.name}")
            return old.name, new.name
        finally:
            db.close()


@dataclass
class _Page:
    """One corpus file during a run: its catalogue row as it will be saved, and the
    article extracted from it (``fresh``, before template removal) when it was parsed now."""

    row: FileRow
    fresh: dict | None = None
    blob: bytes | None = None  # new cache content (saved with the row)


class _Run:
    """One index run, step by step: scan → extract → templates → write → record."""

    def __init__(self, settings: Settings, db, *, full: bool, force: bool, jobs: int,
                 on_failure, on_progress, started_by: str, limits: PageLimits):
        self.settings, self.db, self.limits = settings, db, limits
        self.full, self.force, self.jobs = full, force, max(1, jobs)
        self.on_failure, self.on_progress, self.started_by = on_failure, on_progress, started_by
        self.report = BuildReport()
        self.now = time.time()
        # What the run learns before it reads any page, all set here so the steps below share one state.
        self.sources = load_sources(settings.corpus)
        self.version = extractor_version(settings.corpus, limits)
        self.known = catalogue.file_rows(db)  # the catalogue's row of every file seen before
        self.reread = full or catalogue.get_setting(db, "extractor_version") != self.version
        self.written: set[str] = set()  # pages whose documents this run wrote

    # -- the run ---------------------------------------------------------------------------

    def execute(self) -> BuildReport:
        started = time.perf_counter()
        report, db = self.report, self.db
        corpus, index_dir = self.settings.corpus, self.settings.index_dir
        version, known, reread = self.version, self.known, self.reread
        prune(index_dir)  # generations left unfinished by a killed run, or past the one kept for rollback
        serving = current_generation(index_dir)
        serving_meta = read_meta(serving) if serving else {}
        base = None if (self.full or serving is None) else serving
        if base is not None and serving_meta.get("schema_version") != SCHEMA_VERSION:
            report.notes.append(f"the index was built with schema version {serving_meta.get('schema_version')} and "
                                f"this program uses {SCHEMA_VERSION}: building a complete new index")
            base = None
        if reread and known and not self.full:
            report.notes.append("the extractor, sources.toml or the page limits changed since the last run: "
                                "reading every page again")
        report.mode = "incremental" if base is not None else "full"
        run_id = catalogue.start_run(db, report.mode, self.started_by, self.now)
        try:
            pages, removed = self._scan(known, reread)
            self._extract(pages, known)
            settle_heap()  # what the run holds from here on is never garbage: keep the collector off it
            candidates, to_remove, manifest, templates = self._plan(pages, removed, known, base)
            report.failures = [Skipped(path, page.row.error or "") for path, page in sorted(pages.items())
                               if page.row.status == "failed"]
            publish = base is None or bool(candidates or to_remove)
            generation = None
            refused: IndexRefused | None = None
            if publish:
                try:
                    generation = write_generation(
                        index_dir, self._documents(pages, candidates, manifest, templates), manifest,
                        meta={"corpus": str(corpus), "mode": report.mode},
                        base=base, remove=sorted(to_remove),
                        refuse=lambda sections: self._refusal(sections, serving_meta),
                        procs=self.jobs if len(candidates) >= MIN_PAGES_FOR_PARALLEL_WRITE else 1)
                except IndexRefused as exc:
                    refused = exc
            else:  # nothing changed: the serving generation is already the corpus
                generation = serving
            self._record(run_id, pages, removed, templates, version, generation if publish else None, refused)
            counts = read_meta(generation) if generation else serving_meta
            report.articles, report.sections = counts.get("articles", 0), counts.get("sections", 0)
            report.generation = generation.name if generation else (serving.name if serving else "")
            report.published = publish and refused is None
            report.seconds = time.perf_counter() - started
            if refused is not None:
                refused.report = report
                raise refused
            return report
        except KBError:
            raise
        except OSError as exc:  # a full disk, a read-only folder: the editor's problem to fix, not a bug
            where = f" ({exc.filename})" if exc.filename else ""
            message = f"could not write the index under {index_dir}: {exc.strerror or exc}{where}; " \
                      "the serving index was left unchanged"
            catalogue.finish_run(db, run_id, status="failed", finished=time.time(), message=message)
            raise KBError(message) from exc
        except BaseException as exc:
            catalogue.finish_run(db, run_id, status="failed", finished=time.time(),
                                 message=f"{exc.__class__.__name__}: {exc}")
            raise
        finally:
            gc.unfreeze()

    # -- steps -----------------------------------------------------------------------------

    def _scan(self, known: dict[str, FileRow], reread: bool) -> tuple[dict[str, _Page], list[FileRow]]:
        """Every corpus file with its row; files whose size and mtime changed get a task."""
        self.tasks: list[Task] = []
        pages: dict[str, _Page] = {}
        remembered = None if reread else remembered_archives(known.values())  # a re-read scans every archive
        walked = list(walk_corpus(self.settings.corpus, remembered))
        # Each web archive read in this run says what it held and what it skipped, and why.
        self.report.notes.extend(dict.fromkeys(page.capture.summary for page in walked
                                               if page.capture is not None and page.capture.summary))
        present = {page.relative for page in walked}
        removed = [row for path, row in known.items() if path not in present]
        used = {row.article_id for path, row in known.items() if path in present}
        for page in walked:
            row = known.get(page.relative)
            if row is not None and not reread:
                try:
                    stat = page.stat or page.path.stat()
                except OSError:
                    stat = None
                if stat and (stat.st_size, stat.st_mtime_ns) == (row.size, row.mtime_ns):
                    pages[page.relative] = _Page(copy.copy(row))  # copy.copy: dataclasses.replace re-runs __init__
                    continue
            article_id = row.article_id if row else allocate_id(page, used)
            self.tasks.append(Task(page, self.settings.corpus, article_id,
                                   None if (reread or row is None) else row.hash))
            pages[page.relative] = _Page(row=replace(row) if row else FileRow(
                path=page.relative, source=page.source.id, hash="", size=0, mtime_ns=0, article_id=article_id,
                status="failed", error=None, first_indexed=self.now, last_indexed=self.now,
                generation=None, fingerprint=None, cached=False))
        self.report.files = len(walked)
        self.report.removed = len(removed)
        return pages, removed

    def _extract(self, pages: dict[str, _Page], known: dict[str, FileRow]) -> None:
        """Read and, when their bytes changed, parse the files that have tasks."""
        report = self.report
        report.unchanged = len(pages) - len(self.tasks)
        progress = (lambda done, total: self.on_progress("parsing", done, total)) if self.on_progress else None
        if self.on_progress:
            self.on_progress("parsing", 0, len(self.tasks))
        warned: list[str] = []
        for done, outcome in enumerate(extract_all(self.tasks, self.sources, self.jobs, on_done=progress,
                                                    limits=self.limits), 1):
            if done % SETTLE_EVERY == 0:
                settle_heap()
            relative = outcome.task.page.relative
            page = pages[relative]
            row = page.row
            row.size, row.mtime_ns = outcome.size, outcome.mtime_ns
            if outcome.unchanged:
                report.unchanged += 1
                continue
            if relative in known:
                report.updated += 1
            else:
                report.added += 1
            row.hash, row.last_indexed = outcome.hash, self.now
            if outcome.error is not None:
                row.status, row.error = "failed", outcome.error
                if row.fingerprint:
                    row.error += " (its last good version stays indexed)"
                skipped = Skipped(relative, outcome.error)
                log.warning("skipped %s: %s", relative, outcome.error)
                if self.on_failure:
                    self.on_failure(skipped)
                continue
            article = outcome.article
            for warning in article.warnings:
                log.warning("%s: %s", relative, warning)
                warned.append(relative)
            page.fresh = article.to_dict()
            page.blob = catalogue.pack(page.fresh)
            row.source, row.status, row.error, row.cached = article.source, "ok", None, True
        if warned:
            report.notes.append(f"{len(warned)} page(s) read by a fallback, to check (kb report lists them): "
                                + ", ".join(warned[:5]) + (" …" if len(warned) > 5 else ""))

    def _plan(self, pages: dict[str, _Page], removed: list[FileRow], known: dict[str, FileRow],
              base: Path | None) -> tuple[list[str], set[str], dict, dict[str, str]]:
        """Decide which articles to (re)write and which to delete from the base generation.

        Returns (candidate paths in corpus order, article ids to delete, the manifest of the
        new generation without the candidates, each dirty source's template hash).
        """
        base_manifest = read_manifest(base, sketches=False) if base is not None else {}
        # A retired source's pages leave the index (their files and cache stay, for a return).
        retired = {source.id for source in self.sources if source.trust == "retired"}
        revived = set()
        for path, page in pages.items():
            row = page.row
            if row.source in retired and row.cached:
                row.status, row.error, row.fingerprint = "skipped", RETIRED.format(source=row.source), None
            elif row.error and row.error == RETIRED.format(source=row.source) and row.cached:
                row.status, row.error = "ok", None
                revived.add(path)
        # Files with an extraction (from now or an earlier run) are the pages templates are learnt from.
        members: dict[str, list[str]] = {}
        for path, page in pages.items():
            if page.row.cached and page.row.source not in retired:
                members.setdefault(page.row.source, []).append(path)
        dirty = {page.row.source for page in pages.values() if page.fresh is not None}
        dirty |= {known[path].source for path, page in pages.items() if page.fresh is not None and path in known}
        dirty |= {row.source for row in removed if row.cached}
        mismatched = set(revived)
        dirty |= {pages[path].row.source for path in revived}
        for path, page in pages.items():
            if page.fresh is None and page.row.fingerprint and \
                    base_manifest.get(page.row.article_id, {}).get("fingerprint") != page.row.fingerprint:
                mismatched.add(path)
                dirty.add(page.row.source)
        dirty -= retired
        if base is None:
            dirty = set(members)
        stored = catalogue.templates(self.db)
        templates: dict[str, str] = {}
        self.template_keys: dict[str, set[str]] = {}
        candidates: set[str] = set()
        for source in sorted(dirty):
            paths = sorted(members.get(source, []))
            keys = self._learn_template(source, [(path, pages[path]) for path in sample(paths)])
            self.template_keys[source] = keys
            templates[source] = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:16]
            if base is None or templates[source] != stored.get(source):
                candidates.update(paths)
            else:
                candidates.update(path for path in paths if pages[path].fresh is not None or path in mismatched)
        if base is not None and self.reread:
            candidates -= self._same_as_served(pages, candidates, known, base_manifest, mismatched)
        candidate_ids = {pages[path].row.article_id for path in candidates}
        manifest = {}
        for path, page in pages.items():
            article_id = page.row.article_id
            if path not in candidates and page.row.fingerprint and article_id in base_manifest:
                manifest[article_id] = base_manifest[article_id]
        to_remove = {article_id for article_id in base_manifest
                     if article_id not in manifest or article_id in candidate_ids}
        order = sorted(candidates)
        return order, to_remove, manifest, templates

    def _same_as_served(self, pages: dict[str, _Page], candidates: set[str], known: dict[str, FileRow],
                        base_manifest: dict, mismatched: set[str]) -> set[str]:
        """Pages read again only because the extractor changed, whose documents come out the
        same as the serving generation's: they need no rewriting (an extractor upgrade then
        costs a re-read, not a re-index of 100,000 sections)."""
        same = set()
        for path in candidates:
            page, old = pages[path], known.get(path)
            entry = base_manifest.get(page.row.article_id)
            if page.fresh is None or old is None or entry is None or old.hash != page.row.hash or path in mismatched:
                continue
            article = remove_template(self._article(page), self.template_keys[page.row.source])
            if article.sections and fingerprint(list(section_documents(article))) == entry["fingerprint"]:
                page.row.fingerprint = entry["fingerprint"]
                same.add(path)
        return same

    def _learn_template(self, source: str, sampled: list[tuple[str, "_Page"]]) -> set[str]:
        """A source's template, learnt from its sample of pages — or remembered, when the
        sample is the same files with the same bytes read by the same extractor: an editor's
        one-page change then costs no reading of a few hundred cached extractions."""
        identity = hashlib.sha256("\n".join([self.version] + [f"{path}\t{page.row.hash}" for path, page in sampled])
                                  .encode()).hexdigest()
        remembered = catalogue.get_setting(self.db, f"template:{source}")
        if remembered:
            known_identity, _, keys = remembered.partition("\n")
            if known_identity == identity:
                return set(json.loads(keys))
        keys = learn_template([self._article(page) for _path, page in sampled])
        catalogue.set_setting(self.db, f"template:{source}", identity + "\n" + json.dumps(sorted(keys)))
        return keys

    def _article(self, page: _Page) -> Article:
        """A fresh copy of a file's extracted article (template removal mutates it)."""
        data = page.fresh if page.fresh is not None else catalogue.extraction(self.db, page.row.path)
        if data is None:
            raise KBError(f"{page.row.path}: no cached extraction; run `kb index --full`")
        return Article.from_dict(data)

    def _documents(self, pages: dict[str, _Page], candidates: list[str], manifest: dict,
                   templates: dict[str, str]) -> Iterator[dict]:
        """The candidates' documents, template removed; fills their manifest entries and rows."""
        total = len(candidates)
        if self.on_progress:
            self.on_progress("writing", 0, total)
        for done, path in enumerate(candidates, 1):
            page = pages[path]
            article = remove_template(self._article(page), self.template_keys[page.row.source])
            if not article.sections:
                page.row.fingerprint = None
                if page.row.status == "ok":
                    page.row.status = "skipped"
                    page.row.error = f"nothing left after removing the {page.row.source} site template"
            else:
                documents = list(section_documents(article))
                self.written.add(path)
                entry = manifest_entry(article, documents)
                manifest[article.id] = entry
                page.row.fingerprint = entry["fingerprint"]
                if page.row.status == "skipped":
                    page.row.status, page.row.error = "ok", None
                yield from documents
            if self.on_progress and (done % 50 == 0 or done == total):
                self.on_progress("writing", done, total)

    def _refusal(self, sections: int, serving_meta: dict) -> str | None:
        """The safety gate: why this build must not be published, or None."""
        report = self.report
        if sections == 0:
            return (f"no article could be indexed from {self.settings.corpus} ({report.files} files, "
                    f"{len(report.failures)} failed); the serving index was left unchanged")
        if self.force:
            return None
        reasons = []
        # Sections of sources the librarians retired leave on purpose: they do not count as a shrink.
        retired = {source.id for source in self.sources if source.trust == "retired"}
        serving_sections = (serving_meta.get("sections") or 0) - sum(
            count for source, count in serving_meta.get("by_source", {}).items() if source in retired)
        if serving_sections and sections < serving_sections * (1 - MAX_SHRINK):
            drop = 1 - sections / serving_sections
            reasons.append(f"it would hold {sections} sections, {drop:.0%} fewer than the {serving_sections} "
                           f"now serving (the limit is {MAX_SHRINK:.0%})")
        failed = len(report.failures)
        if report.files and failed / report.files > MAX_FAILED_SHARE:
            reasons.append(f"{failed} of {report.files} files failed ({failed / report.files:.0%}; "
                           f"the limit is {MAX_FAILED_SHARE:.0%})")
        if not reasons:
            return None
        return ("not published: " + "; ".join(reasons) +
                ". The serving index was left unchanged; fix the corpus, or publish anyway with --force")

    def _record(self, run_id: int, pages: dict[str, _Page], removed: list[FileRow], templates: dict[str, str],
                version: str, generation: Path | None, refused: IndexRefused | None) -> None:
        """Save every file's state and the run's outcome in one transaction."""
        db, report = self.db, self.report
        if generation is not None and refused is None:
            for path in self.written:
                pages[path].row.generation = generation.name
        # Only rows that changed are written (a one-page run need not rewrite 10,000 rows).
        changed = [page.row for path, page in pages.items() if page.row != self.known.get(path)]
        status = "refused" if refused else ("published" if generation is not None else "unchanged")
        db.execute("BEGIN IMMEDIATE")
        try:
            catalogue.save_files(db, changed,
                                 {path: page.blob for path, page in pages.items() if page.blob is not None},
                                 removed=[row.path for row in removed])
            catalogue.save_templates(db, templates, keep={page.row.source for page in pages.values()})
            catalogue.set_setting(db, "extractor_version", version)
            catalogue.finish_run(
                db, run_id, status=status, finished=time.time(), files=report.files, added=report.added,
                updated=report.updated, removed=report.removed, unchanged=report.unchanged,
                failed=len(report.failures), generation=generation.name if generation else None,
                sections=(read_meta(generation).get("sections", 0) if generation else 0),
                message=str(refused) if refused else "; ".join(report.notes) or None)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
