"""Red flags and synonyms come built in, so a bare folder of pages is as safe and as forgiving
as the shipped corpus; a corpus's own files add to them or, when they say so, replace them."""

from __future__ import annotations

import json

import pytest

from indexer.build import build_index
from kb.config import Settings
from kb_cli import main
from web import create_app

PAGE = """<html><head><title>{title}</title></head><body><main><h1>{title}</h1>
<h2>Overview</h2><p>{text}</p></main></body></html>"""


@pytest.fixture()
def bare(tmp_path) -> Settings:
    """A corpus that is only pages: no sources.toml, no emergency.txt, no synonyms.txt."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hyperglycemia.html").write_text(PAGE.format(
        title="Hyperglycemia", text="Hyperglycemia means too much glucose in the blood, for example in diabetes."))
    (corpus / "angina.html").write_text(PAGE.format(
        title="Angina", text="Angina is pain or pressure in the chest when the heart muscle lacks oxygen."))
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings)
    return settings


def client_for(settings: Settings):
    return create_app({"KB_CORPUS": str(settings.corpus), "KB_DATA": str(settings.data), "TESTING": True}).test_client()


def test_a_bare_corpus_gets_the_built_in_red_flags(bare):
    client = client_for(bare)
    data = client.get("/api/search", query_string={"q": "chest pain and cant breathe"}).get_json()
    assert data["red_flags"] == ["chest pain", "trouble breathing"]
    html = client.get("/symptoms", query_string={"q": "chest pain, cant breathe"}).get_data(as_text=True)
    assert "call your local emergency number" in html


def test_a_bare_corpus_gets_the_built_in_synonyms(bare):
    data = client_for(bare).get("/api/search", query_string={"q": "high blood sugar"}).get_json()
    assert "hyperglycemia" in data["also_searched"]
    assert data["results"][0]["article_id"] == "hyperglycemia"


def test_a_corpus_file_adds_to_the_built_in_list(bare):
    (bare.corpus / "emergency.txt").write_text("blue lips, lips turning blue\n")
    client = client_for(bare)
    assert client.get("/api/search?q=my lips turning blue").get_json()["red_flags"] == ["blue lips"]
    assert client.get("/api/search?q=chest pain").get_json()["red_flags"] == ["chest pain"]


def test_a_corpus_file_can_replace_the_built_in_list(bare):
    (bare.corpus / "emergency.txt").write_text("#! replace-built-in\nblue lips\n")
    (bare.corpus / "synonyms.txt").write_text("#! replace-built-in\nsugar, glucose\n")
    client = client_for(bare)
    assert client.get("/api/search?q=chest pain").get_json()["red_flags"] == []
    assert client.get("/api/search?q=high blood sugar").get_json()["also_searched"] == ["glucose"]


def test_status_names_the_lists_in_force(bare, runner):
    (bare.corpus / "synonyms.txt").write_text("sugar, glucose\n")
    result = runner.invoke(main, ["status", "--json", "--corpus", str(bare.corpus), "--data", str(bare.data)])
    lists = {item["file"]: item for item in json.loads(result.output)["lists"]}
    assert lists["emergency.txt"]["mode"] == "built-in only" and lists["emergency.txt"]["built_in"] >= 10
    assert lists["synonyms.txt"]["mode"] == "built-in + corpus file" and lists["synonyms.txt"]["corpus_entries"] == 1
    text = runner.invoke(main, ["status", "--corpus", str(bare.corpus), "--data", str(bare.data)]).output
    assert "red flags:      built-in only" in text
    assert "vocabulary:     Human Phenotype Ontology hp/releases/" in text  # the release in force, named
    assert "English words:  pyspellchecker 0.9.1" in text
