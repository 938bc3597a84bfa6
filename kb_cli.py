"""The ``kb`` command: one sub-command per job, each a thin call into the library.

Library errors become ``click.ClickException`` (exit 1); bad flags are usage errors (exit 2).
The indexer and the web app are imported inside the commands that need them, so
``kb`` (the core) never depends on them at import time.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

import click

from kb.config import Settings
from kb.curation.export import FORMATS
from kb.errors import IndexMissing, KBError
from kb.model import READING_LEVELS, SECTION_KINDS


def settings_options(command):
    """Give a command ``--corpus`` and ``--data`` (flags win over KB_CORPUS / KB_DATA)."""

    @click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Folder of articles to index [env KB_CORPUS; default: the shipped corpus].")
    @click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Folder holding the index [env KB_DATA; default: ./kb-data].")
    @functools.wraps(command)
    def wrapper(corpus: Path | None, data: Path | None, **kwargs):
        return command(settings=Settings.load(corpus=corpus, data=data), **kwargs)

    return wrapper


@click.group()
@click.version_option(package_name="health-kb")
def main() -> None:
    """A search-indexed health knowledge base: index articles, search them, serve them."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _run_index(settings: Settings, *, as_json: bool = False, full: bool = False, force: bool = False,
               jobs: int = 1, quiet: bool = False, allow_failures: bool = False, limits=None,
               replicate_to: tuple[str, ...] = ()) -> None:
    """Run the indexer and report like an editor needs: failures as they happen, a summary,
    the failing files again at the end, and a non-zero exit when anything failed. With
    ``replicate_to``, the published generation is then shipped to those replicas."""
    import sys

    from indexer.build import build_index
    from indexer.limits import PageLimits
    from indexer.progress import Progress

    progress = None if (quiet or as_json) else Progress(sys.stderr, terminal=sys.stderr.isatty())

    def on_failure(skipped) -> None:
        if not (as_json or quiet):
            if progress:
                progress.close()
            click.echo(f"skipped {skipped.relative}: {skipped.reason}", err=True)

    try:
        report = build_index(settings, full=full, force=force, jobs=jobs, on_failure=on_failure, on_progress=progress,
                             limits=limits or PageLimits())
    except KBError as exc:
        if progress:
            progress.close()
        report = getattr(exc, "report", None)
        if as_json and report is not None:
            click.echo(json.dumps({**report.to_dict(), "error": str(exc)}, indent=2, sort_keys=True))
            sys.exit(1)
        if report is not None and not quiet:
            _print_summary(report, settings)
        raise click.ClickException(str(exc)) from exc
    if progress:
        progress.close()
    shipments = _replicate(settings, replicate_to) if replicate_to else []
    if as_json:
        click.echo(json.dumps({**report.to_dict(), **({"replicas": [s.to_dict() for s in shipments]} if shipments else {})},
                              indent=2, sort_keys=True))
    else:
        if not quiet or report.failures:
            _print_summary(report, settings)
        _print_shipments(shipments)
    if any(shipment.status == "failed" for shipment in shipments):
        sys.exit(1)
    if report.failures and not allow_failures:
        if not as_json:
            click.echo(f"{len(report.failures)} file(s) failed (exit status 1; --allow-failures to accept them)",
                       err=True)
        sys.exit(1)


def _print_summary(report, settings: Settings) -> None:
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    outcome = ("published " + report.generation) if report.published else (
        "nothing changed; still serving " + report.generation if report.generation else "nothing published")
    click.echo(
        f"{report.mode} run: {report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged, {len(report.failures)} failed in {report.seconds:.2f}s")
    click.echo(f"index:  {report.articles} articles, {report.sections} sections; {outcome}")
    click.echo(f"corpus: {settings.corpus}\ndata:   {settings.data}")
    if report.failures:
        click.echo("failed files:", err=True)
        for failure in report.failures:
            click.echo(f"  {failure.relative}: {failure.reason}", err=True)


@main.command("index")
@settings_options
@click.option("--full", is_flag=True, help="Read every page again and build a complete new generation.")
@click.option("--force", is_flag=True, help="Publish even when the safety gate objects (big shrink, many failures).")
@click.option("--rollback", is_flag=True, help="Serve the previous generation again, and do nothing else.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes that parse pages [default: the number of cores].")
@click.option("--allow-failures", is_flag=True, help="Exit 0 even when some files could not be indexed.")
@click.option("--max-page-bytes", type=click.IntRange(1024), default=None,
              help="Refuse pages larger than this [default: 5 MiB].")
