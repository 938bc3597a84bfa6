"""The librarians' admin area (``/admin``): sources overview, the curation report, the
searches that found nothing, and a button that starts an incremental re-index.

Off unless ``KB_ADMIN_USER`` and ``KB_ADMIN_PASSWORD_HASH`` are set (there is no default
password); then every page needs a login. Session cookies are HttpOnly and SameSite=Strict,
every form carries a CSRF token, and failed logins are throttled per address. The re-index
runs ``kb index`` as a separate process (the web app never imports the indexer); its
writer lock keeps it to one at a time.
"""

from __future__ import annotations

import logging
import hmac
import secrets
import subprocess
import sys
import threading
import time
from functools import wraps

from flask import (Blueprint, abort, current_app, redirect, render_template, request, session, url_for)
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import check_password_hash

from kb.config import stored_secret
from kb.index import catalogue
from kb.curation.report import SECTIONS, build_report
from kb.curation.status import gather
from web import access

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")

MAX_FAILURES = 5          # failed logins per address …
LOCKOUT_SECONDS = 300     # … before this long a wait


def init_app(app) -> None:
    settings = app.config["KB_SETTINGS"]
    enabled = bool(settings.admin_user and settings.admin_password_hash)
    app.config["KB_ADMIN_ENABLED"] = enabled
    app.extensions["kb_admin_failures"] = {}  # address → times of recent failed logins (this worker)
    if enabled:
        try:
            app.secret_key = settings.secret_key or stored_secret(settings.data)
        except OSError as exc:  # a read-only replica without KB_SECRET_KEY: no admin area here
            log.error("admin area disabled: no KB_SECRET_KEY and the data folder cannot keep one (%s)", exc)
            enabled = app.config["KB_ADMIN_ENABLED"] = False
    if enabled:
        app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
                          SESSION_COOKIE_NAME="kb_admin", PERMANENT_SESSION_LIFETIME=8 * 3600)
        app.session_interface = _SecureOverHttps()
    app.register_blueprint(bp)


class _SecureOverHttps(SecureCookieSessionInterface):
    """The session cookie is ``Secure`` whenever the request came over HTTPS — directly, or to
    nginx in front (``KB_PROXY_HOPS`` makes its X-Forwarded-Proto count): once a librarian
    logs in over HTTPS, the browser never sends the cookie in clear."""

    def get_cookie_secure(self, app) -> bool:
        return request.is_secure or super().get_cookie_secure(app)


def _settings():
    return current_app.config["KB_SETTINGS"]


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="The form expired or did not come from this site; reload the page and try again.")


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_app.config["KB_ADMIN_ENABLED"]:
            return render_template("admin/disabled.html"), 404
        if session.get("user") != _settings().admin_user:
            return redirect(url_for("admin.login", next=request.path))
        if request.method == "POST":
            _check_csrf()
        return view(*args, **kwargs)
    return wrapped


def _throttled(address: str) -> float:
    failures = current_app.extensions["kb_admin_failures"]
    now = time.monotonic()
    recent = [t for t in failures.get(address, []) if now - t < LOCKOUT_SECONDS]
    failures[address] = recent
    return LOCKOUT_SECONDS - (now - recent[0]) if len(recent) >= MAX_FAILURES else 0.0


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not current_app.config["KB_ADMIN_ENABLED"]:
        return render_template("admin/disabled.html"), 404
    error = ""
    status = 200
    if request.method == "POST":
        _check_csrf()
        address = request.remote_addr or "unknown"
        wait = _throttled(address)
        settings = _settings()
        if wait:
            error, status = f"Too many failed attempts. Try again in {int(wait) + 1} seconds.", 429
        elif hmac.compare_digest(request.form.get("user", ""), settings.admin_user) and \
                check_password_hash(settings.admin_password_hash, request.form.get("password", "")):
            session.clear()
            session["user"] = settings.admin_user
            session["csrf"] = secrets.token_urlsafe(32)
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/admin") else url_for("admin.overview"))
        else:
            current_app.extensions["kb_admin_failures"].setdefault(address, []).append(time.monotonic())
            error, status = "Wrong user name or password.", 401
    return render_template("admin/login.html", error=error, csrf=csrf_token()), status


@bp.post("/logout")
@login_required
def logout():
    session.clear()
    return redirect(url_for("pages.home"))


@bp.get("/")
@login_required
def overview():
    state = gather(_settings())
    sources = current_app.extensions["kb_sources"]
    rows = [{"id": source_id, "name": source.name, "licence": source.licence,
             "sections": state["by_source"].get(source_id, 0)} for source_id, source in sources.items()]
    return render_template("admin/overview.html", state=state, sources=rows, csrf=csrf_token(),
                           started=request.args.get("started"))


@bp.get("/report")
@login_required
def report():
    report = build_report(_settings(), access.index(), today=access.today())
    return render_template("admin/report.html", report=report.to_dict(), sections=SECTIONS)


@bp.get("/gaps")
@login_required
def gaps():
    settings = _settings()
    rows = []
    if (settings.data / catalogue.CATALOGUE_FILE).is_file():
        db = catalogue.connect(settings.data)
        try:
            rows = catalogue.zero_results(db, limit=500)
        finally:
            db.close()
    return render_template("admin/gaps.html", rows=rows)


@bp.post("/reindex")
@login_required
def reindex():
    settings = _settings()
    log = (settings.data / "admin-reindex.log").open("ab")
    process = subprocess.Popen([sys.executable, "-m", "kb_cli", "index", "--quiet", "--corpus",
                                str(settings.corpus), "--data", str(settings.data)],
                               stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    threading.Thread(target=process.wait, daemon=True).start()  # reap it when it ends
    return redirect(url_for("admin.overview", started=1))
