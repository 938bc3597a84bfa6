"""Response headers that keep scraped text inert and the site un-framable.

The Content-Security-Policy allows scripts and styles from our own origin only — no inline
code at all — so even a page-text escaping bug could not run a script. Static files are
cached for a day (their names carry no hash, so not longer).
"""

from __future__ import annotations

from flask import Flask, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
STATIC_MAX_AGE = 86_400


def init_app(app: Flask) -> None:
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", STATIC_MAX_AGE)

    @app.after_request
    def secure_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith("/static/") and response.status_code == 200:
            headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}"
        elif "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-cache"
        return response
