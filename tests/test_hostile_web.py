"""Hostile requests: paths that try to escape, generated junk for every API endpoint, rate
limiting, and /healthz telling the truth."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from web import create_app

TRAVERSALS = ["../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd", "%2e%2e%2f%2e%2e%2fapp.py",
              "....//....//etc/passwd", "/etc/passwd", "%00", "a%00b", "x" * 5000, "..\\..\\web\\app.py",
              "%252e%252e%252fapp.py", "%c0%ae%c0%ae/app.py"]


@pytest.mark.parametrize("path", TRAVERSALS)
@pytest.mark.parametrize("prefix", ["/articles/", "/api/articles/", "/static/", "/kinds/", "/api/kinds/"])
def test_paths_never_leave_the_corpus_or_the_static_folder(client, prefix, path):
    response = client.get(prefix + path, follow_redirects=True)  # "//" is merged by a redirect first
    body = response.get_data(as_text=True)
    response.close()
    assert response.status_code in (404, 400), (prefix + path, response.status_code)
    assert "root:x:" not in body and "create_app" not in body and "def " not in body
    if prefix.startswith("/api/"):
        assert response.get_json()["ok"] is False


INTERNALS = re.compile(r"Traceback|File \"|/work/|site-packages|\.py\b|werkzeug|whoosh\.")


@pytest.fixture(scope="module")
def open_client(shipped):
    """An app without rate limiting: Hypothesis sends hundreds of requests."""
    return create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(shipped.data), "TESTING": True,
                       "KB_RATE_LIMIT": "off"}).test_client()


def _endpoints(client) -> list[tuple[str, list[dict]]]:
    spec = client.get("/api/openapi.json").get_json()
    return [(path, op.get("parameters", [])) for path, item in spec["paths"].items() for op in item.values()]


hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "*", '"', "AND OR NOT", "title:x", "((((", "\u202e\u200b", "🩺" * 50,
                     "<script>alert(1)</script>", "' OR 1=1 --", "%00", "a" * 5000, "-1", "1e309", "NaN",
                     "../../etc/passwd", "{{7*7}}", "\\", "/" * 100]),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
)


@pytest.mark.slow  # the long generated or process-killing runs: left out of `make test-fast`
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(data=st.data())
def test_every_api_endpoint_survives_generated_requests(open_client, data):
    path, parameters = data.draw(st.sampled_from(_endpoints(open_client)))
    query: list[tuple[str, str]] = []
    for parameter in parameters:
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", data.draw(hostile_text.filter(
                lambda s: s and "/" not in s and "?" not in s and "#" not in s and "%" not in s), label="path"))
        elif data.draw(st.booleans()):
            for _ in range(data.draw(st.integers(1, 3))):  # repeated parameters too
                query.append((parameter["name"], data.draw(hostile_text, label=parameter["name"])))
    if data.draw(st.booleans()):
        query.append((data.draw(st.text(min_size=1, max_size=20)), data.draw(hostile_text)))
    response = open_client.get(path, query_string=query)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (path, query, response.status_code, body[:300])
    payload = response.get_json()
    assert payload is not None, "every API answer is JSON"
    if response.status_code >= 400:
        assert set(payload) == {"ok", "error", "status"} and payload["ok"] is False
        assert payload["status"] == response.status_code
    # The reader's own input may be echoed back in an error ("no article with id '.py'").
    sent = path + " ".join(f"{name} {value}" for name, value in query)
    leaks = [m.group(0) for m in INTERNALS.finditer(body.replace("\\/", "/")) if m.group(0) not in sent]
    assert not leaks or path == "/api/openapi.json", body[:300]


@pytest.mark.slow  # the long generated or process-killing runs: left out of `make test-fast`
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=hostile_text, page=hostile_text, kind=hostile_text)
def test_html_pages_survive_generated_queries(open_client, q, page, kind):
    for path, query in (("/search", {"q": q, "page": page}), ("/search", {"q": q, "kind": kind}),
                        ("/symptoms", {"q": q}), ("/articles/hemifacial-spasm", {"q": q})):
        response = open_client.get(path, query_string=query)
        assert response.status_code < 500, (path, query)
        assert "<script>alert" not in response.get_data(as_text=True)


def test_rate_limit_answers_429_with_retry_after(shipped):
    client = create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(shipped.data), "TESTING": True,
                         "KB_RATE_LIMIT": "5/minute"}).test_client()
    answers = [client.get("/api/search?q=gout").status_code for _ in range(5)]
    assert answers == [200] * 5
    limited = client.get("/api/search?q=gout")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.get_json() == {"ok": False, "status": 429, "error": limited.get_json()["error"]}
    page = client.get("/search?q=gout")
    assert page.status_code == 429 and "Too many requests" in page.get_data(as_text=True)
    # Reading articles and the home page is never limited; another address has its own bucket.
    assert client.get("/articles/gout").status_code == 200 and client.get("/").status_code == 200
    other = client.get("/api/search?q=gout", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_rate_limit_refills_over_time():
    from web.ratelimit import RateLimiter, parse_limit

    now = [0.0]
    limiter = RateLimiter(*parse_limit("2/second"), clock=lambda: now[0])
    assert [limiter.take("a"), limiter.take("a")] == [0, 0]
    assert limiter.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert limiter.take("a") == 0
    assert parse_limit("off") is None
    with pytest.raises(Exception, match="N/minute"):
        parse_limit("lots")


def test_healthz_reports_the_serving_generation(client, shipped):
    data = client.get("/healthz").get_json()
    assert data["ok"] is True and data["generation"].startswith("gen-") and data["sections"] > 300


def test_healthz_is_503_without_a_usable_index(tmp_path, shipped):
    client = create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(tmp_path), "TESTING": True}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503 and "kb index" in response.get_json()["error"]
    shutil.copytree(shipped.data, tmp_path / "copy")
    live = (tmp_path / "copy" / "index" / (tmp_path / "copy" / "index" / "CURRENT").read_text().strip())
    meta = json.loads((live / "meta.json").read_text())
    (live / "meta.json").write_text(json.dumps({**meta, "schema_version": 1}))
    outdated = create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(tmp_path / "copy"),
                           "TESTING": True}).test_client()
    response = outdated.get("/healthz")
    assert response.status_code == 503 and "schema version 1" in response.get_json()["error"]
