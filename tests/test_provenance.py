"""Provenance for readers: source, original page, attribution, review dates and reviewer on
every result and article; "may be out of date" past the source's review policy (with a fixed
clock), and a filter to leave such articles out; under-review sources labelled."""

from __future__ import annotations

import pytest

from kb.curation.freshness import months_between, overdue_months
from web import create_app


@pytest.fixture()
def dated(shipped):
    """The shipped corpus seen on 1 June 2026: WellPath's asthma article (updated January 2024,
    24-month policy) is overdue; the editorial hemifacial spasm one (reviewed March 2025) is not."""
    return create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(shipped.data), "TESTING": True,
                       "KB_TODAY": "2026-06-01"}).test_client()


def test_overdue_months_with_a_fixed_clock():
    from datetime import date

    assert months_between(date(2024, 1, 22), date(2026, 6, 1)) == 28
    assert overdue_months(None, "2024-01-22", 24, date(2026, 6, 1)) == 4
    assert overdue_months("2025-03-14", "2025-03-14", 24, date(2026, 6, 1)) is None
    assert overdue_months(None, None, 24, date(2026, 6, 1)) == 24  # undated under a policy
    assert overdue_months(None, "2000-01-01", 0, date(2026, 6, 1)) is None  # no policy


def test_results_show_where_each_answer_comes_from(dated):
    html = dated.get("/search?q=asthma inhaler").get_data(as_text=True)
    group = html.split('<li class="result">')[1]
    assert "WellPath Health" in group and "May be out of date" in group
    assert 'href="https://www.wellpath-health.example/' in group and 'rel="noopener nofollow"' in group
    assert "Adapted from WellPath Health" in group and "Reviewed by Dr. Colette Mbeki" in group
    fresh = dated.get("/search?q=hemifacial spasm").get_data(as_text=True).split('<li class="result">')[1]
    assert "May be out of date" not in fresh and "Reviewed by Dr. Tobias Lindqvist" in fresh


def test_stale_articles_can_be_left_out(dated):
    shown = {hit["article_id"] for hit in dated.get("/api/search?q=asthma inhaler&fresh=1").get_json()["results"]}
    assert "asthma" not in shown
    everything = dated.get("/api/search?q=asthma inhaler").get_json()["results"]
    first = next(hit for hit in everything if hit["article_id"] == "asthma")
    assert first["may_be_out_of_date"] is True and first["source_name"] == "WellPath Health"
    assert first["original_url"].startswith("https://www.wellpath-health.example/")
    assert "Hide articles that may be out of date" in dated.get("/search?q=asthma").get_data(as_text=True)
    page = dated.get("/search?q=asthma inhaler&fresh=1").get_data(as_text=True)
    assert 'href="/articles/asthma?' not in page and "Show all" in page


def test_article_page_marks_staleness_and_attribution(dated):
    html = dated.get("/articles/asthma").get_data(as_text=True)
    assert "May be out of date:" in html and "24-month review policy" in html
    assert "<dt>Attribution</dt>" in html
    assert "May be out of date" not in dated.get("/articles/hemifacial-spasm").get_data(as_text=True)
    assert dated.get("/api/articles/asthma").get_json()["may_be_out_of_date"] is True


def test_under_review_sources_are_labelled(dated):
    html = dated.get("/search?q=hay fever sneezing").get_data(as_text=True)
    assert "Source under review" in html
    assert "Librarians are reviewing this article's source" in dated.get("/articles/hay-fever").get_data(as_text=True)
    assert dated.get("/api/articles/hay-fever").get_json()["source_trust"] == "under-review"
