"""The pages and the JSON API through Flask's test client."""

import re

import pytest


def test_home_has_a_search_box_and_articles(client):
    html = client.get("/").get_data(as_text=True)
    assert '<form class="search-form search-form--big" role="search"' in html
    assert 'name="q"' in html
    assert 'href="/articles/hemifacial-spasm"' in html


def test_results_are_grouped_by_article_and_link_to_sections(client):
    response = client.get("/search", query_string={"q": "eyelid twitching on one side of the face"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    titles = re.findall(r'<h2 class="result-title"><a href="/articles/([^"?]+)\?q=', html)
    assert titles[0] == "hemifacial-spasm"
    assert len(titles) == len(set(titles)), "each article appears once"
    first_group = html.split('<li class="result">')[1]
    # Links carry the query, so the article page can mark the reader's words.
    assert 'href="/articles/hemifacial-spasm?q=eyelid+twitching+on+one+side+of+the+face#symptoms"' in first_group
    assert "<mark>" in first_group


def test_results_page_offers_kind_filters(client):
    html = client.get("/search?q=migraine&kind=treatment").get_data(as_text=True)
    assert re.search(r'aria-current="page">Treatment <span class="count">\d+</span>', html)
    kinds = re.findall(r'<li data-kind="([a-z-]+)">', html)
    assert kinds and set(kinds) == {"treatment"}


def test_article_page_has_toc_anchors_source_and_notice(client):
    html = client.get("/articles/migraine").get_data(as_text=True)
    assert "<h1>Migraine</h1>" in html
    assert 'href="#signs-and-symptoms"' in html and 'id="signs-and-symptoms"' in html
    assert "WellPath Health" in html
    assert "https://www.wellpath-health.example/conditions/migraine" in html
    assert "Not medical advice" in html
    assert 'datetime="2025-06-02"' in html
    assert "You might also like" not in html


def test_unknown_article_is_a_404_page(client):
    response = client.get("/articles/no-such-thing")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/articles/..%2F..%2Fetc%2Fpasswd", "/articles/" + "x" * 300, "/articles/%00"])
def test_odd_article_ids_are_404(client, path):
    assert client.get(path).status_code == 404


def test_api_search_shape(client):
    data = client.get("/api/search?q=botulinum+toxin+injections&limit=5").get_json()
    assert data["query"] == "botulinum toxin injections"
    assert data["total"] >= 5 and len(data["results"]) == 5
    hit = data["results"][0]
    assert set(hit) >= {"article_id", "title", "section_id", "heading", "kind", "score", "snippet", "url"}
    assert hit["kind"] == "treatment" and "<mark>" in hit["snippet"]


def test_api_article(client):
    data = client.get("/api/articles/gerd").get_json()
    assert data["title"] == "GERD (gastroesophageal reflux disease)" and data["sections"][0]["kind"] == "overview"
    assert data["source_name"] == "WellPath Health" and "dropped" not in data
    articles = client.get("/api/articles").get_json()["articles"]
    titles = [a["title"].casefold() for a in articles]
    assert titles == sorted(titles) and {"gerd", "hemifacial-spasm"} <= {a["id"] for a in articles}


@pytest.mark.parametrize("query_string", [
    "q=%22unbalanced", "q=(", "q=AND", "q=OR", "q=NOT", "q=*", "q=field:", "q=" + "x" * 5000,
    "q=%00%01%1b", "q=%E0%A4%A", "q=%ZZ", "q=migraine&q=asthma", "q=%ED%A0%80",
])
@pytest.mark.parametrize("path", ["/search", "/api/search"])
def test_bad_queries_never_fail(client, path, query_string):
    response = client.get(f"{path}?{query_string}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "/work/" not in body
    if path == "/api/search":  # a normal answer: results, or a message saying why there are none
        data = response.get_json()
        assert data["results"] or data["message"]


@pytest.mark.parametrize("query_string, message", [
    ("q=x&limit=abc", "whole number"), ("q=x&limit=0", "between"), ("q=x&limit=99999", "between"),
    ("q=x&kind=astrology", "unknown section kind"),
])
def test_bad_parameters_are_400_in_one_error_shape(client, query_string, message):
    response = client.get(f"/api/search?{query_string}")
    assert response.status_code == 400
    data = response.get_json()
    assert data["ok"] is False and data["status"] == 400 and message in data["error"]


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404 and response.get_json()["ok"] is False


def test_bad_kind_on_the_page_is_a_400_page(client):
    response = client.get("/search?q=x&kind=%3Cscript%3E")
    assert response.status_code == 400
    assert "<script>" not in response.get_data(as_text=True)


OUR_SCRIPTS = re.compile(r'<script src="/static/autocomplete\.js" defer></script>|'
                         r'<script type="application/ld\+json">[^<]*</script>')


def test_page_scripts_never_reach_the_browser(trap_client):
    for path in ["/articles/trap-article", "/search?q=xss+onerror+script+trap", "/api/search?q=xss+onerror+trap"]:
        body = trap_client.get(path).get_data(as_text=True)
        assert "<script" not in OUR_SCRIPTS.sub("", body).lower(), path
        assert "<img" not in body.lower(), path
        assert "onclick=" not in body and "<b " not in body, path
    article = trap_client.get("/articles/trap-article").get_data(as_text=True)
    assert "&lt;script&gt;" in article  # shown as text, not run
    assert "javascript:" not in article  # the hostile canonical URL is not linked


def test_missing_index_is_a_clear_503(tmp_path):
    from web import create_app
    client = create_app({"KB_DATA": str(tmp_path), "TESTING": True}).test_client()
    response = client.get("/search?q=migraine")
    assert response.status_code == 503
    assert "kb index" in response.get_data(as_text=True)
    assert client.get("/api/search?q=migraine").get_json()["status"] == 503


def test_new_generation_is_picked_up_without_restart(tmp_path, trap):
    import shutil
    from indexer.build import build_index
    from kb.config import Settings
    from web import create_app

    corpus = tmp_path / "corpus"
    shutil.copytree(trap.corpus, corpus)
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings, force=True)
    client = create_app({"KB_CORPUS": str(corpus), "KB_DATA": str(settings.data), "TESTING": True}).test_client()
    assert client.get("/api/search?q=marmalade").get_json()["total"] == 0
    (corpus / "site" / "new.txt").write_text("Title: Marmalade rash\n\nOverview\n\nA rash after eating marmalade.\n")
    build_index(settings, force=True)
    found = client.get("/api/search?q=marmalade").get_json()
    assert [hit["title"] for hit in found["results"]][:1] == ["Marmalade rash"]