@click.option("--page-seconds", type=click.FloatRange(0), default=None,
              help="Give up on a page after this many seconds of extraction; 0: no limit [default: 20].")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary; failures are still listed.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON.")
@click.option("--replicate-to", "replicate_to", multiple=True, metavar="DEST",
              help="After publishing, ship the index to this replica (as `kb replicate --to`; repeatable).")
def index_command(settings: Settings, full: bool, force: bool, rollback: bool, jobs: int | None,
                  allow_failures: bool, max_page_bytes: int | None, page_seconds: float | None,
                  quiet: bool, as_json: bool, replicate_to: tuple[str, ...]) -> None:
    """Bring the search index up to date with the corpus and switch readers to it.

    Only new, changed and deleted files are processed, unless --full. A build that would
    hold over 10% fewer sections than the serving index, or in which over 5% of the files
    failed, is not published without --force. Exits 1 when any file failed.
    """
    import os

    if rollback:
        if full or force:
            raise click.UsageError("--rollback takes no --full or --force")
        from indexer.build import rollback_index

        try:
            old, new = rollback_index(settings)
        except KBError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"rolled back: now serving {new} (was {old})")
        if replicate_to:  # roll the replicas back too: they already hold the generation
            shipments = _replicate(settings, replicate_to)
            _print_shipments(shipments)
            if any(shipment.status == "failed" for shipment in shipments):
                raise SystemExit(1)
        return
    from indexer.limits import DEFAULT_MAX_BYTES, DEFAULT_SECONDS, PageLimits

    limits = PageLimits(max_bytes=max_page_bytes or DEFAULT_MAX_BYTES,
                        seconds=DEFAULT_SECONDS if page_seconds is None else page_seconds)
    _run_index(settings, as_json=as_json, full=full, force=force, jobs=jobs or os.cpu_count() or 1,
               quiet=quiet, allow_failures=allow_failures, limits=limits, replicate_to=replicate_to)


def _replicate(settings: Settings, destinations: tuple[str, ...]) -> list:
    from indexer.replicate import replicate

    return replicate(settings.index_dir, list(destinations), settings.data)


def _print_shipments(shipments: list) -> None:
    for shipment in shipments:
        if shipment.status == "failed":
            click.echo(f"replica {shipment.destination}: FAILED, it keeps serving what it served: {shipment.reason}",
                       err=True)
            continue
        for note in shipment.notes:
            click.echo(f"replica {shipment.destination}: note: {note}", err=True)
        done = "now serving" if shipment.status == "switched" else "already serving"
        click.echo(f"replica {shipment.destination}: {done} {shipment.generation} "
                   f"({shipment.files} files, {shipment.bytes / 1e6:.1f} MB sent)")


@main.command("replicate")
@settings_options
@click.option("--to", "destinations", multiple=True, required=True, metavar="DEST",
              help="A replica's data folder: a local path or an rsync destination host:path (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print what happened at each destination as JSON.")
def replicate_command(settings: Settings, destinations: tuple[str, ...], as_json: bool) -> None:
    """Copy the serving index generation to read-only replicas, verify each copy, then switch them.

    A destination that fails keeps serving its old generation; the exit status is then 1.
    """
    import sys

    shipments = _replicate(settings, destinations)
    if as_json:
        click.echo(json.dumps([shipment.to_dict() for shipment in shipments], indent=2))
    else:
        _print_shipments(shipments)
    if any(shipment.status == "failed" for shipment in shipments):
        sys.exit(1)


