"""Highlighted snippets: the one place where corpus text becomes HTML.

Whoosh escapes all text of a fragment; only our bare ``<mark>`` tags are added.
"""

from __future__ import annotations

import html

from whoosh.highlight import ContextFragmenter, HtmlFormatter, get_text, highlight

from kb.schema import text_analyzer

SNIPPET_CHARS = 240
_ANALYZER = text_analyzer()


class MarkFormatter(HtmlFormatter):
    """Wrap matched words in a bare ``<mark>``; Whoosh escapes all text around them.
    Fragments cut from the middle of a section get an ellipsis on the cut side."""

    def format_token(self, text, token, replace=False):
        return "<mark>%s</mark>" % self._text(get_text(text, token, replace))

    def format_fragment(self, fragment, replace=False):
        body = super().format_fragment(fragment, replace=replace).strip()
        before = "… " if fragment.startchar > 0 else ""
        after = " …" if fragment.endchar < len(fragment.text) else ""
        return before + body + after

    def format(self, fragments, replace=False):
        # Two fragments cut at the same gap would show "… …".
        return super().format(fragments, replace=replace).replace("… …", "…")


def flatten(body: str) -> str:
    """One line of text for a snippet: list items become "• item" inline."""
    return " ".join("• " + line[2:] if line.startswith("- ") else line for line in body.splitlines())


def opening(text: str) -> str:
    """The section's opening words, escaped, for a hit whose body holds none of the words."""
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(text, quote=False)


def snippet(fields: dict, words: list[str]) -> str:
    """Safe HTML for one section: the best fragments of its body with the query's words marked."""
    body = flatten(fields.get("body", ""))
    if not body:
        return ""
    marked = highlight(body, frozenset(words), _ANALYZER, ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
                       MarkFormatter(between=" "), top=2)
    return marked or opening(body)


_TOKEN = __import__("re").compile(r"[^\W_]+")


def mark_words(text: str, words: frozenset[str] | set[str]) -> str:
    """Safe HTML for a whole line of corpus text: everything escaped, and each word whose
    analysed form is in ``words`` wrapped in ``<mark>`` (the article page, arriving from a search)."""
    if not words:
        return html.escape(text, quote=False)
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        analysed = [token.text for token in _ANALYZER(match.group(0))]
        if analysed and analysed[0] in words:
            out.append(html.escape(text[last:match.start()], quote=False))
            out.append("<mark>" + html.escape(match.group(0), quote=False) + "</mark>")
            last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)
