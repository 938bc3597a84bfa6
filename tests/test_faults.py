"""Faults during indexing: a folder the indexer may not write, files deleted or cut short
mid-run, a damaged generation kept for rollback, a serving generation gone. After each the
serving index answers, the catalogue is sound and the next run completes or says why."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess

import pytest

from indexer.build import build_index, rollback_index
from kb.index.catalogue import CATALOGUE_FILE
from kb.config import Settings
from kb.errors import IndexRefused, KBError
from kb.index.generations import current_generation, read_meta
from tests.processes import run_kb
from tests.test_reindex import documents, total  # noqa: F401 (shared helpers)




def sound(settings: Settings) -> None:
    db = sqlite3.connect(settings.data / CATALOGUE_FILE)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] == 0
    finally:
        db.close()


def read_only(path):
    """Make a folder unwritable, even for root (immutable attribute); return the undo."""
    if os.geteuid() != 0:
        path.chmod(0o555)
        return lambda: path.chmod(0o755)
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root where chattr is unavailable: a folder cannot be made read-only")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_an_index_folder_the_indexer_cannot_write(editor):
    serving = current_generation(editor.index_dir)
    expected = documents(editor)
    undo = read_only(editor.index_dir)
    try:
        result = run_kb(editor, "index", "--full")
    finally:
        undo()
    assert result.returncode == 1, result.stderr
    assert "could not write the index" in result.stderr and "Traceback" not in result.stderr
    assert current_generation(editor.index_dir) == serving and documents(editor) == expected
    sound(editor)
    rerun = run_kb(editor, "index")
    assert rerun.returncode == 0, rerun.stderr
    status = json.loads(run_kb(editor, "status", "--json").stdout)
    assert [run["status"] for run in status["runs"][:2]] == ["unchanged", "failed"]


def test_files_deleted_and_cut_short_while_indexing(editor):
    pages = sorted(editor.corpus.rglob("*.html"))
    victim, cut = pages[-1], pages[-2]
    done = []

    def meddle(stage: str, count: int, _total: int) -> None:
        if stage == "parsing" and count == 1 and not done:
            victim.unlink()
            cut.write_bytes(cut.read_bytes()[:300])
            done.append(True)

    report = build_index(editor, full=True, force=True, on_progress=meddle)
    failed = {f.relative for f in report.failures}
    assert victim.relative_to(editor.corpus).as_posix() in failed  # vanished before it was read
    assert total(editor, "hemifacial spasm") >= 1
    sound(editor)
    again = build_index(editor, force=True)  # the deleted file is forgotten, the cut one stays as it is now
    assert again.removed == 1 and not {f.relative for f in again.failures} - failed


def test_a_damaged_rollback_generation(editor):
    page = editor.corpus / "editorial" / "gout.html" if (editor.corpus / "editorial" / "gout.html").exists() \
        else next(editor.corpus.rglob("gout.*"))
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>An emu note.</p></body>"),
                    encoding="utf-8")
    build_index(editor)
    serving = current_generation(editor.index_dir)
    previous = editor.index_dir / read_meta(serving)["previous"]
    # Generations share unchanged segment files through hard links: replace the previous
    # generation's files (new inodes) so that only it is damaged.
    for damaged in [*previous.glob("*.seg"), *previous.glob("*.toc")]:
        damaged.unlink()
        damaged.write_bytes(b"\x00" * 64)
    with pytest.raises(IndexRefused, match="is damaged"):
        rollback_index(editor)
    assert current_generation(editor.index_dir) == serving and total(editor, "gout") >= 1
    result = run_kb(editor, "index", "--rollback")
    assert result.returncode == 1 and "damaged" in result.stderr and "Traceback" not in result.stderr
    page.write_text(page.read_text(encoding="utf-8").replace("An emu note.", "An emu remark."), encoding="utf-8")
    assert build_index(editor).published  # the next run prunes the damaged one
    assert not previous.exists()
    sound(editor)


def test_status_and_healthz_tell_the_truth_when_the_serving_generation_is_gone(editor):
    from web import create_app

    shutil.rmtree(current_generation(editor.index_dir))
    status = run_kb(editor, "status")
    assert status.returncode == 1 and "UNHEALTHY" in status.stdout
    client = create_app({"KB_CORPUS": str(editor.corpus), "KB_DATA": str(editor.data), "TESTING": True}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["ok"] is False
    assert client.get("/search?q=gout").status_code == 503
    rebuilt = run_kb(editor, "index")
    assert rebuilt.returncode == 0, rebuilt.stderr  # no serving generation: a complete build
    assert client.get("/healthz").status_code == 200


def test_a_write_error_is_a_clear_error_not_a_traceback(editor, monkeypatch):
    import kb.index.generations

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device", str(editor.index_dir / "gen-x"))

    monkeypatch.setattr(kb.index.generations, "_new_generation_dir", full_disk)
    with pytest.raises(KBError, match="No space left on device"):
        build_index(editor, full=True)
    sound(editor)
    assert total(editor, "gout") >= 1