@main.command("status")
@settings_options
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status_command(settings: Settings, as_json: bool) -> None:
    """Show what is serving, how much it holds, the last index runs and failing files.

    Exits 1 when there is no usable index.
    """
    import sys

    from kb.curation.status import gather

    state = gather(settings)
    if as_json:
        click.echo(json.dumps(state, indent=2))
    else:
        click.echo(f"corpus:     {state['corpus']}\ndata:       {state['data']}")
        if state["healthy"]:
            click.echo(f"serving:    {state['generation']} (built {state['built']})")
            click.echo(f"rollback:   {state['previous'] or '(none kept)'}")
            click.echo(f"holds:      {state['articles']} articles, {state['sections']} sections")
            for label, counts in (("by source", state["by_source"]), ("by kind", state["by_kind"])):
                click.echo(f"{label + ':':11} " + ", ".join(f"{key} {value}" for key, value in counts.items()))
        else:
            click.echo(f"UNHEALTHY:  {state['problem']}")
        if state["runs"]:
            click.echo("last runs:")
            for run in state["runs"]:
                counts = (f"+{run['added']} ~{run['updated']} -{run['removed']} ={run['unchanged']} "
                          f"!{run['failed']}") if run["mode"] != "rollback" else ""
                click.echo(f"  #{run['id']} {run['started']} {run['mode']:11} {run['status']:11} {counts}"
                           + (f"  {run['message']}" if run["message"] else ""))
        for item in state["lists"]:
            if item["file"] in ("hp.obo", "en.json.gz"):
                label = "vocabulary:" if item["file"] == "hp.obo" else "English words:"
                click.echo(f"{label:15} {item['mode']}" + (f" ({item['path']})" if item.get("path") else ""))
                continue
            click.echo(f"{item['list'] + ':':15} {item['mode']}: {item['built_in']} built-in"
                       + (f", {item['corpus_entries']} from {item['corpus_file']}"
                          if item["corpus_file"] else ""))
        click.echo(f"failing files: {len(state['failures'])}")
        for failure in state["failures"]:
            click.echo(f"  {failure['file']}: {failure['reason']}")
    if not state["healthy"]:
        sys.exit(1)


@main.group("sources")
def sources_group() -> None:
    """The source registry (corpus/sources.toml): what each source contributes, and checks."""


@sources_group.command("list")
@settings_options
@click.option("--json", "as_json", is_flag=True, help="Print the sources as JSON.")
def sources_list(settings: Settings, as_json: bool) -> None:
    """Every source: trust, licence, articles and sections indexed, last indexed, failures."""
    from kb.curation.registry import source_stats

    try:
        rows = source_stats(settings)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'id':14} {'trust':12} {'articles':>8} {'sections':>8} {'failed':>6}  {'last indexed':16}  licence")
    for row in rows:
        click.echo(f"{row['id']:14} {row['trust']:12} {row['articles']:8} {row['sections']:8} {len(row['failures']):6}  "
                   f"{row['last_indexed'] or '-':16}  {row['licence']}")


@sources_group.command("show")
@settings_options
@click.argument("source_id")
def sources_show(settings: Settings, source_id: str) -> None:
    """One source's registry entry, figures and failing files."""
    from kb.curation.registry import source_stats

    try:
        rows = source_stats(settings)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    row = next((r for r in rows if r["id"] == source_id), None)
    if row is None:
        raise click.ClickException(f"no source {source_id!r}; known: {', '.join(r['id'] for r in rows)}")
    for key, value in row.items():
        if key != "failures":
            click.echo(f"{key:14} {', '.join(value) if isinstance(value, list) else value}")
    click.echo(f"{'failures':14} {len(row['failures'])}")
    for failure in row["failures"]:
        click.echo(f"  {failure['file']}: {failure['reason']}")


@sources_group.command("check")
@settings_options
def sources_check(settings: Settings) -> None:
    """Check sources.toml against the corpus; exit 1 when anything is wrong."""
    import sys

    from kb.curation.registry import check_sources

    problems = check_sources(settings)
    for problem in problems:
        click.echo(problem)
    click.echo(f"{len(problems)} problem(s) in {settings.corpus}" if problems else f"sources.toml and {settings.corpus} agree")
    if problems:
        sys.exit(1)


@main.command("admin-hash")
@click.password_option("--password", help="The admin password (asked for when not given).")
def admin_hash_command(password: str) -> None:
    """Print the hash to put in KB_ADMIN_PASSWORD_HASH for the librarians' admin area."""
    from werkzeug.security import generate_password_hash

    click.echo(generate_password_hash(password))


