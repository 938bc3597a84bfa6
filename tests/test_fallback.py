"""A page with several paragraphs of prose never comes out empty: when every wrapper of the
article has a name that sounds like furniture, the densest prose is read instead, the page says
so, and the librarian's report lists it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.extract import FALLBACK_WARNING, extract
from kb.config import Settings
from kb.errors import ExtractionError
from kb.search.query import search
from kb_cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "fallback"
PAGE = FIXTURES / "chilblains-page-builder.html"


def test_article_in_furniture_named_wrappers_is_read_from_the_densest_prose():
    article = extract(PAGE.read_bytes(), PAGE)
    assert article.title == "Chilblains"
    assert [section.heading for section in article.sections] == ["Overview", "Symptoms", "What helps"]
    assert "two to three weeks" in article.sections[-1].text
    assert article.warnings == [FALLBACK_WARNING]
    assert article.dropped[0].reason == "fallback:densest-prose"
    assert "Home Services Contact" not in " ".join(section.text for section in article.sections)


def test_a_page_without_prose_still_fails_with_the_reason():
    page = b"<html><body><div class='share-bar'><p>Share</p></div><div class='widget'><p>Tweet</p></div></body></html>"
    with pytest.raises(ExtractionError, match="no article text found"):
        extract(page, Path("empty.html"))


def test_a_normal_page_carries_no_warning():
    page = (b"<html><body><article><h1>Chilblains</h1><p>Chilblains are small itchy swellings on the toes that follow"
            b" cold.</p><p>They usually heal on their own within a few weeks if the feet are kept warm.</p>"
            b"</article></body></html>")
    assert extract(page, Path("chilblains.html")).warnings == []


def test_fallback_pages_are_indexed_noted_and_listed_for_the_librarian(tmp_path, runner):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(PAGE, corpus / PAGE.name)
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    report = build_index(settings)
    assert any("read by a fallback" in note and PAGE.name in note for note in report.notes)
    page = search("chilblains itchy toes", settings=settings)
    assert page.results and page.results[0].title == "Chilblains"
    result = runner.invoke(main, ["report", "--json", "--corpus", str(corpus), "--data", str(settings.data)])
    assert result.exit_code == 0, result.output
    assert [(item["path"], item["warning"]) for item in json.loads(result.output)["warnings"]] == \
        [(PAGE.name, FALLBACK_WARNING)]
