"""Editors re-index safely: incremental runs, atomic switches, the safety gate, one writer,
crash safety and live pickup — with real `kb` processes and gunicorn where it matters."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from indexer.build import build_index, rollback_index
from kb.index.catalogue import CATALOGUE_FILE, SCHEMA_VERSION as CATALOGUE_VERSION, connect
from kb.config import Settings, shipped_corpus
from kb.errors import IndexBusy, IndexRefused
from kb.search.query import search
from kb.index.generations import current_generation, read_meta
from kb.index.handle import IndexHandle
from kb.search.articles import get_article
from kb.search.symptoms import symptom_search
from indexer.lock import writer_lock
from tests.conftest import search_index
from tests.processes import gunicorn, run_kb, start_kb

PAGE = "editorial/hemifacial-spasm.html"
ANCHOR = '<h2 id="symptoms">Symptoms</h2>'




def documents(settings: Settings) -> list[tuple]:
    """Every indexed section as comparable data."""
    handle = IndexHandle(settings.index_dir)
    try:
        with handle.searcher() as searcher:
            return sorted((d["section_id"], d["heading"], d["kind"], d["body"], d["title"], d["source"])
                          for d in searcher.documents())
    finally:
        handle.close()


def total(settings: Settings, query: str) -> int:
    return search_index(settings, query, limit=5).total


def edit(settings: Settings, relative: str, old: str, new: str) -> None:
    path = settings.corpus / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- incremental -----------------------------------------------------------------------------

def test_an_unchanged_corpus_parses_nothing_and_publishes_nothing(editor):
    serving = current_generation(editor.index_dir)
    assert serving is not None
    os.utime(editor.corpus / PAGE)  # touched, same bytes
    report = build_index(editor)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 36)
    assert not report.published and current_generation(editor.index_dir) == serving


def test_one_changed_page_is_reindexed_and_matches_a_full_build(editor, tmp_path):
    edit(editor, PAGE, ANCHOR, ANCHOR + "<p>Some readers call it a marmalade flicker.</p>")
    report = build_index(editor)
    assert (report.updated, report.unchanged, report.mode) == (1, 35, "incremental") and report.published
    assert total(editor, "marmalade flicker") >= 1
    fresh = Settings(corpus=editor.corpus, data=tmp_path / "fresh")
    build_index(fresh, full=True)
    assert documents(editor) == documents(fresh)


def test_deleted_and_added_pages(editor):
    (editor.corpus / "wellpath" / "asthma.html").unlink()
    (editor.corpus / "riverside" / "chilblains.txt").write_text(
        "Title: Chilblains\n\nOverview\n\nSmall itchy swellings on toes after cold weather.\n", encoding="utf-8")
    report = build_index(editor)
    assert (report.added, report.removed) == (1, 1)
    assert not any(section_id.startswith("asthma#") for section_id, *_ in documents(editor))
    handle = IndexHandle(editor.index_dir)
    try:
        found = {hit.article_id for hit in search("asthma inhaler wheezing", index=handle, limit=30).results}
    finally:
        handle.close()
    assert found and "asthma" not in found
    assert total(editor, "chilblains") >= 1


def test_a_broken_edit_keeps_the_last_good_version(editor):
    (editor.corpus / PAGE).write_bytes(b"\x00\x01binary junk")
    report = build_index(editor, force=True)
    assert [f.relative for f in report.failures] == [PAGE]
    assert total(editor, "hemifacial spasm") >= 1
    db = connect(editor.data)
    row = db.execute("SELECT status, error FROM files WHERE path = ?", (PAGE,)).fetchone()
    db.close()
    assert row["status"] == "failed" and "binary" in row["error"] and "last good version" in row["error"]


def test_jobs_do_not_change_the_index(editor, tmp_path, monkeypatch):
    import indexer.build

    monkeypatch.setattr(indexer.build, "MIN_PAGES_FOR_PARALLEL_WRITE", 1)  # two writer processes too
    two = Settings(corpus=editor.corpus, data=tmp_path / "two")
    build_index(two, full=True, jobs=2)
    assert documents(two) == documents(editor)
    for query in ("eyelid twitching one side of the face", "how is gout treated"):
        pages = []
        for settings in (editor, two):
            handle = IndexHandle(settings.index_dir)
            pages.append([(h.section_id, round(h.score, 3)) for h in search(query, index=handle, limit=10).results])
            handle.close()
        assert pages[0] == pages[1]


def test_an_extractor_change_reads_every_page_but_rewrites_only_what_changed(editor):
    serving = current_generation(editor.index_dir)
    db = connect(editor.data)
    db.execute("UPDATE settings SET value = 'an older extractor' WHERE key = 'extractor_version'")
    db.close()
    report = build_index(editor)
    assert any("reading every page again" in note for note in report.notes)
    assert report.updated == 36  # every page was read again …
    assert not report.published and current_generation(editor.index_dir) == serving  # … and none came out different
    edit(editor, PAGE, ANCHOR, ANCHOR + "<p>Some readers call it a marmalade flicker.</p>")
    db = connect(editor.data)
    db.execute("UPDATE settings SET value = 'an older extractor' WHERE key = 'extractor_version'")
    db.close()
    report = build_index(editor)
    assert report.published and total(editor, "marmalade flicker") >= 1


def test_a_schema_change_forces_a_full_build(editor):
    serving = current_generation(editor.index_dir)
    meta = read_meta(serving)
    (serving / "meta.json").write_text(json.dumps({**meta, "schema_version": 1}))
    report = build_index(editor)
    assert report.mode == "full" and report.published
    assert any("schema version 1" in note for note in report.notes)


# -- generations -----------------------------------------------------------------------------

def test_rollback_serves_the_previous_generation(editor):
    first = current_generation(editor.index_dir)
    edit(editor, PAGE, ANCHOR, ANCHOR + "<p>A quokka tremor.</p>")
    build_index(editor)
    assert total(editor, "quokka") == 1
    old, new = rollback_index(editor)
    assert new == first.name and current_generation(editor.index_dir) == first
    assert total(editor, "quokka") == 0
    with pytest.raises(IndexRefused, match="no previous generation"):
        rollback_index(editor)
    # The corpus still has the edit: the next run puts it back.
    assert build_index(editor).published and total(editor, "quokka") == 1


def test_only_the_live_and_previous_generations_are_kept(editor):
    for n in range(3):
        edit(editor, PAGE, ANCHOR, ANCHOR + f"<p>Edit number {n}.</p>")
        build_index(editor)
    live = current_generation(editor.index_dir)
    kept = {p.name for p in editor.index_dir.glob("gen-*")}
    assert kept == {live.name, read_meta(live)["previous"]}


# -- safety gate -----------------------------------------------------------------------------

def test_the_gate_refuses_a_corpus_with_a_third_of_its_pages_deleted(editor):
    serving = current_generation(editor.index_dir)
    pages = sorted(editor.corpus.rglob("*.html"))
    for page in pages[: len(pages) // 3 + 1]:
        page.unlink()
    result = run_kb(editor, "index")
    assert result.returncode == 1
    assert "not published" in result.stderr and "fewer than the" in result.stderr and "--force" in result.stderr
    assert current_generation(editor.index_dir) == serving
    assert total(editor, "hemifacial spasm") >= 1
    forced = run_kb(editor, "index", "--force")
    assert forced.returncode == 0, forced.stderr
    assert current_generation(editor.index_dir) != serving


# -- one writer, crash safety ----------------------------------------------------------------

def test_a_second_writer_is_refused_at_once(editor):
    with writer_lock(editor.data):
        with pytest.raises(IndexBusy, match="already running"):
            build_index(editor)
        started = time.monotonic()
        result = run_kb(editor, "index")
        assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert "already running" in result.stderr and f"pid {os.getpid()}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # the long generated or process-killing runs: left out of `make test-fast`
def test_two_concurrent_indexer_processes(editor):
    first = start_kb(editor, "index", "--full", "--jobs", "1")
    lock = editor.data / "index.lock"
    deadline = time.monotonic() + 20
    while not lock.read_text() and time.monotonic() < deadline:
        time.sleep(0.02)
    second = run_kb(editor, "index", "--full")
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert second.returncode == 1 and "already running" in second.stderr
    assert total(editor, "hemifacial spasm") >= 1


def catalogue_is_consistent(settings: Settings) -> None:
    db = sqlite3.connect(settings.data / CATALOGUE_FILE)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA user_version").fetchone()[0] == CATALOGUE_VERSION
    finally:
        db.close()


@pytest.mark.slow  # the long generated or process-killing runs: left out of `make test-fast`
@pytest.mark.parametrize("delay", [0.4, 1.2, 2.2, 3.2])
def test_kill_9_mid_run_loses_nothing(editor, delay):
    serving = current_generation(editor.index_dir)
    expected = documents(editor)
    process = start_kb(editor, "index", "--full", "--jobs", "1")
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    # Whatever moment it died, readers see a complete generation and the catalogue is sound.
    live = current_generation(editor.index_dir)
    assert live is not None and documents(editor) == expected
    assert live == serving or read_meta(live)["sections"] == read_meta(serving)["sections"]
    catalogue_is_consistent(editor)
    rerun = run_kb(editor, "index")
    assert rerun.returncode == 0, rerun.stderr
    assert documents(editor) == expected
    status = json.loads(run_kb(editor, "status", "--json").stdout)
    assert status["healthy"] and status["runs"][0]["status"] in ("published", "unchanged")
    if process.returncode == -signal.SIGKILL and status["runs"][1]["status"] != "published":
        assert status["runs"][1]["status"] == "interrupted"
        assert "stale lock" in rerun.stderr
    unfinished = [p for p in editor.index_dir.glob("gen-*") if not (p / "meta.json").exists()]
    assert unfinished == []


# -- live pickup -----------------------------------------------------------------------------

@pytest.mark.slow  # the long generated or process-killing runs: left out of `make test-fast`
def test_gunicorn_serves_every_request_during_switches(editor):
    """Readers query in a loop from another process while `kb index --full` switches twice."""
    loop = r"""
