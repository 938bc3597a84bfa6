"""Replicas: `kb replicate` copies what a replica lacks, verifies it, and only then switches it;
a replica serves from a data folder holding only generations, and counts its zero-result
searches in a log of its own that the report reads back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.replicate import destination_lock, ship
from kb.config import Settings
from kb.index.generations import current_generation
from kb_cli import main
from web import create_app

# Skipped on a machine without rsync; under CI=true they run, and fail, so CI cannot go green without it.
pytestmark = pytest.mark.skipif(shutil.which("rsync") is None and not os.environ.get("CI"),
                                reason="needs Debian's rsync (.ci/run installs it)")


def replicate(runner, settings: Settings, *destinations: Path, extra: tuple[str, ...] = ()):
    args = ["replicate", "--corpus", str(settings.corpus), "--data", str(settings.data), *extra]
    for destination in destinations:
        args += ["--to", str(destination)]
    return runner.invoke(main, args)


def serving(destination: Path) -> str:
    return (destination / "index" / "CURRENT").read_text().strip()


def edit_one_page(settings: Settings, words: str) -> None:
    page = sorted(settings.corpus.rglob("*.html"))[0]
    page.write_text(page.read_text().replace("</p>", f" {words}</p>", 1))


def test_replicas_receive_verify_and_serve_the_live_generation(editor, runner, tmp_path):
    one, two = tmp_path / "replica-1", tmp_path / "replica-2"
    result = replicate(runner, editor, one, two)
    assert result.exit_code == 0, result.output
    live = current_generation(editor.index_dir).name
    assert serving(one) == serving(two) == live
    assert f"now serving {live}" in result.output
    # A replica is its generations alone: no corpus, no catalogue; searches that find nothing go to its log.
    app = create_app({"KB_CORPUS": str(tmp_path / "no-corpus"), "KB_DATA": str(one), "TESTING": True})
    client = app.test_client()
    assert client.get("/healthz").get_json()["generation"] == live
    assert client.get("/api/search?q=eyelid+twitching").get_json()["results"]
    assert client.get("/api/search?q=zqxj+wvvk").get_json()["results"] == []
    assert sorted(path.name for path in one.iterdir()) == ["index", "zero-results.jsonl"]
    report = runner.invoke(main, ["report", "--json", "--corpus", str(editor.corpus), "--data", str(editor.data),
                                  "--zero-results-log", str(one / "zero-results.jsonl")])
    assert {"query": "zqxj wvvk", "count": 1}.items() <= json.loads(report.output)["zero_results"][0].items()
    again = replicate(runner, editor, one)
    assert again.exit_code == 0 and f"already serving {live}" in again.output


def test_a_one_page_update_ships_only_new_segment_files_as_hard_links(editor, runner, tmp_path):
    replica = tmp_path / "replica"
    first = replicate(runner, editor, replica, extra=("--json",))
    edit_one_page(editor, "Readers also mention a flickering eyelid after long screen sessions.")
    build_index(editor)
    second = replicate(runner, editor, replica, extra=("--json",))
    assert second.exit_code == 0, second.output
    sent_first, sent_second = json.loads(first.output)[0]["bytes"], json.loads(second.output)[0]["bytes"]
    assert sent_second < sent_first / 3
    live = current_generation(editor.index_dir)
    previous = json.loads((live / "meta.json").read_text())["previous"]
    new, old = replica / "index" / live.name, replica / "index" / previous
    shared = [path.name for path in new.iterdir() if (old / path.name).exists()
              and os.stat(old / path.name).st_ino == os.stat(path).st_ino]
    assert any(name.endswith(".pst") for name in shared), "unchanged segments are hard links, not copies"


def test_a_failing_destination_keeps_serving_and_the_others_switch(editor, runner, tmp_path):
    good = tmp_path / "good"
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the replica's folder should be")
    result = replicate(runner, editor, blocked, good)
    assert result.exit_code == 1
    assert f"replica {blocked}: FAILED" in result.output
    assert serving(good) == current_generation(editor.index_dir).name


def test_an_interrupted_copy_is_never_served_and_completes_next_time(editor, runner, tmp_path):
    replica = tmp_path / "replica"
    assert replicate(runner, editor, replica).exit_code == 0
    old = serving(replica)
    edit_one_page(editor, "A note about dry eyes and blinking less when reading.")
    build_index(editor)
    live = current_generation(editor.index_dir)
    half = replica / "index" / live.name  # what a copy killed half way leaves: some files, no switch
    half.mkdir()
    for path in sorted(live.iterdir())[:3]:
        (half / path.name).write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])
    assert serving(replica) == old
    result = replicate(runner, editor, replica)
    assert result.exit_code == 0, result.output
    assert serving(replica) == live.name, result.output


def test_a_tampered_generation_is_found_by_checksum_and_copied_again(editor, runner, tmp_path):
    replica = tmp_path / "replica"
    assert replicate(runner, editor, replica).exit_code == 0
    live = current_generation(editor.index_dir).name
    stored = next((replica / "index" / live).glob("*_stored.col"))
    before = stored.stat()
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, and the time put back: rsync's quick check cannot see it
    stored.write_bytes(bytes(data))
    os.utime(stored, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = replicate(runner, editor, replica)
    assert result.exit_code == 0, result.output
    assert "differed from the source" in result.output
    assert stored.read_bytes() == (editor.index_dir / live / stored.name).read_bytes()


def test_two_copies_to_one_destination_never_run_at_once(editor, tmp_path):
    replica = tmp_path / "replica"
    with destination_lock(str(replica), editor.data):
        shipment = ship(editor.index_dir, str(replica), editor.data)
    assert shipment.status == "failed" and "another `kb replicate`" in shipment.reason
    assert not (replica / "index" / "CURRENT").exists()


def test_index_publishes_then_replicates(editor, runner, tmp_path):
    replica = tmp_path / "replica"
    edit_one_page(editor, "Some people notice it more when tired.")
    result = runner.invoke(main, ["index", "-q", "--corpus", str(editor.corpus), "--data", str(editor.data),
                                  "--replicate-to", str(replica)])
    assert result.exit_code == 0, result.output
    assert serving(replica) == current_generation(editor.index_dir).name


@pytest.fixture
def small_disk(tmp_path):
    """A real, tiny file system (tmpfs) for a replica, resized by the test; skipped where this
    process may not mount one (not root, or a container without the capability)."""
    mountpoint = tmp_path / "small-disk"
    mountpoint.mkdir()

    def mount(size_kb: int, remount: bool = False) -> bool:
        options = f"{'remount,' if remount else ''}size={size_kb}k"
        return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mountpoint)],
                              capture_output=True).returncode == 0

    if os.geteuid() != 0 or not shutil.which("mount") or not mount(64):
        pytest.skip("cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)")
    yield mountpoint, mount
    subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


def test_a_replica_whose_disk_fills_mid_copy_keeps_serving_and_catches_up(editor, runner, small_disk):
    disk, mount = small_disk
    live = current_generation(editor.index_dir)
    size_kb = sum(path.stat().st_size for path in live.iterdir()) // 1024
    assert mount(size_kb + 256, remount=True)
    replica = disk / "replica"
    assert replicate(runner, editor, replica).exit_code == 0
    old = serving(replica)
    # A full rebuild shares no segment file with the served generation: it must all be copied, and cannot fit.
    edit_one_page(editor, "Screens at night can make it worse.")
    build_index(editor, full=True)
    newest = current_generation(editor.index_dir).name
    result = replicate(runner, editor, replica)
    assert result.exit_code == 1
    assert f"replica {replica}: FAILED" in result.output and "No space left on device" in result.output
    assert serving(replica) == old, "the replica keeps serving the generation it had"
    client = create_app({"KB_CORPUS": str(editor.corpus), "KB_DATA": str(replica), "TESTING": True}).test_client()
    assert client.get("/healthz").get_json()["generation"] == old
    assert client.get("/api/search?q=eyelid+twitching").get_json()["results"]
    assert mount(3 * size_kb + 512, remount=True)  # the operator frees space: the next run completes
    again = replicate(runner, editor, replica)
    assert again.exit_code == 0, again.output
    assert serving(replica) == newest


def test_a_destination_host_that_cannot_be_reached_fails_alone(editor, runner, tmp_path):
    good = tmp_path / "good"
    result = replicate(runner, editor, "replica.invalid:/srv/kb-data", good)
    assert result.exit_code == 1
    assert "replica replica.invalid:/srv/kb-data: FAILED" in result.output and "rsync" in result.output
    assert serving(good) == current_generation(editor.index_dir).name
