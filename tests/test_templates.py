"""Template detection: a line on most pages of a source is furniture, whatever its markup."""

from pathlib import Path

from indexer.build import BuildReport
from indexer.preview import extract_in_corpus, load_articles
from kb.config import Settings

PROMO = "Our nurses answer your questions every weekday from eight until six."
SOURCES = '[[source]]\nid = "clinic"\nname = "Clinic"\nfolder = "clinic"\n'


def write_corpus(root: Path, pages: int) -> Path:
    corpus = root / "corpus"
    (corpus / "clinic").mkdir(parents=True)
    (corpus / "sources.toml").write_text(SOURCES)
    for n in range(pages):
        (corpus / "clinic" / f"topic-{n}.html").write_text(
            f"<html><body><article><h1>Topic {n}</h1><h2>Overview</h2><p>Topic {n} is a condition with its own story number {n}.</p>"
            f"<p>{PROMO}</p><ul><li>Fever</li></ul></article></body></html>")
    return corpus


def test_lines_on_most_pages_of_a_source_are_removed(tmp_path):
    corpus = write_corpus(tmp_path, 5)
    articles = load_articles(corpus, BuildReport())
    for article in articles:
        text = "\n".join(s.text for s in article.sections)
        assert PROMO not in text and "- Fever" in text and "own story" in text
        assert any(d.reason == "template" for d in article.dropped)


def test_a_small_source_has_no_template(tmp_path):
    corpus = write_corpus(tmp_path, 3)
    assert all(PROMO in a.sections[0].text for a in load_articles(corpus, BuildReport()))


def test_kb_extract_applies_the_same_template(tmp_path):
    corpus = write_corpus(tmp_path, 5)
    article = extract_in_corpus(corpus / "clinic" / "topic-2.html", Settings(corpus=corpus, data=tmp_path / "d"))
    assert PROMO not in article.sections[0].text
    assert article.source == "clinic"