@main.command("report")
@settings_options
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as a web page to this file.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Judge staleness on this day instead of today (YYYY-MM-DD).")
@click.option("--zero-results-log", "zero_logs", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A replica's log of searches that found nothing, counted with this host's (repeatable).")
def report_command(settings: Settings, as_json: bool, html_file: Path | None, today, zero_logs: tuple[Path, ...]) -> None:
    """The curation report: articles past their review policy (most overdue first),
    near-duplicates, short sections, little-kept pages, missing dates and reviewers, titles
    used twice, pages read by a fallback, failing files, searches that found nothing (here
    and on the replicas whose logs are given)."""
    from kb.curation.report import build_report, to_html, to_text

    try:
        report = build_report(settings, today=today.date() if today else None, zero_logs=zero_logs)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    if html_file:
        html_file.write_text(to_html(report), encoding="utf-8")
    click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if as_json else to_text(report))


@main.command("export")
@settings_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="JSON lines (one object a line) or CSV with a header row.")
@click.option("--kind", type=click.Choice(SECTION_KINDS), default=None, help="Only sections of this kind.")
@click.option("--source", "source_id", default=None, help="Only sections of this source.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def export_command(settings: Settings, fmt: str, kind: str | None, source_id: str | None,
                   output: Path | None) -> None:
    """Write every section of the serving index, one record each, with its source's licence
    and attribution, its dates and its reading level."""
    import sys

    from kb.curation.export import WRITERS, open_export

    try:
        with open_export(settings, kind=kind, source=source_id) as export:
            records = export.records()
            if sys.stderr.isatty():
                records = _counted(records, export.total)
            if output is None:
                WRITERS[fmt](records, sys.stdout)
                return
            with output.open("w", encoding="utf-8", newline="") as out:
                WRITERS[fmt](records, out)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    except BrokenPipeError:  # the reader of standard output stopped early (`| head`): not an error
        sys.stderr.close()
        sys.exit(1)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output or 'standard output'}: {exc.strerror or exc}") from exc


def _counted(records, total: int):
    """Pass records through, showing how far the export is on the terminal (standard error)."""
    done = 0
    for done, record in enumerate(records, 1):
        if done % 1000 == 0:
            click.echo(f"\rexported {done:,} of {total:,} sections", err=True, nl=False)
        yield record
    click.echo(f"\rexported {done:,} sections{' ' * 20}", err=True)


