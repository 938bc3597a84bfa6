"""What a scraped page showed after its article (rating widgets, teaser cards, template
placeholders, the site's disclaimer) never reaches the index, and never lends the article facts."""

from pathlib import Path

import pytest

from benchmarks.tails import FIXTURES, HELD_OUT, expectations, kept_lines, leaked, wrong_facts, wrong_kinds
from indexer.extract import extract

PAGES = [(folder, page) for folder in (FIXTURES, HELD_OUT) for page in expectations(folder)]


@pytest.mark.parametrize("folder,page", PAGES, ids=[page["file"] for _folder, page in PAGES])
def test_tail_of_a_scraped_page_is_not_indexed(folder, page):
    path = folder / page["file"]
    article = extract(path.read_bytes(), path)
    assert leaked(page, article, folder) == []
    assert any(page["last"] in line for line in kept_lines(article)), "the article's own last line was lost"
    assert wrong_facts(page, article) == {}
    assert wrong_kinds(page, article) == {}


ARTICLE = [
    "Heat rash",
    "Heat rash is an itchy rash of small raised spots that appears when sweat is trapped under the skin in hot weather.",
    "Symptoms",
    "Small red or skin-coloured spots appear where clothes rub or sweat collects, often with a prickling feeling.",
]


def dump(*lines: str) -> bytes:
    return "\n".join(lines).encode()


def test_a_rating_prompt_mid_article_does_not_cut_what_follows():
    article = extract(dump(*ARTICLE, "Was this helpful?", "Treatment",
                           "Keep the skin cool, wear loose cotton clothes and avoid heavy creams that block the pores.",
                           "Most heat rash settles within a few days without any treatment at all once you cool down."),
                      Path("heat-rash.txt"))
    assert [section.heading for section in article.sections][-1] == "Treatment"
    assert "Was this helpful?" not in kept_lines(article)


def test_teaser_cards_without_an_opener_are_cut_and_lend_no_byline():
    article = extract(dump(*ARTICLE, "Treatment",
                           "Keep the skin cool, wear loose cotton clothes and avoid heavy creams that block the pores.",
                           "Sunburn: first aid", "Skin", "By Ada Lindqvist", "Updated June 3, 2025", "5 min read",
                           "Prickly feet in summer", "Skin", "May 28, 2025", "3 min read"),
                      Path("heat-rash.txt"))
    lines = kept_lines(article)
    assert lines[-1].startswith("Keep the skin cool")
    assert article.authors == [] and article.updated is None


def test_template_placeholders_are_dropped_anywhere():
    article = extract(dump(*ARTICLE[:2], "{{ author.name }}", *ARTICLE[2:], "[[RELATED_LINKS]]"), Path("heat-rash.txt"))
    assert not any("{{" in line or "[[" in line for line in kept_lines(article))
    assert [d.reason for d in article.dropped].count("placeholder") == 2


def test_a_review_date_that_ends_the_article_stays_its_fact():
    article = extract(dump(*ARTICLE, "Page last reviewed: 12 March 2024", "Next review due: 12 March 2027"),
                      Path("heat-rash.txt"), )
    assert article.reviewed == "2024-03-12"


def test_a_title_with_a_colon_is_not_a_header():
    article = extract(dump("Heat rash: what helps", "By Noor Haddad | Published 2 July 2024", *ARTICLE[1:]),
                      Path("heat-rash.txt"))
    assert article.title == "Heat rash: what helps"
    assert article.authors == ["Noor Haddad"] and article.published == "2024-07-02"


def test_a_when_to_see_a_doctor_heading_under_symptoms_keeps_its_kind():
    html = ("<html><body><main><h1>Heat rash</h1><p>" + ARTICLE[1] + "</p><h2>Symptoms</h2><p>" + ARTICLE[3] +
            "</p><h3>When should I call my doctor?</h3><p>Call your doctor if the spots do not fade after a few days"
            " in the cool, or if you feel feverish and unwell.</p></main></body></html>")
    article = extract(html.encode(), Path("heat-rash.html"))
    assert [(s.heading, s.kind) for s in article.sections][-1] == ("When should I call my doctor?",
                                                                   "when-to-see-a-doctor")
