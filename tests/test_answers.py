"""The workers' answer cache: a repeated search is answered from memory, but never with an
answer of an older index generation or older synonym list, and searches that found nothing
are still counted each time."""

from __future__ import annotations

from indexer.build import build_index
from kb.index import catalogue
from web import create_app
from web.answers import AnswerCache

PAGE = "editorial/hemifacial-spasm.html"
ANCHOR = '<h2 id="symptoms">Symptoms</h2>'


def app_for(settings, **config):
    return create_app({"KB_CORPUS": str(settings.corpus), "KB_DATA": str(settings.data), "TESTING": True,
                       "KB_RATE_LIMIT": "off", **config})


def total(client, query: str) -> int:
    return client.get("/api/search", query_string={"q": query}).get_json()["total"]


def test_a_new_generation_is_never_answered_from_an_older_one(editor):
    app = app_for(editor)
    client = app.test_client()
    assert total(client, "blorptide quaxin") == 0
    assert total(client, "blorptide quaxin") == 0 and len(app.extensions["kb_answers"]) >= 1  # kept
    page = editor.corpus / PAGE
    page.write_text(page.read_text().replace(ANCHOR, ANCHOR + "<p>Some feel a blorptide quaxin in the cheek.</p>"))
    build_index(editor)
    assert total(client, "blorptide quaxin") >= 1
    assert "blorptide" in client.get("/search?q=blorptide+quaxin").get_data(as_text=True)


def test_an_edited_synonym_list_is_used_at_once(editor):
    client = app_for(editor).test_client()
    first = client.get("/api/search?q=blorptide+quaxin").get_json()
    (editor.corpus / "synonyms.txt").write_text(
        (editor.corpus / "synonyms.txt").read_text() + "\nblorptide quaxin, twitching\n")
    second = client.get("/api/search?q=blorptide+quaxin").get_json()
    assert first["total"] == 0 and second["total"] > 0


def test_searches_that_found_nothing_are_counted_on_every_answer(editor):
    client = app_for(editor).test_client()
    for _ in range(3):
        client.get("/search?q=zqxj+wvvk")
    db = catalogue.connect(editor.data)
    try:
        counts = {row["query"]: row["count"] for row in catalogue.zero_results(db)}
    finally:
        db.close()
    assert counts["zqxj wvvk"] == 3


def test_the_cache_can_be_turned_off(editor):
    app = app_for(editor, KB_ANSWER_CACHE_MB="0")
    assert app.extensions["kb_answers"] is None
    assert total(app.test_client(), "hemifacial spasm") > 0


def test_the_cache_keeps_to_its_budget_dropping_the_least_recently_used():
    cache = AnswerCache(max_bytes=10_000)
    for n in range(50):
        cache.put(("gen-1", None, None, "/search", (("q", f"query {n}"),)), b"x" * 900, "text/html", None)
        cache.get(("gen-1", None, None, "/search", (("q", "query 0"),)))  # kept in use
    assert len(cache) < 50 and cache._bytes <= 10_000
    assert cache.get(("gen-1", None, None, "/search", (("q", "query 0"),))) is not None
    assert cache.get(("gen-1", None, None, "/search", (("q", "query 1"),))) is None
    cache.put(("gen-2", None, None, "/search", (("q", "query 0"),)), b"y", "text/html", None)
    assert cache.get(("gen-1", None, None, "/search", (("q", "query 0"),))) is None  # the old generation is gone


def test_a_worker_warms_the_live_generation_at_start(shipped):
    import time

    app = app_for(shipped, KB_WARM="1")
    index = app.extensions["kb_index"]
    client = app.test_client()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not client.get("/healthz").get_json()["warm"]:
        time.sleep(0.05)
    assert client.get("/healthz").get_json()["warm"], "/healthz says when the worker is ready"
    assert any(stats._cached_entries for stats in index._stats.values()), "the common words were scored at start"
    assert index._copies, "and the generation's copies of articles worked out"
    assert total(app.test_client(), "hemifacial spasm") > 0