@main.command("search")
@settings_options
@click.argument("query", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON (the same as /api/search).")
@click.option("--page", "number", type=click.IntRange(1, 1000), default=1, show_default=True,
              help="Which results page (ten articles a page).")
@click.option("--limit", type=click.IntRange(1, 100), default=None,
              help="Show the first N sections of the ranking instead of a page [100 with --queries].")
@click.option("--kind", type=click.Choice(SECTION_KINDS), default=None, help="Only sections of this kind.")
@click.option("--source", "source_id", default=None, help="Only sections of this source.")
@click.option("--level", type=click.Choice(READING_LEVELS), default=None,
              help="Only sections of this reading level.")
@click.option("--fresh", is_flag=True, help="Leave out articles past their source's review policy.")
@click.option("--queries", "queries_file", type=click.File("r", encoding="utf-8"), default=None,
              help="Batch mode: JSON lines with \"qid\" and \"query\" (needs --run).")
@click.option("--run", "run_file", type=click.File("w", encoding="utf-8"), default=None,
              help="Batch mode: write a TREC run file here.")
def search_command(settings: Settings, query: str | None, as_json: bool, number: int, limit: int | None,
                   kind: str | None, source_id: str | None, level: str | None, fresh: bool, queries_file,
                   run_file) -> None:
    """Search the index for QUERY and print the results page the site shows, article by article.

    With --queries FILE --run OUT, search every query of FILE in one process and write
    a TREC run file (qid Q0 <page>#<section-number> rank score kb) for evaluation.
    """
    if queries_file or run_file:
        if query or not (queries_file and run_file):
            raise click.UsageError("batch mode takes --queries FILE and --run OUT, and no QUERY")
        _run_batch(settings, queries_file, run_file, limit or 100)
        return
    if not query:
        raise click.UsageError("give a QUERY (or --queries FILE --run OUT)")
    from kb.index.handle import IndexHandle
    from kb.search.results import results_page

    index = IndexHandle.for_settings(settings)
    try:
        found = results_page(query, index=index, library=_library(settings), kind=kind, source=source_id,
                             level=level, number=number, fresh_only=fresh, snippet_articles=limit)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        index.close()
    if as_json:
        click.echo(json.dumps(found.to_dict(limit), indent=2, ensure_ascii=False))
        return
    if found.urgent:
        click.echo(f"!! GET HELP NOW: {found.urgent}\n")
    page = found.page
    if not page.results:
        click.echo(page.message or "No results.")
        return
    if page.corrected:
        click.echo(f"No results for {page.query!r}; showing results for {page.corrected!r}.")
    if page.also_searched:
        click.echo("Also searched: " + ", ".join(page.also_searched))
    if found.answer:
        click.echo(f"\n{found.answer.title} › {found.answer.heading}\n  {found.answer.text}\n  {found.answer.url}")
    hits = found.hits(limit)
    click.echo(f"{page.total} matching sections in {found.articles} articles; "
               + (f"showing {len(hits)} sections" if limit else f"page {found.number} of {found.pages}"))
    title = None
    for hit in hits:
        if hit.article_id != title:
            title = hit.article_id
            also = found.also_published.get(hit.article_id)
            click.echo(f"\n{hit.title}  ({found.provenance[hit.article_id].source_name}"
                       + (f"; also published by {', '.join(also)}" if also else "") + ")")
        reading = f"  ({hit.reading['label']}, grade {hit.reading['grade']})" if hit.reading else ""
        click.echo(f"  › {hit.heading}  [{hit.kind}]{reading}  {hit.score:.2f}  {hit.url}")
        if hit.snippet:
            click.echo("    " + _plain(hit.snippet))


def _library(settings: Settings):
    """The registry and red-flag list of the corpus, as the site reads them."""
    from kb.corpus_config.emergency import EmergencyFile
    from kb.corpus_config.sources import load_sources
    from kb.search.results import Library

    try:
        sources = {source.id: source for source in load_sources(settings.corpus)}
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    return Library(sources=sources, emergency=EmergencyFile(settings.corpus).current())


@main.command("symptoms")
@settings_options
@click.argument("symptoms")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True, help="Conditions to show.")
def symptoms_command(settings: Settings, symptoms: str, as_json: bool, limit: int) -> None:
    """Which conditions' symptoms sections describe SYMPTOMS ("eyelid twitching, worse when tired").

    Symptoms are separated by commas, semicolons, new lines or "and". Not a diagnosis.
    """
    from kb.search.symptoms import symptom_search

    try:
        page = symptom_search(symptoms, settings=settings, limit=limit)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(page.to_dict(), indent=2, ensure_ascii=False))
        return
    if page.urgent:
        click.echo(f"!! GET HELP NOW: {page.urgent}\n")
    click.echo(f"Your symptoms: {'; '.join(page.symptoms) or '(none)'}")
    for condition in page.conditions:
        click.echo(f"\n{condition.title}: {condition.summary}" + (f" ({condition.rare})" if condition.rare else ""))
        if condition.about_a_sign:
            click.echo("  a page about one of your symptoms rather than a condition that explains them together")
        if condition.named_by:
            click.echo(f"  named by pages that fit your symptoms: {'; '.join(condition.named_by)}")
        for item in condition.evidence:
            mark = "✓" if item.covered else "✗"
            click.echo(f"  {mark} {item.symptom}" + (f"  ({item.url})" if item.covered else ""))
            if item.covered:
                click.echo("      " + _plain(item.snippet))
    if not page.conditions:
        click.echo(page.message)
    click.echo(f"\n{page.notice}")


def _run_batch(settings: Settings, queries_file, run_file, limit: int) -> None:
    from kb.search.batch import read_queries, run_queries
    from kb.index.handle import IndexHandle

    index = IndexHandle.for_settings(settings)
    count = 0
    try:
        for line in run_queries(read_queries(queries_file), index, limit):
            run_file.write(line + "\n")
            count += 1
    except ValueError as exc:
        raise click.ClickException(f"{queries_file.name}: {exc}") from exc
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        index.close()
    click.echo(f"wrote {count} run lines to {run_file.name}", err=True)