import json, sys, time, urllib.request, urllib.parse
base, seconds = sys.argv[1], float(sys.argv[2])
queries = ["hemifacial spasm", "botox for face spasm", "migraine aura", "kidney stone pain"]
errors = empty = done = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    q = queries[done % len(queries)]
    try:
        with urllib.request.urlopen(base + "/api/search?q=" + urllib.parse.quote(q), timeout=10) as r:
            if json.load(r)["total"] == 0:
                empty += 1
    except Exception as exc:
        errors += 1
        print(repr(exc), file=sys.stderr)
    done += 1
print(json.dumps({"requests": done, "errors": errors, "empty": empty}))
"""
    with gunicorn(editor, workers=2) as base:
        client = subprocess.Popen([sys.executable, "-c", loop, base, "12"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        first = run_kb(editor, "index", "--full")
        edit(editor, PAGE, ANCHOR, ANCHOR + "<p>A wombat shiver.</p>")
        second = run_kb(editor, "index", "--full")
        assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
        out, err = client.communicate(timeout=60)
        counts = json.loads(out)
        assert counts["requests"] > 20 and counts["errors"] == 0 and counts["empty"] == 0, (counts, err)
        with urllib.request.urlopen(base + "/api/search?q=" + urllib.parse.quote("wombat shiver")) as response:
            assert json.load(response)["total"] >= 1  # the new generation, without a restart


def test_a_request_on_a_generation_deleted_meanwhile_still_gets_its_whole_answer(editor, tmp_path):
    """A worker's request began on a generation that two switches later was pruned (on a replica,
    by `kb replicate`) before it read its first stored field: it still answers, in full."""
    handle = IndexHandle(editor.index_dir)
    handle.MAX_IDLE = 0  # every request opens its own searcher
    lend = handle._lend

    @contextmanager
    def lend_then_prune():
        with lend() as (generation, searcher):
            shutil.move(generation, tmp_path / "pruned")  # gone from the folder, as prune() leaves it
            try:
                yield generation, searcher
            finally:
                shutil.move(tmp_path / "pruned", generation)  # back, for the next request to begin on

    handle._lend = lend_then_prune
    try:
        page = symptom_search("headache, stiff neck and a fever", index=handle, settings=editor)
        assert page.conditions and all(c.title for c in page.conditions)
        assert any(e.covered and e.snippet for c in page.conditions for e in c.evidence)
        article = get_article(handle, "hemifacial-spasm")
        assert article is not None and article.sections
    finally:
        handle.close()


# -- the editor's view ---------------------------------------------------------------------

def test_summary_progress_and_quiet(editor):
    edit(editor, PAGE, ANCHOR, ANCHOR + "<p>A heron blink.</p>")
    result = run_kb(editor, "index")
    assert result.returncode == 0, result.stderr
    assert "incremental run: 0 added, 1 updated, 0 removed, 35 unchanged, 0 failed" in result.stdout
    assert "parsing: 1/1 files" in result.stderr  # not a terminal: plain lines, no bar
    quiet = run_kb(editor, "index", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_status_reports_the_serving_index_runs_and_failures(editor):
    (editor.corpus / "riverside" / "broken.txt").write_bytes(b"")
    run_kb(editor, "index", "--allow-failures")
    result = run_kb(editor, "status", "--json")
    assert result.returncode == 0
    state = json.loads(result.stdout)
    assert state["generation"] == current_generation(editor.index_dir).name
    assert state["articles"] == 36 and state["by_source"]["wellpath"] > 0 and state["by_kind"]["symptoms"] >= 36
    assert state["runs"][0]["mode"] == "incremental" and state["runs"][0]["added"] == 1
    assert state["failures"] == [{"file": "riverside/broken.txt", "source": "riverside", "reason": "empty file"}]
    text = run_kb(editor, "status")
    assert "serving:" in text.stdout and "riverside/broken.txt: empty file" in text.stdout


def test_status_without_an_index_is_unhealthy(tmp_path):
    result = run_kb(Settings(corpus=shipped_corpus(), data=tmp_path), "status")
    assert result.returncode == 1 and "UNHEALTHY" in result.stdout and "kb index" in result.stdout


def test_catalogue_is_wal_and_records_each_file(editor):
    db = connect(editor.data)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        row = db.execute("SELECT * FROM files WHERE path = ?", (PAGE,)).fetchone()
        assert row["status"] == "ok" and len(row["hash"]) == 64 and row["article_id"] == "hemifacial-spasm"
        assert row["generation"] == current_generation(editor.index_dir).name
        run = db.execute("SELECT * FROM runs ORDER BY id DESC").fetchone()
        assert run["status"] == "published" and run["added"] == 36 and run["started_by"]
    finally:
        db.close()


def test_search_after_incremental_updates_matches_a_full_build(editor, tmp_path):
    """Incremental generations hold several segments; ranking must not depend on that."""
    for n in range(3):
        edit(editor, PAGE, ANCHOR, ANCHOR + f"<p>Twitching note {n}.</p>")
        build_index(editor)
    fresh = Settings(corpus=editor.corpus, data=tmp_path / "fresh")
    build_index(fresh, full=True)
    for query in ("eyelid twitching one side of the face", "botox for face spasm", "kidney stone pain"):
        handles = [IndexHandle(s.index_dir) for s in (editor, fresh)]
        try:
            pages = [search(query, index=h, limit=10, snippets=False) for h in handles]
        finally:
            for h in handles:
                h.close()
        assert [(hit.section_id, round(hit.score, 3)) for hit in pages[0].results] == \
               [(hit.section_id, round(hit.score, 3)) for hit in pages[1].results]


def test_retiring_a_source_takes_it_out_of_search_and_back(editor):
    sources = editor.corpus / "sources.toml"
    original = sources.read_text(encoding="utf-8")
    sources.write_text(original.replace('folder = "wellpath"', 'folder = "wellpath"\ntrust = "retired"'),
                       encoding="utf-8")
    report = build_index(editor)  # 9 of 36 articles leave on purpose: the gate does not object
    assert report.published and report.updated == 0  # trust is not extraction: nothing is parsed again
    assert not any(section_id.startswith("migraine#") for section_id, *_ in documents(editor))
    db = connect(editor.data)
    row = db.execute("SELECT status, error FROM files WHERE path = 'wellpath/migraine.html'").fetchone()
    db.close()
    assert row["status"] == "skipped" and "retired" in row["error"]
    sources.write_text(original, encoding="utf-8")
    assert build_index(editor).published
    assert any(section_id.startswith("migraine#") for section_id, *_ in documents(editor))
