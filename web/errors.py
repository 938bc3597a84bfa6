"""One error shape for JSON (``{"ok": false, "error", "status"}``) and one template for HTML.

A reader's mistake is a 4xx with a plain message; a missing index is a 503 that
says what to run; anything else is a 500 that shows no internals.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from kb.errors import IndexMissing, IndexOutdated

log = logging.getLogger(__name__)

TITLES = {400: "That request could not be understood", 404: "Page not found", 405: "Not allowed",
          429: "Too many requests", 500: "Something went wrong", 503: "The search index is not ready"}


def error_response(status: int, message: str):
    """Render an error as JSON under /api/, as the site's error page elsewhere."""
    if request.path.startswith("/api/"):
        response = jsonify({"ok": False, "error": message, "status": status})
        response.status_code = status
        return response
    title = TITLES.get(status, "Error")
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, InternalServerError):  # raised outside a view (a hook, a teardown): log the cause
            original = getattr(exc, "original_exception", None) or exc
            log.error("unhandled error on %s", request.path, exc_info=original)
            return error_response(500, "An unexpected error happened. Please try again.")
        return error_response(exc.code or 500, exc.description or TITLES.get(exc.code or 500, "Error"))

    @app.errorhandler(IndexMissing)
    @app.errorhandler(IndexOutdated)
    def index_not_ready(exc: Exception):
        log.error("%s", exc)
        return error_response(503, "The search index has not been built yet. An editor needs to run `kb index`.")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        return error_response(500, "An unexpected error happened. Please try again.")