def _plain(snippet: str) -> str:
    """Show a snippet in a terminal: matches in [brackets], entities decoded."""
    import html

    text = snippet.replace("<mark>", "[").replace("</mark>", "]")
    return html.unescape(" ".join(text.split()))


@main.command("extract")
@settings_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.option("--source", "source_id", default=None, help="Treat the file as coming from this source id.")
@click.option("--url", default=None, help="With a web archive (.warc, .warc.gz): the address of the page to show.")
def extract_command(settings: Settings, file: Path, as_json: bool, source_id: str | None, url: str | None) -> None:
    """Show exactly what the indexer would keep from FILE, and what it drops.

    FILE may be a web archive: with --url, the page captured from that address is shown;
    without, the archive's pages and the records it skips, with the reasons.
    """
    from indexer.preview import extract_in_corpus
    from kb.config import is_archive_file

    archive = is_archive_file(Path(file.name))
    if url is not None and not archive:
        raise click.UsageError("--url picks a page of a web archive (.warc or .warc.gz)")
    if archive and url is None:
        _list_archive(file, as_json)
        return
    try:
        article = extract_in_corpus(file, settings, source_id, url)
    except KBError as exc:
        raise click.ClickException(f"{file}" + (f"#{url}" if url else "") + f": {exc}") from exc
    data = article.to_dict()
    data.pop("id")
    data.pop("path")
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for warning in article.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{article.title}\n{'=' * len(article.title)}")
    for key in ("url", "language", "source", "authors", "reviewed_by", "published", "updated", "reviewed"):
        value = data[key]
        if value:
            click.echo(f"{key:12} {', '.join(value) if isinstance(value, list) else value}")
    for section in article.sections:
        indent = "  " * max(0, section.level - article.sections[0].level)
        click.echo(f"\n{indent}## {section.heading}  [{section.kind}]  #{section.anchor}")
        for line in section.text.splitlines():
            click.echo(f"{indent}   {line}")
    click.echo(f"\nDropped {len(article.dropped)} blocks:")
    for dropped in article.dropped:
        click.echo(f"  - {dropped.reason}: {dropped.text}")


def _list_archive(file: Path, as_json: bool) -> None:
    """A web archive's pages, skipped records and unreadable parts; exit 1 when any part is unreadable."""
    import sys

    from indexer.warc import SKIP_LABELS, scan_archive

    try:
        scan = scan_archive(file)
    except OSError as exc:
        raise click.ClickException(f"{file}: {exc.strerror or exc}") from exc
    if as_json:
        click.echo(json.dumps(scan.to_dict(file.name), indent=2, ensure_ascii=False))
    else:
        click.echo(scan.summary(file.name))
        if scan.pages:
            click.echo(f"\npages (`kb extract {file.name} --url ADDRESS` shows one):")
        for capture in scan.pages:
            click.echo(f"  {capture.fetch.url}  fetched {capture.fetch.date}")
        if scan.skipped:
            click.echo("\nskipped:")
        for skip in sorted(scan.skipped, key=lambda skip: skip.offset):
            detail = f" ({skip.detail})" if skip.detail else ""
            click.echo(f"  byte {skip.offset:,}  {skip.url or '-'}  {SKIP_LABELS[skip.reason][0]}{detail}")
        for problem in scan.problems:
            click.echo(f"unreadable: {problem.problem}", err=True)
    if scan.problems:
        sys.exit(1)


@main.command("serve")
@settings_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True, help="Port to listen on.")
def serve_command(settings: Settings, host: str, port: int) -> None:
    """Serve the search site for local use (production: gunicorn 'web:create_app()').

    Builds the index from the corpus first when the data folder has none.
    """
    from kb.index.generations import check_index
    from web import create_app

    try:
        check_index(settings.index_dir)
    except IndexMissing:
        click.echo(f"no index in {settings.data}: building it from {settings.corpus} first")
        _run_index(settings, allow_failures=True)
    except KBError as exc:
        click.echo(f"{exc}; rebuilding it")
        _run_index(settings, allow_failures=True)
    app = create_app({"KB_CORPUS": str(settings.corpus), "KB_DATA": str(settings.data)})
    click.echo(f"serving http://{host}:{port}/  (Ctrl+C stops)")
    app.run(host=host, port=port, debug=False)


if __name__ == "__main__":  # pragma: no cover
    main()
