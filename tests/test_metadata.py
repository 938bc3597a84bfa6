"""Page facts: structured data, meta tags, bylines, dates and titles."""

import json
from pathlib import Path

import pytest

from indexer.dates import parse_date
from indexer.extract import extract

BODY = "<article><h2>Overview</h2><p>Eczema makes the skin dry, itchy and inflamed in many children.</p></article>"


def facts(head: str = "", body: str = BODY, html_attrs: str = ""):
    return extract(f"<html {html_attrs}><head>{head}</head><body>{body}</body></html>".encode(), Path("p.html"))


def test_json_ld_medical_web_page():
    data = {"@context": "https://schema.org", "@type": "MedicalWebPage", "headline": "Eczema in children",
            "datePublished": "2021-02-03", "dateModified": "2023-04-05T10:00:00Z", "lastReviewed": "2024-06-07",
            "author": [{"@type": "Person", "name": "Kim Lee"}], "reviewedBy": {"@type": "Person", "name": "Dr. Sam Roy"}}
    article = facts(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    assert (article.published, article.updated, article.reviewed) == ("2021-02-03", "2023-04-05", "2024-06-07")
    assert article.authors == ["Kim Lee"] and article.reviewed_by == ["Dr. Sam Roy"]
    assert article.title == "Eczema in children"


def test_broken_json_ld_is_ignored():
    article = facts('<script type="application/ld+json">{"@type": "Article", </script><title>Eczema</title>')
    assert article.title == "Eczema"


def test_open_graph_canonical_and_language():
    article = facts('<meta property="og:url" content="https://a.example/x"><link rel="canonical" href="https://a.example/eczema">'
                    '<meta property="article:modified_time" content="2022-09-10">', html_attrs='lang="en-GB"')
    assert article.url == "https://a.example/eczema" and article.language == "en" and article.updated == "2022-09-10"


@pytest.mark.parametrize("line, field, value", [
    ("Updated on 5 Nov 2020", "updated", "2020-11-05"),
    ("Update Date 11/05/2020", "updated", "2020-11-05"),
    ("Last reviewed: March 3, 2021", "reviewed", "2021-03-03"),
    ("Published: 2019-07-01", "published", "2019-07-01"),
])
def test_byline_dates(line, field, value):
    article = facts(body=f"<article><p>{line}</p>" + BODY[9:])
    assert getattr(article, field) == value


@pytest.mark.parametrize("text, order, expected", [
    ("03/04/2021", "MDY", "2021-03-04"), ("03/04/2021", "DMY", "2021-04-03"), ("25/12/2020", "MDY", "2020-12-25"),
    ("Sept 3rd, 2024", "MDY", "2024-09-03"), ("14 March 2025", "MDY", "2025-03-14"), ("2025-13-40", "MDY", None),
    ("no date here", "MDY", None),
])
def test_date_formats_and_order(text, order, expected):
    assert parse_date(text, order) == expected


@pytest.mark.parametrize("head, body, title", [
    ("<title>ACS :: Targeted Therapy</title>", "<div><p>Targeted therapy uses drugs that attack cancer cells. ACS explains it.</p></div>",
     "Targeted Therapy"),
    ("<title>What is GERD?|Medical Health Information and News</title>",
     "<div class='top'><h1>Health information and news</h1></div><div><p>GERD is reflux of stomach acid into the food pipe.</p></div>",
     "What is GERD?"),
    ("<title>Coffee May Slow Liver Disease: MedlinePlus</title>",
     "<div><h3>Coffee May Slow Liver Disease</h3><p>Researchers looked at coffee drinkers with hepatitis C.</p></div>",
     "Coffee May Slow Liver Disease"),
    ("<title>Gout - Overview - jointchannel</title>", "<article><h1>Gout</h1><p>Gout causes sudden painful joints in adults.</p></article>",
     "Gout"),
])
def test_title_is_what_the_page_and_its_title_agree_on(head, body, title):
    assert facts(head, body).title == title
