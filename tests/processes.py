"""Real processes for tests: the `kb` command and gunicorn serving the app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.config import Settings


def kb_command(*args: str) -> list[str]:
    """argv that runs `kb` in this interpreter (the installed script may not be on PATH)."""
    return [sys.executable, "-m", "kb_cli", *args]


def run_kb(settings: Settings, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(kb_command(*args, "--corpus", str(settings.corpus), "--data", str(settings.data)),
                          capture_output=True, text=True, timeout=timeout)


def start_kb(settings: Settings, *args: str) -> subprocess.Popen:
    return subprocess.Popen(kb_command(*args, "--corpus", str(settings.corpus), "--data", str(settings.data)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(settings: Settings, workers: int = 2, rate_limit: str = "off", log: Path | None = None,
             **env_extra: str) -> Iterator[str]:
    """The app under gunicorn, as in production, on a free local port; yields its base URL.

    Rate limiting is off unless asked for: the tests are one client making many requests. The
    server's standard error (gunicorn's log and the traceback of any 500) goes to ``log``, for a
    test to show when it fails (a pipe nobody reads would block a worker that logs much); without
    ``log``, to a temporary file shown only if the server does not start."""
    port = free_port()
    env = {**os.environ, "KB_DATA": str(settings.data), "KB_CORPUS": str(settings.corpus), "KB_RATE_LIMIT": rate_limit,
           **env_extra}
    binary = Path(sys.executable).with_name("gunicorn")
    with tempfile.TemporaryDirectory() as tmp, (log or Path(tmp, "gunicorn.log")).open("ab") as errors:
        process = subprocess.Popen([str(binary), "--workers", str(workers), "--limit-request-line", "8190",
                                    "--bind", f"127.0.0.1:{port}", "web:create_app()"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=errors)
        with serving(process, f"http://127.0.0.1:{port}", "/", "gunicorn", seconds=30, log=Path(errors.name)) as base:
            yield base


@contextmanager
def serving(process: subprocess.Popen, base: str, path: str, name: str, seconds: float,
            log: Path | None = None) -> Iterator[str]:
    """Wait until ``process`` answers ``base + path`` (or say why it did not start), yield
    ``base``, and stop the process afterwards."""
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                with urllib.request.urlopen(base + path, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    logged = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
                    said = process.stderr.read().decode(errors="replace")[-2000:] if process.stderr else ""
                    raise RuntimeError(f"{name} did not start: " + said + logged) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


NGINX_CONF = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream kb_replicas {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://kb_replicas;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""


@contextmanager
def nginx(upstreams: list[str], prefix: Path) -> Iterator[str]:
    """Debian's nginx in front of ``upstreams`` (base URLs), round robin, on a free local port;
    yields its base URL. The same proxy settings as the README's deployment section."""
    import shutil

    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    servers = "\n".join(f"        server {url.removeprefix('http://')};" for url in upstreams)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's private temp folders
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, servers=servers, port=port))
    process = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with serving(process, f"http://127.0.0.1:{port}", "/healthz", "nginx", seconds=15,
                 log=prefix / "error.log") as base:
        yield base
