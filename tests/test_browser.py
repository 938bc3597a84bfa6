"""A reader's path through the site in a real Chromium, served by gunicorn."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.processes import gunicorn

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def server(shipped):
    """The app under gunicorn (two workers), as in production, on a free local port."""
    try:
        with gunicorn(shipped) as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run must install it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_reader_searches_in_lay_words_and_lands_on_the_section(server, page):
    page.goto(server + "/")
    page.fill("#q", "eyelid twitching on one side of the face")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("li.result").first
    assert first.locator(".result-title").inner_text() == "Hemifacial spasm"
    assert "<mark>" not in first.inner_text()  # marks are rendered as highlighting, not shown as text
    assert first.locator("mark").count() > 0
    first.locator("a.section-link").first.click()
    page.wait_for_url("**/articles/hemifacial-spasm#*")
    anchor = page.url.split("#", 1)[1]
    heading = page.locator(f"[id='{anchor}']")
    assert heading.is_visible()
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, "the linked section is scrolled into view"


def test_skip_link_is_the_first_stop_for_keyboard_users(server, page):
    page.goto(server + "/search?q=asthma")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


@pytest.mark.parametrize("path", ["/", "/search?q=itchy+rash+in+babies", "/articles/type-2-diabetes",
                                  "/articles/no-such-article"])
def test_no_horizontal_scrolling_on_a_phone(server, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(server + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"


def test_search_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.fill("#q", "heartburn after meals")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    titles = page.locator(".result-title").all_inner_texts()
    context.close()
    assert titles and titles[0].startswith("GERD")
