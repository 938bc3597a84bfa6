"""The readers' front end through Flask's test client: security headers, the answer card,
pagination, browsing by kind, highlighted articles, JSON-LD, and the OpenAPI document."""

from __future__ import annotations

import json
import re

import pytest

PAGES = ["/", "/search?q=migraine", "/search?q=zzqx+blorf", "/articles/migraine", "/kinds/treatment",
         "/symptoms?q=eyelid+twitching", "/no/such/page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(client, path):
    html = client.get(path).get_data(as_text=True)
    assert " style=" not in html and "<style" not in html
    for script in re.findall(r"<script[^>]*>", html):
        assert script in ('<script src="/static/autocomplete.js" defer>', '<script type="application/ld+json">')
    assert not re.search(r"\son[a-z]+=", html)  # no event-handler attributes
    assert '<html lang="en">' in html


def test_static_files_are_cached(client):
    with client.get("/static/style.css") as response:
        assert response.status_code == 200 and "max-age=86400" in response.headers["Cache-Control"]
    assert "no-cache" in client.get("/search?q=gout").headers["Cache-Control"]


def test_answer_card_quotes_the_section(client):
    html = client.get("/search?q=what causes kidney stones").get_data(as_text=True)
    card = html.split('<section class="answer"', 1)[1].split("</section>", 1)[0]
    assert "Kidney stones: Causes" in card and "quoted from the article" in card
    assert html.index('class="answer"') < html.index('class="results"')
    data = client.get("/api/search?q=what causes kidney stones&page=1").get_json()
    assert data["answer"]["article_id"] == "kidney-stones" and data["answer"]["kind"] == "causes"
    assert data["answer"]["text"] in client.get("/api/articles/kidney-stones").get_data(as_text=True).replace("\\n", "\n")


def test_no_answer_card_without_a_clear_question(client):
    assert 'class="answer"' not in client.get("/search?q=headache").get_data(as_text=True)


def test_results_are_paginated_by_article(client):
    first = client.get("/api/search?q=pain&page=1").get_json()
    second = client.get("/api/search?q=pain&page=2").get_json()
    assert first["pagination"]["pages"] >= 2 and first["pagination"]["page"] == 1
    ids = lambda data: {hit["article_id"] for hit in data["results"]}  # noqa: E731
    assert len(ids(first)) == 10 and ids(first).isdisjoint(ids(second))
    html = client.get("/search?q=pain&page=2").get_data(as_text=True)
    assert "page 2 of" in html and 'rel="prev"' in html and '<span aria-current="page">2</span>' in html
    beyond = client.get("/search?q=pain&page=40").get_data(as_text=True)
    assert "There are no more results" in beyond
    assert client.get("/search?q=pain&page=0").status_code == 400
    assert client.get("/api/search?q=pain&page=abc").get_json()["status"] == 400


def test_no_results_page_helps(client):
    html = client.get("/search?q=zzqx+blorf").get_data(as_text=True)
    assert "search by symptoms" in html and "A–Z" in html


def test_browse_by_kind(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/kinds/treatment"' in home and 'href="/kinds/symptoms"' in home
    html = client.get("/kinds/symptoms").get_data(as_text=True)
    assert 'href="/articles/hemifacial-spasm#symptoms"' in html
    data = client.get("/api/kinds/symptoms").get_json()
    assert len({s["article_id"] for s in data["sections"]}) == 36
    assert client.get("/kinds/astrology").status_code == 404
    assert client.get("/api/kinds/astrology").get_json()["status"] == 404


def test_article_marks_the_search_words_when_arriving_from_a_search(client):
    html = client.get("/articles/hemifacial-spasm?q=eyelid twitching").get_data(as_text=True)
    assert "<mark>twitching</mark>" in html or "<mark>Twitching</mark>" in html
    assert "Show without highlights" in html
    plain = client.get("/articles/hemifacial-spasm").get_data(as_text=True)
    assert "<mark>" not in plain


def test_article_marking_escapes_everything_else(trap_client):
    html = trap_client.get("/articles/trap-article?q=script alert").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;" in html


def test_article_json_ld_and_related(client):
    html = client.get("/articles/migraine").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">([^<]*)</script>', html)[1]
    data = json.loads(block)
    assert data["@type"] == "MedicalWebPage" and data["about"]["name"] == "Migraine"
    assert data["reviewedBy"] == [{"@type": "Person", "name": "Dr. Anika Brandstrom"}]
    assert "lastReviewed" not in data  # the page names a reviewer but no review date: nothing is made up
    editorial = client.get("/articles/hemifacial-spasm").get_data(as_text=True)
    assert '"lastReviewed": "2025-03-14"' in editorial
    assert "Related articles" in html
    related = client.get("/api/articles/migraine").get_json()["related"]
    assert "tension-headache" in {r["id"] for r in related} and "migraine" not in {r["id"] for r in related}


def test_external_links_are_marked_and_safe(client, trap_client):
    html = client.get("/articles/migraine").get_data(as_text=True)
    for link in re.findall(r'<a href="https?://[^"]+"[^>]*>', html):
        assert 'rel="noopener nofollow"' in link
    trap = trap_client.get("/articles/trap-article").get_data(as_text=True)
    assert not re.search(r'href="\s*(javascript|data|vbscript):', trap, re.I)


def test_openapi_describes_every_api_endpoint(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    served = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/")}
    assert served == documented
    assert spec["components"]["schemas"]["Error"]["required"] == ["ok", "error", "status"]


@pytest.mark.parametrize("path,status", [("/api/articles/nope", 404), ("/api/search?limit=0", 400),
                                         ("/api/search?kind=astrology", 400), ("/api/nothing", 404)])
def test_api_errors_are_json_with_the_right_status(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.get_json() == {"ok": False, "error": response.get_json()["error"], "status": status}


@pytest.mark.parametrize("path,status,title", [("/articles/nope", 404, "Page not found"),
                                               ("/search?q=x&limit=x&page=-1", 400, "could not be understood")])
def test_error_pages_share_the_site_style(client, path, status, title):
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == status and title in html and 'class="skip-link"' in html


def test_searches_that_find_nothing_are_counted_without_personal_data(shipped, tmp_path):
    import shutil
    import sqlite3

    from kb.index.catalogue import CATALOGUE_FILE, connect, zero_results
    from web import create_app

    data = tmp_path / "data"
    shutil.copytree(shipped.data, data)
    client = create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(data), "TESTING": True}).test_client()
    client.get("/search?q=Xqzt  Vlörp", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    client.get("/api/search?q=xqzt vlorp")
    client.get("/search?q=migraine")  # found: not logged
    client.get("/symptoms?q=qqqz blorf")
    db = connect(data)
    try:
        gaps = {row["query"]: row["count"] for row in zero_results(db)}
        dump = "\n".join(db.iterdump())
    finally:
        db.close()
    assert gaps["xqzt vlorp"] == 2 and gaps["qqqz blorf"] == 1 and "migraine" not in gaps
    assert "203.0.113.7" not in dump
    assert sqlite3.connect(data / CATALOGUE_FILE).execute("PRAGMA user_version").fetchone()[0] >= 2
