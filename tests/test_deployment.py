"""The deployment the README describes, with real parts on one machine: two read-only replicas,
each served by gunicorn (2 workers), behind nginx; the indexer publishes three incremental
generations and ships each to both while a reader mix runs through nginx. No request fails,
a copy killed half way leaves its replica serving, and every replica ends on the newest."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

from kb.config import Settings
from kb.index.generations import current_generation
from tests.processes import gunicorn, kb_command, nginx, run_kb

HAVE_TOOLS = bool(shutil.which("rsync") and (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")))
# Skipped on a machine without them; under CI=true it runs, and fails, so CI cannot go green without them.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not HAVE_TOOLS and not os.environ.get("CI"),
                                 reason="needs Debian's rsync and nginx (.ci/run installs them)")]

READERS = r"""
import json, sys, time, urllib.request, urllib.parse
base, seconds = sys.argv[1], float(sys.argv[2])
paths = ["/api/search?q=hemifacial+spasm", "/search?q=botox+for+face+spasm", "/api/search?q=migraine+aura",
         "/symptoms?q=" + urllib.parse.quote("headache, stiff neck and a fever"), "/api/search?q=zzqx+wvvk",
         "/search?q=" + urllib.parse.quote("my eyelid keeps twitching when I am tired"), "/healthz"]
failed, done = [], 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    path = paths[done % len(paths)]
    try:
        with urllib.request.urlopen(base + path, timeout=15) as response:
            response.read()
    except Exception as exc:
        failed.append(f"{path}: {exc!r}")
    done += 1
print(json.dumps({"requests": done, "failed": failed}))
"""


def healthz(base: str) -> str:
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        return json.load(response)["generation"]


def server_errors(logs: list[Path]) -> str:
    """The tracebacks the replicas logged (what a failed request's 500 was)."""
    return "\n".join(log.read_text(errors="replace")[-4000:] for log in logs if log.exists())


def edit(settings: Settings, number: int) -> None:
    page = sorted(settings.corpus.rglob("*.html"))[number]
    page.write_text(page.read_text().replace("</p>", f" Edit number {number} for the replicas.</p>", 1))


def test_replicas_behind_nginx_serve_every_request_while_generations_ship(editor, tmp_path):
    replicas = [tmp_path / "replica-1", tmp_path / "replica-2"]
    first = run_kb(editor, "replicate", *[arg for path in replicas for arg in ("--to", str(path))])
    assert first.returncode == 0, first.stderr
    with ExitStack() as stack:
        logs = [path.with_suffix(".log") for path in replicas]
        servers = [stack.enter_context(gunicorn(Settings(corpus=tmp_path / "no-corpus", data=path), workers=2,
                                                log=log, KB_PROXY_HOPS="1")) for path, log in zip(replicas, logs)]
        base = stack.enter_context(nginx(servers, tmp_path / "nginx"))
        readers = subprocess.Popen([sys.executable, "-c", READERS, base, "25"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        for number in range(3):  # three incremental generations, each shipped to both replicas
            edit(editor, number)
            shipped = run_kb(editor, "index", "-q", *[arg for path in replicas for arg in ("--replicate-to", str(path))])
            assert shipped.returncode == 0, shipped.stderr
            live = current_generation(editor.index_dir).name
            assert [healthz(server) for server in servers] == [live, live]
        # A copy killed with -9 part way: its replica keeps serving, and the next run catches up.
        edit(editor, 3)
        assert run_kb(editor, "index", "-q").returncode == 0
        live = current_generation(editor.index_dir).name
        before = healthz(servers[1])
        copy = subprocess.Popen(kb_command("replicate", "--to", str(replicas[1]), "--corpus", str(editor.corpus),
                                           "--data", str(editor.data)),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(0.3)
        os.killpg(copy.pid, signal.SIGKILL)  # the command and the rsync it runs
        copy.wait()
        assert healthz(servers[1]) in (before, live)  # one whole generation or the other, never a half copy
        again = run_kb(editor, "replicate", *[arg for path in replicas for arg in ("--to", str(path))])
        assert again.returncode == 0, again.stderr
        assert [healthz(server) for server in servers] == [live, live] == [healthz(base), healthz(base)]
        out, err = readers.communicate(timeout=90)
        counts = json.loads(out)
        assert counts["requests"] > 50 and counts["failed"] == [], (counts, err, server_errors(logs))
    for path in replicas:
        assert not (path / "catalogue.sqlite3").exists()  # a replica holds its generations and its own log
