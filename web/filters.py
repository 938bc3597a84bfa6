"""Template filters that turn corpus text into HTML — escaped, with only our own <mark>."""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup

from kb.search.snippets import mark_words


def init_app(app: Flask) -> None:
    @app.template_filter("marked")
    def marked(text: str, words) -> Markup:
        """Escape a line of corpus text and mark the reader's search words in it."""
        return Markup(mark_words(text or "", words or frozenset()))
