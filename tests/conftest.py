"""Shared fixtures: indexes built once per session from the shipped corpus and a small
hostile test corpus, Flask apps and clients on them, and a click runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from kb.config import Settings, shipped_corpus
from kb.index.handle import IndexHandle
from kb.search.query import search
from web import create_app

FIXTURES = Path(__file__).parent / "fixtures"
# Apps and servers started by tests do not warm their index in a background thread (a test
# that is about warming turns it on); gunicorn processes inherit this too.
os.environ["KB_WARM"] = "0"


def search_index(settings: Settings, query: str, limit: int = 10):
    """Search the index ``settings`` serve now, through a handle of its own (closed after)."""
    handle = IndexHandle(settings.index_dir)
    try:
        return search(query, index=handle, limit=limit)
    finally:
        handle.close()


ONE_SECTION_PAGE = "<html><head><title>{0}</title></head><body><main><h1>{0}</h1><h2>Overview</h2><p>{1}</p></main></body></html>"


def indexed_corpus(tmp_path, files: dict[str, tuple[str, str]]):
    """Write ``files`` (path in the corpus → title, text) as pages and index them: the settings."""
    corpus = tmp_path / "corpus"
    for path, (title, text) in files.items():
        (corpus / path).parent.mkdir(parents=True, exist_ok=True)
        (corpus / path).write_text(ONE_SECTION_PAGE.format(title, text))
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    assert build_index(settings).failures == []
    return settings


@pytest.fixture(scope="session")
def shipped(tmp_path_factory) -> Settings:
    """Settings whose data folder holds an index of the shipped corpus."""
    settings = Settings(corpus=shipped_corpus(), data=tmp_path_factory.mktemp("shipped-data"))
    report = build_index(settings)
    assert report.failures == [], report.failures
    return settings


@pytest.fixture(scope="session")
def shipped_index(shipped):
    handle = IndexHandle.for_settings(shipped)
    yield handle
    handle.close()


@pytest.fixture(scope="session")
def trap(tmp_path_factory) -> Settings:
    """Settings on an index of the test corpus (a page full of script, junk and empty pages)."""
    corpus = tmp_path_factory.mktemp("trap-corpus") / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    settings = Settings(corpus=corpus, data=tmp_path_factory.mktemp("trap-data"))
    build_index(settings, force=True)  # half its files are meant to fail
    return settings


@pytest.fixture(scope="session")
def trap_index(trap):
    handle = IndexHandle.for_settings(trap)
    yield handle
    handle.close()


@pytest.fixture()
def app(shipped):
    return create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(shipped.data), "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def trap_client(trap):
    return create_app({"KB_CORPUS": str(trap.corpus), "KB_DATA": str(trap.data), "TESTING": True}).test_client()


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def indexed(tmp_path_factory) -> Settings:
    """A private copy of the shipped corpus and its index, built once, for tests that edit them."""
    root = tmp_path_factory.mktemp("indexed")
    shutil.copytree(shipped_corpus(), root / "corpus")
    settings = Settings(corpus=root / "corpus", data=root / "data")
    build_index(settings)
    return settings


@pytest.fixture()
def editor(indexed, tmp_path) -> Settings:
    """A fresh copy of that corpus and data folder per test (mtimes kept, so nothing looks changed)."""
    shutil.copytree(indexed.corpus, tmp_path / "corpus")
    shutil.copytree(indexed.data, tmp_path / "data")
    return Settings(corpus=tmp_path / "corpus", data=tmp_path / "data")


@pytest.fixture(scope="session")
def levels(tmp_path_factory) -> Settings:
    """An index of two invented articles from two sources with their own licences: "Dry skin"
    (easy sections, one difficult one, one too short to judge) and "Chronic itch" (difficult)."""
    corpus = tmp_path_factory.mktemp("levels-corpus") / "corpus"
    shutil.copytree(FIXTURES / "levels", corpus)
    settings = Settings(corpus=corpus, data=tmp_path_factory.mktemp("levels-data"))
    report = build_index(settings)
    assert report.failures == [], report.failures
    return settings


@pytest.fixture()
def levels_client(levels):
    return create_app({"KB_CORPUS": str(levels.corpus), "KB_DATA": str(levels.data), "TESTING": True}).test_client()
