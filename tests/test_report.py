"""The curation report on a small corpus with known problems: two sources carrying the same
article, a page that keeps almost nothing, a short section, a title used twice, no dates."""

from __future__ import annotations

import json

from indexer.build import build_index
from kb_cli import main
from kb.config import Settings

SOURCES = """[[source]]
id = "alpha"
name = "Alpha Health"
folder = "alpha"

[[source]]
id = "beta"
name = "Beta Clinic"
folder = "beta"
"""
BODY = " ".join(f"Sentence {n} about knee pain, swelling after walking and stiffness in the morning." for n in range(40))


def page(title: str, body: str, extra: str = "") -> str:
    return (f"<html lang='en'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<h2>Overview</h2><p>{body}</p><h2>Symptoms</h2><p>Knee pain that is worse on stairs and after rest.</p>"
            f"{extra}</article></body></html>")


def test_report_finds_the_planted_problems(tmp_path, runner):
    corpus = tmp_path / "corpus"
    (corpus / "alpha").mkdir(parents=True)
    (corpus / "beta").mkdir()
    (corpus / "sources.toml").write_text(SOURCES)
    (corpus / "alpha" / "knee-pain.html").write_text(page("Knee pain", BODY))
    (corpus / "beta" / "sore-knees.html").write_text(page("Sore knees", BODY.replace("Sentence 3 ", "Line 3 "),
                                                          "<h2>Outlook</h2><p>Good.</p>"))
    (corpus / "beta" / "gout.html").write_text(page("Gout", "Gout is a type of arthritis with sudden joint pain."))
    (corpus / "alpha" / "gout-again.html").write_text(page("Gout", "Gout causes painful, swollen joints, often the big toe."))
    (corpus / "alpha" / "padded.html").write_text(
        "<html><body><script>" + "x" * 200_000 + "</script><article><h2>Overview</h2><p>Tiny text.</p></article></body></html>")
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings)
    result = runner.invoke(main, ["report", "--json", "--corpus", str(corpus), "--data", str(settings.data),
                                  "--html", str(tmp_path / "report.html")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    pair = report["near_duplicates"][0]
    assert {pair["a"], pair["b"]} == {"knee-pain", "sore-knees"} and pair["across_sources"] and pair["similarity"] >= 0.8
    assert {item["title"] for item in report["same_title"]} == {"gout"}
    assert any(item["heading"] == "Outlook" for item in report["short_sections"])
    assert [item["id"] for item in report["little_kept"]] == ["padded"]
    assert len(report["no_date"]) == report["articles"] == 5
    page_html = (tmp_path / "report.html").read_text()
    assert "Near-duplicate articles (1)" in page_html and "<script" not in page_html
    text = runner.invoke(main, ["report", "--corpus", str(corpus), "--data", str(settings.data)]).output
    assert "Near-duplicate articles: 1" in text


def test_stale_articles_most_overdue_first(runner, shipped):
    result = runner.invoke(main, ["report", "--json", "--today", "2026-06-01", "--data", str(shipped.data)])
    stale = json.loads(result.output)["stale"]
    assert stale and stale[0]["overdue_months"] >= stale[-1]["overdue_months"]
    asthma = next(item for item in stale if item["id"] == "asthma")
    assert asthma["policy_months"] == 24 and asthma["overdue_months"] == 4
    assert "hemifacial-spasm" not in {item["id"] for item in stale}


def test_results_show_one_copy_of_an_article_two_sources_publish(tmp_path):
    from web import create_app

    corpus = tmp_path / "corpus"
    (corpus / "alpha").mkdir(parents=True)
    (corpus / "beta").mkdir()
    (corpus / "sources.toml").write_text(SOURCES)
    (corpus / "alpha" / "knee-pain.html").write_text(page("Knee pain", BODY))
    (corpus / "beta" / "sore-knees.html").write_text(page("Sore knees", BODY.replace("Sentence 3 ", "Line 3 ")))
    (corpus / "beta" / "gout.html").write_text(page("Gout", "Gout is a type of arthritis with sudden joint pain."))
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings)
    client = create_app({"KB_CORPUS": str(corpus), "KB_DATA": str(settings.data), "TESTING": True}).test_client()
    data = client.get("/api/search?q=knee pain swelling stiffness").get_json()  # no page=: every face collapses
    articles = list(dict.fromkeys(hit["article_id"] for hit in data["results"]))
    assert len({"knee-pain", "sore-knees"} & set(articles)) == 1
    kept = next(hit for hit in data["results"] if hit["article_id"] in ("knee-pain", "sore-knees"))
    assert kept["also_published_by"] == ["Beta Clinic" if kept["source"] == "alpha" else "Alpha Health"]
    html = client.get("/search?q=knee pain swelling stiffness").get_data(as_text=True)
    assert "Also published by" in html


def test_copies_are_the_pairs_a_full_comparison_finds():
    """The generation-wide copy relation (prefix-filtered) finds exactly the pairs that comparing
    every sketch with every other does, though every article shares its site's template text."""
    from itertools import combinations

    from kb.curation.duplicates import SAME_ARTICLE, copies, sketch, sketch_similarity

    template = " ".join(f"Share this page. Sign up for our newsletter number {n}." for n in range(30))
    words = [f"w{n}" for n in range(400)]
    texts = {}
    for n in range(12):
        body = " ".join(words[n * 30:n * 30 + 60])  # neighbours overlap by half: similar, not copies
        texts[f"a{n}"] = template + " " + body
        if n % 3 == 0:  # a copy with one word changed, and one rewritten
            texts[f"copy{n}"] = template + " " + body.replace(words[n * 30 + 5], "changed")
            texts[f"other{n}"] = template + " " + " ".join(reversed(body.split()))
    sketches = {article: sketch(text) for article, text in texts.items()}
    found = copies(sketches, SAME_ARTICLE)
    expected = {frozenset(pair) for pair in combinations(sketches, 2)
                if sketch_similarity(sketches[pair[0]], sketches[pair[1]]) >= SAME_ARTICLE}
    assert {frozenset((a, b)) for a, others in found.items() for b in others} == expected
    assert "copy0" in found["a0"] and "a1" not in found.get("a0", ())
