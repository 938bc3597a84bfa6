"""Generated hostile pages against the extractor: never an unhandled exception; every page
gives sections or a per-file reason; limits on size and time hold.

KB_FUZZ_EXAMPLES sets how many pages Hypothesis tries (default 10,000 in CI;
``python -m benchmarks.fuzz`` runs 100,000).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from indexer.extract import extract
from indexer.limits import PageLimits, PageTimeout, time_budget
from indexer.load import PageFile
from indexer.parallel import Task, extract_one
from kb.errors import ExtractionError
from kb.corpus_config.sources import LOCAL_SOURCE

EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "10000"))

TAGS = ["html", "head", "body", "title", "meta", "script", "style", "noscript", "nav", "header", "footer", "aside",
        "main", "article", "section", "div", "span", "p", "br", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table",
        "tr", "td", "th", "a", "img", "form", "iframe", "svg", "template", "dl", "dt", "dd", "b", "em", "blink", "x-y"]
ATTRS = ["class", "id", "role", "aria-hidden", "hidden", "style", "href", "src", "onerror", "onclick", "lang",
         "property", "name", "content", "rel", "data-x"]
VALUES = ["menu", "share", "footer", "cookie", "related", "article-body", "content", "true", "display:none",
          "javascript:alert(1)", "og:title", "canonical", "Symptoms", "", "\x00", "🩺", "a" * 300]
WORDS = ["Overview", "Symptoms", "Treatment", "Causes", "twitching", "eyelid", "fever", "rash", "doctor",
         "Medically reviewed by Dr X", "Updated 3 May 2023", "Was this helpful?", "Share", "\u202e", "é", "\x00",
         "&amp;", "&lt;script&gt;", "&#0;", "&#xD800;", "\ufeff", "<!--", "-->", "]]>", "<![CDATA[x]]>"]
CODECS = ["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252", "shift_jis", "euc-kr", "gb18030", "koi8-r",
          "utf-32", "iso-8859-7", "mac-roman"]

tag = st.sampled_from(TAGS)
attribute = st.tuples(st.sampled_from(ATTRS), st.one_of(st.sampled_from(VALUES), st.text(max_size=40)))
token = st.one_of(
    st.builds(lambda t, a: f"<{t}" + "".join(f' {k}="{v}"' for k, v in a) + ">", tag, st.lists(attribute, max_size=4)),
    st.builds(lambda t: f"</{t}>", tag),
    st.sampled_from(WORDS),
    st.text(max_size=60),
    st.builds(lambda t: f"<!--{t}-->", st.text(max_size=30)),
    st.builds(lambda t: f"<![CDATA[{t}]]>", st.text(max_size=30)),
    st.sampled_from(["<", ">", "</", "<!", "<!DOCTYPE html>", "<?xml version='1.0'?>", "<meta charset='shift_jis'>",
                     '<meta http-equiv="content-type" content="text/html; charset=utf-7">']),
)


@st.composite
def pages(draw) -> tuple[bytes, str]:
    text = "".join(draw(st.lists(token, max_size=80)))
    codec = draw(st.sampled_from(CODECS))
    data = text.encode(codec, errors="ignore")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # truncated mid-character
    if draw(st.integers(0, 9)) == 0:
        data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00"])) + data
    return data, draw(st.sampled_from([".html", ".htm", ".txt"]))


def check(data: bytes, suffix: str) -> None:
    try:
        article = extract(data, Path("fuzz" + suffix), LOCAL_SOURCE)
    except ExtractionError as exc:
        assert str(exc), "a refusal always says why"
        return
    assert article.sections and all(s.heading or s.text for s in article.sections)
    assert article.id and isinstance(article.title, str)


@pytest.mark.slow  # the long generated or process-killing runs: left out of `make test-fast`
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(page=pages())
def test_generated_pages_give_sections_or_a_reason(page):
    check(*page)


@pytest.mark.slow  # the long generated or process-killing runs: left out of `make test-fast`
@pytest.mark.parametrize("name,data", [
    ("10,000-deep nesting", b"<html><body>" + b"<div>" * 10_000 + b"<p>Deep text about fever.</p>" + b"</div>" * 10_000),
    ("10,000 unclosed", b"<p>Start" + b"<b><i><span>" * 10_000 + b"fever and rash"),
    ("1 MB attribute", b'<html><body><article data-x="' + b"a" * 1_000_000 + b'"><h2>Symptoms</h2><p>Fever.</p></article>'),
    ("NUL bytes", b"<html>\x00<body>\x00<p>fever</p>"),
    ("only a comment", b"<!-- " + b"x" * 100_000 + b" -->"),
    ("unterminated comment", b"<html><body><p>fever</p><!-- never closed " + b"y" * 50_000),
    ("CDATA everywhere", b"<![CDATA[<p>x</p>]]><h2><![CDATA[Symptoms]]></h2><p><![CDATA[fever]]> and rash</p>"),
    ("utf-16 without BOM", "<h2>Symptoms</h2><p>Fever and chills</p>".encode("utf-16-le")),
    ("truncated utf-8", "<h2>Symptômes</h2><p>Fièvre élevée</p>".encode()[:-3]),
    ("huge table", b"<table>" + b"<tr><td>cell</td><td>fever</td></tr>" * 5_000 + b"</table>"),
])
def test_extreme_pages_are_handled(name, data):
    started = time.monotonic()
    check(data, ".html")
    assert time.monotonic() - started < 30, f"{name} took too long"


@settings(max_examples=max(200, EXAMPLES // 20), deadline=None, database=None)
@given(text=st.text(max_size=3000))
def test_generated_text_dumps(text):
    check(text.encode("utf-8", errors="surrogatepass"), ".txt")


def test_a_page_over_the_size_limit_is_refused_naming_the_limit(tmp_path):
    page = tmp_path / "big.html"
    page.write_bytes(b"<p>fever</p>" * 2000)
    outcome = extract_one(Task(PageFile(page, "big.html", LOCAL_SOURCE), tmp_path, "big"),
                          sources=[], limits=PageLimits(max_bytes=10_000))
    assert outcome.article is None and "10,000-byte page limit" in outcome.error


def test_a_page_over_the_time_budget_is_refused_naming_the_budget(tmp_path, monkeypatch):
    import indexer.extract

    def slow(*args, **kwargs):
        time.sleep(5)

    monkeypatch.setattr(indexer.extract, "extract", slow)
    page = tmp_path / "slow.html"
    page.write_bytes(b"<p>fever</p>")
    started = time.monotonic()
    outcome = extract_one(Task(PageFile(page, "slow.html", LOCAL_SOURCE), tmp_path, "slow"),
                          sources=[], limits=PageLimits(seconds=0.3))
    assert time.monotonic() - started < 2
    assert outcome.article is None and "0.3-second page budget" in outcome.error


def test_time_budget_is_lifted_after_the_block():
    with time_budget(0.2):
        pass
    time.sleep(0.3)  # no stray alarm fires afterwards
    with pytest.raises(PageTimeout):
        with time_budget(0.1):
            time.sleep(1)
