"""The librarians' admin area: off without credentials, login required, wrong passwords refused
and throttled, CSRF enforced, safe cookies, and a re-index that really starts."""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
from werkzeug.security import generate_password_hash

from web import create_app

PASSWORD = "correct horse battery staple"


@pytest.fixture()
def admin_app(shipped, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(shipped.data, data)
    return create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(data), "TESTING": True,
                       "KB_ADMIN_USER": "librarian", "KB_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD)})


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def sign_in(client, password: str = PASSWORD):
    token = csrf_of(client.get("/admin/login").get_data(as_text=True))
    return client.post("/admin/login", data={"csrf": token, "user": "librarian", "password": password})


def test_without_credentials_the_admin_area_is_off(client):
    response = client.get("/admin/")
    assert response.status_code == 404 and "KB_ADMIN_PASSWORD_HASH" in response.get_data(as_text=True)
    assert client.get("/admin/login").status_code == 404
    assert client.post("/admin/reindex").status_code == 404


def test_login_is_required_and_wrong_passwords_are_refused(admin_app):
    client = admin_app.test_client()
    response = client.get("/admin/report")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert sign_in(client, "wrong").status_code == 401
    assert client.get("/admin/").status_code == 302
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    overview = client.get("/admin/").get_data(as_text=True)
    assert "WellPath Health" in overview and "Start an incremental re-index" in overview
    assert "<td>red flags</td><td>built-in + corpus file</td>" in overview  # the lists in force, named
    assert "Curation report" in client.get("/admin/report").get_data(as_text=True)
    assert client.get("/admin/gaps").status_code == 200


def test_csrf_is_enforced(admin_app):
    client = admin_app.test_client()
    assert client.post("/admin/login", data={"user": "librarian", "password": PASSWORD}).status_code == 400
    sign_in(client)
    assert client.post("/admin/reindex", data={}).status_code == 400
    assert client.post("/admin/reindex", data={"csrf": "forged"}).status_code == 400


def test_failed_logins_are_throttled(admin_app):
    client = admin_app.test_client()
    statuses = [sign_in(client, f"guess {n}").status_code for n in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    assert sign_in(client).status_code == 429  # even the right password waits


def test_reindex_button_starts_kb_index(admin_app):
    client = admin_app.test_client()
    sign_in(client)
    token = csrf_of(client.get("/admin/").get_data(as_text=True))
    response = client.post("/admin/reindex", data={"csrf": token})
    assert response.status_code == 302 and "started=1" in response.headers["Location"]
    settings = admin_app.config["KB_SETTINGS"]
    deadline = time.monotonic() + 60
    from kb.index import catalogue
    while time.monotonic() < deadline:
        db = catalogue.connect(settings.data)
        runs = catalogue.recent_runs(db, 1)
        db.close()
        if runs and runs[0]["status"] != "running" and "pid" in runs[0]["started_by"] and \
                runs[0]["started"] > time.time() - 60:
            break
        time.sleep(0.3)
    assert runs[0]["status"] in ("unchanged", "published"), json.dumps(runs[0])


def test_public_pages_set_no_cookie(admin_app):
    client = admin_app.test_client()
    assert "Set-Cookie" not in client.get("/search?q=gout").headers


def test_without_a_configured_secret_each_data_folder_keeps_a_random_private_one(admin_app):
    data = admin_app.config["KB_SETTINGS"].data
    secret = data / "secret_key"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert admin_app.secret_key == secret.read_text().strip() and len(admin_app.secret_key) == 64
    again = create_app({"KB_CORPUS": str(admin_app.config["KB_SETTINGS"].corpus), "KB_DATA": str(data),
                        "TESTING": True, "KB_ADMIN_USER": "librarian",
                        "KB_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD)})
    assert again.secret_key == admin_app.secret_key  # a second worker signs sessions the same way
    client = admin_app.test_client()
    sign_in(client)
    assert again.test_client(use_cookies=False).get(
        "/admin/", headers={"Cookie": client.get_cookie("kb_admin").key + "=" + client.get_cookie("kb_admin").value}
    ).status_code == 200


def test_a_server_that_cannot_keep_a_secret_turns_the_admin_area_off(shipped, tmp_path):
    blocker = tmp_path / "read-only"
    blocker.write_text("not a folder")
    app = create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(blocker / "data"), "TESTING": True,
                      "KB_ADMIN_USER": "librarian", "KB_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD)})
    assert app.test_client().get("/admin/login").status_code == 404


def test_behind_a_proxy_over_https_the_cookie_is_secure_and_the_real_address_is_limited(shipped, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(shipped.data, data)
    app = create_app({"KB_CORPUS": str(shipped.corpus), "KB_DATA": str(data), "TESTING": True, "KB_PROXY_HOPS": "1",
                      "KB_RATE_LIMIT": "2/minute", "KB_ADMIN_USER": "librarian",
                      "KB_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD)})
    client = app.test_client()
    https = {"X-Forwarded-Proto": "https"}
    token = csrf_of(client.get("/admin/login", headers=https).get_data(as_text=True))
    response = client.post("/admin/login", data={"csrf": token, "user": "librarian", "password": PASSWORD},
                           headers=https)
    assert "Secure" in response.headers["Set-Cookie"]
    statuses = [client.get("/api/search?q=migraine", headers={"X-Forwarded-For": address}).status_code
                for address in ("203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2")]
    assert statuses == [200, 200, 429, 200]  # the proxy's clients, not the proxy, are limited


def test_over_plain_http_the_cookie_is_not_marked_secure(admin_app):
    assert "Secure" not in sign_in(admin_app.test_client()).headers["Set-Cookie"]
