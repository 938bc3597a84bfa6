"""Indexing: one document per section, bad pages reported and skipped, the serving index protected."""

import shutil

import pytest
from whoosh import query as q

from indexer.build import build_index
from kb.config import Settings
from kb.errors import IndexRefused
from kb.index.generations import current_generation
from kb.index.handle import IndexHandle


def test_each_section_is_one_document(shipped, shipped_index):
    with shipped_index.searcher() as searcher:
        docs = list(searcher.documents(article_id="hemifacial-spasm"))
    headings = [d["heading"] for d in sorted(docs, key=lambda d: d["position"])]
    assert headings[:3] == ["Overview", "Symptoms", "Causes"]
    assert len({d["section_id"] for d in docs}) == len(docs)
    symptoms = next(d for d in docs if d["heading"] == "Symptoms")
    assert symptoms["kind"] == "symptoms"
    assert symptoms["section_id"] == "hemifacial-spasm#symptoms"
    assert symptoms["source"] == "kb-editorial"
    assert symptoms["url"] == "https://kb.example/articles/hemifacial-spasm"
    assert symptoms["updated"] == "2025-03-14"


def test_shipped_corpus_has_all_articles(shipped_index):
    with shipped_index.searcher() as searcher:
        articles = {d["article_id"] for d in searcher.documents()}
    assert len(articles) >= 30
    for required in ["hemifacial-spasm", "blepharospasm", "bells-palsy", "trigeminal-neuralgia", "migraine",
                     "tension-headache", "type-2-diabetes", "asthma", "eczema", "gerd"]:
        assert required in articles


def test_bad_pages_are_reported_and_the_rest_indexed(tmp_path, trap):
    report = build_index(Settings(corpus=trap.corpus, data=tmp_path), force=True)
    failed = {f.relative: f.reason for f in report.failures}
    assert set(failed) == {"site/binary-junk.html", "site/empty-page.html"}
    assert "binary" in failed["site/binary-junk.html"]
    assert "no article text" in failed["site/empty-page.html"]
    assert report.articles == 2 and report.files == 4


def test_a_build_with_nothing_to_index_leaves_the_serving_index(tmp_path, trap):
    corpus = tmp_path / "corpus"
    shutil.copytree(trap.corpus, corpus)
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings, force=True)
    serving = current_generation(settings.index_dir)
    for page in (corpus / "site").iterdir():
        if page.name not in ("binary-junk.html", "empty-page.html"):
            page.unlink()
    with pytest.raises(IndexRefused, match="left unchanged"):
        build_index(settings, force=True)
    assert current_generation(settings.index_dir) == serving
    assert [p.name for p in settings.index_dir.glob("gen-*")] == [serving.name]


def test_rebuild_switches_generation_and_keeps_the_previous(tmp_path, trap):
    settings = Settings(corpus=trap.corpus, data=tmp_path)
    first = build_index(settings, full=True, force=True).generation
    second = build_index(settings, full=True, force=True).generation
    third = build_index(settings, full=True, force=True).generation
    assert current_generation(settings.index_dir).name == third
    remaining = sorted(p.name for p in settings.index_dir.glob("gen-*"))
    assert remaining == sorted([second, third]) and first not in remaining


def test_builds_are_deterministic(tmp_path, trap):
    def snapshot(data):
        settings = Settings(corpus=trap.corpus, data=data)
        build_index(settings, force=True)
        handle = IndexHandle(settings.index_dir)
        with handle.searcher() as searcher:
            docs = sorted((d["section_id"], d["body"]) for d in searcher.documents())
        handle.close()
        return docs

    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_duplicate_file_names_get_distinct_article_ids(tmp_path, trap):
    corpus = tmp_path / "corpus"
    shutil.copytree(trap.corpus, corpus)
    (corpus / "other").mkdir()
    shutil.copy(corpus / "site" / "trap-article.html", corpus / "other" / "trap-article.html")
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings, force=True)
    handle = IndexHandle(settings.index_dir)
    with handle.searcher() as searcher:
        ids = {d["article_id"] for d in searcher.search(q.Term("heading", "overview"), limit=None)}
    handle.close()
    # The first keeps its name; the copy is named after the source of its folder.
    assert {"trap-article", "testsite-trap-article"} <= ids
